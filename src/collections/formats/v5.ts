// Reading Insomnia v5 single-file workspaces (Insomnia 11.0+): `type: collection.insomnia.rest/5.0` and its four
// siblings, anywhere in the repository. See INSOMNIA_FORMAT.md sections 2 and 7.
// Pure: `parseV5File(file, text)` gives the collection (or the problem of a broken file). Every model object's
// `source.yamlPath` is the path of its node (`['collection', 0, 'children', 1]`, `['environments']`,
// `['environments', 'subEnvironments', 0]`, `['spec']`, `[]` for the collection) and `source.line` the 0-based
// line where that node starts, found by one light pass over the lines (no second parse).

import * as path from 'node:path';
import type {
  ApiSpec,
  BaseEnvironment,
  Collection,
  Environment,
  Folder,
  GrpcRequest,
  HttpRequest,
  Item,
  ItemKind,
  MockRoute,
  MockServer,
  Problem,
  Scope,
  SocketIORequest,
  SourceRef,
  UnitTest,
  UnitTestSuite,
  WebSocketRequest,
} from '../model';
import { bySortKey, bySortKeyThenId } from '../model';
import {
  conflictMarkerProblem,
  conflictMarkerProblemAt,
  authentication,
  body,
  bool,
  data,
  withOrder,
  followRedirects,
  generatedId,
  isMapping,
  keyValues,
  loadYaml,
  mapping,
  num,
  optionalNum,
  optionalStr,
  problem,
  reflectionApi,
  scripts,
  str,
  V5_REFLECTION_API_DEFAULT,
  yamlProblem,
  type RawMapping,
} from './fields';
import { emptyPieceCache, parseV5Pieces, scanLines, SLICE_MIN_CHARS, type LineTable, type ParseLarge, type PieceCache, type PiecesResult } from './v5Pieces';
import { runSteps, runStepsSliced, type Slicer } from '../slicer';
import { writers } from '../lazyWriters';

/** The five v5 file types and the workspace scope each one is. */
export const V5_TYPES: Readonly<Record<string, Scope>> = Object.freeze({
  'collection.insomnia.rest/5.0': 'collection',
  'spec.insomnia.rest/5.0': 'design',
  'mock.insomnia.rest/5.0': 'mock-server',
  'environment.insomnia.rest/5.0': 'environment',
  'mcpClient.insomnia/5.0': 'mcp',
});
const V5_TYPE_NAMES = Object.keys(V5_TYPES);

/** Schema versions this reader knows (absent = 5.0). */
export const V5_SCHEMA_VERSIONS: readonly string[] = ['5.0', '5.1', '5.2'];

/** The first line of a text (without the line break and a byte order mark). */
export function firstLine(text: string): string {
  const end = text.indexOf('\n');
  const line = end < 0 ? text : text.slice(0, end);
  return line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}

/** The v5 type string the first line names, if any: Insomnia's own test for "this file is an Insomnia file". */
export function v5TypeInFirstLine(line: string): string | undefined {
  for (const type of V5_TYPE_NAMES) if (line.includes(type)) return type;
  return undefined;
}

/**
 * The v5 type of a file from its first line; for a file in the middle of a merge whose first line is a conflict
 * marker (`<<<<<<< HEAD`), from the line after it, so the conflict is reported rather than the file ignored.
 */
export function v5TypeOfText(text: string): string | undefined {
  const line = firstLine(text);
  if (!line.startsWith('<<<<<<<')) return v5TypeInFirstLine(line);
  const next = text.indexOf('\n');
  return next < 0 ? undefined : v5TypeInFirstLine(firstLine(text.slice(next + 1)));
}

/** Whether a `.yaml`/`.yml` text is an Insomnia v5 file (its first line names one of the five types). */
export function isV5Text(text: string): boolean {
  return v5TypeInFirstLine(firstLine(text)) !== undefined;
}

export interface V5FileResult {
  /** false: not an Insomnia file (other YAML); ignored, no problem. */
  readonly insomnia: boolean;
  /** absent when the file could not be read as a v5 workspace (then `problems` says why). */
  readonly collection?: Collection;
  /** problems of a file that gave no collection (broken YAML); a collection's own problems are in `collection.problems`. */
  readonly problems: Problem[];
}

/** Reads one v5 file's text. Other YAML is `{ insomnia: false }`; broken YAML an error problem with line and column. */
export function parseV5File(file: string, text: string): V5FileResult {
  const lineType = v5TypeOfText(text);
  if (!lineType) return { insomnia: false, problems: [] };
  const conflict = conflictMarkerProblem(file, text);
  if (conflict) return { insomnia: true, problems: [conflict] };
  let doc: unknown;
  try {
    doc = loadYaml(text);
  } catch (err) {
    return { insomnia: true, problems: [yamlProblem(file, err)] };
  }
  if (!isMapping(doc)) {
    return { insomnia: true, problems: [problem(file, 'Not an Insomnia v5 file: expected a mapping with `type`')] };
  }
  return { insomnia: true, collection: buildV5Collection(file, doc, text, lineType), problems: [] };
}

