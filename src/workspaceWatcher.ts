// The one file watcher of the extension: every path that changes in the workspace folders (an editor's save, a
// `git checkout` in a terminal, a pull, git's own `.git/index` and refs), debounced into one batch per burst, for
// every listener: the collection store takes the Insomnia paths, each git repository the paths that change what
// git reports. A repository whose root is above the workspace folders is watched too (`watchFolder`), so its
// `.git` is seen; nothing else watches files.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isInsomniaPath } from './collections/scan';

const DEBOUNCE_MS = 100;

/**
 * An Insomnia file or folder, or something without an extension: a deleted folder arrives as one event for itself.
 * Not what is inside `.git`, node_modules, or a clone in progress (`.<name>.hammock-clone-*`: its git directory is not
 * named `.git` until the clone, renamed into place, is complete).
 */
export function isRelevantPath(fsPath: string): boolean {
  if (/[\\/](\.git|node_modules)([\\/]|$)/.test(fsPath)) return false;
  if (/[\\/]\.[^\\/]+\.hammock-clone-[^\\/]+[\\/]/.test(fsPath)) return false;
  const name = fsPath.slice(Math.max(fsPath.lastIndexOf('/'), fsPath.lastIndexOf('\\')) + 1);
  return isInsomniaPath(fsPath) || !name.includes('.');
}

export class WorkspaceWatcher implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** folders outside the workspace folders being watched, with how many asked for each. */
  private readonly extra = new Map<string, { watcher: vscode.FileSystemWatcher; users: number }>();

  private readonly _onDidChangeFiles = new vscode.EventEmitter<readonly string[]>();
  /** absolute paths that changed (created, changed, deleted), one batch per burst. */
  readonly onDidChangeFiles = this._onDidChangeFiles.event;

  constructor() {
    this.disposables.push(this._onDidChangeFiles, this.listen(vscode.workspace.createFileSystemWatcher('**/*')));
  }

  /**
   * Watches a folder the workspace folders do not cover (a repository root above them); the returned disposable
   * stops it. A folder inside a workspace folder is already watched.
   */
  watchFolder(folder: string): vscode.Disposable {
    const covered = (vscode.workspace.workspaceFolders ?? []).some((f) => {
      const rel = path.relative(f.uri.fsPath, folder);
      return !rel.startsWith('..') && !path.isAbsolute(rel);
    });
    if (covered) return new vscode.Disposable(() => undefined);
    let entry = this.extra.get(folder);
    if (!entry) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), '**'));
      this.listen(watcher);
      this.extra.set(folder, (entry = { watcher, users: 0 }));
    }
    entry.users++;
    return new vscode.Disposable(() => {
      const e = this.extra.get(folder);
      if (e && --e.users === 0) {
        e.watcher.dispose();
        this.extra.delete(folder);
      }
    });
  }

  private listen(watcher: vscode.FileSystemWatcher): vscode.FileSystemWatcher {
    const handler = (uri: vscode.Uri) => {
      if (uri.scheme === 'file') this.schedule(uri.fsPath);
    };
    watcher.onDidChange(handler, this, this.disposables);
    watcher.onDidCreate(handler, this, this.disposables);
    watcher.onDidDelete(handler, this, this.disposables);
    return watcher;
  }

  private schedule(fsPath: string): void {
    this.changed.add(fsPath);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const paths = [...this.changed];
      this.changed.clear();
      this._onDidChangeFiles.fire(paths);
    }, DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const e of this.extra.values()) e.watcher.dispose();
    this.extra.clear();
    for (const d of this.disposables) d.dispose();
  }
}
