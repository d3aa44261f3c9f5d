// Whether an edit from the request editor would overwrite a change made on disk since the page read the request
// (Insomnia saving the same file, a `git checkout` under an open editor). Pure: tested in
// test/unit/collections/edit/editConflict.test.ts; RequestEditorPanel (webviews/requestPanels.ts) holds such an edit and asks the user.
// The merges are reached through the writers bundle (lazyWriters.ts); the small helpers below them are imported directly.
import type { RequestFieldsPatch } from '../edits';
import type { HttpRequest } from '../model';

/** What the user calls each field, for the message. */
const FIELD_NAMES: Record<string, string> = {
  method: 'method',
  url: 'URL',
  parameters: 'query parameters',
  headers: 'headers',
  body: 'body',
  authentication: 'auth',
  description: 'description',
  settings: 'settings',
  scripts: 'scripts',
};

/**
 * The fields (their display names) that `fields` sets, whose value in the request as it is now (`current`) is
 * neither what the page held before the edit (`base`) nor what the edit sets: someone else changed them since.
 * A field the base does not name is not checked. Settings and scripts are compared key by key. `ownWrite(key, was,
 * now)`: whether `was` is what this editor itself wrote into the field and `now` how the file reads it back (a row
 * of parameters the file gives keys the page did not send): that is no change by someone else.
 */
export function conflictingFields(
  current: HttpRequest,
  fields: RequestFieldsPatch,
  base: RequestFieldsPatch,
  ownWrite: (key: string, was: unknown, now: unknown) => boolean = () => false,
): string[] {
  return conflictingKeys(current, fields, base, ownWrite).map((key) => FIELD_NAMES[key] ?? key);
}

function conflictingKeys(
  current: HttpRequest,
  fields: RequestFieldsPatch,
  base: RequestFieldsPatch,
  ownWrite: (key: string, was: unknown, now: unknown) => boolean,
): (keyof RequestFieldsPatch)[] {
  const out: (keyof RequestFieldsPatch)[] = [];
  for (const key of Object.keys(fields) as (keyof RequestFieldsPatch)[]) {
    const mine = fields[key];
    const was = base[key];
    if (mine === undefined || was === undefined) continue;
    const now = (current as unknown as Record<string, unknown>)[key];
    if (key === 'settings' || key === 'scripts') {
      const nowObj = (now ?? {}) as Record<string, unknown>;
      const wasObj = was as Record<string, unknown>;
      const mineObj = mine as Record<string, unknown>;
      if (Object.keys(mineObj).some((k) => k in wasObj && !same(nowObj[k], wasObj[k]) && !same(nowObj[k], mineObj[k]))) out.push(key);
    } else if (!same(now, was) && !same(now, mine) && !ownWrite(key, was, now)) {
      out.push(key);
    }
  }
  return out;
}

/**
 * The editor's edit merged with the request as it is on disk now (`current`), as conflictingFields judges it: a field
 * changed on both sides is merged row by row (headers, query parameters, form rows) and key by key (auth, body) when
 * the two changes touch different rows and keys, as Insomnia saving a teammate's header while the user types in
 * another one. `fields` is what to write (the merged values in place of the page's); `conflicts` names the fields both
 * changed in the same place (the edit is then held).
 */
export function mergeWithDisk(
  current: HttpRequest,
  fields: RequestFieldsPatch,
  base: RequestFieldsPatch,
  ownWrite: (key: string, was: unknown, now: unknown) => boolean = () => false,
): { fields: RequestFieldsPatch; conflicts: string[] } {
  const merged: Record<string, unknown> = { ...fields };
  const conflicts: string[] = [];
  for (const key of conflictingKeys(current, fields, base, ownWrite)) {
    const now = (current as unknown as Record<string, unknown>)[key];
    const m = key === 'settings' || key === 'scripts' ? undefined : mergeValue(base[key], now, fields[key]);
    if (m) merged[key] = m.value;
    else conflicts.push(FIELD_NAMES[key] ?? key);
  }
  return { fields: merged as RequestFieldsPatch, conflicts };
}

type Merged = { value: unknown } | undefined;

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * A three-way merge of one value: what the page held (`base`), the disk, the page's edit (`mine`). Mappings key by
 * key, lists of rows row by row; anything else merges only when one side left it. undefined: a conflict.
 */
export function mergeValue(base: unknown, disk: unknown, mine: unknown): Merged {
  if (same(disk, base) || same(mine, disk)) return { value: mine };
  if (same(mine, base)) return { value: disk };
  if (isRecord(base) && isRecord(disk) && isRecord(mine)) return mergeKeys(base, disk, mine);
  if (Array.isArray(base) && Array.isArray(disk) && Array.isArray(mine)) return mergeRows(base, disk, mine);
  return undefined;
}

function mergeKeys(base: Record<string, unknown>, disk: Record<string, unknown>, mine: Record<string, unknown>): Merged {
  const has = (o: Record<string, unknown>, k: string) => o[k] !== undefined;
  const out: Record<string, unknown> = {};
  const keys = [...Object.keys(mine), ...Object.keys(disk).filter((k) => !(k in mine))];
  for (const k of keys) {
    const m = has(mine, k) ? mergeValue(has(base, k) ? base[k] : undefined, has(disk, k) ? disk[k] : undefined, has(mine, k) ? mine[k] : undefined) : undefined;
    if (has(mine, k)) {
      if (!m) return undefined;
      if (m.value !== undefined) out[k] = m.value;
    } else if (has(disk, k)) {
      // the user removed it (or never had it): the disk's stays only if the page never had it or the disk changed it
      if (!has(base, k)) out[k] = disk[k];
      else if (!same(disk[k], base[k])) return undefined;
    }
  }
  return { value: out };
}

