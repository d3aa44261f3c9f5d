// The cURL importer: the 10 real commands of test/fixtures/import/curl (field by field, and on the wire: each
// command run by the real curl and its import sent by Hammock's engine to the same loopback echo server), the shell
// tokenizer (POSIX and cmd.exe pastes), curl's option grammar, and malformed pastes.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { importCurl, isCurlText, looksLikeName, requestName, urlName } from '../../../../src/collections/convert/importCurl';
import { importText } from '../../../../src/collections/convert/importText';
import type { ImportResult } from '../../../../src/collections/convert/importTypes';
import { splitShellCommands } from '../../../../src/collections/convert/shellWords';
import type { HttpRequest } from '../../../../src/collections/model';
import { buildRenderContext, closeConnections, renderRequest, sendRequest, toCurl, type RenderedRequest } from '../../../../src/http';
import { startTestServer, type TestServer } from '../../../support/httpServer';
import { throwsImport } from './importFixtures';

const FIXTURE = path.resolve(process.cwd(), 'test/fixtures/import/curl/commands.txt');

function requests(result: ImportResult): HttpRequest[] {
  assert.equal(result.collections.length, 1);
  return result.collections[0].children.map((c) => {
    assert.equal(c.kind, 'request');
    return c as HttpRequest;
  });
}

function one(text: string): { request: HttpRequest; result: ImportResult } {
  const result = importCurl(text);
  const list = requests(result);
  assert.equal(list.length, 1);
  return { request: list[0], result };
}

