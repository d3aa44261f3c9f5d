// An open request editor follows its request when the v5 collection file is moved or renamed from outside (the
// Explorer's rename, `git mv`): the same collection (workspace id) with the request in exactly one new file. It keeps
// what is being typed across the move, and does not guess when two files could be the one it moved to. An environment
// editor follows its collection the same way, and the responses sent before the move still show after it.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import type { HttpRequest } from '../../src/collections/model';
import { walkItems } from '../../src/collections/model';
import { activateHammock, gitAs, inWorkspace, startLoopbackServer, ui, waitFor, workspaceRoot } from './helpers';

const git = gitAs({ name: 'Hammock Integration', email: 'integration@hammock.invalid' });

/** The collection file back where and as it was, the `others` (where it went, copies) gone, no editor open. */
async function putBack(api: HammockApi, original: string, pristine: string, others: string[]): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  for (const p of others) await fsp.rm(p, { force: true });
  await fsp.writeFile(original, pristine);
  // the index as it was (git mv staged a rename)
  await git(workspaceRoot(), 'reset', '-q', '--', path.relative(workspaceRoot(), original), ...others.map((p) => path.relative(workspaceRoot(), p))).catch(() => undefined);
  await api.store.refreshPaths([original, ...others]);
}

describe('A request editor follows its collection file when it is moved', function () {
  this.timeout(120_000);
  let api: HammockApi;
  const original = inWorkspace('v5', '11_6_2.yaml');
  const renamed = inWorkspace('v5', '11_6_2-renamed.yaml');
  let pristine: string;

  before(async () => {
    api = await activateHammock();
    pristine = await fsp.readFile(original, 'utf8');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(() => putBack(api, original, pristine, [renamed, `${renamed}.copy1.yaml`, `${renamed}.copy2.yaml`]));

  const requestIn = (file: string): HttpRequest => {
    const c = api.store.collections.find((x) => x.path === file);
    assert.ok(c, `a collection at ${file}`);
    const r = [...walkItems(c.children)].find((i): i is HttpRequest => i.kind === 'request' && i.name === 'New Request');
    assert.ok(r, 'its request "New Request"');
    return r;
  };

  it('moved with git mv, then renamed back in the Explorer: the editor follows, and what is typed goes into the file where it is', async () => {
    await api.store.whenComplete();
    const request = requestIn(original);
    await vscode.commands.executeCommand('hammock.openRequest', { collectionPath: original, requestId: request.id });
    const editor = api.requestPanels.editor({ collectionPath: original, requestId: request.id });
    assert.ok(editor);
    await waitFor('the page to load', () => editor.uiReady, 45_000);
    const frame = { selector: 'header .name', text: 'New Request' };
    const title = editor.panel.title;

    // git mv: one file goes, another comes with the same workspace id and request
    await git(workspaceRoot(), 'mv', original, renamed);
    await waitFor('the editor to follow the request to the moved file', () => editor.state.collectionPath === renamed, 10_000);
    assert.equal(api.requestPanels.editor({ collectionPath: renamed, requestId: request.id }), editor, 'found under its new place');
    assert.equal(api.requestPanels.editor({ collectionPath: original, requestId: request.id }), undefined);
    assert.equal(editor.panel.title, title, 'not "(deleted)"');

    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '/after-rename', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the typed URL in the renamed file', () => requestIn(renamed).url === 'https://httpbin.org/anything/after-rename', 10_000);
    assert.match(await fsp.readFile(renamed, 'utf8'), /url: https:\/\/httpbin\.org\/anything\/after-rename\n/);

    // typed, then at once renamed back in the Explorer: the pending keys follow the request to where it is now
    await ui(frame, [{ type: '/and-moved', delayMs: 20, jitterMs: 60 }]);
    await fsp.rename(renamed, original);
    await waitFor('the editor to follow it back', () => editor.state.collectionPath === original, 10_000).catch((err: Error) => {
      const paths = api.store.collections.filter((c) => c.path.includes('11_6_2')).map((c) => c.path);
      assert.fail(`${err.message}: the editor is at ${editor.state.collectionPath}, held: ${editor.heldEdit?.message ?? 'no'}, the store has ${paths.join(', ')}`);
    });
    await waitFor('every key in the moved-back file', () => requestIn(original).url === 'https://httpbin.org/anything/after-rename/and-moved', 10_000);
    assert.equal(editor.heldEdit, undefined, 'nothing held');
    assert.equal(editor.panel.title, title);
    await ui(frame, [{ screenshot: 'follow-move' }]);
  });

  it('two new files with the same collection and request: the editor does not guess', async () => {
    await fsp.writeFile(original, pristine);
    await api.store.refreshPaths([original]);
    const request = requestIn(original);
    await vscode.commands.executeCommand('hammock.openRequest', { collectionPath: original, requestId: request.id });
    const editor = api.requestPanels.editor({ collectionPath: original, requestId: request.id });
    assert.ok(editor);
    await waitFor('the page to load', () => editor.uiReady, 45_000);
    let closed = false;
    editor.panel.onDidDispose(() => (closed = true));
    const title = editor.panel.title;
    await fsp.copyFile(original, `${renamed}.copy1.yaml`);
    await fsp.copyFile(original, `${renamed}.copy2.yaml`);
    await fsp.rm(original);
    // its request gone from where it was, nothing typed: it stays, titled deleted, as for a file another process deleted
    await waitFor('the editor titled deleted', () => closed || editor.panel.title.endsWith(' (deleted)'), 10_000);
    assert.equal(closed, false, 'the editor stays open');
    assert.equal(editor.state.collectionPath, original, 'it stayed where it was');
    assert.equal(api.requestPanels.editor({ collectionPath: `${renamed}.copy1.yaml`, requestId: request.id }), undefined);
    assert.equal(api.requestPanels.editor({ collectionPath: `${renamed}.copy2.yaml`, requestId: request.id }), undefined);
    // the file back where it was: the same tab shows it again
    await fsp.writeFile(original, pristine);
    await waitFor('the title as it was', () => editor.panel.title === title, 10_000);
  });
});

describe('An environment editor and the responses follow the collection file when it is moved', function () {
  this.timeout(120_000);
  let api: HammockApi;
  const original = inWorkspace('v5', '11_6_2.yaml');
  const renamed = inWorkspace('v5', '11_6_2-moved.yaml');
  const copy = inWorkspace('v5', '11_6_2-copy.yaml');
  const SUB = 'env_4bec71c1e4344911a44a87b9a6db6345'; // "New Environment": env-key: env-name
  let pristine: string;

  before(async () => {
    api = await activateHammock();
    pristine = await fsp.readFile(original, 'utf8');
  });

  beforeEach(() => putBack(api, original, pristine, [renamed, copy]));
  after(() => putBack(api, original, pristine, [renamed, copy]));

  const collectionAt = (file: string) => {
    const c = api.store.collections.find((x) => x.path === file);
    assert.ok(c, `a collection at ${file}`);
    return c;
  };
  const envKey = (file: string) => api.store.collections.find((x) => x.path === file)?.baseEnvironment?.subEnvironments.find((e) => e.id === SUB)?.data['env-key'];

  it('git mv, then renamed back in the Explorer with keys pending: the environment editor follows, and what is typed goes into the file where it is', async () => {
    await api.store.whenComplete();
    const c = collectionAt(original);
    const state = { collectionPath: original, collectionId: c.id, environmentId: SUB };
    await vscode.commands.executeCommand('hammock.editEnvironment', state);
    const editor = api.environmentPanels.editor(state);
    assert.ok(editor);
    await waitFor('the environment editor page', () => editor.uiReady, 45_000);
    let closed = false;
    editor.panel.onDidDispose(() => (closed = true));
    const title = editor.panel.title;
    const frame = { selector: '.env-list' };

    await git(workspaceRoot(), 'mv', original, renamed);
    await waitFor('the editor to follow the collection to the moved file (or close)', () => editor.state.collectionPath === renamed || closed, 10_000);
    assert.equal(closed, false, 'the editor stays open');
    assert.equal(editor.state.collectionPath, renamed);
    assert.equal(api.environmentPanels.editor({ ...state, collectionPath: renamed }), editor, 'found under its new place');
    assert.equal(api.environmentPanels.editor(state), undefined);

    await ui(frame, [{ click: 'input[data-key="var:0:value"]' }, { press: 'End' }, { type: '-moved', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the typed value in the moved file', () => envKey(renamed) === 'env-name-moved', 10_000);
    assert.match(await fsp.readFile(renamed, 'utf8'), /env-key: env-name-moved\n/);

    // typed, then at once renamed back in the Explorer: the pending keys follow the collection to where it is now
    await ui(frame, [{ type: '-back', delayMs: 20, jitterMs: 60 }]);
    await fsp.rename(renamed, original);
    await waitFor('the editor to follow it back', () => editor.state.collectionPath === original || closed, 10_000);
    assert.equal(closed, false);
    await waitFor('every key in the moved-back file', () => envKey(original) === 'env-name-moved-back', 10_000);
    assert.equal(editor.heldEdit, undefined, 'nothing held');
    assert.equal(editor.panel.title, title);
    const [shown] = await ui(frame, [{ value: 'input[data-key="var:0:value"]' }, { screenshot: 'follow-move-environment' }]);
    assert.equal(shown, 'env-name-moved-back');
  });

  it('the responses sent before the move show after it, in the response viewer; a copy of the file has none of them', async () => {
    const server = await startLoopbackServer(() => undefined);
    try {
      await api.store.whenComplete();
      const c = collectionAt(original);
      const request = [...walkItems(c.children)].find((i): i is HttpRequest => i.kind === 'request' && i.name === 'New Request');
      assert.ok(request);
      await api.store.apply(c, { kind: 'setRequestFields', id: request.id, fields: { url: `${server.base}/sent-before-the-move` } });
      await vscode.commands.executeCommand('hammock.openRequest', { collectionPath: original, requestId: request.id });
      const editor = api.requestPanels.editor({ collectionPath: original, requestId: request.id });
      assert.ok(editor);
      await waitFor('the page to load', () => editor.uiReady, 45_000);
      await ui({ selector: 'header .name', text: 'New Request' }, [{ click: '#send' }]);
      await waitFor('the response in the history', async () => (await api.requestPanels.history(editor.state)).length === 1, 15_000);

      await git(workspaceRoot(), 'mv', original, renamed);
      await waitFor('the editor to follow the request', () => editor.state.collectionPath === renamed, 10_000);
      const after = await api.requestPanels.history(editor.state);
      assert.deepEqual(after.map((r) => r.url), [`${server.base}/sent-before-the-move`], 'its response, at the new place');
      await waitFor('the response viewer to show it at the new place', () => api.requestPanels.viewer.ownerKey === `${renamed}#${request.id}`, 5000);
      assert.equal(api.requestPanels.viewer.lastPosted?.history.length, 1);
      assert.equal(api.requestPanels.viewer.lastPosted?.response?.url, `${server.base}/sent-before-the-move`);

      // a copy of the moved file: the same workspace id and request, none of the responses
      await fsp.copyFile(renamed, copy);
      await api.store.refreshPaths([copy]);
      assert.ok(api.requestPanels.find({ collectionPath: copy, requestId: request.id }), 'the copy holds the request');
      assert.deepEqual(await api.requestPanels.history({ collectionPath: copy, requestId: request.id }), []);
      assert.equal((await api.requestPanels.history(editor.state)).length, 1, 'the moved file still has its own');
    } finally {
      await server.close();
    }
  });
});
