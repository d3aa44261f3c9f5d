// Reads objects straight from `.git/objects/pack/*.pack` through their `.idx` (version 2), with Node's native
// zlib and our own delta application. Used where objects are read in a row (checking out a clone or a large pull,
// the trees a status or a switch compares): isomorphic-git looks for a loose object first (a failed open per
// object), reads a whole pack into memory on first use, parses its whole index into a map, and inflates in
// JavaScript (pako), which made reading 10,000 blobs cost seconds and blocked the event loop for hundreds of ms.
// Here an index stays the file's bytes (a binary search finds an oid), and pack data is read in windows of
// WINDOW bytes, kept while they fit (as git's core.packedGitWindowSize). Objects not in a pack: undefined (the
// caller reads the loose object or asks isomorphic-git).

import * as fs from 'fs';
import * as path from 'path';
import { realGitPath } from './plumbing/gitFs';
import type * as Zlib from 'zlib';
import { nodeZlib } from './plumbing/lazyNode';

export const OBJ_OFS_DELTA = 6;
export const OBJ_REF_DELTA = 7;
/** a pack entry's type number to git's object type ('' where the number is a delta or unused). */
export const TYPES = ['', 'commit', 'tree', 'blob', 'tag'];

/**
 * The header of the pack entry at `pos` (git's pack format): its type, the size of its inflated data, for an offset
 * delta how far before the entry its base starts (0 otherwise), and where the header ends (a ref delta's base oid,
 * or the zlib stream, begins there). Past the end of `buf` the varints simply stop: the inflate that follows fails.
 */
export function readEntryHeader(buf: Uint8Array, pos: number): { type: number; size: number; baseDistance: number; end: number } {
  let c = buf[pos++];
  const type = (c >> 4) & 7;
  let size = c & 15;
  let shift = 4;
  while (c & 0x80) {
    c = buf[pos++];
    size += (c & 0x7f) * 2 ** shift;
    shift += 7;
  }
  let baseDistance = 0;
  if (type === OBJ_OFS_DELTA) {
    c = buf[pos++];
    baseDistance = c & 0x7f;
    while (c & 0x80) {
      c = buf[pos++];
      baseDistance = (baseDistance + 1) * 128 + (c & 0x7f);
    }
  }
  return { type, size, baseDistance, end: pos };
}
/** the largest output chunk inflateSized asks zlib for at once (larger objects come in several). */
const MAX_INFLATE_CHUNK = 2 ** 20;

/**
 * The zlib stream at the start of `compressed` inflated, when its inflated size is known (a pack entry's header says
 * it): zlib's output buffer is then made that size (capped), where inflateSync's default is a new 16 KB buffer per
 * call, which for the ~4 KB objects and ~100-byte deltas of a pack cost more than the inflating, and which each
 * object kept whole (its data a slice of it). `info`: also the input bytes the stream took (where the next entry
 * starts).
 */
export function inflateSized(compressed: Uint8Array, size: number): Buffer;
export function inflateSized(compressed: Uint8Array, size: number, info: true): { buffer: Buffer; engine: { bytesWritten: number } };
export function inflateSized(compressed: Uint8Array, size: number, info = false): Buffer | { buffer: Buffer; engine: { bytesWritten: number } } {
  // one byte more than the data: zlib then sees the stream's end in the same call, without another buffer
  const chunkSize = Math.min(Math.max(64, size + 1), MAX_INFLATE_CHUNK);
  return nodeZlib().inflateSync(compressed, { chunkSize, info } as Parameters<typeof Zlib.inflateSync>[1]) as unknown as Buffer | { buffer: Buffer; engine: { bytesWritten: number } };
}

/** pack data is read in windows of this size (an object larger than a window is read on its own). */
const WINDOW = 2 ** 20;

/** One pack: its index's bytes, the pack file read in windows. */
let nextPackId = 1;

class Pack {
  /** names this pack in the decoded-object cache (its place in the list changes when packs come and go). */
  readonly id = nextPackId++;
  readonly count: number;
  /** object offsets, sorted: an object's compressed data ends where the next object starts. */
  private sorted: Float64Array | undefined;
  private readonly windows = new Map<number, Buffer>();
  private readonly size: number;