/**
 * `parseV5File` for the store: a large text is parsed piece by piece (yielding between pieces when a slicer is
 * given), reusing the pieces of `cache` whose text did not change. Gives the same result as `parseV5File`.
 */
export async function parseV5FileInPieces(
  file: string,
  text: string,
  options: { slicer?: Slicer; cache?: PieceCache; /** cut even a small text (tests). */ always?: boolean; parseLarge?: ParseLarge } = {},
): Promise<{ result: V5FileResult; pieces: PieceCache }> {
  const none = emptyPieceCache();
  const lineType = v5TypeOfText(text);
  if (!lineType) return { result: { insomnia: false, problems: [] }, pieces: none };
  // a text that will be cut is scanned first, and the scan notes the conflict markers' line (no second pass for it)
  const lines = text.length >= SLICE_MIN_CHARS || options.always ? await scanLines(text, options.slicer) : undefined;
  const conflict = lines ? conflictMarkerProblemAt(file, text, lines.conflict < 0 ? -1 : lines.start[lines.conflict], lines.conflict) : conflictMarkerProblem(file, text);
  if (conflict) return { result: { insomnia: true, problems: [conflict] }, pieces: none };
  let parsed: PiecesResult;
  try {
    parsed = await parseV5Pieces(text, { cache: options.cache, slicer: options.slicer, always: options.always, lines, parseLarge: options.parseLarge });
  } catch (err) {
    return { result: { insomnia: true, problems: [yamlProblem(file, err)] }, pieces: none };
  }
  const doc = parsed.doc;
  if (!isMapping(doc)) {
    return { result: { insomnia: true, problems: [problem(file, 'Not an Insomnia v5 file: expected a mapping with `type`')] }, pieces: none };
  }
  if (options.slicer?.overdue()) await options.slicer.yield();
  const steps = buildV5CollectionSteps(file, doc, text, lineType, parsed.lines);
  const collection = options.slicer ? await runStepsSliced(steps, options.slicer) : runSteps(steps);
  return { result: { insomnia: true, collection, problems: [] }, pieces: parsed.cache };
}

interface Context {
  readonly file: string;
  readonly problems: Problem[];
  readonly ids: Set<string>;
  readonly lines: YamlLines | undefined;
}

/**
 * Builds the collection of a parsed v5 document. `text` (the file's text) is used only to find the line of each item;
 * without it every line is 0. `lineType` is the type string of the first line, used when `doc.type` is not a v5 type.
 */
export function buildV5Collection(file: string, doc: RawMapping, text?: string, lineType?: string): Collection {
  return runSteps(buildV5CollectionSteps(file, doc, text, lineType));
}

/** `buildV5Collection` yielding to the event loop when a slice of `slicer` is used up (a 3,000-request file). */
export function buildV5CollectionSliced(file: string, doc: RawMapping, text: string | undefined, lineType: string | undefined, slicer: Slicer): Promise<Collection> {
  return runStepsSliced(buildV5CollectionSteps(file, doc, text, lineType), slicer);
}

/** The build, a step at a time: it yields after each item and every few thousand lines it scans. */
function* buildV5CollectionSteps(file: string, doc: RawMapping, text?: string, lineType?: string, table?: LineTable): Generator<void, Collection> {
  const problems: Problem[] = [];
  const ctx: Context = { file, problems, ids: new Set(), lines: text === undefined ? undefined : new YamlLines(text, table) };
  let type = typeof doc.type === 'string' ? doc.type : '';
  if (!(type in V5_TYPES)) {
    const used = lineType ?? 'collection.insomnia.rest/5.0';
    problems.push(problem(file, `Unknown type ${type || '(none)'}; read as ${used}`, 'warning'));
    type = used;
  }
  const version = doc.schema_version;
  if (version !== undefined && !V5_SCHEMA_VERSIONS.includes(str(version))) {
    problems.push(problem(file, `Unknown schema_version ${str(version)}; read as 5.2`, 'warning'));
  }
  const meta = mapping(doc.meta);
  const id = str(meta.id) || generatedId('wrk', file, []);
  ctx.ids.add(id);
  const collection: Collection = {
    id,
    format: 'v5',
    path: file,
    name: str(doc.name) || path.basename(file).replace(/\.ya?ml$/i, ''),
    description: str(meta.description),
    scope: V5_TYPES[type],
    children: [],
    problems,
    source: { file, yamlPath: [], line: 0 },
  };
  const lines = ctx.lines;
  if (doc.collection !== undefined) {
    const keyPos = lines ? lines.topLevelKey('collection') : -1;
    let entries: EntryNode[] | undefined;
    let keyLine = 0;
    if (lines && keyPos >= 0) {
      keyLine = lines.lineOf(keyPos);
      entries = yield* lines.itemTree(keyPos, keyLine);
    }
    collection.children = yield* readItems(doc.collection, id, ['collection'], ctx, entries, keyLine);
  }
  if (doc.environments !== undefined && doc.environments !== null) {
    const keyPos = lines ? lines.topLevelKey('environments') : -1;
    collection.baseEnvironment = readEnvironments(doc.environments, id, ctx, keyPos);
  }
  if (isMapping(doc.spec)) {
    const keyPos = lines ? lines.topLevelKey('spec') : -1;
    collection.spec = readSpec(doc.spec, collection.name, ctx, keyPos >= 0 ? lines!.lineOf(keyPos) : 0);
  }
  if (Array.isArray(doc.testSuites) && doc.testSuites.length) {
    const keyPos = lines ? lines.topLevelKey('testSuites') : -1;
    collection.testSuites = readTestSuites(doc.testSuites, id, ctx, keyPos >= 0 && lines ? lines.lineOf(keyPos) : 0);
  }
  collection.schemaVersion = typeof version === 'string' && version !== '' ? version : '5.0';
  if (collection.scope === 'mock-server') {
    const keyPos = lines ? lines.topLevelKey(doc.server !== undefined ? 'server' : 'routes') : -1;
    collection.mockServer = readMockServer(doc, ctx, keyPos >= 0 && lines ? lines.lineOf(keyPos) : 0);
  }
  return collection;
}

