// Index and working-tree updates done by us rather than by isomorphic-git:
//  - switchTree: move the working tree and index from one commit's tree to another, touching only the paths
//    that differ, after checking that no uncommitted change (staged, unstaged or an untracked file in the way)
//    would be overwritten. Nothing is written when the check fails; a failure while writing is rolled back.
//    (isomorphic-git's checkout walks the whole tree, and pull/fastForward move the branch before checking.)
//  - stage / unstage / discard of explicit paths, in one index write, holding `.git/index.lock`.
//  - resetToTree: index and tracked files back to a tree (used to abort a merge).
// Every index write keeps nanosecond stat data so that the next status (ours or the git CLI's) hashes nothing.

import * as fs from 'fs';
import * as fsp from 'fs/promises';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { promisify } from 'util';
import { isogit } from './isogit';
import { dirtyTree, GitError, GitErrorCode } from './gitError';
import {
  entryFromStats,
  entryWithoutStats,
  MODE_EXEC,
  MODE_FILE,
  MODE_GITLINK,
  MODE_SYMLINK,
  type IndexEntry,
} from './indexFile';
import { readIndex, writeIndex, type LoadedIndex } from './indexCache';
import { PackReader } from './packReader';
import { withIndexLock, type IndexLockOptions } from './indexLock';
import { effectiveMode } from './plumbing/statMatch';
import { buildTree, diffTreeIndex, diffWorkingTree, hashTree, hashWorkFile, nestedHead, pool, readDirNames, SKIP_WORKTREE, unsupportedIndex, workRules, type TreeNode, type WorkContext } from './status';
import { diffTrees, fileInTree, type TreeChange, type TreeFile } from './treeDiff';
import { IgnoreRules } from './plumbing/ignoreRules';
import { SparseCheckout } from './plumbing/sparseCheckout';
import { gitFs } from './plumbing/gitFs';
import { fsPath } from './plumbing/pathBytes';
import { packReaderOf, readObjectData, readRawTree } from './plumbing/objects';
import { nextTurn } from '../util/nextTurn';

export interface WorktreeContext extends WorkContext {
  lock?: IndexLockOptions;
}

export type { LoadedIndex } from './indexCache';

export interface ProgressEvent {
  phase: string;
  loaded: number;
  total: number;
}

/** Reads the whole index (all stages). A missing index is empty. */
export async function loadIndex(gitdir: string): Promise<LoadedIndex> {
  const idx = await readIndex(gitdir);
  if (!idx) throw unsupportedIndex();
  return idx;
}

function stage0(entries: IndexEntry[]): Map<string, IndexEntry> {
  const m = new Map<string, IndexEntry>();
  for (const e of entries) if (e.stage === 0) m.set(e.path, e);
  return m;
}

function unmergedPaths(entries: IndexEntry[]): string[] {
  return [...new Set(entries.filter((e) => e.stage !== 0).map((e) => e.path))];
}

async function exists(p: string | Buffer): Promise<fs.Stats | null> {
  try {
    return await fsp.lstat(p);
  } catch {
    return null;
  }
}

/** The files under repository folder `rel` (repository paths). */
async function listFilesUnder(dir: string, rel: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (r: string): Promise<void> => {
    for (const de of await readDirNames(fsPath(dir, r))) {
      if (de.isDirectory()) await walk(`${r}/${de.name}`);
      else out.push(`${r}/${de.name}`);
    }
  };
  await walk(rel);
  return out;
}

/** The repository folder holding `rel` ('' for the root). */
function parentOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

/**
 * The paths a switch from the index/working tree to `changes` would overwrite: files with staged or unstaged
 * changes that the switch modifies, and untracked files (or directories) in the way of an added path.
 */
