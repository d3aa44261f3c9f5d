// Parsed indexes, remembered per repository while the file stays the same (mtime, size and inode): a stage
// followed by a commit, or a status after a stage, parses a 10,000-entry index once instead of each time.
// Writes go through writeIndex, which records what it wrote.

import * as fsp from 'fs/promises';
import * as path from 'path';
import type { BigIntStats } from 'fs';
import { serializeIndex, sortEntries, type CacheTreeNode, type IndexEntry } from './indexFile';
import { parseIndexWithShared } from './plumbing/splitIndex';
import type { IndexLock } from './indexLock';

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
}

interface Remembered {
  stamp: string;
  mtimeMs: number;
  mtimeNs: bigint;
  entries: IndexEntry[];
  cacheTree?: CacheTreeNode;
}

const MAX_REMEMBERED = 8;
const remembered = new Map<string, Remembered>();

/** Identifies one version of an index file (mtime, size, inode, ctime). */
export function stampOf(st: BigIntStats): string {
  return `${st.mtimeNs}:${st.size}:${st.ino}:${st.ctimeNs}`;
}

function remember(gitdir: string, value: Remembered): void {
  remembered.delete(gitdir);
  remembered.set(gitdir, value);
  while (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
}

/** The index of `gitdir`; entries [] when there is none; null when its format is not supported (split/sparse). */
export async function readIndex(gitdir: string): Promise<LoadedIndex | null> {
  const file = path.join(gitdir, 'index');
  let st: BigIntStats;
  try {
    st = await fsp.stat(file, { bigint: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], mtimeMs: 0, mtimeNs: BigInt(0), stamp: '' };
    throw err;
  }
  const stamp = stampOf(st);
  const known = remembered.get(gitdir);
  if (known && known.stamp === stamp) return { entries: [...known.entries], mtimeMs: known.mtimeMs, mtimeNs: known.mtimeNs, stamp, cacheTree: known.cacheTree };
  const buf = await fsp.readFile(file);
  const after = await fsp.stat(file, { bigint: true });
  const idx = await parseIndexWithShared(buf, gitdir);
  if (!idx) return null;
  const mtimeMs = Number(st.mtimeMs);
  const mtimeNs = st.mtimeNs;
  if (stampOf(after) === stamp) remember(gitdir, { stamp, mtimeMs, mtimeNs, entries: idx.entries, cacheTree: idx.cacheTree });
  return { entries: [...idx.entries], mtimeMs, mtimeNs, stamp, cacheTree: idx.cacheTree };
}

/** Sorts `entries`, writes them as the new index through the held lock, and remembers them; returns the new file's stamp. */
export async function writeIndex(lock: IndexLock, gitdir: string, entries: IndexEntry[]): Promise<string> {
  const sorted = sortEntries(entries);
  await lock.commit(serializeIndex(sorted));
  const st = await fsp.stat(path.join(gitdir, 'index'), { bigint: true });
  const stamp = stampOf(st);
  remember(gitdir, { stamp, mtimeMs: Number(st.mtimeMs), mtimeNs: st.mtimeNs, entries: sorted });
  return stamp;
}