describe('importCurl: the fixture commands', () => {
  const text = readFileSync(FIXTURE, 'utf8');
  const result = importText(text, 'commands.txt');
  const list = requests(result);

  it('is detected as cURL and gives one request per command, in order, with fresh Insomnia ids', () => {
    assert.equal(result.format, 'curl');
    assert.equal(list.length, 10);
    const c = result.collections[0];
    assert.match(c.id, /^wrk_[0-9a-f]{32}$/);
    assert.equal(c.name, 'commands');
    for (const r of list) {
      assert.match(r.id, /^req_[0-9a-f]{32}$/);
      assert.equal(r.parentId, c.id);
      assert.equal(r.source.file, '');
    }
    const keys = list.map((r) => r.sortKey);
    assert.deepEqual([...keys].sort((a, b) => a - b), keys);
    assert.equal(new Set(keys).size, keys.length);
  });

  it('1. Twilio: POST, --data-urlencode and -d joined as a form, -u as basic auth', () => {
    const r = list[0];
    assert.equal(r.method, 'POST');
    assert.equal(r.url, 'https://api.twilio.com/2010-04-01/Accounts/ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX/Messages.json');
    assert.equal(r.name, 'POST /2010-04-01/Accounts/ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX/Messages.json', 'named by its method and path');
    assert.deepEqual(r.parameters, []);
    assert.deepEqual(r.headers, []);
    assert.deepEqual(r.body, {
      mimeType: 'application/x-www-form-urlencoded',
      params: [
        { name: 'To', value: '+15558675310' },
        { name: 'From', value: '+15017122661' },
        { name: 'Body', value: 'This is the ship that made the Kessel Run in fourteen parsecs?' },
        { name: 'MediaUrl', value: 'https://c1.staticflickr.com/3/2899/14341091933_1e92e62d12_b.jpg' },
      ],
    });
    assert.deepEqual(r.authentication, { type: 'basic', username: 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', password: 'your_auth_token' });
  });

  it('2. ntfy: three -H headers, a -d text body, a URL without scheme', () => {
    const r = list[1];
    assert.equal(r.method, 'POST');
    assert.equal(r.url, 'http://ntfy.sh/phil_alerts');
    assert.deepEqual(r.headers, [
      { name: 'Title', value: 'Unauthorized access detected' },
      { name: 'Priority', value: 'urgent' },
      { name: 'Tags', value: 'warning,skull' },
    ]);
    assert.deepEqual(r.body, { mimeType: 'text/plain', text: 'Remote access to phils-laptop detected. Act right away.' });
    assert.deepEqual(r.authentication, {});
    assert.ok(result.warnings.some((w) => w.startsWith('command 2 (line 4)') && /application\/x-www-form-urlencoded/.test(w)));
  });

  it('3. ntfy: an Authorization header is kept as written', () => {
    const r = list[2];
    assert.equal(r.method, 'POST');
    assert.equal(r.url, 'https://ntfy.example.com/mysecrets');
    assert.deepEqual(r.headers, [{ name: 'Authorization', value: 'Bearer tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2' }]);
    assert.deepEqual(r.body, { mimeType: 'text/plain', text: 'Look ma, with auth' });
  });

  it('4. ntfy: -u as basic auth', () => {
    const r = list[3];
    assert.equal(r.method, 'POST');
    assert.deepEqual(r.authentication, { type: 'basic', username: 'testuser', password: 'fakepassword' });
    assert.deepEqual(r.body, { mimeType: 'text/plain', text: 'Look ma, with auth' });
  });

  it('5. ntfy: -T is a PUT of the file', () => {
    const r = list[4];
    assert.equal(r.method, 'PUT');
    assert.equal(r.url, 'http://ntfy.sh/flowers');
    assert.deepEqual(r.headers, [{ name: 'Filename', value: 'flower.jpg' }]);
    assert.deepEqual(r.body, { mimeType: 'application/octet-stream', fileName: 'flower.jpg' });
  });

  it('6. ntfy: --globoff keeps {{...}} in the query, which becomes parameters; a JSON body; the foreign templates are flagged', () => {
    const r = list[5];
    assert.equal(r.method, 'POST');
    assert.equal(r.url, 'http://ntfy.sh/mytopic');
    assert.deepEqual(r.parameters, [
      { name: 'tpl', value: 'yes' },
      { name: 't', value: '{{.hostname}}: A {{.error.level}} error has occurred' },
      { name: 'm', value: 'Error message: {{.error.desc}}' },
    ]);
    assert.deepEqual(r.body, { mimeType: 'application/json', text: '{"hostname": "phil-pc", "error": {"level": "severe", "desc": "Disk has run out of space"}}' });
    for (const t of ['{{.hostname}}', '{{.error.level}}', '{{.error.desc}}']) {
      assert.ok(result.warnings.some((w) => w.includes(`"${t}" is not an Insomnia template`)), t);
    }
  });

  it('7. RabbitMQ: -XPUT glued, -d glued, a header without a space after the colon, -i dropped as output-only', () => {
    const r = list[6];
    assert.equal(r.method, 'PUT');
    assert.equal(r.url, 'http://localhost:15672/api/exchanges/%2F/my-new-exchange');
    assert.deepEqual(r.headers, [{ name: 'content-type', value: 'application/json' }]);
    assert.deepEqual(r.body, { mimeType: 'application/json', text: '{"type":"direct","durable":true}' });
    assert.deepEqual(r.authentication, { type: 'basic', username: 'guest', password: 'guest' });
    assert.ok(result.dropped.some((d) => d.what === 'curl option -i (--include)' && /prints/.test(d.why)));
  });

  it('8. curl manual: -F text and file parts', () => {
    const r = list[7];
    assert.equal(r.method, 'POST');
    assert.equal(r.url, 'https://www.example.com/postit.cgi');
    assert.deepEqual(r.body, {
      mimeType: 'multipart/form-data',
      params: [
        { name: 'file', value: '', type: 'file', fileName: 'cooltext.txt' },
        { name: 'yourname', value: 'Daniel' },
        { name: 'filedescription', value: 'Cool text file with cool text inside' },
      ],
    });
  });

  it('9. curl manual: several files in one -F field, with ;type=, become file parts; the grouping and the type are noted', () => {
    const r = list[8];
    assert.deepEqual(r.body, {
      mimeType: 'multipart/form-data',
      params: ['fil1.gif', 'fil2.txt', 'fil3.html'].map((f) => ({ name: 'coolfiles', value: '', type: 'file', fileName: f })),
    });
    assert.ok(result.dropped.some((d) => d.what === 'multipart/mixed grouping of field "coolfiles" (command 9 (line 18))'));
    assert.ok(result.dropped.some((d) => d.what === '"type=image/gif" of form field "coolfiles" (command 9 (line 18))'));
  });

  it('10. curl manual: --data-urlencode "name=a&b" encodes the & into the value', () => {
    const r = list[9];
    assert.equal(r.method, 'POST');
    assert.equal(r.url, 'https://www.example.com/guest.cgi');
    assert.deepEqual(r.body, { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'name', value: 'Rafael Sagula&phone=3320780' }] });
  });
});

