// The shared core of one repository's git operations: what every module under git/ops needs and nothing an
// operation decides. The layout (dir, gitdir, commondir), the fs handed to isomorphic-git, the ONE isomorphic-git
// cache shared by every call on this repository (object reads are 35-150x faster with it), the index lock options
// (the retry on a foreign index.lock), the log, and the small ref, config and reflog helpers the operations share.
// GitClient owns one; the ops get it through their context (OpContext.core). No 'vscode' import.

import * as fsp from 'fs/promises';
import * as path from 'path';
import type { FsClient } from 'isomorphic-git';
import type { GitAuthor } from '../gitClient';
import { isogit } from '../isogit';
import { GitError, GitErrorCode, redact, toGitError, type TranslateContext } from '../gitError';
import { configuredAuthor } from '../lazyIdentity';
import type { IndexLockOptions } from '../indexLock';
import { gitFs, readHead, RefLock } from '../plumbing/gitFs';
import { appendReflog } from '../plumbing/reflog';
import { resolveRepoLayout } from '../plumbing/repoLayout';
import { acceptRemoteUrl, usesExternalGit, type ExternalGit, type ExternalGitMode } from '../systemGit';
import type { WorktreeContext } from '../worktree';

export const DEFAULT_REMOTE = 'origin';

/** What the core takes from GitClientOptions. */
export interface GitCoreOptions {
  fs?: FsClient;
  lock?: IndexLockOptions;
  log?: (line: string) => void;
  configEnv?: NodeJS.ProcessEnv;
  externalGit?: ExternalGit;
  externalGitMode?: ExternalGitMode;
}

export class GitCore {
  readonly dir: string;
  /** this working tree's git directory (`.git`, or what a `.git` file names: a linked worktree's). */
  readonly gitdir: string;
  /** where objects, refs and config live (the gitdir, except for a linked worktree). */
  readonly commondir: string;
  /** the fs handed to isomorphic-git. Hammock's own index code always uses Node's fs. */
  readonly fs: FsClient;
  private _cache: object = {};
  /** An author given for this session only (the user chose not to write it into any git config). */
  sessionAuthor: GitAuthor | undefined;

  constructor(
    dir: string,
    private readonly options: GitCoreOptions = {},
  ) {
    const layout = resolveRepoLayout(dir);
    this.dir = layout.dir;
    this.gitdir = layout.gitdir;
    this.commondir = layout.commondir;
    this.fs = options.fs ?? gitFs;
  }

  /** one shared isomorphic-git cache for every call on this repository. */
  get cache(): object {
    return this._cache;
  }

  /** Drop cached pack indexes (after an external `git gc` / repack). */
  resetCache(): void {
    this._cache = {};
  }

  get lock(): IndexLockOptions | undefined {
    return this.options.lock;
  }

  get ctx(): WorktreeContext {
    return { dir: this.dir, gitdir: this.gitdir, cache: this._cache, lock: this.options.lock };
  }

  get store(): { gitdir: string; cache: object } {
    return { gitdir: this.gitdir, cache: this._cache };
  }

  /** The user's git when it is configured and `url` goes through it (systemGit.ts), else undefined. */
  externalFor(url: string): ExternalGit | undefined {
    return this.options.externalGit && usesExternalGit(url, this.options.externalGitMode) ? this.options.externalGit : undefined;
  }

  /** `raw` as it may be stored for this repository's user's git and mode (systemGit.ts acceptRemoteUrl). */
  acceptRemoteUrl(raw: string): ReturnType<typeof acceptRemoteUrl> {
    return acceptRemoteUrl(raw, this.options.externalGitMode ?? 'auto', !!this.options.externalGit);
  }

  log(line: string): void {
    this.options.log?.(redact(line));
  }

