// The message of a merge commit, as git's fmt-merge-msg writes it: `git pull` says where the branch came from
// ("Merge branch 'main' of https://host/repo"), `git merge origin/main` that it merged a remote-tracking branch
// ("Merge remote-tracking branch 'origin/main'"); both add " into <branch>" unless the current branch is one of
// merge.suppressDest (by default main and master). No 'vscode' import.

/**
 * The remote's URL as `git fetch` writes it into FETCH_HEAD (builtin/fetch.c, store_updated_refs): the user name
 * and password taken out (transport_anonymize_url), then trailing slashes and a trailing `.git` removed.
 */
export function fetchHeadUrl(raw: string): string {
  const url = anonymizeUrl(raw);
  let i = url.length - 1;
  while (i >= 0 && url[i] === '/') i--;
  let len = i + 1;
  if (4 < i && url.slice(i - 3, i + 1) === '.git') len = i - 3;
  return url.slice(0, len);
}

/** transport_anonymize_url: `https://user:pw@host/p` → `https://host/p`, `git@host:p` → `host:p`; a path as it is. */
function anonymizeUrl(url: string): string {
  const at = url.indexOf('@');
  if (at < 0 || isLocalNotSsh(url)) return url;
  const rest = url.slice(at + 1);
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0) {
    // cannot be "me@there:/path/name"
    return rest.includes(':') ? rest : url;
  }
  if (!/^[A-Za-z0-9+.-]*$/.test(url.slice(0, schemeEnd))) return url;
  // an @ past the first slash does not count
  const slash = url.indexOf('/', schemeEnd + 3);
  if (slash >= 0 && slash < at) return url;
  return url.slice(0, schemeEnd + 3) + rest;
}

/** url_is_local_not_ssh: no colon, or a slash before the first colon. */
function isLocalNotSsh(url: string): boolean {
  const colon = url.indexOf(':');
  const slash = url.indexOf('/');
  return colon < 0 || (slash >= 0 && slash < colon);
}

/** git's wildmatch for merge.suppressDest patterns, as far as branch names need it: `*`, `?` and `[...]`. */
function globMatches(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += ch.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(name);
}

/**
 * Whether " into <branch>" is left out: the branch matches one of the merge.suppressDest values (all of them, in
 * order; an empty value forgets the ones before it), or, when none is configured, is main or master.
 */
export function destinationSuppressed(branch: string, suppressDest: readonly string[] | undefined): boolean {
  let patterns = ['main', 'master'];
  if (suppressDest?.length) {
    patterns = [];
    for (const v of suppressDest) {
      if (v === '') patterns = [];
      else patterns.push(v);
    }
  }
  return patterns.some((p) => globMatches(p, branch));
}

export interface MergeSource {
  /**
   * `pull`: the branch `remoteBranch` fetched from the remote at `url` (what `git pull` merges);
   * `remoteTracking`: the remote-tracking branch `<remote>/<remoteBranch>` (what `git merge @{upstream}` merges).
   */
  kind: 'pull' | 'remoteTracking';
  remote: string;
  remoteBranch: string;
  /** the remote's URL as git fetches it: remote.<name>.url with url.<base>.insteadOf applied (pull only; remoteUrl.ts's fetchUrlOf). */
  url?: string;
}

/** The merge commit's message, ending in a newline, as git writes it merging `source` into `branch`. */
export function mergeCommitMessage(source: MergeSource, branch: string, suppressDest?: readonly string[]): string {
  const what =
    source.kind === 'pull' && source.url !== undefined
      ? `branch '${source.remoteBranch}' of ${fetchHeadUrl(source.url)}`
      : `remote-tracking branch '${source.remote}/${source.remoteBranch}'`;
  const into = destinationSuppressed(branch, suppressDest) ? '' : ` into ${branch}`;
  return `Merge ${what}${into}\n`;
}
