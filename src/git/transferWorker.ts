// Worker-thread entry for clone and fetch (esbuild: src/git/transferWorker.ts -> dist/transferWorker.js): the pack
// is received, indexed and (for a clone) checked out here, off the extension host's event loop. The host side is
// TransferWorkerClient (transferWorkerClient.ts); the work itself is ops/transfer.ts, the same code the host runs
// without a worker. Auth callbacks go back to the host (the token provider and its prompts live there), progress and
// the remote's lines are posted as they come, and a cancel from the host aborts this transfer's HTTP requests and
// the awaited phases of the pack indexing.

import { parentPort } from 'worker_threads';
import { isExitMessage } from './stopWorker';
import type { GitAuth } from 'isomorphic-git';
import { createHttpClient, type TransportOptions } from './httpTransport';
import { gitFs, useBlockingReads } from './plumbing/gitFs';
import { forgetProcessCaches } from './processCaches';
import { runTransfer, type TransferRequest, type TransferResult } from './ops/transfer';
import type { ProgressEvent } from './worktree';

export type AuthHook = 'onAuth' | 'onAuthFailure' | 'onAuthSuccess';

/** host -> worker */
export type TransferWorkerRequest =
  | { type: 'start'; id: number; request: TransferRequest; transport?: Omit<TransportOptions, 'agent'> }
  | { type: 'abort'; id: number }
  | { type: 'auth'; id: number; call: number; value: GitAuth | undefined }
  /** forget what this thread remembers across transfers (processCaches.ts): pack readers, parsed config and indexes. */
  | { type: 'forget' };

/** An error as it crosses the boundary: what toGitError and GitError read. */
export interface SerializedError {
  name?: string;
  message: string;
  code?: string;
  data?: unknown;
  /** set for a GitError (its code is a GitErrorCode). */
  gitError?: { details: unknown };
}

/** worker -> host */
export type TransferWorkerReply =
  | { type: 'progress'; id: number; progress: ProgressEvent }
  | { type: 'message'; id: number; chunk: string }
  | { type: 'auth'; id: number; call: number; hook: AuthHook }
  | { type: 'done'; id: number; result: TransferResult }
  | { type: 'failed'; id: number; error: SerializedError };

/** the shortest time between two progress events of one phase that are posted to the host, ms. */
export const PROGRESS_INTERVAL_MS = 50;

/**
 * `post`, for progress events, at most every `intervalMs` within a phase: the first event of each phase is posted at
 * once, the last one held meanwhile is posted before the next phase's first and by `flush` (before the transfer's
 * end is), so the host sees every phase, in order, each ending where it ended. A 10,000-file clone reports some 600
 * events (every percent of five phases); each message wakes the host's thread, which on two busy cores took the
 * worker off its core: in a profile of the worker, posting them took 50-100 ms of a clone.
 */
export function progressPoster(post: (p: ProgressEvent) => void, intervalMs = PROGRESS_INTERVAL_MS, now: () => number = () => performance.now()): { onProgress: (p: ProgressEvent) => void; flush: () => void } {
  let phase: string | undefined;
  let postedAt = -Infinity;
  let held: ProgressEvent | undefined;
  const flush = (): void => {
    if (held) post(held);
    held = undefined;
  };
  return {
    onProgress: (p) => {
      const t = now();
      if (p.phase !== phase) {
        flush();
        phase = p.phase;
      } else if (t - postedAt < intervalMs) {
        held = p;
        return;
      }
      held = undefined;
      postedAt = t;
      post(p);
    },
    flush,
  };
}

/** An error (and, for MultipleGitError, the errors it holds) as plain data. */
export function serializeError(err: unknown, depth = 0): SerializedError {
  const e = (err ?? {}) as { name?: unknown; message?: unknown; code?: unknown; data?: unknown; details?: unknown };
  const out: SerializedError = {
    name: typeof e.name === 'string' ? e.name : undefined,
    message: typeof e.message === 'string' ? e.message : String(err),
    code: typeof e.code === 'string' ? e.code : undefined,
  };
  if (e.name === 'GitError') out.gitError = { details: plain(e.details) };
  if (e.data && typeof e.data === 'object') {
    const data = { ...(e.data as Record<string, unknown>) };
    if (Array.isArray(data.errors) && depth < 3) data.errors = data.errors.map((x) => serializeError(x, depth + 1));
    out.data = plain(data);
  }
  return out;
}

/** What structured clone can carry (functions and class instances dropped to their JSON form). */
function plain(v: unknown): unknown {
  try {
    return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
  } catch {
    return undefined;
  }
}

if (parentPort) {
  const port = parentPort;
  // this thread may block (it is not the extension host's): its git reads skip libuv's shared thread pool
  useBlockingReads();
  const running = new Map<number, { abort: AbortController; auth: Map<number, (v: GitAuth | undefined) => void> }>();
  let nextCall = 1;
  const post = (m: TransferWorkerReply): void => port.postMessage(m);

  port.on('message', async (msg: TransferWorkerRequest) => {
    // asked to stop (stopWorker.ts): here, between two tasks, no zlib object is half made
    if (isExitMessage(msg)) process.exit(0);
    if (msg.type === 'forget') {
      forgetProcessCaches();
      return;
    }
    if (msg.type === 'abort') {
      running.get(msg.id)?.abort.abort();
      return;
    }
    if (msg.type === 'auth') {
      const r = running.get(msg.id);
      const resolve = r?.auth.get(msg.call);
      r?.auth.delete(msg.call);
      resolve?.(msg.value);
      return;
    }
    const { id } = msg;
    const abort = new AbortController();
    const auth = new Map<number, (v: GitAuth | undefined) => void>();
    running.set(id, { abort, auth });
    const ask = (hook: AuthHook) => (): Promise<GitAuth | undefined> =>
      new Promise((resolve) => {
        const call = nextCall++;
        auth.set(call, resolve);
        post({ type: 'auth', id, call, hook });
      });
    const progress = progressPoster((p) => post({ type: 'progress', id, progress: p }));
    try {
      const result = await runTransfer(msg.request, {
        fs: gitFs,
        http: createHttpClient(msg.transport, abort.signal),
        cache: {},
        signal: abort.signal,
        mayBlock: true,
        onAuth: ask('onAuth') as () => Promise<GitAuth>,
        onAuthFailure: ask('onAuthFailure') as () => Promise<GitAuth>,
        onAuthSuccess: async () => {
          await ask('onAuthSuccess')();
        },
        onProgress: progress.onProgress,
        onMessage: (chunk) => post({ type: 'message', id, chunk }),
      });
      progress.flush();
      post({ type: 'done', id, result });
    } catch (err) {
      // isomorphic-git delivers the remote's lines without awaiting them: let the last ones be posted first
      await new Promise((r) => setTimeout(r, 10));
      progress.flush();
      post({ type: 'failed', id, error: serializeError(err) });
    } finally {
      running.delete(id);
    }
  });
}
