// A merge stops on the request the user has open (Merge in Editor, or `git merge` in a terminal): its file holds git's
// conflict markers, so Hammock does not read it. The walk saw the open editor say the request was "deleted, moved, or
// not on this branch", title it "(deleted)", and, once the user typed in it, offer "Restore Request", which made a
// second copy of the request (a new id, a new file) beside the conflicted one: after the merge was resolved the
// collection held the request twice. The editor now says what is going on, offers no restore, and saves what was typed
// into the request once the conflict is resolved.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkLegacyFolder } from '../../src/collections/formats/conformance';
import type { HammockApi } from '../../src/extension';
import { editorTitle } from '../../src/webviews/editorTitle';
import { activateHammock, KeptFiles, openRequestEditor, openSubEnvironment, requestNamed, ui, waitFor } from './helpers';

describe('Walk: a merge conflict in the file of the request being edited', function () {
  this.timeout(120_000);
  let api: HammockApi;
  const kept = new KeptFiles(() => api);
  const restore = kept.files;

  before(async () => {
    api = await activateHammock();
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
    await kept.restore();
    await api.store.reload();
  });

  it('legacy: the editor says the file holds a merge conflict (not "deleted"), offers no "Restore Request", and saves the typing once it is resolved', async () => {
    const { collection, request } = requestNamed(api, 'Create new transaction', 'legacy');
    const { editor, file, start } = await openRequestEditor(api, collection, request, restore);
    const frame = { selector: 'header .name', text: request.name };
    const title = editor.panel.title;
    const folder = path.dirname(file);
    const before = (await fsp.readdir(folder)).sort();
    const urlLine = /^url: .*$/m.exec(start)![0];
    // what a merge leaves when both sides changed the url
    await fsp.writeFile(file, start.replace(urlLine, `<<<<<<< HEAD\n${urlLine}\n=======\nurl: "{{ base_url }}/theirs"\n>>>>>>> origin/main`));

    await waitFor('the editor to say so', () => editor.panel.title !== title, 10_000);
    assert.equal(editor.panel.title, `${title} (merge conflict)`);
    const [banner] = await ui(frame, [{ value: '.error-banner' }]);
    assert.doesNotMatch(String(banner), /deleted/);
    assert.match(String(banner), /"Create new transaction" cannot be read now: \.insomnia\/Request\/req_\w+\.yml holds an unresolved merge conflict \(resolve it in Source Control's Merge Changes, or the merge editor\)/);

    // the user types in it meanwhile, at human speed
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '/typed-in-conflict', delayMs: 40 }]);
    await waitFor('the edit held', () => editor.heldEdit, 8000);
    const toast = '.notifications-toasts .notification-list-item:has-text("merge conflict")';
    const [said] = await ui({ selector: '.notifications-toasts .notification-list-item', text: 'merge conflict' }, [{ value: toast }, { screenshot: 'walk-merge-conflict-typed' }]);
    assert.match(String(said), /saved once the conflict is resolved/);
    assert.doesNotMatch(String(said), /Restore Request/, 'no restore: the request is in its file, between the markers');
    await assert.rejects(editor.restoreGone(), /resolve the merge conflict/);
    assert.deepEqual((await fsp.readdir(folder)).sort(), before, 'no second copy of the request');

    // resolved (the user's side taken, as the merge editor's "Accept Current" leaves it): the typing is saved into it
    await fsp.writeFile(file, start);
    await waitFor('the typed URL in the request', async () => (await fsp.readFile(file, 'utf8')).includes('/typed-in-conflict'), 10_000);
    await waitFor('nothing held', () => !editor.heldEdit && !editor.busy, 8000);
    const after = await fsp.readFile(file, 'utf8');
    assert.equal(/^url: .*$/m.exec(after)![0], urlLine.replace(/"?$/, (q) => `/typed-in-conflict${q}`));
    assert.deepEqual((await fsp.readdir(folder)).sort(), before, 'still one copy of the request');
    assert.equal(editor.panel.title, title);
    assert.deepEqual(checkLegacyFolder(collection.path), [], "Insomnia's reader accepts the folder");
  });
  it('v5: the collection file holds the conflict (another request\'s url): the same, and the typing lands in the request once resolved', async () => {
    const { collection, request } = requestNamed(api, 'New Disabled Header', 'v5', '11_6_2.yaml');
    const { editor, file, start } = await openRequestEditor(api, collection, request, restore);
    const frame = { selector: 'header .name', text: request.name };
    const title = editor.panel.title;
    const folder = path.dirname(file);
    const before = (await fsp.readdir(folder)).sort();
    const other = /^( +)- url: .*$/m.exec(start)!;
    await fsp.writeFile(file, start.replace(other[0], `<<<<<<< HEAD\n${other[0]}\n=======\n${other[1]}- url: https://theirs.example\n>>>>>>> origin/main`));

    await waitFor('the editor to say so', () => editor.panel.title !== title, 10_000);
    assert.equal(editor.panel.title, `${title} (merge conflict)`);
    const [banner] = await ui(frame, [{ value: '.error-banner' }]);
    assert.match(String(banner), /"New Disabled Header" cannot be read now: \S*11_6_2\.yaml holds an unresolved merge conflict/);
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '/typed-v5', delayMs: 40 }]);
    await waitFor('the edit held', () => editor.heldEdit, 8000);
    await assert.rejects(editor.restoreGone(), /resolve the merge conflict/);
    assert.equal((await fsp.readFile(file, 'utf8')).includes('/typed-v5'), false, 'nothing written into the conflicted file');

    await fsp.writeFile(file, start);
    await waitFor('the typed URL in the request', async () => (await fsp.readFile(file, 'utf8')).includes('/typed-v5'), 10_000);
    await waitFor('nothing held', () => !editor.heldEdit && !editor.busy, 8000);
    assert.equal(editor.panel.title, title);
    assert.deepEqual((await fsp.readdir(folder)).sort(), before);
    const back = requestNamed(api, 'New Disabled Header', 'v5', '11_6_2.yaml').request;
    assert.equal(back.id, request.id, 'the same request, not a copy');
    assert.match(back.url, /\/typed-v5$/);
  });
  it('legacy: the sub-environment being typed in: said, no "Restore Environment" (it wrote over the conflict), the typing saved once resolved', async () => {
    const c = api.store.collections.find((x) => x.format === 'legacy');
    assert.ok(c?.baseEnvironment);
    const SUB = 'env_038c957f9f1749c8bc57927d9655f4b4'; // "OpenAPI env localhost:3000": scheme, base_path, host, ...
    const file = path.join(c.path, 'Environment', `${SUB}.yml`);
    const start = await fsp.readFile(file, 'utf8');
    restore.push({ file, text: start });
    const editor = await openSubEnvironment(api, c, SUB);
    const frame = { selector: '.env-list' };
    const line = /^ {2}scheme: .*$/m.exec(start)![0];
    const conflicted = start.replace(line, `<<<<<<< HEAD\n${line}\n=======\n  scheme: https\n>>>>>>> origin/main`);
    await fsp.writeFile(file, conflicted);
    await waitFor('the editor to say so', async () => /merge conflict/.test(String((await ui(frame, [{ value: '.error-banner' }]).catch(() => ['']))[0])), 10_000);
    const [banner] = await ui(frame, [{ value: '.error-banner' }]);
    assert.match(String(banner), /"OpenAPI env localhost:3000" cannot be read now: \.insomnia\/Environment\/env_\w+\.yml holds an unresolved merge conflict/);
    assert.doesNotMatch(String(banner), /deleted/);

    await ui(frame, [{ click: 'input[data-key="var:0:value"]' }, { press: 'End' }, { type: '-typed', delayMs: 40 }]);
    await waitFor('the edit held', () => editor.heldEdit, 8000);
    assert.match(editor.heldEdit!.message, /saved once the conflict is resolved/);
    await assert.rejects(editor.restoreGone(), /resolve the merge conflict/);
    assert.equal(await fsp.readFile(file, 'utf8'), conflicted, 'the conflict is not written over');

    await fsp.writeFile(file, start);
    await waitFor('the typed value in the environment', async () => /^ {2}scheme: http-typed$/m.test(await fsp.readFile(file, 'utf8')), 10_000);
    await waitFor('nothing held', () => !editor.heldEdit, 8000);
    const after = await fsp.readFile(file, 'utf8');
    assert.equal(/^created: .*$/m.exec(after)![0], /^created: .*$/m.exec(start)![0], 'the same environment, not a new one');
    assert.deepEqual(checkLegacyFolder(c.path), [], "Insomnia's reader accepts the folder");
  });

  it('v5: the environment editor of a collection whose file holds the conflict says so, not "deleted"', async () => {
    const c = api.store.collections.find((x) => x.format === 'v5' && x.path.endsWith('11_6_2.yaml'));
    assert.ok(c?.baseEnvironment);
    const SUB = 'env_4bec71c1e4344911a44a87b9a6db6345'; // "New Environment"
    const file = c.path;
    const start = await fsp.readFile(file, 'utf8');
    restore.push({ file, text: start });
    const editor = await openSubEnvironment(api, c, SUB);
    const frame = { selector: '.env-list' };
    const other = /^( +)- url: .*$/m.exec(start)!;
    await fsp.writeFile(file, start.replace(other[0], `<<<<<<< HEAD\n${other[0]}\n=======\n${other[1]}- url: https://theirs.example\n>>>>>>> origin/main`));
    await waitFor('the editor to say something', async () => /now/.test(String((await ui(frame, [{ value: '.error-banner' }]).catch(() => ['']))[0])), 10_000);
    const [banner] = await ui(frame, [{ value: '.error-banner' }]);
    assert.doesNotMatch(String(banner), /deleted/);
    assert.match(String(banner), /cannot be read now: \S*11_6_2\.yaml holds an unresolved merge conflict/);
    assert.doesNotMatch(editor.panel.title, /deleted/);
    assert.match(editor.panel.title, / \(merge conflict\)$/);
  });

  /** The legacy collection's first folder and its file's text, put back after the test. */
  const legacyFolder = async () => {
    const c = api.store.collections.find((x) => x.format === 'legacy');
    const folder = c?.children.find((i) => i.kind === 'folder');
    assert.ok(c && folder);
    const file = folder.source.file;
    const start = await fsp.readFile(file, 'utf8');
    restore.push({ file, text: start });
    return { c, folder, file, start };
  };

  it('legacy: a folder environment\'s tab whose folder file holds the conflict is titled "(merge conflict)", not "(deleted)"', async () => {
    const { c, folder, file, start } = await legacyFolder();
    await vscode.commands.executeCommand('hammock.editFolderEnvironment', { type: 'folder', collection: c, folder });
    const editor = api.environmentPanels.editor({ collectionPath: c.path, collectionId: c.id, environmentId: folder.id, folder: true });
    assert.ok(editor);
    await waitFor('the folder environment page', () => editor.uiReady, 45_000);
    const title = editor.panel.title;
    const line = /^name: .*$/m.exec(start)![0];
    await fsp.writeFile(file, start.replace(line, `<<<<<<< HEAD\n${line}\n=======\nname: Theirs\n>>>>>>> origin/main`));
    await waitFor('the tab to say so', () => editor.panel.title !== title, 10_000);
    const [banner] = await ui({ selector: '#add-variable' }, [{ value: '.error-banner' }]);
    assert.match(String(banner), /cannot be read now: .* holds an unresolved merge conflict/);
    assert.equal(editor.panel.title, `${title} (merge conflict)`);
  });

  it('legacy: a folder environment\'s tab brought back by a window reload while its folder file holds a conflict: "(merge conflict)", not "(deleted)"', async () => {
    const { c, folder, file, start } = await legacyFolder();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // the merge stopped on the folder's file before the window was reloaded
    const line = /^name: .*$/m.exec(start)![0];
    await fsp.writeFile(file, start.replace(line, `<<<<<<< HEAD\n${line}\n=======\nname: Theirs\n>>>>>>> origin/main`));
    await api.store.refreshPaths([file]);
    await waitFor('the folder unreadable in the store', () => api.store.locate(c.path, folder.id)?.kind !== 'item', 10_000);
    // as VS Code brings the tab back after Developer: Reload Window, with the title and state it had
    const title = `${folder.name} · Environment`;
    const panel = vscode.window.createWebviewPanel('hammock.environmentEditor', title, vscode.ViewColumn.One);
    const editor = await api.environmentPanels.restore(panel, { collectionPath: c.path, collectionId: c.id, environmentId: folder.id, folder: true });
    assert.ok(editor);
    await waitFor('the page', () => editor.uiReady, 45_000);
    await waitFor('the tab titled', () => / \((merge conflict|deleted)\)$/.test(panel.title), 10_000);
    assert.equal(panel.title, `${title} (merge conflict)`);
    const [banner] = await ui({ selector: '.error-banner.held' }, [{ text: '.error-banner.held' }]);
    assert.doesNotMatch(String(banner), /deleted/);
    assert.match(String(banner), /^The folder cannot be read now: \S+ holds an unresolved merge conflict/);
  });

  for (const [format, name, file] of [['legacy', 'Create new transaction', undefined], ['v5', 'New Disabled Header', '11_6_2.yaml']] as const) {
    it(`${format}: a request editor tab brought back by a window reload while its file holds a conflict: "(merge conflict)", not "(deleted)"; the request shown once resolved`, async () => {
      const { collection, request } = requestNamed(api, name, format, file);
      const state = { collectionPath: collection.path, requestId: request.id };
      const start = await fsp.readFile(request.source.file, 'utf8');
      restore.push({ file: request.source.file, text: start });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      // the merge stopped on the request's file before the window was reloaded
      const url = /^( *)(- )?url: .*$/m.exec(start)!;
      await fsp.writeFile(request.source.file, start.replace(url[0], `<<<<<<< HEAD\n${url[0]}\n=======\n${url[1]}${url[2] ?? ''}url: https://theirs.example\n>>>>>>> origin/main`));
      await api.store.refreshPaths([request.source.file]);
      await waitFor('the request unreadable in the store', () => !api.requestPanels.find(state), 10_000);
      // as VS Code brings the tab back after Developer: Reload Window, with the title and state it had
      const title = editorTitle(request.method, request.name);
      const panel = vscode.window.createWebviewPanel('hammock.requestEditor', title, vscode.ViewColumn.One);
      const editor = await api.requestPanels.restore(panel, state);
      assert.ok(editor);
      await waitFor('the page', () => editor.uiReady, 45_000);
      await waitFor('the tab titled', () => / \((merge conflict|deleted)\)$/.test(panel.title), 10_000);
      assert.equal(panel.title, `${title} (merge conflict)`);
      const [banner] = await ui({ selector: '.error-banner.held' }, [{ text: '.error-banner.held' }]);
      assert.doesNotMatch(String(banner), /deleted/);
      assert.match(String(banner), /cannot be read now: \S+ holds an unresolved merge conflict/);

      // resolved: the tab shows the request again
      await fsp.writeFile(request.source.file, start);
      await waitFor('the title as before', () => panel.title === title, 10_000);
      await waitFor('the request on the page, without the message', async () => {
        const [text, shown] = await ui({ selector: 'header .name', text: request.name }, [{ text: 'body' }, { value: '#url' }]);
        return !String(text).includes('merge conflict') && shown === request.url;
      }, 10_000);
    });
  }
});
