// Converting a workspace between Insomnia's two Git Sync layouts, at the level of the raw documents (not through the
// model), so every id and every field survives, including fields Hammock does not know (insomniaDocs.ts has the
// mapping). Reads the source files; returns the files to write (the original stays unless the caller deletes it).
// No 'vscode'.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileChange } from '../edits';
import { baseEnvironmentId, cookieJarId, idPrefix, newId } from '../ids';
import { v5FileBaseName } from '../editPlanner';
import { isLegacyDataFile, LEGACY_FOLDER_NAME, parseLegacyFile } from '../formats/legacy';
import { isMapping, loadYaml } from '../formats/fields';
import type { WriteScope } from '../edit/pathGuard';
import { legacyDocsToV5, renderDocument, schemaVersionKey, v5ToLegacyDocs, type LegacyDoc, type NotConverted } from './insomniaDocs';
import { legacyDocsToFiles } from './legacyWriter';
import { applyRenames, replaceUnusableDocIds, type ReplacedId } from './renameIds';

export class ConvertError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConvertError';
  }
}

export interface ConvertResult {
  readonly changes: FileChange[];
  /** the new v5 file, or the new `.insomnia` folder. */
  readonly target: string;
  /** documents or data the other format has no place for (they stay in the original). */
  readonly notConverted: NotConverted[];
  /** ids Insomnia cannot take in the new files (no safe file name, the wrong prefix), replaced by fresh ones. */
  readonly replacedIds: ReplacedId[];
  /** where the changes go (for `writeChanges`). */
  readonly scope: WriteScope;
}

export interface ConvertOptions {
  /** the workspace to convert when a `.insomnia` folder holds several. */
  readonly workspaceId?: string;
  /** where the new file / folder goes; default: the folder holding the source. */
  readonly root?: string;
  /** existence check (default `fs.existsSync`): nothing is ever overwritten. */
  readonly exists?: (absPath: string) => boolean;
  /** legacy -> v5: the new file's schema version (the repository's, see `schemaVersionForNewFile`; default the newest). */
  readonly schemaVersion?: string;
  /** id factory for the ids that must be replaced (default `newId`). */
  readonly newId?: (prefix: string) => string;
}

/** Every document of a `.insomnia` folder; a file that does not parse is an error (nothing is converted). */
export function readLegacyDocs(legacyFolder: string): LegacyDoc[] {
  return readLegacyDocFiles(legacyFolder).map((d) => d.doc);
}

/** `readLegacyDocs` with the file each document is in. */
function readLegacyDocFiles(legacyFolder: string): { doc: LegacyDoc; file: string }[] {
  const docs: { doc: LegacyDoc; file: string }[] = [];
  let folders: fs.Dirent[];
  try {
    folders = fs.readdirSync(legacyFolder, { withFileTypes: true });
  } catch {
    throw new ConvertError(`${legacyFolder} is not a folder`);
  }
  for (const folder of folders.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!folder.isDirectory()) continue;
    const dir = path.join(legacyFolder, folder.name);
    for (const name of fs.readdirSync(dir).sort()) {
      if (!isLegacyDataFile(name)) continue;
      const file = path.join(dir, name);
      const parsed = parseLegacyFile(file, folder.name, fs.readFileSync(file, 'utf8'));
      if ('problem' in parsed) {
        throw new ConvertError(`${file}:${parsed.problem.line + 1}: ${parsed.problem.message}`);
      }
      docs.push({ doc: parsed.document.doc as LegacyDoc, file });
    }
  }
  return docs;
}

/**
 * The files of one collection: a v5 file, or the documents of one workspace in a `.insomnia` folder (`wholeFolder`:
 * the folder holds nothing else, so the folder itself goes with it). What Delete Collection deletes.
 */
export function collectionFiles(format: 'legacy' | 'v5', collectionPath: string, workspaceId: string): { files: string[]; wholeFolder: boolean } {
  if (format === 'v5') return { files: [collectionPath], wholeFolder: false };
  const all = readLegacyDocFiles(collectionPath);
  const mine = new Set(workspaceDocs(all.map((d) => d.doc), workspaceId));
  const files = all.filter((d) => mine.has(d.doc)).map((d) => d.file);
  return { files, wholeFolder: files.length === all.length };
}

/**
 * A legacy `.insomnia` folder's workspace as one v5 file, `insomnia.<workspace id>.yaml` next to the folder (the
 * name Insomnia gives a converted workspace), or a free variant of it.
 */
