// The environment editor with an edit held because what it edits was deleted on disk (a teammate, a pull): as the
// request editor does, it asks "Restore ..." (again when its tab closes), for a folder's environment too, and a
// "Restore Environment" pressed after the edit was saved because the environment came back says so, plainly.
// The notifications are stubbed (their answer given when the test says); the edits are posted as the page posts them.
// Stubs vscode.window.showWarningMessage / showInformationMessage, so it is not in editor/smoke tests.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Collection, Folder } from '../../src/collections/model';
import { checkLegacyFolder } from '../../src/collections/formats/conformance';
import type { HammockApi } from '../../src/extension';
import { activateHammock, holdQuestions, inWorkspace, KeptFiles, openSubEnvironment, ui, waitFor } from './helpers';

const SUB = 'env_038c957f9f1749c8bc57927d9655f4b4'; // "OpenAPI env localhost:3000": scheme, base_path, host, ...

describe('The environment editor, what it edits deleted with an edit held', function () {
  this.timeout(120_000);
  let api: HammockApi;
  let held: ReturnType<typeof holdQuestions>;
  const kept = new KeptFiles(() => api);
  const restore = kept.files;

  const legacy = (): Collection => {
    const c = api.store.collections.find((x) => x.path === inWorkspace('.insomnia'));
    assert.ok(c);
    return c;
  };

  before(async () => {
    api = await activateHammock();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    held = holdQuestions(/is not in the collection now/);
  });

  after(async () => {
    held.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await kept.restore();
  });

  /** the question asked after the `n`-th (0-based), once it is. */
  const question = (n: number) => waitFor(`question ${n + 1}`, () => held.questions[n], 10_000);

  it('a folder\'s environment: the folder deleted while its variable is typed, the notice dismissed, the tab closed: asked again; "Restore Environment" puts the folder back with what was typed', async () => {
    const c = legacy();
    const folder = c.children.find((i): i is Folder => i.kind === 'folder');
    assert.ok(folder);
    const file = folder.source.file;
    restore.push({ file, text: await fsp.readFile(file, 'utf8') });
    const state = { collectionPath: c.path, collectionId: c.id, environmentId: folder.id, folder: true };
    await vscode.commands.executeCommand('hammock.editFolderEnvironment', { type: 'folder', collection: c, folder });
    const editor = api.environmentPanels.editor(state);
    assert.ok(editor);
    await waitFor('the folder environment page', () => editor.uiReady, 45_000);
    const variables = [...(editor.lastState?.current.variables ?? []), ['region', 'eu-typed-while-deleted'] as const];
    // typed (in the debounce), and the folder's file deleted under it
    await editor.receive({ type: 'edit', id: folder.id, fields: { variables }, seq: 1_000_000 });
    await fsp.rm(file);
    await api.store.refreshPaths([file]);
    await editor.flush().catch(() => undefined);
    await waitFor('the edit held', () => editor.heldEdit?.reason === 'gone', 10_000);
    const first = await question(0);
    assert.deepEqual(first.items, ['Restore Environment']);
    assert.match(first.message, / is not in the collection now \(deleted, moved, or not on this branch\)\. What you typed is kept in this editor/);
    // dismissed; then the tab closed: asked again, though the tab is gone
    first.answer(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the editor closed', () => !api.environmentPanels.editor(state), 8000);
    const second = await question(1);
    assert.deepEqual(second.items, ['Restore Environment']);
    second.answer('Restore Environment');
    const back = await waitFor('the folder back with what was typed', async () => {
      const text = await fsp.readFile(file, 'utf8').catch(() => '');
      return /^ {2}region: eu-typed-while-deleted$/m.test(text) && text;
    }, 8000);
    assert.match(back, /^type: RequestGroup$/m);
    assert.match(back, new RegExp(`^name: ${folder.name}$`, 'm'));
    assert.match(back, new RegExp(`^parentId: ${folder.parentId}$`, 'm'), 'where it was');
    assert.deepEqual(checkLegacyFolder(c.path), [], "Insomnia's reader accepts the folder");
    const located = api.store.locate(c.path, folder.id);
    assert.ok(located?.kind === 'item' && located.item.kind === 'folder', 'the folder is back with its id');
    assert.equal(located.item.children.length, folder.children.length, 'its requests (still in their files) are in it again');
  });

  it('a folder\'s environment tab brought back by a window reload while its folder is away: kept, titled "(deleted)", shown again once back', async () => {
    const c = legacy();
    const folder = c.children.find((i): i is Folder => i.kind === 'folder');
    assert.ok(folder);
    const file = folder.source.file;
    const text = await fsp.readFile(file, 'utf8');
    restore.push({ file, text });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // away (another branch, a teammate's pull) when the window comes back
    await fsp.rm(file);
    await api.store.refreshPaths([file]);
    await waitFor('the folder gone from the store', () => api.store.locate(c.path, folder.id)?.kind !== 'item', 10_000);
    // as VS Code brings the tab back after Developer: Reload Window, with the title and state it had
    const state = { collectionPath: c.path, collectionId: c.id, environmentId: folder.id, folder: true };
    const title = `${folder.name} · Environment`;
    const panel = vscode.window.createWebviewPanel('hammock.environmentEditor', title, vscode.ViewColumn.One);
    let closed = false;
    panel.onDidDispose(() => (closed = true));
    const editor = await api.environmentPanels.restore(panel, state);
    assert.ok(editor);
    await waitFor('the page', () => editor.uiReady, 45_000);
    await waitFor('titled "(deleted)"', () => panel.title === `${title} (deleted)`, 10_000);
    const [banner] = await ui({ selector: '.error-banner.held' }, [{ text: '.error-banner.held' }, { screenshot: 'env-folder-reloaded-away' }]);
    assert.match(String(banner), /^The folder is not in the collection now \(deleted, moved, or not on this branch\)\. This tab shows it again if it comes back\.$/);
    assert.equal(closed, false, 'the tab stays');
    // back: its environment on the page, the message gone
    await fsp.writeFile(file, text);
    await api.store.refreshPaths([file]);
    await waitFor('the title as before', () => panel.title === title, 10_000);
    await waitFor('the folder environment on the page, without the message', async () => {
      const body = String((await ui({ selector: '.env-main' }, [{ text: 'body' }]))[0]);
      return !body.includes('not on this branch') && body.includes(`${folder.name} · environment`);
    }, 10_000);
    assert.equal(closed, false);
  });

  it('a sub-environment\'s tab brought back by a window reload while it is away: it stays on it (not the base environment), shown again once back', async () => {
    const c = legacy();
    const file = path.join(c.path, 'Environment', `${SUB}.yml`);
    const text = await fsp.readFile(file, 'utf8');
    restore.push({ file, text });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // away (another branch, a teammate's pull) when the window comes back
    await fsp.rm(file);
    await api.store.refreshPaths([file]);
    await waitFor('the sub-environment gone from the store', () => !legacy().baseEnvironment?.subEnvironments.some((e) => e.id === SUB), 10_000);
    // as VS Code brings the tab back after Developer: Reload Window, with the title and state it had
    const state = { collectionPath: c.path, collectionId: c.id, environmentId: SUB };
    const panel = vscode.window.createWebviewPanel('hammock.environmentEditor', `Environments · ${c.name}`, vscode.ViewColumn.One);
    let closed = false;
    panel.onDidDispose(() => (closed = true));
    const editor = await api.environmentPanels.restore(panel, state);
    assert.ok(editor);
    await waitFor('the page', () => editor.uiReady, 45_000);
    const [banner] = await ui({ selector: '.error-banner.held' }, [{ text: '.error-banner.held' }, { screenshot: 'env-sub-reloaded-away' }]);
    assert.match(String(banner), /^The environment is not in the collection now \(deleted, moved, or not on this branch\)\. This tab shows it again if it comes back\.$/);
    assert.equal(editor.state.environmentId, SUB, 'the tab is still the sub-environment\'s (what a next reload brings back too)');
    assert.equal(closed, false, 'the tab stays');
    // back: the sub-environment on the page, the message gone
    await fsp.writeFile(file, text);
    await api.store.refreshPaths([file]);
    await waitFor('the sub-environment shown', () => editor.lastState?.current.id === SUB, 10_000);
    await waitFor('its variables on the page, without the message', async () => {
      const [body, scheme] = await ui({ selector: '.env-main' }, [{ text: 'body' }, { value: '[data-key="var:0:value"]' }]);
      return !String(body).includes('not on this branch') && scheme === 'http';
    }, 10_000);
    assert.equal(editor.state.environmentId, SUB);
  });

  it('"Restore Environment" pressed after the environment came back (the edit saved then): a word that it is back with what was typed; nothing written twice', async () => {
    const c = legacy();
    const file = path.join(c.path, 'Environment', `${SUB}.yml`);
    const original = await fsp.readFile(file, 'utf8');
    restore.push({ file, text: original });
    const editor = await openSubEnvironment(api, c, SUB);
    const asked = held.questions.length;
    const variables = (editor.lastState?.current.variables ?? []).map(([k, v]) => (k === 'scheme' ? ([k, 'https-typed'] as const) : ([k, v] as const)));
    await editor.receive({ type: 'edit', id: SUB, fields: { variables }, seq: 1_000_000 });
    await fsp.rm(file);
    await api.store.refreshPaths([file]);
    await editor.flush().catch(() => undefined);
    await waitFor('the edit held', () => editor.heldEdit?.reason === 'gone', 10_000);
    const q = await question(asked);
    // settled another way: the environment comes back (a checkout back), the held edit is saved into it
    await fsp.writeFile(file, original);
    await api.store.refreshPaths([file]);
    await waitFor('the held edit saved', async () => !editor.heldEdit && /^ {2}scheme: https-typed$/m.test(await fsp.readFile(file, 'utf8')), 10_000);
    const saved = await fsp.readFile(file, 'utf8');
    held.infos.length = 0;
    q.answer('Restore Environment');
    // (VS Code cannot take the notification back: pressing it says plainly what happened; before, "already settled")
    const said = await waitFor('a word that it is back with what was typed', () => held.infos.find((m) => /nothing to restore/.test(m)), 10_000);
    assert.equal(said, 'Hammock: nothing to restore: "OpenAPI env localhost:3000" is back, and what you typed was saved in it.');
    assert.equal(await fsp.readFile(file, 'utf8'), saved, 'nothing written');
  });
});
