// The last responses of each request (20 by default), kept in the workspace's storage folder (never in the repo):
// one JSON file per request under `<storageUri>/responses/`. Without a storage folder (no workspace) they live in
// memory only.
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ResponseMeta } from './protocol';

/** One response, as stored. The body is kept as base64, cut at `MAX_STORED_BODY` bytes. */
export interface ResponseRecord extends ResponseMeta {
  readonly requestId: string;
  readonly bodyBase64: string;
  /** the stored body is shorter than the received one. */
  readonly bodyCut: boolean;
  /** the whole body on disk when it was too large to keep in memory (a temp file of the HTTP engine). */
  readonly bodyFile?: string;
  /** the request as a cURL command line (secrets as sent: the command is built on demand, never posted to the UI). */
  readonly curl: string;
}

export const MAX_STORED_BODY = 5 * 1024 * 1024;

export class ResponseHistory {
  private readonly cache = new Map<string, ResponseRecord[]>();

  constructor(
    /** folder to write into, or undefined for memory only. */
    private readonly dir: string | undefined,
    readonly limit = 20,
  ) {}

  private fileOf(key: string): string | undefined {
    return this.dir && path.join(this.dir, `${createHash('sha1').update(key).digest('hex')}.json`);
  }

  /** newest first. */
  async list(key: string): Promise<ResponseRecord[]> {
    const cached = this.cache.get(key);
    if (cached) return cached;
    let list: ResponseRecord[] = [];
    const file = this.fileOf(key);
    if (file) {
      try {
        const parsed: unknown = JSON.parse(await fsp.readFile(file, 'utf8'));
        if (Array.isArray(parsed)) list = parsed as ResponseRecord[];
      } catch {
        // none yet, or unreadable: start over
      }
    }
    this.cache.set(key, list);
    return list;
  }

  async latest(key: string): Promise<ResponseRecord | undefined> {
    return (await this.list(key))[0];
  }

  async add(key: string, record: ResponseRecord): Promise<ResponseRecord[]> {
    const all = [record, ...(await this.list(key))];
    const list = all.slice(0, this.limit);
    // a dropped response's spilled body (a temp file of the HTTP engine) goes with it
    for (const old of all.slice(this.limit)) if (old.bodyFile) await fsp.rm(old.bodyFile, { force: true });
    this.cache.set(key, list);
    const file = this.fileOf(key);
    if (file) {
      await fsp.mkdir(path.dirname(file), { recursive: true });
      await fsp.writeFile(file, JSON.stringify(list));
    }
    return list;
  }
}