  constructor(
    readonly file: string,
    private readonly idx: Buffer,
    private readonly maxWindows: number,
  ) {
    if (idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2) throw new Error('unsupported pack index');
    this.count = idx.readUInt32BE(8 + 255 * 4);
    this.size = fs.statSync(file).size;
  }

  private offsetAt(i: number): number {
    const idx = this.idx;
    const offStart = 8 + 256 * 4 + this.count * 24;
    const off = idx.readUInt32BE(offStart + i * 4);
    if (!(off & 0x80000000)) return off;
    return Number(idx.readBigUInt64BE(offStart + this.count * 4 + (off & 0x7fffffff) * 8));
  }

  /** The offset of `oid` (20 bytes) in the pack, or -1. */
  find(oid: Buffer): number {
    const idx = this.idx;
    const first = oid[0];
    let lo = first === 0 ? 0 : idx.readUInt32BE(8 + (first - 1) * 4);
    let hi = idx.readUInt32BE(8 + first * 4);
    const shaStart = 8 + 256 * 4;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = shaStart + mid * 20;
      const c = idx.compare(oid, 0, 20, at, at + 20);
      if (c === 0) return this.offsetAt(mid);
      if (c > 0) hi = mid;
      else lo = mid + 1;
    }
    return -1;
  }

  /** Where the object at `offset` ends (the next object's offset, or the trailer). */
  end(offset: number): number {
    if (!this.sorted) {
      const sorted = new Float64Array(this.count);
      for (let i = 0; i < this.count; i++) sorted[i] = this.offsetAt(i);
      sorted.sort();
      this.sorted = sorted;
    }
    const sorted = this.sorted;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo < sorted.length ? sorted[lo] : this.size - 20;
  }

  /**
   * The bytes [start, end) of the pack: from a window, read whole when the pack fits in the windows kept (reads
   * in a row then cost one read per window), else only these bytes (random reads in a big pack would otherwise
   * read a window per object).
   */
  bytes(start: number, end: number): Buffer {
    const w = Math.floor(start / WINDOW);
    if (end <= (w + 1) * WINDOW) {
      let win = this.windows.get(w);
      if (!win && this.size > this.maxWindows * WINDOW) return this.readRange(start, end);
      if (!win) {
        win = this.readRange(w * WINDOW, Math.min(this.size, (w + 1) * WINDOW));
        this.windows.set(w, win);
        while (this.windows.size > this.maxWindows) this.windows.delete(this.windows.keys().next().value!);
      }
      return win.subarray(start - w * WINDOW, end - w * WINDOW);
    }
    return this.readRange(start, end);
  }

  private readRange(start: number, end: number): Buffer {
    const buf = Buffer.allocUnsafe(end - start);
    const fd = fs.openSync(this.file, 'r');
    try {
      let got = 0;
      while (got < buf.length) {
        const n = fs.readSync(fd, buf, got, buf.length - got, start + got);
        if (n === 0) throw new Error(`${this.file}: unexpected end of pack`);
        got += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    return buf;
  }
}

export interface PackedObject {
  type: string;
  data: Buffer;
}

/** Parses a version-2 pack index: oid (hex) -> offset in the pack. */
export function parsePackIndex(idx: Buffer): Map<string, number> {
  if (idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2) throw new Error('unsupported pack index');
  const count = idx.readUInt32BE(8 + 255 * 4);
  const shaStart = 8 + 256 * 4;
  const offStart = shaStart + count * 20 + count * 4;
  const largeStart = offStart + count * 4;
  const out = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    let off = idx.readUInt32BE(offStart + i * 4);
    if (off & 0x80000000) {
      const k = off & 0x7fffffff;
      off = Number(idx.readBigUInt64BE(largeStart + k * 8));
    }
    out.set(idx.toString('hex', shaStart + i * 20, shaStart + i * 20 + 20), off);
  }
  return out;
}

/** A delta header's size (little-endian base-128) at `at.pos` in `buf`; `at.pos` moves past it. */
function deltaVarint(buf: Uint8Array, at: { pos: number }): number {
  let result = 0;
  let shift = 0;
  let c: number;
  do {
    c = buf[at.pos++];
    result += (c & 0x7f) * 2 ** shift;
    shift += 7;
  } while (c & 0x80);
  return result;
}

