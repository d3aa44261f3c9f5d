// Public types of the pure HTTP engine (no 'vscode' import): what a rendered request, a response and the hooks look like.
import type { Readable } from 'node:stream';
import type { CookieJar } from 'tough-cookie';

/** Callbacks the host (VS Code) gives the template renderer and the auth code. */
export interface RenderHooks {
  /** `{% prompt title, label, default %}`: asks the user; undefined = cancelled (a `Cancelled` HttpError). */
  prompt?(title: string, label: string, defaultValue: string): Promise<string | undefined>;
  /** `{% response field, requestId, filter %}`: the latest response of another request (filter already decoded; '' = none). */
  response?(requestId: string, field: 'body' | 'header' | 'raw' | 'url', filter: string): Promise<string>;
  /** OAuth 2.0: token storage outside the model and the files (SecretStorage). Key = request id (or folder id). */
  tokenStore?: OAuth2TokenStore;
  /** OAuth 2.0 authorization code: open the authorization URL in a browser. */
  openBrowser?(url: string): Promise<void>;
  /** OAuth 2.0 authorization code: wait for the redirect and return the `code` (and `state`) it carried. */
  receiveCode?(redirectUrl: string, state: string): Promise<{ code: string; state?: string }>;
}

export interface OAuth2Token {
  accessToken: string;
  refreshToken?: string;
  tokenType?: string;
  /** epoch ms; undefined = no known expiry. */
  expiresAt?: number;
  /** extra fields of the token response (id_token, scope, ...). */
  raw?: Record<string, unknown>;
}

export interface OAuth2TokenStore {
  get(key: string): Promise<OAuth2Token | undefined>;
  set(key: string, token: OAuth2Token | undefined): Promise<void>;
}

/** Credentials that need a server challenge first (applied by sendRequest on a 401). */
export interface DigestCredentials {
  type: 'digest';
  username: string;
  password: string;
}

/** A request with every template rendered and auth applied, ready to send. */
export interface RenderedRequest {
  /** the model id (for logs, history and `{% response %}`), if it came from the model. */
  requestId?: string;
  method: string;
  /** absolute URL with query parameters applied (encoded when the request's `settingEncodeUrl` is on). */
  url: string;
  headers: [name: string, value: string][];
  /** undefined = no body. A stream body (binary file) can only be sent once. */
  body?: Buffer | Readable;
  /** the body as text when it is text (for the timeline and "Copy as cURL"); file parts shown as `@path`. */
  bodyText?: string;
  /** for "Copy as cURL": how the body was built. */
  bodyKind: BodyKind;
  /** form fields (urlencoded/multipart) as rendered, for "Copy as cURL". */
  formParams?: { name: string; value: string; fileName?: string; type: 'text' | 'file' }[];
  /** applied by sendRequest after a 401 challenge. */
  challengeAuth?: DigestCredentials;
  /** per-request settings as rendered from the model. */
  settings: { followRedirects: 'global' | 'on' | 'off'; sendCookies: boolean; storeCookies: boolean };
}

export type BodyKind = 'none' | 'json' | 'text' | 'xml' | 'form' | 'multipart' | 'graphql' | 'file' | 'other';

export interface SendOptions {
  signal?: AbortSignal;
  /** 0 or undefined = no timeout. Covers the whole exchange (headers and body). */
  timeoutMs?: number;
  /** used when the request's setting is 'global'. */
  followRedirects: boolean;
  maxRedirects?: number;
  rejectUnauthorized: boolean;
  /** e.g. VS Code's `http.proxy` (`http://user:pass@host:port`). */
  proxy?: string;
  cookieJar?: CookieJar;
  /** bodies above this many bytes go to `bodyFile` (default 10 MB); `body` keeps the first bytes only. */
  maxBodyInMemory?: number;
  /** folder for spilled bodies (default os.tmpdir()). */
  tempDir?: string;
  /**
   * The `User-Agent` sent when the request sets none, as Insomnia sends `insomnia/<version>` (default `Hammock`; the
   * extension gives `Hammock/<version>`); '' sends none.
   */
  userAgent?: string;
}

/** Milliseconds from the start of the send; 0 when the phase did not happen (reused connection, plain HTTP). */
export interface Timings {
  dns: number;
  connect: number;
  tls: number;
  firstByte: number;
  total: number;
}

export interface SetCookie {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  expires?: string;
  httpOnly?: boolean;
  secure?: boolean;
}

export interface RedirectHop {
  status: number;
  url: string;
  location: string;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  /** the final URL (after redirects). */
  url: string;
  headers: [name: string, value: string][];
  /** the decoded body, or its first `maxBodyInMemory` bytes when `truncated`. */
  body: Buffer;
  /** true when `body` holds only the first bytes; the whole body is in `bodyFile`. */
  truncated: boolean;
  /** the whole decoded body on disk when larger than `maxBodyInMemory` (caller deletes it). */
  bodyFile?: string;
  /** decoded size in bytes. */
  bodySize: number;
  /** bytes received on the wire for the body (before decoding). */
  encodedBodySize: number;
  headersSize: number;
  timings: Timings;
  cookies: SetCookie[];
  redirects: RedirectHop[];
  rawRequestHead: string;
  rawResponseHead: string;
}
