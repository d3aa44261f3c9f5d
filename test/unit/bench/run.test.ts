import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatTable, mapLimit, measurePaired, measureRounds, median, runInFreshProcess } from '../../../bench/measure';
import { countRequests } from '../../../bench/ls.bench';
import { findModules, writeResults } from '../../../bench/run';
import { readTreeFirstLevel, treeFirstLevelFile } from '../../../bench/treeFirstLevel.bench';

describe('bench/run', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-run-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('writeResults writes the metrics of this run only, each dated, keys sorted, non-finite values left out', async () => {
    const file = path.join(dir, 'results.json');
    await fsp.writeFile(file, JSON.stringify({ git_status_10k_ms: { value: 812, measured: '2026-01-01' } }));
    const written = await writeResults(file, { load_v5_3k_ms: 250, bundle_bytes: 1234, tree_first_level_ms: Number.NaN }, new Date('2026-12-04T20:00:00Z'));
    assert.deepEqual(written, { bundle_bytes: { value: 1234, measured: '2026-12-04' }, load_v5_3k_ms: { value: 250, measured: '2026-12-04' } });
    assert.deepEqual(JSON.parse(await fsp.readFile(file, 'utf8')), written, 'the old metric is not kept');
    assert.deepEqual(Object.keys(written), ['bundle_bytes', 'load_v5_3k_ms'], 'keys sorted');
    await assert.rejects(fsp.access(`${file}.tmp`), 'no temp file left behind');
  });

  it('writeResults rounds ratios to 3 decimals and times to 1, keeps integers', async () => {
    const file = path.join(dir, 'rounded.json');
    const written = await writeResults(file, { a_ratio: 1.23456, b_ms: 930.6739, c_bytes: 220665 }, new Date('2026-12-04T00:00:00Z'));
    assert.deepEqual(Object.fromEntries(Object.entries(written).map(([k, v]) => [k, v.value])), { a_ratio: 1.235, b_ms: 930.7, c_bytes: 220665 });
  });

  it('findModules lists *.bench.ts, filtered by name prefix', async () => {
    for (const name of ['load.bench.ts', 'gitStatus.bench.ts', 'git.ts', 'ls.bench.ts', 'run.ts']) await fsp.writeFile(path.join(dir, name), '');
    assert.deepEqual(await findModules(dir, []), ['gitStatus.bench.ts', 'load.bench.ts', 'ls.bench.ts']);
    assert.deepEqual(await findModules(dir, ['l']), ['load.bench.ts', 'ls.bench.ts']);
    assert.deepEqual(await findModules(dir, ['git']), ['gitStatus.bench.ts']);
  });

  it('the benchmark modules in bench/ export run()', async () => {
    const benchDir = path.resolve(__dirname, '../../../bench');
    const names = await findModules(benchDir, []);
    for (const expected of ['bundle.bench.ts', 'load.bench.ts', 'ls.bench.ts', 'treeFirstLevel.bench.ts']) {
      assert.ok(names.includes(expected), `${expected} in ${names.join()}`);
    }
    for (const name of names) {
      const mod = require(path.join(benchDir, name)) as { run?: unknown };
      assert.equal(typeof mod.run, 'function', `${name} exports run`);
    }
  });
});

