// Reading the legacy Git Sync layout (Insomnia Designer 2020 to Insomnia 10.x): one `.insomnia/` folder, one file per
// database document, `.insomnia/<Type>/<_id>.yml` (older `.json`). See INSOMNIA_FORMAT.md sections 1 and 7.
// Pure: the caller (scan.ts) reads the files; this module parses each text and builds the collections from the
// documents. Every model object's `source` is `{ file, yamlPath: [], line: 0 }`: the document is the whole file.

import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type {
  ApiSpec,
  BaseEnvironment,
  Collection,
  Environment,
  Folder,
  GrpcRequest,
  HttpRequest,
  Item,
  MockRoute,
  MockServer,
  Problem,
  Scope,
  SourceRef,
  UnitTest,
  UnitTestSuite,
  WebSocketRequest,
} from '../model';
import { bySortKeyThenId } from '../model';
import {
  conflictMarkerProblem,
  authentication,
  body,
  bool,
  data,
  withOrder,
  followRedirects,
  isMapping,
  keyValues,
  LEGACY_REFLECTION_API_DEFAULT,
  loadYamlFast,
  mapping,
  num,
  optionalNum,
  optionalStr,
  problem,
  reflectionApi,
  scripts,
  str,
  yamlProblem,
  type RawMapping,
} from './fields';
import { loadLegacyYaml } from './legacyYaml';
import { runSteps } from '../slicer';

export const LEGACY_FOLDER_NAME = '.insomnia';

/** The type folders Insomnia 10.1.1 writes, in its order (INSOMNIA_FORMAT.md 1.1). */
export const LEGACY_TYPES = [
  'Workspace',
  'Environment',
  'RequestGroup',
  'Request',
  'ApiSpec',
  'UnitTestSuite',
  'UnitTest',
  'GrpcRequest',
  'ProtoFile',
  'ProtoDirectory',
  'WebSocketRequest',
  'WebSocketPayload',
  'MockRoute',
  'MockServer',
] as const;
export type LegacyType = (typeof LEGACY_TYPES)[number];

const KNOWN_TYPES: ReadonlySet<string> = new Set(LEGACY_TYPES);

/** Legacy files are `.yml` (Insomnia 2019-11 on), `.yaml`, or `.json` (the 2019 NeDB plugin). */
export function isLegacyDataFile(name: string): boolean {
  return name.endsWith('.yml') || name.endsWith('.yaml') || name.endsWith('.json');
}

/** One parsed legacy file: a mapping with a string `_id` and `type`. */
export interface LegacyDocument {
  /** absolute path of the file. */
  readonly file: string;
  /** name of the type folder the file is in (cross-checked against `doc.type`). */
  readonly folder: string;
  readonly doc: RawMapping & { readonly _id: string; readonly type: string };
}

export type LegacyFileResult = { readonly document: LegacyDocument } | { readonly problem: Problem };

/**
 * Parses one legacy file. `.json` files go through `JSON.parse` (faster), falling back to YAML (a superset) for the
 * error position; YAML through the fast path for what Insomnia writes (legacyYaml.ts), else js-yaml. Broken YAML, or a
 * document that is not a mapping with `_id` and `type`, gives an error problem.
 */
export function parseLegacyFile(file: string, folder: string, text: string): LegacyFileResult {
  const conflict = conflictMarkerProblem(file, text);
  if (conflict) return { problem: conflict };
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? parseJson(text) : (loadLegacyYaml(text) ?? loadYamlFast(text));
  } catch (err) {
    return { problem: yamlProblem(file, err) };
  }
  if (!isMapping(doc)) {
    return { problem: problem(file, 'Not an Insomnia document: expected a mapping with `_id` and `type`') };
  }
  if (typeof doc._id !== 'string' || doc._id === '' || typeof doc.type !== 'string' || doc.type === '') {
    const missing = [typeof doc._id === 'string' && doc._id ? '' : '`_id`', typeof doc.type === 'string' && doc.type ? '' : '`type`']
      .filter(Boolean)
      .join(' and ');
    return { problem: problem(file, `Not an Insomnia document: no ${missing}`) };
  }
  return { document: { file, folder, doc: doc as LegacyDocument['doc'] } };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return loadYamlFast(text); // throws with a line/column mark, or reads JSON-ish text JSON.parse refuses
  }
}

