// The response history: newest first, at most `limit` per request, kept on disk across instances, filed by the
// collection's workspace id so that a move of its file keeps them, and told apart by file so that copies do not share.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ResponseHistory, type ResponseOwner, type ResponseRecord } from '../../../src/webviews/responseHistory';

function record(i: number, bodyFile?: string): ResponseRecord {
  return {
    requestId: 'req_1', requestName: 'r', method: 'GET', url: `http://x/${i}`, status: 200, statusText: 'OK', elapsedMs: 1,
    size: 1, receivedAt: i, headers: [], bodyBase64: Buffer.from(String(i)).toString('base64'), bodyCut: false, bodyFile,
    cookies: [], timeline: [], curl: 'curl',
  };
}

const WRK = 'wrk_1';
const at = (collectionPath: string, requestId = 'req_1'): ResponseOwner => ({ collectionPath, collectionId: WRK, requestId });
const times = (records: readonly ResponseRecord[]) => records.map((r) => r.receivedAt);

describe('ResponseHistory', () => {
  let dir: string;
  /** the files that hold the request now, as the store would say */
  let holders: string[];
  const history = (limit = 20) => new ResponseHistory(path.join(dir, 'responses'), () => holders, limit);
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hammock-history-'));
    holders = ['/w/a.yaml'];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the newest `limit` responses per request, on disk, and deletes a dropped spilled body', async () => {
    const spilled = path.join(dir, 'spilled.bin');
    writeFileSync(spilled, 'big');
    const h = history(3);
    await h.add(at('/w/a.yaml'), record(1, spilled));
    for (let i = 2; i <= 4; i++) await h.add(at('/w/a.yaml'), record(i));
    await h.add(at('/w/a.yaml', 'req_2'), record(9));
    assert.deepEqual(times(await h.list(at('/w/a.yaml'))), [4, 3, 2]);
    assert.equal(existsSync(spilled), false);
    const again = history(3);
    assert.deepEqual((await again.list(at('/w/a.yaml'))).map((r) => r.url), ['http://x/4', 'http://x/3', 'http://x/2']);
    assert.equal((await again.latest(at('/w/a.yaml', 'req_2')))?.receivedAt, 9);
    assert.deepEqual(await again.list(at('/w/a.yaml', 'nothing')), []);
  });

  it('after the file is moved, the request shows its responses at the new path, and the next one joins them', async () => {
    const h = history();
    await h.add(at('/w/a.yaml'), record(1));
    await h.add(at('/w/a.yaml'), record(2));
    holders = ['/w/b.yaml'];
    assert.deepEqual(times(await h.list(at('/w/b.yaml'))), [2, 1], 'seen at once, in this instance');
    assert.deepEqual(times(await history().list(at('/w/b.yaml'))), [2, 1], 'and after a reload');
    // once seen at the new place they are its own: a copy of the moved file made later has none of them
    holders = ['/w/b.yaml', '/w/copy.yaml'];
    assert.deepEqual(times(await h.list(at('/w/b.yaml'))), [2, 1]);
    assert.deepEqual(await h.list(at('/w/copy.yaml')), []);
    await h.add(at('/w/b.yaml'), record(3));
    // moved back, and a copy left where it was: each file has what was sent from it since
    holders = ['/w/a.yaml', '/w/b.yaml'];
    const reloaded = history();
    assert.deepEqual(times(await reloaded.list(at('/w/b.yaml'))), [3, 2, 1], 'the adopted ones are b\'s now');
    assert.deepEqual(await reloaded.list(at('/w/a.yaml')), []);
  });

  it('two files with the same workspace id and request do not share responses', async () => {
    holders = ['/w/a.yaml', '/w/copy.yaml'];
    const h = history();
    await h.add(at('/w/a.yaml'), record(1));
    assert.deepEqual(await h.list(at('/w/copy.yaml')), [], 'the copy has none of the original\'s');
    await h.add(at('/w/copy.yaml'), record(2));
    assert.deepEqual(times(await h.list(at('/w/a.yaml'))), [1]);
    assert.deepEqual(times(await h.list(at('/w/copy.yaml'))), [2]);
    assert.deepEqual(times(await history().list(at('/w/a.yaml'))), [1]);
    // the original moved away with two files that could be where it went: neither guesses
    holders = ['/w/copy.yaml', '/w/copy2.yaml'];
    assert.deepEqual(times(await h.list(at('/w/copy.yaml'))), [2]);
    assert.deepEqual(await h.list(at('/w/copy2.yaml')), []);
  });

  it('takes in the file an earlier version kept for the request at its path (by path and id)', async () => {
    const responses = path.join(dir, 'responses');
    mkdirSync(responses);
    const old = path.join(responses, `${createHash('sha1').update('/w/a.yaml#req_1').digest('hex')}.json`);
    writeFileSync(old, JSON.stringify([record(5), record(4)]));
    const h = history();
    assert.deepEqual(times(await h.list(at('/w/a.yaml'))), [5, 4]);
    assert.equal(existsSync(old), false, 'moved into the new file');
    holders = ['/w/moved.yaml'];
    assert.deepEqual(times(await history().list(at('/w/moved.yaml'))), [5, 4], 'and they follow a move');
  });
});
