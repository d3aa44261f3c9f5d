// `hammock export | convert | import`: the import/export and format conversion layer (src/collections/convert) from a
// terminal, for scripts. Called by cli.ts; same conventions: exit 0 done, 1 the input or the plan is wrong (nothing
// written), 2 usage error.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileChange } from './collections/edits';
import { countItems, walkItems, type Collection, type Problem } from './collections/model';
import { loadWorkspace, unreadableFiles } from './collections/scan';
import { writeChanges } from './collections/store';
import { PlanError } from './collections/editPlanner';
import { exportInsomniaV4FromDocs } from './collections/convert/exportV4';
import { exportPostman } from './collections/convert/exportPostman';
import {
  convertLegacyToV5,
  convertV5ToLegacy,
  ConvertError,
  readCollectionDocs,
  v5TextFromFiles,
  type ConvertResult,
} from './collections/convert/convertFormat';
import { ImportError, type Dropped, type ImportResult } from './collections/convert/importTypes';
import { importText } from './collections/convert/importText';
import { planImportDetailed, type ImportTarget } from './collections/convert/planImport';
import { schemaVersionForNewFile } from './collections/convert/insomniaDocs';
import { replacedIdLine } from './collections/convert/renameIds';
import { PathGuardError, type WriteScope } from './collections/edit/pathGuard';
import { WriteFilesError } from './collections/edit/writeFiles';
import { alreadyInWorkspace, workspaceIds } from './importExport/importSummary';
import { isDirectory, posixRelative as relative } from './util/posixRelative';

export const CONVERT_USAGE = `  export DIR --format v4|v5|postman [--collection PATH_NAME_OR_ID] [--out FILE]
                      export collections as an Insomnia v4 export (JSON, all collections
                      by default), an Insomnia v5 file or a Postman v2.1 collection (one
                      collection); stdout unless --out; what the format cannot hold is
                      listed on stderr; without --collection, a collection file that
                      cannot be read is named and the exit code is 1
  convert DIR --collection PATH_NAME_OR_ID --to v5|legacy [--out FOLDER] [--dry-run]
                      write a legacy .insomnia/ collection as a v5 file beside it, or a v5
                      file as a .insomnia/ folder, keeping every id and field (--out: in
                      FOLDER instead, inside DIR); the original stays; exit 1 if the target
                      exists
  import FILE [DIR] [--format v5|legacy] [--into PATH_NAME_OR_ID] [--folder NAME_OR_ID] [--dry-run]
                      import an Insomnia v4/v5 export, Postman collection or environment,
                      HAR, OpenAPI/Swagger or cURL file into a new collection under DIR
                      (--format, default v5) or into an existing one (--into, under
                      --folder); prints what it imports and drops; --dry-run writes nothing;
                      a malformed file exits 1 and writes nothing
`;

export interface ConvertIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

interface Parsed {
  readonly positional: string[];
  readonly options: Map<string, string>;
  readonly flags: Set<string>;
}

function parse(args: readonly string[], withValue: readonly string[], flags: readonly string[]): Parsed {
  const out: Parsed = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-')) {
      out.positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (withValue.includes(name)) {
      const value = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      out.options.set(name, value);
    } else if (flags.includes(name) && eq < 0) {
      out.flags.add(name);
    } else {
      throw new UsageError(`unknown option: ${a}`);
    }
  }
  return out;
}

export async function convertCommands(command: 'export' | 'convert' | 'import', args: readonly string[], io: ConvertIo): Promise<number> {
  try {
    if (command === 'export') return await exportCommand(args, io);
    if (command === 'convert') return await convertCommand(args, io);
    return await importCommand(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`hammock ${command}: ${err.message}\n\nUsage:\n${CONVERT_USAGE}`);
      return EXIT_USAGE;
    }
    if (err instanceof ConvertError || err instanceof PlanError || err instanceof ImportError || err instanceof Failure || err instanceof PathGuardError || err instanceof WriteFilesError) {
      io.stderr(`hammock ${command}: ${err.message}\n`);
      return EXIT_FAILED;
    }
    throw err;
  }
}

class Failure extends Error {}

