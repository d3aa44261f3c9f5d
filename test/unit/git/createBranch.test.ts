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
import { commitFiles, gitCli, initRepo, legacySeed, rejects, requestYaml, TempDirs } from './gitTestRepos';

describe('create branch under the branch lock, as git branch', function () {
  this.timeout(30_000);
  const tmp = new TempDirs();
  // the module object Hammock's `fs/promises` import reads from
  const fsp = fs.promises;
  const realOpen = fsp.open;
  let git: ChildProcess | undefined;
  afterEach(() => {
    fsp.open = realOpen;
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
});
