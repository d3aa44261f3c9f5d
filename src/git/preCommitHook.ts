// The git `pre-commit` hook Hammock can install, for people who commit with the git CLI (or another tool): it runs
// `hammock check --secrets --staged` (the secret scan of what the commit adds, src/git/stagedSecrets.ts), which stops
// the commit when the staged collection changes add a secret. Installed where git looks for hooks (`core.hooksPath`,
// else `<git dir>/hooks`, a linked worktree's common one), never over a hook Hammock did not write. No 'vscode'.

import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { GitConfig } from './plumbing/gitConfig';
import { resolveRepoLayout } from './plumbing/repoLayout';

/** The line that says a hook is Hammock's (and may be replaced by a newer one). */
export const HOOK_MARKER = '# hammock-secret-check';

export interface HookRunner {
  /** the CLI bundle (`dist/cli.js` of the installed extension). */
  readonly cliPath: string;
  /** a Node that runs it when `node` is not on PATH: VS Code's own executable with ELECTRON_RUN_AS_NODE=1. */
  readonly fallbackNode?: string;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The hook's text: a POSIX shell script (git for Windows runs it with its own sh). */
export function preCommitHookScript(runner: HookRunner): string {
  return [
    '#!/bin/sh',
    `${HOOK_MARKER}: installed by Hammock (VS Code). Stops a commit whose staged Insomnia collection changes add a`,
    '# secret (a token, a key, a literal credential). `git commit --no-verify` skips it once; delete this file to remove it.',
    `HAMMOCK_CLI=${quote(runner.cliPath)}`,
    'if [ -f "$HAMMOCK_CLI" ]; then',
    '  if command -v node >/dev/null 2>&1; then exec node "$HAMMOCK_CLI" check --secrets --staged; fi',
    ...(runner.fallbackNode ? [`  ELECTRON_RUN_AS_NODE=1 exec ${quote(runner.fallbackNode)} "$HAMMOCK_CLI" check --secrets --staged`] : []),
    'fi',
    'if command -v hammock >/dev/null 2>&1; then exec hammock check --secrets --staged; fi',
    'echo "Hammock: the secret check was skipped: $HAMMOCK_CLI is not there any more (install the hook again: Hammock: Install Git Pre-Commit Secret Check)." >&2',
    'exit 0',
    '',
  ].join('\n');
}

/** Where git runs the hooks of the repository at `dir` from. */
export function hooksDir(dir: string): string {
  const layout = resolveRepoLayout(dir);
  const configured = GitConfig.load(layout.gitdir).string('core.hooksPath');
  if (configured) return path.isAbsolute(configured) ? configured : path.join(layout.dir, configured);
  return path.join(layout.commondir, 'hooks');
}

export type HookInstall = { readonly kind: 'installed' | 'updated'; readonly file: string } | { readonly kind: 'foreign'; readonly file: string };

/**
 * Writes the hook (executable). A `pre-commit` hook that is not Hammock's is left as it is (`foreign`): the caller
 * says how to add the check to it.
 */
export async function installPreCommitHook(dir: string, runner: HookRunner): Promise<HookInstall> {
  const folder = hooksDir(dir);
  const file = path.join(folder, 'pre-commit');
  let existing: string | undefined;
  try {
    existing = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (existing !== undefined && !existing.includes(HOOK_MARKER)) return { kind: 'foreign', file };
  await fsp.mkdir(folder, { recursive: true });
  const tmp = `${file}.hammock-${process.pid}`;
  await fsp.writeFile(tmp, preCommitHookScript(runner), { mode: 0o755 });
  await fsp.rename(tmp, file);
  await fsp.chmod(file, 0o755);
  return { kind: existing === undefined ? 'installed' : 'updated', file };
}

/** The line to add to a hook of one's own to run the same check. */
export function hookLine(runner: HookRunner): string {
  return `node ${quote(runner.cliPath)} check --secrets --staged || exit 1`;
}
