// The commits of a ref that touched Insomnia collection files, newest first, a page at a time: what the History
// view lists. Each commit's tree is compared with its first parent's, descending only into subtrees whose oids
// differ and that can hold collection files (`.insomnia/**`, and `.yaml`/`.yml` outside dot-folders and
// node_modules); a YAML file outside `.insomnia` counts only when its first line names an Insomnia v5 type
// (an OpenAPI or CI file does not). A merge commit is listed only with the collection files whose merged text is
// neither parent's (a conflict resolution, an auto-merge of both sides' edits, an "evil" merge): the commits it
// merged are listed themselves. Trees are compared as raw objects, entry bytes against entry bytes, so a legacy
// `Request/` folder of 10,000 files costs a merge walk, not 10,000 decoded names, and a commit's trees are kept for
// its parent's comparison. Measured on a repository of 10,000 requests in one folder plus 2,000 other files, 300
// commits: the first page of 30 (88 commits examined) in ~0.7 s warm on a loaded 2-core machine (`git log -- .insomnia`
// 0.6 s).
// No 'vscode' import, no working-tree access: git objects only.

import * as path from 'node:path';
import type * as git from 'isomorphic-git';
import { isogit } from './isogit';
import { isLegacyDataFile, LEGACY_FOLDER_NAME } from '../collections/formats/legacy';
import { v5TypeOfText } from '../collections/formats/v5';
import { isSkippedFolderName, isYamlFileName } from '../collections/scan';
import { resolveCommit } from './snapshotAtRef';
import { gitFs } from './plumbing/gitFs';

export interface CollectionFileChange {
  /** repository-relative, `/`-separated. */
  readonly path: string;
  readonly kind: 'added' | 'modified' | 'deleted';
}

export interface CollectionCommit {
  readonly oid: string;
  /** first line of the message. */
  readonly summary: string;
  readonly message: string;
  readonly author: { readonly name: string; readonly email: string; readonly timestamp: number; readonly timezoneOffset: number };
  readonly committedAt: number;
  readonly parents: readonly string[];
  /** the collection files changed against the first parent (against nothing for a root commit), sorted by path. */
  readonly files: readonly CollectionFileChange[];
  /** the first parent is missing from this (shallow) clone: `files` are against an empty tree. */
  readonly boundary?: boolean;
}

export interface CollectionHistoryOptions {
  /** branch, tag, remote-tracking ref, oid, `HEAD~2`...; default HEAD. */
  readonly ref?: string;
  /** at most this many commits in the page. */
  readonly limit: number;
  /** the `next` cursor of the previous page: the page continues the same walk. */
  readonly after?: string;
  readonly gitdir?: string;
  /** stop after examining this many commits, even with fewer than `limit` found (default 2,000); `next` resumes. */
  readonly maxScan?: number;
  /** an isomorphic-git cache to share across calls (parsed pack indexes). */
  readonly cache?: object;
}

export interface CollectionHistoryPage {
  readonly commits: CollectionCommit[];
  /** pass as `after` for the next page; undefined when the history is exhausted. */
  readonly next?: string;
  /** commits examined for this page. */
  readonly scanned: number;
}

/** A raw tree object (git's `<mode> <name>\0<20-byte oid>` entries, sorted), compared without decoding what is equal. */
type RawTree = Buffer;

interface Ctx {
  readonly dir: string;
  readonly gitdir: string;
  readonly cache: object;
  /** blob oid -> whether its text is an Insomnia v5 file. */
  readonly v5: Map<string, boolean>;
  /** tree oid -> its raw object: a commit's trees are its parent's next. */
  readonly trees?: Map<string, RawTree>;
}

/** bytes of raw trees kept between commits. */
const TREE_MEMO_BYTES = 16 * 1024 * 1024;

interface WalkCommit {
  readonly oid: string;
  readonly tree: string;
  readonly parents: string[];
  readonly time: number;
  readonly raw: git.CommitObject;
}

const CURSOR_PREFIX = 'h1:';

