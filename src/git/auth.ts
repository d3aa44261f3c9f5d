// Credentials for one remote operation. The pure layer never stores a token: it asks the caller's provider
// (the VS Code side keeps tokens in SecretStorage), sends a known token up front (saves the 401 round trip),
// asks again at most `maxPrompts` times after a 401 (isomorphic-git's onAuthFailure would loop forever on a
// provider that keeps answering the same token), and reports whether credentials were rejected or declined.

import type { AuthCallback, AuthFailureCallback, AuthSuccessCallback, GitAuth } from 'isomorphic-git';
import { assertTransportAllowed } from './remotePolicy';

export interface GitCredentials {
  /** defaults to `x-access-token` (GitHub, Gitea and most servers accept any user name with a token). */
  username?: string;
  /** the token (or password). */
  token: string;
}

export interface GitAuthProvider {
  /** Credentials already known for this remote (no prompt); sent up front. */
  getCredentials(url: string): Promise<GitCredentials | undefined> | GitCredentials | undefined;
  /**
   * The server answered 401. `rejected` is what was sent (undefined if nothing was). Return credentials to retry,
   * or undefined to give up. Called at most `maxPrompts` times per operation.
   */
  requestCredentials(url: string, rejected: GitCredentials | undefined): Promise<GitCredentials | undefined>;
  /**
   * The remote is `http://` and not loopback: may the token travel in clear text? (a modal warning; without this
   * method such remotes are refused: remotePolicy.ts).
   */
  confirmCleartext?(url: string, host: string): Promise<boolean> | boolean;
  /** The server accepted credentials obtained through requestCredentials: the caller may store them. */
  credentialsAccepted?(url: string, credentials: GitCredentials): void | Promise<void>;
}

export const DEFAULT_USERNAME = 'x-access-token';

export function basicAuthHeader(c: GitCredentials): string {
  return 'Basic ' + Buffer.from(`${c.username || DEFAULT_USERNAME}:${c.token}`).toString('base64');
}

function same(a: GitCredentials | undefined, b: GitCredentials | undefined): boolean {
  return !!a && !!b && a.token === b.token && (a.username || DEFAULT_USERNAME) === (b.username || DEFAULT_USERNAME);
}

/** The callbacks and headers of one remote operation, plus what happened, for error translation. */
export class AuthSession {
  private sent: GitCredentials | undefined;
  private prompts = 0;
  /** credentials were sent and refused by the server. */
  rejected = false;
  /** the provider declined to give (more) credentials. */
  declined = false;
  /** secrets seen in this session, to redact from messages. */
  readonly secrets: string[] = [];

  constructor(
    private readonly url: string,
    private readonly provider: GitAuthProvider | undefined,
    private readonly maxPrompts = 1,
    private readonly fromUrl?: GitCredentials,
  ) {}

  /**
   * Headers to send up front (Authorization when credentials are known). Called before anything is sent: an
   * `http://` remote that is not loopback is refused here unless the provider confirms it (InsecureRemote).
   */
  async headers(): Promise<Record<string, string>> {
    await assertTransportAllowed(this.url, this.provider?.confirmCleartext?.bind(this.provider));
    const known = this.fromUrl ?? (await this.provider?.getCredentials(this.url));
    if (!known) return {};
    this.remember(known);
    this.sent = known;
    return { Authorization: basicAuthHeader(known) };
  }

  private remember(c: GitCredentials): void {
    if (!this.secrets.includes(c.token)) this.secrets.push(c.token);
  }

  private async ask(): Promise<GitAuth> {
    if (this.sent) this.rejected = true;
    if (!this.provider || this.prompts >= this.maxPrompts) {
      if (!this.sent) this.declined = true;
      return { cancel: true };
    }
    this.prompts++;
    const next = await this.provider.requestCredentials(this.url, this.sent);
    if (!next) {
      this.declined = true;
      return { cancel: true };
    }
    if (same(next, this.sent)) {
      // the same token again would be refused again
      this.rejected = true;
      return { cancel: true };
    }
    this.remember(next);
    this.sent = next;
    this.rejected = false;
    return { username: next.username || DEFAULT_USERNAME, password: next.token };
  }

  readonly onAuth: AuthCallback = () => this.ask();

  readonly onAuthFailure: AuthFailureCallback = () => this.ask();

  readonly onAuthSuccess: AuthSuccessCallback = async () => {
    if (this.sent && this.prompts > 0) await this.provider?.credentialsAccepted?.(this.url, this.sent);
  };
}
