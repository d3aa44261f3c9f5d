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

import { isMapping, loadYamlFast, type RawMapping } from './fields';
import type { Slicer } from '../slicer';

/** Below this size a text is parsed at once (about 2 ms). */
export const SLICE_MIN_CHARS = 64 * 1024;
/** A piece at most this big is parsed whole (about 1 ms); a bigger one is cut further where it can be. */
const PIECE_MAX_CHARS = 32 * 1024;

/**
 * Values by text, without hashing the texts: a piece's key is its length and a hash of at most 64 characters from
 * each end, and a hit is confirmed by comparing the whole text. A `Map` keyed by the text hashes every character
 * of every piece (the whole 4 MB file on a load, when nothing can hit yet); here a text is read in full only to
 * confirm a hit, on a re-parse.
 */
export const MISSING: unique symbol = Symbol('missing');

export class TextMap<V> {
  private readonly map = new Map<number, { text: string; value: V } | { text: string; value: V }[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** the value stored for exactly this text, or `undefined` when none (`has` tells an undefined value apart). */
  get(text: string): V | undefined {
    const found = this.lookup(text);
    return found === MISSING ? undefined : found;
  }

  /** the value stored for exactly this text, or MISSING: one look (one comparison of the text) for has-then-get. */
  lookup(text: string): V | typeof MISSING {
    const at = this.map.get(textKey(text));
    if (at === undefined) return MISSING;
    if (!Array.isArray(at)) return at.text === text ? at.value : MISSING;
    for (const e of at) if (e.text === text) return e.value;
    return MISSING;
  }

  has(text: string): boolean {
    const at = this.map.get(textKey(text));
    if (at === undefined) return false;
    return Array.isArray(at) ? at.some((e) => e.text === text) : at.text === text;
  }

  set(text: string, value: V): void {
    const key = textKey(text);
    const at = this.map.get(key);
    if (at === undefined) {
      this.map.set(key, { text, value });
      this.count++;
      return;
    }
    const list = Array.isArray(at) ? at : [at];
    const i = list.findIndex((e) => e.text === text);
    if (i >= 0) list[i] = { text, value };
    else {
      list.push({ text, value });
      this.count++;
    }
    if (!Array.isArray(at)) this.map.set(key, list);
  }
}

/** FNV-1a over the length and at most 64 characters from each end of a text. */
function textKey(text: string): number {
  const n = text.length;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  const head = Math.min(n, 64);
  for (let i = 0; i < head; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  for (let i = Math.max(head, n - 64); i < n; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Parsed piece values by their text (one map per kind of piece), and the folders put back together from a piece and
 * its children: what one parse leaves for the next.
 */
export interface PieceCache {
  readonly mapping: TextMap<unknown>;
  readonly item: TextMap<unknown>;
  readonly items: TextMap<unknown>;
  readonly folder: TextMap<RawMapping>;
}

export function emptyPieceCache(): PieceCache {
  return { mapping: new TextMap(), item: new TextMap(), items: new TextMap(), folder: new TextMap() };
}

export interface PiecesResult {
  readonly doc: unknown;
  /** the values of this parse's pieces (pass it to the next parse of the same file). */
  readonly cache: PieceCache;
  /** how many pieces were parsed now (not taken from the cache); 1 for a text parsed at once. */
  readonly parsed: number;
  /** the number of pieces the text was cut into (1 when parsed at once). */
  readonly pieces: number;
  /** how many times js-yaml was called (neighbouring pieces are parsed together on a first parse: see GROUP_CHARS). */
  readonly calls: number;
  /**
   * the text's line table, when the text was scanned to be cut: the build finds each item's line in it instead of
   * walking the text's lines a second time. Not kept in the cache (a few bytes per line of the file).
   */
  readonly lines?: LineTable;
}

export interface PiecesOptions {
  /** the previous parse's values. */
  readonly cache?: PieceCache;
  /** yields between pieces when given. */
  readonly slicer?: Slicer;
  /** cut even a small text (tests). */
  readonly always?: boolean;
  /** the text's lines, when the caller scanned them already (scanLines). */
  readonly lines?: LineTable;
  /** parses a piece of LARGE_PIECE_CHARS or more elsewhere (a worker thread); undefined: it could not, parse it here. */
  readonly parseLarge?: ParseLarge;
}

/**
 * What `loadYamlFast(text)` gives, worked out elsewhere (a design document's spec `contents` mapping may come as its
 * text: planWorker.ts's withSpecText); rejects as it throws; undefined when it could not be asked.
 */
export type ParseLarge = (text: string) => Promise<{ readonly value: unknown } | undefined>;

/**
 * A piece this big (one request holding a body of hundreds of KB, which cannot be cut) is parsed by `parseLarge`
 * when given: js-yaml takes some 25 ms per MB, more under load, and a request's edit must not block 50 ms.
 */
export const LARGE_PIECE_CHARS = 256 * 1024;

/** what a piece's text parses to: a one-key mapping, a one-entry sequence, or a run of `count` entries. */
type Pick = 'mapping' | 'item' | 'items';

type Plan =
  | PiecePlan
  | { readonly kind: 'seq'; readonly items: readonly Plan[] }
  | WithChildrenPlan;

/** A big entry of a sequence cut in two: its own lines (`rest`) and its `children:` sequence; lines [at, end) of the text. */
interface WithChildrenPlan {
  readonly kind: 'withChildren';
  readonly rest: Plan;
  readonly children: Plan;
  readonly at: number;
  readonly end: number;
}

/**
 * A piece: its text, what it parses to, and, for a piece that is one stretch of the file's text (a run of entries or
 * one entry of a sequence), the offset where it starts (`at`), so that neighbouring pieces can be parsed together.
 */
interface PiecePlan {
  readonly kind: 'piece';
  readonly pick: Pick;
  readonly key: string;
  readonly text: string;
  readonly count?: number;
  readonly at?: number;
}

/**
 * Neighbouring pieces of a sequence that nothing cached has (all of them on a first load) are parsed together, in
 * one js-yaml call of about this many characters, and the values are then shared out to the pieces: the same values
 * (entries of one block sequence parse the same on their own or side by side) and the same pieces for the next parse
 * (the cut does not change, only how many js-yaml calls parse it). Fewer, bigger calls: js-yaml copies each text it
 * is given (it appends a NUL), and a copy this big is allocated outside the young generation, so the scavenger no
 * longer copies (twice) every piece's text, which the parsed strings keep alive (a string of more than 128 KB is
 * allocated as a large object). A group of 136-240 KB parses in about 3-6 ms: well within the 50 ms a block may take.
 */
const GROUP_CHARS = 136 * 1024;
/**
 * A group is never bigger than this (an entry bigger than this is parsed as its own plan says). On a first parse a
 * big entry whose children were cut out (a folder) can join a group whole: its value is then shared out to its own
 * lines' piece and its children's pieces, so the next parse finds every piece it would have parsed.
 */
const GROUP_MAX_CHARS = 240 * 1024;

interface TopEntry {
  readonly key: string;
  readonly plan: Plan;
}

/**
 * Parses a v5 file's text: at once when it is small or cannot be cut, else piece by piece. Throws what `loadYaml`
 * throws for broken YAML (always from a parse of the whole text, so the position is the file's).
 */
export async function parseV5Pieces(text: string, options: PiecesOptions = {}): Promise<PiecesResult> {
  let lines: LineTable | undefined;
  let calls = 0;
  const whole = (): PiecesResult => ({ doc: loadYamlFast(text), cache: emptyPieceCache(), parsed: 1, pieces: 1, calls: calls + 1, lines });
  if (text.length < SLICE_MIN_CHARS && !options.always) return whole();
  lines = options.lines?.text === text ? options.lines : await scanLines(text, options.slicer);
  if (options.slicer?.overdue()) await options.slicer.yield();
  const entries = splitTopLevel(lines);
  if (!entries) return whole();
  const previous = options.cache;
  const cache = emptyPieceCache();
  const slicer = options.slicer;
  let parsed = 0;
  let pieces = 0;
  let failed = false;
  const value = async (plan: Plan): Promise<unknown> => {
    switch (plan.kind) {
      case 'piece': {
        if ((++pieces & 63) === 0 && slicer?.overdue()) await slicer.yield();
        const now = cache[plan.pick];
        const here = now.lookup(plan.text);
        if (here !== MISSING) return here;
        const before = previous ? previous[plan.pick].lookup(plan.text) : MISSING;
        if (before !== MISSING) {
          now.set(plan.text, before);
          return before;
        }
        if (slicer?.overdue()) await slicer.yield();
        parsed++;
        let v: unknown;
        try {
          calls++;
          const elsewhere = options.parseLarge && plan.text.length >= LARGE_PIECE_CHARS ? await options.parseLarge(plan.text) : undefined;
          const raw = elsewhere ? elsewhere.value : loadYamlFast(plan.text);
          if (plan.pick === 'item') {
            if (!Array.isArray(raw) || raw.length !== 1) throw new Error('not one entry');
            v = raw[0];
          } else if (plan.pick === 'items') {
            if (!Array.isArray(raw) || raw.length !== plan.count) throw new Error(`not ${plan.count} entries`);
            v = raw;
          } else {
            if (!isMapping(raw)) throw new Error('not a mapping');
            v = raw;
          }
        } catch {
          failed = true;
          return undefined;
        }
        now.set(plan.text, v);
        return v;
      }
      case 'seq': {
        const out: unknown[] = [];
        const items = plan.items;
        // after a group that did not parse, its entries are parsed one by one (not tried again in smaller groups)
        let alone = 0;
        for (let i = 0; i < items.length; ) {
          const item = items[i];
          const end = i < alone ? 0 : groupEnd(items, i);
          if (end > 0) {
            if (slicer?.overdue()) await slicer.yield();
            if (parseGroup(items, i, end, out)) {
              i = end;
              continue;
            }
            alone = end;
          }
          const v = await value(item);
          if (failed) return undefined;
          if (item.kind === 'piece' && item.pick === 'items') out.push(...(v as unknown[]));
          else out.push(v);
          i++;
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
        const key = (plan.rest as { text: string }).text;
        const before = previous?.folder.get(key);
        const kept = before?.children as unknown[] | undefined;
        const folder =
          before && kept && kept.length === children.length && kept.every((c, i) => c === children[i]) && Object.keys(before).length === Object.keys(rest).length + 1
            ? before
            : { ...rest, children };
        cache.folder.set(key, folder);
        return folder;
      }
    }
  };
  /** whether neither this parse nor the previous one has a value for the piece. */
  const uncached = (p: PiecePlan): boolean => cache[p.pick].lookup(p.text) === MISSING && (!previous || previous[p.pick].lookup(p.text) === MISSING);
  /** the stretch of text an entry of a sequence covers, when it can join a group; undefined when it cannot. */
  const span = (p: Plan): { at: number; end: number } | undefined => {
    if (p.kind === 'piece') return p.at === undefined || p.pick === 'mapping' || !uncached(p) ? undefined : { at: p.at, end: p.at + p.text.length };
    // a cut entry whole only on a first parse: afterwards its children's values are kept (and their identity) piece by piece
    if (p.kind === 'withChildren' && !previous && p.end - p.at <= GROUP_MAX_CHARS) return { at: p.at, end: p.end };
    return undefined;
  };
  /**
   * The end of the group that starts at `items[i]`: the following entries of the sequence that follow each other in
   * the text and have no cached value, up to GROUP_CHARS; 0 when there is nothing to group.
   */
  const groupEnd = (items: readonly Plan[], i: number): number => {
    const first = span(items[i]);
    if (!first) return 0;
    let size = first.end - first.at;
    let last = first.end;
    let j = i + 1;
    for (; j < items.length && size < GROUP_CHARS; j++) {
      const next = span(items[j]);
      if (!next || next.at !== last || size + next.end - next.at > GROUP_MAX_CHARS) break;
      size += next.end - next.at;
      last = next.end;
    }
    // one piece alone is parsed as it is; one cut entry alone is worth parsing whole (one call instead of many)
    return j === i + 1 && items[i].kind === 'piece' ? 0 : j;
  };
  /** the number of entries a plan of a sequence gives. */
  const entriesOf = (p: Plan): number => (p.kind === 'piece' && p.pick === 'items' ? p.count! : 1);
  /**
   * Whether the parsed entries `raw[from...]` have the shapes the sequence's plans `items` expect: one entry per
   * entry line, and for a cut entry a mapping whose `children` has one entry per child entry line.
   */
  const fits = (items: readonly Plan[], raw: readonly unknown[], from: number): boolean => {
    let at = from;
    for (const p of items) {
      if (p.kind === 'piece') {
        if (p.pick === 'mapping') return false;
        at += entriesOf(p);
      } else if (p.kind === 'withChildren') {
        const folder: unknown = raw[at++];
        if (!isMapping(folder) || !Array.isArray(folder.children) || p.rest.kind !== 'piece' || p.rest.pick !== 'item' || p.children.kind !== 'seq') return false;
        let count = 0;
        for (const c of p.children.items) count += entriesOf(c);
        if (count !== folder.children.length || !fits(p.children.items, folder.children, 0)) return false;
      } else {
        return false;
      }
    }
    return at <= raw.length;
  };
  /**
   * Shares the parsed entries `raw[from...]` out to the sequence's plans `items` (which `fits`): each piece cached with
   * its own value, as if parsed alone, a cut entry's own lines with the entry without `children`, and the entry as
   * the folder put back together; the entries are appended to `out`.
   */
  const share = (items: readonly Plan[], raw: readonly unknown[], from: number, out: unknown[]): void => {
    let at = from;
    for (const p of items) {
      if (p.kind === 'piece') {
        pieces++;
        parsed++;
        if (p.pick === 'items') {
          const v = raw.slice(at, at + p.count!);
          at += p.count!;
          cache.items.set(p.text, v);
          out.push(...v);
        } else {
          const v: unknown = raw[at++];
          cache.item.set(p.text, v);
          out.push(v);
        }
      } else if (p.kind === 'withChildren') {
        const folder = raw[at++] as RawMapping;
        const rest = withoutKey(folder, 'children');
        pieces++;
        parsed++;
        cache.item.set((p.rest as PiecePlan).text, rest);
        share((p.children as { items: readonly Plan[] }).items, folder.children as unknown[], 0, []);
        cache.folder.set((p.rest as PiecePlan).text, folder);
        out.push(folder);
      }
    }
  };
  /**
   * Parses the entries [i, end) of a sequence in one call and shares them out (see `share`). False, with nothing
   * added to `out`, when the text does not parse or does not give one entry per entry line: then each piece is parsed
   * on its own, as without groups (and what was cached for the group is parsed again, to the same values).
   */
  const parseGroup = (items: readonly Plan[], i: number, end: number, out: unknown[]): boolean => {
    const group = items.slice(i, end);
    let count = 0;
    for (const p of group) count += entriesOf(p);
    let raw: unknown;
    try {
      calls++;
      raw = loadYamlFast(text.slice(span(group[0])!.at, (group[group.length - 1] as { at: number }).at + lengthOf(group[group.length - 1])));
    } catch {
      return false;
    }
    if (!Array.isArray(raw) || raw.length !== count || !fits(group, raw, 0)) return false;
    share(group, raw, 0, out);
    return true;
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
  return { doc, cache, parsed, pieces, calls, lines };
}

// ---------------------------------------------------------------------------------------------------------------
// the line scan: one pass over the text records each line's start, indentation and whether it is a `- ` entry; the
// cutting then works on those arrays, never reading the text again but for a key's name.

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;
const LT = 0x3c;
const CONFLICT_START = '<<<<<<<';

/** A text's lines, scanned once (see scanLines). */
export interface LineTable {
  readonly text: string;
  /** offset of each line's first character; one more entry: the text's length. */
  readonly start: Int32Array;
  /** column of each line's first character, -1 for a blank or comment-only line. */
  readonly indent: Int32Array;
  /** 1 when the line's content starts with `- ` (or is a lone `-`). */
  readonly entry: Uint8Array;
  readonly count: number;
  /** the first line that starts with `<<<<<<<` (a merge conflict's marker), -1 when none. */
  readonly conflict: number;
}
type Lines = LineTable;

/** Lines scanned between two looks at the slicer's clock. */
const SCAN_CHUNK = 8192;

export async function scanLines(text: string, slicer: Slicer | undefined): Promise<Lines> {
  // one pass, the arrays grown as needed (a first pass to count the lines cost as much as a third of the scan); the
  // loop itself is a plain function over a chunk of lines (inside an async function it ran about half as fast)
  const scan: ScanState = { text, start: new Int32Array(0), indent: new Int32Array(0), entry: new Uint8Array(0), line: 0, pos: 0, conflict: -1 };
  const cap = (text.length >> 5) + 16;
  scan.start = new Int32Array(cap + 1);
  scan.indent = new Int32Array(cap);
  scan.entry = new Uint8Array(cap);
  while (!scanChunk(scan, SCAN_CHUNK)) if (slicer?.overdue()) await slicer.yield();
  return { text, start: scan.start, indent: scan.indent, entry: scan.entry, count: scan.line, conflict: scan.conflict };
}

interface ScanState {
  readonly text: string;
  start: Int32Array;
  indent: Int32Array;
  entry: Uint8Array;
  /** lines scanned so far; `pos`: where the next one starts. */
  line: number;
  pos: number;
  conflict: number;
}

/** Scans at most `lines` more lines; true when the text is done (then `start[line]` is the text's length). */
function scanChunk(scan: ScanState, lines: number): boolean {
  const text = scan.text;
  const n = text.length;
  let { start, indent, entry, line, pos, conflict } = scan;
  const stop = line + lines;
  do {
    if (line === indent.length) {
      const cap = indent.length * 2;
      start = grow(start, new Int32Array(cap + 1));
      indent = grow(indent, new Int32Array(cap));
      entry = grow(entry, new Uint8Array(cap));
    }
    start[line] = pos;
    let p = pos;
    let c = text.charCodeAt(p);
    while (c === SPACE) c = text.charCodeAt(++p);
    if (c === LF || c === CR || c === HASH || p >= n) {
      indent[line] = -1;
    } else {
      indent[line] = p - pos;
      if (c === LT && p === pos && conflict < 0 && text.startsWith(CONFLICT_START, p)) conflict = line;
      if (c === DASH) {
        const next = text.charCodeAt(p + 1);
        entry[line] = next === SPACE || next === LF || next === CR || next === TAB || p + 1 >= n ? 1 : 0;
      }
    }
    const nl = text.indexOf('\n', p);
    pos = nl < 0 ? n : nl + 1;
    line++;
  } while (pos < n && line < stop);
  const done = pos >= n;
  if (done) start[line] = n;
  scan.start = start;
  scan.indent = indent;
  scan.entry = entry;
  scan.line = line;
  scan.pos = pos;
  scan.conflict = conflict;
  return done;
}

function grow<T extends Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
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
function splitTopLevel(lines: Lines): TopEntry[] | undefined {
  const text = lines.text;
  const starts: { key: string; line: number }[] = [];
  const seen = new Set<string>();
  for (let line = 0; line < lines.count; line++) {
    const ind = lines.indent[line];
    if (ind !== 0) {
      if (ind > 0 && starts.length === 0) return undefined;
      continue;
    }
    const at = lines.start[line];
    const m = TOP_KEY.exec(text.slice(at, Math.min(text.length, at + 200)));
    if (!m || seen.has(m[1])) return undefined;
    seen.add(m[1]);
    starts.push({ key: m[1], line });
  }
  if (starts.length === 0) return undefined;
  const out: TopEntry[] = [];
  for (let i = 0; i < starts.length; i++) {
    const { key, line } = starts[i];
    const end = i + 1 < starts.length ? starts[i + 1].line : lines.count;
    out.push({ key, plan: topPlan(lines, key, line, end) });
  }
  return out;
}

function piece(pick: Pick, text: string, at?: number): Plan {
  return { kind: 'piece', pick, key: '', text, at };
}

/** A copy of a parsed mapping without one key, the others in their order (`__proto__` kept as an own key, as js-yaml does). */
function withoutKey(m: RawMapping, key: string): RawMapping {
  const out: RawMapping = {};
  for (const k of Object.keys(m)) {
    if (k === key) continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value: m[k], enumerable: true, writable: true, configurable: true });
    else out[k] = m[k];
  }
  return out;
}

/** how many characters of the text a plan that `span` accepted covers. */
function lengthOf(p: Plan): number {
  return p.kind === 'piece' ? p.text.length : p.kind === 'withChildren' ? p.end - p.at : 0;
}

/** The text of lines [from, to). */
function linesText(lines: Lines, from: number, to: number): string {
  return lines.text.slice(lines.start[from], lines.start[to]);
}

/** A top-level entry (lines [from, to)): whole when small, else its block sequence cut into entries. */
function topPlan(lines: Lines, key: string, from: number, to: number): Plan {
  const whole = piece('mapping', linesText(lines, from, to));
  if (lines.start[to] - lines.start[from] <= PIECE_MAX_CHARS || !restIsBlank(lines.text, lines.start[from] + key.length + 1)) return whole;
  const first = firstStructural(lines, from + 1, to);
  if (first < 0 || !lines.entry[first]) return whole;
  return seqPlan(lines, first, to, lines.indent[first]) ?? whole;
}

function firstStructural(lines: Lines, from: number, to: number): number {
  for (let line = from; line < to; line++) if (lines.indent[line] >= 0) return line;
  return -1;
}

/** The entries of a block sequence whose `- ` lines are at column `d`, lines [from (an entry line), to). */
function seqPlan(lines: Lines, from: number, to: number, d: number): Plan | undefined {
  const starts: number[] = [];
  for (let line = from; line < to; line++) {
    const ind = lines.indent[line];
    if (ind < 0 || ind > d) continue;
    if (ind < d || !lines.entry[line]) return undefined;
    starts.push(line);
  }
  const items: Plan[] = [];
  // runs of small entries are parsed together (one js-yaml call per few kilobytes, not per entry); where a run ends
  // depends on each entry's own first characters (and a size cap), so an edit of one entry changes its run only
  let run: { from: number; count: number } | undefined;
  const endRun = (to: number) => {
    if (!run) return;
    const at = lines.start[run.from];
    items.push(run.count === 1 ? piece('item', linesText(lines, run.from, to), at) : { kind: 'piece', pick: 'items', key: '', text: linesText(lines, run.from, to), count: run.count, at });
    run = undefined;
  };
  for (let i = 0; i < starts.length; i++) {
    const end = i + 1 < starts.length ? starts[i + 1] : to;
    const size = lines.start[end] - lines.start[starts[i]];
    if (size > RUN_MAX_CHARS) {
      endRun(starts[i]);
      items.push(itemPlan(lines, starts[i], end, d));
      continue;
    }
    if (run && lines.start[end] - lines.start[run.from] > RUN_MAX_CHARS) endRun(starts[i]);
    if (!run) run = { from: starts[i], count: 0 };
    run.count++;
    if (endsRun(lines.text, lines.start[starts[i]], lines.start[end])) endRun(end);
  }
  endRun(to);
  return { kind: 'seq', items };
}

/** A run of small entries is at most this big. */
const RUN_MAX_CHARS = 16 * 1024;

/**
 * Whether a run of entries ends after the entry [start, end): about one entry in eight, chosen by a hash of its first
 * characters (content-defined, so runs do not shift when an entry is inserted or grows).
 */
function endsRun(text: string, start: number, end: number): boolean {
  let h = 0x811c9dc5;
  const stop = Math.min(end, start + 256);
  for (let i = start; i < stop; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 8 === 0;
}

const CHILDREN_KEY = 'children:';

/** One entry (lines [from, to)): whole when small, else its `children:` block cut out and cut into entries in turn. */
function itemPlan(lines: Lines, from: number, to: number, d: number): Plan {
  const text = lines.text;
  const whole = piece('item', linesText(lines, from, to), lines.start[from]);
  if (lines.start[to] - lines.start[from] <= PIECE_MAX_CHARS) return whole;
  // the column of the entry's keys: where its content starts on the `- ` line
  let p = lines.start[from] + d + 1;
  while (text.charCodeAt(p) === SPACE) p++;
  if (restIsBlank(text, p)) return whole;
  const col = p - lines.start[from];
  // `children:` as one of the entry's keys, not its first (which shares the `- ` line)
  let keyLine = -1;
  for (let line = from + 1; line < to; line++) {
    const ind = lines.indent[line];
    if (ind < 0 || ind > col) continue;
    if (ind < col) return whole;
    const at = lines.start[line] + col;
    if (text.startsWith(CHILDREN_KEY, at) && restIsBlank(text, at + CHILDREN_KEY.length)) {
      keyLine = line;
      break;
    }
  }
  if (keyLine < 0) return whole;
  const first = firstStructural(lines, keyLine + 1, to);
  if (first < 0) return whole;
  const cd = lines.indent[first];
  if (cd < col || !lines.entry[first]) return whole;
  // the children's block ends at the first line left of its entries, or at their column but not an entry
  let blockEnd = to;
  for (let line = first; line < to; line++) {
    const ind = lines.indent[line];
    if (ind < 0) continue;
    if (ind < cd || (ind === cd && !lines.entry[line])) {
      blockEnd = line;
      break;
    }
  }
  const children = seqPlan(lines, first, blockEnd, cd);
  if (!children) return whole;
  const rest = piece('item', linesText(lines, from, keyLine) + linesText(lines, blockEnd, to));
  return { kind: 'withChildren', rest, children, at: lines.start[from], end: lines.start[to] };
}
