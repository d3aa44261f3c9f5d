// A tight loop for the cold status (git.bench.ts's `git_status_10k_cold`): each round a new process runs one status
// with a new GitClient and a new status worker (bench/gitColdStatusChild.ts, bundled as the bench bundles it), as in
// a freshly opened window, for one or more source trees (A/B: interleaved, round-robin), beside
// `git status --porcelain` on an identical copy. Each tree's worker and driver are built with the shipped options
// (esbuild.config.mjs's STATUS_WORKER_BUILD, minified, dist/isogit.js beside it; the driver with the extension's
// plugins, the lazy git bundles beside it).
//   node --require tsx/cjs bench/gitColdStatusProbe.ts <repo> <cli copy> <rounds> <root>[=label] [...]
// Prints per tree the median wall and CPU time (the child process's, the worker's included), and git's median wall.
// The two copies (the bench's 10k repository: `<folder>/a` cloned by Hammock, as the bench's copy is, and `<folder>/b`
// by git clone, both from the loopback server) are made once with
//   node --require tsx/cjs bench/gitColdStatusProbe.ts --setup <folder>
// e.g. `--setup /tmp/cold`, then `node --require tsx/cjs bench/gitColdStatusProbe.ts /tmp/cold/a /tmp/cold/b 12 .=head`.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

interface Tree {
  label: string;
  /** the bundled driver (gitColdStatusChild.ts) and the status worker beside it. */
  child: string;
  workerFile: string;
  wall: number[];
  cpu: number[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1]! : NaN;
};

/** the scratch folders of the builds, removed at exit. */
const scratch: string[] = [];
process.on('exit', () => {
  for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});

/** The status worker and the cold-status driver of the tree at `root`, built as git.bench.ts builds them. */
async function build(root: string): Promise<{ workerFile: string; child: string }> {
  const esbuild = await import('esbuild');
  const config = (await import(pathToFileURL(path.join(root, 'esbuild.config.mjs')).href)) as Record<string, unknown>;
  const STATUS_WORKER_BUILD = config.STATUS_WORKER_BUILD as import('esbuild').BuildOptions;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cold-probe-'));
  scratch.push(dir);
  const production = { ...STATUS_WORKER_BUILD, absWorkingDir: root, minify: true, sourcemap: false };
  await esbuild.build({ ...production, outfile: path.join(dir, 'statusWorker.js') });
  for (const [entry, out] of [
    ['src/git/isogitEntry.ts', 'isogit.js'],
    ['src/git/plumbing/mergeEngine.ts', 'gitMerge.js'],
    ['src/git/gitIdentity.ts', 'gitIdentity.js'],
  ]) {
    await esbuild.build({ ...production, entryPoints: [entry!], outfile: path.join(dir, out!), plugins: [] });
  }
  const plugins = [config.lazyBundles, config.sharedNamespaces] as import('esbuild').Plugin[];
  // this file's driver, over the tree's sources (a tree from before the driver existed is timed the same way)
  const stdin = { contents: fs.readFileSync(path.join(__dirname, 'gitColdStatusChild.ts'), 'utf8'), resolveDir: path.join(root, 'bench'), sourcefile: 'gitColdStatusChild.ts', loader: 'ts' as const };
  await esbuild.build({ ...production, entryPoints: undefined, stdin, outfile: path.join(dir, 'gitColdStatus.js'), plugins });
  return { workerFile: path.join(dir, 'statusWorker.js'), child: path.join(dir, 'gitColdStatus.js') };
}

/** `<folder>/a` and `<folder>/b`: the bench's 10k repository cloned by Hammock and by git from the loopback server. */
async function setup(folder: string): Promise<void> {
  const { ensureLegacyRepo, LEGACY_10K } = require('./generate') as typeof import('./generate');
  const { startServer, git, TOKEN } = require('./git.bench') as typeof import('./git.bench');
  const root = path.resolve(__dirname, '..');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cold-probe-setup-'));
  scratch.push(work);
  const seed = path.join(work, 'seed');
  fs.cpSync(await ensureLegacyRepo(path.join(root, 'bench/.data'), LEGACY_10K), seed, { recursive: true });
  git(seed, 'init', '-q', '-b', 'main');
  git(seed, 'add', '-A');
  git(seed, 'commit', '-q', '-m', 'generated');
  git(work, 'init', '-q', '--bare', '-b', 'main', '10k.git');
  git(path.join(work, '10k.git'), 'fetch', '-q', seed, '+refs/heads/*:refs/heads/*');
  const { port, child } = await startServer(root, work);
  try {
    for (const d of ['a', 'b']) fs.rmSync(path.join(folder, d), { recursive: true, force: true });
    fs.mkdirSync(folder, { recursive: true });
    const auth = { getCredentials: () => ({ token: TOKEN }), requestCredentials: async () => undefined };
    const { GitClient } = require('../src/git/gitClient') as typeof import('../src/git/gitClient');
    await GitClient.clone({ url: `http://127.0.0.1:${port}/10k.git`, dir: path.join(folder, 'a'), auth });
    git(folder, 'clone', '-q', `http://bench:${TOKEN}@127.0.0.1:${port}/10k.git`, path.join(folder, 'b'));
    git(path.join(folder, 'b'), 'status', '--porcelain'); // git settles its own index once, as the bench lets it
  } finally {
    child.kill();
  }
  process.stdout.write(`made ${path.join(folder, 'a')} and ${path.join(folder, 'b')}\n`);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--setup') return setup(path.resolve(process.argv[3] ?? '/tmp/cold'));
  const [repo, cliCopy, roundsArg, ...roots] = process.argv.slice(2);
  const rounds = Number(roundsArg ?? 10);
  const trees: Tree[] = [];
  for (const arg of roots) {
    const [root, label] = arg.split('=') as [string, string | undefined];
    const abs = path.resolve(root);
    trees.push({ label: label ?? abs, ...(await build(abs)), wall: [], cpu: [] });
  }
  const cli: number[] = [];
  for (let round = -1; round < rounds; round++) {
    const order = round % 2 === 0 ? trees : [...trees].reverse();
    for (const t of order) {
      const out = execFileSync(process.execPath, [t.child, repo!, t.workerFile], { env: { ...process.env, NODE_OPTIONS: '' } }).toString();
      const r = JSON.parse(out.trim()) as { ms: number; cpuMs: number };
      if (round >= 0) {
        t.wall.push(r.ms);
        t.cpu.push(r.cpuMs);
      }
    }
    const s = performance.now();
    execFileSync('git', ['status', '--porcelain'], { cwd: cliCopy });
    if (round >= 0) cli.push(performance.now() - s);
  }
  const git = median(cli);
  for (const t of trees) {
    const w = median(t.wall);
    process.stdout.write(`${t.label}: wall ${w.toFixed(1)} ms (ratio ${(w / git).toFixed(2)}), cpu ${median(t.cpu).toFixed(1)} ms; walls ${t.wall.map((x) => x.toFixed(0)).join(' ')}\n`);
  }
  process.stdout.write(`git status: ${git.toFixed(1)} ms; load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
