// Reading one file as git has it: at HEAD, at a commit or remote-tracking ref, or in the index (stage 0, or a
// conflict stage 1/2/3). What the diff editor, the quick diff and the resource tooltips show on their "before"
// side. No 'vscode' import.
//
// Read-only: it needs no funnel (objects never change; the index is read whole, as written atomically).

import * as fs from 'fs';
import * as fsp from 'fs/promises';
import * as path from 'path';
import { isogit } from './isogit';
import type { IndexEntry } from './indexFile';
import { fileInTree, treeOfCommit } from './treeDiff';
import { loadIndex } from './worktree';
import { gitFs } from './plumbing/gitFs';
import { readObjectSize } from './plumbing/objects';
import { DIFF_SIZE_LIMIT } from '../util/diffSize';

/** `HEAD`, a commit oid, a branch / remote-tracking ref (`main`, `origin/main`), or an index stage. */
export type GitRef = string;

/** The index (stage 0). */
export const INDEX_REF = '~';
/** Conflict stages while a merge is in progress: base, ours, theirs. */
export const STAGE_REFS = { base: '~1', ours: '~2', theirs: '~3' } as const;

function indexStage(ref: GitRef): number | undefined {
  if (ref === INDEX_REF) return 0;
  const m = /^~([0-3])$/.exec(ref);
  return m ? Number(m[1]) : undefined;
}

interface CachedIndex {
  mtimeMs: number;
  size: number;
  /** git writes a new index by renaming index.lock over it: a new inode every time. */
  ino: number;
  entries: Map<string, IndexEntry>;
}

/** Reads blobs of one repository; the parsed index is kept until `.git/index` changes. */
export class GitObjects {
  readonly gitdir: string;
  private index: CachedIndex | undefined;

  constructor(
    readonly dir: string,
    private readonly cache: object = {},
  ) {
    this.gitdir = path.join(dir, '.git');
  }

  private async indexEntries(): Promise<Map<string, IndexEntry>> {
    let st: fs.Stats | undefined;
    try {
      st = await fsp.stat(path.join(this.gitdir, 'index'));
    } catch {
      return new Map();
    }
    if (this.index && this.index.mtimeMs === st.mtimeMs && this.index.size === st.size && this.index.ino === st.ino) return this.index.entries;
    const loaded = await loadIndex(this.gitdir);
    const entries = new Map<string, IndexEntry>();
    for (const e of loaded.entries) entries.set(`${e.stage}:${e.path}`, e);
    this.index = { mtimeMs: st.mtimeMs, size: st.size, ino: st.ino, entries };
    return entries;
  }

  /** The commit a ref names, or null (unborn HEAD, unknown ref). */
  async resolveCommit(ref: GitRef): Promise<string | null> {
    if (/^[0-9a-f]{40}$/i.test(ref)) return ref.toLowerCase();
    for (const candidate of [ref, `refs/heads/${ref}`, `refs/remotes/${ref}`]) {
      try {
        return await isogit().resolveRef({ fs: gitFs, gitdir: this.gitdir, ref: candidate });
      } catch {
        /* next */
      }
    }
    return null;
  }

  /** The blob oid of `filepath` (repo-relative, `/`) at `ref`, or null when the file is not there. */
  async oidAt(ref: GitRef, filepath: string): Promise<string | null> {
    const stage = indexStage(ref);
    if (stage !== undefined) return (await this.indexEntries()).get(`${stage}:${filepath}`)?.oid ?? null;
    const commit = await this.resolveCommit(ref);
    if (!commit) return null;
    try {
      const tree = await treeOfCommit({ gitdir: this.gitdir, cache: this.cache }, commit);
      return (await fileInTree({ gitdir: this.gitdir, cache: this.cache }, tree, filepath))?.oid ?? null;
    } catch {
      return null;
    }
  }

  async readBlob(oid: string): Promise<Buffer> {
    const { blob } = await isogit().readBlob({ fs: gitFs, gitdir: this.gitdir, oid, cache: this.cache });
    return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  }

  /** The size in bytes of blob `oid`, from its header (the loose object's or the pack entry's): the blob is not inflated. */
  async blobSize(oid: string): Promise<number> {
    return (await readObjectSize(this.gitdir, this.cache, oid)).size;
  }

  /**
   * The size to hold against `limit` for the text readText gives for `filepath` at `ref` (what the diff editor is
   * handed; textSize measured it in UTF-8 bytes), or null when it is not there, the blob read only where deciding
   * needs it: decoding keeps every valid byte and puts 3 bytes (U+FFFD) for each 1 to 3 invalid ones, so the text is
   * at least the blob's size and at most three times it. Over `limit`, or within a third of it, the blob's size
   * decides as the text's would, and is answered (the text's own size for valid UTF-8); between, the blob is read
   * and its text measured, as before.
   */
  async textBytesAt(ref: GitRef, filepath: string, limit = DIFF_SIZE_LIMIT): Promise<number | null> {
    const oid = await this.oidAt(ref, filepath);
    if (!oid) return null;
    const size = await this.blobSize(oid);
    if (size > limit || size * 3 <= limit) return size;
    return Buffer.byteLength((await this.readBlob(oid)).toString('utf8'), 'utf8');
  }

  /** The text of `filepath` at `ref`, or null when it is not there. */
  async readText(ref: GitRef, filepath: string): Promise<string | null> {
    const oid = await this.oidAt(ref, filepath);
    return oid ? (await this.readBlob(oid)).toString('utf8') : null;
  }
}
