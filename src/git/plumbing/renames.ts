// Rename detection as git's merge does it (diffcore-rename under merge-ort): among the files one side deleted and
// the files it added, first identical contents (exact renames; a source with the same base name preferred), then
// files with the same base name that are unique on both sides and at least 75% similar, then every remaining pair
// scored, best first, each source and destination used once, down to the 50% similarity `git merge` requires.
// Similarity is git's: contents cut into chunks at each newline (or every 64 bytes), hashed; the bytes of chunks
// both share, over the size of the larger file. Empty files are never renamed; only regular files are compared by
// similarity (symlinks and submodules only when identical).

import { isBinary } from './lineMerge';

export const MAX_SCORE = 60000;
/** `git merge`'s default: 50%. */
export const MINIMUM_SCORE = 30000;
const BASENAME_SCORE = MINIMUM_SCORE + Math.floor(0.5 * (MAX_SCORE - MINIMUM_SCORE));
const CANDIDATES_PER_DST = 4;
const HASHBASE = 107927;
/** merge.renameLimit's default: above this many sources or destinations, only exact renames. */
const RENAME_LIMIT = 7000;
const EMPTY_BLOB = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';

export interface RenameFile {
  path: string;
  oid: string;
  mode: number;
}

function isRegular(mode: number): boolean {
  return (mode & 0o170000) === 0o100000;
}

/** Bytes per chunk hash (sorted by hash), as git's similarity estimate counts them. */
export function chunkCounts(data: Buffer, text: boolean): Map<number, number> {
  const counts = new Map<number, number>();
  let n = 0;
  let accum1 = 0;
  let accum2 = 0;
  const add = (): void => {
    const hash = ((accum1 + Math.imul(accum2, 0x61)) >>> 0) % HASHBASE;
    counts.set(hash, (counts.get(hash) ?? 0) + n);
    n = 0;
    accum1 = 0;
    accum2 = 0;
  };
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (text && c === 13 && i + 1 < data.length && data[i + 1] === 10) continue; // CR of a CRLF
    const old1 = accum1;
    accum1 = ((accum1 << 7) ^ (accum2 >>> 25)) >>> 0;
    accum2 = ((accum2 << 7) ^ (old1 >>> 25)) >>> 0;
    accum1 = (accum1 + c) >>> 0;
    if (++n < 64 && c !== 10) continue;
    add();
  }
  if (n > 0) add();
  return counts;
}

/** git's similarity score (0..MAX_SCORE) of `src` renamed to `dst`; 0 when their sizes differ too much. */
export function similarity(src: Buffer, dst: Buffer, srcCounts?: Map<number, number>, dstCounts?: Map<number, number>, minimum = MINIMUM_SCORE): number {
  const max = Math.max(src.length, dst.length);
  const base = Math.min(src.length, dst.length);
  if (max * (MAX_SCORE - minimum) < (max - base) * MAX_SCORE) return 0;
  if (!dst.length) return 0;
  const s = srcCounts ?? chunkCounts(src, !isBinary(src));
  const d = dstCounts ?? chunkCounts(dst, !isBinary(dst));
  let copied = 0;
  for (const [hash, cnt] of s) copied += Math.min(cnt, d.get(hash) ?? 0);
  return Math.floor((copied * MAX_SCORE) / max);
}

/** 1 when both paths end in the same file name. */
function sameBasename(a: string, b: string): number {
  return a.slice(a.lastIndexOf('/') + 1) === b.slice(b.lastIndexOf('/') + 1) ? 1 : 0;
}

interface Score {
  dst: number;
  src: number;
  score: number;
  nameScore: number;
}

/** git's order of candidate pairs: unused last, then higher score, then same base name. */
function compareScores(a: Score, b: Score): number {
  if (a.dst < 0) return b.dst >= 0 ? 1 : 0;
  if (b.dst < 0) return -1;
  if (a.score === b.score) return b.nameScore - a.nameScore;
  return b.score - a.score;
}

function recordIfBetter(m: Score[], o: Score): void {
  let worst = 0;
  for (let i = 1; i < CANDIDATES_PER_DST; i++) if (compareScores(m[i], m[worst]) > 0) worst = i;
  if (compareScores(m[worst], o) > 0) m[worst] = o;
}

/**
 * The renames among `sources` (deleted on one side) and `dests` (added on that side), as source path -> dest path.
 * `relevant(source)`: whether the merge needs to know where that source went when it is not identical to a
 * destination (merge-ort only looks for inexact renames of files the other side changed).
 */
