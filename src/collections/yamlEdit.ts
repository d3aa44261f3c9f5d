// Minimal edits of YAML text. Every edit splices new text at the range the `yaml` CST gives for the node it changes,
// so the rest of the file keeps its bytes (comments, quoting, key order, `|-2` headers, JSON-style files). New values
// are rendered the way Insomnia's `YAML.stringify` renders them (the `yaml` package, default options) at the
// indentation they land at. Pure: text in, text out, no I/O.
//
// `YamlEditor` parses once, answers reads, queues edits against the parsed text and applies them all in one pass
// (`toString()`); the functions below (`setValue`, `deleteSeqItem`, ...) are one-edit shortcuts over it.
//
// A document whose root is a plain block mapping (every line at column 0 a `key:`, a comment or blank; see
// `topLevelSegments`) is not parsed whole: each top-level entry's lines (from its key line to the next key line)
// are a document of their own, parsed only when a path goes through that key, and its edits are spliced at the same
// offsets, so the result is byte for byte what the whole parse gives. An edit of a request's `url` and `modified`
// then parses two lines, not the file (the `yaml` parse of a 700-byte legacy file is most of an edit's CPU time).
// Anything the segments cannot answer on their own (a key added or removed at the root, a segment that does not
// parse alone) parses the whole text, as before, and refuses a text with YAML errors.

import { Document, isMap, type Alias, isScalar, isSeq, parse, parseDocument, stringify, visit, type CreateNodeOptions, type DocumentOptions, type ParseOptions, type SchemaOptions, type ToStringOptions, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

export type YamlPath = readonly (string | number)[];
export type ScalarValue = string | number | boolean | null;

export class YamlEditError extends Error {
  readonly code = 'YamlEditError';
  constructor(message: string) {
    super(message);
    this.name = 'YamlEditError';
  }
}

export interface InsertOptions {
  /**
   * When the key is absent: insert it before the first of these sibling keys present in the parent mapping
   * (to follow Insomnia's key order), else at the end of the mapping.
   */
  readonly before?: readonly string[];
}

/** Replaces the value at `path` (a mapping key, inserted when absent, or a sequence index). */
export function setValue(text: string, path: YamlPath, value: unknown, options?: InsertOptions): string {
  return new YamlEditor(text).set(path, value, options).toString();
}

/** `setValue` for a scalar: only the scalar's own text changes (a trailing comment stays). */
export function setScalar(text: string, path: YamlPath, value: ScalarValue, options?: InsertOptions): string {
  return setValue(text, path, value, options);
}

/** Removes a mapping key and its value (its lines, in block style). A missing key is not an error. */
export function deleteKey(text: string, path: YamlPath): string {
  return new YamlEditor(text).deleteKey(path).toString();
}

/** Removes the sequence item at `path` (its lines, in block style); an emptied block sequence becomes `[]`. */
export function deleteSeqItem(text: string, path: YamlPath): string {
  return new YamlEditor(text).deleteSeqItem(path).toString();
}

/** Inserts `value` into the sequence at `seqPath` before item `index` (or at the end); creates the key when absent. */
export function insertSeqItem(
  text: string,
  seqPath: YamlPath,
  index: number | 'end',
  value: unknown,
  options?: InsertOptions,
): string {
  return new YamlEditor(text).insertSeqItem(seqPath, index, value, options).toString();
}

/** A whole new document, serialised as Insomnia does (`YAML.stringify` with default options). */
export function renderYamlDocument(value: unknown): string {
  return safeStringify(value, { aliasDuplicateObjects: false });
}

type StringifyOptions = DocumentOptions & SchemaOptions & ParseOptions & CreateNodeOptions & ToStringOptions;

/**
 * A string `yaml` may write so that it reads back otherwise: lines with a carriage return, a control character or
 * blank-ish lines (`yaml` double-quotes and folds some; writes `    \n` as a block whose line of spaces sets its
 * indentation and is read back empty).
 */
const RISKY_STRING = /\r|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|[ \t]\n|\n[ \t]/;

function hasRiskyString(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\n') && RISKY_STRING.test(value);
  if (Array.isArray(value)) return value.some(hasRiskyString);
  if (value && typeof value === 'object') return Object.values(value).some(hasRiskyString);
  return false;
}

/**
 * `stringify` as Insomnia does, except where `yaml` 2.x writes a string it cannot read back: such values are checked
 * by reading them back and, if they differ, written again, each way closer to the text: double-quoted strings on one
 * line (`\n` escapes; a double-quoted string it folded: a line of spaces next to `\r\n` came back as `\\`), then
 * literal block scalars (`|`: a folded `>` block of code with a longer line, a more-indented line and a line of
 * spaces came back with one more empty line on every write), then no block scalars at all.
 */
function safeStringify(value: unknown, options: StringifyOptions): string {
  const write = hasBomKey(value) ? stringifyQuotingBomKeys : stringify;
  let out = write(value, options);
  if (!hasRiskyString(value)) return out;
  const oneLine = { ...options, doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER };
  for (const next of [oneLine, { ...oneLine, blockQuote: 'literal' as const }, { ...oneLine, blockQuote: false }]) {
    if (readsBack(out, value)) return out;
    out = write(value, next);
  }
  return out;
}

/** Whether `text` reads as `value` (`yaml` also writes text it refuses to read: a block of more-indented empty lines). */
function readsBack(text: string, value: unknown): boolean {
  try {
    return sameData(parse(text), value);
  } catch {
    return false;
  }
}

/** Whether a mapping key starts with a byte order mark (U+FEFF). */
function hasBomKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasBomKey);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.startsWith('\ufeff') || hasBomKey(v));
  return false;
}

