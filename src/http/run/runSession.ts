// Sends requests as Insomnia sends them with their scripts, and runs unit test suites as `inso run test` does. Pure:
// no 'vscode' import; the caller gives the transport (`send`), the render hooks and the script sandbox.
//
// One request (Insomnia 10.1.1 network.ts tryToExecutePreRequestScript / tryToExecuteAfterResponseScript,
// common/send-request.ts):
//   1. the pre-request scripts of the folders above, outermost first, then the request's own, as one run sharing one
//      `insomnia` object; the request they see carries the headers and auth it inherits;
//   2. a script error stops the request (not sent);
//   3. the variables the scripts set are what the request is rendered with; the request the scripts left is what is
//      rendered and sent (its query parameters in the URL, its headers and auth as they are);
//   4. the after-response scripts the same way, with `insomnia.response`, also when nothing was received;
//   5. the environments the scripts changed are kept for the next request of the session and listed in
//      `changedEnvironments`, for the caller to save (the extension writes them back to the files; `hammock run`
//      keeps them for the run only, as inso's in-memory database does).
// `insomnia.globals` live in the session (the caller keeps them where it likes: the extension in workspace state).

import { promises as fsp } from 'node:fs';
import type { BaseEnvironment, Collection, Environment, Folder, HttpRequest, Item, UnitTestSuite } from '../../collections/model';
import { walkItems } from '../../collections/model';
import { baseEnvironmentId } from '../../collections/ids';
import { effectiveAuth, effectiveHeaders, renderRequest } from '../renderRequest';
import { ancestorFolders, buildRenderContext, tagValuesOf } from '../template';
import { toHttpError } from '../httpError';
import type { HttpResponse, RenderedRequest, RenderHooks } from '../types';
import type { ScriptSandbox } from '../scripts/scriptSandbox';
import { describeScriptError, type ChainedRun, type ScriptHooks } from '../scripts/scriptSandbox';
import { chainedJob } from '../scripts/scriptProtocol';
import type {
  AdHocRequest,
  ConsoleLine,
  EventName,
  ExecutionState,
  HostCall,
  RequestScriptJob,
  ScriptError,
  ScriptOutcome,
  ScriptPart,
  ScriptRequestData,
  ScriptResponseData,
  TestResult,
} from '../scripts/scriptProtocol';

/** Where a test or a console line came from. */
export type ScriptPhase = 'pre-request' | 'after-response';

export interface PhasedTest extends TestResult {
  readonly phase: ScriptPhase;
}

export interface PhasedConsoleLine extends ConsoleLine {
  readonly phase: ScriptPhase;
}

export type RunStage = 'pre-request script' | 'render' | 'send' | 'after-response script';

export interface RunError {
  readonly stage: RunStage;
  /** the HTTP engine's error code for a render or send error (`ConnectionRefused`, `TemplateError`, ...). */
  readonly code?: string;
  /** one line: for a script, the script, the line and the message. */
  readonly message: string;
  readonly script?: ScriptError;
}

/** What happened to one request. */
export interface RequestRun {
  readonly request: HttpRequest;
  readonly rendered?: RenderedRequest;
  readonly response?: HttpResponse;
  readonly tests: readonly PhasedTest[];
  readonly console: readonly PhasedConsoleLine[];
  /** the first thing that went wrong (a failed test is not an error). */
  readonly error?: RunError;
  /** `insomnia.execution.skipRequest()`: the pre-request script asked not to send it. */
  readonly skipped: boolean;
  /** `insomnia.execution.setNextRequest(idOrName)`. */
  readonly nextRequest?: string;
  readonly durationMs: number;
  /** the folders above the request, outermost first. */
  readonly folders?: readonly Folder[];
  /** the variables holding a tag, as this Send rendered them (`tagValuesOf`): for the response history's mask. */
  readonly renderedTagValues?: Readonly<Record<string, unknown>>;
}

export interface UnitTestRun {
  readonly tests: readonly TestResult[];
  readonly console: readonly ConsoleLine[];
  /** the sandbox stopped the run (time or memory limit, a test that does not compile). */
  readonly error?: ScriptError;
  /** the requests the tests sent, in order. */
  readonly requests: readonly RequestRun[];
}

