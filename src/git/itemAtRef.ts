// One item (request, folder), environment or collection as it is at a git ref, read from git's objects without
// touching the working tree, and cheaply: a v5 file is read and parsed alone; in a `.insomnia` folder only the
// item's document, its parent folders, and the Workspace, Environment and ApiSpec documents are read (a handful of
// files, whatever the folder's size). What the revision documents and "Try This Request" need. No 'vscode' import.

import * as path from 'node:path';
import type { Collection, CollectionFormat, Environment, Item, Problem } from '../collections/model';
import {
  assembleLegacyCollections,
  legacyEntry,
  parseLegacyFile,
  type LegacyEntry,
} from '../collections/formats/legacy';
import { parseV5File } from '../collections/formats/v5';
import { listLegacyFolder, readText, type Store } from './refDiff';
import { resolveCommit } from './snapshotAtRef';
import { fileInTree, treeOfCommit } from './treeDiff';

/** Which collection: its format, its absolute path (legacy: the `.insomnia` folder; v5: the file) and its id. */
export interface CollectionLocation {
  readonly format: CollectionFormat;
  readonly path: string;
  readonly id: string;
}

export interface ItemAtRef {
  /**
   * The collection at the ref. A legacy one is partial: the item, its parent folders, the environments and the
   * spec (what renders the item and sends a request); a v5 one is whole.
   */
  readonly collection: Collection;
  /** the request or folder with that id, if that is what the id names. */
  readonly item?: Item;
  /** the base or sub-environment with that id. */
  readonly environment?: Environment;
  /** folder names from the collection down to the item's parent ([] for the rest). */
  readonly path: readonly string[];
}

/**
 * Finds `id` (an item, an environment, or the collection's own id) in the collection at `where` as of `ref`.
 * undefined when the collection or the id is not there. Throws `UnknownRefError` for an unknown ref.
 */
export async function loadItemAtRef(
  dir: string,
  ref: string,
  where: CollectionLocation,
  id: string,
  options: { gitdir?: string; cache?: object } = {},
): Promise<ItemAtRef | undefined> {
  const root = path.resolve(dir);
  const gitdir = options.gitdir ?? path.join(root, '.git');
  const store: Store = { gitdir, cache: options.cache ?? {} };
  const commit = await resolveCommit(root, ref, gitdir);
  const tree = await treeOfCommit(store, commit);
  const rel = path.relative(root, where.path).split(path.sep).join('/');
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  let collections: Collection[];
  if (where.format === 'v5') {
    const file = await fileInTree(store, tree, rel);
    if (!file) return undefined;
    const result = parseV5File(where.path, await readText(store, file.oid));
    collections = result.collection ? [result.collection] : [];
  } else {
    collections = await legacyPart(store, tree, rel, where.path, id);
  }
  const collection = collections.find((c) => c.id === where.id);
  if (!collection) return undefined;
  return find(collection, id);
}

async function legacyPart(store: Store, tree: string, rel: string, folderDir: string, id: string): Promise<Collection[]> {
  const listing = await listLegacyFolder(store, tree, rel);
  const entries = new Map<string, LegacyEntry>();
  const problems: Problem[] = [];
  const read = async (file: string) => {
    if (entries.has(file)) return undefined;
    const oid = listing.files.get(file);
    if (!oid) return undefined;
    const parsed = parseLegacyFile(path.join(folderDir, ...file.split('/')), file.slice(0, file.indexOf('/')), await readText(store, oid));
    if ('problem' in parsed) {
      problems.push(parsed.problem);
      return undefined;
    }
    const e = legacyEntry(parsed.document);
    entries.set(file, e);
    return e;
  };
  for (const file of listing.files.keys()) {
    const type = file.slice(0, file.indexOf('/'));
    if (type === 'Workspace' || type === 'Environment' || type === 'ApiSpec') await read(file);
  }
  // the item and its parent folders, by Insomnia's file naming (`<Type>/<id>.yml`)
  const seen = new Set<string>();
  let wanted: string | undefined = id;
  while (wanted && !seen.has(wanted)) {
    seen.add(wanted);
    let next: string | undefined;
    for (const file of listing.byStem.get(wanted) ?? []) {
      const e = (await read(file)) ?? entries.get(file);
      if (e && e.id === wanted && e.type !== 'Workspace') next = e.parentId;
    }
    wanted = next;
  }
  const ordered = [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  return ordered.length ? assembleLegacyCollections(folderDir, ordered, problems).collections : [];
}

function find(collection: Collection, id: string): ItemAtRef | undefined {
  if (collection.id === id) return { collection, path: [] };
  const base = collection.baseEnvironment;
  if (base) {
    if (base.id === id) return { collection, environment: base, path: [] };
    const sub = base.subEnvironments.find((e) => e.id === id);
    if (sub) return { collection, environment: sub, path: [] };
  }
  const visit = (items: readonly Item[], p: readonly string[]): ItemAtRef | undefined => {
    for (const item of items) {
      if (item.id === id) return { collection, item, path: p };
      if (item.kind === 'folder') {
        const found = visit(item.children, [...p, item.name]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(collection.children, []);
}
