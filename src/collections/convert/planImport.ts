// Plans the files an import writes (pure: returns FileChange[]; the caller writes them, e.g. `writeChanges`).
// - into a new collection: one v5 file per imported collection at the root (name from the collection name via
//   `v5FileBaseName`, a free name picked so that no file is overwritten), or a `.insomnia/` folder (legacy; only when
//   the root has none: a legacy folder holds one workspace).
// - into an existing collection, under a folder (or its top level): the imported items are appended (v5: spliced
//   into the file at the end of the parent's `children`, nothing else in the file changes; legacy: new files), the
//   imported sub-environments are appended to the collection's, and base-environment variables the target does not
//   have yet are added to its base environment. Imported ids that already exist in the target get fresh ids, and
//   every reference to them (parent ids, `{% response ..., 'req_...' %}` tags) follows.

import * as path from 'node:path';
import type { FileChange } from '../edits';
import type { Collection, CollectionFormat, Environment, Item } from '../model';
import { walkItems } from '../model';
import { baseEnvironmentId, idPrefix, MODEL_TYPE_OF_KIND, newId as freshId } from '../ids';
import { PlanError, v5FileBaseName, v5Path } from '../editPlanner';
import { fileNameKey, sameFileReason, type WriteScope } from '../edit/pathGuard';
import { YamlEditor, type YamlPath } from '../yamlEdit';
import type { ImportResult } from './importTypes';
import { canonical } from '../diff';
import { isMapping, loadYaml } from '../formats/fields';
import { hasRiskyString, legacyDocsToV5, schemaVersionKey, type LegacyDoc, type Mapping, type NotConverted } from './insomniaDocs';
import { applyRenames, freshIdPrefix, unusableIdReason, type ReplacedId } from './renameIds';
import { legacyDocsToFiles, notInLegacy } from './legacyWriter';
import { collectionToDocs, itemDoc, plain } from './modelDocs';
import { collectionToV5Text } from './v5Writer';

export type ImportTarget =
  | {
      readonly kind: 'new';
      /** the folder the new collection files go into (absolute). */
      readonly root: string;
      readonly format: CollectionFormat;
      /** whether a file or folder exists (the caller's file system); never overwritten. */
      readonly exists: (absPath: string) => boolean;
      /** ids already used in the workspace (other collections): imported objects with these ids get fresh ones. */
      readonly takenIds?: ReadonlySet<string>;
      /** the schema version of new v5 files (the repository's, see `schemaVersionForNewFile`; default the newest). */
      readonly schemaVersion?: string;
    }
  | {
      readonly kind: 'existing';
      readonly collection: Collection;
      /** the folder to append into; the collection's id (or absent) for its top level. */
      readonly parentId?: string;
      /** current text of a file of the collection. */
      readonly readText: (absPath: string) => string;
      readonly exists?: (absPath: string) => boolean;
    };

export interface ImportPlanOptions {
  /** epoch ms for `created` / `modified` of imported objects that have none. */
  readonly now?: number;
  /** id factory (tests pass a deterministic one). */
  readonly newId?: (prefix: string) => string;
}

export function planImport(result: ImportResult, target: ImportTarget, options: ImportPlanOptions = {}): FileChange[] {
  return planImportDetailed(result, target, options).changes;
}

export interface ImportPlan {
  readonly changes: FileChange[];
  /** the files created for new collections (v5 file or `.insomnia` folder). */
  readonly created: string[];
  /** imported ids that were replaced because the target already had them: old -> new. */
  readonly renamedIds: ReadonlyMap<string, string>;
  /** imported ids Insomnia cannot take (no safe file name, the wrong prefix), replaced by fresh ones. */
  readonly replacedIds: readonly ReplacedId[];
  /** where the changes may be written (for `writeChanges`): the new `.insomnia` folder, the folder of the v5 files. */
  readonly scope: WriteScope;
  /** what the target format cannot hold and was not written (Socket.IO requests in a legacy folder). */
  readonly notWritten: readonly NotConverted[];
}