export interface LegacyFolderResult {
  /** one collection per Workspace document (normally exactly one). */
  readonly collections: Collection[];
  /** problems that belong to no single collection (a broken file next to two workspaces, a folder with none). */
  readonly problems: Problem[];
}

const EMPTY_PATH: readonly (string | number)[] = Object.freeze([]);

/** The `source` of every model object read from the legacy file `file` (the whole document). */
export function sourceOf(file: string): SourceRef {
  return { file, yamlPath: EMPTY_PATH, line: 0 };
}

/** Whether `source` is what `sourceOf(file)` gives (the legacy read worker leaves such a one out of its messages). */
export function isSourceOf(source: SourceRef | undefined, file: string): boolean {
  return source !== undefined && source.file === file && source.yamlPath === EMPTY_PATH && source.line === 0 && Object.keys(source).length === 3;
}

/** Workspace `scope` as Insomnia's migration reads it: `spec`/`designer` are old names of `design`. */
export function legacyScope(value: unknown): Scope {
  switch (value) {
    case 'design':
    case 'spec':
    case 'designer':
      return 'design';
    case 'mock-server':
    case 'environment':
    case 'mcp':
      return value;
    default:
      return 'collection';
  }
}

const ITEM_TYPES: ReadonlySet<string> = new Set(['RequestGroup', 'Request', 'GrpcRequest', 'WebSocketRequest']);

/**
 * One legacy document, already translated: its identity and raw `parentId`, and the model object it becomes (none for
 * types the model does not show). The loader translates each document as soon as it is parsed, so the parsed mapping
 * is garbage right away and only what the model keeps survives (this halves the load's GC work on 10,000 files).
 */
export interface LegacyEntry {
  readonly file: string;
  /** the type folder the file is in. */
  readonly folder: string;
  readonly id: string;
  readonly type: string;
  /** `parentId` as the file says ('' when absent). */
  readonly parentId: string;
  readonly created: number;
  readonly model?: Collection | Item | Environment | ApiSpec | MockServer | MockRoute | UnitTestSuite | UnitTest;
}

export function legacyEntry(d: LegacyDocument): LegacyEntry {
  const doc = d.doc;
  const type = doc.type;
  const parentId = str(doc.parentId);
  let model: LegacyEntry['model'];
  if (type === 'Workspace') model = legacyCollection(path.dirname(path.dirname(d.file)), d);
  else if (type === 'Environment') model = legacyEnvironment(d, parentId);
  else if (type === 'ApiSpec') model = legacySpec(d);
  else if (ITEM_TYPES.has(type)) model = legacyItem(d, parentId);
  else if (type === 'MockServer') model = legacyMockServer(d);
  else if (type === 'MockRoute') model = legacyMockRoute(d, parentId);
  else if (type === 'UnitTestSuite') model = legacyTestSuite(d, parentId);
  else if (type === 'UnitTest') model = legacyUnitTest(d, parentId);
  return { file: d.file, folder: d.folder, id: doc._id, type, parentId, created: num(doc.created, 0), model };
}

/**
 * Builds the collections of one `.insomnia` folder from its parsed documents. `dir` is the `.insomnia` folder,
 * `fileProblems` the problems of its files that could not be parsed. The tree comes from `parentId`, siblings are
 * ordered by `metaSortKey` (then id). Documents of types the model does not show (unit tests, proto files, WebSocket
 * payloads) are accepted and left out.
 */
export function buildLegacyCollections(
  dir: string,
  documents: readonly LegacyDocument[],
  fileProblems: readonly Problem[] = [],
): LegacyFolderResult {
  return assembleLegacyCollections(dir, documents.map(legacyEntry), fileProblems);
}

/** `buildLegacyCollections` from documents already translated with `legacyEntry`. */
export function assembleLegacyCollections(
  dir: string,
  entries: readonly LegacyEntry[],
  fileProblems: readonly Problem[] = [],
): LegacyFolderResult {
  return runSteps(assembleLegacySteps(dir, entries, fileProblems));
}

