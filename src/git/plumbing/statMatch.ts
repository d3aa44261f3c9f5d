// git's ie_match_stat: whether a working-tree file can be trusted to still hold what its index entry says without
// reading it. Everything git compares by default (core.checkStat=default): size, mtime and ctime, inode, uid and
// gid, the file type, the executable bit (unless core.fileMode=false); and the entry must not be "racily clean"
// (modified in the same instant the index was written, so its stat data proves nothing). A same-size edit whose
// mtime was put back (`cp -p`, `touch -r`, `rsync -t`, `tar x`, a restored backup) still changes ctime, so it is
// looked at.
// Times are compared to the microsecond from plain (number) stats: a bigint lstat costs 10,000 BigInts and their
// garbage per status, and a millisecond double holds a time to about 250 ns. Two times of one file within a
// microsecond that are not the same time can only come from one write racing the index's own (those entries are
// racy, and always read). Entries written with millisecond timestamps (isomorphic-git rounds to ms) are compared
// at that resolution.

import { constants, type BigIntStats, type Stats } from 'fs';
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

const U32 = 2 ** 32;
const { S_IFMT, S_IFREG, S_IFLNK } = constants;
/** one microsecond, in milliseconds. */
const MICROSECOND = 0.001;

export interface StatMatchOptions {
  /** core.fileMode (default true): compare the executable bit. */
  fileMode: boolean;
  /** the index file's mtime in milliseconds (with its fraction); entries not older than it are racy. 0: no index. */
  indexMtimeMs: number;
}

/** The index file's mtime as StatMatchOptions wants it, from its nanoseconds. */
export function indexMtimeMs(mtimeNs: bigint): number {
  return Number(mtimeNs / BigInt(1_000_000)) + Number(mtimeNs % BigInt(1_000_000)) / 1e6;
}

function entryMs(sec: number, nsec: number): number {
  return sec * 1000 + nsec / 1e6;
}

/** Whether a stat time (ms with fraction) is the entry's time (seconds and nanoseconds, seconds mod 2^32). */
function timeMatches(entrySec: number, entryNsec: number, statMs: number): boolean {
  // the index keeps seconds in 32 bits: compare in the stat's own 2^32-second period
  const period = Math.floor(statMs / 1000 / U32) * U32;
  const diff = statMs - entryMs(period + (entrySec >>> 0), entryNsec);
  if (Math.abs(diff) < MICROSECOND) return true;
  // an entry rounded to milliseconds (isomorphic-git): compare at that resolution
  return entryNsec % 1_000_000 === 0 && diff > 0 && diff < 1;
}

function modeOf(st: Stats | BigIntStats): number {
  return Number(st.mode);
}

/** The git mode of what lstat saw (file, executable file, symlink), or 0 for anything else. */
export function workMode(st: Stats | BigIntStats): number {
  if (st.isSymbolicLink()) return MODE_SYMLINK;
  if (!st.isFile()) return 0;
  return modeOf(st) & 0o111 ? MODE_EXEC : MODE_FILE;
}

/** The mode git would record for the file, given the entry's mode (core.fileMode=false keeps the entry's exec bit). */
export function effectiveMode(st: Stats | BigIntStats, entryMode: number, fileMode: boolean): number {
  const m = workMode(st);
  if (!fileMode && m !== MODE_SYMLINK && (entryMode === MODE_FILE || entryMode === MODE_EXEC)) return entryMode;
  return m;
}

export function matchStat(e: IndexEntry, st: Stats | null, options: StatMatchOptions): StatVerdict {
  if (!st) return StatVerdict.Gone;
  return matchStatValues(e, st.mode, st.size, st.mtimeMs, st.ctimeMs, st.ino, st.uid, st.gid, options);
}

/**
 * matchStat of an lstat's numbers (fs.Stats' fields of the same names) rather than a Stats object: the extension
 * host hands them over to a new status worker in a shared array (statusLstat.ts).
 */
export function matchStatValues(e: IndexEntry, stMode: number, size: number, mtimeMs: number, ctimeMs: number, ino: number, uid: number, gid: number, options: StatMatchOptions): StatVerdict {
  // (as Stats.isSymbolicLink and isFile test them)
  const type = stMode & S_IFMT;
  const mode = type === S_IFLNK ? MODE_SYMLINK : type !== S_IFREG ? 0 : stMode & 0o111 ? MODE_EXEC : MODE_FILE;
  if (mode === 0) return StatVerdict.Gone;
  if (e.mode === MODE_GITLINK) return StatVerdict.Check;
  if ((mode === MODE_SYMLINK) !== (e.mode === MODE_SYMLINK)) return StatVerdict.TypeChanged;
  if (options.fileMode && mode !== e.mode) return StatVerdict.Check;
  if (size % U32 !== e.size >>> 0) return StatVerdict.Check;
  if (!timeMatches(e.mtimeSeconds, e.mtimeNanoseconds, mtimeMs)) return StatVerdict.Check;
  if (!timeMatches(e.ctimeSeconds, e.ctimeNanoseconds, ctimeMs)) return StatVerdict.Check;
  // an inode number beyond 2^53 is not exact as a number: such a file is read
  if (ino > Number.MAX_SAFE_INTEGER || ino % U32 !== e.ino >>> 0) return StatVerdict.Check;
  if (uid % U32 !== e.uid >>> 0 || gid % U32 !== e.gid >>> 0) return StatVerdict.Check;
  // racily clean: written in the same instant as (or after) the index, so an edit may hide behind equal stats
  if (options.indexMtimeMs > 0 && entryMs(e.mtimeSeconds, e.mtimeNanoseconds) >= options.indexMtimeMs - MICROSECOND) return StatVerdict.Check;
  return StatVerdict.Clean;
}