async function findOverwrites(ctx: WorktreeContext, changes: TreeChange[], byPath: Map<string, IndexEntry>, indexMtimeNs: bigint): Promise<string[]> {
  const dir = ctx.dir;
  const dirty = new Set<string>();
  const toCompare: IndexEntry[] = [];
  const changeOf = new Map(changes.map((c) => [c.path, c]));
  const deleted = new Set(changes.filter((c) => c.before && !c.after).map((c) => c.path));
  const { fileMode } = workRules(ctx);
  // a file already as the switch writes it may stay: its bytes and its mode (an exec bit of the user's own, where
  // the switch writes the file without one, is a local change the write would lose; git refuses for it too)
  const modeOf = (st: fs.Stats, recorded: number): number => effectiveMode(st, recorded, fileMode);
  for (const c of changes) {
    const e = byPath.get(c.path);
    if (c.before) {
      if (!e) {
        if (c.after) dirty.add(c.path); // deletion staged, the switch would bring the file back
      } else if (e.oid !== c.before.oid || e.mode !== c.before.mode) {
        if (!(c.after && e.oid === c.after.oid && e.mode === c.after.mode)) dirty.add(c.path); // staged change
      } else if (e.mode !== MODE_GITLINK) {
        toCompare.push(e); // (a submodule's checkout may be out of step with the index: git switches anyway)
      }
      continue;
    }
    // added by the switch
    if (e) {
      if (!(c.after && e.oid === c.after.oid && e.mode === c.after.mode)) dirty.add(c.path);
      else if (e.mode !== MODE_GITLINK) toCompare.push(e);
      continue;
    }
    const full = fsPath(dir, c.path);
    let st: fs.Stats | null = null;
    try {
      st = await fsp.lstat(full);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') {
        // a parent component is a file: fine only if the switch deletes that file
        const parts = c.path.split('/');
        for (let i = 1; i < parts.length; i++) {
          const parent = parts.slice(0, i).join('/');
          const pst = await exists(fsPath(dir, parent));
          if (pst && !pst.isDirectory()) {
            if (!deleted.has(parent)) dirty.add(parent);
            break;
          }
        }
      }
      continue;
    }
    if (st.isDirectory()) {
      const inside = await listFilesUnder(dir, c.path);
      if (inside.some((f) => !deleted.has(f))) dirty.add(c.path);
    } else {
      const oid = await hashWorkFile(full, st, ctx, c.path);
      if (oid !== c.after!.oid || modeOf(st, c.after!.mode) !== c.after!.mode) dirty.add(c.path);
    }
  }
  if (toCompare.length) {
    const differs = await diffWorkingTree(ctx, toCompare, indexMtimeNs);
    for (const [p, d] of differs) {
      const c = changeOf.get(p)!;
      if (d.kind === 'modified' && c.after && d.oid === c.after.oid) {
        const st = await fsp.lstat(fsPath(dir, p)).catch(() => null);
        if (st && modeOf(st, byPath.get(p)!.mode) === c.after.mode) continue; // already what the switch would write
      }
      if (d.kind === 'deleted' && !c.after) continue; // already deleted
      dirty.add(p);
    }
  }
  return [...dirty].sort();
}

function withMode(current: number, wanted: number): number {
  return wanted === MODE_EXEC ? current | ((current & 0o444) >> 2) : current & ~0o111;
}

/**
 * Writes blob content at `rel` and returns the file's index entry. Asynchronous (in the thread pool): a write that
 * replaces a file costs the disk's time (ext4 flushes a file renamed over another), which must never be spent on
 * the caller's event loop; callers keep several in flight. `fresh`: nothing can be in the way (a new clone), so
 * no check of what is there and no temporary file. `madeDirs`: folders known to exist (shared by the writes of
 * one checkout).
 */
async function writeWorkFileAsync(ctx: WorktreeContext, rel: string, file: TreeFile, blob: Uint8Array | null, madeDirs: Map<string, Promise<unknown>>, fresh = false): Promise<IndexEntry> {
  const full = fsPath(ctx.dir, rel);
  const parentRel = parentOf(rel);
  let made = madeDirs.get(parentRel);
  if (!made) {
    made = fsp.mkdir(fsPath(ctx.dir, parentRel), { recursive: true });
    madeDirs.set(parentRel, made);
  }
  await made;
  if (file.mode === MODE_GITLINK) {
    await fsp.mkdir(full, { recursive: true });
    return entryWithoutStats(rel, file.oid, MODE_GITLINK);
  }
  if (!fresh) {
    const old = await fsp.lstat(full).catch(() => null);
    if (old && (old.isDirectory() || old.isSymbolicLink() || file.mode === MODE_SYMLINK)) await fsp.rm(full, { recursive: true, force: true });
  }
  if (file.mode === MODE_SYMLINK) {
    await fsp.symlink(Buffer.from(blob!).toString('utf8'), full);
    return entryFromStats(rel, file.oid, await fsp.lstat(full, { bigint: true }), file.mode);
  }
  const content = workRules(ctx).eol.toWorktree(rel, blob!);
  const fileMode = file.mode === MODE_EXEC ? 0o777 : 0o666;
  if (fresh) await writeFileCb(full, content, { mode: fileMode });
  else {
    // a kill mid-write leaves the old file or the new one, never a cut one (a redone switch then finds it done)
    const tmp = fsPath(ctx.dir, `${parentRel ? parentRel + '/' : ''}.${rel.slice(parentRel ? parentRel.length + 1 : 0)}.hammock-${process.pid}.tmp`);
    try {
      await writeFileCb(tmp, content, { mode: fileMode });
      await renameCb(tmp, full);
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      throw err;
    }
  }
  let st = await lstatCb(full, { bigint: true });
  const mode = Number(st.mode);
  if ((mode & 0o111) !== 0 !== (file.mode === MODE_EXEC)) {
    await fsp.chmod(full, withMode(mode & 0o7777, file.mode));
    st = await lstatCb(full, { bigint: true });
  }
  return entryFromStats(rel, file.oid, st, file.mode);
}

