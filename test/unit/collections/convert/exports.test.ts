// Exports: Insomnia v4 JSON and v5 YAML (import of the export gives the same model, ids kept) and Postman v2.1
// (what Postman can hold comes back through the Postman importer; the rest is listed).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadWorkspace } from '../../../../src/collections/scan';
import { walkItems, type Collection, type HttpRequest } from '../../../../src/collections/model';
import { exportInsomniaV4, exportInsomniaV4Detailed, exportInsomniaV4FromDocs } from '../../../../src/collections/convert/exportV4';
import { readCollectionDocs } from '../../../../src/collections/convert/convertFormat';
import { exportV5 } from '../../../../src/collections/convert/v5Writer';
import { exportPostman, toPostmanTemplate, POSTMAN_SCHEMA_V21 } from '../../../../src/collections/convert/exportPostman';
import { importText } from '../../../../src/collections/convert/importText';
import { fieldDifferences } from './modelCompare';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');
const DIRS = ['v5/kong-example', 'v5/upstream-roundtrip', 'legacy/kong-demo-with-tests', 'legacy/kong-example-design', 'legacy/inso-fixture-alphabetical'];

async function all(): Promise<Collection[]> {
  const out: Collection[] = [];
  for (const d of DIRS) out.push(...(await loadWorkspace(path.join(FIXTURES, d))).collections);
  return out;
}

const hasSocketIO = (c: Collection) => [...walkItems(c.children)].some((i) => i.kind === 'socketIORequest');