export function convertLegacyToV5(legacyFolder: string, options: ConvertOptions = {}): ConvertResult {
  const docs = readLegacyDocs(legacyFolder);
  const workspaces = docs.filter((d) => d.type === 'Workspace');
  let workspaceId = options.workspaceId;
  if (!workspaceId) {
    if (workspaces.length !== 1) {
      throw new ConvertError(
        workspaces.length === 0
          ? `No Workspace document in ${legacyFolder}`
          : `${legacyFolder} holds ${workspaces.length} workspaces (${workspaces.map((w) => w._id).join(', ')}): say which one`,
      );
    }
    workspaceId = workspaces[0]._id;
  } else if (!workspaces.some((w) => w._id === workspaceId)) {
    throw new ConvertError(`No workspace ${workspaceId} in ${legacyFolder}`);
  }
  const fixed = replaceUnusableDocIds(docs, options.newId ?? newId);
  const newWorkspaceId = fixed.docs.find((d) => d.type === 'Workspace')?._id ?? workspaceId;
  const { text, notConverted } = legacyToV5Text(fixed.docs, newWorkspaceId, options.schemaVersion);
  const exists = options.exists ?? fs.existsSync;
  const root = options.root ?? path.dirname(path.resolve(legacyFolder));
  let file = path.join(root, `insomnia.${newWorkspaceId}.yaml`);
  for (let n = 2; exists(file); n++) file = path.join(root, `insomnia.${newWorkspaceId}_${n}.yaml`);
  return { changes: [{ path: file, content: text }], target: file, notConverted, replacedIds: fixed.replaced, scope: { format: 'v5', folder: root } };
}

/** The v5 text of a workspace's legacy documents, siblings in sort order (the v5 file lists them in the database's
 * order; this is the order Insomnia shows). */
