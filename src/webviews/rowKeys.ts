// Which row is which in the editors' tables (headers, query parameters, form fields, environment variables), without
// the DOM. A table's fields are kept through a redraw by their key (fieldKeys.ts) and the field being typed in gets
// the focus back by it: keyed by position, a row deleted above the one being typed in (another editor of the same
// request, the file changed on disk, a pull) gave the row's place, its focus and its undo history to the row below
// it, so that the next key or Ctrl+Z edited another header. Here each row has a key of its own for as long as the
// page shows it: the page's own edits (typing, Add, Remove, a move) carry the keys along, and rows that come from
// elsewhere are matched to the rows the page had: by Insomnia's row `id` where both have one, else as a diff of the
// two lists does (rows equal in both, in order, are the same rows), a row changed in place between two such rows being
// the row that was there. A row the page did not have gets a key never used before on the page.

export interface RowMatching<R> {
  /** the row's own identity, when it has one (Insomnia's `id` of a header or parameter, a variable's name). */
  readonly idOf: (row: R) => string | undefined;
  /** whether two rows are equal as the table shows them. */
  readonly same: (a: R, b: R) => boolean;
  /** whether a row may be the other one changed in place (a header's name kept, or its value); none: never. */
  readonly similar?: (a: R, b: R) => boolean;
}

/** The key a row gets when it is new to the page: never one the page used before. */
let counter = 0;
export function freshRowKey(): string {
  return `r${++counter}`;
}

/** Above this many rows on either side, rows not matched by id are matched by position only (no diff). */
const DIFF_LIMIT = 2000;

/**
 * The keys of `next`, the rows as they are now (from the host), given the rows the page had (`prev`) and their keys
 * (`prevKeys`, as long as `prev`): a row of `next` that is a row of `prev` keeps its key; the others get fresh ones.
 */
export function followRows<R>(prev: readonly R[], prevKeys: readonly string[], next: readonly R[], match: RowMatching<R>, fresh: () => string = freshRowKey): string[] {
  const oldOf: (number | undefined)[] = new Array(next.length).fill(undefined);
  const taken: boolean[] = new Array(prev.length).fill(false);
  // 1. by id, where an id names one row on each side
  const ids = (rows: readonly R[]) => {
    const seen = new Map<string, number>();
    rows.forEach((r, i) => {
      const id = match.idOf(r);
      if (id !== undefined) seen.set(id, seen.has(id) ? -1 : i);
    });
    return seen;
  };
  const oldIds = ids(prev);
  const newIds = ids(next);
  for (const [id, j] of newIds) {
    const i = oldIds.get(id);
    if (j >= 0 && i !== undefined && i >= 0) {
      oldOf[j] = i;
      taken[i] = true;
    }
  }
  // 2. the rows left, as a diff does: the longest run of equal rows, in order (two rows with different ids never)
  const differentIds = (a: R, b: R) => {
    const x = match.idOf(a);
    const y = match.idOf(b);
    return x !== undefined && y !== undefined && x !== y;
  };
  const olds = prev.map((_, i) => i).filter((i) => !taken[i]);
  const news = next.map((_, j) => j).filter((j) => oldOf[j] === undefined);
  if (olds.length <= DIFF_LIMIT && news.length <= DIFF_LIMIT) {
    const equal = (i: number, j: number) => !differentIds(prev[i], next[j]) && match.same(prev[i], next[j]);
    for (const [a, b] of commonRun(olds.length, news.length, (x, y) => equal(olds[x], news[y]))) {
      oldOf[news[b]] = olds[a];
      taken[olds[a]] = true;
    }
  }
  // 3. between two rows matched, the rows changed in place: a row like one that was there (its name or its value
  // kept) is that row, in order. Any other row is new (its key fresh): a key may be lost, never given to another row.
  let lastOld = -1;
  let lastNew = -1;
  const pairGap = (oldEnd: number, newEnd: number) => {
    const o: number[] = [];
    for (let i = lastOld + 1; i < oldEnd; i++) if (!taken[i]) o.push(i);
    let from = 0;
    for (let j = lastNew + 1; j < newEnd && from < o.length; j++) {
      if (oldOf[j] !== undefined || !match.similar) continue;
      const k = o.findIndex((i, x) => x >= from && !differentIds(prev[i], next[j]) && match.similar!(prev[i], next[j]));
      if (k === -1) continue;
      oldOf[j] = o[k];
      taken[o[k]] = true;
      from = k + 1;
    }
  };
  for (let j = 0; j < next.length; j++) {
    const i = oldOf[j];
    // (an anchor out of order, moved elsewhere, bounds no gap)
    if (i === undefined || i <= lastOld) continue;
    pairGap(i, j);
    lastOld = i;
    lastNew = j;
  }
  pairGap(prev.length, next.length);
  const used = new Set<string>();
  return next.map((_, j) => {
    const i = oldOf[j];
    const key = i !== undefined ? prevKeys[i] : undefined;
    if (key !== undefined && !used.has(key)) {
      used.add(key);
      return key;
    }
    let k = fresh();
    while (used.has(k) || prevKeys.includes(k)) k = fresh();
    used.add(k);
    return k;
  });
}

