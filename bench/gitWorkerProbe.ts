// Child process of git.bench.ts: the status worker's resident memory. Starts the bundled worker
// (`node --expose-gc --require tsx/cjs bench/gitWorkerProbe.ts <statusWorker.js> <dir>`), has it compute two
// statuses of `dir` (the first cold, the second warm), and prints one JSON line: { peakMb, settledMb }: the peak
// RSS of this process while the worker ran, and the RSS once both statuses were done, each less the RSS before the
// worker started (this process's own, which does nothing meanwhile: what the worker adds).

import * as path from 'node:path';
import { StatusWorkerClient } from '../src/git/statusWorkerClient';

async function main(): Promise<void> {
  const [workerFile, dir] = process.argv.slice(2);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((r) => setTimeout(r, 50));
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
  // execArgv []: as the extension host starts it, not inheriting this process's `--require tsx/cjs` (see git.bench.ts)
  const worker = new StatusWorkerClient(workerFile!, { execArgv: [] });
  try {
    // with the gitdir, as GitClient.status asks: the first status then reads the index on this side and lstats
    // beside the worker (statusLstat.ts), as in the extension
    const options = { dir: dir!, gitdir: path.join(dir!, '.git') };
    await worker.compute(options);
    await worker.compute(options);
    await new Promise((r) => setTimeout(r, 50));
    const settled = process.memoryUsage.rss();
    peak = Math.max(peak, settled);
    clearInterval(timer);
    process.stdout.write(JSON.stringify({ peakMb: (peak - before) / 2 ** 20, settledMb: (settled - before) / 2 ** 20 }) + '\n');
  } finally {
    worker.dispose();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
