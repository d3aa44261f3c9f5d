// Which repositories VS Code's built-in Git extension (`vscode.git`, API 1) has open: where it does, the Hammock
// Source Control sits beside it rather than doubling it (see the README, "Beside VS Code's Git"): no count of its
// own (the activity bar would count every change twice) and no commit box of its own (one box per repository,
// VS Code Git's). The API's repository list and its open/close events are read, and after Hammock writes into a
// repository it asks that repository's status() again; Hammock never runs git through it here.

import * as path from 'path';
import * as vscode from 'vscode';

interface GitApiRepository {
  readonly rootUri: vscode.Uri;
  /** reads the repository's status again (VS Code Git's own refresh of its view). */
  status(): Thenable<void>;
}
interface GitApi {
  readonly repositories: readonly GitApiRepository[];
  readonly onDidOpenRepository: vscode.Event<GitApiRepository>;
  readonly onDidCloseRepository: vscode.Event<GitApiRepository>;
}
interface GitExtension {
  readonly enabled: boolean;
  readonly onDidChangeEnablement: vscode.Event<boolean>;
  getAPI(version: 1): GitApi;
}

export class BuiltInGit implements vscode.Disposable {
  private readonly roots = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  /** fires when the set of repositories the built-in Git has open changes. */
  readonly onDidChange = this._onDidChange.event;
  private apiSubscriptions: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(this._onDidChange);
    void this.connect();
    this.disposables.push(vscode.extensions.onDidChange(() => void this.connect()));
  }

  /** Whether the built-in Git has the repository at `root` open. */
  has(root: string): boolean {
    return this.roots.has(path.resolve(root));
  }

  /** Asks the built-in Git to read the repository at `root` again (after Hammock changed its index, HEAD or refs). */
  async refresh(root: string): Promise<void> {
    const exports = vscode.extensions.getExtension<GitExtension>('vscode.git')?.exports;
    if (!exports?.enabled) return;
    const repo = exports.getAPI(1).repositories.find((r) => r.rootUri.scheme === 'file' && path.resolve(r.rootUri.fsPath) === path.resolve(root));
    try {
      await repo?.status();
    } catch {
      /* its own watcher still catches up */
    }
  }

  private connecting = false;

  private async connect(): Promise<void> {
    if (this.connecting || this.apiSubscriptions.length) return;
    const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
    if (!ext) return;
    this.connecting = true;
    try {
      // activating it here is what VS Code does anyway on a folder with a .git; if it is disabled (git.enabled false) its API says so
      const exports = ext.isActive ? ext.exports : await ext.activate();
      const sync = (): void => {
        const api = exports.enabled ? exports.getAPI(1) : undefined;
        this.roots.clear();
        for (const r of api?.repositories ?? []) if (r.rootUri.scheme === 'file') this.roots.add(path.resolve(r.rootUri.fsPath));
        this._onDidChange.fire();
      };
      const watchApi = (): void => {
        if (!exports.enabled) return;
        const api = exports.getAPI(1);
        this.apiSubscriptions.push(api.onDidOpenRepository(sync), api.onDidCloseRepository(sync));
      };
      this.apiSubscriptions.push(
        exports.onDidChangeEnablement(() => {
          for (const d of this.apiSubscriptions.splice(1)) d.dispose();
          watchApi();
          sync();
        }),
      );
      watchApi();
      sync();
    } catch {
      /* the built-in Git failed to start: Hammock is the only provider */
    } finally {
      this.connecting = false;
    }
  }

  dispose(): void {
    for (const d of this.apiSubscriptions.splice(0)) d.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
