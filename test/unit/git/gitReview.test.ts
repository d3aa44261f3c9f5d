// A second reading of the git layer against the git CLI on identical copies: what a ref update, a branch deletion,
// a reflog entry, a linked worktree and an outside repack leave must be what git leaves, and a lock another git
// command holds is waited for or reported as held, never written past or called stale.

import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { gitFs } from '../../../src/git/plumbing/gitFs';
import { GitCli } from '../../../src/git/systemGit';
import { createBareRepo, GitServer } from '../../support/gitServer';
import { AUTHOR, commitFiles, commitLike, copyView, gitCli, gitCliAsync, initRepo, legacySeed, pullCopies, rejects, requestYaml, sourceTransferWorker, TempDirs, writeFiles, holdLock } from './gitTestRepos';

const fsckClean = (dir: string): void => assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling'), '');

/** Two identical copies of a fresh repository (the second a byte copy of the first). */
function twins(tmp: TempDirs, files: Record<string, string>): [string, string] {
  const a = initRepo(tmp.make(), files);
  const b = path.join(tmp.make(), 'b');
  fs.cpSync(a, b, { recursive: true, verbatimSymlinks: true });
  return [a, b];
}

/** A reflog line without its timestamp (`<old> <new> <who> <seconds> <tz>\t<msg>`). */
const untimed = (line: string): string => line.replace(/> \d+ [+-]\d{4}\t/, '> T\t');

function reflogLines(dir: string, ref: string): string[] {
  const file = path.join(dir, '.git/logs', ref);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(untimed) : [];
}

