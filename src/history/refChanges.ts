// The one place the history and the incoming preview get a request-level diff between two refs. No 'vscode' import.

import * as path from 'node:path';
import { diffSnapshots, type SnapshotDiff } from '../collections/diff';
import type { WorkspaceSnapshot } from '../collections/model';
import { diffRefs } from '../git/refDiff';
import { loadWorkspaceAtRef, resolveCommit } from '../git/snapshotAtRef';

export interface RefChanges {
  /** the commit compared from (with `mergeBase`, the merge base); '' for nothing (a root commit). */
  readonly base: string;
  readonly head: string;
  /** the collections at `base` / `head`: at least those the change touches, with every changed item. */
  readonly before: WorkspaceSnapshot;
  readonly after: WorkspaceSnapshot;
  readonly diff: SnapshotDiff;
}

/**
 * What changed in the collections from `baseRef` (or its merge base with `headRef`) to `headRef`: `diffRefs`, which
 * reads only the changed files. `baseRef` null: from nothing (a root commit, loaded whole).
 */
export async function refChanges(
  dir: string,
  baseRef: string | null,
  headRef: string,
  options: { mergeBase?: boolean; gitdir?: string; /** the object cache to share (isomorphic-git's, and Hammock's pack reader in it: see review/objectCache). */ cache?: object } = {},
): Promise<RefChanges> {
  const root = path.resolve(dir);
  const gitdir = options.gitdir ?? path.join(root, '.git');
  if (baseRef !== null) return diffRefs(root, baseRef, headRef, { gitdir, mergeBase: options.mergeBase, cache: options.cache });
  const head = await resolveCommit(root, headRef, gitdir);
  const after = await loadWorkspaceAtRef(root, head, gitdir);
  return { base: '', head, before: { root, collections: [], problems: [] }, after, diff: diffSnapshots([], after.collections) };
}
