// "Merge in Editor": merges the upstream (as last fetched) into the current branch leaving conflict markers in the
// files, the conflict stages in the index and `.git/MERGE_HEAD`, as the git CLI does. No 'vscode' import.

import type { MergeInEditorResult, OperationOptions } from '../gitClient';
import { GitError, GitErrorCode } from '../gitError';
import { atomicWriteFile, RefLock } from '../plumbing/gitFs';
import { computeStatus } from '../status';
import { diffTrees, treeOfCommit } from '../treeDiff';
import { switchTree } from '../worktree';
import type { RemoteContext } from './context';
import { buildConflictReport, logFieldMerge, mergeMessage, mergeUpstream } from './merge';
import { mergeFile, mergeState } from './mergeState';
import { integrate } from './pull';

/**
 * Incoming changes that merged cleanly are staged. Requires a clean working tree (only untracked files allowed). If
 * the merge turns out clean it is completed like a pull.
 */
export async function mergeInEditor(ctx: RemoteContext, options: OperationOptions = {}): Promise<MergeInEditorResult> {
  const { core } = ctx;
  return core.guard({ operation: 'merge', signal: options.signal }, async () => {
    const branch = await core.requireBranch('merge');
    if (await mergeState(ctx)) throw new GitError(GitErrorCode.MergeInProgress, 'A merge is already in progress.');
    const up = await core.upstreamOf(branch);
    const label = `${up.remote}/${up.remoteBranch}`;
    const theirs = await core.resolve(`refs/remotes/${label}`);
    const ours = await core.resolve(`refs/heads/${branch}`);
    if (!theirs || !ours) throw new GitError(GitErrorCode.NoRemoteBranch, `Nothing to merge: ${label} not found.`, { ref: label });
    const st = await computeStatus({ dir: core.dir, gitdir: core.gitdir, cache: core.cache, headOid: ours });
    const tracked = [...st.staged.map((c) => c.path), ...st.changes.filter((c) => c.kind !== 'untracked').map((c) => c.path)];
    const oursTree = await treeOfCommit(core.store, ours);
    const theirsTree = await treeOfCommit(core.store, theirs);
    const incoming = await diffTrees(core.store, oursTree, theirsTree);
    const untracked = new Set(st.changes.filter((c) => c.kind === 'untracked').map((c) => c.path));
    const inTheWay = incoming.filter((c) => c.after && untracked.has(c.path)).map((c) => c.path);
    if (tracked.length || inTheWay.length) {
      const files = [...new Set([...tracked, ...inTheWay])].sort();
      throw new GitError(
        GitErrorCode.DirtyWorkingTree,
        `Merging in the editor needs a clean working tree, and these files have uncommitted changes: ${files.join(', ')}. Commit or discard them first.`,
        { files },
      );
    }
    await core.requireAuthor();
    // the message of the `git pull` this stands for (offered when a pull stopped on conflicts): the branch and its URL
    const message = (await mergeMessage(ctx, 'pull', branch, up.remote, up.remoteBranch)).trimEnd();
    // the markers left in the files name the sides as `git merge` does: `<<<<<<< HEAD`, `>>>>>>> origin/main`
    const { objects, result, driver } = await mergeUpstream(ctx, ours, theirs, branch, label, 'HEAD');
    logFieldMerge(ctx, driver);
    if (result.clean) {
      // no conflict after all: finish it as the `git pull` it stands for would (its message and reflog entry)
      const merged = await integrate(ctx, branch, up.remote, up.remoteBranch, options, 'pull');
      return { completed: true, conflicts: [], report: undefined, fieldMerged: merged.kind === 'upToDate' ? [] : (merged.fieldMerged ?? []) };
    }
    // as `git merge` leaves it: every file as merged (conflict markers in the conflicted ones), what merged
    // cleanly staged, the conflicted paths as their index stages, and MERGE_HEAD
    await objects.persist(result.tree);
    for (const c of result.conflicts) for (const v of c.stages) if (v && objects.isMade(v.oid)) await objects.persist(v.oid);
    const report = await buildConflictReport(ctx, result, branch, label, driver);
    const conflicted = [...new Set(result.conflicts.map((c) => c.path))].sort();
    // the branch and HEAD locked as they were read, before anything is written: a merge state prepared on a commit
    // the branch has left (a git command moved it meanwhile) would have the merge commit undo that commit
    const locks: RefLock[] = [];
    await switchTree(core.ctx, oursTree, result.tree, {
      operation: 'merge',
      conflicts: result.conflicts,
      onProgress: options.onProgress,
      signal: options.signal,
      beforeWrite: async () => {
        locks.push(await RefLock.acquire(core.gitdir, `refs/heads/${branch}`, ours, core.lock));
        locks.push(await RefLock.acquire(core.gitdir, 'HEAD', `ref: refs/heads/${branch}`, core.lock));
      },
      beforeRelease: async () => {
        await atomicWriteFile(mergeFile(ctx, 'ORIG_HEAD'), ours + '\n');
        await atomicWriteFile(mergeFile(ctx, 'MERGE_MSG'), `${message}\n\n# Conflicts:\n${conflicted.map((p) => `#\t${p}\n`).join('')}`);
        await atomicWriteFile(mergeFile(ctx, 'MERGE_MODE'), '');
        await atomicWriteFile(mergeFile(ctx, 'MERGE_HEAD'), theirs + '\n');
      },
    }).finally(async () => {
      for (const lock of locks) await lock.release();
    });
    const after = await computeStatus({ dir: core.dir, gitdir: core.gitdir, cache: core.cache, headOid: ours, untracked: false });
    return { completed: false, conflicts: after.merge, report, fieldMerged: driver.fieldMerged };
  });
}
