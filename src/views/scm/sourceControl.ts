// The Source Control adapter: one "Hammock" SourceControl
// per repository with the groups Merge Changes, Staged Changes and Changes, a quick diff against HEAD, the
// commit input box and the status bar entries. It renders the repository model (Repository) and never
// calls git itself: commands do, through the repository's run() funnel, and the model refreshes after.
//
// A resource says what it is: its label is the request (with its method), folder, environment or collection
// the file holds, and its description the file's path. VS Code takes both from the resource URI (label = last
// path segment, description = the label service's label of the folder above it), and titles the row with the URI's
// label too, so a described file's resource URI is `hammock-scm:/<path>/<label>` whose label (package.json's
// resourceLabelFormatters) is the file's real path, relative to the repository (resourceLabelUri); a file named by
// its own name is the file itself. The real file is `resource.fileUri`.

import * as path from 'path';
import * as vscode from 'vscode';
import { GitCommands } from '../../commandIds';
import type { ConflictReport } from '../../git/conflictReport';
import type { Repository, RepositorySnapshot } from '../../git/repository';
import type { ChangeKind, ConflictKind } from '../../git/status';
import { INDEX_REF, STAGE_REFS, type GitObjects } from '../../git/gitObjects';
import { oversizedDocument } from '../../review/largeDiff';
import { originalUri } from '../../sync/originalContent';
import type { ResourceDescriber, ResourceGroupId } from '../../sync/resourceDescriber';
import { statusBarCommands, syncButtonCounts, syncWords } from '../../sync/statusBar';

export const SCM_PROVIDER_ID = 'hammock';
const RESOURCE_SCHEME = 'hammock-scm';
/** resources beyond this many per group are shown by file name only (describing them costs a read each). */
const MAX_DESCRIBED = 2000;

export type ResourceChange = ChangeKind | ConflictKind;

/**
 * `SourceControl.actionButton` (the big button under the commit box) is a proposed API of VS Code (scmActionButton,
 * microsoft/vscode#133935): VS Code refuses it to an extension that does not declare the proposal, and one that
 * declares it cannot be published. Hammock sets it where VS Code allows it and otherwise keeps the ✓ Commit of the
 * Source Control title (stable `scm/title`), so the view has a Commit button either way.
 */
export interface ActionButton {
  command: vscode.Command;
  secondaryCommands?: vscode.Command[][];
  description?: string;
  enabled: boolean;
}

/** What the action button offers for a state (pure: the tests read it): Commit, Sync Changes or Publish Branch. */
export function actionButtonFor(snapshot: RepositorySnapshot, sc: unknown, running: boolean): ActionButton {
  const { status, tracking, remoteUrl } = snapshot;
  const changes = status.merge.length + status.staged.length + status.changes.length;
  const branch = status.branch ?? 'detached HEAD';
  if (changes > 0 || status.mergeInProgress || !status.branch) {
    const title = status.mergeInProgress ? '$(check) Commit Merge' : '$(check) Commit';
    return {
      command: { command: GitCommands.commit, title, tooltip: `Commit on "${branch}"`, arguments: [sc] },
      secondaryCommands: [[{ command: GitCommands.commitAndPush, title: 'Commit & Push', arguments: [sc] }]],
      // unresolved conflicts cannot be committed: resolve and stage them first. A merge whose conflicts were all
      // resolved to our side stages nothing HEAD lacks, yet still has its merge commit to make (as `git commit` does)
      enabled: !running && status.merge.length === 0 && (changes > 0 || !!status.mergeInProgress),
    };
  }
  if (tracking && (tracking.ahead || tracking.behind)) {
    return {
      command: { command: GitCommands.sync, title: `$(sync) Sync Changes${syncButtonCounts(tracking)}`, tooltip: `Sync (pull, then push): ${syncWords(tracking)}`, arguments: [sc] },
      enabled: !running,
    };
  }
  if (!tracking && remoteUrl) {
    return { command: { command: GitCommands.push, title: '$(cloud-upload) Publish Branch', tooltip: `Push "${branch}" to origin and track it`, arguments: [sc] }, enabled: !running };
  }
  return { command: { command: GitCommands.commit, title: '$(check) Commit', tooltip: 'Nothing to commit', arguments: [sc] }, enabled: false };
}

