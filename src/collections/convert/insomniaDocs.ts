// The one field mapping between Insomnia's two on-disk shapes of the same database documents (INSOMNIA_FORMAT.md
// 1.5 and 2.3, Insomnia's `getInsomniaV5DataExport`): legacy documents (`{_id, type, parentId, modified, created,
// ...fields}`, one per `.insomnia/<Type>/<id>.yml` file) and a v5 file's object (`type`, `name`, `meta`,
// `collection[]`, `cookieJar`, `environments`, `spec`, `testSuites`). Pure: values in, values out.
//
// Both directions are driven by the tables below, so they stay each other's inverse:
// - legacy -> v5 writes the keys in Insomnia 11's v5 order and drops empty values (`null`, `{}`, `[]`) as its
//   `removeEmptyFields` does; a field the table does not know is kept on the v5 object after the known keys
//   (Insomnia's schema ignores unknown keys), so nothing is lost on the way.
// - v5 -> legacy writes Insomnia 10's key order (`_id, type, parentId, modified, created`, then the model's fields)
//   with Insomnia 10's defaults for what the v5 object leaves out (`preRequestScript: null`, `body: {}`, ...), and
//   keeps unknown keys after them.
// So legacy -> v5 -> legacy gives the same documents, up to keys whose value is empty (`null`, `{}`, `[]`), which
// the v5 file cannot tell from absent.

import { CORE_SCHEMA, dump, load } from 'js-yaml';
import { stringify } from 'yaml';
import { canonical } from '../diff';
import { isMapping } from '../formats/fields';
import { renderYamlDocument } from '../yamlEdit';
import { LEGACY_REFLECTION_API_DEFAULT, V5_REFLECTION_API_DEFAULT } from '../formats/fields';

export type Mapping = Record<string, unknown>;

/** A legacy document: `_id`, `type` and the model's fields. */
export type LegacyDoc = Mapping & { _id: string; type: string };

/** Something a conversion could not carry over (the original files stay; nothing is deleted). */
export interface NotConverted {
  readonly what: string;
  readonly why: string;
}

/**
 * Keys whose value is free-form JSON data in Insomnia's schema (`JsonSchema`: nulls and empty objects are data there):
 * environment variables and their order, a folder's environment, a spec's OpenAPI contents, cookie extensions.
 */
const JSON_DATA_KEYS: ReadonlySet<string> = new Set(['data', 'dataPropertyOrder', 'environment', 'environmentPropertyOrder', 'contents', 'extensions', 'kvPairData']);

/**
 * Insomnia's `removeEmptyFields` (insomnia-v5.ts, run on every v5 file it writes): `null`, `undefined`, `{}` and `[]`
 * removed at every depth (a list loses its empty entries, an object left empty goes too), so that no `multiline: null`
 * reaches a file its schema refuses. The value of a JSON data key (`JSON_DATA_KEYS`) is kept whole when it is not
 * empty itself: Insomnia's schema reads nulls there, and removing them would drop a user's variables.
 */
export function removeEmptyFields(value: unknown): unknown {
  if (Array.isArray(value)) {
    const list = value.map(removeEmptyFields).filter((v) => v !== undefined);
    return list.length > 0 ? list : undefined;
  }
  if (isMapping(value)) {
    const out: Mapping = {};
    for (const [k, v] of Object.entries(value)) {
      const kept = JSON_DATA_KEYS.has(k) ? (isEmptyValue(v) ? undefined : v) : removeEmptyFields(v);
      if (kept !== undefined) out[k] = kept;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return value === null || value === undefined ? undefined : value;
}

/** Insomnia's `removeEmptyFields` test: `null`, `undefined`, `{}` and `[]` are left out of a v5 file. */
export function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isMapping(v) && Object.keys(v).length === 0;
}

/** The v5 file `type` of each workspace scope, and back. */
export const V5_TYPE_OF_SCOPE: Readonly<Record<string, string>> = {
  collection: 'collection.insomnia.rest/5.0',
  design: 'spec.insomnia.rest/5.0',
  'mock-server': 'mock.insomnia.rest/5.0',
  environment: 'environment.insomnia.rest/5.0',
  mcp: 'mcpClient.insomnia/5.0',
};

export const SCOPE_OF_V5_TYPE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(V5_TYPE_OF_SCOPE).map(([scope, type]) => [type, scope]),
);

/**
 * The schema version of a new v5 file when its repository has no other: the newest Insomnia reads (5.2: every
 * collection item with its `type`; Insomnia 12-13, whose reader is 5.1, read such files too, see conformance.ts).
 */
export const NEWEST_V5_SCHEMA_VERSION = '5.2';

/** Schema versions Hammock writes as they are (absent = 5.0). */
const WRITABLE_SCHEMA_VERSIONS = ['5.0', '5.1', '5.2'];

/**
 * The schema version for a new v5 file: the newest of those the repository's other v5 files declare (absent = 5.0),
 * else `NEWEST_V5_SCHEMA_VERSION`. `collections`: those of the repository (other formats are passed over, and so are
 * versions Hammock does not know).
 */
export function schemaVersionForNewFile(collections: readonly { readonly format: string; readonly schemaVersion?: string }[]): string {
  let best: string | undefined;
  for (const c of collections) {
    if (c.format !== 'v5') continue;
    const version = c.schemaVersion ?? '5.0';
    if (!WRITABLE_SCHEMA_VERSIONS.includes(version)) continue;
    if (best === undefined || Number(version.split('.')[1]) > Number(best.split('.')[1])) best = version;
  }
  return best ?? NEWEST_V5_SCHEMA_VERSION;
}

