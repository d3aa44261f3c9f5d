// Switching a request body's type in the request editor (pure: the page and the tests use it). As in Insomnia, a
// switch keeps what the new type can hold (the text between text types, the fields from Form URL Encoded to
// Multipart Form) and drops the rest; a switch that would drop something the user wrote is asked about first
// (Insomnia: "Switch Body Type? Current body will be lost").
import type { RequestBody } from '../collections/model';

export const FORM_MIME_TYPES: readonly string[] = ['application/x-www-form-urlencoded', 'multipart/form-data'];
export const FILE_MIME_TYPE = 'application/octet-stream';

/**
 * The body `body` becomes as type `mime` (null: no body), and what the switch drops that holds something (`the text`,
 * `2 form fields`, `the file`), empty when it drops nothing.
 */
export function switchBodyType(body: RequestBody, mime: string | null): { body: RequestBody; drops: string[] } {
  const next: RequestBody = mime === null
    ? {}
    : FORM_MIME_TYPES.includes(mime)
      ? { mimeType: mime, params: body.params ?? [] }
      : mime === FILE_MIME_TYPE
        ? { mimeType: mime, fileName: body.fileName ?? '' }
        : { mimeType: mime, text: body.text ?? '' };
  const drops: string[] = [];
  if (next.text === undefined && (body.text ?? '').trim() !== '') drops.push('the text');
  const fields = (body.params ?? []).filter((p) => p.name !== '' || p.value !== '' || !!p.fileName).length;
  if (next.params === undefined && fields > 0) drops.push(fields === 1 ? '1 form field' : `${fields} form fields`);
  if (next.fileName === undefined && (body.fileName ?? '') !== '') drops.push('the file');
  return { body: next, drops };
}