  async guard<T>(ctx: TranslateContext, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toGitError(err, ctx);
    }
  }

  // ---------------------------------------------------------------- refs and config

  /**
   * HEAD as readHead finds it when it can (a window's first status then does not load isomorphic-git, some 25 ms of
   * the extension host's thread while a new status worker starts, see statusLstat.ts); not with an fs of the
   * caller's own (GitClientOptions.fs), which readHead would go around.
   */
  private readHead(): Promise<Awaited<ReturnType<typeof readHead>>> {
    return this.fs === gitFs ? readHead(this.gitdir) : Promise.resolve(undefined);
  }

  async headOid(): Promise<string | null> {
    const head = await this.readHead();
    if (head) return head.oid;
    try {
      return await isogit().resolveRef({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, ref: 'HEAD' });
    } catch {
      return null;
    }
  }

  async currentBranch(): Promise<string | undefined> {
    const head = await this.readHead();
    if (head) return head.branch;
    const b = await isogit().currentBranch({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, fullname: false });
    return b ?? undefined;
  }

  async requireBranch(operation: string): Promise<string> {
    const b = await this.currentBranch();
    if (!b) throw new GitError(GitErrorCode.DetachedHead, `Cannot ${operation}: HEAD is not on a branch. Check out a branch first.`);
    return b;
  }

  async resolve(ref: string): Promise<string | null> {
    try {
      return await isogit().resolveRef({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, ref });
    } catch {
      return null;
    }
  }

  async configGet(key: string): Promise<string | undefined> {
    const v = (await isogit().getConfig({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, path: key })) as string | undefined;
    return v ?? undefined;
  }

  /** The remote and the remote branch a local branch follows (configured, or origin/<same name>). */
  async upstreamOf(branch: string): Promise<{ remote: string; remoteBranch: string; configured: boolean }> {
    // (two reads of the config, side by side: on a fresh client each reads and parses the file)
    const [remote, merge] = await Promise.all([this.configGet(`branch.${branch}.remote`), this.configGet(`branch.${branch}.merge`)]);
    return {
      remote: remote ?? DEFAULT_REMOTE,
      remoteBranch: merge ? merge.replace(/^refs\/heads\//, '') : branch,
      configured: !!(remote && merge),
    };
  }

  // ---------------------------------------------------------------- author and reflog

  /**
   * The author git would use here (GIT_AUTHOR_*, the repository's, global, XDG and system config, includes and
   * includeIf, as git resolves them: gitIdentity.ts), else the one given for this session; undefined: ask.
   */
  async getAuthor(): Promise<GitAuthor | undefined> {
    const env = this.options.configEnv ?? process.env;
    return (await configuredAuthor({ env, gitdir: this.gitdir, commondir: this.commondir })) ?? this.sessionAuthor;
  }

  async requireAuthor(): Promise<GitAuthor> {
    const author = await this.getAuthor();
    if (!author) throw new GitError(GitErrorCode.MissingAuthor, 'No author is configured: set an author name and email for this repository.');
    return author;
  }

  /**
   * The identity reflog entries are written with: the configured author, else Hammock's. (Resolving it reads every
   * git config file, a few ms: an operation writing several entries resolves it once and passes it on.)
   */
  async reflogIdentity(): Promise<GitAuthor> {
    return (await this.getAuthor().catch(() => undefined)) ?? { name: 'Hammock', email: 'hammock@localhost' };
  }

  /** Appends a reflog entry as git does (the identity: `who`, else reflogIdentity's). */
  async reflog(ref: string, oldOid: string | null, newOid: string, message: string, force = false, who?: GitAuthor): Promise<void> {
    await appendReflog(this.gitdir, ref, oldOid, newOid, who ?? (await this.reflogIdentity()), message, force);
  }

  /**
   * Moves `refs/heads/<branch>` (and so HEAD when it is current) with reflog entries for both (by `who`, if given):
   * as git does, under the branch's lock and only if it still holds oldOid (a git command may have moved it); through
   * `lock` when the operation took it before writing anything (RefLock.acquire with oldOid). When HEAD names the
   * branch, HEAD's lock is held too while its entry is appended, as git's ref transaction locks HEAD for its log-only
   * update (refs/files-backend.c, split_head_update): a `git reflog expire` or `git gc` rewriting logs/HEAD under
   * HEAD.lock cannot drop the entry, and a HEAD.lock held by another process is waited for, then reported (IndexLocked)
   * with nothing moved. `headLock`: HEAD's lock when the operation already holds it. `first`: a write of the caller's
   * that must be done before anything is logged or moved (the index, ORIG_HEAD), made meanwhile; when it fails, nothing is.
   */
  async moveBranch(branch: string, oldOid: string | null, newOid: string, message: string, who?: GitAuthor, lock?: RefLock, headLock?: RefLock, first?: Promise<void>): Promise<void> {
    const identity = who ?? (await this.reflogIdentity());
    const ref = `refs/heads/${branch}`;
    const branchLock = lock ?? (await RefLock.acquire(this.gitdir, ref, oldOid, this.lock));
    let ownHeadLock: RefLock | undefined;
    try {
      let head = headLock?.held ? headLock : undefined;
      if (!head && (await this.headTarget()) === ref) head = ownHeadLock = await RefLock.acquire(this.gitdir, 'HEAD', undefined, this.lock);
      // read again under HEAD's lock: a `git switch` may have moved HEAD to another branch before it was taken
      // (read while the branch's new value is written: HEAD is locked, nothing moves it meanwhile)
      const logHead = head ? head.current(this.gitdir).then((v) => v === `ref: ${ref}`) : Promise.resolve(false);
      logHead.catch(() => undefined);
      // the entries are written while the branch (and HEAD) are locked, before the branch moves (RefLock.commit); the
      // two logs are separate files, appended side by side
      await branchLock.commit(newOid, false, async () => {
        await first;
        const both = await logHead;
        await Promise.all([this.reflog(ref, oldOid, newOid, message, false, identity), both ? this.reflog('HEAD', oldOid, newOid, message, false, identity) : undefined]);
      });
    } finally {
      await branchLock.release();
      await ownHeadLock?.release();
    }
  }

  /** What HEAD names (`refs/heads/main`), or undefined when it is detached or unreadable. */
  private async headTarget(): Promise<string | undefined> {
    const value = await fsp.readFile(path.join(this.gitdir, 'HEAD'), 'utf8').catch(() => '');
    return /^ref: (\S+)\s*$/.exec(value)?.[1];
  }
}
