// Templates come from the repository (a pull request's collection included), and nunjucks evaluates them with full
// access to the objects it is given: `{{ range.constructor("return process")() }}` reaches the Function constructor
// through any function (a global such as `range`, a macro, a method of a string) and runs code in the renderer's
// process. This closes that for one nunjucks module: member lookups refuse the keys that lead to constructors and
// prototypes, calls refuse the code-making constructors of any realm, and names resolve only to the context's and the
// globals' own properties (not to `toString` or `constructor` inherited from Object.prototype). Templates that read
// data (`{{ _.a.b }}`, filters, tags, macros) work as before. Pure: no 'vscode' import; used by template.ts (the host)
// and the script worker (`insomnia.*.replaceIn`).

/** Keys a template may not look up: each leads to a constructor, a prototype or a way to define accessors. */
const BLOCKED_KEYS = new Set(['constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/** The built-in functions that turn text into code (of this realm or another: compared by their native name). */
const CODE_MAKERS = new Set(['Function', 'AsyncFunction', 'GeneratorFunction', 'AsyncGeneratorFunction', 'eval']);

function isCodeMaker(value: unknown): boolean {
  if (typeof value !== 'function') return false;
  let name: unknown;
  let source = '';
  try {
    name = (value as { name?: unknown }).name;
    source = Function.prototype.toString.call(value);
  } catch {
    return true;
  }
  return typeof name === 'string' && CODE_MAKERS.has(name) && /\{\s*\[native code\]\s*\}\s*$/.test(source);
}

function refused(what: string): Error {
  return new Error(`templates may not use ${what}: it reaches the code of the program that renders them`);
}

interface NunjucksRuntime {
  memberLookup(obj: unknown, val: unknown): unknown;
  callWrap(obj: unknown, name: string, context: unknown, args: unknown[]): unknown;
  contextOrFrameLookup(context: unknown, frame: unknown, name: string): unknown;
}

const hardened = new WeakSet<object>();

const own = (o: unknown, key: string): boolean => o !== null && (typeof o === 'object' || typeof o === 'function') && Object.prototype.hasOwnProperty.call(o, key);

/** Hardens a nunjucks module's runtime (compiled templates call these through it); idempotent. */
export function hardenNunjucks(nunjucks: { runtime: unknown }): void {
  const runtime = nunjucks.runtime as NunjucksRuntime;
  if (hardened.has(runtime)) return;
  hardened.add(runtime);
  runtime.memberLookup = function memberLookup(obj: unknown, val: unknown): unknown {
    if (obj === undefined || obj === null) return undefined;
    // the key is computed once: a value whose toString answers differently each time cannot pass the check and then
    // look up something else
    const key = typeof val === 'symbol' ? val : String(val);
    if (typeof key === 'string' && BLOCKED_KEYS.has(key)) throw refused(`"${key}"`);
    const value = (obj as Record<string | symbol, unknown>)[key];
    if (isCodeMaker(value)) throw refused(`"${String(key)}"`);
    if (typeof value === 'function') {
      return function (this: unknown, ...args: unknown[]) {
        return (value as (...a: unknown[]) => unknown).apply(obj, args);
      };
    }
    return value;
  };
  const callWrap = runtime.callWrap;
  runtime.callWrap = function (obj, name, context, args) {
    if (isCodeMaker(obj)) throw refused(`the function "${name}"`);
    return callWrap.call(this, obj, name, context, args);
  };
  runtime.contextOrFrameLookup = function contextOrFrameLookup(context, frame, name) {
    if (BLOCKED_KEYS.has(name)) return undefined;
    const fromFrame = (frame as { lookup(n: string): unknown }).lookup(name);
    if (fromFrame !== undefined) return fromFrame;
    const c = context as { ctx?: unknown; env?: { globals?: unknown } };
    if (own(c.ctx, name)) return (c.ctx as Record<string, unknown>)[name];
    if (own(c.env?.globals, name)) return (c.env!.globals as Record<string, unknown>)[name];
    return undefined;
  };
}
