// "Hammock: Open Request" from the palette asks which request, also when a request editor is in front (it used to
// "open" the request already in front, and nothing happened). The test answers the quick pick by replacing
// `vscode.window.showQuickPick`, which reaches the extension only when the test shares its API object (the suite run
// from the source, `npm run test:integration`); the installed-.vsix suite (smoke, editor) gets an API of its own, so
// this test lives outside editor.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Collection, HttpRequest } from '../../src/collections/model';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { activateHammock, waitFor } from './helpers';

describe('Open Request from the palette', () => {
  let api: HammockApi;

  before(async () => {
    api = await activateHammock();
  });

  const requestNamed = (name: string): { collection: Collection; request: HttpRequest } => {
    for (const collection of api.store.collections) {
      for (const item of walkItems(collection.children)) {
        if (item.kind === 'request' && item.name === name && collection.format === 'legacy') return { collection, request: item };
      }
    }
    assert.fail(`no request "${name}"`);
  };

  it('asks which request, also with a request editor in front', async () => {
    const { collection, request } = requestNamed('Create new transaction');
    api.requestPanels.open({ collectionPath: collection.path, requestId: request.id });
    const editor = await waitFor('the request editor', () => api.requestPanels.editor({ collectionPath: collection.path, requestId: request.id }), 20_000);
    editor.panel.reveal();
    await waitFor('the request editor in front', () => editor.panel.active);
    const other = [...walkItems(collection.children)].find((i) => i.kind === 'request' && i.id !== request.id)!;
    const otherState = { collectionPath: collection.path, requestId: other.id };
    type Pick = { state: { requestId: string } };
    const win = vscode.window as unknown as { showQuickPick: (items: Pick[] | Thenable<Pick[]>, options?: { title?: string }) => Thenable<Pick | undefined> };
    const showQuickPick = win.showQuickPick;
    const asked: (string | undefined)[] = [];
    win.showQuickPick = async (items, options) => {
      asked.push(options?.title);
      return (await items).find((i) => i.state.requestId === other.id);
    };
    try {
      // (before: the command "opened" the request already in front, and nothing happened)
      const id = await vscode.commands.executeCommand<string>('hammock.openRequest');
      assert.deepEqual(asked, ['Open which request?']);
      assert.equal(id, other.id);
      assert.ok(api.requestPanels.editor(otherState), 'the picked request has its editor');
    } finally {
      win.showQuickPick = showQuickPick;
      api.requestPanels.editor(otherState)?.panel.dispose();
      editor.panel.dispose();
    }
  });
});
