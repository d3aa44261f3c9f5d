// Parsed indexes, remembered per repository while the file stays the same (mtime, size and inode): a stage
// followed by a commit, or a status after a stage, parses a 10,000-entry index once instead of each time.
// Writes go through writeIndex, which records what it wrote.

import * as fs from 'fs';
import * as fsp from 'fs/promises';
import * as path from 'path';
import type { BigIntStats } from 'fs';
import { carryCacheTree, indexChecksumOk, IndexCorruptError, parseIndexAsync, serializeIndexAsync, sortEntries, type CacheTreeNode, type IndexEntry, type IndexFile } from './indexFile';
import { parseIndexWithShared } from './plumbing/splitIndex';
import type { IndexLock } from './indexLock';
import { GitError, GitErrorCode } from './gitError';
import { nextTurn } from '../util/nextTurn';

export interface LoadedIndex {
  /** every entry, all stages, in git's order. Do not mutate the entries; the array is the caller's. */
  entries: IndexEntry[];
  /** the index file's mtime in whole milliseconds (0 when there is no index). */
  mtimeMs: number;
  /** the index file's mtime in nanoseconds (0n when there is no index): entries not older are racily clean. */
  mtimeNs: bigint;
  /** identifies this version of the file; '' when there is no index. */
  stamp: string;
  /** the file's cache-tree (`TREE` extension), when it has one. Do not mutate. */
  cacheTree?: CacheTreeNode;
  /**
   * the entries are those of the `handed` bytes, each at its place in them (not merged with a split index's shared
   * index): what another thread read from those bytes lines up with them (statusLstat.ts).
   */
  fromHanded?: boolean;
}

interface Remembered {
  stamp: string;
  mtimeMs: number;
  mtimeNs: bigint;
  entries: IndexEntry[];
  cacheTree?: CacheTreeNode;
  /** the file's bytes, when `entries` are its own in its order (not merged with a split index's): see writeIndex. */
  bytes?: Buffer;
}

const MAX_REMEMBERED = 8;
const remembered = new Map<string, Remembered>();

/** Forgets every parsed index (processCaches.forgetProcessCaches). */
export function forgetParsedIndexes(): void {
  remembered.clear();
}

/** Identifies one version of an index file (mtime, size, inode, ctime). */
export function stampOf(st: BigIntStats): string {
  return `${st.mtimeNs}:${st.size}:${st.ino}:${st.ctimeNs}`;
}

