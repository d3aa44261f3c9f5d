// Auth schemes applied to a rendered request: Basic, Bearer, API key, Digest (RFC 7616, answered on a 401 challenge),
// AWS Signature v4 (aws4) and OAuth 2.0 (token from oauth2.ts). Every field is rendered as a template first.
import * as crypto from 'node:crypto';
import * as aws4 from 'aws4';
import type { Authentication } from '../collections/model';
import { HttpError } from './httpError';
import type { RenderedRequest } from './types';

export function isAuthEmpty(auth: Authentication | undefined): boolean {
  return !auth || !auth.type || auth.type === 'inherit' || Object.keys(auth).length === 0;
}

function setHeader(req: RenderedRequest, name: string, value: string): void {
  const lower = name.toLowerCase();
  req.headers = req.headers.filter(([n]) => n.toLowerCase() !== lower);
  req.headers.push([name, value]);
}

export function hasHeader(req: Pick<RenderedRequest, 'headers'>, name: string): boolean {
  const lower = name.toLowerCase();
  return req.headers.some(([n]) => n.toLowerCase() === lower);
}

export function basicAuthorization(username: string, password: string, iso88591 = false): string {
  return `Basic ${Buffer.from(`${username}:${password}`, iso88591 ? 'latin1' : 'utf8').toString('base64')}`;
}

export function applyBasic(req: RenderedRequest, username: string, password: string, iso88591 = false): void {
  setHeader(req, 'Authorization', basicAuthorization(username, password, iso88591));
}

export function applyBearer(req: RenderedRequest, token: string, prefix: string): void {
  const p = prefix === '' ? 'Bearer' : prefix;
  setHeader(req, 'Authorization', p.trim() ? `${p.trim()} ${token}` : token);
}

export function applyApiKey(req: RenderedRequest, key: string, value: string, addTo: string): void {
  if (!key) return;
  if (addTo === 'queryParams') {
    const url = new URL(req.url);
    url.searchParams.append(key, value);
    req.url = url.toString();
  } else if (addTo === 'cookie') {
    const pair = `${key}=${value}`;
    const i = req.headers.findIndex(([n]) => n.toLowerCase() === 'cookie');
    if (i >= 0) req.headers[i] = [req.headers[i][0], `${req.headers[i][1]}; ${pair}`];
    else req.headers.push(['Cookie', pair]);
  } else {
    setHeader(req, key, value);
  }
}

/** AWS Signature v4 with aws4; `date` fixes X-Amz-Date for tests (else now). */
export function applyAwsSigV4(
  req: RenderedRequest,
  creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; region?: string; service?: string },
  bodyForSigning?: Buffer | string,
): void {
  if (!creds.accessKeyId || !creds.secretAccessKey) throw new HttpError('AuthError', 'AWS Signature v4 needs an access key id and a secret access key.', 'auth');
  const url = new URL(req.url);
  const headers: Record<string, string> = {};
  for (const [n, v] of req.headers) headers[n] = v;
  const opts: aws4.Request = {
    host: url.host,
    method: req.method,
    path: `${url.pathname}${url.search}`,
    headers,
    body: bodyForSigning,
    region: creds.region || undefined,
    service: creds.service || undefined,
    doNotModifyHeaders: false,
  };
  aws4.sign(opts, { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken: creds.sessionToken || undefined });
  const signed = opts.headers as Record<string, string | number>;
  for (const [n, v] of Object.entries(signed)) {
    if (n.toLowerCase() === 'host' && !hasHeader(req, 'host')) continue;
    if (n.toLowerCase() === 'content-length') continue;
    setHeader(req, n, String(v));
  }
}

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  qop?: string;
  algorithm?: string;
  userhash?: boolean;
}

/** Parses a `WWW-Authenticate: Digest ...` header; undefined when it is not a Digest challenge. */
export function parseDigestChallenge(header: string): DigestChallenge | undefined {
  const m = /Digest\s+(.*)$/is.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/gi;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[1]))) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  if (params.nonce === undefined) return undefined;
  return { realm: params.realm ?? '', nonce: params.nonce, opaque: params.opaque, qop: params.qop, algorithm: params.algorithm, userhash: params.userhash === 'true' };
}

/** Builds the `Authorization: Digest ...` value (RFC 7616: MD5, SHA-256, SHA-512-256 and their -sess variants). */
export function digestAuthorization(
  challenge: DigestChallenge,
  creds: { username: string; password: string },
  method: string,
  uri: string,
  opts: { cnonce?: string; nc?: number; body?: Buffer } = {},
): string {
  const algRaw = (challenge.algorithm ?? 'MD5').toUpperCase();
  const sess = algRaw.endsWith('-SESS');
  const alg = sess ? algRaw.slice(0, -5) : algRaw;
  const nodeAlg = alg === 'SHA-256' ? 'sha256' : alg === 'SHA-512-256' ? 'sha512-256' : 'md5';
  const H = (s: string | Buffer): string => crypto.createHash(nodeAlg).update(s).digest('hex');
  const qops = (challenge.qop ?? '').split(',').map((q) => q.trim()).filter(Boolean);
  const qop = qops.includes('auth') ? 'auth' : qops.includes('auth-int') ? 'auth-int' : undefined;
  const cnonce = opts.cnonce ?? crypto.randomBytes(16).toString('hex');
  const nc = (opts.nc ?? 1).toString(16).padStart(8, '0');
  let ha1 = H(`${creds.username}:${challenge.realm}:${creds.password}`);
  if (sess) ha1 = H(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = qop === 'auth-int' ? H(`${method}:${uri}:${H(opts.body ?? '')}`) : H(`${method}:${uri}`);
  const response = qop ? H(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : H(`${ha1}:${challenge.nonce}:${ha2}`);
  const username = challenge.userhash ? H(`${creds.username}:${challenge.realm}`) : creds.username;
  const parts = [
    `username="${username}"`,
    `realm="${challenge.realm}"`,
    `uri="${uri}"`,
    `algorithm=${challenge.algorithm ?? 'MD5'}`,
    `nonce="${challenge.nonce}"`,
  ];
  if (qop) parts.push(`nc=${nc}`, `cnonce="${cnonce}"`, `qop=${qop}`);
  parts.push(`response="${response}"`);
  if (challenge.opaque !== undefined) parts.push(`opaque="${challenge.opaque}"`);
  if (challenge.userhash) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}
