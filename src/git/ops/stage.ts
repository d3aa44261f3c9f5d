// The index, as `git add` / `git restore --staged` / `git restore` change it: one index write per call, under the
// index lock (worktree.ts).

import { treeOfCommit } from '../treeDiff';
import { discardPaths, removePaths, stagePaths, unstagePaths } from '../worktree';
import type { CoreContext } from './context';

/** Stages files (additions, modifications, deletions, resolved conflicts) in one index write. */
export async function stage({ core }: CoreContext, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  await core.guard({ operation: 'stage' }, () => stagePaths(core.ctx, paths));
}

/** Deletes files and their index entries (a conflict's stages too), as `git rm` does. */
export async function remove({ core }: CoreContext, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  await core.guard({ operation: 'remove' }, () => removePaths(core.ctx, paths));
}

/** Puts the index entries of `paths` back to HEAD (the files are not touched). */
export async function unstage({ core }: CoreContext, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  await core.guard({ operation: 'unstage' }, async () => {
    const head = await core.headOid();
    await unstagePaths(core.ctx, head ? await treeOfCommit(core.store, head) : null, paths);
  });
}

/** Discards working-tree changes: tracked files back to their staged content, untracked files deleted. */
export async function discard({ core }: CoreContext, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  await core.guard({ operation: 'discard' }, () => discardPaths(core.ctx, paths));
}
