// One repository as the extension sees it: the model (Repository: its private GitClient, the run() funnel, the
// state and the conflicts), the Source Control view that renders it (HammockSourceControl), a file watcher that
// refreshes the model (debounced; `.git/index.lock`, objects and logs ignored), and the log line of every git
// operation with its duration and outcome. Nothing here calls git but through the model.

import * as path from 'path';
import * as vscode from 'vscode';
import type { CollectionStore } from '../collections/store';
import type { WorkspaceWatcher } from '../workspaceWatcher';
import type { GitAuthProvider } from '../git/auth';
import { GitClient } from '../git/gitClient';
import type { TransportOptions } from '../git/httpTransport';
import type { UserGitService } from '../services/userGit';
import { Housekeeping } from '../git/housekeeping';
import { OperationKind, Repository } from '../git/repository';
import { HammockSourceControl } from '../views/scm/sourceControl';
import type { StatusWorkerClient } from '../git/statusWorkerClient';
import type { TransferWorkerClient } from '../git/transferWorkerClient';
import { GitObjects } from '../git/gitObjects';
import { isRelevantGitPath } from '../git/statusChanges';
import type { OriginalContentProvider } from './originalContent';
import { ResourceDescriber } from './resourceDescriber';
import type { FlushBeforeGit } from './flushBeforeGit';

const WATCH_DEBOUNCE_MS = 300;

export interface SyncRepositoryDeps {
  readonly store: CollectionStore;
  /** the extension's one file watcher: the repository takes the paths that change what git reports. */
  readonly watcher: WorkspaceWatcher;
  readonly auth: GitAuthProvider;
  /** shared and updated in place when http.proxy / http.proxyStrictSSL change. */
  readonly transport: TransportOptions;
  /** the user's git for the network (SSH remotes); none: SSH is refused as before. */
  readonly userGit?: UserGitService;
  readonly log: vscode.LogOutputChannel;
  readonly originals: OriginalContentProvider;
  readonly statusWorker?: StatusWorkerClient;
  readonly transferWorker?: TransferWorkerClient;
  /** writes the editors' pending edits before each operation that reads or writes the working tree. */
  readonly flush?: FlushBeforeGit;
}

/** The operations after which git runs `gc --auto` (they add objects). */
const ADDS_OBJECTS: ReadonlySet<OperationKind> = new Set([OperationKind.Commit, OperationKind.Fetch, OperationKind.Pull, OperationKind.Sync, OperationKind.MergeInEditor]);

export class SyncRepository implements vscode.Disposable {
  /** the model: every git call goes through its run(). */
  readonly repository: Repository;
  readonly objects: GitObjects;
  readonly scm: HammockSourceControl;
  /** `git gc --auto` through the user's git after what adds objects, when git would run it. */
  readonly housekeeping: Housekeeping;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private operationStarted = 0;

