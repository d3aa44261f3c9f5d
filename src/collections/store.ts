// The collections of a set of workspace folders, kept in step with the disk. Pure (no 'vscode'): the extension feeds
// it the paths its file watcher reports and listens to onDidChange.
//
// How it stays cheap (a 10,000-file legacy repository, a 4 MB v5 file):
// - It keeps, for every file it read, the file's identity on disk and what it parsed to (fileState.ts). A file event
//   costs a `stat`; a file whose identity did not change is not read, and a v5 file re-read after an edit has only
//   the pieces whose text changed parsed again (v5Pieces.ts).
// - Its own writes are taken in from memory: an edit plans the new text, writes it, records the file's new identity
//   and the text's hash, and updates the model from that text. The watcher's event for that write then finds the
//   identity it already knows and does nothing.
// - An edit of one legacy document that keeps its place (same parent, same sort key) replaces that one object in the
//   model; anything else re-assembles the folder from the documents already parsed, without reading a file.
// - Its change event says what changed (StoreChange): which collections, items, containers, environments; a view
//   updates only that.
// - Every operation (a load, a batch of file events, an edit) runs one at a time in one queue, so an edit is always
//   planned on the model of the files as they are, and the model is never read half-updated.
//
// Items are addressed by their collection's path and their id (`locate`), never by id alone: one workspace id can
// live in two places (a legacy folder and its v5 copy), and one `.insomnia` folder can hold two workspaces.

