// The Source Control provider's status bar entries (`sourceControl.statusBarCommands`), as VS Code's Git shows
// them: the branch (click: Checkout Branch) and a sync button with the commits to pull and to push, `$(sync) 1↓ 2↑`,
// said in words in its tooltip (Push for a branch that was never pushed; Set Up Sync without a remote). Counts
// are worded here only (syncCounts, syncWords). Rendered from the repository model only.

import type * as vscode from 'vscode';
import type { Operation } from '../git/repository';
import { GitCommands } from '../commandIds';
import type { RepositorySnapshot } from '../git/repository';
import type { TrackingInfo } from '../git/gitClient';

/** `$(git-branch) main`: the counts are the sync entry's (syncCounts), as in VS Code's Git. */
export function branchText(snapshot: RepositorySnapshot): string {
  const { status } = snapshot;
  const name = status.branch ?? (status.head ? status.head.slice(0, 8) : '(no commits)');
  return `${status.branch ? '$(git-branch)' : '$(git-commit)'} ${name}${status.mergeInProgress ? ' (merging)' : ''}`;
}

/** The commits to pull and to push as VS Code's Git counts them, `1↓ 0↑`; '' when level (or no upstream). */
export function syncCounts(t: TrackingInfo | undefined): string {
  return t && (t.ahead || t.behind) ? `${t.behind}↓ ${t.ahead}↑` : '';
}

/** The counts on Source Control's Sync Changes button, as VS Code Git's: only those not 0 (` 1$(arrow-up)`). */
export function syncButtonCounts(t: TrackingInfo): string {
  return `${t.behind ? ` ${t.behind}$(arrow-down)` : ''}${t.ahead ? ` ${t.ahead}$(arrow-up)` : ''}`;
}

/** The same in words, for tooltips and messages: `1 commit to pull from origin/main, 2 to push`. */
export function syncWords(t: TrackingInfo): string {
  const n = (k: number): string => `${k} commit${k === 1 ? '' : 's'}`;
  if (t.behind) return `${n(t.behind)} to pull from ${t.upstream}${t.ahead ? `, ${t.ahead} to push` : ''}`;
  return t.ahead ? `${n(t.ahead)} to push to ${t.upstream}` : `up to date with ${t.upstream}`;
}

export function statusBarCommands(root: string, snapshot: RepositorySnapshot | undefined, running: Operation | undefined): vscode.Command[] {
  if (!snapshot) return [];
  const { status, tracking, remoteUrl } = snapshot;
  const branch: vscode.Command = {
    command: GitCommands.checkoutBranch,
    title: branchText(snapshot),
    tooltip: `Hammock: ${status.branch ?? 'detached HEAD'}${tracking ? ` (${tracking.upstream})` : ''} · Checkout Branch...`,
    arguments: [root],
  };
  const busy = running?.remote === true;
  let sync: vscode.Command;
  if (!remoteUrl) {
    sync = { command: GitCommands.setUpSync, title: '$(cloud)', tooltip: 'Hammock: Set Up Sync...', arguments: [root] };
  } else if (!tracking && status.branch) {
    sync = { command: GitCommands.push, title: busy ? '$(sync~spin)' : '$(cloud-upload)', tooltip: `Hammock: Push ${status.branch} (first push)`, arguments: [root] };
  } else {
    const counts = syncCounts(tracking);
    sync = {
      command: GitCommands.sync,
      title: `${busy ? '$(sync~spin)' : '$(sync)'}${counts && ` ${counts}`}`,
      tooltip: `Hammock: Sync${tracking ? ` (pull, then push): ${syncWords(tracking)}` : ''}`,
      arguments: [root],
    };
  }
  return [branch, sync];
}
