// The request editor's URL field: the request's `url` followed by its enabled query parameters, and what a text typed
// into it means for the two. Shared by the page (ui/editor.ts) and the tests; no DOM and no 'vscode' here.
import type { KeyValue } from '../collections/model';

/** The parts of a query string (`a=1&b` -> a=1, b=''; an empty part or a bare `=` is no part). */
export function queryParts(query: string): { name: string; value: string }[] {
  return query
    .split('&')
    .filter((p) => p !== '' && p !== '=')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq === -1 ? { name: p, value: '' } : { name: p.slice(0, eq), value: p.slice(eq + 1) };
    });
}

/**
 * Whether a row is shown in the field: enabled and not wholly empty. A row with neither name nor value (a blank row
 * of the Params tab) shows nothing and stays where it is, as disabled rows do; `=1` (no name) is shown, as it was
 * typed, so that the field and the rows always mean the same (queryParts reads it back as that row).
 */
function shown(row: KeyValue): boolean {
  return !row.disabled && (row.name !== '' || row.value !== '');
}

/**
 * What the field shows: the url, then the enabled parameters as a query string. A row with an empty value shows as
 * `name=`: what Send sends for it and what Insomnia's query preview shows (`buildQueryStringFromParams(params, false)`).
 */
export function displayUrl(url: string, parameters: readonly KeyValue[]): string {
  const on = parameters.filter(shown);
  if (!on.length) return url;
  // a fragment stays at the end, after the query (Insomnia's joinUrlAndQueryString)
  const h = url.indexOf('#');
  const path = h === -1 ? url : url.slice(0, h);
  return `${path}${path.includes('?') ? '&' : '?'}${on.map(partText).join('&')}${h === -1 ? '' : url.slice(h)}`;
}

/** A text of the field in one form: the query's empty parts left out and each part as `name=value` (`c` and `c=` alike). */
function canonical(text: string): string {
  const q = text.indexOf('?');
  if (q === -1) return text;
  const h = text.lastIndexOf('#');
  const hash = h > q && !text.slice(h).includes('&') ? text.slice(h) : '';
  const query = text.slice(q + 1, text.length - hash.length);
  const parts = query.split('&').filter((p) => p !== '' && p !== '=').map((p) => (p.includes('=') ? p : `${p}=`));
  return `${text.slice(0, q)}${parts.length ? `?${parts.join('&')}` : ''}${hash}`;
}

/**
 * Whether the text typed into the field says what the request holds in the very form the field shows it but for what
 * a person may type either way: `&c` or `&c=` for a row with an empty value, an empty part (`&&`), a `?` or `&` at the
 * end. Such a text stays in the field when the page is drawn again (Send, news from the host): the field shows what
 * was typed. (A text that means the same in another way, `/pets&limit=5` for `/pets?limit=5`, is drawn as the field shows it.)
 */
export function showsSameAs(text: string, url: string, parameters: readonly KeyValue[]): boolean {
  return canonical(text) === canonical(displayUrl(url, parameters));
}

/**
 * What the field's text means: the request's `url` and the query parameters shown after it. A stored `url` that holds
 * a query string of its own keeps that many parts in `url`; the parts after them are the enabled parameters.
 */
export function splitUrl(text: string, stored: string): { base: string; query: { name: string; value: string }[] } {
  const { base, rest } = splitRaw(text, { url: stored, parameters: [] });
  return { base, query: queryParts(rest) };
}

