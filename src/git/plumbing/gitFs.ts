// The fs every isomorphic-git call of Hammock goes through. Node's fs, with what git itself guarantees and
// isomorphic-git does not:
//  - atomic writes: every file written inside a git directory goes to a temporary file in the same folder and is
//    renamed over the target, so a process killed mid-write leaves the old file or the new one, never a torn or
//    empty one (git's own temporary names: `objects/xx/tmp_obj_*`, `objects/pack/tmp_pack_*`; elsewhere a dot
//    file, which git's ref scan skips). Refs, packs and config are fsynced before the rename.
//  - a zero-length loose object (left by an earlier crash) is never trusted: it reads as missing, so the next
//    write of that object replaces it instead of keeping it;
//  - a pack whose trailing checksum does not match its content (a cut download) is refused;
//  - linked worktrees (`.git` is a file): paths of a worktree's git directory that git shares (objects, refs,
//    config, packed-refs, ...) are redirected to the common directory (see repoLayout.ts);
//  - deferred refs (withDeferredRefs): while a fetch runs, its ref writes are kept in memory and only applied
//    once the objects they point at are stored and checked.

import * as fs from 'fs';
import * as fsp from 'fs/promises';
import * as path from 'path';
import type { FsClient } from 'isomorphic-git';
import { GitError, GitErrorCode } from '../gitError';
import { acquireLockFile, type IndexLockOptions } from '../indexLock';
import { PackReader } from '../packReader';
import { nodeCrypto, nodeZlib } from './lazyNode';

/** Directories that are worktrees of another repository: worktree gitdir -> common gitdir. */
const worktrees = new Map<string, string>();

/** Files of a worktree's git directory that stay per worktree (everything else is shared). */
const PER_WORKTREE = /^(?:[A-Z_]*HEAD|index|index\.lock|MERGE_MSG|MERGE_MODE|MERGE_RR|SQUASH_MSG|logs\/HEAD|info\/sparse-checkout|refs\/bisect\/.*|refs\/worktree\/.*|refs\/rewritten\/.*|rebase-.*|sequencer\/.*|gitdir|commondir|locked|sharedindex\..*)$/;

export function registerWorktree(gitdir: string, commondir: string): void {
  if (path.resolve(gitdir) !== path.resolve(commondir)) worktrees.set(path.resolve(gitdir), path.resolve(commondir));
}

/** Where `p` really lives: inside the common directory when `p` is a shared path of a linked worktree's gitdir. */
export function realGitPath(p: string): string {
  if (worktrees.size === 0) return p;
  const abs = path.resolve(p);
  for (const [gitdir, common] of worktrees) {
    if (abs.startsWith(gitdir + path.sep)) {
      const rel = abs.slice(gitdir.length + 1).split(path.sep).join('/');
      return PER_WORKTREE.test(rel) ? abs : path.join(common, rel);
    }
  }
  return p;
}

const LOOSE_OBJECT = /[\\/]objects[\\/][0-9a-f]{2}[\\/][0-9a-f]{38}$/;
const PACK_FILE = /[\\/]objects[\\/]pack[\\/][^\\/]+\.pack$/;
const IN_GITDIR = /[\\/]\.git[\\/]|[\\/]objects[\\/]|[\\/]refs[\\/]|[\\/](?:packed-refs|config|HEAD|shallow|[A-Z_]+_HEAD)$/;

/**
 * The reads of this thread (readFile, stat, lstat, readdir, readlink of gitFs, and refsOnDisk's): Node's
 * asynchronous calls, else (useBlockingReads) its synchronous ones.
 */
let reads: Pick<typeof fsp, 'readFile' | 'stat' | 'lstat' | 'readdir' | 'readlink'> = fsp;

function settled<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Makes this thread's git reads synchronous (`on` false: asynchronous again): for a thread that may block (the
 * transfer worker). A fetch makes dozens of small reads in a row (isomorphic-git's ref lookups and config, the refs
 * before and after), each of which otherwise waits its turn on libuv's thread pool, which every thread of the
 * process shares (the extension host reads the index and trees meanwhile): in a pull on two busy cores, the worker's
 * steps before its first request took 5-6 ms that way, under 1 ms with these.
 */
export function useBlockingReads(on = true): void {
  reads = !on ? fsp : {
    readFile: ((p: fs.PathLike, o?: unknown) => settled(() => fs.readFileSync(p, o as undefined))) as typeof fsp.readFile,
    stat: ((p: fs.PathLike, o?: fs.StatOptions) => settled(() => fs.statSync(p, o))) as typeof fsp.stat,
    lstat: ((p: fs.PathLike, o?: fs.StatOptions) => settled(() => fs.lstatSync(p, o))) as typeof fsp.lstat,
    readdir: ((p: fs.PathLike, o?: unknown) => settled(() => fs.readdirSync(p, o as undefined))) as typeof fsp.readdir,
    readlink: ((p: fs.PathLike, o?: unknown) => settled(() => fs.readlinkSync(p, o as undefined))) as typeof fsp.readlink,
  };
}

