// GitClient.previewPull: what a pull of the already-fetched upstream would do, without fetching and without
// changing anything (refs, index bytes, working files, not even a loose object). Real repositories, a real
// loopback git server, the git CLI as the other person.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { GitCredentials } from '../../../src/git/auth';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { GitServer } from '../../support/gitServer';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, rejects, requestYaml, TempDirs, writeFiles } from './gitTestRepos';

const TOKEN = 'preview-token';
const R = (n: number | string): string => `.insomnia/Request/req_${n}.yml`;

/** Every ref, HEAD, the index's bytes, every working file's bytes and the loose objects: all a preview must not touch. */
function state(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  out.HEAD = fs.readFileSync(path.join(dir, '.git/HEAD'), 'utf8');
  out.refs = gitCli(dir, 'for-each-ref', '--format=%(refname) %(objectname)');
  out.index = fs.readFileSync(path.join(dir, '.git/index')).toString('base64');
  const walk = (rel: string): void => {
    for (const de of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${de.name}` : de.name;
      if (r === '.git') continue;
      if (de.isDirectory()) walk(r);
      else out[`file:${r}`] = fs.readFileSync(path.join(dir, r)).toString('base64');
    }
  };
  walk('');
  const objects: string[] = [];
  const odir = path.join(dir, '.git/objects');
  for (const d of fs.readdirSync(odir)) {
    if (!/^[0-9a-f]{2}$/.test(d)) continue;
    for (const f of fs.readdirSync(path.join(odir, d))) objects.push(d + f);
  }
  out.objects = objects.sort().join(',');
  for (const f of ['MERGE_HEAD', 'ORIG_HEAD', 'index.lock']) out[f] = String(fs.existsSync(path.join(dir, '.git', f)));
  return out;
}

describe('GitClient.previewPull', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  let server: GitServer;
  let n = 0;

  before(async () => {
    server = await GitServer.start({ projectRoot: tmp.make('hammock-psrv-'), token: TOKEN });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  /** A Hammock clone and a CLI clone ("someone else") of a remote seeded with `files`. */
  async function pair(files: Record<string, string> = legacySeed(3)): Promise<{ client: GitClient; other: string }> {
    const seed = initRepo(tmp.make(), files);
    const name = `p${++n}`;
    server.createBareRepo(name, { seedDir: seed });
    const url = server.url(name);
    const auth = { getCredentials: (): GitCredentials => ({ token: TOKEN }), requestCredentials: async () => undefined };
    const client = await GitClient.clone({ url, dir: path.join(tmp.make(), 'repo'), auth, author: AUTHOR });
    const other = path.join(tmp.make(), 'other');
    await gitCliAsync(path.dirname(other), 'clone', '-q', url.replace('http://', `http://u:${TOKEN}@`), other);
    gitCli(other, 'config', 'user.name', 'Someone Else');
    gitCli(other, 'config', 'user.email', 'else@hammock.invalid');
    return { client, other };
  }

  async function commitOurs(client: GitClient, files: Record<string, string>): Promise<string> {
    writeFiles(client.dir, files);
    await client.stage(Object.keys(files));
    return client.commit('ours');
  }

  it('up to date, then (after a fetch) a fast-forward naming the files; blockedBy lists uncommitted files in the way; nothing changes', async () => {
    const { client, other } = await pair();
    const head = gitCli(client.dir, 'rev-parse', 'HEAD');
    const up = await client.previewPull();
    assert.strictEqual(up.kind, 'upToDate');
    assert.strictEqual(up.ours, head);
    assert.strictEqual(up.theirs, head);
    assert.deepStrictEqual([up.fieldMerged, up.blockedBy, up.files], [[], [], []]);

    fs.rmSync(path.join(other, R(3)));
    const theirs = commitFiles(other, { [R(2)]: requestYaml('req_2', 'Theirs'), [R(9)]: requestYaml('req_9', 'New') });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    assert.strictEqual((await client.previewPull()).kind, 'upToDate', 'previewPull does not fetch');
    await client.fetch();

    writeFiles(client.dir, { [R(2)]: requestYaml('req_2', 'Mine, uncommitted'), [R(9)]: 'untracked, in the way\n', [R(1)]: requestYaml('req_1', 'Mine too') });
    const before = state(client.dir);
    const p = await client.previewPull();
    assert.deepStrictEqual(state(client.dir), before);
    assert.strictEqual(p.kind, 'fastForward');
    assert.strictEqual(p.ours, head);
    assert.strictEqual(p.theirs, theirs);
    assert.strictEqual(p.base, head);
    assert.deepStrictEqual(p.files, [
      { path: R(2), kind: 'modified' },
      { path: R(3), kind: 'deleted' },
      { path: R(9), kind: 'added' },
    ]);
    assert.deepStrictEqual(p.blockedBy, [R(2), R(9)], 'req_1 is edited too, but the pull does not touch it');
    // the pull agrees
    const err = await rejects(client.pull(), GitErrorCode.DirtyWorkingTree);
    assert.deepStrictEqual(err.details.files, p.blockedBy);
  });

  it('diverged, different files: a merge, the files it changes, nothing changed (a v4 index too)', async () => {
    const { client, other } = await pair(legacySeed(4));
    commitFiles(other, { [R(2)]: requestYaml('req_2', 'Theirs') });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    const ours = await commitOurs(client, { [R(3)]: requestYaml('req_3', 'Ours') });
    await client.fetch();
    writeFiles(client.dir, { [R(4)]: requestYaml('req_4', 'uncommitted, not in the way') });
    gitCli(client.dir, 'update-index', '--index-version', '4');
    const before = state(client.dir);
    const p = await client.previewPull();
    assert.deepStrictEqual(state(client.dir), before);
    assert.strictEqual(p.kind, 'merge');
    assert.strictEqual(p.ours, ours);
    assert.strictEqual(p.base, gitCli(client.dir, 'merge-base', 'HEAD', 'origin/main'));
    assert.deepStrictEqual(p.files, [{ path: R(2), kind: 'modified' }]);
    assert.deepStrictEqual(p.blockedBy, []);
    assert.deepStrictEqual(p.fieldMerged, []);
    const res = await client.pull();
    assert.strictEqual(res.kind, 'merge');
    assert.deepStrictEqual(res.kind === 'merge' && res.changes.map((c) => c.path), [R(2)]);
  });

  it('the same field changed on both sides: conflict, with the report a pull gives; nothing changed', async () => {
    const { client, other } = await pair();
    commitFiles(other, { [R(1)]: requestYaml('req_1', 'Request 1', 'https://theirs.example.com') });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    await commitOurs(client, { [R(1)]: requestYaml('req_1', 'Request 1', 'https://ours.example.com') });
    await client.fetch();
    const before = state(client.dir);
    const p = await client.previewPull();
    assert.deepStrictEqual(state(client.dir), before);
    assert.strictEqual(p.kind, 'conflict');
    assert.deepStrictEqual(p.files, []);
    const report = p.conflict!;
    assert.strictEqual(report.count, 1);
    assert.strictEqual(report.files[0].path, R(1));
    assert.deepStrictEqual(report.files[0].items, [{ id: 'req_1', name: 'Request 1', type: 'Request', fields: ['url'] }]);
    const err = await rejects(client.pull(), GitErrorCode.Conflict);
    assert.deepStrictEqual(err.details.conflict, report);
    const { objects: _o, ...afterPull } = state(client.dir); // (a real merge writes loose blobs: they do not matter)
    const { objects: _b, ...untouched } = before;
    assert.deepStrictEqual(afterPull, untouched);
  });

  it('throws as pull does: no upstream branch, merge in progress', async () => {
    const { client } = await pair();
    await client.createBranch('topic');
    await rejects(client.previewPull(), GitErrorCode.NoRemoteBranch);
    await client.checkout('main');
    fs.writeFileSync(path.join(client.dir, '.git/MERGE_HEAD'), gitCli(client.dir, 'rev-parse', 'HEAD') + '\n');
    await rejects(client.previewPull(), GitErrorCode.MergeInProgress);
  });
});
