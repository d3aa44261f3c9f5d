// The model (model.ts) as Insomnia's database documents, the shape both file formats are written from
// (insomniaDocs.ts maps documents to v5; legacy files are the documents themselves). Pure.
// Each document has Insomnia 10's keys in its order, with its defaults (the shape of the 10.x files in the fixtures).

import { orderedKeys, walkItems, type Collection, type Environment, type Item, type KeyValue, type RequestBody } from '../model';
import { jsonOrderMap } from '../edit/deepWrite';
import type { LegacyDoc, Mapping } from './insomniaDocs';

export interface DocOptions {
  /** epoch ms for `created` / `modified` of objects that have none (imported ones). Default `Date.now()`. */
  readonly now?: number;
}

/** A JSON-like copy without `undefined` members (YAML would write them as `null`). */
export function plain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(plain) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Mapping = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
    return out as T;
  }
  return value;
}

/**
 * Name/value pairs as plain data, without members whose value is `null` (a v4 export's `multiline: null`): Insomnia's
 * v5 schema refuses them there, and Insomnia 11.2+ runs a legacy folder through that schema when it converts it.
 */
function pairs(list: readonly KeyValue[]): KeyValue[] {
  return list.map((kv) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(kv)) if (v !== undefined && v !== null) out[k] = plain(v);
    return out as unknown as KeyValue;
  });
}

/** A request body as plain data, its params as `pairs`. */
function bodyDoc(body: RequestBody): RequestBody {
  const out = plain(body);
  if (Array.isArray(out.params)) out.params = pairs(out.params);
  return out;
}

/** Every document of a collection: workspace, items (depth first, siblings in sort order), environments, spec, unit tests. */
export function collectionToDocs(c: Collection, options: DocOptions = {}): LegacyDoc[] {
  const now = options.now ?? Date.now();
  const docs: LegacyDoc[] = [];
  const stamp = (created: number | undefined, modified: number | undefined) => ({
    modified: modified ?? created ?? now,
    created: created ?? now,
  });
  docs.push({
    _id: c.id,
    type: 'Workspace',
    parentId: null,
    ...stamp(undefined, undefined),
    name: c.name,
    description: c.description,
    scope: c.scope,
  });
  const walk = (items: readonly Item[], parentId: string) => {
    for (const item of [...items].sort((a, b) => a.sortKey - b.sortKey)) {
      docs.push(itemDoc(item, parentId, stamp(item.created, item.modified)));
      if (item.kind === 'folder') walk(item.children, item.id);
    }
  };
  walk(c.children, c.id);
  const base = c.baseEnvironment;
  if (base) {
    docs.push(envDoc(base, c.id, stamp(base.created, base.modified)));
    for (const sub of [...base.subEnvironments].sort((a, b) => a.sortKey - b.sortKey)) docs.push(envDoc(sub, base.id, stamp(sub.created, sub.modified)));
  }
  if (c.spec) {
    docs.push({
      _id: c.spec.id,
      type: 'ApiSpec',
      parentId: c.id,
      ...stamp(c.spec.created, c.spec.modified),
      fileName: c.spec.fileName || c.name,
      contentType: 'yaml',
      contents: c.spec.contents,
      // v5 `spec: {file: X}`: written back as it was (legacy folders keep it as an unknown field)
      ...(c.spec.file === undefined ? {} : { file: c.spec.file }),
    });
  }
  for (const suite of c.testSuites ?? []) {
    docs.push({ _id: suite.id, type: 'UnitTestSuite', parentId: c.id, ...stamp(suite.created, suite.modified), name: suite.name, metaSortKey: suite.sortKey });
    for (const t of suite.tests) {
      docs.push({ _id: t.id, type: 'UnitTest', parentId: suite.id, ...stamp(t.created, t.modified), requestId: t.requestId, name: t.name, code: t.code, metaSortKey: t.sortKey });
    }
  }
  const mock = c.mockServer;
  if (mock) {
    const times = stamp(mock.created, mock.modified);
    docs.push({ _id: mock.id, type: 'MockServer', parentId: c.id, ...times, name: c.name, url: mock.url, useInsomniaCloud: mock.useInsomniaCloud });
    for (const r of mock.routes) {
      docs.push({
        _id: r.id,
        type: 'MockRoute',
        parentId: mock.id,
        ...stamp(r.created, r.modified),
        body: r.body,
        headers: pairs(r.headers),
        statusCode: r.statusCode,
        statusText: r.statusText,
        name: r.name,
        mimeType: r.mimeType,
        method: r.method,
      });
    }
  }
  // the model keeps no time stamps for the workspace: the earliest and latest of its items' are the best guess
  let created = Infinity;
  let modified = -Infinity;
  for (const item of walkItems(c.children)) {
    if (item.created !== undefined) created = Math.min(created, item.created);
    if (item.modified !== undefined) modified = Math.max(modified, item.modified);
  }
  if (created !== Infinity) docs[0].created = created;
  if (modified !== -Infinity) docs[0].modified = Math.max(modified, docs[0].created as number);
  return docs;
}

