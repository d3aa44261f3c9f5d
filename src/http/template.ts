// Insomnia-compatible templates: nunjucks with the render context at the root and under `_`, and the built-in tags
// uuid, now, base64, hash, prompt and response. An unknown tag or variable is an HttpError('TemplateError') naming it.
import * as crypto from 'node:crypto';
import * as nunjucks from 'nunjucks';
import { JSONPath } from 'jsonpath-plus';
import type { Collection, Environment, Folder, HttpRequest } from '../collections/model';
import { ancestorFolders } from '../collections/itemPath';
import { HttpError } from './httpError';
import { hardenNunjucks } from './templateGuard';
import type { RenderHooks } from './types';

// where an item sits is the collections layer's (itemPath.ts); the HTTP engine's importers keep finding it here
export { ancestorFolders };

export type RenderContext = Record<string, unknown>;

// a collection's templates are untrusted (a pull request's): no way from them to the Function constructor
hardenNunjucks(nunjucks);

const MAX_ENV_RENDER_DEPTH = 8;

export function findHttpRequest(collection: Collection, requestId: string): HttpRequest | undefined {
  const found = ancestorFolders(collection, requestId);
  return found && found.item.kind === 'request' ? found.item : undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Deep merge (later wins; objects merged key by key, arrays and scalars replaced). A top-level value that uses its
 * own name (`base_url: "{{ _.base_url }}/v2"` in a folder) takes the value it replaces in its place, as Insomnia
 * renders such a value against the environments before it (common/render.ts, renderSubContext).
 */
function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>, top = true): void {
  for (const [key, value] of Object.entries(source)) {
    // `__proto__` as a key (JSON from a file or a script makes it an own property) would set the merged object's
    // prototype instead: no template can name it anyway
    if (key === '__insomnia_vault' || key === '__proto__') continue;
    const prev = target[key];
    if (isPlainObject(prev) && isPlainObject(value)) {
      const copy = { ...prev };
      mergeInto(copy, value, false);
      target[key] = copy;
    } else if (top && typeof value === 'string' && (typeof prev === 'string' || typeof prev === 'number' || typeof prev === 'boolean') && value.includes('{{')) {
      target[key] = value.replace(ownUse(key), () => String(prev));
    } else {
      target[key] = isPlainObject(value) ? structuredClone(value) : value;
    }
  }
}

/** `{{ name }}` or `{{ _.name }}`, nothing more in the braces. */
function ownUse(name: string): RegExp {
  return new RegExp(`\\{\\{-?\\s*(?:_\\.)?${name.replace(/[$.*+?^()[\]{}|\\]/g, '\\$&')}\\s*-?\\}\\}`, 'g');
}