describe('bench/measure', () => {
  it('median of odd and even samples', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it('measurePaired interleaves subject and baseline and reports the ratio of medians', async () => {
    const order: string[] = [];
    // a clock that moves only by what the two functions spend (30 and 10 ms, then 31 and 9 in the last round): the
    // figures do not depend on how busy the machine is
    let clock = 0;
    const realNow = performance.now;
    performance.now = () => clock;
    let result: Awaited<ReturnType<typeof measurePaired>>;
    try {
      let s = 0;
      let b = 0;
      result = await measurePaired(
        async () => { order.push('s'); await Promise.resolve(); clock += ++s === 4 ? 31 : 30; },
        async () => { order.push('b'); await Promise.resolve(); clock += ++b === 4 ? 9 : 10; },
        { warmup: 1, iterations: 3 },
      );
    } finally {
      performance.now = realNow;
    }
    assert.deepEqual(order, ['b', 's', 'b', 's', 's', 'b', 'b', 's']);
    assert.deepEqual(result.subjectSamples, [30, 30, 31]);
    assert.deepEqual(result.baselineSamples, [10, 10, 9]);
    assert.equal(result.subjectMs, 30);
    assert.equal(result.baselineMs, 10);
    assert.equal(result.ratio, 3);
  });

  it('measureRounds rotates the order of several functions from round to round', async () => {
    const order: string[] = [];
    const samples = await measureRounds(['a', 'b', 'c'].map((n) => () => { order.push(n); }), { warmup: 0, iterations: 3 });
    assert.equal(order.join(''), 'abcbcacab');
    assert.deepEqual(samples.map((s) => s.length), [3, 3, 3]);
  });

  it('mapLimit keeps order and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5 * (8 - n)));
      inFlight--;
      return n * 2;
    });
    assert.deepEqual(out, [2, 4, 6, 8, 10, 12, 14]);
    assert.equal(peak, 3);
  });

  it('runInFreshProcess measures in another process, with --expose-gc and the run context, and passes its log through', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-child-'));
    try {
      const measure = path.resolve(__dirname, '../../../bench/measure');
      const file = path.join(dir, 'probe.bench.ts');
      await fsp.writeFile(file, [
        `import { childMain } from ${JSON.stringify(measure)};`,
        'childMain(async (ctx) => {',
        "  ctx.log('first line');",
        "  ctx.log('second line');",
        "  if (ctx.iterations === 0) throw new Error('no iterations');",
        "  return { pid: process.pid, gc: typeof (globalThis as { gc?: unknown }).gc === 'function' ? 1 : 0, iterations: ctx.iterations, temp: (await ctx.tempDir('x')).length > 0 ? 1 : 0 };",
        '}).catch((err) => { process.stderr.write(String(err)); process.exitCode = 1; });',
        '',
      ].join('\n'));
      const logged: string[] = [];
      const ctx = { root: path.resolve(__dirname, '../../..'), dataDir: dir, warmup: 1, iterations: 5, quick: true, tempDir: async () => dir, log: (m: string) => logged.push(m) };
      const metrics = await runInFreshProcess(ctx, file);
      assert.notEqual(metrics.pid, process.pid);
      assert.deepEqual({ gc: metrics.gc, iterations: metrics.iterations, temp: metrics.temp }, { gc: 1, iterations: 5, temp: 1 });
      assert.deepEqual(logged, ['first line', 'second line']);
      await assert.rejects(runInFreshProcess({ ...ctx, iterations: 0 }, file), /probe\.bench\.ts failed in its own process \(exit 1\): .*no iterations/s);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('formatTable pads columns and right-aligns numbers', () => {
    assert.equal(formatTable([['metric', 'value'], ['bundle_bytes', '1,234'], ['x_ratio', '1.05']]),
      'metric        value\n------------  -----\nbundle_bytes  1,234\nx_ratio        1.05');
  });
});

describe('bench modules', () => {
  it('treeFirstLevel reads the integration harness measurement when there is one', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-tree-'));
    try {
      assert.equal(await readTreeFirstLevel(dir), undefined);
      await fsp.writeFile(treeFirstLevelFile(dir), JSON.stringify({ tree_first_level_ms: 420, measuredAt: '2025-01-01T00:00:00Z' }));
      assert.deepEqual(await readTreeFirstLevel(dir), { ms: 420, measuredAt: '2025-01-01T00:00:00Z' });
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('ls counts the requests of every collection in the --json output', () => {
    assert.equal(countRequests([{ name: 'a', counts: { requests: 7, folders: 2 } }, { name: 'b', requests: 3 }]), 10);
    assert.equal(countRequests({ collections: [] }), 0);
  });
});
