// Request-level diff between two git refs, reading only what changed: the two commits' trees are compared first
// (treeDiff: only subtrees whose oids differ are read), then only the collection files the change touches are loaded.
// A v5 file is loaded whole on both sides. In a touched `.insomnia` folder the loader reads, on both sides, the
// Workspace, Environment and ApiSpec documents (few, and they decide the collection, its base environment and its
// name), the changed documents, and what places them: their parent folders up to the workspace. The result equals
// `diffSnapshots(loadWorkspaceAtRef(base), loadWorkspaceAtRef(head))` (unit-tested both ways); where that equality
// needs documents outside the change, they are found and read too: the siblings of an item whose sort key changed
// (a reorder can move an untouched sibling), the documents naming a folder id that exists on one side only (an
// orphan a new folder adopts), a parent not found under its own file name. A parentId cycle or a folder with several
// workspaces is read whole. No 'vscode' import; nothing outside `.git` is read or written.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isogit } from './isogit';
import type { Problem, WorkspaceSnapshot } from '../collections/model';
import { diffSnapshots, type SnapshotDiff } from '../collections/diff';
import {
  assembleLegacyCollections,
  isLegacyDataFile,
  LEGACY_FOLDER_NAME,
  legacyEntry,
  parseLegacyFile,
  type LegacyEntry,
} from '../collections/formats/legacy';
import { parseV5File, v5TypeOfText } from '../collections/formats/v5';
import { compareCollections, isSkippedFolderName, isYamlFileName, unreadSides } from '../collections/scan';
import { resolveCommit } from './snapshotAtRef';
import { diffTrees, readTree, treeOfCommit, type ObjectStore, type TreeChange, type TreeFile } from './treeDiff';
import { readDir } from '../collections/legacyFiles';
import { gitFs } from './plumbing/gitFs';
import { readObjectData } from './plumbing/objects';

export interface RefDiff {
  /** the commit compared from (with `mergeBase`, the merge base of the two refs). */
  readonly base: string;
  /** the commit compared to. */
  readonly head: string;
  /**
   * The collections the change touches, as they are at `base` / `head`. Partial: a legacy collection holds the
   * changed items with their parent folders and its environments, not every item (a v5 collection is whole).
   * Every item of `diff` is in them (for a removal in `before`, else in `after`).
   */
  readonly before: WorkspaceSnapshot;
  readonly after: WorkspaceSnapshot;
  readonly diff: SnapshotDiff;
}

export interface RefDiffOptions {
  /** default `<dir>/.git`. */
  readonly gitdir?: string;
  /** compare the merge base of the two refs with `headRef` (what a pull request shows) rather than `baseRef` itself. */
  readonly mergeBase?: boolean;
  /** isomorphic-git's object cache (parsed pack indexes) to share across calls on the same repository. */
  readonly cache?: object;
  /** filled in when given: how many file contents (blobs) were read, for tests and benchmarks. */
  readonly stats?: { blobsRead: number };
}

export class NoMergeBaseError extends Error {
  constructor(readonly baseRef: string, readonly headRef: string) {
    super(`${baseRef} and ${headRef} have no common ancestor`);
    this.name = 'NoMergeBaseError';
  }
}

/**
 * What changed in the collections from `baseRef` to `headRef` (branches, tags, remote-tracking refs, oids, `~N`/`^`).
 * Throws `UnknownRefError` for a ref git does not know, `NoMergeBaseError` with `mergeBase` for unrelated histories.
 */