/** The folder a DIR argument names (default: the current folder); not a folder is a usage error. */
function folderArg(dirArg: string | undefined, io: ConvertIo): string {
  const dir = path.resolve(io.cwd, dirArg ?? '.');
  if (!isDirectory(dir)) throw new UsageError(`${dirArg ?? dir}: not a folder`);
  return dir;
}

async function collectionsUnder(dirArg: string | undefined, io: ConvertIo): Promise<{ dir: string; collections: Collection[]; unreadable: Problem[] }> {
  const dir = folderArg(dirArg, io);
  const snapshot = await loadWorkspace(dir);
  return { dir, collections: snapshot.collections, unreadable: unreadableFiles(snapshot) };
}

/**
 * The collection named by `wanted`: a path (the v5 file, the `.insomnia` folder or the folder holding it; relative to
 * the current folder or to DIR), else an id, else a name (exactly). When an id or name names several collections (a
 * workspace kept in both formats, as `convert` leaves it), the error lists their paths to give instead.
 */
export function pickCollection(collections: readonly Collection[], wanted: string, dir: string, cwd: string): Collection {
  const candidates = [path.resolve(cwd, wanted), path.resolve(dir, wanted)];
  const byPath = collections.filter((c) =>
    candidates.some((p) => p === c.path || (c.format === 'legacy' && p === path.dirname(c.path))),
  );
  if (byPath.length === 1) return byPath[0];
  const byId = collections.filter((c) => c.id === wanted);
  const found = byPath.length > 1 ? byPath : byId.length > 0 ? byId : collections.filter((c) => c.name === wanted);
  if (found.length === 1) return found[0];
  if (found.length === 0) throw new Failure(`no collection "${wanted}" under ${dir} (${collections.map((c) => `"${c.name}"`).join(', ') || 'none'})`);
  const paths = found.map((c) => `${relative(cwd, c.path)} (${c.format}, ${c.id})`).join(', ');
  throw new Failure(`"${wanted}" names ${found.length} collections: give one's path with --collection: ${paths}`);
}

function listDropped(io: ConvertIo, heading: string, list: readonly Dropped[]): void {
  if (list.length === 0) return;
  io.stderr(`${heading}:\n`);
  for (const d of list) io.stderr(droppedLine(d));
}

function droppedLine(d: { readonly what: string; readonly why: string; readonly count?: number }): string {
  return `  - ${d.what}${d.count && d.count > 1 ? ` (x${d.count})` : ''}: ${d.why}\n`;
}

// ---------------------------------------------------------------------------------------------------------------

async function exportCommand(args: readonly string[], io: ConvertIo): Promise<number> {
  const p = parse(args, ['--format', '--collection', '--out'], []);
  if (p.positional.length > 1) throw new UsageError(`export takes one folder, got ${p.positional.length}`);
  const format = p.options.get('--format');
  if (format !== 'v4' && format !== 'v5' && format !== 'postman') throw new UsageError('--format must be v4, v5 or postman');
  const { dir, collections, unreadable } = await collectionsUnder(p.positional[0], io);
  const wanted = p.options.get('--collection');
  // without --collection a file that cannot be read is a collection left out (or taken for the one meant): named, exit 1
  const missing = wanted ? [] : unreadable;
  for (const u of missing) io.stderr(`hammock export: ${relative(io.cwd, u.file)}:${u.line + 1}:${u.column + 1}: ${u.message}; not exported\n`);
  let chosen: Collection[];
  if (wanted) chosen = [pickCollection(collections, wanted, dir, io.cwd)];
  else if (format === 'v4') chosen = collections;
  else if (collections.length === 1) chosen = collections;
  else throw new Failure(`${collections.length} collections under ${dir}: say which one with --collection (${collections.map((c) => `"${c.name}"`).join(', ')})`);
  if (chosen.length === 0) throw new Failure(`no Insomnia collections under ${dir}`);
  let text: string;
  let dropped: Dropped[] = [];
  // Insomnia formats from the files themselves, so fields Hammock does not know are exported too
  if (format === 'v4') ({ text, dropped } = exportInsomniaV4FromDocs(chosen.map((c) => readCollectionDocs(c.format, c.path, c.id).docs)));
  else if (format === 'v5') ({ text, notConverted: dropped } = v5TextFromFiles(chosen[0].format, chosen[0].path, chosen[0].id, schemaVersionForNewFile(collections)));
  else ({ text, unexpressed: dropped } = exportPostman(chosen[0]));
  const out = p.options.get('--out');
  if (out) {
    const file = path.resolve(io.cwd, out);
    await writeChanges([{ path: file, content: text }], { format: 'file', folder: path.dirname(file) });
    io.stderr(`wrote ${relative(io.cwd, file)}\n`);
  } else {
    io.stdout(text);
  }
  listDropped(io, format === 'postman' ? 'not expressible in Postman' : 'not exported', dropped);
  return missing.length > 0 ? EXIT_FAILED : EXIT_OK;
}

