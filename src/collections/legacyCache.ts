// A per-clone cache of a legacy `.insomnia` folder's parsed files, so that a window opened again on a large legacy
// repository does not read and parse the 10,000 files that did not change since the last one: each file whose
// identity on disk (size, mtime, ctime, inode, device: the FileStamp the store compares) is the one cached gets the
// cached state, exactly what reading and parsing it gave then; any other is read and parsed as without a cache.
// Read, checked and written by the legacy read worker (legacyWorker.ts) only, off the extension host's thread; bundled
// into dist/legacyWorker.js, never into the extension's bundle.
//
// Where: `<gitdir>/hammock/legacy-<sha1 of the folder's path>.cache`, the git directory of the repository holding the
// `.insomnia` folder (`<parent>/.git`, or the directory a `.git` file's `gitdir:` line names: a linked worktree). git
// ignores what it does not know in its own directory, Insomnia never looks there, and nothing is written outside the
// repository; a folder not at the top of a git repository has no cache.
//
// What: a header (v8.serialize: the format's version, the worker bundle's identity, its file's size and mtime, so that
// a new Hammock never trusts an older one's translation; the folder; every cached file's path and stamp; the chunks'
// bounds and the body's sha1), then the body: the states in chunks of CHUNK files, each chunk the v8.serialize of
// what the worker posts for a batch (`{ files, packed }`, legacyFiles.ts's packStates). A chunk whose files all kept
// their stamps is posted to the host as those bytes, neither deserialized nor serialized again in the worker (the
// host deserializes it as it would the batch's structured clone); a chunk with a changed file is deserialized here
// and only its unchanged files' states are taken. A cache that cannot be read, deserialized or validated is ignored,
// and replaced after the read.
//
// Racy files (git's racy-index rule): a file whose mtime or ctime is within RACY_MS of the read's start, or later,
// may change again within its timestamp's granularity without its stamp changing; it is left out of the cache, so
// the next read parses it. The next read also trusts no cached stamp within RACY_MS of the cache file's own mtime
// (the file system's clock, as git compares with its index file's mtime): a mount whose clock is behind this
// machine's cannot make a racy file look settled.

import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { threadId } from 'node:worker_threads';
import type { LegacyFileState } from './fileState';
import { isSourceOf, sourceOf } from './formats/legacy';
import { packStates, unpackStates, type PackedStates } from './legacyFiles';

/** The layout of the cache file; another version is ignored (and replaced). */
export const LEGACY_CACHE_FORMAT = 2;
/** How close to the read's start a file's mtime or ctime makes it racy (ms): more than any file system's granularity (FAT: 2 s). */
export const RACY_MS = 3000;
/** Files per chunk of the body. */
export const CHUNK = 256;
/** A temporary file of a write killed mid-way (its worker terminated) is removed by a later write after this long. */
const STALE_TEMP_MS = 10 * 60_000;

/** The worker bundle's identity: its file's size and mtime. */
export interface BundleIdentity {
  readonly size: number;
  readonly mtimeMs: number;
}

