// While another git process held `.git/index.lock`, a Hammock commit showed a silent spinner for some 12 s, then
// failed (walkthrough in code-server, 2026-12-07): nothing said why nothing happened. The status bar now says it as
// the wait starts, as the git CLI does ("Another git process seems to be running in this repository"), read here
// from the real workbench; the commit completes once the other process lets the lock go, and a lock that stays
// ends in the error that names the file and the process holding it.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateHammock, gitAs, nextNotification, seedRepository, setUrl, ui, waitFor } from './helpers';

const git = gitAs({ name: 'Hammock Integration', email: 'integration@hammock.invalid' });
const FILE = '.insomnia/Request/req_33f9a4c439d94f67b1c094a18ad0f0cd.yml';
const WAITING = 'Hammock: Waiting for another git process to finish (.git/index.lock)…';

/** The status bar's text, as the user reads it. */
const statusBar = async (): Promise<string> =>
  String((await ui({ selector: '.monaco-workbench .part.statusbar' }, [{ text: '.part.statusbar' }]).catch(() => ['']))[0]);

/** Another process holding `lock` open, as a running git does, once /proc shows it open. */
async function holdOpen(lock: string): Promise<ChildProcess> {
  await fsp.writeFile(lock, '');
  const child = spawn(process.execPath, ['-e', `require('fs').openSync(${JSON.stringify(lock)}, 'r'); setInterval(() => {}, 1000)`], { stdio: 'ignore' });
  await waitFor('the lock held', () => {
    try {
      return fs.readdirSync(`/proc/${child.pid}/fd`).some((fd) => {
        try {
          return fs.readlinkSync(`/proc/${child.pid}/fd/${fd}`) === lock;
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
  return child;
}

describe('Waiting for another git process', function () {
  this.timeout(120_000);
  let scratch: string;
  let holder: ChildProcess | undefined;

  before(function () {
    if (process.platform !== 'linux') this.skip(); // who holds the lock is read from /proc
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-lockwait-')));
  });

  /** The other git exits (gone, not only signalled) and its lock with it. */
  const release = async (lock: string): Promise<void> => {
    if (holder && holder.exitCode === null && holder.signalCode === null) {
      const gone = new Promise((r) => holder!.once('exit', r));
      holder.kill();
      await gone;
    }
    holder = undefined;
    await fsp.rm(lock, { force: true });
  };

  afterEach(async () => {
    if (scratch) await release(path.join(scratch, 'mine', '.git', 'index.lock'));
  });

  after(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
  });

  it('the status bar says why a commit waits while another git holds .git/index.lock; released, the commit completes', async () => {
    const api = await activateHammock();
    await api.sync.ready;
    const mine = await seedRepository(git, path.join(scratch, 'mine'));
    await api.sync.openRepository(mine);
    await setUrl(path.join(mine, ...FILE.split('/')), 'https://example.com/waited');
    await git(mine, 'add', FILE);
    const told: string[] = [];
    const sub = api.sync.onDidNotify((n) => void told.push(n.message));
    try {
      const lock = path.join(mine, '.git', 'index.lock');
      holder = await holdOpen(lock);
      const message = 'Committed once the other git finished';
      const commit = vscode.commands.executeCommand('hammock.commit', { root: mine, message });

      const said = await waitFor('the wait said in the status bar', async () => {
        const text = await statusBar();
        return text.includes('Waiting for another git') && text;
      }, 10_000);
      await ui({ selector: '.monaco-workbench .part.statusbar' }, [{ screenshot: 'lock-wait-status-bar' }]);
      assert.ok(said.includes(WAITING), `the status bar: ${said}`);
      assert.equal(await git(mine, 'rev-list', '--count', 'HEAD'), '1', 'nothing committed while the lock is held');

      // the other git finishes within the wait: the commit goes on, nothing lost, nothing to report
      await release(lock);
      await commit;
      assert.equal(await git(mine, 'log', '-1', '--format=%s'), message);
      assert.equal(await git(mine, 'status', '--porcelain'), '', 'the staged change committed');
      assert.deepEqual(told, []);
      await waitFor('the words gone with the wait', async () => !(await statusBar()).includes('Waiting for another git'), 5_000);
    } finally {
      sub.dispose();
    }
  });

  it('a lock that stays: the words stay until the wait gives up, then the error names the file and its holder', async () => {
    const api = await activateHammock();
    const mine = path.join(scratch, 'mine');
    await setUrl(path.join(mine, ...FILE.split('/')), 'https://example.com/stuck');
    await git(mine, 'add', FILE);
    const lock = path.join(mine, '.git', 'index.lock');
    holder = await holdOpen(lock);
    const notified = nextNotification(api);
    const commit = vscode.commands.executeCommand('hammock.commit', { root: mine, message: 'Never committed' });
    await waitFor('the wait said in the status bar', async () => (await statusBar()).includes(WAITING), 10_000);
    await commit;
    const n = await notified;
    assert.match(n.message, /Another git process is using this repository: \S+\/\.git\/index\.lock exists, held by process \d+/, n.message);
    assert.match(n.message, /wait for it to finish/);
    assert.equal(await git(mine, 'rev-list', '--count', 'HEAD'), '2', 'nothing committed');
    await waitFor('the words gone with the wait', async () => !(await statusBar()).includes('Waiting for another git'), 5_000);
  });
});