async function convertCommand(args: readonly string[], io: ConvertIo): Promise<number> {
  const p = parse(args, ['--collection', '--to', '--out'], ['--dry-run']);
  if (p.positional.length > 1) throw new UsageError(`convert takes one folder, got ${p.positional.length}`);
  const to = p.options.get('--to');
  if (to !== 'v5' && to !== 'legacy') throw new UsageError('--to must be v5 or legacy');
  const wanted = p.options.get('--collection');
  if (!wanted) throw new UsageError('--collection PATH_NAME_OR_ID is required');
  const { dir, collections } = await collectionsUnder(p.positional[0], io);
  const c = pickCollection(collections, wanted, dir, io.cwd);
  if (c.format === to) throw new Failure(`"${c.name}" is already ${to === 'v5' ? 'a v5 file' : 'a legacy .insomnia folder'} (${relative(dir, c.path)})`);
  const out = p.options.get('--out');
  const root = out === undefined ? undefined : path.resolve(io.cwd, out);
  const inside = root === undefined ? '' : relative(dir, root);
  if (inside === '..' || inside.startsWith('../') || path.isAbsolute(inside)) throw new UsageError(`--out must be a folder inside ${dir}`);
  let result: ConvertResult;
  try {
    result =
      to === 'v5'
        ? convertLegacyToV5(c.path, { workspaceId: c.id, schemaVersion: schemaVersionForNewFile(collections), root })
        : convertV5ToLegacy(c.path, { root });
  } catch (err) {
    // the folder to convert into is --out's
    if (err instanceof ConvertError && root === undefined && /already exists/.test(err.message)) throw new ConvertError(`${err.message} (--out FOLDER)`);
    throw err;
  }
  await report(result.changes, p.flags.has('--dry-run'), dir, io, { ...result.scope, workspaceRoot: dir });
  io.stdout(`${p.flags.has('--dry-run') ? 'would convert' : 'converted'} "${c.name}" (${c.id}) to ${relative(dir, result.target)}; ${relative(dir, c.path)} is unchanged\n`);
  for (const r of result.replacedIds) io.stdout(`${replacedIdLine(r)}\n`);
  listDropped(io, 'not converted (still in the original)', result.notConverted);
  return EXIT_OK;
}

async function report(changes: readonly FileChange[], dryRun: boolean, dir: string, io: ConvertIo, scope: WriteScope): Promise<void> {
  if (!dryRun) await writeChanges(changes, scope);
  const shown = changes.length > 12 ? [...changes.slice(0, 10)] : changes;
  for (const ch of shown) io.stdout(`${dryRun ? 'would write' : 'wrote'} ${relative(dir, ch.path)}\n`);
  if (shown.length < changes.length) io.stdout(`... and ${changes.length - shown.length} more files\n`);
}

