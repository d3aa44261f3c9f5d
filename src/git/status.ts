// Working-tree status without isomorphic-git's statusMatrix (28x slower than `git status` at 10,000 files):
//  1. read `.git/index` directly;
//  2. index vs working tree: lstat every tracked file and trust the index's stat data
//     (size + mtime at millisecond resolution, not "racily clean"); only files whose stat changed are hashed;
//  3. HEAD vs index: hash the index into trees (like git's cache-tree) and descend into HEAD's tree only where
//     subtree oids differ;
//  4. untracked: read every directory, ask the .gitignore rules only about names the index does not know.
// A split or sparse index (core.splitIndex, sparse checkout) is refused with a clear error.

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as fsp from 'fs/promises';
import * as path from 'path';
import * as git from 'isomorphic-git';
import { blobOid, compareGitPaths, entryMtimeMs, MODE_EXEC, MODE_FILE, MODE_GITLINK, MODE_SYMLINK, type IndexEntry } from './indexFile';
import { readIndex } from './indexCache';
import { IgnoreRules } from './ignore';
import { GitError, GitErrorCode } from './gitError';

export type ChangeKind = 'added' | 'modified' | 'deleted' | 'untracked' | 'typeChanged';
export type ConflictKind = 'bothModified' | 'bothAdded' | 'deletedByUs' | 'deletedByThem' | 'addedByUs' | 'addedByThem' | 'bothDeleted';

export interface FileChange {
  /** repo-relative, `/`-separated. */
  path: string;
  kind: ChangeKind;
}

export interface FileConflict {
  path: string;
  kind: ConflictKind;
}

export interface WorkingTreeStatus {
  /** unmerged paths (conflict stages in the index). */
  merge: FileConflict[];
  /** HEAD vs index. */
  staged: FileChange[];
  /** index vs working tree, plus untracked files. */
  changes: FileChange[];
  /** more untracked files than `maxUntracked`: the list is cut. */
  untrackedTruncated: boolean;
}

export interface StatusOptions {
  dir: string;
  gitdir?: string;
  cache?: object;
  /** commit whose tree is "HEAD" (default: resolve HEAD); null for an unborn branch. */
  headOid?: string | null;
  /** list untracked files (default true). */
  untracked?: boolean;
  maxUntracked?: number;
}

interface ParsedIndex {
  entries: Map<string, IndexEntry>;
  unmerged: Map<string, number>; // path -> bitmask of stages present (1<<stage)
  mtimeMs: number;
  /** identifies this version of the index file (mtime, size, inode). */
  stamp: string;
}

export function unsupportedIndex(): GitError {
  return new GitError(
    GitErrorCode.Unknown,
    'This repository uses a split or sparse index, which Hammock cannot read. Run `git update-index --no-split-index` (and disable sparse checkout) once.',
  );
}

export async function readIndexFile(gitdir: string): Promise<ParsedIndex | null> {
  const idx = await readIndex(gitdir);
  if (!idx) return null;
  const entries = new Map<string, IndexEntry>();
  const unmerged = new Map<string, number>();
  for (const e of idx.entries) {
    if (e.stage === 0) entries.set(e.path, e);
    else unmerged.set(e.path, (unmerged.get(e.path) ?? 0) | (1 << e.stage));
  }
  return { entries, unmerged, mtimeMs: idx.mtimeMs, stamp: idx.stamp };
}

/**
 * lstat of many paths. Synchronous calls in slices: on small files a sync lstat costs a few microseconds, the
 * callback API about ten times more (thread-pool round trips), and no file descriptor is held either way. Between
 * slices the event loop gets a turn, so a status on the main thread does not freeze it for long.
 */