import { promises as fsp, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { Emitter, type Event } from '../util/emitter';
import type { Edit, EditResult, FileChange, NewCollectionOptions } from './edits';
import { writers } from './lazyWriters';
import type { BaseEnvironment, Collection, Environment, Folder, Item, Problem, WorkspaceSnapshot } from './model';
import { walkItems } from './model';
import { hashText, isNotFound, readWithStamp, sameStamp, stampOf, type FileStamp, type LegacyFileState, type V5FileState } from './fileState';
import { intrinsicWarnings, isLegacyDataFile, isLegacyItemType, LEGACY_FOLDER_NAME, LEGACY_TYPES, type LegacyEntry } from './formats/legacy';
import {
  assembleLegacyFolder,
  isExcluded,
  isInsomniaPath,
  legacyFolderOf,
  readV5File,
  scanRoot,
  snapshotOf,
  v5FileState,
  type LoadOptions,
  type RootScan,
} from './scan';
import { legacyDataFiles, legacyFileState, legacyFileStateOf, readLegacyFile } from './legacyFiles';
import { Slicer } from './slicer';
import { LARGE_PIECE_CHARS, type ParseLarge } from './formats/v5Pieces';
import { specMappingOf } from './formats/v5';
import { threadCpuMs } from './threadCpu';
import type { PlanWorker, PlanWorkerOptions } from './planOffThread';
import { readLegacyFolderInWorkers, type LegacyReadAhead, type LegacyWorkerOptions } from './legacyReader';
import type { WriteScope } from './edit/pathGuard';
import { removeStaleTempFiles, writeFiles } from './edit/writeFiles';

export type Located =
  | { readonly kind: 'collection'; readonly collection: Collection }
  | { readonly kind: 'item'; readonly collection: Collection; readonly item: Item }
  | { readonly kind: 'environment'; readonly collection: Collection; readonly environment: Environment; readonly isBase: boolean };

/** Which collection: its path (a v5 file, or a `.insomnia` folder) and its workspace id. A `Collection` is one. */
export interface CollectionKey {
  readonly path: string;
  readonly id: string;
}

/** What changed in one collection. */
export interface CollectionDelta {
  readonly path: string;
  readonly id: string;
  /** the collection as it is now; undefined when it went away. */
  readonly collection: Collection | undefined;
  readonly kind: 'added' | 'removed' | 'changed';
  /** ids of the items whose own fields changed, or that appeared or went away; 'all' when any may have. */
  readonly items: ReadonlySet<string> | 'all';
  /** the collection's id or folder ids whose list of children changed; 'all' when any may have. */
  readonly containers: ReadonlySet<string> | 'all';
  /** the base environment or a sub-environment changed, appeared or went away. */
  readonly environments: boolean;
  /** the collection's own fields (name, description, scope, spec) changed. */
  readonly own: boolean;
}

/** What one store operation changed. */
export interface StoreChange {
  /** every collection that changed, appeared or went away. */
  readonly collections: readonly CollectionDelta[];
  /** the list of collections changed: one appeared, went away, or was renamed (the views' first level). */
  readonly list: boolean;
  /** the problems changed. */
  readonly problems: boolean;
  /** a whole (re)load: anything may have changed. */
  readonly all: boolean;
  /**
   * the kind of the edit made through the store (`apply`) that made this change; undefined for what was read from
   * disk (another program, a checkout). An editor whose item an edit of ours took away closes, as VS Code closes the
   * editor of a file deleted from within it; one whose item went with a checkout stays, as for a file another process
   * deleted.
   */
  readonly edit?: Edit['kind'];
}

/**
 * How long after a write its files are looked at again (lookAgainSoon): past VS Code's watcher bursts (its file
 * watcher delivers and folds events within a few hundred ms) and the workspace watcher's own 100 ms debounce.
 */
const LOOK_AGAIN_MS = 1000;

/** Whether a change touches an item (its own fields, or its presence) of the collection at `collectionPath`. */
export function changeTouches(change: StoreChange, collectionPath: string, id: string): boolean {
  if (change.all) return true;
  return change.collections.some((d) => d.path === collectionPath && (d.kind !== 'changed' || d.items === 'all' || d.items.has(id)));
}

export interface StoreOptions {
  /** the `hammock.exclude` patterns, read at each load. */
  readonly exclude?: () => readonly string[];
  /** reads one root (tests count or hold loads with it). */
  readonly scan?: (root: string, options: LoadOptions) => Promise<RootScan>;
  /** longest stretch of synchronous work before yielding, in ms (default 10). */
  readonly sliceMs?: number;
  /**
   * reads `.insomnia` folders in worker threads on a full load (legacyReader.ts), instead of reading and parsing
   * every file on this thread.
   */
  readonly legacyWorker?: LegacyWorkerOptions;
  /** reads of `.insomnia` folders started before the store (the first load takes them; legacyReader.ts). */
  readonly readAhead?: LegacyReadAhead;
  /** plans the edits of requests with a large text in a worker thread (planOffThread.ts), not on this thread. */
  readonly planWorker?: PlanWorkerOptions;
}

interface RootState {
  readonly scan: RootScan;
  snapshot: WorkspaceSnapshot;
}

const FULL: StoreChange = Object.freeze({ collections: [], list: true, problems: true, all: true });

export class CollectionStore {
  private roots: string[];
  private readonly states = new Map<string, RootState>();
  /** during the first load: each root's first level, before its legacy folders are read. */
  private readonly firstLevels = new Map<string, WorkspaceSnapshot>();
  private complete = false;
  /** collection path -> id -> what it is (both workspaces of a two-workspace folder share the path). */
  private index = new Map<string, Map<string, Located>>();
  /**
   * file -> its text before the store's run of writes to it, the text the store wrote last, and when (performance.now()
   * as the write was planned: restoreStamps).
   */
  private readonly beforeOurWrites = new Map<string, { readonly text: string; readonly written: string; readonly at: number }>();
  /** the worker that plans large requests' edits (options.planWorker), once one was. */
  private planWorker: PlanWorker | undefined;

  private queue: Promise<unknown> = Promise.resolve();
  private drainQueued: Promise<void> | undefined;
  private fullLoading: Promise<void> | undefined;
  private pendingFull = false;
  private readonly pendingFiles = new Set<string>();
  private loadedWaiters: (() => void)[] = [];
  /** the last `.insomnia` folder read handed to the worker threads (legacyWorker): they read one folder at a time. */
  private workerTurn: Promise<unknown> = Promise.resolve();
  /**
   * How the last full load went, as `performance.now()`: when it started, when the last `.insomnia` folder's files
   * were all in (read here or in workers), when every root was assembled, when the index was built, and when the
   * change had been fired (its listeners run); and this thread's CPU time from the files being in to the change
   * fired (Linux; threadCpu.ts). Start-up diagnostics (the tree_ready bench logs them).
   */
  lastFullLoad: { startedAt: number; filesInAt?: number; scannedAt: number; indexedAt: number; firedAt: number; cpuAfterFilesMs?: number } | undefined;

  private readonly _onDidChange = new Emitter<StoreChange>();
  /** files written, to be looked at again (lookAgainSoon). */
  private lookAgain: { timer: ReturnType<typeof setTimeout>; paths: Map<string, number> } | undefined;
  /** the edit the pending files' change is of (refreshPaths). */
  private pendingEdit: Edit['kind'] | undefined;
  /** fires after every operation that changed something, with what it changed. */
  readonly onDidChange: Event<StoreChange> = this._onDidChange.event;

  constructor(
    roots: readonly string[],
    private readonly options: StoreOptions = {},
  ) {
    this.roots = roots.map((r) => path.resolve(r));
  }

  get workspaceRoots(): readonly string[] {
    return this.roots;
  }

  setRoots(roots: readonly string[]): Promise<void> {
    this.roots = roots.map((r) => path.resolve(r));
    for (const root of [...this.states.keys()]) if (!this.roots.includes(root)) this.states.delete(root);
    return this.reload();
  }

  /** every collection of every root, in the order the loader gives (by name, then path). */
  get collections(): Collection[] {
    return this.roots.flatMap((root) => this.snapshotOf(root)?.collections ?? []);
  }

  /** every problem: those of files that belong to no collection and those of each collection. */
  get problems(): Problem[] {
    const out: Problem[] = [];
    for (const root of this.roots) {
      const snapshot = this.snapshotOf(root);
      if (!snapshot) continue;
      out.push(...snapshot.problems);
      for (const c of snapshot.collections) out.push(...c.problems);
    }
    return out;
  }

  get isLoaded(): boolean {
    return this.roots.every((root) => this.states.has(root) || this.firstLevels.has(root));
  }

  /** resolves when every root's first level is known (at once if it is). */
  async whenLoaded(): Promise<void> {
    if (this.isLoaded) return;
    const loaded = new Promise<void>((resolve) => this.loadedWaiters.push(resolve));
    await Promise.race([loaded, (this.fullLoading ?? this.reload()).then(() => loaded)]);
  }

  get isComplete(): boolean {
    return this.complete && this.roots.every((root) => this.states.has(root));
  }

  /** resolves when every collection has been read in full (at once if it has). */
  async whenComplete(): Promise<void> {
    while (!this.isComplete) await (this.fullLoading ?? this.reload());
  }

  /** What `id` is in the collection(s) at `collectionPath`. */
  locate(collectionPath: string, id: string): Located | undefined {
    return this.index.get(collectionPath)?.get(id);
  }

  /** The collection at `path` (with id `id`, when one `.insomnia` folder holds two). */
  collectionAt(collectionPath: string, id?: string): Collection | undefined {
    const located = id === undefined ? undefined : this.locate(collectionPath, id);
    if (located) return located.collection;
    return this.collections.find((c) => c.path === collectionPath && (id === undefined || c.id === id));
  }

  rootOf(collection: CollectionKey): string | undefined {
    return this.roots.find((root) => isInside(collection.path, root));
  }

  /**
   * Re-reads every root. Requests that arrive before a load starts reading join it; those that arrive while it reads
   * are folded into one more load after it.
   */
  reload(): Promise<void> {
    this.pendingFull = true;
    return this.scheduleDrain();
  }

  /**
   * Takes in what changed at these paths (absolute): a file, or a folder that appeared or went away. A file whose
   * identity on disk is the one the store knows (its own write's echo) costs a `stat` and nothing else. `edit`: the
   * paths are what an edit made in Hammock outside `apply` changed (Delete Collection), and the change says so.
   */
  refreshPaths(paths: readonly string[], edit?: Edit['kind']): Promise<void> {
    if (paths.length === 0) return this.drainQueued ?? Promise.resolve();
    for (const p of paths) this.pendingFiles.add(path.resolve(p));
    if (edit) this.pendingEdit = edit;
    return this.scheduleDrain();
  }

  /**
   * Plans an edit of a collection, writes the files it changes, and takes them into the model from what it wrote (no
   * re-read). The collection is named by its path and id (a `Collection` will do), since one workspace id may sit in
   * two files and one `.insomnia` folder may hold two workspaces. An edit that changes nothing writes nothing.
   */
  async apply(target: CollectionKey, edit: Edit): Promise<EditResult> {
    if (!this.isComplete) await this.whenComplete();
    return this.enqueue(async () => {
      if (!this.isComplete) await this.fullLoad();
      const collection = this.resolveCollection(target);
      const texts = new Map<string, string>();
      const byId = this.index.get(collection.path);
      const lookup = (id: string) => {
        const l = byId?.get(id);
        if (!l || l.collection !== collection) return undefined;
        return l.kind === 'item' ? l.item : l.kind === 'environment' ? l.environment : undefined;
      };
      const readText = (file: string) => {
        if (!belongsTo(collection, file)) throw new Error(`Not a file of the collection being edited: ${file}`);
        let text = texts.get(file);
        if (text === undefined) texts.set(file, (text = this.currentText(file)));
        return text;
      };
      const now = Date.now();
      // a large object's edit (a request's body, an environment's data, the spec) is planned in the worker (the event loop stays free), the rest here
      const offThread = this.options.planWorker ? await this.offThread().plan(collection, edit, lookup, readText, now) : undefined;
      const result = offThread ?? writers().planEdit(collection, edit, { now, lookup, readText });
      if (result.changes.length === 0) return result;
      const changes = result.changes.map((c) => this.restoreStamps(c, texts)).filter((c) => c.content === null || c.content !== texts.get(c.path));
      if (changes.length === 0) return { ...result, changes };
      await writeChanges(changes, this.writeScope(collection));
      this.markWritten(changes);
      await this.takeWritten(changes, edit.kind);
      this.lookAgainSoon(changes.map((c) => c.path));
      return { ...result, changes };
    });
  }

  /**
   * Ends the store's runs of writes to the files `ended` says (absolute paths): their next write starts a run from
   * what they are then. The git side calls it for the files git's status finds clean (a commit or a stage made them
   * the repository's version), so that an edit taken back after a commit gives back the committed text, not the text
   * from before the commit (restoreStamps).
   */
  endWriteRuns(ended: (file: string) => boolean): void {
    for (const file of [...this.beforeOurWrites.keys()]) if (ended(file)) this.beforeOurWrites.delete(file);
  }

  /** The files (absolute paths) the store is in a run of writes to (restoreStamps). */
  get writeRunFiles(): readonly string[] {
    return [...this.beforeOurWrites.keys()];
  }

  /** The runs of the files just written: written now (writtenSince). */
  private markWritten(changes: readonly FileChange[]): void {
    const at = performance.now();
    for (const c of changes) {
      const file = path.resolve(c.path);
      const run = this.beforeOurWrites.get(file);
      if (run) this.beforeOurWrites.set(file, { ...run, at });
    }
  }

  /**
   * Whether the store wrote `file` (absolute path) at or after `t` (performance.now()): a git status that began
   * before then may not have seen that write, so it cannot say the file is clean (endWriteRuns).
   */
  writtenSince(file: string, t: number): boolean {
    const run = this.beforeOurWrites.get(path.resolve(file));
    return !!run && run.at >= t;
  }

  /**
   * `file`'s run of writes goes on from `text`, git's version of it (a commit made while the run went on, the file
   * written again before git's status could find it clean, so that `endWriteRuns` never came): an edit taken back
   * to that text gives back its bytes, and one taken back further than the commit gets a new stamp, never the
   * older stamp of the text from before the commit. `text` may still be read (null: git has no such file): the
   * edits applied from now on wait for it.
   */
  restartWriteRun(file: string, text: string | null | Promise<string | null>): Promise<void> {
    return this.enqueue(async () => {
      const committed = await text;
      const run = this.beforeOurWrites.get(path.resolve(file));
      if (run && committed !== null) this.beforeOurWrites.set(path.resolve(file), { text: committed, written: run.written, at: run.at });
    });
  }

  /**
   * `change` as it is written: the text its file had before the store's run of writes to it, when the change makes
   * the file that text again but for `modified` stamps (an edit taken back leaves `git status` clean; stampRestore.ts).
   * `read`: the files' texts the edit was planned on.
   */
  private restoreStamps(change: FileChange, read: ReadonlyMap<string, string>): FileChange {
    const file = path.resolve(change.path);
    const now = read.get(change.path);
    let run = this.beforeOurWrites.get(file);
    // changed by someone else since our last write (or never written by us): the run starts from what it is now
    if (run && run.written !== now) run = undefined;
    if (change.content === null || now === undefined) {
      this.beforeOurWrites.delete(file);
      return change;
    }
    const start = run?.text ?? now;
    // the whole file back where the run began, or else each item this write changed that is back where it was
    const content = change.content === start || writers().onlyStampsDiffer(start, change.content) ? start : writers().restoreItemStamps(start, now, change.content);
    this.beforeOurWrites.set(file, { text: start, written: content, at: performance.now() });
    return content === change.content ? change : { ...change, content };
  }

  async createCollection(options: Omit<NewCollectionOptions, 'now'>): Promise<EditResult & { collectionId: string }> {
    if (!this.isComplete) await this.whenComplete();
    return this.enqueue(async () => {
      if (!this.isComplete) await this.fullLoad();
      const legacyDir = path.join(path.resolve(options.root), LEGACY_FOLDER_NAME);
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
      const root = path.resolve(options.root);
      await writeChanges(result.changes, options.format === 'legacy' ? { format: 'legacy', folder: legacyDir, workspaceRoot: root } : { format: 'v5', folder: root, workspaceRoot: root });
      await this.takeWritten(result.changes);
      return result;
    });
  }

  /** The worker that plans large requests' edits (options.planWorker), started now if need be. */
  private offThread(): PlanWorker {
    return (this.planWorker ??= new (writers().PlanWorker)(this.options.planWorker!));
  }

  /** Parses a v5 file's large piece in the plan worker (v5Pieces.ts's ParseLarge), given one (options.planWorker). */
  private parseLarge(): ParseLarge | undefined {
    return this.options.planWorker ? (text) => this.offThread().parse(text) : undefined;
  }

  /** Where an edit of a collection may write: its `.insomnia` folder or its v5 file's folder, inside its workspace root. */
  private writeScope(collection: Collection): WriteScope {
    const workspaceRoot = this.rootOf(collection);
    return collection.format === 'legacy'
      ? { format: 'legacy', folder: collection.path, workspaceRoot }
      : { format: 'v5', folder: path.dirname(collection.path), workspaceRoot };
  }

  dispose(): void {
    this.planWorker?.dispose();
    if (this.lookAgain) clearTimeout(this.lookAgain.timer);
    this.lookAgain = undefined;
    this._onDidChange.dispose();
  }

  /**
   * The files the store wrote, looked at again once the file watcher's events for them are surely in: VS Code folds a
   * file's events of one short burst together, and a create (an atomic write is a rename onto the file) followed by a
   * delete comes out as nothing at all, so a file another program deleted (a checkout) or wrote right after our write
   * could go unreported. A file as the store wrote it costs a `stat`. A file written again while it waits (typing
   * on) is looked at again once its last write's own LOOK_AGAIN_MS is past too. `at`: when they were written.
   */
  private lookAgainSoon(files: readonly string[], at = performance.now()): void {
    if (!this.lookAgain) {
      const paths = new Map<string, number>();
      const timer = setTimeout(() => {
        this.lookAgain = undefined;
        void this.refreshPaths([...paths.keys()]).catch(() => undefined);
        const now = performance.now();
        for (const [f, t] of paths) if (now - t < LOOK_AGAIN_MS) this.lookAgainSoon([f], t);
      }, Math.max(0, at + LOOK_AGAIN_MS - performance.now()));
      timer.unref?.();
      this.lookAgain = { timer, paths };
    }
    for (const f of files) this.lookAgain.paths.set(f, at);
  }

  // ------------------------------------------------------------------------------------------------------------
  // the queue

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private scheduleDrain(): Promise<void> {
    if (!this.drainQueued) {
      const drain = this.enqueue(async () => {
        this.drainQueued = undefined;
        const edit = this.pendingEdit;
        this.pendingEdit = undefined;
        if (this.pendingFull || !this.isComplete) {
          this.pendingFull = false;
          this.pendingFiles.clear();
          await this.fullLoad();
          return;
        }
        const files = [...this.pendingFiles];
        this.pendingFiles.clear();
        await this.refreshFiles(files, edit);
      });
      this.drainQueued = drain;
      if (this.pendingFull || !this.isComplete) {
        this.fullLoading = drain;
        void drain.then(
          () => this.fullLoading === drain && (this.fullLoading = undefined),
          () => this.fullLoading === drain && (this.fullLoading = undefined),
        );
      }
    }
    return this.drainQueued;
  }

  private fire(change: StoreChange): void {
    if (this.isLoaded && this.loadedWaiters.length) {
      const waiters = this.loadedWaiters;
      this.loadedWaiters = [];
      for (const w of waiters) w();
    }
    this._onDidChange.fire(change);
  }

  // ------------------------------------------------------------------------------------------------------------
  // loading

  private tidied: Promise<void> = Promise.resolve();

  private async fullLoad(): Promise<void> {
    const startedAt = performance.now();
    let filesInAt: number | undefined;
    let filesInCpu: number | undefined;
    const roots = this.roots;
    const first = !this.complete;
    const exclude = this.options.exclude?.() ?? [];
    const scan = this.options.scan ?? scanRoot;
    const workers = this.options.legacyWorker;
    const readAhead = this.options.readAhead;
    /** folders whose files came from a read started before this load: their identities are checked after it. */
    const readEarly: string[] = [];
    const readLegacyFiles =
      workers || readAhead
        ? (dir: string, slicer: Slicer) => {
            const early = first ? readAhead?.take(dir) : undefined;
            if (early) readEarly.push(dir);
            const filesIn = <T>(r: T) => {
              filesInAt = performance.now();
              filesInCpu = threadCpuMs();
              return r;
            };
            if (early) return early.then(filesIn);
            if (!workers) return undefined;
            // one folder at a time in the workers, whatever the number of roots being read
            const read = this.workerTurn.then(() => readLegacyFolderInWorkers(dir, workers, slicer));
            this.workerTurn = read.catch(() => undefined);
            return read.then(filesIn);
          }
        : undefined;
    const scans = await Promise.all(
      roots.map((root) =>
        scan(root, {
          exclude,
          sliceMs: this.options.sliceMs,
          readLegacyFiles,
          // on the first load, show each root's first level as soon as it is known
          onFirstLevel: first
            ? (snapshot) => {
                if (this.complete || this.roots !== roots) return;
                this.firstLevels.set(root, snapshot);
                this.rebuildIndex();
                this.fire(FULL);
              }
            : undefined,
        }),
      ),
    );
    const scannedAt = performance.now();
    const snapshots = scans.map(snapshotOf);
    const index = await this.buildIndex(snapshots.flatMap((s) => s.collections), new Slicer(undefined, this.options.sliceMs));
    const indexedAt = performance.now();
    this.states.clear();
    roots.forEach((root, i) => this.states.set(root, { scan: scans[i], snapshot: snapshots[i] }));
    this.firstLevels.clear();
    this.complete = true;
    this.index = index;
    if (first) readAhead?.clear();
    this.fire(FULL);
    const firedAt = performance.now();
    const firedCpu = filesInCpu === undefined ? undefined : threadCpuMs();
    this.lastFullLoad = { startedAt, filesInAt, scannedAt, indexedAt, firedAt, cpuAfterFilesMs: firedCpu === undefined || filesInCpu === undefined ? undefined : firedCpu - filesInCpu };
    if (readEarly.length) void this.checkReadEarly(readEarly);
    // temporary files of saves killed mid-way (a crashed window's): removed beside what comes next, not before it (a
    // listing of a 10,000-file folder, and its turn in a busy host's event loop, cost the whole tree ~170 ms)
    if (first) this.tidied = removeStaleTempFiles(leftoverFolders(roots, snapshots)).then(() => undefined, () => undefined);
  }

  /** resolves once the first load's removal of killed saves' temporary files is over (tests wait for it). */
  whenTidied(): Promise<void> {
    return this.tidied;
  }

  /**
   * After a first load that took reads started before it (LegacyReadAhead): a file whose identity on disk is not the
   * one read (changed while the read ran, before the file watcher saw anything) is taken in again. One `stat` per
   * file, after the load, in slices of at most 2 ms: it runs just when a user opens the first request, and each
   * step of opening an editor would otherwise wait for a 10 ms slice (10,000 stats in 10 ms slices made opening a
   * request right after the load about 250 ms slower in the tree_ready bench, 1.76-1.82 s; in 2 ms slices 1.56-1.57 s,
   * about what it takes with no early read at all).
   */
  private async checkReadEarly(dirs: readonly string[]): Promise<void> {
    const slicer = new Slicer(undefined, Math.min(2, this.options.sliceMs ?? 2));
    const changed: string[] = [];
    for (const dir of dirs) {
      const folder = this.stateHolding(dir)?.scan.legacy.get(dir);
      if (!folder) continue;
      const known = new Set<string>();
      for (const [file, state] of folder.files) {
        if (slicer.due()) await slicer.yield();
        known.add(file);
        if (!sameStamp(statStamp(file), state.stamp)) changed.push(file);
      }
      // files that appeared since
      for (const { file } of legacyDataFiles(dir)) if (!known.has(file)) changed.push(file);
    }
    if (changed.length) await this.refreshPaths(changed);
  }

  private snapshotOf(root: string): WorkspaceSnapshot | undefined {
    return this.states.get(root)?.snapshot ?? this.firstLevels.get(root);
  }

  private stateHolding(file: string): RootState | undefined {
    let best: string | undefined;
    for (const root of this.roots) if (isInside(file, root) && (!best || root.length > best.length)) best = root;
    return best === undefined ? undefined : this.states.get(best);
  }

  // ------------------------------------------------------------------------------------------------------------
  // taking in changes

  /** What changed at `paths` on disk, read from the disk. */
  private async refreshFiles(paths: readonly string[], edit?: Edit['kind']): Promise<void> {
    const slicer = new Slicer(undefined, this.options.sliceMs);
    const legacy = new Map<string, Map<string, LegacyFileState | null> | 'rescan'>();
    const v5 = new Map<string, V5FileState | null>();
    const exclude = this.options.exclude?.() ?? [];
    const consider = async (file: string, state: RootState): Promise<void> => {
      const dir = legacyFolderOf(file);
      if (dir) {
        if (isExcluded(exclude, state.scan.root, dir)) return;
        const folderState = state.scan.legacy.get(dir);
        const rel = path.relative(dir, file).split(path.sep);
        const what = legacyPathKind(rel);
        if (what === 'ignore') return;
        if (!folderState || what === 'rescan') {
          legacy.set(dir, 'rescan');
          return;
        }
        let changes = legacy.get(dir);
        if (changes === 'rescan') return;
        if (!changes) legacy.set(dir, (changes = new Map()));
        const known = folderState.files.get(file);
        const stamp = statStamp(file);
        if (!stamp) {
          if (known) changes.set(file, null);
          return;
        }
        if (sameStamp(stamp, known?.stamp)) return;
        let read: { text: string; stamp: FileStamp };
        try {
          read = readWithStamp(file);
        } catch (err) {
          if (!isNotFound(err)) throw err;
          if (known) changes.set(file, null);
          return;
        }
        const hash = hashText(read.text);
        // the bytes the store knows (its own write, touched): a new identity, nothing to parse or tell
        if (known && known.hash === hash) folderState.files.set(file, { ...known, stamp: read.stamp });
        else changes.set(file, legacyFileState(file, rel[0], read.text, read.stamp, hash));
        return;
      }
      const known = state.scan.v5.get(file);
      if (!known && (!isInsomniaPath(file) || isExcluded(exclude, state.scan.root, file))) return;
      const stamp = statStamp(file);
      if (!stamp) {
        if (known) v5.set(file, null);
        return;
      }
      if (sameStamp(stamp, known?.stamp)) return;
      const next = await readV5File(file, slicer, known, this.parseLarge());
      if (next) v5.set(file, next);
      else if (known) v5.set(file, null);
    };
    for (const p of paths) {
      const state = this.stateHolding(p);
      if (!state) continue; // outside every root
      if (slicer.due()) await slicer.yield();
      if (isDirectory(p) || (!path.extname(p) && !legacyFolderOf(p) && !statStamp(p))) {
        // a folder that appeared or went away: what the store knows under it, and what is there now
        for (const file of state.scan.v5.keys()) if (isInside(file, p)) await consider(file, state);
        for (const dir of state.scan.legacy.keys()) if (isInside(dir, p)) legacy.set(dir, 'rescan');
        for (const found of findInsomniaFiles(p, state.scan.root, exclude)) await consider(found, state);
        continue;
      }
      await consider(p, state);
    }
    await this.takeIn(legacy, v5, slicer, edit);
  }

  /** What the store itself wrote: the new texts are the files' contents; nothing is read back. */
  private async takeWritten(changes: readonly FileChange[], edit?: Edit['kind']): Promise<void> {
    const slicer = new Slicer(undefined, this.options.sliceMs);
    const legacy = new Map<string, Map<string, LegacyFileState | null> | 'rescan'>();
    const v5 = new Map<string, V5FileState | null>();
    for (const change of changes) {
      const file = path.resolve(change.path);
      const state = this.stateHolding(file);
      if (!state) continue;
      const stamp = statStamp(file);
      // another process changed the file since our write: take what is on disk
      const ours = change.content !== null && stamp && stamp.size === Buffer.byteLength(change.content);
      const dir = legacyFolderOf(file);
      if (dir) {
        const rel = path.relative(dir, file).split(path.sep);
        let changesOf = legacy.get(dir);
        if (!state.scan.legacy.has(dir) || rel.length !== 2) {
          legacy.set(dir, 'rescan');
          continue;
        }
        if (changesOf === 'rescan') continue;
        if (!changesOf) legacy.set(dir, (changesOf = new Map()));
        if (change.content === null || !stamp) changesOf.set(file, null);
        else if (ours) changesOf.set(file, await this.writtenLegacyState(file, rel[0], change.content, stamp));
        else changesOf.set(file, readLegacyFile(file, rel[0]) ?? null);
        continue;
      }
      if (change.content === null || !stamp) {
        v5.set(file, null);
        continue;
      }
      const previous = state.scan.v5.get(file);
      // (a large piece, a request's body of hundreds of KB, is parsed in the plan worker, as its edit was planned there)
      const parseLarge = this.parseLarge();
      const next = ours ? await v5FileState(file, change.content, stamp, { slicer, previous, parseLarge }) : await readV5File(file, slicer, previous, parseLarge);
      v5.set(file, next ?? null);
    }
    await this.takeIn(legacy, v5, slicer, edit);
  }

  /**
   * The state of a legacy file from the text the store wrote: parsed in the plan worker when it is large (a request's
   * edit planned there: its body of hundreds of KB), else here.
   */
  private async writtenLegacyState(file: string, folder: string, text: string, stamp: FileStamp): Promise<LegacyFileState> {
    const parsed = this.options.planWorker && text.length >= LARGE_PIECE_CHARS ? await this.offThread().parseLegacy(file, folder, text) : undefined;
    return parsed ? legacyFileStateOf(parsed, stamp, hashText(text)) : legacyFileState(file, folder, text, stamp, hashText(text));
  }

  /** Puts new file states into the model and fires what changed. `null`: the file is gone. `edit`: see StoreChange. */
  private async takeIn(
    legacy: ReadonlyMap<string, ReadonlyMap<string, LegacyFileState | null> | 'rescan'>,
    v5: ReadonlyMap<string, V5FileState | null>,
    slicer: Slicer,
    edit?: Edit['kind'],
  ): Promise<void> {
    const deltas: CollectionDelta[] = [];
    let list = false;
    let problems = false;
    const touchedRoots = new Set<RootState>();

    for (const [file, next] of v5) {
      const state = this.stateHolding(file);
      if (!state) continue;
      const before = state.scan.v5.get(file);
      if (next && before && next.text === before.text) {
        state.scan.v5.set(file, next); // the same bytes: a new identity only
        continue;
      }
      if (next) state.scan.v5.set(file, next);
      else state.scan.v5.delete(file);
      if (!before && !next) continue;
      touchedRoots.add(state);
      if (slicer.overdue()) await slicer.yield();
      const was = before?.result.collection;
      const now = next?.result.collection;
      if (!sameProblems(before?.result.problems ?? [], next?.result.problems ?? []) || !sameProblems(was?.problems ?? [], now?.problems ?? [])) problems = true;
      for (const delta of diffCollections(was, now)) {
        deltas.push(delta);
        if (delta.kind !== 'changed' || was?.name !== now?.name) list = true;
      }
      if (slicer.overdue()) await slicer.yield();
    }

    for (const [dir, changes] of legacy) {
      const state = this.stateHolding(dir);
      if (!state) continue;
      const folder = state.scan.legacy.get(dir);
      const beforeCollections = folder?.result.collections ?? [];
      const beforeProblems = folder ? folderProblems(folder.result) : [];
      let files: Map<string, LegacyFileState>;
      let changedIds = new Set<string>();
      if (changes === 'rescan' || !folder) {
        files = new Map();
        for (const { folder: type, file } of legacyDataFiles(dir)) {
          if (slicer.due()) await slicer.yield();
          const known = folder?.files.get(file);
          const stamp = statStamp(file);
          if (known && sameStamp(stamp, known.stamp)) {
            files.set(file, known);
            continue;
          }
          const read = readLegacyFile(file, type);
          if (read) files.set(file, read);
        }
        const all = new Set([...(folder?.files.keys() ?? []), ...files.keys()]);
        for (const file of all) {
          const a = folder?.files.get(file);
          const b = files.get(file);
          if (a !== b) for (const id of [a?.entry?.id, b?.entry?.id]) if (id) changedIds.add(id);
        }
        if (folder && changedIds.size === 0 && all.size === folder.files.size) continue;
      } else {
        if (changes.size === 0) continue;
        // one document that keeps its place: replace it where it is
        if (changes.size === 1) {
          const [[file, next]] = changes;
          if (next && this.patchLegacyInPlace(folder, file, next, deltas)) {
            problems ||= !sameProblems(intrinsicOf(folder.files.get(file)), intrinsicOf(next));
            folder.files.set(file, next);
            continue;
          }
        }
        files = new Map(folder.files);
        let added = false;
        for (const [file, next] of changes) {
          const prev = files.get(file);
          for (const id of [prev?.entry?.id, next?.entry?.id]) if (id) changedIds.add(id);
          if (next) {
            added ||= !prev;
            files.set(file, next);
          } else {
            files.delete(file);
          }
        }
        // documents of equal sort key keep the order of their files, as a fresh read of the folder gives it
        if (added) files = new Map([...files].sort(([a], [b]) => compareDataFiles(a, b)));
      }
      touchedRoots.add(state);
      if (files.size === 0 && !existsDir(dir)) {
        state.scan.legacy.delete(dir);
      } else {
        state.scan.legacy.set(dir, { dir, files, result: await assembleLegacyFolder(dir, files, slicer) });
      }
      const after = state.scan.legacy.get(dir);
      const afterCollections = after?.result.collections ?? [];
      if (!sameProblems(beforeProblems, after ? folderProblems(after.result) : [])) problems = true;
      const keys = new Set([...beforeCollections, ...afterCollections].map((c) => c.id));
      for (const id of keys) {
        const was = beforeCollections.find((c) => c.id === id);
        const now = afterCollections.find((c) => c.id === id);
        const kind = !was ? 'added' : !now ? 'removed' : 'changed';
        if (kind !== 'changed' || was!.name !== now!.name) list = true;
        deltas.push({ path: dir, id, collection: now, kind, items: changedIds.size ? changedIds : new Set(), containers: 'all', environments: true, own: true });
      }
      changedIds = new Set();
    }

    for (const state of touchedRoots) {
      if (slicer.overdue()) await slicer.yield();
      const before = state.snapshot.collections;
      state.snapshot = snapshotOf(state.scan);
      if (before.length !== state.snapshot.collections.length || before.some((c, i) => c !== state.snapshot.collections[i])) list = true;
    }
    if (touchedRoots.size) this.index = await this.buildIndex(this.collections, slicer);
    // a collection that came or went can add or drop the twin-format warning of another (markTwinFormats)
    if (list) problems = true;
    if (deltas.length || list || problems) this.fire({ collections: deltas, list, problems, all: false, ...(edit ? { edit } : {}) });
  }

  /**
   * Replaces one legacy document's model object where it is, when the new document keeps its id, type, parent and
   * sort key and the old one is linked where its file says (not an orphan, not a duplicate). Records the delta.
   */
  private patchLegacyInPlace(
    folder: { readonly dir: string; readonly files: Map<string, LegacyFileState> },
    file: string,
    next: LegacyFileState,
    deltas: CollectionDelta[],
  ): boolean {
    const old = folder.files.get(file)?.entry;
    const now = next.entry;
    if (!old || !now || !old.model || !now.model) return false;
    if (old.id !== now.id || old.type !== now.type || old.folder !== now.folder || old.parentId !== now.parentId) return false;
    const located = this.locate(folder.dir, old.id);
    if (!located) return false;
    const collection = located.collection;
    let environments = false;
    if (isLegacyItemType(old.type)) {
      const was = old.model as Item;
      const item = now.model as Item;
      if (located.kind !== 'item' || located.item !== was || was.parentId !== old.parentId || was.sortKey !== item.sortKey) return false;
      const siblings = was.parentId === collection.id ? collection.children : (this.locate(folder.dir, was.parentId) as { item?: Folder } | undefined)?.item?.children;
      const i = siblings ? siblings.indexOf(was) : -1;
      if (!siblings || i < 0) return false;
      if (was.kind === 'folder' && item.kind === 'folder') item.children = was.children;
      siblings[i] = item;
    } else if (old.type === 'Environment') {
      const was = old.model as Environment;
      const env = now.model as Environment;
      if (located.kind !== 'environment' || located.environment !== was || was.parentId !== old.parentId || was.sortKey !== env.sortKey) return false;
      if (located.isBase) {
        (env as BaseEnvironment).subEnvironments = (was as BaseEnvironment).subEnvironments;
        collection.baseEnvironment = env as BaseEnvironment;
      } else {
        const subs = collection.baseEnvironment?.subEnvironments;
        const i = subs ? subs.indexOf(was) : -1;
        if (!subs || i < 0) return false;
        subs[i] = env;
      }
      environments = true;
    } else {
      return false;
    }
    // the document's own warnings (folder, file name) follow it; the others depend on its place, which is the same
    const oldWarnings = new Set(intrinsicWarnings(old));
    collection.problems = collection.problems.filter((p) => p.file !== file || !oldWarnings.has(p.message));
    for (const message of intrinsicWarnings(now)) collection.problems.push({ file, line: 0, column: 0, message, severity: 'warning' });
    this.indexOne(collection, now);
    deltas.push({
      path: folder.dir,
      id: collection.id,
      collection,
      kind: 'changed',
      items: environments ? new Set() : new Set([now.id]),
      containers: new Set(),
      environments,
      own: false,
    });
    return true;
  }

  // ------------------------------------------------------------------------------------------------------------
  // edits

  private resolveCollection(target: CollectionKey): Collection {
    const at = this.collections.filter((c) => c.path === target.path);
    const collection = at.find((c) => c.id === target.id) ?? (at.length === 1 ? at[0] : undefined);
    if (!collection) throw new Error(`No collection ${target.id} at ${target.path}`);
    return collection;
  }

  /** The text of a collection file as the model knows it when its identity did not change, else as it is on disk. */
  private currentText(file: string): string {
    const known = this.stateHolding(file)?.scan.v5.get(file);
    if (known && sameStamp(statStamp(file), known.stamp)) return known.text;
    return readFileSync(file, 'utf8');
  }

  // ------------------------------------------------------------------------------------------------------------
  // the index

  private rebuildIndex(): void {
    this.index = runIndexSteps(this.collections);
  }

  /** The index of `collections`, built a slice at a time; it replaces the store's index only when done. */
  private async buildIndex(collections: readonly Collection[], slicer: Slicer): Promise<Map<string, Map<string, Located>>> {
    const steps = indexSteps(collections);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      if (slicer.overdue()) await slicer.yield();
    }
  }

  private indexOne(collection: Collection, entry: LegacyEntry): void {
    const byId = this.index.get(collection.path);
    if (!byId) return;
    if (isLegacyItemType(entry.type)) byId.set(entry.id, { kind: 'item', collection, item: entry.model as Item });
    else if (entry.type === 'Environment') {
      const env = entry.model as Environment;
      byId.set(entry.id, { kind: 'environment', collection, environment: env, isBase: collection.baseEnvironment === env });
    }
  }
}

