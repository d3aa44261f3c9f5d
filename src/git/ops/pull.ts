// Pull: fetch the upstream, then integrate it into the current branch as `git pull` does: a fast-forward when
// possible, otherwise a merge commit by the configured author (git's merge, with the field-level merge as a second
// chance for collection files). Refused (DirtyWorkingTree, with the files) when uncommitted changes would be
// overwritten; a conflict (Conflict, with a report) abandons the merge. In both cases HEAD, index and working tree
// are exactly as before: the tree is checked and written first, the branch moved last (isomorphic-git's pull moves
// the branch before it checks the working tree, so it is never called). No 'vscode' import.

import type { GitAuthor, OperationOptions, PullResult } from '../gitClient';
import { GitError, GitErrorCode } from '../gitError';
import { isogit } from '../isogit';
import { atomicWriteFile, RefLock } from '../plumbing/gitFs';
import { treeOfCommit, warmTrees } from '../treeDiff';
import { loadIndex, switchTree } from '../worktree';
import type { RemoteContext } from './context';
import { fetch } from './fetch';
import { conflictError, isAncestor, logFieldMerge, mergeMessage, mergeUpstream } from './merge';
import { mergeFile } from './mergeState';
import { checkAborted, ZERO_OID } from './remote';

export async function pull(c: RemoteContext, options: OperationOptions): Promise<PullResult> {
  // the identity of the reflog entries (every git config file: a few ms, for the fetch's entry and the branch's
  // two), read meanwhile: the fetch's request to the transfer worker carries it
  const identity: Promise<GitAuthor> = c.core.reflogIdentity();
  // (each a few reads of small files, which on a busy machine wait their turn on the thread pool: side by side)
  const [branch, merging] = await Promise.all([c.core.requireBranch('pull'), c.client.mergeState()]);
  if (merging) throw new GitError(GitErrorCode.MergeInProgress, 'A merge is in progress: commit or abort it first.');
  const up = await c.core.upstreamOf(branch);
  // while the fetch waits on the network, this thread reads what integrating will need: the index and the trees of
  // the current commit (a fresh client has neither; both are kept only while their files are unchanged)
  let fetched = false;
  let warm: Promise<void> | undefined;
  const onTransferStarted = (): void => {
    warm = warmUp(c, branch, () => fetched).catch(() => undefined);
  };
  try {
    await fetch(c, { ...options, remote: up.remote, branch: up.remoteBranch, onTransferStarted, reflogIdentity: () => identity }, 'pull');
  } finally {
    fetched = true;
    await warm;
  }
  return c.core.guard({ operation: 'pull', signal: options.signal, ref: branch }, () => integrate(c, branch, up.remote, up.remoteBranch, options, 'pull', identity));
}

/** Reads the index and the trees of `branch`'s commit, stopping once `stop()` says so. */
async function warmUp(c: RemoteContext, branch: string, stop: () => boolean): Promise<void> {
  await loadIndex(c.core.gitdir);
  const ours = stop() ? null : await c.core.resolve(`refs/heads/${branch}`);
  if (ours && !stop()) await warmTrees(c.core.store, await treeOfCommit(c.core.store, ours), stop);
}

/**
 * Brings `<remote>/<remoteBranch>` as last fetched into `branch` (checked out); reflog entries say `reflogPrefix`
 * (by `identity` when the caller resolved it).
 */
