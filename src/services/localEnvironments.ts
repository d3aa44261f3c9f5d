// What of a collection's environments lives only on this machine, never in the repository: its private
// sub-environments (Insomnia's `isPrivate`, which Insomnia's Git Sync never writes to git) and its vault (variables
// a request reads as `{{ vault.<name> }}`, as Insomnia's vault secrets are read). Both are kept in VS Code's
// SecretStorage (encrypted by the OS keychain), one entry per collection and kind, keyed by the workspace id so that
// they follow a collection whose file moves. No 'vscode' import: the store is handed in (SecretStorage fits it).

import type { Environment } from '../collections/model';
import { Emitter, type Event } from '../util/emitter';

/** The part of VS Code's SecretStorage this service uses. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  /** fires with the key when another window changes a secret (SecretStorage.onDidChange). */
  readonly onDidChange?: (listener: (e: { key: string }) => unknown) => { dispose(): void };
}

/** A private sub-environment as it is stored: what the editor edits, in order. */
export interface StoredEnvironment {
  readonly id: string;
  readonly name: string;
  readonly data: Record<string, unknown>;
  readonly order?: string[];
  readonly color: string | null;
  readonly sortKey: number;
  /** when it was made (kept from the collection file it left, to be written back unchanged). */
  readonly created?: number;
}

export interface LocalChange {
  readonly collectionId: string;
  readonly what: 'environments' | 'vault';
}

const ENV_KEY = 'hammock.privateEnvironments/';
const VAULT_KEY = 'hammock.vault/';

/** The `source` of a private environment: it is in no file. */
export const LOCAL_SOURCE = Object.freeze({ file: '', yamlPath: Object.freeze([]) as readonly (string | number)[], line: 0 });

export class LocalEnvironments {
  private readonly envs = new Map<string, StoredEnvironment[]>();
  private readonly vaults = new Map<string, Record<string, string>>();
  private readonly loading = new Map<string, Promise<unknown>>();
  private readonly _onDidChange = new Emitter<LocalChange>();
  /** fires after a private environment or a vault variable of a collection changed. */
  readonly onDidChange: Event<LocalChange> = this._onDidChange.event;
  private readonly subscription: { dispose(): void } | undefined;
  /** per secret key: how many writes this instance made, and the text of the last one. */
  private readonly writes = new Map<string, number>();
  private readonly written = new Map<string, string | undefined>();

  constructor(private readonly secrets: SecretStore) {
    this.subscription = secrets.onDidChange?.((e) => {
      const kind = e.key.startsWith(ENV_KEY) ? 'environments' : e.key.startsWith(VAULT_KEY) ? 'vault' : undefined;
      if (!kind) return;
      const collectionId = e.key.slice((kind === 'environments' ? ENV_KEY : VAULT_KEY).length);
      // another window changed it (this one's own writes come back here too): read it again, and replace what is known
      // in one step, so that nobody reads an empty list in between; a write of ours after the event wins over it
      const writes = this.writes.get(e.key) ?? 0;
      void Promise.resolve(secrets.get(e.key)).then((text) => {
        if ((this.writes.get(e.key) ?? 0) !== writes || text === this.written.get(e.key)) return;
        if (kind === 'environments') {
          const next = parseEnvironments(text);
          if (JSON.stringify(next) === JSON.stringify(this.envs.get(collectionId))) return;
          this.envs.set(collectionId, next);
        } else {
          const next = parseVault(text);
          if (JSON.stringify(next) === JSON.stringify(this.vaults.get(collectionId))) return;
          this.vaults.set(collectionId, next);
        }
        this._onDidChange.fire({ collectionId, what: kind });
      });
    });
  }

  /** Reads a collection's private environments and vault (once; later calls are answered from memory). */
  async load(collectionId: string): Promise<void> {
    await Promise.all([this.loadEnvs(collectionId), this.loadVault(collectionId)]);
  }

  /** Whether a collection's private environments and vault have been read. */
  isLoaded(collectionId: string): boolean {
    return this.envs.has(collectionId) && this.vaults.has(collectionId);
  }

  /** The private sub-environments of a collection as model environments (loaded ones; `load` first), by sort key. */
  environments(collectionId: string, baseId: string): Environment[] {
    return (this.envs.get(collectionId) ?? [])
      .map((e) => ({
        id: e.id,
        parentId: baseId,
        name: e.name,
        data: e.data,
        ...(e.order ? { propertyOrder: e.order } : {}),
        color: e.color,
        sortKey: e.sortKey,
        ...(e.created !== undefined ? { created: e.created } : {}),
        isPrivate: true,
        source: LOCAL_SOURCE,
      }))
      .sort((a, b) => a.sortKey - b.sortKey);
  }

  has(collectionId: string, environmentId: string): boolean {
    return (this.envs.get(collectionId) ?? []).some((e) => e.id === environmentId);
  }

  async createEnvironment(collectionId: string, env: Omit<StoredEnvironment, 'sortKey'> & { sortKey?: number }): Promise<void> {
    const list = await this.loadEnvs(collectionId);
    if (list.some((e) => e.id === env.id)) throw new Error(`A private environment ${env.id} exists already`);
    const sortKey = env.sortKey ?? Math.max(Date.now(), ...list.map((e) => e.sortKey + 1));
    await this.saveEnvs(collectionId, [...list, { ...env, sortKey }]);
  }

