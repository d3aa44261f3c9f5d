// A request's after-response scripts and the next request's pre-request scripts go to the sandbox in one round trip
// (RunRequestOptions.next, ChainedJob). Oracle: the same run without it, one job per round trip as before. Random
// collections of scripts that read and write every kind of variable, keep state in their realm, jump with
// setNextRequest, skip, throw, fail tests, do not compile, under --bail or not, in the base, a sub or a private
// environment: every request's tests, console, errors, rendered URL, and the variables at the end are the same.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { closeConnections, RunSession, ScriptSandbox, sendRequest, type RequestRun } from '../../../src/http';
import type { Collection, Environment, HttpRequest } from '../../../src/collections/model';
import { startTestServer, type TestServer } from '../../support/httpServer';
import { sandboxDir } from '../../support/sandbox';
import { collection, request } from './modelBuilders';

let server: TestServer;
let sandbox: ScriptSandbox;
/** how many chained jobs the sandbox ran (the test would prove nothing if none were). */
let chainedRan = 0;

before(async function () {
  this.timeout(120_000);
  await sandboxDir();
  server = await startTestServer();
  sandbox = new ScriptSandbox({ timeoutMs: 3000 });
  const runChained = sandbox.runChained.bind(sandbox);
  sandbox.runChained = (job, next, hooks, signal) => {
    const r = runChained(job, next, hooks, signal);
    void r.second.then((o) => o && chainedRan++);
    return r;
  };
});

after(async () => {
  await sandbox.dispose();
  await closeConnections();
  await server.close();
});

/** Script snippets: each reads what the one before it left (and says so on the console), or changes the run. */
const SNIPPETS = [
  `insomnia.environment.set('n', (insomnia.environment.get('n') ?? 0) + 1); console.log('n', insomnia.environment.get('n'));`,
  `insomnia.baseEnvironment.set('b', String(insomnia.baseEnvironment.get('b') ?? '') + 'b'); console.log('b', insomnia.baseEnvironment.get('b'));`,
  `insomnia.globals.set('g', (insomnia.globals.get('g') ?? 0) + 2); console.log('g', insomnia.globals.get('g'));`,
  `insomnia.collectionVariables.set('c', insomnia.info.requestName); console.log('vars', insomnia.variables.get('n'), insomnia.variables.get('c'));`,
  `insomnia.environment.unset('n'); console.log('unset', insomnia.environment.has('n'));`,
  `globalThis.count = (globalThis.count ?? 0) + 1; console.log('realm', globalThis.count);`,
  `insomnia.test('passes', () => insomnia.expect(1).to.equal(1));`,
  `insomnia.test('fails', () => insomnia.expect(insomnia.info.requestName).to.equal('nobody'));`,
  `insomnia.execution.setNextRequest('Request 0');`,
  `insomnia.execution.setNextRequest('Request 3');`,
  `insomnia.execution.skipRequest();`,
  `throw new Error('boom in ' + insomnia.info.eventName);`,
  `this is not javascript (`,
  `console.log('url', insomnia.request ? insomnia.request.url.toString() : '-', insomnia.response ? insomnia.response.code : '-');`,
  `insomnia.request && insomnia.request.url.addQueryParams('q=' + (insomnia.environment.get('n') ?? 0));`,
];

/** the snippets that change the course of the run (fail, jump, skip, throw, do not compile) come less often */
const snippet = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 13, 14) }, { weight: 1, arbitrary: fc.constantFrom(7, 8, 9, 10, 11, 12) });
const script = fc.array(snippet, { maxLength: 3 }).map((ks) => ks.map((k) => SNIPPETS[k]).join('\n'));
/** mostly harmless scripts, so most runs go far enough to chain */
const sometimes = fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 4, arbitrary: script });

interface Model {
  readonly requests: readonly { pre: string; post: string }[];
  readonly env: 'base' | 'sub' | 'private';
  readonly bail: boolean;
}

const models: fc.Arbitrary<Model> = fc.record({
  requests: fc.array(fc.record({ pre: sometimes, post: sometimes }), { minLength: 3, maxLength: 8 }),
  env: fc.constantFrom('base', 'sub', 'private'),
  bail: fc.boolean(),
});

/**
 * What a run of the model leaves: every request's run as a person sees it, and the variables at the end. `ahead`:
 * the request after the next is named too (its pre-request scripts are compiled ahead in the sandbox).
 */
