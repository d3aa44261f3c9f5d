// A pull's reported conflict (nothing merged: the diff of HEAD and the upstream) opens from Show Conflicts after the
// user committed from the file's own text editor. The walkthrough of 2026-12-07 found the recipe: with the file open
// in a text editor its gutter's quick diff holds the `hammock-git:` document of HEAD; a commit moves HEAD under that
// document; then the conflict diff, whose left side was the same HEAD document, failed with "The editor could not be
// opened due to an unexpected error" (the workbench: "ModelService: Cannot add model because it already exists!").
// The conflict diff now compares the two commits themselves, documents that never change.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateHammock, gitAs, setUrl, teamRepositories, ui, waitFor } from './helpers';

const git = gitAs({ name: 'Hammock Integration', email: 'integration@hammock.invalid' });
const FILE = '.insomnia/Request/req_33f9a4c439d94f67b1c094a18ad0f0cd.yml'; // DELETE Cancel a transaction

/** What the editor area shows now (its text): a failed editor says "could not be opened". */
async function editorArea(): Promise<string> {
  return String((await ui({ selector: '.monaco-workbench' }, [{ text: '.part.editor' }]))[0]);
}

describe('Show Conflicts after a commit made from the open file', function () {
  this.timeout(120_000);
  let scratch: string;

  before(() => {
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-conflictdiff-')));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.view.extension.hammock');
    await fsp.rm(scratch, { recursive: true, force: true });
  });

  it('the diff of HEAD and the upstream opens, its sides the two commits', async () => {
    const api = await activateHammock();
    await api.sync.ready;
    const team = await teamRepositories(git, scratch, 'mine');
    const { mine, mate } = team;
    const repo = await api.sync.openRepository(mine);
    const file = path.join(mine, ...FILE.split('/'));

    // the file open in a text editor: its quick diff holds HEAD's document
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    await waitFor("the quick diff's document of HEAD", () => vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'hammock-git' && d.uri.path === vscode.Uri.file(file).path), 15_000);
    // changed in that editor and saved (Ctrl+S), then committed: HEAD moves under that document
    const line = editor.document.getText().split('\n').findIndex((l) => l.startsWith('url: '));
    await editor.edit((e) => e.replace(editor.document.lineAt(line).range, 'url: "https://mine.example/x"'));
    await editor.document.save();
    await vscode.commands.executeCommand('hammock.commit', mine, { message: 'Mine: the url', stageAll: true });
    // a teammate changed the same url and pushed; the pull stops on the conflict, merging nothing
    await setUrl(path.join(mate, ...FILE.split('/')), '"https://theirs.example/x"');
    await team.matePushes('Theirs: the url');
    await vscode.commands.executeCommand('hammock.pull', mine).then(undefined, () => undefined);
    assert.ok(repo.repository.reportedConflicts, 'the conflict reported');

    await vscode.commands.executeCommand('hammock.showConflicts', mine);
    const tab = await waitFor('the conflict diff in front', () => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t?.input instanceof vscode.TabInputTextDiff ? t : undefined;
    }, 10_000);
    const input = tab.input as vscode.TabInputTextDiff;
    const [head, theirs] = [await git(mine, 'rev-parse', 'HEAD'), await git(mine, 'rev-parse', 'origin/main')];
    assert.equal(JSON.parse(input.original.query).ref, head, 'the left side: the commit HEAD is');
    assert.equal(JSON.parse(input.modified.query).ref, theirs, "the right side: the upstream's commit");
    assert.match(tab.label, /\(HEAD ↔ origin\/main\)$/);
    // both sides' texts shown, no error in the editor area
    await waitFor('the two sides shown', async () => {
      const text = await editorArea();
      assert.doesNotMatch(text, /could not be opened|already exists/, 'the editor opened');
      return text.includes('mine.example') && text.includes('theirs.example');
    }, 10_000);
  });
});
