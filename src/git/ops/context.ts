// The shared context every operation module gets from the repository's run() funnel: the repository's client (which
// only the model and these modules see), the caller's cancellation and progress. No 'vscode' import.

import type { FsClient } from 'isomorphic-git';
import type { GitAuthor, GitClient, GitClientOptions, ProgressEvent } from '../gitClient';
import type { GitError, TranslateContext } from '../gitError';
import type { CollectionMergeDriver } from '../mergeDriver';
import type { ObjectLayer } from '../plumbing/objects';
import type { CommitMergeResult } from '../plumbing/treeMerge';
import type { ExternalGit } from '../systemGit';
import type { WorktreeContext } from '../worktree';

export interface OpContext {
  readonly client: GitClient;
  readonly signal?: AbortSignal;
  readonly onProgress: (progress: ProgressEvent) => void;
  /** each line the remote sends (`remote: ...`), without the prefix. */
  readonly onMessage?: (line: string) => void;
}

/**
 * What the operation modules use of a client beyond its public methods (GitClient.internals): its fs and cache,
 * its options, and the helpers every operation shares. Only src/git/ops reads it.
 */
export interface ClientInternals {
  readonly client: GitClient;
  readonly dir: string;
  readonly gitdir: string;
  readonly fs: FsClient;
  readonly cache: object;
  readonly options: GitClientOptions;
  readonly ctx: WorktreeContext;
  readonly store: { gitdir: string; cache: object };
  log(line: string): void;
  guard<T>(ctx: TranslateContext, fn: () => Promise<T>): Promise<T>;
  resolve(ref: string): Promise<string | null>;
  reflog(ref: string, oldOid: string | null, newOid: string, message: string, force?: boolean): Promise<void>;
  moveBranch(branch: string, oldOid: string | null, newOid: string, message: string): Promise<void>;
  upstreamOf(branch: string): Promise<{ remote: string; remoteBranch: string; configured: boolean }>;
  requireBranch(operation: string): Promise<string>;
  requireAuthor(): Promise<GitAuthor>;
  /** the user's git for this remote, when it is configured and the remote's URL goes through it. */
  externalForRemote(remote: string): Promise<{ git: ExternalGit; url: string } | undefined>;
  /** `git merge` of commit `theirs` into `ours`, nothing written (see GitClient). */
  mergeUpstream(ours: string, theirs: string, oursLabel: string, theirsLabel: string): Promise<{ objects: ObjectLayer; result: CommitMergeResult; driver: CollectionMergeDriver }>;
  logFieldMerge(driver: CollectionMergeDriver): void;
  conflictError(result: CommitMergeResult, oursLabel: string, theirsLabel: string, driver: CollectionMergeDriver): Promise<GitError>;
}
