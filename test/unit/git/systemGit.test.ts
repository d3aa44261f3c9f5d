// The network through the user's git: clone, fetch, pull and push over SSH against a real sshd on loopback
// (test/support/sshServer.ts), and HTTPS through the user's credential helper; each result compared with what
// the git CLI makes of the same remote. Local operations stay Hammock's (its checkout, merge, commit).

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { listRemoteBranches } from '../../../src/git/remoteBranches';
import { GitErrorCode } from '../../../src/git/gitError';
import { acceptRemoteUrl, cloneFolderName, GitCli, runGit, UserGit, usesExternalGit, withCredentialHelper, type ExternalGit, type VsCodeGitRepositoryLike } from '../../../src/git/systemGit';
import type { GitAuthProvider, GitCredentials } from '../../../src/git/auth';
import { GitServer, PROTECTION_MESSAGE } from '../../support/gitServer';
import { SshServer } from '../../support/sshServer';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, rejects, requestYaml, TempDirs, writeFiles } from './gitTestRepos';

describe('systemGit: the user\'s git for the network', function () {
  this.timeout(120_000);

  it('routes SSH remotes to the user\'s git (auto), every remote (always), none (never)', () => {
    for (const url of ['git@github.com:o/r.git', 'ssh://git@h:2222/o/r.git', 'git+ssh://h/r']) {
      assert.ok(usesExternalGit(url, 'auto'), url);
      assert.ok(!usesExternalGit(url, 'never'), url);
    }
    assert.ok(!usesExternalGit('https://github.com/o/r.git', 'auto'));
    assert.ok(usesExternalGit('https://github.com/o/r.git', 'always'));
  });

  it('accepts SSH URLs as written unless the user\'s git is off; names the clone folder as git does', () => {
    assert.deepEqual(acceptRemoteUrl(' git@h:o/api.git ', 'auto'), { url: 'git@h:o/api.git', ssh: true });
    assert.throws(() => acceptRemoteUrl('git@h:o/api.git', 'never'), /SSH remotes are not supported/);
    assert.deepEqual(acceptRemoteUrl('https://u:p@h/o/r.git', 'auto'), { url: 'https://h/o/r.git', username: 'u', password: 'p', ssh: false });
    assert.equal(cloneFolderName('git@github.com:org/api-collections.git'), 'api-collections');
    assert.equal(cloneFolderName('ssh://git@h:2222/team/My%20Api.git/'), 'My Api');
    assert.equal(cloneFolderName('https://h/'), 'h');
  });

  describe('over SSH (a real sshd on loopback)', () => {
    const tmp = new TempDirs();
    let ssh: SshServer;
    let projects: string;
    let cli: ExternalGit;
    let n = 0;
    const env = (): NodeJS.ProcessEnv => ({ ...process.env, ...ssh.clientEnv, GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() });

    before(async () => {
      ssh = await SshServer.start();
      projects = tmp.make('hammock-ssh-projects-');
      cli = new GitCli({ env: ssh.clientEnv });
    });
    after(async () => {
      await ssh?.close();
      tmp.cleanup();
    });

    function sshRemote(options: { protectMain?: boolean } = {}): { url: string; bare: string } {
      const seed = initRepo(tmp.make('hammock-ssh-seed-'), legacySeed(3));
      const bare = ssh.createBareRepo(projects, `repo${++n}`, { seedDir: seed, protectMain: options.protectMain });
      return { url: ssh.url(bare), bare };
    }

    /** git's own clone of the same remote, the oracle. */
    async function cliClone(url: string): Promise<string> {
      const d = path.join(tmp.make('hammock-ssh-cli-'), 'wc');
      await run(path.dirname(d), ['clone', '-q', url, d]);
      gitCli(d, 'config', 'user.name', 'Someone Else');
      gitCli(d, 'config', 'user.email', 'else@hammock.invalid');
      return d;
    }

    function run(cwd: string, args: string[]): Promise<string> {
      return new Promise((resolve, reject) => {
        require('child_process').execFile('git', args, { cwd, env: env() }, (err: Error | null, stdout: string, stderr: string) =>
          err ? reject(new Error(`git ${args.join(' ')}: ${stderr}`)) : resolve(String(stdout).trim()),
        );
      });
    }

    async function hammockClone(url: string): Promise<GitClient> {
      const dir = path.join(tmp.make('hammock-ssh-wc-'), 'repo');
      return GitClient.clone({ url, dir, externalGit: cli, author: AUTHOR });
    }

    it('clones: the same commit, refs, files and a clean status as git clone; the ssh URL kept as written', async () => {
      const { url } = sshRemote();
      const progress: string[] = [];
      const dir = path.join(tmp.make('hammock-ssh-wc-'), 'repo');
      const client = await GitClient.clone({ url, dir, externalGit: cli, author: AUTHOR, onProgress: (p) => progress.push(p.phase) });
      const oracle = await cliClone(url);
      assert.equal(gitCli(client.dir, 'rev-parse', 'HEAD'), gitCli(oracle, 'rev-parse', 'HEAD'));
      assert.equal(gitCli(client.dir, 'for-each-ref', '--format=%(refname) %(objectname)'), gitCli(oracle, 'for-each-ref', '--format=%(refname) %(objectname)'));
      assert.equal(gitCli(client.dir, 'ls-files', '-s'), gitCli(oracle, 'ls-files', '-s'));
      assert.equal(fs.readFileSync(path.join(client.dir, '.insomnia/Request/req_2.yml'), 'utf8'), requestYaml('req_2', 'Request 2'));
      assert.equal(gitCli(client.dir, 'status', '--porcelain'), '');
      assert.equal(gitCli(client.dir, 'config', 'remote.origin.url'), url);
      assert.equal(gitCli(client.dir, 'rev-parse', '--abbrev-ref', 'main@{upstream}'), 'origin/main');
      assert.ok(progress.length > 0, 'progress came through');
      assert.deepEqual(fs.readdirSync(path.dirname(dir)), ['repo'], 'no temporary folder left');
    });

    it('fetches and pulls what someone pushed, as git fetch sees it; Hammock merges locally', async () => {
      const { url } = sshRemote();
      const client = new GitClient((await hammockClone(url)).dir, { externalGit: cli });
      const other = await cliClone(url);
      const theirs = commitFiles(other, { '.insomnia/Request/req_9.yml': requestYaml('req_9', 'Nine') }, 'add nine');
      await run(other, ['push', '-q', 'origin', 'HEAD:main']);
      await client.fetch();
      assert.equal(gitCli(client.dir, 'rev-parse', 'origin/main'), theirs);
      assert.equal(gitCli(client.dir, 'rev-parse', 'origin/main'), (await run(other, ['ls-remote', 'origin', 'refs/heads/main'])).split('\t')[0]);
      assert.equal(gitCli(client.dir, 'rev-parse', 'HEAD') === theirs, false, 'a fetch does not move the branch');
      const result = await client.pull();
      assert.equal(result.kind, 'fastForward');
      assert.equal(gitCli(client.dir, 'rev-parse', 'HEAD'), theirs);
      assert.equal(gitCli(client.dir, 'status', '--porcelain'), '');
      gitCli(client.dir, 'fsck', '--no-progress');
    });

    it('pushes: the server has the commit (git ls-remote), a second push has nothing to push, upstream set', async () => {
      const { url, bare } = sshRemote();
      const client = new GitClient((await hammockClone(url)).dir, { externalGit: cli });
      writeFiles(client.dir, { '.insomnia/Request/req_7.yml': requestYaml('req_7', 'Seven') });
      await client.stage(['.insomnia/Request/req_7.yml']);
      const oid = await client.commit('add seven');
      const result = await client.push();
      assert.equal(result.oid, oid);
      assert.equal(gitCli(bare, 'rev-parse', 'refs/heads/main'), oid);
      assert.equal(gitCli(client.dir, 'rev-parse', 'origin/main'), oid);
      await rejects(client.push(), GitErrorCode.NothingToPush);

      await client.createBranch('feature', { checkout: true });
      writeFiles(client.dir, { 'f.txt': 'f\n' });
      await client.stage(['f.txt']);
      const f = await client.commit('feature');
      const pushed = await client.push();
      assert.equal(pushed.setUpstream, true);
      assert.equal(gitCli(bare, 'rev-parse', 'refs/heads/feature'), f);
      assert.equal(gitCli(client.dir, 'rev-parse', '--abbrev-ref', 'feature@{upstream}'), 'origin/feature');
    });

    it('rejections keep their codes: non-fast-forward, then force; a protected main with the hook\'s own words', async () => {
      const { url, bare } = sshRemote({ protectMain: true });
      const client = new GitClient((await hammockClone(url)).dir, { externalGit: cli });
      writeFiles(client.dir, { 'x.txt': 'x\n' });
      await client.stage(['x.txt']);
      await client.commit('x');
      const err = await rejects(client.push(), GitErrorCode.PushRejectedByRemote);
      assert.ok(err.details.remoteLines?.some((l) => l.includes(PROTECTION_MESSAGE)), JSON.stringify(err.details.remoteLines));

      const { url: url2, bare: bare2 } = sshRemote();
      const mine = new GitClient((await hammockClone(url2)).dir, { externalGit: cli });
      const other = await cliClone(url2);
      const theirs = commitFiles(other, { 'o.txt': 'o\n' });
      await run(other, ['push', '-q', 'origin', 'HEAD:main']);
      writeFiles(mine.dir, { 'm.txt': 'm\n' });
      await mine.stage(['m.txt']);
      const ours = await mine.commit('mine');
      await rejects(mine.push(), GitErrorCode.PushRejectedNonFastForward);
      assert.equal(gitCli(bare2, 'rev-parse', 'refs/heads/main'), theirs);
      // the force push's lease (git push --force-with-lease): refused while the remote's commit is not fetched
      const refused = await rejects(mine.push({ force: true }), GitErrorCode.PushRejectedNonFastForward);
      assert.equal(refused.details.staleLease, true, refused.message);
      assert.equal(gitCli(bare2, 'rev-parse', 'refs/heads/main'), theirs);
      await mine.fetch();
      await mine.push({ force: true });
      assert.equal(gitCli(bare2, 'rev-parse', 'refs/heads/main'), ours);
      assert.ok(bare);
    });

    it('lists the remote\'s branches (Review) as git ls-remote does, the default branch first', async () => {
      const { url } = sshRemote();
      const client = await hammockClone(url);
      const other = await cliClone(url);
      commitFiles(other, { 'b.txt': 'b\n' });
      await run(other, ['push', '-q', 'origin', 'HEAD:refs/heads/a-feature', 'HEAD:refs/heads/zeta']);
      const listed = await listRemoteBranches(client.dir, { externalGit: cli });
      assert.equal(listed.defaultBranch, 'main');
      assert.deepEqual(listed.branches.map((b) => b.name), ['main', 'a-feature', 'zeta']);
      const oracle = (await run(other, ['ls-remote', 'origin', 'refs/heads/*'])).split('\n').map((l) => l.split('\t'));
      for (const b of listed.branches) assert.equal(b.oid, oracle.find(([, ref]) => ref === `refs/heads/${b.name}`)?.[0], b.name);
      await rejects(listRemoteBranches(client.dir), GitErrorCode.SshNotSupported);
    });

    it('a key the server does not know: AuthFailed with ssh\'s own words; nothing cloned', async () => {
      const { url } = sshRemote();
      const stranger = path.join(tmp.make('hammock-ssh-key-'), 'id');
      require('child_process').execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
      const wrong = new GitCli({ env: { GIT_SSH_COMMAND: ssh.clientEnv.GIT_SSH_COMMAND.replace(ssh.clientKey, stranger) } });
      const dir = path.join(tmp.make('hammock-ssh-wc-'), 'repo');
      const err = await rejects(GitClient.clone({ url, dir, externalGit: wrong }), GitErrorCode.AuthFailed);
      assert.match(err.message, /Permission denied \(publickey\)/);
      assert.deepEqual(fs.readdirSync(path.dirname(dir)), []);
    });

    it('cancelled: the git child (and its ssh) end at once, Cancelled, the remote-tracking ref unchanged', async () => {
      const { url } = sshRemote();
      const client = await hammockClone(url);
      const before = gitCli(client.dir, 'rev-parse', 'origin/main');
      // an ssh that hangs before connecting: only a cancel ends it soon
      const hanging = new GitCli({ env: { GIT_SSH_COMMAND: 'sleep 600; ssh' } });
      const abort = new AbortController();
      const started = Date.now();
      const fetching = new GitClient(client.dir, { externalGit: hanging }).fetch({ signal: abort.signal });
      setImmediate(() => abort.abort());
      await rejects(fetching, GitErrorCode.Cancelled);
      assert.ok(Date.now() - started < 10_000);
      assert.equal(gitCli(client.dir, 'rev-parse', 'origin/main'), before);
    });

    /** A stand-in for a vscode.git API Repository: runs the git CLI as the extension does and throws as it does. */
    function fakeVsCodeRepo(dir: string): VsCodeGitRepositoryLike & { calls: string[] } {
      const exec = async (args: string[], kind: string): Promise<void> => {
        const r = await runGit(args, { cwd: dir, env: ssh.clientEnv, operation: kind });
        if (r.code !== 0) throw Object.assign(new Error('Failed to execute git'), { stderr: r.stderr, exitCode: r.code, gitErrorCode: kind === 'push' ? 'PushRejected' : undefined });
      };
      const repo = {
        calls: [] as string[],
        fetch: async (o?: { remote?: string; ref?: string; prune?: boolean }) => {
          repo.calls.push(`fetch ${o?.remote} ${o?.ref ?? ''}`.trim());
          await exec(['fetch', o?.remote ?? 'origin', ...(o?.ref ? [o.ref] : [])], 'fetch');
        },
        push: async (remote?: string, name?: string, _up?: boolean, force?: number) => {
          repo.calls.push(`push ${remote} ${name}${force === 0 ? ' --force' : ''}`);
          await exec(['push', ...(force === 0 ? ['--force'] : []), remote ?? 'origin', name ?? 'HEAD'], 'push');
        },
      };
      return repo;
    }

    it('through VS Code\'s Git when it has the repository open: fetch, push, up to date and rejections as the CLI path', async () => {
      const { url, bare } = sshRemote({ protectMain: true });
      const dir = (await hammockClone(url)).dir;
      const fake = fakeVsCodeRepo(dir);
      const userGit = new UserGit(cli as GitCli, (d) => (path.resolve(d) === path.resolve(dir) ? fake : undefined));
      const client = new GitClient(dir, { externalGit: userGit });
      const other = await cliClone(url);
      commitFiles(other, { 'o.txt': 'o\n' });
      await run(other, ['push', '-q', 'origin', 'HEAD:feature']);
      await client.fetch();
      assert.equal(gitCli(dir, 'rev-parse', 'origin/feature'), gitCli(other, 'rev-parse', 'HEAD'));
      await rejects(client.push(), GitErrorCode.NothingToPush);
      writeFiles(dir, { 'x.txt': 'x\n' });
      await client.stage(['x.txt']);
      await client.commit('x');
      const err = await rejects(client.push(), GitErrorCode.PushRejectedByRemote);
      assert.ok(err.details.remoteLines?.some((l) => l.includes(PROTECTION_MESSAGE)), JSON.stringify(err.details.remoteLines));
      await client.createBranch('topic', { checkout: true });
      const pushed = await client.push();
      assert.equal(gitCli(bare, 'rev-parse', 'refs/heads/topic'), pushed.oid);
      assert.deepEqual(fake.calls, ['fetch origin', 'push origin refs/heads/main:refs/heads/main', 'push origin refs/heads/topic:refs/heads/topic']);
      // a repository VS Code's Git does not have open goes through the CLI
      const elsewhere = await hammockClone(url);
      await new GitClient(elsewhere.dir, { externalGit: userGit }).fetch();
      assert.equal(fake.calls.length, 3);
    });

    it('without a git binary, SSH gets the message it always had (use the HTTPS URL)', async () => {
      const { url } = sshRemote();
      const nogit = new GitCli({ gitPath: path.join(os.tmpdir(), 'no-such-dir', 'git') });
      const err = await rejects(GitClient.clone({ url, dir: path.join(tmp.make(), 'r'), externalGit: nogit }), GitErrorCode.SshNotSupported);
      assert.match(err.message, /need git installed/);
      assert.equal(err.details.httpsUrl, `https://127.0.0.1${path.resolve(projects)}/repo${n}.git`);
    });
  });

  describe('HTTPS through the user\'s credential helper (mode always)', () => {
    const tmp = new TempDirs();
    let server: GitServer;
    const TOKEN = 'helper-token';

    before(async () => {
      server = await GitServer.start({ projectRoot: tmp.make('hammock-helper-srv-'), token: TOKEN });
    });
    after(async () => {
      await server.close();
      tmp.cleanup();
    });

    it('git credential fill feeds Hammock\'s own HTTPS client; a refused helper token is rejected back to git', async () => {
      const seed = initRepo(tmp.make('hammock-fill-seed-'), legacySeed(2));
      server.createBareRepo('filled', { seedDir: seed });
      const home = tmp.make('hammock-fill-home-');
      fs.writeFileSync(path.join(home, '.gitconfig'), '[credential]\n\thelper = store\n');
      const store = path.join(home, '.git-credentials');
      fs.writeFileSync(store, `http://user:${TOKEN}@127.0.0.1:${server.port}\n`, { mode: 0o600 });
      const userGit = new GitCli({ env: { HOME: home, GIT_CONFIG_NOSYSTEM: '1', XDG_CONFIG_HOME: path.join(home, '.config') } });
      const asked: (GitCredentials | undefined)[] = [];
      const base: GitAuthProvider = { getCredentials: () => undefined, requestCredentials: async (_u, rejected) => (asked.push(rejected), undefined) };
      const before = server.requests.length;
      const dir = path.join(tmp.make('hammock-fill-wc-'), 'repo');
      await GitClient.clone({ url: server.url('filled'), dir, auth: withCredentialHelper(base, userGit), author: AUTHOR });
      assert.ok(server.requests.slice(before).every((r) => r.authorized && r.status === 200), 'the helper\'s token went up front');
      assert.deepEqual(asked, []);
      // switched off: the helper is not asked, the server's 401 stands
      await rejects(new GitClient(dir, { auth: withCredentialHelper(base, userGit, () => false) }).fetch(), GitErrorCode.AuthRequired);
      // a token the server refuses: the base provider hears it, and git's store forgets it (git credential reject)
      fs.writeFileSync(store, `http://user:stale-token@127.0.0.1:${server.port}\n`, { mode: 0o600 });
      await rejects(new GitClient(dir, { auth: withCredentialHelper(base, userGit) }).fetch(), GitErrorCode.AuthFailed);
      assert.equal(asked.length, 2);
      assert.equal(asked[1]?.token, 'stale-token');
      assert.ok(!fs.readFileSync(store, 'utf8').includes('stale-token'));
    });

    it('clones, pushes and fetches with the token git\'s credential store holds; Hammock never saw it', async () => {
      const seed = initRepo(tmp.make('hammock-helper-seed-'), legacySeed(2));
      const bare = server.createBareRepo('helped', { seedDir: seed });
      const home = tmp.make('hammock-helper-home-');
      fs.writeFileSync(path.join(home, '.gitconfig'), '[credential]\n\thelper = store\n');
      fs.writeFileSync(path.join(home, '.git-credentials'), `http://user:${TOKEN}@127.0.0.1:${server.port}\n`, { mode: 0o600 });
      const userGit = new GitCli({ env: { HOME: home, GIT_CONFIG_NOSYSTEM: '1', XDG_CONFIG_HOME: path.join(home, '.config') } });
      const dir = path.join(tmp.make('hammock-helper-wc-'), 'repo');
      const client = await GitClient.clone({ url: server.url('helped'), dir, externalGit: userGit, externalGitMode: 'always', author: AUTHOR });
      assert.equal(gitCli(client.dir, 'rev-parse', 'HEAD'), gitCli(bare, 'rev-parse', 'refs/heads/main'));
      assert.ok(!fs.readFileSync(path.join(dir, '.git', 'config'), 'utf8').includes(TOKEN));
      const c = new GitClient(dir, { externalGit: userGit, externalGitMode: 'always' });
      writeFiles(dir, { 'h.txt': 'h\n' });
      await c.stage(['h.txt']);
      const oid = await c.commit('via helper');
      await c.push();
      assert.equal(gitCli(bare, 'rev-parse', 'refs/heads/main'), oid);
      await c.fetch();
      assert.ok(server.requests.some((r) => r.authorized && r.status === 200));
      // without the helper's token the same push fails as a credential error, in git's words
      const bareHome = tmp.make('hammock-helper-empty-');
      const noHelper = new GitClient(dir, { externalGit: new GitCli({ env: { HOME: bareHome, GIT_CONFIG_NOSYSTEM: '1' } }), externalGitMode: 'always' });
      await rejects(noHelper.fetch(), GitErrorCode.AuthFailed);
      await gitCliAsync(dir, 'status');
    });
  });
});
