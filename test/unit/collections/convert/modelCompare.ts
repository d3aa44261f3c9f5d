// Test helper: a collection's content without where it lives (format, paths, source refs, problems) and without
// Insomnia's time stamps, so collections read from different files and formats can be compared field by field.
import type { Collection, Item } from '../../../../src/collections/model';
import { canonical } from '../../../../src/collections/diff';

const DROP = new Set(['source', 'path', 'format', 'problems', 'partial', 'created', 'modified', 'schemaVersion']);

export function content(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(content);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      if (DROP.has(k)) continue;
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = content(v);
    }
    return out;
  }
  return value;
}

/** Every field of the collection that differs, as `path: before -> after` lines (empty: the same model). */
export function fieldDifferences(a: Collection, b: Collection): string[] {
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, p: string) => {
    if (canonical(x) === canonical(y)) return;
    if (x && y && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y)) {
      const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
      for (const k of keys) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${p}.${k}`);
      return;
    }
    out.push(`${p}: ${JSON.stringify(x)} -> ${JSON.stringify(y)}`);
  };
  const spec = (c: Collection) => (c.spec ? { id: c.spec.id, fileName: c.spec.fileName, contents: c.spec.contents } : undefined);
  walk({ ...(content(a) as object), spec: spec(a) }, { ...(content(b) as object), spec: spec(b) }, a.name);
  return out;
}

export function countAll(items: readonly Item[]): number {
  let n = 0;
  for (const i of items) n += 1 + (i.kind === 'folder' ? countAll(i.children) : 0);
  return n;
}