/** How many documents an assembly handles between two of its steps. */
const STEP_DOCUMENTS = 1024;

/**
 * `assembleLegacyCollections` a step at a time: it yields every `STEP_DOCUMENTS` documents of each pass, so a caller
 * (the store, on a 10,000-file folder) can let the event loop run in between.
 */
export function assembleLegacySteps(
  dir: string,
  entries: readonly LegacyEntry[],
  fileProblems: readonly Problem[] = [],
): Generator<void, LegacyFolderResult> {
  const assembly = new LegacyAssembly(dir, false);
  for (const p of fileProblems) assembly.addProblem(p);
  return assembly.steps(entries);
}

/**
 * One `.insomnia` folder's collections assembled as its files come in (the legacy read worker's batches:
 * legacyReader.ts), so that little is left to do once the last file is in. Entries are added in the folder's listing
 * order, each file's problem where its entry would be; `finish` then does what needs every document (the
 * workspaces, the top-level items, cycles, sorting, environments, where each problem goes). With `eager`, each item
 * is linked into its parent folder as soon as both are in: the same children, in the same order, as linking them all
 * at the end (`eager` false, what `assembleLegacyCollections` does; test/unit/collections/legacyAssembly.test.ts).
 * The entries' models are taken as `legacyEntry` built them (or `resetLegacyModels` left them).
 */
export class LegacyAssembly {
  /** how many entries were added (the folder's documents, ignored ones too). */
  count = 0;
  private readonly folderProblems: Problem[] = [];
  /** problems of one document, attributed to a collection at the end. */
  private readonly pending: { problem: Problem; entry: LegacyEntry }[] = [];
  private readonly byId = new Map<string, LegacyEntry>();
  private readonly collections = new Map<string, Collection>();
  private readonly environments: LegacyEntry[] = [];
  private readonly specs: LegacyEntry[] = [];
  private readonly mockServers: LegacyEntry[] = [];
  private readonly mockRoutes: LegacyEntry[] = [];
  private readonly suites: LegacyEntry[] = [];
  private readonly unitTests: LegacyEntry[] = [];
  /** every item, in the order added. */
  private readonly built = new Map<string, Item>();
  /** the items not linked into a folder when added (eager), or all of them; in the order added. */
  private readonly unlinked: Item[] = [];
  /** eager: items whose parent id no item had yet, by that id. */
  private readonly waiting = new Map<string, Item[]>();
  private finished = false;

  constructor(
    readonly dir: string,
    readonly eager = true,
  ) {}

  /** The problem of a data file that holds no document (it could not be read or parsed). */
  addProblem(p: Problem): void {
    this.folderProblems.push(p);
  }

  add(e: LegacyEntry): void {
    if (this.finished) throw new Error('the assembly is finished');
    this.count++;
    const { id, type } = e;
    for (const message of intrinsicWarnings(e)) this.warn(e, message);
    if (!KNOWN_TYPES.has(type)) {
      this.warn(e, `Unknown document type ${type}; ignored`);
      return;
    }
    const seen = this.byId.get(id);
    if (seen) {
      this.warn(e, `Duplicate id ${id} (also in ${path.relative(this.dir, seen.file)}); ignored`);
      return;
    }
    this.byId.set(id, e);
    if (type === 'Workspace') this.collections.set(id, e.model as Collection);
    else if (type === 'Environment') this.environments.push(e);
    else if (type === 'ApiSpec') this.specs.push(e);
    else if (ITEM_TYPES.has(type)) this.addItem(e.model as Item);
    else if (type === 'MockServer') this.mockServers.push(e);
    else if (type === 'MockRoute') this.mockRoutes.push(e);
    else if (type === 'UnitTestSuite') this.suites.push(e);
    else if (type === 'UnitTest') this.unitTests.push(e);
  }

  private warn(entry: LegacyEntry, message: string): void {
    this.pending.push({ problem: problem(entry.file, message, 'warning'), entry });
  }