/**
 * A mock file's `server: {meta, url, useInsomniaCloud}` and `routes`. Files of Insomnia 11.0 carry `url` and
 * `useInsomniaCloud` at the top instead of under `server` (Insomnia's own smoke-test fixture does): read from there
 * when there is no `server`.
 */
function readMockServer(doc: RawMapping, ctx: Context, line: number): MockServer {
  const server = isMapping(doc.server) ? doc.server : doc;
  const meta = isMapping(doc.server) ? mapping(doc.server.meta) : {};
  const id = str(meta.id) || generatedId('mock', ctx.file, ['server']);
  const routes: MockRoute[] = [];
  if (Array.isArray(doc.routes)) {
    doc.routes.forEach((raw: unknown, i: number) => {
      const yamlPath = ['routes', i];
      if (!isMapping(raw)) {
        ctx.problems.push(problem(ctx.file, `routes.${i} is not a mapping; not shown`, 'warning', line));
        return;
      }
      const m = mapping(raw.meta);
      const routeId = str(m.id) || generatedId('mock-route', ctx.file, yamlPath);
      if (ctx.ids.has(routeId)) ctx.problems.push(problem(ctx.file, `Duplicate id ${routeId} at routes.${i}`, 'warning', line));
      ctx.ids.add(routeId);
      routes.push({
        id: routeId,
        parentId: id,
        name: str(raw.name),
        body: str(raw.body),
        headers: keyValues(raw.headers),
        method: str(raw.method),
        mimeType: str(raw.mimeType),
        statusCode: num(raw.statusCode, 200),
        statusText: str(raw.statusText),
        created: optionalNum(m.created),
        modified: optionalNum(m.modified),
        source: { file: ctx.file, yamlPath, line },
      });
    });
  } else if (doc.routes !== undefined && doc.routes !== null) {
    ctx.problems.push(problem(ctx.file, '`routes` is not a list; not shown', 'warning', line));
  }
  return {
    id,
    url: str(server.url),
    useInsomniaCloud: bool(server.useInsomniaCloud, true),
    created: optionalNum(meta.created),
    modified: optionalNum(meta.modified),
    routes,
    source: { file: ctx.file, yamlPath: ['server'], line },
  };
}

/** The kind of a collection item: 5.2's explicit `type`, else told apart by fields and id prefix (2.3). */
export function v5ItemKind(item: RawMapping): ItemKind | undefined {
  const type = item.type;
  if (type !== undefined) {
    switch (type) {
      case 'Request': return 'request';
      case 'RequestGroup': return 'folder';
      case 'GrpcRequest': return 'grpcRequest';
      case 'WebSocketRequest': return 'websocketRequest';
      case 'SocketIORequest': return 'socketIORequest';
      default: return undefined;
    }
  }
  if (item.children !== undefined) return 'folder';
  if (item.method !== undefined) return 'request';
  const id = str(mapping(item.meta).id);
  if (item.reflectionApi !== undefined || item.protoMethodName !== undefined || id.startsWith('greq_')) return 'grpcRequest';
  if (item.eventListeners !== undefined || id.startsWith('socketio-req_')) return 'socketIORequest';
  if (id.startsWith('ws-req_') || mapping(item.settings).followRedirects !== undefined) return 'websocketRequest';
  if (id.startsWith('fld_')) return 'folder';
  if (id.startsWith('req_')) return 'request';
  // Insomnia's schema tells a folder by having no `url` and no `method` (an empty folder has no `children`).
  return item.url === undefined ? 'folder' : 'request';
}

const ID_PREFIX: Record<ItemKind, string> = {
  folder: 'fld',
  request: 'req',
  grpcRequest: 'greq',
  websocketRequest: 'ws-req',
  socketIORequest: 'socketio-req',
};

