// Fetch: every branch of a remote (or one), as `git fetch` does. The remote-tracking refs move only once the objects
// they name are stored and checked (ops/transfer.ts); their reflog entries are written as git writes them. The pack
// is received and indexed in the transfer worker when the client has one (off the extension host's event loop),
// else here. An SSH remote (or every remote, as configured) goes through the user's git. No 'vscode' import.

import type { GitAuthor, OperationOptions } from '../gitClient';
import type { RemoteContext } from './context';
import { DEFAULT_REMOTE } from './gitCore';
import { connectUrls, remoteCall, sshFallback, workerFor } from './remote';
import { isMissingRemoteHead, missingRemoteHeadError, probeRemoteHead } from './remoteHead';
import { runTransfer, type MovedRef, type TransferRequest } from './transfer';
import { GitError, GitErrorCode } from '../gitError';
import { GitConfig } from '../plumbing/gitConfig';
import type { RefRejection } from '../plumbing/gitFs';

export interface FetchOptions extends OperationOptions {
  remote?: string;
  branch?: string;
  /**
   * instead of `branch`: one ref of the remote into a ref of ours, as `git fetch <remote> +<src>:<dst>` (a pull
   * request's `refs/pull/12/head` into `refs/remotes/origin/pr/12`, which the remote's refspecs map nowhere).
   */
  refspec?: { readonly src: string; readonly dst: string };
  /**
   * delete the remote-tracking refs of branches the remote no longer has, before the others move (`git fetch --prune`).
   * Unset: as git fetch, remote.<remote>.prune, else fetch.prune (for a fetch of every branch: one of a single branch
   * or refspec prunes nothing it does not name).
   */
  prune?: boolean;
  /** called once the transfer has started (a pull then reads what it will need while the network is waited on). */
  onTransferStarted?: () => void;
  /** the identity of the reflog entries, when the caller resolves it (see GitCore.reflogIdentity). */
  reflogIdentity?: () => Promise<GitAuthor> | undefined;
}

/** A fetch whose reflog entries say `action` (git: `fetch: fast-forward`, or `pull: fast-forward` within a pull). */
export async function fetch(c: RemoteContext, options: FetchOptions, action = 'fetch'): Promise<void> {
  const remote = options.remote ?? DEFAULT_REMOTE;
  // the identity of the reflog entries (every git config file) is read while the remote's config is
  const identity = options.reflogIdentity?.() ?? c.core.reflogIdentity();
  identity.catch(() => undefined); // awaited below, unless the user's git fetches
  // the URL git connects to (read once: the user's git carries it, or the transfer below connects to it)
  const [url] = await connectUrls(c, remote, 'fetch');
  const external = url === undefined ? undefined : c.core.externalFor(url);
  if (external) {
    // git moves the remote-tracking refs (after the objects are in) and writes their reflogs itself
    await sshFallback(url!, () =>
      external.fetch({ dir: c.core.dir, remote, branch: options.branch, refspec: options.refspec, prune: options.prune, signal: options.signal, onProgress: options.onProgress, onMessage: options.onMessage, reflogAction: action }),
    );
    return;
  }
  const worker = workerFor(c.options);
  // the reflog entries, as git writes them for remote-tracking refs, are written by the transfer while each ref is
  // locked (git: before the ref moves)
  const who = await identity;
  const { rejected } = await remoteCall(c, 'fetch', remote, options, url === undefined ? {} : { url }, async (a): Promise<{ moved: MovedRef[]; rejected: RefRejection[] }> => {
    const request: TransferRequest = {
      kind: 'fetch',
      dir: c.core.dir,
      gitdir: c.core.gitdir,
      remote,
      url: a.url,
      ref: options.refspec?.src ?? options.branch,
      into: options.refspec?.dst,
      prune: options.prune ?? (options.branch || options.refspec ? undefined : configuredPrune(c.core.gitdir, remote)),
      headers: a.headers,
      reflog: { who: { name: who.name, email: who.email }, action },
    };
    const hooks = {
      signal: options.signal,
      onAuth: a.session.onAuth,
      onAuthFailure: a.session.onAuthFailure,
      onAuthSuccess: a.session.onAuthSuccess,
      onProgress: options.onProgress,
      onMessage: a.messages.onMessage,
    };
    const transfer = worker ? worker.run(request, hooks, c.options.transport) : runTransfer(request, { ...hooks, fs: c.core.fs, http: a.http, cache: c.core.cache });
    options.onTransferStarted?.();
    const result = await transfer.catch(async (err: unknown) => {
      // a remote whose HEAD names no commit: isomorphic-git cannot fetch it (remoteHead.ts); say why, and what to do
      if (isMissingRemoteHead(err)) throw missingRemoteHeadError('fetch', a.url, await probeRemoteHead(a.http, a.url, a.headers));
      throw err;
    });
    if (result.kind !== 'fetch') throw new Error('unexpected transfer result');
    return result;
  });
  if (rejected.length) throw refsNotUpdatedError(rejected, remote);
}

/** Whether git fetch prunes `remote` when not told: remote.<remote>.prune, else fetch.prune (git-config(1)). */
function configuredPrune(gitdir: string, remote: string): boolean {
  const config = GitConfig.load(gitdir);
  return config.bool(`remote.${remote}.prune`, config.bool('fetch.prune', false));
}

/**
 * A fetch whose other refs moved but some not, as git fetch reports it (the ref left as it is, exit 1): a ref whose
 * name conflicts with an existing one (`origin/a/b` beside `origin/a`, left from a branch deleted on the remote), a
 * branch rewritten on the remote that a non-forced refspec does not allow, or a ref another git command (VS Code's
 * autofetch) moved or holds the lock of meanwhile. None is ever set back. The code names the first of these reasons
 * found, in that order.
 */
function refsNotUpdatedError(rejected: RefRejection[], remote: string): GitError {
  const names = rejected.map((r) => r.ref.replace(/^refs\/remotes\//, '')).join(', ');
  const kinds = new Set(rejected.map((r) => r.kind));
  const why: string[] = [];
  if (kinds.has('nameConflict')) {
    why.push(
      `a remote-tracking branch of a branch deleted on the remote is in the way (a branch 'a/b' cannot exist beside 'a'): prune the stale ones with \`git remote prune ${remote}\`, or set remote.${remote}.prune (\`git config remote.${remote}.prune true\`) and fetch again, which then prunes first as git fetch --prune`,
    );
  }
  if (kinds.has('nonFastForward')) {
    why.push("a branch rewritten on the remote is not taken, as its refspec in remote.<name>.fetch has no leading '+' (git fetch refuses it too)");
  }
  if (kinds.has('locked') || kinds.has('moved')) {
    why.push('another git command (an automatic fetch?) moved or locked a ref while Hammock was fetching, and Hammock never sets a ref back; fetch again');
  }
  const kind = (['nameConflict', 'nonFastForward', 'locked', 'moved'] as const).find((k) => kinds.has(k))!;
  const code = { nameConflict: GitErrorCode.RefNameConflict, nonFastForward: GitErrorCode.FetchRejectedNonFastForward, locked: GitErrorCode.IndexLocked, moved: GitErrorCode.RefChanged }[kind];
  const first = rejected.find((r) => r.kind === kind)!;
  return new GitError(code, `The fetch did not update ${names} (${rejected.map((r) => r.reason).join('; ')}): ${why.join('; ')}. The other refs were updated.`, {
    ref: first.ref,
    ...(first.lockFile ? { lockFile: first.lockFile } : {}),
  });
}
