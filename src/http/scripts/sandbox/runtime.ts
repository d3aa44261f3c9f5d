// The runtime of the script sandbox. It is bundled (esbuild, see scripts/sandboxBuild.mjs) and evaluated INSIDE the
// worker's vm context, once per context: the `insomnia` object, chai's `expect`, `require`, `console` and the timers a
// script gets are all made here, in the script's own realm, so that no object of the worker's realm (whose Function
// constructor would reach `process`) is ever in a script's hands.
//
// The worker talks to it through one function, `bridge(op, text) -> text`: strings in, strings out, never an object.
// It calls back in with primitives only (`deliver`, `fire`). What a script can reach of the host is what the bridge
// offers: `insomnia.sendRequest` and a unit test's `insomnia.send()` (sent by the host), timers, templates rendered
// by the host's nunjucks, random bytes, and the lazily loaded modules Insomnia allows.
//
// Insomnia's behaviour this follows (Kong/insomnia 10.1.1): scripts run as the body of an async function with
// `insomnia`, `require`, `console`, `_` (lodash) and `setTimeout`, `process` undefined (hidden-window.ts, scriptExecutor.ts);
// the run waits for the tasks the script started (timers, sendRequest callbacks) before it ends
// (`asyncTasksAllSettled`); `insomnia.test(name, fn)` records passed/failed/skipped with the error's text (test.ts);
// `collectionVariables` is the base environment (insomnia.ts); unit tests run as `inso run test` generates them
// (insomnia-testing generate.ts: `describe(suite)`, `it(test, async () => { insomnia.setActiveRequestId(id); code })`,
// `beforeEach(() => insomnia.clearActiveRequest())`, `const { expect } = chai`).

import * as chai from 'chai';
import type {
  ConsoleLevel,
  ConsoleLine,
  ExecutionState,
  RequestScriptJob,
  ScriptError,
  ScriptJob,
  ScriptOutcome,
  ScriptResponseData,
  TestResult,
  UnitTestJob,
} from '../scriptProtocol';
import { EXTERNAL_MODULES, NODE_MODULES } from '../scriptProtocol';
import * as sdk from './sdk';

type Bridge = (op: string, arg: string) => string;
type Compiled = (...args: unknown[]) => Promise<unknown>;

/** What the worker holds of the runtime (all of this realm). */
export interface RuntimeApi {
  run(jobJson: string, fns: readonly Compiled[], names: readonly string[]): void;
  deliver(callId: number, json: string): void;
  fire(timerId: number): void;
  defineModule(name: string, exports: unknown): void;
  /** an error nobody caught (a rejected promise no one awaited): it goes to the current job's console. */
  uncaught(message: string): void;
  /** the parameters each compiled script function takes, in order. */
  readonly params: readonly string[];
  readonly unitTestParams: readonly string[];
}

let bridge: Bridge = () => {
  throw new Error('sandbox not initialised');
};

// -------------------------------------------------------------------------------------------------------------------
// pending work of the current job: host calls and timers; the job ends when its script returned and none is left

const pendingCalls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
const timers = new Map<number, { fn: () => void; repeat?: number }>();
let nextId = 1;
let settleWaiters: (() => void)[] = [];

function settled(): void {
  if (pendingCalls.size === 0 && timers.size === 0) {
    const waiters = settleWaiters;
    settleWaiters = [];
    waiters.forEach((w) => w());
  }
}

function allSettled(): Promise<void> {
  if (pendingCalls.size === 0 && timers.size === 0) return Promise.resolve();
  return new Promise((resolve) => settleWaiters.push(resolve));
}

function hostCall(call: Record<string, unknown>): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pendingCalls.set(id, { resolve, reject });
    bridge('call', JSON.stringify({ callId: id, call }));
  });
}

function setTimer(fn: unknown, ms: unknown, repeat: boolean, args: unknown[]): number {
  if (typeof fn !== 'function') throw new TypeError('The callback must be a function');
  const id = nextId++;
  const delay = Math.max(0, Number(ms) || 0);
  timers.set(id, { fn: () => (fn as (...a: unknown[]) => void)(...args), repeat: repeat ? delay : undefined });
  bridge('timer', JSON.stringify({ id, ms: delay }));
  return id;
}

function clearTimer(id: unknown): void {
  if (typeof id === 'number' && timers.delete(id)) {
    bridge('clearTimer', String(id));
    settled();
  }
}

