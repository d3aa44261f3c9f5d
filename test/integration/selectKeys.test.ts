// The editors' lists (vscode-single-select) with the keyboard only, as a person uses a native <select> or VS Code's
// own select boxes: Home and End, type-ahead by letters in the open list and in the closed one; and the focus after an
// auth type or a variable's type chosen with the keys (the form or the table is drawn again), never fallen to the body.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { activateHammock, inWorkspace, KeptFiles, openRequestEditor, openSubEnvironment, requestNamed, ui, waitFor } from './helpers';

describe('The editors\' lists with the keyboard', function () {
  this.timeout(90_000);
  let api: HammockApi;
  const kept = new KeptFiles(() => api);

  before(async () => {
    api = await activateHammock();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await kept.restore();
  });

  /** "get request" (GET, no auth) of a v5 collection, its editor open. */
  const open = async () => {
    const { collection, request } = requestNamed(api, 'get request', 'v5', '11_4_curry.yaml');
    assert.equal(request.method, 'GET');
    const opened = await openRequestEditor(api, collection, request, kept.files);
    const now = () => {
      const l = api.store.locate(opened.state.collectionPath, opened.state.requestId);
      assert.ok(l?.kind === 'item' && l.item.kind === 'request');
      return l.item;
    };
    return { ...opened, now };
  };
  const stamp = (text: string) => text.replace(/modified: \d+/g, 'modified: <stamp>');
  const focusedIn = async (frame: { selector: string; text?: string }, selector: string) =>
    ((await ui(frame, [{ attribute: `${selector}:focus`, name: 'class' }]))[0] as unknown[]).length;

  it('the method list: End (Home, PageUp, PageDown) and Enter in the open list pick the last method; a letter picks the next method starting with it (list closed or open)', async () => {
    const { file, start, frame, state, now } = await open();
    const written = async (method: string, what: string) => {
      await waitFor(`${what}: ${method} in the store`, () => now().method === method, 8000);
      await waitFor(`${what}: ${method} in the file`, async () => (await fsp.readFile(file, 'utf8')).includes(`method: ${method}\n`), 8000);
      await waitFor('the edit written', () => !api.requestPanels.editor(state)?.busy, 8000);
      assert.equal((await ui(frame, [{ value: '#method' }]))[0], method, `${what}: the list shows ${method}`);
      assert.equal(await focusedIn(frame, '#method'), 1, `${what}: the list keeps the focus`);
    };
    // from the URL field back to the method list, opened with Space
    await ui(frame, [{ click: '#url' }, { press: 'Shift+Tab' }, { press: 'Space' }, { press: 'End' }, { screenshot: 'select-keys-end' }, { press: 'Enter' }]);
    await written('OPTIONS', 'End, Enter');
    // closed: a letter picks the next option starting with it at once, as a native select does
    await ui(frame, [{ press: 'd' }]);
    await written('DELETE', 'd in the closed list');
    // open: letters typed together find the option starting with them (p: POST, pa: PATCH), Enter picks it
    await ui(frame, [{ press: 'Space' }, { type: 'pa', delayMs: 60 }, { press: 'Enter' }]);
    await written('PATCH', 'pa, Enter in the open list');
    // PageUp and PageDown: ten options up or down (the list shows ten), here to the first and the last
    await ui(frame, [{ press: 'Space' }, { press: 'PageUp' }, { press: 'Enter' }]);
    await written('GET', 'PageUp, Enter');
    await ui(frame, [{ press: 'Space' }, { press: 'PageDown' }, { press: 'Enter' }]);
    await written('OPTIONS', 'PageDown, Enter');
    await ui(frame, [{ press: 'Space' }, { press: 'Home' }, { press: 'Enter' }]);
    await written('GET', 'Home, Enter');
    // back at GET: the file as it was but for the time of the change
    assert.equal(stamp(await fsp.readFile(file, 'utf8')), stamp(start));
  });

  it('the auth type chosen with ArrowDown and Enter: the focus stays on the list drawn again, not on the page\'s body', async () => {
    const { frame, now } = await open();
    assert.equal(now().authentication.type ?? 'none', 'none');
    await ui(frame, [{ click: '.tab:nth-child(4)' }]);
    // Tab from the Auth tab's button to the Type list, as a person does
    for (let i = 0; i < 12 && (await focusedIn(frame, '.form vscode-single-select')) === 0; i++) await ui(frame, [{ press: 'Tab' }]);
    assert.equal(await focusedIn(frame, '.form vscode-single-select'), 1, 'Tab reaches the Type list');
    await ui(frame, [{ press: 'ArrowDown' }, { press: 'ArrowDown' }, { press: 'ArrowDown' }, { press: 'Enter' }]);
    await waitFor('the bearer type in the store', () => now().authentication.type === 'bearer', 8000);
    await waitFor('the bearer form', async () => ((await ui(frame, [{ attribute: '[data-key="auth:token"]', name: 'data-key' }]))[0] as unknown[]).length === 1, 5000);
    await waitFor('the focus on the Type list again', async () => (await focusedIn(frame, '.form vscode-single-select')) === 1, 3000);
    const [shown, ring] = await ui(frame, [{ value: '.form vscode-single-select' }, { attribute: '.form vscode-single-select .face:focus-visible', name: 'class' }, { screenshot: 'select-keys-auth-focus' }]);
    assert.equal(shown, 'bearer');
    assert.equal((ring as unknown[]).length, 1, 'the focus ring shows');
  });

  it('the environment editor\'s Type list: End picks JSON, a letter picks Text again, and the focus stays on the row\'s list drawn again', async () => {
    const c = api.store.collections.find((x) => x.path === inWorkspace('v5', 'everything.yaml'));
    assert.ok(c, 'the v5 collection');
    const start = await fsp.readFile(c.path, 'utf8');
    await kept.keep(c.path);
    const editor = await openSubEnvironment(api, c, 'env_576b47fd1dd34ae9958b41535beb6061'); // "New Environment": base_url
    const frame = { selector: '.env-list' };
    const row = '.var-row[data-row="0"]';
    const typeOf = async () => (await ui(frame, [{ value: `${row} vscode-single-select` }]))[0];
    const valueOf = async () => (await ui(frame, [{ value: '[data-key="var:0:value"]' }]))[0];
    assert.equal(await valueOf(), 'localhost:3000');
    // from the value field back to the row's Type list
    await ui(frame, [{ click: '[data-key="var:0:value"]' }, { press: 'Shift+Tab' }]);
    assert.equal(await focusedIn(frame, `${row} vscode-single-select`), 1, 'Shift+Tab reaches the Type list');
    await ui(frame, [{ press: 'End' }]);
    await waitFor('JSON chosen', async () => (await typeOf()) === 'json' && (await valueOf()) === '"localhost:3000"', 5000);
    await waitFor('the focus on the row\'s Type list', async () => (await focusedIn(frame, `${row} vscode-single-select`)) === 1, 3000);
    await ui(frame, [{ press: 't' }]);
    await waitFor('Text chosen', async () => (await typeOf()) === 'string' && (await valueOf()) === 'localhost:3000', 5000);
    await waitFor('the focus on the row\'s Type list again', async () => (await focusedIn(frame, `${row} vscode-single-select`)) === 1, 3000);
    await waitFor('the edits written', () => !editor.busy, 8000);
    assert.equal(stamp(await fsp.readFile(c.path, 'utf8')), stamp(start), 'the file holds the same value');
  });
});
