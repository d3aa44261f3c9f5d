// The one entry point of every import: finds the format of a text (content first, the file name only as a hint) and
// hands it to that format's importer. Pure: no file system, no 'vscode'. Malformed JSON/YAML and texts that are no
// supported format are an `ImportError` (with the 0-based line and column of a syntax error), so nothing is written.
//
// Adding a format: a sniffer in `detectImportFormat` (text sniffers run before the JSON/YAML parse, document sniffers
// after it), and a case in `importText`'s switch.

import { isMapping, loadYaml } from '../formats/fields';
import { isV5Text } from '../formats/v5';
import { ImportError, type ImportFormat, type ImportInput, type ImportResult } from './importTypes';
import { importCurl, isCurlText } from './importCurl';
import { importHar } from './importHar';
import { importInsomniaV4 } from './importInsomniaV4';
import { importInsomniaV5 } from './importInsomniaV5';
import { importOpenApi, openApiKind } from './importOpenApi';
import { importPostmanCollection, importPostmanEnvironment } from './importPostman';

/** The formats this dispatcher knows, for messages. */
const KNOWN_FORMATS_TEXT =
  'an Insomnia export (v4 JSON/YAML or a v5 YAML file), a Postman collection (v2.0/v2.1) or environment, a HAR file, ' +
  'an OpenAPI 3.0/3.1 or Swagger 2.0 document, or cURL commands';

/**
 * The format of a text, or undefined when it is none this build imports (or is not valid JSON/YAML). Never throws.
 */
export function detectImportFormat(text: string, fileName?: string): ImportFormat | undefined {
  const sniffed = sniffText(text);
  if (sniffed) return sniffed;
  let parsed: ParsedText;
  try {
    parsed = parseText(text);
  } catch {
    return undefined;
  }
  return sniffDocument(parsed.document, fileName);
}

/**
 * Imports a text. Throws `ImportError` for malformed JSON/YAML (with line and column), for a text of no supported
 * format, and for a file of a supported format that is broken beyond reading (the message names the problem).
 */