  private addItem(item: Item): void {
    const built = this.built;
    built.set(item.id, item);
    if (!this.eager) {
      this.unlinked.push(item);
      return;
    }
    // first the items that were waiting for this folder (they came before it), then the item itself: the order in
    // which linking them all at the end would push them
    if (item.kind === 'folder') {
      const children = this.waiting.get(item.id);
      if (children) {
        this.waiting.delete(item.id);
        for (const child of children) insertSorted(item.children, child);
      }
    }
    const parent = built.get(item.parentId);
    if (parent) {
      if (parent.kind === 'folder') insertSorted(parent.children, item);
      else this.unlinked.push(item); // a request is no parent (ids are unique: it never becomes a folder)
      return;
    }
    this.unlinked.push(item);
    const list = this.waiting.get(item.parentId);
    if (list) list.push(item);
    else this.waiting.set(item.parentId, [item]);
  }

  /** Adds `entries` and finishes, a step every `STEP_DOCUMENTS` documents. */
  *steps(entries: readonly LegacyEntry[]): Generator<void, LegacyFolderResult> {
    let n = 0;
    for (const e of entries) {
      if ((++n & (STEP_DOCUMENTS - 1)) === 0) yield;
      this.add(e);
    }
    return yield* this.finish();
  }

  /** The collections and the folder's problems, a step at a time; once. */
  *finish(): Generator<void, LegacyFolderResult> {
    if (this.finished) throw new Error('the assembly is finished');
    this.finished = true;
    const { dir, folderProblems, pending, byId, collections, environments, specs, mockServers, mockRoutes, suites, unitTests, built } = this;
    const warn = (entry: LegacyEntry, message: string) => this.warn(entry, message);
    let n = 0;

    if (collections.size === 0) {
      // no tree to show: the models stay as they were read (eager links undone)
      if (this.eager) for (const item of built.values()) if (item.kind === 'folder') item.children.length = 0;
      if (this.count > 0) {
        folderProblems.push(
          problem(dir, `No Workspace document in this .insomnia folder; ${this.count} document(s) not shown`, 'error'),
        );
      }
      for (const p of pending) folderProblems.push(p.problem);
      return { collections: [], problems: folderProblems };
    }

    const ordered = [...collections.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    /** where orphans go: the first workspace by name. */
    const home = ordered[0];

    // Items: link each to its parent (a folder or a workspace). An item whose parent is missing goes to the top of
    // the (first) workspace with a warning.
    const entryOf = (item: Item) => byId.get(item.id)!;
    for (const item of this.unlinked) {
      if ((++n & (STEP_DOCUMENTS - 1)) === 0) yield;
      const parent = built.get(item.parentId);
      if (parent && parent.kind === 'folder') {
        if (!this.eager) parent.children.push(item); // eager: linked when the later of the two came in
        continue;
      }
      let c = collections.get(item.parentId);
      if (!c) {
        warn(entryOf(item), `Parent ${item.parentId || '(none)'} not found; shown at the top of ${home.name}`);
        setParent(item, home.id);
        c = home;
      }
      c.children.push(item);
    }
    // Folders that reach no workspace (a parentId cycle): cut the cycle and show them at the top. Each item has one
    // parent, so counting what the workspaces reach tells whether there is a cycle at all.
    const count = (list: readonly Item[]): number => {
      let n = list.length;
      for (const item of list) if (item.kind === 'folder') n += count(item.children);
      return n;
    };
    let reachable = 0;
    for (const c of collections.values()) reachable += count(c.children);
    const reached = new Set<Item>();
    const mark = (list: readonly Item[]) => {
      for (const item of list) {
        if (reached.has(item)) continue;
        reached.add(item);
        if (item.kind === 'folder') mark(item.children);
      }
    };
    if (reachable < built.size) for (const c of collections.values()) mark(c.children);
    if (reachable < built.size) {
      for (const start of built.values()) {
        if (reached.has(start)) continue;
        // climb to a folder on the cycle (what hangs below it is not part of the cycle and keeps its place)
        const seen = new Set<Item>();
        let item = start;
        while (!seen.has(item)) {
          seen.add(item);
          item = built.get(item.parentId)!;
        }
        // cut the cycle at its smallest id, so the result does not depend on the order the files were read in
        for (let other = built.get(item.parentId)!; other !== item; other = built.get(other.parentId)!) {
          if (other.id < item.id) item = other;
        }
        const parent = built.get(item.parentId) as Folder;
        parent.children.splice(parent.children.indexOf(item), 1);
        warn(entryOf(item), `${item.name} is in a cycle of parentIds (parent ${item.parentId}); shown at the top of ${home.name}`);
        setParent(item, home.id);
        home.children.push(item);
        mark([item]);
      }
    }
    yield;
    // eager: each folder's children were kept in order as they were linked (ids are unique, sort keys finite: one order)
    if (!this.eager) for (const item of built.values()) if (item.kind === 'folder' && item.children.length > 1) item.children.sort(bySortKeyThenId);
    for (const c of collections.values()) c.children.sort(bySortKeyThenId);
    yield;

    attachEnvironments(collections, home, environments, warn);

    for (const e of specs) {
      const c = collections.get(e.parentId);
      if (!c) {
        warn(e, `ApiSpec parent ${e.parentId || '(none)'} is not a workspace; ignored`);
      } else if (c.spec) {
        warn(e, `Second ApiSpec for ${c.name}; ignored`);
      } else {
        c.spec = e.model as ApiSpec;
      }
    }

    // unit test suites (parent: the workspace) and their tests (parent: a suite), by sort key as Insomnia lists them
    const suiteById = new Map<string, UnitTestSuite>();
    for (const e of suites) {
      const c = collections.get(e.parentId);
      const suite = e.model as UnitTestSuite;
      if (!c) {
        warn(e, `UnitTestSuite parent ${e.parentId || '(none)'} is not a workspace; ignored`);
        continue;
      }
      (c.testSuites ??= []).push(suite);
      suiteById.set(suite.id, suite);
    }
    for (const e of unitTests) {
      const suite = suiteById.get(e.parentId);
      if (suite) suite.tests.push(e.model as UnitTest);
      else warn(e, `UnitTest parent ${e.parentId || '(none)'} is not a unit test suite; ignored`);
    }
    for (const c of collections.values()) c.testSuites?.sort(bySortKeyThenId);
    for (const suite of suiteById.values()) suite.tests.sort(bySortKeyThenId);

    for (const e of mockServers) {
      const c = collections.get(e.parentId);
      if (!c) warn(e, `MockServer parent ${e.parentId || '(none)'} is not a workspace; ignored`);
      else if (c.mockServer) warn(e, `Second MockServer for ${c.name}; ignored`);
      else c.mockServer = e.model as MockServer;
    }
    const servers = new Map<string, MockServer>();
    for (const c of collections.values()) if (c.mockServer) servers.set(c.mockServer.id, c.mockServer);
    for (const e of mockRoutes) {
      const server = servers.get(e.parentId);
      if (server) server.routes.push(e.model as MockRoute);
      else warn(e, `MockRoute parent ${e.parentId || '(none)'} is not a mock server; ignored`);
    }
    // routes have no sort key: Insomnia lists them in creation order
    for (const server of servers.values()) server.routes.sort((a, b) => (a.created ?? 0) - (b.created ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

    // Attribute each document's problems to its collection. With one workspace everything in the folder is its own.
    const single = collections.size === 1 ? home : undefined;
    if (single) {
      single.problems.push(...folderProblems);
      folderProblems.length = 0;
    } else {
      for (const c of collections.values()) {
        c.problems.push(
          problem(c.source.file, `This .insomnia folder holds ${collections.size} workspaces; Insomnia expects one`, 'warning'),
        );
      }
    }
    for (const { problem: p, entry } of pending) {
      const owner = single ?? ownerOf(entry, collections, built, byId);
      if (owner) owner.problems.push(p);
      else folderProblems.push(p);
    }
    return { collections: ordered, problems: folderProblems };
  }
}

/** Inserts `item` where sorting by sort key then id puts it (after its equals: where a stable sort would). */
function insertSorted(list: Item[], item: Item): void {
  let lo = 0;
  let hi = list.length;
  // most files come in the listing's order, not the sort keys': look at the end first
  if (hi === 0 || bySortKeyThenId(list[hi - 1]!, item) <= 0) {
    list.push(item);
    return;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bySortKeyThenId(list[mid]!, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}

/** The warnings a document gets whatever the others say: its folder is not its type, its file name is not its id. */
export function intrinsicWarnings(e: LegacyEntry): string[] {
  const out: string[] = [];
  if (e.type !== e.folder) out.push(`Document of type ${e.type} is in the ${e.folder} folder; read as ${e.type}`);
  const slash = Math.max(e.file.lastIndexOf('/'), e.file.lastIndexOf('\\'));
  if (e.file.lastIndexOf('.') - slash - 1 !== e.id.length || !e.file.startsWith(e.id, slash + 1)) {
    out.push(`File name does not match the document id ${e.id}`);
  }
  return out;
}

/**
 * Undoes what `assembleLegacyCollections` did to the entries' model objects (children linked, parents of orphans
 * replaced, environments and specs attached, problems added), so the same entries can be assembled again after
 * some of them changed: re-reading a 10,000-file folder to learn about one file is what this avoids.
 */
export function resetLegacyModels(entries: Iterable<LegacyEntry>): void {
  for (const e of entries) resetLegacyModel(e);
}

/** `resetLegacyModels` of one entry. */
export function resetLegacyModel(e: LegacyEntry): void {
  const model = e.model;
  if (!model) return;
  if (e.type === 'Workspace') {
    const c = model as Collection;
    c.children = [];
    c.problems = [];
    c.baseEnvironment = undefined;
    c.spec = undefined;
    c.testSuites = undefined;
    c.partial = undefined;
  } else if (e.type === 'UnitTestSuite') {
    (model as UnitTestSuite).tests = [];
  } else if (e.type === 'RequestGroup') {
    (model as Folder).children = [];
    setParent(model as Folder, e.parentId);
  } else if (ITEM_TYPES.has(e.type)) {
    setParent(model as Item, e.parentId);
  } else if (e.type === 'Environment') {
    setParent(model as Environment, e.parentId);
    delete (model as Partial<BaseEnvironment>).subEnvironments;
  }
}

/** Whether a legacy type folder's documents are items of the tree (folders and requests of every kind). */
export function isLegacyItemType(type: string): boolean {
  return ITEM_TYPES.has(type);
}

/** Items and environments are built with the parent their file names; a missing parent is replaced once. */
function setParent(object: Item | Environment, parentId: string): void {
  (object as { parentId: string }).parentId = parentId;
}

/** The collection a document ends up in, following parents (items already linked, others by their file's parentId). */
function ownerOf(
  e: LegacyEntry,
  collections: ReadonlyMap<string, Collection>,
  items: ReadonlyMap<string, Item>,
  byId: ReadonlyMap<string, LegacyEntry>,
): Collection | undefined {
  let id: string | undefined = e.id;
  for (let hops = 0; hops < 1000 && id; hops++) {
    const c = collections.get(id);
    if (c) return c;
    const item = items.get(id);
    id = item ? item.parentId : byId.get(id)?.parentId;
  }
  return undefined;
}

function legacyCollection(dir: string, w: LegacyDocument): Collection {
  const doc = w.doc;
  return {
    id: doc._id,
    format: 'legacy',
    path: dir,
    name: str(doc.name, 'My Workspace'),
    description: str(doc.description),
    scope: legacyScope(doc.scope),
    children: [],
    problems: [],
    source: sourceOf(w.file),
  };
}

function sortKeyOf(doc: RawMapping): number {
  const created = optionalNum(doc.created);
  return num(doc.metaSortKey, created === undefined ? 0 : -created);
}

/** Converts one RequestGroup / Request / GrpcRequest / WebSocketRequest document (defaults: 10.1.1 models). */
export function legacyItem(d: LegacyDocument, parentId: string): Item {
  // Object literals with every field written out: a `{ ...common, kind }` spread costs ~10x more here (measured:
  // 50-150 ms against 4 ms for 10,000 requests), and this runs once per document.
  const doc = d.doc;
  const id = doc._id;
  const description = str(doc.description);
  const sortKey = sortKeyOf(doc);
  const created = optionalNum(doc.created);
  const modified = optionalNum(doc.modified);
  const source = sourceOf(d.file);
  switch (doc.type) {
    case 'RequestGroup': {
      const folder: Folder = {
        kind: 'folder',
        id,
        parentId,
        name: str(doc.name, 'New Folder'),
        description,
        sortKey,
        created,
        modified,
        source,
        children: [],
        environment: data(doc.environment),
        ...withOrder('environmentOrder', doc.environmentPropertyOrder),
        headers: keyValues(doc.headers),
        authentication: authentication(doc.authentication),
        scripts: scripts(doc.preRequestScript, doc.afterResponseScript),
      };
      return folder;
    }
    case 'GrpcRequest': {
      const grpc: GrpcRequest = {
        kind: 'grpcRequest',
        id,
        parentId,
        name: str(doc.name, 'New gRPC Request'),
        description,
        sortKey,
        created,
        modified,
        source,
        url: str(doc.url),
        protoFileId: optionalStr(doc.protoFileId),
        protoMethodName: optionalStr(doc.protoMethodName),
        body: mapping(doc.body) as GrpcRequest['body'],
        metadata: keyValues(doc.metadata),
        reflectionApi: reflectionApi(doc.reflectionApi, LEGACY_REFLECTION_API_DEFAULT),
      };
      return grpc;
    }
    case 'WebSocketRequest': {
      const ws: WebSocketRequest = {
        kind: 'websocketRequest',
        id,
        parentId,
        name: str(doc.name, 'New WebSocket Request'),
        description,
        sortKey,
        created,
        modified,
        source,
        url: str(doc.url),
        headers: keyValues(doc.headers),
        parameters: keyValues(doc.parameters),
        authentication: authentication(doc.authentication),
      };
      return ws;
    }
    default: {
      const request: HttpRequest = {
        kind: 'request',
        id,
        parentId,
        name: str(doc.name, 'New Request'),
        description,
        sortKey,
        created,
        modified,
        source,
        method: str(doc.method, 'GET'),
        url: str(doc.url),
        parameters: keyValues(doc.parameters),
        pathParameters: keyValues(doc.pathParameters),
        headers: keyValues(doc.headers),
        body: body(doc.body),
        authentication: authentication(doc.authentication),
        scripts: scripts(doc.preRequestScript, doc.afterResponseScript),
        settings: {
          renderRequestBody: !bool(doc.settingDisableRenderRequestBody, false),
          encodeUrl: bool(doc.settingEncodeUrl, true),
          followRedirects: followRedirects(doc.settingFollowRedirects),
          sendCookies: bool(doc.settingSendCookies, true),
          storeCookies: bool(doc.settingStoreCookies, true),
          rebuildPath: bool(doc.settingRebuildPath, true),
        },
      };
      return request;
    }
  }
}

export function legacyEnvironment(d: LegacyDocument, parentId: string): Environment {
  const doc = d.doc;
  return {
    id: doc._id,
    parentId,
    name: str(doc.name, 'New Environment'),
    data: data(doc.data),
    ...withOrder('propertyOrder', doc.dataPropertyOrder),
    color: typeof doc.color === 'string' ? doc.color : null,
    sortKey: sortKeyOf(doc),
    isPrivate: bool(doc.isPrivate, false),
    created: optionalNum(doc.created),
    modified: optionalNum(doc.modified),
    source: sourceOf(d.file),
  };
}

/** A MockServer document (10.1.1 `mock-server.ts`: `url`, `useInsomniaCloud`; its routes are attached later). */
function legacyMockServer(d: LegacyDocument): MockServer {
  const doc = d.doc;
  return {
    id: doc._id,
    url: str(doc.url),
    useInsomniaCloud: bool(doc.useInsomniaCloud, true),
    created: optionalNum(doc.created),
    modified: optionalNum(doc.modified),
    routes: [],
    source: sourceOf(d.file),
  };
}

/** A MockRoute document (10.1.1 `mock-route.ts`, defaults of its `init()`). */
function legacyMockRoute(d: LegacyDocument, parentId: string): MockRoute {
  const doc = d.doc;
  return {
    id: doc._id,
    parentId,
    name: str(doc.name, '/'),
    body: str(doc.body),
    headers: keyValues(doc.headers),
    method: str(doc.method, 'GET'),
    mimeType: str(doc.mimeType, 'application/json'),
    statusCode: num(doc.statusCode, 200),
    statusText: str(doc.statusText),
    created: optionalNum(doc.created),
    modified: optionalNum(doc.modified),
    source: sourceOf(d.file),
  };
}

function legacyTestSuite(d: LegacyDocument, parentId: string): UnitTestSuite {
  return { id: d.doc._id, parentId, name: str(d.doc.name), sortKey: sortKeyOf(d.doc), created: optionalNum(d.doc.created), modified: optionalNum(d.doc.modified), tests: [], source: sourceOf(d.file) };
}

function legacyUnitTest(d: LegacyDocument, parentId: string): UnitTest {
  const requestId = d.doc.requestId;
  return {
    id: d.doc._id,
    parentId,
    name: str(d.doc.name),
    code: str(d.doc.code),
    requestId: typeof requestId === 'string' && requestId !== '' ? requestId : null,
    sortKey: sortKeyOf(d.doc),
    created: optionalNum(d.doc.created),
    modified: optionalNum(d.doc.modified),
    source: sourceOf(d.file),
  };
}

function legacySpec(d: LegacyDocument): ApiSpec {
  return {
    id: d.doc._id,
    fileName: str(d.doc.fileName),
    contents: str(d.doc.contents),
    // what a v5 `spec: {file: X}` converted or exported to legacy documents keeps, to be written back to v5
    ...(typeof d.doc.file === 'string' ? { file: d.doc.file } : {}),
    created: optionalNum(d.doc.created),
    modified: optionalNum(d.doc.modified),
    source: sourceOf(d.file),
  };
}

/**
 * Base environment = the Environment whose parent is the workspace (Insomnia expects one; with several, the one with
 * Insomnia's deterministic id `env_` + sha1(workspace id) wins, else the oldest), sub-environments = those whose
 * parent is a base environment, sorted by `metaSortKey`.
 */
function attachEnvironments(
  collections: ReadonlyMap<string, Collection>,
  home: Collection,
  environments: readonly LegacyEntry[],
  warn: (entry: LegacyEntry, message: string) => void,
): void {
  const bases = new Map<string, LegacyEntry[]>();
  for (const e of environments) {
    if (collections.has(e.parentId)) {
      const list = bases.get(e.parentId);
      if (list) list.push(e);
      else bases.set(e.parentId, [e]);
    }
  }
  /** base environment id (chosen or not) -> the collection its subs belong to. */
  const baseOwner = new Map<string, Collection>();
  for (const [workspaceId, list] of bases) {
    const c = collections.get(workspaceId)!;
    for (const e of list) baseOwner.set(e.id, c);
    const chosen = list.length === 1 ? list[0] : pickBase(workspaceId, list);
    const base = chosen.model as BaseEnvironment;
    base.subEnvironments = [];
    c.baseEnvironment = base;
    for (const e of list) {
      if (e !== chosen) warn(e, `Second base environment for ${c.name} (${chosen.id} is used); its sub-environments are shown under it`);
    }
  }
  for (const e of environments) {
    if (collections.has(e.parentId)) continue;
    const env = e.model as Environment;
    let owner = baseOwner.get(e.parentId);
    if (!owner) {
      owner = home;
      warn(e, `Parent ${e.parentId || '(none)'} of environment ${env.name} is not a base environment; shown under ${home.name}`);
    }
    const base = owner.baseEnvironment;
    if (!base) {
      warn(e, `Environment ${env.name} has no base environment to belong to; not shown`);
      continue;
    }
    if (env.parentId !== base.id) setParent(env, base.id);
    base.subEnvironments.push(env);
  }
  for (const c of collections.values()) c.baseEnvironment?.subEnvironments.sort(bySortKeyThenId);
}

function pickBase(workspaceId: string, list: readonly LegacyEntry[]): LegacyEntry {
  const canonical = `env_${createHash('sha1').update(workspaceId).digest('hex')}`;
  const found = list.find((e) => e.id === canonical);
  if (found) return found;
  return [...list].sort((a, b) => a.created - b.created || a.id.localeCompare(b.id))[0];
}
