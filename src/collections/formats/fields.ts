// Small readers shared by the two format readers (legacy.ts, v5.ts): turn loosely typed parsed YAML values into
// the model's field types with Insomnia's defaults, and YAML errors into problems. Pure, no I/O.

import { createHash } from 'node:crypto';
import { CORE_SCHEMA, load, Schema, Type, type LoadOptions } from 'js-yaml';
import type { Authentication, KeyValue, Problem, ProblemSeverity, ReflectionApi, RequestBody, RequestSettings, Scripts } from '../model';

export type RawMapping = Record<string, unknown>;

/**
 * js-yaml options for every read: the YAML 1.2 core schema, which is what Insomnia's `yaml` package uses, so an
 * unquoted `2025-10-13` stays a string (js-yaml's default schema would make it a Date) and `<<` is a plain key.
 */
export const YAML_LOAD_OPTIONS: LoadOptions = { schema: CORE_SCHEMA };

/** Parses YAML text the way both readers do. Throws js-yaml's `YAMLException` (with `mark`) on broken YAML. */
export function loadYaml(text: string): unknown {
  return load(text, YAML_LOAD_OPTIONS);
}

/**
 * The core schema with its four implicit scalar types (null, bool, int, float) behind one that first looks at the
 * scalar's first character: none of the four can start with anything but `~ n N t T f F + - .` or a digit, so a
 * plain scalar like `Preflight projects` or `{{ _.base_url }}/x` (most of a v5 file's) is a string after one
 * comparison instead of four resolvers and a regular expression. Otherwise the four are asked in the core schema's
 * order and the first that resolves constructs the value: the values and errors are `loadYaml`'s (the tag map for
 * explicit tags is the core schema's too). About 5% of a js-yaml parse of a v5 file.
 */
const CORE_COMPILED = CORE_SCHEMA as unknown as { readonly compiledImplicit: readonly Type[]; readonly compiledExplicit: readonly Type[] };
/** the core schema's implicit scalar types (null, bool, int, float), in its order. */
export const CORE_IMPLICIT = CORE_COMPILED.compiledImplicit;
/** first characters a core implicit scalar can start with (ASCII only). */
const CORE_SCALAR_START = new Uint8Array(128);
for (const c of '~nNtTfF+-.0123456789') CORE_SCALAR_START[c.charCodeAt(0)] = 1;

/** Whether a plain scalar whose first character's code is `c` is a string whatever follows: no CORE_IMPLICIT type starts so. */
export function startsAsString(c: number): boolean {
  return c >= 128 || CORE_SCALAR_START[c] === 0;
}
let resolvedType: Type | undefined;
const CORE_SCALAR = new Type('tag:yaml.org,2002:str', {
  kind: 'scalar',
  resolve(data: unknown): boolean {
    if (typeof data === 'string' && data.length > 0) {
      if (startsAsString(data.charCodeAt(0))) return false;
    }
    for (const type of CORE_IMPLICIT) {
      if (type.resolve(data)) {
        resolvedType = type;
        return true;
      }
    }
    return false;
  },
  construct(data: unknown): unknown {
    const type = resolvedType!;
    resolvedType = undefined;
    return type.construct(data);
  },
});
// implicit: the one type above (its `str` tag is overridden in the tag map by the explicit `str`); explicit: the core
// schema's tag map, unchanged
const FAST_CORE_SCHEMA = new Schema({ implicit: [CORE_SCALAR], explicit: [...CORE_COMPILED.compiledExplicit, ...CORE_IMPLICIT] });
const FAST_LOAD_OPTIONS: LoadOptions = { schema: FAST_CORE_SCHEMA };

/** `loadYaml`, faster on plain scalars (see FAST_CORE_SCHEMA): the same values, the same errors. */
export function loadYamlFast(text: string): unknown {
  return load(text, FAST_LOAD_OPTIONS);
}

export function isMapping(value: unknown): value is RawMapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function mapping(value: unknown): RawMapping {
  return isMapping(value) ? value : {};
}

/** A string field: strings as they are, numbers and booleans as text (`value: 123` written by hand), else the fallback. */
export function str(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fallback;
}

