// Model request -> RenderedRequest: templates rendered, folder headers and auth inherited, query parameters applied,
// body encoded and auth applied (Digest waits for the server's challenge in sendRequest).
import type { Authentication, Collection, Folder, HttpRequest, KeyValue } from '../collections/model';
import { applyApiKey, applyAwsSigV4, applyBasic, applyBearer, hasHeader, isAuthEmpty } from './auth';
import { bodyKind, encodeForm, encodeMultipart, fileBody, graphqlPayload } from './body';
import { HttpError } from './httpError';
import { getOAuth2Token, type OAuth2Config } from './oauth2';
import { ancestorFolders, renderTemplate, renderTemplateNow, type RenderContext } from './template';
import type { RenderedRequest, RenderHooks } from './types';

/** Insomnia's URL rules: a missing scheme means http://; returns a parsed URL or an InvalidUrl error. */
export function parseRequestUrl(raw: string): URL {
  const trimmed = raw.trim();
  if (!trimmed) throw new HttpError('InvalidUrl', 'The URL is empty: type one, e.g. https://example.com/path.', 'url');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new HttpError('InvalidUrl', `"${trimmed}" is not a valid URL: check the scheme and the host.`, 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HttpError('InvalidUrl', `Only http:// and https:// URLs can be sent (got ${url.protocol}).`, 'url');
  return url;
}

/** Percent-encodes a parameter's name or value; an escape typed already (`%20`) is kept, not sent as `%2520` (as Insomnia's flexibleEncodeComponent keeps it). */
function encodeQueryPart(s: string): string {
  if (!s.includes('%')) return encodeURIComponent(s);
  return s.split(/(%[0-9a-fA-F]{2})/).map((piece, i) => (i % 2 === 1 ? piece : encodeURIComponent(piece))).join('');
}

/**
 * Appends query parameters to a URL. With `encode` on, names and values are percent-encoded (and the URL's own query
 * normalised); with it off they are appended as typed.
 */
export function applyQueryParams(url: string, params: readonly { name: string; value: string }[], encode: boolean): string {
  const parsed = parseRequestUrl(url);
  const hashIdx = url.indexOf('#');
  let base = parsed.toString();
  if (!encode) {
    // keep what the user typed: rebuild from the raw string
    base = /^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim()) ? url.trim() : `http://${url.trim()}`;
    if (hashIdx >= 0) base = base.slice(0, base.indexOf('#'));
  } else {
    parsed.hash = '';
    base = parsed.toString();
  }
  const extra = params.filter((p) => p.name !== '').map((p) => (encode ? `${encodeQueryPart(p.name)}=${encodeQueryPart(p.value)}` : `${p.name}=${p.value}`));
  if (extra.length === 0) return base;
  const sep = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${sep}${extra.join('&')}`;
}

function enabled(rows: readonly KeyValue[] | undefined): KeyValue[] {
  return (rows ?? []).filter((r) => !r.disabled);
}

/** The auth that applies: the request's own, else the nearest folder's (an empty or 'inherit' auth inherits). */
export function effectiveAuth(collection: Collection, request: HttpRequest, folders: readonly Folder[] = ancestorFolders(collection, request.id)?.folders ?? []): { auth: Authentication; ownerId: string } {
  if (!isAuthEmpty(request.authentication)) return { auth: request.authentication, ownerId: request.id };
  for (let i = folders.length - 1; i >= 0; i--) {
    if (!isAuthEmpty(folders[i].authentication)) return { auth: folders[i].authentication, ownerId: folders[i].id };
  }
  return { auth: { type: 'none' }, ownerId: request.id };
}

/** Headers that apply: folder headers outermost first, then the request's; a deeper level replaces a same-name header. */
export function effectiveHeaders(collection: Collection, request: HttpRequest, folders: readonly Folder[] = ancestorFolders(collection, request.id)?.folders ?? []): { row: KeyValue; where: string }[] {
  const levels: { rows: KeyValue[]; label: string }[] = [];
  for (const f of folders) levels.push({ rows: enabled(f.headers), label: `folder "${f.name}"` });
  levels.push({ rows: enabled(request.headers), label: 'request' });
  const out: { row: KeyValue; where: string }[] = [];
  for (const level of levels) {
    const names = new Set(level.rows.map((r) => r.name.toLowerCase()));
    for (let i = out.length - 1; i >= 0; i--) if (names.has(out[i].row.name.toLowerCase())) out.splice(i, 1);
    for (const row of level.rows) if (row.name.trim()) out.push({ row, where: level.label });
  }
  return out;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

async function renderAuthFields(auth: Authentication, ctx: RenderContext, hooks: RenderHooks): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(auth)) out[k] = typeof v === 'string' ? (renderTemplateNow(v, ctx) ?? (await renderTemplate(v, ctx, hooks, `auth field "${k}"`))) : v;
  return out;
}

export interface RenderOptions {
  signal?: AbortSignal;
  /** the folders above the request, outermost first, when the caller knows them already (else they are looked up). */
  folders?: readonly Folder[];
}

/**
 * Renders a model request into a RenderedRequest. `context` comes from buildRenderContext.
 * (Each field: `renderTemplateNow(...) ?? (await renderTemplate(...))`: most need no nunjucks and are rendered in this
 * turn, without the promises and event-loop turns of renderTemplate, about a third of a small request's render.)
 */
export async function renderRequest(request: HttpRequest, collection: Collection, context: RenderContext, hooks: RenderHooks = {}, options: RenderOptions = {}): Promise<RenderedRequest> {
  const methodText = request.method || 'GET';
  const method = (renderTemplateNow(methodText, context) ?? (await renderTemplate(methodText, context, hooks, 'method'))).trim().toUpperCase() || 'GET';
  let rawUrl = renderTemplateNow(request.url, context) ?? (await renderTemplate(request.url, context, hooks, 'url'));
  for (const p of request.pathParameters ?? []) {
    if (!p.name) continue;
    const text = p.value ?? '';
    const value = renderTemplateNow(text, context) ?? (await renderTemplate(text, context, hooks, `path parameter "${p.name}"`));
    rawUrl = rawUrl.replace(new RegExp(`:${p.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=/|\\?|#|$)`, 'g'), encodeURIComponent(value));
  }
  const params: { name: string; value: string }[] = [];
  for (const p of enabled(request.parameters)) {
    const value = p.value ?? '';
    params.push({
      name: renderTemplateNow(p.name, context) ?? (await renderTemplate(p.name, context, hooks, `parameter "${p.name}"`)),
      value: renderTemplateNow(value, context) ?? (await renderTemplate(value, context, hooks, `parameter "${p.name}"`)),
    });
  }
  const encode = request.settings?.encodeUrl !== false;
  const url = applyQueryParams(rawUrl, params, encode);

  const folders = options.folders ?? ancestorFolders(collection, request.id)?.folders ?? [];
  const headers: [string, string][] = [];
  for (const { row, where } of effectiveHeaders(collection, request, folders)) {
    const label = `header "${row.name}" (${where})`;
    const value = row.value ?? '';
    const name = renderTemplateNow(row.name, context) ?? (await renderTemplate(row.name, context, hooks, label));
    headers.push([name.trim(), renderTemplateNow(value, context) ?? (await renderTemplate(value, context, hooks, label))]);
  }

  const rendered: RenderedRequest = {
    requestId: request.id,
    method,
    url,
    headers,
    bodyKind: bodyKind(request.body),
    settings: {
      followRedirects: request.settings?.followRedirects ?? 'global',
      sendCookies: request.settings?.sendCookies !== false,
      storeCookies: request.settings?.storeCookies !== false,
    },
  };
  await buildBody(rendered, request, context, hooks);
  await applyAuth(rendered, effectiveAuth(collection, request, folders), context, hooks, options);
  return rendered;
}