export async function diffRefs(dir: string, baseRef: string, headRef: string, options: RefDiffOptions = {}): Promise<RefDiff> {
  const root = path.resolve(dir);
  const gitdir = options.gitdir ?? path.join(root, '.git');
  const cache = options.cache ?? {};
  const store: Store = { gitdir, cache, stats: options.stats, trees: new Map() };
  const head = await resolveCommit(root, headRef, gitdir);
  const base = options.mergeBase ? await mergeBaseOf(root, baseRef, headRef, gitdir, cache) : await resolveCommit(root, baseRef, gitdir);
  const [treeBefore, treeAfter] = await Promise.all([treeOfCommit(store, base), treeOfCommit(store, head)]);
  // through the store's tree cache: the folder listings below read the same trees again
  const changes = await diffTrees(store, treeBefore, treeAfter);

  const before: WorkspaceSnapshot = { root, collections: [], problems: [] };
  const after: WorkspaceSnapshot = { root, collections: [], problems: [] };
  const legacyFolders = await loadChangedV5(store, root, changes, before, after);
  for (const [folder, changed] of legacyFolders) {
    const listings: [Listing, Listing] = [await listLegacyFolder(store, treeBefore, folder), await listLegacyFolder(store, treeAfter, folder)];
    await loadLegacyPair(store, root, folder, listings, changed, before, after);
  }
  before.collections.sort(compareCollections);
  after.collections.sort(compareCollections);
  return { base, head, before, after, diff: diffSnapshots(before.collections, after.collections, unreadSides(before, after)) };
}

/** `diffRefWithWorkingTree`'s result: as `RefDiff`, its `after` side the working tree. */
export type WorkingTreeDiff = Omit<RefDiff, 'head'>;

/**
 * What changed in the collections from `baseRef` to the working tree under `scope` (default: the whole repository;
 * `before` then holds only what is under `scope` too), reading only what changed: the Insomnia files under `scope`
 * on disk are hashed as git hashes blobs and compared with the commit's tree, and only the files whose content
 * differs are loaded (with what places them, as `diffRefs` does). Equals
 * `diffSnapshots(loadWorkspaceAtRef(base) under scope, loadWorkspace(scope))` (unit-tested) when no folder from the
 * repository's root down to `scope` is one the walk skips (a dot-folder, node_modules) or a `.insomnia` folder:
 * `isPlainScope` says so. Throws `UnknownRefError` for a ref git does not know.
 */
export async function diffRefWithWorkingTree(dir: string, baseRef: string, options: RefDiffOptions & { readonly scope?: string } = {}): Promise<WorkingTreeDiff> {
  const root = path.resolve(dir);
  const gitdir = options.gitdir ?? path.join(root, '.git');
  const texts = new Map<string, string>();
  const store: Store = { gitdir, cache: options.cache ?? {}, stats: options.stats, trees: new Map(), texts };
  const base = await resolveCommit(root, baseRef, gitdir);
  const treeBefore = await treeOfCommit(store, base);
  const scopeRel = path.relative(root, path.resolve(options.scope ?? root)).split(path.sep).filter(Boolean).join('/');
  const inScope = (p: string) => scopeRel === '' || p === scopeRel || p.startsWith(scopeRel + '/');

  // the commit's Insomnia files under the scope, and the working tree's (regular files only: links are not followed)
  const baseFiles = new Map<string, TreeFile>();
  const scopeTree = scopeRel === '' ? treeBefore : await subtree(store, treeBefore, scopeRel);
  if (scopeTree) await listTreeFiles(store, scopeTree, scopeRel, baseFiles);
  const workFiles = new Map<string, TreeFile>();
  listWorkingFiles(path.join(root, ...scopeRel.split('/').filter(Boolean)), scopeRel, workFiles, texts, baseFiles);

  const changes: TreeChange[] = [];
  for (const [p, b] of baseFiles) {
    const w = workFiles.get(p);
    if (!w) changes.push({ path: p, before: b, after: null });
    else if (w.oid !== b.oid) changes.push({ path: p, before: b, after: w });
  }
  for (const [p, w] of workFiles) if (!baseFiles.has(p)) changes.push({ path: p, before: null, after: w });
  changes.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));

  const before: WorkspaceSnapshot = { root, collections: [], problems: [] };
  const after: WorkspaceSnapshot = { root, collections: [], problems: [] };
  const legacyFolders = await loadChangedV5(store, root, changes, before, after);
  const [baseListings, workListings] = legacyFolders.size ? [listingsOf(baseFiles), listingsOf(workFiles)] : [new Map<string, Listing>(), new Map<string, Listing>()];
  const none: Listing = { files: new Map(), byStem: new Map() };
  for (const [folder, changed] of legacyFolders) {
    const listings: [Listing, Listing] = [baseListings.get(folder) ?? none, workListings.get(folder) ?? none];
    await loadLegacyPair(store, root, folder, listings, changed, before, after);
  }
  before.collections = before.collections.filter((c) => inScope(path.relative(root, c.path).split(path.sep).join('/')));
  before.collections.sort(compareCollections);
  after.collections.sort(compareCollections);
  return { base, before, after, diff: diffSnapshots(before.collections, after.collections, unreadSides(before, after)) };
}

