// Timing helpers shared by the benchmark modules: paired, interleaved measurement of a subject against a baseline
// in the same process and the same run, so both see the same machine load, disk cache and JIT state.
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchContext, BenchMetrics } from './run';

export interface PairedOptions {
  /** untimed rounds first (JIT, disk cache). */
  warmup: number;
  /** timed rounds; each round times the subject and the baseline once. */
  iterations: number;
}

export interface PairedResult {
  /** median wall time of the subject, ms. */
  subjectMs: number;
  /** median wall time of the baseline, ms. */
  baselineMs: number;
  /** subjectMs / baselineMs (ratio of the medians). */
  ratio: number;
  subjectSamples: number[];
  baselineSamples: number[];
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Collects garbage when node runs with `--expose-gc` (the `bench` script does), so one run's garbage is not billed to the next. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

/** Wall time of one call, ms (after a GC, so the call starts from a clean heap). */
export async function timeOnce(fn: () => unknown): Promise<number> {
  collectGarbage();
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Times several functions side by side: `warmup` untimed rounds, then `iterations` rounds that each time every
 * function once, the order rotating from round to round (ABC, BCA, CAB...; for two: AB, BA, AB...), so none always
 * runs on another's warm cache or garbage. Returns the samples of each, in the order given.
 */
export async function measureRounds(fns: readonly (() => unknown)[], options: PairedOptions): Promise<number[][]> {
  for (let i = 0; i < options.warmup; i++) for (const fn of fns) await fn();
  const samples = fns.map(() => [] as number[]);
  for (let round = 0; round < options.iterations; round++) {
    for (let k = 0; k < fns.length; k++) {
      const j = (round + k) % fns.length;
      samples[j]!.push(await timeOnce(fns[j]!));
    }
  }
  return samples;
}

/**
 * Times `subject` against `baseline` (see `measureRounds`; the baseline runs first in the first round) and reports
 * the medians and the ratio of the medians.
 */
export async function measurePaired(
  subject: () => unknown,
  baseline: () => unknown,
  options: PairedOptions,
): Promise<PairedResult> {
  const [baselineSamples, subjectSamples] = (await measureRounds([baseline, subject], options)) as [number[], number[]];
  const subjectMs = median(subjectSamples);
  const baselineMs = median(baselineSamples);
  return { subjectMs, baselineMs, ratio: subjectMs / baselineMs, subjectSamples, baselineSamples };
}

/** Runs `tasks` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** `1234.5` -> `1,235`; ratios and small numbers keep 2 decimals. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) < 100 && !Number.isInteger(value)) return value.toFixed(2);
  return Math.round(value).toLocaleString('en-US');
}

/** A plain-text table: first row is the header, columns padded, numbers right-aligned. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, i) => (/^[-+]?[\d,.]+$/.test(cell) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const [header, ...body] = rows;
  if (!header) return '';
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  ').trimEnd(), ...body.map(line)].join('\n');
}

/**
 * Watches the event loop while `fn` runs and reports the longest stretch it was blocked, in ms: the larger of
 * `perf_hooks.monitorEventLoopDelay` (1 ms resolution) and the longest gap between two ticks of a 1 ms interval
 * timer, less the 1 ms the timer waits by itself. What a user would feel as a frozen window.
 */
export async function maxBlockDuring<T>(fn: () => Promise<T> | T): Promise<{ result: T; maxBlockMs: number }> {
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 1);
  histogram.enable();
  // let both watchers take their first tick before the work starts
  await new Promise((r) => setTimeout(r, 5));
  last = performance.now();
  histogram.reset();
  let result: T;
  try {
    result = await fn();
    // the work's last synchronous stretch ends here; one more tick closes the gap it left
    await new Promise((r) => setTimeout(r, 2));
  } finally {
    clearInterval(timer);
    histogram.disable();
  }
  const fromHistogram = histogram.max / 1e6 - 1;
  return { result, maxBlockMs: Math.max(0, fromHistogram, maxGap - 1) };
}

/** What a fresh-process measurement is given of the run's context (see `runInFreshProcess`). */
interface ChildContext {
  readonly root: string;
  readonly dataDir: string;
  readonly warmup: number;
  readonly iterations: number;
  readonly quick: boolean;
}

/**
 * Runs a bench module's measurement in a fresh node process (`node --expose-gc --require tsx/cjs <file>`, the file
 * calling `childMain(measure)` when it is the main module), so both sides of every pair start from the same clean
 * process whatever the modules before it in `npm run bench` left behind (their heap, caches and JIT feedback, a
 * server or a worker still open): the module measures the same alone (`npm run bench -- load`) and in the full run.
 * The child's log lines are passed to `ctx.log`; its metrics come back through a JSON file.
 */
export async function runInFreshProcess(ctx: BenchContext, file: string, extraArgs: readonly string[] = []): Promise<BenchMetrics> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-bench-child-'));
  const out = path.join(dir, 'metrics.json');
  const given: ChildContext = { root: ctx.root, dataDir: ctx.dataDir, warmup: ctx.warmup, iterations: ctx.iterations, quick: ctx.quick };
  try {
    const child = spawn(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', file, JSON.stringify(given), out, ...extraArgs], {
      cwd: ctx.root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) ctx.log(line);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => tail.push(chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (pending) ctx.log(pending);
    if (code !== 0) throw new Error(`${path.basename(file)} failed in its own process (exit ${code}): ${tail.join('').trim().split('\n').slice(-8).join('\n')}`);
    return JSON.parse(await fsp.readFile(out, 'utf8')) as BenchMetrics;
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

/**
 * The child's side of `runInFreshProcess`: reads the context it was given, runs `measure`, writes the metrics where
 * the parent reads them. Log lines go to stdout.
 */
export async function childMain(measure: (ctx: BenchContext) => Promise<BenchMetrics>, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const given = JSON.parse(argv[0]!) as ChildContext;
  const temp = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-bench-child-run-'));
  const ctx: BenchContext = {
    ...given,
    tempDir: (name) => fsp.mkdtemp(path.join(temp, `${name.replace(/[^\w-]/g, '_')}-`)),
    log: (message) => process.stdout.write(`${message}\n`),
  };
  try {
    const metrics = await measure(ctx);
    await fsp.writeFile(argv[1]!, JSON.stringify(metrics));
  } finally {
    await fsp.rm(temp, { recursive: true, force: true });
  }
}
