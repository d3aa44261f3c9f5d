// Remote URLs: only http(s) is supported (isomorphic-git has no SSH transport). SSH forms are recognised and
// answered with the HTTPS URL to use instead; credentials embedded in a URL are split off so that they never
// reach `.git/config` or a log line.

import { GitError, GitErrorCode, redact } from './gitError';

export interface ParsedRemoteUrl {
  /** the URL without credentials, as it may be stored in `.git/config`. */
  url: string;
  /** `user:password@` found in the URL, if any (to be handed to the auth provider, never stored). */
  username?: string;
  password?: string;
}

// scp-like syntax: [user@]host:path (no scheme, a colon before the first slash)
const SCP_LIKE = /^(?:([^@/\s]+)@)?([^:/\s]+):(?!\/\/)(.+)$/;

/** True for `git@host:org/repo`, `ssh://...`, `git+ssh://...`, `ssh+git://...`. */
export function isSshUrl(url: string): boolean {
  const u = url.trim();
  if (/^(ssh|git\+ssh|ssh\+git):\/\//i.test(u)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) return false;
  // a Windows drive path (C:\x or C:/x) is not scp-like
  if (/^[a-z]:[\\/]/i.test(u)) return false;
  return SCP_LIKE.test(u);
}

/** A scheme-less `user:secret@host/path`: an HTTPS URL whose `https://` was left out (not an scp-like SSH remote). */
const SCHEMELESS_WITH_CREDENTIALS = /^[^@/\s:]+:[^@/\s]*@[^/\s:]+(?::\d+)?(?:\/|$)/;

/**
 * The HTTPS URL for an SSH remote (`git@github.com:org/repo.git` -> `https://github.com/org/repo.git`), never
 * carrying the user name or any credentials of the SSH form.
 */
export function sshToHttps(url: string): string {
  const u = url.trim();
  if (/^(?:ssh|git\+ssh|ssh\+git):\/\//i.test(u)) {
    try {
      const parsed = new URL(u);
      return `https://${parsed.hostname}/${parsed.pathname.replace(/^\/*~?\/*/, '')}`;
    } catch {
      return redact(u.replace(/^[a-z+]+:\/\/[^@/]*@/i, 'https://'));
    }
  }
  const scp = SCP_LIKE.exec(u);
  if (scp) return `https://${scp[2]}/${scp[3].replace(/^\/+/, '')}`;
  return redact(u);
}

/**
 * Validates a remote URL for use with isomorphic-git. Throws SshNotSupported (with the HTTPS form) for SSH
 * remotes and InvalidRemoteUrl for anything that is not http(s).
 */
export function parseRemoteUrl(raw: string): ParsedRemoteUrl {
  const input = raw.trim();
  if (SCHEMELESS_WITH_CREDENTIALS.test(input)) {
    const at = input.indexOf('@');
    throw new GitError(
      GitErrorCode.InvalidRemoteUrl,
      `Not a valid remote URL: it has no scheme. Did you mean https://***@${input.slice(at + 1)}? Credentials are better entered as a token than in the URL.`,
    );
  }
  if (isSshUrl(input)) {
    const httpsUrl = sshToHttps(input);
    throw new GitError(
      GitErrorCode.SshNotSupported,
      `SSH remotes are not supported; use the HTTPS URL instead: ${httpsUrl}`,
      { httpsUrl },
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    throw new GitError(GitErrorCode.InvalidRemoteUrl, `Not a valid remote URL: ${redact(input)}. Use an https:// URL.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new GitError(GitErrorCode.InvalidRemoteUrl, `Unsupported remote URL ${parsed.protocol}//${parsed.host}${parsed.pathname}: only https:// remotes are supported.`);
  }
  const username = parsed.username ? decodeURIComponent(parsed.username) : undefined;
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), username, password };
}
