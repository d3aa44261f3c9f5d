// Reads and writes `.git/index` (versions 2 and 3) directly. isomorphic-git re-reads and re-writes the whole
// index for every call and rounds timestamps to milliseconds (so the git CLI later re-hashes every file); working
// on the entries ourselves lets status trust the stat data and lets one write cover a whole stage/checkout.
// Versions 2-4 are read (isomorphic-git reads only 2); we always write version 2 (3 with extended flags).
// A split index is returned with its `link` for plumbing/splitIndex.ts to merge; a sparse index is reported as
// unsupported (null); a damaged one (checksum, layout) throws IndexCorruptError, as git refuses it.

import { nodeCrypto } from './plumbing/lazyNode';
import type { BigIntStats, Stats } from 'fs';
import { decodePath, encodePath, hasEscapedBytes } from './plumbing/pathBytes';
import { runTurning } from '../util/nextTurn';
import { runSteps } from '../collections/slicer';

export const MODE_FILE = 0o100644;
const PARSE_SLICE = 2500;
export const MODE_EXEC = 0o100755;
export const MODE_SYMLINK = 0o120000;
export const MODE_GITLINK = 0o160000;

export interface IndexEntry {
  path: string;
  ctimeSeconds: number;
  ctimeNanoseconds: number;
  mtimeSeconds: number;
  mtimeNanoseconds: number;
  dev: number;
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  oid: string;
  /** 0 normally; 1 base, 2 ours, 3 theirs while a path is unmerged. */
  stage: number;
  /** version-3 extended flags (skip-worktree, intent-to-add); 0 when none. */
  extendedFlags: number;
  /** the assume-valid bit of the flags. */
  assumeValid: boolean;
  /** the path's bytes when they are not valid UTF-8 (`path` then holds them as escaped bytes, see plumbing/pathBytes.ts). */
  rawPath?: Buffer;
}

/**
 * One folder of the index's cache-tree (the `TREE` extension git keeps): the tree object its entries make, when it
 * is known. git invalidates a folder and the folders above it whenever an entry under it changes, so a valid node
 * lets status compare HEAD with the index without hashing that folder (see computeStatus).
 */
export interface CacheTreeNode {
  /** how many index entries the folder holds (all depths); -1 when invalidated. */
  entryCount: number;
  /** the folder's tree object, when valid. */
  oid?: string;
  /** the folders in it, by name (escaped bytes when not UTF-8, as paths are). */
  children: Map<string, CacheTreeNode>;
}

export interface IndexFile {
  version: number;
  /** sorted by path (bytewise), then stage. */
  entries: IndexEntry[];
  /** the `TREE` extension, when the index has one (git writes it; Hammock's writes leave it out). */
  cacheTree?: CacheTreeNode;
  /** a split index (core.splitIndex): the shared index it builds on and its `link` extension's bitmaps. */
  link?: { sharedOid: string; deleteBitmap: Buffer | null; replaceBitmap: Buffer | null };
}

/** Parses an index (versions 2, 3 and 4); null when its version or extensions are not supported here. */
export function parseIndex(buf: Buffer): IndexFile | null {
  return runSteps(parseSteps(buf));
}

/**
 * parseIndex giving the event loop a turn every few thousand entries (a 10,000-entry index takes tens of ms).
 * `checked`: the checksum of these bytes was found right already (indexChecksumOk), it is not computed again.
 * `blocking`: for a thread with nothing else to do (the status worker): no turns, the entries parsed in one go.
 * (Each turn re-enters the parser: in a new worker, V8 then compiled it twice with its optimising compiler, once
 * for the loop it was in and once as a function called again, on the threads the worker and the extension host
 * need; that compile rarely finished before the parse did.)
 */
export async function parseIndexAsync(buf: Buffer, checked = false, blocking = false): Promise<IndexFile | null> {
  return runTurning(parseSteps(buf, checked, blocking ? Infinity : PARSE_SLICE));
}

/** A damaged `.git/index` (bad checksum, truncated, entries running past the end): git says "index file corrupt". */
export class IndexCorruptError extends Error {
  constructor(readonly reason: string) {
    super(`index file corrupt: ${reason}`);
    this.name = 'IndexCorruptError';
  }
}

