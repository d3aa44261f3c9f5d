// The `insomnia` object's classes, as Insomnia's script SDK (packages/insomnia-sdk/src/objects, Insomnia 10.1.1)
// defines them: Environment and Variables (environments.ts), the Postman-style request (request.ts, headers.ts,
// urls.ts, auth.ts), the response (response.ts), `info` (request-info.ts) and `execution` (execution.ts).
// This file is bundled into the sandbox runtime and evaluated INSIDE the script context, so every object a script
// touches belongs to the script's own realm. No node or host import here.

import type { Authentication, KeyValue, RequestBody as ModelBody } from '../../../collections/model';
import type { ExecutionState, ScriptRequestData, ScriptResponseData } from '../scriptProtocol';

type Render = (template: string, context: Record<string, unknown>) => string;

/** A flat variable scope (`insomnia.environment`, `insomnia.baseEnvironment`, `insomnia.globals`, ...). */
export class Environment {
  private readonly kvs: Map<string, unknown>;

  constructor(
    private readonly _name: string,
    data: Record<string, unknown> | undefined,
    private readonly render: Render,
  ) {
    this.kvs = new Map(Object.entries(data ?? {}));
  }

  get name(): string {
    return this._name;
  }

  has = (name: string): boolean => this.kvs.has(name);
  get = (name: string): unknown => this.kvs.get(name);
  set = (name: string, value: unknown): void => {
    this.kvs.set(name, value);
  };
  unset = (name: string): void => {
    this.kvs.delete(name);
  };
  clear = (): void => {
    this.kvs.clear();
  };
  replaceIn = (template: string): string => this.render(template, this.toObject());
  toObject = (): Record<string, unknown> => Object.fromEntries(this.kvs.entries());
}

/** `insomnia.variables`: reads through every scope (local first), writes local variables that live for this run. */
export class Variables {
  private readonly localVars: Environment;

  constructor(
    private readonly scopes: { globals: Environment; collection: Environment; environment: Environment; iterationData: Environment },
    private readonly render: Render,
  ) {
    this.localVars = new Environment('__localVars', {}, render);
  }

  private order(): Environment[] {
    const s = this.scopes;
    return [this.localVars, s.iterationData, s.environment, s.collection, s.globals];
  }

  has = (name: string): boolean => this.order().some((v) => v.has(name));
  get = (name: string): unknown => {
    for (const scope of this.order()) {
      const value = scope.get(name);
      if (value) return value;
    }
    return undefined;
  };
  set = (name: string, value: unknown): void => this.localVars.set(name, value);
  unset = (name: string): void => this.localVars.unset(name);
  replaceIn = (template: string): string => this.render(template, this.toObject());
  toObject = (): Record<string, unknown> => {
    const s = this.scopes;
    return [s.globals, s.collection, s.environment, s.iterationData, this.localVars].reduce<Record<string, unknown>>((acc, v) => ({ ...acc, ...v.toObject() }), {});
  };
}

// ------------------------------------------------------------------------------------------------------------------
// Postman-style lists (properties.ts PropertyList)

interface Keyed {
  key: string;
}

export class PropertyList<T extends Keyed> {
  protected list: T[];

  constructor(items: readonly T[] = []) {
    this.list = [...items];
  }

