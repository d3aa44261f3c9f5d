// The focus after a keyboard action that draws the page again, as a person who does not use the mouse: Send pressed
// with Enter or Space becomes Cancel (and Cancel Send again when the response is in), a row's Remove button takes its
// row away, an environment chosen in the list with Enter shows it. The focus stays at the control's place (the
// control drawn in its stead), as in VS Code's own views; never fallen to the page's body, from where the person has
// to Tab from the top again.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { activateHammock, inWorkspace, KeptFiles, openRequestEditor, openSubEnvironment, requestNamed, ui, waitFor } from './helpers';

type Frame = { selector: string; text?: string };

describe('The focus after a keyboard action redraws a webview', function () {
  this.timeout(120_000);
  let api: HammockApi;
  const kept = new KeptFiles(() => api);
  /** the server's answers held until the test lets them go */
  const held: (() => void)[] = [];

  before(async () => {
    api = await activateHammock();
  });

  after(() => {
    for (const go of held.splice(0)) go();
  });

  afterEach(async () => {
    // the edits a test left in the debounce written first: written after the restore, they stayed in the workspace
    // for the suites after this one (a fresh CI's git.test.ts found the request file modified)
    await waitFor('the editors\' edits written', () => [...api.requestPanels.openEditors, ...api.environmentPanels.openEditors].every((e) => !e.busy), 10_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await kept.restore();
  });

  const open = async (name: string) => {
    const collection = api.store.collections.find((c) => c.path === inWorkspace('.insomnia'));
    assert.ok(collection);
    const request = [...walkItems(collection.children)].find((i) => i.kind === 'request' && i.name === name);
    assert.ok(request?.kind === 'request', `no request "${name}"`);
    return openRequestEditor(api, collection, request, kept.files);
  };
  const focused = async (frame: Frame, selector: string) => ((await ui(frame, [{ attribute: `${selector}:focus`, name: 'class' }]))[0] as unknown[]).length;
  const text = async (frame: Frame, selector: string) => String((await ui(frame, [{ text: selector }]))[0] ?? '').trim();

  for (const key of ['Enter', 'Space']) {
    it(`Send pressed with ${key}: the focus on Cancel while the request runs, on Send again when the response is in`, async () => {
      const { editor, frame } = await open('Update a transaction');
      // a server whose answer waits: the page shows Cancel meanwhile
      const gate = new Promise<void>((r) => held.push(r));
      const hold = await holdingServer(gate);
      try {
        await editor.receive({ type: 'edit', seq: 2_000_000, fields: { url: `${hold.base}/slow`, method: 'GET', body: {}, headers: [], authentication: {} } });
        await waitFor('the URL on the page', async () => String((await ui(frame, [{ value: '#url' }]))[0]).includes('/slow'), 5000);
        await ui(frame, [{ click: '#url' }, { press: 'Tab' }]);
        assert.equal(await focused(frame, '#send'), 1, 'Tab from the URL: the Send button');
        const before = hold.count();
        await ui(frame, [{ press: key }]);
        await waitFor('the request at the server', () => hold.count() > before, 10_000);
        await waitFor('Cancel on the page', async () => (await text(frame, '#send')) === 'Cancel', 5000);
        assert.equal(await focused(frame, '#send'), 1, 'the focus on Cancel (the button drawn in Send\'s place)');
        for (const go of held.splice(0)) go();
        await waitFor('Send on the page again', async () => (await text(frame, '#send')) === 'Send', 10_000);
        assert.equal(await focused(frame, '#send'), 1, 'the focus on Send again');
      } finally {
        for (const go of held.splice(0)) go();
        await hold.close();
      }
    });
  }

  it('Ctrl+Enter in the URL field sends and leaves the focus in the URL field', async () => {
    const { editor, frame } = await open('Update a transaction');
    const gate = new Promise<void>((r) => held.push(r));
    const hold = await holdingServer(gate);
    try {
      await editor.receive({ type: 'edit', seq: 2_000_000, fields: { url: `${hold.base}/ctrl`, method: 'GET', body: {}, headers: [], authentication: {} } });
      await waitFor('the URL on the page', async () => String((await ui(frame, [{ value: '#url' }]))[0]).includes('/ctrl'), 5000);
      await ui(frame, [{ click: '#url' }, { press: 'Control+Enter' }]);
      await waitFor('Cancel on the page', async () => (await text(frame, '#send')) === 'Cancel', 10_000);
      assert.equal(await focused(frame, '#url'), 1, 'the URL field keeps the focus while the request runs');
      for (const go of held.splice(0)) go();
      await waitFor('Send on the page again', async () => (await text(frame, '#send')) === 'Send', 10_000);
      assert.equal(await focused(frame, '#url'), 1, 'and when the response is in');
    } finally {
      for (const go of held.splice(0)) go();
      await hold.close();
    }
  });

  it('a header\'s Remove pressed with Enter or Space: the focus on the next row\'s Remove, the previous row\'s for the last row, Add when none is left', async () => {
    const { editor, frame } = await open('Update a transaction');
    const headers = [{ name: 'X-One', value: '1' }, { name: 'X-Two', value: '2' }, { name: 'X-Three', value: '3' }];
    await editor.receive({ type: 'edit', seq: 2_000_000, fields: { headers } });
    await ui(frame, [{ click: '.tab:nth-child(2)' }]);
    await waitFor('three header rows', async () => ((await ui(frame, [{ attribute: '.kv-row', name: 'class' }]))[0] as unknown[]).length === 3, 5000);
    const rows = async () => ((await ui(frame, [{ attribute: '.kv-row', name: 'class' }]))[0] as unknown[]).length;
    const remove = (n: number) => `.kv-row:nth-child(${n}) .icon-button`;
    await ui(frame, [{ click: '.kv-row:nth-child(2) [data-key="headers:1:value"]' }, { press: 'Tab' }]);
    assert.equal(await focused(frame, remove(2)), 1, 'Tab from the second row\'s value: its Remove');
    await ui(frame, [{ press: 'Enter' }]);
    await waitFor('two rows', async () => (await rows()) === 2, 5000);
    assert.equal(await focused(frame, remove(2)), 1, 'the focus on the next row\'s Remove (now the second)');
    await ui(frame, [{ press: 'Space' }]);
    await waitFor('one row', async () => (await rows()) === 1, 5000);
    assert.equal(await focused(frame, remove(1)), 1, 'the last row removed: the focus on the previous row\'s Remove');
    await ui(frame, [{ press: 'Enter' }]);
    await waitFor('no row', async () => (await rows()) === 0, 5000);
    assert.equal(await focused(frame, '.kv-add vscode-button'), 1, 'no row left: the focus on Add');
    await ui(frame, [{ press: 'Enter' }]);
    await waitFor('a new row', async () => (await rows()) === 1, 5000);
    assert.equal(await focused(frame, '.kv-row:nth-child(1) [data-key="headers:0:name"]'), 1, 'Add with Enter: the new row\'s name');
  });

  it('the environment editor: a variable\'s Delete pressed with Enter gives the focus to the next row\'s', async () => {
    const c = api.store.collections.find((x) => x.path === inWorkspace('v5', 'everything.yaml'));
    assert.ok(c, 'the v5 collection');
    await kept.keep(c.path);
    await openSubEnvironment(api, c, 'env_576b47fd1dd34ae9958b41535beb6061');
    const frame = { selector: '.env-list' };
    // two variables to delete the first of
    await ui(frame, [{ click: '#add-variable' }, { type: 'first_x', delayMs: 20 }, { click: '#add-variable' }, { type: 'second_x', delayMs: 20 }]);
    const count = ((await ui(frame, [{ attribute: '.var-row', name: 'class' }]))[0] as unknown[]).length;
    assert.ok(count >= 3, `rows: ${count}`);
    await ui(frame, [{ click: `[data-key="var:${count - 2}:name"]` }]);
    // Tab on to the row's Delete
    for (let i = 0; i < 6 && (await focused(frame, `[data-delete="${count - 2}"]`)) === 0; i++) await ui(frame, [{ press: 'Tab' }]);
    assert.equal(await focused(frame, `[data-delete="${count - 2}"]`), 1, 'Tab from the name: its Delete');
    await ui(frame, [{ press: 'Enter' }]);
    await waitFor('a row fewer', async () => ((await ui(frame, [{ attribute: '.var-row', name: 'class' }]))[0] as unknown[]).length === count - 1, 5000);
    assert.equal(await focused(frame, `[data-delete="${count - 2}"]`), 1, 'the focus on the next row\'s Delete');
    // the last row's Delete, again and again: the previous row's Delete, then Add Variable when none is left
    for (let left = count - 1; left > 0; left--) {
      await ui(frame, [{ press: 'Enter' }]);
      await waitFor('a row fewer', async () => ((await ui(frame, [{ attribute: '.var-row', name: 'class' }]))[0] as unknown[]).length === left - 1, 5000);
      if (left > 1) assert.equal(await focused(frame, `[data-delete="${left - 2}"]`), 1, 'the focus on the previous row\'s Delete');
    }
    assert.equal(await focused(frame, '#add-variable'), 1, 'no row left: the focus on Add Variable');
  });

  it('the environment editor: an environment chosen in the list with Enter keeps the focus on its entry', async () => {
    const c = api.store.collections.find((x) => x.path === inWorkspace('v5', 'everything.yaml'));
    assert.ok(c, 'the v5 collection');
    await kept.keep(c.path);
    await openSubEnvironment(api, c, 'env_576b47fd1dd34ae9958b41535beb6061');
    const frame = { selector: '.env-list' };
    // the entry after the selected one (or before it), chosen with Enter
    const ids = (await ui(frame, [{ attribute: '.env-item', name: 'data-env' }]))[0] as string[];
    const at = ids.indexOf('env_576b47fd1dd34ae9958b41535beb6061');
    assert.ok(at >= 0 && ids.length > 1, `entries: ${ids.join(', ')}`);
    // the next entry (Tab), or the one before (Shift+Tab)
    const [other, step] = at + 1 < ids.length ? [ids[at + 1], 'Tab'] : [ids[at - 1], 'Shift+Tab'];
    await ui(frame, [{ click: '.env-item.selected' }]);
    await waitFor('the focus on the selected entry', async () => (await focused(frame, '.env-item.selected')) === 1, 3000);
    await ui(frame, [{ press: step }]);
    assert.equal(await focused(frame, `[data-env="${other}"]`), 1, `${step} to another environment`);
    await ui(frame, [{ press: 'Enter' }]);
    await waitFor('that environment shown', async () => ((await ui(frame, [{ attribute: `.env-item.selected[data-env="${other}"]`, name: 'class' }]))[0] as unknown[]).length === 1, 8000);
    assert.equal(await focused(frame, `[data-env="${other}"]`), 1, 'the focus stays on its entry');
  });

  it('the environment editor: Use This Environment pressed with Enter gives the focus to the next control (the button goes), a colour chosen with Enter keeps it on its swatch', async () => {
    const c = api.store.collections.find((x) => x.path === inWorkspace('v5', 'everything.yaml'));
    assert.ok(c, 'the v5 collection');
    await kept.keep(c.path);
    const active = api.activeEnvironments.get(c.id);
    try {
      await openSubEnvironment(api, c, 'env_576b47fd1dd34ae9958b41535beb6061');
      const frame = { selector: '.env-list' };
      const swatches = (await ui(frame, [{ attribute: '.colors .swatch', name: 'title' }]))[0] as string[];
      assert.ok(swatches.length > 2, `swatches: ${swatches.join(', ')}`);
      // the mouse on the first swatch, then Tab to the next and Enter: its colour chosen, the page drawn again
      await ui(frame, [{ click: '.colors .swatch:nth-child(1)' }, { press: 'Tab' }]);
      assert.equal(await focused(frame, '.colors .swatch:nth-child(2)'), 1, 'Tab: the second swatch');
      await ui(frame, [{ press: 'Enter' }]);
      await waitFor('the second swatch chosen', async () => ((await ui(frame, [{ attribute: '.colors .swatch.chosen:nth-child(2)', name: 'class' }]))[0] as unknown[]).length === 1, 5000);
      assert.equal(await focused(frame, '.colors .swatch:nth-child(2)'), 1, 'the focus on the chosen swatch');
      if (((await ui(frame, [{ attribute: '#activate', name: 'id' }]))[0] as unknown[]).length === 1) {
        await ui(frame, [{ click: '#env-name' }, { press: 'Tab' }]);
        assert.equal(await focused(frame, '#activate'), 1, 'Tab from the name: Use This Environment');
        await ui(frame, [{ press: 'Enter' }]);
        await waitFor('the environment active', () => api.activeEnvironments.get(c.id) === 'env_576b47fd1dd34ae9958b41535beb6061', 5000);
        await waitFor('the button gone', async () => ((await ui(frame, [{ attribute: '#activate', name: 'id' }]))[0] as unknown[]).length === 0, 5000);
        assert.equal(await focused(frame, '.actions .icon-button[title="Duplicate"]'), 1, 'the focus on the next control: Duplicate');
      } else assert.fail('the environment is active already: no Use This Environment button');
    } finally {
      await api.activeEnvironments.set(c.id, active);
    }
  });

  it('the environment editor: + Environment pressed with Enter shows the new environment with the focus in its name, selected (typing names it)', async () => {
    const c = api.store.collections.find((x) => x.path === inWorkspace('v5', 'everything.yaml'));
    assert.ok(c, 'the v5 collection');
    await kept.keep(c.path);
    await openSubEnvironment(api, c, 'env_576b47fd1dd34ae9958b41535beb6061');
    const frame = { selector: '.env-list' };
    const ids = async () => (await ui(frame, [{ attribute: '.env-item', name: 'data-env' }]))[0] as string[];
    const before = await ids();
    await ui(frame, [{ click: '.env-item.selected' }]);
    for (let i = 0; i < before.length + 2 && (await focused(frame, '#new-env')) === 0; i++) await ui(frame, [{ press: 'Tab' }]);
    assert.equal(await focused(frame, '#new-env'), 1, 'Tab on to + Environment');
    await ui(frame, [{ press: 'Enter' }]);
    await waitFor('the new environment shown', async () => {
      const now = await ids();
      const made = now.find((id) => !before.includes(id));
      return made !== undefined && ((await ui(frame, [{ attribute: `.env-item.selected[data-env="${made}"]`, name: 'class' }]))[0] as unknown[]).length === 1;
    }, 8000);
    await waitFor('the focus in the name', async () => (await focused(frame, '#env-name')) === 1, 3000);
    await ui(frame, [{ type: 'Focus Named', delayMs: 20 }]);
    await waitFor('the name typed over', async () => (await ui(frame, [{ value: '#env-name' }]))[0] === 'Focus Named', 3000);
  });

  it('the request editor\'s environment picker: an environment chosen with the keys keeps the focus on the picker drawn again', async () => {
    const { collection, request } = requestNamed(api, 'login', 'v5', 'everything.yaml');
    const active = api.activeEnvironments.get(collection.id);
    await api.activeEnvironments.set(collection.id, 'env_576b47fd1dd34ae9958b41535beb6061');
    try {
      const { frame } = await openRequestEditor(api, collection, request, kept.files);
      await waitFor('the picker', async () => ((await ui(frame, [{ attribute: '#environment', name: 'id' }]))[0] as unknown[]).length === 1, 5000);
      // the list focused (a click opens it, Escape closes it); Home picks the base environment at once
      await ui(frame, [{ click: '#environment' }, { press: 'Escape' }]);
      assert.equal(await focused(frame, '#environment'), 1, 'the picker has the focus');
      await ui(frame, [{ press: 'Home' }]);
      await waitFor('the base environment active', () => api.activeEnvironments.get(collection.id) === undefined, 5000);
      await waitFor('the focus on the picker drawn again', async () => (await focused(frame, '#environment')) === 1, 3000);
    } finally {
      await api.activeEnvironments.set(collection.id, active);
    }
  });

  it('the response viewer: a response that comes while a button of the viewer has the focus leaves it on that button', async () => {
    const { editor, state } = await open('Update a transaction');
    const gate = new Promise<void>((r) => held.push(r));
    const hold = await holdingServer(gate);
    try {
      for (const go of held.splice(0)) go();
      await editor.receive({ type: 'edit', seq: 2_000_000, fields: { url: `${hold.base}/viewer`, method: 'GET', body: {}, headers: [], authentication: {} } });
      assert.equal(await vscode.commands.executeCommand<number>('hammock.sendRequest', state), 200);
      const frame = { selector: '.summary' };
      const viewer = api.requestPanels.viewer;
      // a click on the request line gives the viewer's page the focus; Tab on to Copy as cURL
      await ui(frame, [{ click: '.request' }, { press: 'Tab' }, { press: 'Tab' }, { press: 'Tab' }]);
      assert.equal(await focused(frame, '.actions vscode-button:nth-child(3)'), 1, 'Tab: Copy as cURL');
      const seen = viewer.lastPosted?.history.length ?? 0;
      assert.equal(await vscode.commands.executeCommand<number>('hammock.sendRequest', state), 200);
      await waitFor('the new response on the page', () => (viewer.lastPosted?.history.length ?? 0) > seen, 5000);
      await waitFor('the history list drawn', async () => ((await ui(frame, [{ attribute: '.summary .history', name: 'class' }]))[0] as unknown[]).length === 1, 5000);
      assert.equal(await focused(frame, '.actions vscode-button:nth-child(3)'), 1, 'the focus still on Copy as cURL');
    } finally {
      await hold.close();
    }
  });
});

/** A loopback server that answers once `gate` is let go; counts what it received. */
async function holdingServer(gate: Promise<void>) {
  let n = 0;
  const server = http.createServer((req, res) => {
    n++;
    req.resume();
    void gate.then(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    count: () => n,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
