// Hammock's git layer (src/git) against the git CLI, side by side in one run, on generated legacy repositories of
// 1,000 and 10,000 request files (bench/generate.ts), served by the project's loopback smart-HTTP server
// (test/support/gitServer.ts, in a child process so that it does not share the measured event loop).
//
// Each operation is timed on two working copies of the same repository: one cloned and driven by Hammock
// (GitClient, in this process), one cloned and driven by the git CLI (a `git` process per call: spawning it is part
// of what the CLI costs). Rounds alternate which tool goes first; ratio = median(Hammock) / median(CLI).
//  - status:       clean status (Hammock: GitClient.status(); CLI: `git status --porcelain`).
//  - status dirty: the same with 10 modified files and 5 untracked ones.
//  - commit:       stage 10 modified files and commit (`git add <10 files>` + `git commit`); the edits are made
//                  before the clock starts.
//  - pull:         a 10-file change pushed by a third working copy, then fast-forward pull (`git pull --ff-only`).
//  - clone:        a full clone into a new folder (`git clone`).
// At 50,000 files (skipped with --quick) status runs in a child process under `ulimit -n 1024` and a 256 MB heap
// (bench/gitStatusProbe.ts): `git_status_50k_ok` is 1 when it completes, with its time, ratio and peak heap.
// Targets at 10k: status, commit, pull <= 2x the CLI; clone <= 4x.

import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { GitClient } from '../src/git/gitClient';
import type { BenchContext, BenchMetrics, BenchTargets } from './run';
import { ensureLegacyRepo, LEGACY_10K, type GenerateOptions } from './generate';
import { median, timeOnce } from './measure';

export const targets: BenchTargets = {
  git_status_10k_ratio: 2,
  git_status_10k_dirty_ratio: 2,
  git_commit_10k_ratio: 2,
  git_pull_10k_ratio: 2,
  git_clone_10k_ratio: 4,
};

const TOKEN = 'bench-token';
const AUTHOR = { name: 'Bench', email: 'bench@hammock.invalid' };
const SIZES: { label: string; options: GenerateOptions }[] = [
  { label: '1k', options: { requests: 1_000, folders: 50, environments: 5, seed: 1 } },
  { label: '10k', options: LEGACY_10K },
];
const LEGACY_50K: GenerateOptions = { requests: 50_000, folders: 2_000, environments: 20, seed: 3 };

const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: AUTHOR.name,
  GIT_AUTHOR_EMAIL: AUTHOR.email,
  GIT_COMMITTER_NAME: AUTHOR.name,
  GIT_COMMITTER_EMAIL: AUTHOR.email,
  GIT_TERMINAL_PROMPT: '0',
  GIT_CONFIG_NOSYSTEM: '1',
  // no background `git gc --auto` (a 50k-file commit would start one, racing the scratch folder's removal)
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'gc.auto',
  GIT_CONFIG_VALUE_0: '0',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 }).toString();
}

function gitAsync(cwd: string, ...args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('git', args, { cwd, env: GIT_ENV, maxBuffer: 1 << 28 }, (err, _o, stderr) => (err ? reject(new Error(`git ${args[0]}: ${stderr}`)) : resolve())),
  );
}

async function startServer(root: string, projectRoot: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(root, 'test/support/gitServer.ts'), projectRoot, TOKEN], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`git server exited (${code})`)));
  });
  return { port, child };
}

/** A git repository with the generated files committed on main (built once per run in a scratch folder). */
async function seedRepo(ctx: BenchContext, options: GenerateOptions, label: string): Promise<string> {
  const data = await ensureLegacyRepo(ctx.dataDir, options);
  const seed = path.join(await ctx.tempDir(`git-seed-${label}`), 'seed');
  await fsp.cp(data, seed, { recursive: true });
  git(seed, 'init', '-q', '-b', 'main');
  git(seed, 'add', '-A');
  git(seed, 'commit', '-q', '-m', 'generated');
  return seed;
}

/** The first `n` request files of a working copy. */
async function requestFiles(dir: string, n: number): Promise<string[]> {
  const names = (await fsp.readdir(path.join(dir, '.insomnia/Request'))).sort().slice(0, n);
  return names.map((name) => `.insomnia/Request/${name}`);
}

