// Request-level diff between two snapshots of the same workspace (two commits, a commit and the working tree):
// collections, folders, requests and environments added, removed, moved and changed, and for a changed item the
// fields that changed. Pure: no I/O, no 'vscode'. `created`/`modified` stamps, key order and where an item sits in
// its file (SourceRef) are never changes.
//
// Matching: a collection by workspace id + format (a legacy folder and its v5 copy are two collections), an item or
// an environment by id within its collection.

import type { Collection, Environment, Item, KeyValue } from './model';

export type ChangeKind = 'added' | 'removed' | 'moved' | 'changed';
export type EntityKind = 'collection' | 'folder' | 'request' | 'environment';

/** One changed field of a changed item: `url`, `header X-Token`, `variable baseUrl`, `body`, ... */
export interface FieldChange {
  /** `method`, `url`, `name`, `description`, `header NAME`, `parameter NAME`, `path parameter NAME`, `metadata NAME`,
   *  `body`, `auth`, `settings`, `scripts`, `variable NAME`, `environment`, `color`, `private`, `scope`, `spec`, ... */
  readonly field: string;
  readonly kind: 'added' | 'removed' | 'changed';
  /** e.g. `header X-Token added`, `url changed`. */
  readonly text: string;
}

export interface ItemChange {
  readonly kind: ChangeKind;
  readonly entity: EntityKind;
  /** model kind: 'request' | 'grpcRequest' | ... | 'folder' | 'environment'. */
  readonly type: string;
  readonly id: string;
  /** the item's name (after the change, or before for a removal). */
  readonly name: string;
  /** folder names from the collection down to the item's parent, after the change (before for a removal). */
  readonly path: readonly string[];
  /** for `moved`: the parent path before. */
  readonly fromPath?: readonly string[];
  /** for `changed`: the fields that changed. */
  readonly fields?: readonly FieldChange[];
  /** one readable line: `~ request "Users/Get user": url changed, header X-Token added`. */
  readonly description: string;
}

export interface CollectionDiff {
  readonly id: string;
  readonly format: 'legacy' | 'v5';
  readonly name: string;
  /** the collection's path after (before for a removed one). */
  readonly path: string;
  /** added/removed: the whole collection; changed: see `changes` (collection-level fields are a change of entity 'collection'). */
  readonly kind: 'added' | 'removed' | 'changed';
  readonly changes: readonly ItemChange[];
}

export interface SnapshotDiff {
  /** only collections with at least one change, in the `after` order then the removed ones. */
  readonly collections: readonly CollectionDiff[];
}

/** Deep value with keys sorted, so key order never counts as a change. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function collectionKey(c: Collection): string {
  return `${c.format}:${c.id}`;
}

export function diffSnapshots(before: readonly Collection[], after: readonly Collection[]): SnapshotDiff {
  const beforeByKey = new Map(before.map((c) => [collectionKey(c), c]));
  const afterKeys = new Set(after.map(collectionKey));
  const out: CollectionDiff[] = [];
  for (const a of after) {
    const b = beforeByKey.get(collectionKey(a));
    if (!b) {
      out.push({ id: a.id, format: a.format, name: a.name, path: a.path, kind: 'added', changes: [] });
      continue;
    }
    const changes = diffCollection(b, a);
    if (changes.length) out.push({ id: a.id, format: a.format, name: a.name, path: a.path, kind: 'changed', changes });
  }
  for (const b of before) {
    if (!afterKeys.has(collectionKey(b))) out.push({ id: b.id, format: b.format, name: b.name, path: b.path, kind: 'removed', changes: [] });
  }
  return { collections: out };
}

interface Placed {
  readonly item: Item;
  readonly parentId: string;
  /** folder names down to the parent. */
  readonly path: readonly string[];
  readonly siblings: readonly Item[];
}

function placeAll(c: Collection): Map<string, Placed> {
  const out = new Map<string, Placed>();
  const visit = (items: readonly Item[], parentId: string, p: readonly string[]) => {
    const sorted = [...items].sort((x, y) => x.sortKey - y.sortKey);
    for (const item of sorted) {
      out.set(item.id, { item, parentId, path: p, siblings: sorted });
      if (item.kind === 'folder') visit(item.children, item.id, [...p, item.name]);
    }
  };
  visit(c.children, c.id, []);
  return out;
}

function entityOf(item: Item): EntityKind {
  return item.kind === 'folder' ? 'folder' : 'request';
}

function label(entity: EntityKind, p: readonly string[], name: string): string {
  return `${entity} "${[...p, name].join('/')}"`;
}