export interface RunDeps {
  readonly sandbox: ScriptSandbox;
  /** sends a rendered request (the caller's cookie jar, proxy, TLS settings and time limit). */
  send(rendered: RenderedRequest, signal?: AbortSignal): Promise<HttpResponse>;
  readonly hooks?: RenderHooks;
  readonly signal?: AbortSignal;
  /** the collection's vault (`{{ vault.<name> }}`), kept outside the repository. */
  readonly vault?: Readonly<Record<string, string>>;
}

export interface RunRequestOptions {
  readonly iteration?: number;
  readonly iterationCount?: number;
  /**
   * The request the caller runs next (with these options) unless this one's scripts jump elsewhere or fail it under
   * `bail`: its pre-request scripts then run with this one's after-response scripts, in one round trip to the sandbox,
   * exactly as they would have run on their own; and its after-response scripts are compiled in the sandbox while it
   * is sent (compiled only: see ToWorker `precompile`).
   */
  readonly next?: {
    readonly request: HttpRequest;
    readonly bail: boolean;
    readonly iteration?: number;
    readonly iterationCount?: number;
    /** the request after it: the sandbox compiles its pre-request scripts while `request` is sent (nothing else). */
    readonly following?: HttpRequest;
  };
}

const NO_EXECUTION: ExecutionState = { skipRequest: false, nextRequestIdOrName: '' };

/** The scripts of the folders above a request (outermost first) and the request's own, named for error messages. */
export function scriptParts(folders: readonly Folder[], request: HttpRequest, event: EventName): ScriptPart[] {
  const kind = event === 'prerequest' ? 'preRequest' : 'afterResponse';
  const label = event === 'prerequest' ? 'pre-request' : 'after-response';
  const parts: ScriptPart[] = [];
  for (const f of folders) {
    const code = f.scripts?.[kind] ?? '';
    if (code.trim()) parts.push({ name: `${label} script of folder "${f.name}"`, code });
  }
  const own = request.scripts?.[kind] ?? '';
  if (own.trim()) parts.push({ name: `${label} script of request "${request.name}"`, code: own });
  return parts;
}

/** Whether any script would run for this request (its own or a folder's above it). */
export function hasScripts(collection: Collection, request: HttpRequest): boolean {
  const folders = ancestorFolders(collection, request.id)?.folders ?? [];
  return scriptParts(folders, request, 'prerequest').length > 0 || scriptParts(folders, request, 'test').length > 0;
}

function toResponseData(res: HttpResponse): ScriptResponseData {
  return { code: res.status, status: res.statusText, headers: res.headers, body: res.body.toString('utf8'), responseTime: Math.round(res.timings.total), size: res.bodySize };
}

/**
 * A run of requests against one collection and environment: the variables scripts set carry from one request to
 * the next. The collection passed in is never changed; `collection` is it with the scripts' variables.
 */
let nextRealm = 1;

export class RunSession {
  private current: Collection;
  /** this session's script realm: what one session's scripts do to their globals, another session's never meet. */
  private readonly realm = `session-${nextRealm++}`;
  /** environment id -> its data as the scripts left it (only environments a script changed). */
  readonly changedEnvironments = new Map<string, Record<string, unknown>>();
  globals: Record<string, unknown>;
  private globalsChanged = false;
  private privateChanged = false;
  /**
   * Whether a response's body spilled to a temp file (too large for memory) stays there, named by `bodyFile`, for
   * the caller to show whole and delete (Send); else it is removed once the run has it (a run, a script's
   * `insomnia.sendRequest`): a response as received, secrets and all, is not left in the temp folder.
   */
  keepBodyFiles = false;

  /** the active sub-environment: its id, or itself (a private environment, in no file: what scripts set stays on it). */
  private environment: string | Environment | undefined;
  /** the next request's pre-request outcome, run chained after the last after-response job (ChainedJob). */
  private chained: { readonly requestId: string; readonly expected: RequestScriptJob; readonly outcome: Promise<ScriptOutcome | undefined> } | undefined;
  /** item id -> the folders above it, for the tree of `current` (scripts change environments, never the tree). */
  private folderIndex: { children: Collection['children']; folders: Map<string, Folder[]> } | undefined;

  constructor(
    collection: Collection,
    environment: string | Environment | undefined,
    private readonly deps: RunDeps,
    globals: Record<string, unknown> = {},
  ) {
    this.current = collection;
    this.environment = environment;
    this.globals = { ...globals };
  }

