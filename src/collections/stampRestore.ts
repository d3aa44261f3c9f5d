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
