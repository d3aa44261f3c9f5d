// Undo in the editors' template fields as a person at a keyboard meets it: a word typed at human speed, saved, then
// one Ctrl+Z takes the word back (not one character), Ctrl+Y puts it again; a page drawn again (a save's echo, a
// change made elsewhere) keeps the field's history, in the request editor and in the environment editor; and what
// undo gives back is saved like any edit, the file back to the bytes it had. A table row keeps its fields, focus
// and history when a row above it is deleted elsewhere (another editor, the file on disk): keys and Ctrl+Z stay in it.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { walkItems, type Collection, type HttpRequest } from '../../src/collections/model';
import type { EnvTreeNode } from '../../src/tree/environmentsTree';
import type { HammockApi } from '../../src/extension';
import { activateHammock, gitAs, inWorkspace, KeptFiles, lineDiff, openRequestEditor, ui, waitFor, workspaceRoot } from './helpers';

describe('Undo in the editors\' fields through the real page', function () {
  // (keys typed one at a time at a person's speed: longer than the suite's 20 s)
  this.timeout(60_000);
  let api: HammockApi;
  const kept = new KeptFiles(() => api);
  const restore = kept.files;

  before(async () => {
    api = await activateHammock();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await kept.restore();
  });

  const legacy = (): Collection => {
    const c = api.store.collections.find((x) => x.path === inWorkspace('.insomnia'));
    assert.ok(c);
    return c;
  };
  const requestNamed = (name: string): HttpRequest => {
    const r = [...walkItems(legacy().children)].find((i) => i.kind === 'request' && i.name === name);
    assert.ok(r?.kind === 'request', `no request "${name}"`);
    return r;
  };
  const open = async (name: string) => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    return openRequestEditor(api, legacy(), requestNamed(name), restore);
  };
  const read = (file: string) => fsp.readFile(file, 'utf8');

  const SUB = 'env_038c957f9f1749c8bc57927d9655f4b4';
  const OTHER = 'env_1932d37308734a58b8355c5ca5e95b9d'; // the same name and values as SUB
  const envFile = (id: string) => path.join(inWorkspace('.insomnia'), 'Environment', `${id}.yml`);
  /** Opens the environment editor on the sub-environment `id` from the Environments view; its file kept for afterEach. */
  const openEnvironment = async (id: string) => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of [SUB, OTHER]) restore.push({ file: envFile(f), text: await read(envFile(f)) });
    const c = legacy();
    const roots = (await api.environmentsTree.getChildren()) as EnvTreeNode[];
    const root = roots.find((n) => n.collection.path === c.path)!;
    const [base] = (await api.environmentsTree.getChildren(root)) as EnvTreeNode[];
    const node = ((await api.environmentsTree.getChildren(base)) as EnvTreeNode[]).find((n) => n.type === 'environment' && n.environment.id === id)!;
    const item = node.getTreeItem();
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const editor = api.environmentPanels.editor({ collectionPath: c.path, collectionId: c.id, environmentId: id });
    assert.ok(editor);
    await waitFor('the environment editor page', () => editor.uiReady, 45_000);
    return { file: envFile(id), frame: { selector: '.env-list' } };
  };

  it('a word typed in the URL, saved: one Ctrl+Z takes the word back, the file back to its bytes; Ctrl+Y types it again', async () => {
    const { file, start, frame } = await open('List all transactions');
    const [before] = await ui(frame, [{ value: '#url' }]);
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '/mine', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the typing saved', async () => (await read(file)).includes('/mine'), 8000);
    const [, undone] = await ui(frame, [{ press: 'Control+z' }, { value: '#url' }, { screenshot: 'undo-url-word' }]);
    assert.equal(undone, before, 'one Ctrl+Z takes the whole word back');
    await waitFor('the file back to the bytes it had', async () => (await read(file)) === start, 8000);
    const [, redone] = await ui(frame, [{ press: 'Control+y' }, { value: '#url' }]);
    assert.equal(redone, `${String(before)}/mine`, 'Ctrl+Y types it again');
    await waitFor('the word in the file again', async () => (await read(file)).includes('/mine'), 8000);
    const [, , again] = await ui(frame, [{ press: 'Control+Shift+z' }, { press: 'Control+z' }, { value: '#url' }]);
    assert.equal(again, before);
  });

  it('a header value: a word typed, a pause, another word; Ctrl+Z takes the second word, then the first', async () => {
    const { file, start, frame } = await open('Cancel a transaction');
    await ui(frame, [{ click: '.tab-strip .tab:nth-child(2)' }, { click: '.kv-add vscode-button' }]);
    await waitFor('the new header row', async () => (await ui(frame, [{ attribute: 'input[data-key="headers:0:value"]', name: 'data-key' }]))[0] !== undefined, 5000);
    await ui(frame, [{ click: 'input[data-key="headers:0:value"]' }, { type: 'alpha', delayMs: 20, jitterMs: 60 }, { wait: 1500 }, { type: 'beta', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the value saved', async () => (await read(file)).includes('alphabeta'), 8000);
    const [, one] = await ui(frame, [{ press: 'Control+z' }, { value: 'input[data-key="headers:0:value"]' }]);
    assert.equal(one, 'alpha', 'the second word, typed after a pause, is one step');
    const [, two] = await ui(frame, [{ press: 'Control+z' }, { value: 'input[data-key="headers:0:value"]' }]);
    assert.equal(two, '', 'then the first');
    await waitFor('the empty value saved', async () => !(await read(file)).includes('alpha'), 8000);
    assert.notEqual(await read(file), start, 'the row added stays');
  });

  it('the body typed over, the Headers tab and a header typed, back to the Body: Ctrl+Z there takes the body typing back', async () => {
    const { file, start, frame } = await open('Update a transaction');
    await ui(frame, [{ click: '.tab-strip .tab:nth-child(3)' }]);
    const [body] = await ui(frame, [{ value: '#body-text' }]);
    assert.match(String(body), /"Max Mustermann"/);
    // "Max Mustermann" selected with the keyboard and typed over at a person's speed
    assert.equal(String(body).split('\n')[3], '  "senderName": "Max Mustermann",');
    const lineEnd = [{ press: 'Control+Home' }, { press: 'ArrowDown' }, { press: 'ArrowDown' }, { press: 'ArrowDown' }, { press: 'End' }, { press: 'ArrowLeft' }, { press: 'ArrowLeft' }];
    await ui(frame, [{ click: '#body-text' }, ...lineEnd, { press: 'Control+Shift+ArrowLeft' }, { press: 'Control+Shift+ArrowLeft' }, { type: 'Erika Musterfrau', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the body typing saved', async () => (await read(file)).includes('Erika Musterfrau'), 8000);
    // another tab, a header typed there, and back
    await ui(frame, [{ click: '.tab-strip .tab:nth-child(2)' }, { click: 'input[data-key="headers:0:value"]' }, { press: 'End' }, { type: '; charset=utf-8', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the header typing saved', async () => (await read(file)).includes('charset=utf-8'), 8000);
    await ui(frame, [{ click: '.tab-strip .tab:nth-child(3)' }, { click: '#body-text' }, { press: 'Control+z' }]);
    const [undone] = await ui(frame, [{ value: '#body-text' }, { screenshot: 'undo-body-after-tabs' }]);
    assert.equal(undone, body, 'Ctrl+Z in the body gives back the body before its typing');
    await waitFor('the body back in the file', async () => !(await read(file)).includes('Erika'), 8000);
    const now = await read(file);
    assert.ok(now.includes('"Max Mustermann"') && now.includes('charset=utf-8'), 'the body is back, the header keeps its typing');
    // and the header's own Ctrl+Z, after the Body tab, takes its typing back: the file as it began but for its stamp
    await ui(frame, [{ click: '.tab-strip .tab:nth-child(2)' }, { click: 'input[data-key="headers:0:value"]' }, { press: 'Control+z' }]);
    await waitFor('the file as it began', async () => (await read(file)).replace(/^modified: \d+$/m, '') === start.replace(/^modified: \d+$/m, ''), 8000);
  });

  it('x typed and taken back by Backspace within the debounce writes nothing; after a save, the file ends as it began, `modified` too', async () => {
    const { file, start, frame } = await open('Update a transaction');
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: 'x', delayMs: 20 }, { press: 'Backspace' }, { wait: 1200 }]);
    assert.equal(await read(file), start, 'nothing written for a net-zero edit within the debounce');
    await ui(frame, [{ type: 'x', delayMs: 20 }]);
    await waitFor('x saved', async () => (await read(file)) !== start, 8000);
    await ui(frame, [{ press: 'Backspace' }]);
    await waitFor('the file as it began, byte for byte', async () => (await read(file)) === start, 8000);
  });

  it('typed and committed, then the URL typed over and taken back by one Ctrl+Z: git status is clean again, `modified` too', async () => {
    const git = gitAs({ name: 'Walk', email: 'walk@example.com' });
    const root = workspaceRoot();
    const before = await git(root, 'rev-parse', 'HEAD');
    const { file, frame } = await open('Get specific transactions');
    const rel = path.relative(root, file).split(path.sep).join('/');
    try {
      await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '?c=', delayMs: 20, jitterMs: 60 }]);
      await waitFor('the typing saved', async () => (await read(file)).includes('name: c'), 8000);
      await git(root, 'commit', '-q', '-m', 'walk: c', '--', rel);
      const committed = await read(file);
      const head = await git(root, 'rev-parse', 'HEAD');
      // Hammock's Source Control sees the commit (the file events, then its status)
      const repo = api.sync.repositories.find((r) => r.contains(file));
      assert.ok(repo, 'the workspace is a repository Hammock tracks');
      await waitFor('the commit in Hammock\'s state', () => repo.repository.snapshot?.status.head === head && !repo.repository.snapshot.status.changes.some((c) => c.path === rel), 15_000);
      await ui(frame, [{ click: '#url' }, { press: 'Control+a' }, { type: 'https://example.com/replaced', delayMs: 20, jitterMs: 60 }]);
      await waitFor('the new URL saved', async () => (await read(file)).includes('example.com/replaced'), 8000);
      await ui(frame, [{ press: 'Control+z' }, { screenshot: 'undo-after-commit' }]);
      await waitFor('the file as committed, byte for byte', async () => (await read(file)) === committed, 8000);
      assert.equal(await git(root, 'status', '--porcelain', '--', rel), '', 'git status is clean for the file');
    } finally {
      // the repository as the test found it (afterEach puts the file's text back)
      await git(root, 'reset', '-q', before);
    }
  });

  it('the page drawn again for changes made elsewhere asks the host for no preview of the URL it kept (no field left behind)', async () => {
    const { frame, editor, state } = await open('List all transactions');
    const renders: string[] = [];
    const counting = editor.panel.webview.onDidReceiveMessage((m: { type?: string; text?: string }) => {
      if (m?.type === 'render') renders.push(String(m.text));
    });
    try {
      await ui(frame, [{ wait: 800 }]);
      renders.splice(0);
      for (const value of ['1', '2', '3']) {
        await api.store.apply(legacy(), { kind: 'setRequestFields', id: state.requestId, fields: { headers: [{ name: 'X-Elsewhere', value }] } });
        await waitFor('the page drawn again', async () => String((await ui(frame, [{ text: '.tab-strip .tab:nth-child(2)' }]))[0]) === 'Headers (1)', 8000);
        await ui(frame, [{ wait: 300 }]);
      }
      await ui(frame, [{ wait: 600 }]);
      assert.equal(renders.length, 0, `the URL field on the page did not change: nothing to render again (${JSON.stringify(renders)})`);
      // the URL field on the page still previews what is typed into it
      await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '/x', delayMs: 30 }, { wait: 600 }]);
      assert.ok(renders.some((t) => t.endsWith('/transactions/x')), `the typed URL previewed: ${JSON.stringify(renders)}`);
    } finally {
      counting.dispose();
    }
  });

  it('the environment editor: a value typed and saved, another variable changed in the file, then Ctrl+Z gives the value back', async () => {
    const { file, frame } = await openEnvironment(SUB);
    const field = 'input[data-key="var:2:value"]';
    assert.equal((await ui(frame, [{ value: field }]))[0], 'localhost:3000');
    await ui(frame, [{ click: field }, { press: 'End' }, { type: '1', delayMs: 20 }, { wait: 1200 }, { type: '23', delayMs: 20, jitterMs: 40 }]);
    await waitFor('the value saved', async () => (await read(file)).includes('host: localhost:3000123'), 8000);
    // a change made outside the editor: another variable of the environment, in its file
    await fsp.writeFile(file, (await read(file)).replace('apikey: apikey', 'apikey: changed-outside'));
    await api.store.refreshPaths([file]);
    await waitFor('the page to show the change', async () => (await ui(frame, [{ value: 'input[data-key="var:3:value"]' }]))[0] === 'changed-outside', 8000);
    const [, , undone] = await ui(frame, [{ click: field }, { press: 'Control+z' }, { value: field }, { screenshot: 'undo-environment-after-redraw' }]);
    assert.equal(undone, 'localhost:30001', 'Ctrl+Z takes back the keys typed after the pause');
    const [, first] = await ui(frame, [{ press: 'Control+z' }, { value: field }]);
    assert.equal(first, 'localhost:3000');
    await waitFor('the value back in the file', async () => (await read(file)).includes('host: localhost:3000\n'), 8000);
    assert.ok((await read(file)).includes('apikey: changed-outside'), 'the change made outside stays');
  });

  it('the environment editor: another environment chosen, with the same value in the same row: Ctrl+Z there does not bring the first one\'s typing', async () => {
    const { file, frame } = await openEnvironment(SUB);
    const other = envFile(OTHER);
    const otherStart = await read(other);
    const field = 'input[data-key="var:0:value"]';
    // typed and taken back in SUB: the field says `http` again, with typing in its history
    await ui(frame, [{ click: field }, { press: 'End' }, { type: 's', delayMs: 30 }]);
    await waitFor('https saved', async () => (await read(file)).includes('scheme: https'), 8000);
    await ui(frame, [{ press: 'Backspace' }]);
    await waitFor('http saved', async () => (await read(file)).includes('scheme: http\n'), 8000);
    await ui(frame, [{ click: `.env-item[data-env="${OTHER}"]` }]);
    await waitFor('the other environment shown', async () => String((await ui(frame, [{ attribute: '.env-item.selected', name: 'data-env' }]))[0]) === OTHER, 8000);
    const [, , shown] = await ui(frame, [{ click: field }, { press: 'Control+z' }, { value: field }, { wait: 800 }]);
    assert.equal(shown, 'http', 'nothing typed in this environment\'s field: nothing to undo');
    assert.equal(await read(other), otherStart, 'the other environment\'s file untouched');
  });

  // ---------- table rows and fields through changes made elsewhere: typing, focus and Ctrl+Z stay with their row

  /** the lines that changed from `a` to `b`, `modified` stamps left out. */
  const changed = (a: string, b: string) => {
    const d = lineDiff(a, b);
    const real = (l: string) => !/^\s*modified: \d+$/.test(l);
    return { removed: d.removed.filter(real), added: d.added.filter(real) };
  };

  it('a header above the one typed in is deleted by another editor: further keys and Ctrl+Z stay in that header, only its line changes', async () => {
    const name = 'Cancel a transaction';
    const first = requestNamed(name);
    restore.push({ file: first.source.file, text: await read(first.source.file) });
    const headers = ['A', 'B', 'C', 'D'].map((x) => ({ name: `X-${x}`, value: x.toLowerCase() }));
    await api.store.apply(legacy(), { kind: 'setRequestFields', id: first.id, fields: { headers } });
    const { file, frame } = await open(name);
    await ui(frame, [{ click: '.tab-strip .tab:nth-child(2)' }]);
    const third = 'input[data-key="headers:2:value"]';
    assert.equal((await ui(frame, [{ value: third }]))[0], 'c');
    await ui(frame, [{ click: third }, { press: 'End' }, { type: '123', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the typing saved', async () => (await read(file)).includes('value: c123'), 8000);
    // another editor of the same request (the store, as a second panel writes) deletes the first header
    const now = requestNamed(name);
    await api.store.apply(legacy(), { kind: 'setRequestFields', id: now.id, fields: { headers: now.headers.slice(1) } });
    await waitFor('the page drawn again', async () => String((await ui(frame, [{ text: '.tab-strip .tab:nth-child(2)' }]))[0]) === 'Headers (3)', 8000);
    const afterDelete = await read(file);
    // the user goes on typing where the caret is (a pause first: a run of its own)
    await ui(frame, [{ wait: 1200 }, { type: 'xy', delayMs: 20, jitterMs: 60 }, { screenshot: 'rows-typed-after-delete' }]);
    await waitFor('the keys saved', async () => (await read(file)) !== afterDelete, 8000);
    const typed = await read(file);
    assert.deepEqual(changed(afterDelete, typed), { removed: ['    value: c123'], added: ['    value: c123xy'] }, 'the keys went into X-C');
    await ui(frame, [{ press: 'Control+z' }]);
    await waitFor('the undo saved', async () => (await read(file)).includes('value: c123\n'), 8000);
    await ui(frame, [{ press: 'Control+z' }]);
    await waitFor('the second undo saved', async () => !(await read(file)).includes('c123'), 8000);
    const undone = await read(file);
    assert.deepEqual(changed(afterDelete, undone), { removed: ['    value: c123'], added: ['    value: c'] }, 'Ctrl+Z took back X-C\'s typing, nothing else');
    assert.equal((await ui(frame, [{ value: 'input[data-key="headers:1:value"]' }]))[0], 'c', 'X-C\'s field, now the second row, shows it');
  });

  it('the environment editor: a variable above the one typed in is deleted in the file: keys and Ctrl+Z stay in that variable', async () => {
    const { file, frame } = await openEnvironment(SUB);
    const host = 'input[data-key="var:2:value"]';
    assert.equal((await ui(frame, [{ value: host }]))[0], 'localhost:3000');
    await ui(frame, [{ click: host }, { press: 'End' }, { type: '9', delayMs: 30 }]);
    await waitFor('the value saved', async () => (await read(file)).includes('host: localhost:30009\n'), 8000);
    // the file changed outside: the first variable deleted
    await fsp.writeFile(file, (await read(file)).replace('  scheme: http\n', '').replace('    - scheme\n', ''));
    await api.store.refreshPaths([file]);
    await waitFor('the page to show the change', async () => (await ui(frame, [{ value: 'input[data-key="var:0:name"]' }]))[0] === 'base_path', 8000);
    const afterDelete = await read(file);
    await ui(frame, [{ wait: 1200 }, { type: '8', delayMs: 30 }]);
    await waitFor('the key saved', async () => (await read(file)) !== afterDelete, 8000);
    assert.deepEqual(changed(afterDelete, await read(file)), { removed: ['  host: localhost:30009'], added: ['  host: localhost:300098'] }, 'the key went into host');
    await ui(frame, [{ press: 'Control+z' }]);
    await waitFor('the undo saved', async () => (await read(file)).includes('host: localhost:30009\n'), 8000);
    await ui(frame, [{ press: 'Control+z' }]);
    await waitFor('the second undo saved', async () => (await read(file)).includes('host: localhost:3000\n'), 8000);
    assert.deepEqual(changed(afterDelete, await read(file)), { removed: ['  host: localhost:30009'], added: ['  host: localhost:3000'] });
  });

  it('the environment editor: the name typed, the page drawn again for a change in the file, then Ctrl+Z takes the name back', async () => {
    const { file, frame } = await openEnvironment(SUB);
    const start = await read(file);
    await ui(frame, [{ click: '#env-name' }, { press: 'End' }, { type: ' two', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the name saved', async () => (await read(file)).includes('name: OpenAPI env localhost:3000 two\n'), 8000);
    await fsp.writeFile(file, (await read(file)).replace('apikey: apikey', 'apikey: changed-outside'));
    await api.store.refreshPaths([file]);
    await waitFor('the page to show the change', async () => (await ui(frame, [{ value: 'input[data-key="var:3:value"]' }]))[0] === 'changed-outside', 8000);
    const [, , name] = await ui(frame, [{ click: '#env-name' }, { press: 'Control+z' }, { value: '#env-name' }, { screenshot: 'rows-env-name-undo' }]);
    assert.equal(name, 'OpenAPI env localhost:3000', 'one Ctrl+Z takes the word typed back');
    await waitFor('the name back in the file', async () => (await read(file)).includes('name: OpenAPI env localhost:3000\n'), 8000);
    assert.deepEqual(changed(start, await read(file)), { removed: ['  apikey: apikey'], added: ['  apikey: changed-outside'] });
  });

  it('written again before git\'s status saw the commit, then taken back: the committed text, byte for byte (git status clean)', async () => {
    const git = gitAs({ name: 'Rows', email: 'rows@example.com' });
    const root = workspaceRoot();
    const before = await git(root, 'rev-parse', 'HEAD');
    const request = requestNamed('Get specific transactions');
    const file = request.source.file;
    restore.push({ file, text: await read(file) });
    const rel = path.relative(root, file).split(path.sep).join('/');
    const repo = api.sync.repositories.find((r) => r.contains(file));
    assert.ok(repo, 'the workspace is a repository Hammock tracks');
    const setUrl = (url: string) => api.store.apply(legacy(), { kind: 'setRequestFields', id: request.id, fields: { url } });
    try {
      await setUrl(`${request.url}/committed`);
      await git(root, 'commit', '-q', '-m', 'rows: committed', '--', rel);
      const committed = await read(file);
      const head = await git(root, 'rev-parse', 'HEAD');
      // the editor's next write lands before Hammock's status has looked at the commit (its watcher waits 300 ms)
      await setUrl(`${request.url}/committed-and-more`);
      await waitFor('the commit in Hammock\'s state', () => repo.repository.snapshot?.status.head === head, 15_000);
      // the status after the commit found the file changed (the write): now taken back
      await setUrl(`${request.url}/committed`);
      assert.equal(await read(file), committed, 'the committed text, `modified` too');
      assert.equal(await git(root, 'status', '--porcelain', '--', rel), '', 'git status is clean for the file');
    } finally {
      await git(root, 'reset', '-q', before);
    }
  });
});