/**
 * The changed v5 files loaded into `before` and `after`; the changed files of `.insomnia` folders returned, by folder
 * (`loadLegacyPair` loads them with what places them).
 */
async function loadChangedV5(store: Store, root: string, changes: readonly TreeChange[], before: WorkspaceSnapshot, after: WorkspaceSnapshot): Promise<Map<string, Set<string>>> {
  const legacyFolders = new Map<string, Set<string>>();
  for (const change of changes) {
    const where = classify(change.path);
    if (!where) continue;
    if (where.kind === 'v5') await loadV5(store, root, change, before, after);
    else {
      let set = legacyFolders.get(where.folder);
      if (!set) legacyFolders.set(where.folder, (set = new Set()));
      set.add(where.rel);
    }
  }
  return legacyFolders;
}

/** Whether `diffRefWithWorkingTree` gives the full comparison's result for this scope (see there). */
export function isPlainScope(root: string, scope: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(scope));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
  return rel.split(path.sep).filter(Boolean).every((s) => !isSkippedFolderName(s) && s !== LEGACY_FOLDER_NAME);
}

/**
 * Where a listing stands: outside any `.insomnia` folder (-1), in one (0), in one of its type folders (1). A file is
 * listed outside as a YAML file, in a type folder as a data file (`classify` decides on the changes; this is a
 * superset of what it takes, and never holds less).
 */
type Depth = -1 | 0 | 1;

function enters(name: string, depth: Depth): Depth | undefined {
  if (depth === 1) return undefined;
  if (depth === 0) return 1;
  if (name === LEGACY_FOLDER_NAME) return 0;
  return isSkippedFolderName(name) ? undefined : -1;
}

function listed(name: string, depth: Depth): boolean {
  return depth === 1 ? isLegacyDataFile(name) : depth === -1 && isYamlFileName(name);
}

/** The Insomnia files under a tree, by path (the walk's skipped folders not entered). */
async function listTreeFiles(store: Store, tree: string, prefix: string, out: Map<string, TreeFile>, depth: Depth = -1): Promise<void> {
  for (const e of await readTree(store, tree)) {
    const p = prefix ? `${prefix}/${e.path}` : e.path;
    if (e.type === 'tree') {
      const next = enters(e.path, depth);
      if (next !== undefined) await listTreeFiles(store, e.oid, p, out, next);
    } else if (e.type === 'blob' && listed(e.path, depth)) out.set(p, { oid: e.oid, mode: parseInt(e.mode, 8) });
  }
}

/**
 * The working tree's Insomnia files, with their git blob oids; the text of each one whose content is not `known`'s
 * blob goes to `texts` (the rest are read from git when needed, as the same blob). Read as `loadWorkspace` reads
 * them: synchronously, links not followed.
 */
