// Indexing a received pack, as `git index-pack` does: every object's id (SHA-1 of its resolved content), its CRC-32
// and offset, written as a version-2 `.idx` (byte for byte what git index-pack writes for the same pack). Objects
// are inflated with Node's native zlib and hashed with node:crypto, synchronously, in slices between which the
// caller's event loop gets a turn. isomorphic-git's own indexing (GitPackIndex.fromPack) inflates in JavaScript
// (pako), hashes each object through WebCrypto's asynchronous digest and builds the fan-out table in 256 passes
// over all ids: about a second of a 10,000-file clone. Pure: no 'vscode'.

import * as crypto from 'crypto';
import * as zlib from 'zlib';
import { applyDelta, inflateSized, OBJ_OFS_DELTA, OBJ_REF_DELTA, readEntryHeader, TYPES } from './packReader';


export interface PackObject {
  type: string;
  data: Buffer;
}

export interface IndexPackOptions {
  /** an object the pack's deltas are based on but does not hold (a thin pack); undefined when unknown. */
  external?: (oid: string) => Promise<PackObject | undefined>;
  /** called every few hundred objects; awaited (it may give the event loop a turn, or throw to stop). */
  onProgress?: (phase: string, loaded: number, total: number) => Promise<void> | void;
  /** inflated objects kept for resolving deltas, bytes (default 64 MB); others are inflated again when needed. */
  maxKeptBytes?: number;
  /** each object of the pack once resolved, with its id (a clone keeps the blobs it is about to check out). */
  onObject?: (oid: Buffer, type: string, data: Buffer) => void;
  /**
   * a thin pack (deltas on objects outside it, read through `external`) is completed as `git index-pack --fix-thin`
   * completes it: those bases are appended to it as whole objects, its object count and checksum rewritten (git reads
   * a ref-delta's base only from the delta's own pack). The completed pack is IndexedPack.pack.
   */
  completeThin?: boolean;
}

export interface IndexedPack {
  /** the `.idx` file's bytes (version 2). */
  idx: Buffer;
  /** the pack's checksum (its last 20 bytes), hex: the files are `pack-<sha>.pack` / `.idx`. */
  sha: string;
  count: number;
  /** the pack to store, when it is not the one received: a thin pack completed (IndexPackOptions.completeThin). */
  pack?: Buffer;
}

function incomplete(why: string): Error {
  return Object.assign(new Error(`The pack received from the remote is incomplete or damaged (${why}).`), { code: 'HAMMOCK_INCOMPLETE_TRANSFER' });
}

