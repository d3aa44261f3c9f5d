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
import * as crypto from 'crypto';
import { isogit } from './isogit';
import type { FsClient, HttpClient, ProgressCallback } from 'isomorphic-git';
import { AuthSession, type GitAuthProvider, type GitCredentials } from './auth';
import { describeConflict, type ConflictedFile, type ConflictedItem, type ConflictReport } from './conflictReport';
import type { FieldConflict } from '../collections/merge3';
import { GitError, GitErrorCode, redact, toGitError, type TranslateContext } from './gitError';
import { createHttpClient, type TransportOptions } from './httpTransport';
import type { IndexLockOptions } from './indexLock';
import { findInsomniaContent } from './insomniaRepo';
import { isSshUrl, parseRemoteUrl } from './remoteUrl';
import { usesExternalGit, type ExternalGit, type ExternalGitMode } from './systemGit';
import { atomicWriteFile, gitFs, withDeferredRefs } from './plumbing/gitFs';
import { ObjectLayer } from './plumbing/objects';
import type { CommitMergeResult, MergeConflict } from './plumbing/treeMerge';
import { fastForwardSubmodule } from './plumbing/submoduleMerge';
import { mergeEngine } from './lazyMerge';
import { GitCore } from './ops/gitCore';
import { createBranch, deleteBranch, listBranches, resetBranchToUpstream } from './ops/branches';
import { checkout } from './ops/checkout';
import { commit } from './ops/commit';
import { abortMerge, mergeFile, mergeState } from './ops/mergeState';
import { history, readFile } from './ops/history';
import { getRemoteUrl, isRepository, setAuthor, setUpSync } from './ops/setUpSync';
import { discard, stage, unstage } from './ops/stage';
import { aheadBehind, tracking } from './ops/tracking';
import { CollectionMergeDriver } from './mergeDriver';
import type { StatusWorkerClient } from './statusWorkerClient';
import { computeStatus, conflictKind as conflictKindOf, type FileConflict, type WorkingTreeStatus } from './status';
import { StatusChanges } from './statusChanges';
import { diffTrees, treeOfCommit, type TreeChange } from './treeDiff';
import {
  findBlockingFiles,
  switchTree,
  type ProgressEvent,
  type WorktreeContext,
} from './worktree';

export type { ProgressEvent } from './worktree';

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

const ZERO_OID = '0000000000000000000000000000000000000000';
const DEFAULT_REMOTE = 'origin';

/** Splits streamed remote output into lines (git sends `\r` for progress updates). */
class RemoteLines {
  readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly forward?: (line: string) => void) {}

  readonly onMessage = (chunk: string): void => {
    const text = this.partial + chunk;
    const parts = text.split(/\r?\n|\r/);
    this.partial = parts.pop() ?? '';
    for (const p of parts) this.add(p);
  };

  private add(raw: string): void {
    const line = redact(raw.replace(/^remote:\s?/, '').trimEnd());
    if (!line) return;
    this.lines.push(line);
    this.forward?.(line);
  }

  flush(): string[] {
    if (this.partial) {
      this.add(this.partial);
      this.partial = '';
    }
    return this.lines;
  }
}

/** Progress phases isomorphic-git reports from the remote's lines, without awaiting the callback. */
const REMOTE_PHASES = /^(?:Enumerating|Counting|Compressing|Finding|Total|Writing)\b/i;

/**
 * isomorphic-git's progress callback: forwards, and stops the operation once it is cancelled by throwing from the
 * phases isomorphic-git awaits (indexing the pack, resolving deltas). The phases parsed from the remote's lines
 * are called without being awaited: a throw there would be an unhandled rejection, and the HTTP client stops
 * those transfers anyway.
 */
function progressCallback(options: OperationOptions): ProgressCallback {
  let turn = performance.now();
  return async (p) => {
    if (options.signal?.aborted && !REMOTE_PHASES.test(p.phase)) throw Object.assign(new Error('aborted'), { code: 'ABORT_ERR', name: 'AbortError' });
    options.onProgress?.({ phase: p.phase, loaded: p.loaded, total: p.total });
    // isomorphic-git awaits this callback inside its long synchronous loops (indexing a received pack: seconds for
    // a 10,000-file clone): the event loop gets a turn there
    if (performance.now() - turn >= 8) {
      await new Promise((r) => setImmediate(r));
      turn = performance.now();
    }
  };
}

