// The script worker (bundled to dist/scriptWorker.js): a worker thread, started by scriptSandbox.ts with a memory
// limit, an empty environment and no inherited arguments, that runs scripts in a vm context of their own.
//
// The context's global object is made from a null-prototype object, so `this.constructor` in a script is the
// context's own Object, and the only code evaluated into it is the sandbox runtime (sandbox/runtime.ts) and the module
// bundles a script requires. This worker hands the runtime one function, the bridge, that takes and returns strings;
// it calls the runtime back with numbers and strings. So no object of this realm (and no `process`, `require` or
// `fs`) is reachable from a script. The host's watchdog ends this thread when a script runs past its time.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import type * as Nunjucks from 'nunjucks';
import { hardenNunjucks } from '../templateGuard';
import type { RuntimeApi } from './sandbox/runtime';
import type { ChainedJob, FromWorker, HostCall, RequestScriptJob, RuntimeCodeCache, ScriptOutcome, ScriptPart, ToWorker } from './scriptProtocol';
import { chainedJob, chainsAfter } from './scriptProtocol';

const { dir, runtimeCache } = workerData as { dir: string; runtimeCache?: RuntimeCodeCache };
const port = parentPort!;
const post = (msg: FromWorker) => port.postMessage(msg);

/** One code unit compiled once per worker (a vm.Script is run into every context that needs it). */
const scripts = new Map<string, vm.Script>();
/** the runtime was compiled from the code cache the host handed this worker (and V8 took it). */
let startedFromCache = false;

/** The runtime's file, and what its code cache is valid for: its size and time (the worker that made it read the same file). */
const runtimeFile = path.join(dir, 'sandbox', 'runtime.js');
function runtimeKey(): string {
  const st = fs.statSync(runtimeFile);
  return `${st.size}:${st.mtimeMs}`;
}

/** Evaluates a CommonJS bundle inside a context; returns its `module.exports` (an object of the context). */
function evaluateInContext(context: vm.Context, file: string): unknown {
  let script = scripts.get(file);
  if (!script) {
    // the runtime starts from the code cache an earlier worker of this process made (RuntimeCodeCache), when it was
    // made from this very file: V8 then deserialises the functions the jobs use instead of compiling them again
    const cache = file === runtimeFile && runtimeCache && runtimeCache.key === runtimeKey() ? runtimeCache.data : undefined;
    script = new vm.Script(`(function (module, exports) {${fs.readFileSync(file, 'utf8')}\n})`, {
      filename: path.basename(file),
      cachedData: cache && Buffer.from(cache.buffer, cache.byteOffset, cache.byteLength),
    });
    scripts.set(file, script);
    if (cache && !script.cachedDataRejected) startedFromCache = true;
  }
  const fn = script.runInContext(context) as (...a: unknown[]) => void;
  const module = vm.runInContext('({ exports: {} })', context) as { exports: unknown };
  fn(module, module.exports);
  return module.exports;
}

/**
 * After this many jobs, a worker that started without a (valid) code cache makes one for the workers started after it
 * (the runtime's functions the jobs ran are compiled by then, and are in it).
 */
