// Parsing a large v5 file piece by piece, so that neither its first load nor a re-read after an edit blocks the
// extension host: js-yaml cannot stop half-way through a document, but a v5 file is a mapping of a few top-level keys
// whose big values are block sequences of items (`collection:`, a folder's `children:`), and each item can be parsed
// on its own, at its own columns. The pieces are parsed one after the other, yielding to the event loop between
// them, and the values are put back together into what one `load` of the whole text gives.
//
// Each piece's value is kept, keyed by its text: after an edit, parsing the new text re-parses only the pieces
// whose text changed (one request's lines) and takes every other value from the previous parse, unchanged and
// identical (the same objects), which also tells the caller which items did not change.
//
// The split is conservative: only simple `key:` lines at column 0, block sequences whose entries are `- ` lines at
// one column, and a `children:` key at an item's own column are cut at. Anything else (a document marker, a
// directive, a top-level key seen twice, an entry the scan does not understand, a piece that does not parse on its
// own, as an alias of an anchor in another piece) makes the whole text be parsed at once, as before, so a broken
// file is reported with js-yaml's own message and position.

import { isMapping, loadYaml, type RawMapping } from './fields';
import type { Slicer } from '../slicer';

/** Below this size a text is parsed at once (about 2 ms). */
export const SLICE_MIN_CHARS = 64 * 1024;
/** A piece at most this big is parsed whole (about 1 ms); a bigger one is cut further where it can be. */
const PIECE_MAX_CHARS = 32 * 1024;

/** Parsed piece values, keyed by kind and text: what one parse leaves for the next. */
export type PieceCache = Map<string, unknown>;

export interface PiecesResult {
  readonly doc: unknown;
  /** the values of this parse's pieces (pass it to the next parse of the same file). */
  readonly cache: PieceCache;
  /** how many pieces were parsed now (not taken from the cache); 1 for a text parsed at once. */
  readonly parsed: number;
  /** the number of pieces the text was cut into (1 when parsed at once). */
  readonly pieces: number;
}

export interface PiecesOptions {
  /** the previous parse's values. */
  readonly cache?: PieceCache;
  /** yields between pieces when given. */
  readonly slicer?: Slicer;
  /** cut even a small text (tests). */
  readonly always?: boolean;
}

type Pick = 'mapping' | 'item';

type Plan =
  | { readonly kind: 'piece'; readonly pick: Pick; readonly key: string; readonly text: string }
  | { readonly kind: 'seq'; readonly items: readonly Plan[] }
  | { readonly kind: 'withChildren'; readonly rest: Plan; readonly children: Plan };

interface TopEntry {
  readonly key: string;
  readonly plan: Plan;
}

/**
 * Parses a v5 file's text: at once when it is small or cannot be cut, else piece by piece. Throws what `loadYaml`
 * throws for broken YAML (always from a parse of the whole text, so the position is the file's).
 */
export async function parseV5Pieces(text: string, options: PiecesOptions = {}): Promise<PiecesResult> {
  const whole = (): PiecesResult => ({ doc: loadYaml(text), cache: new Map(), parsed: 1, pieces: 1 });
  if (text.length < SLICE_MIN_CHARS && !options.always) return whole();
  const entries = splitTopLevel(text);
  if (!entries) return whole();
  const previous = options.cache;
  const cache: PieceCache = new Map();
  const slicer = options.slicer;
  let parsed = 0;
  let pieces = 0;
  let failed = false;
  const value = async (plan: Plan): Promise<unknown> => {
    switch (plan.kind) {
      case 'piece': {
        pieces++;
        const key = `${plan.pick === 'mapping' ? 'm' : 'i'}\0${plan.text}`;
        if (cache.has(key)) return cache.get(key);
        if (previous?.has(key)) {
          const v = previous.get(key);
          cache.set(key, v);
          return v;
        }
        if (slicer?.overdue()) await slicer.yield();
        parsed++;
        let v: unknown;
        try {
          const raw = loadYaml(plan.text);
          if (plan.pick === 'item') {
            if (!Array.isArray(raw) || raw.length !== 1) throw new Error('not one entry');
            v = raw[0];
          } else {
            if (!isMapping(raw)) throw new Error('not a mapping');
            v = raw;
          }
        } catch {
          failed = true;
          return undefined;
        }
        cache.set(key, v);
        return v;
      }
      case 'seq': {
        const out: unknown[] = [];
        for (const item of plan.items) {
          out.push(await value(item));
          if (failed) return undefined;
        }
        return out;
      }
      case 'withChildren': {
        const rest = await value(plan.rest);
        if (failed) return undefined;
        if (!isMapping(rest) || 'children' in rest) {
          failed = true;
          return undefined;
        }
        const children = (await value(plan.children)) as unknown[] | undefined;
        if (failed || !children) return undefined;
        // the same folder as last time when its own lines and every child are the same: keep its identity
        const key = `w\0${(plan.rest as { text: string }).text}`;
        const before = previous?.get(key) as RawMapping | undefined;
        const kept = before?.children as unknown[] | undefined;
        const folder =
          before && kept && kept.length === children.length && kept.every((c, i) => c === children[i]) && Object.keys(before).length === Object.keys(rest).length + 1
            ? before
            : { ...rest, children };
        cache.set(key, folder);
        return folder;
      }
    }
  };
  const doc: RawMapping = {};
  for (const entry of entries) {
    const v = await value(entry.plan);
    if (failed) return whole();
    if (entry.plan.kind === 'piece') {
      const m = v as RawMapping;
      const keys = Object.keys(m);
      if (keys.length !== 1 || keys[0] !== entry.key) return whole();
      doc[entry.key] = m[entry.key];
    } else {
      doc[entry.key] = v;
    }
  }
  return { doc, cache, parsed, pieces };
}

