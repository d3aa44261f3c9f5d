import * as assert from 'node:assert/strict';
import { applyAwsSigV4, buildRenderContext, digestAuthorization, parseDigestChallenge, renderRequest, type RenderedRequest } from '../../../src/http';
import { collection, folder, request } from './modelBuilders';

function bare(method: string, url: string, headers: [string, string][] = []): RenderedRequest {
  return { method, url, headers, bodyKind: 'none', settings: { followRedirects: 'global', sendCookies: true, storeCookies: true } };
}

const header = (r: RenderedRequest, name: string): string | undefined => r.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

describe('http auth', () => {
  describe('AWS Signature v4 (AWS test suite vectors)', () => {
    const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'service' };

    it('get-vanilla', () => {
      const r = bare('GET', 'https://example.amazonaws.com/', [['X-Amz-Date', '20150830T123600Z']]);
      applyAwsSigV4(r, creds);
      assert.equal(
        header(r, 'authorization'),
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
      );
    });

    it('get-vanilla-query-order-key-case', () => {
      const r = bare('GET', 'https://example.amazonaws.com/?Param2=value2&Param1=value1', [['X-Amz-Date', '20150830T123600Z']]);
      applyAwsSigV4(r, creds);
      assert.match(header(r, 'authorization') ?? '', /Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500$/);
    });

    it('an iam auth on a model request is rendered and signed', async () => {
      const req = request('req_1', {
        url: 'https://example.amazonaws.com/',
        headers: [{ name: 'X-Amz-Date', value: '20150830T123600Z' }],
        authentication: { type: 'iam', accessKeyId: '{{ key }}', secretAccessKey: creds.secretAccessKey, region: 'us-east-1', service: 'service' },
      });
      const col = collection([req], { key: 'AKIDEXAMPLE' });
      const r = await renderRequest(req, col, buildRenderContext(col, 'req_1'));
      assert.match(header(r, 'authorization') ?? '', /Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31$/);
    });
  });

  describe('Digest', () => {
    it("RFC 7616 section 3.9.1 example (SHA-256 and MD5)", () => {
      const www = 'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
      const challenge = parseDigestChallenge(www);
      assert.ok(challenge);
      assert.equal(challenge.realm, 'http-auth@example.org');
      const opts = { cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ', nc: 1 };
      const creds = { username: 'Mufasa', password: 'Circle of Life' };
      const sha = digestAuthorization(challenge, creds, 'GET', '/dir/index.html', opts);
      assert.match(sha, /response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"/);
      assert.match(sha, /qop=auth, /);
      assert.match(sha, /nc=00000001/);
      assert.match(sha, /opaque="FQhe\/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"/);
      const md5 = digestAuthorization({ ...challenge, algorithm: 'MD5' }, creds, 'GET', '/dir/index.html', opts);
      assert.match(md5, /response="8ca523f5e9506fed4657c9700eebdbec"/);
    });

    it('RFC 2617 example (MD5, qop=auth)', () => {
      const challenge = parseDigestChallenge('Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"');
      assert.ok(challenge);
      const out = digestAuthorization(challenge, { username: 'Mufasa', password: 'Circle Of Life' }, 'GET', '/dir/index.html', { cnonce: '0a4f113b', nc: 1 });
      assert.match(out, /response="6629fae49393a05397450978507c4ef1"/);
    });

    it('a digest auth is left for the challenge', async () => {
      const req = request('req_1', { authentication: { type: 'digest', username: 'u', password: 'p' } });
      const col = collection([req]);
      const r = await renderRequest(req, col, buildRenderContext(col, 'req_1'));
      assert.deepEqual(r.challengeAuth, { type: 'digest', username: 'u', password: 'p' });
      assert.equal(header(r, 'authorization'), undefined);
    });
  });

  describe('Basic, Bearer, API key, folder inheritance', () => {
    async function render(auth: Record<string, unknown>, env: Record<string, unknown> = {}): Promise<RenderedRequest> {
      const req = request('req_1', { url: 'http://h/p?a=1', authentication: auth });
      const col = collection([req], env);
      return renderRequest(req, col, buildRenderContext(col, 'req_1'));
    }

    it('basic (utf-8 and ISO-8859-1)', async () => {
      assert.equal(header(await render({ type: 'basic', username: '{{ u }}', password: 'pä' }, { u: 'user' }), 'authorization'), `Basic ${Buffer.from('user:pä', 'utf8').toString('base64')}`);
      assert.equal(header(await render({ type: 'basic', username: 'user', password: 'pä', useISO88591: true }), 'authorization'), `Basic ${Buffer.from('user:pä', 'latin1').toString('base64')}`);
    });

    it('bearer with default and custom prefix', async () => {
      assert.equal(header(await render({ type: 'bearer', token: 'tok' }), 'authorization'), 'Bearer tok');
      assert.equal(header(await render({ type: 'bearer', token: 'tok', prefix: 'Token' }), 'authorization'), 'Token tok');
    });

    it('api key in a header, the query or a cookie', async () => {
      assert.equal(header(await render({ type: 'apikey', key: 'X-Key', value: 'v1', addTo: 'header' }), 'x-key'), 'v1');
      assert.equal((await render({ type: 'apikey', key: 'api key', value: 'v 2', addTo: 'queryParams' })).url, 'http://h/p?a=1&api+key=v+2');
      assert.equal(header(await render({ type: 'apikey', key: 'k', value: 'v3', addTo: 'cookie' }), 'cookie'), 'k=v3');
    });

    it('disabled auth sends nothing', async () => {
      assert.equal(header(await render({ type: 'basic', username: 'a', password: 'b', disabled: true }), 'authorization'), undefined);
    });

    it('inherits the nearest folder auth and merges folder headers (the request wins)', async () => {
      const own = request('req_own', { authentication: { type: 'bearer', token: 'own' }, headers: [{ name: 'X-Level', value: 'request' }] });
      const inheriting = request('req_inh', { authentication: {}, headers: [{ name: 'X-Off', value: 'x', disabled: true }] });
      const explicitInherit = request('req_inh2', { authentication: { type: 'inherit' } });
      const col = collection([
        folder('fld_out', [folder('fld_in', [own, inheriting, explicitInherit], { authentication: { type: 'bearer', token: 'inner' }, headers: [{ name: 'X-Level', value: 'inner' }] })], {
          authentication: { type: 'basic', username: 'o', password: 'o' },
          headers: [{ name: 'X-Level', value: 'outer' }, { name: 'X-Outer', value: '{{ v }}' }],
        }),
      ], { v: 'from-env' });
      const a = await renderRequest(own, col, buildRenderContext(col, own.id));
      assert.equal(header(a, 'authorization'), 'Bearer own');
      assert.deepEqual(a.headers.filter(([n]) => n.startsWith('X-')), [['X-Outer', 'from-env'], ['X-Level', 'request']]);
      const b = await renderRequest(inheriting, col, buildRenderContext(col, inheriting.id));
      assert.equal(header(b, 'authorization'), 'Bearer inner');
      assert.equal(header(b, 'x-level'), 'inner');
      assert.equal(header(b, 'x-off'), undefined);
      const c = await renderRequest(explicitInherit, col, buildRenderContext(col, explicitInherit.id));
      assert.equal(header(c, 'authorization'), 'Bearer inner');
    });
  });
});
