// Ids an import or a conversion cannot keep, and the fresh ids that replace them everywhere they are named.
// An id becomes a file name in a legacy `.insomnia` folder and must start with its model's prefix for Insomnia's
// schema 5.2 (and, for WebSocket and Socket.IO requests, 5.1 too): an id that cannot be either gets a fresh Insomnia id,
// and the caller says so in what it reports. Pure.

import { fileNameKey, sameFileReason, unsafeIdReason } from '../edit/pathGuard';
import { isMapping } from '../formats/fields';
import { idPrefix, ITEM_MODELS } from '../ids';
import type { LegacyDoc, Mapping } from './insomniaDocs';

/** An id replaced by a fresh one, and why. */
export interface ReplacedId {
  readonly from: string;
  readonly to: string;
  /** the object, for a person: `Request "Get user"`. */
  readonly what: string;
  readonly why: string;
}

/** The id prefix Insomnia's schema wants for each collection item type (insomnia-data `models.*.prefix`). */
const ITEM_PREFIX: Readonly<Record<string, string>> = Object.fromEntries(Object.values(ITEM_MODELS).map((m) => [m.type, m.prefix]));

/** Insomnia's prefix of each document type that Hammock may have to give a fresh id. */
const DOC_PREFIX: Readonly<Record<string, string>> = {
  ...ITEM_PREFIX,
  Workspace: 'wrk',
  Environment: 'env',
  ApiSpec: 'spc',
  UnitTestSuite: 'uts',
  UnitTest: 'ut',
  ProtoFile: 'pf',
  ProtoDirectory: 'pd',
  WebSocketPayload: 'ws-payload',
  MockServer: 'mock',
  MockRoute: 'mock-route',
  CookieJar: 'jar',
};

/** Why Insomnia cannot take this id for a document of `type` (undefined: it can). */
export function unusableIdReason(id: string, type: string): string | undefined {
  const unsafe = unsafeIdReason(id);
  if (unsafe) return `it cannot name a file (${unsafe})`;
  const prefix = ITEM_PREFIX[type];
  if (prefix && !id.startsWith(prefix)) return `Insomnia's schema wants ${type} ids to start with "${prefix}"`;
  return undefined;
}

/** The prefix of a fresh id for a document of `type` (the old id's own prefix when it is a plain one). */
export function freshIdPrefix(type: string, oldId: string): string {
  const own = idPrefix(oldId);
  return DOC_PREFIX[type] ?? (own && /^[a-z][a-z-]*$/.test(own) ? own : 'doc');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Keys whose value is an id (of the document itself, or a reference to another). */
const ID_KEYS: ReadonlySet<string> = new Set(['_id', 'parentId', 'requestId', 'id']);

/**
 * A deep copy with every id in `renamed` replaced: values of id keys (`_id`, `parentId`, `requestId`, `meta.id`) that
 * are an old id, and old ids quoted inside strings (`{% response 'body', 'req_x' %}` template tags). A name or URL that
 * merely equals an old id is left alone.
 */
export function applyRenames<T>(value: T, renamed: ReadonlyMap<string, string>): T {
  if (renamed.size === 0) return value;
  const pattern = new RegExp(`(['"])(${[...renamed.keys()].map(escape).join('|')})\\1`, 'g');
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === 'string') {
      if (key !== undefined && ID_KEYS.has(key) && renamed.has(v)) return renamed.get(v);
      return v.replace(pattern, (_m, q: string, id: string) => `${q}${renamed.get(id) ?? id}${q}`);
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, undefined));
    if (isMapping(v)) {
      const out: Mapping = {};
      // a key `__proto__` (a variable's name) stays an own key, as the readers keep it
      for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: walk(x, k), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return v;
  };
  return walk(value, undefined) as T;
}

/**
 * Documents whose ids Insomnia cannot take get fresh ones (and every mention follows). `asFiles`: the ids become file
 * names, so an id that names the same file as an earlier one where case or Unicode normalization is ignored (macOS,
 * Windows) gets a fresh one too, or one file would overwrite the other there.
 */
export function replaceUnusableDocIds(docs: readonly LegacyDoc[], makeId: (prefix: string) => string, asFiles = false): { docs: LegacyDoc[]; replaced: ReplacedId[] } {
  const renamed = new Map<string, string>();
  const replaced: ReplacedId[] = [];
  const files = new Map<string, string>();
  for (const d of docs) {
    if (renamed.has(d._id)) continue;
    let why = unusableIdReason(d._id, d.type);
    if (!why && asFiles) {
      const other = files.get(fileNameKey(d._id));
      if (other !== undefined && other !== d._id) why = sameFileReason(other);
      else files.set(fileNameKey(d._id), d._id);
    }
    if (!why) continue;
    const to = makeId(freshIdPrefix(d.type, d._id));
    renamed.set(d._id, to);
    replaced.push({ from: d._id, to, what: `${d.type} ${JSON.stringify(String(d.name ?? ''))}`, why });
  }
  return { docs: applyRenames([...docs], renamed), replaced };
}

/** One line for a replaced id, as the command line and the log print it. */
export function replacedIdLine(r: ReplacedId): string {
  return `${r.what}: id ${JSON.stringify(r.from)} replaced by ${r.to} (${r.why})`;
}