  /** The private environment as the scripts left it (undefined when the active one is in a file, or none). */
  get privateEnvironment(): Environment | undefined {
    return typeof this.environment === 'object' ? this.environment : undefined;
  }

  /** The collection with the variables the scripts set so far. */
  get collection(): Collection {
    return this.current;
  }

  /** Whether a script changed the private environment's variables. */
  get changedPrivateEnvironment(): boolean {
    return this.privateChanged;
  }

  /** Whether a script changed `insomnia.globals`. */
  get changedGlobals(): boolean {
    return this.globalsChanged;
  }

  /** The folders above an item, outermost first (one walk of the tree per session, not one per request). */
  private foldersAbove(collection: Collection, itemId: string): Folder[] {
    if (this.folderIndex?.children !== collection.children) {
      const folders = new Map<string, Folder[]>();
      const visit = (items: readonly Item[], chain: Folder[]) => {
        for (const item of items) {
          if (!folders.has(item.id)) folders.set(item.id, chain);
          if (item.kind === 'folder') visit(item.children, [...chain, item]);
        }
      };
      visit(collection.children, []);
      this.folderIndex = { children: collection.children, folders };
    }
    return this.folderIndex.folders.get(itemId) ?? ancestorFolders(collection, itemId)?.folders ?? [];
  }

  /** Runs (and sends) one request of the collection, with its scripts. Never throws for what the request does. */
  async runRequest(request: HttpRequest, options: RunRequestOptions = {}): Promise<RequestRun> {
    const started = performance.now();
    const tests: PhasedTest[] = [];
    const lines: PhasedConsoleLine[] = [];
    const collection = this.current;
    const folders = this.foldersAbove(collection, request.id);
    const finish = (r: Omit<RequestRun, 'tests' | 'console' | 'durationMs' | 'request' | 'skipped' | 'folders'> & { skipped?: boolean }): RequestRun => ({
      request,
      tests,
      console: lines,
      skipped: false,
      durationMs: performance.now() - started,
      folders,
      ...r,
    });
    const location = [collection.name, ...folders.map((f) => f.name), request.name];
    const iteration = options.iteration ?? 1;
    const iterationCount = options.iterationCount ?? 1;

    // 1. pre-request scripts
    let toSend = request;
    let flat = false;
    let execution = NO_EXECUTION;
    const pre = scriptParts(folders, request, 'prerequest');
    if (!pre.length) await this.chainedOutcome(request, undefined);
    if (pre.length) {
      const made = this.scriptJob('prerequest', pre, collection, request, folders, location, iteration, iterationCount, execution);
      const ran = await this.chainedOutcome(request, made.job);
      let outcome: ScriptOutcome;
      if (ran) {
        outcome = ran;
        this.keep(made.base, made.active, outcome);
      } else {
        outcome = await this.runScripts(made);
      }
      this.take(outcome, 'pre-request', tests, lines);
      execution = outcome.execution;
      if (outcome.error) return finish({ error: { stage: 'pre-request script', message: describeScriptError(outcome.error), script: outcome.error } });
      if (outcome.execution.skipRequest) return finish({ skipped: true, nextRequest: outcome.execution.nextRequestIdOrName || undefined });
      if (outcome.request) {
        toSend = mergeScriptRequest(request, outcome.request);
        flat = true;
      }
    }

    // 2. render and send, with the variables as the scripts left them
    let rendered: RenderedRequest | undefined;
    let response: HttpResponse | undefined;
    let error: RunError | undefined;
    let renderedTagValues: Record<string, unknown> | undefined;
    try {
      const after = this.current;
      const context = buildRenderContext(after, request.id, this.environment, { vault: this.deps.vault, globals: this.globals, folders });
      // the request a script left carries its inherited headers and auth already: render it without the folders
      const renderIn = flat ? { ...after, children: [toSend] } : after;
      // (the folders are known: a walk of the whole tree per request made a run of n requests cost n² steps)
      rendered = await renderRequest(toSend, renderIn, context, this.deps.hooks ?? {}, { signal: this.deps.signal, folders: flat ? [] : folders });
      // what its tags gave (a `{% response %}` token): masked in what is kept of the run, never rendered again
      renderedTagValues = await tagValuesOf(context);
    } catch (err) {
      const e = toHttpError(err);
      error = { stage: 'render', code: e.code, message: e.message };
    }
    if (rendered) {
      try {
        response = await this.deps.send(rendered, this.deps.signal);
      } catch (err) {
        const e = toHttpError(err, rendered.url);
        error = { stage: 'send', code: e.code, message: e.message };
      }
    }

    // 3. after-response scripts (Insomnia runs them also when nothing was received)
    const post = scriptParts(folders, request, 'test');
    if (post.length && !(error?.stage === 'render')) {
      const made = this.scriptJob('test', post, this.current, request, folders, location, iteration, iterationCount, execution, response);
      const outcome = await this.runScripts(made, this.chainFor(options.next, !!error || tests.some((t) => t.status === 'failed')));
      this.take(outcome, 'after-response', tests, lines);
      execution = outcome.execution;
      if (outcome.error && !error) error = { stage: 'after-response script', message: describeScriptError(outcome.error), script: outcome.error };
    }
    if (response?.bodyFile && !this.keepBodyFiles) response = { ...response, bodyFile: await dropSpill(response.bodyFile) };
    return finish({ rendered, response, error, nextRequest: execution.nextRequestIdOrName || undefined, ...(renderedTagValues ? { renderedTagValues } : {}) });
  }

