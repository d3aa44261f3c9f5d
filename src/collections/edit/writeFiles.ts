// Writes planned file changes all or nothing: plan, check every path (pathGuard.ts), then write; when a write fails
// half-way (a full disk, a file where a folder should be, a name the file system refuses), everything already written
// is put back as it was (files restored, new files and folders removed) before the error is thrown.
// Each file is written to a temporary file beside it and renamed over the target, so a crash never leaves a torn
// file, only (at worst) a stray `.hammock-<pid>-*.tmp`, which the next start removes (`removeStaleTempFiles`): in a
// `.insomnia/<Type>/` folder Insomnia's Git Sync refuses it, and git shows it as untracked. No 'vscode'.
// The file calls are synchronous: collection files are small (a 4 MB v5 file is written in a few ms), and on Linux a
// synchronous call costs a tenth of a trip through libuv's thread pool, which an edit would pay four times.

import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { processAlive } from '../../util/processAlive';
import type { FileChange } from '../edits';
import { checkWritePath, inferWriteScope, PathGuardError, type WriteScope } from './pathGuard';

export class WriteFilesError extends Error {
  constructor(
    message: string,
    /** the file whose write failed. */
    readonly file: string,
    /** files that could not be put back (empty when the rollback was complete). */
    readonly notRestored: readonly string[],
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'WriteFilesError';
  }
}

interface Done {
  readonly path: string;
  /** the content before, or null when the file did not exist. */
  readonly before: Buffer | null;
}

/**
 * Writes (or, for `content: null`, deletes) every change, or none. `scope` says where the writes may go; without it,
 * the scope is the one collection folder the paths name (see `inferWriteScope`). Throws a PathGuardError before
 * anything is written when a path is refused, a WriteFilesError after putting everything back when a write fails.
 */
export async function writeFiles(changes: readonly FileChange[], scope?: WriteScope): Promise<void> {
  if (changes.length === 0) return;
  const where = scope ?? inferWriteScope(changes.map((c) => c.path))!;
  const targets = changes.map((c) => checkWritePath(c.path, where));
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t)) throw new PathGuardError('mixedScopes', t, `Refused to write ${t} twice in one change; nothing was written`);
    seen.add(t);
  }
  const done: Done[] = [];
  const createdDirs: string[] = [];
  for (let i = 0; i < changes.length; i++) {
    const target = targets[i];
    const content = changes[i].content;
    try {
      if (changes.length === 1 && content !== null) {
        // one file needs no copy to put back: the rename either replaced it whole or did not happen
        makeDirs(path.dirname(target), createdDirs);
        replaceFile(target, content);
        continue;
      }
      const before = readIfExists(target);
      if (content === null) {
        if (before === null) continue;
        done.push({ path: target, before });
        fs.rmSync(target, { force: true });
        continue;
      }
      makeDirs(path.dirname(target), createdDirs);
      done.push({ path: target, before });
      replaceFile(target, content);
    } catch (err) {
      const notRestored = rollBack(done, createdDirs);
      const why = err instanceof Error ? err.message : String(err);
      const restored = notRestored.length === 0 ? 'nothing stays written' : `could not put back: ${notRestored.join(', ')}`;
      throw new WriteFilesError(`Writing ${target} failed (${why}); ${restored}`, target, notRestored, err);
    }
  }
}

function readIfExists(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Creates a folder and its missing parents, remembering each one created (outermost first). */
function makeDirs(dir: string, created: string[]): void {
  const missing: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      const st = fs.statSync(d);
      if (!st.isDirectory()) throw Object.assign(new Error(`${d} is not a folder`), { code: 'ENOTDIR' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      missing.push(d);
      if (path.dirname(d) === d) break;
    }
  }
  for (const d of missing.reverse()) {
    fs.mkdirSync(d);
    created.push(d);
  }
}

/** Writes a file through a temporary file beside it and a rename (a reader never sees half a file). */
/** Numbers the temporary files of this process (with its pid and the time: no two writers pick one name). */
let tmpCounter = 0;

function replaceFile(file: string, content: string | Buffer): void {
  const tmp = path.join(path.dirname(file), `.hammock-${process.pid}-${(++tmpCounter).toString(36)}-${(Date.now() % 1e6).toString(36)}.tmp`);
  try {
    fs.writeFileSync(tmp, content);
    const held = holdReplaced(file);
    try {
      fs.renameSync(tmp, file);
    } finally {
      if (held !== undefined) releaseReplaced(held);
    }
  } catch (err) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // the temporary file could not be removed either: a stray .hammock-*.tmp, ignored by every reader
    }
    throw err;
  }
}