export async function integrate(
  c: RemoteContext,
  branch: string,
  remote: string,
  remoteBranch: string,
  options: OperationOptions,
  reflogPrefix = 'pull',
  identity?: Promise<GitAuthor>,
): Promise<PullResult> {
  const theirs = await c.core.resolve(`refs/remotes/${remote}/${remoteBranch}`);
  if (!theirs) {
    throw new GitError(GitErrorCode.NoRemoteBranch, `The remote has no branch ${remoteBranch}: push it first.`, { ref: `${remote}/${remoteBranch}` });
  }
  const ours = await c.core.resolve(`refs/heads/${branch}`);
  const { fs, dir, gitdir } = c.core;
  // where the branch was, as git merge records it in ORIG_HEAD (also when up to date): `git reset --hard ORIG_HEAD`
  // undoes this pull, not an older operation. A pull refused or stopped on a conflict changes nothing, ORIG_HEAD too.
  const recordOrigHead = (oid: string) => atomicWriteFile(mergeFile(c, 'ORIG_HEAD'), oid + '\n');
  let target: string;
  let kind: 'fastForward' | 'merge';
  let fieldMerged: string[] | undefined;
  /** a merge's tree, and the writing of its commit: once the files are known not to be in the way, as git does. */
  let merge: { tree: string; write: () => Promise<string> } | undefined;
  if (!ours) {
    target = theirs;
    kind = 'fastForward';
  } else {
    // a fast-forward first: its walk stops at the pulled commit's parent, where the other one walks all of
    // our history (the two cannot both hold for different commits)
    const fastForward = ours !== theirs && (await isAncestor(c.core.store, ours, theirs));
    if (ours === theirs || (!fastForward && (await isAncestor(c.core.store, theirs, ours)))) {
      await recordOrigHead(ours);
      return { kind: 'upToDate', head: ours };
    }
    if (fastForward) {
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
      const message = await mergeMessage(c, reflogPrefix === 'pull' ? 'pull' : 'remoteTracking', branch, remote, remoteBranch);
      const who = { name: author.name, email: author.email, timestamp: now, timezoneOffset: new Date().getTimezoneOffset() };
      // the commit is written once the files are known not to be in the way (beforeWrite below): a pull refused for
      // uncommitted changes left a merge commit nothing named (git writes none either)
      merge = {
        tree: result.tree,
        write: () =>
          isogit().writeCommit({
            fs,
            dir,
            gitdir,
            commit: { message, tree: result.tree, parent: [ours, theirs], author: who, committer: who },
          }),
      };
      target = '';
      kind = 'merge';
      fieldMerged = driver.fieldMerged;
    }
  }
  checkAborted(options.signal, 'pull');
  const from = ours ? await treeOfCommit(c.core.store, ours) : null;
  const to = merge ? merge.tree : await treeOfCommit(c.core.store, target);
  // the branch's lock is taken before the files are written and the branch checked to be where it was read: a git
  // command that moved it meanwhile stops the pull with nothing written, instead of its commit being set back
  // HEAD's too, as git's update of HEAD through the branch: a `git switch` run while the fetch waited leaves HEAD on
  // another branch, whose index and files this pull must not write
  let branchLock: RefLock | undefined;
  let headLock: RefLock | undefined;
  const changes = await switchTree(c.core.ctx, from, to, {
    operation: reflogPrefix === 'pull' ? 'pull' : 'merge',
    onProgress: options.onProgress,
    signal: options.signal,
    beforeWrite: async () => {
      branchLock = await RefLock.acquire(gitdir, `refs/heads/${branch}`, ours ?? null, c.core.lock);
      headLock = await RefLock.acquire(gitdir, 'HEAD', `ref: refs/heads/${branch}`, c.core.lock);
      if (merge) target = await merge.write();
    },
    // ORIG_HEAD, and the branch's new value into its lock, are written while the index is (git writes ORIG_HEAD before
    // its merge touches anything); the branch is logged and moved once both are in place, and not when either failed
    releaseWhileIndexWrites: true,
    beforeRelease: async (indexWritten) => {
      const first = Promise.all([indexWritten, ours ? recordOrigHead(ours) : undefined]).then(() => undefined);
      first.catch(() => undefined);
      if (!ours) {
        await first;
        await headLock!.commit(`refs/heads/${branch}`, true);
      }
      await c.core.moveBranch(branch, ours, target, `${reflogPrefix}: ${kind === 'fastForward' ? 'Fast-forward' : "Merge made by the 'ort' strategy."}`, await identity, branchLock, headLock, first);
    },
  }).finally(async () => {
    await (branchLock as RefLock | undefined)?.release();
    await (headLock as RefLock | undefined)?.release();
  });
  c.core.log(`pull: ${kind} ${branch} to ${target.slice(0, 7)} (${changes.length} files)`);
  return { kind, head: target, previous: ours ?? ZERO_OID, changes, ...(fieldMerged?.length ? { fieldMerged } : {}) };
}
