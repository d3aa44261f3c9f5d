// A clone into a workspace folder that is not a repository (a "projects" folder opened in VS Code), with VS Code's
// Git on: VS Code's Git watches that folder for new repositories. A clone that fails or is cancelled mid-pack must
// leave no repository entry in VS Code's Git (its hidden temporary folder, once removed, would stay listed in the
// Source Control view as a repository that no longer exists).
// Run with `runInCodeServer.mjs --suite=test/multiRoot --multi-root`.
import * as assert from 'node:assert/strict';
import { promises as fsp, realpathSync } from 'node:fs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { CutProxy } from '../support/cutProxy';
import { GitServer } from '../support/gitServer';
import { activateHammock, ui, waitFor, workspaceRoot } from '../integration/helpers';

interface GitApi {
  readonly repositories: { rootUri: vscode.Uri }[];
  onDidOpenRepository(cb: (r: { rootUri: vscode.Uri }) => void): vscode.Disposable;
}

const TOKEN = ['stale', 'Clone', 'T0k3n'].join('-');

describe('a failed clone into a plain workspace folder leaves no entry in VS Code\'s Git', function () {
  this.timeout(90_000);
  let api: HammockApi;
  let projects: string;
  let scratch: string;
  let server: GitServer;
  let proxy: CutProxy;
  const folders = () => vscode.workspace.workspaceFolders ?? [];
  const gitConfig = () => vscode.workspace.getConfiguration('git');

  before(async () => {
    api = await activateHammock();
    await api.ready;
    scratch = realpathSync(await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-stale-clone-')));
    projects = path.join(scratch, 'projects');
    await fsp.mkdir(path.join(scratch, 'git'));
    await fsp.mkdir(projects);
    server = await GitServer.start({ projectRoot: path.join(scratch, 'git'), token: TOKEN });
    server.createBareRepo('kong-demo', { seedDir: workspaceRoot() });
    proxy = await CutProxy.start(server.port);
    await api.sync.credentials.setToken(proxy.url('kong-demo'), TOKEN);
    vscode.workspace.updateWorkspaceFolders(folders().length, 0, { uri: vscode.Uri.file(projects), name: 'projects' });
    await waitFor('the projects folder is a workspace folder', () => folders().some((f) => f.uri.fsPath === projects), 15_000);
    await gitConfig().update('enabled', true, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    proxy?.setRule(undefined);
    await gitConfig().update('enabled', false, vscode.ConfigurationTarget.Global);
    const i = folders().findIndex((f) => f.uri.fsPath === projects);
    if (i > 0) {
      const removed = new Promise<void>((resolve) => {
        const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => (sub.dispose(), resolve()));
      });
      vscode.workspace.updateWorkspaceFolders(i, 1);
      await removed;
    }
    await proxy?.close();
    await server?.close();
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
  });

  it('cancelled mid-pack: VS Code\'s Git never opens the temporary folder, nothing is left', async () => {
    const ext = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi; enabled: boolean }>('vscode.git');
    assert.ok(ext, 'VS Code\'s Git extension is there');
    const exports = ext.isActive ? ext.exports : await ext.activate();
    const gitApi = await waitFor('VS Code\'s Git enabled', () => (exports.enabled ? exports.getAPI(1) : undefined), 20_000);
    const opened: string[] = [];
    const sub = gitApi.onDidOpenRepository((r) => opened.push(r.rootUri.fsPath));
    let fired = false;
    // the pack held after its first bytes, as a slow network does; the user waits, then cancels
    proxy.setRule({ request: /^POST .*git-upload-pack/, afterBytes: 200, action: 'stall', onFire: () => (fired = true) });
    const dir = path.join(projects, 'kong-demo');
    try {
      const running = vscode.commands.executeCommand('hammock.cloneRepository', { url: proxy.url('kong-demo'), dir, open: false });
      await waitFor('the pack held mid-way', () => fired, 60_000);
      // VS Code's Git looks at a new `.git` half a second after its watcher sees it: give it more than that
      const tmp = fs.readdirSync(projects).filter((f) => f.includes('hammock-clone'));
      assert.equal(tmp.length, 1, `the clone's temporary folder: ${fs.readdirSync(projects).join(', ')}`);
      await new Promise((r) => setTimeout(r, 3000));
      const toast = `.notification-toast:has-text("Cloning ${proxy.url('kong-demo')}")`;
      await ui({ selector: toast }, [{ click: `${toast} .monaco-button:has-text("Cancel")` }]);
      proxy.setRule(undefined);
      await running;
    } finally {
      sub.dispose();
    }
    // (a wait for something that must not happen: VS Code's Git gives no event for a repository it did not open)
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(fs.readdirSync(projects), [], 'nothing left in the folder');
    assert.deepEqual(opened.filter((r) => r.startsWith(projects)), [], 'VS Code\'s Git opened no repository in the folder');
    assert.deepEqual(gitApi.repositories.map((r) => r.rootUri.fsPath).filter((r) => r.startsWith(projects)), [], 'no entry left in VS Code\'s Git');
    await vscode.commands.executeCommand('workbench.view.scm');
    await ui({ selector: '.monaco-workbench' }, [{ wait: 500 }, { screenshot: 'walk-clonefail-5-scm-after-cancel' }]);
  });
});
