// The per-repository model (the vscode-git pattern): the GitClient is private to it and `run(operation, fn)` is
// the only way in. Operations are queued and run one at a time (isomorphic-git has no locking of its own, so this
// funnel is the lock); each declares its kind, whether it writes and whether it talks to the remote; progress is
// forwarded; an operation that finds `.git/index.lock` held by another git process is retried with backoff; and
// after every write the state (status, tracking, remote) is read again INSIDE the operation, before its promise
// settles, so a command that reads `snapshot` right after `await repository.fetch()` sees the state after the fetch.
// The conflicts a pull reported are owned here too. No 'vscode' import: the views subscribe to the events.

import { Emitter, type Event } from '../util/emitter';
import type { ConflictReport } from './conflictReport';
import { GitError, GitErrorCode, isGitError, toGitError } from './gitError';
import type {
  BranchInfo,
  CommitInfo,
  GitAuthor,
  GitClient,
  MergeInEditorResult,
  OperationOptions,
  ProgressEvent,
  PullResult,
  PushResult,
  RemoteBranchInfo,
  RepositoryStatus,
  SetUpSyncOptions,
  SyncResult,
  TrackingInfo,
} from './gitClient';
import { createBranch, deleteBranch, listBranches } from './ops/branches';
import { branchMergeState, type BranchMergeState } from './ops/branchMerged';
import { checkout } from './ops/checkout';
import { commit } from './ops/commit';
import type { OpContext } from './ops/context';
import { history } from './ops/history';
import { abortMerge } from './ops/mergeState';
import { readSnapshot } from './ops/readSnapshot';
import { pushToNewBranch, type PushToNewBranchResult } from './ops/pushToNewBranch';
import { getRemoteUrl, isRepository, setAuthor, setUpSync } from './ops/setUpSync';
import { discard, remove, stage, unstage } from './ops/stage';
import { tracking } from './ops/tracking';

export enum OperationKind {
  Status = 'Status',
  History = 'History',
  Branches = 'Branches',
  Tracking = 'Tracking',
  Config = 'Config',
  SetUpSync = 'SetUpSync',
  SetAuthor = 'SetAuthor',
  Stage = 'Stage',
  Unstage = 'Unstage',
  Remove = 'Remove',
  Discard = 'Discard',
  Commit = 'Commit',
  CreateBranch = 'CreateBranch',
  DeleteBranch = 'DeleteBranch',
  Checkout = 'Checkout',
  Fetch = 'Fetch',
  Pull = 'Pull',
  Push = 'Push',
  PushToNewBranch = 'PushToNewBranch',
  Sync = 'Sync',
  MergeInEditor = 'MergeInEditor',
  AbortMerge = 'AbortMerge',
}

export interface Operation {
  readonly kind: OperationKind;
  /** reads only: the state is not read again afterwards. */
  readonly readOnly: boolean;
  /** talks to the remote (show progress in a notification, offer cancel). */
  readonly remote: boolean;
  /**
   * reads the working tree or writes it: the edits still waiting in an editor's debounce are written first
   * (RepositoryOptions.beforeWorktree), so that the operation sees what the user typed and nothing lands on its result.
   */
  readonly worktree: boolean;
}

function op(kind: OperationKind, readOnly: boolean, remote: boolean, worktree = false): Operation {
  return { kind, readOnly, remote, worktree };
}

export const Operations: Readonly<Record<OperationKind, Operation>> = {
  // a status that the watcher's events start does not write the editors' edits (it would cut their debounce short):
  // refresh() asks for it (`worktree`) when it is not incremental, as a command that acts on the state does
  [OperationKind.Status]: op(OperationKind.Status, true, false),
  [OperationKind.History]: op(OperationKind.History, true, false),
  [OperationKind.Branches]: op(OperationKind.Branches, true, false),
  [OperationKind.Tracking]: op(OperationKind.Tracking, true, false),
  [OperationKind.Config]: op(OperationKind.Config, true, false),
  [OperationKind.SetUpSync]: op(OperationKind.SetUpSync, false, false),
  [OperationKind.SetAuthor]: op(OperationKind.SetAuthor, false, false),
  [OperationKind.Stage]: op(OperationKind.Stage, false, false, true),
  [OperationKind.Unstage]: op(OperationKind.Unstage, false, false),
  [OperationKind.Remove]: op(OperationKind.Remove, false, false, true),
  [OperationKind.Discard]: op(OperationKind.Discard, false, false, true),
  [OperationKind.Commit]: op(OperationKind.Commit, false, false, true),
  [OperationKind.CreateBranch]: op(OperationKind.CreateBranch, false, false),
  [OperationKind.DeleteBranch]: op(OperationKind.DeleteBranch, false, false),
  [OperationKind.Checkout]: op(OperationKind.Checkout, false, false, true),
  [OperationKind.Fetch]: op(OperationKind.Fetch, false, true),
  [OperationKind.Pull]: op(OperationKind.Pull, false, true, true),
  [OperationKind.Push]: op(OperationKind.Push, false, true),
  [OperationKind.PushToNewBranch]: op(OperationKind.PushToNewBranch, false, true, true),
  [OperationKind.Sync]: op(OperationKind.Sync, false, true, true),
  [OperationKind.MergeInEditor]: op(OperationKind.MergeInEditor, false, false, true),
  [OperationKind.AbortMerge]: op(OperationKind.AbortMerge, false, false, true),
};

