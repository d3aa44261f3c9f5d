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

/** What the field shows: the url, then the enabled parameters as a query string. */
export function displayUrl(url: string, parameters: readonly KeyValue[]): string {
  const on = parameters.filter(shown);
  if (!on.length) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${on.map((p) => (p.value === '' ? p.name : `${p.name}=${p.value}`)).join('&')}`;
}

/**
 * What the field's text means: the request's `url` and the query parameters shown after it. A stored `url` that holds
 * a query string of its own keeps that many parts in `url`; the parts after them are the enabled parameters.
 */
export function splitUrl(text: string, stored: string): { base: string; query: { name: string; value: string }[] } {
  const q = text.indexOf('?');
  if (q === -1) return { base: text, query: [] };
  // (counted as the text's parts are split below: a bare `=` of the url's own query is one of its parts, kept)
  const own = stored.includes('?') ? stored.slice(stored.indexOf('?') + 1).split('&').filter((p) => p !== '').length : 0;
  if (own === 0) return { base: text.slice(0, q), query: queryParts(text.slice(q + 1)) };
  const parts = text.slice(q + 1).split('&').filter((p) => p !== '');
  const kept = parts.slice(0, own);
  return { base: kept.length ? `${text.slice(0, q)}?${kept.join('&')}` : text.slice(0, q), query: queryParts(parts.slice(own).join('&')) };
}

/**
 * The parameters after the field's query changed: the enabled rows take the query's names and values in order
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
  const split = splitUrl(text, base.url);
  const parameters = mergeQuery(base.parameters, split.query);
  const fields: { url?: string; parameters?: KeyValue[] } = {};
  if (split.base !== current.url) fields.url = split.base;
  if (!sameRows(parameters, current.parameters)) fields.parameters = parameters;
  return fields;
}
