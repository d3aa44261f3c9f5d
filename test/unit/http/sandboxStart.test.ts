// The script sandbox's first job and its many jobs: a job given to a worker that is still starting is posted at once
// and runs once, as soon as the worker is ready (its time limit counting from then); a job cancelled while the worker
// starts never reaches the host; and the hundredth job of a worker (when V8 has optimised the runtime's job runner)
// gives what the first gave.
import { strict as assert } from 'node:assert';
import { ScriptSandbox } from '../../../src/http';
import type { HostCall, RequestScriptJob, ScriptResponseData } from '../../../src/http/scripts/scriptProtocol';
import { sandboxDir } from '../../support/sandbox';

before(async function () {
  this.timeout(120_000);
  await sandboxDir();
});

function job(code: string, event: 'prerequest' | 'test' = 'prerequest', realm = 'start-test', globals: Record<string, unknown> = {}): RequestScriptJob {
  return {
    kind: 'request',
    realm,
    event,
    parts: [{ name: `${event === 'test' ? 'after-response' : 'pre-request'} script of request "R"`, code }],
    request: { id: 'req_r', name: 'R', method: 'GET', url: 'http://127.0.0.1:1/echo', headers: [], parameters: [{ name: 'q', value: '1' }], pathParameters: [], body: {}, authentication: { type: 'none' } },
    response: event === 'test' ? { code: 200, status: 'OK', headers: [['content-type', 'application/json']], body: '{"ok":true}', responseTime: 3, size: 11 } : undefined,
    environment: { id: 'env_sub', name: 'Sub', data: { base_url: 'http://127.0.0.1:1' } },
    baseEnvironment: { id: 'env_base', name: 'Base Environment', data: {} },
    globals,
    iteration: 1,
    iterationCount: 1,
    location: ['C', 'R'],
  };
}

function hooks(calls: HostCall[] = []): { call(c: HostCall): Promise<ScriptResponseData> } {
  return {
    call: (c) => {
      calls.push(c);
      return Promise.resolve({ code: 200, status: 'OK', headers: [], body: '', responseTime: 0, size: 0 });
    },
  };
}

const COUNT = `globalThis.runs = (globalThis.runs ?? 0) + 1; insomnia.globals.set('runs', globalThis.runs);`;

describe('script sandbox: a worker that is still starting', function () {
  this.timeout(60_000);

  it('a job given before the worker is ready runs once, when it is ready; the next runs on the same worker and realm', async () => {
    const sandbox = new ScriptSandbox({ timeoutMs: 5000 });
    try {
      // nothing started yet: the first job is posted while the worker starts
      const first = await sandbox.run(job(COUNT), hooks());
      assert.equal(first.error, undefined);
      assert.deepEqual(first.globals, { runs: 1 });
      const second = await sandbox.run(job(COUNT), hooks());
      assert.equal(second.error, undefined);
      assert.deepEqual(second.globals, { runs: 2 }, 'the first job ran once, in the realm the second runs in');
    } finally {
      await sandbox.dispose();
    }
  });

  it('warm() then a job at once: the job waits for the start, runs once and its outcome is whole', async () => {
    const sandbox = new ScriptSandbox({ timeoutMs: 5000 });
    try {
      sandbox.warm();
      const outcome = await sandbox.run(job(`${COUNT} console.log('hello'); insomnia.environment.set('x', 1);`), hooks());
      assert.equal(outcome.error, undefined);
      assert.deepEqual(outcome.globals, { runs: 1 });
      assert.deepEqual(outcome.environment, { base_url: 'http://127.0.0.1:1', x: 1 });
      assert.deepEqual(outcome.console.map((l) => l.text), ['hello']);
    } finally {
      await sandbox.dispose();
    }
  });

  it('a first job that loops forever is stopped at its limit and named, and the sandbox goes on with a fresh worker', async () => {
    const sandbox = new ScriptSandbox({ timeoutMs: 400 });
    try {
      const started = performance.now();
      const looping = await sandbox.run(job('while (true) {}'), hooks());
      assert.equal(looping.error?.kind, 'timeout');
      assert.match(looping.error!.message, /Pre-request script of request "R" ran longer than 400 ms/);
      assert.ok(performance.now() - started < 20_000);
      const next = await sandbox.run(job(COUNT), hooks());
      assert.equal(next.error, undefined);
      assert.deepEqual(next.globals, { runs: 1 }, 'a fresh worker, a fresh realm');
    } finally {
      await sandbox.dispose();
    }
  });

  it('a job cancelled while its worker starts never runs: the host hears nothing of it, and the next job runs', async () => {
    const sandbox = new ScriptSandbox({ timeoutMs: 5000 });
    try {
      const calls: HostCall[] = [];
      const controller = new AbortController();
      const pending = sandbox.run(job(`await insomnia.sendRequest('http://127.0.0.1:1/cancelled'); ${COUNT}`), hooks(calls), controller.signal);
      controller.abort();
      const cancelled = await pending;
      assert.equal(cancelled.error?.message, 'Cancelled');
      const next = await sandbox.run(job(`await insomnia.sendRequest('http://127.0.0.1:1/next'); ${COUNT}`), hooks(calls));
      assert.equal(next.error, undefined);
      assert.deepEqual(next.globals, { runs: 1 });
      assert.deepEqual(calls.map((c) => (c.op === 'sendRequest' ? c.request.url : c.op)), ['http://127.0.0.1:1/next']);
    } finally {
      await sandbox.dispose();
    }
  });
});

