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
// repository; a folder not at the top of a git repository has no cache. What: v8.serialize of the format's version,
// the worker bundle's identity (its file's size and mtime: a new Hammock never trusts an older one's translation),
// the folder, and per file its path, stamp and state. A cache that cannot be read, deserialized or validated is
// ignored, and replaced after the read.
//
// Racy files (git's racy-index rule): a file whose mtime or ctime is within RACY_MS of the read's start, or later,
// may change again within its timestamp's granularity without its stamp changing; it is left out of the cache, so
// the next read parses it.

import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { threadId } from 'node:worker_threads';
import type { FileStamp, LegacyFileState } from './fileState';
import { isSourceOf, sourceOf } from './formats/legacy';

/** The layout of the cache file; another version is ignored (and replaced). */
export const LEGACY_CACHE_FORMAT = 1;
/** How close to the read's start a file's mtime or ctime makes it racy (ms): more than any file system's granularity (FAT: 2 s). */
export const RACY_MS = 3000;
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

/** What the cache file holds. Columns: the files, their stamps (5 numbers each), states, and whether each model's `source` was left out. */
interface CacheContents {
  readonly format: number;
  readonly bundle: BundleIdentity;
  readonly dir: string;
  readonly part: number;
  readonly parts: number;
  readonly files: string[];
  readonly stamps: Float64Array;
  readonly states: LegacyFileState[];
  readonly sourceOut: Uint8Array;
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
 * One read of a folder's share with its cache: `lookup` each listed file (its cached state when its stamp is the
 * cached one), `record` every state the read posts, then `save` (after the read is done: it does not delay the tree).
 */
export class LegacyCache {
  private readonly index = new Map<string, number>();
  private readonly loaded?: CacheContents;
  private readonly files: string[] = [];
  private readonly stamps: number[] = [];
  private readonly states: LegacyFileState[] = [];
  private readonly sourceOut: number[] = [];
  /** how many lookups the cache answered. */
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
    this.loaded = this.load();
    if (this.loaded) this.loaded.files.forEach((f, i) => this.index.set(f, i));
  }

  private load(): CacheContents | undefined {
    let c: CacheContents;
    try {
      c = v8.deserialize(readFileSync(this.file)) as CacheContents;
    } catch {
      return undefined; // none yet, unreadable, truncated or not a serialization
    }
    try {
      const ok =
        c.format === LEGACY_CACHE_FORMAT &&
        c.bundle.size === this.bundle.size &&
        c.bundle.mtimeMs === this.bundle.mtimeMs &&
        c.dir === this.dir &&
        c.part === this.part &&
        c.parts === this.parts &&
        Array.isArray(c.files) &&
        Array.isArray(c.states) &&
        c.stamps instanceof Float64Array &&
        c.sourceOut instanceof Uint8Array &&
        c.states.length === c.files.length &&
        c.sourceOut.length === c.files.length &&
        c.stamps.length === c.files.length * 5;
      return ok ? c : undefined;
    } catch {
      return undefined;
    }
  }

  /** The files recorded so far, in order (those the cache file is to hold). */
  get recorded(): readonly string[] {
    return this.files;
  }

  /** How many files the loaded cache held (0: none, or ignored). */
  get loadedCount(): number {
    return this.loaded?.files.length ?? 0;
  }

  /** The cached state of `file` when its identity on disk is the cached one (one stat); undefined otherwise. */
  lookup(file: string): LegacyFileState | undefined {
    const i = this.index.get(file);
    if (i === undefined) return undefined;
    const c = this.loaded!;
    let st;
    try {
      st = statSync(file, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
    if (!st || !st.isFile()) return undefined;
    const s = c.stamps;
    const at = i * 5;
    if (st.size !== s[at] || st.mtimeMs !== s[at + 1] || st.ctimeMs !== s[at + 2] || st.ino !== s[at + 3] || st.dev !== s[at + 4]) return undefined;
    const state = c.states[i]!;
    this.hits++;
    if (c.sourceOut[i] === 1 && state.entry?.model) (state.entry.model as { source: unknown }).source = sourceOf(file);
    return state;
  }

  /**
   * Notes the state posted for `file` (`cached`: it came from `lookup`), before it is packed for posting (which takes
   * its model's `source` out). Gone files, unreadable ones and racy ones are not cached.
   */
  record(file: string, state: LegacyFileState | null, cached: boolean): void {
    if (!state) return;
    const s: FileStamp = state.stamp;
    if (s.size < 0) return; // could not be read: its problem is not the file's content
    const racyFrom = this.startedAt - RACY_MS;
    if (s.mtimeMs >= racyFrom || s.ctimeMs >= racyFrom) return;
    if (!cached) this.missed = true;
    this.files.push(file);
    this.stamps.push(s.size, s.mtimeMs, s.ctimeMs, s.ino, s.dev);
    this.states.push(state);
    const model = state.entry?.model;
    this.sourceOut.push(model && isSourceOf(model.source, file) ? 1 : 0);
  }

  /** Whether the cache file is to be written: a file was read from the disk, or one cached is no longer cached. */
  get changed(): boolean {
    return this.missed || this.files.length !== this.loadedCount;
  }

  /**
   * Writes what was recorded, atomically (a temporary file beside it, renamed over it), when it differs from what was
   * loaded. Call it once the states were posted (their models' `source` taken out: `sourceOut` says which to put back).
   * Never throws: a cache that cannot be written is only a slower next start.
   */
  save(): boolean {
    if (!this.changed) return false;
    const dir = path.dirname(this.file);
    const temp = `${this.file}.${process.pid}-${threadId}-${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      const contents: CacheContents = {
        format: LEGACY_CACHE_FORMAT,
        bundle: { size: this.bundle.size, mtimeMs: this.bundle.mtimeMs },
        dir: this.dir,
        part: this.part,
        parts: this.parts,
        files: this.files,
        stamps: Float64Array.from(this.stamps),
        states: this.states,
        sourceOut: Uint8Array.from(this.sourceOut),
      };
      const bytes = v8.serialize(contents);
      mkdirSync(dir, { recursive: true });
      removeStaleTemps(dir, path.basename(this.file));
      const fd = openSync(temp, 'wx', 0o644);
      try {
        let off = 0;
        while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
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
