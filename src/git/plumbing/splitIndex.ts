// A split index (`core.splitIndex`, `git update-index --split-index`): `.git/index` holds only the entries changed
// since `.git/sharedindex.<oid>` was written, and a `link` extension saying which shared entries are deleted and
// which are replaced (replacements come first, in order, with empty names). Merged here as git's
// merge_base_index does. Hammock writes the merged result as one plain index, which git reads (and splits again
// when core.splitIndex asks it to).

import * as fsp from 'fs/promises';
import * as path from 'path';
import { ewahPositions, parseIndexAsync, sortEntries, type IndexFile } from '../indexFile';

export async function parseIndexWithShared(buf: Buffer, gitdir: string): Promise<IndexFile | null> {
  const idx = await parseIndexAsync(buf);
  if (!idx || !idx.link) return idx;
  let sharedBuf: Buffer;
  try {
    sharedBuf = await fsp.readFile(path.join(gitdir, `sharedindex.${idx.link.sharedOid}`));
  } catch {
    return null;
  }
  const shared = await parseIndexAsync(sharedBuf);
  if (!shared || shared.link) return null;
  const base = shared.entries.map((e) => ({ ...e }));
  const removed = new Set(idx.link.deleteBitmap ? ewahPositions(idx.link.deleteBitmap) : []);
  const replaced = idx.link.replaceBitmap ? ewahPositions(idx.link.replaceBitmap) : [];
  let next = 0;
  for (const pos of replaced) {
    const r = idx.entries[next++];
    if (!r || pos >= base.length) return null;
    base[pos] = { ...r, path: base[pos].path };
  }
  const merged = base.filter((_, i) => !removed.has(i));
  for (const e of idx.entries.slice(next)) merged.push(e);
  return { version: idx.version, entries: sortEntries(merged) };
}
