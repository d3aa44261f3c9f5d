// The HTTP client handed to isomorphic-git. Node's http/https directly (not simple-get) so that every request
// gets the operation's AbortSignal (isomorphic-git's clone and fetch take none), the caller's proxy and TLS
// settings (VS Code's http.proxy / http.proxyStrictSSL), and an inactivity timeout that surfaces as ETIMEDOUT.
// A body that fails says why: cancelled (AbortError), no byte for the idle time (ETIMEDOUT, also for a stalled
// connection mid-body), or the connection cut mid-response (HAMMOCK_CUT); a ref advertisement is read whole and
// checked to end with its flush packet (HAMMOCK_TRUNCATED), so a cut one never reads as "no branches".

import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as tls from 'tls';
import * as zlib from 'zlib';
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';

export interface TransportOptions {
  /** proxy URL (`http://[user:pass@]host:port`); https targets are tunnelled with CONNECT. */
  proxy?: string;
  /** verify TLS certificates (default true). */
  strictSSL?: boolean;
  /** extra trusted CA certificates (PEM). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** an agent that replaces the built-in proxy handling (e.g. one VS Code provides). */
  agent?: http.Agent;
  /** a socket that sends or receives nothing for this long fails with ETIMEDOUT (default 30 s). */
  idleTimeoutMs?: number;
  userAgent?: string;
}

const MAX_REDIRECTS = 5;

function timeoutError(ms: number): Error {
  return Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' });
}

async function collectBody(body: GitHttpRequest['body']): Promise<Buffer | undefined> {
  if (!body) return undefined;
  const chunks: Buffer[] = [];
  const iterable = body as unknown as AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  if (Symbol.asyncIterator in iterable || Symbol.iterator in iterable) {
    for await (const chunk of iterable as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  } else {
    chunks.push(Buffer.from(body as unknown as Uint8Array));
  }
  return Buffer.concat(chunks);
}

function tunnel(proxy: URL, target: URL, options: TransportOptions, signal?: AbortSignal): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `${target.hostname}:${target.port || 443}` };
    if (proxy.username) {
      headers['proxy-authorization'] = 'Basic ' + Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64');
    }
    const req = http.request({
      host: proxy.hostname,
      port: proxy.port || 80,
      method: 'CONNECT',
      path: `${target.hostname}:${target.port || 443}`,
      headers,
      signal,
    });
    const idle = options.idleTimeoutMs ?? 30_000;
    req.setTimeout(idle, () => req.destroy(timeoutError(idle)));
    req.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(Object.assign(new Error(`proxy answered ${res.statusCode} to CONNECT`), { code: 'ECONNREFUSED' }));
        return;
      }
      const secure = tls.connect({
        socket,
        servername: net.isIP(target.hostname) ? undefined : target.hostname,
        rejectUnauthorized: options.strictSSL !== false,
        ca: options.ca,
      });
      secure.once('secureConnect', () => resolve(secure));
      secure.once('error', reject);
    });
    req.once('error', reject);
    req.end();
  });
}

async function sendOnce(
  target: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  options: TransportOptions,
  signal: AbortSignal | undefined,
): Promise<http.IncomingMessage & { transfer: TransferState }> {
  const secure = target.protocol === 'https:';
  const proxy = options.proxy && !options.agent ? new URL(options.proxy) : undefined;
  const reqHeaders: Record<string, string> = { ...headers };
  if (options.userAgent && !Object.keys(reqHeaders).some((k) => k.toLowerCase() === 'user-agent')) reqHeaders['user-agent'] = options.userAgent;
  if (body) reqHeaders['content-length'] = String(body.length);

  let requestOptions: https.RequestOptions;
  if (proxy && !secure) {
    // plain http through a proxy: absolute URL as the request target
    if (proxy.username) {
      reqHeaders['proxy-authorization'] = 'Basic ' + Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64');
    }
    reqHeaders.host = target.host;
    requestOptions = { host: proxy.hostname, port: proxy.port || 80, path: target.toString(), method, headers: reqHeaders, signal };
  } else {
    requestOptions = {
      protocol: target.protocol,
      host: target.hostname,
      port: target.port || (secure ? 443 : 80),
      path: target.pathname + target.search,
      method,
      headers: reqHeaders,
      signal,
      agent: options.agent,
      rejectUnauthorized: options.strictSSL !== false,
      ca: options.ca,
    };
    if (proxy && secure) {
      const socket = await tunnel(proxy, target, options, signal);
      requestOptions.agent = false;
      requestOptions.createConnection = () => socket;
    }
  }
  const idle = options.idleTimeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(requestOptions, (res) => {
      // keep the inactivity timeout while the body streams
      res.once('end', () => req.setTimeout(0));
      resolve(Object.assign(res, { transfer: state }));
    });
    const state: TransferState = { timedOut: false, idleMs: idle };
    req.setTimeout(idle, () => {
      state.timedOut = true;
      req.destroy(timeoutError(idle));
    });
    req.once('error', (err) => reject(state.timedOut ? timeoutError(idle) : sendError(err)));
    req.end(body);
  });
}