describe('script sandbox: many jobs on one worker', function () {
  this.timeout(120_000);

  it('the 300th pre-request and after-response jobs give what the first gave (the runtime optimised by V8 on the way)', async () => {
    const sandbox = new ScriptSandbox({ timeoutMs: 5000 });
    try {
      const pre = (i: number) =>
        job(`insomnia.variables.set('i', ${i + 1}); insomnia.environment.set('last', ${i}); insomnia.request.addHeader({ key: 'X-I', value: String(${i}) }); console.log('pre', insomnia.variables.get('i'), insomnia.request.url.toString());`);
      const post = (i: number) =>
        job(`insomnia.test('status is 200', () => insomnia.expect(insomnia.response.code).to.equal(200)); insomnia.test('fails at ${i}', () => insomnia.expect(${i + 1}).to.equal(-1)); insomnia.globals.set('seen', ${i}); console.log('post', insomnia.response.json().ok);`, 'test');
      for (let i = 0; i < 300; i++) {
        const a = await sandbox.run(pre(i), hooks());
        assert.equal(a.error, undefined);
        assert.deepEqual(a.environment, { base_url: 'http://127.0.0.1:1', last: i });
        assert.deepEqual(a.baseEnvironment, {});
        assert.deepEqual(a.console.map((l) => l.text), [`pre ${i + 1} http://127.0.0.1:1/echo?q=1`]);
        assert.deepEqual(a.request?.headers, [{ name: 'X-I', value: String(i) }]);
        assert.equal(a.request?.url, 'http://127.0.0.1:1/echo?q=1');
        const b = await sandbox.run(post(i), hooks());
        assert.equal(b.error, undefined);
        assert.deepEqual(b.tests.map((t) => [t.name, t.status, t.error]), [
          ['status is 200', 'passed', undefined],
          [`fails at ${i}`, 'failed', `expected ${i + 1} to equal -1`],
        ]);
        assert.deepEqual(b.globals, { seen: i });
        assert.equal(b.request, undefined);
        assert.deepEqual(b.console.map((l) => l.text), ['post true']);
      }
    } finally {
      await sandbox.dispose();
    }
  });
});

describe('script sandbox: the runtime\'s code cache', function () {
  this.timeout(120_000);

  it('a worker started after another ran its jobs compiles the runtime from that worker\'s code cache, and its jobs give the same outcomes', async () => {
    const scripts = (i: number) => [
      job(`insomnia.variables.set('i', ${i}); insomnia.request.addHeader({ key: 'X-I', value: String(${i}) }); console.log(insomnia.request.url.toString());`),
      job(`insomnia.test('ok', () => insomnia.expect(insomnia.response.code).to.equal(200)); insomnia.test('no', () => insomnia.expect(${i}).to.equal(-1)); insomnia.globals.set('seen', insomnia.response.json().ok);`, 'test'),
    ];
    const runAll = async (sandbox: ScriptSandbox) => {
      const outcomes: unknown[] = [];
      for (let i = 0; i < 12; i++) {
        for (const j of scripts(i)) {
          const o = await sandbox.run(j, hooks());
          outcomes.push({ ...o, tests: o.tests.map((t) => [t.name, t.status, t.error]) });
        }
      }
      return outcomes;
    };
    const first = new ScriptSandbox({ timeoutMs: 5000 });
    let before: unknown[];
    try {
      before = await runAll(first);
    } finally {
      await first.dispose();
    }
    const second = new ScriptSandbox({ timeoutMs: 5000 });
    try {
      const after = await runAll(second);
      assert.equal(second.workersFromCodeCache, 1, 'the second sandbox\'s worker started from the code cache');
      assert.deepEqual(after, before);
    } finally {
      await second.dispose();
    }
  });
});

describe('script sandbox: a job and the job chained after it', function () {
  this.timeout(60_000);

  it('the first outcome reaches the host while the chained job still waits, not when it ends; both whole', async () => {
    const sandbox = new ScriptSandbox();
    try {
      const first = job(`insomnia.environment.set('first', 1);`, 'test', 'held-test');
      const next = job(`await new Promise((r) => setTimeout(r, 1500)); insomnia.environment.set('second', insomnia.environment.get('first') + 1);`, 'prerequest', 'held-test');
      const started = performance.now();
      const { first: a, second: b } = sandbox.runChained(first, { job: next, bail: false }, hooks());
      const one = await a;
      const firstAt = performance.now() - started;
      const two = await b;
      const secondAt = performance.now() - started;
      assert.deepEqual(one.environment, { base_url: 'http://127.0.0.1:1', first: 1 });
      assert.deepEqual(two?.environment, { base_url: 'http://127.0.0.1:1', first: 1, second: 2 });
      assert.ok(secondAt >= 1400, `the chained job waited (${secondAt.toFixed(0)} ms)`);
      assert.ok(firstAt < secondAt - 700, `the first outcome came at ${firstAt.toFixed(0)} ms, the second at ${secondAt.toFixed(0)} ms`);
    } finally {
      await sandbox.dispose();
    }
  });
});
