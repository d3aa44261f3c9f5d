// Remote URLs, classified by git's own rules (connect.c, transport.c, url.c): http(s) is Hammock's own transport
// (isomorphic-git); SSH and local repositories (`file://`, a path) are reached through the user's git, which
// isomorphic-git cannot replace (it has no SSH and no file transport). SSH forms are answered with the HTTPS URL to
// use when the user's git is off; credentials embedded in a URL are split off so that they never reach
// `.git/config` or a log line.

import * as nodePath from 'path';
import { GitError, GitErrorCode, redact } from './gitError';
import { resolveConfig } from './lazyIdentity';

export interface ParsedRemoteUrl {
  /** the URL without credentials, as it may be stored in `.git/config`. */
  url: string;
  /** `user:password@` found in the URL, if any (to be handed to the auth provider, never stored). */
  username?: string;
  password?: string;
}

// scp-like syntax: [user@]host:path (no scheme, a colon before the first slash)
const SCP_LIKE = /^(?:([^@/\s]+)@)?([^:/\s]+):(?!\/\/)(.+)$/;

/**
 * How git reaches a remote: `http` (http:// or https://), `ssh` (ssh://, git+ssh://, ssh+git://, or scp-like
 * `[user@]host:path`), `local` (file://, or a path: `/srv/repo.git`, `../other.git`, `repo`, `C:\repo` on
 * Windows), `other` (git://, `<helper>::<address>`, any other scheme, an empty string).
 */
export type RemoteTransport = 'http' | 'ssh' | 'local' | 'other';

/** git's has_dos_drive_prefix() (Windows only): `C:` followed by anything. */
function hasDosDrivePrefix(u: string): boolean {
  return /^[A-Za-z]:/.test(u);
}

/** git's is_url() (url.c): a scheme of `[A-Za-z0-9][A-Za-z0-9+.-]*` followed by `://`. */
function isSchemeUrl(u: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9+.-]*:\/\//.test(u);
}

/**
 * The transport git picks for `url` (transport_get() and parse_connect_url()): `<helper>::` first, then a scheme
 * URL by its scheme, then url_is_local_not_ssh(): no colon, or a slash before the first colon, or (on Windows) a
 * drive letter make a local path; anything else is scp-like SSH (`host:path`). One departure: `C:\repo` and
 * `C:/repo` are local on every platform (git on Linux and macOS would read host `C`). Scheme names as git
 * compares them (`file` exactly; http and ssh in any case, as Hammock has always accepted them).
 */
export function remoteTransport(url: string, platform: NodeJS.Platform = process.platform): RemoteTransport {
  const u = url.trim();
  if (!u) return 'other';
  if (/^[A-Za-z0-9][A-Za-z0-9+.-]*::/.test(u)) return 'other'; // transport::address: a remote helper
  if (isSchemeUrl(u)) {
    const scheme = u.slice(0, u.indexOf(':'));
    if (scheme === 'file') return 'local';
    if (/^https?$/i.test(scheme)) return 'http';
    if (/^(?:ssh|git\+ssh|ssh\+git)$/i.test(scheme)) return 'ssh';
    return 'other';
  }
  const colon = u.indexOf(':');
  const slash = u.indexOf('/');
  if (colon < 0 || (slash >= 0 && slash < colon)) return 'local';
  if (platform === 'win32' && hasDosDrivePrefix(u)) return 'local';
  // `C:\repo`, `C:/repo` elsewhere: git there would ssh to a host named `C`, but the user means a Windows folder
  // (a setting synced from Windows): the messages speak of a folder; the user's git still gets it as written
  if (/^[A-Za-z]:[\\/]/.test(u)) return 'local';
  return 'ssh';
}

/** True for `git@host:org/repo`, `ssh://...`, `git+ssh://...`, `ssh+git://...` (git's rules: remoteTransport). */
export function isSshUrl(url: string, platform: NodeJS.Platform = process.platform): boolean {
  return remoteTransport(url, platform) === 'ssh';
}

