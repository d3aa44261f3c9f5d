// git's preload-index for a new status worker's first status (a freshly opened window). That status spends most of
// its time in steps one after the other on the worker's one thread: its start (some 20-30 ms before any code of
// ours runs), parsing `.git/index` (its code not compiled yet), then one lstat per tracked file (10,000 of them:
// some 30-45 ms here with their stat objects, longer than `git status` takes in all; git splits them over threads).
// The extension host's thread has nothing to do meanwhile: it reads the index while the worker starts
// (StatusWorkerClient), goes through its paths (indexFile.forEachIndexPath) and lstats them in slices of a few
// milliseconds (the event loop gets its turn between them) while the worker starts and parses; the worker then
// takes what it found, and the two lstat the rest side by side. (A thread of its own for these lstats, started
// beside the worker, was measured first: it started as slowly as the worker, so it began late and took a core the
// two of them needed; on the host, a cold status took 78-82 ms instead of 97 and 145 ms of CPU instead of 190.)
//
// The entries are shared in chunks of CHUNK, each claimed by one thread (a compare-and-swap on its state): the
// host claims chunks from the last one back; the worker, as its comparison reaches a chunk (from the first one
// on), claims it (lstat-ing its entries itself) when it is still free, uses it when the host has finished it, and
// waits briefly where they meet, while the host finishes its last one. Per entry the host writes lstat's numbers
// (the fields a comparison reads). The worker takes them only to find an entry clean (statMatch.matchStatValues);
// any other verdict (missing, changed, racy, a type change) and every entry the host did not lstat go through the
// worker's own lstat as before, so a result can differ from the worker's own lstat only by when the file was
// looked at (as with git's threads, a few milliseconds earlier).

import * as fs from 'fs';
import * as path from 'path';
import { forEachIndexPath, type IndexEntry } from './indexFile';
import { matchStatValues, StatVerdict, type StatMatchOptions } from './plumbing/statMatch';
import { nextTurn } from '../util/nextTurn';

/** Entries per chunk: a chunk's lstats take about 0.2 ms. */
export const CHUNK = 64;
/** per entry: lstat found it (1) or not (0: the worker looks itself), mode, size, mtimeMs, ctimeMs, ino, uid, gid. */
export const FIELDS = 8;
const FREE = 0;
const HOST = 1;
const DONE = 2;
const WORKER = 3;
/** how long the worker waits for a chunk the host is on before lstat-ing it itself (then it waits no more). */
const WAIT_MS = 20;

/** The shared state of one status's lstats (SharedArrayBuffers, sent to both threads). */
export interface SharedLstats {
  /** FIELDS numbers per index entry, in the index's order. */
  stats: Float64Array;
  /** per chunk of CHUNK entries: FREE, HOST (being lstat-ed by the host), DONE (by the host), WORKER. */
  chunks: Int32Array;
}

/** The shared state for an index of `count` entries. */
export function sharedLstats(count: number): SharedLstats {
  return {
    stats: new Float64Array(new SharedArrayBuffer(count * FIELDS * 8)),
    chunks: new Int32Array(new SharedArrayBuffer(Math.max(1, Math.ceil(count / CHUNK)) * 4)),
  };
}

/** The number of entries an index's header gives (the size of its SharedLstats); undefined when it is not an index. */
export function indexEntryCount(bytes: Uint8Array): number | undefined {
  if (bytes.length < 32 || bytes[0] !== 0x44 || bytes[1] !== 0x49 || bytes[2] !== 0x52 || bytes[3] !== 0x43) return undefined; // DIRC
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8);
  return count <= bytes.length / 62 ? count : undefined;
}

const NO_THROW = { throwIfNoEntry: false } as const;

/**
 * The host's side: lstats the entries of the index `bytes` of the working tree `dir` (as the status resolves it)
 * into `shared`, chunk by chunk from the last one back, as long as it can claim them: the worker goes forward from
 * the first, so each does its own end and they meet (had the host gone forward too, the worker, once it caught up,
 * would only wait for one chunk after another). In slices of about `sliceMs`, the event loop getting its turn
 * between them; `stopped()` (asked between slices) ends it early. Resolves with how many chunks it did.
 */
