// The conformance checker: would Insomnia read this file? Runs Insomnia's own readers, transcribed, on files Hammock
// (or anyone) wrote, and says what Insomnia would say, with the path in the document and its line.
//
// - v5 files: parsed with `yaml` (Insomnia's parser), migrated (insomniaMigrations.ts) and validated with the zod
//   schema (insomniaSchema.ts) of two readers: Insomnia 12.x-13.x (schema 5.1) and develop (schema 5.2). A file
//   either refuses is refused whole: Insomnia's importer throws "Failed to parse yaml file to Insomnia schema", its
//   Git clone leaves the file out of the list.
// - legacy `.insomnia/<Type>/<id>.yml` folders: Insomnia 10's Git Sync reader (Kong/insomnia @ 078bb9b, 10.1.1:
//   packages/insomnia/src/sync/git/ne-db-client.ts `writeFile`, parse-git-path.ts, ui/routes/git-actions.tsx clone):
//   the file name (less `.yml`/`.json`) is the document's `_id`, its folder its `type`, one Workspace per folder; and
//   every document's `parentId` chain reaches that Workspace (a document that hangs from nothing is never shown).
// - Insomnia v4 exports (JSON): what Insomnia's v4 importer needs (`_type: export`, `__export_format: 4`, resources
//   with `_id` and a known `_type`, parents inside the export).
// Pure but for `checkInsomniaFolder`, which reads a folder. Used by `hammock check --insomnia` and the tests.

import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq, LineCounter, parse, parseDocument, type Node } from 'yaml';
import type { z } from 'zod/v4';
import { InsomniaFileSchema51, InsomniaFileSchema52, ITEM_UNION_51_OPTIONS } from './insomniaSchema';
import { declaredSchemaVersion, MIGRATION_5_1, MIGRATION_5_2, migrateToReader } from './insomniaMigrations';
import { LEGACY_FOLDER_NAME, LEGACY_TYPES } from './legacy';
import { isV5Text } from './v5';

export interface ConformanceIssue {
  /** absolute path of the file (or of the `.insomnia` folder for a folder-wide rule). */
  readonly file: string;
  /** 0-based line and column of the node the issue is about (0 when unknown). */
  readonly line: number;
  readonly column: number;
  /** which of Insomnia's readers refuses it. */
  readonly reader: string;
  /** the path in the document (`collection.0.children.4.body.params.0.multiline`), '' for the whole document. */
  readonly path: string;
  /** what Insomnia says. */
  readonly message: string;
}

export const READER_51 = 'Insomnia 12-13 (schema 5.1)';
export const READER_52 = 'Insomnia develop (schema 5.2)';
export const READER_LEGACY = 'Insomnia 10 Git Sync';
export const READER_V4 = 'Insomnia v4 import';

/** The schema versions Insomnia's readers know; a new file gets the newest unless its repository uses another. */
export const KNOWN_SCHEMA_VERSIONS: readonly string[] = ['5.0', '5.1', '5.2'];
export const NEWEST_SCHEMA_VERSION = '5.2';

/** One issue as a line: `path: message` (the reader in brackets). */
export function formatIssue(issue: ConformanceIssue): string {
  return `${issue.path ? `${issue.path}: ` : ''}${issue.message} [${issue.reader}]`;
}

// ---------------------------------------------------------------------------------------------------------------
// v5

const READERS = [
  { name: READER_51, version: '5.1', migrations: [MIGRATION_5_1], schema: InsomniaFileSchema51 as z.ZodType },
  { name: READER_52, version: '5.2', migrations: [MIGRATION_5_1, MIGRATION_5_2], schema: InsomniaFileSchema52 as z.ZodType },
];

