// GitClient: Hammock's only door to isomorphic-git. One instance per repository, one shared `cache` for every
// call (object reads are 35-150x faster with it). Remote calls get an HTTP client bound to the operation's
// AbortSignal, credentials from the caller's provider (never stored, never logged), the remote's `remote:` lines
// and progress. Everything that can go wrong comes out as a GitError with a stable code.
//
// Traps of isomorphic-git 1.44 this class avoids (see the README of the git-server reference):
//  - git.pull / git.fastForward / merge + checkout move the branch before checking the working tree: never
//    called; pull = fetch + merge({noUpdateBranch}) + switchTree (checks, writes, then moves the branch).
//  - merge({abortOnConflict:false}) overwrites local edits and leaves clean incoming changes unstaged, without
//    MERGE_HEAD: only used by mergeInEditor on a clean tree, which then stages every incoming path and writes
//    MERGE_HEAD / MERGE_MSG / ORIG_HEAD itself.
//  - onAuthFailure loops forever on a fixed token: bounded by AuthSession.
//  - isogit().add('.') / statusMatrix: never; status and staging work on the index directly.

import * as fsp from 'fs/promises';
import * as path from 'path';
import { isogit } from './isogit';
import type { FsClient, HttpClient } from 'isomorphic-git';
import type { GitAuthProvider, GitCredentials } from './auth';
import { describeConflict, type ConflictedFile, type ConflictedItem, type ConflictReport } from './conflictReport';
import type { FieldConflict } from '../collections/merge3';
import { GitError, GitErrorCode, redact, toGitError, type TranslateContext } from './gitError';
import type { TransportOptions } from './httpTransport';
import { withIndexLock, type IndexLockOptions } from './indexLock';
import type { ClientInternals } from './ops/context';
import { clone } from './ops/clone';
import { fetch, type FetchOptions } from './ops/fetch';
import { integrate, pull } from './ops/pull';
import { push, type PushOptions } from './ops/push';
import { checkAborted, DEFAULT_REMOTE, externalFor, ZERO_OID } from './ops/remote';
import type { TransferWorkerClient } from './transferWorkerClient';
import { isSshUrl, parseRemoteUrl } from './remoteUrl';
import type { ExternalGit, ExternalGitMode } from './systemGit';
import { configuredAuthor } from './gitIdentity';
import { atomicWriteFile, gitFs } from './plumbing/gitFs';
import { ObjectLayer } from './plumbing/objects';
import type { CommitMergeResult, MergeConflict } from './plumbing/treeMerge';
import { fastForwardSubmodule } from './plumbing/submoduleMerge';
import { mergeEngine } from './lazyMerge';
import { resolveRepoLayout } from './plumbing/repoLayout';
import { appendReflog } from './plumbing/reflog';
import { CollectionMergeDriver } from './mergeDriver';
import type { StatusWorkerClient } from './statusWorkerClient';
import { computeStatus, conflictKind as conflictKindOf, type FileConflict, type WorkingTreeStatus } from './status';
import { StatusChanges } from './statusChanges';
import { diffTrees, fileInTree, treeOfCommit, type TreeChange } from './treeDiff';
import {
  discardPaths,
  findBlockingFiles,
  loadIndex,
  resetToTree,
  stagePaths,
  switchTree,
  unstagePaths,
  writeIndexTree,
  type ProgressEvent,
  type WorktreeContext,
} from './worktree';

export type { ProgressEvent } from './worktree';
export { removeStaleClones } from './ops/clone';

export interface GitAuthor {
  name: string;
  email: string;
}

export interface GitClientOptions {
  /** the fs handed to isomorphic-git (default Node's fs). Hammock's own index code always uses Node's fs. */
  fs?: FsClient;
  /** an isomorphic-git HttpClient to use instead of Hammock's (then `transport` and cancellation of clone/fetch are the caller's). */
  http?: HttpClient;
  /** proxy / TLS / timeouts for the built-in HTTP client (VS Code: http.proxy, http.proxyStrictSSL). */
  transport?: TransportOptions;
  /** where tokens come from; the git layer never stores them. */
  auth?: GitAuthProvider;
  /** how many times one operation may ask for a new token after a 401 (default 1). */
  maxAuthPrompts?: number;
  /** waiting for another process's `.git/index.lock` (default 1 s). */
  lock?: IndexLockOptions;
  /** informational lines (already redacted). */
  log?: (line: string) => void;
  /** run status in this worker thread (see statusWorker.ts) instead of on the caller's event loop. */
  statusWorker?: StatusWorkerClient;
  /**
   * the user's git for the network (systemGit.ts): SSH remotes, or every remote in mode `always` (credential
   * helpers, proxies, CAs). Without it an SSH remote is refused with SshNotSupported, as before.
   */
  externalGit?: ExternalGit;
  /** which remotes go through externalGit (default `auto`: SSH ones). */
  externalGitMode?: ExternalGitMode;
  /** the environment git config is resolved with (HOME, XDG_CONFIG_HOME, GIT_CONFIG_*, GIT_AUTHOR_*; default process.env). */
  configEnv?: NodeJS.ProcessEnv;
  /**
   * receive, index and (for a clone) check out packs in this worker thread (see transferWorker.ts) instead of on
   * the caller's event loop; not used when `fs`, `http` or `transport.agent` is given (they live on this thread).
   */
  transferWorker?: TransferWorkerClient;
}

export interface OperationOptions {
  signal?: AbortSignal;
  /** credentials for this operation instead of the client's provider (a retry with a token just given: authRetry.ts). */
  auth?: GitAuthProvider;
  onProgress?: (progress: ProgressEvent) => void;
  /** each line the remote sends (`remote: ...`), without the prefix. */
  onMessage?: (line: string) => void;
}

export interface CloneOptions extends GitClientOptions, OperationOptions {
  url: string;
  /** the folder to create (must not exist, or be empty). */
  dir: string;
  ref?: string;
  /** fetch only `ref` (default false: every branch, so remote branches can be checked out). */
  singleBranch?: boolean;
  depth?: number;
  /** files per slice while checking out (read, written, then the event loop gets a turn; default 100). */
  batchSize?: number;
  /** refuse repositories without Insomnia data (default true). */
  requireInsomnia?: boolean;
  author?: GitAuthor;
}

export interface SetUpSyncOptions {
  remoteUrl: string;
  author?: GitAuthor;
  remote?: string;
  /** branch for a repository that is created here (default main). */
  defaultBranch?: string;
}