function* readItems(
  seq: unknown,
  parentId: string,
  basePath: readonly (string | number)[],
  ctx: Context,
  entries: EntryNode[] | undefined,
  fallbackLine: number,
): Generator<void, Item[]> {
  if (!Array.isArray(seq)) {
    if (seq !== null) ctx.problems.push(problem(ctx.file, `${basePath.join('.')} is not a list; its items are not shown`, 'warning', fallbackLine));
    return [];
  }
  const nodes = entries && entries.length === seq.length ? entries : undefined;
  const items: Item[] = [];
  for (let i = 0; i < seq.length; i++) {
    if ((i & 15) === 15) yield;
    const raw: unknown = seq[i];
    const node = nodes?.[i];
    const line = node ? node.line : fallbackLine;
    const yamlPath = [...basePath, i];
    if (!isMapping(raw)) {
      ctx.problems.push(problem(ctx.file, `${yamlPath.join('.')} is not a mapping; not shown`, 'warning', line));
      continue;
    }
    const kind = v5ItemKind(raw);
    if (!kind) {
      ctx.problems.push(problem(ctx.file, `Unknown item type ${str(raw.type)} at ${yamlPath.join('.')}; not shown`, 'warning', line));
      continue;
    }
    const meta = mapping(raw.meta);
    let id = str(meta.id);
    if (!id) id = generatedId(ID_PREFIX[kind], ctx.file, yamlPath);
    // one look in the set, not `has` then `add`: an id string is hashed once
    const known = ctx.ids.size;
    ctx.ids.add(id);
    if (ctx.ids.size === known) ctx.problems.push(problem(ctx.file, `Duplicate id ${id} at ${yamlPath.join('.')}`, 'warning', line));
    // every field written out, no `{ ...common }` spread: see legacyItem in legacy.ts
    const source: SourceRef = { file: ctx.file, yamlPath, line };
    const created = optionalNum(meta.created);
    const modified = optionalNum(meta.modified);
    const description = str(meta.description);
    const sortKey = num(meta.sortKey, created === undefined ? i : -created);
    switch (kind) {
      case 'folder': {
        const children =
          raw.children === undefined ? [] : yield* readItems(raw.children, id, [...yamlPath, 'children'], ctx, node?.children, line);
        // readItems gives its items sorted already
        const s = mapping(raw.scripts);
        const folder: Folder = {
          kind,
          id,
          parentId,
          name: str(raw.name),
          description,
          sortKey,
          created,
          modified,
          source,
          children,
          environment: data(raw.environment),
          ...withOrder('environmentOrder', raw.environmentPropertyOrder),
          headers: keyValues(raw.headers),
          authentication: authentication(raw.authentication),
          scripts: scripts(s.preRequest, s.afterResponse),
        };
        items.push(folder);
        break;
      }
      case 'request': {
        const s = mapping(raw.scripts);
        const settings = mapping(raw.settings);
        const cookies = mapping(settings.cookies);
        const request: HttpRequest = {
          kind,
          id,
          parentId,
          name: str(raw.name),
          description,
          sortKey,
          created,
          modified,
          source,
          method: str(raw.method, 'GET'),
          url: str(raw.url),
          parameters: keyValues(raw.parameters),
          pathParameters: keyValues(raw.pathParameters),
          headers: keyValues(raw.headers),
          body: body(raw.body),
          authentication: authentication(raw.authentication),
          scripts: scripts(s.preRequest, s.afterResponse),
          settings: {
            renderRequestBody: bool(settings.renderRequestBody, true),
            encodeUrl: bool(settings.encodeUrl, true),
            followRedirects: followRedirects(settings.followRedirects),
            sendCookies: bool(cookies.send, true),
            storeCookies: bool(cookies.store, true),
            rebuildPath: bool(settings.rebuildPath, true),
          },
        };
        items.push(request);
        break;
      }
      case 'grpcRequest': {
        const grpc: GrpcRequest = {
          kind,
          id,
          parentId,
          name: str(raw.name),
          description,
          sortKey,
          created,
          modified,
          source,
          url: str(raw.url),
          protoFileId: optionalStr(raw.protoFileId),
          protoMethodName: optionalStr(raw.protoMethodName),
          body: mapping(raw.body) as GrpcRequest['body'],
          metadata: keyValues(raw.metadata),
          reflectionApi: reflectionApi(raw.reflectionApi, V5_REFLECTION_API_DEFAULT),
        };
        items.push(grpc);
        break;
      }
      case 'websocketRequest':
      case 'socketIORequest': {
        const request: WebSocketRequest | SocketIORequest = {
          kind,
          id,
          parentId,
          name: str(raw.name),
          description,
          sortKey,
          created,
          modified,
          source,
          url: str(raw.url),
          headers: keyValues(raw.headers),
          parameters: keyValues(raw.parameters),
          authentication: authentication(raw.authentication),
        };
        items.push(request);
        break;
      }
    }
  }
  items.sort(bySortKey);
  return items;
}

