// Three-way merge of one Insomnia collection file per item and field (issue 5): what git's line merge cannot do when
// two people edit neighbouring lines of one file (a v5 file holds a whole collection; a legacy document's `modified`
// line changes with every edit). Pure: texts in, text out.
//
// Model: items are matched by identity, never by position: v5 `meta.id` (requests, folders, environments,
// sub-environments, test suites and tests), the legacy document's `_id`. Inside an item, mappings merge key by key,
// recursively; lists of id'd items merge by id (additions from both sides kept, next to the item they follow on
// their side; a reorder on one side is applied to the merged list; a move to another folder is a move); any other
// list (headers, parameters, cookies, ...) and any scalar is one field. A field changed on one side takes that
// side's value; changed on both sides to the same value is fine; changed on both sides differently is a conflict;
// removed on one side and changed on the other is a conflict. `modified` stamps (legacy `modified`, v5
// `meta.modified`) never conflict: the later one wins.
//
// Output: OURS' text with only theirs' changes spliced in (YamlEditor: every line no incoming change touches keeps
// its bytes), then checked by parsing it again: it must equal the merged value, or the merge is refused. Anything it
// cannot understand (not Insomnia data, a parse error, conflict markers, an item id twice) is not clean, so the
// caller keeps git's line-merge conflict: a conflict is reported, never resolved by guessing.

import { isDeepStrictEqual } from 'node:util';
import { isMap, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { conflictMarkerProblem, isMapping, loadYaml, type RawMapping } from './formats/fields';
import { firstLine, v5TypeInFirstLine } from './formats/v5';
import { YamlEditor, type YamlPath } from './yamlEdit';

export interface FieldConflict {
  /** the item (request, folder, environment, the collection itself) both sides changed; absent for the file's own fields. */
  itemId?: string;
  itemName?: string;
  /**
   * dotted path of the field inside the item (`url`, `body.text`, `headers`, `meta.description`); `(deleted)` when
   * one side deleted the item and the other changed it, `(moved)` for a move against a change or another move,
   * `children (order)` when both sides reordered a list differently.
   */
  field: string;
}

export type CollectionMergeResult = { clean: true; text: string } | { clean: false; conflicts: FieldConflict[]; reason?: string };

type Json = unknown;

interface ItemCtx {
  id?: string;
  name?: string;
  /** field path inside the item. */
  field: string[];
}

interface Located {
  list: string;
  item: RawMapping;
}

type Edit =
  | { kind: 'set'; path: YamlPath; value: Json; before?: string[] }
  | { kind: 'deleteKey'; path: YamlPath }
  | { kind: 'deleteItem'; path: YamlPath }
  | { kind: 'insertItem'; seqPath: YamlPath; index: number; value: Json };

interface Reorder {
  /** where the list is, found again in the intermediate text by the owner's id. */
  owner: string | undefined;
  key: string;
  order: string[];
}

const ROOT_LIST = '(root)';

function metaId(v: unknown): string | undefined {
  if (!isMapping(v) || !isMapping(v.meta)) return undefined;
  return typeof v.meta.id === 'string' && v.meta.id !== '' ? v.meta.id : undefined;
}

function nameOf(v: unknown): string | undefined {
  return isMapping(v) && typeof v.name === 'string' ? v.name : undefined;
}

function isIdList(v: unknown): v is RawMapping[] {
  return Array.isArray(v) && v.every((x) => metaId(x) !== undefined);
}

class Refused extends Error {}

/** Every id'd item of a v5 document: id -> the list it is in (owner id + key) and its value. */
function locateItems(doc: unknown): Map<string, Located> {
  const out = new Map<string, Located>();
  const visit = (value: unknown, owner: string | undefined): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v, owner);
      return;
    }
    if (!isMapping(value)) return;
    const id = metaId(value);
    const here = id ?? owner;
    for (const [k, v] of Object.entries(value)) {
      if (isIdList(v) && v.length > 0) {
        const list = `${here ?? ROOT_LIST}\u0000${k}`;
        for (const item of v) {
          const iid = metaId(item)!;
          if (out.has(iid)) throw new Refused(`item ${iid} appears twice`);
          out.set(iid, { list, item });
        }
      }
      if (k !== 'meta') visit(v, here);
    }
  };
  visit(doc, undefined);
  return out;
}

