// Tokens for git remotes, one per host, in VS Code's SecretStorage only (never in .git/config, settings or
// logs). Implements the git layer's GitAuthProvider: the stored token is sent up front; on a 401 the user is
// asked once (a pasted token, or for github.com VS Code's GitHub sign-in), and what they give is stored only
// once the server has accepted it.

import * as vscode from 'vscode';
import type { GitAuthProvider, GitCredentials } from '../git/auth';
import { GitErrorCode, isGitError } from '../git/gitError';
import { cleartextWarning } from '../git/remotePolicy';

const KEY_PREFIX = 'hammock.git.credentials/';
const GITHUB_SCOPES = ['repo'];

/** What SecretStorage holds for a host: a token, or "use the GitHub session". */
type Stored = { kind: 'token'; username?: string; token: string } | { kind: 'github' };

/** `host[:port]`, lower case: the key credentials are stored under. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url.toLowerCase();
  }
}

function isGitHub(host: string): boolean {
  return host === 'github.com' || host === 'www.github.com';
}

export class CredentialStore implements GitAuthProvider {
  private silent = 0;
  /** credentials being tried (tryCredentials), by host. */
  private readonly candidates = new Map<string, GitCredentials>();
  /** hosts the user let Hammock reach over plain http:// in this session (remotePolicy.ts). */
  private readonly cleartextAllowed = new Set<string>();
  /** credentials handed out from a GitHub session (stored as "use GitHub", not as a token). */
  private readonly fromGitHub = new WeakSet<GitCredentials>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private key(url: string): string {
    return KEY_PREFIX + hostOf(url);
  }

  private async read(url: string): Promise<Stored | undefined> {
    const raw = await this.secrets.get(this.key(url));
    if (!raw) return undefined;
    try {
      const value = JSON.parse(raw) as Stored;
      return value.kind === 'github' || (value.kind === 'token' && typeof value.token === 'string') ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a token for the host of `url` (Set Up Sync, tests). */
  async setToken(url: string, token: string, username?: string): Promise<void> {
    await this.secrets.store(this.key(url), JSON.stringify({ kind: 'token', token, username } satisfies Stored));
    this.log.info(`git: token stored for ${hostOf(url)}`);
  }

  async deleteToken(url: string): Promise<void> {
    await this.secrets.delete(this.key(url));
  }

  async hasCredentials(url: string): Promise<boolean> {
    return (await this.read(url)) !== undefined;
  }

  /** Runs `fn` with prompts turned off (auto-fetch): a 401 then fails instead of asking. */
  async silently<T>(fn: () => Promise<T>): Promise<T> {
    this.silent++;
    try {
      return await fn();
    } finally {
      this.silent--;
    }
  }

  /**
   * Runs `fn` (a fetch) with `candidate` as the credentials of the host and no prompt. The candidate is stored
   * unless the server refused it (a failure for another reason, e.g. the network, proves nothing against it).
   */
  async tryCredentials<T>(url: string, candidate: GitCredentials, fn: () => Promise<T>): Promise<T> {
    const host = hostOf(url);
    this.candidates.set(host, candidate);
    let refused = false;
    try {
      return await this.silently(fn);
    } catch (err) {
      // a token the server refused, or one for an http:// remote the user would not send it to, is not kept
      refused = isGitError(err, GitErrorCode.AuthFailed) || isGitError(err, GitErrorCode.AuthRequired) || isGitError(err, GitErrorCode.InsecureRemote);
      throw err;
    } finally {
      this.candidates.delete(host);
      if (refused) this.log.warn(`git: ${host} refused the token; it was not stored`);
      else await this.setToken(url, candidate.token, candidate.username);
    }
  }

  async getCredentials(url: string): Promise<GitCredentials | undefined> {
    const candidate = this.candidates.get(hostOf(url));
    if (candidate) return candidate;
    const stored = await this.read(url);
    if (!stored) return undefined;
    if (stored.kind === 'token') return { username: stored.username, token: stored.token };
    const session = await this.gitHubSession(false);
    return session;
  }

  async requestCredentials(url: string, rejected: GitCredentials | undefined): Promise<GitCredentials | undefined> {
    if (this.silent > 0) return undefined;
    const host = hostOf(url);
    const why = rejected ? `${host} rejected the token.` : `${host} asks for credentials.`;
    if (isGitHub(host)) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: '$(github) Sign in with GitHub', id: 'github' as const },
          { label: '$(key) Paste a personal access token', id: 'token' as const },
        ],
        { placeHolder: `${why} How do you want to authenticate?`, ignoreFocusOut: true },
      );
      if (!pick) return undefined;
      if (pick.id === 'github') return this.gitHubSession(true, rejected !== undefined && this.fromGitHub.has(rejected));
    }
    const token = await vscode.window.showInputBox({
      title: `Hammock: token for ${host}`,
      prompt: `${why} Enter a personal access token (it is kept in VS Code's secret storage, for ${host} only).`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A token is required'),
    });
    return token?.trim() ? { token: token.trim() } : undefined;
  }

  /** A modal warning before a token is sent over plain http:// to another machine; the answer kept for the session. */
  async confirmCleartext(url: string, host: string): Promise<boolean> {
    const key = host.toLowerCase();
    if (this.cleartextAllowed.has(key)) return true;
    // no modal from auto-fetch; a token being tried (Set Up Sync, Enter Token) is the user at work: ask
    if (this.silent > 0 && !this.candidates.has(hostOf(url))) return false;
    const accept = 'Use http:// Anyway';
    const choice = await vscode.window.showWarningMessage(`Hammock: ${host} is reached over plain http://`, { modal: true, detail: cleartextWarning(host) }, accept);
    if (choice !== accept) return false;
    this.cleartextAllowed.add(key);
    this.log.warn(`git: the user accepted plain http:// for ${host} (tokens travel in clear text) for this session`);
    return true;
  }

  async credentialsAccepted(url: string, credentials: GitCredentials): Promise<void> {
    if (this.fromGitHub.has(credentials)) {
      await this.secrets.store(this.key(url), JSON.stringify({ kind: 'github' } satisfies Stored));
      this.log.info(`git: ${hostOf(url)} accepted the GitHub sign-in; it will be used for this host`);
    } else {
      await this.setToken(url, credentials.token, credentials.username);
    }
  }

  private async gitHubSession(interactive: boolean, forceNew = false): Promise<GitCredentials | undefined> {
    try {
      const session = await vscode.authentication.getSession(
        'github',
        GITHUB_SCOPES,
        forceNew ? { forceNewSession: true } : interactive ? { createIfNone: true } : { silent: true },
      );
      if (!session) return undefined;
      const creds: GitCredentials = { username: 'x-access-token', token: session.accessToken };
      this.fromGitHub.add(creds);
      return creds;
    } catch (err) {
      this.log.warn(`git: GitHub sign-in failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }
}
