import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as jsYaml from 'js-yaml';
import * as YAML from 'yaml';
import {
  ensureDataSet,
  ensureLegacyRepo,
  ensureV5Collection,
  generateCollection,
  legacyFiles,
  Rng,
  V5_FILE_NAME,
  v5Text,
  type GenerateOptions,
} from '../../../bench/generate';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');
const SMALL: GenerateOptions = { requests: 200, folders: 30, environments: 5, seed: 7 };

type Doc = Record<string, unknown> & { _id: string; type: string; parentId: string | null };

function parseAll(files: { path: string; text: string }[]): Doc[] {
  return files.map((f) => jsYaml.load(f.text) as Doc);
}

/** Counts folders and requests (items with `method`) in a v5 `collection` list, and the deepest folder level. */
function walkV5(items: unknown[], depth = 1): { folders: number; requests: number; maxDepth: number } {
  const acc = { folders: 0, requests: 0, maxDepth: 0 };
  for (const item of items as Record<string, unknown>[]) {
    if (Array.isArray(item.children)) {
      acc.folders++;
      acc.maxDepth = Math.max(acc.maxDepth, depth);
      const sub = walkV5(item.children, depth + 1);
      acc.folders += sub.folders;
      acc.requests += sub.requests;
      acc.maxDepth = Math.max(acc.maxDepth, sub.maxDepth);
    } else if (typeof item.method === 'string') {
      acc.requests++;
    }
  }
  return acc;
}

