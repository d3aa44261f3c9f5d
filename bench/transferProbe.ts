// A profiling probe for clone and pull at 10k files (not a bench module: `npx tsx bench/transferProbe.ts`), used to
// find where their time goes. Per round it prints wall time, the CPU time of this process (its main thread, which
// stands for the extension host, and the rest: the transfer worker, the thread pool, V8's helpers), the phases as
// the progress events mark them, and the git CLI doing the same (wall, user+sys of git and its children).
//
//   npx tsx bench/transferProbe.ts [clone|pull|both] [rounds] [--worker <built transferWorker.js>] [--forget-odd|--forget-all]
//
// Run node with --cpu-prof (`node --require tsx/cjs --cpu-prof --cpu-prof-dir=... bench/transferProbe.ts`) for a
// profile of the main thread; PROBE_WORKER_ARGV="--cpu-prof --cpu-prof-dir=..." gives the transfer worker flags of
// its own (a worker started without flags, as the extension host starts it, is not profiled). The threads' line
// splits each thread's CPU time into user time and the rest, the kernel's (for a clone mostly file creation, which
// git's clone pays as well and which swings with the machine's load).

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitClient, type GitClientOptions } from '../src/git/gitClient';
import { forgetProcessCaches } from '../src/git/processCaches';
import { TransferWorkerClient } from '../src/git/transferWorkerClient';
import type { ProgressEvent } from '../src/git/worktree';
import { ensureLegacyRepo, LEGACY_10K } from './generate';
import { GIT_ENV, git, startServer, TOKEN } from './git.bench';
import { maxBlockDuring } from './measure';

const ROOT = path.resolve(__dirname, '..');
/** git (and the processes it runs) timed by bash: wall, user+sys, ms. */
function timedGit(cwd: string, args: string[]): Promise<{ wall: number; cpu: number }> {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `TIMEFORMAT='%R %U %S'; time git ${quoted} >/dev/null`], { cwd, env: process.env.PROBE_GIT_TRACE2 ? { ...GIT_ENV, GIT_TRACE2_PERF: process.env.PROBE_GIT_TRACE2 } : GIT_ENV, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      const m = /([\d.]+) ([\d.]+) ([\d.]+)\s*$/.exec(err);
      if (code !== 0 || !m) reject(new Error(`git ${args[0]} failed: ${err}`));
      else resolve({ wall: Number(m[1]) * 1000, cpu: (Number(m[2]) + Number(m[3])) * 1000 });
    });
  });
}

/** CPU time (ms) of this process's main thread, from /proc. */
function mainThreadCpu(): number {
  const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const tick = 1000 / 100;
  return (Number(fields[11]) + Number(fields[12])) * tick;
}

/** CPU time (ms) of each thread of this process, by thread id and name: user + system, and user alone. */
function threadCpu(): Map<string, { cpu: number; user: number }> {
  const out = new Map<string, { cpu: number; user: number }>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(`${name}#${tid}`, { cpu: (Number(fields[11]) + Number(fields[12])) * 10, user: Number(fields[11]) * 10 });
    } catch {
      /* gone */
    }
  }
  return out;
}

/** each thread's CPU time since `before`: `name#tid total (user)`, ms (the kernel's share is mostly file creation). */
function threadReport(before: Map<string, { cpu: number; user: number }>): string {
  const lines: string[] = [];
  for (const [k, v] of threadCpu()) {
    const b = before.get(k) ?? { cpu: 0, user: 0 };
    if (v.cpu - b.cpu > 0) lines.push(`${k} ${v.cpu - b.cpu} (user ${v.user - b.user})`);
  }
  return lines.join(', ');
}

function processCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}


/** The transfer worker built as bench/git.bench.ts builds it (PROBE_NO_MINIFY=1: readable names in a profile). */
export async function buildWorker(outDir: string): Promise<string> {
  const esbuild = await import('esbuild');
  const outfile = path.join(outDir, 'transferWorker.js');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/git/transferWorker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: !process.env.PROBE_NO_MINIFY,
    legalComments: 'none',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return outfile;
}

/** `<scratch>/srv/10k.git`, a bare repository of the 10k legacy data set (made once), for the loopback server; returns `<scratch>/srv`. */
export async function seedServer(scratch: string): Promise<string> {
  const serverRoot = path.join(scratch, 'srv');
  if (!fs.existsSync(path.join(serverRoot, '10k.git'))) {
    const data = await ensureLegacyRepo(path.join(ROOT, 'bench/.data'), LEGACY_10K);
    const seed = path.join(scratch, 'seed');
    await fsp.rm(seed, { recursive: true, force: true });
    await fsp.cp(data, seed, { recursive: true });
    git(seed, 'init', '-q', '-b', 'main');
    git(seed, 'add', '-A');
    git(seed, 'commit', '-q', '-m', 'generated');
    await fsp.mkdir(serverRoot, { recursive: true });
    git(serverRoot, 'init', '-q', '--bare', '-b', 'main', '10k.git');
    git(path.join(serverRoot, '10k.git'), 'config', 'http.receivepack', 'true');
    git(path.join(serverRoot, '10k.git'), 'fetch', '-q', seed, '+refs/heads/*:refs/heads/*');
  }
  return serverRoot;
}

