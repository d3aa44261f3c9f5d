// Imports an Insomnia v4 export (`_type: export`, `__export_format: 4`; JSON or YAML): `resources` is a flat list of
// database documents told apart by `_type`, linked by `parentId`. They are the same documents a legacy `.insomnia/`
// folder holds one per file (with `_type: request` for `type: Request`), so they go through the legacy reader's
// translation and tree building (formats/legacy.ts): one collection per workspace, ids, parents, `metaSortKey`,
// base and sub-environments and every request field exactly as a legacy folder gives them.
// Unit test suites and their tests are kept. What the model cannot hold (cookie jars, proto files, WebSocket
// payloads, unknown fields) is
// listed as dropped with why.

import { assembleLegacyCollections, legacyEntry, type LegacyDocument, type LegacyEntry } from '../formats/legacy';
import { isMapping, str, type RawMapping } from '../formats/fields';
import type { Collection, Item, SocketIORequest } from '../model';
import { ID_PREFIX, newId } from '../ids';
import { DroppedTally, hasContent, reSource } from './importModel';
import { ImportError, type ImportInput, type ImportResult } from './importTypes';

/** v4 `_type` -> the legacy model type name (INSOMNIA_FORMAT.md 1.2). */
const TYPE_OF: Readonly<Record<string, string>> = {
  workspace: 'Workspace',
  environment: 'Environment',
  request_group: 'RequestGroup',
  request: 'Request',
  grpc_request: 'GrpcRequest',
  websocket_request: 'WebSocketRequest',
  socketio_request: 'SocketIORequest',
  api_spec: 'ApiSpec',
  unit_test_suite: 'UnitTestSuite',
  unit_test: 'UnitTest',
  proto_file: 'ProtoFile',
  proto_directory: 'ProtoDirectory',
  websocket_payload: 'WebSocketPayload',
  mock: 'MockServer',
  mock_route: 'MockRoute',
  cookie_jar: 'CookieJar',
};

/** Types kept in the model. */
const KEPT = new Set(['Workspace', 'Environment', 'RequestGroup', 'Request', 'GrpcRequest', 'WebSocketRequest', 'SocketIORequest', 'ApiSpec', 'MockServer', 'MockRoute', 'UnitTestSuite', 'UnitTest']);

/** Why each type the model does not hold is dropped. */
const DROPPED_WHY: Readonly<Record<string, [what: string, why: string]>> = {
  ProtoFile: ['proto file', 'Hammock keeps no proto files: gRPC requests keep their protoFileId, re-add the .proto in Insomnia'],
  ProtoDirectory: ['proto directory', 'Hammock keeps no proto files: gRPC requests keep their protoFileId, re-add the .proto in Insomnia'],
  WebSocketPayload: ['saved WebSocket message', 'the model keeps no WebSocket payloads'],
};

const BASE = ['_id', '_type', 'type', 'parentId', 'modified', 'created', 'name', 'description', 'metaSortKey', 'isPrivate'];
const SETTINGS = ['settingStoreCookies', 'settingSendCookies', 'settingDisableRenderRequestBody', 'settingEncodeUrl', 'settingRebuildPath', 'settingFollowRedirects'];
/** Fields of each item type the model carries, or that are Insomnia bookkeeping with no effect on a request. */
const KNOWN_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  Request: new Set([...BASE, ...SETTINGS, 'url', 'method', 'body', 'parameters', 'pathParameters', 'headers', 'authentication', 'preRequestScript', 'afterResponseScript']),
  RequestGroup: new Set([...BASE, 'environment', 'environmentPropertyOrder', 'environmentType', 'headers', 'authentication', 'preRequestScript', 'afterResponseScript']),
  GrpcRequest: new Set([...BASE, 'url', 'protoFileId', 'protoMethodName', 'body', 'metadata', 'reflectionApi']),
  WebSocketRequest: new Set([...BASE, 'url', 'headers', 'parameters', 'authentication']),
  SocketIORequest: new Set([...BASE, 'url', 'headers', 'parameters', 'authentication']),
  Environment: new Set([...BASE, 'data', 'dataPropertyOrder', 'color', 'environmentType', 'kvPairData']),
  Workspace: new Set([...BASE, 'scope', 'workspaceUuid', 'certificates']),
  ApiSpec: new Set([...BASE, 'fileName', 'contents', 'contentType', 'file']),
  MockServer: new Set([...BASE, 'url', 'useInsomniaCloud']),
  MockRoute: new Set([...BASE, 'body', 'headers', 'statusCode', 'statusText', 'mimeType', 'method']),
  UnitTestSuite: new Set(BASE),
  UnitTest: new Set([...BASE, 'code', 'requestId']),
};