export async function lstatAll(paths: readonly string[], sliceSize = 2000): Promise<(fs.Stats | null)[]> {
  const out: (fs.Stats | null)[] = new Array(paths.length);
  for (let start = 0; start < paths.length; start += sliceSize) {
    const end = Math.min(paths.length, start + sliceSize);
    for (let i = start; i < end; i++) {
      try {
        out[i] = fs.lstatSync(paths[i], { throwIfNoEntry: false }) ?? null;
      } catch {
        out[i] = null; // ENOTDIR and the like: not there
      }
    }
    if (end < paths.length) await new Promise((r) => setImmediate(r));
  }
  return out;
}

export async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let i = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (i < items.length) {
      const k = i++;
      await fn(items[k], k);
    }
  });
  await Promise.all(workers);
}

/** The blob oid of a working-tree file (a symlink hashes its target), or null if it is missing or a directory. */
export async function hashWorkFile(full: string, st?: fs.Stats | null): Promise<string | null> {
  try {
    const s = st ?? (await fsp.lstat(full));
    if (s.isSymbolicLink()) return blobOid(Buffer.from(await fsp.readlink(full), 'utf8'));
    if (!s.isFile()) return null;
    return blobOid(await fsp.readFile(full));
  } catch {
    return null;
  }
}

function statMode(st: fs.Stats): number {
  if (st.isSymbolicLink()) return MODE_SYMLINK;
  return st.mode & 0o111 ? MODE_EXEC : MODE_FILE;
}

/**
 * Compares tracked entries with the working tree. Returns only the entries that differ: path -> the working
 * tree's oid (null when deleted / not a file). `modeChanged` paths have the same content but another mode.
 */
export async function compareWorkingTree(
  dir: string,
  entries: readonly IndexEntry[],
  indexMtimeMs: number,
): Promise<Map<string, string | null>> {
  const differs = new Map<string, string | null>();
  const stats = await lstatAll(entries.map((e) => dir + '/' + e.path));
  const suspects: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    const st = stats[i];
    const e = entries[i];
    if (e.mode === MODE_GITLINK) continue;
    if (!st || !(st.isFile() || st.isSymbolicLink())) {
      differs.set(e.path, null);
      continue;
    }
    const mtimeMs = Math.floor(st.mtimeMs);
    if (st.size === e.size && mtimeMs === entryMtimeMs(e) && mtimeMs < indexMtimeMs && statMode(st) === e.mode) continue;
    suspects.push(i);
  }
  await pool(suspects, 16, async (i) => {
    const e = entries[i];
    const st = stats[i]!;
    const oid = await hashWorkFile(dir + '/' + e.path, st);
    if (oid !== e.oid || statMode(st) !== e.mode) differs.set(e.path, oid);
  });
  return differs;
}

// --- HEAD vs index (cache-tree) ---

export interface TreeNode {
  files: Map<string, IndexEntry>;
  dirs: Map<string, TreeNode>;
  oid?: string;
  /** the serialised tree object (without its header), kept by hashTree for writing it later. */
  body?: Buffer;
}

export function buildTree(entries: Iterable<IndexEntry>): TreeNode {
  const root: TreeNode = { files: new Map(), dirs: new Map() };
  for (const e of entries) {
    const parts = e.path.split('/');
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      let c = node.dirs.get(parts[i]);
      if (!c) {
        c = { files: new Map(), dirs: new Map() };
        node.dirs.set(parts[i], c);
      }
      node = c;
    }
    node.files.set(parts[parts.length - 1], e);
  }
  return root;
}

function modeString(mode: number): string {
  if (mode === MODE_SYMLINK) return '120000';
  if (mode === MODE_GITLINK) return '160000';
  return mode & 0o111 ? '100755' : '100644';
}