const CACHE_AFTER_JOBS = 8;
let jobsDone = 0;
function offerCodeCache(): void {
  if (++jobsDone !== CACHE_AFTER_JOBS) return;
  const script = scripts.get(runtimeFile);
  if (!script || startedFromCache) return;
  try {
    const data = script.createCachedData();
    post({ type: 'codeCache', key: runtimeKey(), data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
  } catch {
    // no cache: the next worker compiles the runtime itself
  }
}

/**
 * A vm context with the runtime evaluated into it. Scripts share their realm's globals (one may replace
 * `JSON.parse` or `Promise.prototype.then` for the runtime and the scripts that come after it), so each run session
 * (the job's `realm`: one collection and environment, one trust) gets a realm of its own: a script of one session
 * never sees the jobs, the environments or the host calls of another.
 */
interface Realm {
  readonly context: vm.Context;
  readonly api: RuntimeApi;
  /** compiled scripts by their text and place (the file name in stack traces names the place). */
  readonly compiled: Map<string, (...args: unknown[]) => Promise<unknown>>;
  readonly contextArray: <T>(items: readonly T[]) => T[];
}

function makeRealm(): Realm {
  const context = vm.createContext(Object.create(null) as object, {
    name: 'hammock-script',
    codeGeneration: { strings: true, wasm: false },
  });
  evaluateInContext(context, runtimeFile);
  const init = vm.runInContext('globalThis.__hammockInit', context) as (b: typeof bridge) => RuntimeApi;
  vm.runInContext('delete globalThis.__hammockInit', context);
  /**
   * Copies an array of this realm into one of the context's realm (what the runtime is handed). Strict, and it calls
   * nothing a script could have replaced (no `push` or `concat` of the context's Array.prototype, no global): a
   * replaced method would be handed this realm's array, whose constructor chain leads to this realm's Function (and
   * so to `process`); `arguments` or `caller` of a sloppy function would hand it out too.
   */
  const contextArray = vm.runInContext(
    '(function (items) { "use strict"; var out = []; for (var i = 0; i < items.length; i++) out[i] = items[i]; return out; })',
    context,
  ) as <T>(items: readonly T[]) => T[];
  return { context, api: init(bridge), compiled: new Map(), contextArray };
}

/** At most this many realms are kept (a session that comes back after that starts a fresh one). */
const MAX_REALMS = 4;
const realms = new Map<string, Realm>();
/** a realm made while the worker was idle, for the next session that needs one. */
let spare: Realm | undefined;

/** How long the worker waits, idle, before it makes the next session's realm. */
const SPARE_AFTER_IDLE_MS = 100;
let spareTimer: NodeJS.Timeout | undefined;
function makeSpareWhenIdle(): void {
  clearTimeout(spareTimer);
  if (spare) return;
  spareTimer = setTimeout(() => (spare ??= makeRealm()), SPARE_AFTER_IDLE_MS);
  // an idle worker never keeps its thread alive for it
  spareTimer.unref();
}

function realmFor(key: string): Realm {
  let realm = realms.get(key);
  if (realm) {
    realms.delete(key);
  } else {
    realm = spare ?? makeRealm();
    spare = undefined;
  }
  realms.set(key, realm);
  while (realms.size > MAX_REALMS) realms.delete(realms.keys().next().value as string);
  return realm;
}

let currentJob = -1;
/** the job sent with the running one, to run after it (ChainedJob), and its realm. */
let chained: { readonly next: ChainedJob; readonly realm: string } | undefined;
let currentNames: readonly string[] = [];
/** scripts to compile once the jobs of the message running are done (ToWorker `precompile`), and their realm. */
let ahead: { readonly jobs: readonly (readonly ScriptPart[])[]; readonly realm: string } | undefined;
/** the realm of the job running (one at a time). */
let current: Realm;
/** the host calls the running job made: a late reply to an earlier job's call is not delivered to this one. */
const liveCalls = new Set<number>();
const timerHandles = new Map<number, NodeJS.Timeout>();
/** nunjucks, for `replaceIn`: loaded on first use (most scripts never render; parsing it was a tenth of the worker's start). */
let renderer: Nunjucks.Environment | undefined;
function templates(): Nunjucks.Environment {
  if (!renderer) {
    // sandbox/nunjucks.js beside this bundle (scripts/sandboxBuild.mjs), read only now
    const nunjucks = require('nunjucks') as typeof Nunjucks;
    // nunjucks runs in this realm: a template a script renders must not reach its Function (and so `process`)
    hardenNunjucks(nunjucks);
    renderer = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: true });
  }
  return renderer;
}

function bridge(op: string, arg: string): string {
  // every answer is a string; nothing thrown from here reaches the script (the runtime turns errors into its own)
  try {
    switch (op) {
      case 'part':
        post({ type: 'part', jobId: currentJob, name: currentNames[Number(arg)] ?? '' });
        return '';
      case 'call': {
        const { callId, call } = JSON.parse(arg) as { callId: number; call: HostCall };
        liveCalls.add(callId);
        post({ type: 'call', jobId: currentJob, callId, call });
        return '';
      }
      case 'timer': {
        const { id, ms } = JSON.parse(arg) as { id: number; ms: number };
        const realm = current;
        timerHandles.set(
          id,
          setTimeout(() => {
            timerHandles.delete(id);
            realm.api.fire(id);
          }, ms),
        );
        return '';
      }
      case 'clearTimer': {
        const id = Number(arg);
        clearTimeout(timerHandles.get(id));
        timerHandles.delete(id);
        return '';
      }
      case 'render': {
        const { template, context: vars } = JSON.parse(arg) as { template: string; context: Record<string, unknown> };
        try {
          return JSON.stringify({ text: templates().renderString(template, { ...vars, _: vars }) });
        } catch (e) {
          return JSON.stringify({ error: `replaceIn: ${e instanceof Error ? e.message.replace(/^\(unknown path\)\s*/, '') : String(e)}` });
        }
      }
      case 'load':
        return loadModule(arg);
      case 'random':
        // node:crypto is loaded on first use: most scripts never ask, and loading it is part of every worker's start
        return (require('node:crypto') as typeof import('node:crypto')).randomBytes(Math.min(65536, Math.max(0, Number(arg) || 0))).toString('hex');
      case 'done': {
        for (const handle of timerHandles.values()) clearTimeout(handle);
        timerHandles.clear();
        liveCalls.clear();
        const chain = chained;
        chained = undefined;
        const nextJob = chain && chainedText(chain.next, arg);
        post({ type: 'done', jobId: currentJob, outcome: arg, chained: nextJob !== undefined });
        offerCodeCache();
        if (chain && nextJob !== undefined) {
          // as if its message came now: after what the finished job left queued
          setImmediate(() => startJob(chain.next.jobId, nextJob, chain.next.parts, false, chain.realm, undefined));
        } else {
          // the next session's realm is made once the worker is idle, not when its first script waits (nor between
          // two jobs of a running session: the next job would wait for it)
          makeSpareWhenIdle();
          const later = ahead;
          ahead = undefined;
          // while the host sends the next request: its job then finds them compiled
          if (later) setImmediate(() => precompile(later.jobs, later.realm));
        }
        return '';
      }
      default:
        return '';
    }
  } catch (e) {
    return JSON.stringify({ error: e instanceof Error ? e.message : String(e) });
  }
}

