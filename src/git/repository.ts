// One `run(operation, fn)` funnel per repository (the vscode-git pattern): operations are queued and run one at
// a time (isomorphic-git has no locking of its own, so this funnel is the lock), each declares its kind, whether
// it writes and whether it talks to the remote; progress is forwarded; after every write `onDidChangeState`
// fires so the SCM view, status bar and trees refresh. No 'vscode' import: the adapters subscribe to the events.

import { Emitter, type Event } from '../util/emitter';
import { GitError, toGitError } from './gitError';
import type {
  CommitInfo,
  GitAuthor,
  GitClient,
  MergeInEditorResult,
  OperationOptions,
  ProgressEvent,
  PullResult,
  PushResult,
  RepositoryStatus,
  SetUpSyncOptions,
  SyncResult,
  TrackingInfo,
  BranchInfo,
  RemoteBranchInfo,
} from './gitClient';

export enum OperationKind {
  Status = 'Status',
  History = 'History',
  Branches = 'Branches',
  Tracking = 'Tracking',
  SetUpSync = 'SetUpSync',
  Stage = 'Stage',
  Unstage = 'Unstage',
  Discard = 'Discard',
  Commit = 'Commit',
  CreateBranch = 'CreateBranch',
  DeleteBranch = 'DeleteBranch',
  Checkout = 'Checkout',
  Fetch = 'Fetch',
  Pull = 'Pull',
  Push = 'Push',
  Sync = 'Sync',
  MergeInEditor = 'MergeInEditor',
  AbortMerge = 'AbortMerge',
}

export interface Operation {
  readonly kind: OperationKind;
  /** reads only: no state-changed event afterwards. */
  readonly readOnly: boolean;
  /** talks to the remote (show progress in a notification, offer cancel). */
  readonly remote: boolean;
}

function op(kind: OperationKind, readOnly: boolean, remote: boolean): Operation {
  return { kind, readOnly, remote };
}

export const Operations: Readonly<Record<OperationKind, Operation>> = {
  [OperationKind.Status]: op(OperationKind.Status, true, false),
  [OperationKind.History]: op(OperationKind.History, true, false),
  [OperationKind.Branches]: op(OperationKind.Branches, true, false),
  [OperationKind.Tracking]: op(OperationKind.Tracking, true, false),
  [OperationKind.SetUpSync]: op(OperationKind.SetUpSync, false, false),
  [OperationKind.Stage]: op(OperationKind.Stage, false, false),
  [OperationKind.Unstage]: op(OperationKind.Unstage, false, false),
  [OperationKind.Discard]: op(OperationKind.Discard, false, false),
  [OperationKind.Commit]: op(OperationKind.Commit, false, false),
  [OperationKind.CreateBranch]: op(OperationKind.CreateBranch, false, false),
  [OperationKind.DeleteBranch]: op(OperationKind.DeleteBranch, false, false),
  [OperationKind.Checkout]: op(OperationKind.Checkout, false, false),
  [OperationKind.Fetch]: op(OperationKind.Fetch, false, true),
  [OperationKind.Pull]: op(OperationKind.Pull, false, true),
  [OperationKind.Push]: op(OperationKind.Push, false, true),
  [OperationKind.Sync]: op(OperationKind.Sync, false, true),
  [OperationKind.MergeInEditor]: op(OperationKind.MergeInEditor, false, false),
  [OperationKind.AbortMerge]: op(OperationKind.AbortMerge, false, false),
};

export interface OperationEvent {
  operation: Operation;
  /** set on onDidRunOperation when the operation failed. */
  error?: GitError;
}

export interface ProgressReport {
  operation: Operation;
  progress: ProgressEvent;
}

export interface RunContext {
  signal?: AbortSignal;
  onProgress: (progress: ProgressEvent) => void;
}

export class Repository {
  private readonly _onDidChangeState = new Emitter<Operation>();
  /** fires after every write operation (even a failed one: it may have fetched or partly written). */
  readonly onDidChangeState: Event<Operation> = this._onDidChangeState.event;

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

  constructor(readonly client: GitClient) {}

  /** The operation running now, if any. */
  get currentOperation(): Operation | undefined {
    return this.current;
  }

  /** Operations waiting or running. */
  get pendingOperations(): number {
    return this.queued;
  }

