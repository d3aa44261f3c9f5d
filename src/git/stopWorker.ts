// Stopping a worker thread without crashing the process. `Worker.terminate()` stops the thread wherever its
// JavaScript is; landing between a zlib object's creation and its init() (an inflate of a git object), Node 20's
// cleanup then aborts the whole process ("CompressionStream::Close: close before init", seen in CI). So the worker
// is asked to exit ({ type: 'exit' }, which it does from its message handler, between two tasks, where no zlib
// object is half made); terminate() is only the fallback for a worker that does not answer.

import type { Worker } from 'worker_threads';

/** The message a worker exits on (process.exit from its message handler). */
export const EXIT_MESSAGE = { type: 'exit' } as const;

export function isExitMessage(msg: unknown): boolean {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'exit';
}

/** Asks `worker` to exit; terminates it if it has not within `graceMs` (a thread busy in a long synchronous step). */
export function stopWorker(worker: Worker, graceMs = 2000): void {
  const timer = setTimeout(() => void worker.terminate(), graceMs);
  timer.unref();
  worker.once('exit', () => clearTimeout(timer));
  try {
    worker.postMessage(EXIT_MESSAGE);
  } catch {
    clearTimeout(timer);
    void worker.terminate();
  }
}
