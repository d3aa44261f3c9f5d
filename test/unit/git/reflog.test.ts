// Reflog entries Hammock writes, against the ones git writes for the same operation on an identical copy (the
// subject, `%gs`, of each ref's newest entry): clone, fetch (a new branch, a fast-forward, a forced update), pull
// (fast-forward and merge, the branch and its remote-tracking ref), push, and Merge in Editor (completed at once, or
// committed after resolving). `git reflog` and `HEAD@{1}` are how users find what an operation moved.

import * as assert from 'assert';
import * as path from 'path';
import { execFileSync } from 'child_process';
import type { GitCredentials } from '../../../src/git/auth';
import { GitClient } from '../../../src/git/gitClient';
import { GitServer } from '../../support/gitServer';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, requestYaml, TempDirs, writeFiles } from './gitTestRepos';

const TOKEN = 'reflog-token';
const auth = { getCredentials: (): GitCredentials => ({ token: TOKEN }), requestCredentials: async () => undefined };

/** The newest reflog subject of each ref (only refs that have a reflog). */
function newest(dir: string, refs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of refs) {
    try {
      out[r] = gitCli(dir, 'reflog', 'show', '-1', '--format=%gs', r, '--');
    } catch {
      out[r] = '(none)';
    }
  }
  return out;
}