/** What the views render: the state as read after the last operation or refresh. */
export interface RepositorySnapshot {
  readonly status: RepositoryStatus;
  /** undefined when the branch has no remote-tracking counterpart (never pushed, no remote, detached). */
  readonly tracking: TrackingInfo | undefined;
  /** the URL of `origin`, without credentials; undefined when sync is not set up. */
  readonly remoteUrl: string | undefined;
  /** performance.now() as the status began: a file written after it may be newer than the status says. */
  readonly readStartedAt?: number;
}

export interface OperationEvent {
  operation: Operation;
  /** set on onDidRunOperation when the operation failed. */
  error?: GitError;
}

export interface ProgressReport {
  operation: Operation;
  progress: ProgressEvent;
  /**
   * Set when the operation waits for a lock another git process holds (progress.phase says which file): settles
   * when the wait ends, the lock taken or given up.
   */
  wait?: Promise<void>;
}

/** What an operation's function gets: the shared context of the ops modules, inside the funnel. */
export type RunContext = OpContext;

export interface RepositoryOptions {
  /**
   * How long to wait before retry `attempt` (1-based) of an operation that found `.git/index.lock` held by another
   * process (a stale lock, which no process holds, is reported at once); undefined: give up. Default: vscode-git's
   * backoff, attempt² × 50 ms, for 6 attempts (about 12 s in all with the client's own 1 s wait per attempt).
   */
  readonly lockBackoff?: (attempt: number) => number | undefined;
  /**
   * Called inside the funnel before each operation that reads or writes the working tree (`Operation.worktree`, and
   * a refresh that is not incremental), after the operations queued before it: the VS Code side writes there what the
   * editors still hold in their debounce. The operation starts when it resolves; a rejection fails the operation.
   */
  readonly beforeWorktree?: (operation: Operation) => Promise<void>;
}

