// Tree-to-tree differences that only descend where subtree oids differ: a 10-file change between two commits
// of a 10,000-file repository reads a handful of tree objects, not the whole tree.

import * as git from 'isomorphic-git';
import { readCommitTree, readRawTree } from './plumbing/objects';

export interface TreeFile {
  oid: string;
  /** numeric git mode (0o100644, 0o100755, 0o120000, 0o160000). */
  mode: number;
}

export interface TreeChange {
  path: string;
  /** null when the path is added. */
  before: TreeFile | null;
  /** null when the path is deleted. */
  after: TreeFile | null;
}

export interface ObjectStore {
  gitdir: string;
  cache: object;
  /** parsed trees by oid, when given: each tree object is read once across the calls sharing the store. */
  readonly trees?: Map<string, readonly git.TreeEntry[]>;
}

interface Entry {
  oid: string;
  mode: number;
  type: string;
}

/**
 * A tree object's entries, through the store's tree cache when it has one. Names keep their bytes (a name that
 * is not UTF-8 as escaped bytes, see plumbing/pathBytes.ts; isomorphic-git's readTree would replace them).
 */
export async function readTree(store: ObjectStore, oid: string): Promise<readonly git.TreeEntry[]> {
  const known = store.trees?.get(oid);
  if (known) return known;
  const tree: git.TreeEntry[] = (await readRawTree(store.gitdir, store.cache, oid)).map((e) => ({
    mode: e.mode.toString(8).padStart(6, '0'),
    path: e.name,
    oid: e.oid,
    type: e.mode === 0o040000 ? 'tree' : e.mode === 0o160000 ? 'commit' : 'blob',
  }));
  store.trees?.set(oid, tree);
  return tree;
}

async function readTreeEntries(store: ObjectStore, oid: string | null): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>();
  if (!oid) return out;
  for (const e of await readTree(store, oid)) out.set(e.path, { oid: e.oid, mode: parseInt(e.mode, 8), type: e.type });
  return out;
}

/** The tree oid of a commit (or of a tree oid given directly). */
export async function treeOfCommit(store: ObjectStore, commitOid: string): Promise<string> {
  return readCommitTree(store.gitdir, store.cache, commitOid);
}

/** Changed files between two trees (null = empty tree). Sorted by path. */
export async function diffTrees(store: ObjectStore, a: string | null, b: string | null, prefix = ''): Promise<TreeChange[]> {
  const out: TreeChange[] = [];
  await diffInto(store, a, b, prefix, out);
  out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return out;
}

async function diffInto(store: ObjectStore, a: string | null, b: string | null, prefix: string, out: TreeChange[]): Promise<void> {
  if (a === b) return;
  const [ea, eb] = await Promise.all([readTreeEntries(store, a), readTreeEntries(store, b)]);
  const names = new Set([...ea.keys(), ...eb.keys()]);
  for (const name of names) {
    const x = ea.get(name);
    const y = eb.get(name);
    const p = prefix ? `${prefix}/${name}` : name;
    const xTree = x?.type === 'tree' ? x.oid : null;
    const yTree = y?.type === 'tree' ? y.oid : null;
    if (xTree || yTree) await diffInto(store, xTree, yTree, p, out);
    const xFile = x && x.type !== 'tree' ? { oid: x.oid, mode: x.mode } : null;
    const yFile = y && y.type !== 'tree' ? { oid: y.oid, mode: y.mode } : null;
    if (!xFile && !yFile) continue;
    if (xFile && yFile && xFile.oid === yFile.oid && xFile.mode === yFile.mode) continue;
    out.push({ path: p, before: xFile, after: yFile });
  }
}

/** Every file of a tree, path -> oid/mode. */
export async function listTree(store: ObjectStore, tree: string | null): Promise<Map<string, TreeFile>> {
  const out = new Map<string, TreeFile>();
  for (const c of await diffTrees(store, null, tree)) if (c.after) out.set(c.path, c.after);
  return out;
}

/** The file at `filepath` in `tree`, or null. */
export async function fileInTree(store: ObjectStore, tree: string, filepath: string): Promise<TreeFile | null> {
  const parts = filepath.split('/');
  let oid: string = tree;
  for (let i = 0; i < parts.length; i++) {
    const entries = await readTreeEntries(store, oid);
    const e = entries.get(parts[i]);
    if (!e) return null;
    if (i === parts.length - 1) return e.type === 'tree' ? null : { oid: e.oid, mode: e.mode };
    if (e.type !== 'tree') return null;
    oid = e.oid;
  }
  return null;
}
