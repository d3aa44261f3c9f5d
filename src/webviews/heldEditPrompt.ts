// The question a held edit asks (EditSession's HeldEdit: the file changed the fields the user is editing): a
// notification, not a modal, so that the user can look at the file and keep typing first.
import * as vscode from 'vscode';
import type { HeldEdit } from './editSession';

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

/** An editor's held edit as these questions read it (its EditSession's). */
interface HeldOf {
  readonly held?: HeldEdit;
  readonly savedHeld?: HeldEdit;
}

/**
 * Asks, once, which version wins (a conflict: the user's edit over the file's fields, or the file's), or whether to
 * save the kept edit (back: an edit held while what it edits was gone, kept over a window reload, and it is back; saved
 * it is checked against the file as any edit), and does what is chosen; dismissed, nothing is decided yet.
 */
export function askHeld(ed: { asking: boolean; resolveHeld(choice: 'mine' | 'file' | undefined): Promise<void> }, edits: HeldOf, held: HeldEdit): void {
  ed.asking = true;
  const [mine, file] = held.reason === 'back' ? ['Save It', 'Discard'] : ['Overwrite with Mine', "Use the File's"];
  void vscode.window.showWarningMessage(`Hammock: ${held.message}`, mine, file).then(async (answer) => {
    ed.asking = false;
    const choice = answer === mine ? 'mine' : answer === file ? 'file' : undefined;
    if (edits.held === held) await ed.resolveHeld(choice);
    else if (choice) sayAlreadySettled();
  });
}

/**
 * Asks whether to put back the request (environment) an edit held as gone edits (deleted, not on this branch), `name`,
 * with what the editor shows, and does it (`restore`; a failure is logged as the editor's and shown, never thrown:
 * nobody awaits a notification's answer): unless the edit was settled meanwhile (said so), or held again as back
 * (`again` asks about that). `ed.asking` is the caller's to set; it is over here.
 */
export async function askRestore(ed: { asking: boolean }, edits: HeldOf, held: HeldEdit, what: 'Request' | 'Environment', name: string, again: (back: HeldEdit) => void, restore: () => Promise<void>, log: vscode.LogOutputChannel): Promise<void> {
  const yes = edits.held === held && (await vscode.window.showWarningMessage(`Hammock: ${held.message}`, `Restore ${what}`)) !== undefined;
  ed.asking = false;
  // what it edits came back while this was asked (a closed tab's edit): the edit waits for the question of that
  const back = edits.held;
  if (back && back !== held && back.reason === 'back') again(back);
  else if (yes && back !== held) sayAlreadySettled(edits.savedHeld === held ? name : undefined);
  else if (yes) {
    try {
      await restore();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.error(`${what.toLowerCase()} editor: ${message}`);
      void vscode.window.showErrorMessage(`Hammock: ${message}`);
    }
  }
}
