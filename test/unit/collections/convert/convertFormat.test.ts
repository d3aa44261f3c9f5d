// Legacy <-> v5 conversion on the raw documents: legacy -> v5 -> legacy gives the same documents (fields and values,
// unknown fields included), v5 -> legacy -> v5 the same v5 object but for the cookie jar; ids kept; nothing overwritten.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { loadWorkspace } from '../../../../src/collections/scan';
import { writeChanges } from '../../../../src/collections/store';
import { canonical } from '../../../../src/collections/diff';
import { convertLegacyToV5, convertV5ToLegacy, ConvertError, readLegacyDocs } from '../../../../src/collections/convert/convertFormat';
import { isEmptyValue, type Mapping } from '../../../../src/collections/convert/insomniaDocs';
import { fieldDifferences } from './modelCompare';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');
const LEGACY = fs.readdirSync(path.join(FIXTURES, 'legacy'));
const V5 = ['v5/kong-example', 'v5/upstream-roundtrip'].flatMap((d) =>
  fs.readdirSync(path.join(FIXTURES, d)).filter((f) => f.endsWith('.yaml') && f !== 'spec.yaml').map((f) => `${d}/${f}`),
);

/** A document without empty values (`null`, `{}`, `[]`: a v5 file cannot tell them from absent), spec text as data. */
function normal(doc: Mapping): Mapping {
  const out: Mapping = {};
  for (const [k, v] of Object.entries(doc)) {
    if (isEmptyValue(v)) continue;
    out[k] = doc.type === 'ApiSpec' && k === 'contents' && typeof v === 'string' ? safeLoad(v) : v;
  }
  return out;
}

function safeLoad(text: string): unknown {
  try {
    return load(text, { schema: CORE_SCHEMA });
  } catch {
    return text;
  }
}

function byId(docs: readonly Mapping[]): Map<string, string> {
  return new Map(docs.map((d) => [String(d._id), canonical(normal(d))]));
}