  /**
   * The next request's pre-request job, to send with this request's after-response one; undefined when there is none
   * or when `--bail` would stop before it (`failing`: this request already failed).
   */
  private chainFor(next: RunRequestOptions['next'], failing: boolean): (ChainedRun & { requestId: string }) | undefined {
    if (!next || (next.bail && failing)) return undefined;
    const folders = this.foldersAbove(this.current, next.request.id);
    const pre = scriptParts(folders, next.request, 'prerequest');
    if (!pre.length) return undefined;
    const location = [this.current.name, ...folders.map((f) => f.name), next.request.name];
    const { job } = this.scriptJob('prerequest', pre, this.current, next.request, folders, location, next.iteration ?? 1, next.iterationCount ?? 1, NO_EXECUTION);
    // compiled while the next request is sent: its after-response scripts, and the pre-request ones of the request after
    const ahead = [scriptParts(folders, next.request, 'test')];
    if (next.following) ahead.push(scriptParts(this.foldersAbove(this.current, next.following.id), next.following, 'prerequest'));
    const precompile = ahead.filter((parts) => parts.length > 0);
    return { requestId: next.request.id, job, bail: next.bail, precompile: precompile.length ? precompile : undefined };
  }

  /** Runs unit test suites as `inso run test` does; `insomnia.send()` sends requests of this collection (scripts and all). */
  async runUnitTests(suites: readonly UnitTestSuite[], options: { bail?: boolean; testNamePattern?: string; testTimeoutMs?: number } = {}): Promise<UnitTestRun> {
    const requests: RequestRun[] = [];
    const outcome = await this.deps.sandbox.run(
      {
        kind: 'unitTests',
        realm: this.realm,
        suites: suites.map((s) => ({ name: s.name, tests: s.tests.map((t) => ({ name: t.name, code: t.code, requestId: t.requestId })) })),
        bail: options.bail ?? false,
        testNamePattern: options.testNamePattern,
        testTimeoutMs: options.testTimeoutMs ?? 60_000,
      },
      {
        call: async (call: HostCall, signal: AbortSignal) => {
          if (call.op !== 'sendModel') return this.adHoc(call.request, signal);
          const request = [...walkItems(this.current.children)].find((i) => i.id === call.requestId);
          if (!request || request.kind !== 'request') throw new Error(`No HTTP request with id ${call.requestId} in ${this.current.name}`);
          const run = await this.runRequest(request);
          requests.push(run);
          if (!run.response) throw new Error(`${request.name}: ${run.error?.message ?? 'not sent'}`);
          return toResponseData(run.response);
        },
      },
      this.deps.signal,
    );
    return { tests: outcome.tests, console: outcome.console, error: outcome.error, requests };
  }