async function readBlobContent(ctx: WorktreeContext, file: TreeFile, packs?: PackReader, received?: ReadonlyMap<string, Uint8Array>): Promise<Uint8Array | null> {
  if (file.mode === MODE_GITLINK) return null;
  const known = received?.get(file.oid);
  if (known) return known;
  let packed: { type: string; data: Buffer } | undefined;
  try {
    packed = packs?.read(file.oid);
  } catch {
    /* a pack removed since: readObjectData looks again */
  }
  if (packed && packed.type === 'blob') return packed.data;
  const { type, data } = await readObjectData(ctx.gitdir, ctx.cache, file.oid);
  if (type !== 'blob') throw Object.assign(new Error(`${file.oid} is a ${type}, not a blob`), { code: 'ObjectTypeError' });
  return data;
}

/** Writes blob `file` at `rel` in the working tree and returns its fresh index entry. */
async function writeWorkFile(ctx: WorktreeContext, rel: string, file: TreeFile, madeDirs: Map<string, Promise<unknown>>): Promise<IndexEntry> {
  return writeWorkFileAsync(ctx, rel, file, await readBlobContent(ctx, file), madeDirs);
}

async function removeWorkFile(ctx: WorktreeContext, rel: string): Promise<void> {
  await fsp.rm(fsPath(ctx.dir, rel), { force: true, recursive: false }).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code === 'EISDIR' || err.code === 'ERR_FS_EISDIR') return; // a gitlink directory: leave it
    throw err;
  });
}

/** Removes directories left empty by deletions, deepest first, never the root. */
async function pruneEmptyDirs(ctx: WorktreeContext, removed: string[]): Promise<void> {
  const dirs = new Set<string>();
  for (const rel of removed) {
    let d = path.posix.dirname(rel);
    while (d !== '.' && d !== '') {
      dirs.add(d);
      d = path.posix.dirname(d);
    }
  }
  const sorted = [...dirs].sort((a, b) => b.split('/').length - a.split('/').length);
  for (const d of sorted) await fsp.rmdir(fsPath(ctx.dir, d)).catch(() => undefined);
}

/**
 * Writes the files of a new clone (nothing is in the way) synchronously, one after the other: for a caller whose
 * thread may block (the transfer worker), where the thread pool's round trips, a promise per step and the
 * pool's four threads competing for the machine's cores cost more than the writes (10,000 files: about a third
 * of the CPU time). Each folder is made once; the stat data comes from the open file. The event loop gets a turn
 * every SYNC_SLICE_MS (a cancel arrives as a message). Returns the files written, in order.
 */