async function importCommand(args: readonly string[], io: ConvertIo): Promise<number> {
  const p = parse(args, ['--format', '--into', '--folder'], ['--dry-run']);
  if (p.positional.length === 0 || p.positional.length > 2) throw new UsageError(`import takes a file and a folder, got ${p.positional.length} arguments`);
  const format = p.options.get('--format') ?? 'v5';
  if (format !== 'v5' && format !== 'legacy') throw new UsageError('--format must be v5 or legacy');
  if (p.options.has('--format') && p.options.has('--into')) throw new UsageError('--format is for a new collection; --into imports into an existing one');
  if (p.options.has('--folder') && !p.options.has('--into')) throw new UsageError('--folder needs --into');
  const file = path.resolve(io.cwd, p.positional[0]);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Failure(`cannot read ${p.positional[0]}`);
  }
  const dir = folderArg(p.positional[1], io);
  let result: ImportResult;
  try {
    result = importText(text, path.basename(file));
  } catch (err) {
    if (err instanceof ImportError) {
      const at = err.line !== undefined ? `:${err.line + 1}${err.column !== undefined ? `:${err.column + 1}` : ''}` : '';
      throw new Failure(`${p.positional[0]}${at}: ${err.message}; nothing written`);
    }
    throw err;
  }
  preview(result, io);
  const existing = (await loadWorkspace(dir)).collections;
  for (const w of alreadyInWorkspace(result, existing, (c) => relative(io.cwd, c.path))) io.stdout(`warning: ${w}\n`);
  let target: ImportTarget;
  const into = p.options.get('--into');
  if (into) {
    const collections = existing;
    const c = pickCollection(collections, into, dir, io.cwd);
    const folderWanted = p.options.get('--folder');
    let parentId: string | undefined;
    if (folderWanted) {
      const folders = [...walkItems(c.children)].filter((i) => i.kind === 'folder' && (i.id === folderWanted || i.name === folderWanted));
      if (folders.length !== 1) throw new Failure(folders.length === 0 ? `no folder "${folderWanted}" in "${c.name}"` : `"${folderWanted}" names ${folders.length} folders; give the id`);
      parentId = folders[0].id;
    }
    target = { kind: 'existing', collection: c, parentId, readText: (f) => fs.readFileSync(f, 'utf8'), exists: fs.existsSync };
  } else {
    target = { kind: 'new', root: dir, format, exists: fs.existsSync, takenIds: workspaceIds(existing), schemaVersion: schemaVersionForNewFile(existing) };
  }
  const plan = planImportDetailed(result, target);
  if (plan.renamedIds.size > 0) io.stdout(`${plan.renamedIds.size} imported id${plan.renamedIds.size === 1 ? '' : 's'} already in use got fresh ones\n`);
  for (const r of plan.replacedIds) io.stdout(`${replacedIdLine(r)}\n`);
  if (plan.notWritten.length > 0) {
    io.stdout(`not written (${format === 'legacy' || target.kind === 'existing' ? 'the target' : 'the format'} cannot hold it):\n`);
    for (const n of plan.notWritten) io.stdout(droppedLine(n));
  }
  await report(plan.changes, p.flags.has('--dry-run'), dir, io, { ...plan.scope, workspaceRoot: dir });
  return EXIT_OK;
}

const FORMAT_NAMES: Record<string, string> = {
  'insomnia-v4': 'Insomnia v4 export',
  'insomnia-v5': 'Insomnia v5 file',
  'postman-collection': 'Postman collection',
  'postman-environment': 'Postman environment',
  curl: 'cURL command',
  openapi: 'OpenAPI 3 document',
  swagger: 'Swagger 2 document',
  har: 'HAR archive',
};

/** What the import holds: counts per collection, then what it drops and why, and its warnings. */
function preview(result: ImportResult, io: ConvertIo): void {
  const n = result.collections.length;
  io.stdout(`${FORMAT_NAMES[result.format] ?? result.format}: ${n} collection${n === 1 ? '' : 's'}\n`);
  for (const c of result.collections) {
    const k = countItems(c);
    const parts = [
      `${k.folders} folder${k.folders === 1 ? '' : 's'}`,
      `${k.requests} request${k.requests === 1 ? '' : 's'}`,
      ...(k.grpcRequests ? [`${k.grpcRequests} gRPC`] : []),
      ...(k.websocketRequests ? [`${k.websocketRequests} WebSocket`] : []),
      ...(k.socketIORequests ? [`${k.socketIORequests} Socket.IO`] : []),
      `${k.environments} environment${k.environments === 1 ? '' : 's'}`,
      ...(c.mockServer ? [`a mock server with ${c.mockServer.routes.length} route${c.mockServer.routes.length === 1 ? '' : 's'}`] : []),
    ];
    io.stdout(`  "${c.name}": ${parts.join(', ')}\n`);
  }
  if (result.dropped.length > 0) {
    io.stdout(`dropped:\n`);
    for (const d of result.dropped) io.stdout(droppedLine(d));
  }
  for (const w of result.warnings) io.stdout(`warning: ${w}\n`);
}
