// Working-tree status without isomorphic-git's statusMatrix (28x slower than `git status` at 10,000 files):
//  1. read `.git/index` directly;
//  2. index vs working tree: lstat every tracked file and trust the index's stat data as git does
//     (plumbing/statMatch.ts: size, mtime, ctime, inode, uid/gid, mode, racy entries); only files whose stat
//     changed are hashed, with git's line-ending conversion (plumbing/eol.ts); skip-worktree (sparse checkout)
//     and assume-unchanged entries are not looked at; a submodule compares its HEAD;
//  3. HEAD vs index: hash the index into trees (intent-to-add entries left out) and descend into HEAD's tree only
//     where subtree oids differ; folders the index's cache-tree (`TREE` extension, kept by git) knows are not hashed,
//     and when it says the whole index is HEAD's tree nothing is built at all;
//  4. untracked: read every directory, ask the ignore rules (plumbing/ignoreRules.ts) only about names the index
//     does not know; a nested repository is one entry (`sub/`), never its files.
// A split index is merged with its shared index; a sparse index (index.sparse) is refused with a clear error.

import * as fs from 'fs';
import * as fsp from 'fs/promises';
import * as path from 'path';
import { isogit } from './isogit';
import { blobOid, compareGitPaths, MODE_GITLINK, MODE_SYMLINK, type CacheTreeNode, type IndexEntry } from './indexFile';
import { readIndex, stampOf as indexStamp, type IndexBytes } from './indexCache';
import { FIELDS as LSTAT_FIELDS, LstatReader, type SharedLstats } from './statusLstat';
import { IgnoreRules } from './plumbing/ignoreRules';
import { GitError, GitErrorCode } from './gitError';
import { gitFs } from './plumbing/gitFs';
import { GitConfig } from './plumbing/gitConfig';
import { EolRules } from './plumbing/eol';
import { effectiveMode, indexMtimeMs, matchStat, StatVerdict } from './plumbing/statMatch';
import { resolveRepoLayout } from './plumbing/repoLayout';
import { readCommitTree, readRawTree } from './plumbing/objects';
import { refreshIndexStats, type UnchangedFile } from './plumbing/indexRefresh';
import { decodePath, encodePath, fsPath, hasEscapedBytes } from './plumbing/pathBytes';
import { nodeCrypto } from './plumbing/lazyNode';
import { nextTurn } from '../util/nextTurn';

export type ChangeKind = 'added' | 'modified' | 'deleted' | 'untracked' | 'typeChanged';
export type ConflictKind = 'bothModified' | 'bothAdded' | 'deletedByUs' | 'deletedByThem' | 'addedByUs' | 'addedByThem' | 'bothDeleted';

export interface FileChange {
  /** repo-relative, `/`-separated. */
  path: string;
  kind: ChangeKind;
  /** a submodule that changed: how (git's porcelain v2 `S<c><m><u>`). */
  submodule?: SubmoduleState;
}

/** What changed in a submodule's checkout, as git tells it (`git status --porcelain=v2`: `SCMU`). */
export interface SubmoduleState {
  /** its HEAD is not the commit the superproject records (C). */
  commitChanged: boolean;
  /** tracked files in it are modified or staged (M). */
  modifiedContent: boolean;
  /** it has untracked files (U). */
  untrackedContent: boolean;
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
  /** how the working tree was looked at: every file (`full`), or only the paths changed since the last status. */
  scan?: 'full' | 'incremental';
}

export interface StatusOptions {
  dir: string;
  gitdir?: string;
  cache?: object;
  /** commit whose tree is "HEAD" (default: resolve HEAD); null for an unborn branch. */
  headOid?: string | null;
  /** list untracked files (default true). */
  untracked?: boolean;
  /** give files found unchanged after a stat mismatch fresh stat data in the index, as `git status` does (default false). */
  refresh?: boolean;
  maxUntracked?: number;
  /**
   * The working-tree paths (repo-relative, `/`-separated; a folder stands for everything in it) that changed since
   * the previous status of this repository with the same `cache`, as a file watcher reports them. When given and
   * the index is the version that status read, only these paths are looked at again and the rest of that status
   * is kept; otherwise (undefined: events were lost or never watched; a new index; an ignore file changed; too many
   * paths) everything is scanned. See incremental status below.
   */
  changed?: readonly string[];
  /**
   * `.git/index` as another thread read it (StatusWorkerClient, while the worker starts): used instead of reading
   * the file when the file still has the version the bytes came from (indexCache.readIndex).
   */
  index?: IndexBytes;
  /** the tree of `headOid`, when the caller has read it (statusPrefetch.commitTreeOf); only with `headOid`. */
  headTree?: string;
  /** file reads with synchronous calls, for a thread with nothing else to do meanwhile (the status worker). */
  blocking?: boolean;
  /**
   * The lstats the extension host took for the entries of `index` (statusLstat.ts: a new worker's first status);
   * used only when those bytes are the index this status reads, as they are (not stale, not a split index).
   */
  lstats?: SharedLstats;
}

interface ParsedIndex {
  entries: Map<string, IndexEntry>;
  unmerged: Map<string, number>; // path -> bitmask of stages present (1<<stage)
  mtimeMs: number;
  mtimeNs: bigint;
  /** identifies this version of the index file (mtime, size, inode). */
  stamp: string;
  /** the index's cache-tree (`TREE` extension), when it has one. */
  cacheTree?: CacheTreeNode;
}

export function unsupportedIndex(): GitError {
  return new GitError(
    GitErrorCode.Unknown,
    'Hammock cannot read this repository\'s git index (.git/index): it is a sparse index (index.sparse), or it has an index version above 4 or an extension git requires readers to understand. Nothing was changed. For a sparse index, run `git sparse-checkout init --no-sparse-index` once (sparse checkout itself keeps working).',
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
  return { entries, unmerged, mtimeMs: idx.mtimeMs, mtimeNs: idx.mtimeNs, stamp: idx.stamp, cacheTree: idx.cacheTree };
}

/**
 * lstat of many paths (plain numbers: see plumbing/statMatch.ts for why that is precise enough). Synchronous calls
 * in slices: on small files a sync lstat costs a few microseconds, the callback API about ten times more
 * (thread-pool round trips), and no file descriptor is held either way. Between slices the event loop gets a turn,
 * so a status on the main thread does not freeze it.
 */
export async function lstatAll(paths: readonly (string | Buffer)[], sliceSize = 2000): Promise<(fs.Stats | null)[]> {
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
    if (end < paths.length) await nextTurn();
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

/** A folder entry: its name (escaped bytes when not UTF-8, see plumbing/pathBytes.ts) and whether it is a folder. */
export interface DirName {
  readonly name: string;
  isDirectory(): boolean;
}

/** The entries of a folder, names as git sees them (synchronous; [] when it cannot be read). */
export function readDirNamesSync(dir: string | Buffer): readonly DirName[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir as string, { withFileTypes: true });
  } catch {
    return [];
  }
  // the names are read as strings (the fast path); only a folder holding a name that is not UTF-8 is read again as bytes
  for (const e of entries) {
    if (!e.name.includes('\ufffd')) continue;
    const raw = fs.readdirSync(dir as string, { withFileTypes: true, encoding: 'buffer' }) as unknown as (fs.Dirent & { name: Buffer })[];
    return raw.map((r) => ({ name: decodePath(r.name), isDirectory: () => r.isDirectory() }));
  }
  return entries;
}