  add(item: T): void {
    this.list.push(item);
  }
  append(item: T): void {
    this.list.push(item);
  }
  prepend(item: T): void {
    this.list.unshift(item);
  }
  insert(item: T, before?: number): void {
    this.list.splice(before ?? this.list.length, 0, item);
  }
  all(): T[] {
    return [...this.list];
  }
  clear(): void {
    this.list = [];
  }
  count(): number {
    return this.list.length;
  }
  each(fn: (item: T) => void): void {
    this.list.forEach((item) => fn(item));
  }
  map<U>(fn: (item: T) => U): U[] {
    return this.list.map((item) => fn(item));
  }
  filter(fn: (item: T) => boolean): T[] {
    return this.list.filter((item) => fn(item));
  }
  find(fn: (item: T) => boolean): T | undefined {
    return this.list.find((item) => fn(item));
  }
  reduce<U>(fn: (acc: U, item: T) => U, initial: U): U {
    return this.list.reduce(fn, initial);
  }
  idx(index: number): T | undefined {
    return this.list[index];
  }
  indexOf(item: string | T): number {
    return this.list.findIndex((x) => (typeof item === 'string' ? this.same(x.key, item) : x === item));
  }
  one(key: string): T | undefined {
    return this.list.find((x) => this.same(x.key, key));
  }
  get(key: string): unknown {
    const found = this.one(key);
    return found === undefined ? undefined : (found as unknown as { value: unknown }).value;
  }
  has(item: string | T, value?: unknown): boolean {
    const key = typeof item === 'string' ? item : item.key;
    return this.list.some((x) => this.same(x.key, key) && (value === undefined || (x as unknown as { value: unknown }).value === value));
  }
  remove(predicate: string | T | ((item: T) => boolean)): void {
    this.list = this.list.filter((x) => !(typeof predicate === 'function' ? (predicate as (i: T) => boolean)(x) : typeof predicate === 'string' ? this.same(x.key, predicate) : x === predicate));
  }
  upsert(item: T): boolean {
    const i = this.list.findIndex((x) => this.same(x.key, item.key));
    if (i >= 0) {
      this.list[i] = item;
      return false;
    }
    this.list.push(item);
    return true;
  }
  populate(items: T[]): void {
    this.list.push(...items);
  }
  repopulate(items: T[]): void {
    this.list = [...items];
  }
  toObject(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const x of this.list) out[x.key] = (x as unknown as { value: unknown }).value;
    return out;
  }
  toJSON(): unknown[] {
    return this.list.map((x) => (typeof (x as { toJSON?: () => unknown }).toJSON === 'function' ? (x as unknown as { toJSON: () => unknown }).toJSON() : x));
  }
  toString(): string {
    return this.list.map((x) => String(x)).join('&');
  }
  [Symbol.iterator](): Iterator<T> {
    return this.list[Symbol.iterator]();
  }
  protected same(a: string, b: string): boolean {
    return a === b;
  }
}

export class Header implements Keyed {
  key: string;
  value: string;
  disabled?: boolean;

  constructor(input: { key: string; value: unknown; disabled?: boolean } | string, name?: string) {
    if (typeof input === 'string') {
      const parsed = name === undefined ? Header.parseSingle(input) : { key: name, value: input };
      this.key = parsed.key;
      this.value = parsed.value;
    } else {
      this.key = input.key;
      this.value = input.value === undefined || input.value === null ? '' : String(input.value);
      this.disabled = input.disabled;
    }
  }

  static create(input: { key: string; value: string } | string, name?: string): Header {
    return new Header(input, name);
  }
  static parseSingle(text: string): { key: string; value: string } {
    const i = text.indexOf(':');
    return i < 0 ? { key: text.trim(), value: '' } : { key: text.slice(0, i).trim(), value: text.slice(i + 1).trim() };
  }
  static parse(text: string): { key: string; value: string }[] {
    return text.split(/\r?\n/).filter((l) => l.trim()).map(Header.parseSingle);
  }
  static unparseSingle(h: { key: string; value: string }): string {
    return `${h.key}: ${h.value}`;
  }
  static unparse(headers: { key: string; value: string }[] | HeaderList, separator = '\n'): string {
    const list = headers instanceof HeaderList ? headers.all() : headers;
    return list.map(Header.unparseSingle).join(separator);
  }
  static isHeader(obj: unknown): boolean {
    return obj instanceof Header;
  }
  update(h: { key: string; value: string }): void {
    this.key = h.key;
    this.value = h.value;
  }
  valueOf(): string {
    return this.value;
  }
  toString(): string {
    return `${this.key}: ${this.value}`;
  }
  toJSON(): { key: string; value: string; disabled?: boolean } {
    return this.disabled === undefined ? { key: this.key, value: this.value } : { key: this.key, value: this.value, disabled: this.disabled };
  }
}

/** Headers: names compare without case, as HTTP does. */
export class HeaderList extends PropertyList<Header> {
  protected override same(a: string, b: string): boolean {
    return a.toLowerCase() === b.toLowerCase();
  }
  override toString(): string {
    return this.list.map((h) => h.toString()).join('\n');
  }
  contentSize(): number {
    return this.list.reduce((n, h) => n + h.toString().length + 2, 0);
  }
}

export class QueryParam implements Keyed {
  key: string;
  value: string;
  disabled?: boolean;