function where(p: readonly string[]): string {
  return p.length ? `"${p.join('/')}"` : 'the collection root';
}

/** rank of `id` among the siblings that are in `common`. */
function rankAmong(siblings: readonly Item[], id: string, common: (id: string) => boolean): number {
  let r = 0;
  for (const s of siblings) {
    if (s.id === id) return r;
    if (common(s.id)) r++;
  }
  return -1;
}

function diffCollection(b: Collection, a: Collection): ItemChange[] {
  const changes: ItemChange[] = [];
  const collFields: FieldChange[] = [];
  scalar(collFields, 'name', b.name, a.name);
  scalar(collFields, 'description', b.description, a.description);
  scalar(collFields, 'scope', b.scope, a.scope);
  scalar(collFields, 'spec', b.spec?.contents, a.spec?.contents);
  if (collFields.length) {
    changes.push({
      kind: 'changed', entity: 'collection', type: 'collection', id: a.id, name: a.name, path: [], fields: collFields,
      description: `~ collection "${a.name}": ${collFields.map((f) => f.text).join(', ')}`,
    });
  }

  const pb = placeAll(b);
  const pa = placeAll(a);
  for (const [id, x] of pa) {
    const y = pb.get(id);
    const entity = entityOf(x.item);
    if (!y) {
      changes.push({ kind: 'added', entity, type: x.item.kind, id, name: x.item.name, path: x.path, description: `+ ${label(entity, x.path, x.item.name)} added` });
      continue;
    }
    if (y.parentId !== x.parentId) {
      changes.push({
        kind: 'moved', entity, type: x.item.kind, id, name: x.item.name, path: x.path, fromPath: y.path,
        description: `> ${label(entity, x.path, x.item.name)} moved from ${where(y.path)} to ${where(x.path)}`,
      });
    } else {
      // position among the siblings both snapshots share under this parent (additions/removals do not move others)
      const common = (sid: string) => pa.get(sid)?.parentId === x.parentId && pb.get(sid)?.parentId === x.parentId;
      if (rankAmong(x.siblings, id, common) !== rankAmong(y.siblings, id, common)) {
        changes.push({
          kind: 'moved', entity, type: x.item.kind, id, name: x.item.name, path: x.path, fromPath: y.path,
          description: `> ${label(entity, x.path, x.item.name)} moved within ${where(x.path)}`,
        });
      }
    }
    const fields = diffItem(y.item, x.item);
    if (fields.length) {
      changes.push({
        kind: 'changed', entity, type: x.item.kind, id, name: x.item.name, path: x.path, fields,
        description: `~ ${label(entity, x.path, x.item.name)}: ${fields.map((f) => f.text).join(', ')}`,
      });
    }
  }
  for (const [id, y] of pb) {
    if (pa.has(id)) continue;
    const entity = entityOf(y.item);
    changes.push({ kind: 'removed', entity, type: y.item.kind, id, name: y.item.name, path: y.path, description: `- ${label(entity, y.path, y.item.name)} removed` });
  }

  const eb = environments(b);
  const ea = environments(a);
  for (const [id, x] of ea) {
    const y = eb.get(id);
    if (!y) {
      changes.push({ kind: 'added', entity: 'environment', type: 'environment', id, name: x.name, path: [], description: `+ environment "${x.name}" added` });
      continue;
    }
    const fields = diffEnvironment(y, x);
    if (fields.length) {
      changes.push({
        kind: 'changed', entity: 'environment', type: 'environment', id, name: x.name, path: [], fields,
        description: `~ environment "${x.name}": ${fields.map((f) => f.text).join(', ')}`,
      });
    }
  }
  for (const [id, y] of eb) {
    if (!ea.has(id)) changes.push({ kind: 'removed', entity: 'environment', type: 'environment', id, name: y.name, path: [], description: `- environment "${y.name}" removed` });
  }
  return changes;
}

function environments(c: Collection): Map<string, Environment> {
  const out = new Map<string, Environment>();
  const base = c.baseEnvironment;
  if (base) {
    out.set(base.id, base);
    for (const s of base.subEnvironments) out.set(s.id, s);
  }
  return out;
}

function scalar(out: FieldChange[], field: string, before: unknown, after: unknown): void {
  if (same(before, after)) return;
  const kind = before === undefined || before === null ? 'added' : after === undefined || after === null ? 'removed' : 'changed';
  out.push({ field, kind, text: `${field} ${kind}` });
}

