// The measurement of largeResponseBlock.test.ts, run in a process of its own (a fresh heap: what is measured is the
// work's own synchronous stretches, not the collections of a test runner's heap grown by the suites before it).
// Prints the largest event-loop block of each of three Sends of a 60 MB response of the given type, as JSON.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { maxBlockDuring } from '../../../bench/measure';
import { closeConnections, sendRequest } from '../../../src/http';
import { MAX_STORED_BODY, ResponseHistory } from '../../../src/webviews/responseHistory';

// the loopback server, in a process of its own: its pumping is not this loop's
const SERVER = `
const http = require('node:http');
const srv = http.createServer((req, res) => {
  const total = 60 * 1024 * 1024;
  res.writeHead(200, { 'content-type': new URL(req.url, 'http://x').searchParams.get('type'), 'content-length': String(total) });
  const block = Buffer.alloc(64 * 1024, 0x61);
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      sent += block.length;
      if (!res.write(block)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
});
srv.listen(0, '127.0.0.1', () => process.send(srv.address().port));
`;

async function main(type: string): Promise<void> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const dir = mkdtempSync(path.join(tmpdir(), 'hammock-large-'));
  try {
    const port = await new Promise<number>((resolve) => server.once('message', (m) => resolve(Number(m))));
    const history = new ResponseHistory(path.join(dir, 'responses'), () => ['/w/a.yaml']);
    const owner = { collectionPath: '/w/a.yaml', collectionId: 'wrk_1', requestId: 'req_big' };
    const blocks: number[] = [];
    const sizes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { result, maxBlockMs } = await maxBlockDuring(async () => {
        const res = await sendRequest({ method: 'GET', url: `http://127.0.0.1:${port}/big?type=${type}`, headers: [], bodyKind: 'none', settings: { followRedirects: 'global', sendCookies: true, storeCookies: true } }, { followRedirects: true, rejectUnauthorized: true, tempDir: dir });
        await history.add(owner, {
          requestId: owner.requestId, requestName: 'big', method: 'GET', url: 'http://x/big', status: res.status, statusText: res.statusText, elapsedMs: res.timings.total,
          size: res.bodySize, receivedAt: Date.now(), headers: res.headers, cookies: [], timeline: [], curl: '', bodyFile: res.bodyFile,
          bodyBase64: res.body.subarray(0, MAX_STORED_BODY).toString('base64'), bodyCut: res.truncated,
        });
        return res;
      });
      blocks.push(maxBlockMs);
      sizes.push(result.bodyFile ? result.bodySize : -1);
    }
    process.stdout.write(JSON.stringify({ blocks, sizes }));
  } finally {
    server.kill();
    await closeConnections();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main(process.argv[2] ?? 'application/octet-stream');
