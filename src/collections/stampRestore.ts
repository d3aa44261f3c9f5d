// An edit taken back (typed and undone, a name changed and changed back) must leave `git status` clean: Insomnia
// bumps an object's `modified` on every edit, so the file would otherwise keep a lone `modified:` change. The store
// keeps the text a file had before its own run of writes to it; when a write would make the file that text again
// except for `modified` stamps, it writes that text, stamps and all. Nothing the user means is touched: the two
// texts must be line for line the same but for stamp lines, and mean the same but for stamp values.
const STAMP_LINE = /^( *)modified: \d+$/;
/** a key that opens a mapping (`meta:`, `- name: x`'s item, `collection:`), not a block scalar (`text: |-`). */
const KEY_LINE = /^ *(- )?("[^"]*"|'[^']*'|[^\s:|>#"'][^:]*):( [^|>].*)?$/;

/**
 * Whether `next` is `earlier` with some `modified` stamps changed (a legacy document's top-level `modified`, a v5
 * object's `meta.modified`, outside any environment's `data`), and nothing else. Texts of other lengths are taken as
 * different at once (a stamp keeps its 13 digits), so that a big file's usual edit costs nothing here.
 */
export function onlyStampsDiffer(earlier: string, next: string): boolean {
  if (earlier === next) return true;
  if (earlier.length !== next.length) return false;
  let at = 0;
  const CHUNK = 4096;
  while (at < earlier.length) {
    if (earlier.slice(at, at + CHUNK) === next.slice(at, at + CHUNK)) {
      at += CHUNK;
      continue;
    }
    let i = at;
    while (earlier[i] === next[i]) i++;
    // the line of the difference, in both texts (same length so far: the same bounds)
    const start = earlier.lastIndexOf('\n', i - 1) + 1;
    const endA = lineEnd(earlier, i);
    const endB = lineEnd(next, i);
    if (endA !== endB) return false;
    const a = earlier.slice(start, endA);
    const b = next.slice(start, endB);
    const ma = STAMP_LINE.exec(a);
    const mb = STAMP_LINE.exec(b);
    if (!ma || !mb || ma[1] !== mb[1] || !isStampAt(earlier, start, ma[1].length)) return false;
    at = endA;
  }
  return true;
}

function lineEnd(text: string, from: number): number {
  const n = text.indexOf('\n', from);
  return n === -1 ? text.length : n;
}

/** Whether the `modified:` line at `lineStart` (indented `indent`) is a stamp: top-level, or `meta.modified` whose keys above are all keys. */
function isStampAt(text: string, lineStart: number, indent: number): boolean {
  if (indent === 0) return true;
  let parentSeen = false;
  let want = indent;
  for (let end = lineStart - 1; end > 0 && want > 0;) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    end = start - 1;
    const body = line.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    const ind = line.length - body.length;
    if (ind >= want) continue; // a sibling or something deeper (`- name: x` is the item holding keys at ind + 2)
    if (!KEY_LINE.test(line)) return false;
    const key = body.replace(/^- /, '').split(':')[0];
    if (!parentSeen) {
      if (key !== 'meta' || body.startsWith('- ')) return false;
      parentSeen = true;
    } else if (key === 'data') return false;
    want = ind;
  }
  return parentSeen;
}

/**
 * `next` (the write of `now` about to be made) with each v5 item whose stamp this write changed given back as it is
 * in `start`, when it differs from it only by stamps: one request's edit taken back while other requests of the same
 * file keep their own uncommitted changes (onlyStampsDiffer compares whole files only). An item is found in `start`
 * by its id at the same depth; its block (the `- ` line to the next line indented less than its keys, its children
 * with it) is replaced only when the whole file then differs from `next` by stamps alone.
 */
/** The largest item (and write) whose stamps are given back one by one; a larger one only with its whole file. */
const ITEM_LIMIT = 64 * 1024;

