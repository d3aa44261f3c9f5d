// The request editor and the response viewer inside a real VS Code: open a request through the command, change its
// URL through the panel (the message the UI posts), see the one-line change on disk; send to a loopback server and
// see the response in the viewer.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { Collection, HttpRequest } from '../../src/collections/model';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { activateHammock, ui, waitFor } from './helpers';

/** the sequence number of the edits these tests post as the page would (see protocol.ts). */
let editSeq = 0;

describe('Request editor', () => {
  let api: HammockApi;
  let server: http.Server;
  let base: string;
  let original: { file: string; text: string } | undefined;
  const seen: { method?: string; url?: string; headers?: http.IncomingHttpHeaders; body?: string }[] = [];
  /** told when a request to /slow arrives, and when its connection closes. */
  let slow: { arrived: () => void; closed: () => void } | undefined;

  before(async () => {
    api = await activateHammock();
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/large') {
          res.setHeader('Content-Type', 'text/plain');
          res.end('x'.repeat(400 * 1024));
          return;
        }
        if (req.url === '/slow') {
          const t = setTimeout(() => res.end('late'), 10_000);
          const told = slow;
          res.on('close', () => {
            clearTimeout(t);
            told?.closed();
          });
          told?.arrived();
          return;
        }
        if (req.url === '/image') {
          res.setHeader('Content-Type', 'image/png');
          res.end(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));
          return;
        }
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('Set-Cookie', 'session=abc; Path=/');
        res.end(JSON.stringify({ ok: true, path: req.url, method: req.method }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // leave the workspace as the other suites expect it
    if (original) {
      await fsp.writeFile(original.file, original.text);
      await waitFor('the store to re-read the restored request', () => requestNamed('Create new transaction').request.url.startsWith('{{'), 8000);
    }
    await new Promise<void>((r) => server.close(() => r()));
  });

  const requestNamed = (name: string): { collection: Collection; request: HttpRequest } => {
    for (const collection of api.store.collections) {
      for (const item of walkItems(collection.children)) {
        if (item.kind === 'request' && item.name === name && (collection.format === 'legacy' || name === 'subscribe')) return { collection, request: item };
      }
    }
    assert.fail(`no request "${name}"`);
  };

  it('opens a request in one panel; opening it again focuses the same panel', async function () {
    // the first webview page of a browser session waits for code-server's service worker to hand over (about 21 s
    // seen in CI's installed run: "Waiting for controllerchange"; test/support/webviewHostPatch.mjs)
    this.timeout(60_000);
    const { collection, request } = requestNamed('Create new transaction');
    const state = { collectionPath: collection.path, requestId: request.id };
    original = { file: request.source.file, text: await fsp.readFile(request.source.file, 'utf8') };
    const t0 = performance.now();
    const id = await vscode.commands.executeCommand<string>('hammock.openRequest', state);
    assert.equal(id, request.id);
    const editor = api.requestPanels.editor(state);
    assert.ok(editor, 'an editor panel is open');
    assert.equal(editor.panel.title, 'POST Create new transaction');
    await vscode.commands.executeCommand('hammock.openRequest', state);
    assert.equal(api.requestPanels.openEditors.filter((e) => e.state.requestId === request.id).length, 1);
    // the UI's handshake: the panel then holds the request as the file has it (the session's first page: in a fresh
    // code-server its webview can take longer than 10 s to load, as in one CI run; the other suites allow 45 s)
    await waitFor('the UI to load and get the request', () => editor.uiReady && editor.lastState?.url === request.url, 45_000);
    // open_editor_ms: from the command to the UI having the request (first panel of the session: bundle load included)
    console.log(`open_editor_ms ${(performance.now() - t0).toFixed(0)}`);
  });

  it('changing the URL in the panel changes one line of the file (plus modified)', async () => {
    const { collection, request } = requestNamed('Create new transaction');
    const state = { collectionPath: collection.path, requestId: request.id };
    const editor = api.requestPanels.editor(state) ?? api.requestPanels.open(state);
    const file = request.source.file;
    const before = await fsp.readFile(file, 'utf8');
    // what the UI posts while typing: several edits within the debounce, written once
    await editor.receive({ type: 'edit', seq: ++editSeq, fields: { url: `${base}/trans` } });
    await editor.receive({ type: 'edit', seq: ++editSeq, fields: { url: `${base}/transactions` } });
    // an invalid message is dropped
    await editor.receive({ type: 'edit', seq: ++editSeq, fields: { url: 42 } });
    await editor.receive({ type: 'edit', seq: ++editSeq, fields: { url: `${base}/x`, evil: '<script>' } });
    const after = await waitFor('the file to change', async () => {
      const text = await fsp.readFile(file, 'utf8');
      return text !== before && text.includes(`${base}/transactions`) ? text : undefined;
    }, 5000);
    const a = before.split('\n');
    const b = after.split('\n');
    assert.equal(a.length, b.length);
    const changed = a.map((l, i) => (l === b[i] ? undefined : `${l} -> ${b[i]}`)).filter(Boolean);
    assert.equal(changed.length, 2, changed.join('\n'));
    assert.ok(changed.some((c) => c?.startsWith('url: ') && c.endsWith(`-> url: ${base}/transactions`)), changed.join('\n'));
    assert.ok(changed.some((c) => c?.startsWith('modified: ')));
    await waitFor('the store to re-read the request', () => requestNamed('Create new transaction').request.url === `${base}/transactions`);
  });

  it('a change of the file from elsewhere updates the panel', async () => {
    const { collection, request } = requestNamed('Create new transaction');
    const editor = api.requestPanels.editor({ collectionPath: collection.path, requestId: request.id });
    assert.ok(editor);
    const text = await fsp.readFile(request.source.file, 'utf8');
    await fsp.writeFile(request.source.file, text.replace('method: POST', 'method: PUT'));
    await waitFor('the panel to show PUT', () => editor.lastState?.method === 'PUT', 8000);
    assert.equal(editor.panel.title, 'PUT Create new transaction');
    await fsp.writeFile(request.source.file, text);
    await waitFor('the panel to show POST again', () => editor.lastState?.method === 'POST', 8000);
  });

  it('shows the headers a folder above gives the request', async () => {
    const { collection, request } = requestNamed('Create new transaction');
    const editor = api.requestPanels.editor({ collectionPath: collection.path, requestId: request.id });
    assert.ok(editor);
    const located = api.store.locate(collection.path, request.parentId);
    assert.ok(located?.kind === 'item' && located.item.kind === 'folder');
    const folderFile = located.item.source.file;
    const text = await fsp.readFile(folderFile, 'utf8');
    assert.ok(text.includes('headers: null'));
    try {
      await fsp.writeFile(folderFile, text.replace('headers: null', 'headers:\n  - name: X-Team\n    value: payments'));
      await waitFor('the inherited header', () => editor.lastState?.inheritedHeaders.some((h) => h.name === 'X-Team' && h.value === 'payments' && h.where === 'folder "Transactions"'), 8000);
    } finally {
      await fsp.writeFile(folderFile, text);
    }
    await waitFor('the header gone again', () => editor.lastState?.inheritedHeaders.length === 0, 8000);
  });

  it('sends the request to a loopback server and shows the response beside', async () => {
    const { collection, request } = requestNamed('Create new transaction');
    const state = { collectionPath: collection.path, requestId: request.id };
    const editor = api.requestPanels.editor(state);
    assert.ok(editor);
    // the fixture's API key auth needs an `apikey` variable this workspace does not define: a template error, named
    await editor.receive({ type: 'send' });
    assert.match(api.requestPanels.viewer.current?.error ?? '', /Unknown variable "apikey"/);
    // Bearer auth set through the panel (written to the file before sending)
    await editor.receive({ type: 'edit', seq: ++editSeq, fields: { authentication: { type: 'bearer', token: 'tok-1', prefix: '' } } });
    const count = seen.length;
    await editor.receive({ type: 'send' });
    assert.equal(api.requestPanels.viewer.current?.error, undefined, 'no error');
    assert.equal(seen.length, count + 1);
    const got = seen[seen.length - 1];
    assert.equal(got.method, 'POST');
    assert.equal(got.url, '/transactions');
    assert.equal(got.headers?.['content-type'], 'application/json');
    assert.equal(got.headers?.authorization, 'Bearer tok-1');
    assert.match(got.body ?? '', /"senderName": "Max Mustermann"/);
    const viewer = api.requestPanels.viewer;
    assert.ok(viewer.isOpen, 'the response viewer is open');
    const shown = viewer.lastPosted?.response;
    assert.ok(shown, 'a response is shown');
    assert.equal(shown.status, 200);
    assert.equal(shown.bodyKind, 'text');
    assert.deepEqual(JSON.parse(shown.body), { ok: true, path: '/transactions', method: 'POST' });
    assert.deepEqual(shown.cookies.map((c) => [c.name, c.value]), [['session', 'abc']]);
    assert.ok(shown.size > 0);

    // the send command works too, and the history keeps both, newest first
    const status = await vscode.commands.executeCommand<number>('hammock.sendRequest', state);
    assert.equal(status, 200);
    const history = await api.requestPanels.history(state);
    assert.ok(history.length >= 3);
    assert.ok(history[0].receivedAt >= history[1].receivedAt);
    assert.equal(viewer.lastPosted?.history.length, history.length);
    await viewer.receive({ type: 'showHistory', index: 1 });
    assert.equal(viewer.lastPosted?.index, 1);
    assert.match(viewer.current?.curl ?? '', /^curl --request POST/);
  });

  it("the response viewer's summary beside its history list: the status, time and size each on one line", async () => {
    // (a new user's viewer beside the editor, about 500 px wide, with two responses: the history list took the room
    // and '200 OK', '31 ms', '221 B' were each broken over two lines)
    const { collection, request } = requestNamed('Create new transaction');
    const state = { collectionPath: collection.path, requestId: request.id };
    await vscode.commands.executeCommand('hammock.sendRequest', state);
    assert.ok((await api.requestPanels.history(state)).length > 1, 'two responses: the history list is shown');
    const shown = (await ui({ selector: '.summary .history' }, [{ rect: '.summary .status' }, { rect: '.summary .metric' }, { rect: '.summary .metric:nth-of-type(3)' }, { screenshot: 'response-summary-narrow' }])) as { lines: number; viewport: number }[];
    assert.deepEqual(shown.slice(0, 3).map((r) => r.lines), [1, 1, 1], `at ${shown[0].viewport} px wide`);
  });

  it('Copy as cURL, Open in Editor; a large body is cut, an image is shown as one', async () => {
    const { collection, request } = requestNamed('Create new transaction');
    const state = { collectionPath: collection.path, requestId: request.id };
    const editor = api.requestPanels.editor(state);
    assert.ok(editor);
    const viewer = api.requestPanels.viewer;
    await viewer.receive({ type: 'showHistory', index: 0 });
    await viewer.receive({ type: 'copyAsCurl' });
    const curl = await vscode.env.clipboard.readText();
    assert.match(curl, /^curl /);
    assert.ok(curl.includes(`${base}/transactions`), curl);
    const doc = await viewer.openInEditor();
    assert.ok(doc);
    assert.equal(doc.languageId, 'json');
    assert.equal(JSON.parse(doc.getText()).path, '/transactions');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    await editor.receive({ type: 'edit', seq: ++editSeq, fields: { url: `${base}/large`, method: 'GET', body: {} } });
    await editor.receive({ type: 'send' });
    const large = viewer.lastPosted?.response;
    assert.equal(large?.status, 200);
    assert.equal(large?.truncated, true);
    assert.equal(large?.size, 400 * 1024);
    assert.ok((large?.body.length ?? 0) < 400 * 1024);

    await editor.receive({ type: 'edit', seq: ++editSeq, fields: { url: `${base}/image` } });
    await editor.receive({ type: 'send' });
    const image = viewer.lastPosted?.response;
    assert.equal(image?.bodyKind, 'image');
    assert.match(image?.body ?? '', /^data:image\/png;base64,iVBOR/);
  });

  it('Cancel stops a slow request', async () => {
    const { collection, request } = requestNamed('Create new transaction');
    const state = { collectionPath: collection.path, requestId: request.id };
    const editor = api.requestPanels.editor(state);
    assert.ok(editor);
    await editor.receive({ type: 'edit', seq: ++editSeq, fields: { url: `${base}/slow` } });
    const told = { arrived: () => undefined, closed: () => undefined } as { arrived: () => void; closed: () => void };
    const arrived = new Promise<void>((resolve) => (told.arrived = resolve));
    const closed = new Promise<void>((resolve) => (told.closed = resolve));
    slow = told;
    const t0 = Date.now();
    const sending = editor.receive({ type: 'send' });
    await arrived; // the server has the request and holds its answer
    await editor.receive({ type: 'cancel' });
    await sending;
    await closed; // the cancel closed the connection
    slow = undefined;
    assert.ok(Date.now() - t0 < 5000, 'cancelled before the server answered');
    const shown = api.requestPanels.viewer.lastPosted?.response;
    assert.equal(shown?.status, 0);
    assert.ok(shown?.error, 'the viewer shows why');
  });

  it('a panel brought back after a reload shows its request again; an invalid state closes it', async function () {
    // a webview's first load in code-server has taken over 10 s on a busy 2-core machine
    this.timeout(60_000);
    const { collection, request } = requestNamed('subscribe');
    const state = { collectionPath: collection.path, requestId: request.id };
    const panel = vscode.window.createWebviewPanel('hammock.requestEditor', 'restored', vscode.ViewColumn.One);
    const editor = await api.requestPanels.restore(panel, state);
    assert.ok(editor);
    assert.equal(api.requestPanels.editor(state), editor);
    await waitFor('the restored UI to load the request', () => editor.uiReady && editor.lastState?.name === 'subscribe', 45_000);
    const bad = vscode.window.createWebviewPanel('hammock.requestEditor', 'bad', vscode.ViewColumn.One);
    let closed = false;
    bad.onDidDispose(() => (closed = true));
    assert.equal(await api.requestPanels.restore(bad, { requestId: 42 }), undefined);
    assert.ok(closed);
    panel.dispose();
  });
});