async function buildBody(out: RenderedRequest, request: HttpRequest, ctx: RenderContext, hooks: RenderHooks): Promise<void> {
  const body = request.body ?? {};
  const render = request.settings?.renderRequestBody !== false;
  const r = (text: string, where: string): string | Promise<string> => (render ? (renderTemplateNow(text, ctx) ?? renderTemplate(text, ctx, hooks, where)) : text);
  const mime = body.mimeType ?? '';
  const setType = (value: string): void => {
    if (!hasHeader(out, 'content-type')) out.headers.push(['Content-Type', value]);
  };
  switch (out.bodyKind) {
    case 'none':
      return;
    case 'graphql': {
      const text = graphqlPayload(await r(body.text ?? '', 'body'));
      out.body = Buffer.from(text, 'utf8');
      out.bodyText = text;
      // sent as JSON, as Insomnia does
      const i = out.headers.findIndex(([n, v]) => n.toLowerCase() === 'content-type' && v.toLowerCase().startsWith('application/graphql'));
      if (i >= 0) out.headers.splice(i, 1);
      setType('application/json');
      return;
    }
    case 'form': {
      const fields: { name: string; value: string }[] = [];
      for (const p of enabled(body.params)) fields.push({ name: await r(p.name, `form field "${p.name}"`), value: await r(p.value ?? '', `form field "${p.name}"`) });
      const text = encodeForm(fields);
      out.body = Buffer.from(text, 'utf8');
      out.bodyText = text;
      out.formParams = fields.map((f) => ({ ...f, type: 'text' as const }));
      setType('application/x-www-form-urlencoded');
      return;
    }
    case 'multipart': {
      const parts: { name: string; value: string; type: 'text' | 'file'; fileName?: string }[] = [];
      for (const p of enabled(body.params)) {
        const name = await r(p.name, `multipart field "${p.name}"`);
        if (p.type === 'file') parts.push({ name, value: '', type: 'file', fileName: await r(p.fileName ?? '', `multipart file "${p.name}"`) });
        else parts.push({ name, value: await r(p.value ?? '', `multipart field "${p.name}"`), type: 'text' });
      }
      const { body: buf, boundary } = await encodeMultipart(parts);
      out.body = buf;
      out.formParams = parts;
      out.bodyText = parts.map((p) => (p.type === 'file' ? `${p.name}=@${p.fileName ?? ''}` : `${p.name}=${p.value}`)).join('\n');
      const i = out.headers.findIndex(([n]) => n.toLowerCase() === 'content-type');
      if (i >= 0) out.headers.splice(i, 1);
      out.headers.push(['Content-Type', `multipart/form-data; boundary=${boundary}`]);
      return;
    }
    case 'file': {
      const file = await r(body.fileName ?? '', 'body file');
      const { stream, size } = await fileBody(file);
      out.body = stream;
      out.bodyText = `@${file}`;
      setType(mime || 'application/octet-stream');
      if (!hasHeader(out, 'content-length')) out.headers.push(['Content-Length', String(size)]);
      return;
    }
    default: {
      const text = await r(body.text ?? '', 'body');
      out.body = Buffer.from(text, 'utf8');
      out.bodyText = text;
      if (mime) setType(mime);
    }
  }
}

