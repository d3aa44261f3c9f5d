// The working trees of one repository (the main one and those `git worktree add` made) and the branch each has
// checked out: git refuses to check out, or to delete, a branch another working tree has checked out.

import * as fsp from 'fs/promises';
import * as path from 'path';

/**
 * The folder of the working tree (the main one, or a linked worktree) whose HEAD is on `branch`, other than the one
 * whose git directory is `except`; undefined when none is.
 */
export async function worktreeOn(commondir: string, branch: string, except?: string): Promise<string | undefined> {
  const trees: { gitdir: string; root: () => Promise<string> }[] = [{ gitdir: commondir, root: async () => path.dirname(commondir) }];
  for (const name of await fsp.readdir(path.join(commondir, 'worktrees')).catch(() => [] as string[])) {
    const gitdir = path.join(commondir, 'worktrees', name);
    trees.push({ gitdir, root: async () => path.dirname((await fsp.readFile(path.join(gitdir, 'gitdir'), 'utf8')).trim()) });
  }
  for (const { gitdir, root } of trees) {
    if (except && path.resolve(gitdir) === path.resolve(except)) continue;
    const value = await fsp.readFile(path.join(gitdir, 'HEAD'), 'utf8').catch(() => '');
    if (value.trim() === `ref: refs/heads/${branch}`) return root().catch(() => gitdir);
  }
  return undefined;
}
