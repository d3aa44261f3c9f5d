// "Copy as cURL": a RenderedRequest as a curl command line (httpsnippet).
import type { HarRequest } from 'httpsnippet';
import { httpSnippet } from './lazyDeps';
import type { RenderedRequest } from './types';

export function toHar(rendered: RenderedRequest): HarRequest {
  const url = new URL(rendered.url);
  const queryString = [...url.searchParams].map(([name, value]) => ({ name, value }));
  const headers = rendered.headers.map(([name, value]) => ({ name, value }));
  const cookies: { name: string; value: string }[] = [];
  const contentType = rendered.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
  let postData: HarRequest['postData'];
  if (rendered.bodyKind === 'form' && rendered.formParams) {
    // Encoded text under a neutral HAR type (the Content-Type header stays the form's): httpsnippet writes form
    // params as `--data 'a=+1 b&c'` unencoded, which curl sends as is (the `+` read as a space, the `&` splitting it).
    const text = rendered.formParams.map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(p.value)}`).join('&');
    postData = { mimeType: 'text/plain', text };
  } else if (rendered.bodyKind === 'multipart' && rendered.formParams) {
    postData = {
      mimeType: 'multipart/form-data',
      params: rendered.formParams.map((p) => (p.type === 'file' ? { name: p.name, fileName: p.fileName ?? '' } : { name: p.name, value: p.value })),
    };
  } else if (rendered.bodyText !== undefined) {
    postData = { mimeType: contentType || 'text/plain', text: rendered.bodyText };
  }
  return {
    method: rendered.method,
    url: rendered.url,
    httpVersion: 'HTTP/1.1',
    headers,
    queryString,
    cookies,
    headersSize: -1,
    bodySize: -1,
    ...(postData ? { postData } : {}),
  } as HarRequest;
}

/** The request as a curl command (long options, one per line). */
export function toCurl(rendered: RenderedRequest): string {
  const snippet = new (httpSnippet().HTTPSnippet)(toHar(rendered));
  const out = snippet.convert('shell', 'curl', { indent: '  ' });
  const text = Array.isArray(out) ? out[0] : out;
  return typeof text === 'string' ? text : '';
}
