// Finds and loads every Insomnia collection under a folder: each `.insomnia/` folder (legacy) and each `.yaml`/`.yml`
// file whose first line names a v5 type. The only I/O of the collections layer's reading side; the format modules do
// the translating. Each file is read once and parsed once (js-yaml); a large v5 file piece by piece (v5Pieces.ts).
// `scanRoot` keeps, per file, its identity on disk and its parse (fileState.ts), which the store uses to re-read
// only what changed; `loadWorkspace` is the same read for callers that only want the collections (the CLI).
//
// Reads are synchronous, in time slices: after ~10 ms of work the loader yields to the event loop, so the extension
// host stays responsive and an abort is seen quickly. Measured on 10,500 small legacy files (Node 20, 2 cores):
// readFileSync 150 ms, fs.readFile through the thread pool (32 in flight) 530 ms, fs.promises.readFile 770 ms.
// Parsing is synchronous CPU work on this thread anyway, so asynchronous reads only added overhead.
// Symbolic links are not followed (neither files nor folders): no loops, no reading outside the workspace.

import { closeSync, openSync, readFileSync, readSync, fstatSync } from 'node:fs';
import * as path from 'node:path';
import type { Collection, Problem, WorkspaceSnapshot } from './model';
import type { Unread } from './diff';
import { problem } from './formats/fields';
import {
  assembleLegacyCollections,
  assembleLegacySteps,
  isLegacyDataFile,
  LEGACY_FOLDER_NAME,
  LegacyAssembly,
  legacyEntry,
  parseLegacyFile,
  resetLegacyModels,
  type LegacyEntry,
  type LegacyFolderResult,
} from './formats/legacy';
import { parseV5FileInPieces, v5TypeOfText, type V5FileResult } from './formats/v5';
import { emptyPieceCache, type ParseLarge } from './formats/v5Pieces';
import { isNotFound, readRest, stampOf, type FileStamp, type LegacyFileState, type V5FileState } from './fileState';
import { legacyDataFiles, readDir, readLegacyFile } from './legacyFiles';
import { runStepsSliced, Slicer } from './slicer';

export interface LoadOptions {
  /** stops the load: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * Paths to skip, relative to the root (posix): a bare name (`dist`) skips every file or folder of that name,
   * anything else is a glob on the relative path (`*` within a segment, `**` across segments), e.g. `fixtures/**`.
   */
  readonly exclude?: readonly string[];
  /** longest stretch of synchronous work before yielding to the event loop, in ms (default 10). */
  readonly sliceMs?: number;
  /**
   * Called once, before the legacy folders' items are read, with every collection known so far: the v5 files in
   * full and each `.insomnia` folder's collection from its Workspace file alone (`partial: true`). Lets a view show
   * its first level long before a large legacy folder is read.
   */
  readonly onFirstLevel?: (snapshot: WorkspaceSnapshot) => void;
  /**
   * Reads a `.insomnia` folder's data files some other way than on this thread (in worker threads: legacyReader.ts),
   * giving one state per data file in the folder's listing order, as the in-thread read does; undefined: read here.
   */
  readonly readLegacyFiles?: (dir: string, slicer: Slicer) => Promise<LegacyFilesRead> | undefined;
}

/** A `.insomnia` folder's files read elsewhere (`LoadOptions.readLegacyFiles`). */
export interface LegacyFilesRead {
  readonly files: Map<string, LegacyFileState>;
  /** the folder's collections assembled as the files came in, every one of `files` added in order, not finished. */
  readonly assembly?: LegacyAssembly;
}

/** Folders never walked: git's, npm's, and every other dot-folder except `.insomnia`. */
export function isSkippedFolderName(name: string): boolean {
  return name === 'node_modules' || (name.startsWith('.') && name !== LEGACY_FOLDER_NAME);
}

export function isYamlFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.yaml') || lower.endsWith('.yml');
}

/**
 * Whether a change of this path (relative to a workspace root, or absolute) can change the loaded collections:
 * anything inside (or being) a `.insomnia` folder, or a `.yaml`/`.yml` file outside skipped folders.
 * The file watcher uses it to ignore the rest.
 */
