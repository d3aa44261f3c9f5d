// The one place the history and the incoming preview get a request-level diff between two refs. No 'vscode' import.

import * as path from 'node:path';
import * as git from 'isomorphic-git';
import * as fs from 'node:fs';
import { diffSnapshots, type SnapshotDiff } from '../collections/diff';
import type { WorkspaceSnapshot } from '../collections/model';
import { loadWorkspaceAtRef, resolveCommit } from '../git/snapshotAtRef';

export interface RefChanges {
  /** the commit compared from (with `mergeBase`, the merge base). */
  readonly base: string;
  readonly head: string;
  /** the collections at `base` / `head` (at least those the change touches). */
  readonly before: WorkspaceSnapshot;
  readonly after: WorkspaceSnapshot;
  readonly diff: SnapshotDiff;
}

/**
 * What changed in the collections from `baseRef` (or its merge base with `headRef`) to `headRef`. `baseRef` null:
 * from nothing (a root commit).
 */
export async function refChanges(dir: string, baseRef: string | null, headRef: string, options: { mergeBase?: boolean; gitdir?: string } = {}): Promise<RefChanges> {
  const root = path.resolve(dir);
  const gitdir = options.gitdir ?? path.join(root, '.git');
  const head = await resolveCommit(root, headRef, gitdir);
  const after = await loadWorkspaceAtRef(root, head, gitdir);
  if (baseRef === null) {
    const before: WorkspaceSnapshot = { root, collections: [], problems: [] };
    return { base: '', head, before, after, diff: diffSnapshots([], after.collections) };
  }
  let base = await resolveCommit(root, baseRef, gitdir);
  if (options.mergeBase) {
    const bases = (await git.findMergeBase({ fs, dir: root, gitdir, oids: [base, head] })) as string[];
    if (!bases.length) throw new Error(`${baseRef} and ${headRef} have no common ancestor`);
    base = bases[0];
  }
  const before = await loadWorkspaceAtRef(root, base, gitdir);
  return { base, head, before, after, diff: diffSnapshots(before.collections, after.collections) };
}
