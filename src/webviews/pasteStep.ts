// The undo step of a cURL command pasted into the request editor's URL field: the paste set several fields at once
// (url, method, parameters, headers, body, authentication, and settings.followRedirects for -L), but its step lives in
// the URL field's undo history, so the user may have edited another of those fields (a header, in the Headers tab)
// between the paste and its Undo. Undo gives back only the fields that still hold what the paste put there, and Redo
// sets again only the fields that still hold what Undo gave back: a field edited since keeps the user's edit. Pure.
import type { RequestFieldsPatch } from '../collections/edits';

type Fields = Record<string, unknown>;

/**
 * What a value means, as the host gives it back once written: a row's `id` (the writer gives new rows one) and a key
 * holding false, '' or undefined (`disabled: false`, `description: ''` kept from the file) say nothing more.
 */
function meaning(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(meaning);
  if (typeof v !== 'object' || v === null) return v;
  const out: Fields = {};
  for (const [k, x] of Object.entries(v as Fields)) {
    if (k === 'id' || x === undefined || x === false || x === '') continue;
    out[k] = meaning(x);
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  return equal(meaning(a), meaning(b));
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => equal(v, b[i]));
  const ka = Object.keys(a as Fields);
  const kb = Object.keys(b as Fields);
  return ka.length === kb.length && ka.every((k) => k in (b as Fields) && equal((a as Fields)[k], (b as Fields)[k]));
}

/**
 * The edit that moves `current` (the request as the page holds it now) from `from` to `to`, where `from` and `to`
 * are the same fields' values before and after the step: a field (a setting, key by key) is in it only when it still
 * holds its `from` value. `{}` when every field was edited since.
 */
export function stepPatch(current: RequestFieldsPatch, from: RequestFieldsPatch, to: RequestFieldsPatch): RequestFieldsPatch {
  const cur = current as Fields;
  const out: Fields = {};
  for (const key of Object.keys(to)) {
    const want = (to as Fields)[key];
    if (want === undefined) continue;
    if (key === 'settings' || key === 'scripts') {
      const whole = (cur[key] ?? {}) as Fields;
      const was = ((from as Fields)[key] ?? {}) as Fields;
      const part: Fields = {};
      for (const [k, v] of Object.entries(want as Fields)) if (sameValue(whole[k], was[k])) part[k] = v;
      if (Object.keys(part).length) out[key] = part;
    } else if (sameValue(cur[key], (from as Fields)[key])) {
      out[key] = want;
    }
  }
  return out as RequestFieldsPatch;
}
