// Worker-thread entry of the status worker's lstat helper (statusLstat.ts): a bundle of its own
// (esbuild.config.mjs: dist/statusLstatWorker.js, beside dist/statusWorker.js), a few kB, so that its start costs
// little more than a thread's. It takes one job, lstats what it can of it, and exits.

import { parentPort } from 'worker_threads';
import { isExitMessage } from './stopWorker';
import { lstatIndexInto, type LstatJob } from './statusLstat';

parentPort?.once('message', (job: LstatJob) => {
  if (!isExitMessage(job)) lstatIndexInto(job.dir, job.index, job.lstats);
  process.exit(0);
});