function notFound(p: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOENT: no such file or directory, '${p}'`), { code: 'ENOENT', errno: -2, path: p });
}

function tempNameFor(target: string): string {
  const dir = path.dirname(target);
  const rand = nodeCrypto().randomBytes(6).toString('hex');
  if (LOOSE_OBJECT.test(target)) return path.join(dir, `tmp_obj_${rand}`);
  if (/[\\/]objects[\\/]pack$/.test(dir)) return path.join(dir, `tmp_pack_${rand}`);
  return path.join(dir, `.${path.basename(target)}.hammock-${rand}.tmp`);
}

/**
 * Writes `data` to `target` atomically: a temporary file in the same folder, optionally fsynced, then renamed over
 * the target. The temporary file is removed when anything fails. With `lock`, the temporary file is git's lock of
 * the target (`<target>.lock`, created exclusively), so a git command holding it is waited for (then IndexLocked),
 * and git waits for, or fails on, Hammock's.
 */
export async function atomicWriteFile(target: string, data: string | Uint8Array, options: { fsync?: boolean; mode?: number; lock?: boolean } = {}): Promise<void> {
  const tmp = options.lock ? `${target}.lock` : tempNameFor(target);
  const fh = options.lock ? await acquireLockFile(tmp, {}, options.mode ?? 0o666) : await fsp.open(tmp, 'wx', options.mode ?? 0o666);
  try {
    try {
      await fh.writeFile(data);
      if (options.fsync) await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, target);
  } catch (err) {
    await fsp.unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/**
 * git's lock of one ref, held from before an operation writes anything until it moves the ref (git's ref
 * transaction): `<ref>.lock` is created exclusively (a git command holding it is waited for, then IndexLocked), and
 * the ref is checked to still hold what the operation read (`expected`; null: it must not exist; undefined: not
 * checked). commit() writes the new value into the lock, fsyncs it and renames it over the ref; release() (always
 * call it) removes a lock that was not committed.
 */
export class RefLock {
  private done = false;

  private constructor(
    readonly ref: string,
    private readonly file: string,
    private readonly handle: fsp.FileHandle,
  ) {}

  static async acquire(gitdir: string, ref: string, expected: string | null | undefined, options?: IndexLockOptions): Promise<RefLock> {
    assertRefPath(ref);
    const file = realGitPath(path.join(gitdir, ref));
    try {
      await fsp.mkdir(path.dirname(file), { recursive: true });
    } catch (err) {
      // a ref named like one of the name's folders (`refs/remotes/origin/a` for `.../a/b`): no folder can be made there
      const code = (err as NodeJS.ErrnoException).code;
      const other = code === 'EEXIST' || code === 'ENOTDIR' ? await conflictingRef(gitdir, ref) : null;
      if (other) throw refNameConflict(ref, other);
      throw err;
    }
    const lock = new RefLock(ref, file, await acquireLockFile(`${file}.lock`, options));
    try {
      if (expected !== undefined) {
        const current = await refValueOnDisk(gitdir, file, ref);
        // a ref to create: none named like a folder of it, or below it, loose or packed (git's refname availability check)
        const other = current === null && expected === null ? await conflictingRef(gitdir, ref) : null;
        if (other) throw refNameConflict(ref, other);
        if (current !== expected) {
          throw new GitError(
            GitErrorCode.RefChanged,
            `${ref} changed while Hammock was updating it: another git command moved it to ${shortRef(current, 'nothing')} (Hammock expected ${shortRef(expected, 'no branch')}). Nothing was overwritten; run the operation again.`,
            { ref },
          );
        }
      }
    } catch (err) {
      await lock.release();
      throw err;
    }
    return lock;
  }

  /** The lock is still held (neither committed nor released). */
  get held(): boolean {
    return !this.done;
  }

  /** What the ref holds on disk now (its loose file, else its packed-refs line; null: it does not exist). */
  current(gitdir: string): Promise<string | null> {
    return refValueOnDisk(gitdir, this.file, this.ref);
  }

  /**
   * Sets the ref to `oid` (or, with `symbolic`, to `ref: <target>`) and releases the lock. `log` (the reflog entries)
   * runs once the new value is in the lock, before it is renamed over the ref, as git's files backend writes them
   * (files_transaction_finish: the log, then the rename): a reader never sees the ref moved without its entry, and
   * when the entry cannot be written the ref does not move.
   */
  async commit(value: string, symbolic = false, log?: () => Promise<void>): Promise<void> {
    if (this.done) throw new Error(`${this.ref}.lock already released`);
    try {
      await this.handle.writeFile(symbolic ? `ref: ${value}\n` : `${value}\n`);
      await this.handle.sync();
      await this.handle.close();
      await log?.();
      await fsp.rename(`${this.file}.lock`, this.file);
      this.done = true;
    } finally {
      await this.release();
    }
  }

  /**
   * Deletes the ref as git's ref transaction does (refs.c, files backend): its line in packed-refs first, under
   * `packed-refs.lock` (read again once locked, so a concurrent `git pack-refs` or deletion is never undone), then
   * its loose file and its reflog; the lock is released, and folders left empty are removed.
   */
  async delete(gitdir: string, options?: IndexLockOptions): Promise<void> {
    if (this.done) throw new Error(`${this.ref}.lock already released`);
    try {
      await removePackedRef(gitdir, this.ref, options);
      await fsp.unlink(this.file).catch(ignoreMissing);
      await fsp.unlink(realGitPath(path.join(gitdir, 'logs', this.ref))).catch(ignoreMissing);
    } finally {
      await this.release();
    }
    // below `refs/heads` (`refs/remotes`, ...), which stays, as git's try_remove_empty_parents leaves it
    const kept = this.ref.split('/').slice(0, 2).join('/');
    await removeEmptyParents(realGitPath(path.join(gitdir, kept)), this.file);
    await removeEmptyParents(realGitPath(path.join(gitdir, 'logs', kept)), realGitPath(path.join(gitdir, 'logs', this.ref)));
  }

  /** Removes the lock without changing the ref (nothing to do after commit). */
  async release(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.handle.close().catch(() => undefined);
    await fsp.unlink(`${this.file}.lock`).catch(() => undefined);
  }
}

/**
 * Moves `ref` (`refs/heads/main`) of `gitdir` from `expected` (null: it must not exist) to `oid` under its lock
 * (RefLock). When the ref no longer holds `expected` (another git command moved it since it was read), nothing is
 * written: the error says so, and the commit it points at stays where it is.
 */
/**
 * Refuses a ref name that does not name a file inside the git directory: an empty, `.` or `..` part, an absolute path,
 * a backslash or a NUL. A remote chooses the names of what it advertises (`refs/heads/../../../collection.yaml` from a
 * hostile server), and a ref's file and its reflog's are written at the name's path. git refuses such names too
 * (check_refname_format), so nothing git wrote is refused here.
 */
export function assertRefPath(ref: string): void {
  const parts = ref.split('/');
  if (ref === '' || ref.startsWith('/') || /[\\\0]/.test(ref) || /^[A-Za-z]:/.test(ref) || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new GitError(GitErrorCode.InvalidBranchName, `Refusing to write the ref ${JSON.stringify(ref)}: it is not a valid ref name (a remote may have sent it).`, { ref });
  }
}

export async function updateRefFile(gitdir: string, ref: string, oid: string, expected: string | null, log?: RefLog): Promise<void> {
  const lock = await RefLock.acquire(gitdir, ref, expected);
  await lock.commit(oid, false, log && (() => log(ref, expected, oid)));
}

/** git's refusal of `ref` while `other` holds its name's place (refs.c, refs_verify_refname_available). */
export function refNameConflict(ref: string, other: string): GitError {
  return new GitError(GitErrorCode.RefNameConflict, `cannot lock ref '${ref}': '${other}' exists; cannot create '${ref}'`, { ref });
}

/** A ref's value for a message: an abbreviated commit id, or the branch a symbolic ref names. */
function shortRef(value: string | null, none: string): string {
  if (!value) return none;
  return value.startsWith('ref: ') ? value.slice(5).replace(/^refs\/heads\//, '') : value.slice(0, 7);
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}

/** Removes the empty folders from `file`'s up to (not including) `top`, as git does after deleting a ref. */
async function removeEmptyParents(top: string, file: string): Promise<void> {
  for (let dir = path.dirname(file); dir.startsWith(top + path.sep); dir = path.dirname(dir)) {
    try {
      await fsp.rmdir(dir);
    } catch {
      return; // not empty (or gone)
    }
  }
}

/**
 * Drops `ref` (and its peeled `^` line) from packed-refs under `packed-refs.lock`, as git's packed ref transaction
 * does; nothing is locked or written when packed-refs does not list it.
 */
async function removePackedRef(gitdir: string, ref: string, options?: IndexLockOptions): Promise<void> {
  const file = realGitPath(path.join(gitdir, 'packed-refs'));
  const lists = (text: string): boolean => text.split('\n').some((l) => l.length === 41 + ref.length && l.endsWith(` ${ref}`));
  const before = await fsp.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? '' : Promise.reject(err)));
  if (!lists(before)) return;
  const handle = await acquireLockFile(`${file}.lock`, options);
  let committed = false;
  try {
    const lines = (await fsp.readFile(file, 'utf8')).split('\n'); // read again under the lock
    const kept: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].length === 41 + ref.length && lines[i].endsWith(` ${ref}`)) {
        while (lines[i + 1]?.startsWith('^')) i++;
        continue;
      }
      kept.push(lines[i]);
    }
    await handle.writeFile(kept.join('\n'));
    await handle.sync();
    await handle.close();
    await fsp.rename(`${file}.lock`, file);
    committed = true;
  } finally {
    if (!committed) {
      await handle.close().catch(() => undefined);
      await fsp.unlink(`${file}.lock`).catch(() => undefined);
    }
  }
}

/**
 * The ref that keeps `ref` from being created (git's directory/file conflict, refs.c refs_verify_refname_available):
 * one named like a folder of it (`refs/heads/a` for `refs/heads/a/b`) or one below it (`refs/heads/a/b` for
 * `refs/heads/a`), loose or only in packed-refs; null when there is none.
 */
export async function conflictingRef(gitdir: string, ref: string): Promise<string | null> {
  const packed = (await fsp.readFile(realGitPath(path.join(gitdir, 'packed-refs')), 'utf8').catch(() => ''))
    .split('\n')
    .map((line) => /^[0-9a-f]{40} (\S+)$/.exec(line)?.[1])
    .filter((name): name is string => !!name);
  const isFile = (name: string): Promise<boolean> =>
    fsp.stat(realGitPath(path.join(gitdir, name))).then(
      (st) => st.isFile(),
      () => false,
    );
  const parts = ref.split('/');
  for (let i = 2; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    if (packed.includes(prefix) || (await isFile(prefix))) return prefix;
  }
  const below = async (name: string): Promise<string | null> => {
    const entries = await fsp.readdir(realGitPath(path.join(gitdir, name)), { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((x, y) => (x.name < y.name ? -1 : 1))) {
      if (e.isDirectory()) {
        const found = await below(`${name}/${e.name}`);
        if (found) return found;
      } else if (!e.name.endsWith('.lock') && !e.name.startsWith('.')) return `${name}/${e.name}`;
    }
    return null;
  };
  const loose = await below(ref);
  const packedBelow = packed.filter((name) => name.startsWith(`${ref}/`)).sort()[0] ?? null;
  return loose && packedBelow ? (loose < packedBelow ? loose : packedBelow) : (loose ?? packedBelow);
}

const OID = /^[0-9a-f]{40}$/;

/**
 * HEAD as isomorphic-git's currentBranch (short name) and resolveRef('HEAD') give it, read without loading
 * isomorphic-git, in the two common cases: on a branch (`ref: refs/heads/<name>`; its oid from the loose ref, else
 * packed-refs, null when it has no commit yet) or detached (an oid, no branch). undefined for anything else (a
 * symbolic ref elsewhere or to another symbolic ref, a damaged file, an error): the caller asks isomorphic-git.
 * A linked worktree's `gitdir` must be registered (registerWorktree, as GitClient does): its refs are shared.
 */
export async function readHead(gitdir: string): Promise<{ branch: string | undefined; oid: string | null } | undefined> {
  try {
    const head = (await fsp.readFile(path.join(gitdir, 'HEAD'), 'utf8')).trim();
    if (OID.test(head)) return { branch: undefined, oid: head };
    const ref = /^ref: (refs\/heads\/[^\s]+)$/.exec(head)?.[1];
    if (!ref) return undefined;
    const oid = await refValueOnDisk(gitdir, realGitPath(path.join(gitdir, ref)), ref);
    return oid === null || OID.test(oid) ? { branch: ref.slice('refs/heads/'.length), oid } : undefined;
  } catch {
    return undefined;
  }
}

/** What `ref` holds on disk: its loose file, else its line in packed-refs; null when neither has it. */
async function refValueOnDisk(gitdir: string, file: string, ref: string): Promise<string | null> {
  try {
    return (await fsp.readFile(file, 'utf8')).trim();
  } catch (err) {
    // (a folder there holds refs below the name, `refs/remotes/origin/a/b` for `.../a`: no loose ref of that name)
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'ENOTDIR') throw err;
  }
  let packed: string;
  try {
    packed = await fsp.readFile(realGitPath(path.join(gitdir, 'packed-refs')), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  for (const line of packed.split('\n')) {
    if (line.endsWith(` ${ref}`) && /^[0-9a-f]{40} /.test(line) && line.length === 41 + ref.length) return line.slice(0, 40);
  }
  return null;
}

/** fsync of a directory (so a rename into it survives a power cut); ignored where not supported. */
export async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await fsp.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* not supported (Windows) */
  }
}

function packIsComplete(data: Uint8Array): boolean {
  if (data.length < 32) return false;
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.toString('latin1', 0, 4) !== 'PACK') return false;
  const sum = nodeCrypto().createHash('sha1').update(buf.subarray(0, buf.length - 20)).digest();
  return sum.equals(buf.subarray(buf.length - 20));
}

/**
 * A file git locks before writing (`refs/...`, `HEAD`, `packed-refs` of a `.git` folder or of a linked worktree's,
 * and `config`: `git config` writes it through `config.lock`, which a write of ours must neither pass nor be lost under).
 */
const REF_FILE = /[\\/]\.git[\\/](?:worktrees[\\/][^\\/]+[\\/])?(?:refs[\\/].+|HEAD|packed-refs|config)$/;

const GIT_CONFIG = /[\\/]\.git[\\/]config$/;

/**
 * A config text isomorphic-git made, as git writes one: a section added to `before` follows its last line (not a
 * blank line: isomorphic-git keeps the final newline as an empty line), and the file ends with a newline, so that a
 * line appended by another tool does not join the last one.
 */
export function asGitWritesConfig(text: string, before: string | undefined): string {
  const out = before?.endsWith('\n') && text.startsWith(`${before}\n[`) ? before + text.slice(before.length + 1) : text;
  return out.endsWith('\n') || !out ? out : `${out}\n`;
}

export function isLockedRefFile(p: string): boolean {
  return REF_FILE.test(p) && !p.endsWith('.lock');
}

/** Refs, packs, config and the like are fsynced; loose objects (many, and git does not either) and work-tree files not. */
function shouldSync(p: string): boolean {
  return IN_GITDIR.test(p) && !LOOSE_OBJECT.test(p);
}

/** An in-memory layer for ref files: path -> content, or null when deleted. */
export class RefOverlay {
  readonly files = new Map<string, Buffer | null>();
  /** packs written while the overlay was in use (to remove one left without its .idx when the fetch fails). */
  readonly packs: string[] = [];

  constructor(readonly gitdir: string) {}

  covers(p: string): boolean {
    const rel = path.relative(this.gitdir, path.resolve(p)).split(path.sep).join('/');
    return rel === 'packed-refs' || rel.startsWith('refs/');
  }

  /** The refs written (full names -> value), for checking before they are applied. */
  written(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [p, v] of this.files) {
      if (!v) continue;
      const rel = path.relative(this.gitdir, p).split(path.sep).join('/');
      if (rel.startsWith('refs/')) out.set(rel, v.toString('utf8').trim());
    }
    return out;
  }

  /**
   * Applies the layer to disk as git's ref transaction (files backend) does, one ref at a time: deletions first (a
   * pruned `origin/a` may make room for `origin/a/b`), then writes, each under the ref's lock; a deletion also
   * drops the ref from packed-refs under `packed-refs.lock` (RefLock.delete: the layer's own packed-refs, read
   * before the transfer, is never written back). A ref of `expected` moves only from the value it had before the
   * transfer (absent from the map: it must not exist); one another git command moved meanwhile, or whose lock
   * another process holds, is left as it is and returned, with git's words. A ref already at the value it would
   * get is not written. Returns the refs written or deleted, and those refused.
   */
  async apply(expected?: ExpectedRefs, options?: IndexLockOptions, log?: RefLog): Promise<AppliedRefs> {
    const applied = new Set<string>();
    const rejected: RefRejection[] = [];
    const refs: { ref: string; value: Buffer | null }[] = [];
    for (const [p, v] of this.files) {
      const rel = path.relative(this.gitdir, p).split(path.sep).join('/');
      if (rel.startsWith('refs/')) refs.push({ ref: rel, value: v });
    }
    for (const { ref, value } of [...refs.filter((r) => !r.value), ...refs.filter((r) => r.value)]) {
      const wanted = value ? value.toString('utf8').trim() : null;
      const old = expected && ref.startsWith(expected.prefix) ? (expected.values.get(ref) ?? null) : undefined;
      if (old !== undefined && old === wanted) continue;
      let lock: RefLock;
      try {
        lock = await RefLock.acquire(this.gitdir, ref, undefined, options);
      } catch (err) {
        if (err instanceof GitError && err.code === GitErrorCode.RefNameConflict) {
          rejected.push({ ref, kind: 'nameConflict', reason: err.message });
          continue;
        }
        if (!(err instanceof GitError) || err.code !== GitErrorCode.IndexLocked) throw err;
        rejected.push({ ref, kind: 'locked', reason: `cannot lock ref '${ref}': Unable to create '${err.details.lockFile ?? ref + '.lock'}': File exists.`, lockFile: err.details.lockFile });
        continue;
      }
      try {
        const current = await refValueOnDisk(this.gitdir, realGitPath(path.join(this.gitdir, ref)), ref);
        // a ref to create beside one named like a folder of it or below it (`a` and `a/b`): refused, the others go on
        const other = current === null && wanted !== null ? await conflictingRef(this.gitdir, ref) : null;
        if (other) {
          rejected.push({ ref, kind: 'nameConflict', reason: refNameConflict(ref, other).message });
        } else if (current === wanted || (old !== undefined && current !== old)) {
          // already where this fetch would put it (another fetch got there first), or moved from what was read
          if (current !== wanted) rejected.push({ ref, kind: 'moved', reason: refMovedReason(ref, current, old ?? null) });
        } else if (wanted !== null) {
          // the reflog entry (of a ref set to a commit) written while the lock is held, as git does
          await lock.commit(wanted, false, log && /^[0-9a-f]{40}$/.test(wanted) ? () => log(ref, current, wanted) : undefined);
          applied.add(ref);
        } else {
          try {
            await lock.delete(this.gitdir, options);
            applied.add(ref);
          } catch (err) {
            // packed-refs.lock held by another process: the ref stays, loose and packed (git: "could not delete references")
            if (!(err instanceof GitError) || err.code !== GitErrorCode.IndexLocked) throw err;
            rejected.push({ ref, kind: 'locked', reason: `could not delete reference ${ref}: Unable to create '${err.details.lockFile}': File exists.`, lockFile: err.details.lockFile });
          }
        }
      } finally {
        await lock.release();
      }
    }
    this.files.clear();
    return { applied, rejected };
  }
}

/** Writes the reflog entry of `ref` moving from `old` (null: created) to `value`, while its lock is held. */
export type RefLog = (ref: string, old: string | null, value: string) => Promise<void>;

/** What RefOverlay.apply did: the refs it wrote or deleted, and the updates it refused. */
export interface AppliedRefs {
  applied: Set<string>;
  rejected: RefRejection[];
}

/** Refs a deferred write may move only from the values they had (those named `prefix...`; absent: must not exist). */
export interface ExpectedRefs {
  prefix: string;
  values: Map<string, string>;
}

/** A ref update not made, why, and git's words for it. */
export interface RefRejection {
  ref: string;
  /**
   * locked: another process holds the ref's (or packed-refs') lock; moved: another git command moved it since it was
   * read; nonFastForward: a non-forced refspec does not allow it; nameConflict: a ref named like a folder of it, or
   * below it, exists.
   */
  kind: 'locked' | 'moved' | 'nonFastForward' | 'nameConflict';
  reason: string;
  /** for `locked`: the lock file. */
  lockFile?: string;
}

/** git's refusal of a ref update whose old value no longer holds (refs/files-backend.c, check_old_oid). */
function refMovedReason(ref: string, current: string | null, expected: string | null): string {
  if (current === null) return `cannot lock ref '${ref}': unable to resolve reference '${ref}'`;
  if (expected === null) return `cannot lock ref '${ref}': reference already exists`;
  return `cannot lock ref '${ref}': is at ${current} but expected ${expected}`;
}

/**
 * The refs named `prefix...` (`refs/remotes/`) as git reads them: packed-refs, overridden by loose files (a
 * symbolic ref as `ref: <target>`).
 */
export async function refsOnDisk(gitdir: string, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const packed = await reads.readFile(realGitPath(path.join(gitdir, 'packed-refs')), 'utf8').catch(() => '');
  for (const line of packed.split('\n')) {
    const m = /^([0-9a-f]{40}) (\S+)$/.exec(line);
    if (m && m[2].startsWith(prefix)) out.set(m[2], m[1]);
  }
  const walk = async (rel: string): Promise<void> => {
    const entries = await reads.readdir(realGitPath(path.join(gitdir, rel)), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const name = `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(name);
      else if (e.isFile() && !e.name.endsWith('.lock') && !e.name.startsWith('.')) {
        const value = (await reads.readFile(realGitPath(path.join(gitdir, name)), 'utf8').catch(() => '')).trim();
        if (value) out.set(name, value);
      }
    }
  };
  await walk(prefix.replace(/\/$/, ''));
  return out;
}

