// Remote URLs: only http(s) is supported (isomorphic-git has no SSH transport). SSH forms are recognised and
// answered with the HTTPS URL to use instead; credentials embedded in a URL are split off so that they never
// reach `.git/config` or a log line.

import { GitError, GitErrorCode } from './gitError';

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

/** The HTTPS URL for an SSH remote (`git@github.com:org/repo.git` -> `https://github.com/org/repo.git`). */
export function sshToHttps(url: string): string {
  const u = url.trim();
  const scheme = /^(?:ssh|git\+ssh|ssh\+git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.*)$/i.exec(u);
  if (scheme) return `https://${scheme[1]}/${scheme[2].replace(/^~?\/*/, '')}`;
  const scp = SCP_LIKE.exec(u);
  if (scp) return `https://${scp[2]}/${scp[3].replace(/^\/+/, '')}`;
  return u;
}

/**
 * Validates a remote URL for use with isomorphic-git. Throws SshNotSupported (with the HTTPS form) for SSH
 * remotes and InvalidRemoteUrl for anything that is not http(s).
 */
export function parseRemoteUrl(raw: string): ParsedRemoteUrl {
  const input = raw.trim();
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
    throw new GitError(GitErrorCode.InvalidRemoteUrl, `Not a valid remote URL: ${input}. Use an https:// URL.`);
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
