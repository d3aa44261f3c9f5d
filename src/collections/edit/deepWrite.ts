// Minimal writes of nested values (environment variables, an OpenAPI spec held as a YAML mapping): only the keys and
// items that changed are written, each at its own lines; what did not change keeps its bytes. Pure.
//
// Insomnia keeps the order of an environment's variables apart from the mapping, in a json-order map
// (`dataPropertyOrder` / `environmentPropertyOrder`: `{"&": [names], "&~|obj": [names of obj], ...}`, json-order's
// `parse` with prefix `&` and separator `~|`). Its render context runs json-order's `order()`, which keeps only the
// keys the map lists: so a map Hammock writes lists every key at every depth, as json-order's own `parse` does.

import { YamlEditor, type YamlPath } from '../yamlEdit';

type Mapping = Record<string, unknown>;

export function isMapping(v: unknown): v is Mapping {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameValue(a[k], b[k]));
  }
  return false;
}

/** Like `sameValue`, and the keys of every mapping in the same order. */
export function sameOrderedValue(a: unknown, b: unknown): boolean {
  if (!sameValue(a, b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.every((x, i) => sameOrderedValue(x, b[i]));
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.every((k, i) => k === kb[i] && sameOrderedValue(a[k], b[k]));
  }
  return true;
}

export interface DeepWriteOptions {
  /** keys to insert a new key before, at the top level (to follow Insomnia's key order), when the key is absent. */
  readonly before?: readonly string[];
  /** the top-level mapping's key order does not matter (a json-order map says it). */
  readonly topOrderFree?: boolean;
}

/**
 * Writes `next` at `path` touching only what differs from `current` (the value there now): changed keys of mappings and
 * items of sequences one by one, added keys inserted, removed keys deleted, items appended or removed at the end.
 * When the minimal edit would not read back as `next` (in its key order, unless `topOrderFree`), the whole value is
 * written. Returns whether anything was written.
 */
export function writeDeep(ed: YamlEditor, path: YamlPath, current: unknown, next: unknown, options: DeepWriteOptions = {}): boolean {
  if (current === undefined) {
    ed.set(path, next, { before: options.before });
    return true;
  }
  if (options.topOrderFree ? sameValue(current, next) : sameOrderedValue(current, next)) return false;
  const probe = new YamlEditor(ed.text);
  try {
    deepOps(probe, path, current, next, options.topOrderFree ?? false);
    const back = new YamlEditor(probe.toString()).value(path);
    const ok = options.topOrderFree ? sameValue(back, next) && nestedOrderSame(back, next) : sameOrderedValue(back, next);
    if (!ok) throw new Error('differs');
    deepOps(ed, path, current, next, options.topOrderFree ?? false);
  } catch {
    ed.set(path, next);
  }
  return true;
}

/** The nested mappings of two same-valued mappings have their keys in the same order (the top level aside). */
function nestedOrderSame(a: unknown, b: unknown): boolean {
  if (!isMapping(a) || !isMapping(b)) return true;
  return Object.keys(b).every((k) => sameOrderedValue(a[k], b[k]));
}

/**
 * The keys of a mapping once deepOps wrote `nextKeys` over `curKeys`: the kept keys in their place, each new key before
 * the next kept key that follows it in `nextKeys` (a renamed key on the line of the old name), last when none does.
 */
function writtenOrder(curKeys: readonly string[], nextKeys: readonly string[]): string[] {
  const cur = new Set(curKeys);
  const next = new Set(nextKeys);
  const out = curKeys.filter((k) => next.has(k));
  nextKeys.forEach((k, i) => {
    if (cur.has(k)) return;
    const follower = nextKeys.slice(i + 1).find((x) => cur.has(x));
    const at = follower === undefined ? -1 : out.indexOf(follower);
    if (at < 0) out.push(k);
    else out.splice(at, 0, k);
  });
  return out;
}

function deepOps(ed: YamlEditor, path: YamlPath, current: unknown, next: unknown, orderFree: boolean): void {
  if (sameOrderedValue(current, next) || (orderFree && sameValue(current, next))) return;
  if (isMapping(current) && isMapping(next) && Object.keys(current).length > 0 && Object.keys(next).length > 0) {
    const curKeys = Object.keys(current);
    const nextKeys = Object.keys(next);
    if (!orderFree) {
      // the keys both have must keep their order: a reorder is written as a whole
      const common = nextKeys.filter((k) => k in current);
      const commonCur = curKeys.filter((k) => k in next);
      if (common.some((k, i) => k !== commonCur[i])) throw new Error('reordered');
    }
    const removed = curKeys.filter((k) => !(k in next));
    if (removed.length === curKeys.length) throw new Error('every key replaced');
    for (const k of removed) ed.deleteKey([...path, k]);
    nextKeys.forEach((k, i) => {
      if (k in current) {
        deepOps(ed, [...path, k], current[k], next[k], false);
      } else {
        // before the next key that stays: a renamed key keeps its line (in an order-free mapping too, where a
        // json-order map says the order: a key that moved would make the file need one)
        const before = nextKeys.slice(i + 1).filter((x) => x in current);
        ed.set([...path, k], next[k], { before });
      }
    });
    return;
  }
  if (Array.isArray(current) && Array.isArray(next) && current.length > 0 && next.length > 0) {
    const shared = Math.min(current.length, next.length);
    for (let i = 0; i < shared; i++) deepOps(ed, [...path, i], current[i], next[i], false);
    for (let i = shared; i < next.length; i++) ed.insertSeqItem(path, 'end', next[i]);
    for (let i = current.length - 1; i >= shared; i--) ed.deleteSeqItem([...path, i]);
    return;
  }
  ed.set(path, next);
}

export const JSON_ORDER_PREFIX = '&';
export const JSON_ORDER_SEPARATOR = '~|';

/**
 * json-order's `parse` map of a value: every non-empty mapping's keys, by path (`&`, `&~|obj`, `&~|list~|0`); `top`:
 * the top level's order, when the value's own key order is not it.
 */
export function jsonOrderMap(value: Mapping, top?: readonly string[]): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  const walk = (v: object, key: string) => {
    const keys = Object.keys(v);
    if (keys.length === 0) return;
    if (!Array.isArray(v)) map[key] = key === JSON_ORDER_PREFIX && top ? [...top] : keys;
    for (const k of keys) {
      const child = (v as Record<string, unknown>)[k];
      if (typeof child === 'object' && child !== null) walk(child, `${key}${JSON_ORDER_SEPARATOR}${k}`);
    }
  };
  walk(value, JSON_ORDER_PREFIX);
  return map;
}

