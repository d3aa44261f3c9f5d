// Which sub-environment is active, per collection, remembered in the workspace state; and what a request of a
// collection renders with: that environment (a private one from this machine's LocalEnvironments when it is one) and
// the collection's vault.
import * as vscode from 'vscode';
import type { Collection, Environment } from './collections/model';
import type { LocalEnvironments } from './services/localEnvironments';

const STATE_KEY = 'hammock.activeEnvironments';

/** What a render of a collection's request gets besides its files: the active sub-environment and the vault. */
export interface RenderEnvironment {
  /** the active sub-environment: its id (in the collection's files) or itself (a private one); undefined = base only. */
  readonly environment: string | Environment | undefined;
  readonly vault: Readonly<Record<string, string>>;
}

export class ActiveEnvironments implements vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<string>();
  /** fires with the collection id whose active environment changed. */
  readonly onDidChange = this._onDidChange.event;

  constructor(
    private readonly state: vscode.Memento,
    /** private environments and vaults (absent: none, as in tests that make their own). */
    readonly local?: LocalEnvironments,
  ) {}

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

  /** The sub-environments of a collection to choose from: those of its files, then its private ones (this machine). */
  async subEnvironments(collection: Collection): Promise<Environment[]> {
    const base = collection.baseEnvironment;
    if (!this.local || !base) return base?.subEnvironments ?? [];
    await this.local.load(collection.id);
    return [...base.subEnvironments, ...this.local.environments(collection.id, base.id)];
  }

  /** The active environment of a collection as a render needs it, and its vault. */
  async renderEnvironment(collection: Collection): Promise<RenderEnvironment> {
    const id = this.get(collection.id);
    if (!this.local) return { environment: id, vault: {} };
    await this.local.load(collection.id);
    const vault = this.local.vault(collection.id);
    const base = collection.baseEnvironment;
    if (!id || !base || base.subEnvironments.some((e) => e.id === id)) return { environment: id, vault };
    return { environment: this.local.environments(collection.id, base.id).find((e) => e.id === id), vault };
  }

  /** The active environment of a collection, as a name to show (`Base Environment` when none is). */
  async activeName(collection: Collection): Promise<{ name: string; color: string | null; isPrivate: boolean } | undefined> {
    const base = collection.baseEnvironment;
    if (!base) return undefined;
    const id = this.get(collection.id);
    const sub = id ? (await this.subEnvironments(collection)).find((e) => e.id === id) : undefined;
    return sub ? { name: sub.name, color: sub.color, isPrivate: sub.isPrivate } : { name: base.name, color: base.color, isPrivate: false };
  }

  dispose(): void {
    this._onDidChange.dispose();
  }

  private all(): Record<string, string> {
    return this.state.get<Record<string, string>>(STATE_KEY, {});
  }
}
