// `git commit`: the index written as a tree, the commit, then the branch (or a detached HEAD) moved with its reflog
// entries, all under the index lock. During a merge the commit gets both parents and the prepared message.

import { isogit } from '../isogit';
import { GitError, GitErrorCode } from '../gitError';
import type { GitAuthor } from '../gitClient';
import { withIndexLock } from '../indexLock';
import { RefLock } from '../plumbing/gitFs';
import { treeOfCommit } from '../treeDiff';
import { writeIndexTree } from '../worktree';
import type { CoreContext } from './context';
import { clearMergeState, mergeState } from './mergeState';

/**
 * Commits the index. During a merge (MERGE_HEAD) the commit gets both parents and, without a message, the
 * prepared one; it is refused while conflicts remain.
 */
export async function commit(ctx: CoreContext, message: string, options: { author?: GitAuthor } = {}): Promise<string> {
  const { core } = ctx;
  return core.guard({ operation: 'commit' }, async () => {
    const author = options.author ?? (await core.requireAuthor());
    const merge = await mergeState(ctx);
    return withIndexLock(
      core.gitdir,
      async () => {
        const head = await core.headOid();
        const headTree = head ? await treeOfCommit(core.store, head) : null;
        const { tree, unmerged } = await writeIndexTree(core.ctx, headTree);
        if (unmerged.length) {
          throw new GitError(GitErrorCode.UnresolvedConflicts, `Resolve and stage the conflicted files first: ${unmerged.join(', ')}`, { files: unmerged });
        }
        if (!merge && tree === headTree) throw new GitError(GitErrorCode.NothingToCommit, 'Nothing to commit: stage changes first.');
        const text = stripSpace(message) || stripSpace(merge?.message ?? '');
        if (!text) throw new GitError(GitErrorCode.NothingToCommit, 'Enter a commit message.');
        const now = Math.floor(Date.now() / 1000);
        const who = { name: author.name, email: author.email, timestamp: now, timezoneOffset: new Date().getTimezoneOffset() };
        const parent = head ? (merge ? [head, merge.theirs] : [head]) : [];
        const oid = await isogit().writeCommit({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, commit: { message: text + '\n', tree, parent, author: who, committer: who } });
        const branch = await isogit().currentBranch({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, fullname: false });
        const logMessage = `commit${!head ? ' (initial)' : merge ? ' (merge)' : ''}: ${text}`;
        if (branch) await core.moveBranch(branch, head, oid, logMessage);
        else {
          // a detached HEAD: moved from the commit it was on, its entry written while it is locked, as git does
          const headLock = await RefLock.acquire(core.gitdir, 'HEAD', head, core.lock);
          await headLock.commit(oid, false, () => core.reflog('HEAD', head, oid, logMessage));
        }
        if (merge) await clearMergeState(ctx);
        return oid;
      },
      core.lock,
    );
  });
}

/**
 * A commit message as `git commit -m` (and VS Code's Git, through `-F -`) stores it, git's default cleanup without an
 * editor (`--cleanup=whitespace`, strbuf_stripspace): each line's trailing whitespace removed, runs of blank lines
 * made one, none at either end. Without the final newline; '' when nothing is left.
 */
export function stripSpace(message: string): string {
  const out: string[] = [];
  let blank = false;
  for (const raw of message.split('\n')) {
    const line = raw.replace(/[ \t\r]+$/, '');
    if (!line) {
      blank = out.length > 0;
      continue;
    }
    if (blank) out.push('');
    blank = false;
    out.push(line);
  }
  return out.join('\n');
}
