// Git sync for the workspace: one SyncRepository (Source Control view, model, watcher) per git repository that
// holds collections, found from the workspace folders and re-checked when the collections or the folders
// change; the credential store, the `hammock-git:` original-content provider, the git commands and
// auto-fetch. Proxy and TLS follow VS Code's http.proxy and http.proxyStrictSSL.

import { existsSync, statSync } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CollectionStore } from '../collections/store';
import type { WorkspaceWatcher } from '../workspaceWatcher';
import type { TransportOptions } from '../git/httpTransport';
import { StatusWorkerClient } from '../git/statusWorkerClient';
import { TransferWorkerClient } from '../git/transferWorkerClient';
import { removeStaleClones } from '../git/gitClient';
import { AutoFetcher } from './autoFetch';
import { BuiltInGit } from './builtInGit';
import { CredentialStore } from './credentials';
import { commandCenter } from '../commands/commandCenter';
import { UserGitService } from '../services/userGit';
import { registerGitCommands } from './gitCommands';
import { ORIGINAL_SCHEME, OriginalContentProvider } from './originalContent';
import { SyncRepository } from './syncRepository';
import { resourceHover } from '../views/scm/sourceControl';
import type { CommitCheck } from './commitChecks';
import { FlushBeforeGit } from './flushBeforeGit';
import { pendingEdits } from '../webviews/pendingEdits';

export interface GitNotification {
  readonly severity: 'information' | 'warning' | 'error';
  readonly message: string;
  /** the buttons offered. */
  readonly actions: readonly string[];
}

export interface SyncServiceOptions {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly store: CollectionStore;
  /** the extension's one file watcher. */
  readonly watcher: WorkspaceWatcher;
}