/**
 * `stringify`, but a key that starts with a byte order mark is double-quoted: `yaml` writes it plain, at the start of
 * a line, where every reader drops the mark (`\ufeffx: 1` reads as `x: 1`, a key of the mark alone breaks the file).
 */
function stringifyQuotingBomKeys(value: unknown, options: StringifyOptions): string {
  const doc = new Document(value, options);
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && pair.key.value.startsWith('\ufeff')) pair.key.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString(options);
}

/**
 * The block scalar YAML `text` ends inside, if any (no line after its header is indented at most as the header's
 * line): whether it keeps its final line breaks (`|+`, `>2+`), and its header line's indentation.
 */
export function blockAtEnd(text: string): { keep: boolean; indent: number } | undefined {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const header = /(?:^[ \t-]*|: )[|>]([1-9]?[-+]?|[-+][1-9])[ \t]*\r?$/.exec(lines[i]);
    if (!header) continue;
    const indent = /^ */.exec(lines[i])![0].length;
    return lines.slice(i + 1).every((l) => l.trim() === '' || /^ */.exec(l)![0].length > indent) ? { keep: header[1].includes('+'), indent } : undefined;
  }
  return undefined;
}

function sameData(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

type YNode = NonNullable<Document.Parsed['contents']>;
type Collection = YAMLMap<unknown, unknown> | YAMLSeq<unknown>;

interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly order: number;
}

/** Where a node sits: in a mapping (as a pair's value) or in a sequence (as an item), or the document root. */
interface Slot {
  readonly parent: Collection | null;
  /** parent or an ancestor is a flow collection (`{...}`, `[...]`, JSON). */
  readonly flow: boolean;
  readonly pair?: Pair<unknown, unknown>;
  readonly index?: number;
  readonly node: YNode | null | undefined;
}

export interface YamlEditorOptions {
  /** parse the whole text at once, never by top-level segments (tests compare the two). */
  readonly whole?: boolean;
}

/** One top-level entry of a block-mapping document: its lines, and their editor once parsed (null: not alone). */
interface Segment {
  readonly start: number;
  readonly end: number;
  editor?: YamlEditor | null;
}

/** The aliases (`*a`) of a document. */
function aliasesOf(doc: Document.Parsed): Alias[] {
  const out: Alias[] = [];
  visit(doc, { Alias: (_key, node) => void out.push(node) });
  return out;
}

/** What a segment's editor shares with the editor of the whole text. */
interface SegmentHost {
  readonly splices: Splice[];
  readonly offset: number;
  readonly eol: string;
}

export class YamlEditor {
  private parsed: Document.Parsed | undefined;
  /** the top-level entries by key, while the text is edited by segments (undefined once parsed whole). */
  private top: Map<string, Segment> | undefined;
  private readonly splices: Splice[];
  /** where this editor's text starts in the text of the edit (a segment's offset; 0 for the whole text). */
  private readonly offset: number;
  private readonly eol: string;
  /** a JSON-style file (`{"_id": ...}`): every new scalar is written as JSON. */
  private json = false;
  /**
   * Edits are queued against the text as it was, so two edits of one block collection must see each other: one whose
   * last entry was deleted (written `{}` / `[]`) takes what is added to it later into that same replacement, and one
   * that got an entry keeps its lines when its last old entry is deleted after (else `{}` with new lines under it).
   */
  private readonly emptied = new Map<object, { at: number; slot: Slot; entries: [string | number, unknown][] }>();
  private readonly grown = new WeakSet<object>();

  constructor(
    readonly text: string,
    options: YamlEditorOptions = {},
    host?: SegmentHost,
  ) {
    this.splices = host?.splices ?? [];
    this.offset = host?.offset ?? 0;
    this.eol = host?.eol ?? (text.includes('\r\n') ? '\r\n' : '\n');
    this.top = options.whole || host ? undefined : topLevelSegments(text);
    if (!this.top && !host) this.parseWhole();
  }

  /** The parsed document (the whole text; parsed now if it was edited by segments so far). */
  get doc(): Document.Parsed {
    return this.parsed ?? this.parseWhole();
  }

  private parseWhole(): Document.Parsed {
    const doc = parseDocument(this.text, { keepSourceTokens: true });
    if (doc.errors.length > 0) {
      throw new YamlEditError(`Cannot edit a file with YAML errors: ${doc.errors[0].message}`);
    }
    // (yaml reports an alias with no anchor before it only when the value is read, as a ReferenceError)
    const unresolved = this.text.includes('*') ? aliasesOf(doc).find((a) => !a.resolve(doc)) : undefined;
    if (unresolved) throw new YamlEditError(`Cannot edit a file with YAML errors: the alias *${unresolved.source} has no anchor (&${unresolved.source}) before it`);
    const root = doc.contents;
    this.json = isMap(root) && !!root.flow && isScalar(root.items[0]?.key) && root.items[0].key.type === 'QUOTE_DOUBLE';
    this.parsed = doc;
    this.top = undefined;
    return doc;
  }

