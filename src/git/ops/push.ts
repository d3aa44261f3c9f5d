// Push: the current branch to its upstream (or to a branch of the same name, which then becomes the upstream), as
// `git push` does. NothingToPush when the remote already has it; PushRejectedNonFastForward when the remote has
// commits we do not (`force: true` overwrites them, with a lease as VS Code's Git forces by default: only when the
// remote branch is what was last fetched, `git push --force-with-lease`; else refused, `staleLease`, so that a
// teammate's commits pushed since are never deleted unseen); PushRejectedByRemote with the remote's own lines (a
// hook's message). An SSH remote (or every remote, as configured) goes through the user's git. No 'vscode' import.

import type { OperationOptions, PushResult, PushUrlResult } from '../gitClient';
import { GitError, GitErrorCode, redact, staleLeaseError, toGitError } from '../gitError';
import type { FsClient } from 'isomorphic-git';
import { isogit } from '../isogit';
import { gitFs, withDeferredRefs, type RefLog } from '../plumbing/gitFs';
import type { ExternalGit } from '../systemGit';
import type { RemoteContext } from './context';
import { connectUrls, externalForRemote, remoteCall, sshFallback, tick, ZERO_OID } from './remote';

export interface PushOptions extends OperationOptions {
  force?: boolean;
}

export async function push(c: RemoteContext, options: PushOptions): Promise<PushResult> {
  const branch = await c.core.requireBranch('push');
  const up = await c.core.upstreamOf(branch);
  const remoteRef = `refs/heads/${up.remoteBranch}`;
  const { fs, dir, gitdir, cache } = c.core;
  const tracking = `refs/remotes/${up.remote}/${up.remoteBranch}`;
  const trackedBefore = await c.core.resolve(tracking);
  const external = await externalForRemote(c, up.remote, 'push');
  // one push per URL git pushes to (pushurl, or url, each rewritten), in order, going on after one fails as git does
  const pushTo = (url: string | undefined): Promise<{ oid: string; remoteLines: string[]; trackingRefNotUpdated?: string }> => {
    let verdict: 'nothingToPush' | 'nonFastForward' | 'staleLease' | undefined;
    return remoteCall(c, 'push', up.remote, options, { ref: `${up.remote}/${up.remoteBranch}`, ...(url === undefined ? {} : { url }) }, async (a) => {
      const run = (pushFs: FsClient) =>
        isogit().push({
          fs: pushFs,
          http: a.http,
          dir,
          gitdir,
          remote: up.remote,
          url: a.url,
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
            // the lease: the remote as it answers in this push's own connection, against what was last fetched; the
            // update then names that value as the old one, which the remote checks as it takes it
            if (options.force && r.oid !== ZERO_OID && r.oid !== trackedBefore) {
              verdict = 'staleLease';
              return false;
            }
            if (!options.force && r.oid !== ZERO_OID) {
              const known = await isogit().readCommit({ fs, dir, gitdir, oid: r.oid, cache }).then(
                () => true,
                () => false,
              );
              const ff = known && (await isogit().isDescendent({ fs, dir, gitdir, oid: localRef.oid, ancestor: r.oid, depth: -1, cache }));
              if (!ff) {
                verdict = 'nonFastForward';
                return false;
              }
            }
            return true;
          },
          cache,
        });
      let notUpdated: string | undefined;
      try {
        if (fs === gitFs) {
          // isomorphic-git writes the remote-tracking ref once the remote accepted the update; that write is kept in
          // memory, then made as git's update_tracking_ref makes it: under the ref's lock, its reflog entry ("update
          // by push") written before it moves. A lock another process holds (or a name conflict) leaves it as it
          // is: the push itself succeeded, as with git ("error: update_ref failed for ref ..."; exit 0).
          const log: RefLog = (ref, old, value) => c.core.reflog(ref, old, value, 'update by push');
          const { rejected } = await withDeferredRefs(
            gitdir,
            run,
            async (refs, drop) => {
              for (const ref of refs.keys()) if (ref !== tracking) drop(ref);
            },
            undefined,
            log,
          );
          if (rejected.length) notUpdated = `update_ref failed for ref '${tracking}': ${rejected[0].reason}`;
        } else await run(fs);
      } catch (err) {
        if (verdict === 'nothingToPush') {
          throw new GitError(GitErrorCode.NothingToPush, `Nothing to push: ${up.remote}/${up.remoteBranch} is already up to date.`, {
            ref: `${up.remote}/${up.remoteBranch}`,
          });
        }
        if (verdict === 'staleLease') throw staleLeaseError(`${up.remote}/${up.remoteBranch}`);
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
      if (notUpdated) c.core.log(`push: error: ${notUpdated}`);
      return { oid: (await c.core.resolve(`refs/heads/${branch}`))!, remoteLines: a.messages.flush(), trackingRefNotUpdated: notUpdated };
    });
  };
  const urls = external ? [] : await connectUrls(c, up.remote, 'push');
  const perUrl: PushUrlResult[] = [];
  let result: { oid: string; remoteLines: string[]; trackingRefNotUpdated?: string };
  let failure: GitError | undefined;
  if (external) result = await externalPush(c, external, branch, up, remoteRef, options);
  else if (urls.length <= 1) result = await pushTo(urls[0]);
  else {
    const failures: { url: string; err: GitError }[] = [];
    let notUpdated: string | undefined;
    for (const url of urls) {
      try {
        const r = await pushTo(url);
        perUrl.push({ url, outcome: 'pushed', remoteLines: r.remoteLines });
        notUpdated ??= r.trackingRefNotUpdated;
      } catch (err) {
        const e = toGitError(err, { operation: 'push', url, signal: options.signal });
        if (e.code === GitErrorCode.Cancelled) throw e;
        if (e.code === GitErrorCode.NothingToPush) perUrl.push({ url, outcome: 'upToDate', remoteLines: [] });
        else {
          perUrl.push({ url, outcome: 'failed', remoteLines: e.details.remoteLines ?? [] });
          failures.push({ url, err: e });
        }
      }
    }
    if (perUrl.every((u) => u.outcome === 'upToDate')) {
      throw new GitError(GitErrorCode.NothingToPush, `Nothing to push: ${up.remote}/${up.remoteBranch} is already up to date.`, { ref: `${up.remote}/${up.remoteBranch}` });
    }
    if (failures.length) failure = multiUrlFailure(failures, perUrl);
    result = { oid: (await c.core.resolve(`refs/heads/${branch}`))!, remoteLines: perUrl.flatMap((u) => u.remoteLines), trackingRefNotUpdated: notUpdated };
  }
  // (an fs of the caller's: isomorphic-git wrote the ref itself; its entry after it)
  const trackedAfter = fs === gitFs ? undefined : await c.core.resolve(tracking);
  if (!external && trackedAfter && trackedAfter !== trackedBefore) await c.core.reflog(tracking, trackedBefore, trackedAfter, 'update by push');
  let setUpstream = false;
  if (!up.configured && (!failure || perUrl.some((u) => u.outcome === 'pushed'))) {
    await isogit().setConfig({ fs, dir, gitdir, path: `branch.${branch}.remote`, value: up.remote });
    await isogit().setConfig({ fs, dir, gitdir, path: `branch.${branch}.merge`, value: remoteRef });
    setUpstream = true;
  }
  // (set as git sets it when one of several URLs took the push: the others' refusal is reported after)
  if (failure) throw failure;
  const notUpdated = result.trackingRefNotUpdated;
  return {
    branch,
    remoteRef,
    oid: result.oid,
    setUpstream,
    remoteLines: result.remoteLines,
    ...(perUrl.length ? { urls: perUrl } : {}),
    ...(notUpdated ? { trackingRefNotUpdated: notUpdated } : {}),
  };
}

