// Imports a HAR 1.2 file (a browser's or a proxy's capture): each entry's request becomes a request, in capture order.
//
// - Layout: one folder per host when the capture holds several hosts (a browser page pulls from many; a flat list of
//   hundreds of requests mixed across hosts is hard to use), flat when it holds one (a folder would only add a level).
// - URL: without query and fragment; the query becomes the parameters (read from the URL itself, which every tool
//   writes the same way, rather than `queryString`, whose encoding differs between browsers).
// - Headers: as captured, minus HTTP/2 and HTTP/3 pseudo-headers (`:authority`, `:method`, `:path`, `:scheme`: the
//   URL and method say it), minus what the sender computes (`Host`, `Content-Length`) or hop-by-hop headers that are
//   not the request's (`Connection`, `Keep-Alive`, `Transfer-Encoding`, `Upgrade`, `Proxy-Connection`).
// - Cookies: the captured `Cookie` header is dropped (listed): it holds the browser's session, would be committed to
//   git with the collection, and expires anyway; Hammock has no cookie jar to put it in, and the request still sends
//   the cookies the responses it receives set. A captured `Authorization` header is kept (the request needs it), with
//   a warning that it will be committed.
// - Body: `postData` with its mime type: `params` (urlencoded or multipart, files by name) when given, else the text.
// - `ws://`/`wss://` entries become WebSocket requests; `data:`, `blob:` and other non-HTTP URLs are skipped (listed).
// - Responses, timings and pages are not imported (responses are counted in the dropped list).

import { isMapping, str, type RawMapping } from '../formats/fields';
import type { Item, KeyValue, RequestBody, WebSocketRequest } from '../model';
import { ID_PREFIX, newId } from '../ids';
import { DroppedTally, importedCollection, importedFolder, importedRequest } from './importModel';
import { IMPORT_SOURCE, ImportError, type ImportInput, type ImportResult } from './importTypes';

/** Headers left out of every imported request (lower case). */
const SKIPPED_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

export function importHar(input: ImportInput): ImportResult {
  const doc = input.document;
  if (!isMapping(doc) || !isMapping(doc.log)) throw new ImportError('Not a HAR file: expected a JSON object with `log`');
  const log = doc.log;
  if (!Array.isArray(log.entries)) throw new ImportError('Not a HAR file: `log.entries` is not a list');
  const dropped = new DroppedTally();
  const warnings: string[] = [];
  const version = str(log.version);
  if (version !== '' && !version.startsWith('1.')) warnings.push(`HAR version ${version}, read as 1.2`);

  const creator = isMapping(log.creator) ? str(log.creator.name) : '';
  const collection = importedCollection(nameFromFile(input.fileName) || (creator ? `HAR capture (${creator})` : 'HAR capture'));

  interface Parsed {
    readonly request: RawMapping;
    readonly url: URL;
  }
  const parsed: Parsed[] = [];
  let responses = 0;
  let invalid = 0;
  for (const entry of log.entries as unknown[]) {
    if (!isMapping(entry) || !isMapping(entry.request)) {
      invalid++;
      continue;
    }
    const rawUrl = str(entry.request.url);
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      invalid++;
      continue;
    }
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
      dropped.add(`${url.protocol} entry`, 'not an HTTP request: nothing to send again');
      continue;
    }
    // a status 0 is a request that got no response (blocked, cancelled): nothing was captured
    if (isMapping(entry.response) && entry.response.status !== 0) responses++;
    parsed.push({ request: entry.request, url });
  }
  if (invalid > 0) warnings.push(`${invalid} entr${invalid === 1 ? 'y has' : 'ies have'} no request or no valid URL; skipped`);
  dropped.add('response', 'a collection keeps requests, not captured responses', responses);

  const hosts = [...new Set(parsed.map((p) => p.url.host))];
  const folders = new Map<string, Item[]>();
  const parentOf = new Map<string, string>();
  if (hosts.length > 1) {
    hosts.forEach((host, i) => {
      const folder = importedFolder(collection.id, host, i);
      collection.children.push(folder);
      folders.set(host, folder.children);
      parentOf.set(host, folder.id);
    });
  }
  let cookieHeaders = 0;
  let authorization = 0;
  const counters = new Map<string, number>();
  for (const { request, url } of parsed) {
    const parentId = parentOf.get(url.host) ?? collection.id;
    const siblings = folders.get(url.host) ?? collection.children;
    const index = counters.get(parentId) ?? 0;
    counters.set(parentId, index + 1);
    const method = (str(request.method) || 'GET').toUpperCase();
    const headers: KeyValue[] = [];
    for (const h of Array.isArray(request.headers) ? request.headers : []) {
      if (!isMapping(h)) continue;
      const name = str(h.name);
      const lower = name.toLowerCase();
      if (name === '' || name.startsWith(':') || SKIPPED_HEADERS.has(lower)) continue;
      if (lower === 'cookie') {
        cookieHeaders++;
        continue;
      }
      if (lower === 'authorization') authorization++;
      headers.push({ name, value: str(h.value) });
    }
    const parameters: KeyValue[] = [];
    for (const [name, value] of url.searchParams) parameters.push({ name, value });
    const bare = `${url.protocol}//${url.host}${url.pathname}`;
    const name = `${method} ${url.pathname}`;
    if (url.protocol === 'ws:' || url.protocol === 'wss:') {
      const ws: WebSocketRequest = {
        kind: 'websocketRequest',
        id: newId(ID_PREFIX.WebSocketRequest),
        parentId,
        name: url.pathname,
        description: '',
        sortKey: index,
        source: IMPORT_SOURCE,
        url: bare,
        headers: headers.filter((h) => !h.name.toLowerCase().startsWith('sec-websocket-')),
        parameters,
        authentication: {},
      };
      siblings.push(ws);
      continue;
    }
    siblings.push(
      importedRequest(parentId, name, index, { method, url: bare, parameters, headers, body: postData(request.postData) }),
    );
  }
  dropped.add('captured Cookie header', 'it holds the browser session, would be committed to git and expires; Hammock keeps no cookie jar', cookieHeaders);
  if (authorization > 0) {
    warnings.push(`${authorization} request(s) keep the Authorization header captured from the browser: it will be in the files you commit`);
  }
  return { format: 'har', collections: [collection], dropped: dropped.list(), warnings };
}

function postData(value: unknown): RequestBody {
  if (!isMapping(value)) return {};
  const mimeType = str(value.mimeType);
  const base = mimeType.split(';')[0].trim().toLowerCase();
  if (Array.isArray(value.params) && value.params.length > 0) {
    const params: KeyValue[] = [];
    for (const p of value.params) {
      if (!isMapping(p)) continue;
      if (typeof p.fileName === 'string' && p.fileName !== '') {
        params.push({ name: str(p.name), value: '', type: 'file', fileName: p.fileName });
      } else {
        const kv: KeyValue = { name: str(p.name), value: str(p.value) };
        if (base === 'multipart/form-data') kv.type = 'text';
        params.push(kv);
      }
    }
    return { mimeType: base === 'multipart/form-data' ? base : base || 'application/x-www-form-urlencoded', params };
  }
  const text = str(value.text);
  if (text === '' && mimeType === '') return {};
  return { mimeType: mimeType || null, text };
}

function nameFromFile(fileName: string | undefined): string {
  if (!fileName) return '';
  return (fileName.split(/[\\/]/).pop() ?? '').replace(/\.har$/i, '');
}
