// The one error type of src/http: a stable code (for the UI and tests) and a message that says what to check.

export type HttpErrorCode =
  | 'ConnectionRefused'
  | 'ConnectionReset'
  | 'Timeout'
  | 'Cancelled'
  | 'TlsError'
  | 'DnsError'
  | 'TemplateError'
  | 'InvalidUrl'
  | 'InvalidBody'
  | 'AuthError'
  | 'ProxyError'
  | 'TooManyRedirects'
  | 'FileError'
  | 'Unknown';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    /** where it happened, e.g. 'url', 'header Authorization', 'body'. */
    readonly where?: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

function findCode(err: unknown): { code?: string; message: string; name?: string } {
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const o = e as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
    if (typeof o.code === 'string' && o.code !== 'UND_ERR') return { code: o.code, message: String(o.message ?? ''), name: String(o.name ?? '') };
    e = o.cause;
  }
  const o = err as { message?: unknown; name?: unknown } | undefined;
  return { message: String(o?.message ?? err), name: o?.name ? String(o.name) : undefined };
}

function hostnameOf(url: string | undefined): string {
  try {
    return url ? new URL(url).hostname : '';
  } catch {
    return '';
  }
}

/** Translates a Node/undici error at the boundary into an HttpError (an HttpError passes through). */
export function toHttpError(err: unknown, url?: string): HttpError {
  if (err instanceof HttpError) return err;
  const { code, message, name } = findCode(err);
  const target = url ? ` ${url}` : '';
  let host = '';
  try {
    if (url) host = new URL(url).host;
  } catch {
    /* not a URL */
  }
  const proxyStatus = /Proxy response \((\d+)\) !== 200/.exec(message);
  if (proxyStatus) {
    const why = proxyStatus[1] === '407' ? 'it asks for credentials (407): check the user and password in the proxy setting' : `it answered ${proxyStatus[1]}: check the proxy setting (http.proxy)`;
    return new HttpError('ProxyError', `The proxy did not open a tunnel to ${host || 'the server'}: ${why}.`, undefined, err);
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new HttpError('ConnectionRefused', `Connection refused by ${host || 'the server'}: check that the server is running and the host and port are right.`, undefined, err);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return new HttpError('ConnectionReset', `The connection to ${host || 'the server'} was closed unexpectedly: check the server's logs, and http vs https.`, undefined, err);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new HttpError('DnsError', `Could not resolve ${host || 'the host'}: check the host name and your network or DNS.`, undefined, err);
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return new HttpError('Timeout', `No answer from${target} in time: check the server, or raise the timeout.`, undefined, err);
    case 'UND_ERR_ABORTED':
    case 'ABORT_ERR':
      return new HttpError('Cancelled', 'The request was cancelled.', undefined, err);
    case 'ERR_INVALID_URL':
      return new HttpError('InvalidUrl', `Invalid URL${target}: check the scheme (http:// or https://) and the host.`, 'url', err);
    case 'UND_ERR_PROXY':
    case 'UND_ERR_PRX_TLS':
      return new HttpError('ProxyError', `The proxy refused or failed the connection: check the proxy setting (http.proxy). ${message}`, undefined, err);
    case 'ENOENT':
    case 'EACCES':
    case 'EISDIR':
      return new HttpError('FileError', `Could not read a file for the request body: ${message}`, 'body', err);
  }
  if (code && (/^ERR_TLS|^ERR_SSL|CERT|SELF_SIGNED|UNABLE_TO_VERIFY|^EPROTO$/.test(code))) {
    const who = host || 'the server';
    // https:// to a port that answers in plain HTTP: no certificate was ever seen
    if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST/.test(code) || /wrong version number|packet length too long|http request/i.test(message)) {
      return new HttpError('TlsError', `TLS handshake with ${who} failed (${code}): the server does not speak TLS on this port. Check http:// vs https:// and the port.`, undefined, err);
    }
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) {
      const why = /SELF_SIGNED/.test(code)
        ? 'its certificate is self-signed'
        : code === 'CERT_HAS_EXPIRED'
          ? 'its certificate has expired'
          : code === 'CERT_NOT_YET_VALID'
            ? 'its certificate is not valid yet'
            : /ALTNAME/.test(code)
              ? `its certificate is not for ${hostnameOf(url) || 'this host name'}`
              : /UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)
                ? 'its certificate\'s issuer is not trusted here'
                : 'its certificate was not accepted';
      // there is no per-request or per-host switch: the checks are one setting (as in Insomnia), or the CLI's flag
      return new HttpError('TlsError', `TLS handshake with ${who} failed (${code}): ${why}. Check the certificate, or turn off certificate verification: VS Code's http.proxyStrictSSL setting, or --insecure with the hammock CLI.`, undefined, err);
    }
    return new HttpError('TlsError', `TLS handshake with ${who} failed (${code}): check the certificate and that the server speaks TLS on this port.`, undefined, err);
  }
  if (name === 'AbortError') return new HttpError('Cancelled', 'The request was cancelled.', undefined, err);
  return new HttpError('Unknown', `Request failed${code ? ` (${code})` : ''}: ${message}`, undefined, err);
}
