// HEAD read without isomorphic-git (plumbing/gitFs.readHead, used by GitClient.currentBranch and headOid so that a
// window's first status does not load it): the branch and commit must be what isomorphic-git and the git CLI say,
// on a branch (loose ref, packed ref, no commit yet, a name with a slash), detached, in a linked worktree, and
// where readHead leaves HEAD to isomorphic-git (a symbolic ref outside refs/heads).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { GitClient } from '../../../src/git/gitClient';
import { isogit } from '../../../src/git/isogit';
import { gitFs, readHead } from '../../../src/git/plumbing/gitFs';
import { gitCli, initRepo, TempDirs, writeFiles } from './gitTestRepos';

describe('readHead: HEAD without isomorphic-git, as isomorphic-git and git read it', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  /** The client's branch and HEAD commit, checked against isomorphic-git's and git's. */
  async function head(dir: string): Promise<{ branch: string | undefined; oid: string | null }> {
    const client = new GitClient(dir);
    const got = { branch: await client.currentBranch(), oid: await client.headOid() };
    const gitdir = client.gitdir;
    const iso = {
      branch: (await isogit().currentBranch({ fs: gitFs, dir, gitdir, fullname: false })) ?? undefined,
      oid: await isogit().resolveRef({ fs: gitFs, dir, gitdir, ref: 'HEAD' }).catch(() => null),
    };
    assert.deepEqual(got, iso, 'as isomorphic-git reads it');
    let cliBranch: string | undefined;
    try {
      cliBranch = gitCli(dir, 'symbolic-ref', '-q', '--short', 'HEAD') || undefined;
    } catch {
      cliBranch = undefined; // detached
    }
    let cliOid: string | null;
    try {
      cliOid = gitCli(dir, 'rev-parse', '-q', '--verify', 'HEAD');
    } catch {
      cliOid = null; // no commit yet
    }
    assert.deepEqual(got, { branch: cliBranch, oid: cliOid }, 'as git reads it');
    return got;
  }

  it('on a branch: its loose ref, then packed only, then a branch with a slash and no commit yet', async () => {
    const dir = initRepo(tmp.make(), { 'a.txt': 'a\n' });
    const gitdir = path.join(dir, '.git');
    const first = await head(dir);
    assert.equal(first.branch, 'main');
    assert.deepEqual(await readHead(gitdir), first, 'readHead read it (not isomorphic-git)');
    gitCli(dir, 'pack-refs', '--all');
    assert.deepEqual(await head(dir), first);
    assert.deepEqual(await readHead(gitdir), first);
    gitCli(dir, 'checkout', '-q', '--orphan', 'feature/new');
    assert.deepEqual(await head(dir), { branch: 'feature/new', oid: null });
    assert.deepEqual(await readHead(gitdir), { branch: 'feature/new', oid: null });
  });

  it('detached, and in a linked worktree (HEAD its own, refs shared)', async () => {
    const dir = initRepo(tmp.make(), { 'a.txt': 'a\n' });
    writeFiles(dir, { 'b.txt': 'b\n' });
    gitCli(dir, 'add', '-A');
    gitCli(dir, 'commit', '-qm', 'two');
    const worktree = path.join(tmp.make(), 'wt');
    gitCli(dir, 'worktree', 'add', '-q', '-b', 'side', worktree, 'HEAD~1');
    gitCli(dir, 'pack-refs', '--all');
    const side = await head(worktree);
    assert.equal(side.branch, 'side');
    assert.deepEqual(await readHead(new GitClient(worktree).gitdir), side, 'readHead read it');
    gitCli(dir, 'checkout', '-q', '--detach', 'HEAD~1');
    const detached = await head(dir);
    assert.equal(detached.branch, undefined);
    assert.deepEqual(await readHead(path.join(dir, '.git')), detached);
  });

  it('a symbolic ref outside refs/heads is left to isomorphic-git', async () => {
    const dir = initRepo(tmp.make(), { 'a.txt': 'a\n' });
    gitCli(dir, 'update-ref', 'refs/other/x', 'HEAD');
    gitCli(dir, 'symbolic-ref', 'HEAD', 'refs/other/x');
    assert.equal(await readHead(path.join(dir, '.git')), undefined);
    const client = new GitClient(dir);
    assert.equal(await client.headOid(), gitCli(dir, 'rev-parse', 'HEAD'));
  });
});