function listWorkingFiles(dirPath: string, prefix: string, out: Map<string, TreeFile>, texts: Map<string, string>, known: ReadonlyMap<string, TreeFile>, depth: Depth = -1): void {
  for (const e of readDir(dirPath)) {
    const p = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) {
      const next = enters(e.name, depth);
      if (next !== undefined) listWorkingFiles(path.join(dirPath, e.name), p, out, texts, known, next);
    } else if (e.isFile() && listed(e.name, depth)) {
      let buf: Buffer;
      try {
        buf = readFileSync(path.join(dirPath, e.name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // deleted while we read
        throw err;
      }
      const oid = createHash('sha1').update(`blob ${buf.length}\0`).update(buf).digest('hex');
      out.set(p, { oid, mode: 0o100644 });
      if (known.get(p)?.oid !== oid) texts.set(oid, buf.toString('utf8'));
    }
  }
}

/** The `.insomnia` folders' listings from the file lists above, by folder. */
function listingsOf(files: ReadonlyMap<string, TreeFile>): Map<string, Listing> {
  const out = new Map<string, Listing>();
  for (const [p, f] of files) {
    const where = classify(p);
    if (where?.kind !== 'legacy') continue;
    let listing = out.get(where.folder);
    if (!listing) out.set(where.folder, (listing = { files: new Map(), byStem: new Map() }));
    addToListing(listing, where.rel, f.oid);
  }
  return out;
}

/**
 * The commit `git diff baseRef...headRef` compares from: the merge base of the two (the first, as git takes it).
 * Throws `UnknownRefError` for a ref git does not know, `NoMergeBaseError` for unrelated histories.
 */
export async function mergeBaseOf(dir: string, baseRef: string, headRef: string, gitdir = path.join(dir, '.git'), cache: object = {}): Promise<string> {
  const oids = [await resolveCommit(dir, baseRef, gitdir), await resolveCommit(dir, headRef, gitdir)];
  const bases = (await isogit().findMergeBase({ fs: gitFs, dir, gitdir, oids, cache })) as string[];
  if (!bases.length) throw new NoMergeBaseError(baseRef, headRef);
  return bases[0];
}

type Where = { kind: 'v5' } | { kind: 'legacy'; folder: string; rel: string };

/** Whether a changed path can change the loaded collections: the same test `loadWorkspaceAtRef`'s walk makes. */
function classify(filepath: string): Where | undefined {
  const segments = filepath.split('/');
  const name = segments[segments.length - 1];
  const insomniaAt = segments.indexOf(LEGACY_FOLDER_NAME);
  const dirsBefore = insomniaAt >= 0 ? insomniaAt : segments.length - 1;
  for (let i = 0; i < dirsBefore; i++) if (isSkippedFolderName(segments[i])) return undefined;
  if (insomniaAt >= 0) {
    if (segments.length !== insomniaAt + 3 || !isLegacyDataFile(name)) return undefined;
    return { kind: 'legacy', folder: segments.slice(0, insomniaAt + 1).join('/'), rel: segments.slice(insomniaAt + 1).join('/') };
  }
  return isYamlFileName(name) ? { kind: 'v5' } : undefined;
}

const GITLINK = 0o160000;
const decoder = new TextDecoder('utf-8');

export interface Store extends ObjectStore {
  readonly stats?: { blobsRead: number };
  /** texts read from the working tree, by blob oid: consulted before git's objects. */
  readonly texts?: ReadonlyMap<string, string>;
}

export async function readText(store: Store, oid: string): Promise<string> {
  if (store.stats) store.stats.blobsRead++;
  const known = store.texts?.get(oid);
  if (known !== undefined) return known;
  // Hammock's pack reader (native zlib), as the trees are read; isomorphic-git's readBlob cost ~0.3 ms an object
  const { type, data } = await readObjectData(store.gitdir, store.cache, oid);
  if (type !== 'blob') throw new Error(`${oid} is a ${type}, not a blob`);
  return decoder.decode(data);
}

async function loadV5(store: Store, root: string, change: TreeChange, before: WorkspaceSnapshot, after: WorkspaceSnapshot): Promise<void> {
  const file = path.join(root, ...change.path.split('/'));
  for (const [side, snap] of [[change.before, before], [change.after, after]] as const) {
    if (!side || side.mode === GITLINK) continue;
    const text = await readText(store, side.oid);
    if (!v5TypeOfText(text)) continue;
    const result = parseV5File(file, text);
    if (result.collection) snap.collections.push(result.collection);
    snap.problems.push(...result.problems);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One `.insomnia` folder, both sides

/** The files of a `.insomnia` folder in a tree: `Type/file.yml` -> blob oid, and the file stems (ids, by Insomnia's naming) -> their paths. */
export interface Listing {
  readonly files: Map<string, string>;
  readonly byStem: Map<string, string[]>;
}

/** One side of a legacy folder: its files and the documents read so far (by path within the folder). */
interface Side {
  readonly listing: Listing;
  readonly parsed: Map<string, LegacyEntry | Problem>;
}

const WHOLE_TYPES = ['Workspace', 'Environment', 'ApiSpec'];
const ITEM_TYPES: ReadonlySet<string> = new Set(['RequestGroup', 'Request', 'GrpcRequest', 'WebSocketRequest']);

function stemOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

async function subtree(store: Store, tree: string, rel: string): Promise<string | undefined> {
  let oid = tree;
  for (const part of rel.split('/')) {
    const entries = await readTree(store, oid);
    const e = entries.find((x) => x.path === part);
    if (!e || e.type !== 'tree') return undefined;
    oid = e.oid;
  }
  return oid;
}

export async function listLegacyFolder(store: Store, tree: string, folder: string): Promise<Listing> {
  const listing: Listing = { files: new Map(), byStem: new Map() };
  const oid = await subtree(store, tree, folder);
  if (oid) {
    const types = await readTree(store, oid);
    for (const t of types) {
      if (t.type !== 'tree') continue;
      const entries = await readTree(store, t.oid);
      for (const e of entries) if (e.type === 'blob' && isLegacyDataFile(e.path)) addToListing(listing, `${t.path}/${e.path}`, e.oid);
    }
  }
  return listing;
}

/** `rel` (`<Type>/<file>`) with its blob `oid` put in `listing`, by path and by its file's stem. */
function addToListing(listing: Listing, rel: string, oid: string): void {
  listing.files.set(rel, oid);
  const stem = stemOf(rel.slice(rel.indexOf('/') + 1));
  const list = listing.byStem.get(stem);
  if (list) list.push(rel);
  else listing.byStem.set(stem, [rel]);
}

function isEntry(x: LegacyEntry | Problem | undefined): x is LegacyEntry {
  return x !== undefined && 'id' in x;
}

async function loadLegacyPair(
  store: Store,
  root: string,
  folder: string,
  listings: readonly [Listing, Listing],
  changed: ReadonlySet<string>,
  before: WorkspaceSnapshot,
  after: WorkspaceSnapshot,
): Promise<void> {
  const folderDir = path.join(root, ...folder.split('/'));
  const sides: [Side, Side] = [
    { listing: listings[0], parsed: new Map() },
    { listing: listings[1], parsed: new Map() },
  ];
  const needed = new Set<string>(changed);
  for (const side of sides) {
    for (const rel of side.listing.files.keys()) if (WHOLE_TYPES.includes(rel.slice(0, rel.indexOf('/')))) needed.add(rel);
  }
  /** ids whose mentions were searched for already. */
  const searched = new Set<string>();
  let whole = false;

  const parse = async (side: Side, rel: string) => {
    if (side.parsed.has(rel)) return;
    const oid = side.listing.files.get(rel);
    if (!oid) return;
    const slash = rel.indexOf('/');
    const result = parseLegacyFile(path.join(folderDir, ...rel.split('/')), rel.slice(0, slash), await readText(store, oid));
    side.parsed.set(rel, 'document' in result ? legacyEntry(result.document) : result.problem);
  };

  for (;;) {
    for (const side of sides) for (const rel of needed) await parse(side, rel);
    const size = needed.size;
    const mention = new Set<string>();
    const views = sides.map(entriesById);
    // several workspaces (orphans go to the first by name) or none on a side with documents: read it all
    if (views.some((v) => v.workspaces.size > 1)) {
      whole = true;
      break;
    }
    for (let s = 0; s < 2; s++) {
      const side = sides[s];
      const view = views[s];
      for (const e of view.byId.values()) {
        // the same id under another extension or type folder (a duplicate Insomnia ignores)
        for (const rel of side.listing.byStem.get(e.id) ?? []) needed.add(rel);
        if (!ITEM_TYPES.has(e.type)) continue;
        const parentId = e.parentId;
        if (view.workspaces.has(parentId) || view.byId.has(parentId)) continue;
        const named = side.listing.byStem.get(parentId);
        if (named?.length) for (const rel of named) needed.add(rel);
        else mention.add(parentId); // under another name, or missing (then it is an orphan either way)
      }
    }
    if (needed.size !== size) continue;
    // folders on one side only: documents elsewhere may name them (orphans on the other side)
    const [vb, va] = views;
    for (const [x, y] of [[vb, va], [va, vb]] as const) {
      for (const e of x.byId.values()) {
        if (e.type === 'RequestGroup' && y.byId.get(e.id)?.type !== 'RequestGroup') mention.add(e.id);
      }
      for (const id of x.workspaces) if (!y.workspaces.has(id) && y.workspaces.size) mention.add(id);
    }
    // an item kept under the same parent with a new sort key: its siblings' order decides what moved
    for (const e of va.byId.values()) {
      const old = vb.byId.get(e.id);
      if (!old || !ITEM_TYPES.has(e.type) || old.parentId !== e.parentId) continue;
      if ((old.model as { sortKey?: number }).sortKey !== (e.model as { sortKey?: number }).sortKey) mention.add(e.parentId);
    }
    for (const id of searched) mention.delete(id);
    if (mention.size === 0) {
      if (hasCycle(views[0]) || hasCycle(views[1])) whole = true;
      break;
    }
    for (const id of mention) searched.add(id);
    // unchanged files are the same blob on both sides, changed ones are read already: one side's files suffice,
    // both sides' for the files one side lacks
    const scanned = new Set<string>();
    for (const side of sides) {
      for (const [rel, oid] of side.listing.files) {
        if (needed.has(rel) || scanned.has(oid)) continue;
        scanned.add(oid);
        const text = await readText(store, oid);
        for (const id of mention) {
          if (text.includes(id)) {
            needed.add(rel);
            break;
          }
        }
      }
    }
  }
  if (whole) {
    for (const side of sides) for (const rel of side.listing.files.keys()) await parse(side, rel);
  }
  for (const [side, snap] of [[sides[0], before], [sides[1], after]] as const) {
    const entries: LegacyEntry[] = [];
    const problems: Problem[] = [];
    const rels = whole ? [...side.listing.files.keys()] : [...needed].filter((rel) => side.parsed.has(rel));
    rels.sort();
    for (const rel of rels) {
      const x = side.parsed.get(rel)!;
      if (isEntry(x)) entries.push(x);
      else problems.push(x);
    }
    if (!entries.length && !problems.length) continue;
    const result = assembleLegacyCollections(folderDir, entries, problems);
    snap.collections.push(...result.collections);
    snap.problems.push(...result.problems);
  }
}

interface SideView {
  readonly byId: Map<string, LegacyEntry>;
  readonly workspaces: Set<string>;
}

function entriesById(side: Side): SideView {
  const byId = new Map<string, LegacyEntry>();
  const workspaces = new Set<string>();
  for (const x of side.parsed.values()) {
    if (!isEntry(x) || byId.has(x.id)) continue;
    byId.set(x.id, x);
    if (x.type === 'Workspace') workspaces.add(x.id);
  }
  return { byId, workspaces };
}

/** Whether the items read climb into a parentId cycle (the assembler cuts it where its own order says). */
function hasCycle(view: SideView): boolean {
  for (const start of view.byId.values()) {
    if (!ITEM_TYPES.has(start.type)) continue;
    const seen = new Set<string>();
    let e: LegacyEntry | undefined = start;
    while (e && ITEM_TYPES.has(e.type)) {
      if (seen.has(e.id)) return true;
      seen.add(e.id);
      e = view.byId.get(e.parentId);
    }
  }
  return false;
}
