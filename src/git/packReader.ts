// Reads objects straight from `.git/objects/pack/*.pack` through their `.idx` (version 2), with Node's native
// zlib and our own delta application. Used where thousands of blobs are read in a row (checking out a clone or a
// large pull): isomorphic-git looks for a loose object first (a failed open per object) and inflates in
// JavaScript (pako), which made reading 10,000 blobs cost seconds. Objects not in a pack: undefined (the caller
// asks isomorphic-git).

import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

const OBJ_OFS_DELTA = 6;
const OBJ_REF_DELTA = 7;
const TYPES = ['', 'commit', 'tree', 'blob', 'tag'];
/** packs are read whole into memory; bigger ones are left to isomorphic-git. */
const MAX_PACK_BYTES = 256 * 2 ** 20;

interface Pack {
  data: Buffer;
  offsets: Map<string, number>;
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

/** Applies a git delta to `base`. */
export function applyDelta(delta: Buffer, base: Buffer): Buffer {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    let c: number;
    do {
      c = delta[pos++];
      result += (c & 0x7f) * 2 ** shift;
      shift += 7;
    } while (c & 0x80);
    return result;
  };
  const baseSize = varint();
  if (baseSize !== base.length) throw new Error('delta base size mismatch');
  const size = varint();
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

export class PackReader {
  /** decoded objects by pack and offset, kept while they fit in `maxCacheBytes` (delta bases are reused a lot). */
  private readonly decoded = new Map<string, PackedObject>();
  private cachedBytes = 0;

  private constructor(
    private readonly packs: Pack[],
    private readonly maxCacheBytes: number,
  ) {}

  /** Loads every pack of the repository (index parsed, pack data read into memory). */
  static open(gitdir: string, maxCacheBytes = 32 * 2 ** 20): PackReader {
    const dir = path.join(gitdir, 'objects', 'pack');
    const packs: Pack[] = [];
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.idx'));
    } catch {
      /* no packs */
    }
    for (const n of names) {
      const base = path.join(dir, n.slice(0, -4));
      try {
        if (fs.statSync(base + '.pack').size > MAX_PACK_BYTES) continue; // huge packs: leave to isomorphic-git
        packs.push({ offsets: parsePackIndex(fs.readFileSync(base + '.idx')), data: fs.readFileSync(base + '.pack') });
      } catch {
        /* an index we cannot read: leave its objects to isomorphic-git */
      }
    }
    return new PackReader(packs, maxCacheBytes);
  }

  /** Number of objects indexed. */
  get size(): number {
    return this.packs.reduce((n, p) => n + p.offsets.size, 0);
  }

  read(oid: string): PackedObject | undefined {
    for (let i = 0; i < this.packs.length; i++) {
      const off = this.packs[i].offsets.get(oid);
      if (off !== undefined) return this.readAt(i, off);
    }
    return undefined;
  }

  private readAt(packIndex: number, offset: number): PackedObject {
    const key = `${packIndex}:${offset}`;
    const hit = this.decoded.get(key);
    if (hit) return hit;
    const { data } = this.packs[packIndex];
    let pos = offset;
    let c = data[pos++];
    const type = (c >> 4) & 7;
    while (c & 0x80) c = data[pos++]; // size: not needed, zlib knows where the stream ends
    let result: PackedObject;
    if (type === OBJ_OFS_DELTA) {
      c = data[pos++];
      let rel = c & 0x7f;
      while (c & 0x80) {
        c = data[pos++];
        rel = (rel + 1) * 128 + (c & 0x7f);
      }
      const base = this.readAt(packIndex, offset - rel);
      result = { type: base.type, data: applyDelta(zlib.inflateSync(data.subarray(pos)), base.data) };
    } else if (type === OBJ_REF_DELTA) {
      const baseOid = data.toString('hex', pos, pos + 20);
      pos += 20;
      const base = this.read(baseOid);
      if (!base) throw new Error(`delta base ${baseOid} not in a pack`);
      result = { type: base.type, data: applyDelta(zlib.inflateSync(data.subarray(pos)), base.data) };
    } else if (TYPES[type]) {
      result = { type: TYPES[type], data: zlib.inflateSync(data.subarray(pos)) };
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
