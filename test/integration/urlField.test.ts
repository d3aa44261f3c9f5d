// The request editor's URL field as a person uses it: the real page in the workbench, keys typed at human speed,
// selections made with the keyboard, then what the field shows, what the file holds (`git diff` of it: only the lines
// of the fields changed) and whether Insomnia's reader takes it (the conformance check).
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkLegacyFolder, checkV5Text } from '../../src/collections/formats/conformance';
import type { RequestFieldsPatch } from '../../src/collections/edits';
import type { Collection, HttpRequest } from '../../src/collections/model';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { activateHammock, KeptFiles, lineDiff, openRequestEditor, startLoopbackServer, ui, type UiStep, waitFor } from './helpers';

describe('The URL field through the real page', function () {
  // (keys typed one at a time at a person's speed, selections made key by key: longer than the suite's 20 s)
  this.timeout(60_000);
  let api: HammockApi;
  let server: Awaited<ReturnType<typeof startLoopbackServer>>;
  let base: string;
  const received: string[] = [];
  const kept = new KeptFiles(() => api);
  const restore = kept.files;
  const restoreActive: (() => Thenable<void> | Promise<void>)[] = [];

  before(async () => {
    api = await activateHammock();
    server = await startLoopbackServer((req) => received.push(req.url ?? ''));
    base = server.base;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await kept.restore();
    for (const undo of restoreActive.reverse()) await undo();
    await server.close();
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

  const rowsOf = (state: { collectionPath: string; requestId: string }) => {
    const located = api.store.locate(state.collectionPath, state.requestId);
    assert.ok(located?.kind === 'item' && located.item.kind === 'request');
    return { url: located.item.url, rows: located.item.parameters.map((p) => [p.name, p.value, p.disabled === true] as const) };
  };

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
    assert.equal(shown, 'http://127.0.0.1:9/pets?limit=5', 'the focus gone, the field shows the query as it shows one');
    insomniaReads(dir);
    // the field focused again and a key typed at its end: limit stays a row (its value 50), the url as it is
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '0', delayMs: 40 }]);
    await waitFor('limit=50 in the store', () => JSON.stringify(rowsOf(state)) === JSON.stringify({ url: 'http://127.0.0.1:9/pets', rows: [['limit', '50', false]] }), 8000);
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
  // ---------- the walkthrough: each step, then the file's diff (only the changed fields' lines) and Insomnia's reader

  const twoRows = ['  - id: pair_w1', '    name: status', '    value: available', '  - id: pair_w2', '    name: limit', '    value: "5"'];

  /**
   * Waits for the store to hold the parameter rows `rows` and the file the edit; then the file lost the lines `lines.removed`
   * and gained `lines.added` (new rows' ids aside), no other, and Insomnia's reader takes the folder.
   */
  const expectEdit = async (opened: { state: { collectionPath: string; requestId: string }; file: string; start: string; dir: string }, rows: readonly (readonly [string, string, boolean])[], lines: { removed: string[]; added: string[] }) => {
    await waitFor('the edits in the store', () => JSON.stringify(rowsOf(opened.state).rows) === JSON.stringify(rows), 8000);
    const diff = async () => {
      const { removed, added } = await changedLines(opened.file, opened.start);
      return { removed: removed.sort(), added: added.filter((l) => !/^\s+(- )?id: pair_\w+$/.test(l)).sort() };
    };
    const want = { removed: [...lines.removed].sort(), added: [...lines.added].sort() };
    await waitFor('the edits in the file', async () => JSON.stringify(await diff()) === JSON.stringify(want), 8000).catch(() => undefined);
    assert.deepEqual(await diff(), want, "the file changed the edited fields' lines only");
    insomniaReads(opened.dir);
  };

  it('a row typed at 20-80 ms a key, then a value selected and typed over: the file gains that row and changes that value only', async () => {
    const opened = await openWith('Get specific transactions', 'http://127.0.0.1:9/pets', twoRows);
    const { frame } = opened;
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '&page=2', delayMs: 20, jitterMs: 60 }]);
    await ui(frame, [...selectBeforeEnd('&limit=5&page=2'.length, 'available'.length), { type: 'sold', delayMs: 20, jitterMs: 60 }]);
    const [shown] = await ui(frame, [{ value: '#url' }]);
    assert.equal(shown, 'http://127.0.0.1:9/pets?status=sold&limit=5&page=2');
    await expectEdit(opened, [['status', 'sold', false], ['limit', '5', false], ['page', '2', false]], { removed: ['    value: available'], added: ['    value: sold', '  - name: page', '    value: "2"'] });
  });

  it('a whole URL with a query pasted over the field, then Ctrl+Z: the rows follow the paste, and Undo gives the file back as it was', async () => {
    const { file, start, frame, state, dir } = await openWith('Get specific transactions', 'http://127.0.0.1:9/pets', twoRows);
    const [before] = await ui(frame, [{ value: '#url' }]);
    await ui(frame, [{ clipboard: 'http://127.0.0.1:9/store/order?id=7&note=a%20b+c' }, { click: '#url' }, { press: 'Control+a' }, { press: 'Control+v' }]);
    await waitFor('the pasted url in the store', () => rowsOf(state).url === 'http://127.0.0.1:9/store/order', 8000);
    assert.deepEqual(rowsOf(state).rows, [['id', '7', false], ['note', 'a%20b+c', false]]);
    await waitFor('the paste in the file', async () => (await fsp.readFile(file, 'utf8')).includes('url: http://127.0.0.1:9/store/order\n'), 8000);
    insomniaReads(dir);
    let shown: unknown;
    for (let i = 0; i < 4 && shown !== before; i++) [shown] = (await ui(frame, [{ press: 'Control+z' }, { wait: 100 }, { value: '#url' }])).slice(2);
    assert.equal(shown, before, 'Undo put the field back');
    await waitFor('the file as it was', async () => withoutModified(await fsp.readFile(file, 'utf8')) === withoutModified(start), 8000);
  });

  it('typed in the URL field, then the page drawn again for a change made elsewhere: Ctrl+Z still undoes the typing; so in a header value', async () => {
    const { frame, state } = await openWith('Get specific transactions', 'http://127.0.0.1:9/pets', twoRows);
    const elsewhere = (fields: RequestFieldsPatch) => {
      const { collection } = requestNamed('Get specific transactions');
      return api.store.apply(collection, { kind: 'setRequestFields', id: state.requestId, fields });
    };
    // (Ctrl+Z as many times as keys were typed, at most: the browser may undo typing a key at a time)
    const undoUntil = async (selector: string, want: unknown, keys: number) => {
      let shown: unknown;
      for (let i = 0; i < keys && shown !== want; i++) [shown] = (await ui(frame, [{ press: 'Control+z' }, { wait: 100 }, { value: selector }])).slice(2);
      return shown;
    };
    const [before] = await ui(frame, [{ value: '#url' }]);
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '&undo=me', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the typed row in the store', () => rowsOf(state).rows.some(([n, v]) => n === 'undo' && v === 'me'), 8000);
    // another editor of the request adds a header: the page is drawn again (the Headers tab counts it)
    await elsewhere({ headers: [{ name: 'X-Elsewhere', value: '1' }] });
    await waitFor('the page to show the header added elsewhere', async () => String((await ui(frame, [{ text: '.tab-strip .tab:nth-child(2)' }]))[0]) === 'Headers (1)', 8000);
    assert.equal(await undoUntil('#url', before, '&undo=me'.length), before, 'Ctrl+Z took the typing back');
    await waitFor('the store back to its two rows', () => JSON.stringify(rowsOf(state).rows) === JSON.stringify([['status', 'available', false], ['limit', '5', false]]), 8000);
    assert.deepEqual(requestNamed('Get specific transactions').request.headers.map((x) => x.name), ['X-Elsewhere'], 'the change made elsewhere stays');

    // a header value typed, then the URL changed elsewhere: Ctrl+Z in the header value still undoes it
    await ui(frame, [{ click: '.tab-strip .tab:nth-child(2)' }, { click: 'input[data-key="headers:0:value"]' }, { press: 'End' }, { type: '23', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the typed value in the store', () => requestNamed('Get specific transactions').request.headers[0]?.value === '123', 8000);
    await elsewhere({ url: 'http://127.0.0.1:9/elsewhere' });
    await waitFor('the page to show the URL changed elsewhere', async () => String((await ui(frame, [{ value: '#url' }]))[0]).startsWith('http://127.0.0.1:9/elsewhere'), 8000);
    assert.equal(await undoUntil('input[data-key="headers:0:value"]', '1', '23'.length), '1', 'Ctrl+Z took the typing back');
    await waitFor('the header value back in the store', () => requestNamed('Get specific transactions').request.headers[0]?.value === '1', 8000);
    assert.equal(rowsOf(state).url, 'http://127.0.0.1:9/elsewhere', 'the change made elsewhere stays');
    await ui(frame, [{ screenshot: 'undo-after-redraw' }]);
  });

  it('a row edited in the Params tab, then the URL typed in: the field shows the row, the file changes those lines only', async () => {
    const opened = await openWith('Get specific transactions', 'http://127.0.0.1:9/pets', twoRows);
    const { frame } = opened;
    await ui(frame, [{ click: '[data-key="params:1:value"]' }, { press: 'Control+a' }, { type: '10', delayMs: 30, jitterMs: 50 }]);
    const [shown] = await ui(frame, [{ value: '#url' }]);
    assert.equal(shown, 'http://127.0.0.1:9/pets?status=available&limit=10');
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '&q=1', delayMs: 30, jitterMs: 50 }]);
    await expectEdit(opened, [['status', 'available', false], ['limit', '10', false], ['q', '1', false]], { removed: ['    value: "5"'], added: ['    value: "10"', '  - name: q', '    value: "1"'] });
  });

  it('a row disabled in the Params tab leaves the field; the URL typed after keeps it disabled and in its place', async () => {
    const opened = await openWith('Get specific transactions', 'http://127.0.0.1:9/pets', twoRows);
    const { frame } = opened;
    await ui(frame, [{ click: '.kv-row vscode-checkbox' }]);
    await waitFor('the field without the row', async () => (await ui(frame, [{ value: '#url' }]))[0] === 'http://127.0.0.1:9/pets?limit=5', 5000);
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '&z=1', delayMs: 30, jitterMs: 50 }]);
    await expectEdit(opened, [['status', 'available', true], ['limit', '5', false], ['z', '1', false]], { removed: [], added: ['    disabled: true', '  - name: z', '    value: "1"'] });
  });

  it('a #fragment typed after the query: the rows keep their values, the url holds the fragment', async () => {
    const { file, start, frame, state, dir } = await openWith('Get specific transactions', 'http://127.0.0.1:9/pets', twoRows);
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '#top', delayMs: 30, jitterMs: 50 }]);
    await waitFor('the fragment in the store', () => rowsOf(state).url.includes('#top') || rowsOf(state).rows.some((r) => r[1].includes('#')), 8000);
    assert.deepEqual(rowsOf(state), { url: 'http://127.0.0.1:9/pets#top', rows: [['status', 'available', false], ['limit', '5', false]] });
    await ui(frame, [{ click: '.tab' }, { wait: 1000 }]);
    const [shown] = await ui(frame, [{ value: '#url' }]);
    assert.equal(shown, 'http://127.0.0.1:9/pets?status=available&limit=5#top');
    await waitFor('the fragment in the file', async () => (await fsp.readFile(file, 'utf8')).includes('#top'), 8000);
    const { removed, added } = await changedLines(file, start);
    assert.deepEqual({ removed, added }, { removed: ['url: http://127.0.0.1:9/pets'], added: ['url: http://127.0.0.1:9/pets#top'] });
    insomniaReads(dir);
  });

  it('a template and encoded characters typed into the query: the file holds them as typed, Send renders the one and keeps the others', async () => {
    const opened = await openWith('Get specific transactions', `${base}/pets`, twoRows.slice(0, 3));
    const { frame } = opened;
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '&key={{ _.apikey }}', delayMs: 30, jitterMs: 50 }, { press: 'Escape' }, { type: '&q=a%20b+c', delayMs: 30, jitterMs: 50 }]);
    const [shown] = await ui(frame, [{ value: '#url' }]);
    assert.equal(shown, `${base}/pets?status=available&key={{ _.apikey }}&q=a%20b+c`);
    await expectEdit(opened, [['status', 'available', false], ['key', '{{ _.apikey }}', false], ['q', 'a%20b+c', false]], { removed: [], added: ['  - name: key', '    value: "{{ _.apikey }}"', '  - name: q', '    value: a%20b+c'] });
    const count = received.length;
    await ui(frame, [{ click: '#send' }]);
    await waitFor('the server to receive the request', () => received.length > count, 10_000);
    // as Insomnia sends it (flexibleEncodeComponent): `%20` typed stays `%20`, `+` is `%2B`
    assert.equal(received[received.length - 1], '/pets?status=available&key=apikey&q=a%20b%2Bc');
  });
  it('a v5 collection file: `?c=&d=1#top` typed after the url adds its parameters and the fragment, the file changes those lines, Insomnia reads it', async () => {
    const collection = api.store.collections.find((c) => c.format !== 'legacy' && c.name === '11.6.2');
    assert.ok(collection, 'the v5 collection 11.6.2');
    const request = [...walkItems(collection.children)].find((i) => i.kind === 'request' && i.name === 'New Request');
    assert.ok(request && request.kind === 'request');
    const { file, start, state, frame } = await openRequestEditor(api, collection, request, restore);
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '?c=&d=1#top', delayMs: 20, jitterMs: 60 }, { click: '.tab' }]);
    await waitFor('the fragment and the rows in the store', () => JSON.stringify(rowsOf(state)) === JSON.stringify({ url: 'https://httpbin.org/anything#top', rows: [['c', '', false], ['d', '1', false]] }), 8000);
    await waitFor('the edit in the file', async () => /^ {2}- url: https:\/\/httpbin\.org\/anything#top$/m.test(await fsp.readFile(file, 'utf8')), 8000);
    const [, shown] = await ui(frame, [{ wait: 500 }, { value: '#url' }]);
    assert.equal(shown, 'https://httpbin.org/anything?c=&d=1#top');
    const text = await fsp.readFile(file, 'utf8');
    const { removed, added } = lineDiff(start.replace(/^ {6}modified: \d+$/gm, ''), text.replace(/^ {6}modified: \d+$/gm, ''));
    assert.deepEqual(removed, ['  - url: https://httpbin.org/anything']);
    assert.deepEqual(added.filter((l) => !/^\s+(- )?id: pair_\w+$/.test(l)), ['  - url: https://httpbin.org/anything#top', '    parameters:', '      - name: c', '        value: ""', '      - name: d', '        value: "1"']);
    assert.deepEqual(checkV5Text(file, text).map((i) => i.message), [], "Insomnia's reader takes the file");
  });
});