/** A run of base rows [start, end) one side replaced with `rows` (an insertion when start === end). */
interface Hunk {
  readonly start: number;
  readonly end: number;
  readonly rows: readonly unknown[];
}

/** The hunks that turn `base` into `side`, by the longest common run of equal rows. */
function hunks(base: readonly unknown[], side: readonly unknown[]): Hunk[] {
  const b = base.map(canonical);
  const s = side.map(canonical);
  const n = b.length;
  const m = s.length;
  // lcs[i][j]: the longest common subsequence of b[i..] and s[j..]
  const lcs = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = b[i] === s[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: Hunk[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && b[i] === s[j]) {
      i++;
      j++;
      continue;
    }
    const start = i;
    const from = j;
    while ((i < n || j < m) && !(i < n && j < m && b[i] === s[j])) {
      if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) i++;
      else j++;
    }
    out.push({ start, end: i, rows: side.slice(from, j) });
  }
  return out;
}

/**
 * Rows (headers, parameters, form fields: no ids to go by) merged as diff3 does, except that changes next to each
 * other merge: each side's changes are runs of base rows replaced; runs of the two sides that overlap conflict, unless
 * they are the same, or replace the same rows one for one (merged key by key: a value on one side, `disabled` on the
 * other).
 */
function mergeRows(base: readonly unknown[], disk: readonly unknown[], mine: readonly unknown[]): Merged {
  const d = hunks(base, disk);
  const m = hunks(base, mine);
  const out: unknown[] = [];
  let at = 0;
  let di = 0;
  let mi = 0;
  const take = (h: Hunk, rows: readonly unknown[] = h.rows) => {
    out.push(...base.slice(at, h.start), ...rows);
    at = h.end;
  };
  while (di < d.length || mi < m.length) {
    const dh = d[di];
    const mh = m[mi];
    if (!dh || !mh) {
      take((dh ?? mh)!);
      if (dh) di++;
      else mi++;
      continue;
    }
    const insertion = (h: Hunk) => h.start === h.end;
    const overlap = (dh.start < mh.end && mh.start < dh.end) || (dh.start === mh.start && (insertion(dh) || insertion(mh)));
    if (!overlap) {
      // the earlier one first (an insertion at the start of the other's run goes before it)
      if (dh.start < mh.start || (dh.start === mh.start && insertion(dh))) {
        take(dh);
        di++;
      } else {
        take(mh);
        mi++;
      }
      continue;
    }
    if (dh.start !== mh.start || dh.end !== mh.end) return undefined;
    if (same(dh.rows, mh.rows)) {
      take(mh);
    } else {
      if (dh.rows.length !== dh.end - dh.start || mh.rows.length !== mh.end - mh.start) return undefined;
      const rows: unknown[] = [];
      for (let k = 0; k < mh.rows.length; k++) {
        const r = mergeValue(base[dh.start + k], dh.rows[k], mh.rows[k]);
        if (!r) return undefined;
        rows.push(r.value);
      }
      take(mh, rows);
    }
    di++;
    mi++;
  }
  out.push(...base.slice(at));
  return { value: out };
}

/**
 * What changed in the repository between an edit's first key and its write (`checkedOut` of src/git/checkedOut.ts at
 * each): `from main to feature/x`; undefined when nothing did, or when there was no repository to begin with.
 */
export function branchSwitch(since: string | undefined, now: string | undefined): string | undefined {
  if (since === undefined || since === now) return undefined;
  const name = (head: string | undefined) => {
    if (head === undefined) return 'no repository';
    const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
    return ref ? ref.replace(/^refs\/heads\//, '') : `a detached HEAD at ${head.slice(0, 7)}`;
  };
  return `from ${name(since)} to ${name(now)}`;
}

/** An environment's variables, in order. */
export type Variables = readonly (readonly [string, unknown])[];

/**
 * The environment editor's edit merged with the environment as it is on disk now, variable by variable: `mine` (the
 * edited variables) against `base` (what the page held before the edit) and `disk`. A variable the user left keeps
 * the disk's value (or is gone when the disk removed it); one the user changed, added or removed wins over a disk left
 * as it was; a variable added on disk is kept (after the user's). A variable both changed differently, or changed on
 * one side and removed on the other, is a conflict: the names are returned instead.
 */
export function mergeVariables(base: Variables, disk: Variables, mine: Variables): { variables: [string, unknown][] } | { conflicts: string[] } {
  const b = new Map(base);
  const d = new Map(disk);
  const m = new Map(mine);
  const out: [string, unknown][] = [];
  const conflicts: string[] = [];
  for (const [k, v] of mine) {
    if (b.has(k) && same(v, b.get(k))) {
      if (d.has(k)) out.push([k, d.get(k)]);
    } else if (d.has(k) ? !same(d.get(k), v) && !(b.has(k) && same(d.get(k), b.get(k))) : b.has(k)) {
      conflicts.push(k);
    } else {
      out.push([k, v]);
    }
  }
  for (const [k, v] of disk) {
    if (m.has(k)) continue;
    if (!b.has(k)) out.push([k, v]);
    else if (!same(v, b.get(k))) conflicts.push(k);
  }
  return conflicts.length ? { conflicts } : { variables: out };
}

/** Equal as data: key order and keys holding undefined do not count. */
export function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      const o = x as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
    }
    return x;
  }) ?? 'undefined';
}