  /** Sets fields of a private environment (only those given). */
  async updateEnvironment(
    collectionId: string,
    id: string,
    fields: { name?: string; data?: Record<string, unknown>; order?: readonly string[]; color?: string | null; sortKey?: number },
  ): Promise<void> {
    const list = await this.loadEnvs(collectionId);
    const at = list.findIndex((e) => e.id === id);
    if (at < 0) throw new Error(`No private environment ${id}`);
    const was = list[at];
    const next: StoredEnvironment = {
      ...was,
      ...(fields.name !== undefined ? { name: fields.name } : {}),
      ...(fields.color !== undefined ? { color: fields.color } : {}),
      ...(fields.sortKey !== undefined ? { sortKey: fields.sortKey } : {}),
      // the order as given: an object puts integer-like keys ("10") first whatever the order they were set in
      ...(fields.data !== undefined ? { data: fields.data, order: [...(fields.order ?? Object.keys(fields.data))] } : {}),
    };
    if (JSON.stringify(next) === JSON.stringify(was)) return;
    await this.saveEnvs(collectionId, list.map((e, i) => (i === at ? next : e)));
  }

  async deleteEnvironment(collectionId: string, id: string): Promise<StoredEnvironment | undefined> {
    const list = await this.loadEnvs(collectionId);
    const gone = list.find((e) => e.id === id);
    if (gone) await this.saveEnvs(collectionId, list.filter((e) => e.id !== id));
    return gone;
  }

  /** The vault of a collection: variable name -> value (loaded ones; `load` first). */
  vault(collectionId: string): Readonly<Record<string, string>> {
    return this.vaults.get(collectionId) ?? {};
  }

  async setVaultValue(collectionId: string, name: string, value: string | undefined): Promise<void> {
    const vault = { ...(await this.loadVault(collectionId)) };
    if (value === undefined) delete vault[name];
    else vault[name] = value;
    this.vaults.set(collectionId, vault);
    await this.put(VAULT_KEY + collectionId, Object.keys(vault).length === 0 ? undefined : JSON.stringify(vault));
    this._onDidChange.fire({ collectionId, what: 'vault' });
  }

  /** A vault name that is free in the collection, from `wanted` (`token`, `token_2`, ...), or `wanted` if it holds `value`. */
  async freeVaultName(collectionId: string, wanted: string, value: string): Promise<string> {
    const vault = await this.loadVault(collectionId);
    for (let i = 1; ; i++) {
      const name = i === 1 ? wanted : `${wanted}_${i}`;
      if (vault[name] === undefined || vault[name] === value) return name;
    }
  }

  /** Forgets what was read: the next `load` reads SecretStorage again (what a new extension host does; the tests use it). */
  forget(): void {
    this.envs.clear();
    this.vaults.clear();
    this.loading.clear();
  }

  dispose(): void {
    this.subscription?.dispose();
    this._onDidChange.dispose();
  }

  /** Writes (or deletes) one secret, noting it as this instance's latest write of that key. */
  private async put(key: string, text: string | undefined): Promise<void> {
    this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
    this.written.set(key, text);
    if (text === undefined) await this.secrets.delete(key);
    else await this.secrets.store(key, text);
  }

  private loadEnvs(collectionId: string): Promise<StoredEnvironment[]> {
    return this.loadOnce(this.envs, collectionId, ENV_KEY, parseEnvironments);
  }

  private loadVault(collectionId: string): Promise<Record<string, string>> {
    return this.loadOnce(this.vaults, collectionId, VAULT_KEY, parseVault);
  }

  /** A collection's entry of `cache`, read from SecretStorage (`prefix` + its id) once; concurrent callers share the read. */
  private loadOnce<T>(cache: Map<string, T>, collectionId: string, prefix: string, parse: (text: string | undefined) => T): Promise<T> {
    const known = cache.get(collectionId);
    if (known) return Promise.resolve(known);
    const key = prefix + collectionId;
    let p = this.loading.get(key) as Promise<T> | undefined;
    if (!p) {
      p = Promise.resolve(this.secrets.get(key)).then((text) => {
        if (!cache.has(collectionId)) cache.set(collectionId, parse(text));
        return cache.get(collectionId)!;
      });
      this.loading.set(key, p);
    }
    return p;
  }

  private async saveEnvs(collectionId: string, list: StoredEnvironment[]): Promise<void> {
    this.envs.set(collectionId, list);
    await this.put(ENV_KEY + collectionId, list.length === 0 ? undefined : JSON.stringify(list));
    this._onDidChange.fire({ collectionId, what: 'environments' });
  }
}

function parseEnvironments(text: string | undefined): StoredEnvironment[] {
  if (!text) return [];
  try {
    const value = JSON.parse(text) as unknown;
    if (!Array.isArray(value)) return [];
    return value.filter(
      (e): e is StoredEnvironment =>
        typeof e === 'object' && e !== null && typeof e.id === 'string' && typeof e.name === 'string' && typeof e.data === 'object' && e.data !== null && typeof e.sortKey === 'number',
    );
  } catch {
    return [];
  }
}

function parseVault(text: string | undefined): Record<string, string> {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  } catch {
    return {};
  }
}
