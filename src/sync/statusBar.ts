// The Source Control provider's status bar entries (`sourceControl.statusBarCommands`): the branch with its
// ahead/behind counts (click: Checkout Branch) and a sync button (Sync; Push for a branch that was never
// pushed; Set Up Sync without a remote). Rendered from the repository model only.

import type * as vscode from 'vscode';
import type { Operation } from '../git/repository';
import { GitCommands } from '../commandIds';
import type { RepositorySnapshot } from '../git/repository';

/** `$(git-branch) main ↑1 ↓2`; counts only when the branch is not level with its upstream. */
export function branchText(snapshot: RepositorySnapshot): string {
  const { status, tracking } = snapshot;
  const name = status.branch ?? (status.head ? status.head.slice(0, 8) : '(no commits)');
  const icon = status.branch ? '$(git-branch)' : '$(git-commit)';
  const merging = status.mergeInProgress ? ' (merging)' : '';
  const counts = tracking && (tracking.ahead || tracking.behind) ? ` ↑${tracking.ahead} ↓${tracking.behind}` : '';
  return `${icon} ${name}${merging}${counts}`;
}

export function statusBarCommands(root: string, snapshot: RepositorySnapshot | undefined, running: Operation | undefined): vscode.Command[] {
  if (!snapshot) return [];
  const { status, tracking, remoteUrl } = snapshot;
  const branch: vscode.Command = {
    command: GitCommands.checkoutBranch,
    title: branchText(snapshot),
    tooltip: `Hammock: ${status.branch ?? 'detached HEAD'}${tracking ? ` (${tracking.upstream}: ${tracking.ahead} ahead, ${tracking.behind} behind)` : ''} · Checkout Branch...`,
    arguments: [root],
  };
  const busy = running?.remote === true;
  let sync: vscode.Command;
  if (!remoteUrl) {
    sync = { command: GitCommands.setUpSync, title: '$(cloud)', tooltip: 'Hammock: Set Up Sync...', arguments: [root] };
  } else if (!tracking && status.branch) {
    sync = { command: GitCommands.push, title: busy ? '$(sync~spin)' : '$(cloud-upload)', tooltip: `Hammock: Push ${status.branch} (first push)`, arguments: [root] };
  } else {
    sync = {
      command: GitCommands.sync,
      title: busy ? '$(sync~spin)' : '$(sync)',
      tooltip: tracking ? `Hammock: Sync with ${tracking.upstream} (pull, then push)` : 'Hammock: Sync',
      arguments: [root],
    };
  }
  return [branch, sync];
}
