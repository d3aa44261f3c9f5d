// git's line-level three-way merge, so that a merge Hammock completes gives the bytes `git merge` gives, and one git
// reports as a conflict is one here too. An independent implementation of what git's merge (xdiff, as merge-ort
// calls it) does, checked byte for byte against `git merge-tree` and `git diff` in test/unit/git/lineMerge.test.ts:
//  - each side is diffed against the base with the histogram diff (merge-ort's algorithm: the longest run of equal
//    lines around the lines that occur least often anchors each region, the parts around it are diffed the same
//    way); a region whose common lines all occur too often goes to Myers' diff as git runs it (equal lines at both
//    ends trimmed, lines that occur nowhere in the other file set aside, frequent ones among those too, then the
//    linear-space O(ND) search with its cut-offs for costly diffs); then every group of changed lines is slid down
//    as far as it goes, or back up to line up with a change of the other file;
//  - hunks of the two sides that overlap or touch conflict; a conflict is refined by diffing the two sides' text,
//    so only the lines that differ are inside markers (identical changes are no conflict at all), and conflicts
//    at most three lines apart are joined; markers end in CRLF where the file's lines do;
//  - a file with a NUL in its first 8000 bytes is binary: any change on both sides is a conflict, ours is kept
//    (the base, when building a virtual merge base).

export interface LineMergeOptions {
  /** after `<<<<<<<` (ours) and `>>>>>>>` (theirs). */
  oursLabel?: string;
  theirsLabel?: string;
  /** conflict marker length (7; git adds 2 per level of a recursive merge's virtual base). */
  markerSize?: number;
  /** merging to build a virtual merge base: a binary conflict keeps the base. */
  virtualAncestor?: boolean;
}

export interface LineMergeOutcome {
  /** number of conflict hunks (0: a clean merge). */
  conflicts: number;
  /** the merged content, with conflict markers where the sides conflict. */
  result: Buffer;
  binary: boolean;
}

const LINE_MAX = 2 ** 31 - 1;
const SNAKE_CNT = 20;
const HEUR_MIN_COST = 256;
const MAX_COST_MIN = 256;
const K_HEUR = 4;
const MAX_EQLIMIT = 1024;
const SIMSCAN_WINDOW = 100;
const KPDIS_RUN = 4;

/** Splits content into lines, each with its `\n` (the last one may have none). */
export function splitLines(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(10, start);
    if (nl < 0) break;
    out.push(buf.subarray(start, nl + 1));
    start = nl + 1;
  }
  if (start < buf.length) out.push(buf.subarray(start));
  return out;
}

export function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8000).includes(0);
}

/** One side of a diff: its lines, their equivalence classes, and which lines changed. */
interface DiffFile {
  recs: Buffer[];
  /** class of each line (equal lines, equal class). */
  cls: Int32Array;
  /** changed-line flags, offset by one so that index -1 and nrec are valid (always 0). */
  chg: Uint8Array;
}

function isChanged(f: DiffFile, i: number): boolean {
  return f.chg[i + 1] === 1;
}

function setChanged(f: DiffFile, i: number, v: 0 | 1): void {
  f.chg[i + 1] = v;
}

/** git's rough square root: 2^ceil(log4(n + 1)). */
function roughSqrt(n: number): number {
  let i = 1;
  while (n > 0) {
    i <<= 1;
    n >>= 2;
  }
  return i;
}

interface Split {
  i1: number;
  i2: number;
  minLo: boolean;
  minHi: boolean;
}

/** The search state of one diff (Myers' forward and backward diagonals). */
class Searcher {
  private readonly fwd: Int32Array;
  private readonly bwd: Int32Array;
  private readonly base: number;
  private readonly maxCost: number;

  constructor(
    private readonly a: Int32Array,
    private readonly b: Int32Array,
  ) {
    const diags = a.length + b.length + 3;
    this.fwd = new Int32Array(2 * diags + 2);
    this.bwd = new Int32Array(2 * diags + 2);
    this.base = b.length + 1 + 1;
    this.maxCost = Math.max(roughSqrt(diags), MAX_COST_MIN);
  }

