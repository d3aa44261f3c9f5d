// `npm run bench`: the one entry that runs every `bench/*.bench.ts` module, prints one table and writes every metric
// of the run into `bench/results.json`, each with the date it was measured. A metric the run did not measure is
// left out: the file never shows an old figure as if it were today's.
//
// Usage: `npm run bench` (all modules), `npm run bench -- load ls` (only modules whose file name starts with one of
// the words), `npm run bench -- --quick` (fewer iterations: a smoke run, figures not meaningful,
// results.json not written).
//
// ---------------------------------------------------------------------------------------------------------------
// Writing a benchmark module: add `bench/<name>.bench.ts` exporting
//
//   export async function run(ctx: BenchContext): Promise<BenchMetrics>;   // required
//   export const targets: BenchTargets = { my_metric_ratio: 1.3 };          // optional: upper bounds, shown in the table
//
// `run` returns flat `snake_case` metric names -> numbers (e.g. `{ git_status_10k_ms: 812, git_status_10k_ratio: 1.1 }`);
// name time metrics `*_ms`, ratios against the baseline `*_ratio`, sizes `*_bytes`. Measure the subject and its
// baseline side by side with `measurePaired` (bench/measure.ts) using `ctx.warmup` / `ctx.iterations`.
// Generated data: `ensureLegacyRepo(ctx.dataDir, LEGACY_10K)` / `ensureV5Collection(...)` (bench/generate.ts) are
// cached across runs; scratch space that must not survive the run: `await ctx.tempDir('git')` (deleted at the end).
// Log progress with `ctx.log`. Throwing fails the module (and `npm run bench`), the other modules still run.
// ---------------------------------------------------------------------------------------------------------------
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BENCH_DATA_DIR } from './generate';
import { formatNumber, formatTable, runInFreshProcess } from './measure';

export type BenchMetrics = Record<string, number>;
export type BenchTargets = Record<string, number>;

export interface BenchContext {
  /** the project root (where package.json is). */
  readonly root: string;
  /** git-ignored folder for generated data kept between runs (`bench/.data`). */
  readonly dataDir: string;
  /** untimed warm-up rounds before timing. */
  readonly warmup: number;
  /** timed, paired rounds (odd, so the median is one sample). */
  readonly iterations: number;
  /** `--quick`: a smoke run with fewer iterations. */
  readonly quick: boolean;
  /** a fresh scratch folder, deleted when the run ends. */
  tempDir(name: string): Promise<string>;
  log(message: string): void;
}

export interface BenchModule {
  run(ctx: BenchContext): Promise<BenchMetrics>;
  targets?: BenchTargets;
}

export const RESULTS_FILE = path.join(__dirname, 'results.json');

/** Keeps the digits that mean something: ratios to 3 decimals, other fractions (ms) to 1; integers as they are. */
export function roundMetric(key: string, value: number): number {
  if (Number.isInteger(value)) return value;
  const digits = key.endsWith('_ratio') ? 1000 : 10;
  return Math.round(value * digits) / digits;
}

/** One metric as results.json holds it: the figure and the day it was measured (YYYY-MM-DD, UTC). */
export interface DatedMetric {
  readonly value: number;
  readonly measured: string;
}

/**
 * Writes this run's `metrics` (rounded, each dated `date`) to `file`, replacing what it held: a metric the run did not
 * measure is not kept. Keys sorted, non-finite values left out; written atomically.
 */
export async function writeResults(file: string, metrics: BenchMetrics, date: Date = new Date()): Promise<Record<string, DatedMetric>> {
  const measured = date.toISOString().slice(0, 10);
  const out: Record<string, DatedMetric> = {};
  for (const key of Object.keys(metrics).sort()) {
    const value = metrics[key]!;
    if (Number.isFinite(value)) out[key] = { value: roundMetric(key, value), measured };
  }
  const tmp = `${file}.tmp`;
  await fsp.writeFile(tmp, `${JSON.stringify(out, null, 2)}\n`);
  await fsp.rename(tmp, file);
  return out;
}