describe('importCurl: on the wire, the real curl and the imported request send the same thing', function () {
  this.timeout(60000);
  let server: TestServer;
  let tmp: string;
  before(async () => {
    server = await startTestServer();
    tmp = mkdtempSync(path.join(tmpdir(), 'hammock-curl-import-'));
    writeFileSync(path.join(tmp, 'flower.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 3]));
    writeFileSync(path.join(tmp, 'cooltext.txt'), 'cool text\n');
    writeFileSync(path.join(tmp, 'fil1.gif'), 'GIF89a');
    writeFileSync(path.join(tmp, 'fil2.txt'), 'two\n');
    writeFileSync(path.join(tmp, 'fil3.html'), '<p>three</p>\n');
  });
  after(async () => {
    await closeConnections();
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  interface Echo {
    method: string;
    url: string;
    headers: Record<string, string>;
    body: string;
    bodyBase64: string;
    form?: Record<string, string>;
    parts?: { name: string; fileName?: string; text: string }[];
  }

  const lines = readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => l.startsWith('curl '));
  const HOSTS = /(https?:\/\/)?(api\.twilio\.com|ntfy\.sh|ntfy\.example\.com|localhost:15672|www\.example\.com|x\.test)/;
  // more commands written for this test: the options the fixture does not use
  const extra = [
    `curl -G -d a=1 --data-urlencode 'b=x y&z' 'x.test/g?q=0'`,
    `curl --json '{"a":[1,2]}' https://x.test/j`,
    `curl -b 'a=1; b=2' -A 'Agent/1' -e https://ref.test/ -H 'X-A: 1' x.test/h`,
    `curl --data-binary @fil2.txt -H 'Content-Type: text/plain' x.test/b`,
    `curl -X PATCH -d 'a=1' -d 'b=2 3' x.test/p`,
    `curl --url-query 'x=a b' --url-query y=2 'x.test/u?z=0'`,
    `curl -u 'user:p@ss:word' --digest x.test/d`,
    `curl -d $'line1\\nline2' -H 'Content-Type: text/plain' x.test/n`,
    `curl -F 'meta={"a":1};type=application/json' -F 'doc=@fil3.html' -F 'n=2' x.test/f`,
    `curl -H 'Content-Type: application/x-www-form-urlencoded' -d '{"a":1}' x.test/t`,
  ];

  [...lines, ...extra].forEach((line, n) => {
    it(`command ${n + 1}${n >= lines.length ? ` (written for the test: ${line.slice(5, 40)}...)` : ''}`, async () => {
      const echoBase = `${server.httpUrl}/echo`;
      const local = line.replace(HOSTS, echoBase);
      assert.notEqual(local, line);
      const { stdout } = await promisify(execFile)('bash', ['-c', local], { cwd: tmp, maxBuffer: 1 << 20 });
      const json = stdout.startsWith('HTTP/') ? stdout.slice(stdout.indexOf('\r\n\r\n') + 4) : stdout;
      const byCurl = JSON.parse(json) as Echo;

      const result = importCurl(local);
      const [req] = requests(result);
      for (const p of req.body.params ?? []) if (p.type === 'file') p.fileName = path.join(tmp, p.fileName ?? '');
      if (req.body.fileName) req.body.fileName = path.join(tmp, req.body.fileName);
      const col = result.collections[0];
      if (result.warnings.some((w) => /is not an Insomnia template/.test(w))) {
        // ntfy's own Go templates in the query: the import keeps them as written and says they will not render
        await assert.rejects(renderRequest(req, col, buildRenderContext(col, req.id)), /Template error in parameter "t"/);
        assert.equal(byCurl.method, req.method);
        assert.deepEqual([...new URL(byCurl.url, 'http://x').searchParams], req.parameters.map((p) => [p.name, p.value]));
        assert.equal(byCurl.body, req.body.text);
        return;
      }
      const rendered = await renderRequest(req, col, buildRenderContext(col, req.id));
      const res = await sendRequest(rendered, { followRedirects: true, rejectUnauthorized: true });
      const byHammock = JSON.parse(res.body.toString('utf8')) as Echo;

      assert.equal(byHammock.method, byCurl.method);
      const uc = new URL(byCurl.url, 'http://x');
      const uh = new URL(byHammock.url, 'http://x');
      assert.equal(uh.pathname, uc.pathname);
      assert.deepEqual([...uh.searchParams], [...uc.searchParams]);
      const skip = new Set(['host', 'user-agent', 'accept', 'content-length', 'content-type', 'expect', 'connection']);
      for (const [name, value] of Object.entries(byCurl.headers)) {
        if (!skip.has(name)) assert.equal(byHammock.headers[name], value, `header ${name}`);
      }
      const typeOf = (e: Echo): string => (e.headers['content-type'] ?? '').split(';')[0];
      const typeWarned = result.warnings.some((w) => w.startsWith('command 1 (line 1)') && /no Content-Type was given/.test(w));
      if (req.body.fileName && !typeOf(byCurl)) {
        // curl -T sends no Content-Type; a file body in Insomnia and Hammock is sent as application/octet-stream
        assert.equal(typeOf(byHammock), 'application/octet-stream');
      } else if (typeOf(byHammock) !== typeOf(byCurl)) {
        assert.ok(typeWarned, `content type ${typeOf(byHammock)} vs curl's ${typeOf(byCurl)} without a warning`);
      } else assert.ok(!typeWarned, 'a warning about a content type that did not change');
      if (byCurl.form && !typeWarned) assert.deepEqual(byHammock.form, byCurl.form);
      else if (byCurl.parts) {
        const mixed = result.dropped.some((d) => d.what.startsWith('multipart/mixed grouping'));
        if (mixed) {
          // curl nests the files in one multipart/mixed part; Hammock sends them as sibling parts
          assert.deepEqual(byHammock.parts?.map((p) => p.fileName), ['fil1.gif', 'fil2.txt', 'fil3.html']);
          for (const f of ['fil1.gif', 'fil2.txt', 'fil3.html']) assert.ok(byCurl.parts[0].text.includes(`filename="${f}"`));
        } else {
          assert.deepEqual(byHammock.parts?.map((p) => [p.name, p.fileName, p.text]), byCurl.parts.map((p) => [p.name, p.fileName, p.text]));
        }
      } else assert.equal(byHammock.bodyBase64, byCurl.bodyBase64);
    });
  });
});

describe('importCurl: round trip through Copy as cURL', () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'hammock-curl-roundtrip-'));
    for (const f of ['flower.jpg', 'cooltext.txt', 'fil1.gif', 'fil2.txt', 'fil3.html']) writeFileSync(path.join(tmp, f), `${f}\n`);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  async function render(result: ImportResult): Promise<RenderedRequest> {
    const [req] = requests(result);
    for (const p of req.body.params ?? []) if (p.type === 'file' && !path.isAbsolute(p.fileName ?? '')) p.fileName = path.join(tmp, p.fileName ?? '');
    if (req.body.fileName && !path.isAbsolute(req.body.fileName)) req.body.fileName = path.join(tmp, req.body.fileName);
    const col = result.collections[0];
    return renderRequest(req, col, buildRenderContext(col, req.id));
  }

  /** What goes on the wire, comparable: method, URL, headers (lower-cased names, sorted), body or form fields. */
  function wire(r: RenderedRequest): unknown {
    const headers = r.headers
      .map(([n, v]) => [n.toLowerCase(), n.toLowerCase() === 'content-type' ? v.replace(/; boundary=.*$/, '') : v])
      .filter(([n]) => n !== 'content-length')
      .sort();
    const form = r.formParams?.map((p) => [p.name, p.type, p.type === 'file' ? p.fileName : p.value]);
    return { method: r.method, url: r.url, headers, body: form ?? (r.bodyKind === 'file' ? r.bodyText : r.bodyText ?? '') };
  }

  const commands = readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => l.startsWith('curl '));
  commands.forEach((line, n) => {
    it(`command ${n + 1}: import, render, Copy as cURL, import again: the same request on the wire`, async () => {
      const first = importCurl(line);
      if (first.warnings.some((w) => /is not an Insomnia template/.test(w))) {
        // ntfy's Go templates cannot be rendered (checked on the wire above): nothing to copy
        await assert.rejects(render(first), /Template error/);
        return;
      }
      const rendered = await render(first);
      const copied = toCurl(rendered);
      const second = importCurl(copied);
      assert.deepEqual(wire(await render(second)), wire(rendered), copied);
    });
  });
});

