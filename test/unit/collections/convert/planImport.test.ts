// planImport: an import written as a new collection (v5 file or .insomnia folder) or appended to an existing one,
// checked by loading the written files back from a temp folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadWorkspace } from '../../../../src/collections/scan';
import { writeChanges } from '../../../../src/collections/store';
import { walkItems, type Collection } from '../../../../src/collections/model';
import type { ImportResult } from '../../../../src/collections/convert/importTypes';
import { planImport, planImportDetailed } from '../../../../src/collections/convert/planImport';
import { PlanError } from '../../../../src/collections/editPlanner';
import { lineDiff } from '../lineDiff';
import * as yaml from 'js-yaml';
import { importText } from '../../../../src/collections/convert/importText';
import { content, countAll } from './modelCompare';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');

/** the fixture copies made by this file's tests, removed after them. */
const fixtureDirs: string[] = [];

async function fixture(rel: string): Promise<Collection> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'hammock-fx-'));
  fixtureDirs.push(dir);
  fs.cpSync(path.join(FIXTURES, rel), path.join(dir, path.basename(rel)), { recursive: true });
  const snap = await loadWorkspace(dir);
  assert.equal(snap.collections.length, 1);
  return snap.collections[0];
}

function asImport(c: Collection): ImportResult {
  return { format: 'insomnia-v5', collections: [c], dropped: [], warnings: [] };
}

let seq = 0;
const testId = (prefix: string) => `${prefix}_${(++seq).toString(16).padStart(32, '0')}`;

