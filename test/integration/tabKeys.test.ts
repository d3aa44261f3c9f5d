// The webviews' tab lists with the keyboard only, as a person who does not use the mouse: a tab list is one Tab stop
// (the WAI-ARIA tabs pattern, as VS Code's own tabbed views): Tab enters it on the selected tab, the arrows, Home and
// End move among the tabs, Tab leaves it for the panel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { activateHammock, inWorkspace, insomniaRewrite, KeptFiles, openRequestEditor, ui, waitFor } from './helpers';

type Frame = { selector: string; text?: string };

describe('The tab lists and the focus after a redraw, with the keyboard', function () {
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

  /** Opens the legacy request `name` (its file kept for afterEach). */
  const open = async (name: string) => {
    const collection = api.store.collections.find((c) => c.path === inWorkspace('.insomnia'));
    assert.ok(collection);
    const request = [...walkItems(collection.children)].find((i) => i.kind === 'request' && i.name === name);
    assert.ok(request?.kind === 'request', `no request "${name}"`);
    return openRequestEditor(api, collection, request, kept.files);
  };
  const focused = async (frame: Frame, selector: string) => ((await ui(frame, [{ attribute: `${selector}:focus`, name: 'class' }]))[0] as unknown[]).length;
  /** the place (1-based) of the tab that has the focus, 0 when none has it. */
  const focusedTab = async (frame: Frame, count: number) => {
    const seen = (await ui(frame, Array.from({ length: count }, (_, i) => ({ attribute: `.tab-strip .tab:nth-child(${i + 1}):focus`, name: 'class' })))) as unknown[][];
    return seen.findIndex((x) => x.length === 1) + 1;
  };
  const stops = async (frame: Frame) => (await ui(frame, [{ attribute: '.tab-strip .tab', name: 'tabindex' }]))[0];
  const selected = async (frame: Frame) => (await ui(frame, [{ attribute: '.tab-strip .tab', name: 'aria-selected' }]))[0];

  it('the request editor\'s tabs are one Tab stop: the arrows, Home and End move among them and show their panels; Tab leaves for the panel; the tab keeps the focus through a redraw from the host', async () => {
    const { file, frame } = await open('Update a transaction');
    // the mouse still picks a tab
    await ui(frame, [{ click: '.tab:nth-child(3)' }]);
    assert.deepEqual(await stops(frame), ['-1', '-1', '0', '-1', '-1', '-1', '-1'], 'one Tab stop: the selected tab (Body)');
    assert.deepEqual(await selected(frame), ['false', 'false', 'true', 'false', 'false', 'false', 'false']);
    assert.equal(await focusedTab(frame, 7), 3, 'the clicked tab has the focus');
    await ui(frame, [{ press: 'ArrowRight' }]);
    assert.equal(await focusedTab(frame, 7), 4, 'ArrowRight: the Auth tab');
    assert.equal(await focused(frame, '.tab.active'), 1, 'and it is the selected tab');
    await waitFor('the Auth panel', async () => ((await ui(frame, [{ attribute: '.tab-body .form vscode-single-select', name: 'class' }]))[0] as unknown[]).length > 0, 3000);
    assert.deepEqual(await stops(frame), ['-1', '-1', '-1', '0', '-1', '-1', '-1'], 'the Tab stop moved with the selection');
    await ui(frame, [{ press: 'End' }]);
    assert.equal(await focusedTab(frame, 7), 7, 'End: the last tab (Description)');
    await ui(frame, [{ press: 'ArrowRight' }]);
    assert.equal(await focusedTab(frame, 7), 1, 'ArrowRight on the last tab: the first');
    await ui(frame, [{ press: 'ArrowLeft' }]);
    assert.equal(await focusedTab(frame, 7), 7, 'ArrowLeft on the first tab: the last');
    await ui(frame, [{ press: 'Home' }, { press: 'ArrowRight' }, { press: 'ArrowRight' }, { press: 'ArrowRight' }]);
    assert.equal(await focusedTab(frame, 7), 4, 'Home, then three ArrowRight: Auth');
    // Tab leaves the list for the panel's first control: the Auth type list, not the next tab
    await ui(frame, [{ press: 'Tab' }]);
    assert.equal(await focusedTab(frame, 7), 0, 'Tab leaves the tab list');
    assert.equal(await focused(frame, '.tab-body .form vscode-single-select'), 1, 'Tab goes to the panel\'s Type list');
    // and Shift+Tab comes back to the selected tab
    await ui(frame, [{ press: 'Shift+Tab' }, { screenshot: 'tab-keys-auth-tab' }]);
    assert.equal(await focusedTab(frame, 7), 4, 'Shift+Tab from the panel: the selected tab');
    // the file changed outside (as Insomnia writes it): the page is drawn again from the host's state
    await insomniaRewrite(file, (doc) => (doc.url = 'http://outside.invalid/changed'));
    await waitFor('the new URL on the page', async () => (await ui(frame, [{ value: '#url' }]))[0] === 'http://outside.invalid/changed', 10_000);
    assert.deepEqual(await selected(frame), ['false', 'false', 'false', 'true', 'false', 'false', 'false'], 'the Auth tab still selected after the redraw');
    assert.deepEqual(await stops(frame), ['-1', '-1', '-1', '0', '-1', '-1', '-1']);
    assert.equal(await focusedTab(frame, 7), 4, 'the Auth tab keeps the focus through the redraw');
    await ui(frame, [{ press: 'ArrowLeft' }]);
    assert.equal(await focusedTab(frame, 7), 3, 'and the arrows go on from there');
  });
});
