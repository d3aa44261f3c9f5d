// A loopback HTTP and HTTPS test server for the http engine's tests and bench. HTTPS uses a self-signed certificate
// made at start with the `openssl` CLI in a temp dir. Routes (same on both):
//   /echo            -> JSON { method, url, headers, rawHeaders, body, bodyBase64, form?, parts? } (multipart parsed)
//   /redirect/<n>    -> 302 chain down to /echo; /redirect303 -> 303 to /echo; /loop -> redirects to itself
//   /gzip /deflate /deflate-raw /br -> a compressed JSON body; /bad-gzip -> says gzip, is not; /chunked -> chunked text in several writes
//   /slow?ms=N       -> answers after N ms; /slow-body?ms=N -> headers now, body after N ms
//   /set-cookie      -> sets session=abc (and a path cookie); /status/<code>; /big?mb=N -> N MB of bytes
//   /digest          -> Digest challenge (MD5, qop=auth, user "Mufasa" / "Circle of Life"), 200 when answered right
//   /token           -> OAuth 2.0 token endpoint (client_credentials, password, authorization_code, refresh_token)
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

export interface TestServer {
  httpUrl: string;
  httpsUrl: string;
  /** the self-signed certificate (PEM) of the HTTPS server. */
  cert: string;
  /** every OAuth token request body the server received (for assertions). */
  tokenRequests: { headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

export interface MultipartPart {
  name: string;
  fileName?: string;
  contentType?: string;
  data: Buffer;
}

/** Minimal multipart/form-data parser (RFC 7578), enough to check what the engine sends. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const parts: MultipartPart[] = [];
  const delim = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    pos += delim.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break;
    pos += 2; // CRLF
    const headEnd = body.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) break;
    const head = body.subarray(pos, headEnd).toString('utf8');
    const next = body.indexOf(delim, headEnd + 4);
    if (next < 0) break;
    const data = body.subarray(headEnd + 4, next - 2);
    const disp = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(head)?.[1] ?? '';
    const name = /\bname="([^"]*)"/.exec(disp)?.[1] ?? '';
    const fileName = /\bfilename="([^"]*)"/.exec(disp)?.[1];
    const contentType = /content-type:\s*([^\r\n]*)/i.exec(head)?.[1];
    parts.push({ name, fileName, contentType, data });
    pos = next;
  }
  return parts;
}

const DIGEST = { realm: 'hammock@test', user: 'Mufasa', password: 'Circle of Life' };

function checkDigest(req: http.IncomingMessage, nonce: string): boolean {
  const h = req.headers.authorization ?? '';
  if (!h.startsWith('Digest ')) return false;
  const p: Record<string, string> = {};
  for (const m of h.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) p[m[1]] = m[2] ?? m[3];
  const md5 = (s: string): string => crypto.createHash('md5').update(s).digest('hex');
  const ha1 = md5(`${p.username}:${DIGEST.realm}:${DIGEST.password}`);
  const ha2 = md5(`${req.method}:${p.uri}`);
  const expected = md5(`${ha1}:${nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
  return p.username === DIGEST.user && p.nonce === nonce && p.response === expected;
}

function handler(tokenRequests: TestServer['tokenRequests']): http.RequestListener {
  const nonce = crypto.randomBytes(8).toString('hex');
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const p = url.pathname;
      const json = (status: number, value: unknown, headers: Record<string, string | string[]> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      if (p === '/echo' || p.startsWith('/echo/')) {
        const ct = req.headers['content-type'] ?? '';
        const out: Record<string, unknown> = { method: req.method, url: req.url, headers: req.headers, rawHeaders: req.rawHeaders, body: body.toString('utf8'), bodyBase64: body.toString('base64') };
        const b = /boundary=([^;]+)/.exec(ct)?.[1];
        if (ct.startsWith('multipart/form-data') && b) out.parts = parseMultipart(body, b).map((x) => ({ name: x.name, fileName: x.fileName, contentType: x.contentType, text: x.data.toString('utf8'), size: x.data.length }));
        if (ct.startsWith('application/x-www-form-urlencoded')) out.form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
        return json(200, out);
      }
      let m: RegExpExecArray | null;
      if ((m = /^\/redirect\/(\d+)$/.exec(p))) {
        const n = Number(m[1]);
        res.writeHead(302, { location: n <= 1 ? '/echo' : `/redirect/${n - 1}` });
        return res.end();
      }
      if (p === '/redirect303') {
        res.writeHead(303, { location: '/echo' });
        return res.end();
      }
      if (p === '/redirect307') {
        res.writeHead(307, { location: '/echo' });
        return res.end();
      }
      if (p === '/loop') {
        res.writeHead(302, { location: '/loop' });
        return res.end();
      }
      const payload = Buffer.from(JSON.stringify({ compressed: true, text: 'hello '.repeat(200) }));
      if (p === '/gzip') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return res.end(zlib.gzipSync(payload));
      }
      if (p === '/deflate') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
        return res.end(zlib.deflateSync(payload));
      }
      if (p === '/deflate-raw') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
        return res.end(zlib.deflateRawSync(payload));
      }
      if (p === '/bad-gzip') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        return res.end(Buffer.from('this is not gzip at all'));
      }
      if (p === '/br') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' });
        return res.end(zlib.brotliCompressSync(payload));
      }
      if (p === '/chunked') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        let i = 0;
        const tick = (): void => {
          if (i === 5) return void res.end();
          res.write(`chunk${i++};`);
          setTimeout(tick, 5);
        };
        return tick();
      }
      if (p === '/slow') {
        const t = setTimeout(() => json(200, { slow: true }), Number(url.searchParams.get('ms') ?? 2000));
        res.on('close', () => clearTimeout(t));
        return;
      }
      if (p === '/slow-body') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('start;');
        const t = setTimeout(() => res.end('end'), Number(url.searchParams.get('ms') ?? 2000));
        res.on('close', () => clearTimeout(t));
        return;
      }
      if (p === '/set-cookie') {
        res.writeHead(200, { 'set-cookie': ['session=abc; Path=/; HttpOnly', 'pathy=1; Path=/echo/only'], 'content-type': 'text/plain' });
        return res.end('cookies set');
      }
      if ((m = /^\/status\/(\d+)$/.exec(p))) {
        res.writeHead(Number(m[1]), { 'content-type': 'text/plain' });
        return res.end(`status ${m[1]}`);
      }
      if (p === '/big') {
        const total = Number(url.searchParams.get('mb') ?? 50) * 1024 * 1024;
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
        const block = Buffer.alloc(64 * 1024, 0x61);
        let sent = 0;
        const pump = (): void => {
          while (sent < total) {
            const n = Math.min(block.length, total - sent);
            sent += n;
            if (!res.write(n === block.length ? block : block.subarray(0, n))) return void res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      if (p === '/digest') {
        if (checkDigest(req, nonce)) return json(200, { authenticated: true });
        res.writeHead(401, { 'www-authenticate': `Digest realm="${DIGEST.realm}", qop="auth", algorithm=MD5, nonce="${nonce}", opaque="op"` });
        return res.end();
      }
      if (p === '/token') {
        tokenRequests.push({ headers: req.headers, body: body.toString('utf8') });
        const form = new URLSearchParams(body.toString('utf8'));
        const grant = form.get('grant_type');
        const basic = req.headers.authorization?.startsWith('Basic ') ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString() : '';
        const clientOk = basic === 'client:secret' || (form.get('client_id') === 'client' && form.get('client_secret') === 'secret');
        if (!clientOk) return json(401, { error: 'invalid_client' });
        if (grant === 'client_credentials') return json(200, { access_token: 'cc-token', token_type: 'Bearer', expires_in: 3600 });
        if (grant === 'password') return form.get('username') === 'alice' && form.get('password') === 'pw' ? json(200, { access_token: 'pw-token', refresh_token: 'r1', expires_in: 3600 }) : json(400, { error: 'invalid_grant' });
        if (grant === 'authorization_code') {
          const verifier = form.get('code_verifier') ?? '';
          const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
          return form.get('code') === `code-for-${challenge}` ? json(200, { access_token: 'code-token', expires_in: 3600 }) : json(400, { error: 'invalid_grant', error_description: 'bad code or verifier' });
        }
        if (grant === 'refresh_token') return json(200, { access_token: `refreshed-${form.get('refresh_token')}`, expires_in: 3600 });
        return json(400, { error: 'unsupported_grant_type' });
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    });
  };
}

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** Starts both servers on 127.0.0.1 (random ports). */
export async function startTestServer(): Promise<TestServer> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-https-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  const [key, cert] = await Promise.all([fsp.readFile(keyFile, 'utf8'), fsp.readFile(certFile, 'utf8')]);
  await fsp.rm(dir, { recursive: true, force: true });
  const tokenRequests: TestServer['tokenRequests'] = [];
  const h = handler(tokenRequests);
  const plain = http.createServer(h);
  const secure = https.createServer({ key, cert }, h);
  const [p1, p2] = await Promise.all([listen(plain), listen(secure)]);
  return {
    httpUrl: `http://127.0.0.1:${p1}`,
    httpsUrl: `https://127.0.0.1:${p2}`,
    cert,
    tokenRequests,
    close: async () => {
      for (const s of [plain, secure]) s.closeAllConnections();
      await Promise.all([new Promise((r) => plain.close(r)), new Promise((r) => secure.close(r))]);
    },
  };
}

export interface TestProxy {
  url: string;
  /** the `host:port` of every CONNECT tunnel opened. */
  connects: string[];
  close(): Promise<void>;
}

/** A minimal HTTP proxy (CONNECT tunnels, as undici's ProxyAgent uses) on loopback, with optional basic auth. */
export async function startTestProxy(auth?: { user: string; password: string }): Promise<TestProxy> {
  const net = await import('node:net');
  const connects: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  server.on('connect', (req: http.IncomingMessage, client: import('node:net').Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (auth) {
      const expected = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
      if (req.headers['proxy-authorization'] !== expected) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="proxy"\r\n\r\n');
        return;
      }
    }
    const target = req.url ?? '';
    connects.push(target);
    const [host, port] = target.split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