async function runModel(m: Model, chain: boolean, ahead = false): Promise<unknown> {
  const list: HttpRequest[] = m.requests.map((r, i) =>
    request(`req_${i}`, { name: `Request ${i}`, sortKey: i, url: `{{ _.base_url }}/echo?i=${i}&n={{ _.n | default('none') }}`, scripts: { preRequest: r.pre, afterResponse: r.post } }),
  );
  const c: Collection = collection(list, { base_url: server.httpUrl, n: 1 }, { env_sub: { n: 10 } });
  const priv: Environment = { ...c.baseEnvironment!.subEnvironments[0], id: 'env_private', isPrivate: true, data: { n: 100 } };
  const s = new RunSession(c, m.env === 'base' ? undefined : m.env === 'sub' ? 'env_sub' : priv, { sandbox, send: (r) => sendRequest(r, { followRedirects: true, rejectUnauthorized: true }) }, { g: 0 });
  const seen: unknown[] = [];
  // hammock run's loop (src/cli/run.ts), with and without the next request named
  let budget = list.length * 3 + 3;
  for (let i = 0; i < list.length && budget-- > 0; ) {
    const following = chain && i + 1 < list.length && budget > 0 ? list[i + 1] : undefined;
    const run: RequestRun = await s.runRequest(list[i], { next: following && { request: following, bail: m.bail, following: ahead ? list[i + 2] : undefined } });
    seen.push({
      id: run.request.id,
      url: run.rendered?.url,
      status: run.response?.status,
      tests: run.tests.map((t) => [t.phase, t.name, t.status, t.error]),
      console: run.console.map((l) => [l.phase, l.level, l.text]),
      error: run.error && [run.error.stage, run.error.message],
      skipped: run.skipped,
      next: run.nextRequest,
    });
    if (m.bail && (run.error || run.tests.some((t) => t.status === 'failed'))) break;
    const next = run.nextRequest ? list.findIndex((r) => r.id === run.nextRequest || r.name === run.nextRequest) : -1;
    i = next >= 0 ? next : i + 1;
  }
  return { seen, environments: [...s.changedEnvironments], privateEnvironment: s.privateEnvironment?.data, globals: s.globals };
}

