import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { Edit, EditContext, FileChange } from '../../../src/collections/edits';
import { PlanError, planEdit, planEditWith, planNewCollection, safeFileName } from '../../../src/collections/editPlanner';
import { baseEnvironmentId } from '../../../src/collections/ids';
import type { Collection, Folder, Item } from '../../../src/collections/model';
import { holdsEnvironments, holdsItems, walkItems } from '../../../src/collections/model';
import { loadWorkspace } from '../../../src/collections/scan';
import { lineDiff } from './lineDiff';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');
const NOW = 1790000000000;

const ctx: EditContext = { readText: (file) => readFileSync(file, 'utf8'), now: NOW };

function apply(changes: readonly FileChange[]): void {
  for (const c of changes) {
    if (c.content === null) rmSync(c.path);
    else {
      mkdirSync(path.dirname(c.path), { recursive: true });
      writeFileSync(c.path, c.content);
    }
  }
}

let tmp: string;

/** A fresh copy of a fixture folder; returns its path. */
function copyFixture(rel: string): string {
  const dest = path.join(tmp, `${rel.replace(/[/\\]/g, '-')}-${Math.random().toString(16).slice(2)}`);
  cpSync(path.join(FIXTURES, rel), dest, { recursive: true });
  return dest;
}

async function loadOne(root: string, fileName?: string): Promise<Collection> {
  const snapshot = await loadWorkspace(root);
  const found = fileName ? snapshot.collections.filter((c) => path.basename(c.source.file) === fileName) : snapshot.collections;
  assert.equal(found.length, 1, `one collection${fileName ? ` in ${fileName}` : ''} under ${root}`);
  return found[0];
}

function item(collection: Collection, name: string): Item {
  const found = [...walkItems(collection.children)].filter((i) => i.name === name);
  assert.equal(found.length, 1, `one item named ${name}`);
  return found[0];
}

function plan(collection: Collection, edit: Edit) {
  return planEdit(collection, edit, ctx);
}

function only<T>(list: readonly T[]): T {
  assert.equal(list.length, 1);
  return list[0];
}

