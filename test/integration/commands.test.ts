// The tree commands inside a real VS Code: each one is run and the files are checked on disk.
import * as assert from 'node:assert/strict';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Collection, Folder, HttpRequest, Item } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { CollectionNode, FolderNode, RequestNode } from '../../src/tree/collectionsTree';
import { activateHammock, answerModals, ui, waitFor, workspaceRoot } from './helpers';

describe('Tree commands change the files', () => {
  let api: HammockApi;
  before(async () => {
    api = await activateHammock();
  });

  const collectionNamed = (name: string): Collection => {
    const c = api.store.collections.find((x) => x.name === name);
    assert.ok(c, `collection "${name}" loaded`);
    return c;
  };
  const findNamed = (c: Collection, name: string): Item | undefined => {
    const stack: Item[] = [...c.children];
    while (stack.length) {
      const item = stack.shift()!;
      if (item.name === name) return item;
      if (item.kind === 'folder') stack.push(...item.children);
    }
    return undefined;
  };
  const itemNamed = (c: Collection, name: string): Item => findNamed(c, name) ?? assert.fail(`no item "${name}" in ${c.name}`);
  const lines = (text: string) => text.split('\n');
  const changedLines = (before: string, after: string) => {
    const a = lines(before);
    const b = lines(after);
    assert.equal(a.length, b.length, 'same number of lines');
    return a.map((l, i) => (l === b[i] ? -1 : i)).filter((i) => i >= 0);
  };

  describe('v5 file', () => {
    let file: string;

    it('New Collection writes a v5 file', async () => {
      const id = await vscode.commands.executeCommand<string>('hammock.newCollection', { name: 'Command Test V5', format: 'v5' });
      assert.match(id, /^wrk_[0-9a-f]{32}$/);
      const c = collectionNamed('Command Test V5');
      file = c.path;
      assert.equal(path.dirname(file), workspaceRoot());
      const text = await fsp.readFile(file, 'utf8');
      assert.equal(lines(text)[0], 'type: collection.insomnia.rest/5.0');
      assert.ok(c.baseEnvironment, 'a base environment is created');
    });

    it('New Collection beside the .insomnia folder asks no format: only a v5 file can be made there', async () => {
      const win = vscode.window as unknown as { showQuickPick: (...args: unknown[]) => Thenable<unknown> };
      const original = win.showQuickPick;
      const picks: unknown[][] = [];
      win.showQuickPick = (...args: unknown[]) => {
        picks.push(args);
        return Promise.resolve(undefined);
      };
      let id: string | undefined;
      try {
        id = await vscode.commands.executeCommand<string>('hammock.newCollection', { name: 'Command Test Asked' });
      } finally {
        win.showQuickPick = original;
      }
      assert.deepEqual(picks, [], 'no format question (it offered the .insomnia/ folder first, then refused it)');
      const c = collectionNamed('Command Test Asked');
      assert.equal(c.id, id);
      assert.equal(c.format, 'v5');
      await fsp.rm(c.path);
      await api.store.reload();
    });

    it('a new folder, a request made in it while it is collapsed, and a duplicate are each shown selected in the Collections view', async () => {
      const c = collectionNamed('Command Test V5');
      const selected = () => (api.collectionsView.selection as { key?: string }[]).map((n) => n.key);
      const folderId = await vscode.commands.executeCommand<string>('hammock.newFolder', new CollectionNode(c), 'Shown');
      await waitFor('the new folder selected', () => selected().some((k) => k?.endsWith(`/${folderId}`)), 10_000);
      await vscode.commands.executeCommand('workbench.actions.treeView.hammock.collections.collapseAll');
      const folder = itemNamed(collectionNamed('Command Test V5'), 'Shown') as Folder;
      const requestId = await vscode.commands.executeCommand<string>('hammock.newRequest', new FolderNode(collectionNamed('Command Test V5'), folder), 'Inside', { open: false });
      await waitFor('the new request selected, its folder expanded', () => selected().some((k) => k?.endsWith(`/${requestId}`)), 10_000);
      const request = itemNamed(collectionNamed('Command Test V5'), 'Inside');
      const copyId = await vscode.commands.executeCommand<string>('hammock.duplicate', new RequestNode(collectionNamed('Command Test V5'), request as HttpRequest));
      await waitFor('the copy selected', () => selected().some((k) => k?.endsWith(`/${copyId}`)), 10_000);
      await vscode.commands.executeCommand('hammock.delete', new FolderNode(collectionNamed('Command Test V5'), itemNamed(collectionNamed('Command Test V5'), 'Shown') as Folder), { confirmed: true });
    });

    it('F2 and Delete pressed on a selected row rename and delete it, the row that takes its place selected and focused; Delete on a collection row asks about the whole collection', async () => {
      const selected = () => (api.collectionsView.selection as { key?: string }[]).map((n) => n.key);
      const workbench = { selector: '.monaco-workbench' };
      // two rows below the one deleted (a new request goes first): after the Delete, the one that takes its place is
      // selected and has the keyboard, as in the Explorer
      await vscode.commands.executeCommand<string>('hammock.newRequest', new CollectionNode(collectionNamed('Command Test V5')), 'Row after', { open: false });
      const nextId = await vscode.commands.executeCommand<string>('hammock.newRequest', new CollectionNode(collectionNamed('Command Test V5')), 'Next row', { open: false });
      const requestId = await vscode.commands.executeCommand<string>('hammock.newRequest', new CollectionNode(collectionNamed('Command Test V5')), 'Keyed', { open: false });
      await waitFor('the new request selected', () => selected().some((k) => k?.endsWith(`/${requestId}`)), 10_000);
      await vscode.commands.executeCommand('hammock.collections.focus');
      await ui(workbench, [{ press: 'F2' }]);
      const input = { selector: '.quick-input-widget', text: 'New name for "Keyed"' };
      await ui(input, [{ type: 'Keyed Again', delayMs: 20, jitterMs: 40 }, { press: 'Enter' }]);
      await waitFor('the request renamed', () => findNamed(collectionNamed('Command Test V5'), 'Keyed Again')?.id === requestId, 10_000);
      await waitFor('the renamed request still selected', () => selected().some((k) => k?.endsWith(`/${requestId}`)), 10_000);
      assert.deepEqual(collectionNamed('Command Test V5').children.map((i) => i.name).slice(0, 3), ['Keyed Again', 'Next row', 'Row after']);
      const modals = answerModals('Delete');
      try {
        await vscode.commands.executeCommand('hammock.collections.focus');
        await ui(workbench, [{ press: 'Delete' }]);
        await waitFor('the request deleted', () => !findNamed(collectionNamed('Command Test V5'), 'Keyed Again'), 10_000);
        // the workspace is a git repository, but no commit holds this collection's file (New Collection made it): the
        // question does not offer Discard Changes, which would delete the whole file (for a committed file it says
        // 'Until committed, Discard Changes in Source Control brings it back.')
        assert.deepEqual(modals.asked, [{ message: 'Delete "Keyed Again"?', detail: '' }]);
      } finally {
        modals.restore();
      }
      await waitFor('the next row selected', () => selected().length === 1 && selected()[0]?.endsWith(`/${nextId}`), 10_000);
      // and the keyboard goes on from there: ArrowDown is the row after it (not the view's first row)
      const [focused] = (await ui(workbench, [{ press: 'ArrowDown' }, { attribute: '.monaco-list:focus-within .monaco-list-row.focused', name: 'aria-label' }])).slice(1) as string[][];
      assert.ok(focused.length === 1 && focused[0].startsWith('GET Row after'), `the focused row: ${focused.join(' | ')}`);
      for (const name of ['Next row', 'Row after']) {
        await vscode.commands.executeCommand('hammock.delete', new RequestNode(collectionNamed('Command Test V5'), itemNamed(collectionNamed('Command Test V5'), name) as HttpRequest), { confirmed: true });
      }
      const keep = answerModals(undefined);
      try {
        // the collection's row clicked, as a person would (its aria-label is the name, a space, the file)
        const row = new CollectionNode(collectionNamed('Command Test V5'));
        await ui(workbench, [{ click: '.pane-body .monaco-list-row[aria-label^="Command Test V5 "]' }]);
        await waitFor('the collection row selected', () => selected().includes(row.key), 10_000);
        await ui(workbench, [{ press: 'Delete' }]);
        await waitFor('the question about the collection', () => keep.asked.length > 0, 10_000);
        assert.match(keep.asked[0].message, /^Delete the collection "Command Test V5"\?/);
      } finally {
        keep.restore();
      }
      assert.ok(existsSync(file), 'the collection file is kept (the question was not answered)');
    });

    it('Delete of a folder\'s last row selects the row before it; of its only row, the folder', async () => {
      const c = collectionNamed('Command Test V5');
      const selected = () => (api.collectionsView.selection as { key?: string }[]).map((n) => n.key);
      const folderId = await vscode.commands.executeCommand<string>('hammock.newFolder', new CollectionNode(c), 'Emptied');
      const folder = () => itemNamed(collectionNamed('Command Test V5'), 'Emptied') as Folder;
      // a new request goes first: the folder holds First, then Last
      const lastId = await vscode.commands.executeCommand<string>('hammock.newRequest', new FolderNode(collectionNamed('Command Test V5'), folder()), 'Last', { open: false });
      const firstId = await vscode.commands.executeCommand<string>('hammock.newRequest', new FolderNode(collectionNamed('Command Test V5'), folder()), 'First', { open: false });
      assert.deepEqual(folder().children.map((i) => i.id), [firstId, lastId]);
      try {
        await vscode.commands.executeCommand('hammock.delete', new RequestNode(collectionNamed('Command Test V5'), itemNamed(collectionNamed('Command Test V5'), 'Last') as HttpRequest), { confirmed: true });
        await waitFor(`the row before it selected (${selected().join(', ')})`, () => selected().length === 1 && !!selected()[0]?.endsWith(`/${firstId}`), 10_000);
        await vscode.commands.executeCommand('hammock.delete', new RequestNode(collectionNamed('Command Test V5'), itemNamed(collectionNamed('Command Test V5'), 'First') as HttpRequest), { confirmed: true });
        await waitFor(`the folder selected (${selected().join(', ')})`, () => selected().length === 1 && !!selected()[0]?.endsWith(`/${folderId}`), 10_000);
      } finally {
        await vscode.commands.executeCommand('hammock.delete', new FolderNode(collectionNamed('Command Test V5'), folder()), { confirmed: true });
      }
    });

    it('a request row clicked opens its editor and leaves the keyboard in the tree, as the Explorer does: F2 then renames it', async () => {
      const c = collectionNamed('Command Test V5');
      const selected = () => (api.collectionsView.selection as { key?: string }[]).map((n) => n.key);
      const requestId = await vscode.commands.executeCommand<string>('hammock.newRequest', new CollectionNode(c), 'Clicked', { open: false });
      await waitFor('the new request selected', () => selected().some((k) => k?.endsWith(`/${requestId}`)), 10_000);
      const workbench = { selector: '.pane-body .monaco-list-row[aria-label^="GET Clicked"]' };
      await ui(workbench, [{ click: '.pane-body .monaco-list-row[aria-label^="GET Clicked"]' }]);
      const state = { collectionPath: c.path, requestId };
      const editor = await waitFor('the request editor', () => api.requestPanels.editor(state), 10_000);
      await waitFor('its webview shown', () => editor.panel.visible, 10_000);
      try {
        await ui({ selector: '.monaco-workbench' }, [{ press: 'F2' }]);
        const input = { selector: '.quick-input-widget', text: 'New name for "Clicked"' };
        await ui(input, [{ type: 'Clicked Twice', delayMs: 20, jitterMs: 40 }, { press: 'Enter' }]);
        await waitFor('the request renamed', () => findNamed(collectionNamed('Command Test V5'), 'Clicked Twice')?.id === requestId, 10_000);
      } finally {
        editor.panel.dispose();
        await vscode.commands.executeCommand('hammock.delete', new RequestNode(collectionNamed('Command Test V5'), itemNamed(collectionNamed('Command Test V5'), findNamed(collectionNamed('Command Test V5'), 'Clicked Twice') ? 'Clicked Twice' : 'Clicked') as HttpRequest), { confirmed: true });
      }
    });

    it('New Folder and New Request add items in the right children list', async () => {
      const c = collectionNamed('Command Test V5');
      const folderId = await vscode.commands.executeCommand<string>('hammock.newFolder', new CollectionNode(c), 'Users');
      assert.match(folderId, /^fld_/);
      const folder = itemNamed(collectionNamed('Command Test V5'), 'Users') as Folder;
      const requestId = await vscode.commands.executeCommand<string>('hammock.newRequest', new FolderNode(c, folder), 'List users');
      assert.match(requestId, /^req_/);
      const after = collectionNamed('Command Test V5');
      const users = itemNamed(after, 'Users') as Folder;
      assert.deepEqual(users.children.map((i) => i.name), ['List users']);
      const text = await fsp.readFile(file, 'utf8');
      assert.match(text, new RegExp(`id: ${requestId}`));
    });

    it('Rename changes the name line and nothing else but the modified stamp', async () => {
      const c = collectionNamed('Command Test V5');
      const request = itemNamed(c, 'List users');
      const before = await fsp.readFile(file, 'utf8');
      await vscode.commands.executeCommand('hammock.rename', new RequestNode(c, request as never), 'List all users');
      const after = await fsp.readFile(file, 'utf8');
      const changed = changedLines(before, after).map((i) => lines(after)[i].trim());
      assert.ok(changed.includes('name: List all users'), `changed: ${changed.join(' | ')}`);
      assert.ok(changed.every((l) => l === 'name: List all users' || l.startsWith('modified:')), `only name/modified lines: ${changed.join(' | ')}`);
      assert.equal(itemNamed(collectionNamed('Command Test V5'), 'List all users').id, request.id);
    });

    it('Duplicate and Delete', async () => {
      const c = collectionNamed('Command Test V5');
      const request = itemNamed(c, 'List all users');
      const copyId = await vscode.commands.executeCommand<string>('hammock.duplicate', new RequestNode(c, request as never));
      assert.ok(copyId && copyId !== request.id, 'the copy has a new id');
      const users = itemNamed(collectionNamed('Command Test V5'), 'Users') as Folder;
      assert.equal(users.children.length, 2);

      await vscode.commands.executeCommand('hammock.delete', new FolderNode(c, users), { confirmed: true });
      assert.throws(() => itemNamed(collectionNamed('Command Test V5'), 'Users'));
      const text = await fsp.readFile(file, 'utf8');
      assert.doesNotMatch(text, /List all users/);
    });

    it('New Environment adds a sub-environment', async () => {
      const c = collectionNamed('Command Test V5');
      const id = await vscode.commands.executeCommand<string>('hammock.newEnvironment', new CollectionNode(c), 'Staging');
      const base = collectionNamed('Command Test V5').baseEnvironment!;
      assert.deepEqual(base.subEnvironments.map((e) => [e.id, e.name]), [[id, 'Staging']]);
    });

    after(async () => {
      if (file) await fsp.rm(file, { force: true });
    });
  });

  describe('legacy .insomnia folder', () => {
    const demo = 'kong-insomnia-demo.git';
    let folderId: string;
    let requestId: string;

    it('New Folder writes .insomnia/RequestGroup/<id>.yml', async () => {
      const c = collectionNamed(demo);
      folderId = await vscode.commands.executeCommand<string>('hammock.newFolder', new CollectionNode(c), 'Accounts');
      const file = path.join(c.path, 'RequestGroup', `${folderId}.yml`);
      const text = await fsp.readFile(file, 'utf8');
      assert.deepEqual(lines(text).slice(0, 3), [`_id: ${folderId}`, 'type: RequestGroup', `parentId: ${c.id}`]);
    });

    it('New Request inside it writes .insomnia/Request/<id>.yml with the folder as parent', async () => {
      const c = collectionNamed(demo);
      const folder = itemNamed(c, 'Accounts') as Folder;
      requestId = await vscode.commands.executeCommand<string>('hammock.newRequest', new FolderNode(c, folder), 'Get account');
      const text = await fsp.readFile(path.join(c.path, 'Request', `${requestId}.yml`), 'utf8');
      assert.deepEqual(lines(text).slice(0, 3), [`_id: ${requestId}`, 'type: Request', `parentId: ${folderId}`]);
      assert.equal(itemNamed(collectionNamed(demo), 'Get account').parentId, folderId);
    });

    it('Rename changes one line of the request file (plus its modified stamp)', async () => {
      const c = collectionNamed(demo);
      const file = path.join(c.path, 'Request', `${requestId}.yml`);
      const before = await fsp.readFile(file, 'utf8');
      await vscode.commands.executeCommand('hammock.rename', new RequestNode(c, itemNamed(c, 'Get account') as never), 'Get one account');
      const after = await fsp.readFile(file, 'utf8');
      const changed = changedLines(before, after).map((i) => lines(after)[i]);
      assert.ok(changed.includes('name: Get one account'), changed.join(' | '));
      assert.ok(changed.every((l) => l === 'name: Get one account' || l.startsWith('modified: ')), changed.join(' | '));
    });

    it('Delete of the folder removes its file and its requests\' files', async () => {
      const c = collectionNamed(demo);
      const folder = itemNamed(c, 'Accounts') as Folder;
      await vscode.commands.executeCommand('hammock.delete', new FolderNode(c, folder), { confirmed: true });
      assert.equal(existsSync(path.join(c.path, 'RequestGroup', `${folderId}.yml`)), false);
      assert.equal(existsSync(path.join(c.path, 'Request', `${requestId}.yml`)), false);
      assert.throws(() => itemNamed(collectionNamed(demo), 'Accounts'));
    });

    it('Reveal in File opens the YAML of the item', async () => {
      const c = collectionNamed(demo);
      const request = itemNamed(c, 'Create new transaction');
      await vscode.commands.executeCommand('hammock.revealInFile', new RequestNode(c, request as never));
      const editor = await waitFor('an editor on the request file', () =>
        vscode.window.activeTextEditor?.document.uri.fsPath === request.source.file && vscode.window.activeTextEditor,
      );
      assert.equal(editor.selection.active.line, request.source.line);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('Reveal in File opens a v5 file at the item\'s line', async () => {
      const c = collectionNamed('Everything');
      const request = itemNamed(c, 'subscribe');
      assert.ok(request.source.line > 0, 'the reader knows the line');
      await vscode.commands.executeCommand('hammock.revealInFile', new RequestNode(c, request as never));
      const editor = await waitFor('an editor on the v5 file', () =>
        vscode.window.activeTextEditor?.document.uri.fsPath === request.source.file && vscode.window.activeTextEditor,
      );
      assert.equal(editor.selection.active.line, request.source.line);
      assert.match(editor.document.lineAt(request.source.line).text, /subscribe|^\s*- /);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });
  });

  it('every command is registered', async () => {
    const all = await vscode.commands.getCommands(true);
    const pkg = vscode.extensions.getExtension('hammock.hammock')!.packageJSON as { contributes: { commands: { command: string }[] } };
    for (const { command } of pkg.contributes.commands) assert.ok(all.includes(command), `${command} registered`);
  });
});
