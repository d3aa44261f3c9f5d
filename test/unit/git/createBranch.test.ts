// Create Branch as `git branch <name>` makes it, beside other git commands: the branch's existence is checked once
// its lock (`refs/heads/<name>.lock`) is held, so a `git branch` of the same name that another process is finishing
// is never overwritten; a name that would be a file where a folder is (or the reverse: `a/b` beside `a`, loose or
// only in packed-refs) is refused in git's words; the reflog entry is written while the lock is held. The oracle is
// the git CLI on an identical copy.

import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { commitFiles, gitCli, initRepo, legacySeed, rejects, requestYaml, TempDirs, writeFiles } from './gitTestRepos';

describe('create branch under the branch lock, as git branch', function () {
  this.timeout(30_000);
  const tmp = new TempDirs();
  // the module object Hammock's `fs/promises` import reads from
  const fsp = fs.promises;
  const realOpen = fsp.open;
  const realRename = fsp.rename;
  let git: ChildProcess | undefined;
  afterEach(() => {
    fsp.open = realOpen;
    fsp.rename = realRename;
    if (git && git.exitCode === null) git.kill();
    tmp.cleanup();
  });

  function copyOf(dir: string): string {
    const copy = path.join(tmp.make('hammock-copy-'), 'repo');
    fs.cpSync(dir, copy, { recursive: true });
    return copy;
  }

  /** resolves once this process has found `lock` taken (it waits for it then). */
  function waitingFor(lock: string): Promise<void> {
    return new Promise((resolve) => {
      fsp.open = async (...args: Parameters<typeof fsp.open>) => {
        try {
          return await realOpen(...args);
        } catch (err) {
          if (String(args[0]) === lock && (err as NodeJS.ErrnoException).code === 'EEXIST') resolve();
          throw err;
        }
      };
    });
  }

  it("a `git branch` of the same name that another process finishes while Hammock waits for the lock is not overwritten", async () => {
    const dir = initRepo(tmp.make(), legacySeed(2));
    const first = gitCli(dir, 'rev-parse', 'HEAD');
    const second = commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Two') }, 'two');
    const oracle = copyOf(dir);
    // another git command creating `feature` at `first`: its transaction prepared (the lock held, the name checked free)
    git = spawn('git', ['update-ref', '--stdin'], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
    const out: string[] = [];
    const prepared = new Promise<void>((resolve) => git!.stdout!.on('data', (d) => (out.push(String(d)), /prepare: ok/.test(out.join('')) && resolve())));
    git.stdin!.write(`start\ncreate refs/heads/feature ${first}\nprepare\n`);
    await prepared;
    const lock = path.join(dir, '.git/refs/heads/feature.lock');
    const waiting = waitingFor(lock);
    const created = new GitClient(dir).createBranch('feature', { checkout: false });
    await waiting; // Hammock is waiting for the lock: the other command now commits
    git.stdin!.end('commit\n');
    await new Promise((r) => git!.once('exit', r));
    const err = await rejects(created, GitErrorCode.BranchExists);
    assert.match(err.message, /^A branch named 'feature' already exists\.$/);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'feature'), first, "the other command's branch stands");
    assert.strictEqual(gitCli(dir, 'rev-parse', 'HEAD'), second);
    assert.strictEqual(gitCli(dir, 'symbolic-ref', 'HEAD'), 'refs/heads/main');
    assert.ok(!fs.existsSync(lock));
    // the oracle: git branch once the other command created it
    gitCli(oracle, 'update-ref', 'refs/heads/feature', first, '');
    assert.throws(() => gitCli(oracle, 'branch', 'feature'), /fatal: a branch named 'feature' already exists/);
    assert.strictEqual(gitCli(dir, 'for-each-ref'), gitCli(oracle, 'for-each-ref'));
  });

  it('the reflog entry of a created branch, a commit and HEAD is written while the ref is locked (before the lock is renamed over it), as git does', async () => {
    const dir = initRepo(tmp.make(), legacySeed(2));
    const gitdir = path.join(dir, '.git');
    // at each rename of `<ref>.lock` over `<ref>`: the reflog's last entry then (its new value, and its message)
    const seen: { ref: string; logged: string }[] = [];
    fsp.rename = async (from, to) => {
      const f = String(from);
      const t = String(to);
      if (f === `${t}.lock` && t.startsWith(gitdir + path.sep)) {
        const ref = path.relative(gitdir, t).split(path.sep).join('/');
        const value = fs.readFileSync(f, 'utf8').trim();
        const log = path.join(gitdir, 'logs', ref);
        const last = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trimEnd().split('\n').pop()! : '';
        const oid = value.startsWith('ref: ') ? gitCli(dir, 'rev-parse', value.slice(5)) : value;
        seen.push({ ref, logged: last.split(' ')[1] === oid ? last.split('\t')[1] : 'not yet' });
      }
      return realRename(from, to);
    };
    const client = new GitClient(dir);
    await client.createBranch('side', { checkout: false });
    await client.createBranch('topic'); // and HEAD onto it
    writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Edited') });
    await client.stage(['.insomnia/Request/req_1.yml']);
    await client.commit('edit');
    fsp.rename = realRename;
    assert.deepStrictEqual(
      seen.filter((s) => s.ref !== 'index'),
      [
        { ref: 'refs/heads/side', logged: 'branch: Created from HEAD' },
        { ref: 'refs/heads/topic', logged: 'branch: Created from HEAD' },
        { ref: 'HEAD', logged: 'checkout: moving from main to topic' },
        { ref: 'refs/heads/topic', logged: 'commit: edit' },
      ],
    );
    // what git reads afterwards is the same as before the change of order
    assert.strictEqual(gitCli(dir, 'rev-parse', 'topic@{1}'), gitCli(dir, 'rev-parse', 'side'));
    assert.strictEqual(gitCli(dir, 'reflog', '-1', '--format=%gs', 'HEAD'), 'commit: edit');
    assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling'), '');
  });

  for (const [exists, create, packed] of [
    ['a', 'a/b', true],
    ['a/b', 'a', true],
    ['a', 'a/b/c', false],
    ['a/b', 'a', false],
  ] as const) {
    it(`a branch ${create} beside ${exists} (${packed ? 'only in packed-refs' : 'loose'}) is refused in git's words, and nothing is written`, async () => {
      const dir = initRepo(tmp.make(), legacySeed(2));
      gitCli(dir, 'branch', exists);
      if (packed) gitCli(dir, 'pack-refs', '--all', '--prune');
      assert.strictEqual(fs.existsSync(path.join(dir, '.git/refs/heads', exists)), !packed);
      const oracle = copyOf(dir);
      const err = await rejects(new GitClient(dir).createBranch(create), GitErrorCode.RefNameConflict);
      const words = `cannot lock ref 'refs/heads/${create}': 'refs/heads/${exists}' exists; cannot create 'refs/heads/${create}'`;
      assert.strictEqual(err.message, `${words[0].toUpperCase()}${words.slice(1)}.`);
      // the oracle: git branch on an identical copy
      assert.throws(() => gitCli(oracle, 'branch', create), (e: Error) => e.message.includes(`fatal: ${words}`));
      assert.strictEqual(gitCli(dir, 'for-each-ref'), gitCli(oracle, 'for-each-ref'));
      assert.strictEqual(gitCli(dir, 'symbolic-ref', 'HEAD'), 'refs/heads/main');
      // (git leaves the empty folder refs/heads/a it made for a/b's lock; it holds no ref)
      const files = (d: string) => fs.readdirSync(path.join(d, '.git/refs/heads'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort();
      assert.deepStrictEqual(files(dir), files(oracle), 'no lock left behind');
      assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling'), '');
    });
  }
});