let edits = 0;
/** Changes the `url:` line of each file (a real edit, different every call). */
async function editFiles(dir: string, files: string[]): Promise<void> {
  edits++;
  for (const f of files) {
    const full = path.join(dir, f);
    const text = await fsp.readFile(full, 'utf8');
    await fsp.writeFile(full, text.replace(/^url: .*$/m, `url: https://bench.example.com/edit/${edits}`));
  }
}

/**
 * Times `hammock` and `cli` for `iterations` rounds (after `warmup`), running `prepare` untimed before each
 * round; the tool that goes first alternates.
 */
async function paired(
  ctx: BenchContext,
  hammock: () => Promise<unknown>,
  cli: () => Promise<unknown>,
  prepare: () => Promise<unknown> = async () => undefined,
  warmup = ctx.warmup,
): Promise<{ hammockMs: number; cliMs: number; ratio: number }> {
  const h: number[] = [];
  const c: number[] = [];
  for (let round = 0; round < warmup + ctx.iterations; round++) {
    await prepare();
    const first = round % 2 === 0 ? [hammock, cli] : [cli, hammock];
    const times = [await timeOnce(first[0]!), await timeOnce(first[1]!)];
    if (round < warmup) continue;
    (round % 2 === 0 ? h : c).push(times[0]!);
    (round % 2 === 0 ? c : h).push(times[1]!);
  }
  const hammockMs = median(h);
  const cliMs = median(c);
  return { hammockMs, cliMs, ratio: hammockMs / cliMs };
}

function record(out: BenchMetrics, name: string, r: { hammockMs: number; cliMs: number; ratio: number }, ctx: BenchContext): void {
  out[`${name}_ms`] = r.hammockMs;
  out[`${name}_cli_ms`] = r.cliMs;
  out[`${name}_ratio`] = r.ratio;
  ctx.log(`${name}: hammock ${r.hammockMs.toFixed(0)} ms, git ${r.cliMs.toFixed(0)} ms, ratio ${r.ratio.toFixed(2)}`);
}

async function benchSize(ctx: BenchContext, port: number, projectRoot: string, label: string, options: GenerateOptions): Promise<BenchMetrics> {
  const out: BenchMetrics = {};
  ctx.log(`${label}: generating and seeding`);
  const seed = await seedRepo(ctx, options, label);
  git(projectRoot, 'init', '-q', '--bare', '-b', 'main', `${label}.git`);
  git(path.join(projectRoot, `${label}.git`), 'fetch', '-q', seed, '+HEAD:refs/heads/main');
  const url = `http://127.0.0.1:${port}/${label}.git`;
  const cliUrl = `http://bench:${TOKEN}@127.0.0.1:${port}/${label}.git`;
  const auth = { getCredentials: () => ({ token: TOKEN }), requestCredentials: async () => undefined };
  const work = await ctx.tempDir(`git-work-${label}`);

  // clone
  let k = 0;
  const clone = await paired(
    ctx,
    () => GitClient.clone({ url, dir: path.join(work, `h-clone-${k}`), auth }),
    () => gitAsync(work, 'clone', '-q', cliUrl, path.join(work, `c-clone-${k}`)),
    async () => {
      for (const d of [`h-clone-${k}`, `c-clone-${k}`]) await fsp.rm(path.join(work, d), { recursive: true, force: true });
      k++;
    },
    1,
  );
  for (const d of [`h-clone-${k}`, `c-clone-${k}`]) await fsp.rm(path.join(work, d), { recursive: true, force: true });
  record(out, `git_clone_${label}`, clone, ctx);

  // the two working copies, and a third one that pushes changes for the pull rounds
  const client = await GitClient.clone({ url, dir: path.join(work, 'hammock'), auth, author: AUTHOR });
  const cliDir = path.join(work, 'cli');
  await gitAsync(work, 'clone', '-q', cliUrl, cliDir);
  const pusher = path.join(work, 'pusher');
  await gitAsync(work, 'clone', '-q', cliUrl, pusher);
  git(cliDir, 'status', '--porcelain'); // let the CLI settle its own index once, as any first status would

  record(out, `git_status_${label}`, await paired(ctx, () => client.status(), async () => git(cliDir, 'status', '--porcelain')), ctx);

  const ten = await requestFiles(client.dir, 10);
  await editFiles(client.dir, ten);
  await editFiles(cliDir, ten);
  for (const d of [client.dir, cliDir]) for (let i = 0; i < 5; i++) await fsp.writeFile(path.join(d, `untracked-${i}.txt`), `${i}\n`);
  const dirty = await paired(ctx, () => client.status(), async () => git(cliDir, 'status', '--porcelain'));
  const st = await client.status();
  if (st.changes.length !== 15) throw new Error(`dirty status saw ${st.changes.length} changes, expected 15`);
  record(out, `git_status_${label}_dirty`, dirty, ctx);
  await client.discard([...ten, ...[0, 1, 2, 3, 4].map((i) => `untracked-${i}.txt`)]);
  git(cliDir, 'checkout', '--', ...ten);
  for (let i = 0; i < 5; i++) await fsp.rm(path.join(cliDir, `untracked-${i}.txt`));

  // pull: a 10-file change from someone else, fast-forwarded into both copies
  const pull = await paired(
    ctx,
    () => client.pull(),
    () => gitAsync(cliDir, 'pull', '-q', '--ff-only'),
    async () => {
      await editFiles(pusher, ten);
      git(pusher, 'commit', '-q', '-am', 'remote change');
      await gitAsync(pusher, 'push', '-q', 'origin', 'main');
    },
  );
  if (git(client.dir, 'rev-parse', 'HEAD') !== git(pusher, 'rev-parse', 'HEAD')) throw new Error('hammock pull did not reach the pushed commit');
  record(out, `git_pull_${label}`, pull, ctx);

  // commit: stage 10 edited files and commit them
  const commit = await paired(
    ctx,
    async () => {
      await client.stage(ten);
      await client.commit('bench commit');
    },
    async () => {
      git(cliDir, 'add', '--', ...ten);
      git(cliDir, 'commit', '-q', '-m', 'bench commit');
    },
    async () => {
      await editFiles(client.dir, ten);
      await editFiles(cliDir, ten);
    },
  );
  if (git(client.dir, 'status', '--porcelain') !== '') throw new Error('hammock commit left changes behind');
  record(out, `git_commit_${label}`, commit, ctx);
  return out;
}

