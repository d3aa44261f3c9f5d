// The Insomnia v5 reader, on the real files in test/fixtures/v5 (read in place) and on texts the tests write.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isV5Text, parseV5File, v5ItemKind } from '../../../src/collections/formats/v5';
import {
  countItems,
  walkItems,
  type Collection,
  type Folder,
  type GrpcRequest,
  type HttpRequest,
  type Item,
} from '../../../src/collections/model';
import { loadCollectionFile } from '../../../src/collections/scan';

const FIXTURES = path.resolve(__dirname, '../../fixtures/v5');
const kong = (name: string) => path.join(FIXTURES, 'kong-example', name);
const upstream = (name: string) => path.join(FIXTURES, 'upstream-roundtrip', name);

async function collectionOf(file: string): Promise<Collection> {
  const result = await loadCollectionFile(file);
  assert.equal(result.insomnia, true);
  assert.deepEqual(result.problems, []);
  assert.ok(result.collection);
  assert.deepEqual(result.collection.problems, []);
  return result.collection;
}

function parse(text: string, file = '/virtual/test.yaml'): Collection {
  const result = parseV5File(file, text);
  assert.ok(result.collection, JSON.stringify(result.problems));
  return result.collection;
}

function counts(c: Collection) {
  const { folders, requests, grpcRequests, websocketRequests, socketIORequests, environments } = countItems(c);
  return { folders, requests, grpcRequests, websocketRequests, socketIORequests, environments };
}

function byName(items: readonly Item[], name: string): Item {
  const found = [...walkItems(items)].find((i) => i.name === name);
  assert.ok(found, `item ${name}`);
  return found;
}

/** Every item's `source.line` is the `- ` line its entry starts on, and its name is in that entry. */
function assertLines(c: Collection, text: string): void {
  const lines = text.split('\n');
  for (const item of walkItems(c.children)) {
    const first = lines[item.source.line];
    const m = /^( *)- /.exec(first);
    assert.ok(m, `${item.name}: line ${item.source.line} is not an entry: ${first}`);
    const indent = m[1].length;
    const entry = [first];
    for (let i = item.source.line + 1; i < lines.length; i++) {
      const l = lines[i];
      if (l.trim() !== '' && l.length - l.trimStart().length <= indent) break;
      entry.push(l);
    }
    assert.ok(
      entry.some((l) => l.includes(`name: ${item.name}`) || l.includes(`name: "${item.name}"`)),
      `${item.name}: no \`name: ${item.name}\` in the entry at line ${item.source.line}`,
    );
  }
}

const none = { folders: 0, requests: 0, grpcRequests: 0, websocketRequests: 0, socketIORequests: 0 };

