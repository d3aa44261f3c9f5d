// Git objects as a merge needs them: trees read with their names as bytes (a name that is not UTF-8 keeps its
// bytes, see pathBytes.ts; isomorphic-git's readTree decodes them lossily), and an in-memory layer for the blobs
// and trees a merge makes, so that a merge can be computed without writing anything (a preview, a virtual merge
// base) and written afterwards, children before parents, only what the result needs.

import * as fs from 'fs';
import * as path from 'path';
import { isogit } from '../isogit';
import { gitFs, realGitPath } from './gitFs';
import { inflateHead, PackReader } from '../packReader';
import { decodePath, encodePath } from './pathBytes';
import { nodeCrypto, nodeZlib } from './lazyNode';

export const MODE_TREE = 0o040000;

export interface TreeItem {
  /** the entry's name (one path component; escaped bytes when it is not UTF-8). */
  name: string;
  /** numeric git mode: 0o040000 tree, 0o100644, 0o100755, 0o120000, 0o160000. */
  mode: number;
  oid: string;
}

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

/** Parses a tree object's content. */
export function parseTree(data: Uint8Array): TreeItem[] {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out: TreeItem[] = [];
  let off = 0;
  while (off < buf.length) {
    const space = buf.indexOf(0x20, off);
    const nul = buf.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 21 > buf.length) throw new Error('malformed tree object');
    const mode = parseInt(buf.toString('latin1', off, space), 8);
    out.push({ mode, name: decodePath(buf.subarray(space + 1, nul)), oid: buf.toString('hex', nul + 1, nul + 21) });
    off = nul + 21;
  }
  return out;
}

function modeText(mode: number): string {
  if (mode === MODE_TREE) return '40000';
  if (mode === 0o120000) return '120000';
  if (mode === 0o160000) return '160000';
  return mode & 0o111 ? '100755' : '100644';
}

/** Serialises tree entries in git's order (names as bytes, a tree's name compared as if it ended in `/`). */
export function serializeTree(items: readonly TreeItem[]): Buffer {
  const keyed = items.map((it) => {
    const name = encodePath(it.name);
    return { it, name, key: it.mode === MODE_TREE ? Buffer.concat([name, Buffer.from('/')]) : name };
  });
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  const parts: Buffer[] = [];
  for (const { it, name } of keyed) parts.push(Buffer.from(modeText(it.mode) + ' ', 'latin1'), name, Buffer.from([0]), Buffer.from(it.oid, 'hex'));
  return Buffer.concat(parts);
}

export function hashObject(type: ObjectType, content: Uint8Array): string {
  return nodeCrypto().createHash('sha1').update(`${type} ${content.length}\0`).update(content).digest('hex');
}

const PACKS = Symbol('hammock.packReaders');

/** The pack reader of `gitdir`, kept in `cache` (one per repository sharing the cache). */
export function packReaderOf(gitdir: string, cache: object): PackReader {
  const c = cache as Record<symbol, Map<string, PackReader> | undefined>;
  const readers = (c[PACKS] ??= new Map());
  let r = readers.get(gitdir);
  if (!r) readers.set(gitdir, (r = PackReader.open(gitdir, 8 * 2 ** 20, 8 * 2 ** 20)));
  return r;
}

/** A loose object's type and content, or undefined when there is no such file. */
function readLoose(gitdir: string, oid: string): { type: string; data: Buffer } | undefined {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(realGitPath(path.join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2))));
  } catch {
    return undefined;
  }
  const buf = nodeZlib().inflateSync(raw);
  const nul = buf.indexOf(0);
  const space = buf.indexOf(0x20);
  if (nul < 0 || space < 0 || space > nul) throw new Error(`malformed object ${oid}`);
  return { type: buf.toString('latin1', 0, space), data: buf.subarray(nul + 1) };
}

