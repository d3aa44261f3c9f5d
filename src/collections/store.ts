// The collections of a set of workspace folders, indexed by id, kept in step with the disk.
// Pure (no 'vscode'): the extension feeds it file-change notifications and listens to onDidChange.

import { promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Emitter, type Event } from '../util/emitter';
import type { Edit, EditResult, FileChange, NewCollectionOptions } from './edits';
import { writers } from './lazyWriters';
import type { Collection, Environment, Item, Problem, WorkspaceSnapshot } from './model';
import { walkItems } from './model';
import { compareCollections, legacyFolderOf, loadCollectionFile, loadLegacyFolder, loadWorkspace, markTwinFormats } from './scan';

export type Located =
  | { readonly kind: 'collection'; readonly collection: Collection }
  | { readonly kind: 'item'; readonly collection: Collection; readonly item: Item }
  | { readonly kind: 'environment'; readonly collection: Collection; readonly environment: Environment; readonly isBase: boolean };

/** Loads one root; may report the first level early through `onFirstLevel` (see `LoadOptions.onFirstLevel`). */
export type Loader = (root: string, onFirstLevel?: (snapshot: WorkspaceSnapshot) => void) => Promise<WorkspaceSnapshot>;

export class CollectionStore {
  private snapshots = new Map<string, WorkspaceSnapshot>();
  private index = new Map<string, Located>();
  private running: Promise<void> | undefined;
  private pendingFull = false;
  /** a full load has ended: every collection is read, not only its first level. */
  private complete = false;
  private readonly pendingFiles = new Set<string>();

  private readonly _onDidChange = new Emitter<void>();
  /** fires after every reload, whatever changed. */
  readonly onDidChange: Event<void> = this._onDidChange.event;