/** Hashes the tree objects an index describes (bottom-up); sets `oid` (and `body` if asked) on every node. */
export function hashTree(node: TreeNode, keepBody = false): string {
  const items: { sortKey: string; mode: string; name: string; nameLength: number; oid: string }[] = [];
  for (const [name, d] of node.dirs) {
    items.push({ name, nameLength: Buffer.byteLength(name), sortKey: name + '/', mode: '40000', oid: hashTree(d, keepBody) });
  }
  for (const [name, f] of node.files) items.push({ name, nameLength: Buffer.byteLength(name), sortKey: name, mode: modeString(f.mode), oid: f.oid });
  items.sort((a, b) => compareGitPaths(a.sortKey, b.sortKey));
  let size = 0;
  for (const it of items) size += it.mode.length + 1 + it.nameLength + 1 + 20;
  const body = Buffer.allocUnsafe(size);
  let off = 0;
  for (const it of items) {
    off += body.write(it.mode, off, 'latin1');
    body[off++] = 0x20;
    off += body.write(it.name, off, 'utf8');
    body[off++] = 0;
    off += body.write(it.oid, off, 'hex');
  }
  node.oid = crypto.createHash('sha1').update(`tree ${size}\0`).update(body).digest('hex');
  if (keepBody) node.body = body;
  return node.oid;
}

export async function diffHeadIndex(
  gitdir: string,
  cache: object,
  headTreeOid: string | null,
  node: TreeNode | undefined,
  prefix: string,
  out: Map<string, { head: string | null; index: string | null }>,
): Promise<void> {
  if (headTreeOid && node && node.oid === headTreeOid) return;
  const headEntries = new Map<string, { oid: string; type: string; mode: string }>();
  if (headTreeOid) {
    const { tree } = await git.readTree({ fs, gitdir, oid: headTreeOid, cache });
    for (const e of tree) headEntries.set(e.path, e);
  }
  const names = new Set<string>([...headEntries.keys(), ...(node ? [...node.files.keys(), ...node.dirs.keys()] : [])]);
  for (const name of names) {
    const fp = prefix ? prefix + '/' + name : name;
    const h = headEntries.get(name);
    const idxDir = node?.dirs.get(name);
    const idxFile = node?.files.get(name);
    if (idxDir || h?.type === 'tree') {
      await diffHeadIndex(gitdir, cache, h?.type === 'tree' ? h.oid : null, idxDir, fp, out);
    }
    const headFile = h && h.type !== 'tree' ? h : undefined;
    if (idxFile || headFile) {
      const ho = headFile ? headFile.oid : null;
      const io = idxFile ? idxFile.oid : null;
      const modeDiffers = headFile && idxFile && headFile.mode !== modeString(idxFile.mode);
      if (ho !== io || modeDiffers) out.set(fp, { head: ho, index: io });
    }
  }
}

/** Paths whose stage-0 index entry differs from `treeOid` (null = empty tree): path -> tree oid / index oid. */
export async function diffTreeIndex(
  gitdir: string,
  cache: object,
  treeOid: string | null,
  entries: Iterable<IndexEntry>,
): Promise<Map<string, { head: string | null; index: string | null }>> {
  const out = new Map<string, { head: string | null; index: string | null }>();
  const tree = buildTree(entries);
  hashTree(tree);
  await diffHeadIndex(gitdir, cache, treeOid, tree, '', out);
  return out;
}

export async function resolveHead(gitdir: string): Promise<string | null> {
  try {
    return await git.resolveRef({ fs, gitdir, ref: 'HEAD' });
  } catch {
    return null;
  }
}

function conflictKind(mask: number): ConflictKind {
  const base = (mask & 2) !== 0;
  const ours = (mask & 4) !== 0;
  const theirs = (mask & 8) !== 0;
  if (ours && theirs) return base ? 'bothModified' : 'bothAdded';
  if (base && ours) return 'deletedByThem';
  if (base && theirs) return 'deletedByUs';
  if (ours) return 'addedByUs';
  if (theirs) return 'addedByThem';
  return 'bothDeleted';
}

const HEAD_INDEX_MEMO = Symbol('hammock.headIndexDiff');

