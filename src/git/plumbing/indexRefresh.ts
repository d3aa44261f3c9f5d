// What `git status` does to the index when it can ("refresh_index", then "update the index if able"): files whose
// stat data no longer matched their entry but whose content still does (touched, copied with `cp -a`, restored from
// a backup, rewritten by another tool) get fresh stat data, so that the next status trusts them instead of reading
// all of them again. Best effort, and never in anyone's way: only when the index lock is free at once and the index
// is still the version the status read; a file that changed since it was hashed keeps its entry; a split or
// version-4 index keeps its format (it is not refreshed).

import * as fs from 'fs';
import * as fsp from 'fs/promises';
import * as path from 'path';
import { entryFromStats, type IndexEntry } from '../indexFile';
import { readIndex, writeIndex } from '../indexCache';
import { withIndexLock } from '../indexLock';
import { fsPath } from './pathBytes';

/** A file a status hashed because its stat data differed, and found unchanged; `before`: its stat before hashing. */
export interface UnchangedFile {
  entry: IndexEntry;
  before: fs.Stats;
}

/** The same file, as far as stat data tells (to the microsecond): nothing wrote it in between. */
function sameFile(a: fs.Stats, b: fs.BigIntStats): boolean {
  const ms = (ns: bigint): number => Number(ns / BigInt(1_000_000)) + Number(ns % BigInt(1_000_000)) / 1e6;
  return a.size === Number(b.size) && a.ino === Number(b.ino) && Math.abs(a.mtimeMs - ms(b.mtimeNs)) < 0.001 && Math.abs(a.ctimeMs - ms(b.ctimeNs)) < 0.001;
}

/**
 * Writes fresh stat data for `files` into the index whose version was `stamp`; returns how many entries it refreshed
 * and the stamp of the index it wrote (undefined when it wrote nothing).
 */
export async function refreshIndexStats(dir: string, gitdir: string, stamp: string, files: readonly UnchangedFile[]): Promise<{ refreshed: number; stamp?: string }> {
  const none = { refreshed: 0 };
  if (!files.length || !stamp) return none;
  try {
    const head = Buffer.alloc(8);
    const fh = await fsp.open(path.join(gitdir, 'index'), 'r');
    try {
      await fh.read(head, 0, 8, 0);
    } finally {
      await fh.close();
    }
    if (head.readUInt32BE(4) > 3 || (await fsp.readdir(gitdir)).some((n) => n.startsWith('sharedindex.'))) return none;
    return await withIndexLock(
      gitdir,
      async (lock) => {
        const idx = await readIndex(gitdir);
        if (!idx || idx.stamp !== stamp) return none; // someone wrote the index since: their stat data stands
        const byPath = new Map(files.map((f) => [f.entry.path, f]));
        let refreshed = 0;
        const entries = idx.entries.map((e) => {
          const f = e.stage === 0 ? byPath.get(e.path) : undefined;
          if (!f || f.entry.oid !== e.oid || f.entry.mode !== e.mode) return e;
          const now = fs.lstatSync(fsPath(dir, e.path), { bigint: true, throwIfNoEntry: false });
          if (!now || !sameFile(f.before, now)) return e;
          refreshed++;
          return { ...entryFromStats(e.path, e.oid, now, e.mode), extendedFlags: e.extendedFlags, assumeValid: e.assumeValid };
        });
        if (!refreshed) return none;
        return { refreshed, stamp: await writeIndex(lock, gitdir, entries) };
      },
      { waitMs: 0 },
    );
  } catch {
    return none; // locked, or anything else: the next status reads those files again, as this one did
  }
}
