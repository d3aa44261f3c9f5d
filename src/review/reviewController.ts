// Review Branch: pick a branch of the remote (asked of the server; not its default branch, what a review compares
// with) or a pull request it
// advertises (`refs/pull/<n>/head`: one from a fork has no branch there), fetch that one alone (only its
// remote-tracking ref is written, `refs/remotes/<remote>/pr/<n>` for a pull request; the base's too when it is
// stale), and show in the Review view what
// the branch changes in the collections against the merge base with its base (default: the remote's default
// branch), as a pull request does. The working tree, the index, HEAD and the local branches are never touched:
// everything is read from git objects (diffRefs, loadItemAtRef). A change opens its side-by-side diff; "Try This
// Request" sends the branch's version of a request with the reviewer's own environment for that collection.
// Every command takes optional arguments so tests and scripts can run it without UI.

import { rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ActiveEnvironments } from '../activeEnvironments';
import type { Collection, HttpRequest } from '../collections/model';
import type { CollectionStore } from '../collections/store';
import { ReviewCommands, ReviewViews } from '../commandIds';
import type { RefDiff } from '../git/refDiff';
import { refs } from '../git/lazyRefs';
import { knownRemoteBranches, pullRequestTrackingRef, recordedDefaultBranch, type RemoteBranches, type RemotePullRequest } from '../git/remoteBranches';
import { OperationKind } from '../git/repository';
import { GitErrorCode } from '../git/gitError';
import { Cancelled, commandCenter, registerCommand } from '../commands/commandCenter';
import { pickRepository } from '../sync/pickRepository';
import type { SyncRepository } from '../sync/syncRepository';
import type { SyncService } from '../sync/syncService';
import type { ResponseRecord } from '../webviews/responseHistory';
import type { RequestSender } from '../webviews/requestSender';
import type { ResponseViewer } from '../webviews/responseViewer';
import { withObjectCache } from './objectCache';
import { openItemDiff, revisionSides } from './revisionDocuments';
import { changesOf, isReviewChangeNode, isTryable, ReviewTreeProvider, type ReviewChangeNode, type ReviewNode } from './reviewTree';

export const REVIEW_OPEN_CONTEXT = 'hammock.reviewOpen';

/** A local branch to review (ReviewArgs.localBranch). */
interface LocalTarget {
  readonly local: string;
}

/** What Review Branch may be given instead of asking. */
export interface ReviewArgs {
  /** the repository (its root folder); default: the only one, else a pick. */
  readonly root?: string;
  /** default `origin`. */
  readonly remote?: string;
  /** the branch to review, without `origin/`; default: a pick of the remote's branches and pull requests. */
  readonly branch?: string;
  /**
   * instead of `branch`: a pull request by its number, through the ref the server advertises for it
   * (`refs/pull/<n>/head`, GitLab's `refs/merge-requests/<n>/head`): one from a fork has no branch on the remote.
   */
  readonly pullRequest?: number;
  /** instead of `branch`: a local branch (read where it is: nothing fetched), e.g. your own work before you push it. */
  readonly localBranch?: string;
  /** what the branch is compared with (any ref: `origin/develop`, an oid); default the remote's default branch. */
  readonly base?: string;
}

export interface ReviewState {
  readonly root: string;
  readonly remote: string;
  /** the branch reviewed, or `pull request #12`. */
  readonly branch: string;
  /** what the review is of, for people: `origin/feature`, or `pull request #12` (of origin). */
  readonly label: string;
  /** the ref the merge base was taken with (`refs/remotes/origin/main`, or the `base` argument). */
  readonly baseRef: string;
  /** `refs/remotes/<remote>/<branch>`, or a pull request's `refs/remotes/<remote>/pr/<n>`. */
  readonly headRef: string;
  /** `diff.base` is the merge base, `diff.head` the branch's commit. */
  readonly result: RefDiff;
}

export interface ReviewDeps {
  readonly sync: SyncService;
  readonly store: CollectionStore;
  readonly active: ActiveEnvironments;
  readonly sender: RequestSender;
  readonly viewer: ResponseViewer;
  readonly log: vscode.LogOutputChannel;
}

/** Which change a command is about: a tree node, or ids (scripts, tests). */
export type ChangeTarget = ReviewChangeNode | { readonly collectionId?: string; readonly id: string; readonly kind?: string };

