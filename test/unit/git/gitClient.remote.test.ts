// GitClient against a real smart-HTTP git server on loopback: clone, auth, push, pull, checkout, locks, errors.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import type { GitAuthProvider, GitCredentials } from '../../../src/git/auth';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { GitServer, PROTECTION_MESSAGE } from '../../support/gitServer';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, read, rejects, requestYaml, snapshot, TempDirs, writeFiles } from './gitTestRepos';

const TOKEN = 'secret-token';

function tokenAuth(token: string | undefined, onRequest?: (rejected: GitCredentials | undefined) => GitCredentials | undefined): GitAuthProvider & { asked: number } {
  const p = {
    asked: 0,
    getCredentials: () => (token ? { token } : undefined),
    requestCredentials: async (_url: string, rejected: GitCredentials | undefined) => {
      p.asked++;
      return onRequest?.(rejected);
    },
  };
  return p;
}

function siblings(dir: string): string[] {
  return fs.readdirSync(path.dirname(dir));
}

describe('GitClient against a loopback git server', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  let server: GitServer;
  let root: string;

  before(async () => {
    root = tmp.make('hammock-srv-');
    server = await GitServer.start({ projectRoot: root, token: TOKEN });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  let n = 0;
  /** a bare repo on the server seeded with a legacy collection; returns its URL. */
  function seededRemote(options: { protectMain?: boolean; files?: Record<string, string> } = {}): { url: string; bare: string; seed: string } {
    const seed = initRepo(tmp.make('hammock-seed-'), options.files ?? legacySeed(3));
    const name = `repo${++n}`;
    const bare = server.createBareRepo(name, { seedDir: seed, protectMain: options.protectMain });
    return { url: server.url(name), bare, seed };
  }

  /** a CLI working copy of the remote, to push changes from "someone else". */
  async function cliClone(url: string): Promise<string> {
    const d = path.join(tmp.make('hammock-cli-'), 'wc');
    await gitCliAsync(path.dirname(d), 'clone', '-q', url.replace('http://', `http://user:${TOKEN}@`), d);
    gitCli(d, 'config', 'user.name', 'Someone Else');
    gitCli(d, 'config', 'user.email', 'else@hammock.invalid');
    return d;
  }

  async function hammockClone(url: string): Promise<GitClient> {
    const dir = path.join(tmp.make('hammock-wc-'), 'repo');
    return GitClient.clone({ url, dir, auth: tokenAuth(TOKEN), author: AUTHOR });
  }

  describe('clone', () => {
    it('clones with a known token, sending it up front, and keeps it out of .git/config', async () => {
      const { url } = seededRemote();
      const before = server.requests.length;
      const client = await hammockClone(url);
      assert.strictEqual(read(client.dir, '.insomnia/Request/req_2.yml'), requestYaml('req_2', 'Request 2'));
      const mine = server.requests.slice(before);
      assert.ok(mine.length > 0 && mine.every((r) => r.authorized && r.status !== 401), 'every request carried the token, no 401');
      const config = fs.readFileSync(path.join(client.dir, '.git/config'), 'utf8');
      assert.ok(!config.includes(TOKEN));
      assert.strictEqual(gitCli(client.dir, 'status', '--porcelain'), '', 'the CLI sees a clean checkout');
      assert.strictEqual(gitCli(client.dir, 'rev-parse', 'HEAD'), gitCli(client.dir, 'rev-parse', 'origin/main'));
      assert.deepStrictEqual(siblings(client.dir), ['repo'], 'no temp folder left');
    });

    it("writes git's [core] for this file system, as git clone does, so an executable-bit change shows in both tools", async () => {
      const { url } = seededRemote();
      const client = await hammockClone(url);
      const cli = await cliClone(url);
      const core = (dir: string): string => gitCli(dir, 'config', '--local', '--get-regexp', '^core\\.').split('\n').sort().join('\n');
      assert.strictEqual(core(client.dir), core(cli));
      // isomorphic-git's init said filemode=false: git's status and Hammock's ignored a chmod +x
      for (const dir of [client.dir, cli]) fs.chmodSync(path.join(dir, '.insomnia/Request/req_1.yml'), 0o755);
      assert.strictEqual(gitCli(client.dir, 'status', '--porcelain'), gitCli(cli, 'status', '--porcelain'));
      assert.strictEqual(gitCli(client.dir, 'status', '--porcelain'), ' M .insomnia/Request/req_1.yml');
      assert.deepStrictEqual((await client.status()).changes.map((c) => [c.path, c.kind]), [['.insomnia/Request/req_1.yml', 'modified']]);
    });

    it('Set Up Sync in a new folder writes the [core] git init writes', async () => {
      const mine = tmp.make('hammock-init-');
      fs.mkdirSync(path.join(mine, '.insomnia'));
      await new GitClient(mine).setUpSync({ remoteUrl: 'https://git.example.com/team/api.git' });
      const theirs = tmp.make('hammock-cli-init-');
      gitCli(theirs, 'init', '-q');
      const core = (dir: string): string => gitCli(dir, 'config', '--local', '--get-regexp', '^core\\.').split('\n').sort().join('\n');
      assert.strictEqual(core(mine), core(theirs));
    });

    it('without a token: AuthRequired; with a token given after the 401: cloned, and the provider hears it worked', async () => {
      const { url } = seededRemote();
      const dir = path.join(tmp.make(), 'repo');
      const none = tokenAuth(undefined, () => undefined);
      await rejects(GitClient.clone({ url, dir, auth: none }), GitErrorCode.AuthRequired);
      assert.strictEqual(none.asked, 1);
      assert.ok(!fs.existsSync(dir));
      assert.deepStrictEqual(siblings(dir), []);

      const accepted: string[] = [];
      const asked = tokenAuth(undefined, () => ({ token: TOKEN }));
      asked.credentialsAccepted = (_u: string, c: GitCredentials) => void accepted.push(c.token);
      const client = await GitClient.clone({ url, dir, auth: asked });
      assert.strictEqual(asked.asked, 1);
      assert.deepStrictEqual(accepted, [TOKEN]);
      assert.ok(fs.existsSync(path.join(client.dir, '.insomnia/Workspace/wrk_1.yml')));
    });

    it('a wrong token: AuthFailed after asking once, even when the provider keeps answering', async () => {
      const { url } = seededRemote();
      const dir = path.join(tmp.make(), 'repo');
      let k = 0;
      const provider = tokenAuth('wrong-1', () => ({ token: `wrong-${++k + 1}` }));
      const err = await rejects(GitClient.clone({ url, dir, auth: provider }), GitErrorCode.AuthFailed);
      assert.strictEqual(provider.asked, 1, 'asked exactly once');
      assert.ok(!err.message.includes('wrong-'), 'the token is not in the message');
      // the same bad token handed back: no loop either
      const same = tokenAuth('wrong', () => ({ token: 'wrong' }));
      await rejects(GitClient.clone({ url, dir, auth: same }), GitErrorCode.AuthFailed);
      assert.strictEqual(same.asked, 1);
      assert.deepStrictEqual(siblings(dir), []);
    });

    it('credentials in the URL are used but neither stored nor shown', async () => {
      const { url } = seededRemote();
      const dir = path.join(tmp.make(), 'repo');
      const client = await GitClient.clone({ url: url.replace('http://', `http://me:${TOKEN}@`), dir });
      assert.ok(!fs.readFileSync(path.join(client.dir, '.git/config'), 'utf8').includes(TOKEN));
      assert.strictEqual(await client.getRemoteUrl(), url);
      const err = await rejects(
        GitClient.clone({ url: url.replace('http://', 'http://me:not-the-token@'), dir: path.join(tmp.make(), 'r') }),
        GitErrorCode.AuthFailed,
      );
      assert.ok(!JSON.stringify(err.toJSON()).includes('not-the-token'));
    });

    it('refuses a repository without Insomnia data and leaves nothing behind', async () => {
      const { url } = seededRemote({ files: { 'README.md': '# not insomnia\n', 'config.yaml': 'a: 1\n' } });
      const dir = path.join(tmp.make(), 'repo');
      const err = await rejects(GitClient.clone({ url, dir, auth: tokenAuth(TOKEN) }), GitErrorCode.NotAnInsomniaRepo);
      assert.match(err.message, /no \.insomnia\/ folder/);
      assert.deepStrictEqual(siblings(dir), []);
    });

    it('accepts a repository holding only Insomnia v5 files', async () => {
      const v5 = fs.readFileSync(path.resolve(__dirname, '../../fixtures/v5/kong-example/my_collection.yaml'), 'utf8');
      const { url } = seededRemote({ files: { 'collections/api.yaml': v5, 'README.md': 'x\n' } });
      const client = await hammockClone(url);
      assert.strictEqual(read(client.dir, 'collections/api.yaml'), v5);
    });

    it('refuses a non-empty destination', async () => {
      const { url } = seededRemote();
      const dir = tmp.make();
      fs.writeFileSync(path.join(dir, 'keep.txt'), 'mine');
      await rejects(GitClient.clone({ url, dir, auth: tokenAuth(TOKEN) }), GitErrorCode.DestinationExists);
      assert.deepStrictEqual(fs.readdirSync(dir), ['keep.txt']);
    });

    it('cancelled through the AbortSignal: Cancelled, nothing left', async () => {
      const { url } = seededRemote();
      const dir = path.join(tmp.make(), 'repo');
      const ac = new AbortController();
      await rejects(GitClient.clone({ url, dir, auth: tokenAuth(TOKEN), signal: ac.signal, onProgress: () => ac.abort() }), GitErrorCode.Cancelled);
      assert.deepStrictEqual(siblings(dir), []);
    });

    it('server down: NetworkUnreachable (ECONNREFUSED) saying what to check', async () => {
      const down = await GitServer.start({ projectRoot: root });
      const url = down.url('gone');
      await down.close();
      const dir = path.join(tmp.make(), 'repo');
      const err = await rejects(GitClient.clone({ url, dir }), GitErrorCode.NetworkUnreachable);
      assert.strictEqual(err.details.networkCode, 'ECONNREFUSED');
      assert.match(err.message, /Check the remote URL/);
      assert.deepStrictEqual(siblings(dir), []);
    });

    it('a server that accepts but never answers: NetworkUnreachable (ETIMEDOUT)', async () => {
      const net = await import('net');
      const sockets: import('net').Socket[] = [];
      const silent = net.createServer((s) => void sockets.push(s));
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
      const port = (silent.address() as { port: number }).port;
      try {
        const err = await rejects(
          GitClient.clone({ url: `http://127.0.0.1:${port}/x.git`, dir: path.join(tmp.make(), 'repo'), transport: { idleTimeoutMs: 300 } }),
          GitErrorCode.NetworkUnreachable,
        );
        assert.strictEqual(err.details.networkCode, 'ETIMEDOUT');
      } finally {
        for (const s of sockets) s.destroy();
        silent.close();
      }
    });

    it('an SSH URL: SshNotSupported with the HTTPS form', async () => {
      const err = await rejects(GitClient.clone({ url: 'git@github.com:kong/insomnia.git', dir: path.join(tmp.make(), 'r') }), GitErrorCode.SshNotSupported);
      assert.strictEqual(err.details.httpsUrl, 'https://github.com/kong/insomnia.git');
      const err2 = await rejects(
        new GitClient(tmp.make()).setUpSync({ remoteUrl: 'ssh://git@gitlab.example.com:2222/team/api.git' }),
        GitErrorCode.SshNotSupported,
      );
      assert.strictEqual(err2.details.httpsUrl, 'https://gitlab.example.com/team/api.git');
    });
  });

  describe('push', () => {
    it('pushes a new branch and sets its upstream', async () => {
      const { url, bare } = seededRemote({ protectMain: true });
      const client = await hammockClone(url);
      await client.createBranch('feature/x');
      writeFiles(client.dir, { '.insomnia/Request/req_9.yml': requestYaml('req_9', 'New') });
      await client.stage(['.insomnia/Request/req_9.yml']);
      const oid = await client.commit('add req_9');
      const res = await client.push();
      assert.strictEqual(res.setUpstream, true);
      assert.strictEqual(res.remoteRef, 'refs/heads/feature/x');
      assert.strictEqual(gitCli(bare, 'rev-parse', 'refs/heads/feature/x'), oid);
      assert.strictEqual(gitCli(client.dir, 'config', 'branch.feature/x.remote'), 'origin');
      assert.strictEqual(gitCli(client.dir, 'config', 'branch.feature/x.merge'), 'refs/heads/feature/x');
      assert.strictEqual(gitCli(client.dir, 'rev-parse', 'refs/remotes/origin/feature/x'), oid);
      await rejects(client.push(), GitErrorCode.NothingToPush);
      assert.deepStrictEqual(await client.tracking(), { upstream: 'origin/feature/x', ahead: 0, behind: 0 });
    });

    it('a push to protected main is rejected with the hook\'s own message', async () => {
      const { url, bare } = seededRemote({ protectMain: true });
      const client = await hammockClone(url);
      const before = gitCli(bare, 'rev-parse', 'main');
      writeFiles(client.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Renamed') });
      await client.stage(['.insomnia/Request/req_1.yml']);
      await client.commit('rename');
      const lines: string[] = [];
      const err = await rejects(client.push({ onMessage: (l) => lines.push(l) }), GitErrorCode.PushRejectedByRemote);
      assert.ok(err.details.remoteLines?.includes(PROTECTION_MESSAGE), JSON.stringify(err.details.remoteLines));
      assert.ok(err.message.includes(PROTECTION_MESSAGE));
      assert.ok(lines.includes(PROTECTION_MESSAGE));
      assert.strictEqual(gitCli(bare, 'rev-parse', 'main'), before);
    });

    it('non-fast-forward is rejected with its own code; a force push is refused by its lease until the remote\'s commits are fetched (as git push --force-with-lease), then overwrites', async () => {
      const { url, bare } = seededRemote();
      const client = await hammockClone(url);
      const other = await cliClone(url);
      commitFiles(other, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Theirs') });
      await gitCliAsync(other, 'push', '-q', 'origin', 'main');
      writeFiles(client.dir, { '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Ours') });
      await client.stage(['.insomnia/Request/req_3.yml']);
      const ours = await client.commit('ours');
      await rejects(client.push(), GitErrorCode.PushRejectedNonFastForward);
      const theirs = gitCli(bare, 'rev-parse', 'main');
      assert.notStrictEqual(theirs, ours);
      // git on an identical copy: --force-with-lease refuses (stale info), the remote's commit stays
      const copy = await cliClone(url);
      gitCli(copy, 'reset', '-q', '--hard', gitCli(client.dir, 'rev-parse', 'refs/remotes/origin/main'));
      gitCli(copy, 'update-ref', 'refs/remotes/origin/main', gitCli(client.dir, 'rev-parse', 'refs/remotes/origin/main'));
      commitFiles(copy, { '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Ours') });
      await assert.rejects(gitCliAsync(copy, 'push', '--force-with-lease', 'origin', 'main'), /stale info/);
      const refused = await rejects(client.push({ force: true }), GitErrorCode.PushRejectedNonFastForward);
      assert.strictEqual(refused.details.staleLease, true);
      assert.match(refused.message, /has commits you have not fetched/);
      assert.strictEqual(gitCli(bare, 'rev-parse', 'main'), theirs, "the teammate's commit is not deleted unseen");
      // fetched (seen): the force push replaces it
      await client.fetch();
      await client.push({ force: true });
      assert.strictEqual(gitCli(bare, 'rev-parse', 'main'), ours);
    });
  });

  describe('pull', () => {
    it('fast-forwards, updating files and index', async () => {
      const { url } = seededRemote();
      const client = await hammockClone(url);
      const other = await cliClone(url);
      const theirs = commitFiles(other, {
        '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Updated'),
        '.insomnia/Request/req_new.yml': requestYaml('req_new', 'Added'),
      });
      fs.rmSync(path.join(other, '.insomnia/Request/req_3.yml'));
      gitCli(other, 'commit', '-q', '-am', 'delete req_3');
      const head = gitCli(other, 'rev-parse', 'HEAD');
      await gitCliAsync(other, 'push', '-q', 'origin', 'main');
      const res = await client.pull();
      assert.strictEqual(res.kind, 'fastForward');
      assert.strictEqual(res.head, head);
      assert.notStrictEqual(theirs, head);
      assert.strictEqual(gitCli(client.dir, 'rev-parse', 'HEAD'), head);
      assert.strictEqual(read(client.dir, '.insomnia/Request/req_2.yml'), requestYaml('req_2', 'Updated'));
      assert.ok(!fs.existsSync(path.join(client.dir, '.insomnia/Request/req_3.yml')));
      assert.strictEqual(gitCli(client.dir, 'status', '--porcelain', '-uall'), '');
      assert.deepStrictEqual((await client.pull()).kind, 'upToDate');
    });

    it('merges diverged histories with a merge commit by the configured author', async () => {
      const { url } = seededRemote();
      const client = await hammockClone(url);
      const other = await cliClone(url);
      const theirs = commitFiles(other, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Theirs') });
      await gitCliAsync(other, 'push', '-q', 'origin', 'main');
      writeFiles(client.dir, { '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Ours') });
      await client.stage(['.insomnia/Request/req_3.yml']);
      const ours = await client.commit('ours');
      const local = 'local edit of an untouched file\n';
      writeFiles(client.dir, { '.insomnia/Workspace/wrk_1.yml': local });
      gitCli(client.dir, 'update-index', '--index-version', '4'); // as git writes it with feature.manyFiles
      const res = await client.pull();
      assert.strictEqual(res.kind, 'merge');
      assert.deepStrictEqual(gitCli(client.dir, 'log', '-1', '--format=%P').split(' '), [ours, theirs]);
      assert.strictEqual(gitCli(client.dir, 'log', '-1', '--format=%an <%ae>'), `${AUTHOR.name} <${AUTHOR.email}>`);
      assert.strictEqual(read(client.dir, '.insomnia/Request/req_2.yml'), requestYaml('req_2', 'Theirs'));
      assert.strictEqual(read(client.dir, '.insomnia/Request/req_3.yml'), requestYaml('req_3', 'Ours'));
      assert.strictEqual(read(client.dir, '.insomnia/Workspace/wrk_1.yml'), local, 'the uncommitted edit survives');
      assert.strictEqual(gitCli(client.dir, 'status', '--porcelain', '-uall'), ' M .insomnia/Workspace/wrk_1.yml');
      const tracking = await client.tracking();
      assert.deepStrictEqual(tracking, { upstream: 'origin/main', ahead: 2, behind: 0 });
    });

    it('a conflict is reported (file, request, fields) and changes nothing', async () => {
      const { url } = seededRemote();
      const client = await hammockClone(url);
      const other = await cliClone(url);
      commitFiles(other, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Request 1', 'https://theirs.example.com') });
      await gitCliAsync(other, 'push', '-q', 'origin', 'main');
      writeFiles(client.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Request 1', 'https://ours.example.com') });
      await client.stage(['.insomnia/Request/req_1.yml']);
      await client.commit('ours');
      writeFiles(client.dir, { 'notes.txt': 'untracked\n', '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Local edit') });
      const files = ['.insomnia/Request/req_1.yml', '.insomnia/Request/req_2.yml', 'notes.txt'];
      const before = snapshot(client.dir, files);
      const err = await rejects(client.pull(), GitErrorCode.Conflict);
      assert.deepStrictEqual(snapshot(client.dir, files), before);
      assert.ok(!fs.existsSync(path.join(client.dir, '.git/MERGE_HEAD')));
      const report = err.details.conflict!;
      assert.strictEqual(report.count, 1);
      assert.strictEqual(report.files[0].path, '.insomnia/Request/req_1.yml');
      assert.strictEqual(report.files[0].kind, 'bothModified');
      assert.deepStrictEqual(report.files[0].items, [{ id: 'req_1', name: 'Request 1', type: 'Request', fields: ['url'] }]);
      assert.match(err.message, /Request 1 \(url\)/);
    });

    it('refuses to overwrite uncommitted changes and lists them; nothing moves', async () => {
      const { url } = seededRemote();
      const client = await hammockClone(url);
      const other = await cliClone(url);
      commitFiles(other, {
        '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Theirs'),
        '.insomnia/Request/req_4.yml': requestYaml('req_4', 'Added by them'),
      });
      await gitCliAsync(other, 'push', '-q', 'origin', 'main');
      writeFiles(client.dir, {
        '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Mine, uncommitted'),
        '.insomnia/Request/req_4.yml': 'my untracked file in the way\n',
      });
      const files = ['.insomnia/Request/req_1.yml', '.insomnia/Request/req_4.yml'];
      const before = snapshot(client.dir, files);
      const err = await rejects(client.pull(), GitErrorCode.DirtyWorkingTree);
      assert.deepStrictEqual(err.details.files, files);
      assert.deepStrictEqual(snapshot(client.dir, files), before);
      // staged-only change: refused too
      fs.rmSync(path.join(client.dir, '.insomnia/Request/req_4.yml'));
      await client.stage(['.insomnia/Request/req_1.yml']);
      const err2 = await rejects(client.pull(), GitErrorCode.DirtyWorkingTree);
      assert.deepStrictEqual(err2.details.files, ['.insomnia/Request/req_1.yml']);
      assert.strictEqual(gitCli(client.dir, 'rev-parse', 'HEAD'), before.head);
    });

    it('a merge refused for uncommitted changes writes no merge commit (git writes none either)', async () => {
      const { url } = seededRemote();
      const client = await hammockClone(url);
      const other = await cliClone(url);
      commitFiles(other, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Theirs') });
      await gitCliAsync(other, 'push', '-q', 'origin', 'main');
      // diverged: a commit of ours on another file, so the pull is a merge
      writeFiles(client.dir, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Ours') });
      await client.stage(['.insomnia/Request/req_2.yml']);
      await client.commit('ours');
      writeFiles(client.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Mine, uncommitted') });
      const err = await rejects(client.pull(), GitErrorCode.DirtyWorkingTree);
      assert.deepStrictEqual(err.details.files, ['.insomnia/Request/req_1.yml']);
      const dangling = gitCli(client.dir, 'fsck', '--dangling', '--no-progress', '--no-reflogs');
      assert.doesNotMatch(dangling, /dangling commit/, 'no merge commit left behind');
      // once the way is clear, the merge is made
      gitCli(client.dir, 'checkout', '-q', '--', '.insomnia/Request/req_1.yml');
      const merged = await client.pull();
      assert.strictEqual(merged.kind, 'merge');
      assert.strictEqual(gitCli(client.dir, 'rev-parse', 'HEAD'), merged.head);
      assert.strictEqual(gitCli(client.dir, 'log', '-1', '--format=%P', 'HEAD').split(' ').length, 2);
      assert.strictEqual(gitCli(client.dir, 'status', '--porcelain'), '');
      gitCli(client.dir, 'fsck', '--strict', '--no-progress', '--no-dangling');
    });
  });

  describe('cancel', () => {
    it('a pull or push cancelled through its AbortSignal changes nothing', async () => {
      const { url, bare } = seededRemote();
      const client = await hammockClone(url);
      const other = await cliClone(url);
      commitFiles(other, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Theirs') });
      await gitCliAsync(other, 'push', '-q', 'origin', 'main');
      const before = snapshot(client.dir, ['.insomnia/Request/req_2.yml']);
      const ac = new AbortController();
      ac.abort();
      await rejects(client.pull({ signal: ac.signal }), GitErrorCode.Cancelled);
      assert.deepStrictEqual(snapshot(client.dir, ['.insomnia/Request/req_2.yml']), before);
      await client.pull();
      writeFiles(client.dir, { '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Mine') });
      await client.stage(['.insomnia/Request/req_3.yml']);
      await client.commit('mine');
      const remoteMain = gitCli(bare, 'rev-parse', 'main');
      await rejects(client.push({ signal: ac.signal }), GitErrorCode.Cancelled);
      assert.strictEqual(gitCli(bare, 'rev-parse', 'main'), remoteMain);
    });
  });

  describe('checkout', () => {
    it('checks out a remote branch as a local tracking branch', async () => {
      const { url } = seededRemote();
      const client = await hammockClone(url);
      const other = await cliClone(url);
      gitCli(other, 'checkout', '-q', '-b', 'feature');
      const tip = commitFiles(other, { '.insomnia/Request/req_f.yml': requestYaml('req_f', 'Feature') });
      await gitCliAsync(other, 'push', '-q', 'origin', 'feature');
      await client.fetch();
      const { remote } = await client.listBranches();
      assert.ok(remote.some((b) => b.name === 'origin/feature' && b.oid === tip));
      await client.checkout('origin/feature');
      assert.strictEqual(await client.currentBranch(), 'feature');
      assert.strictEqual(gitCli(client.dir, 'rev-parse', 'HEAD'), tip);
      assert.strictEqual(gitCli(client.dir, 'config', 'branch.feature.remote'), 'origin');
      assert.strictEqual(gitCli(client.dir, 'config', 'branch.feature.merge'), 'refs/heads/feature');
      assert.strictEqual(read(client.dir, '.insomnia/Request/req_f.yml'), requestYaml('req_f', 'Feature'));
      assert.strictEqual(gitCli(client.dir, 'status', '--porcelain', '-uall'), '');
      const { local } = await client.listBranches();
      assert.deepStrictEqual(
        local.map((b) => [b.name, b.current, b.upstream]),
        [
          ['feature', true, 'origin/feature'],
          ['main', false, 'origin/main'],
        ],
      );
      await client.checkout('main');
      assert.ok(!fs.existsSync(path.join(client.dir, '.insomnia/Request/req_f.yml')));
      await client.deleteBranch('feature');
      assert.deepStrictEqual((await client.listBranches()).local.map((b) => b.name), ['main']);
    });

    it('refuses to switch over uncommitted changes, listing them; HEAD stays', async () => {
      const { url } = seededRemote();
      const client = await hammockClone(url);
      await client.createBranch('other', { checkout: true });
      writeFiles(client.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'On other') });
      await client.stage(['.insomnia/Request/req_1.yml']);
      await client.commit('other');
      await client.checkout('main');
      writeFiles(client.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Uncommitted on main') });
      const before = snapshot(client.dir, ['.insomnia/Request/req_1.yml']);
      const err = await rejects(client.checkout('other'), GitErrorCode.DirtyWorkingTree);
      assert.deepStrictEqual(err.details.files, ['.insomnia/Request/req_1.yml']);
      assert.strictEqual(await client.currentBranch(), 'main');
      assert.deepStrictEqual(snapshot(client.dir, ['.insomnia/Request/req_1.yml']), before);
      // an edit to a file both branches share is carried over, as git does
      await client.discard(['.insomnia/Request/req_1.yml']);
      writeFiles(client.dir, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Carried') });
      await client.checkout('other');
      assert.strictEqual(read(client.dir, '.insomnia/Request/req_2.yml'), requestYaml('req_2', 'Carried'));
      assert.strictEqual(read(client.dir, '.insomnia/Request/req_1.yml'), requestYaml('req_1', 'On other'));
    });
  });

  describe('index.lock', () => {
    let holder: ChildProcess | undefined;
    afterEach(() => {
      if (holder && holder.exitCode === null) holder.kill();
      holder = undefined;
    });

    it('waits, then fails with IndexLocked naming the process; the index is not written', async () => {
      const { url } = seededRemote();
      const client = await hammockClone(url);
      const lock = path.join(client.dir, '.git/index.lock');
      holder = spawn('sh', ['-c', 'exec 3>"$0"; exec sleep 30', lock], { stdio: 'ignore' });
      for (let i = 0; i < 100 && !fs.existsSync(lock); i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 50));
      const index = fs.readFileSync(path.join(client.dir, '.git/index'));
      writeFiles(client.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Edited') });
      const started = Date.now();
      const err = await rejects(client.stage(['.insomnia/Request/req_1.yml']), GitErrorCode.IndexLocked);
      assert.ok(Date.now() - started >= 900, 'waited about a second first');
      assert.strictEqual(err.details.lockHolder?.pid, holder.pid);
      assert.match(err.details.lockHolder!.command, /sleep/);
      assert.match(err.message, /index\.lock exists/);
      assert.ok(fs.readFileSync(path.join(client.dir, '.git/index')).equals(index));
      await rejects(client.commit('blocked'), GitErrorCode.IndexLocked);
      holder.kill();
      await new Promise((r) => holder!.once('exit', r));
      fs.rmSync(lock);
      await client.stage(['.insomnia/Request/req_1.yml']);
      assert.strictEqual(gitCli(client.dir, 'status', '--porcelain'), 'M  .insomnia/Request/req_1.yml');
    });
  });
});
