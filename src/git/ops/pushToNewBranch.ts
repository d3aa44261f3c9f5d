// "Push to a New Branch...", offered after the remote refused a push (a protected branch): what a git user does by
// hand, in one operation:
//   git switch -c <name>              the local commits are now on the new branch, the working tree untouched
//   git branch -f <original> <upstream>   the original branch no longer carries them (not left ahead of its upstream)
//   git push -u origin <name>
// Nothing is lost: the commits the original branch pointed at are the new branch's. The original is moved back only
// when it has an upstream as last fetched; a failed push leaves the new branch checked out with the commits, ready
// to push again.

import type { PushResult } from '../gitClient';
import type { OpContext } from './context';

export interface PushToNewBranchResult {
  /** the new branch, now checked out. */
  readonly branch: string;
  /** the branch the commits were on (undefined on a detached HEAD). */
  readonly from: string | undefined;
  /** the upstream `from` was moved back to (`origin/main`), if it was. */
  readonly resetTo: string | undefined;
  readonly push: PushResult;
}

export async function pushToNewBranch(ctx: OpContext, name: string): Promise<PushToNewBranchResult> {
  const { client } = ctx;
  const from = await client.currentBranch();
  await client.createBranch(name, { checkout: true });
  const resetTo = from ? await client.resetBranchToUpstream(from) : undefined;
  const push = await client.push({ signal: ctx.signal, onProgress: ctx.onProgress, onMessage: ctx.onMessage });
  return { branch: name, from, resetTo, push };
}
