import * as assert from 'node:assert/strict';
import { HttpError, toHttpError } from '../../../src/http';

describe('http errors', () => {
  const err = (code: string, message = 'boom'): Error => Object.assign(new Error(message), { code });

  it('translates Node and undici codes into stable HttpError codes with advice', () => {
    const cases: [Error, string, RegExp][] = [
      [err('ECONNREFUSED'), 'ConnectionRefused', /server is running/],
      [err('ECONNRESET'), 'ConnectionReset', /closed unexpectedly/],
      [err('ENOTFOUND'), 'DnsError', /Could not resolve api\.example:8443/],
      [err('UND_ERR_CONNECT_TIMEOUT'), 'Timeout', /raise the timeout/],
      [err('UND_ERR_ABORTED'), 'Cancelled', /cancelled/],
      [err('DEPTH_ZERO_SELF_SIGNED_CERT'), 'TlsError', /certificate verification/],
      [err('CERT_HAS_EXPIRED'), 'TlsError', /CERT_HAS_EXPIRED/],
      [err('ERR_TLS_CERT_ALTNAME_INVALID'), 'TlsError', /TLS handshake/],
      [err('ENOENT'), 'FileError', /file/],
      [err('UND_ERR_ABORTED', 'Proxy response (407) !== 200 when HTTP Tunneling'), 'ProxyError', /credentials/],
      [Object.assign(new Error('fetch failed'), { cause: err('ECONNREFUSED') }), 'ConnectionRefused', /refused/],
      [Object.assign(new Error('x'), { name: 'AbortError' }), 'Cancelled', /cancelled/],
      [new Error('something odd'), 'Unknown', /something odd/],
    ];
    for (const [e, code, re] of cases) {
      const h = toHttpError(e, 'https://api.example:8443/x');
      assert.ok(h instanceof HttpError);
      assert.equal(h.code, code, `${String((e as { code?: string }).code)} -> ${h.code}`);
      assert.match(h.message, re);
      assert.equal(h.cause, e);
    }
  });

  it('a certificate refused names the checks there are (no per-host switch exists): the setting, the CLI flag', () => {
    const selfSigned = toHttpError(err('DEPTH_ZERO_SELF_SIGNED_CERT'), 'https://127.0.0.1:8443/x');
    assert.equal(selfSigned.code, 'TlsError');
    assert.match(selfSigned.message, /self-signed/);
    assert.match(selfSigned.message, /http\.proxyStrictSSL/);
    assert.match(selfSigned.message, /--insecure/);
    assert.doesNotMatch(selfSigned.message, /for this host/, 'there is no per-host switch to turn off');
    assert.match(toHttpError(err('CERT_HAS_EXPIRED'), 'https://a.example/').message, /expired/);
    assert.match(toHttpError(err('ERR_TLS_CERT_ALTNAME_INVALID'), 'https://a.example/').message, /a\.example/);
  });

  it('https:// to a port that speaks plain HTTP says so, not "check the certificate"', () => {
    const h = toHttpError(Object.assign(new Error('fetch failed'), { cause: err('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number') }), 'https://127.0.0.1:8080/x');
    assert.equal(h.code, 'TlsError');
    assert.match(h.message, /http:\/\//);
    assert.doesNotMatch(h.message, /certificate/);
  });

  it('passes an HttpError through unchanged', () => {
    const h = new HttpError('TemplateError', 'Unknown variable "x" in url', 'url');
    assert.equal(toHttpError(h), h);
  });
});
