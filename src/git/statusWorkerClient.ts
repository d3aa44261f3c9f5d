// The main-thread side of the status worker: one Worker, requests correlated by id. GitClient uses it for
// status() when given one; without it status runs in-process.

import { Worker } from 'worker_threads';
import { stopWorker } from './stopWorker';
import { readIndexBytes, type IndexBytes } from './indexCache';
import { commitTreeOf } from './statusPrefetch';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { indexEntryCount, sharedLstats, type LstatJob, type SharedLstats } from './statusLstat';
import type { StatusReply, StatusRequest } from './statusWorker';
import type { StatusOptions, WorkingTreeStatus } from './status';

export class StatusWorkerClient {
  private worker: Worker | undefined;
  /** the lstat helper started with the worker, until the worker's first status is answered (statusLstat.ts). */
  private helper: Worker | undefined;
  /** resolves when the worker (started by start()) has loaded and listens for requests: its start is over. */
  private ready: Promise<void> | undefined;
  private readyNow: (() => void) | undefined;
  private isReady = false;
  /** no status has been asked of this worker yet: it has nothing cached. */
  private fresh = false;
  private nextId = 1;
  /** the ids of the requests sent to each worker (a reply, or the worker's end, settles them). */
  private readonly sentTo = new WeakMap<Worker, Set<number>>();
  private readonly pending = new Map<number, { resolve: (s: WorkingTreeStatus | undefined) => void; reject: (e: Error) => void }>();