describe('exports', () => {
  let collections: Collection[];
  before(async () => {
    collections = await all();
    assert.ok(collections.length >= 15);
  });

  it('Insomnia v4: the v4 importer reads every fixture collection back as the same model, ids kept', () => {
    for (const c of collections) {
      const text = exportInsomniaV4([c], { exportDate: new Date(0) });
      const json = JSON.parse(text) as { _type: string; __export_format: number; resources: { _type: string; _id: string }[] };
      assert.equal(json._type, 'export');
      assert.equal(json.__export_format, 4);
      assert.ok(json.resources.some((r) => r._type === 'workspace' && r._id === c.id));
      assert.ok(json.resources.some((r) => r._type === 'cookie_jar'));
      const back = importText(text, 'export.json');
      assert.equal(back.format, 'insomnia-v4');
      assert.equal(back.collections.length, 1);
      if (hasSocketIO(c)) continue; // reported below
      assert.deepEqual(fieldDifferences(c, back.collections[0]), [], c.name);
    }
  });

  it('Insomnia v4 from the files (raw documents): the v4 importer reads every fixture collection back as the same model', () => {
    for (const c of collections) {
      const { docs } = readCollectionDocs(c.format, c.path, c.id);
      const back = importText(exportInsomniaV4FromDocs([docs]).text, 'export.json');
      if (hasSocketIO(c)) continue;
      const diffs = fieldDifferences(c, back.collections[0]).filter((d) => !(c.format === 'v5' && /\.spec\.(fileName|contents):/.test(d)));
      assert.deepEqual(diffs, [], c.name);
    }
  });

  it('Insomnia v4: resource types, and several collections in one export', () => {
    const text = exportInsomniaV4(collections.slice(0, 3));
    const types = new Set((JSON.parse(text).resources as { _type: string }[]).map((r) => r._type));
    for (const t of ['workspace', 'request_group', 'request', 'environment', 'cookie_jar']) assert.ok(types.has(t), t);
    assert.equal(importText(text, 'x.json').collections.length, 3);
    const design = collections.find((c) => c.spec)!;
    assert.ok((JSON.parse(exportInsomniaV4([design])).resources as { _type: string }[]).some((r) => r._type === 'api_spec'));
    const sio = collections.find(hasSocketIO)!;
    assert.match(exportInsomniaV4Detailed([sio]).dropped[0].what, /SocketIORequest/);
  });

  it('Insomnia v5: the v5 importer reads the export back as the same model', () => {
    for (const c of collections) {
      const back = importText(exportV5(c), 'export.yaml');
      assert.equal(back.format, 'insomnia-v5');
      const diffs = fieldDifferences(c, back.collections[0]).filter((d) => !/\.spec\.(fileName|contents):/.test(d));
      assert.deepEqual(diffs, [], c.name);
    }
  });

  it('Postman v2.1: folders, requests, bodies, auth and base variables come back through the Postman importer', () => {
    const c = collections.find((x) => x.name === 'Everything')!;
    const out = exportPostman(c);
    const json = JSON.parse(out.text);
    assert.equal(json.info.schema, POSTMAN_SCHEMA_V21);
    assert.equal(json.info.name, 'Everything');
    const back = importText(out.text, 'everything.postman_collection.json');
    assert.equal(back.format, 'postman-collection');
    const http = (x: Collection) => [...walkItems(x.children)].filter((i): i is HttpRequest => i.kind === 'request');
    const before = http(c);
    const after = http(back.collections[0]);
    assert.deepEqual(after.map((r) => `${r.method} ${r.name}`), before.map((r) => `${r.method} ${r.name}`));
    const login = after.find((r) => r.name === 'login')!;
    assert.match(out.text, /"raw": "\{\{base_url\}\}\/user\/login"/);
    assert.equal(login.url, '{{ _.base_url }}/user/login', 'the importer turns {{x}} back into {{ _.x }}');
    assert.equal(login.body.mimeType, 'multipart/form-data');
    assert.deepEqual(login.body.params!.map((p) => p.name), ['username', 'password', 'user_metadata', 'user_image']);
    assert.equal(login.authentication.type, 'bearer');
    assert.equal(login.authentication.token, 'test_token');
    const folders = [...walkItems(back.collections[0].children)].filter((i) => i.kind === 'folder').map((f) => f.name);
    assert.deepEqual(folders.sort(), ['FolderTree', 'Sub1', 'Sub2', 'User', 'gRPC'].sort());
    // what Postman cannot hold is listed
    const what = out.unexpressed.map((d) => d.what).join('\n');
    assert.match(what, /gRPC request "gRPC\/New Request"/);
    assert.match(what, /WebSocket request "FolderTree\/Sub1\/Sub2\/chat"/);
    assert.match(what, /environment "New Environment"/);
    assert.match(what, /bearer prefix "pre"/);
  });

  it('Postman v2.1: base environment variables become collection variables, templates {{x}}', () => {
    const c = collections.find((x) => x.name === 'kong-insomnia-demo.git')!;
    const json = JSON.parse(exportPostman(c).text);
    assert.deepEqual(json.variable, [{ key: 'base_url', value: '{{scheme}}://{{host}}{{base_path}}', type: 'string' }]);
    assert.equal(toPostmanTemplate("{{ _.a }}/{{b}}/{{ _['c-d'] }}/{% uuid 'v4' %}"), "{{a}}/{{b}}/{{c-d}}/{% uuid 'v4' %}");
    const first = json.item[0].item[0];
    assert.equal(first.request.auth.type, 'apikey');
    assert.deepEqual(first.request.auth.apikey.find((p: { key: string }) => p.key === 'value').value, '{{apikey}}');
  });

  it('Postman v2.1: path parameters (`:buildId`) keep their values and descriptions, as the url\'s `variable`s', () => {
    const argos = importText(fs.readFileSync(path.join(FIXTURES, 'import/postman/argos-api.postman_collection.v2.0.json'), 'utf8')).collections[0];
    const withPath = (x: Collection) => [...walkItems(x.children)].filter((i): i is HttpRequest => i.kind === 'request' && i.pathParameters.length > 0);
    const before = withPath(argos);
    assert.ok(before.length > 0 && before.some((r) => r.pathParameters.some((p) => p.value !== '' && p.description)), 'the fixture has valued, described path parameters');
    const out = exportPostman(argos);
    const after = withPath(importText(out.text, 'argos.postman_collection.json').collections[0]);
    assert.deepEqual(after.map((r) => [r.name, r.pathParameters]), before.map((r) => [r.name, r.pathParameters]));
    assert.deepEqual(out.unexpressed.filter((d) => /path/i.test(d.what)), []);
  });
});
