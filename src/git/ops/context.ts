// The shared context every operation module gets from the repository's run() funnel: the repository's client (which
// only the model and these modules see), its shared core (the fs, cache, log, lock options and ref helpers of
// ops/gitCore.ts), the caller's cancellation and progress. No 'vscode' import.

import type { GitClient, GitClientOptions, ProgressEvent } from '../gitClient';
import type { GitCore } from './gitCore';

export interface OpContext {
  readonly client: GitClient;
  readonly core: GitCore;
  readonly signal?: AbortSignal;
  readonly onProgress: (progress: ProgressEvent) => void;
  /** each line the remote sends (`remote: ...`), without the prefix. */
  readonly onMessage?: (line: string) => void;
}

/** What a local operation needs: the core only (GitClient's delegations pass `{ core }`). */
export type CoreContext = Pick<OpContext, 'core'>;

/**
 * What a network operation (clone, fetch, pull, push) needs beyond the core: the client (its remote URL, merge
 * state) and its options (credentials, transport, the user's git, the transfer worker).
 */
export interface RemoteContext extends CoreContext {
  readonly client: GitClient;
  readonly options: GitClientOptions;
}