describe('v5 reader: the fixture files', () => {
  const cases: [string, string, string, Collection['scope'], ReturnType<typeof counts>][] = [
    [kong('my_collection.yaml'), 'wrk_748444a1bf7c45b28539ac9e47efcf06', '11.3.0', 'collection', { ...none, requests: 1, environments: 1 }],
    [kong('11_4_curry.yaml'), 'wrk_f468406350e948f4b2acca90291d9fb8', '11.4-curry', 'collection', { ...none, folders: 1, requests: 2, environments: 1 }],
    [kong('11_6_2.yaml'), 'wrk_1d1a7a62face4f8c81d7bab8c6c33ee4', '11.6.2', 'collection', { ...none, requests: 2, socketIORequests: 1, environments: 2 }],
    [kong('12_1_0.yaml'), 'wrk_bc6ff65e980340159eb60b595d81c5fc', '12.1.0', 'collection', { ...none, folders: 1, requests: 1, environments: 1 }],
    [
      kong('Created in ⍺-d9ea29a, modified outside Insomnia-wrk_8636da9fd479473fa737e7cad18723a4.yaml'),
      'wrk_8636da9fd479473fa737e7cad18723a4',
      'Created in ⍺-d9ea29a, modified outside Insomnia',
      'collection',
      { ...none, requests: 2, environments: 1 },
    ],
    [kong('collection_after_renaming_3.yaml'), 'wrk_b258eed5873f402f9ec7c245889ea784', 'Renamed Collection', 'collection', { ...none, environments: 1 }],
    [kong('everything.yaml'), 'wrk_ec5b78172b4b401e990e1f05bd0279ef', 'Everything', 'collection', { folders: 5, requests: 2, grpcRequests: 1, websocketRequests: 1, socketIORequests: 0, environments: 2 }],
    [kong('insomnia.wrk_d58fc511fbf1495591e9939627cf4b9a.yaml'), 'wrk_d58fc511fbf1495591e9939627cf4b9a', 'Endpoint Security 1.2', 'design', { ...none, requests: 5, environments: 2 }],
    [
      kong('mega_platform_api_2025-10-13-wrk_e0aee07f559f4f5594025d0b27a783f0.yaml'),
      'wrk_e0aee07f559f4f5594025d0b27a783f0',
      'Mega Platform API 2025-10-13 - 11.6.2',
      'design',
      { ...none, environments: 1 },
    ],
    [kong('my_collectionjp.yaml'), 'wrk_52365e845d704261911e7a0af88572ff', 'Jack - Pavlos', 'collection', { ...none, requests: 1, environments: 1 }],
    [kong('my_design_document.yaml'), 'wrk_90001ac1618747fca7b43ced47fbe37a', "Wei's Design Document", 'design', { ...none, environments: 1 }],
    [upstream('security_collection.yaml'), 'wrk_b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7', 'Security & Testing', 'design', { ...none, folders: 3, requests: 6, environments: 3 }],
    [upstream('dev_environment.yaml'), 'wrk_dafaad8e1d184b94918ec2438823437a', 'Dev Environment', 'environment', { ...none, environments: 1 }],
    [upstream('staging_environment.yaml'), 'wrk_ecddfb22aa874848b5c074758e70bbd3', 'Staging Environment', 'environment', { ...none, environments: 1 }],
    [upstream('mcp_flights.yaml'), 'wrk_0d459dfea8494d02b93b16df8ed958de', 'Insomnia Airlines MCP', 'mcp', { ...none, environments: 1 }],
  ];
  for (const [file, id, name, scope, expected] of cases) {
    it(`${path.basename(file)}: ${name}, ${scope}, counts`, async () => {
      const c = await collectionOf(file);
      assert.equal(c.id, id);
      assert.equal(c.name, name);
      assert.equal(c.scope, scope);
      assert.equal(c.format, 'v5');
      assert.equal(c.path, file);
      assert.deepEqual(c.source, { file, yamlPath: [], line: 0 });
      assert.deepEqual(counts(c), expected);
      assertLines(c, readFileSync(file, 'utf8'));
    });
  }

  it('spec.yaml (a broken OpenAPI file, not Insomnia) is ignored without a problem', async () => {
    assert.deepEqual(await loadCollectionFile(kong('spec.yaml')), { insomnia: false, problems: [] });
  });

  it('everything.yaml: nested folders, yamlPath and line of every item, siblings by sortKey', async () => {
    const file = kong('everything.yaml');
    const c = await collectionOf(file);
    const rows = [...walkItems(c.children)].map((i) => [i.kind, i.name, i.source.yamlPath.join('.'), i.source.line]);
    // top level by sortKey: FolderTree -1761833935913, gRPC -1761833875153, User -1761833477916
    assert.deepEqual(rows, [
      ['folder', 'FolderTree', 'collection.2', 179],
      ['folder', 'Sub1', 'collection.2.children.0', 187],
      ['folder', 'Sub2', 'collection.2.children.0.children.0', 195],
      ['websocketRequest', 'chat', 'collection.2.children.0.children.0.children.0', 203],
      ['folder', 'gRPC', 'collection.1', 138],
      ['grpcRequest', 'New Request', 'collection.1.children.0', 146],
      ['folder', 'User', 'collection.0', 8],
      ['request', 'login', 'collection.0.children.0', 16],
      ['request', 'subscribe', 'collection.0.children.1', 86],
    ]);
    for (const item of walkItems(c.children)) assert.equal(item.source.file, file);
    const sub2 = byName(c.children, 'Sub2') as Folder;
    assert.equal(sub2.parentId, 'fld_abc04f932b5a4eaf8bd6e770f3750ce3');
    assert.equal(sub2.children[0].parentId, sub2.id);
    assert.equal(byName(c.children, 'User').parentId, c.id);
  });

  it('everything.yaml: request, folder, gRPC and WebSocket fields map to the model', async () => {
    const c = await collectionOf(kong('everything.yaml'));
    const login = byName(c.children, 'login') as HttpRequest;
    assert.equal(login.id, 'req_4a718571131347b6bf7c1960ac0aa461');
    assert.equal(login.method, 'POST');
    assert.equal(login.url, '{{ _.base_url }}/user/login');
    assert.equal(login.description, '# The best login API ever\n\nThis is it');
    assert.equal(login.sortKey, -1761833482057);
    assert.equal(login.created, 1761833482057);
    assert.equal(login.modified, 1761833710936);
    assert.equal(login.body.mimeType, 'multipart/form-data');
    assert.deepEqual(login.body.params?.map((p) => [p.name, p.type ?? '', p.multiline ?? '']), [
      ['username', '', ''],
      ['password', 'text', false],
      ['user_metadata', 'text', true],
      ['user_image', 'file', ''],
    ]);
    assert.equal(login.body.params?.[3].fileName, '/Users/james.gatz@konghq.com/Downloads/konger.png');
    assert.deepEqual(login.headers.map((h) => `${h.name}: ${h.value}`), [
      'Content-Type: multipart/form-data',
      'User-Agent: insomnia/11.4.0',
      'X-User-CEO: true',
      'X-Request-ID: 123456',
    ]);
    assert.deepEqual(login.authentication, { type: 'bearer', token: 'test_token', prefix: 'pre' });
    assert.deepEqual(login.scripts, {
      preRequest: "console.log(insomnia.environment.has('foo'))",
      afterResponse: "console.log(insomnia.environment.get('foo'))",
    });
    assert.deepEqual(login.settings, { renderRequestBody: true, encodeUrl: true, followRedirects: 'global', sendCookies: true, storeCookies: true, rebuildPath: true });
    const subscribe = byName(c.children, 'subscribe') as HttpRequest;
    assert.deepEqual(subscribe.parameters.map((p) => [p.name, p.value, p.disabled]), [['isTrue', 'true', false], ['isFalse', 'false', false]]);
    assert.equal(subscribe.authentication.type, 'oauth2');

    const grpc = byName(c.children, 'New Request') as GrpcRequest;
    assert.equal(grpc.kind, 'grpcRequest');
    assert.equal(grpc.url, 'grpcb.in:9000');
    assert.equal(grpc.protoMethodName, '/addsvc.Add/Sum');
    assert.equal(grpc.protoFileId, '');
    assert.equal(grpc.body.text, '{\n\t"test": 1\n}');
    assert.deepEqual(grpc.metadata.map((m) => m.name), ['X-ID', 'X-Name']);

    const sub1 = byName(c.children, 'Sub1') as Folder;
    assert.deepEqual(sub1.authentication, { type: 'apikey', key: 'my_key', value: 'test', disabled: false, addTo: 'header' });
    assert.deepEqual(sub1.headers, [{ name: '123', value: '321' }]);
    assert.deepEqual(sub1.scripts, { preRequest: '', afterResponse: '' });

    const chat = byName(c.children, 'chat');
    assert.ok(chat.kind === 'websocketRequest');
    assert.equal(chat.url, 'wss://example.com/chat');
    assert.deepEqual(chat.headers, [{ name: 'User-Agent', value: 'insomnia/11.4.0' }]);
  });

  it('everything.yaml: environments is one base environment with sub-environments, each with its yamlPath and line', async () => {
    const file = kong('everything.yaml');
    const c = await collectionOf(file);
    const base = c.baseEnvironment!;
    assert.equal(base.id, 'env_b3fd75c528f62903247fadde8d068814836bd14e');
    assert.equal(base.name, 'Base Environment');
    assert.equal(base.parentId, c.id);
    assert.deepEqual(base.data, {});
    assert.equal(base.isPrivate, false);
    assert.deepEqual(base.source, { file, yamlPath: ['environments'], line: 280 });
    assert.deepEqual(base.subEnvironments.map((e) => [e.id, e.name, e.parentId, e.sortKey, e.data, e.source]), [
      ['env_576b47fd1dd34ae9958b41535beb6061', 'New Environment', base.id, 1761833497633, { base_url: 'localhost:3000' }, { file, yamlPath: ['environments', 'subEnvironments', 0], line: 288 }],
    ]);
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines[280], 'environments:');
    assert.equal(lines[288], '    - name: New Environment');
  });

  it('11_6_2.yaml: a Socket.IO request; top-level siblings by sortKey, not file order', async () => {
    const c = await collectionOf(kong('11_6_2.yaml'));
    assert.deepEqual(c.children.map((i) => [i.kind, i.name, i.source.yamlPath.join('.')]), [
      ['socketIORequest', 'New Socket.IO Request', 'collection.2'], // -1761211376961
      ['request', 'New Request', 'collection.0'], // -1761126890489
      ['request', 'New Disabled Header', 'collection.1'], // -1761126020580
    ]);
    const sio = c.children[0];
    assert.ok(sio.kind === 'socketIORequest');
    assert.equal(sio.url, 'wss://ws.ifelse.io/');
    const sub = c.baseEnvironment!.subEnvironments[0];
    assert.equal(sub.color, '#f50f0f');
    assert.deepEqual(sub.data, { 'env-key': 'env-name', 'var-env': "{% os 'arch', '' %}" });
    assert.deepEqual(c.baseEnvironment!.data, { 'env-key': 'env-value' });
  });

  it('12_1_0.yaml (schema 5.1): a folder with no children key is a folder; parameters without ids', async () => {
    const c = await collectionOf(kong('12_1_0.yaml'));
    const folder = byName(c.children, 'Pavlos') as Folder;
    assert.equal(folder.kind, 'folder');
    assert.deepEqual(folder.children, []);
    const req = byName(c.children, 'pavlos') as HttpRequest;
    assert.deepEqual(req.parameters, [
      { name: 'foo', value: 'bar', disabled: false },
      { name: 'foo', value: 'bar2', disabled: true },
      { name: 'foo', value: 'bar3', disabled: false },
    ]);
    assert.equal(req.headers[0].description, 'desc 123');
  });

  it('security_collection.yaml: folder environment, spec contents as YAML text (no Date for timestamps)', async () => {
    const file = upstream('security_collection.yaml');
    const c = await collectionOf(file);
    const inheritance = byName(c.children, 'inheritance') as Folder;
    assert.deepEqual(inheritance.environment, { inherited_value: 'from-folder' });
    const test = byName(c.children, 'test') as Folder;
    assert.deepEqual(test.children.map((i) => i.name), ['Get extra data.', 'Massive Response', 'Delayed response.', 'Delayed response with prompt']);
    assert.match(test.scripts.preRequest, /^\/\*if \(!insomnia\.globals/);
    const spec = c.spec!;
    assert.equal(spec.id, 'spc_e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6');
    assert.deepEqual(spec.source, { file, yamlPath: ['spec'], line: 325 });
    assert.equal(readFileSync(file, 'utf8').split('\n')[325], 'spec:');
    assert.ok(spec.contents.startsWith('openapi: 3.0.4\ninfo:\n  title: Insomnia Airlines — Security & Testing API\n'));
    assert.match(spec.contents, /\n +issuedAt: 2026-05-25T10:00:00Z\n/);
    // the contents survive JSON (the webview and the spec document provider get it that way)
    assert.equal(JSON.parse(JSON.stringify(spec)).contents, spec.contents);
    assert.deepEqual(c.baseEnvironment!.subEnvironments.map((e) => [e.name, e.source.line]), [
      ['Shared Child Collection Env', 308],
      ['Empty Env', 318],
    ]);
  });

  it('mega_platform_api: an unquoted date in the spec stays text', async () => {
    const c = await collectionOf(kong('mega_platform_api_2025-10-13-wrk_e0aee07f559f4f5594025d0b27a783f0.yaml'));
    assert.match(c.spec!.contents, /^openapi: 3\.1\.0\ninfo:\n  title: Mega Platform API\n  version: 2025-10-13\n/);
  });

  it('dev_environment.yaml: an environment workspace is one base environment', async () => {
    const c = await collectionOf(upstream('dev_environment.yaml'));
    assert.equal(c.baseEnvironment?.name, 'Dev');
    assert.equal(c.baseEnvironment?.data.base_url, 'http://localhost:8000');
    assert.deepEqual(c.children, []);
  });
});

