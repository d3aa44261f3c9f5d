// Pull: fetch the upstream, then integrate it into the current branch as `git pull` does: a fast-forward when
// possible, otherwise a merge commit by the configured author (git's merge, with the field-level merge as a second
// chance for collection files). Refused (DirtyWorkingTree, with the files) when uncommitted changes would be
// overwritten; a conflict (Conflict, with a report) abandons the merge. In both cases HEAD, index and working tree
// are exactly as before: the tree is checked and written first, the branch moved last (isomorphic-git's pull moves
// the branch before it checks the working tree, so it is never called). No 'vscode' import.

import type { OperationOptions, PullResult } from '../gitClient';
import { GitError, GitErrorCode } from '../gitError';
import { isogit } from '../isogit';
import { treeOfCommit } from '../treeDiff';
import { switchTree } from '../worktree';
import type { RemoteContext } from './context';
import { fetch } from './fetch';
import { conflictError, logFieldMerge, mergeUpstream } from './merge';
import { checkAborted, ZERO_OID } from './remote';

export async function pull(c: RemoteContext, options: OperationOptions): Promise<PullResult> {
  const branch = await c.core.requireBranch('pull');
  if (await c.client.mergeState()) throw new GitError(GitErrorCode.MergeInProgress, 'A merge is in progress: commit or abort it first.');
  const up = await c.core.upstreamOf(branch);
  await fetch(c, { ...options, remote: up.remote, branch: up.remoteBranch }, 'pull');
  return c.core.guard({ operation: 'pull', signal: options.signal, ref: branch }, () => integrate(c, branch, up.remote, up.remoteBranch, options));
}

/** Brings `<remote>/<remoteBranch>` as last fetched into `branch` (checked out); reflog entries say `reflogPrefix`. */
export async function integrate(c: RemoteContext, branch: string, remote: string, remoteBranch: string, options: OperationOptions, reflogPrefix = 'pull'): Promise<PullResult> {
  const theirs = await c.core.resolve(`refs/remotes/${remote}/${remoteBranch}`);
  if (!theirs) {
    throw new GitError(GitErrorCode.NoRemoteBranch, `The remote has no branch ${remoteBranch}: push it first.`, { ref: `${remote}/${remoteBranch}` });
  }
  const ours = await c.core.resolve(`refs/heads/${branch}`);
  const { fs, dir, gitdir, cache } = c.core;
  let target: string;
  let kind: 'fastForward' | 'merge';
  let fieldMerged: string[] | undefined;
  if (!ours) {
    target = theirs;
    kind = 'fastForward';
  } else {
    if (ours === theirs || (await isogit().isDescendent({ fs, dir, gitdir, oid: ours, ancestor: theirs, depth: -1, cache }))) {
      return { kind: 'upToDate', head: ours };
    }
    if (await isogit().isDescendent({ fs, dir, gitdir, oid: theirs, ancestor: ours, depth: -1, cache })) {
      target = theirs;
      kind = 'fastForward';
    } else {
      const author = await c.core.requireAuthor();
      const label = `${remote}/${remoteBranch}`;
      const { objects, result, driver } = await mergeUpstream(c, ours, theirs, branch, label);
      logFieldMerge(c, driver);
      if (!result.clean) throw await conflictError(c, result, branch, label, driver);
      // the merged blobs and trees, then the commit: a kill in between leaves unreferenced objects, nothing broken
      await objects.persist(result.tree);
      const now = Math.floor(Date.now() / 1000);
      const who = { name: author.name, email: author.email, timestamp: now, timezoneOffset: new Date().getTimezoneOffset() };
      target = await isogit().writeCommit({
        fs,
        dir,
        gitdir,
        commit: { message: `Merge branch '${label}' into ${branch}\n`, tree: result.tree, parent: [ours, theirs], author: who, committer: who },
      });
      kind = 'merge';
      fieldMerged = driver.fieldMerged;
    }
  }
  checkAborted(options.signal, 'pull');
  const from = ours ? await treeOfCommit(c.core.store, ours) : null;
  const to = await treeOfCommit(c.core.store, target);
  const changes = await switchTree(c.core.ctx, from, to, {
    operation: reflogPrefix === 'pull' ? 'pull' : 'merge',
    onProgress: options.onProgress,
    signal: options.signal,
    beforeRelease: async () => {
      if (!ours) await isogit().writeRef({ fs, dir, gitdir, ref: 'HEAD', value: `refs/heads/${branch}`, symbolic: true, force: true });
      await c.core.moveBranch(branch, ours, target, `${reflogPrefix}: ${kind === 'fastForward' ? 'Fast-forward' : "Merge made by the 'ort' strategy."}`);
    },
  });
  c.core.log(`pull: ${kind} ${branch} to ${target.slice(0, 7)} (${changes.length} files)`);
  return { kind, head: target, previous: ours ?? ZERO_OID, changes, ...(fieldMerged?.length ? { fieldMerged } : {}) };
}
