// Insomnia's v5 schema migrations, transcribed: what Insomnia does to a file's parsed data before its zod schema
// (insomniaSchema.ts) reads it. A file declaring an older `schema_version` (absent = 5.0) is migrated up to the
// reader's version first, so the schema sees the migrated data, not the file's.
//
// Source: Kong/insomnia, packages/insomnia/src/common/insomnia-schema-migrations/ (Apache-2.0):
// - index.ts @ 5e1181feae94016cd80a4198c989e6eecd7133de (version detection, `compareVersions`, `migrateToLatest`);
// - v5.1.ts @ 4ca81e6c01cb6f04d5d17017b4df1cefb344e395 (`cleanHeadersAndParameters`, `normalizeScripts`);
// - v5.2.ts @ 1fda0431e68c977075459de5b7704b226ce91927 (`addCollectionItemTypeFields`).
// Pure, on plain parsed values (`yaml`'s `parse`, as Insomnia reads the text).

type Data = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML of any shape, as in the source

/** Compares two version strings: 1 if `a` is newer than `b`, -1 if older, 0 if equal (index.ts `compareVersions`). */
export function compareVersions(a: string, b: string): number {
  const ap = a.split('.').map(Number);
  const bp = b.split('.').map(Number);
  for (let i = 0; i < Math.max(ap.length, bp.length); i++) {
    const x = ap[i] ?? 0;
    const y = bp[i] ?? 0;
    if (x > y) return 1;
    if (x < y) return -1;
  }
  return 0;
}

/** The schema version a parsed file declares: its `schema_version` string, else 5.0 (index.ts `getVersionFromParsed`). */
export function declaredSchemaVersion(parsed: Data): string {
  if (parsed?.schema_version && typeof parsed.schema_version === 'string') return parsed.schema_version;
  return '5.0';
}

// ---------------------------------------------------------------------------------------------------------------
// 5.1

/** Script objects without empty strings; undefined when nothing is left (v5.1.ts `normalizeScripts`). */
export function normalizeScripts(scripts: Data): Data {
  if (!scripts || typeof scripts !== 'object') return scripts;
  const normalized: Data = {};
  let hasAnyContent = false;
  for (const [scriptKey, scriptValue] of Object.entries(scripts)) {
    if (scriptKey === 'preRequest' || scriptKey === 'afterResponse') {
      if (scriptValue && scriptValue !== '') {
        normalized[scriptKey] = scriptValue;
        hasAnyContent = true;
      }
    } else {
      normalized[scriptKey] = scriptValue;
      hasAnyContent = true;
    }
  }
  return hasAnyContent ? normalized : undefined;
}

/**
 * The 5.1 migration (v5.1.ts `cleanHeadersAndParameters`): ids removed from the entries of `headers`, `parameters`,
 * `params` and `metadata`, entries without name and value dropped (and the list when none is left), cookie
 * `creation`/`lastAccessed` removed, empty `scripts` removed; `spec.contents` (any `contents` mapping) untouched.
 */
export function cleanHeadersAndParameters(obj: Data): Data {
  if (Array.isArray(obj)) return obj.map((item) => cleanHeadersAndParameters(item));
  if (obj && typeof obj === 'object') {
    const cleaned: Record<string, Data> = {};
    for (const [key, value] of Object.entries(obj as Record<string, Data>)) {
      if (key === 'contents' && value && typeof value === 'object') {
        cleaned[key] = value;
        continue;
      }
      if ((key === 'headers' || key === 'parameters' || key === 'params' || key === 'metadata') && Array.isArray(value)) {
        const kept = value
          .filter((entry: Data) => {
            if (!entry || typeof entry !== 'object') return false;
            if (entry.type === 'file' && entry.fileName) return true;
            if (entry.$ref || entry['$ref']) return true;
            if (entry.schema || entry.in || entry.required !== undefined) return true;
            return entry.name || entry.value;
          })
          .map((entry: Data) => {
            if (entry.$ref || entry['$ref']) {
              const { id: _id, ...rest } = entry;
              return rest;
            }
            const { id: _id, ...rest } = entry;
            if (key === 'headers' && !('name' in rest && 'value' in rest)) {
              rest.name = rest.name || '';
              rest.value = rest.value || '';
            }
            return cleanHeadersAndParameters(rest);
          });
        if (kept.length > 0) cleaned[key] = kept;
        continue;
      } else if (key === 'cookies' && Array.isArray(value)) {
        const kept = value
          .filter((entry: Data) => entry && typeof entry === 'object' && (entry.key || entry.value))
          .map((entry: Data) => {
            const { creation: _c, lastAccessed: _l, ...rest } = entry;
            return cleanHeadersAndParameters(rest);
          });
        if (kept.length > 0) cleaned[key] = kept;
        continue;
      } else if (key === 'scripts' && value && typeof value === 'object') {
        const normalized = normalizeScripts(value);
        if (normalized) cleaned[key] = normalized;
        continue;
      } else {
        cleaned[key] = cleanHeadersAndParameters(value);
      }
    }
    return cleaned;
  }
  return obj;
}

