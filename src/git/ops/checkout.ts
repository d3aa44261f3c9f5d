// Switching branches (`git switch`): a local branch, or a remote one as a new local branch tracking it. The working
// tree is checked before anything moves (worktree.ts switchTree); HEAD moves last, with its reflog entry.

import * as fsp from 'fs/promises';
import * as path from 'path';
import { isogit } from '../isogit';
import { removeConfigSection } from '../plumbing/gitConfig';
import { RefLock } from '../plumbing/gitFs';
import { GitError, GitErrorCode } from '../gitError';
import type { OperationOptions } from '../gitClient';
import { treeOfCommit } from '../treeDiff';
import { switchTree } from '../worktree';
import type { CoreContext } from './context';
import { mergeState } from './mergeState';
import { worktreeOn } from './worktrees';

/**
 * Checks out a local branch, or a remote one (`feature` when only `origin/feature` exists, or `origin/feature`)
 * as a new local branch tracking it. Refuses (DirtyWorkingTree, listing the files) when uncommitted changes would
 * be overwritten; nothing is touched then.
 */
export async function checkout(ctx: CoreContext, name: string, options: OperationOptions = {}): Promise<void> {
  const { core } = ctx;
  await core.guard({ operation: 'checkout', ref: name, signal: options.signal }, async () => {
    if (await mergeState(ctx)) throw new GitError(GitErrorCode.MergeInProgress, 'A merge is in progress: commit or abort it before switching branches.');
    let local = name;
    let create: { oid: string; remote: string; branch: string } | undefined;
    let oid = await core.resolve(`refs/heads/${name}`);
    if (!oid) {
      const remotes = (await isogit().listRemotes({ fs: core.fs, dir: core.dir, gitdir: core.gitdir })).map((r) => r.remote);
      const slash = name.indexOf('/');
      const candidates =
        slash > 0 && remotes.includes(name.slice(0, slash))
          ? [{ remote: name.slice(0, slash), branch: name.slice(slash + 1) }]
          : remotes.map((remote) => ({ remote, branch: name }));
      for (const c of candidates) {
        const r = await core.resolve(`refs/remotes/${c.remote}/${c.branch}`);
        if (r) {
          create = { oid: r, ...c };
          local = c.branch;
          break;
        }
      }
      if (!create) throw new GitError(GitErrorCode.BranchNotFound, `Branch ${name} not found.`, { ref: name });
      const existing = await core.resolve(`refs/heads/${local}`);
      if (existing) {
        oid = existing;
        create = undefined;
      } else {
        oid = create.oid;
      }
    }
    // HEAD as read here (`ref: refs/heads/main`, or a commit id): its lock is taken only if HEAD still holds it
    const headValue = (await fsp.readFile(path.join(core.gitdir, 'HEAD'), 'utf8')).trim();
    const elsewhere = headValue === `ref: refs/heads/${local}` ? undefined : await worktreeOn(core.commondir, local, core.gitdir);
    if (elsewhere) {
      throw new GitError(GitErrorCode.BranchCheckedOutElsewhere, `Cannot switch to ${local}: ${local} is checked out in the worktree at ${elsewhere}. Switch that worktree to another branch first.`, {
        ref: local,
      });
    }
    const head = await core.headOid();
    const previousName = (await core.currentBranch()) ?? head ?? 'HEAD';
    const from = head ? await treeOfCommit(core.store, head) : null;
    const to = await treeOfCommit(core.store, oid!);
    // HEAD's lock (and a new branch's) taken before the files are written, as git's ref transaction: a git command
    // holding it stops the checkout with nothing written, not after the files were switched
    // A new branch's tracking config too, as git writes it before switching: a config git holds locked stops the
    // checkout before any file is written (and is taken out again if the switch then fails)
    let branchLock: RefLock | undefined;
    let headLock: RefLock | undefined;
    let tracking = false;
    let created = false;
    await switchTree(core.ctx, from, to, {
      operation: 'checkout',
      onProgress: options.onProgress,
      signal: options.signal,
      beforeWrite: async () => {
        if (create) branchLock = await RefLock.acquire(core.gitdir, `refs/heads/${local}`, null, core.lock);
        headLock = await RefLock.acquire(core.gitdir, 'HEAD', headValue, core.lock);
        if (create) {
          tracking = true;
          await isogit().setConfig({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, path: `branch.${local}.remote`, value: create.remote });
          await isogit().setConfig({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, path: `branch.${local}.merge`, value: `refs/heads/${create.branch}` });
        }
      },
      beforeRelease: async () => {
        if (create) {
          await branchLock!.commit(create.oid, false, () => core.reflog(`refs/heads/${local}`, null, create.oid, `branch: Created from ${create.remote}/${create.branch}`));
          created = true;
        }
        await headLock!.commit(`refs/heads/${local}`, true, () => core.reflog('HEAD', head, oid!, `checkout: moving from ${previousName} to ${local}`, true));
      },
    }).finally(async () => {
      await (branchLock as RefLock | undefined)?.release();
      await (headLock as RefLock | undefined)?.release();
      if (tracking && !created) await removeConfigSection(core.gitdir, 'branch', local).catch(() => undefined);
    });
  });
}