/** Buffer's native slicers (the methods `toString` dispatches to), called directly: see parseSteps. */
interface NativeSlices {
  utf8Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
}
const HAS_NATIVE_SLICES = typeof (Buffer.prototype as unknown as Partial<NativeSlices>).hexSlice === 'function';

/**
 * A version-4 entry's name, prefix-compressed against the previous entry's: a varint (bytes of it to drop), then
 * the NUL-terminated rest; `end` is where that NUL is. null when it does not fit.
 */
function v4Name(buf: Buffer, nameStart: number, previous: Buffer, limit: number): { name: Buffer; end: number } | null {
  let at = nameStart;
  let c = buf[at++];
  let drop = c & 127;
  while (c & 128) {
    c = buf[at++];
    drop = ((drop + 1) << 7) + (c & 127);
  }
  const end = buf.indexOf(0, at);
  if (end < 0 || end >= limit || drop > previous.length) return null;
  return { name: Buffer.concat([previous.subarray(0, previous.length - drop), buf.subarray(at, end)]), end };
}

/** Whether the index's trailing checksum is right (all zeros: written with index.skipHash, not checked, as git does). */
export function indexChecksumOk(buf: Uint8Array): boolean {
  const end = buf.length - 20;
  let zero = true;
  for (let i = end; i < buf.length && zero; i++) zero = buf[i] === 0;
  return zero || nodeCrypto().createHash('sha1').update(buf.subarray(0, end)).digest().equals(buf.subarray(end));
}

/**
 * parseIndex, pausing (yield) after every `slice` entries. A status in a new worker runs this while V8 still
 * interprets it, so each entry costs as few JavaScript calls as can be: integers through a DataView and the names
 * and oids through Buffer's native slicers (`readUInt32BE` and `toString` are JavaScript functions of their own,
 * interpreted as well: this took three times as long). Throws IndexCorruptError when the checksum or the layout is
 * wrong; null when the version or an extension is not supported here.
 */