/** A changed file in one of the groups. `contextValue` is the group id, or `reportedConflict`. */
export interface HammockResource extends vscode.SourceControlResourceState {
  readonly type: 'hammockResource';
  readonly root: string;
  readonly group: ResourceGroupId;
  /** repo-relative, `/`-separated. */
  readonly path: string;
  readonly fileUri: vscode.Uri;
  readonly change: ResourceChange;
  /** what the view shows: `POST Create user`, a folder, a collection name, or the file name. */
  readonly label: string;
  /** what the file holds, in Insomnia's terms: `request`, `folder`, `environment`, `collection`... or `file`. */
  readonly what: string;
  /** a conflict the last pull reported (the merge was abandoned; nothing is unmerged on disk). */
  readonly reported: boolean;
  /** for a reported conflict: the two sides. */
  readonly theirs?: string;
}

export function isHammockResource(value: unknown): value is HammockResource {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'hammockResource';
}

const CHANGE_TEXT: Record<ResourceChange, string> = {
  added: 'Added',
  modified: 'Modified',
  deleted: 'Deleted',
  untracked: 'Untracked',
  typeChanged: 'Type Changed',
  bothModified: 'Conflict: both modified',
  bothAdded: 'Conflict: both added',
  deletedByUs: 'Conflict: deleted by us',
  deletedByThem: 'Conflict: deleted by them',
  addedByUs: 'Conflict: added by us',
  addedByThem: 'Conflict: added by them',
  bothDeleted: 'Conflict: both deleted',
};

function changeIcon(change: ResourceChange): vscode.ThemeIcon {
  switch (change) {
    case 'added':
      return new vscode.ThemeIcon('diff-added', new vscode.ThemeColor('gitDecoration.addedResourceForeground'));
    case 'untracked':
      return new vscode.ThemeIcon('diff-added', new vscode.ThemeColor('gitDecoration.untrackedResourceForeground'));
    case 'modified':
      return new vscode.ThemeIcon('diff-modified', new vscode.ThemeColor('gitDecoration.modifiedResourceForeground'));
    case 'deleted':
      return new vscode.ThemeIcon('diff-removed', new vscode.ThemeColor('gitDecoration.deletedResourceForeground'));
    case 'typeChanged':
      return new vscode.ThemeIcon('diff-renamed', new vscode.ThemeColor('gitDecoration.modifiedResourceForeground'));
    default:
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('gitDecoration.conflictingResourceForeground'));
  }
}

/**
 * The resource URI whose last segment is the label and whose folder is the file (or, for a label that is the file's
 * name, the file itself). A described file's is a `hammock-scm:` URI (no file has that path), `/<path>/<label>`
 * (the view's tree mode places it by its path), whose query holds the file's real path, which package.json's
 * resourceLabelFormatters shows for the description and for the row's hover, and what the hover adds after it
 * (`hint`: the change, the requests it touches), which resourceHover gives as a file decoration's tooltip: VS Code
 * titles a row's label with its URI's label and a decoration's tooltip only (`decorations.tooltip` is the icon's).
 */
export function resourceLabelUri(fileUri: vscode.Uri, label: string, relPath: string, hint: string): vscode.Uri {
  let safe = label.replace(/[/\\]/g, '∕').replace(/[\r\n]+/g, ' ').trim();
  if (safe === '.' || safe === '..') safe = '';
  if (!safe || safe === path.posix.basename(relPath)) return fileUri;
  return vscode.Uri.from({ scheme: RESOURCE_SCHEME, path: `/${relPath}/${safe}`, query: JSON.stringify({ p: relPath, t: hint }) });
}