  /** Finds where to split the box [off1, lim1) x [off2, lim2): the middle of a (nearly) shortest edit path. */
  private split(off1: number, lim1: number, off2: number, lim2: number, needMin: boolean): Split {
    const { a, b, fwd, bwd } = this;
    const o = this.base;
    const dmin = off1 - lim2;
    const dmax = lim1 - off2;
    const fmid = off1 - off2;
    const bmid = lim1 - lim2;
    const odd = ((fmid - bmid) & 1) !== 0;
    let fmin = fmid;
    let fmax = fmid;
    let bmin = bmid;
    let bmax = bmid;
    fwd[o + fmid] = off1;
    bwd[o + bmid] = lim1;
    for (let ec = 1; ; ec++) {
      let gotSnake = false;
      if (fmin > dmin) fwd[o + --fmin - 1] = -1;
      else ++fmin;
      if (fmax < dmax) fwd[o + ++fmax + 1] = -1;
      else --fmax;
      for (let d = fmax; d >= fmin; d -= 2) {
        let i1 = fwd[o + d - 1] >= fwd[o + d + 1] ? fwd[o + d - 1] + 1 : fwd[o + d + 1];
        const prev = i1;
        let i2 = i1 - d;
        while (i1 < lim1 && i2 < lim2 && a[i1] === b[i2]) {
          i1++;
          i2++;
        }
        if (i1 - prev > SNAKE_CNT) gotSnake = true;
        fwd[o + d] = i1;
        if (odd && bmin <= d && d <= bmax && bwd[o + d] <= i1) return { i1, i2, minLo: true, minHi: true };
      }
      if (bmin > dmin) bwd[o + --bmin - 1] = LINE_MAX;
      else ++bmin;
      if (bmax < dmax) bwd[o + ++bmax + 1] = LINE_MAX;
      else --bmax;
      for (let d = bmax; d >= bmin; d -= 2) {
        let i1 = bwd[o + d - 1] < bwd[o + d + 1] ? bwd[o + d - 1] : bwd[o + d + 1] - 1;
        const prev = i1;
        let i2 = i1 - d;
        while (i1 > off1 && i2 > off2 && a[i1 - 1] === b[i2 - 1]) {
          i1--;
          i2--;
        }
        if (prev - i1 > SNAKE_CNT) gotSnake = true;
        bwd[o + d] = i1;
        if (!odd && fmin <= d && d <= fmax && i1 <= fwd[o + d]) return { i1, i2, minLo: true, minHi: true };
      }
      if (needMin) continue;
      // a costly diff: settle for a long enough snake far from the corners...
      if (gotSnake && ec > HEUR_MIN_COST) {
        let best = 0;
        let found: Split | undefined;
        for (let d = fmax; d >= fmin; d -= 2) {
          const dd = d > fmid ? d - fmid : fmid - d;
          const i1 = fwd[o + d];
          const i2 = i1 - d;
          const v = i1 - off1 + (i2 - off2) - dd;
          if (v > K_HEUR * ec && v > best && off1 + SNAKE_CNT <= i1 && i1 < lim1 && off2 + SNAKE_CNT <= i2 && i2 < lim2) {
            for (let k = 1; a[i1 - k] === b[i2 - k]; k++) {
              if (k === SNAKE_CNT) {
                best = v;
                found = { i1, i2, minLo: true, minHi: false };
                break;
              }
            }
          }
        }
        if (found) return found;
        best = 0;
        for (let d = bmax; d >= bmin; d -= 2) {
          const dd = d > bmid ? d - bmid : bmid - d;
          const i1 = bwd[o + d];
          const i2 = i1 - d;
          const v = lim1 - i1 + (lim2 - i2) - dd;
          if (v > K_HEUR * ec && v > best && off1 < i1 && i1 <= lim1 - SNAKE_CNT && off2 < i2 && i2 <= lim2 - SNAKE_CNT) {
            for (let k = 0; a[i1 + k] === b[i2 + k]; k++) {
              if (k === SNAKE_CNT - 1) {
                best = v;
                found = { i1, i2, minLo: false, minHi: true };
                break;
              }
            }
          }
        }
        if (found) return found;
      }
      // ...or, past the cost limit, for the furthest-reaching path
      if (ec >= this.maxCost) {
        let fbest = -1;
        let fbest1 = -1;
        for (let d = fmax; d >= fmin; d -= 2) {
          let i1 = Math.min(fwd[o + d], lim1);
          let i2 = i1 - d;
          if (lim2 < i2) {
            i1 = lim2 + d;
            i2 = lim2;
          }
          if (fbest < i1 + i2) {
            fbest = i1 + i2;
            fbest1 = i1;
          }
        }
        let bbest = LINE_MAX;
        let bbest1 = LINE_MAX;
        for (let d = bmax; d >= bmin; d -= 2) {
          let i1 = Math.max(off1, bwd[o + d]);
          let i2 = i1 - d;
          if (i2 < off2) {
            i1 = off2 + d;
            i2 = off2;
          }
          if (i1 + i2 < bbest) {
            bbest = i1 + i2;
            bbest1 = i1;
          }
        }
        if (lim1 + lim2 - bbest < fbest - (off1 + off2)) return { i1: fbest1, i2: fbest - fbest1, minLo: true, minHi: false };
        return { i1: bbest1, i2: bbest - bbest1, minLo: false, minHi: true };
      }
    }
  }