/**
 * Linux: the file a rename replaces is held open across the rename and let go on the thread pool. A rename that takes
 * a file's last link frees the file at once, and when the file's pages are still being written out (it was written a
 * moment before: the previous edit of the same request, an editor's save), ext4 makes the rename wait until they are
 * on the disk: measured 0.3-1 ms of a 1.3 ms edit of a legacy request, the event loop blocked meanwhile. Held open,
 * the old file is freed when its descriptor is closed, on libuv's thread pool. Only a regular file is held (opened
 * without following a link, without waiting on a FIFO), on a local file system (localFileSystem). Elsewhere nothing
 * is held (Windows may refuse to replace an open file).
 */
function holdReplaced(file: string): number | undefined {
  if (process.platform !== 'linux' || !localFileSystem(path.dirname(file))) return undefined;
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch {
    return undefined; // a new file, or one we may not read: nothing to hold
  }
  try {
    if (fs.fstatSync(fd).isFile()) {
      heldOpen++;
      return fd;
    }
  } catch {
    // fall through: not held
  }
  fs.closeSync(fd);
  return undefined;
}

/**
 * The file systems on which an open file whose last link goes simply lives on without a name (statfs magic numbers):
 * ext2/3/4, XFS, Btrfs, tmpfs, overlayfs, F2FS. Elsewhere (NFS, SMB, FUSE...) the client may keep it as a visible
 * `.nfs*` or `.fuse_hidden*` file in the folder until it is closed, which git and Insomnia would see: nothing is held.
 */
const LOCAL_FILE_SYSTEMS = new Set([0xef53, 0x58465342, 0x9123683e, 0x01021994, 0x794c7630, 0xf2f52010]);
/** Whether replaced files are held in a folder (localFileSystem), by folder: one statfs a folder and process. */
const localFolders = new Map<string, boolean>();

function localFileSystem(dir: string): boolean {
  let local = localFolders.get(dir);
  if (local === undefined) {
    try {
      local = LOCAL_FILE_SYSTEMS.has(fs.statfsSync(dir).type);
    } catch {
      local = false;
    }
    if (localFolders.size >= 1024) localFolders.clear();
    localFolders.set(dir, local);
  }
  return local;
}

/** Replaced files still held open (holdReplaced), and who waits for none to be. */
let heldOpen = 0;
let releaseWaiters: (() => void)[] = [];

function releaseReplaced(fd: number): void {
  fs.close(fd, () => {
    if (--heldOpen > 0) return;
    const waiters = releaseWaiters;
    releaseWaiters = [];
    for (const w of waiters) w();
  });
}

/** Resolves when no replaced file is held open any more (holdReplaced); tests wait for it. */
export function replacedFilesReleased(): Promise<void> {
  return heldOpen === 0 ? Promise.resolve() : new Promise((resolve) => releaseWaiters.push(resolve));
}

/** Puts back every file written so far (newest first) and removes the folders created; returns what could not be. */
function rollBack(done: readonly Done[], createdDirs: readonly string[]): string[] {
  const failed: string[] = [];
  for (const d of [...done].reverse()) {
    try {
      if (d.before === null) fs.rmSync(d.path, { force: true });
      else replaceFile(d.path, d.before);
    } catch {
      failed.push(d.path);
    }
  }
  for (const dir of [...createdDirs].reverse()) {
    try {
      fs.rmdirSync(dir);
    } catch {
      // not empty (someone else wrote there) or already gone: left as it is
    }
  }
  return failed;
}

/**
 * A writer's temporary file: `.hammock-<pid>-<n>-<time>.tmp` (replaceFile above) or `.<name>.hammock-<pid>.tmp` (a
 * git switch's, git/worktree.ts). A pid has at most 7 digits (Linux's pid_max is 2^22).
 */
const TEMP_FILE = /^\.(?:.+\.)?hammock-(\d{1,7})(?:-[0-9a-z]+-[0-9a-z]+)?\.tmp$/;

/**
 * Removes from `dirs` the temporary files of writes that were killed mid-way (their process is gone; a live one's,
 * another window's or the command line's, is left to it). Returns the files removed.
 */
export async function removeStaleTempFiles(dirs: Iterable<string>): Promise<string[]> {
  const removed: string[] = [];
  await Promise.all(
    [...new Set(dirs)].map(async (dir) => {
      let names: string[];
      try {
        names = await fsp.readdir(dir);
      } catch {
        return;
      }
      for (const name of names) {
        const pid = Number(TEMP_FILE.exec(name)?.[1] ?? 0);
        if (pid === 0 || pid === process.pid || processAlive(pid)) continue;
        const file = path.join(dir, name);
        try {
          await fsp.unlink(file);
          removed.push(file);
        } catch {
          // gone already, or not ours to remove: left as it is
        }
      }
    }),
  );
  return removed;
}