export async function lstatIndexSliced(dir: string, bytes: Uint8Array, shared: SharedLstats, stopped: () => boolean = () => false, sliceMs = 8): Promise<number> {
  const job = lstatJob(dir, bytes, shared);
  let done = 0;
  while (job && !stopped()) {
    // (one chunk at least per slice)
    const until = performance.now() + sliceMs;
    let more: boolean;
    do if ((more = job.next())) done++;
    while (more && performance.now() < until);
    if (!more) break;
    await nextTurn();
  }
  return done;
}

/** The chunks of `shared` to lstat from the last one back: next() claims and lstats one (false: none left to claim). */
function lstatJob(dir: string, bytes: Uint8Array, shared: SharedLstats): { next(): boolean } | undefined {
  const { stats, chunks } = shared;
  const count = stats.length / FIELDS;
  // the worker claims chunks in order: once it has the last one, nothing is left
  if (Atomics.load(chunks, chunks.length - 1) === WORKER) return undefined;
  const prefix = path.resolve(dir) + '/';
  const paths: (string | null)[] = [];
  forEachIndexPath(bytes, (i, p) => paths.push(p) < count);
  let c = Math.ceil(paths.length / CHUNK);
  return {
    next(): boolean {
      if (--c < 0 || Atomics.compareExchange(chunks, c, FREE, HOST) !== FREE) return false; // the worker is here: the rest is its own
      for (let i = c * CHUNK, end = Math.min(paths.length, i + CHUNK); i < end; i++) {
        const p = paths[i];
        if (p === null) continue;
        let st: fs.Stats | undefined;
        try {
          st = fs.lstatSync(prefix + p, NO_THROW);
        } catch {
          st = undefined; // ENOTDIR and the like: the worker looks itself
        }
        if (!st) continue;
        const o = i * FIELDS;
        stats[o + 1] = st.mode;
        stats[o + 2] = st.size;
        stats[o + 3] = st.mtimeMs;
        stats[o + 4] = st.ctimeMs;
        stats[o + 5] = st.ino;
        stats[o + 6] = st.uid;
        stats[o + 7] = st.gid;
        stats[o] = 1;
      }
      Atomics.store(chunks, c, DONE);
      Atomics.notify(chunks, c);
      return true;
    },
  };
}

/** The worker's side: what the host found, entry by entry, in the index's order. */
export class LstatReader {
  private waitMs = WAIT_MS;
  /** the last chunk looked at, and its state once it is final (DONE or WORKER). */
  private chunk = -1;
  private state = FREE;

  constructor(private readonly shared: SharedLstats) {}

  /**
   * Whether the host's lstat of the entry at `pos` (its place in the index) finds `e` clean. false: the caller
   * lstats it itself (the host did not, or found it anything but clean).
   */
  clean(pos: number, e: IndexEntry, options: StatMatchOptions): boolean {
    const c = (pos / CHUNK) | 0;
    if (c !== this.chunk) {
      this.chunk = c;
      this.state = this.claim(c);
    }
    if (this.state !== DONE) return false;
    const s = this.shared.stats;
    const o = pos * FIELDS;
    return s[o] === 1 && matchStatValues(e, s[o + 1], s[o + 2], s[o + 3], s[o + 4], s[o + 5], s[o + 6], s[o + 7], options) === StatVerdict.Clean;
  }

  /** Chunk `c`'s state once final: DONE by the host, or the worker's (claimed now, or left to it after a wait). */
  private claim(c: number): number {
    const chunks = this.shared.chunks;
    if (c >= chunks.length) return WORKER;
    let state = Atomics.compareExchange(chunks, c, FREE, WORKER);
    if (state === FREE) return WORKER;
    if (state === HOST && this.waitMs > 0) {
      if (Atomics.wait(chunks, c, HOST, this.waitMs) === 'timed-out') this.waitMs = 0; // (a host thread descheduled mid-chunk)
      state = Atomics.load(chunks, c);
    }
    return state === DONE ? DONE : WORKER;
  }
}