describe('planImport', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'hammock-import-'));
  });
  afterEach(async () => {
    await fs.promises.rm(root, { recursive: true, force: true });
  });
  after(async () => {
    await Promise.all(fixtureDirs.splice(0).map((d) => fs.promises.rm(d, { recursive: true, force: true })));
  });

  it('a new v5 collection reads back as the imported model, under a free file name', async () => {
    const source = await fixture('v5/kong-example/everything.yaml');
    fs.writeFileSync(path.join(root, 'everything.yaml'), 'not mine\n');
    const changes = planImport(asImport(source), { kind: 'new', root, format: 'v5', exists: fs.existsSync });
    assert.deepEqual(changes.map((c) => path.basename(c.path)), ['everything_2.yaml']);
    await writeChanges(changes);
    assert.equal(fs.readFileSync(path.join(root, 'everything.yaml'), 'utf8'), 'not mine\n');
    const [back] = (await loadWorkspace(root)).collections;
    assert.equal(back.format, 'v5');
    assert.deepEqual(back.problems, []);
    assert.deepEqual(content(back), content(source));
  });

  it('a new legacy collection: one file per document, same model; refuses a root that has a .insomnia folder', async () => {
    const source = await fixture('v5/kong-example/everything.yaml');
    const changes = planImport(asImport(source), { kind: 'new', root, format: 'legacy', exists: fs.existsSync });
    assert.equal(changes.length, 1 + countAll(source.children) + 1 + source.baseEnvironment!.subEnvironments.length);
    assert.ok(changes.every((c) => c.path.startsWith(path.join(root, '.insomnia') + path.sep) && c.path.endsWith('.yml')));
    await writeChanges(changes);
    const [back] = (await loadWorkspace(root)).collections;
    assert.equal(back.format, 'legacy');
    assert.deepEqual(content(back), content(source));
    assert.throws(() => planImport(asImport(source), { kind: 'new', root, format: 'legacy', exists: fs.existsSync }), PlanError);
  });

  it('an Insomnia v4 export keeps its environments\' created and modified times, in a v5 file and in a .insomnia folder', async () => {
    // the freecloud export imported as a new collection: its requests kept their times, its environments got "now"
    const text = fs.readFileSync(path.join(FIXTURES, 'import/insomnia/freecloudio-server.insomnia-v4.yaml'), 'utf8');
    const result = importText(text, 'freecloudio-server.insomnia-v4.yaml');
    const want = {
      env_d6c69b45e2d7472f9bb28fdaf5513025a2ef8ac3: { created: 1592679770868, modified: 1619160464419 },
      env_4d2ccec931b84c4db0e18eb3cae9eb85: { created: 1592679778248, modified: 1592679795673 },
    };
    const now = 1796508769519;
    const v5 = planImport(result, { kind: 'new', root, format: 'v5', exists: fs.existsSync }, { now });
    const doc = yaml.load(v5[0].content!) as { environments: { meta: { id: string; created: number; modified: number }; subEnvironments: { meta: { id: string; created: number; modified: number } }[] } };
    const times = (m: { id: string; created: number; modified: number }) => [m.id, { created: m.created, modified: m.modified }];
    assert.deepEqual(Object.fromEntries([doc.environments.meta, ...doc.environments.subEnvironments.map((e) => e.meta)].map(times)), want);
    const legacy = planImport(result, { kind: 'new', root, format: 'legacy', exists: fs.existsSync }, { now });
    const envs = legacy.filter((c) => c.path.includes(`${path.sep}Environment${path.sep}`)).map((c) => yaml.load(c.content!) as { _id: string; created: number; modified: number });
    assert.deepEqual(Object.fromEntries(envs.map((e) => [e._id, { created: e.created, modified: e.modified }])), want);
    // into an existing collection: the sub-environment added keeps its times too
    const target = await fixture('v5/kong-example/everything.yaml');
    const into = planImport(result, { kind: 'existing', collection: target, readText: (p) => fs.readFileSync(p, 'utf8') }, { now });
    const after = yaml.load(into[0].content!) as { environments: { subEnvironments: { meta: { id: string; created: number; modified: number } }[] } };
    const added = after.environments.subEnvironments.find((e) => e.meta.id === 'env_4d2ccec931b84c4db0e18eb3cae9eb85');
    assert.deepEqual(added && times(added.meta), ['env_4d2ccec931b84c4db0e18eb3cae9eb85', want.env_4d2ccec931b84c4db0e18eb3cae9eb85]);
  });

  it('ids already used in the workspace get fresh ids, and references to them follow', async () => {
    const source = await fixture('v5/kong-example/my_collection.yaml');
    const req = source.children[0];
    assert.equal(req.kind, 'request');
    const other = { ...req, id: 'req_other', name: 'uses the first', url: `{% response 'body', '${req.id}', '', 'never', 60 %}` };
    source.children.push(other as typeof req);
    const plan = planImportDetailed(asImport(source), { kind: 'new', root, format: 'v5', exists: fs.existsSync, takenIds: new Set([req.id, source.id]) }, { newId: testId });
    assert.equal(plan.renamedIds.size, 2);
    const newReq = plan.renamedIds.get(req.id)!;
    await writeChanges(plan.changes);
    const [back] = (await loadWorkspace(root)).collections;
    assert.equal(back.id, plan.renamedIds.get(source.id));
    const ids = [...walkItems(back.children)].map((i) => i.id);
    assert.ok(ids.includes(newReq) && !ids.includes(req.id));
    const user = [...walkItems(back.children)].find((i) => i.name === 'uses the first')!;
    assert.equal((user as { url: string }).url, `{% response 'body', '${newReq}', '', 'never', 60 %}`);
  });

  it('into an existing v5 folder: only added lines, items appended after the existing ones, sub-environments and new variables added', async () => {
    const target = await fixture('v5/kong-example/everything.yaml');
    const folder = target.children.find((i) => i.name === 'User')!;
    const source = await fixture('v5/kong-example/my_collection.yaml');
    source.baseEnvironment!.data = { base_url: 'must not replace', fresh_var: 'x' };
    source.baseEnvironment!.subEnvironments.push({ ...source.baseEnvironment!, id: 'env_new_sub', parentId: source.baseEnvironment!.id, name: 'Imported env', data: { a: 1 } });
    const before = fs.readFileSync(target.path, 'utf8');
    const changes = planImport(asImport(source), { kind: 'existing', collection: target, parentId: folder.id, readText: (p) => fs.readFileSync(p, 'utf8') }, { newId: testId });
    assert.deepEqual(changes.map((c) => c.path), [target.path]);
    const diff = lineDiff(before, changes[0].content!);
    assert.deepEqual(diff.removed, [], 'nothing of the file is rewritten');
    await writeChanges(changes);
    const [back] = (await loadWorkspace(path.dirname(target.path))).collections;
    assert.deepEqual(back.problems, []);
    const backFolder = back.children.find((i) => i.id === folder.id)!;
    assert.equal(backFolder.kind, 'folder');
    if (backFolder.kind !== 'folder' || folder.kind !== 'folder') return;
    assert.equal(backFolder.children.length, folder.children.length + source.children.length);
    assert.deepEqual(backFolder.children.slice(0, folder.children.length).map((i) => i.id), folder.children.map((i) => i.id));
    assert.deepEqual(content(backFolder.children.at(-1)!.name), source.children.at(-1)!.name);
    assert.equal(back.baseEnvironment!.data.fresh_var, 'x');
    assert.equal(back.baseEnvironment!.data.base_url, 'must not replace', 'everything.yaml has no base variables: the imported ones are added');
    assert.deepEqual(back.baseEnvironment!.subEnvironments.map((e) => e.name).slice(-1), ['Imported env']);
    assert.equal(countAll(back.children), countAll(target.children) + countAll(source.children));
  });

  it('into an existing legacy collection: new files only, existing variables kept', async () => {
    const target = await fixture('legacy/kong-demo-with-tests/.insomnia');
    const source = await fixture('v5/kong-example/everything.yaml');
    source.baseEnvironment!.data = { base_url: 'must not replace', fresh_var: 'x' };
    const baseFile = target.baseEnvironment!.source.file;
    const existing = new Set(fs.readdirSync(target.path, { recursive: true }).map(String));
    const changes = planImport(asImport(source), { kind: 'existing', collection: target, readText: (p) => fs.readFileSync(p, 'utf8'), exists: fs.existsSync }, { newId: testId });
    const modified = changes.filter((c) => existing.has(path.relative(target.path, c.path)));
    assert.deepEqual(modified.map((c) => c.path), [baseFile]);
    assert.deepEqual(lineDiff(fs.readFileSync(baseFile, 'utf8'), modified[0].content!).removed, []);
    await writeChanges(changes);
    const [back] = (await loadWorkspace(path.dirname(target.path))).collections;
    assert.equal(countAll(back.children), countAll(target.children) + countAll(source.children));
    assert.equal(back.baseEnvironment!.data.base_url, target.baseEnvironment!.data.base_url);
    assert.equal(back.baseEnvironment!.data.fresh_var, 'x');
    assert.equal(back.baseEnvironment!.subEnvironments.length, target.baseEnvironment!.subEnvironments.length + 1);
    assert.deepEqual(back.problems.filter((p) => p.severity === 'error'), []);
  });

  it('into a v5 file without a collection list: the list is created before cookieJar, with every imported item', async () => {
    const target = await fixture('v5/kong-example/my_design_document.yaml');
    assert.equal(target.children.length, 0);
    const source = await fixture('v5/kong-example/everything.yaml');
    const before = fs.readFileSync(target.path, 'utf8');
    assert.ok(!/^collection:/m.test(before));
    const changes = planImport(asImport(source), { kind: 'existing', collection: target, readText: (p) => fs.readFileSync(p, 'utf8') }, { newId: testId });
    assert.deepEqual(lineDiff(before, changes[0].content!).removed, []);
    assert.ok(changes[0].content!.indexOf('\ncollection:\n') < changes[0].content!.indexOf('\ncookieJar:\n'));
    await writeChanges(changes);
    const [back] = (await loadWorkspace(path.dirname(target.path))).collections;
    assert.deepEqual(back.children.map((i) => i.name), source.children.map((i) => i.name));
    assert.equal(countAll(back.children), countAll(source.children));
  });

  it('into a v5 file or a new one: a string yaml would fold wrongly is written so that it reads back exactly', async () => {
    const target = await fixture('v5/kong-example/my_collection.yaml');
    const source = await fixture('v5/kong-example/everything.yaml');
    const login = [...walkItems(source.children)].find((i) => i.name === 'login')!;
    login.description = ' \n: \r\n: "ax yx y\n \n: \r\n: "ax yx y'; // yaml 2.x folds this double-quoted string into something else
    await writeChanges(planImport(asImport(source), { kind: 'existing', collection: target, readText: (p) => fs.readFileSync(p, 'utf8') }, { newId: testId }));
    const [into] = (await loadWorkspace(path.dirname(target.path))).collections.filter((c) => c.path === target.path);
    assert.equal([...walkItems(into.children)].find((i) => i.name === 'login')!.description, login.description);
    await writeChanges(planImport(asImport(source), { kind: 'new', root, format: 'v5', exists: fs.existsSync }));
    const [back] = (await loadWorkspace(root)).collections;
    assert.equal([...walkItems(back.children)].find((i) => i.name === 'login')!.description, login.description);
  });

  it('an unknown parent folder is an error and plans nothing', async () => {
    const target = await fixture('v5/kong-example/my_collection.yaml');
    const source = await fixture('v5/kong-example/everything.yaml');
    assert.throws(() => planImport(asImport(source), { kind: 'existing', collection: target, parentId: 'fld_nope', readText: (p) => fs.readFileSync(p, 'utf8') }), /No folder/);
  });
});
