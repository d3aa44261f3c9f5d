// A cURL command pasted into a request's URL field (the host side): the fields it gives the request, as Insomnia's
// URL bar put a paste into the request (url, method, parameters, headers, body, auth; id, name, folder, description,
// scripts and settings kept), applied to a real fixture request through the request editor's edit: only the lines of
// the fields the command changes move, plus `modified`. A paste the importer cannot read says why and gives no fields.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { curlPasteFields } from '../../../../src/collections/convert/curlPaste';
import type { EditContext } from '../../../../src/collections/edits';
import { planEdit } from '../../../../src/collections/editPlanner';
import type { Collection, HttpRequest } from '../../../../src/collections/model';
import { walkItems } from '../../../../src/collections/model';
import { loadWorkspace } from '../../../../src/collections/scan';
import { answerCurlPaste } from '../../../../src/webviews/curlPaste';
import { parseEditorCommand } from '../../../../src/webviews/protocol';
import { lineDiff } from '../lineDiff';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');
const NOW = 1790000000000;
const ctx: EditContext = { readText: (file) => readFileSync(file, 'utf8'), now: NOW };

/** A command as a browser's "Copy as cURL" or an API's docs give it: continuation lines, quotes, a JSON body over lines. */
const PASTE = [
  `curl -X POST '{{ _.base_url }}/transactions?dryRun=true' \\`,
  `  -H 'Content-Type: application/json' \\`,
  `  -H 'X-Trace: t-1' \\`,
  `  -u alice:s3cret \\`,
  `  --data-raw '{`,
  `  "id": 44`,
  `}'`,
].join('\n');

