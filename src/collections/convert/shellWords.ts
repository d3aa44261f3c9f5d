// A shell-word tokenizer for pasted command lines: POSIX sh quoting (bash `'...'`, `"..."`, `$'...'`, `\` escapes and
// line continuations, `#` comments, `;` `&&` `||` `|` `&` and newlines between commands) and Windows cmd.exe pastes
// (`^` escapes and line continuations, Chrome's "Copy as cURL (cmd)" `^"...^"`). Pure. No expansion: `$VAR` and `$(...)`
// stay as they are written.

import { ImportError } from './importTypes';

/** One command of a paste: its words, and the 0-based line it starts on. */
export interface ShellCommand {
  readonly words: string[];
  readonly line: number;
}

/** `cmd` when the text is a Windows cmd.exe paste (a line ending in `^`, or `^"` quoting), else `posix`. */
export function shellDialect(text: string): 'posix' | 'cmd' {
  return /\^\r?\n/.test(text) || /(^|\s)\^"/.test(text) ? 'cmd' : 'posix';
}

/** Splits a paste into commands of words. Throws `ImportError` (with line and column) on an unterminated quote. */
export function splitShellCommands(text: string): ShellCommand[] {
  return shellDialect(text) === 'cmd' ? splitCmd(text) : splitPosix(text);
}

const OPERATOR_CHARS = new Set([';', '&', '|']);

/** The words and commands a tokenizer has found so far, and the word it is in. */
class CommandWords {
  readonly commands: ShellCommand[] = [];
  /** the current word's text; `inWord` tells an empty quoted word ('') from no word. */
  word = '';
  inWord = false;
  private words: string[] = [];
  private startLine = 0;

  endWord(): void {
    if (this.inWord) this.words.push(this.word);
    this.word = '';
    this.inWord = false;
  }

  endCommand(): void {
    this.endWord();
    if (this.words.length > 0) this.commands.push({ words: this.words, line: this.startLine });
    this.words = [];
  }

  /** marks the current word as started (a command's first word records `line` as the command's line). */
  begin(line: number): void {
    if (!this.inWord && this.words.length === 0) this.startLine = line;
    this.inWord = true;
  }
}

function splitPosix(text: string): ShellCommand[] {
  const out = new CommandWords();
  let line = 0;
  let lineStart = 0;
  const unterminated = (what: string, at: number): ImportError => {
    const l = lineOf(text, at);
    return new ImportError(`Unterminated ${what} starting at line ${l.line + 1}, column ${l.column + 1}`, l.line, l.column);
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
      out.endCommand();
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      out.endWord();
      i++;
      continue;
    }
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '\n' || (next === '\r' && text[i + 2] === '\n')) {
        // line continuation
        i += next === '\n' ? 2 : 3;
        line++;
        lineStart = i;
        continue;
      }
      if (next === undefined) {
        i++;
        continue;
      }
      if (!out.inWord && (next === ' ' || next === '\t')) {
        // ` \ ` between words: a line continuation whose newline a single-line input box turned into a space
        i++;
        continue;
      }
      out.begin(line);
      out.word += next;
      i += 2;
      continue;
    }
    if (c === '#' && !out.inWord) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (OPERATOR_CHARS.has(c)) {
      out.endCommand();
      while (i < n && OPERATOR_CHARS.has(text[i])) i++;
      continue;
    }
    if (c === "'") {
      out.begin(line);
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw unterminated("single quote (')", i);
      const chunk = text.slice(i + 1, end);
      line += countNewlines(chunk);
      out.word += chunk;
      i = end + 1;
      continue;
    }
    if (c === '$' && text[i + 1] === "'") {
      out.begin(line);
      const r = readAnsiC(text, i + 2);
      if (r === undefined) throw unterminated("$'...' string", i);
      line += countNewlines(text.slice(i, r.end));
      out.word += r.value;
      i = r.end;
      continue;
    }
    if (c === '"') {
      out.begin(line);
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const d = text[j];
        if (d === '"') {
          closed = true;
          j++;
          break;
        }
        if (d === '\\') {
          const e = text[j + 1];
          if (e === '\n') {
            line++;
            j += 2;
            continue;
          }
          if (e === '$' || e === '`' || e === '"' || e === '\\') {
            out.word += e;
            j += 2;
            continue;
          }
          out.word += d;
          j++;
          continue;
        }
        if (d === '\n') line++;
        out.word += d;
        j++;
      }
      if (!closed) throw unterminated('double quote (")', i);
      i = j;
      continue;
    }
    out.begin(line);
    out.word += c;
    i++;
  }
  void lineStart;
  out.endCommand();
  return out.commands;
}