/** Every reason Insomnia's v5 readers refuse this text (none: both read it). */
export function checkV5Text(file: string, text: string): ConformanceIssue[] {
  const lineCounter = new LineCounter();
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (err) {
    const pos = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const message = (err as Error).message.split('\n')[0];
    return [{ file, line: pos ? pos.line - 1 : 0, column: pos ? pos.col - 1 : 0, reader: READER_51, path: '', message }];
  }
  const out: ConformanceIssue[] = [];
  const seen = new Set<string>();
  let doc: ReturnType<typeof parseDocument> | undefined;
  const locate = (p: readonly PropertyKey[]): { line: number; column: number } => {
    doc ??= parseDocument(text, { lineCounter, keepSourceTokens: false });
    return nodePosition(doc.contents as Node | null, p, lineCounter);
  };
  for (const reader of READERS) {
    const data = migrateToReader(parsed, reader.version, reader.migrations);
    const result = reader.schema.safeParse(data);
    if (result.success) continue;
    for (const issue of flattenIssues(result.error.issues)) {
      const key = `${issue.path}\0${issue.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const pos = locate(issue.rawPath);
      out.push({ file, ...pos, reader: reader.name, path: issue.path, message: issue.message });
    }
  }
  return out;
}

/** The schema version a v5 text declares (absent: 5.0), or undefined when it does not parse. */
export function schemaVersionOfText(text: string): string | undefined {
  try {
    return declaredSchemaVersion(parse(text));
  } catch {
    return undefined;
  }
}

interface FlatIssue {
  readonly rawPath: readonly PropertyKey[];
  readonly path: string;
  readonly message: string;
}

type ZodIssue = z.core.$ZodIssue;

/**
 * zod's issues as lines. A union none of whose options fits is one line: zod's "Invalid input", then what the closest
 * option (the one with the fewest issues; for the 5.1 item union, named) still lacks, as Insomnia's error lists it.
 */
function flattenIssues(issues: readonly ZodIssue[], prefix: readonly PropertyKey[] = []): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const issue of issues) {
    const rawPath = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union') {
      const text = (list: readonly FlatIssue[]) => list.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
      let detail: string;
      if (issue.errors.length === 0) {
        // a discriminated union whose discriminator matches no option
        const note = (issue as { note?: string }).note;
        detail = note ? `${note}${'discriminator' in issue ? ` \`${String((issue as { discriminator?: unknown }).discriminator)}\`` : ''}` : 'no option fits';
      } else if (issue.errors.every((branch) => branch.length === 1 && branch[0].path.length === 0 && branch[0].code !== 'invalid_union')) {
        // a union of plain values: every option's complaint
        detail = issue.errors.map((branch) => branch[0].message).join(' | ');
      } else {
        let best = 0;
        for (let i = 1; i < issue.errors.length; i++) if (issue.errors[i].length < issue.errors[best].length) best = i;
        const name = issue.errors.length === ITEM_UNION_51_OPTIONS.length && isItemPath(rawPath) ? ` as ${ITEM_UNION_51_OPTIONS[best]}` : '';
        detail = `closest${name}: ${text(flattenIssues(issue.errors[best]))}`;
      }
      out.push({ rawPath, path: pathText(rawPath), message: `${issue.message} (invalid_union; ${detail})` });
      continue;
    }
    out.push({ rawPath, path: pathText(rawPath), message: issue.message });
  }
  return out;
}

function isItemPath(p: readonly PropertyKey[]): boolean {
  return p.length >= 2 && typeof p[p.length - 1] === 'number' && (p[p.length - 2] === 'collection' || p[p.length - 2] === 'children');
}

function pathText(p: readonly PropertyKey[]): string {
  return p.map(String).join('.');
}

/** Line and column of the deepest node of `p` the document has (0-based). */
function nodePosition(root: Node | null, p: readonly PropertyKey[], lines: LineCounter): { line: number; column: number } {
  let node: unknown = root;
  let found: Node | null = root;
  for (const key of p) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((it) => (it.key as { value?: unknown } | null)?.value === key);
      next = pair ? (pair.value ?? pair.key) : undefined;
      if (pair && !pair.value) {
        found = pair.key as Node;
        break;
      }
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key];
    }
    if (!next || typeof next !== 'object' || !('range' in next)) break;
    node = next;
    found = next as Node;
  }
  const offset = found?.range?.[0] ?? 0;
  const { line, col } = lines.linePos(offset);
  return { line: Math.max(0, line - 1), column: Math.max(0, col - 1) };
}

// ---------------------------------------------------------------------------------------------------------------
// legacy

/** One file of a legacy folder: its path (absolute) and text. */
export interface LegacyFileText {
  readonly path: string;
  readonly text: string;
}

const KNOWN_LEGACY_TYPES: ReadonlySet<string> = new Set(LEGACY_TYPES);

/**
 * Every reason Insomnia 10's Git Sync refuses or loses documents of a `.insomnia` folder (`dir`), given all its files.
 */
export function checkLegacyFiles(dir: string, files: readonly LegacyFileText[]): ConformanceIssue[] {
  const out: ConformanceIssue[] = [];
  const issue = (file: string, message: string, p = '') => out.push({ file, line: 0, column: 0, reader: READER_LEGACY, path: p, message });
  const docs = new Map<string, { file: string; type: string; parentId: unknown }>();
  const workspaces: string[] = [];
  let workspaceFiles = 0;
  for (const f of files) {
    const rel = path.relative(dir, f.path).split(path.sep);
    // parse-git-path.ts: `[root, type, idRaw]` of the path below the clone dir; the id less `.json`/`.yml`
    const [type, idRaw] = rel;
    if (rel.length !== 2) {
      issue(f.path, `Not a document file: Insomnia reads .insomnia/<Type>/<id>.yml only`);
      continue;
    }
    if (type === 'Workspace') workspaceFiles++;
    if (!KNOWN_LEGACY_TYPES.has(type)) {
      issue(f.path, `Insomnia reads no ${type} folder: this file is never loaded`);
      continue;
    }
    const id = idRaw.replace(/\.(json|yml)$/, '');
    let doc: unknown;
    try {
      doc = parse(f.text);
    } catch (err) {
      issue(f.path, (err as Error).message.split('\n')[0]);
      continue;
    }
    const d = (doc ?? {}) as Record<string, unknown>;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      issue(f.path, `Doc _id does not match file path [${String(d._id)} != ${id || 'null'}]`);
      continue;
    }
    // ne-db-client.ts writeFile: the two checks, in this order, with these messages
    if (id !== d._id) {
      issue(f.path, `Doc _id does not match file path [${String(d._id)} != ${id || 'null'}]`, '_id');
      continue;
    }
    if (type !== d.type) {
      issue(f.path, `Doc type does not match file path [${String(d.type)} != ${type || 'null'}]`, 'type');
      continue;
    }
    if (docs.has(id)) {
      issue(f.path, `Duplicate document id ${id} (also ${path.relative(dir, docs.get(id)!.file)}): Insomnia keeps one of them`, '_id');
      continue;
    }
    docs.set(id, { file: f.path, type, parentId: d.parentId });
    if (type === 'Workspace') workspaces.push(id);
  }
  // git-actions.tsx cloneGitRepoAction: the Workspace folder must hold exactly one file
  if (workspaceFiles === 0) issue(dir, 'No workspaces found in repository');
  else if (workspaceFiles > 1) issue(dir, 'Multiple workspaces found in repository. Expected one.');
  const workspace = workspaces.length === 1 ? workspaces[0] : undefined;
  if (workspace) {
    for (const [id, d] of docs) {
      if (d.type === 'Workspace') continue;
      const seen = new Set<string>([id]);
      let parent = d.parentId;
      while (typeof parent === 'string' && parent !== workspace && docs.has(parent) && !seen.has(parent)) {
        seen.add(parent);
        parent = docs.get(parent)!.parentId;
      }
      if (parent !== workspace) {
        issue(d.file, `${d.type} ${id} is not under the workspace ${workspace}: its parentId chain ends at ${parent === undefined || parent === null ? 'nothing' : String(parent)}, so Insomnia never shows it`, 'parentId');
      }
    }
  }
  return out;
}

/** `checkLegacyFiles` on a folder on disk (every file below it). */
export function checkLegacyFolder(dir: string): ConformanceIssue[] {
  const files: LegacyFileText[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) files.push({ path: p, text: readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return checkLegacyFiles(dir, files);
}

// ---------------------------------------------------------------------------------------------------------------
// v4 exports

const V4_TYPES = new Set([
  'workspace', 'environment', 'request_group', 'request', 'grpc_request', 'websocket_request', 'socketio_request', 'api_spec',
  'unit_test_suite', 'unit_test', 'proto_file', 'proto_directory', 'websocket_payload', 'mock', 'mock_route', 'cookie_jar',
]);

/** What keeps Insomnia's v4 importer from reading an export (the text of `hammock export --format v4`). */
export function checkV4Text(file: string, text: string): ConformanceIssue[] {
  const out: ConformanceIssue[] = [];
  const issue = (message: string, p = '') => out.push({ file, line: 0, column: 0, reader: READER_V4, path: p, message });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    issue((err as Error).message);
    return out;
  }
  const d = (doc ?? {}) as Record<string, unknown>;
  if (d._type !== 'export') issue('not an Insomnia export: `_type` is not `export`', '_type');
  if (d.__export_format !== 4) issue('`__export_format` is not 4', '__export_format');
  if (!Array.isArray(d.resources)) {
    issue('`resources` is not a list', 'resources');
    return out;
  }
  const ids = new Map<string, Record<string, unknown>>();
  d.resources.forEach((r: unknown, i: number) => {
    const res = (r ?? {}) as Record<string, unknown>;
    if (typeof r !== 'object' || r === null || typeof res._id !== 'string' || !res._id) issue('a resource without `_id`', `resources.${i}`);
    else if (typeof res._type !== 'string' || !V4_TYPES.has(res._type)) issue(`unknown resource type ${String(res._type)}`, `resources.${i}._type`);
    else ids.set(res._id, res);
  });
  for (const [id, r] of ids) {
    if (r._type === 'workspace') continue;
    const seen = new Set<string>([id]);
    let cur: Record<string, unknown> | undefined = r;
    while (cur && cur._type !== 'workspace') {
      const p = String(cur.parentId ?? '');
      if (seen.has(p)) break;
      seen.add(p);
      cur = ids.get(p);
    }
    if (!cur || cur._type !== 'workspace') issue(`${String(r._type)} ${id} is not under a workspace of the export`, 'parentId');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// a folder

/** Every Insomnia file under a folder (Insomnia's discovery: `.insomnia` folders, `.yaml`/`.yml` files whose first line names a v5 type), checked. */
export function checkInsomniaFolder(root: string): { issues: ConformanceIssue[]; files: number; folders: number } {
  const issues: ConformanceIssue[] = [];
  let files = 0;
  let folders = 0;
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === LEGACY_FOLDER_NAME) {
          folders++;
          issues.push(...checkLegacyFolder(p));
        } else if (e.name !== 'node_modules' && !e.name.startsWith('.')) walk(p);
      } else if (e.isFile() && /\.ya?ml$/i.test(e.name)) {
        const text = readFileSync(p, 'utf8');
        if (!isV5Text(text)) continue;
        files++;
        issues.push(...checkV5Text(p, text));
      }
    }
  };
  walk(root);
  return { issues, files, folders };
}