/** Applies a git delta to `base`. */
export function applyDelta(delta: Buffer, base: Buffer): Buffer {
  const at = { pos: 0 };
  const baseSize = deltaVarint(delta, at);
  if (baseSize !== base.length) throw new Error('delta base size mismatch');
  const size = deltaVarint(delta, at);
  let pos = at.pos;
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  while (pos < delta.length) {
    const op = delta[pos++];
    if (op & 0x80) {
      let copyOff = 0;
      let copyLen = 0;
      if (op & 0x01) copyOff |= delta[pos++];
      if (op & 0x02) copyOff |= delta[pos++] << 8;
      if (op & 0x04) copyOff |= delta[pos++] << 16;
      if (op & 0x08) copyOff = (copyOff | (delta[pos++] << 24)) >>> 0;
      if (op & 0x10) copyLen |= delta[pos++];
      if (op & 0x20) copyLen |= delta[pos++] << 8;
      if (op & 0x40) copyLen |= delta[pos++] << 16;
      if (copyLen === 0) copyLen = 0x10000;
      o += base.copy(out, o, copyOff, copyOff + copyLen);
    } else if (op > 0) {
      o += delta.copy(out, o, pos, pos + op);
      pos += op;
    } else {
      throw new Error('invalid delta opcode 0');
    }
  }
  if (o !== size) throw new Error('delta result size mismatch');
  return out;
}

/** compressed bytes inflated to read a delta's (or a loose object's) header; more only when they do not suffice. */
const HEAD_BYTES = 512;

/**
 * The first bytes `compressed` (the start of a zlib stream) inflates to, when they hold a delta header (two complete
 * varints: 20 bytes suffice) or the stream ends; undefined when more input is needed (`whole`: all there is).
 */
export function inflateHead(compressed: Uint8Array, whole = false): Buffer | undefined {
  let out: Buffer;
  try {
    out = nodeZlib().inflateSync(compressed, { finishFlush: nodeZlib().constants.Z_SYNC_FLUSH });
  } catch (err) {
    if (whole) throw err;
    return undefined;
  }
  return out.length >= 20 || whole ? out : undefined;
}

export class PackReader {
  /** decoded objects by pack and offset, kept while they fit in `maxCacheBytes` (delta bases are reused a lot). */
  private readonly decoded = new Map<string, PackedObject>();
  private cachedBytes = 0;
  private packs: Pack[];

  private constructor(
    private readonly dir: string,
    private readonly maxCacheBytes: number,
    private readonly maxWindows: number,
  ) {
    this.packs = this.load([]);
  }

  /**
   * The packs of the repository (indexes read, pack data read on demand). `maxCacheBytes`: decoded objects kept
   * (delta bases); `maxWindowBytes`: pack data kept in memory.
   */
  static open(gitdir: string, maxCacheBytes = 16 * 2 ** 20, maxWindowBytes = 16 * 2 ** 20): PackReader {
    return new PackReader(realGitPath(path.join(gitdir, 'objects', 'pack')), maxCacheBytes, Math.max(1, Math.floor(maxWindowBytes / WINDOW)));
  }

