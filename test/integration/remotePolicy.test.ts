// http:// remotes in a real VS Code: Set Up Sync with a plain-http remote on another host asks first, in a modal
// that says the token would travel in clear text; declined, nothing is sent and the token is not kept; accepted,
// the remote is used (here it does not exist: the error is the network's, not the policy's), and not asked again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import type { GitNotification } from '../../src/sync/syncService';
import { activateHammock, answerModals, gitAs, workspaceRoot } from './helpers';

const git = gitAs({ name: 'Someone Else', email: 'else@hammock.invalid' });
const REMOTE = 'http://git.example.test/team/api.git';

describe('http:// remotes: refused unless loopback, or confirmed in a modal', function () {
  this.timeout(60_000);
  let api: HammockApi;
  let scratch: string;
  let dir: string;

  const nextNotification = (): Promise<GitNotification> =>
    new Promise((resolve) => {
      const sub = api.sync.onDidNotify((n) => {
        sub.dispose();
        resolve(n);
      });
    });

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
      const notified = nextNotification();
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
      const notified = nextNotification();
      await vscode.commands.executeCommand('hammock.fetch', dir);
      const n = await notified;
      assert.doesNotMatch(n.message, /Refused to use/);
      assert.match(n.message, /git\.example\.test/);
      assert.equal(modals.asked.length, 1);
      const again = nextNotification();
      await vscode.commands.executeCommand('hammock.fetch', dir);
      await again;
      assert.equal(modals.asked.length, 1, 'the answer is kept for the session');
    } finally {
      modals.restore();
    }
  });
});
