// TransferWorkerClient's bookkeeping with a stand-in worker (no git): which requests a worker's end fails.
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { TransferWorkerClient } from '../../../src/git/transferWorkerClient';
import { TempDirs } from './gitTestRepos';

/** A worker that answers each `start` with `done` after `ms`, and exits when asked to (stopWorker's message). */
const STAND_IN = `
const { parentPort } = require('worker_threads');
parentPort.on('message', (m) => {
  if (m && m.type === 'exit') process.exit(0);
  if (m && m.type === 'start') setTimeout(() => parentPort.postMessage({ type: 'done', id: m.id, result: { id: m.id } }), 200);
});
`;

describe('TransferWorkerClient', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  it("a disposed worker's exit fails only its own requests: the transfer sent to the worker after it still answers", async () => {
    const file = path.join(tmp.make('hammock-twc-'), 'standIn.js');
    fs.writeFileSync(file, STAND_IN);
    const client = new TransferWorkerClient(file);
    const run = () => client.run({} as never, {} as never);
    try {
      assert.deepEqual(await run(), { id: 1 });
      const first = (client as unknown as { worker: Worker }).worker;
      client.dispose(); // asked to exit: its 'exit' comes a little later
      const second = run();
      const settled = second.then(() => 'answered', (err: Error) => err.message);
      await once(first, 'exit');
      // (before: the first worker's exit rejected every pending request, this one too, and forgot it: the second
      // worker's answer was dropped and the worker left ref-ed, holding the process open)
      assert.equal(await settled, 'answered');
      assert.deepEqual(await second, { id: 2 });
    } finally {
      client.dispose();
    }
  });
});
