// What still looks unresolved in a collection file the merge left in conflict, when the user stages it: conflict
// markers left in the text, or a conflicted field that holds the common ancestor's value, neither side's change.
// The second is what an editor that resolves by taking neither side leaves behind (VS Code's merge editor starts
// each conflict as the ancestor's text, "No Changes Accepted", and autosave writes it): the markers are gone and the
// file reads as clean, but both edits are lost. Pure: no 'vscode', no git; the caller reads the merge's three stages.

import { canonical } from './diff';
import { conflictMarkerProblem, isMapping, loadYaml } from './formats/fields';
import { mergeCollectionText, type FieldConflict } from './merge3';

/** A line that is a conflict marker as git writes them (`<<<<<<< HEAD`, `>>>>>>> theirs`). */
const STRAY_MARKER = /^(?:<{7}|>{7})(?:[ \t]|\r?$)/m;
/** `=======` alone: a marker in a YAML or JSON file (in Markdown it underlines a heading). */
const STRAY_SEPARATOR = /^={7}\r?$/m;

export interface UnresolvedConflict {
  /** the item (absent: the file's own fields) and the dotted field, as the merge reported them. */
  readonly conflict: FieldConflict;
  /** markers: conflict markers are still in the text; ancestor: the field holds the common ancestor's value. */
  readonly why: 'markers' | 'ancestor';
  /** 1-based line of the first marker (markers only). */
  readonly line?: number;
}

/**
 * The conflicts `text` (the file as the user left it) still has, against the merge's stages: `base` (null when the
 * file was added on both sides), `ours`, `theirs`. Empty when it looks resolved, or when the file is not Insomnia data
 * the field-level merge understands (then only the markers are looked for).
 */
export function unresolvedConflicts(path: string, text: string, base: string | null, ours: string, theirs: string): UnresolvedConflict[] {
  const markers = conflictMarkerProblem(path, text);
  if (markers) return [{ conflict: { field: '(file)' }, why: 'markers', line: markers.line + 1 }];
  // any one marker line left alone (its `<<<<<<<` deleted, or its `>>>>>>>`) is still a conflict not resolved; the
  // readers' check above wants both ends. (A line of a collection file never starts so: YAML indents the lines of
  // its values; the first line of the Markdown heading below is not a marker either: `=======` alone counts only in
  // YAML and JSON.)
  const found = [STRAY_MARKER.exec(text), /\.(ya?ml|json)$/i.test(path) ? STRAY_SEPARATOR.exec(text) : null].filter((m) => m !== null);
  if (found.length) {
    const at = Math.min(...found.map((m) => m.index));
    return [{ conflict: { field: '(file)' }, why: 'markers', line: text.slice(0, at).split('\n').length }];
  }
  if (base === null) return [];
  const merged = mergeCollectionText(path, base, ours, theirs);
  if (merged.clean || !merged.conflicts.length) return [];
  let docs: unknown[];
  try {
    docs = [base, ours, theirs, text].map((t) => loadYaml(t));
  } catch {
    return [];
  }
  const out: UnresolvedConflict[] = [];
  for (const conflict of merged.conflicts) {
    if (conflict.field.startsWith('(') || conflict.field.endsWith(' (order)')) continue; // (deleted), (moved), children (order)
    const [b, o, t, now] = docs.map((d) => fieldOf(d, conflict));
    if (b === undefined || now === undefined) continue;
    if (now === b && b !== o && b !== t) out.push({ conflict, why: 'ancestor' });
  }
  return out;
}

/** The canonical JSON of a conflict's field in a parsed file; undefined when the item or the field is not there. */
function fieldOf(doc: unknown, conflict: FieldConflict): string | undefined {
  const item = conflict.itemId === undefined ? doc : findItem(doc, conflict.itemId, 0);
  if (!isMapping(item)) return undefined;
  const found = lookup(item, conflict.field, 0);
  return found ? canonical(found.value) : undefined;
}

/**
 * The value at the dotted `field` inside `value`, where a key may itself hold a dot or a space (an environment
 * variable `api.url`): the whole rest as one key first, else each key the rest starts with followed by a dot.
 */
function lookup(value: unknown, rest: string, depth: number): { value: unknown } | undefined {
  if (!isMapping(value) || depth > 64) return undefined;
  if (rest in value) return { value: value[rest] };
  for (const key of Object.keys(value)) {
    if (!rest.startsWith(`${key}.`)) continue;
    const found = lookup(value[key], rest.slice(key.length + 1), depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The object whose id (legacy `_id`, v5 `meta.id`) is `id`, anywhere in the parsed file. */
function findItem(value: unknown, id: string, depth: number): unknown {
  if (depth > 64 || typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = findItem(v, id, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const m = value as Record<string, unknown>;
  if (m._id === id || (isMapping(m.meta) && m.meta.id === id)) return m;
  for (const v of Object.values(m)) {
    const found = findItem(v, id, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** One line per conflict, for a confirmation: `Read a pet: name holds the common ancestor's value`. */
export function describeUnresolved(list: readonly UnresolvedConflict[]): string[] {
  return list.map((u) =>
    u.why === 'markers'
      ? `conflict markers are still in the file (line ${u.line})`
      : `${u.conflict.itemName ?? u.conflict.itemId ?? 'the file'}: ${u.conflict.field} holds the common ancestor's value, neither side's change`,
  );
}