/** The index of collections (path -> id -> what it is), a step per 1,024 items. */
function* indexSteps(collections: readonly Collection[]): Generator<void, Map<string, Map<string, Located>>> {
  const index = new Map<string, Map<string, Located>>();
  let n = 0;
  for (const collection of collections) {
    let byId = index.get(collection.path);
    if (!byId) index.set(collection.path, (byId = new Map()));
    byId.set(collection.id, { kind: 'collection', collection });
    // every item, depth first as walkItems gives them, without a generator per folder (the first load runs this cold,
    // where 10,000 items through nested generators took 20 ms against 8)
    const lists: (readonly Item[])[] = [collection.children];
    const next: number[] = [0];
    while (lists.length) {
      const top = lists.length - 1;
      const list = lists[top]!;
      const i = next[top]!;
      if (i === list.length) {
        lists.pop();
        next.pop();
        continue;
      }
      next[top] = i + 1;
      const item = list[i]!;
      if ((++n & 1023) === 0) yield;
      byId.set(item.id, { kind: 'item', collection, item });
      if (item.kind === 'folder' && item.children.length) {
        lists.push(item.children);
        next.push(0);
      }
    }
    const base = collection.baseEnvironment;
    if (base) {
      byId.set(base.id, { kind: 'environment', collection, environment: base, isBase: true });
      for (const sub of base.subEnvironments) byId.set(sub.id, { kind: 'environment', collection, environment: sub, isBase: false });
    }
  }
  return index;
}

