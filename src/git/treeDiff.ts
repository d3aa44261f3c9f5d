// Tree-to-tree differences that only descend where subtree oids differ: a 10-file change between two commits
// of a 10,000-file repository reads a handful of tree objects, not the whole tree.

import type * as git from 'isomorphic-git';
import { readCommitTree, readObjectData, readRawTree } from './plumbing/objects';
import { decodePath } from './plumbing/pathBytes';
import { nextTurn } from '../util/nextTurn';

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

/** A position in a tree object's raw bytes: the entry at `pos` (mode, name, oid), read without decoding. */
class TreeCursor {
  pos = 0;
  mode = 0;
  nameStart = 0;
  nameEnd = 0;

  constructor(readonly buf: Buffer) {
    this.read();
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  get isTree(): boolean {
    return this.mode === MODE_TREE;
  }

  /** the oid as hex. */
  oid(): string {
    return this.buf.toString('hex', this.nameEnd + 1, this.nameEnd + 21);
  }

  name(): string {
    return decodePath(this.buf.subarray(this.nameStart, this.nameEnd));
  }

  next(): void {
    this.pos = this.nameEnd + 21;
    this.read();
  }

  private read(): void {
    const buf = this.buf;
    if (this.pos >= buf.length) return;
    let mode = 0;
    let i = this.pos;
    for (; buf[i] !== 0x20; i++) {
      if (i >= buf.length) throw new Error('malformed tree object');
      mode = mode * 8 + (buf[i] - 0x30);
    }
    this.mode = mode;
    this.nameStart = i + 1;
    this.nameEnd = buf.indexOf(0, this.nameStart);
    if (this.nameEnd < 0 || this.nameEnd + 21 > buf.length) throw new Error('malformed tree object');
  }
}

const MODE_TREE = 0o040000;

/** git's order of tree entries: names as bytes, a tree's name as if it ended in `/`. */
function compareEntries(a: TreeCursor, b: TreeCursor): number {
  const la = a.nameEnd - a.nameStart;
  const lb = b.nameEnd - b.nameStart;
  const n = Math.min(la, lb);
  const c = a.buf.compare(b.buf, b.nameStart, b.nameStart + n, a.nameStart, a.nameStart + n);
  if (c !== 0) return c;
  const ca = la > n ? a.buf[a.nameStart + n] : a.isTree ? 0x2f : 0;
  const cb = lb > n ? b.buf[b.nameStart + n] : b.isTree ? 0x2f : 0;
  return ca - cb;
}

/** when the event loop last had a turn during a tree diff (shared by the diffs running at once). */
const turn = { at: 0 };

async function rawTree(store: ObjectStore, oid: string | null): Promise<Buffer> {
  if (!oid) return Buffer.alloc(0);
  const { type, data } = await readObjectData(store.gitdir, store.cache, oid);
  if (type !== 'tree') throw Object.assign(new Error(`${oid} is a ${type}, not a tree`), { code: 'ObjectTypeError' });
  return data;
}

/**
 * The differences of two trees, walked side by side in git's order on their raw bytes, as git does: entries whose
 * mode and oid are the same are passed over without being decoded (a 10-file change between two versions of a
 * 10,000-entry folder decodes 10 entries, not 20,000). The event loop gets a turn every 8 ms or so.
 */
async function diffInto(store: ObjectStore, a: string | null, b: string | null, prefix: string, out: TreeChange[]): Promise<void> {
  if (a === b) return;
  const [ba, bb] = await Promise.all([rawTree(store, a), rawTree(store, b)]);
  const x = new TreeCursor(ba);
  const y = new TreeCursor(bb);
  const full = (name: string): string => (prefix ? `${prefix}/${name}` : name);
  const only = async (cur: TreeCursor, side: 'before' | 'after'): Promise<void> => {
    const p = full(cur.name());
    if (cur.isTree) await diffInto(store, side === 'before' ? cur.oid() : null, side === 'after' ? cur.oid() : null, p, out);
    else {
      const f = { oid: cur.oid(), mode: cur.mode };
      out.push(side === 'before' ? { path: p, before: f, after: null } : { path: p, before: null, after: f });
    }
    cur.next();
  };
  let steps = 0;
  while (!x.done || !y.done) {
    if (++steps % 256 === 0 && performance.now() - turn.at >= 8) {
      await nextTurn();
      turn.at = performance.now();
    }
    if (y.done) {
      await only(x, 'before');
      continue;
    }
    if (x.done) {
      await only(y, 'after');
      continue;
    }
    const c = compareEntries(x, y);
    if (c < 0) await only(x, 'before');
    else if (c > 0) await only(y, 'after');
    else {
      const same = x.mode === y.mode && ba.compare(bb, y.nameEnd + 1, y.nameEnd + 21, x.nameEnd + 1, x.nameEnd + 21) === 0;
      if (!same) {
        const p = full(x.name());
        if (x.isTree) await diffInto(store, x.oid(), y.oid(), p, out);
        else out.push({ path: p, before: { oid: x.oid(), mode: x.mode }, after: { oid: y.oid(), mode: y.mode } });
      }
      x.next();
      y.next();
    }
  }
}

/**
 * Reads the tree objects under `tree`, breadth first, until `stop()` says so or `maxBytes` of them were read: in the
 * pack reader's cache of decoded objects (ObjectStore's `cache`) they are then at hand for a diff that follows
 * (a pull warms its current tree while the fetch waits on the network). Only reads; one tree object per turn of
 * the event loop.
 */
export async function warmTrees(store: ObjectStore, tree: string, stop: () => boolean, maxBytes = 4 * 2 ** 20): Promise<void> {
  const queue = [tree];
  let bytes = 0;
  for (let i = 0; i < queue.length && bytes < maxBytes; i++) {
    await nextTurn();
    if (stop()) return;
    const data = await rawTree(store, queue[i]);
    bytes += data.length;
    for (const cur = new TreeCursor(data); !cur.done; cur.next()) if (cur.isTree) queue.push(cur.oid());
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