/**
 * One page of the collection history of `ref`. The walk goes by committer date, newest first, over the parents
 * `git log -- <collection files>` follows (see followedParents); `next` holds the walk's frontier, so the next page
 * costs no re-walk.
 */
export async function collectionHistory(dir: string, options: CollectionHistoryOptions): Promise<CollectionHistoryPage> {
  const root = path.resolve(dir);
  const ctx: Ctx = { dir: root, gitdir: options.gitdir ?? path.join(root, '.git'), cache: options.cache ?? {}, v5: new Map(), trees: new Map() };
  const limit = Math.max(1, Math.floor(options.limit));
  const maxScan = options.maxScan ?? 2000;
  const frontier = options.after !== undefined ? parseCursor(options.after) : [await resolveCommit(root, options.ref ?? 'HEAD', ctx.gitdir)];

  const queue: WalkCommit[] = [];
  /** every commit read so far (a merge's parents are read to choose which to follow), by oid. */
  const read = new Map<string, WalkCommit | null>();
  const load = async (oid: string): Promise<WalkCommit | undefined> => {
    if (!read.has(oid)) read.set(oid, (await readCommit(ctx, oid)) ?? null);
    return read.get(oid) ?? undefined;
  };
  /** every commit queued so far: a commit's parents are read before it is examined, so their trees are known. */
  const queued = new Set<string>();
  const enqueue = async (oid: string): Promise<boolean> => {
    if (queued.has(oid)) return true;
    const c = await load(oid);
    if (!c) return false;
    queued.add(oid);
    let i = queue.length;
    while (i > 0 && queue[i - 1].time < c.time) i--;
    queue.splice(i, 0, c);
    return true;
  };
  for (const oid of frontier) await enqueue(oid);

  const commits: CollectionCommit[] = [];
  let scanned = 0;
  while (queue.length && commits.length < limit && scanned < maxScan) {
    const c = queue.shift()!;
    scanned++;
    let missingParent = false;
    for (const p of await followedParents(ctx, c, load)) if (!(await enqueue(p))) missingParent = missingParent || p === c.parents[0];
    const entry = await examine(ctx, c, missingParent, (oid) => read.get(oid)?.tree ?? null);
    if (entry) commits.push(entry);
  }
  return { commits, next: queue.length ? CURSOR_PREFIX + queue.map((c) => c.oid).join(',') : undefined, scanned };
}

function parseCursor(cursor: string): string[] {
  if (!cursor.startsWith(CURSOR_PREFIX)) throw new Error(`not a history cursor: ${cursor}`);
  const oids = cursor.slice(CURSOR_PREFIX.length).split(',').filter(Boolean);
  if (!oids.every((o) => /^[0-9a-f]{40}$/.test(o))) throw new Error(`not a history cursor: ${cursor}`);
  return oids;
}

async function readCommit(ctx: Ctx, oid: string): Promise<WalkCommit | undefined> {
  try {
    const { commit } = await isogit().readCommit({ fs: gitFs, dir: ctx.dir, gitdir: ctx.gitdir, oid, cache: ctx.cache });
    return { oid, tree: commit.tree, parents: commit.parent, time: commit.committer.timestamp, raw: commit };
  } catch {
    return undefined; // beyond a shallow clone's boundary
  }
}

/**
 * The parents the walk goes on to, as `git log -- <paths>` simplifies history: a merge whose collection files are
 * those of one parent (TREESAME) is followed to the first such parent only, so a side branch whose changes the merge
 * did not keep (`-s ours`, a change made on both sides) is not listed; any other commit, every parent.
 */
async function followedParents(ctx: Ctx, c: WalkCommit, load: (oid: string) => Promise<WalkCommit | undefined>): Promise<string[]> {
  if (c.parents.length < 2) return c.parents;
  for (const oid of c.parents) {
    const parent = await load(oid);
    if (parent && !(await diffCollectionTrees(ctx, parent.tree, c.tree)).length) return [oid];
  }
  return c.parents;
}

