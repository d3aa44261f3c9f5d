// HAR 1.2: the two real captures under test/fixtures/import/har and captures the tests generate.
import * as assert from 'node:assert/strict';
import { importText } from '../../../../src/collections/convert/importText';
import { collectionToV5Text } from '../../../../src/collections/convert/v5Writer';
import { assertConsistent, byName, comparable, counts, fixtureText, only, tree } from './importFixtures';

interface Entry {
  method?: string;
  url: string;
  headers?: { name: string; value: string }[];
  postData?: Record<string, unknown>;
  status?: number;
}

function har(entries: Entry[]): string {
  return JSON.stringify({
    log: {
      version: '1.2',
      creator: { name: 'test', version: '1' },
      entries: entries.map((e) => ({
        startedDateTime: '2026-01-01T00:00:00.000Z',
        request: { method: e.method ?? 'GET', url: e.url, httpVersion: 'HTTP/1.1', headers: e.headers ?? [], queryString: [], cookies: [], headersSize: -1, bodySize: 0, postData: e.postData },
        response: { status: e.status ?? 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 0, mimeType: 'text/plain' }, redirectURL: '', headersSize: -1, bodySize: 0 },
        cache: {},
        timings: { send: 0, wait: 0, receive: 0 },
      })),
    },
  });
}

