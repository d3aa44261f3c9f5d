// The request editor's edit (`setRequestFields`) on the fixtures: minimal line changes in both formats.
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { EditContext, FileChange } from '../../../src/collections/edits';
import { planEdit } from '../../../src/collections/editPlanner';
import type { Collection, HttpRequest } from '../../../src/collections/model';
import { walkItems } from '../../../src/collections/model';
import { loadWorkspace } from '../../../src/collections/scan';
import { curlPasteFields } from '../../../src/collections/convert/curlPaste';
import { YamlEditor } from '../../../src/collections/yamlEdit';
import { lineDiff } from './lineDiff';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');
const NOW = 1790000000000;
const ctx: EditContext = { readText: (file) => readFileSync(file, 'utf8'), now: NOW };

let tmp: string;
before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'hammock-request-edits-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function copyFixture(rel: string): string {
  const dest = path.join(tmp, `${rel.replace(/[/\\]/g, '-')}-${Math.random().toString(16).slice(2)}`);
  cpSync(path.join(FIXTURES, rel), dest, { recursive: true });
  return dest;
}

async function load(root: string, fileName?: string): Promise<Collection> {
  const snapshot = await loadWorkspace(root);
  const found = snapshot.collections.filter((c) => !fileName || path.basename(c.source.file) === fileName);
  assert.equal(found.length, 1);
  return found[0];
}

function request(c: Collection, name: string): HttpRequest {
  const found = [...walkItems(c.children)].filter((i): i is HttpRequest => i.kind === 'request' && i.name === name);
  assert.equal(found.length, 1, `one request named ${name}`);
  return found[0];
}

function only(changes: readonly FileChange[]): FileChange {
  assert.equal(changes.length, 1);
  return changes[0];
}