/** The top-level names a template uses (`{{ a }}`, `{{ _.a.b }}`, `{{ a | upper }}`: a). */
function usedNames(text: string): string[] {
  return [...text.matchAll(/\{\{-?\s*(?:_\.)?([A-Za-z_$][\w$]*)/g)].map((m) => m[1]);
}

/**
 * A cycle of variables `name` leads to (`a -> b -> a`; `a -> a` for one that uses itself), following the names each
 * value uses in `root`; undefined when there is none.
 */
function cycleFrom(name: string, root: Record<string, unknown>, path: string[] = [], clear = new Set<string>()): string[] | undefined {
  const at = path.indexOf(name);
  if (at >= 0) return [...path.slice(at), name];
  const value = Object.prototype.hasOwnProperty.call(root, name) ? root[name] : undefined;
  // (`clear`: names already followed to the end without a cycle: each is walked once)
  if (clear.has(name) || typeof value !== 'string' || !value.includes('{{')) return undefined;
  for (const used of new Set(usedNames(value))) {
    const cycle = cycleFrom(used, root, [...path, name], clear);
    if (cycle) return cycle;
  }
  clear.add(name);
  return undefined;
}

/** The error a template using a variable of a cycle gets: which variables, the cycle from the first of them in the environment, where. */
function cycleError(cycle: readonly string[], root: Record<string, unknown>, where: string): HttpError {
  const members = cycle.slice(0, -1);
  const first = Math.max(0, members.indexOf(Object.keys(root).find((k) => members.includes(k)) ?? ''));
  const ordered = [...members.slice(first), ...members.slice(0, first)];
  const names = ordered.map((n) => `"${n}"`);
  const who = names.length === 1 ? `Variable ${names[0]} refers to itself` : `Variables ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} refer to each other`;
  const fix = names.length === 1 ? 'give it a value that does not use itself' : 'give one of them a value that does not use the others';
  return new HttpError('TemplateError', `${who} (${[...ordered, ordered[0]].join(' -> ')}) in ${where}: ${fix}.`, where);
}

/** What besides the collection's files a render sees: the vault (`{{ vault.<name> }}`), kept outside the repository. */
export interface RenderExtras {
  readonly vault?: Readonly<Record<string, string>>;
  /** `insomnia.globals` (what scripts set), under every environment. */
  readonly globals?: Readonly<Record<string, unknown>>;
  /** the folders above the request, outermost first, when the caller knows them already (else they are looked up). */
  readonly folders?: readonly Folder[];
}

/**
 * The variables a request sees: base environment, then the active sub-environment (its id, or the environment itself
 * for one that is in no file: a private environment), then the folder environments from outermost to innermost (later
 * wins), all over the globals (what scripts set with `insomnia.globals`, Insomnia's global environment). Values that are templates (`{{ ... }}`) are rendered against the merged context (recursively, at most a few
 * rounds; tags are left as they are). Exposed at the root and under `_`; the vault as `vault`.
 */
export function buildRenderContext(collection: Collection, requestId: string, active?: string | Environment, extras: RenderExtras = {}): RenderContext {
  const merged: Record<string, unknown> = {};
  // Insomnia's order (common/render.ts getRenderContext): the global environment first, later ones win
  if (extras.globals) mergeInto(merged, extras.globals);
  const base = collection.baseEnvironment;
  if (base) mergeInto(merged, base.data ?? {});
  const sub = typeof active === 'object' ? active : active && base ? base.subEnvironments.find((e) => e.id === active) : undefined;
  if (sub) mergeInto(merged, sub.data ?? {});
  for (const folder of extras.folders ?? ancestorFolders(collection, requestId)?.folders ?? []) mergeInto(merged, folder.environment ?? {});
  const vault = extras.vault ? { ...extras.vault } : undefined;
  // the variables of a cycle keep their values as written: rendered, they would grow or swap round after round;
  // a template that uses one says so (renderTemplate)
  // (most environments hold no template at all: nothing to look for cycles in, nothing to render)
  if (holdsVariable(merged)) {
    const clear = new Set<string>();
    const cyclic = new Set(Object.keys(merged).filter((k) => cycleFrom(k, merged, [], clear)?.[0] === k));
    resolveEnvTemplates(merged, vault, cyclic, tagVariables(merged).group);
  }
  return vault ? { ...merged, _: merged, vault } : { ...merged, _: merged };
}

const VAR_ONLY = /\{\{/;

/** Whether a string anywhere in `node` (values, nested objects and arrays) uses a variable (`{{`). */
function holdsVariable(node: Record<string, unknown> | unknown[], syntax = VAR_ONLY): boolean {
  for (const key of Object.keys(node)) {
    const value = (node as Record<string, unknown>)[key];
    if (typeof value === 'string' ? syntax.test(value) : !!value && typeof value === 'object' && holdsVariable(value as Record<string, unknown>, syntax)) return true;
  }
  return false;
}

let envValueEnv: nunjucks.Environment | undefined;

/**
 * Renders the values that use other variables (`greeting: "hi {{ user }}"`), in place. A value that uses a variable
 * leading to a tag (`a: "{{ ts }}"`, `ts: "{% now 'millis' %}"`) is kept as written: rendered here it would hold a copy
 * of the tag's text, and each use would run the tag again; kept, its use renders `ts` once per Send (withTagValues).
 */
function resolveEnvTemplates(root: Record<string, unknown>, vault: Record<string, string> | undefined, cyclic: ReadonlySet<string>, leading: ReadonlyMap<string, number>): void {
  // strict: a value that uses a variable not defined (yet) stays a template, so its use names what is missing
  envValueEnv ??= new nunjucks.Environment([], { autoescape: false, throwOnUndefined: true });
  const env = envValueEnv;
  for (let round = 0; round < MAX_ENV_RENDER_DEPTH; round++) {
    let changed = false;
    const ctx = vault ? { ...root, _: root, vault } : { ...root, _: root };
    const walk = (node: Record<string, unknown> | unknown[]): void => {
      for (const key of Object.keys(node)) {
        if (node === root && cyclic.has(key)) continue;
        const value = (node as Record<string, unknown>)[key];
        if (typeof value === 'string' && VAR_ONLY.test(value) && !value.includes('{%') && !(leading.size && mentionsAny(value, leading))) {
          let out: string;
          try {
            out = compiled(env, value).render(ctx);
          } catch {
            continue;
          }
          if (out !== value) {
            (node as Record<string, unknown>)[key] = out;
            changed = true;
          }
        } else if (value && typeof value === 'object') {
          walk(value as Record<string, unknown>);
        }
      }
    };
    walk(root);
    if (!changed) return;
  }
}

/** Decodes Insomnia's `b64::<base64>::46b` encoded tag arguments; other values pass through. */
export function decodeTagArg(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const m = /^b64::(.*)::46b$/s.exec(value);
  return m ? Buffer.from(m[1], 'base64').toString('utf8') : value;
}

type TagFn = (hooks: RenderHooks, args: unknown[]) => Promise<string> | string;

function uuidV1(): string {
  // RFC 4122 v1 layout with a random node id (no MAC address is exposed).
  const now = BigInt(Date.now()) * 10000n + 0x01b21dd213814000n;
  const timeLow = (now & 0xffffffffn).toString(16).padStart(8, '0');
  const timeMid = ((now >> 32n) & 0xffffn).toString(16).padStart(4, '0');
  const timeHi = (((now >> 48n) & 0x0fffn) | 0x1000n).toString(16).padStart(4, '0');
  const rnd = crypto.randomBytes(8);
  rnd[0] = (rnd[0] & 0x3f) | 0x80;
  rnd[2] |= 0x01;
  const hex = rnd.toString('hex');
  return `${timeLow}-${timeMid}-${timeHi}-${hex.slice(0, 4)}-${hex.slice(4, 16)}`;
}

function formatNow(kind: string, custom: string): string {
  const d = new Date();
  switch (kind) {
    case 'millis':
    case 'ms':
      return String(d.getTime());
    case 'unix':
    case 'seconds':
    case 's':
      return String(Math.round(d.getTime() / 1000));
    case 'custom':
      return custom
        .replace(/YYYY/g, String(d.getFullYear()))
        .replace(/MM/g, String(d.getMonth() + 1).padStart(2, '0'))
        .replace(/DD/g, String(d.getDate()).padStart(2, '0'))
        .replace(/HH/g, String(d.getHours()).padStart(2, '0'))
        .replace(/mm/g, String(d.getMinutes()).padStart(2, '0'))
        .replace(/ss/g, String(d.getSeconds()).padStart(2, '0'));
    default:
      return d.toISOString();
  }
}

const TAGS: Record<string, TagFn> = {
  uuid: (_h, [kind]) => (String(kind ?? 'v4') === 'v1' ? uuidV1() : crypto.randomUUID()),
  now: (_h, [kind, custom]) => formatNow(String(kind ?? 'iso-8601'), String(custom ?? '')),
  base64: (_h, [action, kind, value]) => {
    const text = String(value ?? '');
    const k = String(kind ?? 'normal');
    if (String(action) === 'decode') {
      if (k === 'hex') return Buffer.from(text, 'hex').toString('utf8');
      return Buffer.from(text, k === 'url' ? 'base64url' : 'base64').toString('utf8');
    }
    if (k === 'hex') return Buffer.from(text, 'utf8').toString('hex');
    return Buffer.from(text, 'utf8').toString(k === 'url' ? 'base64url' : 'base64');
  },
  hash: (_h, [algorithm, encoding, value]) => {
    const alg = String(algorithm ?? 'md5');
    if (!['md5', 'sha1', 'sha256', 'sha512'].includes(alg)) throw new Error(`unknown hash algorithm "${alg}"`);
    const enc = String(encoding ?? 'hex') === 'base64' ? 'base64' : 'hex';
    return crypto.createHash(alg).update(String(value ?? ''), 'utf8').digest(enc);
  },
  prompt: async (hooks, [title, label, defaultValue]) => {
    if (!hooks.prompt) throw new Error('prompts are not available here');
    const answer = await hooks.prompt(String(title ?? ''), String(label ?? ''), String(defaultValue ?? ''));
    if (answer === undefined) throw new HttpError('Cancelled', `Prompt "${String(title ?? '')}" was cancelled.`);
    return answer;
  },
  response: async (hooks, [field, requestId, filter]) => {
    const f = String(field ?? 'body');
    if (!['body', 'header', 'raw', 'url'].includes(f)) throw new Error(`unknown response field "${f}"`);
    if (!requestId) throw new Error('the response tag names no request');
    if (!hooks.response) throw new Error('responses of other requests are not available here');
    const decoded = String(decodeTagArg(filter) ?? '');
    const value = await hooks.response(String(requestId), f as 'body' | 'header' | 'raw' | 'url', decoded);
    if (f === 'body' && decoded) return applyJsonPath(value, decoded);
    return value;
  },
};

/** Applies a JSONPath filter to JSON text the way Insomnia's response tag does (one match: its value; else an error). */
export function applyJsonPath(jsonText: string, filter: string): string {
  let json: unknown;
  try {
    json = JSON.parse(jsonText);
  } catch {
    throw new Error('the response body is not JSON, so a JSONPath filter cannot apply');
  }
  const results = JSONPath({ path: filter, json: json as object, wrap: true }) as unknown[];
  if (results.length === 0) throw new Error(`JSONPath "${filter}" matched nothing`);
  if (results.length > 1) throw new Error(`JSONPath "${filter}" matched ${results.length} values; it must match one`);
  const v = results[0];
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export const TAG_NAMES: readonly string[] = Object.keys(TAGS);

interface RenderState {
  hooks: RenderHooks;
  missing: string[];
  /** the field rendered, for messages. */
  where: string;
  failure?: HttpError;
}

class TagExtension {
  readonly tags: string[];
  constructor(private readonly tagName: string, private readonly fn: TagFn) {
    this.tags = [tagName];
  }
  parse(parser: any, nodes: any, lexer: any): unknown {
    const tok = parser.nextToken();
    // `{% uuid %}`: no arguments. nunjucks' parseSignature gives an empty list, and the call it compiles then does not
    // parse ("Unexpected token ','"); Insomnia's tags (base-extension.ts) pass one empty argument instead, as here
    let args;
    if (parser.peekToken().type === lexer.TOKEN_BLOCK_END) {
      args = new nodes.NodeList(tok.lineno, tok.colno);
      args.addChild(new nodes.Literal(tok.lineno, tok.colno, ''));
    } else {
      args = parser.parseSignature(null, true);
    }
    parser.advanceAfterBlockEnd(tok.value);
    return new nodes.CallExtensionAsync(this, 'run', args);
  }
  run(context: { ctx: Record<string, unknown> }, ...rest: unknown[]): void {
    const callback = rest.pop() as (err: unknown, out?: string) => void;
    const state = context.ctx[STATE] as RenderState | undefined;
    const hooks = state?.hooks ?? {};
    // an argument that is a variable nobody defined: named, as `{{ nope }}` is, not given to the tag as nothing
    if (state && rest.some((a) => a === undefined || a === null)) {
      const name = state.missing.filter((m) => m !== '_').pop();
      if (name) {
        state.failure = new HttpError('TemplateError', `Unknown variable "${name.replace(/^_\./, '')}" in ${state.where} (given to {% ${this.tagName} %}): define it in the environment or a folder's environment.`, state.where);
        callback(state.failure);
        return;
      }
    }
    Promise.resolve()
      .then(() => this.fn(hooks, rest.map(decodeTagArg)))
      .then(
        (out) => callback(null, new nunjucks.runtime.SafeString(out) as unknown as string),
        (err: unknown) => {
          if (err instanceof HttpError) {
            if (state) state.failure = err;
            callback(err);
          }
          else callback(new Error(`{% ${this.tagName} %}: ${err instanceof Error ? err.message : String(err)}`));
        },
      );
  }
}

const STATE = '__hammockRenderState';

// nunjucks copies the context object, so a missing root name is caught where compiled templates look names up.
let lookupPatched = false;
function patchLookup(): void {
  if (lookupPatched) return;
  lookupPatched = true;
  const runtime = nunjucks.runtime as unknown as { contextOrFrameLookup: (context: { ctx: Record<string, unknown> }, frame: unknown, name: string) => unknown };
  const original = runtime.contextOrFrameLookup;
  runtime.contextOrFrameLookup = function (context, frame, name) {
    const value = original(context, frame, name);
    if (value === undefined || value === null) (context?.ctx?.[STATE] as RenderState | undefined)?.missing.push(name);
    return value;
  };
}

let sharedEnv: nunjucks.Environment | undefined;
function environment(): nunjucks.Environment {
  if (!sharedEnv) {
    sharedEnv = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: true });
    for (const [name, fn] of Object.entries(TAGS)) sharedEnv.addExtension(`hammock_${name}`, new TagExtension(name, fn));
  }
  return sharedEnv;
}

/** Wraps the context so lookups of missing names are recorded (nunjucks' own message does not name them). */
function recording(value: Record<string, unknown>, missing: string[], prefix: string): Record<string, unknown> {
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === 'symbol') return Reflect.get(target, key, receiver);
      const v = Reflect.get(target, key, receiver);
      const name = prefix ? `${prefix}.${key}` : key;
      if (v === undefined || v === null) {
        if (!(key in Object.prototype)) missing.push(name);
        return v;
      }
      if (v && typeof v === 'object' && !Array.isArray(v)) return recording(v as Record<string, unknown>, missing, prefix === '' && key === '_' ? '_' : name);
      return v;
    },
  });
}

