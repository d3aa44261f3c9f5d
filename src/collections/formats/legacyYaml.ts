// A fast path for the YAML that Insomnia writes into legacy `.insomnia/<Type>/<id>.yml` files: block mappings and
// sequences, one-line plain and quoted scalars, `{}`, `[]` and literal block scalars (`|`, `|-`), two-space indents.
// It reads that strict subset about four times faster than js-yaml and gives js-yaml's exact values (plain scalars
// are resolved by the core schema's own types, keys become strings as js-yaml makes them); on anything else (a
// comment, an empty line, a tab, an anchor, a tag, a flow collection with content, an escape, a multi-line plain
// scalar, a duplicate key, a document marker...) it gives up, and the caller parses the text with js-yaml, which is
// also what reports every error. Measured on the generated 10,000-request repository: the legacy read worker's parse
// is the critical path of opening the tree (bench/treeFirstLevel.bench.ts).
// test/unit/collections/formats/legacyYaml.test.ts checks it against js-yaml on fixtures and on generated documents.

import { CORE_IMPLICIT, startsAsString } from './fields';

/** characters js-yaml refuses or treats specially (tabs, CR, BOM, C0/C1 controls, lone surrogates): not this path's. */
const OUTSIDE = /[\x00-\x09\x0B-\x1F\x7F-\x9F\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/;

/** characters of a plain key this path reads (others: js-yaml reads the file). */
const KEY_CHAR = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$./-') KEY_CHAR[c.charCodeAt(0)] = 1;

/** characters a plain value may not start with here (YAML indicators; `-` is allowed when a non-space follows). */
const VALUE_INDICATOR = new Uint8Array(128);
for (const c of '?:,[]{}#&*!|>\'"%@`') VALUE_INDICATOR[c.charCodeAt(0)] = 1;

const SPACE = 0x20;
const COLON = 0x3a;
const DASH = 0x2d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const NL = 0x0a;
const BACKSLASH = 0x5c;
const HEX = '0123456789abcdef';

/** js-yaml's one-character escapes in double-quoted scalars (simpleEscapeSequence). */
const ESCAPES: (string | undefined)[] = [];
for (const [c, v] of Object.entries({ '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1B', ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xA0', L: '\u2028', P: '\u2029' })) {
  ESCAPES[c.charCodeAt(0)] = v;
}

/** thrown inside, caught by loadLegacyYaml: the text is not in this path's subset. */
const OUT = new Error('not in the fast subset');

/**
 * up to 15 decimal digits, signed or not, no leading zero: an int whose value `Number` gives exactly as js-yaml's int
 * type does (which reads `-0` as 0, and leading zeros its own way).
 */
const SHORT_DECIMAL = /^-?[1-9][0-9]{0,14}$/;

/**
 * A plain scalar as js-yaml's core schema resolves it: what cannot start a null, bool, int or float is a string; the
 * three words and short decimal ints Insomnia writes on every line are answered at once; the rest goes to the core
 * schema's own types, in its order.
 */
function plain(s: string): unknown {
  if (startsAsString(s.charCodeAt(0))) return s;
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null') return null;
  if (SHORT_DECIMAL.test(s)) return Number(s);
  for (const type of CORE_IMPLICIT) if (type.resolve(s)) return type.construct(s);
  return s;
}

/** A line of a plain scalar this path reads: no `: ` or ` #` in it (js-yaml would end the scalar there), no trailing space or colon. */
function plainLine(s: string): boolean {
  const last = s.charCodeAt(s.length - 1);
  return last !== SPACE && last !== COLON && !s.includes(': ') && !s.includes(' #');
}

class Reader {
  /** start of the current line, its end (the index of its `\n`, or the text's length), its indent. */
  private start = 0;
  private end = 0;
  private indent = 0;
  private eof = false;

  constructor(private readonly text: string) {
    this.at(0);
  }

  /** moves to the line starting at `i`; an empty line, a line of spaces or a comment line is out. */
  private at(i: number): void {
    const text = this.text;
    if (i >= text.length) {
      this.eof = true;
      this.start = this.end = i;
      this.indent = -1;
      return;
    }
    let end = text.indexOf('\n', i);
    if (end < 0) end = text.length;
    let j = i;
    while (j < end && text.charCodeAt(j) === SPACE) j++;
    if (j === end || text.charCodeAt(j) === 0x23 /* # */) throw OUT;
    this.start = i;
    this.end = end;
    this.indent = j - i;
  }

  private next(): void {
    this.at(this.end + 1);
  }

  document(): unknown {
    if (this.indent !== 0) throw OUT;
    const doc = this.mapping(0, this.start);
    if (!this.eof) throw OUT;
    return doc;
  }

  /** the last key read by `key`. */
  private lastKey = '';

  /**
   * If a key starts at `i` on the current line: where its value starts (after `: `), or the line's end (`key:`
   * alone), and the key in `lastKey`. -1 when the line holds no key there.
   */
  private key(i: number): number {
    const text = this.text;
    const end = this.end;
    let key: string;
    let j: number;
    const c = text.charCodeAt(i);
    if (c === DQUOTE || c === SQUOTE) {
      const close = text.indexOf(c === DQUOTE ? '"' : "'", i + 1);
      if (close < 0 || close >= end) return -1;
      key = text.slice(i + 1, close);
      if ((c === DQUOTE && key.includes('\\')) || key.length > 1000) throw OUT;
      j = close + 1;
      if (text.charCodeAt(j) !== COLON) return -1;
    } else {
      if (c === DASH) return -1;
      j = i;
      while (j < end) {
        const k = text.charCodeAt(j);
        if (k >= 128 || KEY_CHAR[k] === 0) break;
        j++;
      }
      if (j === i || j === end || text.charCodeAt(j) !== COLON || j - i > 1000) return -1;
      key = String(plain(text.slice(i, j)));
    }
    // j is at the colon
    this.lastKey = key;
    if (j + 1 === end) return end;
    if (text.charCodeAt(j + 1) !== SPACE) return -1;
    let v = j + 2;
    while (v < end && text.charCodeAt(v) === SPACE) v++;
    if (v === end) throw OUT; // `key:` and trailing spaces
    return v;
  }

  /**
   * A block mapping whose keys are at column `indent`; its first key starts at `first` on the current line (`value`:
   * what `key(first)` gave, when the caller already asked it).
   */
  private mapping(indent: number, first: number, value = this.key(first)): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      if (value < 0) throw OUT;
      const key = this.lastKey;
      if (key === '__proto__' || Object.prototype.hasOwnProperty.call(out, key)) throw OUT;
      out[key] = value === this.end ? this.below(indent) : this.inline(value, indent);
      if (this.eof || this.indent < indent) return out;
      if (this.indent > indent) throw OUT;
      const i = this.start + indent;
      if (this.text.charCodeAt(i) === DASH && this.text.charCodeAt(i + 1) === SPACE) return out; // a compact sequence's next item
      value = this.key(i);
    }
  }

  /** The value of a `key:` that ends its line (at column `indent`): what the lines below hold; moves past it. */
  private below(indent: number): unknown {
    this.next();
    if (this.eof || this.indent < indent) return null;
    const i = this.start + this.indent;
    const item = this.text.charCodeAt(i) === DASH && (this.text.charCodeAt(i + 1) === SPACE || i + 1 === this.end);
    if (this.indent === indent) return item ? this.sequence(indent, true) : null;
    return item ? this.sequence(this.indent, false) : this.mapping(this.indent, i);
  }

  /**
   * A block sequence whose `- ` are at column `indent` (`compact`: at its key's column, so a line there that is no
   * item ends it). Starts on the current line.
   */
  private sequence(indent: number, compact: boolean): unknown[] {
    const out: unknown[] = [];
    const text = this.text;
    for (;;) {
      const i = this.start + indent;
      if (i + 2 >= this.end || text.charCodeAt(i + 2) === SPACE) throw OUT; // `-` alone, or `-  x`
      const value = this.key(i + 2);
      if (value >= 0) out.push(this.mapping(indent + 2, i + 2, value));
      else {
        const c = text.charCodeAt(i + 2);
        if (c === 0x7c /* | */ || c === 0x3e /* > */ || (c === DASH && text.charCodeAt(i + 3) === SPACE)) throw OUT; // a block scalar, a sequence in a sequence
        out.push(this.inline(i + 2, indent));
      }
      if (this.eof || this.indent < indent) return out;
      if (this.indent > indent) throw OUT;
      const j = this.start + indent;
      if (text.charCodeAt(j) !== DASH || text.charCodeAt(j + 1) !== SPACE) {
        if (compact) return out;
        throw OUT;
      }
    }
  }

  /** A value from `i` to the line's end (the key's column `indent`, for a block scalar); moves past it. */
  private inline(i: number, indent: number): unknown {
    const text = this.text;
    const end = this.end;
    const c = text.charCodeAt(i);
    let value: unknown;
    if (c === DQUOTE || c === SQUOTE) {
      return this.quoted(i, indent);
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (end - i !== 2 || text.charCodeAt(i + 1) !== (c === 0x7b ? 0x7d : 0x5d)) throw OUT;
      value = c === 0x7b ? {} : [];
    } else if (c === 0x7c /* | */ || c === 0x3e /* > */) {
      const strip = end - i === 2 && text.charCodeAt(i + 1) === DASH;
      if (!strip && end - i !== 1) throw OUT;
      return this.block(indent, c === 0x3e, !strip);
    } else {
      if (c < 128 && VALUE_INDICATOR[c] === 1) throw OUT;
      if (c === DASH && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) throw OUT;
      let s = text.slice(i, end);
      if (!plainLine(s)) throw OUT;
      // lines below indented past the key (or the item's dash) continue it: folded as js-yaml's readPlainScalar folds
      let p = end;
      while (p < text.length) {
        let q = p;
        let breaks = 0;
        let lineIndent = 0;
        while (text.charCodeAt(q) === NL) {
          breaks++;
          const lineStart = ++q;
          while (text.charCodeAt(q) === SPACE) q++;
          lineIndent = q - lineStart;
        }
        if (q >= text.length || lineIndent <= indent) break;
        let e = text.indexOf('\n', q);
        if (e < 0) e = text.length;
        const line = text.slice(q, e);
        if (line.charCodeAt(0) === 0x23 /* # */ || !plainLine(line)) throw OUT;
        s += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
        s += line;
        p = e;
      }
      this.at(p + 1);
      return plain(s);
    }
    this.next();
    return value;
  }

  /**
   * A quoted scalar starting at `i` (its key, or sequence item, at column `indent`), over one line or more, read as
   * js-yaml's readSingleQuotedScalar and readDoubleQuotedScalar read it: a line break folds to a space, n empty lines
   * to n line breaks, the spaces around a break go. Escapes: js-yaml's one-character ones, `\x` and `\u`; others (and
   * an escaped line break) are out, as is a continuation line not indented past `indent` or anything after the
   * closing quote. Moves to the next line.
   */
  private quoted(i: number, indent: number): string {
    const text = this.text;
    const q = text.charCodeAt(i);
    let out = '';
    let p = i + 1;
    let from = p;
    let to = p;
    for (;;) {
      if (p >= text.length) throw OUT;
      const ch = text.charCodeAt(p);
      if (ch === q) {
        out += text.slice(from, p);
        p++;
        if (q === SQUOTE && text.charCodeAt(p) === SQUOTE) {
          from = p;
          to = ++p;
          continue;
        }
        break;
      }
      if (ch === BACKSLASH && q === DQUOTE) {
        out += text.slice(from, p);
        const e = text.charCodeAt(p + 1);
        const hex = e === 0x78 /* x */ ? 2 : e === 0x75 /* u */ ? 4 : 0;
        if (hex) {
          let code = 0;
          for (let k = p + 2; k < p + 2 + hex; k++) {
            const d = k < text.length ? HEX.indexOf(text[k]!.toLowerCase()) : -1;
            if (d < 0) throw OUT;
            code = code * 16 + d;
          }
          out += String.fromCharCode(code);
          p += 2 + hex;
        } else {
          const simple = e < 128 ? ESCAPES[e] : undefined;
          if (simple === undefined) throw OUT;
          out += simple;
          p += 2;
        }
        from = to = p;
        continue;
      }
      if (ch === NL) {
        out += text.slice(from, to);
        let breaks = 0;
        while (text.charCodeAt(p) === NL) {
          breaks++;
          p++;
          const lineStart = p;
          while (text.charCodeAt(p) === SPACE) p++;
          if (p < text.length && text.charCodeAt(p) !== NL && p - lineStart <= indent) throw OUT;
        }
        if (p >= text.length) throw OUT;
        out += breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
        from = to = p;
        continue;
      }
      p++;
      if (ch !== SPACE) to = p;
    }
    if (p < text.length && text.charCodeAt(p) !== NL) throw OUT;
    this.at(p + 1);
    return out;
  }

  /**
   * A block scalar below a key at column `indent` (`folded`: `>`, else `|`; `clip`: no `-`), as js-yaml's
   * readBlockScalar reads it: its indent is its first line's, empty lines count, the next line less indented ends
   * it. Moves to that line. A line of spaces only, or a first line that is empty, is out.
   */
  private block(indent: number, folded: boolean, clip: boolean): string {
    const text = this.text;
    let at = -1;
    let out = '';
    let empty = 0;
    let moreIndented = false;
    let read = false;
    let s = this.end + 1;
    for (;;) {
      if (s >= text.length) break;
      let e = text.indexOf('\n', s);
      if (e < 0) e = text.length;
      if (e === s) {
        if (!read) throw OUT;
        empty++;
        s = e + 1;
        continue;
      }
      let j = s;
      while (j < e && text.charCodeAt(j) === SPACE) j++;
      if (j === e) throw OUT;
      const lineIndent = j - s;
      if (at < 0) {
        if (lineIndent <= indent) throw OUT;
        at = lineIndent;
      }
      if (lineIndent < at) {
        if (lineIndent > indent) throw OUT;
        break;
      }
      if (folded) {
        if (lineIndent > at) {
          moreIndented = true;
          out += '\n'.repeat(read ? 1 + empty : empty);
        } else if (moreIndented) {
          moreIndented = false;
          out += '\n'.repeat(empty + 1);
        } else if (empty === 0) {
          if (read) out += ' ';
        } else out += '\n'.repeat(empty);
      } else if (read) out += '\n'.repeat(1 + empty);
      out += text.slice(s + at, e);
      read = true;
      empty = 0;
      s = e + 1;
    }
    if (at < 0) throw OUT;
    if (clip) out += '\n';
    this.at(s);
    return out;
  }
}

/**
 * The document in `text`, as js-yaml's `load` with the core schema gives it, when the text is in this path's subset;
 * undefined otherwise (parse it with js-yaml then: that also reports the errors).
 */
export function loadLegacyYaml(text: string): Record<string, unknown> | undefined {
  if (OUTSIDE.test(text)) return undefined;
  try {
    return new Reader(text).document() as Record<string, unknown>;
  } catch (err) {
    if (err === OUT) return undefined;
    throw err;
  }
}
