// Line-ending conversion as git does it (convert.c): `.gitattributes` `text` / `-text` / `text=auto` / `eol=lf|crlf`
// / `binary` / legacy `crlf`, with core.autocrlf and core.eol. `toGit` is what `git add` stores (and what status
// hashes): CRLF becomes LF for text files, except, for auto text, in binary-looking files and where the indexed blob
// already holds a CR (git's "safer autocrlf"). `toWorktree` is what a checkout writes: LF becomes CRLF where the
// output line ending is CRLF. Attribute files: info/attributes over the deepest `.gitattributes` over the
// shallower ones over core.attributesFile (default `$XDG_CONFIG_HOME/git/attributes`); later lines win.

import * as fs from 'fs';
import * as path from 'path';
import { expandHome, GitConfig, xdgGitFile } from './gitConfig';
import { realGitPath } from './gitFs';
import { matchPattern, parsePattern, type PathPattern } from './pathPattern';

type AttrValue = true | false | string;

interface AttrLine {
  pattern: PathPattern;
  /** attribute -> value; undefined: `!attr` (back to unspecified). */
  attrs: [string, AttrValue | undefined][];
}

interface AttrFile {
  base: string;
  lines: AttrLine[];
}

const RELEVANT = new Set(['text', 'eol', 'crlf', 'binary']);

function parseAttrFile(text: string, base: string): AttrFile | null {
  const lines: AttrLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    let patternText: string;
    let rest: string;
    if (line.startsWith('"')) {
      const end = line.indexOf('"', 1);
      if (end < 0) continue;
      patternText = line.slice(1, end);
      rest = line.slice(end + 1);
    } else {
      const m = /^(\S+)\s*(.*)$/.exec(line);
      if (!m) continue;
      patternText = m[1];
      rest = m[2];
    }
    if (patternText.startsWith('[attr]')) continue; // macro definitions: only the built-in `binary` is known
    const pattern = parsePattern(patternText, false, false);
    if (!pattern) continue;
    const attrs: [string, AttrValue | undefined][] = [];
    for (const tok of rest.split(/\s+/).filter(Boolean)) {
      let name: string;
      let value: AttrValue | undefined;
      if (tok.startsWith('-')) [name, value] = [tok.slice(1), false];
      else if (tok.startsWith('!')) [name, value] = [tok.slice(1), undefined];
      else if (tok.includes('=')) [name, value] = [tok.slice(0, tok.indexOf('=')), tok.slice(tok.indexOf('=') + 1)];
      else [name, value] = [tok, true];
      if (name === 'binary' && value === true) attrs.push(['text', false]);
      else if (RELEVANT.has(name)) attrs.push([name, value]);
    }
    if (attrs.length) lines.push({ pattern, attrs });
  }
  return lines.length ? { base, lines } : null;
}

function readAttrFile(file: string, base: string): AttrFile | null {
  try {
    return parseAttrFile(fs.readFileSync(file, 'utf8'), base);
  } catch {
    return null;
  }
}

export enum CrlfAction {
  Binary,
  TextInput,
  TextCrlf,
  AutoInput,
  AutoCrlf,
  Auto,
  Text,
}

interface Stats {
  nul: number;
  lonecr: number;
  lonelf: number;
  crlf: number;
  printable: number;
  nonprintable: number;
}

function gatherStats(buf: Uint8Array): Stats {
  const s: Stats = { nul: 0, lonecr: 0, lonelf: 0, crlf: 0, printable: 0, nonprintable: 0 };
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === 13) {
      if (buf[i + 1] === 10) {
        s.crlf++;
        i++;
      } else s.lonecr++;
      continue;
    }
    if (c === 10) {
      s.lonelf++;
      continue;
    }
    if (c === 127) s.nonprintable++;
    else if (c < 32) {
      if (c === 8 || c === 9 || c === 27 || c === 12) s.printable++;
      else if (c === 0) {
        s.nul++;
        s.nonprintable++;
      } else s.nonprintable++;
    } else s.printable++;
  }
  if (buf.length >= 1 && buf[buf.length - 1] === 0o32) s.nonprintable--;
  return s;
}

