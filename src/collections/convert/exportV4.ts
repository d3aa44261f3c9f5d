// Collections as an Insomnia v4 export (the JSON "Import/Export > Export Data" wrote before v5, and what many tools
// still read): `{_type: 'export', __export_format: 4, __export_date, __export_source, resources: [...]}`, one resource
// per database document with its ids kept and `_type` in export spelling (`request_group`, `request`, ...).
// Pure.

import type { Collection } from '../model';
import { cookieJarId } from '../ids';
import type { Dropped } from './importTypes';
import type { Mapping } from './insomniaDocs';
import { collectionToDocs, type DocOptions } from './modelDocs';

/** Insomnia's `EXPORT_TYPE_*` of each model type. */
export const V4_EXPORT_TYPE: Readonly<Record<string, string>> = {
  Workspace: 'workspace',
  RequestGroup: 'request_group',
  Request: 'request',
  Environment: 'environment',
  ApiSpec: 'api_spec',
  GrpcRequest: 'grpc_request',
  WebSocketRequest: 'websocket_request',
  CookieJar: 'cookie_jar',
  UnitTestSuite: 'unit_test_suite',
  UnitTest: 'unit_test',
  ProtoFile: 'proto_file',
  ProtoDirectory: 'proto_directory',
  WebSocketPayload: 'websocket_payload',
  MockServer: 'mock',
  MockRoute: 'mock_route',
};

export interface V4Export {
  readonly text: string;
  /** what the v4 format cannot hold (Socket.IO requests came after it). */
  readonly dropped: Dropped[];
}

/** A document as a v4 resource: the same keys, `type` replaced by a trailing `_type` (Insomnia's export layout). */
export function docToV4Resource(doc: Mapping): Mapping | undefined {
  const type = V4_EXPORT_TYPE[String(doc.type)];
  if (!type) return undefined;
  const out: Mapping = {};
  for (const [k, v] of Object.entries(doc)) if (k !== 'type') out[k] = v;
  out._type = type;
  return out;
}

/** The v4 export of the collections as the model holds them (their documents as `collectionToDocs` writes them). */
export function exportInsomniaV4Detailed(collections: readonly Collection[], options: DocOptions & { exportDate?: Date } = {}): V4Export {
  const exportDate = options.exportDate ?? new Date(options.now ?? Date.now());
  return exportInsomniaV4FromDocs(collections.map((c) => collectionToDocs(c, options)), { exportDate });
}

/**
 * The v4 export of raw documents (from `readCollectionDocs`: every field the files hold, unit tests included), one
 * list per workspace; a default cookie jar is added to a workspace that has none.
 */
export function exportInsomniaV4FromDocs(workspaces: readonly (readonly Mapping[])[], options: { exportDate?: Date } = {}): V4Export {
  const resources: Mapping[] = [];
  const dropped: Dropped[] = [];
  for (const docs of workspaces) {
    const ws = docs.find((d) => d.type === 'Workspace');
    for (const d of docs) {
      const r = docToV4Resource(d);
      if (r) resources.push(r);
      else dropped.push({ what: `${String(d.type)} "${String(d.name ?? d._id)}"`, why: 'the Insomnia v4 export format has no such resource' });
    }
    if (ws && !docs.some((d) => d.type === 'CookieJar')) {
      const id = String(ws._id);
      resources.push({ _id: cookieJarId(id), parentId: id, modified: ws.modified, created: ws.created, name: 'Default Jar', cookies: [], _type: 'cookie_jar' });
    }
  }
  const out = { _type: 'export', __export_format: 4, __export_date: (options.exportDate ?? new Date()).toISOString(), __export_source: 'hammock', resources };
  return { text: `${JSON.stringify(out, null, 2)}\n`, dropped };
}

/** The Insomnia v4 export JSON of the collections (ids kept). */
export function exportInsomniaV4(collections: readonly Collection[], options: DocOptions & { exportDate?: Date } = {}): string {
  return exportInsomniaV4Detailed(collections, options).text;
}
