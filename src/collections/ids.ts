// Insomnia's document ids (INSOMNIA_FORMAT.md 1.3): `${prefix}_` + a uuid v4 without dashes, and the deterministic
// ids of the per-workspace singletons (base environment, cookie jar) = prefix + sha1(workspace id). Pure.

import { createHash, randomUUID } from 'node:crypto';
import type { ItemKind } from './model';

/** The id prefix of each model type Hammock creates (Insomnia's `models/*.ts` `prefix`). */
export const ID_PREFIX = {
  Workspace: 'wrk',
  Environment: 'env',
  RequestGroup: 'fld',
  Request: 'req',
  GrpcRequest: 'greq',
  WebSocketRequest: 'ws-req',
  SocketIORequest: 'socketio-req',
  CookieJar: 'jar',
  ApiSpec: 'spc',
} as const;

export type ModelType = keyof typeof ID_PREFIX;

/** Insomnia's collection item models: type and id prefix (insomnia-data `models.*.type` / `.prefix`). */
export const ITEM_MODELS = {
  request: { type: 'Request', prefix: 'req' },
  requestGroup: { type: 'RequestGroup', prefix: 'fld' },
  grpcRequest: { type: 'GrpcRequest', prefix: 'greq' },
  webSocketRequest: { type: 'WebSocketRequest', prefix: 'ws-req' },
  socketIORequest: { type: 'SocketIORequest', prefix: 'socketio-req' },
} as const;

/** The Insomnia model type (legacy `type:` value and `.insomnia/<Type>/` folder) of each item kind. */
export const MODEL_TYPE_OF_KIND: Readonly<Record<ItemKind, ModelType>> = {
  folder: 'RequestGroup',
  request: 'Request',
  grpcRequest: 'GrpcRequest',
  websocketRequest: 'WebSocketRequest',
  socketIORequest: 'SocketIORequest',
};

/** A fresh id: `${prefix}_` + 32 lower-case hex digits (uuid v4 without its dashes), as Insomnia's `generateId`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '')}`;
}

/** The id of a workspace's base environment: `env_` + sha1(workspace id) in hex (`getOrCreateForParentId`). */
export function baseEnvironmentId(workspaceId: string): string {
  return `${ID_PREFIX.Environment}_${sha1Hex(workspaceId)}`;
}

/** The id of a workspace's cookie jar: `jar_` + sha1(workspace id) in hex. */
export function cookieJarId(workspaceId: string): string {
  return `${ID_PREFIX.CookieJar}_${sha1Hex(workspaceId)}`;
}

/** The prefix of an existing id (`ws-req_abc` -> `ws-req`), or undefined when it has no `_`. */
export function idPrefix(id: string): string | undefined {
  const i = id.indexOf('_');
  return i > 0 ? id.slice(0, i) : undefined;
}

function sha1Hex(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
