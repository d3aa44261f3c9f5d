// listRemoteBranches against a real smart-HTTP git server on loopback: the branches as the server has them now, its
// default branch first, the token sent up front, nothing written to the repository.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as path from 'node:path';
import { GitErrorCode, isGitError } from '../../../src/git/gitError';
import { knownRemoteBranches, listRemoteBranches } from '../../../src/git/remoteBranches';
import { GitServer } from '../../support/gitServer';
import { gitCli, initRepo, legacySeed, snapshot, TempDirs } from './gitTestRepos';

const TOKEN = 'branches-token';

describe('listRemoteBranches', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  let server: GitServer;

  before(async () => {
    server = await GitServer.start({ projectRoot: tmp.make('hammock-branches-srv-'), token: TOKEN });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('lists the server\'s branches, default first, with the token, without writing anything', async () => {
    const seed = initRepo(tmp.make('hammock-branches-seed-'), legacySeed(2));
    const bare = server.createBareRepo('listed', { seedDir: seed });
    const url = server.url('listed');
    gitCli(bare, 'branch', 'a-feature', 'main');
    gitCli(bare, 'branch', 'zz/last', 'main');
    const mainOid = gitCli(bare, 'rev-parse', 'main').trim();

    const local = initRepo(tmp.make('hammock-branches-local-'), legacySeed(1));
    gitCli(local, 'remote', 'add', 'origin', url);
    const files = Object.keys(legacySeed(1));
    const before = snapshot(local, files);
    const gitBefore = gitCli(local, 'for-each-ref');
    const auth = { getCredentials: () => ({ token: TOKEN }), requestCredentials: async () => undefined };
    const requests = server.requests.length;
    const result = await listRemoteBranches(local, { auth });
    assert.equal(result.remote, 'origin');
    assert.equal(result.defaultBranch, 'main');
    assert.deepEqual(result.branches.map((b) => b.name), ['main', 'a-feature', 'zz/last']);
    assert.equal(result.branches[0].oid, mainOid);
    assert.ok(server.requests.slice(requests).every((r) => r.authorized), 'the token went up front');
    assert.deepEqual(snapshot(local, files), before);
    assert.equal(gitCli(local, 'for-each-ref'), gitBefore, 'no ref written');

    // the server's default branch is what its HEAD points at
    gitCli(bare, 'symbolic-ref', 'HEAD', 'refs/heads/a-feature');
    const moved = await listRemoteBranches(local, { auth });
    assert.equal(moved.defaultBranch, 'a-feature');
    assert.deepEqual(moved.branches.map((b) => b.name), ['a-feature', 'main', 'zz/last']);

    // no token: refused as git refuses; no remote: said so
    await assert.rejects(listRemoteBranches(local, {}), (err) => isGitError(err) && (err.code === GitErrorCode.AuthRequired || err.code === GitErrorCode.AuthFailed));
    await assert.rejects(listRemoteBranches(local, { remote: 'upstream', auth }), (err) => isGitError(err, GitErrorCode.NoRemote));
    assert.equal(path.basename(bare), 'listed.git');
  });

  describe('knownRemoteBranches: when the remote cannot be asked (Review Branch offline, or with no remote)', () => {
    it('a remote that refuses the credentials, or has no such repository, is not taken for offline: thrown, as Fetch throws it', async () => {
      const seed = initRepo(tmp.make('hammock-branches-seed-'), legacySeed(1));
      server.createBareRepo('guarded', { seedDir: seed });
      const local = initRepo(tmp.make('hammock-branches-refused-'), legacySeed(1));
      gitCli(local, 'remote', 'add', 'origin', server.url('guarded'));
      gitCli(local, 'update-ref', 'refs/remotes/origin/main', gitCli(local, 'rev-parse', 'main').trim());
      const wrong = { getCredentials: () => ({ token: 'not-the-token' }), requestCredentials: async () => undefined };
      await assert.rejects(knownRemoteBranches(local, { auth: wrong }), (err) => isGitError(err) && (err.code === GitErrorCode.AuthRequired || err.code === GitErrorCode.AuthFailed));
      await assert.rejects(knownRemoteBranches(local, {}), (err) => isGitError(err) && (err.code === GitErrorCode.AuthRequired || err.code === GitErrorCode.AuthFailed));
      gitCli(local, 'remote', 'set-url', 'origin', server.url('no-such-repository'));
      const auth = { getCredentials: () => ({ token: TOKEN }), requestCredentials: async () => undefined };
      await assert.rejects(knownRemoteBranches(local, { auth }), (err) => isGitError(err) && err.code !== GitErrorCode.NetworkUnreachable);
    });

    it('no remote: no branch, and why (NoRemote), rather than an error', async () => {
      const local = initRepo(tmp.make('hammock-branches-noremote-'), legacySeed(1));
      gitCli(local, 'branch', 'feature');
      const known = await knownRemoteBranches(local, {});
      assert.deepEqual({ ...known, unreachable: known.unreachable?.code }, { remote: 'origin', defaultBranch: undefined, branches: [], pullRequests: [], unreachable: GitErrorCode.NoRemote });
    });

    it('an unreachable remote: the branches its last fetch recorded, its recorded default first, and why', async () => {
      const local = initRepo(tmp.make('hammock-branches-offline-'), legacySeed(1));
      // a port nothing listens on: refused, as offline
      const port = await new Promise<number>((resolve) => {
        const s = net.createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as net.AddressInfo).port;
          s.close(() => resolve(p));
        });
      });
      gitCli(local, 'remote', 'add', 'origin', `http://127.0.0.1:${port}/repo.git`);
      const main = gitCli(local, 'rev-parse', 'main');
      gitCli(local, 'update-ref', 'refs/remotes/origin/a-mate', main);
      gitCli(local, 'update-ref', 'refs/remotes/origin/main', main);
      gitCli(local, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
      gitCli(local, 'pack-refs', '--all');
      gitCli(local, 'update-ref', 'refs/remotes/origin/z/loose', main);
      const refsBefore = gitCli(local, 'for-each-ref');
      const known = await knownRemoteBranches(local, {});
      assert.equal(known.defaultBranch, 'main');
      assert.deepEqual(known.branches, [{ name: 'main', oid: main }, { name: 'a-mate', oid: main }, { name: 'z/loose', oid: main }]);
      assert.equal(known.unreachable?.code, GitErrorCode.NetworkUnreachable);
      assert.match(known.unreachable!.message, /refused the connection \(ECONNREFUSED\)\. Check the remote URL/);
      assert.equal(gitCli(local, 'for-each-ref'), refsBefore, 'no ref written');
      // a cancel is the user's: still thrown
      await assert.rejects(knownRemoteBranches(local, { signal: AbortSignal.abort() }), (err) => isGitError(err, GitErrorCode.Cancelled));
    });
  });
});
