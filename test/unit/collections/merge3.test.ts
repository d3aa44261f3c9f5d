// Field-level three-way merge of one collection file: pairs of branches edited from one base (v5 and legacy), the
// merged text read back with the project's own readers and checked field by field; git's line merge (diff3, as
// isomorphic-git runs it) shown to conflict on the same pairs; ours' lines kept byte for byte.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { mergeCollectionText, type CollectionMergeResult } from '../../../src/collections/merge3';
import { parseV5File } from '../../../src/collections/formats/v5';
import { legacyEnvironment, legacyItem, parseLegacyFile } from '../../../src/collections/formats/legacy';
import { loadYaml } from '../../../src/collections/formats/fields';
import { renderYamlDocument, YamlEditor } from '../../../src/collections/yamlEdit';
import { walkItems, type Collection, type HttpRequest, type Item } from '../../../src/collections/model';
import { lineMerge } from '../../../src/git/mergeDriver';
import { lineDiff } from './lineDiff';
import { v5Text } from '../../../bench/generate';
import { baseV5, edit, request } from './mergeSamples';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');
const FILE = '/repo/demo.yaml';

function clean(r: CollectionMergeResult): string {
  if (!r.clean) assert.fail(`expected a clean merge, got ${JSON.stringify(r)}`);
  return r.text;
}

function v5(text: string): Collection {
  const res = parseV5File(FILE, text);
  assert.ok(res.collection, `the merged text reads as a v5 collection: ${JSON.stringify(res.problems)}`);
  assert.deepStrictEqual(res.collection.problems, []);
  return res.collection;
}

function itemOf(c: Collection, id: string): Item {
  for (const it of walkItems(c.children)) if (it.id === id) return it;
  assert.fail(`no item ${id}`);
}

function req(c: Collection, id: string): HttpRequest {
  const it = itemOf(c, id);
  assert.strictEqual(it.kind, 'request');
  return it as HttpRequest;
}

const ids = (items: readonly Item[]): string[] => items.map((i) => i.id);

/** Every line of the result that is not one of theirs' incoming lines is one of ours, unchanged, in order. */
function onlyTheirsChangesApplied(base: string, ours: string, theirs: string, merged: string): void {
  const incoming = new Set(lineDiff(base, theirs).added);
  const d = lineDiff(ours, merged);
  for (const l of d.added) assert.ok(incoming.has(l), `line not from theirs: ${JSON.stringify(l)}`);
  const theirsRemoved = new Set(lineDiff(base, theirs).removed);
  for (const l of d.removed) assert.ok(theirsRemoved.has(l) || /^\s*modified: /.test(l), `ours' line dropped: ${JSON.stringify(l)}`);
}

