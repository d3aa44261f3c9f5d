// The bench's 10k pull measurement alone (bench/git.bench.ts: `git_pull_10k_ratio`), for working on it without the
// whole git module: per round a 10-file change pushed, every cache forgotten (this thread's and the transfer
// worker's), then a new GitClient's pull and `git pull -q --ff-only` on an identical copy, timed one after the other
// in alternating order as the bench's `paired` does. Prints each round and the medians (warm-up rounds excluded).
//
//   npx tsx bench/pullPairedProbe.ts [rounds=9] [warmup=2]

import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitClient } from '../src/git/gitClient';
import { forgetProcessCaches } from '../src/git/processCaches';
import { TransferWorkerClient } from '../src/git/transferWorkerClient';
import { GIT_ENV, git, startServer, TOKEN } from './git.bench';
import { buildWorker, pullCopies, seedServer } from './transferProbe';

const ROOT = path.resolve(__dirname, '..');
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const gitAsync = (cwd: string, ...args: string[]): Promise<void> =>
  new Promise((resolve, reject) => execFile('git', args, { cwd, env: GIT_ENV }, (err, _o, stderr) => (err ? reject(new Error(stderr)) : resolve())));

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 9);
  const warmup = Number(process.argv[3] ?? 2);
  const scratch = path.join(os.tmpdir(), `hammock-pull-probe-${process.pid}`);
  const serverRoot = await seedServer(scratch);
  const server = await startServer(ROOT, serverRoot);
  const workerFile = await buildWorker(scratch);
  const transferWorker = new TransferWorkerClient(workerFile, { execArgv: [] });
  const url = `http://127.0.0.1:${server.port}/10k.git`;
  const cliUrl = `http://bench:${TOKEN}@127.0.0.1:${server.port}/10k.git`;
  const auth = { getCredentials: () => ({ token: TOKEN }), requestCredentials: async () => undefined };
  try {
    const { hdir, cdir, pusher, push } = await pullCopies(scratch, url, cliUrl, auth, transferWorker);
    const h: number[] = [];
    const c: number[] = [];
    for (let i = 0; i < warmup + rounds; i++) {
      await push(i);
      forgetProcessCaches();
      transferWorker.forgetCaches();
      const time = async (fn: () => Promise<unknown>): Promise<number> => {
        const t0 = performance.now();
        await fn();
        return performance.now() - t0;
      };
      const hammock = () => new GitClient(hdir, { auth, transferWorker }).pull();
      const cli = () => gitAsync(cdir, 'pull', '-q', '--ff-only');
      const [th, tc] = i % 2 === 0 ? [await time(hammock), await time(cli)] : [await time(cli), await time(hammock)].reverse();
      console.log(`round ${i}${i < warmup ? ' (warm-up)' : ''}: hammock ${th.toFixed(1)} ms, git ${tc.toFixed(1)} ms, ratio ${(th / tc).toFixed(2)}`);
      if (i < warmup) continue;
      h.push(th);
      c.push(tc);
    }
    if (git(hdir, 'rev-parse', 'HEAD') !== git(pusher, 'rev-parse', 'HEAD')) throw new Error('pull did not reach the pushed commit');
    if (git(hdir, 'status', '--porcelain') !== '') throw new Error('pull left the copy dirty');
    if (git(hdir, 'ls-files', '-s') !== git(cdir, 'ls-files', '-s')) throw new Error("the index differs from git's");
    const ratios = h.map((x, k) => x / c[k]!);
    console.log(`median: hammock ${median(h).toFixed(1)} ms, git ${median(c).toFixed(1)} ms, ratio of medians ${(median(h) / median(c)).toFixed(2)} (per-round ratios ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}, median ${median(ratios).toFixed(2)})`);
  } finally {
    transferWorker.dispose();
    server.child.kill();
    await fsp.rm(scratch, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
