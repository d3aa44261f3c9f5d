// The environment editor's, the folder editor's, the script editors' and the spec editor's edits on the fixtures:
// minimal line changes in both formats, what the readers make of them, and the json-order map Insomnia renders by.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Edit, EditContext, FileChange } from '../../../src/collections/edits';
import { planEdit } from '../../../src/collections/editPlanner';
import { jsonOrderMap } from '../../../src/collections/edit/deepWrite';
import type { Collection, Environment, Folder, HttpRequest } from '../../../src/collections/model';
import { orderedKeys, walkItems } from '../../../src/collections/model';
import { loadWorkspace } from '../../../src/collections/scan';
import { checkInsomniaFolder, formatIssue } from '../../../src/collections/formats/conformance';
import { lineDiff } from './lineDiff';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');
const NOW = 1790000000000;
const ctx: EditContext = { readText: (file) => readFileSync(file, 'utf8'), now: NOW };

let tmp: string;
before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'hammock-env-edits-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function copyFixture(rel: string): string {
  const dest = path.join(tmp, `${rel.replace(/[/\\]/g, '-')}-${Math.random().toString(16).slice(2)}`);
  const src = path.join(FIXTURES, rel);
  if (rel.endsWith('.yaml')) {
    cpSync(src, path.join(dest, path.basename(src)));
  } else {
    cpSync(src, dest, { recursive: true });
  }
  return dest;
}

async function load(root: string): Promise<Collection> {
  const found = (await loadWorkspace(root)).collections;
  assert.equal(found.length, 1);
  return found[0];
}

function only(changes: readonly FileChange[]): FileChange {
  assert.equal(changes.length, 1);
  return changes[0];
}

/** Plans `edit`, writes it, checks Insomnia reads the folder, and returns the line diff and the collection read back. */
async function applyEdit(root: string, edit: Edit): Promise<{ diff: { removed: string[]; added: string[] }; after: Collection; text: string }> {
  const c = await load(root);
  const change = only(planEdit(c, edit, ctx).changes);
  const before = readFileSync(change.path, 'utf8');
  writeFileSync(change.path, change.content as string);
  const { issues } = checkInsomniaFolder(root);
  assert.deepEqual(issues.map(formatIssue), [], 'Insomnia reads the edited file');
  return { diff: lineDiff(before, change.content as string), after: await load(root), text: change.content as string };
}

function env(c: Collection, name: string): Environment {
  const all = [c.baseEnvironment!, ...c.baseEnvironment!.subEnvironments];
  const found = all.filter((e) => e.name === name);
  assert.equal(found.length, 1, `one environment named ${name}`);
  return found[0];
}

const LEGACY = 'legacy/kong-demo-with-tests';
const V5 = 'v5/kong-example/everything.yaml';