function runIndexSteps(collections: readonly Collection[]): Map<string, Map<string, Located>> {
  const steps = indexSteps(collections);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// what changed in a collection

/** What changed between two versions of one v5 file's collection (undefined: none before, or none now). */
export function diffCollections(was: Collection | undefined, now: Collection | undefined): CollectionDelta[] {
  const whole = (c: Collection, kind: 'added' | 'removed'): CollectionDelta =>
    ({ path: c.path, id: c.id, collection: kind === 'added' ? c : undefined, kind, items: 'all', containers: 'all', environments: true, own: true });
  if (!was || !now || was.id !== now.id) return [...(was ? [whole(was, 'removed')] : []), ...(now ? [whole(now, 'added')] : [])];
  const items = new Set<string>();
  const containers = new Set<string>();
  const before = new Map<string, Item>();
  for (const item of walkItems(was.children)) before.set(item.id, item);
  const childIds = (list: readonly Item[]) => list.map((i) => i.id).join('\n');
  if (childIds(was.children) !== childIds(now.children)) containers.add(now.id);
  const seen = new Set<string>();
  for (const item of walkItems(now.children)) {
    seen.add(item.id);
    const old = before.get(item.id);
    if (!old) {
      items.add(item.id);
      containers.add(item.parentId);
      continue;
    }
    if (old.parentId !== item.parentId) {
      containers.add(old.parentId);
      containers.add(item.parentId);
    }
    if (old.kind === 'folder' && item.kind === 'folder' && childIds(old.children) !== childIds(item.children)) containers.add(item.id);
    if (!sameItem(old, item)) items.add(item.id);
  }
  for (const [id, old] of before) {
    if (seen.has(id)) continue;
    items.add(id);
    containers.add(old.parentId);
  }
  const environments = !sameEnvironments(was.baseEnvironment, now.baseEnvironment);
  const own = was.name !== now.name || was.description !== now.description || was.scope !== now.scope || !sameSpec(was, now) || !sameTestSuites(was, now);
  if (!items.size && !containers.size && !environments && !own) return [];
  return [{ path: now.path, id: now.id, collection: now, kind: 'changed', items, containers, environments, own }];
}

/** Whether two versions of an item have the same own fields (children, and where it is in the file, aside). */
function sameItem(a: Item, b: Item): boolean {
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  for (const key of Object.keys(rb)) {
    if (key === 'children' || key === 'source') continue;
    if (!deepEqual(ra[key], rb[key])) return false;
  }
  return Object.keys(a).length === Object.keys(b).length;
}

/**
 * Whether the design document's spec is the same: two v5 specs by their parsed mappings (the same object while the
 * file's spec piece is unchanged), not their text (rendering a 1 MB spec's mapping takes 60-90 ms).
 */
function sameSpec(a: Collection, b: Collection): boolean {
  if (!a.spec || !b.spec) return a.spec === b.spec;
  const [ma, mb] = [specMappingOf(a.spec), specMappingOf(b.spec)];
  const same = ma !== undefined && mb !== undefined ? deepEqual(ma, mb, true) : a.spec.contents === b.spec.contents;
  return a.spec.id === b.spec.id && a.spec.fileName === b.spec.fileName && a.spec.file === b.spec.file && same;
}

/** Whether the unit test suites are the same (names, code, requests, order; where they sit in the file aside). */
function sameTestSuites(a: Collection, b: Collection): boolean {
  const strip = (c: Collection) => (c.testSuites ?? []).map((s) => ({ ...s, source: undefined, tests: s.tests.map((t) => ({ ...t, source: undefined })) }));
  return deepEqual(strip(a), strip(b));
}

function sameEnvironments(a: BaseEnvironment | undefined, b: BaseEnvironment | undefined): boolean {
  if (!a || !b) return a === b;
  const strip = (e: Environment) => ({ ...e, source: undefined, subEnvironments: undefined });
  return deepEqual(strip(a), strip(b)) && a.subEnvironments.length === b.subEnvironments.length && a.subEnvironments.every((s, i) => deepEqual(strip(s), strip(b.subEnvironments[i])));
}

/** `ordered`: the keys in the same order too (what a YAML rendering of either says). */
function deepEqual(a: unknown, b: unknown, ordered = false): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i], ordered));
  if (Array.isArray(b)) return false;
  const [ka, kb] = [Object.keys(a), Object.keys(b)];
  if (ka.length !== kb.length || (ordered && ka.some((k, i) => k !== kb[i]))) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], ordered));
}