describe('mergeCollectionText: v5', () => {
  const base = baseV5();

  it('different fields of one request: both kept, later modified stamp, only theirs lines changed (the line merge conflicts)', () => {
    const ours = edit(base, (e) => {
      e.set(['collection', 0, 'children', 0, 'url'], 'https://api.example.com/users/2');
      e.set(['collection', 0, 'children', 0, 'meta', 'modified'], 2000);
    });
    const theirs = edit(base, (e) => {
      e.set(['collection', 0, 'children', 0, 'name'], 'Get one user');
      e.set(['collection', 0, 'children', 0, 'method'], 'HEAD');
      e.set(['collection', 0, 'children', 0, 'headers'], [{ name: 'Accept', value: 'text/plain' }, { name: 'X-Trace', value: '1' }]);
      e.set(['collection', 0, 'children', 0, 'meta', 'modified'], 3000);
    });
    assert.strictEqual(lineMerge(base, ours, theirs).cleanMerge, false, 'git would conflict here');
    const merged = clean(mergeCollectionText(FILE, base, ours, theirs));
    const c = v5(merged);
    const r = req(c, 'req_1');
    assert.strictEqual(r.url, 'https://api.example.com/users/2');
    assert.strictEqual(r.name, 'Get one user');
    assert.strictEqual(r.method, 'HEAD');
    assert.deepStrictEqual(r.headers.map((h) => [h.name, h.value]), [['Accept', 'text/plain'], ['X-Trace', '1']]);
    assert.strictEqual(r.modified, 3000);
    assert.strictEqual(req(c, 'req_2').url, 'https://api.example.com/users', 'the neighbour is untouched');
    onlyTheirsChangesApplied(base, ours, theirs, merged);
  });

  it('comments and hand formatting inside a request theirs changed stay as they are in ours', () => {
    const commented = base
      .replace('        method: GET\n', '        method: GET # read only\n        # keep this note\n')
      .replace('name: Get user', "name: 'Get user'");
    assert.notStrictEqual(commented, base);
    const ours = edit(commented, (e) => e.set(['collection', 0, 'children', 0, 'headers', 0, 'value'], 'text/csv'));
    const theirs = edit(commented, (e) => {
      e.set(['collection', 0, 'children', 0, 'url'], 'https://api.example.com/users/42');
      e.set(['collection', 0, 'children', 0, 'meta', 'modified'], 4000);
    });
    const merged = clean(mergeCollectionText(FILE, commented, ours, theirs));
    assert.deepStrictEqual(lineDiff(ours, merged), lineDiff(commented, theirs));
    assert.match(merged, /method: GET # read only\n {8}# keep this note\n/);
    assert.match(merged, /name: 'Get user'/);
    const r = req(v5(merged), 'req_1');
    assert.deepStrictEqual([r.url, r.headers[0].value, r.modified], ['https://api.example.com/users/42', 'text/csv', 4000]);
  });

  it('different requests on neighbouring lines: both kept (the line merge conflicts)', () => {
    // ours: req_3's last line; theirs: req_4's first line
    const ours = edit(base, (e) => e.set(['collection', 1, 'settings', 'rebuildPath'], false));
    const theirs = edit(base, (e) => e.set(['collection', 2, 'url'], 'https://api.example.com/v2/version'));
    assert.strictEqual(lineMerge(base, ours, theirs).cleanMerge, false, 'git would conflict here');
    const merged = clean(mergeCollectionText(FILE, base, ours, theirs));
    const c = v5(merged);
    assert.strictEqual(req(c, 'req_3').settings.rebuildPath, false);
    assert.strictEqual(req(c, 'req_4').url, 'https://api.example.com/v2/version');
    assert.strictEqual(req(c, 'req_4').settings.rebuildPath, true);
    assert.deepStrictEqual(lineDiff(ours, merged), lineDiff(base, theirs), 'exactly theirs change, applied to ours');
  });

  it('the same field changed on both sides: a conflict naming the request and the field, never resolved', () => {
    const ours = edit(base, (e) => {
      e.set(['collection', 0, 'children', 1, 'body', 'text'], '{"name": "ours"}');
      e.set(['collection', 1, 'name'], 'Health (ours)');
    });
    const theirs = edit(base, (e) => {
      e.set(['collection', 0, 'children', 1, 'body', 'text'], '{"name": "theirs"}');
      e.set(['collection', 2, 'name'], 'Version (theirs)');
    });
    const r = mergeCollectionText(FILE, base, ours, theirs);
    assert.deepStrictEqual(r, { clean: false, conflicts: [{ itemId: 'req_2', itemName: 'Create user', field: 'body.text' }] });
    // the same value on both sides is no conflict
    const same = clean(mergeCollectionText(FILE, base, ours, edit(ours, (e) => e.set(['collection', 2, 'name'], 'Version (theirs)'))));
    assert.strictEqual(req(v5(same), 'req_4').name, 'Version (theirs)');
  });

  it('add against delete: deleted on one side and changed on the other is a conflict; deleted and unchanged is deleted', () => {
    const oursDeletes = edit(base, (e) => e.deleteSeqItem(['collection', 0, 'children', 1]));
    const theirsChanges = edit(base, (e) => e.set(['collection', 0, 'children', 1, 'method'], 'PUT'));
    assert.deepStrictEqual(mergeCollectionText(FILE, base, oursDeletes, theirsChanges), {
      clean: false,
      conflicts: [{ itemId: 'req_2', itemName: 'Create user', field: '(deleted)' }],
    });
    assert.deepStrictEqual(mergeCollectionText(FILE, base, theirsChanges, oursDeletes), {
      clean: false,
      conflicts: [{ itemId: 'req_2', itemName: 'Create user', field: '(deleted)' }],
    });
    // theirs deletes req_4, ours edits req_3 next to it: req_4 goes, req_3 keeps ours' edit
    const ours = edit(base, (e) => e.set(['collection', 1, 'url'], 'https://api.example.com/healthz'));
    const theirs = edit(base, (e) => e.deleteSeqItem(['collection', 2]));
    const c = v5(clean(mergeCollectionText(FILE, base, ours, theirs)));
    assert.deepStrictEqual(ids(c.children), ['fld_1', 'req_3']);
    assert.strictEqual(req(c, 'req_3').url, 'https://api.example.com/healthz');
    // a removed field against a changed one
    const noHeaders = edit(base, (e) => e.deleteKey(['collection', 2, 'headers']));
    const newHeaders = edit(base, (e) => e.set(['collection', 2, 'headers', 0, 'value'], 'text/html'));
    assert.deepStrictEqual(mergeCollectionText(FILE, base, noHeaders, newHeaders), {
      clean: false,
      conflicts: [{ itemId: 'req_4', itemName: 'Version', field: 'headers' }],
    });
  });

  it('added on both sides (same folder, same place): both kept, ours first; added on both sides identically: once', () => {
    const ours = edit(base, (e) => e.insertSeqItem(['collection', 0, 'children'], 'end', request('req_5', 'Ours new', 'https://o', -5)));
    const theirs = edit(base, (e) => e.insertSeqItem(['collection', 0, 'children'], 'end', request('req_6', 'Theirs new', 'https://t', -4)));
    assert.strictEqual(lineMerge(base, ours, theirs).cleanMerge, false, 'git would conflict here');
    const merged = clean(mergeCollectionText(FILE, base, ours, theirs));
    const c = v5(merged);
    const folder = itemOf(c, 'fld_1');
    assert.ok(folder.kind === 'folder');
    assert.deepStrictEqual(ids(folder.children), ['req_1', 'req_2', 'req_5', 'req_6']);
    assert.strictEqual(req(c, 'req_6').url, 'https://t');
    assert.strictEqual(req(c, 'req_5').url, 'https://o');
    onlyTheirsChangesApplied(base, ours, theirs, merged);
    const twice = v5(clean(mergeCollectionText(FILE, base, ours, ours.replace('https://o', 'https://o')))); // same add on both sides
    assert.deepStrictEqual(ids((itemOf(twice, 'fld_1') as { children: Item[] }).children), ['req_1', 'req_2', 'req_5']);
    // the same id added with different contents is a conflict
    const other = edit(base, (e) => e.insertSeqItem(['collection', 0, 'children'], 'end', request('req_5', 'Ours new', 'https://elsewhere', -5)));
    assert.deepStrictEqual(mergeCollectionText(FILE, base, ours, other), { clean: false, conflicts: [{ itemId: 'req_5', itemName: 'Ours new', field: 'url' }] });
  });

  it('reorder against edit: theirs swaps two requests (and their sort keys), ours edits one: both kept', () => {
    const ours = edit(base, (e) => e.set(['collection', 1, 'url'], 'https://api.example.com/healthz'));
    const doc = loadYaml(base) as { collection: Record<string, unknown>[] };
    const [f, r3, r4] = doc.collection;
    const swapped = renderYamlDocument({ ...(doc as object), collection: [f, { ...r4, meta: { ...(r4.meta as object), sortKey: -7 } }, { ...r3, meta: { ...(r3.meta as object), sortKey: -6 } }] });
    const merged = clean(mergeCollectionText(FILE, base, ours, swapped));
    const c = v5(merged);
    assert.deepStrictEqual(ids(c.children), ['fld_1', 'req_4', 'req_3']);
    assert.strictEqual(req(c, 'req_3').url, 'https://api.example.com/healthz');
    assert.strictEqual(req(c, 'req_3').sortKey, -6);
    assert.strictEqual(req(c, 'req_4').sortKey, -7);
    // and the other way round: ours reorders, theirs edits
    const c2 = v5(clean(mergeCollectionText(FILE, base, swapped, ours)));
    assert.deepStrictEqual(ids(c2.children), ['fld_1', 'req_4', 'req_3']);
    assert.strictEqual(req(c2, 'req_3').url, 'https://api.example.com/healthz');
    // both reorder differently: a conflict on the list's order
    const [s1, s2, s3] = doc.collection;
    const other = renderYamlDocument({ ...(doc as object), collection: [s2, s1, s3] });
    const r = mergeCollectionText(FILE, base, swapped, other);
    assert.strictEqual(r.clean, false);
    assert.ok(!r.clean && r.conflicts.some((x) => x.itemId === 'wrk_1' && x.field === 'collection (order)'), JSON.stringify(r));
  });

  it('moves: into a folder against an edit of another request or of the moved one: both kept; into a new folder against an edit: a conflict', () => {
    const doc = loadYaml(base) as { collection: Record<string, unknown>[] };
    const [folder, r3, r4] = doc.collection;
    const moved = renderYamlDocument({ ...(doc as object), collection: [{ ...folder, children: [...(folder.children as unknown[]), r3] }, r4] });
    const ours = edit(base, (e) => e.set(['collection', 0, 'children', 0, 'url'], 'https://api.example.com/me'));
    const c = v5(clean(mergeCollectionText(FILE, base, ours, moved)));
    assert.deepStrictEqual(ids(c.children), ['fld_1', 'req_4']);
    assert.deepStrictEqual(ids((itemOf(c, 'fld_1') as { children: Item[] }).children), ['req_1', 'req_2', 'req_3']);
    assert.strictEqual(req(c, 'req_1').url, 'https://api.example.com/me');
    // moved by theirs, edited by ours (either way round): moved, with ours' edit
    const edited3 = edit(base, (e) => e.set(['collection', 1, 'url'], 'https://x'));
    for (const [o, t] of [[edited3, moved], [moved, edited3]]) {
      const c3 = v5(clean(mergeCollectionText(FILE, base, o, t)));
      assert.deepStrictEqual(ids(c3.children), ['fld_1', 'req_4']);
      assert.deepStrictEqual(ids((itemOf(c3, 'fld_1') as { children: Item[] }).children), ['req_1', 'req_2', 'req_3']);
      assert.strictEqual(req(c3, 'req_3').url, 'https://x');
    }
    // moved by theirs into a folder theirs created, edited by ours: a conflict, never ours' edit dropped
    const newFolder = { name: 'Ops', meta: { id: 'fld_2', created: 2, modified: 2, sortKey: -6.5, description: '' }, children: [r3] };
    const intoNew = renderYamlDocument({ ...(doc as object), collection: [folder, newFolder, r4] });
    assert.deepStrictEqual(mergeCollectionText(FILE, base, edited3, intoNew), { clean: false, conflicts: [{ itemId: 'req_3', itemName: 'Health', field: '(moved)' }] });
    const unchangedMove = v5(clean(mergeCollectionText(FILE, base, base, intoNew)));
    assert.deepStrictEqual(ids(unchangedMove.children), ['fld_1', 'fld_2', 'req_4']);
    // moved to different places on both sides: a conflict
    assert.deepStrictEqual(mergeCollectionText(FILE, base, moved, intoNew), { clean: false, conflicts: [{ itemId: 'req_3', itemName: 'Health', field: '(moved)' }] });
  });

  it('environments: base data, sub-environment data and a new sub-environment merge by id', () => {
    const ours = edit(base, (e) => {
      e.set(['environments', 'data', 'token'], 'ours-token');
      e.set(['environments', 'subEnvironments', 1, 'data', 'base_url'], 'https://prod2');
    });
    const theirs = edit(base, (e) => {
      e.set(['environments', 'data', 'base_url'], 'https://api2.example.com');
      e.set(['environments', 'subEnvironments', 0, 'data', 'debug'], true);
      e.insertSeqItem(['environments', 'subEnvironments'], 'end', { name: 'Staging', meta: { id: 'env_4', created: 2, modified: 2, isPrivate: false, sortKey: 3 }, data: { base_url: 'https://stage' } });
    });
    const merged = clean(mergeCollectionText(FILE, base, ours, theirs));
    const env = v5(merged).baseEnvironment!;
    assert.deepStrictEqual(env.data, { base_url: 'https://api2.example.com', token: 'ours-token' });
    assert.deepStrictEqual(
      env.subEnvironments.map((s) => [s.id, s.name, s.data]),
      [
        ['env_2', 'Dev', { base_url: 'http://localhost', debug: true }],
        ['env_3', 'Prod', { base_url: 'https://prod2' }],
        ['env_4', 'Staging', { base_url: 'https://stage' }],
      ],
    );
    onlyTheirsChangesApplied(base, ours, theirs, merged);
    // the same variable on both sides
    const clash = edit(base, (e) => e.set(['environments', 'data', 'token'], 'theirs-token'));
    assert.deepStrictEqual(mergeCollectionText(FILE, base, ours, clash), {
      clean: false,
      conflicts: [{ itemId: 'env_1', itemName: 'Base Environment', field: 'data.token' }],
    });
  });

  it('on the real everything.yaml: neighbouring edits merge, every other line of ours stays byte-identical', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'v5/kong-example/everything.yaml'), 'utf8');
    const e0 = new YamlEditor(text);
    const n = e0.length(['collection', 0, 'children']);
    assert.ok(n >= 2);
    const ours = edit(text, (e) => e.set(['collection', 0, 'children', 0, 'name'], 'login (ours)'));
    const theirs = edit(text, (e) => {
      e.set(['collection', 0, 'children', 0, 'method'], 'PUT');
      e.set(['collection', 0, 'children', 1, 'name'], 'second (theirs)');
      e.set(['environments', 'name'], 'Base (theirs)');
    });
    const merged = clean(mergeCollectionText('/x/everything.yaml', text, ours, theirs));
    assert.deepStrictEqual(lineDiff(ours, merged), lineDiff(text, theirs));
    const c = v5(merged);
    const raw = loadYaml(text) as { collection: { children: { meta: { id: string } }[] }[] };
    const [id0, id1] = raw.collection[0].children.map((x) => x.meta.id);
    assert.strictEqual(req(c, id0).name, 'login (ours)');
    assert.strictEqual(req(c, id0).method, 'PUT');
    assert.strictEqual(itemOf(c, id1).name, 'second (theirs)');
    assert.strictEqual(c.baseEnvironment!.name, 'Base (theirs)');
    // and everything else reads as before
    const before = v5(text);
    assert.strictEqual([...walkItems(c.children)].length, [...walkItems(before.children)].length);
  });

  it('on every v5 fixture file: edits of two different requests (or the name against a request) merge, only theirs lines change', () => {
    let merged = 0;
    for (const dir of ['v5/kong-example', 'v5/upstream-roundtrip']) {
      for (const f of fs.readdirSync(path.join(FIXTURES, dir)).filter((x) => /\.ya?ml$/.test(x))) {
        const text = fs.readFileSync(path.join(FIXTURES, dir, f), 'utf8');
        if (!parseV5File(f, text).collection) continue;
        const paths: (string | number)[][] = [];
        const walk = (list: unknown, at: (string | number)[]): void => {
          if (!Array.isArray(list)) return;
          list.forEach((it, i) => {
            const p = [...at, i];
            if (it && typeof it === 'object' && Array.isArray((it as { children?: unknown }).children)) walk((it as { children: unknown }).children, [...p, 'children']);
            else if (it && typeof it === 'object' && typeof (it as { url?: unknown }).url === 'string') paths.push(p);
          });
        };
        walk((loadYaml(text) as { collection?: unknown }).collection, ['collection']);
        const ours = edit(text, (e) => e.set(['name'], 'Renamed (ours)'));
        const theirs = paths.length ? edit(text, (e) => e.set([...paths[paths.length - 1], 'url'], 'https://theirs.example.com/x')) : edit(text, (e) => e.set(['meta', 'description'], 'theirs'));
        const res = mergeCollectionText(f, text, ours, theirs);
        const out = clean(res);
        assert.deepStrictEqual(lineDiff(ours, out), lineDiff(text, theirs), f);
        assert.strictEqual(v5(out).name, 'Renamed (ours)');
        merged++;
      }
    }
    assert.ok(merged >= 10, String(merged));
  });

  it('a large generated file (edits made item by item): exactly the text the whole-document editor gives, long folded strings too', function () {
    this.timeout(60_000);
    const text = v5Text({ requests: 400, folders: 40, environments: 3, seed: 9 });
    const doc = loadYaml(text) as { collection: { children?: unknown[] }[] };
    const folders = doc.collection.map((x, i) => [i, x] as const).filter(([, x]) => Array.isArray(x.children) && x.children.length >= 2);
    const long = 'A long description that goes on and on, well past the eighty columns where the YAML writer folds plain scalars: ' + 'words '.repeat(30);
    const theirsEdits = (e: YamlEditor): void => {
      e.set(['collection', folders[0][0], 'children', 0, 'meta', 'description'], long.trim());
      e.set(['collection', folders[2][0], 'children', 1, 'url'], 'https://theirs.example.com/' + 'x'.repeat(120));
      e.insertSeqItem(['collection', folders[3][0], 'children'], 'end', request('req_new', 'Added by them', 'https://t', 5, { headers: [{ name: 'X-Long', value: long }] }));
    };
    const ours = edit(text, (e) => {
      e.set(['collection', folders[0][0], 'children', 1, 'name'], 'Renamed by us');
      e.set(['collection', folders[1][0], 'children', 0, 'method'], 'PATCH');
    });
    const theirs = edit(text, theirsEdits);
    const merged = clean(mergeCollectionText('/x/big.yaml', text, ours, theirs));
    assert.strictEqual(merged, edit(ours, theirsEdits));
  });

  it('refuses what it does not understand: conflict markers, broken YAML, other YAML, different kinds', () => {
    const ours = edit(base, (e) => e.set(['name'], 'x'));
    const refused = (r: CollectionMergeResult): void => {
      assert.strictEqual(r.clean, false);
      assert.ok(!r.clean && r.reason, JSON.stringify(r));
    };
    refused(mergeCollectionText(FILE, base, `<<<<<<< HEAD\n${ours}=======\n${base}>>>>>>> theirs\n`, base));
    refused(mergeCollectionText(FILE, base, ours, 'type: collection.insomnia.rest/5.0\nname: [unclosed\n'));
    refused(mergeCollectionText('/repo/ci.yaml', 'a: 1\nb: 2\n', 'a: 2\nb: 2\n', 'a: 1\nb: 3\n'));
    refused(mergeCollectionText(FILE, base, ours, 'type: spec.insomnia.rest/5.0\nname: Demo\n'.replace('spec', 'nothing')));
  });
});

