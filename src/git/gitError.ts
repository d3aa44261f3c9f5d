// Errors of the git layer are values with a stable code. isomorphic-git's `err.code` and Node's network
// error codes are translated here, at the boundary, and nowhere else; nothing branches on message text.
// Every message that leaves this module has credentials removed (`https://user:secret@host` -> `https://***@host`).

import type { ConflictReport } from './conflictReport';

export enum GitErrorCode {
  NotARepository = 'NotARepository',
  NotAnInsomniaRepo = 'NotAnInsomniaRepo',
  DestinationExists = 'DestinationExists',
  NoRemote = 'NoRemote',
  NoRemoteBranch = 'NoRemoteBranch',
  /** the remote's HEAD names no commit (it points to a branch that does not exist): isomorphic-git cannot fetch. */
  RemoteHeadMissing = 'RemoteHeadMissing',
  DetachedHead = 'DetachedHead',
  NoCommits = 'NoCommits',
  InvalidRemoteUrl = 'InvalidRemoteUrl',
  SshNotSupported = 'SshNotSupported',
  InsecureRemote = 'InsecureRemote',
  GitNotFound = 'GitNotFound',
  NetworkUnreachable = 'NetworkUnreachable',
  TlsCertificate = 'TlsCertificate',
  NotAGitServer = 'NotAGitServer',
  RepositoryNotFound = 'RepositoryNotFound',
  HttpError = 'HttpError',
  AuthRequired = 'AuthRequired',
  AuthFailed = 'AuthFailed',
  Cancelled = 'Cancelled',
  NothingToPush = 'NothingToPush',
  NothingToCommit = 'NothingToCommit',
  PushRejectedNonFastForward = 'PushRejectedNonFastForward',
  PushRejectedByRemote = 'PushRejectedByRemote',
  Conflict = 'Conflict',
  UnresolvedConflicts = 'UnresolvedConflicts',
  MergeInProgress = 'MergeInProgress',
  UnrelatedHistories = 'UnrelatedHistories',
  NoMergeInProgress = 'NoMergeInProgress',
  DirtyWorkingTree = 'DirtyWorkingTree',
  IndexLocked = 'IndexLocked',
  BranchExists = 'BranchExists',
  BranchNotFound = 'BranchNotFound',
  InvalidBranchName = 'InvalidBranchName',
  /**
   * a ref update refused because a ref of the name's folder, or below it, exists (`refs/remotes/origin/a` against
   * `refs/remotes/origin/a/b`): git's directory/file conflict, "cannot lock ref ...: '...' exists; cannot create ...".
   */
  RefNameConflict = 'RefNameConflict',
  /** a ref update refused because another git command moved the ref since the operation read it (never set back). */
  RefChanged = 'RefChanged',
  /** a fetch refused to move a remote-tracking ref to a commit not descending from it (its refspec has no '+'). */
  FetchRejectedNonFastForward = 'FetchRejectedNonFastForward',
  CannotDeleteCurrentBranch = 'CannotDeleteCurrentBranch',
  /** `git branch -d` refused: the branch's commit is not in its upstream (or HEAD, without one). */
  BranchNotFullyMerged = 'BranchNotFullyMerged',
  BranchCheckedOutElsewhere = 'BranchCheckedOutElsewhere',
  MissingAuthor = 'MissingAuthor',
  InvalidPath = 'InvalidPath',
  Unknown = 'Unknown',
}

/** Who holds `.git/index.lock`, when the OS lets us tell. */
export interface LockHolder {
  pid: number;
  command: string;
}