  /** Marks the changed lines of the box in `mark1` / `mark2` (indexes into a and b). */
  compare(off1: number, lim1: number, off2: number, lim2: number, needMin: boolean, mark1: (i: number) => void, mark2: (i: number) => void): void {
    const { a, b } = this;
    // iterative over a stack of boxes (deep recursion on long files would overflow)
    const stack: [number, number, number, number, boolean][] = [[off1, lim1, off2, lim2, needMin]];
    while (stack.length) {
      let [o1, l1, o2, l2, nm] = stack.pop()!;
      while (o1 < l1 && o2 < l2 && a[o1] === b[o2]) {
        o1++;
        o2++;
      }
      while (o1 < l1 && o2 < l2 && a[l1 - 1] === b[l2 - 1]) {
        l1--;
        l2--;
      }
      if (o1 === l1) {
        for (; o2 < l2; o2++) mark2(o2);
      } else if (o2 === l2) {
        for (; o1 < l1; o1++) mark1(o1);
      } else {
        const s = this.split(o1, l1, o2, l2, nm);
        // the lower box first, as a recursion would
        stack.push([s.i1, l1, s.i2, l2, s.minHi]);
        stack.push([o1, s.i1, o2, s.i2, s.minLo]);
      }
    }
  }
}

/** Groups of changed lines in `f`, kept in step with the same-numbered group of the other file `g`. */
interface Group {
  start: number;
  end: number;
}

function groupInit(f: DiffFile): Group {
  const g = { start: 0, end: 0 };
  while (isChanged(f, g.end)) g.end++;
  return g;
}

function groupNext(f: DiffFile, g: Group): boolean {
  if (g.end === f.recs.length) return false;
  g.start = g.end + 1;
  g.end = g.start;
  while (isChanged(f, g.end)) g.end++;
  return true;
}

function groupPrevious(f: DiffFile, g: Group): boolean {
  if (g.start === 0) return false;
  g.end = g.start - 1;
  g.start = g.end;
  while (isChanged(f, g.start - 1)) g.start--;
  return true;
}

function slideDown(f: DiffFile, g: Group): boolean {
  if (g.end < f.recs.length && f.cls[g.start] === f.cls[g.end]) {
    setChanged(f, g.start++, 0);
    setChanged(f, g.end++, 1);
    while (isChanged(f, g.end)) g.end++;
    return true;
  }
  return false;
}

function slideUp(f: DiffFile, g: Group): boolean {
  if (g.start > 0 && f.cls[g.start - 1] === f.cls[g.end - 1]) {
    setChanged(f, --g.start, 1);
    setChanged(f, --g.end, 0);
    while (isChanged(f, g.start - 1)) g.start--;
    return true;
  }
  return false;
}