async function writeFreshFilesSync(
  ctx: WorktreeContext,
  writes: TreeChange[],
  byPath: Map<string, IndexEntry>,
  packs: PackReader | undefined,
  received: ReadonlyMap<string, Uint8Array> | undefined,
  onWritten: () => void,
  signal?: AbortSignal,
): Promise<void> {
  const made = new Set<string>(['']);
  const eol = workRules(ctx).eol;
  let sliceStart = performance.now();
  for (const c of writes) {
    if (performance.now() - sliceStart >= SYNC_SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
    if (signal?.aborted) throw Object.assign(new Error('aborted'), { code: 'ABORT_ERR' });
    const file = c.after!;
    const rel = c.path;
    const parentRel = parentOf(rel);
    if (!made.has(parentRel)) {
      fs.mkdirSync(fsPath(ctx.dir, parentRel), { recursive: true });
      for (let d = parentRel; d && !made.has(d); d = parentOf(d)) made.add(d);
    }
    const full = fsPath(ctx.dir, rel);
    let entry: IndexEntry;
    if (file.mode === MODE_GITLINK) {
      fs.mkdirSync(full, { recursive: true });
      made.add(rel);
      entry = entryWithoutStats(rel, file.oid, MODE_GITLINK);
    } else {
      const blob = await readBlobContent(ctx, file, packs, received);
      if (file.mode === MODE_SYMLINK) {
        fs.symlinkSync(Buffer.from(blob!).toString('utf8'), full);
        entry = entryFromStats(rel, file.oid, fs.lstatSync(full, { bigint: true }), file.mode);
      } else {
        const content = eol.toWorktree(rel, blob!);
        const fd = fs.openSync(full, 'w', file.mode === MODE_EXEC ? 0o777 : 0o666);
        try {
          for (let at = 0; at < content.length; ) at += fs.writeSync(fd, content, at, content.length - at);
          let st = fs.fstatSync(fd, { bigint: true });
          const mode = Number(st.mode);
          if ((mode & 0o111) !== 0 !== (file.mode === MODE_EXEC)) {
            fs.fchmodSync(fd, withMode(mode & 0o7777, file.mode));
            st = fs.fstatSync(fd, { bigint: true });
          }
          entry = entryFromStats(rel, file.oid, st, file.mode);
        } finally {
          fs.closeSync(fd);
        }
      }
    }
    byPath.set(rel, entry);
    onWritten();
  }
}

/**
 * fs.writeFile through the callback API: fs.promises opens a FileHandle per file, which cost this thread ~0.1 ms a
 * file (10,000 files: a second) more than a plain descriptor.
 */
const writeFileCb = promisify(fs.writeFile);
const lstatCb = promisify(fs.lstat) as (p: string | Buffer, o: { bigint: true }) => Promise<fs.BigIntStats>;
const renameCb = promisify(fs.rename);

/** the longest stretch a checkout reads blobs without giving the event loop a turn, ms. */
const SLICE_MS = 8;
/** the longest stretch the synchronous writes of a clone in a worker go without giving its event loop a turn, ms. */
const SYNC_SLICE_MS = 20;
/** file writes a checkout keeps in flight (the thread pool has 4 threads; a few more keep them busy). */
const WRITES_IN_FLIGHT = 8;

async function applyChanges(
  ctx: WorktreeContext,
  changes: TreeChange[],
  byPath: Map<string, IndexEntry>,
  options: { concurrency?: number; onProgress?: (p: ProgressEvent) => void; signal?: AbortSignal; phase?: string; fresh?: boolean; mayBlock?: boolean; received?: ReadonlyMap<string, Uint8Array> },
): Promise<void> {
  const applied: TreeChange[] = [];
  const total = changes.length;
  let loaded = 0;
  const progress = (): void => options.onProgress?.({ phase: options.phase ?? 'Updating files', loaded, total });
  // sparse checkout: paths outside the patterns (or already skip-worktree) only change in the index
  const sparse = options.fresh ? undefined : SparseCheckout.load(ctx.gitdir, workRules(ctx).config);
  const skipped = (c: TreeChange): boolean => {
    const e = byPath.get(c.path);
    if (e && e.extendedFlags & SKIP_WORKTREE) return true;
    return !!sparse && !!c.after && !e && !sparse.includes(c.path);
  };
  const indexOnly = changes.filter(skipped);
  for (const c of indexOnly) {
    if (c.after) byPath.set(c.path, { ...entryWithoutStats(c.path, c.after.oid, c.after.mode), extendedFlags: SKIP_WORKTREE });
    else byPath.delete(c.path);
    loaded++;
  }
  if (indexOnly.length) {
    const only = new Set(indexOnly);
    changes = changes.filter((c) => !only.has(c));
  }
  try {
    const deletions = changes.filter((c) => !c.after);
    const isAttributes = (c: TreeChange): boolean => c.path === '.gitattributes' || c.path.endsWith('/.gitattributes');
    for (const c of deletions) {
      await removeWorkFile(ctx, c.path);
      byPath.delete(c.path);
      applied.push(c);
      loaded++;
    }
    await pruneEmptyDirs(
      ctx,
      deletions.map((c) => c.path),
    );
    let writes = changes.filter((c) => c.after);
    const inFlight = Math.max(1, options.concurrency ?? WRITES_IN_FLIGHT);
    const packs = packReaderOf(ctx.gitdir, ctx.cache);
    // the target's .gitattributes files are written first and read before the other files, as git checkout reads
    // the attributes of the tree it writes (a new clone's rules were read from an empty folder, a branch switch's
    // from the branch it leaves); a removed one stops applying
    const attributes = writes.filter(isAttributes);
    if (attributes.length && attributes.length < writes.length) {
      const first = { ...options, onProgress: undefined };
      await applyChanges(ctx, attributes, byPath, first);
      loaded += attributes.length;
      writes = writes.filter((c) => !isAttributes(c));
    }
    if (attributes.length || deletions.some(isAttributes)) ctx.eol = undefined;
    if (options.fresh && options.mayBlock) {
      let lastReported = 0;
      await writeFreshFilesSync(
        ctx,
        writes,
        byPath,
        packs,
        options.received,
        () => {
          loaded++;
          if (loaded - lastReported >= 100 || loaded === total) {
            lastReported = loaded;
            progress();
          }
        },
        options.signal,
      );
      return;
    }
    // blobs are read (and inflated) on this thread in slices of at most SLICE_MS; the files are written in the
    // thread pool, `inFlight` at a time; the first failure stops new writes, and is thrown once the others settled
    const madeDirs = new Map<string, Promise<unknown>>();
    let next = 0;
    let failure: { err: unknown } | undefined;
    let sliceStart = performance.now();
    let lastProgress = 0;
    const worker = async (): Promise<void> => {
      while (next < writes.length && !failure) {
        if (options.signal?.aborted) {
          failure ??= { err: Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }) };
          return;
        }
        const c = writes[next++];
        try {
          if (performance.now() - sliceStart >= SLICE_MS) {
            await nextTurn();
            sliceStart = performance.now();
          }
          const blob = await readBlobContent(ctx, c.after!, packs, options.received);
          const entry = await writeWorkFileAsync(ctx, c.path, c.after!, blob, madeDirs, options.fresh);
          byPath.set(c.path, entry);
          applied.push(c);
          loaded++;
          if (loaded - lastProgress >= 100 || loaded === total) {
            lastProgress = loaded;
            progress();
          }
        } catch (err) {
          failure ??= { err };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, writes.length) }, worker));
    if (failure) throw failure.err;
  } catch (err) {
    // put back what was already written; the index is not committed
    for (const c of applied.reverse()) {
      try {
        if (c.before) await writeWorkFile(ctx, c.path, c.before, new Map());
        else await removeWorkFile(ctx, c.path);
      } catch {
        /* best effort */
      }
    }
    throw err;
  }
}