const crcTable = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 (zlib's): node's own where it has one (20.15 and later), else a table. */
const crc32: (data: Buffer) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (data) => (zlib as unknown as { crc32: (d: Buffer) => number }).crc32(data) >>> 0
    : (data) => {
        let c = -1;
        for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
        return (c ^ -1) >>> 0;
      };

function sha1Object(type: string, data: Buffer): Buffer {
  return crypto.createHash('sha1').update(`${type} ${data.length}\0`, 'latin1').update(data).digest();
}

/** Indexes `pack` (a whole pack file as received). Throws HAMMOCK_INCOMPLETE_TRANSFER when it is cut or damaged. */
export async function indexPack(pack: Buffer, options: IndexPackOptions = {}): Promise<IndexedPack> {
  if (pack.length < 32 || pack.toString('latin1', 0, 4) !== 'PACK') throw incomplete('no pack header');
  const version = pack.readUInt32BE(4);
  if (version !== 2 && version !== 3) throw new Error(`unsupported pack version ${version}`);
  const count = pack.readUInt32BE(8);
  const trailer = pack.subarray(pack.length - 20);
  if (!crypto.createHash('sha1').update(pack.subarray(0, pack.length - 20)).digest().equals(trailer)) throw incomplete('checksum mismatch');
  const body = pack.length - 20;
  const onProgress = options.onProgress;
  const step = Math.max(1, Math.min(256, Math.ceil(count / 100)));

  const offsets = new Float64Array(count);
  const kinds = new Uint8Array(count);
  /** where each object's zlib stream starts. */
  const dataStarts = new Float64Array(count);
  /** ofs-delta: the base's offset; -1 otherwise. */
  const baseOffsets = new Float64Array(count).fill(-1);
  const baseOids = new Map<number, string>();
  const crcs = new Uint32Array(count);
  const inflated: (Buffer | undefined)[] = new Array(count);
  const maxKept = options.maxKeptBytes ?? 64 * 2 ** 20;
  let kept = 0;

  /** each object's inflated size, as its header says. */
  const sizes = new Float64Array(count);
  const inflateAt = (i: number): Buffer => {
    let out: Buffer;
    try {
      out = inflateSized(pack.subarray(dataStarts[i], body), sizes[i]);
    } catch {
      throw incomplete(`object ${i} does not inflate`);
    }
    if (out.length !== sizes[i]) throw incomplete(`object ${i} has the wrong size`);
    return out;
  };

  // pass 1: headers, inflated data, CRC-32s
  let pos = 12;
  for (let i = 0; i < count; i++) {
    if (onProgress && i % step === 0) await onProgress('Receiving objects', i, count);
    if (pos >= body) throw incomplete('fewer objects than announced');
    offsets[i] = pos;
    const { type: kind, size, baseDistance: rel, end } = readEntryHeader(pack, pos);
    pos = end;
    if (kind === OBJ_OFS_DELTA) {
      if (rel <= 0 || rel > offsets[i]) throw incomplete(`object ${i} has a bad delta base offset`);
      baseOffsets[i] = offsets[i] - rel;
    } else if (kind === OBJ_REF_DELTA) {
      baseOids.set(i, pack.toString('hex', pos, pos + 20));
      pos += 20;
    } else if (!TYPES[kind]) {
      throw incomplete(`object ${i} has unknown type ${kind}`);
    }
    kinds[i] = kind;
    dataStarts[i] = pos;
    sizes[i] = size;
    let out: { buffer: Buffer; engine: { bytesWritten: number } };
    try {
      out = inflateSized(pack.subarray(pos, body), size, true);
    } catch {
      throw incomplete(`object ${i} does not inflate`);
    }
    if (out.buffer.length !== size) throw incomplete(`object ${i} has the wrong size`);
    pos += out.engine.bytesWritten;
    crcs[i] = crc32(pack.subarray(offsets[i], pos));
    if (kept + size <= maxKept) {
      inflated[i] = out.buffer;
      kept += size;
    }
  }
  if (pos !== body) throw incomplete('data after the last object');

  // pass 2: resolve deltas, hash
  const indexOfOffset = new Map<number, number>();
  for (let i = 0; i < count; i++) indexOfOffset.set(offsets[i], i);
  const oids = Buffer.alloc(count * 20);
  const done = new Uint8Array(count);
  const indexOfOid = new Map<string, number>();
  /** the bases outside the pack its ref-deltas were resolved on (a thin pack), in the order they were read. */
  const externals = new Map<string, PackObject>();
  /** resolved objects kept for deltas based on them (small FIFO budget: bases come shortly before their deltas). */
  const resolved = new Map<number, PackObject>();
  let resolvedBytes = 0;
  const keep = (i: number, o: PackObject): void => {
    if (o.data.length > maxKept / 8) return;
    resolved.set(i, o);
    resolvedBytes += o.data.length;
    while (resolvedBytes > maxKept) {
      const [k, v] = resolved.entries().next().value!;
      resolved.delete(k);
      resolvedBytes -= v.data.length;
    }
  };
  const raw = (i: number): Buffer => inflated[i] ?? inflateAt(i);
  /** delta object i applied onto its base's content. */
  const undelta = (i: number, base: PackObject): PackObject => {
    try {
      return { type: base.type, data: applyDelta(raw(i), base.data) };
    } catch (err) {
      throw incomplete(`object ${i}: ${(err as Error).message}`);
    }
  };
  /** The content of object i; undefined when it is a ref-delta whose base is not known yet. */
  const resolve = async (i: number, depth = 0): Promise<PackObject | undefined> => {
    const hit = resolved.get(i);
    if (hit) return hit;
    if (depth > 10_000) throw incomplete('delta chain too long');
    const kind = kinds[i];
    let obj: PackObject;
    if (kind !== OBJ_OFS_DELTA && kind !== OBJ_REF_DELTA) {
      obj = { type: TYPES[kind], data: raw(i) };
    } else {
      let base: PackObject | undefined;
      if (kind === OBJ_OFS_DELTA) {
        const b = indexOfOffset.get(baseOffsets[i]);
        if (b === undefined) throw incomplete(`object ${i}'s delta base is not an object`);
        base = await resolve(b, depth + 1);
      } else {
        const oid = baseOids.get(i)!;
        const b = indexOfOid.get(oid);
        base = b !== undefined ? await resolve(b, depth + 1) : externals.get(oid);
      }
      if (!base) return undefined;
      obj = undelta(i, base);
    }
    keep(i, obj);
    return obj;
  };
  const finish = (i: number, obj: PackObject): void => {
    const oid = sha1Object(obj.type, obj.data);
    oid.copy(oids, i * 20);
    indexOfOid.set(oid.toString('hex'), i);
    options.onObject?.(oid, obj.type, obj.data);
    done[i] = 1;
    inflated[i] = undefined; // resolved: its inflated delta is no longer needed
  };
  let finished = 0;
  let pending: number[] = [];
  for (let i = 0; i < count; i++) {
    if (onProgress && i % step === 0) await onProgress('Resolving deltas', finished, count);
    const obj = await resolve(i);
    if (obj) {
      finish(i, obj);
      finished++;
    } else pending.push(i);
  }
  // ref-deltas whose base came later in the pack, or is outside it
  while (pending.length) {
    const still: number[] = [];
    for (const i of pending) {
      const obj = await resolve(i);
      if (obj) {
        finish(i, obj);
        finished++;
      } else still.push(i);
    }
    if (still.length === pending.length) {
      // bases outside the pack (a thin pack): read from the repository
      // (the other deltas on the same base find it in `externals` in the next pass)
      const i = still[0];
      const oid = baseOids.get(i)!;
      const base = await options.external?.(oid);
      if (!base) throw incomplete(`delta base ${oid} is missing`);
      externals.set(oid, base);
      const obj = undelta(i, base);
      keep(i, obj);
      finish(i, obj);
      finished++;
      still.shift();
    }
    pending = still;
  }
  if (onProgress) await onProgress('Resolving deltas', count, count);
  if (options.completeThin && externals.size) return completeThinPack(pack, count, oids, crcs, offsets, externals);
  return { idx: writeIdx(count, oids, crcs, offsets, trailer), sha: trailer.toString('hex'), count };
}

/** A pack entry's header for a whole object: its type and inflated size (git's pack format). */
function entryHeader(type: number, size: number): Buffer {
  const bytes: number[] = [];
  let c = (type << 4) | (size & 15);
  size = Math.floor(size / 16);
  while (size > 0) {
    bytes.push(c | 0x80);
    c = size & 0x7f;
    size = Math.floor(size / 128);
  }
  bytes.push(c);
  return Buffer.from(bytes);
}

/**
 * Bases appended to a thin pack up to this size are compressed (zlib's fastest level); larger ones are stored as
 * they are (zlib level 0, which git reads as any other): compressing the tree of a 10,000-file folder (680 KB, most
 * of it object ids, which do not compress: 451 KB at level 1) took 15-50 ms on two busy cores, on the critical path
 * of every pull that changes a file in it. (A repack keeps such an object as it is stored unless it makes it a
 * delta; `git repack -F` compresses it again.)
 */
const COMPRESSED_BASE_MAX = 64 * 1024;

/**
 * `pack` (received thin, `count` objects, indexed as `oids`, `crcs`, `offsets`) with the bases in `externals`
 * appended as whole objects, and its index: what `git index-pack --fix-thin` stores (COMPRESSED_BASE_MAX: how).
 */
function completeThinPack(pack: Buffer, count: number, oids: Buffer, crcs: Uint32Array, offsets: Float64Array, externals: Map<string, PackObject>): IndexedPack {
  const total = count + externals.size;
  const allOids = Buffer.alloc(total * 20);
  oids.copy(allOids);
  const allCrcs = new Uint32Array(total);
  allCrcs.set(crcs);
  const allOffsets = new Float64Array(total);
  allOffsets.set(offsets);
  const parts: Buffer[] = [Buffer.alloc(12), pack.subarray(12, pack.length - 20)];
  pack.copy(parts[0], 0, 0, 12);
  parts[0].writeUInt32BE(total, 8);
  let at = pack.length - 20;
  let k = count;
  for (const [oid, base] of externals) {
    const kind = TYPES.indexOf(base.type);
    if (kind < 1) throw incomplete(`delta base ${oid} is a ${base.type}`);
    const level = base.data.length <= COMPRESSED_BASE_MAX ? zlib.constants.Z_BEST_SPEED : zlib.constants.Z_NO_COMPRESSION;
    const entry = Buffer.concat([entryHeader(kind, base.data.length), zlib.deflateSync(base.data, { level })]);
    parts.push(entry);
    allOids.write(oid, k * 20, 'hex');
    allCrcs[k] = crc32(entry);
    allOffsets[k] = at;
    at += entry.length;
    k++;
  }
  const hash = crypto.createHash('sha1');
  for (const part of parts) hash.update(part);
  const trailer = hash.digest();
  const completed = Buffer.concat([...parts, trailer]);
  return { idx: writeIdx(total, allOids, allCrcs, allOffsets, trailer), sha: trailer.toString('hex'), count: total, pack: completed };
}

/** A version-2 pack index: fan-out, sorted ids, CRC-32s, offsets (64-bit ones in their own table), checksums. */
function writeIdx(count: number, oids: Buffer, crcs: Uint32Array, offsets: Float64Array, packSha: Buffer): Buffer {
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => oids.compare(oids, b * 20, b * 20 + 20, a * 20, a * 20 + 20));
  for (let k = 1; k < count; k++) {
    if (oids.compare(oids, order[k] * 20, order[k] * 20 + 20, order[k - 1] * 20, order[k - 1] * 20 + 20) === 0) {
      throw incomplete(`object ${oids.toString('hex', order[k] * 20, order[k] * 20 + 20)} is in the pack twice`);
    }
  }
  const large = order.filter((i) => offsets[i] >= 0x80000000);
  const size = 8 + 256 * 4 + count * 28 + large.length * 8 + 40;
  const out = Buffer.alloc(size);
  out.writeUInt32BE(0xff744f63, 0);
  out.writeUInt32BE(2, 4);
  const fanout = new Uint32Array(256);
  for (let i = 0; i < count; i++) fanout[oids[i * 20]]++;
  let sum = 0;
  for (let b = 0; b < 256; b++) {
    sum += fanout[b];
    out.writeUInt32BE(sum, 8 + b * 4);
  }
  let at = 8 + 256 * 4;
  for (const i of order) {
    oids.copy(out, at, i * 20, i * 20 + 20);
    at += 20;
  }
  for (const i of order) {
    out.writeUInt32BE(crcs[i], at);
    at += 4;
  }
  let nextLarge = 0;
  const largeAt = at + count * 4;
  for (const i of order) {
    const off = offsets[i];
    if (off >= 0x80000000) {
      out.writeUInt32BE((0x80000000 | nextLarge) >>> 0, at);
      out.writeBigUInt64BE(BigInt(off), largeAt + nextLarge * 8);
      nextLarge++;
    } else {
      out.writeUInt32BE(off, at);
    }
    at += 4;
  }
  at = largeAt + large.length * 8;
  packSha.copy(out, at);
  at += 20;
  crypto.createHash('sha1').update(out.subarray(0, at)).digest().copy(out, at);
  return out;
}
