// What is checked out in the repository holding a folder: its HEAD file as git keeps it (`ref: refs/heads/<branch>`,
// or a commit id when detached), read synchronously. The editors note it when an edit begins and compare it when they
// write, so that keys typed before a `git checkout` from a terminal do not land unasked on the other branch's file
// (requestPanels.ts). A few `stat`s to find the repository (remembered per folder) and one read of a small file.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gitDirAt } from './plumbing/repoLayout';

/** folder -> the git directory holding its HEAD (only found ones: a repository made later is still found). */
const gitDirs = new Map<string, string>();

/** The git directory of the repository holding `dir` (the nearest working tree at or above it: gitDirAt). */
function gitDirOf(dir: string): string | undefined {
  const known = gitDirs.get(dir);
  if (known) return known;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const found = gitDirAt(d);
    if (found) {
      gitDirs.set(dir, found);
      return found;
    }
    if (path.dirname(d) === d) return undefined;
  }
}

/** The HEAD of the repository holding `dir`, trimmed (`ref: refs/heads/main`, or a commit id); undefined: none. */
export function checkedOut(dir: string): string | undefined {
  const gitDir = gitDirOf(dir);
  if (!gitDir) return undefined;
  try {
    return readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
  } catch {
    return undefined;
  }
}
