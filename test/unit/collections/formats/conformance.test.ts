// The conformance checker (Insomnia's readers, transcribed) on real files, and proof that it can fail: for each rule
// class, a file Insomnia refuses and the exact error it gives.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  checkInsomniaFolder,
  checkLegacyFiles,
  checkV4Text,
  checkV5Text,
  formatIssue,
  READER_51,
  READER_52,
  READER_LEGACY,
  type ConformanceIssue,
} from '../../../../src/collections/formats/conformance';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');

/** `line: path: message [reader]` of each issue, for exact assertions. */
function lines(issues: readonly ConformanceIssue[]): string[] {
  return issues.map((i) => `${i.line + 1}: ${formatIssue(i)}`);
}

const HEAD = `type: collection.insomnia.rest/5.0
schema_version: "5.1"
name: Conformance
meta:
  id: wrk_0123
collection:
`;

describe('conformance checker: the real files Insomnia wrote pass', () => {
  it('every v5 file and .insomnia folder in test/fixtures (v5/, legacy/, the smoke-test v5 files)', () => {
    const { issues, files, folders } = checkInsomniaFolder(FIXTURES);
    assert.deepEqual(lines(issues), []);
    assert.ok(files >= 15, `v5 files checked: ${files}`);
    assert.equal(folders, 5);
  });
});