export async function detectRenames(
  sources: RenameFile[],
  dests: RenameFile[],
  read: (oid: string) => Promise<Buffer>,
  relevant: (source: string) => boolean = () => true,
): Promise<Map<string, string>> {
  const byPath = (a: RenameFile, b: RenameFile): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const src = [...sources].sort(byPath);
  const dst = dests.filter((d) => d.oid !== EMPTY_BLOB).sort(byPath);
  const srcUsed = new Array<boolean>(src.length).fill(false);
  const dstDone = new Array<boolean>(dst.length).fill(false);
  const result = new Map<string, string>();
  const pair = (d: number, s: number): void => {
    dstDone[d] = true;
    srcUsed[s] = true;
    result.set(src[s].path, dst[d].path);
  };
  // 1. identical contents
  const byOid = new Map<string, number[]>();
  src.forEach((f, i) => {
    const list = byOid.get(f.oid) ?? [];
    list.push(i);
    byOid.set(f.oid, list);
  });
  for (let d = 0; d < dst.length; d++) {
    const target = dst[d];
    let best = -1;
    let bestScore = -1;
    let tries = 100;
    for (const s of byOid.get(target.oid) ?? []) {
      const source = src[s];
      if ((!isRegular(source.mode) || !isRegular(target.mode)) && source.mode !== target.mode) continue;
      if (srcUsed[s]) continue;
      const score = 1 + sameBasename(source.path, target.path);
      if (score > bestScore) {
        best = s;
        bestScore = score;
        if (score === 2) break;
      }
      if (!--tries) break;
    }
    if (best >= 0) pair(d, best);
  }
  const remainingSrc = src.map((_, i) => i).filter((i) => !srcUsed[i]);
  const remainingDst = dst.map((_, i) => i).filter((i) => !dstDone[i]);
  if (!remainingSrc.length || !remainingDst.length) return result;
  if (remainingSrc.length > RENAME_LIMIT || remainingDst.length > RENAME_LIMIT) return result;
  const contents = new Map<string, { data: Buffer; counts?: Map<number, number> }>();
  const content = async (f: RenameFile): Promise<{ data: Buffer; counts: Map<number, number> }> => {
    let c = contents.get(f.oid);
    if (!c) {
      c = { data: await read(f.oid) };
      contents.set(f.oid, c);
    }
    c.counts ??= chunkCounts(c.data, !isBinary(c.data));
    return c as { data: Buffer; counts: Map<number, number> };
  };
  const score = async (s: number, d: number, minimum: number): Promise<number> => {
    if (!isRegular(src[s].mode) || !isRegular(dst[d].mode)) return 0;
    const a = await content(src[s]);
    const b = await content(dst[d]);
    return similarity(a.data, b.data, a.counts, b.counts, minimum);
  };
  // 2. same base name, unique among the remaining sources and among the remaining destinations
  const baseOf = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
  const uniqueBy = (indexes: number[], files: RenameFile[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const i of indexes) {
      const b = baseOf(files[i].path);
      m.set(b, m.has(b) ? -1 : i);
    }
    return m;
  };
  const srcNames = uniqueBy(remainingSrc, src);
  const dstNames = uniqueBy(remainingDst, dst);
  for (const s of remainingSrc) {
    if (!relevant(src[s].path)) continue;
    const name = baseOf(src[s].path);
    if (srcNames.get(name) !== s) continue;
    const d = dstNames.get(name);
    if (d === undefined || d < 0 || dstDone[d]) continue;
    const sc = await score(s, d, BASENAME_SCORE);
    if (sc < BASENAME_SCORE) continue;
    pair(d, s);
  }
  // 3. every remaining pair, best scores first
  const sourcesLeft = remainingSrc.filter((s) => !srcUsed[s] && relevant(src[s].path));
  if (!sourcesLeft.length) return result;
  const matrix: Score[] = [];
  for (const d of remainingDst) {
    if (dstDone[d]) continue;
    const m: Score[] = Array.from({ length: CANDIDATES_PER_DST }, () => ({ dst: -1, src: -1, score: 0, nameScore: 0 }));
    for (const s of sourcesLeft) {
      recordIfBetter(m, { dst: d, src: s, score: await score(s, d, MINIMUM_SCORE), nameScore: sameBasename(src[s].path, dst[d].path) });
    }
    matrix.push(...m);
  }
  // a stable sort, as git's
  const order = matrix.map((m, i) => ({ m, i }));
  order.sort((x, y) => compareScores(x.m, y.m) || x.i - y.i);
  for (const { m } of order) {
    if (m.dst < 0 || m.score < MINIMUM_SCORE) break;
    if (dstDone[m.dst] || srcUsed[m.src]) continue;
    pair(m.dst, m.src);
  }
  return result;
}
