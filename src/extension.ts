// activate() only composes: the log, the store, the views and the commands; every disposable kept.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ActiveEnvironments } from './activeEnvironments';
import { CollectionStore } from './collections/store';
import { LegacyReadAhead, type LegacyWorkerOptions } from './collections/legacyReader';
import { isExcluded } from './collections/scan';
import { threadCpuMs, threadWaitMs } from './collections/threadCpu';
import { LEGACY_FOLDER_NAME } from './collections/formats/legacy';
import { Views } from './commandIds';
import { registerCommands } from './commands';
import { ProblemsPanel } from './problemsPanel';
import { HistoryView } from './history/historyView';
import { SyncService } from './sync/syncService';
import { CollectionsDragAndDrop, CollectionsTreeProvider, FolderNode, RequestNode } from './tree/collectionsTree';
import { ExpandedIds } from './tree/expandedIds';
import { EnvironmentsTreeProvider } from './tree/environmentsTree';
import { isRelevantPath, WorkspaceWatcher } from './workspaceWatcher';
import { registerRequestCommands } from './webviews/requestCommands';
import { RequestPanels } from './webviews/requestPanels';
import { disposeScriptSandbox, hostRenderHooks, httpSender, runSessions, type HttpSenderDeps } from './webviews/httpSender';
import { TestExplorer } from './tree/testExplorer';
import { registerImportExportCommands } from './importExport/importExportCommands';
import { ImportPreviews } from './importExport/importPreview';
import { ResponseHistory } from './webviews/responseHistory';
import { RevisionDocumentProvider } from './review/revisionDocuments';
import { ReviewController } from './review/reviewController';
import { commandCenter } from './commands/commandCenter';
import { WorkGate } from './services/workGate';
import { showWalkthroughOnce } from './walkthrough';
import { LocalEnvironments } from './services/localEnvironments';
import { HammockFileSystem } from './documents/hammockFileSystem';
import { EnvironmentPanels } from './webviews/environmentPanels';
import { pendingEdits } from './webviews/pendingEdits';
import { KeptTyping } from './webviews/keptTyping';
import type { SecretStore } from './services/localEnvironments';
import { EnvironmentStatusBar } from './environmentStatusBar';
import { registerEnvironmentCommands } from './webviews/environmentCommands';
import { registerSecretCommands } from './secrets/secretCommands';
import { secretCommitCheck } from './secrets/secretCommitCheck';
import { storeImportSecrets, takeSecretsOutOfImport } from './secrets/importSecrets';

/** `insomnia.globals` of scripts, in the workspace state (Insomnia keeps them in a global environment, never in a collection's file). */
const GLOBALS_KEY = 'hammock.scriptGlobals';
/** workspaceState: the Collections view's nodes left expanded (tree/expandedIds.ts). */
const EXPANDED_KEY = 'hammock.collections.expanded';

/** Set by the bundle's first line (esbuild.config.mjs): `performance.now()` when the bundle started loading. */
declare const __hammockBundleStart: number | undefined;
/** Set by the bundle's first line: the extension host process's `process.cpuUsage()` then. */
declare const __hammockBundleCpu: NodeJS.CpuUsage | undefined;

/** When things happened, as `performance.now()` of the extension host, and how long they took (ms). */
export interface Timings {
  /** from the start of activate() to the Collections tree's first level. */
  firstLevelMs?: number;
  /** when the bundle started loading (before any of its code ran). */
  bundleStartAt?: number;
  /** when activate() started. */
  activateAt?: number;
  /** when every collection was read in full: the whole tree can be expanded. */
  completeAt?: number;
  /** activate()'s own time. */
  activateMs?: number;
  /**
   * CPU time (user + system, ms) the extension host process used from the bundle's first line to `completeAt`: all
   * its threads and every extension in it, so beside the wall time it tells how much of the span the host was
   * waiting for a core (the machine busy) rather than working.
   */
  startupCpuMs?: number;
  /**
   * the `.insomnia` folders read ahead, as the bundle loaded, in worker threads (collections/legacyReader.ts): when
   * each read started and ended (`performance.now()`), files read by the workers (of them, taken from their parse
   * cache) and on the host thread, and each worker's own time and span.
   */
  readAhead?: { startedAt: number; doneAt: number; fromWorkers: number; fromCache: number; onThread: number; workerMs: readonly number[]; workerCpuMs: readonly number[]; workerWaitMs: readonly number[]; workerSpans: readonly { from: number; to: number }[] }[];
  /**
   * CPU time of the extension host's own thread from this module's start to `completeAt` (Linux; threadCpu.ts): with
   * the workers' CPU, where the span's work was done.
   */
  startupThreadCpuMs?: number;
  /** time the extension host's own thread was runnable but waiting for a core over the same span (Linux; threadCpu.ts). */
  startupThreadWaitMs?: number;
}