describe('reflog: the entries git writes, for the same operations', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  let server: GitServer;
  let n = 0;

  before(async () => {
    server = await GitServer.start({ projectRoot: tmp.make('hammock-reflog-srv-'), token: TOKEN });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  /** A remote, a Hammock clone and a git CLI clone of it, and a third copy that pushes as someone else. */
  async function setup(): Promise<{ url: string; hammock: GitClient; cli: string; other: string }> {
    const seed = initRepo(tmp.make(), { ...legacySeed(3), 'notes.txt': 'one\ntwo\nthree\n' });
    gitCli(seed, 'branch', 'topic');
    const name = `r${++n}`;
    server.createBareRepo(name, { seedDir: seed });
    execFileSync('git', ['-C', path.join(server.projectRoot, `${name}.git`), 'fetch', '-q', seed, 'topic:topic']);
    const url = server.url(name);
    const withToken = url.replace('http://', `http://u:${TOKEN}@`);
    const hammock = await GitClient.clone({ url, dir: path.join(tmp.make(), 'h'), auth, author: AUTHOR });
    const cli = path.join(tmp.make(), 'c');
    await gitCliAsync(path.dirname(cli), 'clone', '-q', withToken, cli);
    gitCli(cli, 'config', 'user.name', AUTHOR.name);
    gitCli(cli, 'config', 'user.email', AUTHOR.email);
    gitCli(cli, 'config', 'pull.rebase', 'false');
    gitCli(cli, 'config', 'core.editor', 'true'); // (so that the merge's message needs no --no-edit, which the reflog would name)
    const other = path.join(tmp.make(), 'o');
    await gitCliAsync(path.dirname(other), 'clone', '-q', withToken, other);
    return { url, hammock, cli, other };
  }

  it('clone and fetch: `clone: from`, then `fetch: storing head`, `fetch: fast-forward` and `fetch: forced-update`', async () => {
    const { hammock, cli, other } = await setup();
    const cloned = ['HEAD', 'refs/heads/main'];
    const strip = (r: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.replace(/\/\/u:[^@]+@/, '//')]));
    assert.deepStrictEqual(strip(newest(hammock.dir, cloned)), strip(newest(cli, cloned)));
    // the remote: main moves on, topic is rewritten, a new branch appears
    commitFiles(other, { 'notes.txt': 'one\ntwo\nthree\nfour\n' });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    gitCli(other, 'checkout', '-q', '-b', 'topic', 'origin/topic');
    gitCli(other, 'commit', '-q', '--amend', '-m', 'rewritten');
    await gitCliAsync(other, 'push', '-q', '--force', 'origin', 'topic');
    gitCli(other, 'checkout', '-q', '-b', 'fresh');
    commitFiles(other, { 'fresh.txt': 'fresh\n' });
    await gitCliAsync(other, 'push', '-q', 'origin', 'fresh');
    await hammock.fetch();
    await gitCliAsync(cli, 'fetch');
    const tracking = ['refs/remotes/origin/main', 'refs/remotes/origin/topic', 'refs/remotes/origin/fresh'];
    const expected = newest(cli, tracking);
    assert.deepStrictEqual(expected, { 'refs/remotes/origin/main': 'fetch: fast-forward', 'refs/remotes/origin/topic': 'fetch: forced-update', 'refs/remotes/origin/fresh': 'fetch: storing head' });
    assert.deepStrictEqual(newest(hammock.dir, tracking), expected);
  });

  it('pull (fast-forward, then a merge) and push', async () => {
    const { hammock, cli, other } = await setup();
    const refs = ['HEAD', 'refs/heads/main', 'refs/remotes/origin/main'];
    commitFiles(other, { 'notes.txt': 'one\ntwo\nthree\nfour\n' });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    await hammock.pull();
    await gitCliAsync(cli, 'pull');
    assert.deepStrictEqual(newest(hammock.dir, refs), newest(cli, refs));
    assert.strictEqual(newest(cli, ['HEAD']).HEAD, 'pull: Fast-forward');
    // both sides commit: the pull merges
    commitFiles(other, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Theirs') });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    for (const dir of [hammock.dir, cli]) writeFiles(dir, { '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Ours') });
    await hammock.stage(['.insomnia/Request/req_3.yml']);
    await hammock.commit('ours');
    gitCli(cli, 'commit', '-q', '-am', 'ours');
    await hammock.pull();
    await gitCliAsync(cli, 'pull');
    assert.deepStrictEqual(newest(hammock.dir, refs), newest(cli, refs));
    assert.strictEqual(newest(cli, ['HEAD']).HEAD, "pull: Merge made by the 'ort' strategy.");
    await hammock.push();
    await gitCliAsync(cli, 'push', '--force');
    assert.deepStrictEqual(newest(hammock.dir, ['refs/remotes/origin/main']), newest(cli, ['refs/remotes/origin/main']));
    assert.strictEqual(newest(cli, ['refs/remotes/origin/main'])['refs/remotes/origin/main'], 'update by push');
  });

  it('Merge in Editor: `pull: ...` when it completes at once, `commit (merge): ...` after resolving', async () => {
    const { hammock, cli, other } = await setup();
    const refs = ['HEAD', 'refs/heads/main'];
    commitFiles(other, { 'notes.txt': 'one\ntwo (theirs)\nthree\n' });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    for (const dir of [hammock.dir, cli]) writeFiles(dir, { 'notes.txt': 'one\ntwo (ours)\nthree\n', '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Ours') });
    await hammock.stage(['notes.txt', '.insomnia/Request/req_1.yml']);
    await hammock.commit('ours');
    gitCli(cli, 'commit', '-q', '-am', 'ours');
    await hammock.fetch();
    await gitCliAsync(cli, 'fetch');
    // a conflict: resolved, then committed
    const res = await hammock.mergeInEditor();
    assert.strictEqual(res.completed, false);
    assert.throws(() => gitCli(cli, 'merge', 'origin/main'));
    for (const dir of [hammock.dir, cli]) writeFiles(dir, { 'notes.txt': 'one\ntwo (both)\nthree\n' });
    await hammock.stage(['notes.txt']);
    await hammock.commit('');
    gitCli(cli, 'add', 'notes.txt');
    gitCli(cli, 'commit', '-q', '--no-edit');
    const prefix = (r: Record<string, string>): string[] => Object.values(r).map((v) => v.split(':')[0]);
    assert.deepStrictEqual(prefix(newest(hammock.dir, refs)), prefix(newest(cli, refs)));
    assert.deepStrictEqual(prefix(newest(cli, refs)), ['commit (merge)', 'commit (merge)']);
    // a merge with no conflict completes at once
    commitFiles(other, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Theirs again') });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    for (const dir of [hammock.dir, cli]) writeFiles(dir, { '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Ours again') });
    await hammock.stage(['.insomnia/Request/req_3.yml']);
    await hammock.commit('ours again');
    gitCli(cli, 'commit', '-q', '-am', 'ours again');
    await hammock.fetch();
    await gitCliAsync(cli, 'fetch');
    assert.strictEqual((await hammock.mergeInEditor()).completed, true);
    // as the `git pull` it stands for (its conflicted case prepares pull's message too)
    await gitCliAsync(cli, '-c', 'pull.rebase=false', 'pull');
    assert.deepStrictEqual(newest(hammock.dir, refs), newest(cli, refs));
    assert.strictEqual(newest(cli, ['HEAD']).HEAD, "pull: Merge made by the 'ort' strategy.");
  });
});
