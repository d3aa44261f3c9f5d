// The legacy `.insomnia/` reader, on the real repositories in test/fixtures/legacy (read in place) and on temp
// copies the tests break on purpose.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { buildLegacyCollections, legacyScope, parseLegacyFile, type LegacyDocument } from '../../../src/collections/formats/legacy';
import {
  countItems,
  walkItems,
  type Collection,
  type Folder,
  type HttpRequest,
  type Item,
} from '../../../src/collections/model';
import { loadLegacyFolder } from '../../../src/collections/scan';

const FIXTURES = path.resolve(__dirname, '../../fixtures/legacy');
const fixture = (name: string) => path.join(FIXTURES, name, '.insomnia');

async function only(dir: string): Promise<Collection> {
  const result = await loadLegacyFolder(dir);
  assert.equal(result.collections.length, 1, 'one collection');
  assert.deepEqual(result.problems, []);
  return result.collections[0];
}

function counts(c: Collection) {
  const { folders, requests, grpcRequests, websocketRequests, socketIORequests, environments } = countItems(c);
  return { folders, requests, grpcRequests, websocketRequests, socketIORequests, environments };
}

const none = { grpcRequests: 0, websocketRequests: 0, socketIORequests: 0 };

function byName(items: readonly Item[], name: string): Item {
  const found = [...walkItems(items)].find((i) => i.name === name);
  assert.ok(found, `item ${name}`);
  return found;
}

