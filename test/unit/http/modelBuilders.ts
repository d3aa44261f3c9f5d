// Small builders of model objects for the http tests (the model's required fields filled with Insomnia's defaults).
import type { Authentication, Collection, Environment, Folder, HttpRequest, Item, KeyValue, RequestBody } from '../../../src/collections/model';

const src = { file: '/tmp/none.yml', yamlPath: [], line: 0 };

export function request(id: string, fields: Partial<Omit<HttpRequest, 'id' | 'kind' | 'source'>> = {}): HttpRequest {
  return {
    id,
    kind: 'request',
    parentId: fields.parentId ?? 'wrk_1',
    name: id,
    description: '',
    sortKey: 0,
    source: src,
    method: 'GET',
    url: 'http://example.com/',
    parameters: [],
    pathParameters: [],
    headers: [],
    body: {} as RequestBody,
    authentication: {} as Authentication,
    scripts: { preRequest: '', afterResponse: '' },
    settings: { renderRequestBody: true, encodeUrl: true, followRedirects: 'global', sendCookies: true, storeCookies: true, rebuildPath: true },
    ...fields,
  };
}

export function folder(id: string, children: Item[], fields: { environment?: Record<string, unknown>; headers?: KeyValue[]; authentication?: Authentication } = {}): Folder {
  return {
    id,
    kind: 'folder',
    parentId: 'wrk_1',
    name: id,
    description: '',
    sortKey: 0,
    source: src,
    children,
    environment: fields.environment ?? {},
    headers: fields.headers ?? [],
    authentication: fields.authentication ?? {},
    scripts: { preRequest: '', afterResponse: '' },
  };
}

function env(id: string, parentId: string, data: Record<string, unknown>): Environment {
  return { id, parentId, name: id, data, color: null, sortKey: 0, isPrivate: false, source: src };
}

export function collection(children: Item[], base: Record<string, unknown> = {}, subs: Record<string, Record<string, unknown>> = {}): Collection {
  return {
    id: 'wrk_1',
    format: 'legacy',
    path: '/tmp/none',
    name: 'Test',
    description: '',
    scope: 'collection',
    children,
    baseEnvironment: { ...env('env_base', 'wrk_1', base), subEnvironments: Object.entries(subs).map(([id, data]) => env(id, 'env_base', data)) },
    problems: [],
    source: src,
  };
}
