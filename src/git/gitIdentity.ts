// Git configuration as git resolves it, for the values Hammock asks git for (the commit author above all):
// the system file, the global files, the repository's file, its worktree file and GIT_CONFIG_COUNT pairs, in
// that order, the later winning; `include.path` and `includeIf "gitdir:"` / `"gitdir/i:"` / `"onbranch:"` /
// `"hasconfig:remote.*.url:"` are followed where they stand, as git does. isomorphic-git reads only `.git/config`, so a user whose name and
// email live in `~/.gitconfig` (nearly everyone) was asked again and had them written into the repository.
//
// The author is resolved as `git commit` does (ident.c): GIT_AUTHOR_NAME / GIT_AUTHOR_EMAIL, then author.name /
// author.email, then user.name / user.email, then $EMAIL; with git's "crud" trimmed. git's last resort (the
// passwd entry and the host name) is not guessed: Hammock asks instead, as git does with user.useConfigOnly.
// Pure: no 'vscode'; reads files only.

import * as fsp from 'fs/promises';
import * as os from 'os';
import * as path from 'path';
import { wildmatchToRegex } from './plumbing/pathPattern';

export interface ConfigEntry {
  /** lower-cased section, e.g. `user`, `includeif`. */
  section: string;
  /** the subsection as written (case-sensitive), or undefined. */
  subsection?: string;
  /** lower-cased variable name. */
  name: string;
  /** null for a bare `key` (boolean true). */
  value: string | null;
  /** the file it came from (undefined for the environment). */
  file?: string;
}

export interface ConfigSources {
  /** the environment to read (HOME, XDG_CONFIG_HOME, GIT_CONFIG_*; default process.env). */
  env?: NodeJS.ProcessEnv;
  /** git's system file when GIT_CONFIG_SYSTEM is not set (default: `/etc/gitconfig`, `$(prefix)/etc/gitconfig`). */
  systemFile?: string;
  /** the repository's git directory (a linked worktree's own one); none: only system, global and environment. */
  gitdir?: string;
  /** where its config lives (the common directory of a linked worktree; default gitdir). */
  commondir?: string;
}

const MAX_INCLUDE_DEPTH = 10;

/** Parses one config file's text into entries, in order (git's config.c rules, lenient on errors). */
export function parseConfigEntries(text: string, file?: string): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  let section: string | undefined;
  let subsection: string | undefined;
  let i = 0;
  const n = text.length;
  const skipLine = (): void => {
    while (i < n && text[i] !== '\n') i++;
  };
  while (i < n) {
    const c = text[i];
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#' || c === ';') {
      skipLine();
      continue;
    }
    if (c === '\ufeff' && i === 0) {
      i++;
      continue;
    }
    if (c === '[') {
      const header = parseSectionHeader(text, i + 1);
      if (!header) {
        section = undefined;
        skipLine();
        continue;
      }
      section = header.section;
      subsection = header.subsection;
      i = header.end;
      continue;
    }
    if (!/[A-Za-z]/.test(c) || section === undefined) {
      skipLine();
      continue;
    }
    let j = i;
    while (j < n && /[A-Za-z0-9-]/.test(text[j])) j++;
    const name = text.slice(i, j).toLowerCase();
    while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
    if (j >= n || text[j] === '\n' || text[j] === '\r' || text[j] === '#' || text[j] === ';') {
      out.push({ section, subsection, name, value: null, file });
      i = j;
      skipLine();
      continue;
    }
    if (text[j] !== '=') {
      i = j;
      skipLine();
      continue;
    }
    j++;
    // the value: leading blanks dropped, trailing unquoted blanks dropped, escapes, quotes, continuation lines
    let value = '';
    let pendingSpace = '';
    let quoted = false;
    let started = false;
    for (; j < n; j++) {
      const ch = text[j];
      if (ch === '\n') {
        break;
      }
      if (ch === '\r' && text[j + 1] === '\n') continue;
      if (!quoted && (ch === '#' || ch === ';')) {
        while (j < n && text[j] !== '\n') j++;
        break;
      }
      if (!quoted && (ch === ' ' || ch === '\t')) {
        if (started) pendingSpace += ch;
        continue;
      }
      if (ch === '\\') {
        const next = text[j + 1];
        if (next === '\n') {
          j++;
          continue;
        }
        if (next === '\r' && text[j + 2] === '\n') {
          j += 2;
          continue;
        }
        const esc: Record<string, string> = { n: '\n', t: '\t', b: '\b', '"': '"', '\\': '\\' };
        if (next !== undefined && esc[next] !== undefined) {
          value += pendingSpace + esc[next];
          pendingSpace = '';
          started = true;
          j++;
          continue;
        }
        // an invalid escape: git refuses the file; keep the character
        value += pendingSpace + (next ?? '');
        pendingSpace = '';
        started = true;
        j++;
        continue;
      }
      if (ch === '"') {
        quoted = !quoted;
        value += pendingSpace;
        pendingSpace = '';
        started = true;
        continue;
      }
      value += pendingSpace + ch;
      pendingSpace = '';
      started = true;
    }
    out.push({ section, subsection, name, value, file });
    i = j;
  }
  return out;
}

