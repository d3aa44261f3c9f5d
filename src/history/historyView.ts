// The History view (`hammock.history`, in the Hammock container): per repository, an Incoming node when the
// fetched upstream has commits the branch lacks (what a pull would add, change and delete, and whether it would
// conflict or be blocked), then the commits that touched collection files, a page at a time ("Load More...").
// Expanding a commit lists the folders, requests and environments it changed against its first parent (computed
// on expand); clicking a change opens its diff. The view follows HEAD (the repository's state events) and every
// fetch (Hammock: Fetch, auto-fetch). The command Preview Incoming Changes fetches, then shows the preview in a
// notification with Show and Pull.

import * as path from 'path';
import * as vscode from 'vscode';
import { commandCenter, registerCommand } from '../commands/commandCenter';
import { GitCommands, HistoryCommands, HistoryViews } from '../commandIds';
import type { ItemChange } from '../collections/diff';
import { walkItems, type Collection, type WorkspaceSnapshot } from '../collections/model';
import type { CollectionCommit } from '../git/collectionHistory';
import { refs } from '../git/lazyRefs';
import { isGitError, GitErrorCode } from '../git/gitError';
import { OperationKind } from '../git/repository';
import { withObjectCache } from '../review/objectCache';
import { spokenAs } from '../views/spokenAs';
import { openItemDiff, revisionSides, type RevisionSide } from '../review/revisionDocuments';
import { pickRepository } from '../sync/pickRepository';
import type { SyncRepository } from '../sync/syncRepository';
import type { SyncService } from '../sync/syncService';
import { blockedFiles, describeConflicts, incomingLines, previewIncoming, summarizeIncoming, type IncomingPreview } from './incomingPreview';
import { newlyUnreadable, refChanges, type RefChanges, type UnreadableFile } from './refChanges';
import { relativeDate } from '../util/relativeDate';
import { clipForTooltip, escapeMarkdown } from '../util/escapeMarkdown';

const PAGE_SIZE = 30;

/** A change of a commit or of the incoming preview, with what opening its diff needs. */
export interface HistoryChange {
  readonly root: string;
  /** the commit before (empty for a root commit) and after. */
  readonly base: string;
  readonly head: string;
  readonly collection: { readonly name: string; readonly path: string; readonly kind: 'added' | 'removed' | 'changed' };
  /** undefined for a whole collection added or removed. */
  readonly change?: ItemChange;
  /** the absolute file the item lives in, before and after (undefined where it does not exist). */
  readonly fileBefore?: string;
  readonly fileAfter?: string;
  /** where the collection is on each side, for the revision documents of the diff. */
  readonly before?: RevisionSide;
  readonly after?: RevisionSide;
}

/** A commit's changes, and the files it made unreadable (`broken`) or readable again (`mended`). */
export interface CommitChanges {
  readonly changes: readonly HistoryChange[];
  readonly broken: readonly UnreadableFile[];
  readonly mended: readonly UnreadableFile[];
}

export type HistoryNode =
  | { readonly kind: 'repository'; readonly repo: SyncRepository }
  /** `root`: so the git commands given this node (Pull in its context menu) find the repository. */
  | { readonly kind: 'incoming'; readonly root: string; readonly repo: SyncRepository; readonly preview: IncomingPreview }
  | { readonly kind: 'message'; readonly id: string; readonly text: string; readonly icon?: string; readonly tooltip?: string }
  | { readonly kind: 'commit'; readonly repo: SyncRepository; readonly commit: CollectionCommit }
  | { readonly kind: 'change'; readonly id: string; readonly change: HistoryChange }
  | { readonly kind: 'loadMore'; readonly repo: SyncRepository };

interface RepoHistory {
  commits: CollectionCommit[];
  next: string | undefined;
  loaded: boolean;
  loading: Promise<void> | undefined;
  error: string | undefined;
  incoming: IncomingPreview | undefined;
  /** why the last incoming preview failed. */
  incomingError: string | undefined;
  /** what the list was read for: HEAD's oid and branch. */
  key: string | undefined;
  incomingKey: string | undefined;
  /** a commit's changes, by oid. */
  changes: Map<string, Promise<CommitChanges>>;
  generation: number;
}