export interface BranchInfo {
  name: string;
  oid: string;
  current: boolean;
  /** `origin/main` when the branch tracks one. */
  upstream?: string;
}

export interface RemoteBranchInfo {
  /** `origin/feature` */
  name: string;
  remote: string;
  branch: string;
  oid: string;
}

export interface MergeState {
  /** the commit being merged in (MERGE_HEAD). */
  theirs: string;
  /** the prepared merge message (MERGE_MSG), comments removed. */
  message: string;
}

export interface RepositoryStatus extends WorkingTreeStatus {
  /** current branch; undefined when HEAD is detached. */
  branch: string | undefined;
  /** HEAD commit; null before the first commit. */
  head: string | null;
  mergeInProgress: MergeState | undefined;
}

export interface TrackingInfo {
  /** `origin/main` */
  upstream: string;
  ahead: number;
  behind: number;
}

export type PullResult =
  | { kind: 'upToDate'; head: string }
  | {
      kind: 'fastForward' | 'merge';
      head: string;
      previous: string;
      changes: TreeChange[];
      /** files git's line merge conflicted on and the field-level merge resolved (kind `merge`). */
      fieldMerged?: string[];
    };

/** What a pull of the already-fetched upstream would do (see GitClient.previewPull). */
export interface PullPreview {
  /** `conflict`: the pull would stop with a Conflict error (see `conflict`); nothing would change. */
  kind: 'upToDate' | 'fastForward' | 'merge' | 'conflict';
  /** our branch's commit (null before the first commit). */
  ours: string | null;
  /** the upstream's commit as last fetched. */
  theirs: string;
  /** their common ancestor (null when there is none or ours is null). */
  base: string | null;
  /** `ours` and `theirs` labels, e.g. `main` and `origin/main`. */
  oursLabel: string;
  theirsLabel: string;
  /** kind `conflict`: the files, requests and fields both sides changed. */
  conflict?: ConflictReport;
  /** files git's line merge would conflict on and the field-level merge resolves (sorted). */
  fieldMerged: string[];
  /** uncommitted files (and unresolved conflicts) the pull would overwrite: a pull would refuse while this is not empty. */
  blockedBy: string[];
  /** the files the pull would change in the working tree (empty for upToDate and conflict). */
  files: ChangedFile[];
}

export interface PushResult {
  branch: string;
  remoteRef: string;
  oid: string;
  /** the push created the remote branch and set it as upstream. */
  setUpstream: boolean;
  /** lines the remote sent. */
  remoteLines: string[];
}

export interface SyncResult {
  pull: PullResult;
  /** undefined when there was nothing to push. */
  push: PushResult | undefined;
}

export interface ChangedFile {
  path: string;
  kind: 'added' | 'modified' | 'deleted';
}

export interface CommitInfo {
  oid: string;
  /** first line of the message. */
  summary: string;
  message: string;
  author: { name: string; email: string; timestamp: number; timezoneOffset: number };
  parents: string[];
  /** files changed against the first parent. */
  files: ChangedFile[];
}

export interface MergeInEditorResult {
  /** the merge had no conflict after all and was completed like a pull. */
  completed: boolean;
  /** files git's line merge conflicted on and the field-level merge resolved (merged, not in conflict). */
  fieldMerged?: string[];
  conflicts: FileConflict[];
  report: ConflictReport | undefined;
}

/**
 * The report's items for one conflicted file: the field-level merge's own findings (nested fields: `body.text`,
 * `headers`) when it understood the file, else the top-level comparison of describeConflict.
 */
function conflictItems(p: string, base: string | null, ours: string | null, theirs: string | null, fieldConflicts: FieldConflict[] | undefined): ConflictedItem[] {
  const described = describeConflict(p, base, ours, theirs);
  if (!fieldConflicts?.length) return described;
  const byId = new Map<string, ConflictedItem>();
  for (const c of fieldConflicts) {
    const id = c.itemId ?? '';
    const known = described.find((d) => d.id === id);
    const item = byId.get(id) ?? { id, name: c.itemName ?? known?.name, type: known?.type, fields: [] };
    if (!item.fields.includes(c.field)) item.fields.push(c.field);
    byId.set(id, item);
  }
  return [...byId.values()].map((i) => ({ ...i, fields: i.fields.sort() }));
}

export class GitClient {
  readonly dir: string;
  /** this working tree's git directory (`.git`, or what a `.git` file names: a linked worktree's). */
  readonly gitdir: string;
  /** where objects, refs and config live (the gitdir, except for a linked worktree). */
  readonly commondir: string;
  /** one shared isomorphic-git cache for every call on this repository. */
  private cache: object = {};
  private readonly fs: FsClient;

  constructor(
    dir: string,
    private readonly options: GitClientOptions = {},
  ) {
    const layout = resolveRepoLayout(dir);
    this.dir = layout.dir;
    this.gitdir = layout.gitdir;
    this.commondir = layout.commondir;
    this.fs = options.fs ?? gitFs;
  }

  /** Drop cached pack indexes (after an external `git gc` / repack). */
  resetCache(): void {
    this.cache = {};
  }

  /** the paths a file watcher reported since the last status; undefined until noteChanged is first called. */
  private changes: StatusChanges | undefined;

  /**
   * Tells status which working-tree paths changed (absolute paths, as a file watcher reports them; a folder stands
   * for everything in it). From the first call on, a status looks again only at the paths noted since the previous
   * one (everything when the index changed meanwhile); `noteChanged(undefined)` says events were lost, and the
   * next status scans everything.
   */
  noteChanged(fsPaths: readonly string[] | undefined): void {
    this.changes ??= new StatusChanges(this.dir);
    if (fsPaths) this.changes.note(fsPaths);
    else this.changes.lost();
  }

  private get ctx(): WorktreeContext {
    return { dir: this.dir, gitdir: this.gitdir, cache: this.cache, lock: this.options.lock };
  }

  private get store(): { gitdir: string; cache: object } {
    return { gitdir: this.gitdir, cache: this.cache };
  }

  private log(line: string): void {
    this.options.log?.(redact(line));
  }

