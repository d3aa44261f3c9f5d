// The rows of the editors' tables (headers, environment variables) as a person typing meets them while the rows
// change elsewhere: a row above the one being typed in is deleted by another editor of the same request or in the
// file on disk; the typing, the focus and Ctrl+Z stay with the row the user is in, and the file changes only that
// row's line. The environment's name keeps its undo history through a redraw. Typed at human speed through the UI
// driver; the files are read as text afterwards.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { walkItems, type Collection, type HttpRequest } from '../../src/collections/model';
import type { EnvTreeNode } from '../../src/tree/environmentsTree';
import type { HammockApi } from '../../src/extension';
import { activateHammock, gitAs, inWorkspace, lineDiff, openRequestEditor, ui, waitFor, workspaceRoot } from './helpers';

describe('Table rows keep their identity through changes made elsewhere', function () {
  // (keys typed one at a time at a person's speed: longer than the suite's 20 s)
  this.timeout(90_000);
  let api: HammockApi;
  const restore: { file: string; text: string }[] = [];

  before(async () => {
    api = await activateHammock();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const files = restore.reverse().splice(0);
    for (const { file, text } of files) await fsp.writeFile(file, text);
    await api.store.refreshPaths(files.map((r) => r.file));
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
  const read = (file: string) => fsp.readFile(file, 'utf8');
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
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const { file, frame } = await openRequestEditor(api, legacy(), requestNamed(name), restore);
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

  const SUB = 'env_038c957f9f1749c8bc57927d9655f4b4';
  const envFile = (id: string) => path.join(inWorkspace('.insomnia'), 'Environment', `${id}.yml`);
  const openEnvironment = async (id: string) => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    restore.push({ file: envFile(id), text: await read(envFile(id)) });
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