export function bundleIdentity(file: string): BundleIdentity | undefined {
  try {
    const st = statSync(file);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

/** The cache file's header. Chunk k holds the files [chunkEnds[k-1], chunkEnds[k]) at body bytes [byteEnds[k-1], byteEnds[k]). */
interface CacheHeader {
  readonly format: number;
  readonly bundle: BundleIdentity;
  readonly dir: string;
  readonly part: number;
  readonly parts: number;
  readonly files: string[];
  /** per file, five numbers: size, mtimeMs, ctimeMs, ino, dev. */
  readonly stamps: Float64Array;
  readonly chunkEnds: Uint32Array;
  readonly byteEnds: Float64Array;
  /** sha1 of the body, hex. */
  readonly sha1: string;
}

/** One chunk of the body, deserialized: what a batch message carries. */
export interface CachedChunk {
  readonly files: string[];
  readonly packed: PackedStates;
}

/**
 * The git directory of the repository whose top folder holds `dir` (the `.insomnia` folder): `<parent>/.git` when it
 * is a directory, or what a `.git` file's `gitdir:` line names (a linked worktree, a submodule); undefined otherwise.
 */
export function gitDirOf(dir: string): string | undefined {
  const dotGit = path.join(path.dirname(dir), '.git');
  try {
    const st = lstatSync(dotGit);
    if (st.isDirectory()) return dotGit;
    if (!st.isFile() || st.size > 4096) return undefined;
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
    if (!m) return undefined;
    const target = path.resolve(path.dirname(dir), m[1]!);
    return statSync(target).isDirectory() ? target : undefined;
  } catch {
    return undefined;
  }
}

/** The cache file of `dir` read by worker `part` of `parts` (each worker caches its share); undefined: no git directory. */
export function legacyCacheFile(dir: string, part = 0, parts = 1): string | undefined {
  const gitDir = gitDirOf(dir);
  if (!gitDir) return undefined;
  const key = crypto.createHash('sha1').update(path.resolve(dir)).digest('hex');
  return path.join(gitDir, 'hammock', parts > 1 ? `legacy-${key}.${part}of${parts}.cache` : `legacy-${key}.cache`);
}

/**
 * One read of a folder's share with its cache: `matchAt` each cached file that is listed (its stamp the cached one),
 * post the chunks every file of which matched (`chunkBytes`, then `reuse`), take the other matched files' states with
 * `stateAt`, `record` every state the read posts otherwise, then `save` (after the read is done:
 * it does not delay the tree).
 */
export class LegacyCache {
  private readonly header?: CacheHeader;
  private readonly body?: Buffer;
  /**
   * the cache file's mtime, on the file system's clock: a cached stamp within RACY_MS of it is not trusted (git's
   * racy rule, against the index file's own mtime), so that a file system whose clock is behind this machine's (a
   * network mount) cannot make a file changed again within its timestamps' granularity look unchanged.
   */
  private writtenAt = 0;
  private readonly chunks = new Map<number, (LegacyFileState | null)[]>();
  /** chunks posted as they were: written again as they are. */
  private readonly reused: number[] = [];
  private readonly files: string[] = [];
  private readonly states: LegacyFileState[] = [];
  private readonly sourceOut: number[] = [];
  /** how many files the cache gave (matched and posted, by chunk or alone). */
  hits = 0;
  /** a state read from the disk (not the cache) was recorded: the cache file is to be written. */
  private missed = false;

  /**
   * @param file the cache file (legacyCacheFile)
   * @param startedAt `Date.now()` when the read started: files changed within RACY_MS of it are not cached
   */
  constructor(
    readonly file: string,
    readonly dir: string,
    readonly bundle: BundleIdentity,
    readonly startedAt: number,
    readonly part = 0,
    readonly parts = 1,
  ) {
    const loaded = this.load();
    if (!loaded) return;
    this.header = loaded.header;
    this.body = loaded.body;
    this.writtenAt = loaded.mtimeMs;
  }

  private load(): { header: CacheHeader; body: Buffer; mtimeMs: number } | undefined {
    try {
      const file = readRegularFile(this.file);
      if (!file || file.bytes.length < 4) return undefined;
      const bytes = file.bytes;
      const headerLength = bytes.readUInt32LE(0);
      if (4 + headerLength > bytes.length) return undefined;
      const h = v8.deserialize(bytes.subarray(4, 4 + headerLength)) as CacheHeader;
      const body = bytes.subarray(4 + headerLength);
      const n = h.files?.length;
      const ok =
        h.format === LEGACY_CACHE_FORMAT &&
        h.bundle.size === this.bundle.size &&
        h.bundle.mtimeMs === this.bundle.mtimeMs &&
        h.dir === this.dir &&
        h.part === this.part &&
        h.parts === this.parts &&
        Array.isArray(h.files) &&
        h.stamps instanceof Float64Array &&
        h.stamps.length === n * 5 &&
        h.chunkEnds instanceof Uint32Array &&
        h.byteEnds instanceof Float64Array &&
        h.chunkEnds.length === h.byteEnds.length &&
        (h.chunkEnds.length === 0 ? n === 0 : h.chunkEnds[h.chunkEnds.length - 1] === n) &&
        (h.byteEnds.length === 0 ? body.length === 0 : h.byteEnds[h.byteEnds.length - 1] === body.length) &&
        chunksFit(h.chunkEnds, h.byteEnds) &&
        crypto.createHash('sha1').update(body).digest('hex') === h.sha1;
      return ok ? { header: h, body, mtimeMs: file.mtimeMs } : undefined;
    } catch {
      return undefined; // none yet, unreadable, truncated or not a serialization
    }
  }

  /** How many files the loaded cache held (0: none, or ignored). */
  get loadedCount(): number {
    return this.header?.files.length ?? 0;
  }

  /** The files recorded one by one so far (not those of reused chunks). */
  get recorded(): readonly string[] {
    return this.files;
  }

  /** The path of the file at cache index `i`. */
  fileAt(i: number): string {
    return this.header!.files[i]!;
  }

  /** Whether the file at cache index `i` has the cached identity on disk (one stat). */
  matchAt(i: number): boolean {
    const file = this.header!.files[i]!;
    let st;
    try {
      st = statSync(file, { throwIfNoEntry: false });
    } catch {
      return false;
    }
    if (!st || !st.isFile()) return false;
    const s = this.header!.stamps;
    const at = i * 5;
    const racyFrom = this.writtenAt - RACY_MS;
    if (s[at + 1]! >= racyFrom || s[at + 2]! >= racyFrom) return false;
    return st.size === s[at] && st.mtimeMs === s[at + 1] && st.ctimeMs === s[at + 2] && st.ino === s[at + 3] && st.dev === s[at + 4];
  }

  /** The chunks: how many, and the cache indexes [from, to) of chunk `k`'s files. */
  get chunkCount(): number {
    return this.header?.chunkEnds.length ?? 0;
  }

  chunkRange(k: number): [number, number] {
    const ends = this.header!.chunkEnds;
    return [k === 0 ? 0 : ends[k - 1]!, ends[k]!];
  }

  chunkOf(i: number): number {
    const ends = this.header!.chunkEnds;
    let lo = 0;
    let hi = ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! > i) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Chunk `k`'s bytes in the loaded body (a view): `CachedChunk` serialized. */
  private chunkBody(k: number): Buffer {
    const ends = this.header!.byteEnds;
    return this.body!.subarray(k === 0 ? 0 : ends[k - 1]!, ends[k]!);
  }

  /** Chunk `k`'s bytes (a copy, to be transferred): `CachedChunk` serialized. */
  chunkBytes(k: number): Uint8Array {
    return new Uint8Array(this.chunkBody(k));
  }

  /** Chunk `k` posted as it was (each of its files matched): it is written again as it is. */
  reuse(k: number): void {
    this.reused.push(k);
    const [from, to] = this.chunkRange(k);
    this.hits += to - from;
  }

  /** The cached state of the file at cache index `i` (matched), its chunk deserialized here. */
  stateAt(i: number): LegacyFileState {
    const k = this.chunkOf(i);
    let states = this.chunks.get(k);
    if (!states) {
      const c = v8.deserialize(this.chunkBody(k)) as CachedChunk;
      states = unpackStates(c.files, c.packed);
      this.chunks.set(k, states);
    }
    const state = states[i - this.chunkRange(k)[0]];
    if (!state) throw new Error(`the cache holds no state for ${this.header!.files[i]}`);
    this.hits++;
    return state;
  }

  /**
   * Notes the state posted for `file` (`cached`: it came from `stateAt`), before it is packed for posting (which takes
   * its model's `source` out). Gone files, unreadable ones and racy ones are not cached.
   */
  record(file: string, state: LegacyFileState | null, cached: boolean): void {
    if (!state) return;
    const s = state.stamp;
    if (s.size < 0) return; // could not be read: its problem is not the file's content
    const racyFrom = this.startedAt - RACY_MS;
    if (s.mtimeMs >= racyFrom || s.ctimeMs >= racyFrom) return;
    if (!cached) this.missed = true;
    this.files.push(file);
    this.states.push(state);
    const model = state.entry?.model;
    this.sourceOut.push(model && isSourceOf(model.source, file) ? 1 : 0);
  }

  /** Whether the cache file is to be written: a file was read from the disk, or one cached is no longer cached. */
  get changed(): boolean {
    let reusedFiles = 0;
    for (const k of this.reused) {
      const [from, to] = this.chunkRange(k);
      reusedFiles += to - from;
    }
    return this.missed || this.files.length + reusedFiles !== this.loadedCount;
  }

  /**
   * Writes the reused chunks and what was recorded, atomically (a temporary file beside it, renamed over it), when it
   * differs from what was loaded. Call it once the states were posted. Never throws: a cache that cannot be written
   * is only a slower next start.
   */
  save(): boolean {
    if (!this.changed) return false;
    const dir = path.dirname(this.file);
    const temp = `${this.file}.${process.pid}-${threadId}-${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      const files: string[] = [];
      const stamps: number[] = [];
      const chunkEnds: number[] = [];
      const byteEnds: number[] = [];
      const body: Uint8Array[] = [];
      let bytes = 0;
      const h = this.header;
      for (const k of this.reused) {
        const [from, to] = this.chunkRange(k);
        for (let i = from; i < to; i++) {
          files.push(h!.files[i]!);
          for (let j = 0; j < 5; j++) stamps.push(h!.stamps[i * 5 + j]!);
        }
        const chunk = this.chunkBody(k);
        body.push(chunk);
        chunkEnds.push(files.length);
        byteEnds.push((bytes += chunk.length));
      }
      for (let from = 0; from < this.files.length; from += CHUNK) {
        const chunkFiles = this.files.slice(from, from + CHUNK);
        const chunkStates = this.states.slice(from, from + CHUNK);
        chunkStates.forEach((state, j) => {
          // the posting took the model's `source` out: put it back for packStates to take out again
          if (this.sourceOut[from + j] === 1) (state.entry!.model as { source: unknown }).source = sourceOf(chunkFiles[j]!);
          const s = state.stamp;
          stamps.push(s.size, s.mtimeMs, s.ctimeMs, s.ino, s.dev);
        });
        files.push(...chunkFiles);
        const chunk = v8.serialize({ files: chunkFiles, packed: packStates(chunkFiles, chunkStates) } satisfies CachedChunk);
        body.push(chunk);
        chunkEnds.push(files.length);
        byteEnds.push((bytes += chunk.length));
      }
      const sha1 = crypto.createHash('sha1');
      for (const b of body) sha1.update(b);
      const header: CacheHeader = {
        format: LEGACY_CACHE_FORMAT,
        bundle: { size: this.bundle.size, mtimeMs: this.bundle.mtimeMs },
        dir: this.dir,
        part: this.part,
        parts: this.parts,
        files,
        stamps: Float64Array.from(stamps),
        chunkEnds: Uint32Array.from(chunkEnds),
        byteEnds: Float64Array.from(byteEnds),
        sha1: sha1.digest('hex'),
      };
      const headerBytes = v8.serialize(header);
      const length = Buffer.alloc(4);
      length.writeUInt32LE(headerBytes.length, 0);
      mkdirSync(dir, { recursive: true });
      removeStaleTemps(dir, path.basename(this.file));
      const fd = openSync(temp, 'wx', 0o644);
      try {
        for (const b of [length, headerBytes, ...body]) {
          let off = 0;
          while (off < b.length) off += writeSync(fd, b, off, b.length - off);
        }
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.file);
      return true;
    } catch {
      try {
        unlinkSync(temp);
      } catch {
        // not written
      }
      return false;
    }
  }
}

/** Chunks of 1 to CHUNK files each, and of some bytes. */
function chunksFit(chunkEnds: Uint32Array, byteEnds: Float64Array): boolean {
  for (let k = 0; k < chunkEnds.length; k++) {
    const files = chunkEnds[k]! - (k === 0 ? 0 : chunkEnds[k - 1]!);
    if (files < 1 || files > CHUNK || !(byteEnds[k]! > (k === 0 ? 0 : byteEnds[k - 1]!))) return false;
  }
  return true;
}

/** Temporary files of `base` left by writes killed mid-way, older than STALE_TEMP_MS. */
function removeStaleTemps(dir: string, base: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(`${base}.`) || !name.endsWith('.tmp')) continue;
    const p = path.join(dir, name);
    try {
      if (now - statSync(p).mtimeMs > STALE_TEMP_MS) unlinkSync(p);
    } catch {
      // gone already
    }
  }
}

/**
 * The bytes of `file` when it is a regular file; undefined otherwise. The cache file is read as it is found in the git
 * directory: opened without waiting (a FIFO's open would wait for a writer, and a blocked system call is not ended by
 * terminating the worker), and only a regular file read (a device such as /dev/zero never ends).
 */
function readRegularFile(file: string): { bytes: Buffer; mtimeMs: number } | undefined {
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) return undefined; // shrank while read: not the file whose length it says
      off += n;
    }
    return { bytes: buf, mtimeMs: st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}