export interface SwitchOptions {
  /** named in the DirtyWorkingTree message: 'pull', 'checkout', ... */
  operation: string;
  /** file writes kept in flight in the thread pool (default 8). */
  concurrency?: number;
  /** the working tree holds nothing but `.git` (a new clone): skip looking for files in the way. */
  fresh?: boolean;
  /**
   * with `fresh`: this thread may block (a worker's), so the files are written synchronously, in slices (see
   * writeFreshFilesSync). Never on the extension host.
   */
  mayBlock?: boolean;
  /** blobs already in memory (a clone's, from the pack it received), by oid: read from here first. */
  received?: ReadonlyMap<string, Uint8Array>;
  onProgress?: (p: ProgressEvent) => void;
  signal?: AbortSignal;
  /**
   * called holding the index lock, once the switch is known to be possible and before anything is written (to take
   * the ref locks beforeRelease commits, as git's ref transaction does); a throw leaves everything as it was.
   */
  beforeWrite?: () => Promise<void>;
  /**
   * called after files and index are updated, still holding the index lock (e.g. to move the branch); with
   * `releaseWhileIndexWrites`, as the index's write starts, given its promise: what it writes meanwhile (a ref's new
   * value in its lock) it publishes only once that promise resolved, and nothing when it rejects.
   */
  beforeRelease?: (indexWritten?: Promise<void>) => Promise<void>;
  releaseWhileIndexWrites?: boolean;
  /** a merge that stops on conflicts: these paths get their conflict stages (1 base, 2 ours, 3 theirs) in the index. */
  conflicts?: readonly { path: string; stages: readonly ({ oid: string; mode: number } | null)[] }[];
}

/**
 * Moves working tree and index from tree `from` (null: nothing checked out) to tree `to`. Throws
 * DirtyWorkingTree listing the files that would be overwritten, before writing anything.
 */
