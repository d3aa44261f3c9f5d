// A cURL command pasted into the request editor's URL field, as an Insomnia user pastes one: the real page, the
// clipboard and Ctrl+V in Chromium. A multi-line command (continuation lines, headers, a JSON body over lines, -u) is
// put in the request, not pasted as text: the file changes in the lines of the fields the command sets (plus
// `modified`), Send sends exactly what the command describes, and Ctrl+Z in the field gives the request back. A plain
// URL pasted over a selection is pasted as before; a command the importer cannot read says why and changes nothing.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { activateHammock, KeptFiles, lineDiff, openRequestEditor, requestNamed, startLoopbackServer, ui, waitFor } from './helpers';
import { SENT_CONTEXT } from '../../src/walkthroughContext';

describe('A cURL command pasted into the URL field', function () {
  this.timeout(90_000);
  let api: HammockApi;
  let server: Awaited<ReturnType<typeof startLoopbackServer>>;
  const received: { method?: string; url?: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const kept = new KeptFiles(() => api);

  before(async () => {
    api = await activateHammock();
    server = await startLoopbackServer((req) => {
      const got = { method: req.method, url: req.url, headers: req.headers, body: '' };
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (got.body += chunk));
      req.on('end', () => received.push(got));
    });
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await kept.restore();
  });

  after(async () => {
    await server.close();
  });

  const withoutModified = (text: string) => text.replace(/^modified: \d+$/m, 'modified: <stamp>');
  const requestNow = (state: { collectionPath: string; requestId: string }) => {
    const l = api.store.locate(state.collectionPath, state.requestId);
    assert.ok(l?.kind === 'item' && l.item.kind === 'request');
    return l.item;
  };

  it('a multi-line command with headers and a JSON body: the request takes it (only its fields change in the file), Send sends it, Ctrl+Z gives the request back', async () => {
    const { collection, request } = requestNamed(api, 'Create new transaction', 'legacy');
    const { file, start, state, frame } = await openRequestEditor(api, collection, request, kept.files);
    const paste = [
      `curl -X POST '${server.base}/pasted/transactions?dryRun=true' \\`,
      `  -H 'Content-Type: application/json' \\`,
      `  -H 'X-Trace: t-1' \\`,
      `  -u alice:s3cret \\`,
      `  --data-raw '{`,
      `  "id": 44,`,
      `  "subject": "Invoice #44"`,
      `}'`,
    ].join('\n');
    const [shownBefore] = await ui(frame, [{ value: '#url' }]);
    // pasted where the caret is, at the end of the URL, as a person pastes into the URL bar
    await ui(frame, [{ clipboard: paste }, { click: '#url' }, { press: 'End' }, { press: 'Control+v' }]);
    await waitFor('the pasted command in the file', async () => (await fsp.readFile(file, 'utf8')).includes('X-Trace'), 10_000);
    await waitFor('the edit written', () => !api.requestPanels.editor(state)?.busy, 10_000);
    const [shown, headersTab] = await ui(frame, [{ value: '#url' }, { text: '.tab:nth-child(2)' }, { screenshot: 'curl-pasted' }]);
    assert.equal(shown, `${server.base}/pasted/transactions?dryRun=true`, 'the field shows the command`s URL, not the command');
    assert.equal(headersTab, 'Headers (2)');

    const after = await fsp.readFile(file, 'utf8');
    const { removed, added } = lineDiff(withoutModified(start), withoutModified(after));
    // what the command sets: the url, the query row, the new header, the body's text, the auth; not the name, the
    // description, the method (POST already), the Content-Type row (the same, its `disabled: false` kept), the settings
    assert.deepEqual(removed, [
      'url: "{{ _.base_url }}/transactions"',
      '      "id": 43,',
      '      "source": "GR872659435350353",',
      '      "senderName": "Max Mustermann",',
      '      "destination": "DE8412325587359375895",',
      '      "amount": 42,',
      '      "currency": "EUR",',
      '      "subject": "Invoice #42-08/15"',
      'parameters: []',
      '  type: apikey',
      '  key: apikey',
      '  value: "{{ _.apikey }}"',
      '  addTo: header',
    ]);
    assert.deepEqual(added.filter((l) => !/^\s+id: pair_\w+$/.test(l)), [
      `url: ${server.base}/pasted/transactions`,
      '      "id": 44,',
      '      "subject": "Invoice #44"',
      'parameters:',
      '  - name: dryRun',
      '    value: "true"',
      '  - name: X-Trace',
      '    value: t-1',
      '  type: basic',
      '  username: alice',
      '  password: s3cret',
    ]);
    assert.notEqual(after.match(/^modified: \d+$/m)?.[0], start.match(/^modified: \d+$/m)?.[0], 'modified is stamped');
    const now = requestNow(state);
    assert.deepEqual([now.id, now.name, now.parentId, now.description], [request.id, request.name, request.parentId, request.description]);

    // Send: the loopback server gets exactly what the command describes
    const sentBefore = received.length;
    // (the walkthrough's "Edit and send a request" completes on the context key a Send from the page sets)
    const commands = vscode.commands as { executeCommand: (...args: unknown[]) => Thenable<unknown> };
    const executeCommand = commands.executeCommand;
    const contexts: unknown[][] = [];
    commands.executeCommand = (...args: unknown[]) => {
      if (args[0] === 'setContext') contexts.push(args.slice(1));
      return executeCommand.apply(vscode.commands, args);
    };
    try {
      await ui(frame, [{ click: '#send' }]);
      await waitFor('the server to receive the request', () => received.length > sentBefore, 15_000);
      await waitFor('the walkthrough told a request was sent', () => contexts.some(([key, value]) => key === SENT_CONTEXT && value === true), 10_000);
    } finally {
      commands.executeCommand = executeCommand;
    }
    const got = received[received.length - 1];
    assert.equal(got.method, 'POST');
    assert.equal(got.url, '/pasted/transactions?dryRun=true');
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers['x-trace'], 't-1');
    assert.equal(got.headers.authorization, `Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    assert.equal(got.body, '{\n  "id": 44,\n  "subject": "Invoice #44"\n}');

    // Ctrl+Z in the URL field: the request as it was before the paste, in the field and in the file
    await ui(frame, [{ click: '#url' }, { press: 'Control+z' }]);
    await waitFor('the file back as it was', async () => withoutModified(await fsp.readFile(file, 'utf8')) === withoutModified(start), 10_000);
    const [undone, headersUndone] = await ui(frame, [{ value: '#url' }, { text: '.tab:nth-child(2)' }]);
    assert.equal(undone, shownBefore);
    assert.equal(headersUndone, 'Headers (1)');
    // and Ctrl+Y puts the command's request again
    await ui(frame, [{ press: 'Control+y' }]);
    await waitFor('the command`s request again', async () => (await fsp.readFile(file, 'utf8')).includes('X-Trace'), 10_000);
    assert.equal(requestNow(state).authentication.type, 'basic');
  });

  it('Ctrl+Z of the paste after a header edited in the Headers tab: the header keeps the edit, the other fields are back; Ctrl+Y is symmetric', async () => {
    const { collection, request } = requestNamed(api, 'Create new transaction', 'legacy');
    const { file, start, state, frame } = await openRequestEditor(api, collection, request, kept.files);
    const paste = [`curl -X PUT '${server.base}/pasted/undo' \\`, `  -H 'X-Trace: t-1' \\`, `  --data-raw 'pasted body'`].join('\n');
    const [shownBefore] = await ui(frame, [{ value: '#url' }]);
    await ui(frame, [{ clipboard: paste }, { click: '#url' }, { press: 'End' }, { press: 'Control+v' }]);
    await waitFor('the pasted command in the file', async () => (await fsp.readFile(file, 'utf8')).includes('X-Trace'), 10_000);
    await waitFor('the edit written', () => !api.requestPanels.editor(state)?.busy, 10_000);
    // the Headers tab: X-Trace's value edited as a person types
    await ui(frame, [{ click: '.tab:nth-child(2)' }]);
    const trace = 'input[data-key="headers:0:value"]';
    assert.equal((await ui(frame, [{ value: trace }]))[0], 't-1');
    await ui(frame, [{ click: trace }, { press: 'End' }, { type: '-edited', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the header edit in the file', async () => (await fsp.readFile(file, 'utf8')).includes('value: t-1-edited'), 10_000);
    await waitFor('the edit written', () => !api.requestPanels.editor(state)?.busy, 10_000);

    // back to the URL field, Ctrl+Z: url, method, body, auth as before the paste; the header keeps the edit
    await ui(frame, [{ click: '#url' }, { press: 'Control+z' }]);
    await waitFor('the url back in the file', async () => (await fsp.readFile(file, 'utf8')).includes('url: "{{ _.base_url }}/transactions"'), 10_000);
    await waitFor('the edit written', () => !api.requestPanels.editor(state)?.busy, 10_000);
    const undone = requestNow(state);
    assert.equal(undone.url, request.url);
    assert.equal(undone.method, request.method);
    assert.deepEqual(undone.body, request.body);
    assert.deepEqual(undone.authentication, request.authentication);
    assert.deepEqual(undone.parameters, request.parameters);
    assert.deepEqual(undone.headers.map((x) => [x.name, x.value]), [['X-Trace', 't-1-edited']], 'the header edited after the paste keeps the edit');
    assert.match(await fsp.readFile(file, 'utf8'), /value: t-1-edited/);
    assert.equal((await ui(frame, [{ value: '#url' }]))[0], shownBefore);

    // Ctrl+Y: the paste's fields again, the header still the user's
    await ui(frame, [{ press: 'Control+y' }]);
    await waitFor('the pasted url again', async () => (await fsp.readFile(file, 'utf8')).includes('/pasted/undo'), 10_000);
    await waitFor('the edit written', () => !api.requestPanels.editor(state)?.busy, 10_000);
    const redone = requestNow(state);
    assert.equal(redone.method, 'PUT');
    assert.equal(redone.body.text, 'pasted body');
    assert.deepEqual(redone.headers.map((x) => [x.name, x.value]), [['X-Trace', 't-1-edited']]);
    assert.notEqual(withoutModified(await fsp.readFile(file, 'utf8')), withoutModified(start));
  });

  it('a request with a parameter row (its id, `disabled: false`): the paste changes only its value line, Ctrl+Z gives the file back byte for byte', async () => {
    // the demo's "Find pets by status": a row as Insomnia writes it, with an id and `disabled: false`
    const { collection, request } = requestNamed(api, 'Update a transaction', 'legacy');
    const file = request.source.file;
    await kept.keep(file);
    const original = await fsp.readFile(file, 'utf8');
    const row = ['parameters:', '  - id: pair_5f0f3f6e2b6a4e0e9a3c7d1b2c4e6f80', '    name: status', '    value: available', '    disabled: false'].join('\n');
    assert.match(original, /^parameters: \[\]$/m);
    await fsp.writeFile(file, original.replace(/^parameters: \[\]$/m, row));
    await api.store.refreshPaths([file]);
    const { start, state, frame } = await openRequestEditor(api, collection, requestNamed(api, 'Update a transaction', 'legacy').request, kept.files);
    const [shownBefore] = await ui(frame, [{ value: '#url' }]);
    assert.match(String(shownBefore), /\?status=available$/);
    await ui(frame, [{ clipboard: `curl '${server.base}/pets/findByStatus?status=pending' -H 'X-Trace: demo'` }, { click: '#url' }, { press: 'End' }, { press: 'Control+v' }]);
    await waitFor('the pasted command in the file', async () => (await fsp.readFile(file, 'utf8')).includes('X-Trace'), 10_000);
    await waitFor('the edit written', () => !api.requestPanels.editor(state)?.busy, 10_000);
    const pasted = lineDiff(withoutModified(start), withoutModified(await fsp.readFile(file, 'utf8')));
    assert.ok(pasted.removed.includes('    value: available') && pasted.added.includes('    value: pending'), JSON.stringify(pasted));
    for (const line of ['  - id: pair_5f0f3f6e2b6a4e0e9a3c7d1b2c4e6f80', '    name: status', '    disabled: false']) {
      assert.ok(!pasted.removed.includes(line), `${line} stays: ${JSON.stringify(pasted)}`);
    }

    await ui(frame, [{ click: '#url' }, { press: 'Control+z' }]);
    await waitFor('the url back in the file', async () => !(await fsp.readFile(file, 'utf8')).includes('X-Trace'), 10_000);
    await waitFor('the edit written', () => !api.requestPanels.editor(state)?.busy, 10_000);
    assert.equal(withoutModified(await fsp.readFile(file, 'utf8')), withoutModified(start), 'the file as it was, but for its stamp');
    assert.equal((await ui(frame, [{ value: '#url' }]))[0], shownBefore);
  });

  it('`curl` alone, and a command over 1 MB: each says why, and nothing changes', async () => {
    const { collection, request } = requestNamed(api, 'Create new transaction', 'legacy');
    const { file, start, state, frame, editor } = await openRequestEditor(api, collection, request, kept.files);
    const [shown] = await ui(frame, [{ value: '#url' }]);
    await ui(frame, [{ clipboard: 'curl' }, { click: '#url' }, { press: 'End' }, { press: 'Control+v' }]);
    assert.match(((await ui(frame, [{ text: '.error-banner' }])) as string[])[0], /nothing changed: .*no URL/);
    // a large inline body: past what the field sends the host
    const huge = `curl https://x.test/big -H 'Content-Type: application/json' --data-raw '{"a":"${'x'.repeat(1_100_000)}"}'`;
    await ui(frame, [{ clipboard: huge }, { click: '#url' }, { press: 'End' }, { press: 'Control+v' }]);
    await waitFor('the message saying the command is too long', async () => /too long.*nothing changed.*Import/.test(String((await ui(frame, [{ text: '.error-banner' }]))[0])), 10_000);
    // the latest paste's message only: the one before it went when this paste began
    const messages = (await ui(frame, [{ attribute: '.error-banner, .notice-banner', name: 'role' }]))[0] as string[];
    assert.equal(messages.length, 1, 'one message on the page');
    assert.equal((await ui(frame, [{ value: '#url' }]))[0], shown);
    assert.equal(editor.busy, false);
    assert.equal(await fsp.readFile(file, 'utf8'), start);
    assert.equal(requestNow(state).url, request.url);
  });

  it('a plain URL pasted over a selection is pasted as text, as before', async () => {
    const { collection, request } = requestNamed(api, 'Create new transaction', 'legacy');
    const { file, state, frame } = await openRequestEditor(api, collection, request, kept.files);
    const [shown] = (await ui(frame, [{ value: '#url' }])) as string[];
    // the path's last part selected from the end (`transactions`), a path pasted over it
    await ui(frame, [{ clipboard: 'orders?limit=5' }, { click: '#url' }, { press: 'End' }, ...Array.from({ length: 'transactions'.length }, () => ({ press: 'Shift+ArrowLeft' })), { press: 'Control+v' }]);
    const expected = shown.replace(/transactions$/, 'orders?limit=5');
    const [now] = await ui(frame, [{ value: '#url' }]);
    assert.equal(now, expected);
    await waitFor('the pasted path in the file', async () => /^url: .*\/orders"?$/m.test(await fsp.readFile(file, 'utf8')), 10_000);
    assert.deepEqual(requestNow(state).parameters.map((p) => [p.name, p.value]), [['limit', '5']]);
    assert.equal(requestNow(state).headers.length, 1);
  });

  it('a command the importer cannot read (an unclosed quote) says why, and nothing changes', async () => {
    const { collection, request } = requestNamed(api, 'Create new transaction', 'legacy');
    const { file, start, state, frame, editor } = await openRequestEditor(api, collection, request, kept.files);
    const [shown] = await ui(frame, [{ value: '#url' }]);
    await ui(frame, [{ clipboard: `curl -X PUT https://x.test/a \\\n  -H 'Authorization: Bearer abc` }, { click: '#url' }, { press: 'End' }, { press: 'Control+v' }]);
    const [said] = (await ui(frame, [{ text: '.error-banner' }])) as string[];
    assert.match(said, /not put in this request, nothing changed: .*quote/i);
    const [still] = await ui(frame, [{ value: '#url' }]);
    assert.equal(still, shown, 'the field keeps its URL (the command is not pasted as text either)');
    assert.equal(editor.busy, false, 'no edit waits to be written');
    assert.equal(editor.unsaved, undefined);
    assert.equal(await fsp.readFile(file, 'utf8'), start);
    assert.equal(requestNow(state).url, request.url);
  });

  it('the same unreadable command pasted twice says so once, and the message goes once the URL is typed in', async () => {
    // (a new user pasted it again: the editor grew a stack of the same red message, which stayed, pushing the request down)
    const { collection, request } = requestNamed(api, 'Create new transaction', 'legacy');
    const { file, start, frame } = await openRequestEditor(api, collection, request, kept.files);
    const bad = `curl -X POST 'https://x.test/a -H 'A: b'`;
    const banners = async () => ((await ui(frame, [{ attribute: '.error-banner', name: 'class' }])) as string[][])[0].length;
    await ui(frame, [{ clipboard: bad }, { click: '#url' }, { press: 'End' }, { press: 'Control+v' }]);
    await waitFor('the message', async () => (await banners()) === 1, 5000);
    await ui(frame, [{ press: 'Control+v' }]);
    await ui(frame, [{ type: 'x', delayMs: 20 }, { press: 'Backspace' }, { press: 'Control+v' }]);
    await waitFor('the third paste read', async () => /not put in this request/.test(String((await ui(frame, [{ text: '.error-banner' }]))[0])), 5000);
    assert.equal(await banners(), 1, 'one message, not one per paste');
    await ui(frame, [{ type: '/b', delayMs: 20, jitterMs: 40 }]);
    await waitFor('the message gone once the URL is typed in', async () => (await banners()) === 0, 5000);
    await ui(frame, [{ press: 'Backspace' }, { press: 'Backspace' }]);
    await waitFor('the file as it was', async () => (await fsp.readFile(file, 'utf8')).replace(/^modified: \d+$/m, '') === start.replace(/^modified: \d+$/m, ''), 8000);
  });
});
