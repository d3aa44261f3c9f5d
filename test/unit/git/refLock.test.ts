// Refs are updated as git updates them: under the ref's lock (`refs/heads/main.lock`, created exclusively), and a
// branch only if it still holds what the operation read (git's ref transaction). So Hammock and a git command (the
// CLI, VS Code's Git) never overwrite each other's ref update: a lock another process holds is waited for, then
// reported; a branch moved meanwhile is reported, never silently set back. The git CLI is the oracle: it refuses the
// same commit while the same lock is held.

import * as assert from 'assert';
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { GitError, GitErrorCode } from '../../../src/git/gitError';
import { updateRefFile } from '../../../src/git/plumbing/gitFs';
import { GitServer } from '../../support/gitServer';
import { commitFiles, gitCli, gitCliAsync, holdLock, initRepo, legacySeed, rejects, requestYaml, TempDirs, writeFiles } from './gitTestRepos';

describe('ref updates under git ref locks', function () {
  this.timeout(30_000);
  const tmp = new TempDirs();
  let holder: ChildProcess | undefined;
  afterEach(() => {
    if (holder && holder.exitCode === null) holder.kill();
    holder = undefined;
    tmp.cleanup();
  });

  it("a commit while another process holds the branch's lock waits, then fails naming it; nothing moves, as with git", async () => {
    const dir = initRepo(tmp.make(), legacySeed(3));
    const before = gitCli(dir, 'rev-parse', 'HEAD');
    const lock = path.join(dir, '.git/refs/heads/main.lock');
    holder = await holdLock(lock);
    writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Edited') });
    const client = new GitClient(dir);
    await client.stage(['.insomnia/Request/req_1.yml']);
    const started = Date.now();
    const err = await rejects(client.commit('blocked'), GitErrorCode.IndexLocked);
    assert.ok(Date.now() - started >= 900, 'waited about a second first');
    assert.match(err.message, /refs\/heads\/main\.lock exists/);
    assert.strictEqual(err.details.lockHolder?.pid, holder.pid);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'HEAD'), before, 'the branch did not move');
    assert.ok(fs.existsSync(lock), "the other process's lock is left alone");
    // the oracle: git refuses the same commit while the lock is held
    assert.throws(() => gitCli(dir, 'commit', '-q', '-m', 'cli blocked'), /main\.lock/);
    holder.kill();
    await new Promise((r) => holder!.once('exit', r));
    fs.rmSync(lock);
    await client.commit('after the lock');
    assert.strictEqual(gitCli(dir, 'rev-parse', 'HEAD~1'), before);
    assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '');
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, '.git/refs/heads')), ['main'], 'no temporary or lock file left');
    assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling'), '');
  });

  it('switching branches while HEAD.lock is held fails naming it before any file is written', async () => {
    const dir = initRepo(tmp.make(), legacySeed(3));
    gitCli(dir, 'checkout', '-q', '-b', 'side');
    commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Side') }, 'side');
    gitCli(dir, 'checkout', '-q', 'main');
    const index = fs.readFileSync(path.join(dir, '.git/index'));
    holder = await holdLock(path.join(dir, '.git/HEAD.lock'));
    const err = await rejects(new GitClient(dir, { lock: { waitMs: 200 } }).checkout('side'), GitErrorCode.IndexLocked);
    assert.match(err.message, /HEAD\.lock exists/);
    assert.strictEqual(gitCli(dir, 'symbolic-ref', 'HEAD'), 'refs/heads/main');
    assert.ok(fs.readFileSync(path.join(dir, '.git/index')).equals(index), 'the index is as it was');
    assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '', 'the files are as they were');
    holder.kill();
    await new Promise((r) => holder!.once('exit', r));
    fs.rmSync(path.join(dir, '.git/HEAD.lock'));
    await new GitClient(dir).checkout('side');
    assert.strictEqual(gitCli(dir, 'symbolic-ref', 'HEAD'), 'refs/heads/side');
    assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '');
  });

  it("a pull while another process holds the branch's lock fails before writing any file; after it, the pull completes", async () => {
    const server = await GitServer.start({ projectRoot: tmp.make('hammock-reflock-server-') });
    try {
      const seed = initRepo(tmp.make(), legacySeed(3));
      server.createBareRepo('locked', { seedDir: seed });
      const remote = server.url('locked').replace('://', '://u:secret-token@');
      const dir = path.join(tmp.make(), 'work');
      await gitCliAsync(path.dirname(dir), 'clone', '-q', remote, dir);
      gitCli(seed, 'remote', 'add', 'origin', remote);
      commitFiles(seed, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Incoming') }, 'incoming');
      await gitCliAsync(seed, 'push', '-q', 'origin', 'HEAD:main');
      const before = gitCli(dir, 'rev-parse', 'HEAD');
      const index = fs.readFileSync(path.join(dir, '.git/index'));
      const lock = path.join(dir, '.git/refs/heads/main.lock');
      holder = await holdLock(lock);
      const auth = { getCredentials: () => ({ username: 'u', token: 'secret-token' }), requestCredentials: async () => undefined };
      const client = new GitClient(dir, { auth, lock: { waitMs: 200 } });
      const err = await rejects(client.pull(), GitErrorCode.IndexLocked);
      assert.match(err.message, /main\.lock exists/);
      assert.strictEqual(gitCli(dir, 'rev-parse', 'HEAD'), before);
      assert.ok(fs.readFileSync(path.join(dir, '.git/index')).equals(index), 'the index is as it was');
      assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '', 'no file was written');
      holder.kill();
      await new Promise((r) => holder!.once('exit', r));
      fs.rmSync(lock);
      await client.pull();
      assert.strictEqual(gitCli(dir, 'rev-parse', 'HEAD'), gitCli(seed, 'rev-parse', 'HEAD'));
      assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '');
      assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling'), '');
    } finally {
      await server.close();
    }
  });

  /** a clone `dir` of a server's repository, which has a commit it has not; `pull` runs a new client's pull of it. */
  async function behindByOne(name: string): Promise<{ dir: string; before: string; logs: () => string[]; pull: () => Promise<unknown>; close: () => Promise<void> }> {
    const server = await GitServer.start({ projectRoot: tmp.make('hammock-reflock-server-') });
    const seed = initRepo(tmp.make(), legacySeed(3));
    server.createBareRepo(name, { seedDir: seed });
    const remote = server.url(name).replace('://', '://u:secret-token@');
    const dir = path.join(tmp.make(), 'work');
    await gitCliAsync(path.dirname(dir), 'clone', '-q', remote, dir);
    gitCli(seed, 'remote', 'add', 'origin', remote);
    commitFiles(seed, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Incoming') }, 'incoming');
    await gitCliAsync(seed, 'push', '-q', 'origin', 'HEAD:main');
    const auth = { getCredentials: () => ({ username: 'u', token: 'secret-token' }), requestCredentials: async () => undefined };
    return {
      dir,
      before: gitCli(dir, 'rev-parse', 'HEAD'),
      logs: () => ['logs/HEAD', 'logs/refs/heads/main'].map((f) => fs.readFileSync(path.join(dir, '.git', f), 'utf8')),
      pull: () => new GitClient(dir, { auth }).pull(),
      close: () => server.close(),
    };
  }

  // the branch's new value is written into its lock while the index and ORIG_HEAD are: it is logged and moved only
  // once both are in place
  it('a pull whose ORIG_HEAD cannot be written moves no branch and logs nothing', async () => {
    const r = await behindByOne('orig');
    try {
      const logsBefore = r.logs();
      // a folder where ORIG_HEAD goes: the rename over it fails
      fs.mkdirSync(path.join(r.dir, '.git/ORIG_HEAD/in-the-way'), { recursive: true });
      await assert.rejects(r.pull());
      assert.strictEqual(gitCli(r.dir, 'rev-parse', 'HEAD'), r.before, 'the branch did not move');
      assert.deepStrictEqual(r.logs(), logsBefore, 'no reflog entry for a move that did not happen');
      for (const f of ['refs/heads/main.lock', 'HEAD.lock', 'index.lock']) assert.ok(!fs.existsSync(path.join(r.dir, '.git', f)), `${f} released`);
      assert.strictEqual(gitCli(r.dir, 'fsck', '--strict', '--no-dangling'), '');
    } finally {
      await r.close();
    }
  });

  it('a pull whose index cannot be written moves no branch, logs nothing and puts the files back', async () => {
    const r = await behindByOne('index');
    // (the module object every `fs/promises` import shares)
    const fsp = fs.promises as { rename: typeof fs.promises.rename };
    const rename = fsp.rename;
    try {
      const logsBefore = r.logs();
      const index = fs.readFileSync(path.join(r.dir, '.git/index'));
      // the index's lock cannot be renamed over the index (a full disk, a virus scanner holding it)
      fsp.rename = async (from, to) => {
        if (String(to).endsWith(`${path.sep}index`)) throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
        return rename(from, to);
      };
      await assert.rejects(r.pull(), /i\/o error/);
      fsp.rename = rename;
      assert.strictEqual(gitCli(r.dir, 'rev-parse', 'HEAD'), r.before, 'the branch did not move');
      assert.deepStrictEqual(r.logs(), logsBefore, 'no reflog entry for a move that did not happen');
      assert.ok(fs.readFileSync(path.join(r.dir, '.git/index')).equals(index), 'the index is as it was');
      assert.strictEqual(gitCli(r.dir, 'status', '--porcelain'), '', 'the files written were put back');
      for (const f of ['refs/heads/main.lock', 'HEAD.lock', 'index.lock']) assert.ok(!fs.existsSync(path.join(r.dir, '.git', f)), `${f} released`);
      await r.pull();
      assert.notStrictEqual(gitCli(r.dir, 'rev-parse', 'HEAD'), r.before, 'then the pull completes');
      assert.strictEqual(gitCli(r.dir, 'status', '--porcelain'), '');
    } finally {
      fsp.rename = rename;
      await r.close();
    }
  });

  it('a ref name with a `..` part (a hostile remote\'s) is refused: no ref, no reflog line written outside refs/ or .git', async () => {
    const dir = initRepo(tmp.make(), { ...legacySeed(1), 'coll.yaml': 'name: mine\n' });
    const client = new GitClient(dir);
    // HEAD on a "branch" whose name climbs out of .git, as an empty clone took it from the remote's symref
    fs.writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/../../../coll.yaml\n');
    writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Changed') });
    await client.stage(['.insomnia/Request/req_1.yml']);
    await assert.rejects(client.commit('hostile'), (e: GitError) => e.code === GitErrorCode.InvalidBranchName && /not a valid ref name/.test(e.message));
    assert.strictEqual(fs.readFileSync(path.join(dir, 'coll.yaml'), 'utf8'), 'name: mine\n', "the working tree's file is untouched (no reflog line)");
    assert.ok(!fs.existsSync(path.join(path.dirname(dir), 'coll.yaml')), 'nothing written beside the repository');
    for (const bad of ['refs/heads/../../x', 'refs/heads/a/../../../x', '../x', '/tmp/x', 'refs//heads', 'refs/heads/.', 'refs\\heads\\x', 'C:/x']) {
      await assert.rejects(updateRefFile(path.join(dir, '.git'), bad, 'a'.repeat(40), null), (e: GitError) => e.code === GitErrorCode.InvalidBranchName, bad);
    }
    assert.strictEqual(gitCli(dir, 'for-each-ref', '--format=%(refname)'), 'refs/heads/main');
  });

  it('updateRefFile moves a branch only from the value it expects (loose or packed), and says so when it moved', async () => {
    const dir = initRepo(tmp.make(), legacySeed(2));
    const gitdir = path.join(dir, '.git');
    const first = gitCli(dir, 'rev-parse', 'HEAD');
    const second = commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Two') }, 'two');
    // someone else moved main to `second` since `first` was read: the update is refused and nothing is written
    let err: unknown;
    try {
      await updateRefFile(gitdir, 'refs/heads/main', first, first);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof GitError, String(err));
    assert.match(err.message, /refs\/heads\/main changed while Hammock was updating it/);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'main'), second);
    assert.ok(!fs.existsSync(path.join(gitdir, 'refs/heads/main.lock')), 'the lock is removed');
    // packed only: the expected value is read from packed-refs
    gitCli(dir, 'pack-refs', '--all', '--prune');
    assert.ok(!fs.existsSync(path.join(gitdir, 'refs/heads/main')));
    await updateRefFile(gitdir, 'refs/heads/main', first, second);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'main'), first);
    // a new branch: expected null means it must not exist yet
    await updateRefFile(gitdir, 'refs/heads/topic/new', second, null);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'topic/new'), second);
    await assert.rejects(updateRefFile(gitdir, 'refs/heads/topic/new', first, null), /changed while Hammock was updating it/);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'topic/new'), second);
    assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling'), '');
  });
});
