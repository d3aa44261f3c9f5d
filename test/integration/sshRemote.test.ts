// SSH remotes inside a real VS Code: a repository served by Debian's sshd on loopback (test/support/sshServer.ts)
// is cloned, pushed to and pulled from through the commands, the network done by the user's git (the command line
// while VS Code's Git is off, as the test settings have it; then VS Code's Git once it has the repository open),
// the checkout, commit and merge by Hammock. The git CLI on the bare repository is the oracle.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { SshServer } from '../support/sshServer';
import { activateHammock, gitAs, waitFor, workspaceRoot } from './helpers';

const AUTHOR = { name: 'Hammock Integration', email: 'integration@hammock.invalid' };
const git = gitAs({ name: 'Someone Else', email: 'else@hammock.invalid' });

interface GitApiRepository {
  readonly rootUri: vscode.Uri;
  push(...args: unknown[]): Promise<void>;
  fetch(...args: unknown[]): Promise<void>;
}
interface GitApi {
  readonly state: string;
  readonly repositories: GitApiRepository[];
  openRepository(root: vscode.Uri): Promise<GitApiRepository | null>;
}

describe('SSH remotes through the user\'s git', function () {
  this.timeout(90_000);
  let api: HammockApi;
  let ssh: SshServer;
  let scratch: string;
  let bare: string;
  let dir: string;
  let sshCommandBefore: string | undefined;

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    ssh = await SshServer.start();
    // the user's git (and VS Code's, in this same process) reach the test sshd with its key, no prompts
    sshCommandBefore = process.env.GIT_SSH_COMMAND;
    process.env.GIT_SSH_COMMAND = ssh.clientEnv.GIT_SSH_COMMAND;
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-ssh-it-')));
    bare = ssh.createBareRepo(scratch, 'collections', { seedDir: workspaceRoot() });
    dir = path.join(scratch, 'clone');
  });

  after(async () => {
    if (sshCommandBefore === undefined) delete process.env.GIT_SSH_COMMAND;
    else process.env.GIT_SSH_COMMAND = sshCommandBefore;
    await ssh?.close();
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
  });

  it('Clone Repository takes an SSH URL: fetched by git, checked out by Hammock, the URL kept as written', async () => {
    const url = ssh.url(bare);
    const cloned = await vscode.commands.executeCommand<string>('hammock.cloneRepository', { url, dir, open: false });
    assert.equal(cloned, dir);
    assert.equal(await git(dir, 'rev-parse', 'HEAD'), await git(bare, 'rev-parse', 'main'));
    assert.equal(await git(dir, 'status', '--porcelain'), '');
    assert.equal(await git(dir, 'config', 'remote.origin.url'), url);
    assert.ok(fs.existsSync(path.join(dir, '.insomnia', 'Workspace')), 'the collection is checked out');
  });

  it('Push and Pull of an SSH remote: the server gets the commit, the incoming one is merged', async () => {
    const wc = await api.sync.openRepository(dir);
    await wc.repository.setAuthor(AUTHOR);
    await fsp.writeFile(path.join(dir, 'notes.txt'), 'pushed over ssh\n');
    const oid = await vscode.commands.executeCommand<string>('hammock.commit', { root: dir, message: 'notes over ssh', stageAll: true });
    assert.ok(oid, 'committed');
    await vscode.commands.executeCommand('hammock.push', dir);
    assert.equal(await git(bare, 'rev-parse', 'main'), oid);

    const other = path.join(scratch, 'other');
    // the helper's git took its environment before GIT_SSH_COMMAND was set: name the ssh command here
    const viaSsh = ['-c', `core.sshCommand=${ssh.clientEnv.GIT_SSH_COMMAND}`];
    await git(scratch, ...viaSsh, 'clone', '-q', ssh.url(bare), other);
    await fsp.writeFile(path.join(other, 'theirs.txt'), 'theirs\n');
    await git(other, 'add', 'theirs.txt');
    await git(other, 'commit', '-q', '-m', 'theirs');
    await git(other, ...viaSsh, 'push', '-q', 'origin', 'HEAD:main');
    const theirs = await git(other, 'rev-parse', 'HEAD');
    await vscode.commands.executeCommand('hammock.pull', dir);
    assert.equal(await git(dir, 'rev-parse', 'HEAD'), theirs);
    assert.equal(await fsp.readFile(path.join(dir, 'theirs.txt'), 'utf8'), 'theirs\n');
  });

  it('through VS Code\'s Git once it has the repository open (its API runs the push)', async () => {
    const gitConfig = vscode.workspace.getConfiguration('git');
    await gitConfig.update('enabled', true, vscode.ConfigurationTarget.Global);
    // the clone lies outside the workspace: VS Code's Git opens such a repository only when told to
    await gitConfig.update('openRepositoryInParentFolders', 'always', vscode.ConfigurationTarget.Global);
    let restorePrototype: (() => void) | undefined;
    try {
      const ext = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
      assert.ok(ext, 'VS Code\'s Git extension is there');
      const exports = ext.isActive ? ext.exports : await ext.activate();
      const gitApi = await waitFor('VS Code\'s Git enabled', () => {
        try {
          return exports.getAPI(1);
        } catch {
          return undefined;
        }
      }, 20_000);
      const opened = await waitFor('VS Code\'s Git opening the clone', () => gitApi.openRepository(vscode.Uri.file(dir)), 20_000).catch((e: Error) => {
        throw new Error(`${e.message} (state ${gitApi.state}, trusted ${vscode.workspace.isTrusted}, repositories ${gitApi.repositories.map((r) => r.rootUri.fsPath).join(', ')})`);
      });
      // count the pushes VS Code's Git runs (each API call gets a new wrapper: patch their prototype)
      const proto = Object.getPrototypeOf(opened) as GitApiRepository;
      const original = proto.push;
      let apiPushes = 0;
      proto.push = function (this: GitApiRepository, ...args: unknown[]) {
        apiPushes++;
        return original.apply(this, args);
      };
      restorePrototype = () => (proto.push = original);

      await fsp.writeFile(path.join(dir, 'notes.txt'), 'pushed through VS Code\'s Git\n');
      const oid = await vscode.commands.executeCommand<string>('hammock.commit', { root: dir, message: 'through the API', stageAll: true });
      await vscode.commands.executeCommand('hammock.push', dir);
      assert.equal(await git(bare, 'rev-parse', 'main'), oid);
      assert.equal(apiPushes, 1, 'the push went through VS Code\'s Git');
    } finally {
      restorePrototype?.();
      await gitConfig.update('openRepositoryInParentFolders', undefined, vscode.ConfigurationTarget.Global);
      await gitConfig.update('enabled', false, vscode.ConfigurationTarget.Global);
    }
  });
});