describe('scripts: the next pre-request job chained to an after-response job (one round trip)', function () {
  this.timeout(300_000);

  it('a run gives what it gives with one job per round trip (random scripts, environments, bail)', async () => {
    const before = chainedRan;
    await fc.assert(
      fc.asyncProperty(models, async (m) => {
        const plain = await runModel(m, false);
        const chained = await runModel(m, true);
        assert.deepEqual(chained, plain);
      }),
      { numRuns: 60, seed: 20261205 },
    );
    assert.ok(chainedRan - before > 40, `only ${chainedRan - before} chained jobs ran`);
  });

  it('the pre-request scripts of the request after the next, compiled ahead: the same run (random scripts, jumps, errors that do not compile)', async () => {
    // what the sandbox is asked to compile ahead is only compiled: a script run twice would log twice or count twice
    // in its realm, and one that does not compile must fail as it fails when compiled in its own job
    let ahead = 0;
    const runChained = sandbox.runChained;
    sandbox.runChained = (job, next, hooks, signal) => {
      if (next?.precompile?.length) ahead++;
      return runChained.call(sandbox, job, next, hooks, signal);
    };
    try {
      await fc.assert(
        fc.asyncProperty(models, async (m) => {
          assert.deepEqual(await runModel(m, true, true), await runModel(m, false));
        }),
        { numRuns: 40, seed: 20261206 },
      );
    } finally {
      sandbox.runChained = runChained;
    }
    assert.ok(ahead > 40, `only ${ahead} jobs asked for scripts to be compiled ahead`);
  });

  it('a login chain: the token an after-response script stores is what the next pre-request script sees, in one round trip', async () => {
    const first = request('req_a', { name: 'A', sortKey: 0, url: '{{ _.base_url }}/echo?a', scripts: { preRequest: '', afterResponse: `insomnia.environment.set('token', 'T' + insomnia.response.code);` } });
    const second = request('req_b', { name: 'B', sortKey: 1, url: '{{ _.base_url }}/echo?token={{ _.token }}', scripts: { preRequest: `insomnia.environment.set('seen', insomnia.environment.get('token'));`, afterResponse: '' } });
    const s = new RunSession(collection([first, second], { base_url: server.httpUrl }), undefined, { sandbox, send: (r) => sendRequest(r, { followRedirects: true, rejectUnauthorized: true }) });
    const before = chainedRan;
    await s.runRequest(first, { next: { request: second, bail: false } });
    const b = await s.runRequest(second);
    assert.equal(chainedRan - before, 1, 'B\'s pre-request ran chained');
    assert.equal(b.rendered?.url, `${server.httpUrl}/echo?token=T200`);
    assert.deepEqual(s.changedEnvironments.get('env_base'), { base_url: server.httpUrl, token: 'T200', seen: 'T200' });
  });

  it('an after-response script stopped at the time limit: the next pre-request runs on its own, on a fresh worker, with the limit of its own', async () => {
    const quick = new ScriptSandbox({ timeoutMs: 400 });
    try {
      const looping = request('req_loop', { name: 'Loop', sortKey: 0, url: '{{ _.base_url }}/echo', scripts: { preRequest: '', afterResponse: `insomnia.environment.set('lost', 1); while (true) {}` } });
      const next = request('req_next', { name: 'Next', sortKey: 1, url: '{{ _.base_url }}/echo', scripts: { preRequest: `console.log('lost', insomnia.environment.get('lost'));`, afterResponse: '' } });
      const s = new RunSession(collection([looping, next], { base_url: server.httpUrl }), undefined, { sandbox: quick, send: (r) => sendRequest(r, { followRedirects: true, rejectUnauthorized: true }) });
      const a = await s.runRequest(looping, { next: { request: next, bail: false } });
      assert.equal(a.error?.stage, 'after-response script');
      assert.match(a.error!.message, /After-response script of request "Loop" ran longer than 400 ms/);
      const b = await s.runRequest(next);
      assert.equal(b.error, undefined);
      assert.deepEqual(b.console.map((l) => l.text), ['lost undefined']);
    } finally {
      await quick.dispose();
    }
  });

  it('a chained pre-request script that loops forever is stopped at its own limit, and named', async () => {
    const quick = new ScriptSandbox({ timeoutMs: 400 });
    try {
      const first = request('req_1', { name: 'First', sortKey: 0, url: '{{ _.base_url }}/echo', scripts: { preRequest: '', afterResponse: `insomnia.environment.set('x', 1);` } });
      const looping = request('req_2', { name: 'Second', sortKey: 1, url: '{{ _.base_url }}/echo', scripts: { preRequest: `while (true) {}`, afterResponse: '' } });
      const s = new RunSession(collection([first, looping], { base_url: server.httpUrl }), undefined, { sandbox: quick, send: (r) => sendRequest(r, { followRedirects: true, rejectUnauthorized: true }) });
      const a = await s.runRequest(first, { next: { request: looping, bail: false } });
      assert.equal(a.error, undefined);
      const started = performance.now();
      const b = await s.runRequest(looping);
      assert.equal(b.error?.stage, 'pre-request script');
      assert.match(b.error!.message, /Pre-request script of request "Second" ran longer than 400 ms/);
      assert.ok(performance.now() - started < 3000);
      assert.deepEqual(s.changedEnvironments.get('env_base'), { base_url: server.httpUrl, x: 1 });
    } finally {
      await quick.dispose();
    }
  });
  // What any change to how the two outcomes travel must keep (when they are posted, how the host learns that the chained
  // job started): the unchained run's results, and each job's own time limit.

  it('a chained job that waits (a timer, insomnia.sendRequest) after a first job with a large outcome: the same as one job per round trip', async () => {
    const big = `console.log('x'.repeat(70000));`;
    const waits = `await new Promise((r) => setTimeout(r, 30)); const res = await insomnia.sendRequest(insomnia.environment.get('base_url') + '/echo?from=script'); console.log('sent', res.code); insomnia.environment.set('w', (insomnia.environment.get('w') ?? 0) + 1);`;
    const m: Model = {
      requests: [
        { pre: '', post: `insomnia.environment.set('a', 1);` },
        { pre: waits, post: big },
        { pre: waits, post: `insomnia.test('t', () => insomnia.expect(insomnia.environment.get('w')).to.equal(2));` },
        { pre: `console.log('a', insomnia.environment.get('a'));`, post: '' },
      ],
      env: 'base',
      bail: false,
    };
    const before = chainedRan;
    const chained = await runModel(m, true);
    assert.ok(chainedRan - before >= 3, `only ${chainedRan - before} chained jobs ran`);
    assert.deepEqual(chained, await runModel(m, false));
    assert.match(JSON.stringify(chained), /sent 200/);
  });

  it('a chained job is timed from its own start, not from the start of the job before it', async () => {
    const limited = new ScriptSandbox({ timeoutMs: 1500 });
    try {
      // each job busy for 900 ms without giving the thread back: each within its limit, the two together not
      const busy = `const until = Date.now() + 900; while (Date.now() < until) {}`;
      const first = request('req_1', { name: 'First', sortKey: 0, url: '{{ _.base_url }}/echo', scripts: { preRequest: '', afterResponse: `${busy} insomnia.environment.set('first', 'done');` } });
      const second = request('req_2', { name: 'Second', sortKey: 1, url: '{{ _.base_url }}/echo', scripts: { preRequest: `${busy} insomnia.environment.set('second', insomnia.environment.get('first'));`, afterResponse: '' } });
      const s = new RunSession(collection([first, second], { base_url: server.httpUrl }), undefined, { sandbox: limited, send: (r) => sendRequest(r, { followRedirects: true, rejectUnauthorized: true }) });
      const a = await s.runRequest(first, { next: { request: second, bail: false } });
      assert.equal(a.error, undefined);
      const b = await s.runRequest(second);
      assert.equal(b.error, undefined, b.error?.message);
      assert.deepEqual(s.changedEnvironments.get('env_base'), { base_url: server.httpUrl, first: 'done', second: 'done' });
    } finally {
      await limited.dispose();
    }
  });
});
