// The shared context every operation module gets from the repository's run() funnel: the repository's client (which
// only the model and these modules see), the caller's cancellation and progress. No 'vscode' import.

import type { GitClient, ProgressEvent } from '../gitClient';

export interface OpContext {
  readonly client: GitClient;
  readonly signal?: AbortSignal;
  readonly onProgress: (progress: ProgressEvent) => void;
  /** each line the remote sends (`remote: ...`), without the prefix. */
  readonly onMessage?: (line: string) => void;
}
