// After a 401: the token the user then gives retries the operation that needed it. Before, "Enter Token..."
// checked the token with a fetch and stored it, and the push (or pull, or sync) had to be run again by hand.
// Here the failed operation itself runs again with the token sent up front and no further prompt (so a refused
// token fails at once, AuthFailed); the token is handed to the base provider to keep only when the server did
// not refuse it. Pure: the asking and the storing are the caller's.

import type { GitAuthProvider, GitCredentials } from './auth';
import { GitErrorCode, isGitError } from './gitError';

/** The operation failed for want of (good) credentials: a token may make it work. */
export function isCredentialError(err: unknown): boolean {
  return isGitError(err, GitErrorCode.AuthRequired) || isGitError(err, GitErrorCode.AuthFailed);
}

/** A provider that offers `candidate` up front and never prompts; other questions go to `base`. */
export function candidateProvider(candidate: GitCredentials, base?: GitAuthProvider): GitAuthProvider {
  return {
    getCredentials: () => candidate,
    requestCredentials: async () => undefined,
    confirmCleartext: base?.confirmCleartext ? (url, host) => base.confirmCleartext!(url, host) : undefined,
  };
}

/**
 * Runs `op` again with `candidate` as the credentials of `url` (`op` receives the provider to use). When the
 * server does not refuse the token, `base.credentialsAccepted` keeps it (a failure for another reason, e.g. a
 * non-fast-forward push, proves the token good); when it refuses it, nothing is kept and the error stands. It is
 * kept for the URL the operation asked credentials for (the one it connected to: url.<base>.insteadOf applied), else
 * for `url`.
 */
export async function retryWithCredentials<T>(
  url: string,
  candidate: GitCredentials,
  base: GitAuthProvider | undefined,
  op: (auth: GitAuthProvider) => Promise<T>,
): Promise<T> {
  let refused = false;
  let connected: string | undefined;
  const provider = candidateProvider(candidate, base);
  try {
    return await op({
      ...provider,
      getCredentials: (asked) => {
        connected ??= asked;
        return candidate;
      },
    });
  } catch (err) {
    refused = isCredentialError(err);
    throw err;
  } finally {
    if (!refused) await base?.credentialsAccepted?.(connected ?? url, candidate);
  }
}
