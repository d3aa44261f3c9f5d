// The last responses of each request (20 by default), kept in the workspace's storage folder (never in the repo):
// one JSON file per request under `<storageUri>/responses/`. Without a storage folder (no workspace) they live in
// memory only. A body larger than `INLINE_BODY` is kept beside the request's file, as its bytes in a file of its own
// (`<file>.bodies/<name>.bin`), and the JSON names it: a Send of a response of MBs writes those bytes once, and neither
// it nor the next Send turns every kept body into JSON text (seconds of a blocked extension host for a few MB each).
// The values a Send carried from secrets (a private environment, the vault, Authorization credentials) are masked in
// every file written (URL, headers, timeline, cURL, console, body): after a reload the history shows `••••••` there.
//
// A request is filed by what does not change when its collection file is moved or renamed: the collection's
// workspace id and the request's id. Each response also says which file it was sent from, so two files holding the
// same workspace id (a copy) keep their own responses: a request shows the responses sent from its file, and those
// of a file that no longer holds the request when its file is the only one that does (the file moved there). The
// files of earlier versions (filed by path and id) are taken in when their request's history is first read.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ResponseMeta } from './protocol';
import { httpEngine } from './httpEngine';

/** One response, as stored. The body is kept as base64, cut at `MAX_STORED_BODY` bytes. */
export interface ResponseRecord extends ResponseMeta {
  readonly requestId: string;
  readonly bodyBase64: string;
  /** the stored body is shorter than the received one. */
  readonly bodyCut: boolean;
  /** the whole body on disk when it was too large to keep in memory (a temp file of the HTTP engine). */
  readonly bodyFile?: string;
  /** the request as a cURL command line (secrets as sent in this session, masked in the file; never posted to the UI). */
  readonly curl: string;
  /**
   * The values sent that came from secrets (a private environment, the vault, an Authorization header): kept in
   * memory only, never written; every file written has them masked (this session's record keeps them as sent).
   */
  readonly secrets?: readonly string[];
}

export const MAX_STORED_BODY = 5 * 1024 * 1024;

/** Bodies up to this many base64 characters stay in the JSON file; larger ones get a file of their own. */
const INLINE_BODY = 64 * 1024;

/** Which request's responses: the collection (its file and workspace id) and the request's id. */
export interface ResponseOwner {
  readonly collectionPath: string;
  readonly collectionId: string;
  readonly requestId: string;
}

/**
 * A response as kept: with the collection file it was sent from, and for a large body the name of the file holding
 * its bytes (in `<file>.bodies/`).
 */
type Kept = ResponseRecord & { readonly collectionPath: string; readonly storedBody?: string };

/** The paths of the collection files with this workspace id that hold this request now (from the store). */
export type RequestHolders = (collectionId: string, requestId: string) => readonly string[];

export class ResponseHistory {
  /** every kept response of a request (all its files), newest first, by `fileKey`. */
  private readonly cache = new Map<string, Kept[]>();
  /** the files of earlier versions already taken in (by their old key, `path#requestId`). */
  private readonly migrated = new Set<string>();
  /** the writes of the files, in order. */
  private writing: Promise<void> = Promise.resolve();
  /** the body files known to be on disk (written, or read), by path. */
  private readonly bodiesOnDisk = new Set<string>();

  constructor(
    /** folder to write into, or undefined for memory only. */
    private readonly dir: string | undefined,
    /** where the request is now: which of its files' responses it shows after a move. */
    private readonly holders: RequestHolders,
    readonly limit = 20,
  ) {}

  private fileOf(key: string): string | undefined {
    return this.dir && path.join(this.dir, `${createHash('sha1').update(key).digest('hex')}.json`);
  }

  /** newest first. */
  async list(owner: ResponseOwner): Promise<ResponseRecord[]> {
    return (await this.own(owner)).mine;
  }

  async latest(owner: ResponseOwner): Promise<ResponseRecord | undefined> {
    return (await this.list(owner))[0];
  }

  async add(owner: ResponseOwner, record: ResponseRecord): Promise<ResponseRecord[]> {
    const { mine, others } = await this.own(owner);
    const all = [{ ...record, collectionPath: owner.collectionPath }, ...mine];
    const list = all.slice(0, this.limit);
    const saved = this.save(owner, newestFirst([...list, ...others]));
    // a dropped response's spilled body (a temp file of the HTTP engine) goes with it
    for (const old of all.slice(this.limit)) if (old.bodyFile) await fsp.rm(old.bodyFile, { force: true });
    await saved;
    return list;
  }

  /**
   * The responses a request shows (`mine`): those sent from its file, and those of a file that no longer holds the
   * request when its file is the only one that does (it moved there). These become its file's, kept so: a copy made
   * later does not make them ambiguous. `others`: those of other files with the same workspace id.
   */
  private async own(owner: ResponseOwner): Promise<{ mine: Kept[]; others: Kept[] }> {
    const all = await this.load(owner);
    let holders: readonly string[] | undefined;
    const movedHere = (from: string) => {
      holders ??= this.holders(owner.collectionId, owner.requestId);
      return holders.length === 1 && holders[0] === owner.collectionPath && !holders.includes(from);
    };
    const mine: Kept[] = [];
    const others: Kept[] = [];
    let adopted = false;
    for (const r of all) {
      if (r.collectionPath === owner.collectionPath) mine.push(r);
      else if (movedHere(r.collectionPath)) {
        mine.push({ ...r, collectionPath: owner.collectionPath });
        adopted = true;
      } else others.push(r);
    }
    if (adopted) await this.save(owner, newestFirst([...mine, ...others]));
    return { mine, others };
  }

