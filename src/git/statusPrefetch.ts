// What the status worker's first status needs from `.git` besides the working tree, read on the extension host
// while the worker thread starts (StatusWorkerClient): the thread would otherwise start by reading it, one step
// after another, in code its new isolate has not compiled yet. Both reads are asynchronous (the thread pool does the
// file I/O); what runs on the host's thread is a few small buffers' worth of work. The index's bytes come from
// indexCache.readIndexBytes; this file reads the tree of HEAD's commit.

import * as crypto from 'crypto';
import * as fsp from 'fs/promises';
import * as path from 'path';
import * as zlib from 'zlib';
import { readEntryHeader } from './packReader';

const OID = /^[0-9a-f]{40}$/;
/** a commit object larger than this is left to the worker (commits are a few hundred bytes). */
const MAX_COMMIT = 64 * 1024;

/**
 * The tree of commit `oid`, read from its loose object or from a pack where it is stored whole (not as a delta);
 * undefined whenever it cannot be read that way (a delta, a large pack offset, alternates, any error): the
 * worker then reads the commit itself. The object read is checked against its oid (SHA-1 of what was inflated),
 * so a mistake here can only make it undefined, never wrong.
 */
export async function commitTreeOf(gitdir: string, oid: string): Promise<string | undefined> {
  if (!OID.test(oid)) return undefined;
  try {
    const data = (await looseObject(gitdir, oid)) ?? (await packedCommit(gitdir, oid));
    if (!data) return undefined;
    const header = `commit ${data.length}\0`;
    if (crypto.createHash('sha1').update(header).update(data).digest('hex') !== oid) return undefined;
    const m = /^tree ([0-9a-f]{40})\n/.exec(data.toString('latin1', 0, 46));
    return m ? m[1] : undefined;
  } catch {
    return undefined;
  }
}

/** The content of the loose object `oid` when it is a commit; undefined when there is no loose object. */
async function looseObject(gitdir: string, oid: string): Promise<Buffer | undefined> {
  let raw: Buffer;
  try {
    raw = await fsp.readFile(path.join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2)));
  } catch {
    return undefined;
  }
  const all = zlib.inflateSync(raw);
  const nul = all.indexOf(0);
  if (nul < 0 || all.toString('latin1', 0, 7) !== 'commit ') return undefined;
  return all.subarray(nul + 1);
}

/** The content of commit `oid` from a pack holding it whole; undefined otherwise. */
async function packedCommit(gitdir: string, oid: string): Promise<Buffer | undefined> {
  const dir = path.join(gitdir, 'objects', 'pack');
  const want = Buffer.from(oid, 'hex');
  for (const name of await fsp.readdir(dir)) {
    if (!name.endsWith('.idx')) continue;
    const offset = await offsetInPack(path.join(dir, name), want);
    if (offset === undefined) continue;
    return readWholeCommit(path.join(dir, name.slice(0, -4) + '.pack'), offset);
  }
  return undefined;
}

/** Where `oid` is in the pack of the version-2 index `idxFile` (undefined: not there, or at a 64-bit offset). */
async function offsetInPack(idxFile: string, oid: Buffer): Promise<number | undefined> {
  const fh = await fsp.open(idxFile, 'r');
  try {
    const head = Buffer.alloc(8 + 256 * 4);
    if ((await fh.read(head, 0, head.length, 0)).bytesRead !== head.length) return undefined;
    if (head.readUInt32BE(0) !== 0xff744f63 || head.readUInt32BE(4) !== 2) return undefined;
    const count = head.readUInt32BE(8 + 255 * 4);
    const first = oid[0] === 0 ? 0 : head.readUInt32BE(8 + (oid[0] - 1) * 4);
    const last = head.readUInt32BE(8 + oid[0] * 4);
    if (last <= first) return undefined;
    const oids = Buffer.alloc((last - first) * 20);
    if ((await fh.read(oids, 0, oids.length, 8 + 1024 + first * 20)).bytesRead !== oids.length) return undefined;
    let k = -1;
    for (let lo = 0, hi = last - first; lo < hi && k < 0; ) {
      const mid = (lo + hi) >> 1;
      const c = oid.compare(oids, mid * 20, mid * 20 + 20);
      if (c === 0) k = mid;
      else if (c < 0) hi = mid;
      else lo = mid + 1;
    }
    if (k < 0) return undefined;
    const off = Buffer.alloc(4);
    if ((await fh.read(off, 0, 4, 8 + 1024 + count * 24 + (first + k) * 4)).bytesRead !== 4) return undefined;
    const value = off.readUInt32BE(0);
    return value & 0x80000000 ? undefined : value;
  } finally {
    await fh.close();
  }
}

/** The commit stored whole at `offset` of `packFile`; undefined when the entry is a delta or not a commit. */
async function readWholeCommit(packFile: string, offset: number): Promise<Buffer | undefined> {
  const fh = await fsp.open(packFile, 'r');
  try {
    const first = Buffer.alloc(32);
    const got = (await fh.read(first, 0, first.length, offset)).bytesRead;
    const { type, size, end } = readEntryHeader(first.subarray(0, got), 0);
    if (type !== 1 || size > MAX_COMMIT || end >= got) return undefined;
    // deflate adds a few bytes per 16 kB block and 11 in all at most on incompressible data
    const body = Buffer.alloc(size + 64);
    const n = (await fh.read(body, 0, body.length, offset + end)).bytesRead;
    const data = zlib.inflateSync(body.subarray(0, n), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    return data.length === size ? data : undefined;
  } finally {
    await fh.close();
  }
}