export class ReviewController implements vscode.Disposable {
  readonly tree = new ReviewTreeProvider();
  readonly view: vscode.TreeView<ReviewNode>;
  private state: ReviewState | undefined;
  private args: ReviewArgs | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** the temp files of tried responses' large bodies (kept in no history): deleted once nothing shows them. */
  private readonly spills = new Set<string>();

  constructor(private readonly deps: ReviewDeps) {
    this.view = vscode.window.createTreeView(ReviewViews.review, { treeDataProvider: this.tree });
    const register = (id: string, handler: (...args: any[]) => unknown): vscode.Disposable => registerCommand(id, handler, deps.log);
    this.disposables.push(
      this.tree,
      this.view,
      // from the Source Control title, VS Code passes the SourceControl: its root is the repository
      register(ReviewCommands.reviewBranch, (args?: ReviewArgs | { rootUri?: vscode.Uri }) =>
        this.open(args && 'rootUri' in args ? { root: args.rootUri?.fsPath } : (args as ReviewArgs | undefined)),
      ),
      register(ReviewCommands.refreshReview, () => this.refresh()),
      register(ReviewCommands.closeReview, () => this.close()),
      register(ReviewCommands.openReviewChange, (target?: ChangeTarget) => this.openChange(target)),
      register(ReviewCommands.tryReviewRequest, (target?: ChangeTarget) => this.tryRequest(target)),
      vscode.window.tabGroups.onDidChangeTabs(() => this.sweep()),
      { dispose: () => this.sweep(true) },
    );
  }

  /** The open review, if any. */
  get current(): ReviewState | undefined {
    return this.state;
  }

