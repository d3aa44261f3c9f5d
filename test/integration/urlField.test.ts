// The request editor's URL field as a person uses it: the real page in the workbench, keys typed at human speed,
// selections made with the keyboard, then what the field shows, what the file holds (`git diff` of it: only the lines
// of the fields changed) and whether Insomnia's reader takes it (the conformance check).
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkLegacyFolder } from '../../src/collections/formats/conformance';
import type { Collection, HttpRequest } from '../../src/collections/model';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { activateHammock, lineDiff, ui, waitFor, type UiStep } from './helpers';

describe('The URL field through the real page', () => {
  let api: HammockApi;
  const restore: { file: string; text: string }[] = [];
  const restoreActive: (() => Thenable<void> | Promise<void>)[] = [];

  before(async () => {
    api = await activateHammock();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const { file, text } of restore.reverse()) await fsp.writeFile(file, text);
    await api.store.refreshPaths(restore.map((r) => r.file));
    for (const undo of restoreActive.reverse()) await undo();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const requestNamed = (name: string): { collection: Collection; request: HttpRequest } => {
    for (const collection of api.store.collections) {
      if (collection.format !== 'legacy') continue;
      for (const item of walkItems(collection.children)) if (item.kind === 'request' && item.name === name) return { collection, request: item };
    }
    assert.fail(`no request "${name}"`);
  };

  const withoutModified = (text: string) => text.replace(/^modified: \d+$/m, '');

  /**
   * Gives the request `name` the url and the parameter rows (YAML lines below `parameters:`), opens its editor and
   * waits for the page. Returns the file, its text before the test's edits and the page's frame.
   */
  const openWith = async (name: string, url: string, rows: readonly string[]) => {
    const { collection, request } = requestNamed(name);
    const file = request.source.file;
    const pristine = await fsp.readFile(file, 'utf8');
    restore.push({ file, text: pristine });
    const sub = collection.baseEnvironment?.subEnvironments.find((e) => 'apikey' in e.data);
    assert.ok(sub, 'a sub-environment that defines apikey');
    const before = api.activeEnvironments.get(collection.id);
    await api.activeEnvironments.set(collection.id, sub.id);
    restoreActive.push(() => api.activeEnvironments.set(collection.id, before));
    const start = pristine
      .replace(/^url: .*$/m, `url: ${url}`)
      .replace(/^parameters:.*\n((?: {2}.*\n)*)/m, rows.length ? `parameters:\n${rows.join('\n')}\n` : 'parameters: []\n');
    await fsp.writeFile(file, start);
    await api.store.refreshPaths([file]);
    const state = { collectionPath: collection.path, requestId: request.id };
    await vscode.commands.executeCommand('hammock.openRequest', state);
    const editor = api.requestPanels.editor(state);
    assert.ok(editor);
    await waitFor('the page to load', () => editor.uiReady, 45_000);
    const frame = { selector: 'header .name', text: name };
    const pending = () => editor.lastState;
    return { file, start, frame, state, editor, pending, dir: path.dirname(path.dirname(file)) };
  };

  /** The lines the file gained and lost since `start` (its `modified:` stamp aside). */
  const changedLines = async (file: string, start: string) => lineDiff(withoutModified(start), withoutModified(await fsp.readFile(file, 'utf8')));

  /** Steps that select `count` characters ending `fromEnd` characters before the end of the focused field. */
  const selectBeforeEnd = (fromEnd: number, count: number): UiStep[] => [
    { press: 'End' },
    ...Array.from({ length: fromEnd }, () => ({ press: 'ArrowLeft' })),
    ...Array.from({ length: count }, () => ({ press: 'Shift+ArrowLeft' })),
  ];

  const insomniaReads = (dir: string) => assert.deepEqual(checkLegacyFolder(dir).map((i) => `${i.file}: ${i.message}`), [], "Insomnia's reader takes the folder");

  it('a parameter typed with an empty value (`&c=`) keeps its `=` in the field after the focus leaves; the file holds the row as Insomnia does', async () => {
    const { file, start, frame, dir } = await openWith('List all transactions', 'http://127.0.0.1:9/pets', ['  - name: status', '    value: available']);
    // typed, then the focus goes elsewhere at once (the Params tab), before the host's echo of the save arrives
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '&c=', delayMs: 40, jitterMs: 40 }, { click: '.tab' }]);
    await waitFor('the row c in the file', async () => /- name: c\n\s+value: ""\n/.test(await fsp.readFile(file, 'utf8')), 8000);
    await ui(frame, [{ wait: 1500 }]);
    const [shown] = await ui(frame, [{ value: '#url' }, { screenshot: 'url-field-empty-value' }]);
    assert.equal(shown, 'http://127.0.0.1:9/pets?status=available&c=', 'the field shows what was typed');
    // Send (the page is drawn again for it, the field not focused)
    await ui(frame, [{ click: '#send' }, { wait: 1500 }]);
    const [sent] = await ui(frame, [{ value: '#url' }]);
    assert.equal(sent, 'http://127.0.0.1:9/pets?status=available&c=', 'the field shows what was typed after Send');
    const { removed, added } = await changedLines(file, start);
    assert.deepEqual(removed, []);
    assert.ok(added.some((l) => /name: c$/.test(l)) && added.some((l) => /value: ""$/.test(l)), `the new row's lines: ${JSON.stringify(added)}`);
    assert.ok(added.every((l) => /^\s+(- )?(name: c|value: ""|id: pair_\w+)$/.test(l)), `only the new row's lines: ${JSON.stringify(added)}`);
    insomniaReads(dir);
  });

  it('selecting the query`s first part (`?status=available`) and deleting it removes that row only; the next one stays a row', async () => {
    const { file, start, frame, state, dir } = await openWith('Cancel a transaction', 'http://127.0.0.1:9/pets', [
      '  - id: pair_u1',
      '    name: status',
      '    value: available',
      '  - id: pair_u2',
      '    name: limit',
      '    value: "5"',
    ]);
    const [before] = await ui(frame, [{ value: '#url' }]);
    assert.equal(before, 'http://127.0.0.1:9/pets?status=available&limit=5');
    await ui(frame, [{ click: '#url' }, ...selectBeforeEnd('&limit=5'.length, '?status=available'.length), { press: 'Backspace' }]);
    await waitFor('the row status to leave the file', async () => !(await fsp.readFile(file, 'utf8')).includes('pair_u1'), 8000);
    await ui(frame, [{ click: '.tab' }, { wait: 1500 }]);
    const located = api.store.locate(state.collectionPath, state.requestId);
    assert.ok(located?.kind === 'item' && located.item.kind === 'request');
    assert.equal(located.item.url, 'http://127.0.0.1:9/pets', 'the url did not take the next parameter');
    assert.deepEqual(located.item.parameters.map((p) => [p.id, p.name, p.value]), [['pair_u2', 'limit', '5']]);
    const { removed, added } = await changedLines(file, start);
    assert.deepEqual(added, []);
    assert.deepEqual(removed.map((l) => l.trim()).sort(), ['- id: pair_u1', 'name: status', 'value: available'].sort());
    const [shown] = await ui(frame, [{ value: '#url' }, { screenshot: 'url-field-first-part-deleted' }]);
    assert.match(String(shown), /^http:\/\/127\.0\.0\.1:9\/pets[?&]limit=5$/);
    insomniaReads(dir);
  });

  it("deleting the url's own query part (`?status=available`, stored in the url) leaves the parameter after it a row", async () => {
    const { file, start, frame, state, dir } = await openWith('Update a transaction', 'http://127.0.0.1:9/pets?status=available', ['  - id: pair_u3', '    name: limit', '    value: "5"']);
    const [before] = await ui(frame, [{ value: '#url' }]);
    assert.equal(before, 'http://127.0.0.1:9/pets?status=available&limit=5');
    await ui(frame, [{ click: '#url' }, ...selectBeforeEnd('&limit=5'.length, '?status=available'.length), { press: 'Backspace' }]);
    await waitFor('the url to lose its query', async () => /^url: http:\/\/127\.0\.0\.1:9\/pets\S*$/m.exec(await fsp.readFile(file, 'utf8'))?.[0] !== 'url: http://127.0.0.1:9/pets?status=available', 8000);
    await ui(frame, [{ click: '.tab' }, { wait: 1500 }]);
    const located = api.store.locate(state.collectionPath, state.requestId);
    assert.ok(located?.kind === 'item' && located.item.kind === 'request');
    assert.equal(located.item.url, 'http://127.0.0.1:9/pets');
    assert.deepEqual(located.item.parameters.map((p) => [p.id, p.name, p.value]), [['pair_u3', 'limit', '5']]);
    const { removed, added } = await changedLines(file, start);
    assert.deepEqual({ removed, added }, { removed: ['url: http://127.0.0.1:9/pets?status=available'], added: ['url: http://127.0.0.1:9/pets'] });
    insomniaReads(dir);
  });
});