  /** A script job of this session: the request's scripts with the variables as the session has them now. */
  private scriptJob(
    event: EventName,
    parts: readonly ScriptPart[],
    collection: Collection,
    request: HttpRequest,
    folders: readonly Folder[],
    location: readonly string[],
    iteration: number,
    iterationCount: number,
    execution: ExecutionState,
    response?: HttpResponse,
  ): { job: RequestScriptJob; base: BaseEnvironment; active: Environment } {
    const base: BaseEnvironment = collection.baseEnvironment ?? missingBase(collection);
    const env = this.environment;
    const sub = typeof env === 'object' ? env : env ? base.subEnvironments.find((e) => e.id === env) : undefined;
    const active: Environment = sub ?? base;
    const job: RequestScriptJob = {
      kind: 'request',
      realm: this.realm,
      event,
      parts,
      request: scriptRequestOf(collection, request, folders),
      response: response && toResponseData(response),
      environment: { id: active.id, name: active.name, data: active.data ?? {} },
      baseEnvironment: { id: base.id, name: base.name, data: base.data ?? {} },
      globals: this.globals,
      iteration,
      iterationCount,
      location,
      execution,
    };
    return { job, base, active };
  }

  private readonly hostCalls: ScriptHooks = {
    call: (call, signal) => (call.op === 'sendRequest' ? this.adHoc(call.request, signal) : Promise.reject(new Error('insomnia.send() is for unit tests'))),
  };

  /**
   * Runs a request's scripts; `chain`: the next request's pre-request job goes with them (one round trip for the two,
   * ChainedJob), its outcome kept for that request's run.
   */
  private async runScripts(made: { job: RequestScriptJob; base: BaseEnvironment; active: Environment }, chain?: ChainedRun & { requestId: string }): Promise<ScriptOutcome> {
    const { job, base, active } = made;
    const { first, second } = this.deps.sandbox.runChained(job, chain, this.hostCalls, this.deps.signal);
    const outcome = await first;
    this.keep(base, active, outcome);
    // what the worker ran as the next job (when it ran it): the host checks it is the job it would send itself
    if (chain) this.chained = { requestId: chain.requestId, expected: chainedJob(chain.job, outcome), outcome: second };
    return outcome;
  }

  /** What a script set is kept when it ran to its end: a script that threw (or was stopped) changes nothing, as in Insomnia. */
  private keep(base: Environment, active: Environment, outcome: ScriptOutcome): void {
    if (!outcome.error) this.keepVariables(base, active, outcome);
  }

  /**
   * The pre-request outcome of `request` when it ran chained after the previous request's after-response scripts, as
   * the job this session sends now would have run; undefined when it did not (the caller runs the job itself).
   */
  private async chainedOutcome(request: HttpRequest, job: RequestScriptJob | undefined): Promise<ScriptOutcome | undefined> {
    const chained = this.chained;
    if (!chained) return undefined;
    this.chained = undefined;
    const outcome = await chained.outcome;
    if (!outcome || !job || chained.requestId !== request.id) return undefined;
    // never happens by ChainedJob's rule; if it ever did, the job is run again as it should have been
    if (!sameJson(job, chained.expected)) return undefined;
    return outcome;
  }

  /** Takes the variables a script run left into the session (Insomnia saves them also when the script failed later). */
  private keepVariables(base: Environment, active: Environment, outcome: ScriptOutcome): void {
    if (!sameJson(this.globals, outcome.globals)) {
      this.globals = { ...outcome.globals };
      this.globalsChanged = true;
    }
    const changes = new Map<string, Record<string, unknown>>();
    if (!sameJson(base.data ?? {}, outcome.baseEnvironment)) changes.set(base.id, outcome.baseEnvironment);
    if (active !== base && !sameJson(active.data ?? {}, outcome.environment)) {
      if (typeof this.environment === 'object') {
        // a private environment is in no file: it carries the values itself, and the caller keeps them where it lives
        this.environment = { ...this.environment, data: outcome.environment };
        this.privateChanged = true;
      } else changes.set(active.id, outcome.environment);
    }
    if (!changes.size) return;
    for (const [id, data] of changes) this.changedEnvironments.set(id, data);
    this.current = withEnvironmentData(this.current, changes);
  }

  private take(outcome: ScriptOutcome, phase: ScriptPhase, tests: PhasedTest[], lines: PhasedConsoleLine[]): void {
    for (const t of outcome.tests) tests.push({ ...t, phase });
    for (const l of outcome.console) lines.push({ ...l, phase });
  }