/** `environments:` is ONE base environment object, with `subEnvironments`. */
function readEnvironments(raw: unknown, collectionId: string, ctx: Context, keyPos: number): BaseEnvironment | undefined {
  const line = keyPos >= 0 && ctx.lines ? ctx.lines.lineOf(keyPos) : 0;
  if (!isMapping(raw)) {
    ctx.problems.push(problem(ctx.file, '`environments` is not a mapping (one base environment); not shown', 'warning', line));
    return undefined;
  }
  const base = v5Environment(raw, collectionId, ['environments'], line, ctx, 'Base Environment', 0);
  const subs = raw.subEnvironments;
  const subEnvironments: Environment[] = [];
  if (Array.isArray(subs)) {
    let entries: SequenceEntries | undefined;
    if (ctx.lines && keyPos >= 0 && subs.length > 0) {
      entries = ctx.lines.childSequence(keyPos, line, ctx.lines.topLevelEnd(keyPos), 'subEnvironments', true);
      if (entries.offsets.length !== subs.length) entries = undefined;
    }
    for (let i = 0; i < subs.length; i++) {
      const sub: unknown = subs[i];
      const subLine = entries ? entries.lines[i] : line;
      if (!isMapping(sub)) {
        ctx.problems.push(problem(ctx.file, `environments.subEnvironments.${i} is not a mapping; not shown`, 'warning', subLine));
        continue;
      }
      subEnvironments.push(v5Environment(sub, base.id, ['environments', 'subEnvironments', i], subLine, ctx, 'New Environment', i));
    }
    subEnvironments.sort(bySortKey);
  } else if (subs !== undefined && subs !== null) {
    ctx.problems.push(problem(ctx.file, '`environments.subEnvironments` is not a list; not shown', 'warning', line));
  }
  (base as BaseEnvironment).subEnvironments = subEnvironments;
  return base as BaseEnvironment;
}

function v5Environment(
  raw: RawMapping,
  parentId: string,
  yamlPath: (string | number)[],
  line: number,
  ctx: Context,
  defaultName: string,
  index: number,
): Environment {
  const meta = mapping(raw.meta);
  let id = str(meta.id);
  if (!id) id = generatedId('env', ctx.file, yamlPath);
  if (ctx.ids.has(id)) ctx.problems.push(problem(ctx.file, `Duplicate id ${id} at ${yamlPath.join('.')}`, 'warning', line));
  ctx.ids.add(id);
  const created = optionalNum(meta.created);
  return {
    id,
    parentId,
    name: str(raw.name, defaultName),
    data: data(raw.data),
    ...withOrder('propertyOrder', raw.dataPropertyOrder),
    color: typeof raw.color === 'string' ? raw.color : null,
    sortKey: num(meta.sortKey, created ?? index),
    isPrivate: bool(meta.isPrivate, false),
    created,
    modified: optionalNum(meta.modified),
    source: { file: ctx.file, yamlPath, line },
  };
}

/** `testSuites: [{name, meta, tests: [{name, meta, requestId, code}]}]` (Insomnia's v5 export of UnitTestSuite/UnitTest). */
function readTestSuites(raw: unknown[], collectionId: string, ctx: Context, line: number): UnitTestSuite[] {
  const suites: UnitTestSuite[] = [];
  raw.forEach((s, i) => {
    if (!isMapping(s)) return;
    const meta = mapping(s.meta);
    const yamlPath = ['testSuites', i];
    const id = str(meta.id) || generatedId('uts', ctx.file, yamlPath);
    const tests: UnitTest[] = [];
    (Array.isArray(s.tests) ? s.tests : []).forEach((t: unknown, j: number) => {
      if (!isMapping(t)) return;
      const tm = mapping(t.meta);
      const tPath = [...yamlPath, 'tests', j];
      const requestId = t.requestId;
      tests.push({
        id: str(tm.id) || generatedId('ut', ctx.file, tPath),
        parentId: id,
        name: str(t.name),
        code: str(t.code),
        requestId: typeof requestId === 'string' && requestId !== '' ? requestId : null,
        sortKey: num(tm.sortKey, typeof tm.created === 'number' ? -tm.created : j),
        created: optionalNum(tm.created),
        modified: optionalNum(tm.modified),
        source: { file: ctx.file, yamlPath: tPath, line },
      });
    });
    tests.sort(bySortKeyThenId);
    suites.push({
      id,
      parentId: collectionId,
      name: str(s.name),
      sortKey: num(meta.sortKey, typeof meta.created === 'number' ? -meta.created : i),
      created: optionalNum(meta.created),
      modified: optionalNum(meta.modified),
      tests,
      source: { file: ctx.file, yamlPath, line },
    });
  });
  return suites.sort(bySortKeyThenId);
}

