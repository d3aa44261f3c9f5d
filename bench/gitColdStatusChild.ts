// One cold status in a process of its own, as in a freshly opened window: a new GitClient and a new status worker,
// and the extension host's side of the status (GitClient, StatusWorkerClient, the lstats it takes beside a new worker)
// never run before in this process, so its code is as cold as the worker's. Run bundled, as the extension runs it:
// git.bench.ts builds this file with the extension's production options beside the status worker it times
// (buildStatusWorker), and runs `node gitColdStatus.js <repo> <statusWorker.js>` once per cold round.
// The modules are loaded before the clock starts (the extension's bundle is loaded at activation); timed is what
// the bench times in a warm process: from `new StatusWorkerClient` to the status.
// Prints one line of JSON: `ms` (wall) and `cpuMs` (this process's CPU time in that span, the worker's included).

import { GitClient } from '../src/git/gitClient';
import { StatusWorkerClient } from '../src/git/statusWorkerClient';

async function main(): Promise<void> {
  const [dir, workerFile] = process.argv.slice(2);
  if (!dir || !workerFile) throw new Error('usage: gitColdStatus.js <repo> <statusWorker.js>');
  const cpu = process.cpuUsage();
  const start = performance.now();
  const worker = new StatusWorkerClient(workerFile);
  try {
    const st = await new GitClient(dir, { statusWorker: worker }).status();
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    if (st.changes.length || st.staged.length) throw new Error('cold status: the copy is not clean');
    process.stdout.write(`${JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000 })}\n`);
  } finally {
    worker.dispose();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
