// How any error a command throws reaches the user, decided in one place (no 'vscode': the command center shows it):
// a user's cancel (Cancelled, a cancelled git or HTTP operation, an AbortError) is shown as nothing; a GitError by
// presentGitError (its severity, the remote's words, "Enter Token...", "Pull", "Show Conflicts"...); an HttpError
// and an ImportError by their words with "Open Log"; anything else as an error with "Open Log".

// HttpError and ImportError are told by name: their modules belong to the lazy bundles (dist/http.js, dist/writers.js)
import type { ImportError } from '../collections/convert/importTypes';
import { isGitError } from '../git/gitError';
import type { HttpError } from '../http/httpError';
import { presentGitError, type GitAction, type Presentation } from '../sync/errorPresentation';

/** Thrown by a command when the user backs out of a prompt: not an error, nothing to show. */
export class Cancelled extends Error {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'Cancelled';
  }
}

export type ErrorAction = GitAction;

/** Whether `err` is the user's own cancel (of a prompt, a progress notification, a transfer): nothing to show. */
export function isCancellation(err: unknown): boolean {
  if (err instanceof Cancelled) return true;
  if (isGitError(err)) return err.code === 'Cancelled';
  const name = (err as { name?: unknown } | undefined)?.name;
  if (name === 'HttpError') return (err as HttpError).code === 'Cancelled';
  // vscode.CancellationError and DOM's AbortError, by name: this module does not import 'vscode'
  return name === 'AbortError' || name === 'Canceled' || name === 'CancellationError';
}

/** The notification for `err`, or undefined for a cancel. */
export function presentError(err: unknown): Presentation | undefined {
  if (isCancellation(err)) return undefined;
  if (isGitError(err)) return presentGitError(err);
  const openLog = { title: 'Open Log', action: 'openLog' as const };
  const name = (err as { name?: unknown } | undefined)?.name;
  if (name === 'HttpError') {
    const e = err as HttpError;
    return { severity: 'error', message: e.where && !new RegExp(`\\b${e.where.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(e.message) ? `${e.message} (${e.where})` : e.message, actions: [openLog] };
  }
  if (name === 'ImportError') {
    const e = err as ImportError;
    const at = e.line !== undefined && !/\bline \d+/.test(e.message) ? ` (line ${e.line + 1})` : '';
    return { severity: 'error', message: `Cannot import: ${e.message}${at}. Nothing was written.`, actions: [openLog] };
  }
  return { severity: 'error', message: err instanceof Error ? err.message : String(err), actions: [openLog] };
}
