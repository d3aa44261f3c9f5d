// The one check every written path passes (ARCHITECTURE.md: "Every written path passes one guard"): the edit
// planner's, an import's, a conversion's, an export's and a new collection's. Document ids and names from imported or
// converted data become file names, so a hostile one (`../../../outside/victim`, an absolute path, `..\`, a NUL, a
// 300-character name) must never become a write outside the collection it belongs to.
//
// A path is accepted when, after resolving `.`/`..`, with `/` and `\` both taken as separators:
// - it lies inside its collection's folder: a legacy `.insomnia` folder, as `.insomnia/<Type>/<name>.yml` with a
//   type folder Insomnia reads; or a v5 collection's folder, as a `.yaml`/`.yml` file directly in it (an export's
//   output: any file directly in the folder the user chose);
// - that folder lies inside the workspace root;
// - every name below the root is one every file system takes: no NUL or other control character, none of
//   `<>:"|?*\`, not `.`/`..`, no trailing dot or space, no reserved device name (CON, NUL, COM1...), at most 255 bytes;
// - no folder on the way is a symbolic link leading out of the root, and the file itself is not a symbolic link.
// Pure apart from `lstat`/`realpath` of what already exists on the way. No 'vscode'.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { LEGACY_FOLDER_NAME, LEGACY_TYPES } from '../formats/legacy';

export type PathGuardCode = 'badName' | 'tooLong' | 'outsideCollection' | 'outsideWorkspace' | 'notACollectionFile' | 'symlink' | 'mixedScopes';

export class PathGuardError extends Error {
  constructor(
    readonly code: PathGuardCode,
    /** the path as it was asked for. */
    readonly target: string,
    message: string,
  ) {
    super(message);
    this.name = 'PathGuardError';
  }
}

/** Where a write may go: a collection's folder (and what files it holds) inside a workspace root. */
export interface WriteScope {
  /**
   * `legacy`: `folder` is a `.insomnia` folder of `<Type>/<id>.yml` files; `v5`: `folder` holds v5 files; `file`: one
   * file the user chose (an export's `--out`), directly in `folder`.
   */
  readonly format: 'legacy' | 'v5' | 'file';
  /** absolute. */
  readonly folder: string;
  /** the workspace (repository) root the folder is in, absolute; default: the folder holding `.insomnia`, or `folder`. */
  readonly workspaceRoot?: string;
}

/** Longest file name most file systems take (ext4, APFS, NTFS: 255 bytes or UTF-16 units). */
export const MAX_NAME_BYTES = 255;
/** Longest path Linux takes (PATH_MAX). */
export const MAX_PATH_BYTES = 4096;

const LEGACY_TYPE_SET: ReadonlySet<string> = new Set(LEGACY_TYPES);
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const FORBIDDEN_CHARS = /[\x00-\x1f\x7f<>:"|?*\\/]/;
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** Whether Windows keeps this name for a device (CON, aux.yaml, COM1...): no file may have it there. */
export function isReservedDeviceName(name: string): boolean {
  return RESERVED.test(name);
}

/** Why a single path segment (a file or folder name) cannot be written, or undefined when it can. */
export function badNameReason(name: string): string | undefined {
  if (name === '') return 'an empty name';
  if (name.includes('\0')) return 'a NUL character';
  if (name === '.' || name === '..') return `"${name}"`;
  const bad = FORBIDDEN_CHARS.exec(name);
  if (bad) return bad[0] === '/' || bad[0] === '\\' ? `a path separator (${bad[0]})` : `the character ${JSON.stringify(bad[0])}`;
  if (/[. ]$/.test(name)) return 'a trailing dot or space';
  if (RESERVED.test(name)) return `a reserved device name (${name.split('.')[0]})`;
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_NAME_BYTES) return `${bytes} bytes, more than the ${MAX_NAME_BYTES} a file name may have`;
  return undefined;
}

/** Why a document id cannot name its legacy file (`<id>.yml`), or undefined when it can. */
export function unsafeIdReason(id: string): string | undefined {
  return badNameReason(id) ?? badNameReason(`${id}.yml`);
}

/**
 * A name as the file systems that ignore case and Unicode normalization see it (APFS, HFS+, NTFS): two names with
 * one key are one file there (`req_ABC.yml` and `req_abc.yml`, `café` in NFC and in NFD).
 */
export function fileNameKey(name: string): string {
  return name.normalize('NFC').toUpperCase().toLowerCase();
}

/** Why an id cannot name its own file beside `other`'s, which has the same `fileNameKey`. */
export function sameFileReason(other: string): string {
  return `it names the same file as ${JSON.stringify(other)} on a file system that ignores case or Unicode normalization (macOS, Windows)`;
}

/** The file of a legacy document, `<dotInsomnia>/<type>/<id>.yml`; throws a PathGuardError for an id that is no safe name. */
export function legacyDocFile(dotInsomniaDir: string, type: string, id: string): string {
  const reason = unsafeIdReason(id);
  if (reason) throw new PathGuardError('badName', `${id}.yml`, `The id ${JSON.stringify(id)} cannot name a file (${reason}); nothing was written`);
  if (!LEGACY_TYPE_SET.has(type)) throw new PathGuardError('notACollectionFile', type, `${type} is not a folder Insomnia reads in ${LEGACY_FOLDER_NAME}; nothing was written`);
  return path.join(dotInsomniaDir, type, `${id}.yml`);
}