  constructor(
    readonly root: string,
    deps: SyncRepositoryDeps,
  ) {
    const { log } = deps;
    const client = new GitClient(root, {
      auth: deps.auth,
      transport: deps.transport,
      statusWorker: deps.statusWorker,
      transferWorker: deps.transferWorker,
      log: (line) => log.info(`git: ${line}`),
      externalGit: deps.userGit?.externalGit,
      // read at each operation: hammock.git.useSystemGit may change
      get externalGitMode() {
        return deps.userGit?.mode;
      },
    });
    const flush = deps.flush;
    this.repository = new Repository(client, flush ? { beforeWorktree: (operation) => flush.beforeOperation(root, operation) } : {});
    this.objects = new GitObjects(root);
    const describer = new ResourceDescriber(root, this.objects, {
      locate: (collectionPath, id) => deps.store.locate(collectionPath, id),
      collections: () => deps.store.collections,
    });
    this.scm = new HammockSourceControl(root, this.repository, describer, this.objects);
    this.disposables.push(this.scm, this.repository);

    const name = path.basename(root);
    this.repository.onDidStartOperation(() => (this.operationStarted = Date.now()), this, this.disposables);
    this.repository.onDidRunOperation(
      ({ operation, error }) => {
        const ms = Date.now() - this.operationStarted;
        const what = `git ${operation.kind} (${name})`;
        if (!error) {
          if (operation.readOnly) log.trace(`${what}: ok in ${ms} ms`);
          else log.info(`${what}: ok in ${ms} ms`);
        } else if (error.isInformational) {
          log.info(`${what}: ${error.message} (${ms} ms)`);
        } else {
          log.warn(`${what}: failed in ${ms} ms, ${error.code}: ${error.message}`);
        }
      },
      this,
      this.disposables,
    );
    // git's `gc --auto` after what adds objects (isomorphic-git never packs them): src/git/housekeeping.ts
    const housekeeping = (this.housekeeping = new Housekeeping(root, client.gitdir, deps.userGit?.housekeeping, (line) => log.info(`git (${name}): ${line}`)));
    this.repository.onDidRunOperation(({ operation, error }) => {
      if (!error && ADDS_OBJECTS.has(operation.kind)) void housekeeping.after();
    }, this, this.disposables);
    this.repository.onDidFailRefresh((err) => log.warn(`git status (${name}) failed: ${err instanceof Error ? err.message : String(err)}`), this, this.disposables);
    this.repository.onDidChangeState(() => deps.originals.repositoryChanged(root), this, this.disposables);
    // a file git finds clean (just committed or staged) is where an edit taken back should bring it: the store's run
    // of writes to it ends here (CollectionStore.endWriteRuns)
    // A file written again before the status could see the commit (found changed, its run not ended) goes on from
    // the text committed: taken back to it, it is git's version again, `modified` too (CollectionStore.restartWriteRun)
    // A file the store wrote after the status began is judged by the next status, not this one: this one may have
    // looked at it before the write and found it clean (then its run was ended, and the edit taken back after the
    // commit got a new stamp: git status showed the file changed).
    let headSeen: string | null | undefined;
    this.repository.onDidChangeState((snapshot) => {
      const dirty = new Set([...snapshot.status.changes, ...snapshot.status.merge].map((c) => path.resolve(root, c.path)));
      const startedAt = snapshot.readStartedAt;
      const late = (file: string) => startedAt !== undefined && deps.store.writtenSince(file, startedAt);
      deps.store.endWriteRuns((file) => this.contains(file) && !dirty.has(file) && !late(file));
      const head = snapshot.status.head;
      const moved = headSeen !== undefined && head !== headSeen;
      headSeen = head;
      if (!moved || !head) return;
      for (const file of deps.store.writeRunFiles) {
        if (!this.contains(file) || (!dirty.has(file) && !late(file))) continue;
        // (the edits written from now on wait for the text)
        const committed = this.objects.readText(head, this.relative(file)).catch((err: unknown) => {
          log.warn(`git (${name}): ${this.relative(file)} at ${head.slice(0, 7)} not read: ${err instanceof Error ? err.message : String(err)}`);
          return null;
        });
        void deps.store.restartWriteRun(file, committed);
      }
    }, this, this.disposables);

    this.disposables.push(deps.watcher.watchFolder(root));
    deps.watcher.onDidChangeFiles((paths) => {
      this.repository.noteChanged(paths); // the next status looks only at these (incremental status)
      for (const p of paths) {
        const rel = path.relative(root, p).split(path.sep).join('/');
        if (!rel.startsWith('..') && !path.isAbsolute(rel) && isRelevantGitPath(rel)) {
          this.scheduleRefresh();
          return;
        }
      }
    }, this, this.disposables);
    // the store's names (requests, folders) label the resources: a change of a collection in this repository
    // re-labels them; git's status comes from the file events, not from here
    deps.store.onDidChange((change) => {
      if (change.all || change.collections.some((d) => this.contains(d.path))) this.scheduleRelabel();
    }, this, this.disposables);

    void this.repository.refresh().catch(() => undefined);
  }

  private relabelTimer: ReturnType<typeof setTimeout> | undefined;

  private scheduleRelabel(): void {
    if (this.relabelTimer) clearTimeout(this.relabelTimer);
    this.relabelTimer = setTimeout(() => {
      this.relabelTimer = undefined;
      this.scm.relabel();
    }, WATCH_DEBOUNCE_MS);
  }

  private scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // the watcher's paths are all that changed since the last status: only they are looked at again
      void this.repository.refresh({ incremental: true }).catch(() => undefined);
    }, WATCH_DEBOUNCE_MS);
  }

  /** Whether `fsPath` is inside this repository's working tree. */
  contains(fsPath: string): boolean {
    const rel = path.relative(this.root, fsPath);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  }

  /** Repo-relative `/` path of an absolute path. */
  relative(fsPath: string): string {
    return path.relative(this.root, fsPath).split(path.sep).join('/');
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.relabelTimer) clearTimeout(this.relabelTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