/** Slides each group of changes down as far as it goes, or back up to line up with a change in `other`. */
function compact(f: DiffFile, other: DiffFile): void {
  const g = groupInit(f);
  const go = groupInit(other);
  for (;;) {
    if (g.end !== g.start) {
      let size: number;
      let earliestEnd: number;
      let endMatchingOther: number;
      do {
        size = g.end - g.start;
        endMatchingOther = -1;
        while (slideUp(f, g)) {
          if (!groupPrevious(other, go)) throw new Error('diff groups out of step');
        }
        earliestEnd = g.end;
        if (go.end > go.start) endMatchingOther = g.end;
        for (;;) {
          if (!slideDown(f, g)) break;
          if (!groupNext(other, go)) throw new Error('diff groups out of step');
          if (go.end > go.start) endMatchingOther = g.end;
        }
      } while (size !== g.end - g.start);
      if (g.end !== earliestEnd && endMatchingOther !== -1) {
        while (go.end === go.start) {
          if (!slideUp(f, g)) throw new Error('diff groups out of step');
          if (!groupPrevious(other, go)) throw new Error('diff groups out of step');
        }
      }
    }
    if (!groupNext(f, g)) break;
    if (!groupNext(other, go)) throw new Error('diff groups out of step');
  }
}

export interface Hunk {
  /** first line in the first file, and how many lines of it changed. */
  i1: number;
  chg1: number;
  /** the same in the second file. */
  i2: number;
  chg2: number;
}

export interface LineDiff {
  a: DiffFile;
  b: DiffFile;
  hunks: Hunk[];
}

/** Whether a line with many equals in the other file is dropped from the search (it sits among unmatched lines). */
function dropMultimatch(dis: Uint8Array, i: number, s: number, e: number): boolean {
  if (i - s > SIMSCAN_WINDOW) s = i - SIMSCAN_WINDOW;
  if (e - i > SIMSCAN_WINDOW) e = i + SIMSCAN_WINDOW;
  let none = 0;
  let many = 1;
  for (let r = 1; i - r >= s; r++) {
    if (dis[i - r] === 0) none++;
    else if (dis[i - r] === 2) many++;
    else break;
  }
  if (none === 0) return false;
  let noneAfter = 0;
  let manyAfter = 1;
  for (let r = 1; i + r <= e; r++) {
    if (dis[i + r] === 0) noneAfter++;
    else if (dis[i + r] === 2) manyAfter++;
    else break;
  }
  if (noneAfter === 0) return false;
  noneAfter += none;
  manyAfter += many;
  return manyAfter * KPDIS_RUN < manyAfter + noneAfter;
}

/** Equivalence classes of the lines of two files (equal lines, equal class) and each class's count per file. */
function classify(aRecs: Buffer[], bRecs: Buffer[]): { a: Int32Array; b: Int32Array; countA: number[]; countB: number[] } {
  const classes = new Map<string, number>();
  const countA: number[] = [];
  const countB: number[] = [];
  const run = (recs: Buffer[], mine: number[], other: number[]): Int32Array => {
    const out = new Int32Array(recs.length);
    for (let i = 0; i < recs.length; i++) {
      const key = recs[i].toString('latin1');
      let c = classes.get(key);
      if (c === undefined) {
        c = classes.size;
        classes.set(key, c);
        mine.push(0);
        other.push(0);
      }
      mine[c]++;
      out[i] = c;
    }
    return out;
  };
  const a = run(aRecs, countA, countB);
  const b = run(bRecs, countB, countA);
  return { a, b, countA, countB };
}

/**
 * Myers' diff of two files as git runs it: equal lines at both ends trimmed, lines without an equal in the other
 * file set aside as changed (and very frequent ones among those), the rest searched. Returns the changed-line
 * flags of each file.
 */