  constructor(input: { key: string; value?: unknown; disabled?: boolean } | string) {
    if (typeof input === 'string') {
      const p = QueryParam.parseSingle(input);
      this.key = p.key;
      this.value = p.value;
    } else {
      this.key = input.key;
      this.value = input.value === undefined || input.value === null ? '' : String(input.value);
      this.disabled = input.disabled;
    }
  }

  static parseSingle(text: string): { key: string; value: string } {
    const i = text.indexOf('=');
    const dec = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    return i < 0 ? { key: dec(text), value: '' } : { key: dec(text.slice(0, i)), value: dec(text.slice(i + 1)) };
  }
  static parse(text: string): { key: string; value: string }[] {
    return text.replace(/^\?/, '').split('&').filter(Boolean).map(QueryParam.parseSingle);
  }
  static unparseSingle(p: { key: string; value?: string }): string {
    return p.value === undefined || p.value === '' ? encodeURIComponent(p.key) + (p.value === '' ? '=' : '') : `${encodeURIComponent(p.key)}=${encodeURIComponent(p.value)}`;
  }
  static unparse(params: { key: string; value: string }[] | Record<string, string>): string {
    const list = Array.isArray(params) ? params : Object.entries(params).map(([key, value]) => ({ key, value }));
    return list.map(QueryParam.unparseSingle).join('&');
  }
  update(p: string | { key: string; value: string }): void {
    const next = typeof p === 'string' ? QueryParam.parseSingle(p) : p;
    this.key = next.key;
    this.value = next.value;
  }
  valueOf(): string {
    return this.value;
  }
  toString(): string {
    return QueryParam.unparseSingle(this);
  }
  toJSON(): { key: string; value: string } {
    return { key: this.key, value: this.value };
  }
}

/**
 * A URL as the script SDK holds it (urls.ts `Url`): protocol, host, port, path, query list, hash. `toString()` gives
 * it back; templates (`{{ _.base_url }}/users`) survive as they are, as Insomnia renders them after the script.
 */
export class Url {
  protocol = '';
  auth?: { username: string; password: string };
  host: string[] = [];
  port = '';
  path: string[] = [];
  query = new PropertyList<QueryParam>();
  hash = '';

  constructor(input: string | { raw?: string } = '') {
    this.update(input);
  }

  static parse(text: string): Url {
    return new Url(text);
  }
  static isUrl(obj: unknown): boolean {
    return obj instanceof Url;
  }

  update(input: string | { raw?: string }): void {
    // as Insomnia's Url (urls.ts): the query is split as written, neither decoded nor encoded, so templates survive
    let rest = typeof input === 'string' ? input : (input.raw ?? '');
    const hashAt = rest.indexOf('#');
    this.hash = hashAt >= 0 ? rest.slice(hashAt + 1) : '';
    if (hashAt >= 0) rest = rest.slice(0, hashAt);
    const qAt = rest.indexOf('?');
    const pairs = qAt >= 0 ? rest.slice(qAt + 1).split('&').filter(Boolean) : [];
    this.query = new PropertyList(
      pairs.map((pair) => {
        const eq = pair.indexOf('=');
        return new QueryParam({ key: eq < 0 ? pair : pair.slice(0, eq), value: eq < 0 ? '' : pair.slice(eq + 1) });
      }),
    );
    if (qAt >= 0) rest = rest.slice(0, qAt);
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
    this.protocol = scheme ? scheme[1] : '';
    if (scheme) rest = rest.slice(scheme[0].length);
    const slash = rest.indexOf('/');
    let authority = slash >= 0 ? rest.slice(0, slash) : rest;
    const pathText = slash >= 0 ? rest.slice(slash + 1) : '';
    const at = authority.lastIndexOf('@');
    if (at >= 0 && !authority.slice(0, at).includes('{{')) {
      const [username, password = ''] = authority.slice(0, at).split(':');
      this.auth = { username, password };
      authority = authority.slice(at + 1);
    } else {
      this.auth = undefined;
    }
    const port = /:(\d+)$/.exec(authority);
    this.port = port ? port[1] : '';
    if (port) authority = authority.slice(0, -port[0].length);
    this.host = authority ? authority.split('.') : [];
    this.path = slash >= 0 ? pathText.split('/') : [];
  }

