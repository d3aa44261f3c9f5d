// Sends a RenderedRequest with undici: cancel, timeout, redirects (followed here, hop by hop, so cookies and the
// timeline see each one), TLS verification on/off, proxy, cookies (tough-cookie), gzip/deflate/br decoding, timings
// from undici's diagnostics channels and socket events, and a bounded in-memory body (the rest spills to a temp file).
import * as crypto from 'node:crypto';
import * as dc from 'node:diagnostics_channel';
import * as dns from 'node:dns';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import type { buildConnector, Dispatcher } from 'undici';
import type { CookieJar } from 'tough-cookie';
import { digestAuthorization, parseDigestChallenge } from './auth';
import { toughCookie, undici } from './lazyDeps';
import { HttpError, toHttpError } from './httpError';
import type { HttpResponse, RedirectHop, RenderedRequest, SendOptions, SetCookie, Timings } from './types';

export const DEFAULT_MAX_BODY_IN_MEMORY = 10 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 10;

// ---- timings and the raw request head: socket phases recorded by our connector, matched to requests through
// undici's diagnostics channels (request:create, client:sendHeaders) ----

interface SocketPhases {
  start: number;
  dnsEnd?: number;
  connectEnd?: number;
  tlsEnd?: number;
  used: boolean;
}

interface Exchange {
  start: number;
  dns: number;
  connect: number;
  tls: number;
  firstByte: number;
  rawRequestHead: string;
}

const socketPhases = new WeakMap<object, SocketPhases>();
const exchanges = new WeakMap<object, Exchange>();
let currentExchange: Exchange | undefined;
let channelsReady = false;

function subscribeChannels(): void {
  if (channelsReady) return;
  channelsReady = true;
  dc.subscribe('undici:request:create', (msg) => {
    if (currentExchange) exchanges.set((msg as { request: object }).request, currentExchange);
  });
  dc.subscribe('undici:client:sendHeaders', (msg) => {
    const { request, headers, socket } = msg as { request: object; headers: string; socket: object };
    const ex = exchanges.get(request);
    if (!ex) return;
    ex.rawRequestHead = headers;
    const ph = socketPhases.get(socket);
    if (ph && !ph.used) {
      ph.used = true;
      const base = Math.max(ph.start, ex.start);
      if (ph.dnsEnd !== undefined) ex.dns = Math.max(0, ph.dnsEnd - base);
      if (ph.connectEnd !== undefined) ex.connect = Math.max(0, ph.connectEnd - (ph.dnsEnd ?? base));
      if (ph.tlsEnd !== undefined) ex.tls = Math.max(0, ph.tlsEnd - (ph.connectEnd ?? base));
    }
  });
}

function timedConnector(tlsOpts: { rejectUnauthorized: boolean }): buildConnector.connector {
  // our own connector (instead of undici's buildConnector) so the TCP connect and the TLS handshake are seen apart
  return (opts, callback) => {
    const phases: SocketPhases = { start: performance.now(), used: false };
    const host = opts.hostname.replace(/^\[|\]$/g, '');
    const isIp = net.isIP(host) !== 0;
    if (isIp) phases.dnsEnd = phases.start;
    const lookup = ((hostname: string, options: dns.LookupOptions, cb: (...a: unknown[]) => void) => {
      dns.lookup(hostname, options, (...args: unknown[]) => {
        phases.dnsEnd = performance.now();
        cb(...args);
      });
    }) as unknown as net.LookupFunction;
    const secure = opts.protocol === 'https:';
    const port = Number(opts.port) || (secure ? 443 : 80);
    let settled = false;
    const done = (err: Error | null, socket?: net.Socket): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        socket?.destroy();
        callback(err, null);
      } else {
        socketPhases.set(socket!, phases);
        callback(null, socket as never);
      }
    };
    const socket: net.Socket = secure
      ? tls.connect({
          host,
          port,
          servername: isIp ? undefined : (opts.servername || host),
          rejectUnauthorized: tlsOpts.rejectUnauthorized,
          ALPNProtocols: ['http/1.1'],
          ...(isIp ? {} : { lookup }),
        })
      : net.connect({ host, port, ...(isIp ? {} : { lookup }) });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    socket.once('connect', () => {
      phases.connectEnd = performance.now();
      if (!secure) done(null, socket);
    });
    if (secure) socket.once('secureConnect', () => {
      phases.tlsEnd = performance.now();
      done(null, socket);
    });
    socket.once('error', (err) => done(err, socket));
    const timer = setTimeout(() => {
      const err = Object.assign(new Error(`Connect timeout to ${host}:${port}`), { code: 'UND_ERR_CONNECT_TIMEOUT' });
      done(err, socket);
    }, 30_000);
  };
}

