import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { changedV5Items } from '../../../src/sync/v5Changes';

const EVERYTHING = readFileSync(path.resolve(__dirname, '../../fixtures/v5/kong-example/everything.yaml'), 'utf8');

const summary = (before: string | null, after: string | null): string[] => changedV5Items(before, after).map((c) => `${c.change} ${c.type} ${c.name}`);

describe('changedV5Items', () => {
  it('finds nothing when only modified stamps moved', () => {
    const after = EVERYTHING.replace(/modified: \d+/g, 'modified: 1999999999999');
    assert.notEqual(after, EVERYTHING);
    assert.deepEqual(summary(EVERYTHING, after), []);
  });

  it('names a request nested in a folder whose URL changed, not its folder', () => {
    const after = EVERYTHING.replace('url: "{{ _.base_url }}/user/login"', 'url: "{{ _.base_url }}/user/signin"');
    assert.deepEqual(summary(EVERYTHING, after), ['changed request login']);
  });

  it('names a renamed request by its new name, and a changed sub-environment', () => {
    const after = EVERYTHING.replace('        name: login\n', '        name: sign in\n').replace('base_url: localhost:3000', 'base_url: localhost:4000');
    assert.deepEqual(summary(EVERYTHING, after), ['changed request sign in', 'changed environment New Environment']);
  });

  it('reports a removed gRPC request, not its folder (children are compared item by item)', () => {
    const after = EVERYTHING.replace(/\n {4}children:\n {6}- url: [^\n]*\n {8}name: New Request\n(?: {8}[^\n]*\n| {10,}[^\n]*\n)+/, '\n    children: []\n');
    assert.notEqual(after, EVERYTHING, 'the gRPC request was cut out');
    assert.deepEqual(summary(EVERYTHING, after), ['removed grpcRequest New Request']);
  });

  it('lists everything as added for a new file and as removed for a deleted one', () => {
    const added = summary(null, EVERYTHING);
    assert.ok(added.includes('added request login'), added.join(' | '));
    assert.ok(added.includes('added websocketRequest chat'), added.join(' | '));
    assert.ok(added.every((l) => l.startsWith('added ')));
    assert.ok(summary(EVERYTHING, null).every((l) => l.startsWith('removed ')));
  });

  it('reports a change of the collection itself (its name)', () => {
    assert.deepEqual(summary(EVERYTHING, EVERYTHING.replace('name: Everything', 'name: Everything Else')), ['changed collection Everything Else']);
  });

  it('treats unparsable text as empty instead of throwing', () => {
    assert.ok(summary(EVERYTHING, 'type: [unclosed').every((l) => l.startsWith('removed ')));
  });
});