function parseSectionHeader(text: string, start: number): { section: string; subsection?: string; end: number } | undefined {
  let i = start;
  while (text[i] === ' ' || text[i] === '\t') i++;
  let j = i;
  while (j < text.length && /[A-Za-z0-9.-]/.test(text[j])) j++;
  const name = text.slice(i, j);
  if (!name) return undefined;
  let k = j;
  while (text[k] === ' ' || text[k] === '\t') k++;
  if (text[k] === ']') {
    // [section] or the deprecated [section.subsection] (its subsection lower-cased)
    const dot = name.indexOf('.');
    if (dot < 0) return { section: name.toLowerCase(), end: k + 1 };
    return { section: name.slice(0, dot).toLowerCase(), subsection: name.slice(dot + 1).toLowerCase(), end: k + 1 };
  }
  if (text[k] !== '"' || name.includes('.')) return undefined;
  let sub = '';
  k++;
  for (; k < text.length; k++) {
    const ch = text[k];
    if (ch === '\n') return undefined;
    if (ch === '"') break;
    if (ch === '\\' && k + 1 < text.length && text[k + 1] !== '\n') {
      sub += text[++k];
      continue;
    }
    sub += ch;
  }
  if (text[k] !== '"' || text[k + 1] !== ']') return undefined;
  return { section: name.toLowerCase(), subsection: sub, end: k + 2 };
}

function envTrue(v: string | undefined): boolean {
  if (v === undefined) return false;
  const s = v.trim().toLowerCase();
  if (['false', 'no', 'off', '0', ''].includes(s)) return false;
  return true;
}

/** A file's identity as the cache compares it: `missing`, or mtime, ctime, size and inode (as plumbing/gitConfig.ts). */
async function fileStamp(file: string): Promise<string> {
  try {
    const st = await fsp.stat(file);
    return `${st.mtimeMs}:${st.ctimeMs}:${st.size}:${st.ino}`;
  } catch {
    return 'missing';
  }
}