/** The `schema_version` value to write for a version ('5.0' is written as no key at all, as Insomnia 11.0 did). */
export function schemaVersionKey(version: string | undefined): string | null {
  const v = version ?? NEWEST_V5_SCHEMA_VERSION;
  return v === '5.0' ? null : v;
}

/** Whether items of this schema version carry their `type` (5.2 and later). */
export function itemsCarryType(version: string | null | undefined): boolean {
  if (!version) return false;
  const [major, minor] = version.split('.').map(Number);
  return major > 5 || (major === 5 && minor >= 2);
}

/** `item` with its 5.2 `type` where Insomnia's schema puts it: after `meta` for gRPC, after `name` for the rest. */
export function withItemType(item: Mapping, type: string): Mapping {
  const after = type === 'GrpcRequest' && 'meta' in item ? 'meta' : 'name' in item ? 'name' : undefined;
  const out: Mapping = {};
  if (after === undefined) out.type = type;
  for (const [k, v] of Object.entries(item)) {
    if (k === 'type') continue;
    out[k] = v;
    if (k === after) out.type = type;
  }
  return out;
}

/**
 * One field: its legacy key, its path in the v5 object (`null`: the v5 format has no place for it; kept as an extra
 * key of the v5 object when it differs from `def`), the legacy default when the v5 object has no value
 * (`undefined`: write nothing), and value conversions.
 */
interface Field {
  readonly legacy: string;
  readonly v5: readonly string[] | null;
  readonly def?: () => unknown;
  readonly toV5?: (v: unknown) => unknown;
  readonly toLegacy?: (v: unknown) => unknown;
}

const NULL = () => null;
const EMPTY_MAP = () => ({});
const EMPTY_LIST = () => [];
const TRUE = () => true;
const FALSE = () => false;
const GLOBAL = () => 'global';
const EMPTY_STRING = () => '';
const not = (v: unknown) => (typeof v === 'boolean' ? !v : v);

const META_ID: Field = { legacy: '_id', v5: ['meta', 'id'] };
const META_CREATED: Field = { legacy: 'created', v5: ['meta', 'created'] };
const META_MODIFIED: Field = { legacy: 'modified', v5: ['meta', 'modified'] };
const META_PRIVATE: Field = { legacy: 'isPrivate', v5: ['meta', 'isPrivate'], def: FALSE };
const META_DESCRIPTION: Field = { legacy: 'description', v5: ['meta', 'description'], def: EMPTY_STRING };
const META_SORT: Field = { legacy: 'metaSortKey', v5: ['meta', 'sortKey'] };

interface TypeTable {
  /** fields in v5 key order. */
  readonly v5: readonly Field[];
  /** legacy keys after `_id, type, parentId, modified, created`, in Insomnia 10's order. */
  readonly legacyOrder: readonly string[];
}

const f = (legacy: string, v5: readonly string[] | null, def?: () => unknown, more: Partial<Field> = {}): Field => ({
  legacy,
  v5,
  def,
  ...more,
});

const REQUEST: TypeTable = {
  v5: [
    f('url', ['url'], EMPTY_STRING),
    f('name', ['name'], EMPTY_STRING),
    META_ID,
    META_CREATED,
    META_MODIFIED,
    META_PRIVATE,
    META_DESCRIPTION,
    META_SORT,
    f('method', ['method'], () => 'GET'),
    f('body', ['body'], EMPTY_MAP),
    f('parameters', ['parameters'], EMPTY_LIST),
    f('headers', ['headers'], EMPTY_LIST),
    f('authentication', ['authentication'], EMPTY_MAP),
    f('preRequestScript', ['scripts', 'preRequest'], NULL),
    f('afterResponseScript', ['scripts', 'afterResponse'], NULL),
    f('settingDisableRenderRequestBody', ['settings', 'renderRequestBody'], FALSE, { toV5: not, toLegacy: not }),
    f('settingEncodeUrl', ['settings', 'encodeUrl'], TRUE),
    f('settingFollowRedirects', ['settings', 'followRedirects'], GLOBAL),
    f('settingSendCookies', ['settings', 'cookies', 'send'], TRUE),
    f('settingStoreCookies', ['settings', 'cookies', 'store'], TRUE),
    f('settingRebuildPath', ['settings', 'rebuildPath'], TRUE),
    f('pathParameters', ['pathParameters'], NULL),
  ],
  legacyOrder: [
    'url', 'name', 'description', 'method', 'body', 'parameters', 'headers', 'authentication', 'preRequestScript',
    'metaSortKey', 'isPrivate', 'pathParameters', 'afterResponseScript', 'settingStoreCookies', 'settingSendCookies',
    'settingDisableRenderRequestBody', 'settingEncodeUrl', 'settingRebuildPath', 'settingFollowRedirects',
  ],
};

const FOLDER: TypeTable = {
  v5: [
    f('name', ['name'], EMPTY_STRING),
    META_ID,
    META_CREATED,
    META_MODIFIED,
    { ...META_PRIVATE, def: undefined },
    META_SORT,
    META_DESCRIPTION,
    // `children` goes here
    f('preRequestScript', ['scripts', 'preRequest'], NULL),
    f('afterResponseScript', ['scripts', 'afterResponse'], NULL),
    f('authentication', ['authentication'], NULL),
    f('headers', ['headers'], NULL),
    f('environment', ['environment'], EMPTY_MAP),
    f('environmentPropertyOrder', ['environmentPropertyOrder'], NULL),
  ],
  legacyOrder: [
    'name', 'description', 'environment', 'environmentPropertyOrder', 'metaSortKey', 'preRequestScript',
    'afterResponseScript', 'authentication', 'headers',
  ],
};