export function restoreItemStamps(start: string, now: string, next: string): string {
  const max = Math.min(now.length, next.length);
  let p = 0;
  while (p + 4096 <= max && now.slice(p, p + 4096) === next.slice(p, p + 4096)) p += 4096;
  while (p < max && now.charCodeAt(p) === next.charCodeAt(p)) p++;
  let s = 0;
  while (s + 4096 <= max - p && now.slice(now.length - s - 4096, now.length - s) === next.slice(next.length - s - 4096, next.length - s)) s += 4096;
  while (s < max - p && now.charCodeAt(now.length - 1 - s) === next.charCodeAt(next.length - 1 - s)) s++;
  // what this write changed, whole lines: an edit that spans more (a large body's) is left to the whole-file check,
  // so that a keystroke in a large item costs nothing here (the event loop's budget: largeBodyEdit.test.ts)
  const from = next.lastIndexOf('\n', p - 1) + 1;
  const region = next.slice(from, lineEnd(next, next.length - s));
  if (region.length > ITEM_LIMIT) return next;
  let out = next;
  const stamps = /^( +)modified: \d+$/gm;
  for (let m = stamps.exec(region); m; m = stamps.exec(region)) {
    const indent = m[1]!;
    const id = idNear(next, from + m.index, indent);
    if (!id) continue;
    const at = start.indexOf(`\n${indent}id: ${id}\n`);
    const here = out.indexOf(`\n${indent}id: ${id}\n`);
    if (at < 0 || here < 0) continue;
    const was = itemBlock(start, at + 1, indent.length - 2);
    const is = itemBlock(out, here + 1, indent.length - 2);
    if (!was || !is) continue;
    const before = start.slice(was[0], was[1]);
    if (before.length !== is[1] - is[0] || before === out.slice(is[0], is[1])) continue;
    const candidate = out.slice(0, is[0]) + before + out.slice(is[1]);
    if (onlyStampsDiffer(candidate, out)) out = candidate;
  }
  return out;
}

const lineBefore = (text: string, ls: number): number => (ls === 0 ? -1 : text.lastIndexOf('\n', ls - 2) + 1);
const lineAfter = (text: string, ls: number): number => {
  const n = text.indexOf('\n', ls);
  return n < 0 || n + 1 >= text.length ? -1 : n + 1;
};

/** The `id:` beside the stamp line at `at` in the same `meta:` mapping (its keys indented `indent`). */
function idNear(text: string, at: number, indent: string): string | undefined {
  for (const step of [lineBefore, lineAfter]) {
    for (let ls = step(text, at); ls >= 0; ls = step(text, ls)) {
      const l = text.slice(ls, lineEnd(text, ls));
      if (!l.startsWith(indent)) break;
      if (l.startsWith(`${indent}id: `)) return l.slice(indent.length + 4);
    }
  }
  return undefined;
}

/** The bounds of the list item whose `meta:` (indented `metaIndent`) holds the line at `at`; undefined when that mapping is not a list item. */
function itemBlock(text: string, at: number, metaIndent: number): [number, number] | undefined {
  const indentOf = (from: number) => {
    let i = from;
    while (text[i] === ' ') i++;
    return text[i] === '\n' || i >= text.length ? Infinity : i - from;
  };
  let begin = at;
  while (begin > 0) {
    begin = text.lastIndexOf('\n', begin - 2) + 1;
    if (indentOf(begin) < metaIndent) break;
    if (at - begin > ITEM_LIMIT) return undefined;
  }
  if (indentOf(begin) !== metaIndent - 2 || text.slice(begin + metaIndent - 2, begin + metaIndent) !== '- ') return undefined;
  let end = text.indexOf('\n', begin) + 1;
  while (end > 0 && end < text.length && indentOf(end) >= metaIndent) {
    end = text.indexOf('\n', end) + 1;
    if (end - begin > ITEM_LIMIT) return undefined;
  }
  return [begin, end > 0 ? end : text.length];
}
