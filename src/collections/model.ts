// One in-memory model of Insomnia collections, whatever file format they came from.
// Format code (formats/legacy.ts, formats/v5.ts) only translates between files and this model;
// the tree, the editor and the diff only ever look at these types. No 'vscode' import here.

export type CollectionFormat = 'legacy' | 'v5';

/** Workspace scope: what kind of Insomnia workspace a collection is. */
export type Scope = 'collection' | 'design' | 'mock-server' | 'environment' | 'mcp';

/**
 * Where a model object lives on disk: the file, and the path of its YAML node inside that file
 * (legacy: `[]`, the whole document; v5: e.g. `['collection', 2, 'children', 0]`).
 * `line` is the 0-based line of the node's first line when the reader knows it cheaply, else 0.
 */
export interface SourceRef {
  readonly file: string;
  readonly yamlPath: readonly (string | number)[];
  readonly line: number;
}

/** The `source` of a model object that has no file yet (what an importer creates). */
export const IMPORT_SOURCE: SourceRef = Object.freeze({ file: '', yamlPath: Object.freeze([]) as readonly (string | number)[], line: 0 });

export interface KeyValue {
  name: string;
  value: string;
  disabled?: boolean;
  description?: string;
  id?: string;
  type?: string; // 'text' | 'file' for multipart params
  fileName?: string;
  multiline?: boolean | string;
}

export interface RequestBody {
  mimeType?: string | null;
  text?: string;
  fileName?: string;
  params?: KeyValue[];
}

/** Auth union; `type` discriminates (none, basic, digest, bearer, apikey, oauth2, iam, ...). */
export interface Authentication {
  type?: string;
  disabled?: boolean;
  [field: string]: unknown;
}

export interface RequestSettings {
  renderRequestBody: boolean;
  encodeUrl: boolean;
  followRedirects: 'global' | 'on' | 'off';
  sendCookies: boolean;
  storeCookies: boolean;
  rebuildPath: boolean;
}

export interface Scripts {
  preRequest: string;
  afterResponse: string;
}

export type ItemKind = 'folder' | 'request' | 'grpcRequest' | 'websocketRequest' | 'socketIORequest';
export type RequestKind = Exclude<ItemKind, 'folder'>;

interface ItemBase {
  readonly id: string;
  /** id of the parent folder, or of the collection (workspace) for top-level items. */
  readonly parentId: string;
  name: string;
  description: string;
  /** Insomnia's `metaSortKey` (legacy) / `meta.sortKey` (v5); siblings sort ascending. */
  sortKey: number;
  created?: number;
  modified?: number;
  readonly source: SourceRef;
}

export interface Folder extends ItemBase {
  readonly kind: 'folder';
  children: Item[];
  environment: Record<string, unknown>;
  /** the order of the environment's variables Insomnia shows (`environmentPropertyOrder['&']`), when the file says one. */
  environmentOrder?: string[];
  headers: KeyValue[];
  authentication: Authentication;
  scripts: Scripts;
}

export interface HttpRequest extends ItemBase {
  readonly kind: 'request';
  method: string;
  url: string;
  parameters: KeyValue[];
  pathParameters: KeyValue[];
  headers: KeyValue[];
  body: RequestBody;
  authentication: Authentication;
  scripts: Scripts;
  settings: RequestSettings;
}

/** Server reflection settings of a gRPC request (Insomnia's `reflectionApi`; its v5 schema requires it). */
export interface ReflectionApi {
  enabled: boolean;
  url: string;
  apiKey: string;
  module: string;
  /** fields Insomnia may add later, kept as read. */
  [field: string]: unknown;
}

export interface GrpcRequest extends ItemBase {
  readonly kind: 'grpcRequest';
  url: string;
  protoFileId?: string;
  protoMethodName?: string;
  body: { text?: string };
  metadata: KeyValue[];
  reflectionApi: ReflectionApi;
}

export interface WebSocketRequest extends ItemBase {
  readonly kind: 'websocketRequest';
  url: string;
  headers: KeyValue[];
  parameters: KeyValue[];
  authentication: Authentication;
}

export interface SocketIORequest extends ItemBase {
  readonly kind: 'socketIORequest';
  url: string;
  headers: KeyValue[];
  parameters: KeyValue[];
  authentication: Authentication;
}

export type Request = HttpRequest | GrpcRequest | WebSocketRequest | SocketIORequest;
export type Item = Folder | Request;

export interface Environment {
  readonly id: string;
  /** base environment: the collection id; sub-environment: the base environment's id. */
  readonly parentId: string;
  name: string;
  data: Record<string, unknown>;
  /** the order of the variables Insomnia shows (`dataPropertyOrder['&']`), when the file says one. */
  propertyOrder?: string[];
  color: string | null;
  sortKey: number;
  isPrivate: boolean;
  /** epoch ms, when the file says them (an import keeps them). */
  created?: number;
  modified?: number;
  readonly source: SourceRef;
}

/**
 * The variables' names in the order Insomnia shows them: those `order` names (Insomnia's json-order `&` list) first,
 * then the rest in the mapping's own order.
 */
export function orderedKeys(data: Record<string, unknown>, order?: readonly string[]): string[] {
  const keys = Object.keys(data);
  if (!order?.length) return keys;
  const present = new Set(keys);
  const first = order.filter((k, i) => present.has(k) && order.indexOf(k) === i);
  const seen = new Set(first);
  return [...first, ...keys.filter((k) => !seen.has(k))];
}

export interface BaseEnvironment extends Environment {
  subEnvironments: Environment[];
}