const GRPC: TypeTable = {
  v5: [
    f('url', ['url'], EMPTY_STRING),
    f('name', ['name'], EMPTY_STRING),
    META_ID,
    META_CREATED,
    META_MODIFIED,
    META_PRIVATE,
    META_SORT,
    META_DESCRIPTION,
    f('body', ['body'], EMPTY_MAP),
    f('metadata', ['metadata'], EMPTY_LIST),
    f('protoFileId', ['protoFileId']),
    f('protoMethodName', ['protoMethodName']),
    // required by Insomnia's v5 schema; a v5 item without one reads as its importer's default
    f('reflectionApi', ['reflectionApi'], V5_REFLECTION_API_DEFAULT),
  ],
  legacyOrder: [
    'url', 'name', 'description', 'protoFileId', 'protoMethodName', 'metadata', 'body', 'metaSortKey', 'isPrivate',
    'reflectionApi',
  ],
};

const WEBSOCKET: TypeTable = {
  v5: [
    f('url', ['url'], EMPTY_STRING),
    f('name', ['name'], EMPTY_STRING),
    META_ID,
    META_CREATED,
    META_MODIFIED,
    { ...META_PRIVATE, def: undefined },
    META_DESCRIPTION,
    META_SORT,
    f('settingEncodeUrl', ['settings', 'encodeUrl'], TRUE),
    f('settingFollowRedirects', ['settings', 'followRedirects'], GLOBAL),
    f('settingSendCookies', ['settings', 'cookies', 'send'], TRUE),
    f('settingStoreCookies', ['settings', 'cookies', 'store'], TRUE),
    f('authentication', ['authentication'], EMPTY_MAP),
    f('headers', ['headers'], EMPTY_LIST),
    f('parameters', ['parameters'], EMPTY_LIST),
    f('pathParameters', ['pathParameters']),
  ],
  legacyOrder: [
    'name', 'url', 'metaSortKey', 'headers', 'authentication', 'parameters', 'pathParameters', 'settingEncodeUrl',
    'settingStoreCookies', 'settingSendCookies', 'settingFollowRedirects', 'description', 'isPrivate',
  ],
};

const ENVIRONMENT: TypeTable = {
  v5: [
    f('name', ['name'], EMPTY_STRING),
    META_ID,
    META_CREATED,
    META_MODIFIED,
    META_PRIVATE,
    META_SORT,
    f('data', ['data'], EMPTY_MAP),
    f('dataPropertyOrder', ['dataPropertyOrder'], NULL),
    f('color', ['color'], NULL),
    f('environmentType', ['environmentType']),
    f('kvPairData', ['kvPairData']),
  ],
  legacyOrder: ['name', 'data', 'dataPropertyOrder', 'color', 'isPrivate', 'metaSortKey'],
};

const COOKIE_JAR: TypeTable = {
  v5: [f('name', ['name'], () => 'Default Jar'), META_ID, META_CREATED, META_MODIFIED, f('cookies', ['cookies'], EMPTY_LIST)],
  legacyOrder: ['name', 'cookies'],
};

const TEST_SUITE: TypeTable = {
  v5: [f('name', ['name'], EMPTY_STRING), META_ID, META_CREATED, META_MODIFIED, META_SORT],
  legacyOrder: ['name', 'metaSortKey'],
};

const UNIT_TEST: TypeTable = {
  v5: [
    f('name', ['name'], EMPTY_STRING),
    META_ID,
    META_CREATED,
    META_MODIFIED,
    META_SORT,
    f('requestId', ['requestId'], NULL),
    f('code', ['code'], EMPTY_STRING),
  ],
  legacyOrder: ['name', 'code', 'requestId', 'metaSortKey'],
};

const MOCK_SERVER: TypeTable = {
  v5: [META_ID, META_CREATED, META_MODIFIED, { ...META_PRIVATE, def: undefined }, f('url', ['url'], EMPTY_STRING), f('useInsomniaCloud', ['useInsomniaCloud'], TRUE)],
  legacyOrder: ['name', 'url', 'useInsomniaCloud', 'isPrivate'],
};

const MOCK_ROUTE: TypeTable = {
  v5: [
    f('name', ['name'], () => '/'),
    META_ID,
    META_CREATED,
    META_MODIFIED,
    { ...META_PRIVATE, def: undefined },
    { ...META_SORT },
    f('body', ['body'], EMPTY_STRING),
    f('headers', ['headers'], EMPTY_LIST),
    f('method', ['method'], () => 'GET'),
    f('mimeType', ['mimeType'], () => 'application/json'),
    f('statusCode', ['statusCode'], () => 200),
    f('statusText', ['statusText'], EMPTY_STRING),
  ],
  legacyOrder: ['body', 'headers', 'statusCode', 'statusText', 'name', 'mimeType', 'method', 'isPrivate'],
};

const SOCKETIO: TypeTable = {
  v5: WEBSOCKET.v5.concat([f('eventListeners', ['eventListeners'])]),
  legacyOrder: WEBSOCKET.legacyOrder.concat(['eventListeners']),
};

/** The legacy type of each table-driven collection item. */
const ITEM_TABLES: Readonly<Record<string, TypeTable>> = {
  Request: REQUEST,
  RequestGroup: FOLDER,
  GrpcRequest: GRPC,
  WebSocketRequest: WEBSOCKET,
  SocketIORequest: SOCKETIO,
};

const BASE_KEYS = new Set(['_id', 'type', 'parentId', 'modified', 'created']);