/** The segments of a path, `/` and `\` both taken as separators. */
function segments(p: string): string[] {
  return p.split(/[\\/]+/).filter((s) => s !== '');
}

function defaultRoot(scope: WriteScope): string {
  return scope.workspaceRoot ?? (scope.format === 'legacy' ? path.dirname(scope.folder) : scope.folder);
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Checks one path for writing (or deleting) in a scope; returns it resolved. Throws a PathGuardError that says why not.
 */
export function checkWritePath(target: string, scope: WriteScope): string {
  const refuse = (code: PathGuardCode, why: string): never => {
    throw new PathGuardError(code, target, `Refused to write ${JSON.stringify(target)}: ${why}; nothing was written`);
  };
  if (target.includes('\0')) refuse('badName', 'it holds a NUL character');
  if (!path.isAbsolute(target)) refuse('outsideCollection', 'not an absolute path');
  // `..` and `.` segments are refused rather than resolved: a planner never makes them, a hostile id does
  for (const s of segments(target)) if (s === '..' || s === '.') refuse('outsideCollection', `it climbs out with "${s}"`);
  const resolved = path.resolve(target);
  if (Buffer.byteLength(resolved, 'utf8') > MAX_PATH_BYTES) refuse('tooLong', `the path is longer than ${MAX_PATH_BYTES} bytes`);
  const folder = path.resolve(scope.folder);
  const root = path.resolve(defaultRoot(scope));
  if (!isInside(folder, root)) refuse('outsideWorkspace', `its collection folder ${folder} is outside the workspace ${root}`);
  if (!isInside(resolved, folder) || resolved === folder) refuse('outsideCollection', `it is outside its collection's folder ${folder}`);
  const below = path.relative(folder, resolved).split(path.sep);
  for (const name of below) {
    const why = badNameReason(name);
    if (why) refuse(why.includes('bytes') ? 'tooLong' : 'badName', `the name ${JSON.stringify(name.length > 60 ? `${name.slice(0, 57)}...` : name)} has ${why}`);
  }
  if (scope.format === 'legacy') {
    if (path.basename(folder) !== LEGACY_FOLDER_NAME) refuse('notACollectionFile', `${folder} is not a ${LEGACY_FOLDER_NAME} folder`);
    // new documents are always `.yml` (legacyDocFile); an existing `.yaml` or 2019 `.json` document may be edited
    if (below.length !== 2 || !LEGACY_TYPE_SET.has(below[0]) || !/\.(yml|yaml|json)$/.test(below[1])) {
      refuse('notACollectionFile', `a ${LEGACY_FOLDER_NAME} folder holds <Type>/<id>.yml files only`);
    }
  } else if (scope.format === 'v5' && (below.length !== 1 || !/\.ya?ml$/i.test(below[0]))) {
    refuse('notACollectionFile', 'a v5 collection is a .yaml file in its folder');
  } else if (below.length !== 1) {
    refuse('outsideCollection', `it is not directly in ${folder}`);
  }
  checkLinks(resolved, root, refuse);
  return resolved;
}

/** No symbolic link on the way out of the root, and the file itself not a link (a write would follow it). */
function checkLinks(resolved: string, root: string, refuse: (code: PathGuardCode, why: string) => never): void {
  let realRoot: string;
  try {
    realRoot = fs.realpathSync.native(root);
  } catch {
    return; // the root does not exist yet: nothing on the way can be a link
  }
  try {
    if (fs.lstatSync(resolved).isSymbolicLink()) refuse('symlink', 'it is a symbolic link');
  } catch (err) {
    if (err instanceof PathGuardError) throw err;
  }
  // the deepest folder on the way that exists, resolved, must still be inside the root
  for (let dir = path.dirname(resolved); ; dir = path.dirname(dir)) {
    let real: string | undefined;
    try {
      real = fs.realpathSync.native(dir);
    } catch {
      real = undefined;
    }
    if (real !== undefined) {
      if (!isInside(real, realRoot)) refuse('symlink', `${dir} leads out of the workspace (to ${real})`);
      return;
    }
    if (path.dirname(dir) === dir) return;
  }
}

/**
 * The scope of changes whose caller named none: each path's `.insomnia` folder (legacy) or its folder (v5). All
 * paths must share one; a planner only ever writes into one collection.
 */
export function inferWriteScope(paths: readonly string[]): WriteScope | undefined {
  let scope: WriteScope | undefined;
  for (const p of paths) {
    const segs = p.split(/[\\/]/);
    const at = segs.lastIndexOf(LEGACY_FOLDER_NAME);
    const next: WriteScope =
      at >= 0 ? { format: 'legacy', folder: segs.slice(0, at + 1).join(path.sep) || path.sep } : { format: 'v5', folder: path.dirname(p) };
    if (!scope) scope = next;
    else if (scope.format !== next.format || path.resolve(scope.folder) !== path.resolve(next.folder)) {
      throw new PathGuardError('mixedScopes', p, `Refused to write ${JSON.stringify(p)}: one write goes into one collection (${scope.folder}); nothing was written`);
    }
  }
  return scope;
}
