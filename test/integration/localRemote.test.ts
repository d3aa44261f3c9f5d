// A remote on this machine (a bare repository given by its path) inside a real VS Code: Clone Repository, Push,
// Fetch and Pull through the commands, the network done by the user's git (isomorphic-git has no file transport),
// the checkout, commit and merge by Hammock. The git CLI is the oracle. With hammock.git.useSystemGit "never", the
// clone is refused with a message that says what to do, and nothing is created.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { activateHammock, gitAs, nextNotification, workspaceRoot } from './helpers';

const AUTHOR = { name: 'Hammock Integration', email: 'integration@hammock.invalid' };
const git = gitAs({ name: 'Someone Else', email: 'else@hammock.invalid' });

describe('local remotes (a path) through the user\'s git', function () {
  this.timeout(90_000);
  let api: HammockApi;
  let scratch: string;
  let bare: string;
  let dir: string;


  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-local-it-')));
    bare = path.join(scratch, 'collections.git');
    await git(scratch, 'clone', '-q', '--bare', workspaceRoot(), bare);
    dir = path.join(scratch, 'clone');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('hammock.git').update('useSystemGit', undefined, vscode.ConfigurationTarget.Global);
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
  });

  it('Clone Repository takes a path: the same commit, files and remote URL as git clone, a clean status', async () => {
    const cloned = await vscode.commands.executeCommand<string>('hammock.cloneRepository', { url: bare, dir, open: false });
    assert.equal(cloned, dir);
    const oracle = path.join(scratch, 'oracle');
    await git(scratch, 'clone', '-q', bare, oracle);
    assert.equal(await git(dir, 'rev-parse', 'HEAD'), await git(oracle, 'rev-parse', 'HEAD'));
    assert.equal(await git(dir, 'ls-files', '-s'), await git(oracle, 'ls-files', '-s'));
    assert.equal(await git(dir, 'config', 'remote.origin.url'), await git(oracle, 'config', 'remote.origin.url'));
    assert.equal(await git(dir, 'status', '--porcelain'), '');
    assert.ok(fs.existsSync(path.join(dir, '.insomnia', 'Workspace')), 'the collection is checked out');
  });

  it('Push, Fetch and Pull: the bare repository gets the commit, the incoming one is fetched and merged', async () => {
    const wc = await api.sync.openRepository(dir);
    await wc.repository.setAuthor(AUTHOR);
    await fsp.writeFile(path.join(dir, 'notes.txt'), 'pushed to a path\n');
    const oid = await vscode.commands.executeCommand<string>('hammock.commit', { root: dir, message: 'notes to a path', stageAll: true });
    assert.ok(oid, 'committed');
    await vscode.commands.executeCommand('hammock.push', dir);
    assert.equal(await git(bare, 'rev-parse', 'main'), oid);

    const other = path.join(scratch, 'other');
    await git(scratch, 'clone', '-q', bare, other);
    await fsp.writeFile(path.join(other, 'theirs.txt'), 'theirs\n');
    await git(other, 'add', 'theirs.txt');
    await git(other, 'commit', '-q', '-m', 'theirs');
    await git(other, 'push', '-q', 'origin', 'HEAD:main');
    const theirs = await git(other, 'rev-parse', 'HEAD');
    await vscode.commands.executeCommand('hammock.fetch', dir);
    assert.equal(await git(dir, 'rev-parse', 'origin/main'), theirs);
    await vscode.commands.executeCommand('hammock.pull', dir);
    assert.equal(await git(dir, 'rev-parse', 'HEAD'), theirs);
    assert.equal(await fsp.readFile(path.join(dir, 'theirs.txt'), 'utf8'), 'theirs\n');
    assert.equal(await git(dir, 'status', '--porcelain'), '');
    await git(dir, 'fsck', '--strict', '--no-progress');
  });

  it('with useSystemGit "never": Clone Repository is refused saying what to do, nothing created', async () => {
    await vscode.workspace.getConfiguration('hammock.git').update('useSystemGit', 'never', vscode.ConfigurationTarget.Global);
    const target = path.join(scratch, 'refused');
    const notified = nextNotification(api);
    await vscode.commands.executeCommand('hammock.cloneRepository', { url: bare, dir: target, open: false }).then(
      () => undefined,
      () => undefined,
    );
    const n = await notified;
    assert.equal(n.severity, 'error');
    assert.match(n.message, /is a repository on this machine.*useSystemGit is "never"\. Set it to "auto"/);
    assert.equal(fs.existsSync(target), false);
    assert.deepEqual(fs.readdirSync(scratch).filter((f) => f.includes('hammock-clone')), []);
  });
});
