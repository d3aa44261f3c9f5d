// Where the current branch stands against its upstream as last fetched: commits ahead and behind, counted by git's
// walk (`git rev-list --left-right --count`). Reads only.

import { isogit } from '../isogit';
import type { TrackingInfo } from '../gitClient';
import type { CoreContext } from './context';

/** Commits ahead of / behind the upstream (the remote-tracking ref as last fetched). */
export async function tracking(ctx: CoreContext): Promise<TrackingInfo | undefined> {
  const { core } = ctx;
  const branch = await core.currentBranch();
  if (!branch) return undefined;
  const up = await core.upstreamOf(branch);
  const upstream = `${up.remote}/${up.remoteBranch}`;
  const theirs = await core.resolve(`refs/remotes/${upstream}`);
  const ours = await core.resolve(`refs/heads/${branch}`);
  if (!theirs || !ours) return undefined;
  const { ahead, behind } = await aheadBehind(ctx, ours, theirs);
  return { upstream, ahead, behind };
}

/** Commits reachable from `a` but not `b` (ahead) and from `b` but not `a` (behind). */
export async function aheadBehind({ core }: CoreContext, a: string, b: string): Promise<{ ahead: number; behind: number }> {
  if (a === b) return { ahead: 0, behind: 0 };
  const flags = new Map<string, number>([
    [a, 1],
    [b, 2],
  ]);
  const times = new Map<string, number>();
  const timeOf = async (oid: string): Promise<{ t: number; parents: string[] }> => {
    try {
      const { commit } = await isogit().readCommit({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, oid, cache: core.cache });
      times.set(oid, commit.committer.timestamp);
      return { t: commit.committer.timestamp, parents: commit.parent };
    } catch {
      return { t: 0, parents: [] }; // shallow boundary
    }
  };
  const parentsOf = new Map<string, string[]>();
  const queue: string[] = [];
  const push = async (oid: string): Promise<void> => {
    if (!parentsOf.has(oid)) parentsOf.set(oid, (await timeOf(oid)).parents);
    const t = times.get(oid) ?? 0;
    let i = queue.length;
    while (i > 0 && (times.get(queue[i - 1]) ?? 0) < t) i--;
    queue.splice(i, 0, oid);
  };
  await push(a);
  await push(b);
  // Paint down from both tips by commit date (git's ahead/behind walk). Once every queued commit is reachable
  // from both sides, keep going while a queued commit is not older than some commit still marked one-sided:
  // with equal timestamps (commits made within one second) date order alone would stop too early.
  const oldestOneSided = (): number => {
    let min = Infinity;
    for (const [oid, f] of flags) if (f !== 3) min = Math.min(min, times.get(oid) ?? 0);
    return min;
  };
  while (queue.length) {
    if (queue.every((o) => flags.get(o) === 3) && (times.get(queue[0]) ?? 0) < oldestOneSided()) break;
    const oid = queue.shift()!;
    const f = flags.get(oid)!;
    for (const p of parentsOf.get(oid) ?? []) {
      const old = flags.get(p) ?? 0;
      const next = old | f;
      if (next !== old) {
        flags.set(p, next);
        if (!queue.includes(p)) await push(p);
      }
    }
  }
  let ahead = 0;
  let behind = 0;
  for (const f of flags.values()) {
    if (f === 1) ahead++;
    else if (f === 2) behind++;
  }
  return { ahead, behind };
}