describe('convertLegacyToV5 / convertV5ToLegacy', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-convert-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const name of LEGACY) {
    it(`legacy/${name}: legacy -> v5 -> legacy gives the same documents, and the v5 file reads as the same model`, async () => {
      const repo = path.join(tmp, 'repo');
      fs.cpSync(path.join(FIXTURES, 'legacy', name), repo, { recursive: true });
      const original = readLegacyDocs(path.join(repo, '.insomnia'));
      const toV5 = convertLegacyToV5(path.join(repo, '.insomnia'));
      assert.equal(path.dirname(toV5.target), repo);
      await writeChanges(toV5.changes);
      assert.ok(fs.existsSync(path.join(repo, '.insomnia')), 'the original stays');
      const snap = await loadWorkspace(repo);
      const legacyModel = snap.collections.find((c) => c.format === 'legacy')!;
      const v5Model = snap.collections.find((c) => c.format === 'v5')!;
      assert.equal(v5Model.id, legacyModel.id);
      const diffs = fieldDifferences(legacyModel, v5Model).filter((d) => !/\.spec\.(fileName|contents):/.test(d));
      assert.deepEqual(diffs, []);

      const back = path.join(tmp, 'back');
      const toLegacy = convertV5ToLegacy(toV5.target, { root: back });
      await writeChanges(toLegacy.changes);
      const again = readLegacyDocs(path.join(back, '.insomnia'));
      const a = byId(original.filter((d) => !toV5.notConverted.some((n) => n.what.includes(String(d.name ?? d._id)))));
      const b = byId(again);
      assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
      for (const [id, doc] of a) assert.equal(b.get(id), doc, id);
      for (const doc of original) {
        const file = path.join(back, '.insomnia', String(doc.type), `${doc._id}.yml`);
        assert.ok(fs.existsSync(file), `${file} kept its id and type folder`);
      }
    });
  }

  for (const rel of V5) {
    it(`${rel}: v5 -> legacy -> v5 gives the same v5 data (less the cookie jar)`, async () => {
      const file = path.join(FIXTURES, rel);
      const original = load(fs.readFileSync(file, 'utf8'), { schema: CORE_SCHEMA }) as Mapping;
      if (/mcp/.test(String(original.type))) {
        assert.throws(() => convertV5ToLegacy(file, { root: path.join(tmp, 'x') }), ConvertError);
        return;
      }
      const toLegacy = convertV5ToLegacy(file, { root: path.join(tmp, 'legacy') });
      await writeChanges(toLegacy.changes);
      const version = typeof original.schema_version === 'string' ? original.schema_version : '5.0';
      const toV5 = convertLegacyToV5(path.join(tmp, 'legacy', '.insomnia'), { root: tmp, schemaVersion: version });
      const again = load(toV5.changes[0].content!, { schema: CORE_SCHEMA }) as Mapping;
      const strip = (v: Mapping) => {
        const { cookieJar: _jar, schema_version: _v, ...rest } = v;
        return stripEmpty(rest);
      };
      const socketIO = toLegacy.notConverted.some((n) => n.what.startsWith('Socket.IO'));
      if (socketIO) return; // checked below
      assert.equal(canonical(strip(again)), canonical(strip(original)));
    });
  }

  it('a Socket.IO request and the cookie jar are reported, not silently lost', () => {
    const r = convertV5ToLegacy(path.join(FIXTURES, 'v5/kong-example/11_6_2.yaml'), { root: tmp });
    assert.deepEqual(r.notConverted.map((n) => n.what.split(' ')[0]).sort(), ['Socket.IO', 'cookie']);
  });

  it('unknown fields survive both ways', async () => {
    const repo = path.join(tmp, 'repo');
    fs.cpSync(path.join(FIXTURES, 'legacy/minimal-collection'), repo, { recursive: true });
    const wsFile = fs.readdirSync(path.join(repo, '.insomnia/Workspace'))[0];
    const wsPath = path.join(repo, '.insomnia/Workspace', wsFile);
    fs.appendFileSync(wsPath, 'futureField:\n  nested: 1\n');
    const toV5 = convertLegacyToV5(path.join(repo, '.insomnia'));
    assert.match(toV5.changes[0].content!, /futureField:\n {2}nested: 1\n/);
    await writeChanges(toV5.changes);
    const back = convertV5ToLegacy(toV5.target, { root: path.join(tmp, 'back') });
    const ws = back.changes.find((c) => c.path.includes(`${path.sep}Workspace${path.sep}`))!;
    assert.deepEqual((load(ws.content!) as Mapping).futureField, { nested: 1 });
  });

  it('unknown keys inside meta, settings and scripts of a v5 item survive v5 -> legacy -> v5', async () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'v5/kong-example/my_collection.yaml'), 'utf8')
      .replace('      sortKey: -1761126647433\n', '      sortKey: -1761126647433\n      futureMeta: 7\n')
      .replace('      rebuildPath: true\n', '      rebuildPath: true\n      futureSetting: on\n');
    assert.match(text, /futureMeta: 7\n[^]*futureSetting: on\n/);
    const file = path.join(tmp, 'c.yaml');
    fs.writeFileSync(file, text);
    const toLegacy = convertV5ToLegacy(file, { root: path.join(tmp, 'l') });
    await writeChanges(toLegacy.changes);
    const back = load(convertLegacyToV5(path.join(tmp, 'l', '.insomnia'), { root: tmp }).changes[0].content!) as Mapping;
    const item = (back.collection as Mapping[])[0];
    assert.equal((item.meta as Mapping).futureMeta, 7);
    assert.equal((item.settings as Mapping).futureSetting, 'on');
    assert.deepEqual(Object.keys(item.meta as Mapping), ['id', 'created', 'modified', 'isPrivate', 'description', 'sortKey', 'futureMeta']);
  });

  it('never overwrites: a second conversion picks a free name, an existing .insomnia folder is an error', async () => {
    const repo = path.join(tmp, 'repo');
    fs.cpSync(path.join(FIXTURES, 'legacy/minimal-collection'), repo, { recursive: true });
    const first = convertLegacyToV5(path.join(repo, '.insomnia'));
    await writeChanges(first.changes);
    const second = convertLegacyToV5(path.join(repo, '.insomnia'));
    assert.notEqual(second.target, first.target);
    assert.throws(() => convertV5ToLegacy(first.target), /already exists/);
  });

  it('a malformed file is a clear error and nothing is planned', () => {
    const repo = path.join(tmp, 'repo');
    fs.cpSync(path.join(FIXTURES, 'legacy/minimal-collection'), repo, { recursive: true });
    fs.writeFileSync(path.join(repo, '.insomnia/Workspace/broken.yml'), 'a: [1,\n');
    assert.throws(() => convertLegacyToV5(path.join(repo, '.insomnia')), (e: Error) => e instanceof ConvertError && /broken\.yml:\d+: Invalid YAML/.test(e.message));
    fs.writeFileSync(path.join(tmp, 'bad.yaml'), 'type: collection.insomnia.rest/5.0\nname: [\n');
    assert.throws(() => convertV5ToLegacy(path.join(tmp, 'bad.yaml')), /bad\.yaml:\d+: not valid YAML/);
  });
});

/** Without empty values, and item lists in sort-key order (a v5 list's order is the database's, not data: sortKey is). */
function stripEmpty(v: unknown): unknown {
  if (Array.isArray(v)) {
    const list = v.map(stripEmpty);
    const key = (x: unknown) => Number(((x as Mapping)?.meta as Mapping | undefined)?.sortKey ?? 0);
    return list.every((x) => x && typeof x === 'object' && 'meta' in x) ? list.sort((a, b) => key(a) - key(b)) : list;
  }
  if (v && typeof v === 'object') {
    const out: Mapping = {};
    for (const [k, x] of Object.entries(v)) if (!isEmptyValue(x)) out[k] = stripEmpty(x);
    return out;
  }
  return v;
}

describe('convertLegacyToV5: documents that cannot be placed', () => {
  it('a request whose folder is gone is reported, not lost silently', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-orphan-'));
    try {
      fs.cpSync(path.join(FIXTURES, 'legacy/minimal-collection'), tmp, { recursive: true });
      fs.mkdirSync(path.join(tmp, '.insomnia/Request'), { recursive: true });
      fs.writeFileSync(path.join(tmp, '.insomnia/Request/req_orphan.yml'), '_id: req_orphan\ntype: Request\nparentId: fld_gone\nname: Lost\nurl: ""\nmethod: GET\n');
      const r = convertLegacyToV5(path.join(tmp, '.insomnia'));
      assert.deepEqual(r.notConverted, [{ what: 'Request Lost', why: 'its parent fld_gone is missing' }]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
