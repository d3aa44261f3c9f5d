// A fetch and the remote's HEAD (`refs/remotes/<remote>/HEAD`): git fetch never rewrites one that is there (the user's
// `git remote set-head` stands), and since git 2.48 it creates a missing one (remote.<name>.followRemoteHEAD, default
// "create"; "never" leaves it absent, "always" follows the remote). isomorphic-git's fetch rewrote it on every fetch.
// Each case is compared with the git CLI on an identical copy where the installed git's behaviour is the same for
// every version (it is there: untouched); the creation of a missing one is git 2.48's.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { clonedWithTeammate, commitFiles, gitCli, gitCliAsync, loopbackGitServer, requestYaml, serverAuth as auth, TempDirs } from './gitTestRepos';


describe('fetch and refs/remotes/<remote>/HEAD, as git fetch leaves it', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  const server = loopbackGitServer(tmp);

  let n = 0;
  /** a clone by Hammock of a remote with `main` and `dev`, and a teammate's clone that pushes to it. */
  function setUp(): Promise<{ dir: string; other: string; authed: string }> {
    return clonedWithTeammate(tmp, server(), `head${++n}`, async (other) => {
      gitCli(other, 'checkout', '-q', '-b', 'dev');
      commitFiles(other, { '.insomnia/Request/req_dev.yml': requestYaml('req_dev', 'Dev') }, 'dev');
      await gitCliAsync(other, 'push', '-q', 'origin', 'dev');
      gitCli(other, 'checkout', '-q', 'main');
    });
  }

  /** a copy of `dir` whose origin carries the token, for the git CLI. */
  function cliCopy(dir: string, authed: string): string {
    const copy = path.join(tmp.make('hammock-copy-'), 'repo');
    fs.cpSync(dir, copy, { recursive: true });
    gitCli(copy, 'remote', 'set-url', 'origin', authed);
    return copy;
  }

  const headFile = (dir: string) => path.join(dir, '.git', 'refs', 'remotes', 'origin', 'HEAD');
  const remoteHead = (dir: string) => (fs.existsSync(headFile(dir)) ? gitCli(dir, 'symbolic-ref', 'refs/remotes/origin/HEAD').trim() : undefined);

  it('a clone names the remote\'s HEAD, as git clone does', async () => {
    const { dir } = await setUp();
    assert.equal(remoteHead(dir), 'refs/remotes/origin/main');
  });

  it('a fetch leaves the one the user set (`git remote set-head`) and does not rewrite its file', async () => {
    const { dir, other, authed } = await setUp();
    gitCli(dir, 'remote', 'set-head', 'origin', 'dev');
    const before = fs.statSync(headFile(dir), { bigint: true });
    commitFiles(other, { '.insomnia/Request/req_new.yml': requestYaml('req_new', 'New') }, 'new');
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    const copy = cliCopy(dir, authed);
    await new GitClient(dir, { auth }).fetch();
    await gitCliAsync(copy, 'fetch', '-q', 'origin');
    assert.equal(remoteHead(dir), 'refs/remotes/origin/dev');
    assert.equal(remoteHead(dir), remoteHead(copy));
    const after = fs.statSync(headFile(dir), { bigint: true });
    assert.equal(after.ino, before.ino, 'the file was replaced');
    assert.equal(after.mtimeNs, before.mtimeNs, 'the file was written');
    // the branch itself moved, as the CLI's did
    assert.equal(gitCli(dir, 'rev-parse', 'refs/remotes/origin/main'), gitCli(copy, 'rev-parse', 'refs/remotes/origin/main'));
  });

  it('a missing one is created, as git 2.48 does by default; "never" leaves it absent', async () => {
    const { dir } = await setUp();
    gitCli(dir, 'remote', 'set-head', 'origin', '-d');
    gitCli(dir, 'config', 'remote.origin.followRemoteHEAD', 'never');
    await new GitClient(dir, { auth }).fetch();
    assert.equal(remoteHead(dir), undefined);
    gitCli(dir, 'config', '--unset', 'remote.origin.followRemoteHEAD');
    await new GitClient(dir, { auth }).fetch();
    assert.equal(remoteHead(dir), 'refs/remotes/origin/main');
  });

  it('"always" follows the remote\'s HEAD', async () => {
    const { dir } = await setUp();
    gitCli(dir, 'remote', 'set-head', 'origin', 'dev');
    gitCli(dir, 'config', 'remote.origin.followRemoteHEAD', 'always');
    await new GitClient(dir, { auth }).fetch();
    assert.equal(remoteHead(dir), 'refs/remotes/origin/main');
    assert.equal(gitCli(dir, 'fsck', '--strict').trim(), '');
  });
});
