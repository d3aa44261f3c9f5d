// Stopping a worker: asked to exit (it does, between two tasks), terminated only when it does not answer.
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { stopWorker } from '../../../src/git/stopWorker';

describe('stopWorker', () => {
  it('a worker that listens exits by itself (code 0), not terminated', async () => {
    const w = new Worker(`const { parentPort } = require('worker_threads'); parentPort.on('message', (m) => { if (m && m.type === 'exit') process.exit(0); });`, { eval: true });
    await once(w, 'online');
    let terminated = false;
    const terminate = w.terminate.bind(w);
    w.terminate = () => ((terminated = true), terminate());
    stopWorker(w, 5000);
    const [code] = (await once(w, 'exit')) as [number];
    assert.equal(code, 0);
    assert.equal(terminated, false);
  });

  it('a worker that does not answer is terminated after the grace', async () => {
    const w = new Worker(`const { parentPort } = require('worker_threads'); parentPort.on('message', () => { for (;;) {} });`, { eval: true });
    await once(w, 'online');
    const started = Date.now();
    stopWorker(w, 50);
    const [code] = (await once(w, 'exit')) as [number];
    assert.equal(code, 1, 'terminate() ends a worker with code 1');
    assert.ok(Date.now() - started < 5000);
  });
});
