// Helpers shared by the importer tests: the fixture files (read in place from test/fixtures), counts, lookups,
// and a comparable form of a collection (no file locations or timestamps) for round trips.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { countItems, walkItems, type Collection, type Item } from '../../../../src/collections/model';
import { ImportError, type ImportResult } from '../../../../src/collections/convert/importTypes';

export const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');

export function fixturePath(rel: string): string {
  return path.join(FIXTURES, rel);
}

export function fixtureText(rel: string): string {
  return readFileSync(fixturePath(rel), 'utf8');
}

export function counts(c: Collection) {
  const { folders, requests, grpcRequests, websocketRequests, socketIORequests, environments } = countItems(c);
  return { folders, requests, grpcRequests, websocketRequests, socketIORequests, environments };
}

export function only(result: ImportResult): Collection {
  assert.equal(result.collections.length, 1, 'one collection');
  return result.collections[0];
}

export function byName<K extends Item['kind'] = Item['kind']>(c: Collection | readonly Item[], name: string, kind?: K): Extract<Item, { kind: K }> {
  const list = Array.isArray(c) ? c : (c as Collection).children;
  const found = [...walkItems(list)].filter((i) => i.name === name && (kind === undefined || i.kind === kind));
  assert.equal(found.length, 1, `exactly one item named ${name}`);
  return found[0] as Extract<Item, { kind: K }>;
}

const VOLATILE = new Set(['source', 'path', 'format', 'problems', 'created', 'modified', 'partial', 'schemaVersion']);

/** A plain copy of a collection without where it lives and when it was made: what two reads of the same data share. */
export function comparable(c: Collection): unknown {
  return JSON.parse(JSON.stringify(c, (key, value: unknown) => (VOLATILE.has(key) ? undefined : value)));
}

/** The folder path of every item (`a/b/request`), depth first: a compact view of a tree for assertions. */
export function tree(c: Collection): string[] {
  const out: string[] = [];
  const walk = (items: readonly Item[], prefix: string) => {
    for (const item of items) {
      out.push(`${prefix}${item.name}${item.kind === 'folder' ? '/' : ''}`);
      if (item.kind === 'folder') walk(item.children, `${prefix}${item.name}/`);
    }
  };
  walk(c.children, '');
  return out;
}

/** Every id is unique and every item's parentId is its parent's id; sortKeys strictly ascend among siblings. */
export function assertConsistent(c: Collection): void {
  const ids = new Set<string>([c.id]);
  const check = (items: readonly Item[], parentId: string) => {
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      assert.equal(item.parentId, parentId, `${item.name}: parentId`);
      assert.ok(!ids.has(item.id), `duplicate id ${item.id}`);
      ids.add(item.id);
      if (i > 0) assert.ok(items[i - 1].sortKey <= item.sortKey, `${item.name}: sortKey order`);
      if (item.kind === 'folder') check(item.children, item.id);
    }
  };
  check(c.children, c.id);
  const base = c.baseEnvironment;
  if (base) {
    assert.equal(base.parentId, c.id);
    for (const sub of base.subEnvironments) assert.equal(sub.parentId, base.id);
  }
}

/** Runs `fn`, which must throw an `ImportError` whose message matches `pattern`; returns that error. */
export function throwsImport(fn: () => unknown, pattern: RegExp): ImportError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ImportError, `expected ImportError, got ${String(err)}`);
    assert.match(err.message, pattern);
    return err;
  }
  assert.fail('expected an ImportError');
}
