// The Collections view's new commands in a real VS Code: New Request with a method and URL (or a pasted cURL command)
// opens the editor; Duplicate Collection writes a copy with fresh ids that Insomnia reads; Delete Collection removes
// exactly its files; requests carry their method's theme colour.
import * as assert from 'node:assert/strict';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { walkItems, type HttpRequest } from '../../src/collections/model';
import { checkInsomniaFolder } from '../../src/collections/formats/conformance';
import type { HammockApi } from '../../src/extension';
import type { TreeNode } from '../../src/tree/collectionsTree';
import { activateHammock, answerModals, inWorkspace, KeptFiles, waitFor } from './helpers';

describe('Collection commands', function () {
  this.timeout(60_000);
  let api: HammockApi;
  const made: string[] = [];
  const kept = new KeptFiles(() => api);
  const restore = kept.files;

  before(async () => {
    api = await activateHammock();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const p of made) await fsp.rm(p, { recursive: true, force: true });
    await kept.restore(made);
  });

  const v5 = () => api.store.collections.find((c) => c.path === inWorkspace('v5', 'my_collection.yaml'))!;

  it('New Request with a method and a URL: a POST with that URL, named by its path (the badge shows the method, as in Insomnia), opened in the editor', async () => {
    const c = v5();
    restore.push({ file: c.path, text: await fsp.readFile(c.path, 'utf8') });
    const id = await vscode.commands.executeCommand<string>('hammock.newRequest', { type: 'collection', collection: c }, undefined, { method: 'post', url: '{{ _.base_url }}/orders' });
    assert.ok(id);
    const located = api.store.locate(c.path, id);
    assert.ok(located?.kind === 'item' && located.item.kind === 'request');
    assert.deepEqual([located.item.method, located.item.url, located.item.name], ['POST', '{{ _.base_url }}/orders', '/orders']);
    const editor = await waitFor('the request editor', () => api.requestPanels.editor({ collectionPath: c.path, requestId: id }), 10_000);
    assert.ok(editor);
  });

  it('New Request from a pasted cURL command: its method, URL, headers and body; its token offered to the vault', async () => {
    const c = v5();
    const modals = answerModals('Move to Vault');
    let id: string | undefined;
    try {
      id = await vscode.commands.executeCommand<string>('hammock.newRequest', { type: 'collection', collection: c }, 'Create order', {
        curl: `curl -X PUT https://shop.example.test/orders/7 -H 'Content-Type: application/json' -H 'X-Api-Key: k3y-9f8e7d6c' -d '{"qty":2}'`,
        open: false,
      });
    } finally {
      modals.restore();
    }
    assert.ok(id);
    assert.match(modals.asked[0]?.message ?? '', /looks like a secret/);
    const r = api.store.locate(c.path, id);
    assert.ok(r?.kind === 'item' && r.item.kind === 'request');
    const req = r.item as HttpRequest;
    assert.equal(req.method, 'PUT');
    assert.equal(req.url, 'https://shop.example.test/orders/7');
    assert.deepEqual(req.headers.map((h) => [h.name, h.value]), [['Content-Type', 'application/json'], ['X-Api-Key', '{{ vault.x_api_key }}']]);
    assert.equal(req.body.text, '{"qty":2}');
    await waitFor(`the key in the vault (${JSON.stringify(Object.keys(api.localEnvironments.vault(c.id)))})`, () => api.localEnvironments.vault(c.id).x_api_key === 'k3y-9f8e7d6c', 5000);
  });

  it('requests carry their method\'s theme colour (readable in light, dark and high contrast themes)', async () => {
    const c = api.store.collections.find((x) => x.path === inWorkspace('.insomnia'))!;
    const nodes: TreeNode[] = [];
    const walk = async (list: TreeNode[]) => {
      for (const n of list) {
        nodes.push(n);
        if (n.type === 'collection' || n.type === 'folder') await walk((await api.collectionsTree.getChildren(n)) as TreeNode[]);
      }
    };
    await walk(((await api.collectionsTree.getChildren()) as TreeNode[]).filter((n) => n.collection.path === c.path));
    const colours = new Map<string, string>();
    for (const n of nodes) {
      if (n.type !== 'request' || n.request.kind !== 'request') continue;
      const icon = n.getTreeItem().iconPath as vscode.ThemeIcon;
      colours.set(n.request.method, (icon.color as vscode.ThemeColor).id);
    }
    assert.equal(colours.get('GET'), 'hammock.method.get');
    assert.equal(colours.get('POST'), 'hammock.method.post');
    assert.equal(colours.get('DELETE'), 'hammock.method.delete');
    const contributed = (vscode.extensions.getExtension('hammock.hammock')!.packageJSON as { contributes: { colors: { id: string; defaults: Record<string, string> }[] } }).contributes.colors;
    for (const id of new Set(colours.values())) {
      const defaults = contributed.find((x) => x.id === id)?.defaults;
      assert.deepEqual(Object.keys(defaults ?? {}).sort(), ['dark', 'highContrast', 'highContrastLight', 'light'], id);
    }
  });

  it('Duplicate Collection: a v5 copy beside it with fresh ids, "(Copy)" in its name, that Insomnia reads; Delete Collection removes its file', async () => {
    const c = v5();
    const target = await vscode.commands.executeCommand<string>('hammock.duplicateCollection', { type: 'collection', collection: c });
    assert.ok(target && existsSync(target));
    made.push(target);
    const copy = await waitFor('the copy in the store', () => api.store.collections.find((x) => x.path === target), 10_000);
    assert.equal(copy.name, `${c.name} (Copy)`);
    assert.notEqual(copy.id, c.id);
    const ids = new Set([...walkItems(c.children)].map((i) => i.id));
    assert.ok([...walkItems(copy.children)].every((i) => !ids.has(i.id)), 'every item has a fresh id');
    assert.equal([...walkItems(copy.children)].length, [...walkItems(c.children)].length);
    const scratch = path.join(path.dirname(target), '..', 'dup-check');
    await fsp.mkdir(scratch, { recursive: true });
    made.push(scratch);
    const isInsideScratch = (p: string) => !path.relative(scratch, p).startsWith('..');
    await fsp.copyFile(target, path.join(scratch, path.basename(target)));
    assert.deepEqual(checkInsomniaFolder(scratch).issues, [], 'Insomnia reads the copy');
    // (the scratch copy, with the same ids, gone: an editor would follow its collection there)
    await fsp.rm(scratch, { recursive: true, force: true });
    await waitFor('the store to drop the scratch copy', () => !api.store.collections.some((x) => isInsideScratch(x.path)), 10_000);
    // a request of the copy open in its editor: Delete Collection, made in Hammock, closes it (as VS Code closes the
    // editor of a file deleted from within it), not kept as "(deleted)" as for a checkout
    const opened = [...walkItems(copy.children)].find((i) => i.kind === 'request');
    assert.ok(opened);
    const state = { collectionPath: copy.path, requestId: opened.id };
    await vscode.commands.executeCommand('hammock.openRequest', state);
    const editor = api.requestPanels.editor(state);
    assert.ok(editor);
    await waitFor('the page to load', () => editor.uiReady, 45_000);
    let closed = false;
    editor.panel.onDidDispose(() => (closed = true));
    // and Delete Collection removes exactly that file
    const removed = await vscode.commands.executeCommand<number>('hammock.deleteCollection', { type: 'collection', collection: copy }, { confirmed: true });
    assert.equal(removed, 1);
    assert.ok(!existsSync(target));
    await waitFor('the store to drop it', () => !api.store.collections.some((x) => x.path === target), 10_000);
    assert.ok(existsSync(c.path), 'the original stays');
    await waitFor('its request\'s editor closed', () => closed || editor.panel.title.endsWith(' (deleted)'), 10_000);
    assert.equal(closed, true, 'the editor closed, not kept as deleted');
  });
});
