// Paths that are not UTF-8. git stores file names as bytes; a name written by another tool (a Latin-1 `café.txt`, a
// file from an old archive) can hold bytes that are no valid UTF-8, and decoding it the usual way replaces them with
// U+FFFD: the name is lost, and a file written back under it is another file. Hammock keeps such a name as a
// string that maps back to the same bytes: each byte that is not part of valid UTF-8 becomes the lone surrogate
// U+DC80 + byte (Python's "surrogateescape"). Valid UTF-8 names, nearly all of them, are ordinary strings.
// encodePath gives the bytes back; fsPath gives what Node's fs needs (a string, or a Buffer for such a name).

import * as path from 'path';

const ESCAPED = /[\udc80-\udcff]/;

/** The name for `bytes`: the UTF-8 text, with each byte of invalid UTF-8 as U+DC80 + byte. */
export function decodePath(bytes: Uint8Array): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('utf8');
  if (!text.includes('\ufffd') || Buffer.from(text, 'utf8').equals(buf)) return text;
  let out = '';
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (n === 1) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    let ok = n > 0 && i + n <= buf.length;
    for (let k = 1; ok && k < n; k++) ok = (buf[i + k] & 0xc0) === 0x80;
    if (ok && n === 3) {
      const cp = ((b & 0x0f) << 12) | ((buf[i + 1] & 0x3f) << 6) | (buf[i + 2] & 0x3f);
      ok = cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff); // no overlong forms, no encoded surrogates
    }
    if (ok && n === 4) {
      const cp = ((b & 0x07) << 18) | ((buf[i + 1] & 0x3f) << 12) | ((buf[i + 2] & 0x3f) << 6) | (buf[i + 3] & 0x3f);
      ok = cp >= 0x10000 && cp <= 0x10ffff;
    }
    if (ok) {
      out += buf.toString('utf8', i, i + n);
      i += n;
    } else {
      out += String.fromCharCode(0xdc00 + b);
      i++;
    }
  }
  return out;
}

/** Whether `p` holds escaped bytes (so it must be encoded with encodePath, not as plain UTF-8). */
export function hasEscapedBytes(p: string): boolean {
  return ESCAPED.test(p);
}

/** The bytes a name stands for (the inverse of decodePath). */
export function encodePath(p: string): Buffer {
  if (!ESCAPED.test(p)) return Buffer.from(p, 'utf8');
  const parts: Buffer[] = [];
  let run = '';
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff && !(i > 0 && p.charCodeAt(i - 1) >= 0xd800 && p.charCodeAt(i - 1) <= 0xdbff)) {
      if (run) parts.push(Buffer.from(run, 'utf8'));
      run = '';
      parts.push(Buffer.of(c - 0xdc00));
    } else run += p[i];
  }
  if (run) parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

/** The fs path of repository path `rel` under `dir`: a string, or a Buffer when the name is not UTF-8. */
export function fsPath(dir: string, rel: string): string | Buffer {
  if (!ESCAPED.test(rel)) return path.join(dir, rel);
  return Buffer.concat([Buffer.from(path.join(dir, '/'), 'utf8'), encodePath(rel)]);
}

/** A name for display and logs: escaped bytes shown as `\xNN`, as git quotes them. */
export function displayPath(p: string): string {
  return ESCAPED.test(p) ? p.replace(/[\udc80-\udcff]/g, (c) => `\\x${(c.charCodeAt(0) - 0xdc00).toString(16)}`) : p;
}
