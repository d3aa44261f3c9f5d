// The field-level merge end to end, with real git: two clones of a repository served by the loopback git server;
// both edit one Insomnia v5 file (and a legacy document), one pushes, the other pulls. Different requests on
// neighbouring lines: a merge commit with both edits and no markers (where git's own line merge conflicts). The same
// field: a Conflict naming the request and field, HEAD, index and files untouched. Merge in Editor keeps the field
// merge of one file while another stays in conflict with git's markers.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import type { GitCredentials } from '../../../src/git/auth';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { lineMerge } from '../../../src/git/mergeDriver';
import { parseV5File } from '../../../src/collections/formats/v5';
import { walkItems, type HttpRequest } from '../../../src/collections/model';
import { GitServer } from '../../support/gitServer';
import { baseV5, edit } from '../collections/mergeSamples';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, read, rejects, requestYaml, snapshot, TempDirs, WORKSPACE_YAML, writeFiles } from './gitTestRepos';

const TOKEN = 'field-token';
const V5 = 'collections/demo.yaml';
const LEGACY = '.insomnia/Request/req_1.yml';

/** Whether the git CLI's own line merge of the three texts conflicts (`git merge-file`). */
function gitLineMergeConflicts(base: string, ours: string, theirs: string): boolean {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-mf-'));
  try {
    fs.writeFileSync(path.join(d, 'o'), ours);
    fs.writeFileSync(path.join(d, 'b'), base);
    fs.writeFileSync(path.join(d, 't'), theirs);
    try {
      execFileSync('git', ['merge-file', '-p', 'o', 'b', 't'], { cwd: d, stdio: 'pipe' });
      return false;
    } catch {
      return true;
    }
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
}

function requestIn(text: string, id: string): HttpRequest {
  const c = parseV5File('/x/demo.yaml', text).collection!;
  for (const it of walkItems(c.children)) if (it.id === id) return it as HttpRequest;
  throw new Error(`no ${id}`);
}

describe('field-level merge through pull and Merge in Editor (real git)', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  let server: GitServer;
  let n = 0;
  const base = baseV5();
  const legacyBase = requestYaml('req_1', 'Request 1');

  before(async () => {
    server = await GitServer.start({ projectRoot: tmp.make('hammock-fsrv-'), token: TOKEN });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  async function pair(): Promise<{ client: GitClient; other: string; logs: string[] }> {
    const seed = initRepo(tmp.make(), { [V5]: base, '.insomnia/Workspace/wrk_1.yml': WORKSPACE_YAML, [LEGACY]: legacyBase, 'notes.txt': 'a\nb\n' });
    const name = `f${++n}`;
    server.createBareRepo(name, { seedDir: seed });
    const url = server.url(name);
    const auth = { getCredentials: (): GitCredentials => ({ token: TOKEN }), requestCredentials: async () => undefined };
    const logs: string[] = [];
    const client = await GitClient.clone({ url, dir: path.join(tmp.make(), 'repo'), auth, author: AUTHOR, log: (l) => logs.push(l) });
    const other = path.join(tmp.make(), 'other');
    await gitCliAsync(path.dirname(other), 'clone', '-q', url.replace('http://', `http://u:${TOKEN}@`), other);
    gitCli(other, 'config', 'user.name', 'Someone Else');
    gitCli(other, 'config', 'user.email', 'else@hammock.invalid');
    return { client, other, logs };
  }

  async function commitOurs(client: GitClient, files: Record<string, string>): Promise<string> {
    writeFiles(client.dir, files);
    await client.stage(Object.keys(files));
    return client.commit('ours');
  }

  it('different requests on neighbouring lines of a v5 file, different fields of a legacy request: a merge commit with both, no markers', async () => {
    const { client, other, logs } = await pair();
    const oursV5 = edit(base, (e) => {
      e.set(['collection', 1, 'settings', 'rebuildPath'], false); // req_3's last line
      e.set(['collection', 0, 'children', 0, 'url'], 'https://api.example.com/users/me');
    });
    const theirsV5 = edit(base, (e) => {
      e.set(['collection', 2, 'url'], 'https://api.example.com/v2/version'); // req_4's first line
      e.set(['collection', 0, 'children', 0, 'method'], 'HEAD');
      e.set(['collection', 0, 'children', 0, 'meta', 'modified'], 5000);
    });
    const oursLegacy = requestYaml('req_1', 'Request 1', 'https://ours.example.com').replace('modified: 1700000000000', 'modified: 1700000000001');
    const theirsLegacy = requestYaml('req_1', 'Renamed by them').replace('modified: 1700000000000', 'modified: 1700000000002');
    assert.ok(gitLineMergeConflicts(base, oursV5, theirsV5), 'git itself conflicts on the v5 file');
    assert.ok(gitLineMergeConflicts(legacyBase, oursLegacy, theirsLegacy), 'git itself conflicts on the legacy file');
    const theirs = commitFiles(other, { [V5]: theirsV5, [LEGACY]: theirsLegacy, 'notes.txt': 'a\nb\nc\n' });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    const ours = await commitOurs(client, { [V5]: oursV5, [LEGACY]: oursLegacy });
    await client.fetch();

    const preview = await client.previewPull();
    assert.strictEqual(preview.kind, 'merge');
    assert.deepStrictEqual(preview.fieldMerged, [LEGACY, V5]);
    assert.deepStrictEqual(preview.files.map((f) => f.path), [LEGACY, V5, 'notes.txt']);

    const res = await client.pull();
    assert.strictEqual(res.kind, 'merge');
    assert.deepStrictEqual(res.kind === 'merge' && res.fieldMerged, [LEGACY, V5]);
    assert.deepStrictEqual(gitCli(client.dir, 'log', '-1', '--format=%P').split(' '), [ours, theirs]);
    const merged = read(client.dir, V5);
    assert.ok(!/^(<<<<<<<|=======|>>>>>>>)/m.test(merged), 'no conflict markers');
    assert.strictEqual(gitCli(client.dir, 'show', `HEAD:${V5}`) + '\n', merged, 'the commit holds what the working tree shows');
    assert.strictEqual(requestIn(merged, 'req_3').settings.rebuildPath, false);
    assert.strictEqual(requestIn(merged, 'req_4').url, 'https://api.example.com/v2/version');
    const r1 = requestIn(merged, 'req_1');
    assert.deepStrictEqual([r1.url, r1.method, r1.modified], ['https://api.example.com/users/me', 'HEAD', 5000]);
    assert.strictEqual(read(client.dir, LEGACY), requestYaml('req_1', 'Renamed by them', 'https://ours.example.com').replace('modified: 1700000000000', 'modified: 1700000000002'));
    assert.strictEqual(read(client.dir, 'notes.txt'), 'a\nb\nc\n');
    assert.strictEqual(gitCli(client.dir, 'status', '--porcelain', '-uall'), '');
    assert.ok(logs.some((l) => l.includes(V5) && /field-level merge resolved/.test(l)), logs.join('\n'));
    // the merge goes back to the server, and the other side gets both edits
    await client.push();
    await gitCliAsync(other, 'pull', '-q', 'origin', 'main');
    assert.strictEqual(read(other, V5), merged);
  });

  it('the same field changed on both sides: Conflict naming the request and field; HEAD, index and files untouched', async () => {
    const { client, other } = await pair();
    const theirsV5 = edit(base, (e) => {
      e.set(['collection', 0, 'children', 1, 'body', 'text'], '{"name": "theirs"}');
      e.set(['collection', 2, 'name'], 'Version (theirs)');
    });
    commitFiles(other, { [V5]: theirsV5 });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    const oursV5 = edit(base, (e) => {
      e.set(['collection', 0, 'children', 1, 'body', 'text'], '{"name": "ours"}');
      e.set(['collection', 1, 'name'], 'Health (ours)');
    });
    await commitOurs(client, { [V5]: oursV5 });
    writeFiles(client.dir, { 'notes.txt': 'uncommitted\n', 'scratch.txt': 'untracked\n' });
    const files = [V5, LEGACY, 'notes.txt', 'scratch.txt'];
    const before = snapshot(client.dir, files);
    const err = await rejects(client.pull(), GitErrorCode.Conflict);
    assert.deepStrictEqual(snapshot(client.dir, files), before);
    assert.ok(!fs.existsSync(path.join(client.dir, '.git/MERGE_HEAD')));
    const report = err.details.conflict!;
    assert.strictEqual(report.count, 1);
    assert.deepStrictEqual(report.files[0].path, V5);
    assert.deepStrictEqual(report.files[0].items, [{ id: 'req_2', name: 'Create user', type: 'request', fields: ['body.text'] }]);
    assert.match(err.message, /Create user \(body\.text\)/);
    const preview = await client.previewPull();
    assert.strictEqual(preview.kind, 'conflict');
    assert.deepStrictEqual(preview.conflict, report);
    assert.deepStrictEqual(snapshot(client.dir, files), before);
  });

  it('Merge in Editor: the field-merged file is staged merged, the real conflict gets git\'s markers', async () => {
    const { client, other } = await pair();
    const theirsV5 = edit(base, (e) => e.set(['collection', 2, 'url'], 'https://api.example.com/v2/version'));
    const theirsLegacy = requestYaml('req_1', 'Request 1', 'https://theirs.example.com');
    commitFiles(other, { [V5]: theirsV5, [LEGACY]: theirsLegacy });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    const oursV5 = edit(base, (e) => e.set(['collection', 1, 'settings', 'rebuildPath'], false));
    const oursLegacy = requestYaml('req_1', 'Request 1', 'https://ours.example.com');
    await commitOurs(client, { [V5]: oursV5, [LEGACY]: oursLegacy });
    await client.fetch();
    assert.strictEqual((await client.previewPull()).kind, 'conflict'); // (a preview first must not confuse the merge's index)
    const res = await client.mergeInEditor();
    assert.strictEqual(res.completed, false);
    assert.deepStrictEqual(res.conflicts, [{ path: LEGACY, kind: 'bothModified' }]);
    assert.deepStrictEqual(res.fieldMerged, [V5]);
    assert.deepStrictEqual(res.report?.files.map((f) => [f.path, f.items.map((i) => i.fields)]), [[LEGACY, [['url']]]]);
    assert.strictEqual(read(client.dir, LEGACY), lineMerge(legacyBase, oursLegacy, theirsLegacy, 'HEAD', 'origin/main').mergedText, 'git\'s markers, labelled as git merge labels them');
    const merged = read(client.dir, V5);
    assert.strictEqual(requestIn(merged, 'req_3').settings.rebuildPath, false);
    assert.strictEqual(requestIn(merged, 'req_4').url, 'https://api.example.com/v2/version');
    assert.strictEqual(gitCli(client.dir, 'status', '--porcelain', '-uall'), ['UU ' + LEGACY, 'M  ' + V5].join('\n'));
  });
});