const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export async function computeStatus(options: StatusOptions): Promise<WorkingTreeStatus> {
  const dir = path.resolve(options.dir);
  const gitdir = options.gitdir ?? path.join(dir, '.git');
  const cache = options.cache ?? {};
  const idx = await readIndexFile(gitdir);
  if (idx === null) throw unsupportedIndex();
  const { entries, unmerged } = idx;
  const indexMtimeMs = idx.mtimeMs;

  const headOid = options.headOid !== undefined ? options.headOid : await resolveHead(gitdir);
  const headTreeP = headOid ? git.readCommit({ fs, gitdir, oid: headOid, cache }).then((c) => c.commit.tree) : Promise.resolve(null);

  // 2. index vs working tree
  const tracked = [...entries.values()];
  const workP = compareWorkingTree(dir, tracked, indexMtimeMs);

  // 3. HEAD vs index (remembered while neither the index file nor HEAD changes)
  const headTree = await headTreeP;
  const memoKey = idx.stamp ? `${idx.stamp}:${headTree}` : '';
  const memo = (cache as Record<symbol, { key: string; changes: Map<string, { head: string | null; index: string | null }> } | undefined>)[HEAD_INDEX_MEMO];
  let headChanges: Map<string, { head: string | null; index: string | null }>;
  if (memo && memoKey && memo.key === memoKey) {
    headChanges = memo.changes;
  } else {
    headChanges = new Map();
    const tree = buildTree(tracked);
    hashTree(tree);
    await diffHeadIndex(gitdir, cache, headTree, tree, '', headChanges);
    if (memoKey) (cache as Record<symbol, unknown>)[HEAD_INDEX_MEMO] = { key: memoKey, changes: headChanges };
  }
  const work = await workP;

  // 4. untracked
  const untracked: string[] = [];
  let untrackedTruncated = false;
  if (options.untracked !== false) {
    const max = options.maxUntracked ?? 20_000;
    const dirsWithTracked = new Set<string>(['']);
    const addDirs = (fp: string): void => {
      let d = fp;
      for (;;) {
        const slash = d.lastIndexOf('/');
        if (slash < 0) return;
        d = d.slice(0, slash);
        if (dirsWithTracked.has(d)) return;
        dirsWithTracked.add(d);
      }
    };
    for (const fp of entries.keys()) addDirs(fp);
    for (const fp of unmerged.keys()) addDirs(fp);
    const rules = new IgnoreRules(dir, gitdir);
    const scan = async (rel: string): Promise<void> => {
      let names: fs.Dirent[];
      try {
        names = await fsp.readdir(rel ? path.join(dir, rel) : dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const de of names) {
        if (untrackedTruncated) return;
        const fp = rel ? rel + '/' + de.name : de.name;
        if (de.name === '.git') continue;
        if (de.isDirectory()) {
          if (dirsWithTracked.has(fp)) await scan(fp);
          else if (!(await rules.isIgnored(fp, true))) await scan(fp);
        } else if (!entries.has(fp) && !unmerged.has(fp) && !(await rules.isIgnored(fp, false))) {
          if (untracked.length >= max) untrackedTruncated = true;
          else untracked.push(fp);
        }
      }
    };
    await scan('');
  }

  const merge: FileConflict[] = [...unmerged].map(([p, mask]) => ({ path: p, kind: conflictKind(mask) }));
  const staged: FileChange[] = [];
  for (const [p, c] of headChanges) {
    if (unmerged.has(p)) continue;
    staged.push({ path: p, kind: c.head === null ? 'added' : c.index === null ? 'deleted' : c.head === c.index ? 'typeChanged' : 'modified' });
  }
  const changes: FileChange[] = [];
  for (const [p, oid] of work) changes.push({ path: p, kind: oid === null ? 'deleted' : 'modified' });
  for (const p of untracked) changes.push({ path: p, kind: 'untracked' });
  merge.sort(byPath);
  staged.sort(byPath);
  changes.sort(byPath);
  return { merge, staged, changes, untrackedTruncated };
}
