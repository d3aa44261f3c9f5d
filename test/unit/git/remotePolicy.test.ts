// Which remotes a token may travel to: https always, http:// only to loopback or after the user's confirmation;
// checked before anything is sent (a real git server reached through a plain-http proxy stands in for a
// non-loopback host).

import * as assert from 'assert';
import * as path from 'path';
import type { GitAuthProvider } from '../../../src/git/auth';
import { GitClient } from '../../../src/git/gitClient';
import { GitError, GitErrorCode } from '../../../src/git/gitError';
import { assertTransportAllowed, isLoopbackHost, transportVerdict } from '../../../src/git/remotePolicy';
import { listRemoteBranches } from '../../../src/git/remoteBranches';
import { GitServer } from '../../support/gitServer';
import { AUTHOR, gitCli, initRepo, legacySeed, rejects, TempDirs } from './gitTestRepos';

const TOKEN = 'secret-token';

describe('remotePolicy: http:// only to loopback or after a warning', function () {
  this.timeout(60_000);

  it('tells loopback from the network', () => {
    for (const h of ['localhost', 'LOCALHOST', 'git.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost.']) {
      assert.ok(isLoopbackHost(h), h);
    }
    for (const h of ['example.com', '10.0.0.1', '192.168.1.1', '128.0.0.1', '::2', '[fe80::1]', 'localhost.example.com', '127.0.0.1.nip.io', '0.0.0.0']) {
      assert.ok(!isLoopbackHost(h), h);
    }
  });

  it('judges URLs: https secure, http loopback, http elsewhere cleartext', () => {
    assert.deepEqual(transportVerdict('https://example.com/r.git'), { kind: 'secure' });
    assert.deepEqual(transportVerdict('http://127.0.0.1:8080/r.git'), { kind: 'loopback' });
    assert.deepEqual(transportVerdict('http://[::1]:9/r.git'), { kind: 'loopback' });
    assert.deepEqual(transportVerdict('http://example.com/r.git'), { kind: 'cleartext', host: 'example.com' });
    assert.deepEqual(transportVerdict('HTTP://Example.COM:8080/r.git'), { kind: 'cleartext', host: 'example.com:8080' });
  });

  it('refuses cleartext without a confirmation, names the https form, and accepts after one', async () => {
    await assertTransportAllowed('https://example.com/r.git');
    await assertTransportAllowed('http://localhost:3000/r.git');
    await assert.rejects(assertTransportAllowed('http://example.com/team/r.git'), (e: unknown) => {
      assert.ok(e instanceof GitError);
      assert.equal(e.code, GitErrorCode.InsecureRemote);
      assert.match(e.message, /clear text/);
      assert.equal(e.details.httpsUrl, 'https://example.com/team/r.git');
      return true;
    });
    await assert.rejects(assertTransportAllowed('http://example.com/r.git', () => false), /clear text/);
    const asked: string[] = [];
    await assertTransportAllowed('http://example.com:8080/r.git', (_u, host) => {
      asked.push(host);
      return true;
    });
    assert.deepEqual(asked, ['example.com:8080']);
  });

  describe('through GitClient against a real server', () => {
    const tmp = new TempDirs();
    let server: GitServer;
    // a name that is not loopback; the plain-http proxy (the server itself: it serves absolute-form requests)
    // delivers to the loopback server
    const REMOTE = 'http://git.example.test/repo.git';

    before(async () => {
      server = await GitServer.start({ projectRoot: tmp.make('hammock-policy-srv-'), token: TOKEN });
      server.createBareRepo('repo', { seedDir: initRepo(tmp.make('hammock-policy-seed-'), legacySeed(2)) });
    });
    after(async () => {
      await server.close();
      tmp.cleanup();
    });

    function provider(confirm?: boolean): GitAuthProvider & { confirmed: string[] } {
      const p = {
        confirmed: [] as string[],
        getCredentials: () => ({ token: TOKEN }),
        requestCredentials: async () => undefined,
        confirmCleartext: confirm === undefined ? undefined : (_url: string, host: string) => (p.confirmed.push(host), confirm),
      };
      return p;
    }

    it('clone and list refuse http://git.example.test before sending anything; confirmed, they work', async () => {
      const transport = { proxy: `http://127.0.0.1:${server.port}` };
      const before = server.requests.length;
      const dir = path.join(tmp.make('hammock-policy-wc-'), 'r');
      await rejects(GitClient.clone({ url: REMOTE, dir, auth: provider(), transport, author: AUTHOR }), GitErrorCode.InsecureRemote);
      const declined = provider(false);
      await rejects(GitClient.clone({ url: REMOTE, dir, auth: declined, transport, author: AUTHOR }), GitErrorCode.InsecureRemote);
      assert.deepEqual(declined.confirmed, ['git.example.test']);
      assert.equal(server.requests.length, before, 'no request reached the server: the token was never sent');

      const accepted = provider(true);
      const client = await GitClient.clone({ url: REMOTE, dir, auth: accepted, transport, author: AUTHOR });
      assert.deepEqual(accepted.confirmed, ['git.example.test']);
      assert.equal(gitCli(client.dir, 'rev-parse', 'HEAD'), gitCli(client.dir, 'rev-parse', 'origin/main'));
      assert.ok(server.requests.length > before);

      // an existing repository whose remote is http:// elsewhere: fetch and list are refused the same way
      const strict = new GitClient(client.dir, { auth: provider(), transport });
      await rejects(strict.fetch(), GitErrorCode.InsecureRemote);
      await rejects(listRemoteBranches(client.dir, { auth: provider(), transport }), GitErrorCode.InsecureRemote);
      await new GitClient(client.dir, { auth: provider(true), transport }).fetch();
    });

    it('loopback http:// needs no confirmation', async () => {
      const dir = path.join(tmp.make('hammock-policy-wc-'), 'r');
      const p = provider(false);
      await GitClient.clone({ url: server.url('repo'), dir, auth: p, author: AUTHOR });
      assert.deepEqual(p.confirmed, []);
    });
  });
});
