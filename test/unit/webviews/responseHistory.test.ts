// The response history: newest first, at most `limit` per request, kept on disk across instances, filed by the
// collection's workspace id so that a move of its file keeps them, and told apart by file so that copies do not share.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { maxBlockDuring } from '../../../bench/measure';
import { MAX_STORED_BODY, ResponseHistory, type ResponseOwner, type ResponseRecord } from '../../../src/webviews/responseHistory';

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

  it('large bodies (MBs): an add and a first read after a reload never block the event loop > 50 ms; bodies come back whole', async function () {
    this.timeout(60_000);
    const h = history(6);
    const big = (i: number): ResponseRecord => {
      const body = Buffer.alloc(MAX_STORED_BODY, i);
      return { ...record(i), bodyBase64: body.toString('base64'), size: body.length };
    };
    // (the best of three of each: a block the code makes is there every time, a busy machine's pause is not)
    // six stored already, each with a 5 MB body: the next Sends' adds
    for (let i = 1; i <= 6; i++) await h.add(at('/w/a.yaml'), big(i));
    const adding: number[] = [];
    for (let i = 7; i <= 9; i++) {
      const next = big(i);
      adding.push((await maxBlockDuring(() => h.add(at('/w/a.yaml'), next))).maxBlockMs);
    }
    assert.ok(Math.min(...adding) < 50, `adding a response blocked the event loop for ${adding.map((n) => n.toFixed(0)).join(', ')} ms`);
    // a reload: the request's responses read back
    const reading: number[] = [];
    let read: ResponseRecord[] = [];
    for (let i = 0; i < 3; i++) {
      const again = history(6);
      const measured = await maxBlockDuring(() => again.list(at('/w/a.yaml')));
      read = measured.result;
      reading.push(measured.maxBlockMs);
    }
    assert.ok(Math.min(...reading) < 50, `reading the responses back blocked the event loop for ${reading.map((n) => n.toFixed(0)).join(', ')} ms`);
    assert.deepEqual(times(read), [9, 8, 7, 6, 5, 4]);
    for (const r of read) assert.ok(Buffer.from(r.bodyBase64, 'base64').equals(Buffer.alloc(MAX_STORED_BODY, r.receivedAt)), `the body of ${r.receivedAt} whole`);
    // one more drops the oldest: its body goes with it
    await history(6).add(at('/w/a.yaml'), big(10));
    assert.deepEqual(times(await history(6).list(at('/w/a.yaml'))), [10, 9, 8, 7, 6, 5]);
    const onDisk = (d: string): number => readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? onDisk(path.join(d, e.name)) : statSync(path.join(d, e.name)).size), 0);
    assert.ok(onDisk(path.join(dir, 'responses')) < 7 * MAX_STORED_BODY, `a dropped response's body is deleted (${onDisk(path.join(dir, 'responses'))} bytes on disk)`);
  });

  it('values sent from secrets (a private environment, the vault, an auth header) are masked in every file it writes; this session keeps them', async () => {
    // made at run time: no token-shaped literal in the repository
    const token = ['priv', 'Tok', 'Q7vX2mR9kP4sW8zL'].join('');
    const basic = Buffer.from(`me:${token}`).toString('base64');
    const echo = (size: number) => Buffer.from(JSON.stringify({ headers: { authorization: `Bearer ${token}` }, pad: 'x'.repeat(size) }));
    const sent = (i: number, body: Buffer): ResponseRecord => ({
      ...record(i),
      url: `http://x/echo?key=${token}`,
      headers: [['x-echo', token]],
      timeline: [{ kind: 'requestHead', text: `GET /echo?key=${token} HTTP/1.1\r\nAuthorization: Bearer ${token}\r\nProxy-Authorization: Basic ${basic}` }],
      console: [{ level: 'log', text: `token is ${token}`, phase: 'pre-request' }],
      curl: `curl --url 'http://x/echo?key=${token}' --header 'Authorization: Bearer ${token}'`,
      bodyBase64: body.toString('base64'),
      secrets: [token, basic],
    });
    const h = history();
    await h.add(at('/w/a.yaml'), sent(1, echo(10)));
    await h.add(at('/w/a.yaml'), sent(2, echo(200_000)));
    const files = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(d, e.name)) : [path.join(d, e.name)]));
    const written = files(dir);
    assert.ok(written.some((f) => f.endsWith('.bin')), 'a large body has a file of its own');
    for (const f of written) {
      const bytes = readFileSync(f);
      assert.equal(bytes.includes(token), false, `the token is not in ${path.relative(dir, f)}`);
      assert.equal(bytes.includes(basic), false, `the Basic credentials are not in ${path.relative(dir, f)}`);
      assert.equal(bytes.includes('secrets'), false, 'the list of values to mask is never written');
    }
    // what this session shows and copies is what was sent
    const [latest] = await h.list(at('/w/a.yaml'));
    assert.ok(latest.curl.includes(token));
    // after a reload: kept, with the values masked
    const [again, older] = await history().list(at('/w/a.yaml'));
    assert.equal(again.url, 'http://x/echo?key=••••••');
    assert.equal(again.curl, `curl --url 'http://x/echo?key=••••••' --header 'Authorization: Bearer ••••••'`);
    assert.match(again.timeline[0].text, /Authorization: Bearer ••••••\r\nProxy-Authorization: Basic ••••••$/);
    assert.equal(again.console?.[0].text, 'token is ••••••');
    assert.deepEqual(again.headers, [['x-echo', '••••••']]);
    const body = JSON.parse(Buffer.from(again.bodyBase64, 'base64').toString('utf8')) as { headers: { authorization: string }; pad: string };
    assert.equal(body.headers.authorization, 'Bearer ••••••');
    assert.equal(body.pad.length, 200_000, 'the rest of the body as received');
    assert.equal(JSON.parse(Buffer.from(older.bodyBase64, 'base64').toString('utf8')).headers.authorization, 'Bearer ••••••');
    // and says so (the viewer notes it); this session's own record, shown as sent, does not
    assert.equal(again.masked, true);
    assert.equal(latest.masked, undefined);
  });

  it('a response that carried no secret is not marked masked when read back', async () => {
    await history().add(at('/w/b.yaml'), record(1));
    const [again] = await history().list(at('/w/b.yaml'));
    assert.equal(again.masked, undefined);
  });
});
