// Sparse checkout (core.sparseCheckout with `.git/info/sparse-checkout`, cone or pattern mode): which paths a
// checkout writes. Paths outside are kept in the index with the skip-worktree bit and never written; status never
// looks at them. Cone-mode files are pattern files too (`/*`, `!/*/`, `/dir/`), so one matcher serves both: the
// last pattern matching the file, or else its nearest folder, decides.

import * as fs from 'fs';
import * as path from 'path';
import type { GitConfig } from './gitConfig';
import { matchPattern, parsePattern, type PathPattern } from './pathPattern';

export class SparseCheckout {
  private constructor(private readonly patterns: PathPattern[]) {}

  /** The sparse rules of the worktree of `gitdir`, or undefined when sparse checkout is off. */
  static load(gitdir: string, config: GitConfig): SparseCheckout | undefined {
    if (!config.bool('core.sparsecheckout', false)) return undefined;
    let text: string;
    try {
      text = fs.readFileSync(path.join(gitdir, 'info', 'sparse-checkout'), 'utf8');
    } catch {
      return undefined;
    }
    const patterns = text
      .split(/\r?\n/)
      .map((l) => parsePattern(l))
      .filter((p): p is PathPattern => p !== null);
    return new SparseCheckout(patterns);
  }

  private decide(rel: string, isDirectory: boolean): boolean | undefined {
    for (let i = this.patterns.length - 1; i >= 0; i--) {
      if (matchPattern(this.patterns[i], rel, isDirectory)) return !this.patterns[i].negated;
    }
    return undefined;
  }

  /** Whether a checkout writes the file `rel`. */
  includes(rel: string): boolean {
    const own = this.decide(rel, false);
    if (own !== undefined) return own;
    let d = rel;
    for (;;) {
      const slash = d.lastIndexOf('/');
      if (slash < 0) return false;
      d = d.slice(0, slash);
      const v = this.decide(d, true);
      if (v !== undefined) return v;
    }
  }
}