function myersChanges(aRecs: Buffer[], bRecs: Buffer[]): { a: Uint8Array; b: Uint8Array } {
  const { a: clsA, b: clsB, countA, countB } = classify(aRecs, bRecs);
  const chgA = new Uint8Array(aRecs.length);
  const chgB = new Uint8Array(bRecs.length);
  const lim = Math.min(aRecs.length, bRecs.length);
  let start = 0;
  while (start < lim && clsA[start] === clsB[start]) start++;
  let tail = 0;
  while (tail < lim - start && clsA[aRecs.length - 1 - tail] === clsB[bRecs.length - 1 - tail]) tail++;
  const keep = (cls: Int32Array, chg: Uint8Array, end: number, otherCounts: number[]): { index: number[]; cls: Int32Array } => {
    const mlim = Math.min(roughSqrt(cls.length), MAX_EQLIMIT);
    const dis = new Uint8Array(cls.length);
    for (let i = start; i <= end; i++) {
      const nm = otherCounts[cls[i]];
      dis[i] = nm === 0 ? 0 : nm >= mlim ? 2 : 1;
    }
    const index: number[] = [];
    for (let i = start; i <= end; i++) {
      if (dis[i] === 1 || (dis[i] === 2 && !dropMultimatch(dis, i, start, end))) index.push(i);
      else chg[i] = 1;
    }
    return { index, cls: Int32Array.from(index, (i) => cls[i]) };
  };
  const k1 = keep(clsA, chgA, aRecs.length - tail - 1, countB);
  const k2 = keep(clsB, chgB, bRecs.length - tail - 1, countA);
  new Searcher(k1.cls, k2.cls).compare(
    0,
    k1.cls.length,
    0,
    k2.cls.length,
    false,
    (i) => (chgA[k1.index[i]] = 1),
    (i) => (chgB[k2.index[i]] = 1),
  );
  return { a: chgA, b: chgB };
}

const HISTOGRAM_MAX_CHAIN = 64;

/**
 * The histogram diff (merge-ort's algorithm): in each region, the longest run of equal lines built around the
 * lines that occur least often in the first file becomes the anchor; the parts before and after it are diffed the
 * same way; a region whose common lines all occur too often goes to Myers. Marks changed lines in `chgA`/`chgB`.
 */
function histogramChanges(aRecs: Buffer[], bRecs: Buffer[]): { a: Uint8Array; b: Uint8Array } {
  const { a: A, b: B } = classify(aRecs, bRecs);
  const chgA = new Uint8Array(aRecs.length);
  const chgB = new Uint8Array(bRecs.length);
  // regions as 1-based first lines and counts; marking does not depend on the order they are done in
  const regions: [number, number, number, number][] = [[1, aRecs.length, 1, bRecs.length]];
  while (regions.length) {
    let [line1, count1, line2, count2] = regions.pop()!;
    for (;;) {
      if (count1 <= 0 && count2 <= 0) break;
      if (!count1) {
        for (let k = 0; k < count2; k++) chgB[line2 - 1 + k] = 1;
        break;
      }
      if (!count2) {
        for (let k = 0; k < count1; k++) chgA[line1 - 1 + k] = 1;
        break;
      }
      const lcs = longestCommon(A, B, line1, count1, line2, count2);
      if (lcs === 'fallback') {
        const sub = myersChanges(aRecs.slice(line1 - 1, line1 - 1 + count1), bRecs.slice(line2 - 1, line2 - 1 + count2));
        chgA.set(sub.a, line1 - 1);
        chgB.set(sub.b, line2 - 1);
        break;
      }
      if (!lcs) {
        for (let k = 0; k < count1; k++) chgA[line1 - 1 + k] = 1;
        for (let k = 0; k < count2; k++) chgB[line2 - 1 + k] = 1;
        break;
      }
      regions.push([line1, lcs.begin1 - line1, line2, lcs.begin2 - line2]);
      const end1 = line1 + count1 - 1;
      const end2 = line2 + count2 - 1;
      count1 = end1 - lcs.end1;
      line1 = lcs.end1 + 1;
      count2 = end2 - lcs.end2;
      line2 = lcs.end2 + 1;
    }
  }
  return { a: chgA, b: chgB };
}

