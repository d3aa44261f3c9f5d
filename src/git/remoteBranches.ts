// The branches a remote has now, asked of the server (one ref advertisement, no objects fetched, nothing written),
// with its default branch (the target of its HEAD symref). Credentials and transport as every other remote call:
// a known token up front, one prompt after a 401 (AuthSession). No 'vscode' import.

import * as path from 'node:path';
import type * as git from 'isomorphic-git';
import { isogit } from './isogit';
import type { HttpClient } from 'isomorphic-git';
import { AuthSession, type GitAuthProvider } from './auth';
import { GitError, GitErrorCode, isGitError, toGitError } from './gitError';
import { createHttpClient, type TransportOptions } from './httpTransport';
import { fetchUrlFor, parseRemoteUrl } from './remoteUrl';
import { gitFs } from './plumbing/gitFs';
import { usesExternalGit, type ExternalGit, type ExternalGitMode } from './systemGit';

export interface RemoteBranch {
  /** `feature/x` (without `refs/heads/`). */
  readonly name: string;
  readonly oid: string;
}

/**
 * A pull request the server advertises a ref for: GitHub, Gitea and Forgejo `refs/pull/<n>/head`, GitLab
 * `refs/merge-requests/<n>/head`. A pull request from a fork has no branch on this remote: this ref is the only way
 * to it.
 */
export interface RemotePullRequest {
  readonly number: number;
  /** the remote's ref (`refs/pull/12/head`). */
  readonly ref: string;
  readonly oid: string;
}

export interface RemoteBranches {
  readonly remote: string;
  /** the branch the server's HEAD points at, when it says. */
  readonly defaultBranch?: string;
  /** sorted by name, the default branch first. */
  readonly branches: RemoteBranch[];
  /** the newest (highest number) first. */
  readonly pullRequests: RemotePullRequest[];
}

const PULL_REQUEST_REF = /^refs\/(?:pull|merge-requests)\/([1-9][0-9]{0,9})\/head$/;

/** Where a pull request's commit is kept once fetched (git's common recipe: `+refs/pull/*\/head:refs/remotes/origin/pr/*`). */
export function pullRequestTrackingRef(remote: string, pr: RemotePullRequest): string {
  return `refs/remotes/${remote}/pr/${pr.number}`;
}

export interface RemoteBranchesOptions {
  /** default `origin`. */
  readonly remote?: string;
  readonly auth?: GitAuthProvider;
  readonly transport?: TransportOptions;
  readonly http?: HttpClient;
  readonly signal?: AbortSignal;
  readonly gitdir?: string;
  /** the user's git, for SSH remotes (or every remote in mode `always`): `git ls-remote` (systemGit.ts). */
  readonly externalGit?: ExternalGit;
  readonly externalGitMode?: ExternalGitMode;
  /** the environment git's configuration is read with (url.<base>.insteadOf): process.env unless given. */
  readonly configEnv?: NodeJS.ProcessEnv;
}

export async function listRemoteBranches(dir: string, options: RemoteBranchesOptions = {}): Promise<RemoteBranches> {
  const root = path.resolve(dir);
  const gitdir = options.gitdir ?? path.join(root, '.git');
  const remote = options.remote ?? 'origin';
  const configured = (await isogit().getConfig({ fs: gitFs, dir: root, gitdir, path: `remote.${remote}.url` })) as string | undefined;
  if (!configured) throw new GitError(GitErrorCode.NoRemote, `No remote "${remote}" is configured. Set up sync first.`);
  // where git ls-remote connects: url.<base>.insteadOf applied (the user's git, handed the name, applies it itself)
  const raw = await fetchUrlFor(configured, { env: options.configEnv, gitdir });
  if (options.externalGit && usesExternalGit(raw, options.externalGitMode)) {
    const listed = await options.externalGit.listRemote({ dir: root, remote, signal: options.signal });
    return sortBranches(
      remote,
      listed.head,
      listed.refs.map((r) => ({ ref: r.ref, oid: r.oid })),
    );
  }
  const url = parseRemoteUrl(raw, options.externalGit && options.externalGitMode === 'never' ? 'never' : 'absent').url;
  const session = new AuthSession(url, options.auth, 1);
  let refs: git.ServerRef[];
  try {
    refs = await isogit().listServerRefs({
      http: options.http ?? createHttpClient(options.transport, options.signal),
      url,
      headers: await session.headers(),
      onAuth: session.onAuth,
      onAuthFailure: session.onAuthFailure,
      onAuthSuccess: session.onAuthSuccess,
      protocolVersion: 1,
      symrefs: true,
    });
  } catch (err) {
    throw toGitError(err, {
      operation: 'list remote branches',
      url,
      signal: options.signal,
      credentialsRejected: session.rejected,
      credentialsDeclined: session.declined,
      secrets: session.secrets,
    });
  }
  return sortBranches(remote, refs.find((r) => r.ref === 'HEAD')?.target, refs);
}

/**
 * listRemoteBranches, or when the remote cannot be asked (`unreachable`: why, no remote or no network) what the last
 * fetch recorded of it: `refs/remotes/<remote>/*`, its recorded HEAD the default branch (none without the remote).
 * Any other failure (credentials refused, no such repository, a cancel) is thrown, as a fetch throws it: it is not
 * "offline", and its message has the actions that fix it.
 */
export async function knownRemoteBranches(dir: string, options: RemoteBranchesOptions = {}): Promise<RemoteBranches & { unreachable?: GitError }> {
  try {
    return await listRemoteBranches(dir, options);
  } catch (err) {
    if (!isGitError(err) || (err.code !== GitErrorCode.NoRemote && err.code !== GitErrorCode.NetworkUnreachable)) throw err;
    const remote = options.remote ?? 'origin';
    const refs = [];
    for (const name of await isogit().listBranches({ fs: gitFs, dir, remote })) {
      const oid = await isogit().resolveRef({ fs: gitFs, dir, ref: `refs/remotes/${remote}/${name}` }).catch(() => '');
      if (name !== 'HEAD' && oid) refs.push({ ref: `refs/heads/${name}`, oid });
    }
    const head = await recordedDefaultBranch(dir, remote);
    return { ...sortBranches(remote, head && `refs/heads/${head}`, refs), unreachable: err };
  }
}

function sortBranches(remote: string, headTarget: string | undefined, refs: { ref: string; oid: string }[]): RemoteBranches {
  const defaultBranch = headTarget?.startsWith('refs/heads/') ? headTarget.slice('refs/heads/'.length) : undefined;
  const pullRequests = refs
    .flatMap((r) => {
      const m = PULL_REQUEST_REF.exec(r.ref);
      return m && /^[0-9a-f]{40}$/.test(r.oid) ? [{ number: Number(m[1]), ref: r.ref, oid: r.oid }] : [];
    })
    .sort((a, b) => b.number - a.number);
  const branches = refs
    .filter((r) => r.ref.startsWith('refs/heads/'))
    .map((r) => ({ name: r.ref.slice('refs/heads/'.length), oid: r.oid }))
    .sort((a, b) => (a.name === defaultBranch ? -1 : b.name === defaultBranch ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { remote, defaultBranch, branches, pullRequests };
}

/** The default branch the last clone or fetch recorded (`refs/remotes/<remote>/HEAD`), without the remote's prefix. */
export async function recordedDefaultBranch(dir: string, remote: string): Promise<string | undefined> {
  return isogit()
    .resolveRef({ fs: gitFs, dir, ref: `refs/remotes/${remote}/HEAD`, depth: 2 })
    .then((r) => r.replace(`refs/remotes/${remote}/`, ''), () => undefined);
}
