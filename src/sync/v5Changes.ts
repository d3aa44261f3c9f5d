// Which requests, folders and environments a change of an Insomnia v5 file touches: both texts parsed with
// js-yaml, items matched by `meta.id`, compared without their `modified` stamps. For the tooltip of a v5 file
// in the Source Control view. No 'vscode' import.

import { isDeepStrictEqual } from 'util';
import * as yaml from 'js-yaml';

export type ItemChangeKind = 'added' | 'removed' | 'changed';

export interface ItemChange {
  id: string;
  name: string;
  /** `request`, `folder`, `grpcRequest`, `websocketRequest`, `socketIORequest`, `environment`, `collection`. */
  type: string;
  change: ItemChangeKind;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(text: string | null): Obj | undefined {
  if (text === null) return undefined;
  try {
    const doc = yaml.load(text);
    return isObj(doc) ? doc : undefined;
  } catch {
    return undefined;
  }
}

function idOf(o: Obj): string | undefined {
  return isObj(o.meta) && typeof o.meta.id === 'string' ? o.meta.id : undefined;
}

function kindOf(item: Obj, id: string): string {
  if (Array.isArray(item.children) || id.startsWith('fld_')) return 'folder';
  if (id.startsWith('greq_')) return 'grpcRequest';
  if (id.startsWith('ws-req_')) return 'websocketRequest';
  if (id.startsWith('socket-io-req_')) return 'socketIORequest';
  return 'request';
}

/** A value without `meta.modified` stamps, at any depth (the cookie jar and environments carry them too). */
function withoutStamps(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutStamps);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'meta' && isObj(x)) {
      const { modified: _modified, ...meta } = x;
      out.meta = withoutStamps(meta);
    } else out[k] = withoutStamps(x);
  }
  return out;
}

/** An item without what is compared elsewhere (children, sub-environments) or is noise (modified stamps). */
function comparable(v: Obj): Obj {
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'children' || k === 'subEnvironments') continue;
    out[k] = x;
  }
  return withoutStamps(out) as Obj;
}

interface Entry {
  name: string;
  type: string;
  value: Obj;
}

function collect(doc: Obj | undefined): Map<string, Entry> {
  const out = new Map<string, Entry>();
  if (!doc) return out;
  const walk = (items: unknown): void => {
    if (!Array.isArray(items)) return;
    for (const it of items) {
      if (!isObj(it)) continue;
      const id = idOf(it);
      if (id) out.set(id, { name: typeof it.name === 'string' ? it.name : id, type: kindOf(it, id), value: comparable(it) });
      walk(it.children);
    }
  };
  walk(doc.collection);
  const env = doc.environments;
  if (isObj(env)) {
    const add = (e: Obj, fallback: string): void => {
      const id = idOf(e) ?? fallback;
      out.set(id, { name: typeof e.name === 'string' ? e.name : 'Base Environment', type: 'environment', value: comparable(e) });
    };
    add(env, '(base environment)');
    if (Array.isArray(env.subEnvironments)) for (const sub of env.subEnvironments) if (isObj(sub) && idOf(sub)) add(sub, '');
  }
  return out;
}

/** The file's own fields (name, description, spec, cookie jar, ...), without the item lists. */
function topLevel(doc: Obj | undefined): Obj | undefined {
  if (!doc) return undefined;
  const out: Obj = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'collection' || k === 'environments') continue;
    out[k] = v;
  }
  return withoutStamps(out) as Obj;
}

/**
 * The items a change of a v5 file adds, removes or changes, in the order of the newer text (removed items
 * last). `before`/`after` null: the file does not exist on that side. Unparsable text counts as empty.
 */
export function changedV5Items(before: string | null, after: string | null): ItemChange[] {
  const a = parse(before);
  const b = parse(after);
  const out: ItemChange[] = [];
  const ta = topLevel(a);
  const tb = topLevel(b);
  if (ta && tb && !isDeepStrictEqual(ta, tb)) {
    const name = typeof b?.name === 'string' ? b.name : 'collection';
    out.push({ id: (b && idOf(b)) ?? '', name, type: 'collection', change: 'changed' });
  }
  const ia = collect(a);
  const ib = collect(b);
  for (const [id, e] of ib) {
    const old = ia.get(id);
    if (!old) out.push({ id, name: e.name, type: e.type, change: 'added' });
    else if (!isDeepStrictEqual(old.value, e.value)) out.push({ id, name: e.name, type: e.type, change: 'changed' });
  }
  for (const [id, e] of ia) if (!ib.has(id)) out.push({ id, name: e.name, type: e.type, change: 'removed' });
  return out;
}