export interface GitErrorDetails {
  /** files concerned: the dirty files that would be overwritten, the unmerged paths, ... (repo-relative, `/`). */
  files?: string[];
  /**
   * what some of `files` hold, in Insomnia's terms (`GET Find pets by status`), by path: added by the command layer,
   * which knows the collections, so that a message names the request rather than only its file's id.
   */
  names?: Record<string, string>;
  /** the remote's own lines (a pre-receive hook's message), without the `remote:` prefix. */
  remoteLines?: string[];
  /** conflicts found by a merge (the merge was abandoned). */
  conflict?: ConflictReport;
  /** for SshNotSupported: the HTTPS URL to use instead. */
  httpsUrl?: string;
  /** for IndexLocked: the lock file and, if known, the process holding it. */
  lockFile?: string;
  lockHolder?: LockHolder;
  /** for IndexLocked: no process holds the lock (a crashed git left it): waiting will not help. */
  lockStale?: boolean;
  /** the Node error code behind NetworkUnreachable / TlsCertificate (ECONNREFUSED, ETIMEDOUT, ...). */
  networkCode?: string;
  /** the HTTP status behind an HttpError / AuthFailed / RepositoryNotFound. */
  statusCode?: number;
  /** the operation ran through the user's git (systemGit.ts): a token from Hammock would not help. */
  userGit?: boolean;
  /** the ref concerned (branch name, remote branch). */
  ref?: string;
  /**
   * for PushRejectedNonFastForward: a force push refused because the remote branch is not what was last fetched
   * (git's --force-with-lease, "stale info"): someone pushed since, and forcing would delete their commits unseen.
   */
  staleLease?: boolean;
  /** a push to a remote with several URLs: what each did (the message says it, each failure under its URL). */
  urls?: { url: string; outcome: 'pushed' | 'upToDate' | 'failed' }[];
  /** the original error's code and redacted message, for the log. */
  cause?: { code?: string; message: string };
}

export class GitError extends Error {
  override readonly name = 'GitError';

  constructor(
    readonly code: GitErrorCode,
    message: string,
    readonly details: GitErrorDetails = {},
  ) {
    super(redact(message));
  }

  /** "Nothing to do" outcomes, shown as information rather than as errors. */
  get isInformational(): boolean {
    return this.code === GitErrorCode.NothingToPush || this.code === GitErrorCode.NothingToCommit;
  }

