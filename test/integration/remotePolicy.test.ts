// Credentials of remotes in a real VS Code. After a 401, "Enter Token..." retries the push that needed it.
// http:// remotes: Set Up Sync with a plain-http remote on another host asks first, in a modal
// that says the token would travel in clear text; declined, nothing is sent and the token is not kept; accepted,
// the remote is used (here it does not exist: the error is the network's, not the policy's), and not asked again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { GitServer } from '../support/gitServer';
import { activateHammock, answerModals, gitAs, nextNotification, waitFor, workspaceRoot } from './helpers';

const git = gitAs({ name: 'Someone Else', email: 'else@hammock.invalid' });
const REMOTE = 'http://git.example.test/team/api.git';

describe('http:// remotes: refused unless loopback, or confirmed in a modal', function () {
  this.timeout(60_000);
  let api: HammockApi;
  let scratch: string;
  let dir: string;


  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-http-it-')));
    dir = path.join(scratch, 'wc');
    await git(scratch, 'clone', '-q', workspaceRoot(), dir);
    await api.sync.openRepository(dir);
  });
  after(async () => {
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
  });

  it('declined: InsecureRemote named in the notification, the token not kept', async () => {
    const modals = answerModals(undefined);
    try {
      const notified = nextNotification(api);
      await vscode.commands.executeCommand('hammock.setUpSync', dir, { remoteUrl: REMOTE, name: 'N', email: 'n@example.com', token: 'cleartext-token' });
      const n = await notified;
      assert.equal(n.severity, 'error');
      assert.match(n.message, /Refused to use http:\/\/git\.example\.test/);
      assert.equal(modals.asked.length, 1);
      assert.match(modals.asked[0].detail, /clear text/);
      assert.equal(await api.sync.credentials.hasCredentials(REMOTE), false);
    } finally {
      modals.restore();
    }
  });

  it('accepted: the remote is tried (a network error, not the policy), and not asked again this session', async () => {
    const modals = answerModals('Use http:// Anyway');
    try {
      const notified = nextNotification(api);
      await vscode.commands.executeCommand('hammock.fetch', dir);
      const n = await notified;
      assert.doesNotMatch(n.message, /Refused to use/);
      assert.match(n.message, /git\.example\.test/);
      assert.equal(modals.asked.length, 1);
      const again = nextNotification(api);
      await vscode.commands.executeCommand('hammock.fetch', dir);
      await again;
      assert.equal(modals.asked.length, 1, 'the answer is kept for the session');
    } finally {
      modals.restore();
    }
  });
});

describe('After a 401, the token entered retries the operation', function () {
  this.timeout(60_000);
  const TOKEN = 'retry-token';
  let api: HammockApi;
  let scratch: string;
  let server: GitServer;

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-retry-it-')));
    fs.mkdirSync(path.join(scratch, 'server'));
    server = await GitServer.start({ projectRoot: path.join(scratch, 'server'), token: TOKEN });
  });
  after(async () => {
    await server?.close();
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
  });

  it('push: the token prompt dismissed, then "Enter Token..." on the error runs the same push, which arrives', async () => {
    const bare = server.createBareRepo('retry', { seedDir: workspaceRoot() });
    const url = server.url('retry');
    const dir = path.join(scratch, 'wc');
    await git(scratch, 'clone', '-q', url.replace('http://', `http://x:${TOKEN}@`), dir);
    await git(dir, 'remote', 'set-url', 'origin', url);
    const wc = await api.sync.openRepository(dir);
    await wc.repository.setAuthor({ name: 'N', email: 'n@example.com' });
    await fsp.writeFile(path.join(dir, 'retry.txt'), 'retried\n');
    const oid = await vscode.commands.executeCommand<string>('hammock.commit', { root: dir, message: 'retry', stageAll: true });
    assert.ok(oid);

    const win = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
    const { showInputBox, showErrorMessage } = win;
    const prompts: string[] = [];
    const errors: string[] = [];
    win.showInputBox = (options: unknown) => {
      const o = options as { prompt?: string; title?: string };
      prompts.push(`${o.title ?? ''} | ${o.prompt ?? ''}`);
      // the prompt during the push is dismissed; the one after "Enter Token..." is answered
      return Promise.resolve(prompts.length === 1 ? undefined : TOKEN);
    };
    win.showErrorMessage = (message: unknown, ...actions: unknown[]) => {
      errors.push(String(message));
      return Promise.resolve(actions.includes('Enter Token...') ? 'Enter Token...' : undefined);
    };
    try {
      await vscode.commands.executeCommand('hammock.push', dir);
      await waitFor('the retried push on the server', async () => (await git(bare, 'rev-parse', 'main')) === oid, 20_000);
    } finally {
      win.showInputBox = showInputBox;
      win.showErrorMessage = showErrorMessage;
    }
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0], /requires authentication/);
    assert.equal(prompts.length, 2);
    // the retry runs after the notification's answer, so the command returned before it: the server has the commit
    // before the retried push has updated origin/main and returned; wait for that, then for the operation to end
    await waitFor('origin/main at the pushed commit', async () => (await git(dir, 'rev-parse', 'origin/main')) === oid, 20_000);
    await waitFor('the retried push finished', () => !wc.repository.currentOperation, 20_000);
    // kept once the server accepted it (right after the push returns)
    await waitFor('the token kept', async () => (await api.sync.credentials.getCredentials(url))?.token === TOKEN);
  });
});
