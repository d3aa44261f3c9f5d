// "Merge in Editor..." lands the user in an editor on the conflict. It used to merge (markers in the files, the
// stages in the index, MERGE_HEAD) and open nothing: the user had to find the file in Merge Changes or run Show
// Conflicts. Now the first conflicted file opens as a click on its Merge Changes row opens it (VS Code's merge
// editor), for a legacy `.insomnia` repository (the file already open in a text editor, where opening it once failed
// with "ModelService: Cannot add model because it already exists!") and a v5 one; the notification says which file is
// open and how many others are left in Merge Changes. The repositories are clones of a bare one on this machine, a
// teammate's clone pushes the other side; the pull before stops on the conflict and says what the user can do next.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import type { GitNotification } from '../../src/sync/syncService';
import { activateHammock, gitAs, setUrl, teamRepositories, ui, waitFor } from './helpers';

const AUTHOR = { name: 'Hammock Integration', email: 'integration@hammock.invalid' };
const git = gitAs(AUTHOR);
const LEGACY_FIRST = '.insomnia/Request/req_33f9a4c439d94f67b1c094a18ad0f0cd.yml'; // DELETE Cancel a transaction
const LEGACY_SECOND = '.insomnia/Request/req_54ba01ebd50e410ea1a79f8003485156.yml'; // PATCH Update a transaction
const V5_FILE = 'v5/my_collection.yaml'; // request "New Request", url ""

/** The text of the notification toasts the workbench shows now. */
async function toasts(): Promise<string> {
  return String((await ui({ selector: '.monaco-workbench .part.statusbar' }, [{ text: '.notifications-toasts' }]).catch(() => ['']))[0]);
}

describe('Merge in Editor opens the conflict in an editor', function () {
  this.timeout(120_000);
  let api: HammockApi;
  let scratch: string;

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-mergeopens-')));
  });

  afterEach(async () => {
    // the merge editor's result reverted, not saved
    for (let i = 0; i < 20 && vscode.window.tabGroups.all.some((g) => g.tabs.length); i++) {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async () => {
    // Show Conflicts' side bar given back to Hammock's views, where later suites expect it
    await vscode.commands.executeCommand('workbench.view.extension.hammock');
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
  });

  /**
   * A repository holding `folder` of the test workspace (`.insomnia` or `v5`), its bare remote, and a teammate's
   * clone that changed the url of `files` and pushed; the user changed the urls of `mineFiles` (the same files unless
   * told) and committed.
   */
  async function conflictingRepository(name: string, folder: string, files: string[], mineFiles = files): Promise<string> {
    const team = await teamRepositories(git, scratch, name, [folder]);
    const { mine, mate } = team;
    for (const f of files) await setUrl(path.join(mate, ...f.split('/')), '"https://theirs.example/x"');
    await team.matePushes('Theirs: the urls');
    for (const f of mineFiles) await setUrl(path.join(mine, ...f.split('/')), '"https://mine.example/x"');
    await git(mine, 'commit', '-q', '-am', 'Mine: the urls');
    return mine;
  }

  /** The editor in front: the merge editor's result, a diff's right side or a text editor's file. */
  const activeFile = (): string | undefined => {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri; result?: vscode.Uri; modified?: vscode.Uri } | undefined;
    return (input?.result ?? input?.modified ?? input?.uri)?.fsPath;
  };

  /** Pull (stops on the conflict), then Merge in Editor: the merge editor on the first file. Returns the toast's text. */
  async function mergeInEditorOpens(mine: string, conflicted: string[], openFirst: boolean): Promise<string> {
    const repo = await api.sync.openRepository(mine);
    const first = path.join(mine, ...conflicted[0].split('/'));
    if (openFirst) await vscode.window.showTextDocument(vscode.Uri.file(first), { preview: false });
    await vscode.commands.executeCommand('notifications.clearAll');
    const notified: GitNotification[] = [];
    let pulled: GitNotification;
    const sub = api.sync.onDidNotify((n) => notified.push(n));
    try {
      // the pull stops on the conflict, and its notification says what the user can do next
      await vscode.commands.executeCommand('hammock.pull', mine);
      assert.equal(await git(mine, 'ls-files', '-u'), '', 'the pull merged nothing');
      pulled = await waitFor("the pull's notification", () => notified.find((n) => n.message.includes('nothing was changed')), 10_000);
    } finally {
      sub.dispose();
    }
    await vscode.commands.executeCommand('notifications.clearAll');

    await vscode.commands.executeCommand('hammock.mergeInEditor', mine);
    assert.notEqual(await git(mine, 'ls-files', '-u', '--', conflicted[0]), '', 'the first file is unmerged in the index');
    await waitFor(`an editor on ${conflicted[0]} (in front: ${activeFile()})`, () => activeFile() === first, 10_000);
    // the merge editor (a TabInputTextMerge: base, input1, input2, result), as a click on the Merge Changes row opens it
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { base?: vscode.Uri; input1?: vscode.Uri; result?: vscode.Uri };
    assert.equal(input.result?.fsPath, first, 'the merge editor');
    assert.equal(input.base?.scheme, 'hammock-git', "the base is the file's conflict stage 1");
    assert.equal(repo.scm.mergeGroup.resourceStates.length, conflicted.length);
    const said = await waitFor('the toast', async () => ((await toasts()).includes('conflicted file') ? await toasts() : ''), 10_000);
    assert.doesNotMatch(said, /ModelService|already exists|Error/, 'no error while opening it');
    // the pull's notification said in words what the user can do next, and kept its buttons
    assert.match(pulled.message, /nothing was changed\. Next: resolve them in the editor \(Merge in Editor\), or look at them first \(Show Conflicts\)\./);
    assert.deepEqual(pulled.actions, ['Merge in Editor...', 'Show Conflicts'], 'the buttons kept');
    return said;
  }

  it('legacy (.insomnia), the first file already open in a text editor: the merge editor on it, the other one left in Merge Changes', async () => {
    const mine = await conflictingRepository('legacy', '.insomnia', [LEGACY_FIRST, LEGACY_SECOND]);
    const said = await mergeInEditorOpens(mine, [LEGACY_FIRST, LEGACY_SECOND], true);
    assert.match(said, /Hammock: 2 conflicted files to resolve: /);
    assert.ok(said.includes(`${LEGACY_FIRST} is open in the editor; the other one is waiting in Source Control's Merge Changes`), said);
  });

  it('v5: the merge editor on the collection file', async () => {
    const mine = await conflictingRepository('v5', 'v5', [V5_FILE]);
    const said = await mergeInEditorOpens(mine, [V5_FILE], false);
    assert.match(said, /Hammock: 1 conflicted file to resolve: v5\/my_collection\.yaml\b.*\. It is open in the editor/);
  });

  it('a clean merge completes like a pull and opens nothing', async () => {
    const mine = await conflictingRepository('clean', '.insomnia', [LEGACY_FIRST], [LEGACY_SECOND]);
    await git(mine, 'fetch', '-q');
    await api.sync.openRepository(mine);
    const result = await vscode.commands.executeCommand<{ completed: boolean }>('hammock.mergeInEditor', mine);
    assert.equal(result?.completed, true, 'merged without conflicts');
    assert.equal(await git(mine, 'log', '-1', '--format=%P').then((p) => p.split(' ').length), 2, 'a merge commit');
    assert.equal(fs.existsSync(path.join(mine, '.git', 'MERGE_HEAD')), false);
    assert.equal(vscode.window.tabGroups.all.reduce((n, g) => n + g.tabs.length, 0), 0, 'no editor opened');
  });
});