class Merger {
  readonly edits: Edit[] = [];
  readonly conflicts: FieldConflict[] = [];
  readonly reorders: Reorder[] = [];
  /** items the two sides put in two different lists (moved both, or added both): conflicts. */
  readonly movedApart: ItemCtx[] = [];
  /**
   * Items one side moved (to another list) and the other changed: they must be merged where the move put them;
   * `merged` collects those that were, the rest are conflicts. Shared with the merges of single moved items.
   */
  moves = { theirsMoved: new Map<string, ItemCtx>(), oursMoved: new Map<string, ItemCtx>(), merged: new Set<string>() };
  private readonly b: Map<string, Located>;
  private readonly o: Map<string, Located>;
  private readonly t: Map<string, Located>;

  constructor(
    readonly legacy: boolean,
    base: unknown,
    ours: unknown,
    theirs: unknown,
  ) {
    // the item maps of the three sides (or, for a merge of one moved item, the outer merge's maps)
    const located = (doc: unknown): Map<string, Located> => (doc instanceof Map ? (doc as Map<string, Located>) : legacy ? new Map() : locateItems(doc));
    this.b = located(base);
    this.o = located(ours);
    this.t = located(theirs);
    if (base instanceof Map) return; // a merge of one moved item: the outer merge did this
    for (const [id, oi] of this.o) {
      const ti = this.t.get(id);
      if (ti && ti.list !== oi.list && !this.b.has(id)) this.movedApart.push({ id, name: nameOf(oi.item), field: [] }); // added in two places
    }
    for (const [id, bi] of this.b) {
      const oi = this.o.get(id);
      const ti = this.t.get(id);
      if (!oi || !ti) continue;
      if (oi.list !== bi.list && ti.list !== bi.list && oi.list !== ti.list) this.movedApart.push({ id, name: nameOf(oi.item), field: [] });
      const ctx = { id, name: nameOf(oi.item), field: [] };
      if (ti.list !== bi.list && oi.list === bi.list && !isDeepStrictEqual(oi.item, bi.item)) this.moves.theirsMoved.set(id, ctx);
      if (oi.list !== bi.list && ti.list === bi.list && !isDeepStrictEqual(ti.item, bi.item)) this.moves.oursMoved.set(id, ctx);
    }
  }

  /** Whether `value` holds one of `ids` (an item of a moved-and-changed pair: no shortcut past it). */
  private holdsAny(value: unknown, ids: Map<string, ItemCtx>): boolean {
    if (ids.size === 0) return false;
    if (Array.isArray(value)) return value.some((v) => this.holdsAny(v, ids));
    if (!isMapping(value)) return false;
    const id = metaId(value);
    if (id !== undefined && ids.has(id)) return true;
    return Object.entries(value).some(([k, v]) => k !== 'meta' && this.holdsAny(v, ids));
  }

  /** The moved-and-changed items not merged where they were moved to. */
  unmergedMoves(): ItemCtx[] {
    return [...this.moves.theirsMoved, ...this.moves.oursMoved].filter(([id]) => !this.moves.merged.has(id)).map(([, ctx]) => ctx);
  }

  private conflict(ctx: ItemCtx, field: string): void {
    const c: FieldConflict = { field };
    if (ctx.id !== undefined) c.itemId = ctx.id;
    if (ctx.name !== undefined) c.itemName = ctx.name;
    if (!this.conflicts.some((x) => x.itemId === c.itemId && x.field === c.field)) this.conflicts.push(c);
  }

  private isStamp(ctx: ItemCtx, key: string): boolean {
    if (key !== 'modified') return false;
    return this.legacy ? ctx.field.length === 0 : ctx.field.length === 1 && ctx.field[0] === 'meta';
  }

