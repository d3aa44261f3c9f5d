// Whether a branch is merged as `git branch -d` decides it (builtin/branch.c branch_merged: into its upstream when it
// has one that resolves, else into HEAD), and the commits deleting it would lose: those on no other local or
// remote-tracking branch, as `git log <branch> --not --exclude=<branch> --branches --remotes` lists them. The git CLI
// is the oracle, on a copy of the same repository.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync, spawnSync } from 'child_process';
import { GitClient } from '../../../src/git/gitClient';
import { gitCli, initRepo, legacySeed, TempDirs } from './gitTestRepos';

let clock = 1_700_000_000;

/** An empty commit on the current branch, one second after the last (dates decide git log's order). */
function commit(dir: string, message: string, at = ++clock): string {
  execFileSync('git', ['commit', '-q', '--allow-empty', '-m', message], {
    cwd: dir,
    env: { ...process.env, HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_DATE: `@${at} +0000`, GIT_COMMITTER_DATE: `@${at} +0000` },
    stdio: 'pipe',
  });
  return gitCli(dir, 'rev-parse', 'HEAD');
}

/** A remote `origin` whose fetch refspec maps its branches to refs/remotes/origin/*; no server needed. */
function addOrigin(dir: string): void {
  gitCli(dir, 'remote', 'add', 'origin', 'https://example.invalid/repo.git');
}

function track(dir: string, branch: string, remoteBranch = branch): void {
  gitCli(dir, 'config', `branch.${branch}.remote`, 'origin');
  gitCli(dir, 'config', `branch.${branch}.merge`, `refs/heads/${remoteBranch}`);
}