describe('importCurl: shell words', () => {
  const words = (text: string): string[][] => splitShellCommands(text).map((c) => c.words);

  it('POSIX quoting: single, double (with escapes), $\'...\' (ANSI-C), backslashes, adjacent pieces', () => {
    assert.deepEqual(words(`curl 'a b' "c \\"d\\" \\$e \\x" $'f\\ng\\t\\x41\\u00e9\\'' h\\ i 'it'\\''s' "x"'y'z`), [
      ['curl', 'a b', 'c "d" $e \\x', "f\ng\tAé'", 'h i', "it's", 'xyz'],
    ]);
  });

  it('line continuations (\\ and \\ CRLF), comments, and commands split by newlines, ; && || |', () => {
    assert.deepEqual(words('# a comment\ncurl -H "a: b" \\\n  https://x/1 # trailing\r\ncurl \\\r\n https://x/2; echo done && curl x/3 | jq .'), [
      ['curl', '-H', 'a: b', 'https://x/1'],
      ['curl', 'https://x/2'],
      ['echo', 'done'],
      ['curl', 'x/3'],
      ['jq', '.'],
    ]);
    assert.equal(splitShellCommands('\n\ncurl a \\\n b\ncurl c')[1].line, 4);
  });

  it('a paste flattened onto one line (an input box): " \\ " and " ^ " between words are continuations', () => {
    assert.deepEqual(words(`curl https://x.test/a \\  -H 'a: b' \\ -d "c d" h\\ i`), [['curl', 'https://x.test/a', '-H', 'a: b', '-d', 'c d', 'h i']]);
    assert.deepEqual(words('curl ^"https://x.test/a^" ^ -H ^"a: b^"'), [['curl', 'https://x.test/a', '-H', 'a: b']]);
  });

  it('a quoted string spans lines and keeps its newlines; # inside a word is not a comment', () => {
    assert.deepEqual(words("curl -d '{\n  \"a\": 1\n}' http://x/#frag"), [['curl', '-d', '{\n  "a": 1\n}', 'http://x/#frag']]);
  });

  it('Windows cmd pastes: ^ continuations and Chrome\'s ^" quoting, \\" inside quotes', () => {
    const cmd = 'curl ^"https://example.com/api?x=1^&y=2^" ^\r\n  -H ^"accept: application/json^" ^\r\n  --data-raw ^"^{^\\^"a^\\^":1^}^" ^\r\n  --compressed';
    assert.deepEqual(words(cmd), [['curl', 'https://example.com/api?x=1&y=2', '-H', 'accept: application/json', '--data-raw', '{"a":1}', '--compressed']]);
    const { request } = one(cmd);
    assert.equal(request.url, 'https://example.com/api');
    assert.deepEqual(request.parameters, [{ name: 'x', value: '1' }, { name: 'y', value: '2' }]);
    assert.deepEqual(request.body, { mimeType: 'application/json', text: '{"a":1}' });
    assert.deepEqual(request.headers, [{ name: 'accept', value: 'application/json' }, { name: 'Accept-Encoding', value: 'gzip, deflate, br' }]);
  });

  it('an unterminated quote is an ImportError at its line and column', () => {
    const e1 = throwsImport(() => importCurl('curl https://x \\\n  -d \'{"a": 1}'), /Unterminated single quote.*line 2, column 6/);
    assert.equal(e1.line, 1);
    assert.equal(e1.column, 5);
    const e2 = throwsImport(() => importCurl('curl -H "a: b'), /Unterminated double quote.*line 1, column 9/);
    assert.deepEqual([e2.line, e2.column], [0, 8]);
    throwsImport(() => importCurl("curl $'abc"), /Unterminated \$'...' string/);
    throwsImport(() => importCurl('curl ^"abc ^\n -H x'), /Unterminated double quote/);
  });
});