  getHost(): string {
    return this.host.join('.');
  }
  getPath(): string {
    return `/${this.path.join('/')}`;
  }
  /** The query as Insomnia writes it back: `key=value` (just `key` for an empty value), as given. */
  getQueryString(): string {
    return this.query
      .filter((q) => !q.disabled)
      .map((q) => (q.value ? `${q.key}=${q.value}` : q.key))
      .join('&');
  }
  getPathWithQuery(): string {
    const q = this.getQueryString();
    return this.getPath() + (q ? `?${q}` : '');
  }
  getRemote(forcePort = false): string {
    const port = this.port || (forcePort ? (this.protocol === 'https' ? '443' : '80') : '');
    return this.getHost() + (port ? `:${port}` : '');
  }
  addQueryParams(params: { key: string; value: string }[] | string): void {
    const list = typeof params === 'string' ? QueryParam.parse(params) : params;
    for (const p of list) this.query.add(new QueryParam(p));
  }
  removeQueryParams(params: string | string[] | QueryParam[]): void {
    const keys = (Array.isArray(params) ? params : [params]).map((p) => (typeof p === 'string' ? p : p.key));
    this.query.remove((q) => keys.includes(q.key));
  }
  toString(forceProtocol?: boolean): string {
    let out = this.protocol ? `${this.protocol}://` : forceProtocol ? 'http://' : '';
    if (this.auth) out += `${this.auth.username}${this.auth.password ? `:${this.auth.password}` : ''}@`;
    out += this.getRemote();
    if (this.path.length) out += `/${this.path.join('/')}`;
    const q = this.getQueryString();
    if (q) out += `?${q}`;
    if (this.hash) out += `#${this.hash}`;
    return out;
  }
  toJSON(): string {
    return this.toString();
  }
}

// ------------------------------------------------------------------------------------------------------------------
// body and auth

export type BodyMode = undefined | 'raw' | 'urlencoded' | 'formdata' | 'file' | 'graphql';

export interface BodyOptions {
  mode?: BodyMode;
  raw?: string;
  urlencoded?: { key: string; value: string; type?: string; disabled?: boolean }[] | string;
  formdata?: { key: string; value: string; type?: string; disabled?: boolean; src?: string }[];
  file?: string;
  graphql?: { query: string; operationName?: string; variables?: unknown };
}

export class FormParam implements Keyed {
  key: string;
  value: string;
  type?: string;
  disabled?: boolean;
  src?: string;

  constructor(o: { key: string; value?: unknown; type?: string; disabled?: boolean; src?: string }) {
    this.key = o.key;
    this.value = o.value === undefined || o.value === null ? '' : String(o.value);
    this.type = o.type;
    this.disabled = o.disabled;
    this.src = o.src;
  }
  toString(): string {
    return `${encodeURIComponent(this.key)}=${encodeURIComponent(this.value)}`;
  }
  valueOf(): string {
    return this.value;
  }
  toJSON(): Record<string, unknown> {
    return { key: this.key, value: this.value, type: this.type };
  }
}

/** `insomnia.request.body` (request.ts `RequestBody`): one mode and its data; `update()` replaces it. */
export class RequestBody {
  mode: BodyMode;
  raw?: string;
  urlencoded?: PropertyList<QueryParam>;
  formdata?: PropertyList<FormParam>;
  file?: string;
  graphql?: { query: string; operationName?: string; variables?: unknown };
  /** the model body's mime type, kept when the script does not change the mode. */
  private readonly mimeType?: string | null;

  constructor(opts: BodyOptions, mimeType?: string | null) {
    this.mimeType = mimeType;
    this.mode = undefined;
    this.update(opts);
  }

  update(opts: BodyOptions | string): void {
    const o: BodyOptions = typeof opts === 'string' ? { mode: 'raw', raw: opts } : opts;
    this.mode = o.mode;
    this.raw = o.raw;
    this.file = o.file;
    this.graphql = o.graphql;
    this.urlencoded =
      o.urlencoded === undefined
        ? undefined
        : new PropertyList(typeof o.urlencoded === 'string' ? QueryParam.parse(o.urlencoded).map((p) => new QueryParam(p)) : o.urlencoded.map((p) => new QueryParam(p)));
    this.formdata = o.formdata === undefined ? undefined : new PropertyList(o.formdata.map((p) => new FormParam(p)));
  }