/** True for a repository on this machine as git reads it: `file://...` or a path (remoteTransport). */
export function isLocalUrl(url: string, platform: NodeJS.Platform = process.platform): boolean {
  return remoteTransport(url, platform) === 'local';
}

/**
 * The folder a local remote names, as git resolves it: `file://` URLs percent-decoded, their host dropped
 * (`file://localhost/srv/r` is `/srv/r`, as git does on Linux and macOS); a relative path against `base` (git
 * resolves it against the working tree's top folder for fetch and push, against its working folder for clone).
 */
export function localRemotePath(url: string, base: string, pathApi: Pick<typeof nodePath, 'resolve'> = nodePath): string {
  const u = url.trim();
  if (u.startsWith('file://')) {
    let rest = u.slice('file://'.length);
    // file://C:/x (a Windows drive right after the //), else the host part up to the next slash is dropped
    if (!/^[A-Za-z]:/.test(rest)) rest = rest.slice(rest.indexOf('/') < 0 ? rest.length : rest.indexOf('/'));
    try {
      rest = decodeURIComponent(rest);
    } catch {
      /* as written */
    }
    return pathApi.resolve(base, rest || '/');
  }
  return pathApi.resolve(base, u);
}

/**
 * `https://<input>` when a scheme-less `input` that git would read as a relative path looks like a host and a path
 * (`github.com/org/repo`): what the user most likely meant.
 */
export function httpsGuess(input: string): string | undefined {
  const u = input.trim();
  return /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\/[^\s]+$/.test(u) && !/\.git$/i.test(u.split('/')[0]) ? `https://${u}` : undefined;
}

/** What a remote that is neither http(s), SSH nor local is, in words: `git://` or a remote helper's. */
function otherRemoteKind(url: string): string {
  const helper = /^([A-Za-z0-9][A-Za-z0-9+.-]*)::/.exec(url)?.[1] ?? (isSchemeUrl(url) ? url.slice(0, url.indexOf(':')) : undefined);
  if (!helper) return 'not a remote URL git knows';
  if (helper.toLowerCase() === 'git') return "a git:// remote (git's own protocol)";
  return `a remote git reaches through its helper git-remote-${helper}`;
}

/**
 * Why a remote only the user's git reaches (a repository on this machine; `git://` or a remote helper's: isomorphic-git
 * speaks http(s) only) cannot be used, and what to do: `never`, the setting turns the user's git off; `noUserGit`,
 * there is none here; `noGit`, it was to carry it and no git executable was found.
 */
export function userGitRefusal(url: string, reason: 'never' | 'noGit' | 'noUserGit'): string {
  const u = url.trim();
  const what = `${redact(u)} is ${remoteTransport(u) === 'local' ? 'a repository on this machine (a path or file:// URL)' : otherRemoteKind(u)}`;
  if (reason === 'noGit') return `${what}: Hammock reaches it through your git, and no git executable was found. Install git (or set git.path), or use an https:// URL.`;
  if (reason === 'noUserGit') return `${what}: Hammock reaches such remotes only through your git, which is not available here. Use an https:// URL.`;
  return `${what}: Hammock reaches it only through your git, and the setting hammock.git.useSystemGit is "never". Set it to "auto" (or "always"), or use an https:// URL.`;
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
 * remotes, InvalidRemoteUrl saying what to do for a local repository (only the user's git reaches those), and
 * InvalidRemoteUrl for anything else that is not http(s). `userGit`: why the user's git does not carry the URL
 * (`never`: the setting says so; `absent`: there is none here), for the local remote's message.
 */
export function parseRemoteUrl(raw: string, userGit: 'never' | 'absent' = 'absent'): ParsedRemoteUrl {
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
  if (isLocalUrl(input)) {
    const guess = httpsGuess(input);
    if (guess) throw new GitError(GitErrorCode.InvalidRemoteUrl, `Not a valid remote URL: ${redact(input)} has no scheme. Did you mean ${guess}?`);
    throw new GitError(GitErrorCode.InvalidRemoteUrl, userGitRefusal(input, userGit === 'never' ? 'never' : 'noUserGit'));
  }
  if (input && remoteTransport(input) === 'other') throw new GitError(GitErrorCode.InvalidRemoteUrl, userGitRefusal(input, userGit === 'never' ? 'never' : 'noUserGit'));
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    throw new GitError(GitErrorCode.InvalidRemoteUrl, `Not a valid remote URL: ${redact(input)}. Use an https:// URL.`);
  }
  const username = parsed.username ? decodeURIComponent(parsed.username) : undefined;
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), username, password };
}

