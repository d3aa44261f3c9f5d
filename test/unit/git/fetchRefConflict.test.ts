// A fetch that would create `refs/remotes/origin/a/b` while `refs/remotes/origin/a` exists (the remote deleted `a`
// and pushed `a/b`), or the reverse: git's directory/file conflict. git fetch refuses that one ref ("cannot lock ref
// ...: '...' exists; cannot create '...'"), updates the others and exits non-zero; with --prune, or remote.<name>.prune
// / fetch.prune set, it deletes the stale ref first and succeeds. The oracle is the git CLI on an identical copy.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { GitError, GitErrorCode } from '../../../src/git/gitError';
import { presentGitError } from '../../../src/sync/errorPresentation';
import { clonedWithTeammate, gitCli, gitCliAsync, loopbackGitServer, serverAuth as auth, TempDirs } from './gitTestRepos';

describe('fetch: a remote-tracking ref whose name conflicts with an existing one (a/b beside a), as git fetch', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  const server = loopbackGitServer(tmp);
  let n = 0;

  function copyOf(dir: string): string {
    const copy = path.join(tmp.make('hammock-copy-'), 'repo');
    fs.cpSync(dir, copy, { recursive: true });
    return copy;
  }

  /** files under .git/refs and .git/logs/refs that are no ref (a lock, a temporary file) */
  function strayFiles(dir: string): string[] {
    const out: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name));
        else if (e.name.endsWith('.lock') || e.name.startsWith('.') || e.name.includes('tmp')) out.push(path.join(d, e.name));
      }
    };
    walk(path.join(dir, '.git/refs'));
    walk(path.join(dir, '.git/logs/refs'));
    return out;
  }

  /**
   * Hammock's clone (and so origin/<from>), then the teammate deletes `from` on the remote, pushes `to` (a/b for a, or a
   * for a/b) and moves main.
   */
  async function setUp(from: string, to: string): Promise<{ dir: string; authed: string; main: string }> {
    const { dir, other, authed } = await clonedWithTeammate(tmp, server(), `df${++n}`, (o) => gitCliAsync(o, 'push', '-q', 'origin', `HEAD:${from}`).then(() => undefined));
    assert.ok(gitCli(dir, 'rev-parse', `refs/remotes/origin/${from}`));
    await gitCliAsync(other, 'push', '-q', 'origin', '--delete', from);
    gitCli(other, 'commit', '-q', '--allow-empty', '-m', 'moved on');
    await gitCliAsync(other, 'push', '-q', 'origin', `HEAD:${to}`, 'HEAD:main');
    return { dir, authed, main: gitCli(other, 'rev-parse', 'HEAD') };
  }

  for (const [from, to] of [
    ['a', 'a/b'],
    ['a/b', 'a'],
  ]) {
    it(`origin/${to} beside origin/${from}: that ref is refused with git's words and the fix, the others move, nothing half-written`, async () => {
      const { dir, authed, main } = await setUp(from, to);
      const oracle = copyOf(dir);
      const err = await new GitClient(dir, { auth }).fetch().then(
        () => assert.fail('the fetch succeeded'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof GitError, String(err));
      const blocker = `refs/remotes/origin/${from}`;
      assert.ok(err.message.includes(`cannot lock ref 'refs/remotes/origin/${to}': '${blocker}' exists; cannot create 'refs/remotes/origin/${to}'`), err.message);
      assert.match(err.message, /git remote prune origin/);
      assert.match(err.message, /remote\.origin\.prune/);
      assert.doesNotMatch(err.message, /EEXIST|ENOTDIR|EISDIR/);
      assert.strictEqual(err.code, GitErrorCode.RefNameConflict);
      assert.strictEqual(err.details.ref, `refs/remotes/origin/${to}`);
      assert.strictEqual(gitCli(dir, 'rev-parse', 'refs/remotes/origin/main'), main, 'the other refs were updated');
      assert.deepStrictEqual(strayFiles(dir), [], 'no lock or temporary file left');
      // the oracle: git fetch on an identical copy refuses the same ref, moves the same others, exits non-zero
      gitCli(oracle, 'remote', 'set-url', 'origin', authed);
      await assert.rejects(gitCliAsync(oracle, 'fetch', 'origin'), new RegExp(`cannot lock ref 'refs/remotes/origin/${to}': '${blocker}' exists`));
      assert.strictEqual(gitCli(dir, 'for-each-ref'), gitCli(oracle, 'for-each-ref'));
      assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling'), '');
      // the fix the message names: with prune, the stale ref goes first and the fetch succeeds, as git fetch --prune
      await new GitClient(dir, { auth }).fetch({ prune: true });
      await gitCliAsync(oracle, 'fetch', '--prune', 'origin');
      assert.strictEqual(gitCli(dir, 'for-each-ref'), gitCli(oracle, 'for-each-ref'));
      assert.strictEqual(gitCli(dir, 'rev-parse', `refs/remotes/origin/${to}`), main);
      assert.deepStrictEqual(strayFiles(dir), []);
      const reflogs = (d: string) =>
        fs
          .readdirSync(path.join(d, '.git/logs/refs/remotes'), { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => path.relative(path.join(d, '.git/logs'), path.join(e.parentPath, e.name)))
          .sort();
      assert.deepStrictEqual(reflogs(dir), reflogs(oracle), "the pruned ref's reflog is gone, the new one's written, as git's");
      // (git names its arguments in the entry, `fetch --prune origin: storing head`; Hammock's is a plain fetch's)
      const entry = (d: string) => gitCli(d, 'reflog', '-1', '--format=%gs %H', `refs/remotes/origin/${to}`).replace(/^[^:]*: /, '');
      assert.strictEqual(entry(dir), entry(oracle));
      assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling'), '');
    });
  }

  for (const key of ['remote.origin.prune', 'fetch.prune']) {
    it(`${key}=true makes a plain fetch prune first, as git fetch reads it`, async () => {
      const { dir, authed, main } = await setUp('a', 'a/b');
      gitCli(dir, 'config', key, 'true');
      const oracle = copyOf(dir);
      await new GitClient(dir, { auth }).fetch();
      gitCli(oracle, 'remote', 'set-url', 'origin', authed);
      await gitCliAsync(oracle, 'fetch', 'origin');
      assert.strictEqual(gitCli(dir, 'rev-parse', 'refs/remotes/origin/a/b'), main);
      assert.strictEqual(gitCli(dir, 'for-each-ref'), gitCli(oracle, 'for-each-ref'));
    });
  }

  it('remote.origin.prune=false wins over fetch.prune=true, and an explicit prune over both, as in git', async () => {
    const { dir, authed } = await setUp('a', 'a/b');
    gitCli(dir, 'config', 'fetch.prune', 'true');
    gitCli(dir, 'config', 'remote.origin.prune', 'false');
    const oracle = copyOf(dir);
    await assert.rejects(new GitClient(dir, { auth }).fetch(), (e: GitError) => e.code === GitErrorCode.RefNameConflict);
    gitCli(oracle, 'remote', 'set-url', 'origin', authed);
    await assert.rejects(gitCliAsync(oracle, 'fetch', 'origin'), /cannot lock ref/);
    assert.strictEqual(gitCli(dir, 'for-each-ref'), gitCli(oracle, 'for-each-ref'));
    await new GitClient(dir, { auth }).fetch({ prune: true });
    assert.ok(gitCli(dir, 'rev-parse', 'refs/remotes/origin/a/b'));
  });

  it('the conflict is shown as a warning naming the ref and the fix', async () => {
    const { dir } = await setUp('a', 'a/b');
    const err = await new GitClient(dir, { auth }).fetch().then(
      () => assert.fail('the fetch succeeded'),
      (e: GitError) => e,
    );
    const shown = presentGitError(err);
    assert.strictEqual(shown.severity, 'warning');
    assert.match(shown.message, /origin\/a\/b/);
    assert.match(shown.message, /git remote prune origin/);
  });
});