const PLAIN = /\{[{%#]/;

/**
 * Whether Insomnia gives a text to nunjucks at all: only one with a whole pair of delimiters (`{{`/`}}`, `{%`/`%}` or
 * `{#`/`#}`; Kong/insomnia packages/insomnia/src/templating/index.ts render()). Any other (`{{ a`, a lone `{#`) is sent
 * as typed.
 */
function templated(text: string): boolean {
  return (text.includes('{{') && text.includes('}}')) || (text.includes('{%') && text.includes('%}')) || (text.includes('{#') && text.includes('#}'));
}

// compiled templates, per environment, by text (bounded: cleared when full)
const MAX_COMPILED = 1000;
const compiledCache = new WeakMap<nunjucks.Environment, Map<string, nunjucks.Template>>();
function compiled(env: nunjucks.Environment, text: string): nunjucks.Template {
  let cache = compiledCache.get(env);
  if (!cache) compiledCache.set(env, (cache = new Map()));
  let t = cache.get(text);
  if (!t) {
    if (cache.size >= MAX_COMPILED) cache.clear();
    t = new nunjucks.Template(text, env, undefined, true);
    cache.set(text, t);
  }
  return t;
}

/**
 * Renders one template string. `where` names the field in error messages (e.g. 'url', 'header "X-Id"'). An
 * environment value that holds a tag (`{% uuid %}`), or a variable that only the request's context defines, is
 * rendered when it is used: the output is rendered again once when it holds a tag (as in Insomnia), and a few rounds at
 * most while a variable brought template syntax into it. A text without a whole pair of delimiters is sent as typed.
 */
export function renderTemplate(text: string, context: RenderContext, hooks: RenderHooks = {}, where = 'template'): Promise<string> {
  return renderText(text, context, hooks, where);
}

/** renderTemplate; `within`: the variables of that group (TagVariables.group) are taken as they are written. */
async function renderText(text: string, context: RenderContext, hooks: RenderHooks, where: string, within?: number): Promise<string> {
  const now = renderTemplateNow(text, context);
  if (now !== undefined) return now;
  context = await withTagValues(text, context, hooks, where, within);
  // what `{% raw %}` (or `{% verbatim %}`) holds is sent as written: the rounds below see a stand-in for it, so they do
  // not render it after all (`{% raw %}{{ x }}{% endraw %}`, Insomnia's way to send braces, would fail or be filled in)
  const raws: string[] = [];
  if (/\{%-?\s*(?:raw|verbatim)\b/.test(text)) {
    text = text.replace(RAW_BLOCK, (_m, open: string, _kind: string, body: string, close: string) => `${open}${RAW_MARK}${raws.push(body) - 1}${RAW_MARK}${close}`);
  }
  let out = await renderOnce(text, context, hooks, where);
  // rendered again: an output holding a tag, once, as Insomnia does (common/render.ts render(): "If the variable outputs
  // a tag, render it again"), and while a variable's value brought template syntax in (a missing variable, a cycle: said,
  // never sent as `{{ ... }}`). A `{{` the template itself outputs (`{{ '{{' }}`) is sent as it is, as in Insomnia.
  const first = text;
  let fromValues: boolean | undefined;
  for (let round = 0; round < 3 && out !== text && templated(out) && ((round === 0 && out.includes('{%')) || (fromValues ??= usesSyntaxValue(first, context))); round++) {
    text = out;
    out = await renderOnce(text, context, hooks, where);
  }
  // a variable still there after the rounds, defined: one of a cycle (never sent as `{{ ... }}`)
  if (out.includes('{{')) {
    const root = isPlainObject(context._) ? context._ : context;
    for (const name of usedNames(out)) {
      const cycle = cycleFrom(name, root);
      if (cycle) throw cycleError(cycle, root, where);
    }
  }
  return raws.length ? out.replace(RAW_STAND_IN, (_m, i: string) => raws[Number(i)] ?? '') : out;
}

/**
 * What `renderTemplate` gives for `text`, when that needs no nunjucks and no waiting: a text with no template syntax at
 * all (no `{{`, `{%`, `{#`), as it is; one whose only syntax is `{{ name }}` / `{{ _.a.b }}` outputs that all resolve,
 * filled in, unless the values brought template syntax in (then another round is due). Undefined for anything else
 * (tags, filters, comments, a missing variable, a cycle): renderTemplate renders it (and says what is wrong).
 * Most of a request's fields are one of the two: rendered here in the caller's turn, with no promise.
 */
export function renderTemplateNow(text: string, context: RenderContext): string | undefined {
  if (!templated(text)) return text;
  if (hasOtherSyntax(text)) return undefined;
  const out = renderSimple(text, context);
  return out === undefined || PLAIN.test(out) ? undefined : out;
}

/** a `{% raw %}...{% endraw %}` or `{% verbatim %}...{% endverbatim %}` block: its opening tag, its text, its end. */
const RAW_BLOCK = /(\{%-?\s*(raw|verbatim)\s*-?%\})([\s\S]*?)(\{%-?\s*end\2\s*-?%\})/g;
// (a character no template holds: the stand-in cannot be mistaken for text typed)
const RAW_MARK = '\u0000';
const RAW_STAND_IN = /\u0000(\d+)\u0000/g;

// `{{ name }}`, `{{ _.a.b }}`: the common case, rendered without nunjucks when every name resolves to a value
// (nunjucks' whitespace only, not \s: `{{\u2003a }}` looks up a name "\u2003a")
const SIMPLE_VAR = /\{\{[ \t\n\r\u00a0]*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)[ \t\n\r\u00a0]*\}\}/g;
// names nunjucks reads as literals or an operator, not as variables
const KEYWORD = /^(?:true|false|none|null|not)$/;

function renderSimple(text: string, context: RenderContext): string | undefined {
  let failed = false;
  const out = text.replace(SIMPLE_VAR, (_m, expr: string) => {
    let v: unknown = context;
    for (const key of expr.split('.')) {
      if (v === undefined || v === null || KEYWORD.test(key) || !Object.prototype.hasOwnProperty.call(v, key)) {
        failed = true;
        return '';
      }
      v = (v as Record<string, unknown>)[key];
    }
    if (v === undefined || v === null) failed = true;
    return String(v);
  });
  return failed ? undefined : out;
}

/**
 * true when the text has template syntax other than simple `{{ name.path }}` outputs (tags, comments, filters...), or
 * what nunjucks refuses beside them: a `#}` outside a comment, a `{` right before an output (`{{{ a }}`).
 */
function hasOtherSyntax(text: string): boolean {
  return /\{[%#]|#\}/.test(text) || /\{\{|\{\u0001/.test(text.replace(SIMPLE_VAR, '\u0001'));
}

// per render context (one per Send), the variables holding a tag, rendered: the same value in every field and use
const renderedTagValues = new WeakMap<RenderContext, Map<string, Promise<unknown>>>();

const TAG = /\{%/;

/**
 * The variables holding a tag that renders in `context` gave values to, as they were rendered there (top-level names;
 * an object's value is the object with its tags rendered), undefined when none did; those whose render failed are left
 * out. What a Send sent for a `{% response ... %}` token, for the response history's mask: rendering it again could
 * send a request.
 */
export function tagValuesOf(context: RenderContext): Promise<Record<string, unknown>> | undefined {
  const memo = renderedTagValues.get(context);
  if (!memo) return undefined; // (no tag rendered: nothing to wait for, the usual case)
  return (async () => {
    const out: Record<string, unknown> = {};
    for (const [name, value] of memo) {
      try {
        Object.defineProperty(out, name, { value: await value, enumerable: true, writable: true, configurable: true });
      } catch {
        // its render failed: the Send failed with it, nothing was sent
      }
    }
    return out;
  })();
}

/**
 * `context` with the top-level variables `text` mentions that lead to a tag rendered, once per context: those whose
 * values hold a tag (`id: "{% uuid 'v4' %}"`, or at any depth of an object or array: `auth: { ts: "{% now 'millis' %}" }`)
 * and those that use one of them (`a: "{{ id }}"`, `sig: "{% hash 'sha256', 'hex', id %}"`, at any remove). Insomnia
 * renders the environment once per Send (common/render.ts getRenderContext) before the request's fields, so a uuid, a
 * timestamp, a response or a prompt is the same in the url, a header and a signature of it, whichever variables lead
 * there; here a variable is rendered when a field first uses it (one nobody uses runs no tag: asks nothing, sends
 * nothing), once.
 */
async function withTagValues(text: string, context: RenderContext, hooks: RenderHooks, where: string, within: number | undefined): Promise<RenderContext> {
  let out: RenderContext | undefined;
  const root = isPlainObject(context._) ? context._ : undefined;
  let tags: TagVariables | undefined;
  for (const name of mentionedNames(text)) {
    if (name === '_' || !Object.prototype.hasOwnProperty.call(context, name)) continue;
    const value = context[name];
    if (typeof value === 'string' ? !PLAIN.test(value) : !value || typeof value !== 'object') continue;
    tags ??= tagVariables(root ?? context);
    const group = tags.group.get(name);
    // (a variable of the group being rendered is taken as it is written: waiting for its render would never end)
    if (group === undefined || group === within) continue;
    let memo = renderedTagValues.get(context);
    if (!memo) renderedTagValues.set(context, (memo = new Map()));
    let rendered = memo.get(name);
    if (!rendered) memo.set(name, (rendered = renderTags(value, context, hooks, where, tags.group, group)));
    const v = await rendered;
    out ??= root ? { ...context, _: { ...root } } : { ...context };
    out[name] = v;
    if (root) (out._ as Record<string, unknown>)[name] = v;
  }
  return out ?? context;
}

/**
 * A value of the variables' group `within` with every string that leads to a tag (holds one, or uses a variable of
 * `leading`) rendered (objects and arrays copied, the rest as it is): the variables of other groups it uses, once per
 * context, as a field's are.
 */
async function renderTags(value: unknown, context: RenderContext, hooks: RenderHooks, where: string, leading: ReadonlyMap<string, number>, within: number): Promise<unknown> {
  if (typeof value === 'string') return value.includes('{%') || (templated(value) && mentionsAny(value, leading)) ? renderText(value, context, hooks, where, within) : value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) out.push(await renderTags(v, context, hooks, where, leading, within));
    return out;
  }
  if (!isPlainObject(value) || !holdsVariable(value, PLAIN)) return value;
  const out: Record<string, unknown> = {};
  // (defined, not assigned: a key `__proto__` from YAML stays a key)
  for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: await renderTags(value[key], context, hooks, where, leading, within), enumerable: true, writable: true, configurable: true });
  return out;
}

interface TagVariables {
  /**
   * The top-level variables that lead to a tag (their values hold one, or use such a variable, at any remove), each
   * with its group: the variables that lead to each other through what their templates mention (`x` and `y` of
   * `x: "{% hash 'md5', 'hex', y %}"`, `y: "{% base64 'encode', 'normal', x %}"`) are one group; most are a group of
   * one. A variable's render waits for the renders of the variables of other groups it uses, never of its own: the
   * groups lead to each other without a cycle, so no render waits for itself.
   */
  readonly group: ReadonlyMap<string, number>;
}

const NO_TAG_VARIABLES: TagVariables = { group: new Map() };
// per environment (a render context's `_`): its variables are not changed once built
const tagVariablesOf = new WeakMap<object, TagVariables>();

/** The variables of `root` that lead to tags (computed once per object). */
function tagVariables(root: Record<string, unknown>): TagVariables {
  let found = tagVariablesOf.get(root);
  if (found) return found;
  found = holdsVariable(root, TAG) ? findTagVariables(root) : NO_TAG_VARIABLES;
  tagVariablesOf.set(root, found);
  return found;
}

function findTagVariables(root: Record<string, unknown>): TagVariables {
  // which top-level variables each one's templates mention, and which hold a tag themselves
  const mentions = new Map<string, Set<string>>();
  const leading = new Set<string>();
  for (const key of Object.keys(root)) {
    if (key === '_') continue;
    const used = new Set<string>();
    const visit = (v: unknown): void => {
      if (typeof v === 'string') {
        if (!templated(v)) return;
        if (v.includes('{%')) leading.add(key);
        for (const n of mentionedNames(v)) if (n !== '_' && Object.prototype.hasOwnProperty.call(root, n)) used.add(n);
      } else if (v && typeof v === 'object') {
        for (const k of Object.keys(v)) visit((v as Record<string, unknown>)[k]);
      }
    };
    visit(root[key]);
    if (used.size) mentions.set(key, used);
  }
  if (!leading.size) return NO_TAG_VARIABLES;
  // those that use them, at any remove
  const usedBy = new Map<string, string[]>();
  for (const [key, used] of mentions) for (const n of used) usedBy.set(n, [...(usedBy.get(n) ?? []), key]);
  const todo = [...leading];
  while (todo.length) {
    for (const user of usedBy.get(todo.pop() as string) ?? []) {
      if (!leading.has(user)) {
        leading.add(user);
        todo.push(user);
      }
    }
  }
  // their groups (Tarjan's strongly connected components of what they mention)
  const group = new Map<string, number>();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    onStack.add(v);
    for (const w of mentions.get(v) ?? []) {
      if (!leading.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const id = index.get(v) as number;
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      group.set(w, id);
    } while (w !== v);
  };
  for (const v of leading) if (!index.has(v)) connect(v);
  return { group };
}

/** Whether the text mentions one of `names`. */
function mentionsAny(text: string, names: ReadonlySet<string> | ReadonlyMap<string, unknown>): boolean {
  // (the text is read only when one of the names is in it at all: most texts hold none)
  for (const n of names.keys()) {
    if (!text.includes(n)) continue;
    for (const m of mentionedNames(text)) if (names.has(m)) return true;
    return false;
  }
  return false;
}

/**
 * The names a text's templates (`{{ ... }}`, `{% ... %}`) mention: `a`, or quoted as a subscript (`_['a-b']`); not the
 * text around them, nor a tag's quoted arguments (`{% response 'body', ... %}` mentions no variable "body").
 */
function mentionedNames(text: string): ReadonlySet<string> {
  let out = mentionsCache.get(text);
  if (out) return out;
  const found = new Set<string>();
  for (const [part] of text.matchAll(TEMPLATE_PART)) {
    for (const m of part.matchAll(MENTION)) {
      const name = m[1] ?? m[2] ?? m[3];
      if (name !== undefined) found.add(name);
    }
  }
  if (mentionsCache.size >= MAX_COMPILED) mentionsCache.clear();
  mentionsCache.set(text, (out = found));
  return out;
}

// what each text mentions, by text (the same environment values and fields are read at every Send; bounded as `compiled`)
const mentionsCache = new Map<string, ReadonlySet<string>>();

const TEMPLATE_PART = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
// a quoted subscript (`['a-b']`), a quoted string (skipped), a name
const MENTION = /\[\s*(?:'([^']*)'|"([^"]*)")\s*\]|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|([A-Za-z_$][\w$]*)/g;

/**
 * Whether a name the text mentions (`a`, or quoted: `_['a-b']`) is a value of the context that holds template syntax
 * (one a render could bring in).
 */
function usesSyntaxValue(text: string, context: RenderContext): boolean {
  for (const name of mentionedNames(text)) {
    if (name === '_' || !Object.prototype.hasOwnProperty.call(context, name)) continue;
    const value = context[name];
    if (typeof value === 'string' ? PLAIN.test(value) : !!value && typeof value === 'object' && holdsVariable(value as Record<string, unknown>, PLAIN)) return true;
  }
  return false;
}

async function renderOnce(text: string, context: RenderContext, hooks: RenderHooks, where: string): Promise<string> {
  if (!templated(text)) return text;
  if (!hasOtherSyntax(text)) {
    const simple = renderSimple(text, context);
    if (simple !== undefined) return simple;
  }
  const missing: string[] = [];
  const state: RenderState = { hooks, missing, where };
  patchLookup();
  const ctx = { ...recording({ ...context }, missing, ''), [STATE]: state };
  try {
    // no tag: render synchronously (nunjucks' callback form defers through asap, a full event-loop turn)
    if (!text.includes('{%')) return compiled(environment(), text).render(ctx);
    return await new Promise<string>((resolve, reject) => {
      compiled(environment(), text).render(ctx, (err: Error | null, out?: string | null) => (err ? reject(err) : resolve(out ?? '')));
    });
  } catch (err) {
    throw state.failure ?? templateError(err, missing, where);
  }
}

/** nunjucks' message without its file path (there is none: "(unknown path)") and error class, the place said in words. */
function nunjucksReason(message: string): string {
  let m = message.replace(/^Template render error:\s*/, '').replace(/^\(unknown path\)\s*/, '');
  const at = /^\[Line (\d+), Column (\d+)\]\s*/.exec(m);
  if (at) m = m.slice(at[0].length);
  m = m.replace(/^(?:[A-Z]\w*)?Error:\s*/, '').replace(/\s+/g, ' ').trim();
  return at ? `${m} (line ${at[1]}, column ${at[2]})` : m;
}

function templateError(err: unknown, missing: string[], where: string): HttpError {
  if (err instanceof HttpError) return err;
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof HttpError) return cause;
  const message = err instanceof Error ? err.message : String(err);
  const unknownTag = /unknown block tag: (\S+)/.exec(message);
  if (unknownTag) return new HttpError('TemplateError', `Unknown tag "${unknownTag[1]}" in ${where}.`, where, err);
  if (/attempted to output null or undefined value/.test(message) || /undefined/.test(message)) {
    const name = missing.filter((m) => m !== '_').pop();
    if (name) return new HttpError('TemplateError', `Unknown variable "${name.replace(/^_\./, '')}" in ${where}: define it in the environment or a folder's environment.`, where, err);
  }
  const tagMsg = /(\{% \w+ %\}: .*)$/m.exec(message);
  const clean = tagMsg ? tagMsg[1].trim() : nunjucksReason(message);
  return new HttpError('TemplateError', `Template error in ${where}: ${clean}`, where, err);
}
