// The legacy `.insomnia/<Type>/<id>.yml` files on disk: listing a folder's data files, reading and parsing one. Kept
// apart from scan.ts (which also reads v5 files) so that the legacy read worker (legacyWorker.ts) bundles only this,
// the legacy format and js-yaml.

import { readdirSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { isNotFound, readWithStamp, type FileStamp, type LegacyFileState } from './fileState';
import { problem } from './formats/fields';
import { isLegacyDataFile, isSourceOf, legacyEntry, parseLegacyFile, sourceOf, type LegacyEntry, type LegacyFileResult } from './formats/legacy';
import type { Problem } from './model';

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
  return legacyFileStateOf(parseLegacyFile(file, folder, text), stamp, hash);
}

/** `legacyFileState` from the file's parse (`parseLegacyFile`, made elsewhere: the plan worker's for a large file). */
export function legacyFileStateOf(parsed: LegacyFileResult, stamp: FileStamp, hash?: string): LegacyFileState {
  return 'document' in parsed ? { stamp, hash, entry: legacyEntry(parsed.document) } : { stamp, hash, problem: parsed.problem };
}


/**
 * The states of a batch of files as the legacy read worker posts them (legacyWorker.ts): columns instead of three
 * objects per file, so that the structured clone between the threads (a third of the worker's time, and the
 * extension host thread's cost of taking a batch in) has fewer objects and strings to copy. The stamps are one
 * Float64Array (transferred, not copied); each entry's own fields are columns; the file's path, which an entry holds
 * twice more (`entry.file`, and `model.source`, rebuilt with `sourceOf`), travels once, in the batch's `files`.
 * `unpackStates` rebuilds exactly the states `packStates` was given (test/unit/collections/legacyReader.test.ts).
 */
export interface PackedStates {
  /** per file: 0 gone (no state), 1 an entry, 2 a problem. */
  readonly kinds: Uint8Array;
  /** per file, five numbers: size, mtimeMs, ctimeMs, ino, dev. */
  readonly stamps: Float64Array;
  /** per file: the state's `hash`; null when the state has no `hash` key. */
  readonly hashes: readonly (string | undefined | null)[];
  /** per file with an entry: its folder, id, type, parentId, created and model; undefined in the others. */
  readonly folders: readonly (string | undefined)[];
  readonly ids: readonly (string | undefined)[];
  readonly types: readonly (string | undefined)[];
  readonly parents: readonly (string | undefined)[];
  readonly created: readonly (number | undefined)[];
  readonly models: readonly LegacyEntry['model'][];
  /** per file: 1 when its model's `source` (`sourceOf` the file) was left out. */
  readonly sourceOut: Uint8Array;
  readonly problems: readonly (Problem | undefined)[];
}

/**
 * Packs the states of `files` (null: gone) for posting. It takes each model's `source` out in place: the states are
 * not to be used afterwards.
 */
export function packStates(files: readonly string[], states: readonly (LegacyFileState | null | undefined)[]): PackedStates {
  const n = states.length;
  const kinds = new Uint8Array(n);
  const stamps = new Float64Array(n * 5);
  const sourceOut = new Uint8Array(n);
  const hashes: (string | undefined | null)[] = new Array(n);
  const folders: (string | undefined)[] = new Array(n);
  const ids: (string | undefined)[] = new Array(n);
  const types: (string | undefined)[] = new Array(n);
  const parents: (string | undefined)[] = new Array(n);
  const created: (number | undefined)[] = new Array(n);
  const models: LegacyEntry['model'][] = new Array(n);
  const problems: (Problem | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const state = states[i];
    if (!state) continue;
    const s = state.stamp;
    const at = i * 5;
    stamps[at] = s.size;
    stamps[at + 1] = s.mtimeMs;
    stamps[at + 2] = s.ctimeMs;
    stamps[at + 3] = s.ino;
    stamps[at + 4] = s.dev;
    hashes[i] = 'hash' in state ? state.hash : null;
    const entry = state.entry;
    if (entry) {
      if (entry.file !== files[i] || state.problem !== undefined) throw new Error(`cannot pack the state of ${files[i]}`);
      kinds[i] = 1;
      folders[i] = entry.folder;
      ids[i] = entry.id;
      types[i] = entry.type;
      parents[i] = entry.parentId;
      created[i] = entry.created;
      const model = entry.model;
      models[i] = model;
      if (model && isSourceOf(model.source, files[i]!)) {
        (model as { source: unknown }).source = undefined;
        sourceOut[i] = 1;
      }
    } else {
      kinds[i] = 2;
      problems[i] = state.problem;
    }
  }
  return { kinds, stamps, hashes, folders, ids, types, parents, created, models, sourceOut, problems };
}

/** The states `packStates` packed, rebuilt (the same objects' shapes, key for key) for `files`. */
export function unpackStates(files: readonly string[], packed: PackedStates): (LegacyFileState | null)[] {
  const { kinds, stamps, hashes, folders, ids, types, parents, created, models, sourceOut, problems } = packed;
  const out: (LegacyFileState | null)[] = new Array(kinds.length);
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i];
    if (kind === 0) {
      out[i] = null;
      continue;
    }
    const at = i * 5;
    const stamp: FileStamp = { size: stamps[at]!, mtimeMs: stamps[at + 1]!, ctimeMs: stamps[at + 2]!, ino: stamps[at + 3]!, dev: stamps[at + 4]! };
    const hash = hashes[i];
    const file = files[i]!;
    if (kind === 1) {
      const model = models[i];
      if (sourceOut[i] === 1) (model as { source: unknown }).source = sourceOf(file);
      const entry: LegacyEntry = { file, folder: folders[i]!, id: ids[i]!, type: types[i]!, parentId: parents[i]!, created: created[i]!, model };
      out[i] = hash === null ? { stamp, entry } : { stamp, hash, entry };
    } else {
      const problem = problems[i]!;
      out[i] = hash === null ? { stamp, problem } : { stamp, hash, problem };
    }
  }
  return out;
}
