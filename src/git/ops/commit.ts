// `git commit`: the index written as a tree, the commit, then the branch (or a detached HEAD) moved with its reflog
// entries, all under the index lock. During a merge the commit gets both parents and the prepared message.

import { isogit } from '../isogit';
import { GitError, GitErrorCode } from '../gitError';
import type { GitAuthor } from '../gitClient';
import { withIndexLock } from '../indexLock';
import { GitConfig } from '../plumbing/gitConfig';
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
        const cleanup = cleanupOf(core.gitdir, message);
        const text = cleanup(message) || cleanup(merge?.message ?? '');
        if (!text) throw new GitError(GitErrorCode.NothingToCommit, 'Enter a commit message.');
        const now = Math.floor(Date.now() / 1000);
        const who = { name: author.name, email: author.email, timestamp: now, timezoneOffset: new Date().getTimezoneOffset() };
        const parent = head ? (merge ? [head, merge.theirs] : [head]) : [];
        const body = text.endsWith('\n') ? text : text + '\n';
        // isomorphic-git's writeCommit drops leading and repeated final newlines and every CR, which only a verbatim
        // message keeps: that one is written as git writes it
        const oid = /^\n|\r|\n\n$/.test(body)
          ? await isogit().writeObject({ fs: core.fs, gitdir: core.gitdir, type: 'commit', format: 'content', object: renderCommit(tree, parent, who, body) })
          : await isogit().writeCommit({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, commit: { message: body, tree, parent, author: who, committer: who } });
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

/** A commit object's content as git writes it (tree, parents, author and committer `who`, then the message as is). */
function renderCommit(tree: string, parents: string[], who: { name: string; email: string; timestamp: number; timezoneOffset: number }, message: string): Buffer {
  const off = -who.timezoneOffset;
  const tz = `${off < 0 ? '-' : '+'}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}${String(Math.abs(off) % 60).padStart(2, '0')}`;
  const person = `${who.name} <${who.email}> ${who.timestamp} ${tz}`;
  return Buffer.from(`tree ${tree}\n${parents.map((p) => `parent ${p}\n`).join('')}author ${person}\ncommitter ${person}\n\n${message}`, 'utf8');
}

/**
 * How `git commit -m` cleans a message up under the repository's commit.cleanup (git-commit(1), no editor): "strip"
 * also drops the lines that start with core.commentChar ("auto": the first of `#;@!$%^&|:` no line of the message
 * starts with); "verbatim" keeps it as given; "whitespace", "scissors" (which cuts only a message that was edited)
 * and "default" are stripSpace. The text returned has no final newline, but for "verbatim" (as given).
 */
export function cleanupOf(gitdir: string, message: string): (message: string) => string {
  const config = GitConfig.load(gitdir);
  const mode = (config.string('commit.cleanup') ?? 'default').toLowerCase();
  if (mode === 'verbatim') return (m) => m;
  if (mode !== 'strip') return stripSpace;
  let comment = config.string('core.commentchar') ?? '#';
  if (comment.toLowerCase() === 'auto') {
    const used = new Set(message.split('\n').map((line) => line[0]));
    comment = [...'#;@!$%^&|:'].find((c) => !used.has(c)) ?? '#';
  }
  return (m) => stripSpace(m.split('\n').filter((line) => !line.startsWith(comment)).join('\n'));
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