/**
 * Writes an environment's variables (`dataPath`: `data` or a folder's `environment`) and their order map
 * (`orderPath`): the mapping key by key; then, when the file keeps an order map, or the variables' order is not the
 * mapping's, the order map json-order would make of the variables in `next`'s order. `emptyMeansAbsent`: v5, where
 * Insomnia's exporter leaves out empty values (so no variables = no key). Returns whether anything was written.
 */
export function writeVariables(
  ed: YamlEditor,
  dataPath: YamlPath,
  orderPath: YamlPath,
  next: Mapping,
  options: {
    readonly emptyMeansAbsent: boolean;
    readonly dataBefore?: readonly string[];
    readonly orderBefore?: readonly string[];
    /** the variables' order when `next`'s key order cannot say it (integer-like names come first in an object). */
    readonly order?: readonly string[];
  },
): boolean {
  const current = ed.value(dataPath);
  const currentOrder = ed.value(orderPath);
  let changed = false;
  const empty = Object.keys(next).length === 0;
  if (empty && options.emptyMeansAbsent) {
    if (current !== undefined) {
      ed.deleteKey(dataPath);
      changed = true;
    }
    if (currentOrder !== undefined) {
      ed.deleteKey(orderPath);
      changed = true;
    }
    return changed;
  }
  const cur = isMapping(current) ? current : undefined;
  if (!cur || current === null) {
    if (!sameValue(current ?? (options.emptyMeansAbsent ? undefined : {}), next) || current === undefined) {
      ed.set(dataPath, next, { before: options.dataBefore });
      changed = true;
    }
  } else {
    changed = writeDeep(ed, dataPath, cur, next, { topOrderFree: true }) || changed;
  }
  // the order the mapping's keys have in the file after this write
  const fileOrder = cur ? writtenOrder(Object.keys(cur), Object.keys(next)) : Object.keys(next);
  const given = options.order?.filter((k) => k in next);
  const wanted = given && given.length === Object.keys(next).length ? given : Object.keys(next);
  const hasMap = isMapping(currentOrder);
  // a reader (Insomnia's JSON.parse too) puts integer-like names ("2024") first in its object: only a map keeps their place
  const objectOrder = Object.keys(Object.fromEntries(wanted.map((k) => [k, true])));
  const inOrder = fileOrder.every((k, i) => k === wanted[i]) && objectOrder.every((k, i) => k === wanted[i]);
  if (!hasMap && inOrder) return changed;
  const map = jsonOrderMap(next, wanted);
  if (empty) {
    if (currentOrder !== undefined && currentOrder !== null) {
      ed.set(orderPath, null);
      changed = true;
    }
    return changed;
  }
  if (hasMap) changed = writeDeep(ed, orderPath, currentOrder, map) || changed;
  else {
    ed.set(orderPath, map, { before: options.orderBefore });
    changed = true;
  }
  return changed;
}