const timerFns = {
  setTimeout: (fn: unknown, ms?: unknown, ...args: unknown[]) => setTimer(fn, ms, false, args),
  clearTimeout: clearTimer,
  setInterval: (fn: unknown, ms?: unknown, ...args: unknown[]) => setTimer(fn, ms, true, args),
  clearInterval: clearTimer,
  setImmediate: (fn: unknown, ...args: unknown[]) => setTimer(fn, 0, false, args),
  clearImmediate: clearTimer,
};

// -------------------------------------------------------------------------------------------------------------------
// console

let consoleLines: ConsoleLine[] = [];
const MAX_CONSOLE_LINES = 1000;
/** a line longer than this is cut (1000 lines of it are what the host may receive, not the worker's whole heap). */
const MAX_LINE = 100_000;

function capped(text: string): string {
  return text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}… (${text.length - MAX_LINE} more characters)` : text;
}

function format(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (typeof value === 'function') return `[Function ${value.name || 'anonymous'}]`;
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), 2);
    return text === undefined ? String(value) : text;
  } catch {
    return String(value);
  }
}

function makeConsole(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as ConsoleLevel[]) {
    out[level] = (...values: unknown[]) => {
      if (consoleLines.length < MAX_CONSOLE_LINES) consoleLines.push({ level, text: capped(values.map(format).join(' ')) });
      else if (consoleLines.length === MAX_CONSOLE_LINES) consoleLines.push({ level: 'warn', text: `(more than ${MAX_CONSOLE_LINES} lines: the rest is left out)` });
    };
  }
  out.clear = () => {
    consoleLines = [];
  };
  return out;
}

// -------------------------------------------------------------------------------------------------------------------
// templates, modules, globals

/** Random bytes from the host, as hex. */
function randomHex(bytes: number): string {
  return bridge('random', String(bytes));
}

function randomInt(max: number): number {
  return parseInt(randomHex(6), 16) % max;
}

/**
 * Insomnia's faker variables in `replaceIn` (`{{ $randomUUID }}`: faker-functions.ts, the ones that need no locale
 * data); any other `{{ $name }}` is refused by name.
 */
const FAKER: Record<string, () => string> = {
  guid: () => cryptoImpl.randomUUID(),
  randomUUID: () => cryptoImpl.randomUUID(),
  timestamp: () => String(Date.now() - randomInt(365 * 24 * 3600 * 1000) * (randomInt(2) ? 1 : -1)),
  isoTimestamp: () => new Date(Date.now() - randomInt(365 * 24 * 3600 * 1000) * (randomInt(2) ? 1 : -1)).toISOString(),
  randomAlphaNumeric: () => 'abcdefghijklmnopqrstuvwxyz0123456789'[randomInt(36)],
  randomBoolean: () => String(randomInt(2) === 1),
  randomInt: () => String(randomInt(Number.MAX_SAFE_INTEGER)),
  randomHexColor: () => `#${randomHex(3)}`,
  randomIP: () => [0, 0, 0, 0].map(() => randomInt(256)).join('.'),
  randomIPV6: () => Array.from({ length: 8 }, () => randomHex(2)).join(':'),
  randomMACAddress: () => Array.from({ length: 6 }, () => randomHex(1)).join(':'),
  randomSemver: () => `${randomInt(10)}.${randomInt(10)}.${randomInt(10)}`,
};

function withFaker(template: string): string {
  return template.replace(/\{\{\s*\$([A-Za-z0-9_]+)\s*\}\}/g, (_m, name: string) => {
    const fn = FAKER[name];
    if (!fn) throw new Error(`replaceIn: {{ $${name} }} is one of Insomnia's faker variables, which Hammock does not render (it renders ${Object.keys(FAKER).map((k) => `$${k}`).join(', ')})`);
    return fn();
  });
}

function render(template: string, context: Record<string, unknown>): string {
  const reply = JSON.parse(bridge('render', JSON.stringify({ template: withFaker(String(template)), context }))) as { text?: string; error?: string };
  if (reply.error !== undefined) throw new Error(reply.error);
  return reply.text ?? '';
}

const modules = new Map<string, unknown>([['chai', chai]]);
const ALLOWED: readonly string[] = [...NODE_MODULES, ...EXTERNAL_MODULES, 'atob', 'btoa', 'insomnia-collection', 'postman-collection'];

