// The main-thread side of the status worker: one Worker, requests correlated by id. GitClient uses it for
// status() when given one; without it status runs in-process.

import { Worker } from 'worker_threads';
import { stopWorker } from './stopWorker';
import { readIndexBytes, type IndexBytes } from './indexCache';
import { commitTreeOf } from './statusPrefetch';
import { indexEntryCount, lstatIndexSliced, sharedLstats, type SharedLstats } from './statusLstat';
import type { StatusReply, StatusRequest } from './statusWorker';
import type { StatusOptions, WorkingTreeStatus } from './status';

export class StatusWorkerClient {
  private worker: Worker | undefined;
  /** resolves when the worker (started by start()) has loaded and listens for requests: its start is over. */
  private ready: Promise<void> | undefined;
  private readyNow: (() => void) | undefined;
  /** no status has been asked of this worker yet: it has nothing cached. */
  private fresh = false;
  private nextId = 1;
  /** the ids of the requests sent to each worker (a reply, or the worker's end, settles them). */
  private readonly sentTo = new WeakMap<Worker, Set<number>>();
  private readonly pending = new Map<number, { resolve: (s: WorkingTreeStatus | undefined) => void; reject: (e: Error) => void }>();

  /**
   * @param workerFile the bundled worker (dist/statusWorker.js); tests may pass the .ts entry with
   *   `execArgv: ['--require', 'tsx/cjs']`.
   */
  constructor(
    private readonly workerFile: string,
    private readonly workerOptions: {
      execArgv?: string[];
      resourceLimits?: { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number };
    } = {},
  ) {}