const dispatchers = new Map<string, Dispatcher>();

function dispatcherFor(options: SendOptions): Dispatcher {
  const key = `${options.rejectUnauthorized ? 1 : 0}|${options.proxy ?? ''}`;
  let d = dispatchers.get(key);
  if (!d) {
    if (options.proxy) {
      d = new (undici().ProxyAgent)({ uri: options.proxy, requestTls: { rejectUnauthorized: options.rejectUnauthorized }, proxyTls: { rejectUnauthorized: options.rejectUnauthorized } });
    } else {
      d = new (undici().Agent)({ connect: timedConnector({ rejectUnauthorized: options.rejectUnauthorized }), keepAliveTimeout: 4000 });
    }
    dispatchers.set(key, d);
  }
  return d;
}

/** Closes the pooled connections (tests, deactivation). */
export async function closeConnections(): Promise<void> {
  const all = [...dispatchers.values()];
  dispatchers.clear();
  await Promise.all(all.map((d) => d.close().catch(() => undefined)));
}

// ---- cookies ----

export async function serializeJar(jar: CookieJar): Promise<string> {
  return JSON.stringify(await jar.serialize());
}

/**
 * A jar with no cookie at all, known without asking it (its cookies for a URL cost tens of microseconds to look up,
 * a run's requests' share of their send when none was ever set). Only a memory store is known: any other, or a
 * store whose index is not the one known, is asked as before.
 */
function isEmptyJar(jar: CookieJar): boolean {
  const store = jar.store as { idx?: unknown };
  return jar.store instanceof toughCookie().MemoryCookieStore && !!store.idx && typeof store.idx === 'object' && Object.keys(store.idx).length === 0;
}

export async function loadJar(text: string | undefined): Promise<CookieJar> {
  if (!text) return new (toughCookie().CookieJar)();
  try {
    return await toughCookie().CookieJar.deserialize(JSON.parse(text) as never);
  } catch {
    return new (toughCookie().CookieJar)();
  }
}

function toSetCookie(header: string): SetCookie | undefined {
  const c = toughCookie().Cookie.parse(header);
  if (!c) return undefined;
  return {
    name: c.key,
    value: c.value,
    domain: c.domain ?? undefined,
    path: c.path ?? undefined,
    expires: c.expires instanceof Date ? c.expires.toISOString() : undefined,
    httpOnly: c.httpOnly || undefined,
    secure: c.secure || undefined,
  };
}

// ---- body decoding and bounded collection ----

class InflateAuto extends Transform {
  private inner?: zlib.Inflate | zlib.InflateRaw;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (!this.inner) {
      this.inner = (chunk[0] & 0x0f) === 8 ? zlib.createInflate() : zlib.createInflateRaw();
      this.inner.on('data', (d: Buffer) => this.push(d));
      this.inner.on('error', (e) => this.destroy(e));
    }
    this.inner.write(chunk, () => cb());
  }
  override _flush(cb: TransformCallback): void {
    if (!this.inner) return cb();
    // 'end' (not 'finish'): every decoded byte has been pushed by then
    this.inner.once('end', () => cb());
    this.inner.end();
  }
}