  private load(known: Pack[]): Pack[] {
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.idx'));
    } catch {
      /* no packs */
    }
    const packs: Pack[] = [];
    for (const n of names) {
      const file = path.join(this.dir, n.slice(0, -4) + '.pack');
      const old = known.find((p) => p.file === file);
      if (old) {
        packs.push(old);
        continue;
      }
      try {
        packs.push(new Pack(file, fs.readFileSync(path.join(this.dir, n)), this.maxWindows));
      } catch {
        /* an index (or pack) we cannot read: leave its objects to isomorphic-git */
      }
    }
    return packs;
  }

  /** Looks for packs written since (a fetch): objects not found are looked for again in them. */
  refresh(): void {
    this.packs = this.load(this.packs);
  }

  /** Number of objects indexed. */
  get size(): number {
    return this.packs.reduce((n, p) => n + p.count, 0);
  }

  /** Whether a pack holds `oid` (its index searched; nothing inflated). */
  has(oid: string): boolean {
    return this.locate(oid) !== undefined;
  }

  read(oid: string): PackedObject | undefined {
    const at = this.locate(oid);
    return at && this.readAt(at.pack, at.offset);
  }

  /** Which pack holds `oid`, and where. */
  private locate(oid: string): { pack: number; offset: number } | undefined {
    const key = Buffer.from(oid, 'hex');
    if (key.length !== 20) return undefined;
    for (let i = 0; i < this.packs.length; i++) {
      const offset = this.packs[i].find(key);
      if (offset >= 0) return { pack: i, offset };
    }
    return undefined;
  }

  /**
   * The type and size of `oid` without inflating it, when it is in a pack: the entry header gives them; a delta's size
   * is the result size at the head of its delta data (only those few bytes inflated), its type its base's.
   */
  sizeOf(oid: string): { type: string; size: number } | undefined {
    const at = this.locate(oid);
    return at && this.sizeAt(at.pack, at.offset);
  }

  private sizeAt(packIndex: number, offset: number): { type: string; size: number } {
    const pack = this.packs[packIndex];
    const end = pack.end(offset);
    // the header (at most 10 size bytes and a 20-byte base oid), then the start of the zlib stream
    let data = pack.bytes(offset, Math.min(end, offset + 32 + HEAD_BYTES));
    const { type, size: entrySize, baseDistance, end: pos } = readEntryHeader(data, 0);
    if (type !== OBJ_OFS_DELTA && type !== OBJ_REF_DELTA) {
      if (!TYPES[type]) throw new Error(`unknown pack object type ${type}`);
      return { type: TYPES[type], size: entrySize };
    }
    const start = type === OBJ_REF_DELTA ? pos + 20 : pos;
    let head = inflateHead(data.subarray(start));
    if (!head) {
      data = pack.bytes(offset, end);
      head = inflateHead(data.subarray(start), true);
    }
    // the delta's header: the base's size, then the result's
    const at = { pos: 0 };
    deltaVarint(head!, at);
    const size = deltaVarint(head!, at);
    const baseType =
      type === OBJ_OFS_DELTA
        ? this.sizeAt(packIndex, offset - baseDistance).type
        : (this.sizeOf(data.toString('hex', pos, pos + 20)) ?? (() => {
            throw new Error(`delta base ${data.toString('hex', pos, pos + 20)} not in a pack`);
          })()).type;
    return { type: baseType, size };
  }

  private readAt(packIndex: number, offset: number): PackedObject {
    const pack = this.packs[packIndex];
    const key = `${pack.id}:${offset}`;
    const hit = this.decoded.get(key);
    if (hit) return hit;
    const data = pack.bytes(offset, pack.end(offset));
    // the header's size (of the data, or of a delta's instructions) sizes the inflate's output; zlib knows where the stream ends
    const { type, size, baseDistance, end } = readEntryHeader(data, 0);
    let pos = end;
    let result: PackedObject;
    if (type === OBJ_OFS_DELTA) {
      const base = this.readAt(packIndex, offset - baseDistance);
      result = { type: base.type, data: applyDelta(inflateSized(data.subarray(pos), size), base.data) };
    } else if (type === OBJ_REF_DELTA) {
      const baseOid = data.toString('hex', pos, pos + 20);
      pos += 20;
      const base = this.read(baseOid);
      if (!base) throw new Error(`delta base ${baseOid} not in a pack`);
      result = { type: base.type, data: applyDelta(inflateSized(data.subarray(pos), size), base.data) };
    } else if (TYPES[type]) {
      result = { type: TYPES[type], data: inflateSized(data.subarray(pos), size) };
    } else {
      throw new Error(`unknown pack object type ${type}`);
    }
    if (result.data.length < this.maxCacheBytes / 8) {
      this.decoded.set(key, result);
      this.cachedBytes += result.data.length;
      while (this.cachedBytes > this.maxCacheBytes) {
        const [k, v] = this.decoded.entries().next().value!;
        this.decoded.delete(k);
        this.cachedBytes -= v.data.length;
      }
    }
    return result;
  }
}
