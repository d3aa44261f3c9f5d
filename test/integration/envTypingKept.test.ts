// A hunt for keys lost in the environment editor, typed into the real page at a person's speed (20-80 ms a key):
// a value typed, the tab left for another editor (a text file, a request editor) while the save's debounce or the
// write is in flight, and back; more typed; Ctrl+A and typed over; pasted; undone; another sub-environment chosen in
// the list mid-typing; and the window reloaded right after typing (VS Code deactivates the extension and brings the
// tab back through the panel serializer); and typing that cannot be saved yet (JSON half-typed, in a row or in the JSON
// tab) across a tab switch or another environment chosen. After each step the file holds exactly what was typed, and
// the page what the file holds: in a v5 collection's sub-environment, a legacy .insomnia one, and a private one.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as YAML from 'yaml';
import type { Collection } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import type { EnvironmentEditorPanel } from '../../src/webviews/environmentPanels';
import { activateHammock, EXTENSION_ID, inWorkspace, KeptFiles, lineDiff, openSubEnvironment, requestNamed, ui, waitFor } from './helpers';

const V5_SUB = 'env_576b47fd1dd34ae9958b41535beb6061'; // everything.yaml's "New Environment": base_url
const LEGACY_SUB = 'env_038c957f9f1749c8bc57927d9655f4b4'; // "OpenAPI env localhost:3000": scheme, base_path, host, ...
const LEGACY_OTHER = 'env_1932d37308734a58b8355c5ca5e95b9d'; // the same name and values as LEGACY_SUB

