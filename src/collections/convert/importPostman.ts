// Imports Postman collections (v2.0 and v2.1; the `info.schema` URL tells which) and Postman environment files.
//
// Collection -> one collection: folders nest as they do in Postman, requests keep method, URL (query split into
// parameters, `:name` path variables into pathParameters), headers, body (raw with its language's mime type,
// urlencoded, form-data with files, file, GraphQL), auth, descriptions and disabled flags; collection variables become
// the base environment. `{{var}}` becomes Insomnia's `{{ _.var }}` (`{{ _['odd name'] }}` when the name is not an
// identifier) and Postman's dynamic variables (`{{$guid}}`, `{{$timestamp}}`, `{{$randomFirstName}}`) Insomnia's
// `uuid`, `now` and `faker` tags.
// Auth: v2.0 holds an auth's fields as an object, v2.1 as a `[{key, value}]` list; both are read. A request or folder
// without `auth` inherits its parent's, as in Insomnia (an empty `authentication`); the collection's own auth (Insomnia
// workspaces have none) is given to every top-level folder and request that inherits (or, when the collection has
// scripts, to the folder that holds them and every item). Types Insomnia and Hammock send
// (basic, bearer, apikey, digest, oauth2, awsv4 -> iam) are converted; oauth1, hawk, ntlm, edgegrid and others are
// dropped with why, and the request gets no auth (`none`) rather than silently inheriting a parent's credentials.
// Scripts: a `prerequest` event becomes the pre-request script, a `test` event the after-response script, of the
// request or folder that has it, translated from Postman's API to Insomnia's as Insomnia's own importer does
// (postmanScripts.ts); the summary counts them and names what they use that Insomnia's API has not ("kept, may not
// run"). Insomnia collections have no scripts of their own: as in Insomnia's importer, a collection with scripts gets
// one folder, named after it, that holds its scripts (and its auth) and every item, so they run for every request.
// Dropped with a count: disabled scripts, saved example responses, form-data part content types, disabled variables.
//
// Environment file -> a collection of scope `environment` (Insomnia's environment-only workspace, a v5
// `environment.insomnia.rest/5.0` file) named after the environment, whose base environment holds its enabled values.

import { isMapping, str, type RawMapping } from '../formats/fields';
import type { Authentication, Folder, HttpRequest, Item, KeyValue, RequestBody, Scripts } from '../model';
import {
  DroppedTally,
  importedBaseEnvironment,
  importedCollection,
  importedFolder,
  importedRequest,
} from './importModel';
import { ImportError, type ImportInput, type ImportResult } from './importTypes';
import { translatePostmanScript } from './postmanScripts';

type PostmanVersion = '2.0' | '2.1';

interface Context {
  readonly version: PostmanVersion;
  readonly dropped: DroppedTally;
  readonly warnings: string[];
  /** counts for folded warnings. */
  dynamicVariables: number;
  requestsWithoutUrl: number;
  /** scripts kept (translated), by Insomnia's kind. */
  scripts: { preRequest: number; afterResponse: number };
  /** constructs the translated scripts use that Insomnia's API has not: why, and which scripts. */
  mayNotRun: Map<string, { why: string; where: string[] }>;
}

function newContext(version: PostmanVersion): Context {
  return { version, dropped: new DroppedTally(), warnings: [], dynamicVariables: 0, requestsWithoutUrl: 0, scripts: { preRequest: 0, afterResponse: 0 }, mayNotRun: new Map() };
}

