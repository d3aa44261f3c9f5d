// The pack of a clone or fetch, taken out of the upload-pack response before isomorphic-git sees it, and indexed by
// packIndexer.ts (native zlib, synchronous SHA-1) instead of isomorphic-git's GitPackIndex.fromPack. The response
// is pkt-lines (git's protocol; isomorphic-git always asks for side-band-64k): the pack travels in band 1, the
// remote's progress in band 2, a fatal error in band 3, before them the ACK/NAK and shallow lines. Band 1 is kept
// here and everything else passes through unchanged, so isomorphic-git reads the same lines, progress and errors
// and an empty pack, which it does not store or index (its own check). When the response ends, the pack is handed
// to `onPack` (index and store), before isomorphic-git goes on: the objects are there when it writes the refs and
// HEAD. A response cut mid-line is passed on as it came (isomorphic-git reports it as before); a pack cut between
// lines fails its checksum in the indexer. Pure: no 'vscode'.

import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';

function isUploadPack(req: GitHttpRequest): boolean {
  if ((req.method ?? 'GET').toUpperCase() !== 'POST') return false;
  try {
    return new URL(req.url).pathname.endsWith('/git-upload-pack');
  } catch {
    return false;
  }
}

const HEX4 = /^[0-9a-fA-F]{4}$/;

/** `body` without its band-1 (pack) packets; the pack's bytes go to `onPack` once the body has ended whole. */
export async function* withoutPackData(body: AsyncIterable<Uint8Array>, onPack: (pack: Buffer) => Promise<void>): AsyncGenerator<Uint8Array> {
  let pending: Buffer = Buffer.alloc(0);
  const pack: Buffer[] = [];
  let passThrough = false;
  for await (const chunk of body) {
    if (passThrough) {
      yield chunk;
      continue;
    }
    const c = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = pending.length ? Buffer.concat([pending, c]) : c;
    const out: Buffer[] = [];
    let at = 0;
    while (buf.length - at >= 4) {
      const hex = buf.toString('latin1', at, at + 4);
      if (!HEX4.test(hex)) {
        passThrough = true; // not pkt-lines: isomorphic-git says what it makes of them
        break;
      }
      const len = parseInt(hex, 16);
      if (len < 4) {
        out.push(buf.subarray(at, at + 4)); // flush, delimiter (or garbage isomorphic-git will refuse)
        at += 4;
        continue;
      }
      if (buf.length - at < len) break;
      if (buf[at + 4] === 1) pack.push(Buffer.from(buf.subarray(at + 5, at + len)));
      else out.push(buf.subarray(at, at + len));
      at += len;
    }
    if (passThrough) {
      out.push(buf.subarray(at));
      pending = Buffer.alloc(0);
    } else {
      pending = Buffer.from(buf.subarray(at));
    }
    if (out.length) yield out.length === 1 ? out[0] : Buffer.concat(out);
  }
  if (pending.length) {
    yield pending; // cut mid-line: isomorphic-git fails the transfer as it does for any cut response
    return;
  }
  if (pack.length && !passThrough) await onPack(pack.length === 1 ? pack[0] : Buffer.concat(pack));
}

/** `http`, with the pack of every upload-pack response given to `onPack` instead of isomorphic-git. */
export function capturePacks(http: HttpClient, onPack: (pack: Buffer) => Promise<void>): HttpClient {
  return {
    async request(req: GitHttpRequest): Promise<GitHttpResponse> {
      const res = await http.request(req);
      if (res.statusCode === 200 && res.body && isUploadPack(req)) {
        return { ...res, body: withoutPackData(res.body, onPack) as AsyncIterableIterator<Uint8Array> };
      }
      return res;
    },
  };
}
