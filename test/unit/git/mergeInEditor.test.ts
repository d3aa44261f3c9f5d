// "Merge in Editor" after a conflicting pull: conflict markers, index stages and MERGE_HEAD as the git CLI
// leaves them; Abort Merge restores exactly; resolving and committing makes a two-parent merge that keeps the
// other side's clean changes.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { GitCredentials } from '../../../src/git/auth';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { mergeInEditorMessage, presentGitError } from '../../../src/sync/errorPresentation';
import { GitServer } from '../../support/gitServer';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, read, rejects, requestYaml, snapshot, TempDirs, writeFiles } from './gitTestRepos';

const TOKEN = 'merge-token';
const R = (n: number | string): string => `.insomnia/Request/req_${n}.yml`;

describe('merge in editor', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  let server: GitServer;
  let n = 0;

  before(async () => {
    server = await GitServer.start({ projectRoot: tmp.make('hammock-msrv-'), token: TOKEN });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  /** A clone whose pull conflicts on req_1, while the remote also made clean changes (req_2 edited, req_3 deleted, req_5 added). */
  async function conflicted(): Promise<{ client: GitClient; ours: string; theirs: string; bare: string }> {
    const seed = initRepo(tmp.make(), legacySeed(4));
    const name = `m${++n}`;
    const bare = server.createBareRepo(name, { seedDir: seed });
    const url = server.url(name);
    const auth = { getCredentials: (): GitCredentials => ({ token: TOKEN }), requestCredentials: async () => undefined };
    const client = await GitClient.clone({ url, dir: path.join(tmp.make(), 'repo'), auth, author: AUTHOR });
    const other = path.join(tmp.make(), 'other');
    await gitCliAsync(path.dirname(other), 'clone', '-q', url.replace('http://', `http://u:${TOKEN}@`), other);
    fs.rmSync(path.join(other, R(3)));
    const theirs = commitFiles(other, {
      [R(1)]: requestYaml('req_1', 'Request 1', 'https://theirs.example.com'),
      [R(2)]: requestYaml('req_2', 'Renamed by them'),
      [R(5)]: requestYaml('req_5', 'Added by them'),
    });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    writeFiles(client.dir, { [R(1)]: requestYaml('req_1', 'Request 1', 'https://ours.example.com'), [R(4)]: requestYaml('req_4', 'Ours') });
    await client.stage([R(1), R(4)]);
    const ours = await client.commit('ours');
    writeFiles(client.dir, { 'notes.txt': 'untracked, must survive\n' });
    await rejects(client.pull(), GitErrorCode.Conflict);
    return { client, ours, theirs, bare };
  }

  const FILES = [R(1), R(2), R(3), R(4), R(5), 'notes.txt'];

  it('leaves markers, stages and MERGE_HEAD like git; Abort Merge restores HEAD, index and files exactly', async () => {
    const { client, ours, theirs } = await conflicted();
    const before = snapshot(client.dir, FILES);
    const res = await client.mergeInEditor();
    assert.strictEqual(res.completed, false);
    assert.deepStrictEqual(res.conflicts, [{ path: R(1), kind: 'bothModified' }]);
    assert.deepStrictEqual(res.report?.files[0].items, [{ id: 'req_1', name: 'Request 1', type: 'Request', fields: ['url'] }]);
    // what the notification says: the request and the field, as the pull's did, not only the file's id
    assert.strictEqual(mergeInEditorMessage(res), `1 conflicted file to resolve: ${R(1)}: Request 1 (url). Resolve, stage, then commit to finish the merge (or Abort Merge).`);
    const text = read(client.dir, R(1));
    assert.match(text, /^<<<<<<< /m);
    assert.match(text, /url: https:\/\/ours\.example\.com/);
    assert.match(text, /url: https:\/\/theirs\.example\.com/);
    assert.match(text, /^>>>>>>> /m);
    assert.strictEqual(gitCli(client.dir, 'rev-parse', 'MERGE_HEAD'), theirs);
    assert.strictEqual(gitCli(client.dir, 'rev-parse', 'HEAD'), ours);
    assert.strictEqual(gitCli(client.dir, 'ls-files', '-u', '--', R(1)).split('\n').length, 3, 'stages 1, 2 and 3');
    assert.strictEqual(
      gitCli(client.dir, 'status', '--porcelain', '-uall', '--no-renames'),
      ['UU ' + R(1), 'M  ' + R(2), 'D  ' + R(3), 'A  ' + R(5), '?? notes.txt'].join('\n'),
    );
    const st = await client.status();
    assert.deepStrictEqual(st.mergeInProgress?.theirs, theirs);
    assert.deepStrictEqual(st.merge, [{ path: R(1), kind: 'bothModified' }]);
    await rejects(client.pull(), GitErrorCode.MergeInProgress);
    await rejects(client.checkout('main'), GitErrorCode.MergeInProgress);
    await rejects(client.commit('too early'), GitErrorCode.UnresolvedConflicts);

    await client.abortMerge();
    assert.deepStrictEqual(snapshot(client.dir, FILES), before);
    assert.ok(!fs.existsSync(path.join(client.dir, '.git/MERGE_HEAD')));
    assert.strictEqual((await client.status()).mergeInProgress, undefined);
    await rejects(client.abortMerge(), GitErrorCode.NoMergeInProgress);
  });

  it('resolve + commit: two parents, the prepared message, and the other side\'s clean changes kept', async () => {
    const { client, ours, theirs, bare } = await conflicted();
    await client.mergeInEditor();
    const resolved = requestYaml('req_1', 'Request 1', 'https://resolved.example.com');
    writeFiles(client.dir, { [R(1)]: resolved });
    await client.stage([R(1)]);
    assert.deepStrictEqual((await client.status()).merge, []);
    const oid = await client.commit('');
    assert.deepStrictEqual(gitCli(client.dir, 'log', '-1', '--format=%P').split(' '), [ours, theirs]);
    // as the `git pull` it stands for writes it (fmt-merge-msg: the branch and its URL, " into" left out on main)
    assert.match(gitCli(client.dir, 'log', '-1', '--format=%s'), /^Merge branch 'main' of http:\/\/127\.0\.0\.1:\d+\/m\d+$/);
    assert.strictEqual(gitCli(client.dir, 'diff', '--name-only', theirs, oid), R(1) + '\n' + R(4), 'only our changes differ from theirs');
    assert.strictEqual(gitCli(client.dir, 'show', `${oid}:${R(2)}`) + '\n', requestYaml('req_2', 'Renamed by them'));
    assert.ok(!gitCli(client.dir, 'ls-tree', '-r', '--name-only', oid).includes(R(3)), 'their deletion kept');
    assert.strictEqual(read(client.dir, R(1)), resolved);
    assert.strictEqual(gitCli(client.dir, 'status', '--porcelain', '-uall'), '?? notes.txt');
    assert.ok(!fs.existsSync(path.join(client.dir, '.git/MERGE_HEAD')));
    await client.push();
    assert.strictEqual(gitCli(bare, 'rev-parse', 'main'), oid);
  });

  it('the merge commit\'s message is byte for byte the one `git pull` writes (oracle: git pull --no-rebase on an identical copy, resolved alike)', async () => {
    const { client } = await conflicted();
    const copy = path.join(tmp.make(), 'copy');
    fs.cpSync(client.dir, copy, { recursive: true });
    // the git CLI's pull on the copy (the same remote URL as configured, the token from a credential helper)
    const helper = `credential.helper=!f() { echo username=u; echo password=${TOKEN}; }; f`;
    await assert.rejects(gitCliAsync(copy, '-c', helper, 'pull', '--no-rebase', '-q'));
    assert.strictEqual(gitCli(copy, 'rev-parse', 'MERGE_HEAD'), gitCli(copy, 'rev-parse', 'origin/main'), 'git stopped on the conflict');
    await client.mergeInEditor();
    const mergeMsg = (dir: string) => fs.readFileSync(path.join(dir, '.git', 'MERGE_MSG'), 'utf8');
    assert.strictEqual(mergeMsg(client.dir), mergeMsg(copy), 'the message prepared for the commit');
    const resolved = requestYaml('req_1', 'Request 1', 'https://resolved.example.com');
    writeFiles(copy, { [R(1)]: resolved });
    gitCli(copy, 'add', R(1));
    // committed as a person does: the editor opens on the prepared message, saved as it is (its comments stripped)
    gitCli(copy, '-c', 'core.editor=true', 'commit', '-q');
    writeFiles(client.dir, { [R(1)]: resolved });
    await client.stage([R(1)]);
    await client.commit('');
    const messageOf = (dir: string) => {
      const raw = gitCli(dir, 'cat-file', 'commit', 'HEAD') + '\n';
      return raw.slice(raw.indexOf('\n\n') + 2);
    };
    assert.match(messageOf(copy), /^Merge branch 'main' of http:\/\/127\.0\.0\.1:\d+\//, 'the oracle names the branch and the URL');
    assert.strictEqual(messageOf(client.dir), messageOf(copy));
  });

  it('no conflict left (ours now as theirs): the merge commit and reflog are the ones `git pull` writes (oracle: git pull on an identical copy)', async () => {
    const { client } = await conflicted();
    // the user made req_1 as theirs and committed it: merging is clean now
    writeFiles(client.dir, { [R(1)]: requestYaml('req_1', 'Request 1', 'https://theirs.example.com') });
    await client.stage([R(1)]);
    await client.commit('take theirs');
    const copy = path.join(tmp.make(), 'copy');
    fs.cpSync(client.dir, copy, { recursive: true });
    const helper = `credential.helper=!f() { echo username=u; echo password=${TOKEN}; }; f`;
    // `git -c pull.rebase=false pull`, not `git pull --no-rebase`: the reflog entry says the command's own arguments
    await gitCliAsync(copy, '-c', helper, '-c', 'pull.rebase=false', 'pull');
    const res = await client.mergeInEditor();
    assert.strictEqual(res.completed, true);
    const messageOf = (dir: string) => {
      const raw = gitCli(dir, 'cat-file', 'commit', 'HEAD') + '\n';
      return raw.slice(raw.indexOf('\n\n') + 2);
    };
    assert.match(messageOf(copy), /^Merge branch 'main' of http:\/\/127\.0\.0\.1:\d+\//, 'the oracle names the branch and the URL');
    assert.strictEqual(messageOf(client.dir), messageOf(copy));
    assert.strictEqual(gitCli(client.dir, 'rev-parse', 'HEAD^{tree}'), gitCli(copy, 'rev-parse', 'HEAD^{tree}'));
    const reflog = (dir: string) => gitCli(dir, 'reflog', '-1', '--format=%gs', 'main');
    assert.strictEqual(reflog(client.dir), reflog(copy));
  });

  it('refuses to start on uncommitted changes, listing them', async () => {
    const { client } = await conflicted();
    writeFiles(client.dir, { [R(2)]: requestYaml('req_2', 'Local') });
    const before = snapshot(client.dir, FILES);
    const err = await rejects(client.mergeInEditor(), GitErrorCode.DirtyWorkingTree);
    assert.deepStrictEqual(err.details.files, [R(2)]);
    assert.deepStrictEqual(snapshot(client.dir, FILES), before);
    // the notification says what to do once (it adds "Commit or discard them first." under the list)
    const shown = presentGitError(err).message;
    assert.strictEqual(shown.match(/commit or discard/gi)?.length, 1, shown);
    assert.ok(shown.includes(`\n${R(2)}\n`), shown);
  });
});
