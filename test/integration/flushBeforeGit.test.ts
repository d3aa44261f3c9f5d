// Git sees what the user typed: keys typed into the real request editor's URL field (and an environment editor's
// variable) at human speed, and at once Hammock's Commit (then a checkout) run. The edit still waits in the host's
// debounce when the command starts; the git CLI says what went into the commit, and which branch holds the edit.
// Runs on a branch of its own, the working tree's earlier changes stashed and put back after, so that the suites
// after it find the workspace as it was.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import type { HammockApi } from '../../src/extension';
import type { SyncRepository } from '../../src/sync/syncRepository';
import type { GitNotification } from '../../src/sync/syncService';
import { activateHammock, gitAs, openSubEnvironment, ui, until, urlOf, urlTyping, waitFor, workspaceRoot } from './helpers';

const AUTHOR = { name: 'Hammock Integration', email: 'integration@hammock.invalid' };
const REQUEST_ID = 'req_54ba01ebd50e410ea1a79f8003485156'; // PUT Update a transaction (no query parameters)
const REL = `.insomnia/Request/${REQUEST_ID}.yml`;
const ENV_ID = 'env_038c957f9f1749c8bc57927d9655f4b4'; // "OpenAPI env localhost:3000", first variable `scheme`
const ENV_REL = `.insomnia/Environment/${ENV_ID}.yml`;
const BRANCH = 'flush-typed';
const OTHER = 'flush-other';

const git = gitAs(AUTHOR);

