// Where a working tree's git data lives, as git finds it: `<dir>/.git` is a directory, or a file
// `gitdir: <path>` (a linked worktree made by `git worktree add`, or a submodule's checkout). A linked worktree's
// git directory keeps only its own HEAD, index and the like; objects, refs and config live in the common directory
// named by its `commondir` file. The common directory is registered with gitFs so isomorphic-git finds them.

import * as fs from 'fs';
import * as path from 'path';
import { registerWorktree } from './gitFs';

export interface RepoLayout {
  /** the working tree. */
  dir: string;
  /** this working tree's git directory (HEAD, index, MERGE_HEAD). */
  gitdir: string;
  /** where objects, refs and config live (= gitdir unless a linked worktree). */
  commondir: string;
}

/** Synchronous on purpose (a few small reads): GitClient's constructor needs it. */
export function resolveRepoLayout(dir: string): RepoLayout {
  const root = path.resolve(dir);
  const dotGit = path.join(root, '.git');
  let gitdir = dotGit;
  try {
    const st = fs.statSync(dotGit);
    if (st.isFile()) {
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(dotGit, 'utf8'));
      if (m) gitdir = path.resolve(root, m[1]);
    }
  } catch {
    /* no repository yet: the default layout */
  }
  let commondir = gitdir;
  try {
    const c = fs.readFileSync(path.join(gitdir, 'commondir'), 'utf8').trim();
    if (c) commondir = path.resolve(gitdir, c);
  } catch {
    /* not a linked worktree */
  }
  registerWorktree(gitdir, commondir);
  return { dir: root, gitdir, commondir };
}
