// A refused ref update has its own error code, never Unknown, and the notification the Source Control commands show
// for it (presentGitError) says which ref and what to do: a lock another process holds (IndexLocked, naming the
// lock), a ref another git command moved meanwhile (RefChanged), a fetch's non-fast-forward under a non-forced
// refspec (FetchRejectedNonFastForward), a directory/file name conflict (RefNameConflict) and a name git refuses
// (InvalidBranchName). Each is made by a real operation, and git refuses the same update on an identical copy.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { GitError, GitErrorCode } from '../../../src/git/gitError';
import { updateRefFile } from '../../../src/git/plumbing/gitFs';
import { presentGitError } from '../../../src/sync/errorPresentation';
import { clonedWithTeammate, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, lockHolders, loopbackGitServer, rejects, requestYaml, serverAuth as auth, TempDirs } from './gitTestRepos';

describe('refused ref updates: a code of their own, and a notification naming the ref and the way out', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  const server = loopbackGitServer(tmp);
  let n = 0;
  const locks = lockHolders();

  function copyOf(dir: string): string {
    const copy = path.join(tmp.make('hammock-copy-'), 'repo');
    fs.cpSync(dir, copy, { recursive: true });
    return copy;
  }

  async function caught(p: Promise<unknown>): Promise<GitError> {
    const err = await p.then(
      () => assert.fail('it succeeded'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof GitError, String(err));
    return err;
  }

  it('a ref another git command moved since it was read: RefChanged, a warning saying nothing was overwritten', async () => {
    const dir = initRepo(tmp.make(), legacySeed(2));
    const first = gitCli(dir, 'rev-parse', 'HEAD');
    const second = commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Two') }, 'two');
    const err = await caught(updateRefFile(path.join(dir, '.git'), 'refs/heads/main', second, first));
    assert.strictEqual(err.code, GitErrorCode.RefChanged);
    const shown = presentGitError(err);
    assert.strictEqual(shown.severity, 'warning');
    assert.match(shown.message, /refs\/heads\/main changed while Hammock was updating it.*Nothing was overwritten; run the operation again/);
    // the oracle: git refuses the update from a value the ref no longer holds
    assert.throws(() => gitCli(dir, 'update-ref', 'refs/heads/main', second, first), /cannot lock ref 'refs\/heads\/main': is at/);
  });

  for (const [exists, create, packed] of [
    ['topic', 'topic/x', false],
    ['topic', 'topic/x', true],
    ['topic/x', 'topic', false],
  ] as const) {
    it(`creating ${create} beside ${exists}${packed ? ' (packed)' : ''}: RefNameConflict in git's words, nothing written`, async () => {
      const dir = initRepo(tmp.make(), legacySeed(2));
      const head = gitCli(dir, 'rev-parse', 'HEAD');
      gitCli(dir, 'branch', exists);
      if (packed) gitCli(dir, 'pack-refs', '--all', '--prune');
      const oracle = copyOf(dir);
      const err = await caught(updateRefFile(path.join(dir, '.git'), `refs/heads/${create}`, head, null));
      const words = `cannot lock ref 'refs/heads/${create}': 'refs/heads/${exists}' exists; cannot create 'refs/heads/${create}'`;
      assert.strictEqual(err.code, GitErrorCode.RefNameConflict);
      assert.strictEqual(err.message, words);
      assert.strictEqual(presentGitError(err).severity, 'warning');
      // the oracle: git update-ref on an identical copy refuses in the same words
      assert.throws(() => gitCli(oracle, 'update-ref', `refs/heads/${create}`, head, ''), (e: Error) => e.message.includes(words));
      assert.strictEqual(gitCli(dir, 'for-each-ref'), gitCli(oracle, 'for-each-ref'));
      const files = (d: string) =>
        fs
          .readdirSync(path.join(d, '.git/refs/heads'), { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => e.name)
          .sort();
      assert.deepStrictEqual(files(dir), files(oracle), 'no lock left behind');
    });
  }

  it("a fetch's ref whose lock another process holds: IndexLocked naming the lock, the other refs moved", async () => {
    const { dir, other } = await clonedWithTeammate(tmp, server(), `refused${++n}`);
    gitCli(other, 'commit', '-q', '--allow-empty', '-m', 'moved on');
    await gitCliAsync(other, 'push', '-q', 'origin', 'HEAD:main', 'HEAD:dev');
    const lock = path.join(dir, '.git/refs/remotes/origin/main.lock');
    await locks.hold(lock);
    const err = await caught(new GitClient(dir, { auth, lock: { waitMs: 200 } }).fetch());
    assert.strictEqual(err.code, GitErrorCode.IndexLocked);
    assert.strictEqual(err.details.lockFile, lock);
    assert.strictEqual(err.details.ref, 'refs/remotes/origin/main');
    assert.match(presentGitError(err).message, /cannot lock ref 'refs\/remotes\/origin\/main'.*main\.lock.*fetch again/);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'refs/remotes/origin/dev'), gitCli(other, 'rev-parse', 'HEAD'));
  });

  it("a fetch's non-fast-forward under a refspec without '+': FetchRejectedNonFastForward, a warning naming the refspec", async () => {
    const { dir, other } = await clonedWithTeammate(tmp, server(), `refused${++n}`);
    gitCli(dir, 'config', 'remote.origin.fetch', 'refs/heads/*:refs/remotes/origin/*');
    gitCli(other, 'commit', '-q', '--amend', '-m', 'rewritten');
    await gitCliAsync(other, 'push', '-q', '-f', 'origin', 'HEAD:main');
    const err = await caught(new GitClient(dir, { auth }).fetch());
    assert.strictEqual(err.code, GitErrorCode.FetchRejectedNonFastForward);
    assert.strictEqual(err.details.ref, 'refs/remotes/origin/main');
    const shown = presentGitError(err);
    assert.strictEqual(shown.severity, 'warning');
    assert.match(shown.message, /! \[rejected\] main -> origin\/main \(non-fast-forward\).*no leading '\+'/);
  });

  it('a name git refuses: InvalidBranchName, shown as an error naming it', async () => {
    const dir = initRepo(tmp.make(), legacySeed(1));
    const err = await rejects(updateRefFile(path.join(dir, '.git'), 'refs/heads/../../x', gitCli(dir, 'rev-parse', 'HEAD'), null), GitErrorCode.InvalidBranchName);
    const shown = presentGitError(err);
    assert.strictEqual(shown.severity, 'error');
    assert.match(shown.message, /"refs\/heads\/\.\.\/\.\.\/x": it is not a valid ref name/);
  });
});