/** The entries of a folder, names as git sees them ([] when it cannot be read). */
export async function readDirNames(dir: string | Buffer): Promise<readonly DirName[]> {
  return readDirNamesSync(dir);
}

/** What is needed to compare working-tree files with the index as git does. */
export interface WorkContext {
  dir: string;
  gitdir: string;
  cache: object;
  /** core.fileMode and friends (default: read from the repository). */
  config?: GitConfig;
  /** line-ending rules (default: read from the repository). */
  eol?: EolRules;
  /** a thread with nothing else to do (StatusOptions.blocking): the event loop gets no turns between slices. */
  blocking?: boolean;
  /**
   * a status: a file whose size is not the index's (unless that is 0, never lstat-ed) is modified without being
   * read, as git decides (ie_modified), even when its content would convert back to the staged blob; its WorkDiff
   * oid is then ''. A checkout reads it: it wants to know whether the file already holds what it would write.
   */
  sized?: boolean;
}

/** The config and line-ending rules of a work context, loaded once. */
export function workRules(ctx: WorkContext): { config: GitConfig; eol: EolRules; fileMode: boolean } {
  const config = (ctx.config ??= GitConfig.load(ctx.gitdir));
  const eol = (ctx.eol ??= new EolRules(ctx.dir, ctx.gitdir, config));
  return { config, eol, fileMode: config.bool('core.filemode', true) };
}

/** The full path of an index entry's file (the raw bytes for a name that is not UTF-8). */
export function entryFsPath(dir: string, e: IndexEntry): string | Buffer {
  return e.rawPath ? Buffer.concat([Buffer.from(dir + '/', 'utf8'), e.rawPath]) : dir + '/' + e.path;
}

async function indexBlobHasCr(ctx: WorkContext, oid: string | undefined): Promise<boolean> {
  if (!oid) return false;
  try {
    const { blob } = await isogit().readBlob({ fs: gitFs, gitdir: ctx.gitdir, oid, cache: ctx.cache });
    return blob.includes(13);
  } catch {
    return false;
  }
}

/**
 * The blob oid git would store for the working-tree file `rel` (a symlink hashes its target; line endings
 * converted as `git add` would, `indexOid` being the blob now in the index), or null if it is missing or a folder.
 */
export async function hashWorkFile(full: string | Buffer, st?: fs.BigIntStats | fs.Stats | null, ctx?: WorkContext, rel?: string, indexOid?: string): Promise<string | null> {
  try {
    const s = st ?? (await fsp.lstat(full));
    if (s.isSymbolicLink()) return blobOid(await fsp.readlink(full, { encoding: 'buffer' }));
    if (!s.isFile()) return null;
    const content = await fsp.readFile(full);
    if (ctx && rel !== undefined) {
      const { eol } = workRules(ctx);
      if (eol.mayConvert(rel)) return blobOid(await eol.toGit(rel, content, () => indexBlobHasCr(ctx, indexOid)));
    }
    return blobOid(content);
  } catch {
    return null;
  }
}

export type WorkDiffKind = 'modified' | 'deleted' | 'typeChanged' | 'added';

export interface WorkDiff {
  /** the oid git would store for the working-tree file; null when it is gone ('' when not read: WorkContext.sized). */
  oid: string | null;
  kind: WorkDiffKind;
  /** for a submodule: what changed in its checkout. */
  submodule?: SubmoduleState;
}

export const SKIP_WORKTREE = 0x4000;
export const INTENT_TO_ADD = 0x2000;

/** The HEAD commit of a nested repository (a submodule's checkout), or null if it has none. */
export async function nestedHead(full: string): Promise<string | null> {
  try {
    const layout = resolveRepoLayout(full);
    if (path.resolve(layout.gitdir) === path.resolve(full, '.git') && !fs.existsSync(layout.gitdir)) return null;
    return await isogit().resolveRef({ fs: gitFs, gitdir: layout.gitdir, ref: 'HEAD' });
  } catch {
    return null;
  }
}

/**
 * What changed in the checkout of the submodule at `full` against `recorded` (the commit the superproject's index
 * holds), as `git status` reports it: its HEAD moved, tracked files modified or staged, untracked files. null when
 * it is not checked out (an empty folder, as git leaves a submodule that was never initialised).
 */
export async function submoduleState(full: string, recorded: string): Promise<SubmoduleState | null> {
  const head = await nestedHead(full);
  if (head === null) return null;
  let modifiedContent = false;
  let untrackedContent = false;
  try {
    const st = await computeStatus({ dir: full, headOid: head, maxUntracked: 1 });
    modifiedContent = st.merge.length > 0 || st.staged.length > 0 || st.changes.some((c) => c.kind !== 'untracked' && !(c.submodule && !c.submodule.commitChanged && !c.submodule.modifiedContent));
    untrackedContent = st.changes.some((c) => c.kind === 'untracked' || (c.submodule?.untrackedContent ?? false));
  } catch {
    /* an index Hammock cannot read: only the commit is compared */
  }
  return { commitChanged: head !== recorded, modifiedContent, untrackedContent };
}

/**
 * Compares tracked entries with the working tree as `git diff-files` does: stat data first (statMatch), content
 * only when it cannot be trusted. Entries marked skip-worktree or assume-unchanged are not looked at; a gitlink
 * (submodule) compares the nested repository's HEAD (an empty folder is a submodule not checked out: unchanged);
 * an intent-to-add entry is `added` while its file exists. Returns only the entries that differ.
 */
export async function diffWorkingTree(ctx: WorkContext, entries: readonly IndexEntry[], indexMtimeNs: bigint): Promise<Map<string, WorkDiff>> {
  const looked = lookedAt(entries);
  return (await diffLooked(ctx, looked, indexMtimeNs)).differs;
}