  /**
   * Merges one value whose ours version sits at `path` in ours' text; returns the merged value (undefined: absent).
   * `o` is never undefined here except for keys (handled by mergeMapping).
   */
  merge(path: YamlPath, b: Json, o: Json, t: Json, outer: ItemCtx): Json {
    if (isDeepStrictEqual(o, t)) return o;
    const oursMovedIn = this.holdsAny(o, this.moves.oursMoved);
    const theirsMovedIn = this.holdsAny(t, this.moves.theirsMoved);
    if (!oursMovedIn && isDeepStrictEqual(b, t)) return o;
    // a mapping with its own id (an item, the base environment, the cookie jar) is an item of its own
    const id = this.legacy ? undefined : metaId(o);
    const ctx: ItemCtx = id !== undefined && id === metaId(t) && id !== outer.id ? { id, name: nameOf(o), field: [] } : outer;
    // mappings and lists of items are merged key by key / item by item even when only theirs changed them, so
    // that only the lines of theirs' changes are written (never a whole item re-rendered)
    if (isMapping(o) && isMapping(t) && (b === undefined || isMapping(b))) return this.mergeMapping(path, b as RawMapping | undefined, o, t, ctx);
    if (!this.legacy && isIdList(o) && isIdList(t) && (b === undefined || isIdList(b)) && (o.length > 0 || t.length > 0)) {
      return this.mergeList(path, o, t, ctx);
    }
    if (!theirsMovedIn && isDeepStrictEqual(b, o)) {
      this.edits.push({ kind: 'set', path, value: t });
      return t;
    }
    this.conflict(ctx, ctx.field.join('.') || '(item)');
    return o;
  }

  private mergeMapping(path: YamlPath, b: RawMapping | undefined, o: RawMapping, t: RawMapping, ctx: ItemCtx): RawMapping {
    const out: RawMapping = {};
    const keys = [...Object.keys(o)];
    for (const k of Object.keys(t)) if (!(k in o)) keys.push(k);
    for (const k of Object.keys(b ?? {})) if (!keys.includes(k)) keys.push(k);
    const removed: string[] = [];
    for (const k of keys) {
      const bv = b?.[k];
      const ov = o[k];
      const tv = t[k];
      const sub: ItemCtx = { ...ctx, field: [...ctx.field, k] };
      const p = [...path, k];
      if (k in o && k in t) {
        if (this.isStamp(ctx, k) && typeof ov === 'number' && typeof tv === 'number' && !isDeepStrictEqual(ov, tv)) {
          if (!isDeepStrictEqual(bv, tv) && tv > ov) this.edits.push({ kind: 'set', path: p, value: tv });
          out[k] = isDeepStrictEqual(bv, tv) ? ov : Math.max(ov, tv);
          continue;
        }
        out[k] = this.merge(p, bv, ov, tv, sub);
        continue;
      }
      if (k in o) {
        // theirs removed it (or never had it)
        if (!(k in (b ?? {}))) {
          out[k] = ov; // ours added
        } else if (isDeepStrictEqual(bv, ov)) {
          removed.push(k); // theirs removed, ours unchanged
        } else {
          this.conflict(sub, sub.field.join('.'));
          out[k] = ov;
        }
        continue;
      }
      if (k in t) {
        if (!(k in (b ?? {}))) {
          out[k] = tv; // theirs added
          const tk = Object.keys(t);
          const after = tk.slice(tk.indexOf(k) + 1).filter((x) => x in o);
          this.edits.push({ kind: 'set', path: p, value: tv, before: after });
        } else if (!isDeepStrictEqual(bv, tv)) {
          this.conflict(sub, sub.field.join('.')); // ours removed, theirs changed
        }
        continue;
      }
      // removed on both sides: absent
    }
    if (removed.length) {
      if (removed.length === Object.keys(o).length && Object.keys(out).length > 0) {
        // every key of ours' mapping goes: one replacement instead of deletions that would collide with additions
        this.edits.splice(0, this.edits.length, ...this.edits.filter((e) => !startsWith(editPath(e), path)));
        this.edits.push({ kind: 'set', path, value: out });
      } else {
        for (const k of removed) this.edits.push({ kind: 'deleteKey', path: [...path, k] });
      }
    }
    return out;
  }