function* parseSteps(buf: Buffer, checked = false, slice = PARSE_SLICE): Generator<void, IndexFile | null, void> {
  if (buf.length < 32 || buf.toString('latin1', 0, 4) !== 'DIRC') throw new IndexCorruptError('bad signature');
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const version = dv.getUint32(4);
  if (version < 2 || version > 4) return null;
  if (!checked && !indexChecksumOk(buf)) throw new IndexCorruptError('bad checksum');
  const count = dv.getUint32(8);
  const limit = buf.length - 20;
  // at least 62 bytes and a NUL per entry: a count beyond that is a damaged header (and no huge array is made)
  if (count > (limit - 12) / 63) throw new IndexCorruptError(`${count} entries cannot fit in ${buf.length} bytes`);
  const slices = (HAS_NATIVE_SLICES ? buf : null) as unknown as NativeSlices | null;
  const entries: IndexEntry[] = new Array(count);
  let off = 12;
  let previous: Buffer = Buffer.alloc(0);
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % slice === 0) yield;
    if (off + 63 > limit) throw new IndexCorruptError(`entry ${i} runs past the end`);
    const flags = dv.getUint16(off + 60);
    const extended = version >= 3 && (flags & 0x4000) !== 0;
    const nameStart = off + 62 + (extended ? 2 : 0);
    let filepath: string;
    let rawPath: Buffer | undefined;
    let next: number;
    if (version === 4) {
      const v4 = v4Name(buf, nameStart, previous, limit);
      if (!v4) throw new IndexCorruptError(`entry ${i}: bad name`);
      const { name, end } = v4;
      previous = name;
      filepath = name.toString('utf8');
      if (filepath.includes('\ufffd')) {
        filepath = decodePath(name);
        if (hasEscapedBytes(filepath)) rawPath = name;
      }
      next = end + 1;
    } else {
      // the flags hold the name's length when it is below 0xfff; the NUL after it confirms it
      const short = flags & 0xfff;
      let end = nameStart + short;
      if (short === 0xfff || end >= limit || buf[end] !== 0) end = buf.indexOf(0, nameStart);
      if (end < 0 || end >= limit) throw new IndexCorruptError(`entry ${i}: bad name`);
      filepath = slices ? slices.utf8Slice(nameStart, end) : buf.toString('utf8', nameStart, end);
      if (filepath.includes('\ufffd')) {
        // not UTF-8 (or a real U+FFFD): the careful decoding
        filepath = decodePath(buf.subarray(nameStart, end));
        if (hasEscapedBytes(filepath)) rawPath = Buffer.from(buf.subarray(nameStart, end));
      }
      next = off + ((end - off + 8) & ~7);
    }
    const e: IndexEntry = {
      ctimeSeconds: dv.getUint32(off),
      ctimeNanoseconds: dv.getUint32(off + 4),
      mtimeSeconds: dv.getUint32(off + 8),
      mtimeNanoseconds: dv.getUint32(off + 12),
      dev: dv.getUint32(off + 16),
      ino: dv.getUint32(off + 20),
      mode: dv.getUint32(off + 24),
      uid: dv.getUint32(off + 28),
      gid: dv.getUint32(off + 32),
      size: dv.getUint32(off + 36),
      oid: slices ? slices.hexSlice(off + 40, off + 60) : buf.toString('hex', off + 40, off + 60),
      stage: (flags >> 12) & 3,
      assumeValid: (flags & 0x8000) !== 0,
      extendedFlags: extended ? dv.getUint16(off + 62) : 0,
      path: filepath,
    };
    if (rawPath) e.rawPath = rawPath;
    entries[i] = e;
    off = next;
  }
  if (off > limit) throw new IndexCorruptError('the entries run past the end');
  // extensions: a split index's `link` is returned for the caller to merge; a sparse index (`sdir`) is refused
  let link: IndexFile['link'];
  let cacheTree: CacheTreeNode | undefined;
  while (off + 8 <= limit) {
    const sig = buf.toString('latin1', off, off + 4);
    const len = dv.getUint32(off + 4);
    if (off + 8 + len > limit) throw new IndexCorruptError(`extension ${JSON.stringify(sig)} runs past the end`);
    if (sig === 'sdir') return null;
    // an extension git requires readers to understand (its first letter is not upper case) that is not known here
    if (!(buf[off] >= 0x41 && buf[off] <= 0x5a) && sig !== 'link') return null;
    if (sig === 'TREE') cacheTree = parseCacheTree(buf.subarray(off + 8, off + 8 + len)) ?? undefined;
    if (sig === 'link') {
      const body = buf.subarray(off + 8, off + 8 + len);
      const sharedOid = body.toString('hex', 0, 20);
      let deleteBitmap: Buffer | null = null;
      let replaceBitmap: Buffer | null = null;
      if (body.length > 20) {
        const first = ewahLength(body, 20);
        deleteBitmap = body.subarray(20, 20 + first);
        replaceBitmap = body.subarray(20 + first, 20 + first + ewahLength(body, 20 + first));
      }
      link = { sharedOid, deleteBitmap, replaceBitmap };
    }
    off += 8 + len;
  }
  const idx: IndexFile = { version, entries };
  if (link) idx.link = link;
  if (cacheTree) idx.cacheTree = cacheTree;
  return idx;
}

/**
 * The path of every entry of an index's bytes, in order, and nothing else: for the extension host's lstats
 * for a new status worker (statusLstat.ts), taken while the worker parses the file. `fn(i, path)`: the repo-relative
 * path, or null when the name is not valid UTF-8 (parseSteps decodes those); it returns false to stop. No
 * checksum, no extension; stops at the first entry that does not fit (parseSteps, which the status itself reads,
 * is the judge of the file).
 */
export function forEachIndexPath(bytes: Uint8Array, fn: (i: number, path: string | null) => boolean): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 32 || buf.toString('latin1', 0, 4) !== 'DIRC') return;
  // (as in parseSteps: integers through a DataView, names through the native slicer; this code runs cold too)
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const slices = (HAS_NATIVE_SLICES ? buf : null) as unknown as NativeSlices | null;
  const version = dv.getUint32(4);
  const count = dv.getUint32(8);
  const limit = buf.length - 20;
  if (version < 2 || version > 4) return;
  let off = 12;
  let previous: Buffer = Buffer.alloc(0);
  for (let i = 0; i < count && off + 63 <= limit; i++) {
    const flags = dv.getUint16(off + 60);
    const nameStart = off + 62 + (version >= 3 && flags & 0x4000 ? 2 : 0);
    let path: string;
    if (version === 4) {
      const v4 = v4Name(buf, nameStart, previous, limit);
      if (!v4) return;
      previous = v4.name;
      path = previous.toString('utf8');
      off = v4.end + 1;
    } else {
      let end = nameStart + (flags & 0xfff);
      if ((flags & 0xfff) === 0xfff || end >= limit || buf[end] !== 0) end = buf.indexOf(0, nameStart);
      if (end < 0 || end >= limit) return;
      path = slices ? slices.utf8Slice(nameStart, end) : buf.toString('utf8', nameStart, end);
      off += (end - off + 8) & ~7;
    }
    if (!fn(i, path.includes('\ufffd') ? null : path)) return;
  }
}

