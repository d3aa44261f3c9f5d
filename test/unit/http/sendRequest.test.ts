// Against the real loopback HTTP and HTTPS servers (test/support/httpServer.ts).
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CookieJar } from 'tough-cookie';
import {
  buildRenderContext,
  closeConnections,
  HttpError,
  loadJar,
  renderRequest,
  sendRequest,
  serializeJar,
  toCurl,
  type HttpResponse,
  type RenderedRequest,
  type SendOptions,
} from '../../../src/http';
import type { HttpRequest } from '../../../src/collections/model';
import { startTestProxy, startTestServer, type TestServer } from '../../support/httpServer';
import { collection, request } from './modelBuilders';

const base: SendOptions = { followRedirects: true, rejectUnauthorized: true };

async function renderModel(req: HttpRequest, env: Record<string, unknown> = {}): Promise<RenderedRequest> {
  const col = collection([req], env);
  return renderRequest(req, col, buildRenderContext(col, req.id));
}

function echo(res: HttpResponse): { method: string; url: string; headers: Record<string, string>; body: string; bodyBase64: string; form?: Record<string, string>; parts?: { name: string; fileName?: string; contentType?: string; text: string; size: number }[] } {
  return JSON.parse(res.body.toString('utf8'));
}

async function rejectsCode(p: Promise<unknown>, code: string): Promise<HttpError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected ${code}`);
}

describe('http sendRequest against loopback servers', function () {
  this.timeout(30000);
  let server: TestServer;
  let tmp: string;
  before(async () => {
    server = await startTestServer();
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-http-test-'));
  });
  after(async () => {
    await closeConnections();
    await server.close();
    await fsp.rm(tmp, { recursive: true, force: true });
  });

  it('methods, query parameters and headers reach the server; timings and sizes are reported', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const r = await renderModel(request('req_m', {
        method,
        url: '{{ base }}/echo?x=1',
        parameters: [{ name: 'q', value: 'a b&c' }, { name: 'off', value: '1', disabled: true }],
        headers: [{ name: 'X-Custom', value: '{{ v }}' }],
      }), { base: server.httpUrl, v: 'val' });
      const res = await sendRequest(r, base);
      assert.equal(res.status, 200);
      const e = echo(res);
      assert.equal(e.method, method);
      assert.equal(e.url, '/echo?x=1&q=a%20b%26c');
      assert.equal(e.headers['x-custom'], 'val');
      assert.ok(res.timings.total > 0 && res.timings.firstByte > 0 && res.timings.firstByte <= res.timings.total);
      assert.equal(res.bodySize, res.body.length);
      assert.match(res.rawRequestHead, new RegExp(`^${method} /echo\\?x=1&q=a%20b%26c HTTP/1.1\\r\\n`));
      assert.match(res.rawRequestHead, /X-Custom: val/i);
      assert.match(res.rawResponseHead, /^HTTP\/1.1 200 OK\r\n/);
    }
    const head = await sendRequest(await renderModel(request('req_h', { method: 'HEAD', url: `${server.httpUrl}/echo` })), base);
    assert.equal(head.status, 200);
    assert.equal(head.bodySize, 0);
  });

  it('a default User-Agent as Insomnia sends its own: Hammock/<version> from the caller, Hammock without; the request\'s own wins', async () => {
    const plain = await sendRequest(await renderModel(request('req_ua', { url: `${server.httpUrl}/echo` })), base);
    assert.equal(echo(plain).headers['user-agent'], 'Hammock');
    const versioned = await sendRequest(await renderModel(request('req_ua', { url: `${server.httpUrl}/echo` })), { ...base, userAgent: 'Hammock/1.2.3' });
    assert.equal(echo(versioned).headers['user-agent'], 'Hammock/1.2.3');
    assert.match(versioned.rawRequestHead, /\r\nUser-Agent: Hammock\/1\.2\.3\r\n/);
    const own = await sendRequest(await renderModel(request('req_ua', { url: `${server.httpUrl}/echo`, headers: [{ name: 'user-agent', value: 'curl/8.5.0' }] })), { ...base, userAgent: 'Hammock/1.2.3' });
    assert.equal(echo(own).headers['user-agent'], 'curl/8.5.0');
    assert.equal((own.rawRequestHead.match(/user-agent/gi) ?? []).length, 1, 'one User-Agent');
    const none = await sendRequest(await renderModel(request('req_ua', { url: `${server.httpUrl}/echo` })), { ...base, userAgent: '' });
    assert.equal(echo(none).headers['user-agent'], undefined);
  });

  it('a new connection reports its connect time; https reports the TLS handshake', async () => {
    await closeConnections();
    const res = await sendRequest(await renderModel(request('r', { url: `${server.httpsUrl}/echo` })), { ...base, rejectUnauthorized: false });
    assert.ok(res.timings.tls > 0, `tls ${res.timings.tls}`);
    assert.ok(res.timings.firstByte >= res.timings.tls);
    await closeConnections();
    const plain = await sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/echo` })), base);
    assert.ok(plain.timings.connect > 0, `connect ${plain.timings.connect}`);
    assert.equal(plain.timings.tls, 0);
    // the head as undici wrote it on the wire (it adds the host header itself)
    assert.match(plain.rawRequestHead, /\r\nhost: 127\.0\.0\.1:\d+\r\n/);
    // a pooled connection, once free again, is reused: no connect phase
    const again: number[] = [];
    for (let i = 0; i < 4; i++) again.push((await sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/echo` })), base)).timings.connect);
    assert.ok(again.includes(0), again.join(','));
  });

  it('sends each body type: JSON, text, XML, form-urlencoded, multipart with a file, GraphQL, binary file', async () => {
    const send = async (body: HttpRequest['body'], headers: HttpRequest['headers'] = []): Promise<ReturnType<typeof echo>> =>
      echo(await sendRequest(await renderModel(request('req_b', { method: 'POST', url: `${server.httpUrl}/echo`, body, headers }), { who: 'env' }), base));

    let e = await send({ mimeType: 'application/json', text: '{"who": "{{ who }}"}' });
    assert.equal(e.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(e.body), { who: 'env' });

    e = await send({ mimeType: 'text/plain', text: 'hello {{ who }}' });
    assert.equal(e.body, 'hello env');
    assert.equal(e.headers['content-type'], 'text/plain');

    e = await send({ mimeType: 'application/xml', text: '<a>{{ who }}</a>' });
    assert.equal(e.body, '<a>env</a>');

    e = await send({ mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'a', value: '1 2' }, { name: 'b', value: '{{ who }}&x' }, { name: 'c', value: 'no', disabled: true }] });
    assert.equal(e.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.deepEqual(e.form, { a: '1 2', b: 'env&x' });

    const file = path.join(tmp, 'upload.json');
    await fsp.writeFile(file, '{"file":true}');
    e = await send({ mimeType: 'multipart/form-data', params: [{ name: 'field', value: '{{ who }}' }, { name: 'upload', value: '', type: 'file', fileName: file }] });
    assert.match(e.headers['content-type'], /^multipart\/form-data; boundary=/);
    assert.deepEqual(e.parts, [
      { name: 'field', text: 'env', size: 3 },
      { name: 'upload', fileName: 'upload.json', contentType: 'application/json', text: '{"file":true}', size: 13 },
    ]);

    e = await send({ mimeType: 'application/graphql', text: JSON.stringify({ query: 'query Q($id: ID) { item(id: $id) { name } }', variables: { id: '{{ who }}' } }) });
    assert.equal(e.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(e.body), { query: 'query Q($id: ID) { item(id: $id) { name } }', variables: { id: 'env' } });

    const bin = path.join(tmp, 'blob.bin');
    const bytes = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
    await fsp.writeFile(bin, bytes);
    e = await send({ mimeType: 'application/octet-stream', fileName: bin });
    assert.equal(Buffer.from(e.bodyBase64, 'base64').compare(bytes), 0);
    assert.equal(e.headers['content-length'], String(bytes.length));

    await rejectsCode(send({ mimeType: 'application/octet-stream', fileName: path.join(tmp, 'missing.bin') }), 'FileError');
  });

  it('follows redirects (302 chain, 303 turns POST into GET, 307 keeps it) or not, and stops a loop', async () => {
    const r = await renderModel(request('req_r', { url: `${server.httpUrl}/redirect/3` }));
    const res = await sendRequest(r, base);
    assert.equal(res.status, 200);
    assert.equal(res.redirects.length, 3);
    assert.equal(res.url, `${server.httpUrl}/echo`);
    const off = await sendRequest(r, { ...base, followRedirects: false });
    assert.equal(off.status, 302);
    const perRequestOn = await renderModel(request('req_r2', { url: `${server.httpUrl}/redirect/1`, settings: { renderRequestBody: true, encodeUrl: true, followRedirects: 'on', sendCookies: true, storeCookies: true, rebuildPath: true } }));
    assert.equal((await sendRequest(perRequestOn, { ...base, followRedirects: false })).status, 200);
    const post303 = await sendRequest(await renderModel(request('r3', { method: 'POST', url: `${server.httpUrl}/redirect303`, body: { mimeType: 'text/plain', text: 'x' } })), base);
    assert.equal(echo(post303).method, 'GET');
    assert.equal(echo(post303).body, '');
    const post307 = await sendRequest(await renderModel(request('r4', { method: 'POST', url: `${server.httpUrl}/redirect307`, body: { mimeType: 'text/plain', text: 'kept' } })), base);
    assert.equal(echo(post307).method, 'POST');
    assert.equal(echo(post307).body, 'kept');
    await rejectsCode(sendRequest(await renderModel(request('r5', { url: `${server.httpUrl}/loop` })), { ...base, maxRedirects: 5 }), 'TooManyRedirects');
  });

  it('decodes gzip, deflate (zlib and raw) and br; reads chunked bodies', async () => {
    for (const p of ['/gzip', '/deflate', '/deflate-raw', '/br']) {
      const res = await sendRequest(await renderModel(request('r', { url: `${server.httpUrl}${p}` })), base);
      const body = JSON.parse(res.body.toString('utf8'));
      assert.equal(body.compressed, true, p);
      assert.ok(res.encodedBodySize < res.bodySize, `${p}: ${res.encodedBodySize} < ${res.bodySize}`);
    }
    const bad = await rejectsCode(sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/bad-gzip` })), base), 'InvalidBody');
    assert.match(bad.message, /could not be decoded/);
    const chunked = await sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/chunked` })), base);
    assert.equal(chunked.body.toString(), 'chunk0;chunk1;chunk2;chunk3;chunk4;');
    assert.ok(chunked.headers.some(([n, v]) => n.toLowerCase() === 'transfer-encoding' && v === 'chunked'));
  });

  it('cancels with an AbortSignal and times out (before headers and during the body)', async () => {
    const slow = await renderModel(request('r', { url: `${server.httpUrl}/slow?ms=5000` }));
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 100);
    await rejectsCode(sendRequest(slow, { ...base, signal: ac.signal }), 'Cancelled');
    assert.ok(Date.now() - t0 < 2000);
    const err = await rejectsCode(sendRequest(slow, { ...base, timeoutMs: 150 }), 'Timeout');
    assert.match(err.message, /150 ms/);
    await rejectsCode(sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/slow-body?ms=5000` })), { ...base, timeoutMs: 200 }), 'Timeout');
    // a signal and a time limit together: whichever comes first, before the headers and during the body
    const both = new AbortController();
    setTimeout(() => both.abort(), 100);
    await rejectsCode(sendRequest(slow, { ...base, signal: both.signal, timeoutMs: 5000 }), 'Cancelled');
    const during = new AbortController();
    setTimeout(() => during.abort(), 150);
    await rejectsCode(sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/slow-body?ms=5000` })), { ...base, signal: during.signal, timeoutMs: 5000 }), 'Cancelled');
    const first = new AbortController();
    await rejectsCode(sendRequest(slow, { ...base, signal: first.signal, timeoutMs: 150 }), 'Timeout');
    const late = new AbortController();
    const ok = await sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/echo` })), { ...base, signal: late.signal, timeoutMs: 5000 });
    assert.equal(ok.status, 200);
    late.abort();
  });

  it('stores cookies in the jar and sends them back; the jar round-trips through serializeJar/loadJar', async () => {
    const jar = new CookieJar();
    const set = await sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/set-cookie` })), { ...base, cookieJar: jar });
    assert.deepEqual(set.cookies.map((c) => `${c.name}=${c.value}`), ['session=abc', 'pathy=1']);
    assert.equal(set.cookies[0].httpOnly, true);
    const back = await sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/echo` })), { ...base, cookieJar: jar });
    assert.equal(echo(back).headers.cookie, 'session=abc');
    const deep = await sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/echo/only`, headers: [{ name: 'Cookie', value: 'mine=1' }] })), { ...base, cookieJar: jar });
    assert.match(echo(deep).headers.cookie, /^mine=1; /);
    assert.match(echo(deep).headers.cookie, /pathy=1/);
    const reloaded = await loadJar(await serializeJar(jar));
    const again = await sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/echo` })), { ...base, cookieJar: reloaded });
    assert.equal(echo(again).headers.cookie, 'session=abc');
    const noSend = await renderModel(request('r', { url: `${server.httpUrl}/echo`, settings: { renderRequestBody: true, encodeUrl: true, followRedirects: 'global', sendCookies: false, storeCookies: true, rebuildPath: true } }));
    assert.equal(echo(await sendRequest(noSend, { ...base, cookieJar: jar })).headers.cookie, undefined);
  });

  it('rejects a self-signed certificate, and accepts it with verification off', async () => {
    const r = await renderModel(request('r', { url: `${server.httpsUrl}/echo` }));
    const err = await rejectsCode(sendRequest(r, base), 'TlsError');
    assert.match(err.message, /certificate/);
    const res = await sendRequest(r, { ...base, rejectUnauthorized: false });
    assert.equal(res.status, 200);
  });

  it('answers a Digest challenge', async () => {
    const r = await renderModel(request('r', { url: `${server.httpUrl}/digest`, authentication: { type: 'digest', username: 'Mufasa', password: 'Circle of Life' } }));
    const res = await sendRequest(r, base);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body.toString()), { authenticated: true });
    const wrong = await renderModel(request('r', { url: `${server.httpUrl}/digest`, authentication: { type: 'digest', username: 'Mufasa', password: 'nope' } }));
    assert.equal((await sendRequest(wrong, base)).status, 401);
  });

  it('keeps a large body out of memory: the head in memory, the whole body in a temp file', async () => {
    const res = await sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/big?mb=3` })), { ...base, maxBodyInMemory: 1024 * 1024, tempDir: tmp });
    assert.equal(res.truncated, true);
    assert.equal(res.body.length, 1024 * 1024);
    assert.equal(res.bodySize, 3 * 1024 * 1024);
    assert.ok(res.bodyFile);
    const st = await fsp.stat(res.bodyFile);
    assert.equal(st.size, 3 * 1024 * 1024);
    const small = await sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/big?mb=1` })), { ...base, maxBodyInMemory: 2 * 1024 * 1024, tempDir: tmp });
    assert.equal(small.truncated, false);
    assert.equal(small.bodyFile, undefined);
  });

  it('translates connection errors into HttpError codes with advice', async () => {
    const err = await rejectsCode(sendRequest(await renderModel(request('r', { url: 'http://127.0.0.1:1/' })), base), 'ConnectionRefused');
    assert.match(err.message, /check that the server is running/);
    await rejectsCode(renderModel(request('r', { url: 'ftp://x/' })), 'InvalidUrl');
    await rejectsCode(sendRequest(await renderModel(request('r', { url: 'http://nonexistent.invalid/' })), base), 'DnsError');
  });

  it('goes through a proxy (CONNECT tunnel, with proxy credentials from the URL)', async () => {
    const proxy = await startTestProxy({ user: 'pu', password: 'pp' });
    try {
      const host = new URL(server.httpUrl).host;
      const proxyUrl = proxy.url.replace('http://', 'http://pu:pp@');
      const res = await sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/echo?via=proxy` })), { ...base, proxy: proxyUrl });
      assert.equal(res.status, 200);
      assert.equal(echo(res).url, '/echo?via=proxy');
      assert.deepEqual(proxy.connects, [host]);
      await rejectsCode(sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/echo` })), { ...base, proxy: proxy.url.replace('http://', 'http://pu:bad@') }), 'ProxyError');
    } finally {
      await closeConnections();
      await proxy.close();
    }
  });

  it('first byte is when the head arrives, not when the body ends', async () => {
    const res = await sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/slow-body?ms=300` })), base);
    assert.equal(res.body.toString(), 'start;end');
    assert.ok(res.timings.total >= 280, `total ${res.timings.total}`);
    assert.ok(res.timings.firstByte < res.timings.total - 200, `firstByte ${res.timings.firstByte}, total ${res.timings.total}`);
  });

  it('concurrent sends each keep their own timeline head', async () => {
    const slow = sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/slow?ms=150` })), base);
    const fast = await Promise.all([1, 2, 3].map(async (i) => sendRequest(await renderModel(request('r', { url: `${server.httpUrl}/echo/${i}` })), base)));
    fast.forEach((res, i) => assert.ok(res.rawRequestHead.startsWith(`GET /echo/${i + 1} HTTP/1.1\r\n`), res.rawRequestHead));
    assert.match((await slow).rawRequestHead, /^GET \/slow\?ms=150 HTTP\/1.1\r\n/);
  });

  it('toCurl renders a command httpsnippet builds', async () => {
    const r = await renderModel(request('r', { method: 'POST', url: `${server.httpUrl}/echo?a=1`, headers: [{ name: 'X-A', value: 'b' }], body: { mimeType: 'application/json', text: '{"k":1}' } }));
    const curl = toCurl(r);
    assert.match(curl, /^curl --request POST/);
    assert.match(curl, /--url '?http:\/\/127\.0\.0\.1:\d+\/echo\?a=1/);
    assert.match(curl, /--header '?X-A: b/);
    assert.match(curl, /--data '?\{"k":1\}/);
  });
});
