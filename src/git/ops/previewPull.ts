// What `pull` would do with the upstream as last fetched, without fetching and without changing anything (refs,
// index, working tree; not even objects are written). No 'vscode' import.

import type { PullPreview } from '../gitClient';
import { GitError, GitErrorCode } from '../gitError';
import { isogit } from '../isogit';
import { mergeEngine } from '../lazyMerge';
import { diffTrees, treeOfCommit, type TreeChange } from '../treeDiff';
import { findBlockingFiles } from '../worktree';
import type { CoreContext } from './context';
import { buildConflictReport, mergeUpstream } from './merge';
import { mergeState } from './mergeState';
import { checkAborted } from './remote';

/**
 * Up to date, a fast-forward, a merge (and which files the field-level merge would resolve), or a conflict (with
 * the report a pull would give); and which uncommitted files would block it. Throws as pull does for a detached
 * HEAD, a merge in progress or a missing upstream branch.
 */
export async function previewPull(ctx: CoreContext, options: { signal?: AbortSignal } = {}): Promise<PullPreview> {
  const { core } = ctx;
  return core.guard({ operation: 'preview pull', signal: options.signal }, async () => {
    const branch = await core.requireBranch('preview a pull');
    if (await mergeState(ctx)) throw new GitError(GitErrorCode.MergeInProgress, 'A merge is in progress: commit or abort it first.');
    const up = await core.upstreamOf(branch);
    const theirsLabel = `${up.remote}/${up.remoteBranch}`;
    const theirs = await core.resolve(`refs/remotes/${theirsLabel}`);
    if (!theirs) throw new GitError(GitErrorCode.NoRemoteBranch, `The remote has no branch ${up.remoteBranch} (as last fetched).`, { ref: theirsLabel });
    const ours = await core.resolve(`refs/heads/${branch}`);
    const preview: PullPreview = { kind: 'upToDate', ours, theirs, base: null, oursLabel: branch, theirsLabel, fieldMerged: [], blockedBy: [], files: [] };
    const theirsTree = await treeOfCommit(core.store, theirs);
    const finish = async (changes: TreeChange[]): Promise<PullPreview> => {
      checkAborted(options.signal, 'preview pull');
      const blocking = await findBlockingFiles(core.ctx, changes);
      preview.blockedBy = [...new Set([...blocking.unmerged, ...blocking.overwritten])].sort();
      preview.files = changes.map((c) => ({ path: c.path, kind: !c.before ? 'added' : !c.after ? 'deleted' : 'modified' }));
      return preview;
    };
    if (!ours) {
      preview.kind = 'fastForward';
      return finish(await diffTrees(core.store, null, theirsTree));
    }
    const { fs, dir, gitdir, cache } = core;
    if (ours === theirs || (await isogit().isDescendent({ fs, dir, gitdir, oid: ours, ancestor: theirs, depth: -1, cache }))) {
      preview.base = theirs;
      return preview;
    }
    const oursTree = await treeOfCommit(core.store, ours);
    if (await isogit().isDescendent({ fs, dir, gitdir, oid: theirs, ancestor: ours, depth: -1, cache })) {
      preview.kind = 'fastForward';
      preview.base = ours;
      return finish(await diffTrees(core.store, oursTree, theirsTree));
    }
    checkAborted(options.signal, 'preview pull');
    const { objects, result, driver } = await mergeUpstream(ctx, ours, theirs, branch, theirsLabel);
    preview.base = result.bases[0] ?? null;
    preview.fieldMerged = driver.fieldMerged;
    if (!result.clean) {
      preview.kind = 'conflict';
      preview.conflict = await buildConflictReport(ctx, result, branch, theirsLabel, driver);
      return preview;
    }
    preview.kind = 'merge';
    // the working-tree changes of the merge: from our tree to the merged one
    return finish(await mergeEngine().diffObjectTrees(objects, oursTree, result.tree));
  });
}