/** Reads `file` (undefined when it cannot be read); with `stamps`, its identity is taken first (a later edit is seen). */
async function readText(file: string, stamps?: Map<string, string>): Promise<string | undefined> {
  if (stamps && !stamps.has(file)) stamps.set(file, await fileStamp(file));
  try {
    return await fsp.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function realpathOr(p: string): Promise<string> {
  try {
    return await fsp.realpath(p);
  } catch {
    return p;
  }
}

function expandTilde(p: string, env: NodeJS.ProcessEnv): string | undefined {
  if (p === '~' || p.startsWith('~/')) {
    const home = env.HOME;
    if (!home) return undefined;
    return path.join(home, p.slice(1));
  }
  return p;
}

/** git's default system file: `/etc/gitconfig` on Linux; Homebrew's and Git for Windows' prefixes elsewhere. */
export function defaultSystemFile(): string {
  if (process.platform === 'win32') {
    const programFiles = process.env.ProgramFiles ?? 'C:\\Program Files';
    return path.join(programFiles, 'Git', 'etc', 'gitconfig');
  }
  if (process.platform === 'darwin') return process.arch === 'arm64' ? '/opt/homebrew/etc/gitconfig' : '/usr/local/etc/gitconfig';
  return '/etc/gitconfig';
}

/** The configuration of a repository (or none), every entry in git's order, includes followed. */
export class ResolvedConfig {
  constructor(readonly entries: readonly ConfigEntry[]) {}

  /** The last value of `section[.subsection].name` (as `git config <key>`); null for a bare key; undefined if unset. */
  get(key: string): string | null | undefined {
    const all = this.getAll(key);
    return all.length ? all[all.length - 1] : undefined;
  }

  getAll(key: string): (string | null)[] {
    const first = key.indexOf('.');
    const last = key.lastIndexOf('.');
    if (first < 0) return [];
    const section = key.slice(0, first).toLowerCase();
    const name = key.slice(last + 1).toLowerCase();
    const subsection = first === last ? undefined : key.slice(first + 1, last);
    return this.entries.filter((e) => e.section === section && e.name === name && e.subsection === subsection).map((e) => e.value);
  }

  /** Which file set `key` last (for messages: "from ~/.gitconfig"). */
  origin(key: string): string | undefined {
    const first = key.indexOf('.');
    const last = key.lastIndexOf('.');
    const section = key.slice(0, first).toLowerCase();
    const name = key.slice(last + 1).toLowerCase();
    const subsection = first === last ? undefined : key.slice(first + 1, last);
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      if (e.section === section && e.name === name && e.subsection === subsection) return e.file;
    }
    return undefined;
  }

  bool(key: string): boolean | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (v === null) return true;
    const s = v.toLowerCase();
    if (['true', 'yes', 'on'].includes(s)) return true;
    if (['false', 'no', 'off', ''].includes(s)) return false;
    const num = Number(s);
    return Number.isFinite(num) ? num !== 0 : undefined;
  }
}

interface ReadContext {
  env: NodeJS.ProcessEnv;
  gitdir?: string;
  gitdirReal?: string;
  branch?: string | null;
  /** every file of the configuration, in git's order (the scan for remote URLs reads them all). */
  files: readonly string[];
  /** the `remote.<name>.url` values of the whole configuration, read the first time a hasconfig: condition is met. */
  remoteUrls?: string[];
  /** while scanning for remote URLs: hasconfig: includes are followed unconditionally, as git's scan does. */
  scanningRemoteUrls?: boolean;
  /** every file read (or looked for) so far, with its identity before it was read (cachedConfig). */
  stamps?: Map<string, string>;
}

/**
 * git's populate_remote_urls: every `remote.<name>.url` of the whole configuration (every file, includes followed,
 * hasconfig: ones unconditionally), the command-line pairs last. A file included by a hasconfig: condition may not set
 * a remote URL (git refuses the whole configuration); such URLs are not counted here.
 */
async function remoteUrlsOf(ctx: ReadContext): Promise<string[]> {
  const scan: ReadContext = { ...ctx, scanningRemoteUrls: true };
  const entries: ConfigEntry[] = [];
  for (const file of ctx.files) await readFileEntries(file, scan, 0, entries);
  entries.push(...commandLineEntries(ctx.env));
  ctx.branch = scan.branch;
  return entries.filter((e) => e.section === 'remote' && e.subsection !== undefined && e.name === 'url' && e.value).map((e) => e.value!);
}

async function currentBranch(gitdir: string, stamps?: Map<string, string>): Promise<string | null> {
  const head = await readText(path.join(gitdir, 'HEAD'), stamps);
  const m = head && /^ref:\s*refs\/heads\/(.+?)\s*$/m.exec(head);
  return m ? m[1] : null;
}