describe('setEnvironment', () => {
  describe('legacy', () => {
    it('a changed value changes its line and modified', async () => {
      const root = copyFixture(LEGACY);
      const c = await load(root);
      const base = env(c, 'Base Environment');
      const { diff, after } = await applyEdit(root, { kind: 'setEnvironment', id: base.id, fields: { data: { base_url: 'https://api.example.test' } } });
      assert.deepEqual(diff, {
        removed: ['modified: 1741919465938', 'data:', '  base_url: "{{ _.scheme }}://{{ _.host }}{{ _.base_path }}"'].filter((l) => l !== 'data:'),
        added: [`modified: ${NOW}`, '  base_url: https://api.example.test'],
      });
      assert.deepEqual(env(after, 'Base Environment').data, { base_url: 'https://api.example.test' });
    });

    it('the same data changes nothing', async () => {
      const root = copyFixture(LEGACY);
      const c = await load(root);
      const base = env(c, 'Base Environment');
      assert.deepEqual(planEdit(c, { kind: 'setEnvironment', id: base.id, fields: { data: { ...base.data }, name: base.name, color: null, isPrivate: false } }, ctx).changes, []);
    });

    it('renaming a variable in an environment with a json-order map: the key line and the map entry', async () => {
      const root = copyFixture(LEGACY);
      const c = await load(root);
      const sub = c.baseEnvironment!.subEnvironments.find((e) => e.id === 'env_038c957f9f1749c8bc57927d9655f4b4')!;
      assert.deepEqual(sub.propertyOrder, Object.keys(sub.data), 'the reader gives the file order');
      const data: Record<string, unknown> = {};
      for (const k of Object.keys(sub.data)) data[k === 'apikey' ? 'api_key' : k] = sub.data[k];
      const { diff, after } = await applyEdit(root, { kind: 'setEnvironment', id: sub.id, fields: { data } });
      assert.deepEqual(diff.removed.sort(), ['  apikey: apikey', '    - apikey', 'modified: 1741907105008'].sort());
      assert.deepEqual(diff.added.sort(), ['  api_key: apikey', '    - api_key', `modified: ${NOW}`].sort());
      const back = after.baseEnvironment!.subEnvironments.find((e) => e.id === sub.id)!;
      assert.deepEqual(orderedKeys(back.data, back.propertyOrder), Object.keys(data), 'shown in the same place');
    });

    it('renaming a variable where a json-order map is kept: the key stays on its line, the map entry changes', async () => {
      const root = copyFixture(LEGACY);
      const c = await load(root);
      const sub = c.baseEnvironment!.subEnvironments.find((e) => e.id === 'env_038c957f9f1749c8bc57927d9655f4b4')!;
      const order = Object.keys(sub.data).map((k) => (k === 'host' ? 'hostname' : k));
      const data = Object.fromEntries(order.map((k) => [k, sub.data[k === 'hostname' ? 'host' : k]]));
      const { text } = await applyEdit(root, { kind: 'setEnvironment', id: sub.id, fields: { data, order } });
      assert.ok(text.includes('  base_path: ""\n  hostname: localhost:3000\n  apikey: apikey\n'), text);
    });

    it('reordering variables without a json-order map writes one (every key, as json-order parses), data keeps its lines', async () => {
      const root = copyFixture(LEGACY);
      const c = await load(root);
      const sub = c.baseEnvironment!.subEnvironments.find((e) => e.id === 'env_1932d37308734a58b8355c5ca5e95b9d')!;
      const keys = Object.keys(sub.data).reverse();
      const data = Object.fromEntries(keys.map((k) => [k, sub.data[k]]));
      const { diff, after, text } = await applyEdit(root, { kind: 'setEnvironment', id: sub.id, fields: { data } });
      assert.deepEqual(diff.removed, ['modified: 1741210902630', 'dataPropertyOrder: null']);
      assert.ok(diff.added.includes('dataPropertyOrder:'));
      assert.ok(text.includes(`dataPropertyOrder:\n  "&":\n    - ${keys[0]}\n`), text);
      const back = after.baseEnvironment!.subEnvironments.find((e) => e.id === sub.id)!;
      assert.deepEqual(orderedKeys(back.data, back.propertyOrder), keys);
      assert.deepEqual(back.data, sub.data, 'the same variables');
    });

    it('adding a nested object keeps the json-order map complete (Insomnia renders only what it lists)', async () => {
      const root = copyFixture(LEGACY);
      const c = await load(root);
      const sub = c.baseEnvironment!.subEnvironments.find((e) => e.id === 'env_038c957f9f1749c8bc57927d9655f4b4')!;
      const data = { ...sub.data, auth: { user: 'me', scopes: ['a', { deep: true }] } };
      const { after, text } = await applyEdit(root, { kind: 'setEnvironment', id: sub.id, fields: { data } });
      const back = after.baseEnvironment!.subEnvironments.find((e) => e.id === sub.id)!;
      assert.deepEqual(back.data, data);
      assert.ok(text.includes('"&~|auth":\n    - user\n    - scopes\n'), text);
      assert.ok(text.includes('"&~|auth~|scopes~|1":\n    - deep\n'), text);
      assert.deepEqual(jsonOrderMap(data)['&~|auth'], ['user', 'scopes']);
    });

    it('colour, private flag and name: one line each (and modified)', async () => {
      const root = copyFixture(LEGACY);
      const c = await load(root);
      const sub = c.baseEnvironment!.subEnvironments.find((e) => e.id === 'env_1932d37308734a58b8355c5ca5e95b9d')!;
      const { diff, after } = await applyEdit(root, { kind: 'setEnvironment', id: sub.id, fields: { color: '#7d69cb', isPrivate: true, name: 'Local' } });
      assert.deepEqual(diff.removed.sort(), ['color: null', 'isPrivate: false', 'modified: 1741210902630', 'name: OpenAPI env localhost:3000'].sort());
      assert.deepEqual(diff.added.sort(), ['color: "#7d69cb"', 'isPrivate: true', `modified: ${NOW}`, 'name: Local'].sort());
      const back = after.baseEnvironment!.subEnvironments.find((e) => e.id === sub.id)!;
      assert.equal(back.color, '#7d69cb');
      assert.equal(back.isPrivate, true);
    });

    it('an integer-like name keeps its place through `order` (an object would put it first)', async () => {
      const root = copyFixture(LEGACY);
      const c = await load(root);
      const sub = c.baseEnvironment!.subEnvironments.find((e) => e.id === 'env_1932d37308734a58b8355c5ca5e95b9d')!;
      const order = [...Object.keys(sub.data), '2024'];
      const { after } = await applyEdit(root, { kind: 'setEnvironment', id: sub.id, fields: { data: { ...sub.data, '2024': 'year' }, order } });
      const back = after.baseEnvironment!.subEnvironments.find((e) => e.id === sub.id)!;
      assert.deepEqual(orderedKeys(back.data, back.propertyOrder), order);
    });

    it('deleting every variable writes `data: {}` and drops the map', async () => {
      const root = copyFixture(LEGACY);
      const c = await load(root);
      const sub = c.baseEnvironment!.subEnvironments.find((e) => e.id === 'env_038c957f9f1749c8bc57927d9655f4b4')!;
      const { after, text } = await applyEdit(root, { kind: 'setEnvironment', id: sub.id, fields: { data: {} } });
      assert.match(text, /^data: \{\}$/m);
      assert.match(text, /^dataPropertyOrder: null$/m);
      assert.deepEqual(after.baseEnvironment!.subEnvironments.find((e) => e.id === sub.id)!.data, {});
    });
  });

  describe('v5', () => {
    it('a changed value: its line and meta.modified', async () => {
      const root = copyFixture(V5);
      const c = await load(root);
      const sub = env(c, 'New Environment');
      const { diff, after } = await applyEdit(root, { kind: 'setEnvironment', id: sub.id, fields: { data: { base_url: 'localhost:4000' } } });
      assert.deepEqual(diff, { removed: ['        modified: 1761833506025', '        base_url: localhost:3000'], added: [`        modified: ${NOW}`, '        base_url: localhost:4000'] });
      assert.deepEqual(env(after, 'New Environment').data, { base_url: 'localhost:4000' });
    });

    it('variables for a base environment that has none: `data` goes before subEnvironments', async () => {
      const root = copyFixture(V5);
      const c = await load(root);
      const base = c.baseEnvironment!;
      const { diff, text } = await applyEdit(root, { kind: 'setEnvironment', id: base.id, fields: { data: { token: '{{ vault.token }}', n: 2 } } });
      assert.deepEqual(diff.removed, ['    modified: 1761833466098']);
      assert.deepEqual(diff.added, [`    modified: ${NOW}`, '  data:', '    token: "{{ vault.token }}"', '    n: 2']);
      assert.ok(text.indexOf('  data:') < text.indexOf('  subEnvironments:'));
    });

    it('a colour is added before subEnvironments; none removes the key; an empty environment has no data key', async () => {
      const root = copyFixture(V5);
      let c = await load(root);
      const base = c.baseEnvironment!;
      let r = await applyEdit(root, { kind: 'setEnvironment', id: base.id, fields: { color: '#dd2f2f' } });
      assert.deepEqual(r.diff.added, [`    modified: ${NOW}`, '  color: "#dd2f2f"']);
      assert.equal(r.after.baseEnvironment!.color, '#dd2f2f');
      r = await applyEdit(root, { kind: 'setEnvironment', id: base.id, fields: { color: null } });
      assert.deepEqual(r.diff.removed, ['  color: "#dd2f2f"']);
      c = await load(root);
      const sub = env(c, 'New Environment');
      r = await applyEdit(root, { kind: 'setEnvironment', id: sub.id, fields: { data: {} } });
      assert.deepEqual(r.diff.removed.slice(1), ['      data:', '        base_url: localhost:3000']);
    });

    it('the private flag is meta.isPrivate', async () => {
      const root = copyFixture(V5);
      const c = await load(root);
      const sub = env(c, 'New Environment');
      const { diff, after } = await applyEdit(root, { kind: 'setEnvironment', id: sub.id, fields: { isPrivate: true } });
      assert.deepEqual(diff.removed.sort(), ['        isPrivate: false', '        modified: 1761833506025'].sort());
      assert.equal(env(after, 'New Environment').isPrivate, true);
    });

    it('renaming a variable (the environment editor, a key typed into its name) keeps its line in place: no order map is added', async () => {
      const root = copyFixture(V5);
      const c = await load(root);
      const sub = env(c, 'New Environment');
      await applyEdit(root, { kind: 'setEnvironment', id: sub.id, fields: { data: { base_url: 'localhost:3000', a: '1', b: '2' } } });
      const { diff, after, text } = await applyEdit(root, { kind: 'setEnvironment', id: sub.id, fields: { data: { base_url: 'localhost:3000', a_renamed: '1', b: '2' }, order: ['base_url', 'a_renamed', 'b'] } });
      assert.deepEqual(diff, { removed: ['        a: "1"'], added: ['        a_renamed: "1"'] });
      assert.ok(text.includes('        base_url: localhost:3000\n        a_renamed: "1"\n        b: "2"\n'), text);
      assert.ok(!text.includes('dataPropertyOrder'), text);
      const back = env(after, 'New Environment');
      assert.deepEqual(orderedKeys(back.data, back.propertyOrder), ['base_url', 'a_renamed', 'b']);
    });

    it('a reorder writes dataPropertyOrder after data', async () => {
      const root = copyFixture(V5);
      const c = await load(root);
      const sub = env(c, 'New Environment');
      await applyEdit(root, { kind: 'setEnvironment', id: sub.id, fields: { data: { base_url: 'localhost:3000', a: '1' } } });
      const { after, text } = await applyEdit(root, { kind: 'setEnvironment', id: sub.id, fields: { data: { a: '1', base_url: 'localhost:3000' } } });
      assert.ok(text.includes('      dataPropertyOrder:\n        "&":\n          - a\n          - base_url\n'), text);
      const back = env(after, 'New Environment');
      assert.deepEqual(orderedKeys(back.data, back.propertyOrder), ['a', 'base_url']);
    });
  });
});