export function planImportDetailed(result: ImportResult, target: ImportTarget, options: ImportPlanOptions = {}): ImportPlan {
  const now = options.now ?? Date.now();
  const makeId = options.newId ?? freshId;
  if (result.collections.length === 0) throw new PlanError('unsupported', 'Nothing to import');
  if (target.kind === 'new') return planNew(result, target, now, makeId);
  return planExisting(result, target, now, makeId);
}

// ---------------------------------------------------------------------------------------------------------------
// ids

/**
 * Fresh ids for the imported objects whose ids are taken (or repeat within the import), and for those Insomnia cannot
 * take at all (`unusableIdReason`: `../../x`, a NUL, 300 characters, a request id without `req`), which are listed.
 */
function renameTaken(
  collections: readonly Collection[],
  taken: Set<string>,
  makeId: (p: string) => string,
  includeRoots: boolean,
  asFiles: boolean,
): { renamed: Map<string, string>; replaced: ReplacedId[] } {
  const renamed = new Map<string, string>();
  const replaced: ReplacedId[] = [];
  // asFiles (a legacy folder): ids name files, and two that differ only in case or normalization are one file on macOS
  const files = new Map<string, string>();
  if (asFiles) for (const id of taken) files.set(fileNameKey(id), id);
  const sameFile = (id: string): string | undefined => {
    const other = asFiles && !taken.has(id) ? files.get(fileNameKey(id)) : undefined;
    return other !== undefined ? sameFileReason(other) : undefined;
  };
  const visit = (id: string, type: string, name: string) => {
    const why = unusableIdReason(id, type) ?? sameFile(id);
    if (why) {
      const to = makeId(freshIdPrefix(type, id));
      renamed.set(id, to);
      replaced.push({ from: id, to, what: `${type} ${JSON.stringify(name)}`, why });
    } else if (taken.has(id)) {
      renamed.set(id, makeId(idPrefix(id) ?? freshIdPrefix(type, id)));
    }
    taken.add(renamed.get(id) ?? id);
    if (asFiles) files.set(fileNameKey(renamed.get(id) ?? id), renamed.get(id) ?? id);
  };
  for (const c of collections) {
    if (includeRoots) {
      visit(c.id, 'Workspace', c.name);
      if (c.baseEnvironment) visit(c.baseEnvironment.id, 'Environment', c.baseEnvironment.name);
      if (c.spec) visit(c.spec.id, 'ApiSpec', c.spec.fileName);
      if (c.mockServer) {
        visit(c.mockServer.id, 'MockServer', c.name);
        for (const r of c.mockServer.routes) visit(r.id, 'MockRoute', r.name);
      }
    }
    for (const item of walkItems(c.children)) visit(item.id, MODEL_TYPE_OF_KIND[item.kind], item.name);
    for (const e of c.baseEnvironment?.subEnvironments ?? []) visit(e.id, 'Environment', e.name);
  }
  return { renamed, replaced };
}

// ---------------------------------------------------------------------------------------------------------------
// new collections