const PLACEHOLDER_ID = /^__\w+__$/;

export function importInsomniaV4(input: ImportInput): ImportResult {
  const doc = input.document;
  if (!isMapping(doc)) throw new ImportError('Not an Insomnia v4 export: expected a mapping with `_type: export`');
  const version = doc.__export_format;
  if (version !== 4 && version !== 3 && version !== '4' && version !== '3') {
    throw new ImportError(`Unsupported Insomnia export format ${String(version ?? '(none)')}: expected __export_format 4`);
  }
  if (!Array.isArray(doc.resources)) throw new ImportError('Not an Insomnia v4 export: `resources` is not a list');
  const warnings: string[] = [];
  if (version === 3 || version === '3') warnings.push('Insomnia export format 3, read as format 4');
  const dropped = new DroppedTally();

  // 1. the resources, by type; placeholder ids (`__WORKSPACE_ID__`, as hand-written exports use) get fresh ids
  const resources: RawMapping[] = [];
  const renamed = new Map<string, string>();
  let skipped = 0;
  for (const raw of doc.resources as unknown[]) {
    if (!isMapping(raw) || typeof raw._type !== 'string' || typeof raw._id !== 'string' || raw._id === '') {
      skipped++;
      continue;
    }
    const type = TYPE_OF[raw._type];
    if (!type) {
      dropped.add(`resource of type ${raw._type}`, 'not an Insomnia type Hammock knows');
      continue;
    }
    if (type === 'CookieJar') {
      const cookies = Array.isArray(raw.cookies) ? raw.cookies.length : 0;
      if (cookies > 0) dropped.add('cookie', 'Hammock keeps no cookie jar: the cookies of the export are not imported', cookies);
      continue;
    }
    if (!KEPT.has(type)) {
      const [what, why] = DROPPED_WHY[type];
      dropped.add(what, why);
      continue;
    }
    if (PLACEHOLDER_ID.test(raw._id) && !renamed.has(raw._id)) renamed.set(raw._id, newId(prefixOf(type)));
    resources.push({ ...raw, type });
  }
  if (skipped > 0) warnings.push(`${skipped} resource(s) without \`_id\` or \`_type\` were skipped`);
  for (const r of resources) {
    if (renamed.has(r._id as string)) r._id = renamed.get(r._id as string);
    const parent = str(r.parentId);
    if (renamed.has(parent)) r.parentId = renamed.get(parent);
  }

  // 2. no workspace (an export of some requests only, or `__WORKSPACE_ID__` parents): one is made, and the
  // documents whose parent is not in the export hang from it
  const ids = new Set(resources.map((r) => r._id as string));
  if (!resources.some((r) => r.type === 'Workspace')) {
    const id = newId(ID_PREFIX.Workspace);
    const name = str(doc.name) || nameFromFile(input.fileName) || 'Imported collection';
    resources.unshift({ _id: id, type: 'Workspace', name, scope: 'collection' });
    for (const r of resources) if (r._id !== id && !ids.has(str(r.parentId))) r.parentId = id;
    warnings.push(`The export has no workspace: a new collection "${name}" holds its requests`);
  }

  // 3. the legacy reader's translation and tree building
  const entries: LegacyEntry[] = [];
  const socketIo = new Set<string>();
  for (const r of resources) {
    const type = r.type as string;
    tallyFields(r, type, dropped);
    // every v4 export of a collection has an empty one; one that holds a v5 `spec: {file: X}` (Hammock's export of it) is kept
    if (type === 'ApiSpec' && !hasContent(r.contents) && typeof r.file !== 'string') continue;
    const legacyType = type === 'SocketIORequest' ? 'WebSocketRequest' : type;
    if (type === 'SocketIORequest') socketIo.add(r._id as string);
    const document: LegacyDocument = {
      file: `/${legacyType}/${r._id as string}.yml`,
      folder: legacyType,
      doc: { ...r, type: legacyType } as LegacyDocument['doc'],
    };
    entries.push(legacyEntry(document));
  }
  const built = assembleLegacyCollections('/', entries);
  for (const p of built.problems) warnings.push(p.message);
  const collections: Collection[] = [];
  for (const c of built.collections) {
    for (const p of c.problems) warnings.push(p.message);
    c.problems = [];
    (c as { format: string }).format = 'v5';
    if (socketIo.size > 0) c.children = c.children.map((item) => asSocketIo(item, socketIo));
    collections.push(reSource(c));
  }
  return { format: 'insomnia-v4', collections, dropped: dropped.list(), warnings };
}