/** A `TREE` extension's body (the layout parseCacheTree reads; git reads the subfolders in any order). */
export function serializeCacheTree(root: CacheTreeNode): Buffer {
  const parts: Buffer[] = [];
  const write = (name: string, n: CacheTreeNode): void => {
    const valid = n.entryCount >= 0 && n.oid !== undefined;
    parts.push(encodePath(name), Buffer.from(`\0${valid ? n.entryCount : -1} ${n.children.size}\n`, 'latin1'));
    if (valid) parts.push(Buffer.from(n.oid!, 'hex'));
    for (const [childName, child] of n.children) write(childName, child);
  };
  write('', root);
  return Buffer.concat(parts);
}

/**
 * `cacheTree` (valid for the entries `before`) made valid for the entries `after`: every folder holding a path
 * whose entry was added, removed, or changed in a way a tree sees (oid, mode, stage, intent-to-add) is invalidated,
 * with the folders above it, as git invalidates them; the other folders keep their trees. `cacheTree` itself is
 * not changed (it may be shared).
 */
export function carryCacheTree(before: readonly IndexEntry[], cacheTree: CacheTreeNode, after: readonly IndexEntry[]): CacheTreeNode {
  // both lists are in index order: one walk side by side, no map (this runs on the extension host's thread at every
  // index write). An entry met on one side only is a change; were the orders ever to disagree (names that are not
  // UTF-8), that only invalidates more than needed.
  const changed: string[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const a = before[i];
    const b = after[j];
    if (a && b && a.path === b.path && a.stage === b.stage) {
      if (a !== b && (a.oid !== b.oid || a.mode !== b.mode || (a.extendedFlags & 0x2000) !== (b.extendedFlags & 0x2000))) changed.push(b.path);
      i++;
      j++;
    } else if (a && (!b || (compareGitPaths(a.path, b.path) || a.stage - b.stage) < 0)) {
      changed.push(a.path);
      i++;
    } else {
      changed.push(b!.path);
      j++;
    }
  }
  if (!changed.length) return cacheTree;
  const copied = new Set<CacheTreeNode>();
  const invalid = (n: CacheTreeNode): CacheTreeNode => {
    const c: CacheTreeNode = { entryCount: -1, children: new Map(n.children) };
    copied.add(c);
    return c;
  };
  const root = invalid(cacheTree);
  for (const p of changed) {
    let node = root;
    const parts = p.split('/');
    for (let i = 0; i < parts.length - 1; i++) {
      let child = node.children.get(parts[i]);
      if (!child) break; // a folder the cache-tree does not know: nothing below it to invalidate
      if (!copied.has(child)) node.children.set(parts[i], (child = invalid(child)));
      node = child;
    }
  }
  return root;
}

/**
 * Parses a `TREE` extension's body (git's index-format.txt: per folder, depth first, its name NUL-terminated, the
 * entry count (-1 when invalid), a space, the number of subfolders, a newline, and the tree's 20-byte id when valid;
 * then its subfolders). null when it is malformed: status then hashes the trees itself.
 */
export function parseCacheTree(body: Buffer): CacheTreeNode | null {
  let off = 0;
  const node = (): [string, CacheTreeNode] | null => {
    const nul = body.indexOf(0, off);
    const nl = nul < 0 ? -1 : body.indexOf(0x0a, nul + 1);
    if (nl < 0) return null;
    const name = decodePath(body.subarray(off, nul));
    const m = /^(-?\d+) (\d+)$/.exec(body.toString('latin1', nul + 1, nl));
    if (!m) return null;
    const entryCount = Number(m[1]);
    const subtrees = Number(m[2]);
    off = nl + 1;
    const n: CacheTreeNode = { entryCount, children: new Map() };
    if (entryCount >= 0) {
      if (off + 20 > body.length) return null;
      n.oid = body.toString('hex', off, off + 20);
      off += 20;
    }
    for (let i = 0; i < subtrees; i++) {
      const child = node();
      if (!child) return null;
      n.children.set(child[0], child[1]);
    }
    return [name, n];
  };
  const root = node();
  return root && root[0] === '' && off === body.length ? root[1] : null;
}