function remember(gitdir: string, value: Remembered): void {
  remembered.delete(gitdir);
  remembered.set(gitdir, value);
  while (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
}

/**
 * The bytes of one version of an index file, read by another thread (StatusWorkerClient reads `.git/index` while the
 * status worker starts, and hands the bytes over): `stamp` (stampOf) is what the file had both before and after
 * the read, so the bytes are that version's.
 */
export interface IndexBytes {
  bytes: Uint8Array;
  stamp: string;
  /**
   * the reader found their trailing checksum right (indexFile.indexChecksumOk): the thread that parses them does
   * not compute it again (a new status worker would load crypto for it, and take a SHA-1 of the whole file, while
   * the extension host, where both are at hand, waits for the worker to start).
   */
  checked?: boolean;
}

/**
 * Reads `gitdir`'s index for handing to readIndex elsewhere (see IndexBytes), its checksum checked; undefined when
 * there is none, or when it changed during the read (the reader then reads it itself).
 */
export async function readIndexBytes(gitdir: string): Promise<IndexBytes | undefined> {
  const file = path.join(gitdir, 'index');
  try {
    const before = await fsp.stat(file, { bigint: true });
    const bytes = await fsp.readFile(file);
    const stamp = stampOf(before);
    return stampOf(await fsp.stat(file, { bigint: true })) === stamp ? { bytes, stamp, checked: indexChecksumOk(bytes) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The index of `gitdir`; entries [] when there is none; null when its format is not supported (split/sparse).
 * `handed`: the bytes of a version of the file read elsewhere (IndexBytes), taken instead of reading the file
 * when the file still has that version's stamp (else the file is read as usual). `blocking`: synchronous file
 * calls, for a thread with nothing else to do (the status worker): no thread-pool round trips, which on a busy
 * machine each wait their turn.
 */
export async function readIndex(gitdir: string, handed?: IndexBytes, blocking = false): Promise<LoadedIndex | null> {
  const file = path.join(gitdir, 'index');
  const statOf = (): Promise<BigIntStats> | BigIntStats => (blocking ? fs.statSync(file, { bigint: true }) : fsp.stat(file, { bigint: true }));
  let st: BigIntStats;
  try {
    st = await statOf();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], mtimeMs: 0, mtimeNs: BigInt(0), stamp: '' };
    throw err;
  }
  const stamp = stampOf(st);
  const known = remembered.get(gitdir);
  if (known && known.stamp === stamp) return { entries: [...known.entries], mtimeMs: known.mtimeMs, mtimeNs: known.mtimeNs, stamp, cacheTree: known.cacheTree };
  let buf: Buffer;
  let unchanged: boolean;
  let checked = false;
  if (handed && handed.stamp === stamp) {
    // the file has the stamp it had before and after the other thread's read: these are its bytes
    buf = Buffer.from(handed.bytes.buffer, handed.bytes.byteOffset, handed.bytes.byteLength);
    unchanged = true;
    checked = handed.checked === true;
  } else {
    buf = blocking ? fs.readFileSync(file) : await fsp.readFile(file);
    unchanged = stampOf(await statOf()) === stamp;
  }
  let idx: IndexFile | null;
  let verbatim = false;
  try {
    // (a split index is parsed again, merged with its shared index)
    const own = await parseIndexAsync(buf, checked, blocking);
    verbatim = own !== null && !own.link;
    idx = own?.link ? await parseIndexWithShared(buf, gitdir) : own;
  } catch (err) {
    if (err instanceof IndexCorruptError) throw corruptIndex(file, err.reason);
    throw err;
  }
  if (!idx) return null;
  const mtimeMs = Number(st.mtimeMs);
  const mtimeNs = st.mtimeNs;
  if (unchanged) remember(gitdir, { stamp, mtimeMs, mtimeNs, entries: idx.entries, cacheTree: idx.cacheTree, bytes: verbatim ? buf : undefined });
  const loaded: LoadedIndex = { entries: [...idx.entries], mtimeMs, mtimeNs, stamp, cacheTree: idx.cacheTree };
  if (verbatim && handed && buf.buffer === handed.bytes.buffer) loaded.fromHanded = true;
  return loaded;
}

/**
 * The error for a damaged index: what git would say, and how to get a working index back without touching the
 * files. (git's own status skips the checksum for speed and only `git fsck` checks it; Hammock checks it, about a
 * millisecond per 10,000 entries, because it commits what the index holds: a flipped bit in an oid would go into
 * history.)
 */
export function corruptIndex(file: string, reason: string): GitError {
  return new GitError(
    GitErrorCode.Unknown,
    `The git index (${file}) is damaged (${reason}); \`git fsck\` reports it as "index file corrupt" too. The files in the working tree are not affected: move the index file away and run \`git reset\` to rebuild it from HEAD (what was staged is unstaged).`,
  );
}

/**
 * What the entries written are, when the writer knows: exactly the tree `tree`, when the index before the write was
 * exactly `from` (null: no entries; undefined: whatever it was). A checkout of `to` from a clean index, a clone,
 * a reset.
 */
export interface ExactTree {
  tree: string;
  from?: string | null;
}

/**
 * Sorts `entries`, writes them as the new index through the held lock, and remembers them; returns the new file's
 * stamp. The index keeps a cache-tree (git's TREE extension) as git's own writes do: the one the replaced index had,
 * invalidated where entries changed; and the whole tree when `exact` says what it is (status and git then compare
 * HEAD with the index without hashing it).
 */
export async function writeIndex(lock: IndexLock, gitdir: string, entries: IndexEntry[], exact?: ExactTree): Promise<string> {
  const sorted = sortEntries(entries);
  const file = path.join(gitdir, 'index');
  // the version being replaced, when known: the remembered one if it is still the file (the writer read it under the lock)
  let previous: { entries: IndexEntry[]; cacheTree?: CacheTreeNode; bytes?: Buffer } | undefined;
  const st = await fsp.stat(file, { bigint: true }).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : undefined));
  if (st === null) previous = { entries: [] };
  else if (st) {
    const known = remembered.get(gitdir);
    if (known && known.stamp === stampOf(st)) previous = known;
  }
  let cacheTree = previous?.cacheTree ? carryCacheTree(previous.entries, previous.cacheTree, sorted) : undefined;
  if (exact && previous && sorted.every((e) => e.stage === 0 && !(e.extendedFlags & 0x2000)) && wasExactly(previous, exact.from)) {
    cacheTree = { entryCount: sorted.length, oid: exact.tree, children: cacheTree?.children ?? new Map() };
  }
  // a turn for the event loop between the two passes over every entry, and in the second every 8 ms (10,000 entries:
  // 10-15 ms for the cache tree, 7-40 ms to serialize on a busy 2-core machine: in one stretch they held a checkout's
  // event loop 30-60 ms). The entries carried over unchanged are copied from the bytes of the version replaced.
  if (sorted.length > 2000) await nextTurn();
  const bytes = await serializeIndexAsync(sorted, cacheTree, previous?.bytes ? { bytes: previous.bytes, entries: previous.entries } : undefined);
  await lock.commit(bytes);
  const after = await fsp.stat(file, { bigint: true });
  const stamp = stampOf(after);
  remember(gitdir, { stamp, mtimeMs: Number(after.mtimeMs), mtimeNs: after.mtimeNs, entries: sorted, cacheTree, bytes });
  return stamp;
}

/** Whether the index `previous` was exactly the tree `from` (null: no entries; undefined: anything). */
function wasExactly(previous: { entries: IndexEntry[]; cacheTree?: CacheTreeNode }, from: string | null | undefined): boolean {
  if (from === undefined) return true;
  if (from === null) return previous.entries.length === 0;
  const ct = previous.cacheTree;
  return ct !== undefined && ct.oid === from && ct.entryCount === previous.entries.length && previous.entries.every((e) => e.stage === 0 && !(e.extendedFlags & 0x2000));
}