  /**
   * A top-level entry read without parsing it: `path` is one key whose entry (not parsed yet) is the one line
   * `key: value`, the value a scalar `plainScalarText` writes as it is (a URL, an integer such as `modified`, true,
   * false, null). Its value, and where the text after the colon is. An edit of a request's URL reads and sets two such
   * lines; parsing each with `yaml` was most of the edit's planning.
   */
  private simpleLine(path: YamlPath): { readonly start: number; readonly end: number; readonly value: ScalarValue } | undefined {
    const top = this.top;
    if (!top || path.length !== 1 || typeof path[0] !== 'string') return undefined;
    const seg = top.get(path[0]);
    if (!seg || seg.editor !== undefined) return undefined;
    const m = SIMPLE_LINE.exec(this.text.slice(seg.start, seg.end));
    if (!m || m[1] !== path[0]) return undefined;
    const value = simpleScalarValue(m[2]);
    if (value === undefined) return undefined;
    const start = seg.start + m[1].length + 1;
    return { start, end: start + 1 + m[2].length, value };
  }

  /**
   * How a path through a top-level key is answered while the text is edited by segments: the segment's editor,
   * 'absent' (no such key at the root), or undefined (use the whole document).
   */
  private route(path: YamlPath, minLength = 1): YamlEditor | 'absent' | undefined {
    const top = this.top;
    if (!top || path.length < minLength || path.length === 0 || typeof path[0] !== 'string') return undefined;
    const seg = top.get(path[0]);
    if (!seg) return 'absent';
    if (seg.editor === undefined) seg.editor = this.segmentEditor(seg);
    if (seg.editor === null) {
      // the entry does not parse on its own (an alias of an anchor elsewhere, an error): parse the whole text
      this.parseWhole();
      return undefined;
    }
    return seg.editor;
  }

  private segmentEditor(seg: Segment): YamlEditor | null {
    const editor = new YamlEditor(this.text.slice(seg.start, seg.end), {}, { splices: this.splices, offset: seg.start, eol: this.eol });
    const doc = parseDocument(editor.text, { keepSourceTokens: true });
    if (doc.errors.length > 0 || !isMap(doc.contents) || doc.contents.flow || doc.contents.items.length !== 1) return null;
    // an alias: its anchor is in another entry, or nowhere (read with the whole text, which says so)
    if (editor.text.includes('*') && aliasesOf(doc).length > 0) return null;
    editor.parsed = doc;
    return editor;
  }

  /** The node at `path`, or undefined when a segment is missing. */
  node(path: YamlPath): YNode | null | undefined {
    const via = this.route(path);
    if (via === 'absent') return undefined;
    if (via) return via.node(path);
    let cur: unknown = this.doc.contents;
    for (const seg of path) {
      if (isMap(cur)) cur = findPair(cur, seg)?.value;
      else if (isSeq(cur) && typeof seg === 'number') cur = cur.items[seg];
      else return undefined;
      if (cur === undefined) return undefined;
    }
    return cur as YNode | null;
  }

  /** The plain JS value at `path` (undefined when missing). */
  value(path: YamlPath): unknown {
    const line = this.simpleLine(path);
    if (line) return line.value;
    const via = this.route(path);
    if (via === 'absent') return undefined;
    if (via) return via.value(path);
    const n = this.node(path);
    if (n === undefined) return undefined;
    if (n === null) return null;
    return n.toJS(this.doc);
  }

  has(path: YamlPath): boolean {
    if (this.simpleLine(path)) return true;
    return this.node(path) !== undefined;
  }

  /** Number of items of the sequence (or pairs of the mapping) at `path`; 0 when missing or a scalar. */
  length(path: YamlPath): number {
    const n = this.node(path);
    return isSeq(n) || isMap(n) ? n.items.length : 0;
  }

  set(path: YamlPath, value: unknown, options?: InsertOptions): this {
    if (path.length === 0) throw new YamlEditError('Cannot replace the whole document');
    const line = this.simpleLine(path);
    const plain = line && plainScalarText(value);
    if (line && plain !== undefined) {
      // what replaceSlot does for this line, without parsing it: the text after the colon
      if (line.value !== value) this.splice(line.start, line.end, ` ${plain}`);
      return this;
    }
    // a key added at the root needs the whole document (where it goes); a key that is there, only its segment
    const via = this.route(path);
    if (via && via !== 'absent') {
      via.set(path, value, options);
      return this;
    }
    if (via === 'absent' && path.length > 1) throw new YamlEditError(`No ${formatPath(path.slice(0, 1))} in the document`);
    const slot = this.slot(path);
    if (slot.node === undefined) {
      const key = path[path.length - 1];
      if (!isMap(slot.parent) && !isParentNull(slot)) {
        throw new YamlEditError(`Cannot add ${String(key)}: ${formatPath(path.slice(0, -1))} is not a mapping`);
      }
      this.insertPair(path.slice(0, -1), String(key), value, options);
      return this;
    }
    if (isScalar(slot.node) && slot.node.value === value) return this; // unchanged: no bytes touched
    this.replaceSlot(slot, value);
    return this;
  }