/** The byte length of a serialised EWAH bitmap starting at `off`. */
function ewahLength(buf: Buffer, off: number): number {
  const words = buf.readUInt32BE(off + 4);
  return 8 + words * 8 + 4;
}

/** The set bit positions of a serialised EWAH bitmap (git's ewah_io.c layout). */
export function ewahPositions(buf: Buffer): number[] {
  const words = buf.readUInt32BE(4);
  const out: number[] = [];
  let pos = 0;
  let i = 0;
  const word = (k: number): bigint => buf.readBigUInt64BE(8 + k * 8);
  while (i < words) {
    const rlw = word(i++);
    const runBit = (rlw & BigInt(1)) === BigInt(1);
    const runLen = Number((rlw >> BigInt(1)) & BigInt(0xffffffff));
    const literals = Number(rlw >> BigInt(33));
    if (runBit) for (let b = 0; b < runLen * 64; b++) out.push(pos + b);
    pos += runLen * 64;
    for (let l = 0; l < literals && i < words; l++) {
      const w = word(i++);
      for (let b = 0; b < 64; b++) if ((w >> BigInt(b)) & BigInt(1)) out.push(pos + b);
      pos += 64;
    }
  }
  return out;
}

const NEEDS_BYTES = /[\ud800-\uffff]/;

/**
 * git's path order: bytewise on UTF-8. JavaScript's string order agrees except for characters from U+D800 up
 * (surrogate pairs sort below U+E000-U+FFFF in UTF-16, above them in UTF-8); only then compare bytes.
 */
