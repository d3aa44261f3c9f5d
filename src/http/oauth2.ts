// OAuth 2.0 tokens: client credentials, password and authorization code (with PKCE), plus refresh. Tokens go through
// the host's `tokenStore` (SecretStorage): never into the model or the files.
import * as crypto from 'node:crypto';
import { basicAuthorization } from './auth';
import { HttpError, toHttpError } from './httpError';
import { undici } from './lazyDeps';
import type { OAuth2Token, RenderHooks } from './types';

export interface OAuth2Config {
  grantType: 'client_credentials' | 'password' | 'authorization_code' | 'refresh_token' | string;
  accessTokenUrl: string;
  authorizationUrl?: string;
  clientId: string;
  clientSecret?: string;
  scope?: string;
  audience?: string;
  resource?: string;
  username?: string;
  password?: string;
  redirectUrl?: string;
  state?: string;
  credentialsInBody?: boolean;
  usePkce?: boolean;
  pkceMethod?: 'S256' | 'plain' | string;
}

export function pkcePair(method: 'S256' | 'plain' = 'S256'): { verifier: string; challenge: string; method: 'S256' | 'plain' } {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = method === 'plain' ? verifier : crypto.createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge, method };
}

/** The authorization endpoint URL for the authorization code grant. */
export function authorizationUrl(cfg: OAuth2Config, state: string, codeChallenge?: { challenge: string; method: string }): string {
  if (!cfg.authorizationUrl) throw new HttpError('AuthError', 'OAuth 2.0 authorization code needs an authorization URL.', 'auth');
  const url = new URL(cfg.authorizationUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', cfg.clientId);
  if (cfg.redirectUrl) url.searchParams.set('redirect_uri', cfg.redirectUrl);
  if (cfg.scope) url.searchParams.set('scope', cfg.scope);
  if (cfg.audience) url.searchParams.set('audience', cfg.audience);
  if (cfg.resource) url.searchParams.set('resource', cfg.resource);
  url.searchParams.set('state', state);
  if (codeChallenge) {
    url.searchParams.set('code_challenge', codeChallenge.challenge);
    url.searchParams.set('code_challenge_method', codeChallenge.method);
  }
  return url.toString();
}

/** POSTs to the token endpoint and parses the answer (JSON or form-encoded). */
export async function requestToken(cfg: OAuth2Config, params: Record<string, string>, signal?: AbortSignal): Promise<OAuth2Token> {
  if (!cfg.accessTokenUrl) throw new HttpError('AuthError', 'OAuth 2.0 needs an access token URL.', 'auth');
  const form = new URLSearchParams(params);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (cfg.credentialsInBody) {
    form.set('client_id', cfg.clientId);
    if (cfg.clientSecret) form.set('client_secret', cfg.clientSecret);
  } else if (cfg.clientSecret) {
    headers.authorization = basicAuthorization(encodeURIComponent(cfg.clientId), encodeURIComponent(cfg.clientSecret));
  } else {
    form.set('client_id', cfg.clientId);
  }
  if (cfg.scope && !form.has('scope') && params.grant_type !== 'authorization_code') form.set('scope', cfg.scope);
  if (cfg.audience) form.set('audience', cfg.audience);
  if (cfg.resource) form.set('resource', cfg.resource);
  let status: number;
  let text: string;
  let contentType: string;
  try {
    const res = await undici().request(cfg.accessTokenUrl, { method: 'POST', headers, body: form.toString(), signal });
    status = res.statusCode;
    text = await res.body.text();
    contentType = String(res.headers['content-type'] ?? '');
  } catch (err) {
    throw toHttpError(err, cfg.accessTokenUrl);
  }
  let data: Record<string, unknown>;
  if (contentType.includes('json') || text.trim().startsWith('{')) {
    try {
      data = JSON.parse(text) as Record<string, unknown>;
    } catch {
      data = {};
    }
  } else {
    data = Object.fromEntries(new URLSearchParams(text));
  }
  if (status >= 400 || typeof data.access_token !== 'string') {
    const why = typeof data.error === 'string' ? `${data.error}${data.error_description ? `: ${String(data.error_description)}` : ''}` : `HTTP ${status}`;
    throw new HttpError('AuthError', `The OAuth 2.0 token request to ${cfg.accessTokenUrl} failed (${why}): check the client id, secret and grant settings.`, 'auth');
  }
  const expiresIn = Number(data.expires_in);
  return {
    accessToken: data.access_token,
    refreshToken: typeof data.refresh_token === 'string' ? data.refresh_token : undefined,
    tokenType: typeof data.token_type === 'string' ? data.token_type : undefined,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? Date.now() + expiresIn * 1000 : undefined,
    raw: data,
  };
}

/**
 * A valid access token for `key` (the request or folder id): the stored one when not expired, else refreshed, else
 * fetched with the configured grant. The new token is handed to `hooks.tokenStore`.
 */
export async function getOAuth2Token(cfg: OAuth2Config, key: string, hooks: RenderHooks, opts: { signal?: AbortSignal; forceNew?: boolean } = {}): Promise<OAuth2Token> {
  const store = hooks.tokenStore;
  const stored = !opts.forceNew && store ? await store.get(key) : undefined;
  if (stored && (!stored.expiresAt || stored.expiresAt > Date.now() + 5000)) return stored;
  let token: OAuth2Token | undefined;
  if (stored?.refreshToken) {
    try {
      token = await requestToken(cfg, { grant_type: 'refresh_token', refresh_token: stored.refreshToken }, opts.signal);
      if (!token.refreshToken) token.refreshToken = stored.refreshToken;
    } catch {
      token = undefined;
    }
  }
  if (!token) token = await fetchNewToken(cfg, hooks, opts.signal);
  if (store) await store.set(key, token);
  return token;
}

async function fetchNewToken(cfg: OAuth2Config, hooks: RenderHooks, signal?: AbortSignal): Promise<OAuth2Token> {
  switch (cfg.grantType) {
    case 'client_credentials':
      return requestToken(cfg, { grant_type: 'client_credentials' }, signal);
    case 'password':
      return requestToken(cfg, { grant_type: 'password', username: cfg.username ?? '', password: cfg.password ?? '' }, signal);
    case 'authorization_code': {
      if (!hooks.openBrowser || !hooks.receiveCode) throw new HttpError('AuthError', 'The OAuth 2.0 authorization code grant needs a browser; it is not available here.', 'auth');
      const state = cfg.state || crypto.randomBytes(12).toString('hex');
      const pkce = cfg.usePkce ? pkcePair(cfg.pkceMethod === 'plain' ? 'plain' : 'S256') : undefined;
      const redirect = cfg.redirectUrl ?? '';
      const waiting = hooks.receiveCode(redirect, state);
      await hooks.openBrowser(authorizationUrl(cfg, state, pkce));
      const got = await waiting;
      if (got.state !== state) throw new HttpError('AuthError', 'The OAuth 2.0 redirect carried a different state: the login was not the one Hammock started.', 'auth');
      const params: Record<string, string> = { grant_type: 'authorization_code', code: got.code };
      if (redirect) params.redirect_uri = redirect;
      if (pkce) params.code_verifier = pkce.verifier;
      return requestToken(cfg, params, signal);
    }
    default:
      throw new HttpError('AuthError', `OAuth 2.0 grant "${cfg.grantType}" is not supported; use client credentials, password or authorization code.`, 'auth');
  }
}