  /** A list of id'd items (v5 `collection`, `children`, `subEnvironments`, ...) at `path` in ours. */
  private mergeList(path: YamlPath, o: RawMapping[], t: RawMapping[], ctx: ItemCtx): RawMapping[] {
    const key = String(path[path.length - 1]);
    const list = `${ctx.id ?? ROOT_LIST}\u0000${key}`;
    const ownerCtx: ItemCtx = { id: ctx.id, name: ctx.name, field: [] };
    const merged: (RawMapping | undefined)[] = []; // by ours' index; undefined: removed here
    const oIds = o.map((x) => metaId(x)!);
    for (let i = 0; i < o.length; i++) {
      const id = oIds[i];
      const itemCtx: ItemCtx = { id, name: nameOf(o[i]), field: [] };
      const ti = this.t.get(id);
      const bi = this.b.get(id);
      if (ti && ti.list === list) {
        merged.push(this.merge([...path, i], bi?.item, o[i], ti.item, itemCtx) as RawMapping);
      } else if (ti) {
        if (bi && bi.list === list) {
          // theirs moved it away (ours kept it here): it goes where theirs put it, merged there with ours' changes;
          // a change of ours that is not merged there by the end is a conflict (see `unmergedMoves`)
          merged.push(undefined);
        } else if (bi && ti.list === bi.list) {
          merged.push(this.merge([...path, i], bi.item, o[i], ti.item, itemCtx) as RawMapping); // ours moved it here
          this.moves.merged.add(id);
        } else {
          this.conflict(itemCtx, '(moved)');
          merged.push(o[i]);
        }
      } else if (bi) {
        // theirs deleted it
        if (isDeepStrictEqual(o[i], bi.item)) merged.push(undefined);
        else {
          this.conflict(itemCtx, '(deleted)');
          merged.push(o[i]);
        }
      } else {
        merged.push(o[i]); // ours added it
      }
    }
    // theirs' items that are not in ours' list: additions (and moves here), placed after the item they follow in theirs
    const inserts: { index: number; value: RawMapping; id: string }[] = [];
    let anchor = -1;
    for (const item of t) {
      const id = metaId(item)!;
      const at = oIds.indexOf(id);
      if (at >= 0) {
        if (merged[at] !== undefined) {
          anchor = at;
          // after ours' own additions that follow it: ours' new items first, then theirs'
          while (anchor + 1 < o.length && !this.t.has(oIds[anchor + 1]) && !this.b.has(oIds[anchor + 1])) anchor++;
        }
        continue;
      }
      const oi = this.o.get(id);
      const bi = this.b.get(id);
      let add = false;
      let value = item;
      if (oi) {
        if (bi && bi.list !== list && oi.list === bi.list) {
          // theirs moved it here, ours left it where it was: here, with ours' changes merged in
          add = true;
          if (!isDeepStrictEqual(oi.item, bi.item)) {
            const sub = new Merger(this.legacy, this.b, this.o, this.t);
            sub.moves = this.moves;
            value = sub.merge([], bi.item, oi.item, item, { id, name: nameOf(oi.item), field: [] }) as RawMapping;
            for (const c of sub.conflicts) this.conflict({ id: c.itemId, name: c.itemName, field: [] }, c.field);
            if (sub.conflicts.length) add = false;
          }
          this.moves.merged.add(id);
        }
      } else if (bi) {
        if (!isDeepStrictEqual(item, bi.item)) this.conflict({ id, name: nameOf(item), field: [] }, '(deleted)'); // ours deleted, theirs changed
      } else {
        add = true;
      }
      if (add) inserts.push({ index: anchor + 1, value, id });
    }
    // the merged list: ours' order, removals dropped, insertions in place
    let result: { id: string; value: RawMapping }[] = [];
    for (let i = 0; i <= o.length; i++) {
      for (const ins of inserts) if (ins.index === i) result.push({ id: ins.id, value: ins.value });
      if (i < o.length && merged[i] !== undefined) result.push({ id: oIds[i], value: merged[i]! });
    }
    // a reorder on one side: the ids both kept, in the order of the side that reordered
    const bList = this.listIds(this.b, list);
    const tIds = t.map((x) => metaId(x)!);
    const common = (ids: string[]): string[] => ids.filter((id) => bList.includes(id) && oIds.includes(id) && tIds.includes(id));
    const bOrder = common(bList);
    const oOrder = common(oIds);
    const tOrder = common(tIds);
    const oMoved = !isDeepStrictEqual(oOrder, bOrder);
    const tMoved = !isDeepStrictEqual(tOrder, bOrder);
    if (oMoved && tMoved && !isDeepStrictEqual(oOrder, tOrder)) {
      this.conflict(ownerCtx, `${key} (order)`);
    } else if (tMoved && !oMoved) {
      // slots held by items theirs also has get those items in theirs' order
      const inT = new Set(tIds);
      const slots = result.map((r, i) => (inT.has(r.id) ? i : -1)).filter((i) => i >= 0);
      const wanted = tIds.filter((id) => result.some((r) => r.id === id));
      const byId = new Map(result.map((r) => [r.id, r]));
      const next = [...result];
      slots.forEach((slot, j) => (next[slot] = byId.get(wanted[j])!));
      if (!isDeepStrictEqual(next.map((r) => r.id), result.map((r) => r.id))) {
        result = next;
        this.reorders.push({ owner: ctx.id, key, order: result.map((r) => r.id) });
      }
    }
    // edits: removals, insertions (whole list replaced when everything of ours goes, so edits cannot collide)
    const removedAll = merged.every((m) => m === undefined) && o.length > 0;
    if (removedAll) {
      this.edits.splice(0, this.edits.length, ...this.edits.filter((e) => !startsWith(editPath(e), path)));
      this.edits.push({ kind: 'set', path, value: result.map((r) => r.value) });
      return result.map((r) => r.value);
    }
    // insertions first: one before an item that goes must come before that item's removal in the text
    for (const ins of inserts) this.edits.push({ kind: 'insertItem', seqPath: path, index: ins.index, value: ins.value });
    for (let i = 0; i < o.length; i++) if (merged[i] === undefined) this.edits.push({ kind: 'deleteItem', path: [...path, i] });
    return result.map((r) => r.value);
  }