function sameProblems(a: readonly Problem[], b: readonly Problem[]): boolean {
  return a.length === b.length && a.every((p, i) => p.file === b[i].file && p.line === b[i].line && p.message === b[i].message && p.severity === b[i].severity);
}

function folderProblems(result: { collections: readonly Collection[]; problems: readonly Problem[] }): Problem[] {
  return [...result.problems, ...result.collections.flatMap((c) => c.problems)];
}

function intrinsicOf(state: LegacyFileState | undefined): Problem[] {
  const entry = state?.entry;
  return entry ? intrinsicWarnings(entry).map((message) => ({ file: entry.file, line: 0, column: 0, message, severity: 'warning' as const })) : [];
}

// ---------------------------------------------------------------------------------------------------------------
// files

/**
 * Writes planned changes all or nothing, every path through the one path guard (edit/writeFiles.ts); `scope`: where
 * they may go (default: the one collection folder the paths name).
 */
export function writeChanges(changes: readonly FileChange[], scope?: WriteScope): Promise<void> {
  return writeFiles(changes, scope);
}

/**
 * What a changed path inside a `.insomnia` folder (its parts below the folder) means: a data file (`<Type>/<id>.yml`)
 * is read alone; any other file in a type folder (a writer's temporary file, an editor's backup) changes nothing; the
 * folder itself or a type folder appearing or going away makes the folder be listed again.
 */
