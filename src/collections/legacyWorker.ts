// The legacy read worker: reads and parses a share of one `.insomnia` folder's data files off the extension host's
// thread, and posts each file's state (its identity on disk, and the document translated into the model, or the
// file's problem) back in batches. The main-thread side is legacyReader.ts. Bundled alone as dist/legacyWorker.js
// (esbuild.config.mjs): this file, legacyFiles.ts, the legacy format and js-yaml.
//
// Worker `part` of `parts` lists the folder (every worker lists it; a listing is a few ms) and reads the files whose
// name hashes to `part` modulo `parts` (shareOf). What it posts is structured-cloned: plain objects only, each batch's
// states packed in columns (legacyFiles.ts's packStates), its stamps transferred.
//
// With `cache` set, each worker keeps its share's parsed states in the repository's git directory (legacyCache.ts): a
// file whose identity on disk is the cached one is posted from the cache, not read; the cache is written after
// `done`, only when it changed, at the thread's least priority (threadCpu.ts's lowerThreadPriority).

import { parentPort, workerData } from 'node:worker_threads';
import type { LegacyFileState } from './fileState';
import { bundleIdentity, CHUNK as CHUNK_MAX, LegacyCache, legacyCacheFile, type BundleIdentity } from './legacyCache';
import { legacyDataFiles, packStates, readLegacyFile, type PackedStates } from './legacyFiles';
import { lowerThreadPriority, threadCpuMs, threadWaitMs } from './threadCpu';

export interface LegacyReadJob {
  /** the `.insomnia` folder. */
  readonly dir: string;
  readonly part: number;
  readonly parts: number;
  /** files per message. */
  readonly batch: number;
  /** keep a parse cache of the folder in its repository's git directory (legacyCache.ts). */
  readonly cache?: boolean;
}

export type LegacyWorkerMessage =
  /** the folder's listing had `total` data files. */
  | { readonly kind: 'listed'; readonly total: number }
  /** states of files by their index in the listing (unpackStates; gone: the file went away before it was read). */
  | { readonly kind: 'batch'; readonly indexes: readonly number[]; readonly files: readonly string[]; readonly packed: PackedStates }
  /** states of files by their index in the listing, as the parse cache stores them: v8.serialize of `{ files, packed }` (legacyCache.ts's CachedChunk). */
  | { readonly kind: 'chunk'; readonly indexes: readonly number[]; readonly bytes: Uint8Array }
  /**
   * the worker is done; `ms`: how long its listing and reading took, as it measured it; `cpuMs`: its thread's CPU;
   * `waitMs`: how long its thread was runnable but waiting for a CPU (threadWaitMs: the machine's contention);
   * `cached`: how many of its files came from the parse cache (not read); `endedAt`: when it posted this, in ms
   * since the epoch (`performance.timeOrigin + performance.now()`: the host places it on its own clock).
   */
  | { readonly kind: 'done'; readonly ms: number; readonly cpuMs?: number; readonly waitMs?: number; readonly cached?: number; readonly endedAt?: number }
  | { readonly kind: 'failed'; readonly message: string };

type Post = (m: LegacyWorkerMessage, transfer?: ArrayBuffer[]) => void;

/**
 * Worker `job.part`'s read of its share, posted through `post`; returns the cache used, if any (tests look at it).
 * `bundle`: the identity a cache (`job.cache`) must have been written by, by default this worker bundle's own;
 * `now`: `Date.now()` at the start, by default the clock's (the racy rule counts from it); `idle`: called after `done`
 * is posted, before the cache is written (by default lowerThreadPriority: the write takes only idle CPU time).
 */
