// A remote whose HEAD is a dangling symref (HEAD -> refs/heads/master while only main exists), over the loopback
// smart-HTTP server. git fetches it and says nothing; isomorphic-git throws "Could not find HEAD." (#1654, see
// src/git/ops/remoteHead.ts). Hammock's fetch, pull and Review's fetch of a branch leave the refs git fetch leaves
// on an identical copy; a clone (nothing to check out) fails with RemoteHeadMissing naming what HEAD points at and
// what to do; through the user's git ("always") everything works as well.

import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { listRemoteBranches } from '../../../src/git/remoteBranches';
import { missingRemoteHeadError } from '../../../src/git/ops/remoteHead';
import { pktLines } from '../../../src/git/packCapture';
import { firstAdvertisedBranch } from '../../../src/git/ops/transfer';
import { GitCli } from '../../../src/git/systemGit';
import { CutProxy } from '../../support/cutProxy';
import { GitServer } from '../../support/gitServer';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, rejects, requestYaml, sourceTransferWorker, TempDirs } from './gitTestRepos';

describe('a remote whose HEAD points to a branch that does not exist', function () {
  this.timeout(120_000);
  const tmp = new TempDirs();
  let server: GitServer;
  let n = 0;

  before(async () => {
    server = await GitServer.start({ projectRoot: tmp.make('hammock-head-srv-'), token: null });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  /** A remote cloned by Hammock while its HEAD was fine; then HEAD is pointed at a missing master and someone pushes main and feature. */
  async function danglingRemote(incoming: Record<string, string> = {}): Promise<{ url: string; bare: string; client: GitClient; theirs: string }> {
    const seed = initRepo(tmp.make('hammock-head-seed-'), legacySeed(3));
    const name = `repo${++n}`;
    const bare = server.createBareRepo(name, { seedDir: seed });
    const url = server.url(name);
    const client = await GitClient.clone({ url, dir: path.join(tmp.make('hammock-head-wc-'), 'repo'), author: AUTHOR });
    gitCli(bare, 'symbolic-ref', 'HEAD', 'refs/heads/master');
    const other = path.join(tmp.make('hammock-head-other-'), 'wc');
    await gitCliAsync(path.dirname(other), 'clone', '-q', '-b', 'main', url, other);
    const theirs = commitFiles(other, { '.insomnia/Request/req_9.yml': requestYaml('req_9', 'Nine'), ...incoming }, 'nine');
    await gitCliAsync(other, 'push', '-q', 'origin', 'HEAD:main', 'HEAD:refs/heads/feature');
    return { url, bare, client, theirs };
  }

  function twin(dir: string): string {
    const d = path.join(tmp.make('hammock-head-twin-'), 'repo');
    fs.cpSync(dir, d, { recursive: true });
    return d;
  }

  const refs = (d: string): string => gitCli(d, 'for-each-ref', '--format=%(refname) %(objectname) %(symref)');

  it('the message, as far as the server tells (v2 ls-refs unborn; a HEAD it does not advertise in v1; nothing)', () => {
    const url = 'https://u:secret@git.example.com/team/api.git';
    const dangling = missingRemoteHeadError('clone', url, { unborn: true, target: 'refs/heads/master', branches: ['dev', 'release'] });
    assert.equal(dangling.code, GitErrorCode.RemoteHeadMissing);
    assert.match(dangling.message, /^Cannot clone from https:\/\/\*\*\*@git\.example\.com\/team\/api\.git: the remote's HEAD points to refs\/heads\/master, which does not exist \(its branches: dev, release\)/);
    assert.match(dangling.message, /git symbolic-ref HEAD refs\/heads\/dev;/);
    assert.ok(!dangling.message.includes('secret'));
    const gogs = missingRemoteHeadError('fetch', url, { unborn: false, target: 'refs/heads/default', branches: ['default'] });
    assert.match(gogs.message, /the server does not advertise its HEAD \(refs\/heads\/default\) to Hammock's built-in git/);
    const unknown = missingRemoteHeadError('fetch', url, undefined);
    assert.match(unknown.message, /the remote advertises no HEAD: it points to a branch that does not exist\. Hammock's built-in git cannot/);
    assert.match(unknown.message, /hammock\.git\.useSystemGit to "always"/);
    // the advertisement's first branch, past the service line and the capabilities
    const adv = Buffer.from(['001e# service=git-upload-pack\n', '0000', pktOf(`${'a'.repeat(40)} refs/tags/v1\0multi_ack symref=x`), pktOf(`${'b'.repeat(40)} refs/heads/main`), '0000'].join(''));
    assert.equal(firstAdvertisedBranch(adv), 'refs/heads/main');
    assert.deepEqual(pktLines(Buffer.from('0009abcd\n0000000aefgh\n')), ['abcd', 'efgh']);
  });

  it('fetch (every branch): the refs git fetch leaves on an identical copy, objects whole (fsck --strict)', async () => {
    const { client, theirs } = await danglingRemote();
    const copy = twin(client.dir);
    await gitCliAsync(copy, 'fetch', 'origin'); // git: no error, not even a warning
    await client.fetch();
    assert.equal(refs(client.dir), refs(copy));
    assert.equal(gitCli(client.dir, 'rev-parse', 'origin/feature'), theirs);
    gitCli(client.dir, 'fsck', '--strict', '--no-progress');
  });

  it('fetch of one branch (Review\'s), then pull: as git fetch origin feature and git pull leave the copy', async () => {
    const { client, theirs } = await danglingRemote();
    const copy = twin(client.dir);
    await client.fetch({ branch: 'feature' });
    await gitCliAsync(copy, 'fetch', '-q', 'origin', 'feature');
    assert.equal(refs(client.dir), refs(copy));
    assert.equal(gitCli(client.dir, 'rev-parse', 'origin/feature'), theirs);

    const pulled = await client.pull();
    await gitCliAsync(copy, 'pull', '-q', '--ff-only');
    assert.equal(pulled.kind, 'fastForward');
    assert.equal(gitCli(client.dir, 'rev-parse', 'HEAD'), theirs);
    assert.equal(refs(client.dir), refs(copy));
    assert.equal(gitCli(client.dir, 'ls-files', '-s'), gitCli(copy, 'ls-files', '-s'));
    assert.equal(gitCli(client.dir, 'status', '--porcelain'), '');
    gitCli(client.dir, 'fsck', '--strict', '--no-progress');
  });

  it('fetch from a branch without upstream, and from a detached HEAD (isomorphic-git would look up the remote\'s HEAD first)', async () => {
    const { client } = await danglingRemote();
    await client.createBranch('local-only', { checkout: true });
    const copy = twin(client.dir);
    await client.fetch();
    await gitCliAsync(copy, 'fetch', '-q', 'origin');
    assert.equal(refs(client.dir), refs(copy));

    const detached = await danglingRemote();
    gitCli(detached.client.dir, 'checkout', '-q', '--detach');
    const copy2 = twin(detached.client.dir);
    await detached.client.fetch();
    await gitCliAsync(copy2, 'fetch', '-q', 'origin');
    assert.equal(refs(detached.client.dir), refs(copy2));
  });

  it('push: the remote gets the commit, as git push leaves an identical remote', async () => {
    const { client, bare } = await danglingRemote();
    await client.pull();
    fs.writeFileSync(path.join(client.dir, 'pushed.txt'), 'pushed\n');
    await client.stage(['pushed.txt']);
    const oid = await client.commit('pushed');
    const result = await client.push();
    assert.equal(result.oid, oid);
    assert.equal(gitCli(bare, 'rev-parse', 'refs/heads/main'), oid);
    assert.equal(gitCli(bare, 'symbolic-ref', 'HEAD'), 'refs/heads/master', 'the remote\'s HEAD left as it was');
    assert.equal(gitCli(client.dir, 'rev-parse', 'origin/main'), oid);
    gitCli(bare, 'fsck', '--strict', '--no-progress');
  });

  it('through the transfer worker (the extension\'s path): the same refs', async () => {
    const { client } = await danglingRemote();
    const copy = twin(client.dir);
    const worker = sourceTransferWorker();
    try {
      await new GitClient(client.dir, { transferWorker: worker }).fetch();
    } finally {
      worker.dispose();
    }
    await gitCliAsync(copy, 'fetch', '-q', 'origin');
    assert.equal(refs(client.dir), refs(copy));
  });

  it('a connection cut after isomorphic-git gave up on HEAD, mid-pack: no ref moves; the next fetch completes', async () => {
    const noise = crypto.randomBytes(400_000).toString('base64'); // a pack of some size, incompressible
    const { client, url } = await danglingRemote({ 'big.txt': noise });
    const proxy = await CutProxy.start(server.port);
    try {
      const name = new URL(url).pathname.replace(/^\/|\.git$/g, '');
      gitCli(client.dir, 'remote', 'set-url', 'origin', proxy.url(name));
      const copy = twin(client.dir);
      await new GitClient(copy).fetch(); // measured: the size of the pack's response
      const post = proxy.exchanges.filter((e) => /^POST /.test(e.line)).pop()!;
      assert.ok(post.responseBytes > 200_000, `a pack of ${post.responseBytes} bytes`);
      const before = refs(client.dir);
      proxy.setRule({ request: /^POST .*git-upload-pack/, afterBytes: Math.floor(post.responseBytes / 2), action: 'cut' });
      await rejects(client.fetch(), GitErrorCode.NetworkUnreachable);
      assert.equal(refs(client.dir), before, 'no ref moved');
      proxy.setRule(undefined);
      await client.fetch();
      assert.equal(refs(client.dir), refs(copy));
      gitCli(client.dir, 'fsck', '--strict', '--no-progress');
    } finally {
      await proxy.close();
    }
  });

  it('clone (nothing to check out: git clone warns and leaves no branch): RemoteHeadMissing saying what HEAD points at and what to do, no folder left', async () => {
    const { url } = await danglingRemote();
    const parent = tmp.make('hammock-head-clone-');
    const err = await rejects(GitClient.clone({ url, dir: path.join(parent, 'repo'), author: AUTHOR }), GitErrorCode.RemoteHeadMissing);
    assert.match(err.message, /the remote's HEAD points to refs\/heads\/master, which does not exist \(its branches: feature, main\)/);
    assert.match(err.message, /git symbolic-ref HEAD refs\/heads\/main/);
    assert.match(err.message, /hammock\.git\.useSystemGit to "always"/);
    assert.deepEqual(fs.readdirSync(parent), []);
  });

  it('Review\'s listing of the branches works (no HEAD needed), without a default branch', async () => {
    const { client, theirs } = await danglingRemote();
    const listed = await listRemoteBranches(client.dir);
    assert.equal(listed.defaultBranch, undefined);
    assert.deepEqual(listed.branches.map((b) => `${b.name} ${b.oid}`), [`feature ${theirs}`, `main ${theirs}`]);
  });

  it('through the user\'s git ("always"): fetch, fetch of a branch and pull work, leaving the refs git leaves', async () => {
    const { client, theirs } = await danglingRemote();
    const cli = new GitCli({ env: { GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent-hammock-home' } });
    const mine = new GitClient(client.dir, { externalGit: cli, externalGitMode: 'always' });
    const copy = twin(client.dir);
    await mine.fetch();
    await gitCliAsync(copy, 'fetch', 'origin');
    assert.equal(refs(client.dir), refs(copy));
    assert.equal(gitCli(client.dir, 'rev-parse', 'origin/feature'), theirs);
    const pulled = await mine.pull();
    await gitCliAsync(copy, 'pull', '-q', '--ff-only');
    assert.equal(pulled.kind, 'fastForward');
    assert.equal(gitCli(client.dir, 'rev-parse', 'HEAD'), gitCli(copy, 'rev-parse', 'HEAD'));
    assert.equal(refs(client.dir), refs(copy));
    assert.equal(gitCli(client.dir, 'status', '--porcelain'), '');
    gitCli(client.dir, 'fsck', '--strict', '--no-progress');
  });
});

function pktOf(line: string): string {
  return (Buffer.byteLength(line) + 5).toString(16).padStart(4, '0') + line + '\n';
}
