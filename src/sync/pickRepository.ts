// Which repository a command given none acts on, when several are open (a multi-root workspace): the user picks, and
// the repository of what they are editing (a text editor's file, a request or environment editor's collection) is
// offered first, so that Enter acts on it. Without this, "Hammock: Commit" typed while editing a request of the
// second folder offered the first folder's repository first: Enter committed the wrong one.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SyncRepository } from './syncRepository';
import type { SyncService } from './syncService';

/** The repository holding what the user is editing: the active text editor's file, else the active Hammock editor's collection. */
export function activeRepository(service: SyncService): SyncRepository | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  if (uri?.scheme === 'file') {
    const repo = service.getRepository(uri);
    if (repo) return repo;
  }
  const editing = service.activeCollectionPath();
  return editing === undefined ? undefined : service.getRepository(editing);
}

/** Asks which of `repos` (two or more); the active one first, said to be. Undefined when the user cancels. */
export async function pickRepository(service: SyncService, repos: readonly SyncRepository[], placeHolder: string): Promise<SyncRepository | undefined> {
  const active = activeRepository(service);
  const ordered = active && repos.includes(active) ? [active, ...repos.filter((r) => r !== active)] : [...repos];
  const pick = await vscode.window.showQuickPick(
    ordered.map((r) => ({ label: path.basename(r.root), description: r.root, detail: r === active ? 'holds what you are editing' : undefined, repo: r })),
    { placeHolder },
  );
  return pick?.repo;
}