function isBinary(s: Stats): boolean {
  return s.lonecr > 0 || s.nul > 0 || s.printable >> 7 < s.nonprintable;
}

function isAuto(a: CrlfAction): boolean {
  return a === CrlfAction.Auto || a === CrlfAction.AutoInput || a === CrlfAction.AutoCrlf;
}

export class EolRules {
  private readonly perDir = new Map<string, AttrFile | null>();
  private readonly info: AttrFile | null;
  private readonly global: AttrFile | null;
  private readonly autocrlf: 'true' | 'input' | 'false';
  private readonly coreEolCrlf: boolean;
  /** false: nothing can convert anything (no attributes file and autocrlf off): every call is a no-op. */
  readonly active: boolean;

  constructor(
    private readonly dir: string,
    gitdir: string,
    config: GitConfig = GitConfig.load(gitdir),
  ) {
    const ac = (config.string('core.autocrlf') ?? 'false').toLowerCase();
    this.autocrlf = ac === 'input' ? 'input' : ['true', 'yes', 'on', '1'].includes(ac) ? 'true' : 'false';
    this.coreEolCrlf = (config.string('core.eol') ?? '').toLowerCase() === 'crlf';
    this.info = readAttrFile(realGitPath(path.join(gitdir, 'info', 'attributes')), '');
    const globalFile = config.string('core.attributesfile');
    this.global = readAttrFile(globalFile ? expandHome(globalFile) : xdgGitFile('attributes'), '');
    this.active = this.autocrlf !== 'false' || this.coreEolCrlf || !!this.info || !!this.global || this.anyAttributesFile();
  }

  private anyAttributesFile(): boolean {
    return fs.existsSync(path.join(this.dir, '.gitattributes')) || this.hasNestedAttributes(this.dir, 0);
  }

