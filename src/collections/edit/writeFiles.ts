// Writes planned file changes all or nothing: plan, check every path (pathGuard.ts), then write; when a write fails
// half-way (a full disk, a file where a folder should be, a name the file system refuses), everything already written
// is put back as it was (files restored, new files and folders removed) before the error is thrown.
// Each file is written to a temporary file beside it and renamed over the target, so a crash never leaves a torn
// file, only (at worst) a stray `.hammock-*.tmp`. No 'vscode'.

import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
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
      const before = await readIfExists(target);
      if (content === null) {
        if (before === null) continue;
        done.push({ path: target, before });
        await fsp.rm(target, { force: true });
        continue;
      }
      await makeDirs(path.dirname(target), createdDirs);
      done.push({ path: target, before });
      await replaceFile(target, content);
    } catch (err) {
      const notRestored = await rollBack(done, createdDirs);
      const why = err instanceof Error ? err.message : String(err);
      const restored = notRestored.length === 0 ? 'nothing stays written' : `could not put back: ${notRestored.join(', ')}`;
      throw new WriteFilesError(`Writing ${target} failed (${why}); ${restored}`, target, notRestored, err);
    }
  }
}

async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await fsp.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Creates a folder and its missing parents, remembering each one created (outermost first). */
async function makeDirs(dir: string, created: string[]): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      const st = await fsp.stat(d);
      if (!st.isDirectory()) throw Object.assign(new Error(`${d} is not a folder`), { code: 'ENOTDIR' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      missing.push(d);
      if (path.dirname(d) === d) break;
    }
  }
  for (const d of missing.reverse()) {
    await fsp.mkdir(d);
    created.push(d);
  }
}

/** Writes a file through a temporary file beside it and a rename (a reader never sees half a file). */
async function replaceFile(file: string, content: string | Buffer): Promise<void> {
  const tmp = path.join(path.dirname(file), `.hammock-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fsp.writeFile(tmp, content);
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** Puts back every file written so far (newest first) and removes the folders created; returns what could not be. */
async function rollBack(done: readonly Done[], createdDirs: readonly string[]): Promise<string[]> {
  const failed: string[] = [];
  for (const d of [...done].reverse()) {
    try {
      if (d.before === null) await fsp.rm(d.path, { force: true });
      else await replaceFile(d.path, d.before);
    } catch {
      failed.push(d.path);
    }
  }
  for (const dir of [...createdDirs].reverse()) {
    try {
      await fsp.rmdir(dir);
    } catch {
      // not empty (someone else wrote there) or already gone: left as it is
    }
  }
  return failed;
}