function planNew(result: ImportResult, target: Extract<ImportTarget, { kind: 'new' }>, now: number, makeId: (p: string) => string): ImportPlan {
  const taken = new Set(target.takenIds ?? []);
  const { renamed, replaced } = renameTaken(result.collections, taken, makeId, true, target.format === 'legacy');
  const renamedIds = takenOnly(renamed, replaced);
  const changes: FileChange[] = [];
  const created: string[] = [];
  const planned = new Set<string>();
  if (target.format === 'legacy') {
    if (result.collections.length > 1) {
      throw new PlanError('unsupported', `This import holds ${result.collections.length} collections; a .insomnia folder holds one: import as v5 files`);
    }
    const dir = path.join(target.root, '.insomnia');
    if (target.exists(dir)) {
      throw new PlanError('unsupported', `${dir} already exists and a .insomnia folder holds one workspace: import into that collection or as a v5 file`);
    }
    const docs = applyRenames(collectionToDocs(result.collections[0], { now }), renamed);
    changes.push(...legacyDocsToFiles(docs, dir));
    created.push(dir);
    const scope: WriteScope = { format: 'legacy', folder: dir, workspaceRoot: target.root };
    return { changes, created, renamedIds, replacedIds: replaced, scope, notWritten: notInLegacy(docs) };
  }
  for (const c of result.collections) {
    const copy = applyRenames(plainCollection(c), renamed);
    const base = v5FileBaseName(copy.name, copy.id);
    let file = path.join(target.root, `${base}.yaml`);
    for (let n = 2; target.exists(file) || planned.has(file); n++) file = path.join(target.root, `${base}_${n}.yaml`);
    planned.add(file);
    changes.push({ path: file, content: collectionToV5Text(copy, { now, schemaVersion: target.schemaVersion }) });
    created.push(file);
  }
  return { changes, created, renamedIds, replacedIds: replaced, scope: { format: 'v5', folder: target.root, workspaceRoot: target.root }, notWritten: [] };
}

/** The renames of ids that were taken, without those of unusable ids. */
function takenOnly(renamed: ReadonlyMap<string, string>, replaced: readonly ReplacedId[]): Map<string, string> {
  const out = new Map(renamed);
  for (const r of replaced) out.delete(r.from);
  return out;
}

/** A collection as plain data (spec `contents` getters read) so that `applyRenames` can copy it. */
function plainCollection(c: Collection): Collection {
  return { ...c, spec: c.spec ? { id: c.spec.id, fileName: c.spec.fileName, contents: c.spec.contents, source: c.spec.source } : undefined };
}

// ---------------------------------------------------------------------------------------------------------------
// into an existing collection

/** Keys that follow `collection` / a folder's `children` / `environments` in a v5 file (Insomnia's key order). */
const AFTER_COLLECTION = ['cookieJar', 'environments', 'spec', 'testSuites', 'certificates'];
const AFTER_CHILDREN = ['scripts', 'authentication', 'headers', 'environment', 'environmentPropertyOrder'];
const AFTER_ENVIRONMENTS = ['spec', 'testSuites', 'certificates'];