/** `treeOf`: a queued commit's tree (null for a parent beyond a shallow clone's boundary). */
async function examine(ctx: Ctx, c: WalkCommit, boundary: boolean, treeOf: (oid: string) => string | null): Promise<CollectionCommit | undefined> {
  const firstParentTree = c.parents.length && !boundary ? treeOf(c.parents[0]) : null;
  let files = await diffCollectionTrees(ctx, firstParentTree, c.tree);
  for (const other of c.parents.slice(1)) {
    // a merge: only the files whose merged text is neither side's (a resolution, an auto-merge of both sides)
    if (!files.length) break;
    const tree = treeOf(other);
    if (!tree) continue;
    const differs = new Set((await diffCollectionTrees(ctx, tree, c.tree)).map((f) => f.path));
    files = files.filter((f) => differs.has(f.path));
  }
  if (!files.length) return undefined;
  const m = c.raw;
  return {
    oid: c.oid,
    summary: m.message.split('\n', 1)[0],
    message: m.message,
    author: { name: m.author.name, email: m.author.email, timestamp: m.author.timestamp, timezoneOffset: m.author.timezoneOffset },
    committedAt: m.committer.timestamp,
    parents: [...c.parents],
    files,
    ...(boundary && c.parents.length ? { boundary: true } : {}),
  };
}

const EMPTY_TREE: RawTree = Buffer.alloc(0);

async function readTree(ctx: Ctx, oid: string | null): Promise<RawTree> {
  if (!oid) return EMPTY_TREE;
  const known = ctx.trees?.get(oid);
  if (known) return known;
  const { object } = await isogit().readObject({ fs: gitFs, dir: ctx.dir, gitdir: ctx.gitdir, oid, format: 'content', cache: ctx.cache });
  const bytes0 = object as Uint8Array;
  const raw = Buffer.from(bytes0.buffer, bytes0.byteOffset, bytes0.byteLength);
  if (ctx.trees) {
    let bytes = raw.length;
    for (const t of ctx.trees.values()) bytes += t.length;
    for (const key of ctx.trees.keys()) {
      if (bytes <= TREE_MEMO_BYTES) break;
      bytes -= ctx.trees.get(key)!.length;
      ctx.trees.delete(key);
    }
    ctx.trees.set(oid, raw);
  }
  return raw;
}

/** One entry of a raw tree: offsets into the buffer. */
interface RawEntry {
  /** start of the entry (its mode). */
  start: number;
  nameStart: number;
  nameEnd: number;
  /** end of the entry (after the 20-byte oid). */
  end: number;
  /** 't' tree, 'b' blob (or symlink), 'c' gitlink. */
  kind: 't' | 'b' | 'c';
}

function entryAt(buf: RawTree, pos: number): RawEntry | undefined {
  if (pos >= buf.length) return undefined;
  const space = buf.indexOf(0x20, pos);
  const nul = buf.indexOf(0, space + 1);
  const kind = buf[pos] === 0x34 ? 't' : buf[pos] === 0x31 && buf[pos + 1] === 0x36 ? 'c' : 'b'; // 40000, 160000, 100644...
  return { start: pos, nameStart: space + 1, nameEnd: nul, end: nul + 21, kind };
}

/** git's tree order: names compared bytewise, a tree's name as if followed by `/`. */
function compareEntries(a: RawTree, x: RawEntry, b: RawTree, y: RawEntry): number {
  const la = x.nameEnd - x.nameStart;
  const lb = y.nameEnd - y.nameStart;
  const n = Math.min(la, lb);
  const c = a.compare(b, y.nameStart, y.nameStart + n, x.nameStart, x.nameStart + n);
  if (c !== 0) return c;
  const ca = la > n ? a[x.nameStart + n] : x.kind === 't' ? 0x2f : 0;
  const cb = lb > n ? b[y.nameStart + n] : y.kind === 't' ? 0x2f : 0;
  return ca - cb;
}

