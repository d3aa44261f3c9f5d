// GitClient: one per repository, the facade the Repository model holds. The operations themselves are modules in
// ./ops over its shared core (ops/gitCore.ts: the fs, the one isomorphic-git `cache` for every call, object reads
// 35-150x faster with it); the methods here only delegate to them (the merge the pulls share is ops/merge.ts,
// previewPull and Merge in Editor its own modules). Remote calls get an HTTP client bound to the operation's
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

import type { FsClient, HttpClient } from 'isomorphic-git';
import type { GitAuthProvider, GitCredentials } from './auth';
import type { ConflictReport } from './conflictReport';
import { GitError, GitErrorCode, type TranslateContext } from './gitError';
import type { TransportOptions } from './httpTransport';
import type { IndexLockOptions } from './indexLock';
import type { ExternalGit, ExternalGitMode } from './systemGit';
import { DEFAULT_REMOTE, GitCore } from './ops/gitCore';
import type { RemoteContext } from './ops/context';
import { clone } from './ops/clone';
import { fetch, type FetchOptions } from './ops/fetch';
import { mergeInEditor } from './ops/mergeInEditor';
import { previewPull } from './ops/previewPull';
import { pull } from './ops/pull';
import { push, type PushOptions } from './ops/push';
import { connectUrl, ZERO_OID } from './ops/remote';
import type { TransferWorkerClient } from './transferWorkerClient';
import { forgetProcessCaches } from './processCaches';
import { createBranch, deleteBranch, listBranches, resetBranchToUpstream } from './ops/branches';
import { branchMergeState, type BranchMergeState } from './ops/branchMerged';
import { checkout } from './ops/checkout';
import { commit } from './ops/commit';
import { abortMerge, mergeState } from './ops/mergeState';
import { history, readFile } from './ops/history';
import { getRemoteUrl, isRepository, setAuthor, setUpSync } from './ops/setUpSync';
import { discard, remove, stage, unstage } from './ops/stage';
import { aheadBehind, tracking } from './ops/tracking';
import type { StatusWorkerClient } from './statusWorkerClient';
import { computeStatus, type FileConflict, type WorkingTreeStatus } from './status';
import { StatusChanges } from './statusChanges';
import type { TreeChange } from './treeDiff';
import type { ProgressEvent } from './worktree';

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
  /**
   * the remote accepted the push but the remote-tracking ref could not be moved (another process holds its lock, or a
   * ref's name conflicts with it), in git's words ("update_ref failed for ref ..."); the next fetch moves it.
   */
  trackingRefNotUpdated?: string;
  /** a remote with several push URLs (pushurl, or url, values): what each one did, in git's order. */
  urls?: PushUrlResult[];
}

/** What one of a remote's several push URLs did with the push. */
export interface PushUrlResult {
  url: string;
  outcome: 'pushed' | 'upToDate' | 'failed';
  /** the lines that remote sent. */
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

export class GitClient {
  readonly dir: string;
  /** this working tree's git directory (`.git`, or what a `.git` file names: a linked worktree's). */
  readonly gitdir: string;
  /** where objects, refs and config live (the gitdir, except for a linked worktree). */
  readonly commondir: string;
  /** what the operations share (ops/gitCore.ts): the fs, the one isomorphic-git cache, the log, ref helpers. */
  readonly core: GitCore;

  constructor(
    dir: string,
    private readonly options: GitClientOptions = {},
  ) {
    this.core = new GitCore(dir, options);
    this.dir = this.core.dir;
    this.gitdir = this.core.gitdir;
    this.commondir = this.core.commondir;
  }

  /** one shared isomorphic-git cache for every call on this repository. */
  private get cache(): object {
    return this.core.cache;
  }