export async function switchTree(ctx: WorktreeContext, from: string | null, to: string, options: SwitchOptions): Promise<TreeChange[]> {
  const changes = await diffTrees({ gitdir: ctx.gitdir, cache: ctx.cache }, from, to);
  return withIndexLock(
    ctx.gitdir,
    async (lock) => {
      const index = await loadIndex(ctx.gitdir);
      const conflicts = unmergedPaths(index.entries);
      if (conflicts.length) {
        throw new GitError(GitErrorCode.UnresolvedConflicts, `Cannot ${options.operation} while files have unresolved conflicts: ${conflicts.join(', ')}`, {
          files: conflicts,
        });
      }
      // the entries of the paths the switch touches (a 10-file pull of a 10,000-file index: a map of 10 entries,
      // not of all of them); the others are written back as they are
      const touched = new Set<string>(changes.map((c) => c.path));
      for (const c of options.conflicts ?? []) touched.add(c.path);
      const byPath = new Map<string, IndexEntry>();
      for (const e of index.entries) if (touched.has(e.path)) byPath.set(e.path, e);
      // (a switch of every file of 10,000: that took 10-20 ms, and the look for overwrites starts with as much)
      if (changes.length > 2000) await nextTurn();
      const dirty = options.fresh ? [] : await findOverwrites(ctx, changes, byPath, index.mtimeNs);
      if (dirty.length) throw dirtyTree(options.operation, dirty);
      await options.beforeWrite?.();
      if (changes.length === 0 && !options.conflicts?.length) {
        await options.beforeRelease?.();
        return changes;
      }
      // what a rollback needs of the index as it was
      const before = new Map(byPath);
      await applyChanges(ctx, changes, byPath, options);
      const stages: IndexEntry[] = [];
      for (const c of options.conflicts ?? []) {
        byPath.delete(c.path);
        c.stages.forEach((v, i) => v && stages.push(entryWithoutStats(c.path, v.oid, v.mode, i + 1)));
      }
      const entries: IndexEntry[] = [];
      for (const e of index.entries) if (!touched.has(e.path)) entries.push(e);
      for (const e of byPath.values()) entries.push(e);
      for (const e of stages) entries.push(e);
      // an index that was exactly `from` is now exactly `to` (the cache-tree git and status read)
      const written = writeIndex(lock, ctx.gitdir, entries, stages.length ? undefined : { tree: to, from }).then(() => undefined);
      const released = options.releaseWhileIndexWrites ? options.beforeRelease?.(written) : undefined;
      released?.catch(() => undefined);
      try {
        await written;
      } catch (err) {
        await released?.catch(() => undefined); // (its locks released, nothing published)
        await applyChanges(ctx, changes.map((c) => ({ path: c.path, before: c.after, after: c.before })), before, {}).catch(() => undefined);
        throw err;
      }
      await (released ?? options.beforeRelease?.());
      return changes;
    },
    ctx.lock,
  );
}

/**
 * The uncommitted files (staged, unstaged, or untracked in the way) that applying `changes` would overwrite, and
 * the unmerged paths of the index: what switchTree would refuse for. Reads only; takes no lock.
 */
export async function findBlockingFiles(ctx: WorktreeContext, changes: TreeChange[]): Promise<{ overwritten: string[]; unmerged: string[] }> {
  const index = await loadIndex(ctx.gitdir);
  const unmerged = unmergedPaths(index.entries).sort();
  const overwritten = changes.length ? await findOverwrites(ctx, changes, stage0(index.entries), index.mtimeNs) : [];
  return { overwritten, unmerged };
}

