import type * as vscode from 'vscode';

/**
 * VS Code reads a tree row's string tooltip as its accessible name: a row whose tooltip is a path or a summary (the
 * History and Review views') is spoken as its label and description instead.
 */
export function spokenAs(item: vscode.TreeItem): void {
  item.accessibilityInformation = { label: `${item.label as string}${item.description ? `, ${item.description as string}` : ''}` };
}
