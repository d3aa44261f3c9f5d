// The question a held edit asks (EditSession's HeldEdit: the file changed the fields the user is editing): a
// notification, not a modal, so that the user can look at the file and keep typing first.
import * as vscode from 'vscode';

/** Which version wins: the user's edit over the file's fields (`mine`), the file's (`file`), or not decided yet. */
export async function askWhichVersion(message: string): Promise<'mine' | 'file' | undefined> {
  const MINE = 'Overwrite with Mine';
  const FILE = "Use the File's";
  const choice = await vscode.window.showWarningMessage(`Hammock: ${message}`, MINE, FILE);
  return choice === MINE ? 'mine' : choice === FILE ? 'file' : undefined;
}

/**
 * An edit held while what it edits was gone, kept over a window reload, and what it edits is back: save it (`mine`,
 * checked against the file as any edit), discard it (`file`), or not decided yet.
 */
export async function askToSaveKept(message: string): Promise<'mine' | 'file' | undefined> {
  const SAVE = 'Save It';
  const DISCARD = 'Discard';
  const choice = await vscode.window.showWarningMessage(`Hammock: ${message}`, SAVE, DISCARD);
  return choice === SAVE ? 'mine' : choice === DISCARD ? 'file' : undefined;
}

/** A request (an environment) gone with an edit held (deleted, not on this branch): whether to put it back with what the editor shows. */
export async function askToRestore(message: string, what: 'Request' | 'Environment' = 'Request'): Promise<boolean> {
  const RESTORE = `Restore ${what}`;
  return (await vscode.window.showWarningMessage(`Hammock: ${message}`, RESTORE)) === RESTORE;
}

/**
 * Runs an editor's "Restore Request" / "Restore Environment" (`restore`); a failure is logged as the editor's
 * (`editor`: "request editor") and shown, never thrown (the answer came from a notification: nobody awaits it).
 */
export async function runRestore(restore: () => Promise<void>, log: vscode.LogOutputChannel, editor: string): Promise<void> {
  try {
    await restore();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.error(`${editor}: ${message}`);
    void vscode.window.showErrorMessage(`Hammock: ${message}`);
  }
}

/**
 * A held edit's question answered after the edit was settled another way (the other of two prompts, the file
 * changed back, a new edit): VS Code cannot take a notification back (microsoft/vscode#134777; a progress
 * notification, which goes when its task ends, has no buttons but Cancel), so pressing its button does nothing and says
 * why. `back`: what the question was about ("Get pets"), when what was typed was saved into it meanwhile (it came back,
 * or was restored): said so plainly, not as an error of the user's.
 */
export function sayAlreadySettled(back?: string): void {
  void vscode.window.showInformationMessage(back
    ? `Hammock: nothing to restore: ${back} is back, and what you typed was saved in it.`
    : 'Hammock: nothing was done: the edit this notification asked about was already settled (saved, or the file\'s version taken) in the meantime.');
}