  /** Lists the remote's branches, fetches the chosen one, diffs it against the merge base with its base, shows it. */
  async open(args: ReviewArgs = {}): Promise<ReviewState> {
    const repo = await this.pickRepository(args.root);
    const remote = args.remote ?? 'origin';
    const server = await this.withProgress(`Listing the branches of ${remote}...`, (signal) =>
      knownRemoteBranches(repo.root, {
        remote,
        auth: this.deps.sync.userGit.withCredentialHelpers(this.deps.sync.credentials),
        transport: this.deps.sync.transport,
        externalGit: this.deps.sync.userGit.externalGit,
        externalGitMode: this.deps.sync.userGit.mode,
        signal,
      }),
    );
    // the remote cannot be asked: what its last fetch recorded, and the local branches (compared with the local
    // default branch when there is no remote), are still reviewed
    const offline = server.unreachable;
    const noRemote = offline?.code === GitErrorCode.NoRemote;
    if (offline && !noRemote) void vscode.window.showWarningMessage(`Hammock: ${remote} could not be reached: its branches are those last fetched. ${offline.message}`);
    let target: string | RemotePullRequest | LocalTarget;
    if (args.localBranch !== undefined) {
      target = { local: args.localBranch };
    } else if (args.pullRequest !== undefined) {
      const pr = server.pullRequests.find((p) => p.number === args.pullRequest);
      if (!pr) throw offline ?? new Error(`${remote} has no pull request #${args.pullRequest} (it advertises no refs/pull/${args.pullRequest}/head or refs/merge-requests/${args.pullRequest}/head).`);
      target = pr;
    } else {
      target = args.branch ?? (await this.pickBranch(server, repo, noRemote ? await this.defaultBranch(repo, server, true).catch(() => '') : undefined));
    }
    // resolved once: the refusal below and the base further down must name the same branch (a second resolution
    // could read a recorded default the fetch in between has changed)
    let defaultName: string | undefined;
    const defaultBranch = async () => (defaultName ??= await this.defaultBranch(repo, server, noRemote));
    let branch: string;
    let headRef: string;
    let label: string;
    if (typeof target === 'string') {
      branch = target;
      // `origin/feature` names the same branch as `feature`
      if (!server.branches.some((b) => b.name === branch) && branch.startsWith(`${remote}/`)) branch = branch.slice(remote.length + 1);
      if (!server.branches.some((b) => b.name === branch)) throw offline ?? new Error(`${remote} has no branch "${branch}".`);
      // the base against itself would say "changes no collection", as if the branch were reviewed and clean
      if (!args.base && branch === (await defaultBranch())) {
        throw new Error(`${remote}/${branch} is the default branch, what a review compares a branch with: pick another branch or a pull request (or give a base).`);
      }
      if (!offline) await this.fetch(repo, remote, branch);
      headRef = `refs/remotes/${remote}/${branch}`;
      label = `${remote}/${branch}`;
    } else if ('local' in target) {
      branch = target.local;
      headRef = `refs/heads/${branch}`;
      label = `${branch} (local)`;
      const local = await repo.repository.read(OperationKind.Branches, () => refs().resolveCommit(repo.root, headRef)).catch(() => undefined);
      if (!local) throw new Error(`There is no local branch "${branch}".`);
    } else {
      const pr = target;
      branch = `pull request #${pr.number}`;
      headRef = pullRequestTrackingRef(remote, pr);
      label = remote === 'origin' ? branch : `${branch} of ${remote}`;
      // only its remote-tracking ref is written (`git fetch origin +refs/pull/12/head:refs/remotes/origin/pr/12`)
      await this.withProgress(`Fetching ${label}...`, (signal) => repo.repository.fetch({ remote, refspec: { src: pr.ref, dst: headRef }, signal }));
    }
    let baseRef = args.base;
    if (!baseRef) {
      const name = await defaultBranch();
      baseRef = noRemote ? `refs/heads/${name}` : `refs/remotes/${remote}/${name}`;
      // a missing or stale base would put the base's own new commits into the review
      const known = await repo.repository.read(OperationKind.Branches, () => refs().resolveCommit(repo.root, baseRef!)).catch(() => undefined);
      const wanted = server.branches.find((b) => b.name === name)?.oid;
      if (!noRemote && name !== branch && (!known || (wanted && known !== wanted))) await this.fetch(repo, remote, name);
    }
    const started = performance.now();
    // refs read through the model's funnel (not while a fetch moves them); the objects it names never change
    const result = await repo.repository.read(OperationKind.History, () => withObjectCache(repo.root, (cache) => refs().diffRefs(repo.root, baseRef, headRef, { mergeBase: true, cache })));
    this.deps.log.info(`review: ${label} against ${baseRef} (merge base ${result.base.slice(0, 7)}): ${result.diff.collections.length} collection(s) changed, in ${(performance.now() - started).toFixed(0)} ms`);
    // a refresh reviews the same target again: exactly one of the three names it
    const which = typeof target === 'string' ? { branch } : 'local' in target ? { localBranch: target.local } : { pullRequest: target.number };
    this.args = { ...args, root: repo.root, remote, branch: undefined, pullRequest: undefined, localBranch: undefined, ...which };
    this.state = { root: repo.root, remote, branch, label, baseRef, headRef, result };
    this.show();
    return this.state;
  }

  /** Fetches the branch again and recomputes the review. */
  async refresh(): Promise<ReviewState | undefined> {
    if (!this.args) return undefined;
    return this.open(this.args);
  }

  async close(): Promise<void> {
    this.state = undefined;
    this.args = undefined;
    this.tree.set(undefined);
    this.view.message = undefined;
    this.view.description = undefined;
    await vscode.commands.executeCommand('setContext', REVIEW_OPEN_CONTEXT, false);
  }

  /** Opens the side-by-side diff of one change (the branch's version on the right). */
  async openChange(target?: ChangeTarget): Promise<void> {
    const { state, node } = this.resolve(target);
    const sides = revisionSides(state.root, state.result, node.collection);
    await openItemDiff(node.change, sides.before, sides.after, {
      title: `${this.tree.labelOf(node)} (${state.result.base.slice(0, 7)} ↔ ${state.label})`,
    });
  }

