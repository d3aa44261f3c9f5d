// The import dispatcher: every fixture is told apart by its content (and names no wrong format), malformed JSON and
// YAML give an ImportError at the right line and column, and other files an error that names what they are.
import * as assert from 'node:assert/strict';
import { detectImportFormat, importText, lineColumn } from '../../../../src/collections/convert/importText';
import { ImportError, type ImportFormat } from '../../../../src/collections/convert/importTypes';
import { fixtureText } from './importFixtures';

function importError(text: string, fileName?: string): ImportError {
  try {
    importText(text, fileName);
  } catch (err) {
    assert.ok(err instanceof ImportError, `an ImportError, got ${String(err)}`);
    return err;
  }
  assert.fail('no error');
}

describe('importText: format detection', () => {
  const cases: [string, ImportFormat][] = [
    ['import/insomnia/freecloudio-server.insomnia-v4.yaml', 'insomnia-v4'],
    ['import/insomnia/kong-insomnia-smoke-oauth.insomnia-v4.yaml', 'insomnia-v4'],
    ['v5/kong-example/everything.yaml', 'insomnia-v5'],
    ['v5/upstream-roundtrip/dev_environment.yaml', 'insomnia-v5'],
    ['import/postman/httpiness-conversion-test.postman_collection.v2.1.json', 'postman-collection'],
    ['import/postman/realworld-conduit.postman_collection.v2.1.json', 'postman-collection'],
    ['import/postman/argos-api.postman_collection.v2.0.json', 'postman-collection'],
    ['import/postman/xero-oauth2.postman_environment.json', 'postman-environment'],
    ['import/har/mitmproxy-firefox-111.har', 'har'],
    ['import/har/mitmproxy-chrome-postdata.har', 'har'],
  ];
  for (const [file, format] of cases) {
    it(`${file} is ${format}, by content alone`, () => {
      const text = fixtureText(file);
      assert.equal(detectImportFormat(text), format);
      assert.equal(detectImportFormat(text, 'renamed.txt'), format);
      const result = importText(text, file);
      assert.equal(result.format, format);
      assert.ok(result.collections.length >= 1);
    });
  }

  it('a v4 export as JSON is insomnia-v4 as well', () => {
    const text = JSON.stringify({ _type: 'export', __export_format: 4, resources: [] });
    assert.equal(detectImportFormat(text), 'insomnia-v4');
  });

  it('a v5 file whose first line is a comment is still found by its `type`', () => {
    const text = '# exported\ntype: collection.insomnia.rest/5.0\nname: X\nmeta:\n  id: wrk_1\ncollection: []\n';
    assert.equal(detectImportFormat(text), 'insomnia-v5');
    assert.equal(importText(text).collections[0].id, 'wrk_1');
  });

  it('a Postman environment without its scope key is told by the file name or by name + values', () => {
    const text = JSON.stringify({ name: 'Dev', values: [{ key: 'a', value: '1', enabled: true }] });
    assert.equal(detectImportFormat(text), 'postman-environment');
    assert.equal(detectImportFormat(JSON.stringify({ values: [] }), 'x.postman_environment.json'), 'postman-environment');
    assert.equal(detectImportFormat(JSON.stringify({ values: [] }), 'x.json'), undefined);
  });

  it('unknown or broken texts are undefined, never a throw', () => {
    assert.equal(detectImportFormat('{"a": 1'), undefined);
    assert.equal(detectImportFormat('a: [1, 2'), undefined);
    assert.equal(detectImportFormat('{"hello": "world"}'), undefined);
    assert.equal(detectImportFormat(''), undefined);
  });
});

describe('importText: errors', () => {
  it('malformed JSON: ImportError at the 0-based line and column of the fault, message 1-based', () => {
    const text = '{\n  "info": {"name": "x"},\n  "item": [\n    {"name": "a",}\n  ]\n}\n';
    const err = importError(text, 'broken.postman_collection.json');
    assert.equal(err.line, 3);
    assert.equal(err.column, 17); // the `}` after the trailing comma
    assert.match(err.message, /^Invalid JSON at line 4, column 18: /);
  });

  it('truncated JSON: the error is at the end of the text', () => {
    const text = '{"log": {"entries": [\n';
    const err = importError(text);
    assert.match(err.message, /^Invalid JSON at line 2, column 1: Unexpected end of JSON input/);
    assert.equal(err.line, 1);
    assert.equal(err.column, 0);
  });

  it('malformed YAML: ImportError with js-yaml`s mark', () => {
    const text = '_type: export\n__export_format: 4\nresources:\n  - _id: req_1\n    name: [unclosed\n    _type: request\n';
    const err = importError(text, 'x.yaml');
    assert.match(err.message, /^Invalid YAML at line \d+, column \d+: /);
    assert.equal(typeof err.line, 'number');
    assert.ok(err.line! >= 4 && err.line! <= 6, `line ${err.line}`);
  });

  it('malformed v5 YAML (found by its first line) is an error too, not an empty collection', () => {
    const text = 'type: collection.insomnia.rest/5.0\nname: "X\ncollection: []\n';
    const err = importError(text, 'x.yaml');
    assert.match(err.message, /^Invalid YAML/);
    assert.equal(typeof err.line, 'number');
  });

  it('a JSON file of no known format names its keys and what would be accepted', () => {
    const err = importError('{"openapi_like": true, "paths": {}}');
    assert.match(err.message, /Not a format Hammock can import \(a JSON mapping with keys openapi_like, paths\)/);
    assert.match(err.message, /Postman collection/);
    assert.equal(err.line, undefined);
  });

  it('plain text, a list, and an empty file are named as such', () => {
    assert.match(importError('just some words').message, /plain text/);
    assert.match(importError('[1, 2]').message, /a JSON list/);
    assert.match(importError('  \n').message, /The file is empty/);
  });

  it('near misses say what to do: Postman v1, an unknown Postman schema, a HAR without entries, a v4 export of format 2', () => {
    assert.match(importError(JSON.stringify({ id: 'x', name: 'c', requests: [] })).message, /Postman collection v1: re-export it from Postman as v2\.1/);
    const v3 = { info: { name: 'c', schema: 'https://schema.getpostman.com/json/collection/v3.0.0/collection.json' }, item: [] };
    assert.match(importError(JSON.stringify(v3)).message, /Unsupported Postman collection schema .*v3\.0\.0/);
    assert.match(importError(JSON.stringify({ log: { version: '1.2' } })).message, /HAR file but its `log` has no `entries` list/);
    assert.match(importError(JSON.stringify({ _type: 'export', __export_format: 2, resources: [] })).message, /Unsupported Insomnia export format 2/);
    assert.match(importError(JSON.stringify({ _type: 'export', __export_format: 4 })).message, /`resources` is not a list/);
  });

  it('a byte order mark is ignored', () => {
    const text = '\ufeff' + JSON.stringify({ log: { version: '1.2', entries: [] } });
    assert.equal(importText(text).format, 'har');
  });
});

describe('lineColumn', () => {
  it('gives 0-based line and column of an offset', () => {
    assert.deepEqual(lineColumn('ab\ncd\n', 0), { line: 0, column: 0 });
    assert.deepEqual(lineColumn('ab\ncd\n', 4), { line: 1, column: 1 });
    assert.deepEqual(lineColumn('ab\ncd\n', 6), { line: 2, column: 0 });
  });
});