  isEmpty(): boolean {
    switch (this.mode) {
      case 'raw': return !this.raw;
      case 'urlencoded': return !this.urlencoded || this.urlencoded.count() === 0;
      case 'formdata': return !this.formdata || this.formdata.count() === 0;
      case 'file': return !this.file;
      case 'graphql': return !this.graphql;
      default: return true;
    }
  }

  toString(): string {
    switch (this.mode) {
      case 'raw': return this.raw ?? '';
      case 'urlencoded': return this.urlencoded?.toString() ?? '';
      case 'graphql': return JSON.stringify(this.graphql ?? {});
      case 'file': return this.file ?? '';
      default: return '';
    }
  }

  toJSON(): Record<string, unknown> {
    return { mode: this.mode, raw: this.raw, urlencoded: this.urlencoded?.toJSON(), formdata: this.formdata?.toJSON(), file: this.file, graphql: this.graphql };
  }

  /** Back to Insomnia's body (request.ts `mergeRequestBody`): the model's mime type is kept when it had one. */
  toModel(): ModelBody {
    const byMode: Record<string, string> = {
      raw: 'text/plain',
      file: 'application/octet-stream',
      formdata: 'multipart/form-data',
      urlencoded: 'application/x-www-form-urlencoded',
      graphql: 'application/json',
    };
    const mimeType = this.mimeType || (this.mode ? byMode[this.mode] : undefined);
    const out: ModelBody = {};
    if (mimeType) out.mimeType = mimeType;
    if (this.mode === 'raw') out.text = this.raw ?? '';
    else if (this.mode === 'graphql') out.text = JSON.stringify(this.graphql ?? {});
    else if (this.mode === 'file') out.fileName = this.file ?? '';
    else if (this.mode === 'urlencoded') out.params = (this.urlencoded?.all() ?? []).map((p) => ({ name: p.key, value: p.value, ...(p.disabled ? { disabled: true } : {}) }));
    else if (this.mode === 'formdata') {
      out.params = (this.formdata?.all() ?? []).map((p) =>
        p.type === 'file' ? { name: p.key, value: '', type: 'file', fileName: p.src ?? p.value } : { name: p.key, value: p.value, ...(p.disabled ? { disabled: true } : {}) },
      );
    }
    return out;
  }
}

/** The model body as the script sees it (request.ts `toScriptRequestBody`, with multipart kept as formdata). */
export function toBodyOptions(body: ModelBody): BodyOptions {
  const mime = (body.mimeType ?? '').toLowerCase();
  if (mime === 'multipart/form-data') {
    return { mode: 'formdata', formdata: (body.params ?? []).map((p) => ({ key: p.name, value: p.value, type: p.type, disabled: p.disabled, src: p.fileName })) };
  }
  if (body.text !== undefined) {
    if (mime === 'application/graphql') {
      try {
        return { mode: 'graphql', graphql: JSON.parse(body.text) as BodyOptions['graphql'] };
      } catch {
        return { mode: 'raw', raw: body.text };
      }
    }
    return { mode: 'raw', raw: body.text };
  }
  if (body.fileName) return { mode: 'file', file: body.fileName };
  if (body.params !== undefined) return { mode: 'urlencoded', urlencoded: body.params.map((p) => ({ key: p.name, value: p.value, type: p.type, disabled: p.disabled })) };
  return { mode: undefined };
}

/** Insomnia's auth types in the script's (Postman's) names, and the fields that are named differently. */
const AUTH_TYPE_TO_SCRIPT: Record<string, string> = { none: 'noauth', iam: 'awsv4' };
const AUTH_FIELD_TO_SCRIPT: Record<string, Record<string, string>> = {
  apikey: { addTo: 'in' },
  oauth1: { tokenKey: 'token' },
  iam: { accessKeyId: 'accessKey', secretAccessKey: 'secretKey' },
};

type AuthParams = { key: string; value: string }[];

/** `insomnia.request.auth` (auth.ts `RequestAuth`): a type and its parameters as key/value rows. */
export class RequestAuth {
  type: string;
  private readonly options = new Map<string, Map<string, string>>();

  constructor(options: Record<string, unknown> & { type: string }) {
    this.type = options.type;
    for (const [k, v] of Object.entries(options)) if (k !== 'type' && Array.isArray(v)) this.options.set(k, toParamMap(v as AuthParams));
  }