/** An `url.<base>.insteadOf` (or pushInsteadOf) value of the config, in the config's order. */
export interface UrlRewriteEntry {
  section: string;
  subsection?: string;
  name: string;
  value: string | null;
}

/**
 * The URL git fetches `url` from (remote.c, alias_url): the longest `url.<base>.insteadOf` value it starts with is
 * replaced by that base (of equal lengths, the base configured first); `url` when none matches. pushInsteadOf is
 * only for pushing and is not read. This is the URL `git fetch` names in FETCH_HEAD, so in a pull's merge message.
 */
export function fetchUrlOf(url: string, entries: readonly UrlRewriteEntry[]): string {
  return aliasUrl(url, entries, 'insteadof') ?? url;
}

/**
 * The URL git pushes to (remote.c, alias_all_urls, as `git remote get-url --push` prints it): remote.<name>.pushurl
 * with url.<base>.insteadOf applied when one is set (pushInsteadOf is not read for it); else remote.<name>.url with
 * the longest matching url.<base>.pushInsteadOf, else with insteadOf.
 */
export function pushUrlOf(url: string, pushurl: string | undefined, entries: readonly UrlRewriteEntry[]): string {
  return pushUrlsOf([url], pushurl === undefined ? [] : [pushurl], entries)[0];
}

/**
 * Every URL git pushes to (remote.c, alias_all_urls and push_url_of_remote; `git remote get-url --push --all`), in
 * order: each remote.<name>.pushurl with url.<base>.insteadOf applied when any is set; else the remote.<name>.url
 * values that a url.<base>.pushInsteadOf matches, rewritten by it, when one does (the others are then not pushed to:
 * git adds only the rewritten ones as push URLs); else every remote.<name>.url with insteadOf applied.
 */
export function pushUrlsOf(urls: readonly string[], pushurls: readonly string[], entries: readonly UrlRewriteEntry[]): string[] {
  if (pushurls.length) return pushurls.map((u) => fetchUrlOf(u, entries));
  const aliased = urls.map((u) => aliasUrl(u, entries, 'pushinsteadof')).filter((u): u is string => u !== undefined);
  return aliased.length ? aliased : urls.map((u) => fetchUrlOf(u, entries));
}

/** alias_url: `url` with the longest matching `url.<base>.<key>` value replaced by its base; undefined if none. */
function aliasUrl(url: string, entries: readonly UrlRewriteEntry[], key: 'insteadof' | 'pushinsteadof'): string | undefined {
  const bases: string[] = [];
  const prefixes = new Map<string, string[]>();
  for (const e of entries) {
    if (e.section !== 'url' || e.subsection === undefined || e.name !== key || e.value === null) continue;
    if (!prefixes.has(e.subsection)) {
      bases.push(e.subsection);
      prefixes.set(e.subsection, []);
    }
    prefixes.get(e.subsection)!.push(e.value);
  }
  let best: { base: string; prefix: string } | undefined;
  for (const base of bases) {
    for (const prefix of prefixes.get(base)!) {
      if (url.startsWith(prefix) && (!best || best.prefix.length < prefix.length)) best = { base, prefix };
    }
  }
  return best ? best.base + url.slice(best.prefix.length) : undefined;
}

/**
 * The URL git fetches `url` from (url.<base>.insteadOf applied) under the configuration git reads with `env` (system,
 * global and, with `gitdir`, the repository's): where a clone of `url`, or a remote being set up as `url`, connects.
 */
export async function fetchUrlFor(url: string, sources: { env?: NodeJS.ProcessEnv; gitdir?: string } = {}): Promise<string> {
  return fetchUrlOf(url, (await resolveConfig({ env: sources.env ?? process.env, gitdir: sources.gitdir })).entries);
}
