// What the store remembers of each file it read: its identity on disk (size, times, inode) and what it parsed to,
// so that a file event for a file whose identity did not change (the echo of the store's own write, a `touch` of
// nothing) costs one `stat`, and a file whose bytes did not change is never parsed again.

import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import * as crypto from 'node:crypto';
import type { LegacyEntry } from './formats/legacy';
import type { V5FileResult } from './formats/v5';
import type { PieceCache } from './formats/v5Pieces';
import type { Problem } from './model';

/** A file's identity as `stat` gives it: what git's `ie_match_stat` compares, less the owner. */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly dev: number;
}

export function stampOf(st: Stats): FileStamp {
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, dev: st.dev };
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return !!a && !!b && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.dev === b.dev;
}

/** sha1 of a text's UTF-8 bytes, hex. */
export function hashText(text: string | Buffer): string {
  return crypto.hash ? crypto.hash('sha1', text) : crypto.createHash('sha1').update(text).digest('hex');
}

/** One legacy `.insomnia/<Type>/<id>.yml` file: the document it holds, or why it holds none. */
export interface LegacyFileState {
  readonly stamp: FileStamp;
  /**
   * the content's hash, when known (the store's own writes and re-reads record it): a file whose identity changed but
   * whose bytes hash the same is not parsed again. Not computed on the first read of a folder (10,000 hashes there
   * would cost what they save).
   */
  readonly hash?: string;
  readonly entry?: LegacyEntry;
  readonly problem?: Problem;
}

/**
 * One Insomnia v5 file (broken ones too: then `result` has the problem and no collection). Its content is recognised
 * by the text itself, which the state keeps anyway (a hash would only stand for it).
 */
export interface V5FileState {
  readonly stamp: FileStamp;
  /** the text it was parsed from (edits are planned on it while the file's stamp has not changed). */
  readonly text: string;
  /** its parsed pieces, for the next parse of this file. */
  readonly pieces: PieceCache;
  readonly result: V5FileResult;
}

/** Reads a whole file with its stamp (one open, fstat, read, close: what `readFileSync` does, keeping the stat). */
export function readWithStamp(file: string): { text: string; stamp: FileStamp } {
  const fd = openSync(file, 'r');
  try {
    const st = fstatSync(fd);
    const buf = Buffer.allocUnsafe(st.size);
    return { text: buf.toString('utf8', 0, readRest(fd, buf, 0)), stamp: stampOf(st) };
  } finally {
    closeSync(fd);
  }
}

/** Reads an open file into `buf` from byte `from` until `buf` is full or the file ends; returns the bytes in `buf`. */
export function readRest(fd: number, buf: Buffer, from: number): number {
  let offset = from;
  while (offset < buf.length) {
    const n = readSync(fd, buf, offset, buf.length - offset, offset);
    if (n === 0) break; // shrank while we read
    offset += n;
  }
  return offset;
}

export function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
