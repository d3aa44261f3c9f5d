// Imports an Insomnia v5 file (`type: collection.insomnia.rest/5.0` and siblings) with the project's own v5 reader
// (formats/v5.ts): ids kept, the same model a v5 file in a repository gives. What the model has no place for (the
// cookie jar's cookies, fields of items the model does not carry) is listed as dropped.

import { buildV5Collection, V5_TYPES, v5ItemKind } from '../formats/v5';
import { isMapping, loadYaml, mapping, type RawMapping } from '../formats/fields';
import { DroppedTally, hasContent, reSource } from './importModel';
import { ImportError, type ImportInput, type ImportResult } from './importTypes';

/** The keys of each v5 item kind the model carries (or that only say where it sits: meta, type, children). */
const KNOWN_ITEM_KEYS: Record<string, ReadonlySet<string>> = {
  request: new Set(['type', 'meta', 'name', 'url', 'method', 'body', 'headers', 'parameters', 'pathParameters', 'authentication', 'scripts', 'settings']),
  folder: new Set(['type', 'meta', 'name', 'children', 'environment', 'environmentPropertyOrder', 'headers', 'authentication', 'scripts']),
  grpc: new Set(['type', 'meta', 'name', 'url', 'body', 'metadata', 'protoFileId', 'protoMethodName', 'reflectionApi']),
  socket: new Set(['type', 'meta', 'name', 'url', 'headers', 'parameters', 'authentication']),
};

export function importInsomniaV5(input: ImportInput): ImportResult {
  let doc = input.document;
  if (doc === undefined) {
    try {
      doc = loadYaml(input.text);
    } catch (err) {
      const mark = (err as { mark?: { line?: number; column?: number } }).mark;
      throw new ImportError(`Invalid YAML: ${(err as Error).message.split('\n')[0]}`, mark?.line, mark?.column);
    }
  }
  if (!isMapping(doc)) throw new ImportError('Not an Insomnia v5 file: expected a YAML mapping with `type`');
  if (typeof doc.type !== 'string' || !(doc.type in V5_TYPES)) {
    throw new ImportError(`Not an Insomnia v5 file: unknown type ${String(doc.type ?? '(none)')}`);
  }
  const file = input.fileName ?? 'import.yaml';
  const collection = buildV5Collection(file, doc, input.text, doc.type);
  const warnings = collection.problems.map((p) => p.message);
  collection.problems = [];
  const dropped = new DroppedTally();
  const jar = mapping(doc.cookieJar);
  if (Array.isArray(jar.cookies) && jar.cookies.length > 0) {
    dropped.add('cookie', 'Hammock keeps no cookie jar: the cookies of the file are not imported', jar.cookies.length);
  }
  tallyItems(doc.collection, dropped);
  return { format: 'insomnia-v5', collections: [reSource(collection)], dropped: dropped.list(), warnings };
}

function tallyItems(seq: unknown, dropped: DroppedTally): void {
  if (!Array.isArray(seq)) return;
  for (const raw of seq) {
    if (!isMapping(raw)) continue;
    const group = groupOf(raw);
    for (const [key, value] of Object.entries(raw)) {
      if (group === 'socket' && key === 'settings' && defaultSocketSettings(value)) continue;
      if (!KNOWN_ITEM_KEYS[group].has(key) && hasContent(value)) {
        dropped.add(`\`${key}\` of ${group === 'socket' ? 'WebSocket/Socket.IO' : group} items`, 'the model has no field for it');
      }
    }
    if (group === 'folder') tallyItems(raw.children, dropped);
  }
}

/**
 * Whether a WebSocket or Socket.IO item's `settings` hold only Insomnia's defaults (what it creates, and what reading
 * the item without them gives): then nothing of it is lost although the model keeps no settings for these items.
 */
function defaultSocketSettings(value: unknown): boolean {
  if (!isMapping(value)) return false;
  const defaults: Record<string, unknown> = { encodeUrl: true, followRedirects: 'global' };
  for (const [k, v] of Object.entries(value)) {
    if (k === 'cookies') {
      if (!isMapping(v) || !Object.entries(v).every(([c, on]) => (c === 'send' || c === 'store') && on === true)) return false;
    } else if (!(k in defaults) || defaults[k] !== v) return false;
  }
  return true;
}

function groupOf(raw: RawMapping): keyof typeof KNOWN_ITEM_KEYS {
  switch (v5ItemKind(raw)) {
    case 'folder': return 'folder';
    case 'grpcRequest': return 'grpc';
    case 'websocketRequest':
    case 'socketIORequest': return 'socket';
    default: return 'request';
  }
}