  deleteKey(path: YamlPath): this {
    // a root key's removal depends on its neighbours (the whole document); a deeper one, only on its segment
    const via = this.route(path, 2);
    if (via === 'absent') throw new YamlEditError(`No ${formatPath(path.slice(0, 1))} in the document`);
    if (via) {
      via.deleteKey(path);
      return this;
    }
    const slot = this.slot(path);
    if (slot.node === undefined || !slot.pair || !isMap(slot.parent)) return this;
    const map = slot.parent;
    const i = map.items.indexOf(slot.pair);
    const keyNode = slot.pair.key as YNode;
    const start = rangeOf(keyNode)[0];
    const end = pairEnd(slot.pair);
    if (slot.flow) {
      this.removeFlowEntry(map.items.map((p) => [rangeOf(p.key as YNode)[0], pairEnd(p)]), i);
      return this;
    }
    const ls = lineStart(this.text, start);
    if (map.items.length === 1 && !(this.grown.has(map) && isBlank(this.text.slice(ls, start)))) {
      this.emptyCollection(map, this.slot(path.slice(0, -1)), {});
      return this;
    }
    if (isBlank(this.text.slice(ls, start))) {
      this.splice(ls, this.extendOverComments(this.lineEndAfter(end), start - ls), '');
    } else {
      // first key of a `- key: value` item: the next key moves up onto the `- ` line
      const next = map.items[i + 1];
      if (!next) throw new YamlEditError(`Cannot delete ${formatPath(path)}`);
      this.splice(start, rangeOf(next.key as YNode)[0], '');
    }
    return this;
  }

  deleteSeqItem(path: YamlPath): this {
    const via = this.route(path, 2);
    if (via && via !== 'absent') {
      via.deleteSeqItem(path);
      return this;
    }
    const slot = this.slot(path);
    if (!isSeq(slot.parent) || slot.index === undefined || slot.node === undefined) {
      throw new YamlEditError(`No sequence item at ${formatPath(path)}`);
    }
    const seq = slot.parent;
    if (slot.flow) {
      this.removeFlowEntry(
        seq.items.map((it) => {
          const r = rangeOf(it as YNode);
          return [r[0], r[1]];
        }),
        slot.index,
      );
      return this;
    }
    if (seq.items.length === 1 && !(this.grown.has(seq) && isBlank(this.text.slice(lineStart(this.text, seqIndicator(seq, 0)), seqIndicator(seq, 0))))) {
      this.emptyCollection(seq, this.slot(path.slice(0, -1)), []);
      return this;
    }
    const ind = seqIndicator(seq, slot.index);
    const ls = lineStart(this.text, ind);
    if (!isBlank(this.text.slice(ls, ind))) throw new YamlEditError(`Cannot delete ${formatPath(path)}: not on its own line`);
    const item = slot.node;
    const end = item ? this.lineEndAfter(rangeOf(item)[1]) : this.lineEndAfter(ind + 1);
    this.splice(ls, this.extendOverComments(end, ind - ls), '');
    return this;
  }

  insertSeqItem(seqPath: YamlPath, index: number | 'end', value: unknown, options?: InsertOptions): this {
    const via = this.route(seqPath);
    if (via && via !== 'absent') {
      via.insertSeqItem(seqPath, index, value, options);
      return this;
    }
    const slot = seqPath.length === 0 ? this.rootSlot() : this.slot(seqPath);
    const seq = slot.node;
    if (seq === undefined) {
      if (seqPath.length === 0) throw new YamlEditError('Empty document');
      return this.set(seqPath, [value], options);
    }
    if (seq === null || (isScalar(seq) && seq.value === null)) {
      this.replaceSlot(slot, [value]);
      return this;
    }
    if (!isSeq(seq)) throw new YamlEditError(`${formatPath(seqPath)} is not a sequence`);
    const n = seq.items.length;
    const at = index === 'end' || index >= n ? n : Math.max(0, index);
    if (seq.flow || slot.flow) {
      if (n === 0) {
        if (!slot.flow) this.replaceSlot(slot, [value]);
        else this.splice(rangeOf(seq)[0], rangeOf(seq)[1], JSON.stringify([value]));
        return this;
      }
      const rendered = renderFlowValue(value, undefined, this.json);
      const entries = seq.items.map((it): [number, number] => [rangeOf(it as YNode)[0], rangeOf(it as YNode)[1]]);
      this.insertFlowEntry(entries, at, rendered);
      return this;
    }
    if (this.refill(seq, at, value)) return this;
    this.grown.add(seq);
    const col = column(this.text, seqIndicator(seq, 0));
    const itemText = ' '.repeat(col) + '-' + renderSeqItemTail(value, col) + '\n';
    if (at < n) {
      this.splice(lineStart(this.text, seqIndicator(seq, at)), undefined, this.nl(itemText));
    } else {
      const last = seq.items[n - 1] as YNode | null;
      const end = last ? rangeOf(last)[1] : seqIndicator(seq, n - 1) + 1;
      this.insertAtLineEnd(end, itemText);
    }
    return this;
  }

