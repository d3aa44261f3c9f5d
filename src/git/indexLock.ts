// `.git/index.lock`, as the git CLI uses it: created exclusively before the index is written, renamed over the
// index (or removed) afterwards. isomorphic-git ignores this file, so every index write of ours goes through
// here: when another process (the git CLI, VS Code's git) holds the lock we wait briefly, then fail with
// IndexLocked, naming the holder when /proc lets us see it.

import * as fs from 'fs';
import * as fsp from 'fs/promises';
import * as path from 'path';
import { GitError, GitErrorCode, type LockHolder } from './gitError';

export interface IndexLockOptions {
  /** how long to wait for another process's lock to go away (default 1000 ms). */
  waitMs?: number;
  pollMs?: number;
}

export class IndexLock {
  private committed = false;
  private released = false;

  private constructor(
    readonly lockPath: string,
    readonly indexPath: string,
    private readonly handle: fsp.FileHandle,
  ) {}

  static async acquire(gitdir: string, options: IndexLockOptions = {}): Promise<IndexLock> {
    const lockPath = path.join(gitdir, 'index.lock');
    const indexPath = path.join(gitdir, 'index');
    return new IndexLock(lockPath, indexPath, await acquireLockFile(lockPath, options));
  }

  /** Writes the new index into the lock file and renames it over the index; the lock is released. */
  async commit(content: Buffer): Promise<void> {
    if (this.released || this.committed) throw new Error('index lock already released');
    try {
      await this.handle.writeFile(content);
      await this.handle.sync(); // the rename must never publish an index whose bytes are not on disk
      await this.handle.close();
      await fsp.rename(this.lockPath, this.indexPath);
      this.committed = true;
    } catch (err) {
      await this.release();
      throw err;
    }
  }

  /** Removes the lock without changing the index (no-op after commit). */
  async release(): Promise<void> {
    if (this.released || this.committed) return;
    this.released = true;
    await this.handle.close().catch(() => undefined);
    await fsp.unlink(this.lockPath).catch(() => undefined);
  }
}

/**
 * Creates `lockPath` exclusively, as git takes any of its locks (`index.lock`, `refs/heads/main.lock`,
 * `packed-refs.lock`): while another process holds it, waits up to `waitMs` (default 1000), then fails with
 * IndexLocked, naming the holder when it can. The handle is the caller's to write, close and rename or unlink.
 */
export async function acquireLockFile(lockPath: string, options: IndexLockOptions = {}, mode?: number): Promise<fsp.FileHandle> {
  const deadline = Date.now() + (options.waitMs ?? 1000);
  const poll = options.pollMs ?? 50;
  for (;;) {
    try {
      return await fsp.open(lockPath, 'wx', mode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() >= deadline) throw await lockedError(lockPath);
      await new Promise((r) => setTimeout(r, poll));
    }
  }
}