function sandboxRequire(name: unknown): unknown {
  const id = String(name).replace(/^node:/, '');
  if (id === 'atob') return atobImpl;
  if (id === 'btoa') return btoaImpl;
  if (id === 'insomnia-collection' || id === 'postman-collection') return sdkModule;
  if (!ALLOWED.includes(id)) {
    throw new Error(
      `Cannot require "${String(name)}": a script may require only ${ALLOWED.join(', ')}. ` +
        'Scripts run in a sandbox, without the file system, the process or the network (use insomnia.sendRequest).',
    );
  }
  if (!modules.has(id)) {
    const error = bridge('load', id);
    if (error) throw new Error(`Cannot load "${id}": ${error}`);
  }
  return modules.get(id);
}

const sdkModule = {
  Header: sdk.Header,
  HeaderList: sdk.HeaderList,
  PropertyList: sdk.PropertyList,
  QueryParam: sdk.QueryParam,
  Request: sdk.Request,
  RequestAuth: sdk.RequestAuth,
  RequestBody: sdk.RequestBody,
  Response: sdk.Response,
  Url: sdk.Url,
  FormParam: sdk.FormParam,
};

/** lodash as `_`: loaded on first use. */
const lodash: unknown = new Proxy(function lodashLoader() {}, {
  get: (_t, key) => (sandboxRequire('lodash') as Record<string | symbol, unknown>)[key],
  apply: (_t, thisArg, args) => (sandboxRequire('lodash') as (...a: unknown[]) => unknown).apply(thisArg, args),
});

/** `process`: refused with a clear message, whatever a script tries. */
const processStub: unknown = new Proxy(
  {},
  {
    get: (_t, key) => {
      if (key === Symbol.toPrimitive || key === 'toString') return () => '[process: not available]';
      throw new Error(`process.${String(key)} is not available: scripts run in a sandbox, without the process, the file system or the network.`);
    },
    set: () => {
      throw new Error('process is not available in scripts.');
    },
  },
);

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function btoaImpl(text: unknown): string {
  const s = String(text);
  let out = '';
  for (let i = 0; i < s.length; i += 3) {
    const a = s.charCodeAt(i);
    const b = s.charCodeAt(i + 1);
    const c = s.charCodeAt(i + 2);
    if (a > 255 || b > 255 || c > 255) throw new Error('btoa: the string has characters outside of Latin1');
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < s.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < s.length ? B64[n & 63] : '=');
  }
  return out;
}

function atobImpl(text: unknown): string {
  const s = String(text).replace(/[\s=]+/g, '');
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const ch of s) {
    const v = B64.indexOf(ch === '-' ? '+' : ch === '_' ? '/' : ch);
    if (v < 0) throw new Error('atob: the string is not valid base64');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 255);
    }
  }
  return out;
}

/** A small URLSearchParams (scripts run in a context that has only the language's own globals). */
class SearchParams {
  private list: [string, string][] = [];
  constructor(init?: string | Record<string, string> | [string, string][]) {
    if (typeof init === 'string') this.list = sdk.QueryParam.parse(init).map((p) => [p.key, p.value]);
    else if (Array.isArray(init)) this.list = init.map(([k, v]) => [String(k), String(v)]);
    else if (init) this.list = Object.entries(init).map(([k, v]) => [k, String(v)]);
  }
  append(k: string, v: string): void { this.list.push([String(k), String(v)]); }
  delete(k: string): void { this.list = this.list.filter(([x]) => x !== k); }
  get(k: string): string | null { return this.list.find(([x]) => x === k)?.[1] ?? null; }
  getAll(k: string): string[] { return this.list.filter(([x]) => x === k).map(([, v]) => v); }
  has(k: string): boolean { return this.list.some(([x]) => x === k); }
  set(k: string, v: string): void {
    const i = this.list.findIndex(([x]) => x === k);
    this.delete(k);
    this.list.splice(i < 0 ? this.list.length : i, 0, [String(k), String(v)]);
  }
  forEach(fn: (v: string, k: string) => void): void { this.list.forEach(([k, v]) => fn(v, k)); }
  keys(): IterableIterator<string> { return this.list.map(([k]) => k)[Symbol.iterator](); }
  values(): IterableIterator<string> { return this.list.map(([, v]) => v)[Symbol.iterator](); }
  entries(): IterableIterator<[string, string]> { return this.list.map((e) => [...e] as [string, string])[Symbol.iterator](); }
  [Symbol.iterator](): IterableIterator<[string, string]> { return this.entries(); }
  toString(): string { return this.list.map(([k, v]) => `${encodeURIComponent(k).replace(/%20/g, '+')}=${encodeURIComponent(v).replace(/%20/g, '+')}`).join('&'); }
}

