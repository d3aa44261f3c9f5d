// HEAD's reflog is appended under HEAD's lock, as git appends it: moving the branch HEAD names is, for git's ref
// transaction, also a log-only update of HEAD, which takes `HEAD.lock` (refs/files-backend.c, split_head_update).
// So a `git reflog expire` or `git gc` rewriting logs/HEAD under that lock cannot lose Hammock's entry, and while
// another process holds HEAD.lock Hammock waits, then refuses, as `git commit` does. The oracle is the git CLI on an
// identical copy: the same refusals, then the same reflog.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { AUTHOR, clonedWithTeammate, commitFiles, commitLike, gitCli, gitCliAsync, initRepo, legacySeed, lockHolders, loopbackGitServer, rejects, requestYaml, serverAuth, TempDirs, writeFiles } from './gitTestRepos';

describe("HEAD's reflog appended under HEAD.lock, as git appends it", function () {
  this.timeout(30_000);
  const tmp = new TempDirs();
  const server = loopbackGitServer(tmp);
  const locks = lockHolders();

  /** a reflog's lines without their dates (Hammock's and git's entries are written at different seconds). */
  function reflogOf(dir: string, ref: string): string[] {
    return fs
      .readFileSync(path.join(dir, '.git/logs', ref), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/> \d+ [+-]\d{4}\t/, '> <date>\t'));
  }

  /** a repository and a copy of it; `asAuthor`: configured with the identity commitLike commits with. */
  function repoAndCopy(asAuthor: boolean): { dir: string; copy: string } {
    const dir = initRepo(tmp.make(), legacySeed(3));
    if (asAuthor) {
      gitCli(dir, 'config', 'user.name', AUTHOR.name);
      gitCli(dir, 'config', 'user.email', AUTHOR.email);
    }
    const copy = path.join(tmp.make(), 'copy');
    fs.cpSync(dir, copy, { recursive: true });
    return { dir, copy };
  }

  it('a commit on a branch while another process holds HEAD.lock waits, then fails naming it; no entry is appended, nothing moves', async () => {
    const { dir, copy } = repoAndCopy(true);
    const before = gitCli(dir, 'rev-parse', 'HEAD');
    const headLog = fs.readFileSync(path.join(dir, '.git/logs/HEAD'));
    const branchLog = fs.readFileSync(path.join(dir, '.git/logs/refs/heads/main'));
    const lock = path.join(dir, '.git/HEAD.lock');
    const holder = await locks.hold(lock);
    const client = new GitClient(dir, { lock: { waitMs: 300 } });
    const edit = { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Edited') };
    writeFiles(dir, edit);
    await client.stage(['.insomnia/Request/req_1.yml']);
    const started = Date.now();
    const err = await rejects(client.commit('edited'), GitErrorCode.IndexLocked);
    assert.ok(Date.now() - started >= 250, 'the lock was waited for first');
    assert.match(err.message, /HEAD\.lock exists/);
    assert.strictEqual(err.details.lockHolder?.pid, holder.pid);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'HEAD'), before, 'the branch did not move');
    assert.ok(fs.readFileSync(path.join(dir, '.git/logs/HEAD')).equals(headLog), 'no entry appended to logs/HEAD while HEAD.lock is held');
    assert.ok(fs.readFileSync(path.join(dir, '.git/logs/refs/heads/main')).equals(branchLog), "nor to the branch's reflog");
    assert.ok(!fs.existsSync(path.join(dir, '.git/refs/heads/main.lock')), "the branch's lock is released");
    assert.ok(fs.existsSync(lock), "the other process's HEAD.lock is left alone");
    // the oracle: git refuses the same commit on the copy while HEAD.lock is held there
    writeFiles(copy, edit);
    gitCli(copy, 'add', '-A');
    fs.writeFileSync(path.join(copy, '.git/HEAD.lock'), '');
    assert.throws(() => gitCli(copy, 'commit', '-q', '-m', 'edited'), /cannot lock ref 'HEAD'/);
    fs.rmSync(path.join(copy, '.git/HEAD.lock'));
    await locks.release(lock);
    // once released, the commit goes through with both entries, as git's
    await client.commit('edited');
    commitLike(dir, copy, 'edited');
    assert.strictEqual(gitCli(dir, 'rev-parse', 'HEAD'), gitCli(copy, 'rev-parse', 'HEAD'), 'the same commit');
    assert.deepStrictEqual(reflogOf(dir, 'HEAD'), reflogOf(copy, 'HEAD'));
    assert.deepStrictEqual(reflogOf(dir, 'refs/heads/main'), reflogOf(copy, 'refs/heads/main'));
    assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '');
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, '.git')).filter((f) => f.endsWith('.lock')), [], 'no lock left');
    assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling'), '');
  });

  it('moving a branch HEAD does not name takes no HEAD.lock, as `git branch -f` (which succeeds while HEAD.lock is held)', async () => {
    const { dir, copy } = repoAndCopy(false);
    const base = gitCli(dir, 'rev-parse', 'HEAD');
    for (const d of [dir, copy]) {
      gitCli(d, 'branch', 'topic', base);
      gitCli(d, 'config', 'branch.topic.remote', 'origin');
      gitCli(d, 'config', 'branch.topic.merge', 'refs/heads/topic');
    }
    const upstream = gitCli(dir, 'commit-tree', '-p', base, '-m', 'upstream', `${base}^{tree}`);
    gitCli(dir, 'update-ref', 'refs/remotes/origin/topic', upstream);
    const headLog = fs.readFileSync(path.join(dir, '.git/logs/HEAD'));
    await locks.hold(path.join(dir, '.git/HEAD.lock'));
    assert.strictEqual(await new GitClient(dir, { lock: { waitMs: 300 } }).resetBranchToUpstream('topic'), 'origin/topic');
    assert.strictEqual(gitCli(dir, 'rev-parse', 'topic'), upstream);
    assert.ok(fs.readFileSync(path.join(dir, '.git/logs/HEAD')).equals(headLog), "HEAD's reflog is not written");
    // the oracle: git moves it too while HEAD.lock is held
    fs.writeFileSync(path.join(copy, '.git/HEAD.lock'), '');
    gitCli(copy, 'fetch', '-q', dir, 'refs/remotes/origin/topic:refs/remotes/origin/topic');
    gitCli(copy, 'branch', '-f', 'topic', 'origin/topic');
    assert.strictEqual(gitCli(copy, 'rev-parse', 'topic'), upstream);
    assert.deepStrictEqual(reflogOf(dir, 'refs/heads/topic'), reflogOf(copy, 'refs/heads/topic'));
  });

  it('a pull (fast-forward) while HEAD.lock is held appends nothing and writes no file; after it, the same reflog as git pull', async () => {
    const { dir, other, authed } = await clonedWithTeammate(tmp, server(), 'headlock-pull');
    commitFiles(other, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Incoming') }, 'incoming');
    await gitCliAsync(other, 'push', '-q', 'origin', 'HEAD:main');
    const copy = path.join(tmp.make(), 'copy');
    fs.cpSync(dir, copy, { recursive: true });
    gitCli(copy, 'remote', 'set-url', 'origin', authed);
    const before = gitCli(dir, 'rev-parse', 'HEAD');
    const headLog = fs.readFileSync(path.join(dir, '.git/logs/HEAD'));
    const index = fs.readFileSync(path.join(dir, '.git/index'));
    const lock = path.join(dir, '.git/HEAD.lock');
    await locks.hold(lock);
    const client = new GitClient(dir, { auth: serverAuth, lock: { waitMs: 200 } });
    const err = await rejects(client.pull(), GitErrorCode.IndexLocked);
    assert.match(err.message, /HEAD\.lock exists/);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'HEAD'), before);
    assert.ok(fs.readFileSync(path.join(dir, '.git/logs/HEAD')).equals(headLog), 'no entry appended to logs/HEAD');
    assert.ok(fs.readFileSync(path.join(dir, '.git/index')).equals(index), 'the index is as it was');
    assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '', 'no file was written');
    await locks.release(lock);
    await client.pull();
    await gitCliAsync(copy, 'pull');
    assert.strictEqual(gitCli(dir, 'rev-parse', 'HEAD'), gitCli(copy, 'rev-parse', 'HEAD'));
    // (the identity aside: git's entries are the CLI user's, Hammock's the configured author's)
    const entries = (d: string) => reflogOf(d, 'HEAD').map((l) => l.replace(/^(\S+ \S+) [^\t]*\t/, '$1\t'));
    assert.deepStrictEqual(entries(dir), entries(copy));
    assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling'), '');
  });
});