/** bash's `$'...'` escapes; `start` is just after the opening quote. */
function readAnsiC(text: string, start: number): { value: string; end: number } | undefined {
  let out = '';
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === "'") return { value: out, end: i + 1 };
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    i += 2;
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'e':
      case 'E': out += '\x1b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case "'": out += "'"; break;
      case '"': out += '"'; break;
      case '?': out += '?'; break;
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i));
        if (m) {
          out += String.fromCharCode(parseInt(m[0], 16));
          i += m[0].length;
        } else out += '\\x';
        break;
      }
      case 'u':
      case 'U': {
        const m = (e === 'u' ? /^[0-9a-fA-F]{1,4}/ : /^[0-9a-fA-F]{1,8}/).exec(text.slice(i));
        if (m) {
          out += String.fromCodePoint(parseInt(m[0], 16));
          i += m[0].length;
        } else out += `\\${e}`;
        break;
      }
      case 'c': {
        const ch = text[i];
        if (ch !== undefined) {
          out += String.fromCharCode(ch.toUpperCase().charCodeAt(0) ^ 0x40);
          i++;
        }
        break;
      }
      case undefined:
        return undefined;
      default:
        if (e >= '0' && e <= '7') {
          const m = /^[0-7]{0,2}/.exec(text.slice(i)) as RegExpExecArray;
          out += String.fromCharCode(parseInt(e + m[0], 8));
          i += m[0].length;
        } else out += `\\${e}`;
    }
  }
  return undefined;
}

/**
 * cmd.exe: `^` escapes the next character (a `^` at the end of a line continues it), then the program's own argv
 * rules (Microsoft C runtime): `"` groups, `\"` is a quote, backslashes before a quote are halved; `'` is no quote.
 */
function splitCmd(text: string): ShellCommand[] {
  const out = new CommandWords();
  let quoted = false;
  let quoteAt = 0;
  let line = 0;
  // cmd's own pass: `^x` -> x, `^<newline>` -> nothing; remember which characters were escaped (never operators).
  const chars: { c: string; escaped: boolean; line: number; at: number }[] = [];
  for (let i = 0, l = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '^') {
      const next = text[i + 1];
      if (next === '\r' && text[i + 2] === '\n') {
        i += 2;
        l++;
        continue;
      }
      if (next === '\n') {
        i++;
        l++;
        continue;
      }
      if (next !== undefined) {
        chars.push({ c: next, escaped: true, line: l, at: i });
        i++;
      }
      continue;
    }
    if (c === '\r') continue;
    chars.push({ c, escaped: false, line: l, at: i });
    if (c === '\n') l++;
  }
  for (let k = 0; k < chars.length; k++) {
    const { c, escaped } = chars[k];
    line = chars[k].line;
    if (c === '\n') {
      if (quoted) {
        out.word += c;
        continue;
      }
      out.endCommand();
      continue;
    }
    if (!quoted && (c === ' ' || c === '\t')) {
      out.endWord();
      continue;
    }
    if (!quoted && !escaped && (c === '&' || c === '|')) {
      out.endCommand();
      continue;
    }
    if (c === '\\') {
      let m = k;
      while (m < chars.length && chars[m].c === '\\') m++;
      const count = m - k;
      out.begin(line);
      if (chars[m]?.c === '"') {
        out.word += '\\'.repeat(Math.floor(count / 2));
        if (count % 2 === 1) {
          out.word += '"';
          k = m;
        } else k = m - 1;
      } else {
        out.word += '\\'.repeat(count);
        k = m - 1;
      }
      continue;
    }
    if (c === '"') {
      out.begin(line);
      if (quoted && chars[k + 1]?.c === '"') {
        // `""` inside quotes: a literal quote
        out.word += '"';
        k++;
        continue;
      }
      quoted = !quoted;
      if (quoted) quoteAt = chars[k].at;
      continue;
    }
    out.begin(line);
    out.word += c;
  }
  if (quoted) {
    const l = lineOf(text, quoteAt);
    throw new ImportError(`Unterminated double quote (") starting at line ${l.line + 1}, column ${l.column + 1}`, l.line, l.column);
  }
  out.endCommand();
  return out.commands;
}

function countNewlines(s: string): number {
  let k = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) k++;
  return k;
}

function lineOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = countNewlines(before);
  return { line, column: offset - (before.lastIndexOf('\n') + 1) };
}