  /** `insomnia.sendRequest(...)`: sent as it is (no templates, no scripts, no cookies but the script's own headers). */
  private async adHoc(req: AdHocRequest, scriptRun: AbortSignal): Promise<ScriptResponseData> {
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(req.url.trim()) ? req.url.trim() : `http://${req.url.trim()}`;
    const rendered: RenderedRequest = {
      method: req.method || 'GET',
      url,
      headers: req.headers.map(([k, v]) => [k, v]),
      body: req.body === undefined ? undefined : Buffer.from(req.body, 'utf8'),
      bodyText: req.body,
      bodyKind: req.body === undefined ? 'none' : 'other',
      settings: { followRedirects: 'global', sendCookies: false, storeCookies: false },
    };
    try {
      // stopped when the session is cancelled, and when the script that asked is over (stopped at its limit)
      const signal = this.deps.signal ? AbortSignal.any([this.deps.signal, scriptRun]) : scriptRun;
      const res = await this.deps.send(rendered, signal);
      // (the script gets the body as kept in memory: a spilled file has no reader)
      if (res.bodyFile) await dropSpill(res.bodyFile);
      return toResponseData(res);
    } catch (err) {
      throw new Error(toHttpError(err, url).message);
    }
  }
}

/** Removes a body spilled to a temp file; undefined (no file to name any more). */
async function dropSpill(file: string): Promise<undefined> {
  await fsp.rm(file, { force: true });
  return undefined;
}

/** The request as its scripts see it: its own fields, with the headers and auth it inherits from the folders above. */
function scriptRequestOf(collection: Collection, request: HttpRequest, folders: readonly Folder[]): ScriptRequestData {
  return {
    id: request.id,
    name: request.name,
    method: request.method,
    url: request.url,
    headers: effectiveHeaders(collection, request, folders).map((h) => h.row),
    parameters: request.parameters.filter((p) => !p.disabled),
    pathParameters: request.pathParameters ?? [],
    body: request.body ?? {},
    authentication: effectiveAuth(collection, request, folders).auth,
  };
}

/** The request to send after the pre-request scripts: the model request with what they left (request.ts `mergeRequests`). */
function mergeScriptRequest(request: HttpRequest, data: ScriptRequestData): HttpRequest {
  return {
    ...request,
    name: data.name,
    method: data.method,
    url: data.url,
    headers: data.headers.map((h) => ({ ...h })),
    parameters: [],
    pathParameters: data.pathParameters.map((p) => ({ ...p })),
    body: data.body,
    authentication: data.authentication,
  };
}

/** A copy of the collection whose environments with these ids hold this data (the original is not touched). */
export function withEnvironmentData(collection: Collection, changes: ReadonlyMap<string, Record<string, unknown>>): Collection {
  const base = collection.baseEnvironment ?? missingBase(collection);
  const nextBase: BaseEnvironment = {
    ...base,
    data: changes.get(base.id) ?? base.data,
    subEnvironments: base.subEnvironments.map((e) => (changes.has(e.id) ? { ...e, data: changes.get(e.id)! } : e)),
  };
  return { ...collection, baseEnvironment: nextBase };
}

/** The base environment of a collection that has none in its files (Insomnia's id for it: `env_` + sha1 of the workspace id). */
function missingBase(collection: Collection): BaseEnvironment {
  return { id: baseEnvironmentId(collection.id), parentId: collection.id, name: 'Base Environment', data: {}, color: null, sortKey: 0, isPrivate: false, source: collection.source, subEnvironments: [] };
}

/**
 * Whether two JSON-able values serialise to the same JSON. Walked side by side, so an object both share (most of a
 * job: the request's rows, the environments a script left) is not serialised twice to find it equal; anything the
 * walk does not find equal (a difference, an undefined or a value of another kind) is decided by the JSON itself.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  return sameWalk(a, b, 0) || JSON.stringify(a) === JSON.stringify(b);
}

/** true only when `a` and `b` serialise the same (false: not known, ask the JSON). */
function sameWalk(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > 64) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameWalk(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b) || !isPlainData(a) || !isPlainData(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || !sameWalk((a as Record<string, unknown>)[ka[i]], (b as Record<string, unknown>)[kb[i]], depth + 1)) return false;
  }
  return true;
}

/** A plain object whose JSON is its own keys (no toJSON, no prototype of its own). */
function isPlainData(o: object): boolean {
  const proto = Object.getPrototypeOf(o) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (o as { toJSON?: unknown }).toJSON !== 'function';
}
