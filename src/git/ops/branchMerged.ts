// What deleting a local branch would cost, as git sees it: whether `git branch -d` would delete it (builtin/branch.c
// branch_merged: the branch is merged when its commit is reachable from its upstream, if it has one that resolves,
// else from HEAD; otherwise "error: the branch 'X' is not fully merged"), and the commits that are on no other local
// or remote-tracking branch (`git log X --not --exclude=X --branches --remotes`), which deleting it loses. Reads only.
// The walks (branchReach.ts) are git's date-ordered ones, reading commits asynchronously, the event loop free.

import { isogit } from '../isogit';
import { GitError, GitErrorCode } from '../gitError';
import { refs } from '../lazyRefs';
import type { CoreContext } from './context';
import type { GitCore } from './gitCore';

import type { LostCommit } from '../branchReach';
export type { LostCommit } from '../branchReach';

export interface BranchMergeState {
  branch: string;
  /** the commit the branch is at. */
  oid: string;
  /** whether `git branch -d` deletes it: its commit is reachable from `mergedInto`. */
  merged: boolean;
  /**
   * what it was checked against, as git names it: its upstream (`origin/feature`, or a local branch for an upstream
   * of remote `.`) when that resolves, else HEAD (`main`, or `HEAD` when detached).
   */
  mergedInto: string;
  /** true when `mergedInto` is the branch's upstream, not HEAD. */
  intoUpstream: boolean;
  /** the commits on no other local or remote-tracking branch, in `git log` order (newest first). */
  lost: LostCommit[];
}

/** The branch's upstream ref as git's branch_get_upstream maps it (through the remote's fetch refspecs). */
async function upstreamRef(core: GitCore, branch: string): Promise<{ ref: string; name: string } | undefined> {
  const [remote, merge] = await Promise.all([core.configGet(`branch.${branch}.remote`), core.configGet(`branch.${branch}.merge`)]);
  if (!remote || !merge) return undefined;
  if (remote === '.') return { ref: merge, name: merge.replace(/^refs\/heads\//, '') };
  const specs = ((await isogit().getConfigAll({ fs: core.fs, gitdir: core.gitdir, path: `remote.${remote}.fetch` }).catch(() => [])) as unknown[]).map(String);
  for (const spec of specs) {
    if (spec.startsWith('^')) continue;
    const [src, dst] = spec.replace(/^\+/, '').split(':');
    if (!dst) continue;
    const star = src.indexOf('*');
    let mapped: string | undefined;
    if (star < 0) mapped = src === merge ? dst : undefined;
    else {
      const [pre, post] = [src.slice(0, star), src.slice(star + 1)];
      if (merge.length >= pre.length + post.length && merge.startsWith(pre) && merge.endsWith(post)) mapped = dst.replace('*', merge.slice(pre.length, merge.length - post.length));
    }
    if (mapped) return { ref: mapped, name: mapped.replace(/^refs\/(remotes|heads)\//, '') };
  }
  return undefined;
}

/** Every local branch but `except` and every remote-tracking ref, resolved to commits. */
async function otherTips(core: GitCore, except: string): Promise<string[]> {
  const tips = new Set<string>();
  for (const base of ['refs/heads', 'refs/remotes']) {
    const names = (await isogit().listRefs({ fs: core.fs, gitdir: core.gitdir, filepath: base }).catch(() => [])) as string[];
    for (const name of names) {
      const ref = `${base}/${name}`;
      if (ref === `refs/heads/${except}`) continue;
      const oid = await core.resolve(ref);
      if (oid) tips.add(oid);
    }
  }
  return [...tips];
}

/** Whether `git branch -d <name>` would delete the branch, and what deleting it loses. */
export async function branchMergeState({ core }: CoreContext, name: string): Promise<BranchMergeState> {
  return core.guard({ operation: 'check branch', ref: name }, async () => {
    const oid = await core.resolve(`refs/heads/${name}`);
    if (!oid) throw new GitError(GitErrorCode.BranchNotFound, `Branch ${name} not found.`, { ref: name });
    const up = await upstreamRef(core, name);
    const upOid = up ? await core.resolve(up.ref) : null;
    let reference: string | null;
    let mergedInto: string;
    if (up && upOid) {
      reference = upOid;
      mergedInto = up.name;
    } else {
      reference = await core.headOid();
      mergedInto = (await core.currentBranch()) ?? 'HEAD';
    }
    // the walks, in the ref readers' bundle (lazyRefs.ts): loaded on the first deletion, not at activation
    const { merged, lost } = await refs().branchReach(core.store, oid, reference, await otherTips(core, name));
    return { branch: name, oid, merged, mergedInto, intoUpstream: !!(up && upOid), lost };
  });
}