/** A small URL for absolute URLs (`new URL(text, base?)`): the parts, `searchParams`, `href`. */
class SimpleUrl {
  protocol = '';
  username = '';
  password = '';
  hostname = '';
  port = '';
  pathname = '/';
  hash = '';
  searchParams = new SearchParams();
  constructor(input: string, base?: string) {
    let text = String(input);
    if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) {
      if (base === undefined) throw new TypeError(`Invalid URL: ${text}`);
      const b = new SimpleUrl(base);
      text = text.startsWith('/') ? `${b.origin}${text}` : `${b.origin}${b.pathname.replace(/[^/]*$/, '')}${text}`;
    }
    const m = /^([a-z][a-z0-9+.-]*:)\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?#]*)(?::(\d*))?([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(text);
    if (!m) throw new TypeError(`Invalid URL: ${text}`);
    this.protocol = m[1].toLowerCase();
    this.username = m[2] ?? '';
    this.password = m[3] ?? '';
    this.hostname = m[4].toLowerCase();
    this.port = m[5] && !((this.protocol === 'http:' && m[5] === '80') || (this.protocol === 'https:' && m[5] === '443')) ? m[5] : '';
    this.pathname = m[6] || '/';
    this.searchParams = new SearchParams(m[7] ? m[7].slice(1) : '');
    this.hash = m[8] && m[8] !== '#' ? m[8] : '';
  }
  get host(): string { return this.hostname + (this.port ? `:${this.port}` : ''); }
  get origin(): string { return `${this.protocol}//${this.host}`; }
  get search(): string { const s = this.searchParams.toString(); return s ? `?${s}` : ''; }
  set search(v: string) { this.searchParams = new SearchParams(String(v).replace(/^\?/, '')); }
  get href(): string {
    const auth = this.username ? `${this.username}${this.password ? `:${this.password}` : ''}@` : '';
    return `${this.protocol}//${auth}${this.host}${this.pathname}${this.search}${this.hash}`;
  }
  toString(): string { return this.href; }
  toJSON(): string { return this.href; }
}

/** `crypto.getRandomValues` and `randomUUID` (what uuid and crypto-js look for), from the host's random source. */
const cryptoImpl = {
  getRandomValues<T extends ArrayBufferView>(array: T): T {
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    if (bytes.length > 65536) throw new Error('getRandomValues: at most 65536 bytes at once');
    const hex = bridge('random', String(bytes.length));
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    return array;
  },
  randomUUID(): string {
    const b = cryptoImpl.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  },
};

const g = globalThis as Record<string, unknown>;
for (const [name, value] of Object.entries({ atob: atobImpl, btoa: btoaImpl, URLSearchParams: SearchParams, URL: SimpleUrl, crypto: cryptoImpl, ...timerFns })) {
  if (g[name] === undefined) Object.defineProperty(g, name, { value, writable: true, configurable: true });
}

// -------------------------------------------------------------------------------------------------------------------
// ArrayBuffer memory: outside the worker's heap limit (`resourceLimits` counts the JS heap, not buffers), and in
// the extension host's process, so a script could fill gigabytes of it. Every way this realm makes a buffer is
// counted against a budget per job: the constructors (wrapped, also as the prototypes' `constructor` that species
// look up), and the methods that copy (`slice`, `map`, `toSorted`...: their result is counted, whatever species
// made it). WebAssembly (its compiler is off in the context anyway) goes, with its Memory.

/** bytes of buffers a job may make, all told (freed ones included: scripts that need this much do not exist). */
const BUFFER_BUDGET = 256 * 1024 * 1024;
let bufferBytes = 0;

const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
/** The byte length of a typed array or buffer (0 for anything else), by the intrinsic getters (a script's own are not asked). */
const { byteLengthOf, isBuffer } = (() => {
  const typed = Object.getOwnPropertyDescriptor(typedArrayProto, 'byteLength')!.get!;
  const plain = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;
  const shared = typeof SharedArrayBuffer === 'function' ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, 'byteLength')!.get! : undefined;
  const call = Function.prototype.call.bind(Function.prototype.call) as (f: unknown, self: unknown) => number;
  const attempt = (getter: unknown, value: unknown): number | undefined => {
    try {
      return getter ? call(getter, value) : undefined;
    } catch {
      return undefined;
    }
  };
  const bufferLength = (value: unknown) => attempt(plain, value) ?? attempt(shared, value);
  return {
    byteLengthOf: (value: unknown): number => (value && typeof value === 'object' ? (attempt(typed, value) ?? bufferLength(value) ?? 0) : 0),
    isBuffer: (value: unknown): boolean => !!value && typeof value === 'object' && bufferLength(value) !== undefined,
  };
})();