/** The folder holding `.git` (a directory) at or above `dir`, if any. */
export function findGitRoot(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    try {
      if (statSync(path.join(current, '.git')).isDirectory()) return current;
    } catch {
      /* not here */
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

export class SyncService implements vscode.Disposable {
  readonly credentials: CredentialStore;
  readonly originals: OriginalContentProvider;
  readonly log: vscode.LogOutputChannel;
  readonly store: CollectionStore;
  private readonly watcher: WorkspaceWatcher;
  /** shared by every GitClient; updated in place when the settings change. */
  readonly transport: TransportOptions = {};
  /** the user's git for SSH remotes (and every remote with hammock.git.useSystemGit = always). */
  readonly userGit: UserGitService;
  readonly autoFetcher: AutoFetcher;
  /** the repositories VS Code's built-in Git has open: beside it, Hammock's Source Control drops its count and commit box. */
  readonly builtInGit = new BuiltInGit();
  private readonly repos = new Map<string, SyncRepository>();
  /** roots opened explicitly (Set Up Sync, Clone): kept even before they hold collections. */
  private readonly pinned = new Set<string>();
  private readonly statusWorker: StatusWorkerClient | undefined;
  /** clone and fetch receive, index and check out packs in this worker (started on the first one). */
  readonly transferWorker: TransferWorkerClient | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private scanning: Promise<void> = Promise.resolve();
  private resolveReady!: () => void;
  /** resolves after the first look for repositories once the collections have loaded. */
  readonly ready: Promise<void> = new Promise((r) => (this.resolveReady = r));

  private readonly _onDidChangeRepositories = new vscode.EventEmitter<void>();
  readonly onDidChangeRepositories = this._onDidChangeRepositories.event;

  /** writes the editors' pending edits before git reads or writes the files (flushBeforeGit.ts). */
  readonly flushHook: FlushBeforeGit;

  /** what a commit made in Hammock checks first (the secret check, added by activate()). */
  readonly commitChecks: CommitCheck[] = [];

  private readonly _onDidNotify = new vscode.EventEmitter<GitNotification>();
  /** every failure a git command reports to the user (what tests and scripts can observe of the notifications). */
  readonly onDidNotify = this._onDidNotify.event;

  /** Called for each notification shown (the command center's, History's preview). */
  notified(notification: GitNotification): void {
    this._onDidNotify.fire(notification);
  }

  constructor(options: SyncServiceOptions) {
    const { context, log, store } = options;
    this.log = log;
    this.store = store;
    this.watcher = options.watcher;
    this.flushHook = new FlushBeforeGit({
      edits: pendingEdits,
      log,
      warn: (message) => {
        this.notified({ severity: 'warning', message, actions: [] });
        void vscode.window.showWarningMessage(message);
      },
    });
    this.credentials = new CredentialStore(context.secrets, log);
    this.userGit = new UserGitService(log);
    // clones killed mid-way leave a hidden `.<name>.hammock-clone-*` folder beside their target: remove them
    const parents = new Set((vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => path.dirname(f.uri.fsPath)));
    void Promise.all([...parents].map((p) => removeStaleClones(p))).then((lists) => {
      for (const f of lists.flat()) log.info(`git: removed ${f}, left by a clone that did not finish`);
    });
    this.originals = new OriginalContentProvider((fsPath) => {
      const repo = this.getRepository(fsPath);
      return repo ? { root: repo.root, objects: repo.objects } : undefined;
    });
    const workerFile = path.join(context.extensionPath, 'dist', 'statusWorker.js');
    this.statusWorker = existsSync(workerFile) ? new StatusWorkerClient(workerFile) : undefined;
    const transferFile = path.join(context.extensionPath, 'dist', 'transferWorker.js');
    this.transferWorker = existsSync(transferFile) ? new TransferWorkerClient(transferFile) : undefined;
    this.readTransportSettings();

    this.disposables.push(
      this.originals,
      this._onDidChangeRepositories,
      this._onDidNotify,
      vscode.workspace.registerTextDocumentContentProvider(ORIGINAL_SCHEME, this.originals),
      resourceHover(),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('http.proxy') || e.affectsConfiguration('http.proxyStrictSSL')) this.readTransportSettings();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescan()),
      ...registerGitCommands(this),
      commandCenter.onDidNotify((n) => this.notified(n)),
    );
    this.autoFetcher = new AutoFetcher(this);
    this.disposables.push(this.autoFetcher, this.builtInGit);
    this.builtInGit.onDidChange(() => {
      for (const repo of this.repos.values()) repo.scm.setBesideBuiltInGit(this.builtInGit.has(repo.root));
    }, this, this.disposables);
    // a collection that appears or goes away can add or drop a repository; an edit inside one cannot
    store.onDidChange((change) => {
      if (change.all || change.list) void this.rescan();
    }, this, this.disposables);
    if (store.isLoaded) void this.rescan();
  }

  /**
   * The collection (its path) of the Hammock editor the user is in, if any: set by the extension once its editors
   * exist. A command given no repository offers that collection's first (pickRepository.ts).
   */
  activeCollectionPath: () => string | undefined = () => undefined;

  get repositories(): SyncRepository[] {
    return [...this.repos.values()];
  }

  /** The repository whose working tree holds `target` (a path or a file URI); the innermost one. */
  getRepository(target: string | vscode.Uri): SyncRepository | undefined {
    const fsPath = typeof target === 'string' ? target : target.fsPath;
    let best: SyncRepository | undefined;
    for (const repo of this.repos.values()) {
      if (repo.contains(fsPath) && (!best || repo.root.length > best.root.length)) best = repo;
    }
    return best;
  }

  private readTransportSettings(): void {
    const http = vscode.workspace.getConfiguration('http');
    const proxy = http.get<string>('proxy', '').trim();
    this.transport.proxy = proxy || undefined;
    this.transport.strictSSL = http.get<boolean>('proxyStrictSSL', true);
    this.transport.userAgent = `Hammock (VS Code ${vscode.version})`;
  }

  /** Opens (or returns) the repository at `root`, whether or not it holds collections yet. */
  async openRepository(root: string): Promise<SyncRepository> {
    const resolved = path.resolve(root);
    this.pinned.add(resolved);
    await this.rescan();
    const repo = this.repos.get(resolved);
    if (!repo) throw new Error(`${resolved} is not a git repository.`);
    await repo.repository.refresh();
    return repo;
  }

  /** Looks again for repositories: serialised, so concurrent triggers never open one twice. */
  rescan(): Promise<void> {
    this.scanning = this.scanning.then(() => this.scan()).catch((err) => this.log.error('git: looking for repositories failed', err));
    return this.scanning;
  }

  private scan(): void {
    // not before the collections are read in full: git status of a large repository would compete with that first
    // read for the extension host (the tree of a 10,000-request repository is ready sooner, the Source Control view
    // a moment later); the store's change at the end of its load starts a scan
    if (!this.store.isComplete) return;
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const wanted = new Set<string>();
    const collections = this.store.collections;
    for (const folder of folders) {
      const root = findGitRoot(folder);
      if (!root) continue;
      const holdsCollections =
        existsSync(path.join(root, '.insomnia')) || collections.some((c) => c.path === root || c.path.startsWith(root + path.sep));
      if (holdsCollections || this.pinned.has(root)) wanted.add(root);
    }
    for (const root of this.pinned) if (existsSync(path.join(root, '.git'))) wanted.add(root);
    let changed = false;
    for (const [root, repo] of this.repos) {
      if (!wanted.has(root)) {
        repo.dispose();
        this.repos.delete(root);
        changed = true;
      }
    }
    for (const root of wanted) {
      if (this.repos.has(root)) continue;
      const repo = new SyncRepository(root, {
        store: this.store,
        watcher: this.watcher,
        auth: this.userGit.withCredentialHelpers(this.credentials),
        transport: this.transport,
        userGit: this.userGit,
        log: this.log,
        originals: this.originals,
        statusWorker: this.statusWorker,
        transferWorker: this.transferWorker,
        flush: this.flushHook,
      });
      repo.repository.onDidChangeState(() => this.updateMergeContext());
      // VS Code's Git, beside it on the same repository, hears of what Hammock wrote into .git at once (its own
      // watcher can leave its view a commit behind for a while: a walkthrough saw 3 staged files after the commit)
      repo.repository.onDidRunOperation(({ operation, error }) => {
        if (!operation.readOnly && !error && this.builtInGit.has(root)) void this.builtInGit.refresh(root);
      });
      repo.scm.setBesideBuiltInGit(this.builtInGit.has(root));
      this.repos.set(root, repo);
      this.log.info(`git: Source Control for ${root}`);
      changed = true;
    }
    if (changed) {
      this._onDidChangeRepositories.fire();
      void vscode.commands.executeCommand('setContext', 'hammock.git.hasRepository', this.repos.size > 0);
    }
    if (this.store.isLoaded) this.resolveReady();
  }

  private merging = false;

  /** `hammock.git.mergeInProgress`: shows Abort Merge in the Source Control title menu. */
  private updateMergeContext(): void {
    const merging = this.repositories.some((r) => !!r.repository.snapshot?.status.mergeInProgress);
    if (merging === this.merging) return;
    this.merging = merging;
    void vscode.commands.executeCommand('setContext', 'hammock.git.mergeInProgress', merging);
  }

  dispose(): void {
    for (const repo of this.repos.values()) repo.dispose();
    this.repos.clear();
    this.statusWorker?.dispose();
    this.transferWorker?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