describe('setRequestFields', () => {
  describe('legacy', () => {
    it('changing the URL changes the url line and modified, and reads back', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await load(root);
      const req = request(c, 'Create new transaction');
      const before = readFileSync(req.source.file, 'utf8');
      const change = only(planEdit(c, { kind: 'setRequestFields', id: req.id, fields: { url: 'http://127.0.0.1:9/x?a=1' } }, ctx).changes);
      assert.deepEqual(lineDiff(before, change.content as string), {
        removed: ['modified: 1741231446164', 'url: "{{ _.base_url }}/transactions"'],
        added: [`modified: ${NOW}`, 'url: http://127.0.0.1:9/x?a=1'],
      });
      writeFileSync(change.path, change.content as string);
      assert.equal(request(await load(root), 'Create new transaction').url, 'http://127.0.0.1:9/x?a=1');
    });

    it('replacing the headers changes only the headers block (and modified)', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await load(root);
      const req = request(c, 'Create new transaction');
      const before = readFileSync(req.source.file, 'utf8');
      const headers = [
        { name: 'Content-Type', value: 'application/json', disabled: true },
        { name: 'X-Trace', value: 'on' },
      ];
      const change = only(planEdit(c, { kind: 'setRequestFields', id: req.id, fields: { headers } }, ctx).changes);
      const after = change.content as string;
      const start = before.indexOf('headers:');
      const end = before.indexOf('authentication:');
      assert.equal(after.slice(0, start).replace(`modified: ${NOW}`, 'modified: 1741231446164'), before.slice(0, start));
      assert.ok(after.endsWith(before.slice(end)));
      writeFileSync(change.path, after);
      assert.deepEqual(request(await load(root), 'Create new transaction').headers, headers);
    });

    it('settings go to the flat setting* keys; an unchanged value writes nothing', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await load(root);
      const req = request(c, 'Create new transaction');
      assert.deepEqual(planEdit(c, { kind: 'setRequestFields', id: req.id, fields: { url: req.url, headers: req.headers, method: 'POST' } }, ctx).changes, []);
      const before = readFileSync(req.source.file, 'utf8');
      const change = only(
        planEdit(c, { kind: 'setRequestFields', id: req.id, fields: { settings: { renderRequestBody: false, followRedirects: 'off' }, description: 'Two\nlines' } }, ctx).changes,
      );
      writeFileSync(change.path, change.content as string);
      const back = request(await load(root), 'Create new transaction');
      assert.equal(back.settings.renderRequestBody, false);
      assert.equal(back.settings.followRedirects, 'off');
      assert.equal(back.description, 'Two\nlines');
      assert.ok(lineDiff(before, change.content as string).added.includes('settingDisableRenderRequestBody: true'));
    });
  });

  describe('v5', () => {
    it('changing the URL changes one line plus meta.modified', async () => {
      const root = copyFixture('v5/kong-example');
      const c = await load(root, 'everything.yaml');
      const req = request(c, 'subscribe');
      const before = readFileSync(c.source.file, 'utf8');
      const change = only(planEdit(c, { kind: 'setRequestFields', id: req.id, fields: { url: '{{ _.base_url }}/user/unsubscribe' } }, ctx).changes);
      assert.deepEqual(lineDiff(before, change.content as string), {
        removed: ['      - url: "{{ _.base_url }}/user/subscribe"', '          modified: 1761833821625'],
        added: ['      - url: "{{ _.base_url }}/user/unsubscribe"', `          modified: ${NOW}`],
      });
      writeFileSync(change.path, change.content as string);
      assert.equal(request(await load(root, 'everything.yaml'), 'subscribe').url, '{{ _.base_url }}/user/unsubscribe');
    });

    it('replacing the headers changes only the headers block; settings and description go under settings and meta', async () => {
      const root = copyFixture('v5/kong-example');
      const c = await load(root, 'everything.yaml');
      const req = request(c, 'subscribe');
      const before = readFileSync(c.source.file, 'utf8');
      const headers = [{ name: 'Accept', value: 'application/json' }];
      const change = only(planEdit(c, { kind: 'setRequestFields', id: req.id, fields: { headers } }, ctx).changes);
      const { removed, added } = lineDiff(before, change.content as string);
      assert.deepEqual(added, [`          modified: ${NOW}`, '            value: application/json']);
      assert.ok(removed.includes('            value: text/event-stream'));
      assert.ok(removed.includes('          - name: User-Agent'));
      assert.equal(removed.length, 4, removed.join('|'));
      writeFileSync(change.path, change.content as string);
      const back = request(await load(root, 'everything.yaml'), 'subscribe');
      assert.deepEqual(back.headers, headers);
      assert.deepEqual(back.parameters, req.parameters);
      const c2 = await load(root, 'everything.yaml');
      const change2 = only(planEdit(c2, { kind: 'setRequestFields', id: req.id, fields: { settings: { sendCookies: false }, description: 'Subscribes' } }, ctx).changes);
      writeFileSync(change2.path, change2.content as string);
      const back2 = request(await load(root, 'everything.yaml'), 'subscribe');
      assert.equal(back2.settings.sendCookies, false);
      assert.equal(back2.settings.storeCookies, true);
      assert.equal(back2.description, 'Subscribes');
    });
  });

  describe('a field the request did not have goes where Insomnia writes it', () => {
    /** the keys of the request at `yamlPath` in `text`, in the file's order. */
    const keysOf = (text: string, yamlPath: readonly (string | number)[]) => Object.keys(new YamlEditor(text).value([...yamlPath]) as object);

    it("v5: query parameters, body, auth and scripts added to a request without them land in Insomnia's key order", async () => {
      // Insomnia's v5 export writes a request's keys as url, name, meta, method, body, parameters, headers,
      // authentication, scripts, settings (the real files in test/fixtures/v5): a key written elsewhere is moved by
      // the teammate's next save in Insomnia (12.6+ rewrites files not in its canonical form), a diff nobody made
      const root = copyFixture('v5/kong-example');
      const c = await load(root, 'my_collection.yaml');
      const req = request(c, 'New Request');
      const before = readFileSync(c.source.file, 'utf8');
      assert.deepEqual(keysOf(before, req.source.yamlPath), ['url', 'name', 'meta', 'method', 'headers', 'scripts', 'settings']);
      const fields = {
        parameters: [{ name: 'a', value: '1' }],
        body: { mimeType: 'application/json', text: '{}' },
        authentication: { type: 'bearer', token: 't' },
        scripts: { preRequest: 'console.log(1)' },
      };
      for (const [key, value] of Object.entries(fields)) {
        const text = only(planEdit(c, { kind: 'setRequestFields', id: req.id, fields: { [key]: value } }, ctx).changes).content as string;
        const want = ['url', 'name', 'meta', 'method', 'body', 'parameters', 'headers', 'authentication', 'scripts', 'settings'].filter((k) => k === key || keysOf(before, req.source.yamlPath).includes(k));
        assert.deepEqual(keysOf(text, req.source.yamlPath), want, key);
        // (a script set where the file has empty ones: the written one's line changes, an empty one is left out)
        assert.deepEqual(lineDiff(before, text).removed.filter((l) => !/^\s+(preRequest|afterResponse): ""$/.test(l)), ['      modified: 1761126688710'], key);
      }
    });

    it('v5 (5.1): a description added to a meta without one goes before sortKey; a script to a request whose empty scripts Insomnia dropped, after its auth', async () => {
      const text = [
        'type: collection.insomnia.rest/5.0', 'schema_version: "5.1"', 'name: T', 'meta:', '  id: wrk_1', 'collection:',
        '  - url: http://x', '    name: R', '    meta:', '      id: req_1', '      created: 1', '      modified: 1', '      isPrivate: false', '      sortKey: -1',
        '    method: GET', '    headers:', '      - name: A', '        value: b', '    authentication:', '      type: bearer', '      token: t',
        '    settings:', '      renderRequestBody: true', '',
      ].join('\n');
      const root = path.join(tmp, `meta-${Math.random().toString(16).slice(2)}`);
      mkdirSync(root);
      writeFileSync(path.join(root, 'x.yaml'), text);
      const c = await load(root, 'x.yaml');
      const out = only(planEdit(c, { kind: 'setRequestFields', id: 'req_1', fields: { description: 'Docs', scripts: { preRequest: 'x()' } } }, ctx).changes).content as string;
      assert.deepEqual(keysOf(out, ['collection', 0, 'meta']), ['id', 'created', 'modified', 'isPrivate', 'description', 'sortKey']);
      assert.deepEqual(keysOf(out, ['collection', 0]), ['url', 'name', 'meta', 'method', 'headers', 'authentication', 'scripts', 'settings']);
    });
  });

  describe('scripts: an untouched empty script stays as Insomnia wrote it', () => {
    // Walked: typing an after-response script into "New Request" of a file Insomnia 11.3 wrote (`preRequest: ""` and
    // `afterResponse: ""` under `scripts`) deleted the untouched `preRequest: ""` line too: a line the user did not
    // change, in the diff of the commit
    for (const given of [{ afterResponse: 'insomnia.test("ok", () => {});' }, { preRequest: '', afterResponse: 'insomnia.test("ok", () => {});' }]) {
      it(`v5: ${JSON.stringify(Object.keys(given))} written: only the afterResponse line changes (and the modified stamp)`, async () => {
        const root = copyFixture('v5/kong-example');
        const c = await load(root, 'my_collection.yaml');
        const req = request(c, 'New Request');
        const before = readFileSync(c.source.file, 'utf8');
        assert.match(before, /      preRequest: ""\n      afterResponse: ""\n/);
        const change = only(planEdit(c, { kind: 'setRequestFields', id: req.id, fields: { scripts: given } }, ctx).changes);
        assert.deepEqual(lineDiff(before, change.content as string), {
          removed: ['      modified: 1761126688710', '      afterResponse: ""'],
          added: [`      modified: ${NOW}`, "      afterResponse: insomnia.test(\"ok\", () => {});"],
        });
      });
    }

    it('v5: a script the user empties is left out, as Insomnia\'s exporter leaves it out', async () => {
      const root = copyFixture('v5/kong-example');
      const c = await load(root, 'my_collection.yaml');
      const req = request(c, 'New Request');
      const first = only(planEdit(c, { kind: 'setRequestFields', id: req.id, fields: { scripts: { afterResponse: 'x()' } } }, ctx).changes).content as string;
      writeFileSync(c.source.file, first);
      const c2 = await load(root, 'my_collection.yaml');
      const out = only(planEdit(c2, { kind: 'setRequestFields', id: req.id, fields: { scripts: { afterResponse: '' } } }, ctx).changes).content as string;
      assert.deepEqual(lineDiff(first, out).removed.filter((l) => !l.includes('modified')), ['      afterResponse: x()']);
      assert.match(out, /      preRequest: ""\n/);
    });
  });

  describe('writes only the fields the user changed', () => {
    /** every HTTP request of every fixture collection, with its collection. */
    async function everyRequest(): Promise<{ c: Collection; req: HttpRequest }[]> {
      const out: { c: Collection; req: HttpRequest }[] = [];
      for (const rel of ['legacy/kong-demo-with-tests', 'legacy/kong-example-design', 'legacy/inso-fixture-alphabetical', 'legacy/minimal-collection', 'v5/kong-example', 'v5/upstream-roundtrip']) {
        const snapshot = await loadWorkspace(path.join(FIXTURES, rel));
        for (const c of snapshot.collections) for (const item of walkItems(c.children)) if (item.kind === 'request') out.push({ c, req: item });
      }
      return out;
    }

    it('setting every field of every fixture request to its own value changes no byte', async () => {
      const all = await everyRequest();
      assert.ok(all.length >= 30, `${all.length} requests`);
      for (const { c, req } of all) {
        const fields = {
          method: req.method,
          url: req.url,
          parameters: req.parameters,
          headers: req.headers,
          body: req.body,
          authentication: req.authentication,
          description: req.description,
          settings: req.settings,
        };
        assert.deepEqual(planEdit(c, { kind: 'setRequestFields', id: req.id, fields }, ctx).changes, [], `${c.name} / ${req.name}`);
        // what the editor sends for a URL typed back to what it was
        assert.deepEqual(planEdit(c, { kind: 'setRequestFields', id: req.id, fields: { url: req.url, parameters: req.parameters.map((p) => ({ ...p })) } }, ctx).changes, [], `${c.name} / ${req.name}`);
      }
    });

    it('a v5 request without parameters does not gain `parameters: []`; nor body, auth or headers when set empty', async () => {
      const root = copyFixture('v5/kong-example');
      const c = await load(root, 'everything.yaml');
      const doc = new YamlEditor(readFileSync(c.source.file, 'utf8'));
      const req = [...walkItems(c.children)].find((i): i is HttpRequest => i.kind === 'request' && !doc.has([...i.source.yamlPath, 'parameters']))!;
      assert.ok(req, 'a request without a parameters key');
      const before = readFileSync(c.source.file, 'utf8');
      const change = only(planEdit(c, { kind: 'setRequestFields', id: req.id, fields: { url: 'http://127.0.0.1:9/y', parameters: [], headers: req.headers.length ? req.headers : [], body: Object.keys(req.body).length ? req.body : {}, authentication: Object.keys(req.authentication).length ? req.authentication : {} } }, ctx).changes);
      const { removed, added } = lineDiff(before, change.content as string);
      assert.equal(removed.length, 2, removed.join('|'));
      assert.equal(added.length, 2, added.join('|'));
      assert.ok(added.some((l) => l.endsWith('url: http://127.0.0.1:9/y')));
      assert.ok(added.some((l) => l.trim() === `modified: ${NOW}`));
    });

    it('a parameter value edit changes that value line only; ids, descriptions and disabled: false stay', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await load(root);
      const req = request(c, 'Create new transaction');
      const file = req.source.file;
      const rows = [
        { id: 'pair_1', name: 'a', value: '1', description: 'first', disabled: false },
        { id: 'pair_2', name: 'b', value: '2', disabled: true },
        { id: 'pair_3', name: 'c', value: '3', disabled: false },
      ];
      writeFileSync(file, only(planEdit(c, { kind: 'setRequestFields', id: req.id, fields: { parameters: rows } }, ctx).changes).content as string);
      const c2 = await load(root);
      const before = readFileSync(file, 'utf8');
      // what the editor sends after the URL's query changed a=1 to a=10: the rows with their keys, one value changed
      const edited = rows.map((r) => (r.name === 'a' ? { ...r, value: '10' } : r));
      const change = only(planEdit(c2, { kind: 'setRequestFields', id: req.id, fields: { url: request(c2, 'Create new transaction').url, parameters: edited } }, { ...ctx, now: NOW + 1 }).changes);
      assert.deepEqual(lineDiff(before, change.content as string), { removed: [`modified: ${NOW}`, '    value: "1"'], added: [`modified: ${NOW + 1}`, '    value: "10"'] });
      // a row removed in the middle: its lines go, nothing else
      const change2 = only(planEdit(c2, { kind: 'setRequestFields', id: req.id, fields: { parameters: [rows[0], rows[2]] } }, { ...ctx, now: NOW + 1 }).changes);
      const diff2 = lineDiff(before, change2.content as string);
      assert.deepEqual(diff2.added, [`modified: ${NOW + 1}`]);
      assert.deepEqual(diff2.removed, [`modified: ${NOW}`, '  - id: pair_2', '    name: b', '    value: "2"', '    disabled: true']);
      // a new row at the end: its lines come, nothing else
      const change3 = only(planEdit(c2, { kind: 'setRequestFields', id: req.id, fields: { parameters: [...rows, { name: 'd', value: '4' }] } }, { ...ctx, now: NOW + 1 }).changes);
      assert.deepEqual(lineDiff(before, change3.content as string).added, [`modified: ${NOW + 1}`, '  - name: d', '    value: "4"']);
      writeFileSync(file, change3.content as string);
      assert.deepEqual(request(await load(root), 'Create new transaction').parameters, [...rows, { name: 'd', value: '4' }]);
    });

    it('a pasted cURL command keeps the ids and `disabled: false` of the rows it changes, and its Undo gives the file back byte for byte', async () => {
      // the demo's "Find pets by status": one parameter row with an id and `disabled: false`
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await load(root);
      const req = request(c, 'Create new transaction');
      const file = req.source.file;
      const rows = [{ id: 'pair_5f0f', name: 'status', value: 'available', disabled: false }];
      writeFileSync(file, only(planEdit(c, { kind: 'setRequestFields', id: req.id, fields: { parameters: rows } }, ctx).changes).content as string);
      const c2 = await load(root);
      const original = readFileSync(file, 'utf8');
      const shown = request(c2, 'Create new transaction');
      // the paste: the command's rows carry no ids (curlPasteFields)
      const { fields } = curlPasteFields(`curl -X POST '${shown.url}?status=pending' -H 'X-Trace: demo' --data-raw '{"a": 1}'`);
      const pasted = only(planEdit(c2, { kind: 'setRequestFields', id: req.id, fields }, { ...ctx, now: NOW + 1 }).changes).content as string;
      const rowDiff = lineDiff(original, pasted);
      assert.ok(rowDiff.removed.includes('    value: available') && rowDiff.added.includes('    value: pending'), JSON.stringify(rowDiff));
      for (const kept of ['  - id: pair_5f0f', '    name: status', '    disabled: false']) assert.ok(!rowDiff.removed.includes(kept), `${kept} kept: ${JSON.stringify(rowDiff)}`);
      writeFileSync(file, pasted);
      // Undo: the editor sends the fields as the page held them before the paste (rows as read: no `disabled: false`)
      const c3 = await load(root);
      const back = { method: shown.method, url: shown.url, parameters: shown.parameters.map((p) => ({ name: p.name, value: p.value, id: p.id })), headers: shown.headers, body: shown.body, authentication: shown.authentication };
      const undone = only(planEdit(c3, { kind: 'setRequestFields', id: req.id, fields: back }, { ...ctx, now: NOW }).changes).content as string;
      assert.equal(undone, original);
    });

    it('an auth field edit writes that key; switching the auth type replaces the mapping', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await load(root);
      const req = request(c, 'Create new transaction');
      writeFileSync(req.source.file, only(planEdit(c, { kind: 'setRequestFields', id: req.id, fields: { authentication: { type: 'basic', username: 'u', password: 'p' } } }, ctx).changes).content as string);
      const c2 = await load(root);
      const before = readFileSync(req.source.file, 'utf8');
      const change = only(planEdit(c2, { kind: 'setRequestFields', id: req.id, fields: { authentication: { type: 'basic', username: 'u2', password: 'p' } } }, { ...ctx, now: NOW + 1 }).changes);
      assert.deepEqual(lineDiff(before, change.content as string), { removed: [`modified: ${NOW}`, '  username: u'], added: [`modified: ${NOW + 1}`, '  username: u2'] });
      const change2 = only(planEdit(c2, { kind: 'setRequestFields', id: req.id, fields: { authentication: { type: 'bearer', token: 't' } } }, { ...ctx, now: NOW + 1 }).changes);
      writeFileSync(req.source.file, change2.content as string);
      assert.deepEqual(request(await load(root), 'Create new transaction').authentication, { type: 'bearer', token: 't' });
    });
  });
});
