// What the network operations (clone, fetch, pull's fetch, push) share: the remote's lines split and redacted,
// the credentials session, the HTTP client bound to the operation's AbortSignal, the user's git for SSH and local
// remotes, and the translation of whatever failed into one GitError. No 'vscode' import.

import type { HttpClient, ProgressCallback } from 'isomorphic-git';
import { AuthSession } from '../auth';
import type { GitClientOptions, OperationOptions } from '../gitClient';
import { GitError, GitErrorCode, redact, toGitError, type TranslateContext } from '../gitError';
import { cachedConfig } from '../lazyIdentity';
import { createHttpClient } from '../httpTransport';
import { fetchUrlOf, parseRemoteUrl, pushUrlsOf } from '../remoteUrl';
import { getRemoteUrls } from './setUpSync';
import { noGitFor, usesExternalGit, type ExternalGit } from '../systemGit';
import { TransferWorkerClient } from '../transferWorkerClient';
import type { RemoteContext } from './context';
import { progressCallback } from './transfer';

export const ZERO_OID = '0000000000000000000000000000000000000000';

/** Splits streamed remote output into lines (git sends `\r` for progress updates). */
export class RemoteLines {
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

/**
 * The URL git connects to for `remote`, undefined when none is configured: the first remote.<name>.url with
 * url.<base>.insteadOf applied for fetching; for pushing the first URL `git remote get-url --push` gives (connectUrls).
 */
export async function connectUrl(c: RemoteContext, remote: string, direction: 'fetch' | 'push'): Promise<string | undefined> {
  return (await connectUrls(c, remote, direction))[0];
}

/**
 * Every URL git connects to for `remote` (none when it has no url): for fetching the first remote.<name>.url with
 * url.<base>.insteadOf applied; for pushing each one `git remote get-url --push --all` gives (remote.<name>.pushurl,
 * url.<base>.pushInsteadOf, insteadOf: pushUrlsOf). The configuration as git reads it (system, global, local).
 */
export async function connectUrls(c: RemoteContext, remote: string, direction: 'fetch' | 'push'): Promise<string[]> {
  // the remote's URLs and the configuration (every config file: insteadOf), read side by side
  const resolved = cachedConfig({ env: c.options.configEnv ?? process.env, gitdir: c.core.gitdir, commondir: c.core.commondir });
  resolved.catch(() => undefined); // not awaited when the remote has no URL
  const urls = await getRemoteUrls(c, remote);
  if (!urls.length) return [];
  const config = await resolved;
  if (direction === 'fetch') return [fetchUrlOf(urls[0], config.entries)];
  const pushurls = config.getAll(`remote.${remote}.pushurl`).filter((v): v is string => typeof v === 'string' && v !== '');
  return pushUrlsOf(urls, pushurls, config.entries);
}

/**
 * The user's git for this remote, when it is configured and the URL git connects to (connectUrl: insteadOf applied, so
 * an https remote rewritten to `git@host:` goes through it) does. The user's git is handed the remote's name and
 * rewrites it itself; `url` is for messages.
 */
export async function externalForRemote(c: RemoteContext, remote: string, direction: 'fetch' | 'push' = 'fetch'): Promise<{ git: ExternalGit; url: string } | undefined> {
  // a push to several URLs: the user's git when it carries any of them (it pushes to each, as git does)
  for (const url of await connectUrls(c, remote, direction)) {
    const ext = c.core.externalFor(url);
    if (ext) return { git: ext, url };
  }
  return undefined;
}

/** The ExternalGit `url` goes through under these options, if any (a clone: no repository, no core yet). */
export function externalFor(options: GitClientOptions, url: string): ExternalGit | undefined {
  return options.externalGit && usesExternalGit(url, options.externalGitMode) ? options.externalGit : undefined;
}

/**
 * The transfer worker a clone or fetch under these options runs in, if any: not when the caller brought its own fs
 * or HTTP client, or an http.Agent (they live on this thread).
 */
export function workerFor(options: GitClientOptions): TransferWorkerClient | undefined {
  const w = options.transferWorker;
  return w && !options.fs && !options.http && TransferWorkerClient.canCarry(options.transport) ? w : undefined;
}

/**
 * Runs an external-git operation; with no git binary, an SSH remote gets the message it always had, a local one
 * (a path, file://) what to do.
 */
export async function sshFallback<T>(url: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GitError && err.code === GitErrorCode.GitNotFound) throw noGitFor(url, err);
    throw err;
  }
}

export function checkAborted(signal: AbortSignal | undefined, operation: string): void {
  if (signal?.aborted) throw new GitError(GitErrorCode.Cancelled, `The ${operation} was cancelled.`);
}

/** A turn for the remote's last lines: isomorphic-git delivers them without awaiting. */
export const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 10));

async function remoteUrl(c: RemoteContext, remote: string, operation: string, given?: string): Promise<string> {
  const url = given ?? (await connectUrl(c, remote, operation === 'push' ? 'push' : 'fetch'));
  if (!url) throw new GitError(GitErrorCode.NoRemote, `Cannot ${operation}: no remote "${remote}" is configured. Set up sync first.`);
  // here only when the user's git does not carry it: a local remote is refused saying why
  return parseRemoteUrl(url, c.options.externalGit && c.options.externalGitMode === 'never' ? 'never' : 'absent').url;
}

export interface RemoteCallArgs {
  http: HttpClient;
  /** the URL to connect to (connectUrl), to be handed to isomorphic-git, which would read remote.<name>.url as it is. */
  url: string;
  headers: Record<string, string>;
  session: AuthSession;
  messages: RemoteLines;
  onProgress: ProgressCallback;
}

/**
 * One isomorphic-git call to the remote `remote` (at `extra.url` when given: one of the URLs a push goes to, else
 * connectUrl's), with credentials, lines and errors handled as every one is.
 */
export async function remoteCall<T>(
  c: RemoteContext,
  operation: string,
  remote: string,
  options: OperationOptions,
  extra: Partial<TranslateContext>,
  fn: (args: RemoteCallArgs) => Promise<T>,
): Promise<T> {
  const url = await remoteUrl(c, remote, operation, extra.url);
  const session = new AuthSession(url, options.auth ?? c.options.auth, c.options.maxAuthPrompts ?? 1);
  const messages = new RemoteLines(options.onMessage);
  checkAborted(options.signal, operation);
  try {
    const headers = await session.headers();
    return await fn({
      http: c.options.http ?? createHttpClient(c.options.transport, options.signal),
      url,
      headers,
      session,
      messages,
      onProgress: progressCallback(options.signal, options.onProgress),
    });
  } catch (err) {
    await tick(); // onMessage lines are delivered asynchronously by isomorphic-git
    throw toGitError(err, {
      ...extra,
      operation,
      url,
      signal: options.signal,
      credentialsRejected: session.rejected,
      credentialsDeclined: session.declined,
      secrets: session.secrets,
      remoteLines: messages.flush(),
    });
  }
}