describe('legacy reader: the fixture repositories', () => {
  it('kong-example-design: a design workspace, its spec, 5 requests at the top, base + sub environment', async () => {
    const c = await only(fixture('kong-example-design'));
    assert.equal(c.id, 'wrk_d58fc511fbf1495591e9939627cf4b9a');
    assert.equal(c.name, 'Endpoint Security 1.2');
    assert.equal(c.format, 'legacy');
    assert.equal(c.scope, 'design');
    assert.equal(c.path, fixture('kong-example-design'));
    assert.deepEqual(counts(c), { folders: 0, requests: 5, ...none, environments: 2 });
    assert.deepEqual(c.problems, []);
    // siblings by metaSortKey ascending: -1663682060582 < -1663680536013 < -1663679425489 < -1639600569156 < -1639600569140
    assert.deepEqual(c.children.map((i) => i.name), ['Test', 'New Request', 'Mockbin', '/key/header', '/all']);
    assert.equal(c.spec?.id, 'spc_5eb712667d224bad81878f64e08415ec');
    assert.equal(c.spec?.fileName, 'spec.yaml');
    // `contents: |-2`: the indentation indicator keeps two leading spaces on every line
    assert.ok(c.spec?.contents.startsWith("  openapi: '3.0.0'\n  info:\n    title: Endpoint Security\n"));
    const base = c.baseEnvironment!;
    assert.equal(base.id, 'env_7c2769239b7a889ba348c82883908cdf238ed89a');
    assert.equal(base.parentId, c.id);
    assert.deepEqual(base.data, { base_url: '{{ scheme }}://{{ host }}{{ base_path }}' });
    assert.deepEqual(base.subEnvironments.map((e) => [e.id, e.name, e.parentId]), [
      ['env_env_7c2769239b7a889ba348c82883908cdf238ed89a_sub', 'OpenAPI env', base.id],
    ]);
    assert.equal(base.subEnvironments[0].data.host, 'api.server.test');
  });

  it('kong-example-design: requests keep their fields, 10.x nulls become model defaults', async () => {
    const c = await only(fixture('kong-example-design'));
    const all = byName(c.children, '/all') as HttpRequest;
    assert.equal(all.kind, 'request');
    assert.equal(all.id, 'req_wrk_d58fc511fbf1495591e9939627cf4b9ae285189c');
    assert.equal(all.parentId, c.id);
    assert.equal(all.method, 'GET');
    assert.equal(all.url, '{{ base_url }}/all');
    assert.equal(all.sortKey, -1639600569140);
    assert.equal(all.created, 1639600569140);
    assert.deepEqual(all.parameters, [{ name: 'key', disabled: false, value: '{{ key }}' }]);
    assert.deepEqual(all.headers.map((h) => h.name), ['x-api_key', 'Cookie']);
    assert.deepEqual(all.authentication, { type: 'basic', username: '{{ httpUsername }}', password: '{{ httpPassword }}' });
    assert.deepEqual(all.pathParameters, []); // `pathParameters: null`
    assert.deepEqual(all.scripts, { preRequest: '', afterResponse: '' }); // `preRequestScript: null`
    assert.deepEqual(all.body, {});
    assert.deepEqual(all.settings, {
      renderRequestBody: true,
      encodeUrl: true,
      followRedirects: 'global',
      sendCookies: true,
      storeCookies: true,
      rebuildPath: true,
    });
    const file = path.join(fixture('kong-example-design'), 'Request', 'req_wrk_d58fc511fbf1495591e9939627cf4b9ae285189c.yml');
    assert.deepEqual(all.source, { file, yamlPath: [], line: 0 });
    assert.deepEqual(c.source, { file: path.join(fixture('kong-example-design'), 'Workspace', `${c.id}.yml`), yamlPath: [], line: 0 });
  });

  it('minimal-collection: a collection workspace with only a base environment', async () => {
    const c = await only(fixture('minimal-collection'));
    assert.equal(c.name, 'My Collection');
    assert.equal(c.scope, 'collection');
    assert.deepEqual(counts(c), { folders: 0, requests: 0, ...none, environments: 1 });
    assert.equal(c.baseEnvironment?.name, 'Base Environment');
    assert.deepEqual(c.baseEnvironment?.subEnvironments, []);
    assert.equal(c.spec, undefined);
  });

  it('kong-demo-with-tests: a folder of 5 requests, 4 sub-environments; unit tests read without a problem', async () => {
    const c = await only(fixture('kong-demo-with-tests'));
    assert.equal(c.name, 'kong-insomnia-demo.git');
    assert.equal(c.scope, 'design');
    assert.deepEqual(counts(c), { folders: 1, requests: 5, ...none, environments: 5 });
    assert.deepEqual(c.problems, []);
    const folder = c.children[0] as Folder;
    assert.equal(folder.kind, 'folder');
    assert.equal(folder.name, 'Transactions');
    assert.equal(folder.description, 'Everything about transactions');
    assert.deepEqual(folder.authentication, {}); // `authentication: null`
    assert.deepEqual(folder.headers, []); // `headers: null`
    assert.deepEqual(folder.environment, {});
    assert.ok(folder.children.every((r) => r.parentId === folder.id));
    // -1741210902631 (two, file order kept) then -1741210902632 (three)
    assert.deepEqual(folder.children.map((r) => r.sortKey), [-1741210902632, -1741210902632, -1741210902632, -1741210902631, -1741210902631]);
    const create = byName(c.children, 'Create new transaction') as HttpRequest;
    assert.equal(create.method, 'POST');
    assert.equal(create.body.mimeType, 'application/json');
    assert.match(create.body.text ?? '', /"subject": "Invoice #42-08\/15"/);
    assert.deepEqual(create.authentication, { type: 'apikey', key: 'apikey', value: '{{ _.apikey }}', addTo: 'header' });
    const base = c.baseEnvironment!;
    assert.equal(base.id, 'env_eeffcb9184b1ab85e651a6e3be6fee9c32521ebe');
    // sub-environments by metaSortKey
    assert.deepEqual(base.subEnvironments.map((e) => e.id), [
      'env_038c957f9f1749c8bc57927d9655f4b4',
      'env_a8fdf12ccec04ab0b66b707ca924ee1e',
      'env_1932d37308734a58b8355c5ca5e95b9d',
      'env_531dc10114a346bab29a0db4e98a3592',
    ]);
    assert.equal(c.spec?.fileName, 'InsomniaDemo');
  });

  it('inso-fixture-alphabetical: keys in any order, old `scope: spec`, a request in a folder and one at the top', async () => {
    const c = await only(fixture('inso-fixture-alphabetical'));
    assert.equal(c.name, 'Sample Spec 1.2');
    assert.equal(c.scope, 'design'); // `scope: spec`
    assert.deepEqual(counts(c), { folders: 1, requests: 2, ...none, environments: 2 });
    // Folder (-1593669324883) before /override (-1593669324879)
    assert.deepEqual(c.children.map((i) => [i.kind, i.name]), [['folder', 'Folder'], ['request', '/override']]);
    const folder = c.children[0] as Folder;
    assert.deepEqual(folder.children.map((i) => [i.name, i.parentId]), [['/global', 'fld_wrk_012d4860c7da418a85ffea7406e1292a30baa249']]);
    assert.equal(c.children[1].parentId, c.id);
    assert.equal(c.baseEnvironment?.subEnvironments[0].name, 'OpenAPI env');
  });

  it('inso-fixture-malformed-spec: a malformed OpenAPI text is the spec\'s content, not a problem of the file', async () => {
    // The ApiSpec file is valid YAML; its `contents` is a string holding an OpenAPI document with a bad indentation.
    // Insomnia stores such work in progress as is, so the reader keeps it verbatim and reports nothing: a linter of
    // the spec, not the collection reader, is where that belongs (and `hammock check` must not fail a valid repo).
    const c = await only(fixture('inso-fixture-malformed-spec'));
    assert.equal(c.name, 'Global Security 1.2');
    assert.deepEqual(counts(c), { folders: 1, requests: 2, ...none, environments: 2 });
    assert.deepEqual(c.problems, []);
    const contents = c.spec!.contents;
    assert.ok(contents.startsWith("openapi: '3.0.2'\ninfo:\n  title: Global Security\n"));
    assert.throws(() => load(contents), /bad indentation/);
  });
});