describe('git review: ref locks, deletion, reflog, worktrees and repacks against the git CLI', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  let holder: ChildProcess | undefined;
  afterEach(() => {
    if (holder && holder.exitCode === null) holder.kill('SIGKILL');
    holder = undefined;
    tmp.cleanup();
  });

  const messages: [string, string][] = [
    ['runs of spaces and a tab', 'Fix  the\tlogin   request '],
    ['trailing spaces on lines and runs of blank lines', '\n\nSubject line  \n\n\n\nBody line one   \nline two\t\n\n\n'],
    ['a body line that starts with #', 'Subject\n\n# not a comment here\n'],
  ];
  for (const [what, message] of messages) {
    it(`a commit message with ${what}: the commit and reflog lines git commit -m writes, byte for byte`, async () => {
      const [h, c] = twins(tmp, legacySeed(2));
      for (const d of [h, c]) writeFiles(d, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Edited') });
      const client = new GitClient(h);
      await client.setAuthor(AUTHOR);
      await client.stage(['.insomnia/Request/req_1.yml']);
      const oid = await client.commit(message);
      gitCli(c, 'add', '-A');
      // same author and committer (and so the same commit id when the message is the same) as Hammock's
      commitLike(h, c, message);
      assert.strictEqual(gitCli(h, 'cat-file', 'commit', oid), gitCli(c, 'cat-file', 'commit', 'HEAD'));
      assert.strictEqual(gitCli(c, 'rev-parse', 'HEAD'), oid, 'the same commit');
      assert.deepStrictEqual(reflogLines(h, 'refs/heads/main').slice(-1), reflogLines(c, 'refs/heads/main').slice(-1));
      assert.deepStrictEqual(reflogLines(h, 'HEAD').slice(-1), reflogLines(c, 'HEAD').slice(-1));
      fsckClean(h);
    });
  }

  it('deleting a packed branch leaves what `git branch -D` leaves: packed-refs without it, no loose ref, no reflog', async () => {
    const h = initRepo(tmp.make(), legacySeed(2));
    gitCli(h, 'branch', 'gone');
    gitCli(h, 'branch', 'kept');
    gitCli(h, 'tag', '-a', '-m', 'annotated', 'v1'); // a peeled line in packed-refs
    gitCli(h, 'pack-refs', '--all');
    gitCli(h, 'update-ref', '-m', 'moved loose', 'refs/heads/gone', 'HEAD'); // a reflog, and packed too
    gitCli(h, 'config', 'branch.gone.remote', 'origin');
    const c = path.join(tmp.make(), 'c');
    fs.cpSync(h, c, { recursive: true });
    await new GitClient(h).deleteBranch('gone');
    gitCli(c, 'branch', '-q', '-D', 'gone');
    const git = (d: string): string => path.join(d, '.git');
    assert.strictEqual(fs.readFileSync(path.join(git(h), 'packed-refs'), 'utf8'), fs.readFileSync(path.join(git(c), 'packed-refs'), 'utf8'));
    for (const d of [h, c]) {
      assert.ok(!fs.existsSync(path.join(git(d), 'refs/heads/gone')), `${d}: no loose ref`);
      assert.ok(!fs.existsSync(path.join(git(d), 'logs/refs/heads/gone')), `${d}: no reflog of the deleted branch`);
    }
    assert.strictEqual(fs.readFileSync(path.join(git(h), 'config'), 'utf8'), fs.readFileSync(path.join(git(c), 'config'), 'utf8'));
    assert.deepStrictEqual(gitCli(h, 'for-each-ref').split('\n'), gitCli(c, 'for-each-ref').split('\n'));
    assert.deepStrictEqual(fs.readdirSync(path.join(git(h), 'refs/heads')).sort(), fs.readdirSync(path.join(git(c), 'refs/heads')).sort());
    fsckClean(h);
  });

  it('deleting a branch whose lock a git command holds fails naming it and deletes nothing (git fails on it too)', async () => {
    const [dir, cli] = twins(tmp, legacySeed(2));
    for (const d of [dir, cli]) {
      gitCli(d, 'branch', 'busy');
      gitCli(d, 'pack-refs', '--all');
    }
    const lock = path.join(dir, '.git/refs/heads/busy.lock');
    holder = await holdLock(lock);
    const err = await rejects(new GitClient(dir, { lock: { waitMs: 200 } }).deleteBranch('busy'), GitErrorCode.IndexLocked);
    assert.match(err.message, /busy\.lock exists/);
    // the oracle fails on the same lock (git 2.39 has already dropped the packed line by then; Hammock, as git's
    // later ref transactions, changes nothing)
    fs.writeFileSync(path.join(cli, '.git/refs/heads/busy.lock'), '');
    assert.throws(() => gitCli(cli, 'branch', '-D', 'busy'), /busy\.lock/);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'busy'), gitCli(dir, 'rev-parse', 'main'));
    assert.match(fs.readFileSync(path.join(dir, '.git/packed-refs'), 'utf8'), / refs\/heads\/busy\n/);
    assert.ok(fs.existsSync(lock), "the other process's lock is left alone");
    holder.kill('SIGKILL');
    await new Promise((r) => holder!.once('exit', r));
    fs.rmSync(lock);
    await new GitClient(dir).deleteBranch('busy');
    assert.throws(() => gitCli(dir, 'rev-parse', '--verify', '-q', 'busy'));
    assert.doesNotMatch(fs.readFileSync(path.join(dir, '.git/packed-refs'), 'utf8'), /busy/);
    assert.ok(!fs.existsSync(path.join(dir, '.git/packed-refs.lock')));
    fsckClean(dir);
  });

  it('deleting a packed branch while a git command holds packed-refs.lock fails naming it; the branch and its reflog stay, no lock of ours is left', async () => {
    const dir = initRepo(tmp.make(), legacySeed(2));
    gitCli(dir, 'branch', 'packed');
    gitCli(dir, 'pack-refs', '--all');
    const lock = path.join(dir, '.git/packed-refs.lock');
    holder = await holdLock(lock);
    const err = await rejects(new GitClient(dir, { lock: { waitMs: 200 } }).deleteBranch('packed'), GitErrorCode.IndexLocked);
    assert.match(err.message, /packed-refs\.lock exists/);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'packed'), gitCli(dir, 'rev-parse', 'main'));
    assert.ok(fs.existsSync(path.join(dir, '.git/logs/refs/heads/packed')));
    assert.ok(!fs.existsSync(path.join(dir, '.git/refs/heads/packed.lock')), 'the branch lock is released');
    assert.ok(fs.existsSync(lock), "the other process's lock is left alone");
    fsckClean(dir);
  });

  it('a branch in a folder goes with its emptied folders; one checked out in a linked worktree is refused, as git refuses it', async () => {
    const [h, c] = twins(tmp, legacySeed(2));
    for (const d of [h, c]) {
      gitCli(d, 'branch', 'topic/deep/gone');
      gitCli(d, 'branch', 'held');
      gitCli(d, 'worktree', 'add', '-q', path.join(path.dirname(d), path.basename(d) + '-wt'), 'held');
    }
    await new GitClient(h).deleteBranch('topic/deep/gone');
    gitCli(c, 'branch', '-q', '-D', 'topic/deep/gone');
    for (const d of [h, c]) {
      assert.deepStrictEqual(fs.readdirSync(path.join(d, '.git/refs/heads')).sort(), ['held', 'main'], d);
      assert.deepStrictEqual(fs.readdirSync(path.join(d, '.git/logs/refs/heads')).sort(), ['held', 'main'], d);
    }
    const err = await rejects(new GitClient(h).deleteBranch('held'), GitErrorCode.CannotDeleteCurrentBranch);
    assert.match(err.message, /checked out in the worktree at .*-wt/);
    assert.throws(() => gitCli(c, 'branch', '-D', 'held'), /checked out at/, 'the oracle refuses it too');
    assert.strictEqual(gitCli(h, 'rev-parse', 'held'), gitCli(h, 'rev-parse', 'main'));
    fsckClean(h);
  });

  it('a config write while `git config` holds config.lock waits, then fails naming it; nothing is written past it', async () => {
    const dir = initRepo(tmp.make(), legacySeed(1));
    const config = path.join(dir, '.git/config');
    const before = fs.readFileSync(config, 'utf8');
    holder = await holdLock(`${config}.lock`);
    const err = await rejects(new GitClient(dir, { lock: { waitMs: 200 } }).setAuthor({ name: 'New Name', email: 'new@hammock.invalid' }), GitErrorCode.IndexLocked);
    assert.match(err.message, /config\.lock exists/);
    assert.throws(() => gitCli(dir, 'config', 'user.name', 'CLI blocked'), /could not lock config file/, 'the oracle: git refuses too');
    assert.strictEqual(fs.readFileSync(config, 'utf8'), before, 'the config is as it was');
    assert.ok(fs.existsSync(`${config}.lock`), "the other process's lock is left alone");
    holder.kill('SIGKILL');
    await new Promise((r) => holder!.once('exit', r));
    fs.rmSync(`${config}.lock`);
    await new GitClient(dir).setAuthor({ name: 'New Name', email: 'new@hammock.invalid' });
    assert.strictEqual(gitCli(dir, 'config', 'user.name'), 'New Name');
    assert.deepStrictEqual(fs.readdirSync(path.join(dir, '.git')).filter((f) => f.includes('config')), ['config']);
  });

  it('checking out a branch another worktree has checked out is refused, as git refuses it; nothing moves', async () => {
    const dir = initRepo(tmp.make(), legacySeed(2));
    gitCli(dir, 'branch', 'side');
    const wt = path.join(path.dirname(dir), path.basename(dir) + '-wt');
    gitCli(dir, 'worktree', 'add', '-q', wt, 'side');
    assert.throws(() => gitCli(wt, 'checkout', '-q', 'main'), /already checked out at/, 'the oracle');
    const err = await rejects(new GitClient(wt).checkout('main'), GitErrorCode.BranchCheckedOutElsewhere);
    assert.match(err.message, new RegExp(`Cannot switch to main: main is checked out in the worktree at ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.strictEqual(gitCli(wt, 'symbolic-ref', 'HEAD'), 'refs/heads/side');
    assert.strictEqual(gitCli(wt, 'status', '--porcelain'), '');
    // and the other way round, from the main worktree
    await rejects(new GitClient(dir).checkout('side'), GitErrorCode.BranchCheckedOutElsewhere);
    assert.strictEqual(gitCli(dir, 'symbolic-ref', 'HEAD'), 'refs/heads/main');
    fsckClean(dir);
  });

  /** A repository on main whose branch `feature` is only origin's (`refs/remotes/origin/feature`): a checkout creates it. */
  function repoWithRemoteFeature(): string {
    const dir = initRepo(tmp.make(), legacySeed(2));
    gitCli(dir, 'checkout', '-q', '-b', 'feature');
    const feature = commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Feature') }, 'feature');
    gitCli(dir, 'checkout', '-q', 'main');
    gitCli(dir, 'remote', 'add', 'origin', 'https://example.invalid/r.git');
    gitCli(dir, 'update-ref', 'refs/remotes/origin/feature', feature);
    gitCli(dir, 'branch', '-q', '-D', 'feature');
    return dir;
  }

  it('checking out a remote branch while git holds config.lock: refused before any file is written, no branch, no config', async () => {
    const dir = repoWithRemoteFeature();
    const config = path.join(dir, '.git/config');
    const before = { config: fs.readFileSync(config, 'utf8'), index: fs.readFileSync(path.join(dir, '.git/index')), files: copyView(dir) };
    holder = await holdLock(`${config}.lock`);
    await rejects(new GitClient(dir, { lock: { waitMs: 200 } }).checkout('feature'), GitErrorCode.IndexLocked);
    assert.deepStrictEqual(copyView(dir), before.files, 'HEAD, index, status and files as they were');
    assert.ok(fs.readFileSync(path.join(dir, '.git/index')).equals(before.index));
    assert.strictEqual(fs.readFileSync(config, 'utf8'), before.config);
    assert.throws(() => gitCli(dir, 'rev-parse', '--verify', '-q', 'refs/heads/feature'));
    assert.ok(!fs.existsSync(path.join(dir, '.git/HEAD.lock')) && !fs.existsSync(path.join(dir, '.git/refs/heads/feature.lock')));
    holder.kill('SIGKILL');
    await new Promise((r) => holder!.once('exit', r));
    fs.rmSync(`${config}.lock`);
    await new GitClient(dir).checkout('feature');
    assert.strictEqual(gitCli(dir, 'rev-parse', '--abbrev-ref', 'feature@{upstream}'), 'origin/feature');
    assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '');
    fsckClean(dir);
  });

  it('a checkout of a remote branch that the working tree refuses leaves no tracking config behind', async () => {
    const dir = repoWithRemoteFeature();
    writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Uncommitted') });
    const config = fs.readFileSync(path.join(dir, '.git/config'), 'utf8');
    await rejects(new GitClient(dir).checkout('feature'), GitErrorCode.DirtyWorkingTree);
    assert.strictEqual(fs.readFileSync(path.join(dir, '.git/config'), 'utf8'), config);
    assert.strictEqual(fs.readFileSync(path.join(dir, '.insomnia/Request/req_1.yml'), 'utf8'), requestYaml('req_1', 'Uncommitted'));
  });

  it('a branch lock held by a git command that is still running (a reference-transaction hook) is not called stale', async () => {
    const dir = initRepo(tmp.make(), legacySeed(2));
    const hooks = path.join(dir, '.git/hooks');
    fs.mkdirSync(hooks, { recursive: true });
    const started = path.join(tmp.make(), 'started');
    fs.writeFileSync(path.join(hooks, 'reference-transaction'), `#!/bin/sh\n[ "$1" = prepared ] && touch "${started}" && sleep 30\nexit 0\n`, { mode: 0o755 });
    holder = spawn('git', ['update-ref', 'refs/heads/main', 'HEAD'], { cwd: dir, stdio: 'ignore' });
    for (let i = 0; i < 200 && !fs.existsSync(started); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(fs.existsSync(path.join(dir, '.git/refs/heads/main.lock')), 'git holds the branch lock');
    writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Edited') });
    const client = new GitClient(dir, { lock: { waitMs: 100 } });
    await client.setAuthor(AUTHOR);
    await client.stage(['.insomnia/Request/req_1.yml']);
    const err = await rejects(client.commit('while git works'), GitErrorCode.IndexLocked);
    assert.doesNotMatch(err.message, /crashed/);
    assert.notStrictEqual(err.details.lockStale, true);
    assert.strictEqual(err.details.lockHolder?.pid, holder.pid);
  });

  it('in a linked worktree (`git worktree add`), checkout and commit move its HEAD and reflog as git does, not the main one', async () => {
    const [h, c] = twins(tmp, legacySeed(2));
    const wts: string[] = [];
    for (const d of [h, c]) {
      gitCli(d, 'branch', 'side');
      gitCli(d, 'branch', 'other');
      const wt = path.join(path.dirname(d), path.basename(d) + '-wt');
      gitCli(d, 'worktree', 'add', '-q', wt, 'side');
      gitCli(wt, 'config', 'user.name', AUTHOR.name);
      wts.push(wt);
    }
    const [hw, cw] = wts;
    const client = new GitClient(hw);
    await client.setAuthor(AUTHOR);
    await client.checkout('other');
    gitCli(cw, 'checkout', '-q', 'other');
    for (const [d, w] of [[h, hw], [c, cw]]) {
      assert.strictEqual(gitCli(w, 'symbolic-ref', 'HEAD'), 'refs/heads/other', w);
      assert.strictEqual(gitCli(d, 'symbolic-ref', 'HEAD'), 'refs/heads/main', d);
    }
    writeFiles(hw, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'In worktree') });
    await client.stage(['.insomnia/Request/req_1.yml']);
    const oid = await client.commit('in the worktree');
    assert.strictEqual(gitCli(h, 'rev-parse', 'other'), oid);
    assert.strictEqual(gitCli(hw, 'status', '--porcelain'), '');
    assert.strictEqual(gitCli(h, 'status', '--porcelain'), '');
    const wtLog = (d: string): string[] => fs.readFileSync(path.join(d, '.git/worktrees', path.basename(d) + '-wt', 'logs/HEAD'), 'utf8').split('\n').filter(Boolean);
    const subject = (l: string): string => l.split('\t')[1];
    assert.deepStrictEqual(wtLog(h).slice(0, 3).map(subject), wtLog(c).map(subject), 'the worktree HEAD reflog: added, checkout');
    assert.strictEqual(subject(wtLog(h)[3]), 'commit: in the worktree');
    assert.ok(!fs.existsSync(path.join(h, '.git/worktrees', path.basename(h) + '-wt', 'refs')), 'no shared ref written under the worktree');
    assert.strictEqual(fs.readFileSync(path.join(h, '.git/logs/HEAD'), 'utf8'), fs.readFileSync(path.join(c, '.git/logs/HEAD'), 'utf8'), "the main worktree's HEAD reflog is untouched");
    fsckClean(h);
  });

  it('a `git switch` while a pull fetches: the pull stops with HEAD, index and files as the switch left them (git locks HEAD too)', async () => {
    const server = await GitServer.start({ projectRoot: tmp.make('hammock-review-srv-'), token: 'review-token' });
    try {
      const seed = initRepo(tmp.make(), legacySeed(4));
      const { hammock, other } = await pullCopies(server, tmp, 'switched', seed, 'review-token', undefined!);
      commitFiles(other, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Incoming') }, 'incoming');
      await gitCliAsync(other, 'push', '-q', 'origin', 'HEAD:main');
      gitCli(hammock.dir, 'branch', 'elsewhere');
      const main = gitCli(hammock.dir, 'rev-parse', 'main');
      let switched = false;
      const onProgress = (): void => {
        if (switched) return;
        switched = true;
        gitCli(hammock.dir, 'switch', '-q', 'elsewhere'); // the user, in a terminal, while the fetch runs
      };
      const err = await hammock.pull({ onProgress }).then(
        () => undefined,
        (e: Error) => e,
      );
      assert.ok(switched, 'the switch happened during the fetch');
      assert.ok(err, 'the pull did not integrate into a branch that is no longer checked out');
      assert.match(err.message, /HEAD changed while Hammock was updating it: another git command moved it to elsewhere \(Hammock expected main\)/);
      assert.strictEqual(gitCli(hammock.dir, 'symbolic-ref', 'HEAD'), 'refs/heads/elsewhere');
      assert.strictEqual(gitCli(hammock.dir, 'rev-parse', 'main'), main, 'main did not move');
      assert.strictEqual(gitCli(hammock.dir, 'status', '--porcelain'), '', 'nothing staged or written on the other branch');
      assert.ok(!fs.existsSync(path.join(hammock.dir, '.git/HEAD.lock')) && !fs.existsSync(path.join(hammock.dir, '.git/refs/heads/main.lock')));
      fsckClean(hammock.dir);
    } finally {
      await server.close();
    }
  });

  it('a `git switch` between checkout reading HEAD and locking it: the checkout stops, nothing written', async () => {
    const dir = initRepo(tmp.make(), legacySeed(3));
    gitCli(dir, 'branch', 'elsewhere');
    gitCli(dir, 'checkout', '-q', '-b', 'side');
    commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Side') }, 'side');
    gitCli(dir, 'checkout', '-q', 'main');
    // an fs that lets the CLI switch once Hammock has read HEAD (its second read: headOid, then currentBranch)
    const real = (gitFs as unknown as { promises: Record<string, (...a: unknown[]) => Promise<unknown>> }).promises;
    let headReads = 0;
    const promises = {
      ...real,
      async readFile(p: unknown, o?: unknown): Promise<unknown> {
        const out = await real.readFile(p, o);
        if (typeof p === 'string' && p.endsWith(`${path.sep}.git${path.sep}HEAD`) && ++headReads === 2) gitCli(dir, 'switch', '-q', 'elsewhere');
        return out;
      },
    };
    const client = new GitClient(dir, { fs: { promises } as never });
    const err = await client.checkout('side').then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(headReads >= 2);
    assert.ok(err, 'the checkout did not switch from a HEAD it had not read');
    assert.match(err.message, /HEAD changed while Hammock was updating it/);
    assert.strictEqual(gitCli(dir, 'symbolic-ref', 'HEAD'), 'refs/heads/elsewhere');
    assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '');
    assert.ok(!fs.existsSync(path.join(dir, '.git/HEAD.lock')));
    fsckClean(dir);
  });

  it('Merge in Editor whose branch a git command moves while it merges: stops with nothing written (its merge commit would undo that commit)', async () => {
    const dir = initRepo(tmp.make(), legacySeed(3));
    const base = gitCli(dir, 'rev-parse', 'HEAD');
    const theirs = commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Theirs') }, 'theirs');
    gitCli(dir, 'reset', '-q', '--hard', base);
    commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Ours') }, 'ours');
    gitCli(dir, 'remote', 'add', 'origin', 'https://example.invalid/r.git');
    gitCli(dir, 'update-ref', 'refs/remotes/origin/main', theirs);
    const moved = gitCli(dir, 'commit-tree', '-p', 'HEAD', '-m', 'made by another git command', 'HEAD^{tree}');
    const real = (gitFs as unknown as { promises: Record<string, (...a: unknown[]) => Promise<unknown>> }).promises;
    let done = false;
    const promises = {
      ...real,
      async readFile(p: unknown, o?: unknown): Promise<unknown> {
        const out = await real.readFile(p, o);
        if (!done && typeof p === 'string' && p.endsWith(path.join('.git', 'refs', 'heads', 'main'))) {
          done = true;
          gitCli(dir, 'update-ref', 'refs/heads/main', moved);
        }
        return out;
      },
    };
    const before = copyView(dir);
    const client = new GitClient(dir, { fs: { promises } as never });
    await client.setAuthor(AUTHOR);
    const err = await client.mergeInEditor().then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(done, 'the branch moved while the merge was prepared');
    assert.ok(err, 'no merge state prepared on a commit the branch has left');
    assert.match(err.message, /refs\/heads\/main changed while Hammock was updating it/);
    assert.ok(!fs.existsSync(path.join(dir, '.git/MERGE_HEAD')));
    assert.strictEqual(gitCli(dir, 'rev-parse', 'main'), moved);
    assert.deepStrictEqual({ ...copyView(dir), head: before.head }, before, 'index, status and files as they were');
    fsckClean(dir);
  });

  it("a local remote through the user's git: fetch and pull write the reflog subjects git fetch and git pull write", async () => {
    const env = { GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent-hammock-home', GIT_AUTHOR_NAME: 'CLI User', GIT_AUTHOR_EMAIL: 'cli@hammock.invalid', GIT_COMMITTER_NAME: 'CLI User', GIT_COMMITTER_EMAIL: 'cli@hammock.invalid' };
    const cli = new GitCli({ env });
    const seed = initRepo(tmp.make(), legacySeed(2));
    const bare = createBareRepo(tmp.make(), 'local', { seedDir: seed });
    const client = await GitClient.clone({ url: bare, dir: path.join(tmp.make(), 'repo'), externalGit: cli, author: AUTHOR });
    const copy = path.join(tmp.make(), 'repo');
    fs.cpSync(client.dir, copy, { recursive: true });
    gitCli(seed, 'remote', 'add', 'origin', bare);
    commitFiles(seed, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Pushed') }, 'pushed');
    gitCli(seed, 'push', '-q', 'origin', 'HEAD:main', 'HEAD:refs/heads/topic');
    await client.fetch();
    gitCli(copy, 'fetch');
    const subjects = (d: string, ref: string): string => gitCli(d, 'reflog', 'show', '--format=%gs', ref, '--');
    for (const ref of ['refs/remotes/origin/main', 'refs/remotes/origin/topic']) assert.strictEqual(subjects(client.dir, ref), subjects(copy, ref), ref);
    commitFiles(seed, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Pushed') }, 'pushed again');
    gitCli(seed, 'push', '-q', 'origin', 'HEAD:main');
    await client.pull();
    gitCli(copy, 'pull');
    for (const ref of ['refs/remotes/origin/main', 'refs/heads/main', 'HEAD']) assert.strictEqual(subjects(client.dir, ref), subjects(copy, ref), ref);
    fsckClean(client.dir);
  });

  it('Set Up Sync in an empty folder, then a pull into the unborn branch: what git init, remote add and pull leave', async () => {
    const server = await GitServer.start({ projectRoot: tmp.make('hammock-review-srv-'), token: 'review-token' });
    try {
      const seed = initRepo(tmp.make(), legacySeed(3));
      server.createBareRepo('unborn', { seedDir: seed });
      const dir = tmp.make();
      const auth = { getCredentials: () => ({ token: 'review-token' }), requestCredentials: async () => undefined };
      const client = new GitClient(dir, { auth });
      await client.setUpSync({ remoteUrl: server.url('unborn'), author: AUTHOR });
      const result = await client.pull();
      assert.strictEqual(result.kind, 'fastForward');
      const cli = tmp.make();
      gitCli(cli, 'init', '-q', '-b', 'main');
      await gitCliAsync(cli, 'pull', '-q', server.url('unborn').replace('http://', 'http://u:review-token@'), 'main');
      assert.deepStrictEqual(copyView(dir), copyView(cli));
      assert.strictEqual(gitCli(dir, 'symbolic-ref', 'HEAD'), 'refs/heads/main');
      assert.deepStrictEqual(fs.readdirSync(path.join(dir, '.git')).filter((f) => f.endsWith('.lock')), []);
      fsckClean(dir);
    } finally {
      await server.close();
    }
  });

  for (const withWorker of [false, true]) {
    it(`git gc / repack -ad between two pulls of one client: the second pull (a thin pack) reads the new pack, as git pull does (${withWorker ? 'transfer worker' : 'in process'})`, async () => {
      const server = await GitServer.start({ projectRoot: tmp.make('hammock-review-srv-'), token: 'review-token' });
      const worker = withWorker ? sourceTransferWorker() : undefined;
      try {
        const seed = initRepo(tmp.make(), legacySeed(12));
        const { hammock, cli, other } = await pullCopies(server, tmp, `gc${withWorker ? 'w' : 'p'}`, seed, 'review-token', worker!);
        const push = async (i: number): Promise<void> => {
          commitFiles(other, { [`.insomnia/Request/req_${i}.yml`]: requestYaml(`req_${i}`, `Remote ${i}`) + 'x'.repeat(3000) }, `remote ${i}`);
          await gitCliAsync(other, 'push', '-q', 'origin', 'HEAD:main');
        };
        await push(1);
        await hammock.pull();
        await gitCliAsync(cli, 'pull', '-q', '--no-rebase');
        for (const d of [hammock.dir, cli]) {
          gitCli(d, 'gc', '-q', '--prune=now');
          gitCli(d, 'repack', '-adq');
          gitCli(d, 'pack-refs', '--all', '--prune');
        }
        await push(2);
        await push(3);
        const result = await hammock.pull();
        await gitCliAsync(cli, 'pull', '-q', '--no-rebase');
        assert.strictEqual(result.kind, 'fastForward');
        assert.deepStrictEqual(copyView(hammock.dir), copyView(cli));
        assert.deepStrictEqual(gitCli(hammock.dir, 'for-each-ref', '--format=%(refname) %(objectname)'), gitCli(cli, 'for-each-ref', '--format=%(refname) %(objectname)'));
        // and once more after an aggressive gc, with a commit of ours on top (a merge)
        for (const d of [hammock.dir, cli]) gitCli(d, 'gc', '-q', '--aggressive', '--prune=now');
        writeFiles(hammock.dir, { 'mine.txt': 'mine\n' });
        writeFiles(cli, { 'mine.txt': 'mine\n' });
        await hammock.stage(['mine.txt']);
        await hammock.commit('mine');
        gitCli(cli, 'add', '-A');
        gitCli(cli, 'commit', '-q', '-m', 'mine');
        await push(4);
        assert.strictEqual((await hammock.pull()).kind, 'merge');
        await gitCliAsync(cli, 'pull', '-q', '--no-rebase');
        assert.deepStrictEqual(copyView(hammock.dir).files, copyView(cli).files);
        assert.strictEqual(gitCli(hammock.dir, 'rev-parse', 'HEAD^{tree}'), gitCli(cli, 'rev-parse', 'HEAD^{tree}'));
        assert.strictEqual(gitCli(hammock.dir, 'status', '--porcelain'), '');
        fsckClean(hammock.dir);
      } finally {
        worker?.dispose();
        await server.close();
      }
    });
  }
});
