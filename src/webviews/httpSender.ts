// The panels' sender on top of the HTTP engine (`src/http`): a run session (`RunSession`: the request's pre-request
// and after-response scripts in the script sandbox, their tests and console), Insomnia's render context (base, sub
// and folder environments), templates and tags, auth, bodies, undici with timings, redirects and cookies. What the
// scripts set is kept as Insomnia keeps it: environment variables written back to the files through the store,
// `insomnia.globals` in the workspace state. What only the host
// can give comes through the render hooks: `prompt` asks with an input box, `response` reads the request history,
// OAuth 2.0 tokens live in SecretStorage, the authorization URL opens in the browser. The cookie jar of each
// collection is kept in the workspace storage folder (never in the repo); proxy and TLS checks follow VS Code's
// `http.proxy` and `http.proxyStrictSSL`.
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Collection, Environment } from '../collections/model';
import type { OAuth2Token, RenderHooks } from '../http';
import type * as Http from '../http';
import { describeRunError } from '../util/runError';
import { httpEngine } from './httpEngine';
import { MAX_STORED_BODY, type ResponseRecord } from './responseHistory';
import type { TimelineEntry } from './protocol';
import type { RequestSender, SendContext } from './requestSender';

export interface HttpSenderDeps {
  readonly secrets: vscode.SecretStorage;
  /** writes the variables scripts set back to the collection's environments (through the store, as minimal edits). */
  readonly saveEnvironments?: (collection: Collection, changes: ReadonlyMap<string, Record<string, unknown>>) => Promise<void>;
  /** writes the variables scripts set in a private environment back to where it lives (this machine's SecretStorage). */
  readonly savePrivateEnvironment?: (collection: Collection, environment: Environment) => Promise<void>;
  /** `insomnia.globals`, kept in the workspace state (never in the repository). */
  readonly globals?: { get(): Record<string, unknown>; set(value: Record<string, unknown>): Promise<void> };
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
    receiveCode: (redirectUrl, state) => httpEngine().receiveCodeOnLoopback(redirectUrl, state, signal),
  };
}

/** The host's script sandbox: started on first use, shared by Send, the Test Explorer and Review's Try. */
let sandbox: Http.ScriptSandbox | undefined;

export function scriptSandbox(): Http.ScriptSandbox {
  sandbox ??= new (httpEngine().ScriptSandbox)();
  return sandbox;
}

export async function disposeScriptSandbox(): Promise<void> {
  const s = sandbox;
  sandbox = undefined;
  await s?.dispose();
}

export interface RunSessions {
  /** A run session on a collection with the host's transport: cookie jar, proxy, TLS checks, render hooks. */
  session(collection: Collection, environment: string | Environment | undefined, signal?: AbortSignal, vault?: Readonly<Record<string, string>>): Promise<Http.RunSession>;
  /** Keeps what a session's scripts set: environments written back to the files, globals in the workspace state. */
  persist(session: Http.RunSession): Promise<void>;
}

export function runSessions(deps: HttpSenderDeps): RunSessions {
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
  return {
    async session(collection, environment, signal, vault) {
      const jar = await jarOf(collection.path);
      const file = jarFile(collection.path);
      return new (httpEngine().RunSession)(
        collection,
        environment,
        {
          sandbox: scriptSandbox(),
          hooks: hostRenderHooks(deps, collection.path, signal),
          signal,
          vault,
          send: async (rendered, sig) => {
            const http = vscode.workspace.getConfiguration('http');
            const res = await httpEngine().sendRequest(rendered, {
              signal: sig,
              followRedirects: true,
              rejectUnauthorized: http.get<boolean>('proxyStrictSSL', true),
              proxy: http.get<string>('proxy') || undefined,
              cookieJar: jar,
              userAgent: deps.userAgent,
            });
            if (file) {
              await fsp.mkdir(path.dirname(file), { recursive: true });
              await fsp.writeFile(file, await httpEngine().serializeJar(jar));
            }
            return res;
          },
        },
        deps.globals?.get() ?? {},
      );
    },
    async persist(session) {
      if (session.changedGlobals) await deps.globals?.set(session.globals);
      if (session.changedEnvironments.size) await deps.saveEnvironments?.(session.collection, session.changedEnvironments);
      const own = session.privateEnvironment;
      if (session.changedPrivateEnvironment && own) await deps.savePrivateEnvironment?.(session.collection, own);
    },
  };
}

