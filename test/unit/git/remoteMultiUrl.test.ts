// A remote with several `url` (or `pushurl`) values: git fetches from the first url and pushes to every pushurl (or,
// with none, to every url; remote.c alias_all_urls, builtin/push.c do_push), each rewritten by insteadOf /
// pushInsteadOf, going on after one of them refuses. The oracle: the git CLI on an identical copy, against the
// loopback server; the rules against `git remote get-url [--push] --all` (git 2.39).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { resolveConfig } from '../../../src/git/gitIdentity';
import { fetchUrlOf, pushUrlsOf } from '../../../src/git/remoteUrl';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, loopbackGitServer, rejects, requestYaml, SERVER_TOKEN, serverAuth, TempDirs, writeFiles } from './gitTestRepos';

const NOWHERE = 'https://example.invalid/';

describe('remotes with several url / pushurl values: fetched from the first url, pushed to each, as git does', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  const server = loopbackGitServer(tmp);

  it('pushUrlsOf and the first url give what `git remote get-url [--push] --all` gives', async () => {
    const cases: { urls: string[]; pushurls?: string[]; rules: [string, string, string][] }[] = [
      { urls: ['https://a/r.git', 'https://b/r.git'], rules: [] },
      { urls: ['https://a/r.git', 'https://b/r.git'], rules: [['https://fa/', 'insteadOf', 'https://a/']] },
      { urls: ['https://a/r.git', 'https://b/r.git'], rules: [['ssh://pb/', 'pushInsteadOf', 'https://b/']] },
      { urls: ['https://a/r.git', 'https://b/r.git'], rules: [['ssh://pb/', 'pushInsteadOf', 'https://b/'], ['https://fa/', 'insteadOf', 'https://a/']] },
      { urls: ['https://a/r.git', 'https://b/r.git'], rules: [['ssh://p/', 'pushInsteadOf', 'https://']] },
      { urls: ['https://a/r.git', 'https://b/r.git'], pushurls: ['https://p1/r.git', 'https://p2/r.git'], rules: [['https://fp/', 'insteadOf', 'https://p2/']] },
      { urls: ['https://a/r.git', 'https://b/r.git', 'https://a/r.git'], pushurls: ['https://p1/r.git'], rules: [['ssh://x/', 'pushInsteadOf', 'https://p1/']] },
    ];
    for (const { urls, pushurls = [], rules } of cases) {
      const d = tmp.make('hammock-multi-');
      gitCli(d, 'init', '-q');
      for (const u of urls) gitCli(d, 'config', '--add', 'remote.origin.url', u);
      for (const u of pushurls) gitCli(d, 'config', '--add', 'remote.origin.pushurl', u);
      for (const [base, key, value] of rules) gitCli(d, 'config', '--add', `url.${base}.${key}`, value);
      const config = await resolveConfig({ env: { HOME: d, GIT_CONFIG_NOSYSTEM: '1' }, gitdir: path.join(d, '.git'), commondir: path.join(d, '.git') });
      const label = JSON.stringify({ urls, pushurls, rules });
      assert.deepStrictEqual(pushUrlsOf(urls, pushurls, config.entries), gitCli(d, 'remote', 'get-url', '--push', '--all', 'origin').split('\n'), label);
      const client = new GitClient(d, { configEnv: { HOME: d, GIT_CONFIG_NOSYSTEM: '1' } });
      assert.strictEqual(await client.getRemoteUrl(), urls[0], label);
      assert.strictEqual(await client.connectUrl(), fetchUrlOf(urls[0], config.entries), label);
      assert.strictEqual(await client.connectUrl(), gitCli(d, 'remote', 'get-url', 'origin'), label);
      assert.strictEqual(await client.connectUrl('origin', 'push'), gitCli(d, 'remote', 'get-url', '--push', 'origin'), label);
    }
  });

  const authed = (url: string): string => url.replace('http://', `http://user:${SERVER_TOKEN}@`);
  const base = (): string => server().url('x').replace(/x\.git$/, '');

  /** bare repositories `names` seeded alike; a copy whose origin has one url per name (NOWHERE, rewritten onto the server), and the CLI's copy. */
  async function copies(names: string[], key: 'url' | 'pushurl' = 'url'): Promise<{ bares: string[]; mine: string; cli: string }> {
    const seed = initRepo(tmp.make('hammock-seed-'), legacySeed(2));
    const bares = names.map((n) => server().createBareRepo(n, { seedDir: seed }));
    const mine = path.join(tmp.make('hammock-wc-'), 'repo');
    await gitCliAsync(path.dirname(mine), 'clone', '-q', authed(server().url(names[0])), mine);
    gitCli(mine, 'config', '--unset-all', 'remote.origin.url');
    if (key === 'pushurl') gitCli(mine, 'config', '--add', 'remote.origin.url', `${NOWHERE}${names[0]}.git`);
    for (const n of names) gitCli(mine, 'config', '--add', `remote.origin.${key}`, `${NOWHERE}${n}.git`);
    gitCli(mine, 'config', 'user.name', AUTHOR.name);
    gitCli(mine, 'config', 'user.email', AUTHOR.email);
    const cli = path.join(tmp.make('hammock-cli-'), 'repo');
    fs.cpSync(mine, cli, { recursive: true });
    gitCli(mine, 'config', `url.${base()}.insteadOf`, NOWHERE);
    gitCli(cli, 'config', `url.${authed(base())}.insteadOf`, NOWHERE);
    return { bares, mine, cli };
  }

  const configEnv = (): NodeJS.ProcessEnv => ({ HOME: tmp.make('hammock-home-'), GIT_CONFIG_NOSYSTEM: '1' });

  async function commitOn(client: GitClient, dir: string, branch: string, id: string): Promise<string> {
    await client.createBranch(branch);
    writeFiles(dir, { [`.insomnia/Request/${id}.yml`]: requestYaml(id, branch) });
    await client.stage([`.insomnia/Request/${id}.yml`]);
    return client.commit(branch);
  }

  for (const key of ['url', 'pushurl'] as const) {
    it(`push goes to every ${key} (insteadOf applied to each), each reported`, async () => {
      const { bares, mine, cli } = await copies([`m${key}1`, `m${key}2`], key);
      const cliOid = commitFiles(cli, { '.insomnia/Request/req_9.yml': requestYaml('req_9', 'Cli') }, 'cli');
      await gitCliAsync(cli, 'push', '-q', 'origin', 'HEAD:refs/heads/cli');
      for (const bare of bares) assert.strictEqual(gitCli(bare, 'rev-parse', 'refs/heads/cli'), cliOid, 'the oracle: git pushed to each');

      const client = new GitClient(mine, { auth: serverAuth, configEnv: configEnv() });
      const oid = await commitOn(client, mine, 'mine', 'req_8');
      const result = await client.push();
      for (const bare of bares) assert.strictEqual(gitCli(bare, 'rev-parse', 'refs/heads/mine'), oid, `pushed to ${bare}`);
      assert.deepStrictEqual(
        result.urls?.map((u) => [u.url, u.outcome]),
        bares.map((b) => [server().url(path.basename(b, '.git')), 'pushed']),
      );
      assert.strictEqual(gitCli(mine, 'rev-parse', 'refs/remotes/origin/mine'), oid);
      // once more: up to date on every URL, as git's "Everything up-to-date"
      await rejects(client.push(), GitErrorCode.NothingToPush);
    });
  }

  it("a rejection by one of them: the others are pushed to, as git does, and the message is that remote's, naming it", async () => {
    const { bares, mine, cli } = await copies(['rej1', 'rej2', 'rej3']);
    fs.writeFileSync(path.join(bares[1], 'hooks', 'pre-receive'), '#!/bin/sh\necho "SECOND REMOTE SAYS NO" >&2\nexit 1\n', { mode: 0o755 });
    commitFiles(cli, { '.insomnia/Request/req_9.yml': requestYaml('req_9', 'Cli') }, 'cli');
    const cliPush = await gitCliAsync(cli, 'push', '-q', 'origin', 'HEAD:refs/heads/cli').then(
      () => 'ok',
      (e: Error) => e.message,
    );
    assert.ok(cliPush.includes('SECOND REMOTE SAYS NO'), cliPush);
    const cliPushed = bares.map((b) => gitCli(b, 'for-each-ref', '--format=%(refname)', 'refs/heads/cli'));
    assert.deepStrictEqual(cliPushed, ['refs/heads/cli', '', 'refs/heads/cli'], 'the oracle: git pushed to the first and the third');

    const client = new GitClient(mine, { auth: serverAuth, configEnv: configEnv() });
    const oid = await commitOn(client, mine, 'mine', 'req_8');
    const err = await rejects(client.push(), GitErrorCode.PushRejectedByRemote);
    assert.deepStrictEqual(
      bares.map((b) => gitCli(b, 'for-each-ref', '--format=%(objectname)', 'refs/heads/mine')),
      [oid, '', oid],
    );
    assert.ok(err.message.includes('SECOND REMOTE SAYS NO') && err.message.includes(server().url('rej2')), err.message);
    assert.ok(!err.message.includes(SERVER_TOKEN));
    assert.deepStrictEqual(err.details.remoteLines, ['SECOND REMOTE SAYS NO']);
    assert.ok(err.message.includes(server().url('rej1')) && err.message.includes(server().url('rej3')), `says where it was pushed: ${err.message}`);
    // as git: the tracking ref moved (the first and the third took it), and the upstream was set
    assert.strictEqual(gitCli(mine, 'rev-parse', 'refs/remotes/origin/mine'), oid);
    assert.strictEqual(gitCli(mine, 'config', 'branch.mine.remote'), 'origin');
  });

  it('fetch and pull take the first url, as git does', async () => {
    const { bares, mine, cli } = await copies(['f1', 'f2']);
    const other = path.join(tmp.make('hammock-other-'), 'repo');
    await gitCliAsync(path.dirname(other), 'clone', '-q', authed(server().url('f2')), other);
    commitFiles(other, { '.insomnia/Request/req_7.yml': requestYaml('req_7', 'Second only') }, 'second');
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    await gitCliAsync(other, 'push', '-q', authed(server().url('f1')), 'main:refs/heads/first');
    await gitCliAsync(cli, 'fetch', '-q', 'origin');
    const expected = gitCli(cli, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/remotes/origin');
    assert.strictEqual(gitCli(cli, 'rev-parse', 'origin/main'), gitCli(bares[0], 'rev-parse', 'main'), 'the oracle: from the first');

    const client = new GitClient(mine, { auth: serverAuth, configEnv: configEnv() });
    await client.fetch();
    assert.strictEqual(gitCli(mine, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/remotes/origin'), expected);
  });
});
