// After a 401 the token the user gives retries the operation that needed it (push, pull, clone), against a real
// git server that requires auth on every request; the git CLI confirms what arrived.

import * as assert from 'assert';
import * as path from 'path';
import type { GitAuthProvider, GitCredentials } from '../../../src/git/auth';
import { isCredentialError, retryWithCredentials } from '../../../src/git/authRetry';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode, isGitError } from '../../../src/git/gitError';
import { GitServer } from '../../support/gitServer';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, rejects, TempDirs, writeFiles } from './gitTestRepos';

const TOKEN = 'secret-token';

/** Knows no token and declines the prompt (the user dismissed it, or auto-fetch); records what it is told to keep. */
function emptyStore(): GitAuthProvider & { kept: GitCredentials[]; asked: number } {
  const s = {
    kept: [] as GitCredentials[],
    asked: 0,
    getCredentials: () => undefined,
    requestCredentials: async () => {
      s.asked++;
      return undefined;
    },
    credentialsAccepted: (_url: string, c: GitCredentials) => {
      s.kept.push(c);
    },
  };
  return s;
}

describe('authRetry: a token given after a 401 retries the operation', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  let server: GitServer;
  let n = 0;

  before(async () => {
    server = await GitServer.start({ projectRoot: tmp.make('hammock-retry-srv-'), token: TOKEN });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  function remote(): { url: string; bare: string } {
    const name = `retry${++n}`;
    const bare = server.createBareRepo(name, { seedDir: initRepo(tmp.make('hammock-retry-seed-'), legacySeed(2)) });
    return { url: server.url(name), bare };
  }

  async function cloneWithToken(url: string): Promise<string> {
    const dir = path.join(tmp.make('hammock-retry-wc-'), 'r');
    await GitClient.clone({ url, dir, auth: { getCredentials: () => ({ token: TOKEN }), requestCredentials: async () => undefined }, author: AUTHOR });
    return dir;
  }

  it('push: AuthRequired, then the same push runs again with the token; it arrives and the token is kept', async () => {
    const { url, bare } = remote();
    const dir = await cloneWithToken(url);
    const store = emptyStore();
    const client = new GitClient(dir, { auth: store });
    writeFiles(dir, { 'new.txt': 'new\n' });
    await client.stage(['new.txt']);
    const oid = await client.commit('add new.txt');
    let failure: unknown;
    await client.push().catch((e) => (failure = e));
    assert.ok(isCredentialError(failure), `expected an auth error, got ${String(failure)}`);
    assert.equal(gitCli(bare, 'rev-parse', 'refs/heads/main') === oid, false, 'nothing arrived yet');

    const before = server.requests.length;
    const result = await retryWithCredentials(url, { token: TOKEN }, store, (auth) => client.push({ auth }));
    assert.equal(result.oid, oid);
    assert.equal(gitCli(bare, 'rev-parse', 'refs/heads/main'), oid, 'the git CLI sees the pushed commit on the server');
    assert.equal(gitCli(dir, 'rev-parse', 'refs/remotes/origin/main'), oid);
    const mine = server.requests.slice(before);
    assert.ok(mine.every((r) => r.authorized && r.status !== 401), 'the retry sent the token up front: no second 401');
    assert.deepEqual(store.kept, [{ token: TOKEN }]);
    assert.equal(store.asked, 1, 'the retry itself did not prompt');
  });

  it('a refused token: AuthFailed at once, nothing kept, the commit not pushed', async () => {
    const { url, bare } = remote();
    const dir = await cloneWithToken(url);
    const store = emptyStore();
    const client = new GitClient(dir, { auth: store });
    const remoteHead = gitCli(bare, 'rev-parse', 'refs/heads/main');
    commitFiles(dir, { 'x.txt': 'x\n' });
    await rejects(retryWithCredentials(url, { token: 'wrong' }, store, (auth) => client.push({ auth })), GitErrorCode.AuthFailed);
    assert.deepEqual(store.kept, []);
    assert.equal(store.asked, 0);
    assert.equal(gitCli(bare, 'rev-parse', 'refs/heads/main'), remoteHead);
  });

  it('pull: retried with the token, the incoming commit is merged as git would', async () => {
    const { url } = remote();
    const dir = await cloneWithToken(url);
    const other = await cloneWithToken(url);
    const theirs = commitFiles(other, { 'theirs.txt': 't\n' });
    await gitCliAsync(other, '-c', `http.extraHeader=Authorization: Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`, 'push', '-q', 'origin', 'HEAD:main');
    const store = emptyStore();
    const client = new GitClient(dir, { auth: store });
    await client.pull().then(
      () => assert.fail('the pull should need a token'),
      (e) => assert.ok(isCredentialError(e)),
    );
    const result = await retryWithCredentials(url, { token: TOKEN }, store, (auth) => client.pull({ auth }));
    assert.equal(result.kind, 'fastForward');
    assert.equal(gitCli(dir, 'rev-parse', 'HEAD'), theirs);
    assert.equal(gitCli(dir, 'status', '--porcelain'), '');
    assert.deepEqual(store.kept, [{ token: TOKEN }]);
  });

  it('a failure that is not about credentials (nothing to push) still proves the token: it is kept', async () => {
    const { url } = remote();
    const dir = await cloneWithToken(url);
    const store = emptyStore();
    const client = new GitClient(dir, { auth: store });
    await assert.rejects(retryWithCredentials(url, { token: TOKEN }, store, (auth) => client.push({ auth })), (e: unknown) => isGitError(e, GitErrorCode.NothingToPush));
    assert.deepEqual(store.kept, [{ token: TOKEN }]);
  });
});
