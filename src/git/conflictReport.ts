// What a merge conflict is about, in Insomnia's terms: for a legacy `.insomnia/<Type>/<id>.yml` file or an
// Insomnia v5 file, parse base / ours / theirs and name the items (requests, folders, environments) and the
// top-level fields that both sides changed. Pure: the caller supplies the three texts.

import { isDeepStrictEqual } from 'util';
import * as yaml from 'js-yaml';
import type { ConflictKind } from './status';

export interface ConflictedItem {
  id: string;
  name?: string;
  /** Insomnia type: `Request`, `RequestGroup`, `Environment` (legacy) or `request`, `folder`, `environment`, `collection` (v5). */
  type?: string;
  /** top-level fields both sides changed (differently); `(deleted)` when one side deleted an item the other changed. */
  fields: string[];
}

export interface ConflictedFile {
  path: string;
  kind: ConflictKind;
  /** the Insomnia items both sides changed; empty when the file is not Insomnia YAML or could not be parsed. */
  items: ConflictedItem[];
}

export interface ConflictReport {
  /** number of conflicted files. */
  count: number;
  files: ConflictedFile[];
  /** what was merged: our branch and their ref (e.g. `main` and `origin/main`). */
  ours: string;
  theirs: string;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parse(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return yaml.load(text);
  } catch {
    return undefined;
  }
}

const V5_TYPE = /insomnia(\.rest)?\/5\./;
/** What the merge found about an item, in words (`(deleted)`, `(moved)`, `(item)` are markers, not field names). */
const MARKER_TEXT: Record<string, string> = {
  '(deleted)': 'deleted on one side, changed on the other',
  '(moved)': 'moved to different places',
  '(item)': 'changed on both sides',
};

/** An item of a conflict as messages name it: `Get user (url, headers)`, `Delete a pet (deleted on one side, changed on the other)`. */
export function describeConflictedItem(item: Pick<ConflictedItem, 'id' | 'name' | 'fields'>, quote = false): string {
  const name = quote ? `"${item.name ?? item.id}"` : (item.name ?? item.id);
  return item.fields.length ? `${name} (${item.fields.map((f) => MARKER_TEXT[f] ?? f).join(', ')})` : name;
}

const IGNORED_FIELDS = new Set(['modified']);

/** Fields changed on both sides, differently. Without a base, fields that differ between the sides. */
function bothChanged(base: Obj | undefined, ours: Obj | undefined, theirs: Obj | undefined, skip: Set<string> = new Set()): string[] {
  if (!ours || !theirs) {
    // deleted on one side; a conflict only if the other side changed it
    const kept = ours ?? theirs;
    if (kept && base && !isDeepStrictEqual(strip(kept), strip(base))) return ['(deleted)'];
    if (kept && !base) return [];
    return [];
  }
  const keys = new Set([...Object.keys(base ?? {}), ...Object.keys(ours), ...Object.keys(theirs)]);
  const out: string[] = [];
  for (const k of keys) {
    if (IGNORED_FIELDS.has(k) || skip.has(k)) continue;
    const b = base?.[k];
    const o = k === 'meta' ? strip(ours[k]) : ours[k];
    const t = k === 'meta' ? strip(theirs[k]) : theirs[k];
    const bb = k === 'meta' ? strip(b) : b;
    if (isDeepStrictEqual(o, t)) continue;
    if (base && (isDeepStrictEqual(o, bb) || isDeepStrictEqual(t, bb))) continue;
    out.push(k);
  }
  return out.sort();
}

/** An object without its `modified` timestamp (and without `children`, compared item by item). */
function strip(v: unknown): unknown {
  if (!isObj(v)) return v;
  const copy: Obj = {};
  for (const [k, x] of Object.entries(v)) if (!IGNORED_FIELDS.has(k) && k !== 'children' && k !== 'subEnvironments') copy[k] = x;
  return copy;
}

function legacyItems(base: unknown, ours: unknown, theirs: unknown): ConflictedItem[] | undefined {
  const any = [ours, theirs, base].find((d) => isObj(d) && typeof d._id === 'string' && typeof d.type === 'string') as Obj | undefined;
  if (!any) return undefined;
  const o = isObj(ours) ? ours : undefined;
  const t = isObj(theirs) ? theirs : undefined;
  const b = isObj(base) ? base : undefined;
  const fields = bothChanged(b, o, t);
  const name = [o?.name, t?.name, b?.name].find((n) => typeof n === 'string') as string | undefined;
  return [{ id: String(any._id), name, type: String(any.type), fields }];
}