describe('importCurl: options', () => {
  it('bundled short flags, -L, -G moves -d to the query, -I is HEAD', () => {
    let { request, result } = one('curl -sSL -G -d a=1 -d "b=two words" --data-urlencode "c=x&y" https://x.test/p?q=0');
    assert.equal(request.method, 'GET');
    assert.deepEqual(request.parameters, [{ name: 'q', value: '0' }, { name: 'a', value: '1' }, { name: 'b', value: 'two words' }, { name: 'c', value: 'x&y' }]);
    assert.deepEqual(request.body, {});
    assert.equal(request.settings.followRedirects, 'on');
    assert.deepEqual(result.dropped.map((d) => d.what).sort(), ['curl option -S (--show-error)', 'curl option -s (--silent)']);
    ({ request } = one('curl -I http://x.test'));
    assert.equal(request.method, 'HEAD');
    assert.equal(request.settings.followRedirects, 'global');
  });

  it('--url, -X lower case, -A, -e, -b cookies, --compressed, --oauth2-bearer', () => {
    const { request, result } = one("curl --url 'x.test/a' -X patch -A 'Agent/1' -e 'https://ref.test/;auto' -b 'a=1; b=2' --compressed --oauth2-bearer TOKEN");
    assert.equal(request.method, 'PATCH');
    assert.equal(request.url, 'http://x.test/a');
    assert.deepEqual(request.headers, [
      { name: 'User-Agent', value: 'Agent/1' },
      { name: 'Referer', value: 'https://ref.test/' },
      { name: 'Cookie', value: 'a=1; b=2' },
      { name: 'Accept-Encoding', value: 'gzip, deflate, br' },
    ]);
    assert.deepEqual(request.authentication, { type: 'bearer', token: 'TOKEN', prefix: '' });
    assert.ok(result.dropped.some((d) => d.what.startsWith('";auto" of -e')));
  });

  it('--digest and -u without a password; --aws-sigv4 as AWS IAM auth', () => {
    let { request, result } = one('curl --digest -u alice https://x.test');
    assert.deepEqual(request.authentication, { type: 'digest', username: 'alice', password: '' });
    assert.ok(result.warnings.some((w) => /has no password/.test(w)));
    ({ request } = one('curl --aws-sigv4 "aws:amz:eu-west-1:s3" -u AKID:SECRET https://s3.test/b'));
    assert.deepEqual(request.authentication, { type: 'iam', accessKeyId: 'AKID', secretAccessKey: 'SECRET', sessionToken: '', region: 'eu-west-1', service: 's3' });
  });

  it('--json sets JSON headers; --data-binary @file is a file body; -d @file next to other data is dropped, named', () => {
    let { request, result } = one(`curl --json '{"a":1}' https://x.test`);
    assert.equal(request.method, 'POST');
    assert.deepEqual(request.headers, [{ name: 'Content-Type', value: 'application/json' }, { name: 'Accept', value: 'application/json' }]);
    assert.deepEqual(request.body, { mimeType: 'application/json', text: '{"a":1}' });
    ({ request } = one('curl -H "Content-Type: image/png" --data-binary @pic.png https://x.test'));
    assert.deepEqual(request.body, { mimeType: 'image/png', fileName: 'pic.png' });
    ({ request, result } = one('curl -d @body.txt -d a=1 https://x.test'));
    assert.deepEqual(request.body, { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'a', value: '1' }] });
    assert.deepEqual(result.dropped.map((d) => d.what), ['data from file "body.txt" (command 1 (line 1))']);
    ({ request, result } = one('curl --data-raw @literal https://x.test'));
    assert.deepEqual(request.body, { mimeType: 'text/plain', text: '@literal' });
  });

  it('-d joins with & and keeps the newlines of its argument; an explicit Content-Type wins', () => {
    let { request, result } = one("curl -H 'Content-Type: text/csv; charset=utf-8' -d $'a,b\\n1,2' -d 'x' https://x.test");
    assert.deepEqual(request.body, { mimeType: 'text/csv', text: 'a,b\n1,2&x' });
    assert.deepEqual(result.warnings, []);
    // typed as a form, but not name=value pairs: the text as written (the typed header stays)
    ({ request, result } = one(`curl -H 'Content-Type: application/x-www-form-urlencoded' -d '{"a":1}' https://x.test`));
    assert.deepEqual(request.body, { mimeType: 'text/plain', text: '{"a":1}' });
    assert.deepEqual(request.headers, [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }]);
  });

  it('-T to a URL ending in / appends the file name; -F ;type= and ;filename= are noted; -F name=<file', () => {
    let { request } = one('curl -T dir/report.pdf https://up.test/files/');
    assert.equal(request.method, 'PUT');
    assert.equal(request.url, 'https://up.test/files/report.pdf');
    let result: ImportResult;
    ({ request, result } = one('curl -F "meta={\\"a\\":1};type=application/json" -F "doc=@a.pdf;filename=b.pdf" -F "t=<notes.txt" https://x.test'));
    assert.deepEqual(request.body.params, [
      { name: 'meta', value: '{"a":1}' },
      { name: 'doc', value: '', type: 'file', fileName: 'a.pdf' },
      { name: 't', value: '', type: 'file', fileName: 'notes.txt' },
    ]);
    assert.deepEqual(result.dropped.map((d) => d.what), [
      '"type=application/json" of form field "meta" (command 1 (line 1))',
      '"filename=b.pdf" of form field "doc" (command 1 (line 1))',
      '"<" of field "t" (command 1 (line 1))',
    ]);
  });

  it('unknown options are dropped with their name; -k is dropped with why; several URLs give several requests', () => {
    const result = importCurl('curl --frobnicate -k -Q https://a.test https://b.test');
    const list = requests(result);
    assert.deepEqual(list.map((r) => r.url), ['https://a.test', 'https://b.test']);
    const whats = result.dropped.map((d) => d.what);
    assert.ok(whats.includes('curl option --frobnicate (command 1 (line 1))'));
    assert.ok(whats.includes('curl option -k (--insecure) (command 1 (line 1))'));
    assert.ok(whats.includes('curl option -Q (command 1 (line 1))'));
    assert.match(result.dropped.find((d) => d.what.includes('--insecure'))?.why ?? '', /certificate/);
  });

  it('Insomnia templates in the URL are kept and not flagged; $ prompts and other commands are skipped', () => {
    const result = importCurl('$ curl "{{ _.base_url }}/users/{{ _.id }}?page={{ _.page }}"\nsleep 1\n');
    const [r] = requests(result);
    assert.equal(r.url, '{{ _.base_url }}/users/{{ _.id }}');
    assert.deepEqual(r.parameters, [{ name: 'page', value: '{{ _.page }}' }]);
    assert.deepEqual(result.warnings, ['line 2: `sleep` is not a curl command; it was ignored']);
  });
});