export function isInsomniaPath(relPath: string): boolean {
  // above a workspace root an absolute path may pass through dot-folders (~/.local/...): there only .git and
  // node_modules rule a path out
  const absolute = path.isAbsolute(relPath) || /^[a-zA-Z]:[\\/]/.test(relPath);
  const segments = relPath.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s === LEGACY_FOLDER_NAME) return true;
    if (i === segments.length - 1) break;
    if (s === '.git' || s === 'node_modules') return false;
    if (!absolute && isSkippedFolderName(s)) return false;
  }
  return isYamlFileName(segments[segments.length - 1] ?? '');
}

/** The `.insomnia` folder a path is in (or is), if any. */
export function legacyFolderOf(file: string): string | undefined {
  const norm = path.normalize(file);
  const parts = norm.split(path.sep);
  const i = parts.lastIndexOf(LEGACY_FOLDER_NAME);
  return i < 0 ? undefined : parts.slice(0, i + 1).join(path.sep);
}

// ---------------------------------------------------------------------------------------------------------------
// Loading

/** Everything read under one root, file by file: what the store keeps to re-read only what changes. */
export interface RootScan {
  readonly root: string;
  /** each `.insomnia` folder: its files and the collections they make. */
  readonly legacy: Map<string, LegacyFolderScan>;
  /** each Insomnia v5 file (broken ones too), by absolute path. */
  readonly v5: Map<string, V5FileState>;
}

export interface LegacyFolderScan {
  readonly dir: string;
  /** every data file of the folder, by absolute path. */
  readonly files: Map<string, LegacyFileState>;
  readonly result: LegacyFolderResult;
}

/**
 * Loads every collection under `root`: collections sorted by name then path; problems of files that hold no collection
 * (broken v5 files, a `.insomnia` folder without a workspace) in `problems`, sorted by file and line.
 */
export async function loadWorkspace(root: string, options: LoadOptions = {}): Promise<WorkspaceSnapshot> {
  return snapshotOf(await scanRoot(root, options));
}

/** Reads every Insomnia file under `root`, keeping each file's identity and parse (see `RootScan`). */
export async function scanRoot(root: string, options: LoadOptions = {}): Promise<RootScan> {
  const absRoot = path.resolve(root);
  const slicer = new Slicer(options.signal, options.sliceMs);
  const found = await findSources(absRoot, options, slicer);
  const scan: RootScan = { root: absRoot, legacy: new Map(), v5: new Map() };
  // v5 files first: each is one parse either way, and they belong in the first level
  for (const file of found.yamlFiles) {
    if (slicer.due()) await slicer.yield();
    const state = await readV5File(file, slicer);
    if (state) scan.v5.set(file, state);
  }
  if (options.onFirstLevel && found.legacyFolders.length) {
    // a legacy collection's first level needs only its Workspace file: show it before reading every request
    const shells = found.legacyFolders.flatMap((dir) => readLegacyShells(dir).collections);
    const v5 = snapshotOf(scan);
    options.onFirstLevel({ root: absRoot, collections: [...v5.collections, ...shells].sort(compareCollections), problems: v5.problems });
  }
  for (const dir of found.legacyFolders) {
    scan.legacy.set(dir, await readLegacyFolderScan(dir, slicer, options.readLegacyFiles));
  }
  slicer.signal?.throwIfAborted();
  return scan;
}

/** The collections and problems of a scan: every part's, the twins marked, sorted. */
export function snapshotOf(scan: RootScan): WorkspaceSnapshot {
  const collections: Collection[] = [];
  const problems: Problem[] = [];
  for (const state of scan.v5.values()) {
    if (state.result.collection) collections.push(state.result.collection);
    problems.push(...state.result.problems);
  }
  for (const folder of scan.legacy.values()) {
    collections.push(...folder.result.collections);
    problems.push(...folder.result.problems);
  }
  markTwinFormats(collections);
  collections.sort(compareCollections);
  problems.sort(compareProblems);
  return { root: scan.root, collections, problems };
}