/** A design document's OpenAPI text (legacy ApiSpec, v5 `spec:`). */
export interface ApiSpec {
  readonly id: string;
  fileName: string;
  /** the spec text as Insomnia stores it (legacy `contents`; v5 `spec.contents` re-serialised; '' for `spec.file`). */
  contents: string;
  /**
   * v5 `spec: {file: X}`: X, which Insomnia reads as the spec's file name with empty contents (insomnia-v5.ts
   * getApiSpec); kept so that what is written from the model writes `spec: {file: X}` back.
   */
  file?: string;
  created?: number;
  modified?: number;
  readonly source: SourceRef;
}

/** One of Insomnia's unit tests (legacy `UnitTest`, v5 `testSuites[].tests[]`): JavaScript run as a mocha `it`. */
export interface UnitTest {
  readonly id: string;
  /** the suite's id. */
  readonly parentId: string;
  name: string;
  code: string;
  /** the request `insomnia.send()` sends by default (Insomnia's "Select a request"), or null. */
  requestId: string | null;
  sortKey: number;
  created?: number;
  modified?: number;
  readonly source: SourceRef;
}

/** A unit test suite of a design document (legacy `UnitTestSuite`, v5 `testSuites[]`), its tests sorted by sort key. */
export interface UnitTestSuite {
  readonly id: string;
  /** the collection's id. */
  readonly parentId: string;
  name: string;
  sortKey: number;
  created?: number;
  modified?: number;
  tests: UnitTest[];
  readonly source: SourceRef;
}

/** One route of a mock server (Insomnia's `MockRoute`; v5 `routes[]`). */
export interface MockRoute {
  readonly id: string;
  /** the mock server's id. */
  readonly parentId: string;
  name: string;
  body: string;
  headers: KeyValue[];
  method: string;
  mimeType: string;
  statusCode: number;
  statusText: string;
  created?: number;
  modified?: number;
  readonly source: SourceRef;
}

/** A mock server workspace's server (Insomnia's `MockServer`; v5 `server:`) and its routes (in the file's order; legacy: by creation). */
export interface MockServer {
  readonly id: string;
  url: string;
  useInsomniaCloud: boolean;
  created?: number;
  modified?: number;
  routes: MockRoute[];
  readonly source: SourceRef;
}

export type ProblemSeverity = 'error' | 'warning';

/** A file that could not be read as Insomnia data, or an inconsistency; shown in the Problems panel. */
export interface Problem {
  readonly file: string;
  /** 0-based line and column. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly severity: ProblemSeverity;
}

export interface Collection {
  /** the workspace id (`wrk_...`). */
  readonly id: string;
  readonly format: CollectionFormat;
  /** legacy: the `.insomnia` folder; v5: the collection file. Absolute. */
  readonly path: string;
  name: string;
  description: string;
  scope: Scope;
  children: Item[];
  baseEnvironment?: BaseEnvironment;
  spec?: ApiSpec;
  /** a design document's unit test suites (Insomnia's `inso run test`), sorted by sort key; absent when it has none. */
  testSuites?: UnitTestSuite[];
  /** a mock server workspace's server and routes. */
  mockServer?: MockServer;
  /** v5: the `schema_version` the file declares ('5.0' when it declares none); edits keep writing it. */
  schemaVersion?: string;
  /** problems that belong to this collection's files. */
  problems: Problem[];
  readonly source: SourceRef;
  /** true while only the collection itself is known (its items and environments are still being read). */
  partial?: boolean;
}

/** Everything found under a folder: the collections and the problems of files that belong to none. */
export interface WorkspaceSnapshot {
  readonly root: string;
  collections: Collection[];
  problems: Problem[];
}

/** Counts per collection, as `hammock ls --json` prints them. */
export interface CollectionCounts {
  folders: number;
  requests: number;
  grpcRequests: number;
  websocketRequests: number;
  socketIORequests: number;
  environments: number;
}

/**
 * Whether a workspace of this scope holds folders and requests: collections and design documents do; a mock server
 * holds its server and routes, an environment file and an MCP client only environments (Insomnia drops a
 * `collection:` block written into them on its next export).
 */
export function holdsItems(scope: Scope): boolean {
  return scope === 'collection' || scope === 'design';
}

/** Whether a workspace of this scope holds environments (every scope but a mock server). */
export function holdsEnvironments(scope: Scope): boolean {
  return scope !== 'mock-server';
}

export function isFolder(item: Item): item is Folder {
  return item.kind === 'folder';
}

/** Depth-first walk over a collection's items (folders before their children). */
export function* walkItems(items: readonly Item[]): Generator<Item> {
  for (const item of items) {
    yield item;
    if (item.kind === 'folder') yield* walkItems(item.children);
  }
}

export function countItems(collection: Collection): CollectionCounts {
  const counts: CollectionCounts = {
    folders: 0,
    requests: 0,
    grpcRequests: 0,
    websocketRequests: 0,
    socketIORequests: 0,
    environments: 0,
  };
  for (const item of walkItems(collection.children)) {
    switch (item.kind) {
      case 'folder': counts.folders++; break;
      case 'request': counts.requests++; break;
      case 'grpcRequest': counts.grpcRequests++; break;
      case 'websocketRequest': counts.websocketRequests++; break;
      case 'socketIORequest': counts.socketIORequests++; break;
    }
  }
  const base = collection.baseEnvironment;
  if (base) counts.environments = 1 + base.subEnvironments.length;
  return counts;
}

export function bySortKey<T extends { sortKey: number }>(a: T, b: T): number {
  return a.sortKey - b.sortKey;
}

/**
 * `bySortKey`, equal keys in id order: for documents that have no order of their own (the files of a legacy folder,
 * the resources of an export), so that the same documents always give the same tree.
 */
export function bySortKeyThenId<T extends { sortKey: number; id: string }>(a: T, b: T): number {
  return a.sortKey - b.sortKey || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