/** The entries whose files a status looks at (not skip-worktree, not assume-unchanged). */
function lookedAt(entries: readonly IndexEntry[]): IndexEntry[] {
  const looked: IndexEntry[] = [];
  for (const e of entries) if (!(e.extendedFlags & SKIP_WORKTREE) && !e.assumeValid) looked.push(e);
  return looked;
}

/** lstat's options: one object for every call. */
const NO_THROW = { throwIfNoEntry: false } as const;

/**
 * diffWorkingTree of entries already chosen. `absent`, when given, gets the folder ('' the root) of every entry
 * whose name is not there as a file or symlink (the untracked walk trusts the other folders), and `folders` the
 * folders of the entries (and above them) that lstat found to be folders, not symlinks (the walk lstat-ed them again). Each file's full path
 * is made as it is lstat-ed and dropped: 10,000 of them kept in the index's view outlived the young generation, and
 * a first status (a new worker) copied them from one space to the next in its scavenges.
 */
async function diffLooked(
  ctx: WorkContext,
  looked: readonly IndexEntry[],
  indexMtimeNs: bigint,
  absent?: Set<string>,
  folders?: Set<string>,
  helped?: { reader: LstatReader; positions: readonly number[] },
  lookedDirs?: readonly string[],
): Promise<{ differs: Map<string, WorkDiff>; unchanged: UnchangedFile[] }> {
  const { fileMode } = workRules(ctx);
  const differs = new Map<string, WorkDiff>();
  /** files whose stat data differed but whose content did not (an index refresh gives them fresh stat data). */
  const unchanged: UnchangedFile[] = [];
  // each file's stat is looked at as soon as it is taken and dropped unless the file is a suspect: 10,000 stat
  // objects kept in an array until the end outlived the young generation (the worker runs with a small one)
  const suspects: number[] = [];
  const suspectStats = new Map<number, fs.Stats>();
  const options = { fileMode, indexMtimeMs: indexMtimeMs(indexMtimeNs) };
  const linked = symlinkedFolders(ctx.dir, lookedDirs ?? foldersOf(looked), folders);
  const prefix = ctx.dir + '/';
  // the event loop gets a turn every 8 ms (a blocking status goes in one go: see parseIndexAsync for what turns cost
  // there). Not every 2,000 files: a checkout's look for overwrites on a busy 2-core machine took 45-66 ms for them.
  const sliceMs = ctx.blocking ? Infinity : 8;
  let turnAt = performance.now();
  for (let i = 0; i < looked.length; i++) {
    if ((i & 63) === 63 && performance.now() - turnAt >= sliceMs) {
      await nextTurn();
      turnAt = performance.now();
    }
    const e = looked[i];
    // the host's lstat found it clean (never a gitlink, an intent-to-add entry, or one under a symlinked folder)
    if (helped && e.mode !== MODE_GITLINK && !(e.extendedFlags & INTENT_TO_ADD) && !(linked.size && underLinked(e.path, linked)) && helped.reader.clean(helped.positions[i], e, options)) continue;
    let st: fs.Stats | null;
    try {
      st = fs.lstatSync(e.rawPath ? entryFsPath(ctx.dir, e) : prefix + e.path, NO_THROW) ?? null;
    } catch {
      st = null; // ENOTDIR and the like: not there
    }
    if (linked.size && st && underLinked(e.path, linked)) st = null;
    if (absent && (!st || st.isDirectory())) absent.add(e.path.slice(0, Math.max(0, e.path.lastIndexOf('/'))));
    if (e.mode === MODE_GITLINK) {
      if (st?.isDirectory()) {
        suspects.push(i);
        suspectStats.set(i, st);
      } else if (st) differs.set(e.path, { oid: null, kind: 'typeChanged' });
      else differs.set(e.path, { oid: null, kind: 'deleted' });
      continue;
    }
    if (e.extendedFlags & INTENT_TO_ADD) {
      if (st && (st.isFile() || st.isSymbolicLink())) differs.set(e.path, { oid: null, kind: 'added' });
      else differs.set(e.path, { oid: null, kind: 'deleted' });
      continue;
    }
    const verdict = matchStat(e, st, options);
    if (verdict === StatVerdict.Clean) continue;
    if (verdict === StatVerdict.Gone) differs.set(e.path, { oid: null, kind: 'deleted' });
    else if (verdict === StatVerdict.TypeChanged) differs.set(e.path, { oid: null, kind: 'typeChanged' });
    else {
      suspects.push(i);
      suspectStats.set(i, st!);
    }
  }
  await pool(suspects, 16, async (i) => {
    const e = looked[i];
    const st = suspectStats.get(i)!;
    const full = entryFsPath(ctx.dir, e);
    if (e.mode === MODE_GITLINK) {
      const sub = await submoduleState(full.toString(), e.oid);
      if (sub && (sub.commitChanged || sub.modifiedContent || sub.untrackedContent)) {
        differs.set(e.path, { oid: sub.commitChanged ? await nestedHead(full.toString()) : e.oid, kind: 'modified', submodule: sub });
      }
      return;
    }
    const oid = ctx.sized && e.size && st.size >>> 0 !== e.size ? '' : await hashWorkFile(full, st, ctx, e.path, e.oid);
    if (oid !== e.oid || effectiveMode(st, e.mode, fileMode) !== e.mode) differs.set(e.path, { oid, kind: oid === null ? 'deleted' : 'modified' });
    else if (!(e.extendedFlags & INTENT_TO_ADD)) unchanged.push({ entry: e, before: st });
  });
  return { differs, unchanged };
}

/** The folders of `entries` (not the root), each at least once: consecutive entries of one folder give it once. */
function foldersOf(entries: readonly IndexEntry[]): string[] {
  const out: string[] = [];
  let last = '';
  for (const e of entries) {
    const slash = e.path.lastIndexOf('/');
    if (slash < 0 || (slash === last.length && e.path.startsWith(last))) continue;
    last = e.path.slice(0, slash);
    out.push(last);
  }
  return out;
}

/**
 * The folders `dirs` (and the folders above them) that are symlinks in the working tree. lstat follows a
 * symlink anywhere but at the end of a path, so a tracked `dir/file` still "exists" when `dir` became a link to a
 * folder; git counts it deleted (has_symlink_leading_path) and shows the link untracked. One lstat per folder;
 * `folders`, when given, gets those that are folders.
 */
