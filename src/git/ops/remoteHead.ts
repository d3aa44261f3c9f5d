// A remote whose HEAD names no commit: a bare repository whose HEAD is `refs/heads/master` while only `main` exists
// (git's default changed under it), or a server that does not advertise HEAD at all (Gogs). `git fetch` fetches
// such a remote's branches without a word; isomorphic-git's fetch throws NotFoundError "Could not find HEAD."
// (isomorphic-git #1654, open) in two places, both unconditional: before the negotiation, when it has no other ref
// to name (a fetch of every branch from a branch without upstream, or a detached HEAD), and after it, once the
// remote-tracking refs are written and the pack is on its way (`_fetch`: "AWS CodeCommit doesn't list HEAD as a
// symref" -> resolveAgainstMap('HEAD')). No option reaches either line. Hammock's fetch (ops/transfer.ts) gets past
// both without touching the ref advertisement: the first by asking again with a branch the advertisement names, the
// second by finishing what isomorphic-git abandoned (its refs are in the deferred-refs overlay, the pack is stored
// when its response ends, then the objects are checked and the refs applied as for any fetch). A clone cannot be
// finished that way (isomorphic-git's clone removes its folder; git clone itself checks nothing out there): it
// fails with the message below, which says what the remote's HEAD points at (asked with protocol v2's ls-refs
// `unborn`) and what to do. No 'vscode' import.

import type { HttpClient } from 'isomorphic-git';
import { GitError, GitErrorCode, redact } from '../gitError';
import { collect, pktLines } from '../packCapture';

/** isomorphic-git's NotFoundError for the remote's HEAD (also as it comes back from the transfer worker). */
export function isMissingRemoteHead(err: unknown): boolean {
  const e = err as { code?: unknown; data?: { what?: unknown } } | null | undefined;
  return !!e && e.code === 'NotFoundError' && e.data?.what === 'HEAD';
}

export interface RemoteHeadProbe {
  /** what HEAD points at (`refs/heads/master`), when the server says. */
  target?: string;
  /** HEAD names no commit (the branch it points at does not exist). */
  unborn: boolean;
  /** the remote's branches (without `refs/heads/`). */
  branches: string[];
}

function pkt(line: string): string {
  return (line.length + 5).toString(16).padStart(4, '0') + line + '\n';
}


/**
 * The remote's HEAD and branches through protocol v2's `ls-refs` with `unborn` (git 2.31 and later answer `unborn
 * HEAD symref-target:<ref>` for a HEAD without a commit). Undefined when the server does not speak v2 or refuses.
 */
export async function probeRemoteHead(http: HttpClient, url: string, headers: Record<string, string>): Promise<RemoteHeadProbe | undefined> {
  const body = pkt('command=ls-refs') + '0001' + pkt('symrefs') + pkt('unborn') + pkt('ref-prefix HEAD') + pkt('ref-prefix refs/heads/') + '0000';
  try {
    const res = await http.request({
      url: `${url.replace(/\/+$/, '')}/git-upload-pack`,
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/x-git-upload-pack-request', Accept: 'application/x-git-upload-pack-result', 'Git-Protocol': 'version=2' },
      body: (async function* () {
        yield Buffer.from(body);
      })(),
    });
    if (res.statusCode !== 200) return undefined;
    const out: RemoteHeadProbe = { unborn: false, branches: [] };
    for (const line of pktLines(await collect(res.body))) {
      const [oid, ref, ...attrs] = line.split(' ');
      if (ref === 'HEAD') {
        out.unborn = oid === 'unborn';
        out.target = attrs.find((a) => a.startsWith('symref-target:'))?.slice('symref-target:'.length);
      } else if (ref?.startsWith('refs/heads/') && /^[0-9a-f]{40,64}$/.test(oid)) {
        out.branches.push(ref.slice('refs/heads/'.length));
      }
    }
    return out;
  } catch {
    return undefined;
  }
}

/** The error for an `operation` that failed on the remote's missing HEAD: what it points at, and what to do. */
export function missingRemoteHeadError(operation: string, url: string, probe: RemoteHeadProbe | undefined): GitError {
  const where = redact(url);
  const branches = probe?.branches.length ? ` (its branches: ${probe.branches.slice(0, 5).join(', ')}${probe.branches.length > 5 ? ', ...' : ''})` : '';
  const what =
    probe?.unborn && probe.target
      ? `the remote's HEAD points to ${probe.target}, which does not exist${branches}`
      : probe && !probe.unborn && probe.target
        ? `the server does not advertise its HEAD (${probe.target}) to Hammock's built-in git`
        : `the remote advertises no HEAD: it points to a branch that does not exist${branches}`;
  const fix =
    probe?.unborn && probe.target && probe.branches.length
      ? ` Point it at an existing branch (on the server: git symbolic-ref HEAD refs/heads/${probe.branches.includes('main') ? 'main' : probe.branches[0]}; on a hosting service: its default branch setting),`
      : ' Point it at an existing branch (on a hosting service: its default branch setting),';
  return new GitError(
    GitErrorCode.RemoteHeadMissing,
    `Cannot ${operation} from ${where}: ${what}. ${operation === 'clone' ? 'git clone makes such a clone with no branch checked out; Hammock' : "Hammock's built-in git"} cannot (isomorphic-git #1654), and nothing was changed.${fix} or set hammock.git.useSystemGit to "always" so that your git carries this remote.`,
    { cause: { code: 'NotFoundError', message: 'Could not find HEAD.' } },
  );
}
