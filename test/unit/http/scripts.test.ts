// Insomnia's scripts run by Hammock's sandbox and run session, against real HTTP servers on loopback: every
// `insomnia.*` call, a login chain, tests that pass and fail, the sandbox's limits and what it refuses.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeConnections, RunSession, ScriptSandbox, sendRequest, type RequestRun } from '../../../src/http';
import type { Collection, HttpRequest } from '../../../src/collections/model';
import { startTestServer, type TestServer } from '../../support/httpServer';
import { sandboxDir } from '../../support/sandbox';
import { collection, folder, request } from './modelBuilders';

let server: TestServer;
let sandbox: ScriptSandbox;
let login: { url: string; close: () => Promise<void>; tokens: Set<string> };

/** A login server: POST /login {user, password} -> {token}; GET /me needs `Authorization: Bearer <token>`. */
async function startLoginServer(): Promise<typeof login> {
  const tokens = new Set<string>();
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/login' && req.method === 'POST') {
        const { user, password } = JSON.parse(body || '{}') as { user?: string; password?: string };
        if (user !== 'ada' || password !== 'lovelace') {
          res.writeHead(401).end(JSON.stringify({ error: 'bad credentials' }));
          return;
        }
        const token = randomBytes(12).toString('hex');
        tokens.add(token);
        res.writeHead(200).end(JSON.stringify({ token }));
      } else if (req.url === '/me') {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!token || !tokens.has(token)) res.writeHead(401).end(JSON.stringify({ error: 'no token' }));
        else res.writeHead(200).end(JSON.stringify({ user: 'ada' }));
      } else {
        res.writeHead(404).end('{}');
      }
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    tokens,
    close: () => new Promise((r) => {
      srv.close(() => r());
      srv.closeAllConnections();
    }),
  };
}

before(async function () {
  this.timeout(120_000);
  await sandboxDir();
  server = await startTestServer();
  login = await startLoginServer();
  sandbox = new ScriptSandbox({ timeoutMs: 3000 });
});

after(async () => {
  await sandbox.dispose();
  // the engine's keep-alive connections first, or the servers wait for them
  await closeConnections();
  await server.close();
  await login.close();
});

function session(c: Collection, envId?: string, globals?: Record<string, unknown>): RunSession {
  return new RunSession(c, envId, { sandbox, send: (r, signal) => sendRequest(r, { signal, followRedirects: true, rejectUnauthorized: true }) }, globals);
}

/** One request with scripts, in a collection whose base environment holds `base_url`. */
async function runOne(scripts: { pre?: string; post?: string }, fields: Partial<HttpRequest> = {}, envs: { base?: Record<string, unknown>; sub?: Record<string, unknown> } = {}): Promise<{ run: RequestRun; s: RunSession }> {
  const req = request('req_1', { name: 'Echo', url: '{{ _.base_url }}/echo', scripts: { preRequest: scripts.pre ?? '', afterResponse: scripts.post ?? '' }, ...fields });
  const c = collection([req], { base_url: server.httpUrl, ...envs.base }, envs.sub ? { env_sub: envs.sub } : {});
  const s = session(c, envs.sub ? 'env_sub' : undefined);
  return { run: await s.runRequest(req), s };
}

function echoed(run: RequestRun): { method: string; url: string; headers: Record<string, string>; body: string } {
  assert.ok(run.response, `a response (error: ${run.error?.message})`);
  return JSON.parse(run.response.body.toString('utf8'));
}

