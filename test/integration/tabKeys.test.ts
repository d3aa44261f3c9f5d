// The webviews' tab lists and their redraws with the keyboard only, as a person who does not use the mouse: a tab list
// is one Tab stop (the WAI-ARIA tabs pattern, as VS Code's own tabbed views): Tab enters it on the selected tab, the
// arrows, Home and End move among the tabs, Tab leaves it for the panel. And the focus after a redraw stays on the
// control the person was on (the response viewer's history list, the type list of a "Switch to X" question), never
// fallen to the page's body, from where the person has to Tab from the top again.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { activateHammock, inWorkspace, insomniaRewrite, KeptFiles, openRequestEditor, openSubEnvironment, ui, waitFor } from './helpers';

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

  it('"Switch to X" and "Keep the Body" with the keyboard: the focus goes back to the Body type list, not to the page\'s body', async () => {
    const { file, frame } = await open('Update a transaction');
    await ui(frame, [{ click: '.tab:nth-child(3)' }]);
    const question = async () => ((await ui(frame, [{ attribute: '.body-switch', name: 'class' }]))[0] as unknown[]).length;
    const ask = async () => {
      // the list focused (a click opens it, Escape closes it); F picks Form URL Encoded at once, as in a native select
      await ui(frame, [{ click: '.body-tab vscode-single-select' }, { press: 'Escape' }, { press: 'f' }]);
      await waitFor('the question before the JSON is dropped', async () => (await question()) === 1, 5000);
      assert.equal(await focused(frame, '.body-tab vscode-single-select'), 1, 'the list keeps the focus while it asks');
      await ui(frame, [{ press: 'Tab' }]);
      assert.equal(await focused(frame, '.body-switch vscode-button.switch'), 1, 'Tab from the list: Switch to Form URL Encoded');
    };
    await ask();
    await ui(frame, [{ press: 'Tab' }, { press: 'Enter' }]);
    await waitFor('the question to go', async () => (await question()) === 0, 5000);
    await waitFor('the focus on the Body type list after Keep', async () => (await focused(frame, '.body-tab vscode-single-select')) === 1, 3000);
    await ask();
    await ui(frame, [{ press: 'Enter' }]);
    await waitFor('the form body in the file', async () => (await fsp.readFile(file, 'utf8')).includes('mimeType: application/x-www-form-urlencoded'), 8000);
    await waitFor('the focus on the Body type list after Switch', async () => (await focused(frame, '.body-tab vscode-single-select')) === 1, 3000);
    const [shown] = await ui(frame, [{ value: '.body-tab vscode-single-select' }, { screenshot: 'tab-keys-after-switch' }]);
    assert.equal(shown, 'application/x-www-form-urlencoded');
  });

  it('the environment editor\'s Table and JSON tabs: the same one Tab stop, ArrowRight shows the JSON', async () => {
    const c = api.store.collections.find((x) => x.path === inWorkspace('v5', 'everything.yaml'));
    assert.ok(c, 'the v5 collection');
    await kept.keep(c.path);
    await openSubEnvironment(api, c, 'env_576b47fd1dd34ae9958b41535beb6061'); // "New Environment": base_url
    const frame = { selector: '.env-list' };
    assert.deepEqual(await stops(frame), ['0', '-1'], 'one Tab stop: the Table tab');
    await ui(frame, [{ click: '.tab-strip .tab:nth-child(1)' }, { press: 'ArrowRight' }]);
    assert.equal(await focusedTab(frame, 2), 2, 'ArrowRight: the JSON tab');
    assert.deepEqual(await stops(frame), ['-1', '0']);
    await waitFor('the JSON panel', async () => ((await ui(frame, [{ attribute: '.tab-body [data-key="json"]', name: 'data-key' }]))[0] as unknown[]).length === 1, 3000);
    await ui(frame, [{ press: 'Home' }]);
    assert.equal(await focusedTab(frame, 2), 1, 'Home: the Table tab');
  });

  describe('the response viewer', () => {
    let server: http.Server;
    let base: string;
    before(async () => {
      server = http.createServer((req, res) => {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ path: req.url }));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise<void>((r) => server.close(() => r()));
    });

    it('a response chosen in the history list with the keyboard: the list keeps the focus through the redraw; the viewer\'s tabs are one Tab stop', async () => {
      const { editor, state } = await open('Update a transaction');
      await editor.receive({ type: 'edit', seq: 1_000_000, fields: { url: `${base}/tab-keys`, method: 'GET', body: {}, headers: [], authentication: {} } });
      const viewer = api.requestPanels.viewer;
      for (let i = 0; i < 2; i++) assert.equal(await vscode.commands.executeCommand<number>('hammock.sendRequest', state), 200, viewer.current?.error);
      const count = viewer.lastPosted?.history.length ?? 0;
      assert.ok(count >= 2, 'two responses: the history list is shown');
      assert.equal(viewer.lastPosted?.index, 0);
      const frame = { selector: '.summary .history' };
      // the list focused (a click opens it, Escape closes it), End picks the oldest response at once
      await ui(frame, [{ click: '.summary .history' }, { press: 'Escape' }]);
      assert.equal(await focused(frame, '.summary .history'), 1, 'the history list has the focus');
      await ui(frame, [{ press: 'End' }]);
      await waitFor('the oldest response shown', () => viewer.lastPosted?.index === count - 1, 5000);
      await waitFor('the focus on the history list drawn again', async () => (await focused(frame, '.summary .history')) === 1, 3000);
      const [shown] = await ui(frame, [{ value: '.summary .history' }, { screenshot: 'tab-keys-history-focus' }]);
      assert.equal(shown, String(count - 1));
      const tabs = (await stops(frame)) as string[];
      assert.deepEqual(tabs, tabs.map((_, i) => (i === 0 ? '0' : '-1')), 'the viewer\'s tabs: one Tab stop, the selected tab (Body)');
      // the arrows move among the viewer's tabs too (the same tab list as the editor's)
      await ui(frame, [{ click: '.tab:nth-child(1)' }, { press: 'ArrowRight' }]);
      assert.equal(await focusedTab(frame, tabs.length), 2, 'ArrowRight: the Headers tab');
      assert.equal(await focused(frame, '.tab.active'), 1);
    });
  });
});