function envDoc(env: Environment, parentId: string, times: { modified: number; created: number }): LegacyDoc {
  return {
    _id: env.id,
    type: 'Environment',
    parentId,
    modified: times.modified,
    created: times.created,
    name: env.name,
    data: plain(env.data),
    dataPropertyOrder: orderMapOf(env.data, env.propertyOrder),
    color: env.color,
    isPrivate: env.isPrivate,
    metaSortKey: env.sortKey,
  };
}

export function itemDoc(item: Item, parentId: string, times: { modified: number; created: number }): LegacyDoc {
  const head = { _id: item.id, type: '', parentId, modified: times.modified, created: times.created };
  switch (item.kind) {
    case 'folder':
      return {
        ...head,
        type: 'RequestGroup',
        name: item.name,
        description: item.description,
        environment: plain(item.environment),
        environmentPropertyOrder: orderMapOf(item.environment, item.environmentOrder),
        metaSortKey: item.sortKey,
        preRequestScript: item.scripts.preRequest || null,
        afterResponseScript: item.scripts.afterResponse || null,
        authentication: Object.keys(item.authentication).length > 0 ? plain(item.authentication) : null,
        headers: item.headers.length > 0 ? pairs(item.headers) : null,
      };
    case 'request':
      return {
        ...head,
        type: 'Request',
        url: item.url,
        name: item.name,
        description: item.description,
        method: item.method,
        body: bodyDoc(item.body),
        parameters: pairs(item.parameters),
        headers: pairs(item.headers),
        authentication: plain(item.authentication),
        preRequestScript: item.scripts.preRequest || null,
        metaSortKey: item.sortKey,
        isPrivate: false,
        pathParameters: item.pathParameters.length > 0 ? pairs(item.pathParameters) : null,
        afterResponseScript: item.scripts.afterResponse || null,
        settingStoreCookies: item.settings.storeCookies,
        settingSendCookies: item.settings.sendCookies,
        settingDisableRenderRequestBody: !item.settings.renderRequestBody,
        settingEncodeUrl: item.settings.encodeUrl,
        settingRebuildPath: item.settings.rebuildPath,
        settingFollowRedirects: item.settings.followRedirects,
      };
    case 'grpcRequest': {
      const doc: LegacyDoc = {
        ...head,
        type: 'GrpcRequest',
        url: item.url,
        name: item.name,
        description: item.description,
      };
      if (item.protoFileId !== undefined) doc.protoFileId = item.protoFileId;
      if (item.protoMethodName !== undefined) doc.protoMethodName = item.protoMethodName;
      doc.metadata = pairs(item.metadata);
      doc.body = plain(item.body);
      doc.metaSortKey = item.sortKey;
      doc.isPrivate = false;
      doc.reflectionApi = plain(item.reflectionApi);
      return doc;
    }
    case 'websocketRequest':
    case 'socketIORequest':
      return {
        ...head,
        type: item.kind === 'websocketRequest' ? 'WebSocketRequest' : 'SocketIORequest',
        name: item.name,
        url: item.url,
        metaSortKey: item.sortKey,
        headers: pairs(item.headers),
        authentication: plain(item.authentication),
        parameters: pairs(item.parameters),
        settingEncodeUrl: true,
        settingStoreCookies: true,
        settingSendCookies: true,
        settingFollowRedirects: 'global',
        description: item.description,
      };
  }
}

/** Insomnia's json-order map of variables shown in `order` (null when the model has no order of its own). */
function orderMapOf(data: Record<string, unknown>, order: readonly string[] | undefined): Record<string, string[]> | null {
  if (!order) return null;
  const ordered: Record<string, unknown> = {};
  for (const k of orderedKeys(data, order)) ordered[k] = data[k];
  return jsonOrderMap(ordered);
}