export function importPostmanCollection(input: ImportInput): ImportResult {
  const doc = input.document;
  if (!isMapping(doc) || !isMapping(doc.info)) throw new ImportError('Not a Postman collection: expected a JSON object with `info` and `item`');
  const schema = str(doc.info.schema);
  let version: PostmanVersion;
  if (/\/v2\.1(\.\d+)?\//.test(schema)) version = '2.1';
  else if (/\/v2\.0(\.\d+)?\//.test(schema)) version = '2.0';
  else if (schema === '') version = '2.1';
  else throw new ImportError(`Unsupported Postman collection schema ${schema}: expected v2.0 or v2.1 (re-export it from Postman as v2.1)`);
  if (!Array.isArray(doc.item)) throw new ImportError('Not a Postman collection: `item` is not a list');
  const ctx = newContext(version);
  if (schema === '') ctx.warnings.push('The collection names no schema; read as Postman v2.1');

  const collection = importedCollection(str(doc.info.name) || 'Postman collection');
  collection.description = description(doc.info.description);
  // the collection's scripts: Insomnia workspaces have none, so a folder named after the collection holds them and
  // every item (what Insomnia's importer does with every Postman collection)
  const scripts = events(doc.event, `the collection "${collection.name}"`, ctx);
  const holder = scripts.preRequest || scripts.afterResponse ? importedFolder(collection.id, collection.name, 0) : undefined;
  if (holder) {
    holder.scripts = scripts;
    holder.children = items(doc.item, holder.id, ctx, 'collection');
    collection.children = [holder];
    ctx.warnings.push(`The collection's scripts are on a folder "${holder.name}" that holds all its items (Insomnia collections have no scripts of their own)`);
  } else {
    collection.children = items(doc.item, collection.id, ctx, 'collection');
  }

  // the collection's auth: Insomnia workspaces have none, so the folder holding the collection's scripts has it, or
  // else every top-level item that inherits gets it
  if (isMapping(doc.auth)) {
    const auth = convertAuth(doc.auth, `collection "${collection.name}"`, ctx);
    if (holder) holder.authentication = auth;
    else if (auth.type !== undefined && auth.type !== 'none') {
      let given = 0;
      for (const item of collection.children) {
        if ((item.kind === 'folder' || item.kind === 'request') && Object.keys(item.authentication).length === 0) {
          item.authentication = { ...auth };
          given++;
        }
      }
      if (given > 0) ctx.warnings.push(`The collection's ${auth.type} auth was set on ${given} top-level item(s) that inherit it (Insomnia collections have no auth of their own)`);
    }
  }

  // Insomnia gives every collection a base environment: the collection variables, or none
  collection.baseEnvironment = importedBaseEnvironment(collection.id, variableData(doc.variable, ctx, 'collection variable') ?? {});

  if (ctx.dynamicVariables > 0) {
    ctx.warnings.push(`${ctx.dynamicVariables} Postman dynamic variable(s) ({{$...}}) were turned into Insomnia's uuid/now/faker tags`);
  }
  if (ctx.requestsWithoutUrl > 0) ctx.warnings.push(`${ctx.requestsWithoutUrl} request(s) had no URL`);
  scriptWarnings(ctx);
  return { format: 'postman-collection', collections: [collection], dropped: ctx.dropped.list(), warnings: ctx.warnings };
}

export function importPostmanEnvironment(input: ImportInput): ImportResult {
  const doc = input.document;
  if (!isMapping(doc) || !Array.isArray(doc.values)) throw new ImportError('Not a Postman environment: expected a JSON object with `values`');
  const ctx = newContext('2.1');
  const name = str(doc.name) || 'Postman environment';
  const collection = importedCollection(name, undefined, 'environment');
  collection.baseEnvironment = importedBaseEnvironment(collection.id, variableData(doc.values, ctx, 'environment variable') ?? {});
  if (doc.values.some((v) => isMapping(v) && v.type === 'secret')) {
    ctx.warnings.push('Secret values of the environment are imported as plain values: they will be in the file you commit');
  }
  return { format: 'postman-environment', collections: [collection], dropped: ctx.dropped.list(), warnings: ctx.warnings };
}

// ---------------------------------------------------------------------------------------------------------------
// items

function items(list: unknown, parentId: string, ctx: Context, where: string): Item[] {
  if (!Array.isArray(list)) return [];
  const out: Item[] = [];
  list.forEach((raw: unknown, index) => {
    if (!isMapping(raw)) {
      ctx.warnings.push(`An entry of ${where} is not an object; skipped`);
      return;
    }
    out.push(Array.isArray(raw.item) ? folder(raw, parentId, index, ctx) : request(raw, parentId, index, ctx));
  });
  return out;
}

function folder(raw: RawMapping, parentId: string, index: number, ctx: Context): Folder {
  const name = str(raw.name) || 'New Folder';
  const f = importedFolder(parentId, name, index);
  f.description = description(raw.description);
  if (isMapping(raw.auth)) f.authentication = convertAuth(raw.auth, `folder "${name}"`, ctx);
  f.scripts = events(raw.event, `folder "${name}"`, ctx);
  const variables = variableData(raw.variable, ctx, 'folder variable');
  if (variables) f.environment = variables;
  f.children = items(raw.item, f.id, ctx, `folder "${name}"`);
  return f;
}

function request(raw: RawMapping, parentId: string, index: number, ctx: Context): HttpRequest {
  const name = str(raw.name) || 'New Request';
  // v2.x allows `request` to be just the URL string
  const req: RawMapping = typeof raw.request === 'string' ? { url: raw.request, method: 'GET' } : isMapping(raw.request) ? raw.request : {};
  const url = convertUrl(req.url, ctx);
  if (url.url === '') ctx.requestsWithoutUrl++;
  const headers = convertHeaders(req.header, ctx);
  const r = importedRequest(parentId, name, index, {
    method: (str(req.method) || 'GET').toUpperCase(),
    url: url.url,
    parameters: url.parameters,
    pathParameters: url.pathParameters,
    headers,
    description: description(req.description) || description(raw.description),
    body: convertBody(req.body, headers, name, ctx),
    authentication: isMapping(req.auth) ? convertAuth(req.auth, `request "${name}"`, ctx) : {},
  });
  r.scripts = events(raw.event, `request "${name}"`, ctx);
  const responses = Array.isArray(raw.response) ? raw.response.length : 0;
  ctx.dropped.add('saved example response', 'Insomnia collections keep no example responses', responses);
  const behavior = raw.protocolProfileBehavior;
  if (isMapping(behavior)) {
    for (const [key, value] of Object.entries(behavior)) {
      if (key === 'followRedirects' && typeof value === 'boolean') r.settings.followRedirects = value ? 'on' : 'off';
      else if (key !== 'disableBodyPruning') ctx.dropped.add(`protocolProfileBehavior.${key}`, 'Insomnia has no such request setting');
    }
  }
  return r;
}

/** Postman descriptions are a string or `{content, type}`. */
function description(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isMapping(value)) return str(value.content);
  return '';
}

/**
 * An item's `event` list -> its scripts: `prerequest` -> pre-request, `test` -> after-response (several of a kind
 * joined in order), each translated to Insomnia's API; what they use that Insomnia's API has not is noted in `ctx`.
 */
function events(value: unknown, owner: string, ctx: Context): Scripts {
  const scripts: Scripts = { preRequest: '', afterResponse: '' };
  if (!Array.isArray(value)) return scripts;
  const found: Record<keyof Scripts, string[]> = { preRequest: [], afterResponse: [] };
  for (const event of value) {
    if (!isMapping(event)) continue;
    const script = isMapping(event.script) ? event.script : {};
    const exec = Array.isArray(script.exec) ? script.exec.map((l) => str(l)).join('\n') : str(script.exec);
    if (exec.trim() === '') continue;
    const kind = event.listen === 'prerequest' ? 'preRequest' : event.listen === 'test' ? 'afterResponse' : undefined;
    const label = kind === 'preRequest' ? 'pre-request script' : kind === 'afterResponse' ? 'test script' : `${str(event.listen)} script`;
    if (!kind) ctx.dropped.add(label, 'Insomnia runs only pre-request and after-response (Postman test) scripts');
    else if (event.disabled === true) ctx.dropped.add(`disabled ${label}`, 'Postman does not run it, and Insomnia has no disabled scripts');
    else found[kind].push(exec);
  }
  for (const kind of ['preRequest', 'afterResponse'] as const) {
    if (found[kind].length === 0) continue;
    const translated = translatePostmanScript(found[kind].join('\n'));
    scripts[kind] = translated.code;
    ctx.scripts[kind]++;
    const where = `${kind === 'preRequest' ? 'pre-request' : 'test'} script of ${owner}`;
    for (const m of translated.mayNotRun) {
      const seen = ctx.mayNotRun.get(m.construct);
      if (seen) seen.where.push(where);
      else ctx.mayNotRun.set(m.construct, { why: m.why, where: [where] });
    }
  }
  return scripts;
}

/** The summary of the scripts: how many were translated, and what in them may not run, where. */
function scriptWarnings(ctx: Context): void {
  const { preRequest, afterResponse } = ctx.scripts;
  const total = preRequest + afterResponse;
  if (total === 0) return;
  const kinds = [preRequest ? `${preRequest} pre-request` : '', afterResponse ? `${afterResponse} test (now after-response)` : ''].filter(Boolean);
  ctx.warnings.push(`${total} script(s) translated from Postman's API to Insomnia's (pm.*, postman.*, tests[...], responseBody... -> insomnia.*): ${kinds.join(', ')}`);
  for (const [construct, { why, where }] of ctx.mayNotRun) {
    const shown = where.slice(0, 3).join(', ') + (where.length > 3 ? ` and ${where.length - 3} more` : '');
    ctx.warnings.push(`Kept, may not run: ${construct} in ${where.length} script(s) (${shown}): ${why}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// url

interface ConvertedUrl {
  url: string;
  parameters: KeyValue[];
  pathParameters: KeyValue[];
}

function convertUrl(value: unknown, ctx: Context): ConvertedUrl {
  let raw = '';
  let query: unknown;
  let variables: unknown;
  if (typeof value === 'string') raw = value;
  else if (isMapping(value)) {
    raw = typeof value.raw === 'string' ? value.raw : urlFromParts(value);
    query = value.query;
    variables = value.variable;
  }
  // the URL without its query (the parameters hold it) and fragment
  const hash = raw.indexOf('#');
  if (hash >= 0) raw = raw.slice(0, hash);
  const q = raw.indexOf('?');
  const search = q >= 0 ? raw.slice(q + 1) : '';
  const base = q >= 0 ? raw.slice(0, q) : raw;
  const parameters: KeyValue[] = [];
  if (Array.isArray(query)) {
    for (const p of query) {
      if (!isMapping(p)) continue;
      const kv: KeyValue = { name: template(str(p.key), ctx), value: p.value === null || p.value === undefined ? '' : template(str(p.value), ctx) };
      if (p.disabled === true) kv.disabled = true;
      const d = description(p.description);
      if (d) kv.description = d;
      parameters.push(kv);
    }
  } else if (search !== '') {
    for (const part of search.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      parameters.push({ name: template(eq < 0 ? part : part.slice(0, eq), ctx), value: template(eq < 0 ? '' : part.slice(eq + 1), ctx) });
    }
  }
  const pathParameters: KeyValue[] = [];
  const given = new Map<string, RawMapping>();
  // a path variable is named by `key` (what Postman writes) or `id` (the schema's other name for it)
  if (Array.isArray(variables)) for (const v of variables) if (isMapping(v)) given.set(str(v.key ?? v.id), v);
  // `:name` path segments, in URL order (Insomnia's pathParameters), with the values Postman gives
  const seen = new Set<string>();
  for (const m of base.matchAll(/\/:([A-Za-z0-9_.-]+)/g)) {
    const name = m[1];
    if (seen.has(name)) continue;
    seen.add(name);
    const v = given.get(name);
    const kv: KeyValue = { name, value: v ? template(str(v.value), ctx) : '' };
    const d = v ? description(v.description) : '';
    if (d) kv.description = d;
    pathParameters.push(kv);
  }
  return { url: template(base, ctx), parameters, pathParameters };
}

function urlFromParts(url: RawMapping): string {
  const protocol = str(url.protocol);
  const host = Array.isArray(url.host) ? url.host.map((h) => str(h)).join('.') : str(url.host);
  const port = str(url.port);
  const path = Array.isArray(url.path) ? url.path.map((p) => (isMapping(p) ? str(p.value) : str(p))).join('/') : str(url.path);
  let out = protocol ? `${protocol}://${host}` : host;
  if (port) out += `:${port}`;
  if (path) out += `${path.startsWith('/') ? '' : '/'}${path}`;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// headers and bodies

function convertHeaders(value: unknown, ctx: Context): KeyValue[] {
  const out: KeyValue[] = [];
  if (typeof value === 'string') {
    // v2.0 allows the headers as one `Name: value` text
    for (const line of value.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) out.push({ name: template(line.slice(0, colon).trim(), ctx), value: template(line.slice(colon + 1).trim(), ctx) });
    }
    return out;
  }
  if (!Array.isArray(value)) return out;
  for (const h of value) {
    if (!isMapping(h)) continue;
    const name = str(h.key);
    const v = str(h.value);
    if (name === '' && v === '') continue; // the empty row Postman's editor leaves
    const kv: KeyValue = { name: template(name, ctx), value: template(v, ctx) };
    if (h.disabled === true) kv.disabled = true;
    const d = description(h.description);
    if (d) kv.description = d;
    out.push(kv);
  }
  return out;
}

const RAW_LANGUAGE_MIME: Readonly<Record<string, string>> = {
  json: 'application/json',
  xml: 'application/xml',
  html: 'text/html',
  javascript: 'application/javascript',
  text: 'text/plain',
  graphql: 'application/graphql',
};

function headerValue(headers: readonly KeyValue[], name: string): string | undefined {
  const h = headers.find((x) => !x.disabled && x.name.toLowerCase() === name);
  return h?.value;
}

function convertBody(value: unknown, headers: readonly KeyValue[], name: string, ctx: Context): RequestBody {
  if (!isMapping(value)) return {};
  if (value.disabled === true) {
    ctx.dropped.add('disabled body', 'Insomnia has no disabled body: the request is imported without it');
    return {};
  }
  const contentType = headerValue(headers, 'content-type');
  switch (value.mode) {
    case 'raw': {
      const options = isMapping(value.options) && isMapping(value.options.raw) ? value.options.raw : {};
      const language = str(options.language);
      const mimeType = contentType?.split(';')[0].trim() || RAW_LANGUAGE_MIME[language] || 'text/plain';
      return { mimeType, text: template(str(value.raw), ctx) };
    }
    case 'urlencoded':
      return { mimeType: 'application/x-www-form-urlencoded', params: formParams(value.urlencoded, ctx) };
    case 'formdata':
      return { mimeType: 'multipart/form-data', params: formParams(value.formdata, ctx) };
    case 'file': {
      const file = isMapping(value.file) ? value.file : {};
      if (typeof file.content === 'string' && file.src === undefined) {
        return { mimeType: contentType?.split(';')[0].trim() || 'text/plain', text: template(file.content, ctx) };
      }
      return { mimeType: contentType?.split(';')[0].trim() || 'application/octet-stream', fileName: str(file.src) };
    }
    case 'graphql': {
      const g = isMapping(value.graphql) ? value.graphql : {};
      const out: Record<string, unknown> = { query: template(str(g.query), ctx) };
      const vars = g.variables;
      if (typeof vars === 'string' && vars.trim() !== '') {
        try {
          out.variables = JSON.parse(template(vars, ctx));
        } catch {
          ctx.dropped.add(`GraphQL variables of "${name}"`, 'they are not valid JSON, which Insomnia needs');
        }
      } else if (isMapping(vars)) {
        out.variables = vars;
      }
      return { mimeType: 'application/graphql', text: JSON.stringify(out) };
    }
    default:
      return {};
  }
}

/** urlencoded / formdata rows; a form-data file row with several files becomes one row per file. */
function formParams(value: unknown, ctx: Context): KeyValue[] {
  const out: KeyValue[] = [];
  if (!Array.isArray(value)) return out;
  for (const p of value) {
    if (!isMapping(p)) continue;
    const name = template(str(p.key), ctx);
    const disabled = p.disabled === true;
    const d = description(p.description);
    if (typeof p.contentType === 'string' && p.contentType !== '') {
      ctx.dropped.add('content type of a form-data part', 'Insomnia sets the part type from the file or text itself');
    }
    if (p.type === 'file') {
      const srcs = Array.isArray(p.src) ? p.src.map((s) => str(s)) : [str(p.src)];
      for (const src of srcs.length > 0 ? srcs : ['']) {
        const kv: KeyValue = { name, value: '', type: 'file', fileName: src };
        if (disabled) kv.disabled = true;
        if (d) kv.description = d;
        out.push(kv);
      }
      continue;
    }
    const kv: KeyValue = { name, value: template(str(p.value), ctx) };
    if (p.type === 'text') kv.type = 'text';
    if (disabled) kv.disabled = true;
    if (d) kv.description = d;
    out.push(kv);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// auth

/** An auth's fields: v2.1 `[{key, value}]`, v2.0 `{field: value}`. */
function authFields(value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const e of value) if (isMapping(e) && typeof e.key === 'string') out[e.key] = e.value;
    return out;
  }
  return isMapping(value) ? value : {};
}

const DROPPED_AUTH_WHY: Readonly<Record<string, string>> = {
  oauth1: 'Hammock cannot sign OAuth 1.0 requests (set it again in Insomnia if you need it)',
  hawk: 'Hammock cannot sign Hawk requests',
  ntlm: 'Hammock cannot do the NTLM handshake',
  edgegrid: 'Insomnia and Hammock have no Akamai EdgeGrid auth',
  akamai: 'Insomnia and Hammock have no Akamai EdgeGrid auth',
  jwt: 'Insomnia and Hammock have no JWT bearer auth generator',
  asap: 'Hammock cannot sign ASAP tokens',
};

/**
 * Converts a Postman auth. `{}` means inherit (a `type: inherit`), `{type: 'none'}` no auth; a type that cannot be
 * carried over is dropped (listed) and becomes `none`, so the request does not inherit someone else's credentials.
 */
function convertAuth(raw: RawMapping, where: string, ctx: Context): Authentication {
  const type = str(raw.type);
  const f = authFields(raw[type]);
  const s = (key: string) => template(str(f[key]), ctx);
  switch (type) {
    case '':
    case 'inherit':
      return {};
    case 'noauth':
      return { type: 'none' };
    case 'basic':
      return { type: 'basic', username: s('username'), password: s('password') };
    case 'bearer':
      return { type: 'bearer', token: s('token'), prefix: '' };
    case 'digest':
      return { type: 'digest', username: s('username'), password: s('password') };
    case 'apikey': {
      // Postman's `in` is header or query; Insomnia's `addTo` header, queryParams or cookie
      return { type: 'apikey', key: s('key'), value: s('value'), addTo: str(f.in) === 'query' ? 'queryParams' : 'header' };
    }
    case 'awsv4':
      return {
        type: 'iam',
        accessKeyId: s('accessKey'),
        secretAccessKey: s('secretKey'),
        sessionToken: s('sessionToken'),
        region: s('region'),
        service: s('service'),
      };
    case 'oauth2':
      return oauth2(f, where, ctx);
    default: {
      ctx.dropped.add(`${type} auth of ${where}`, DROPPED_AUTH_WHY[type] ?? `Insomnia has no ${type} auth`);
      return { type: 'none' };
    }
  }
}

const GRANT_TYPES: Readonly<Record<string, { grantType: string; usePkce?: boolean }>> = {
  authorization_code: { grantType: 'authorization_code' },
  authorization_code_with_pkce: { grantType: 'authorization_code', usePkce: true },
  implicit: { grantType: 'implicit' },
  password_credentials: { grantType: 'password' },
  client_credentials: { grantType: 'client_credentials' },
};

function oauth2(f: Record<string, unknown>, where: string, ctx: Context): Authentication {
  const s = (key: string) => template(str(f[key]), ctx);
  const grant = GRANT_TYPES[str(f.grant_type) || 'authorization_code'];
  if (!grant) ctx.warnings.push(`OAuth 2.0 grant type ${str(f.grant_type)} of ${where} is not Insomnia's; read as authorization code`);
  const auth: Authentication = {
    type: 'oauth2',
    grantType: grant?.grantType ?? 'authorization_code',
    accessTokenUrl: s('accessTokenUrl'),
    authorizationUrl: s('authUrl'),
    clientId: s('clientId'),
    clientSecret: s('clientSecret'),
    scope: s('scope'),
    state: s('state'),
    redirectUrl: s('redirect_uri'),
    credentialsInBody: str(f.client_authentication) === 'body',
    tokenPrefix: str(f.headerPrefix),
  };
  if (f.username !== undefined) auth.username = s('username');
  if (f.password !== undefined) auth.password = s('password');
  if (f.audience !== undefined) auth.audience = s('audience');
  if (f.resource !== undefined) auth.resource = s('resource');
  if (grant?.usePkce) {
    auth.usePkce = true;
    auth.pkceMethod = str(f.challengeAlgorithm) === 'plain' ? 'plain' : 'S256';
  }
  if (str(f.addTokenTo) === 'queryParams') {
    ctx.dropped.add('OAuth 2.0 "add token to query"', 'Insomnia sends OAuth 2.0 tokens in the Authorization header');
  }
  return auth;
}

// ---------------------------------------------------------------------------------------------------------------
// variables and templates

/** `[{key, value, disabled|enabled}]` -> environment data (enabled ones only; templates converted). */
function variableData(value: unknown, ctx: Context, what: string): Record<string, unknown> | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const data: Record<string, unknown> = {};
  let disabled = 0;
  for (const v of value) {
    if (!isMapping(v)) continue;
    const key = str(v.key ?? v.id);
    if (key === '') continue;
    if (v.disabled === true || v.enabled === false) {
      disabled++;
      continue;
    }
    const val = v.value;
    data[key] = typeof val === 'string' ? template(val, ctx) : val === undefined || val === null ? '' : val;
  }
  ctx.dropped.add(`disabled ${what}`, 'Postman ignores it and Insomnia environments have no disabled variables', disabled);
  return data;
}

/** Postman dynamic variables with an Insomnia tag of the same meaning; other `$random*` names map to `faker`. */
const DYNAMIC: Readonly<Record<string, string>> = {
  $guid: "{% uuid 'v4' %}",
  $randomUUID: "{% uuid 'v4' %}",
  $timestamp: "{% now 'unix' %}",
  $isoTimestamp: "{% now 'iso-8601' %}",
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `{{name}}` -> `{{ _.name }}` (or `{{ _['odd name'] }}`); dynamic `{{$...}}` -> Insomnia tags. */
export function postmanTemplate(text: string): { text: string; dynamic: number } {
  let dynamic = 0;
  const out = text.replace(/\{\{([^{}]+)\}\}/g, (whole, inner: string) => {
    const name = inner.trim();
    if (name === '') return whole;
    if (name.startsWith('$')) {
      const tag = DYNAMIC[name] ?? (/^\$random[A-Za-z]+$/.test(name) ? `{% faker '${name.slice(1)}' %}` : undefined);
      if (tag) {
        dynamic++;
        return tag;
      }
    }
    if (IDENTIFIER.test(name)) return `{{ _.${name} }}`;
    return `{{ _['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'] }}`;
  });
  return { text: out, dynamic };
}

function template(text: string, ctx: Context): string {
  if (!text.includes('{{')) return text;
  const r = postmanTemplate(text);
  ctx.dynamicVariables += r.dynamic;
  return r.text;
}