function globMatch(pattern: string, text: string, ignoreCase: boolean): boolean {
  try {
    return new RegExp(`^${wildmatchToRegex(pattern)}$`, ignoreCase ? 'i' : '').test(text);
  } catch {
    return false;
  }
}

/** git's include_by_gitdir: `~/` and `./` expanded, a relative pattern gets `**\/`, a trailing `/` gets `**`. */
function gitdirMatches(raw: string, includingFile: string | undefined, ctx: ReadContext, ignoreCase: boolean): boolean {
  if (!ctx.gitdir) return false;
  let pattern: string | undefined = raw;
  if (pattern.startsWith('./')) {
    if (!includingFile) return false;
    pattern = path.join(path.dirname(includingFile), pattern.slice(2));
  } else pattern = expandTilde(pattern, ctx.env);
  if (pattern === undefined) return false;
  if (!path.isAbsolute(pattern)) pattern = '**/' + pattern;
  if (pattern.endsWith('/')) pattern += '**';
  const candidates = [ctx.gitdir, ctx.gitdirReal].filter((c): c is string => !!c);
  return candidates.some((c) => globMatch(pattern!, c, ignoreCase));
}

async function conditionHolds(condition: string, includingFile: string | undefined, ctx: ReadContext): Promise<boolean> {
  if (condition.startsWith('gitdir:')) return gitdirMatches(condition.slice(7), includingFile, ctx, false);
  if (condition.startsWith('gitdir/i:')) return gitdirMatches(condition.slice(9), includingFile, ctx, true);
  if (condition.startsWith('onbranch:')) {
    if (!ctx.gitdir) return false;
    if (ctx.branch === undefined) ctx.branch = await currentBranch(ctx.gitdir, ctx.stamps);
    if (!ctx.branch) return false;
    let pattern = condition.slice(9);
    if (pattern.endsWith('/')) pattern += '**';
    return globMatch(pattern, ctx.branch, false);
  }
  if (condition.startsWith('hasconfig:remote.*.url:')) {
    if (ctx.scanningRemoteUrls) return true;
    ctx.remoteUrls ??= await remoteUrlsOf(ctx);
    const pattern = condition.slice('hasconfig:remote.*.url:'.length);
    return ctx.remoteUrls.some((url) => globMatch(pattern, url, false));
  }
  return false; // unknown conditions are not followed, as git does
}

async function readFileEntries(file: string, ctx: ReadContext, depth: number, out: ConfigEntry[]): Promise<void> {
  const text = await readText(file, ctx.stamps);
  if (text === undefined) return;
  for (const entry of parseConfigEntries(text, file)) {
    out.push(entry);
    if (entry.name !== 'path' || entry.value === null || !entry.value) continue;
    let follow = false;
    if (entry.section === 'include' && entry.subsection === undefined) follow = true;
    else if (entry.section === 'includeif' && entry.subsection !== undefined) follow = await conditionHolds(entry.subsection, file, ctx);
    if (!follow) continue;
    if (depth >= MAX_INCLUDE_DEPTH) continue; // git dies here; a config that loops must not hang the editor
    const expanded = expandTilde(entry.value, ctx.env);
    if (expanded === undefined) continue;
    const target = path.isAbsolute(expanded) ? expanded : path.join(path.dirname(file), expanded);
    if (ctx.scanningRemoteUrls && entry.subsection?.startsWith('hasconfig:')) {
      // git refuses a remote URL set in a file a hasconfig: condition includes; it is not counted
      const included: ConfigEntry[] = [];
      await readFileEntries(target, ctx, depth + 1, included);
      out.push(...included.filter((e) => !(e.section === 'remote' && e.name === 'url')));
    } else await readFileEntries(target, ctx, depth + 1, out);
  }
}