function fakeFileStats(size: number): fs.Stats {
  const now = new Date();
  const st = new fs.Stats();
  return Object.assign(st, { size, mode: 0o100644, mtime: now, ctime: now, mtimeMs: now.getTime(), ctimeMs: now.getTime(), isFile: () => true, isDirectory: () => false, isSymbolicLink: () => false });
}

const LOOSE_PARTS = /^(.*)[\\/]objects[\\/]([0-9a-f]{2})[\\/]([0-9a-f]{38})$/;
/** pack readers by git directory (objects' parent), the most recently used last. */
const packReaders = new Map<string, PackReader>();

/** Closes every pack reader opened so far (processCaches.forgetProcessCaches). */
export function forgetPackReaders(): void {
  packReaders.clear();
}

/**
 * A packed object as isomorphic-git expects a loose one (deflated `<type> <size>\0<data>`), or undefined. isomorphic-git
 * reads a loose object first and only then its packs, which it loads whole (every index parsed into a map, every
 * pack read into memory: 0.3 s and 10 MB for a 10,000-file repository, on the event loop); served this way, a
 * fetch resolving deltas against objects it has, a merge or a log read only the objects they need.
 */
function packedAsLoose(rp: string): Buffer | undefined {
  const m = LOOSE_PARTS.exec(rp);
  if (!m) return undefined;
  const obj = fromPacks(m[1], m[2] + m[3], (reader, oid) => reader.read(oid));
  if (!obj) return undefined;
  return nodeZlib().deflateSync(Buffer.concat([Buffer.from(`${obj.type} ${obj.data.length}\0`, 'latin1'), obj.data]), { level: 0 }); // stored: isomorphic-git inflates it in JavaScript
}