function decoders(contentEncoding: string): Transform[] {
  const codings = contentEncoding.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c && c !== 'identity');
  const out: Transform[] = [];
  for (const c of codings.reverse()) {
    if (c === 'gzip' || c === 'x-gzip') out.push(zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH }));
    else if (c === 'deflate') out.push(new InflateAuto());
    else if (c === 'br') out.push(zlib.createBrotliDecompress());
    else return []; // unknown coding: keep the bytes as they came
  }
  return out;
}

/** Keeps the first `limit` bytes in memory; past the limit, the whole body goes to a temp file. */
class BoundedCollector {
  readonly head: Buffer[] = [];
  headSize = 0;
  size = 0;
  file?: string;
  private fileStream?: fs.WriteStream;
  /** `dir` undefined = os.tmpdir(), looked up only when a body spills (it reads the environment: slow per call). */
  constructor(private readonly limit: number, private readonly dir: string | undefined) {}
  /** resolves when the chunk is taken (at once, or once the file stream drained). */
  add(chunk: Buffer): Promise<void> | undefined {
    this.size += chunk.length;
    if (this.headSize < this.limit) {
      const take = chunk.length <= this.limit - this.headSize ? chunk : chunk.subarray(0, this.limit - this.headSize);
      this.head.push(take);
      this.headSize += take.length;
    }
    if (this.size <= this.limit) return undefined;
    let ok: boolean;
    if (!this.fileStream) {
      this.file = path.join(this.dir ?? os.tmpdir(), `hammock-response-${crypto.randomBytes(8).toString('hex')}.bin`);
      // (only this user may read it: it holds the response as received, secrets too, until the caller masks them)
      this.fileStream = fs.createWriteStream(this.file, { mode: 0o600 });
      // everything so far: the head (the first `limit` bytes, chunk by chunk: no copy of MBs at once on the host's
      // thread) plus what of this chunk did not fit in it
      for (const part of this.head) this.fileStream.write(part);
      ok = this.fileStream.write(chunk.subarray(chunk.length - (this.size - this.headSize)));
    } else {
      ok = this.fileStream.write(chunk);
    }
    if (ok) return undefined;
    const stream = this.fileStream;
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      stream.once('error', onError);
      stream.once('drain', () => {
        stream.off('error', onError);
        resolve();
      });
    });
  }
  async finish(): Promise<void> {
    const stream = this.fileStream;
    if (!stream) return;
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
  }
  discard(): void {
    this.fileStream?.destroy();
    if (this.file) fs.rm(this.file, { force: true }, () => undefined);
  }
}

interface ExchangeResult {
  status: number;
  statusText: string;
  headers: [string, string][];
  /** bytes received for the body (before decoding). */
  encoded: number;
  /** performance.now() when the response head arrived. */
  headersAt: number;
  /** the collected body, when `decide` said 'collect'. */
  sink?: BoundedCollector;
}

/**
 * One request/response with undici's dispatch API: the body is taken chunk by chunk straight from the parser
 * (no Readable in between) and either dropped (redirects, challenges) or decoded into a bounded collector, with
 * backpressure (the parser is paused while the collector or a decoder catches up).
 */