export function legacyPathKind(rel: readonly string[]): 'file' | 'ignore' | 'rescan' {
  if (rel.length !== 2 || rel[0] === '' || rel[0] === '..') return rel.length > 2 ? 'ignore' : 'rescan';
  return isLegacyDataFile(rel[1]) ? 'file' : 'ignore';
}

/** The order `legacyDataFiles` lists a folder's files in: by type folder, then by file name. */
function compareDataFiles(a: string, b: string): number {
  const ta = path.basename(path.dirname(a));
  const tb = path.basename(path.dirname(b));
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = path.basename(a);
  const nb = path.basename(b);
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/**
 * Where a save killed mid-way may have left its temporary file (edit/writeFiles.ts): the roots, the folders of v5
 * files, the type folders of `.insomnia` folders (where Insomnia's Git Sync would refuse it).
 */
function leftoverFolders(roots: readonly string[], snapshots: readonly WorkspaceSnapshot[]): string[] {
  const dirs = [...roots];
  for (const c of snapshots.flatMap((s) => s.collections)) {
    if (c.format === 'v5') dirs.push(path.dirname(c.path));
    else for (const type of LEGACY_TYPES) dirs.push(path.join(c.path, type));
  }
  return dirs;
}

function statStamp(file: string): FileStamp | undefined {
  try {
    const st = statSync(file);
    return st.isFile() ? stampOf(st) : undefined;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function existsDir(p: string): boolean {
  return isDirectory(p);
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

/** Whether a file is one of a collection's: inside its `.insomnia` folder, or its v5 file. */
function belongsTo(collection: Collection, file: string): boolean {
  return collection.format === 'v5' ? path.resolve(file) === collection.path : isInside(path.resolve(file), collection.path);
}

/** The v5 candidates and legacy data files under a folder that appeared (the walk `scanRoot` does, on a subtree). */
function findInsomniaFiles(dir: string, root: string, exclude: readonly string[]): string[] {
  const out: string[] = [];
  if (!isDirectory(dir)) return out;
  const walk = (d: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (isExcluded(exclude, root, p)) continue;
      if (e.isDirectory()) {
        if (e.name === LEGACY_FOLDER_NAME) out.push(...legacyDataFiles(p).map((f) => f.file));
        else if (!e.name.startsWith('.') && e.name !== 'node_modules') walk(p);
      } else if (e.isFile() && isInsomniaPath(p)) {
        out.push(p);
      }
    }
  };
  if (path.basename(dir) === LEGACY_FOLDER_NAME) out.push(...legacyDataFiles(dir).map((f) => f.file));
  else walk(dir);
  return out;
}