describe('scripts: insomnia.* in the sandbox, against a loopback server', function () {
  this.timeout(30_000);

  describe('environments and variables', () => {
    it('environment get/set/unset/has; what a pre-request script sets is what the request is rendered with', async () => {
      const { run, s } = await runOne(
        {
          pre: `
            insomnia.environment.set('q', 'from-script');
            insomnia.environment.set('gone', 1);
            insomnia.environment.unset('gone');
            console.log(insomnia.environment.has('q'), insomnia.environment.has('gone'), insomnia.environment.get('fixed'));
            console.log(insomnia.environment.name);`,
        },
        { url: '{{ _.base_url }}/echo?q={{ _.q }}' },
        { sub: { fixed: 'sub-value' } },
      );
      assert.equal(new URL(echoed(run).url, server.httpUrl).searchParams.get('q'), 'from-script');
      assert.deepEqual(run.console.map((l) => l.text), ['true false sub-value', 'env_sub']);
      assert.deepEqual(s.changedEnvironments.get('env_sub'), { fixed: 'sub-value', q: 'from-script' });
      assert.equal(s.changedEnvironments.has('env_base'), false, 'the base environment is untouched');
    });

    it('baseEnvironment and collectionVariables are the base environment; with no sub-environment, environment is too', async () => {
      const { s, run } = await runOne({ pre: `insomnia.baseEnvironment.set('a', 1); insomnia.collectionVariables.set('b', 2); insomnia.environment.set('c', 3);` });
      assert.deepEqual(s.changedEnvironments.get('env_base'), { base_url: server.httpUrl, a: 1, b: 2, c: 3 });
      assert.ok(run.console.some((l) => l.level === 'warn' && l.text === 'No sub-environment is active: what the script set with insomnia.environment went into the base environment.'), 'Insomnia\'s warning, once warned');
      const sub = await runOne({ pre: `insomnia.baseEnvironment.set('a', 1); insomnia.environment.set('c', 3);` }, {}, { sub: {} });
      assert.deepEqual(sub.s.changedEnvironments.get('env_base'), { base_url: server.httpUrl, a: 1 });
      assert.deepEqual(sub.s.changedEnvironments.get('env_sub'), { c: 3 });
    });

    it('globals persist in the session (not in a file); variables read every scope, local first, and set locally', async () => {
      const req = request('req_1', {
        url: '{{ _.base_url }}/echo?g={{ _.g }}',
        scripts: {
          preRequest: `
            insomnia.globals.set('g', 'global');
            insomnia.variables.set('local', 'L');
            console.log(insomnia.variables.get('local'), insomnia.variables.get('fromSub'), insomnia.variables.get('fromBase'), insomnia.variables.has('nope'));
            console.log(insomnia.variables.replaceIn('{{ local }}/{{ fromSub }}'));
            console.log(insomnia.environment.replaceIn('{{ _.fromSub }}'));`,
          afterResponse: `console.log(insomnia.variables.get('local') === undefined ? 'local gone' : 'local kept', insomnia.globals.get('g'));`,
        },
      });
      const c = collection([req], { base_url: server.httpUrl, fromBase: 'B' }, { env_sub: { fromSub: 'S' } });
      const s = session(c, 'env_sub', { kept: true });
      const run = await s.runRequest(req);
      assert.equal(new URL(echoed(run).url, server.httpUrl).searchParams.get('g'), 'global', 'globals are in the render context');
      assert.deepEqual(run.console.map((l) => l.text), ['L S B false', 'L/S', 'S', 'local gone global']);
      assert.deepEqual(s.globals, { kept: true, g: 'global' });
      assert.equal(s.changedGlobals, true);
      assert.equal(s.changedEnvironments.size, 0, 'no environment changed');
    });
  });

  describe('the request', () => {
    it('url, method, headers, body and auth can be read and changed; the changed request is what is sent', async () => {
      const { run } = await runOne(
        {
          pre: `
            console.log(insomnia.request.method, insomnia.request.url.toString(), insomnia.request.headers.get('x-old'), insomnia.request.body.raw, insomnia.request.auth.type);
            insomnia.request.method = 'PUT';
            insomnia.request.url.addQueryParams('added=1');
            insomnia.request.headers.add({ key: 'X-Hello', value: 'hello' });
            insomnia.request.removeHeader('x-old');
            insomnia.request.body.update({ mode: 'raw', raw: 'rawContent' });
            insomnia.request.auth.update({ type: 'bearer', bearer: [{ key: 'token', value: 'tokenValue' }, { key: 'prefix', value: 'CustomTokenPrefix' }] }, 'bearer');`,
        },
        { method: 'POST', headers: [{ name: 'X-Old', value: 'old' }], body: { mimeType: 'text/plain', text: 'before' }, authentication: { type: 'basic', username: 'u', password: 'p' } },
      );
      assert.equal(run.console[0].text, `POST {{ _.base_url }}/echo old before basic`);
      const e = echoed(run);
      assert.equal(e.method, 'PUT');
      assert.equal(new URL(e.url, server.httpUrl).searchParams.get('added'), '1');
      assert.equal(e.headers['x-hello'], 'hello');
      assert.equal(e.headers['x-old'], undefined);
      assert.equal(e.body, 'rawContent');
      assert.equal(e.headers.authorization, 'CustomTokenPrefix tokenValue');
    });

    it('after the response: insomnia.request is the request as sent, one object, that a script may replace (even by undefined)', async () => {
      // the after-response `insomnia.request` is made on first read: reading, keeping, replacing and enumerating it
      // behave as a plain property would; a replaced pre-request one changes nothing of what is sent
      const { run } = await runOne(
        {
          pre: `insomnia.request.addHeader({ key: 'X-Pre', value: 'pre' }); insomnia.request = { url: 'http://replaced.invalid/' };`,
          post: `
            const first = insomnia.request;
            console.log(first === insomnia.request, first.method, first.url.toString(), first.headers.get('x-old'), first.headers.get('x-pre'), Object.keys(insomnia).includes('request'));
            insomnia.request = 'mine';
            console.log(insomnia.request, JSON.stringify({ ...insomnia, response: 0, variables: 0 }).includes('"request":"mine"'));
            insomnia.request = undefined;
            console.log(String(insomnia.request));`,
        },
        { method: 'POST', headers: [{ name: 'X-Old', value: 'old' }] },
      );
      assert.ok(!run.error, run.error?.message);
      assert.deepEqual(run.console.map((l) => l.text), ['true POST {{ _.base_url }}/echo old undefined true', 'mine true', 'undefined']);
      const e = echoed(run);
      assert.equal(e.headers['x-pre'], 'pre');
      assert.equal(e.method, 'POST');
    });

    it('sees the headers and auth it inherits from its folders; basic auth set by a script is sent', async () => {
      const req = request('req_1', { parentId: 'fld_1', url: '{{ _.base_url }}/echo', scripts: { preRequest: `console.log(insomnia.request.headers.get('x-folder')); insomnia.request.auth.update({ type: 'basic', basic: [{ key: 'username', value: 'myName' }, { key: 'password', value: 'myPwd' }] }, 'basic');`, afterResponse: '' } });
      const c = collection([folder('fld_1', [req], { headers: [{ name: 'X-Folder', value: 'from folder' }] })], { base_url: server.httpUrl });
      const run = await session(c).runRequest(req);
      assert.equal(run.console[0].text, 'from folder');
      const e = echoed(run);
      assert.equal(e.headers['x-folder'], 'from folder');
      assert.equal(e.headers.authorization, `Basic ${Buffer.from('myName:myPwd').toString('base64')}`);
    });

    it('folder scripts run before the request\'s own, outermost first, sharing one insomnia object', async () => {
      const req = request('req_1', { parentId: 'fld_in', url: '{{ _.base_url }}/echo', scripts: { preRequest: `insomnia.environment.set('order', insomnia.environment.get('order') + ',request')`, afterResponse: `console.log('after', insomnia.environment.get('order'))` } });
      const inner = folder('fld_in', [req]);
      inner.scripts = { preRequest: `insomnia.environment.set('order', insomnia.environment.get('order') + ',inner')`, afterResponse: `console.log('inner after')` };
      const outer = folder('fld_out', [inner]);
      outer.scripts = { preRequest: `insomnia.environment.set('order', 'outer')`, afterResponse: '' };
      const c = collection([outer], { base_url: server.httpUrl });
      (inner as { parentId: string }).parentId = 'fld_out';
      const run = await session(c).runRequest(req);
      assert.deepEqual(run.console.filter((l) => l.level !== 'warn').map((l) => l.text), ['inner after', 'after outer,inner,request']);
      assert.ok(!run.error, run.error?.message);
    });
  });

  describe('the response and tests', () => {
    it('code, status, headers, text(), json() and responseTime; tests that pass and fail, with chai\'s message', async () => {
      const { run } = await runOne(
        {
          post: `
            insomnia.test('status is 200', () => insomnia.expect(insomnia.response.code).to.equal(200));
            insomnia.test('status text', () => insomnia.expect(insomnia.response.status).to.equal('OK'));
            insomnia.test('json body', () => insomnia.expect(insomnia.response.json().method).to.equal('POST'));
            insomnia.test('text body', () => insomnia.expect(insomnia.response.text()).to.include('"method"'));
            insomnia.test('content type header', () => insomnia.expect(insomnia.response.headers.get('Content-Type')).to.include('application/json'));
            insomnia.test('time', () => insomnia.expect(insomnia.response.responseTime).to.be.a('number'));
            insomnia.test('to.have.status', () => insomnia.response.to.have.status(200));
            insomnia.test('this one fails', () => insomnia.expect(insomnia.response.code).to.equal(404));
            insomnia.test('async fails too', async () => { await null; expect(1).to.be.oneOf([2, 3]); });
            insomnia.test.skip('skipped', () => {});`,
        },
        { method: 'POST' },
      );
      const byName = Object.fromEntries(run.tests.map((t) => [t.name, t]));
      for (const name of ['status is 200', 'status text', 'json body', 'text body', 'content type header', 'time', 'to.have.status']) assert.equal(byName[name].status, 'passed', `${name}: ${byName[name].error}`);
      assert.equal(byName['this one fails'].status, 'failed');
      assert.equal(byName['this one fails'].error, 'expected 200 to equal 404');
      assert.equal(byName['async fails too'].error, 'expected 1 to be one of [ 2, 3 ]');
      assert.equal(byName.skipped.status, 'skipped');
      assert.deepEqual(run.tests.map((t) => t.phase), run.tests.map(() => 'after-response'));
      assert.equal(run.error, undefined, 'failed tests are not an error');
    });

    it('Insomnia\'s own after-response example: happy and unhappy chai assertions', async () => {
      // after-response-collection.yaml (Insomnia's smoke test), "tests with expect and test"
      const { run } = await runOne({
        post: `insomnia.test('happy tests', () => {
  insomnia.expect(200).to.eql(200);
  insomnia.expect('uname').to.be.a('string');
  insomnia.expect('a').to.have.lengthOf(1);
  insomnia.expect('xxx_customer_id_yyy').to.include("customer_id");
  insomnia.expect(201).to.be.oneOf([201,202]);
  insomnia.expect(199).to.be.below(200);
  insomnia.expect({a: 1, b: 2}).to.have.all.keys('a', 'b');
  insomnia.expect({a: 1, b: 2}).to.have.any.keys('a', 'b');
  insomnia.expect({a: 1, b: 2}).to.not.have.any.keys('c', 'd');
  insomnia.expect({a: 1}).to.have.property('a');
  insomnia.expect({a: 1, b: 2}).to.be.a('object').that.has.all.keys('a', 'b');
});
insomnia.test('unhappy tests', () => {
  insomnia.expect(199).to.eql(200);
  insomnia.expect(199).to.be.oneOf([201,202]);
});`,
      });
      assert.deepEqual(run.tests.map((t) => [t.name, t.status, t.error]), [
        ['happy tests', 'passed', undefined],
        ['unhappy tests', 'failed', 'expected 199 to deeply equal 200'],
      ]);
    });

    it('sendRequest: await and callback, with a body; info and execution', async () => {
      const { run } = await runOne({
        pre: `
          const viaAwait = await insomnia.sendRequest({ url: insomnia.environment.get('base_url') + '/echo', method: 'POST', body: { mode: 'raw', raw: 'hi' } });
          console.log(viaAwait.code, viaAwait.json().method, viaAwait.json().body);
          insomnia.sendRequest(insomnia.environment.get('base_url') + '/status/418', (err, res) => console.log('callback', err, res.code));
          console.log(insomnia.info.requestName, insomnia.info.requestId, insomnia.info.eventName, insomnia.execution.location.current);`,
      });
      assert.deepEqual(run.console.map((l) => l.text), ['200 POST hi', 'Echo req_1 prerequest Echo', 'callback undefined 418']);
    });

    it('a body too large for memory, spilled to a temp file: removed once the script (insomnia.sendRequest) or the run has it, kept only for a caller that asks (Send shows it whole)', async () => {
      const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-spills-'));
      try {
        const req = request('req_1', { name: 'Big', url: '{{ _.base_url }}/big?mb=1', scripts: { preRequest: `const r = await insomnia.sendRequest(insomnia.environment.get('base_url') + '/big?mb=1'); console.log(r.code);`, afterResponse: '' } });
        const c = collection([req], { base_url: server.httpUrl });
        const spilling = () => new RunSession(c, undefined, { sandbox, send: (r, signal) => sendRequest(r, { signal, followRedirects: true, rejectUnauthorized: true, maxBodyInMemory: 64 * 1024, tempDir: tmp }) });
        const run = await spilling().runRequest(req);
        assert.deepEqual(run.console.map((l) => l.text), ['200']);
        assert.equal(run.response?.status, 200);
        assert.equal(run.response?.bodyFile, undefined, 'no file named');
        assert.deepEqual(await fsp.readdir(tmp), [], 'none left in the temp folder');
        const keeping = spilling();
        keeping.keepBodyFiles = true;
        const kept = await keeping.runRequest(req);
        assert.ok(kept.response?.bodyFile);
        assert.equal((await fsp.stat(kept.response.bodyFile)).size, 1024 * 1024);
        assert.deepEqual(await fsp.readdir(tmp), [path.basename(kept.response.bodyFile)], 'the script\'s own is still removed');
      } finally {
        await fsp.rm(tmp, { recursive: true, force: true });
      }
    });

    it('execution.skipRequest(): the request is not sent', async () => {
      const { run } = await runOne({ pre: `insomnia.execution.skipRequest()`, post: `console.log('never')` });
      assert.equal(run.skipped, true);
      assert.equal(run.response, undefined);
      assert.equal(run.console.length, 0);
    });
  });

  describe('a login chain', () => {
    it('an after-response script stores the token; the next request sends it; Insomnia\'s order and persistence', async () => {
      const loginReq = request('req_login', {
        name: 'Login',
        method: 'POST',
        url: '{{ _.auth_url }}/login',
        body: { mimeType: 'application/json', text: '{"user": "ada", "password": "{{ _.password }}"}' },
        headers: [{ name: 'Content-Type', value: 'application/json' }],
        scripts: {
          preRequest: '',
          afterResponse: `
            insomnia.test('logged in', () => insomnia.expect(insomnia.response.code).to.equal(200));
            insomnia.environment.set('token', insomnia.response.json().token);`,
        },
      });
      const me = request('req_me', {
        name: 'Me',
        url: '{{ _.auth_url }}/me',
        authentication: { type: 'bearer', token: '{{ _.token }}' },
        scripts: { preRequest: '', afterResponse: `insomnia.test('is ada', () => insomnia.expect(insomnia.response.json().user).to.equal('ada'));` },
      });
      const c = collection([loginReq, me], { auth_url: login.url }, { env_sub: { password: 'lovelace' } });
      const s = session(c, 'env_sub');
      const first = await s.runRequest(loginReq);
      const second = await s.runRequest(me);
      assert.deepEqual([...first.tests, ...second.tests].map((t) => [t.name, t.status]), [['logged in', 'passed'], ['is ada', 'passed']]);
      const token = s.changedEnvironments.get('env_sub')?.token as string;
      assert.ok(login.tokens.has(token), 'the token the server issued is in the environment');
      assert.equal(c.baseEnvironment!.subEnvironments[0].data.token, undefined, 'the collection passed in is not changed');
      assert.equal(s.collection.baseEnvironment!.subEnvironments[0].data.token, token);
      // without the login, /me is not sent (no token to render), and with a wrong one it is refused
      const fresh = await session(c, 'env_sub').runRequest(me);
      assert.equal(fresh.error?.stage, 'render');
      assert.match(fresh.error!.message, /token/);
      const wrong = await session(collection([loginReq, me], { auth_url: login.url, token: 'forged' })).runRequest(me);
      assert.equal(wrong.response?.status, 401);
      assert.equal(wrong.tests[0].status, 'failed');
    });
  });

  describe('modules a script may require', () => {
    it('chai, lodash (also as _), moment, uuid, crypto-js, ajv, tv4, xml2js, csv-parse, atob/btoa and node modules', async () => {
      const { run } = await runOne({
        pre: `
          const out = {};
          out.chai = typeof require('chai').expect === 'function';
          out.lodash = require('lodash').chunk([1, 2, 3], 2).length === 2 && _.uniq([1, 1]).length === 1;
          out.moment = require('moment')('2024-01-02').format('YYYY') === '2024';
          out.uuid = require('uuid').v4().length === 36 && require('uuid').NIL === '00000000-0000-0000-0000-000000000000';
          out.crypto = require('crypto-js').SHA256('abc').toString() === 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
          const Ajv = require('ajv'); out.ajv = new (Ajv.default || Ajv)().validate({ type: 'number' }, 1);
          out.tv4 = require('tv4').validate(1, { type: 'number' });
          out.xml2js = await new Promise((r) => require('xml2js').parseString('<a>1</a>', (e, v) => r(!e && v.a === '1')));
          out.csv = require('csv-parse/lib/sync').parse('a,b\\n1,2', { columns: true })[0].b === '2';
          out.atob = require('atob')('aGk=') === 'hi' && atob(btoa('x')) === 'x';
          out.path = require('path').join('a', '..', 'b') === 'b';
          out.buffer = require('buffer').Buffer.from('hi').toString('base64') === 'aGk=';
          out.util = require('util').format('%s!', 'x') === 'x!';
          out.url = require('url').parse('http://a.b/c?d=1').pathname === '/c';
          out.querystring = require('querystring').stringify({ a: 1 }) === 'a=1';
          out.punycode = require('punycode').toASCII('mañana.com') === 'xn--maana-pta.com';
          out.events = typeof require('events').EventEmitter === 'function';
          out.assert = (() => { try { require('assert').strictEqual(1, 2); return false; } catch { return true; } })();
          out.stringDecoder = new (require('string_decoder').StringDecoder)('utf8').write(require('buffer').Buffer.from('é')) === 'é';
          out.stream = typeof require('stream').Readable === 'function';
          out.timers = typeof require('timers').setTimeout === 'function';
          out.collection = new (require('insomnia-collection').Header)({ key: 'k', value: 'v' }).toString() === 'k: v';
          console.log(JSON.stringify(out));`,
      });
      assert.ok(!run.error, run.error?.message);
      const out = JSON.parse(run.console[0].text) as Record<string, boolean>;
      for (const [name, ok] of Object.entries(out)) assert.equal(ok, true, name);
      assert.equal(Object.keys(out).length, 22);
    });
  });

  describe('isolation and limits', () => {
    it('require("fs") and process.exit are refused, with a message that says why', async () => {
      const fsRun = (await runOne({ pre: `const fs = require('fs');\nfs.readFileSync('/etc/passwd')` })).run;
      assert.equal(fsRun.error?.stage, 'pre-request script');
      assert.match(fsRun.error!.message, /^pre-request script of request "Echo", line 1:\d+: Cannot require "fs": a script may require only/);
      assert.equal(fsRun.response, undefined, 'not sent');
      const exitRun = (await runOne({ pre: `process.exit(1)` })).run;
      assert.match(exitRun.error!.message, /process\.exit is not available: scripts run in a sandbox/);
      for (const name of ['child_process', 'node:fs', 'http', 'worker_threads', 'vm', '../../../src/http']) {
        const r = (await runOne({ pre: `require(${JSON.stringify(name)})` })).run;
        assert.match(r.error!.message, /Cannot require/, name);
      }
    });

    it('the worker\'s realm is out of reach: constructor chains, stack traces and globals give no process, require or fs', async () => {
      const attempts = [
        `this.constructor.constructor('return process')()`,
        `insomnia.constructor.constructor('return process')()`,
        `insomnia.environment.get.constructor('return process')()`,
        `require.constructor('return typeof require === "function" ? require : process')()`,
        `console.log.constructor('return process')()`,
        `insomnia.expect.constructor('return process')()`,
        `(async () => {}).constructor('return process')()`,
        `Object.getPrototypeOf(globalThis).constructor.constructor('return process')()`,
        `globalThis.process`,
        `typeof module !== 'undefined' ? module : undefined`,
        `globalThis.require`,
        `(() => { try { null.x } catch (e) { return e.constructor.constructor('return process')() } })()`,
      ];
      for (const expr of attempts) {
        const { run } = await runOne({ pre: `let got; try { got = ${expr}; } catch (e) { got = 'threw'; }\nconsole.log(got === undefined ? 'undefined' : got === 'threw' ? 'threw' : (() => { try { return typeof got.exit === 'function' || typeof got.readFileSync === 'function' ? 'ESCAPED' : 'harmless'; } catch { return 'threw'; } })())` });
        assert.ok(!run.error, `${expr}: ${run.error?.message}`);
        assert.notEqual(run.console[0]?.text, 'ESCAPED', expr);
        assert.ok(['undefined', 'threw', 'harmless'].includes(run.console[0]?.text), `${expr}: ${run.console[0]?.text}`);
      }
    });

    it('a script that replaces the context\'s Array methods is handed nothing of the worker\'s realm by later runs', async () => {
      // the scripts of one worker share a context: what one script replaces, the worker's next calls into it meet
      const trap = `globalThis.__originals = {};
        const leak = (x) => { try { const p = x && x.constructor && x.constructor.constructor('return process')(); if (p && typeof p.exit === 'function') globalThis.__escaped = 'ESCAPED'; } catch (e) {} };
        for (const name of ['concat', 'push', 'slice', 'map', 'forEach', 'filter']) {
          const original = Array.prototype[name];
          globalThis.__originals[name] = original;
          Array.prototype[name] = function (...args) { leak(this); for (let i = 0; i < args.length; i++) leak(args[i]); return original.apply(this, args); };
        }`;
      await runOne({ pre: trap });
      const { run } = await runOne({ pre: `console.log(globalThis.__escaped || 'safe');`, post: `console.log(globalThis.__escaped || 'safe');` });
      await runOne({ pre: `for (const [name, f] of Object.entries(globalThis.__originals)) Array.prototype[name] = f;` });
      assert.ok(!run.error, run.error?.message);
      assert.deepEqual(run.console.map((l) => l.text), ['safe', 'safe']);
    });

    it('a script that loops forever is stopped at the limit, with a clear message; the next script runs', async () => {
      const started = Date.now();
      const { run } = await runOne({ pre: `let i = 0;\nwhile (true) { i++; }` });
      const took = Date.now() - started;
      assert.equal(run.error?.script?.kind, 'timeout');
      assert.match(run.error!.message, /^Pre-request script of request "Echo" ran longer than 3000 ms and was stopped/);
      assert.equal(run.error?.script?.script, 'pre-request script of request "Echo"');
      // (a timer counts from the event loop's cached time, which can be a millisecond before `started`)
      assert.ok(took >= 2990 && took < 8000, `stopped after ${took} ms`);
      assert.equal(run.response, undefined);
      const after = (await runOne({ pre: `insomnia.environment.set('ok', 1)` })).run;
      assert.ok(!after.error && after.response, 'a fresh worker runs the next script');
      const hang = (await runOne({ post: `await new Promise(() => {});` })).run;
      assert.equal(hang.error?.stage, 'after-response script');
      assert.equal(hang.error?.script?.kind, 'timeout');
      assert.ok(hang.response, 'the request itself was sent');
    });

    it('insomnia.sendRequest: at most 6 in flight per script; a stopped script\'s requests are cancelled, its queued ones never sent', async function () {
      this.timeout(30_000);
      // a server that holds every request until the test lets it go, counting what is open at once
      let open = 0;
      let most = 0;
      let arrived = 0;
      let closedEarly = 0;
      let onIdle: (() => void) | undefined;
      const held: http.ServerResponse[] = [];
      const srv = http.createServer((req, res) => {
        arrived++;
        open++;
        most = Math.max(most, open);
        res.on('close', () => {
          open--;
          if (!res.writableEnded) closedEarly++;
          if (open === 0) onIdle?.();
        });
        held.push(res);
        if (req.url === '/answer') res.end('{}');
      });
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
      try {
        // 40 requests the script fires at once and waits for: the server sees them 6 at a time
        const release = setInterval(() => held.splice(0).forEach((r) => r.end('{}')), 20);
        const { run } = await runOne({ pre: `const all = []; for (let i = 0; i < 40; i++) all.push(insomnia.sendRequest(insomnia.environment.get('api') + '/held')); const rs = await Promise.all(all); console.log(rs.filter((r) => r && r.code === 200).length);` }, {}, { base: { api: url } });
        clearInterval(release);
        assert.ok(!run.error, run.error?.message);
        assert.deepEqual(run.console.map((l) => l.text), ['40']);
        assert.equal(arrived, 40);
        assert.ok(most <= 6 && most >= 2, `at most 6 at once, saw ${most}`);
        // a script that fires 40 and then never ends: stopped at the time limit, its 6 open requests cancelled, the
        // other 34 never sent
        arrived = 0;
        most = 0;
        const { run: stopped } = await runOne({ pre: `for (let i = 0; i < 40; i++) insomnia.sendRequest(insomnia.environment.get('api') + '/held'); await new Promise(() => {});` }, {}, { base: { api: url } });
        assert.equal(stopped.error?.script?.kind, 'timeout');
        if (open > 0) await new Promise<void>((r) => (onIdle = r));
        assert.equal(arrived, 6, 'only the first 6 reached the server');
        assert.equal(closedEarly, 6, 'and they were cancelled when the script was stopped');
      } finally {
        held.splice(0).forEach((r) => r.end());
        srv.closeAllConnections();
        await new Promise<void>((r) => srv.close(() => r()));
      }
    });

    it('a script that takes all memory is stopped at the memory limit', async function () {
      // judged by memory alone: with the suite's 3 s time limit, a busy machine's garbage collections near the heap
      // limit could stop it for its time first
      this.timeout(60_000);
      const roomy = new ScriptSandbox({ timeoutMs: 45_000 });
      try {
        const req = request('req_1', { name: 'Echo', url: '{{ _.base_url }}/echo', scripts: { preRequest: `const keep = []; while (true) keep.push(new Array(1e5).fill('x'));`, afterResponse: '' } });
        const c = collection([req], { base_url: server.httpUrl }, {});
        const run = await new RunSession(c, undefined, { sandbox: roomy, send: (r) => sendRequest(r, { followRedirects: true, rejectUnauthorized: true }) }).runRequest(req);
        assert.equal(run.error?.script?.kind, 'memory');
        assert.match(run.error!.message, /used more than the 128 MB a script may use/);
      } finally {
        await roomy.dispose();
      }
    });

    it('a script that throws leaves the environments as they were: what it set before the error is not kept, as in Insomnia', async () => {
      // (Insomnia's script window answers a thrown error with the error alone: the environment it changed is dropped)
      const after = await runOne({ post: `insomnia.environment.set('token', 'half');\ninsomnia.response.json().missing.field;` }, {}, { sub: { token: 'old' } });
      assert.equal(after.run.error?.stage, 'after-response script');
      assert.equal(after.s.changedEnvironments.size, 0, `changed: ${JSON.stringify([...after.s.changedEnvironments])}`);
      const before = await runOne({ pre: `insomnia.environment.set('token', 'half');\nthrow new Error('stop');` }, {}, { sub: { token: 'old' } });
      assert.equal(before.run.error?.stage, 'pre-request script');
      assert.equal(before.s.changedEnvironments.size, 0);
      // and one that does not throw keeps what it set
      const ok = await runOne({ post: `insomnia.environment.set('token', 'new');` }, {}, { sub: { token: 'old' } });
      assert.equal(ok.s.changedEnvironments.get('env_sub')?.token, 'new');
    });

    it('a script error names the request, the script and the line; a syntax error too', async () => {
      const { run } = await runOne({ post: `const a = 1;\n\nconst body = insomnia.response.json();\nbody.missing.field;` });
      assert.equal(run.error?.stage, 'after-response script');
      assert.equal(run.error?.message, `after-response script of request "Echo", line 4:14: TypeError: Cannot read properties of undefined (reading 'field')`);
      const syntax = (await runOne({ pre: `const x = ;` })).run;
      assert.equal(syntax.error?.script?.kind, 'syntax');
      assert.match(syntax.error!.message, /^pre-request script of request "Echo", line 1: SyntaxError: Unexpected token/);
      const inFolder = request('req_2', { parentId: 'fld_a', name: 'Inner', url: '{{ _.base_url }}/echo' });
      const f = folder('fld_a', [inFolder]);
      f.name = 'Auth';
      f.scripts = { preRequest: `\n\nnotDefined()`, afterResponse: '' };
      const r = await session(collection([f], { base_url: server.httpUrl })).runRequest(inFolder);
      assert.equal(r.error?.message, `pre-request script of folder "Auth", line 3:1: ReferenceError: notDefined is not defined`);
    });
  });
});
