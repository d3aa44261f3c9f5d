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

/**
 * The files that could not be read on each side (unreadableFiles): what such a file holds is unknown there, not gone,
 * so the items and environments it holds on the other side are left out of the diff rather than called added or
 * removed (nor moved, for the children of a folder whose file is unknown on one side), and so is a collection whose
 * own file (a v5 file, a legacy workspace) is unknown on one side.
 */
export interface Unread {
  readonly before?: ReadonlySet<string>;
  readonly after?: ReadonlySet<string>;
}

/**
 * Whether each side has a v5 file it cannot read where the other side has no collection (and can read it): that file
 * may be any v5 collection's, moved there (`git mv` and a half-saved edit), so a v5 collection the other side lacks
 * is unknown there, not removed (added).
 */
export function strayV5Files(before: readonly Collection[], after: readonly Collection[], unread: Unread): { before: boolean; after: boolean } {
  const stray = (files: ReadonlySet<string> | undefined, otherUnread: ReadonlySet<string> | undefined, others: readonly Collection[]) =>
    [...(files ?? [])].some((f) => !isLegacyPath(f) && !otherUnread?.has(f) && !others.some((c) => c.format === 'v5' && c.source.file === f));
  return { before: stray(unread.before, unread.after, after), after: stray(unread.after, unread.before, before) };
}

/** Whether a file is one of a legacy `.insomnia` folder's (else a v5 file). */
function isLegacyPath(file: string): boolean {
  return file.split(/[\\/]/).includes('.insomnia');
}

