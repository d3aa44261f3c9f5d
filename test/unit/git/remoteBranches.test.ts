// listRemoteBranches against a real smart-HTTP git server on loopback: the branches as the server has them now, its
// default branch first, the token sent up front, nothing written to the repository.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { GitErrorCode, isGitError } from '../../../src/git/gitError';
import { listRemoteBranches } from '../../../src/git/remoteBranches';
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
});