export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<HistoryNode | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly state = new Map<string, RepoHistory>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly repoSubscriptions = new Map<string, vscode.Disposable[]>();
  private readonly _onDidUpdate = new vscode.EventEmitter<string>();
  /** fires with a repository root after its commits or its incoming preview were re-read (for tests). */
  readonly onDidUpdate = this._onDidUpdate.event;
  /** commits per page ("Load More..." reads the next). */
  pageSize = PAGE_SIZE;

  constructor(private readonly service: SyncService) {
    this.disposables.push(this._onDidChangeTreeData, this._onDidUpdate);
    service.onDidChangeRepositories(() => this.followRepositories(), this, this.disposables);
    this.followRepositories();
  }

  private followRepositories(): void {
    const roots = new Set(this.service.repositories.map((r) => r.root));
    for (const [root, subs] of this.repoSubscriptions) {
      if (roots.has(root)) continue;
      for (const d of subs) d.dispose();
      this.repoSubscriptions.delete(root);
      this.state.delete(root);
    }
    for (const repo of this.service.repositories) {
      if (this.repoSubscriptions.has(repo.root)) continue;
      const subs: vscode.Disposable[] = [];
      subs.push(repo.repository.onDidChangeState(() => this.onRepositoryChanged(repo)));
      subs.push(
        repo.repository.onDidRunOperation(({ operation }) => {
          // a fetch (the command or auto-fetch) moves the upstream: read the incoming preview again
          if (operation.kind === OperationKind.Fetch || operation.kind === OperationKind.Pull || operation.kind === OperationKind.Sync) {
            const s = this.state.get(repo.root);
            if (s) s.incomingKey = undefined;
          }
        }),
      );
      this.repoSubscriptions.set(repo.root, subs);
      if (repo.repository.snapshot) this.onRepositoryChanged(repo);
    }
    this._onDidChangeTreeData.fire(undefined);
  }

  private stateOf(repo: SyncRepository): RepoHistory {
    let s = this.state.get(repo.root);
    if (!s) {
      s = { commits: [], next: undefined, loaded: false, loading: undefined, error: undefined, incoming: undefined, incomingError: undefined, key: undefined, incomingKey: undefined, changes: new Map(), generation: 0 };
      this.state.set(repo.root, s);
    }
    return s;
  }

  /** HEAD moved (commit, pull, checkout) or the upstream did (fetch): read what changed again. */
  private onRepositoryChanged(repo: SyncRepository): void {
    const snap = repo.repository.snapshot;
    if (!snap) return;
    const s = this.stateOf(repo);
    const key = `${snap.status.branch ?? ''}@${snap.status.head ?? ''}`;
    const dirty = snap.status.staged.length + snap.status.changes.length + snap.status.merge.length;
    const incomingKey = `${key}|${snap.tracking?.upstream ?? ''}:${snap.tracking?.behind ?? 0}/${snap.tracking?.ahead ?? 0}|${dirty}`;
    if (s.key !== key) {
      s.key = key;
      s.commits = [];
      s.next = undefined;
      s.loaded = false;
      s.error = undefined;
      s.changes.clear();
      s.generation++;
      this._onDidChangeTreeData.fire(undefined);
    }
    if (s.incomingKey !== incomingKey) {
      s.incomingKey = incomingKey;
      void this.readIncoming(repo).catch(() => undefined);
    }
  }

  /** Reads the incoming preview of `repo` again (no fetch). */
  async readIncoming(repo: SyncRepository): Promise<IncomingPreview | undefined> {
    const s = this.stateOf(repo);
    let preview: IncomingPreview | undefined;
    s.incomingError = undefined;
    try {
      preview = await repo.repository.read(OperationKind.History, ({ client }) => previewIncoming(client));
      // the blocking files named as a refused pull names them (the requests a v5 file's edits touch)
      if (preview?.blockedBy.length) preview = { ...preview, names: await repo.scm.namesOf(preview.blockedBy) };
    } catch (err) {
      s.incomingError = err instanceof Error ? err.message : String(err);
      this.service.log.warn(`history: incoming preview of ${repo.root} failed: ${err instanceof Error && err.stack ? err.stack : s.incomingError}`);
      preview = undefined;
    }
    s.incoming = preview && preview.kind !== 'upToDate' ? preview : undefined;
    this._onDidChangeTreeData.fire(undefined);
    this._onDidUpdate.fire(repo.root);
    return preview;
  }

  /** Forgets everything read and reads again. */
  refresh(): void {
    for (const s of this.state.values()) {
      s.key = undefined;
      s.incomingKey = undefined;
    }
    for (const repo of this.service.repositories) this.onRepositoryChanged(repo);
    this._onDidChangeTreeData.fire(undefined);
  }

  /** Reads the next page of `repo`'s commits. */
  loadMore(repo: SyncRepository): Promise<void> {
    const s = this.stateOf(repo);
    if (s.loading) return s.loading;
    if (s.loaded && !s.next) return Promise.resolve();
    const generation = s.generation;
    const after = s.loaded ? s.next : undefined;
    s.loading = repo.repository
      // isomorphic-git's cache (parsed pack indexes) shared across pages, expands and the review (review/objectCache)
      .run(OperationKind.History, () => withObjectCache(repo.root, (cache) => refs().collectionHistory(repo.root, { limit: this.pageSize, after, cache })))
      .then(
        (page) => {
          if (s.generation !== generation) return;
          s.commits.push(...page.commits);
          s.next = page.next;
          s.loaded = true;
          s.error = undefined;
        },
        (err) => {
          if (s.generation !== generation) return;
          s.loaded = true;
          s.next = undefined;
          // an unborn branch has no history yet
          s.error = isGitError(err, GitErrorCode.BranchNotFound) || (err as Error)?.name === 'UnknownRefError' ? undefined : err instanceof Error ? err.message : String(err);
        },
      )
      .finally(() => {
        s.loading = undefined;
        this._onDidChangeTreeData.fire(undefined);
        this._onDidUpdate.fire(repo.root);
      });
    return s.loading;
  }

  /** The commits listed so far for `repo` (reads the first page if none was read). */
  async commitsOf(repo: SyncRepository): Promise<readonly CollectionCommit[]> {
    const s = this.stateOf(repo);
    if (!s.loaded) await this.loadMore(repo);
    return s.commits;
  }

  incomingOf(repo: SyncRepository): IncomingPreview | undefined {
    return this.state.get(repo.root)?.incoming;
  }

  incomingErrorOf(repo: SyncRepository): string | undefined {
    return this.state.get(repo.root)?.incomingError;
  }

  /** The changes of one commit against its first parent, and the files it broke or mended (computed once). */
  changesOf(repo: SyncRepository, commit: CollectionCommit): Promise<CommitChanges> {
    const s = this.stateOf(repo);
    let p = s.changes.get(commit.oid);
    if (!p) {
      const parent = commit.parents[0] && !commit.boundary ? commit.parents[0] : null;
      // the repository's shared object cache: each expanded commit does not read the packs again
      p = repo.repository
        .run(OperationKind.History, () => withObjectCache(repo.root, (cache) => refChanges(repo.root, parent, commit.oid, { cache })))
        // what the diff leaves out (diffSnapshots' Unread) is named beside the changes
        .then((r) => ({ changes: toHistoryChanges(repo.root, r), broken: newlyUnreadable(r.before, r.after), mended: newlyUnreadable(r.after, r.before) }));
      p.catch(() => s.changes.delete(commit.oid));
      s.changes.set(commit.oid, p);
    }
    return p;
  }

  // ---------------------------------------------------------------- TreeDataProvider

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    switch (node.kind) {
      case 'repository': {
        const item = new vscode.TreeItem(path.basename(node.repo.root), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `repo:${node.repo.root}`;
        item.description = node.repo.repository.snapshot?.status.branch;
        item.tooltip = node.repo.root;
        spokenAs(item);
        item.iconPath = new vscode.ThemeIcon('repo');
        return item;
      }
      case 'incoming': {
        const p = node.preview;
        const item = new vscode.TreeItem(`Incoming: ${p.behind} commit${p.behind === 1 ? '' : 's'} from ${p.upstream}`, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `incoming:${node.repo.root}`;
        item.description = p.blockedBy.length ? 'blocked by uncommitted changes' : p.kind === 'conflict' ? 'would conflict' : p.kind === 'merge' ? 'would merge' : 'fast-forward';
        item.tooltip = summarizeIncoming(p);
        spokenAs(item);
        item.iconPath = new vscode.ThemeIcon(p.kind === 'conflict' || p.blockedBy.length ? 'warning' : 'cloud-download');
        item.contextValue = 'incoming';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
        if (node.tooltip) item.tooltip = node.tooltip;
        return item;
      }
      case 'commit': {
        const c = node.commit;
        const item = new vscode.TreeItem(c.summary || '(no message)', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `commit:${node.repo.root}:${c.oid}`;
        item.description = `${c.author.name} · ${relativeDate(c.author.timestamp)} · ${c.oid.slice(0, 7)}`;
        const md = new vscode.MarkdownString();
        md.appendMarkdown(`**${escapeMarkdown(c.summary)}**\n\n`);
        const body = c.message.split('\n').slice(1).join('\n').trim();
        if (body) md.appendText(`${clipForTooltip(body)}\n\n`);
        md.appendMarkdown(`${escapeMarkdown(c.author.name)} <${escapeMarkdown(c.author.email)}> · ${new Date(c.author.timestamp * 1000).toLocaleString()}  \n`);
        md.appendMarkdown(`\`${c.oid}\`${c.parents.length > 1 ? ' (merge)' : ''}  \n`);
        md.appendText(clipForTooltip(c.files.map((f) => `${f.kind === 'added' ? 'A' : f.kind === 'deleted' ? 'D' : 'M'} ${f.path}`).join('\n')));
        item.tooltip = md;
        item.iconPath = new vscode.ThemeIcon(c.parents.length > 1 ? 'git-merge' : 'git-commit');
        item.contextValue = 'commit';
        return item;
      }
      case 'change': {
        const h = node.change;
        const ch = h.change;
        const label = ch ? [...ch.path, ch.name].join('/') : h.collection.name;
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        const kind = ch?.kind ?? h.collection.kind;
        const entity = ch?.entity ?? 'collection';
        item.description = ch?.kind === 'changed' && ch.fields?.length ? `${entity}: ${ch.fields.map((f) => f.text).join(', ')}` : ch?.kind === 'moved' ? `${entity} moved from "${(ch.fromPath ?? []).join('/')}"` : `${entity} ${kind}`;
        item.tooltip = ch?.description ?? `${h.collection.kind === 'added' ? '+' : '-'} collection "${h.collection.name}" ${h.collection.kind}`;
        item.iconPath = new vscode.ThemeIcon(
          kind === 'added' ? 'diff-added' : kind === 'removed' ? 'diff-removed' : kind === 'moved' ? 'diff-renamed' : 'diff-modified',
        );
        item.contextValue = 'historyChange';
        item.command = { command: HistoryCommands.openHistoryChange, title: 'Open Change', arguments: [h] };
        return item;
      }
      case 'loadMore': {
        const item = new vscode.TreeItem('Load More...', vscode.TreeItemCollapsibleState.None);
        item.id = `more:${node.repo.root}:${this.state.get(node.repo.root)?.commits.length ?? 0}`;
        item.iconPath = new vscode.ThemeIcon('more');
        item.command = { command: HistoryCommands.loadMoreHistory, title: 'Load More', arguments: [node.repo.root] };
        return item;
      }
    }
  }

  async getChildren(node?: HistoryNode): Promise<HistoryNode[]> {
    if (!node) {
      const repos = this.service.repositories;
      if (repos.length === 1) return this.repositoryChildren(repos[0]);
      return repos.map((repo) => ({ kind: 'repository', repo }));
    }
    switch (node.kind) {
      case 'repository':
        return this.repositoryChildren(node.repo);
      case 'incoming':
        return incomingChildren(node.repo, node.preview);
      case 'commit': {
        try {
          const oid = node.commit.oid;
          const { changes, broken, mended } = await this.changesOf(node.repo, node.commit);
          const notes: HistoryNode[] = [
            ...broken.map((u): HistoryNode => ({
              kind: 'message', id: `unreadable:${oid}:${u.file}`, text: `${u.file} cannot be read after this commit`, icon: 'warning',
              tooltip: `Line ${u.line}: ${u.message}\nWhat it holds is left out of this commit's changes.`,
            })),
            ...mended.map((u): HistoryNode => ({
              kind: 'message', id: `readable:${oid}:${u.file}`, text: `${u.file} can be read again`, icon: 'info',
              tooltip: `Before this commit, line ${u.line}: ${u.message}\nWhat it holds is left out of this commit's changes.`,
            })),
          ];
          if (!changes.length && !notes.length) return [{ kind: 'message', id: `none:${oid}`, text: 'No request, folder or environment changed (formatting or stamps only)', icon: 'info' }];
          return [...notes, ...changes.map((c, i): HistoryNode => ({ kind: 'change', id: `change:${oid}:${i}`, change: c }))];
        } catch (err) {
          return [{ kind: 'message', id: `error:${node.commit.oid}`, text: `Could not read the changes: ${err instanceof Error ? err.message : String(err)}`, icon: 'error' }];
        }
      }
      default:
        return [];
    }
  }

  private async repositoryChildren(repo: SyncRepository): Promise<HistoryNode[]> {
    const s = this.stateOf(repo);
    if (!s.loaded) await this.loadMore(repo);
    const out: HistoryNode[] = [];
    if (s.incoming) out.push({ kind: 'incoming', root: repo.root, repo, preview: s.incoming });
    else if (s.incomingError) out.push({ kind: 'message', id: `incoming-error:${repo.root}`, text: `Could not preview the incoming changes: ${s.incomingError}`, icon: 'error' });
    if (s.error) out.push({ kind: 'message', id: `error:${repo.root}`, text: `Could not read the history: ${s.error}`, icon: 'error' });
    else if (!s.commits.length && !s.next) out.push({ kind: 'message', id: `empty:${repo.root}`, text: 'No commit has changed a collection yet', icon: 'info' });
    out.push(...s.commits.map((commit): HistoryNode => ({ kind: 'commit', repo, commit })));
    if (s.next) out.push({ kind: 'loadMore', repo });
    return out;
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    for (const subs of this.repoSubscriptions.values()) for (const d of subs) d.dispose();
    this.repoSubscriptions.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function incomingChildren(repo: SyncRepository, p: IncomingPreview): HistoryNode[] {
  const out: HistoryNode[] = [];
  const summary = summarizeIncoming(p);
  if (p.blockedBy.length) {
    out.push({ kind: 'message', id: `incoming-blocked:${repo.root}`, text: `Blocked by uncommitted changes: ${blockedFiles(p)}`, icon: 'lock', tooltip: summary });
  }
  if (p.kind === 'conflict' && p.conflict) {
    out.push({ kind: 'message', id: `incoming-conflict:${repo.root}`, text: `Would conflict: ${describeConflicts(p.conflict)}`, icon: 'warning', tooltip: summary });
  } else {
    const verdict = p.kind === 'merge' ? `Would merge without conflicts${p.fieldMerged.length ? ` (${p.fieldMerged.length} file${p.fieldMerged.length === 1 ? '' : 's'} merged by field)` : ''}` : 'Would fast-forward';
    out.push({ kind: 'message', id: `incoming-verdict:${repo.root}`, text: verdict, icon: 'check', tooltip: summary });
  }
  for (const u of p.unreadable) {
    out.push({ kind: 'message', id: `incoming-unreadable:${repo.root}:${u.file}`, text: `${u.file} cannot be read`, icon: 'warning', tooltip: `Line ${u.line}: ${u.message}\nWhat it holds is left out of the incoming changes; pulling brings it in as it is.` });
  }
  const changes = toHistoryChanges(repo.root, { base: p.base ?? '', head: p.theirs, before: p.before, after: p.after, diff: p.diff });
  if (!changes.length && !p.unreadable.length) out.push({ kind: 'message', id: `incoming-none:${repo.root}`, text: 'No collection changes', icon: 'info' });
  out.push(...changes.map((c, i): HistoryNode => ({ kind: 'change', id: `incoming-change:${repo.root}:${p.theirs}:${i}`, change: c })));
  return out;
}

/** The changes of a diff, each with where its item lives on both sides. */
export function toHistoryChanges(root: string, r: RefChanges): HistoryChange[] {
  const out: HistoryChange[] = [];
  const { base, head } = r;
  for (const c of r.diff.collections) {
    const sides = revisionSides(root, r, c);
    const find = (snap: WorkspaceSnapshot, side: RevisionSide | undefined) => side && snap.collections.find((x) => x.id === side.collection.id && x.format === side.collection.format && x.path === side.collection.path);
    const b = find(r.before, sides.before);
    const a = find(r.after, sides.after);
    const collection = { name: c.name, path: c.path, kind: c.kind };
    if (c.kind !== 'changed') {
      out.push({ root, base, head, collection, fileBefore: b?.source.file, fileAfter: a?.source.file, ...sides });
      continue;
    }
    for (const change of c.changes) {
      out.push({ root, base, head, collection, change, fileBefore: b && fileOf(b, change), fileAfter: a && fileOf(a, change), ...sides });
    }
  }
  return out;
}

function fileOf(c: Collection, change: ItemChange): string | undefined {
  if (change.entity === 'collection') return c.source.file;
  if (change.entity === 'environment') {
    const base = c.baseEnvironment;
    if (!base) return undefined;
    if (base.id === change.id) return base.source.file;
    return base.subEnvironments.find((e) => e.id === change.id)?.source.file;
  }
  for (const item of walkItems(c.children)) if (item.id === change.id) return item.source.file;
  return undefined;
}

/** Opens the diff of one change: the item as it is at the commit before and after (revision documents). */
export async function openHistoryChange(h: HistoryChange): Promise<void> {
  const change: ItemChange = h.change ?? {
    kind: h.collection.kind === 'added' ? 'added' : h.collection.kind === 'removed' ? 'removed' : 'changed',
    entity: 'collection',
    type: 'collection',
    id: (h.before ?? h.after)?.collection.id ?? '',
    name: h.collection.name,
    path: [],
    description: `collection "${h.collection.name}" ${h.collection.kind}`,
  };
  const short = (oid: string) => (oid ? oid.slice(0, 7) : 'none');
  const title = `${[...change.path, change.name].join('/')} (${short(h.base)} ↔ ${short(h.head)})`;
  await openItemDiff(change, h.before, h.after, { title });
}

// ---------------------------------------------------------------------------------------------------------------

/** What Preview Incoming Changes returns (for tests and scripts). */
export interface IncomingResult {
  readonly root: string;
  readonly preview: IncomingPreview | undefined;
  /** the notification's text. */
  readonly message: string;
  readonly lines: readonly string[];
}

export class HistoryView implements vscode.Disposable {
  readonly provider: HistoryTreeProvider;
  readonly treeView: vscode.TreeView<HistoryNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly _onDidPreviewIncoming = new vscode.EventEmitter<IncomingResult>();
  /** fires each time Preview Incoming Changes shows its notification. */
  readonly onDidPreviewIncoming = this._onDidPreviewIncoming.event;

  constructor(private readonly service: SyncService) {
    this.provider = new HistoryTreeProvider(service);
    this.treeView = vscode.window.createTreeView(HistoryViews.history, { treeDataProvider: this.provider, showCollapseAll: true });
    this.disposables.push(
      this.provider,
      this.treeView,
      this._onDidPreviewIncoming,
      registerCommand(HistoryCommands.refreshHistory, () => this.provider.refresh()),
      registerCommand(HistoryCommands.loadMoreHistory, async (root?: string) => {
        const repo = root ? service.getRepository(root) : service.repositories[0];
        if (repo) await this.provider.loadMore(repo);
      }),
      registerCommand(HistoryCommands.openHistoryChange, (change?: HistoryChange) => (change ? openHistoryChange(change) : undefined)),
      registerCommand(HistoryCommands.previewIncoming, (target?: string | { root?: string }, options?: { fetch?: boolean }) =>
        this.previewIncoming(typeof target === 'string' ? target : target?.root, options),
      ),
    );
  }

  /** Fetches (unless `fetch: false`), then shows what a pull would bring. Changes nothing else. */
  async previewIncoming(root?: string, options: { fetch?: boolean } = {}): Promise<IncomingResult | undefined> {
    const repo = await this.pickRepository(root);
    if (!repo) return undefined;
    if (options.fetch !== false) {
      // a failed fetch is shown by the command center, with its actions ("Enter Token...", "Open Log"); a cancel ends quietly
      await commandCenter.tagRoot(repo.root, () => commandCenter.remote('Fetching...', (work) => repo.repository.fetch(work)));
    }
    await repo.repository.refresh();
    const preview = await this.provider.readIncoming(repo);
    const lines = preview ? incomingLines(preview) : [];
    let message: string;
    const failed = this.provider.incomingErrorOf(repo);
    if (failed) message = `Hammock: could not preview the incoming changes: ${failed}`;
    else if (!preview) message = 'Hammock: this branch has no upstream to preview (push it first, or check out a branch).';
    else message = `Hammock: ${summarizeIncoming(preview)}`;
    const actions = preview && preview.kind !== 'upToDate' ? ['Show', 'Pull'] : [];
    const severity = failed ? 'error' : preview && (preview.kind === 'conflict' || preview.blockedBy.length) ? 'warning' : 'information';
    const result: IncomingResult = { root: repo.root, preview, message, lines };
    this.service.notified({ severity, message, actions });
    this._onDidPreviewIncoming.fire(result);
    const show = severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(message, ...actions).then(async (choice) => {
      if (choice === 'Show') await this.showIncoming(repo);
      else if (choice === 'Pull') await vscode.commands.executeCommand(GitCommands.pull, repo.root);
    });
    return result;
  }

  /** Focuses the History view on the repository's Incoming node. */
  async showIncoming(repo: SyncRepository): Promise<void> {
    await vscode.commands.executeCommand(`${HistoryViews.history}.focus`);
    const preview = this.provider.incomingOf(repo);
    if (preview) await this.treeView.reveal({ kind: 'incoming', root: repo.root, repo, preview }, { expand: true, focus: true }).then(undefined, () => undefined);
  }

  private async pickRepository(root?: string): Promise<SyncRepository | undefined> {
    if (root) {
      const repo = this.service.getRepository(root);
      if (!repo) throw new Error(`${root} is not a git repository that Hammock follows.`);
      return repo;
    }
    const repos = this.service.repositories;
    if (repos.length <= 1) {
      if (!repos.length) void vscode.window.showErrorMessage('Hammock: no git repository with collections is open.');
      return repos[0];
    }
    return pickRepository(this.service, repos, 'Preview the incoming changes of which repository?');
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}


