// Model load against a plain read + parse of the same files, side by side in one run.
//
// Subject: `loadWorkspace(root)` (src/collections/scan.ts): discover, read, parse, build and index the collections.
// Baseline: the least any loader must do for the same bytes: list the folders, read every file, and `js-yaml`
// `load` each text (the fastest mainstream YAML parser for Node: on the real 3.7 MB v5 file js-yaml takes 0.17 s,
// the `yaml` package 1.35 s). No model, no index, no problem reporting. The parse uses js-yaml's CORE_SCHEMA, as
// scan.ts does (fields.ts `loadYaml`): it is the fastest js-yaml setting (about 10% quicker than the default schema
// on the small legacy files, the same on the v5 file), so the baseline is not slowed by work the loader skips.
//
// I/O strategy: the baseline reads the way scan.ts does, so the ratio only prices what Hammock adds. scan.ts reads
// synchronously (`readdirSync`/`readFileSync`, one file after the other, yielding to the event loop every ~10 ms),
// because on 2 cores that is the fastest way to read thousands of small files; the baseline does the same, minus the
// yielding. A second baseline, `fs.promises.readFile` with 32 files in flight (`*_baseline_async_ms`), is reported
// for reference only: being slower, a ratio against it would flatter the loader.
//
// The baseline is the floor: each document is parsed and dropped at once (only a count of its keys is kept, so the
// parse cannot be skipped). It loads nothing a view could use, which is what makes it the floor: on the legacy repo
// it is about 30% cheaper than keeping every parsed document (the GC then only scavenges), and the loader, which must
// keep a model, is held to at most 1.3 times it.
//
// Ratio = median(subject) / median(sync baseline) over paired rounds whose order rotates. Target: at most 1.3 for
// both formats.
//
// `load_legacy_10k_max_block_ms` and `load_v5_3k_max_block_ms`: the longest the event loop was blocked while the
// store (what the extension runs) loads each repository (maxBlockDuring in measure.ts). Target: at most 50. Data: the generated legacy repo (10,000 requests, 500 folders, 20 environments: 10,521 small files)
// and a folder holding one generated v5 collection file (3,000 requests, 300 folders: about 4 MB); see generate.ts.
import { promises as fsp, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as jsYaml from 'js-yaml';
import { countItems, type WorkspaceSnapshot } from '../src/collections/model';
import { loadWorkspace } from '../src/collections/scan';
import { CollectionStore } from '../src/collections/store';
import type { BenchContext, BenchMetrics, BenchTargets } from './run';
import { ensureLegacyRepo, ensureV5Collection, LEGACY_10K, V5_3K, type GenerateOptions } from './generate';
import { childMain, mapLimit, maxBlockDuring, measureRounds, median, runInFreshProcess } from './measure';

export const targets: BenchTargets = { load_legacy_10k_ratio: 1.3, load_v5_3k_ratio: 1.3, load_legacy_10k_max_block_ms: 50, load_v5_3k_max_block_ms: 50 };

/** Files in flight in the asynchronous reference baseline (scan.ts's default before it went synchronous). */
export const ASYNC_READS_IN_FLIGHT = 32;

/** js-yaml `load` with the schema scan.ts parses with. */
function parse(text: string): unknown {
  return jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
}

/** Parses a document and drops it, keeping only its number of keys (so the parse is not optimized away). */
function parseAndDrop(text: string): number {
  const doc = parse(text);
  return doc && typeof doc === 'object' ? Object.keys(doc).length : 0;
}

function isYaml(name: string): boolean {
  return name.endsWith('.yaml') || name.endsWith('.yml');
}

/** The data files of a legacy repo: `<root>/.insomnia/<Type>/<file>`, listed synchronously. */
function legacyFilesSync(root: string): string[] {
  const files: string[] = [];
  for (const top of readdirSync(root, { withFileTypes: true })) {
    if (!top.isDirectory() || top.name !== '.insomnia') continue;
    const dir = path.join(root, top.name);
    for (const type of readdirSync(dir, { withFileTypes: true })) {
      if (!type.isDirectory()) continue;
      for (const name of readdirSync(path.join(dir, type.name))) files.push(path.join(dir, type.name, name));
    }
  }
  return files;
}

/** Baseline, legacy: list `.insomnia/<Type>/`, `readFileSync` every file, js-yaml `load` and drop each, one after the other. */
export function readParseLegacySync(root: string): number {
  let keys = 0;
  for (const file of legacyFilesSync(root)) keys += parseAndDrop(readFileSync(file, 'utf8'));
  return keys;
}

/** Reference, legacy: the same with `fs.promises` (`readdir`, `readFile` with `ASYNC_READS_IN_FLIGHT` in flight). */
export async function readParseLegacyAsync(root: string): Promise<number> {
  const dir = path.join(root, '.insomnia');
  await fsp.readdir(root);
  const files: string[] = [];
  for (const type of await fsp.readdir(dir, { withFileTypes: true })) {
    if (!type.isDirectory()) continue;
    for (const name of await fsp.readdir(path.join(dir, type.name))) files.push(path.join(dir, type.name, name));
  }
  const keys = await mapLimit(files, ASYNC_READS_IN_FLIGHT, async (file) => parseAndDrop(await fsp.readFile(file, 'utf8')));
  return keys.reduce((a, b) => a + b, 0);
}

/** Baseline, v5: list the folder, `readFileSync` every `.yaml`/`.yml` file, js-yaml `load` and drop each. */
export function readParseV5Sync(root: string): number {
  let keys = 0;
  for (const name of readdirSync(root).filter(isYaml)) keys += parseAndDrop(readFileSync(path.join(root, name), 'utf8'));
  return keys;
}

/** Reference, v5: the same with `fs.promises`. */
export async function readParseV5Async(root: string): Promise<number> {
  const files = (await fsp.readdir(root)).filter(isYaml).map((n) => path.join(root, n));
  const keys = await mapLimit(files, ASYNC_READS_IN_FLIGHT, async (file) => parseAndDrop(await fsp.readFile(file, 'utf8')));
  return keys.reduce((a, b) => a + b, 0);
}

/** Throws unless the snapshot holds exactly the one generated collection, complete: we never time a broken load. */
export function checkSnapshot(snapshot: WorkspaceSnapshot, options: GenerateOptions): void {
  const problems = [...snapshot.problems, ...snapshot.collections.flatMap((c) => c.problems)];
  if (snapshot.collections.length !== 1) throw new Error(`expected 1 collection, loadWorkspace found ${snapshot.collections.length}`);
  if (problems.length) throw new Error(`loadWorkspace reported ${problems.length} problems, first: ${problems[0]!.message}`);
  const counts = countItems(snapshot.collections[0]!);
  const expected = { requests: options.requests, folders: options.folders, environments: options.environments };
  const got = { requests: counts.requests, folders: counts.folders, environments: counts.environments };
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    throw new Error(`loadWorkspace counted ${JSON.stringify(got)}, the generated data has ${JSON.stringify(expected)}`);
  }
}

