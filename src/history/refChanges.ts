// The one place the history and the incoming preview get a request-level diff between two refs. No 'vscode' import.

import * as path from 'node:path';
import { diffSnapshots, type SnapshotDiff } from '../collections/diff';
import type { WorkspaceSnapshot } from '../collections/model';
import { unreadableFiles } from '../collections/scan';
import { refs } from '../git/lazyRefs';

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
  if (baseRef !== null) return refs().diffRefs(root, baseRef, headRef, { gitdir, mergeBase: options.mergeBase, cache: options.cache });
  const head = await refs().resolveCommit(root, headRef, gitdir);
  const after = await refs().loadWorkspaceAtRef(root, head, gitdir);
  return { base: '', head, before: { root, collections: [], problems: [] }, after, diff: diffSnapshots([], after.collections) };
}

/** A file that cannot be read: its path (relative to the repository, `/`), the 1-based line and the reader's words. */
export interface UnreadableFile {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/**
 * The files `after` cannot read that `before` could (or did not have): a change that broke them. What they hold is
 * left out of the diff (diffSnapshots' Unread), so whoever shows the diff names them. Swap the two for the files a
 * change made readable again.
 */
export function newlyUnreadable(before: WorkspaceSnapshot, after: WorkspaceSnapshot): UnreadableFile[] {
  const already = new Set(unreadableFiles(before).map((p) => p.file));
  return unreadableFiles(after)
    .filter((p) => !already.has(p.file))
    .map((p) => ({ file: path.relative(after.root, p.file).split(path.sep).join('/'), line: p.line + 1, message: p.message }));
}
