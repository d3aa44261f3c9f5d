// The host side of the transfer worker (transferWorker.ts): one Worker thread, started on the first clone or fetch
// and kept (unreferenced while idle) for the next, transfers correlated by id. The caller's AbortSignal becomes an
// `abort` message; the worker's auth calls are answered by the caller's AuthSession; progress and the remote's lines
// are handed to the caller as they arrive. A worker that dies fails its transfers with an error (the clone's
// temporary folder is then removed by the caller, as after any failure).

import { Worker } from 'worker_threads';
import { stopWorker } from './stopWorker';
import type { GitAuth } from 'isomorphic-git';
import { GitError, type GitErrorCode } from './gitError';
import type { TransportOptions } from './httpTransport';
import type { TransferHooks, TransferRequest, TransferResult } from './ops/transfer';
import type { SerializedError, TransferWorkerReply, TransferWorkerRequest } from './transferWorker';

type Hooks = Omit<TransferHooks, 'fs' | 'http' | 'cache'>;

/** The error the worker reported, rebuilt so that toGitError (and instanceof GitError) read it as the original. */
export function deserializeError(s: SerializedError): Error {
  if (s.gitError) return new GitError(s.code as GitErrorCode, s.message, s.gitError.details as ConstructorParameters<typeof GitError>[2]);
  const data = s.data as Record<string, unknown> | undefined;
  if (data && Array.isArray(data.errors)) data.errors = (data.errors as SerializedError[]).map(deserializeError);
  const err = new Error(s.message);
  return Object.assign(err, { code: s.code, data, ...(s.name ? { name: s.name } : {}) });
}

export class TransferWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  /** each request with the worker it was sent to (a reply, or that worker's end, settles it). */
  private readonly pending = new Map<number, { worker: Worker; hooks: Hooks; resolve: (r: TransferResult) => void; reject: (e: Error) => void; error?: Error }>();

  /**
   * @param workerFile the bundled worker (dist/transferWorker.js); tests may pass the .ts entry with
   *   `execArgv: ['--require', 'tsx/cjs']`.
   */
  constructor(
    private readonly workerFile: string,
    private readonly workerOptions: { execArgv?: string[] } = {},
  ) {}

  /** Whether a transfer with these transport options can run in the worker (an http.Agent cannot cross). */
  static canCarry(transport: TransportOptions | undefined): boolean {
    return !transport?.agent;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.workerFile, { execArgv: this.workerOptions.execArgv });
    w.on('message', (m: TransferWorkerReply) => void this.onReply(w, m));
    // the requests sent to this worker fail with it; a worker disposed, then replaced, exits later (it is asked to,
    // and does so between two tasks): that exit must not fail, nor forget, the requests of the one after it
    const failAll = (err: Error): void => {
      if (this.worker === w) this.worker = undefined;
      for (const [id, p] of this.pending) {
        if (p.worker !== w) continue;
        this.pending.delete(id);
        p.reject(err);
      }
    };
    w.on('error', failAll);
    w.on('exit', (code) => failAll(new Error(`the git transfer worker exited (${code})`)));
    w.unref();
    this.worker = w;
    return w;
  }

  private async onReply(w: Worker, m: TransferWorkerReply): Promise<void> {
    const p = this.pending.get(m.id);
    if (!p) return;
    switch (m.type) {
      // a caller's callback that throws must not become an unhandled rejection here (isomorphic-git, on the
      // caller's thread, would have failed the transfer with it: so does this)
      case 'progress':
      case 'message':
        try {
          if (m.type === 'progress') p.hooks.onProgress?.(m.progress);
          else p.hooks.onMessage(m.chunk);
        } catch (err) {
          // stopped, and failed with this error once the worker has let go of the folder
          p.error ??= err instanceof Error ? err : new Error(String(err));
          w.postMessage({ type: 'abort', id: m.id } satisfies TransferWorkerRequest);
        }
        return;
      case 'auth': {
        let value: GitAuth | undefined;
        try {
          value = (await p.hooks[m.hook]('', {} as never)) ?? undefined;
        } catch {
          value = { cancel: true };
        }
        w.postMessage({ type: 'auth', id: m.id, call: m.call, value } satisfies TransferWorkerRequest);
        return;
      }
      case 'done':
      case 'failed':
        this.pending.delete(m.id);
        if (![...this.pending.values()].some((q) => q.worker === w)) w.unref();
        if (p.error) p.reject(p.error);
        else if (m.type === 'done') p.resolve(m.result);
        else p.reject(deserializeError(m.error));
        return;
    }
  }

  /** Runs `request` in the worker (see ops/transfer.ts's runTransfer for what it does). */
  run(request: TransferRequest, hooks: Hooks, transport?: TransportOptions): Promise<TransferResult> {
    if (!TransferWorkerClient.canCarry(transport)) throw new Error('an http.Agent cannot be handed to the transfer worker');
    const w = this.start();
    const id = this.nextId++;
    w.ref();
    return new Promise((resolve, reject) => {
      const signal = hooks.signal;
      const onAbort = (): void => w.postMessage({ type: 'abort', id } satisfies TransferWorkerRequest);
      const settle = <T>(fn: (v: T) => void) => (v: T): void => {
        signal?.removeEventListener('abort', onAbort);
        fn(v);
      };
      this.pending.set(id, { worker: w, hooks, resolve: settle(resolve), reject: settle(reject) });
      w.postMessage({ type: 'start', id, request, transport } satisfies TransferWorkerRequest);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Makes the worker forget what it remembers across transfers (pack readers, parsed config and indexes; see
   * processCaches.ts), as GitClient.resetCache does on this side. Messages are handled in order: the next transfer
   * starts without them. Nothing to do when the worker is not running.
   */
  forgetCaches(): void {
    this.worker?.postMessage({ type: 'forget' } satisfies TransferWorkerRequest);
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) stopWorker(w);
  }
}
