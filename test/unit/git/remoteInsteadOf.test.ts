// Fetch, pull, push and clone connect where git would: remote.<name>.url with url.<base>.insteadOf applied for
// fetching, `git remote get-url --push` for pushing (pushurl, pushInsteadOf, insteadOf). The remote is configured as
// a URL that does not exist, and a rewrite rule maps it onto the loopback server: the git CLI succeeds on a copy,
// and so must Hammock; its credentials are asked for the host it connects to. The rules themselves: against
// `git remote get-url [--push]` (git 2.39).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { GitAuthProvider, GitCredentials } from '../../../src/git/auth';
import { retryWithCredentials } from '../../../src/git/authRetry';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { resolveConfig } from '../../../src/git/gitIdentity';
import { fetchUrlOf, pushUrlOf } from '../../../src/git/remoteUrl';
import { listRemoteBranches } from '../../../src/git/remoteBranches';
import { GitCli } from '../../../src/git/systemGit';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, loopbackGitServer, rejects, requestYaml, SERVER_TOKEN, TempDirs, writeFiles } from './gitTestRepos';

const NOWHERE = 'https://example.invalid/';

/** gives the token only for the loopback server, and records every URL it was asked about. */
function hostAuth(): GitAuthProvider & { urls: string[] } {
  const p = {
    urls: [] as string[],
    getCredentials: (url: string): GitCredentials | undefined => {
      p.urls.push(url);
      return new URL(url).hostname === '127.0.0.1' ? { token: SERVER_TOKEN } : undefined;
    },
    requestCredentials: async (url: string): Promise<GitCredentials | undefined> => {
      p.urls.push(url);
      return undefined;
    },
  };
  return p;
}