function legacyToV5Text(docs: readonly LegacyDoc[], workspaceId: string, schemaVersion?: string): { text: string; notConverted: NotConverted[] } {
  const sorted = [...docs].sort((a, b) => sortKey(a) - sortKey(b) || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  const { v5, notConverted } = legacyDocsToV5(sorted, workspaceId, { schemaVersion: schemaVersionKey(schemaVersion) });
  return { text: renderDocument(v5), notConverted };
}

function sortKey(d: LegacyDoc): number {
  return typeof d.metaSortKey === 'number' ? d.metaSortKey : typeof d.created === 'number' ? -d.created : 0;
}

/**
 * A v5 file as a legacy `.insomnia` folder (beside the file unless `root` says otherwise). A folder that already
 * exists is an error: a `.insomnia` folder holds one workspace.
 */
export function convertV5ToLegacy(v5File: string, options: ConvertOptions = {}): ConvertResult {
  let text: string;
  try {
    text = fs.readFileSync(v5File, 'utf8');
  } catch {
    throw new ConvertError(`Cannot read ${v5File}`);
  }
  let doc: unknown;
  try {
    doc = loadYaml(text);
  } catch (err) {
    const mark = (err as { mark?: { line?: number } }).mark;
    throw new ConvertError(`${v5File}:${(mark?.line ?? 0) + 1}: not valid YAML: ${(err as { reason?: string }).reason ?? String(err)}`);
  }
  if (!isMapping(doc)) throw new ConvertError(`${v5File} is not an Insomnia v5 file`);
  const makeId = options.newId ?? newId;
  let conversion;
  try {
    conversion = v5ToLegacyDocs(doc, makeId);
  } catch (err) {
    throw new ConvertError(`${v5File}: ${(err as Error).message}`);
  }
  const exists = options.exists ?? fs.existsSync;
  const root = options.root ?? path.dirname(path.resolve(v5File));
  const dir = path.join(root, LEGACY_FOLDER_NAME);
  if (exists(dir)) {
    throw new ConvertError(`${dir} already exists, and a .insomnia folder holds one workspace: convert into a folder that has none`);
  }
  // ids become file names here: one that cannot (`../../outside/x`) gets a fresh id, and every reference follows
  const fixed = replaceUnusableDocIds(conversion.docs, makeId, true);
  return {
    changes: legacyDocsToFiles(fixed.docs, dir),
    target: dir,
    notConverted: conversion.notConverted,
    replacedIds: fixed.replaced,
    scope: { format: 'legacy', folder: dir, workspaceRoot: root },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// exports from the files (every field, not only what the model knows)

/** The documents of one workspace: it and everything whose parent chain reaches it. */
export function workspaceDocs(docs: readonly LegacyDoc[], workspaceId: string): LegacyDoc[] {
  const byId = new Map(docs.map((d) => [d._id, d]));
  const reaches = (d: LegacyDoc): boolean => {
    const seen = new Set<LegacyDoc>();
    for (let cur: LegacyDoc | undefined = d; cur && !seen.has(cur); cur = byId.get(String(cur.parentId))) {
      if (cur._id === workspaceId) return true;
      seen.add(cur);
    }
    return false;
  };
  return docs.filter(reaches);
}

/**
 * A collection's documents as its files hold them (every field, unknown ones too): a legacy folder's documents of
 * that workspace, or a v5 file's object mapped to documents. `collectionPath` and `workspaceId` are the model's
 * `path` and `id`.
 */
export function readCollectionDocs(format: 'legacy' | 'v5', collectionPath: string, workspaceId: string): { docs: LegacyDoc[]; notConverted: NotConverted[] } {
  if (format === 'legacy') return { docs: workspaceDocs(readLegacyDocs(collectionPath), workspaceId), notConverted: [] };
  let doc: unknown;
  try {
    doc = loadYaml(fs.readFileSync(collectionPath, 'utf8'));
  } catch (err) {
    throw new ConvertError(`${collectionPath}: cannot read it: ${(err as { reason?: string }).reason ?? String(err)}`);
  }
  if (!isMapping(doc)) throw new ConvertError(`${collectionPath} is not an Insomnia v5 file`);
  return v5ToLegacyDocs(doc, newId, { forExport: true });
}

/**
 * The v5 text of a collection from its files: a v5 file's own text (exactly), or a legacy folder converted on the
 * raw documents (every field kept).
 */
export function v5TextFromFiles(format: 'legacy' | 'v5', collectionPath: string, workspaceId: string, schemaVersion?: string): { text: string; notConverted: NotConverted[] } {
  if (format === 'v5') return { text: fs.readFileSync(collectionPath, 'utf8'), notConverted: [] };
  const fixed = replaceUnusableDocIds(workspaceDocs(readLegacyDocs(collectionPath), workspaceId), newId);
  const newWorkspaceId = fixed.docs.find((d) => d.type === 'Workspace')?._id ?? workspaceId;
  const { text, notConverted } = legacyToV5Text(fixed.docs, newWorkspaceId, schemaVersion);
  return { text, notConverted: [...fixed.replaced.map((r) => ({ what: `${r.what} id ${JSON.stringify(r.from)}`, why: `exported as ${r.to}: ${r.why}` })), ...notConverted] };
}

/**
 * A copy of a collection as a new v5 file beside it (a legacy folder's copy too: a repository holds one `.insomnia`
 * folder), named "<name> (Copy)", with fresh ids for every document and every mention of them following (the base
 * environment and cookie jar get the ids Insomnia derives from the new workspace id). Every field is kept, unknown ones
 * too; what v5 cannot hold (proto files, saved WebSocket payloads) is listed.
 */
export function duplicateCollection(
  format: 'legacy' | 'v5',
  collectionPath: string,
  workspaceId: string,
  options: { readonly root?: string; readonly schemaVersion?: string; readonly exists?: (p: string) => boolean; readonly newId?: (prefix: string) => string } = {},
): ConvertResult & { readonly workspaceId: string } {
  const makeId = options.newId ?? newId;
  const { docs, notConverted: notRead } = readCollectionDocs(format, collectionPath, workspaceId);
  const workspace = docs.find((d) => d.type === 'Workspace');
  if (!workspace) throw new ConvertError(`No Workspace document ${workspaceId} in ${collectionPath}`);
  const newWorkspaceId = makeId('wrk');
  const renamed = new Map<string, string>([[workspace._id, newWorkspaceId]]);
  for (const d of docs) {
    if (d === workspace) continue;
    const derived = d._id === baseEnvironmentId(workspace._id) ? baseEnvironmentId(newWorkspaceId) : d._id === cookieJarId(workspace._id) ? cookieJarId(newWorkspaceId) : undefined;
    renamed.set(d._id, derived ?? makeId(idPrefix(d._id) ?? String(d.type).toLowerCase()));
  }
  const copied = applyRenames(docs, renamed).map((d) => (d._id === newWorkspaceId ? { ...d, name: `${String(workspace.name ?? 'Collection')} (Copy)` } : d));
  const fixed = replaceUnusableDocIds(copied, makeId);
  const { text, notConverted } = legacyToV5Text(fixed.docs, newWorkspaceId, options.schemaVersion);
  const exists = options.exists ?? fs.existsSync;
  const root = options.root ?? (format === 'v5' ? path.dirname(collectionPath) : path.dirname(path.resolve(collectionPath)));
  const base = v5FileBaseName(`${String(workspace.name ?? 'collection')} copy`, newWorkspaceId);
  let file = path.join(root, `${base}.yaml`);
  for (let n = 2; exists(file); n++) file = path.join(root, `${base}_${n}.yaml`);
  return {
    changes: [{ path: file, content: text }],
    target: file,
    notConverted: [...notRead, ...notConverted],
    replacedIds: fixed.replaced,
    scope: { format: 'v5', folder: root },
    workspaceId: newWorkspaceId,
  };
}