function symlinkedFolders(dir: string, dirs: readonly string[], folders?: Set<string>): Set<string> {
  const seen = new Set<string>();
  const linked = new Set<string>();
  for (const last of dirs) {
    for (let d = last; d && !seen.has(d); d = d.slice(0, Math.max(0, d.lastIndexOf('/')))) {
      seen.add(d);
      const st = fs.lstatSync(fsPath(dir, d), NO_THROW);
      if (st?.isSymbolicLink()) linked.add(d);
      else if (folders && st?.isDirectory()) folders.add(d);
    }
  }
  return linked;
}

/** Whether `p` is inside one of the folders `linked`. */
function underLinked(p: string, linked: ReadonlySet<string>): boolean {
  for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) if (linked.has(p.slice(0, i))) return true;
  return false;
}

// --- HEAD vs index (cache-tree) ---

export interface TreeNode {
  files: Map<string, IndexEntry>;
  dirs: Map<string, TreeNode>;
  oid?: string;
  /** the serialised tree object (without its header), kept by hashTree for writing it later. */
  body?: Buffer;
  /** `oid` came from the index's cache-tree (applyCacheTree): hashTree takes it as it is. */
  cached?: boolean;
}

/** The tree an index describes (stage-0 entries given); intent-to-add entries are not part of it, as in git. */
export function buildTree(entries: Iterable<IndexEntry>): TreeNode {
  const root: TreeNode = { files: new Map(), dirs: new Map() };
  for (const e of entries) {
    if (e.extendedFlags & INTENT_TO_ADD) continue;
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
  if (node.cached) return node.oid!;
  const items: { sortKey: string; mode: string; name: string; nameLength: number; oid: string; raw?: Buffer }[] = [];
  let raw = false;
  for (const [name, d] of node.dirs) {
    const oid = hashTree(d, keepBody);
    if (hasEscapedBytes(name)) {
      const bytes = encodePath(name);
      items.push({ name, nameLength: bytes.length, sortKey: name + '/', mode: '40000', oid, raw: bytes });
      raw = true;
    } else items.push({ name, nameLength: Buffer.byteLength(name), sortKey: name + '/', mode: '40000', oid });
  }
  for (const [name, f] of node.files) {
    if (f.rawPath) {
      const bytes = f.rawPath.subarray(f.rawPath.lastIndexOf(0x2f) + 1);
      items.push({ name, nameLength: bytes.length, sortKey: name, mode: modeString(f.mode), oid: f.oid, raw: bytes });
      raw = true;
    } else items.push({ name, nameLength: Buffer.byteLength(name), sortKey: name, mode: modeString(f.mode), oid: f.oid });
  }
  if (raw) {
    const bytesOf = (it: (typeof items)[number]): Buffer => (it.raw ?? Buffer.from(it.name, 'utf8'));
    items.sort((a, b) => Buffer.compare(Buffer.concat([bytesOf(a), Buffer.from(a.sortKey.endsWith('/') ? '/' : '')]), Buffer.concat([bytesOf(b), Buffer.from(b.sortKey.endsWith('/') ? '/' : '')])));
  } else items.sort((a, b) => compareGitPaths(a.sortKey, b.sortKey));
  let size = 0;
  for (const it of items) size += it.mode.length + 1 + it.nameLength + 1 + 20;
  const body = Buffer.allocUnsafe(size);
  let off = 0;
  for (const it of items) {
    off += body.write(it.mode, off, 'latin1');
    body[off++] = 0x20;
    if (it.raw) off += it.raw.copy(body, off);
    else off += body.write(it.name, off, 'utf8');
    body[off++] = 0;
    off += body.write(it.oid, off, 'hex');
  }
  node.oid = nodeCrypto().createHash('sha1').update(`tree ${size}\0`).update(body).digest('hex');
  if (keepBody) node.body = body;
  return node.oid;
}

/**
 * The folders whose cache-tree node can be trusted: valid, holding as many entries as the index has under the
 * folder, and none of them intent-to-add or unmerged (git invalidates such folders itself; this also refuses a
 * cache-tree left stale by a tool that changed the entries without updating it). Those folders get the
 * cache-tree's oid and are not hashed (hashTree, diffHeadIndex); the others are hashed as before.
 */
export function applyCacheTree(root: TreeNode, cacheTree: CacheTreeNode, blocked: ReadonlySet<string>): void {
  const count = (n: TreeNode): number => {
    let c = n.files.size;
    for (const d of n.dirs.values()) c += count(d);
    return c;
  };
  const apply = (n: TreeNode, ct: CacheTreeNode, dir: string): void => {
    if (ct.oid !== undefined && ct.entryCount >= 0 && !blocked.has(dir) && count(n) === ct.entryCount) {
      n.oid = ct.oid;
      n.cached = true;
      return;
    }
    for (const [name, child] of ct.children) {
      const d = n.dirs.get(name);
      if (d) apply(d, child, dir ? dir + '/' + name : name);
    }
  };
  apply(root, cacheTree, '');
}

/** The folders ('' the root) holding an intent-to-add entry or an unmerged path: their cache-tree is not used. */
export function cacheTreeBlocked(tracked: readonly IndexEntry[], unmerged: ReadonlyMap<string, number>): Set<string> {
  const blocked = new Set<string>();
  const add = (p: string): void => {
    blocked.add('');
    for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) blocked.add(p.slice(0, i));
  };
  for (const e of tracked) if (e.extendedFlags & INTENT_TO_ADD) add(e.path);
  for (const p of unmerged.keys()) add(p);
  return blocked;
}

export interface HeadIndexChange {
  head: string | null;
  index: string | null;
  headMode: number;
  indexMode: number;
}

/** file, symlink or gitlink: a change between these is a type change (`T`). */
export function modeType(mode: number): number {
  return mode === MODE_SYMLINK || mode === MODE_GITLINK ? mode : 0o100000;
}

export async function diffHeadIndex(
  gitdir: string,
  cache: object,
  headTreeOid: string | null,
  node: TreeNode | undefined,
  prefix: string,
  out: Map<string, HeadIndexChange>,
): Promise<void> {
  if (node && node.oid === undefined) hashTree(node); // inside a folder the cache-tree knew: not hashed yet
  if (headTreeOid && node && node.oid === headTreeOid) return;
  const headEntries = new Map<string, { oid: string; type: string; mode: string }>();
  if (headTreeOid) {
    for (const e of await readRawTree(gitdir, cache, headTreeOid)) {
      headEntries.set(e.name, { oid: e.oid, type: e.mode === 0o040000 ? 'tree' : 'blob', mode: e.mode.toString(8).padStart(6, '0') });
    }
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
      if (ho !== io || modeDiffers) out.set(fp, { head: ho, index: io, headMode: headFile ? parseInt(headFile.mode, 8) : 0, indexMode: idxFile ? idxFile.mode : 0 });
    }
  }
}

