// Local branches: list (with their upstreams, and the remote-tracking branches), create (`git branch` / `git switch
// -c`), delete (never the current one), and move one that is not checked out back to its upstream (`git branch -f`).
// Reflog entries as git writes them.

import { isogit } from '../isogit';
import { removeConfigSection } from '../plumbing/gitConfig';
import { conflictingRef, RefLock } from '../plumbing/gitFs';
import { GitError, GitErrorCode } from '../gitError';
import type { BranchInfo, RemoteBranchInfo } from '../gitClient';
import { branchMergeState } from './branchMerged';
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

/**
 * A name `git branch` accepts (git check-ref-format --branch): the rules of refs.c's check_refname_format as
 * is-git-ref-name-valid (MIT, Vincent Weevers) writes them, and neither a leading `-` nor `HEAD`.
 */
// eslint-disable-next-line no-control-regex
const BAD_REF_NAME = /(^|[/.])([/.]|$)|^@$|@{|[\x00-\x20\x7f~^:?*[\\]|\.lock(\/|$)/;
export function isValidBranchName(name: string): boolean {
  return !BAD_REF_NAME.test(name) && !name.startsWith('-') && name !== 'HEAD';
}

/**
 * Creates a branch at HEAD (or `startPoint`) and, by default, checks it out. As `git branch`: the name is checked
 * free once `refs/heads/<name>.lock` is held, so a branch another git command created meanwhile is never overwritten.
 */
export async function createBranch(ctx: CoreContext, name: string, options: { checkout?: boolean; startPoint?: string } = {}): Promise<void> {
  const { core } = ctx;
  await core.guard({ operation: 'create branch', ref: name }, async () => {
    if (!isValidBranchName(name)) throw new GitError(GitErrorCode.InvalidBranchName, `'${name}' is not a valid branch name.`, { ref: name });
    const head = await core.headOid();
    const resolved = options.startPoint ? await core.resolve(options.startPoint) : head;
    if (!resolved) throw new GitError(GitErrorCode.NoCommits, 'Cannot create a branch before the first commit.');
    // an annotated tag names the commit it tags
    const start = resolved === head ? resolved : (await isogit().readCommit({ fs: core.fs, gitdir: core.gitdir, oid: resolved, cache: core.cache })).oid;
    const ref = `refs/heads/${name}`;
    // a branch `a/b` beside `a` (or the reverse), loose or packed: before the lock (whose folder could not be
    // made), and again once it is held
    const conflict = async (): Promise<void> => {
      const other = await conflictingRef(core.gitdir, ref);
      if (other) throw new GitError(GitErrorCode.RefNameConflict, `Cannot lock ref '${ref}': '${other}' exists; cannot create '${ref}'.`, { ref: name });
    };
    await conflict();
    const lock = await RefLock.acquire(core.gitdir, ref, undefined, core.lock);
    try {
      if ((await lock.current(core.gitdir)) !== null) throw new GitError(GitErrorCode.BranchExists, `A branch named '${name}' already exists.`, { ref: name });
      await conflict();
      // its reflog entry written while the lock is held, as git does (RefLock.commit)
      await lock.commit(start, false, () => core.reflog(ref, null, start, `branch: Created from ${options.startPoint ?? 'HEAD'}`));
    } finally {
      await lock.release();
    }
    if (options.checkout === false) return;
    if (start !== head) {
      await checkout(ctx, name);
      return;
    }
    // on the commit HEAD is on: only HEAD moves to the branch (no file changes), as `git switch -c`
    const from = (await core.currentBranch()) ?? start;
    const headLock = await RefLock.acquire(core.gitdir, 'HEAD', undefined, core.lock);
    await headLock.commit(ref, true, () => core.reflog('HEAD', start, start, `checkout: moving from ${from} to ${name}`, true));
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

/**
 * Deletes a local branch (never the current one): as `git branch -D`, or with `requireMerged` as `git branch -d`
 * (refused with BranchNotFullyMerged unless its upstream, or HEAD, has its commit: branchMerged.ts); with `oid`, only
 * while it is still at that commit (the one the user was shown), else RefChanged.
 */
export async function deleteBranch(ctx: CoreContext, name: string, options: { requireMerged?: boolean; oid?: string } = {}): Promise<void> {
  const { core } = ctx;
  await core.guard({ operation: 'delete branch', ref: name }, async () => {
    if ((await core.currentBranch()) === name) {
      throw new GitError(GitErrorCode.CannotDeleteCurrentBranch, `Cannot delete ${name}: it is the current branch.`, { ref: name });
    }
    const oid = await core.resolve(`refs/heads/${name}`);
    if (!oid) throw new GitError(GitErrorCode.BranchNotFound, `Branch ${name} not found.`, { ref: name });
    if (options.oid && options.oid !== oid) {
      throw new GitError(GitErrorCode.RefChanged, `Branch ${name} moved (to ${oid.slice(0, 7)}) since it was checked: nothing was deleted.`, { ref: name });
    }
    const elsewhere = await worktreeOn(core.commondir, name);
    if (elsewhere) {
      throw new GitError(GitErrorCode.CannotDeleteCurrentBranch, `Cannot delete ${name}: it is checked out in the worktree at ${elsewhere}.`, { ref: name });
    }
    // (after the refusals git makes first: the current branch, one checked out in another worktree)
    if (options.requireMerged) {
      const state = await branchMergeState(ctx, name);
      if (!state.merged || state.oid !== oid) {
        throw new GitError(GitErrorCode.BranchNotFullyMerged, `The branch '${name}' is not fully merged.`, { ref: name });
      }
    }
    // as `git branch -D`: under the branch's lock, from packed-refs and its loose file, with its reflog and config
    const lock = await RefLock.acquire(core.gitdir, `refs/heads/${name}`, oid, core.lock);
    await lock.delete(core.gitdir, core.lock);
    await removeConfigSection(core.gitdir, 'branch', name);
  });
}