  /**
   * Sends the branch's version of an HTTP request, rendered with the reviewer's environment for its collection: the
   * working tree's base environment and active sub-environment when the workspace has that collection, else the
   * branch's own base environment. The response shows in the response viewer (not kept in the request's history).
   */
  async tryRequest(target?: ChangeTarget): Promise<ResponseRecord> {
    const { state, node } = this.resolve(target, isTryable);
    const sides = revisionSides(state.root, state.result, node.collection);
    if (!sides.after) throw new Error(`${node.change.name} is not on ${state.branch}.`);
    const where = sides.after.collection;
    const found = await withObjectCache(state.root, (cache) => refs().loadItemAtRef(state.root, state.result.head, where, node.change.id, { cache }));
    if (found?.item?.kind !== 'request') throw new Error(`${node.change.name} is not an HTTP request on ${state.branch}.`);
    const request = found.item as HttpRequest;
    const local = this.localCollection(found.collection);
    const collection: Collection = local ? { ...found.collection, baseEnvironment: local.baseEnvironment } : found.collection;
    const { environment, vault } = local ? await this.deps.active.renderEnvironment(local) : { environment: undefined, vault: {} };
    const panelState = { collectionPath: found.collection.path, requestId: request.id };
    const requestName = `${request.name} (${state.branch})`;
    // (a Try is a Send of its own: a Send of the working tree's request on its way meanwhile is still said, and
    // the later of the two is what the viewer shows)
    const send = this.deps.viewer.pending(requestName);
    try {
      const controller = new AbortController();
      const record = await this.deps.sender({ collection, request, environment, vault, signal: controller.signal, persist: false });
      // (its response says it is here: the page stops saying it is on its way, as after a Send)
      this.deps.viewer.settle(send, false);
      await this.deps.viewer.showSent(panelState, [{ ...record, requestName }], send, true);
      if (record.bodyFile) this.spills.add(record.bodyFile);
      this.sweep();
      return record;
    } finally {
      this.deps.viewer.settle(send);
    }
  }

