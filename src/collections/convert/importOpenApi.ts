// OpenAPI 3.0 / 3.1 and Swagger 2.0 (YAML or JSON) -> one design collection: one request per operation, in one folder
// per first tag, the servers as environments, security schemes as auth with their secrets as environment variables,
// bodies built from the first media type's example or schema, and the spec text itself kept as the design's spec.
// Pure: no file system, no network (an external `$ref` is listed in `dropped`, never fetched).
//
// Path parameters: `/pets/{petId}` becomes `/pets/:petId` with a `petId` row in the request's path parameters (Insomnia
// 9+'s path parameters, which Hammock renders). Each request keeps its own value, shown in its own table, instead of one
// shared environment variable that `/users/{id}` and `/devices/{id}` would fight over. A parameter that is not a whole
// path segment (`/files/{name}.json`) cannot be a path parameter: it becomes `{{ _.name }}` in the base environment.

import type { Authentication, BaseEnvironment, Environment, Folder, HttpRequest, KeyValue, RequestBody } from '../model';
import { isMapping, optionalStr, type RawMapping } from '../formats/fields';
import { ID_PREFIX, newId } from '../ids';
import { DroppedTally, importedBaseEnvironment, importedCollection, importedFolder, importedRequest } from './importModel';
import { IMPORT_SOURCE, ImportError, type ImportInput, type ImportResult } from './importTypes';

type Mapping = RawMapping;

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
/** How deep an example body goes into nested schemas, and how many values it may hold in all. */
const MAX_EXAMPLE_DEPTH = 8;
const MAX_EXAMPLE_NODES = 2000;

/** `openapi` for an OpenAPI 3.x document, `swagger` for Swagger 2.0, else undefined. */
export function openApiKind(doc: unknown): 'openapi' | 'swagger' | undefined {
  if (!isMapping(doc)) return undefined;
  // (`openapi: 3.1` unquoted is a YAML number: accepted too)
  if ((typeof doc.openapi === 'string' || typeof doc.openapi === 'number') && /^3(\.|$)/.test(String(doc.openapi))) return 'openapi';
  if (doc.swagger === '2.0' || doc.swagger === 2) return 'swagger';
  return undefined;
}

/**
 * Imports an OpenAPI 3.0/3.1 or Swagger 2.0 document (`input.document`, parsed by the dispatcher; `input.text` is kept
 * as the design's spec). Throws `ImportError` for a document that is no OpenAPI/Swagger or whose `paths` is not a map.
 */
export function importOpenApi(input: ImportInput): ImportResult {
  const doc = input.document;
  if (!isMapping(doc)) throw new ImportError('Not an OpenAPI document: expected a mapping with an `openapi: 3.x` or `swagger: "2.0"` key');
  const kind = openApiKind(doc);
  if (!kind) {
    if (doc.swagger !== undefined || doc.swaggerVersion !== undefined) {
      throw new ImportError(`Unsupported Swagger version ${String(doc.swagger ?? doc.swaggerVersion)}: expected 2.0 (or OpenAPI 3.x)`);
    }
    if (doc.openapi !== undefined) throw new ImportError(`Unsupported OpenAPI version ${String(doc.openapi)}: expected 3.0 or 3.1 (or Swagger 2.0)`);
    throw new ImportError('Not an OpenAPI document: no `openapi: 3.x` or `swagger: "2.0"` key');
  }
  if (doc.paths !== undefined && doc.paths !== null && !isMapping(doc.paths)) {
    throw new ImportError('Malformed OpenAPI document: `paths` must be a map of paths to operations');
  }
  return new OpenApiImport(doc, kind, input).run();
}

interface Context {
  readonly depth: number;
  readonly refs: readonly string[];
}

interface SecurityResult {
  readonly auth: Authentication;
  readonly vars: Record<string, string>;
}

class OpenApiImport {
  private readonly dropped = new DroppedTally();
  private readonly warnings: string[] = [];
  private readonly envVars: Record<string, unknown> = {};
  private readonly schemes: Mapping;
  private readonly swagger: boolean;
  private exampleNodes = 0;

  constructor(
    private readonly doc: Mapping,
    kind: 'openapi' | 'swagger',
    private readonly input: ImportInput,
  ) {
    this.swagger = kind === 'swagger';
    const components = isMapping(doc.components) ? doc.components : {};
    this.schemes = (this.swagger ? doc.securityDefinitions : components.securitySchemes) as Mapping;
    if (!isMapping(this.schemes)) this.schemes = {};
    if (typeof doc.openapi === 'string' && !/^3\.[01](\.|$)/.test(doc.openapi)) {
      this.warnings.push(`OpenAPI ${doc.openapi} is newer than 3.1: read as 3.1, fields of later versions are ignored`);
    }
  }