const defaultLockBackoff = (attempt: number): number | undefined => (attempt <= 6 ? attempt * attempt * 50 : undefined);

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new GitError(GitErrorCode.Cancelled, 'The operation was cancelled.'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new GitError(GitErrorCode.Cancelled, 'The operation was cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class Repository {
  private readonly _onDidChangeState = new Emitter<RepositorySnapshot>();
  /**
   * Fires when the snapshot was read again (inside every write operation, even a failed one: it may have fetched or
   * partly written; and on refresh()), and when the reported conflicts change.
   */
  readonly onDidChangeState: Event<RepositorySnapshot> = this._onDidChangeState.event;

  private readonly _onDidFailRefresh = new Emitter<unknown>();
  readonly onDidFailRefresh: Event<unknown> = this._onDidFailRefresh.event;

  private readonly _onDidStartOperation = new Emitter<OperationEvent>();
  readonly onDidStartOperation: Event<OperationEvent> = this._onDidStartOperation.event;

  private readonly _onDidRunOperation = new Emitter<OperationEvent>();
  readonly onDidRunOperation: Event<OperationEvent> = this._onDidRunOperation.event;

  private readonly _onDidProgress = new Emitter<ProgressReport>();
  readonly onDidProgress: Event<ProgressReport> = this._onDidProgress.event;

  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private current: Operation | undefined;
  private disposed = false;
  private _snapshot: RepositorySnapshot | undefined;
  private _conflicts: ConflictReport | undefined;
  /**
   * The branch and HEAD the reported conflicts were found on (undefined: taken at the next state read). When either
   * moves (a checkout, a commit, a reset in a terminal) the report no longer describes the repository and is dropped.
   */
  private conflictsAt: { branch: string | undefined; head: string | null } | undefined;
  /** a refresh queued and not started yet: later refresh() calls join it. */
  private pendingRefresh: Promise<RepositorySnapshot | undefined> | undefined;
  /** that refresh writes the editors' pending edits first (one of its callers asked for a full refresh). */
  private pendingRefreshWorktree = false;
  private readonly lockBackoff: (attempt: number) => number | undefined;
  private readonly beforeWorktree: ((operation: Operation) => Promise<void>) | undefined;

  constructor(
    private readonly client: GitClient,
    options: RepositoryOptions = {},
  ) {
    this.lockBackoff = options.lockBackoff ?? defaultLockBackoff;
    this.beforeWorktree = options.beforeWorktree;
  }

  /** The working tree's folder. */
  get root(): string {
    return this.client.dir;
  }

  /** The state as read after the last write operation or refresh (undefined before the first). */
  get snapshot(): RepositorySnapshot | undefined {
    return this._snapshot;
  }

  /** The conflicts the last pull or sync reported (the merge was abandoned), until a pull or merge succeeds or HEAD or the branch moves. */
  get reportedConflicts(): ConflictReport | undefined {
    return this._conflicts;
  }

  /** The operation running now, if any. */
  get currentOperation(): Operation | undefined {
    return this.current;
  }

  /** Operations waiting or running. */
  get pendingOperations(): number {
    return this.queued;
  }

  /**
   * Queues `fn` as `kind`; resolves with its result once every earlier operation has finished and, for a write, once
   * the state has been read again. Errors come out as GitError values.
   */
  run<T>(kind: OperationKind, fn: (ctx: RunContext) => Promise<T>, options: { signal?: AbortSignal } = {}): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('repository disposed'));
    const operation = Operations[kind];
    this.queued++;
    const result = this.tail.then(async () => {
      this.current = operation;
      this._onDidStartOperation.fire({ operation });
      let error: GitError | undefined;
      const ctx: RunContext = {
        client: this.client,
        core: this.client.core,
        signal: options.signal,
        onProgress: (progress) => this._onDidProgress.fire({ operation, progress }),
      };
      try {
        // the editors' pending edits first, here in the funnel: nothing typed before the operation started is left
        // out of it, or written onto what it leaves
        if (operation.worktree) await this.beforeWorktree?.(operation);
        const value = await this.withLockRetry(() => fn(ctx), operation, options.signal);
        this.afterSuccess(kind);
        return value;
      } catch (err) {
        error = toGitError(err, { operation: kind.toLowerCase(), signal: options.signal });
        if (isGitError(error, GitErrorCode.Conflict) && error.details.conflict) {
          this._conflicts = error.details.conflict;
          this.conflictsAt = undefined;
        }
        throw error;
      } finally {
        // the new state is part of the operation's result: read before the caller's await resumes
        if (!operation.readOnly) await this.readState();
        this.current = undefined;
        this.queued--;
        this._onDidRunOperation.fire({ operation, error });
      }
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async withLockRetry<T>(fn: () => Promise<T>, operation: Operation, signal: AbortSignal | undefined): Promise<T> {
    let waited = (): void => undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn();
        } catch (err) {
          // a lock no process holds (a crashed git left it) will not go away by waiting: say so at once
          if (!isGitError(err, GitErrorCode.IndexLocked) || err.details.lockStale) throw err;
          if (signal?.aborted) throw new GitError(GitErrorCode.Cancelled, 'The operation was cancelled.');
          const wait = this.lockBackoff(attempt);
          if (wait === undefined) throw err;
          // the user is told why nothing happens as the first retry starts (the git CLI: "Another git process seems
          // to be running in this repository"), not only by the error at the end of the wait
          const file = err.details.lockFile?.replace(/^.*[\\/](?=\.git[\\/])/, '');
          if (attempt === 1) this._onDidProgress.fire({ operation, progress: { phase: `Waiting for another git process to finish${file ? ` (${file})` : ''}…`, loaded: 0, total: 0 }, wait: new Promise((r) => (waited = r)) });
          await sleep(wait, signal);
        }
      }
    } finally {
      waited();
    }
  }

  private afterSuccess(kind: OperationKind): void {
    if (kind === OperationKind.Pull || kind === OperationKind.Sync || kind === OperationKind.MergeInEditor || kind === OperationKind.AbortMerge) {
      this._conflicts = undefined;
    }
  }

  /** Reads the state (inside the funnel) and tells the views; a failure is reported, never thrown over the operation's own result. */
  private async readState(): Promise<void> {
    if (this.disposed) return;
    try {
      const snapshot = await readSnapshot({ client: this.client });
      if (this.disposed) return;
      // a merge on disk replaces what the last pull reported
      if (snapshot.status.mergeInProgress || snapshot.status.merge.length) this._conflicts = undefined;
      if (this._conflicts) {
        const { branch, head } = snapshot.status;
        if (!this.conflictsAt) this.conflictsAt = { branch, head };
        else if (this.conflictsAt.branch !== branch || this.conflictsAt.head !== head) this._conflicts = undefined;
      }
      this._snapshot = snapshot;
      this._onDidChangeState.fire(snapshot);
    } catch (err) {
      if (!this.disposed) this._onDidFailRefresh.fire(err);
    }
  }

  /**
   * Reads the state again, as an operation of the funnel (after the ones queued before it). Calls made while one is
   * waiting in the queue join it; each caller gets a state read after its call. Resolves with the new snapshot.
   * A full scan of the working tree, as `git status` does, unless `incremental`: only the paths the file watcher
   * reported since the last status (its events arrive some 100 ms after a write, so a command that acts on the
   * state, such as Commit's stage-all, must not rely on them; the watcher's own refresh can).
   */
  refresh(options: { incremental?: boolean } = {}): Promise<RepositorySnapshot | undefined> {
    if (this.disposed) return Promise.resolve(this._snapshot);
    // before joining a waiting refresh: it has not taken the changed paths yet, so it scans everything too; and it
    // writes the editors' pending edits first, as a refresh a command acts on does (Operation.worktree)
    if (!options.incremental) {
      this.client.noteChanged(undefined);
      this.pendingRefreshWorktree = true;
    }
    if (this.pendingRefresh) return this.pendingRefresh;
    this.pendingRefreshWorktree = !options.incremental;
    let started = false;
    const refresh = this.run(OperationKind.Status, async () => {
      started = true;
      const worktree = this.pendingRefreshWorktree;
      if (this.pendingRefresh === refresh) this.pendingRefresh = undefined;
      if (worktree) await this.beforeWorktree?.(Operations[OperationKind.Status]);
      const before = this._snapshot;
      await this.readState();
      if (this._snapshot === before) throw new Error('the state could not be read');
      return this._snapshot;
    }).finally(() => {
      if (!started && this.pendingRefresh === refresh) this.pendingRefresh = undefined;
    });
    this.pendingRefresh = refresh;
    return refresh;
  }

  /** Sets (or clears) the conflicts shown as reported; the views render again. */
  setReportedConflicts(report: ConflictReport | undefined): void {
    this._conflicts = report;
    this.conflictsAt = this._snapshot ? { branch: this._snapshot.status.branch, head: this._snapshot.status.head } : undefined;
    if (this._snapshot) this._onDidChangeState.fire(this._snapshot);
  }

  // ---------------------------------------------------------------- operations

  private remote(options: OperationOptions, ctx: RunContext): OperationOptions {
    return {
      ...options,
      signal: options.signal ?? ctx.signal,
      onProgress: (p) => {
        ctx.onProgress(p);
        options.onProgress?.(p);
      },
    };
  }

  isRepository(): Promise<boolean> {
    return this.run(OperationKind.Config, (ctx) => isRepository(ctx));
  }

  status(): Promise<RepositoryStatus> {
    return this.run(OperationKind.Status, ({ client }) => client.status());
  }

  history(options?: { ref?: string; depth?: number }): Promise<CommitInfo[]> {
    return this.run(OperationKind.History, (ctx) => history(ctx, options));
  }

  branches(): Promise<{ local: BranchInfo[]; remote: RemoteBranchInfo[] }> {
    return this.run(OperationKind.Branches, (ctx) => listBranches(ctx));
  }

  tracking(): Promise<TrackingInfo | undefined> {
    return this.run(OperationKind.Tracking, (ctx) => tracking(ctx));
  }

  remoteUrl(): Promise<string | undefined> {
    return this.run(OperationKind.Config, (ctx) => getRemoteUrl(ctx));
  }

  /** The URL a fetch connects to (GitClient.connectUrl): the host a token is for. */
  remoteConnectUrl(): Promise<string | undefined> {
    return this.run(OperationKind.Config, (ctx) => ctx.client.connectUrl());
  }

  author(): Promise<GitAuthor | undefined> {
    return this.run(OperationKind.Config, ({ core }) => core.getAuthor());
  }

  /** An author for this session's commits, written nowhere (the user chose not to save it in .git/config). */
  useSessionAuthor(author: GitAuthor): void {
    this.client.useSessionAuthor(author);
  }

  /**
   * The paths a file watcher saw change since the last status (undefined: events were lost): the next status looks
   * only at these (incremental status, see GitClient.noteChanged).
   */
  noteChanged(paths: readonly string[] | undefined): void {
    this.client.noteChanged(paths);
  }

  setAuthor(author: GitAuthor): Promise<void> {
    return this.run(OperationKind.SetAuthor, (ctx) => setAuthor(ctx, author));
  }

  setUpSync(options: SetUpSyncOptions): ReturnType<GitClient['setUpSync']> {
    return this.run(OperationKind.SetUpSync, (ctx) => setUpSync(ctx, options));
  }

  stage(paths: string[]): Promise<void> {
    return this.run(OperationKind.Stage, (ctx) => stage(ctx, paths));
  }

  unstage(paths: string[]): Promise<void> {
    return this.run(OperationKind.Unstage, (ctx) => unstage(ctx, paths));
  }

  /** `git rm`: the files deleted and their index entries removed (a deletion conflict resolved by deleting). */
  remove(paths: string[]): Promise<void> {
    return this.run(OperationKind.Remove, (ctx) => remove(ctx, paths));
  }

  discard(paths: string[]): Promise<void> {
    return this.run(OperationKind.Discard, (ctx) => discard(ctx, paths));
  }

  commit(message: string, options?: { author?: GitAuthor }): Promise<string> {
    return this.run(OperationKind.Commit, (ctx) => commit(ctx, message, options));
  }

  createBranch(name: string, options?: { checkout?: boolean; startPoint?: string }): Promise<void> {
    return this.run(OperationKind.CreateBranch, (ctx) => createBranch(ctx, name, options));
  }

  /** `git branch -D`; `requireMerged`: `git branch -d`; `oid`: only while the branch is still there (ops/branches.ts). */
  deleteBranch(name: string, options?: { requireMerged?: boolean; oid?: string }): Promise<void> {
    return this.run(OperationKind.DeleteBranch, (ctx) => deleteBranch(ctx, name, options));
  }

  /** Whether `git branch -d` would delete the branch, and what deleting it loses (ops/branchMerged.ts). Reads only. */
  branchMergeState(name: string): Promise<BranchMergeState> {
    return this.run(OperationKind.Branches, (ctx) => branchMergeState(ctx, name));
  }

  checkout(name: string, options: OperationOptions = {}): Promise<void> {
    return this.run(OperationKind.Checkout, (ctx) => checkout(ctx, name, this.remote(options, ctx)), options);
  }

  /** Fetches every branch of `origin` (or of `remote`, or only its `branch`, or one `refspec`: ops/fetch.ts). */
  fetch(options: OperationOptions & { remote?: string; branch?: string; refspec?: { readonly src: string; readonly dst: string } } = {}): Promise<void> {
    return this.run(OperationKind.Fetch, (ctx) => ctx.client.fetch({ ...this.remote(options, ctx), remote: options.remote, branch: options.branch, refspec: options.refspec }), options);
  }

  pull(options: OperationOptions = {}): Promise<PullResult> {
    return this.run(OperationKind.Pull, (ctx) => ctx.client.pull(this.remote(options, ctx)), options);
  }

  push(options: OperationOptions & { force?: boolean } = {}): Promise<PushResult> {
    return this.run(OperationKind.Push, (ctx) => ctx.client.push({ ...this.remote(options, ctx), force: options.force }), options);
  }

  /** After a rejected push: the commits go to a new branch, pushed with its upstream; see ops/pushToNewBranch. */
  pushToNewBranch(name: string, options: OperationOptions = {}): Promise<PushToNewBranchResult> {
    return this.run(OperationKind.PushToNewBranch, (ctx) => pushToNewBranch({ ...ctx, ...this.remote(options, ctx) }, name), options);
  }

  sync(options: OperationOptions = {}): Promise<SyncResult> {
    return this.run(OperationKind.Sync, (ctx) => ctx.client.sync(this.remote(options, ctx)), options);
  }

  mergeInEditor(options: OperationOptions = {}): Promise<MergeInEditorResult> {
    return this.run(OperationKind.MergeInEditor, (ctx) => ctx.client.mergeInEditor(this.remote(options, ctx)), options);
  }

  abortMerge(): Promise<void> {
    return this.run(OperationKind.AbortMerge, (ctx) => abortMerge(ctx));
  }

  /** Reads git objects and the status only (History's incoming preview, a review's diff): `fn` gets the client inside the funnel. */
  read<T>(kind: OperationKind.History | OperationKind.Status | OperationKind.Branches, fn: (ctx: RunContext) => Promise<T>, options: { signal?: AbortSignal } = {}): Promise<T> {
    return this.run(kind, fn, options);
  }

  dispose(): void {
    this.disposed = true;
    this._onDidChangeState.dispose();
    this._onDidFailRefresh.dispose();
    this._onDidStartOperation.dispose();
    this._onDidRunOperation.dispose();
    this._onDidProgress.dispose();
  }
}