/** What happened to one request's connection, for telling a timeout from a cut once the body fails. */
interface TransferState {
  timedOut: boolean;
  idleMs: number;
}

function abortError(): Error {
  return Object.assign(new Error('aborted'), { code: 'ABORT_ERR', name: 'AbortError' });
}

/** The connection broke mid-response (reset, or closed before the body's end): a cut, not a server that is down. */
function cutError(cause: unknown): Error {
  const detail = (cause as { code?: string }).code ?? (cause as Error).message;
  return Object.assign(new Error(`the connection was cut in the middle of the response (${detail})`), { code: 'HAMMOCK_CUT' });
}

/** An error while sending: a reset once connected (the request was under way) is a cut too. */
function sendError(err: Error & { code?: string }): Error {
  if (err.name === 'AbortError' || err.code === 'ABORT_ERR') return err;
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return cutError(err);
  return err;
}

/**
 * The response body, decompressed, whose failures say what happened: the operation was cancelled (AbortError),
 * nothing arrived for the idle time (ETIMEDOUT), or the connection broke mid-body (HAMMOCK_CUT).
 */
function decoded(res: http.IncomingMessage & { transfer: TransferState }, signal: AbortSignal | undefined): AsyncIterableIterator<Uint8Array> {
  const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
  let stream: NodeJS.ReadableStream = res;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = res.pipe(zlib.createGunzip());
  else if (encoding === 'deflate') stream = res.pipe(zlib.createInflate());
  if (stream !== res) res.once('error', (err) => (stream as zlib.Gunzip).destroy(err));
  const source = stream as AsyncIterable<Uint8Array>;
  return (async function* () {
    try {
      for await (const chunk of source) yield chunk;
    } catch (err) {
      const e = err as Error & { code?: string };
      if (signal?.aborted || e.name === 'AbortError' || e.code === 'ABORT_ERR') throw abortError();
      if (res.transfer.timedOut) throw timeoutError(res.transfer.idleMs);
      if (e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR') throw err;
      throw cutError(err);
    }
  })();
}

function truncated(): Error {
  return Object.assign(new Error('the ref advertisement was cut before its end'), { code: 'HAMMOCK_TRUNCATED' });
}

/** Reads a smart-HTTP ref advertisement whole and checks it is complete: pkt-lines up to a final flush (`0000`). */
async function collectAdvertisement(body: AsyncIterableIterator<Uint8Array>): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c)); // a cut, a timeout or a cancel: decoded() says which
  const buf = Buffer.concat(chunks);
  let off = 0;
  let lastFlush = false;
  while (off < buf.length) {
    if (off + 4 > buf.length) throw truncated();
    const len = parseInt(buf.toString('latin1', off, off + 4), 16);
    if (Number.isNaN(len)) throw truncated();
    if (len === 0 || len === 1 || len === 2) {
      lastFlush = len === 0;
      off += 4;
      continue;
    }
    if (len < 4 || off + len > buf.length) throw truncated();
    lastFlush = false;
    off += len;
  }
  if (!lastFlush) throw truncated();
  return buf;
}

/** An isomorphic-git HttpClient; `signal` (if given) aborts every request made through it. */
export function createHttpClient(options: TransportOptions = {}, signal?: AbortSignal): HttpClient {
  return {
    async request(req: GitHttpRequest): Promise<GitHttpResponse> {
      const abort = req.signal ?? signal;
      if (abort?.aborted) throw abortError();
      const body = await collectBody(req.body);
      let url = new URL(req.url);
      let method = (req.method ?? 'GET').toUpperCase();
      const headers: Record<string, string> = { ...(req.headers ?? {}) };
      for (let redirects = 0; ; redirects++) {
        const res = await sendOnce(url, method, headers, method === 'GET' ? undefined : body, options, abort);
        const location = res.headers.location;
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && location && redirects < MAX_REDIRECTS) {
          res.resume();
          const next = new URL(location, url);
          if (next.origin !== url.origin) {
            for (const k of Object.keys(headers)) if (k.toLowerCase() === 'authorization') delete headers[k];
          }
          if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) method = 'GET';
          url = next;
          continue;
        }
        if (status === 200 && /^application\/x-git-[a-z-]+-advertisement/i.test(String(res.headers['content-type'] ?? ''))) {
          // a ref advertisement cut mid-body must not read as "the remote has no branches"
          const body = await collectAdvertisement(decoded(res, abort));
          const flat: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
          return { url: url.toString(), method, statusCode: status, statusMessage: res.statusMessage ?? '', headers: flat, body: (async function* () { yield body; })() };
        }
        const flatHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flatHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
        return {
          url: url.toString(),
          method,
          statusCode: status,
          statusMessage: res.statusMessage ?? '',
          headers: flatHeaders,
          body: decoded(res, abort),
        };
      }
    },
  };
}
