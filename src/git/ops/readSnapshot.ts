// The state the views render, read in one go: status, ahead/behind of the upstream as last fetched, and the remote's
// URL (without credentials). Run inside the funnel after every write, so an operation's result includes it.

import type { RepositorySnapshot } from '../repository';
import type { OpContext } from './context';

export async function readSnapshot(ctx: Pick<OpContext, 'client'>): Promise<RepositorySnapshot> {
  const { client } = ctx;
  const readStartedAt = performance.now();
  const status = await client.status();
  const tracking = status.branch ? await client.tracking() : undefined;
  const remoteUrl = await client.getRemoteUrl().catch(() => undefined);
  return { status, tracking, remoteUrl, readStartedAt };
}