/** Stages the given paths (added, modified, deleted, resolved conflicts) in one index write. */
export async function stagePaths(ctx: WorktreeContext, paths: string[], options: { underLock?: () => Promise<void> } = {}): Promise<void> {
  await withIndexLock(
    ctx.gitdir,
    async (lock) => {
      // what must happen only once the index is ours (removePaths: the files go only when the index will follow)
      await options.underLock?.();
      const index = await loadIndex(ctx.gitdir);
      const byKey = new Map<string, IndexEntry[]>();
      for (const e of index.entries) {
        const list = byKey.get(e.path);
        if (list) list.push(e);
        else byKey.set(e.path, [e]);
      }
      const { config, eol, fileMode } = workRules(ctx);
      const rules = new IgnoreRules(ctx.dir, ctx.gitdir, config);
      const expanded: string[] = [];
      const gitlinks: string[] = [];
      const sparse = paths.map((r) => r.replace(/\/+$/, '')).filter((p) => byKey.get(p)?.some((e) => e.extendedFlags & SKIP_WORKTREE));
      if (sparse.length) {
        throw new GitError(GitErrorCode.InvalidPath, `Cannot stage paths outside your sparse-checkout definition (skip-worktree), as git refuses too: ${sparse.join(', ')}`, { files: sparse });
      }
      for (const raw of paths) {
        const p = raw.replace(/\/+$/, '');
        const st = await exists(fsPath(ctx.dir, p));
        const known = byKey.get(p);
        if (st?.isDirectory() && (known?.[0].mode === MODE_GITLINK || (!known && fs.existsSync(fsPath(ctx.dir, p + '/.git'))))) {
          gitlinks.push(p); // a submodule or nested repository: one gitlink entry, never its files
        } else if (st?.isDirectory() && !known) {
          const walk = async (rel: string): Promise<void> => {
            for (const de of await readDirNames(fsPath(ctx.dir, rel))) {
              const f = `${rel}/${de.name}`;
              if (de.name === '.git') continue;
              if (de.isDirectory()) {
                if (byKey.get(f)?.[0].mode === MODE_GITLINK || fs.existsSync(fsPath(ctx.dir, f + '/.git'))) {
                  if (byKey.has(f) || !rules.isIgnored(f, true)) gitlinks.push(f);
                } else await walk(f);
              } else if (byKey.has(f) || !rules.isIgnored(f, false)) expanded.push(f);
            }
          };
          await walk(p);
        } else {
          expanded.push(p);
        }
      }
      for (const p of gitlinks) {
        const head = await nestedHead(fsPath(ctx.dir, p).toString());
        if (!head) throw new GitError(GitErrorCode.InvalidPath, `Cannot stage ${p}: it is a nested repository without a commit checked out.`, { files: [p] });
        byKey.set(p, [entryWithoutStats(p, head, MODE_GITLINK)]);
      }
      await pool(expanded, 16, async (p) => {
        const full = fsPath(ctx.dir, p);
        const st = await exists(full);
        if (!st || st.isDirectory()) {
          byKey.delete(p); // deletion (and resolution of a deleted conflict)
          return;
        }
        const previous = byKey.get(p)?.find((e) => e.stage === 0 || e.stage === 2);
        let content: Buffer = st.isSymbolicLink() ? await fsp.readlink(full, { encoding: 'buffer' }) : await fsp.readFile(full);
        if (!st.isSymbolicLink() && eol.mayConvert(p)) {
          content = await eol.toGit(p, content, async () => {
            if (!previous) return false;
            const { blob } = await isogit().readBlob({ fs: gitFs, gitdir: ctx.gitdir, oid: previous.oid, cache: ctx.cache });
            return blob.includes(13);
          });
        }
        const oid = await isogit().writeBlob({ fs: gitFs, gitdir: ctx.gitdir, blob: content });
        const big = await fsp.lstat(full, { bigint: true });
        const mode = effectiveMode(big, previous?.mode ?? MODE_FILE, fileMode);
        byKey.set(p, [entryFromStats(p, oid, big, mode)]);
      });
      await writeIndex(lock, ctx.gitdir, [...byKey.values()].flat());
    },
    ctx.lock,
  );
}

/** Resets the index entries of `paths` to `headTree` (the working tree is not touched). */
export async function unstagePaths(ctx: WorktreeContext, headTree: string | null, paths: string[]): Promise<void> {
  await withIndexLock(
    ctx.gitdir,
    async (lock) => {
      const index = await loadIndex(ctx.gitdir);
      const wanted = new Set(paths);
      const kept = index.entries.filter((e) => !wanted.has(e.path));
      const old = stage0(index.entries);
      for (const p of wanted) {
        const head = headTree ? await fileInTree({ gitdir: ctx.gitdir, cache: ctx.cache }, headTree, p) : null;
        if (!head) continue; // was added: no longer tracked
        const cur = old.get(p);
        kept.push(cur && cur.oid === head.oid && cur.mode === head.mode ? cur : entryWithoutStats(p, head.oid, head.mode));
      }
      await writeIndex(lock, ctx.gitdir, kept);
    },
    ctx.lock,
  );
}

/**
 * Removes files from the working tree and the index, as `git rm` does: the file deleted, the directories it leaves
 * empty removed, and its index entries (a conflict's stages too) gone in one index write.
 */
export async function removePaths(ctx: WorktreeContext, paths: string[]): Promise<void> {
  // as git rm: under the index lock, so that a lock another git holds leaves the files where they are
  await stagePaths(ctx, paths, {
    underLock: async () => {
      for (const p of paths) await removeWorkFile(ctx, p);
      await pruneEmptyDirs(ctx, paths);
    },
  });
}