  /** Deletes the tried bodies' temp files that neither the response viewer nor an editor tab shows (all: every one). */
  private sweep(all = false): void {
    // (every tab change comes here: nothing tried, nothing to look at)
    if (this.spills.size === 0) return;
    const viewer = this.deps.viewer;
    const shown = new Set(vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri.fsPath : ''))));
    for (const file of this.spills) {
      if (!all && (shown.has(file) || (viewer.isOpen && viewer.current?.bodyFile === file))) continue;
      this.spills.delete(file);
      try {
        rmSync(file, { force: true });
      } catch {
        // (left to the OS, which empties its temp folder)
      }
    }
  }

  private localCollection(c: Collection): Collection | undefined {
    const same = this.deps.store.collections.filter((x) => x.id === c.id);
    return same.find((x) => x.path === c.path && x.format === c.format) ?? same.find((x) => x.format === c.format) ?? same[0];
  }

  private resolve(target: ChangeTarget | undefined, accept: (c: ReviewChangeNode['change']) => boolean = () => true): { state: ReviewState; node: ReviewChangeNode } {
    const state = this.state;
    if (!state) throw new Error('No review is open: run "Hammock: Review Branch..." first.');
    if (isReviewChangeNode(target)) return { state, node: target };
    const selected = this.view.selection.find(isReviewChangeNode);
    const nodes: ReviewChangeNode[] = state.result.diff.collections.flatMap((collection) =>
      changesOf(state.result, collection).map((change) => ({ type: 'reviewChange' as const, collection, change })),
    );
    const node = target
      ? nodes.find((n) => n.change.id === target.id && (!target.collectionId || n.collection.id === target.collectionId) && (!target.kind || n.change.kind === target.kind) && accept(n.change))
      : selected;
    if (!node) throw new Error(target ? `No change of ${target.id} in the review.` : 'Select a change in the Review view.');
    return { state, node };
  }

  private show(): void {
    const state = this.state!;
    const n = state.result.diff.collections.reduce((sum, c) => sum + Math.max(1, changesOf(state.result, c).length), 0);
    this.tree.set(state.result, state.label);
    this.view.description = state.label;
    // files that could not be read (a malformed file, conflict markers committed): named first in the tree
    const k = this.tree.unreadableCount;
    const unread = k ? ` ${k} file${k === 1 ? '' : 's'} cannot be read: what ${k === 1 ? 'it holds is' : 'they hold is'} left out.` : '';
    this.view.message = n
      ? `${state.label} against ${shortRef(state.baseRef)} (from ${state.result.base.slice(0, 7)}): ${n} change${n === 1 ? '' : 's'}.${unread}`
      : `${state.label} changes no collection against ${shortRef(state.baseRef)}${k ? ' in what could be read' : ''}.${unread}`;
    void vscode.commands.executeCommand('setContext', REVIEW_OPEN_CONTEXT, true).then(() =>
      vscode.commands.executeCommand(`${ReviewViews.review}.focus`).then(undefined, () => undefined),
    );
  }

  private async pickRepository(root: string | undefined): Promise<SyncRepository> {
    const repos = this.deps.sync.repositories;
    if (root) {
      const repo = this.deps.sync.getRepository(path.resolve(root)) ?? (await this.deps.sync.openRepository(root));
      return repo;
    }
    if (repos.length === 1) return repos[0];
    if (repos.length === 0) throw new Error('No git repository with collections is open.');
    const picked = await pickRepository(this.deps.sync, repos, 'Review a branch of which repository?');
    if (!picked) throw new Cancelled();
    return picked;
  }

  /** `local`: there is no remote, the local branches are compared with this one (not offered). */
  private async pickBranch(server: RemoteBranches, repo: SyncRepository, local?: string): Promise<string | RemotePullRequest | LocalTarget> {
    type Item = vscode.QuickPickItem & { target?: string | RemotePullRequest | LocalTarget };
    // the default branch is what a review compares with (the title says so): reviewed against itself it would change
    // nothing, so it is not offered
    const items: Item[] = server.branches.filter((b) => b.name !== server.defaultBranch).map((b) => ({ label: b.name, description: b.oid.slice(0, 7), target: b.name }));
    if (server.pullRequests.length) {
      // a pull request from a fork has no branch here: its number is the way to it (the newest first)
      items.push({ label: 'Pull requests', kind: vscode.QuickPickItemKind.Separator });
      for (const pr of server.pullRequests) items.push({ label: `#${pr.number}`, description: `${pr.ref} · ${pr.oid.slice(0, 7)}`, target: pr });
    }
    // your own branches, read where they are (nothing fetched): what a branch would bring before it is pushed
    const locals = await repo.repository.branches().then((b) => b.local, () => []);
    if (locals.length) {
      items.push({ label: 'Local branches', kind: vscode.QuickPickItemKind.Separator });
      for (const b of locals) if (b.name !== local) items.push({ label: b.name, description: `local${b.current ? ', checked out' : ''} · ${b.oid.slice(0, 7)}`, target: { local: b.name } });
    }
    const against = server.defaultBranch ? ` (compared with ${server.remote}/${server.defaultBranch})` : local ? ` (compared with ${local})` : '';
    const picked = await vscode.window.showQuickPick(items, { title: `Review which ${local === undefined ? `branch or pull request of ${server.remote}` : 'local branch'}?${against}`, placeHolder: local === undefined ? 'A pull request\'s branch, or its number' : 'A branch', matchOnDescription: true });
    if (!picked?.target) throw new Cancelled();
    return picked.target;
  }

  /**
   * The remote's default branch: what the server says, else what the last clone/fetch recorded, else main/master.
   * `local` (no remote): the local main/master, else the current branch.
   */
  private async defaultBranch(repo: SyncRepository, server: RemoteBranches, local?: boolean): Promise<string> {
    if (server.defaultBranch) return server.defaultBranch;
    const locals = local ? (await repo.repository.branches()).local : [];
    const names = new Set((local ? locals : server.branches).map((b) => b.name));
    const recorded = await recordedDefaultBranch(repo.root, server.remote);
    if (recorded && names.has(recorded)) return recorded;
    const name = ['main', 'master'].find((n) => names.has(n)) ?? locals.find((b) => b.current)?.name;
    if (name) return name;
    throw new Error(`Cannot tell the default branch of ${server.remote}: give the base to compare with.`);
  }

  private async fetch(repo: SyncRepository, remote: string, branch: string): Promise<void> {
    await this.withProgress(`Fetching ${remote}/${branch}...`, (signal) =>
      repo.repository.fetch({ remote, branch, signal }),
    );
  }

  /** Remote work in a cancellable notification; a cancel ends the command quietly (the command center shows nothing). */
  private withProgress<T>(title: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return commandCenter.remote(title.replace(/^Hammock: /, ''), (work) => fn(work.signal));
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function shortRef(ref: string): string {
  return ref.replace(/^refs\/remotes\//, '').replace(/^refs\/heads\//, '');
}