/** Paths whose stage-0 index entry differs from `treeOid` (null = empty tree): path -> tree oid / index oid. */
export async function diffTreeIndex(
  gitdir: string,
  cache: object,
  treeOid: string | null,
  entries: Iterable<IndexEntry>,
): Promise<Map<string, HeadIndexChange>> {
  const out = new Map<string, HeadIndexChange>();
  const tree = buildTree(entries);
  hashTree(tree);
  await diffHeadIndex(gitdir, cache, treeOid, tree, '', out);
  return out;
}

export async function resolveHead(gitdir: string): Promise<string | null> {
  try {
    return await isogit().resolveRef({ fs: gitFs, gitdir, ref: 'HEAD' });
  } catch {
    return null;
  }
}

/** The kind of an unmerged path from the stages it has (bit 1 << stage). */
export function conflictKind(mask: number): ConflictKind {
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

/** What a status derives from one version of the index (and folder), kept while the index file stays the same. */
interface IndexView {
  key: string;
  idx: ParsedIndex;
  tracked: IndexEntry[];
  looked: IndexEntry[];
  /** folders holding tracked (or unmerged) files, '' included: the untracked scan descends into these. */
  dirsWithTracked: Set<string>;
  /** per folder ('' the root), how many looked-at files (not gitlinks) are directly in it. */
  filesIn: Map<string, number>;
  /** folders directly holding an entry whose file a status does not lstat as a file (skip-worktree, assume-unchanged, unmerged, gitlink). */
  unsureDirs: Set<string>;
  /** per folder ('' the root), the folders in it that hold tracked files (their repository paths). */
  subdirsOf: Map<string, string[]>;
  /**
   * the folders of `looked` (not the root; each at least once, in the index's order): what symlinkedFolders lstats,
   * so that diffLooked need not go through 10,000 paths again for them.
   */
  lookedDirs: string[];
}

const INDEX_VIEW_MEMO = Symbol('hammock.indexView');

function statSyncOrNull(file: string): fs.BigIntStats | null {
  try {
    return fs.statSync(file, { bigint: true, throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

/**
 * The index's view for a status: from the cache while the index file is the same one (mtime, size, inode).
 * `helper`, when given: its `positions` get each looked-at entry's place in the index, when this view is made from
 * the `handed` bytes as they are (LoadedIndex.fromHanded) and they hold `helper.count` entries: where the host's
 * lstats are (statusLstat.ts).
 */
async function indexView(
  dir: string,
  gitdir: string,
  cache: object,
  handed: IndexBytes | undefined,
  blocking = false,
  helper?: { count: number; positions?: number[] },
): Promise<IndexView> {
  const memo = (cache as Record<symbol, IndexView | undefined>)[INDEX_VIEW_MEMO];
  if (memo?.key) {
    const file = path.join(gitdir, 'index');
    const st = blocking ? statSyncOrNull(file) : await fsp.stat(file, { bigint: true }).catch(() => null);
    if (st && memo.key === `${dir}\0${indexStamp(st)}`) return memo;
  }
  const loaded = await readIndex(gitdir, handed, blocking);
  if (loaded === null) throw unsupportedIndex();
  // one pass over the entries (in a new worker this runs interpreted: every pass and every string made counts)
  const entries = new Map<string, IndexEntry>();
  const unmerged = new Map<string, number>();
  const tracked: IndexEntry[] = [];
  const looked: IndexEntry[] = [];
  const dirsWithTracked = new Set<string>(['']);
  const filesIn = new Map<string, number>();
  const unsureDirs = new Set<string>();
  const lookedDirs: string[] = [];
  let lastLookedDir = '';
  // the folder of the previous entry: entries are sorted, so most share it and need no slice (and the Map below
  // hashes the same string object again and again)
  let lastDir = '';
  let lastSlash = -1;
  const positions = helper && loaded.fromHanded && loaded.entries.length === helper.count ? (helper.positions = [] as number[]) : undefined;
  let pos = -1;
  for (const e of loaded.entries) {
    pos++;
    const fp = e.path;
    const slash = fp.lastIndexOf('/');
    const newDir = slash >= 0 && !(slash === lastSlash && fp.startsWith(lastDir));
    if (slash < 0) {
      lastDir = '';
      lastSlash = -1;
    } else if (newDir) {
      lastSlash = slash;
      lastDir = fp.slice(0, slash);
    }
    if (e.stage === 0) {
      entries.set(fp, e);
      tracked.push(e);
      const looks = !(e.extendedFlags & SKIP_WORKTREE) && !e.assumeValid;
      if (looks) {
        looked.push(e);
        positions?.push(pos);
        // (the same string object while the folder is: most entries compare one pointer)
        if (lastDir !== lastLookedDir) lookedDirs.push((lastLookedDir = lastDir));
      }
      if (looks && e.mode !== MODE_GITLINK) filesIn.set(lastDir, (filesIn.get(lastDir) ?? 0) + 1);
      else unsureDirs.add(lastDir);
    } else {
      unmerged.set(fp, (unmerged.get(fp) ?? 0) | (1 << e.stage));
      unsureDirs.add(lastDir);
    }
    if (!newDir) continue;
    for (let d = lastDir; !dirsWithTracked.has(d); ) {
      dirsWithTracked.add(d);
      const up = d.lastIndexOf('/');
      if (up < 0) break;
      d = d.slice(0, up);
    }
  }
  const idx: ParsedIndex = { entries, unmerged, mtimeMs: loaded.mtimeMs, mtimeNs: loaded.mtimeNs, stamp: loaded.stamp, cacheTree: loaded.cacheTree };
  const subdirsOf = new Map<string, string[]>();
  for (const d of dirsWithTracked) {
    if (d === '') continue;
    const parent = d.slice(0, Math.max(0, d.lastIndexOf('/')));
    const list = subdirsOf.get(parent);
    if (list) list.push(d);
    else subdirsOf.set(parent, [d]);
  }
  const view: IndexView = { key: idx.stamp ? `${dir}\0${idx.stamp}` : '', idx, tracked, looked, dirsWithTracked, filesIn, unsureDirs, subdirsOf, lookedDirs };
  (cache as Record<symbol, IndexView>)[INDEX_VIEW_MEMO] = view;
  return view;
}

/** What an incremental status starts from: the last status's index-vs-working-tree part, for one index version. */
interface StatusBase {
  /** dir, index stamp and untracked options: the base holds while these are the same. */
  key: string;
  /** dir and untracked options: a base for another version of the index holds for the entries that did not change. */
  scope: string;
  work: Map<string, WorkDiff>;
  untracked: Set<string>;
  /** the index the base was computed for (stage-0 entries, unmerged paths, folders holding tracked files). */
  entries: Map<string, IndexEntry>;
  unmerged: Map<string, number>;
  dirs: Set<string>;
}

/** The same index entry, stat data and flags included (what a status decides from). */
function sameEntry(a: IndexEntry, b: IndexEntry): boolean {
  return (
    a.oid === b.oid &&
    a.mode === b.mode &&
    a.size === b.size &&
    a.mtimeSeconds === b.mtimeSeconds &&
    a.mtimeNanoseconds === b.mtimeNanoseconds &&
    a.ctimeSeconds === b.ctimeSeconds &&
    a.ctimeNanoseconds === b.ctimeNanoseconds &&
    a.ino === b.ino &&
    a.dev === b.dev &&
    a.uid === b.uid &&
    a.gid === b.gid &&
    a.extendedFlags === b.extendedFlags &&
    a.assumeValid === b.assumeValid
  );
}

/**
 * The paths whose index entries differ between the base's index and `view`'s (a stage, a commit's refresh, a pull),
 * or null when the folders holding tracked files changed (the untracked walk would take other turns) or too many
 * entries changed: a full scan then.
 */
function indexChanges(base: StatusBase, view: IndexView): string[] | null {
  const dirs = view.dirsWithTracked;
  if (dirs.size !== base.dirs.size) return null;
  for (const d of dirs) if (!base.dirs.has(d)) return null;
  const out: string[] = [];
  const add = (p: string): boolean => out.push(p) <= MAX_INCREMENTAL_PATHS;
  const { entries, unmerged } = view.idx;
  for (const [p, e] of entries) {
    const old = base.entries.get(p);
    if ((!old || !sameEntry(old, e)) && !add(p)) return null;
  }
  for (const p of base.entries.keys()) if (!entries.has(p) && !add(p)) return null;
  for (const [p, mask] of unmerged) if (base.unmerged.get(p) !== mask && !add(p)) return null;
  for (const p of base.unmerged.keys()) if (!unmerged.has(p) && !add(p)) return null;
  return out;
}

const STATUS_BASE = Symbol('hammock.statusBase');

/** Above this many changed paths a full scan is as cheap, and simpler. */
export const MAX_INCREMENTAL_PATHS = 512;

/** Files under `.git/` whose change alters what status reports about the working tree (ignore rules, config, sparse patterns, attributes). */
const GIT_FILES_THAT_MATTER = /^\.git\/(config|info\/(exclude|attributes|sparse-checkout))$/;

/**
 * The paths of `changed` an incremental status looks at again, or null when only a full scan can be trusted: an
 * ignore or attributes file changed (it decides about paths no event names), or `.git/config` and the like. A
 * change inside a nested repository's `.git` stands for that repository's folder; other `.git/` files do not
 * matter here (the index and HEAD are compared by their own stamps).
 */
export function incrementalPaths(changed: readonly string[]): string[] | null {
  if (changed.length > MAX_INCREMENTAL_PATHS) return null;
  const out = new Set<string>();
  for (let raw of changed) {
    raw = raw.replace(/\/+$/, '');
    if (raw === '' || raw === '.' || raw.startsWith('/') || raw.startsWith('../') || raw === '..') return null;
    if (raw === '.git' || raw.startsWith('.git/')) {
      if (GIT_FILES_THAT_MATTER.test(raw)) return null;
      continue;
    }
    const name = raw.slice(raw.lastIndexOf('/') + 1);
    if (name === '.gitignore' || name === '.gitattributes') return null;
    const nested = raw.indexOf('/.git/');
    const p = nested >= 0 ? raw.slice(0, nested) : raw.endsWith('/.git') ? raw.slice(0, -5) : raw;
    out.add(p);
  }
  return [...out];
}

/**
 * The untracked-file walk of a status: reads folders, asks the ignore rules only about names the index does not
 * know. `absent` (from the lstat of every looked-at entry, diffLooked) lets a full scan skip the names of a folder
 * where every tracked file was found: when it holds as many names as the index has files and folders there, and
 * each of those folders is a folder (not a symlink to one), its names are exactly the tracked ones (each file was
 * lstat-ed by its exact name), nothing in it is untracked, and only its folders are walked: no name is looked up
 * and its names are read without their types (a readdir of 10,000 names with types costs twice as much).
 * (A case-insensitive file system that git is told is case-sensitive, core.ignoreCase=false there, is the one setup
 * where a name could pass an lstat in another case.) `realFolders`: the folders diffLooked found to be folders,
 * not lstat-ed again.
 */
function untrackedWalker(
  dir: string,
  view: IndexView,
  rules: IgnoreRules,
  add: (fp: string) => void,
  stopped: () => boolean,
  absent?: ReadonlySet<string>,
  realFolders?: ReadonlySet<string>,
  blocking = false,
): { scan: (rel: string) => Promise<void>; visit: (fp: string) => Promise<void> } {
  const { entries, unmerged } = view.idx;
  const { dirsWithTracked, filesIn, unsureDirs, subdirsOf } = view;
  // a full scan (`absent`), made before the lstats: the names of folders holding over a thousand files are read in
  // the thread pool while they run (a readdir of 10,000 names took 9-12 ms after them, beside their 50-90)
  const read = new Map<string, Promise<string[] | 0>>();
  if (absent) for (const [d, n] of filesIn) if (n > 999) read.set(d, fsp.readdir(fsPath(dir, d)).catch(() => 0));
  /** the folders (holding tracked files) of folder `rel` when its names are exactly its tracked files and those; else null. */
  const onlyTracked = async (rel: string, full: string | Buffer): Promise<readonly string[] | null> => {
    if (!absent || absent.has(rel) || unsureDirs.has(rel)) return null;
    let names: string[];
    try {
      names = (await read.get(rel)) || fs.readdirSync(full as string);
    } catch {
      return null;
    }
    const subdirs = subdirsOf.get(rel) ?? [];
    if (names.length !== (filesIn.get(rel) ?? 0) + subdirs.length + (names.includes('.git') ? 1 : 0)) return null;
    for (const sub of subdirs) if (!realFolders?.has(sub) && !fs.lstatSync(fsPath(dir, sub), NO_THROW)?.isDirectory()) return null;
    return subdirs;
  };
  // folders read synchronously (a readdir costs microseconds; a thread-pool round trip per folder costs more),
  // the event loop getting a turn every few hundred folders (unless `blocking`)
  let folders = 0;
  const scan = async (rel: string): Promise<void> => {
    if (++folders % 256 === 0 && !blocking) await nextTurn();
    const full = rel ? fsPath(dir, rel) : dir;
    const subdirs = await onlyTracked(rel, full);
    if (subdirs) {
      for (const sub of subdirs) {
        if (stopped()) return;
        await scan(sub);
      }
      return;
    }
    const names = readDirNamesSync(full);
    for (const de of names) {
      if (stopped()) return;
      const name = de.name;
      const fp = rel ? rel + '/' + name : name;
      if (name === '.git') continue;
      if (de.isDirectory()) await visitDir(fp);
      else if (!entries.has(fp) && !unmerged.has(fp) && !rules.isIgnored(fp, false)) add(fp);
    }
  };
  const visitDir = async (fp: string): Promise<void> => {
    if (entries.get(fp)?.mode === MODE_GITLINK) return; // a submodule (gitlink): its files are its own
    if (dirsWithTracked.has(fp)) await scan(fp);
    else if (!rules.isIgnored(fp, true)) {
      // a nested repository is one untracked entry, as git shows it (`sub/`)
      if (fs.existsSync(fsPath(dir, fp + '/.git'))) add(fp + '/');
      else await scan(fp);
    }
  };
  /**
   * What the full walk would report at and under `fp` alone: its parent folders are checked as the walk would
   * meet them (an ignored folder, a nested repository, a submodule hide what is inside).
   */
  const visit = async (fp: string): Promise<void> => {
    const parts = fp.split('/');
    let a = '';
    for (let i = 0; i < parts.length - 1; i++) {
      a = a ? a + '/' + parts[i] : parts[i];
      if (entries.get(a)?.mode === MODE_GITLINK) return;
      if (dirsWithTracked.has(a)) continue;
      if (rules.isIgnored(a, true)) return;
      if (fs.existsSync(fsPath(dir, a + '/.git'))) {
        add(a + '/');
        return;
      }
    }
    const st = fs.lstatSync(fsPath(dir, fp), NO_THROW);
    if (!st) return;
    if (st.isDirectory()) await visitDir(fp);
    else if (!entries.has(fp) && !unmerged.has(fp) && !rules.isIgnored(fp, false)) add(fp);
  };
  return { scan, visit };
}

/** Whether `p` is `prefix` or inside the folder `prefix`. */
function isAtOrUnder(p: string, prefix: string): boolean {
  return p === prefix || (p.length > prefix.length && p.charCodeAt(prefix.length) === 0x2f && p.startsWith(prefix));
}

/**
 * The index-vs-working-tree part of a status from `base` and the paths that changed since: only the index entries
 * at or under those paths are compared again, and only those paths are walked for untracked files. null when the
 * untracked list would overflow (the caller scans fully).
 */
async function updateBase(
  ctx: WorkContext,
  view: IndexView,
  base: StatusBase,
  paths: readonly string[],
  rules: IgnoreRules,
  max: number,
): Promise<{ work: Map<string, WorkDiff>; untracked: Set<string>; unchanged: UnchangedFile[] } | null> {
  const { entries } = view.idx;
  const work = new Map(base.work);
  const untracked = new Set(base.untracked);
  const recheck = new Map<string, IndexEntry>();
  const looksAt = (e: IndexEntry | undefined): void => {
    if (e && !(e.extendedFlags & SKIP_WORKTREE) && !e.assumeValid) recheck.set(e.path, e);
  };
  const walk: string[] = [];
  for (const p of paths) {
    // inside a submodule: its gitlink entry is compared again (its checkout changed)
    const parts = p.split('/');
    let a = '';
    let inSubmodule = false;
    for (let i = 0; i < parts.length - 1 && !inSubmodule; i++) {
      a = a ? a + '/' + parts[i] : parts[i];
      const e = entries.get(a);
      if (e?.mode === MODE_GITLINK) {
        looksAt(e);
        inSubmodule = true;
      }
    }
    if (inSubmodule) continue;
    for (const k of work.keys()) if (isAtOrUnder(k, p)) work.delete(k);
    for (const k of untracked) if (isAtOrUnder(k, p) || k === p + '/') untracked.delete(k);
    looksAt(entries.get(p));
    if (view.dirsWithTracked.has(p)) for (const e of view.looked) if (isAtOrUnder(e.path, p)) looksAt(e);
    walk.push(p);
  }
  const looked = [...recheck.values()];
  const { differs, unchanged } = await diffLooked(ctx, looked, view.idx.mtimeNs);
  for (const [p, d] of differs) work.set(p, d);
  let overflow = false;
  const { visit } = untrackedWalker(
    ctx.dir,
    view,
    rules,
    (fp) => {
      untracked.add(fp);
      if (untracked.size > max) overflow = true;
    },
    () => overflow,
  );
  for (const p of walk) {
    if (overflow) break;
    await visit(p);
  }
  return overflow ? null : { work, untracked, unchanged };
}

/** statuses sharing a cache run one after the other: each starts from the one before (incremental status). */
const statusQueue = new WeakMap<object, Promise<unknown>>();

/**
 * The status of a working tree, as `git status` reports it (see the top of this file). Calls sharing a `cache` run
 * one after the other; with `changed`, an incremental status (see StatusOptions.changed).
 */
export function computeStatus(options: StatusOptions): Promise<WorkingTreeStatus> {
  const cache = options.cache;
  if (!cache) return computeStatusNow(options);
  const run = (statusQueue.get(cache) ?? Promise.resolve()).then(() => computeStatusNow(options));
  statusQueue.set(cache, run.catch(() => undefined));
  return run;
}

async function computeStatusNow(options: StatusOptions): Promise<WorkingTreeStatus> {
  const dir = path.resolve(options.dir);
  const gitdir = options.gitdir ?? resolveRepoLayout(dir).gitdir;
  const cache = options.cache ?? {};
  const lstats = options.lstats && { shared: options.lstats, count: options.lstats.stats.length / LSTAT_FIELDS, positions: undefined as number[] | undefined };
  const view = await indexView(dir, gitdir, cache, options.index, options.blocking, lstats);
  const { idx, tracked } = view;
  const { unmerged } = idx;
  const ctx: WorkContext = { dir, gitdir, cache, blocking: options.blocking, sized: true };
  const listUntracked = options.untracked !== false;
  const max = options.maxUntracked ?? 20_000;

  const headOid = options.headOid !== undefined ? options.headOid : await resolveHead(gitdir);
  const headTreeP = !headOid ? Promise.resolve(null) : options.headTree && options.headOid === headOid ? Promise.resolve(options.headTree) : readCommitTree(gitdir, cache, headOid);

  // 2. index vs working tree, and 4. untracked: from the previous status and the paths changed since, when it can
  // be trusted; else in full
  const scope = `${dir}\0${listUntracked ? max : 'no'}`;
  const baseKey = idx.stamp ? `${dir}\0${idx.stamp}\0${listUntracked ? max : 'no'}` : '';
  const memoBase = (cache as Record<symbol, StatusBase | undefined>)[STATUS_BASE];
  let paths: string[] | null = null;
  if (options.changed && baseKey && memoBase?.scope === scope) {
    paths = incrementalPaths(options.changed);
    if (paths && memoBase.key !== baseKey) {
      // another version of the index (a stage, a commit, a pull): the entries that changed are looked at too
      const fromIndex = indexChanges(memoBase, view);
      paths = fromIndex && paths.length + fromIndex.length <= MAX_INCREMENTAL_PATHS ? [...new Set([...paths, ...fromIndex])] : null;
    }
  }
  const rules = (): IgnoreRules => new IgnoreRules(dir, gitdir, workRules(ctx).config);
  let scan: 'full' | 'incremental' = 'full';
  const workP = (async (): Promise<{ work: Map<string, WorkDiff>; untracked: Set<string>; unchanged: UnchangedFile[]; truncated: boolean }> => {
    if (paths && memoBase) {
      const r = paths.length === 0 ? { work: memoBase.work, untracked: memoBase.untracked, unchanged: [] } : await updateBase(ctx, view, memoBase, paths, rules(), max);
      if (r) {
        scan = 'incremental';
        return { ...r, truncated: false };
      }
    }
    const absent = new Set<string>();
    const folders = new Set<string>();
    const helped = lstats?.positions && { reader: new LstatReader(lstats.shared), positions: lstats.positions };
    const untracked = new Set<string>();
    let truncated = false;
    // made before the lstats (they fill `absent` and `folders` for it): it reads its biggest folders meanwhile
    const walker =
      listUntracked &&
      untrackedWalker(
        dir,
        view,
        rules(),
        (fp) => {
          if (untracked.size >= max) truncated = true;
          else untracked.add(fp);
        },
        () => truncated,
        absent,
        folders,
        options.blocking,
      );
    const { differs, unchanged } = await diffLooked(ctx, view.looked, idx.mtimeNs, absent, folders, helped, view.lookedDirs);
    if (walker) await walker.scan('');
    return { work: differs, untracked, unchanged, truncated };
  })();

  // 3. HEAD vs index (remembered while neither the index file nor HEAD changes)
  const headTree = await headTreeP;
  const memoKey = idx.stamp ? `${idx.stamp}:${headTree}` : '';
  const memo = (cache as Record<symbol, { key: string; changes: Map<string, HeadIndexChange> } | undefined>)[HEAD_INDEX_MEMO];
  let headChanges: Map<string, HeadIndexChange>;
  if (memo && memoKey && memo.key === memoKey) {
    headChanges = memo.changes;
  } else {
    headChanges = new Map();
    const ct = idx.cacheTree;
    const blocked = ct ? cacheTreeBlocked(tracked, unmerged) : undefined;
    // the index's cache-tree says the whole index is HEAD's tree: nothing staged, nothing to build or hash
    const sameAsHead = ct && blocked!.size === 0 && ct.oid !== undefined && ct.oid === headTree && ct.entryCount === tracked.length;
    if (!sameAsHead) {
      const tree = buildTree(tracked);
      if (ct) applyCacheTree(tree, ct, blocked!);
      hashTree(tree);
      await diffHeadIndex(gitdir, cache, headTree, tree, '', headChanges);
    }
    if (memoKey) (cache as Record<symbol, unknown>)[HEAD_INDEX_MEMO] = { key: memoKey, changes: headChanges };
  }
  const { work, untracked, unchanged, truncated: untrackedTruncated } = await workP;
  // the next status may start from this one (not when the list was cut: the cut is not reproducible piecewise)
  (cache as Record<symbol, StatusBase | undefined>)[STATUS_BASE] =
    baseKey && !untrackedTruncated ? { key: baseKey, scope, work, untracked, entries: idx.entries, unmerged, dirs: view.dirsWithTracked } : undefined;
  if (options.refresh && unchanged.length) {
    const { stamp } = await refreshIndexStats(dir, gitdir, idx.stamp, unchanged);
    // only stat data of files found unchanged was rewritten: what this status found still holds for the new index
    if (stamp) carryBase(cache, idx.stamp, stamp);
  }

  const merge: FileConflict[] = [...unmerged].map(([p, mask]) => ({ path: p, kind: conflictKind(mask) }));
  const staged: FileChange[] = [];
  for (const [p, c] of headChanges) {
    if (unmerged.has(p)) continue;
    staged.push({ path: p, kind: c.head === null ? 'added' : c.index === null ? 'deleted' : modeType(c.headMode) !== modeType(c.indexMode) ? 'typeChanged' : 'modified' });
  }
  const changes: FileChange[] = [];
  for (const [p, d] of work) changes.push(d.submodule ? { path: p, kind: d.kind, submodule: d.submodule } : { path: p, kind: d.kind });
  for (const p of untracked) changes.push({ path: p, kind: 'untracked' });
  merge.sort(byPath);
  staged.sort(byPath);
  changes.sort(byPath);
  return { merge, staged, changes, untrackedTruncated, scan };
}

/**
 * After a refresh rewrote only stat data (of files found unchanged), the status base and the HEAD-vs-index memo are
 * moved to the index version it wrote (`newStamp`), so that the next status stays incremental.
 */
function carryBase(cache: object, oldStamp: string, newStamp: string): void {
  const c = cache as Record<symbol, { key: string } | undefined>;
  const base = c[STATUS_BASE];
  if (base) base.key = base.key.replace(`\0${oldStamp}\0`, `\0${newStamp}\0`);
  const memo = c[HEAD_INDEX_MEMO];
  if (memo?.key.startsWith(`${oldStamp}:`)) memo.key = newStamp + memo.key.slice(oldStamp.length);
}