/**
 * Discards working-tree changes of `paths`: tracked files go back to their staged (index) content, untracked
 * files are deleted. Unmerged paths are refused.
 */
export async function discardPaths(ctx: WorktreeContext, paths: string[]): Promise<void> {
  await withIndexLock(
    ctx.gitdir,
    async (lock) => {
      const index = await loadIndex(ctx.gitdir);
      const byPath = stage0(index.entries);
      const conflicted = new Set(unmergedPaths(index.entries));
      const refused = paths.filter((p) => conflicted.has(p));
      if (refused.length) {
        throw new GitError(GitErrorCode.UnresolvedConflicts, `Cannot discard changes of files in conflict: ${refused.join(', ')}. Abort the merge instead.`, {
          files: refused,
        });
      }
      const madeDirs = new Map<string, Promise<unknown>>();
      for (const p of paths) {
        const e = byPath.get(p);
        if (e) {
          byPath.set(p, { ...(await writeWorkFile(ctx, p, { oid: e.oid, mode: e.mode }, madeDirs)), extendedFlags: e.extendedFlags });
        } else {
          const full = fsPath(ctx.dir, p);
          const st = await exists(full);
          if (st) await fsp.rm(full, { recursive: st.isDirectory(), force: true });
        }
      }
      await writeIndex(lock, ctx.gitdir, [...byPath.values()]);
    },
    ctx.lock,
  );
}

/**
 * Makes index and tracked files equal to `tree` again: unmerged entries dropped, files the index knows (any
 * stage) restored or removed. Untracked files the index never knew are left alone.
 */
export async function resetToTree(ctx: WorktreeContext, tree: string | null): Promise<void> {
  await withIndexLock(
    ctx.gitdir,
    async (lock) => {
      const index = await loadIndex(ctx.gitdir);
      const byPath = stage0(index.entries);
      const touched = new Set<string>(unmergedPaths(index.entries));
      for (const p of (await diffTreeIndex(ctx.gitdir, ctx.cache, tree, byPath.values())).keys()) touched.add(p);
      for (const p of (await diffWorkingTree(ctx, [...byPath.values()], index.mtimeNs)).keys()) touched.add(p);
      const store = { gitdir: ctx.gitdir, cache: ctx.cache };
      const madeDirs = new Map<string, Promise<unknown>>();
      const removed: string[] = [];
      for (const p of [...touched].sort()) {
        const file = tree ? await fileInTree(store, tree, p) : null;
        if (file) {
          byPath.set(p, await writeWorkFile(ctx, p, file, madeDirs));
        } else {
          await removeWorkFile(ctx, p);
          byPath.delete(p);
          removed.push(p);
        }
      }
      await pruneEmptyDirs(ctx, removed);
      await writeIndex(lock, ctx.gitdir, [...byPath.values()], tree ? { tree } : undefined);
    },
    ctx.lock,
  );
}

/**
 * Writes the tree objects of the index (stage 0) and returns the root tree oid. Subtrees equal to `headTree`'s
 * are not written (they exist). Refuses unmerged entries. The caller holds the index lock.
 */
export async function writeIndexTree(ctx: WorktreeContext, headTree: string | null): Promise<{ tree: string; unmerged: string[] }> {
  const index = await loadIndex(ctx.gitdir);
  const unmerged = unmergedPaths(index.entries);
  const root = buildTree(index.entries.filter((e) => e.stage === 0));
  hashTree(root, true);
  const write = async (node: TreeNode, existing: string | null): Promise<void> => {
    if (existing && node.oid === existing) return;
    const sub = new Map<string, string>();
    if (existing && node.dirs.size) {
      for (const e of await readRawTree(ctx.gitdir, ctx.cache, existing)) if (e.mode === 0o040000) sub.set(e.name, e.oid);
    }
    for (const [name, child] of node.dirs) await write(child, sub.get(name) ?? null);
    const oid = await isogit().writeObject({ fs: gitFs, gitdir: ctx.gitdir, type: 'tree', format: 'content', object: node.body! });
    if (oid !== node.oid) throw new Error(`tree hash mismatch: ${oid} != ${node.oid}`);
  };
  await write(root, headTree);
  return { tree: root.oid!, unmerged };
}

/** Changes between two trees (re-exported for callers that report what a switch did). */
export { diffTrees };