  /** What the operation modules (ops/) use of this client; nothing else reads it. */
  get internals(): ClientInternals {
    return {
      client: this,
      dir: this.dir,
      gitdir: this.gitdir,
      fs: this.fs,
      cache: this.cache,
      options: this.options,
      ctx: this.ctx,
      store: this.store,
      log: (line) => this.log(line),
      guard: (ctx, fn) => this.guard(ctx, fn),
      resolve: (ref) => this.resolve(ref),
      reflog: (ref, oldOid, newOid, message, force) => this.reflog(ref, oldOid, newOid, message, force),
      moveBranch: (branch, oldOid, newOid, message) => this.moveBranch(branch, oldOid, newOid, message),
      upstreamOf: (branch) => this.upstreamOf(branch),
      requireBranch: (operation) => this.requireBranch(operation),
      requireAuthor: () => this.requireAuthor(),
      externalForRemote: (remote) => this.externalForRemote(remote),
      mergeUpstream: (ours, theirs, oursLabel, theirsLabel) => this.mergeUpstream(ours, theirs, oursLabel, theirsLabel),
      logFieldMerge: (driver) => this.logFieldMerge(driver),
      conflictError: (result, oursLabel, theirsLabel, driver) => this.conflictError(result, oursLabel, theirsLabel, driver),
    };
  }