  private listIds(m: Map<string, Located>, list: string): string[] {
    const out: string[] = [];
    for (const [id, l] of m) if (l.list === list) out.push(id);
    return out;
  }
}

function editPath(e: Edit): YamlPath {
  return e.kind === 'insertItem' ? e.seqPath : e.path;
}

function startsWith(p: YamlPath, prefix: YamlPath): boolean {
  return p.length >= prefix.length && prefix.every((s, i) => String(p[i]) === String(s));
}

type Kind = 'legacy' | 'v5';

function kindOf(doc: unknown, text: string): Kind | undefined {
  if (!isMapping(doc)) return undefined;
  if (v5TypeInFirstLine(firstLine(text)) !== undefined) return 'v5';
  if (typeof doc._id === 'string' && doc._id !== '' && typeof doc.type === 'string' && doc.type !== '') return 'legacy';
  return undefined;
}

/** Applies a reorder to the list `key` of the item `owner` (or the root) in `text`, moving whole item blocks. */
function applyReorder(text: string, r: Reorder): string {
  const doc: Document.Parsed = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length) throw new Refused('intermediate text does not parse');
  const findOwner = (node: unknown): YAMLMap<unknown, unknown> | undefined => {
    if (isMap(node)) {
      if (r.owner === undefined) return node;
      const meta = node.get('meta');
      if (isMap(meta) && meta.get('id') === r.owner) return node;
      for (const p of node.items) {
        const f = findOwner(p.value);
        if (f) return f;
      }
    } else if (isSeq(node)) {
      for (const it of node.items) {
        const f = findOwner(it);
        if (f) return f;
      }
    }
    return undefined;
  };
  const owner = findOwner(doc.contents);
  const seq = owner?.get(r.key, true);
  if (!isSeq(seq) || seq.flow) throw new Refused('cannot reorder this list');
  const items = (seq as YAMLSeq<unknown>).items;
  const src = (seq as unknown as { srcToken?: { items?: { start?: { type: string; offset: number }[] }[] } }).srcToken;
  const starts = items.map((_, i) => {
    const tok = src?.items?.[i]?.start?.find((t) => t.type === 'seq-item-ind');
    if (!tok) throw new Refused('list item without a `-`');
    return text.lastIndexOf('\n', tok.offset - 1) + 1;
  });
  const lastNode = items[items.length - 1] as { range?: [number, number, number] } | null;
  let end = lastNode?.range ? lastNode.range[1] : starts[starts.length - 1];
  if (!(end === 0 || text[end - 1] === '\n')) {
    const nl = text.indexOf('\n', end);
    end = nl === -1 ? text.length : nl + 1;
  }
  const blocks = new Map<string, string>();
  items.forEach((it, i) => {
    const id = isMap(it) && isMap(it.get('meta')) ? String((it.get('meta') as YAMLMap<unknown, unknown>).get('id')) : '';
    let block = text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : end);
    if (!block.endsWith('\n')) block += '\n';
    blocks.set(id, block);
  });
  if (blocks.size !== r.order.length || r.order.some((id) => !blocks.has(id))) throw new Refused('list changed under the reorder');
  const body = r.order.map((id) => blocks.get(id)!).join('');
  const tail = text.slice(end);
  return text.slice(0, starts[0]) + (end === text.length && !text.endsWith('\n') ? body.slice(0, -1) : body) + tail;
}

