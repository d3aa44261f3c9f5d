// hammock_ls_10k_ms: wall time of `node dist/cli.js ls <repo> --json` on the generated 10,000-request legacy repo
// (spawn to exit, output collected), next to `node -e ''` (node_startup_ms: what any node CLI costs before doing
// anything). The CLI is the production bundle (bench/productionBuild.ts), i.e. what ships, not the checkout's dev build.
import { spawn } from 'node:child_process';
import type { BenchContext, BenchMetrics } from './run';
import { ensureLegacyRepo, LEGACY_10K } from './generate';
import { measurePaired } from './measure';
import { productionBuild } from './productionBuild';

interface Spawned {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnNode(args: readonly string[], cwd: string): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** Sum of every numeric `requests` field in the JSON output (however `ls --json` nests its per-collection counts). */
export function countRequests(json: unknown): number {
  if (Array.isArray(json)) return json.reduce((sum: number, item) => sum + countRequests(item), 0);
  if (!json || typeof json !== 'object') return 0;
  let sum = 0;
  for (const [key, value] of Object.entries(json)) {
    if (key === 'requests' && typeof value === 'number') sum += value;
    else sum += countRequests(value);
  }
  return sum;
}

export async function run(ctx: BenchContext): Promise<BenchMetrics> {
  const [repo, build] = await Promise.all([
    ensureLegacyRepo(ctx.dataDir, LEGACY_10K),
    productionBuild(ctx.root, (name) => ctx.tempDir(name)),
  ]);
  const lsArgs = [build.cli, 'ls', repo, '--json'];

  // Check once that the command does the job, so we never time an error message.
  const probe = await spawnNode(lsArgs, ctx.root);
  if (probe.code !== 0) throw new Error(`hammock ls exited ${probe.code}: ${(probe.stderr || probe.stdout).trim().slice(0, 500)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(probe.stdout);
  } catch {
    throw new Error(`hammock ls --json printed no JSON: ${probe.stdout.trim().slice(0, 200)}`);
  }
  const requests = countRequests(parsed);
  if (requests !== LEGACY_10K.requests) {
    throw new Error(`hammock ls --json reports ${requests} requests, the repo has ${LEGACY_10K.requests}`);
  }

  const result = await measurePaired(
    async () => {
      const r = await spawnNode(lsArgs, ctx.root);
      if (r.code !== 0) throw new Error(`hammock ls exited ${r.code}`);
    },
    () => spawnNode(['-e', ''], ctx.root),
    { warmup: 1, iterations: ctx.iterations },
  );
  ctx.log(`hammock ls (10k) ${result.subjectMs.toFixed(0)} ms, node -e '' ${result.baselineMs.toFixed(0)} ms`);
  return {
    hammock_ls_10k_ms: result.subjectMs,
    node_startup_ms: result.baselineMs,
  };
}