function dispatchExchange(
  dispatcher: Dispatcher,
  target: URL,
  method: string,
  headers: string[],
  body: Buffer | Readable | undefined,
  signal: Stoppable | undefined,
  decide: (status: number, headers: [string, string][]) => { collect: false } | { collect: true; chain: Transform[]; sink: BoundedCollector },
): Promise<ExchangeResult> {
  return new Promise<ExchangeResult>((resolve, reject) => {
    const result: ExchangeResult = { status: 0, statusText: '', headers: [], encoded: 0, headersAt: 0 };
    let abortRequest: ((err?: Error) => void) | undefined;
    let settled = false;
    let chain: Transform[] = [];
    let resumeParser: (() => void) | undefined;
    const abortError = (): Error => Object.assign(new Error('The request was cancelled.'), { name: 'AbortError', code: 'ABORT_ERR' });
    const onAbort = (): void => {
      if (abortRequest) abortRequest(abortError());
      else fail(abortError());
    };
    const cleanup = (): void => signal?.removeEventListener('abort', onAbort);
    /** `fromUndici`: undici reported the error itself (the request is over: nothing to abort). */
    const fail = (err: unknown, fromUndici = false): void => {
      if (settled) return;
      settled = true;
      cleanup();
      for (const t of chain) t.destroy();
      result.sink?.discard();
      if (!fromUndici) abortRequest?.(err instanceof Error ? err : new Error(String(err)));
      reject(err);
    };
    const succeed = (): void => {
      if (settled) return;
      const sink = result.sink;
      (sink ? sink.finish() : Promise.resolve()).then(() => {
        if (settled) return;
        settled = true;
        cleanup();
        resolve(result);
      }, fail);
    };
    const pauseUntil = (wait: Promise<void>): false => {
      wait.then(() => resumeParser?.(), fail);
      return false;
    };
    if (signal?.aborted) return fail(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    const handler: Dispatcher.DispatchHandler = {
      onConnect(abort) {
        abortRequest = abort;
        if (signal?.aborted) abort(abortError());
      },
      onHeaders(statusCode, rawHeaders, resume, statusText) {
        if (statusCode < 200) return true;
        resumeParser = resume;
        result.headersAt = performance.now();
        result.status = statusCode;
        result.statusText = statusText ?? '';
        const pairs: [string, string][] = [];
        for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i].toString(), rawHeaders[i + 1].toString()]);
        result.headers = pairs;
        const plan = decide(statusCode, pairs);
        if (plan.collect) {
          result.sink = plan.sink;
          chain = plan.chain;
          if (chain.length) {
            for (let i = 0; i + 1 < chain.length; i++) chain[i].pipe(chain[i + 1]);
            for (const t of chain) t.on('error', fail);
            const last = chain[chain.length - 1];
            last.on('data', (chunk: Buffer) => {
              const wait = plan.sink.add(chunk);
              if (wait) {
                last.pause();
                wait.then(() => last.resume(), fail);
              }
            });
            last.on('end', succeed);
          }
        }
        return true;
      },
      onData(chunk) {
        result.encoded += chunk.length;
        const sink = result.sink;
        if (!sink) return true;
        if (chain.length) {
          if (chain[0].write(chunk)) return true;
          return pauseUntil(new Promise((r) => chain[0].once('drain', r)));
        }
        const wait = sink.add(chunk);
        return wait ? pauseUntil(wait) : true;
      },
      onComplete() {
        if (chain.length) chain[0].end();
        else succeed();
      },
      onError(err) {
        fail(err, true);
      },
    };
    try {
      dispatcher.dispatch(
        {
          origin: target.origin,
          path: `${target.pathname}${target.search}`,
          method: method as Dispatcher.HttpMethod,
          headers,
          body: body ?? null,
          headersTimeout: 0,
          bodyTimeout: 0,
        },
        handler,
      );
    } catch (err) {
      fail(err);
    }
  });
}

// ---- the exchange ----

function headerValue(headers: readonly [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

function withoutHeaders(headers: readonly [string, string][], names: readonly string[]): [string, string][] {
  const set = new Set(names.map((n) => n.toLowerCase()));
  return headers.filter(([n]) => !set.has(n.toLowerCase()));
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** What stops an exchange: the caller's AbortSignal, or a Stop (its time limit). */
type Stoppable = Pick<AbortSignal, 'aborted'> & {
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
};

/**
 * A send's time limit (and the caller's signal, when it gives one) as an exchange listens for it: one listener, no
 * AbortController per request (making one, its signal and their listeners cost more than the rest of a send's
 * bookkeeping on a loopback server).
 */
class Stop implements Stoppable {
  aborted = false;
  private readonly listeners = new Set<() => void>();
  addEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.delete(listener);
  }
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const l of listeners) l();
  }
}

/** Sends the request; resolves with the response (any status) or rejects with an HttpError. */
/** The User-Agent the engine sends when neither the request nor the caller says one. */
export const DEFAULT_USER_AGENT = 'Hammock';