/** A legacy request document as Insomnia 10 writes it. */
function legacyRequest(over: Record<string, string> = {}): string {
  const lines: Record<string, string> = {
    _id: 'req_1',
    type: 'Request',
    parentId: 'wrk_1',
    modified: '1700000000000',
    created: '1700000000000',
    url: 'https://example.com/a',
    name: 'Get a',
    description: '""',
    method: 'GET',
    body: '{}',
    parameters: '[]',
    headers: '\n  - name: Accept\n    value: application/json',
    authentication: '{}',
    metaSortKey: '-1700000000000',
    isPrivate: 'false',
    ...over,
  };
  return Object.entries(lines)
    .map(([k, v]) => (v.startsWith('\n') ? `${k}:${v}` : `${k}: ${v}`))
    .join('\n') + '\n';
}

describe('mergeCollectionText: legacy documents', () => {
  const file = '/repo/.insomnia/Request/req_1.yml';
  const readItem = (text: string) => {
    const res = parseLegacyFile(file, 'Request', text);
    assert.ok('document' in res, JSON.stringify(res));
    return { doc: res.document.doc, item: legacyItem(res.document, 'wrk_1') as HttpRequest };
  };

  it('different fields of one request: both kept, the later `modified` (the line merge conflicts on it)', () => {
    const base = legacyRequest();
    const ours = legacyRequest({ url: 'https://example.com/b', modified: '1700000000500' });
    const theirs = legacyRequest({ name: 'Get a thing', method: 'POST', modified: '1700000000900' });
    assert.strictEqual(lineMerge(base, ours, theirs).cleanMerge, false, 'git would conflict here');
    const merged = clean(mergeCollectionText(file, base, ours, theirs));
    const { item } = readItem(merged);
    assert.strictEqual(item.url, 'https://example.com/b');
    assert.strictEqual(item.name, 'Get a thing');
    assert.strictEqual(item.method, 'POST');
    assert.strictEqual(item.modified, 1700000000900);
    assert.strictEqual(merged, legacyRequest({ url: 'https://example.com/b', name: 'Get a thing', method: 'POST', modified: '1700000000900' }));
    // ours' later stamp wins the other way round
    assert.strictEqual(readItem(clean(mergeCollectionText(file, base, theirs, ours))).item.modified, 1700000000900);
  });

  it('the same field on both sides, or a header list changed on both sides: a conflict naming the request and field', () => {
    const base = legacyRequest();
    assert.deepStrictEqual(mergeCollectionText(file, base, legacyRequest({ url: 'https://o', modified: '1' }), legacyRequest({ url: 'https://t', modified: '2' })), {
      clean: false,
      conflicts: [{ itemId: 'req_1', itemName: 'Get a', field: 'url' }],
    });
    const h = (v: string): string => `\n  - name: Accept\n    value: ${v}`;
    assert.deepStrictEqual(mergeCollectionText(file, base, legacyRequest({ headers: h('text/html') }), legacyRequest({ headers: h('text/xml') })), {
      clean: false,
      conflicts: [{ itemId: 'req_1', itemName: 'Get a', field: 'headers' }],
    });
    // removed on one side, changed on the other
    const noDescription = legacyRequest();
    const without = noDescription.replace('description: ""\n', '');
    assert.deepStrictEqual(mergeCollectionText(file, base, without, legacyRequest({ description: 'Now documented' })), {
      clean: false,
      conflicts: [{ itemId: 'req_1', itemName: 'Get a', field: 'description' }],
    });
  });

  it('an environment document: variables merge key by key; both sides adding the same document: merged without a base', () => {
    const envFile = '/repo/.insomnia/Environment/env_1.yml';
    const env = (data: string, modified = '1'): string =>
      `_id: env_1\ntype: Environment\nparentId: wrk_1\nmodified: ${modified}\ncreated: 1\nname: Base Environment\ndata:\n${data}\ndataPropertyOrder: null\ncolor: null\nisPrivate: false\nmetaSortKey: 1\n`;
    const base = env('  base_url: https://a\n  token: t');
    const ours = env('  base_url: https://a\n  token: t2', '5');
    const theirs = env('  base_url: https://b\n  token: t\n  extra: 1', '7');
    const merged = clean(mergeCollectionText(envFile, base, ours, theirs));
    const res = parseLegacyFile(envFile, 'Environment', merged);
    assert.ok('document' in res);
    const e = legacyEnvironment(res.document, 'wrk_1');
    assert.deepStrictEqual(e.data, { base_url: 'https://b', token: 't2', extra: 1 });
    assert.strictEqual(res.document.doc.modified, 7);
    // added on both sides (no base): identical fields fine, different ones a conflict
    assert.strictEqual(mergeCollectionText(envFile, null, ours, ours).clean, true);
    assert.deepStrictEqual(mergeCollectionText(envFile, null, ours, theirs), {
      clean: false,
      conflicts: [
        { itemId: 'env_1', itemName: 'Base Environment', field: 'data.base_url' },
        { itemId: 'env_1', itemName: 'Base Environment', field: 'data.token' },
      ],
    });
  });

  it('on the fixtures: a field changed on each side of every legacy request merges, ours lines byte-identical', () => {
    const dir = path.join(FIXTURES, 'legacy/kong-demo-with-tests/.insomnia/Request');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yml'));
    assert.ok(files.length > 0);
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const ours = edit(text, (e) => {
        e.set(['url'], 'https://ours.example.com/x');
        e.set(['modified'], 1800000000000);
      });
      const theirs = edit(text, (e) => {
        e.set(['name'], 'Renamed by them');
        e.set(['modified'], 1900000000000);
      });
      const merged = clean(mergeCollectionText(path.join(dir, f), text, ours, theirs));
      onlyTheirsChangesApplied(text, ours, theirs, merged);
      assert.strictEqual(lineDiff(ours, merged).removed.length, 2, f); // the name and modified lines, nothing else
      const res = parseLegacyFile(f, 'Request', merged);
      assert.ok('document' in res);
      const item = legacyItem(res.document, 'x') as HttpRequest;
      assert.strictEqual(item.url, 'https://ours.example.com/x');
      assert.strictEqual(item.name, 'Renamed by them');
    }
  });
});