/** Loads a module bundle into the context (`require('moment')`); returns '' or why it could not. */
function loadModule(name: string): string {
  const file = path.join(dir, 'sandbox', 'modules', `${name.replace(/[^a-z0-9_-]/gi, '_')}.js`);
  if (!fs.existsSync(file)) return `the sandbox has no bundle for it (${path.basename(file)})`;
  try {
    current.api.defineModule(name, evaluateInContext(current.context, file));
    return '';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

// the first realm is made while the worker starts (the host starts it early): it is the first session's, whatever its key
spare = makeRealm();
current = spare;

// a promise a script rejected and nobody awaited must not end the worker (Node's default): the console says it
process.on('unhandledRejection', (reason: unknown) => {
  current.api.uncaught(`Uncaught (in promise) ${reason && typeof reason === 'object' && 'message' in reason ? String((reason as { message: unknown }).message) : String(reason)}`);
});
process.on('uncaughtException', (err: unknown) => {
  current.api.uncaught(`Uncaught ${err && typeof err === 'object' && 'message' in err ? String((err as { message: unknown }).message) : String(err)}`);
});

const MAX_COMPILED = 500;

function compile(realm: Realm, part: ScriptPart, index: number, params: readonly string[]): (...args: unknown[]) => Promise<unknown> {
  const { compiled, context } = realm;
  const key = `${index}\u0000${params.length}\u0000${part.code}`;
  let fn = compiled.get(key);
  if (!fn) {
    // the script is the body of an async function, as Insomnia runs it; line 1 of the script is line 1 in the stack
    fn = vm.compileFunction(`return (async () => {\n${part.code}\n})();`, [...params], {
      parsingContext: context,
      filename: `hammock-script-${index}`,
      lineOffset: -1,
    }) as (...args: unknown[]) => Promise<unknown>;
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, fn);
  }
  return fn;
}

/** Compiles a later job's scripts into its realm's cache (as startJob would: same places, same parameters); runs nothing. */
function precompile(jobs: readonly (readonly ScriptPart[])[], key: string): void {
  const realm = realms.get(key);
  if (!realm) return;
  for (const parts of jobs) {
    for (let i = 0; i < parts.length; i++) {
      try {
        compile(realm, parts[i], i, realm.api.params);
      } catch {
        // its own job compiles it again and reports the error
      }
    }
  }
}

function syntaxError(e: unknown, names: readonly string[]): ScriptOutcome {
  const err = e as { message?: string; stack?: string };
  const at = /hammock-script-(\d+):(\d+)/.exec(err.stack ?? '');
  return {
    environment: {},
    baseEnvironment: {},
    globals: {},
    tests: [],
    console: [],
    execution: { skipRequest: false, nextRequestIdOrName: '' },
    error: { kind: 'syntax', message: `SyntaxError: ${err.message ?? String(e)}`, script: at ? names[Number(at[1])] : undefined, line: at ? Number(at[2]) : undefined },
  };
}

/**
 * The job chained after the running one (ChainedJob): its text with the variables the running one leaves, or
 * undefined when it does not run. Parsed here, in the worker's realm: an outcome a script garbled chains nothing.
 */
function chainedText(next: ChainedJob, outcomeText: string): string | undefined {
  try {
    const outcome = JSON.parse(outcomeText) as ScriptOutcome;
    if (!chainsAfter(outcome, next.bail)) return undefined;
    return JSON.stringify(chainedJob(JSON.parse(next.job) as RequestScriptJob, outcome));
  } catch {
    return undefined;
  }
}

function startJob(jobId: number, job: string, parts: readonly ScriptPart[], unitTests: boolean, realm: string, next: ChainedJob | undefined): void {
  clearTimeout(spareTimer);
  current = realmFor(realm);
  liveCalls.clear();
  currentJob = jobId;
  currentNames = parts.map((p) => p.name);
  chained = next && { next, realm };
  let fns: ((...args: unknown[]) => Promise<unknown>)[];
  try {
    const params = unitTests ? current.api.unitTestParams : current.api.params;
    fns = parts.map((p, i) => compile(current, p, i, params));
  } catch (e) {
    chained = undefined;
    post({ type: 'done', jobId, outcome: JSON.stringify(syntaxError(e, currentNames)) });
    makeSpareWhenIdle();
    return;
  }
  // the job's text is parsed once, by the runtime, in the script's realm
  current.api.run(job, current.contextArray(fns), current.contextArray(currentNames));
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'reply') {
    if (!liveCalls.delete(msg.callId)) return;
    current.api.deliver(msg.callId, JSON.stringify({ response: msg.response, error: msg.error }));
    return;
  }
  ahead = msg.precompile && { jobs: msg.precompile, realm: msg.realm };
  startJob(msg.jobId, msg.job, msg.parts, msg.unitTests, msg.realm, msg.next);
});

post({ type: 'ready', fromCache: startedFromCache });
