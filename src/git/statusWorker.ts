// Worker-thread entry for status: a separate bundle entry (esbuild: entryPoints src/git/statusWorker.ts ->
// dist/statusWorker.js), so that lstat-ing and hashing a 10,000-file repository never blocks the extension
// host's event loop. The main side talks to it through StatusWorkerClient (statusWorkerClient.ts).
// The bundle is small (about 45 kB): isomorphic-git, which status needs only for rare cases (a submodule's HEAD,
// HEAD not given), is the separate dist/isogit.js required on first use (src/git/isogit.ts), not parsed at every
// worker start.

import { parentPort } from 'worker_threads';
import { isExitMessage } from './stopWorker';
import { computeStatus, type StatusOptions, type WorkingTreeStatus } from './status';

export type StatusRequest =
  | { id: number; options: Omit<StatusOptions, 'cache' | 'blocking'> }
  /** forget what is cached for the repository at `dir` (pack indexes, the last status): after a repack or a reset. */
  | { id: number; reset: string };

export type StatusReply =
  /** sent once, when the bundle is loaded and requests are listened for (id 0 answers no request). */
  | { id: 0; ready: true }
  | { id: number; ok: true; status?: WorkingTreeStatus }
  | { id: number; ok: false; error: { code?: string; message: string } };

// one cache per repository (pack readers, the index's view, the last status), kept for the worker's lifetime
const caches = new Map<string, object>();

if (parentPort) {
  const port = parentPort;
  port.on('message', async (req: StatusRequest) => {
    // asked to stop (stopWorker.ts): here, between two tasks, no zlib object is half made
    if (isExitMessage(req)) process.exit(0);
    try {
      if ('reset' in req) {
        caches.delete(req.reset);
        port.postMessage({ id: req.id, ok: true } satisfies StatusReply);
        return;
      }
      let cache = caches.get(req.options.dir);
      if (!cache) {
        cache = {};
        caches.set(req.options.dir, cache);
      }
      // this thread has nothing else to do while a status runs: its file reads need no thread-pool round trips
      const status = await computeStatus({ ...req.options, cache, blocking: true });
      port.postMessage({ id: req.id, ok: true, status } satisfies StatusReply);
    } catch (err) {
      const e = err as { code?: unknown; message?: unknown };
      port.postMessage({
        id: req.id,
        ok: false,
        error: { code: typeof e.code === 'string' ? e.code : undefined, message: String(e.message ?? err) },
      } satisfies StatusReply);
    }
  });
  port.postMessage({ id: 0, ready: true } satisfies StatusReply);
}
