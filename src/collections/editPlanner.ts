// Plans model edits as minimal file changes, for both formats. Pure: reads the current texts through `ctx.readText`,
// returns the files to write (or delete); `store.ts` writes them.
//
// What each edit writes, and why (INSOMNIA_FORMAT.md sections 1, 2, 7):
// - rename: the `name` line, plus the edited object's `modified` (legacy top-level `modified`, v5 `meta.modified`)
//   set to `ctx.now`, as Insomnia's `db.docUpdate` does. So a rename changes exactly two lines (one more per extra
//   line of a name that has to be folded or written as a block scalar). `modified` is only updated where the object
//   already has one (a hand-written file without it gets no new key). Renaming to the current name changes nothing.
// - create: legacy = a new `.insomnia/<Type>/<id>.yml` with Insomnia 10's keys and defaults (the shape of the 10.x
//   files in the fixtures); v5 = a new item appended to the parent's `children` (or the top-level `collection`).
//   Like Insomnia, a new folder or request gets `sortKey = -now` (newest first in the tree: Insomnia's `init()`
//   uses `-1 * Date.now()`), and a new sub-environment `sortKey = now` (listed last). In a v5 file the item is
//   appended to the list: Insomnia's export order is the database's, not the sort order (see `everything.yaml`).
// - duplicate: Insomnia's `duplicate()`: name + " (Copy)" (a request without a name keeps its empty name), sort key
//   halfway to the next sibling's (or + 100), new ids for the copy and every descendant, `created`/`modified` = now.
//   v5 inserts the copy right after the original; legacy writes one new file per copied document.
// - delete: legacy removes the files of the object and of every descendant; v5 removes the item's lines (and the
//   `children`/`collection`/`subEnvironments` key when it held only that item, as Insomnia drops empty lists).
// - createEnvironment: a sub-environment whose parent is the base environment; the base environment (id
//   `env_` + sha1(workspace id)) is created first when the collection has none.

import * as path from 'node:path';
import type { Edit, EditContext, EditResult, FileChange, NewCollectionOptions } from './edits';
import type { BaseEnvironment, Collection, Environment, Folder, Item, Scope, SourceRef } from './model';
import { walkItems } from './model';
import { baseEnvironmentId, cookieJarId, ID_PREFIX, idPrefix, MODEL_TYPE_OF_KIND, newId } from './ids';
import { renderYamlDocument, YamlEditor, type YamlPath } from './yamlEdit';

export type PlanErrorCode = 'notFound' | 'unsupported';

