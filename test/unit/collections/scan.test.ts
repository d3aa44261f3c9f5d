// The workspace scanner: what it finds and skips, in which order, with which problems; on the fixtures (read in
// place), temp trees, and collections generated here in both formats.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { countItems, walkItems, type Collection, type Item } from '../../../src/collections/model';
import { isInsomniaPath, legacyFolderOf, loadCollectionFile, loadLegacyFolder, loadWorkspace } from '../../../src/collections/scan';

const FIXTURES = path.resolve(__dirname, '../../fixtures');

function write(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('scan: the fixtures folder', () => {
  it('finds every legacy folder and v5 file, sorted by name then path, and ignores other YAML', async () => {
    const snapshot = await loadWorkspace(FIXTURES);
    assert.equal(snapshot.root, FIXTURES);
    assert.deepEqual(snapshot.problems, []);
    const inImport = (c: { path: string }) => c.path.includes(`${path.sep}import${path.sep}`);
    const rows = snapshot.collections.filter((c) => !inImport(c)).map((c) => [c.name, c.format, path.relative(FIXTURES, c.path)]);
    assert.deepEqual(rows, [
      ['11.3.0', 'v5', 'v5/kong-example/my_collection.yaml'],
      ['11.4-curry', 'v5', 'v5/kong-example/11_4_curry.yaml'],
      ['11.6.2', 'v5', 'v5/kong-example/11_6_2.yaml'],
      ['12.1.0', 'v5', 'v5/kong-example/12_1_0.yaml'],
      ['Created in ⍺-d9ea29a, modified outside Insomnia', 'v5', 'v5/kong-example/Created in ⍺-d9ea29a, modified outside Insomnia-wrk_8636da9fd479473fa737e7cad18723a4.yaml'],
      ['Dev Environment', 'v5', 'v5/upstream-roundtrip/dev_environment.yaml'],
      ['Endpoint Security 1.2', 'legacy', 'legacy/kong-example-design/.insomnia'],
      ['Endpoint Security 1.2', 'v5', 'v5/kong-example/insomnia.wrk_d58fc511fbf1495591e9939627cf4b9a.yaml'],
      ['Everything', 'v5', 'v5/kong-example/everything.yaml'],
      ['Global Security 1.2', 'legacy', 'legacy/inso-fixture-malformed-spec/.insomnia'],
      ['Insomnia Airlines MCP', 'v5', 'v5/upstream-roundtrip/mcp_flights.yaml'],
      ['Jack - Pavlos', 'v5', 'v5/kong-example/my_collectionjp.yaml'],
      ['kong-insomnia-demo.git', 'legacy', 'legacy/kong-demo-with-tests/.insomnia'],
      ['Mega Platform API 2025-10-13 - 11.6.2', 'v5', 'v5/kong-example/mega_platform_api_2025-10-13-wrk_e0aee07f559f4f5594025d0b27a783f0.yaml'],
      ['My Collection', 'legacy', 'legacy/minimal-collection/.insomnia'],
      ['Renamed Collection', 'v5', 'v5/kong-example/collection_after_renaming_3.yaml'],
      ['Sample Spec 1.2', 'legacy', 'legacy/inso-fixture-alphabetical/.insomnia'],
      ['Security & Testing', 'v5', 'v5/upstream-roundtrip/security_collection.yaml'],
      ['Staging Environment', 'v5', 'v5/upstream-roundtrip/staging_environment.yaml'],
      ["Wei's Design Document", 'v5', 'v5/kong-example/my_design_document.yaml'],
    ]);
    for (const c of snapshot.collections) assert.deepEqual(c.problems, [], c.name);
    // of the import fixtures only Insomnia's own v5 smoke-test files are collections; v4 exports and OpenAPI files are other YAML
    assert.deepEqual(
      snapshot.collections.filter(inImport).map((c) => path.relative(FIXTURES, c.path).split(path.sep).join('/')).sort(),
      ['import/insomnia-smoke/grpc.v5.yaml', 'import/insomnia-smoke/mock-server.v5.yaml', 'import/insomnia-smoke/socket-io.v5.yaml'],
    );
  });
});

describe('scan: a workspace tree', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'hammock-scan-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const v5 = (name: string) => `type: collection.insomnia.rest/5.0\nname: ${name}\nmeta:\n  id: wrk_${name.replace(/\W/g, '')}\ncollection:\n  - name: r\n    url: http://x\n    method: GET\n`;

  it('skips .git, node_modules and other dot-folders, reads .insomnia folders anywhere, .yaml and .yml', async () => {
    write(path.join(root, 'api.yaml'), v5('Top'));
    write(path.join(root, 'deep/er/nested.yml'), v5('Nested'));
    write(path.join(root, '.git/hooks/x.yaml'), v5('InGit'));
    write(path.join(root, 'node_modules/pkg/x.yaml'), v5('InNodeModules'));
    write(path.join(root, '.vscode/x.yaml'), v5('InDotFolder'));
    write(path.join(root, 'api.json'), v5('NotYaml'));
    write(path.join(root, 'openapi.yaml'), 'openapi: 3.0.0\ninfo: {title: x, version: "1"}\npaths: {}\n');
    write(path.join(root, '.github/workflows/ci.yml'), 'on: push\n');
    cpSync(path.join(FIXTURES, 'legacy/minimal-collection/.insomnia'), path.join(root, 'sub/repo/.insomnia'), { recursive: true });
    // a v5 file inside .insomnia is not a v5 collection (Insomnia only reads type folders there)
    write(path.join(root, 'sub/repo/.insomnia/stray.yaml'), v5('InLegacyFolder'));
    const snapshot = await loadWorkspace(root);
    assert.deepEqual(snapshot.collections.map((c) => [c.name, c.format, path.relative(root, c.path)]), [
      ['My Collection', 'legacy', 'sub/repo/.insomnia'],
      ['Nested', 'v5', 'deep/er/nested.yml'],
      ['Top', 'v5', 'api.yaml'],
    ]);
    assert.deepEqual(snapshot.problems, []);
  });

  it('a broken Insomnia file is a problem of the snapshot, with its line; the rest loads', async () => {
    write(path.join(root, 'good.yaml'), v5('Good'));
    const broken = write(path.join(root, 'b/broken.yaml'), 'type: collection.insomnia.rest/5.0\nname: Broken\ncollection:\n  - name: a\n   - name: b\n');
    cpSync(path.join(FIXTURES, 'legacy/kong-example-design/.insomnia'), path.join(root, '.insomnia'), { recursive: true });
    const snapshot = await loadWorkspace(root);
    assert.deepEqual(snapshot.collections.map((c) => c.name), ['Endpoint Security 1.2', 'Good']);
    assert.equal(countItems(snapshot.collections[0]).requests, 5);
    assert.equal(snapshot.problems.length, 1);
    assert.deepEqual([snapshot.problems[0].file, snapshot.problems[0].line, snapshot.problems[0].severity], [broken, 4, 'error']);
  });

  it('a broken legacy file belongs to its collection; a legacy folder without workspace to the snapshot', async () => {
    const dir = path.join(root, 'a/.insomnia');
    cpSync(path.join(FIXTURES, 'legacy/minimal-collection/.insomnia'), dir, { recursive: true });
    const broken = write(path.join(dir, 'Request/req_x.yml'), '_id: req_x\ntype: Request\nname: [\n');
    write(path.join(root, 'b/.insomnia/Request/req_y.yml'), '_id: req_y\ntype: Request\nparentId: wrk_gone\n');
    const snapshot = await loadWorkspace(root);
    assert.equal(snapshot.collections.length, 1);
    assert.deepEqual(snapshot.collections[0].problems.map((p) => [p.file, p.line, p.severity]), [[broken, 3, 'error']]);
    assert.deepEqual(snapshot.problems.map((p) => [p.file, p.severity]), [[path.join(root, 'b/.insomnia'), 'error']]);
  });

  it('exclude: bare names anywhere, globs on the relative path', async () => {
    write(path.join(root, 'keep.yaml'), v5('Keep'));
    write(path.join(root, 'dist/x.yaml'), v5('Dist'));
    write(path.join(root, 'a/dist/x.yaml'), v5('DeepDist'));
    write(path.join(root, 'fixtures/one/x.yaml'), v5('Fixture'));
    write(path.join(root, 'docs/x.yml'), v5('Docs'));
    const names = async (exclude: string[]) => (await loadWorkspace(root, { exclude })).collections.map((c) => c.name);
    assert.deepEqual(await names([]), ['DeepDist', 'Dist', 'Docs', 'Fixture', 'Keep']);
    assert.deepEqual(await names(['dist']), ['Docs', 'Fixture', 'Keep']);
    assert.deepEqual(await names(['fixtures/**', 'docs/*.yml']), ['DeepDist', 'Dist', 'Keep']);
    assert.deepEqual(await names(['**/dist']), ['Docs', 'Fixture', 'Keep']);
  });

  it('an aborted signal stops the load', async () => {
    write(path.join(root, 'x.yaml'), v5('X'));
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(loadWorkspace(root, { signal: controller.signal }), { name: 'AbortError' });
  });

  it('a missing root gives an empty snapshot', async () => {
    const snapshot = await loadWorkspace(path.join(root, 'nope'));
    assert.deepEqual([snapshot.collections, snapshot.problems], [[], []]);
  });

  it('loadLegacyFolder and loadCollectionFile re-read one source after it changed', async () => {
    const dir = path.join(root, '.insomnia');
    cpSync(path.join(FIXTURES, 'legacy/minimal-collection/.insomnia'), dir, { recursive: true });
    write(path.join(dir, 'Request/req_new.yml'), '_id: req_new\ntype: Request\nparentId: wrk_a8f11e6f2aaa44329e709428b4af820e\nname: added\n');
    const legacy = await loadLegacyFolder(dir);
    assert.deepEqual([...walkItems(legacy.collections[0].children)].map((i) => i.name), ['added']);
    const file = write(path.join(root, 'c.yaml'), v5('Before'));
    assert.equal((await loadCollectionFile(file)).collection?.name, 'Before');
    writeFileSync(file, v5('After'));
    assert.equal((await loadCollectionFile(file)).collection?.name, 'After');
    writeFileSync(file, 'openapi: 3.0.0\n');
    assert.deepEqual(await loadCollectionFile(file), { insomnia: false, problems: [] });
    rmSync(dir, { recursive: true });
    assert.deepEqual(await loadLegacyFolder(dir), { collections: [], problems: [] });
  });
});