before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'hammock-planner-'));
});
after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('editPlanner', () => {
  describe('no-op edits on every fixture collection', () => {
    it('renaming anything to its own name changes no file', async () => {
      let checked = 0;
      for (const rel of ['legacy', 'v5']) {
        for (const repo of readdirSync(path.join(FIXTURES, rel))) {
          const snapshot = await loadWorkspace(path.join(FIXTURES, rel, repo));
          for (const c of snapshot.collections) {
            const targets: { id: string; name: string }[] = [c, ...walkItems(c.children)];
            if (c.baseEnvironment) targets.push(c.baseEnvironment, ...c.baseEnvironment.subEnvironments);
            for (const t of targets) {
              assert.deepEqual(plan(c, { kind: 'rename', id: t.id, name: t.name }).changes, [], `${c.name}/${t.name}`);
              checked++;
            }
          }
        }
      }
      assert.ok(checked > 100, `checked ${checked}`);
    });
  });

  describe('legacy .insomnia', () => {
    it('rename changes the name line and the modified line of the one file', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await loadOne(root);
      const req = item(c, 'Create new transaction');
      const before = readFileSync(req.source.file, 'utf8');
      const change = only(plan(c, { kind: 'rename', id: req.id, name: 'Create: a "transaction"' }).changes);
      assert.equal(change.path, req.source.file);
      assert.deepEqual(lineDiff(before, change.content as string), {
        removed: ['modified: 1741231446164', 'name: Create new transaction'],
        added: [`modified: ${NOW}`, `name: 'Create: a "transaction"'`],
      });
      apply([change]);
      assert.equal(item(await loadOne(root), 'Create: a "transaction"').id, req.id);
    });

    it('renames the workspace, a folder, the base and a sub-environment in their own files', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await loadOne(root);
      const base = c.baseEnvironment;
      assert.ok(base);
      const targets = [c, item(c, 'Transactions'), base, base.subEnvironments[0]];
      for (const t of targets) {
        const change = only(plan(c, { kind: 'rename', id: t.id, name: 'Renamed' }).changes);
        const diff = lineDiff(readFileSync(change.path, 'utf8'), change.content as string);
        assert.deepEqual(diff.added, [`modified: ${NOW}`, 'name: Renamed']);
        assert.equal(diff.removed.length, 2);
      }
    });

    it('createRequest writes a new file with Insomnia 10 keys, in a folder', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await loadOne(root);
      const folder = item(c, 'Transactions');
      const result = plan(c, { kind: 'createRequest', parentId: folder.id, name: 'New one', method: 'POST', url: 'https://x.test' });
      const change = only(result.changes);
      assert.ok(result.createdId);
      assert.match(result.createdId, /^req_[0-9a-f]{32}$/);
      assert.equal(change.path, path.join(root, '.insomnia', 'Request', `${result.createdId}.yml`));
      const doc = parse(change.content as string) as Record<string, unknown>;
      const real = parse(readFileSync(path.join(root, '.insomnia/Request/req_33f9a4c439d94f67b1c094a18ad0f0cd.yml'), 'utf8'));
      assert.deepEqual(Object.keys(doc), Object.keys(real), 'the key order of a real Insomnia 10 request file');
      assert.deepEqual(doc, {
        _id: result.createdId,
        type: 'Request',
        parentId: folder.id,
        modified: NOW,
        created: NOW,
        url: 'https://x.test',
        name: 'New one',
        description: '',
        method: 'POST',
        body: {},
        parameters: [],
        headers: [],
        authentication: {},
        preRequestScript: null,
        metaSortKey: -NOW,
        isPrivate: false,
        pathParameters: null,
        afterResponseScript: null,
        settingStoreCookies: true,
        settingSendCookies: true,
        settingDisableRenderRequestBody: false,
        settingEncodeUrl: true,
        settingRebuildPath: true,
        settingFollowRedirects: 'global',
      });
      apply([change]);
      const created = item(await loadOne(root), 'New one');
      assert.equal(created.parentId, folder.id);
      assert.equal(created.sortKey, -NOW);
      assert.ok(created.kind === 'request' && created.method === 'POST' && created.url === 'https://x.test');
    });

    it('createFolder writes a RequestGroup file shaped like the real ones, at the top level', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await loadOne(root);
      const result = plan(c, { kind: 'createFolder', parentId: c.id, name: 'Folder #2' });
      const change = only(result.changes);
      assert.equal(change.path, path.join(root, '.insomnia', 'RequestGroup', `${result.createdId}.yml`));
      const doc = parse(change.content as string) as Record<string, unknown>;
      const real = parse(readFileSync(path.join(root, '.insomnia/RequestGroup/fld_fb696016751840aa9094c3d3d3611dfc.yml'), 'utf8'));
      assert.deepEqual(Object.keys(doc), Object.keys(real));
      assert.equal(doc.parentId, c.id);
      assert.equal(doc.name, 'Folder #2');
      apply([change]);
      const loaded = await loadOne(root);
      assert.deepEqual(loaded.children.map((i) => i.name).sort(), ['Folder #2', 'Transactions']);
    });

    it('duplicate of a folder copies its file and every descendant with new ids, originals untouched', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await loadOne(root);
      const folder = item(c, 'Transactions') as Folder;
      const result = plan(c, { kind: 'duplicate', id: folder.id });
      assert.equal(result.changes.length, 1 + folder.children.length);
      const originals = new Set([folder, ...walkItems(folder.children)].map((i) => i.source.file));
      for (const ch of result.changes) {
        assert.ok(!originals.has(ch.path), 'never rewrites an original');
        assert.ok(!existsSync(ch.path), 'a new file');
      }
      const topChange = result.changes.find((ch) => ch.path.endsWith(`${result.createdId}.yml`));
      assert.ok(topChange);
      const original = readFileSync(folder.source.file, 'utf8');
      const diff = lineDiff(original, topChange.content as string);
      assert.deepEqual(diff.added, [
        `_id: ${result.createdId}`,
        `modified: ${NOW}`,
        `created: ${NOW}`,
        'name: Transactions (Copy)',
        `metaSortKey: ${folder.sortKey + 100}`,
      ]);
      apply(result.changes);
      const loaded = await loadOne(root);
      const copy = item(loaded, 'Transactions (Copy)') as Folder;
      assert.equal(copy.id, result.createdId);
      assert.deepEqual(copy.children.map((i) => i.name).sort(), folder.children.map((i) => i.name).sort());
      for (const child of copy.children) {
        assert.equal(child.parentId, copy.id);
        assert.ok(!folder.children.some((o) => o.id === child.id), 'a new id');
        assert.equal(child.created, NOW);
      }
      assert.equal(item(loaded, 'Transactions').id, folder.id);
    });

    it('duplicate of a request: " (Copy)", sort key halfway to the next sibling', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await loadOne(root);
      // sort keys in the folder: -1741210902632 (x3), -1741210902631 (x2)
      const low = item(c, 'Cancel a transaction');
      const high = item(c, 'List all transactions');
      assert.deepEqual([low.sortKey, high.sortKey], [-1741210902632, -1741210902631]);
      const result = plan(c, { kind: 'duplicate', id: low.id });
      const doc = parse(only(result.changes).content as string) as Record<string, unknown>;
      assert.equal(doc.name, 'Cancel a transaction (Copy)');
      assert.equal(doc.metaSortKey, -1741210902631.5);
      assert.equal(doc.parentId, low.parentId);
      const last = parse(only(plan(c, { kind: 'duplicate', id: high.id }).changes).content as string) as Record<string, unknown>;
      assert.equal(last.metaSortKey, high.sortKey + 100, 'no sibling after it: + 100');
    });

    it('delete removes the folder file and every descendant file; a sub-environment its file', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await loadOne(root);
      const folder = item(c, 'Transactions') as Folder;
      const result = plan(c, { kind: 'delete', id: folder.id });
      assert.equal(result.changes.length, 6);
      assert.ok(result.changes.every((ch) => ch.content === null));
      // descendants before their folder: a save killed half-way leaves a smaller folder, never documents whose parent
      // is gone (Insomnia never shows those)
      const order = result.changes.map((ch) => ch.path);
      for (const d of walkItems(folder.children)) {
        const parent = d.parentId === folder.id ? folder : [...walkItems(folder.children)].find((x) => x.id === d.parentId)!;
        assert.ok(order.indexOf(d.source.file) < order.indexOf(parent.source.file), `${d.name} is deleted before ${parent.name}`);
      }
      apply(result.changes);
      assert.equal(readdirSync(path.join(root, '.insomnia/Request')).length, 0);
      const sub = c.baseEnvironment?.subEnvironments[0];
      assert.ok(sub);
      const del = plan(c, { kind: 'delete', id: sub.id });
      assert.deepEqual(del.changes, [{ path: sub.source.file, content: null }]);
      apply(del.changes);
      const loaded = await loadOne(root);
      assert.equal(loaded.children.length, 0);
      assert.equal(loaded.baseEnvironment?.subEnvironments.length, c.baseEnvironment!.subEnvironments.length - 1);
    });

    it('createEnvironment writes a sub-environment whose parent is the base environment', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await loadOne(root);
      const result = plan(c, { kind: 'createEnvironment', name: 'Staging', data: { host: 'staging.test' } });
      const change = only(result.changes);
      const doc = parse(change.content as string) as Record<string, unknown>;
      const real = parse(readFileSync(path.join(root, '.insomnia/Environment/env_1932d37308734a58b8355c5ca5e95b9d.yml'), 'utf8'));
      assert.deepEqual(Object.keys(doc), Object.keys(real));
      assert.equal(doc.parentId, c.baseEnvironment?.id);
      assert.equal(doc.metaSortKey, NOW);
      apply([change]);
      const env = (await loadOne(root)).baseEnvironment?.subEnvironments.find((e) => e.id === result.createdId);
      assert.deepEqual(env?.data, { host: 'staging.test' });
    });

    it('createEnvironment with a created time and sort key (a private environment shared again) writes those, not now', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await loadOne(root);
      const result = plan(c, { kind: 'createEnvironment', name: 'Back', id: 'env_back', data: { a: '1' }, created: 1700000000001, sortKey: 1700000000002 });
      const doc = parse(only(result.changes).content as string) as Record<string, unknown>;
      assert.equal(doc.created, 1700000000001);
      assert.equal(doc.modified, NOW);
      assert.equal(doc.metaSortKey, 1700000000002);
    });

    it('createEnvironment creates the base environment first when there is none', async () => {
      const root = copyFixture('legacy/minimal-collection');
      rmSync(path.join(root, '.insomnia/Environment'), { recursive: true });
      const c = await loadOne(root);
      assert.equal(c.baseEnvironment, undefined);
      const result = plan(c, { kind: 'createEnvironment', name: 'Dev' });
      assert.equal(result.changes.length, 2);
      assert.equal(result.changes[0].path, path.join(root, '.insomnia/Environment', `${baseEnvironmentId(c.id)}.yml`));
      apply(result.changes);
      const loaded = await loadOne(root);
      assert.equal(loaded.baseEnvironment?.id, baseEnvironmentId(c.id));
      assert.deepEqual(loaded.baseEnvironment?.subEnvironments.map((e) => e.name), ['Dev']);
    });

    it('edits a JSON-style file in place: one line per field, and it stays JSON', async () => {
      const root = path.join(tmp, 'json-legacy');
      const dir = path.join(root, '.insomnia');
      const wrk = { _id: 'wrk_json', type: 'Workspace', parentId: null, modified: 1, created: 1, name: 'JSON', description: '', scope: 'collection' };
      const req = {
        _id: 'req_json', type: 'Request', parentId: 'wrk_json', modified: 2, created: 2, url: 'http://x', name: 'Old',
        description: '', method: 'GET', body: {}, parameters: [], headers: [], authentication: {}, metaSortKey: -2,
      };
      mkdirSync(path.join(dir, 'Workspace'), { recursive: true });
      mkdirSync(path.join(dir, 'Request'), { recursive: true });
      writeFileSync(path.join(dir, 'Workspace/wrk_json.yml'), JSON.stringify(wrk, null, 2) + '\n');
      writeFileSync(path.join(dir, 'Request/req_json.yml'), JSON.stringify(req, null, 2) + '\n');
      const c = await loadOne(root);
      const change = only(plan(c, { kind: 'rename', id: 'req_json', name: 'New: "one"' }).changes);
      assert.deepEqual(lineDiff(readFileSync(change.path, 'utf8'), change.content as string), {
        removed: ['  "modified": 2,', '  "name": "Old",'],
        added: [`  "modified": ${NOW},`, '  "name": "New: \\"one\\"",'],
      });
      assert.deepEqual(JSON.parse(change.content as string), { ...req, modified: NOW, name: 'New: "one"' });
      const dup = plan(c, { kind: 'duplicate', id: 'req_json' });
      const copy = JSON.parse(only(dup.changes).content as string);
      assert.equal(copy._id, dup.createdId);
      assert.equal(copy.name, 'Old (Copy)');
    });

    it('refuses to delete or duplicate the collection or its base environment, and unknown ids', async () => {
      const c = await loadOne(path.join(FIXTURES, 'legacy/kong-demo-with-tests'));
      const base = c.baseEnvironment!;
      for (const edit of [
        { kind: 'delete', id: c.id },
        { kind: 'delete', id: base.id },
        { kind: 'duplicate', id: base.id },
      ] as const) {
        assert.throws(() => plan(c, edit), (e: unknown) => e instanceof PlanError && e.code === 'unsupported');
      }
      assert.throws(() => plan(c, { kind: 'rename', id: 'req_nope', name: 'x' }), (e: unknown) => e instanceof PlanError && e.code === 'notFound');
      const req = item(c, 'List all transactions');
      assert.throws(() => plan(c, { kind: 'createRequest', parentId: req.id, name: 'x' }), PlanError);
    });
  });

  describe('v5 single file', () => {
    const EVERYTHING = 'everything.yaml';

    async function everything(): Promise<{ root: string; c: Collection; file: string; text: string }> {
      const root = copyFixture('v5/kong-example');
      const c = await loadOne(root, EVERYTHING);
      return { root, c, file: c.source.file, text: readFileSync(c.source.file, 'utf8') };
    }

    it('rename changes the name line and meta.modified, for requests, folders, the collection and environments', async () => {
      const { c, text } = await everything();
      const req = item(c, 'subscribe');
      const change = only(plan(c, { kind: 'rename', id: req.id, name: 'subscribe: "now"' }).changes);
      assert.deepEqual(lineDiff(text, change.content as string), {
        removed: ['        name: subscribe', '          modified: 1761833821625'],
        added: [`        name: 'subscribe: "now"'`, `          modified: ${NOW}`],
      });
      const top = only(plan(c, { kind: 'rename', id: c.id, name: 'All' }).changes);
      assert.deepEqual(lineDiff(text, top.content as string), {
        removed: ['name: Everything', '  modified: 1761833466096'],
        added: ['name: All', `  modified: ${NOW}`],
      });
      const sub = c.baseEnvironment!.subEnvironments[0];
      const env = only(plan(c, { kind: 'rename', id: sub.id, name: 'Prod' }).changes);
      assert.deepEqual(lineDiff(text, env.content as string), {
        removed: ['    - name: New Environment', '        modified: 1761833506025'],
        added: ['    - name: Prod', `        modified: ${NOW}`],
      });
      const deep = item(c, 'Sub2');
      const folder = only(plan(c, { kind: 'rename', id: deep.id, name: 'Deep' }).changes);
      assert.equal(lineDiff(text, folder.content as string).removed.length, 2);
    });

    it('rename and rename back differ from the original only by meta.modified', async () => {
      const { root, c, file, text } = await everything();
      const req = item(c, 'login');
      apply(plan(c, { kind: 'rename', id: req.id, name: 'x' }).changes);
      const c2 = await loadOne(root, EVERYTHING);
      apply(plan(c2, { kind: 'rename', id: req.id, name: 'login' }).changes);
      assert.deepEqual(lineDiff(text, readFileSync(file, 'utf8')), {
        removed: ['          modified: 1761833710936'],
        added: [`          modified: ${NOW}`],
      });
    });

    it('createRequest appends an item to the folder children, only added lines, in Insomnia shape', async () => {
      const { root, c, text } = await everything();
      const folder = item(c, 'User') as Folder;
      const result = plan(c, { kind: 'createRequest', parentId: folder.id, name: 'logout' });
      const out = only(result.changes).content as string;
      const diff = lineDiff(text, out);
      assert.deepEqual(diff.removed, []);
      assert.deepEqual(diff.added, [
        '      - url: ""',
        '        name: logout',
        '        meta:',
        `          id: ${result.createdId}`,
        `          created: ${NOW}`,
        `          modified: ${NOW}`,
        '          isPrivate: false',
        '          description: ""',
        `          sortKey: -${NOW}`,
        '        method: GET',
        '        settings:',
        '          renderRequestBody: true',
        '          encodeUrl: true',
        '          followRedirects: global',
        '          cookies:',
        '            send: true',
        '            store: true',
        '          rebuildPath: true',
      ]);
      const doc = parse(out) as { collection: { children: { name: string }[] }[] };
      assert.deepEqual(doc.collection[0].children.map((i) => i.name), ['login', 'subscribe', 'logout']);
      apply(result.changes);
      const created = item(await loadOne(root, EVERYTHING), 'logout');
      assert.equal(created.id, result.createdId);
      assert.equal(created.parentId, folder.id);
      assert.equal(created.kind, 'request');
      assert.equal(created.sortKey, -NOW);
    });

    it('createFolder at the top level goes at the end of `collection`, before cookieJar', async () => {
      const { c, text } = await everything();
      const result = plan(c, { kind: 'createFolder', parentId: c.id, name: 'Admin' });
      const out = only(result.changes).content as string;
      const lines = out.split('\n');
      const at = lines.indexOf('  - name: Admin');
      assert.equal(lines[at + 7], 'cookieJar:');
      assert.deepEqual(lineDiff(text, out).removed, []);
      assert.deepEqual((parse(out) as { collection: { name: string }[] }).collection.map((i) => i.name), ['User', 'gRPC', 'FolderTree', 'Admin']);
    });

    it('createFolder with an id (a folder deleted on disk put back) keeps that id, in v5 and legacy', async () => {
      const { c } = await everything();
      const v5 = plan(c, { kind: 'createFolder', parentId: c.id, name: 'Back', id: 'fld_put0back0000000000000000000001' });
      assert.equal(v5.createdId, 'fld_put0back0000000000000000000001');
      assert.match(only(v5.changes).content as string, /^ {6}id: fld_put0back0000000000000000000001$/m);
      const root = copyFixture('legacy/kong-demo-with-tests');
      const legacy = await loadOne(root);
      const result = plan(legacy, { kind: 'createFolder', parentId: legacy.id, name: 'Back', id: 'fld_put0back0000000000000000000002' });
      assert.equal(only(result.changes).path, path.join(root, '.insomnia', 'RequestGroup', 'fld_put0back0000000000000000000002.yml'));
    });

    it('creates the `collection` key in a file without one, and `children` in a folder without any', async () => {
      const root = copyFixture('v5/kong-example');
      const empty = await loadOne(root, 'collection_after_renaming_3.yaml');
      const text = readFileSync(empty.source.file, 'utf8');
      const result = plan(empty, { kind: 'createRequest', parentId: empty.id, name: 'first' });
      const out = only(result.changes).content as string;
      const diff = lineDiff(text, out);
      assert.deepEqual(diff.removed, []);
      assert.equal(diff.added[0], 'collection:');
      assert.ok(out.indexOf('collection:') < out.indexOf('cookieJar:'));
      apply(result.changes);
      assert.equal(item(await loadOne(root, 'collection_after_renaming_3.yaml'), 'first').id, result.createdId);

      const c12 = await loadOne(root, '12_1_0.yaml');
      const pavlos = item(c12, 'Pavlos');
      const r2 = plan(c12, { kind: 'createRequest', parentId: pavlos.id, name: 'inside' });
      const t2 = readFileSync(c12.source.file, 'utf8');
      const d2 = lineDiff(t2, only(r2.changes).content as string);
      assert.deepEqual(d2.removed, []);
      assert.deepEqual(d2.added.slice(0, 3), ['    children:', '      - url: ""', '        name: inside']);
      apply(r2.changes);
      const inside = item(await loadOne(root, '12_1_0.yaml'), 'inside');
      assert.equal(inside.parentId, pavlos.id);
    });

    it('delete removes exactly the item lines', async () => {
      const { root, c, text } = await everything();
      const req = item(c, 'subscribe');
      const out = only(plan(c, { kind: 'delete', id: req.id }).changes).content as string;
      const diff = lineDiff(text, out);
      assert.deepEqual(diff.added, []);
      const lines = text.split('\n');
      const start = lines.indexOf('      - url: "{{ _.base_url }}/user/subscribe"');
      const end = lines.indexOf('    scripts:', start);
      assert.deepEqual(diff.removed, lines.slice(start, end));
      writeFileSync(c.source.file, out);
      const loaded = await loadOne(root, EVERYTHING);
      assert.deepEqual((item(loaded, 'User') as Folder).children.map((i) => i.name), ['login']);
    });

    it('deleting the only child removes the `children` key with it; deleting a folder removes its subtree', async () => {
      const { root, c, text } = await everything();
      const grpc = item(c, 'gRPC') as Folder;
      const only1 = only(grpc.children);
      const out = only(plan(c, { kind: 'delete', id: only1.id }).changes).content as string;
      const diff = lineDiff(text, out);
      assert.deepEqual(diff.added, []);
      assert.equal(diff.removed[0], '    children:');
      assert.ok(!('children' in (parse(out) as { collection: Record<string, unknown>[] }).collection[1]));
      const tree = item(c, 'FolderTree');
      const out2 = only(plan(c, { kind: 'delete', id: tree.id }).changes).content as string;
      assert.deepEqual(lineDiff(text, out2).added, []);
      writeFileSync(c.source.file, out2);
      const loaded = await loadOne(root, EVERYTHING);
      assert.deepEqual(loaded.children.map((i) => i.name).sort(), ['User', 'gRPC']);
      assert.equal([...walkItems(loaded.children)].length, 5);
    });

    it('duplicate of a folder: a copy right after it, new ids everywhere, only added lines', async () => {
      const { root, c, text } = await everything();
      const tree = item(c, 'FolderTree') as Folder;
      const result = plan(c, { kind: 'duplicate', id: tree.id });
      const out = only(result.changes).content as string;
      assert.deepEqual(lineDiff(text, out).removed, []);
      const fileOrder = (parse(out) as { collection: { name: string }[] }).collection.map((i) => i.name);
      assert.deepEqual(fileOrder, ['User', 'gRPC', 'FolderTree', 'FolderTree (Copy)'], 'right after the original in the file');
      writeFileSync(c.source.file, out);
      const loaded = await loadOne(root, EVERYTHING);
      // the tree sorts by sort key (ascending, newest first): the copy shows right after the original there too
      assert.deepEqual(loaded.children.map((i) => i.name), ['FolderTree', 'FolderTree (Copy)', 'gRPC', 'User']);
      const copy = loaded.children[1] as Folder;
      assert.equal(copy.id, result.createdId);
      assert.match(copy.id, /^fld_[0-9a-f]{32}$/);
      const grpc = item(c, 'gRPC'); // the next sort key up among the top-level siblings
      assert.equal(copy.sortKey, tree.sortKey + (grpc.sortKey - tree.sortKey) / 2);
      const originalIds = new Set([...walkItems([tree])].map((i) => i.id));
      const copies = [...walkItems([copy])];
      assert.deepEqual(copies.map((i) => i.name), ['FolderTree (Copy)', 'Sub1', 'Sub2', 'chat']);
      assert.deepEqual(copies.map((i) => i.kind), [...walkItems([tree])].map((i) => i.kind));
      for (const i of copies) assert.ok(!originalIds.has(i.id), `${i.name} has a new id`);
      assert.match(copies[3].id, /^ws-req_[0-9a-f]{32}$/);
      assert.equal(copies[1].parentId, copy.id);
      assert.equal(copies[3].created, NOW);
    });

    it('duplicate of a request goes right after it with the sort key halfway to the next sibling', async () => {
      const { c, text } = await everything();
      const login = item(c, 'login');
      const subscribe = item(c, 'subscribe');
      const result = plan(c, { kind: 'duplicate', id: login.id });
      const out = only(result.changes).content as string;
      assert.deepEqual(lineDiff(text, out).removed, []);
      const doc = parse(out) as { collection: { children: { name: string; meta: { sortKey: number; id: string } }[] }[] };
      const kids = doc.collection[0].children;
      assert.deepEqual(kids.map((i) => i.name), ['login', 'login (Copy)', 'subscribe']);
      assert.equal(kids[1].meta.sortKey, login.sortKey + (subscribe.sortKey - login.sortKey) / 2);
      assert.equal(kids[1].meta.id, result.createdId);
      const original = (parse(text) as typeof doc).collection[0].children[0] as unknown as Record<string, unknown>;
      const { name: _n, meta: _m, ...rest } = kids[1] as unknown as Record<string, unknown>;
      const { name: _on, meta: _om, ...originalRest } = original;
      assert.deepEqual(rest, originalRest, 'every other field is copied');
    });

    it('createEnvironment appends to subEnvironments (or creates it); duplicate and delete sub-environments', async () => {
      const { root, c, text } = await everything();
      const r = plan(c, { kind: 'createEnvironment', name: 'Staging', data: { host: 's.test' } });
      const out = only(r.changes).content as string;
      assert.deepEqual(lineDiff(text, out), {
        removed: [],
        added: [
          '    - name: Staging',
          '      meta:',
          `        id: ${r.createdId}`,
          `        created: ${NOW}`,
          `        modified: ${NOW}`,
          '        isPrivate: false',
          `        sortKey: ${NOW}`,
          '      data:',
          '        host: s.test',
        ],
      });
      const sub = c.baseEnvironment!.subEnvironments[0];
      const dup = plan(c, { kind: 'duplicate', id: sub.id });
      const dupDoc = parse(only(dup.changes).content as string) as { environments: { subEnvironments: { name: string }[] } };
      assert.deepEqual(dupDoc.environments.subEnvironments.map((e) => e.name), ['New Environment', 'New Environment (Copy)']);
      const del = only(plan(c, { kind: 'delete', id: sub.id }).changes).content as string;
      const delDiff = lineDiff(text, del);
      assert.equal(delDiff.removed[0], '  subEnvironments:');
      assert.deepEqual(delDiff.added, []);

      // a private environment shared again keeps its created time and its place (sort key): only `modified` is new
      const back = plan(c, { kind: 'createEnvironment', name: 'Back', id: 'env_back', created: 1700000000001, sortKey: 1700000000002 });
      const backLines = lineDiff(text, only(back.changes).content as string).added;
      assert.ok(backLines.includes('        created: 1700000000001') && backLines.includes('        sortKey: 1700000000002') && backLines.includes(`        modified: ${NOW}`), JSON.stringify(backLines));

      const mine = await loadOne(root, 'my_collection.yaml');
      const mineText = readFileSync(mine.source.file, 'utf8');
      const r2 = plan(mine, { kind: 'createEnvironment', name: 'Empty' });
      const d2 = lineDiff(mineText, only(r2.changes).content as string);
      assert.deepEqual(d2.removed, []);
      assert.equal(d2.added[0], '  subEnvironments:');
      apply(r2.changes);
      assert.deepEqual((await loadOne(root, 'my_collection.yaml')).baseEnvironment?.subEnvironments.map((e) => e.name), ['Empty']);
    });
  });

  describe('v5 windows (parsing only the edited object\'s lines)', () => {
    const counter = () => {
      let n = 0;
      return (prefix: string) => `${prefix}_${(n++).toString(16).padStart(32, '0')}`;
    };

    function editsOf(c: Collection): Edit[] {
      const edits: Edit[] = [
        { kind: 'rename', id: c.id, name: 'Collection: renamed' },
        ...(holdsItems(c.scope) ? ([{ kind: 'createRequest', parentId: c.id, name: 'top' }, { kind: 'createFolder', parentId: c.id, name: 'top folder' }] as Edit[]) : []),
        ...(holdsEnvironments(c.scope) ? ([{ kind: 'createEnvironment', name: 'env', data: { a: 1 } }] as Edit[]) : []),
      ];
      for (const i of walkItems(c.children)) {
        edits.push({ kind: 'rename', id: i.id, name: `${i.name} #2` }, { kind: 'duplicate', id: i.id }, { kind: 'delete', id: i.id });
        if (i.kind === 'folder') {
          edits.push({ kind: 'createRequest', parentId: i.id, name: 'inner', method: 'PUT' });
          edits.push({ kind: 'setFolderFields', id: i.id, fields: { environment: { ...i.environment, added: 'x' }, scripts: { preRequest: '// pre' } } });
        }
        if (i.kind === 'request') edits.push({ kind: 'setRequestFields', id: i.id, fields: { scripts: { preRequest: '', afterResponse: '// after' } } });
      }
      const base = c.baseEnvironment;
      if (base) {
        edits.push({ kind: 'rename', id: base.id, name: 'Base: renamed' });
        edits.push({ kind: 'setEnvironment', id: base.id, fields: { data: { ...base.data, added: 1 }, color: '#7d69cb' } });
        edits.push({ kind: 'setEnvironmentData', id: base.id, data: { ...base.data, token: 'abc' } });
        for (const e of base.subEnvironments) {
          edits.push({ kind: 'rename', id: e.id, name: 'sub' }, { kind: 'duplicate', id: e.id }, { kind: 'delete', id: e.id });
          const reversed = Object.fromEntries(Object.entries(e.data).reverse());
          edits.push({ kind: 'setEnvironment', id: e.id, fields: { data: { ...reversed, z: true }, isPrivate: true } }, { kind: 'moveEnvironment', id: e.id }, { kind: 'setEnvironmentData', id: e.id, data: { fromScript: [1, 2] } });
        }
      }
      if (c.spec) edits.push({ kind: 'setSpec', contents: 'openapi: 3.1.0\ninfo:\n  title: edited\n  version: 1.0.0\n' });
      return edits;
    }

    it('plans exactly what a whole-file parse plans, for every edit of every v5 fixture collection', async () => {
      let compared = 0;
      for (const repo of readdirSync(path.join(FIXTURES, 'v5'))) {
        const snapshot = await loadWorkspace(path.join(FIXTURES, 'v5', repo));
        for (const c of snapshot.collections) {
          for (const edit of editsOf(c)) {
            const windowed = planEditWith(c, edit, ctx, { windows: true, newId: counter() });
            const whole = planEditWith(c, edit, ctx, { windows: false, newId: counter() });
            assert.deepEqual(windowed, whole, `${path.basename(c.source.file)}: ${JSON.stringify(edit)}`);
            compared++;
          }
        }
      }
      assert.ok(compared > 150, `compared ${compared}`);
    });

    it('edits a file whose other parts do not even parse: only the window is read', async () => {
      const root = copyFixture('v5/kong-example');
      const c = await loadOne(root, 'everything.yaml');
      const broken = readFileSync(c.source.file, 'utf8') + 'broken: [\n';
      const brokenCtx: EditContext = { readText: () => broken, now: NOW };
      const folder = item(c, 'User');
      const sub = c.baseEnvironment!.subEnvironments[0];
      const edits: Edit[] = [
        { kind: 'rename', id: item(c, 'chat').id, name: 'talk' },
        { kind: 'rename', id: c.id, name: 'All' },
        { kind: 'rename', id: c.baseEnvironment!.id, name: 'Base' },
        { kind: 'duplicate', id: item(c, 'login').id },
        { kind: 'delete', id: item(c, 'login').id },
        { kind: 'createRequest', parentId: folder.id, name: 'in folder' },
        { kind: 'createRequest', parentId: c.id, name: 'at the top' },
        { kind: 'duplicate', id: sub.id },
        { kind: 'rename', id: sub.id, name: 'Prod' },
        { kind: 'createEnvironment', name: 'Staging' },
      ];
      for (const edit of edits) {
        const out = only(planEditWith(c, edit, brokenCtx, { windows: true, newId: counter() }).changes).content;
        const intact = only(planEditWith(c, edit, ctx, { windows: false, newId: counter() }).changes).content;
        assert.equal(out, `${intact}broken: [\n`, JSON.stringify(edit));
        assert.throws(() => planEditWith(c, edit, brokenCtx, { windows: false }), /YAML errors/);
      }
    });
  });

  describe('setEnvironmentData (what scripts set)', () => {
    it('legacy: a changed variable is its one line (and modified); an added one one more; a removed one goes', async () => {
      const root = copyFixture('legacy/kong-example-design');
      const c = await loadOne(root);
      const sub = c.baseEnvironment!.subEnvironments[0];
      const before = readFileSync(sub.source.file, 'utf8');
      const key = Object.keys(sub.data)[0];
      const change = only(plan(c, { kind: 'setEnvironmentData', id: sub.id, data: { ...sub.data, [key]: 'changed by a script' } }).changes);
      const { removed, added } = lineDiff(before, change.content!);
      assert.deepEqual(removed.map((l) => l.trim().split(':')[0]).sort(), [key, 'modified'].sort());
      assert.deepEqual(added.map((l) => l.trim().split(':')[0]).sort(), [key, 'modified'].sort());
      apply([change]);
      const again = await loadOne(root);
      const sub2 = again.baseEnvironment!.subEnvironments.find((e) => e.id === sub.id)!;
      assert.equal(sub2.data[key], 'changed by a script');
      // added and removed
      const change2 = only(plan(again, { kind: 'setEnvironmentData', id: sub.id, data: { token: 'abc' } }).changes);
      apply([change2]);
      const third = (await loadOne(root)).baseEnvironment!.subEnvironments.find((e) => e.id === sub.id)!;
      assert.deepEqual(third.data, { token: 'abc' });
      // the same data again writes nothing
      assert.deepEqual(plan(await loadOne(root), { kind: 'setEnvironmentData', id: sub.id, data: { token: 'abc' } }).changes, []);
    });

    it('legacy: dataPropertyOrder follows the keys where the file keeps one', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await loadOne(root);
      const envs = [c.baseEnvironment!, ...c.baseEnvironment!.subEnvironments];
      const withOrder = envs.find((e) => /dataPropertyOrder:\n\s+"&":/.test(readFileSync(e.source.file, 'utf8')));
      assert.ok(withOrder, 'a fixture environment with a dataPropertyOrder');
      const data = { ...withOrder.data, added_by_script: 'x' };
      apply(plan(c, { kind: 'setEnvironmentData', id: withOrder.id, data }).changes);
      const doc = parse(readFileSync(withOrder.source.file, 'utf8')) as { data: Record<string, unknown>; dataPropertyOrder: Record<string, string[]> };
      assert.equal(doc.data.added_by_script, 'x');
      assert.deepEqual(doc.dataPropertyOrder['&'], Object.keys(data));
    });

    it('v5: only the variable lines of that environment (and its meta.modified) change; an emptied data key goes', async () => {
      const root = copyFixture('v5/kong-example');
      const c = await loadOne(root, 'everything.yaml');
      const sub = c.baseEnvironment!.subEnvironments[0];
      const before = readFileSync(c.source.file, 'utf8');
      const change = only(plan(c, { kind: 'setEnvironmentData', id: sub.id, data: { ...sub.data, token: 'from-login' } }).changes);
      const { removed, added } = lineDiff(before, change.content!);
      assert.deepEqual(removed.map((l) => l.trim().split(':')[0]), ['modified']);
      assert.deepEqual(added.map((l) => l.trim().split(':')[0]).sort(), ['modified', 'token']);
      apply([change]);
      let again = await loadOne(root, 'everything.yaml');
      assert.equal(again.baseEnvironment!.subEnvironments.find((e) => e.id === sub.id)!.data.token, 'from-login');
      apply(plan(again, { kind: 'setEnvironmentData', id: sub.id, data: {} }).changes);
      again = await loadOne(root, 'everything.yaml');
      assert.deepEqual(again.baseEnvironment!.subEnvironments.find((e) => e.id === sub.id)!.data, {});
      const text = readFileSync(c.source.file, 'utf8');
      const subBlock = text.slice(text.indexOf(sub.id));
      assert.ok(!/^\s+data:/m.test(subBlock.split('\n').slice(0, 8).join('\n')), 'no empty data: left behind');
      // and back: the data mapping is created where Insomnia puts it
      apply(plan(again, { kind: 'setEnvironmentData', id: sub.id, data: { a: 1 } }).changes);
      assert.deepEqual((await loadOne(root, 'everything.yaml')).baseEnvironment!.subEnvironments.find((e) => e.id === sub.id)!.data, { a: 1 });
    });

    it('refuses an id that is not an environment', async () => {
      const c = await loadOne(copyFixture('v5/kong-example'), 'everything.yaml');
      assert.throws(() => plan(c, { kind: 'setEnvironmentData', id: c.id, data: {} }), /not an environment/);
    });
  });

  describe('move', () => {
    const folders = (c: Collection) => [...walkItems(c.children)].filter((i): i is Folder => i.kind === 'folder');
    const requests = (c: Collection) => [...walkItems(c.children)].filter((i) => i.kind === 'request');

    it('legacy: into another folder is its parentId and sort key (and modified); it reads back there, last', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await loadOne(root);
      const req = requests(c)[0]!;
      const before = readFileSync(req.source.file, 'utf8');
      const change = only(planEdit(c, { kind: 'move', id: req.id, parentId: c.id }, ctx).changes);
      const { removed, added } = lineDiff(before, change.content as string);
      assert.deepEqual(removed.map((l) => l.split(':')[0]).sort(), ['metaSortKey', 'modified', 'parentId']);
      assert.deepEqual(added.map((l) => l.split(':')[0]).sort(), ['metaSortKey', 'modified', 'parentId']);
      apply([change]);
      const back = await loadOne(root);
      assert.equal(back.children[back.children.length - 1]!.id, req.id, 'last at the top level');
    });

    it('legacy: before a sibling takes a sort key between its neighbours; into its own folder is refused', async () => {
      const root = copyFixture('legacy/kong-demo-with-tests');
      const c = await loadOne(root);
      const folder = folders(c)[0]!;
      const last = folder.children[folder.children.length - 1]!;
      const target = folder.children[1]!;
      apply(planEdit(c, { kind: 'move', id: last.id, parentId: folder.id, before: target.id }, ctx).changes);
      const back = folders(await loadOne(root))[0]!;
      const moved = back.children.find((i) => i.id === last.id)!;
      const lower = folder.children.filter((i) => i.id !== last.id && i.sortKey < target.sortKey).map((i) => i.sortKey);
      assert.ok(moved.sortKey < target.sortKey, 'before the sibling it was dropped on');
      assert.ok(lower.every((k) => moved.sortKey > k), 'after those before it');
      assert.ok(back.children.indexOf(moved) < back.children.findIndex((i) => i.id === target.id));
      assert.throws(() => planEdit(c, { kind: 'move', id: folder.id, parentId: folder.id }, ctx), /into itself/);
    });

    it('v5: a reorder in the same folder is the sort key alone; to another folder moves its lines there', async () => {
      const root = copyFixture('v5/kong-example');
      const c = await loadOne(root, 'everything.yaml');
      const f1 = folders(c).find((f) => f.children.filter((i) => i.kind === 'request').length >= 2)!;
      assert.ok(f1, 'a folder with two requests');
      const inside = new Set([...walkItems(f1.children)].map((i) => i.id));
      const f2 = folders(c).find((f) => f.id !== f1.id && !inside.has(f.id))!;
      assert.ok(f2, 'another folder, not inside the first');
      const req = [...f1.children].reverse().find((i) => i.kind === 'request')!;
      const before = readFileSync(c.source.file, 'utf8');
      // same folder, before its first sibling
      const first = f1.children[0]!;
      assert.notEqual(first.id, req.id);
      const reorder = only(planEdit(c, { kind: 'move', id: req.id, parentId: f1.id, before: first.id }, ctx).changes);
      const diff = lineDiff(before, reorder.content as string);
      assert.ok(diff.removed.length <= 2 && diff.added.length <= 2, JSON.stringify(diff));
      assert.ok(diff.added.some((l) => l.trim().startsWith('sortKey:')));
      // another folder
      const change = only(planEdit(c, { kind: 'move', id: req.id, parentId: f2.id }, ctx).changes);
      apply([change]);
      const back = await loadOne(root, 'everything.yaml');
      const b1 = folders(back).find((f) => f.id === f1.id)!;
      const b2 = folders(back).find((f) => f.id === f2.id)!;
      assert.ok(!b1.children.some((i) => i.id === req.id), 'gone from the first folder');
      const movedTo = b2.children.find((i) => i.id === req.id);
      assert.ok(movedTo, 'in the second folder');
      assert.deepEqual({ ...movedTo, source: undefined, parentId: undefined, sortKey: undefined, modified: undefined }, { ...req, source: undefined, parentId: undefined, sortKey: undefined, modified: undefined }, 'the same request otherwise');
      assert.equal(b2.children[b2.children.length - 1]!.id, req.id, 'last');
    });
  });

  describe('what a kind of workspace can hold', () => {
    it('refuses folders and requests in an environment file, a mock server and an MCP client; environments in a mock server', async () => {
      const root = copyFixture('v5/upstream-roundtrip');
      writeFileSync(path.join(root, 'mock.yaml'), 'type: mock.insomnia.rest/5.0\nname: Mock\nmeta:\n  id: wrk_mock\nserver:\n  url: http://localhost:8080\n  useInsomniaCloud: false\nroutes: []\n');
      const snapshot = await loadWorkspace(root);
      const byScope = (scope: string) => snapshot.collections.find((c) => c.scope === scope)!;
      assert.deepEqual(snapshot.collections.map((c) => c.scope).sort(), ['design', 'environment', 'environment', 'mcp', 'mock-server']);
      for (const scope of ['environment', 'mock-server', 'mcp']) {
        const c = byScope(scope);
        assert.ok(c, scope);
        for (const edit of [{ kind: 'createFolder', parentId: c.id, name: 'F' }, { kind: 'createRequest', parentId: c.id, name: 'R' }] as Edit[]) {
          assert.throws(() => planEdit(c, edit, ctx), (e: unknown) => e instanceof PlanError && e.code === 'unsupported' && /holds no folders or requests/.test(e.message), scope);
        }
      }
      assert.throws(() => planEdit(byScope('mock-server'), { kind: 'createEnvironment', name: 'E' }, ctx), /holds no environments/);
      // an environment file takes environments
      const env = byScope('environment');
      assert.equal(planEdit(env, { kind: 'createEnvironment', name: 'E' }, ctx).changes.length, 1);
      // a design document takes all of them
      const collection = byScope('design');
      assert.equal(planEdit(collection, { kind: 'createRequest', parentId: collection.id, name: 'R' }, ctx).changes.length, 1);
    });
  });

  describe('planNewCollection', () => {
    it('safeFileName is Insomnia\'s safeToUseInsomniaFileName', () => {
      assert.equal(safeFileName('  My API: v2.0! '), 'my_api__v2_0_');
      assert.equal(safeFileName('11.4-curry'), '11_4-curry');
      assert.equal(safeFileName('Ünïcode ⍺'), '_n_code__');
    });

    it('legacy: a Workspace file and its base environment, loadable, shaped like the real ones', async () => {
      const root = path.join(tmp, 'new-legacy');
      const result = planNewCollection({ format: 'legacy', root, name: 'My API', now: NOW });
      assert.match(result.collectionId, /^wrk_[0-9a-f]{32}$/);
      const envId = baseEnvironmentId(result.collectionId);
      assert.deepEqual(result.changes.map((ch) => ch.path), [
        path.join(root, '.insomnia/Workspace', `${result.collectionId}.yml`),
        path.join(root, '.insomnia/Environment', `${envId}.yml`),
      ]);
      assert.equal(
        result.changes[0].content,
        `_id: ${result.collectionId}\ntype: Workspace\nparentId: null\nmodified: ${NOW}\ncreated: ${NOW}\nname: My API\ndescription: ""\nscope: collection\n`,
      );
      const realEnv = parse(readFileSync(path.join(FIXTURES, 'legacy/minimal-collection/.insomnia/Environment/env_7416a0ad5fdbfa6e31781eda2b43715b5f70c399.yml'), 'utf8'));
      const env = parse(result.changes[1].content as string) as Record<string, unknown>;
      assert.deepEqual(Object.keys(env), Object.keys(realEnv));
      assert.equal(env.parentId, result.collectionId);
      apply(result.changes);
      const c = await loadOne(root);
      assert.equal(c.id, result.collectionId);
      assert.equal(c.format, 'legacy');
      assert.equal(c.name, 'My API');
      assert.equal(c.baseEnvironment?.id, envId);
      const req = plan(c, { kind: 'createRequest', parentId: c.id, name: 'r' });
      apply(req.changes);
      assert.equal(item(await loadOne(root), 'r').id, req.createdId);
    });

    it('v5: one <safe name>.yaml file with the base environment, loadable and editable', async () => {
      const root = path.join(tmp, 'new-v5');
      mkdirSync(root);
      const result = planNewCollection({ format: 'v5', root, name: 'My API', now: NOW });
      const change = only(result.changes);
      assert.equal(change.path, path.join(root, 'my_api.yaml'));
      const id = result.collectionId;
      assert.equal(
        change.content,
        [
          'type: collection.insomnia.rest/5.0',
          'schema_version: "5.2"',
          'name: My API',
          'meta:',
          `  id: ${id}`,
          `  created: ${NOW}`,
          `  modified: ${NOW}`,
          '  description: ""',
          'collection: []',
          'cookieJar:',
          '  name: Default Jar',
          '  meta:',
          `    id: jar_${baseEnvironmentId(id).slice(4)}`,
          `    created: ${NOW}`,
          `    modified: ${NOW}`,
          'environments:',
          '  name: Base Environment',
          '  meta:',
          `    id: ${baseEnvironmentId(id)}`,
          `    created: ${NOW}`,
          `    modified: ${NOW}`,
          '    isPrivate: false',
          '',
        ].join('\n'),
      );
      apply(result.changes);
      const c = await loadOne(root);
      assert.equal(c.id, id);
      assert.equal(c.format, 'v5');
      assert.equal(c.baseEnvironment?.id, baseEnvironmentId(id));
      const folder = plan(c, { kind: 'createFolder', parentId: c.id, name: 'F' });
      const diff = lineDiff(change.content as string, only(folder.changes).content as string);
      assert.deepEqual(diff.removed, ['collection: []']);
      assert.equal(diff.added[0], 'collection:');
      apply(folder.changes);
      assert.equal(item(await loadOne(root), 'F').id, folder.createdId);
    });

    it('v5 design documents and environments get their file type; MCP clients are refused', () => {
      const design = planNewCollection({ format: 'v5', root: tmp, name: 'D', scope: 'design', now: NOW });
      assert.ok(only(design.changes).content?.startsWith('type: spec.insomnia.rest/5.0\n'));
      const env = planNewCollection({ format: 'v5', root: tmp, name: 'E', scope: 'environment', now: NOW });
      const envDoc = parse(only(env.changes).content as string) as Record<string, unknown>;
      assert.equal(envDoc.type, 'environment.insomnia.rest/5.0');
      assert.deepEqual(Object.keys(envDoc), ['type', 'schema_version', 'name', 'meta', 'environments']);
      assert.throws(() => planNewCollection({ format: 'v5', root: tmp, name: 'M', scope: 'mcp', now: NOW }), PlanError);
    });
  });
});
