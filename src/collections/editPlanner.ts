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
// - setEnvironment / setFolderFields: each given field when it means something else than the file's (variables key by
//   key, see edit/deepWrite.ts; their order in Insomnia's json-order map when it is not the mapping's), and `modified`.
//   v5 leaves out what Insomnia's exporter leaves out: no variables = no `data` key, no colour = no `color` key, an
//   empty script = no script key (and no `scripts` when none is left).
// - moveEnvironment: the sub-environment's sort key, between its new neighbours' (Insomnia lists them by it).
// - setSpec: legacy, the ApiSpec's `contents` text; v5, `spec.contents`, the mapping the text is, written key by key.
// In a v5 file an edit parses only the lines of the object it changes when a line scan finds them (see
// `PlanOptions.windows`): measured on a 2 MB file (3,000 requests), 20-100 ms instead of 1.6-5.5 s.

import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Edit, EditContext, EditResult, EnvironmentFieldsPatch, FileChange, FolderFieldsPatch, NewCollectionOptions, RequestFieldsPatch } from './edits';
import type { BaseEnvironment, Collection, Environment, Folder, Item, Scope, Scripts, SourceRef } from './model';
import { holdsEnvironments, holdsItems, walkItems } from './model';
import { baseEnvironmentId, cookieJarId, ID_PREFIX, idPrefix, MODEL_TYPE_OF_KIND, newId } from './ids';
import { renderYamlDocument, YamlEditor, type YamlPath } from './yamlEdit';
import { isReservedDeviceName, legacyDocFile } from './edit/pathGuard';
import { itemsCarryType, NEWEST_V5_SCHEMA_VERSION as NEWEST_SCHEMA_VERSION } from './convert/insomniaDocs';
import { sameValue, writeDeep, writeVariables } from './edit/deepWrite';

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

/** Longest base name Hammock gives a new v5 file (the rest of a long collection name is cut; file names stop at 255 bytes). */
export const MAX_V5_BASE_NAME = 100;

/** The base name (without `.yaml`) of a new v5 file for a collection: `safeFileName`, cut to `MAX_V5_BASE_NAME`. */
export function v5FileBaseName(name: string, workspaceId: string): string {
  const base = safeFileName(name).slice(0, MAX_V5_BASE_NAME).replace(/_+$/, '');
  if (!base) return `insomnia.${workspaceId}`.slice(0, MAX_V5_BASE_NAME);
  // a collection named CON or aux: `con.yaml` is a device on Windows (the path guard refuses it), `con_.yaml` is not
  return isReservedDeviceName(base) ? `${base}_` : base;
}

/** The `type:` line of a v5 file for each scope Hammock can create. */
const V5_FILE_TYPE: Partial<Record<Scope, string>> = {
  collection: 'collection.insomnia.rest/5.0',
  design: 'spec.insomnia.rest/5.0',
  'mock-server': 'mock.insomnia.rest/5.0',
  environment: 'environment.insomnia.rest/5.0',
};

/** Insomnia 10's `MockServer.init()`: a new mock server serves on this url, in Insomnia's cloud. */
const NEW_MOCK_URL = 'http://localhost:8080';

export function planEdit(collection: Collection, edit: Edit, ctx: EditContext): EditResult {
  return planEditWith(collection, edit, ctx, {});
}

/** How `planEditWith` plans; `planEdit` uses the defaults. Tests compare windowed and whole-file plans with fixed ids. */
export interface PlanOptions {
  /**
   * v5: parse only the lines of the edited object (found by a line scan for its `meta.id`, then checked by parsing
   * them) instead of the whole file; the result is the same text. Default true: `yaml` takes seconds on a
   * multi-megabyte file, a window of one request a millisecond. Off, or when the scan finds no clean window, the
   * whole file is parsed.
   */
  readonly windows?: boolean;
  /** id factory (default `newId`). */
  readonly newId?: (prefix: string) => string;
}

export function planEditWith(collection: Collection, edit: Edit, ctx: EditContext, options: PlanOptions): EditResult {
  const opts: Required<PlanOptions> = { windows: options.windows ?? true, newId: options.newId ?? newId };
  checkScope(collection, edit);
  return collection.format === 'legacy' ? planLegacy(collection, edit, ctx, opts) : planV5(collection, edit, ctx, opts);
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
    const changes: FileChange[] = [
      { path: legacyDocFile(dir, 'Workspace', id), content: renderYamlDocument(workspace) },
      { path: legacyDocFile(dir, 'Environment', envId), content: renderYamlDocument(base) },
    ];
    if (scope === 'design') {
      // Insomnia creates a design document with its (empty) ApiSpec, the document `inso` and Insomnia 10 look for
      const specId = newId(ID_PREFIX.ApiSpec);
      const spec = legacyDoc('ApiSpec', specId, id, now, { fileName: options.name, contentType: 'yaml', contents: '' });
      changes.push({ path: legacyDocFile(dir, 'ApiSpec', specId), content: renderYamlDocument(spec) });
    } else if (scope === 'mock-server') {
      const mockId = newId('mock');
      const mock = legacyDoc('MockServer', mockId, id, now, { name: options.name, url: NEW_MOCK_URL, useInsomniaCloud: true });
      changes.push({ path: legacyDocFile(dir, 'MockServer', mockId), content: renderYamlDocument(mock) });
    }
    return { collectionId: id, createdId: id, changes };
  }
  const type = V5_FILE_TYPE[scope];
  if (!type) throw new PlanError('unsupported', `Cannot create a v5 file of scope ${scope}`);
  const doc: Record<string, unknown> = { type };
  const version = options.schemaVersion ?? NEWEST_SCHEMA_VERSION;
  if (version !== '5.0') doc.schema_version = version;
  doc.name = options.name;
  doc.meta = { id, created: now, modified: now, description: '' };
  if (scope === 'mock-server') {
    doc.server = { meta: { id: newId('mock'), created: now, modified: now, isPrivate: false }, url: NEW_MOCK_URL, useInsomniaCloud: true };
  } else {
    if (scope !== 'environment') {
      doc.collection = [];
      doc.cookieJar = { name: 'Default Jar', meta: { id: cookieJarId(id), created: now, modified: now } };
    }
    doc.environments = { name: 'Base Environment', meta: { id: envId, created: now, modified: now, isPrivate: false } };
  }
  return {
    collectionId: id,
    createdId: id,
    changes: [{ path: path.join(options.root, `${v5FileBaseName(options.name, id)}.yaml`), content: renderYamlDocument(doc) }],
  };
}

