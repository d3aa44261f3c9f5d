// The edit loop as a person uses it: the real request editor page in the workbench, driven through the UI driver
// (keystrokes at human speed into the webview, as Playwright types them), then the file, the store, the tree and a
// loopback server that receives what Send sends.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Collection, HttpRequest } from '../../src/collections/model';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import type { TreeNode } from '../../src/tree/collectionsTree';
import type { EnvTreeNode } from '../../src/tree/environmentsTree';
import { activateHammock, inWorkspace, KeptFiles, labelOf, startLoopbackServer, ui, waitFor } from './helpers';

describe('The edit loop through the real page', () => {
  let api: HammockApi;
  let server: Awaited<ReturnType<typeof startLoopbackServer>>;
  let base: string;
  const received: { method?: string; url?: string }[] = [];
  const kept = new KeptFiles(() => api);
  const restore = kept.files;
  const restoreActive: (() => Thenable<void> | Promise<void>)[] = [];

  before(async () => {
    api = await activateHammock();
    server = await startLoopbackServer((req) => received.push({ method: req.method, url: req.url }));
    base = server.base;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // the suites after this one expect the store to hold the restored files already
    await kept.restore();
    for (const undo of restoreActive.reverse()) await undo();
    await server.close();
  });

  const requestNamed = (name: string): { collection: Collection; request: HttpRequest } => {
    for (const collection of api.store.collections) {
      if (collection.format !== 'legacy') continue;
      for (const item of walkItems(collection.children)) if (item.kind === 'request' && item.name === name) return { collection, request: item };
    }
    assert.fail(`no request "${name}"`);
  };

  const openEditor = async (name: string) => {
    const { collection, request } = requestNamed(name);
    // the collection's requests use {{ _.apikey }}, which its sub-environments define: the user picks one
    const sub = collection.baseEnvironment?.subEnvironments.find((e) => 'apikey' in e.data);
    assert.ok(sub, 'a sub-environment that defines apikey');
    const before = api.activeEnvironments.get(collection.id);
    await api.activeEnvironments.set(collection.id, sub.id);
    restoreActive.push(() => api.activeEnvironments.set(collection.id, before));
    restore.push({ file: request.source.file, text: await fsp.readFile(request.source.file, 'utf8') });
    const state = { collectionPath: collection.path, requestId: request.id };
    await vscode.commands.executeCommand('hammock.openRequest', state);
    const editor = api.requestPanels.editor(state);
    assert.ok(editor);
    await waitFor('the page to load', () => editor.uiReady, 45_000);
    return { state, editor, file: request.source.file, frame: { selector: 'header .name', text: name } };
  };

  it('typing over the selected URL at 20 ms a key, then Send: the server gets exactly what was typed, the file holds it', async () => {
    const { frame, file, state } = await openEditor('Create new transaction');
    // three rounds: typed right after Ctrl+A, the first keys used to be replaced by a late second select-all
    let typed = '';
    for (const round of [3, 2, 1]) {
      typed = `${base}/typed/transactions?round=${round}&q=ab`;
      await ui(frame, [{ click: '#url' }, { press: 'Control+a' }, { type: typed, delayMs: 20 }]);
      const [shown] = await ui(frame, [{ value: '#url' }]);
      assert.equal(shown, typed, `round ${round}: the field shows what was typed`);
      await waitFor(`round ${round}: the edit to reach the file`, async () => /value: "?(\d)"?/.exec((await fsp.readFile(file, 'utf8')).split('- name: round')[1] ?? '')?.[1] === String(round), 8000);
      assert.match(await fsp.readFile(file, 'utf8'), new RegExp(`^url: ${base.replace(/[.]/g, '\\.')}/typed/transactions$`, 'm'), `round ${round}: the file holds the typed URL`);
    }
    await ui(frame, [{ screenshot: 'edit-loop-before-send' }, { click: '#send' }, { wait: 1500 }, { screenshot: 'edit-loop-after-send' }]);
    await waitFor('the server to receive the request', () => received.length > 0, 10_000);
    assert.deepEqual(received[received.length - 1], { method: 'POST', url: '/typed/transactions?round=1&q=ab' });
    const located = api.store.locate(state.collectionPath, state.requestId);
    assert.ok(located?.kind === 'item' && located.item.kind === 'request');
    assert.equal(located.item.url, `${base}/typed/transactions`);
    assert.deepEqual(located.item.parameters.map((p) => [p.name, p.value]), [['round', '1'], ['q', 'ab']]);
    const text = await fsp.readFile(file, 'utf8');
    assert.match(text, /- name: round\n\s+value: "1"\n\s+- name: q\n\s+value: ab\n/);
    await ui(frame, [{ wait: 3000 }, { screenshot: 'edit-loop-typed-and-sent' }]);
  });

  it('pasting over the selected URL, then Undo: the file follows the field both times', async () => {
    const { frame, file, state } = await openEditor('Update a transaction');
    const urlNow = () => {
      const l = api.store.locate(state.collectionPath, state.requestId);
      return l?.kind === 'item' && l.item.kind === 'request' ? l.item.url : undefined;
    };
    const before = urlNow();
    const [shownBefore] = await ui(frame, [{ value: '#url' }]);
    await ui(frame, [{ clipboard: `${base}/pasted/transactions` }, { click: '#url' }, { press: 'Control+a' }, { press: 'Control+v' }, { type: '?x=1', delayMs: 25 }]);
    await waitFor('the pasted URL in the file', async () => (await fsp.readFile(file, 'utf8')).includes(`url: ${base}/pasted/transactions`), 8000);
    // the Params tab counts the row `?x=1` made, though the page was not rendered again (the field keeps the focus)
    const rowsNow = () => {
      const l = api.store.locate(state.collectionPath, state.requestId);
      return l?.kind === 'item' && l.item.kind === 'request' ? l.item.parameters.length : -1;
    };
    await waitFor('the x row in the store', () => rowsNow() > 0, 8000);
    assert.equal((await ui(frame, [{ text: '.tab' }]))[0], `Params (${rowsNow()})`);
    // Undo in the field itself, as a person presses it until the text is back (the typed query, then the paste)
    let shownAfter: unknown;
    for (let i = 0; i < 6 && shownAfter !== shownBefore; i++) [shownAfter] = await ui(frame, [{ press: 'Control+z' }, { wait: 50 }, { value: '#url' }]).then((r) => r.slice(2));
    assert.equal(shownAfter, shownBefore, 'Undo put the field back');
    await waitFor('the file to hold the URL from before the paste again', () => urlNow() === before, 8000);
    assert.match(await fsp.readFile(file, 'utf8'), new RegExp(`^url: ${JSON.stringify(before).replace(/[{}.$]/g, '\\$&')}$`, 'm'));
  });

  it('selecting the URL and typing it again at human speed leaves the file as it was: the parameter rows keep their ids, order and keys', async () => {
    const { request } = requestNamed('Cancel a transaction');
    const file = request.source.file;
    const pristine = await fsp.readFile(file, 'utf8');
    restore.push({ file, text: pristine });
    const rows = [
      'parameters:',
      '  - id: pair_url1',
      '    name: status',
      '    value: available',
      '    description: which pets',
      '    disabled: false',
      '  - id: pair_url2',
      '    name: debug',
      '    value: "1"',
      '    disabled: true',
      '  - id: pair_url3',
      '    name: limit',
      '    value: "5"',
    ].join('\n');
    const start = pristine.replace(/^url: .*$/m, `url: ${base}/cancel`).replace(/^parameters: \[\]$/m, rows);
    assert.notEqual(start, pristine, 'the request file has a url line and an empty parameters line to replace');
    await fsp.writeFile(file, start);
    await api.store.refreshPaths([file]);
    const { frame } = await openEditor('Cancel a transaction');
    const typed = `${base}/cancel?status=available&limit=5`;
    const [shownBefore] = await ui(frame, [{ value: '#url' }]);
    assert.equal(shownBefore, typed, 'the field shows the url and the enabled parameters');
    // the first keys replace the selection; the person pauses (the host saves what the field holds: no parameters),
    // then types the rest
    const half = typed.indexOf('/cancel');
    await ui(frame, [{ click: '#url' }, { press: 'Control+a' }, { type: typed.slice(0, half), delayMs: 20, jitterMs: 60 }]);
    await waitFor('the pause to save the half-typed URL', async () => (await fsp.readFile(file, 'utf8')).includes(`url: ${typed.slice(0, half)}\n`), 8000);
    assert.doesNotMatch(await fsp.readFile(file, 'utf8'), /pair_url1/, 'the half-typed URL has no query: its enabled rows went');
    await ui(frame, [{ type: typed.slice(half), delayMs: 20, jitterMs: 60 }]);
    const [shown] = await ui(frame, [{ value: '#url' }]);
    assert.equal(shown, typed, 'the field shows what was typed');
    const withoutModified = (text: string) => text.replace(/^modified: \d+$/m, '');
    await waitFor('the file to hold the typed URL with its rows as they were', async () => withoutModified(await fsp.readFile(file, 'utf8')) === withoutModified(start), 8000);
    await ui(frame, [{ screenshot: 'edit-loop-url-retyped' }]);
  });

  it('another environment picked while the URL is typed: the field keeps the `&` typed before it, the next part is a row of its own', async () => {
    const { frame, file, state } = await openEditor('Get specific transactions');
    const { collection } = requestNamed('Get specific transactions');
    const others = (collection.baseEnvironment?.subEnvironments ?? []).filter((e) => e.id !== api.activeEnvironments.get(collection.id));
    assert.ok(others.length > 0, 'a second sub-environment to pick');
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '?a=1&', delayMs: 20 }]);
    await waitFor('the parameter a in the file', async () => /- name: a\n\s+value: "?1"?$/m.test(await fsp.readFile(file, 'utf8')), 8000);
    const editor = api.requestPanels.editor(state);
    assert.ok(editor);
    await waitFor('the save to be told to the page', () => editor.lastState?.parameters.length === 1, 8000);
    // the page re-renders for the news (the environments it offers), the URL field keeping the focus
    const picked = api.activeEnvironments.get(collection.id);
    restoreActive.push(() => api.activeEnvironments.set(collection.id, picked));
    await api.activeEnvironments.set(collection.id, others[0].id);
    await waitFor('the page to show the other environment', async () => (await ui(frame, [{ value: '#environment' }]))[0] === others[0].id, 8000);
    const [shown] = await ui(frame, [{ value: '#url' }]);
    assert.match(String(shown), /\?a=1&$/, 'the field still ends with the & typed');
    await ui(frame, [{ type: 'b=2', delayMs: 20 }]);
    await waitFor('the parameter b in the file', async () => /- name: b\n\s+value: "?2"?$/m.test(await fsp.readFile(file, 'utf8')), 8000);
    assert.match(await fsp.readFile(file, 'utf8'), /- name: a\n\s+value: "?1"?$/m, 'a keeps its value (not 1b=2)');
    // the environment back now, its news taken in by the page before the next test opens another editor (switched
    // while that editor opened, its page did not load within the test's time: see the review report of 2026-12-05)
    await api.activeEnvironments.set(collection.id, picked);
    await waitFor('the page to show the environment again', async () => (await ui(frame, [{ value: '#environment' }]))[0] === (picked ?? ''), 8000);
  });

  it('a net-zero edit (x then Backspace) and then a real edit: the store, the tree and Send follow', async () => {
    const { frame, state } = await openEditor('List all transactions');
    // the request is shown in the Collections view (VS Code asks for it, so the view holds its node)
    await vscode.commands.executeCommand('hammock.collections.focus');
    const findNode = async (nodes: TreeNode[]): Promise<TreeNode | undefined> => {
      for (const n of nodes) {
        if (n.type === 'request' && n.request.id === state.requestId && n.collection.path === state.collectionPath) return n;
        if (n.type === 'collection' || n.type === 'folder') {
          const inner = await findNode((await api.collectionsTree.getChildren(n)) as TreeNode[]);
          if (inner) return inner;
        }
      }
      return undefined;
    };
    const shown = await findNode((await api.collectionsTree.getChildren()) as TreeNode[]);
    assert.ok(shown, 'the request is in the tree');
    await api.collectionsView.reveal(shown, { select: false, focus: false });
    const fired: unknown[] = [];
    const sub = api.collectionsTree.onDidChangeTreeData((e) => fired.push(...(Array.isArray(e) ? e : [e])));
    try {
      await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: 'x', delayMs: 30 }, { press: 'Backspace' }, { wait: 800 }]);
      await ui(frame, [{ press: 'Control+a' }, { type: `${base}/r3?round=3`, delayMs: 30, jitterMs: 50 }]);
      await waitFor('the store to hold the new URL', () => {
        const l = api.store.locate(state.collectionPath, state.requestId);
        return l?.kind === 'item' && l.item.kind === 'request' && l.item.url === `${base}/r3`;
      }, 8000);
      // the tree's node of that request was refreshed, and shows the new URL
      await waitFor('the tree to refresh the request', () => fired.includes(shown), 5000);
      const tooltip = shown.getTreeItem().tooltip as vscode.MarkdownString;
      assert.ok(tooltip.value.includes(`${base}/r3`), tooltip.value);
      received.length = 0;
      await vscode.commands.executeCommand('hammock.sendRequest', state);
      assert.deepEqual(received, [{ method: 'GET', url: '/r3?round=3' }]);
    } finally {
      sub.dispose();
    }
  });

  it('dragging a request in the Collections view onto its collection moves it there, and back onto its folder', async () => {
    const { collection, request } = requestNamed('Get specific transactions');
    restore.push({ file: request.source.file, text: await fsp.readFile(request.source.file, 'utf8') });
    await vscode.commands.executeCommand('hammock.collections.focus');
    const roots = (await api.collectionsTree.getChildren()) as TreeNode[];
    const collectionNode = roots.find((n) => n.type === 'collection' && n.collection.path === collection.path)!;
    const folderNode = ((await api.collectionsTree.getChildren(collectionNode)) as TreeNode[]).find((n) => n.type === 'folder' && n.folder.id === request.parentId)!;
    const requestNode = ((await api.collectionsTree.getChildren(folderNode)) as TreeNode[]).find((n) => n.type === 'request' && n.request.id === request.id)!;
    await api.collectionsView.reveal(requestNode, { select: true, focus: true, expand: true });
    // a row by its label: the row's aria-label is the label, a space, and the description (a folder named Transactions
    // is not the request "List all transactions")
    const row = (label: string) => `.pane-body .monaco-list-row[aria-label^="${label} "]`;
    const label = `${request.method} ${request.name}`;
    const workbench = { selector: row(label) };
    await ui(workbench, [{ screenshot: 'tree-drag-before' }, { drag: row(label), to: row(collection.name) }, { wait: 500 }, { screenshot: 'tree-drag-to-collection' }]);
    await waitFor('the request to move to the top of the collection', () => {
      const l = api.store.locate(collection.path, request.id);
      return l?.kind === 'item' && l.item.parentId === collection.id;
    }, 8000);
    assert.match(await fsp.readFile(request.source.file, 'utf8'), new RegExp(`^parentId: ${collection.id}$`, 'm'));
    const folderName = folderNode.type === 'folder' ? folderNode.folder.name : '';
    // the moved row is now the collection's last: scrolled into view, as a person would before dragging it
    const moved = ((await api.collectionsTree.getChildren(collectionNode)) as TreeNode[]).find((n) => n.type === 'request' && n.request.id === request.id)!;
    assert.ok(moved, 'the tree shows the request at the top level');
    await api.collectionsView.reveal(moved, { select: true, focus: true });
    await ui(workbench, [{ drag: row(label), to: row(folderName) }, { wait: 500 }, { screenshot: 'tree-drag-back-to-folder' }]);
    await waitFor('the request to move back into its folder', () => {
      const l = api.store.locate(collection.path, request.id);
      return l?.kind === 'item' && l.item.parentId === request.parentId;
    }, 8000);
  });

  it('a legacy folder holding two workspaces: the Environments view lists both, and an item of either can be edited', async () => {
    const dir = inWorkspace('two-workspaces');
    const fixtures = process.env.HAMMOCK_FIXTURES!;
    await fsp.cp(path.join(fixtures, 'legacy/kong-example-design/.insomnia'), path.join(dir, '.insomnia'), { recursive: true });
    for (const type of await fsp.readdir(path.join(fixtures, 'legacy/minimal-collection/.insomnia'))) {
      await fsp.cp(path.join(fixtures, 'legacy/minimal-collection/.insomnia', type), path.join(dir, '.insomnia', type), { recursive: true });
    }
    const folder = path.join(dir, '.insomnia');
    try {
      const both = await waitFor('the store to read both workspaces', () => {
        const at = api.store.collections.filter((c) => c.path === folder);
        return at.length === 2 && at;
      }, 10_000);
      await vscode.commands.executeCommand('hammock.environments.focus');
      const envRoots = (api.environmentsTree.getChildren() as EnvTreeNode[]).filter((n) => n.collection.path === folder);
      assert.equal(envRoots.length, 2, 'both workspaces are listed');
      const ids = envRoots.map((n) => n.getTreeItem().id);
      assert.notEqual(ids[0], ids[1], 'each has its own tree id');
      // revealing each resolves the view's elements: duplicate ids would make this throw
      for (const node of envRoots) {
        const [baseEnv] = (await api.environmentsTree.getChildren(node)) as EnvTreeNode[];
        await api.environmentsView.reveal(baseEnv, { select: false, focus: false });
      }
      // an item of either workspace can be edited: a new sub-environment in each, a request renamed in the one with requests
      for (const node of envRoots) {
        const id = await vscode.commands.executeCommand<string>('hammock.newSubEnvironment', node, `Env of ${node.collection.name}`);
        const located = api.store.locate(folder, id);
        assert.ok(located?.kind === 'environment', `the new environment is in the store (${node.collection.name})`);
        assert.equal(located.collection.id, node.collection.id, 'under the workspace it was made for');
      }
      const withRequests = both.find((c) => c.children.length > 0)!;
      const request = [...walkItems(withRequests.children)].find((i) => i.kind === 'request')!;
      const rootNode = (api.collectionsTree.getChildren() as TreeNode[]).find((n) => n.type === 'collection' && n.collection.path === folder && n.collection.id === withRequests.id)!;
      const found = ((await api.collectionsTree.getChildren(rootNode)) as TreeNode[]).flatMap((n) => (n.type === 'folder' ? (api.collectionsTree.getChildren(n) as TreeNode[]) : [n]));
      const requestNode = found.find((n) => n.type === 'request' && n.request.id === request.id);
      assert.ok(requestNode, 'the request is in the tree');
      await vscode.commands.executeCommand('hammock.rename', requestNode, 'Renamed in a two-workspace folder');
      const renamed = api.store.locate(folder, request.id);
      assert.equal(renamed?.kind === 'item' && renamed.item.name, 'Renamed in a two-workspace folder');
      assert.ok(labelOf(requestNode.getTreeItem()).includes('Renamed in a two-workspace folder'));
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
      await waitFor('the store to drop the folder', () => !api.store.collections.some((c) => c.path === folder), 10_000);
    }
  });
});