describe('conformance checker: each rule class fails with Insomnia\'s words', () => {
  it('a gRPC request without reflectionApi (required by both readers)', () => {
    const text = `${HEAD}  - url: localhost:50051
    name: Unary
    meta:
      id: greq_1
    protoMethodName: /routeguide.RouteGuide/GetFeature
`;
    assert.deepEqual(lines(checkV5Text('/x.yaml', text)), [
      `7: collection.0: Invalid input (invalid_union; closest as GrpcRequest: reflectionApi: Invalid input: expected object, received undefined) [${READER_51}]`,
      `7: collection.0.reflectionApi: Invalid input: expected object, received undefined [${READER_52}]`,
    ]);
  });

  it('multiline: null in a body param (empty values must be removed at every depth)', () => {
    const text = `${HEAD}  - url: http://x
    name: Upload
    meta:
      id: req_1
    method: POST
    body:
      mimeType: multipart/form-data
      params:
        - name: file
          value: ""
          multiline: null
`;
    assert.deepEqual(lines(checkV5Text('/x.yaml', text)), [
      `7: collection.0: Invalid input (invalid_union; closest as Request: body.params.0.multiline: Invalid input (invalid_union; Invalid input: expected boolean, received null | Invalid input: expected string, received null)) [${READER_51}]`,
      `17: collection.0.body.params.0.multiline: Invalid input (invalid_union; Invalid input: expected boolean, received null | Invalid input: expected string, received null) [${READER_52}]`,
    ]);
  });

  it('a value of the wrong type (meta.created as text, an unknown followRedirects)', () => {
    const text = `${HEAD}  - url: http://x
    name: R
    meta:
      id: req_1
      created: yesterday
    method: GET
    settings:
      followRedirects: sometimes
      cookies: { send: true, store: true }
`;
    const got = lines(checkV5Text('/x.yaml', text));
    assert.ok(got.includes(`11: collection.0.meta.created: Invalid input: expected number, received string [${READER_52}]`), got.join('\n'));
    assert.ok(got.includes(`14: collection.0.settings.followRedirects: Invalid option: expected one of "global"|"on"|"off" [${READER_52}]`), got.join('\n'));
  });

  it('schema 5.2: an item without `type`, and an item whose id lacks its prefix', () => {
    const text = `type: collection.insomnia.rest/5.0
schema_version: "5.2"
name: C
collection:
  - url: http://x
    name: R
    meta:
      id: req_1
    method: GET
  - url: http://y
    name: S
    type: Request
    meta:
      id: my-request
    method: GET
`;
    const got = lines(checkV5Text('/x.yaml', text));
    assert.deepEqual(got, [
      `5: collection.0.type: Invalid input (invalid_union; No matching discriminator) [${READER_52}]`,
      `14: collection.1.meta.id: Invalid string: must start with "req" [${READER_52}]`,
    ]);
  });

  it('the migrations run by the declared version: a header without value passes in 5.0 (migrated), fails when declared 5.1', () => {
    const item = `  - url: http://x
    name: R
    meta:
      id: req_1
    method: GET
    headers:
      - name: X-Token
`;
    const v50 = `type: collection.insomnia.rest/5.0\nname: C\ncollection:\n${item}`;
    assert.deepEqual(lines(checkV5Text('/x.yaml', v50)), []);
    const got = lines(checkV5Text('/x.yaml', HEAD + item));
    assert.ok(got.includes(`13: collection.0.headers.0.value: Invalid input: expected string, received undefined [${READER_52}]`), got.join('\n'));
  });

  it('a file type no reader knows, and broken YAML', () => {
    assert.deepEqual(lines(checkV5Text('/x.yaml', 'type: collection.insomnia.rest/6.0\nname: C\n')), [
      `1: type: Invalid input (invalid_union; No matching discriminator) [${READER_51}]`,
    ]);
    const broken = checkV5Text('/x.yaml', 'type: collection.insomnia.rest/5.0\nname: [unclosed\n');
    assert.equal(broken.length, 1);
    assert.equal(broken[0].line, 2);
    assert.match(broken[0].message, /flow sequence|Missing|Unexpected/i);
  });

  it('legacy: file name and _id, folder and type, .yaml files, one workspace, parentId chains', () => {
    const dir = '/r/.insomnia';
    const f = (rel: string, text: string) => ({ path: path.join(dir, rel), text });
    const issues = checkLegacyFiles(dir, [
      f('Workspace/wrk_1.yml', '_id: wrk_1\ntype: Workspace\nparentId: null\nname: W\n'),
      f('Request/req_1.yml', '_id: req_2\ntype: Request\nparentId: wrk_1\n'),
      f('Request/req_3.yml', '_id: req_3\ntype: RequestGroup\nparentId: wrk_1\n'),
      f('Request/req_4.yaml', '_id: req_4\ntype: Request\nparentId: wrk_1\n'),
      f('Request/req_5.yml', '_id: req_5\ntype: Request\nparentId: fld_gone\n'),
      f('RequestGroup/fld_a.yml', '_id: fld_a\ntype: RequestGroup\nparentId: fld_b\n'),
      f('RequestGroup/fld_b.yml', '_id: fld_b\ntype: RequestGroup\nparentId: fld_a\n'),
      f('Request/req_6.yml', '_id: req_6\ntype: Request\nparentId: [broken\n'),
    ]);
    const got = issues.map((i) => `${path.relative(dir, i.file) || '.'}: ${i.message}`);
    assert.ok(got.includes('Request/req_1.yml: Doc _id does not match file path [req_2 != req_1]'), got.join('\n'));
    assert.ok(got.includes('Request/req_3.yml: Doc type does not match file path [RequestGroup != Request]'), got.join('\n'));
    assert.ok(got.includes('Request/req_4.yaml: Doc _id does not match file path [req_4 != req_4.yaml]'), got.join('\n'));
    assert.ok(got.includes('Request/req_5.yml: Request req_5 is not under the workspace wrk_1: its parentId chain ends at fld_gone, so Insomnia never shows it'), got.join('\n'));
    assert.ok(got.some((l) => l.startsWith('RequestGroup/fld_a.yml: RequestGroup fld_a is not under the workspace wrk_1')), got.join('\n'));
    assert.ok(got.some((l) => l.startsWith('Request/req_6.yml: ') && /flow sequence|Missing|Unexpected/i.test(l)), got.join('\n'));
    assert.ok(issues.every((i) => i.reader === READER_LEGACY));

    const two = checkLegacyFiles(dir, [
      f('Workspace/wrk_1.yml', '_id: wrk_1\ntype: Workspace\n'),
      f('Workspace/wrk_2.yml', '_id: wrk_2\ntype: Workspace\n'),
    ]);
    assert.deepEqual(two.map((i) => i.message), ['Multiple workspaces found in repository. Expected one.']);
    assert.deepEqual(checkLegacyFiles(dir, [f('Request/req_1.yml', '_id: req_1\ntype: Request\n')]).map((i) => i.message), [
      'No workspaces found in repository',
    ]);
  });

  it('v4 exports: not an export, an unknown resource type, a resource under nothing', () => {
    const text = JSON.stringify({
      _type: 'export',
      __export_format: 4,
      resources: [
        { _id: 'wrk_1', _type: 'workspace', name: 'W' },
        { _id: 'req_1', _type: 'request', parentId: 'wrk_1' },
        { _id: 'req_2', _type: 'request', parentId: 'fld_gone' },
        { _id: 'x_1', _type: 'spaceship', parentId: 'wrk_1' },
      ],
    });
    assert.deepEqual(checkV4Text('/e.json', text).map((i) => `${i.path}: ${i.message}`), [
      'resources.3._type: unknown resource type spaceship',
      'parentId: request req_2 is not under a workspace of the export',
    ]);
    assert.deepEqual(checkV4Text('/e.json', '{"_type":"export","__export_format":3,"resources":[]}').map((i) => i.message), ['`__export_format` is not 4']);
  });

  it('a folder: what `hammock check --insomnia` walks (v5 files by their first line, .insomnia folders, not node_modules)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-conf-'));
    try {
      fs.writeFileSync(path.join(tmp, 'openapi.yaml'), 'openapi: 3.0.0\n');
      fs.mkdirSync(path.join(tmp, 'node_modules'));
      fs.writeFileSync(path.join(tmp, 'node_modules', 'bad.yaml'), 'type: collection.insomnia.rest/5.0\ncollection: 3\n');
      fs.writeFileSync(path.join(tmp, 'bad.yaml'), 'type: collection.insomnia.rest/5.0\ncollection: 3\n');
      const { issues, files } = checkInsomniaFolder(tmp);
      assert.equal(files, 1);
      assert.deepEqual(issues.map((i) => `${path.basename(i.file)}:${i.line + 1}: ${i.path}: ${i.message}`), [
        'bad.yaml:2: collection: Invalid input: expected array, received number',
      ]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
