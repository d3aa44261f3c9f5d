// A commit that fails keeps the message typed for it. Beside VS Code's Git (or with Hammock's box left empty) the
// commit asks for its message in a quick input; when the commit then failed (another git held `.git/index.lock`),
// the message was gone, and the user had to type it again (walkthrough, 2026-12-07). VS Code's Git keeps the message
// of a failed commit in its box: Hammock's quick input now offers it again, typed at a person's speed into the real
// quick input, and forgets it once a commit is made. A commit cancelled at its message stages nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateHammock, gitAs, seedRepository, setUrl, ui, waitFor } from './helpers';

const git = gitAs({ name: 'Hammock Integration', email: 'integration@hammock.invalid' });
const FILE = '.insomnia/Request/req_33f9a4c439d94f67b1c094a18ad0f0cd.yml';
const QUICK_INPUT = { selector: '.quick-input-widget', text: 'Commit message' };

describe('A failed commit keeps its message', function () {
  this.timeout(120_000);
  let scratch: string;

  before(() => {
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-commitmsg-')));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('notifications.clearAll');
    await fsp.rm(scratch, { recursive: true, force: true });
  });

  /** The quick input's field, once the commit has asked for its message. */
  const asked = async (): Promise<string> => {
    await waitFor('the commit message asked', async () => (await ui({ selector: '.monaco-workbench' }, [{ text: '.quick-input-widget' }]).catch(() => ['']))[0]?.toString().includes('Commit message'), 15_000);
    return String((await ui(QUICK_INPUT, [{ value: '.quick-input-widget .quick-input-box input' }]))[0]);
  };

  it('held index.lock: the commit fails, its message is offered again; once committed, it is forgotten', async () => {
    const api = await activateHammock();
    await api.sync.ready;
    const mine = await seedRepository(git, path.join(scratch, 'mine'));
    const repo = await api.sync.openRepository(mine);
    const file = path.join(mine, ...FILE.split('/'));
    await setUrl(file, 'https://example.com/locked');
    await git(mine, 'add', FILE);
    repo.scm.sourceControl.inputBox.value = '';
    const message = 'Cancel a transaction: the locked path, a message nobody wants to type twice';

    // another git holds the index: the commit fails (after its retries), with the lock named
    const lock = path.join(mine, '.git', 'index.lock');
    await fsp.writeFile(lock, '');
    const first = vscode.commands.executeCommand('hammock.commit', mine).then(() => 'committed', (e) => `failed: ${e}`);
    assert.equal(await asked(), '', 'nothing offered at first');
    await ui(QUICK_INPUT, [{ click: '.quick-input-widget .quick-input-box input' }, { type: message, delayMs: 20, jitterMs: 40 }, { press: 'Enter' }]);
    await first;
    assert.equal(await git(mine, 'rev-list', '--count', 'HEAD'), '1', 'nothing committed while the lock is held');
    assert.match(await git(mine, 'status', '--porcelain'), /^M {2}\.insomnia\/Request\/req_33f9/m, 'the change still staged');

    // the lock gone, Commit again: the message is there, Enter commits it
    await fsp.rm(lock);
    const second = vscode.commands.executeCommand('hammock.commit', mine).then(() => 'committed', (e) => `failed: ${e}`);
    assert.equal(await asked(), message, 'the message of the failed commit offered again');
    await ui(QUICK_INPUT, [{ press: 'Enter' }]);
    assert.equal(await second, 'committed');
    assert.equal(await git(mine, 'log', '-1', '--format=%s'), message);

    // the next commit starts empty
    await setUrl(file, 'https://example.com/next');
    await git(mine, 'add', FILE);
    const third = vscode.commands.executeCommand('hammock.commit', mine).then(() => 'committed', (e) => `failed: ${e}`);
    assert.equal(await asked(), '', 'forgotten once committed');
    await ui(QUICK_INPUT, [{ press: 'Escape' }]);
    await third;
  });

  it('"Stage All and Commit" cancelled at its message stages nothing (the message is asked first, as VS Code Git\'s smart commit)', async () => {
    const api = await activateHammock();
    const mine = path.join(scratch, 'mine');
    const repo = await api.sync.openRepository(mine);
    await git(mine, 'reset', '-q');
    const file = path.join(mine, ...FILE.split('/'));
    await setUrl(file, 'https://example.com/unstaged');
    repo.scm.sourceControl.inputBox.value = '';
    assert.equal(await git(mine, 'diff', '--name-only'), FILE, 'changed');
    assert.equal(await git(mine, 'diff', '--cached', '--name-only'), '', 'not staged');
    const commit = vscode.commands.executeCommand('hammock.commit', mine, { stageAll: true }).then(() => undefined, () => undefined);
    await asked();
    await ui(QUICK_INPUT, [{ press: 'Escape' }]);
    await commit;
    assert.equal(await git(mine, 'diff', '--cached', '--name-only'), '', 'nothing staged');
    assert.equal(await git(mine, 'diff', '--name-only'), FILE, 'the change still there');
  });
});