/** The histogram anchor of a region (1-based, inclusive ends), none (null), or 'fallback' to Myers. */
function longestCommon(A: Int32Array, B: Int32Array, line1: number, count1: number, line2: number, count2: number): { begin1: number; end1: number; begin2: number; end2: number } | null | 'fallback' {
  const end1 = line1 + count1 - 1;
  const end2 = line2 + count2 - 1;
  // occurrences of each line class in the first file's region: first position, count, and a next-position chain
  const next = new Int32Array(count1);
  const records = new Map<number, { ptr: number; cnt: number }>();
  for (let ptr = end1; ptr >= line1; ptr--) {
    const rec = records.get(A[ptr - 1]);
    if (rec) {
      next[ptr - line1] = rec.ptr;
      rec.ptr = ptr;
      rec.cnt++;
    } else records.set(A[ptr - 1], { ptr, cnt: 1 });
  }
  const countAt = (ptr: number): number => records.get(A[ptr - 1])!.cnt;
  let cnt = HISTOGRAM_MAX_CHAIN + 1;
  let hasCommon = false;
  let best = { begin1: 0, end1: 0, begin2: 0, end2: 0 };
  for (let bPtr = line2; bPtr <= end2; ) {
    let bNext = bPtr + 1;
    const rec = records.get(B[bPtr - 1]);
    if (rec) {
      hasCommon = true;
      if (rec.cnt <= cnt) {
        let as = rec.ptr;
        search: for (;;) {
          let np = next[as - line1];
          let bs = bPtr;
          let ae = as;
          let be = bs;
          let rc = rec.cnt;
          while (line1 < as && line2 < bs && A[as - 2] === B[bs - 2]) {
            as--;
            bs--;
            if (1 < rc) rc = Math.min(rc, countAt(as));
          }
          while (ae < end1 && be < end2 && A[ae] === B[be]) {
            ae++;
            be++;
            if (1 < rc) rc = Math.min(rc, countAt(ae));
          }
          if (bNext <= be) bNext = be + 1;
          if (best.end1 - best.begin1 < ae - as || rc < cnt) {
            best = { begin1: as, end1: ae, begin2: bs, end2: be };
            cnt = rc;
          }
          if (np === 0) break;
          while (np <= ae) {
            np = next[np - line1];
            if (np === 0) break search;
          }
          as = np;
        }
      }
    }
    bPtr = bNext;
  }
  if (hasCommon && HISTOGRAM_MAX_CHAIN < cnt) return 'fallback';
  return best.begin1 === 0 && best.begin2 === 0 ? null : best;
}

export type DiffAlgorithm = 'histogram' | 'myers';

/** Diffs two lists of lines as git does (histogram: as merge-ort does; myers: as `git diff` without heuristics). */
export function diffLines(aRecs: Buffer[], bRecs: Buffer[], algorithm: DiffAlgorithm = 'histogram'): LineDiff {
  const { a: clsA, b: clsB } = classify(aRecs, bRecs);
  const marks = algorithm === 'histogram' ? histogramChanges(aRecs, bRecs) : myersChanges(aRecs, bRecs);
  const a: DiffFile = { recs: aRecs, cls: clsA, chg: new Uint8Array(aRecs.length + 2) };
  const b: DiffFile = { recs: bRecs, cls: clsB, chg: new Uint8Array(bRecs.length + 2) };
  a.chg.set(marks.a, 1);
  b.chg.set(marks.b, 1);
  compact(a, b);
  compact(b, a);
  // the edit script: groups of changes, first to last
  const hunks: Hunk[] = [];
  let i1 = aRecs.length;
  let i2 = bRecs.length;
  while (i1 >= 0 || i2 >= 0) {
    if (isChanged(a, i1 - 1) || isChanged(b, i2 - 1)) {
      const l1 = i1;
      const l2 = i2;
      while (isChanged(a, i1 - 1)) i1--;
      while (isChanged(b, i2 - 1)) i2--;
      hunks.push({ i1, chg1: l1 - i1, i2, chg2: l2 - i2 });
    }
    i1--;
    i2--;
  }
  hunks.reverse();
  return { a, b, hunks };
}

/** One region of the merge: taken from ours (1), from theirs (2), identical on both (4), or a conflict (0). */
interface Region {
  mode: number;
  i0: number;
  chg0: number;
  i1: number;
  chg1: number;
  i2: number;
  chg2: number;
}

