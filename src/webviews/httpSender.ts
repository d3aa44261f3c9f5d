// The panels' sender on top of the HTTP engine (`src/http`): Insomnia's render context (base, sub and folder
// environments), templates and tags, auth, bodies, undici with timings, redirects and cookies. What only the host
// can give comes through the render hooks: `prompt` asks with an input box, `response` reads the request history,
// OAuth 2.0 tokens live in SecretStorage, the authorization URL opens in the browser. The cookie jar of each
// collection is kept in the workspace storage folder (never in the repo); proxy and TLS checks follow VS Code's
// `http.proxy` and `http.proxyStrictSSL`.
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OAuth2Token, RenderedRequest, RenderHooks } from '../http';
import type * as Http from '../http';
import { httpEngine } from './httpEngine';
import { MAX_STORED_BODY, type ResponseRecord } from './responseHistory';
import type { TimelineEntry } from './protocol';
import type { RequestSender, SendContext } from './requestSender';
import { receiveCodeOnLoopback } from './oauthRedirect';

export interface HttpSenderDeps {
  readonly secrets: vscode.SecretStorage;
  /** the workspace storage folder (cookie jars); undefined = jars in memory only. */
  readonly storageDir: string | undefined;
  /** the default `User-Agent` (`Hammock/<version>`), sent when a request sets none. */
  readonly userAgent?: string;
  /** the latest stored response of a request of the same collection, for `{% response %}`. */
  readonly latestResponse: (collectionPath: string, requestId: string) => Promise<ResponseRecord | undefined>;
}

const TOKEN_KEY = 'hammock.oauth2.';

/**
 * The render hooks of the host, for one collection: `prompt` asks with an input box, `response` reads the request
 * history, OAuth 2.0 tokens live in SecretStorage, the authorization URL opens in the browser. Send and Copy as cURL
 * render with these same hooks.
 */
export function hostRenderHooks(deps: Pick<HttpSenderDeps, 'secrets' | 'latestResponse'>, collectionPath: string, signal?: AbortSignal): RenderHooks {
  return {
    prompt: async (title, label, defaultValue) => vscode.window.showInputBox({ title, prompt: label, value: defaultValue, ignoreFocusOut: true }),
    response: async (requestId, field, filter) => {
      const record = await deps.latestResponse(collectionPath, requestId);
      if (!record) throw new Error(`No response yet for request ${requestId}: send it first`);
      if (field === 'url') return record.url;
      if (field === 'header') return record.headers.find(([k]) => k.toLowerCase() === filter.toLowerCase())?.[1] ?? '';
      const body = Buffer.from(record.bodyBase64, 'base64').toString('utf8');
      return field === 'body' && filter ? httpEngine().applyJsonPath(body, filter) : body;
    },
    tokenStore: {
      get: async (key) => {
        const text = await deps.secrets.get(TOKEN_KEY + key);
        return text ? (JSON.parse(text) as OAuth2Token) : undefined;
      },
      set: async (key, token) => {
        if (token) await deps.secrets.store(TOKEN_KEY + key, JSON.stringify(token));
        else await deps.secrets.delete(TOKEN_KEY + key);
      },
    },
    openBrowser: async (url) => {
      await vscode.env.openExternal(vscode.Uri.parse(url));
    },
    receiveCode: (redirectUrl, state) => receiveCodeOnLoopback(redirectUrl, state, signal),
  };
}

export function httpSender(deps: HttpSenderDeps): RequestSender {
  const jars = new Map<string, Awaited<ReturnType<typeof Http.loadJar>>>();
  const jarFile = (collectionPath: string) =>
    deps.storageDir && path.join(deps.storageDir, 'cookies', `${createHash('sha1').update(collectionPath).digest('hex')}.json`);
  const jarOf = async (collectionPath: string) => {
    let jar = jars.get(collectionPath);
    if (!jar) {
      const file = jarFile(collectionPath);
      jar = await httpEngine().loadJar(file ? await fsp.readFile(file, 'utf8').catch(() => undefined) : undefined);
      jars.set(collectionPath, jar);
    }
    return jar;
  };

  return async (ctx: SendContext): Promise<ResponseRecord> => {
    const { collection, request } = ctx;
    const started = Date.now();
    const timeline: TimelineEntry[] = [];
    const hooks = hostRenderHooks(deps, collection.path, ctx.signal);
    let rendered: RenderedRequest | undefined;
    const base = { requestId: request.id, requestName: request.name, receivedAt: started, timeline };
    try {
      const context = httpEngine().buildRenderContext(collection, request.id, ctx.environment, { vault: ctx.vault });
      rendered = await httpEngine().renderRequest(request, collection, context, hooks, { signal: ctx.signal });
      timeline.push({ kind: 'info', text: `Preparing request to ${rendered.url}` });
      const http = vscode.workspace.getConfiguration('http');
      const jar = await jarOf(collection.path);
      const res = await httpEngine().sendRequest(rendered, {
        signal: ctx.signal,
        followRedirects: true,
        rejectUnauthorized: http.get<boolean>('proxyStrictSSL', true),
        proxy: http.get<string>('proxy') || undefined,
        cookieJar: jar,
        userAgent: deps.userAgent,
      });
      const file = jarFile(collection.path);
      if (file) {
        await fsp.mkdir(path.dirname(file), { recursive: true });
        await fsp.writeFile(file, await httpEngine().serializeJar(jar));
      }
      for (const hop of res.redirects) timeline.push({ kind: 'info', text: `${hop.status} redirect to ${hop.location}` });
      timeline.push({ kind: 'requestHead', text: res.rawRequestHead.trimEnd() });
      if (rendered.bodyText) timeline.push({ kind: 'requestHead', text: `\n${rendered.bodyText.slice(0, 10_000)}` });
      timeline.push({ kind: 'responseHead', text: res.rawResponseHead.trimEnd() });
      const t = res.timings;
      timeline.push({ kind: 'info', text: `DNS ${t.dns.toFixed(1)} ms, connect ${t.connect.toFixed(1)} ms, TLS ${t.tls.toFixed(1)} ms, first byte ${t.firstByte.toFixed(1)} ms, total ${t.total.toFixed(1)} ms` });
      timeline.push({ kind: 'info', text: `Received ${res.bodySize} B (${res.encodedBodySize} B on the wire)` });
      return {
        ...base,
        method: rendered.method,
        url: res.url,
        status: res.status,
        statusText: res.statusText,
        elapsedMs: t.total,
        size: res.bodySize,
        headers: res.headers,
        bodyBase64: res.body.subarray(0, MAX_STORED_BODY).toString('base64'),
        bodyCut: res.truncated || res.body.length > MAX_STORED_BODY,
        bodyFile: res.bodyFile,
        cookies: res.cookies.map((c) => ({ name: c.name, value: c.value, domain: c.domain, path: c.path, expires: c.expires })),
        curl: httpEngine().toCurl(rendered),
      };
    } catch (err) {
      const e = httpEngine().toHttpError(err, rendered?.url);
      const message = e.message;
      timeline.push({ kind: 'info', text: `${e.code}: ${message}` });
      return {
        ...base,
        method: rendered?.method ?? request.method,
        url: rendered?.url ?? request.url,
        status: 0,
        statusText: e.code,
        elapsedMs: Date.now() - started,
        size: 0,
        headers: [],
        bodyBase64: '',
        bodyCut: false,
        cookies: [],
        curl: rendered ? httpEngine().toCurl(rendered) : '',
        error: message,
      };
    }
  };
}