describe('moveEnvironment', () => {
  it('legacy: the metaSortKey line, between the neighbours', async () => {
    const root = copyFixture(LEGACY);
    const c = await load(root);
    const subs = c.baseEnvironment!.subEnvironments;
    const last = subs[subs.length - 1];
    const { diff, after } = await applyEdit(root, { kind: 'moveEnvironment', id: last.id, before: subs[0].id });
    assert.equal(diff.removed.length, 2);
    assert.ok(diff.added.some((l) => /^metaSortKey: /.test(l)));
    assert.equal(after.baseEnvironment!.subEnvironments[0].id, last.id);
  });

  it('v5: meta.sortKey; moving last', async () => {
    const root = copyFixture('v5/upstream-roundtrip');
    const loaded = (await loadWorkspace(root)).collections.filter((x) => (x.baseEnvironment?.subEnvironments.length ?? 0) >= 2);
    assert.ok(loaded.length > 0, 'a fixture with two sub-environments');
    const c = loaded[0];
    const first = c.baseEnvironment!.subEnvironments[0];
    const change = only(planEdit(c, { kind: 'moveEnvironment', id: first.id }, ctx).changes);
    const diff = lineDiff(readFileSync(change.path, 'utf8'), change.content as string);
    assert.ok(diff.added.some((l) => /^\s+sortKey: /.test(l)), JSON.stringify(diff));
    writeFileSync(change.path, change.content as string);
    const again = (await loadWorkspace(root)).collections.find((x) => x.id === c.id)!;
    const ids = again.baseEnvironment!.subEnvironments.map((e) => e.id);
    assert.equal(ids[ids.length - 1], first.id);
  });
});

