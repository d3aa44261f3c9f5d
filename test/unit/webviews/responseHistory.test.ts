// The response history: newest first, at most `limit` per request, kept on disk across instances.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ResponseHistory, type ResponseRecord } from '../../../src/webviews/responseHistory';

function record(i: number, bodyFile?: string): ResponseRecord {
  return {
    requestId: 'req_1', requestName: 'r', method: 'GET', url: `http://x/${i}`, status: 200, statusText: 'OK', elapsedMs: 1,
    size: 1, receivedAt: i, headers: [], bodyBase64: Buffer.from(String(i)).toString('base64'), bodyCut: false, bodyFile,
    cookies: [], timeline: [], curl: 'curl',
  };
}

describe('ResponseHistory', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'hammock-history-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the newest `limit` responses per request, on disk, and deletes a dropped spilled body', async () => {
    const spilled = path.join(dir, 'spilled.bin');
    writeFileSync(spilled, 'big');
    const h = new ResponseHistory(path.join(dir, 'responses'), 3);
    await h.add('a', record(1, spilled));
    for (let i = 2; i <= 4; i++) await h.add('a', record(i));
    await h.add('b', record(9));
    assert.deepEqual((await h.list('a')).map((r) => r.receivedAt), [4, 3, 2]);
    assert.equal(existsSync(spilled), false);
    const again = new ResponseHistory(path.join(dir, 'responses'), 3);
    assert.deepEqual((await again.list('a')).map((r) => r.url), ['http://x/4', 'http://x/3', 'http://x/2']);
    assert.equal((await again.latest('b'))?.receivedAt, 9);
    assert.deepEqual(await again.list('nothing'), []);
  });
});
