// The model the Source Control view and the status bar render: the last status of one repository (branch,
// HEAD, merge / staged / working-tree changes), its ahead/behind counts, whether it has a remote, and the
// conflicts the last pull reported. Refreshed after every write of the repository's run() funnel and on file
// events; refreshes are throttled (one running, at most one more queued). No 'vscode' import.

import type { ConflictReport } from '../git/conflictReport';
import type { RepositoryStatus, TrackingInfo } from '../git/gitClient';
import type { Repository } from '../git/repository';
import { Emitter, type Disposable, type Event } from '../util/emitter';

export interface RepositorySnapshot {
  readonly status: RepositoryStatus;
  /** undefined when the branch has no remote-tracking counterpart (never pushed, no remote, detached). */
  readonly tracking: TrackingInfo | undefined;
  /** the URL of `origin`, without credentials; undefined when sync is not set up. */
  readonly remoteUrl: string | undefined;
}

export class RepositoryState implements Disposable {
  private _snapshot: RepositorySnapshot | undefined;
  private _conflicts: ConflictReport | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private readonly disposables: Disposable[] = [];
  private disposed = false;

  private readonly _onDidChange = new Emitter<RepositorySnapshot>();
  /** fires after every refresh (whether or not anything changed), and when the reported conflicts change. */
  readonly onDidChange: Event<RepositorySnapshot> = this._onDidChange.event;

  private readonly _onDidFailRefresh = new Emitter<unknown>();
  readonly onDidFailRefresh: Event<unknown> = this._onDidFailRefresh.event;

  constructor(readonly repository: Repository) {
    repository.onDidChangeState(() => void this.refresh().catch(() => undefined), undefined, this.disposables);
  }

  get snapshot(): RepositorySnapshot | undefined {
    return this._snapshot;
  }

  /** The conflicts the last pull reported (the merge was abandoned), until a pull or merge succeeds. */
  get reportedConflicts(): ConflictReport | undefined {
    return this._conflicts;
  }

  setReportedConflicts(report: ConflictReport | undefined): void {
    this._conflicts = report;
    if (this._snapshot) this._onDidChange.fire(this._snapshot);
  }

  /**
   * Re-reads the state. Resolves once a refresh that started after this call has finished: calls made while
   * one runs are folded into a single next one.
   */
  refresh(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.queued) return this.queued;
    if (!this.running) {
      this.running = this.read().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.queued = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.refresh();
      });
    return this.queued;
  }

  private async read(): Promise<void> {
    const repo = this.repository;
    try {
      const status = await repo.status();
      const tracking = status.branch ? await repo.tracking() : undefined;
      const remoteUrl = await repo.client.getRemoteUrl().catch(() => undefined);
      if (this.disposed) return;
      if (status.mergeInProgress || status.merge.length) this._conflicts = undefined;
      this._snapshot = { status, tracking, remoteUrl };
      this._onDidChange.fire(this._snapshot);
    } catch (err) {
      if (!this.disposed) this._onDidFailRefresh.fire(err);
      throw err;
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this._onDidChange.dispose();
    this._onDidFailRefresh.dispose();
  }
}