describe('importCurl: malformed and foreign input', () => {
  it('no curl command, or a curl command without URL, is an ImportError', () => {
    throwsImport(() => importCurl('wget https://x.test'), /No curl command found/);
    throwsImport(() => importCurl('# only a comment\n'), /No curl command found/);
    const e = throwsImport(() => importCurl('\ncurl -X POST -H "a: b"'), /line 2 has no URL/);
    assert.equal(e.line, 1);
    throwsImport(() => importCurl('curl https://x.test -H'), /-H needs a value/);
  });

  it('isCurlText: the first line that is not blank or a comment starts with curl', () => {
    assert.equal(isCurlText('# x\n\n  curl https://x'), true);
    assert.equal(isCurlText('$ curl https://x'), true);
    assert.equal(isCurlText('curl.exe ^"https://x^"'), true);
    assert.equal(isCurlText('curly: 1'), false);
    assert.equal(isCurlText('openapi: 3.0.0\n# curl https://x'), false);
  });

  it('through importText: a malformed paste writes nothing (the dispatcher throws the same ImportError)', () => {
    throwsImport(() => importText("curl 'https://x.test"), /Unterminated single quote/);
  });

  it('names a request by its method and path, as an API names its operations', () => {
    assert.equal(requestName('get', 'http://127.0.0.1:36987/echo/users'), 'GET /echo/users');
    assert.equal(requestName('POST', 'https://api.example.com/v1/users/?page=2#x'), 'POST /v1/users');
    assert.equal(requestName('GET', 'https://api.example.com'), 'GET api.example.com');
    assert.equal(requestName('DELETE', '{{ _.base_url }}/pets/1'), 'DELETE /pets/1');
    const [c] = importText('curl -H "Authorization: Bearer abc123" http://127.0.0.1:36987/echo/users').collections;
    assert.equal(c.children[0].name, 'GET /echo/users');
  });

  it("suggests a new request's name without its method, as Insomnia's own names are (its badge shows the method)", () => {
    assert.equal(urlName('https://api.example.com/v1/users/?page=2#x'), '/v1/users');
    assert.equal(urlName('{{ _.base_url }}/pets/1'), '/pets/1');
    assert.equal(urlName('https://api.example.com'), 'api.example.com');
    assert.equal(urlName('Create user'), 'Create user');
    assert.equal(urlName(''), '', 'no URL: New Request suggests its own default');
  });

  it('tells a name typed where the URL is asked (a space, and no scheme, template or cURL command)', () => {
    for (const name of ['Create user', ' List all pets ', 'Get a pet']) assert.equal(looksLikeName(name), true, name);
    for (const url of ['', 'https://api.example.com/users', 'api.example.com/users', '{{ _.base_url }}/users', '{{base}} x', 'https://x.test/a b', "curl -X POST 'https://x.test'", 'localhost:3000/users']) {
      assert.equal(looksLikeName(url), false, url);
    }
  });
});