describe('setEnvironmentData: every variable replaced by others (a script that clears the environment, then sets)', () => {
  // The YAML editor reads the text as it was before its queued edits: deleting the last old key turned the whole
  // mapping into `{}` while the new key was still inserted after it (`data: {}` then `  token: t`), which no YAML
  // reader takes (oracleModel.test.ts found it).
  it('legacy: the data mapping is written whole, and its kvPairData rows', async () => {
    const root = copyFixture(LEGACY);
    const c = await load(root);
    const base = c.baseEnvironment!;
    // Insomnia 10's key-value table of the same variables
    const text = readFileSync(base.source.file, 'utf8').replace(/^color: null$/m, `color: null\nenvironmentType: kv\nkvPairData:\n  - id: envPair_1\n    name: base_url\n    value: "{{ _.scheme }}"\n    type: str\n    enabled: true`);
    writeFileSync(base.source.file, text);
    const { after } = await applyEdit(root, { kind: 'setEnvironmentData', id: base.id, data: { token: 't', n: 2 } });
    assert.deepEqual(after.baseEnvironment!.data, { token: 't', n: 2 });
    const written = readFileSync(base.source.file, 'utf8');
    assert.match(written, /^data:\n {2}token: t\n {2}n: 2\n/m);
    assert.deepEqual([...written.matchAll(/^ {4}name: (.*)$/gm)].map((m) => m[1]), ['token', 'n'], 'the kvPairData rows are the new variables');
  });
  it('v5: the data mapping is written whole', async () => {
    const root = copyFixture(V5);
    const c = await load(root);
    const sub = c.baseEnvironment!.subEnvironments.find((e) => Object.keys(e.data).length > 0)!;
    const { after } = await applyEdit(root, { kind: 'setEnvironmentData', id: sub.id, data: { ' ': 0, token: 't' } });
    assert.deepEqual(after.baseEnvironment!.subEnvironments.find((e) => e.id === sub.id)!.data, { ' ': 0, token: 't' });
  });
});