function charge(bytes: number): void {
  if (!(bytes > 0)) return;
  bufferBytes += bytes;
  if (bufferBytes > BUFFER_BUDGET) {
    throw new RangeError(`a script may make at most ${BUFFER_BUDGET / 1024 / 1024} MB of ArrayBuffers and typed arrays (it asked for ${Math.round(bufferBytes / 1024 / 1024)} MB)`);
  }
}

{
  const reflectConstruct = Reflect.construct;
  const reflectApply = Reflect.apply;
  const wrapCopying = (owner: object, name: string) => {
    const original = (owner as Record<string, unknown>)[name];
    if (typeof original !== 'function') return;
    Object.defineProperty(owner, name, {
      value: {
        [name](this: unknown, ...args: unknown[]) {
          const result = reflectApply(original as (...a: unknown[]) => unknown, this, args);
          charge(byteLengthOf(result));
          return result;
        },
      }[name],
      writable: true,
      configurable: true,
    });
  };
  const names = ['ArrayBuffer', 'SharedArrayBuffer', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'];
  for (const name of names) {
    const Original = g[name] as (new (...a: unknown[]) => object) & { BYTES_PER_ELEMENT?: number; prototype: object };
    if (typeof Original !== 'function') continue;
    const per = Original.BYTES_PER_ELEMENT ?? 1;
    const Wrapped: unknown = new Proxy(Original, {
      construct(target, args: unknown[], newTarget) {
        // a length is counted before (nothing that large is made), what was made after (a string or an array-like
        // as the length; a buffer's view makes nothing new)
        const first = args[0];
        const options = args[1] as { maxByteLength?: unknown } | undefined;
        const numeric = typeof first === 'number';
        const growable = per === 1 && options && typeof options === 'object' ? Number(options.maxByteLength) || 0 : 0;
        charge(Math.max(numeric ? first * per : 0, growable));
        const made = reflectConstruct(target, args, newTarget) as object;
        if (!numeric && !isBuffer(first)) charge(byteLengthOf(made));
        return made;
      },
    });
    Object.defineProperty(g, name, { value: Wrapped, writable: true, configurable: true });
    Object.defineProperty(Original.prototype, 'constructor', { value: Wrapped, writable: true, configurable: true });
    if (name === 'ArrayBuffer' || name === 'SharedArrayBuffer') wrapCopying(Original.prototype, 'slice');
  }
  for (const name of ['slice', 'map', 'filter', 'toReversed', 'toSorted', 'with']) wrapCopying(typedArrayProto, name);
  const TypedArray = Object.getPrototypeOf(Uint8Array) as object;
  wrapCopying(TypedArray, 'from');
  wrapCopying(TypedArray, 'of');
  for (const name of ['transfer', 'transferToFixedLength']) {
    if (name in ArrayBuffer.prototype) wrapCopying(ArrayBuffer.prototype, name);
  }
  delete g.WebAssembly;
}

// -------------------------------------------------------------------------------------------------------------------
// running a job

const PARAMS = ['insomnia', 'require', 'console', '_', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'queueMicrotask', 'process', '$', 'expect', 'chai'] as const;
const UNIT_TEST_PARAMS = ['insomnia', 'expect', 'chai', 'require', 'console', '_', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'process'] as const;

/** Where in a script an error happened: the first stack frame in one of the job's scripts. */
function errorOf(err: unknown, names: readonly string[], kind: ScriptError['kind'] = 'error'): ScriptError {
  const e = err as { name?: unknown; message?: unknown; stack?: unknown } | undefined;
  const message = e && typeof e === 'object' && 'message' in e ? `${typeof e.name === 'string' && e.name !== 'Error' ? `${e.name}: ` : ''}${String(e.message)}` : String(err);
  const stack = e && typeof e === 'object' && typeof e.stack === 'string' ? e.stack : '';
  const frame = /hammock-script-(\d+):(\d+):(\d+)/.exec(stack);
  if (frame) return { kind, message, script: names[Number(frame[1])], line: Number(frame[2]), column: Number(frame[3]) };
  return { kind, message };
}

function messageOf(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err) {
    const e = err as { name?: unknown; message: unknown };
    return e.name === 'AssertionError' || e.name === 'Error' || typeof e.name !== 'string' ? String(e.message) : `${e.name}: ${String(e.message)}`;
  }
  return String(err);
}

/**
 * `insomnia.test` / `.skip` (test.ts): results in the order the tests were declared; a test function that returns a
 * promise is awaited (the run waits for it before it ends, see `pendingTests`).
 */
