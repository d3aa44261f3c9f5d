// Out-of-host probe of the first open's read-ahead (treeFirstLevel.bench.ts): the legacy read worker, as the extension
// starts it (dist/legacyWorker.js, no tsx in the worker), reading the generated 10,000-request legacy repo's
// `.insomnia` folder through readLegacyFolderInWorkers, the host side taking every batch in, as the extension does.
// `node --require tsx/cjs bench/firstOpenProbe.ts <dist/legacyWorker.js> <repo> [cache|nocache] [workers]` prints one
// JSON line: wall to every file in, the worker's own wall and CPU, this process's CPU (all threads).
// With `nocache` the parse cache is off; with `cache` the repo's .git/hammock is removed first (a first open that
// writes the cache, as the bench's first window does). Run it with `--cpu-prof` for the threads' profiles.

import { readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { readLegacyFolderInWorkers } from '../src/collections/legacyReader';
import { threadCpuMs } from '../src/collections/threadCpu';

async function main(): Promise<void> {
  const [workerFile, repo, mode = 'cache', workers = '1'] = process.argv.slice(2);
  if (mode === 'cache') rmSync(path.join(repo!, '.git', 'hammock'), { recursive: true, force: true });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const th0 = threadCpuMs() ?? 0;
  const read = await readLegacyFolderInWorkers(path.join(repo!, '.insomnia'), { file: path.resolve(workerFile!), execArgv: process.env.PROBE_WORKER_ARGV ? process.env.PROBE_WORKER_ARGV.split(' ') : [], workers: Number(workers), cache: mode === 'cache' });
  const wall = performance.now() - t0;
  const thread = (threadCpuMs() ?? 0) - th0;
  const c = process.cpuUsage(c0);
  process.stdout.write(
    JSON.stringify({
      wallMs: Math.round(wall),
      files: read.files.size,
      workerMs: read.workerMs.map(Math.round),
      workerCpuMs: read.workerCpuMs.map(Math.round),
      workerWaitMs: read.workerWaitMs.map(Math.round),
      hostThreadCpuMs: Math.round(thread),
      processCpuMs: Math.round((c.user + c.system) / 1000),
      assembled: read.assembly !== undefined,
      threads: threadTimes(),
    }) + '\n',
  );
}

/** CPU ms of each live thread of this process by name (Linux), the threads of one name added up. */
function threadTimes(): Record<string, number> {
  const out: Record<string, number> = {};
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const comm = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      out[comm] = Math.round((out[comm] ?? 0) + ns / 1e6);
    }
  } catch {
    // not Linux
  }
  return out;
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
