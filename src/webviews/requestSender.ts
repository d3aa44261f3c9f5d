// How the panels send a request: a `RequestSender` turns a request of the model into a stored `ResponseRecord`.
// `fetchSender` is the stand-in used until the HTTP engine (`src/http`) is wired in: Node's fetch (undici), plain
// `{{ var }}` / `{{ _.var }}` substitution from the base and active environments, Basic and Bearer auth.
import type { Collection, HttpRequest, KeyValue } from '../collections/model';
import { MAX_STORED_BODY, type ResponseRecord } from './responseHistory';
import type { TimelineEntry } from './protocol';

export interface SendContext {
  readonly collection: Collection;
  readonly request: HttpRequest;
  /** the active sub-environment of the collection, if any. */
  readonly environmentId?: string;
  readonly signal: AbortSignal;
}

export type RequestSender = (ctx: SendContext) => Promise<ResponseRecord>;

function variables(ctx: SendContext): Record<string, unknown> {
  const base = ctx.collection.baseEnvironment;
  const sub = base?.subEnvironments.find((e) => e.id === ctx.environmentId);
  return { ...(base?.data ?? {}), ...(sub?.data ?? {}) };
}

function render(text: string, vars: Record<string, unknown>): string {
  return text.replace(/\{\{\s*(?:_\.)?([A-Za-z_$][\w$.-]*)\s*\}\}/g, (whole, name: string) => {
    let cur: unknown = vars;
    for (const part of name.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
    return cur === undefined ? whole : String(cur);
  });
}

const enabled = (list: readonly KeyValue[]) => list.filter((kv) => !kv.disabled && kv.name !== '');

/** A cURL command line for the request as sent. */
export function curlOf(method: string, url: string, headers: readonly (readonly [string, string])[], body: string | undefined): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const parts = [`curl --request ${method}`, `--url ${q(url)}`];
  for (const [k, v] of headers) parts.push(`--header ${q(`${k}: ${v}`)}`);
  if (body !== undefined && body !== '') parts.push(`--data ${q(body)}`);
  return parts.join(' \\\n  ');
}

export const fetchSender: RequestSender = async (ctx) => {
  const { request } = ctx;
  const vars = variables(ctx);
  const r = (s: string) => render(s, vars);
  const started = performance.now();
  const receivedAt = Date.now();
  const method = request.method.toUpperCase();
  let url = r(request.url);
  const headers: [string, string][] = enabled(request.headers).map((h) => [r(h.name), r(h.value)]);
  const timeline: TimelineEntry[] = [];
  const base: Omit<ResponseRecord, 'status' | 'statusText' | 'elapsedMs' | 'size' | 'headers' | 'bodyBase64' | 'bodyCut' | 'curl'> = {
    requestId: request.id,
    requestName: request.name,
    method,
    url,
    receivedAt,
    cookies: [],
    timeline,
  };
  try {
    const u = new URL(url);
    for (const p of enabled(request.parameters)) u.searchParams.append(r(p.name), r(p.value));
    url = u.toString();
    const auth = request.authentication;
    if (!auth.disabled && auth.type === 'basic') {
      headers.push(['Authorization', `Basic ${Buffer.from(`${r(String(auth.username ?? ''))}:${r(String(auth.password ?? ''))}`).toString('base64')}`]);
    } else if (!auth.disabled && auth.type === 'bearer') {
      headers.push(['Authorization', `${r(String(auth.prefix ?? '')) || 'Bearer'} ${r(String(auth.token ?? ''))}`]);
    }
    let body: string | URLSearchParams | FormData | undefined;
    let bodyText: string | undefined;
    const mime = request.body.mimeType ?? '';
    if (method !== 'GET' && method !== 'HEAD') {
      if (mime === 'application/x-www-form-urlencoded') {
        body = new URLSearchParams(enabled(request.body.params ?? []).map((p): [string, string] => [r(p.name), r(p.value)]));
        bodyText = body.toString();
      } else if (mime === 'multipart/form-data') {
        const form = new FormData();
        for (const p of enabled(request.body.params ?? [])) if (p.type !== 'file') form.append(r(p.name), r(p.value));
        body = form;
      } else if (request.body.text !== undefined) {
        bodyText = request.settings.renderRequestBody ? r(request.body.text) : request.body.text;
        body = bodyText;
      }
      if (mime && mime !== 'multipart/form-data' && !headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['Content-Type', mime]);
    }
    timeline.push({ kind: 'info', text: `Preparing request to ${url}` });
    timeline.push({ kind: 'requestHead', text: [`${method} ${u.pathname}${u.search} HTTP/1.1`, `Host: ${u.host}`, ...headers.map(([k, v]) => `${k}: ${v}`)].join('\n') });
    const res = await fetch(url, {
      method,
      headers,
      body,
      signal: ctx.signal,
      redirect: request.settings.followRedirects === 'off' ? 'manual' : 'follow',
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const elapsedMs = performance.now() - started;
    const resHeaders = [...res.headers.entries()] as [string, string][];
    timeline.push({ kind: 'responseHead', text: [`HTTP/1.1 ${res.status} ${res.statusText}`, ...resHeaders.map(([k, v]) => `${k}: ${v}`)].join('\n') });
    timeline.push({ kind: 'info', text: `Received ${bytes.length} B in ${elapsedMs.toFixed(1)} ms` });
    const cookies = res.headers.getSetCookie().map((line) => {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const attr = (name: string) => attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith(`${name}=`))?.slice(name.length + 1);
      return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), domain: attr('domain'), path: attr('path'), expires: attr('expires') };
    });
    return {
      ...base,
      url,
      status: res.status,
      statusText: res.statusText,
      elapsedMs,
      size: bytes.length,
      headers: resHeaders,
      bodyBase64: bytes.subarray(0, MAX_STORED_BODY).toString('base64'),
      bodyCut: bytes.length > MAX_STORED_BODY,
      cookies,
      curl: curlOf(method, url, headers, bodyText),
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const message = e.name === 'AbortError' ? 'Cancelled' : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}`;
    timeline.push({ kind: 'info', text: message });
    return {
      ...base,
      url,
      status: 0,
      statusText: '',
      elapsedMs: performance.now() - started,
      size: 0,
      headers: [],
      bodyBase64: '',
      bodyCut: false,
      curl: curlOf(method, url, headers, undefined),
      error: message,
    };
  }
};