function applyEdits(text: string, edits: readonly Edit[]): string {
  const editor = new YamlEditor(text);
  for (const e of edits) {
    if (e.kind === 'set') editor.set(e.path, e.value, e.before ? { before: e.before } : undefined);
    else if (e.kind === 'deleteKey') editor.deleteKey(e.path);
    else if (e.kind === 'deleteItem') editor.deleteSeqItem(e.path);
    else editor.insertSeqItem(e.seqPath, e.index, e.value);
  }
  return editor.toString();
}

const BLANK = /^[ \t]*\r?\n?$/;

/**
 * The same edits, made inside the top-level `collection` items they touch only (each item's lines taken out as a
 * document of their own, two columns to the left, and put back): a large v5 file is not parsed whole by the YAML
 * editor, which costs several times js-yaml's parse. Only for Insomnia's block layout (`collection:` then `  - `
 * items); undefined when the edits or the text do not fit, and the caller edits the whole text. The result is
 * checked like any other (it must read back as the merge).
 */
function applyPerItem(text: string, edits: readonly Edit[], rootItems: number): string | undefined {
  const byItem = new Map<number, Edit[]>();
  for (const e of edits) {
    const p = editPath(e);
    if (p[0] !== 'collection' || typeof p[1] !== 'number' || p.length < 3) return undefined;
    const list = byItem.get(p[1]) ?? [];
    list.push(e);
    byItem.set(p[1], list);
  }
  if (byItem.size === 0 || rootItems <= 0) return undefined;
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const at = lines.findIndex((l) => /^collection:[ \t]*\r?\n$/.test(l));
  if (at < 0) return undefined;
  const starts: number[] = [];
  let end = lines.length;
  for (let k = at + 1; k < lines.length; k++) {
    const l = lines[k];
    if (BLANK.test(l)) continue;
    if (!l.startsWith(' ')) {
      end = k;
      break;
    }
    if (/^  - /.test(l)) starts.push(k);
    else if (!l.startsWith('    ')) return undefined;
  }
  if (starts.length !== rootItems || starts[0] !== at + 1) return undefined;
  const out = [...lines];
  for (const [i, itemEdits] of byItem) {
    if (i >= starts.length) return undefined;
    const from = starts[i];
    const to = i + 1 < starts.length ? starts[i + 1] : end;
    const block = lines.slice(from, to);
    if (block.some((l) => !BLANK.test(l) && !l.startsWith('  '))) return undefined;
    const sub = block.map((l) => (BLANK.test(l) ? l : l.slice(2))).join('');
    const local = itemEdits.map((e): Edit => {
      if (e.kind === 'insertItem') return { ...e, seqPath: [0, ...e.seqPath.slice(2)] };
      return { ...e, path: [0, ...e.path.slice(2)] } as Edit;
    });
    const edited = applyEdits(sub, local);
    const back = (edited.match(/[^\n]*\n|[^\n]+$/g) ?? []).map((l) => (BLANK.test(l) ? l : `  ${l}`)).join('');
    out[from] = back;
    for (let k = from + 1; k < to; k++) out[k] = '';
  }
  return out.join('');
}

