// StatusWorkerClient with stand-in workers (no git): a worker that dies at any point of a first status (before it
// says it is ready, while the host reads the index for it, after the request was sent) fails that status; none
// waits forever, and the next status starts a new worker.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StatusWorkerClient } from '../../../src/git/statusWorkerClient';
import { gitCli, initRepo, TempDirs } from './gitTestRepos';

const HEADER = "const { parentPort } = require('worker_threads');\n";
const WORKERS = {
  /** exits as it loads, before saying it is ready */
  'dies before ready': `${HEADER}process.exit(7);`,
  /** says it is ready, then dies on the first request */
  'dies on the request': `${HEADER}parentPort.on('message', () => process.exit(7)); parentPort.postMessage({ id: 0, ready: true });`,
  /** dies a moment after it starts, whatever it was doing (the host may still be reading the index) */
  'dies while the index is read': `${HEADER}setTimeout(() => process.exit(7), 1);`,
  /** throws while loading */
  'throws as it loads': `${HEADER}throw new Error('broken bundle');`,
};

describe('StatusWorkerClient: a worker that dies', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  for (const [what, source] of Object.entries(WORKERS)) {
    it(`${what}: the first status fails, and the next one starts a new worker`, async () => {
      const root = tmp.make('hammock-swc-');
      const dir = path.join(root, 'repo');
      fs.mkdirSync(dir);
      initRepo(dir, { 'a.txt': 'a\n' });
      // (the host reads the index and HEAD's tree for a new worker's first status: both reads are under way)
      const headOid = gitCli(dir, 'rev-parse', 'HEAD');
      const file = path.join(root, 'standIn.js');
      fs.writeFileSync(file, source);
      const client = new StatusWorkerClient(file);
      try {
        const outcome = (p: Promise<unknown>) => p.then(() => 'answered', (err: Error) => `failed: ${err.message}`);
        const first = await outcome(client.compute({ dir, gitdir: path.join(dir, '.git'), headOid }));
        assert.match(first, /^failed: /);
        const second = await outcome(client.compute({ dir, gitdir: path.join(dir, '.git'), headOid }));
        assert.match(second, /^failed: /, 'a new worker was started, and it failed too');
      } finally {
        client.dispose();
      }
    });
  }
});
