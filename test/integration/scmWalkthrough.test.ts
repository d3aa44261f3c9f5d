// What a user of VS Code's built-in Git expects of Hammock's Source Control, inside a real VS Code: a conflict
// where one side deleted the file asks, on Stage, whether to keep the file or delete it (VS Code's words, the item
// named as the view names it) and leaves what `git add` / `git rm` leave on an identical copy; the gutter's quick
// diff follows HEAD when a pull (Hammock's, or git's in a terminal) makes a merge commit; resources read like VS
// Code Git's (the folder, relative to the workspace, no leading slash). The git CLI is the oracle; the remote is a bare repository on this machine.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import type { SyncRepository } from '../../src/sync/syncRepository';
import type { HammockResource } from '../../src/views/scm/sourceControl';
import { activateHammock, gitAs, ui, waitFor, workspaceRoot } from './helpers';

const AUTHOR = { name: 'Hammock Integration', email: 'integration@hammock.invalid' };
const git = gitAs({ name: 'Someone Else', email: 'else@hammock.invalid' });
const THEIRS_DELETE = '.insomnia/Request/req_a4d4c15ec67b4b6b9cf798e2ecc25845.yml'; // GET List all transactions
const OURS_DELETE = '.insomnia/Request/req_33f9a4c439d94f67b1c094a18ad0f0cd.yml'; // DELETE Cancel a transaction
const PULLED = '.insomnia/Request/req_54ba01ebd50e410ea1a79f8003485156.yml'; // PATCH Update a transaction

/** A request file with its url line changed. */
async function editUrl(file: string, url: string): Promise<void> {
  const text = await fsp.readFile(file, 'utf8');
  const changed = text.replace(/^url: .*$/m, `url: ${url}`);
  assert.notEqual(changed, text, `${file} has a url line`);
  await fsp.writeFile(file, changed);
}

interface Asked {
  message: string;
  modal: boolean;
  items: string[];
}

/** Answers vscode.window.showInformationMessage with `answer(message)`, recording what was asked. */
function answerInformation(answer: (message: string) => string | undefined): { asked: Asked[]; restore(): void } {
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
  const original = win.showInformationMessage;
  const asked: Asked[] = [];
  win.showInformationMessage = (message: unknown, ...rest: unknown[]) => {
    const options = typeof rest[0] === 'object' && rest[0] !== null ? (rest.shift() as { modal?: boolean }) : {};
    asked.push({ message: String(message), modal: !!options.modal, items: rest.map(String) });
    return Promise.resolve(answer(String(message)));
  };
  return { asked, restore: () => (win.showInformationMessage = original) };
}