  constructor(
    private roots: readonly string[],
    private readonly loader: Loader = (root, onFirstLevel) => loadWorkspace(root, { onFirstLevel }),
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

  /** resolves when every root's first level is known (at once if it is). */
  async whenLoaded(): Promise<void> {
    while (!this.isLoaded) await (this.running ?? this.reload());
  }

  get isComplete(): boolean {
    return this.complete && this.isLoaded;
  }

  /** resolves when every collection has been read in full (at once if it has). */
  async whenComplete(): Promise<void> {
    while (!this.isComplete) await (this.running ?? this.reload());
  }

  find(id: string): Located | undefined {
    return this.index.get(id);
  }

  rootOf(collection: Collection): string | undefined {
    return this.roots.find((root) => this.snapshots.get(root)?.collections.includes(collection));
  }

  /**
   * Re-reads every root. Requests that arrive while a load runs are folded into one more pass after it,
   * so a burst of file events costs at most two loads.
   */
  reload(): Promise<void> {
    this.pendingFull = true;
    return this.drain();
  }

  /**
   * Re-reads only what these changed paths (absolute) can affect: a v5 file the store already holds, or the
   * `.insomnia` folder a path is in. A path it cannot place that way (a new file, a deleted folder) costs a full reload.
   */
  refreshPaths(paths: readonly string[]): Promise<void> {
    for (const p of paths) this.pendingFiles.add(path.resolve(p));
    return this.drain();
  }

  private drain(): Promise<void> {
    this.running ??= (async () => {
      try {
        while (this.pendingFull || this.pendingFiles.size) {
          if (this.pendingFull || !this.isComplete) {
            this.pendingFull = false;
            this.pendingFiles.clear();
            const roots = this.roots;
            // on the first load, show each root's first level as soon as it is known
            const firstLevel = this.complete
              ? undefined
              : (root: string) => (snapshot: WorkspaceSnapshot) => {
                  if (this.complete || this.roots !== roots) return;
                  this.snapshots.set(root, snapshot);
                  this.rebuildIndex();
                  this._onDidChange.fire();
                };
            const loaded = await Promise.all(roots.map((root) => this.loader(root, firstLevel?.(root))));
            this.snapshots = new Map(roots.map((root, i) => [root, loaded[i]]));
            this.complete = true;
          } else {
            const files = [...this.pendingFiles];
            this.pendingFiles.clear();
            if (!(await this.reloadParts(files))) {
              this.pendingFull = true;
              continue;
            }
          }
          this.rebuildIndex();
          this._onDidChange.fire();
        }
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Re-reads the v5 files and legacy folders behind `files`; false when some path needs a full reload. */
  private async reloadParts(files: readonly string[]): Promise<boolean> {
    const legacyDirs = new Set<string>();
    const v5Files = new Set<string>();
    for (const file of files) {
      const snapshot = this.snapshotHolding(file);
      if (!snapshot) continue; // outside every root
      const dir = legacyFolderOf(file);
      const target = dir ?? file;
      const known =
        snapshot.collections.some((c) => c.path === target) ||
        snapshot.problems.some((p) => (dir ? isInside(p.file, dir) : p.file === file));
      if (!known) return false;
      (dir ? legacyDirs : v5Files).add(target);
    }
    const parts = await Promise.all([
      ...[...legacyDirs].map(async (dir) => ({ target: dir, isDir: true, result: await loadLegacyFolder(dir) })),
      ...[...v5Files].map(async (file) => ({ target: file, isDir: false, result: await loadCollectionFile(file) })),
    ]);
    for (const { target, isDir, result } of parts) {
      const snapshot = this.snapshotHolding(target)!;
      const belongs = (file: string) => (isDir ? isInside(file, target) : file === target);
      snapshot.collections = snapshot.collections.filter((c) => c.path !== target);
      snapshot.problems = snapshot.problems.filter((p) => !belongs(p.file));
      const collections = 'collections' in result ? result.collections : result.collection ? [result.collection] : [];
      snapshot.collections.push(...collections);
      snapshot.problems.push(...result.problems);
      snapshot.collections.sort(compareCollections);
    }
    for (const snapshot of new Set(parts.map((p) => this.snapshotHolding(p.target)!))) markTwinFormats(snapshot.collections);
    return true;
  }

  private snapshotHolding(file: string): WorkspaceSnapshot | undefined {
    for (const root of this.roots) if (isInside(file, root)) return this.snapshots.get(root);
    return undefined;
  }

  /**
   * Plans an edit of a collection, writes the files it changes, and re-reads them. The collection is named by its
   * path (file or `.insomnia` folder), since one workspace id may sit in two files (a legacy folder and its v5 copy).
   */
  async apply(collectionPath: string, edit: Edit): Promise<EditResult> {
    await this.whenComplete();
    const collection = this.collections.find((c) => c.path === collectionPath);
    if (!collection) throw new Error(`No collection at ${collectionPath}`);
    // read only the files the planner asks for (one or two), not every file of a 10,000-request legacy folder
    const files = filesOf(collection);
    const texts = new Map<string, string>();
    const result = writers().planEdit(collection, edit, {
      now: Date.now(),
      readText: (file) => {
        if (!files.has(file)) throw new Error(`Not a file of the collection being edited: ${file}`);
        let text = texts.get(file);
        if (text === undefined) texts.set(file, (text = readFileSync(file, 'utf8')));
        return text;
      },
    });
    await writeChanges(result.changes);
    await this.refreshPaths(result.changes.map((c) => c.path));
    return result;
  }

  async createCollection(options: Omit<NewCollectionOptions, 'now'>): Promise<EditResult & { collectionId: string }> {
    const legacyDir = path.join(options.root, '.insomnia');
    if (options.format === 'legacy' && this.collections.some((c) => c.path === legacyDir)) {
      // Insomnia's legacy Git Sync expects exactly one workspace in a repository's .insomnia folder
      throw new Error(`${legacyDir} already holds a collection; Insomnia reads one per repository. Create an Insomnia v5 file instead.`);
    }
    const result = writers().planNewCollection({ ...options, now: Date.now() });
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

function isInside(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/** Every file a collection's model objects come from. */
function filesOf(collection: Collection): Set<string> {
  const files = new Set<string>([collection.source.file]);
  for (const item of walkItems(collection.children)) files.add(item.source.file);
  const base = collection.baseEnvironment;
  if (base) {
    files.add(base.source.file);
    for (const sub of base.subEnvironments) files.add(sub.source.file);
  }
  if (collection.spec) files.add(collection.spec.source.file);
  return files;
}
