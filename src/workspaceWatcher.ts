// Tells the store which paths changed on disk: an editor's save, a `git checkout` in the terminal, a pull.
// Debounced (one batch per burst), and blind to `.git/` (index.lock noise) and to files that hold no collection.
import * as vscode from 'vscode';
import { isInsomniaPath } from './collections/scan';

const DEBOUNCE_MS = 100;

/** An Insomnia file or folder, or something without an extension: a deleted folder arrives as one event for itself. */
export function isRelevantPath(fsPath: string): boolean {
  if (/[\\/](\.git|node_modules)([\\/]|$)/.test(fsPath)) return false;
  const name = fsPath.slice(Math.max(fsPath.lastIndexOf('/'), fsPath.lastIndexOf('\\')) + 1);
  return isInsomniaPath(fsPath) || !name.includes('.');
}

export class WorkspaceWatcher implements vscode.Disposable {
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/*');
  private readonly disposables: vscode.Disposable[] = [this.watcher];
  private readonly changed = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly onChange: (paths: string[]) => void) {
    const handler = (uri: vscode.Uri) => {
      if (uri.scheme === 'file' && isRelevantPath(uri.fsPath)) this.schedule(uri.fsPath);
    };
    this.watcher.onDidChange(handler, this, this.disposables);
    this.watcher.onDidCreate(handler, this, this.disposables);
    this.watcher.onDidDelete(handler, this, this.disposables);
  }

  private schedule(fsPath: string): void {
    this.changed.add(fsPath);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const paths = [...this.changed];
      this.changed.clear();
      this.onChange(paths);
    }, DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