  /** The edited text; the original string itself when no edit changed anything. */
  toString(): string {
    if (this.splices.length === 0) return this.text;
    // lines inserted at one place, where nested collections end together: the deeper ones first (a key added to the
    // last header of a folder and a key added to the folder after its headers both go where the headers end)
    const indent = (s: Splice): number => (s.start === s.end && (s.start === 0 || this.text[s.start - 1] === '\n') ? /^(?:\r?\n)?( *)/.exec(s.text)![1].length : -1);
    const sorted = [...this.splices].sort((a, b) => {
      if (a.start !== b.start) return a.start - b.start;
      // text inserted where a replaced range starts goes before it (an item moved to the end of the list just
      // before its own old place, which is deleted)
      if ((a.start === a.end) !== (b.start === b.end)) return a.start === a.end ? -1 : 1;
      const ia = indent(a);
      const ib = indent(b);
      return (ia >= 0 && ib >= 0 ? ib - ia : 0) || a.order - b.order;
    });
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].start < sorted[i - 1].end) throw new YamlEditError('Overlapping edits');
    }
    let out = '';
    let pos = 0;
    for (const s of sorted) {
      out += this.text.slice(pos, s.start) + s.text;
      pos = s.end;
    }
    return out + this.text.slice(pos);
  }

  // ---------------------------------------------------------------------------------------------------------------

  private rootSlot(): Slot {
    return { parent: null, flow: false, node: this.doc.contents };
  }

  private slot(path: YamlPath): Slot {
    let cur: unknown = this.doc.contents;
    let flow = false;
    let parent: Collection | null = null;
    let pair: Pair<unknown, unknown> | undefined;
    let index: number | undefined;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (isMap(cur)) {
        flow = flow || !!cur.flow;
        parent = cur;
        index = undefined;
        pair = findPair(cur, seg);
        if (!pair) {
          if (last) return { parent, flow, node: undefined };
          throw new YamlEditError(`No ${formatPath(path.slice(0, i + 1))} in the document`);
        }
        cur = pair.value;
      } else if (isSeq(cur) && typeof seg === 'number') {
        flow = flow || !!cur.flow;
        parent = cur;
        pair = undefined;
        index = seg;
        if (seg < 0 || seg >= cur.items.length) {
          throw new YamlEditError(`No ${formatPath(path.slice(0, i + 1))} in the document`);
        }
        cur = cur.items[seg];
      } else if (last && (cur === null || (isScalar(cur) && cur.value === null))) {
        // the parent is an empty value (`key:`): the caller turns it into a mapping
        return { parent: null, flow, node: undefined, pair: undefined, index: undefined };
      } else {
        throw new YamlEditError(`No ${formatPath(path.slice(0, i + 1))} in the document`);
      }
    }
    return { parent, flow, pair, index, node: cur as YNode | null };
  }

  private splice(start: number, end: number | undefined, text: string): void {
    const at = end ?? start;
    // text that ends in a block scalar takes in the lines of spaces after it that are indented deeper than its key
    // (as more of its text), and one keeping its final line breaks (`|+`: a value ending in two) the empty lines too,
    // and counts the line break after it (a script ending in an empty line grew by one each time it was written above
    // an empty line): those lines go, and at the end of a file without a final line break, it gets one
    const block = blockAtEnd(text);
    if (block?.keep && at === this.text.length && !this.text.endsWith('\n')) text += this.eol;
    this.splices.push({ start: this.offset + start, end: this.offset + at, text, order: this.splices.length });
    if (block) {
      // from the start of the line after the text (the rest of its line, when it ends inside one)
      const from = at === 0 || this.text[at - 1] === '\n' ? at : this.text.indexOf('\n', at) + 1;
      const blank = /([ \t]*)(?:\r?\n|$)/y;
      let to = from;
      let deeper = block.keep;
      for (let m; from > 0 && ((blank.lastIndex = to), (m = blank.exec(this.text))) && m[0]; to = blank.lastIndex) deeper ||= m[1].length > block.indent;
      if (deeper && to > from) this.splices.push({ start: this.offset + from, end: this.offset + to, text: '', order: this.splices.length });
    }
  }

  private nl(text: string): string {
    return this.eol === '\n' ? text : text.replace(/\r?\n/g, this.eol);
  }

  /** Position after the end of the line containing `pos - 1` (pos itself when already at a line start). */
  private lineEndAfter(pos: number): number {
    if (pos === 0 || this.text[pos - 1] === '\n') return pos;
    const nl = this.text.indexOf('\n', pos);
    return nl === -1 ? this.text.length : nl + 1;
  }

  /** Inserts whole lines after the line that `pos` ends, adding the missing final newline of the file if needed. */
  private insertAtLineEnd(pos: number, lines: string): void {
    const at = this.lineEndAfter(pos);
    const needsNl = at === this.text.length && at > 0 && this.text[at - 1] !== '\n';
    this.splice(at, undefined, this.nl((needsNl ? '\n' : '') + lines));
  }

  /** Extends a removal end over the comment lines indented deeper than `col` that follow it (they belong to it). */
  private extendOverComments(end: number, col: number): number {
    let pos = end;
    while (pos < this.text.length) {
      const nl = this.text.indexOf('\n', pos);
      const lineEnd = nl === -1 ? this.text.length : nl + 1;
      const line = this.text.slice(pos, lineEnd);
      const m = /^( *)#/.exec(line);
      if (!m || m[1].length <= col) break;
      pos = lineEnd;
    }
    return pos;
  }

  /** Replaces the value of a slot (pair value or sequence item) with `value`, rendered for its context. */
  private replaceSlot(slot: Slot, value: unknown): void {
    const node = slot.node;
    if (slot.flow) {
      if (!node) throw new YamlEditError('Cannot set an empty value inside a flow collection');
      const r = rangeOf(node);
      this.splice(r[0], r[1], renderFlowValue(value, node, this.json));
      return;
    }
    let start: number;
    let tail: string;
    if (slot.pair) {
      const keyNode = slot.pair.key as YNode;
      const kr = rangeOf(keyNode);
      start = colonOffset(this.text, slot.pair) + 1;
      tail = renderPairTail(value, column(this.text, kr[0]), kr[1] - kr[0]);
    } else if (isSeq(slot.parent) && slot.index !== undefined) {
      const ind = seqIndicator(slot.parent, slot.index);
      start = ind + 1;
      tail = renderSeqItemTail(value, column(this.text, ind));
    } else {
      throw new YamlEditError('Cannot replace this node');
    }
    let end = node ? rangeOf(node)[1] : start;
    if (end < start) end = start;
    const old = this.text.slice(start, end);
    // a block scalar keeps its header as written: `|-2` and `|2-` say the same, `yaml` writes the second
    const oldHeader = /^ ?([|>][-+0-9]*)[ \t]*\r?\n/.exec(old)?.[1];
    const newHeader = /^ ?([|>][-+0-9]*)\n/.exec(tail)?.[1];
    if (oldHeader && newHeader && oldHeader !== newHeader && [...oldHeader].sort().join('') === [...newHeader].sort().join('')) {
      tail = tail.replace(newHeader, oldHeader);
    }
    if (old.endsWith('\n')) {
      tail += '\n';
    } else if (tail.includes('\n')) {
      // a multi-line value after a one-line one: drop what followed on that line (a comment), keep the newline
      const nl = this.text.indexOf('\n', end);
      end = nl === -1 ? this.text.length : this.text[nl - 1] === '\r' ? nl - 1 : nl;
    }
    this.splice(start, end, this.nl(tail));
  }

  private insertPair(mapPath: YamlPath, key: string, value: unknown, options?: InsertOptions): void {
    const slot = mapPath.length === 0 ? this.rootSlot() : this.slot(mapPath);
    const map = slot.node;
    if (map === undefined) throw new YamlEditError(`No ${formatPath(mapPath)} in the document`);
    if (map === null || (isScalar(map) && map.value === null)) {
      this.replaceSlot(slot, { [key]: value });
      return;
    }
    if (!isMap(map)) throw new YamlEditError(`${formatPath(mapPath)} is not a mapping`);
    if (map.flow || slot.flow) {
      if (map.items.length === 0) {
        if (!slot.flow && slot.node !== this.doc.contents) this.replaceSlot(slot, { [key]: value });
        else this.splice(rangeOf(map)[0], rangeOf(map)[1], JSON.stringify({ [key]: value }));
        return;
      }
      const json = this.json || map.items.some((p) => isScalar(p.key) && p.key.type === 'QUOTE_DOUBLE');
      const entry = `${json ? JSON.stringify(key) : renderFlowValue(key, undefined)}: ${renderFlowValue(value, undefined, json)}`;
      this.insertFlowEntry(
        map.items.map((p) => [rangeOf(p.key as YNode)[0], pairEnd(p)]),
        map.items.length,
        entry,
      );
      return;
    }
    if (this.refill(map, key, value)) return;
    this.grown.add(map);
    const firstKey = rangeOf(map.items[0].key as YNode)[0];
    const col = column(this.text, firstKey);
    const lines = ' '.repeat(col) + renderPairText(key, value, col) + '\n';
    if (options?.before) {
      const before = new Set(options.before);
      const target = map.items.find((p) => isScalar(p.key) && before.has(String(p.key.value)));
      if (target) {
        const ks = rangeOf(target.key as YNode)[0];
        const ls = lineStart(this.text, ks);
        if (isBlank(this.text.slice(ls, ks))) {
          this.splice(ls, undefined, this.nl(lines));
          return;
        }
      }
    }
    this.insertAtLineEnd(rangeOf(map)[1], lines);
  }

  /** Replaces a block collection whose last entry is deleted with `empty`, remembered for `refill`. */
  private emptyCollection(node: object, slot: Slot, empty: Record<string, never> | never[]): void {
    const at = this.splices.length;
    this.replaceSlot(slot, empty);
    this.emptied.set(node, { at, slot, entries: [] });
  }

  /**
   * An entry added to a block collection whose last entry this editor deleted: the replacement written then is
   * rewritten with every entry added since (a mapping's by key, a sequence's at `at`). Whether it was one.
   */
  private refill(node: object, at: string | number, value: unknown): boolean {
    const e = this.emptied.get(node);
    if (!e) return false;
    if (typeof at === 'string') e.entries.push([at, value]);
    else e.entries.splice(Math.min(at, e.entries.length), 0, [at, value]);
    const { order } = this.splices[e.at];
    const next = isSeq(node) ? e.entries.map(([, v]) => v) : Object.fromEntries(e.entries);
    this.replaceSlot(e.slot, next);
    const fresh = this.splices.pop()!;
    this.splices[e.at] = { ...fresh, order };
    return true;
  }

  /** Removes entry i of a flow collection with the comma that separates it from its neighbour. */
  private removeFlowEntry(entries: readonly (readonly [number, number])[], i: number): void {
    const [start, end] = entries[i];
    const ownLine = isBlank(this.text.slice(lineStart(this.text, start), start));
    if (i > 0 && (!ownLine || i === entries.length - 1)) this.splice(entries[i - 1][1], end, '');
    else if (i < entries.length - 1) this.splice(start, entries[i + 1][0], '');
    else this.splice(start, end, '');
  }

  /** Inserts a rendered entry into a non-empty flow collection before entry `at` (or after the last). */
  private insertFlowEntry(entries: readonly (readonly [number, number])[], at: number, rendered: string): void {
    const ref = entries[Math.min(at, entries.length - 1)];
    const ls = lineStart(this.text, ref[0]);
    const ownLine = isBlank(this.text.slice(ls, ref[0]));
    const sep = ownLine ? ',' + this.eol + this.text.slice(ls, ref[0]) : ', ';
    if (at < entries.length) this.splice(entries[at][0], undefined, rendered + sep);
    else this.splice(entries[entries.length - 1][1], undefined, sep + rendered);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// top-level segments

const SEGMENT_KEY = /^([A-Za-z_][A-Za-z0-9_]*):(?: |\n|$)/;

/**
 * The top-level entries of a text whose root is a plain block mapping, each from its key line to the next key line,
 * or undefined when the text is not that simple. Conservative: every line at column 0 must be a `key:` (a plain
 * name, seen once), a comment or blank, before the first key only comments and blank lines; no carriage return, no
 * tab or byte-order mark at a line start, no document marker or directive. A value that starts on its key line with
 * a quote or a bracket must end inside its entry (a quoted scalar or flow collection whose later lines sat at column
 * 0, which YAML refuses but a lenient reader might take, could otherwise hide a `key:` line).
 */
export function topLevelSegments(text: string): Map<string, Segment> | undefined {
  if (text.includes('\r')) return undefined;
  const keys: { key: string; start: number; value: number }[] = [];
  for (let pos = 0; pos < text.length; ) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl + 1;
    const c = text.charCodeAt(pos);
    if (c === 0x23 /* # */ || c === 0x0a) {
      // a comment or a blank line
    } else if (c === 0x20 /* space */) {
      if (keys.length === 0) return undefined;
    } else {
      const m = SEGMENT_KEY.exec(text.slice(pos, Math.min(end, pos + 256)));
      if (!m) return undefined;
      keys.push({ key: m[1], start: pos, value: pos + m[0].length });
    }
    pos = end;
  }
  if (keys.length === 0) return undefined;
  const out = new Map<string, Segment>();
  for (let i = 0; i < keys.length; i++) {
    const { key, start, value } = keys[i];
    if (out.has(key)) return undefined;
    const end = i + 1 < keys.length ? keys[i + 1].start : text.length;
    if (!closesInside(text, value, end)) return undefined;
    out.set(key, { start, end });
  }
  return out;
}