describe('legacy reader: broken and unusual folders (temp copies)', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'hammock-legacy-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  function copy(name: string): string {
    const dir = path.join(tmp, name, '.insomnia');
    cpSync(fixture(name), dir, { recursive: true });
    return dir;
  }

  function write(dir: string, rel: string, text: string): string {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  }

  it('a file that is not YAML is an error problem at its line and column; everything else loads', async () => {
    const dir = copy('kong-demo-with-tests');
    const file = write(dir, 'Request/req_broken.yml', '_id: req_broken\ntype: Request\nparentId: wrk_03837bb6835248c580142b800330c851\nname: "unclosed\nurl: x\n');
    const result = await loadLegacyFolder(dir);
    assert.equal(result.collections.length, 1);
    const c = result.collections[0];
    assert.deepEqual(counts(c), { folders: 1, requests: 5, ...none, environments: 5 });
    assert.equal(c.problems.length, 1);
    const p = c.problems[0];
    assert.equal(p.file, file);
    assert.equal(p.severity, 'error');
    assert.match(p.message, /^Invalid YAML/);
    // js-yaml stops where the quoted scalar meets the end of the stream (line 6 of 6, 0-based 5)
    assert.equal(p.line, 5);
    assert.equal(p.column, 0);
  });

  it('a bad indentation is reported at the line js-yaml points to', async () => {
    const dir = copy('minimal-collection');
    const file = write(dir, 'Request/req_x.yml', '_id: req_x\ntype: Request\n  name: bad\n');
    const c = (await loadLegacyFolder(dir)).collections[0];
    assert.deepEqual(c.problems.map((p) => [p.file, p.line, p.severity]), [[file, 2, 'error']]);
    assert.equal(c.baseEnvironment?.name, 'Base Environment');
  });

  it('a document without `_id`/`type`, or not a mapping, is an error problem', async () => {
    const dir = copy('minimal-collection');
    write(dir, 'Request/req_a.yml', 'name: no id\n');
    write(dir, 'Request/req_b.yml', '- a list\n');
    write(dir, 'Request/req_c.yml', '_id: req_c\n');
    const c = (await loadLegacyFolder(dir)).collections[0];
    assert.deepEqual(
      c.problems.map((p) => [path.basename(p.file), p.severity, p.message]),
      [
        ['req_a.yml', 'error', 'Not an Insomnia document: no `_id` and `type`'],
        ['req_b.yml', 'error', 'Not an Insomnia document: expected a mapping with `_id` and `type`'],
        ['req_c.yml', 'error', 'Not an Insomnia document: no `type`'],
      ],
    );
  });

  it('reads `.json` and `.yaml` files next to `.yml` ones, and accepts any id string', async () => {
    const dir = copy('minimal-collection');
    const wrk = 'wrk_a8f11e6f2aaa44329e709428b4af820e';
    write(dir, 'RequestGroup/fld_poc.json', JSON.stringify({ _id: 'fld_poc', type: 'RequestGroup', parentId: wrk, name: 'JSON folder', metaSortKey: 1 }));
    write(dir, 'Request/req 1.json', JSON.stringify({ _id: 'req 1', type: 'Request', parentId: 'fld_poc', name: 'from json', method: 'PUT', url: 'http://x' }));
    write(dir, 'Request/my-own-id.yaml', `_id: my-own-id\ntype: Request\nparentId: ${wrk}\nname: from yaml\nmetaSortKey: 2\n`);
    const c = (await loadLegacyFolder(dir)).collections[0];
    assert.deepEqual(c.problems, []);
    assert.deepEqual(counts(c), { folders: 1, requests: 2, ...none, environments: 1 });
    assert.deepEqual(c.children.map((i) => i.name), ['JSON folder', 'from yaml']);
    const json = (c.children[0] as Folder).children[0] as HttpRequest;
    assert.deepEqual([json.id, json.method, json.url], ['req 1', 'PUT', 'http://x']);
  });

  it('a broken `.json` file is reported with the line and column of the error', async () => {
    const dir = copy('minimal-collection');
    write(dir, 'Request/req_j.json', '{\n  "_id": "req_j",\n  "type": "Request",,\n}\n');
    const c = (await loadLegacyFolder(dir)).collections[0];
    assert.equal(c.problems.length, 1);
    assert.equal(c.problems[0].severity, 'error');
    assert.equal(c.problems[0].line, 2);
  });

  it('reads every 10.x type folder; gRPC and WebSocket requests are shown, the other types are read and left out', async () => {
    const dir = copy('minimal-collection');
    const wrk = 'wrk_a8f11e6f2aaa44329e709428b4af820e';
    const doc = (type: string, id: string, parentId: string, extra = '') =>
      write(dir, `${type}/${id}.yml`, `_id: ${id}\ntype: ${type}\nparentId: ${parentId}\nname: ${id}\n${extra}`);
    doc('GrpcRequest', 'greq_1', wrk, 'url: grpcb.in:9000\nprotoMethodName: /addsvc.Add/Sum\nmetadata:\n  - name: X-ID\n    value: "1"\n');
    doc('WebSocketRequest', 'ws-req_1', wrk, 'url: wss://example.com\nheaders: []\n');
    doc('WebSocketPayload', 'ws-payload_1', 'ws-req_1', 'value: "{}"\nmode: application/json\n');
    doc('ProtoDirectory', 'pd_1', wrk);
    doc('ProtoFile', 'pf_1', 'pd_1', 'protoText: syntax = "proto3";\n');
    doc('UnitTestSuite', 'uts_1', wrk);
    doc('UnitTest', 'ut_1', 'uts_1', 'code: expect(1).to.equal(1)\nrequestId: null\n');
    doc('MockServer', 'mock_1', wrk, 'url: http://mock\nuseInsomniaCloud: false\n');
    doc('MockRoute', 'mock-route_1', 'mock_1', 'body: ok\nstatusCode: 200\nmethod: GET\n');
    doc('ApiSpec', 'spc_1', wrk, 'fileName: api.yaml\ncontentType: yaml\ncontents: "openapi: 3.0.0"\n');
    const c = (await loadLegacyFolder(dir)).collections[0];
    assert.deepEqual(c.problems, []);
    assert.deepEqual(counts(c), { folders: 0, requests: 0, grpcRequests: 1, websocketRequests: 1, socketIORequests: 0, environments: 1 });
    const grpc = c.children.find((i) => i.kind === 'grpcRequest');
    assert.ok(grpc && grpc.kind === 'grpcRequest');
    assert.equal(grpc.protoMethodName, '/addsvc.Add/Sum');
    assert.deepEqual(grpc.metadata, [{ name: 'X-ID', value: '1' }]);
    assert.deepEqual(c.spec && [c.spec.id, c.spec.fileName, c.spec.contents], ['spc_1', 'api.yaml', 'openapi: 3.0.0']);
  });

  it('trusts the `type` key over the folder, with a warning', async () => {
    const dir = copy('minimal-collection');
    const file = write(dir, 'Request/fld_x.yml', '_id: fld_x\ntype: RequestGroup\nparentId: wrk_a8f11e6f2aaa44329e709428b4af820e\nname: misfiled\n');
    const c = (await loadLegacyFolder(dir)).collections[0];
    assert.deepEqual(c.children.map((i) => [i.kind, i.name]), [['folder', 'misfiled']]);
    assert.deepEqual(c.problems.map((p) => [p.file, p.severity]), [[file, 'warning']]);
    assert.match(c.problems[0].message, /type RequestGroup is in the Request folder/);
  });

  it('missing fields get the model defaults', async () => {
    const dir = copy('minimal-collection');
    write(dir, 'Request/req_bare.yml', '_id: req_bare\ntype: Request\nparentId: wrk_a8f11e6f2aaa44329e709428b4af820e\n');
    write(dir, 'RequestGroup/fld_bare.yml', '_id: fld_bare\ntype: RequestGroup\nparentId: wrk_a8f11e6f2aaa44329e709428b4af820e\ncreated: 5\n');
    const c = (await loadLegacyFolder(dir)).collections[0];
    assert.deepEqual(c.problems, []);
    const req = byName(c.children, 'New Request') as HttpRequest;
    assert.deepEqual(
      { method: req.method, url: req.url, description: req.description, sortKey: req.sortKey, headers: req.headers, body: req.body },
      { method: 'GET', url: '', description: '', sortKey: 0, headers: [], body: {} },
    );
    assert.deepEqual(req.settings, { renderRequestBody: true, encodeUrl: true, followRedirects: 'global', sendCookies: true, storeCookies: true, rebuildPath: true });
    const folder = byName(c.children, 'New Folder') as Folder;
    assert.equal(folder.sortKey, -5); // -created, Insomnia's default metaSortKey
    assert.deepEqual([folder.environment, folder.headers, folder.authentication], [{}, [], {}]);
  });

  it('an item whose parent is missing is shown at the top of the workspace with a warning', async () => {
    const dir = copy('minimal-collection');
    const file = write(dir, 'Request/req_orphan.yml', '_id: req_orphan\ntype: Request\nparentId: fld_gone\nname: orphan\n');
    const c = (await loadLegacyFolder(dir)).collections[0];
    assert.deepEqual(c.children.map((i) => [i.name, i.parentId]), [['orphan', c.id]]);
    assert.deepEqual(c.problems.map((p) => [p.file, p.severity]), [[file, 'warning']]);
    assert.match(c.problems[0].message, /Parent fld_gone not found/);
  });

  it('folders whose parentIds make a cycle are shown at the top, and the tree stays finite', async () => {
    const dir = copy('minimal-collection');
    write(dir, 'RequestGroup/fld_a.yml', '_id: fld_a\ntype: RequestGroup\nparentId: fld_b\nname: A\n');
    write(dir, 'RequestGroup/fld_b.yml', '_id: fld_b\ntype: RequestGroup\nparentId: fld_a\nname: B\n');
    write(dir, 'Request/req_in_b.yml', '_id: req_in_b\ntype: Request\nparentId: fld_b\nname: in B\n');
    const c = (await loadLegacyFolder(dir)).collections[0];
    const all = [...walkItems(c.children)];
    assert.deepEqual(all.map((i) => i.name).sort(), ['A', 'B', 'in B']);
    assert.equal(c.children.length, 1);
    assert.equal(c.children[0].parentId, c.id);
    assert.equal(c.problems.length, 1);
    assert.match(c.problems[0].message, /in a cycle of parentIds/);
    assert.equal(byName(c.children, 'in B').parentId, 'fld_b'); // below the cycle: keeps its place
  });

  it('a folder holding two workspaces yields both collections, each with a warning', async () => {
    const dir = copy('kong-demo-with-tests');
    cpSync(fixture('minimal-collection'), dir, { recursive: true });
    const result = await loadLegacyFolder(dir);
    assert.deepEqual(result.collections.map((c) => c.name), ['kong-insomnia-demo.git', 'My Collection']);
    const [demo, minimal] = result.collections;
    assert.deepEqual(counts(demo), { folders: 1, requests: 5, ...none, environments: 5 });
    assert.deepEqual(counts(minimal), { folders: 0, requests: 0, ...none, environments: 1 });
    for (const c of result.collections) {
      assert.equal(c.path, dir);
      assert.equal(c.problems.length, 1);
      assert.equal(c.problems[0].severity, 'warning');
      assert.match(c.problems[0].message, /holds 2 workspaces/);
    }
    assert.deepEqual(result.problems, []);
  });

  it('a folder without a Workspace document is an error problem of the folder', async () => {
    const dir = copy('kong-demo-with-tests');
    rmSync(path.join(dir, 'Workspace'), { recursive: true });
    const result = await loadLegacyFolder(dir);
    assert.deepEqual(result.collections, []);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].file, dir);
    assert.equal(result.problems[0].severity, 'error');
  });

  it('with several base environments the one with Insomnia\'s deterministic id is used', async () => {
    const dir = copy('kong-example-design');
    const wrk = 'wrk_d58fc511fbf1495591e9939627cf4b9a';
    write(dir, 'Environment/env_older.yml', `_id: env_older\ntype: Environment\nparentId: ${wrk}\nname: Older base\ncreated: 1\ndata: {}\n`);
    const c = (await loadLegacyFolder(dir)).collections[0];
    assert.equal(c.baseEnvironment?.id, 'env_7c2769239b7a889ba348c82883908cdf238ed89a');
    assert.equal(c.problems.length, 1);
    assert.match(c.problems[0].message, /Second base environment/);
  });

  it('an unknown document type is read and left out with a warning', async () => {
    const dir = copy('minimal-collection');
    write(dir, 'CookieJar/jar_1.yml', '_id: jar_1\ntype: CookieJar\nparentId: wrk_a8f11e6f2aaa44329e709428b4af820e\n');
    const c = (await loadLegacyFolder(dir)).collections[0];
    assert.equal(c.problems.length, 1);
    assert.match(c.problems[0].message, /Unknown document type CookieJar/);
  });
});