/** The hover's second part for a described resource (resourceLabelUri); registered once. */
export const resourceHover = (): vscode.Disposable =>
  vscode.window.registerFileDecorationProvider({ provideFileDecoration: (uri) => (uri.scheme === RESOURCE_SCHEME ? { tooltip: JSON.parse(uri.query).t } : undefined) });

async function pool<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

export class HammockSourceControl implements vscode.Disposable {
  readonly sourceControl: vscode.SourceControl;
  readonly mergeGroup: vscode.SourceControlResourceGroup;
  readonly indexGroup: vscode.SourceControlResourceGroup;
  readonly workingTreeGroup: vscode.SourceControlResourceGroup;
  private readonly disposables: vscode.Disposable[] = [];
  private generation = 0;

  private readonly _onDidRender = new vscode.EventEmitter<void>();
  /** fires when the groups show a new state (tests wait on it). */
  readonly onDidRender = this._onDidRender.event;

  /** whether VS Code's built-in Git shows this repository too (then: no count, no commit box of our own; README). */
  private besideBuiltInGit = false;
  /** VS Code refused the proposed actionButton: not tried again. */
  private actionButtonRefused = false;

  constructor(
    readonly root: string,
    private readonly repository: Repository,
    private readonly describer: ResourceDescriber,
    /** the repository's objects, to measure the gutter's original (a file over the diff limit gets none). */
    private readonly objects?: GitObjects,
  ) {
    const sc = vscode.scm.createSourceControl(SCM_PROVIDER_ID, 'Hammock', vscode.Uri.file(root));
    this.sourceControl = sc;
    this.mergeGroup = sc.createResourceGroup('merge', 'Merge Changes');
    this.indexGroup = sc.createResourceGroup('index', 'Staged Changes');
    this.workingTreeGroup = sc.createResourceGroup('workingTree', 'Changes');
    this.mergeGroup.hideWhenEmpty = true;
    this.indexGroup.hideWhenEmpty = true;
    sc.acceptInputCommand = { command: GitCommands.commit, title: 'Commit', arguments: [sc] };
    sc.inputBox.placeholder = 'Message (Ctrl+Enter to commit)';
    sc.quickDiffProvider = { provideOriginalResource: (uri) => this.originalResource(uri) };
    this.disposables.push(sc, this.mergeGroup, this.indexGroup, this.workingTreeGroup, this._onDidRender);

    repository.onDidChangeState((snapshot) => void this.render(snapshot), this, this.disposables);
    const updateStatusBar = (): void => this.updateStatusBar();
    repository.onDidStartOperation(updateStatusBar, this, this.disposables);
    repository.onDidRunOperation(updateStatusBar, this, this.disposables);
    // while another git process holds a lock the operation needs: words in the status bar, where VS Code shows work
    repository.onDidProgress(({ progress, wait }) => wait && vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Hammock: ${progress.phase}` }, () => wait), this, this.disposables);
    if (repository.snapshot) void this.render(repository.snapshot);
  }

  /**
   * What the first `limit` of `files` hold, for messages that list files (a refusal for uncommitted work, the
   * incoming preview): file -> ResourceDescriber.nameOf, files that hold no collection item left out.
   */
  async namesOf(files: readonly string[], limit = 10): Promise<Record<string, string>> {
    const names: Record<string, string> = {};
    for (const file of files.slice(0, limit)) {
      const name = await this.describer.nameOf(file);
      if (name) names[file] = name;
    }
    return names;
  }

  /** Every resource of the three groups. */
  get resources(): HammockResource[] {
    return [this.mergeGroup, this.indexGroup, this.workingTreeGroup].flatMap((g) => g.resourceStates as HammockResource[]);
  }

  /**
   * The gutter's original: the file at HEAD; none for an untracked file, and none for one over the diff editor's
   * limit at HEAD (measured by the blob's header), whose warning says so once (VS Code's large-file check does not
   * cover `hammock-git:` documents).
   */
  private async originalResource(uri: vscode.Uri): Promise<vscode.Uri | undefined> {
    if (uri.scheme !== 'file') return undefined;
    const rel = path.relative(this.root, uri.fsPath);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    const relPath = rel.split(path.sep).join('/');
    if (relPath === '.git' || relPath.startsWith('.git/')) return undefined;
    const untracked = this.repository.snapshot?.status.changes.some((c) => c.path === relPath && c.kind === 'untracked');
    if (untracked) return undefined;
    const original = originalUri(uri, 'HEAD');
    const bytes = await this.objects?.textBytesAt('HEAD', relPath).catch(() => null);
    if (bytes && oversizedDocument(original, relPath, { label: 'HEAD', bytes }) !== undefined) return undefined;
    return original;
  }

  /** Renders the last status again: the names of what the files hold may have changed (no git status is run). */
  relabel(): void {
    if (this.repository.snapshot) void this.render(this.repository.snapshot);
  }

  private updateStatusBar(): void {
    const snapshot = this.repository.snapshot;
    this.sourceControl.statusBarCommands = statusBarCommands(this.root, snapshot, this.repository.currentOperation);
    if (snapshot) this.setActionButton(actionButtonFor(snapshot, this.sourceControl, !!this.repository.currentOperation && !this.repository.currentOperation.readOnly));
  }

  /** The action button shown, when VS Code lets Hammock set it (see ActionButton). */
  actionButton: ActionButton | undefined;

  private setActionButton(button: ActionButton): void {
    this.actionButton = button;
    if (this.actionButtonRefused) return;
    try {
      (this.sourceControl as vscode.SourceControl & { actionButton?: ActionButton }).actionButton = button;
    } catch {
      this.actionButtonRefused = true;
    }
  }

  /** Whether VS Code's Git shows the repository too: Hammock then counts nothing and hides its commit box. */
  setBesideBuiltInGit(beside: boolean): void {
    if (beside === this.besideBuiltInGit) return;
    this.besideBuiltInGit = beside;
    this.sourceControl.inputBox.visible = !beside;
    if (this.repository.snapshot) void this.render(this.repository.snapshot);
  }

  /** Whether the commit box is Hammock's own (false beside VS Code's Git). */
  get showsCommitBox(): boolean {
    return !this.besideBuiltInGit;
  }

  private async render(snapshot: RepositorySnapshot): Promise<void> {
    const generation = ++this.generation;
    this.describedCount = 0;
    const { status } = snapshot;
    const reported = this.repository.reportedConflicts;
    const unmerged = new Set(status.merge.map((c) => c.path));
    const mergeItems: { path: string; change: ResourceChange; reported?: ConflictReport }[] = status.merge.map((c) => ({ path: c.path, change: c.kind }));
    if (reported && !unmerged.size) for (const f of reported.files) mergeItems.push({ path: f.path, change: f.kind, reported });
    const [merge, index, workingTree] = await Promise.all([
      pool(mergeItems, 8, (c) => this.resource('merge', c.path, c.change, c.reported)),
      pool(status.staged, 8, (c) => this.resource('index', c.path, c.kind)),
      pool(
        status.changes.filter((c) => !unmerged.has(c.path)),
        8,
        (c) => this.resource('workingTree', c.path, c.kind),
      ),
    ]);
    if (generation !== this.generation) return; // a newer state is being rendered
    this.mergeGroup.resourceStates = merge;
    this.indexGroup.resourceStates = index;
    this.workingTreeGroup.resourceStates = workingTree;
    // beside VS Code's Git the activity bar would count each change twice: that provider counts them
    this.sourceControl.count = this.besideBuiltInGit ? 0 : merge.length + index.length + workingTree.length;
    const branch = status.branch ?? 'detached HEAD';
    this.sourceControl.inputBox.placeholder = status.mergeInProgress
      ? `Message (Ctrl+Enter to commit the merge on "${branch}")`
      : `Message (Ctrl+Enter to commit on "${branch}")`;
    this.updateStatusBar();
    this._onDidRender.fire();
  }

  private describedCount = 0;

  private async resource(group: ResourceGroupId, relPath: string, change: ResourceChange, reported?: ConflictReport): Promise<HammockResource> {
    const fileUri = vscode.Uri.file(path.join(this.root, ...relPath.split('/')));
    const description =
      this.describedCount++ < MAX_DESCRIBED
        ? await this.describer.describe(relPath, group).catch(() => undefined)
        : undefined;
    const label = description?.label ?? path.posix.basename(relPath);
    const head = `${CHANGE_TEXT[change]}${description && description.what !== 'file' ? ` · ${description.what}` : ''}`;
    const lines = [`${relPath} · ${head}`];
    if (reported) {
      lines.push(`Both ${reported.ours} and ${reported.theirs} changed it; the pull was abandoned.`);
      const items = reported.files.find((f) => f.path === relPath)?.items ?? [];
      for (const i of items) lines.push(`⚠ ${i.name ?? i.id}${i.fields.length ? `: ${i.fields.join(', ')}` : ''}`);
    }
    lines.push(...(description?.details ?? []));
    const deleted = change === 'deleted' || change === 'deletedByUs' || change === 'bothDeleted';
    const resource: HammockResource = {
      type: 'hammockResource',
      root: this.root,
      group,
      path: relPath,
      fileUri,
      change,
      label,
      what: description?.what ?? 'file',
      reported: !!reported,
      theirs: reported?.theirs,
      resourceUri: resourceLabelUri(fileUri, label, relPath, [head, ...lines.slice(1)].join('\n')),
      contextValue: reported ? 'reportedConflict' : group,
      decorations: {
        strikeThrough: deleted,
        faded: false,
        tooltip: lines.join('\n'),
        iconPath: changeIcon(change),
      },
    };
    (resource as { command?: vscode.Command }).command = { command: GitCommands.openChange, title: 'Open Changes', arguments: [resource] };
    return resource;
  }

  /**
   * The `hammock-git:` URIs a resource's diff compares (left undefined: nothing before; right: the file). A reported
   * conflict's sides are `commits` when given (what HEAD and the upstream are: documents that never change), else the
   * refs.
   */
  diffUris(resource: HammockResource, commits?: { readonly ours: string; readonly theirs: string }): { left: vscode.Uri | undefined; right: vscode.Uri | undefined; title: string } {
    const { fileUri, change, label } = resource;
    const name = path.posix.basename(resource.path);
    const title = label === name ? name : `${label} (${name})`;
    // a deleted file is named by its committed side (the describer reads it) and titled as VS Code's Git titles it
    const side = (where: string): string => `${title} (${change === 'deleted' ? 'Deleted' : where})`;
    if (resource.reported) {
      return { left: originalUri(fileUri, commits?.ours ?? 'HEAD'), right: originalUri(fileUri, commits?.theirs ?? resource.theirs ?? 'HEAD'), title: `${title} (HEAD ↔ ${resource.theirs})` };
    }
    switch (resource.group) {
      case 'index':
        return {
          left: change === 'added' ? undefined : originalUri(fileUri, 'HEAD'),
          right: change === 'deleted' ? undefined : originalUri(fileUri, INDEX_REF),
          title: side('Index'),
        };
      case 'workingTree':
        return {
          left: change === 'untracked' || change === 'added' ? undefined : originalUri(fileUri, INDEX_REF),
          right: change === 'deleted' ? undefined : fileUri,
          title: side('Working Tree'),
        };
      case 'merge':
        return { left: originalUri(fileUri, STAGE_REFS.ours), right: fileUri, title: `${title} (Merge)` };
    }
  }

  dispose(): void {
    this.generation++;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