export function importText(text: string, fileName?: string): ImportResult {
  const stripped = stripBom(text);
  if (stripped.trim() === '') throw new ImportError(`The file is empty: expected ${KNOWN_FORMATS_TEXT}`);
  let input: ImportInput;
  let format = sniffText(stripped);
  if (format) {
    input = { text: stripped, fileName };
    if (format !== 'curl') {
      const parsed = parseText(stripped);
      input = { text: stripped, fileName, document: parsed.document, syntax: parsed.syntax };
    }
  } else {
    const parsed = parseText(stripped);
    input = { text: stripped, fileName, document: parsed.document, syntax: parsed.syntax };
    format = sniffDocument(parsed.document, fileName);
    if (!format) throw new ImportError(unknownFormatMessage(parsed.document, parsed.syntax));
  }
  switch (format) {
    case 'insomnia-v4':
      return importInsomniaV4(input);
    case 'insomnia-v5':
      return importInsomniaV5(input);
    case 'postman-collection':
      return importPostmanCollection(input);
    case 'postman-environment':
      return importPostmanEnvironment(input);
    case 'har':
      return importHar(input);
    case 'curl':
      return importCurl(input);
    case 'openapi':
    case 'swagger':
      return importOpenApi(input);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// sniffing

/** Formats told from the raw text, before any parse (a text that is not JSON/YAML, or whose first line says it all). */
function sniffText(text: string): ImportFormat | undefined {
  if (isV5Text(stripBom(text))) return 'insomnia-v5';
  if (isCurlText(text)) return 'curl';
  return undefined;
}

/** Formats told from the parsed document. */
function sniffDocument(doc: unknown, fileName?: string): ImportFormat | undefined {
  if (!isMapping(doc)) return undefined;
  if (doc._type === 'export' || doc.__export_format !== undefined) return 'insomnia-v4';
  if (typeof doc.type === 'string' && isV5Text(`type: ${doc.type}`)) return 'insomnia-v5';
  if (isPostmanCollection(doc)) return 'postman-collection';
  if (isPostmanEnvironment(doc, fileName)) return 'postman-environment';
  if (isMapping(doc.log) && Array.isArray(doc.log.entries)) return 'har';
  const openApi = openApiKind(doc);
  if (openApi) return openApi;
  return undefined;
}

function isPostmanCollection(doc: Record<string, unknown>): boolean {
  const info = doc.info;
  if (!isMapping(info)) return false;
  const schema = typeof info.schema === 'string' ? info.schema : '';
  if (/getpostman\.com\/json\/collection|schema\.postman\.com\/json\/collection/.test(schema)) return true;
  return typeof info._postman_id === 'string' && Array.isArray(doc.item);
}

function isPostmanEnvironment(doc: Record<string, unknown>, fileName?: string): boolean {
  const scope = doc._postman_variable_scope;
  if (scope === 'environment' || scope === 'globals') return true;
  if (scope !== undefined || !Array.isArray(doc.values)) return false;
  // an environment exported without the scope key: `name` + `values: [{key, value}]`
  return /\.postman_(environment|globals)\.json$/i.test(fileName ?? '') || (typeof doc.name === 'string' && doc.item === undefined);
}

/** A message for a parsed document of no known format that names what it looks like when it is a near miss. */
function unknownFormatMessage(doc: unknown, syntax: 'json' | 'yaml'): string {
  const kind = syntax === 'json' ? 'JSON' : 'YAML';
  if (isMapping(doc)) {
    if (isMapping(doc.info) && typeof doc.info.schema === 'string') {
      return `Unsupported Postman collection schema ${doc.info.schema}: expected v2.0 or v2.1 (re-export it from Postman as v2.1)`;
    }
    if (Array.isArray(doc.requests) && typeof doc.id === 'string') {
      return 'This looks like a Postman collection v1: re-export it from Postman as v2.1';
    }
    if (isMapping(doc.log)) return 'This looks like a HAR file but its `log` has no `entries` list';
    if (doc.openapi !== undefined) return `Unsupported OpenAPI version ${String(doc.openapi)}: expected 3.0 or 3.1 (or Swagger 2.0)`;
    if (doc.swagger !== undefined || doc.swaggerVersion !== undefined) {
      return `Unsupported Swagger version ${String(doc.swagger ?? doc.swaggerVersion)}: expected 2.0 (convert it to OpenAPI 3 first)`;
    }
    const keys = Object.keys(doc).slice(0, 5).join(', ');
    return `Not a format Hammock can import (a ${kind} mapping with keys ${keys || '(none)'}): expected ${KNOWN_FORMATS_TEXT}`;
  }
  const what = Array.isArray(doc) ? `a ${kind} list` : doc === null ? `an empty ${kind} document` : `plain text`;
  return `Not a format Hammock can import (${what}): expected ${KNOWN_FORMATS_TEXT}`;
}

// ---------------------------------------------------------------------------------------------------------------
// parsing

interface ParsedText {
  readonly document: unknown;
  readonly syntax: 'json' | 'yaml';
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A text that starts as JSON does: `{` followed by a quoted key or `}`, or `[` followed by a JSON value or `]`. A text
 * that starts with `{` and an unquoted key is flow-style YAML (`{_type: export, __export_format: 4, ...}`, as
 * Insomnia 2020.x wrote its YAML exports): YAML, not broken JSON.
 */
function looksLikeJson(body: string): boolean {
  return /^\s*(\{\s*("|\})|\[\s*(["{[\]\d-]|true\b|false\b|null\b))/.test(body);
}

/**
 * JSON when the text starts as JSON does (strict: a broken JSON file is an error at its position, never re-read as
 * YAML), else YAML (the 1.2 core schema, as the collection readers use), flow style included.
 */
export function parseText(text: string): ParsedText {
  const body = stripBom(text);
  if (looksLikeJson(body)) {
    try {
      return { document: JSON.parse(body), syntax: 'json' };
    } catch (err) {
      throw jsonError(body, err);
    }
  }
  try {
    return { document: loadYaml(body), syntax: 'yaml' };
  } catch (err) {
    throw yamlError(err);
  }
}

/** An `ImportError` at the position V8's JSON.parse message names (`at position 42`, or the end of the input). */
function jsonError(text: string, err: unknown): ImportError {
  const message = err instanceof Error ? err.message : String(err);
  const m = /at position (\d+)/.exec(message);
  const pos = m ? Number(m[1]) : /end of (JSON )?input/i.test(message) ? text.length : undefined;
  const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '');
  if (pos === undefined) return new ImportError(`Invalid JSON: ${reason}`);
  const { line, column } = lineColumn(text, pos);
  return new ImportError(`Invalid JSON at line ${line + 1}, column ${column + 1}: ${reason}`, line, column);
}

interface YamlErrorLike {
  reason?: string;
  message?: string;
  mark?: { line?: number; column?: number };
}

function yamlError(err: unknown): ImportError {
  const e = (err ?? {}) as YamlErrorLike;
  const reason = e.reason ?? (e.message ? e.message.split('\n')[0] : String(err));
  const line = e.mark?.line;
  const column = e.mark?.column;
  if (typeof line !== 'number' || typeof column !== 'number') return new ImportError(`Invalid YAML: ${reason}`);
  return new ImportError(`Invalid YAML at line ${line + 1}, column ${column + 1}: ${reason}`, line, column);
}

/** 0-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 0;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart };
}