/**
 * Three copies for pulls of the 10k repository at `url`: Hammock's clone `hdir`, git's `cdir`, and `pusher`, whose
 * `push(i)` commits a change of 10 request files and pushes it.
 */
export async function pullCopies(
  work: string,
  url: string,
  cliUrl: string,
  auth: GitClientOptions['auth'],
  transferWorker: TransferWorkerClient,
): Promise<{ hdir: string; cdir: string; pusher: string; push: (i: number) => Promise<void> }> {
  const hdir = path.join(work, 'hp');
  await GitClient.clone({ url, dir: hdir, auth, author: { name: 'Bench', email: 'bench@hammock.invalid' }, transferWorker });
  const cdir = path.join(work, 'cp');
  git(work, 'clone', '-q', cliUrl, cdir);
  const pusher = path.join(work, 'pusher');
  git(work, 'clone', '-q', cliUrl, pusher);
  const files = fs.readdirSync(path.join(pusher, '.insomnia/Request')).sort().slice(0, 10);
  const push = async (i: number): Promise<void> => {
    for (const f of files) {
      const full = path.join(pusher, '.insomnia/Request', f);
      fs.writeFileSync(full, fs.readFileSync(full, 'utf8').replace(/^url: .*$/m, `url: https://bench.example.com/probe/${Date.now()}-${i}`));
    }
    git(pusher, 'commit', '-q', '-am', 'remote change');
    git(pusher, 'push', '-q', 'origin', 'main');
  };
  return { hdir, cdir, pusher, push };
}