  toJSON(): { code: GitErrorCode; message: string; details: GitErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isGitError(err: unknown, code?: GitErrorCode): err is GitError {
  return err instanceof GitError && (code === undefined || err.code === code);
}

const CREDENTIALS_IN_URL = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi;
const AUTH_HEADER = /\b(authorization:\s*(?:basic|bearer|token)\s+)[^\s'",]+/gi;

/** Removes credentials from URLs (`https://user:secret@h` -> `https://***@h`), Authorization values and the given secrets. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(CREDENTIALS_IN_URL, '$1***@').replace(AUTH_HEADER, '$1***');
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

/** Context the boundary needs to pick a precise code. */
export interface TranslateContext {
  /** what was being done, for messages: 'clone', 'fetch', 'push', ... */
  operation: string;
  url?: string;
  signal?: AbortSignal;
  /** lines the remote sent (`onMessage`), without the `remote:` prefix. */
  remoteLines?: string[];
  /** credentials were sent and the server answered 401/403 (so the token is wrong, not missing). */
  credentialsRejected?: boolean;
  /** the caller declined to give credentials. */
  credentialsDeclined?: boolean;
  ref?: string;
  secrets?: readonly string[];
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_NOT_YET_VALID',
  'EPROTO',
]);

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  name?: unknown;
  data?: Record<string, unknown>;
  errors?: unknown[];
  cause?: unknown;
}

function asErrorLike(err: unknown): ErrorLike {
  return typeof err === 'object' && err !== null ? (err as ErrorLike) : { message: String(err) };
}

function hostOf(url: string | undefined): string {
  if (!url) return 'the server';
  try {
    return new URL(url).host || 'the server';
  } catch {
    return 'the server';
  }
}

/** Translates any error thrown by isomorphic-git, Node or our own code into a GitError. */
export function toGitError(err: unknown, ctx: TranslateContext): GitError {
  if (err instanceof GitError) return err;
  const e = asErrorLike(err);
  const code = typeof e.code === 'string' ? e.code : undefined;
  const rawMessage = typeof e.message === 'string' ? e.message : String(err);
  const cause = { code, message: redact(rawMessage, ctx.secrets) };
  const base: GitErrorDetails = { cause };
  const host = hostOf(ctx.url);

  if (ctx.signal?.aborted || code === 'ABORT_ERR' || e.name === 'AbortError') {
    return new GitError(GitErrorCode.Cancelled, cancelledMessage(ctx.operation), base);
  }
  if (code === 'MultipleGitError' && Array.isArray(e.data?.errors) && e.data.errors.length > 0) {
    return toGitError(e.data.errors[0], ctx);
  }
  if (code === 'HAMMOCK_INCOMPLETE_TRANSFER' || code === 'HAMMOCK_TRUNCATED' || code === 'HAMMOCK_CUT') {
    return new GitError(
      GitErrorCode.NetworkUnreachable,
      `Cannot ${ctx.operation}: the connection to ${host} was cut before the transfer was complete; ${interruptedOutcome(ctx.operation)} Check that the server is up, your network and the proxy setting (http.proxy), then try again.`,
      { ...base, networkCode: code },
    );
  }
  if (code && NETWORK_CODES.has(code)) {
    const timedOut = code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
    const what =
      code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `the host name ${host} could not be resolved`
        : code === 'ECONNREFUSED'
          ? `${host} refused the connection`
          : timedOut
            ? `the connection to ${host} timed out (no answer in time)`
            : `the connection to ${host} failed`;
    const outcome = timedOut ? ` ${interruptedOutcome(ctx.operation)}` : '';
    return new GitError(
      GitErrorCode.NetworkUnreachable,
      `Cannot ${ctx.operation}: ${what} (${code}).${outcome} Check the remote URL, that the server is up, your network and the proxy setting (http.proxy).`,
      { ...base, networkCode: code },
    );
  }
  if (code && (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_'))) {
    return new GitError(
      GitErrorCode.TlsCertificate,
      `Cannot ${ctx.operation}: the TLS certificate of ${host} was not accepted (${code}). Check the server certificate, or the http.proxyStrictSSL setting if a proxy intercepts TLS.`,
      { ...base, networkCode: code },
    );
  }
  switch (code) {
    case 'HttpError': {
      const statusCode = Number(e.data?.statusCode);
      if (statusCode === 401 || statusCode === 403) {
        if (ctx.credentialsRejected) {
          return new GitError(
            GitErrorCode.AuthFailed,
            `${host} rejected the credentials (HTTP ${statusCode}). Check the token and its access to this repository.`,
            { ...base, statusCode },
          );
        }
        return new GitError(GitErrorCode.AuthRequired, `${host} requires authentication (HTTP ${statusCode}). Provide a token.`, {
          ...base,
          statusCode,
        });
      }
      if (statusCode === 404) {
        return new GitError(GitErrorCode.RepositoryNotFound, `Repository not found at ${redact(ctx.url ?? host)} (HTTP 404). Check the URL and your access to it.`, {
          ...base,
          statusCode,
        });
      }
      return new GitError(GitErrorCode.HttpError, `Cannot ${ctx.operation}: ${host} answered HTTP ${statusCode} ${String(e.data?.statusMessage ?? '')}`.trim(), {
        ...base,
        statusCode,
      });
    }
    case 'UserCanceledError':
      if (ctx.credentialsRejected) {
        return new GitError(GitErrorCode.AuthFailed, `${host} rejected the credentials. Check the token and its access to this repository.`, {
          ...base,
          statusCode: 401,
        });
      }
      if (ctx.credentialsDeclined) {
        return new GitError(GitErrorCode.AuthRequired, `${host} requires authentication and no token was given.`, { ...base, statusCode: 401 });
      }
      return new GitError(GitErrorCode.Cancelled, `The ${ctx.operation} was cancelled.`, base);
    case 'SmartHttpError':
      return new GitError(GitErrorCode.NotAGitServer, `${redact(ctx.url ?? host)} does not look like a git repository served over smart HTTP. Check the URL.`, base);
    case 'UrlParseError':
    case 'UnknownTransportError':
      return new GitError(GitErrorCode.InvalidRemoteUrl, `Unsupported remote URL ${redact(ctx.url ?? '')}: only https:// (and http://) remotes are supported.`, base);
    case 'GitPushError': {
      const lines = ctx.remoteLines ?? [];
      const summary = lines.length ? lines.join('\n') : 'the remote refused the update';
      return new GitError(GitErrorCode.PushRejectedByRemote, `The remote rejected the push:\n${summary}`, { ...base, remoteLines: lines, ref: ctx.ref });
    }
    case 'PushRejectedError': {
      if (e.data?.reason === 'not-fast-forward') {
        return new GitError(
          GitErrorCode.PushRejectedNonFastForward,
          `The push was rejected because the remote ${ctx.ref ? `branch ${ctx.ref}` : 'branch'} has commits you do not have. Pull first, or force push to overwrite them.`,
          { ...base, ref: ctx.ref },
        );
      }
      return new GitError(GitErrorCode.PushRejectedByRemote, `The push was rejected (${String(e.data?.reason ?? 'unknown reason')}).`, {
        ...base,
        remoteLines: ctx.remoteLines ?? [],
        ref: ctx.ref,
      });
    }
    case 'CheckoutConflictError': {
      const files = Array.isArray(e.data?.filepaths) ? (e.data.filepaths as string[]) : [];
      return dirtyTree(ctx.operation, files);
    }
    case 'UnmergedPathsError': {
      const files = Array.isArray(e.data?.filepaths) ? (e.data.filepaths as string[]) : [];
      return new GitError(GitErrorCode.UnresolvedConflicts, `Resolve the conflicts first: ${files.join(', ')}`, { ...base, files });
    }
    case 'MissingNameError':
      return new GitError(GitErrorCode.MissingAuthor, 'No author is configured: set an author name and email for this repository.', base);
    case 'AlreadyExistsError':
      return new GitError(GitErrorCode.BranchExists, `A branch named ${ctx.ref ?? ''} already exists.`, { ...base, ref: ctx.ref });
    case 'InvalidRefNameError':
      return new GitError(GitErrorCode.InvalidBranchName, `${ctx.ref ?? 'This'} is not a valid branch name.`, { ...base, ref: ctx.ref });
    case 'NotFoundError':
      if (ctx.ref) return new GitError(GitErrorCode.BranchNotFound, `Branch ${ctx.ref} not found.`, { ...base, ref: ctx.ref });
      break;
    case 'NoCommitError':
      return new GitError(GitErrorCode.NoCommits, 'The repository has no commits yet.', base);
    case 'InvalidFilepathError':
    case 'UnsafeFilepathError':
      return new GitError(GitErrorCode.InvalidPath, `Invalid file path: ${cause.message}`, base);
    default:
      break;
  }
  return new GitError(GitErrorCode.Unknown, `The ${ctx.operation} failed: ${cause.message}`, base);
}

/** A cancel's message: a push cancelled once its upload was sent may still have reached the remote. */
export function cancelledMessage(operation: string): string {
  if (operation === 'push' || operation === 'sync') {
    return `The ${operation} was cancelled; your branches are unchanged, but if the upload had already been sent, the remote may have received it (fetch to see).`;
  }
  return `The ${operation} was cancelled.`;
}

/**
 * What an operation interrupted mid-transfer left behind. Fetch, pull and clone move nothing until their objects
 * are stored and checked; a push may have reached the remote before its answer was lost.
 */
function interruptedOutcome(operation: string): string {
  if (operation === 'push' || operation === 'sync') {
    return 'your branches are unchanged, but the remote may have received the push before the answer was lost (fetch to see).';
  }
  if (operation === 'clone') return 'nothing was cloned (no folder was left behind).';
  return 'nothing was changed.';
}

export function dirtyTree(operation: string, files: string[]): GitError {
  const list = files.slice(0, 20).join(', ') + (files.length > 20 ? `, and ${files.length - 20} more` : '');
  return new GitError(
    GitErrorCode.DirtyWorkingTree,
    `Your local changes to the following files would be overwritten by the ${operation}: ${list}. Commit or discard them first.`,
    { files },
  );
}

/** A force push refused by its lease (git's --force-with-lease, "stale info"): `ref` moved since it was last fetched. */
export function staleLeaseError(ref: string): GitError {
  return new GitError(
    GitErrorCode.PushRejectedNonFastForward,
    `The force push was refused: ${ref} has commits you have not fetched (someone pushed since your last fetch), and forcing would delete them. Fetch, look at them, then pull or force push again.`,
    { ref, staleLease: true },
  );
}