  /**
   * @param workerFile the bundled worker (dist/statusWorker.js); tests may pass the .ts entry with
   *   `execArgv: ['--require', 'tsx/cjs']`. Its lstat helper is the statusLstatWorker file beside it (same extension).
   */
  constructor(
    private readonly workerFile: string,
    private readonly workerOptions: {
      execArgv?: string[];
      resourceLimits?: { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number };
      /**
       * start a lstat helper beside each new worker for its first status (statusLstat.ts): true always, false never,
       * undefined (the default) when a core is free for it (spareCore).
       */
      lstatHelper?: boolean;
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
    this.isReady = false;
    this.fresh = true;
    const mine = new Set<number>();
    this.sentTo.set(w, mine);
    w.on('message', (reply: StatusReply) => {
      if ('ready' in reply) {
        if (this.worker !== w) return;
        this.isReady = true;
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
      this.stopHelper();
    };
    w.on('error', failAll);
    w.on('exit', (code) => failAll(new Error(`status worker exited (${code})`)));
    w.unref();
    this.worker = w;
    this.startHelper();
    return w;
  }

  /**
   * A new worker's lstat helper (statusLstat.ts), started beside it: its start overlaps the worker's, and its lstats
   * the worker's parsing of the index. It only ever helps: whatever becomes of it, the worker does without it.
   */
  private startHelper(): void {
    this.stopHelper();
    const file = this.helperFile();
    if (!file || !(this.workerOptions.lstatHelper ?? spareCore())) return;
    try {
      // a small heap: it keeps nothing but the path of the file it is at
      const h = new Worker(file, {
        execArgv: this.workerOptions.execArgv,
        resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 },
        stdin: true,
      });
      h.on('error', () => undefined);
      h.unref();
      this.helper = h;
    } catch {
      this.helper = undefined;
    }
  }

  /** The helper's bundle, beside the worker's (undefined: none there, or a worker file not named statusWorker). */
  private helperFile(): string | undefined {
    if (this.workerOptions.lstatHelper === false) return undefined;
    const m = /^statusWorker(\.[cm]?[jt]s)$/.exec(path.basename(this.workerFile));
    const file = m && path.join(path.dirname(this.workerFile), `statusLstatWorker${m[1]}`);
    return file && fs.existsSync(file) ? file : undefined;
  }

  /** Ends the lstat helper no status has taken (terminate(): it makes no zlib object, see stopWorker.ts). */
  private stopHelper(): void {
    const h = this.helper;
    this.helper = undefined;
    if (h) void h.terminate();
  }

  /**
   * The status the worker computes. A new worker's first status (a freshly opened window) gets `.git/index` and
   * the tree of HEAD's commit read here, asynchronously (the file I/O in the thread pool) while the worker thread
   * starts, and handed over (the index's buffer transferred, not copied); the worker parses those bytes when the
   * file still has the version they came from, else reads it itself (indexCache.readIndex). Reads still going when
   * the worker is ready (loaded, listening) are not waited for, but for the index's when a lstat helper was started
   * (statusLstat.ts): they are its job too, and it goes with the worker's first status even if that worker is ready. A worker that has status already asked of it
   * reads the index itself (it may have that version parsed).
   */
  async compute(options: Omit<StatusOptions, 'cache' | 'blocking'>): Promise<WorkingTreeStatus> {
    const worker = this.start();
    // (a worker already waiting for work reads the index at once itself, unless a helper waits for the bytes too)
    if (this.fresh && (!this.isReady || this.helper) && options.gitdir && !options.index) {
      this.fresh = false;
      // this status has the helper now (a status coming meanwhile finds none to stop)
      const helper = this.helper;
      this.helper = undefined;
      try {
        const gitdir = options.gitdir;
        const head = options.headOid;
        const ready = this.ready!.then(() => undefined);
        const [index, headTree] = await Promise.all([
          // (the helper's job is these bytes: read whole, even when the worker is ready first)
          helper ? readIndexBytes(gitdir) : Promise.race([readIndexBytes(gitdir), ready]),
          options.headTree || !head ? options.headTree : Promise.race([commitTreeOf(gitdir, head), ready]),
        ]);
        // disposed (or dead) meanwhile: as a request already sent to it would, this one fails (no new worker is started)
        if (this.worker !== worker) throw new Error('status worker exited');
        const helped = index && helper ? helpWith(helper, options.dir, index) : undefined;
        const more = { ...(index ? { index: helped?.index ?? index } : {}), ...(headTree ? { headTree } : {}), ...(helped ? { lstats: helped.lstats } : {}) };
        if (index || headTree) return (await this.send((id) => ({ id, options: { ...options, ...more } }), index && !helped ? [transferable(index)] : undefined)) as WorkingTreeStatus;
      } finally {
        if (helper) void helper.terminate(); // (it makes no zlib object, see stopWorker.ts; it may be in its loop)
      }
    }
    this.fresh = false;
    this.stopHelper();
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
    this.stopHelper();
    if (w) stopWorker(w);
  }
}

/**
 * Whether a core is likely free for the lstat helper: more than one, and the load average below their number by at
 * least half of one. The helper costs about 20-25 ms more CPU in all at 10,000 files (its thread's start) to take
 * half the lstats off the worker's path: the worker's own thread then runs some 75 ms for a cold status instead of
 * 105 (its CPU time, /proc/thread-self/schedstat), and a cold status given the CPU (chrt) took 83-87 ms instead of
 * 97-101; on a machine whose cores are all busy it only adds its CPU to everyone's (with a helper that went forward
 * only, at a load of 24 on 2 cores: 880 against 640 ms). (Windows reports no load average: 0.)
 */
export function spareCore(): boolean {
  const cores = os.availableParallelism();
  return cores >= 2 && os.loadavg()[0] < cores - 0.5;
}

/**
 * Gives a lstat helper its job: the index bytes, copied once into shared memory (the worker is given the same
 * bytes), and the shared arrays both threads fill. undefined when the bytes are not an index (the worker will say).
 */
function helpWith(helper: Worker, dir: string, index: IndexBytes): { index: IndexBytes; lstats: SharedLstats } | undefined {
  const count = indexEntryCount(index.bytes);
  if (count === undefined) return undefined;
  const bytes = new Uint8Array(new SharedArrayBuffer(index.bytes.byteLength));
  bytes.set(index.bytes);
  const lstats = sharedLstats(count);
  try {
    helper.postMessage({ dir, index: bytes, lstats } satisfies LstatJob);
  } catch {
    return undefined;
  }
  return { index: { bytes, stamp: index.stamp }, lstats };
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
