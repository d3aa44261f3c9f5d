// Reloads the collections when a file that can hold Insomnia data changes on disk: an editor's save,
// a `git checkout` in the terminal, a pull. Debounced, and blind to `.git/` (index.lock noise).
import * as vscode from 'vscode';

const DEBOUNCE_MS = 150;

export function isRelevantPath(fsPath: string): boolean {
  const p = fsPath.replace(/\\/g, '/');
  if (/(^|\/)(\.git|node_modules)(\/|$)/.test(p)) return false;
  if (/(^|\/)\.insomnia(\/|$)/.test(p)) return true;
  if (/\.ya?ml$/i.test(p)) return true;
  // a deleted or renamed folder arrives as one event for the folder itself
  return !/\.[^/]+$/.test(p.slice(p.lastIndexOf('/') + 1));
}

export class WorkspaceWatcher implements vscode.Disposable {
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/*');
  private readonly disposables: vscode.Disposable[] = [this.watcher];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly onChange: () => void) {
    const handler = (uri: vscode.Uri) => {
      if (uri.scheme === 'file' && isRelevantPath(uri.fsPath)) this.schedule();
    };
    this.watcher.onDidChange(handler, this, this.disposables);
    this.watcher.onDidCreate(handler, this, this.disposables);
    this.watcher.onDidDelete(handler, this, this.disposables);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onChange();
    }, DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