function getPath(obj: Mapping, p: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const k of p) {
    if (!isMapping(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function setPath(obj: Mapping, p: readonly string[], value: unknown): void {
  let cur = obj;
  for (let i = 0; i < p.length - 1; i++) {
    const next = cur[p[i]];
    if (!isMapping(next)) cur[p[i]] = {};
    cur = cur[p[i]] as Mapping;
  }
  cur[p[p.length - 1]] = value;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * One legacy document as a v5 object (without `children`, which the caller adds at `childrenAfter`). Known fields
 * in v5 order, empty values dropped; unknown fields after them.
 */
function docToV5(doc: Mapping, table: TypeTable, options: { children?: unknown[] } = {}): Mapping {
  const out: Mapping = {};
  const known = new Set<string>(BASE_KEYS);
  let childrenPlaced = options.children === undefined;
  const extras: Mapping = {};
  for (const field of table.v5) {
    known.add(field.legacy);
    if (!childrenPlaced && field.v5 && field.v5[0] !== 'name' && field.v5[0] !== 'meta') {
      if (options.children!.length > 0) out.children = options.children;
      childrenPlaced = true;
    }
    const raw = doc[field.legacy];
    if (raw === undefined) continue;
    if (field.v5 === null) {
      if (!field.def || !sameJson(raw, field.def())) extras[field.legacy] = raw;
      continue;
    }
    const value = field.toV5 ? field.toV5(raw) : raw;
    if (isEmptyValue(value)) continue;
    setPath(out, field.v5, value);
  }
  if (!childrenPlaced && options.children!.length > 0) out.children = options.children;
  for (const [k, v] of Object.entries(doc)) if (!known.has(k) && v !== undefined) extras[k] = v;
  // an unknown key that names a v5 mapping (`meta`, `settings`, `scripts`: what v5ToDoc keeps of their unknown
  // sub-keys) goes back inside it
  for (const [k, v] of Object.entries(extras)) out[k] = isMapping(out[k]) && isMapping(v) ? mergeMissing(out[k] as Mapping, v) : v;
  return out;
}

/** `base` with the keys of `more` it lacks (deeply). */
function mergeMissing(base: Mapping, more: Mapping): Mapping {
  const out: Mapping = { ...base };
  for (const [k, v] of Object.entries(more)) {
    if (!(k in out)) out[k] = v;
    else if (isMapping(out[k]) && isMapping(v)) out[k] = mergeMissing(out[k] as Mapping, v);
  }
  return out;
}

/** What of `value` the table's paths (below one top-level key) do not read; undefined when nothing. */
function leftover(value: unknown, paths: readonly (readonly string[])[]): unknown {
  if (paths.some((p) => p.length === 0)) return undefined;
  if (!isMapping(value)) return value;
  const out: Mapping = {};
  for (const [k, v] of Object.entries(value)) {
    const below = paths.filter((p) => p[0] === k).map((p) => p.slice(1));
    if (below.length === 0) out[k] = v;
    else {
      const rest = leftover(v, below);
      if (rest !== undefined && !(isMapping(rest) && Object.keys(rest).length === 0)) out[k] = rest;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The legacy document of a v5 object: base keys, the table's fields in legacy order with defaults, then extras. */
function v5ToDoc(type: string, parentId: string | null, v5: Mapping, table: TypeTable, consumed: readonly string[]): LegacyDoc {
  const meta = isMapping(v5.meta) ? v5.meta : {};
  const values = new Map<string, unknown>();
  const usedTop = new Set<string>(['meta', ...consumed]);
  for (const field of table.v5) {
    if (!field.v5) continue;
    usedTop.add(field.v5[0]);
    let v = getPath(v5, field.v5);
    if (v !== undefined && field.toLegacy) v = field.toLegacy(v);
    if (v === undefined && field.def) v = field.def();
    if (v !== undefined) values.set(field.legacy, v);
  }
  const doc: Mapping = {
    _id: String(meta.id ?? ''),
    type,
    parentId,
    modified: meta.modified,
    created: meta.created,
  };
  if (doc.modified === undefined) delete doc.modified;
  if (doc.created === undefined) delete doc.created;
  for (const key of table.legacyOrder) if (values.has(key)) doc[key] = values.get(key);
  for (const [k, v] of values) if (!(k in doc) && !BASE_KEYS.has(k)) doc[k] = v;
  // unknown v5 keys come back as they were; unknown sub-keys of the mappings the table reads in part (`meta`,
  // `settings`, `scripts`) are kept under that key, and docToV5 puts them back
  for (const [k, v] of Object.entries(v5)) {
    if (k === 'type' && typeof v === 'string' && ITEM_TABLES[v]) continue; // 5.2's explicit item type
    if (consumed.includes(k) || k in doc) continue;
    if (!usedTop.has(k)) {
      doc[k] = v;
      continue;
    }
    const paths = table.v5.filter((fl) => fl.v5 && fl.v5[0] === k).map((fl) => fl.v5!.slice(1));
    if (k === 'meta') paths.push(['id'], ['created'], ['modified']);
    const rest = leftover(v, paths);
    if (rest !== undefined && isMapping(v)) doc[k] = rest;
  }
  return doc as LegacyDoc;
}

// ---------------------------------------------------------------------------------------------------------------
// legacy documents -> v5

export interface V5Conversion {
  /** the v5 object, ready for `renderYamlDocument`. */
  readonly v5: Mapping;
  readonly notConverted: NotConverted[];
}

/** Legacy types the v5 format has no place for (Insomnia's v5 export leaves them out too). */
const NOT_IN_V5: Readonly<Record<string, string>> = {
  ProtoFile: 'Insomnia v5 files do not hold proto files',
  ProtoDirectory: 'Insomnia v5 files do not hold proto directories',
  WebSocketPayload: 'Insomnia v5 files do not hold saved WebSocket payloads',
};

/**
 * The v5 object of one workspace's legacy documents (`docs` may hold other workspaces' documents: only those under
 * `workspaceId` are taken). Items keep the documents' order among siblings (Insomnia writes the database's order);
 * callers that want sort order pass sorted documents.
 */
export function legacyDocsToV5(docs: readonly Mapping[], workspaceId: string, options: { schemaVersion?: string | null } = {}): V5Conversion {
  const notConverted: NotConverted[] = [];
  const workspace = docs.find((d) => d.type === 'Workspace' && d._id === workspaceId);
  if (!workspace) throw new Error(`No Workspace document ${workspaceId}`);
  const byParent = new Map<string, Mapping[]>();
  for (const d of docs) {
    const p = typeof d.parentId === 'string' ? d.parentId : '';
    let list = byParent.get(p);
    if (!list) byParent.set(p, (list = []));
    list.push(d);
  }
  const childrenOf = (id: string) => byParent.get(id) ?? [];
  const reached = new Set<Mapping>([workspace]);
  const schemaVersion = options.schemaVersion === undefined ? NEWEST_V5_SCHEMA_VERSION : options.schemaVersion;
  const typed = itemsCarryType(schemaVersion);

  const itemsUnder = (parentId: string): Mapping[] => {
    const out: Mapping[] = [];
    for (const d of childrenOf(parentId)) {
      const type = String(d.type);
      const table = ITEM_TABLES[type];
      if (!table) continue;
      reached.add(d);
      // a legacy gRPC document without `reflectionApi` gets it when Insomnia loads it (GrpcRequest.init())
      const doc = type === 'GrpcRequest' && !isMapping(d.reflectionApi) ? { ...d, reflectionApi: LEGACY_REFLECTION_API_DEFAULT() } : d;
      let v = type === 'RequestGroup' ? docToV5(doc, table, { children: itemsUnder(String(d._id)) }) : docToV5(doc, table);
      // schema 5.2 puts the type on every item; a Socket.IO request carries it in every version (the reader needs it)
      if (typed || type === 'SocketIORequest') v = withItemType(v, type);
      out.push(v);
      if (type === 'WebSocketRequest') {
        for (const p of childrenOf(String(d._id))) {
          reached.add(p);
          notConverted.push({ what: `${p.type} ${String(p.name ?? p._id)}`, why: NOT_IN_V5[String(p.type)] ?? 'no place in a v5 file' });
        }
      }
    }
    return out;
  };

  const scope = typeof workspace.scope === 'string' ? workspace.scope : 'collection';
  const normScope = scope === 'spec' || scope === 'designer' ? 'design' : scope;
  const v5Type = V5_TYPE_OF_SCOPE[normScope] ?? V5_TYPE_OF_SCOPE.collection;
  const out: Mapping = { type: v5Type };
  if (schemaVersion) out.schema_version = schemaVersion;
  out.name = workspace.name ?? '';
  const meta: Mapping = {};
  for (const k of ['_id', 'created', 'modified', 'description'] as const) {
    const v = k === 'description' ? (workspace.description ?? '') : workspace[k];
    if (v !== undefined) meta[k === '_id' ? 'id' : k] = v;
  }
  out.meta = meta;
  if (normScope === 'mock-server') {
    const servers = childrenOf(workspaceId).filter((d) => d.type === 'MockServer');
    const server = servers[0];
    for (const other of servers.slice(1)) {
      reached.add(other);
      notConverted.push({ what: `second mock server ${String(other._id)}`, why: 'a v5 mock file holds one server' });
    }
    if (server) {
      reached.add(server);
      out.server = docToV5(server, MOCK_SERVER);
      const routes = childrenOf(String(server._id)).filter((d) => d.type === 'MockRoute');
      for (const r of routes) reached.add(r);
      if (routes.length > 0) out.routes = routes.map((r) => docToV5(r, MOCK_ROUTE));
    }
  } else if (normScope !== 'environment') {
    const items = itemsUnder(workspaceId);
    if (items.length > 0) out.collection = items;
  }
  const jar = childrenOf(workspaceId).find((d) => d.type === 'CookieJar');
  if (jar) {
    reached.add(jar);
    out.cookieJar = docToV5(jar, COOKIE_JAR);
  }
  const bases = childrenOf(workspaceId).filter((d) => d.type === 'Environment');
  if (bases.length > 0) {
    const base = bases[bases.length - 1]; // the app uses the last one found
    for (const other of bases.slice(0, -1)) {
      reached.add(other);
      notConverted.push({ what: `second base environment ${String(other._id)}`, why: 'a v5 file holds one base environment' });
    }
    reached.add(base);
    const env = docToV5(base, ENVIRONMENT);
    // Insomnia's export leaves the base environment's sortKey out; kept when it is not the usual `created`
    const m = env.meta as Mapping;
    if (m.sortKey !== undefined && m.sortKey === base.created) delete m.sortKey;
    const subs = childrenOf(String(base._id)).filter((d) => d.type === 'Environment');
    for (const s of subs) reached.add(s);
    if (subs.length > 0) env.subEnvironments = subs.map((s) => docToV5(s, ENVIRONMENT));
    out.environments = env;
  }
  const spec = childrenOf(workspaceId).find((d) => d.type === 'ApiSpec');
  if (spec) {
    reached.add(spec);
    out.spec = specToV5(spec, String(out.name));
  }
  const suites = childrenOf(workspaceId).filter((d) => d.type === 'UnitTestSuite');
  if (suites.length > 0) {
    out.testSuites = suites.map((s) => {
      reached.add(s);
      const v = docToV5(s, TEST_SUITE);
      const tests = childrenOf(String(s._id)).filter((t) => t.type === 'UnitTest');
      for (const t of tests) reached.add(t);
      if (tests.length > 0) v.tests = tests.map((t) => docToV5(t, UNIT_TEST));
      return v;
    });
  }
  // what hangs below the workspace but has no place in the v5 object
  const mark = (id: string) => {
    for (const d of childrenOf(id)) {
      if (reached.has(d)) continue;
      reached.add(d);
      notConverted.push({ what: `${String(d.type)} ${String(d.name ?? d._id)}`, why: NOT_IN_V5[String(d.type)] ?? `unknown document type ${String(d.type)}` });
      mark(String(d._id));
    }
  };
  for (const d of [...reached]) mark(String(d._id));
  // documents whose parent chain reaches no workspace (a deleted folder's leftovers): reported, not guessed at
  const ids = new Map(docs.map((d) => [String(d._id), d]));
  for (const d of docs) {
    if (reached.has(d) || d.type === 'Workspace') continue;
    let cur: Mapping | undefined = d;
    const seen = new Set<Mapping>();
    while (cur && !seen.has(cur) && cur.type !== 'Workspace') {
      seen.add(cur);
      cur = ids.get(String(cur.parentId));
    }
    if (cur && cur.type === 'Workspace') continue; // another workspace's document
    notConverted.push({ what: `${String(d.type)} ${String(d.name ?? d._id)}`, why: `its parent ${String(d.parentId)} is missing` });
  }
  const WORKSPACE_KEYS = new Set([...BASE_KEYS, 'name', 'description', 'scope']);
  for (const [k, v] of Object.entries(workspace)) if (!WORKSPACE_KEYS.has(k) && v !== undefined && !(k in out)) out[k] = v;
  if (scope !== normScope) out.scope = scope; // an old `spec`/`designer` scope, kept as it was
  return { v5: removeEmptyFields(out) as Mapping, notConverted };
}

/**
 * An ApiSpec document as v5 `spec`: `contents` is the OpenAPI text parsed into a mapping (Insomnia's layout); text
 * that does not parse into a mapping stays a string. `fileName` (Insomnia uses the workspace name) and
 * `contentType` are kept only when they say something else.
 */
function specToV5(spec: Mapping, workspaceName: string): Mapping {
  const out: Mapping = {};
  const text = typeof spec.contents === 'string' ? spec.contents : '';
  // a spec read from v5 `spec: {file: X}` (no contents) is written as it was; contents given since then win, as
  // Insomnia would read `file` and ignore them
  const file = typeof spec.file === 'string' && text === '' ? spec.file : undefined;
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? undefined : load(text, { schema: CORE_SCHEMA });
  } catch {
    parsed = undefined;
  }
  if (file !== undefined) out.file = file;
  else if (isMapping(parsed)) out.contents = parsed;
  else if (text !== '') out.contents = text;
  const meta: Mapping = { id: spec._id };
  if (spec.created !== undefined) meta.created = spec.created;
  if (spec.modified !== undefined) meta.modified = spec.modified;
  out.meta = meta;
  const known = new Set([...BASE_KEYS, 'contents', 'fileName', 'contentType', 'file']);
  if (spec.fileName !== undefined && spec.fileName !== workspaceName && spec.fileName !== file) out.fileName = spec.fileName;
  if (spec.contentType !== undefined && spec.contentType !== 'yaml') out.contentType = spec.contentType;
  for (const [k, v] of Object.entries(spec)) if (!known.has(k)) out[k] = v;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// v5 -> legacy documents

export interface LegacyConversion {
  readonly docs: LegacyDoc[];
  readonly notConverted: NotConverted[];
}

const V5_ITEM_TYPE: Readonly<Record<string, string>> = {
  Request: 'Request',
  RequestGroup: 'RequestGroup',
  GrpcRequest: 'GrpcRequest',
  WebSocketRequest: 'WebSocketRequest',
  SocketIORequest: 'SocketIORequest',
};

/** The legacy type of a v5 collection item (5.2's `type`, else told apart by fields and id prefix as the reader does). */
export function v5ItemType(item: Mapping): string {
  if (typeof item.type === 'string' && V5_ITEM_TYPE[item.type]) return item.type;
  if (item.children !== undefined) return 'RequestGroup';
  if (item.method !== undefined) return 'Request';
  const id = String(isMapping(item.meta) ? (item.meta.id ?? '') : '');
  if (item.reflectionApi !== undefined || item.protoMethodName !== undefined || id.startsWith('greq_')) return 'GrpcRequest';
  if (item.eventListeners !== undefined || id.startsWith('socketio-req_')) return 'SocketIORequest';
  if (id.startsWith('ws-req_') || (isMapping(item.settings) && item.settings.followRedirects !== undefined)) return 'WebSocketRequest';
  if (id.startsWith('fld_')) return 'RequestGroup';
  if (id.startsWith('req_')) return 'Request';
  return item.url === undefined ? 'RequestGroup' : 'Request';
}

/**
 * The legacy documents of a v5 object. Items without `meta.id` get `makeId(prefix)`. A cookie jar and Socket.IO
 * requests have no place in a legacy `.insomnia/` folder (Insomnia 10 syncs no cookies and has no Socket.IO): they
 * are reported, not returned, unless `forExport` (documents for an export, which decides what it can hold).
 */
export function v5ToLegacyDocs(v5: Mapping, makeId: (prefix: string) => string, options: { forExport?: boolean } = {}): LegacyConversion {
  const notConverted: NotConverted[] = [];
  const docs: LegacyDoc[] = [];
  const type = typeof v5.type === 'string' ? v5.type : '';
  const scope = SCOPE_OF_V5_TYPE[type];
  if (!scope || (!options.forExport && scope === 'mcp')) {
    throw new Error(`A ${type || 'file without a type'} cannot be stored in a legacy .insomnia folder`);
  }
  const meta = isMapping(v5.meta) ? v5.meta : {};
  const workspaceId = typeof meta.id === 'string' && meta.id ? meta.id : makeId('wrk');
  const ensureId = (obj: Mapping, prefix: string): Mapping => {
    const m = isMapping(obj.meta) ? obj.meta : {};
    if (typeof m.id === 'string' && m.id) return obj;
    return { ...obj, meta: { ...m, id: makeId(prefix) } };
  };
  const workspace: Mapping = { _id: workspaceId, type: 'Workspace', parentId: null };
  if (meta.modified !== undefined) workspace.modified = meta.modified;
  if (meta.created !== undefined) workspace.created = meta.created;
  workspace.name = v5.name ?? '';
  workspace.description = meta.description ?? '';
  workspace.scope = typeof v5.scope === 'string' ? v5.scope : scope;
  const TOP = new Set(['type', 'schema_version', 'name', 'meta', 'collection', 'cookieJar', 'environments', 'spec', 'testSuites', 'scope', 'server', 'routes']);
  // an Insomnia 11.0 mock file's `url` and `useInsomniaCloud` at the top are its server's (see formats/v5.ts)
  const mockAtTop = scope === 'mock-server' && !isMapping(v5.server);
  if (mockAtTop) {
    TOP.add('url');
    TOP.add('useInsomniaCloud');
  }
  for (const [k, v] of Object.entries(v5)) if (!TOP.has(k)) workspace[k] = v;
  docs.push(workspace as LegacyDoc);

  const PREFIX: Record<string, string> = { Request: 'req', RequestGroup: 'fld', GrpcRequest: 'greq', WebSocketRequest: 'ws-req', SocketIORequest: 'socketio-req' };
  const walk = (list: unknown, parentId: string) => {
    if (!Array.isArray(list)) return;
    for (const raw of list) {
      if (!isMapping(raw)) continue;
      const t = v5ItemType(raw);
      const item = ensureId(raw, PREFIX[t]);
      if (t === 'SocketIORequest' && !options.forExport) {
        notConverted.push({ what: `Socket.IO request ${String(item.name ?? '')}`, why: 'Insomnia 10 (legacy .insomnia folders) has no Socket.IO requests' });
        continue;
      }
      const doc = v5ToDoc(t, parentId, item, ITEM_TABLES[t], t === 'RequestGroup' ? ['children'] : []);
      docs.push(doc);
      if (t === 'RequestGroup') walk(item.children, doc._id);
    }
  };
  walk(v5.collection, workspaceId);

  if (isMapping(v5.environments)) {
    const base = ensureId(v5.environments, 'env');
    const doc = v5ToDoc('Environment', workspaceId, base, ENVIRONMENT, ['subEnvironments']);
    if (doc.metaSortKey === undefined && doc.created !== undefined) {
      // the v5 export leaves the base environment's sortKey out; Insomnia 10 files carry `metaSortKey = created`
      doc.metaSortKey = doc.created;
      reorder(doc, ENVIRONMENT.legacyOrder);
    }
    docs.push(doc);
    if (Array.isArray(base.subEnvironments)) {
      for (const s of base.subEnvironments) if (isMapping(s)) docs.push(v5ToDoc('Environment', doc._id, ensureId(s, 'env'), ENVIRONMENT, []));
    }
  }
  if (scope === 'mock-server' && (isMapping(v5.server) || v5.url !== undefined || Array.isArray(v5.routes))) {
    const raw = isMapping(v5.server) ? v5.server : { url: v5.url, useInsomniaCloud: v5.useInsomniaCloud };
    const server = v5ToDoc('MockServer', workspaceId, ensureId(raw, 'mock'), MOCK_SERVER, []);
    if (server.name === undefined) {
      server.name = v5.name ?? '';
      reorder(server, MOCK_SERVER.legacyOrder);
    }
    docs.push(server);
    if (Array.isArray(v5.routes)) {
      for (const r of v5.routes) if (isMapping(r)) docs.push(v5ToDoc('MockRoute', server._id, ensureId(r, 'mock-route'), MOCK_ROUTE, []));
    }
  }
  if (isMapping(v5.spec)) docs.push(specToLegacy(ensureId(v5.spec, 'spc'), workspaceId, String(v5.name ?? '')));
  else if (scope === 'design') {
    // Insomnia's schema gives a design file without `spec:` an empty one; in a .insomnia folder it is an ApiSpec
    // document (what `inso` and Insomnia 10 look for)
    docs.push({ _id: makeId('spc'), type: 'ApiSpec', parentId: workspaceId, modified: workspace.modified, created: workspace.created, fileName: String(v5.name ?? ''), contentType: 'yaml', contents: '' } as LegacyDoc);
    if (docs[docs.length - 1].modified === undefined) delete docs[docs.length - 1].modified;
    if (docs[docs.length - 1].created === undefined) delete docs[docs.length - 1].created;
  }
  if (Array.isArray(v5.testSuites)) {
    for (const s of v5.testSuites) {
      if (!isMapping(s)) continue;
      const suite = v5ToDoc('UnitTestSuite', workspaceId, ensureId(s, 'uts'), TEST_SUITE, ['tests']);
      docs.push(suite);
      if (Array.isArray(s.tests)) for (const t of s.tests) if (isMapping(t)) docs.push(v5ToDoc('UnitTest', suite._id, ensureId(t, 'ut'), UNIT_TEST, []));
    }
  }
  if (isMapping(v5.cookieJar) && options.forExport) {
    // not a legacy file, but a document for exports that hold cookie jars (Insomnia v4)
    docs.push(v5ToDoc('CookieJar', workspaceId, ensureId(v5.cookieJar, 'jar'), COOKIE_JAR, []));
  } else if (isMapping(v5.cookieJar)) {
    const n = Array.isArray(v5.cookieJar.cookies) ? v5.cookieJar.cookies.length : 0;
    notConverted.push({ what: `cookie jar (${n} cookie${n === 1 ? '' : 's'})`, why: 'legacy .insomnia folders do not hold cookies (Insomnia 10 never synced them)' });
  }
  return { docs, notConverted };
}

function reorder(doc: Mapping, order: readonly string[]): void {
  const entries = Object.entries(doc);
  for (const k of Object.keys(doc)) delete doc[k];
  const rank = (k: string) => (BASE_KEYS.has(k) ? -1 : order.includes(k) ? order.indexOf(k) : order.length);
  const base = ['_id', 'type', 'parentId', 'modified', 'created'];
  entries.sort((a, b) => {
    const ra = rank(a[0]);
    const rb = rank(b[0]);
    if (ra === -1 && rb === -1) return base.indexOf(a[0]) - base.indexOf(b[0]);
    return ra - rb;
  });
  for (const [k, v] of entries) doc[k] = v;
}

function specToLegacy(spec: Mapping, workspaceId: string, workspaceName: string): LegacyDoc {
  const meta = isMapping(spec.meta) ? spec.meta : {};
  const doc: Mapping = { _id: String(meta.id), type: 'ApiSpec', parentId: workspaceId };
  if (meta.modified !== undefined) doc.modified = meta.modified;
  if (meta.created !== undefined) doc.created = meta.created;
  // `spec: {file: X}` is a file name with no contents to Insomnia (insomnia-v5.ts getApiSpec; its SpecSchema tries
  // `{file}` first); `file` itself stays on the document (an unknown field), so that a v5 file written from it has it
  const file = typeof spec.file === 'string' ? spec.file : undefined;
  doc.fileName = file ?? spec.fileName ?? workspaceName;
  doc.contentType = spec.contentType ?? 'yaml';
  const c = spec.contents;
  doc.contents = file !== undefined ? '' : typeof c === 'string' ? c : c === undefined || c === null ? '' : specMappingText(c);
  const known = new Set(['meta', 'contents', 'fileName', 'contentType']);
  for (const [k, v] of Object.entries(spec)) if (!known.has(k) && !(k in doc)) doc[k] = v;
  return doc as LegacyDoc;
}

/** The model's legacy type folders (`.insomnia/<Type>/`) a converted document may go to. */
export function legacyFileName(doc: LegacyDoc): string {
  return `${doc.type}/${doc._id}.yml`;
}

/**
 * `renderYamlDocument` (Insomnia's `YAML.stringify`), checked by reading the text back: `yaml` writes some strings as
 * block scalars that do not read back the same (whitespace-only lines inside them vanish, INSOMNIA_FORMAT.md 7).
 * Such a document is written again without block scalars (one-line double-quoted strings), and as JSON (which is
 * YAML) in the last resort, so what is written always reads back exactly.
 */
export function renderDocument(value: unknown): string {
  const text = renderYamlDocument(value);
  // the check costs as much as the writing: done only when a multi-line string has the shapes `yaml` gets wrong
  if (!hasRiskyString(value)) return text;
  const wanted = canonical(value);
  const readsBack = (t: string) => canonical(load(t, { schema: CORE_SCHEMA })) === wanted;
  if (readsBack(text)) return text;
  // every string on one line, in double quotes with escapes (`yaml` breaks some multi-line double-quoted strings)
  const quoted = stringify(value, { aliasDuplicateObjects: false, blockQuote: false, lineWidth: 0, doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER });
  if (readsBack(quoted)) return quoted;
  // JSON is YAML and always reads back; the first key stays on the first line, where a v5 file's `type` is looked for
  return `${JSON.stringify(value, null, 2).replace(/^\{\n\s*/, '{ ')}\n`;
}

/** A multi-line string with whitespace-only lines, trailing or leading blanks, or a carriage return. */
const RISKY = /(^|\n)[ \t]+(\n|$)|[ \t]\n|^[ \t]|\r/;

export function hasRiskyString(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\n') && RISKY.test(value);
  if (Array.isArray(value)) return value.some(hasRiskyString);
  if (isMapping(value)) for (const v of Object.values(value)) if (hasRiskyString(v)) return true;
  return false;
}

/**
 * A v5 spec's `contents` mapping as the YAML text Insomnia shows and a legacy ApiSpec stores. In the writers' bundle,
 * not in formats/v5.ts, which the extension's bundle holds: that bundle has js-yaml's loader only (esbuild.config.mjs's
 * yamlLoaderOnly), and a v5 spec's text is read rarely (formats/v5.ts requires the writers then).
 */
export function specMappingText(value: unknown): string {
  return dump(value, { schema: CORE_SCHEMA, lineWidth: -1, noRefs: true });
}