interface V5Item {
  id: string;
  name?: string;
  type: string;
  value: Obj;
}

function v5Kind(item: Obj): string {
  if (Array.isArray(item.children)) return 'folder';
  const id = isObj(item.meta) && typeof item.meta.id === 'string' ? item.meta.id : '';
  if (id.startsWith('fld_')) return 'folder';
  if (id.startsWith('greq_')) return 'grpcRequest';
  if (id.startsWith('ws-req_')) return 'websocketRequest';
  if (id.startsWith('socket-io-req_')) return 'socketIORequest';
  return 'request';
}

function collectV5(doc: unknown): Map<string, V5Item> {
  const out = new Map<string, V5Item>();
  if (!isObj(doc)) return out;
  const idOf = (o: Obj): string | undefined => (isObj(o.meta) && typeof o.meta.id === 'string' ? o.meta.id : undefined);
  const walk = (items: unknown): void => {
    if (!Array.isArray(items)) return;
    for (const it of items) {
      if (!isObj(it)) continue;
      const id = idOf(it);
      if (id) out.set(id, { id, name: typeof it.name === 'string' ? it.name : undefined, type: v5Kind(it), value: it });
      walk(it.children);
    }
  };
  walk(doc.collection);
  const env = doc.environments;
  if (isObj(env)) {
    const id = idOf(env);
    if (id) out.set(id, { id, name: typeof env.name === 'string' ? env.name : undefined, type: 'environment', value: env });
    if (Array.isArray(env.subEnvironments)) {
      for (const sub of env.subEnvironments) {
        if (!isObj(sub)) continue;
        const sid = idOf(sub);
        if (sid) out.set(sid, { id: sid, name: typeof sub.name === 'string' ? sub.name : undefined, type: 'environment', value: sub });
      }
    }
  }
  return out;
}

function v5Items(base: unknown, ours: unknown, theirs: unknown): ConflictedItem[] | undefined {
  const isV5 = (d: unknown): boolean => isObj(d) && typeof d.type === 'string' && V5_TYPE.test(d.type);
  if (![ours, theirs, base].some(isV5)) return undefined;
  const out: ConflictedItem[] = [];
  // the file itself (collection / design document): its own top-level fields
  const top = (d: unknown): Obj | undefined => (isObj(d) ? d : undefined);
  const topFields = bothChanged(top(base), top(ours), top(theirs), new Set(['collection', 'environments', 'cookieJar']));
  if (topFields.length) {
    const any = [ours, theirs, base].find(isObj) as Obj;
    const id = isObj(any.meta) && typeof any.meta.id === 'string' ? any.meta.id : '';
    out.push({ id, name: typeof any.name === 'string' ? any.name : undefined, type: 'collection', fields: topFields });
  }
  const b = collectV5(base);
  const o = collectV5(ours);
  const t = collectV5(theirs);
  const ids = new Set([...o.keys(), ...t.keys(), ...b.keys()]);
  for (const id of ids) {
    const bi = b.get(id);
    const oi = o.get(id);
    const ti = t.get(id);
    const fields = bothChanged(bi?.value, oi?.value, ti?.value, new Set(['children', 'subEnvironments']));
    if (!fields.length) continue;
    const any = oi ?? ti ?? bi!;
    out.push({ id, name: oi?.name ?? ti?.name ?? bi?.name, type: any.type, fields });
  }
  return out;
}

/**
 * The Insomnia items and fields both sides changed in one conflicted file. `null` for a side where the file
 * does not exist. Returns [] for files that are not Insomnia YAML.
 */
export function describeConflict(filepath: string, base: string | null, ours: string | null, theirs: string | null): ConflictedItem[] {
  if (!/\.(ya?ml|json)$/i.test(filepath)) return [];
  const [b, o, t] = [parse(base), parse(ours), parse(theirs)];
  return legacyItems(b, o, t) ?? v5Items(b, o, t) ?? [];
}