  /** Drop cached pack indexes (after an external `git gc` / repack), the status worker's included. */
  resetCache(): void {
    this.core.resetCache();
    forgetProcessCaches();
    this.options.statusWorker?.resetCache(this.dir).catch(() => undefined); // a dead worker has nothing cached
    this.options.transferWorker?.forgetCaches();
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

  private guard<T>(ctx: TranslateContext, fn: () => Promise<T>): Promise<T> {
    return this.core.guard(ctx, fn);
  }

  /** What the network operations (ops/clone, fetch, pull, push, mergeInEditor) use: the core and this client's options. */
  private get remoteContext(): RemoteContext {
    return {
      core: this.core,
      client: this,
      options: this.options,
    };
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
  isRepository(): Promise<boolean> {
    return isRepository(this);
  }

  /** See ops/setUpSync.ts. */
  setUpSync(options: SetUpSyncOptions): Promise<{ credentials?: GitCredentials }> {
    return setUpSync(this, options);
  }

  getRemoteUrl(remote = DEFAULT_REMOTE): Promise<string | undefined> {
    return getRemoteUrl(this, remote);
  }

  /** The URL git connects to for `remote` (url.<base>.insteadOf, and for pushing pushurl and pushInsteadOf, applied). */
  connectUrl(remote = DEFAULT_REMOTE, direction: 'fetch' | 'push' = 'fetch'): Promise<string | undefined> {
    return connectUrl(this.remoteContext, remote, direction);
  }

  /**
   * The author git would use here (GIT_AUTHOR_*, the repository's, global, XDG and system config, includes and
   * includeIf, as git resolves them: gitIdentity.ts), else the one given for this session; undefined: ask.
   */
  getAuthor(): Promise<GitAuthor | undefined> {
    return this.core.getAuthor();
  }

  /** Uses `author` for this client's commits without writing it anywhere. */
  useSessionAuthor(author: GitAuthor): void {
    this.core.sessionAuthor = author;
  }

  /** Writes user.name / user.email into the repository's `.git/config`: only when the user asked for it. */
  setAuthor(author: GitAuthor): Promise<void> {
    return setAuthor(this, author);
  }

  // ---------------------------------------------------------------- refs (ops/gitCore.ts, ops/branches.ts, ops/checkout.ts)

  headOid(): Promise<string | null> {
    return this.core.headOid();
  }

  currentBranch(): Promise<string | undefined> {
    return this.core.currentBranch();
  }

  private requireBranch(operation: string): Promise<string> {
    return this.core.requireBranch(operation);
  }

  private upstreamOf(branch: string): Promise<{ remote: string; remoteBranch: string; configured: boolean }> {
    return this.core.upstreamOf(branch);
  }

  listBranches(): Promise<{ local: BranchInfo[]; remote: RemoteBranchInfo[] }> {
    return listBranches(this);
  }

  /** Creates a branch at HEAD (or `startPoint`) and, by default, checks it out. */
  createBranch(name: string, options: { checkout?: boolean; startPoint?: string } = {}): Promise<void> {
    return createBranch(this, name, options);
  }

  /** See ops/checkout.ts. */
  checkout(name: string, options: OperationOptions = {}): Promise<void> {
    return checkout(this, name, options);
  }

  /** See ops/branches.ts. */
  resetBranchToUpstream(branch: string): Promise<string | undefined> {
    return resetBranchToUpstream(this, branch);
  }

  /** Deletes a local branch (never the current one): see ops/branches.ts. */
  deleteBranch(name: string, options?: { requireMerged?: boolean; oid?: string }): Promise<void> {
    return deleteBranch(this, name, options);
  }

  /** Whether `git branch -d` would delete the branch, and the commits deleting it loses: see ops/branchMerged.ts. */
  branchMergeState(name: string): Promise<BranchMergeState> {
    return branchMergeState(this, name);
  }

  // ---------------------------------------------------------------- status / stage / commit

  async status(): Promise<RepositoryStatus> {
    return this.guard({ operation: 'status' }, async () => {
      this.options.statusWorker?.warm(); // its start overlaps the reads below
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
  stage(paths: string[]): Promise<void> {
    return stage(this, paths);
  }

  /** Puts the index entries of `paths` back to HEAD (the files are not touched). */
  unstage(paths: string[]): Promise<void> {
    return unstage(this, paths);
  }

  /** Discards working-tree changes: tracked files back to their staged content, untracked files deleted. */
  discard(paths: string[]): Promise<void> {
    return discard(this, paths);
  }

  /** Deletes files and their index entries (a conflict's stages too), as `git rm` does. */
  remove(paths: string[]): Promise<void> {
    return remove(this, paths);
  }

  /** See ops/commit.ts. */
  commit(message: string, options: { author?: GitAuthor } = {}): Promise<string> {
    return commit(this, message, options);
  }

  /** See ops/history.ts. */
  readFile(filepath: string, source: { ref: string } | { stage: 0 | 1 | 2 | 3 }): Promise<Buffer | null> {
    return readFile(this, filepath, source);
  }

  // ---------------------------------------------------------------- history (ops/history.ts, ops/tracking.ts)

  /** Recent commits of `ref` (default HEAD), newest first, with the files each changed. */
  history(options: { ref?: string; depth?: number } = {}): Promise<CommitInfo[]> {
    return history(this, options);
  }

  /** Commits ahead of / behind the upstream (the remote-tracking ref as last fetched). */
  tracking(): Promise<TrackingInfo | undefined> {
    return tracking(this);
  }

  /** Commits reachable from `a` but not `b` (ahead) and from `b` but not `a` (behind). */
  aheadBehind(a: string, b: string): Promise<{ ahead: number; behind: number }> {
    return aheadBehind(this, a, b);
  }

  // ---------------------------------------------------------------- remote operations

  /** Fetches every branch of the remote (or only `branch`). */
  async fetch(options: FetchOptions = {}): Promise<void> {
    await fetch(this.remoteContext, options);
  }

  /**
   * Fetch + merge of the upstream into the current branch: a fast-forward when possible, otherwise a merge
   * commit by the configured author. Refused (DirtyWorkingTree, with the files) when uncommitted changes would be
   * overwritten; a conflict (Conflict, with a report) abandons the merge. In both cases HEAD, index and working
   * tree are exactly as before.
   */
  async pull(options: OperationOptions = {}): Promise<PullResult> {
    return pull(this.remoteContext, options);
  }

  /**
   * What `pull` would do with the upstream as last fetched, WITHOUT fetching and without changing anything (refs,
   * index, working tree; not even objects are written): up to date, a fast-forward, a merge (and which files the
   * field-level merge would resolve), or a conflict (with the report a pull would give); and which uncommitted
   * files would block it. Throws as pull does for a detached HEAD, a merge in progress or a missing upstream
   * branch.
   */
  previewPull(options: { signal?: AbortSignal } = {}): Promise<PullPreview> {
    return previewPull({ core: this.core }, options);
  }

  /**
   * Pushes the current branch to its upstream (or to a branch of the same name, which then becomes the upstream).
   * NothingToPush when the remote already has it; PushRejectedNonFastForward when the remote has commits we do
   * not (`force: true` overwrites them); PushRejectedByRemote with the remote's own lines (a hook's message).
   */
  async push(options: PushOptions = {}): Promise<PushResult> {
    return push(this.remoteContext, options);
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

  /** The merge in progress (MERGE_HEAD), if any. */
  mergeState(): Promise<MergeState | undefined> {
    return mergeState(this);
  }

  /**
   * "Merge in Editor": merges the upstream (as last fetched) into the current branch leaving conflict markers in
   * the files, the conflict stages in the index and `.git/MERGE_HEAD`, as the git CLI does; incoming changes
   * that merged cleanly are staged. Requires a clean working tree (only untracked files allowed). If the merge
   * turns out clean it is completed like a pull.
   */
  mergeInEditor(options: OperationOptions = {}): Promise<MergeInEditorResult> {
    return mergeInEditor(this.remoteContext, options);
  }

  /** Abandons the merge in progress: index and tracked files back to HEAD, MERGE_* removed. */
  abortMerge(): Promise<void> {
    return abortMerge(this);
  }
}
