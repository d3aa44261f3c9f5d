// Local branches: list (with their upstreams, and the remote-tracking branches), create (`git branch` / `git switch
// -c`), delete (never the current one), and move one that is not checked out back to its upstream (`git branch -f`).
// Reflog entries as git writes them.

import { isogit } from '../isogit';
import { removeConfigSection } from '../plumbing/gitConfig';
import { RefLock } from '../plumbing/gitFs';
import { GitError, GitErrorCode } from '../gitError';
import type { BranchInfo, RemoteBranchInfo } from '../gitClient';
import { checkout } from './checkout';
import type { CoreContext } from './context';
import { worktreeOn } from './worktrees';

export async function listBranches({ core }: CoreContext): Promise<{ local: BranchInfo[]; remote: RemoteBranchInfo[] }> {
  return core.guard({ operation: 'list branches' }, async () => {
    const current = await core.currentBranch();
    const local: BranchInfo[] = [];
    for (const name of await isogit().listBranches({ fs: core.fs, dir: core.dir, gitdir: core.gitdir })) {
      const oid = await core.resolve(`refs/heads/${name}`);
      if (!oid) continue;
      const up = await core.upstreamOf(name);
      local.push({ name, oid, current: name === current, upstream: up.configured ? `${up.remote}/${up.remoteBranch}` : undefined });
    }
    const remote: RemoteBranchInfo[] = [];
    for (const r of await isogit().listRemotes({ fs: core.fs, dir: core.dir, gitdir: core.gitdir })) {
      for (const branch of await isogit().listBranches({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, remote: r.remote })) {
        if (branch === 'HEAD') continue;
        const oid = await core.resolve(`refs/remotes/${r.remote}/${branch}`);
        if (oid) remote.push({ name: `${r.remote}/${branch}`, remote: r.remote, branch, oid });
      }
    }
    return { local, remote };
  });
}

/** Creates a branch at HEAD (or `startPoint`) and, by default, checks it out. */
export async function createBranch(ctx: CoreContext, name: string, options: { checkout?: boolean; startPoint?: string } = {}): Promise<void> {
  const { core } = ctx;
  await core.guard({ operation: 'create branch', ref: name }, async () => {
    if (await core.resolve(`refs/heads/${name}`)) {
      throw new GitError(GitErrorCode.BranchExists, `A branch named ${name} already exists.`, { ref: name });
    }
    const head = await core.headOid();
    const start = options.startPoint ? await core.resolve(options.startPoint) : head;
    if (!start) throw new GitError(GitErrorCode.NoCommits, 'Cannot create a branch before the first commit.');
    if (options.checkout === false || start !== head) {
      await isogit().branch({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, ref: name, object: start, checkout: false });
      await core.reflog(`refs/heads/${name}`, null, start, `branch: Created from ${options.startPoint ?? 'HEAD'}`);
      if (options.checkout !== false) await checkout(ctx, name);
      return;
    }
    const from = (await core.currentBranch()) ?? start;
    await isogit().branch({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, ref: name, object: start, checkout: true });
    await core.reflog(`refs/heads/${name}`, null, start, 'branch: Created from HEAD');
    await core.reflog('HEAD', start, start, `checkout: moving from ${from} to ${name}`, true);
  });
}

/**
 * Moves a branch that is not checked out back to its upstream as last fetched (`git branch -f <branch> <upstream>`,
 * reflog "branch: Reset to <upstream>"); returns the upstream (`origin/main`), or undefined when the branch is
 * checked out, has no fetched upstream, or is already there.
 */
export async function resetBranchToUpstream({ core }: CoreContext, branch: string): Promise<string | undefined> {
  return core.guard({ operation: 'reset branch', ref: branch }, async () => {
    if ((await core.currentBranch()) === branch) return undefined;
    const up = await core.upstreamOf(branch);
    const upstream = `${up.remote}/${up.remoteBranch}`;
    const theirs = await core.resolve(`refs/remotes/${upstream}`);
    const ours = await core.resolve(`refs/heads/${branch}`);
    if (!theirs || !ours || theirs === ours) return undefined;
    await core.moveBranch(branch, ours, theirs, `branch: Reset to ${upstream}`);
    return upstream;
  });
}

/** Deletes a local branch (never the current one). */
export async function deleteBranch({ core }: CoreContext, name: string): Promise<void> {
  await core.guard({ operation: 'delete branch', ref: name }, async () => {
    if ((await core.currentBranch()) === name) {
      throw new GitError(GitErrorCode.CannotDeleteCurrentBranch, `Cannot delete ${name}: it is the current branch.`, { ref: name });
    }
    const oid = await core.resolve(`refs/heads/${name}`);
    if (!oid) throw new GitError(GitErrorCode.BranchNotFound, `Branch ${name} not found.`, { ref: name });
    const elsewhere = await worktreeOn(core.commondir, name);
    if (elsewhere) {
      throw new GitError(GitErrorCode.CannotDeleteCurrentBranch, `Cannot delete ${name}: it is checked out in the worktree at ${elsewhere}.`, { ref: name });
    }
    // as `git branch -D`: under the branch's lock, from packed-refs and its loose file, with its reflog and config
    const lock = await RefLock.acquire(core.gitdir, `refs/heads/${name}`, oid, core.lock);
    await lock.delete(core.gitdir, core.lock);
    await removeConfigSection(core.gitdir, 'branch', name);
  });
}