describe('setFolderFields', () => {
  it('legacy: a folder environment replaces `environment: {}`, headers replace `null`', async () => {
    const root = copyFixture(LEGACY);
    const c = await load(root);
    const folder = [...walkItems(c.children)].find((i): i is Folder => i.kind === 'folder')!;
    const { diff, after } = await applyEdit(root, { kind: 'setFolderFields', id: folder.id, fields: { environment: { tenant: 'acme' }, headers: [{ name: 'X-Tenant', value: '{{ _.tenant }}' }] } });
    assert.ok(diff.removed.includes('environment: {}'));
    assert.ok(diff.added.includes('environment:') && diff.added.includes('  tenant: acme'));
    const back = [...walkItems(after.children)].find((i) => i.id === folder.id) as Folder;
    assert.deepEqual(back.environment, { tenant: 'acme' });
    assert.deepEqual(back.headers, [{ name: 'X-Tenant', value: '{{ _.tenant }}' }]);
  });

  it('v5: a nested folder gets an environment, then its scripts', async () => {
    const root = copyFixture(V5);
    const c = await load(root);
    const folder = [...walkItems(c.children)].find((i): i is Folder => i.kind === 'folder' && i.name === 'User')!;
    let r = await applyEdit(root, { kind: 'setFolderFields', id: folder.id, fields: { environment: { user_id: 7 } } });
    assert.deepEqual(r.diff.added.slice(1), ['    environment:', '      user_id: 7']);
    r = await applyEdit(root, { kind: 'setFolderFields', id: folder.id, fields: { scripts: { preRequest: "insomnia.environment.set('a', 1);" } } });
    const back = [...walkItems(r.after.children)].find((i) => i.id === folder.id) as Folder;
    assert.equal(back.scripts.preRequest, "insomnia.environment.set('a', 1);");
    assert.deepEqual(back.environment, { user_id: 7 });
  });
});

describe('request scripts', () => {
  it('legacy: `preRequestScript: null` becomes the script, one line (and modified)', async () => {
    const root = copyFixture(LEGACY);
    const c = await load(root);
    const req = [...walkItems(c.children)].find((i): i is HttpRequest => i.kind === 'request' && i.name === 'Create new transaction')!;
    const { diff, after } = await applyEdit(root, { kind: 'setRequestFields', id: req.id, fields: { scripts: { preRequest: 'console.log(1);' } } });
    assert.deepEqual(diff.removed.sort(), ['modified: 1741231446164', 'preRequestScript: null'].sort());
    assert.deepEqual(diff.added.sort(), [`modified: ${NOW}`, 'preRequestScript: console.log(1);'].sort());
    const back = [...walkItems(after.children)].find((i) => i.id === req.id) as HttpRequest;
    assert.equal(back.scripts.preRequest, 'console.log(1);');
  });

  it('v5: a script is set line by line; an emptied one is left out, and `scripts` with the last one', async () => {
    const root = copyFixture(V5);
    const c = await load(root);
    const req = [...walkItems(c.children)].find((i): i is HttpRequest => i.kind === 'request' && i.scripts.preRequest !== '' && i.scripts.afterResponse !== '');
    assert.ok(req, 'a request with both scripts');
    let r = await applyEdit(root, { kind: 'setRequestFields', id: req.id, fields: { scripts: { afterResponse: '' } } });
    let back = [...walkItems(r.after.children)].find((i) => i.id === req.id) as HttpRequest;
    assert.equal(back.scripts.afterResponse, '');
    assert.equal(back.scripts.preRequest, req.scripts.preRequest);
    r = await applyEdit(root, { kind: 'setRequestFields', id: req.id, fields: { scripts: { preRequest: '' } } });
    back = [...walkItems(r.after.children)].find((i) => i.id === req.id) as HttpRequest;
    assert.deepEqual(back.scripts, { preRequest: '', afterResponse: '' });
    assert.ok(!/^\s+scripts:/m.test(r.text.slice(r.text.indexOf(req.id), r.text.indexOf(req.id) + 2000).split('\n    - ')[0]), 'no empty scripts key');
    r = await applyEdit(root, { kind: 'setRequestFields', id: req.id, fields: { scripts: { afterResponse: 'const x = 1;\nconsole.log(x);' } } });
    back = [...walkItems(r.after.children)].find((i) => i.id === req.id) as HttpRequest;
    assert.equal(back.scripts.afterResponse, 'const x = 1;\nconsole.log(x);');
  });
});