function prefixOf(type: string): string {
  switch (type) {
    case 'Workspace': return ID_PREFIX.Workspace;
    case 'Environment': return ID_PREFIX.Environment;
    case 'RequestGroup': return ID_PREFIX.RequestGroup;
    case 'GrpcRequest': return ID_PREFIX.GrpcRequest;
    case 'WebSocketRequest': return ID_PREFIX.WebSocketRequest;
    case 'SocketIORequest': return ID_PREFIX.SocketIORequest;
    case 'ApiSpec': return ID_PREFIX.ApiSpec;
    case 'UnitTestSuite': return 'uts';
    case 'UnitTest': return 'ut';
    default: return ID_PREFIX.Request;
  }
}

function nameFromFile(fileName: string | undefined): string {
  if (!fileName) return '';
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return base.replace(/\.(json|ya?ml)$/i, '').replace(/\.insomnia(-v4)?$/i, '');
}

/**
 * The settings of a WebSocket or Socket.IO request as Insomnia creates them (and Hammock's exports write them: the
 * model keeps none): a field holding its default loses nothing, one holding another value does.
 */
const SOCKET_SETTING_DEFAULTS: Readonly<Record<string, unknown>> = { settingEncodeUrl: true, settingStoreCookies: true, settingSendCookies: true, settingFollowRedirects: 'global' };

/** The fields of a resource the model has no place for: one dropped line per type and field, with a count. */
function tallyFields(r: RawMapping, type: string, dropped: DroppedTally): void {
  const known = KNOWN_FIELDS[type];
  if (!known) return;
  const socket = type === 'WebSocketRequest' || type === 'SocketIORequest';
  for (const [key, value] of Object.entries(r)) {
    if (socket && key in SOCKET_SETTING_DEFAULTS && SOCKET_SETTING_DEFAULTS[key] === value) continue;
    if (!known.has(key) && hasContent(value)) dropped.add(`\`${key}\` of ${r._type as string}`, 'the model has no field for it');
  }
}

/** The legacy reader knows no Socket.IO type: they are read as WebSocket requests (same fields) and re-kinded here. */
function asSocketIo(item: Item, ids: ReadonlySet<string>): Item {
  if (item.kind === 'folder') {
    item.children = item.children.map((child) => asSocketIo(child, ids));
    return item;
  }
  if (item.kind !== 'websocketRequest' || !ids.has(item.id)) return item;
  const socket: SocketIORequest = { ...item, kind: 'socketIORequest' };
  return socket;
}