function appendRegion(list: Region[], mode: number, i0: number, chg0: number, i1: number, chg1: number, i2: number, chg2: number): void {
  const m = list[list.length - 1];
  if (m && (i1 <= m.i1 + m.chg1 || i2 <= m.i2 + m.chg2)) {
    if (mode !== m.mode) m.mode = 0;
    m.chg0 = i0 + chg0 - m.i0;
    m.chg1 = i1 + chg1 - m.i1;
    m.chg2 = i2 + chg2 - m.i2;
  } else list.push({ mode, i0, chg0, i1, chg1, i2, chg2 });
}

function sameLines(x: Buffer[], i: number, y: Buffer[], j: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (!x[i + k].equals(y[j + k])) return false;
  return true;
}

/** Whether line i of `recs` ends in CRLF; -1 when that cannot be told (no such line, or no end of line at all). */
function eolIsCrlf(recs: Buffer[], i: number): number {
  const n = recs.length;
  const crlf = (r: Buffer): number => (r.length > 1 && r[r.length - 2] === 13 ? 1 : 0);
  if (i < n - 1) return crlf(recs[i]);
  if (n === 0) return -1;
  const last = recs[i];
  if (last.length && last[last.length - 1] === 10) return crlf(last);
  if (i === 0) return -1;
  return crlf(recs[i - 1]);
}

/** Merges `ours` and `theirs`, two versions of `base`, as git does (see the header). */
export function mergeLines(base: Buffer, ours: Buffer, theirs: Buffer, options: LineMergeOptions = {}): LineMergeOutcome {
  if (isBinary(base) || isBinary(ours) || isBinary(theirs)) {
    // building a virtual merge base, the base stands (and is no conflict); otherwise ours, in conflict
    return options.virtualAncestor ? { conflicts: 0, result: base, binary: true } : { conflicts: 1, result: ours, binary: true };
  }
  const baseLines = splitLines(base);
  const d1 = diffLines(baseLines, splitLines(ours));
  const d2 = diffLines(baseLines, splitLines(theirs));
  if (d1.hunks.length === 0) return { conflicts: 0, result: theirs, binary: false };
  if (d2.hunks.length === 0) return { conflicts: 0, result: ours, binary: false };
  const o = d1.b.recs;
  const t = d2.b.recs;
  const regions: Region[] = [];
  let x = 0;
  let y = 0;
  const h1 = d1.hunks;
  const h2 = d2.hunks;
  while (x < h1.length && y < h2.length) {
    const a = h1[x];
    const b = h2[y];
    if (a.i1 + a.chg1 < b.i1) {
      appendRegion(regions, 1, a.i1, a.chg1, a.i2, a.chg2, b.i2 - b.i1 + a.i1, a.chg1);
      x++;
      continue;
    }
    if (b.i1 + b.chg1 < a.i1) {
      appendRegion(regions, 2, b.i1, b.chg1, a.i2 - a.i1 + b.i1, b.chg1, b.i2, b.chg2);
      y++;
      continue;
    }
    if (a.i1 !== b.i1 || a.chg1 !== b.chg1 || a.chg2 !== b.chg2 || !sameLines(o, a.i2, t, b.i2, a.chg2)) {
      const off = a.i1 - b.i1;
      const ffo = off + a.chg1 - b.chg1;
      let i0 = a.i1;
      let i1 = a.i2;
      let i2 = b.i2;
      if (off > 0) {
        i0 -= off;
        i1 -= off;
      } else i2 += off;
      let chg0 = a.i1 + a.chg1 - i0;
      let chg1 = a.i2 + a.chg2 - i1;
      let chg2 = b.i2 + b.chg2 - i2;
      if (ffo < 0) {
        chg0 -= ffo;
        chg1 -= ffo;
      } else chg2 += ffo;
      appendRegion(regions, 0, i0, chg0, i1, chg1, i2, chg2);
    }
    const end1 = a.i1 + a.chg1;
    const end2 = b.i1 + b.chg1;
    if (end1 >= end2) y++;
    if (end2 >= end1) x++;
  }
  for (; x < h1.length; x++) {
    const a = h1[x];
    appendRegion(regions, 1, a.i1, a.chg1, a.i2, a.chg2, a.i1 + t.length - baseLines.length, a.chg1);
  }
  for (; y < h2.length; y++) {
    const b = h2[y];
    appendRegion(regions, 2, b.i1, b.chg1, b.i1 + o.length - baseLines.length, b.chg1, b.i2, b.chg2);
  }
  const refined = refine(regions, o, t);
  joinClose(refined);
  let conflicts = 0;
  for (const r of refined) if (r.mode === 0) conflicts++;
  return { conflicts, result: render(refined, o, t, baseLines, options), binary: false };
}

