// What the git layer remembers for the whole process, beyond any one client: parsed `.git/index` files
// (indexCache.ts), pack readers (plumbing/gitFs.ts), parsed config files (plumbing/gitConfig.ts) and
// the configurations resolved for connectUrl (gitIdentity.ts cachedConfig). Each is keyed by
// the file's identity or re-checked on a miss, so nothing here is ever stale; forgetting them is for an explicit
// reset (GitClient.resetCache, after an outside `git gc`) and for measuring an operation as a freshly opened window
// runs it (bench/git.bench.ts).

import { forgetResolvedConfigs } from './lazyIdentity';
import { forgetParsedIndexes } from './indexCache';
import { forgetParsedConfig } from './plumbing/gitConfig';
import { forgetPackReaders } from './plumbing/gitFs';

/** Forgets what this thread's git layer remembers across clients. */
export function forgetProcessCaches(): void {
  forgetParsedIndexes();
  forgetPackReaders();
  forgetParsedConfig();
  forgetResolvedConfigs();
}