export async function sendRequest(rendered: RenderedRequest, options: SendOptions): Promise<HttpResponse> {
  subscribeChannels();
  const start = performance.now();
  if (options.signal?.aborted) throw new HttpError('Cancelled', 'The request was cancelled.');
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  let signal: Stoppable | undefined = options.signal;
  const controller = options.timeoutMs && options.timeoutMs > 0 ? new Stop() : undefined;
  const onAbort = (): void => controller?.abort();
  if (controller) {
    options.signal?.addEventListener('abort', onAbort, { once: true });
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    signal = controller;
  }
  const follow = rendered.settings.followRedirects === 'on' || (rendered.settings.followRedirects === 'global' && options.followRedirects);
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const dispatcher = dispatcherFor(options);
  const jar = options.cookieJar;
  const redirects: RedirectHop[] = [];
  const cookies: SetCookie[] = [];
  let url = rendered.url;
  let method = rendered.method;
  let headers = rendered.headers.slice();
  // a default User-Agent, as Insomnia sends its own, unless the request (or a folder above it) sets one
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  if (userAgent && !headers.some(([n]) => n.toLowerCase() === 'user-agent')) headers.push(['User-Agent', userAgent]);
  let body = rendered.body;
  let triedChallenge = false;
  const rawRequestHeads: string[] = [];
  const rawResponseHeads: string[] = [];
  let dnsT = 0;
  let connectT = 0;
  let tlsT = 0;
  try {
    for (;;) {
      let target: URL;
      try {
        target = new URL(url);
      } catch (err) {
        throw new HttpError('InvalidUrl', `"${url}" is not a valid URL: check the scheme and the host.`, 'url', err);
      }
      const sendHeaders = headers.slice();
      if (jar && rendered.settings.sendCookies && !isEmptyJar(jar)) {
        const fromJar = await jar.getCookieString(target.toString());
        if (fromJar) {
          const i = sendHeaders.findIndex(([n]) => n.toLowerCase() === 'cookie');
          if (i >= 0) sendHeaders[i] = [sendHeaders[i][0], `${sendHeaders[i][1]}; ${fromJar}`];
          else sendHeaders.push(['Cookie', fromJar]);
        }
      }
      const ex: Exchange = { start: performance.now(), dns: 0, connect: 0, tls: 0, firstByte: 0, rawRequestHead: '' };
      const flat: string[] = [];
      for (const [n, v] of sendHeaders) flat.push(n, v);
      const maxInMemory = options.maxBodyInMemory ?? DEFAULT_MAX_BODY_IN_MEMORY;
      const requestMethod = method;
      const decide = (st: number, hs: [string, string][]): { collect: false } | { collect: true; chain: Transform[]; sink: BoundedCollector } => {
        if (st === 401 && rendered.challengeAuth && !triedChallenge && parseDigestChallenge(headerValue(hs, 'www-authenticate') ?? '')) return { collect: false };
        if (follow && REDIRECTS.has(st) && headerValue(hs, 'location')) return { collect: false };
        const chain = requestMethod === 'HEAD' || st === 204 || st === 304 ? [] : decoders(headerValue(hs, 'content-encoding') ?? '');
        return { collect: true, chain, sink: new BoundedCollector(maxInMemory, options.tempDir) };
      };
      // undici creates its request object synchronously inside dispatch(): tag it with this exchange, then untag at
      // once so no other request made while this one waits is taken for it
      let pending: Promise<ExchangeResult>;
      currentExchange = ex;
      try {
        pending = dispatchExchange(dispatcher, target, method, flat, body, signal, decide);
      } finally {
        currentExchange = undefined;
      }
      let res: ExchangeResult;
      try {
        res = await pending;
      } catch (err) {
        if (err instanceof Error && /incorrect header check|unexpected end of file|Decompression|invalid (block|stored|distance|code)/i.test(err.message) && !signal?.aborted) {
          throw new HttpError('InvalidBody', `The response body could not be decoded: ${err.message}`, 'response body', err);
        }
        throw err;
      }
      ex.firstByte = (res.headersAt || performance.now()) - ex.start;
      dnsT += ex.dns;
      connectT += ex.connect;
      tlsT += ex.tls;
      const status = res.status;
      const resHeaders = res.headers;
      rawRequestHeads.push(ex.rawRequestHead || `${method} ${target.pathname}${target.search} HTTP/1.1\r\n${sendHeaders.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n`);
      const statusText = res.statusText;
      const rawResponseHead = `HTTP/1.1 ${status} ${statusText}\r\n${resHeaders.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n`;
      rawResponseHeads.push(rawResponseHead);
      for (const [n, v] of resHeaders) {
        if (n.toLowerCase() !== 'set-cookie') continue;
        const parsed = toSetCookie(v);
        if (parsed) cookies.push(parsed);
        if (jar && rendered.settings.storeCookies) await jar.setCookie(v, target.toString(), { ignoreError: true });
      }
      const location = headerValue(resHeaders, 'location');
      if (status === 401 && rendered.challengeAuth && !triedChallenge) {
        const challenge = parseDigestChallenge(headerValue(resHeaders, 'www-authenticate') ?? '');
        if (challenge) {
          if (body instanceof Readable) throw new HttpError('AuthError', 'Digest auth cannot resend a file body after the challenge; send the file as multipart or use another auth.', 'auth');
          triedChallenge = true;
          const uri = `${target.pathname}${target.search}`;
          headers = [...withoutHeaders(headers, ['authorization']), ['Authorization', digestAuthorization(challenge, rendered.challengeAuth, method, uri, { body: Buffer.isBuffer(body) ? body : undefined })]];
          continue;
        }
      }
      if (follow && REDIRECTS.has(status) && location) {
        if (redirects.length >= maxRedirects) throw new HttpError('TooManyRedirects', `More than ${maxRedirects} redirects (last to ${location}): check for a redirect loop.`);
        let next: URL;
        try {
          next = new URL(location, target);
        } catch (err) {
          throw new HttpError('InvalidUrl', `The server redirected to an invalid URL "${location}".`, 'url', err);
        }
        redirects.push({ status, url: target.toString(), location: next.toString() });
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          body = undefined;
          headers = withoutHeaders(headers, ['content-type', 'content-length']);
        } else if (body instanceof Readable) {
          throw new HttpError('InvalidBody', `The server answered ${status}: a file body cannot be sent again to ${next.toString()}.`, 'body');
        }
        if (next.origin !== target.origin) headers = withoutHeaders(headers, ['authorization', 'cookie']);
        url = next.toString();
        continue;
      }
      // the final response, decoded and collected with a bound by dispatchExchange
      const sink = res.sink;
      if (!sink) throw new HttpError('Unknown', `The server answered ${status} without a body Hammock could read.`);
      const encodedBodySize = res.encoded;
      const total = performance.now() - start;
      const firstByte = ex.firstByte ? ex.start - start + ex.firstByte : total;
      const timings: Timings = { dns: dnsT, connect: connectT, tls: tlsT, firstByte, total };
      return {
        status,
        statusText,
        url: target.toString(),
        headers: resHeaders,
        body: Buffer.concat(sink.head),
        truncated: sink.file !== undefined,
        bodyFile: sink.file,
        bodySize: sink.size,
        encodedBodySize,
        headersSize: Buffer.byteLength(rawResponseHead) + 2,
        timings,
        cookies,
        redirects,
        rawRequestHead: rawRequestHeads.join('\r\n'),
        rawResponseHead: rawResponseHeads.join('\r\n'),
      };
    }
  } catch (err) {
    if (timedOut) throw new HttpError('Timeout', `No complete response from ${url} within ${options.timeoutMs} ms: check the server, or raise the timeout.`, undefined, err);
    if (options.signal?.aborted) throw new HttpError('Cancelled', 'The request was cancelled.', undefined, err);
    throw toHttpError(err, url);
  } finally {
    if (timer) clearTimeout(timer);
    if (controller) options.signal?.removeEventListener('abort', onAbort);
  }
}