/** The `*.bench.ts` files of `dir`, sorted, keeping those whose name starts with one of `only` (all if empty). */
export async function findModules(dir: string, only: readonly string[]): Promise<string[]> {
  const names = (await fsp.readdir(dir)).filter((n) => n.endsWith('.bench.ts')).sort();
  return only.length === 0 ? names : names.filter((n) => only.some((o) => n.startsWith(o)));
}

/** The message and the first frames of the stack: enough to find the cause without a screen of node internals. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 3);
  return [err.message, ...frames].join('\n');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = args.filter((a) => !a.startsWith('--'));
  const root = path.resolve(__dirname, '..');
  const runTemp = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-bench-'));
  const started = Date.now();
  const ctx: BenchContext = {
    root,
    dataDir: BENCH_DATA_DIR,
    warmup: quick ? 1 : 2,
    iterations: quick ? 3 : 7,
    quick,
    async tempDir(name: string): Promise<string> {
      return fsp.mkdtemp(path.join(runTemp, `${name.replace(/[^\w-]/g, '_')}-`));
    },
    log(message: string): void {
      process.stdout.write(`  ${message}\n`);
    },
  };
  if (!(globalThis as { gc?: unknown }).gc) ctx.log('note: run with --expose-gc (npm run bench does) for steadier figures');

  const all: BenchMetrics = {};
  const targets: BenchTargets = {};
  const failed: string[] = [];
  try {
    for (const file of await findModules(__dirname, only)) {
      process.stdout.write(`${file}\n`);
      const t0 = Date.now();
      try {
        // the targets are read here; the measuring runs in a process of its own (moduleChild.ts), so no module measures
        // in the heap, caches, JIT feedback, servers or workers the modules before it left. require, not import():
        // tsx compiles the bench as CommonJS, and mocha loads it through tsx/cjs only
        const mod = require(path.join(__dirname, file)) as Partial<BenchModule>;
        if (typeof mod.run !== 'function') throw new Error('exports no run(ctx) function');
        Object.assign(targets, mod.targets ?? {});
        const metrics = await runInFreshProcess(ctx, path.join(__dirname, 'moduleChild.ts'), [file]);
        Object.assign(all, metrics);
        ctx.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } catch (err) {
        failed.push(file);
        process.stdout.write(`  FAILED: ${describeError(err)}\n`);
      }
    }
  } finally {
    await fsp.rm(runTemp, { recursive: true, force: true });
  }

  const rows: string[][] = [['metric', 'value', 'target', '']];
  for (const key of Object.keys(all).sort()) {
    const value = all[key]!;
    const target = targets[key];
    const verdict = target === undefined ? '' : value <= target ? 'ok' : 'MISSED';
    rows.push([key, formatNumber(value), target === undefined ? '' : `<= ${formatNumber(target)}`, verdict]);
  }
  for (const key of Object.keys(targets).sort()) if (!(key in all)) rows.push([key, 'not measured', `<= ${formatNumber(targets[key]!)}`, '']);
  process.stdout.write(`\n${formatTable(rows)}\n\n`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (quick) {
    process.stdout.write(`--quick: smoke run in ${seconds} s, figures not meaningful, ${path.basename(RESULTS_FILE)} left as it was\n`);
  } else {
    await writeResults(RESULTS_FILE, all);
    process.stdout.write(`wrote ${path.relative(process.cwd(), RESULTS_FILE)} in ${seconds} s\n`);
  }
  if (failed.length) process.stdout.write(`failed: ${failed.join(', ')}\n`);
  return failed.length ? 1 : 0;
}

if (require.main === module) {
  main().then((code) => (process.exitCode = code), (err) => {
    process.stderr.write(`${describeError(err)}\n`);
    process.exitCode = 1;
  });
}