/** Whether a value starting at `from` (after `key:`) that opens with a quote or a bracket closes before `end`. */
function closesInside(text: string, from: number, end: number): boolean {
  let p = from;
  while (text.charCodeAt(p) === 0x20) p++;
  const c = text[p];
  if (c === '"') {
    for (let i = p + 1; i < end; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') return true;
    }
    return false;
  }
  if (c === "'") {
    for (let i = p + 1; i < end; i++) {
      if (text[i] !== "'") continue;
      if (text[i + 1] === "'") i++;
      else return true;
    }
    return false;
  }
  if (c === '{' || c === '[') {
    // a flow collection: only one that ends on its own line (`{}`, `[]`, `{ a: 1 }`)
    const nl = text.indexOf('\n', p);
    const line = text.slice(p, nl === -1 || nl > end ? end : nl).replace(/\s+#.*$/, '').trimEnd();
    return line.endsWith(c === '{' ? '}' : ']');
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// rendering

const WRAP_KEY = '_';

/**
 * Lines of `inner` rendered by `yaml` as if it sat at `col`: it is wrapped in `col / 2` mappings so that line folding
 * (80 columns, counted from the line start) and block-scalar indentation come out exactly as in a whole-document
 * `YAML.stringify`; the wrapper lines are then dropped. The first line is returned without its indentation.
 */
function renderAt(inner: unknown, col: number): string[] {
  const depth = col >> 1;
  const odd = col & 1;
  let wrapped = inner;
  for (let i = 0; i < depth; i++) wrapped = { [WRAP_KEY]: wrapped };
  const out = safeStringify(wrapped, { aliasDuplicateObjects: false, lineWidth: odd ? 79 : 80 });
  const lines = out.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const body = lines.slice(depth).map((l) => (odd && l !== '' ? ' ' + l : l));
  body[0] = body[0].trimStart();
  return body;
}

/** `key: value` rendered at column `col` (first line unindented, no final newline). */
function renderPairText(key: string, value: unknown, col: number): string {
  return renderAt({ [key]: value }, col).join('\n');
}

/** What follows `key:` for a key `keyLength` characters long at column `col`: ` scalar`, ` |-\n  ...` or `\n  a: 1`. */
function renderPairTail(value: unknown, col: number, keyLength: number): string {
  const plain = plainScalarText(value);
  if (plain !== undefined) return ` ${plain}`;
  const dummy = 'k'.repeat(Math.max(1, keyLength));
  return renderPairText(dummy, value, col).slice(dummy.length + 1);
}

/** What follows the `-` of a sequence item at column `col`. */
function renderSeqItemTail(value: unknown, col: number): string {
  const plain = plainScalarText(value);
  if (plain !== undefined) return ` ${plain}`;
  return renderAt([value], col).join('\n').slice(1);
}

/**
 * A string `yaml` writes plain, as it is, in a block mapping or sequence at any column: ASCII that starts with a
 * letter (no number, `.inf`, indicator or document marker can start so), without a space or tab (nothing to fold at
 * 80 columns, no `: ` or ` #`), a colon only inside (`k:` at the end would be a key), no quote, bracket, brace,
 * backslash, `|` or `>`. A URL like `https://api.example/v1/orders?id=7#top` is one.
 */
const PLAIN_AS_IS = /^[A-Za-z](?:[A-Za-z0-9._~/?#@!$&()*+,;=%-]|:(?=.))*$/;
/** The words of the YAML 1.2 core schema that read as a boolean or null: `yaml` quotes them. */
const CORE_WORDS = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;

/** A top-level entry of one line, `key: value`, nothing after the value (no comment, no trailing space). */
const SIMPLE_LINE = /^([A-Za-z_][A-Za-z0-9_]*): ([^\s]+)\n?$/;

/**
 * What `yaml` reads a plain scalar as, when it is one `plainScalarText` writes as it is: a safe integer in decimal
 * (no sign but `-`, no leading zero), true, false, null, or a `PLAIN_AS_IS` string. Undefined for anything else
 * (`0x1F`, `1.5`, `True`, `~`, a quoted string...), which is left to `yaml`.
 */
function simpleScalarValue(text: string): ScalarValue | undefined {
  if (/^(?:0|-?[1-9][0-9]*)$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  return PLAIN_AS_IS.test(text) && !CORE_WORDS.test(text) ? text : undefined;
}

/**
 * The text `yaml` (Insomnia's `YAML.stringify`) gives a scalar in block context, found without building a document
 * for the cases where it is the value as it is: a safe integer, a boolean, a string `PLAIN_AS_IS` takes. Undefined
 * for anything else (which is rendered by `yaml`). An edit of a request's URL and `modified` renders two of these;
 * the `yaml` document built for each was a fifth of the edit's planning.
 */
export function plainScalarText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string' && PLAIN_AS_IS.test(value) && !CORE_WORDS.test(value)) return value;
  return undefined;
}

const FLOW_UNSAFE = /[,[\]{}\n\r]/;

/** A value inside a flow collection or a JSON-style file: JSON text, or a plain scalar when the old one was plain. */
function renderFlowValue(value: unknown, old: YNode | null | undefined, json = false): string {
  if (typeof value === 'string' && !json) {
    const keepPlain = old === undefined || (isScalar(old) && old.type === 'PLAIN');
    if (keepPlain && !FLOW_UNSAFE.test(value)) {
      const rendered = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
      if (rendered === value) return value;
    }
  }
  return JSON.stringify(value) ?? 'null';
}

// ---------------------------------------------------------------------------------------------------------------
// positions

function findPair(map: YAMLMap<unknown, unknown>, seg: string | number): Pair<unknown, unknown> | undefined {
  const want = String(seg);
  return map.items.find((p) => {
    const k = isScalar(p.key) ? p.key.value : p.key;
    return k === seg || String(k) === want;
  });
}

function rangeOf(node: YNode | { range?: [number, number, number] | null }): [number, number, number] {
  const r = node.range;
  if (!r) throw new YamlEditError('Node without a source range');
  return r;
}

/** End of a pair's text: its value's end, or its key's when the value is empty. */
function pairEnd(pair: Pair<unknown, unknown>): number {
  const v = pair.value as YNode | null;
  if (v && v.range && v.range[1] > rangeOf(pair.key as YNode)[1]) return v.range[1];
  return rangeOf(pair.key as YNode)[1];
}

interface SourceTokenLike {
  readonly type: string;
  readonly offset: number;
}
interface CollItemLike {
  readonly start?: readonly SourceTokenLike[];
  readonly sep?: readonly SourceTokenLike[];
}

/** Offset of the `:` of a mapping pair. */
function colonOffset(text: string, pair: Pair<unknown, unknown>): number {
  const src = (pair as unknown as { srcToken?: CollItemLike }).srcToken;
  const tok = src?.sep?.find((t) => t.type === 'map-value-ind');
  if (tok) return tok.offset;
  const keyEnd = rangeOf(pair.key as YNode)[1];
  const i = text.indexOf(':', keyEnd);
  if (i === -1) throw new YamlEditError('Mapping pair without a `:`');
  return i;
}

/** Offset of the `-` of item i of a block sequence. */
function seqIndicator(seq: YAMLSeq<unknown>, i: number): number {
  const src = (seq as unknown as { srcToken?: { items?: readonly CollItemLike[] } }).srcToken;
  const tok = src?.items?.[i]?.start?.find((t) => t.type === 'seq-item-ind');
  if (!tok) throw new YamlEditError('Sequence item without a `-` indicator');
  return tok.offset;
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function column(text: string, pos: number): number {
  return pos - lineStart(text, pos);
}

function isBlank(s: string): boolean {
  return /^[ \t]*$/.test(s);
}

function isParentNull(slot: Slot): boolean {
  return slot.parent === null;
}

function formatPath(path: YamlPath): string {
  return path.length === 0 ? '(root)' : path.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.');
}