  static isValidType(type: string): boolean {
    return ['noauth', 'basic', 'bearer', 'jwt', 'digest', 'oauth1', 'oauth2', 'hawk', 'awsv4', 'ntlm', 'apikey', 'edgegrid', 'asap', 'netrc'].includes(type);
  }

  parameters(): PropertyList<{ key: string; value: string }> {
    return new PropertyList([...(this.options.get(this.type) ?? new Map()).entries()].map(([key, value]) => ({ key, value })));
  }

  clear(type: string): void {
    this.options.delete(type);
  }

  update(options: AuthParams | Record<string, unknown>, type?: string): void {
    const t = type ?? this.type;
    const map = Array.isArray(options) ? toParamMap(options) : toParamMap((options as Record<string, unknown>)[t] as AuthParams | undefined ?? Object.entries(options).filter(([k]) => k !== 'type').map(([key, value]) => ({ key, value: String(value) })));
    this.type = t;
    this.options.set(t, map);
  }

  use(type: string, options: AuthParams | Record<string, unknown>): void {
    if (!RequestAuth.isValidType(type)) throw new Error(`invalid type (${type}), it must be noauth | basic | bearer | jwt | digest | oauth1 | oauth2 | hawk | awsv4 | ntlm | apikey | edgegrid | asap.`);
    this.update(options, type);
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { type: this.type };
    const params = this.options.get(this.type);
    if (params && this.type !== 'noauth') out[this.type] = [...params.entries()].map(([key, value]) => ({ key, value }));
    return out;
  }

  /** Back to Insomnia's auth (auth.ts `fromPreRequestAuth`). */
  toModel(): Authentication {
    const scriptType = this.type;
    const type = Object.keys(AUTH_TYPE_TO_SCRIPT).find((k) => AUTH_TYPE_TO_SCRIPT[k] === scriptType) ?? scriptType;
    if (type === 'none') return { type: 'none', disabled: true };
    const renames = AUTH_FIELD_TO_SCRIPT[type] ?? {};
    const out: Authentication = { type };
    for (const [key, value] of this.options.get(scriptType) ?? new Map<string, string>()) {
      const field = Object.keys(renames).find((k) => renames[k] === key) ?? key;
      out[field] = key === 'disabled' || key === 'useISO88591' || key === 'usePkce' || key === 'credentialsInBody' ? value === 'true' : value;
    }
    return out;
  }
}

function toParamMap(rows: AuthParams | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const r of rows ?? []) if (r && typeof r.key === 'string') map.set(r.key, r.value === undefined || r.value === null ? '' : String(r.value));
  return map;
}

/** The model's auth as the script sees it (auth.ts `toPreRequestAuth`). */
export function toAuthOptions(auth: Authentication): Record<string, unknown> & { type: string } {
  if (!auth || !auth.type || auth.type === 'none') return { type: 'noauth' };
  const type = auth.type;
  const scriptType = AUTH_TYPE_TO_SCRIPT[type] ?? type;
  const renames = AUTH_FIELD_TO_SCRIPT[type] ?? {};
  const rows: AuthParams = [{ key: 'disabled', value: auth.disabled ? 'true' : 'false' }];
  for (const [k, v] of Object.entries(auth)) {
    if (k === 'type' || k === 'disabled') continue;
    rows.push({ key: renames[k] ?? k, value: v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v) });
  }
  return { type: scriptType, [scriptType]: rows };
}

// ------------------------------------------------------------------------------------------------------------------
// request and response

export interface RequestOptions {
  name?: string;
  url: string | Url;
  method?: string;
  header?: { key: string; value: string; disabled?: boolean }[];
  body?: BodyOptions;
  auth?: Record<string, unknown> & { type: string };
}

/** `insomnia.request` (request.ts `Request`). */
export class Request {
  id: string;
  name: string;
  url: Url;
  method: string;
  headers: HeaderList;
  body?: RequestBody;
  auth: RequestAuth;
  pathParameters: KeyValue[];

  constructor(options: RequestOptions | string, mimeType?: string | null) {
    const o: RequestOptions = typeof options === 'string' ? { url: options } : options;
    this.id = '';
    this.name = o.name ?? '';
    this.url = o.url instanceof Url ? o.url : new Url(String(o.url ?? ''));
    this.method = (o.method ?? 'GET').toUpperCase();
    this.headers = new HeaderList((o.header ?? []).map((h) => new Header(h)));
    this.body = o.body ? new RequestBody(o.body, mimeType) : undefined;
    this.auth = new RequestAuth(o.auth ?? { type: 'noauth' });
    this.pathParameters = [];
  }