describe('bench/generate', () => {
  it('Rng is deterministic per seed and ids have Insomnia\'s shape', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 5 }, () => a.id('req'));
    assert.deepEqual(seqA, Array.from({ length: 5 }, () => b.id('req')));
    assert.notDeepEqual(seqA, Array.from({ length: 5 }, () => c.id('req')));
    for (const id of seqA) assert.match(id, /^req_[0-9a-f]{32}$/);
  });

  it('legacy files: same seed same bytes, another seed other bytes', () => {
    const once = legacyFiles(generateCollection(SMALL));
    const again = legacyFiles(generateCollection(SMALL));
    const other = legacyFiles(generateCollection({ ...SMALL, seed: 8 }));
    assert.deepEqual(once, again);
    assert.notDeepEqual(once.map((f) => f.text), other.map((f) => f.text));
  });

  it('legacy files: the requested counts, a consistent tree, file paths as Insomnia names them', () => {
    const files = legacyFiles(generateCollection(SMALL));
    const docs = parseAll(files);
    const byType = (t: string): Doc[] => docs.filter((d) => d.type === t);
    assert.equal(byType('Workspace').length, 1);
    assert.equal(byType('Request').length, SMALL.requests);
    assert.equal(byType('RequestGroup').length, SMALL.folders);
    assert.equal(byType('Environment').length, SMALL.environments);
    assert.equal(files.length, 1 + SMALL.requests + SMALL.folders + SMALL.environments);

    files.forEach((f, i) => assert.equal(f.path, `.insomnia/${docs[i]!.type}/${docs[i]!._id}.yml`));
    assert.equal(new Set(docs.map((d) => d._id)).size, docs.length, 'ids are unique');

    const workspace = byType('Workspace')[0]!;
    assert.equal(workspace.parentId, null);
    const folderIds = new Set(byType('RequestGroup').map((d) => d._id));
    for (const d of [...byType('Request'), ...byType('RequestGroup')]) {
      assert.ok(d.parentId === workspace._id || folderIds.has(d.parentId!), `${d._id} has a real parent`);
    }
    const bases = byType('Environment').filter((e) => e.parentId === workspace._id);
    assert.equal(bases.length, 1, 'one base environment');
    for (const e of byType('Environment')) assert.ok(e.parentId === workspace._id || e.parentId === bases[0]!._id);
    // requests land both at the root and in folders, folders nest
    assert.ok(byType('Request').some((r) => r.parentId === workspace._id));
    assert.ok(byType('RequestGroup').some((g) => folderIds.has(g.parentId!)));
  });

  it('legacy files carry the Insomnia 10.x keys, in the order of the real files', async () => {
    const real = await fsp.readFile(
      path.join(FIXTURES, 'legacy/kong-demo-with-tests/.insomnia/Request/req_c915c9881b1a4dca8d4f64c9f739ec0d.yml'), 'utf8');
    const realKeys = Object.keys(jsYaml.load(real) as object);
    const docs = parseAll(legacyFiles(generateCollection(SMALL)));
    for (const req of docs.filter((d) => d.type === 'Request')) assert.deepEqual(Object.keys(req), realKeys);
    const realFolder = await fsp.readFile(
      path.join(FIXTURES, 'legacy/kong-demo-with-tests/.insomnia/RequestGroup/fld_fb696016751840aa9094c3d3d3611dfc.yml'), 'utf8');
    const folderKeys = Object.keys(jsYaml.load(realFolder) as object);
    for (const fld of docs.filter((d) => d.type === 'RequestGroup')) assert.deepEqual(Object.keys(fld), folderKeys);
  });

  it('legacy files are in Insomnia\'s own serialisation (YAML.stringify round-trips byte for byte)', () => {
    for (const f of legacyFiles(generateCollection(SMALL))) assert.equal(YAML.stringify(YAML.parse(f.text)), f.text, f.path);
  });

  it('v5 text: deterministic, the requested counts, nesting, meta blocks', () => {
    const text = v5Text(SMALL);
    assert.equal(text, v5Text(SMALL));
    const doc = jsYaml.load(text) as Record<string, unknown>;
    assert.equal(doc.type, 'collection.insomnia.rest/5.0');
    assert.match((doc.meta as { id: string }).id, /^wrk_/);
    const counts = walkV5(doc.collection as unknown[]);
    assert.equal(counts.requests, SMALL.requests);
    assert.equal(counts.folders, SMALL.folders);
    assert.ok(counts.maxDepth >= 3, `folders nest (deepest level ${counts.maxDepth})`);
    const envs = doc.environments as { meta: { id: string }; subEnvironments: unknown[] };
    assert.match(envs.meta.id, /^env_[0-9a-f]{40}$/);
    assert.equal(1 + envs.subEnvironments.length, SMALL.environments);
    const first = (doc.collection as Record<string, unknown>[]).find((i) => typeof i.method === 'string')!;
    assert.deepEqual(Object.keys(first.meta as object), ['id', 'created', 'modified', 'isPrivate', 'description', 'sortKey']);
    assert.deepEqual(Object.keys(first.settings as object), ['renderRequestBody', 'encodeUrl', 'followRedirects', 'cookies', 'rebuildPath']);
    assert.ok(!/: null$|: \{\}$|: \[\]$/m.test(text), 'empty fields removed as Insomnia\'s export does');
  });

  it('v5 text has the top-level keys of the real everything.yaml', async () => {
    const real = jsYaml.load(await fsp.readFile(path.join(FIXTURES, 'v5/kong-example/everything.yaml'), 'utf8')) as object;
    const generated = jsYaml.load(v5Text(SMALL)) as object;
    assert.deepEqual(Object.keys(generated), Object.keys(real));
  });

  describe('cached data sets', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-gen-'));
    });
    afterEach(async () => {
      await fsp.rm(dir, { recursive: true, force: true });
    });

    it('writes a legacy repo once and reuses it', async () => {
      const root = await ensureLegacyRepo(dir, SMALL);
      const requests = await fsp.readdir(path.join(root, '.insomnia', 'Request'));
      assert.equal(requests.length, SMALL.requests);
      const marker = path.join(root, 'untouched');
      await fsp.writeFile(marker, '');
      assert.equal(await ensureLegacyRepo(dir, SMALL), root);
      await fsp.access(marker); // not regenerated
      assert.notEqual(await ensureLegacyRepo(dir, { ...SMALL, seed: 9 }), root);
    });

    it('writes the v5 file and regenerates an interrupted data set', async () => {
      const folder = await ensureV5Collection(dir, SMALL);
      assert.equal(await fsp.readFile(path.join(folder, V5_FILE_NAME), 'utf8'), v5Text(SMALL));
      let calls = 0;
      await assert.rejects(ensureDataSet(dir, 'flaky', async () => {
        calls++;
        throw new Error('interrupted');
      }));
      const again = await ensureDataSet(dir, 'flaky', async (d) => {
        calls++;
        await fsp.writeFile(path.join(d, 'ok'), '');
      });
      await fsp.access(path.join(again, 'ok'));
      assert.equal(calls, 2);
    });
  });
});