/** Refuses an edit the collection's kind of workspace cannot hold (a folder in a mock server, an environment file). */
function checkScope(collection: Collection, edit: Edit): void {
  const what = { 'mock-server': 'A mock server', environment: 'An environment file', mcp: 'An MCP client', collection: '', design: '' }[collection.scope];
  if ((edit.kind === 'createFolder' || edit.kind === 'createRequest' || edit.kind === 'move') && !holdsItems(collection.scope)) {
    const what2 = edit.kind === 'move' ? 'take a moved item' : `get a new ${edit.kind === 'createFolder' ? 'folder' : 'request'}`;
    throw new PlanError('unsupported', `${what} holds no folders or requests: "${collection.name}" cannot ${what2}`);
  }
  if (edit.kind === 'createEnvironment' && !holdsEnvironments(collection.scope)) {
    throw new PlanError('unsupported', `${what} holds no environments: "${collection.name}" cannot get a new environment`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// locating model objects

type Target =
  | { readonly kind: 'collection' }
  | { readonly kind: 'item'; readonly item: Item; readonly siblings: readonly Item[] }
  | { readonly kind: 'baseEnvironment'; readonly env: BaseEnvironment }
  | { readonly kind: 'subEnvironment'; readonly env: Environment; readonly base: BaseEnvironment };

function locate(collection: Collection, id: string, ctx?: EditContext): Target {
  if (id === collection.id) return { kind: 'collection' };
  const known = ctx?.lookup?.(id);
  if (known && 'kind' in known) {
    // the index's item, with its siblings from its parent (what a walk of the collection would find)
    const parent = known.parentId === collection.id ? undefined : ctx!.lookup!(known.parentId);
    const siblings = parent === undefined ? collection.children : 'kind' in parent && parent.kind === 'folder' ? parent.children : undefined;
    if (siblings?.includes(known)) return { kind: 'item', item: known, siblings };
  } else if (known) {
    const base = collection.baseEnvironment;
    if (base === known) return { kind: 'baseEnvironment', env: base };
    if (base?.subEnvironments.includes(known)) return { kind: 'subEnvironment', env: known, base };
  }
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

/**
 * Where a move puts an item: its new parent (refusing the item itself and its own descendants) and its new sort key,
 * halfway between the neighbours it lands between (Insomnia's drag and drop), or 100 past the last sibling.
 */
function planMove(collection: Collection, item: Item, parentId: string, before: string | undefined): { parent: Folder | undefined; sortKey: number } {
  const parent = containerOf(collection, parentId);
  for (let p: Item | undefined = parent; p; ) {
    if (p.id === item.id) throw new PlanError('unsupported', `Cannot move ${item.name || 'a folder'} into itself`);
    const up: string = p.parentId;
    p = up === collection.id ? undefined : (findItem(collection.children, up)?.item as Item | undefined);
  }
  const siblings = (parent ? parent.children : collection.children).filter((s) => s.id !== item.id);
  const keys = siblings.map((s) => s.sortKey).sort((a, b) => a - b);
  if (before === undefined) return { parent, sortKey: keys.length ? keys[keys.length - 1] + 100 : item.sortKey };
  const at = siblings.find((s) => s.id === before);
  if (!at) throw new PlanError('notFound', `No item ${before} in the folder to move into`);
  const lower = keys.filter((k) => k < at.sortKey);
  return { parent, sortKey: lower.length ? (lower[lower.length - 1] + at.sortKey) / 2 : at.sortKey - 100 };
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

/** The prefix of a copy's id: the original's when it is a plain Insomnia prefix (`req`, `ws-req`), else `fallback`. */
function prefixOf(oldId: string, fallback: string): string {
  const prefix = idPrefix(oldId);
  return prefix && /^[a-z][a-z-]*$/.test(prefix) ? prefix : fallback;
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

function environmentFields(name: string, data: Record<string, unknown>, sortKey: number): Record<string, unknown> {
  return { name, data, dataPropertyOrder: null, color: null, isPrivate: false, metaSortKey: sortKey };
}

function planLegacy(collection: Collection, edit: Edit, ctx: EditContext, opts: Required<PlanOptions>): EditResult {
  const newId = opts.newId;
  const dir = collection.path;
  const fileOf = (type: string, id: string) => legacyDocFile(dir, type, id);
  switch (edit.kind) {
    case 'rename': {
      const target = locate(collection, edit.id, ctx);
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
      const id = (edit.kind === 'createFolder' && edit.id) || newId(ID_PREFIX[type]);
      const fields =
        edit.kind === 'createFolder'
          ? folderFields(edit.name, ctx.now)
          : requestFields(edit.name, edit.method ?? 'GET', edit.url ?? '', ctx.now);
      const doc = legacyDoc(type, id, parentId, ctx.now, fields);
      return { createdId: id, changes: [{ path: fileOf(type, id), content: renderYamlDocument(doc) }] };
    }
    case 'duplicate': {
      const target = locate(collection, edit.id, ctx);
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
          return { path: fileOf(MODEL_TYPE_OF_KIND[d.kind], newDocId), content: ed.toString() };
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
          changes: [{ path: fileOf('Environment', id), content: ed.toString() }],
        };
      }
      throw new PlanError('unsupported', `Cannot duplicate the ${describe(target)}`);
    }
    case 'delete': {
      const target = locate(collection, edit.id, ctx);
      if (target.kind === 'item') {
        const { item } = target;
        const files = new Set<string>([item.source.file]);
        if (item.kind === 'folder') for (const d of walkItems(item.children)) files.add(d.source.file);
        // descendants first (the reverse of the walk's parent-first order): a save killed half-way leaves a smaller
        // folder, never documents whose parent is gone, which Insomnia never shows
        return { changes: [...files].reverse().map((file) => ({ path: file, content: null })) };
      }
      if (target.kind === 'subEnvironment') return { changes: [{ path: target.env.source.file, content: null }] };
      throw new PlanError('unsupported', `Cannot delete the ${describe(target)}`);
    }
    case 'move': {
      const target = locate(collection, edit.id, ctx);
      if (target.kind !== 'item') throw new PlanError('unsupported', `Only folders and requests can be moved, not the ${describe(target)}`);
      const { item } = target;
      const { parent, sortKey } = planMove(collection, item, edit.parentId, edit.before);
      const newParentId = parent?.id ?? collection.id;
      const file = item.source.file;
      const ed = new YamlEditor(ctx.readText(file));
      if (ed.value(['parentId']) === newParentId && ed.value(['metaSortKey']) === sortKey) return { changes: [] };
      ed.set(['parentId'], newParentId);
      ed.set(['metaSortKey'], sortKey);
      if (ed.has(['modified'])) ed.set(['modified'], ctx.now);
      return { changes: [{ path: file, content: ed.toString() }] };
    }
    case 'createEnvironment': {
      const changes: FileChange[] = [];
      let baseId = collection.baseEnvironment?.id;
      if (!baseId) {
        baseId = baseEnvironmentId(collection.id);
        const base = legacyDoc('Environment', baseId, collection.id, ctx.now, environmentFields('Base Environment', {}, ctx.now));
        changes.push({ path: fileOf('Environment', baseId), content: renderYamlDocument(base) });
      }
      const id = edit.id ?? newId(ID_PREFIX.Environment);
      const doc = legacyDoc('Environment', id, baseId, ctx.now, { ...environmentFields(edit.name, edit.data ?? {}, edit.sortKey ?? ctx.now), color: edit.color ?? null });
      if (edit.created !== undefined) doc.created = edit.created;
      changes.push({ path: fileOf('Environment', id), content: renderYamlDocument(doc) });
      return { createdId: id, changes };
    }
    case 'setRequestFields': {
      const target = locate(collection, edit.id, ctx);
      if (target.kind !== 'item' || target.item.kind !== 'request') {
        throw new PlanError('unsupported', `${edit.id} is not an HTTP request`);
      }
      const file = target.item.source.file;
      const ed = new YamlEditor(ctx.readText(file));
      const changed = writeRequestFields(ed, [], requestFieldWrites(edit.fields, 'legacy'), REQUEST_KEY_ORDER.legacy, 'legacy');
      if (!(writeScripts(ed, [], edit.fields.scripts, 'legacy', REQUEST_KEY_ORDER.legacy) || changed)) return { changes: [] };
      if (ed.has(['modified'])) ed.set(['modified'], ctx.now);
      return { changes: [{ path: file, content: ed.toString() }] };
    }
    case 'setEnvironment': {
      const env = environmentTarget(collection, edit.id, ctx);
      const file = env.source.file;
      const ed = new YamlEditor(ctx.readText(file));
      if (!writeEnvironmentFields(ed, [], edit.fields, 'legacy')) return { changes: [] };
      if (ed.has(['modified'])) ed.set(['modified'], ctx.now);
      return { changes: [{ path: file, content: ed.toString() }] };
    }
    case 'moveEnvironment': {
      const { env, sortKey } = planEnvironmentMove(collection, edit.id, edit.before, ctx);
      const ed = new YamlEditor(ctx.readText(env.source.file));
      if (ed.value(['metaSortKey']) === sortKey) return { changes: [] };
      ed.set(['metaSortKey'], sortKey);
      if (ed.has(['modified'])) ed.set(['modified'], ctx.now);
      return { changes: [{ path: env.source.file, content: ed.toString() }] };
    }
    case 'setFolderFields': {
      const folder = folderTarget(collection, edit.id, ctx);
      const file = folder.source.file;
      const ed = new YamlEditor(ctx.readText(file));
      if (!writeFolderFields(ed, [], edit.fields, 'legacy')) return { changes: [] };
      if (ed.has(['modified'])) ed.set(['modified'], ctx.now);
      return { changes: [{ path: file, content: ed.toString() }] };
    }
    case 'setSpec': {
      const spec = collection.spec;
      if (!spec) throw new PlanError('unsupported', `"${collection.name}" has no API spec`);
      const ed = new YamlEditor(ctx.readText(spec.source.file));
      if (ed.value(['contents']) === edit.contents) return { changes: [] };
      ed.set(['contents'], edit.contents);
      if (ed.has(['modified'])) ed.set(['modified'], ctx.now);
      return { changes: [{ path: spec.source.file, content: ed.toString() }] };
    }
    case 'setEnvironmentData': {
      const file = environmentTarget(collection, edit.id, ctx).source.file;
      const ed = new YamlEditor(ctx.readText(file));
      if (!writeEnvironmentData(ed, [], edit.data, 'legacy')) return { changes: [] };
      if (ed.has(['modified'])) ed.set(['modified'], ctx.now);
      return { changes: [{ path: file, content: ed.toString() }] };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// environments, folders, scripts, specs (both formats)

function environmentTarget(collection: Collection, id: string, ctx: EditContext): Environment {
  const target = locate(collection, id, ctx);
  if (target.kind !== 'baseEnvironment' && target.kind !== 'subEnvironment') throw new PlanError('unsupported', `${id} is not an environment`);
  return target.env;
}

function folderTarget(collection: Collection, id: string, ctx: EditContext): Folder {
  const target = locate(collection, id, ctx);
  if (target.kind !== 'item' || target.item.kind !== 'folder') throw new PlanError('unsupported', `${id} is not a folder`);
  return target.item;
}

/** A sub-environment's new sort key: halfway between the neighbours it lands between, or 100 past the last one. */
function planEnvironmentMove(collection: Collection, id: string, before: string | undefined, ctx: EditContext): { env: Environment; sortKey: number } {
  const target = locate(collection, id, ctx);
  if (target.kind !== 'subEnvironment') throw new PlanError('unsupported', 'Only sub-environments can be reordered');
  const { env, base } = target;
  const keys = base.subEnvironments.filter((e) => e !== env).map((e) => e.sortKey).sort((a, b) => a - b);
  if (before === undefined) return { env, sortKey: keys.length ? Math.max(keys[keys.length - 1] + 100, env.sortKey) : env.sortKey };
  const at = base.subEnvironments.find((e) => e.id === before && e !== env);
  if (!at) throw new PlanError('notFound', `No sub-environment ${before} to move before`);
  const lower = keys.filter((k) => k < at.sortKey);
  return { env, sortKey: lower.length ? (lower[lower.length - 1] + at.sortKey) / 2 : at.sortKey - 100 };
}

/** Sets `path` under `base`, creating the missing parent mappings (`meta:`) with the value inside. */
function setNested(ed: YamlEditor, base: YamlPath, p: YamlPath, value: unknown, before?: readonly string[]): void {
  let depth = p.length;
  while (depth > 1 && !ed.has([...base, ...p.slice(0, depth - 1)])) depth--;
  let v = value;
  for (let i = p.length - 1; i >= depth; i--) v = { [p[i] as string]: v };
  ed.set([...base, ...p.slice(0, depth)], v, { before: depth === 1 ? before : undefined });
}

/** The environment editor's fields, under the environment's object at `base`. Returns whether anything changed. */
function writeEnvironmentFields(ed: YamlEditor, base: YamlPath, fields: EnvironmentFieldsPatch, format: 'legacy' | 'v5'): boolean {
  let changed = false;
  const v5 = format === 'v5';
  if (fields.name !== undefined && ed.value([...base, 'name']) !== fields.name) {
    setNested(ed, base, ['name'], fields.name);
    changed = true;
  }
  if (fields.data !== undefined) {
    changed =
      writeVariables(ed, [...base, 'data'], [...base, 'dataPropertyOrder'], plain(fields.data) as Mapping, {
        order: fields.order,
        emptyMeansAbsent: v5,
        dataBefore: v5 ? ['dataPropertyOrder', 'color', 'subEnvironments'] : undefined,
        orderBefore: v5 ? ['color', 'subEnvironments'] : undefined,
      }) || changed;
  }
  if (fields.color !== undefined) {
    const current = ed.value([...base, 'color']) ?? null;
    if (current !== fields.color) {
      if (fields.color === null && v5) ed.deleteKey([...base, 'color']);
      else setNested(ed, base, ['color'], fields.color, v5 ? ['subEnvironments'] : undefined);
      changed = true;
    }
  }
  if (fields.isPrivate !== undefined) {
    const p = v5 ? ['meta', 'isPrivate'] : ['isPrivate'];
    if ((ed.value([...base, ...p]) ?? false) !== fields.isPrivate) {
      setNested(ed, base, p, fields.isPrivate);
      changed = true;
    }
  }
  return changed;
}

/** A folder's fields, under its object at `base`. Returns whether anything changed. */
function writeFolderFields(ed: YamlEditor, base: YamlPath, fields: FolderFieldsPatch, format: 'legacy' | 'v5'): boolean {
  let changed = false;
  if (fields.environment !== undefined) {
    changed =
      writeVariables(ed, [...base, 'environment'], [...base, 'environmentPropertyOrder'], plain(fields.environment) as Mapping, {
        order: fields.environmentOrder,
        emptyMeansAbsent: format === 'v5',
        dataBefore: format === 'v5' ? ['environmentPropertyOrder'] : undefined,
      }) || changed;
  }
  const writes: FieldWrite[] = [];
  if (fields.headers !== undefined) writes.push({ path: ['headers'], value: plain(fields.headers), kind: 'rows' });
  if (fields.authentication !== undefined) writes.push({ path: ['authentication'], value: plain(fields.authentication), kind: 'auth' });
  changed = writeRequestFields(ed, base, writes, FOLDER_KEY_ORDER[format], format) || changed;
  return writeScripts(ed, base, fields.scripts, format, FOLDER_KEY_ORDER[format]) || changed;
}

/**
 * A request's or folder's scripts. Legacy: `preRequestScript` / `afterResponseScript` (null = none, as 10.x writes);
 * v5: `scripts.preRequest` / `scripts.afterResponse`, an empty one left out (and `scripts` with it when none is left,
 * as Insomnia's exporter and its 5.1 migration do).
 */
function writeScripts(ed: YamlEditor, base: YamlPath, scripts: Partial<Scripts> | undefined, format: 'legacy' | 'v5', order: KeyOrder): boolean {
  if (!scripts) return false;
  const given = (['preRequest', 'afterResponse'] as const).filter((k) => scripts[k] !== undefined);
  if (given.length === 0) return false;
  if (format === 'legacy') {
    let changed = false;
    for (const k of given) {
      const key = k === 'preRequest' ? 'preRequestScript' : 'afterResponseScript';
      const current = ed.value([...base, key]);
      if ((typeof current === 'string' ? current : '') === scripts[k]) continue;
      setNested(ed, base, [key], scripts[k]);
      changed = true;
    }
    return changed;
  }
  const current = ed.value([...base, 'scripts']);
  const cur = isMapping(current) ? current : {};
  // only the scripts given with a new text change: an untouched one stays as it is written (an empty
  // `preRequest: ""` Insomnia wrote is no line of the user's edit)
  const changes = given.filter((k) => (typeof cur[k] === 'string' ? cur[k] : '') !== scripts[k]);
  if (changes.length === 0) return false;
  const next: Mapping = { ...cur };
  for (const k of changes) {
    if (scripts[k] === '') delete next[k];
    else next[k] = scripts[k];
  }
  if (Object.keys(next).length === 0) {
    if (current === undefined) return false;
    ed.deleteKey([...base, 'scripts']);
    return true;
  }
  if (!isMapping(current) || Object.keys(current).length === 0) {
    ed.set([...base, 'scripts'], next, { before: keysAfter(order, ['scripts']) });
    return true;
  }
  for (const k of changes) {
    if (!(k in next)) {
      if (k in cur) ed.deleteKey([...base, 'scripts', k]);
    } else {
      ed.set([...base, 'scripts', k], next[k]);
    }
  }
  return true;
}

// environment data (what scripts set)

/** Keys that follow `data` in an environment (legacy and v5), so a created `data:` goes before them. */
const AFTER_DATA = ['dataPropertyOrder', 'color', 'isPrivate', 'metaSortKey', 'subEnvironments', 'environmentType', 'kvPairData'];

/**
 * Insomnia's property order map of a JSON value (its json-order module: `&` for the top level, `&~|key` for the
 * object under `key`, each the keys in order), written beside `data` when the file keeps one.
 */
export function propertyOrderOf(data: Readonly<Record<string, unknown>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const walk = (value: Readonly<Record<string, unknown>>, at: string) => {
    out[at] = Object.keys(value);
    for (const [k, v] of Object.entries(value)) if (isMapping(v)) walk(v, `${at}~|${k}`);
  };
  walk(data, '&');
  return out;
}

/**
 * Writes an environment's variables as `next` says, touching only what changed: each added or changed variable is
 * set, each removed one deleted (an empty v5 `data` is dropped, as Insomnia's export drops empty values). Where the
 * file keeps `dataPropertyOrder` (a mapping) or `kvPairData` (Insomnia 10's key-value editor), they follow. Returns
 * whether anything changed.
 */
function writeEnvironmentData(ed: YamlEditor, base: YamlPath, next: Readonly<Record<string, unknown>>, format: 'legacy' | 'v5'): boolean {
  const dataPath = [...base, 'data'];
  const raw = ed.value(dataPath);
  const current: Mapping = isMapping(raw) ? raw : {};
  const want = plain(next) as Mapping;
  const added = Object.keys(want).filter((k) => !(k in current));
  const changed = Object.keys(want).filter((k) => k in current && !sameValue(current[k], want[k]));
  const removed = Object.keys(current).filter((k) => !(k in want));
  if (added.length + changed.length + removed.length === 0) return false;
  if (Object.keys(want).length === 0) {
    if (format === 'v5') ed.deleteKey(dataPath);
    else ed.set(dataPath, {});
  } else if (!isMapping(raw) || Object.keys(current).length === 0) {
    ed.set(dataPath, want, { before: AFTER_DATA });
  } else if (removed.length === Object.keys(current).length) {
    // every variable goes: the mapping whole (the editor reads the text as it was, so deleting its last old key would
    // write `{}` while the new keys were still inserted below it)
    ed.set(dataPath, want);
  } else {
    for (const k of [...changed, ...added]) ed.set([...dataPath, k], want[k]);
    for (const k of removed) ed.deleteKey([...dataPath, k]);
  }
  const orderPath = [...base, 'dataPropertyOrder'];
  const order = ed.value(orderPath);
  if (isMapping(order)) {
    const wanted = propertyOrderOf(want);
    for (const [k, keys] of Object.entries(wanted)) if (!sameValue(order[k], keys)) ed.set([...orderPath, k], keys);
    for (const k of Object.keys(order)) if (!(k in wanted)) ed.deleteKey([...orderPath, k]);
  }
  const kvPath = [...base, 'kvPairData'];
  const kv = ed.value(kvPath);
  if (Array.isArray(kv) && kv.every(isMapping)) {
    const rows = kv as Mapping[];
    const row = (name: string): Mapping => {
      const v = want[name];
      return { id: newId('envPair'), name, value: typeof v === 'string' ? v : JSON.stringify(v), type: typeof v === 'string' ? 'str' : 'json', enabled: true };
    };
    if (rows.length > 0 && added.length > 0 && rows.every((r) => removed.includes(String(r.name ?? '')))) {
      // every row goes and others come: the list whole (as for `data` above)
      ed.set(kvPath, added.map(row));
      return true;
    }
    for (let i = rows.length - 1; i >= 0; i--) {
      const name = String(rows[i].name ?? '');
      if (removed.includes(name)) ed.deleteSeqItem([...kvPath, i]);
      else if (changed.includes(name)) {
        const v = want[name];
        ed.set([...kvPath, i, 'value'], typeof v === 'string' ? v : JSON.stringify(v));
      }
    }
    for (const name of added) ed.insertSeqItem(kvPath, 'end', row(name));
  }
  return true;
}

/**
 * A v5 design document's spec: the text as the YAML mapping `spec.contents` holds. A `spec: {file: X}` is a file name
 * with no contents to Insomnia (its SpecSchema tries `{file}` first): unchanged empty contents leave it as it is, and
 * contents replace `file` (which Insomnia would otherwise read instead of them).
 */
function writeV5Spec(ed: YamlEditor, contents: string): boolean {
  if (typeof ed.value(['spec', 'file']) === 'string') {
    if (contents === '') return false;
    ed.deleteKey(['spec', 'file']);
  }
  let value: unknown;
  try {
    value = contents.trim() === '' ? {} : parseYaml(contents);
  } catch (err) {
    throw new PlanError('unsupported', `The spec is not valid YAML, so it cannot be stored in the v5 file: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  if (!isMapping(value)) throw new PlanError('unsupported', 'The spec must be a YAML or JSON mapping (an OpenAPI document) to be stored in the v5 file');
  const current = ed.value(['spec', 'contents']);
  if (current === undefined) {
    setNested(ed, [], ['spec', 'contents'], value);
    return true;
  }
  return writeDeep(ed, ['spec', 'contents'], current, value);
}

// ---------------------------------------------------------------------------------------------------------------
// request fields (the request editor)

/** How a field's value is written: as a whole, as a list of rows, as a body, or as an auth mapping. */
type FieldKind = 'scalar' | 'rows' | 'body' | 'auth';

/** One key to write: its path inside the request object, the plain value, and how. */
interface FieldWrite {
  readonly path: YamlPath;
  readonly value: unknown;
  readonly kind: FieldKind;
}

/**
 * Where each field of `RequestFieldsPatch` lives. Legacy (Insomnia's `Request` document): top-level `url`, `method`,
 * `parameters`, `headers`, `body`, `authentication`, `description` and the flat `setting*` keys
 * (`settingDisableRenderRequestBody` is the negation of `renderRequestBody`). v5: the same names, but
 * `meta.description` and `settings.{renderRequestBody, encodeUrl, followRedirects, rebuildPath, cookies.send,
 * cookies.store}`.
 */
function requestFieldWrites(fields: RequestFieldsPatch, format: 'legacy' | 'v5'): FieldWrite[] {
  const out: FieldWrite[] = [];
  const put = (p: YamlPath, v: unknown, kind: FieldKind = 'scalar') => {
    if (v !== undefined) out.push({ path: p, value: plain(v), kind });
  };
  put(['url'], fields.url);
  put(['method'], fields.method);
  put(['parameters'], fields.parameters, 'rows');
  put(['headers'], fields.headers, 'rows');
  put(['body'], fields.body, 'body');
  put(['authentication'], fields.authentication, 'auth');
  put(format === 'legacy' ? ['description'] : ['meta', 'description'], fields.description);
  const st = fields.settings ?? {};
  if (format === 'legacy') {
    put(['settingStoreCookies'], st.storeCookies);
    put(['settingSendCookies'], st.sendCookies);
    put(['settingDisableRenderRequestBody'], st.renderRequestBody === undefined ? undefined : !st.renderRequestBody);
    put(['settingEncodeUrl'], st.encodeUrl);
    put(['settingRebuildPath'], st.rebuildPath);
    put(['settingFollowRedirects'], st.followRedirects);
  } else {
    put(['settings', 'renderRequestBody'], st.renderRequestBody);
    put(['settings', 'encodeUrl'], st.encodeUrl);
    put(['settings', 'followRedirects'], st.followRedirects);
    put(['settings', 'cookies', 'send'], st.sendCookies);
    put(['settings', 'cookies', 'store'], st.storeCookies);
    put(['settings', 'rebuildPath'], st.rebuildPath);
  }
  return out;
}

/**
 * Insomnia's key order of a request and a folder (its v5 export's, as in the real files of test/fixtures/v5; the
 * legacy models'), per parent path under the item: a key the file does not have yet goes where Insomnia would write
 * it, so that a teammate's next save in Insomnia (12.6+ rewrites a file not in its canonical form) does not move it, a
 * diff nobody made.
 */
type KeyOrder = Readonly<Record<string, readonly string[]>>;
const BODY_KEYS = ['mimeType', 'text', 'fileName', 'params'];
const REQUEST_KEY_ORDER: Record<'legacy' | 'v5', KeyOrder> = {
  v5: {
    '': ['url', 'name', 'meta', 'method', 'body', 'parameters', 'headers', 'authentication', 'scripts', 'settings', 'pathParameters'],
    meta: ['id', 'created', 'modified', 'isPrivate', 'description', 'sortKey'],
    settings: ['renderRequestBody', 'encodeUrl', 'followRedirects', 'cookies', 'rebuildPath'],
    'settings.cookies': ['send', 'store'],
    body: BODY_KEYS,
  },
  legacy: {
    '': ['_id', 'type', 'parentId', 'modified', 'created', 'url', 'name', 'description', 'method', 'body', 'parameters', 'headers', 'authentication',
      'preRequestScript', 'metaSortKey', 'isPrivate', 'pathParameters', 'afterResponseScript', 'settingStoreCookies', 'settingSendCookies',
      'settingDisableRenderRequestBody', 'settingEncodeUrl', 'settingRebuildPath', 'settingFollowRedirects'],
    body: BODY_KEYS,
  },
};
const FOLDER_KEY_ORDER: Record<'legacy' | 'v5', KeyOrder> = {
  v5: { '': ['name', 'meta', 'children', 'scripts', 'authentication', 'headers', 'environment', 'environmentPropertyOrder'] },
  legacy: {
    '': ['_id', 'type', 'parentId', 'modified', 'created', 'name', 'description', 'environment', 'environmentPropertyOrder', 'metaSortKey',
      'preRequestScript', 'afterResponseScript', 'authentication', 'headers'],
  },
};

/** The keys that follow the last key of `fieldPath` (from the item) in Insomnia's order: what a new key goes before. */
function keysAfter(order: KeyOrder, fieldPath: YamlPath): readonly string[] | undefined {
  const keys = order[fieldPath.slice(0, -1).join('.')];
  const at = keys?.indexOf(String(fieldPath[fieldPath.length - 1])) ?? -1;
  return at < 0 ? undefined : keys!.slice(at + 1);
}

/** A JSON-like copy: no `undefined` members (they would be written as `null`), arrays and mappings copied. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (isMapping(value)) {
    const out: Mapping = {};
    // `__proto__` (a variable a file or a script may name) stays an own key, as the readers keep it
    for (const [k, v] of Object.entries(value)) if (v !== undefined) Object.defineProperty(out, k, { value: plain(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}


/**
 * What the readers make of an absent or null field: an edit that sets a field to that is no edit (the request editor
 * sends `parameters: []` for a request the file gives none, `body: {}` for no body).
 */
function readerDefault(kind: FieldKind, key: string | number | undefined): unknown {
  switch (kind) {
    case 'rows': return [];
    case 'body':
    case 'auth': return {};
    default: return key === 'method' ? 'GET' : key === 'url' || key === 'description' ? '' : undefined;
  }
}

/** Whether the file's value means what `next` means to the readers (absent = the default; a row's absent key = unset). */
function meansSame(kind: FieldKind, key: string | number | undefined, current: unknown, next: unknown): boolean {
  const cur = current === undefined || current === null ? readerDefault(kind, key) : current;
  if (sameValue(cur, next)) return true;
  if (kind === 'rows' && Array.isArray(cur) && Array.isArray(next)) {
    return cur.length === next.length && cur.every((row, i) => sameRow(row, next[i]));
  }
  return false;
}

/**
 * Rows that say the same: every key of the new row means what the file's row says (`disabled: false` = absent). A
 * row's `id` the new row does not carry stays: it names the row (Insomnia's editors key rows by it), it says nothing
 * of the request, and a pasted cURL command's rows, which have none, keep the ids of the rows they change (so that the
 * paste's Undo, which sends the rows with their ids, finds them).
 */
function sameRow(current: unknown, next: unknown): boolean {
  if (!isMapping(current) || !isMapping(next)) return sameValue(current, next);
  return (
    Object.keys(next).every((k) => sameRowKey(k, current[k], next[k])) &&
    Object.keys(current).every((k) => k in next || rowKeyIsUnset(k, current[k]) || k === 'id')
  );
}

function sameRowKey(key: string, current: unknown, next: unknown): boolean {
  if (sameValue(current, next)) return true;
  return rowKeyIsUnset(key, current) && rowKeyIsUnset(key, next);
}

/** A row key whose value is what its absence means. */
function rowKeyIsUnset(key: string, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return (key === 'disabled' && value === false) || (key === 'description' && value === '');
}

/**
 * Writes the rows of a list (parameters, headers, form params) touching only what changed: rows are matched (by id
 * when every row has one, else by content and position), a changed row gets only its changed keys written, a removed
 * row loses its lines, a new row is inserted where it goes. Keys the new row does not carry are left as they are (the
 * editor sends every key it was given). Falls back to writing the whole list when the file's list is not a plain
 * sequence of mappings or the minimal edit would not read back as the new list.
 */
function writeRows(ed: YamlEditor, full: YamlPath, current: unknown, next: readonly unknown[]): void {
  if (!Array.isArray(current) || current.length === 0 || next.length === 0 || !current.every(isMapping) || !next.every(isMapping)) {
    ed.set(full, next);
    return;
  }
  const rows = current as Mapping[];
  const wanted = next as Mapping[];
  const pairs = matchRows(rows, wanted);
  const probe = new YamlEditor(ed.text);
  try {
    for (const ed2 of [probe, ed]) {
      for (const op of pairs) {
        if (op.kind === 'keep') {
          const row = wanted[op.to];
          for (const key of Object.keys(row)) {
            if (!sameRowKey(key, rows[op.from][key], row[key])) ed2.set([...full, op.from, key], row[key]);
          }
        } else if (op.kind === 'remove') {
          ed2.deleteSeqItem([...full, op.from]);
        } else {
          ed2.insertSeqItem(full, op.at, wanted[op.to]);
        }
      }
      if (ed2 === probe) {
        // the minimal edit must mean the new list; else the whole list is written
        const back = new YamlEditor(probe.toString()).value(full);
        if (!Array.isArray(back) || back.length !== wanted.length || !back.every((row, i) => sameRow(row, wanted[i]))) throw new Error('differs');
      }
    }
  } catch {
    ed.set(full, next);
  }
}

type RowOp = { kind: 'keep'; from: number; to: number } | { kind: 'remove'; from: number } | { kind: 'insert'; at: number; to: number };

/**
 * Pairs the file's rows with the new ones: by id when every row on both sides has a distinct one, else by a longest
 * common subsequence of equal rows, with the unmatched rows between two matches paired up in order (a row whose value
 * changed), and the rest removed or inserted.
 */
function matchRows(rows: readonly Mapping[], wanted: readonly Mapping[]): RowOp[] {
  const ids = (list: readonly Mapping[]) => list.map((r) => (typeof r.id === 'string' && r.id ? r.id : undefined));
  const a = ids(rows);
  const b = ids(wanted);
  const byId = a.every(Boolean) && b.every(Boolean) && new Set(a).size === a.length && new Set(b).size === b.length;
  const same = (i: number, j: number) => (byId ? a[i] === b[j] : sameRow(rows[i], wanted[j]));
  // LCS table (the lists are short: rows of one request)
  const n = rows.length;
  const m = wanted.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = same(i, j) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: RowOp[] = [];
  let i = 0;
  let j = 0;
  const gapOld: number[] = [];
  const gapNew: number[] = [];
  const flushGap = () => {
    // unmatched rows between two matches: pair them up in order (changed rows), the rest go or come
    const k = byId ? 0 : Math.min(gapOld.length, gapNew.length);
    for (let x = 0; x < k; x++) ops.push({ kind: 'keep', from: gapOld[x], to: gapNew[x] });
    for (let x = k; x < gapOld.length; x++) ops.push({ kind: 'remove', from: gapOld[x] });
    const at = gapOld.length ? gapOld[gapOld.length - 1] + 1 : i;
    for (let x = k; x < gapNew.length; x++) ops.push({ kind: 'insert', at, to: gapNew[x] });
    gapOld.length = 0;
    gapNew.length = 0;
  };
  while (i < n || j < m) {
    if (i < n && j < m && same(i, j)) {
      flushGap();
      ops.push({ kind: 'keep', from: i, to: j });
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      gapNew.push(j++);
    } else {
      gapOld.push(i++);
    }
  }
  flushGap();
  return ops;
}

/** Writes a body: its own keys one by one (the form rows as rows), keys the new body no longer has removed. */
function writeMapping(ed: YamlEditor, full: YamlPath, current: unknown, next: unknown, kind: 'body' | 'auth', order: KeyOrder): void {
  if (!isMapping(current) || !isMapping(next) || Object.keys(current).length === 0 || Object.keys(next).length === 0 || (kind === 'auth' && current.type !== next.type)) {
    ed.set(full, next);
    return;
  }
  for (const key of Object.keys(next)) {
    const value = next[key];
    if (sameValue(current[key], value)) continue;
    if (kind === 'body' && key === 'params' && Array.isArray(value)) writeRows(ed, [...full, key], current[key], value);
    else ed.set([...full, key], value, kind === 'body' ? { before: keysAfter(order, ['body', key]) } : undefined);
  }
  for (const key of Object.keys(current)) if (!(key in next)) ed.deleteKey([...full, key]);
}

/**
 * Writes each field under the object at `base` when it means something other than the file's value, touching only
 * what changed inside it (see writeRows, writeMapping); a missing parent mapping (`settings:` or `settings.cookies:`)
 * is created with the value inside. Returns whether anything changed.
 */
function writeRequestFields(ed: YamlEditor, base: YamlPath, writes: readonly FieldWrite[], order: KeyOrder, format: 'legacy' | 'v5'): boolean {
  let changed = false;
  for (const w of writes) {
    const full = [...base, ...w.path];
    const current = ed.value(full);
    const key = w.path[w.path.length - 1];
    if (meansSame(w.kind, key, current, w.value)) continue;
    changed = true;
    // v5: rows, a body, an auth emptied go, as Insomnia's exporter leaves them out (removeEmptyFields): a parameter
    // added and removed again, a cURL paste undone, give the request back as it was, not `parameters: []`
    if (format === 'v5' && w.kind !== 'scalar' && sameValue(w.value, readerDefault(w.kind, key))) {
      ed.deleteKey(full);
      continue;
    }
    if (w.kind === 'rows' && Array.isArray(w.value) && current !== undefined) {
      writeRows(ed, full, current, w.value);
      continue;
    }
    if ((w.kind === 'body' || w.kind === 'auth') && current !== undefined) {
      writeMapping(ed, full, current, w.value, w.kind, order);
      continue;
    }
    // the deepest existing parent: the rest of the path becomes a nested value
    let depth = w.path.length;
    while (depth > 1 && !ed.has([...base, ...w.path.slice(0, depth - 1)])) depth--;
    let value = w.value;
    for (let i = w.path.length - 1; i >= depth; i--) value = { [w.path[i] as string]: value };
    ed.set([...base, ...w.path.slice(0, depth)], value, { before: keysAfter(order, w.path.slice(0, depth)) });
  }
  return changed;
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
export function v5Path(ed: YamlEditor, source: SourceRef, id: string): YamlPath {
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

function v5Request(name: string, method: string, url: string, id: string, now: number, typed: boolean): Mapping {
  return {
    url,
    name,
    ...(typed ? { type: 'Request' } : {}),
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

function v5Folder(name: string, id: string, now: number, typed: boolean): Mapping {
  return { name, ...(typed ? { type: 'RequestGroup' } : {}), meta: { id, created: now, modified: now, sortKey: -now, description: '' } };
}

function v5SubEnvironment(name: string, data: Mapping | undefined, id: string, now: number, created = now, sortKey = now): Mapping {
  const env: Mapping = { name, meta: { id, created, modified: now, isPrivate: false, sortKey } };
  if (data && Object.keys(data).length > 0) env.data = data;
  return env;
}

/** A copy of a v5 item with fresh ids for it and its descendants, `created`/`modified` = now, and `patch` on top. */
function copyV5(
  value: unknown,
  now: number,
  fallbackPrefix: string,
  makeId: (prefix: string) => string,
  patch: (copy: Mapping) => void,
): Mapping {
  if (!isMapping(value)) throw new PlanError('unsupported', 'Cannot duplicate an item that is not a mapping');
  const copy: Mapping = { ...value };
  const meta = isMapping(copy.meta) ? { ...copy.meta } : {};
  const oldId = typeof meta.id === 'string' ? meta.id : '';
  meta.id = makeId(prefixOf(oldId, fallbackPrefix));
  meta.created = now;
  meta.modified = now;
  copy.meta = meta;
  if (Array.isArray(copy.children)) {
    copy.children = copy.children.map((child: unknown) =>
      isMapping(child)
        ? copyV5(child, now, 'children' in child ? ID_PREFIX.RequestGroup : ID_PREFIX.Request, makeId, () => {})
        : child,
    );
  }
  patch(copy);
  return copy;
}

function planV5(collection: Collection, edit: Edit, ctx: EditContext, opts: Required<PlanOptions>): EditResult {
  const file = collection.source.file;
  const text = ctx.readText(file);
  const newId = opts.newId;
  const result = (content: string, createdId?: string): EditResult => ({
    createdId,
    changes: content === text ? [] : [{ path: file, content }],
  });
  const find = (source: SourceRef, id: string): V5Target => {
    const w = opts.windows ? objectWindow(text, id) : undefined;
    if (w) return w;
    const region = new Region(text, 0, text.length);
    return { region, path: v5Path(region.ed, source, id) };
  };
  switch (edit.kind) {
    case 'rename': {
      const target = locate(collection, edit.id, ctx);
      if (target.kind === 'collection') {
        const nameRegion = topLevelRegion(text, 'name', opts.windows);
        if (nameRegion.ed.value(['name']) === edit.name) return { changes: [] };
        nameRegion.ed.set(['name'], edit.name);
        const renamed = nameRegion.result();
        const metaRegion = topLevelRegion(renamed, 'meta', opts.windows);
        if (metaRegion.ed.has(['meta', 'modified'])) metaRegion.ed.set(['meta', 'modified'], ctx.now);
        return result(metaRegion.result());
      }
      const { region, path: p } = find(sourceOf(collection, target), edit.id);
      if (region.ed.value([...p, 'name']) === edit.name) return { changes: [] };
      region.ed.set([...p, 'name'], edit.name);
      if (region.ed.has([...p, 'meta', 'modified'])) region.ed.set([...p, 'meta', 'modified'], ctx.now);
      return result(region.result());
    }
    case 'createFolder':
    case 'createRequest': {
      const folder = containerOf(collection, edit.parentId);
      const id = (edit.kind === 'createFolder' && edit.id) || newId(edit.kind === 'createFolder' ? ID_PREFIX.RequestGroup : ID_PREFIX.Request);
      // schema 5.2 puts its `type` on every item: a new item in such a file carries it too
      const typed = itemsCarryType(collection.schemaVersion);
      const value =
        edit.kind === 'createFolder'
          ? v5Folder(edit.name, id, ctx.now, typed)
          : v5Request(edit.name, edit.method ?? 'GET', edit.url ?? '', id, ctx.now, typed);
      if (folder) {
        const { region, path: p } = find(folder.source, folder.id);
        region.ed.insertSeqItem([...p, 'children'], 'end', value, { before: AFTER_CHILDREN });
        return result(region.result(), id);
      }
      const last = opts.windows ? lastItemWindow(text, 'collection') : undefined;
      if (last) {
        last.ed.insertSeqItem([], 'end', value);
        return result(last.result(), id);
      }
      const region = new Region(text, 0, text.length);
      region.ed.insertSeqItem(['collection'], 'end', value, { before: AFTER_COLLECTION });
      return result(region.result(), id);
    }
    case 'duplicate': {
      const target = locate(collection, edit.id, ctx);
      let source: SourceRef;
      let sortKey: number;
      let name: string;
      let prefix: string;
      if (target.kind === 'item') {
        const { item, siblings } = target;
        source = item.source;
        sortKey = sortKeyAfter(item.sortKey, siblings.filter((s) => s !== item).map((s) => s.sortKey));
        name = copyName(item);
        prefix = ID_PREFIX[MODEL_TYPE_OF_KIND[item.kind]];
      } else if (target.kind === 'subEnvironment') {
        const { env, base } = target;
        source = env.source;
        sortKey = sortKeyAfter(env.sortKey, base.subEnvironments.filter((e) => e !== env).map((e) => e.sortKey));
        name = `${env.name} (Copy)`;
        prefix = ID_PREFIX.Environment;
      } else {
        throw new PlanError('unsupported', `Cannot duplicate the ${describe(target)}`);
      }
      const { region, path: p } = find(source, edit.id);
      const copy = copyV5(region.ed.value(p), ctx.now, prefix, newId, (c) => {
        c.name = name;
        (c.meta as Mapping).sortKey = sortKey;
      });
      region.ed.insertSeqItem(p.slice(0, -1), (p[p.length - 1] as number) + 1, copy);
      return result(region.result(), (copy.meta as Mapping).id as string);
    }
    case 'delete': {
      const target = locate(collection, edit.id, ctx);
      if (target.kind !== 'item' && target.kind !== 'subEnvironment') {
        throw new PlanError('unsupported', `Cannot delete the ${describe(target)}`);
      }
      const w = opts.windows ? objectWindow(text, edit.id) : undefined;
      if (w?.item && !w.item.alone) return result(w.region.without());
      const region = new Region(text, 0, text.length);
      const p = v5Path(region.ed, sourceOf(collection, target), edit.id);
      const seq = p.slice(0, -1);
      // the last item of a list: drop the key too, as Insomnia's removeEmptyFields does
      if (region.ed.length(seq) === 1) region.ed.deleteKey(seq);
      else region.ed.deleteSeqItem(p);
      return result(region.result());
    }
    case 'move': {
      const target = locate(collection, edit.id, ctx);
      if (target.kind !== 'item') throw new PlanError('unsupported', `Only folders and requests can be moved, not the ${describe(target)}`);
      const { item } = target;
      const { parent, sortKey } = planMove(collection, item, edit.parentId, edit.before);
      const region = new Region(text, 0, text.length);
      const ed = region.ed;
      const p = v5Path(ed, item.source, item.id);
      const sameParent = (parent?.id ?? collection.id) === item.parentId;
      if (sameParent) {
        // a v5 file lists items in Insomnia's database order, not sort order: a reorder is the sort key alone
        if (ed.value([...p, 'meta', 'sortKey']) === sortKey) return { changes: [] };
        ed.set([...p, 'meta', 'sortKey'], sortKey);
        if (ed.has([...p, 'meta', 'modified'])) ed.set([...p, 'meta', 'modified'], ctx.now);
        return result(region.result());
      }
      const value = ed.value(p);
      if (!isMapping(value)) throw new PlanError('unsupported', `Cannot move an item that is not a mapping`);
      const meta = isMapping(value.meta) ? { ...value.meta } : {};
      meta.sortKey = sortKey;
      if ('modified' in meta) meta.modified = ctx.now;
      const moved: Mapping = { ...value, meta };
      const seq = p.slice(0, -1);
      // out of the old list (its key too when it held only this item, as Insomnia drops empty lists)
      if (ed.length(seq) === 1) ed.deleteKey(seq);
      else ed.deleteSeqItem(p);
      if (parent) {
        const parentPath = v5Path(ed, parent.source, parent.id);
        ed.insertSeqItem([...parentPath, 'children'], 'end', moved, { before: AFTER_CHILDREN });
      } else {
        ed.insertSeqItem(['collection'], 'end', moved, { before: AFTER_COLLECTION });
      }
      return result(region.result());
    }
    case 'createEnvironment': {
      const id = edit.id ?? newId(ID_PREFIX.Environment);
      const sub = v5SubEnvironment(edit.name, edit.data, id, ctx.now, edit.created, edit.sortKey);
      if (edit.color) sub.color = edit.color;
      const base = collection.baseEnvironment;
      const region = topLevelRegion(text, 'environments', opts.windows);
      if (base) {
        region.ed.insertSeqItem([...v5Path(region.ed, base.source, base.id), 'subEnvironments'], 'end', sub);
      } else {
        const baseEnv = {
          name: 'Base Environment',
          meta: { id: baseEnvironmentId(collection.id), created: ctx.now, modified: ctx.now, isPrivate: false },
          subEnvironments: [sub],
        };
        region.ed.set(['environments'], baseEnv, { before: AFTER_ENVIRONMENTS });
      }
      return result(region.result(), id);
    }
    case 'setRequestFields': {
      const target = locate(collection, edit.id, ctx);
      if (target.kind !== 'item' || target.item.kind !== 'request') {
        throw new PlanError('unsupported', `${edit.id} is not an HTTP request`);
      }
      const { region, path: p } = find(target.item.source, edit.id);
      const changed = writeRequestFields(region.ed, p, requestFieldWrites(edit.fields, 'v5'), REQUEST_KEY_ORDER.v5, 'v5');
      if (!(writeScripts(region.ed, p, edit.fields.scripts, 'v5', REQUEST_KEY_ORDER.v5) || changed)) return { changes: [] };
      if (region.ed.has([...p, 'meta', 'modified'])) region.ed.set([...p, 'meta', 'modified'], ctx.now);
      return result(region.result());
    }
    case 'setEnvironment': {
      const env = environmentTarget(collection, edit.id, ctx);
      const { region, path: p } = find(env.source, edit.id);
      if (!writeEnvironmentFields(region.ed, p, edit.fields, 'v5')) return { changes: [] };
      if (region.ed.has([...p, 'meta', 'modified'])) region.ed.set([...p, 'meta', 'modified'], ctx.now);
      return result(region.result());
    }
    case 'moveEnvironment': {
      const { env, sortKey } = planEnvironmentMove(collection, edit.id, edit.before, ctx);
      const { region, path: p } = find(env.source, edit.id);
      if (region.ed.value([...p, 'meta', 'sortKey']) === sortKey) return { changes: [] };
      setNested(region.ed, p, ['meta', 'sortKey'], sortKey);
      if (region.ed.has([...p, 'meta', 'modified'])) region.ed.set([...p, 'meta', 'modified'], ctx.now);
      return result(region.result());
    }
    case 'setFolderFields': {
      const folder = folderTarget(collection, edit.id, ctx);
      const { region, path: p } = find(folder.source, edit.id);
      if (!writeFolderFields(region.ed, p, edit.fields, 'v5')) return { changes: [] };
      if (region.ed.has([...p, 'meta', 'modified'])) region.ed.set([...p, 'meta', 'modified'], ctx.now);
      return result(region.result());
    }
    case 'setSpec': {
      if (!collection.spec) throw new PlanError('unsupported', `"${collection.name}" has no API spec`);
      const region = topLevelRegion(text, 'spec', opts.windows);
      if (!writeV5Spec(region.ed, edit.contents)) return { changes: [] };
      if (region.ed.has(['spec', 'meta', 'modified'])) region.ed.set(['spec', 'meta', 'modified'], ctx.now);
      return result(region.result());
    }
    case 'setEnvironmentData': {
      const { region, path: p } = find(environmentTarget(collection, edit.id, ctx).source, edit.id);
      if (!writeEnvironmentData(region.ed, p, edit.data, 'v5')) return { changes: [] };
      if (region.ed.has([...p, 'meta', 'modified'])) region.ed.set([...p, 'meta', 'modified'], ctx.now);
      return result(region.result());
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// v5 windows: the whole lines of one object, parsed on their own. Columns are those of the file (whole lines), so
// what the editor renders there is what a whole-file parse would render; paths are relative to the window.

/** The part of a v5 file an edit parses: the whole text, or a window of whole lines `[start, end)`. */
class Region {
  readonly ed: YamlEditor;

  constructor(
    readonly text: string,
    readonly start: number,
    readonly end: number,
  ) {
    this.ed = new YamlEditor(start === 0 && end === text.length ? text : text.slice(start, end));
  }

  /** The file text with this region's edits applied (the same string when nothing changed). */
  result(): string {
    const out = this.ed.toString();
    return out === this.ed.text ? this.text : this.text.slice(0, this.start) + out + this.text.slice(this.end);
  }

  /** The file text without this region's lines. */
  without(): string {
    return this.text.slice(0, this.start) + this.text.slice(this.end);
  }
}

interface V5Target {
  readonly region: Region;
  readonly path: YamlPath;
  /** set when the region is a window holding one sequence item; `alone`: it has no sibling in its list. */
  readonly item?: { readonly alone: boolean };
}

/** Start of the line after the one starting at `ls` (text.length at the end). */
function nextLineStart(text: string, ls: number): number {
  const nl = text.indexOf('\n', ls);
  return nl === -1 ? text.length : nl + 1;
}

function indentAt(text: string, ls: number): number {
  let i = ls;
  while (text.charCodeAt(i) === 32) i++;
  return i - ls;
}

/** Neither blank nor a comment: a line that takes part in the block structure. */
function isStructural(text: string, ls: number): boolean {
  const c = text[ls + indentAt(text, ls)];
  return c !== undefined && c !== '\n' && c !== '\r' && c !== '#';
}

/** Start of the nearest structural line before the line starting at `ls`, or -1. */
function prevStructural(text: string, ls: number): number {
  let pos = ls;
  while (pos > 0) {
    pos = pos >= 2 ? text.lastIndexOf('\n', pos - 2) + 1 : 0;
    if (isStructural(text, pos)) return pos;
  }
  return -1;
}

/**
 * End of the block that starts on the line at `ls` and whose lines are indented deeper than `col`: the start of
 * the first later structural line indented `col` or less (the boundary), less the blank lines and shallower comments
 * just before it, which belong to what follows.
 */
function blockEnd(text: string, ls: number, col: number): { end: number; boundary: number } {
  let end = nextLineStart(text, ls);
  let pos = end;
  while (pos < text.length) {
    const next = nextLineStart(text, pos);
    const ind = indentAt(text, pos);
    if (isStructural(text, pos)) {
      if (ind <= col) return { end, boundary: pos };
      end = next;
    } else if (text[pos + ind] === '#' && ind > col) {
      end = next;
    }
    pos = next;
  }
  return { end, boundary: -1 };
}

/** A window parsed on its own, or undefined when it does not parse or `check` refuses it. */
function tryRegion(text: string, start: number, end: number, check: (ed: YamlEditor) => boolean): Region | undefined {
  try {
    const region = new Region(text, start, end);
    return check(region.ed) ? region : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The window of the object whose `meta.id` is `id`: a sequence item (`- name: ...` with `meta:\n  id: <id>`), path
 * `[0]`, or a top-level key's mapping (the base environment), path `[key]`. Undefined when the line scan does not
 * find exactly that shape (the caller then parses the whole file).
 */
function objectWindow(text: string, id: string): V5Target | undefined {
  const needle = `id: ${id}`;
  let idLine = -1;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) {
    const ls = text.lastIndexOf('\n', i - 1) + 1;
    if (i === ls || indentAt(text, ls) !== i - ls) continue;
    const le = nextLineStart(text, i);
    if (text.slice(i + needle.length, le).trim() !== '') continue;
    if (idLine !== -1) return undefined; // twice: let the parser decide
    idLine = ls;
  }
  if (idLine === -1) return undefined;
  const m = indentAt(text, idLine);
  if (m < 2) return undefined;
  let pos = prevStructural(text, idLine);
  while (pos !== -1 && indentAt(text, pos) >= m) pos = prevStructural(text, pos);
  if (pos === -1 || indentAt(text, pos) !== m - 2 || text.slice(pos, nextLineStart(text, pos)).trim() !== 'meta:') {
    return undefined;
  }
  const k = m - 2; // the column of the object's keys
  pos = prevStructural(text, pos);
  while (pos !== -1 && indentAt(text, pos) >= k) pos = prevStructural(text, pos);
  if (pos === -1) return undefined;
  const ind = indentAt(text, pos);
  if (k >= 2 && ind === k - 2 && text.startsWith('- ', pos + ind) && text[pos + k] !== ' ') {
    const d = k - 2;
    const { end, boundary } = blockEnd(text, pos, d);
    const region = tryRegion(text, pos, end, (ed) => ed.length([]) === 1 && ed.value([0, 'meta', 'id']) === id);
    if (!region) return undefined;
    const prev = prevStructural(text, pos);
    const hasPrev = prev !== -1 && (indentAt(text, prev) > d || (indentAt(text, prev) === d && text.startsWith('- ', prev + d)));
    const hasNext = boundary !== -1 && indentAt(text, boundary) === d && text.startsWith('- ', boundary + d);
    return { region, path: [0], item: { alone: !hasPrev && !hasNext } };
  }
  if (k === 2 && ind === 0) {
    const key = /^([A-Za-z_][\w-]*):[ \t]*\r?$/.exec(text.slice(pos, nextLineStart(text, pos)).replace(/\n$/, ''))?.[1];
    if (!key) return undefined;
    const { end } = blockEnd(text, pos, 0);
    const region = tryRegion(text, pos, end, (ed) => ed.length([]) === 1 && ed.value([key, 'meta', 'id']) === id);
    return region ? { region, path: [key] } : undefined;
  }
  return undefined;
}

/** Start of the line `key:` at column 0, or -1. */
function topLevelLine(text: string, key: string): number {
  const head = `${key}:`;
  if (text.startsWith(head)) return 0;
  const i = text.indexOf(`\n${head}`);
  return i === -1 ? -1 : i + 1;
}

/** The region of a top-level key (paths are the same as in the whole file): its window, or the whole file. */
function topLevelRegion(text: string, key: string, windows: boolean): Region {
  const ls = windows ? topLevelLine(text, key) : -1;
  const region = ls === -1 ? undefined : tryRegion(text, ls, blockEnd(text, ls, 0).end, (ed) => ed.length([]) === 1 && ed.has([key]));
  return region ?? new Region(text, 0, text.length);
}

/** The window of the last item of a top-level block sequence (`collection:`), path `[]` = a list of that one item. */
function lastItemWindow(text: string, key: string): Region | undefined {
  const at = topLevelLine(text, key);
  if (at === -1) return undefined;
  const afterKey = nextLineStart(text, at);
  if (text.slice(at + key.length + 1, afterKey).trim() !== '') return undefined; // `collection: []`
  const { end } = blockEnd(text, at, 0);
  let first = afterKey;
  while (first < end && !isStructural(text, first)) first = nextLineStart(text, first);
  if (first >= end) return undefined;
  const d = indentAt(text, first);
  if (!text.startsWith('- ', first + d)) return undefined;
  let last = first;
  for (let pos = first; pos < end; pos = nextLineStart(text, pos)) {
    if (indentAt(text, pos) === d && text.startsWith('- ', pos + d)) last = pos;
  }
  if (blockEnd(text, last, d).end !== end) return undefined;
  return tryRegion(text, last, end, (ed) => ed.length([]) === 1);
}