/** What activate() returns: used by the integration tests, and by anyone scripting Hammock. */
export interface HammockApi {
  readonly store: CollectionStore;
  readonly activeEnvironments: ActiveEnvironments;
  readonly collectionsView: vscode.TreeView<unknown>;
  readonly environmentsView: vscode.TreeView<unknown>;
  readonly collectionsTree: CollectionsTreeProvider;
  /** the Collections view's expanded nodes as the workspace state holds them for the next window (tree/expandedIds.ts). */
  storedExpanded(): unknown;
  readonly environmentsTree: EnvironmentsTreeProvider;
  /** resolves once the first load of the workspace is done. */
  readonly ready: Promise<void>;
  /** ms from the start of activate() to the Collections tree's first level being ready (the first load done), and more. */
  readonly timings: Timings;
  /** opens when there is work (services/workGate.ts): until then nothing is read. */
  readonly gate: WorkGate;
  /** git sync: the repositories, their Source Control views, the credentials. */
  readonly sync: SyncService;
  /** the request editors and the response viewer. */
  readonly requestPanels: RequestPanels;
  /** the History view: commits that touched collections, the incoming preview. */
  readonly history: HistoryView;
  /** Review Branch: the open review and the Review view. */
  readonly review: ReviewController;
  /** the import preview (Hammock: Import...). */
  readonly importPreviews: ImportPreviews;
  /** private environments and vaults: this machine's SecretStorage. */
  readonly localEnvironments: LocalEnvironments;
  /** the environment editors. */
  readonly environmentPanels: EnvironmentPanels;
  /** the active environment in the status bar. */
  readonly environmentStatusBar: EnvironmentStatusBar;
  /** the `hammock:` file system: bodies, scripts, specs and environments in text editors. */
  readonly documents: HammockFileSystem;
  /** the Test Explorer's tests: requests with tests, unit test suites. */
  readonly testExplorer: TestExplorer;
  /** what was typed and is not written yet (held edits, drafts), kept in SecretStorage over a window reload. */
  readonly keptTyping: KeptTyping;
  /**
   * As a new extension host after a window reload (the tests use it after calling `deactivate`): SecretStorage can be
   * written again, and what was held in memory of it (private environments, vaults, kept typing) is read again; the
   * unwritten keys the old host kept and its last write put in their files are dropped, as at start-up.
   */
  reopened(): Promise<void>;
}

/**
 * Set when the window closes or reloads (`deactivate`): the VS Code API is cut off then, SecretStorage can no longer
 * be written, and what would be written from now on is refused at once (no write left hanging, none half made).
 */
const closing = { now: false };

/** SecretStorage as the extension writes it: refused once the window is closing (`closing`). */
function secretsUntilClosing(secrets: vscode.SecretStorage): SecretStore {
  const refused = () => Promise.reject(new Error('the window is closing: SecretStorage cannot be written any more'));
  return {
    get: (key) => secrets.get(key),
    store: (key, value) => (closing.now ? refused() : secrets.store(key, value)),
    delete: (key) => (closing.now ? refused() : secrets.delete(key)),
    onDidChange: (listener) => secrets.onDidChange(listener),
  };
}