/** The collection files that differ between two trees (null: the empty tree), sorted by path. */
export async function diffCollectionTrees(
  ctx: { dir: string; gitdir: string; cache: object; v5?: Map<string, boolean>; trees?: Map<string, RawTree> },
  before: string | null,
  after: string | null,
): Promise<CollectionFileChange[]> {
  const full: Ctx = { ...ctx, v5: ctx.v5 ?? new Map() };
  const out: CollectionFileChange[] = [];
  await diffInto(full, before, after, '', undefined, out);
  out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return out;
}

const oidOf = (buf: RawTree, e: RawEntry): string => buf.toString('hex', e.nameEnd + 1, e.end);

/** `legacyDepth`: undefined outside `.insomnia`, 0 listing a `.insomnia` folder, 1 listing one of its type folders. */
async function diffInto(ctx: Ctx, a: string | null, b: string | null, prefix: string, legacyDepth: number | undefined, out: CollectionFileChange[]): Promise<void> {
  if (a === b) return;
  const [ta, tb] = await Promise.all([readTree(ctx, a), readTree(ctx, b)]);
  let x = entryAt(ta, 0);
  let y = entryAt(tb, 0);
  while (x || y) {
    const order = !x ? 1 : !y ? -1 : compareEntries(ta, x, tb, y);
    const ex = order <= 0 ? x : undefined;
    const ey = order >= 0 ? y : undefined;
    if (ex) x = entryAt(ta, ex.end);
    if (ey) y = entryAt(tb, ey.end);
    // the same mode, name and oid: nothing below changed
    if (ex && ey && ex.end - ex.start === ey.end - ey.start && ta.compare(tb, ey.start, ey.end, ex.start, ex.end) === 0) continue;
    const e = (ex ?? ey)!;
    const name = (ex ? ta : tb).toString('utf8', e.nameStart, e.nameEnd);
    const p = prefix ? `${prefix}/${name}` : name;
    if (e.kind === 't') {
      const xTree = ex ? oidOf(ta, ex) : null;
      const yTree = ey ? oidOf(tb, ey) : null;
      // `.insomnia/<Type>/<file>`: type folders one level down, nothing deeper
      if (legacyDepth === 0) await diffInto(ctx, xTree, yTree, p, 1, out);
      else if (legacyDepth === undefined && name === LEGACY_FOLDER_NAME) await diffInto(ctx, xTree, yTree, p, 0, out);
      else if (legacyDepth === undefined && !isSkippedFolderName(name)) await diffInto(ctx, xTree, yTree, p, undefined, out);
      continue;
    }
    if (e.kind !== 'b') continue;
    const xBlob = ex ? oidOf(ta, ex) : null;
    const yBlob = ey ? oidOf(tb, ey) : null;
    if (xBlob === yBlob) continue; // a mode change only
    if (legacyDepth !== undefined) {
      if (legacyDepth !== 1 || !isLegacyDataFile(name)) continue;
    } else {
      if (!isYamlFileName(name)) continue;
      const v5 = (yBlob !== null && (await isV5Blob(ctx, yBlob))) || (xBlob !== null && (await isV5Blob(ctx, xBlob)));
      if (!v5) continue;
    }
    out.push({ path: p, kind: !xBlob ? 'added' : !yBlob ? 'deleted' : 'modified' });
  }
}

async function isV5Blob(ctx: Ctx, oid: string): Promise<boolean> {
  const known = ctx.v5.get(oid);
  if (known !== undefined) return known;
  const { blob } = await isogit().readBlob({ fs: gitFs, dir: ctx.dir, gitdir: ctx.gitdir, oid, cache: ctx.cache });
  // the first line (or the one after a conflict marker) is all v5TypeOfText reads
  const head = Buffer.from(blob.buffer, blob.byteOffset, Math.min(blob.byteLength, 4096)).toString('utf8');
  const result = v5TypeOfText(head) !== undefined;
  ctx.v5.set(oid, result);
  return result;
}