/**
 * `spec: {contents: <mapping>}` or `spec: {file: <name>}`. As Insomnia's SpecSchema (import-v5-parser.ts) tries
 * `{file: string}` first, a string `file` is the spec's file name and its contents are empty (insomnia-v5.ts
 * getApiSpec), whatever `contents` says. The mapping is turned back into YAML text only when someone reads `contents`
 * (a large OpenAPI document would otherwise cost as much as the whole load).
 */
function readSpec(raw: RawMapping, name: string, ctx: Context, line: number): ApiSpec {
  const meta = mapping(raw.meta);
  const id = str(meta.id) || generatedId('spc', ctx.file, ['spec']);
  const source: SourceRef = { file: ctx.file, yamlPath: ['spec'], line };
  const file = typeof raw.file === 'string' ? raw.file : undefined;
  const value = file === undefined ? raw.contents : undefined;
  let text: string | undefined = typeof value === 'string' ? value : value === undefined || value === null ? '' : undefined;
  const spec: ApiSpec = {
    id,
    fileName: file ?? name,
    ...(file === undefined ? {} : { file }),
    created: optionalNum(meta.created),
    modified: optionalNum(meta.modified),
    source,
    get contents(): string {
      if (text === undefined) {
        try {
          text = writers().specMappingText(value);
        } catch {
          text = '';
        }
      }
      return text;
    },
    set contents(next: string) {
      text = next;
      specMappings.delete(spec);
    },
  };
  if (text === undefined) specMappings.set(spec, value);
  return spec;
}

/** A v5 spec's `contents` mapping as parsed, while its text is not: compared (store.ts) without rendering it. */
const specMappings = new WeakMap<ApiSpec, unknown>();
export const specMappingOf = (spec: ApiSpec): unknown => specMappings.get(spec);

// ---------------------------------------------------------------------------------------------------------------
// Lines: where each item starts, by a light pass over the text's lines (block style, as Insomnia and `yaml` write).

/** One entry of the collection tree: its first line, and the entries of its `children:` sequence if it has one. */
interface EntryNode {
  readonly line: number;
  children?: EntryNode[];
}

interface SequenceEntries {
  /** offset of the first character of each entry's first line (its `- ` line). */
  readonly offsets: number[];
  /** 0-based line of each entry. */
  readonly lines: number[];
  /** offset and line of the first line after the sequence. */
  readonly end: number;
  readonly endLine: number;
}

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const LF = 0x0a;
const CR = 0x0d;

/** how a line's indentation compares with a column: */
const SKIP = 0; // blank or comment-only, or deeper than the column
const LESS = 1; // content starts left of the column
const EQUAL = 2; // content starts at the column

/**
 * Walks a YAML text's lines to find where block-sequence entries start. Block scalars and multi-line flow scalars are
 * always indented deeper than the key that holds them, so looking only at lines of a given indentation never mistakes
 * their text for structure. Offsets, not a line table: a walk reads only the first few characters of each line it
 * crosses (`indexOf('\n')` skips the rest), and line numbers are counted along the way. On a 4 MB file the whole
 * locating costs a few milliseconds against ~200 ms for the parse.
 */
class YamlLines {
  /** furthest (offset of a line start, its line number) known: counting lines resumes from there. */
  private knownOffset = 0;
  private knownLine = 0;

  /** `table`: the text's lines as the piece parse scanned them, so the item tree is read from it, not walked again. */
  constructor(private readonly text: string, private readonly table?: LineTable) {}

  get length(): number {
    return this.text.length;
  }

  /** offset of the line after the one holding `pos`. */
  nextLine(pos: number): number {
    const nl = this.text.indexOf('\n', pos);
    return nl < 0 ? this.text.length : nl + 1;
  }

  /** 0-based line of a line-start offset. */
  lineOf(offset: number): number {
    let pos = 0;
    let line = 0;
    if (offset >= this.knownOffset) {
      pos = this.knownOffset;
      line = this.knownLine;
    }
    for (let nl = this.text.indexOf('\n', pos); nl >= 0 && nl < offset; nl = this.text.indexOf('\n', nl + 1)) line++;
    this.remember(offset, line);
    return line;
  }

  private remember(offset: number, line: number): void {
    if (offset > this.knownOffset) {
      this.knownOffset = offset;
      this.knownLine = line;
    }
  }

  /** column of the first character, or -1 for a blank or comment-only line. */
  indent(pos: number): number {
    const text = this.text;
    let p = pos;
    let c = text.charCodeAt(p);
    while (c === SPACE) c = text.charCodeAt(++p);
    if (c === LF || c === CR || c === HASH || Number.isNaN(c)) return -1;
    return p - pos;
  }

  /** compares the line's indentation with `col`, reading at most `col + 1` characters. */
  compare(pos: number, col: number): number {
    const text = this.text;
    for (let k = 0; k < col; k++) {
      const c = text.charCodeAt(pos + k);
      if (c !== SPACE) return c === LF || c === CR || c === HASH || Number.isNaN(c) ? SKIP : LESS;
    }
    const c = text.charCodeAt(pos + col);
    return c === SPACE || c === LF || c === CR || c === HASH || Number.isNaN(c) ? SKIP : EQUAL;
  }