/** Runs `fn` holding `.git/index.lock`; `fn` may commit a new index through the lock. */
export async function withIndexLock<T>(gitdir: string, fn: (lock: IndexLock) => Promise<T>, options?: IndexLockOptions): Promise<T> {
  const lock = await IndexLock.acquire(gitdir, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}

async function lockedError(lockPath: string): Promise<GitError> {
  const holder = (await findLockHolder(lockPath)) ?? (await findGitProcessIn(gitdirOfLock(lockPath)));
  // (what is known leads: a holder seen, none (a lock a crashed git left behind), or nobody can tell)
  let message: string;
  if (holder) {
    message = `Another git process is using this repository: ${lockPath} exists, held by process ${holder.pid} (${holder.command}); wait for it to finish (a \`git commit\` may be waiting for its editor to close).`;
  } else if (holder === null) {
    message = `A lock file left behind blocks git in this repository: ${lockPath} exists, but no process on this machine has it open and no git command is running here, so a crashed git command left it. Delete it (unless a git command on another machine or container uses this folder).`;
  } else {
    message = `Git is locked in this repository: ${lockPath} exists, and Hammock cannot tell whether a git command still holds it. If none is running (a \`git commit\` may be waiting for its editor), delete it.`;
  }
  return new GitError(GitErrorCode.IndexLocked, message, {
    lockFile: lockPath,
    lockHolder: holder ?? undefined,
    lockStale: holder === null,
  });
}

/**
 * The git directory a lock file belongs to: `index.lock`, `HEAD.lock` and `packed-refs.lock` lie in it, a ref's lock
 * (`refs/heads/topic/x.lock`) below it; the nearest folder above the lock that holds HEAD and objects (a repository's)
 * or HEAD and commondir (a linked worktree's).
 */
export function gitdirOfLock(lockPath: string): string {
  const first = path.dirname(path.resolve(lockPath));
  for (let dir = first; ; ) {
    if (fs.existsSync(path.join(dir, 'HEAD')) && (fs.existsSync(path.join(dir, 'objects')) || fs.existsSync(path.join(dir, 'commondir')))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return first;
    dir = up;
  }
}

/** The working trees of the repository whose git directory is `gitdir`: its own, and its linked worktrees'. */
function workTreeRoots(gitdir: string): string[] {
  const roots = [path.basename(gitdir) === '.git' ? path.dirname(gitdir) : gitdir];
  let common = gitdir;
  try {
    common = path.resolve(gitdir, fs.readFileSync(path.join(gitdir, 'commondir'), 'utf8').trim());
    roots.push(path.basename(common) === '.git' ? path.dirname(common) : common);
  } catch {
    /* not a linked worktree's */
  }
  let linked: string[] = [];
  try {
    linked = fs.readdirSync(path.join(common, 'worktrees'));
  } catch {
    /* none */
  }
  for (const name of linked) {
    try {
      roots.push(path.dirname(path.resolve(fs.readFileSync(path.join(common, 'worktrees', name, 'gitdir'), 'utf8').trim())));
    } catch {
      /* a pruned worktree */
    }
  }
  return [...new Set(roots)];
}

/**
 * A running git process working in the repository of `gitdir` (its current folder inside the repository, or the
 * git directory on its command line), found through /proc: git keeps index.lock without an open file while
 * `git commit` waits for its editor. null: /proc was read and there is none; undefined: cannot tell (not Linux).
 */
export async function findGitProcessIn(gitdir: string): Promise<LockHolder | null | undefined> {
  if (process.platform !== 'linux') return undefined;
  // a ref's lock may be held by a git command run in any working tree of the repository (refs are shared)
  const roots = workTreeRoots(gitdir);
  let pids: string[];
  try {
    pids = (await fsp.readdir('/proc')).filter((n) => /^\d+$/.test(n) && Number(n) !== process.pid);
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let argv: string[];
    try {
      argv = (await fsp.readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
    } catch {
      continue;
    }
    if (!argv.length || !/(^|\/)git(-[a-z-]+)?$/.test(argv[0])) continue;
    let cwd = '';
    try {
      cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      /* not ours to see */
    }
    const inRepo = roots.some((root) => cwd === root || cwd.startsWith(root + path.sep)) || argv.some((a) => a.includes(gitdir));
    if (inRepo) return { pid: Number(pid), command: argv.join(' ') };
  }
  return null;
}

/** The process that has `lockPath` open, found through /proc (Linux); undefined elsewhere or when none. */
export async function findLockHolder(lockPath: string): Promise<LockHolder | undefined> {
  if (process.platform !== 'linux') return undefined;
  let target: string;
  try {
    target = await fsp.realpath(lockPath);
  } catch {
    target = path.resolve(lockPath);
  }
  let pids: string[];
  try {
    pids = (await fsp.readdir('/proc')).filter((n) => /^\d+$/.test(n) && Number(n) !== process.pid);
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = await fsp.readdir(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (link === target || link === `${target} (deleted)`) {
        let command = '';
        try {
          command = (await fsp.readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean).join(' ');
        } catch {
          /* the process may have exited */
        }
        return { pid: Number(pid), command: command || 'unknown' };
      }
    }
  }
  return undefined;
}
