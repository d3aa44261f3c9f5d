// Insomnia's own smoke tests for scripts and unit tests, run by Hammock: the fixtures of
// packages/insomnia-smoke-test/fixtures (Kong/insomnia 10.1.1, copied in test/fixtures/import/insomnia-smoke, see
// SOURCES.md) imported as Hammock imports them, their requests sent to a loopback server that answers as Insomnia's
// smoke-test server does (server/index.ts: `/echo` -> {method, headers, data, cookies}, `/` -> 200, else 404), and the
// expectations of pre-request-script-features.test.ts and after-response-script-features.test.ts checked.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { importText } from '../../../src/collections/convert/importText';
import type { Collection, HttpRequest, Item } from '../../../src/collections/model';
import { walkItems } from '../../../src/collections/model';
import { loadWorkspace } from '../../../src/collections/scan';
import { closeConnections, RunSession, ScriptSandbox, sendRequest } from '../../../src/http';
import { sandboxDir } from '../../support/sandbox';

const SMOKE = path.resolve(process.cwd(), 'test/fixtures/import/insomnia-smoke');

let sandbox: ScriptSandbox;
let smoke: { host: string; close: () => Promise<void> };

/** Insomnia's smoke-test server, the routes these fixtures use. */
async function startSmokeServer(): Promise<typeof smoke> {
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/echo') {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ method: req.method, headers: req.headers, data: Buffer.concat(chunks).toString('utf8'), cookies: {} }));
      } else if (url.pathname === '/') {
        res.writeHead(200).end();
      } else {
        res.writeHead(404, { 'content-type': 'text/html' }).end('Cannot GET');
      }
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${(srv.address() as AddressInfo).port}`,
    close: () =>
      new Promise((r) => {
        srv.close(() => r());
        srv.closeAllConnections();
      }),
  };
}

/** A fixture as Hammock imports it, its requests sent to the stand-in server instead of Insomnia's port 4010. */
function load(file: string): Collection {
  const text = readFileSync(path.join(SMOKE, file), 'utf8').replace(/(127\.0\.0\.1|localhost):4010/g, smoke.host);
  const result = importText(text, file);
  assert.equal(result.collections.length, 1);
  return result.collections[0];
}

function byName(c: Collection, name: string): HttpRequest {
  const found = [...walkItems(c.children)].filter((i: Item) => i.name === name);
  assert.equal(found.length, 1, name);
  assert.equal(found[0].kind, 'request');
  return found[0] as HttpRequest;
}

function session(c: Collection): RunSession {
  return new RunSession(c, undefined, { sandbox, send: (r) => sendRequest(r, { followRedirects: true, rejectUnauthorized: true }) });
}

before(async function () {
  this.timeout(120_000);
  await sandboxDir();
  sandbox = new ScriptSandbox();
  smoke = await startSmokeServer();
});

after(async () => {
  await sandbox.dispose();
  await closeConnections();
  await smoke.close();
});

describe('Insomnia\'s smoke tests, run by Hammock', function () {
  this.timeout(30_000);

  it('unit-test.yaml: the unit test suite sends request A (200) and request B (404), as inso run test does', async () => {
    const c = load('unit-test.insomnia-v4.yaml');
    assert.equal(c.testSuites?.length, 1);
    const run = await session(c).runUnitTests(c.testSuites!);
    const sorted = [...run.tests].sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(sorted.map((t) => [t.suite, t.name, t.status, t.error]), [
      ['Existing Test Suite', 'Request A is found', 'passed', undefined],
      ['Existing Test Suite', 'Request B is not found', 'passed', undefined],
    ]);
    assert.deepEqual(run.requests.map((r) => r.response?.status).sort(), [200, 404]);
  });

  it('inso\'s own git-repo fixture (legacy .insomnia): two suites, one failing test, activeRequestId set per test', async () => {
    const snapshot = await loadWorkspace(path.resolve(process.cwd(), 'test/fixtures/legacy/inso-fixture-alphabetical'));
    const c = snapshot.collections[0];
    const run = await session(c).runUnitTests(c.testSuites!);
    const results = Object.fromEntries(run.tests.map((t) => [t.name, [t.status, t.error]]));
    assert.deepEqual(results, {
      'One plus one is two': ['passed', undefined],
      'Expect active request to be set': ['passed', undefined],
      'Test should succeed': ['passed', undefined],
      'Test should fail': ['failed', 'expected true to not equal true (line 1)'],
    });
    const bail = await session(c).runUnitTests(c.testSuites!, { bail: true });
    assert.equal(bail.tests.filter((t) => t.status === 'failed').length, 1);
    const filtered = await session(c).runUnitTests(c.testSuites!, { testNamePattern: 'plus' });
    assert.deepEqual(filtered.tests.map((t) => t.name), ['One plus one is two']);
  });

  describe('pre-request-collection.yaml (pre-request-script-features.test.ts)', () => {
    // the test cases whose expectation is the echoed body (`expectedBody`), as Insomnia's smoke test lists them
    const cases: [name: string, expected: unknown][] = [
      ['environments setting and overriding', { fallbackToBase: 'fallbackToBase', scriptValue: 'fromEnv', preDefinedValue: 'fromScript', folderEnv: 'fromFolder' }],
      ['variables / manipulate variables and set them to environment', { varStr: 'varStr', varNum: 777, varBool: true }],
      ['eval() works in script', { evalResult: 16 }],
      ['require node.js modules', { path: true, assert: true, buffer: true, util: true, url: true, punycode: true, querystring: true, stringDecoder: true, stream: true, timers: true, events: true }],
      ['require the uuid module', { uuid: '00000000-0000-0000-0000-000000000000' }],
      ['require external modules and built-in lodash', { atob: true, btoa: true, chai: true, cheerio: true, crypto: true, csv: true, lodash: true, moment: true, tv4: true, uuid: true, xml2js: true, builtInLodash: true }],
      ['not return until all Promise settled', { asyncTaskDone: true }],
      ['not return until all setTimeout finished', { asyncTaskDone: true }],
      ['not return until all async tasks finished', { asyncTaskDone: true }],
      ['run parent scripts only', { onlySetByFolderPreScript: 888 }],
      ['can manipulate global envs', { setByScript: 'setByScript' }],
    ];
    for (const [name, expected] of cases) {
      it(name, async () => {
        const c = load('pre-request-collection.insomnia-v4.yaml');
        const run = await session(c).runRequest(byName(c, name));
        assert.ok(!run.error, run.error?.message);
        assert.equal(run.response?.status, 200);
        const body = JSON.parse(run.response!.body.toString('utf8')) as { data: string };
        assert.deepEqual(JSON.parse(body.data), expected);
      });
    }

    it('insomnia.request manipulation: method, query, headers and body as the script left them', async () => {
      const c = load('pre-request-collection.insomnia-v4.yaml');
      const run = await session(c).runRequest(byName(c, 'insomnia.request manipulation'));
      const body = JSON.parse(run.response!.body.toString('utf8')) as { method: string; headers: Record<string, string>; data: string };
      assert.equal(body.method, 'GET');
      assert.equal(body.headers['x-hello'], 'hello');
      assert.equal(body.data, 'rawContent');
    });

    it('insomnia.request auth manipulation (bearer) and (basic)', async () => {
      const c = load('pre-request-collection.insomnia-v4.yaml');
      const bearer = JSON.parse((await session(c).runRequest(byName(c, 'insomnia.request auth manipulation (bearer)'))).response!.body.toString('utf8'));
      assert.equal(bearer.headers.authorization, 'CustomTokenPrefix tokenValue');
      const basic = JSON.parse((await session(c).runRequest(byName(c, 'insomnia.request auth manipulation (basic)'))).response!.body.toString('utf8'));
      assert.equal(basic.headers.authorization, `Basic ${Buffer.from('myName:myPwd', 'utf-8').toString('base64')}`);
    });

    it('require the url module: its URL parses as the WHATWG URL does', async () => {
      const c = load('pre-request-collection.insomnia-v4.yaml');
      const run = await session(c).runRequest(byName(c, 'require the url module'));
      assert.ok(!run.error, run.error?.message);
      assert.deepEqual(JSON.parse(JSON.parse(run.response!.body.toString('utf8')).data), {
        hash: '#hashcontent',
        host: 'insomnia.com:6666',
        hostname: 'insomnia.com',
        href: 'https://user:pwd@insomnia.com:6666/p1?q1=a&q2=b#hashcontent',
        origin: 'https://insomnia.com:6666',
        password: 'pwd',
        pathname: '/p1',
        port: '6666',
        protocol: 'https:',
        search: '?q1=a&q2=b',
        username: 'user',
        seachParam: 'q1=a&q2=b',
      });
    });

    it('get sendRequest response through await or callback', async () => {
      const c = load('pre-request-collection.insomnia-v4.yaml');
      const run = await session(c).runRequest(byName(c, 'get sendRequest response through await or callback'));
      assert.ok(!run.error, run.error?.message);
      const sent = JSON.parse(JSON.parse(run.response!.body.toString('utf8')).data);
      assert.equal(sent.bodyFromAwait.method, 'GET');
      assert.equal(sent.bodyFromCallback.method, 'GET');
    });

    it('insomnia.test: a passing and a failing test', async () => {
      const c = load('pre-request-collection.insomnia-v4.yaml');
      const run = await session(c).runRequest(byName(c, 'insomnia.test'));
      assert.deepEqual(run.tests.map((t) => [t.name, t.status]), [['happy tests', 'passed'], ['unhappy tests', 'failed']]);
    });

    it('persist environment: the base environment gets what environment, baseEnvironment and collectionVariables set', async () => {
      const c = load('pre-request-collection.insomnia-v4.yaml');
      const s = session(c);
      await s.runRequest(byName(c, 'persist environment'));
      const base = s.changedEnvironments.get(c.baseEnvironment!.id)!;
      assert.equal(base.__fromScript, 'environment');
      assert.equal(base.__fromScript1, 'baseEnvironment');
      assert.equal(base.__fromScript2, 'collection');
    });

    it('range, syntax, type and reference errors and an infinite loop stop the request with what went wrong and where', async () => {
      const c = load('pre-request-collection.insomnia-v4.yaml');
      const limited = new ScriptSandbox({ timeoutMs: 1500 });
      const s = new RunSession(c, undefined, { sandbox: limited, send: (r) => sendRequest(r, { followRedirects: true, rejectUnauthorized: true }) });
      const expect = async (name: string, pattern: RegExp) => {
        const run = await s.runRequest(byName(c, name));
        assert.equal(run.response, undefined, `${name}: not sent`);
        assert.match(run.error!.message, pattern, name);
      };
      await expect('Range error', /^pre-request script of request "Range error", line 1:\d+: RangeError: Invalid array length$/);
      await expect('Syntax error', /^pre-request script of request "Syntax error", line 1: SyntaxError: missing \) after argument list$/);
      await expect('Type error', /^pre-request script of request "Type error", line 2:\d+: ReferenceError: greetting is not defined$/);
      await expect('Reference error', /^pre-request script of request "Reference error", line 1:\d+: ReferenceError: foo is not defined$/);
      await expect('infinite loop', /^Pre-request script of request "infinite loop" ran longer than 1500 ms and was stopped/);
      const back = await s.runRequest(byName(c, 'simple log'));
      assert.deepEqual(back.console.filter((l) => l.level !== 'warn').map((l) => l.text), ['back to normal']);
      await limited.dispose();
    });
  });

  describe('after-response-collection.yaml (after-response-script-features.test.ts)', () => {
    it('tests with expect and test: one passes, one fails with chai\'s message', async () => {
      const c = load('after-response-collection.insomnia-v4.yaml');
      const run = await session(c).runRequest(byName(c, 'tests with expect and test'));
      assert.deepEqual(run.tests.map((t) => [t.name, t.status]), [['happy tests', 'passed'], ['unhappy tests', 'failed']]);
      assert.equal(run.tests[1].error, 'expected 199 to deeply equal 200');
    });

    it('persist environments: what the after-response script sets is in the base environment; faker variables render', async () => {
      const c = load('after-response-collection.insomnia-v4.yaml');
      const s = session(c);
      const run = await s.runRequest(byName(c, 'persist environments'));
      const base = s.changedEnvironments.get(c.baseEnvironment!.id)!;
      assert.equal(base.__fromAfterScript, 'environment');
      assert.equal(base.__fromAfterScript1, 'baseEnvironment');
      assert.equal(base.__fromAfterScript2, 'collection');
      assert.equal(run.error, undefined, run.error?.message);
    });
  });
});
