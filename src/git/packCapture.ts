// The pack of a clone or fetch, taken out of the upload-pack response before isomorphic-git sees it, and indexed by
// packIndexer.ts (native zlib, synchronous SHA-1) instead of isomorphic-git's GitPackIndex.fromPack. The response
// is pkt-lines (git's protocol; isomorphic-git always asks for side-band-64k): the pack travels in band 1, the
// remote's progress in band 2, a fatal error in band 3, before them the ACK/NAK and shallow lines. Band 1 is kept
// here and everything else passes through unchanged, so isomorphic-git reads the same lines, progress and errors
// and an empty pack, which it does not store or index (its own check). When the response ends, the pack is handed
// to `onPack` (index and store), before isomorphic-git goes on: the objects are there when it writes the refs and
// HEAD. A response cut mid-line is passed on as it came (isomorphic-git reports it as before); a pack cut between
// lines fails its checksum in the indexer. isomorphic-git asks for no thin pack (it could not store one git reads):
// with `thin`, the request asks for one as git fetch does, and the indexer completes it. Pure: no 'vscode'.

import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';

/**
 * What `req` asks of upload-pack: 'pack' (`POST .../git-upload-pack`), 'refs' (its ref advertisement, `GET
 * .../info/refs?service=git-upload-pack`), or nothing of it.
 */
function uploadPackAsk(req: GitHttpRequest): 'pack' | 'refs' | undefined {
  const method = (req.method ?? 'GET').toUpperCase();
  try {
    const u = new URL(req.url);
    if (method === 'POST') return u.pathname.endsWith('/git-upload-pack') ? 'pack' : undefined;
    return method === 'GET' && u.pathname.endsWith('/info/refs') && u.searchParams.get('service') === 'git-upload-pack' ? 'refs' : undefined;
  } catch {
    return undefined;
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

/** Whether a v1 ref advertisement (`<oid> <ref>\0<capabilities>` on its first ref line) offers `capability`. */
export function advertises(advertisement: Buffer, capability: string): boolean {
  for (const line of pktLines(advertisement)) {
    const nul = line.indexOf('\0');
    if (nul >= 0) return line.slice(nul + 1).trim().split(' ').includes(capability);
  }
  return false;
}

/** The text of each pkt-line of `data` (git's protocol framing), its newline removed; flush and delimiter packets skipped. */
export function pktLines(data: Buffer): string[] {
  const lines: string[] = [];
  let at = 0;
  while (at + 4 <= data.length) {
    const len = parseInt(data.toString('latin1', at, at + 4), 16);
    if (Number.isNaN(len)) break;
    if (len < 4) {
      at += 4;
      continue;
    }
    lines.push(data.toString('utf8', at + 4, at + len).replace(/\n$/, ''));
    at += len;
  }
  return lines;
}

/**
 * An upload-pack request (pkt-lines; its first `want` line carries the capabilities) asking for a thin pack as well:
 * the remote may then send deltas on objects we told it we have (`have`), which the pack's indexing appends
 * (IndexPackOptions.completeThin). The request as it was when it has no capabilities there or asks already.
 */
export function askingThinPack(request: Buffer): Buffer {
  if (request.length < 4 || !HEX4.test(request.toString('latin1', 0, 4))) return request;
  const len = parseInt(request.toString('latin1', 0, 4), 16);
  if (len < 4 || len > request.length) return request;
  const line = request.toString('latin1', 4, len);
  const m = /^(want [0-9a-f]{40,64} [^\n]*?)(\n?)$/.exec(line);
  if (!m || m[1].split(' ').slice(2).includes('thin-pack')) return request;
  const asked = Buffer.from(`${m[1]} thin-pack${m[2]}`, 'latin1');
  const head = Buffer.from((asked.length + 4).toString(16).padStart(4, '0'), 'latin1');
  return Buffer.concat([head, asked, request.subarray(len)]);
}

async function* once(data: Buffer): AsyncIterableIterator<Uint8Array> {
  yield data;
}

/** A request's or response's whole body. */
export async function collect(body: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Uint8Array | undefined): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const c of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/**
 * `http`, with the pack of every upload-pack response given to `onPack` instead of isomorphic-git. `thin`: the
 * upload-pack requests ask for a thin pack (git fetch does) when the remote offers one (its ref advertisement, read
 * as it passes through), and `onPack` must complete it. For a pull of a few files in a folder of 10,000, the remote
 * then sends that folder's tree as a delta of a few hundred bytes instead of the whole tree (450 KB), which it had
 * to compress for the purpose.
 */
export function capturePacks(http: HttpClient, onPack: (pack: Buffer) => Promise<void>, options: { thin?: boolean } = {}): HttpClient {
  let thinOffered = false;
  return {
    async request(req: GitHttpRequest): Promise<GitHttpResponse> {
      const ask = uploadPackAsk(req);
      const upload = ask === 'pack';
      if (upload && options.thin && thinOffered && req.body) req = { ...req, body: once(askingThinPack(await collect(req.body))) };
      const res = await http.request(req);
      if (res.statusCode === 200 && res.body && upload) {
        return { ...res, body: withoutPackData(res.body, onPack) as AsyncIterableIterator<Uint8Array> };
      }
      if (res.statusCode === 200 && res.body && options.thin && ask === 'refs') {
        const body = await collect(res.body);
        thinOffered = advertises(body, 'thin-pack');
        return { ...res, body: once(body) };
      }
      return res;
    },
  };
}

/** Whether `req` asks for an upload-pack ref advertisement (`GET .../info/refs?service=git-upload-pack`). */
export function isUploadPackAdvertisement(req: GitHttpRequest): boolean {
  return uploadPackAsk(req) === 'refs';
}

/** Whether `req` asks upload-pack for a pack (`POST .../git-upload-pack`: the wants and haves). */
export function isUploadPackRequest(req: GitHttpRequest): boolean {
  return uploadPackAsk(req) === 'pack';
}