  /** whether `- ` (or a lone `-`) is at `at`. */
  isEntry(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    const next = this.text.charCodeAt(at + 1);
    return next === SPACE || next === LF || next === CR || next === 0x09 || Number.isNaN(next);
  }

  /** column where an entry's content starts (`- name: x` -> the `n`), or -1 when the `-` is alone on its line. */
  entryContent(pos: number, dashCol: number): number {
    const text = this.text;
    let p = pos + dashCol + 1;
    let c = text.charCodeAt(p);
    while (c === SPACE) c = text.charCodeAt(++p);
    if (c === LF || c === CR || c === HASH || Number.isNaN(c)) return -1;
    return p - pos;
  }

  /** whether `key:` (optionally quoted) starts at `at`. */
  isKey(at: number, key: string): boolean {
    const text = this.text;
    let p = at;
    const q = text.charCodeAt(p);
    const quoted = q === 0x22 || q === 0x27;
    if (quoted) p++;
    if (!text.startsWith(key, p)) return false;
    p += key.length;
    if (quoted) {
      if (text.charCodeAt(p) !== q) return false;
      p++;
    }
    while (text.charCodeAt(p) === SPACE) p++;
    return text.charCodeAt(p) === 0x3a; // ':'
  }

  /**
   * Offset of the line holding the top-level key `key:` (column 0; nothing else can start at column 0 inside a
   * top-level value), or -1.
   */
  topLevelKey(key: string): number {
    if (this.isKey(0, key)) return 0;
    // keys written after the part already walked are found from there (Insomnia writes `environments` and `spec`
    // after the long `collection`); else from the top
    const from = this.knownOffset > 0 ? this.knownOffset - 1 : 0;
    const found = this.findTopLevelKey(key, from);
    return found >= 0 || from === 0 ? found : this.findTopLevelKey(key, 0);
  }

  private findTopLevelKey(key: string, from: number): number {
    const needle = `\n${key}`;
    for (let at = this.text.indexOf(needle, from); at >= 0; at = this.text.indexOf(needle, at + 1)) {
      if (this.isKey(at + 1, key)) return at + 1;
    }
    return -1;
  }

  /** offset of the first line after a top-level key's block: the next line at column 0 that is not blank, a comment or an entry. */
  topLevelEnd(keyPos: number): number {
    const text = this.text;
    for (let pos = this.nextLine(keyPos); pos < text.length; pos = this.nextLine(pos)) {
      const c = text.charCodeAt(pos);
      if (c !== SPACE && c !== LF && c !== CR && c !== HASH && !this.isEntry(pos)) return pos;
    }
    return text.length;
  }

  /**
   * The entries of the block sequence that is the value of the key on the line at `keyPos` (line `keyLine`, key at
   * column `keyCol`), looking no further than offset `end`. No entries: the value is not a block sequence.
   */
  sequenceEntries(keyPos: number, keyLine: number, keyCol: number, end: number): SequenceEntries {
    const offsets: number[] = [];
    const lines: number[] = [];
    let seqIndent = -1;
    let pos = this.nextLine(keyPos);
    let line = keyLine + 1;
    for (; pos < end; pos = this.nextLine(pos), line++) {
      if (seqIndent < 0) {
        const ind = this.indent(pos);
        if (ind < 0) continue;
        if (ind < keyCol || !this.isEntry(pos + ind)) break;
        seqIndent = ind;
      }
      const cmp = this.compare(pos, seqIndent);
      if (cmp === SKIP) continue;
      if (cmp === LESS || !this.isEntry(pos + seqIndent)) break;
      offsets.push(pos);
      lines.push(line);
    }
    this.remember(pos, line);
    return { offsets, lines, end: pos, endLine: line };
  }

