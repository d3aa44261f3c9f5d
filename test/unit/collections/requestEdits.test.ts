// The request editor's edit (`setRequestFields`) on the fixtures: minimal line changes in both formats.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { EditContext, FileChange } from '../../../src/collections/edits';
import { planEdit } from '../../../src/collections/editPlanner';
import type { Collection, HttpRequest } from '../../../src/collections/model';
import { walkItems } from '../../../src/collections/model';
import { loadWorkspace } from '../../../src/collections/scan';
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
});