/**
 * The legacy read worker, beside this bundle (esbuild.config.mjs); none when it is missing. One worker, two where
 * there are four cores or more: each worker compiles its parser afresh and has its own heap, so a second one costs
 * more CPU on a 10,000-file folder (measured on 2 cores: 2 x 360 ms against 1 x 600 ms with js-yaml; with the legacy
 * YAML fast path 2 x 260 against 1 x 390, and the extension host's CPU 200-300 ms higher, the tree no sooner), which
 * only pays where a core is free for it besides VS Code's own start-up. The workers keep a parse cache in the
 * repository's git directory (collections/legacyCache.ts): a window opened again parses only the files changed since.
 */
function legacyWorkerOptions(): LegacyWorkerOptions | undefined {
  const file = path.join(__dirname, 'legacyWorker.js');
  try {
    return statSync(file).isFile() ? { file, workers: availableParallelism() >= 4 ? 2 : 1, cache: true } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * As the bundle loads, before VS Code gets round to activate(): each workspace folder's `.insomnia` folder (the
 * WorkGate's first test: one stat per folder, and such a folder opens the gate) starts being read in a worker, so
 * that reading 10,000 files overlaps the extension host's start-up instead of following it. The store's first load
 * takes these reads, then checks each file's identity against what was read (legacyReader.ts).
 */
function startReadAhead(options: LegacyWorkerOptions | undefined): LegacyReadAhead | undefined {
  if (!options) return undefined;
  try {
    const ahead = new LegacyReadAhead(options);
    const exclude = vscode.workspace.getConfiguration('hammock').get<string[]>('exclude', []);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const root = path.resolve(folder.uri.fsPath);
      const dir = path.join(root, LEGACY_FOLDER_NAME);
      let isDir = false;
      try {
        isDir = statSync(dir).isDirectory();
      } catch {
        // none here
      }
      if (isDir && !isExcluded(exclude, root, dir)) ahead.start(dir);
    }
    return ahead;
  } catch {
    return undefined; // activate() reads as it would without
  }
}

/** this thread's CPU time as the module starts (see Timings.startupThreadCpuMs). */
const moduleThreadCpu = threadCpuMs();
const moduleThreadWait = threadWaitMs();
const legacyWorker = legacyWorkerOptions();
const readAhead = startReadAhead(legacyWorker);

export function activate(context: vscode.ExtensionContext): HammockApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Hammock', { log: true });
  context.subscriptions.push(log);

  const roots = () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const exclude = () => vscode.workspace.getConfiguration('hammock').get<string[]>('exclude', []);
  // an edit of a request with a large body is planned in dist/planWorker.js (one that cannot start: on this thread)
  const store = new CollectionStore(roots(), { exclude, legacyWorker, readAhead, planWorker: { file: path.join(__dirname, 'planWorker.js') } });
  closing.now = false;
  const secrets = secretsUntilClosing(context.secrets);
  const localEnvironments = new LocalEnvironments(secrets);
  // (this workspace's entry: SecretStorage is shared by every window)
  const workspaceId = vscode.workspace.workspaceFile?.toString() ?? (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()).join('|');
  const keptTyping = new KeptTyping(secrets, workspaceId, (message) => log.warn(message));
  void keptTyping.load();
  const activeEnvironments = new ActiveEnvironments(context.workspaceState, localEnvironments);
  const watcher = new WorkspaceWatcher();
  context.subscriptions.push(store, activeEnvironments, localEnvironments, { dispose: () => readAhead?.clear() });

  // the collections and folders left expanded come back so after a reload (VS Code keeps that only for its Explorer)
  const expanded = new ExpandedIds(context.workspaceState.get(EXPANDED_KEY));
  const collectionsTree = new CollectionsTreeProvider(store, expanded);
  const environmentsTree = new EnvironmentsTreeProvider(store, activeEnvironments);
  const collectionsView = vscode.window.createTreeView(Views.collections, {
    treeDataProvider: collectionsTree,
    showCollapseAll: true,
    dragAndDropController: new CollectionsDragAndDrop(store, log),
  });
  const environmentsView = vscode.window.createTreeView(Views.environments, { treeDataProvider: environmentsTree });
  context.subscriptions.push(collectionsTree, environmentsTree, collectionsView, environmentsView);
  const keepExpanded = (changed: boolean) => changed && void context.workspaceState.update(EXPANDED_KEY, expanded.toJSON());
  context.subscriptions.push(
    collectionsView.onDidExpandElement((e) => keepExpanded(expanded.expand(e.element.key))),
    collectionsView.onDidCollapseElement((e) => keepExpanded(expanded.collapse(e.element.key))),
  );
  // nothing is read until there is work: a .insomnia folder, an Insomnia file, a Hammock view or command
  const gate = new WorkGate({ roots, exclude, views: [collectionsView, environmentsView], changes: watcher.onDidChangeFiles, log });
  // the one command center: every command tells the gate it runs, and its failures are logged here
  commandCenter.configure({ log, onWillRun: (id) => gate.open(`the command ${id} runs`) });
  context.subscriptions.push(gate, { dispose: () => commandCenter.configure({ onWillRun: undefined }) });

  context.subscriptions.push(
    new ProblemsPanel(store),
    RevisionDocumentProvider.register(),
    watcher,
    watcher.onDidChangeFiles((paths) => {
      const relevant = gate.isOpen ? paths.filter(isRelevantPath) : [];
      if (relevant.length) void store.refreshPaths(relevant).catch((err) => log.error('reload failed', err));
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      if (gate.isOpen) void store.setRoots(roots());
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (gate.isOpen && e.affectsConfiguration('hammock.exclude')) void store.reload();
    }),
    ...registerCommands({
      store,
      active: activeEnvironments,
      log,
      revealItem: async (collectionPath, id, focus) => {
        const located = store.locate(collectionPath, id);
        if (located?.kind === 'environment' || !located) return;
        const node = located.kind === 'collection' ? collectionsTree.collectionNode(located.collection) : located.item.kind === 'folder' ? new FolderNode(located.collection, located.item) : new RequestNode(located.collection, located.item);
        await collectionsView.reveal(node, { select: true, focus }).then(undefined, (err: unknown) => log.warn(`could not show ${id} in the Collections view: ${err}`));
      },
      // (a file no commit holds yet, untracked or added: Discard would delete it, not bring an item of it back)
      committed: (p) => {
        const r = sync.getRepository(p);
        const s = r?.repository.snapshot?.status;
        return !!s && ![...s.changes, ...s.staged].some((c) => (c.kind === 'untracked' || c.kind === 'added') && path.join(r.root, c.path) === p);
      },
      selectedIn: (view) => (view === Views.collections ? collectionsView : view === Views.environments ? environmentsView : undefined)?.selection[0],
      takeImportSecrets: async (result) => {
        const secrets = await takeSecretsOutOfImport(result, undefined, log);
        return secrets && ((c) => storeImportSecrets(secrets, () => c.id, { local: localEnvironments, active: activeEnvironments }));
      },
    }),
  );

  const sync = new SyncService({ context, log, store, watcher });
  context.subscriptions.push(sync);
  // a commit made in Hammock stops when its staged collection changes add a secret
  sync.commitChecks.push(secretCommitCheck({ store, local: localEnvironments, active: activeEnvironments, log }));
  context.subscriptions.push(...registerSecretCommands({ store, local: localEnvironments, active: activeEnvironments, log, extensionUri: context.extensionUri }));
  const historyView = new HistoryView(sync);
  context.subscriptions.push(historyView);

  // a request's responses are filed by its collection's workspace id; the files that hold it now say which it shows
  const holders = (collectionId: string, requestId: string) => store.collections.filter((c) => c.id === collectionId && store.locate(c.path, requestId)).map((c) => c.path);
  const history = new ResponseHistory(context.storageUri && vscode.Uri.joinPath(context.storageUri, 'responses').fsPath, holders);
  const latestResponse = async (collectionPath: string, requestId: string) => {
    const located = store.locate(collectionPath, requestId);
    return located && history.latest({ collectionPath, collectionId: located.collection.id, requestId });
  };
  const userAgent = `Hammock/${String((context.extension.packageJSON as { version?: unknown }).version ?? '0')}`;
  const senderDeps: HttpSenderDeps = {
    secrets: context.secrets,
    storageDir: context.storageUri?.fsPath,
    latestResponse,
    userAgent,
    // what scripts set: environment variables back into the files (minimal edits through the store), globals in the workspace state
    saveEnvironments: async (collection, changes) => {
      for (const [id, data] of changes) {
        try {
          await store.apply(collection, { kind: 'setEnvironmentData', id, data });
        } catch (err) {
          log.warn(`could not save the variables a script set in environment ${id} of ${collection.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    },
    savePrivateEnvironment: async (collection, environment) => {
      try {
        await localEnvironments.updateEnvironment(collection.id, environment.id, { data: { ...(environment.data ?? {}) } });
      } catch (err) {
        log.warn(`could not save the variables a script set in private environment ${environment.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    globals: {
      get: () => context.workspaceState.get<Record<string, unknown>>(GLOBALS_KEY, {}),
      set: (value) => Promise.resolve(context.workspaceState.update(GLOBALS_KEY, value)),
    },
  };
  const sender = httpSender(senderDeps);
  const requestPanels = new RequestPanels({ extensionUri: context.extensionUri, store, active: activeEnvironments, log, history, sender, kept: keptTyping });
  context.subscriptions.push(requestPanels, ...registerRequestCommands(requestPanels, store, log));
  const review = new ReviewController({ sync, store, active: activeEnvironments, sender, viewer: requestPanels.viewer, log });
  context.subscriptions.push(review);
  const documents = HammockFileSystem.register({ store, local: localEnvironments, log });
  const environmentPanels = new EnvironmentPanels({ extensionUri: context.extensionUri, store, active: activeEnvironments, local: localEnvironments, log, kept: keptTyping });
  const environmentStatusBar = new EnvironmentStatusBar(store, activeEnvironments);
  const focusedCollection = () => {
    const editor = requestPanels.openEditors.find((e) => e.panel.active);
    const envEditor = environmentPanels.openEditors.find((e) => e.panel.active);
    const key = editor ? { path: editor.state.collectionPath, id: requestPanels.find(editor.state)?.collection.id } : envEditor && { path: envEditor.state.collectionPath, id: envEditor.state.collectionId };
    return key?.id ? store.collectionAt(key.path, key.id) : undefined;
  };
  requestPanels.onDidFocusCollection((c) => environmentStatusBar.focus(c), undefined, context.subscriptions);
  sync.activeCollectionPath = () => (requestPanels.openEditors.find((e) => e.panel.active) ?? environmentPanels.openEditors.find((e) => e.panel.active))?.state.collectionPath;
  context.subscriptions.push(
    documents,
    documents.registration,
    environmentPanels,
    environmentStatusBar,
    ...registerEnvironmentCommands({ store, active: activeEnvironments, panels: environmentPanels, statusBar: environmentStatusBar, log, focusedCollection }),
  );
  const testExplorer = new TestExplorer({ store, active: activeEnvironments, sessions: runSessions(senderDeps), log });
  context.subscriptions.push(testExplorer, { dispose: () => void disposeScriptSandbox() });
  const importPreviews = new ImportPreviews(context.extensionUri, log);
  context.subscriptions.push(
    importPreviews,
    ...registerImportExportCommands({
      store,
      active: activeEnvironments,
      log,
      renderHooks: (collectionPath) => hostRenderHooks({ secrets: context.secrets, latestResponse }, collectionPath),
      activeRequest: () => requestPanels.openEditors.find((e) => e.panel.active)?.state,
      previews: importPreviews,
      collectionsView,
      local: localEnvironments,
    }),
  );

  store.onDidChange((change) => {
    if (!change.all && !change.list) {
      log.trace(`changed: ${change.collections.map((d) => `${vscode.workspace.asRelativePath(d.path)} (${d.kind})`).join(', ') || 'problems'}`);
      return;
    }
    const n = store.collections.length;
    const problems = store.problems.length;
    log.info(`loaded ${n} collection${n === 1 ? '' : 's'}${problems ? `, ${problems} problem${problems === 1 ? '' : 's'}` : ''}`);
  }, undefined, context.subscriptions);

  const timings: Timings = { bundleStartAt: typeof __hammockBundleStart === 'number' ? __hammockBundleStart : undefined, activateAt: started };
  const firstLevel = store.onDidChange(() => {
    if (!store.isLoaded) return;
    timings.firstLevelMs = performance.now() - started;
    firstLevel.dispose();
  });
  context.subscriptions.push(firstLevel);
  // something that needs the collections may read them before the gate opens (a request editor restored): that is work
  const readEarly = store.onDidChange(() => gate.open('the collections were read'));
  context.subscriptions.push(readEarly);
  const ready = gate.opened.then(() => {
    readEarly.dispose();
    // the folders as they are now (they may have changed while the gate was shut), read once
    const now = roots().map((r) => path.resolve(r));
    const same = now.length === store.workspaceRoots.length && now.every((r, i) => r === store.workspaceRoots[i]);
    return same ? store.whenComplete() : store.setRoots(now);
  }).then(
    () => {
      timings.completeAt = performance.now();
      if (readAhead?.taken.length) {
        timings.readAhead = [...readAhead.taken]; // (each read's figures: its files and assembly went to the store)
      }
      if (typeof __hammockBundleCpu === 'object') {
        const cpu = process.cpuUsage(__hammockBundleCpu);
        timings.startupCpuMs = (cpu.user + cpu.system) / 1000;
      }
      const threadCpu = threadCpuMs();
      if (threadCpu !== undefined && moduleThreadCpu !== undefined) timings.startupThreadCpuMs = threadCpu - moduleThreadCpu;
      const threadWait = threadWaitMs();
      if (threadWait !== undefined && moduleThreadWait !== undefined) timings.startupThreadWaitMs = threadWait - moduleThreadWait;
      // private environments and vaults (SecretStorage): read once, so the views show them without a wait
      void Promise.all(store.collections.map((c) => localEnvironments.load(c.id))).catch((err) => log.warn(`could not read private environments: ${err}`));
      log.info(`first level after ${timings.firstLevelMs?.toFixed(0)} ms, everything read after ${(timings.completeAt - started).toFixed(0)} ms`);
      void vscode.commands.executeCommand('setContext', 'hammock.loaded', true);
    },
    (err) => {
      log.error('could not load the collections', err);
      void vscode.commands.executeCommand('setContext', 'hammock.loaded', true);
    },
  );

  showWalkthroughOnce(context, log);
  timings.activateMs = performance.now() - started;
  return {
    store,
    activeEnvironments,
    collectionsView,
    environmentsView,
    collectionsTree,
    storedExpanded: () => context.workspaceState.get(EXPANDED_KEY),
    environmentsTree,
    ready,
    timings,
    gate,
    sync,
    requestPanels,
    history: historyView,
    importPreviews,
    review,
    localEnvironments,
    environmentPanels,
    environmentStatusBar,
    documents,
    testExplorer,
    keptTyping,
    reopened: async () => {
      closing.now = false;
      localEnvironments.forget();
      keptTyping.forget();
      await Promise.all([keptTyping.load(), ...store.collections.map((c) => localEnvironments.load(c.id))]);
      // (as a new host's editors do at start-up: the keys the old host's last write put in their files are let go)
      await Promise.all([requestPanels.dropWritten(), environmentPanels.dropWritten()]);
    },
  };
}

/**
 * The window closing or reloading (Developer: Reload Window) deactivates the extension, waits up to 5 s for what this
 * returns, then ends the extension host: the keys still in an editor's debounce are written now (through Node's fs: the
 * VS Code API is already cut off then), or they were lost when the window reloaded within EDIT_DEBOUNCE_MS of the last
 * key. Held edits stay held, as for git (pendingEdits.ts): they are in SecretStorage already (keptTyping.ts), and come
 * back with their editor. SecretStorage cannot be written from here: private values were written as they were typed.
 */
export async function deactivate(): Promise<void> {
  // (what is kept in SecretStorage was written as it was typed: keptTyping.ts, the private environments' edits)
  closing.now = true;
  await pendingEdits.flush();
}
