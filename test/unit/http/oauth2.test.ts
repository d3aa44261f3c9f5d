// OAuth 2.0 grants against the loopback token endpoint, with an in-memory token store standing in for SecretStorage.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import {
  buildRenderContext,
  closeConnections,
  getOAuth2Token,
  HttpError,
  pkcePair,
  renderRequest,
  type OAuth2Token,
  type RenderHooks,
} from '../../../src/http';
import { startTestServer, type TestServer } from '../../support/httpServer';
import { collection, folder, request } from './modelBuilders';

function memoryStore(): { hooks: Pick<RenderHooks, 'tokenStore'>; saved: Map<string, OAuth2Token | undefined> } {
  const saved = new Map<string, OAuth2Token | undefined>();
  return {
    saved,
    hooks: {
      tokenStore: {
        get: async (k) => saved.get(k),
        set: async (k, t) => void saved.set(k, t),
      },
    },
  };
}

describe('http OAuth 2.0', function () {
  this.timeout(20000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await closeConnections();
    await server.close();
  });

  it('client credentials (secret in a Basic header) gives a Bearer token, stored outside the model and reused', async () => {
    const { hooks, saved } = memoryStore();
    const auth = { type: 'oauth2', grantType: 'client_credentials', accessTokenUrl: '{{ base }}/token', clientId: 'client', clientSecret: 'secret' };
    const req = request('req_1', { authentication: auth });
    const col = collection([req], { base: server.httpUrl });
    const r = await renderRequest(req, col, buildRenderContext(col, 'req_1'), hooks);
    assert.deepEqual(r.headers.find(([n]) => n === 'Authorization'), ['Authorization', 'Bearer cc-token']);
    assert.equal(saved.get('req_1')?.accessToken, 'cc-token');
    assert.ok((saved.get('req_1')?.expiresAt ?? 0) > Date.now());
    assert.equal(JSON.stringify(req.authentication).includes('cc-token'), false);
    assert.match(server.tokenRequests.at(-1)?.headers.authorization ?? '', /^Basic /);
    const before = server.tokenRequests.length;
    await renderRequest(req, col, buildRenderContext(col, 'req_1'), hooks);
    assert.equal(server.tokenRequests.length, before, 'the stored token is reused');
  });

  it('password grant with credentials in the body; a folder auth token is stored under the folder id', async () => {
    const { hooks, saved } = memoryStore();
    const req = request('req_in', { authentication: {} });
    const col = collection([folder('fld_1', [req], { authentication: { type: 'oauth2', grantType: 'password', accessTokenUrl: `${server.httpUrl}/token`, clientId: 'client', clientSecret: 'secret', credentialsInBody: true, username: 'alice', password: 'pw', tokenPrefix: 'Token' } })]);
    const r = await renderRequest(req, col, buildRenderContext(col, 'req_in'), hooks);
    assert.deepEqual(r.headers.find(([n]) => n === 'Authorization'), ['Authorization', 'Token pw-token']);
    assert.equal(saved.get('fld_1')?.refreshToken, 'r1');
    assert.match(server.tokenRequests.at(-1)?.body ?? '', /client_secret=secret/);
  });

  it('an expired token is refreshed with its refresh token', async () => {
    const { hooks, saved } = memoryStore();
    saved.set('k', { accessToken: 'old', refreshToken: 'r9', expiresAt: Date.now() - 1000 });
    const t = await getOAuth2Token({ grantType: 'password', accessTokenUrl: `${server.httpUrl}/token`, clientId: 'client', clientSecret: 'secret' }, 'k', hooks);
    assert.equal(t.accessToken, 'refreshed-r9');
    assert.equal(t.refreshToken, 'r9');
    assert.equal(saved.get('k')?.accessToken, 'refreshed-r9');
  });

  it('authorization code with PKCE (S256): browser opened with the challenge, code exchanged with the verifier', async () => {
    const { hooks } = memoryStore();
    let opened = '';
    const full: RenderHooks = {
      ...hooks,
      openBrowser: async (url) => {
        opened = url;
      },
      receiveCode: async (redirect, state) => {
        assert.equal(redirect, 'http://127.0.0.1/callback');
        // the "authorization server" answers with a code bound to the challenge it was given
        await new Promise((r) => setTimeout(r, 10));
        const u = new URL(opened);
        assert.equal(u.searchParams.get('state'), state);
        return { code: `code-for-${u.searchParams.get('code_challenge')}`, state };
      },
    };
    const t = await getOAuth2Token(
      { grantType: 'authorization_code', accessTokenUrl: `${server.httpUrl}/token`, authorizationUrl: 'https://auth.example/authorize', clientId: 'client', clientSecret: 'secret', redirectUrl: 'http://127.0.0.1/callback', usePkce: true, pkceMethod: 'S256', scope: 'read' },
      'req_code',
      full,
    );
    assert.equal(t.accessToken, 'code-token');
    const u = new URL(opened);
    assert.equal(u.origin + u.pathname, 'https://auth.example/authorize');
    assert.equal(u.searchParams.get('response_type'), 'code');
    assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(u.searchParams.get('scope'), 'read');
    assert.match(server.tokenRequests.at(-1)?.body ?? '', /code_verifier=/);
  });

  it('PKCE pair: S256 challenge is the base64url SHA-256 of the verifier (RFC 7636)', () => {
    const p = pkcePair('S256');
    assert.match(p.verifier, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(p.challenge, crypto.createHash('sha256').update(p.verifier).digest('base64url'));
    assert.equal(pkcePair('plain').challenge.length, 43);
  });

  it('a rejected client is an AuthError that names the endpoint', async () => {
    const { hooks } = memoryStore();
    await assert.rejects(
      getOAuth2Token({ grantType: 'client_credentials', accessTokenUrl: `${server.httpUrl}/token`, clientId: 'client', clientSecret: 'wrong' }, 'x', hooks),
      (e: unknown) => e instanceof HttpError && e.code === 'AuthError' && /invalid_client/.test(e.message) && e.message.includes('/token'),
    );
  });
});