/** A loose object's type and size from its header (only the first bytes read and inflated), or undefined when there is no such file. */
function looseSize(gitdir: string, oid: string): { type: string; size: number } | undefined {
  let fd: number;
  try {
    fd = fs.openSync(realGitPath(path.join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2))), 'r');
  } catch {
    return undefined;
  }
  try {
    // `<type> <size>\0`: at most 32 bytes, which the first compressed bytes give (all of a small object)
    const head = Buffer.alloc(512);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    let out = inflateHead(head.subarray(0, n), n < head.length);
    if (!out || out.indexOf(0) < 0) out = nodeZlib().inflateSync(fs.readFileSync(fd));
    const nul = out.indexOf(0);
    const m = /^([a-z]+) (\d+)$/.exec(out.toString('latin1', 0, nul < 0 ? 0 : nul));
    if (!m) throw new Error(`malformed object ${oid}`);
    return { type: m[1], size: Number(m[2]) };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * An object's type and size, read from its header, its content not inflated: the pack entry's header (a delta's own
 * header for its result size), else the loose object's `<type> <size>` header; else (alternates, a pack our reader
 * cannot read) the whole object from readObjectData.
 */
export async function readObjectSize(gitdir: string, cache: object, oid: string): Promise<{ type: string; size: number }> {
  const hit = packedOrLoose(packReaderOf(gitdir, cache), (p) => p.sizeOf(oid), () => looseSize(gitdir, oid));
  if (hit) return hit;
  const { type, data } = await readObjectData(gitdir, cache, oid);
  return { type, size: data.length };
}

/**
 * What `inPacks` finds, else what `loose` finds, else what `inPacks` finds once the packs were looked for again (one
 * written since the reader was opened, by a fetch; one removed, by git gc); undefined when none has it.
 */
function packedOrLoose<T>(packs: PackReader, inPacks: (p: PackReader) => T | undefined, loose: () => T | undefined): T | undefined {
  const fromPacks = (): T | undefined => {
    try {
      return inPacks(packs);
    } catch {
      return undefined; // a pack removed since (git gc): the refresh below forgets it
    }
  };
  const hit = fromPacks() ?? loose();
  if (hit) return hit;
  packs.refresh();
  return fromPacks();
}

/**
 * An object's type and content: from the packs (PackReader, native zlib, no whole pack in memory), else the loose
 * object, else isomorphic-git (a pack our reader cannot read, alternates).
 */