  private hasNestedAttributes(folder: string, depth: number): boolean {
    // cheap check of the first two levels; deeper files are found lazily when a path asks
    if (depth >= 2) return false;
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const d of names) {
      if (!d.isDirectory() || d.name === '.git' || d.name === 'node_modules') continue;
      const sub = path.join(folder, d.name);
      if (fs.existsSync(path.join(sub, '.gitattributes')) || this.hasNestedAttributes(sub, depth + 1)) return true;
    }
    return false;
  }

  private fileOf(folder: string): AttrFile | null {
    let f = this.perDir.get(folder);
    if (f === undefined) {
      f = readAttrFile(path.join(this.dir, folder, '.gitattributes'), folder);
      this.perDir.set(folder, f);
    }
    return f;
  }

  /** The text/eol/crlf attributes of `rel`. */
  attributes(rel: string): Map<string, AttrValue> {
    const files: AttrFile[] = [];
    if (this.global) files.push(this.global);
    const parts = rel.split('/');
    let folder = '';
    for (let i = 0; i < parts.length; i++) {
      const f = this.fileOf(folder);
      if (f) files.push(f);
      if (i < parts.length - 1) folder = folder ? `${folder}/${parts[i]}` : parts[i];
    }
    if (this.info) files.push(this.info);
    const out = new Map<string, AttrValue>();
    for (const f of files) {
      const sub = f.base ? rel.slice(f.base.length + 1) : rel;
      for (const line of f.lines) {
        if (!matchPattern(line.pattern, sub, false)) continue;
        for (const [k, v] of line.attrs) {
          if (v === undefined) out.delete(k);
          else out.set(k, v);
        }
      }
    }
    return out;
  }

  private textEolIsCrlf(): boolean {
    if (this.autocrlf === 'true') return true;
    if (this.autocrlf === 'input') return false;
    return this.coreEolCrlf;
  }

  /** git's crlf_action for `rel`. */
  action(rel: string): CrlfAction {
    if (!this.active) return CrlfAction.Binary;
    const a = this.attributes(rel);
    let action: CrlfAction | undefined;
    const text = a.get('text');
    const crlf = a.get('crlf');
    const pick = (v: AttrValue | undefined): CrlfAction | undefined => {
      if (v === true) return CrlfAction.Text;
      if (v === false) return CrlfAction.Binary;
      if (v === 'input') return CrlfAction.TextInput;
      if (v === 'auto') return CrlfAction.Auto;
      return undefined;
    };
    action = pick(text);
    if (action === undefined) action = pick(crlf);
    const eol = a.get('eol');
    if (action === CrlfAction.Auto && eol === 'lf') action = CrlfAction.AutoInput;
    else if (action === CrlfAction.Auto && eol === 'crlf') action = CrlfAction.AutoCrlf;
    else if (action !== CrlfAction.Binary && eol === 'lf') action = CrlfAction.TextInput;
    else if (action !== CrlfAction.Binary && eol === 'crlf') action = CrlfAction.TextCrlf;
    if (action === CrlfAction.Text) action = this.textEolIsCrlf() ? CrlfAction.TextCrlf : CrlfAction.TextInput;
    if (action === undefined) {
      if (this.autocrlf === 'true') action = CrlfAction.AutoCrlf;
      else if (this.autocrlf === 'input') action = CrlfAction.AutoInput;
      else action = CrlfAction.Binary;
    }
    return action;
  }

  /**
   * The content git stores for working-tree bytes `buf` at `rel`. `indexHasCr`: asked only for auto text when the
   * content has CRLFs: whether the blob now in the index holds a CR (then git keeps the bytes as they are).
   */
  async toGit(rel: string, buf: Buffer, indexHasCr?: () => Promise<boolean>): Promise<Buffer> {
    const action = this.action(rel);
    if (action === CrlfAction.Binary || buf.length === 0) return buf;
    const s = gatherStats(buf);
    if (!s.crlf) return buf;
    if (isAuto(action)) {
      if (isBinary(s)) return buf;
      if (indexHasCr && (await indexHasCr())) return buf;
    }
    const out = Buffer.allocUnsafe(buf.length - s.crlf);
    let o = 0;
    for (let i = 0; i < buf.length; i++) {
      if (buf[i] === 13 && buf[i + 1] === 10) continue;
      out[o++] = buf[i];
    }
    return out.subarray(0, o);
  }

  /** Whether toGit could change the bytes of `rel` at all (false: hash the file as it is). */
  mayConvert(rel: string): boolean {
    return this.active && this.action(rel) !== CrlfAction.Binary;
  }

  private outputIsCrlf(action: CrlfAction): boolean {
    switch (action) {
      case CrlfAction.Binary:
      case CrlfAction.TextInput:
      case CrlfAction.AutoInput:
        return false;
      case CrlfAction.TextCrlf:
      case CrlfAction.AutoCrlf:
        return true;
      default:
        return this.textEolIsCrlf();
    }
  }

  /** The bytes a checkout writes for blob `buf` at `rel`. */
  toWorktree(rel: string, buf: Uint8Array): Uint8Array {
    if (!this.active || buf.length === 0) return buf;
    const action = this.action(rel);
    if (!this.outputIsCrlf(action)) return buf;
    const s = gatherStats(buf);
    if (!s.lonelf) return buf;
    if (isAuto(action) && (s.lonecr || s.crlf || isBinary(s))) return buf;
    const out = Buffer.allocUnsafe(buf.length + s.lonelf);
    let o = 0;
    for (let i = 0; i < buf.length; i++) {
      if (buf[i] === 10 && (i === 0 || buf[i - 1] !== 13)) out[o++] = 13;
      out[o++] = buf[i];
    }
    return out.subarray(0, o);
  }
}