export function diffSnapshots(before: readonly Collection[], after: readonly Collection[], unread: Unread = {}): SnapshotDiff {
  const { before: strayBefore, after: strayAfter } = strayV5Files(before, after, unread);
  const unknownBefore = (file: string) => unread.before?.has(file) === true;
  const unknownAfter = (file: string) => unread.after?.has(file) === true;
  // the same workspace id may appear twice (a copied folder): such twins pair up by path first, then in order
  const unmatched = new Map<string, Collection[]>();
  for (const c of before) {
    const list = unmatched.get(collectionKey(c));
    if (list) list.push(c);
    else unmatched.set(collectionKey(c), [c]);
  }
  const pairs: [Collection, Collection | undefined][] = after.map((a) => {
    const list = unmatched.get(collectionKey(a));
    const i = list ? list.findIndex((b) => b.path === a.path) : -1;
    return [a, i >= 0 ? list!.splice(i, 1)[0] : undefined];
  });
  for (const pair of pairs) {
    if (!pair[1]) pair[1] = unmatched.get(collectionKey(pair[0]))?.shift();
  }
  const out: CollectionDiff[] = [];
  for (const [a, b] of pairs) {
    if (!b) {
      if (!unknownBefore(a.source.file) && !(a.format === 'v5' && strayBefore)) out.push({ id: a.id, format: a.format, name: a.name, path: a.path, kind: 'added', changes: [] });
      continue;
    }
    const changes = diffCollection(b, a, unknownBefore, unknownAfter);
    if (changes.length) out.push({ id: a.id, format: a.format, name: a.name, path: a.path, kind: 'changed', changes });
  }
  for (const list of unmatched.values()) {
    for (const b of list) if (!unknownAfter(b.source.file) && !(b.format === 'v5' && strayAfter)) out.push({ id: b.id, format: b.format, name: b.name, path: b.path, kind: 'removed', changes: [] });
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
    // equal sort keys: by id, so the order does not depend on the order files were read in
    const sorted = [...items].sort((x, y) => x.sortKey - y.sortKey || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
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

/**
 * The ids, among the siblings both snapshots keep under one parent, whose position changed: those outside a longest
 * run kept in the same relative order (so one item dragged elsewhere is one move, and additions move nothing).
 */
function reordered(beforeOrder: readonly string[], afterOrder: readonly string[]): Set<string> {
  const rank = new Map(beforeOrder.map((id, i) => [id, i]));
  const seq = afterOrder.map((id) => rank.get(id)!);
  // longest increasing subsequence, O(n^2): sibling lists are short
  const len = seq.map(() => 1);
  const prev = seq.map(() => -1);
  let best = -1;
  for (let i = 0; i < seq.length; i++) {
    for (let j = 0; j < i; j++) {
      if (seq[j] < seq[i] && len[j] + 1 > len[i]) {
        len[i] = len[j] + 1;
        prev[i] = j;
      }
    }
    if (best < 0 || len[i] > len[best]) best = i;
  }
  const kept = new Set<string>();
  for (let i = best; i >= 0; i = prev[i]) kept.add(afterOrder[i]);
  return new Set(afterOrder.filter((id) => !kept.has(id)));
}

function movedWithinParents(pb: Map<string, Placed>, pa: Map<string, Placed>): Set<string> {
  const moved = new Set<string>();
  const done = new Set<string>();
  for (const x of pa.values()) {
    if (done.has(x.parentId)) continue;
    done.add(x.parentId);
    const stays = (id: string) => pa.get(id)?.parentId === x.parentId && pb.get(id)?.parentId === x.parentId;
    const afterOrder = x.siblings.map((s) => s.id).filter(stays);
    const first = afterOrder.length ? pb.get(afterOrder[0]) : undefined;
    if (!first) continue;
    const beforeOrder = first.siblings.map((s) => s.id).filter(stays);
    for (const id of reordered(beforeOrder, afterOrder)) moved.add(id);
  }
  return moved;
}

/** `unknownBefore` / `unknownAfter`: whether a file could not be read on that side (see Unread). */
function diffCollection(b: Collection, a: Collection, unknownBefore: (file: string) => boolean, unknownAfter: (file: string) => boolean): ItemChange[] {
  const changes: ItemChange[] = [];
  const collFields: FieldChange[] = [];
  scalar(collFields, 'name', b.name, a.name);
  scalar(collFields, 'description', b.description, a.description);
  scalar(collFields, 'scope', b.scope, a.scope);
  scalar(collFields, 'spec', b.spec?.contents, a.spec?.contents);
  // (a legacy workspace file unknown on a side: its name, description and scope are too)
  if (collFields.length && !unknownBefore(a.source.file) && !unknownAfter(b.source.file)) {
    changes.push({
      kind: 'changed', entity: 'collection', type: 'collection', id: a.id, name: a.name, path: [], fields: collFields,
      description: `~ collection "${a.name}": ${collFields.map((f) => f.text).join(', ')}`,
    });
  }

  const pb = placeAll(b);
  const pa = placeAll(a);
  const reorderedIds = movedWithinParents(pb, pa);
  // a folder whose file is unknown on one side: where its children were (are) is unknown too
  const parentUnknown = (placed: Map<string, Placed>, parentId: string, unknown: (file: string) => boolean) => {
    const parent = placed.get(parentId)?.item;
    return parent !== undefined && unknown(parent.source.file);
  };
  for (const [id, x] of pa) {
    const y = pb.get(id);
    const entity = entityOf(x.item);
    if (!y) {
      if (unknownBefore(x.item.source.file)) continue;
      changes.push({ kind: 'added', entity, type: x.item.kind, id, name: x.item.name, path: x.path, description: `+ ${label(entity, x.path, x.item.name)} added` });
      continue;
    }
    if (y.parentId !== x.parentId) {
      if (!parentUnknown(pb, y.parentId, unknownAfter) && !parentUnknown(pa, x.parentId, unknownBefore)) {
        changes.push({
          kind: 'moved', entity, type: x.item.kind, id, name: x.item.name, path: x.path, fromPath: y.path,
          description: `> ${label(entity, x.path, x.item.name)} moved from ${where(y.path)} to ${where(x.path)}`,
        });
      }
    } else {
      if (reorderedIds.has(id)) {
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
    if (pa.has(id) || unknownAfter(y.item.source.file)) continue;
    const entity = entityOf(y.item);
    changes.push({ kind: 'removed', entity, type: y.item.kind, id, name: y.item.name, path: y.path, description: `- ${label(entity, y.path, y.item.name)} removed` });
  }

  const eb = environments(b);
  const ea = environments(a);
  for (const [id, x] of ea) {
    const y = eb.get(id);
    if (!y) {
      if (unknownBefore(x.source.file)) continue;
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
    if (!ea.has(id) && !unknownAfter(y.source.file)) changes.push({ kind: 'removed', entity: 'environment', type: 'environment', id, name: y.name, path: [], description: `- environment "${y.name}" removed` });
  }
  return changes;
}

function environments(c: Collection): Map<string, Environment> {
  const out = new Map<string, Environment>();
  const base = c.baseEnvironment;
  if (base) {
    out.set(base.id, base);
    // by sort key, then id: sub-environments with equal keys come from the reader in file order, which varies
    const subs = [...base.subEnvironments].sort((x, y) => x.sortKey - y.sortKey || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    for (const s of subs) out.set(s.id, s);
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
  scalar(out, 'method', rb.method, ra.method);
  scalar(out, 'url', rb.url, ra.url);
  scalar(out, 'name', b.name, a.name);
  scalar(out, 'description', b.description, a.description);
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