/**
 * A push to several URLs of which some failed: the first failure's code and remote lines (that remote's own words),
 * every failure's message under the URL it came from, then where the push did go.
 */
function multiUrlFailure(failures: { url: string; err: GitError }[], perUrl: PushUrlResult[]): GitError {
  const pushed = perUrl.filter((u) => u.outcome === 'pushed').map((u) => u.url);
  const first = failures[0].err;
  const said = (e: GitError): string =>
    e.code === GitErrorCode.PushRejectedByRemote && e.details.remoteLines?.length ? `The remote rejected the push:\n${e.details.remoteLines.join('\n')}` : e.message;
  const message = [...failures.map((f) => `Pushing to ${redact(f.url)}: ${said(f.err)}`), pushed.length ? `Pushed to ${pushed.map((u) => redact(u)).join(', ')}.` : ''].filter(Boolean).join('\n');
  return new GitError(first.code, message, { ...first.details, urls: perUrl.map((u) => ({ url: u.url, outcome: u.outcome })) });
}

async function externalPush(
  c: RemoteContext,
  external: { git: ExternalGit; url: string },
  branch: string,
  up: { remote: string; remoteBranch: string },
  remoteRef: string,
  options: PushOptions,
): Promise<{ oid: string; remoteLines: string[] }> {
  const lines: string[] = [];
  // (git's own lease: the remote-tracking ref as it is before the push, null when there is none yet)
  const expect = options.force ? ((await c.core.resolve(`refs/remotes/${up.remote}/${up.remoteBranch}`)) ?? null) : undefined;
  const outcome = await sshFallback(external.url, () =>
    external.git.push({
      dir: c.core.dir,
      remote: up.remote,
      branch,
      remoteRef,
      force: options.force,
      expect,
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
  return { oid: (await c.core.resolve(`refs/heads/${branch}`))!, remoteLines: lines.filter((l) => !/^To /.test(l)) };
}