  static isRequest(obj: unknown): boolean {
    return obj instanceof Request;
  }

  addHeader(header: { key: string; value: string } | string): void {
    this.headers.add(new Header(header));
  }
  upsertHeader(header: { key: string; value: string }): void {
    this.headers.upsert(new Header(header));
  }
  removeHeader(name: string | Header, options?: { ignoreCase?: boolean }): void {
    const key = typeof name === 'string' ? name : name.key;
    this.headers.remove((h) => (options?.ignoreCase === false ? h.key === key : h.key.toLowerCase() === key.toLowerCase()));
  }
  getHeaders(options?: { ignoreCase?: boolean; enabled?: boolean }): Record<string, string> {
    const out: Record<string, string> = {};
    for (const h of this.headers.all()) {
      if (options?.enabled && h.disabled) continue;
      out[options?.ignoreCase ? h.key.toLowerCase() : h.key] = h.value;
    }
    return out;
  }
  forEachHeader(fn: (h: Header) => void): void {
    this.headers.each(fn);
  }
  addQueryParams(params: { key: string; value: string }[] | string): void {
    this.url.addQueryParams(params);
  }
  removeQueryParams(params: string | string[]): void {
    this.url.removeQueryParams(params);
  }
  authorizeUsing(type: string | (Record<string, unknown> & { type: string }), options?: AuthParams): void {
    if (typeof type === 'string') this.auth.use(type, options ?? []);
    else this.auth = new RequestAuth(type);
  }
  update(options: RequestOptions): void {
    const next = new Request(options);
    this.name = next.name || this.name;
    this.url = next.url;
    this.method = next.method;
    this.headers = next.headers;
    this.body = next.body;
    this.auth = next.auth;
  }
  clone(): Request {
    const copy = new Request({ name: this.name, url: this.url.toString(), method: this.method, header: this.headers.toJSON() as { key: string; value: string }[], auth: this.auth.toJSON() as { type: string } });
    copy.body = this.body ? new RequestBody(this.body.toJSON() as BodyOptions) : undefined;
    return copy;
  }
  toJSON(): Record<string, unknown> {
    return { name: this.name, url: this.url.toString(), method: this.method, header: this.headers.toJSON(), body: this.body?.toJSON(), auth: this.auth.toJSON() };
  }
}

/** The model request as `insomnia.request` (insomnia.ts `initInsomniaObject`): query parameters fold into the URL. */
export function toScriptRequest(data: ScriptRequestData): Request {
  const req = new Request(
    {
      name: data.name,
      url: data.url,
      method: data.method,
      header: data.headers.map((h) => ({ key: h.name, value: h.value, disabled: h.disabled })),
      body: toBodyOptions(data.body),
      auth: toAuthOptions(data.authentication),
    },
    data.body.mimeType,
  );
  req.url.addQueryParams(data.parameters.filter((p) => !p.disabled).map((p) => ({ key: p.name, value: p.value })));
  req.id = data.id;
  req.pathParameters = [...data.pathParameters];
  return req;
}

/** Back to the data the host sends (request.ts `mergeRequests`): the query lives in the URL, parameters are empty. */
export function fromScriptRequest(req: Request, original: ScriptRequestData): ScriptRequestData {
  return {
    id: original.id,
    name: req.name,
    method: req.method,
    url: req.url.toString(),
    headers: req.headers.all().map((h) => ({ name: h.key, value: h.value, ...(h.disabled ? { disabled: true } : {}) })),
    parameters: [],
    pathParameters: req.pathParameters,
    body: req.body ? req.body.toModel() : original.body,
    authentication: req.auth.toModel(),
  };
}

const REASONS: Record<number, string> = {
  100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content',
  205: 'Reset Content', 206: 'Partial Content', 300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
  307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 411: 'Length Required',
  412: 'Precondition Failed', 413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type', 418: "I'm a Teapot", 422: 'Unprocessable Entity',
  425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout', 505: 'HTTP Version Not Supported',
};

