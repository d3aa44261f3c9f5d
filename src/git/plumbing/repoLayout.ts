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

/**
 * The git directory of the working tree at `root`: its `.git` folder, or where its `.git` file's `gitdir:` points;
 * undefined when neither is there. Synchronous (a stat, maybe one small read).
 */
export function gitDirAt(root: string): string | undefined {
  const dotGit = path.join(root, '.git');
  try {
    if (fs.statSync(dotGit).isDirectory()) return dotGit;
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(dotGit, 'utf8'));
    return m ? path.resolve(root, m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Synchronous on purpose (a few small reads): GitClient's constructor needs it. */
export function resolveRepoLayout(dir: string): RepoLayout {
  const root = path.resolve(dir);
  // no repository yet (or a `.git` file naming none): the default layout
  const gitdir = gitDirAt(root) ?? path.join(root, '.git');
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