/** What git says: whether `git branch -d` deletes the branch (on a copy), and the commits it would lose. */
function oracle(tmp: TempDirs, dir: string, branch: string): { merged: boolean; lost: string[] } {
  const copy = path.join(tmp.make(), 'copy');
  fs.cpSync(dir, copy, { recursive: true });
  const r = spawnSync('git', ['branch', '-d', branch], { cwd: copy, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' }, stdio: 'pipe' });
  const lost = gitCli(dir, 'log', '--format=%H', branch, '--not', `--exclude=${branch}`, '--branches', '--remotes').split('\n').filter(Boolean);
  return { merged: r.status === 0, lost };
}

async function sameAsGit(tmp: TempDirs, dir: string, branch: string, expected: { merged: boolean; lost: number }): Promise<void> {
  const git = oracle(tmp, dir, branch);
  assert.deepStrictEqual({ merged: git.merged, lost: git.lost.length }, expected, 'the scenario is what git says it is');
  const ours = await new GitClient(dir).branchMergeState(branch);
  assert.strictEqual(ours.merged, git.merged, `merged: Hammock says ${ours.merged}, git branch -d ${git.merged ? 'deletes' : 'refuses'}`);
  assert.deepStrictEqual(
    ours.lost.map((c) => c.oid),
    git.lost,
    'the commits on no other branch, in git log order',
  );
  for (const c of ours.lost) assert.strictEqual(c.summary, gitCli(dir, 'log', '-1', '--format=%s', c.oid));
  assert.strictEqual(ours.oid, gitCli(dir, 'rev-parse', `refs/heads/${branch}`));
}

describe('branchMergeState: what git branch -d decides, and what deleting a branch loses (git CLI oracle)', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  function repo(): string {
    const dir = initRepo(tmp.make(), legacySeed(1));
    commit(dir, 'base');
    return dir;
  }

  /** A repository on `feature` (one commit past main), pushed as it is: origin/feature at it, and its upstream. */
  function featureTrackingOrigin(): string {
    const dir = repo();
    addOrigin(dir);
    gitCli(dir, 'switch', '-q', '-c', 'feature');
    commit(dir, 'feature one');
    gitCli(dir, 'update-ref', 'refs/remotes/origin/feature', 'feature');
    track(dir, 'feature');
    return dir;
  }

  it('a branch merged into HEAD: merged, nothing lost', async () => {
    const dir = repo();
    gitCli(dir, 'switch', '-q', '-c', 'topic');
    commit(dir, 'topic one');
    commit(dir, 'topic two');
    gitCli(dir, 'switch', '-q', 'main');
    commit(dir, 'main moves on');
    gitCli(dir, 'merge', '-q', '--no-ff', '-m', 'merge topic', 'topic');
    await sameAsGit(tmp, dir, 'topic', { merged: true, lost: 0 });
  });

  it('a branch with commits of its own: not merged, those commits lost (newest first)', async () => {
    const dir = repo();
    gitCli(dir, 'switch', '-q', '-c', 'topic');
    commit(dir, 'topic one');
    commit(dir, 'topic two');
    commit(dir, 'topic three');
    gitCli(dir, 'switch', '-q', 'main');
    commit(dir, 'main moves on');
    await sameAsGit(tmp, dir, 'topic', { merged: false, lost: 3 });
  });

  it('a branch with a merge of its own: the merged-in side commits on no other branch are lost too', async () => {
    const dir = repo();
    gitCli(dir, 'switch', '-q', '-c', 'side');
    commit(dir, 'side one');
    gitCli(dir, 'switch', '-q', '-c', 'topic', 'main');
    commit(dir, 'topic one');
    gitCli(dir, 'switch', '-q', 'side');
    commit(dir, 'side two');
    gitCli(dir, 'switch', '-q', 'topic');
    execFileSync('git', ['merge', '-q', '--no-ff', '-m', 'merge side', 'side'], { cwd: dir, env: { ...process.env, GIT_COMMITTER_DATE: `@${++clock} +0000`, GIT_AUTHOR_DATE: `@${clock} +0000` }, stdio: 'pipe' });
    commit(dir, 'topic two');
    gitCli(dir, 'switch', '-q', 'main');
    gitCli(dir, 'branch', '-D', 'side');
    gitCli(dir, 'branch', 'side-start', 'HEAD'); // another branch, at main
    await sameAsGit(tmp, dir, 'topic', { merged: false, lost: 5 });
  });

  it('a branch built on another: only the commits past the other branch are lost', async () => {
    const dir = repo();
    gitCli(dir, 'switch', '-q', '-c', 'topic');
    commit(dir, 'topic one');
    gitCli(dir, 'switch', '-q', '-c', 'topic2');
    commit(dir, 'topic2 one');
    commit(dir, 'topic2 two');
    gitCli(dir, 'switch', '-q', 'main');
    await sameAsGit(tmp, dir, 'topic2', { merged: false, lost: 2 });
    await sameAsGit(tmp, dir, 'topic', { merged: false, lost: 0 });
  });

  it('a branch equal to its upstream but not merged into HEAD: merged (into its upstream), nothing lost', async () => {
    const dir = featureTrackingOrigin();
    gitCli(dir, 'switch', '-q', 'main');
    await sameAsGit(tmp, dir, 'feature', { merged: true, lost: 0 });
  });

  it('a branch ahead of its upstream, though merged into HEAD: not merged (git checks the upstream), nothing lost', async () => {
    const dir = featureTrackingOrigin();
    commit(dir, 'feature two, not pushed');
    gitCli(dir, 'switch', '-q', 'main');
    gitCli(dir, 'merge', '-q', '--ff-only', 'feature');
    await sameAsGit(tmp, dir, 'feature', { merged: false, lost: 0 });
  });

  it('a branch ahead of its upstream: not merged, the unpushed commits lost', async () => {
    const dir = featureTrackingOrigin();
    commit(dir, 'feature two, not pushed');
    gitCli(dir, 'switch', '-q', 'main');
    await sameAsGit(tmp, dir, 'feature', { merged: false, lost: 1 });
  });

  it('an upstream configured but never fetched: checked against HEAD, as git does', async () => {
    const dir = repo();
    addOrigin(dir);
    gitCli(dir, 'branch', 'fresh');
    track(dir, 'fresh');
    await sameAsGit(tmp, dir, 'fresh', { merged: true, lost: 0 });
    gitCli(dir, 'switch', '-q', 'fresh');
    commit(dir, 'fresh one');
    gitCli(dir, 'switch', '-q', 'main');
    await sameAsGit(tmp, dir, 'fresh', { merged: false, lost: 1 });
  });

  it('a branch whose commits are on a remote-tracking branch only (no upstream): not merged, nothing lost', async () => {
    const dir = repo();
    addOrigin(dir);
    gitCli(dir, 'switch', '-q', '-c', 'shared');
    commit(dir, 'shared one');
    commit(dir, 'shared two');
    gitCli(dir, 'update-ref', 'refs/remotes/origin/elsewhere', 'shared');
    gitCli(dir, 'switch', '-q', 'main');
    commit(dir, 'main moves on');
    await sameAsGit(tmp, dir, 'shared', { merged: false, lost: 0 });
  });

  it('commits made within one second: the same commits, in the order git log gives', async () => {
    const dir = repo();
    gitCli(dir, 'switch', '-q', '-c', 'topic');
    const at = ++clock;
    for (let i = 0; i < 4; i++) commit(dir, `same second ${i}`, at);
    gitCli(dir, 'switch', '-q', 'main');
    await sameAsGit(tmp, dir, 'topic', { merged: false, lost: 4 });
  });

  it('a detached HEAD: merged means reachable from the detached commit', async () => {
    const dir = repo();
    gitCli(dir, 'switch', '-q', '-c', 'topic');
    commit(dir, 'topic one');
    gitCli(dir, 'switch', '-q', '--detach', 'topic');
    commit(dir, 'detached one');
    await sameAsGit(tmp, dir, 'topic', { merged: true, lost: 1 });
  });
});

describe('deleteBranch with requireMerged (git branch -d) and oid', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  it('refuses a branch that is not fully merged, as git branch -d does, and deletes a merged one', async () => {
    const dir = initRepo(tmp.make(), legacySeed(1));
    gitCli(dir, 'branch', 'merged');
    gitCli(dir, 'switch', '-q', '-c', 'topic');
    commit(dir, 'topic one');
    gitCli(dir, 'switch', '-q', 'main');
    const c = new GitClient(dir);
    await assert.rejects(c.deleteBranch('topic', { requireMerged: true }), (e: { code?: string; message?: string }) => e.code === 'BranchNotFullyMerged' && /not fully merged/.test(e.message ?? ''));
    assert.strictEqual(gitCli(dir, 'branch', '--list', 'topic'), '  topic', 'nothing deleted');
    await c.deleteBranch('merged', { requireMerged: true });
    assert.strictEqual(gitCli(dir, 'branch', '--list', 'merged'), '');
  });

  it('with oid: refuses once the branch moved from the commit the user was shown', async () => {
    const dir = initRepo(tmp.make(), legacySeed(1));
    gitCli(dir, 'switch', '-q', '-c', 'topic');
    const shown = commit(dir, 'topic one');
    commit(dir, 'topic two, made meanwhile');
    gitCli(dir, 'switch', '-q', 'main');
    const c = new GitClient(dir);
    await assert.rejects(c.deleteBranch('topic', { oid: shown }), (e: { code?: string }) => e.code === 'RefChanged');
    assert.strictEqual(gitCli(dir, 'branch', '--list', 'topic'), '  topic', 'nothing deleted');
    await c.deleteBranch('topic', { oid: gitCli(dir, 'rev-parse', 'topic') });
    assert.strictEqual(gitCli(dir, 'branch', '--list', 'topic'), '');
  });
});