// ---------------------------------------------------------------------------------------------------------------
// 5.2

/** The `type` a collection item gets from the 5.2 migration (v5.2.ts `inferCollectionItemType`): id prefix first. */
export function inferCollectionItemType(item: Data): string {
  if (item) {
    // `'meta' in item` throws on a string or number, as in the source (the migration then fails as a whole)
    if (typeof item !== 'object') throw new TypeError(`Cannot use 'in' operator to search for 'meta' in ${String(item)}`);
    const itemMeta = 'meta' in item ? item.meta : null;
    const itemId: string = itemMeta?.id || '';
    if (itemId.startsWith('greq')) return 'GrpcRequest';
    if (itemId.startsWith('fld')) return 'RequestGroup';
    if (itemId.startsWith('socketio-req')) return 'SocketIORequest';
    if (itemId.startsWith('ws-req')) return 'WebSocketRequest';
    if (itemId.startsWith('req')) return 'Request';
    if ('protoFileId' in item || 'metadata' in item || 'reflectionApi' in item) return 'GrpcRequest';
    else if ('method' in item && item.method) return 'Request';
    else if ('eventListeners' in item) return 'SocketIORequest';
    else if ('children' in item) return 'RequestGroup';
    if ('settings' in item && item.settings) {
      if (typeof item.settings !== 'object') throw new TypeError(`Cannot use 'in' operator to search for 'followRedirects' in ${String(item.settings)}`);
      return 'followRedirects' in item.settings ? 'WebSocketRequest' : 'SocketIORequest';
    }
  }
  return 'Request';
}

function tagCollectionItems(collection: Data[]): Data[] {
  return collection.map((item) => {
    item.type = inferCollectionItemType(item);
    if (item && typeof item === 'object' && 'children' in item && Array.isArray(item.children)) {
      item.children = tagCollectionItems(item.children);
    }
    return item;
  });
}

/** The 5.2 migration (v5.2.ts `addCollectionItemTypeFields`): a `type` on every item of a collection or design file. */
export function addCollectionItemTypeFields(data: Data): Data {
  if (!data || typeof data !== 'object' || !('type' in data)) return data;
  const type = data.type;
  if ((type === 'collection.insomnia.rest/5.0' || type === 'spec.insomnia.rest/5.0') && Array.isArray(data.collection)) {
    data.collection = tagCollectionItems(data.collection);
  }
  return data;
}

// ---------------------------------------------------------------------------------------------------------------

export interface Migration {
  readonly version: string;
  readonly up: (data: Data) => Data;
}

export const MIGRATION_5_1: Migration = { version: '5.1', up: cleanHeadersAndParameters };
export const MIGRATION_5_2: Migration = { version: '5.2', up: addCollectionItemTypeFields };

/**
 * The data a reader of schema `readerVersion` hands its schema (index.ts `migrateToLatestYaml`): unchanged when the
 * file declares that version, else every migration newer than the file's version, in order. The migrations run on a
 * copy (they change what they are given).
 */
export function migrateToReader(parsed: Data, readerVersion: string, migrations: readonly Migration[]): Data {
  const version = declaredSchemaVersion(parsed);
  if (version === readerVersion) return parsed;
  try {
    let current: Data = structuredClone(parsed);
    for (const migration of migrations) {
      if (compareVersions(migration.version, version) > 0) current = migration.up(current);
    }
    return current;
  } catch {
    // "If migration fails, return the original content"
    return parsed;
  }
}
