// Reads a `.insomnia` folder's data files in worker threads (legacyWorker.ts), so that the first load of a large
// legacy repository does not spend the extension host's thread on 10,000 reads and YAML parses: the host only takes
// in the parsed states (structured-cloned, a batch per message, each a few ms) and assembles the collections.
//
// The outcome is exactly the in-thread read's (scan.ts): one state per data file, in the folder's listing order.
// As the batches come in, the folder's collections are assembled in that order (formats/legacy.ts's LegacyAssembly:
// every file up to the first one not yet in), so that when the last file is in only the assembly's last step is
// left; with the workers' listing complete, the read hands that assembly on with the files.
// Whatever the workers do not deliver (a worker that fails to start, throws, or is killed) is read on this thread
// afterwards, so a dead worker costs time, never files. An abort terminates the workers.

import * as path from 'node:path';
import { deserialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { LegacyFileState } from './fileState';
import { isLegacyDataFile, LegacyAssembly, resetLegacyModel } from './formats/legacy';
import { legacyDataFiles, readLegacyFile, unpackStates, type PackedStates } from './legacyFiles';
import type { LegacyReadJob, LegacyWorkerMessage } from './legacyWorker';
import type { Slicer } from './slicer';

export interface LegacyWorkerOptions {
  /** the worker's script: dist/legacyWorker.js (tests pass the .ts entry with `execArgv: ['--require', 'tsx/cjs']`). */
  readonly file: string;
  readonly execArgv?: string[];
  /** how many workers share a folder (default 1). */
  readonly workers?: number;
  /** files per message (default 256). */
  readonly batch?: number;
  /**
   * keep a parse cache of each folder in its repository's git directory, so that a file not changed since the last
   * read is not parsed again (legacyCache.ts; the worker reads and writes it). Off by default.
   */
  readonly cache?: boolean;
  /** sees each worker as it starts (tests kill one with it). */
  readonly onWorker?: (worker: Worker, part: number) => void;
}

/** What was read, and how: `fromWorkers` files came from the workers, `onThread` were read here. */
export interface LegacyFolderRead {
  readonly files: Map<string, LegacyFileState>;
  readonly fromWorkers: number;
  readonly onThread: number;
  /** `performance.now()` when the read started, and when every file was in. */
  readonly startedAt: number;
  readonly doneAt: number;
  /** each worker that finished: how long its own work took (listing, reading, parsing, posting), ms. */
  readonly workerMs: readonly number[];
  /** each worker's thread CPU time (its start included), ms, where the platform tells (threadCpu.ts). */
  readonly workerCpuMs: readonly number[];
  /** each worker's time runnable but waiting for a CPU (its start included), ms, where the platform tells (threadCpu.ts). */
  readonly workerWaitMs: readonly number[];
  /**
   * each worker that finished: when, on this thread's `performance.now()` clock, its own work began and it posted
   * `done` (a `done` that waits for this thread's event loop is taken later than that).
   */
  readonly workerSpans: readonly { readonly from: number; readonly to: number }[];
  /** of `fromWorkers`, the files the workers took from their parse cache (LegacyWorkerOptions.cache), not read. */
  readonly fromCache: number;
  /**
   * the folder's collections, every file of `files` added in its order, not yet finished (`finish()`); none when
   * the workers did not deliver the whole folder (what was read here is assembled by the caller).
   */
  readonly assembly?: LegacyAssembly;
}

/**
 * Starts reading `dir` in workers at once. The promise settles when every file is read (the workers' share, then
 * on this thread what they left); it rejects only when `signal` aborts (or listing the folder here fails).
 */
export function readLegacyFolderInWorkers(
  dir: string,
  options: LegacyWorkerOptions,
  slicer?: Slicer,
): Promise<LegacyFolderRead> {
  const signal = slicer?.signal;
  const startedAt = performance.now();
  const workerMs: number[] = [];
  const workerCpuMs: number[] = [];
  const workerWaitMs: number[] = [];
  const parts = Math.max(1, options.workers ?? 1);
  const batch = options.batch ?? 256;
  const delivered = new DeliveredFiles(dir);
  const { fileAt, stateAt } = delivered;
  const totals: number[] = [];
  let complete = 0;
  let fromCache = 0;
  const workerSpans: { from: number; to: number }[] = [];
  const workers: Worker[] = [];
  const stopAll = () => {
    for (const w of workers) void w.terminate();
  };

  const settled = new Promise<void>((resolve, reject) => {
    let pending = parts;
    const onAbort = () => {
      stopAll();
      reject(signal!.reason);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const finished = () => {
      if (--pending > 0) return;
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    for (let part = 0; part < parts; part++) {
      let worker: Worker;
      try {
        const job: LegacyReadJob = options.cache ? { dir, part, parts, batch, cache: true } : { dir, part, parts, batch };
        worker = new Worker(options.file, { workerData: job, execArgv: options.execArgv });
      } catch {
        finished(); // could not start: this thread reads its share
        continue;
      }
      workers.push(worker);
      let done = false;
      const end = () => {
        if (done) return;
        done = true;
        finished();
      };
      worker.on('message', (m: LegacyWorkerMessage) => {
        if (done) return;
        if (m.kind === 'batch') {
          delivered.take(m.indexes, m.files, unpackStates(m.files, m.packed));
        } else if (m.kind === 'chunk') {
          // a chunk of the parse cache, as stored (one deserialize, what a batch's structured clone costs); one that
          // does not hold what it says is not taken: its files are read on this thread afterwards
          const chunk = chunkStates(dir, m.bytes, m.indexes.length);
          if (chunk) delivered.take(m.indexes, chunk.files, chunk.states);
        } else if (m.kind === 'listed') {
          totals.push(m.total);
        } else if (m.kind === 'done') {
          complete++;
          workerMs.push(m.ms);
          if (m.cpuMs !== undefined) workerCpuMs.push(m.cpuMs);
          if (m.waitMs !== undefined) workerWaitMs.push(m.waitMs);
          fromCache += m.cached ?? 0;
          if (m.endedAt !== undefined) {
            const to = m.endedAt - performance.timeOrigin;
            workerSpans.push({ from: to - m.ms, to });
          }
          end();
        } else {
          end();
        }
      });
      worker.on('error', end);
      worker.on('exit', end);
      options.onWorker?.(worker, part);
    }
  });

  return settled.then(async () => {
    signal?.throwIfAborted();
    const total = totals[0];
    // every worker done on the same listing, and every index of it delivered: the listing's order, as it came
    // (two listings of the same length may still differ, a file renamed between them: then a path comes twice)
    if (complete === parts && totals.length === parts && totals.every((t) => t === total) && delivered.count === total && fileAt.length === total && (parts === 1 || new Set(fileAt).size === total)) {
      const files = new Map<string, LegacyFileState>();
      for (let i = 0; i < total; i++) {
        const state = stateAt[i];
        if (state) files.set(fileAt[i]!, state);
      }
      const whole = delivered.assembled === total ? { assembly: delivered.assembly } : {};
      return { files, fromWorkers: total, fromCache, onThread: 0, startedAt, doneAt: performance.now(), workerMs, workerCpuMs, workerWaitMs, workerSpans, ...whole };
    }
    // a worker died (or the folder changed between two listings): list here, and read what is missing
    stopAll();
    const byFile = new Map<string, LegacyFileState>();
    fileAt.forEach((file, i) => {
      const state = stateAt[i];
      if (state) byFile.set(file, state);
    });
    const files = new Map<string, LegacyFileState>();
    let fromWorkers = 0;
    let onThread = 0;
    for (const { folder, file } of legacyDataFiles(dir)) {
      const known = byFile.get(file);
      if (known) {
        files.set(file, known);
        fromWorkers++;
        continue;
      }
      if (slicer?.due()) await slicer.yield();
      const state = readLegacyFile(file, folder);
      onThread++;
      if (state) files.set(file, state);
    }
    return { files, fromWorkers, fromCache, onThread, startedAt, doneAt: performance.now(), workerMs, workerCpuMs, workerWaitMs, workerSpans };
  });
}

/**
 * The states a cache chunk's bytes hold (legacyCache.ts's CachedChunk), or undefined when they are not what a chunk of
 * `count` files of `dir` is: the cache file is read as it is found in the git directory, so a chunk that does not
 * deserialize, does not unpack, or names a file that is not `<dir>/<type folder>/<data file>` is not taken (its files
 * are read on this thread afterwards), and nothing it holds throws here.
 */
function chunkStates(dir: string, bytes: Uint8Array, count: number): { files: string[]; states: (LegacyFileState | null)[] } | undefined {
  try {
    const c = deserialize(bytes) as { files: string[]; packed: PackedStates };
    if (!Array.isArray(c.files) || c.files.length !== count || c.packed.kinds.length !== count) return undefined;
    const prefix = dir + path.sep;
    for (const file of c.files) if (!isFolderDataFile(prefix, file)) return undefined;
    return { files: c.files, states: unpackStates(c.files, c.packed) };
  } catch {
    return undefined;
  }
}

/** `file` is `<prefix><type folder><sep><name>`, as a listing of the folder names its data files (no `.`, `..` or separator in either). */
function isFolderDataFile(prefix: string, file: unknown): boolean {
  if (typeof file !== 'string' || !file.startsWith(prefix)) return false;
  const cut = file.indexOf(path.sep, prefix.length);
  if (cut < 0) return false;
  const folder = file.slice(prefix.length, cut);
  const name = file.slice(cut + 1);
  return isPlainName(folder) && isPlainName(name) && isLegacyDataFile(name);
}

function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\\');
}

/**
 * The files the workers delivered, by index in their listing (two arrays: no wrapper object per file on this
 * thread), and the folder's assembly fed in the listing's order as they come in: every file up to the first one not
 * yet delivered, so batches may come in any order (two workers) and the assembly still sees the listing's.
 */
export class DeliveredFiles {
  readonly fileAt: string[] = [];
  /** null: the file went away before it was read. */
  readonly stateAt: (LegacyFileState | null)[] = [];
  /** how many indexes were delivered. */
  count = 0;
  /** how many files, from the listing's first, the assembly has taken. */
  assembled = 0;
  readonly assembly: LegacyAssembly;

  constructor(dir: string) {
    this.assembly = new LegacyAssembly(dir);
  }

  /** One batch: the states of the files at `indexes` of the listing. */
  take(indexes: readonly number[], files: readonly string[], states: readonly (LegacyFileState | null)[]): void {
    const { fileAt, stateAt } = this;
    for (let i = 0; i < indexes.length; i++) {
      const at = indexes[i]!;
      if (fileAt[at] === undefined) this.count++;
      fileAt[at] = files[i]!;
      stateAt[at] = states[i]!;
    }
    const assembly = this.assembly;
    let next = this.assembled;
    for (; fileAt[next] !== undefined; next++) {
      const state = stateAt[next];
      if (!state) continue;
      if (state.entry) {
        resetLegacyModel(state.entry);
        assembly.add(state.entry);
      } else if (state.problem) assembly.addProblem(state.problem);
    }
    this.assembled = next;
  }
}

/**
 * Reads started before the store asks for them: the extension starts one for each workspace folder's `.insomnia`
 * folder as its bundle loads, so the reading overlaps VS Code's own start-up. Each is handed once, to the store's
 * first load; one not taken within `maxAgeMs` is dropped (the files may have changed since, unseen). The store then
 * checks every file's identity against what it read (`CollectionStore`'s check after a read-ahead), so a file
 * changed while the read-ahead ran, before the file watcher started, is read again.
 */
export class LegacyReadAhead {
  private readonly reads = new Map<string, { started: number; read: Promise<LegacyFolderRead> }>();
  /** how the reads handed out went, once finished (the extension's start-up timings report it; not their files). */
  readonly taken: Omit<LegacyFolderRead, 'files'>[] = [];

  constructor(
    readonly options: LegacyWorkerOptions,
    private readonly maxAgeMs = 10_000,
  ) {}

  /** the last read started: folders are read one after another (several workspace folders: not 2 workers each at once). */
  private last: Promise<unknown> = Promise.resolve();

  start(dir: string): void {
    if (this.reads.has(dir)) return;
    const read = this.reads.size === 0 ? readLegacyFolderInWorkers(dir, this.options) : this.last.then(() => readLegacyFolderInWorkers(dir, this.options));
    read.catch(() => undefined); // taken or not, a failure is the taker's to see
    this.last = read.catch(() => undefined);
    this.reads.set(dir, { started: performance.now(), read });
  }

  /** The read of `dir` started earlier, if any and recent; it is handed out once. */
  take(dir: string): Promise<LegacyFolderRead> | undefined {
    const r = this.reads.get(dir);
    this.reads.delete(dir);
    if (!r || performance.now() - r.started > this.maxAgeMs) return undefined;
    return r.read.then((read) => {
      const { files: _files, assembly: _assembly, ...how } = read;
      this.taken.push(how);
      return read;
    });
  }

  /** Drops what was not taken (its workers end by themselves). */
  clear(): void {
    this.reads.clear();
  }
}