  private async guard<T>(ctx: TranslateContext, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toGitError(err, ctx);
    }
  }

  // ---------------------------------------------------------------- clone / setup

  /**
   * Clones an HTTPS repository into `dir`: into a temporary sibling folder first, renamed when complete, so a
   * failed or cancelled clone leaves nothing behind. Refuses repositories without Insomnia data.
   */
  static async clone(options: CloneOptions): Promise<GitClient> {
    return clone(options);
  }

  /** Whether `dir` holds a git repository. */
  async isRepository(): Promise<boolean> {
    try {
      await fsp.stat(path.join(this.gitdir, 'HEAD'));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Sets up sync for a folder: creates the repository if there is none, sets the remote (credentials in the URL
   * are refused from the config: they are handed back for the caller to store) and the author.
   */
  async setUpSync(options: SetUpSyncOptions): Promise<{ credentials?: GitCredentials }> {
    const raw = options.remoteUrl.trim();
    // an SSH remote is kept as written when the user's git will carry it (systemGit.ts)
    const parsed: { url: string; username?: string; password?: string } = externalFor(this.options, raw) && isSshUrl(raw) ? { url: raw } : parseRemoteUrl(raw);
    return this.guard({ operation: 'set up sync', url: parsed.url }, async () => {
      if (!(await this.isRepository())) {
        await isogit().init({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, defaultBranch: options.defaultBranch ?? 'main' });
      }
      const remote = options.remote ?? DEFAULT_REMOTE;
      await isogit().addRemote({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, remote, url: parsed.url, force: true });
      if (options.author) await this.setAuthor(options.author);
      return parsed.password ? { credentials: { username: parsed.username, token: parsed.password } } : {};
    });
  }

  async getRemoteUrl(remote = DEFAULT_REMOTE): Promise<string | undefined> {
    const url = (await isogit().getConfig({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, path: `remote.${remote}.url` })) as string | undefined;
    return url ?? undefined;
  }

  /** An author given for this session only (the user chose not to write it into any git config). */
  private sessionAuthor: GitAuthor | undefined;

  /**
   * The author git would use here (GIT_AUTHOR_*, the repository's, global, XDG and system config, includes and
   * includeIf, as git resolves them: gitIdentity.ts), else the one given for this session; undefined: ask.
   */
  async getAuthor(): Promise<GitAuthor | undefined> {
    const env = this.options.configEnv ?? process.env;
    return (await configuredAuthor({ env, gitdir: this.gitdir, commondir: this.commondir })) ?? this.sessionAuthor;
  }

  /** Uses `author` for this client's commits without writing it anywhere. */
  useSessionAuthor(author: GitAuthor): void {
    this.sessionAuthor = author;
  }

  /** Writes user.name / user.email into the repository's `.git/config`: only when the user asked for it. */
  async setAuthor(author: GitAuthor): Promise<void> {
    await isogit().setConfig({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, path: 'user.name', value: author.name });
    await isogit().setConfig({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, path: 'user.email', value: author.email });
  }

  private async requireAuthor(): Promise<GitAuthor> {
    const author = await this.getAuthor();
    if (!author) throw new GitError(GitErrorCode.MissingAuthor, 'No author is configured: set an author name and email for this repository.');
    return author;
  }

  // ---------------------------------------------------------------- refs

  async headOid(): Promise<string | null> {
    try {
      return await isogit().resolveRef({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, ref: 'HEAD' });
    } catch {
      return null;
    }
  }

  async currentBranch(): Promise<string | undefined> {
    const b = await isogit().currentBranch({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, fullname: false });
    return b ?? undefined;
  }

  private async requireBranch(operation: string): Promise<string> {
    const b = await this.currentBranch();
    if (!b) throw new GitError(GitErrorCode.DetachedHead, `Cannot ${operation}: HEAD is not on a branch. Check out a branch first.`);
    return b;
  }

  private async resolve(ref: string): Promise<string | null> {
    try {
      return await isogit().resolveRef({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, ref });
    } catch {
      return null;
    }
  }

  private async configGet(key: string): Promise<string | undefined> {
    const v = (await isogit().getConfig({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, path: key })) as string | undefined;
    return v ?? undefined;
  }

  /** The remote and the remote branch a local branch follows (configured, or origin/<same name>). */
  private async upstreamOf(branch: string): Promise<{ remote: string; remoteBranch: string; configured: boolean }> {
    const remote = await this.configGet(`branch.${branch}.remote`);
    const merge = await this.configGet(`branch.${branch}.merge`);
    return {
      remote: remote ?? DEFAULT_REMOTE,
      remoteBranch: merge ? merge.replace(/^refs\/heads\//, '') : branch,
      configured: !!(remote && merge),
    };
  }

  async listBranches(): Promise<{ local: BranchInfo[]; remote: RemoteBranchInfo[] }> {
    return this.guard({ operation: 'list branches' }, async () => {
      const current = await this.currentBranch();
      const local: BranchInfo[] = [];
      for (const name of await isogit().listBranches({ fs: this.fs, dir: this.dir, gitdir: this.gitdir })) {
        const oid = await this.resolve(`refs/heads/${name}`);
        if (!oid) continue;
        const up = await this.upstreamOf(name);
        local.push({ name, oid, current: name === current, upstream: up.configured ? `${up.remote}/${up.remoteBranch}` : undefined });
      }
      const remote: RemoteBranchInfo[] = [];
      for (const r of await isogit().listRemotes({ fs: this.fs, dir: this.dir, gitdir: this.gitdir })) {
        for (const branch of await isogit().listBranches({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, remote: r.remote })) {
          if (branch === 'HEAD') continue;
          const oid = await this.resolve(`refs/remotes/${r.remote}/${branch}`);
          if (oid) remote.push({ name: `${r.remote}/${branch}`, remote: r.remote, branch, oid });
        }
      }
      return { local, remote };
    });
  }

  /** Creates a branch at HEAD (or `startPoint`) and, by default, checks it out. */
  async createBranch(name: string, options: { checkout?: boolean; startPoint?: string } = {}): Promise<void> {
    await this.guard({ operation: 'create branch', ref: name }, async () => {
      if (await this.resolve(`refs/heads/${name}`)) {
        throw new GitError(GitErrorCode.BranchExists, `A branch named ${name} already exists.`, { ref: name });
      }
      const head = await this.headOid();
      const start = options.startPoint ? await this.resolve(options.startPoint) : head;
      if (!start) throw new GitError(GitErrorCode.NoCommits, 'Cannot create a branch before the first commit.');
      if (options.checkout === false || start !== head) {
        await isogit().branch({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, ref: name, object: start, checkout: false });
        await this.reflog(`refs/heads/${name}`, null, start, `branch: Created from ${options.startPoint ?? 'HEAD'}`);
        if (options.checkout !== false) await this.checkout(name);
        return;
      }
      const from = (await this.currentBranch()) ?? start;
      await isogit().branch({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, ref: name, object: start, checkout: true });
      await this.reflog(`refs/heads/${name}`, null, start, 'branch: Created from HEAD');
      await this.reflog('HEAD', start, start, `checkout: moving from ${from} to ${name}`, true);
    });
  }

  /**
   * Checks out a local branch, or a remote one (`feature` when only `origin/feature` exists, or `origin/feature`)
   * as a new local branch tracking it. Refuses (DirtyWorkingTree, listing the files) when uncommitted changes would
   * be overwritten; nothing is touched then.
   */
  async checkout(name: string, options: OperationOptions = {}): Promise<void> {
    await this.guard({ operation: 'checkout', ref: name, signal: options.signal }, async () => {
      if (await this.mergeState()) throw new GitError(GitErrorCode.MergeInProgress, 'A merge is in progress: commit or abort it before switching branches.');
      let local = name;
      let create: { oid: string; remote: string; branch: string } | undefined;
      let oid = await this.resolve(`refs/heads/${name}`);
      if (!oid) {
        const remotes = (await isogit().listRemotes({ fs: this.fs, dir: this.dir, gitdir: this.gitdir })).map((r) => r.remote);
        const slash = name.indexOf('/');
        const candidates =
          slash > 0 && remotes.includes(name.slice(0, slash))
            ? [{ remote: name.slice(0, slash), branch: name.slice(slash + 1) }]
            : remotes.map((remote) => ({ remote, branch: name }));
        for (const c of candidates) {
          const r = await this.resolve(`refs/remotes/${c.remote}/${c.branch}`);
          if (r) {
            create = { oid: r, ...c };
            local = c.branch;
            break;
          }
        }
        if (!create) throw new GitError(GitErrorCode.BranchNotFound, `Branch ${name} not found.`, { ref: name });
        const existing = await this.resolve(`refs/heads/${local}`);
        if (existing) {
          oid = existing;
          create = undefined;
        } else {
          oid = create.oid;
        }
      }
      const head = await this.headOid();
      const previousName = (await this.currentBranch()) ?? head ?? 'HEAD';
      const from = head ? await treeOfCommit(this.store, head) : null;
      const to = await treeOfCommit(this.store, oid!);
      await switchTree(this.ctx, from, to, {
        operation: 'checkout',
        onProgress: options.onProgress,
        signal: options.signal,
        beforeRelease: async () => {
          if (create) {
            await isogit().writeRef({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, ref: `refs/heads/${local}`, value: create.oid });
            await this.reflog(`refs/heads/${local}`, null, create.oid, `branch: Created from ${create.remote}/${create.branch}`);
            await isogit().setConfig({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, path: `branch.${local}.remote`, value: create.remote });
            await isogit().setConfig({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, path: `branch.${local}.merge`, value: `refs/heads/${create.branch}` });
          }
          await isogit().writeRef({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, ref: 'HEAD', value: `refs/heads/${local}`, symbolic: true, force: true });
          await this.reflog('HEAD', head, oid!, `checkout: moving from ${previousName} to ${local}`, true);
        },
      });
    });
  }

  /** Appends a reflog entry as git does (the identity: the configured author, else Hammock's). */
  private async reflog(ref: string, oldOid: string | null, newOid: string, message: string, force = false): Promise<void> {
    const who = (await this.getAuthor().catch(() => undefined)) ?? { name: 'Hammock', email: 'hammock@localhost' };
    await appendReflog(this.gitdir, ref, oldOid, newOid, who, message, force);
  }

  /** Moves `refs/heads/<branch>` (and so HEAD when it is current) with reflog entries for both. */
  private async moveBranch(branch: string, oldOid: string | null, newOid: string, message: string): Promise<void> {
    await isogit().writeRef({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, ref: `refs/heads/${branch}`, value: newOid, force: true });
    await this.reflog(`refs/heads/${branch}`, oldOid, newOid, message);
    if ((await this.currentBranch()) === branch) await this.reflog('HEAD', oldOid, newOid, message);
  }

  /**
   * Moves a branch that is not checked out back to its upstream as last fetched (`git branch -f <branch> <upstream>`,
   * reflog "branch: Reset to <upstream>"); returns the upstream (`origin/main`), or undefined when the branch is
   * checked out, has no fetched upstream, or is already there.
   */
  async resetBranchToUpstream(branch: string): Promise<string | undefined> {
    return this.guard({ operation: 'reset branch', ref: branch }, async () => {
      if ((await this.currentBranch()) === branch) return undefined;
      const up = await this.upstreamOf(branch);
      const upstream = `${up.remote}/${up.remoteBranch}`;
      const theirs = await this.resolve(`refs/remotes/${upstream}`);
      const ours = await this.resolve(`refs/heads/${branch}`);
      if (!theirs || !ours || theirs === ours) return undefined;
      await this.moveBranch(branch, ours, theirs, `branch: Reset to ${upstream}`);
      return upstream;
    });
  }

  /** Deletes a local branch (never the current one). */
  async deleteBranch(name: string): Promise<void> {
    await this.guard({ operation: 'delete branch', ref: name }, async () => {
      if ((await this.currentBranch()) === name) {
        throw new GitError(GitErrorCode.CannotDeleteCurrentBranch, `Cannot delete ${name}: it is the current branch.`, { ref: name });
      }
      if (!(await this.resolve(`refs/heads/${name}`))) throw new GitError(GitErrorCode.BranchNotFound, `Branch ${name} not found.`, { ref: name });
      await isogit().deleteBranch({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, ref: name });
    });
  }

  // ---------------------------------------------------------------- status / stage / commit

  async status(): Promise<RepositoryStatus> {
    return this.guard({ operation: 'status' }, async () => {
      const [branch, head, merge] = await Promise.all([this.currentBranch(), this.headOid(), this.mergeState()]);
      const changed = this.changes?.take();
      try {
        const st = this.options.statusWorker
          ? await this.options.statusWorker.compute({ dir: this.dir, gitdir: this.gitdir, headOid: head, refresh: true, changed })
          : await computeStatus({ dir: this.dir, gitdir: this.gitdir, cache: this.cache, headOid: head, refresh: true, changed });
        return { ...st, branch, head, mergeInProgress: merge };
      } catch (err) {
        this.changes?.lost();
        throw err;
      }
    });
  }

  /** Stages files (additions, modifications, deletions, resolved conflicts) in one index write. */
  async stage(paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    await this.guard({ operation: 'stage' }, () => stagePaths(this.ctx, paths));
  }

  /** Puts the index entries of `paths` back to HEAD (the files are not touched). */
  async unstage(paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    await this.guard({ operation: 'unstage' }, async () => {
      const head = await this.headOid();
      await unstagePaths(this.ctx, head ? await treeOfCommit(this.store, head) : null, paths);
    });
  }

  /** Discards working-tree changes: tracked files back to their staged content, untracked files deleted. */
  async discard(paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    await this.guard({ operation: 'discard' }, () => discardPaths(this.ctx, paths));
  }

  /**
   * Commits the index. During a merge (MERGE_HEAD) the commit gets both parents and, without a message, the
   * prepared one; it is refused while conflicts remain.
   */
  async commit(message: string, options: { author?: GitAuthor } = {}): Promise<string> {
    return this.guard({ operation: 'commit' }, async () => {
      const author = options.author ?? (await this.requireAuthor());
      const merge = await this.mergeState();
      return withIndexLock(
        this.gitdir,
        async () => {
          const head = await this.headOid();
          const headTree = head ? await treeOfCommit(this.store, head) : null;
          const { tree, unmerged } = await writeIndexTree(this.ctx, headTree);
          if (unmerged.length) {
            throw new GitError(GitErrorCode.UnresolvedConflicts, `Resolve and stage the conflicted files first: ${unmerged.join(', ')}`, { files: unmerged });
          }
          if (!merge && tree === headTree) throw new GitError(GitErrorCode.NothingToCommit, 'Nothing to commit: stage changes first.');
          const text = message.trim() || merge?.message || '';
          if (!text) throw new GitError(GitErrorCode.NothingToCommit, 'Enter a commit message.');
          const now = Math.floor(Date.now() / 1000);
          const who = { name: author.name, email: author.email, timestamp: now, timezoneOffset: new Date().getTimezoneOffset() };
          const parent = head ? (merge ? [head, merge.theirs] : [head]) : [];
          const oid = await isogit().writeCommit({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, commit: { message: text + '\n', tree, parent, author: who, committer: who } });
          const branch = await isogit().currentBranch({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, fullname: false });
          const logMessage = `commit${!head ? ' (initial)' : merge ? ' (merge)' : ''}: ${text}`;
          if (branch) await this.moveBranch(branch, head, oid, logMessage);
          else {
            await isogit().writeRef({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, ref: 'HEAD', value: oid, force: true });
            await this.reflog('HEAD', head, oid, logMessage);
          }
          if (merge) await this.clearMergeState();
          return oid;
        },
        this.options.lock,
      );
    });
  }

  /**
   * One file as git has it: at a ref (`HEAD`, a commit oid, a branch, `origin/main`) or in the index (stage 0, or
   * a conflict stage 1 base / 2 ours / 3 theirs). null when the file is not there.
   */
  async readFile(filepath: string, source: { ref: string } | { stage: 0 | 1 | 2 | 3 }): Promise<Buffer | null> {
    return this.guard({ operation: 'read file' }, async () => {
      let oid: string | undefined;
      if ('stage' in source) {
        oid = (await loadIndex(this.gitdir)).entries.find((e) => e.path === filepath && e.stage === source.stage)?.oid;
      } else {
        const commit = await isogit().expandRef({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, ref: source.ref }).then(
          (full) => this.resolve(full),
          () => (/^[0-9a-f]{40}$/.test(source.ref) ? source.ref : null),
        );
        if (!commit) throw new GitError(GitErrorCode.BranchNotFound, `${source.ref} not found.`, { ref: source.ref });
        const file = await fileInTree(this.store, await treeOfCommit(this.store, commit), filepath);
        oid = file?.oid;
      }
      if (!oid) return null;
      const { blob } = await isogit().readBlob({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, oid, cache: this.cache });
      return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    });
  }

  // ---------------------------------------------------------------- history

  /** Recent commits of `ref` (default HEAD), newest first, with the files each changed. */
  async history(options: { ref?: string; depth?: number } = {}): Promise<CommitInfo[]> {
    return this.guard({ operation: 'history' }, async () => {
      if (!(await this.headOid()) && !options.ref) return [];
      const commits = await isogit().log({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, ref: options.ref ?? 'HEAD', depth: options.depth ?? 50, cache: this.cache });
      const out: CommitInfo[] = [];
      for (const c of commits) {
        const parentTree = c.commit.parent[0] ? await treeOfCommit(this.store, c.commit.parent[0]).catch(() => null) : null;
        const changes = await diffTrees(this.store, parentTree, c.commit.tree);
        out.push({
          oid: c.oid,
          summary: c.commit.message.split('\n', 1)[0],
          message: c.commit.message,
          author: { ...c.commit.author },
          parents: [...c.commit.parent],
          files: changes.map((ch) => ({ path: ch.path, kind: !ch.before ? 'added' : !ch.after ? 'deleted' : 'modified' })),
        });
      }
      return out;
    });
  }

  /** Commits ahead of / behind the upstream (the remote-tracking ref as last fetched). */
  async tracking(): Promise<TrackingInfo | undefined> {
    const branch = await this.currentBranch();
    if (!branch) return undefined;
    const up = await this.upstreamOf(branch);
    const upstream = `${up.remote}/${up.remoteBranch}`;
    const theirs = await this.resolve(`refs/remotes/${upstream}`);
    const ours = await this.resolve(`refs/heads/${branch}`);
    if (!theirs || !ours) return undefined;
    const { ahead, behind } = await this.aheadBehind(ours, theirs);
    return { upstream, ahead, behind };
  }

  /** Commits reachable from `a` but not `b` (ahead) and from `b` but not `a` (behind). */
  async aheadBehind(a: string, b: string): Promise<{ ahead: number; behind: number }> {
    if (a === b) return { ahead: 0, behind: 0 };
    const flags = new Map<string, number>([
      [a, 1],
      [b, 2],
    ]);
    const times = new Map<string, number>();
    const timeOf = async (oid: string): Promise<{ t: number; parents: string[] }> => {
      try {
        const { commit } = await isogit().readCommit({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, oid, cache: this.cache });
        times.set(oid, commit.committer.timestamp);
        return { t: commit.committer.timestamp, parents: commit.parent };
      } catch {
        return { t: 0, parents: [] }; // shallow boundary
      }
    };
    const parentsOf = new Map<string, string[]>();
    const queue: string[] = [];
    const push = async (oid: string): Promise<void> => {
      if (!parentsOf.has(oid)) parentsOf.set(oid, (await timeOf(oid)).parents);
      const t = times.get(oid) ?? 0;
      let i = queue.length;
      while (i > 0 && (times.get(queue[i - 1]) ?? 0) < t) i--;
      queue.splice(i, 0, oid);
    };
    await push(a);
    await push(b);
    // Paint down from both tips by commit date (git's ahead/behind walk). Once every queued commit is reachable
    // from both sides, keep going while a queued commit is not older than some commit still marked one-sided:
    // with equal timestamps (commits made within one second) date order alone would stop too early.
    const oldestOneSided = (): number => {
      let min = Infinity;
      for (const [oid, f] of flags) if (f !== 3) min = Math.min(min, times.get(oid) ?? 0);
      return min;
    };
    while (queue.length) {
      if (queue.every((o) => flags.get(o) === 3) && (times.get(queue[0]) ?? 0) < oldestOneSided()) break;
      const oid = queue.shift()!;
      const f = flags.get(oid)!;
      for (const p of parentsOf.get(oid) ?? []) {
        const old = flags.get(p) ?? 0;
        const next = old | f;
        if (next !== old) {
          flags.set(p, next);
          if (!queue.includes(p)) await push(p);
        }
      }
    }
    let ahead = 0;
    let behind = 0;
    for (const f of flags.values()) {
      if (f === 1) ahead++;
      else if (f === 2) behind++;
    }
    return { ahead, behind };
  }

  // ---------------------------------------------------------------- remote operations

  /** Fetches every branch of the remote (or only `branch`). */
  async fetch(options: FetchOptions = {}): Promise<void> {
    await fetch(this.internals, options);
  }

  /**
   * Fetch + merge of the upstream into the current branch: a fast-forward when possible, otherwise a merge
   * commit by the configured author. Refused (DirtyWorkingTree, with the files) when uncommitted changes would be
   * overwritten; a conflict (Conflict, with a report) abandons the merge. In both cases HEAD, index and working
   * tree are exactly as before.
   */
  async pull(options: OperationOptions = {}): Promise<PullResult> {
    return pull(this.internals, options);
  }

  private integrate(branch: string, remote: string, remoteBranch: string, options: OperationOptions, reflogPrefix = 'pull'): Promise<PullResult> {
    return integrate(this.internals, branch, remote, remoteBranch, options, reflogPrefix);
  }

  /**
   * Merges commit `theirs` into `ours` as `git merge` does (renames followed, several merge bases merged into a
   * virtual one), with the field-level merge as a second chance for collection files git's line merge leaves in
   * conflict. Nothing is written: the result's objects are in `objects` until persisted.
   */
  private async mergeUpstream(ours: string, theirs: string, oursLabel: string, theirsLabel: string): Promise<{ objects: ObjectLayer; result: CommitMergeResult; driver: CollectionMergeDriver }> {
    const objects = new ObjectLayer(this.gitdir, this.cache);
    const engine = mergeEngine();
    const graph = new engine.CommitGraph(objects);
    if (!(await engine.mergeBases(graph, ours, theirs)).length) {
      throw new GitError(
        GitErrorCode.UnrelatedHistories,
        `${theirsLabel} and ${oursLabel} have no commit in common: their histories are unrelated, and git refuses to merge them too; nothing was changed. (Was this folder's repository created before it was linked to that remote? Clone the remote instead, or merge once with \`git pull --allow-unrelated-histories\`.)`,
        { ref: theirsLabel },
      );
    }
    const driver = new CollectionMergeDriver();
    const result = await engine.mergeCommits(
      objects,
      ours,
      theirs,
      {
        labels: { ours: oursLabel, theirs: theirsLabel },
        resolveContent: driver.resolver,
        fastForwardSubmodule: (p, base, o, t) => fastForwardSubmodule(this.dir, this.commondir, p, base, o, t),
      },
      graph,
    );
    for (const r of result.renames) this.log(`merge: ${r.from} renamed to ${r.to} in ${r.side === 'ours' ? oursLabel : theirsLabel}`);
    return { objects, result, driver };
  }

  private async conflictError(result: CommitMergeResult, oursLabel: string, theirsLabel: string, driver: CollectionMergeDriver): Promise<GitError> {
    const report = await this.buildConflictReport(result, oursLabel, theirsLabel, driver);
    const names = report.files.map((f) => {
      const items = f.items.map((i) => `${i.name ?? i.id}${i.fields.length ? ` (${i.fields.join(', ')})` : ''}`);
      return items.length ? `${f.path}: ${items.join('; ')}` : f.path;
    });
    // git's own words for conflicts that name no file (a directory renamed to several places, a file in the way)
    const pathless = report.count ? [] : result.messages.filter((m) => m.startsWith('CONFLICT'));
    return new GitError(
      GitErrorCode.Conflict,
      `Pulling ${theirsLabel} into ${oursLabel} conflicts${report.count ? ` in ${report.count} file${report.count === 1 ? '' : 's'}` : ''}; nothing was changed.\n${[...names, ...pathless].join('\n')}`,
      { conflict: report, files: report.files.map((f) => f.path) },
    );
  }

  /** The files, requests and fields a merge conflicts on, from its index stages. */
  private async buildConflictReport(result: CommitMergeResult, oursLabel: string, theirsLabel: string, driver?: CollectionMergeDriver): Promise<ConflictReport> {
    const read = async (v: { oid: string } | null): Promise<string | null> => {
      if (!v) return null;
      try {
        const { blob } = await isogit().readBlob({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, oid: v.oid, cache: this.cache });
        return Buffer.from(blob).toString('utf8');
      } catch {
        return null; // a submodule's commit, or a blob only the merge made
      }
    };
    const byPath = new Map<string, MergeConflict>();
    for (const c of result.conflicts) if (!byPath.has(c.path)) byPath.set(c.path, c);
    const files: ConflictedFile[] = [];
    for (const [p, c] of [...byPath].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const [b, o, t] = await Promise.all(c.stages.map((v) => read(v)));
      const mask = (c.stages[0] ? 2 : 0) | (c.stages[1] ? 4 : 0) | (c.stages[2] ? 8 : 0);
      files.push({ path: p, kind: conflictKindOf(mask), items: conflictItems(p, b, o, t, driver?.outcomes.get(p)?.conflicts) });
    }
    return { count: files.length, files, ours: oursLabel, theirs: theirsLabel };
  }

  private logFieldMerge(driver: CollectionMergeDriver): void {
    for (const o of [...driver.outcomes.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
      if (o.resolved) this.log(`merge: ${o.path}: line merge conflicted, field-level merge resolved it`);
      else this.log(`merge: ${o.path}: still in conflict${o.conflicts.length ? ` (${o.conflicts.map((c) => `${c.itemName ?? c.itemId ?? 'file'}: ${c.field}`).join('; ')})` : o.reason ? ` (${o.reason})` : ''}`);
    }
  }

  /**
   * What `pull` would do with the upstream as last fetched, WITHOUT fetching and without changing anything (refs,
   * index, working tree; not even objects are written): up to date, a fast-forward, a merge (and which files the
   * field-level merge would resolve), or a conflict (with the report a pull would give); and which uncommitted
   * files would block it. Throws as pull does for a detached HEAD, a merge in progress or a missing upstream
   * branch.
   */
  async previewPull(options: { signal?: AbortSignal } = {}): Promise<PullPreview> {
    return this.guard({ operation: 'preview pull', signal: options.signal }, async () => {
      const branch = await this.requireBranch('preview a pull');
      if (await this.mergeState()) throw new GitError(GitErrorCode.MergeInProgress, 'A merge is in progress: commit or abort it first.');
      const up = await this.upstreamOf(branch);
      const theirsLabel = `${up.remote}/${up.remoteBranch}`;
      const theirs = await this.resolve(`refs/remotes/${theirsLabel}`);
      if (!theirs) throw new GitError(GitErrorCode.NoRemoteBranch, `The remote has no branch ${up.remoteBranch} (as last fetched).`, { ref: theirsLabel });
      const ours = await this.resolve(`refs/heads/${branch}`);
      const preview: PullPreview = { kind: 'upToDate', ours, theirs, base: null, oursLabel: branch, theirsLabel, fieldMerged: [], blockedBy: [], files: [] };
      const theirsTree = await treeOfCommit(this.store, theirs);
      const finish = async (changes: TreeChange[]): Promise<PullPreview> => {
        checkAborted(options.signal, 'preview pull');
        const blocking = await findBlockingFiles(this.ctx, changes);
        preview.blockedBy = [...new Set([...blocking.unmerged, ...blocking.overwritten])].sort();
        preview.files = changes.map((c) => ({ path: c.path, kind: !c.before ? 'added' : !c.after ? 'deleted' : 'modified' }));
        return preview;
      };
      if (!ours) {
        preview.kind = 'fastForward';
        return finish(await diffTrees(this.store, null, theirsTree));
      }
      if (ours === theirs || (await isogit().isDescendent({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, oid: ours, ancestor: theirs, depth: -1, cache: this.cache }))) {
        preview.base = theirs;
        return preview;
      }
      const oursTree = await treeOfCommit(this.store, ours);
      if (await isogit().isDescendent({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, oid: theirs, ancestor: ours, depth: -1, cache: this.cache })) {
        preview.kind = 'fastForward';
        preview.base = ours;
        return finish(await diffTrees(this.store, oursTree, theirsTree));
      }
      checkAborted(options.signal, 'preview pull');
      const { objects, result, driver } = await this.mergeUpstream(ours, theirs, branch, theirsLabel);
      preview.base = result.bases[0] ?? null;
      preview.fieldMerged = driver.fieldMerged;
      if (!result.clean) {
        preview.kind = 'conflict';
        preview.conflict = await this.buildConflictReport(result, branch, theirsLabel, driver);
        return preview;
      }
      preview.kind = 'merge';
      // the working-tree changes of the merge: from our tree to the merged one
      return finish(await mergeEngine().diffObjectTrees(objects, oursTree, result.tree));
    });
  }

  /**
   * Pushes the current branch to its upstream (or to a branch of the same name, which then becomes the upstream).
   * NothingToPush when the remote already has it; PushRejectedNonFastForward when the remote has commits we do
   * not (`force: true` overwrites them); PushRejectedByRemote with the remote's own lines (a hook's message).
   */
  async push(options: PushOptions = {}): Promise<PushResult> {
    return push(this.internals, options);
  }

  /** The user's git for this remote, when it is configured and the remote's URL goes through it. */
  private async externalForRemote(remote: string): Promise<{ git: ExternalGit; url: string } | undefined> {
    const url = await this.getRemoteUrl(remote);
    if (!url) return undefined;
    const ext = externalFor(this.options, url);
    return ext ? { git: ext, url } : undefined;
  }

  /** Pull, then push; "nothing to push" is not an error here. */
  async sync(options: OperationOptions = {}): Promise<SyncResult> {
    const branch = await this.requireBranch('sync');
    const up = await this.upstreamOf(branch);
    let pull: PullResult;
    try {
      pull = await this.pull(options);
    } catch (err) {
      // a branch that was never pushed has nothing to pull yet
      if (!(err instanceof GitError && err.code === GitErrorCode.NoRemoteBranch && !up.configured)) throw err;
      pull = { kind: 'upToDate', head: (await this.headOid()) ?? ZERO_OID };
    }
    try {
      return { pull, push: await this.push(options) };
    } catch (err) {
      if (err instanceof GitError && err.code === GitErrorCode.NothingToPush) return { pull, push: undefined };
      throw err;
    }
  }

  // ---------------------------------------------------------------- merge in editor

  private mergeFile(name: string): string {
    return path.join(this.gitdir, name);
  }

  /** The merge in progress (MERGE_HEAD), if any. */
  async mergeState(): Promise<MergeState | undefined> {
    let theirs: string;
    try {
      theirs = (await fsp.readFile(this.mergeFile('MERGE_HEAD'), 'utf8')).trim().split('\n')[0];
    } catch {
      return undefined;
    }
    let message = '';
    try {
      message = (await fsp.readFile(this.mergeFile('MERGE_MSG'), 'utf8'))
        .split('\n')
        .filter((l) => !l.startsWith('#'))
        .join('\n')
        .trim();
    } catch {
      /* no message */
    }
    return { theirs, message };
  }

  private async clearMergeState(): Promise<void> {
    for (const f of ['MERGE_HEAD', 'MERGE_MSG', 'MERGE_MODE']) await fsp.rm(this.mergeFile(f), { force: true });
  }

  /**
   * "Merge in Editor": merges the upstream (as last fetched) into the current branch leaving conflict markers in
   * the files, the conflict stages in the index and `.git/MERGE_HEAD`, as the git CLI does; incoming changes
   * that merged cleanly are staged. Requires a clean working tree (only untracked files allowed). If the merge
   * turns out clean it is completed like a pull.
   */
  async mergeInEditor(options: OperationOptions = {}): Promise<MergeInEditorResult> {
    return this.guard({ operation: 'merge', signal: options.signal }, async () => {
      const branch = await this.requireBranch('merge');
      if (await this.mergeState()) throw new GitError(GitErrorCode.MergeInProgress, 'A merge is already in progress.');
      const up = await this.upstreamOf(branch);
      const label = `${up.remote}/${up.remoteBranch}`;
      const theirs = await this.resolve(`refs/remotes/${label}`);
      const ours = await this.resolve(`refs/heads/${branch}`);
      if (!theirs || !ours) throw new GitError(GitErrorCode.NoRemoteBranch, `Nothing to merge: ${label} not found.`, { ref: label });
      const st = await computeStatus({ dir: this.dir, gitdir: this.gitdir, cache: this.cache, headOid: ours });
      const tracked = [...st.staged.map((c) => c.path), ...st.changes.filter((c) => c.kind !== 'untracked').map((c) => c.path)];
      const oursTree = await treeOfCommit(this.store, ours);
      const theirsTree = await treeOfCommit(this.store, theirs);
      const incoming = await diffTrees(this.store, oursTree, theirsTree);
      const untracked = new Set(st.changes.filter((c) => c.kind === 'untracked').map((c) => c.path));
      const inTheWay = incoming.filter((c) => c.after && untracked.has(c.path)).map((c) => c.path);
      if (tracked.length || inTheWay.length) {
        const files = [...new Set([...tracked, ...inTheWay])].sort();
        throw new GitError(
          GitErrorCode.DirtyWorkingTree,
          `Merging in the editor needs a clean working tree; commit or discard these changes first: ${files.join(', ')}`,
          { files },
        );
      }
      await this.requireAuthor();
      const message = `Merge branch '${label}' into ${branch}`;
      const { objects, result, driver } = await this.mergeUpstream(ours, theirs, branch, label);
      this.logFieldMerge(driver);
      if (result.clean) {
        // no conflict after all: finish it as `git merge` would
        const merged = await this.integrate(branch, up.remote, up.remoteBranch, options, `merge ${label}`);
        return { completed: true, conflicts: [], report: undefined, fieldMerged: merged.kind === 'upToDate' ? [] : (merged.fieldMerged ?? []) };
      }
      // as `git merge` leaves it: every file as merged (conflict markers in the conflicted ones), what merged
      // cleanly staged, the conflicted paths as their index stages, and MERGE_HEAD
      await objects.persist(result.tree);
      for (const c of result.conflicts) for (const v of c.stages) if (v && objects.isMade(v.oid)) await objects.persist(v.oid);
      const report = await this.buildConflictReport(result, branch, label, driver);
      const conflicted = [...new Set(result.conflicts.map((c) => c.path))].sort();
      await switchTree(this.ctx, oursTree, result.tree, {
        operation: 'merge',
        conflicts: result.conflicts,
        onProgress: options.onProgress,
        signal: options.signal,
        beforeRelease: async () => {
          await atomicWriteFile(this.mergeFile('ORIG_HEAD'), ours + '\n');
          await atomicWriteFile(this.mergeFile('MERGE_MSG'), `${message}\n\n# Conflicts:\n${conflicted.map((p) => `#\t${p}\n`).join('')}`);
          await atomicWriteFile(this.mergeFile('MERGE_MODE'), '');
          await atomicWriteFile(this.mergeFile('MERGE_HEAD'), theirs + '\n');
        },
      });
      const after = await computeStatus({ dir: this.dir, gitdir: this.gitdir, cache: this.cache, headOid: ours, untracked: false });
      return { completed: false, conflicts: after.merge, report, fieldMerged: driver.fieldMerged };
    });
  }

  /** Abandons the merge in progress: index and tracked files back to HEAD, MERGE_* removed. */
  async abortMerge(): Promise<void> {
    await this.guard({ operation: 'abort merge' }, async () => {
      const merge = await this.mergeState();
      const idx = await loadIndex(this.gitdir);
      if (!merge && !idx.entries.some((e) => e.stage !== 0)) throw new GitError(GitErrorCode.NoMergeInProgress, 'No merge is in progress.');
      const head = await this.headOid();
      await resetToTree(this.ctx, head ? await treeOfCommit(this.store, head) : null);
      await this.clearMergeState();
    });
  }
}
