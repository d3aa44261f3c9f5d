// The legacy `.insomnia/<Type>/<id>.yml` files on disk: listing a folder's data files, reading and parsing one. Kept
// apart from scan.ts (which also reads v5 files) so that the legacy read worker (legacyWorker.ts) bundles only this,
// the legacy format and js-yaml.

import { readdirSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { isNotFound, readWithStamp, type FileStamp, type LegacyFileState } from './fileState';
import { problem } from './formats/fields';
import { isLegacyDataFile, legacyEntry, parseLegacyFile } from './formats/legacy';

/** A folder's entries; none when it is gone or cannot be listed. */
export function readDir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' || code === 'EPERM') return [];
    throw err;
  }
}

/** The data files of a `.insomnia` folder, by type folder, sorted. */
export function legacyDataFiles(dir: string): { folder: string; file: string }[] {
  const out: { folder: string; file: string }[] = [];
  const typeFolders: string[] = [];
  for (const e of readDir(dir)) if (e.isDirectory()) typeFolders.push(e.name);
  typeFolders.sort();
  for (const folder of typeFolders) {
    const folderPath = path.join(dir, folder);
    const names: string[] = [];
    for (const e of readDir(folderPath)) if (e.isFile() && isLegacyDataFile(e.name)) names.push(e.name);
    names.sort();
    // a name from a listing holds no separator: joining is appending (path.join would normalise 10,000 times)
    const prefix = folderPath + path.sep;
    for (const name of names) out.push({ folder, file: prefix + name });
  }
  return out;
}

/** Reads and parses one legacy data file (undefined when it is gone). */
export function readLegacyFile(file: string, folder: string): LegacyFileState | undefined {
  let read: { text: string; stamp: FileStamp };
  try {
    read = readWithStamp(file);
  } catch (err) {
    if (isNotFound(err)) return undefined; // deleted while we read
    return { stamp: { size: -1, mtimeMs: 0, ctimeMs: 0, ino: 0, dev: 0 }, problem: problem(file, `Cannot read: ${(err as Error).message}`) };
  }
  return legacyFileState(file, folder, read.text, read.stamp);
}

/** The state of a legacy file from its text (read, or just written by the store). */
export function legacyFileState(file: string, folder: string, text: string, stamp: FileStamp, hash?: string): LegacyFileState {
  const parsed = parseLegacyFile(file, folder, text);
  return 'document' in parsed ? { stamp, hash, entry: legacyEntry(parsed.document) } : { stamp, hash, problem: parsed.problem };
}

