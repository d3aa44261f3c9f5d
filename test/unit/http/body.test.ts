import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  applyQueryParams,
  bodyKind,
  buildRenderContext,
  encodeForm,
  encodeMultipart,
  formatJson,
  graphqlPayload,
  HttpError,
  renderRequest,
  renderTemplate,
  validateJson,
} from '../../../src/http';
import { parseMultipart } from '../../support/httpServer';
import { collection, request } from './modelBuilders';

describe('http body encodings and URL building', () => {
  it('classifies bodies as Insomnia stores them', () => {
    assert.equal(bodyKind({}), 'none');
    assert.equal(bodyKind({ mimeType: 'application/json', text: '{}' }), 'json');
    assert.equal(bodyKind({ mimeType: 'application/vnd.api+json', text: '{}' }), 'json');
    assert.equal(bodyKind({ mimeType: 'application/xml', text: '<a/>' }), 'xml');
    assert.equal(bodyKind({ mimeType: 'text/plain', text: 'x' }), 'text');
    assert.equal(bodyKind({ mimeType: 'application/x-www-form-urlencoded', params: [] }), 'form');
    assert.equal(bodyKind({ mimeType: 'multipart/form-data', params: [] }), 'multipart');
    assert.equal(bodyKind({ mimeType: 'application/graphql', text: '{}' }), 'graphql');
    assert.equal(bodyKind({ mimeType: 'application/octet-stream', fileName: '/x' }), 'file');
  });

  it('validates and formats JSON', () => {
    assert.equal(validateJson('{"a": [1, 2]}'), undefined);
    assert.equal(validateJson('  '), undefined);
    assert.match(validateJson('{"a": }') ?? '', /JSON|Unexpected/);
    assert.equal(formatJson('{"a":[1,2],"b":{"c":null}}'), '{\n  "a": [\n    1,\n    2\n  ],\n  "b": {\n    "c": null\n  }\n}');
    assert.equal(formatJson('{"a":1}', 4), '{\n    "a": 1\n}');
    assert.throws(() => formatJson('{oops'), (e: unknown) => e instanceof HttpError && e.code === 'InvalidBody');
  });

  it('GraphQL: Insomnia JSON text -> the JSON sent (variables kept, empty ones dropped)', () => {
    assert.deepEqual(JSON.parse(graphqlPayload('{"query":"{ me { id } }","variables":{"a":1}}')), { query: '{ me { id } }', variables: { a: 1 } });
    assert.deepEqual(JSON.parse(graphqlPayload('{"query":"{ me { id } }","variables":{}}')), { query: '{ me { id } }' });
    assert.deepEqual(JSON.parse(graphqlPayload('{"query":"q","variables":"{\\"x\\":2}","operationName":"Op"}')), { query: 'q', variables: { x: 2 }, operationName: 'Op' });
    assert.deepEqual(JSON.parse(graphqlPayload('{ me { id } }')), { query: '{ me { id } }' });
  });

  it('form-urlencoded as browsers encode it', () => {
    assert.equal(encodeForm([{ name: 'a b', value: '1&2=3' }, { name: 'ü', value: '+' }]), 'a+b=1%262%3D3&%C3%BC=%2B');
  });

  it('multipart with text and file parts parses back to the same fields', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-mp-'));
    try {
      const file = path.join(dir, 'pic.png');
      const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255]);
      await fsp.writeFile(file, bytes);
      const { body, boundary } = await encodeMultipart([
        { name: 'title', value: 'héllo\r\nworld', type: 'text' },
        { name: 'pic', value: '', type: 'file', fileName: file },
      ]);
      const parts = parseMultipart(body, boundary);
      assert.equal(parts.length, 2);
      assert.equal(parts[0].name, 'title');
      assert.equal(parts[0].data.toString('utf8'), 'héllo\r\nworld');
      assert.equal(parts[1].fileName, 'pic.png');
      assert.equal(parts[1].contentType, 'image/png');
      assert.equal(parts[1].data.compare(bytes), 0);
      await assert.rejects(encodeMultipart([{ name: 'f', value: '', type: 'file', fileName: path.join(dir, 'nope') }]), (e: unknown) => e instanceof HttpError && e.code === 'FileError');
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('query parameters are encoded with settingEncodeUrl on, appended as typed with it off', () => {
    assert.equal(applyQueryParams('http://h/p?x=1', [{ name: 'a b', value: 'c/d&é' }], true), 'http://h/p?x=1&a%20b=c%2Fd%26%C3%A9');
    assert.equal(applyQueryParams('http://h/p?x=1', [{ name: 'a b', value: 'c/d' }], false), 'http://h/p?x=1&a b=c/d');
    // an escape typed into a value is sent as typed (Insomnia: flexibleEncodeComponent); a lone `%` and `+` are encoded
    assert.equal(applyQueryParams('http://h/p', [{ name: 'q', value: 'a%20b+c%' }, { name: 'c', value: '' }], true), 'http://h/p?q=a%20b%2Bc%25&c=');
    assert.equal(applyQueryParams('h.example/p', [], true), 'http://h.example/p');
    assert.equal(applyQueryParams('http://h/p#frag', [{ name: 'k', value: 'v' }], true), 'http://h/p?k=v');
    assert.throws(() => applyQueryParams('http://', [], true), (e: unknown) => e instanceof HttpError && e.code === 'InvalidUrl');
  });

  it('path parameters, disabled rows, unrendered bodies and environment values holding tags', async () => {
    const req = request('req_1', {
      method: 'post',
      url: 'http://h/users/:id/items/:item',
      pathParameters: [{ name: 'id', value: '{{ uid }}' }, { name: 'item', value: 'a b' }],
      parameters: [{ name: 'on', value: '1' }, { name: 'off', value: '2', disabled: true }],
      body: { mimeType: 'text/plain', text: 'raw {{ uid }}' },
      settings: { renderRequestBody: false, encodeUrl: true, followRedirects: 'global', sendCookies: true, storeCookies: true, rebuildPath: true },
    });
    const col = collection([req], { uid: '42', stamp: "{% base64 'encode', 'normal', 'x' %}" });
    const r = await renderRequest(req, col, buildRenderContext(col, 'req_1'));
    assert.equal(r.method, 'POST');
    assert.equal(r.url, 'http://h/users/42/items/a%20b?on=1');
    assert.equal(r.bodyText, 'raw {{ uid }}');
    assert.equal(await renderTemplate('{{ stamp }}', buildRenderContext(col, 'req_1')), 'eA==');
  });
});