/**
 * Three-way merge of one Insomnia collection file (a v5 file or one legacy `.insomnia/<Type>/<id>.yml` document).
 * `base` null: the file did not exist in the common ancestor (added on both sides).
 */
export function mergeCollectionText(path: string, base: string | null, ours: string, theirs: string): CollectionMergeResult {
  const refuse = (reason: string): CollectionMergeResult => ({ clean: false, conflicts: [], reason });
  for (const text of [base, ours, theirs]) if (text !== null && conflictMarkerProblem(path, text)) return refuse('conflict markers');
  let b: unknown;
  let o: unknown;
  let t: unknown;
  try {
    b = base === null || base === '' ? undefined : loadYaml(base);
    o = loadYaml(ours);
    t = loadYaml(theirs);
  } catch (err) {
    return refuse(`not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const kind = kindOf(o, ours);
  if (!kind || kindOf(t, theirs) !== kind || (b !== undefined && kindOf(b, base!) !== kind)) return refuse('not Insomnia data of one kind');
  if (ours === theirs || theirs === base) return { clean: true, text: ours };
  if (ours === base) return { clean: true, text: theirs };
  const legacy = kind === 'legacy';
  const rootCtx: ItemCtx = legacy
    ? { id: String((o as RawMapping)._id), name: nameOf(o), field: [] }
    : { id: metaId(o), name: nameOf(o), field: [] };
  if (legacy && (isMapping(b) ? b._id : (o as RawMapping)._id) !== (o as RawMapping)._id) return refuse('different documents');
  if (legacy && (t as RawMapping)._id !== (o as RawMapping)._id) return refuse('different documents');
  let merger: Merger;
  let merged: Json;
  try {
    merger = new Merger(legacy, b, o, t);
    merged = merger.merge([], b, o, t, rootCtx);
    for (const ctx of [...merger.movedApart, ...merger.unmergedMoves()]) merger.conflicts.push({ itemId: ctx.id, itemName: ctx.name, field: '(moved)' });
    if (!legacy && !merger.conflicts.length) locateItems(merged); // refuses an item that would end up twice
  } catch (err) {
    if (err instanceof Refused) return refuse(err.message);
    throw err;
  }
  if (merger.conflicts.length) {
    const seen = new Set<string>();
    const conflicts = merger.conflicts.filter((c) => !seen.has(`${c.itemId}\u0000${c.field}`) && !!seen.add(`${c.itemId}\u0000${c.field}`));
    return { clean: false, conflicts };
  }
  let text: string;
  try {
    if (merger.edits.some((e) => editPath(e).length === 0)) return refuse('the whole document changed');
    const rootItems = !legacy && isMapping(o) && Array.isArray(o.collection) ? o.collection.length : -1;
    text = (!legacy && applyPerItem(ours, merger.edits, rootItems)) || applyEdits(ours, merger.edits);
    for (const r of merger.reorders) text = applyReorder(text, r);
  } catch (err) {
    return refuse(`cannot write the merge: ${(err as Error).message}`);
  }
  // the text must read back as the merged value, or it is not used
  let check: unknown;
  try {
    check = loadYaml(text);
  } catch {
    return refuse('the merged text does not parse');
  }
  if (!isDeepStrictEqual(check, merged)) return refuse('the merged text does not read back as the merge');
  if (kind === 'v5' && firstLine(text) !== firstLine(ours)) return refuse('the first line changed');
  return { clean: true, text };
}
