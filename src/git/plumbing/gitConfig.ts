// The few git config values the plumbing needs (core.fileMode, core.autocrlf, core.excludesFile, ...), read as git
// reads them: the global files ($XDG_CONFIG_HOME/git/config or ~/.config/git/config, then ~/.gitconfig), then the
// repository's config, the later winning. isomorphic-git reads only the repository's file. Parsed files are kept
// while their mtime and size stay the same.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acquireLockFile } from '../indexLock';
import { realGitPath } from './gitFs';

type Values = Map<string, string | true>;

const parsed = new Map<string, { stamp: string; values: Values }>();

/** Forgets every config file parsed so far (processCaches.forgetProcessCaches). */
export function forgetParsedConfig(): void {
  parsed.clear();
}

/** `section.sub.key` (section and key lower-cased, the subsection as written) -> last value; a bare key is `true`. */
export function parseConfig(text: string): Values {
  const out: Values = new Map();
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (sec) {
      const parts = sec[1].split('.');
      section = parts[0].toLowerCase() + (parts.length > 1 ? '.' + parts.slice(1).join('.').toLowerCase() : '') + (sec[2] !== undefined ? '.' + sec[2].replace(/\\(.)/g, '$1') : '');
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (!kv || !section) continue;
    const key = `${section}.${kv[1].toLowerCase()}`;
    if (kv[2] === undefined) {
      out.set(key, true);
      continue;
    }
    let v = '';
    let quoted = false;
    const s = kv[2];
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '"') quoted = !quoted;
      else if (c === '\\' && i + 1 < s.length) {
        const n = s[++i];
        v += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      } else if (!quoted && (c === '#' || c === ';')) break;
      else v += c;
    }
    out.set(key, quoted ? v : v.trim());
  }
  return out;
}

function readConfigFile(file: string): Values {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return new Map();
  }
  // ctime and inode too: two writes of one size within a millisecond (`git config` twice in a script) differ there
  const stamp = `${st.mtimeMs}:${st.ctimeMs}:${st.size}:${st.ino}`;
  const known = parsed.get(file);
  if (known && known.stamp === stamp) return known.values;
  let values: Values;
  try {
    values = parseConfig(fs.readFileSync(file, 'utf8'));
  } catch {
    values = new Map();
  }
  parsed.set(file, { stamp, values });
  return values;
}

export function homeDir(): string {
  return process.env.HOME || os.homedir();
}

/** `$XDG_CONFIG_HOME/git/<name>`, or `~/.config/git/<name>`. */
export function xdgGitFile(name: string): string {
  const xdg = process.env.XDG_CONFIG_HOME;
  return path.join(xdg ? xdg : path.join(homeDir(), '.config'), 'git', name);
}

export function expandHome(p: string): string {
  return p.startsWith('~/') ? path.join(homeDir(), p.slice(2)) : p;
}

export class GitConfig {
  private constructor(private readonly values: Values) {}

  /** The effective config of the repository of `gitdir` (a linked worktree's config is its common directory's). */
  static load(gitdir: string): GitConfig {
    const merged: Values = new Map();
    const files = process.env.GIT_CONFIG_NOSYSTEM ? [] : ['/etc/gitconfig'];
    files.push(xdgGitFile('config'), path.join(homeDir(), '.gitconfig'), realGitPath(path.join(gitdir, 'config')));
    for (const f of files) for (const [k, v] of readConfigFile(f)) merged.set(k, v);
    return new GitConfig(merged);
  }

  get(key: string): string | true | undefined {
    return this.values.get(key.toLowerCase());
  }

  string(key: string): string | undefined {
    const v = this.get(key);
    return v === true ? 'true' : v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.get(key);
    if (v === undefined) return fallback;
    if (v === true) return true;
    const s = v.toLowerCase();
    if (['true', 'yes', 'on', '1'].includes(s)) return true;
    if (['false', 'no', 'off', '0', ''].includes(s)) return false;
    return fallback;
  }
}

/**
 * Removes the section `[<section> "<subsection>"]` (and its lines) from the repository's config file, as git does
 * when it deletes a branch (`git branch -D` drops `[branch "<name>"]`): under `config.lock`, the file read once
 * locked, its mode kept. Nothing is written when the file has no such section.
 */
export async function removeConfigSection(gitdir: string, section: string, subsection: string): Promise<void> {
  const file = realGitPath(path.join(gitdir, 'config'));
  const matches = (line: string): boolean | undefined => {
    const sec = /^\s*\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (!sec) return undefined;
    if (sec[2] !== undefined) return sec[1].toLowerCase() === section.toLowerCase() && sec[2].replace(/\\(.)/g, '$1') === subsection;
    return sec[1].toLowerCase() === `${section}.${subsection}`.toLowerCase(); // the old [branch.name] form
  };
  const drop = (text: string): string => {
    let removing = false;
    return (text.match(/[^\n]*\n|[^\n]+$/g) ?? [])
      .filter((line) => {
        const m = matches(line);
        if (m !== undefined) removing = m;
        return !removing;
      })
      .join('');
  };
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch {
    return;
  }
  if (drop(text) === text) return;
  const mode = (await fs.promises.stat(file)).mode & 0o7777;
  const handle = await acquireLockFile(`${file}.lock`, {}, mode);
  let committed = false;
  try {
    await handle.writeFile(drop(await fs.promises.readFile(file, 'utf8')));
    await handle.sync();
    await handle.close();
    await fs.promises.rename(`${file}.lock`, file);
    committed = true;
  } finally {
    if (!committed) {
      await handle.close().catch(() => undefined);
      await fs.promises.unlink(`${file}.lock`).catch(() => undefined);
    }
  }
}
