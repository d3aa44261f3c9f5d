// breakingChanges on the real Insomnia v5 file test/fixtures/v5/kong-example/everything.yaml (HTTP, gRPC and
// WebSocket requests in nested folders): a caller finds every kind of request by name, so removing or renaming a
// gRPC, WebSocket or Socket.IO request breaks it as removing or renaming an HTTP request does.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { breakingChanges } from '../../../src/collections/breaking';
import { parseV5File } from '../../../src/collections/formats/v5';
import type { Collection } from '../../../src/collections/model';

const FILE = path.join(__dirname, '..', '..', 'fixtures', 'v5', 'kong-example', 'everything.yaml');
const TEXT = fs.readFileSync(FILE, 'utf8');

function read(text: string): Collection {
  const r = parseV5File(FILE, text);
  assert.ok(r.collection, JSON.stringify(r.problems));
  return r.collection;
}

/** `text` with `from` replaced once (it must be there). */
function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `the fixture holds ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** `text` without the lines from the one starting with `first` up to (not including) the one starting with `next`. */
function cut(text: string, first: string, next: string): string {
  const a = text.indexOf(first);
  const b = text.indexOf(next, a + first.length);
  assert.ok(a >= 0 && b > a, `the fixture holds ${first} before ${next}`);
  return text.slice(0, a) + text.slice(b);
}

describe('breakingChanges: every kind of request', () => {
  it('a removed gRPC request and a renamed WebSocket request break their callers, as an HTTP request\'s would', () => {
    let after = cut(TEXT, '      - url: grpcb.in:9000\n', '    scripts:\n');
    after = edit(after, '                name: chat\n', '                name: chat room\n');
    after = edit(after, '        name: login\n', '        name: sign in\n');
    const found = breakingChanges([read(TEXT)], [read(after)]).map((b) => `${[...b.folders, b.name].join('/')}: ${b.kind}: ${b.text}`);
    // in tree order (Insomnia's: by sortKey)
    assert.deepEqual(found, [
      'FolderTree/Sub1/Sub2/chat: renamed: renamed from "chat" to "chat room"',
      'gRPC/New Request: removed: removed',
      'User/login: renamed: renamed from "login" to "sign in"',
    ]);
  });

  it('a gRPC or WebSocket request whose url changes is no breaking change of an HTTP path (only its name and presence count)', () => {
    let after = edit(TEXT, '      - url: grpcb.in:9000\n', '      - url: grpcb.in:9001\n');
    after = edit(after, '              - url: wss://example.com/chat\n', '              - url: wss://example.com/v2/chat\n');
    assert.deepEqual(breakingChanges([read(TEXT)], [read(after)]), []);
  });
});
