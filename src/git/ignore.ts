// .gitignore rules (plus .git/info/exclude), through isomorphic-git's matcher. Only asked about names the index
// does not know, so its per-call file reads stay cheap; directories are asked once with a trailing slash so
// that `dir/` patterns apply and an ignored directory is never descended into.

import * as fs from 'fs';
import * as git from 'isomorphic-git';

export class IgnoreRules {
  constructor(
    private readonly dir: string,
    private readonly gitdir: string,
  ) {}

  async isIgnored(filepath: string, isDirectory: boolean): Promise<boolean> {
    if (isDirectory) {
      // `ignore` matches a `name/` pattern against a path ending in '/'; a plain pattern matches either form
      if (await git.isIgnored({ fs, dir: this.dir, gitdir: this.gitdir, filepath: filepath + '/' })) return true;
    }
    return git.isIgnored({ fs, dir: this.dir, gitdir: this.gitdir, filepath });
  }
}
