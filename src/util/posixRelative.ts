// Paths as the CLI prints them: relative to a folder, with '/' on every platform. No 'vscode'.
import { statSync } from 'node:fs';
import * as path from 'node:path';

/** `file` relative to `dir` with '/' separators; '.' for `dir` itself. */
export function posixRelative(dir: string, file: string): string {
  const rel = path.relative(dir, file);
  return (rel === '' ? '.' : rel).split(path.sep).join('/');
}

/** Whether `dir` exists and is a folder (false when it cannot be read). */
export function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
