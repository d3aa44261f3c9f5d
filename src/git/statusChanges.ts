// The paths a file watcher reported changed since the last status of one repository, handed to the next status
// (computeStatus's `changed`) so that it looks only at those. Unknown until the first status after tracking
// started, and again whenever events may have been lost (`lost()`, a failed status, too many paths): then the
// next status scans everything. A watcher does not see everything (VS Code's `files.watcherExclude`, by default
// `**/node_modules/*/**`, silences folders a repository may track), so a full scan also comes at least every
// FULL_SCAN_EVERY_MS.

import * as path from 'path';
import { MAX_INCREMENTAL_PATHS } from './status';

/**
 * Whether a changed path (relative to the repository, `/`) can change what git reports: any work-tree path, and in
 * `.git` HEAD, the index, refs, MERGE_HEAD, the config and the info files that decide what is ignored, filtered or
 * checked out (`info/exclude`, `info/attributes`, `info/sparse-checkout`); not objects, logs, hooks or locks.
 */
export function isRelevantGitPath(relPath: string): boolean {
  if (!relPath.startsWith('.git/')) return relPath !== '.git';
  const inGit = relPath.slice(5);
  if (inGit.endsWith('.lock')) return false;
  if (/^info\/(exclude|attributes|sparse-checkout)$/.test(inGit)) return true;
  if (/^(objects|logs|hooks|info|lfs|modules|worktrees)(\/|$)/.test(inGit)) return false;
  return inGit === 'HEAD' || inGit === 'index' || inGit === 'packed-refs' || inGit === 'MERGE_HEAD' || inGit === 'config' || inGit.startsWith('refs/');
}

/** the longest a repository's status goes on events alone before a full scan. */
export const FULL_SCAN_EVERY_MS = 5 * 60_000;

export class StatusChanges {
  /** null: not known what changed (full scan next). */
  private pending: Set<string> | null = null;
  private lastFull = 0;

  constructor(
    private readonly root: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Absolute paths that changed (created, changed, deleted); those outside the repository are left out. */
  note(fsPaths: readonly string[]): void {
    if (!this.pending) return; // a full scan comes next anyway
    for (const p of fsPaths) {
      const rel = path.relative(this.root, p);
      if (rel === '') {
        this.pending = null; // the root itself: anything may have changed
        return;
      }
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      this.pending.add(rel.split(path.sep).join('/'));
    }
    if (this.pending.size > MAX_INCREMENTAL_PATHS) this.pending = null;
  }

  /** Events were lost (or never watched): the next status scans everything. */
  lost(): void {
    this.pending = null;
  }

  /**
   * What the next status should look at, and from now on tracked afresh: the changed paths, or undefined for a full
   * scan. If that status fails, call `lost()`.
   */
  take(): string[] | undefined {
    const due = this.now() - this.lastFull >= FULL_SCAN_EVERY_MS;
    const taken = this.pending && !due ? [...this.pending] : undefined;
    if (!taken) this.lastFull = this.now();
    this.pending = new Set();
    return taken;
  }
}