  /**
   * Queues `fn` as `kind`; resolves with its result once every earlier operation has finished. Errors come out as
   * GitError values.
   */
  run<T>(kind: OperationKind, fn: (ctx: RunContext) => Promise<T>, options: { signal?: AbortSignal } = {}): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('repository disposed'));
    const operation = Operations[kind];
    this.queued++;
    const result = this.tail.then(async () => {
      this.current = operation;
      this._onDidStartOperation.fire({ operation });
      let error: GitError | undefined;
      try {
        return await fn({
          signal: options.signal,
          onProgress: (progress) => this._onDidProgress.fire({ operation, progress }),
        });
      } catch (err) {
        error = toGitError(err, { operation: kind.toLowerCase(), signal: options.signal });
        throw error;
      } finally {
        this.current = undefined;
        this.queued--;
        this._onDidRunOperation.fire({ operation, error });
        if (!operation.readOnly) this._onDidChangeState.fire(operation);
      }
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

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

  status(): Promise<RepositoryStatus> {
    return this.run(OperationKind.Status, () => this.client.status());
  }

  history(options?: { ref?: string; depth?: number }): Promise<CommitInfo[]> {
    return this.run(OperationKind.History, () => this.client.history(options));
  }

  branches(): Promise<{ local: BranchInfo[]; remote: RemoteBranchInfo[] }> {
    return this.run(OperationKind.Branches, () => this.client.listBranches());
  }

  tracking(): Promise<TrackingInfo | undefined> {
    return this.run(OperationKind.Tracking, () => this.client.tracking());
  }

  setUpSync(options: SetUpSyncOptions): ReturnType<GitClient['setUpSync']> {
    return this.run(OperationKind.SetUpSync, () => this.client.setUpSync(options));
  }

  stage(paths: string[]): Promise<void> {
    return this.run(OperationKind.Stage, () => this.client.stage(paths));
  }

  unstage(paths: string[]): Promise<void> {
    return this.run(OperationKind.Unstage, () => this.client.unstage(paths));
  }

  discard(paths: string[]): Promise<void> {
    return this.run(OperationKind.Discard, () => this.client.discard(paths));
  }

  commit(message: string, options?: { author?: GitAuthor }): Promise<string> {
    return this.run(OperationKind.Commit, () => this.client.commit(message, options));
  }

  createBranch(name: string, options?: { checkout?: boolean; startPoint?: string }): Promise<void> {
    return this.run(OperationKind.CreateBranch, () => this.client.createBranch(name, options));
  }

  deleteBranch(name: string): Promise<void> {
    return this.run(OperationKind.DeleteBranch, () => this.client.deleteBranch(name));
  }

  checkout(name: string, options: OperationOptions = {}): Promise<void> {
    return this.run(OperationKind.Checkout, (ctx) => this.client.checkout(name, this.remote(options, ctx)), options);
  }

  fetch(options: OperationOptions = {}): Promise<void> {
    return this.run(OperationKind.Fetch, (ctx) => this.client.fetch(this.remote(options, ctx)), options);
  }

  pull(options: OperationOptions = {}): Promise<PullResult> {
    return this.run(OperationKind.Pull, (ctx) => this.client.pull(this.remote(options, ctx)), options);
  }

  push(options: OperationOptions & { force?: boolean } = {}): Promise<PushResult> {
    return this.run(OperationKind.Push, (ctx) => this.client.push({ ...this.remote(options, ctx), force: options.force }), options);
  }

  sync(options: OperationOptions = {}): Promise<SyncResult> {
    return this.run(OperationKind.Sync, (ctx) => this.client.sync(this.remote(options, ctx)), options);
  }

  mergeInEditor(options: OperationOptions = {}): Promise<MergeInEditorResult> {
    return this.run(OperationKind.MergeInEditor, (ctx) => this.client.mergeInEditor(this.remote(options, ctx)), options);
  }

  abortMerge(): Promise<void> {
    return this.run(OperationKind.AbortMerge, () => this.client.abortMerge());
  }

  dispose(): void {
    this.disposed = true;
    this._onDidChangeState.dispose();
    this._onDidStartOperation.dispose();
    this._onDidRunOperation.dispose();
    this._onDidProgress.dispose();
  }
}