async function bench50k(ctx: BenchContext): Promise<BenchMetrics> {
  ctx.log('50k: generating and committing (cached data, about a minute the first time)');
  const seed = await seedRepo(ctx, LEGACY_50K, '50k');
  git(seed, 'status', '--porcelain');
  const probe = path.join(ctx.root, 'bench/gitStatusProbe.ts');
  const cmd = `ulimit -n 1024 && exec "${process.execPath}" --max-old-space-size=256 --require tsx/cjs "${probe}" "${seed}" 3`;
  let result: { ms: number; heapMb: number; rssMb: number; changes: number } | undefined;
  try {
    result = JSON.parse(execFileSync('bash', ['-c', cmd], { cwd: ctx.root, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim());
  } catch (err) {
    ctx.log(`50k status FAILED under ulimit -n 1024 / 256 MB heap: ${(err as { stderr?: Buffer }).stderr?.toString() ?? String(err)}`);
    return { git_status_50k_ok: 0 };
  }
  const cli: number[] = [];
  for (let i = 0; i < 3; i++) cli.push(await timeOnce(() => git(seed, 'status', '--porcelain')));
  const cliMs = median(cli);
  ctx.log(`git_status_50k: hammock ${result!.ms.toFixed(0)} ms (peak heap ${result!.heapMb.toFixed(0)} MB), git ${cliMs.toFixed(0)} ms`);
  return {
    git_status_50k_ok: result!.changes === 0 ? 1 : 0,
    git_status_50k_ms: result!.ms,
    git_status_50k_cli_ms: cliMs,
    git_status_50k_ratio: result!.ms / cliMs,
    git_status_50k_peak_heap_mb: result!.heapMb,
  };
}

export async function run(ctx: BenchContext): Promise<BenchMetrics> {
  const projectRoot = await ctx.tempDir('git-server');
  const server = await startServer(ctx.root, projectRoot);
  const out: BenchMetrics = {};
  try {
    for (const { label, options } of SIZES) Object.assign(out, await benchSize(ctx, server.port, projectRoot, label, options));
  } finally {
    server.child.kill();
  }
  if (!ctx.quick) Object.assign(out, await bench50k(ctx));
  return out;
}