export async function readObjectData(gitdir: string, cache: object, oid: string): Promise<{ type: string; data: Buffer }> {
  const hit = packedOrLoose(packReaderOf(gitdir, cache), (p) => p.read(oid), () => readLoose(gitdir, oid));
  if (hit) return hit;
  const { type, object } = await isogit().readObject({ fs: gitFs, gitdir, oid, format: 'content', cache });
  const data = object as Uint8Array;
  return { type, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
}

/** Reads a tree object of the repository (names as bytes where needed). */
export async function readRawTree(gitdir: string, cache: object, oid: string): Promise<TreeItem[]> {
  const { type, data } = await readObjectData(gitdir, cache, oid);
  if (type !== 'tree') throw Object.assign(new Error(`${oid} is a ${type}, not a tree`), { code: 'ObjectTypeError' });
  return parseTree(data);
}

/** The bytes of commit `oid` (an ObjectTypeError when it is another kind of object). */
async function readCommitData(gitdir: string, cache: object, oid: string): Promise<Buffer> {
  const { type, data } = await readObjectData(gitdir, cache, oid);
  if (type !== 'commit') throw Object.assign(new Error(`${oid} is a ${type}, not a commit`), { code: 'ObjectTypeError' });
  return data;
}

/** The tree of commit `oid`. */
export async function readCommitTree(gitdir: string, cache: object, oid: string): Promise<string> {
  const data = await readCommitData(gitdir, cache, oid);
  const m = /^tree ([0-9a-f]{40})\n/.exec(data.toString('latin1', 0, 46));
  if (!m) throw new Error(`malformed commit ${oid}`);
  return m[1];
}

/** The parents of commit `oid`: the `parent <oid>` lines after its `tree <oid>` line. */
export async function readCommitParents(gitdir: string, cache: object, oid: string): Promise<string[]> {
  const data = await readCommitData(gitdir, cache, oid);
  const parents: string[] = [];
  for (let at = 46; data.toString('latin1', at, at + 7) === 'parent '; at += 48) parents.push(data.toString('latin1', at + 7, at + 47));
  return parents;
}

/**
 * What a walk of history needs of commit `oid`: its parents, its committer time (seconds) and the first line of its
 * message, read through the pack reader (isomorphic-git's readCommit loads a pack whole on its first read: tens of
 * milliseconds of the event loop at once).
 */
export async function readCommitSummary(gitdir: string, cache: object, oid: string): Promise<{ parents: string[]; date: number; summary: string }> {
  const data = await readCommitData(gitdir, cache, oid);
  const parents: string[] = [];
  for (let at = 46; data.toString('latin1', at, at + 7) === 'parent '; at += 48) parents.push(data.toString('latin1', at + 7, at + 47));
  const end = data.indexOf('\n\n');
  const header = data.toString('utf8', 0, end < 0 ? data.length : end);
  const committer = /^committer .*> (-?\d+) [+-]\d{4}$/m.exec(header);
  const message = end < 0 ? '' : data.toString('utf8', end + 2);
  return { parents, date: committer ? Number(committer[1]) : 0, summary: message.split('\n', 1)[0] };
}

/**
 * The repository's objects, with objects made in memory on top. Reads come from memory first, then the
 * repository; nothing is written until `persist`.
 */
export class ObjectLayer {
  private readonly made = new Map<string, { type: ObjectType; data: Buffer }>();
  private readonly trees = new Map<string, TreeItem[]>();

  constructor(
    readonly gitdir: string,
    readonly cache: object,
  ) {}

  async read(oid: string): Promise<{ type: ObjectType; data: Buffer }> {
    const m = this.made.get(oid);
    if (m) return m;
    const { type, object } = await isogit().readObject({ fs: gitFs, gitdir: this.gitdir, oid, format: 'content', cache: this.cache });
    const data = object as Uint8Array;
    return { type: type as ObjectType, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
  }

  async readTree(oid: string): Promise<TreeItem[]> {
    const known = this.trees.get(oid);
    if (known) return known;
    const { type, data } = await this.read(oid);
    if (type !== 'tree') throw Object.assign(new Error(`${oid} is a ${type}, not a tree`), { code: 'ObjectTypeError' });
    const items = parseTree(data);
    this.trees.set(oid, items);
    return items;
  }

  async readBlob(oid: string): Promise<Buffer> {
    const { type, data } = await this.read(oid);
    if (type !== 'blob') throw Object.assign(new Error(`${oid} is a ${type}, not a blob`), { code: 'ObjectTypeError' });
    return data;
  }

  async commitTree(oid: string): Promise<string> {
    const { commit } = await isogit().readCommit({ fs: gitFs, gitdir: this.gitdir, oid, cache: this.cache });
    return commit.tree;
  }

  async readCommitInfo(oid: string): Promise<{ parents: string[]; date: number }> {
    const { commit } = await isogit().readCommit({ fs: gitFs, gitdir: this.gitdir, oid, cache: this.cache });
    return { parents: commit.parent, date: commit.committer.timestamp };
  }

  addBlob(data: Buffer): string {
    const oid = hashObject('blob', data);
    if (!this.made.has(oid)) this.made.set(oid, { type: 'blob', data });
    return oid;
  }

  addTree(items: TreeItem[]): string {
    const data = serializeTree(items);
    const oid = hashObject('tree', data);
    if (!this.made.has(oid)) this.made.set(oid, { type: 'tree', data });
    if (!this.trees.has(oid)) this.trees.set(oid, items);
    return oid;
  }

  /** Whether `oid` was made in memory (and is not written yet). */
  isMade(oid: string): boolean {
    return this.made.has(oid);
  }

  /** Writes the objects made in memory that `oid` (a tree, or a blob) needs, children before their trees. */
  async persist(oid: string): Promise<void> {
    const write = async (oid: string): Promise<void> => {
      const m = this.made.get(oid);
      if (!m) return;
      if (m.type === 'tree') for (const it of this.trees.get(oid) ?? parseTree(m.data)) await write(it.oid);
      await isogit().writeObject({ fs: gitFs, gitdir: this.gitdir, type: m.type, object: m.data, format: 'content' });
      this.made.delete(oid);
    };
    await write(oid);
  }
}