describe('setSpec', () => {
  it('legacy: the ApiSpec contents text', async () => {
    const root = copyFixture('legacy/kong-example-design');
    const c = await load(root);
    assert.ok(c.spec);
    const next = c.spec.contents.replace(/title: [^\n]+/, 'title: Renamed API');
    assert.notEqual(next, c.spec.contents);
    const { diff, after } = await applyEdit(root, { kind: 'setSpec', contents: next });
    assert.equal(diff.removed.filter((l) => !/modified/.test(l)).length, 1, JSON.stringify(diff));
    assert.equal(after.spec!.contents, next);
  });

  it('v5: spec.contents written key by key (a changed title is one line)', async () => {
    const root = copyFixture('v5/kong-example/my_design_document.yaml');
    const c = await load(root);
    const next = c.spec!.contents.replace('title: Swagger Petstore - OpenAPI 3.0', 'title: Petstore (edited)');
    const { diff, after } = await applyEdit(root, { kind: 'setSpec', contents: next });
    assert.deepEqual(diff.removed.filter((l) => !/modified/.test(l)), ['      title: Swagger Petstore - OpenAPI 3.0']);
    assert.deepEqual(diff.added.filter((l) => !/modified/.test(l)), ['      title: Petstore (edited)']);
    assert.match(after.spec!.contents, /title: Petstore \(edited\)/);
  });

  describe('v5: a spec given as `spec: {file: X}` (Insomnia reads a file name, no contents)', () => {
    const SPEC_BLOCK = 'spec:\n  file: openapi.yaml\n  meta:\n    id: spc_filed\n    created: 1\n    modified: 1\n';
    const FILED = `type: spec.insomnia.rest/5.0
name: Filed
meta:
  id: wrk_filed
  created: 1
  modified: 1
collection:
  - url: https://example.test/a
    name: A
    meta:
      id: req_filed_a
      created: 1
      modified: 1
      isPrivate: false
      sortKey: 1
    method: GET
${SPEC_BLOCK}`;
    const filed = () => {
      const root = path.join(tmp, `filed-${Math.random().toString(16).slice(2)}`);
      cpSync(path.join(FIXTURES, 'v5/kong-example/my_design_document.yaml'), path.join(root, 'x.yaml'));
      writeFileSync(path.join(root, 'x.yaml'), FILED);
      return root;
    };

    it('an edit of something else keeps the spec block byte for byte', async () => {
      const root = filed();
      const { text } = await applyEdit(root, { kind: 'rename', id: 'req_filed_a', name: 'Renamed' });
      assert.ok(text.endsWith(SPEC_BLOCK), text);
    });

    it('its empty contents saved unchanged write nothing; new contents replace `file` (which Insomnia would read first)', async () => {
      const root = filed();
      const c = await load(root);
      assert.deepEqual(planEdit(c, { kind: 'setSpec', contents: '' }, ctx).changes, []);
      const { after, text } = await applyEdit(root, { kind: 'setSpec', contents: 'openapi: 3.1.0\ninfo:\n  title: Filed\n  version: "1"\n' });
      assert.doesNotMatch(text, /^ {2}file:/m);
      assert.match(after.spec!.contents, /title: Filed/);
      assert.equal(after.spec!.file, undefined);
    });
  });

  it('v5: text that is not YAML is refused with its reason, nothing written', async () => {
    const root = copyFixture('v5/kong-example/my_design_document.yaml');
    const c = await load(root);
    assert.throws(() => planEdit(c, { kind: 'setSpec', contents: 'openapi: [3.0\ninfo: {' }, ctx), /not valid YAML/);
  });
});
