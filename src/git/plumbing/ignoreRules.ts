// Which untracked paths git ignores, as git decides it: every `.gitignore` from the path's folder up to the root
// (the deepest deciding), then `.git/info/exclude`, then core.excludesFile (default
// `$XDG_CONFIG_HOME/git/ignore`, else `~/.config/git/ignore`); within one file the last matching line wins; a
// path inside an ignored folder is ignored (a `!` line cannot bring it back). Case-sensitive, unless
// core.ignoreCase is true.

import * as fs from 'fs';
import * as path from 'path';
import { expandHome, GitConfig, xdgGitFile } from './gitConfig';
import { realGitPath } from './gitFs';
import { matchPattern, parsePattern, type PathPattern } from './pathPattern';

interface PatternFile {
  /** folder of the file relative to the work tree ('' = root, for the global files too). */
  base: string;
  patterns: PathPattern[];
}

function readPatterns(file: string, base: string, ignoreCase: boolean): PatternFile | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const patterns: PathPattern[] = [];
  for (const line of text.split(/\r?\n/)) {
    const p = parsePattern(line, ignoreCase);
    if (p) patterns.push(p);
  }
  return patterns.length ? { base, patterns } : null;
}

/** The decision of one file's patterns: true ignored, false re-included, undefined no line matched. */
function decide(file: PatternFile, rel: string, isDirectory: boolean): boolean | undefined {
  const sub = file.base ? rel.slice(file.base.length + 1) : rel;
  for (let i = file.patterns.length - 1; i >= 0; i--) {
    const p = file.patterns[i];
    if (matchPattern(p, sub, isDirectory)) return !p.negated;
  }
  return undefined;
}

export class IgnoreRules {
  private readonly perDir = new Map<string, PatternFile | null>();
  private readonly globals: PatternFile[];
  private readonly ignoreCase: boolean;
  private readonly dirVerdicts = new Map<string, boolean>();

  /**
   * @param dir the work tree
   * @param gitdir the git directory (info/exclude and config are found through it, a linked worktree's too)
   */
  constructor(
    private readonly dir: string,
    gitdir: string,
    config: GitConfig = GitConfig.load(gitdir),
  ) {
    this.ignoreCase = config.bool('core.ignorecase', false);
    const excludes = config.string('core.excludesfile');
    this.globals = [readPatterns(realGitPath(path.join(gitdir, 'info', 'exclude')), '', this.ignoreCase), readPatterns(excludes ? expandHome(excludes) : xdgGitFile('ignore'), '', this.ignoreCase)].filter(
      (f): f is PatternFile => f !== null,
    );
  }

  private fileOf(folder: string): PatternFile | null {
    let f = this.perDir.get(folder);
    if (f === undefined) {
      f = readPatterns(path.join(this.dir, folder, '.gitignore'), folder, this.ignoreCase);
      this.perDir.set(folder, f);
    }
    return f;
  }

  /** The verdict for `rel` itself, its parent folders not considered. */
  private own(rel: string, isDirectory: boolean): boolean {
    let folder = rel;
    for (;;) {
      const slash = folder.lastIndexOf('/');
      folder = slash < 0 ? '' : folder.slice(0, slash);
      const f = this.fileOf(folder);
      if (f) {
        const v = decide(f, rel, isDirectory);
        if (v !== undefined) return v;
      }
      if (folder === '') break;
    }
    for (const g of this.globals) {
      const v = decide(g, rel, isDirectory);
      if (v !== undefined) return v;
    }
    return false;
  }

  /** Whether git ignores the untracked path `rel` (relative, `/`-separated), counting ignored parent folders. */
  isIgnored(rel: string, isDirectory: boolean): boolean {
    const parts = rel.split('/');
    let prefix = '';
    for (let i = 0; i < parts.length - 1; i++) {
      prefix = prefix ? `${prefix}/${parts[i]}` : parts[i];
      let v = this.dirVerdicts.get(prefix);
      if (v === undefined) {
        v = this.own(prefix, true);
        this.dirVerdicts.set(prefix, v);
      }
      if (v) return true;
    }
    return this.own(rel, isDirectory);
  }

  /** Like isIgnored, for callers that know every parent folder was already found not ignored (a tree walk). */
  isIgnoredHere(rel: string, isDirectory: boolean): boolean {
    return this.own(rel, isDirectory);
  }
}
