// The one wrapper every Hammock command is registered through: a failure becomes one error notification
// ("Hammock: <message>", with "Open Log") and one log line with the stack; a `Cancelled` settles quietly.
import * as vscode from 'vscode';

/** Thrown by a command when the user backs out of a prompt: not an error, nothing to show. */
export class Cancelled extends Error {}

let willRun: ((id: string) => void) | undefined;

/**
 * Sets what is told, before any Hammock command runs, which one: activate() opens the work gate with it (a command
 * is a reason to start working, services/workGate.ts).
 */
export function onWillRunCommand(listener: ((id: string) => void) | undefined): void {
  willRun = listener;
}

/** Tells the listener that `id` is about to run; for the few commands registered without registerCommand. */
export function willRunCommand(id: string): void {
  willRun?.(id);
}

/**
 * Registers `id`; the command resolves to the handler's result, or to undefined on failure. `messageOf` turns an
 * error into the words shown (default: its message), e.g. `presentGitError` for git operations.
 */
export function registerCommand(
  id: string,
  handler: (...args: any[]) => unknown,
  log: vscode.LogOutputChannel,
  messageOf: (err: unknown) => string = (err) => (err instanceof Error ? err.message : String(err)),
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    willRun?.(id);
    try {
      return await handler(...args);
    } catch (err) {
      if (err instanceof Cancelled) return undefined;
      const message = messageOf(err);
      log.error(`${id} failed: ${err instanceof Error && err.stack ? err.stack : message}`);
      // not awaited: the command settles now, whether or not anyone answers the notification
      void vscode.window.showErrorMessage(`Hammock: ${message}`, 'Open Log').then((choice) => {
        if (choice === 'Open Log') log.show();
      });
      return undefined;
    }
  });
}