export function readShare(job: LegacyReadJob, post: Post, clock: { bundle?: BundleIdentity; now?: number; idle?: () => void } = {}): LegacyCache | undefined {
  const started = performance.now();
  const bundle = job.cache ? (clock.bundle ?? bundleIdentity(__filename)) : undefined;
  const cacheFile = bundle ? legacyCacheFile(job.dir, job.part, job.parts) : undefined;
  const cache = cacheFile && bundle ? new LegacyCache(cacheFile, job.dir, bundle, clock.now ?? Date.now(), job.part, job.parts) : undefined;
  const listing = legacyDataFiles(job.dir);
  post({ kind: 'listed', total: listing.length });
  // with a cache: each file of the share matched against it (one stat), then every chunk all of whose files matched
  // posted as it is stored; what is left is taken from the cache's other chunks, or read
  const share = shareOf(listing, job.part, job.parts);
  const at = cache ? matchShare(cache, listing, share, post) : undefined;
  let indexes: number[] = [];
  let files: string[] = [];
  let states: (LegacyFileState | null)[] = [];
  for (let j = 0; j < share.length; j++) {
    const i = share[j]!;
    const inCache = at ? at[j]! : -1;
    if (inCache === POSTED) continue;
    const { folder, file } = listing[i]!;
    indexes.push(i);
    files.push(file);
    const state = inCache >= 0 ? cache!.stateAt(inCache) : (readLegacyFile(file, folder) ?? null);
    cache?.record(file, state, inCache >= 0);
    states.push(state);
    if (indexes.length >= job.batch) {
      postBatch(post, indexes, files, states);
      indexes = [];
      files = [];
      states = [];
    }
  }
  if (indexes.length) postBatch(post, indexes, files, states);
  const ended = performance.now();
  post({ kind: 'done', ms: ended - started, cpuMs: threadCpuMs(), waitMs: threadWaitMs(), cached: cache?.hits ?? 0, endedAt: performance.timeOrigin + ended });
  // nothing waits for the cache write (~100 ms of CPU on a first read of 10,000 files): at the least priority, it
  // does not take a core from the host's last step of the tree or from the window starting beside it
  if (cache?.changed) (clock.idle ?? lowerThreadPriority)();
  cache?.save();
  return cache;
}

/**
 * The indexes in `listing` of worker `part`'s files: with several workers, by a hash of the file's name, so that a
 * file stays in the same worker's share (and parse cache) when files are added or removed before it in the listing
 * (by position, one request added early moved every later file to the other worker's cache: 3 hits of 715).
 */
export function shareOf(listing: readonly { file: string }[], part: number, parts: number): number[] {
  const share: number[] = [];
  for (let i = 0; i < listing.length; i++) if (parts <= 1 || nameHash(listing[i]!.file) % parts === part) share.push(i);
  return share;
}

/** FNV-1a of the file's name (its last path segment; ids are random, so the shares come out even). */
function nameHash(file: string): number {
  let h = 0x811c9dc5;
  for (let k = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1; k < file.length; k++) h = Math.imul(h ^ file.charCodeAt(k), 0x01000193);
  return h >>> 0;
}

/** `matchShare`'s mark of a file posted in a chunk. */
const POSTED = -2;

/**
 * Matches every file of the share against the cache, chunk by chunk, posting each chunk all of whose files matched as
 * soon as it is known (the host deserializes it while the next ones are matched). Returns, per file of the share, its
 * index in the cache (-1: not cached, or changed; POSTED: posted in a chunk).
 */
function matchShare(cache: LegacyCache, listing: readonly { file: string }[], share: readonly number[], post: Post): Int32Array {
  const at = new Int32Array(share.length).fill(-1);
  const inShare = new Map<string, number>();
  for (let j = 0; j < share.length; j++) inShare.set(listing[share[j]!]!.file, j);
  const shareAt = new Int32Array(CHUNK_MAX);
  for (let k = 0; k < cache.chunkCount; k++) {
    const [from, to] = cache.chunkRange(k);
    let whole = true;
    for (let c = from; c < to; c++) {
      const j = inShare.get(cache.fileAt(c));
      shareAt[c - from] = j ?? -1;
      if (j === undefined || !cache.matchAt(c)) {
        whole = false;
        continue;
      }
      at[j] = c;
    }
    if (!whole) continue;
    const indexes: number[] = [];
    for (let c = from; c < to; c++) {
      const j = shareAt[c - from]!;
      indexes.push(share[j]!);
      at[j] = POSTED;
    }
    const bytes = cache.chunkBytes(k);
    post({ kind: 'chunk', indexes, bytes }, [bytes.buffer as ArrayBuffer]);
    cache.reuse(k);
  }
  return at;
}

function postBatch(post: Post, indexes: number[], files: string[], states: (LegacyFileState | null)[]): void {
  const packed = packStates(files, states);
  post({ kind: 'batch', indexes, files, packed }, [packed.stamps.buffer as ArrayBuffer, packed.kinds.buffer as ArrayBuffer, packed.sourceOut.buffer as ArrayBuffer]);
}

if (parentPort) {
  const port = parentPort;
  try {
    readShare(workerData as LegacyReadJob, (m, transfer) => port.postMessage(m, transfer));
  } catch (err) {
    port.postMessage({ kind: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies LegacyWorkerMessage);
  }
}
