// activation_cost_no_insomnia_ms: what Hammock costs a VS Code window opened on a repository with YAML but no
// Insomnia data: a generated 50,000-file repository (PLAIN_50K: 500 packages of TypeScript, tests, Markdown,
// Kubernetes manifests, CI and config YAML; 7,500 YAML files; and a node_modules the probe must not search).
// Hammock activates there after start-up (onStartupFinished) and must stay idle: the figure is the time it holds the
// extension host's thread: loading its bundle + its activate() + its start-up probe's own work there (taking the file
// search's list, reading and testing first lines; 0 if it did not activate). Reported beside it: each part, the probe's wall time, how much of that was VS Code's file search
// (ripgrep, in another process, so not on the extension host), and how many YAML files the probe read. Each figure is
// the median of RUNS fresh windows.
//
// It needs a real extension host: the module runs `bench/hostIdle/activationCost.test.ts` inside code-server with
// Hammock installed from its .vsix (`test/support/runInCodeServer.mjs --installed --suite=bench/hostIdle
// --workspace=<generated repo>`), which leaves its figures in bench/.data/activation_cost.json. Without code-server
// installed it says so and reports nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { median } from './measure';
import type { BenchContext, BenchMetrics } from './run';

const PLAIN_VERSION = 1;
export const PLAIN_50K = { packages: 500, filesPerPackage: 100 };
/** fresh windows measured; each figure is the median. */
const RUNS = 3;

/** Writes the repository once into `<dataDir>/plain-50k` (kept; a stamp file says which version made it). */
export async function ensurePlainRepo(dataDir: string): Promise<string> {
  const dir = path.join(dataDir, 'plain-50k');
  const stamp = path.join(dir, '.generated');
  if ((await fsp.readFile(stamp, 'utf8').catch(() => '')) === String(PLAIN_VERSION)) return dir;
  await fsp.rm(dir, { recursive: true, force: true });
  for (let p = 0; p < PLAIN_50K.packages; p++) {
    const pkg = path.join(dir, 'packages', `pkg-${p}`);
    const files: [string, string][] = [];
    for (let i = 0; i < 60; i++) files.push([`src/module${i}.ts`, `export const value${i} = ${i};\n`]);
    for (let i = 0; i < 20; i++) files.push([`test/module${i}.test.ts`, `import { value${i} } from '../src/module${i}';\n`]);
    for (let i = 0; i < 10; i++) files.push([`k8s/deploy-${i}.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pkg-${p}-${i}\n`]);
    for (let i = 0; i < 5; i++) files.push([`config/env-${i}.yml`, `# settings ${i}\nport: ${3000 + i}\nfeatures: [a, b]\n`]);
    for (let i = 0; i < 5; i++) files.push([`docs/page${i}.md`, `# Page ${i}\n`]);
    for (const [rel, text] of files) {
      await fsp.mkdir(path.dirname(path.join(pkg, rel)), { recursive: true });
      await fsp.writeFile(path.join(pkg, rel), text);
    }
  }
  // what a JavaScript repository also has, and the probe must not search
  for (let i = 0; i < 200; i++) {
    const mod = path.join(dir, 'node_modules', `dep-${i}`);
    await fsp.mkdir(mod, { recursive: true });
    await fsp.writeFile(path.join(mod, 'index.js'), 'module.exports = {};\n');
    await fsp.writeFile(path.join(mod, '.travis.yml'), 'language: node_js\n');
  }
  await fsp.writeFile(stamp, String(PLAIN_VERSION));
  return dir;
}

export async function run(ctx: BenchContext): Promise<BenchMetrics> {
  const codeServer = path.join(ctx.root, '.vscode-test/code-server/node_modules/code-server/out/node/entry.js');
  if (!existsSync(codeServer) && !process.env.CODE_SERVER_DIR) {
    ctx.log('not measured: code-server is not installed (npm run install:code-server)');
    return {};
  }
  const repo = await ensurePlainRepo(ctx.dataDir);
  const out = path.join(ctx.dataDir, 'activation_cost.json');
  // each run is a fresh window (cold); the figures are the medians of the runs
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < (ctx.quick ? 1 : RUNS); i++) {
    await fsp.rm(out, { force: true });
    const runner = spawnSync(
      process.execPath,
      ['test/support/runInCodeServer.mjs', '--installed', '--suite=bench/hostIdle', `--workspace=${repo}`, '--timeout=300'],
      { cwd: ctx.root, encoding: 'utf8', env: { ...process.env, HAMMOCK_BENCH_OUT: out } },
    );
    const text = await fsp.readFile(out, 'utf8').catch(() => undefined);
    if (runner.status !== 0 || text === undefined) {
      throw new Error(`the in-host run failed (exit ${runner.status}):\n${(runner.stdout + runner.stderr).split('\n').slice(-30).join('\n')}`);
    }
    for (const line of runner.stdout.split('\n')) if (/^\s*cost \d|did not activate/.test(line)) ctx.log(`run ${i + 1}: ${line.trim()}`);
    const measured = JSON.parse(text) as Record<string, unknown>;
    runs.push(Object.fromEntries(Object.entries(measured).filter((e): e is [string, number] => typeof e[1] === 'number')));
  }
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k] ?? 0))]));
}