  private async load(owner: ResponseOwner): Promise<Kept[]> {
    const key = fileKey(owner);
    let all = this.cache.get(key);
    if (!all) {
      const read = (await this.readRecords(this.fileOf(key))).filter((r): r is Kept => typeof r.collectionPath === 'string');
      // (another call may have read it meanwhile, and added to it)
      all = this.cache.get(key) ?? read;
      this.cache.set(key, all);
    }
    // the file an earlier version kept for this request at this path: its responses join, sent from this path
    const oldKey = `${owner.collectionPath}#${owner.requestId}`;
    if (this.dir && !this.migrated.has(oldKey)) {
      this.migrated.add(oldKey);
      const oldFile = this.fileOf(oldKey)!;
      const old = await this.readRecords(oldFile);
      if (old.length) {
        all = newestFirst([...(this.cache.get(key) ?? all), ...old.map((r) => ({ ...r, collectionPath: owner.collectionPath }))]);
        await this.save(owner, all);
        await fsp.rm(oldFile, { force: true });
      }
    }
    return all;
  }

  /**
   * Keeps a request's responses: in memory at once (the next add reads them), then on disk, one write at a time: the
   * bodies not on disk yet, then the JSON (large bodies by name), then the body files no response names any more.
   */
  private save(owner: ResponseOwner, records: Kept[]): Promise<void> {
    const key = fileKey(owner);
    const file = this.fileOf(key);
    // a large body gets its file's name once (kept through the copies made of its record)
    const all = file ? records.map((r) => (r.bodyBase64.length > INLINE_BODY && !r.storedBody ? { ...r, storedBody: `${r.receivedAt}-${randomBytes(6).toString('hex')}.bin` } : r)) : records;
    this.cache.set(key, all);
    if (!file) return Promise.resolve();
    const bodies = bodiesDirOf(file);
    // (a record with secrets, masked in the file, comes from a Send: the engine is loaded)
    const text = `[${all.map((r) => (r.secrets ? httpEngine().maskedJson(r) : JSON.stringify(r.storedBody ? { ...r, bodyBase64: '' } : r))).join(',')}]`;
    this.writing = this.writing.catch(() => undefined).then(async () => {
      await fsp.mkdir(path.dirname(file), { recursive: true });
      const named = new Set<string>();
      for (const r of all) {
        if (!r.storedBody) continue;
        named.add(r.storedBody);
        const bodyFile = path.join(bodies, r.storedBody);
        if (this.bodiesOnDisk.has(bodyFile)) continue;
        await fsp.mkdir(bodies, { recursive: true });
        await fsp.writeFile(bodyFile, httpEngine().maskBytes(Buffer.from(r.bodyBase64, 'base64'), r.secrets));
        this.bodiesOnDisk.add(bodyFile);
      }
      await fsp.writeFile(file, text);
      for (const name of await fsp.readdir(bodies).catch(() => [] as string[])) {
        if (named.has(name)) continue;
        await fsp.rm(path.join(bodies, name), { force: true });
        this.bodiesOnDisk.delete(path.join(bodies, name));
      }
    });
    return this.writing;
  }

  /** The responses a file holds, each large body read from its own file (a body file gone: an empty body, cut). */
  private async readRecords(file: string | undefined): Promise<(Kept | (ResponseRecord & { collectionPath?: unknown }))[]> {
    const records = await readRecordFile(file);
    if (!file) return records;
    const bodies = bodiesDirOf(file);
    const out: typeof records = [];
    for (const r of records) {
      const stored = (r as { storedBody?: unknown }).storedBody;
      if (typeof stored !== 'string' || !/^[\w.-]+$/.test(stored)) {
        out.push(r);
        continue;
      }
      const bodyFile = path.join(bodies, stored);
      const bytes = await fsp.readFile(bodyFile).catch(() => undefined);
      if (bytes) this.bodiesOnDisk.add(bodyFile);
      out.push({ ...r, bodyBase64: bytes ? bytes.toString('base64') : '', bodyCut: r.bodyCut || !bytes });
    }
    return out;
  }
}

/** Where the large bodies of the responses in `file` are kept. */
function bodiesDirOf(file: string): string {
  return file.replace(/\.json$/, '.bodies');
}

/** What a request's responses are filed by: its collection's workspace id and its own (a move changes neither). */
function fileKey(owner: ResponseOwner): string {
  return `${owner.collectionId}/${owner.requestId}`;
}

function newestFirst(records: Kept[]): Kept[] {
  return records.sort((a, b) => b.receivedAt - a.receivedAt);
}

async function readRecordFile(file: string | undefined): Promise<(ResponseRecord & { collectionPath?: unknown })[]> {
  if (!file) return [];
  try {
    const parsed: unknown = JSON.parse(await fsp.readFile(file, 'utf8'));
    return Array.isArray(parsed) ? (parsed as ResponseRecord[]) : [];
  } catch {
    // none yet, or unreadable: start over
    return [];
  }
}
