// The paths a file watcher reported changed since the last status of one repository, handed to the next status
// (computeStatus's `changed`) so that it looks only at those. Unknown until the first status after tracking
// started, and again whenever events may have been lost (`lost()`, a failed status, too many paths): then the
// next status scans everything.

import * as path from 'path';
import { MAX_INCREMENTAL_PATHS } from './status';

export class StatusChanges {
  /** null: not known what changed (full scan next). */
  private pending: Set<string> | null = null;

  constructor(private readonly root: string) {}

  /** Absolute paths that changed (created, changed, deleted); those outside the repository are left out. */
  note(fsPaths: readonly string[]): void {
    if (!this.pending) return; // a full scan comes next anyway
    for (const p of fsPaths) {
      const rel = path.relative(this.root, p);
      if (rel === '' ) {
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
    const taken = this.pending ? [...this.pending] : undefined;
    this.pending = new Set();
    return taken;
  }
}
