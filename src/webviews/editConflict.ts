// Whether an edit from the request editor would overwrite a change made on disk since the page read the request
// (Insomnia saving the same file, a `git checkout` under an open editor). Pure: tested in
// test/unit/webviews/editConflict.test.ts; RequestEditorPanel (requestPanels.ts) holds such an edit and asks the user.
import type { RequestFieldsPatch } from '../collections/edits';
import type { HttpRequest } from '../collections/model';

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
  const out: string[] = [];
  for (const key of Object.keys(fields) as (keyof RequestFieldsPatch)[]) {
    const mine = fields[key];
    const was = base[key];
    if (mine === undefined || was === undefined) continue;
    const now = (current as unknown as Record<string, unknown>)[key];
    if (key === 'settings' || key === 'scripts') {
      const nowObj = (now ?? {}) as Record<string, unknown>;
      const wasObj = was as Record<string, unknown>;
      const mineObj = mine as Record<string, unknown>;
      if (Object.keys(mineObj).some((k) => k in wasObj && !same(nowObj[k], wasObj[k]) && !same(nowObj[k], mineObj[k]))) out.push(FIELD_NAMES[key]);
    } else if (!same(now, was) && !same(now, mine) && !ownWrite(key, was, now)) {
      out.push(FIELD_NAMES[key] ?? key);
    }
  }
  return out;
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