describe('legacy reader: pure functions', () => {
  it('parseLegacyFile + buildLegacyCollections build the same tree as the folder loader', () => {
    const dir = fixture('inso-fixture-alphabetical');
    const docs: LegacyDocument[] = [];
    for (const [folder, name] of [
      ['Workspace', 'wrk_012d4860c7da418a85ffea7406e1292a.yml'],
      ['RequestGroup', 'fld_wrk_012d4860c7da418a85ffea7406e1292a30baa249.yml'],
      ['Request', 'req_wrk_012d4860c7da418a85ffea7406e1292a21946b60.yml'],
    ]) {
      const file = path.join(dir, folder, name);
      const parsed = parseLegacyFile(file, folder, readFileSync(file, 'utf8'));
      assert.ok('document' in parsed);
      docs.push(parsed.document);
    }
    const { collections, problems } = buildLegacyCollections(dir, docs);
    assert.deepEqual(problems, []);
    assert.deepEqual([...walkItems(collections[0].children)].map((i) => i.name), ['Folder', '/global']);
  });

  it('legacyScope maps old names', () => {
    assert.deepEqual(['design', 'spec', 'designer', 'collection', null, 'mock-server', 'environment', 'odd'].map(legacyScope), [
      'design', 'design', 'design', 'collection', 'collection', 'mock-server', 'environment', 'collection',
    ]);
  });
});

