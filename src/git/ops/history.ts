// Reading what git has, without changing anything: a ref's recent commits with the files each changed (`git log
// --name-status`), and one file at a ref or in an index stage (`git show <ref>:<path>`, `git show :<n>:<path>`).

import { isogit } from '../isogit';
import { GitError, GitErrorCode } from '../gitError';
import type { CommitInfo } from '../gitClient';
import { diffTrees, fileInTree, treeOfCommit } from '../treeDiff';
import { loadIndex } from '../worktree';
import type { CoreContext } from './context';

/** Recent commits of `ref` (default HEAD), newest first, with the files each changed. */
export async function history({ core }: CoreContext, options: { ref?: string; depth?: number } = {}): Promise<CommitInfo[]> {
  return core.guard({ operation: 'history' }, async () => {
    if (!(await core.headOid()) && !options.ref) return [];
    const commits = await isogit().log({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, ref: options.ref ?? 'HEAD', depth: options.depth ?? 50, cache: core.cache });
    const out: CommitInfo[] = [];
    for (const c of commits) {
      const parentTree = c.commit.parent[0] ? await treeOfCommit(core.store, c.commit.parent[0]).catch(() => null) : null;
      const changes = await diffTrees(core.store, parentTree, c.commit.tree);
      out.push({
        oid: c.oid,
        summary: c.commit.message.split('\n', 1)[0],
        message: c.commit.message,
        author: { ...c.commit.author },
        parents: [...c.commit.parent],
        files: changes.map((ch) => ({ path: ch.path, kind: !ch.before ? 'added' : !ch.after ? 'deleted' : 'modified' })),
      });
    }
    return out;
  });
}

/**
 * One file as git has it: at a ref (`HEAD`, a commit oid, a branch, `origin/main`) or in the index (stage 0, or
 * a conflict stage 1 base / 2 ours / 3 theirs). null when the file is not there.
 */
export async function readFile({ core }: CoreContext, filepath: string, source: { ref: string } | { stage: 0 | 1 | 2 | 3 }): Promise<Buffer | null> {
  return core.guard({ operation: 'read file' }, async () => {
    let oid: string | undefined;
    if ('stage' in source) {
      oid = (await loadIndex(core.gitdir)).entries.find((e) => e.path === filepath && e.stage === source.stage)?.oid;
    } else {
      const commit = await isogit().expandRef({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, ref: source.ref }).then(
        (full) => core.resolve(full),
        () => (/^[0-9a-f]{40}$/.test(source.ref) ? source.ref : null),
      );
      if (!commit) throw new GitError(GitErrorCode.BranchNotFound, `${source.ref} not found.`, { ref: source.ref });
      const file = await fileInTree(core.store, await treeOfCommit(core.store, commit), filepath);
      oid = file?.oid;
    }
    if (!oid) return null;
    const { blob } = await isogit().readBlob({ fs: core.fs, dir: core.dir, gitdir: core.gitdir, oid, cache: core.cache });
    return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  });
}