export function optionalStr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function optionalNum(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

/**
 * A list of name/value pairs (headers, parameters, body params, gRPC metadata). Entries that already have a string
 * name and value and no `null` member are kept as parsed (no copy: this runs for every header of every request);
 * others get `''` for a missing name or value and lose their `null` members.
 */
export function keyValues(value: unknown): KeyValue[] {
  if (!Array.isArray(value)) return [];
  let out: KeyValue[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const entry: unknown = value[i];
    const ok = isMapping(entry) && typeof entry.name === 'string' && typeof entry.value === 'string' && !hasNullMember(entry);
    if (ok && !out) continue;
    if (!out) out = value.slice(0, i) as KeyValue[];
    if (ok) out.push(entry as unknown as KeyValue);
    else if (isMapping(entry)) out.push({ ...withoutNulls(entry), name: str(entry.name), value: str(entry.value) } as KeyValue);
  }
  return out ?? (value as KeyValue[]);
}

/**
 * A member set to `null` (a v4 export's `multiline: null`) means the same as no member, and Insomnia's v5 schema
 * refuses it: the model leaves it out.
 */
function hasNullMember(entry: RawMapping): boolean {
  for (const k in entry) if (entry[k] === null) return true;
  return false;
}

function withoutNulls(entry: RawMapping): RawMapping {
  const out: RawMapping = {};
  for (const [k, v] of Object.entries(entry)) if (v !== null) out[k] = v;
  return out;
}

export function body(value: unknown): RequestBody {
  if (!isMapping(value)) return {};
  if (value.params !== undefined) value.params = keyValues(value.params);
  return value as RequestBody;
}

export function authentication(value: unknown): Authentication {
  return isMapping(value) ? (value as Authentication) : {};
}

/**
 * A gRPC request's `reflectionApi`. Absent, it is `whenAbsent` (Insomnia's default where the file came from: its v5
 * importer's `{enabled: false, url: '', apiKey: '', module: ''}`, or the legacy model's `init()`); a field missing
 * inside it gets the v5 schema's default (`false` / `''`). Other keys are kept.
 */
export function reflectionApi(value: unknown, whenAbsent: () => ReflectionApi): ReflectionApi {
  if (!isMapping(value)) return whenAbsent();
  return { ...value, enabled: bool(value.enabled, false), url: str(value.url), apiKey: str(value.apiKey), module: str(value.module) };
}

/** Insomnia's v5 importer's `reflectionApi` for a gRPC request that has none (`insomnia-v5.ts` `getCollection`). */
export const V5_REFLECTION_API_DEFAULT = (): ReflectionApi => ({ enabled: false, url: '', apiKey: '', module: '' });

/** Insomnia 10's `GrpcRequest.init()` `reflectionApi`, what a legacy document without one gets when Insomnia loads it. */
export const LEGACY_REFLECTION_API_DEFAULT = (): ReflectionApi => ({
  enabled: false,
  url: 'https://buf.build',
  apiKey: '',
  module: 'buf.build/connectrpc/eliza',
});

export function scripts(preRequest: unknown, afterResponse: unknown): Scripts {
  return { preRequest: str(preRequest), afterResponse: str(afterResponse) };
}

export function followRedirects(value: unknown): RequestSettings['followRedirects'] {
  return value === 'on' || value === 'off' ? value : 'global';
}

/** An environment's variables; the model wants an object, whatever the file holds. */
export function data(value: unknown): Record<string, unknown> {
  return isMapping(value) ? value : {};
}

/** `{ [key]: order }` when the json-order map has a top-level order, else `{}` (no key: model objects stay as they were). */
export function withOrder<K extends string>(key: K, value: unknown): { [P in K]?: string[] } {
  const order = propertyOrder(value);
  return (order ? { [key]: order } : {}) as { [P in K]?: string[] };
}

/** The top-level variable order of Insomnia's json-order map (`dataPropertyOrder`: `{"&": [names]}`), if it has one. */
export function propertyOrder(value: unknown): string[] | undefined {
  if (!isMapping(value)) return undefined;
  const top = value['&'];
  return Array.isArray(top) && top.every((k) => typeof k === 'string') ? (top as string[]) : undefined;
}

export function problem(file: string, message: string, severity: ProblemSeverity = 'error', line = 0, column = 0): Problem {
  return { file, line, column, message, severity };
}

interface YamlErrorLike {
  name?: string;
  reason?: string;
  message?: string;
  mark?: { line?: number; column?: number };
}

/** A problem for a YAML parse failure, at js-yaml's mark (0-based line and column). */
export function yamlProblem(file: string, err: unknown): Problem {
  const e = (err ?? {}) as YamlErrorLike;
  const mark = e.mark ?? {};
  const reason = e.reason ?? (e.message ? e.message.split('\n')[0] : String(err));
  return problem(file, `Invalid YAML: ${reason}`, 'error', num(mark.line, 0), num(mark.column, 0));
}

/**
 * A stable id for an entity the file gives none (a v5 item without `meta`): `<prefix>_` + 32 hex digits of a hash of
 * the file and the YAML path. The same file loads with the same ids every time; never random.
 */
export function generatedId(prefix: string, file: string, yamlPath: readonly (string | number)[]): string {
  const hash = createHash('sha1').update(file).update('\0').update(yamlPath.join('/')).digest('hex');
  return `${prefix}_${hash.slice(0, 32)}`;
}

const CONFLICT_START = '<<<<<<<';
const UNRESOLVED_CONFLICT = 'Unresolved merge conflict';

/**
 * An error problem when the text holds git's merge conflict markers (`<<<<<<<` ... `>>>>>>>` at the start of lines):
 * a file in the middle of a merge is reported, never read as data (its halves would parse into wrong data, or not at all).
 */
export function conflictMarkerProblem(file: string, text: string): Problem | undefined {
  const start = text.startsWith(CONFLICT_START) ? 0 : text.indexOf(`\n${CONFLICT_START}`);
  if (start < 0) return undefined;
  const at = start === 0 ? 0 : start + 1;
  let line = 0;
  if (text.indexOf('\n>>>>>>>', at) >= 0) for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return conflictMarkerProblemAt(file, text, at, line);
}

/**
 * `conflictMarkerProblem` when the first line starting with `<<<<<<<` is already known (a line scan noted it): the
 * line `line` starting at offset `at`, or no such line when `at` is negative.
 */
export function conflictMarkerProblemAt(file: string, text: string, at: number, line: number): Problem | undefined {
  if (at < 0 || text.indexOf('\n>>>>>>>', at) < 0) return undefined;
  return problem(file, `${UNRESOLVED_CONFLICT}: resolve it (Merge Changes in Source Control, or the merge editor) to see this data again`, 'error', line, 0);
}

/** Whether `p` is the problem of a file holding git's conflict markers (conflictMarkerProblem). */
export function isConflictMarkerProblem(p: Problem): boolean {
  return p.severity === 'error' && p.message.startsWith(UNRESOLVED_CONFLICT);
}

