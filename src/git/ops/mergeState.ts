// The merge in progress as git records it in the git directory (MERGE_HEAD, MERGE_MSG, MERGE_MODE), and abandoning
// it (`git merge --abort`): index and tracked files back to HEAD, MERGE_* removed.

import * as fsp from 'fs/promises';
import * as path from 'path';
import { GitError, GitErrorCode } from '../gitError';
import type { MergeState } from '../gitClient';
import { treeOfCommit } from '../treeDiff';
import { loadIndex, resetToTree } from '../worktree';
import type { CoreContext } from './context';

/** The path of one of the merge's files in the git directory (`MERGE_HEAD`, `ORIG_HEAD`...). */
export function mergeFile({ core }: CoreContext, name: string): string {
  return path.join(core.gitdir, name);
}

/** The merge in progress (MERGE_HEAD), if any. */
export async function mergeState(ctx: CoreContext): Promise<MergeState | undefined> {
  let theirs: string;
  try {
    theirs = (await fsp.readFile(mergeFile(ctx, 'MERGE_HEAD'), 'utf8')).trim().split('\n')[0];
  } catch {
    return undefined;
  }
  let message = '';
  try {
    message = (await fsp.readFile(mergeFile(ctx, 'MERGE_MSG'), 'utf8'))
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join('\n')
      .trim();
  } catch {
    /* no message */
  }
  return { theirs, message };
}

export async function clearMergeState(ctx: CoreContext): Promise<void> {
  for (const f of ['MERGE_HEAD', 'MERGE_MSG', 'MERGE_MODE']) await fsp.rm(mergeFile(ctx, f), { force: true });
}

/** Abandons the merge in progress: index and tracked files back to HEAD, MERGE_* removed. */
export async function abortMerge(ctx: CoreContext): Promise<void> {
  const { core } = ctx;
  await core.guard({ operation: 'abort merge' }, async () => {
    const merge = await mergeState(ctx);
    const idx = await loadIndex(core.gitdir);
    if (!merge && !idx.entries.some((e) => e.stage !== 0)) throw new GitError(GitErrorCode.NoMergeInProgress, 'No merge is in progress.');
    const head = await core.headOid();
    await resetToTree(core.ctx, head ? await treeOfCommit(core.store, head) : null);
    await clearMergeState(ctx);
  });
}
