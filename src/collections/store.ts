// The collections of a set of workspace folders, indexed by id, kept in step with the disk.
// Pure (no 'vscode'): the extension feeds it file-change notifications and listens to onDidChange.

import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Emitter, type Event } from '../util/emitter';
import type { Edit, EditResult, FileChange, NewCollectionOptions } from './edits';
import { planEdit, planNewCollection } from './editPlanner';
import type { Collection, Environment, Item, Problem, WorkspaceSnapshot } from './model';
import { walkItems } from './model';
import { loadWorkspace } from './scan';

export type Located =
  | { readonly kind: 'collection'; readonly collection: Collection }
  | { readonly kind: 'item'; readonly collection: Collection; readonly item: Item }
  | { readonly kind: 'environment'; readonly collection: Collection; readonly environment: Environment; readonly isBase: boolean };

export type Loader = (root: string) => Promise<WorkspaceSnapshot>;

export class CollectionStore {
  private snapshots = new Map<string, WorkspaceSnapshot>();
  private index = new Map<string, Located>();
  private loading: Promise<void> | undefined;
  private reloadAgain = false;

  private readonly _onDidChange = new Emitter<void>();
  /** fires after every reload, whatever changed. */
  readonly onDidChange: Event<void> = this._onDidChange.event;

  constructor(
    private roots: readonly string[],
    private readonly loader: Loader = (root) => loadWorkspace(root),
  ) {}

  get workspaceRoots(): readonly string[] {
    return this.roots;
  }

  setRoots(roots: readonly string[]): Promise<void> {
    this.roots = roots;
    return this.reload();
  }

  /** every collection of every root, in the order the loader gives (by name, then path). */
  get collections(): Collection[] {
    return this.roots.flatMap((root) => this.snapshots.get(root)?.collections ?? []);
  }

  /** every problem: those of files that belong to no collection and those of each collection. */
  get problems(): Problem[] {
    const out: Problem[] = [];
    for (const root of this.roots) {
      const snapshot = this.snapshots.get(root);
      if (!snapshot) continue;
      out.push(...snapshot.problems);
      for (const c of snapshot.collections) out.push(...c.problems);
    }
    return out;
  }

  get isLoaded(): boolean {
    return this.roots.every((root) => this.snapshots.has(root));
  }

  find(id: string): Located | undefined {
    return this.index.get(id);
  }

  rootOf(collection: Collection): string | undefined {
    return this.roots.find((root) => this.snapshots.get(root)?.collections.includes(collection));
  }

  /**
   * Re-reads every root. Calls that arrive while a reload runs are folded into one more reload after it,
   * so a burst of file events costs at most two loads.
   */
  reload(): Promise<void> {
    if (this.loading) {
      this.reloadAgain = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          const roots = this.roots;
          const loaded = await Promise.all(roots.map((root) => this.loader(root)));
          this.snapshots = new Map(roots.map((root, i) => [root, loaded[i]]));
          this.rebuildIndex();
          this._onDidChange.fire();
        } while (this.reloadAgain);
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** Plans an edit of a collection, writes the files it changes, and reloads. */
  async apply(collectionId: string, edit: Edit): Promise<EditResult> {
    const located = this.index.get(collectionId);
    if (!located) throw new Error(`No collection with id ${collectionId}`);
    const texts = new Map<string, string>();
    const collection = located.collection;
    await this.preloadTexts(collection, texts);
    const result = planEdit(collection, edit, {
      now: Date.now(),
      readText: (file) => {
        const text = texts.get(file);
        if (text === undefined) throw new Error(`File not loaded for editing: ${file}`);
        return text;
      },
    });
    await writeChanges(result.changes);
    await this.reload();
    return result;
  }

  async createCollection(options: Omit<NewCollectionOptions, 'now'>): Promise<EditResult & { collectionId: string }> {
    const result = planNewCollection({ ...options, now: Date.now() });
    for (const change of result.changes) {
      if (change.content !== null && (await exists(change.path))) {
        throw new Error(`${change.path} already exists`);
      }
    }
    await writeChanges(result.changes);
    await this.reload();
    return result;
  }

  dispose(): void {
    this._onDidChange.dispose();
  }

  private async preloadTexts(collection: Collection, texts: Map<string, string>): Promise<void> {
    const files = new Set<string>([collection.source.file]);
    for (const item of walkItems(collection.children)) files.add(item.source.file);
    const base = collection.baseEnvironment;
    if (base) {
      files.add(base.source.file);
      for (const sub of base.subEnvironments) files.add(sub.source.file);
    }
    if (collection.spec) files.add(collection.spec.source.file);
    await Promise.all([...files].map(async (file) => texts.set(file, await fsp.readFile(file, 'utf8'))));
  }

  private rebuildIndex(): void {
    const index = new Map<string, Located>();
    for (const collection of this.collections) {
      index.set(collection.id, { kind: 'collection', collection });
      for (const item of walkItems(collection.children)) index.set(item.id, { kind: 'item', collection, item });
      const base = collection.baseEnvironment;
      if (base) {
        index.set(base.id, { kind: 'environment', collection, environment: base, isBase: true });
        for (const sub of base.subEnvironments) {
          index.set(sub.id, { kind: 'environment', collection, environment: sub, isBase: false });
        }
      }
    }
    this.index = index;
  }
}

/** Writes planned changes: creates folders as needed, deletes files whose content is null. */
export async function writeChanges(changes: readonly FileChange[]): Promise<void> {
  for (const change of changes) {
    if (change.content === null) {
      await fsp.rm(change.path, { force: true });
    } else {
      await fsp.mkdir(path.dirname(change.path), { recursive: true });
      await fsp.writeFile(change.path, change.content, 'utf8');
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.access(file);
    return true;
  } catch {
    return false;
  }
}