describe('remotes rewritten by url.<base>.insteadOf / pushInsteadOf / pushurl: connected to as git does', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  const server = loopbackGitServer(tmp);

  it('pushUrlOf / fetchUrlOf give what `git remote get-url [--push]` gives', async () => {
    const cases: { url: string; pushurl?: string; rules: [string, string, string][] }[] = [
      { url: 'https://github.com/o/r.git', rules: [] },
      { url: 'https://github.com/o/r.git', rules: [['git@github.com:', 'insteadOf', 'https://github.com/']] },
      { url: 'https://github.com/o/r.git', rules: [['ssh://push/', 'pushInsteadOf', 'https://github.com/']] },
      { url: 'https://github.com/o/r.git', rules: [['ssh://push/', 'pushInsteadOf', 'https://github.com/'], ['https://fetch/', 'insteadOf', 'https://github.com/']] },
      { url: 'https://github.com/o/r.git', rules: [['ssh://push/', 'pushInsteadOf', 'https://github.com/'], ['https://fetch/', 'insteadOf', 'https://github.com/o/']] },
      { url: 'https://github.com/o/r.git', rules: [['ssh://a/', 'pushInsteadOf', 'https://github.com/'], ['ssh://b/', 'pushInsteadOf', 'https://github.com/o/']] },
      { url: 'https://github.com/o/r.git', rules: [['ssh://push/', 'pushInsteadOf', 'https://other/']] },
      { url: 'https://github.com/o/r.git', rules: [['ssh://push/', 'pushInsteadOf', 'https://other/'], ['https://fetch/', 'insteadOf', 'https://github.com/']] },
      { url: 'https://github.com/o/r.git', pushurl: 'https://push.example/o/r.git', rules: [] },
      { url: 'https://github.com/o/r.git', pushurl: 'https://push.example/o/r.git', rules: [['https://fetch/', 'insteadOf', 'https://push.example/']] },
      { url: 'https://github.com/o/r.git', pushurl: 'https://push.example/o/r.git', rules: [['ssh://p/', 'pushInsteadOf', 'https://push.example/']] },
      { url: 'https://github.com/o/r.git', pushurl: 'https://push.example/o/r.git', rules: [['ssh://p/', 'pushInsteadOf', 'https://github.com/'], ['https://f/', 'insteadOf', 'https://github.com/']] },
    ];
    for (const { url, pushurl, rules } of cases) {
      const d = tmp.make('hammock-pio-');
      gitCli(d, 'init', '-q');
      gitCli(d, 'remote', 'add', 'origin', url);
      if (pushurl) gitCli(d, 'config', 'remote.origin.pushurl', pushurl);
      for (const [base, key, value] of rules) gitCli(d, 'config', '--add', `url.${base}.${key}`, value);
      const config = await resolveConfig({ env: { HOME: d, GIT_CONFIG_NOSYSTEM: '1' }, gitdir: path.join(d, '.git'), commondir: path.join(d, '.git') });
      const label = JSON.stringify({ url, pushurl, rules });
      assert.strictEqual(pushUrlOf(url, pushurl, config.entries), gitCli(d, 'remote', 'get-url', '--push', 'origin'), label);
      assert.strictEqual(fetchUrlOf(url, config.entries), gitCli(d, 'remote', 'get-url', 'origin'), label);
    }
  });

  /** a seeded bare repository on the server, and a copy of it whose origin is `remoteUrl` (rewritten by `rules`). */
  async function copies(name: string, remoteUrl: string, rules: [string, string, string][], pushurl?: string): Promise<{ bare: string; mine: string; cli: string; url: string }> {
    const seed = initRepo(tmp.make('hammock-seed-'), legacySeed(2));
    const bare = server().createBareRepo(name, { seedDir: seed });
    const url = server().url(name);
    const mine = path.join(tmp.make('hammock-wc-'), 'repo');
    await gitCliAsync(path.dirname(mine), 'clone', '-q', url.replace('http://', `http://user:${SERVER_TOKEN}@`), mine);
    gitCli(mine, 'remote', 'set-url', 'origin', remoteUrl);
    if (pushurl) gitCli(mine, 'config', 'remote.origin.pushurl', pushurl);
    gitCli(mine, 'config', 'user.name', AUTHOR.name);
    gitCli(mine, 'config', 'user.email', AUTHOR.email);
    for (const [base, key, value] of rules) gitCli(mine, 'config', '--add', `url.${base}.${key}`, value);
    const cli = path.join(tmp.make('hammock-cli-'), 'repo');
    fs.cpSync(mine, cli, { recursive: true });
    return { bare, mine, cli, url };
  }

  /** the loopback URL with the token, as the git CLI needs it in a rewrite rule (it has no credential helper here). */
  const authed = (url: string): string => url.replace('http://', `http://user:${SERVER_TOKEN}@`);

  it('fetch and pull: an https remote that does not exist, rewritten by insteadOf onto the server', async () => {
    const { bare, mine, cli, url } = await copies('fetchio', `${NOWHERE}fetchio.git`, []);
    // the rule for Hammock names the server without the token (it is given by the auth provider), git's with it
    gitCli(mine, 'config', `url.${url.replace(/fetchio\.git$/, '')}.insteadOf`, NOWHERE);
    gitCli(cli, 'config', `url.${authed(url).replace(/fetchio\.git$/, '')}.insteadOf`, NOWHERE);
    const other = path.join(tmp.make('hammock-other-'), 'repo');
    await gitCliAsync(path.dirname(other), 'clone', '-q', authed(url), other);
    const theirs = commitFiles(other, { '.insomnia/Request/req_7.yml': requestYaml('req_7', 'Theirs') }, 'theirs');
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    assert.strictEqual(gitCli(bare, 'rev-parse', 'main'), theirs);

    await gitCliAsync(cli, 'fetch', '-q', 'origin'); // the oracle: git fetches through the rule
    assert.strictEqual(gitCli(cli, 'rev-parse', 'origin/main'), theirs);

    const auth = hostAuth();
    const client = new GitClient(mine, { auth, configEnv: { HOME: tmp.make('hammock-home-'), GIT_CONFIG_NOSYSTEM: '1' } });
    await client.fetch();
    assert.strictEqual(gitCli(mine, 'rev-parse', 'origin/main'), theirs);
    assert.ok(auth.urls.length > 0 && auth.urls.every((u) => new URL(u).hostname === '127.0.0.1'), `credentials asked for ${auth.urls.join(', ')}`);
    assert.strictEqual(gitCli(mine, 'config', 'remote.origin.url'), `${NOWHERE}fetchio.git`, 'the configured URL is left as it is');

    const more = commitFiles(other, { '.insomnia/Request/req_8.yml': requestYaml('req_8', 'More') }, 'more');
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    await client.pull();
    assert.strictEqual(gitCli(mine, 'rev-parse', 'HEAD'), more);
  });

  it('push: insteadOf, then pushInsteadOf and pushurl, to where `git push` goes; messages name that URL', async () => {
    const { bare, mine, cli, url } = await copies('pushio', `${NOWHERE}pushio.git`, []);
    gitCli(mine, 'config', `url.${url.replace(/pushio\.git$/, '')}.insteadOf`, NOWHERE);
    gitCli(cli, 'config', `url.${authed(url).replace(/pushio\.git$/, '')}.insteadOf`, NOWHERE);
    const configEnv = { HOME: tmp.make('hammock-home-'), GIT_CONFIG_NOSYSTEM: '1' };

    // insteadOf alone: git pushes through it
    commitFiles(cli, { '.insomnia/Request/req_5.yml': requestYaml('req_5', 'Cli') }, 'cli');
    await gitCliAsync(cli, 'push', '-q', 'origin', 'HEAD:refs/heads/cli');
    const auth = hostAuth();
    const client = new GitClient(mine, { auth, configEnv });
    await client.createBranch('mine');
    writeFiles(mine, { '.insomnia/Request/req_6.yml': requestYaml('req_6', 'Mine') });
    await client.stage(['.insomnia/Request/req_6.yml']);
    const oid = await client.commit('mine');
    await client.push();
    assert.strictEqual(gitCli(bare, 'rev-parse', 'refs/heads/mine'), oid);
    assert.ok(auth.urls.every((u) => new URL(u).hostname === '127.0.0.1'), `credentials asked for ${auth.urls.join(', ')}`);

    // pushInsteadOf wins over insteadOf for pushing: onto a second repository, where git pushes too
    const second = server().createBareRepo('pushio2', { seedDir: bare });
    const url2 = server().url('pushio2');
    gitCli(mine, 'config', `url.${url2.replace(/pushio2\.git$/, '')}pushio2-via/.pushInsteadOf`, `${NOWHERE}pushio`);
    gitCli(cli, 'config', `url.${authed(url2).replace(/pushio2\.git$/, '')}pushio2-via/.pushInsteadOf`, `${NOWHERE}pushio`);
    // (pushio.git rewritten to .../pushio2-via/.git does not exist: the oracle says where git goes)
    assert.strictEqual(gitCli(mine, 'remote', 'get-url', '--push', 'origin'), `${url2.replace(/pushio2\.git$/, '')}pushio2-via/.git`);
    const err = await client.push().then(() => undefined, (e: Error) => e);
    const shown = String(err?.message);
    assert.ok(shown.includes('pushio2-via') && !shown.includes('example.invalid'), `the message names where git would push: ${shown}`);
    assert.ok(!shown.includes(SERVER_TOKEN));
    gitCli(mine, 'config', '--unset-all', `url.${url2.replace(/pushio2\.git$/, '')}pushio2-via/.pushInsteadOf`);
    gitCli(mine, 'config', `url.${url2}.pushInsteadOf`, `${NOWHERE}pushio.git`);
    gitCli(cli, 'config', '--unset-all', `url.${authed(url2).replace(/pushio2\.git$/, '')}pushio2-via/.pushInsteadOf`);
    gitCli(cli, 'config', `url.${authed(url2)}.pushInsteadOf`, `${NOWHERE}pushio.git`);
    await gitCliAsync(cli, 'push', '-q', 'origin', 'HEAD:refs/heads/cli');
    assert.strictEqual(gitCli(second, 'rev-parse', 'refs/heads/cli'), gitCli(cli, 'rev-parse', 'HEAD'));
    await client.push();
    assert.strictEqual(gitCli(second, 'rev-parse', 'refs/heads/mine'), oid, 'pushed where pushInsteadOf says');

    // a pushurl: pushed to instead (rewritten by insteadOf onto the server)
    const third = server().createBareRepo('pushio3', { seedDir: bare });
    gitCli(mine, 'config', 'remote.origin.pushurl', `${NOWHERE}pushio3.git`);
    gitCli(cli, 'config', 'remote.origin.pushurl', `${NOWHERE}pushio3.git`);
    await gitCliAsync(cli, 'push', '-q', 'origin', 'HEAD:refs/heads/cli');
    assert.strictEqual(gitCli(third, 'rev-parse', 'refs/heads/cli'), gitCli(cli, 'rev-parse', 'HEAD'));
    await client.push();
    assert.strictEqual(gitCli(third, 'rev-parse', 'refs/heads/mine'), oid, 'pushed to the pushurl');
  });

  it('clone of a URL that insteadOf (in the global config) rewrites: from the server, the URL kept as given', async () => {
    const seed = initRepo(tmp.make('hammock-seed-'), legacySeed(2));
    server().createBareRepo('cloneio', { seedDir: seed });
    const url = server().url('cloneio');
    const home = tmp.make('hammock-home-');
    fs.writeFileSync(path.join(home, '.gitconfig'), `[url "${url.replace(/cloneio\.git$/, '')}"]\n\tinsteadOf = ${NOWHERE}\n`);
    const auth = hostAuth();
    const dir = path.join(tmp.make('hammock-wc-'), 'repo');
    const client = await GitClient.clone({ url: `${NOWHERE}cloneio.git`, dir, auth, author: AUTHOR, configEnv: { HOME: home, GIT_CONFIG_NOSYSTEM: '1' } });
    assert.strictEqual(gitCli(client.dir, 'rev-parse', 'HEAD'), gitCli(seed, 'rev-parse', 'HEAD'));
    assert.strictEqual(gitCli(client.dir, 'config', 'remote.origin.url'), `${NOWHERE}cloneio.git`, 'stored as given, as git clone stores it');
    assert.strictEqual(gitCli(client.dir, 'reflog', '-1', '--format=%gs', 'HEAD'), `clone: from ${NOWHERE}cloneio.git`, 'git clone names the given URL in its reflog');
    assert.ok(auth.urls.every((u) => new URL(u).hostname === '127.0.0.1'), `credentials asked for ${auth.urls.join(', ')}`);
  });

  it("an https remote that insteadOf rewrites to a remote only the user's git reaches goes through the user's git, which rewrites it itself", async () => {
    const seed = initRepo(tmp.make('hammock-seed-'), legacySeed(2));
    const projects = tmp.make('hammock-projects-');
    const bare = path.join(projects, 'viagit.git');
    gitCli(projects, 'init', '-q', '--bare', '-b', 'main', bare);
    gitCli(bare, 'fetch', '-q', seed, '+HEAD:refs/heads/main');
    const mine = path.join(tmp.make('hammock-wc-'), 'repo');
    gitCli(path.dirname(mine), 'clone', '-q', bare, mine);
    gitCli(mine, 'remote', 'set-url', 'origin', `${NOWHERE}viagit.git`);
    gitCli(mine, 'config', `url.${projects}/.insteadOf`, NOWHERE);
    gitCli(mine, 'config', 'user.name', AUTHOR.name);
    gitCli(mine, 'config', 'user.email', AUTHOR.email);
    // (git itself reaches it: the oracle)
    gitCli(mine, 'ls-remote', 'origin');
    const theirs = commitFiles(seed, { '.insomnia/Request/req_4.yml': requestYaml('req_4', 'Theirs') }, 'theirs');
    gitCli(bare, 'fetch', '-q', seed, '+HEAD:refs/heads/main');
    const calls: string[] = [];
    const real = new GitCli({ env: { GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent-hammock-home' } });
    const user: GitCli = Object.assign(Object.create(real) as GitCli, {
      fetch: (o: Parameters<GitCli['fetch']>[0]) => (calls.push(`fetch ${o.remote}`), real.fetch(o)),
      push: (o: Parameters<GitCli['push']>[0]) => (calls.push(`push ${o.remote}`), real.push(o)),
    });
    const auth = hostAuth();
    const client = new GitClient(mine, { auth, externalGit: user, configEnv: { HOME: tmp.make('hammock-home-'), GIT_CONFIG_NOSYSTEM: '1' } });
    await client.fetch();
    assert.strictEqual(gitCli(mine, 'rev-parse', 'origin/main'), theirs);
    await client.createBranch('viagit');
    writeFiles(mine, { '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Mine') });
    await client.stage(['.insomnia/Request/req_3.yml']);
    const oid = await client.commit('mine');
    await client.push();
    assert.strictEqual(gitCli(bare, 'rev-parse', 'refs/heads/viagit'), oid);
    assert.deepStrictEqual(calls, ['fetch origin', 'push origin'], "the user's git was handed the remote's name");
    assert.deepStrictEqual(auth.urls, [], 'no token of Hammock\'s was asked for');
  });

  it('a token given after a 401 is kept for the host connected to, not the one configured', async () => {
    const { mine, url } = await copies('tokenio', `${NOWHERE}tokenio.git`, []);
    gitCli(mine, 'config', `url.${url.replace(/tokenio\.git$/, '')}.insteadOf`, NOWHERE);
    const kept: string[] = [];
    const store: GitAuthProvider = {
      getCredentials: () => undefined,
      requestCredentials: async () => undefined,
      credentialsAccepted: (u: string) => {
        kept.push(u);
      },
    };
    const client = new GitClient(mine, { auth: store, configEnv: { HOME: tmp.make('hammock-home-'), GIT_CONFIG_NOSYSTEM: '1' } });
    // what the token commands ask for and show the host of
    assert.strictEqual(await client.connectUrl(), url);
    assert.strictEqual(await client.connectUrl('origin', 'push'), gitCli(mine, 'remote', 'get-url', '--push', 'origin'));
    const err = await rejects(client.fetch(), GitErrorCode.AuthRequired);
    assert.ok(err.message.includes('127.0.0.1') && !err.message.includes('example.invalid'), err.message);
    // the command knows the configured URL only; the token is kept for the host the fetch connected to
    await retryWithCredentials(`${NOWHERE}tokenio.git`, { token: SERVER_TOKEN }, store, (auth) => client.fetch({ auth }));
    assert.deepStrictEqual(kept.map((u) => new URL(u).hostname), ['127.0.0.1']);
  });

  it("listing the remote's branches (git ls-remote) connects where insteadOf sends it", async () => {
    const { mine, cli, url } = await copies('lsio', `${NOWHERE}lsio.git`, []);
    gitCli(mine, 'config', `url.${url.replace(/lsio\.git$/, '')}.insteadOf`, NOWHERE);
    gitCli(cli, 'config', `url.${authed(url).replace(/lsio\.git$/, '')}.insteadOf`, NOWHERE);
    const expected = (await gitCliAsync(cli, 'ls-remote', '--heads', 'origin')).split('\n').map((l) => l.split('\t')[1].replace(/^refs\/heads\//, ''));
    const auth = hostAuth();
    const listed = await listRemoteBranches(mine, { auth, configEnv: { HOME: tmp.make('hammock-home-'), GIT_CONFIG_NOSYSTEM: '1' } });
    assert.deepStrictEqual(listed.branches.map((b) => b.name), expected);
    assert.ok(auth.urls.length > 0 && auth.urls.every((u) => new URL(u).hostname === '127.0.0.1'), `credentials asked for ${auth.urls.join(', ')}`);
  });
});