describe('Git waits for what was typed in the request and environment editors', function () {
  this.timeout(120_000);
  let api: HammockApi;
  let root: string;
  let file: string;
  let repo: SyncRepository;
  let startBranch: string;
  let stashed = false;

  const { openEditor, typeAtEnd } = urlTyping(() => api, () => path.join(root, '.insomnia'), REQUEST_ID, 'Update a transaction');

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    root = workspaceRoot();
    file = path.join(root, REL);
    repo = await waitFor('the Hammock source control of the workspace', () => api.sync.getRepository(root), 10_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // the commits need an author: this session's only, when git has none (nothing is written into git config)
    if (!(await repo.repository.author())) repo.repository.useSessionAuthor(AUTHOR);
    startBranch = await git(root, 'rev-parse', '--abbrev-ref', 'HEAD');
    if (await git(root, 'status', '--porcelain')) {
      await git(root, 'stash', 'push', '--include-untracked', '-q', '-m', 'flushBeforeGit suite');
      stashed = true;
    }
    // the branch the edits are typed on, and another where the request has another URL
    await git(root, 'checkout', '-q', '-b', BRANCH);
    await git(root, 'checkout', '-q', '-b', OTHER);
    const text = await fsp.readFile(file, 'utf8');
    await fsp.writeFile(file, text.replace(/^url: .*$/m, 'url: https://other.example.com/transactions'));
    await git(root, 'commit', '-q', '-am', 'another URL on the other branch');
    await git(root, 'checkout', '-q', BRANCH);
    await api.store.refreshPaths([file]);
    await repo.repository.refresh();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await git(root, 'checkout', '-q', '-f', startBranch);
    await git(root, 'branch', '-q', '-D', BRANCH, OTHER);
    if (stashed) await git(root, 'stash', 'pop', '-q');
    await api.store.refreshPaths([file, path.join(root, ENV_REL)]);
    await repo.repository.refresh();
  });


  it('URL typed at human speed, then Commit at once: the commit holds every key', async () => {
    const { editor, frame } = await openEditor();
    const expected = await typeAtEnd(editor, frame, '/typed-then-committed');
    // the edit is still in the debounce when Commit starts (else this test proves nothing)
    const pendingAtCommit = editor.busy;
    const oid = await vscode.commands.executeCommand<string>('hammock.commit', root, { message: 'typed, then committed at once', stageAll: true });
    assert.ok(oid, 'the commit was made');
    assert.ok(pendingAtCommit, 'the edit was still pending when Commit started');
    assert.equal(urlOf(await git(root, 'show', `HEAD:${REL}`)), expected, 'HEAD holds every key typed');
    assert.equal(await git(root, 'status', '--porcelain', '--', REL), '', 'nothing of the edit is left out of the commit');
    assert.equal(editor.busy, false, 'nothing is pending: nothing can land on the file after the commit');
    await ui(frame, [{ screenshot: 'flush-before-commit' }]);
  });

  it('typed, then Commit and Checkout at once: the edit is in the branch it was typed on, the editor shows the other branch', async () => {
    const { editor, frame } = await openEditor();
    const expected = await typeAtEnd(editor, frame, '/typed-then-switched');
    assert.ok(editor.busy, 'the edit is still pending when the commands start');
    const oid = await vscode.commands.executeCommand<string>('hammock.commit', root, { message: 'typed, then switched at once', stageAll: true });
    assert.ok(oid, 'the commit was made');
    const branch = await vscode.commands.executeCommand<string>('hammock.checkoutBranch', root, OTHER);
    assert.equal(branch, OTHER);
    assert.equal(await git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), OTHER);
    assert.equal(urlOf(await git(root, 'show', `${BRANCH}:${REL}`)), expected, `${BRANCH} holds every key typed`);
    assert.equal(urlOf(await fsp.readFile(file, 'utf8')), 'https://other.example.com/transactions', "the file is the other branch's");
    assert.equal(editor.busy, false, 'nothing pending: no edit lands on the other branch\'s file');
    assert.equal(editor.heldEdit, undefined, 'no conflict held');
    await waitFor('the editor to show the other branch\'s request', () => editor.lastState?.url === 'https://other.example.com/transactions', 10_000);
    await waitFor('the page to show it', async () => (await ui(frame, [{ value: '#url' }]))[0] === 'https://other.example.com/transactions', 10_000);
    assert.equal(await git(root, 'status', '--porcelain'), '', 'the working tree is the other branch, clean');
    await ui(frame, [{ screenshot: 'flush-before-checkout' }]);
  });

  it('typed, then Export and Duplicate at once: the export and the copy hold every key', async () => {
    const { editor, frame } = await openEditor();
    const expected = await typeAtEnd(editor, frame, '/typed-then-exported');
    assert.ok(editor.busy, 'the edit is still pending when Export starts');
    const out = path.join(await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-export-')), 'export.yaml');
    const collectionNode = { type: 'collection', collection: api.store.collectionAt(path.join(root, '.insomnia'))! };
    await vscode.commands.executeCommand('hammock.exportCollection', collectionNode, { format: 'insomnia-v5', path: out });
    assert.ok((await fsp.readFile(out, 'utf8')).includes(expected), 'the export holds every key typed');
    const more = await typeAtEnd(editor, frame, '/then-duplicated');
    assert.ok(editor.busy, 'the edit is still pending when Duplicate starts');
    const located = api.store.locate(path.join(root, '.insomnia'), REQUEST_ID);
    assert.ok(located?.kind === 'item');
    const copyId = await vscode.commands.executeCommand<string>('hammock.duplicate', { type: 'request', collection: located.collection, request: located.item });
    assert.ok(copyId);
    const copyFile = path.join(root, '.insomnia', 'Request', `${copyId}.yml`);
    try {
      assert.equal(urlOf(await fsp.readFile(copyFile, 'utf8')), more, 'the copy holds every key typed');
      assert.equal(urlOf(await fsp.readFile(file, 'utf8')), more);
      assert.ok(expected.length < more.length);
    } finally {
      await fsp.rm(copyFile, { force: true });
      await api.store.refreshPaths([copyFile]);
      await git(root, 'checkout', '-q', '--', REL);
      await api.store.refreshPaths([file]);
    }
  });

  it('a variable typed in the environment editor, then Commit at once: the commit holds every key', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const c = api.store.collections.find((x) => x.path === path.join(root, '.insomnia'));
    assert.ok(c);
    const state = { collectionPath: c.path, collectionId: c.id, environmentId: ENV_ID };
    await vscode.commands.executeCommand('hammock.editEnvironment', state);
    const editor = api.environmentPanels.editor(state);
    assert.ok(editor);
    await waitFor('the environment editor page', () => editor.uiReady, 45_000);
    const scheme = () => c && api.store.collections.find((x) => x.id === c.id)?.baseEnvironment?.subEnvironments.find((e) => e.id === ENV_ID)?.data.scheme;
    const expected = `${String(scheme())}-typed-then-committed`;
    await ui({ selector: '.env-list' }, [{ click: 'input[data-key="var:0:value"]' }, { press: 'End' }, { type: '-typed-then-committed', delayMs: 20, jitterMs: 60 }]);
    await until('the host to hold the last key typed', () => JSON.stringify(editor.unsaved?.fields.variables ?? []).includes(JSON.stringify(expected)) || scheme() === expected);
    assert.ok(editor.busy, 'the edit is still pending when Commit starts');
    const oid = await vscode.commands.executeCommand<string>('hammock.commit', root, { message: 'environment typed, then committed at once', stageAll: true });
    assert.ok(oid, 'the commit was made');
    const committed = parse(await git(root, 'show', `HEAD:${ENV_REL}`)) as { data?: { scheme?: unknown } };
    assert.equal(committed.data?.scheme, expected, 'HEAD holds every key typed');
    assert.equal(editor.busy, false);
  });

  it('edits held, their tabs closed, then a Checkout: the warning names the request and the environment', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const envFile = path.join(root, ENV_REL);
    // a request edit held: typed, and another program saves another URL before the debounce runs out
    const { editor, frame } = await openEditor();
    await typeAtEnd(editor, frame, '/held-then-closed');
    await fsp.writeFile(file, (await fsp.readFile(file, 'utf8')).replace(/^url: .*$/m, 'url: https://theirs.example.com/transactions'));
    await waitFor('the request edit held', () => editor.heldEdit?.reason === 'conflict', 10_000);
    // an environment edit held the same way (the variable `scheme`)
    const c = api.store.collections.find((x) => x.path === path.join(root, '.insomnia'));
    assert.ok(c);
    const env = await openSubEnvironment(api, c, ENV_ID);
    await ui({ selector: '.env-list' }, [{ click: 'input[data-key="var:0:value"]' }, { press: 'End' }, { type: '-held', delayMs: 20, jitterMs: 40 }]);
    await until('the host to hold the last key typed', () => JSON.stringify(env.unsaved?.fields.variables ?? []).includes('-held'));
    await fsp.writeFile(envFile, (await fsp.readFile(envFile, 'utf8')).replace(/^ {2}scheme: .*$/m, '  scheme: theirs'));
    await waitFor('the environment edit held', () => env.heldEdit?.reason === 'conflict', 10_000);
    // what the other program saved is committed (the checkout then has no change in its way)
    await git(root, 'commit', '-q', '-am', 'saved by another program');
    await repo.repository.refresh();
    // both tabs closed, their questions still up
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the tabs closed', () => !api.requestPanels.editor(editor.state) && !api.environmentPanels.editor(env.state), 8000);
    assert.ok(editor.heldEdit && env.heldEdit, 'still held after closing');
    const told: GitNotification[] = [];
    const sub = api.sync.onDidNotify((n) => void told.push(n));
    try {
      assert.equal(await vscode.commands.executeCommand<string>('hammock.checkoutBranch', root, BRANCH), BRANCH);
    } finally {
      sub.dispose();
    }
    const warnings = told.filter((n) => /went ahead without it/.test(n.message)).map((n) => n.message);
    assert.equal(warnings.length, 2, `one warning per held edit: ${JSON.stringify(told.map((n) => n.message))}`);
    assert.ok(warnings.some((m) => m.includes('the request "Update a transaction"')), warnings.join(' | '));
    assert.ok(warnings.some((m) => m.includes('the environment "OpenAPI env localhost:3000"')), warnings.join(' | '));
    assert.ok(warnings.every((m) => !/the request/.test(m) || m.includes('"Update a transaction"')), `an environment's warning does not say "the request": ${warnings.join(' | ')}`);
    // settled: the file's versions taken
    await editor.resolveHeld('file');
    await env.resolveHeld('file');
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