describe('legacy reader: gRPC reflectionApi and mock servers', () => {
  const doc = (file: string, text: string): LegacyDocument => {
    const parsed = parseLegacyFile(`/r/.insomnia/${file}`, file.split('/')[0], text);
    assert.ok('document' in parsed);
    return parsed.document;
  };
  it('a gRPC document without reflectionApi gets Insomnia 10`s GrpcRequest.init() one; a mock server its routes in creation order', () => {
    const { collections } = buildLegacyCollections('/r/.insomnia', [
      doc('Workspace/wrk_1.yml', '_id: wrk_1\ntype: Workspace\nname: W\nscope: mock-server\n'),
      doc('GrpcRequest/greq_1.yml', '_id: greq_1\ntype: GrpcRequest\nparentId: wrk_1\nname: G\n'),
      doc('MockServer/mock_1.yml', '_id: mock_1\ntype: MockServer\nparentId: wrk_1\nurl: http://m\nuseInsomniaCloud: false\n'),
      doc('MockRoute/mock-route_b.yml', '_id: mock-route_b\ntype: MockRoute\nparentId: mock_1\ncreated: 2\nname: /b\n'),
      doc('MockRoute/mock-route_a.yml', '_id: mock-route_a\ntype: MockRoute\nparentId: mock_1\ncreated: 1\nname: /a\nstatusCode: 418\n'),
    ]);
    const [c] = collections;
    const g = c.children[0];
    assert.ok(g.kind === 'grpcRequest');
    assert.deepEqual(g.reflectionApi, { enabled: false, url: 'https://buf.build', apiKey: '', module: 'buf.build/connectrpc/eliza' });
    assert.deepEqual(c.mockServer?.routes.map((r) => [r.name, r.statusCode, r.method, r.mimeType]), [
      ['/a', 418, 'GET', 'application/json'],
      ['/b', 200, 'GET', 'application/json'],
    ]);
    assert.deepEqual(c.problems, []);
  });
});
