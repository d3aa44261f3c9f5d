// Diffs too large for the diff editor, inside a real VS Code: a request whose description is a 24 MB line opened
// from the History view (a `hammock-rev:` diff) or from Source Control (a `hammock-git:` side) shows a warning that
// names it and its size, and no diff editor is opened (VS Code's large-file check does not cover virtual
// documents; the diff editor then throws "Maximum call stack size exceeded" and shows an empty diff). The warning's
// action still shows what changed; a commit opened from Show History leaves the file out and names it.
// Stubs vscode.window.showWarningMessage, so it is not in editor/smoke tests.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import type { HistoryNode } from '../../src/history/historyView';
import type { SyncRepository } from '../../src/sync/syncRepository';
import type { HammockResource } from '../../src/views/scm/sourceControl';
import { revisionUri } from '../../src/review/revisionDocuments';
import { activateHammock, gitAs, waitFor, workspaceRoot } from './helpers';

const LIST = '.insomnia/Request/req_a4d4c15ec67b4b6b9cf798e2ecc25845.yml'; // GET List all transactions
const git = gitAs({ name: 'Large Diff', email: 'large@hammock.invalid' });
const HUGE = 24 * 1024 * 1024;

describe('Diffs too large for the diff editor', function () {
  this.timeout(180_000);
  let api: HammockApi;
  let root: string;
  let repo: SyncRepository;
  let original: string;
  const warnings: string[] = [];
  /**
   * The gutter's warning for the request file at HEAD, over the whole suite: VS Code asks the quick diff of an editor
   * open on the file (one an earlier suite left, whose document outlives its tab) as soon as HEAD holds 24 MB, so it
   * may come during the History test; it is said once whenever it comes.
   */
  const quickDiffWarnings: string[] = [];
  const QUICK_DIFF_WARNING = /^Hammock: ".*req_a4d4c15ec67b4b6b9cf798e2ecc25845\.yml" is too large to show as a diff: HEAD is 24\.0 MB/;
  /** the warnings but the gutter's. */
  const others = () => warnings.filter((w) => !QUICK_DIFF_WARNING.test(w));
  const realWarning = vscode.window.showWarningMessage;
  /** the action the stubbed warning answers with. */
  let answer: string | undefined;

  /** Every open document or diff tab of `scheme` whose URI names `text`. */
  const opened = (scheme: string, text: string): string[] => {
    const uris: vscode.Uri[] = [];
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
      if (tab.input instanceof vscode.TabInputTextDiff) uris.push(tab.input.original, tab.input.modified);
      else if (tab.input instanceof vscode.TabInputText) uris.push(tab.input.uri);
    }
    uris.push(...vscode.workspace.textDocuments.map((d) => d.uri));
    return uris.filter((u) => u.scheme === scheme && u.toString(true).includes(text)).map((u) => u.toString(true));
  };

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    root = workspaceRoot();
    repo = await waitFor('the repository of the workspace', () => api.sync.getRepository(root), 20_000);
    if (await git(root, 'status', '--porcelain')) {
      await git(root, 'add', '-A');
      await git(root, 'commit', '-q', '-m', "Earlier tests' edits");
    }
    original = await fsp.readFile(path.join(root, LIST), 'utf8');
    // no editor an earlier suite left open on the file: its quick diff would ask for the 24 MB original (and take the
    // one warning the gutter test counts) as soon as HEAD holds it
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = (message: string, ...items: unknown[]) => {
      if (!message.startsWith('Hammock: "')) return (realWarning as (...a: unknown[]) => unknown)(message, ...items);
      warnings.push(message);
      if (QUICK_DIFF_WARNING.test(message)) quickDiffWarnings.push(message);
      return Promise.resolve(answer);
    };
  });

  after(async () => {
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = realWarning;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fsp.writeFile(path.join(root, LIST), original);
    await git(root, 'add', LIST);
    await git(root, 'commit', '-q', '-m', 'Large diff tests: the request back as it was').catch(() => undefined);
    await repo.repository.refresh();
  });

  it('History: the diff of a request with a 24 MB description is not opened; a warning names it and its size, and Show Changed Fields lists what changed', async () => {
    assert.match(original, /^description: .*$/m);
    await fsp.writeFile(path.join(root, LIST), original.replace(/^description: .*$/m, `description: ${'x'.repeat(HUGE)}`));
    await git(root, 'commit', '-q', '-am', 'Large diff: a huge description');
    const head = await git(root, 'rev-parse', 'HEAD');
    await repo.repository.refresh();

    const top = async (): Promise<HistoryNode[]> => {
      const nodes = await api.history.provider.getChildren();
      const mine = nodes.find((n) => n.kind === 'repository' && n.repo.root === root);
      return mine ? api.history.provider.getChildren(mine) : nodes;
    };
    const commit = await waitFor('the commit in the History view', async () => {
      api.history.provider.refresh();
      return (await top()).find((n) => n.kind === 'commit' && n.commit.oid === head);
    }, 30_000);
    const [change] = await api.history.provider.getChildren(commit);
    assert.ok(change?.kind === 'change');
    assert.equal(change.change.change?.description, '~ request "Transactions/List all transactions": description changed');

    // the Collections tree's item for it: its tooltip holds the description's start only (megabytes of Markdown
    // overflowed the stack of VS Code's Markdown lexer when the item was sent, and the tree showed nothing)
    await api.store.refreshPaths([path.join(root, LIST)]);
    const find = async (nodes: readonly unknown[]): Promise<unknown> => {
      for (const n of nodes as { type?: string; request?: { name: string }; collection?: { path: string } }[]) {
        if (n.type === 'request' && n.request?.name === 'List all transactions' && n.collection?.path === path.join(root, '.insomnia')) return n;
        if (n.type === 'collection' || n.type === 'folder') {
          const found = await find(await api.collectionsTree.getChildren(n as never));
          if (found) return found;
        }
      }
      return undefined;
    };
    const node = await find(await api.collectionsTree.getChildren());
    assert.ok(node, 'the request in the Collections tree');
    const tooltip = api.collectionsTree.getTreeItem(node as never).tooltip as vscode.MarkdownString;
    assert.ok(tooltip.value.length < 5000, `a tooltip of ${tooltip.value.length} characters`);
    assert.match(tooltip.value, /x{100}\n…$/);

    answer = 'Show Changed Fields';
    const item = api.history.provider.getTreeItem(change);
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    assert.equal(others().length, 1, warnings.join('\n'));
    assert.match(others()[0], new RegExp(`^Hammock: "Transactions/List all transactions" is too large to show as a diff: ${head.slice(0, 7)} is 24\\.0 MB \\(the limit is 10\\.0 MB\\)`));
    const summary = await waitFor('the changed fields', () => {
      const doc = vscode.window.activeTextEditor?.document;
      return doc?.uri.scheme === 'untitled' ? doc : undefined;
    }, 10_000);
    assert.match(summary.getText(), /description changed/);
    assert.match(summary.getText(), new RegExp(`${head.slice(0, 7)}: 24\\.0 MB`));
    assert.ok(summary.getText().length < 10_000, 'the summary does not hold the huge value');
    assert.deepEqual(opened('hammock-rev', head), [], 'no diff editor of the huge revision');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Source Control: Open Changes against the 24 MB version in the index is not opened; a warning names the side, and Open File opens the file', async () => {
    // the file back as it was, the index still holding the huge description: the left (hammock-git:) side is huge
    await fsp.writeFile(path.join(root, LIST), original);
    await repo.repository.refresh();
    const resource = await waitFor('the file in Changes', () => (repo.scm.workingTreeGroup.resourceStates as HammockResource[]).find((r) => r.path === LIST), 20_000);
    warnings.length = 0;
    answer = 'Open File';
    // (documents of this file that earlier suites opened stay in the workspace: only new ones count)
    const earlier = new Set(opened('hammock-git', 'req_a4d4c15ec67b4b6b9cf798e2ecc25845'));
    await vscode.commands.executeCommand('hammock.openChange', resource);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], /^Hammock: ".*" is too large to show as a diff: the index is 24\.0 MB/);
    await waitFor('the file opened', () => vscode.window.activeTextEditor?.document.uri.fsPath === path.join(root, LIST), 10_000);
    assert.deepEqual(opened('hammock-git', 'req_a4d4c15ec67b4b6b9cf798e2ecc25845').filter((u) => !earlier.has(u)), [], 'no diff editor of the huge index version');
  });

  it("Show History: the commit's changes leave out the 24 MB file and a warning names it and its size", async () => {
    const head = await git(root, 'rev-parse', 'HEAD');
    assert.equal(await git(root, 'log', '-1', '--format=%s'), 'Large diff: a huge description');
    warnings.length = 0;
    await vscode.commands.executeCommand('hammock.showHistory', root, { oid: head });
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], new RegExp(`^Hammock: "${LIST}" is too large to show as a diff: ${head.slice(0, 7)} is 24\\.0 MB`));
    assert.deepEqual(opened('hammock-git', head), [], 'no diff editor of the huge commit version');
  });

  // a document opened on its own (not a diff): the gutter's quick diff, a one-sided vscode.open, a revision's tab

  it("the gutter's quick diff gets no original for the 24 MB file at HEAD; the warning names it once", async () => {
    warnings.length = 0;
    const provider = repo.scm.sourceControl.quickDiffProvider!;
    const token = new vscode.CancellationTokenSource().token;
    const fileUri = vscode.Uri.file(path.join(root, LIST));
    assert.equal(await provider.provideOriginalResource!(fileUri, token), undefined);
    assert.equal(quickDiffWarnings.length, 1, `said once in the suite: ${quickDiffWarnings.join('\n')}`);
    assert.equal(others().length, 0, warnings.join('\n'));
    assert.equal(await provider.provideOriginalResource!(fileUri, token), undefined);
    assert.equal(quickDiffWarnings.length, 1, 'said once');
    // a file that fits has its original
    const small = await provider.provideOriginalResource!(vscode.Uri.file(path.join(root, '.insomnia', 'Workspace', (await fsp.readdir(path.join(root, '.insomnia', 'Workspace')))[0])), token);
    assert.equal(small?.scheme, 'hammock-git');
  });

  it('Open File of the deleted file: its 24 MB version at HEAD (hammock-git:) holds what the warning says, not 24 MB', async () => {
    await fsp.unlink(path.join(root, LIST));
    await repo.repository.refresh();
    const resource = await waitFor('the deleted file in Changes', () => (repo.scm.workingTreeGroup.resourceStates as HammockResource[]).find((r) => r.path === LIST && r.change === 'deleted'), 20_000);
    warnings.length = 0;
    answer = undefined;
    try {
      await vscode.commands.executeCommand('hammock.openFile', resource);
      const doc = await waitFor('the HEAD version opened', () => {
        const d = vscode.window.activeTextEditor?.document;
        return d?.uri.scheme === 'hammock-git' && d.uri.path.endsWith('req_a4d4c15ec67b4b6b9cf798e2ecc25845.yml') ? d : undefined;
      }, 10_000);
      assert.ok(doc.getText().length < 10_000, `${doc.getText().length} characters in the editor`);
      assert.match(doc.getText(), /is too large to show as a diff: HEAD is 24\.0 MB/);
      assert.ok(warnings.length <= 1 && warnings.every((w) => / is too large to show as a diff: HEAD is 24\.0 MB/.test(w)), warnings.join('\n'));
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await fsp.writeFile(path.join(root, LIST), original);
      await repo.repository.refresh();
    }
  });

  it('a revision (hammock-rev:) of the request opened on its own holds what the warning says, not 24 MB', async () => {
    const head = await git(root, 'rev-parse', 'HEAD');
    const collection = api.store.collections.find((c) => c.path === path.join(root, '.insomnia'));
    assert.ok(collection, 'the collection of the workspace');
    const uri = revisionUri(
      { root, commit: head, collection: { format: collection.format, path: collection.path, id: collection.id } },
      { id: 'req_a4d4c15ec67b4b6b9cf798e2ecc25845', name: 'List all transactions', path: ['Transactions'] },
    );
    warnings.length = 0;
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.ok(doc.getText().length < 10_000, `${doc.getText().length} characters in the document`);
    assert.match(doc.getText(), new RegExp(`"Transactions/List all transactions" is too large to show as a diff: ${head.slice(0, 7)} is 24\\.0 MB`));
    assert.equal(warnings.length, 1, warnings.join('\n'));
  });
});