/**
 * Whether the loose object path `rp` names an object of the packs (the index's binary search, nothing read).
 * isomorphic-git asks whether an object exists (hasObject: the `have` lines of a fetch; writeObject, which writes
 * none that exists) with a stat of its loose path, and else loads every pack index whole into a map (10,000 ids:
 * about 10 ms, before a pull's request is sent); git's has_object looks in its packs the same way.
 */
function isPackedObject(rp: string): boolean {
  const m = LOOSE_PARTS.exec(rp);
  return !!m && !!fromPacks(m[1], m[2] + m[3], (reader, oid) => (reader.has(oid) ? true : undefined));
}

/** `get` on the pack reader of `gitdir` (kept, the 4 most recently used), once more after a refresh when it finds nothing. */
function fromPacks<T>(gitdir: string, oid: string, get: (reader: PackReader, oid: string) => T | undefined): T | undefined {
  let reader = packReaders.get(gitdir);
  if (reader) packReaders.delete(gitdir);
  else reader = PackReader.open(gitdir, 2 * 2 ** 20, 4 * 2 ** 20);
  packReaders.set(gitdir, reader);
  while (packReaders.size > 4) packReaders.delete(packReaders.keys().next().value!);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const found = get(reader, oid);
      if (found !== undefined) return found;
    } catch {
      // a pack removed since (gc)
    }
    if (attempt === 0) reader.refresh(); // or written since (a fetch)
  }
  return undefined;
}