  /**
   * The item tree of a `collection:` sequence in one pass over its lines: for each entry its line, and for an entry
   * with a `children:` block sequence the entries of that one, recursively. Only lines at or left of the current
   * entry's key column are looked at closely; deeper lines cost a glance at their first few characters.
   */
  *itemTree(keyPos: number, keyLine: number): Generator<void, EntryNode[]> {
    const table = this.table;
    if (table && table.text === this.text && table.start[keyLine] === keyPos) return this.itemTreeOfTable(table, keyLine);
    const root: EntryNode = { line: keyLine, children: [] };
    const stack: { seqIndent: number; entries: EntryNode[]; current: EntryNode | undefined; keyCol: number }[] = [];
    /** a `children:` key was just seen at `keyCol`: the next line may open its sequence. */
    let pending: { owner: EntryNode; keyCol: number } | undefined = { owner: root, keyCol: 0 };
    const text = this.text;
    let pos = this.nextLine(keyPos);
    let line = keyLine + 1;
    for (; pos < text.length; pos = this.nextLine(pos), line++) {
      if ((line & 4095) === 0) yield;
      let top = stack[stack.length - 1];
      if (!pending && top && top.keyCol >= 0 && this.compare(pos, top.keyCol) === SKIP) continue;
      const ind = this.indent(pos);
      if (ind < 0) continue;
      if (pending) {
        const owner = pending.owner;
        const opens = ind >= pending.keyCol && this.isEntry(pos + ind);
        pending = undefined;
        if (opens) {
          owner.children = [];
          top = { seqIndent: ind, entries: owner.children, current: undefined, keyCol: -1 };
          stack.push(top);
        } else if (!top) {
          break; // `collection:` is not a block sequence
        }
      }
      while (top && (ind < top.seqIndent || (ind === top.seqIndent && !this.isEntry(pos + ind)))) {
        stack.pop();
        top = stack[stack.length - 1];
      }
      if (!top) break;
      if (ind === top.seqIndent) {
        const node: EntryNode = { line };
        top.entries.push(node);
        top.current = node;
        top.keyCol = this.entryContent(pos, ind);
        if (top.keyCol >= 0 && this.isKey(pos + top.keyCol, 'children')) pending = { owner: node, keyCol: top.keyCol };
        continue;
      }
      if (top.keyCol < 0) top.keyCol = ind; // the entry's `-` was alone on its line
      if (ind === top.keyCol && top.current && this.isKey(pos + ind, 'children')) pending = { owner: top.current, keyCol: ind };
    }
    this.remember(pos, line);
    return root.children!;
  }

  /**
   * `itemTree` read from a line table: the same walk, line by line, with each line's indentation and `- ` taken from
   * the table instead of the text (`compare(pos, col) === SKIP` is `indent < 0 || indent > col`, `isEntry` the
   * table's flag); the text is read only on the entry lines and key lines the walk stops at. A plain function, not a
   * generator: it does not yield (the whole walk is about a millisecond on the 3,000-request file, where the same
   * loop as a generator took four times as long).
   */
  private itemTreeOfTable(table: LineTable, keyLine: number): EntryNode[] {
    const root: EntryNode = { line: keyLine, children: [] };
    const stack: { seqIndent: number; entries: EntryNode[]; current: EntryNode | undefined; keyCol: number }[] = [];
    /** the innermost open sequence (the stack's last), kept in a variable: most lines only compare with its column. */
    let top: (typeof stack)[number] | undefined;
    let pending: { owner: EntryNode; keyCol: number } | undefined = { owner: root, keyCol: 0 };
    const { start, indent, entry, count } = table;
    let line = keyLine + 1;
    for (; line < count; line++) {
      const ind = indent[line];
      if (ind < 0) continue;
      if (!pending && top !== undefined && top.keyCol >= 0 && ind > top.keyCol) continue;
      const pos = start[line];
      if (pending) {
        const owner: EntryNode = pending.owner;
        const opens = ind >= pending.keyCol && entry[line] === 1;
        pending = undefined;
        if (opens) {
          owner.children = [];
          top = { seqIndent: ind, entries: owner.children, current: undefined, keyCol: -1 };
          stack.push(top);
        } else if (!top) {
          break;
        }
      }
      while (top && (ind < top.seqIndent || (ind === top.seqIndent && entry[line] !== 1))) {
        stack.pop();
        top = stack.length > 0 ? stack[stack.length - 1] : undefined;
      }
      if (!top) break;
      if (ind === top.seqIndent) {
        const node: EntryNode = { line };
        top.entries.push(node);
        top.current = node;
        top.keyCol = this.entryContent(pos, ind);
        if (top.keyCol >= 0 && this.isKey(pos + top.keyCol, 'children')) pending = { owner: node, keyCol: top.keyCol };
        continue;
      }
      if (top.keyCol < 0) top.keyCol = ind;
      if (ind === top.keyCol && top.current && this.isKey(pos + ind, 'children')) pending = { owner: top.current, keyCol: ind };
    }
    this.remember(line < count ? start[line] : this.text.length, line);
    return root.children!;
  }

  /**
   * Inside the mapping that starts on the line at `pos` (an entry's `- ` line, or with `isKeyLine` a `key:` line whose
   * value is the mapping), finds `key:` among the mapping's own keys before offset `end` and returns the entries of
   * the sequence it holds.
   */
  childSequence(pos: number, line: number, end: number, key: string, isKeyLine = false): SequenceEntries {
    let col = -1;
    if (!isKeyLine) {
      col = this.entryContent(pos, this.indent(pos));
      if (col >= 0 && this.isKey(pos + col, key)) return this.sequenceEntries(pos, line, col, end);
    }
    let p = this.nextLine(pos);
    let l = line + 1;
    for (; p < end; p = this.nextLine(p), l++) {
      if (col < 0) {
        col = this.indent(p); // the mapping's key column is its first line's
        if (col < 0) continue;
      }
      const cmp = this.compare(p, col);
      if (cmp === SKIP) continue;
      if (cmp === LESS) break;
      if (this.isKey(p + col, key)) return this.sequenceEntries(p, l, col, end);
    }
    return { offsets: [], lines: [], end, endLine: l };
  }
}