describe('a cURL command pasted into the URL field', () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'hammock-curl-paste-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  async function fixtureRequest(name: string): Promise<{ c: Collection; req: HttpRequest }> {
    const dest = path.join(tmp, `kong-${Math.random().toString(16).slice(2)}`);
    cpSync(path.join(FIXTURES, 'legacy/kong-demo-with-tests'), dest, { recursive: true });
    const [c] = (await loadWorkspace(dest)).collections;
    const req = [...walkItems(c.children)].find((i): i is HttpRequest => i.kind === 'request' && i.name === name);
    assert.ok(req);
    return { c, req };
  }

  it('gives the six fields Insomnia set from the command, its line breaks read as the shell reads them', () => {
    const { fields, notes } = curlPasteFields(PASTE);
    assert.deepEqual(fields, {
      method: 'POST',
      url: '{{ _.base_url }}/transactions',
      parameters: [{ name: 'dryRun', value: 'true' }],
      headers: [{ name: 'Content-Type', value: 'application/json' }, { name: 'X-Trace', value: 't-1' }],
      body: { mimeType: 'application/json', text: '{\n  "id": 44\n}' },
      // (a typed password goes into the request's auth, in its file: so does a pasted one)
      authentication: { type: 'basic', username: 'alice', password: 's3cret' },
    });
    assert.deepEqual(notes, []);
  });

  it('copied on Windows (CRLF line ends): the same fields, no \\r kept in the body or anywhere else', () => {
    const crlf = PASTE.replace(/\n/g, '\r\n');
    assert.ok(crlf.includes('\r\n'));
    assert.deepEqual(curlPasteFields(crlf), curlPasteFields(PASTE));
    // a body over lines in double quotes, and the last line ending too
    const lf = 'curl https://api.example.test/v1/pets \\\n  --data-binary "line 1\nline 2"\n';
    const { fields } = curlPasteFields(lf.replace(/\n/g, '\r\n'));
    assert.deepEqual(fields, curlPasteFields(lf).fields);
    assert.ok(!JSON.stringify(fields).includes('\\r'), JSON.stringify(fields));
  });

  it('a command without headers, body or auth clears them (it sends none), as Insomnia\'s paste did; -L follows redirects', () => {
    const { fields } = curlPasteFields('curl -L https://api.example.test/v1/pets');
    assert.deepEqual(fields, {
      method: 'GET',
      url: 'https://api.example.test/v1/pets',
      parameters: [],
      headers: [],
      body: {},
      authentication: {},
      settings: { followRedirects: 'on' },
    });
  });

  it('applied to a request as the editor`s one edit: only the lines of what the command changes, plus modified; id, name, folder, description and settings stay', async () => {
    const { c, req } = await fixtureRequest('Create new transaction');
    const before = readFileSync(req.source.file, 'utf8');
    const { fields } = curlPasteFields(PASTE);
    const [change] = planEdit(c, { kind: 'setRequestFields', id: req.id, fields }, ctx).changes;
    const after = change.content as string;
    const { removed, added } = lineDiff(before, after);
    // the url (its base is the request's already) and the method (POST already) are not touched; the Content-Type row
    // keeps its `disabled: false`; the body's text, the new header, the query row and the auth are written
    assert.deepEqual(removed, [
      'modified: 1741231446164',
      '      "id": 43,',
      '      "source": "GR872659435350353",',
      '      "senderName": "Max Mustermann",',
      '      "destination": "DE8412325587359375895",',
      '      "amount": 42,',
      '      "currency": "EUR",',
      '      "subject": "Invoice #42-08/15"',
      'parameters: []',
      '  type: apikey',
      '  key: apikey',
      '  value: "{{ _.apikey }}"',
      '  addTo: header',
    ]);
    assert.deepEqual(added.filter((l) => !/^\s+id: pair_\w+$/.test(l)), [
      `modified: ${NOW}`,
      '      "id": 44',
      'parameters:',
      '  - name: dryRun',
      '    value: "true"',
      '  - name: X-Trace',
      '    value: t-1',
      '  type: basic',
      '  username: alice',
      '  password: s3cret',
    ]);
    for (const kept of ['_id: ', 'parentId: ', 'name: Create new transaction', 'description: Initiate a transaction', 'url: ', 'method: POST', 'settingFollowRedirects: global']) {
      assert.ok(after.split('\n').some((l) => l.startsWith(kept)) && !removed.some((l) => l.startsWith(kept)), `kept: ${kept}`);
    }
  });

  it('the host`s answer: the fields, or, for a command the importer cannot read, why (and no fields)', () => {
    const ok = answerCurlPaste(7, PASTE, curlPasteFields);
    assert.equal(ok.type, 'curlPasted');
    assert.ok(ok.type === 'curlPasted' && ok.seq === 7 && ok.fields?.method === 'POST' && ok.error === undefined);
    const unterminated = answerCurlPaste(8, `curl -H 'Authorization: Bearer abc https://x.test`, curlPasteFields);
    assert.ok(unterminated.type === 'curlPasted' && unterminated.fields === undefined);
    assert.match(unterminated.error ?? '', /not put in this request, nothing changed: .*quote/i);
    const noUrl = answerCurlPaste(9, 'curl -X POST -H "A: b"', curlPasteFields);
    assert.ok(noUrl.type === 'curlPasted' && noUrl.fields === undefined);
    assert.match(noUrl.error ?? '', /has no URL/);
  });

  it('several commands: the first is put in the request, and the page is told the others are not', () => {
    const { fields, notes } = curlPasteFields('curl https://a.test/one\ncurl -X DELETE https://a.test/two');
    assert.equal(fields.url, 'https://a.test/one');
    assert.match(notes[0], /holds 2 requests: the first \(GET https:\/\/a\.test\/one\)/);
  });

  it('what the command holds that a request cannot is said', () => {
    const { notes } = curlPasteFields('curl -k -o out.json https://a.test/x');
    assert.ok(notes.some((n) => /-k/.test(n)), JSON.stringify(notes));
  });

  it('the page`s pasteCurl message is validated: the text with its line breaks, a number, nothing else', () => {
    assert.deepEqual(parseEditorCommand({ type: 'pasteCurl', seq: 3, text: PASTE }), { type: 'pasteCurl', seq: 3, text: PASTE });
    assert.equal(parseEditorCommand({ type: 'pasteCurl', seq: 3, text: PASTE, extra: 1 }), undefined);
    assert.equal(parseEditorCommand({ type: 'pasteCurl', seq: 'x', text: PASTE }), undefined);
    assert.equal(parseEditorCommand({ type: 'pasteCurl', seq: 3, text: 'x'.repeat(1_000_001) }), undefined);
  });
});