/** The files git reads, in order, for these sources (what `git config --list --show-origin` starts from). */
export function configFiles(sources: ConfigSources = {}): { scope: 'system' | 'global' | 'local' | 'worktree'; file: string }[] {
  const env = sources.env ?? process.env;
  const files: { scope: 'system' | 'global' | 'local' | 'worktree'; file: string }[] = [];
  if (!envTrue(env.GIT_CONFIG_NOSYSTEM)) files.push({ scope: 'system', file: env.GIT_CONFIG_SYSTEM || sources.systemFile || defaultSystemFile() });
  if (env.GIT_CONFIG_GLOBAL !== undefined) {
    if (env.GIT_CONFIG_GLOBAL) files.push({ scope: 'global', file: env.GIT_CONFIG_GLOBAL });
  } else {
    const home = env.HOME;
    const xdg = env.XDG_CONFIG_HOME ? path.join(env.XDG_CONFIG_HOME, 'git', 'config') : home ? path.join(home, '.config', 'git', 'config') : undefined;
    if (xdg) files.push({ scope: 'global', file: xdg });
    if (home) files.push({ scope: 'global', file: path.join(home, '.gitconfig') });
  }
  if (sources.gitdir) files.push({ scope: 'local', file: path.join(sources.commondir ?? sources.gitdir, 'config') });
  return files;
}

/** Reads the configuration git would see for `sources`. */
export async function resolveConfig(sources: ConfigSources = {}): Promise<ResolvedConfig> {
  return resolveConfigRecording(sources);
}

/** Configurations resolved by cachedConfig, by their sources, with the identity of every file they read. */
const resolvedConfigs = new Map<string, { stamps: Map<string, string>; config: ResolvedConfig }>();
const MAX_RESOLVED_CONFIGS = 32;

/** Forgets the configurations cachedConfig kept (processCaches.forgetProcessCaches). */
export function forgetResolvedConfigs(): void {
  resolvedConfigs.clear();
}

/**
 * resolveConfig, kept while every file it read (system, global, local, worktree, each include, HEAD for onbranch:)
 * and every one it looked for in vain keeps its identity (mtime, ctime, size, inode; still missing): a check costs one
 * stat per file instead of reading and parsing them all, and any edit, a file appearing or going, is seen. For what is
 * asked on every fetch and push (connectUrl).
 */
export async function cachedConfig(sources: ConfigSources = {}): Promise<ResolvedConfig> {
  const env = sources.env ?? process.env;
  const envKey = Object.keys(env)
    .filter((k) => k === 'HOME' || k === 'XDG_CONFIG_HOME' || k.startsWith('GIT_CONFIG'))
    .sort()
    .map((k) => [k, env[k]]);
  const key = JSON.stringify([envKey, sources.systemFile ?? null, sources.gitdir ?? null, sources.commondir ?? null]);
  const known = resolvedConfigs.get(key);
  if (known) {
    const now = await Promise.all([...known.stamps].map(async ([file, stamp]) => (await fileStamp(file)) === stamp));
    if (now.every(Boolean)) return known.config;
    resolvedConfigs.delete(key);
  }
  const stamps = new Map<string, string>();
  const config = await resolveConfigRecording(sources, stamps);
  if (resolvedConfigs.size >= MAX_RESOLVED_CONFIGS) resolvedConfigs.delete(resolvedConfigs.keys().next().value!);
  resolvedConfigs.set(key, { stamps, config });
  return config;
}

async function resolveConfigRecording(sources: ConfigSources, stamps?: Map<string, string>): Promise<ResolvedConfig> {
  const env = sources.env ?? process.env;
  const files = configFiles(sources).map((f) => f.file);
  const ctx: ReadContext = { env, files, stamps };
  if (sources.gitdir) {
    ctx.gitdir = path.resolve(sources.gitdir);
    ctx.gitdirReal = await realpathOr(ctx.gitdir);
  }
  const entries: ConfigEntry[] = [];
  for (const file of files) await readFileEntries(file, ctx, 0, entries);
  if (sources.gitdir) {
    const local = new ResolvedConfig(entries);
    if (local.bool('extensions.worktreeConfig')) {
      const worktreeFile = path.join(ctx.gitdir!, 'config.worktree');
      files.push(worktreeFile);
      await readFileEntries(worktreeFile, ctx, 0, entries);
    }
  }
  entries.push(...commandLineEntries(env));
  return new ResolvedConfig(entries);
}