/** Deep equality for `response.to.have.jsonBody` (strict, as deep-equal's strict mode). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** `insomnia.response` (response.ts `Response`). */
export class Response {
  code: number;
  status: string;
  headers: HeaderList;
  body: string;
  responseTime: number;
  private readonly bytes: number;

  constructor(data: ScriptResponseData, private readonly validateSchema?: (schema: unknown, value: unknown) => boolean) {
    this.code = data.code;
    this.status = data.status || REASONS[data.code] || '';
    this.headers = new HeaderList(data.headers.map(([key, value]) => new Header({ key, value })));
    this.body = data.body;
    this.responseTime = data.responseTime;
    this.bytes = data.size;
  }

  static isResponse(obj: unknown): boolean {
    return obj instanceof Response;
  }
  json(reviver?: (key: string, value: unknown) => unknown): unknown {
    try {
      return JSON.parse(this.body, reviver as never);
    } catch (e) {
      throw new Error(`json: failed to parse: ${e}`);
    }
  }
  text(): string {
    return this.body;
  }
  reason(): string {
    return this.status;
  }
  size(): number {
    return this.bytes;
  }
  contentInfo(): { mimeType: string; charset: string; contentType: string; fileExtension: string; fileName: string; mimeFormat: string } {
    const ct = String(this.headers.get('Content-Type') ?? '');
    const [mime, ...rest] = ct.split(';').map((s) => s.trim());
    const charset = rest.find((d) => d.startsWith('charset='))?.slice(8) ?? 'utf-8';
    const disp = String(this.headers.get('Content-Disposition') ?? '');
    const file = /filename="?([^";]+)"?/.exec(disp)?.[1] ?? '';
    const dot = file.lastIndexOf('.');
    return {
      mimeType: mime || 'application/octet-stream',
      mimeFormat: '',
      charset,
      contentType: ct || 'application/octet-stream',
      fileExtension: dot >= 0 ? file.slice(dot + 1) : '',
      fileName: dot >= 0 ? file.slice(0, dot) : file || 'unknown',
    };
  }

  /** `insomnia.response.to.have.status(200)`, `.to.not.have.header(...)`: Insomnia's extensions of chai's chains. */
  get to(): Record<string, unknown> {
    const verify = (got: unknown, expected: unknown, equal: boolean): void => {
      const same = typeof got === 'object' && got !== null ? deepEqual(got, expected) : got === expected;
      if (same !== equal) throw new Error(`"${typeof got === 'object' ? JSON.stringify(got) : got}" is ${equal ? 'not equal' : 'equal'} to the expected value: "${typeof expected === 'object' ? JSON.stringify(expected) : expected}"`);
    };
    const chains = (equal: boolean) => ({
      status: (expected: number | string) => (typeof expected === 'string' ? verify(this.status, expected, equal) : verify(this.code, expected, equal)),
      header: (name: string) => verify(this.headers.has(name), true, equal),
      body: (expected: string) => verify(this.text(), expected, equal),
      jsonBody: (expected: unknown) => verify(this.json(), expected, equal),
      jsonSchema: (schema: unknown) => {
        if (!this.validateSchema) throw new Error('jsonSchema: no JSON schema validator');
        const ok = this.validateSchema(schema, this.json());
        if (ok !== equal) throw new Error(equal ? "Response's schema is not equal to the expected value" : "Response's schema is equal to the expected value");
      },
    });
    return { have: chains(true), not: { have: chains(false) } };
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, status: this.status, header: this.headers.toJSON(), body: this.body, responseTime: this.responseTime };
  }
}

/** `insomnia.execution` (execution.ts). */
export class Execution {
  readonly location: string[] & { current?: string };
  private skip: boolean;
  private next: string;

  constructor(location: readonly string[], state?: ExecutionState) {
    const loc = [...location] as string[] & { current?: string };
    Object.defineProperty(loc, 'current', { get: () => (loc.length ? loc[loc.length - 1] : ''), enumerable: false });
    this.location = loc;
    this.skip = state?.skipRequest ?? false;
    this.next = state?.nextRequestIdOrName ?? '';
  }

  skipRequest = (): void => {
    this.skip = true;
  };
  setNextRequest = (idOrName: string): void => {
    this.next = idOrName;
  };
  toObject = (): ExecutionState => ({ skipRequest: this.skip, nextRequestIdOrName: this.next });
}