describe('Source Control as VS Code Git users expect it', function () {
  this.timeout(120_000);
  let api: HammockApi;
  let scratch: string;
  let bare: string;

  /** A clone of the bare repository, opened in Hammock with an author. */
  async function clone(name: string): Promise<{ dir: string; repo: SyncRepository }> {
    const dir = path.join(scratch, name);
    await git(scratch, 'clone', '-q', bare, dir);
    for (const [k, v] of [['user.name', AUTHOR.name], ['user.email', AUTHOR.email]]) await git(dir, 'config', k, v);
    const repo = await api.sync.openRepository(dir);
    return { dir, repo };
  }

  const group = (repo: SyncRepository, id: 'merge' | 'index' | 'workingTree'): HammockResource[] =>
    ({ merge: repo.scm.mergeGroup, index: repo.scm.indexGroup, workingTree: repo.scm.workingTreeGroup })[id].resourceStates as HammockResource[];

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-scmui-')));
    bare = path.join(scratch, 'collections.git');
    await git(scratch, 'clone', '-q', '--bare', workspaceRoot(), bare);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
  });

  it('Stage on a deleted-by-them / deleted-by-us conflict asks Keep or Delete, and leaves what git add / git rm leave', async () => {
    const { dir, repo } = await clone('deletions');
    await git(dir, 'checkout', '-q', '-b', 'other');
    await fsp.rm(path.join(dir, THEIRS_DELETE));
    await editUrl(path.join(dir, OURS_DELETE), 'https://theirs.example.com/cancel');
    await git(dir, 'commit', '-q', '-am', 'theirs');
    await git(dir, 'checkout', '-q', 'main');
    await fsp.rm(path.join(dir, OURS_DELETE));
    await editUrl(path.join(dir, THEIRS_DELETE), 'https://ours.example.com/list');
    await git(dir, 'commit', '-q', '-am', 'ours');
    await assert.rejects(git(dir, 'merge', '-q', 'other'), 'the merge stops on the two conflicts');
    await repo.repository.refresh();
    const conflict = (rel: string): HammockResource | undefined => group(repo, 'merge').find((r) => r.path === rel);
    const byThem = await waitFor('the deleted-by-them conflict', () => conflict(THEIRS_DELETE));
    const byUs = await waitFor('the deleted-by-us conflict', () => conflict(OURS_DELETE));
    assert.equal(byThem.change, 'deletedByThem');
    assert.equal(byUs.change, 'deletedByUs');
    const oracle = path.join(scratch, 'deletions-oracle');
    await fsp.cp(dir, oracle, { recursive: true, verbatimSymlinks: true });
    const indexBefore = await git(dir, 'ls-files', '-s');

    // dismissed: nothing changes
    const dismissed = answerInformation(() => undefined);
    try {
      await vscode.commands.executeCommand('hammock.stage', byThem);
    } finally {
      dismissed.restore();
    }
    assert.equal(dismissed.asked.length, 1);
    assert.equal(await git(dir, 'ls-files', '-s'), indexBefore);

    const answers = answerInformation((m) => (m.includes('deleted by them') ? 'Keep Our Version' : 'Delete File'));
    try {
      await vscode.commands.executeCommand('hammock.stage', byThem);
      await vscode.commands.executeCommand('hammock.stage', byUs);
    } finally {
      answers.restore();
    }
    assert.deepEqual(answers.asked, [
      {
        message: `Request "GET List all transactions" (${path.posix.basename(THEIRS_DELETE)}) was deleted by them and modified by us.\n\nWhat would you like to do?`,
        modal: true,
        items: ['Keep Our Version', 'Delete File'],
      },
      {
        message: `Request "DELETE Cancel a transaction" (${path.posix.basename(OURS_DELETE)}) was deleted by us and modified by them.\n\nWhat would you like to do?`,
        modal: true,
        items: ['Keep Their Version', 'Delete File'],
      },
    ]);
    await git(oracle, 'add', THEIRS_DELETE);
    await git(oracle, 'rm', '-q', OURS_DELETE);
    assert.equal(await git(dir, 'ls-files', '-s'), await git(oracle, 'ls-files', '-s'));
    assert.equal(await git(dir, 'status', '--porcelain', '-uall'), await git(oracle, 'status', '--porcelain', '-uall'));
    for (const rel of [THEIRS_DELETE, OURS_DELETE]) {
      assert.equal(fs.existsSync(path.join(dir, rel)), fs.existsSync(path.join(oracle, rel)), rel);
    }
    assert.equal(await fsp.readFile(path.join(dir, THEIRS_DELETE), 'utf8'), await fsp.readFile(path.join(oracle, THEIRS_DELETE), 'utf8'));
    await waitFor('the Merge Changes group empty', () => group(repo, 'merge').length === 0);
  });

  for (const by of ['Hammock\'s Pull', 'git pull in a terminal'] as const) {
    it(`the quick diff's original follows HEAD when ${by} makes a merge commit`, async () => {
      const n = by === 'Hammock\'s Pull' ? 1 : 2;
      const { dir, repo } = await clone(`quickdiff${n}`);
      const file = vscode.Uri.file(path.join(dir, PULLED));
      // someone else changes the request and pushes; here, another file is committed: the pull merges
      const other = path.join(scratch, `quickdiff-other${n}`);
      await git(scratch, 'clone', '-q', bare, other);
      await editUrl(path.join(other, PULLED), `https://theirs${n}.example.com/update`);
      await git(other, 'commit', '-q', '-am', 'theirs');
      await git(other, 'push', '-q', 'origin', 'HEAD:main');
      await fsp.writeFile(path.join(dir, 'ours.txt'), 'ours\n');
      await git(dir, 'add', 'ours.txt');
      await git(dir, 'commit', '-q', '-m', 'ours');

      // the file open in an editor, as the user has it: its gutter compares it with the quick diff's original
      await vscode.window.showTextDocument(file, { preview: false });
      const originalUri = await repo.scm.sourceControl.quickDiffProvider!.provideOriginalResource!(file, new vscode.CancellationTokenSource().token);
      assert.ok(originalUri);
      const original = await waitFor('the quick diff\'s original document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === originalUri.toString()), 10_000);
      const headBefore = await git(dir, 'show', `HEAD:${PULLED}`);
      assert.equal(original.getText(), headBefore + '\n');
      const fired: string[] = [];
      const sub = api.sync.originals.onDidChange((u) => fired.push(u.toString()));
      try {
        if (by === 'Hammock\'s Pull') await vscode.commands.executeCommand('hammock.pull', dir);
        else await git(dir, 'pull', '-q', '--no-rebase');
        assert.equal((await git(dir, 'log', '-1', '--format=%P')).split(' ').length, 2, 'the pull made a merge commit');
        const headAfter = (await git(dir, 'show', `HEAD:${PULLED}`)) + '\n';
        assert.notEqual(headAfter, headBefore + '\n');
        await waitFor('the original document showing the new HEAD', () => original.getText() === headAfter, 10_000);
        assert.ok(fired.includes(originalUri.toString()), 'the provider said the original changed');
      } finally {
        sub.dispose();
      }
    });
  }

  it('resources read like VS Code Git\'s: the folder, relative to the workspace, no leading slash', async () => {
    const root = workspaceRoot();
    const repo = await waitFor('the workspace repository', () => api.sync.getRepository(root), 10_000);
    const probe = path.join(root, 'scm-ui-probe', 'deep', 'probe.txt');
    const request = path.join(root, THEIRS_DELETE);
    const requestText = await fsp.readFile(request, 'utf8');
    await fsp.mkdir(path.dirname(probe), { recursive: true });
    await fsp.writeFile(probe, 'probe\n');
    await editUrl(request, 'https://probe.example.com/list');
    try {
      await waitFor('the probe in Changes', () => group(repo, 'workingTree').find((r) => r.path === 'scm-ui-probe/deep/probe.txt'), 10_000);
      await waitFor('the request in Changes', () => group(repo, 'workingTree').find((r) => r.path === THEIRS_DELETE && r.label === 'GET List all transactions'), 10_000);
      await vscode.commands.executeCommand('workbench.view.scm');
      const row = (text: string): string => `.scm-view .monaco-list-row:has-text(${JSON.stringify(text)}) .label-description`;
      const [probeDescription, requestDescription] = await ui({ selector: row('probe.txt') }, [{ text: row('probe.txt') }, { text: row('GET List all transactions') }]);
      assert.equal(probeDescription, 'scm-ui-probe/deep');
      assert.equal(requestDescription, THEIRS_DELETE);
    } finally {
      await fsp.rm(path.join(root, 'scm-ui-probe'), { recursive: true, force: true });
      await fsp.writeFile(request, requestText);
      await vscode.commands.executeCommand('workbench.view.extension.hammock');
    }
  });
});