/** The lengths of the common start and the common end of two texts (not overlapping in either). */
function commonEnds(a: string, b: string): { p: number; s: number } {
  const max = Math.min(a.length, b.length);
  let p = 0;
  while (p < max && a[p] === b[p]) p++;
  let s = 0;
  while (s < max - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return { p, s };
}

/**
 * The field's text as the request's `url` and the raw text of the parameters after it (not split into parts), read
 * as a change of the text the field showed when its editing began (`base.text`, by default what `base` displays):
 * - the `?` or `&` before the parameters untouched (the change wholly before it, or wholly after it): the url is the
 *   text before it, the parameters the text after it. So deleting the url's own query (`?status=available` of
 *   `/pets?status=available&limit=5`, the url being `/pets?status=available`) leaves `limit=5` a parameter.
 * - the change took that `?` away: the first `&` from where the change began starts the parameters, when a part
 *   follows it and no `?` comes before it (`/pets?status=available&limit=5` less `?status=available`: status goes,
 *   limit stays a row, as the field shows `&limit=5` after the url). (So a url pasted over it whose path holds `&`,
 *   `/a&b` and no `?`, is read as `/a?b`: a path with `&` and no query is rare, a parameter jumping into it was not.)
 * - else the text's first `?` starts the query, and the parts of the url's own query that the change did not wholly
 *   remove stay in the url (an edit inside it, `fixed=1` to `fixed=12`, keeps it there); the parts after them are
 *   the parameters.
 */
function splitRaw(text: string, base: UrlFieldBase): { base: string; rest: string } {
  const before = base.text ?? displayUrl(base.url, base.parameters);
  const { p, s } = commonEnds(before, text);
  const b0 = base.url.length;
  if (before.length > b0 && before.startsWith(base.url) && before[b0] === (base.url.includes('?') ? '&' : '?')) {
    const b = b0 < p ? b0 : b0 >= before.length - s ? b0 + text.length - before.length : -1;
    if (b !== -1) return { base: ownQuery(text.slice(0, b), base.url, p), rest: text.slice(b + 1) };
  }
  let q = text.indexOf('?');
  const q0 = before.indexOf('?');
  if (q0 >= p && q0 < before.length - s) {
    const j = text.indexOf('&', p);
    if (j !== -1 && (q === -1 || j < q) && queryParts(text.slice(j + 1)).length > 0) q = j;
  }
  if (q === -1) return { base: text, rest: '' };
  // the url's own query parts (a bare `=` is one of them, kept), less those the change removed whole
  let own = 0;
  const u = base.url.indexOf('?');
  if (u !== -1) {
    let at = u + 1;
    for (const part of base.url.slice(u + 1).split('&')) {
      const removed = before.startsWith(base.url) && at >= p && at + part.length <= before.length - s;
      if (part !== '' && !removed) own++;
      at += part.length + 1;
    }
  }
  if (own === 0) return { base: text.slice(0, q), rest: text.slice(q + 1) };
  const parts = text.slice(q + 1).split('&');
  const kept: string[] = [];
  let i = 0;
  for (; i < parts.length && kept.length < own; i++) if (parts[i] !== '') kept.push(parts[i]);
  return { base: kept.length ? `${text.slice(0, q)}?${kept.join('&')}` : text.slice(0, q), rest: parts.slice(i).join('&') };
}

/**
 * The url's text after a change that began at `p`: when the change took away the `?` of the url's own query and left
 * some of its parts (`/a?b=2&c` less `?b=2`: `/a&c`), the first `&` after it starts the query (`/a?c`), so those
 * parts stay query parts rather than join the path.
 */
function ownQuery(url: string, stored: string, p: number): string {
  const q = stored.indexOf('?');
  if (q === -1 || url.includes('?') || p > q) return url;
  const j = url.indexOf('&', p);
  return j === -1 ? url : `${url.slice(0, j)}?${url.slice(j + 1)}`;
}

/**
 * Where the fragment of the field's text begins (-1: none), read as a change of `before`, whose fragment began at `f0`
 * (-1: none): that one where it is now when the change left its `#`; else the first `#` the change typed with no `&`
 * or `?` after it and not right after one (`#top` typed after the last parameter's value), or before the query (all
 * after it is the fragment, as in any URL). A `#` in a row's value typed in the Params tab (`color=#fff`), or typed
 * in the middle of the query, is text of the query, not a fragment: no row goes into the url's fragment.
 */
function fragmentAt(text: string, before: string, f0: number): number {
  const { p, s } = commonEnds(before, text);
  if (f0 !== -1 && (f0 < p || f0 >= before.length - s)) return f0 < p ? f0 : f0 + text.length - before.length;
  const q = text.indexOf('?');
  for (let j = text.indexOf('#', p); j !== -1 && j < text.length - s; j = text.indexOf('#', j + 1)) {
    if (q === -1 || j < q || (!/[&?]/.test(text.slice(j)) && !/[&?]/.test(text[j - 1]))) return j;
  }
  return -1;
}

/** A row's text in the field's query: `name=value` (`name=` when the value is empty; `=value` when the name is). */
function partText(row: { name: string; value: string }): string {
  return `${row.name}=${row.value}`;
}

/**
 * The rows after the field's parameter text became `rest`, read as a change of the text the rows showed: the shown
 * rows whose text is untouched (wholly inside the common start or the common end of the two texts, with its `&`) stay
 * exactly as they were, whatever they hold (`&` or `=` in a value cannot split them), and only the changed stretch
 * between them is read as query parts, merged into the rows it covers in order (mergeQuery). So deleting one part
 * removes that row, not the last one with the others' names shifted onto their neighbours' ids and descriptions, and
 * an edit of the url before the query changes no row at all.
 */
function readQuery(rows: readonly KeyValue[], rest: string): KeyValue[] {
  const at = rows.flatMap((row, i) => (shown(row) ? [i] : []));
  const texts = at.map((i) => partText(rows[i]));
  const was = texts.join('&');
  if (rest === was) return [...rows];
  const starts: number[] = [];
  const ends: number[] = [];
  let pos = 0;
  for (const t of texts) {
    starts.push(pos);
    ends.push(pos + t.length);
    pos += t.length + 1;
  }
  const max = Math.min(was.length, rest.length);
  let p = 0;
  while (p < max && was[p] === rest[p]) p++;
  let s = 0;
  while (s < max && was[was.length - 1 - s] === rest[rest.length - 1 - s]) s++;
  const shift = rest.length - was.length;
  // rows untouched at the start: [0, loMax); at the end: [hiMin, n) (each found alone, so they may overlap)
  let loMax = 0;
  while (loMax < texts.length && (ends[loMax] < p || (ends[loMax] === p && (p === rest.length || rest[p] === '&')))) loMax++;
  let hiMin = texts.length;
  const tail = was.length - s;
  while (hiMin > 0 && (starts[hiMin - 1] > tail || (starts[hiMin - 1] === tail && (rest.length - s === 0 || rest[rest.length - s - 1] === '&')))) hiMin--;
  // the most untouched rows at both ends that fit in the text side by side (of as many, the shortest changed stretch)
  const stretch = (l: number, h: number) => (h < texts.length ? starts[h] + shift : rest.length) - (l > 0 ? ends[l - 1] : 0);
  let lo = 0;
  let hi = texts.length;
  for (let l = 0; l <= loMax; l++) {
    let h = Math.max(hiMin, l);
    while (h < texts.length && l > 0 && starts[h] + shift <= ends[l - 1]) h++;
    const more = l - h - (lo - hi);
    if (more > 0 || (more === 0 && stretch(l, h) < stretch(lo, hi))) [lo, hi] = [l, h];
  }
  const changed = rest.slice(lo > 0 ? ends[lo - 1] : 0, hi < texts.length ? starts[hi] + shift : rest.length);
  // the changed stretch's parts go to its rows in order (mergeQuery: they keep their places, ids and descriptions);
  // parts beyond them are new rows after the last of them, or before the first untouched row after the stretch
  const mids = at.slice(lo, hi);
  const parts = queryParts(changed);
  const paired = Math.min(mids.length, parts.length);
  const merged = mergeQuery(mids.map((i) => rows[i]), parts);
  const extra = merged.slice(paired);
  const insertAt = mids.length ? mids[mids.length - 1] + 1 : hi < texts.length ? at[hi] : rows.length;
  const out: KeyValue[] = [];
  for (let i = 0; i <= rows.length; i++) {
    if (i === insertAt) out.push(...extra);
    if (i === rows.length) break;
    const k = mids.indexOf(i);
    if (k === -1) out.push(rows[i]);
    else if (k < paired) out.push(merged[k]);
  }
  return out;
}

/**
 * The parameters after (a stretch of) the field's query changed: the enabled rows take the query's names and values in order
 * (keeping their other keys: id, description), disabled and unnamed rows stay where they are, extra query parts become new rows
 * at the end, and enabled rows beyond the query's parts go.
 */
export function mergeQuery(rows: readonly KeyValue[], query: readonly { name: string; value: string }[]): KeyValue[] {
  const out: KeyValue[] = [];
  let q = 0;
  for (const row of rows) {
    if (!shown(row)) {
      out.push(row);
      continue;
    }
    if (q >= query.length) continue;
    const { name, value } = query[q++];
    out.push(row.name === name && row.value === value ? row : { ...row, name, value });
  }
  for (; q < query.length; q++) out.push({ name: query[q].name, value: query[q].value });
  return out;
}

export function sameRows(a: readonly KeyValue[], b: readonly KeyValue[]): boolean {
  return a.length === b.length && a.every((row, i) => JSON.stringify(row) === JSON.stringify(b[i]));
}

/** The request's url and parameters as one editing of the URL field found them (see urlFieldEdit). */
export interface UrlFieldBase {
  readonly url: string;
  readonly parameters: readonly KeyValue[];
  /** the text the field showed then (by default what `url` and `parameters` display): a typed `&c` or `&` kept */
  readonly text?: string;
}

/**
 * The fields a text typed into the URL field changes (only those: none when it means what the request holds).
 * `base` is the url and the rows as the field's current editing (focus to blur) found them (by default `current`):
 * the text is read against it, not against the rows the previous keystroke left. So selecting everything and typing
 * the same URL again, or Undo back to it within the same editing, gives back the very rows it started from (ids,
 * descriptions, `disabled: false`, their order), where reading each keystroke against the last would have dropped
 * every row at the first key and made new ones. (An Undo after the field lost the focus reads against the rows then.)
 */
export function urlFieldEdit(text: string, current: UrlFieldBase, base: UrlFieldBase = current): { url?: string; parameters?: KeyValue[] } {
  // the fragment (`#top`, after the query) is the url's; the rest is read without it
  const before = base.text ?? displayUrl(base.url, base.parameters);
  const h = base.url.indexOf('#');
  const f0 = h !== -1 && before.endsWith(base.url.slice(h)) ? before.length - (base.url.length - h) : -1;
  const f = fragmentAt(text, before, f0);
  const unhashed = { url: h === -1 ? base.url : base.url.slice(0, h), parameters: base.parameters, text: f0 === -1 ? before : before.slice(0, f0) };
  const split = splitRaw(f === -1 ? text : text.slice(0, f), unhashed);
  if (f !== -1) split.base += text.slice(f);
  const parameters = readQuery(base.parameters, split.rest);
  const fields: { url?: string; parameters?: KeyValue[] } = {};
  if (split.base !== current.url) fields.url = split.base;
  if (!sameRows(parameters, current.parameters)) fields.parameters = parameters;
  return fields;
}
