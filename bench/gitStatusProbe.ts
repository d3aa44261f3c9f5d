// Child process of git.bench.ts: one status of a large repository under the limits the extension host may have
// (run as `ulimit -n 1024; node --max-old-space-size=256 --require tsx/cjs bench/gitStatusProbe.ts <dir> [runs]`).
// Prints one JSON line: { ms (median), heapMb (peak heapUsed), rssMb (peak), changes }.

import { computeStatus } from '../src/git/status';

async function main(): Promise<void> {
  const dir = process.argv[2];
  const runs = Number(process.argv[3] ?? 3);
  let peakHeap = 0;
  let peakRss = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  };
  const timer = setInterval(sample, 5);
  const times: number[] = [];
  let changes = 0;
  const cache = {};
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const st = await computeStatus({ dir, cache });
    times.push(performance.now() - t);
    changes = st.changes.length + st.staged.length;
    sample();
  }
  clearInterval(timer);
  times.sort((a, b) => a - b);
  process.stdout.write(
    JSON.stringify({ ms: times[times.length >> 1], heapMb: peakHeap / 2 ** 20, rssMb: peakRss / 2 ** 20, changes }) + '\n',
  );
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