/** a list of name/value pairs compared by name (the n-th pair of a repeated name with the n-th one). */
function pairs(out: FieldChange[], label: string, before: readonly KeyValue[] | undefined, after: readonly KeyValue[] | undefined): void {
  const key = (list: readonly KeyValue[] | undefined) => {
    const m = new Map<string, KeyValue>();
    const seen = new Map<string, number>();
    for (const kv of list ?? []) {
      const n = seen.get(kv.name) ?? 0;
      seen.set(kv.name, n + 1);
      m.set(n ? `${kv.name}#${n + 1}` : kv.name, kv);
    }
    return m;
  };
  const mb = key(before);
  const ma = key(after);
  // the pair's `id` is Insomnia bookkeeping, not content
  const content = (kv: KeyValue) => ({ ...kv, id: undefined });
  for (const [name, kv] of ma) {
    const old = mb.get(name);
    if (!old) out.push({ field: `${label} ${name}`, kind: 'added', text: `${label} ${name} added` });
    else if (!same(content(old), content(kv))) out.push({ field: `${label} ${name}`, kind: 'changed', text: `${label} ${name} changed` });
  }
  for (const name of mb.keys()) {
    if (!ma.has(name)) out.push({ field: `${label} ${name}`, kind: 'removed', text: `${label} ${name} removed` });
  }
}

function block(out: FieldChange[], field: string, before: unknown, after: unknown): void {
  if (!same(before ?? {}, after ?? {})) out.push({ field, kind: 'changed', text: `${field} changed` });
}

function diffItem(b: Item, a: Item): FieldChange[] {
  const out: FieldChange[] = [];
  if (b.kind !== a.kind) out.push({ field: 'type', kind: 'changed', text: `type changed from ${b.kind} to ${a.kind}` });
  const rb = b as unknown as Record<string, unknown>;
  const ra = a as unknown as Record<string, unknown>;
  scalar(out, 'name', b.name, a.name);
  scalar(out, 'description', b.description, a.description);
  scalar(out, 'method', rb.method, ra.method);
  scalar(out, 'url', rb.url, ra.url);
  scalar(out, 'proto file', rb.protoFileId, ra.protoFileId);
  scalar(out, 'proto method', rb.protoMethodName, ra.protoMethodName);
  pairs(out, 'header', rb.headers as KeyValue[] | undefined, ra.headers as KeyValue[] | undefined);
  pairs(out, 'parameter', rb.parameters as KeyValue[] | undefined, ra.parameters as KeyValue[] | undefined);
  pairs(out, 'path parameter', rb.pathParameters as KeyValue[] | undefined, ra.pathParameters as KeyValue[] | undefined);
  pairs(out, 'metadata', rb.metadata as KeyValue[] | undefined, ra.metadata as KeyValue[] | undefined);
  block(out, 'body', rb.body, ra.body);
  block(out, 'auth', rb.authentication, ra.authentication);
  block(out, 'settings', rb.settings, ra.settings);
  block(out, 'scripts', rb.scripts, ra.scripts);
  if (a.kind === 'folder' && b.kind === 'folder') variables(out, b.environment, a.environment);
  return out;
}

function variables(out: FieldChange[], before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): void {
  const b = before ?? {};
  const a = after ?? {};
  for (const k of Object.keys(a)) {
    if (!(k in b)) out.push({ field: `variable ${k}`, kind: 'added', text: `variable ${k} added` });
    else if (!same(b[k], a[k])) out.push({ field: `variable ${k}`, kind: 'changed', text: `variable ${k} changed` });
  }
  for (const k of Object.keys(b)) {
    if (!(k in a)) out.push({ field: `variable ${k}`, kind: 'removed', text: `variable ${k} removed` });
  }
}

function diffEnvironment(b: Environment, a: Environment): FieldChange[] {
  const out: FieldChange[] = [];
  scalar(out, 'name', b.name, a.name);
  scalar(out, 'color', b.color, a.color);
  scalar(out, 'private', b.isPrivate, a.isPrivate);
  variables(out, b.data, a.data);
  return out;
}

/** The diff as text for humans: one block per collection, one line per change. Empty diff: `No changes.` */
export function formatSnapshotDiff(diff: SnapshotDiff, pathOf: (p: string) => string = (p) => p): string {
  if (diff.collections.length === 0) return 'No changes.\n';
  const lines: string[] = [];
  for (const c of diff.collections) {
    const head = `${c.format} collection "${c.name}" (${pathOf(c.path)})`;
    if (c.kind === 'added') lines.push(`+ ${head} added`);
    else if (c.kind === 'removed') lines.push(`- ${head} removed`);
    else {
      lines.push(`${head}:`);
      for (const ch of c.changes) lines.push(`  ${ch.description}`);
    }
  }
  return lines.join('\n') + '\n';
}