function phaseRecorder(): { onProgress: (p: ProgressEvent) => void; report: (end: number) => string } {
  const t0 = performance.now();
  const phases: { phase: string; at: number }[] = [];
  return {
    onProgress: (p) => {
      if (phases[phases.length - 1]?.phase !== p.phase) phases.push({ phase: p.phase, at: performance.now() - t0 });
    },
    report: (end) =>
      phases
        .map((p, i) => `${p.phase} ${((phases[i + 1]?.at ?? end - t0) - p.at).toFixed(0)}`)
        .join(', ') + ` (first event at ${phases[0]?.at.toFixed(0)})`,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const mode = args[0] ?? 'both';
  const rounds = Number(args[1] ?? 3);
  const wi = args.indexOf('--worker');
  const forgetOdd = args.includes('--forget-odd');
  // --forget-all: every round starts with nothing remembered, as each of the bench's pulls (a fresh client)
  const forgetAll = args.includes('--forget-all');
  const scratch = path.join(os.tmpdir(), 'hammock-transfer-probe');
  await fsp.mkdir(scratch, { recursive: true });
  const serverRoot = await seedServer(scratch);
  const server = await startServer(ROOT, serverRoot);
  process.on('exit', () => server.child.kill());
  process.on('SIGTERM', () => process.exit(143));
  const workerFile = wi >= 0 ? path.resolve(args[wi + 1]!) : await buildWorker(scratch);
  // as the extension host starts it, without this process's tsx flags (PROBE_WORKER_ARGV: flags for the worker
  // alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" for a profile of the worker's thread)
  const transferWorker = new TransferWorkerClient(workerFile, { execArgv: process.env.PROBE_WORKER_ARGV?.split(' ').filter(Boolean) ?? [] });
  const url = `http://127.0.0.1:${server.port}/10k.git`;
  const cliUrl = `http://bench:${TOKEN}@127.0.0.1:${server.port}/10k.git`;
  const auth = { getCredentials: () => ({ token: TOKEN }), requestCredentials: async () => undefined };
  const work = path.join(scratch, 'work');
  await fsp.rm(work, { recursive: true, force: true });
  await fsp.mkdir(work, { recursive: true });
  try {
    // the worker started and warm, as in a window that cloned once
    await GitClient.clone({ url, dir: path.join(work, 'warm'), auth, transferWorker });
    if (mode === 'clone' || mode === 'both') {
      for (let i = 0; i < rounds; i++) {
        const dir = path.join(work, `h-${i}`);
        const rec = phaseRecorder();
        const cpu0 = processCpu();
        const main0 = mainThreadCpu();
        const threads0 = threadCpu();
        const t0 = performance.now();
        const { maxBlockMs } = await maxBlockDuring(() => GitClient.clone({ url, dir, auth, transferWorker, onProgress: rec.onProgress }));
        const wall = performance.now() - t0;
        const cpu = processCpu() - cpu0;
        const mainCpu = mainThreadCpu() - main0;
        const cli = await timedGit(work, ['clone', '-q', cliUrl, path.join(work, `c-${i}`)]);
        console.log(
          `clone ${i}: hammock ${wall.toFixed(0)} ms wall, cpu ${cpu.toFixed(0)} ms (main ${mainCpu.toFixed(0)}, other threads ${(cpu - mainCpu).toFixed(0)}), max block ${maxBlockMs.toFixed(0)} | git ${cli.wall.toFixed(0)} ms wall, cpu ${cli.cpu.toFixed(0)} | ratio ${(wall / cli.wall).toFixed(2)}`,
        );
        console.log(`  phases: ${rec.report(t0 + wall)}`);
        console.log(`  threads: ${threadReport(threads0)}`);
        if (i === 0) {
          const status = git(dir, 'status', '--porcelain');
          const fsck = git(dir, 'fsck', '--full', '--strict', '--no-dangling');
          const same = git(dir, 'ls-files', '-s', '--debug') === git(path.join(work, `c-${i}`), 'ls-files', '-s', '--debug');
          console.log(`  status ${JSON.stringify(status)} fsck ${JSON.stringify(fsck)} ls-files -s equal to git's: ${git(dir, 'ls-files', '-s') === git(path.join(work, `c-${i}`), 'ls-files', '-s')} (with stat data: ${same})`);
        }
        await fsp.rm(dir, { recursive: true, force: true });
        await fsp.rm(path.join(work, `c-${i}`), { recursive: true, force: true });
      }
    }
    if (mode === 'pull' || mode === 'both') {
      const { hdir, cdir, pusher, push } = await pullCopies(work, url, cliUrl, auth, transferWorker);
      for (let i = 0; i < rounds; i++) {
        await push(i);
        // --forget-odd: odd rounds start with nothing remembered from the rounds before (as the bench's pulls do)
        const forgot = forgetAll || (forgetOdd && i % 2 === 1);
        if (forgot) {
          forgetProcessCaches();
          transferWorker?.forgetCaches();
        }
        const rec = phaseRecorder();
        const cpu0 = processCpu();
        const main0 = mainThreadCpu();
        const t0 = performance.now();
        const { maxBlockMs } = await maxBlockDuring(() => new GitClient(hdir, { auth, transferWorker }).pull({ onProgress: rec.onProgress }));
        const end = performance.now();
        const wall = end - t0;
        const cpu = processCpu() - cpu0;
        const mainCpu = mainThreadCpu() - main0;
        const cli = await timedGit(cdir, ['pull', '-q', '--ff-only']);
        console.log(
          `pull ${i}${forgot ? ' (caches forgotten)' : ''}: hammock ${wall.toFixed(0)} ms wall, cpu ${cpu.toFixed(0)} ms (main ${mainCpu.toFixed(0)}, other threads ${(cpu - mainCpu).toFixed(0)}), max block ${maxBlockMs.toFixed(0)} | git ${cli.wall.toFixed(0)} ms wall, cpu ${cli.cpu.toFixed(0)} | ratio ${(wall / cli.wall).toFixed(2)}`,
        );
        console.log(`  phases: ${rec.report(end)}`);
        if (git(hdir, 'rev-parse', 'HEAD') !== git(pusher, 'rev-parse', 'HEAD')) throw new Error('pull did not reach the pushed commit');
      }
      // checked once, after the rounds: a `git status` refreshes (rewrites) the index, which the bench's rounds do
      // not do between pulls (the next pull would then parse a new index, which the bench's does not)
      if (git(hdir, 'status', '--porcelain') !== '') throw new Error('pull left the copy dirty');
      if (git(hdir, 'fsck', '--strict', '--no-dangling') !== '') throw new Error('fsck found problems after the pulls');
      if (git(hdir, 'ls-files', '-s') !== git(cdir, 'ls-files', '-s')) throw new Error("the index differs from git's");
    }
  } finally {
    transferWorker.dispose();
    server.child.kill();
    // a worker that is profiled writes its profile as it exits: give it the time to, before this process ends
    if (process.env.PROBE_WORKER_ARGV) await new Promise((r) => setTimeout(r, 2000));
  }
}

// (run, not imported: pullPairedProbe.ts imports seedServer and buildWorker)
if (require.main === module) {
  void main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
