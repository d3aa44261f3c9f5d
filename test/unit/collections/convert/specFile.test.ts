// A v5 design file whose spec is `spec: {file: X}`: Insomnia reads X as the spec's file name with empty contents
// (insomnia/src/common/insomnia-v5.ts getApiSpec; the `{file}` branch of import-v5-parser.ts's SpecSchema), and what
// Hammock writes from it (import, export, convert, duplicate) keeps `spec: {file: X}` where v5 can hold it.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../../../src/cli';
import { convertV5ToLegacy, duplicateCollection, readCollectionDocs } from '../../../../src/collections/convert/convertFormat';
import { exportInsomniaV4, exportInsomniaV4FromDocs } from '../../../../src/collections/convert/exportV4';
import { importText } from '../../../../src/collections/convert/importText';
import { collectionToV5Text } from '../../../../src/collections/convert/v5Writer';
import { loadYaml } from '../../../../src/collections/formats/fields';
import { only } from './importFixtures';

const SPEC_BLOCK = 'spec:\n  file: openapi.yaml\n  meta:\n    id: spc_filed\n    created: 1\n    modified: 1\n';
const FILED = `type: spec.insomnia.rest/5.0
schema_version: "5.1"
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

type Resource = Record<string, unknown>;
const apiSpec = (text: string) => (JSON.parse(text) as { resources: Resource[] }).resources.find((r) => r._type === 'api_spec')!;

describe('a v5 spec given as `spec: {file: X}`', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hammock-specfile-'));
    file = path.join(dir, 'filed.yaml');
    writeFileSync(file, FILED);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('imports as a file name with no contents, and the v5 writer writes `spec: {file: X}` back as it was', () => {
    const c = only(importText(FILED));
    assert.deepEqual([c.spec?.fileName, c.spec?.contents], ['openapi.yaml', '']);
    const text = collectionToV5Text(c, { now: 99 });
    assert.ok(text.includes(SPEC_BLOCK), text);
    // the model's v4 export: an ApiSpec as Insomnia makes of it
    const spec = apiSpec(exportInsomniaV4([c], { now: 99 }));
    assert.deepEqual([spec.fileName, spec.contents], ['openapi.yaml', '']);
  });

  it('exported from the file as v4: an ApiSpec with that file name and no contents', () => {
    const v4 = exportInsomniaV4FromDocs([readCollectionDocs('v5', file, 'wrk_filed').docs]).text;
    const spec = apiSpec(v4);
    assert.deepEqual([spec.fileName, spec.contents, spec.created, spec.modified], ['openapi.yaml', '', 1, 1]);
    // that export imported again and written as v5: `spec: {file: X}` again
    const again = collectionToV5Text(only(importText(v4)), { now: 99 });
    assert.ok(again.includes(SPEC_BLOCK), again);
  });

  it('hammock export --format v5 writes it byte for byte; --format v4 as an ApiSpec with that file name', async () => {
    const exported = async (format: string) => {
      let stdout = '';
      const code = await main(['export', dir, '--format', format], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: dir, env: {} });
      assert.equal(code, 0);
      return stdout;
    };
    assert.ok((await exported('v5')).includes(SPEC_BLOCK));
    const spec = apiSpec(await exported('v4'));
    assert.deepEqual([spec.fileName, spec.contents], ['openapi.yaml', '']);
  });

  it('converted to a legacy folder: the ApiSpec has that file name and no contents', () => {
    const result = convertV5ToLegacy(file);
    const change = result.changes.find((ch) => ch.path.includes(`${path.sep}ApiSpec${path.sep}`))!;
    const doc = loadYaml(change.content as string) as Resource;
    assert.deepEqual([doc.fileName, doc.contents], ['openapi.yaml', '']);
  });

  it('duplicated: the copy keeps `spec: {file: X}` (with its new id)', () => {
    const copy = duplicateCollection('v5', file, 'wrk_filed', { newId: (p) => `${p}_new` });
    const text = copy.changes[0].content as string;
    assert.ok(text.includes(SPEC_BLOCK.replace('spc_filed', 'spc_new')), text);
    assert.equal(readFileSync(file, 'utf8'), FILED);
  });
});
