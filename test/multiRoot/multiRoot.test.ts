// A second workspace folder, its own git repository with an Insomnia v5 collection, added to the open window and
// removed again (as "Add Folder to Workspace..." and "Remove Folder from Workspace" do): the Collections tree, the
// Source Control views and edits follow each folder; an edit in one repository never shows in the other's status.
// Run with `runInCodeServer.mjs --suite=test/multiRoot --multi-root` (npm run test:integration:multiroot): the
// prepared workspace opened through a .code-workspace file, since a single-folder window reloads to take a second
// folder (its extension host sees the new folder but never the event).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fsp, realpathSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { activateHammock, waitFor, workspaceRoot } from '../integration/helpers';

const V5 = `type: collection.insomnia.rest/5.0
name: Second Folder
meta:
  id: wrk_second_folder
  created: 1700000000000
  modified: 1700000000000
collection:
  - url: https://second.example/one
    name: One
    meta:
      id: req_second_one
      created: 1700000000000
      modified: 1700000000000
      sortKey: -1700000000000
    method: GET
environments:
  name: Base Environment
  meta:
    id: env_second_base
    created: 1700000000000
    modified: 1700000000000
  data: {}
`;

describe('a second workspace folder with its own repository', function () {
  this.timeout(60_000);
  let api: HammockApi;
  let second: string;
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });
  const folders = () => vscode.workspace.workspaceFolders ?? [];
  const secondCollection = () => api.store.collections.find((c) => c.id === 'wrk_second_folder');

  before(async () => {
    api = await activateHammock();
    await api.ready;
    second = realpathSync(await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-second-')));
    await fsp.writeFile(path.join(second, 'second.yaml'), V5);
    git(second, 'init', '-q', '-b', 'main');
    git(second, 'add', '-A');
    git(second, '-c', 'user.name=Second', '-c', 'user.email=second@hammock.invalid', 'commit', '-qm', 'second folder');
  });

  after(async () => {
    const i = folders().findIndex((f) => f.uri.fsPath === second);
    if (i > 0) {
      const removed = new Promise<void>((resolve) => {
        const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => (sub.dispose(), resolve()));
      });
      vscode.workspace.updateWorkspaceFolders(i, 1);
      await removed;
    }
    await fsp.rm(second, { recursive: true, force: true });
  });

  it('reads its collection and opens its Source Control when added, routes edits to it, and lets both go when removed', async () => {
    const firstRoot = workspaceRoot();
    const firstStatus = git(firstRoot, 'status', '--porcelain');
    assert.ok(vscode.workspace.updateWorkspaceFolders(folders().length, 0, { uri: vscode.Uri.file(second), name: 'second' }), 'the folder can be added');
    await waitFor('the second folder is a workspace folder', () => folders().some((f) => f.uri.fsPath === second), 15_000);

    const collection = await waitFor('its collection in the store', secondCollection, 15_000).catch((err: Error) => {
      throw new Error(`${err.message}; the store's roots: ${api.store.workspaceRoots.join(', ')}; collections: ${api.store.collections.map((c) => c.path).join(', ')}`);
    });
    const roots = api.collectionsTree.getChildren() as { getTreeItem(): vscode.TreeItem }[];
    assert.ok(roots.some((n) => String(n.getTreeItem().label) === 'Second Folder'), 'its collection is a root of the Collections tree');
    // the first folder's collections are all still there
    assert.ok(api.store.collections.some((c) => c.path.startsWith(firstRoot + path.sep)), "the first folder's collections stay");
    const repo = await waitFor('its Source Control', () => api.sync.getRepository(path.join(second, 'second.yaml')), 15_000);
    assert.equal(repo.root, second);
    assert.ok(api.sync.getRepository(firstRoot), "the first folder's repository stays");

    // an edit of its request lands in its file, shows in its status, and in neither status of the first folder
    await api.store.apply({ path: collection.path, id: collection.id }, { kind: 'setRequestFields', id: 'req_second_one', fields: { url: 'https://second.example/two' } });
    assert.equal(git(second, 'status', '--porcelain'), ' M second.yaml\n');
    assert.match(git(second, 'diff'), /^-  - url: https:\/\/second\.example\/one\n\+  - url: https:\/\/second\.example\/two$/m);
    assert.equal(git(firstRoot, 'status', '--porcelain'), firstStatus, 'the first repository is untouched');
    await waitFor(
      "the change in its Source Control's status",
      async () => {
        await repo.repository.refresh();
        return repo.repository.snapshot?.status.changes.some((c) => c.path === 'second.yaml');
      },
      15_000,
    );

    // a command given no repository, typed while the user edits this folder's request, offers this folder's first
    // (Enter commits the repository of what is being edited, not the first folder's)
    await vscode.commands.executeCommand('hammock.openRequest', { collectionPath: collection.path, requestId: 'req_second_one' });
    const editor = api.requestPanels.editor({ collectionPath: collection.path, requestId: 'req_second_one' });
    assert.ok(editor);
    await waitFor('the request editor in front', () => editor.panel.active, 15_000);
    type Pick = { label: string; description?: string; detail?: string };
    const win = vscode.window as unknown as { showQuickPick: (items: Pick[] | Thenable<Pick[]>, options?: { placeHolder?: string }) => Thenable<Pick | undefined> };
    const showQuickPick = win.showQuickPick;
    const offered: Pick[][] = [];
    win.showQuickPick = async (items) => {
      offered.push(await items);
      return undefined; // the user presses Escape: nothing is committed
    };
    try {
      await vscode.commands.executeCommand('hammock.commit');
    } finally {
      win.showQuickPick = showQuickPick;
      editor.panel.dispose();
    }
    assert.equal(offered.length, 1, 'asked which repository once');
    assert.deepEqual(
      offered[0].map((p) => [p.description, p.detail]),
      [
        [second, 'holds what you are editing'],
        [firstRoot, undefined],
      ],
    );
    assert.equal(git(second, 'log', '--oneline').trim().split('\n').length, 1, 'nothing committed');

    // removed: its collection and its Source Control go, the first folder's stay; its file keeps the edit
    const removed = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => (sub.dispose(), resolve()));
    });
    assert.ok(vscode.workspace.updateWorkspaceFolders(folders().findIndex((f) => f.uri.fsPath === second), 1), 'the folder can be removed');
    await removed;
    await waitFor('its collection gone from the store', () => !secondCollection(), 15_000);
    await waitFor('its Source Control gone', () => !api.sync.getRepository(path.join(second, 'second.yaml')), 15_000);
    assert.ok(api.sync.getRepository(firstRoot), "the first folder's repository stays");
    assert.ok(api.store.collections.some((c) => c.path.startsWith(firstRoot + path.sep)), "the first folder's collections stay");
    assert.match(await fsp.readFile(path.join(second, 'second.yaml'), 'utf8'), /url: https:\/\/second\.example\/two/);
  });
});
