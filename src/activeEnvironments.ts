// Which sub-environment is active, per collection, remembered in the workspace state.
import * as vscode from 'vscode';

const STATE_KEY = 'hammock.activeEnvironments';

export class ActiveEnvironments implements vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<string>();
  /** fires with the collection id whose active environment changed. */
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly state: vscode.Memento) {}

  /** the active sub-environment id of a collection, or undefined for the base environment alone. */
  get(collectionId: string): string | undefined {
    return this.all()[collectionId];
  }

  async set(collectionId: string, environmentId: string | undefined): Promise<void> {
    const all = { ...this.all() };
    if (environmentId === undefined) delete all[collectionId];
    else all[collectionId] = environmentId;
    await this.state.update(STATE_KEY, all);
    this._onDidChange.fire(collectionId);
  }

  dispose(): void {
    this._onDidChange.dispose();
  }

  private all(): Record<string, string> {
    return this.state.get<Record<string, string>>(STATE_KEY, {});
  }
}