describe('scan: path helpers', () => {
  it('isInsomniaPath: inside .insomnia, or a .yaml/.yml outside skipped folders', () => {
    const yes = ['.insomnia', '.insomnia/Request/req_1.yml', 'sub/.insomnia/Workspace/w.json', 'a.yaml', 'x/y/B.YML', '/home/u/.config/ws/a.yaml'];
    const no = ['README.md', 'src/a.ts', '.git/x.yaml', 'node_modules/p/a.yaml', '.github/workflows/ci.yml', 'x/.vscode/a.yaml', '/repo/node_modules/a.yaml'];
    for (const p of yes) assert.equal(isInsomniaPath(p), true, p);
    for (const p of no) assert.equal(isInsomniaPath(p), false, p);
    assert.equal(isInsomniaPath('sub\\.insomnia\\Request\\r.yml'), true);
  });

  it('legacyFolderOf: the .insomnia folder a path is in', () => {
    assert.equal(legacyFolderOf('/r/.insomnia/Request/req_1.yml'), '/r/.insomnia');
    assert.equal(legacyFolderOf('/r/.insomnia'), '/r/.insomnia');
    assert.equal(legacyFolderOf('/r/a.yaml'), undefined);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Generated collections: a few hundred requests in nested folders, written in both formats, and the expected tree.

interface GenNode {
  kind: 'folder' | 'request' | 'grpcRequest' | 'websocketRequest';
  id: string;
  name: string;
  sortKey: number;
  children: GenNode[];
}

/** 40 folders up to 4 deep, 320 HTTP + 4 gRPC + 3 WebSocket requests; sort keys scrambled against file order. */
function generateTree(): GenNode[] {
  const root: GenNode[] = [];
  const folders: GenNode[] = [];
  const scramble = (i: number) => ((i * 7919) % 1009) - 500;
  for (let i = 0; i < 40; i++) {
    const folder: GenNode = { kind: 'folder', id: `fld_${i}`, name: `Folder ${i}`, sortKey: scramble(i), children: [] };
    // 0-7 at the top, then each folder under an earlier one: nesting up to 4 levels
    (i < 8 ? root : folders[Math.floor((i - 8) / 4)].children).push(folder);
    folders.push(folder);
  }
  const kinds: GenNode['kind'][] = [];
  for (let i = 0; i < 320; i++) kinds.push('request');
  for (let i = 0; i < 4; i++) kinds.push('grpcRequest');
  for (let i = 0; i < 3; i++) kinds.push('websocketRequest');
  kinds.forEach((kind, i) => {
    const prefix = kind === 'request' ? 'req' : kind === 'grpcRequest' ? 'greq' : 'ws-req';
    const node: GenNode = { kind, id: `${prefix}_${i}`, name: `${kind} ${i}`, sortKey: scramble(i + 100) + i / 1000, children: [] };
    (i % 9 === 0 ? root : folders[i % folders.length].children).push(node);
  });
  return root;
}

function expectedShape(nodes: readonly GenNode[]): unknown[] {
  return [...nodes].sort((a, b) => a.sortKey - b.sortKey).map((n) => (n.kind === 'folder' ? [n.name, expectedShape(n.children)] : n.name));
}

function shapeOf(items: readonly Item[]): unknown[] {
  return items.map((i) => (i.kind === 'folder' ? [i.name, shapeOf(i.children)] : i.name));
}

function writeLegacy(dir: string, tree: GenNode[]): void {
  const wrk = 'wrk_generated';
  const doc = (type: string, id: string, parentId: string | null, fields: Record<string, unknown>, ext = '.yml') => {
    const body = { _id: id, type, parentId, modified: 1, created: 1, ...fields };
    write(path.join(dir, '.insomnia', type, `${id}${ext}`), ext === '.json' ? JSON.stringify(body, null, 2) : YAML.stringify(body));
  };
  doc('Workspace', wrk, null, { name: 'Generated legacy', description: '', scope: 'collection' });
  doc('Environment', 'env_base', wrk, { name: 'Base Environment', data: { base_url: 'http://localhost' }, metaSortKey: 0 });
  for (let i = 0; i < 3; i++) doc('Environment', `env_sub_${i}`, 'env_base', { name: `Sub ${i}`, data: { n: i }, metaSortKey: 3 - i });
  let n = 0;
  const visit = (nodes: GenNode[], parentId: string) => {
    for (const node of nodes) {
      const ext = n++ % 10 === 0 ? '.json' : '.yml';
      if (node.kind === 'folder') {
        doc('RequestGroup', node.id, parentId, { name: node.name, description: '', environment: {}, metaSortKey: node.sortKey }, ext);
        visit(node.children, node.id);
      } else if (node.kind === 'request') {
        doc('Request', node.id, parentId, { url: `{{ _.base_url }}/${node.id}`, name: node.name, method: 'GET', body: {}, headers: [{ name: 'Accept', value: '*/*' }], metaSortKey: node.sortKey }, ext);
      } else if (node.kind === 'grpcRequest') {
        doc('GrpcRequest', node.id, parentId, { url: 'grpcb.in:9000', name: node.name, protoMethodName: '/a.B/C', metadata: [], metaSortKey: node.sortKey }, ext);
      } else {
        doc('WebSocketRequest', node.id, parentId, { url: 'wss://x', name: node.name, headers: [], metaSortKey: node.sortKey }, ext);
      }
    }
  };
  visit(tree, wrk);
}

function writeV5(file: string, tree: GenNode[]): void {
  const item = (node: GenNode): Record<string, unknown> => {
    const meta = { id: node.id, created: 1, modified: 1, sortKey: node.sortKey, description: '' };
    if (node.kind === 'folder') return { name: node.name, meta, children: node.children.map(item), scripts: { preRequest: '', afterResponse: '' } };
    if (node.kind === 'grpcRequest') return { url: 'grpcb.in:9000', name: node.name, meta, protoMethodName: '/a.B/C', reflectionApi: { enabled: false } };
    if (node.kind === 'websocketRequest') return { url: 'wss://x', name: node.name, meta, settings: { encodeUrl: true, followRedirects: 'global' } };
    return {
      url: `{{ _.base_url }}/${node.id}`,
      name: node.name,
      meta,
      method: 'POST',
      body: { mimeType: 'application/json', text: '{\n  "a": 1,\n  "b": [1, 2]\n}' },
      headers: [{ name: 'Accept', value: '*/*' }],
      scripts: { preRequest: '// - name: not an item\n', afterResponse: '' },
      settings: { renderRequestBody: true, encodeUrl: true, followRedirects: 'global', cookies: { send: true, store: true }, rebuildPath: true },
    };
  };
  const doc = {
    type: 'collection.insomnia.rest/5.0',
    schema_version: '5.1',
    name: 'Generated v5',
    meta: { id: 'wrk_generated_v5', created: 1, modified: 1, description: '' },
    collection: tree.map(item),
    environments: {
      name: 'Base Environment',
      meta: { id: 'env_base_v5', created: 1, modified: 1, isPrivate: false },
      data: { base_url: 'http://localhost' },
      subEnvironments: [0, 1, 2].map((i) => ({ name: `Sub ${i}`, meta: { id: `env_sub_v5_${i}`, sortKey: 3 - i }, data: { n: i } })),
    },
  };
  write(file, YAML.stringify(doc));
}

describe('scan: generated collections (a few hundred requests in nested folders)', () => {
  let root: string;
  const tree = generateTree();
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'hammock-gen-'));
    writeLegacy(path.join(root, 'legacy'), tree);
    writeV5(path.join(root, 'v5', 'generated.yaml'), tree);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const expectedCounts = { folders: 40, requests: 320, grpcRequests: 4, websocketRequests: 3, socketIORequests: 0, environments: 4 };

  function checkCollection(c: Collection): void {
    assert.deepEqual(c.problems, []);
    assert.deepEqual(countItems(c), expectedCounts);
    assert.deepEqual(shapeOf(c.children), expectedShape(tree));
    for (const item of walkItems(c.children)) {
      if (item.kind === 'folder') for (const child of item.children) assert.equal(child.parentId, item.id);
    }
    assert.deepEqual(c.baseEnvironment?.subEnvironments.map((e) => e.name), ['Sub 2', 'Sub 1', 'Sub 0']);
  }

  it('both formats load into the same tree, with exact counts', async () => {
    const snapshot = await loadWorkspace(root);
    assert.deepEqual(snapshot.problems, []);
    assert.deepEqual(snapshot.collections.map((c) => [c.name, c.format]), [['Generated legacy', 'legacy'], ['Generated v5', 'v5']]);
    for (const c of snapshot.collections) checkCollection(c);
    const [legacy, v5] = snapshot.collections;
    assert.deepEqual(shapeOf(legacy.children), shapeOf(v5.children));
  });

  it('legacy: every item\'s source is its own file, .json ones included', async () => {
    const c = (await loadLegacyFolder(path.join(root, 'legacy', '.insomnia'))).collections[0];
    const files = [...walkItems(c.children)].map((i) => i.source.file);
    assert.equal(new Set(files).size, files.length);
    assert.equal(files.filter((f) => f.endsWith('.json')).length, 37); // every 10th of 367 documents
    for (const item of walkItems(c.children)) assert.equal(path.basename(item.source.file).replace(/\.(yml|json)$/, ''), item.id);
  });

  it('v5: every item\'s line is its entry\'s `- ` line, and its yamlPath leads to it', async () => {
    const file = path.join(root, 'v5', 'generated.yaml');
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const doc = YAML.parse(text) as Record<string, unknown>;
    const c = (await loadCollectionFile(file)).collection!;
    checkCollection(c);
    for (const item of walkItems(c.children)) {
      let node: unknown = doc;
      for (const key of item.source.yamlPath) node = (node as Record<string | number, unknown>)[key];
      assert.equal((node as { meta: { id: string } }).meta.id, item.id);
      const line = lines[item.source.line];
      assert.match(line, /^ *- /, `${item.name} at ${item.source.line}`);
      const indent = line.indexOf('-');
      const entry = [line];
      for (let i = item.source.line + 1; i < lines.length && (lines[i].length - lines[i].trimStart().length > indent || lines[i].trim() === ''); i++) entry.push(lines[i]);
      assert.ok(entry.some((l) => l.trim() === `name: ${item.name}` || l.trim() === `- name: ${item.name}`), item.name);
    }
  });
});