/**
 * The files of a snapshot that could not be read at all (problems of severity error: malformed YAML, not an Insomnia
 * document, a `.insomnia` folder without its workspace), once each, among those `keep` accepts: what they hold is
 * missing from the snapshot, so a diff or a run of it names them. A `.insomnia` collection keeps the problems of its
 * own files, the snapshot those of the rest.
 */
export function unreadableFiles(snapshot: WorkspaceSnapshot, keep: (file: string) => boolean = () => true): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const p of [...snapshot.problems, ...snapshot.collections.flatMap((c) => c.problems)]) {
    const key = `${p.file}\0${p.line}\0${p.column}\0${p.message}`;
    if (p.severity !== 'error' || !keep(p.file) || seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** The files of two snapshots that could not be read, per side: what diffSnapshots leaves out (its `unread`). */
export function unreadSides(before: WorkspaceSnapshot, after: WorkspaceSnapshot): Unread {
  const files = (s: WorkspaceSnapshot) => new Set(unreadableFiles(s).map((p) => p.file));
  return { before: files(before), after: files(after) };
}

const TWIN_MESSAGE = 'The same workspace is also stored as ';

/**
 * A warning on both collections when one workspace id is stored in both formats (a legacy `.insomnia` folder and a
 * v5 file in the same repository, i.e. under the folder that holds the `.insomnia` folder: what Insomnia 11.2's
 * conversion leaves behind): two copies that drift apart. Idempotent: earlier such
 * warnings are replaced, so the store calls it again after re-reading part of a root.
 */
export function markTwinFormats(collections: readonly Collection[]): void {
  const byId = new Map<string, Collection[]>();
  for (const c of collections) {
    if (c.problems.some((p) => p.message.startsWith(TWIN_MESSAGE))) c.problems = c.problems.filter((p) => !p.message.startsWith(TWIN_MESSAGE));
    const list = byId.get(c.id);
    if (list) list.push(c);
    else byId.set(c.id, [c]);
  }
  for (const list of byId.values()) {
    if (list.length < 2 || !list.some((c) => c.format === 'legacy') || !list.some((c) => c.format === 'v5')) continue;
    // a legacy `.insomnia` folder sits at its repository's root: a v5 copy is one under that folder's parent
    const inRepoOf = (legacy: Collection, v5: Collection) => v5.path.startsWith(path.dirname(legacy.path) + path.sep);
    const twin = (a: Collection, b: Collection) =>
      a.format !== b.format && (a.format === 'legacy' ? inRepoOf(a, b) : inRepoOf(b, a));
    for (const c of list) {
      for (const other of list) {
        if (!twin(c, other)) continue;
        const where = path.relative(path.dirname(c.path), other.path).split(path.sep).join('/');
        const what = other.format === 'legacy' ? 'a legacy .insomnia folder' : 'an Insomnia v5 file';
        c.problems.push({
          file: c.source.file,
          line: 0,
          column: 0,
          severity: 'warning',
          message: `${TWIN_MESSAGE}${what} (${where}), as Insomnia 11.2's conversion leaves it: the two copies can drift apart; keep one (delete the other)`,
        });
      }
    }
  }
}

/** Whether a problem is the twin warning `markTwinFormats` adds (it depends on other files, not on its own file). */
export function isTwinWarning(p: Problem): boolean {
  return p.message.startsWith(TWIN_MESSAGE);
}

/** The collections of a `.insomnia` folder from its Workspace documents alone: no items, no environments, `partial`. */
function readLegacyShells(dir: string): LegacyFolderResult {
  const folder = 'Workspace';
  const entries: LegacyEntry[] = [];
  for (const e of readDir(path.join(dir, folder))) {
    if (!e.isFile() || !isLegacyDataFile(e.name)) continue;
    const file = path.join(dir, folder, e.name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // the full read reports it
    }
    const parsed = parseLegacyFile(file, folder, text);
    if ('document' in parsed) entries.push(legacyEntry(parsed.document));
  }
  const result = assembleLegacyCollections(dir, entries);
  for (const c of result.collections) {
    c.partial = true;
    c.problems = [];
  }
  return result;
}

/**
 * Re-reads one `.yaml`/`.yml` file (after it changed). `insomnia: false` when it is not an Insomnia file, or is gone:
 * then `problems` is empty too, and the caller drops what it had from that file.
 */
export async function loadCollectionFile(file: string): Promise<V5FileResult> {
  return (await readV5File(path.resolve(file)))?.result ?? { insomnia: false, problems: [] };
}

/** Re-reads one `.insomnia` folder (after a file in it changed). A folder that is gone gives no collection. */
export async function loadLegacyFolder(dir: string, options: { signal?: AbortSignal; sliceMs?: number } = {}): Promise<LegacyFolderResult> {
  return (await readLegacyFolderScan(path.resolve(dir), new Slicer(options.signal, options.sliceMs))).result;
}

export function compareCollections(a: Collection, b: Collection): number {
  return a.name.localeCompare(b.name) || compareStrings(a.path, b.path) || compareStrings(a.id, b.id);
}

function compareProblems(a: Problem, b: Problem): number {
  return compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Sources {
  readonly legacyFolders: string[];
  readonly yamlFiles: string[];
}

/** Walks the tree: `.insomnia` folders (not entered) and `.yaml`/`.yml` files, in a stable (sorted) order. */
async function findSources(root: string, options: LoadOptions, slicer: Slicer): Promise<Sources> {
  const legacyFolders: string[] = [];
  const yamlFiles: string[] = [];
  const excluded = compileExcludes(options.exclude ?? []);
  const pending: [string, string][] = [[root, '']];
  slicer.signal?.throwIfAborted();
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (slicer.due()) await slicer.yield();
    const [dir, rel] = next;
    for (const entry of readDir(dir)) {
      const name = entry.name;
      const relPath = rel ? `${rel}/${name}` : name;
      if (excluded(name, relPath)) continue;
      if (entry.isDirectory()) {
        if (name === LEGACY_FOLDER_NAME) legacyFolders.push(path.join(dir, name));
        else if (!isSkippedFolderName(name)) pending.push([path.join(dir, name), relPath]);
      } else if (entry.isFile() && isYamlFileName(name)) {
        yamlFiles.push(path.join(dir, name));
      }
    }
  }
  legacyFolders.sort();
  yamlFiles.sort();
  return { legacyFolders, yamlFiles };
}

/** Whether a path is excluded by the `hammock.exclude` patterns, relative to its root (posix). */
export function isExcluded(exclude: readonly string[], root: string, file: string): boolean {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel === '' || rel.startsWith('..')) return false;
  const test = compileExcludes(exclude);
  const segments = rel.split('/');
  for (let i = 0; i < segments.length; i++) if (test(segments[i], segments.slice(0, i + 1).join('/'))) return true;
  return false;
}

/**
 * The collections of a legacy folder from its files' states (the models of earlier assemblies reset first). With a
 * slicer, the assembly yields to the event loop whenever a slice is used up.
 */
export async function assembleLegacyFolder(dir: string, files: ReadonlyMap<string, LegacyFileState>, slicer?: Slicer): Promise<LegacyFolderResult> {
  const entries: LegacyEntry[] = [];
  const fileProblems: Problem[] = [];
  for (const state of files.values()) {
    if (state.entry) entries.push(state.entry);
    else if (state.problem) fileProblems.push(state.problem);
  }
  resetLegacyModels(entries);
  if (!slicer) return assembleLegacyCollections(dir, entries, fileProblems);
  return runStepsSliced(assembleLegacySteps(dir, entries, fileProblems), slicer);
}

/** Finishes an assembly that was fed as the files came in (`LegacyFilesRead.assembly`), yielding between its steps. */
export function finishLegacyAssembly(assembly: LegacyAssembly, slicer: Slicer): Promise<LegacyFolderResult> {
  return runStepsSliced(assembly.finish(), slicer);
}

async function readLegacyFolderScan(
  dir: string,
  slicer: Slicer,
  readFiles?: (dir: string, slicer: Slicer) => Promise<LegacyFilesRead> | undefined,
): Promise<LegacyFolderScan> {
  slicer.signal?.throwIfAborted();
  const elsewhere = readFiles?.(dir, slicer);
  let files: Map<string, LegacyFileState>;
  if (elsewhere) {
    const read = await elsewhere;
    files = read.files;
    slicer.signal?.throwIfAborted();
    if (read.assembly) return { dir, files, result: await finishLegacyAssembly(read.assembly, slicer) };
  } else {
    files = new Map();
    for (const { folder, file } of legacyDataFiles(dir)) {
      if (slicer.due()) await slicer.yield();
      const state = readLegacyFile(file, folder);
      if (state) files.set(file, state);
    }
  }
  slicer.signal?.throwIfAborted();
  return { dir, files, result: await assembleLegacyFolder(dir, files, slicer) };
}

const PROBE_BYTES = 4096;
const probe = Buffer.allocUnsafe(PROBE_BYTES);

/**
 * Reads a `.yaml`/`.yml` file only if its first line names a v5 type: the first 4 KiB decide, the rest is read only
 * for Insomnia files (an OpenAPI or CI file costs one small read). Undefined for other YAML or a missing file. A large
 * file is parsed piece by piece (see v5Pieces.ts), yielding to the event loop between pieces; `previous` is the
 * file's last state, whose pieces are reused where the text did not change.
 */
export async function readV5File(file: string, slicer?: Slicer, previous?: V5FileState, parseLarge?: ParseLarge): Promise<V5FileState | undefined> {
  let read: { text: string; stamp: FileStamp } | undefined;
  try {
    read = readIfInsomnia(file);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    const result: V5FileResult = { insomnia: true, problems: [problem(file, `Cannot read: ${(err as Error).message}`)] };
    return { stamp: { size: -1, mtimeMs: 0, ctimeMs: 0, ino: 0, dev: 0 }, text: '', pieces: emptyPieceCache(), result };
  }
  if (!read) return undefined;
  return v5FileState(file, read.text, read.stamp, { slicer, previous, parseLarge });
}

/** The state of a v5 file from its text (read, or just written by the store); undefined when it is not an Insomnia file. */
export async function v5FileState(
  file: string,
  text: string,
  stamp: FileStamp,
  options: { slicer?: Slicer; previous?: V5FileState; parseLarge?: ParseLarge } = {},
): Promise<V5FileState | undefined> {
  const previous = options.previous;
  // the same bytes (the store's own write seen again, a touch): a new identity only, nothing parsed
  if (previous && previous.text === text) return { ...previous, stamp };
  const parsed = await parseV5FileInPieces(file, text, { slicer: options.slicer, cache: previous?.pieces, parseLarge: options.parseLarge });
  if (!parsed.result.insomnia) return undefined;
  return { stamp, text, pieces: parsed.pieces, result: parsed.result };
}

function readIfInsomnia(file: string): { text: string; stamp: FileStamp } | undefined {
  const fd = openSync(file, 'r');
  try {
    const bytesRead = readSync(fd, probe, 0, PROBE_BYTES, 0);
    if (!v5TypeOfText(probe.toString('utf8', 0, bytesRead))) return undefined;
    const st = fstatSync(fd);
    if (bytesRead < PROBE_BYTES) return { text: probe.toString('utf8', 0, bytesRead), stamp: stampOf(st) };
    const whole = Buffer.allocUnsafe(Math.max(st.size, bytesRead));
    probe.copy(whole, 0, 0, bytesRead);
    return { text: whole.toString('utf8', 0, readRest(fd, whole, bytesRead)), stamp: stampOf(st) };
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** `LoadOptions.exclude` as a test of (name, path relative to the root); also used by the start-up probe (probe.ts). */
export function compileExcludes(patterns: readonly string[]): (name: string, relPath: string) => boolean {
  if (patterns.length === 0) return () => false;
  const names = new Set<string>();
  const globs: RegExp[] = [];
  for (const raw of patterns) {
    const p = raw.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
    if (!p) continue;
    if (!/[/*?]/.test(p)) names.add(p);
    else globs.push(globToRegExp(p));
  }
  return (name, relPath) => names.has(name) || globs.some((g) => g.test(relPath));
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  // `**/x` also matches `x` at the root; a pattern also matches everything below a matching folder
  return new RegExp(`^${re}(?:/.*)?$`);
}
