// Switching a request body's type in the request editor (pure: the page and the tests use it). As in Insomnia, a
// switch keeps what the new type can hold (the text between text types, the fields from Form URL Encoded to
// Multipart Form) and drops the rest; a switch that would drop something the user wrote is asked about first
// (Insomnia: "Switch Body Type? Current body will be lost").
import type { KeyValue, RequestBody } from '../collections/model';

export const FORM_MIME_TYPES: readonly string[] = ['application/x-www-form-urlencoded', 'multipart/form-data'];
export const FILE_MIME_TYPE = 'application/octet-stream';
export const GRAPHQL_MIME_TYPE = 'application/graphql';

/** A GraphQL body's text: JSON `{"query": ...}`, or text that is not JSON at all (taken as the query). */
function isGraphQLText(text: string): boolean {
  if (text.trim() === '') return true;
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && typeof (parsed as { query?: unknown }).query === 'string';
  } catch {
    return true;
  }
}

/**
 * The body `body` becomes as type `mime` (null: no body), and what the switch drops that holds something (`the text`,
 * `2 form fields`, `the file`), empty when it drops nothing.
 */
export function switchBodyType(body: RequestBody, mime: string | null): { body: RequestBody; drops: string[] } {
  // GraphQL's tab shows the query and variables of a `{"query": ...}` text: another JSON text would not show there,
  // and the first key typed into the query would replace it
  const text = mime === GRAPHQL_MIME_TYPE && !isGraphQLText(body.text ?? '') ? undefined : body.text;
  const next: RequestBody = mime === null
    ? {}
    : FORM_MIME_TYPES.includes(mime)
      ? { mimeType: mime, params: body.params ?? [] }
      : mime === FILE_MIME_TYPE
        ? { mimeType: mime, fileName: body.fileName ?? '' }
        : { mimeType: mime, text: text ?? '' };
  const drops: string[] = [];
  const keepsText = next.text !== undefined && text !== undefined;
  if (!keepsText && (body.text ?? '').trim() !== '') drops.push('the text');
  const fields = (body.params ?? []).filter((p) => p.name !== '' || p.value !== '' || !!p.fileName).length;
  if (next.params === undefined && fields > 0) drops.push(fields === 1 ? '1 form field' : `${fields} form fields`);
  if (next.fileName === undefined && (body.fileName ?? '') !== '') drops.push('the file');
  return { body: next, drops };
}

/**
 * The request's headers once its body's type is `mime` (null: no body), as Insomnia's updateMimeType writes them
 * (models/request.ts), so that what Insomnia sends for the file is what Hammock sends: the first Content-Type header
 * (any case, enabled or not) takes the type (GraphQL: application/json), unless it goes from one JSON type to another
 * or one XML type to another; without one, one is added; no body removes it; an empty type ("Other") leaves the
 * headers alone. undefined when nothing changes.
 */
export function contentTypeHeaders(headers: readonly KeyValue[], mime: string | null): KeyValue[] | undefined {
  const i = headers.findIndex((h) => h.name.toLowerCase() === 'content-type');
  if (mime === null) return i < 0 ? undefined : headers.filter((_, j) => j !== i);
  if (mime === '') return undefined;
  const value = mime === GRAPHQL_MIME_TYPE ? 'application/json' : mime;
  if (i < 0) return [...headers, { name: 'Content-Type', value }];
  const current = headers[i].value;
  const alike = (kind: string) => current.includes(kind) && mime.includes(kind);
  if (alike('xml') || alike('json') || current === value) return undefined;
  return headers.map((h, j) => (j === i ? { ...h, value } : h));
}

/**
 * What a switch of the body's type to `mime` writes besides the body, as Insomnia's updateMimeType does: the
 * Content-Type header (contentTypeHeaders), and for GraphQL the method POST ("GraphQL must be POST"). Only what
 * changes is in it, so an edit that changes nothing else writes nothing else.
 */
export function bodySwitchPatch(request: { readonly method: string; readonly headers?: readonly KeyValue[] }, mime: string | null): { headers?: KeyValue[]; method?: string } {
  const headers = contentTypeHeaders(request.headers ?? [], mime);
  return {
    ...(headers ? { headers } : {}),
    ...(mime === GRAPHQL_MIME_TYPE && request.method !== 'POST' ? { method: 'POST' } : {}),
  };
}