/** Narrows each conflict to the lines where the two sides differ (the equal ones are no conflict). */
function refine(regions: Region[], o: Buffer[], t: Buffer[]): Region[] {
  const out: Region[] = [];
  for (const m of regions) {
    if (m.mode !== 0 || m.chg1 === 0 || m.chg2 === 0) {
      out.push(m);
      continue;
    }
    const d = diffLines(o.slice(m.i1, m.i1 + m.chg1), t.slice(m.i2, m.i2 + m.chg2));
    if (d.hunks.length === 0) {
      out.push({ ...m, mode: 4 });
      continue;
    }
    for (const h of d.hunks) out.push({ mode: 0, i0: m.i0, chg0: m.chg0, i1: m.i1 + h.i1, chg1: h.chg1, i2: m.i2 + h.i2, chg2: h.chg2 });
  }
  return out;
}

/** Joins conflicts that are at most three lines apart into one. */
function joinClose(regions: Region[]): void {
  for (let k = 0; k + 1 < regions.length; ) {
    const m = regions[k];
    const next = regions[k + 1];
    const begin = m.i1 + m.chg1;
    const end = next.i1;
    if (m.mode !== 0 || next.mode !== 0 || end - begin > 3) {
      k++;
      continue;
    }
    m.chg0 = next.i0 + next.chg0 - m.i0;
    m.chg1 = next.i1 + next.chg1 - m.i1;
    m.chg2 = next.i2 + next.chg2 - m.i2;
    regions.splice(k + 1, 1);
  }
}

function render(regions: Region[], o: Buffer[], t: Buffer[], baseLines: Buffer[], options: LineMergeOptions): Buffer {
  const parts: Buffer[] = [];
  const size = options.markerSize ?? 7;
  const copy = (recs: Buffer[], from: number, count: number, needsCr: boolean, addNewline: boolean): void => {
    for (let k = 0; k < count; k++) parts.push(recs[from + k]);
    if (addNewline && count > 0) {
      const last = recs[from + count - 1];
      if (last[last.length - 1] !== 10) parts.push(Buffer.from(needsCr ? '\r\n' : '\n'));
    }
  };
  const marker = (ch: string, label: string | undefined, needsCr: boolean): void => {
    parts.push(Buffer.from(ch.repeat(size) + (label !== undefined ? ' ' + label : '') + (needsCr ? '\r\n' : '\n'), 'utf8'));
  };
  let i = 0;
  for (const m of regions) {
    if (m.mode === 0) {
      copy(o, i, m.i1 - i, false, false);
      // the end-of-line style of the lines before the conflict on both sides, else of the base's first line
      let crlf = eolIsCrlf(o, m.i1 ? m.i1 - 1 : 0);
      if (crlf !== 0) crlf = eolIsCrlf(t, m.i2 ? m.i2 - 1 : 0);
      if (crlf !== 0) crlf = eolIsCrlf(baseLines, 0);
      const needsCr = crlf === 1;
      marker('<', options.oursLabel, needsCr);
      copy(o, m.i1, m.chg1, needsCr, true);
      marker('=', undefined, needsCr);
      copy(t, m.i2, m.chg2, needsCr, true);
      marker('>', options.theirsLabel, needsCr);
    } else if (m.mode === 1 || m.mode === 2) {
      copy(o, i, m.i1 - i, false, false);
      if (m.mode === 1) copy(o, m.i1, m.chg1, false, false);
      else copy(t, m.i2, m.chg2, false, false);
    } else continue;
    i = m.i1 + m.chg1;
  }
  copy(o, i, o.length - i, false, false);
  return Buffer.concat(parts);
}