function testHandler(results: TestResult[], pendingTests: Promise<void>[]): ((name: string, fn: () => unknown) => Promise<void>) & { skip: (name: string) => void } {
  const run = (name: string, fn: () => unknown): Promise<void> => {
    const started = Date.now();
    const slot = results.length;
    const record = (error?: unknown, failed = false) => {
      results[slot] = failed
        ? { name: capped(String(name)), status: 'failed', durationMs: Date.now() - started, error: capped(messageOf(error)) }
        : { name: capped(String(name)), status: 'passed', durationMs: Date.now() - started };
    };
    let returned: unknown;
    try {
      if (typeof fn !== 'function') throw new TypeError(`insomnia.test("${String(name)}", ...) needs a function`);
      returned = fn();
    } catch (e) {
      record(e, true);
      return Promise.resolve();
    }
    if (returned && typeof (returned as { then?: unknown }).then === 'function') {
      record();
      const done = Promise.resolve(returned).then(
        () => record(),
        (e: unknown) => record(e, true),
      );
      pendingTests.push(done);
      return done;
    }
    record();
    return Promise.resolve();
  };
  return Object.assign(run, {
    skip: (name: string) => {
      results.push({ name: String(name), status: 'skipped', durationMs: 0 });
    },
  });
}

function toUnitResponse(r: ScriptResponseData): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [k, v] of r.headers) headers[k.toLowerCase()] = v;
  return { status: r.code, statusMessage: r.status, data: r.body, headers, responseTime: r.responseTime };
}

/**
 * A request job's `insomnia` object and what the outcome is read from. Apart from the async function that runs the
 * scripts (runRequestJob), and so is it: V8 optimises a function that runs for every job after a few hundred jobs, and
 * this code inside the async function made one optimisation of tens of milliseconds (of a second core) in every worker.
 */
function prepareRequestJob(job: RequestScriptJob) {
  const base = new sdk.Environment(job.baseEnvironment.name, job.baseEnvironment.data, render);
  const sameEnv = job.environment.id === job.baseEnvironment.id;
  const environment = sameEnv ? base : new sdk.Environment(job.environment.name, job.environment.data, render);
  const globals = new sdk.Environment('globals', job.globals, render);
  const iterationData = new sdk.Environment('iterationData', job.iterationData ?? {}, render);
  const variables = new sdk.Variables({ globals, collection: base, environment, iterationData }, render);
  // a pre-request script's `insomnia.request` is made now, for the request the outcome returns; an after-response
  // one's when it is first read (most never do, and it changes nothing sent: see lazyRequest)
  const request = job.event === 'prerequest' ? sdk.toScriptRequest(job.request) : undefined;
  const execution = new sdk.Execution(job.location, job.execution);
  const tests: TestResult[] = [];
  const pendingTests: Promise<void>[] = [];
  const validateSchema = (schema: unknown, value: unknown): boolean => {
    const Ajv = sandboxRequire('ajv') as { default?: new () => { validate(s: unknown, v: unknown): boolean } } & (new () => { validate(s: unknown, v: unknown): boolean });
    const Ctor = Ajv.default ?? Ajv;
    return new Ctor().validate(schema, value);
  };
  const response = job.response ? new sdk.Response(job.response, validateSchema) : undefined;
  const sendRequest = (req: unknown, cb?: (err: unknown, res?: sdk.Response) => void): Promise<sdk.Response | undefined> => {
    let adHoc: { method: string; url: string; headers: [string, string][]; body?: string };
    try {
      const r = typeof req === 'string' ? new sdk.Request(req) : req instanceof sdk.Request ? req : new sdk.Request(req as sdk.RequestOptions);
      const headers = r.headers.all().filter((h) => !h.disabled).map((h) => [h.key, h.value] as [string, string]);
      const body = r.body && !r.body.isEmpty() ? r.body.toString() : undefined;
      const modeType: Record<string, string> = { raw: 'text/plain', urlencoded: 'application/x-www-form-urlencoded', graphql: 'application/json' };
      if (body !== undefined && r.body?.mode && modeType[r.body.mode] && !headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['Content-Type', modeType[r.body.mode]]);
      adHoc = { method: r.method, url: r.url.toString(), headers, body };
    } catch (e) {
      cb?.(messageOf(e));
      return Promise.resolve(undefined);
    }
    return hostCall({ op: 'sendRequest', request: adHoc }).then(
      (data) => {
        const res = new sdk.Response(data as ScriptResponseData, validateSchema);
        cb?.(undefined, res);
        return res;
      },
      (err: Error) => {
        cb?.(err.message);
        return undefined;
      },
    );
  };
  const insomnia = {
    environment,
    baseEnvironment: base,
    collectionVariables: base,
    globals,
    iterationData,
    variables,
    request: request as unknown,
    response,
    info: {
      eventName: job.event,
      iteration: job.iteration,
      iterationCount: job.iterationCount,
      requestName: job.request.name,
      requestId: job.request.id,
    },
    execution,
    test: testHandler(tests, pendingTests),
    expect: (value: unknown, message?: string) => chai.expect(value, message),
    sendRequest,
    settings: undefined,
  };
  if (!request) lazyRequest(insomnia, job.request);
  const scriptConsole = makeConsole();
  return { base, sameEnv, environment, globals, request, execution, tests, pendingTests, insomnia, scriptConsole };
}