/** A longest common subsequence of two lists of lengths `n` and `m` under `eq`, as index pairs in order. */
function commonRun(n: number, m: number, eq: (a: number, b: number) => boolean): [number, number][] {
  // equal heads and tails first: the usual change (one row in a list) costs nothing more
  let head = 0;
  while (head < n && head < m && eq(head, head)) head++;
  let tail = 0;
  while (tail < n - head && tail < m - head && eq(n - 1 - tail, m - 1 - tail)) tail++;
  const out: [number, number][] = [];
  for (let k = 0; k < head; k++) out.push([k, k]);
  const rn = n - head - tail;
  const rm = m - head - tail;
  if (rn > 0 && rm > 0) {
    // lengths of the common runs of the suffixes, then walked from the front
    const w = rm + 1;
    const len = new Uint32Array((rn + 1) * w);
    for (let a = rn - 1; a >= 0; a--) {
      for (let b = rm - 1; b >= 0; b--) {
        len[a * w + b] = eq(head + a, head + b) ? len[(a + 1) * w + b + 1] + 1 : Math.max(len[(a + 1) * w + b], len[a * w + b + 1]);
      }
    }
    let a = 0;
    let b = 0;
    while (a < rn && b < rm) {
      if (eq(head + a, head + b) && len[a * w + b] === len[(a + 1) * w + b + 1] + 1) {
        out.push([head + a, head + b]);
        a++;
        b++;
      } else if (len[(a + 1) * w + b] >= len[a * w + b + 1]) a++;
      else b++;
    }
  }
  for (let k = tail; k > 0; k--) out.push([n - k, m - k]);
  return out;
}

/**
 * One table's rows with their keys, as the page holds them. The page's own edits keep each row's key; `follow` takes
 * the rows as they are now from elsewhere.
 */
export class KeyedRows<R> {
  private list: R[];
  private keyList: string[];

  constructor(rows: readonly R[], private readonly match: RowMatching<R>, private readonly fresh: () => string = freshRowKey) {
    this.list = [...rows];
    this.keyList = rows.map(() => fresh());
  }

  get rows(): readonly R[] {
    return this.list;
  }

  get keys(): readonly string[] {
    return this.keyList;
  }

  /** The row `i` as it is now (typed in, its box ticked): its key stays. */
  set(i: number, row: R): void {
    this.list[i] = row;
  }

  /** A new row at the end (Add), with a new key; returns the key. */
  add(row: R): string {
    const key = this.fresh();
    this.list.push(row);
    this.keyList.push(key);
    return key;
  }

  /** Row `i` removed (its key goes with it, never given again). */
  remove(i: number): void {
    this.list.splice(i, 1);
    this.keyList.splice(i, 1);
  }

  /** Row `from` moved to `to` (drag, Alt+Up/Down), with its key. */
  move(from: number, to: number): void {
    const [row] = this.list.splice(from, 1);
    const [key] = this.keyList.splice(from, 1);
    this.list.splice(to, 0, row);
    this.keyList.splice(to, 0, key);
  }

  /** The rows as they are now from elsewhere (the host's state, the URL field): matched to the page's (followRows). */
  follow(next: readonly R[]): void {
    this.keyList = followRows(this.list, this.keyList, next, this.match, this.fresh);
    this.list = [...next];
  }
}