export function httpSender(deps: HttpSenderDeps): RequestSender {
  const sessions = runSessions(deps);
  return async (ctx: SendContext): Promise<ResponseRecord> => {
    const { collection, request } = ctx;
    const started = Date.now();
    const timeline: TimelineEntry[] = [];
    const session = await sessions.session(collection, ctx.environment, ctx.signal, ctx.vault);
    // (a large body's temp file is kept for the viewer: masked below, deleted with its response)
    session.keepBodyFiles = true;
    const run = await session.runRequest(request);
    if (ctx.persist !== false) await sessions.persist(session);
    const { rendered, response: res } = run;
    // (secrets: what came from them, masked in what the response history writes)
    const base = { requestId: request.id, requestName: request.name, receivedAt: started, timeline, secrets: httpEngine().sentSecrets(session, ctx.vault, rendered, ctx.environment, request.id, run.renderedTagValues) };
    const tests = run.tests.map((t) => ({ name: t.name, status: t.status, error: t.error, phase: t.phase }));
    const lines = run.console.map((l) => ({ level: l.level, text: l.text, phase: l.phase }));
    const scripts = { tests, console: lines, ...(run.skipped ? { skipped: true } : {}) };
    if (rendered) timeline.push({ kind: 'info', text: `Preparing request to ${rendered.url}` });
    if (res && rendered) {
      for (const hop of res.redirects) timeline.push({ kind: 'info', text: `${hop.status} redirect to ${hop.location}` });
      timeline.push({ kind: 'requestHead', text: res.rawRequestHead.trimEnd() });
      if (rendered.bodyText) timeline.push({ kind: 'requestHead', text: `\n${rendered.bodyText.slice(0, 10_000)}` });
      timeline.push({ kind: 'responseHead', text: res.rawResponseHead.trimEnd() });
      const t = res.timings;
      timeline.push({ kind: 'info', text: `DNS ${t.dns.toFixed(1)} ms, connect ${t.connect.toFixed(1)} ms, TLS ${t.tls.toFixed(1)} ms, first byte ${t.firstByte.toFixed(1)} ms, total ${t.total.toFixed(1)} ms` });
      timeline.push({ kind: 'info', text: `Received ${res.bodySize} B (${res.encodedBodySize} B on the wire)` });
      if (run.error) timeline.push({ kind: 'info', text: describeRunError(run.error) });
      return {
        ...base,
        ...scripts,
        method: rendered.method,
        url: res.url,
        status: res.status,
        statusText: res.statusText,
        elapsedMs: res.timings.total,
        size: res.bodySize,
        headers: res.headers,
        bodyBase64: res.body.subarray(0, MAX_STORED_BODY).toString('base64'),
        bodyCut: res.truncated || res.body.length > MAX_STORED_BODY,
        // (the whole body spilled to a temp file: kept with the secrets masked, or not at all)
        bodyFile: res.bodyFile && (await httpEngine().maskFile(res.bodyFile, base.secrets)) ? res.bodyFile : undefined,
        cookies: res.cookies.map((c) => ({ name: c.name, value: c.value, domain: c.domain, path: c.path, expires: c.expires })),
        curl: httpEngine().toCurl(rendered),
        ...(run.error ? { scriptError: describeRunError(run.error) } : {}),
      };
    }
    const message = run.skipped ? 'Not sent: the pre-request script called insomnia.execution.skipRequest()' : run.error ? (run.error.stage.endsWith('script') ? describeRunError(run.error) : run.error.message) : 'Not sent';
    timeline.push({ kind: 'info', text: `${run.error?.code ?? run.error?.stage ?? 'Skipped'}: ${message}` });
    return {
      ...base,
      ...scripts,
      method: rendered?.method ?? request.method,
      url: rendered?.url ?? request.url,
      status: 0,
      statusText: run.error?.code ?? (run.error ? run.error.stage : 'Skipped'),
      elapsedMs: Date.now() - started,
      size: 0,
      headers: [],
      bodyBase64: '',
      bodyCut: false,
      cookies: [],
      curl: rendered ? httpEngine().toCurl(rendered) : '',
      error: message,
    };
  };
}