describe('importHar: real captures', () => {
  it('firefox 111: 14 GETs, one folder per host, query strings as parameters, responses dropped', () => {
    const result = importText(fixtureText('import/har/mitmproxy-firefox-111.har'), 'mitmproxy-firefox-111.har');
    assert.equal(result.format, 'har');
    const c = only(result);
    assertConsistent(c);
    assert.equal(c.name, 'mitmproxy-firefox-111');
    assert.deepEqual(counts(c), { folders: 2, requests: 14, grpcRequests: 0, websocketRequests: 0, socketIORequests: 0, environments: 0 });
    assert.deepEqual(c.children.map((f) => [f.name, f.kind === 'folder' ? f.children.length : -1]), [['mitmproxy.org', 13], ['s3-us-west-2.amazonaws.com', 1]]);
    const [site, s3] = c.children.map((f) => (f.kind === 'folder' ? f.children : []));
    const first = byName(c, 'GET /', 'request');
    assert.equal(site[0], first, 'capture order: the page first');
    assert.equal(first.url, 'https://mitmproxy.org/');
    assert.equal(first.headers.find((h) => h.name === 'Host'), undefined, 'Host comes from the URL');
    assert.equal(first.headers.find((h) => h.name === 'Connection'), undefined);
    assert.deepEqual(first.headers.find((h) => h.name === 'If-None-Match'), { name: 'If-None-Match', value: 'W/"a1550c2bd25c5bcfef789d730f5bbddf"' });
    const star = site.filter((r) => r.name === 'GET /github-btn.html');
    assert.equal(star.length, 2);
    assert.ok(star[1].kind === 'request');
    assert.equal(star[1].url, 'https://mitmproxy.org/github-btn.html');
    assert.deepEqual(star[1].parameters, [
      { name: 'user', value: 'mitmproxy' },
      { name: 'repo', value: 'mitmproxy' },
      { name: 'type', value: 'star' },
      { name: 'count', value: 'true' },
      { name: 'size', value: 'large' },
    ]);
    const bucket = s3[0];
    assert.ok(bucket.kind === 'request');
    assert.deepEqual([bucket.url, bucket.parameters], ['https://s3-us-west-2.amazonaws.com/snapshots.mitmproxy.org', [{ name: 'delimiter', value: '/' }, { name: 'prefix', value: '' }]]);
    assert.deepEqual(result.dropped.map((d) => [d.what, d.count]), [['response', 14]]);
  });

  it('chrome postdata: one POST, flat, HTTP/2 pseudo-headers and content-length left out, the text/plain body kept', () => {
    const result = importText(fixtureText('import/har/mitmproxy-chrome-postdata.har'));
    const c = only(result);
    assert.deepEqual(tree(c), ['POST /metrics']);
    const r = byName(c, 'POST /metrics', 'request');
    assert.equal(r.method, 'POST');
    assert.equal(r.url, 'https://signal-metrics-collector-beta.s-onetag.com/metrics');
    assert.deepEqual(r.headers.filter((h) => h.name.startsWith(':') || h.name === 'content-length'), []);
    assert.deepEqual(r.headers.slice(0, 2), [{ name: 'accept', value: '*/*' }, { name: 'accept-encoding', value: 'gzip, deflate, br' }]);
    assert.equal(r.headers.length, 15);
    assert.equal(r.body.mimeType, 'text/plain;charset=UTF-8');
    assert.match(r.body.text!, /^\{"metadata":\{"pageViewId":1689428126308/);
    assert.equal(r.body.text!.length, 1310);
    assert.deepEqual(result.dropped, [{ what: 'response', why: 'a collection keeps requests, not captured responses' }]);
  });

  it('both captures round-trip through Hammock`s v5 writer to the same model', () => {
    for (const file of ['mitmproxy-firefox-111.har', 'mitmproxy-chrome-postdata.har']) {
      const first = only(importText(fixtureText(`import/har/${file}`)));
      const again = only(importText(collectionToV5Text(first, { now: 1 })));
      assert.deepEqual(comparable(again), comparable(first), file);
    }
  });
});

describe('importHar: generated captures', () => {
  it('cookies dropped and counted, Authorization kept with a warning, form params and multipart files, ws and data: entries', () => {
    const result = importText(
      har([
        { method: 'post', url: 'https://api.test/login?next=%2Fhome&x=a+b', headers: [{ name: 'Cookie', value: 'sid=abc' }, { name: 'Content-Type', value: 'application/x-www-form-urlencoded' }, { name: 'Content-Length', value: '9' }], postData: { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'user', value: 'me' }], text: 'user=me' } },
        { method: 'POST', url: 'https://api.test/upload#frag', headers: [{ name: 'authorization', value: 'Bearer t' }, { name: 'cookie', value: 'sid=abc' }], postData: { mimeType: 'multipart/form-data; boundary=x', params: [{ name: 'f', fileName: 'a.png', contentType: 'image/png' }, { name: 'n', value: '1' }] } },
        { url: 'wss://api.test/socket?room=1', headers: [{ name: 'Sec-WebSocket-Key', value: 'k' }, { name: 'Origin', value: 'https://api.test' }], status: 101 },
        { url: 'data:image/png;base64,AAAA' },
        { url: 'https://cdn.test/app.js', status: 0 },
        { url: 'not a url' },
      ]),
    );
    const c = only(result);
    assertConsistent(c);
    assert.deepEqual(tree(c), ['api.test/', 'api.test/POST /login', 'api.test/POST /upload', 'api.test//socket', 'cdn.test/', 'cdn.test/GET /app.js']);
    const login = byName(c, 'POST /login', 'request');
    assert.equal(login.url, 'https://api.test/login');
    assert.deepEqual(login.parameters, [{ name: 'next', value: '/home' }, { name: 'x', value: 'a b' }]);
    assert.deepEqual(login.headers, [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }]);
    assert.deepEqual(login.body, { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'user', value: 'me' }] });
    const upload = byName(c, 'POST /upload', 'request');
    assert.equal(upload.url, 'https://api.test/upload');
    assert.deepEqual(upload.headers, [{ name: 'authorization', value: 'Bearer t' }]);
    assert.deepEqual(upload.body, { mimeType: 'multipart/form-data', params: [{ name: 'f', value: '', type: 'file', fileName: 'a.png' }, { name: 'n', value: '1', type: 'text' }] });
    const ws = byName(c, '/socket', 'websocketRequest');
    assert.deepEqual([ws.url, ws.parameters, ws.headers], ['wss://api.test/socket', [{ name: 'room', value: '1' }], [{ name: 'Origin', value: 'https://api.test' }]]);
    const dropped = Object.fromEntries(result.dropped.map((d) => [d.what, d.count ?? 1]));
    // the responses of the imported entries: the cdn entry's status 0 (blocked, never answered) is none; the data:
    // entry and the bad URL are skipped, their responses with them
    assert.deepEqual(dropped, { 'data: entry': 1, response: 3, 'captured Cookie header': 2 });
    assert.match(result.dropped.find((d) => d.what === 'captured Cookie header')!.why, /committed to git/);
    assert.deepEqual(result.warnings, ['1 entry has no request or no valid URL; skipped', '1 request(s) keep the Authorization header captured from the browser: it will be in the files you commit']);
  });

  it('one host: flat; an entry without postData has an empty body; a body text without params keeps its mime type', () => {
    const result = importText(har([{ url: 'http://localhost:8080/a' }, { method: 'PUT', url: 'http://localhost:8080/b', postData: { mimeType: 'application/json', text: '{"a":1}' } }]), 'local.har');
    const c = only(result);
    assert.equal(c.name, 'local');
    assert.deepEqual(tree(c), ['GET /a', 'PUT /b']);
    assert.deepEqual(byName(c, 'GET /a', 'request').body, {});
    assert.deepEqual(byName(c, 'PUT /b', 'request').body, { mimeType: 'application/json', text: '{"a":1}' });
    assert.ok(c.children[0].sortKey < c.children[1].sortKey);
  });

  it('a HAR whose entries are not a list, or whose log is missing, is an ImportError', () => {
    assert.throws(() => importText(JSON.stringify({ log: { entries: {} } })), /HAR file but its `log` has no `entries` list/);
  });
});
