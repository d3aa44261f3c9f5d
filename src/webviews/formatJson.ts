// Format JSON for the request editor's JSON body, templates included. A body that parses as JSON is formatted as
// JSON.stringify(JSON.parse(text), null, 2) does (what the button always did). One that does not, as nearly every real
// body with an Insomnia template in it (`{"id": {{ _.pet_id }}}`), is re-indented as Insomnia's own prettify does: by
// its braces, brackets, commas and colons, with strings and template tags (`{{ }}`, `{% %}`, `{# #}`) copied through
// untouched, and only the whitespace outside them changed. Text whose brackets, strings or tags do not pair up is given
// back with the reason, never half-formatted. Pure (no DOM): the webview imports it, unit tests test it.

/** The indent the request editor's Format JSON has always used. */
export const JSON_INDENT = '  ';

export type JsonFormat = { ok: true; text: string } | { ok: false; reason: string };

type Kind = 'open' | 'close' | 'comma' | 'colon' | 'value';
interface Token {
  kind: Kind;
  text: string;
  /** whitespace stood between this token and the one before it */
  spaceBefore: boolean;
  at: number;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
/** characters that end a bare run (a number, true, a word): structure, a string's quote, whitespace */
const isStop = (c: string) => isSpace(c) || c === '{' || c === '}' || c === '[' || c === ']' || c === ',' || c === ':' || c === '"';
const isTagStart = (s: string, i: number) => s[i] === '{' && (s[i + 1] === '{' || s[i + 1] === '%' || s[i + 1] === '#');

/**
 * The end (the index after its close) of the template tag starting at `i`, or -1 when it is not closed. As nunjucks
 * reads it: a `}}` or `%}` inside a quoted string of the tag (`{% response 'body', '}}' %}`) does not close it; a
 * comment `{# #}` closes at its first `#}`.
 */
function tagEnd(s: string, i: number): number {
  const open = s[i + 1];
  const close = open === '{' ? '}' : open;
  let quote: string | undefined;
  for (let j = i + 2; j < s.length; j++) {
    const c = s[j];
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = undefined;
    } else if (open !== '#' && (c === '"' || c === "'")) {
      quote = c;
    } else if (c === close && s[j + 1] === '}') {
      return j + 2;
    }
  }
  return -1;
}

/** The end of the JSON string starting at `i` (its quote), or -1 when it is not closed; a tag inside it is read whole. */
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') {
      j++;
    } else if (c === '"') {
      return j + 1;
    } else if (isTagStart(s, j)) {
      const end = tagEnd(s, j);
      if (end < 0) return -1;
      j = end - 1;
    }
  }
  return -1;
}

function tokenize(s: string): Token[] | string {
  const out: Token[] = [];
  let space = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (isSpace(c)) {
      space = true;
      i++;
      continue;
    }
    let kind: Kind = 'value';
    let end = i + 1;
    if (isTagStart(s, i)) {
      end = tagEnd(s, i);
      if (end < 0) return `the template tag at position ${i} is not closed`;
    } else if (c === '"') {
      end = stringEnd(s, i);
      if (end < 0) return `the string at position ${i} is not closed`;
    } else if (c === '{' || c === '[') {
      kind = 'open';
    } else if (c === '}' || c === ']') {
      kind = 'close';
    } else if (c === ',') {
      kind = 'comma';
    } else if (c === ':') {
      kind = 'colon';
    } else {
      while (end < s.length && !isStop(s[end])) end++;
    }
    out.push({ kind, text: s.slice(i, end), spaceBefore: space, at: i });
    space = false;
    i = end;
  }
  return out;
}

/**
 * Re-indents JSON text that may hold templates, by its structure alone (Insomnia's prettify): a line break and the
 * indent after `{`, `[` and `,` and before `}` and `]`, `: ` after a colon, `{}` and `[]` when empty; strings and tags as
 * they are; elsewhere whitespace only between two values that had some (a single space). Nothing but whitespace
 * outside strings and tags changes. The reason, instead, when brackets do not pair up or a string or tag is not closed.
 */
export function reindentJson(text: string, indent = JSON_INDENT): JsonFormat {
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { ok: false, reason: tokens };
  const out: string[] = [];
  const open: Token[] = [];
  let sawBracket = false;
  let breakPending = false;
  let prev: Token | undefined;
  const lineBreak = () => '\n' + indent.repeat(open.length);
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'close') {
      const o = open.pop();
      if (!o) return { ok: false, reason: `the "${t.text}" at position ${t.at} closes nothing` };
      if ((o.text === '{') !== (t.text === '}')) return { ok: false, reason: `the "${t.text}" at position ${t.at} does not close the "${o.text}" at position ${o.at}` };
      out.push(lineBreak(), t.text);
      breakPending = false;
      prev = t;
      continue;
    }
    if ((t.kind === 'comma' || t.kind === 'colon') && open.length === 0) {
      return { ok: false, reason: `the "${t.text}" at position ${t.at} is outside any object or array` };
    }
    if (breakPending) out.push(lineBreak());
    else if (prev && t.spaceBefore && prev.kind !== 'comma' && prev.kind !== 'colon' && t.kind !== 'comma' && t.kind !== 'colon') out.push(' ');
    breakPending = false;
    if (t.kind === 'open') {
      sawBracket = true;
      const next = tokens[k + 1];
      if (next?.kind === 'close' && (t.text === '{') === (next.text === '}')) {
        out.push(t.text, next.text);
        prev = next;
        k++;
        continue;
      }
      out.push(t.text);
      open.push(t);
      breakPending = true;
    } else if (t.kind === 'comma') {
      out.push(',');
      breakPending = true;
    } else if (t.kind === 'colon') {
      out.push(': ');
    } else {
      out.push(t.text);
    }
    prev = t;
  }
  if (open.length) {
    const o = open[open.length - 1];
    return { ok: false, reason: `the "${o.text}" at position ${o.at} is not closed` };
  }
  if (!sawBracket) return { ok: false, reason: tokens.length ? 'there is no object or array outside the template tags' : 'the body is empty' };
  return { ok: true, text: out.join('') };
}

/**
 * What the request editor's Format JSON gives: JSON as JSON.stringify(JSON.parse(text), null, 2) has it, and text with
 * templates (which JSON.parse refuses) re-indented by reindentJson.
 */
export function formatJson(text: string, indent = JSON_INDENT): JsonFormat {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return reindentJson(text, indent);
  }
  return { ok: true, text: JSON.stringify(parsed, null, indent) };
}
