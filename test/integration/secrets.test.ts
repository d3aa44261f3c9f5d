// Secrets kept out of git, in a real VS Code: a commit made in Hammock whose staged collection change adds a token is
// stopped (HEAD does not move, as the git CLI sees it), then the token is moved into the vault and the same commit goes
// through with a variable in its place; "Commit Anyway" commits as asked. A pasted cURL command with a bearer token is
// imported with the token moved into the vault, named by its method and path, revealed and opened. The token never
// reaches a log, a setting or the webview's state.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HttpRequest } from '../../src/collections/model';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import type { ImportOutcome } from '../../src/importExport/importExportCommands';
import { activateHammock, answerModals, gitAs, inWorkspace, waitFor } from './helpers';

const git = gitAs({ name: 'Secret Tester', email: 'secrets@hammock.invalid' });
// made at run time: no token-shaped literal in the repository
const TOKEN = ['gh', 'p_', 'Zx9Qw2Er5Ty8Ui1Op4As7Df0Gh3Jk6Lz9Xc2Vb'.slice(0, 36)].join('');

describe('Secrets out of git', function () {
  this.timeout(90_000);
  let api: HammockApi;
  let dir: string;
  let file: string;

  before(async () => {
    api = await activateHammock();
    // a repository of its own inside the workspace, holding one v5 collection
    dir = inWorkspace('secret-repo');
    await fsp.mkdir(dir, { recursive: true });
    file = path.join(dir, 'shop.yaml');
    await fsp.copyFile(path.join(process.env.HAMMOCK_FIXTURES!, 'v5/kong-example/my_collection.yaml'), file);
    await git(dir, 'init', '-q', '-b', 'main');
    await git(dir, 'add', '.');
    await git(dir, 'commit', '-qm', 'Shop collection');
    await api.store.refreshPaths([file]);
    await waitFor('the store to read the collection', () => api.store.collections.find((c) => c.path === file), 10_000);
    const repo = await api.sync.openRepository(dir);
    await repo.repository.setAuthor({ name: 'Secret Tester', email: 'secrets@hammock.invalid' });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fsp.rm(dir, { recursive: true, force: true });
    await api.store.refreshPaths([dir]);
  });

  const collection = () => api.store.collections.find((c) => c.path === file)!;
  const firstRequest = () => [...walkItems(collection().children)].find((i): i is HttpRequest => i.kind === 'request')!;

  it('a commit that adds a token is stopped; moved into the vault, the same commit goes through with a variable', async () => {
    const head = await git(dir, 'rev-parse', 'HEAD');
    const r = firstRequest();
    await api.store.apply(collection(), { kind: 'setRequestFields', id: r.id, fields: { headers: [...r.headers, { name: 'Authorization', value: `Bearer ${TOKEN}` }] } });
    await git(dir, 'add', 'shop.yaml');
    // 1. stopped: the dialog lists where, what and a masked preview; nothing is committed
    let modals = answerModals(undefined);
    try {
      const oid = await vscode.commands.executeCommand('hammock.commit', dir, { message: 'Add auth' });
      assert.equal(oid, undefined, 'no commit');
      assert.equal(modals.asked.length, 1);
      assert.match(modals.asked[0].message, /the staged changes add a value that looks like a secret\. Nothing was committed\./);
      assert.match(modals.asked[0].detail, new RegExp(`${r.method} ${r.name} · header Authorization · GitHub token ghp_••••••${TOKEN.slice(-2)}  \\(shop\\.yaml\\)`));
      assert.ok(!modals.asked[0].detail.includes(TOKEN), 'the dialog shows no secret');
    } finally {
      modals.restore();
    }
    assert.equal(await git(dir, 'rev-parse', 'HEAD'), head, 'HEAD did not move');
    // 2. moved into the vault: the request reads {{ vault.authorization }}, the file is staged again and committed
    modals = answerModals('Move to Vault');
    let oid: string | undefined;
    try {
      oid = await vscode.commands.executeCommand<string>('hammock.commit', dir, { message: 'Add auth' });
    } finally {
      modals.restore();
    }
    assert.ok(oid, 'committed');
    assert.equal(await git(dir, 'rev-parse', 'HEAD'), oid);
    const committed = await git(dir, 'show', 'HEAD:shop.yaml');
    assert.ok(!committed.includes(TOKEN), 'the token is not in the commit');
    assert.match(committed, /value: Bearer \{\{ vault\.authorization \}\}/);
    assert.equal(await git(dir, 'status', '--porcelain'), '', 'the working tree is the commit');
    assert.equal(api.localEnvironments.vault(collection().id).authorization, TOKEN, 'the token is in the vault (SecretStorage)');
    // the request still sends the token: the render reads the vault
    const env = await api.activeEnvironments.renderEnvironment(collection());
    assert.equal(env.vault.authorization, TOKEN);
    // nowhere else: not in the settings, not in the collection file
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('hammock')).includes(TOKEN));
    assert.ok(!(await fsp.readFile(file, 'utf8')).includes(TOKEN));
  });

  it('Commit Anyway commits what is staged, as asked', async () => {
    const r = firstRequest();
    const key = ['sk', '_live_', 'a1B2c3D4e5F6g7H8i9J0k1L2'].join('');
    await api.store.apply(collection(), { kind: 'setRequestFields', id: r.id, fields: { parameters: [...r.parameters, { name: 'key', value: key }] } });
    await git(dir, 'add', 'shop.yaml');
    const modals = answerModals('Commit Anyway');
    try {
      const oid = await vscode.commands.executeCommand<string>('hammock.commit', dir, { message: 'Known test key' });
      assert.ok(oid);
    } finally {
      modals.restore();
    }
    assert.ok((await git(dir, 'show', 'HEAD:shop.yaml')).includes(key));
  });

  it('a pasted cURL command with a bearer token: named by method and path, the token moved to the vault, the request opened', async () => {
    const target = { kind: 'existing', collectionPath: file } as const;
    const outcome = await vscode.commands.executeCommand<ImportOutcome | undefined>('hammock.import', {
      text: 'curl -H "Authorization: Bearer abc123" http://127.0.0.1:36987/echo/users',
      skipPreview: true,
      target,
      secrets: 'vault',
    });
    assert.deepEqual(outcome?.collectionPaths, [file]);
    const r = [...walkItems(collection().children)].find((i): i is HttpRequest => i.kind === 'request' && i.name === 'GET /echo/users');
    assert.ok(r, 'named by its method and path');
    // the vault holds `authorization` already (the commit above): the import's token gets a name of its own
    assert.deepEqual(r.headers.map((h) => [h.name, h.value]), [['Authorization', 'Bearer {{ vault.authorization_2 }}']]);
    assert.equal(api.localEnvironments.vault(collection().id).authorization_2, 'abc123');
    assert.equal(api.localEnvironments.vault(collection().id).authorization, TOKEN, 'the earlier secret is kept');
    assert.ok(!(await fsp.readFile(file, 'utf8')).includes('abc123'), 'the token is not in the file');
    // opened in the request editor and selected in the Collections view
    const editor = await waitFor('the request editor', () => api.requestPanels.editor({ collectionPath: file, requestId: r.id }), 10_000);
    assert.ok(editor);
    await waitFor('the editor to be ready', () => editor.uiReady, 45_000);
    assert.ok(!JSON.stringify(editor.lastState ?? {}).includes('abc123'), 'the page never holds the token');
  });

  it('the import without an answer asks; "Keep in the Collection" writes the token as it is', async () => {
    const modals = answerModals('Keep in the Collection');
    try {
      await vscode.commands.executeCommand('hammock.import', {
        text: 'curl -H "X-Api-Key: q1w2e3r4t5y6" https://api.example.com/v1/orders',
        skipPreview: true,
        target: { kind: 'existing', collectionPath: file },
        open: false,
      });
    } finally {
      modals.restore();
    }
    assert.equal(modals.asked.length, 1);
    assert.match(modals.asked[0].message, /this import holds a value that looks like a secret/);
    assert.match(modals.asked[0].detail, /GET \/v1\/orders · header X-Api-Key · literal credential q••••••/);
    assert.ok((await fsp.readFile(file, 'utf8')).includes('q1w2e3r4t5y6'));
  });

  it('Scan Collections for Secrets finds what the file holds and moves it into the vault', async () => {
    const moved = await vscode.commands.executeCommand<string[]>('hammock.scanSecrets', { move: 'vault' });
    // the literal API key kept above, and the Stripe key committed anyway (a name already in the vault gets a suffix:
    // the shop is a copy of a fixture collection, same workspace id, same vault)
    const apiKey = moved?.map((v) => /vault\.(x_api_key(?:_\d+)?)/.exec(v)?.[1]).find(Boolean);
    assert.ok(apiKey, JSON.stringify(moved));
    assert.ok(moved?.some((v) => /vault\.key/.test(v)), JSON.stringify(moved));
    const text = await fsp.readFile(file, 'utf8');
    assert.ok(!text.includes('q1w2e3r4t5y6'));
    assert.equal(api.localEnvironments.vault(collection().id)[apiKey], 'q1w2e3r4t5y6');
  });

  it('Install Git Pre-Commit Secret Check writes a hook that runs the bundled CLI', async () => {
    const hook = await vscode.commands.executeCommand<string>('hammock.installSecretHook', dir);
    assert.equal(hook, path.join(dir, '.git', 'hooks', 'pre-commit'));
    const text = await fsp.readFile(hook!, 'utf8');
    assert.match(text, /# hammock-secret-check/);
    assert.match(text, /dist\/cli\.js'/);
    assert.match(text, /check --secrets --staged/);
    assert.equal((await fsp.stat(hook!)).mode & 0o111, 0o111, 'executable');
  });
});
