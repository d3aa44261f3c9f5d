// Before Hammock opens a diff of virtual documents (which VS Code's large-file check does not cover): when a side is
// over DIFF_SIZE_LIMIT, a warning names the item and the size instead, with actions that still show something
// useful. Nothing is truncated or altered: the broken view is simply not opened.

import * as vscode from 'vscode';
import { oversizedSide, tooLargeMessage, type DiffSideSize } from '../util/diffSize';

export interface LargeDiffAction {
  readonly title: string;
  run(): unknown;
}

/** The size of a text as VS Code counts a file's (UTF-8 bytes). */
export function textSize(label: string, text: string): DiffSideSize {
  return { label, bytes: Buffer.byteLength(text, 'utf8') };
}

/**
 * True when the diff of `sides` can be opened; otherwise shows the warning (not awaited: the command returns
 * while the notification stays) and returns false.
 */
export function diffFits(name: string, sides: readonly DiffSideSize[], actions: readonly LargeDiffAction[]): boolean {
  const worst = oversizedSide(sides);
  if (!worst) return true;
  void vscode.window.showWarningMessage(`Hammock: ${tooLargeMessage(name, worst)}`, ...actions.map((a) => a.title)).then(async (choice) => {
    const action = actions.find((a) => a.title === choice);
    try {
      await action?.run();
    } catch (err) {
      void vscode.window.showErrorMessage(`Hammock: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  return false;
}

/** documents already refused (their URI and size): VS Code asks a provider again (a tab restored, a change event). */
const refusedDocuments = new Set<string>();

/**
 * A virtual document (`hammock-git:`, `hammock-rev:`) opened on its own (a one-sided `vscode.open`, the gutter's
 * quick diff, a restored tab) escapes VS Code's large-file check as a diff's sides do: over DIFF_SIZE_LIMIT, the
 * text to give the editor instead of the document (what the warning says, a few lines), the warning shown once for
 * this document and size; undefined when it fits.
 */
export function oversizedDocument(uri: vscode.Uri, name: string, side: DiffSideSize, actions: readonly LargeDiffAction[] = []): string | undefined {
  if (!oversizedSide([side])) return undefined;
  const key = `${uri.toString()}\n${side.bytes}`;
  if (!refusedDocuments.has(key)) {
    refusedDocuments.add(key);
    diffFits(name, [side], actions);
  }
  return `${tooLargeMessage(name, side)}\n`;
}