export class PlanError extends Error {
  constructor(
    readonly code: PlanErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

/** Insomnia's `safeToUseInsomniaFileName`: lower-case, trimmed, every character but `[a-z0-9_-]` replaced by `_`. */
export function safeFileName(name: string): string {
  return name.toLowerCase().trim().replace(/[^a-z0-9_-]/g, '_');
}

/** The `type:` line of a v5 file for each scope Hammock can create. */
const V5_FILE_TYPE: Partial<Record<Scope, string>> = {
  collection: 'collection.insomnia.rest/5.0',
  design: 'spec.insomnia.rest/5.0',
  environment: 'environment.insomnia.rest/5.0',
};

export function planEdit(collection: Collection, edit: Edit, ctx: EditContext): EditResult {
  return collection.format === 'legacy' ? planLegacy(collection, edit, ctx) : planV5(collection, edit, ctx);
}

export function planNewCollection(options: NewCollectionOptions): EditResult & { collectionId: string } {
  const scope = options.scope ?? 'collection';
  const id = newId(ID_PREFIX.Workspace);
  const envId = baseEnvironmentId(id);
  const now = options.now;
  if (options.format === 'legacy') {
    if (scope === 'mcp') throw new PlanError('unsupported', 'An MCP client cannot be stored in a legacy .insomnia folder');
    const dir = path.join(options.root, '.insomnia');
    const workspace = legacyDoc('Workspace', id, null, now, { name: options.name, description: '', scope });
    const base = legacyDoc('Environment', envId, id, now, environmentFields('Base Environment', {}, now));
    return {
      collectionId: id,
      createdId: id,
      changes: [
        { path: path.join(dir, 'Workspace', `${id}.yml`), content: renderYamlDocument(workspace) },
        { path: path.join(dir, 'Environment', `${envId}.yml`), content: renderYamlDocument(base) },
      ],
    };
  }
  const type = V5_FILE_TYPE[scope];
  if (!type) throw new PlanError('unsupported', `Cannot create a v5 file of scope ${scope}`);
  const doc: Record<string, unknown> = {
    type,
    schema_version: '5.1',
    name: options.name,
    meta: { id, created: now, modified: now, description: '' },
  };
  if (scope !== 'environment') {
    doc.collection = [];
    doc.cookieJar = { name: 'Default Jar', meta: { id: cookieJarId(id), created: now, modified: now } };
  }
  doc.environments = { name: 'Base Environment', meta: { id: envId, created: now, modified: now, isPrivate: false } };
  const base = safeFileName(options.name) || `insomnia.${id}`;
  return {
    collectionId: id,
    createdId: id,
    changes: [{ path: path.join(options.root, `${base}.yaml`), content: renderYamlDocument(doc) }],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// locating model objects

type Target =
  | { readonly kind: 'collection' }
  | { readonly kind: 'item'; readonly item: Item; readonly siblings: readonly Item[] }
  | { readonly kind: 'baseEnvironment'; readonly env: BaseEnvironment }
  | { readonly kind: 'subEnvironment'; readonly env: Environment; readonly base: BaseEnvironment };

function locate(collection: Collection, id: string): Target {
  if (id === collection.id) return { kind: 'collection' };
  const found = findItem(collection.children, id);
  if (found) return { kind: 'item', ...found };
  const base = collection.baseEnvironment;
  if (base) {
    if (base.id === id) return { kind: 'baseEnvironment', env: base };
    const sub = base.subEnvironments.find((e) => e.id === id);
    if (sub) return { kind: 'subEnvironment', env: sub, base };
  }
  throw new PlanError('notFound', `No item or environment with id ${id} in collection ${collection.name}`);
}

function findItem(items: readonly Item[], id: string): { item: Item; siblings: readonly Item[] } | undefined {
  for (const item of items) {
    if (item.id === id) return { item, siblings: items };
    if (item.kind === 'folder') {
      const inner = findItem(item.children, id);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** The folder a new item goes into, or undefined for the top level of the collection. */
function containerOf(collection: Collection, parentId: string): Folder | undefined {
  if (parentId === collection.id) return undefined;
  for (const item of walkItems(collection.children)) {
    if (item.id === parentId) {
      if (item.kind !== 'folder') throw new PlanError('unsupported', `${item.name} is not a folder`);
      return item;
    }
  }
  throw new PlanError('notFound', `No folder with id ${parentId} in collection ${collection.name}`);
}

/** Insomnia's duplicate placement: halfway between the original's sort key and the next one, or + 100. */
function sortKeyAfter(key: number, others: readonly number[]): number {
  let next = Infinity;
  for (const k of others) if (k > key && k < next) next = k;
  return next === Infinity ? key + 100 : key + (next - key) / 2;
}

function copyName(item: Item): string {
  return item.kind !== 'folder' && item.name === '' ? '' : `${item.name} (Copy)`;
}

function prefixOf(oldId: string, fallback: string): string {
  return idPrefix(oldId) ?? fallback;
}

// ---------------------------------------------------------------------------------------------------------------
// legacy `.insomnia/<Type>/<id>.yml`

function legacyDoc(
  type: string,
  id: string,
  parentId: string | null,
  now: number,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return { _id: id, type, parentId, modified: now, created: now, ...fields };
}

/** Insomnia 10 `Request` fields in declaration order, with the defaults its files show (`null` for unset scripts). */
function requestFields(name: string, method: string, url: string, now: number): Record<string, unknown> {
  return {
    url,
    name,
    description: '',
    method,
    body: {},
    parameters: [],
    headers: [],
    authentication: {},
    preRequestScript: null,
    metaSortKey: -now,
    isPrivate: false,
    pathParameters: null,
    afterResponseScript: null,
    settingStoreCookies: true,
    settingSendCookies: true,
    settingDisableRenderRequestBody: false,
    settingEncodeUrl: true,
    settingRebuildPath: true,
    settingFollowRedirects: 'global',
  };
}

function folderFields(name: string, now: number): Record<string, unknown> {
  return {
    name,
    description: '',
    environment: {},
    environmentPropertyOrder: null,
    metaSortKey: -now,
    preRequestScript: null,
    afterResponseScript: null,
    authentication: null,
    headers: null,
  };
}

function environmentFields(name: string, data: Record<string, unknown>, now: number): Record<string, unknown> {
  return { name, data, dataPropertyOrder: null, color: null, isPrivate: false, metaSortKey: now };
}

function planLegacy(collection: Collection, edit: Edit, ctx: EditContext): EditResult {
  const dir = collection.path;
  const fileOf = (type: string, id: string) => path.join(dir, type, `${id}.yml`);
  switch (edit.kind) {
    case 'rename': {
      const target = locate(collection, edit.id);
      const file = sourceOf(collection, target).file;
      const ed = new YamlEditor(ctx.readText(file));
      if (ed.value(['name']) === edit.name) return { changes: [] };
      ed.set(['name'], edit.name);
      if (ed.has(['modified'])) ed.set(['modified'], ctx.now);
      return { changes: [{ path: file, content: ed.toString() }] };
    }
    case 'createFolder':
    case 'createRequest': {
      const parentId = containerOf(collection, edit.parentId)?.id ?? collection.id;
      const type = edit.kind === 'createFolder' ? 'RequestGroup' : 'Request';
      const id = newId(ID_PREFIX[type]);
      const fields =
        edit.kind === 'createFolder'
          ? folderFields(edit.name, ctx.now)
          : requestFields(edit.name, edit.method ?? 'GET', edit.url ?? '', ctx.now);
      const doc = legacyDoc(type, id, parentId, ctx.now, fields);
      return { createdId: id, changes: [{ path: fileOf(type, id), content: renderYamlDocument(doc) }] };
    }
    case 'duplicate': {
      const target = locate(collection, edit.id);
      if (target.kind === 'item') {
        const { item, siblings } = target;
        const ids = new Map<string, string>();
        const docs = [item, ...(item.kind === 'folder' ? walkItems(item.children) : [])];
        for (const d of docs) ids.set(d.id, newId(prefixOf(d.id, ID_PREFIX[MODEL_TYPE_OF_KIND[d.kind]])));
        const changes: FileChange[] = docs.map((d) => {
          const top = d === item;
          const ed = new YamlEditor(ctx.readText(d.source.file));
          const newDocId = ids.get(d.id) as string;
          ed.set(['_id'], newDocId);
          ed.set(['parentId'], top ? d.parentId : (ids.get(d.parentId) ?? d.parentId));
          ed.set(['modified'], ctx.now);
          ed.set(['created'], ctx.now);
          if (top) {
            ed.set(['name'], copyName(item));
            const others = siblings.filter((s) => s !== item).map((s) => s.sortKey);
            ed.set(['metaSortKey'], sortKeyAfter(item.sortKey, others));
          }
          return { path: path.join(path.dirname(d.source.file), `${newDocId}.yml`), content: ed.toString() };
        });
        return { createdId: ids.get(item.id), changes };
      }
      if (target.kind === 'subEnvironment') {
        const { env, base } = target;
        const id = newId(ID_PREFIX.Environment);
        const ed = new YamlEditor(ctx.readText(env.source.file));
        ed.set(['_id'], id);
        ed.set(['modified'], ctx.now);
        ed.set(['created'], ctx.now);
        ed.set(['name'], `${env.name} (Copy)`);
        const others = base.subEnvironments.filter((e) => e !== env).map((e) => e.sortKey);
        ed.set(['metaSortKey'], sortKeyAfter(env.sortKey, others));
        return {
          createdId: id,
          changes: [{ path: path.join(path.dirname(env.source.file), `${id}.yml`), content: ed.toString() }],
        };
      }
      throw new PlanError('unsupported', `Cannot duplicate the ${describe(target)}`);
    }
    case 'delete': {
      const target = locate(collection, edit.id);
      if (target.kind === 'item') {
        const { item } = target;
        const files = new Set<string>([item.source.file]);
        if (item.kind === 'folder') for (const d of walkItems(item.children)) files.add(d.source.file);
        return { changes: [...files].map((file) => ({ path: file, content: null })) };
      }
      if (target.kind === 'subEnvironment') return { changes: [{ path: target.env.source.file, content: null }] };
      throw new PlanError('unsupported', `Cannot delete the ${describe(target)}`);
    }
    case 'createEnvironment': {
      const changes: FileChange[] = [];
      let baseId = collection.baseEnvironment?.id;
      if (!baseId) {
        baseId = baseEnvironmentId(collection.id);
        const base = legacyDoc('Environment', baseId, collection.id, ctx.now, environmentFields('Base Environment', {}, ctx.now));
        changes.push({ path: fileOf('Environment', baseId), content: renderYamlDocument(base) });
      }
      const id = newId(ID_PREFIX.Environment);
      const doc = legacyDoc('Environment', id, baseId, ctx.now, environmentFields(edit.name, edit.data ?? {}, ctx.now));
      changes.push({ path: fileOf('Environment', id), content: renderYamlDocument(doc) });
      return { createdId: id, changes };
    }
  }
}

function sourceOf(collection: Collection, target: Target): SourceRef {
  switch (target.kind) {
    case 'collection':
      return collection.source;
    case 'item':
      return target.item.source;
    case 'baseEnvironment':
    case 'subEnvironment':
      return target.env.source;
  }
}

function describe(target: Target): string {
  return target.kind === 'collection' ? 'collection itself' : target.kind === 'baseEnvironment' ? 'base environment' : 'item';
}

// ---------------------------------------------------------------------------------------------------------------
// v5 single file

/** Keys that follow `collection` in a v5 file (Insomnia's key order), so a created `collection:` goes before them. */
const AFTER_COLLECTION = ['cookieJar', 'environments', 'spec', 'testSuites', 'certificates'];
/** Keys that follow `children` in a v5 folder. */
const AFTER_CHILDREN = ['scripts', 'authentication', 'headers', 'environment', 'environmentPropertyOrder'];
/** Keys that follow `environments` in a v5 file. */
const AFTER_ENVIRONMENTS = ['spec', 'testSuites', 'certificates'];

type Mapping = Record<string, unknown>;

function isMapping(v: unknown): v is Mapping {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The YAML path of a model object in the current text: the reader's path when the node there still has this id,
 * else a search of the file by `meta.id` (the file may have changed since it was read). Items without `meta.id`
 * (allowed in v5; the reader then makes an id up) are trusted at the reader's path.
 */
function v5Path(ed: YamlEditor, source: SourceRef, id: string): YamlPath {
  const hint = source.yamlPath;
  const hintId = ed.value([...hint, 'meta', 'id']);
  if (hintId === id) return hint;
  const found = findById(ed, id);
  if (found) return found;
  if (hintId === undefined && ed.has(hint)) return hint;
  throw new PlanError('notFound', `No ${id} in ${source.file}`);
}

function findById(ed: YamlEditor, id: string): YamlPath | undefined {
  const walk = (seq: YamlPath): YamlPath | undefined => {
    const n = ed.length(seq);
    for (let i = 0; i < n; i++) {
      const p = [...seq, i];
      if (ed.value([...p, 'meta', 'id']) === id) return p;
      if (ed.has([...p, 'children'])) {
        const inner = walk([...p, 'children']);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  const inItems = walk(['collection']);
  if (inItems) return inItems;
  if (ed.value(['environments', 'meta', 'id']) === id) return ['environments'];
  const subs = ['environments', 'subEnvironments'];
  const n = ed.length(subs);
  for (let i = 0; i < n; i++) if (ed.value([...subs, i, 'meta', 'id']) === id) return [...subs, i];
  return undefined;
}

function v5Request(name: string, method: string, url: string, id: string, now: number): Mapping {
  return {
    url,
    name,
    meta: { id, created: now, modified: now, isPrivate: false, description: '', sortKey: -now },
    method,
    settings: {
      renderRequestBody: true,
      encodeUrl: true,
      followRedirects: 'global',
      cookies: { send: true, store: true },
      rebuildPath: true,
    },
  };
}

function v5Folder(name: string, id: string, now: number): Mapping {
  return { name, meta: { id, created: now, modified: now, sortKey: -now, description: '' } };
}

function v5SubEnvironment(name: string, data: Mapping | undefined, id: string, now: number): Mapping {
  const env: Mapping = { name, meta: { id, created: now, modified: now, isPrivate: false, sortKey: now } };
  if (data && Object.keys(data).length > 0) env.data = data;
  return env;
}

/** A copy of a v5 item with fresh ids for it and its descendants, `created`/`modified` = now, and `patch` on top. */
function copyV5(value: unknown, now: number, fallbackPrefix: string, patch: (copy: Mapping) => void): Mapping {
  if (!isMapping(value)) throw new PlanError('unsupported', 'Cannot duplicate an item that is not a mapping');
  const copy: Mapping = { ...value };
  const meta = isMapping(copy.meta) ? { ...copy.meta } : {};
  const oldId = typeof meta.id === 'string' ? meta.id : '';
  meta.id = newId(prefixOf(oldId, fallbackPrefix));
  meta.created = now;
  meta.modified = now;
  copy.meta = meta;
  if (Array.isArray(copy.children)) {
    copy.children = copy.children.map((child: unknown) =>
      isMapping(child) ? copyV5(child, now, 'children' in child ? ID_PREFIX.RequestGroup : ID_PREFIX.Request, () => {}) : child,
    );
  }
  patch(copy);
  return copy;
}

function planV5(collection: Collection, edit: Edit, ctx: EditContext): EditResult {
  const file = collection.source.file;
  const ed = new YamlEditor(ctx.readText(file));
  const done = (createdId?: string): EditResult => {
    const content = ed.toString();
    return { createdId, changes: content === ed.text ? [] : [{ path: file, content }] };
  };
  switch (edit.kind) {
    case 'rename': {
      const target = locate(collection, edit.id);
      const p = target.kind === 'collection' ? [] : v5Path(ed, sourceOf(collection, target), edit.id);
      if (ed.value([...p, 'name']) === edit.name) return { changes: [] };
      ed.set([...p, 'name'], edit.name);
      if (ed.has([...p, 'meta', 'modified'])) ed.set([...p, 'meta', 'modified'], ctx.now);
      return done();
    }
    case 'createFolder':
    case 'createRequest': {
      const folder = containerOf(collection, edit.parentId);
      const seq = folder ? [...v5Path(ed, folder.source, folder.id), 'children'] : ['collection'];
      const before = folder ? AFTER_CHILDREN : AFTER_COLLECTION;
      const id = newId(edit.kind === 'createFolder' ? ID_PREFIX.RequestGroup : ID_PREFIX.Request);
      const value =
        edit.kind === 'createFolder'
          ? v5Folder(edit.name, id, ctx.now)
          : v5Request(edit.name, edit.method ?? 'GET', edit.url ?? '', id, ctx.now);
      ed.insertSeqItem(seq, 'end', value, { before });
      return done(id);
    }
    case 'duplicate': {
      const target = locate(collection, edit.id);
      if (target.kind === 'item') {
        const { item, siblings } = target;
        const p = v5Path(ed, item.source, item.id);
        const others = siblings.filter((s) => s !== item).map((s) => s.sortKey);
        const sortKey = sortKeyAfter(item.sortKey, others);
        const prefix = ID_PREFIX[MODEL_TYPE_OF_KIND[item.kind]];
        const copy = copyV5(ed.value(p), ctx.now, prefix, (c) => {
          c.name = copyName(item);
          (c.meta as Mapping).sortKey = sortKey;
        });
        ed.insertSeqItem(p.slice(0, -1), (p[p.length - 1] as number) + 1, copy);
        return done((copy.meta as Mapping).id as string);
      }
      if (target.kind === 'subEnvironment') {
        const { env, base } = target;
        const p = v5Path(ed, env.source, env.id);
        const others = base.subEnvironments.filter((e) => e !== env).map((e) => e.sortKey);
        const sortKey = sortKeyAfter(env.sortKey, others);
        const copy = copyV5(ed.value(p), ctx.now, ID_PREFIX.Environment, (c) => {
          c.name = `${env.name} (Copy)`;
          (c.meta as Mapping).sortKey = sortKey;
        });
        ed.insertSeqItem(p.slice(0, -1), (p[p.length - 1] as number) + 1, copy);
        return done((copy.meta as Mapping).id as string);
      }
      throw new PlanError('unsupported', `Cannot duplicate the ${describe(target)}`);
    }
    case 'delete': {
      const target = locate(collection, edit.id);
      if (target.kind !== 'item' && target.kind !== 'subEnvironment') {
        throw new PlanError('unsupported', `Cannot delete the ${describe(target)}`);
      }
      const p = v5Path(ed, sourceOf(collection, target), edit.id);
      const seq = p.slice(0, -1);
      if (ed.length(seq) === 1) ed.deleteKey(seq);
      else ed.deleteSeqItem(p);
      return done();
    }
    case 'createEnvironment': {
      const id = newId(ID_PREFIX.Environment);
      const sub = v5SubEnvironment(edit.name, edit.data, id, ctx.now);
      const base = collection.baseEnvironment;
      if (base) {
        ed.insertSeqItem([...v5Path(ed, base.source, base.id), 'subEnvironments'], 'end', sub);
      } else {
        const baseEnv = {
          name: 'Base Environment',
          meta: { id: baseEnvironmentId(collection.id), created: ctx.now, modified: ctx.now, isPrivate: false },
          subEnvironments: [sub],
        };
        ed.set(['environments'], baseEnv, { before: AFTER_ENVIRONMENTS });
      }
      return done(id);
    }
  }
}