/** taken before any script runs: a script that replaces the realm's `Object.defineProperty` changes nothing here. */
const defineProperty = Object.defineProperty;

/**
 * `insomnia.request` made on its first read: an accessor in the data property's place (the same object on every read,
 * replaceable, also by undefined, enumerable, in the same key order).
 */
function lazyRequest(insomnia: { request: unknown }, data: RequestScriptJob['request']): void {
  let current: unknown;
  let made = false;
  defineProperty(insomnia, 'request', {
    get(): unknown {
      if (!made) {
        made = true;
        current = sdk.toScriptRequest(data);
      }
      return current;
    },
    set(value: unknown) {
      made = true;
      current = value;
    },
    enumerable: true,
    configurable: true,
  });
}

async function runRequestJob(job: RequestScriptJob, fns: readonly Compiled[], names: readonly string[]): Promise<ScriptOutcome> {
  const prepared = prepareRequestJob(job);
  const { insomnia, scriptConsole, pendingTests } = prepared;
  let error: ScriptError | undefined;
  for (let i = 0; i < fns.length && !error; i++) {
    // the host knows the first script's name already: only a later one is announced (a message less per run)
    if (i > 0) bridge('part', String(i));
    try {
      await fns[i](insomnia, sandboxRequire, scriptConsole, lodash, timerFns.setTimeout, timerFns.clearTimeout, timerFns.setInterval, timerFns.clearInterval, timerFns.setImmediate, undefined, processStub, insomnia, insomnia.expect, chai);
      await allSettled();
      await Promise.all(pendingTests);
    } catch (e) {
      error = errorOf(e, names);
    }
  }
  return requestOutcome(job, prepared, error);
}

/** The outcome of a request job, once its scripts ran (see prepareRequestJob). */
function requestOutcome(job: RequestScriptJob, prepared: ReturnType<typeof prepareRequestJob>, error: ScriptError | undefined): ScriptOutcome {
  const { base, sameEnv, environment, globals, request, execution, tests } = prepared;
  const envData = environment.toObject();
  if (sameEnv && JSON.stringify(envData) !== JSON.stringify(job.environment.data)) {
    // Insomnia's warning (insomnia.ts initInsomniaObject), said when it matters: the script changed the base
    // environment. In Hammock's words: the base environment shows as the active one there (and the level says
    // "warn" already: Insomnia's text began with "warning:")
    consoleLines.push({ level: 'warn', text: 'No sub-environment is active: what the script set with insomnia.environment went into the base environment.' });
  }
  return {
    environment: envData,
    baseEnvironment: sameEnv ? envData : base.toObject(),
    globals: globals.toObject(),
    // what an after-response script does to the request changes nothing sent: only a pre-request one's is returned
    request: request ? sdk.fromScriptRequest(request, job.request) : undefined,
    tests,
    console: consoleLines,
    execution: execution.toObject() as ExecutionState,
    error,
  };
}