/** The ExternalGit `url` goes through under these options, if any. */
function externalFor(options: GitClientOptions, url: string): ExternalGit | undefined {
  return options.externalGit && usesExternalGit(url, options.externalGitMode) ? options.externalGit : undefined;
}

/** Runs an external-git operation; with no git binary, an SSH remote gets the message it always had. */
async function sshFallback<T>(url: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GitError && err.code === GitErrorCode.GitNotFound && isSshUrl(url)) {
      try {
        parseRemoteUrl(url);
      } catch (ssh) {
        if (ssh instanceof GitError) throw new GitError(ssh.code, `${ssh.message} (SSH remotes need git installed: none was found.)`, ssh.details);
      }
    }
    throw err;
  }
}

function checkAborted(signal: AbortSignal | undefined, operation: string): void {
  if (signal?.aborted) throw new GitError(GitErrorCode.Cancelled, `The ${operation} was cancelled.`);
}

async function isEmptyDir(dir: string): Promise<boolean | undefined> {
  try {
    return (await fsp.readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

const CLONE_FOLDER = /^\..+\.hammock-clone-(?:(\d+)-)?[0-9a-f]{8}$/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the hidden `.<name>.hammock-clone-<pid>-<hex>` folders of clones that were killed mid-way from `parent`:
 * those whose process is gone (a folder of an older Hammock, without a pid, once it is an hour old). Returns the
 * folders removed.
 */
export async function removeStaleClones(parent: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = CLONE_FOLDER.exec(name);
    if (!m) continue;
    const full = path.join(parent, name);
    if (m[1]) {
      if (Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    } else {
      const st = await fsp.stat(full).catch(() => null);
      if (!st || Date.now() - st.mtimeMs < 3_600_000) continue;
    }
    await fsp.rm(full, { recursive: true, force: true }).catch(() => undefined);
    removed.push(full);
  }
  return removed;
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 10));

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

  private get fs(): FsClient {
    return this.core.fs;
  }

  /** Drop cached pack indexes (after an external `git gc` / repack), the status worker's included. */
  resetCache(): void {
    this.core.resetCache();
    this.options.statusWorker?.resetCache(this.dir).catch(() => undefined); // a dead worker has nothing cached
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
    return this.core.ctx;
  }

  private get store(): { gitdir: string; cache: object } {
    return this.core.store;
  }

  private log(line: string): void {
    this.core.log(line);
  }

  private guard<T>(ctx: TranslateContext, fn: () => Promise<T>): Promise<T> {
    return this.core.guard(ctx, fn);
  }

  // ---------------------------------------------------------------- clone / setup

  /**
   * Clones an HTTPS repository into `dir`: into a temporary sibling folder first, renamed when complete, so a
   * failed or cancelled clone leaves nothing behind. Refuses repositories without Insomnia data.
   */
  static async clone(options: CloneOptions): Promise<GitClient> {
    const target = path.resolve(options.dir);
    const external = externalFor(options, options.url.trim());
    const parsed = external && isSshUrl(options.url) ? { url: options.url.trim() } : parseRemoteUrl(options.url);
    const ctxBase: TranslateContext = { operation: 'clone', url: parsed.url, signal: options.signal };
    const empty = await isEmptyDir(target);
    if (empty === false) {
      throw new GitError(GitErrorCode.DestinationExists, `Cannot clone into ${target}: the folder exists and is not empty.`);
    }
    const parent = path.dirname(target);
    await fsp.mkdir(parent, { recursive: true });
    await removeStaleClones(parent);
    const tmp = path.join(parent, `.${path.basename(target)}.hammock-clone-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
    await fsp.mkdir(tmp);
    const fromUrl: GitCredentials | undefined = parsed.password ? { username: parsed.username, token: parsed.password } : undefined;
    const session = new AuthSession(parsed.url, options.auth, options.maxAuthPrompts ?? 1, fromUrl);
    const messages = new RemoteLines(options.onMessage);
    const tmpClient = new GitClient(tmp, options);
    try {
      try {
        if (external) {
          // the user's git fetches (its ssh keys, agent, credential helper); Hammock checks out, in slices
          await sshFallback(parsed.url, () =>
            external.clone({ url: parsed.url, dir: tmp, ref: options.ref, depth: options.depth, noCheckout: true, signal: options.signal, onProgress: options.onProgress, onMessage: options.onMessage }),
          );
        } else {
          const headers = await session.headers();
          await isogit().clone({
            fs: tmpClient.fs,
            http: options.http ?? createHttpClient(options.transport, options.signal),
            dir: tmp,
            url: parsed.url,
            ref: options.ref,
            singleBranch: options.singleBranch ?? false,
            depth: options.depth,
            noCheckout: true,
            noTags: true,
            headers,
            onAuth: session.onAuth,
            onAuthFailure: session.onAuthFailure,
            onAuthSuccess: session.onAuthSuccess,
            onProgress: progressCallback(options),
            onMessage: messages.onMessage,
            cache: tmpClient.cache,
            nonBlocking: true,
            batchSize: options.batchSize ?? 100,
          });
        }
      } catch (err) {
        throw toGitError(err, {
          ...ctxBase,
          credentialsRejected: session.rejected,
          credentialsDeclined: session.declined,
          secrets: session.secrets,
          remoteLines: messages.flush(),
        });
      }
      checkAborted(options.signal, 'clone');
      const head = await tmpClient.headOid();
      if (options.requireInsomnia !== false) {
        const found = head ? await findInsomniaContent(tmpClient.gitdir, tmpClient.cache, head) : { legacy: false, v5Files: [] };
        if (!found.legacy && found.v5Files.length === 0) {
          throw new GitError(
            GitErrorCode.NotAnInsomniaRepo,
            `${parsed.url} holds no Insomnia data: no .insomnia/ folder and no Insomnia v5 file (a YAML file whose first line declares collection.insomnia.rest/5.0 or similar).`,
          );
        }
      }
      if (head) {
        const tree = await treeOfCommit(tmpClient.store, head);
        await switchTree(tmpClient.ctx, null, tree, {
          operation: 'clone',
          fresh: true,
          onProgress: options.onProgress,
          signal: options.signal,
        });
      }
      if (options.author) await tmpClient.setAuthor(options.author);
      if (head && !external) {
        // reflog entries as git clone writes them (the user's git wrote its own)
        const message = `clone: from ${redact(parsed.url)}`;
        const branch = await tmpClient.currentBranch();
        if (branch) await tmpClient.reflog(`refs/heads/${branch}`, null, head, message);
        await tmpClient.reflog('HEAD', null, head, message);
        const remoteHead = await tmpClient.resolve(`refs/remotes/${DEFAULT_REMOTE}/HEAD`);
        if (remoteHead) await tmpClient.reflog(`refs/remotes/${DEFAULT_REMOTE}/HEAD`, null, remoteHead, message);
      }
      checkAborted(options.signal, 'clone');
      if ((await isEmptyDir(target)) === true) await fsp.rmdir(target);
      await fsp.rename(tmp, target);
      return new GitClient(target, options);
    } catch (err) {
      await fsp.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      throw err instanceof GitError ? err : toGitError(err, ctxBase);
    }
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

  private requireAuthor(): Promise<GitAuthor> {
    return this.core.requireAuthor();
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

  private resolve(ref: string): Promise<string | null> {
    return this.core.resolve(ref);
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

  private reflog(ref: string, oldOid: string | null, newOid: string, message: string, force = false): Promise<void> {
    return this.core.reflog(ref, oldOid, newOid, message, force);
  }

  private moveBranch(branch: string, oldOid: string | null, newOid: string, message: string): Promise<void> {
    return this.core.moveBranch(branch, oldOid, newOid, message);
  }

  /** See ops/branches.ts. */
  resetBranchToUpstream(branch: string): Promise<string | undefined> {
    return resetBranchToUpstream(this, branch);
  }

  /** Deletes a local branch (never the current one). */
  deleteBranch(name: string): Promise<void> {
    return deleteBranch(this, name);
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

  private async remoteUrl(remote: string, operation: string): Promise<string> {
    const url = await this.getRemoteUrl(remote);
    if (!url) throw new GitError(GitErrorCode.NoRemote, `Cannot ${operation}: no remote "${remote}" is configured. Set up sync first.`);
    return parseRemoteUrl(url).url;
  }

  private async remoteCall<T>(
    operation: string,
    remote: string,
    options: OperationOptions,
    extra: Partial<TranslateContext>,
    fn: (args: {
      http: HttpClient;
      url: string;
      headers: Record<string, string>;
      session: AuthSession;
      messages: RemoteLines;
      onProgress: ProgressCallback;
    }) => Promise<T>,
  ): Promise<T> {
    const url = await this.remoteUrl(remote, operation);
    const session = new AuthSession(url, options.auth ?? this.options.auth, this.options.maxAuthPrompts ?? 1);
    const messages = new RemoteLines(options.onMessage);
    checkAborted(options.signal, operation);
    try {
      const headers = await session.headers();
      return await fn({
        http: this.options.http ?? createHttpClient(this.options.transport, options.signal),
        url,
        headers,
        session,
        messages,
        onProgress: progressCallback(options),
      });
    } catch (err) {
      await tick(); // onMessage lines are delivered asynchronously by isomorphic-git
      throw toGitError(err, {
        operation,
        url,
        signal: options.signal,
        credentialsRejected: session.rejected,
        credentialsDeclined: session.declined,
        secrets: session.secrets,
        remoteLines: messages.flush(),
        ...extra,
      });
    }
  }

  /** Fetches every branch of the remote (or only `branch`). */
  async fetch(options: OperationOptions & { remote?: string; branch?: string; prune?: boolean } = {}): Promise<void> {
    await this.fetchAs('fetch', options);
  }

  /** A fetch whose reflog entries say `action` (git: `fetch: fast-forward`, or `pull: fast-forward` within a pull). */
  private async fetchAs(action: string, options: OperationOptions & { remote?: string; branch?: string; prune?: boolean }): Promise<void> {
    const remote = options.remote ?? DEFAULT_REMOTE;
    const external = await this.externalForRemote(remote);
    if (external) {
      // git moves the remote-tracking refs (after the objects are in) and writes their reflogs itself
      await sshFallback(external.url, () =>
        external.git.fetch({ dir: this.dir, remote, branch: options.branch, prune: options.prune, signal: options.signal, onProgress: options.onProgress, onMessage: options.onMessage }),
      );
      return;
    }
    const moved: { ref: string; old: string | null; value: string }[] = [];
    await this.remoteCall('fetch', remote, options, {}, async (a) => {
      // the remote-tracking refs move only once the objects they name are stored (isomorphic-git writes them
      // before the pack has arrived: a cut or cancelled fetch left refs pointing at missing commits)
      const deferred =
        this.fs === gitFs
          ? withDeferredRefs
          : async <T>(_g: string, fn: (fs: FsClient) => Promise<T>, check: (refs: Map<string, string>) => Promise<void>) => {
              const r = await fn(this.fs);
              await check(new Map());
              return r;
            };
      await deferred(
        this.gitdir,
        (fs) =>
          isogit().fetch({
        fs,
        http: a.http,
        dir: this.dir,
        gitdir: this.gitdir,
        remote,
        ref: options.branch,
        singleBranch: !!options.branch,
        tags: false,
        prune: options.prune,
        headers: a.headers,
        onAuth: a.session.onAuth,
        onAuthFailure: a.session.onAuthFailure,
        onAuthSuccess: a.session.onAuthSuccess,
        onProgress: a.onProgress,
        onMessage: a.messages.onMessage,
        cache: this.cache,
          }),
        async (refs) => {
          await this.checkFetchedRefs(refs);
          for (const [ref, value] of refs) {
            if (!ref.startsWith('refs/remotes/') || !/^[0-9a-f]{40}$/.test(value)) continue;
            const old = await this.resolve(ref);
            if (old !== value) moved.push({ ref, old, value });
          }
        },
      );
    });
    // reflog entries as git writes them for remote-tracking refs
    for (const m of moved) {
      const how = !m.old
        ? 'storing head'
        : (await isogit().isDescendent({ fs: this.fs, gitdir: this.gitdir, oid: m.value, ancestor: m.old, depth: -1, cache: this.cache }).catch(() => false))
          ? 'fast-forward'
          : 'forced-update';
      await this.reflog(m.ref, m.old, m.value, `${action}: ${how}`);
    }
  }

  /** Every commit a fetch is about to point a ref at must be readable, with its tree: else the transfer was cut. */
  private async checkFetchedRefs(refs: Map<string, string>): Promise<void> {
    for (const oid of new Set(refs.values())) {
      if (!/^[0-9a-f]{40}$/.test(oid)) continue;
      try {
        const { commit } = await isogit().readCommit({ fs: this.fs, gitdir: this.gitdir, oid, cache: this.cache });
        await isogit().readTree({ fs: this.fs, gitdir: this.gitdir, oid: commit.tree, cache: this.cache });
      } catch {
        throw Object.assign(new Error(`the objects of ${oid.slice(0, 7)} did not arrive`), { code: 'HAMMOCK_INCOMPLETE_TRANSFER' });
      }
    }
  }

  /**
   * Fetch + merge of the upstream into the current branch: a fast-forward when possible, otherwise a merge
   * commit by the configured author. Refused (DirtyWorkingTree, with the files) when uncommitted changes would be
   * overwritten; a conflict (Conflict, with a report) abandons the merge. In both cases HEAD, index and working
   * tree are exactly as before.
   */
  async pull(options: OperationOptions = {}): Promise<PullResult> {
    const branch = await this.requireBranch('pull');
    if (await this.mergeState()) throw new GitError(GitErrorCode.MergeInProgress, 'A merge is in progress: commit or abort it first.');
    const up = await this.upstreamOf(branch);
    await this.fetchAs('pull', { ...options, remote: up.remote, branch: up.remoteBranch });
    return this.guard({ operation: 'pull', signal: options.signal, ref: branch }, () => this.integrate(branch, up.remote, up.remoteBranch, options));
  }

  private async integrate(branch: string, remote: string, remoteBranch: string, options: OperationOptions, reflogPrefix = 'pull'): Promise<PullResult> {
    const theirs = await this.resolve(`refs/remotes/${remote}/${remoteBranch}`);
    if (!theirs) {
      throw new GitError(GitErrorCode.NoRemoteBranch, `The remote has no branch ${remoteBranch}: push it first.`, { ref: `${remote}/${remoteBranch}` });
    }
    const ours = await this.resolve(`refs/heads/${branch}`);
    let target: string;
    let kind: 'fastForward' | 'merge';
    let fieldMerged: string[] | undefined;
    if (!ours) {
      target = theirs;
      kind = 'fastForward';
    } else {
      if (ours === theirs || (await isogit().isDescendent({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, oid: ours, ancestor: theirs, depth: -1, cache: this.cache }))) {
        return { kind: 'upToDate', head: ours };
      }
      if (await isogit().isDescendent({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, oid: theirs, ancestor: ours, depth: -1, cache: this.cache })) {
        target = theirs;
        kind = 'fastForward';
      } else {
        const author = await this.requireAuthor();
        const label = `${remote}/${remoteBranch}`;
        const { objects, result, driver } = await this.mergeUpstream(ours, theirs, branch, label);
        this.logFieldMerge(driver);
        if (!result.clean) throw await this.conflictError(result, branch, label, driver);
        // the merged blobs and trees, then the commit: a kill in between leaves unreferenced objects, nothing broken
        await objects.persist(result.tree);
        const now = Math.floor(Date.now() / 1000);
        const who = { name: author.name, email: author.email, timestamp: now, timezoneOffset: new Date().getTimezoneOffset() };
        target = await isogit().writeCommit({
          fs: this.fs,
          dir: this.dir,
          gitdir: this.gitdir,
          commit: { message: `Merge branch '${label}' into ${branch}\n`, tree: result.tree, parent: [ours, theirs], author: who, committer: who },
        });
        kind = 'merge';
        fieldMerged = driver.fieldMerged;
      }
    }
    checkAborted(options.signal, 'pull');
    const from = ours ? await treeOfCommit(this.store, ours) : null;
    const to = await treeOfCommit(this.store, target);
    const changes = await switchTree(this.ctx, from, to, {
      operation: reflogPrefix === 'pull' ? 'pull' : 'merge',
      onProgress: options.onProgress,
      signal: options.signal,
      beforeRelease: async () => {
        if (!ours) await isogit().writeRef({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, ref: 'HEAD', value: `refs/heads/${branch}`, symbolic: true, force: true });
        await this.moveBranch(branch, ours, target, `${reflogPrefix}: ${kind === 'fastForward' ? 'Fast-forward' : "Merge made by the 'ort' strategy."}`);
      },
    });
    this.log(`pull: ${kind} ${branch} to ${target.slice(0, 7)} (${changes.length} files)`);
    return { kind, head: target, previous: ours ?? ZERO_OID, changes, ...(fieldMerged?.length ? { fieldMerged } : {}) };
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
  async push(options: OperationOptions & { force?: boolean } = {}): Promise<PushResult> {
    const branch = await this.requireBranch('push');
    const up = await this.upstreamOf(branch);
    const remoteRef = `refs/heads/${up.remoteBranch}`;
    let verdict: 'nothingToPush' | 'nonFastForward' | undefined;
    const tracking = `refs/remotes/${up.remote}/${up.remoteBranch}`;
    const trackedBefore = await this.resolve(tracking);
    const external = await this.externalForRemote(up.remote);
    const result = external
      ? await this.externalPush(external, branch, up, remoteRef, options)
      : await this.remoteCall('push', up.remote, options, { ref: `${up.remote}/${up.remoteBranch}` }, async (a) => {
      try {
        await isogit().push({
          fs: this.fs,
          http: a.http,
          dir: this.dir,
          gitdir: this.gitdir,
          remote: up.remote,
          ref: branch,
          remoteRef,
          force: options.force,
          headers: a.headers,
          signal: options.signal,
          onAuth: a.session.onAuth,
          onAuthFailure: a.session.onAuthFailure,
          onAuthSuccess: a.session.onAuthSuccess,
          onProgress: a.onProgress,
          onMessage: a.messages.onMessage,
          onPrePush: async ({ localRef, remoteRef: r }) => {
            if (localRef.oid === r.oid) {
              verdict = 'nothingToPush';
              return false;
            }
            if (!options.force && r.oid !== ZERO_OID) {
              const known = await isogit().readCommit({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, oid: r.oid, cache: this.cache }).then(
                () => true,
                () => false,
              );
              const ff = known && (await isogit().isDescendent({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, oid: localRef.oid, ancestor: r.oid, depth: -1, cache: this.cache }));
              if (!ff) {
                verdict = 'nonFastForward';
                return false;
              }
            }
            return true;
          },
          cache: this.cache,
        });
      } catch (err) {
        if (verdict === 'nothingToPush') {
          throw new GitError(GitErrorCode.NothingToPush, `Nothing to push: ${up.remote}/${up.remoteBranch} is already up to date.`, {
            ref: `${up.remote}/${up.remoteBranch}`,
          });
        }
        if (verdict === 'nonFastForward') {
          throw new GitError(
            GitErrorCode.PushRejectedNonFastForward,
            `The push was rejected because ${up.remote}/${up.remoteBranch} has commits you do not have. Pull first, or force push to overwrite them.`,
            { ref: `${up.remote}/${up.remoteBranch}` },
          );
        }
        throw err;
      }
      await tick();
      return { oid: (await this.resolve(`refs/heads/${branch}`))!, remoteLines: a.messages.flush() };
    });
    const trackedAfter = await this.resolve(tracking);
    if (!external && trackedAfter && trackedAfter !== trackedBefore) await this.reflog(tracking, trackedBefore, trackedAfter, 'update by push');
    let setUpstream = false;
    if (!up.configured) {
      await isogit().setConfig({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, path: `branch.${branch}.remote`, value: up.remote });
      await isogit().setConfig({ fs: this.fs, dir: this.dir, gitdir: this.gitdir, path: `branch.${branch}.merge`, value: remoteRef });
      setUpstream = true;
    }
    return { branch, remoteRef, oid: result.oid, setUpstream, remoteLines: result.remoteLines };
  }

  /** The user's git for this remote, when it is configured and the remote's URL goes through it. */
  private async externalForRemote(remote: string): Promise<{ git: ExternalGit; url: string } | undefined> {
    const url = await this.getRemoteUrl(remote);
    if (!url) return undefined;
    const ext = externalFor(this.options, url);
    return ext ? { git: ext, url } : undefined;
  }

  private async externalPush(
    external: { git: ExternalGit; url: string },
    branch: string,
    up: { remote: string; remoteBranch: string },
    remoteRef: string,
    options: OperationOptions & { force?: boolean },
  ): Promise<{ oid: string; remoteLines: string[] }> {
    const lines: string[] = [];
    const outcome = await sshFallback(external.url, () =>
      external.git.push({
        dir: this.dir,
        remote: up.remote,
        branch,
        remoteRef,
        force: options.force,
        signal: options.signal,
        onProgress: options.onProgress,
        onMessage: (line) => {
          lines.push(line);
          options.onMessage?.(line);
        },
      }),
    );
    if (outcome === 'upToDate') {
      throw new GitError(GitErrorCode.NothingToPush, `Nothing to push: ${up.remote}/${up.remoteBranch} is already up to date.`, { ref: `${up.remote}/${up.remoteBranch}` });
    }
    return { oid: (await this.resolve(`refs/heads/${branch}`))!, remoteLines: lines.filter((l) => !/^To /.test(l)) };
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
    return mergeFile(this, name);
  }

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
  abortMerge(): Promise<void> {
    return abortMerge(this);
  }
}