  run(): ImportResult {
    const info = isMapping(this.doc.info) ? this.doc.info : {};
    const title = optionalStr(info.title)?.trim() || baseName(this.input.fileName) || 'OpenAPI import';
    const collection = importedCollection(title, undefined, 'design');
    collection.description = optionalStr(info.description) ?? '';
    collection.spec = { id: newId(ID_PREFIX.ApiSpec), fileName: title, contents: this.input.text, source: IMPORT_SOURCE };

    const servers = this.swagger ? this.swaggerServers() : this.openApiServers();
    this.envVars.base_url = servers[0]?.url ?? 'http://localhost';
    if (servers.length === 0) this.warnings.push('The document names no server: base_url is http://localhost, change it in the base environment');

    const { folders, topLevel } = this.operations(collection.id);
    let sort = 0;
    for (const f of folders) {
      f.sortKey = sort++ * 1000;
      collection.children.push(f);
    }
    for (const r of topLevel) {
      r.sortKey = sort++ * 1000;
      collection.children.push(r);
    }

    const base: BaseEnvironment = importedBaseEnvironment(collection.id, this.envVars);
    servers.forEach((s, i) => {
      const sub: Environment = {
        id: newId(ID_PREFIX.Environment),
        parentId: base.id,
        name: s.name,
        data: { base_url: s.url },
        color: null,
        sortKey: i * 1000,
        isPrivate: false,
        source: IMPORT_SOURCE,
      };
      base.subEnvironments.push(sub);
    });
    collection.baseEnvironment = base;
    this.noteDocumentLevel();
    return { format: this.swagger ? 'swagger' : 'openapi', collections: [collection], dropped: this.dropped.list(), warnings: this.warnings };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // servers

  private openApiServers(): { name: string; url: string }[] {
    const list = Array.isArray(this.doc.servers) ? this.doc.servers : [];
    const out: { name: string; url: string }[] = [];
    for (const s of list) {
      if (!isMapping(s) || typeof s.url !== 'string') continue;
      const vars = isMapping(s.variables) ? s.variables : {};
      const label = optionalStr(s.description)?.trim() || s.url;
      const url = s.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
        const v = vars[name];
        if (!isMapping(v)) {
          this.warnings.push(`Server "${label}": variable {${name}} has no definition; it is left in the URL`);
          return whole;
        }
        const def = v.default !== undefined ? String(v.default) : Array.isArray(v.enum) && v.enum.length > 0 ? String(v.enum[0]) : '';
        if (Array.isArray(v.enum) && v.enum.length > 1) {
          this.warnings.push(`Server "${label}": variable {${name}} can be ${v.enum.map(String).join(', ')}; its default ${def} is used`);
        }
        return def;
      });
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
        this.warnings.push(`Server "${label}" has a relative URL (${url}): it is relative to where the document is served; put the host in front of it`);
      }
      out.push({ name: label, url: url.replace(/\/+$/, '') });
    }
    return out;
  }

  private swaggerServers(): { name: string; url: string }[] {
    const host = optionalStr(this.doc.host);
    const basePath = (optionalStr(this.doc.basePath) ?? '').replace(/\/+$/, '');
    const schemes = Array.isArray(this.doc.schemes) ? this.doc.schemes.filter((s): s is string => typeof s === 'string') : [];
    if (!host) {
      this.warnings.push('The document has no `host`: base_url is http://localhost' + basePath + ', change it in the base environment');
      return [{ name: 'localhost', url: `http://localhost${basePath}` }];
    }
    const list = schemes.length > 0 ? schemes : ['https'];
    return list.map((scheme) => ({ name: `${scheme}://${host}${basePath}`, url: `${scheme}://${host}${basePath}` }));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // operations

  private operations(collectionId: string): { folders: Folder[]; topLevel: HttpRequest[] } {
    const folders = new Map<string, Folder>();
    const declared = Array.isArray(this.doc.tags) ? this.doc.tags : [];
    for (const t of declared) {
      if (!isMapping(t) || typeof t.name !== 'string' || folders.has(t.name)) continue;
      const f = importedFolder(collectionId, t.name, 0);
      f.description = optionalStr(t.description) ?? '';
      folders.set(t.name, f);
    }
    const topLevel: HttpRequest[] = [];
    const used = new Set<string>();
    const paths = isMapping(this.doc.paths) ? this.doc.paths : {};
    for (const [path, rawItem] of Object.entries(paths)) {
      if (path.startsWith('x-')) continue;
      const item = this.deref(rawItem, `path ${path}`);
      if (!isMapping(item)) continue;
      if (!this.swagger && Array.isArray(item.servers) && item.servers.length > 0) {
        this.dropped.add(`servers of path ${path}`, 'requests use the collection-wide base_url; pick the sub-environment of that server');
      }
      for (const [method, rawOp] of Object.entries(item)) {
        if (!HTTP_METHODS.has(method.toLowerCase()) || !isMapping(rawOp)) continue;
        const tag = Array.isArray(rawOp.tags) && typeof rawOp.tags[0] === 'string' ? rawOp.tags[0] : undefined;
        let parentId = collectionId;
        let folder: Folder | undefined;
        if (tag !== undefined) {
          folder = folders.get(tag);
          if (!folder) {
            folder = importedFolder(collectionId, tag, 0);
            folders.set(tag, folder);
          }
          parentId = folder.id;
          used.add(tag);
        }
        const request = this.request(path, method.toUpperCase(), rawOp, item, parentId);
        if (folder) {
          request.sortKey = folder.children.length * 1000;
          folder.children.push(request);
        } else topLevel.push(request);
      }
    }
    // declared tags that no operation uses would be empty folders
    return { folders: [...folders.values()].filter((f) => used.has(f.name)), topLevel };
  }

  private request(path: string, method: string, op: Mapping, item: Mapping, parentId: string): HttpRequest {
    const label = `${method} ${path}`;
    const name = optionalStr(op.summary)?.trim() || optionalStr(op.operationId)?.trim() || label;
    let description = optionalStr(op.description) ?? '';
    if (!description && name !== op.summary && typeof op.summary === 'string') description = op.summary;
    if (op.deprecated === true) description = description ? `Deprecated.\n\n${description}` : 'Deprecated.';

    const params = this.parameters(item, op, label);
    const { url, pathParameters } = this.url(path, params.path, label);
    const headers: KeyValue[] = [...params.header];
    let body: RequestBody = {};
    if (this.swagger) body = this.swaggerBody(op, params.body, params.formData, label);
    else if (op.requestBody !== undefined) body = this.openApiBody(op.requestBody, label);
    if (body.mimeType && body.mimeType !== 'multipart/form-data' && !headers.some((h) => h.name.toLowerCase() === 'content-type')) {
      headers.push({ name: 'Content-Type', value: body.mimeType });
    }
    const security = this.security(op, label);
    for (const [k, v] of Object.entries(security.vars)) if (!(k in this.envVars)) this.envVars[k] = v;

    if (!this.swagger) {
      if (isMapping(op.callbacks) && Object.keys(op.callbacks).length > 0) {
        this.dropped.add('callbacks', 'Insomnia requests do not receive calls back; send the callback requests by hand', Object.keys(op.callbacks).length);
      }
      if (Array.isArray(op.servers) && op.servers.length > 0) {
        this.dropped.add(`servers of ${label}`, 'requests use the collection-wide base_url; pick the sub-environment of that server');
      }
    }
    this.noteResponses(op);
    return importedRequest(parentId, name, 0, {
      method,
      url,
      description,
      parameters: params.query,
      pathParameters,
      headers,
      body,
      authentication: security.auth,
    });
  }

  /** Path-level and operation-level parameters (the operation's win by name + location), `$ref`s resolved. */
  private parameters(item: Mapping, op: Mapping, label: string): { query: KeyValue[]; header: KeyValue[]; path: Map<string, string>; body?: Mapping; formData: Mapping[] } {
    const byKey = new Map<string, Mapping>();
    for (const list of [item.parameters, op.parameters]) {
      if (!Array.isArray(list)) continue;
      for (const raw of list) {
        const p = this.deref(raw, `a parameter of ${label}`);
        if (!isMapping(p) || typeof p.name !== 'string' || typeof p.in !== 'string') continue;
        byKey.set(`${p.in}\0${p.name}`, p);
      }
    }
    const out = { query: [] as KeyValue[], header: [] as KeyValue[], path: new Map<string, string>(), body: undefined as Mapping | undefined, formData: [] as Mapping[] };
    for (const p of byKey.values()) {
      const name = p.name as string;
      const row = (): KeyValue => {
        const kv: KeyValue = { name, value: this.paramValue(p) };
        const d = optionalStr(p.description);
        if (d) kv.description = d;
        if (p.required !== true) kv.disabled = true;
        return kv;
      };
      switch (p.in) {
        case 'query': {
          // an array example of an exploded query parameter (OpenAPI's default for `form` style) repeats the name
          const raw = this.paramRaw(p);
          const explode = this.swagger ? p.collectionFormat === 'multi' : p.explode !== false && (p.style === undefined || p.style === 'form');
          if (Array.isArray(raw) && raw.length > 1 && explode) {
            for (const v of raw) out.query.push({ ...row(), value: scalarText(v) });
          } else if (Array.isArray(raw)) {
            const format = this.swagger ? p.collectionFormat : p.style;
            const sep = format === 'pipeDelimited' || format === 'pipes' ? '|' : format === 'spaceDelimited' || format === 'ssv' ? ' ' : format === 'tsv' ? '\t' : ',';
            out.query.push({ ...row(), value: raw.map(scalarText).join(sep) });
          } else out.query.push(row());
          break;
        }
        case 'header': {
          const lower = name.toLowerCase();
          if (!this.swagger && (lower === 'accept' || lower === 'content-type' || lower === 'authorization')) {
            // OpenAPI 3 ignores these as parameters; they come from the media types and the security schemes
            this.dropped.add(`header parameter ${name}`, 'OpenAPI says it is ignored: the body, the auth and the Accept header set it', 1);
            break;
          }
          out.header.push(row());
          break;
        }
        case 'path':
          out.path.set(name, this.paramValue(p));
          break;
        case 'cookie':
          this.dropped.add('cookie parameters', 'an Insomnia request has no cookie parameters: set them in the cookie jar or as a Cookie header');
          break;
        case 'body':
          out.body = p;
          break;
        case 'formData':
          out.formData.push(p);
          break;
        default:
          this.dropped.add(`parameters in "${String(p.in)}"`, 'not a parameter location OpenAPI defines');
      }
    }
    return out;
  }

  /** A parameter's value: its example, else its schema's example, default or first enum value, else ''. */
  private paramValue(p: Mapping): string {
    const raw = this.paramRaw(p);
    return raw === undefined ? '' : scalarText(raw);
  }

  private paramRaw(p: Mapping): unknown {
    const candidates: unknown[] = [p.example, firstExample(p.examples), p['x-example']];
    const schema = this.deref(p.schema, 'a parameter schema');
    if (isMapping(schema)) candidates.push(schema.example, Array.isArray(schema.examples) ? schema.examples[0] : undefined, schema.default, Array.isArray(schema.enum) ? schema.enum[0] : undefined);
    if (isMapping(p.content)) {
      const media = Object.values(p.content)[0];
      if (isMapping(media)) candidates.push(media.example, firstExample(media.examples));
    }
    candidates.push(p.default, Array.isArray(p.enum) ? p.enum[0] : undefined);
    if (this.swagger && isMapping(p.items)) candidates.push((p.items as Mapping).default, Array.isArray((p.items as Mapping).enum) ? ((p.items as Mapping).enum as unknown[])[0] : undefined);
    return candidates.find((c) => c !== undefined && c !== null);
  }

  private url(path: string, declared: Map<string, string>, label: string): { url: string; pathParameters: KeyValue[] } {
    const pathParameters: KeyValue[] = [];
    const segments = path.split('/');
    const out = segments.map((seg) => {
      const whole = /^\{([^{}]+)\}$/.exec(seg);
      if (whole) {
        const name = whole[1];
        if (!pathParameters.some((p) => p.name === name)) pathParameters.push({ name, value: declared.get(name) ?? '' });
        return `:${name}`;
      }
      return seg.replace(/\{([^{}]+)\}/g, (_, name: string) => {
        const variable = /^[A-Za-z_$][\w$]*$/.test(name) ? `{{ _.${name} }}` : `{{ _['${name.replace(/'/g, "\\'")}'] }}`;
        if (!(name in this.envVars)) this.envVars[name] = declared.get(name) ?? '';
        this.warnings.push(`${label}: {${name}} is not a whole path segment, so it is the environment variable ${variable} instead of a path parameter`);
        return variable;
      });
    });
    return { url: `{{ _.base_url }}${out.join('/')}`, pathParameters };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // bodies

  private openApiBody(raw: unknown, label: string): RequestBody {
    const rb = this.deref(raw, `the request body of ${label}`);
    if (!isMapping(rb) || !isMapping(rb.content)) return {};
    const entries = Object.entries(rb.content);
    if (entries.length === 0) return {};
    const [mimeType, rawMedia] = entries[0];
    const media = isMapping(rawMedia) ? rawMedia : {};
    if (entries.length > 1) {
      this.dropped.add('other media types of request bodies', 'a request has one body: the first media type of each is used', entries.length - 1);
    }
    const mime = mimeType.toLowerCase();
    const schema = media.schema;
    const example = media.example !== undefined ? media.example : firstExample(media.examples, (v) => this.deref(v, 'an example'));
    if (mime === 'application/x-www-form-urlencoded' || mime === 'multipart/form-data') {
      const params = this.formParams(schema, example, mime === 'multipart/form-data', isMapping(media.encoding) ? media.encoding : {});
      return { mimeType: mime, params };
    }
    if (isJsonMime(mime)) {
      const value = example !== undefined ? example : this.example(schema, 'request');
      return { mimeType, text: value === undefined ? '' : JSON.stringify(value, null, 2) };
    }
    if (isXmlMime(mime)) {
      if (typeof example === 'string') return { mimeType, text: example };
      const value = example !== undefined ? example : this.example(schema, 'request');
      return { mimeType, text: value === undefined ? '' : toXml(value, this.xmlName(schema) ?? 'root', this.xmlView(), schema) };
    }
    const s = this.deref(schema, 'a body schema');
    const binary = mime === 'application/octet-stream' || /^(image|audio|video)\//.test(mime) || (isMapping(s) && (s.format === 'binary' || s.contentEncoding !== undefined || s.contentMediaType !== undefined));
    if (binary) return { mimeType, fileName: '' };
    const value = example !== undefined ? example : this.example(schema, 'request');
    return { mimeType, text: value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value, null, 2) };
  }

  private swaggerBody(op: Mapping, bodyParam: Mapping | undefined, formData: Mapping[], label: string): RequestBody {
    const consumes = (Array.isArray(op.consumes) ? op.consumes : Array.isArray(this.doc.consumes) ? this.doc.consumes : []).filter((c): c is string => typeof c === 'string');
    if (formData.length > 0) {
      const multipart = formData.some((p) => p.type === 'file') || consumes.some((c) => c.toLowerCase().startsWith('multipart/form-data'));
      const params: KeyValue[] = formData.map((p) => {
        const kv: KeyValue = p.type === 'file' ? { name: p.name as string, value: '', type: 'file', fileName: '' } : { name: p.name as string, value: this.paramValue(p) };
        const d = optionalStr(p.description);
        if (d) kv.description = d;
        if (p.required !== true) kv.disabled = true;
        return kv;
      });
      return { mimeType: multipart ? 'multipart/form-data' : 'application/x-www-form-urlencoded', params };
    }
    if (!bodyParam) return {};
    const mimeType = consumes.find((c) => isJsonMime(c.toLowerCase())) ?? consumes[0] ?? 'application/json';
    const example = bodyParam['x-example'] !== undefined ? bodyParam['x-example'] : undefined;
    const value = example !== undefined ? example : this.example(bodyParam.schema, 'request');
    if (isXmlMime(mimeType.toLowerCase())) return { mimeType, text: value === undefined ? '' : toXml(value, this.xmlName(bodyParam.schema) ?? 'root', this.xmlView(), bodyParam.schema) };
    if (!isJsonMime(mimeType.toLowerCase()) && typeof value === 'string') return { mimeType, text: value };
    void label;
    return { mimeType, text: value === undefined ? '' : JSON.stringify(value, null, 2) };
  }

  /** Form and multipart rows from an object schema (binary properties are file rows). */
  private formParams(rawSchema: unknown, example: unknown, multipart: boolean, encoding: Mapping): KeyValue[] {
    const schema = this.mergedObject(rawSchema, []);
    const values = isMapping(example) ? example : this.example(rawSchema, 'request');
    const rows: KeyValue[] = [];
    for (const [name, rawProp] of Object.entries(schema.properties)) {
      const prop = this.deref(rawProp, 'a form field');
      if (isMapping(prop) && prop.readOnly === true) continue;
      const items = isMapping(prop) ? this.deref(prop.items, 'a form field') : undefined;
      const isFile = multipart && (isBinarySchema(prop) || (isMapping(prop) && prop.type === 'array' && isBinarySchema(items)));
      if (isFile) {
        rows.push({ name, value: '', type: 'file', fileName: '' });
        continue;
      }
      const v = isMapping(values) ? values[name] : undefined;
      rows.push({ name, value: v === undefined || v === null ? '' : scalarText(v) });
      if (isMapping(encoding[name]) && (encoding[name] as Mapping).contentType !== undefined) {
        this.dropped.add('content types of multipart fields (`encoding`)', "Insomnia's multipart parts carry no content type of their own");
      }
    }
    return rows;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // examples from schemas

  /** An example value for a schema: its own examples first, then one built from its type (bounded, cycles cut). */
  example(schema: unknown, mode: 'request' | 'response'): unknown {
    this.exampleNodes = 0;
    return this.exampleOf(schema, { depth: 0, refs: [] }, mode);
  }

  private exampleOf(raw: unknown, ctx: Context, mode: 'request' | 'response'): unknown {
    if (!isMapping(raw)) return undefined;
    if (++this.exampleNodes > MAX_EXAMPLE_NODES) return undefined;
    let schema = raw;
    let refs = ctx.refs;
    while (typeof schema.$ref === 'string') {
      const ref = schema.$ref;
      if (refs.includes(ref)) return undefined; // a cycle: stop here
      const target = this.resolveRef(ref, 'a schema');
      if (!isMapping(target)) return undefined;
      refs = [...refs, ref];
      const { $ref: _ignored, ...siblings } = schema;
      void _ignored;
      schema = { ...target, ...siblings };
    }
    const here: Context = { depth: ctx.depth, refs };
    if (schema.example !== undefined) return schema.example;
    if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
    if (schema.const !== undefined) return schema.const;
    if (schema.default !== undefined) return schema.default;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
    if (Array.isArray(schema.allOf)) {
      const merged = this.mergedObject(schema, here.refs);
      if (Object.keys(merged.properties).length > 0) return this.objectExample(merged.properties, here, mode);
      for (const s of schema.allOf) {
        const v = this.exampleOf(s, here, mode);
        if (v !== undefined) return v;
      }
      return undefined;
    }
    for (const key of ['oneOf', 'anyOf'] as const) {
      const list = schema[key];
      if (Array.isArray(list) && list.length > 0) {
        for (const s of list) {
          const v = this.exampleOf(s, here, mode);
          if (v !== undefined) return v;
        }
        return undefined;
      }
    }
    const type = schemaType(schema);
    switch (type) {
      case 'object': {
        if (ctx.depth >= MAX_EXAMPLE_DEPTH) return {};
        const props = isMapping(schema.properties) ? schema.properties : {};
        if (Object.keys(props).length === 0 && isMapping(schema.additionalProperties)) {
          const v = this.exampleOf(schema.additionalProperties, { depth: ctx.depth + 1, refs }, mode);
          return v === undefined ? {} : { key: v };
        }
        return this.objectExample(props, here, mode);
      }
      case 'array': {
        if (ctx.depth >= MAX_EXAMPLE_DEPTH) return [];
        const v = this.exampleOf(schema.items, { depth: ctx.depth + 1, refs }, mode);
        return v === undefined ? [] : [v];
      }
      case 'string':
        return stringExample(optionalStr(schema.format));
      case 'integer':
      case 'number':
        return typeof schema.minimum === 'number' ? schema.minimum : 0;
      case 'boolean':
        return true;
      case 'null':
        return null;
      default:
        return undefined;
    }
  }

  private objectExample(props: Mapping, ctx: Context, mode: 'request' | 'response'): Mapping {
    const out: Mapping = {};
    for (const [name, prop] of Object.entries(props)) {
      const p = isMapping(prop) && typeof prop.$ref !== 'string' ? prop : undefined;
      if (mode === 'request' && p?.readOnly === true) continue;
      if (mode === 'response' && p?.writeOnly === true) continue;
      const v = this.exampleOf(prop, { depth: ctx.depth + 1, refs: ctx.refs }, mode);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }

  /** The properties of an object schema with its `allOf` parts merged in (refs followed, cycles cut). */
  private mergedObject(raw: unknown, refs: readonly string[]): { properties: Mapping; required: string[] } {
    const out = { properties: {} as Mapping, required: [] as string[] };
    const visit = (s: unknown, seen: readonly string[], depth: number): void => {
      if (!isMapping(s) || depth > MAX_EXAMPLE_DEPTH) return;
      if (typeof s.$ref === 'string') {
        if (seen.includes(s.$ref)) return;
        visit(this.resolveRef(s.$ref, 'a schema'), [...seen, s.$ref], depth + 1);
        return;
      }
      if (isMapping(s.properties)) Object.assign(out.properties, s.properties);
      if (Array.isArray(s.required)) out.required.push(...s.required.filter((r): r is string => typeof r === 'string'));
      if (Array.isArray(s.allOf)) for (const part of s.allOf) visit(part, seen, depth + 1);
    };
    visit(raw, refs, 0);
    return out;
  }

  private xmlName(raw: unknown): string | undefined {
    if (!isMapping(raw)) return undefined;
    if (isMapping(raw.xml) && typeof raw.xml.name === 'string') return raw.xml.name;
    if (typeof raw.$ref === 'string') {
      const target = this.resolveRef(raw.$ref, 'a schema');
      return this.xmlName(target) ?? raw.$ref.split('/').pop();
    }
    return undefined;
  }

  /** Follows a schema's `$ref`s, for toXml. */
  private xmlView(): XmlSchemaView {
    return (s) => {
      let cur = s;
      for (let i = 0; i < 10 && isMapping(cur) && typeof cur.$ref === 'string'; i++) cur = this.resolveRef(cur.$ref, 'a schema');
      return isMapping(cur) ? cur : undefined;
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // security

  private security(op: Mapping, label: string): SecurityResult {
    const requirements = Array.isArray(op.security) ? op.security : Array.isArray(this.doc.security) ? this.doc.security : [];
    if (requirements.length === 0) return { auth: {}, vars: {} };
    const first = requirements[0];
    if (requirements.length > 1) {
      this.dropped.add('other security alternatives', 'an Insomnia request has one auth: the first alternative of each operation is used', requirements.length - 1);
    }
    if (!isMapping(first) || Object.keys(first).length === 0) return { auth: {}, vars: {} };
    const names = Object.keys(first);
    if (names.length > 1) {
      this.dropped.add('security schemes required together', 'an Insomnia request has one auth: the first scheme of each requirement is used', names.length - 1);
    }
    const name = names[0];
    const scheme = this.deref(this.schemes[name], `security scheme ${name}`);
    if (!isMapping(scheme)) {
      this.dropped.add(`security scheme "${name}" of ${label}`, 'it is not defined in the document');
      return { auth: {}, vars: {} };
    }
    const scopes = Array.isArray(first[name]) ? (first[name] as unknown[]).filter((s): s is string => typeof s === 'string') : [];
    return this.schemeAuth(name, scheme, scopes);
  }

  private schemeAuth(name: string, scheme: Mapping, scopes: readonly string[]): SecurityResult {
    const type = optionalStr(scheme.type)?.toLowerCase();
    const v = varName(name);
    if (type === 'basic' || (type === 'http' && optionalStr(scheme.scheme)?.toLowerCase() === 'basic')) {
      return { auth: { type: 'basic', username: '{{ _.username }}', password: '{{ _.password }}' }, vars: { username: '', password: '' } };
    }
    if (type === 'http' && optionalStr(scheme.scheme)?.toLowerCase() === 'bearer') {
      return { auth: { type: 'bearer', token: '{{ _.token }}', prefix: '' }, vars: { token: '' } };
    }
    if (type === 'http' && optionalStr(scheme.scheme)?.toLowerCase() === 'digest') {
      return { auth: { type: 'digest', username: '{{ _.username }}', password: '{{ _.password }}' }, vars: { username: '', password: '' } };
    }
    if (type === 'apikey') {
      const where = optionalStr(scheme.in);
      const addTo = where === 'query' ? 'queryParams' : where === 'cookie' ? 'cookie' : 'header';
      return { auth: { type: 'apikey', key: optionalStr(scheme.name) ?? name, value: `{{ _.${v} }}`, addTo }, vars: { [v]: '' } };
    }
    if (type === 'oauth2') return this.oauth2Auth(name, scheme, scopes);
    const what = type === 'http' ? `HTTP auth scheme "${String(scheme.scheme)}" (${name})` : `security scheme "${name}" of type ${String(scheme.type)}`;
    const why = type === 'openidconnect'
      ? 'Insomnia has no OpenID Connect discovery: set up OAuth 2.0 with the URLs of ' + String(scheme.openIdConnectUrl ?? 'the discovery document')
      : type === 'mutualtls'
        ? 'client certificates are app settings in Insomnia, not request auth'
        : 'Insomnia has no such auth';
    this.dropped.add(what, why);
    return { auth: {}, vars: {} };
  }

  private oauth2Auth(name: string, scheme: Mapping, scopes: readonly string[]): SecurityResult {
    const vars: Record<string, string> = { client_id: '' };
    let grantType: string;
    let flow: Mapping;
    if (this.swagger) {
      const f = optionalStr(scheme.flow);
      grantType = f === 'accessCode' ? 'authorization_code' : f === 'application' ? 'client_credentials' : f === 'password' ? 'password' : 'implicit';
      flow = scheme;
    } else {
      const flows = isMapping(scheme.flows) ? scheme.flows : {};
      const order: [string, string][] = [['authorizationCode', 'authorization_code'], ['clientCredentials', 'client_credentials'], ['password', 'password'], ['implicit', 'implicit']];
      const present = order.filter(([k]) => isMapping(flows[k]));
      if (present.length === 0) {
        this.dropped.add(`OAuth 2.0 scheme "${name}" without flows`, 'there is no grant to set up');
        return { auth: {}, vars: {} };
      }
      [, grantType] = present[0];
      flow = flows[present[0][0]] as Mapping;
      if (present.length > 1) this.dropped.add(`other OAuth 2.0 flows of "${name}"`, 'an Insomnia OAuth 2.0 auth has one grant type: the first flow is used', present.length - 1);
    }
    const all = isMapping(flow.scopes) ? Object.keys(flow.scopes) : [];
    const auth: Authentication = {
      type: 'oauth2',
      grantType,
      clientId: '{{ _.client_id }}',
      scope: (scopes.length > 0 ? scopes : all).join(' '),
    };
    if (grantType === 'authorization_code' || grantType === 'implicit') auth.authorizationUrl = optionalStr(flow.authorizationUrl) ?? '';
    if (grantType !== 'implicit') {
      auth.accessTokenUrl = optionalStr(flow.tokenUrl) ?? '';
      auth.clientSecret = '{{ _.client_secret }}';
      vars.client_secret = '';
    }
    if (grantType === 'authorization_code') auth.usePkce = false;
    if (grantType === 'password') {
      auth.username = '{{ _.username }}';
      auth.password = '{{ _.password }}';
      vars.username = '';
      vars.password = '';
    }
    if (!this.swagger && typeof flow.refreshUrl === 'string') this.dropped.add(`refresh URL of OAuth 2.0 scheme "${name}"`, 'Insomnia refreshes at the token URL');
    return { auth, vars };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // what has no place in Insomnia

  private noteResponses(op: Mapping): void {
    const responses = isMapping(op.responses) ? op.responses : {};
    let links = 0;
    for (const r of Object.values(responses)) {
      const resp = isMapping(r) && typeof r.$ref !== 'string' ? r : this.deref(r, 'a response');
      if (isMapping(resp) && isMapping(resp.links)) links += Object.keys(resp.links).length;
    }
    if (links > 0) this.dropped.add('response links', 'Insomnia has no links between requests (chain them with response tags by hand)', links);
    if (Object.keys(responses).length > 0) this.dropped.add('described responses', 'an Insomnia request holds no expected responses; the spec keeps them', 1);
  }

  private noteDocumentLevel(): void {
    if (isMapping(this.doc.webhooks) && Object.keys(this.doc.webhooks).length > 0) {
      this.dropped.add('webhooks', 'they are calls the API makes, not requests to send', Object.keys(this.doc.webhooks).length);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // $ref

  /** Follows `$ref`s (a chain of them) to the value; siblings of a `$ref` win over the target's keys. */
  private deref(value: unknown, what: string): unknown {
    let cur = value;
    const seen: string[] = [];
    while (isMapping(cur) && typeof cur.$ref === 'string') {
      const ref = cur.$ref;
      if (seen.includes(ref)) {
        this.dropped.add(`$ref cycle at ${ref}`, 'a reference that only points back to itself has no value');
        return undefined;
      }
      seen.push(ref);
      const target = this.resolveRef(ref, what);
      if (target === undefined) return undefined;
      const { $ref: _r, ...siblings } = cur;
      void _r;
      cur = isMapping(target) && Object.keys(siblings).length > 0 ? { ...target, ...siblings } : target;
    }
    return cur;
  }

  private resolveRef(ref: string, what: string): unknown {
    if (!ref.startsWith('#')) {
      this.dropped.add(`external $ref ${ref}`, 'the import reads only this document (no files, no network); inline it or bundle the spec first');
      return undefined;
    }
    let cur: unknown = this.doc;
    const pointer = ref.slice(1);
    if (pointer === '') return cur;
    for (const raw of pointer.replace(/^\//, '').split('/')) {
      const key = safeDecode(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(cur)) cur = cur[Number(key)];
      else if (isMapping(cur)) cur = cur[key];
      else cur = undefined;
      if (cur === undefined) break;
    }
    if (cur === undefined) this.dropped.add(`unresolved $ref ${ref}`, `it points to nothing in the document (used by ${what})`);
    return cur;
  }
}

// -----------------------------------------------------------------------------------------------------------------
// helpers

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function baseName(fileName: string | undefined): string | undefined {
  if (!fileName) return undefined;
  return (fileName.split(/[\\/]/).pop() ?? fileName).replace(/\.(ya?ml|json)$/i, '') || undefined;
}

/** The value of the first entry of an OpenAPI `examples` map (`{name: {value}}`). */
function firstExample(examples: unknown, deref: (v: unknown) => unknown = (v) => v): unknown {
  if (!isMapping(examples)) return undefined;
  for (const e of Object.values(examples)) {
    const ex = deref(e);
    if (isMapping(ex) && ex.value !== undefined) return ex.value;
  }
  return undefined;
}

function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x))).join(',');
  return JSON.stringify(v);
}

function schemaType(schema: Mapping): string | undefined {
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const nonNull = t.find((x) => x !== 'null');
    return typeof nonNull === 'string' ? nonNull : t.includes('null') ? 'null' : undefined;
  }
  if (isMapping(schema.properties) || isMapping(schema.additionalProperties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function stringExample(format: string | undefined): string {
  switch (format) {
    case 'date':
      return '2024-01-01';
    case 'date-time':
      return '2024-01-01T00:00:00Z';
    case 'time':
      return '00:00:00';
    case 'email':
      return 'user@example.com';
    case 'uuid':
      return '00000000-0000-0000-0000-000000000000';
    case 'uri':
    case 'url':
      return 'https://example.com';
    case 'hostname':
      return 'example.com';
    case 'ipv4':
      return '192.0.2.1';
    case 'ipv6':
      return '2001:db8::1';
    case 'byte':
      return 'c3RyaW5n';
    case 'binary':
      return '';
    case 'password':
      return 'password';
    default:
      return 'string';
  }
}

function isBinarySchema(s: unknown): boolean {
  return isMapping(s) && (s.format === 'binary' || s.format === 'base64' || s.contentMediaType !== undefined || s.contentEncoding !== undefined || s.type === 'file');
}

function isJsonMime(mime: string): boolean {
  const base = mime.split(';')[0].trim();
  return base === 'application/json' || base.endsWith('+json') || base === '*/*' || base === 'text/json';
}

function isXmlMime(mime: string): boolean {
  const base = mime.split(';')[0].trim();
  return base === 'application/xml' || base === 'text/xml' || base.endsWith('+xml');
}

/** An identifier for an environment variable from a scheme name (`api_key` stays, `x-key` -> `x_key`). */
function varName(name: string): string {
  const v = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(v) ? v : `_${v}`;
}

type XmlSchemaView = (schema: unknown) => Mapping | undefined;

/** A small XML rendering of an example value, using the schema's `xml.name` / `xml.attribute` / `xml.wrapped`. */
function toXml(value: unknown, rootName: string, view: XmlSchemaView, schema?: unknown): string {
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const emit = (name: string, v: unknown, s: Mapping | undefined, indent: string): void => {
    if (Array.isArray(v)) {
      const items = view(s?.items);
      const xml = isMapping(s?.xml) ? (s?.xml as Mapping) : {};
      const itemName = (isMapping(items?.xml) && typeof (items?.xml as Mapping).name === 'string' ? (items?.xml as Mapping).name : name) as string;
      if (xml.wrapped === true) {
        lines.push(`${indent}<${name}>`);
        for (const x of v) emit(itemName, x, items, indent + '  ');
        lines.push(`${indent}</${name}>`);
      } else for (const x of v) emit(itemName, x, items, indent);
      return;
    }
    if (isMapping(v)) {
      const props = isMapping(s?.properties) ? (s?.properties as Mapping) : {};
      const attrs: string[] = [];
      const children: [string, unknown, Mapping | undefined][] = [];
      for (const [k, x] of Object.entries(v)) {
        const ps = view(props[k]);
        const px = isMapping(ps?.xml) ? (ps?.xml as Mapping) : isMapping((props[k] as Mapping | undefined)?.xml) ? ((props[k] as Mapping).xml as Mapping) : {};
        const n = typeof px.name === 'string' ? px.name : k;
        if (px.attribute === true && !isMapping(x) && !Array.isArray(x)) attrs.push(` ${n}="${esc(String(x))}"`);
        else children.push([n, x, ps && isMapping(props[k]) && isMapping((props[k] as Mapping).xml) ? { ...ps, xml: (props[k] as Mapping).xml } : ps]);
      }
      if (children.length === 0) {
        lines.push(`${indent}<${name}${attrs.join('')}/>`);
        return;
      }
      lines.push(`${indent}<${name}${attrs.join('')}>`);
      for (const [n, x, ps] of children) emit(n, x, ps, indent + '  ');
      lines.push(`${indent}</${name}>`);
      return;
    }
    lines.push(`${indent}<${name}>${v === null || v === undefined ? '' : esc(String(v))}</${name}>`);
  };
  emit(rootName, value, view(schema), '');
  return lines.join('\n');
}