describe('v5 reader: texts written by the tests', () => {
  it('detects Insomnia files by their first line only', () => {
    assert.equal(isV5Text('type: collection.insomnia.rest/5.0\nname: x\n'), true);
    assert.equal(isV5Text('\uFEFFtype: spec.insomnia.rest/5.0\n'), true);
    assert.equal(isV5Text('type: "mock.insomnia.rest/5.0"\r\n'), true);
    assert.equal(isV5Text('type: environment.insomnia.rest/5.0'), true);
    assert.equal(isV5Text('type: mcpClient.insomnia/5.0\n'), true);
    assert.equal(isV5Text('name: x\ntype: collection.insomnia.rest/5.0\n'), false);
    assert.equal(isV5Text('openapi: 3.0.0\n'), false);
    assert.equal(isV5Text('on: push\njobs: {}\n'), false);
    assert.deepEqual(parseV5File('/x/ci.yaml', 'on: [push]\njobs:\n  build: {runs-on: ubuntu-latest}\n'), { insomnia: false, problems: [] });
  });

  it('broken YAML in an Insomnia file is an error problem with its line and column', () => {
    const text = 'type: collection.insomnia.rest/5.0\nname: Broken\ncollection:\n  - name: a\n     url: x\n';
    const result = parseV5File('/x/broken.yaml', text);
    assert.equal(result.insomnia, true);
    assert.equal(result.collection, undefined);
    assert.equal(result.problems.length, 1);
    const p = result.problems[0];
    assert.equal(p.file, '/x/broken.yaml');
    assert.equal(p.severity, 'error');
    assert.equal(p.line, 4);
    assert.equal(p.column, 8);
    assert.match(p.message, /^Invalid YAML: bad indentation/);
  });

  it('a first line that says Insomnia over a document that is not a mapping is an error problem', () => {
    const result = parseV5File('/x/list.yaml', '# type: collection.insomnia.rest/5.0\n- a\n- b\n');
    assert.equal(result.collection, undefined);
    assert.deepEqual(result.problems.map((p) => p.severity), ['error']);
  });

  it('items without meta get stable ids derived from file and YAML path, prefixed by kind', () => {
    const text = [
      'type: collection.insomnia.rest/5.0',
      'name: No meta',
      'collection:',
      '  - name: Folder',
      '    children:',
      '      - name: Req',
      '        url: http://x',
      '        method: GET',
      '      - name: Ws',
      '        url: wss://x',
      '        settings:',
      '          followRedirects: "on"',
      '  - name: Grpc',
      '    url: grpc://x',
      '    reflectionApi: {enabled: false}',
      '  - name: Sio',
      '    url: http://x',
      '    eventListeners: []',
      '  - name: Empty folder',
      'environments:',
      '  name: Base',
      '  subEnvironments:',
      '    - name: Sub',
      '',
    ].join('\n');
    const a = parse(text, '/repo/a.yaml');
    const again = parse(text, '/repo/a.yaml');
    const other = parse(text, '/repo/b.yaml');
    const ids = (c: Collection) => [c.id, ...[...walkItems(c.children)].map((i) => i.id), c.baseEnvironment!.id, c.baseEnvironment!.subEnvironments[0].id];
    assert.deepEqual(ids(a), ids(again));
    assert.equal(new Set([...ids(a), ...ids(other)]).size, ids(a).length * 2);
    const kinds = [...walkItems(a.children)].map((i) => [i.name, i.kind, i.id.replace(/_[0-9a-f]{32}$/, '')]);
    // no sortKey and no created: file order
    assert.deepEqual(kinds, [
      ['Folder', 'folder', 'fld'],
      ['Req', 'request', 'req'],
      ['Ws', 'websocketRequest', 'ws-req'],
      ['Grpc', 'grpcRequest', 'greq'],
      ['Sio', 'socketIORequest', 'socketio-req'],
      ['Empty folder', 'folder', 'fld'],
    ]);
    assert.match(a.id, /^wrk_[0-9a-f]{32}$/);
    assert.match(a.baseEnvironment!.id, /^env_[0-9a-f]{32}$/);
    assert.deepEqual([...walkItems(a.children)].map((i) => i.source.line), [3, 5, 8, 12, 15, 18]);
    assert.deepEqual([a.baseEnvironment!.source.line, a.baseEnvironment!.subEnvironments[0].source.line], [19, 22]);
  });

  it('schema 5.2: the explicit item type wins over fields and ids; an unknown type is left out with a warning', () => {
    const text = `type: collection.insomnia.rest/5.0
schema_version: "5.2"
name: Typed
meta:
  id: wrk_typed
collection:
  - type: RequestGroup
    name: Group without children
    meta: {id: fld_1, sortKey: 1}
  - type: WebSocketRequest
    name: Typed ws
    url: wss://x
    meta: {id: odd_1, sortKey: 2}
  - type: GrpcRequest
    name: Typed grpc
    url: grpc://x
    meta: {id: odd_2, sortKey: 3}
  - type: SocketIORequest
    name: Typed sio
    url: http://x
    meta: {id: odd_3, sortKey: 4}
  - type: Request
    name: Typed request
    url: http://x
    meta: {id: odd_4, sortKey: 5}
  - type: McpRequest
    name: Not shown
    meta: {id: mcp-req_1, sortKey: 6}
`;
    const c = parse(text);
    assert.deepEqual(c.children.map((i) => [i.kind, i.name]), [
      ['folder', 'Group without children'],
      ['websocketRequest', 'Typed ws'],
      ['grpcRequest', 'Typed grpc'],
      ['socketIORequest', 'Typed sio'],
      ['request', 'Typed request'],
    ]);
    assert.equal(c.problems.length, 1);
    assert.equal(c.problems[0].severity, 'warning');
    assert.equal(c.problems[0].line, 25);
    assert.match(c.problems[0].message, /Unknown item type McpRequest/);
    assert.equal((c.children[4] as HttpRequest).method, 'GET');
  });

  it('tells item kinds apart without `type` by fields and id prefix', () => {
    const kind = (item: Record<string, unknown>) => v5ItemKind(item);
    assert.equal(kind({ children: [] }), 'folder');
    assert.equal(kind({ method: 'GET', url: '' }), 'request');
    assert.equal(kind({ url: 'x', protoMethodName: '/a' }), 'grpcRequest');
    assert.equal(kind({ url: 'x', meta: { id: 'greq_1' } }), 'grpcRequest');
    assert.equal(kind({ url: 'x', eventListeners: [] }), 'socketIORequest');
    assert.equal(kind({ url: 'x', meta: { id: 'socketio-req_1' } }), 'socketIORequest');
    assert.equal(kind({ url: 'x', meta: { id: 'ws-req_1' } }), 'websocketRequest');
    assert.equal(kind({ url: 'x', settings: { followRedirects: 'global' } }), 'websocketRequest');
    assert.equal(kind({ name: 'f', meta: { id: 'fld_1' } }), 'folder');
    assert.equal(kind({ name: 'f' }), 'folder');
    assert.equal(kind({ name: 'r', url: 'x' }), 'request');
  });

  it('schema_version absent, 5.1, 5.2 are read; another one is read with a warning', () => {
    for (const v of ['', 'schema_version: "5.1"\n', 'schema_version: "5.2"\n']) {
      assert.deepEqual(parse(`type: collection.insomnia.rest/5.0\n${v}name: x\n`).problems, []);
    }
    const c = parse('type: collection.insomnia.rest/5.0\nschema_version: "6.0"\nname: x\n');
    assert.deepEqual(c.problems.map((p) => p.severity), ['warning']);
  });

  it('indentless sequences, comments, blank lines and block scalars do not confuse the item lines', () => {
    const text = `type: collection.insomnia.rest/5.0 # first line
name: Hand written
collection:
# a comment at column 0
- name: F
  meta: {id: fld_f, sortKey: 1}
  description: |
    - name: not an item
    children:
      - name: not an item either
  children:
  - name: R1
    url: http://x
    method: GET
    meta: {id: req_1, sortKey: 1}

  - url: http://y
    name: R2
    method: GET
    meta: {id: req_2, sortKey: 2}
  headers:
  - name: X-Folder-Header
    value: "1"
-
  name: R3
  url: http://z
  method: POST
  meta: {id: req_3, sortKey: 2}
environments:
  name: Base
`;
    const c = parse(text);
    const rows = [...walkItems(c.children)].map((i) => [i.name, i.source.line]);
    assert.deepEqual(rows, [['F', 4], ['R1', 11], ['R2', 16], ['R3', 23]]);
    assert.deepEqual((c.children[0] as Folder).headers, [{ name: 'X-Folder-Header', value: '1' }]);
    assert.equal(c.baseEnvironment?.source.line, 28);
  });

  it('CRLF line endings give the same lines', () => {
    const file = kong('everything.yaml');
    const text = readFileSync(file, 'utf8');
    const rows = (c: Collection) => [
      ...[...walkItems(c.children)].map((i) => [i.id, i.source.line]),
      ...[c.baseEnvironment!, ...c.baseEnvironment!.subEnvironments].map((e) => [e.id, e.source.line]),
    ];
    const lf = parse(text, file);
    assert.deepEqual(rows(parse(text.replace(/\n/g, '\r\n'), file)), rows(lf));
    assert.equal(rows(lf).length, 11);
  });

  it('a flow-style collection still loads (lines fall back to the `collection:` line)', () => {
    const c = parse('type: collection.insomnia.rest/5.0\nname: Flow\ncollection: [{name: A, url: x, method: GET}, {name: B, children: []}]\n');
    assert.deepEqual(c.children.map((i) => [i.kind, i.name, i.source.line]), [['request', 'A', 2], ['folder', 'B', 2]]);
  });

  it('spec.file is a file name with no contents, as Insomnia reads it (SpecSchema tries `{file}` first)', () => {
    // insomnia-v5.ts getApiSpec: `fileName: 'file' in spec ? spec.file : ''`, `contents: ''` (the `{file}` branch of
    // import-v5-parser.ts's SpecSchema strips `contents`)
    const c = parse('type: spec.insomnia.rest/5.0\nname: D\nspec:\n  file: openapi.yaml\n  meta: {id: spc_1}\n');
    assert.equal(c.spec?.id, 'spc_1');
    assert.equal(c.spec?.fileName, 'openapi.yaml');
    assert.equal(c.spec?.contents, '');
    assert.equal(c.spec?.file, 'openapi.yaml');
    assert.equal(c.spec?.source.line, 2);
    const both = parse('type: spec.insomnia.rest/5.0\nname: D\nspec:\n  file: openapi.yaml\n  contents: {openapi: 3.1.0}\n  meta: {id: spc_1}\n');
    assert.deepEqual([both.spec?.fileName, both.spec?.contents], ['openapi.yaml', '']);
    // a `file` that is no string fails that branch: the contents are read
    const odd = parse('type: spec.insomnia.rest/5.0\nname: D\nspec:\n  file: 3\n  contents: {openapi: 3.1.0}\n  meta: {id: spc_1}\n');
    assert.equal(odd.spec?.contents, 'openapi: 3.1.0\n');
    assert.equal(odd.spec?.file, undefined);
  });

  it('duplicate ids in one file are a warning', () => {
    const c = parse(
      'type: collection.insomnia.rest/5.0\nname: D\ncollection:\n  - name: a\n    url: x\n    meta: {id: req_1}\n  - name: b\n    url: x\n    meta: {id: req_1}\n',
    );
    assert.equal(c.children.length, 2);
    assert.deepEqual(c.problems.map((p) => [p.severity, p.line]), [['warning', 6]]);
  });

  it('loadCollectionFile: a file that is gone is not an Insomnia file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-v5-'));
    try {
      assert.deepEqual(await loadCollectionFile(path.join(dir, 'gone.yaml')), { insomnia: false, problems: [] });
      const big = path.join(dir, 'big.yaml');
      // longer than the 4 KiB first read: the rest is read too
      const items = Array.from({ length: 200 }, (_, i) => `  - name: r${i}\n    url: http://x/${i}\n    method: GET\n`).join('');
      writeFileSync(big, `type: collection.insomnia.rest/5.0\nname: Big\ncollection:\n${items}`);
      const c = await collectionOf(big);
      assert.equal(countItems(c).requests, 200);
      assert.equal(c.children[199].source.line, 3 + 199 * 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('v5 reader: gRPC reflectionApi, mock servers, schema_version', () => {
  it('reflectionApi: kept as written, missing fields get the schema defaults, a missing one the importer default', () => {
    const text = `type: collection.insomnia.rest/5.0
schema_version: "5.2"
name: G
collection:
  - url: localhost:1
    name: Full
    meta:
      id: greq_1
    type: GrpcRequest
    reflectionApi:
      enabled: true
      url: https://buf.build
      apiKey: k
      module: m
      future: kept
  - url: localhost:2
    name: Partial
    meta:
      id: greq_2
    reflectionApi:
      enabled: true
  - url: localhost:3
    name: None
    meta:
      id: greq_3
    protoMethodName: /a.B/C
`;
    const c = parseV5File('/r/g.yaml', text).collection!;
    assert.equal(c.schemaVersion, '5.2');
    const apis = c.children.map((i) => (i.kind === 'grpcRequest' ? i.reflectionApi : undefined));
    assert.deepEqual(apis, [
      { enabled: true, url: 'https://buf.build', apiKey: 'k', module: 'm', future: 'kept' },
      { enabled: true, url: '', apiKey: '', module: '' },
      { enabled: false, url: '', apiKey: '', module: '' },
    ]);
    assert.equal(parseV5File('/r/x.yaml', 'type: collection.insomnia.rest/5.0\nname: X\n').collection!.schemaVersion, '5.0');
  });

  it('a mock file: server and routes (`server:` as Insomnia writes it, and the 11.0 url at the top)', () => {
    const text = `type: mock.insomnia.rest/5.0
name: M
server:
  meta:
    id: mock_1
  url: http://localhost:9
  useInsomniaCloud: false
routes:
  - name: /a
    meta:
      id: mock-route_1
    statusCode: 404
`;
    const m = parseV5File('/r/m.yaml', text).collection!.mockServer!;
    assert.deepEqual([m.id, m.url, m.useInsomniaCloud, m.routes.map((r) => [r.id, r.parentId, r.name, r.statusCode, r.method])], [
      'mock_1',
      'http://localhost:9',
      false,
      [['mock-route_1', 'mock_1', '/a', 404, '']],
    ]);
    const old = parseV5File('/r/o.yaml', readFileSync(path.join(FIXTURES, '../import/insomnia-smoke/mock-server.v5.yaml'), 'utf8')).collection!.mockServer!;
    assert.deepEqual([old.url, old.useInsomniaCloud, old.routes.length], ['http://localhost:8080', true, 3]);
  });
});