function planExisting(result: ImportResult, target: Extract<ImportTarget, { kind: 'existing' }>, now: number, makeId: (p: string) => string): ImportPlan {
  const c = target.collection;
  const parentId = target.parentId ?? c.id;
  let parent: Item | undefined;
  if (parentId !== c.id) {
    parent = [...walkItems(c.children)].find((i) => i.id === parentId);
    if (!parent) throw new PlanError('notFound', `No folder with id ${parentId} in collection ${c.name}`);
    if (parent.kind !== 'folder') throw new PlanError('unsupported', `${parent.name} is not a folder`);
  }
  const taken = new Set<string>([c.id]);
  for (const item of walkItems(c.children)) taken.add(item.id);
  if (c.baseEnvironment) {
    taken.add(c.baseEnvironment.id);
    for (const e of c.baseEnvironment.subEnvironments) taken.add(e.id);
  }
  if (c.spec) taken.add(c.spec.id);
  for (const ic of result.collections) {
    if (ic.mockServer) {
      throw new PlanError('unsupported', `"${ic.name}" is a mock server (${ic.mockServer.routes.length} route${ic.mockServer.routes.length === 1 ? '' : 's'}): it cannot go into a collection; import it as a new file`);
    }
  }
  const { renamed, replaced } = renameTaken(result.collections, taken, makeId, false, c.format === 'legacy');
  const renamedIds = takenOnly(renamed, replaced);
  const scope: WriteScope = c.format === 'legacy' ? { format: 'legacy', folder: c.path } : { format: 'v5', folder: path.dirname(c.path) };

  // the imported top-level items, after the parent's current children (sort keys from the largest one on)
  const siblings = parent && parent.kind === 'folder' ? parent.children : c.children;
  let key = siblings.reduce((m, s) => Math.max(m, s.sortKey), -Infinity);
  if (key === -Infinity) key = -now;
  const top: { item: Item; sortKey: number }[] = [];
  const subs: Environment[] = [];
  const baseVars: Record<string, unknown> = {};
  for (const ic of result.collections) {
    for (const item of [...ic.children].sort((a, b) => a.sortKey - b.sortKey)) top.push({ item, sortKey: (key += 100) });
    if (ic.baseEnvironment) {
      for (const [k, v] of Object.entries(ic.baseEnvironment.data)) if (!(k in baseVars)) baseVars[k] = v;
      subs.push(...[...ic.baseEnvironment.subEnvironments].sort((a, b) => a.sortKey - b.sortKey));
    }
  }
  const existingVars = c.baseEnvironment?.data ?? {};
  const newVars = Object.fromEntries(Object.entries(baseVars).filter(([k]) => !(k in existingVars)));
  const baseId = c.baseEnvironment?.id ?? baseEnvironmentId(c.id);
  let subKey = (c.baseEnvironment?.subEnvironments ?? []).reduce((m, e) => Math.max(m, e.sortKey), now);

  // the imported objects as Insomnia documents, with their new parents and ids
  const docs: LegacyDoc[] = [];
  const times = (i: Item) => ({ created: i.created ?? now, modified: i.modified ?? i.created ?? now });
  const addItem = (item: Item, parent: string, sortKey?: number) => {
    const doc = itemDoc(item, parent, times(item));
    if (sortKey !== undefined) doc.metaSortKey = sortKey;
    docs.push(doc);
    if (item.kind === 'folder') for (const child of [...item.children].sort((a, b) => a.sortKey - b.sortKey)) addItem(child, item.id);
  };
  for (const { item, sortKey } of top) addItem(item, parentId, sortKey);
  const envDocs: LegacyDoc[] = subs.map((e) => ({
    _id: e.id,
    type: 'Environment',
    parentId: baseId,
    modified: e.modified ?? e.created ?? now,
    created: e.created ?? now,
    name: e.name,
    data: plain(e.data),
    dataPropertyOrder: null,
    color: e.color,
    isPrivate: e.isPrivate,
    metaSortKey: (subKey += 1),
  }));
  const all = applyRenames([...docs, ...envDocs], renamed);
  const itemDocs = all.slice(0, docs.length);
  const subDocs = all.slice(docs.length);

  if (c.format === 'legacy') {
    const changes = legacyDocsToFiles([...itemDocs, ...subDocs], c.path).filter((ch) => !target.exists?.(ch.path));
    if (Object.keys(newVars).length > 0 || (!c.baseEnvironment && subDocs.length > 0)) {
      if (c.baseEnvironment) {
        const file = c.baseEnvironment.source.file;
        changes.push({ path: file, content: addVariables(target.readText(file), () => ['data'], newVars) });
      } else {
        changes.push(
          ...legacyDocsToFiles(
            [{ _id: baseId, type: 'Environment', parentId: c.id, modified: now, created: now, name: 'Base Environment', data: newVars, dataPropertyOrder: null, color: null, isPrivate: false, metaSortKey: now }],
            c.path,
          ),
        );
      }
    }
    return { changes, created: [], renamedIds, replacedIds: replaced, scope, notWritten: notInLegacy(itemDocs) };
  }

  // v5: the item objects as the v5 writer writes them, spliced into the file one after the other
  const file = c.source.file;
  const original = target.readText(file);
  let text = original;
  const edit = (fn: (ed: YamlEditor) => void) => {
    const ed = new YamlEditor(text);
    fn(ed);
    text = ed.toString();
  };
  const wrk = { _id: c.id, type: 'Workspace', parentId: null, name: c.name };
  const topDocs = itemDocs.map((d) => (d.parentId === parentId ? { ...d, parentId: c.id } : d));
  const version = schemaVersionKey(c.schemaVersion ?? '5.0');
  const v5Items = (legacyDocsToV5([wrk, ...topDocs], c.id, { schemaVersion: version }).v5.collection ?? []) as unknown[];
  // one parse for all the items when the list exists (the editor appends several items to one list), two when the
  // first item creates it
  const seqOf = (ed: YamlEditor): YamlPath => (parent ? [...v5Path(ed, parent.source, parent.id), 'children'] : ['collection']);
  const before = parent ? AFTER_CHILDREN : AFTER_COLLECTION;
  let pending = v5Items;
  while (pending.length > 0) {
    const batch = pending;
    pending = [];
    edit((ed) => {
      const seq = seqOf(ed);
      if (!ed.has(seq)) {
        ed.insertSeqItem(seq, 'end', batch[0], { before });
        pending = batch.slice(1);
        return;
      }
      for (const value of batch) ed.insertSeqItem(seq, 'end', value, { before });
    });
  }
  const v5Subs = subDocs.map((d) => legacyDocsToV5([wrk, { ...d, parentId: c.id }], c.id, { schemaVersion: version }).v5.environments as Mapping);
  const baseEnv = c.baseEnvironment;
  if (baseEnv) {
    for (const s of v5Subs) edit((ed) => ed.insertSeqItem([...v5Path(ed, baseEnv.source, baseEnv.id), 'subEnvironments'], 'end', s));
    text = addVariables(text, (ed) => [...v5Path(ed, baseEnv.source, baseEnv.id), 'data'], newVars);
  } else if (v5Subs.length > 0 || Object.keys(newVars).length > 0) {
    const base: Mapping = { name: 'Base Environment', meta: { id: baseId, created: now, modified: now, isPrivate: false } };
    if (Object.keys(newVars).length > 0) base.data = newVars;
    if (v5Subs.length > 0) base.subEnvironments = v5Subs;
    edit((ed) => ed.set(['environments'], base, { before: AFTER_ENVIRONMENTS }));
  }
  if (hasRiskyString([v5Items, v5Subs, newVars])) checkInserted(text, [...v5Items, ...v5Subs], file);
  return { changes: text === original ? [] : [{ path: file, content: text }], created: [], renamedIds, replacedIds: replaced, scope, notWritten: [] };
}

