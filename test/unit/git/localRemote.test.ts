// Remotes on this machine (a path or a file:// URL): classified by git's own rules (transport.c, connect.c), and
// carried by the user's git (isomorphic-git has no file transport) for clone, fetch, pull's fetch and push. Each
// result is compared with what the git CLI makes of an identical copy; `git fsck --strict` stays clean. With the
// user's git off ("never") or missing, a clear message and nothing written.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { listRemoteBranches } from '../../../src/git/remoteBranches';
import { httpsGuess, isLocalUrl, isSshUrl, localRemotePath, parseRemoteUrl, remoteTransport, type RemoteTransport } from '../../../src/git/remoteUrl';
import { acceptRemoteUrl, cloneFolderName, GitCli, missingLocalRemote, usesExternalGit } from '../../../src/git/systemGit';
import { createBareRepo } from '../../support/gitServer';
import { AUTHOR, commitFiles, gitCli, initRepo, legacySeed, rejects, requestYaml, TempDirs, writeFiles } from './gitTestRepos';

describe('local remotes (a path or file://) through the user\'s git', function () {
  this.timeout(120_000);

  describe('classification, as git reads a remote', () => {
    // [url, on Linux/macOS, on Windows]
    const table: [string, RemoteTransport, RemoteTransport][] = [
      ['/srv/repo.git', 'local', 'local'],
      ['../other.git', 'local', 'local'],
      ['./x', 'local', 'local'],
      ['repo', 'local', 'local'],
      ['repo.git', 'local', 'local'],
      ['~/repos/api.git', 'local', 'local'],
      ['./dir:with-colon', 'local', 'local'], // a slash before the first colon: a path
      ['/srv/a:b.git', 'local', 'local'],
      ['file:///srv/repo.git', 'local', 'local'],
      ['file://localhost/srv/repo.git', 'local', 'local'],
      ['file://C:/repos/api.git', 'local', 'local'],
      ['FILE:///srv/repo.git', 'other', 'other'], // git compares the scheme exactly: a remote helper "FILE"
      // a Windows drive: local everywhere (git on Linux would read host "C": the one departure from git, below)
      ['C:\\repos\\api.git', 'local', 'local'],
      ['C:/repos/api.git', 'local', 'local'],
      ['d:relative', 'ssh', 'local'],
      ['\\\\server\\share\\api.git', 'local', 'local'],
      ['host:path', 'ssh', 'ssh'],
      ['host:/abs/path.git', 'ssh', 'ssh'],
      ['git@github.com:org/repo.git', 'ssh', 'ssh'],
      ['[git@host:22]:repo.git', 'ssh', 'ssh'],
      ['ssh://git@host:2222/o/r.git', 'ssh', 'ssh'],
      ['git+ssh://host/r', 'ssh', 'ssh'],
      ['https://github.com/o/r.git', 'http', 'http'],
      ['HTTP://127.0.0.1:8080/r.git', 'http', 'http'],
      ['git://host/r.git', 'other', 'other'],
      ['file::/srv/repo.git', 'other', 'other'], // <transport>::<address>: a remote helper
      ['', 'other', 'other'],
      ['   ', 'other', 'other'],
    ];
    for (const [url, posix, windows] of table) {
      it(`${JSON.stringify(url)}: ${posix} (Linux), ${windows} (Windows)`, () => {
        assert.equal(remoteTransport(url, 'linux'), posix);
        assert.equal(remoteTransport(url, 'darwin'), posix);
        assert.equal(remoteTransport(url, 'win32'), windows);
        assert.equal(isLocalUrl(url, 'linux'), posix === 'local');
        assert.equal(isSshUrl(url, 'win32'), windows === 'ssh');
      });
    }

    it('agrees with the git CLI on this machine: what git tries to ssh to, and what it opens as a folder', () => {
      // GIT_SSH_COMMAND prints what ssh would be asked: a local path never gets there
      const tmp = new TempDirs();
      try {
        const cwd = tmp.make('hammock-local-cls-');
        const sshLog = path.join(cwd, 'ssh.log');
        const env = { ...process.env, GIT_SSH_COMMAND: `echo >>${sshLog}`, GIT_TERMINAL_PROMPT: '0' };
        for (const [url, posix] of table) {
          if (!url.trim() || process.platform === 'win32' || /^[A-Za-z]:[\\/]/.test(url)) continue;
          fs.rmSync(sshLog, { force: true });
          try {
            require('child_process').execFileSync('git', ['ls-remote', '--', url], { cwd, env, stdio: 'ignore', timeout: 10_000 });
          } catch {
            /* every one fails: nothing is there */
          }
          const triedSsh = fs.existsSync(sshLog);
          assert.equal(triedSsh, posix === 'ssh', `${url}: git ${triedSsh ? 'tried' : 'did not try'} ssh`);
        }
      } finally {
        tmp.cleanup();
      }
    });

    it('routes local remotes to the user\'s git unless it is off; keeps them as written', () => {
      for (const url of ['/srv/r.git', '../r.git', 'file:///srv/r.git']) {
        assert.ok(usesExternalGit(url, 'auto'), url);
        assert.ok(usesExternalGit(url, 'always'), url);
        assert.ok(!usesExternalGit(url, 'never'), url);
        assert.deepEqual(acceptRemoteUrl(` ${url} `, 'auto'), { url, ssh: false, local: true });
        assert.deepEqual(acceptRemoteUrl(url, 'always'), { url, ssh: false, local: true });
      }
      assert.ok(!usesExternalGit('https://h/r.git', 'auto'));
      // git:// and remote helpers: only the user's git knows them (gitDaemonRemote.test.ts)
      assert.ok(usesExternalGit('git://h/r.git', 'auto'));
      assert.ok(usesExternalGit('codecommit::us-east-1://repo', 'auto'));
      assert.ok(!usesExternalGit('git://h/r.git', 'never'));
      assert.deepEqual(acceptRemoteUrl(' git://h/r.git ', 'auto'), { url: 'git://h/r.git', ssh: false, other: true });
    });

    it('with the user\'s git off or missing: a message that says what the remote is and what to do', () => {
      assert.throws(() => acceptRemoteUrl('/srv/r.git', 'never'), (err: Error & { code?: string }) => {
        assert.equal(err.code, GitErrorCode.InvalidRemoteUrl);
        assert.match(err.message, /\/srv\/r\.git is a repository on this machine/);
        assert.match(err.message, /hammock\.git\.useSystemGit is "never"\. Set it to "auto"/);
        return true;
      });
      assert.throws(() => acceptRemoteUrl('../r.git', 'auto', false), /only through your git, which is not available here/);
      assert.throws(() => parseRemoteUrl('file:///srv/r.git'), /is a repository on this machine/);
      // scheme-less host-looking paths: most likely an https URL without its scheme
      assert.throws(() => parseRemoteUrl('github.com/org/repo.git'), /has no scheme\. Did you mean https:\/\/github\.com\/org\/repo\.git\?/);
      assert.equal(httpsGuess('gitlab.example.com/team/api'), 'https://gitlab.example.com/team/api');
      assert.equal(httpsGuess('../other.git'), undefined);
      assert.equal(httpsGuess('repo.git/sub'), undefined);
      // the other kinds keep their messages
      assert.throws(() => parseRemoteUrl('git@h:o/r.git'), /SSH remotes are not supported/);
      assert.throws(() => parseRemoteUrl('git://h/r.git'), /git:\/\/h\/r\.git is a git:\/\/ remote \(git's own protocol\): Hammock reaches such remotes only through your git, which is not available here/);
      // a remote helper's address is named as written (it was shown mangled: `codecommit://:us-east-1://repo`)
      assert.throws(() => acceptRemoteUrl('codecommit::us-east-1://repo', 'never'), /codecommit::us-east-1:\/\/repo is a remote git reaches through its helper git-remote-codecommit: .*"never"/);
    });

    it('resolves a local remote\'s folder as git does; names the clone folder as git clone does', () => {
      assert.equal(localRemotePath('../other.git', '/work/repo', path.posix), '/work/other.git');
      assert.equal(localRemotePath('file:///srv/r%20x.git', '/work', path.posix), '/srv/r x.git');
      assert.equal(localRemotePath('file://localhost/srv/r.git', '/work', path.posix), '/srv/r.git');
      assert.equal(localRemotePath('file://C:/repos/r.git', 'C:\\work', path.win32), 'C:\\repos\\r.git');
      assert.equal(localRemotePath('..\\other.git', 'C:\\work\\repo', path.win32), 'C:\\work\\other.git');
      assert.equal(cloneFolderName('/srv/api.git'), 'api');
      assert.equal(cloneFolderName('/srv/api/.git/'), 'api');
      assert.equal(cloneFolderName('file:///srv/api-collections.git'), 'api-collections');
      assert.equal(cloneFolderName('C:\\repos\\api.git'), 'api');
      assert.equal(cloneFolderName('../api'), 'api');
    });
  });

  it('the URL box: a local folder must exist (relative ones where git resolves them); a host-looking path gets its https:// URL', async () => {
    const tmp = new TempDirs();
    try {
      const root = tmp.make('hammock-local-box-');
      fs.mkdirSync(path.join(root, 'remote.git'));
      fs.mkdirSync(path.join(root, 'work'));
      assert.equal(await missingLocalRemote(path.join(root, 'remote.git')), undefined);
      assert.equal(await missingLocalRemote(`file://${path.join(root, 'remote.git')}`), undefined);
      assert.equal(await missingLocalRemote('../remote.git', path.join(root, 'work')), undefined);
      assert.equal(await missingLocalRemote('../remote.git'), undefined, 'relative, no folder to resolve it against yet: not judged');
      assert.equal(await missingLocalRemote('~/somewhere.git'), undefined, 'git expands ~');
      assert.equal(await missingLocalRemote('../nope.git', path.join(root, 'work')), `No repository at ${path.join(root, 'nope.git')}. Give the folder of a git repository, or an https:// or SSH URL.`);
      assert.equal(await missingLocalRemote('github.com/org/api.git', path.join(root, 'work')), `No repository at ${path.join(root, 'work', 'github.com/org/api.git')}. Did you mean https://github.com/org/api.git?`);
      fs.writeFileSync(path.join(root, 'file.txt'), 'x');
      assert.match((await missingLocalRemote(path.join(root, 'file.txt'))) ?? '', /^No repository at/, 'a file is no repository folder');
    } finally {
      tmp.cleanup();
    }
  });

  describe('clone, commit, push, fetch and pull against a bare repository on disk', () => {
    const tmp = new TempDirs();
    let projects: string;
    let n = 0;
    // the user's git, with no system or global config of this machine in the way
    const env = { GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent-hammock-home', GIT_AUTHOR_NAME: 'CLI User', GIT_AUTHOR_EMAIL: 'cli@hammock.invalid', GIT_COMMITTER_NAME: 'CLI User', GIT_COMMITTER_EMAIL: 'cli@hammock.invalid' };
    const cli = new GitCli({ env });

    before(() => {
      projects = tmp.make('hammock-local-projects-');
    });
    after(() => tmp.cleanup());

    function seededBare(): string {
      const seed = initRepo(tmp.make('hammock-local-seed-'), legacySeed(3));
      return createBareRepo(projects, `repo${++n}`, { seedDir: seed });
    }

    /** git clone of the same remote in `parent` (the oracle). */
    function cliClone(url: string, parent = tmp.make('hammock-local-cli-')): string {
      gitCli(parent, 'clone', '-q', url, 'wc');
      const d = path.join(parent, 'wc');
      gitCli(d, 'config', 'user.name', 'Someone Else');
      gitCli(d, 'config', 'user.email', 'else@hammock.invalid');
      return d;
    }

    /** A copy of `dir` (working tree and .git, byte for byte) for the git CLI to do the same operation on. */
    function twin(dir: string): string {
      const d = path.join(tmp.make('hammock-local-twin-'), path.basename(dir));
      fs.cpSync(dir, d, { recursive: true });
      return d;
    }

    const refs = (d: string): string => gitCli(d, 'for-each-ref', '--format=%(refname) %(objectname) %(symref)');
    const fsckStrict = (d: string): string => gitCli(d, 'fsck', '--strict', '--no-progress', '--no-dangling');

    for (const form of ['absolute path', 'file:// URL', 'relative path'] as const) {
      it(`clones from a ${form}: the same commit, refs, index, files, config and a clean status as git clone`, async () => {
        const bare = seededBare();
        const parent = tmp.make('hammock-local-wc-');
        const url = form === 'absolute path' ? bare : form === 'file:// URL' ? `file://${bare}` : path.relative(parent, bare);
        const client = await GitClient.clone({ url, dir: path.join(parent, 'repo'), externalGit: cli, author: AUTHOR });
        assert.deepEqual(fs.readdirSync(parent), ['repo'], 'no temporary folder left');
        // git clone run in the same folder (as the clone command runs it), with the URL as given
        const oracle = cliClone(url, parent);
        assert.equal(gitCli(client.dir, 'rev-parse', 'HEAD'), gitCli(oracle, 'rev-parse', 'HEAD'));
        assert.equal(refs(client.dir), refs(oracle));
        assert.equal(gitCli(client.dir, 'ls-files', '-s'), gitCli(oracle, 'ls-files', '-s'));
        assert.equal(fs.readFileSync(path.join(client.dir, '.insomnia/Request/req_2.yml'), 'utf8'), requestYaml('req_2', 'Request 2'));
        assert.equal(gitCli(client.dir, 'status', '--porcelain'), '');
        // git stores a path as an absolute one, a file:// URL as written
        assert.equal(gitCli(client.dir, 'config', 'remote.origin.url'), gitCli(oracle, 'config', 'remote.origin.url'));
        assert.ok(path.isAbsolute(gitCli(client.dir, 'config', 'remote.origin.url').replace(/^file:\/\//, '')));
        assert.equal(gitCli(client.dir, 'rev-parse', '--abbrev-ref', 'main@{upstream}'), 'origin/main');
        fsckStrict(client.dir);
      });
    }

    it('commits and pushes: the bare repository has the commit, as a git push leaves it; fsck --strict clean', async () => {
      const bare = seededBare();
      const client = await GitClient.clone({ url: bare, dir: path.join(tmp.make('hammock-local-wc-'), 'repo'), externalGit: cli, author: AUTHOR });
      const twinBare = twin(bare);
      const oracle = cliClone(twinBare);
      writeFiles(client.dir, { '.insomnia/Request/req_7.yml': requestYaml('req_7', 'Seven') });
      await client.stage(['.insomnia/Request/req_7.yml']);
      const oid = await client.commit('add seven');
      // the same commit pushed by git into the twin
      gitCli(oracle, 'fetch', '-q', client.dir, 'main');
      gitCli(oracle, 'reset', '-q', '--hard', 'FETCH_HEAD');
      gitCli(oracle, 'push', '-q', 'origin', 'main');
      const result = await client.push();
      assert.equal(result.oid, oid);
      assert.equal(gitCli(bare, 'rev-parse', 'refs/heads/main'), oid);
      assert.equal(refs(bare), refs(twinBare), 'the remote\'s refs as git push leaves them');
      assert.equal(gitCli(client.dir, 'rev-parse', 'origin/main'), oid);
      assert.equal(gitCli(client.dir, 'status', '--porcelain'), '');
      await rejects(client.push(), GitErrorCode.NothingToPush);
      fsckStrict(bare);
      fsckStrict(client.dir);

      // a new branch: pushed with its upstream set, as git push -u does
      await client.createBranch('feature', { checkout: true });
      writeFiles(client.dir, { 'f.txt': 'f\n' });
      await client.stage(['f.txt']);
      const f = await client.commit('feature');
      const pushed = await client.push();
      assert.equal(pushed.setUpstream, true);
      assert.equal(gitCli(bare, 'rev-parse', 'refs/heads/feature'), f);
      assert.equal(gitCli(client.dir, 'rev-parse', '--abbrev-ref', 'feature@{upstream}'), 'origin/feature');
    });

    it('a push the remote has moved on from: non-fast-forward, then force, as git says', async () => {
      const bare = seededBare();
      const mine = await GitClient.clone({ url: bare, dir: path.join(tmp.make('hammock-local-wc-'), 'repo'), externalGit: cli, author: AUTHOR });
      const other = cliClone(bare);
      const theirs = commitFiles(other, { 'o.txt': 'o\n' });
      gitCli(other, 'push', '-q', 'origin', 'HEAD:main');
      writeFiles(mine.dir, { 'm.txt': 'm\n' });
      await mine.stage(['m.txt']);
      const ours = await mine.commit('mine');
      await rejects(mine.push(), GitErrorCode.PushRejectedNonFastForward);
      assert.equal(gitCli(bare, 'rev-parse', 'refs/heads/main'), theirs);
      // the force push's lease (git push --force-with-lease): refused while the remote's commit is not fetched
      const refused = await rejects(mine.push({ force: true }), GitErrorCode.PushRejectedNonFastForward);
      assert.equal(refused.details.staleLease, true, refused.message);
      assert.equal(gitCli(bare, 'rev-parse', 'refs/heads/main'), theirs);
      await mine.fetch();
      await mine.push({ force: true });
      assert.equal(gitCli(bare, 'rev-parse', 'refs/heads/main'), ours);
      fsckStrict(bare);
    });

    it('fetches and pulls what someone pushed: refs, HEAD, index and status as git fetch and git pull leave an identical copy', async () => {
      const bare = seededBare();
      const client = await GitClient.clone({ url: bare, dir: path.join(tmp.make('hammock-local-wc-'), 'repo'), externalGit: cli, author: AUTHOR });
      const other = cliClone(bare);
      const theirs = commitFiles(other, { '.insomnia/Request/req_9.yml': requestYaml('req_9', 'Nine') }, 'add nine');
      gitCli(other, 'push', '-q', 'origin', 'HEAD:main', 'HEAD:refs/heads/topic');
      const copy = twin(client.dir);

      await client.fetch();
      gitCli(copy, 'fetch', '-q');
      assert.equal(refs(client.dir), refs(copy));
      assert.equal(gitCli(client.dir, 'rev-parse', 'origin/main'), theirs);
      assert.notEqual(gitCli(client.dir, 'rev-parse', 'HEAD'), theirs, 'a fetch does not move the branch');

      const result = await client.pull();
      gitCli(copy, 'pull', '-q', '--ff-only');
      assert.equal(result.kind, 'fastForward');
      assert.equal(gitCli(client.dir, 'rev-parse', 'HEAD'), gitCli(copy, 'rev-parse', 'HEAD'));
      assert.equal(refs(client.dir), refs(copy));
      assert.equal(gitCli(client.dir, 'ls-files', '-s'), gitCli(copy, 'ls-files', '-s'));
      assert.equal(gitCli(client.dir, 'status', '--porcelain'), '');
      assert.equal(fs.readFileSync(path.join(client.dir, '.insomnia/Request/req_9.yml'), 'utf8'), requestYaml('req_9', 'Nine'));
      fsckStrict(client.dir);

      // Review's listing of the remote's branches: git ls-remote's
      const listed = await listRemoteBranches(client.dir, { externalGit: cli });
      assert.equal(listed.defaultBranch, 'main');
      assert.deepEqual(listed.branches.map((b) => `${b.name} ${b.oid}`), ['main', 'topic'].map((b) => `${b} ${theirs}`));
    });

    it('a relative remote in .git/config is resolved against the working tree, as git resolves it', async () => {
      const bare = seededBare();
      const root = tmp.make('hammock-local-rel-');
      fs.cpSync(bare, path.join(root, 'remote.git'), { recursive: true });
      const dir = path.join(root, 'work');
      fs.mkdirSync(dir);
      const client = new GitClient(dir, { externalGit: cli });
      await client.setUpSync({ remoteUrl: '../remote.git', author: AUTHOR });
      assert.equal(gitCli(dir, 'config', 'remote.origin.url'), '../remote.git', 'kept as written, as git remote add keeps it');
      const copy = path.join(root, 'twin'); // beside it: the same relative path names the same remote
      fs.cpSync(dir, copy, { recursive: true });
      await client.fetch();
      gitCli(copy, 'fetch', '-q', 'origin');
      assert.equal(refs(dir), refs(copy));
      assert.equal(gitCli(dir, 'rev-parse', 'origin/main'), gitCli(bare, 'rev-parse', 'main'));
    });

    it('"always" carries local remotes the same way', async () => {
      const bare = seededBare();
      const client = await GitClient.clone({ url: `file://${bare}`, dir: path.join(tmp.make('hammock-local-wc-'), 'repo'), externalGit: cli, externalGitMode: 'always', author: AUTHOR });
      assert.equal(gitCli(client.dir, 'rev-parse', 'HEAD'), gitCli(bare, 'rev-parse', 'main'));
      await client.fetch();
    });

    it('with "never": a clear message and nothing written (no folder, no ref, no config)', async () => {
      const bare = seededBare();
      const before = refs(bare);
      const parent = tmp.make('hammock-local-never-');
      const err = await rejects(GitClient.clone({ url: bare, dir: path.join(parent, 'repo'), externalGit: cli, externalGitMode: 'never', author: AUTHOR }), GitErrorCode.InvalidRemoteUrl);
      assert.match(err.message, /is a repository on this machine.*hammock\.git\.useSystemGit is "never"\. Set it to "auto"/);
      assert.deepEqual(fs.readdirSync(parent), [], 'nothing created');

      // a repository whose remote is local: fetch, pull and push refused, its .git untouched
      const client = await GitClient.clone({ url: bare, dir: path.join(tmp.make('hammock-local-wc-'), 'repo'), externalGit: cli, author: AUTHOR });
      writeFiles(client.dir, { 'n.txt': 'n\n' });
      await client.stage(['n.txt']);
      await client.commit('n');
      const off = new GitClient(client.dir, { externalGit: cli, externalGitMode: 'never' });
      const gitState = (): string => listTree(path.join(client.dir, '.git'));
      const state = gitState();
      for (const op of [() => off.fetch(), () => off.pull(), () => off.push()]) {
        const e = await rejects(op(), GitErrorCode.InvalidRemoteUrl);
        assert.match(e.message, /hammock\.git\.useSystemGit is "never"/);
      }
      await rejects(listRemoteBranches(client.dir, { externalGit: cli, externalGitMode: 'never' }), GitErrorCode.InvalidRemoteUrl);
      assert.equal(gitState(), state, '.git unchanged');
      assert.equal(refs(bare), before, 'the remote unchanged');

      // Set Up Sync with a local URL: refused before anything is written
      const fresh = tmp.make('hammock-local-never-setup-');
      const e = await rejects(new GitClient(fresh, { externalGit: cli, externalGitMode: 'never' }).setUpSync({ remoteUrl: bare }), GitErrorCode.InvalidRemoteUrl);
      assert.match(e.message, /useSystemGit is "never"/);
      assert.deepEqual(fs.readdirSync(fresh), []);
    });

    it('without a git binary: GitNotFound saying to install git; without the user\'s git at all: what to use instead', async () => {
      const bare = seededBare();
      const noGit = new GitCli({ gitPath: path.join(projects, 'no-such-git') });
      const parent = tmp.make('hammock-local-nogit-');
      const err = await rejects(GitClient.clone({ url: bare, dir: path.join(parent, 'repo'), externalGit: noGit }), GitErrorCode.GitNotFound);
      assert.match(err.message, /is a repository on this machine \(a path or file:\/\/ URL\): Hammock reaches it through your git, and no git executable was found\. Install git/);
      assert.deepEqual(fs.readdirSync(parent), []);
      const none = await rejects(GitClient.clone({ url: bare, dir: path.join(parent, 'repo') }), GitErrorCode.InvalidRemoteUrl);
      assert.match(none.message, /only through your git, which is not available here/);
    });
  });
});

/** Every file under `dir` with its size and bytes' hash: a change anywhere shows. */
function listTree(dir: string): string {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${path.relative(dir, p)} ${require('crypto').createHash('sha1').update(fs.readFileSync(p)).digest('hex')}`);
    }
  };
  walk(dir);
  return out.join('\n');
}
