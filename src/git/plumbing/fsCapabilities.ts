// What `git init` (and so `git clone`) writes into a new repository's `[core]` about the file system it is on
// (git's create_default_files, builtin/init-db.c), found the way git finds it, in the new `.git` folder:
//  - `filemode`: whether flipping a file's executable bit sticks (chmod, then lstat);
//  - `symlinks = false` only where a symlink cannot be made (otherwise the key is left out: true by default);
//  - `ignorecase = true` only where `CoNfIg` opens the `config` file (otherwise left out).
// isomorphic-git's init writes `filemode = false`, `symlinks = false` and `ignorecase = true` everywhere, so a
// repository it made ignored executable-bit changes (in git's status and ours), had git write symlinks as plain
// files, and matched ignore rules without case. After its init Hammock writes what git would have.

import * as fsp from 'fs/promises';
import * as path from 'path';

export interface FsCapabilities {
  fileMode: boolean;
  symlinks: boolean;
  ignoreCase: boolean;
}

/** Probes the file system of `gitdir` (an existing folder holding a `config` file) as `git init` does. */
export async function probeFsCapabilities(gitdir: string): Promise<FsCapabilities> {
  const config = path.join(gitdir, 'config');
  return {
    fileMode: await probeFileMode(config),
    symlinks: await probeSymlinks(gitdir),
    ignoreCase: await exists(path.join(gitdir, 'CoNfIg')),
  };
}

async function probeFileMode(file: string): Promise<boolean> {
  try {
    const before = (await fsp.lstat(file)).mode;
    await fsp.chmod(file, before ^ 0o100);
    const after = (await fsp.lstat(file)).mode;
    await fsp.chmod(file, before);
    return after !== before;
  } catch {
    return false;
  }
}

async function probeSymlinks(gitdir: string): Promise<boolean> {
  const probe = path.join(gitdir, `.hammock-symlink-probe-${process.pid}-${Date.now()}`);
  try {
    await fsp.symlink('testing', probe);
    return true;
  } catch {
    return false;
  } finally {
    await fsp.unlink(probe).catch(() => undefined);
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * The `core.*` values git's init writes for `caps`, as `setConfig` calls take them: a value, or undefined for a key
 * git leaves out.
 */
export function coreConfigFor(caps: FsCapabilities): Record<'core.filemode' | 'core.symlinks' | 'core.ignorecase', boolean | undefined> {
  return {
    'core.filemode': caps.fileMode,
    'core.symlinks': caps.symlinks ? undefined : false,
    'core.ignorecase': caps.ignoreCase ? true : undefined,
  };
}

/**
 * Writes into the new repository at `gitdir` the `core.*` values `git init` would write on this file system,
 * through `set` (isomorphic-git's setConfig: undefined removes a key), in place of isomorphic-git's.
 */
export async function writeInitCoreConfig(gitdir: string, set: (key: string, value: boolean | undefined) => Promise<void>): Promise<void> {
  for (const [key, value] of Object.entries(coreConfigFor(await probeFsCapabilities(gitdir)))) await set(key, value);
}
