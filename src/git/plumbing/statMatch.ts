// git's ie_match_stat: whether a working-tree file can be trusted to still hold what its index entry says without
// reading it. Everything git compares by default (core.checkStat=default): size, mtime and ctime to the
// nanosecond, inode, uid and gid, the file type, the executable bit (unless core.fileMode=false); and the entry
// must not be "racily clean" (modified in the same instant the index was written, so its stat data proves
// nothing). A same-size edit whose mtime was put back (`cp -p`, `touch -r`, `rsync -t`, `tar x`, a restored
// backup) still changes ctime, so it is looked at.
// Entries written with millisecond timestamps (isomorphic-git rounds to ms) are compared at that resolution.

import type { BigIntStats } from 'fs';
import { MODE_EXEC, MODE_FILE, MODE_GITLINK, MODE_SYMLINK, type IndexEntry } from '../indexFile';

export enum StatVerdict {
  /** the stat data matches: the file holds the entry's content. */
  Clean,
  /** something differs (or the entry is racy): the content must be compared. */
  Check,
  /** file <-> symlink: a type change, whatever the content. */
  TypeChanged,
  /** not a file or symlink any more (missing, a directory). */
  Gone,
}

const NS = BigInt(1_000_000_000);
const MS = BigInt(1_000_000);
const U32 = BigInt(2 ** 32);

export interface StatMatchOptions {
  /** core.fileMode (default true): compare the executable bit. */
  fileMode: boolean;
  /** the index file's mtime in nanoseconds; entries not older than it are racy. 0n: no index. */
  indexMtimeNs: bigint;
}

function timeMatches(entrySec: number, entryNsec: number, statNs: bigint): boolean {
  const sec = statNs / NS;
  if (Number(sec % U32) !== entrySec >>> 0) return false;
  const nsec = statNs % NS;
  if (entryNsec % 1_000_000 === 0 && nsec % MS !== BigInt(0)) {
    // an entry rounded to milliseconds (isomorphic-git): compare at that resolution
    return nsec / MS === BigInt(entryNsec / 1_000_000);
  }
  return Number(nsec) === entryNsec;
}

/** The git mode of what lstat saw (file, executable file, symlink), or 0 for anything else. */
export function workMode(st: BigIntStats): number {
  if (st.isSymbolicLink()) return MODE_SYMLINK;
  if (!st.isFile()) return 0;
  return Number(st.mode) & 0o111 ? MODE_EXEC : MODE_FILE;
}

/** The mode git would record for the file, given the entry's mode (core.fileMode=false keeps the entry's exec bit). */
export function effectiveMode(st: BigIntStats, entryMode: number, fileMode: boolean): number {
  const m = workMode(st);
  if (!fileMode && m !== MODE_SYMLINK && (entryMode === MODE_FILE || entryMode === MODE_EXEC)) return entryMode;
  return m;
}

export function matchStat(e: IndexEntry, st: BigIntStats | null, options: StatMatchOptions): StatVerdict {
  if (!st) return StatVerdict.Gone;
  const mode = workMode(st);
  if (mode === 0) return StatVerdict.Gone;
  if (e.mode === MODE_GITLINK) return StatVerdict.Check;
  if ((mode === MODE_SYMLINK) !== (e.mode === MODE_SYMLINK)) return StatVerdict.TypeChanged;
  if (options.fileMode && mode !== e.mode) return StatVerdict.Check;
  if (Number(st.size % U32) !== e.size >>> 0) return StatVerdict.Check;
  if (!timeMatches(e.mtimeSeconds, e.mtimeNanoseconds, st.mtimeNs)) return StatVerdict.Check;
  if (!timeMatches(e.ctimeSeconds, e.ctimeNanoseconds, st.ctimeNs)) return StatVerdict.Check;
  if (Number(st.ino % U32) !== e.ino >>> 0) return StatVerdict.Check;
  if (Number(st.uid % U32) !== e.uid >>> 0 || Number(st.gid % U32) !== e.gid >>> 0) return StatVerdict.Check;
  // racily clean: written in the same instant as (or after) the index, so an edit may hide behind equal stats
  const entryNs = BigInt(e.mtimeSeconds) * NS + BigInt(e.mtimeNanoseconds);
  if (options.indexMtimeNs > BigInt(0) && entryNs >= options.indexMtimeNs) return StatVerdict.Check;
  return StatVerdict.Clean;
}