/** GIT_CONFIG_COUNT / GIT_CONFIG_KEY_<n> / GIT_CONFIG_VALUE_<n> (git 2.31+), read after every file. */
function commandLineEntries(env: NodeJS.ProcessEnv): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  const count = Number(env.GIT_CONFIG_COUNT ?? 0);
  for (let k = 0; Number.isInteger(count) && k < count; k++) {
    const key = env[`GIT_CONFIG_KEY_${k}`];
    const value = env[`GIT_CONFIG_VALUE_${k}`];
    if (!key || value === undefined) continue;
    const first = key.indexOf('.');
    const last = key.lastIndexOf('.');
    if (first < 0) continue;
    entries.push({
      section: key.slice(0, first).toLowerCase(),
      subsection: first === last ? undefined : key.slice(first + 1, last),
      name: key.slice(last + 1).toLowerCase(),
      value,
    });
  }
  return entries;
}

// ------------------------------------------------------------------------------------------- the author

export interface GitIdentity {
  name: string;
  email: string;
}

export interface ResolvedAuthor {
  /** the name git would write, or undefined when git has none (it would ask, as with user.useConfigOnly). */
  name?: string;
  email?: string;
  /** where each came from, for messages: an environment variable or a config file. */
  nameFrom?: string;
  emailFrom?: string;
}

/** git's crud(): characters trimmed from both ends of a name or email. */
function crud(c: string): boolean {
  const code = c.charCodeAt(0);
  return code <= 32 || ',:;<>"\\\'.'.includes(c);
}

/** As git's strbuf_addstr_without_crud: crud trimmed at both ends, `<`, `>` and newlines removed inside. */
export function withoutCrud(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && crud(s[a])) a++;
  while (b > a && crud(s[b - 1])) b--;
  return s.slice(a, b).replace(/[\n<>]/g, '');
}

/** The author of a commit made now in the repository of `sources.gitdir`, as `git commit` resolves it. */
export async function resolveAuthor(sources: ConfigSources = {}): Promise<ResolvedAuthor> {
  const env = sources.env ?? process.env;
  const config = await resolveConfig(sources);
  const pick = (envName: string, keys: string[], fallbackEnv?: string): { value?: string; from?: string } => {
    const fromEnv = env[envName];
    if (fromEnv !== undefined) return { value: fromEnv, from: `$${envName}` };
    for (const key of keys) {
      const v = config.get(key);
      if (typeof v === 'string' && v !== '') return { value: v, from: config.origin(key) ?? 'the environment' };
    }
    if (fallbackEnv && env[fallbackEnv]) return { value: env[fallbackEnv], from: `$${fallbackEnv}` };
    return {};
  };
  const name = pick('GIT_AUTHOR_NAME', ['author.name', 'user.name']);
  const email = pick('GIT_AUTHOR_EMAIL', ['author.email', 'user.email'], 'EMAIL');
  const out: ResolvedAuthor = {};
  const cleanName = name.value !== undefined ? withoutCrud(name.value) : '';
  if (cleanName) {
    out.name = cleanName;
    out.nameFrom = name.from;
  }
  if (email.value !== undefined) {
    out.email = withoutCrud(email.value);
    out.emailFrom = email.from;
  }
  return out;
}

/** The full identity, or undefined when git lacks the name or the email (Hammock then asks). */
export async function configuredAuthor(sources: ConfigSources = {}): Promise<GitIdentity | undefined> {
  const a = await resolveAuthor(sources);
  return a.name && a.email !== undefined ? { name: a.name, email: a.email } : undefined;
}

/** Convenience for callers that know only the folder: the user's HOME default when the environment has none. */
export function defaultEnv(): NodeJS.ProcessEnv {
  return process.env.HOME ? process.env : { ...process.env, HOME: os.homedir() };
}
