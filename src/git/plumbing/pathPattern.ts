// gitignore / gitattributes patterns as git matches them (wildmatch with WM_PATHNAME): `*` and `?` never match
// `/`, `**` spans folders, `[...]` classes, `\` escapes; a pattern without a slash (other than a trailing one)
// matches the name at any depth below its file's folder, one with a slash is anchored there. Case-sensitive
// unless core.ignoreCase.

export interface PathPattern {
  /** the pattern as written (after `!` and the trailing `/` are taken off). */
  source: string;
  negated: boolean;
  /** a trailing `/`: matches directories only. */
  dirOnly: boolean;
  /** matched against the path relative to the pattern's folder, or against the base name only. */
  anchored: boolean;
  regex: RegExp;
}

function classToRegex(p: string, i: number): [string, number] | null {
  // p[i] === '['
  let j = i + 1;
  let out = '[';
  if (p[j] === '!' || p[j] === '^') {
    out += '^';
    j++;
  }
  let first = true;
  for (; j < p.length; j++) {
    const c = p[j];
    if (c === ']' && !first) return [out + ']', j];
    first = false;
    if (c === '\\' && j + 1 < p.length) {
      out += '\\' + p[++j];
      continue;
    }
    if (c === '[' && p[j + 1] === ':') {
      const end = p.indexOf(':]', j + 2);
      if (end > 0) {
        const name = p.slice(j + 2, end);
        const map: Record<string, string> = {
          alnum: 'a-zA-Z0-9',
          alpha: 'a-zA-Z',
          digit: '0-9',
          lower: 'a-z',
          upper: 'A-Z',
          space: '\\s',
          xdigit: '0-9a-fA-F',
          punct: '!-\\/:-@\\[-`{-~',
          blank: ' \\t',
          cntrl: '\\x00-\\x1f\\x7f',
          graph: '!-~',
          print: ' -~',
        };
        out += map[name] ?? '';
        j = end + 1;
        continue;
      }
    }
    out += /[\]\\^-]/.test(c) && c !== '-' ? '\\' + c : c === '/' ? '' : c;
  }
  return null;
}

/** The regex body for a wildmatch pattern (WM_PATHNAME). */
export function wildmatchToRegex(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') {
      if (p[i + 1] === '*') {
        const atStart = i === 0 || p[i - 1] === '/';
        let k = i;
        while (p[k] === '*') k++;
        const atEnd = k === p.length || p[k] === '/';
        if (atStart && atEnd) {
          if (k === p.length) out += '.*';
          else {
            out += '(?:.*/)?';
            k++; // the slash
          }
          i = k - 1;
          continue;
        }
        i = k - 1;
        out += '[^/]*';
        continue;
      }
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const cls = classToRegex(p, i);
      if (cls) {
        out += cls[0];
        i = cls[1];
      } else out += '\\[';
    } else if (c === '\\' && i + 1 < p.length) {
      out += p[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out;
}

/** Parses one line of a .gitignore / .gitattributes pattern; null for blank lines and comments. */
export function parsePattern(line: string, ignoreCase = false, allowNegation = true): PathPattern | null {
  let p = line;
  if (!p || p.startsWith('#')) return null;
  // trailing spaces are dropped unless escaped
  p = p.replace(/(?<!\\)[ \t]+$/, '');
  if (!p) return null;
  let negated = false;
  if (allowNegation && p.startsWith('!')) {
    negated = true;
    p = p.slice(1);
  } else if (p.startsWith('\\!') || p.startsWith('\\#')) p = p.slice(1);
  let dirOnly = false;
  if (p.endsWith('/') && !p.endsWith('\\/')) {
    dirOnly = true;
    p = p.replace(/\/+$/, '');
  }
  if (!p) return null;
  const anchored = p.includes('/');
  if (p.startsWith('/')) p = p.slice(1);
  const regex = new RegExp('^' + wildmatchToRegex(p) + '$', ignoreCase ? 'i' : '');
  return { source: p, negated, dirOnly, anchored, regex };
}

/** Whether `pattern` matches `rel` (relative to the pattern's folder, `/`-separated). */
export function matchPattern(pattern: PathPattern, rel: string, isDirectory: boolean): boolean {
  if (pattern.dirOnly && !isDirectory) return false;
  if (pattern.anchored) return pattern.regex.test(rel);
  const slash = rel.lastIndexOf('/');
  return pattern.regex.test(slash < 0 ? rel : rel.slice(slash + 1));
}