// ---------------------------------------------------------------------------------------------------------------
// the line scan

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;

function lineEnd(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl + 1;
}

/** column of the line's first character, or -1 for a blank or comment-only line. */
function indentOf(text: string, pos: number): number {
  let p = pos;
  let c = text.charCodeAt(p);
  while (c === SPACE) c = text.charCodeAt(++p);
  if (c === LF || c === CR || c === HASH || Number.isNaN(c)) return -1;
  return p - pos;
}

/** `- ` (or a `-` alone on its line) at `at`. */
function isEntry(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== DASH) return false;
  const next = text.charCodeAt(at + 1);
  return next === SPACE || next === LF || next === CR || next === TAB || Number.isNaN(next);
}

/** whether nothing but blanks and a comment follow `at` on its line. */
function restIsBlank(text: string, at: number): boolean {
  let p = at;
  let c = text.charCodeAt(p);
  while (c === SPACE || c === TAB) c = text.charCodeAt(++p);
  return c === LF || c === CR || c === HASH || Number.isNaN(c);
}

const TOP_KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?=[ \t\r\n]|$)/;

/** The top-level entries (a `key:` at column 0 each), or undefined when the text is not that simple. */
function splitTopLevel(text: string): TopEntry[] | undefined {
  const starts: { key: string; start: number }[] = [];
  const seen = new Set<string>();
  for (let pos = 0; pos < text.length; pos = lineEnd(text, pos)) {
    const ind = indentOf(text, pos);
    if (ind !== 0) {
      if (ind > 0 && starts.length === 0) return undefined;
      continue;
    }
    const m = TOP_KEY.exec(text.slice(pos, Math.min(text.length, pos + 200)));
    if (!m || seen.has(m[1])) return undefined;
    seen.add(m[1]);
    starts.push({ key: m[1], start: pos });
  }
  if (starts.length === 0) return undefined;
  const out: TopEntry[] = [];
  for (let i = 0; i < starts.length; i++) {
    const { key, start } = starts[i];
    const end = i + 1 < starts.length ? starts[i + 1].start : text.length;
    out.push({ key, plan: topPlan(text, key, start, end) });
  }
  return out;
}

function piece(pick: Pick, text: string): Plan {
  return { kind: 'piece', pick, key: '', text };
}

/** A top-level entry: whole when small, else its block sequence cut into entries. */
function topPlan(text: string, key: string, start: number, end: number): Plan {
  const whole = piece('mapping', text.slice(start, end));
  if (end - start <= PIECE_MAX_CHARS || !restIsBlank(text, start + key.length + 1)) return whole;
  const first = firstStructural(text, lineEnd(text, start), end);
  if (first < 0) return whole;
  const d = indentOf(text, first);
  if (!isEntry(text, first + d)) return whole;
  return seqPlan(text, first, end, d) ?? whole;
}

function firstStructural(text: string, from: number, to: number): number {
  for (let pos = from; pos < to; pos = lineEnd(text, pos)) if (indentOf(text, pos) >= 0) return pos;
  return -1;
}

/** The entries of a block sequence whose `- ` lines are at column `d`, from `from` (an entry line) to `to`. */
function seqPlan(text: string, from: number, to: number, d: number): Plan | undefined {
  const starts: number[] = [];
  for (let pos = from; pos < to; pos = lineEnd(text, pos)) {
    const ind = indentOf(text, pos);
    if (ind < 0 || ind > d) continue;
    if (ind < d || !isEntry(text, pos + d)) return undefined;
    starts.push(pos);
  }
  const items: Plan[] = [];
  for (let i = 0; i < starts.length; i++) {
    const end = i + 1 < starts.length ? starts[i + 1] : to;
    items.push(itemPlan(text, starts[i], end, d));
  }
  return { kind: 'seq', items };
}

const CHILDREN_KEY = 'children:';

/** One entry: whole when small, else its `children:` block cut out and cut into entries in turn. */
function itemPlan(text: string, start: number, end: number, d: number): Plan {
  const whole = piece('item', text.slice(start, end));
  if (end - start <= PIECE_MAX_CHARS) return whole;
  // the column of the entry's keys: where its content starts on the `- ` line
  let p = start + d + 1;
  while (text.charCodeAt(p) === SPACE) p++;
  if (restIsBlank(text, p)) return whole;
  const col = p - start;
  // `children:` as one of the entry's keys, not its first (which shares the `- ` line)
  let keyLine = -1;
  for (let pos = lineEnd(text, start); pos < end; pos = lineEnd(text, pos)) {
    const ind = indentOf(text, pos);
    if (ind < 0 || ind > col) continue;
    if (ind < col) return whole;
    if (text.startsWith(CHILDREN_KEY, pos + col) && restIsBlank(text, pos + col + CHILDREN_KEY.length)) {
      keyLine = pos;
      break;
    }
  }
  if (keyLine < 0) return whole;
  const first = firstStructural(text, lineEnd(text, keyLine), end);
  if (first < 0) return whole;
  const cd = indentOf(text, first);
  if (cd < col || !isEntry(text, first + cd)) return whole;
  // the children's block ends at the first line left of its entries, or at their column but not an entry
  let blockEnd = end;
  for (let pos = first; pos < end; pos = lineEnd(text, pos)) {
    const ind = indentOf(text, pos);
    if (ind < 0) continue;
    if (ind < cd || (ind === cd && !isEntry(text, pos + cd))) {
      blockEnd = pos;
      break;
    }
  }
  const children = seqPlan(text, first, blockEnd, cd);
  if (!children) return whole;
  const rest = piece('item', text.slice(start, keyLine) + text.slice(blockEnd, end));
  return { kind: 'withChildren', rest, children };
}