async function compare(ctx: BenchContext, name: string, root: string, options: GenerateOptions, iterations: number,
  baseline: (root: string) => unknown, reference: (root: string) => Promise<unknown>): Promise<BenchMetrics> {
  checkSnapshot(await loadWorkspace(root), options);
  // the CPU time of each call too (process.cpuUsage: every thread, the GC's helpers included), logged as a check that
  // holds on a busy machine, where wall times wait for a core
  const cpu: [number[], number[]] = [[], []];
  const withCpu = (k: 0 | 1, fn: () => unknown) => async (): Promise<void> => {
    const start = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(start);
    cpu[k].push((used.user + used.system) / 1000);
  };
  const [subjectSamples, baselineSamples, referenceSamples] = (await measureRounds(
    [withCpu(0, () => loadWorkspace(root)), withCpu(1, () => baseline(root)), () => reference(root)],
    { warmup: ctx.warmup, iterations })) as [number[], number[], number[]];
  // the timed rounds come after the warm-up
  const [subjectCpu, baselineCpu] = cpu.map((xs) => median(xs.slice(-iterations)));
  const subjectMs = median(subjectSamples);
  const baselineMs = median(baselineSamples);
  const ms = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join('/');
  // the median of the per-round ratios, logged as a check: far from the ratio of medians means the machine was busy
  const roundRatios = subjectSamples.map((s, i) => s / baselineSamples[i]!);
  ctx.log(`${name}: loadWorkspace ${subjectMs.toFixed(0)} ms (${ms(subjectSamples)}), ` +
    `readFileSync + js-yaml ${baselineMs.toFixed(0)} ms (${ms(baselineSamples)}), ratio ${(subjectMs / baselineMs).toFixed(2)} ` +
    `(per-round median ${median(roundRatios).toFixed(2)}); ` +
    `fs.promises + js-yaml ${median(referenceSamples).toFixed(0)} ms (${ms(referenceSamples)}); ` +
    `CPU time: loadWorkspace ${subjectCpu!.toFixed(0)} ms, readFileSync + js-yaml ${baselineCpu!.toFixed(0)} ms, ratio ${(subjectCpu! / baselineCpu!).toFixed(2)}`);
  // the store's load, as the extension runs it, watched for the longest block of the event loop
  const blocks: number[] = [];
  for (let i = 0; i < 3; i++) {
    const store = new CollectionStore([root]);
    blocks.push((await maxBlockDuring(() => store.reload())).maxBlockMs);
    store.dispose();
  }
  const maxBlockMs = median(blocks);
  ctx.log(`${name}: longest event-loop block while the store loads: ${blocks.map((b) => b.toFixed(1)).join('/')} ms`);
  return {
    [`${name}_ms`]: subjectMs,
    [`${name}_baseline_ms`]: baselineMs,
    [`${name}_baseline_async_ms`]: median(referenceSamples),
    [`${name}_ratio`]: subjectMs / baselineMs,
    [`${name}_max_block_ms`]: maxBlockMs,
  };
}

/**
 * Measures in a fresh process (runInFreshProcess, measure.ts), whatever ran before it. In the one process of a full
 * `npm run bench` the v5 floor took 259 ms against 143-157 ms alone: after the edit, git and http modules that
 * process held a 36 MB heap (700 MB resident), and the same floor cost 190-230 ms of main-thread CPU there against
 * 104-121 ms in a fresh process measured alternately at the same time (the subject 257-285 against 135-157 ms).
 */
export async function run(ctx: BenchContext): Promise<BenchMetrics> {
  return runInFreshProcess(ctx, __filename);
}

/** The measurements (in the fresh process). */
export async function measureLoad(ctx: BenchContext): Promise<BenchMetrics> {
  const legacyRoot = await ensureLegacyRepo(ctx.dataDir, LEGACY_10K);
  const v5Root = await ensureV5Collection(ctx.dataDir, V5_3K);
  return {
    ...(await compare(ctx, 'load_legacy_10k', legacyRoot, LEGACY_10K, ctx.iterations, readParseLegacySync, readParseLegacyAsync)),
    // a v5 round takes a second, not seven: twice the rounds for a steadier median at little cost
    ...(await compare(ctx, 'load_v5_3k', v5Root, V5_3K, 2 * ctx.iterations + 1, readParseV5Sync, readParseV5Async)),
  };
}

if (require.main === module) {
  childMain(measureLoad).catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