/** A promise that fails after `ms` (a unit test's time limit). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const id = setTimer(() => reject(new Error(`Timeout of ${ms}ms exceeded: ${what}`)), ms, false, []);
    p.then(
      (v) => {
        clearTimer(id);
        resolve(v);
      },
      (e: unknown) => {
        clearTimer(id);
        reject(e);
      },
    );
  });
}

async function runUnitTests(job: UnitTestJob, fns: readonly Compiled[], names: readonly string[]): Promise<ScriptOutcome> {
  const tests: TestResult[] = [];
  const testing = {
    activeRequestId: null as string | null,
    activeEnvironmentId: null as string | null,
    setActiveRequestId(id: string) {
      testing.activeRequestId = id;
    },
    clearActiveRequest() {
      testing.activeRequestId = null;
    },
    async send(reqId: string | null = null): Promise<unknown> {
      const requestId = reqId || testing.activeRequestId;
      if (!requestId) throw new Error('No selected request');
      return toUnitResponse((await hostCall({ op: 'sendModel', requestId })) as ScriptResponseData);
    },
  };
  const pattern = job.testNamePattern ? new RegExp(job.testNamePattern) : undefined;
  const scriptConsole = makeConsole();
  let index = 0;
  let failed = false;
  for (const suite of job.suites) {
    for (const test of suite.tests) {
      const fn = fns[index];
      const name = names[index];
      index++;
      if (pattern && !pattern.test(`${suite.name} ${test.name}`)) continue;
      if (failed && job.bail) {
        tests.push({ name: test.name, suite: suite.name, status: 'skipped', durationMs: 0 });
        continue;
      }
      testing.clearActiveRequest();
      if (typeof test.requestId === 'string') testing.setActiveRequestId(test.requestId);
      bridge('part', String(index - 1));
      const started = Date.now();
      try {
        await within(fn(testing, chai.expect, chai, sandboxRequire, scriptConsole, lodash, timerFns.setTimeout, timerFns.clearTimeout, timerFns.setInterval, timerFns.clearInterval, processStub), job.testTimeoutMs, `"${test.name}"`);
        tests.push({ name: test.name, suite: suite.name, status: 'passed', durationMs: Date.now() - started });
      } catch (e) {
        failed = true;
        const where = errorOf(e, names);
        const at = where.script === name && where.line !== undefined ? ` (line ${where.line})` : '';
        tests.push({ name: test.name, suite: suite.name, status: 'failed', durationMs: Date.now() - started, error: `${messageOf(e)}${at}` });
      }
      await allSettled();
    }
  }
  return { environment: {}, baseEnvironment: {}, globals: {}, tests, console: consoleLines, execution: { skipRequest: false, nextRequestIdOrName: '' } };
}

const api: RuntimeApi = {
  params: PARAMS,
  unitTestParams: UNIT_TEST_PARAMS,
  run(jobJson, fns, names) {
    const job = JSON.parse(jobJson) as ScriptJob;
    consoleLines = [];
    bufferBytes = 0;
    pendingCalls.clear();
    timers.clear();
    settleWaiters = [];
    const done = (outcome: ScriptOutcome) => bridge('done', JSON.stringify(outcome));
    const work = job.kind === 'unitTests' ? runUnitTests(job, fns, names) : runRequestJob(job, fns, names);
    work.then(done, (e: unknown) =>
      done({ environment: {}, baseEnvironment: {}, globals: {}, tests: [], console: consoleLines, execution: { skipRequest: false, nextRequestIdOrName: '' }, error: errorOf(e, names, 'crash') }),
    );
  },
  deliver(callId, json) {
    const pending = pendingCalls.get(callId);
    if (!pending) return;
    pendingCalls.delete(callId);
    const reply = JSON.parse(json) as { response?: unknown; error?: string };
    if (reply.error !== undefined) pending.reject(new Error(reply.error));
    else pending.resolve(reply.response);
    // the script's continuation runs first (it may start more work), then the job may end
    void Promise.resolve().then(settled);
  },
  fire(timerId) {
    const timer = timers.get(timerId);
    if (!timer) return;
    if (timer.repeat === undefined) timers.delete(timerId);
    try {
      timer.fn();
    } catch (e) {
      consoleLines.push({ level: 'error', text: `Uncaught error in a timer: ${messageOf(e)}` });
    }
    if (timer.repeat !== undefined && timers.has(timerId)) bridge('timer', JSON.stringify({ id: timerId, ms: timer.repeat }));
    void Promise.resolve().then(settled);
  },
  defineModule(name, exports) {
    // the browser `url` package has no WHATWG URL of its own: the sandbox's (what `require('url').URL` gives in Insomnia)
    if (name === 'url' && exports && typeof exports === 'object') {
      const e = exports as Record<string, unknown>;
      if (typeof e.URL !== 'function') e.URL = SimpleUrl;
      if (typeof e.URLSearchParams !== 'function') e.URLSearchParams = SearchParams;
    }
    modules.set(name, exports);
  },
  uncaught(message) {
    consoleLines.push({ level: 'error', text: message });
  },
};

/** The worker calls this once, right after evaluating the bundle, and removes it from the global object. */
(globalThis as Record<string, unknown>).__hammockInit = (b: Bridge): RuntimeApi => {
  bridge = b;
  return api;
};
