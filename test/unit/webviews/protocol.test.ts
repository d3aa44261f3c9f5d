// The host's validators of webview messages: what the UI sends passes, anything else is dropped.
import { strict as assert } from 'node:assert';
import { isFieldsPatch, parseEditorCommand, parseEnvironmentEditorCommand, parseViewerCommand } from '../../../src/webviews/protocol';

describe('webview protocol validators', () => {
  it("an edit whose base the checks refuse is taken without it (the user's edit is never dropped for its base)", () => {
    assert.deepEqual(parseEditorCommand({ type: 'edit', seq: 2, fields: { url: 'u' }, base: { url: 5 } }), { type: 'edit', seq: 2, fields: { url: 'u' } });
  });

  it('accepts the editor commands the UI sends', () => {
    for (const msg of [
      { type: 'ready' },
      { type: 'send' },
      { type: 'cancel' },
      { type: 'pickFile', purpose: 'body' },
      { type: 'edit', seq: 1, fields: { url: 'http://x/{{ a }}', method: 'PATCH' } },
      { type: 'edit', seq: 1764892800000, fields: { headers: [{ name: 'A', value: 'b', disabled: true }], parameters: [] } },
      { type: 'edit', seq: 1764892800000, fields: { body: { mimeType: 'multipart/form-data', params: [{ name: 'f', value: '', type: 'file', fileName: '/tmp/x' }] } } },
      { type: 'edit', seq: 1764892800000, fields: { body: {} } },
      { type: 'edit', seq: 1764892800000, fields: { authentication: { type: 'bearer', token: 't', prefix: '', disabled: false } } },
      { type: 'edit', seq: 1764892800000, fields: { settings: { followRedirects: 'off', sendCookies: false }, description: 'd' } },
      { type: 'edit', seq: 1764892800000, fields: { url: 'http://x/a' }, base: { url: 'http://x/' } },
    ]) {
      assert.deepEqual(parseEditorCommand(msg), msg, JSON.stringify(msg));
    }
  });

  it('drops unknown types, extra keys and mistyped fields', () => {
    for (const msg of [
      null,
      'send',
      [],
      { type: 'eval', code: '1' },
      { type: 'send', extra: 1 },
      { type: 'edit' },
      { type: 'edit', fields: { url: 'x' } },
      { type: 'edit', seq: -1, fields: { url: 'x' } },
      { type: 'edit', seq: 1.5, fields: { url: 'x' } },
      { type: 'edit', seq: '1', fields: { url: 'x' } },
      { type: 'edit', seq: 1, fields: { url: 42 } },
      { type: 'edit', fields: { url: 'x', name: 'rename through the back door' } },
      { type: 'edit', fields: { method: 'GET /admin' } },
      { type: 'edit', fields: { headers: [{ name: 'A' }] } },
      { type: 'edit', fields: { headers: [{ name: 'A', value: 'b', script: '<x>' }] } },
      { type: 'edit', fields: { body: { mimeType: 'x', text: 1 } } },
      { type: 'edit', fields: { authentication: { type: 'basic', nested: { a: 1 } } } },
      { type: 'edit', fields: { settings: { followRedirects: 'sometimes' } } },
      { type: 'pickFile', purpose: 'x'.repeat(200) },
    ]) {
      assert.equal(parseEditorCommand(msg), undefined, JSON.stringify(msg));
    }
    assert.equal(isFieldsPatch({ url: 'a', __proto__: { x: 1 } }), true); // the prototype is not an own key
  });

  it('viewer commands: known types only, history index a non-negative integer', () => {
    for (const msg of [{ type: 'ready' }, { type: 'openInEditor' }, { type: 'saveBodyAs' }, { type: 'copyAsCurl' }, { type: 'showHistory', index: 3 }]) {
      assert.deepEqual(parseViewerCommand(msg), msg);
    }
    for (const msg of [{ type: 'showHistory', index: -1 }, { type: 'showHistory', index: 1.5 }, { type: 'showHistory', index: '1' }, { type: 'copyAsCurl', x: 1 }, { type: 'send' }]) {
      assert.equal(parseViewerCommand(msg), undefined, JSON.stringify(msg));
    }
  });

  it("environment editor drafts (typing that cannot be saved yet): rows and JSON text with their base, nothing else", () => {
    const base = [['host', 'a'], ['n', 1]];
    for (const msg of [
      { type: 'draft', id: 'env_1', base, rows: [{ name: 'n', type: 'number', text: '1.' }, { name: 'n', type: 'string', text: '' }] },
      { type: 'draft', id: 'env_1', base, json: '{"a": ' },
      { type: 'draft', id: 'env_1', base: [] },
    ]) {
      assert.deepEqual(parseEnvironmentEditorCommand(msg), msg);
    }
    for (const msg of [
      { type: 'draft', id: 'env_1', rows: [] },
      { type: 'draft', id: 'env_1', base, rows: [{ name: 'n', type: 'date', text: '' }] },
      { type: 'draft', id: 'env_1', base, rows: [{ name: 'n', type: 'string', text: 1 }] },
      { type: 'draft', id: 'env_1', base, rows: [{ name: 'n', type: 'string', text: '', extra: 1 }] },
      { type: 'draft', id: 'env_1', base, json: 1 },
      { type: 'draft', id: 'env_1', base, x: 1 },
      { type: 'draft', id: 'env_1', base: [['a']] },
    ]) {
      assert.equal(parseEnvironmentEditorCommand(msg), undefined, JSON.stringify(msg));
    }
  });
});