export function compareGitPaths(a: string, b: string): number {
  if (NEEDS_BYTES.test(a) || NEEDS_BYTES.test(b)) return Buffer.compare(encodePath(a), encodePath(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts entries the way git does: by path bytes, then stage. */
export function sortEntries(entries: IndexEntry[]): IndexEntry[] {
  if (entries.some((e) => e.rawPath)) {
    const bytes = (e: IndexEntry): Buffer => e.rawPath ?? Buffer.from(e.path, 'utf8');
    return entries.sort((x, y) => Buffer.compare(bytes(x), bytes(y)) || x.stage - y.stage);
  }
  return entries.sort((x, y) => compareGitPaths(x.path, y.path) || x.stage - y.stage);
}

/** Buffer's native writers (the methods `write` dispatches to), called directly: see serializeIndex. */
interface NativeWrites {
  hexWrite(s: string, offset: number, length: number): number;
  utf8Write(s: string, offset: number): number;
}
const HAS_NATIVE_WRITES = typeof (Buffer.prototype as unknown as Partial<NativeWrites>).hexWrite === 'function' && typeof (Buffer.prototype as unknown as Partial<NativeWrites>).utf8Write === 'function';

/**
 * Serialises entries (already sorted) as an index of version 2 (3 when an entry has extended flags). As parseSteps
 * reads it: integers through a DataView, oids and names through Buffer's native writers, and each name written
 * once (its length is what the writer returns), into a buffer sized for the longest names their UTF-16 length
 * allows: `writeUInt32BE`, `write` and `Buffer.byteLength` cost a JavaScript call each, which for a 10,000-entry
 * index (every pull, checkout, commit and clone writes one) took 3 to 4 times as long, more in a thread where the
 * code is not yet compiled (a clone's worker). `previous`: the file being replaced (its bytes, its entries in their
 * order), whose entries that are still there as the same objects are copied from its bytes, in runs: a pull or a
 * commit of a few files of a 10,000-entry index writes those few, not every name and oid again (the bytes of an
 * unchanged entry are the same; only a file of the same version, 2 or 3, is copied from).
 */
export function serializeIndex(entries: readonly IndexEntry[], cacheTree?: CacheTreeNode, previous?: { bytes: Buffer; entries: readonly IndexEntry[] }): Buffer {
  return runSteps(serializeSteps(entries, cacheTree, previous, Infinity));
}

/** serializeIndex giving the event loop a turn every 8 ms (10,000 entries take 7-40 ms on a busy 2-core machine). */
export async function serializeIndexAsync(entries: readonly IndexEntry[], cacheTree?: CacheTreeNode, previous?: { bytes: Buffer; entries: readonly IndexEntry[] }): Promise<Buffer> {
  return runTurning(serializeSteps(entries, cacheTree, previous, 8));
}

/** serializeIndex, a step at a time: it yields when `sliceMs` have passed since it began or last yielded. */
function* serializeSteps(entries: readonly IndexEntry[], cacheTree: CacheTreeNode | undefined, previous: { bytes: Buffer; entries: readonly IndexEntry[] } | undefined, sliceMs: number): Generator<void, Buffer> {
  let turnAt = performance.now();
  let version = 2;
  let bound = 12;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.extendedFlags !== 0) version = 3;
    // 64 fixed bytes at most, a NUL and up to 7 of padding, and a name of at most 3 UTF-8 bytes per UTF-16 unit
    bound += 72 + (e.rawPath ? e.rawPath.length : e.path.length * 3);
  }
  const ext = cacheTree ? serializeCacheTree(cacheTree) : undefined;
  if (ext) bound += 8 + ext.length;
  const b = Buffer.alloc(bound + 20); // zero-filled: the names' NUL padding
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const writes = (HAS_NATIVE_WRITES ? b : null) as unknown as NativeWrites | null;
  b.write('DIRC', 0, 'latin1');
  dv.setUint32(4, version);
  dv.setUint32(8, entries.length);
  let off = 12;
  const pb = previous && previous.bytes.length > 32 && previous.bytes.readUInt32BE(4) === version && previous.bytes.readUInt32BE(8) === previous.entries.length ? previous.bytes : undefined;
  const olds = pb ? previous!.entries : [];
  /** the previous file's entry j starts at `at`; `run`: bytes of it from `runAt` not copied yet. */
  let j = 0;
  let at = 12;
  let runAt = 12;
  let run = 0;
  const oldEnd = (): number => {
    const flags = pb!.readUInt16BE(at + 60);
    const nameStart = at + 62 + (flags & 0x4000 && version >= 3 ? 2 : 0);
    let end = nameStart + (flags & 0xfff);
    if ((flags & 0xfff) === 0xfff || pb![end] !== 0) end = pb!.indexOf(0, nameStart);
    return at + ((end - at + 8) & ~7);
  };
  for (let i = 0; i < entries.length; i++) {
    if ((i & 255) === 255 && performance.now() - turnAt >= sliceMs) {
      yield;
      turnAt = performance.now();
    }
    const e = entries[i];
    if (pb) {
      // the previous entries before this one (in git's order) that are gone or replaced are skipped
      while (j < olds.length && olds[j] !== e && (compareGitPaths(olds[j].path, e.path) || olds[j].stage - e.stage) < 0) {
        at = oldEnd();
        j++;
      }
      if (j < olds.length && olds[j] === e) {
        const end = oldEnd();
        if (runAt + run !== at) {
          off += pb.copy(b, off, runAt, runAt + run);
          runAt = at;
          run = 0;
        }
        run += end - at;
        at = end;
        j++;
        continue;
      }
      off += pb.copy(b, off, runAt, runAt + run);
      run = 0;
    }
    const extended = version >= 3 && e.extendedFlags !== 0;
    const nameStart = off + 62 + (extended ? 2 : 0);
    dv.setUint32(off, e.ctimeSeconds >>> 0);
    dv.setUint32(off + 4, e.ctimeNanoseconds >>> 0);
    dv.setUint32(off + 8, e.mtimeSeconds >>> 0);
    dv.setUint32(off + 12, e.mtimeNanoseconds >>> 0);
    dv.setUint32(off + 16, e.dev >>> 0);
    dv.setUint32(off + 20, e.ino >>> 0);
    dv.setUint32(off + 24, e.mode >>> 0);
    dv.setUint32(off + 28, e.uid >>> 0);
    dv.setUint32(off + 32, e.gid >>> 0);
    dv.setUint32(off + 36, e.size >>> 0);
    if (writes) writes.hexWrite(e.oid, off + 40, 20);
    else b.write(e.oid, off + 40, 20, 'hex');
    const nameLength = e.rawPath ? e.rawPath.copy(b, nameStart) : writes ? writes.utf8Write(e.path, nameStart) : b.write(e.path, nameStart, 'utf8');
    dv.setUint16(off + 60, (e.assumeValid ? 0x8000 : 0) | (extended ? 0x4000 : 0) | ((e.stage & 3) << 12) | Math.min(nameLength, 0xfff));
    if (extended) dv.setUint16(off + 62, e.extendedFlags);
    off += (nameStart - off + nameLength + 8) & ~7; // the entry, a NUL and padding to a multiple of 8 (as parseSteps)
  }
  if (pb) off += pb.copy(b, off, runAt, runAt + run);
  if (ext) {
    // the TREE extension goes between the entries and the checksum
    b.write('TREE', off, 'latin1');
    dv.setUint32(off + 4, ext.length);
    off += 8 + ext.copy(b, off + 8);
  }
  nodeCrypto().createHash('sha1').update(b.subarray(0, off)).digest().copy(b, off);
  return b.subarray(0, off + 20);
}

/** The index mode git records for a file with these stats. */
export function modeFromStats(st: Stats | BigIntStats): number {
  const m = Number(st.mode);
  if ((m & 0o170000) === 0o120000) return MODE_SYMLINK;
  if ((m & 0o170000) === 0o040000) return MODE_GITLINK;
  return m & 0o111 ? MODE_EXEC : MODE_FILE;
}

const NS = BigInt(1_000_000_000);

/** An index entry for `path` with `oid`, carrying the file's stat data (nanoseconds when the stats are bigint). */
export function entryFromStats(path: string, oid: string, st: Stats | BigIntStats, mode?: number): IndexEntry {
  let ctimeSeconds: number, ctimeNanoseconds: number, mtimeSeconds: number, mtimeNanoseconds: number;
  if ('mtimeNs' in st && typeof st.mtimeNs === 'bigint') {
    const b = st as BigIntStats;
    ctimeSeconds = Number(b.ctimeNs / NS);
    ctimeNanoseconds = Number(b.ctimeNs % NS);
    mtimeSeconds = Number(b.mtimeNs / NS);
    mtimeNanoseconds = Number(b.mtimeNs % NS);
  } else {
    const s = st as Stats;
    ctimeSeconds = Math.floor(s.ctimeMs / 1000);
    ctimeNanoseconds = Math.round((s.ctimeMs % 1000) * 1e6);
    mtimeSeconds = Math.floor(s.mtimeMs / 1000);
    mtimeNanoseconds = Math.round((s.mtimeMs % 1000) * 1e6);
  }
  return withRawPath({
    path,
    ctimeSeconds,
    ctimeNanoseconds,
    mtimeSeconds,
    mtimeNanoseconds,
    dev: Number(st.dev) % 2 ** 32,
    ino: Number(st.ino) % 2 ** 32,
    mode: mode ?? modeFromStats(st),
    uid: Number(st.uid) % 2 ** 32,
    gid: Number(st.gid) % 2 ** 32,
    size: Number(st.size) % 2 ** 32,
    oid,
    stage: 0,
    extendedFlags: 0,
    assumeValid: false,
  });
}

/** An entry whose path holds escaped bytes (not UTF-8) carries the bytes git stores. */
function withRawPath(e: IndexEntry): IndexEntry {
  if (hasEscapedBytes(e.path)) e.rawPath = encodePath(e.path);
  return e;
}

/** An entry without stat data: the next status hashes the file (git does the same after `reset -- path`). */
export function entryWithoutStats(path: string, oid: string, mode: number, stage = 0): IndexEntry {
  return withRawPath({
    path,
    ctimeSeconds: 0,
    ctimeNanoseconds: 0,
    mtimeSeconds: 0,
    mtimeNanoseconds: 0,
    dev: 0,
    ino: 0,
    mode,
    uid: 0,
    gid: 0,
    size: 0,
    oid,
    stage,
    extendedFlags: 0,
    assumeValid: false,
  });
}

/** Milliseconds of an entry's mtime, as compared with `Math.floor(stats.mtimeMs)`. */
export function entryMtimeMs(e: IndexEntry): number {
  return e.mtimeSeconds * 1000 + Math.floor(e.mtimeNanoseconds / 1e6);
}

export function blobOid(content: Buffer): string {
  return nodeCrypto().createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}
