// The one thing a merge needs from a submodule's own repository: whether one of the two commits both sides moved it
// to contains the other (git then takes the newer one: "Fast-forwarding submodule"), with the base an ancestor of
// both. The repository is the submodule's checkout in the working tree, or `.git/modules/<path>`.

import * as fs from 'fs';
import * as path from 'path';
import { isogit } from '../isogit';
import { gitFs } from './gitFs';
import { resolveRepoLayout } from './repoLayout';

/** The commit a merge can take for the submodule at `p`, or undefined (not at hand, or no fast-forward): a conflict. */
export async function fastForwardSubmodule(workdir: string, gitdir: string, p: string, base: string, ours: string, theirs: string): Promise<string | undefined> {
  for (const candidate of [path.join(workdir, p), path.join(gitdir, 'modules', p)]) {
    let subGitdir: string;
    try {
      if (!fs.existsSync(candidate)) continue;
      subGitdir = fs.existsSync(path.join(candidate, 'objects')) ? candidate : resolveRepoLayout(candidate).commondir;
      if (!fs.existsSync(path.join(subGitdir, 'objects'))) continue;
    } catch {
      continue;
    }
    const cache = {};
    const contains = async (oid: string, ancestor: string): Promise<boolean> =>
      oid === ancestor || (await isogit().isDescendent({ fs: gitFs, gitdir: subGitdir, oid, ancestor, depth: -1, cache }).catch(() => false));
    if (!(await contains(ours, base)) || !(await contains(theirs, base))) return undefined;
    if (await contains(theirs, ours)) return theirs;
    if (await contains(ours, theirs)) return ours;
    return undefined;
  }
  return undefined;
}
