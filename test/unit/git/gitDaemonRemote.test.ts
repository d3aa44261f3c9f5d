// A git:// remote (git's own protocol, served here by a real `git daemon` on loopback): isomorphic-git speaks only
// http(s), so under "auto" the user's git carries clone, fetch, pull and push, as it does for SSH and local
// remotes; each result is compared with what the git CLI makes of the same remote. With the user's git off or
// missing, a message that says what the remote is and what to do, and nothing written.

import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { GitCli } from '../../../src/git/systemGit';
import { createBareRepo } from '../../support/gitServer';
import { freePort } from '../../support/sshServer';
import { AUTHOR, commitFiles, gitCli, initRepo, legacySeed, rejects, requestYaml, TempDirs, writeFiles } from './gitTestRepos';

/** `git daemon` serving every repository under `base`, pushes allowed; resolves once it accepts connections. */
async function startDaemon(base: string): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('git', ['daemon', '--export-all', '--enable=receive-pack', '--reuseaddr', '--verbose', `--base-path=${base}`, '--listen=127.0.0.1', `--port=${port}`, base], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent-hammock-home' },
  });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (/Ready to rumble/.test(err)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`git daemon exited ${code}: ${err}`)));
  });
  return { port, child };
}

describe('git:// remotes through the user\'s git (a real git daemon on loopback)', function () {
  this.timeout(120_000);
  const tmp = new TempDirs();
  const env = { GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent-hammock-home', GIT_AUTHOR_NAME: 'CLI User', GIT_AUTHOR_EMAIL: 'cli@hammock.invalid', GIT_COMMITTER_NAME: 'CLI User', GIT_COMMITTER_EMAIL: 'cli@hammock.invalid' };
  const cli = new GitCli({ env });
  let base: string;
  let daemon: { port: number; child: ChildProcess };
  let n = 0;

  before(async () => {
    base = tmp.make('hammock-daemon-');
    daemon = await startDaemon(base);
  });
  after(() => {
    daemon?.child.kill();
    tmp.cleanup();
  });

  /** a bare repository under the daemon's base, and its git:// URL. */
  function seeded(): { bare: string; url: string } {
    const seed = initRepo(tmp.make('hammock-daemon-seed-'), legacySeed(3));
    const name = `repo${++n}.git`;
    const bare = createBareRepo(base, name.replace(/\.git$/, ''), { seedDir: seed });
    return { bare, url: `git://127.0.0.1:${daemon.port}/${path.basename(bare)}` };
  }

  function cliClone(url: string): string {
    const parent = tmp.make('hammock-daemon-cli-');
    gitCli(parent, 'clone', '-q', url, 'wc');
    const d = path.join(parent, 'wc');
    gitCli(d, 'config', 'user.name', 'Someone Else');
    gitCli(d, 'config', 'user.email', 'else@hammock.invalid');
    return d;
  }

  const refs = (d: string): string => gitCli(d, 'for-each-ref', '--format=%(refname) %(objectname) %(symref)');

  it('clones, commits, pushes, fetches and pulls as the git CLI does; fsck --strict clean', async () => {
    const { bare, url } = seeded();
    const client = await GitClient.clone({ url, dir: path.join(tmp.make('hammock-daemon-wc-'), 'repo'), externalGit: cli, author: AUTHOR });
    const oracle = cliClone(url);
    assert.equal(gitCli(client.dir, 'rev-parse', 'HEAD'), gitCli(oracle, 'rev-parse', 'HEAD'));
    assert.equal(refs(client.dir), refs(oracle));
    assert.equal(gitCli(client.dir, 'config', 'remote.origin.url'), url, 'kept as written');
    assert.equal(gitCli(client.dir, 'ls-files', '-s'), gitCli(oracle, 'ls-files', '-s'));
    assert.equal(gitCli(client.dir, 'status', '--porcelain'), '');

    writeFiles(client.dir, { '.insomnia/Request/req_7.yml': requestYaml('req_7', 'Seven') });
    await client.stage(['.insomnia/Request/req_7.yml']);
    const oid = await client.commit('add seven');
    const pushed = await client.push();
    assert.equal(pushed.oid, oid);
    assert.equal(gitCli(bare, 'rev-parse', 'refs/heads/main'), oid);
    assert.equal(gitCli(client.dir, 'rev-parse', 'origin/main'), oid);

    // a teammate pushes; fetch and pull leave what git fetch and git pull leave on an identical copy
    gitCli(oracle, 'pull', '-q', '--ff-only');
    const theirs = commitFiles(oracle, { '.insomnia/Request/req_9.yml': requestYaml('req_9', 'Nine') }, 'add nine');
    gitCli(oracle, 'push', '-q', 'origin', 'HEAD:main');
    const copy = path.join(tmp.make('hammock-daemon-twin-'), 'repo');
    fs.cpSync(client.dir, copy, { recursive: true });
    await client.fetch();
    gitCli(copy, 'fetch', '-q');
    assert.equal(refs(client.dir), refs(copy));
    const result = await client.pull();
    gitCli(copy, 'pull', '-q', '--ff-only');
    assert.equal(result.kind, 'fastForward');
    assert.equal(gitCli(client.dir, 'rev-parse', 'HEAD'), theirs);
    assert.equal(gitCli(client.dir, 'ls-files', '-s'), gitCli(copy, 'ls-files', '-s'));
    assert.equal(gitCli(client.dir, 'status', '--porcelain'), '');
    gitCli(client.dir, 'fsck', '--strict', '--no-progress', '--no-dangling');
    gitCli(bare, 'fsck', '--strict', '--no-progress', '--no-dangling');
  });

  it('with the user\'s git off ("never") or missing: says what the remote is and what to do; nothing written', async () => {
    const { url } = seeded();
    const parent = tmp.make('hammock-daemon-never-');
    const off = await rejects(GitClient.clone({ url, dir: path.join(parent, 'repo'), externalGit: cli, externalGitMode: 'never', author: AUTHOR }), GitErrorCode.InvalidRemoteUrl);
    assert.match(off.message, /is a git:\/\/ remote \(git's own protocol\): Hammock reaches it only through your git, and the setting hammock\.git\.useSystemGit is "never"/);
    const missing = await rejects(
      GitClient.clone({ url, dir: path.join(parent, 'repo'), externalGit: new GitCli({ env, gitPath: path.join(parent, 'no-such-git') }), author: AUTHOR }),
      GitErrorCode.GitNotFound,
    );
    assert.match(missing.message, /is a git:\/\/ remote .*no git executable was found/);
    assert.deepEqual(fs.readdirSync(parent), [], 'nothing created');
  });
});