describe('branchMergeState keeps the event loop free', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  it('walks 6000 packed commits of a branch with no turn of the event loop longer than 50 ms', async () => {
    const dir = initRepo(tmp.make(), legacySeed(1));
    const tree = gitCli(dir, 'rev-parse', 'HEAD^{tree}');
    const base = gitCli(dir, 'rev-parse', 'HEAD');
    const n = 6000;
    let stream = '';
    for (let i = 1; i <= n; i++) {
      const msg = `long ${i}`;
      stream += `commit refs/heads/long\nmark :${i}\ncommitter T <t@x> ${1_700_000_000 + i} +0000\ndata ${msg.length}\n${msg}\n${i === 1 ? `from ${base}\n` : `from :${i - 1}\n`}M 040000 ${tree} ""\n\n`;
    }
    execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream, stdio: ['pipe', 'pipe', 'pipe'] });
    gitCli(dir, 'gc', '-q');
    const client = new GitClient(dir);
    // the modules loaded first (isomorphic-git, the ref readers: once per process, some 60 ms under tsx): what is
    // measured is the walk
    await client.branchMergeState('main');
    let longest = 0;
    let last = performance.now();
    let running = true;
    const tick = (): void => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const state = await client.branchMergeState('long');
    running = false;
    assert.strictEqual(state.lost.length, n);
    assert.strictEqual(state.lost[0].summary, `long ${n}`);
    assert.strictEqual(state.merged, false);
    assert.ok(longest < 50, `the event loop waited ${longest.toFixed(1)} ms`);
  });
});