async function applyAuth(out: RenderedRequest, effective: { auth: Authentication; ownerId: string }, ctx: RenderContext, hooks: RenderHooks, options: RenderOptions): Promise<void> {
  const { auth: rawAuth, ownerId } = effective;
  if (rawAuth.disabled || !rawAuth.type || rawAuth.type === 'none') return;
  const auth = await renderAuthFields(rawAuth, ctx, hooks);
  switch (rawAuth.type) {
    case 'basic':
      applyBasic(out, str(auth.username), str(auth.password), auth.useISO88591 === true);
      return;
    case 'bearer':
      applyBearer(out, str(auth.token), auth.prefix === undefined || auth.prefix === null ? '' : str(auth.prefix));
      return;
    case 'apikey':
      applyApiKey(out, str(auth.key), str(auth.value), str(auth.addTo) || 'header');
      return;
    case 'digest':
      out.challengeAuth = { type: 'digest', username: str(auth.username), password: str(auth.password) };
      return;
    case 'iam': {
      const body = Buffer.isBuffer(out.body) ? out.body : undefined;
      applyAwsSigV4(out, { accessKeyId: str(auth.accessKeyId), secretAccessKey: str(auth.secretAccessKey), sessionToken: str(auth.sessionToken), region: str(auth.region), service: str(auth.service) }, body);
      return;
    }
    case 'oauth2': {
      const cfg: OAuth2Config = {
        grantType: str(auth.grantType) || 'authorization_code',
        accessTokenUrl: str(auth.accessTokenUrl),
        authorizationUrl: str(auth.authorizationUrl),
        clientId: str(auth.clientId),
        clientSecret: str(auth.clientSecret),
        scope: str(auth.scope),
        audience: str(auth.audience),
        resource: str(auth.resource),
        username: str(auth.username),
        password: str(auth.password),
        redirectUrl: str(auth.redirectUrl),
        state: str(auth.state),
        credentialsInBody: auth.credentialsInBody === true,
        usePkce: auth.usePkce === true,
        pkceMethod: str(auth.pkceMethod) || 'S256',
      };
      const token = await getOAuth2Token(cfg, ownerId, hooks, { signal: options.signal });
      const prefix = auth.tokenPrefix === undefined || auth.tokenPrefix === null || auth.tokenPrefix === '' ? 'Bearer' : str(auth.tokenPrefix);
      applyBearer(out, token.accessToken, prefix);
      return;
    }
    default:
      throw new HttpError('AuthError', `Auth type "${rawAuth.type}" is not supported yet; choose another or send without auth.`, 'auth');
  }
}
