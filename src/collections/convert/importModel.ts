// Building blocks the importers share: model objects with Insomnia's defaults and `IMPORT_SOURCE`, a tally of what
// was dropped (folded by kind, with counts), and re-sourcing a collection read by a file reader. Pure.

import type {
  Authentication,
  BaseEnvironment,
  Collection,
  Folder,
  HttpRequest,
  KeyValue,
  RequestBody,
  RequestSettings,
  Scope,
} from '../model';
import { walkItems } from '../model';
import { baseEnvironmentId, ID_PREFIX, newId } from '../ids';
import { IMPORT_SOURCE, type Dropped } from './importTypes';

/** Insomnia's request settings defaults. */
export function defaultSettings(): RequestSettings {
  return { renderRequestBody: true, encodeUrl: true, followRedirects: 'global', sendCookies: true, storeCookies: true, rebuildPath: true };
}

export function importedCollection(name: string, id = newId(ID_PREFIX.Workspace), scope: Scope = 'collection'): Collection {
  return { id, format: 'v5', path: '', name, description: '', scope, children: [], problems: [], source: IMPORT_SOURCE };
}

export function importedFolder(parentId: string, name: string, sortKey: number, id = newId(ID_PREFIX.RequestGroup)): Folder {
  return {
    kind: 'folder',
    id,
    parentId,
    name,
    description: '',
    sortKey,
    source: IMPORT_SOURCE,
    children: [],
    environment: {},
    headers: [],
    authentication: {},
    scripts: { preRequest: '', afterResponse: '' },
  };
}

export interface RequestFields {
  method?: string;
  url?: string;
  description?: string;
  parameters?: KeyValue[];
  pathParameters?: KeyValue[];
  headers?: KeyValue[];
  body?: RequestBody;
  authentication?: Authentication;
}

export function importedRequest(
  parentId: string,
  name: string,
  sortKey: number,
  fields: RequestFields = {},
  id = newId(ID_PREFIX.Request),
): HttpRequest {
  return {
    kind: 'request',
    id,
    parentId,
    name,
    description: fields.description ?? '',
    sortKey,
    source: IMPORT_SOURCE,
    method: fields.method ?? 'GET',
    url: fields.url ?? '',
    parameters: fields.parameters ?? [],
    pathParameters: fields.pathParameters ?? [],
    headers: fields.headers ?? [],
    body: fields.body ?? {},
    authentication: fields.authentication ?? {},
    scripts: { preRequest: '', afterResponse: '' },
    settings: defaultSettings(),
  };
}

/** A base environment with Insomnia's deterministic id for the collection (`env_` + sha1(workspace id)). */
export function importedBaseEnvironment(collectionId: string, data: Record<string, unknown>, name = 'Base Environment'): BaseEnvironment {
  return {
    id: baseEnvironmentId(collectionId),
    parentId: collectionId,
    name,
    data,
    color: null,
    sortKey: 0,
    isPrivate: false,
    source: IMPORT_SOURCE,
    subEnvironments: [],
  };
}

/** Sets `source` to `IMPORT_SOURCE` (and `path` to '') on a collection read by a file reader and everything in it. */
export function reSource(collection: Collection): Collection {
  const set = (o: { readonly source: unknown }) => ((o as { source: unknown }).source = IMPORT_SOURCE);
  set(collection);
  (collection as { path: string }).path = '';
  for (const item of walkItems(collection.children)) set(item);
  const base = collection.baseEnvironment;
  if (base) {
    set(base);
    for (const sub of base.subEnvironments) set(sub);
  }
  if (collection.spec) set(collection.spec);
  if (collection.mockServer) {
    set(collection.mockServer);
    for (const r of collection.mockServer.routes) set(r);
  }
  return collection;
}

/** Dropped things, folded by `what` + `why`: `add('test script', why)` three times gives one line with count 3. */
export class DroppedTally {
  private readonly lines = new Map<string, { what: string; why: string; count: number }>();

  add(what: string, why: string, count = 1): void {
    if (count <= 0) return;
    const key = `${what}\0${why}`;
    const line = this.lines.get(key);
    if (line) line.count += count;
    else this.lines.set(key, { what, why, count });
  }

  list(): Dropped[] {
    return [...this.lines.values()].map(({ what, why, count }) => (count === 1 ? { what, why } : { what, why, count }));
  }
}

/** Whether a value carries anything (not undefined, null, '', false, [] or {}). */
export function hasContent(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}