  /**
   * Starts the worker thread now (if it is not running), so that its start (some 40 ms) overlaps what the caller
   * does before its first compute (GitClient.status resolves HEAD and the branch meanwhile).
   */
  warm(): void {
    this.start();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // a small young generation: the default (16 MB semi-spaces) kept the worker at ~70 MB resident after one status
    // of 10,000 files, nearly all of it heap grown for short-lived stat objects. 8 MB: a first status of 10,000
    // files (its parsed index, 10,000 entries that all survive) went through about 24-30 scavenges at 2 MB and 8
    // at 8 MB; their pauses took 3 to 14 ms less (medians of interleaved runs on a busy machine; the CPU time was
    // the same within noise), for about 27 MB resident instead of 22 (bench/gitWorkerProbe.ts; the target is 40).
    // The old generation is bounded like the 50,000-file probe's (bench/gitStatusProbe.ts).
    const resourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256, ...this.workerOptions.resourceLimits };
    // stdin: true, though nothing is written to it: without it, every start ends the worker's process.stdin at once
    // (Node's worker bootstrap), creating the stream in the new isolate, about 1.5 ms of CPU (here it is made on
    // this side, in code that already runs warm)
    const w = new Worker(this.workerFile, { execArgv: this.workerOptions.execArgv, resourceLimits, stdin: true });
    this.ready = new Promise((resolve) => (this.readyNow = resolve));
    this.fresh = true;
    const mine = new Set<number>();
    this.sentTo.set(w, mine);
    w.on('message', (reply: StatusReply) => {
      if ('ready' in reply) {
        if (this.worker !== w) return;
        this.readyNow?.();
        return;
      }
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      mine.delete(reply.id);
      if (mine.size === 0) w.unref();
      if (reply.ok) p.resolve(reply.status);
      else p.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    });
    // the requests sent to this worker fail with it; a worker already replaced (disposed, then a new one started) is
    // forgotten already: its late 'exit' must not fail, nor forget, the one that came after it
    const failAll = (err: Error): void => {
      for (const id of mine) {
        this.pending.get(id)?.reject(err);
        this.pending.delete(id);
      }
      mine.clear();
      if (this.worker !== w) return;
      this.readyNow?.(); // a prefetch waits no longer
      this.worker = undefined;
    };
    w.on('error', failAll);
    w.on('exit', (code) => failAll(new Error(`status worker exited (${code})`)));
    w.unref();
    this.worker = w;
    return w;
  }

  /**
   * The status the worker computes. A new worker's first status (a freshly opened window) gets `.git/index` and
   * the tree of HEAD's commit read here, asynchronously (the file I/O in the thread pool) while the worker thread
   * starts, and handed over; the worker parses those bytes when the file still has the version they came from, else
   * reads it itself (indexCache.readIndex). Meanwhile this thread, otherwise idle while the worker starts and parses,
   * lstats the index's files from the last one back, in slices (statusLstat.ts: git's preload-index), and the worker
   * takes what it found. The tree's read still going when the worker is ready is not waited for. A worker that has
   * status already asked of it reads the index itself (it may have that version parsed) and lstats alone.
   */
  async compute(options: Omit<StatusOptions, 'cache' | 'blocking'>): Promise<WorkingTreeStatus> {
    const worker = this.start();
    if (this.fresh && options.gitdir && !options.index) {
      this.fresh = false;
      const gitdir = options.gitdir;
      const head = options.headOid;
      const ready = this.ready!.then(() => undefined);
      const [index, headTree] = await Promise.all([
        readIndexBytes(gitdir),
        options.headTree || !head ? options.headTree : Promise.race([commitTreeOf(gitdir, head), ready]),
      ]);
      // disposed (or dead) meanwhile: as a request already sent to it would, this one fails (no new worker is started)
      if (this.worker !== worker) throw new Error('status worker exited');
      const shared = index && shareLstats(index);
      const more = { ...(index ? { index: shared?.index ?? index } : {}), ...(headTree ? { headTree } : {}), ...(shared ? { lstats: shared.lstats } : {}) };
      if (index || headTree) {
        let answered = false;
        const reply = this.send((id) => ({ id, options: { ...options, ...more } }), index && !shared ? [transferable(index)] : undefined).finally(() => (answered = true));
        // (no more once the worker has answered, or is gone: it did not take them, say for an index changed meanwhile)
        if (shared) void lstatIndexSliced(options.dir, shared.index.bytes, shared.lstats, () => answered || this.worker !== worker);
        return (await reply) as WorkingTreeStatus;
      }
    }
    this.fresh = false;
    return this.send((id) => ({ id, options })) as Promise<WorkingTreeStatus>;
  }

  /**
   * Makes the worker forget what it caches for the repository at `dir` (pack readers, the index's view, the last
   * status), as GitClient.resetCache does for its own cache; the next status starts afresh. Nothing to do when the
   * worker is not running (a new one starts empty).
   */
  async resetCache(dir: string): Promise<void> {
    if (this.worker) await this.send((id) => ({ id, reset: dir }));
  }

  private send(request: (id: number) => StatusRequest, transfer?: ArrayBuffer[]): Promise<WorkingTreeStatus | undefined> {
    const w = this.start();
    const id = this.nextId++;
    w.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.sentTo.get(w)?.add(id);
      w.postMessage(request(id), transfer);
    });
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) stopWorker(w);
  }
}

/**
 * The index bytes copied once into shared memory (the worker reads the same bytes this thread goes through), and
 * the shared arrays of the lstats both threads fill. undefined when the bytes are not an index (the worker will say).
 */
function shareLstats(index: IndexBytes): { index: IndexBytes; lstats: SharedLstats } | undefined {
  const count = indexEntryCount(index.bytes);
  if (count === undefined) return undefined;
  const bytes = new Uint8Array(new SharedArrayBuffer(index.bytes.byteLength));
  bytes.set(index.bytes);
  return { index: { bytes, stamp: index.stamp, checked: index.checked }, lstats: sharedLstats(count) };
}

/**
 * The buffer to transfer with the index's bytes: theirs when they fill it alone (a file read whole gets a buffer
 * of its own); else (a small file read into Node's shared pool) a copy, so that the pool is never detached.
 */
function transferable(index: IndexBytes): ArrayBuffer {
  const b = index.bytes;
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) return b.buffer;
  const copy = new Uint8Array(b);
  index.bytes = copy;
  return copy.buffer;
}