function makeFs(overlay?: RefOverlay): FsClient {
  const real = fsp;
  const layer = (p: unknown): string | undefined => {
    if (!overlay || typeof p !== 'string') return undefined;
    const abs = path.resolve(p);
    return overlay.covers(abs) ? abs : undefined;
  };
  const statLike = async (kind: 'stat' | 'lstat', p: string, o?: unknown): Promise<fs.Stats> => {
    const l = layer(p);
    if (l && overlay!.files.has(l)) {
      const v = overlay!.files.get(l);
      if (!v) throw notFound(p);
      return fakeFileStats(v.length);
    }
    const rp = realGitPath(p);
    let st: fs.Stats;
    try {
      st = (await reads[kind](rp, o as undefined)) as fs.Stats;
    } catch (err) {
      // a packed object exists as readFile serves it (packedAsLoose); its size is not known without deflating
      // it, and isomorphic-git only asks whether it exists
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && isPackedObject(rp)) return fakeFileStats(1);
      throw err;
    }
    if (st.size === 0 && LOOSE_OBJECT.test(rp) && st.isFile()) throw notFound(p);
    return st;
  };
  const promises = {
    async readFile(p: string, o?: unknown): Promise<Buffer | string> {
      const l = layer(p);
      if (l && overlay!.files.has(l)) {
        const v = overlay!.files.get(l);
        if (!v) throw notFound(p);
        const enc = typeof o === 'string' ? o : (o as { encoding?: string } | undefined)?.encoding;
        return enc ? v.toString(enc as BufferEncoding) : Buffer.from(v);
      }
      const rp = realGitPath(p);
      let data: Buffer | string;
      try {
        data = await reads.readFile(rp, o as undefined);
      } catch (err) {
        const encoding = typeof o === 'string' ? o : (o as { encoding?: string } | undefined)?.encoding;
        const packed = (err as NodeJS.ErrnoException).code === 'ENOENT' && !encoding ? packedAsLoose(rp) : undefined;
        if (packed) return packed;
        throw err;
      }
      if (data.length === 0 && LOOSE_OBJECT.test(rp)) throw notFound(p);
      return data;
    },
    async writeFile(p: string, data: string | Uint8Array, o?: unknown): Promise<void> {
      const l = layer(p);
      if (l) {
        overlay!.files.set(l, Buffer.from(typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
        return;
      }
      const rp = realGitPath(p);
      if (PACK_FILE.test(rp) && typeof data !== 'string' && !packIsComplete(data)) {
        throw Object.assign(new Error('The pack received from the remote is incomplete (the transfer was cut).'), { code: 'HAMMOCK_INCOMPLETE_TRANSFER' });
      }
      const mode = typeof o === 'object' && o !== null && 'mode' in o ? Number((o as { mode: number }).mode) : undefined;
      if (typeof data === 'string' && GIT_CONFIG.test(rp)) data = asGitWritesConfig(data, await real.readFile(rp, 'utf8').catch(() => undefined));
      await atomicWriteFile(rp, data, { fsync: shouldSync(rp), mode, lock: isLockedRefFile(rp) });
      if (overlay && PACK_FILE.test(rp)) overlay.packs.push(rp);
    },
    async unlink(p: string): Promise<void> {
      const l = layer(p);
      if (l) {
        overlay!.files.set(l, null);
        return;
      }
      await real.unlink(realGitPath(p));
    },
    stat: (p: string, o?: unknown) => statLike('stat', p, o),
    lstat: (p: string, o?: unknown) => statLike('lstat', p, o),
    async readdir(p: string, o?: unknown): Promise<string[]> {
      const names = (await reads.readdir(realGitPath(p), o as undefined).catch((err: NodeJS.ErrnoException) => {
        if (overlay && err.code === 'ENOENT' && overlay.covers(path.resolve(p) + '/x')) return [] as string[];
        throw err;
      })) as unknown as string[];
      if (!overlay) return names;
      const abs = path.resolve(p);
      const set = new Set(names);
      // a lock (`refs/remotes/origin/main.lock`, a git command at work) is no ref: isomorphic-git would list, and prune, it
      if (overlay.covers(abs + '/x')) for (const name of names) if (name.endsWith('.lock')) set.delete(name);
      for (const [f, v] of overlay.files) {
        if (path.dirname(f) !== abs) continue;
        if (v) set.add(path.basename(f));
        else set.delete(path.basename(f));
      }
      return [...set];
    },
    mkdir: (p: string, o?: unknown) => real.mkdir(realGitPath(p), o as undefined),
    rmdir: (p: string, o?: unknown) => real.rmdir(realGitPath(p), o as undefined),
    rm: (p: string, o?: unknown) => real.rm(realGitPath(p), o as undefined),
    readlink: (p: string, o?: unknown) => reads.readlink(realGitPath(p), o as undefined),
    symlink: (target: string, p: string) => real.symlink(target, realGitPath(p)),
    chmod: (p: string, mode: number) => real.chmod(realGitPath(p), mode),
  };
  return { promises } as unknown as FsClient;
}

/** The fs for isomorphic-git: atomic writes, no trusted empty objects, worktree-aware. */
export const gitFs: FsClient = makeFs();

/**
 * Runs `fn` with an fs whose ref writes (refs/**, packed-refs of `gitdir`) stay in memory; `check` is given the
 * refs written and may throw (nothing is applied then), or `drop` a ref (full name) not to write; the others are
 * then written to disk (RefOverlay.apply: from their `expected` values, with their reflog entries by `log`). Returns `fn`'s result, the refs written
 * and the updates refused.
 */
export async function withDeferredRefs<T>(
  gitdir: string,
  fn: (fs: FsClient) => Promise<T>,
  check: (refs: Map<string, string>, drop: (ref: string) => void) => Promise<void>,
  expected?: ExpectedRefs,
  log?: RefLog,
): Promise<{ value: T } & AppliedRefs> {
  const overlay = new RefOverlay(path.resolve(gitdir));
  try {
    const value = await fn(makeFs(overlay));
    await check(overlay.written(), (ref) => overlay.files.delete(path.join(overlay.gitdir, ref)));
    return { value, ...(await overlay.apply(expected, undefined, log)) };
  } catch (err) {
    // interrupted between storing a pack and its index: git would count the pack as garbage
    for (const pack of overlay.packs) {
      if (!fs.existsSync(pack.replace(/\.pack$/, '.idx'))) await fsp.unlink(pack).catch(() => undefined);
    }
    throw err;
  }
}