/**
 * The YAML editor writes some multi-line strings (whitespace-only lines, trailing blanks) as block scalars that do
 * not read back the same: refuse rather than write changed data.
 */
function checkInserted(text: string, values: readonly unknown[], file: string): void {
  const found = new Map<string, string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isMapping(v)) {
      const id = isMapping(v.meta) ? v.meta.id : undefined;
      if (typeof id === 'string') found.set(id, canonical(v));
      Object.values(v).forEach(walk);
    }
  };
  walk(loadYaml(text));
  for (const v of values) {
    const id = isMapping(v) && isMapping(v.meta) ? String(v.meta.id) : '';
    if (found.get(id) !== canonical(v)) {
      throw new PlanError('unsupported', `${isMapping(v) ? String(v.name ?? id) : id} holds text that cannot be spliced into ${path.basename(file)} unchanged (blank lines, leading or trailing spaces); import it as a new collection instead`);
    }
  }
}

/**
 * Adds variables to an environment's `data` (created when missing), one key at a time so that each is a small
 * splice; existing variables are never changed. `dataPath` is found again in each new text.
 */
function addVariables(text: string, dataPath: (ed: YamlEditor) => YamlPath, vars: Record<string, unknown>): string {
  for (const [k, v] of Object.entries(vars)) {
    const ed = new YamlEditor(text);
    const p = dataPath(ed);
    if (isMapping(ed.value(p))) ed.set([...p, k], plain(v));
    else ed.set(p, plain({ [k]: v }));
    text = ed.toString();
  }
  return text;
}