describe('Keys typed into the environment editor are kept: tab switches, the list, a reload', function () {
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

  const v5 = (): Collection => {
    const c = api.store.collections.find((x) => x.path === inWorkspace('v5', 'everything.yaml'));
    assert.ok(c, 'the v5 collection');
    return c;
  };
  const legacy = (): Collection => {
    const c = api.store.collections.find((x) => x.path === inWorkspace('.insomnia'));
    assert.ok(c, 'the legacy collection');
    return c;
  };
  const legacyFile = (id: string) => path.join(inWorkspace('.insomnia'), 'Environment', `${id}.yml`);

  /** The variable `name` of the environment `id` as its file on disk holds it now (v5: the collection file). */
  const onDisk = async (c: Collection, id: string, name: string): Promise<unknown> => {
    if (c.format === 'v5') {
      const doc = YAML.parse(await fsp.readFile(c.path, 'utf8')) as { environments: { subEnvironments: { meta: { id: string }; data: Record<string, unknown> }[] } };
      return doc.environments.subEnvironments.find((e) => e.meta.id === id)?.data[name];
    }
    const doc = YAML.parse(await fsp.readFile(legacyFile(id), 'utf8')) as { data: Record<string, unknown> };
    return doc.data[name];
  };

  const FRAME = { selector: '.env-list' };
  const field = (i: number) => `[data-key="var:${i}:value"]`;
  const shown = async (i: number) => (await ui(FRAME, [{ value: field(i) }]))[0];

  /** Written, and the file, the host's model and the page agree on `expected`. */
  const settled = async (editor: EnvironmentEditorPanel, c: Collection, id: string, name: string, i: number, expected: string) => {
    await waitFor(`the typing written (${JSON.stringify(await onDisk(c, id, name))})`, async () => !editor.busy && (await onDisk(c, id, name)) === expected, 10_000);
    assert.equal(await onDisk(c, id, name), expected, 'the file holds exactly what was typed');
    await waitFor(`the page shows what the file holds (${JSON.stringify(await shown(i))})`, async () => (await shown(i)) === expected, 10_000);
  };

  /** Leaves the environment editor for another tab, and comes back once the page was dropped; waits for the new page. */
  const away = async (editor: EnvironmentEditorPanel, to: () => Thenable<unknown>) => {
    await to();
    await waitFor('the environment editor hidden', () => !editor.panel.visible, 5000);
  };
  const back = async (editor: EnvironmentEditorPanel) => {
    editor.panel.reveal();
    await waitFor('the environment editor page again', () => editor.uiReady, 45_000);
  };

  it('v5: typed, away to a text file and a request editor in the debounce and in the write, back, more typed, typed over, pasted, undone', async () => {
    const c = v5();
    await kept.keep(c.path);
    const before = await fsp.readFile(c.path, 'utf8');
    const { request } = requestNamed(api, 'login', 'v5', 'everything.yaml');
    const editor = await openSubEnvironment(api, c, V5_SUB);
    const name = 'base_url';
    const i = editor.lastState!.current.variables.findIndex(([n]) => n === name);
    const start = String(await onDisk(c, V5_SUB, name));
    assert.equal(await shown(i), start);

    // typed, and away to a text file at once (the last keys in the debounce)
    await ui(FRAME, [{ click: field(i) }, { press: 'End' }, { type: '/api', delayMs: 20, jitterMs: 60 }]);
    let expected = `${start}/api`;
    await waitFor('the host to hold the last key', () => editor.unsaved?.fields.variables?.find(([n]) => n === name)?.[1] === expected || !editor.busy, 5000);
    const text = await vscode.workspace.openTextDocument(inWorkspace('README.md')).then(undefined, () => vscode.workspace.openTextDocument({ content: 'notes' }));
    await away(editor, () => vscode.window.showTextDocument(text, { preview: false }));
    await back(editor);
    await settled(editor, c, V5_SUB, name, i, expected);

    // more typed, and away to a request editor while it is written
    await ui(FRAME, [{ click: field(i) }, { press: 'End' }, { type: '/v2', delayMs: 20, jitterMs: 60 }]);
    expected += '/v2';
    await waitFor('the debounce over: the write under way or done', () => editor.unsaved === undefined, 5000);
    await away(editor, () => vscode.commands.executeCommand('hammock.openRequest', { collectionPath: c.path, requestId: request.id }));
    await back(editor);
    await settled(editor, c, V5_SUB, name, i, expected);

    // typed over (Ctrl+A), away in the debounce, back and typed on at once
    await ui(FRAME, [{ click: field(i) }, { press: 'Control+a' }, { type: 'api.example.org', delayMs: 20, jitterMs: 60 }]);
    await away(editor, () => vscode.window.showTextDocument(text, { preview: false }));
    await back(editor);
    await waitFor('the page shows the typing', async () => (await shown(i)) === 'api.example.org', 10_000);
    await ui(FRAME, [{ click: field(i) }, { press: 'End' }, { type: ':8443', delayMs: 20, jitterMs: 60 }]);
    expected = 'api.example.org:8443';
    await settled(editor, c, V5_SUB, name, i, expected);

    // pasted at the start, then undone
    await ui(FRAME, [{ clipboard: 'https://' }, { click: field(i) }, { press: 'Home' }, { press: 'Control+v' }]);
    await settled(editor, c, V5_SUB, name, i, `https://${expected}`);
    await ui(FRAME, [{ click: field(i) }, { press: 'Control+z' }]);
    await settled(editor, c, V5_SUB, name, i, expected);
    // (git diff: the value's line and the environment's `modified`, nothing else)
    const { removed, added } = lineDiff(before, await fsp.readFile(c.path, 'utf8'));
    assert.deepEqual(removed.map((l) => l.trim().split(':')[0]).sort(), ['base_url', 'modified'], `removed: ${JSON.stringify(removed)}`);
    assert.deepEqual(added.map((l) => l.trim()).sort(), [`base_url: ${expected}`, added.find((l) => l.trim().startsWith('modified:'))!.trim()].sort(), `added: ${JSON.stringify(added)}`);
  });

  it('legacy: another sub-environment chosen in the list mid-typing; typed in it; back to the first: each file holds its own typing', async () => {
    const c = legacy();
    await kept.keep(legacyFile(LEGACY_SUB), legacyFile(LEGACY_OTHER));
    const editor = await openSubEnvironment(api, c, LEGACY_SUB);
    const name = 'host';
    const i = editor.lastState!.current.variables.findIndex(([n]) => n === name);
    const start = String(await onDisk(c, LEGACY_SUB, name));
    const other = String(await onDisk(c, LEGACY_OTHER, name));
    await ui(FRAME, [{ click: field(i) }, { press: 'End' }, { type: '-one', delayMs: 20, jitterMs: 60 }, { click: `[data-env="${LEGACY_OTHER}"]` }]);
    await waitFor('the other environment shown', () => editor.state.environmentId === LEGACY_OTHER && editor.lastState?.current.id === LEGACY_OTHER, 10_000);
    await settled(editor, c, LEGACY_OTHER, name, i, other);
    assert.equal(await onDisk(c, LEGACY_SUB, name), `${start}-one`, 'the first environment holds what was typed in it');
    await ui(FRAME, [{ click: field(i) }, { press: 'End' }, { type: '-two', delayMs: 20, jitterMs: 60 }, { click: `[data-env="${LEGACY_SUB}"]` }]);
    await waitFor('the first environment shown again', () => editor.lastState?.current.id === LEGACY_SUB, 10_000);
    await settled(editor, c, LEGACY_SUB, name, i, `${start}-one`);
    assert.equal(await onDisk(c, LEGACY_OTHER, name), `${other}-two`, 'the other environment holds what was typed in it');
  });

  for (const format of ['legacy', 'v5'] as const) {
    it(`${format}: typed, and the window reloaded at once: what VS Code waits for on the way out writes every key; the tab brought back shows it`, async () => {
      const c = format === 'v5' ? v5() : legacy();
      const id = format === 'v5' ? V5_SUB : LEGACY_SUB;
      await kept.keep(format === 'v5' ? c.path : legacyFile(id));
      const editor = await openSubEnvironment(api, c, id);
      const name = format === 'v5' ? 'base_url' : 'base_path';
      const i = editor.lastState!.current.variables.findIndex(([n]) => n === name);
      const start = String(await onDisk(c, id, name));
      const expected = `${start}/reload`;
      await ui(FRAME, [{ click: field(i) }, { press: 'End' }, { type: '/reload', delayMs: 20, jitterMs: 60 }]);
      await waitFor('the host to hold the last key, in the debounce', () => editor.unsaved?.fields.variables?.find(([n]) => n === name)?.[1] === expected, 5000);
      // Developer: Reload Window: the extension host cuts the VS Code API off, deactivates Hammock, waits (up to 5 s)
      // for what `deactivate` returns, then ends: nothing after that is written (the debounce's timer never fires)
      const main = vscode.extensions.getExtension(EXTENSION_ID)!;
      const module = require(path.join(main.extensionPath, 'dist', 'extension.js')) as { deactivate(): unknown };
      await module.deactivate();
      assert.equal(await onDisk(c, id, name), expected, 'every key typed is in the file once deactivate is done');
      // (a new extension host: SecretStorage can be written again)
      await api.reopened();
      // the tab back as VS Code's serializer brings it after the reload
      const state = { collectionPath: c.path, collectionId: c.id, environmentId: id };
      editor.panel.dispose();
      await waitFor('the editor closed', () => !api.environmentPanels.editor(state), 5000);
      const panel = vscode.window.createWebviewPanel('hammock.environmentEditor', `Environments · ${c.name}`, vscode.ViewColumn.One);
      const restored = await api.environmentPanels.restore(panel, state);
      assert.ok(restored);
      await waitFor('the page', () => restored.uiReady, 45_000);
      await settled(restored, c, id, name, i, expected);
    });
  }

  it('legacy: JSON typed half-way (it cannot be saved yet), away to copy from a text file, back: the half-typed JSON is still there, and finished it is saved', async () => {
    const c = legacy();
    await kept.keep(legacyFile(LEGACY_SUB));
    const editor = await openSubEnvironment(api, c, LEGACY_SUB);
    const n = editor.lastState!.current.variables.length;
    // a new variable, typed as JSON
    await ui(FRAME, [{ click: '#add-variable' }, { type: 'retry_cfg', delayMs: 20, jitterMs: 60 }]);
    await ui(FRAME, [{ click: `.var-row[data-row="${n}"] vscode-single-select` }, { click: `.var-row[data-row="${n}"] vscode-single-select li.option:text-is("JSON")` }]);
    await waitFor('the JSON variable written', async () => !editor.busy && (await onDisk(c, LEGACY_SUB, 'retry_cfg')) !== undefined, 10_000);
    const half = '{"max": 3, "backoff": ';
    await ui(FRAME, [{ click: field(n) }, { press: 'Control+a' }, { type: half, delayMs: 20, jitterMs: 60 }]);
    const [status] = await ui(FRAME, [{ text: '#status' }]);
    assert.match(String(status), /is not valid JSON/, 'the page says why it is not saved yet');
    const text = await vscode.workspace.openTextDocument({ content: 'backoff: 2' });
    await away(editor, () => vscode.window.showTextDocument(text, { preview: false }));
    await back(editor);
    await waitFor(`the half-typed JSON on the page again (${JSON.stringify(await shown(n))})`, async () => (await shown(n)) === half, 10_000);
    const [again] = await ui(FRAME, [{ text: '#status' }]);
    assert.match(String(again), /is not valid JSON/, 'and why it is not saved yet');
    await ui(FRAME, [{ click: field(n) }, { press: 'End' }, { type: '2}', delayMs: 20, jitterMs: 60 }]);
    await waitFor(`the JSON written (${JSON.stringify(await onDisk(c, LEGACY_SUB, 'retry_cfg'))})`, async () => !editor.busy && JSON.stringify(await onDisk(c, LEGACY_SUB, 'retry_cfg')) === '{"max":3,"backoff":2}', 10_000);
    await waitFor('the page shows it', async () => (await shown(n)) === `${half}2}`, 10_000);
  });

  it('v5: the JSON tab typed over half-way, the base environment chosen in the list, then this one again: the half-typed JSON is back, and finished it is saved', async () => {
    const c = v5();
    await kept.keep(c.path);
    const editor = await openSubEnvironment(api, c, V5_SUB);
    const base = c.baseEnvironment!.id;
    const half = '{\n  "base_url": "api.example.org",\n  "region": "eu';
    // (typed as in a code editor: Enter keeps the indentation, two spaces more after the brace)
    await ui(FRAME, [{ click: '.tab:text-is("JSON")' }, { click: '[data-key="json"]' }, { press: 'Control+a' }, { type: half.replace(/\n +/g, '\n'), delayMs: 20, jitterMs: 40 }]);
    await ui(FRAME, [{ click: `[data-env="${base}"]` }]);
    await waitFor('the base environment shown', () => editor.lastState?.current.id === base, 10_000);
    await waitFor('the page shows it', async () => String((await ui(FRAME, [{ attribute: '.env-item.selected', name: 'data-env' }]))[0]) === base, 10_000);
    assert.equal(await onDisk(c, V5_SUB, 'region'), undefined, 'nothing half-typed written');
    await ui(FRAME, [{ click: `[data-env="${V5_SUB}"]` }]);
    await waitFor('the sub-environment shown again', () => editor.lastState?.current.id === V5_SUB, 10_000);
    await waitFor('the half-typed JSON on the page again', async () => (await ui(FRAME, [{ value: '[data-key="json"]' }]))[0] === half, 10_000);
    await ui(FRAME, [{ click: '[data-key="json"]' }, { press: 'Control+End' }, { type: '"\n}', delayMs: 20, jitterMs: 40 }]);
    await waitFor('the JSON written', async () => !editor.busy && (await onDisk(c, V5_SUB, 'region')) === 'eu', 10_000);
    assert.equal(await onDisk(c, V5_SUB, 'base_url'), 'api.example.org');
  });

  it('a private environment: typed, away to a text file in the debounce, back, typed on: SecretStorage holds every key', async () => {
    const c = legacy();
    const editor = await openSubEnvironment(api, c, LEGACY_SUB);
    await editor.receive({ type: 'create', kind: 'private' });
    await waitFor('the new private environment shown', () => editor.lastState?.current.kind === 'private', 10_000);
    const id = editor.lastState!.current.id;
    try {
      const stored = () => api.localEnvironments.environments(c.id, c.baseEnvironment!.id).find((e) => e.id === id)?.data.token;
      await ui(FRAME, [{ click: '#add-variable' }, { type: 'token', delayMs: 20, jitterMs: 60 }, { click: field(0) }, { type: 'abc', delayMs: 20, jitterMs: 60 }]);
      const text = await vscode.workspace.openTextDocument({ content: 'notes' });
      await away(editor, () => vscode.window.showTextDocument(text, { preview: false }));
      await back(editor);
      await waitFor(`the typing stored (${JSON.stringify(stored())})`, () => !editor.busy && stored() === 'abc', 10_000);
      await waitFor('the page shows it', async () => (await shown(0)) === 'abc', 10_000);
      await ui(FRAME, [{ click: field(0) }, { press: 'End' }, { type: 'def', delayMs: 20, jitterMs: 60 }]);
      await waitFor(`the typing stored (${JSON.stringify(stored())})`, () => !editor.busy && stored() === 'abcdef', 10_000);
      await waitFor('the page shows it', async () => (await shown(0)) === 'abcdef', 10_000);
    } finally {
      await api.localEnvironments.deleteEnvironment(c.id, id);
    }
  });
});
