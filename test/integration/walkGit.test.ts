// A developer's git walk in the real UI: a teammate pushes a change to the same field of the same request the user
// changed and committed; Pull reports the conflict, Merge in Editor opens it in VS Code's merge editor, the user takes
// one side with the merge editor's own "Accept Current" / "Accept Incoming" (clicked on the page), stages it and
// commits the merge with the Source Control view's Commit Merge button (clicked on the page). Each side once, the
// clone reset between, as `git reset --hard` does. The git CLI is the oracle (`git pull -X ours|theirs` on an
// identical copy), Insomnia's reader checks the folder; the remote is a bare repository on this machine.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkLegacyFolder } from '../../src/collections/formats/conformance';
import type { HammockApi } from '../../src/extension';
import type { SyncRepository } from '../../src/sync/syncRepository';
import type { HammockResource } from '../../src/views/scm/sourceControl';
import { activateHammock, answerModals, gitAs, setUrl, teamRepositories, ui, waitFor } from './helpers';

const AUTHOR = { name: 'Hammock Integration', email: 'integration@hammock.invalid' };
const git = gitAs(AUTHOR);
const REQUEST = '.insomnia/Request/req_54ba01ebd50e410ea1a79f8003485156.yml'; // PATCH Update a transaction

describe('Walk: a teammate changed the same field; Pull, the merge editor, each side once', function () {
  this.timeout(180_000);
  let api: HammockApi;
  let scratch: string;

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-walkgit-')));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
  });

  const mergeGroup = (repo: SyncRepository): HammockResource[] => repo.scm.mergeGroup.resourceStates as HammockResource[];

  it('Accept Current, then (reset) Accept Incoming: the Commit Merge button commits what `git pull -X ours|theirs` leaves', async () => {
    const team = await teamRepositories(git, scratch, 'mine', ['.insomnia', 'v5']);
    const { mine, mate } = team;
    const repo = await api.sync.openRepository(mine);
    const file = path.join(mine, ...REQUEST.split('/'));

    // the teammate changes the url and pushes
    await setUrl(path.join(mate, ...REQUEST.split('/')), '"{{ base_url }}/transactions/{{ id }}/theirs"');
    const theirs = await team.matePushes('Theirs: the url');
    // the user changed the same url and committed it
    await setUrl(file, '"{{ base_url }}/transactions/{{ id }}/mine"');
    await git(mine, 'commit', '-q', '-am', 'Mine: the url');
    const ours = await git(mine, 'rev-parse', 'HEAD');
    await git(mine, 'fetch', '-q');

    for (const side of ['Current', 'Incoming'] as const) {
      await git(mine, 'reset', '-q', '--hard', ours);
      await repo.repository.refresh();
      const oracle = path.join(scratch, `oracle-${side}`);
      await fsp.cp(mine, oracle, { recursive: true, verbatimSymlinks: true });
      await git(oracle, 'pull', '-q', '--no-rebase', '--no-edit', '-X', side === 'Current' ? 'ours' : 'theirs');

      // Pull reports the conflict and changes nothing
      await vscode.commands.executeCommand('hammock.pull', mine);
      assert.equal(await git(mine, 'rev-parse', 'HEAD'), ours, 'the pull moved nothing');
      assert.equal(await git(mine, 'status', '--porcelain'), '');
      await waitFor('the reported conflict', () => mergeGroup(repo).find((r) => r.path === REQUEST && r.reported), 10_000);

      // Merge in Editor, then the conflict opened as a click on its row opens it: VS Code's merge editor
      await vscode.commands.executeCommand('hammock.mergeInEditor', mine);
      const conflict = await waitFor('the conflict to resolve', () => mergeGroup(repo).find((r) => r.path === REQUEST && !r.reported), 10_000);
      await vscode.commands.executeCommand(conflict.command!.command, ...(conflict.command!.arguments ?? []));
      await ui({ selector: 'a[role=button]', text: `Accept ${side}` }, [{ click: `a[role=button]:has-text("Accept ${side}")` }, { screenshot: `walk-git-accept-${side.toLowerCase()}` }]);
      await vscode.commands.executeCommand('workbench.action.files.saveAll');
      const wanted = await git(oracle, 'show', `HEAD:${REQUEST}`);
      await waitFor(`the file as ${side} left it`, async () => (await fsp.readFile(file, 'utf8')).trimEnd() === wanted, 10_000);

      // staged: nothing to ask (resolved), then the view's button commits the merge
      const modals = answerModals(undefined);
      try {
        await vscode.commands.executeCommand('hammock.stage', mergeGroup(repo).find((r) => r.path === REQUEST));
      } finally {
        modals.restore();
      }
      assert.deepEqual(modals.asked, [], 'a resolved conflict is staged without a question');
      await waitFor('the Merge Changes group empty', () => mergeGroup(repo).length === 0, 10_000);
      const button = await waitFor('the Commit Merge button', () => repo.scm.actionButton?.command.title.includes('Commit Merge') && repo.scm.actionButton, 10_000);
      assert.equal(button.enabled, true, `the Commit Merge button is enabled once every conflict is staged (taking ${side})`);
      // the button as the Source Control view shows it (the only one titled Commit Merge: the workspace's own
      // repository is not merging), clicked
      await vscode.commands.executeCommand('workbench.view.scm');
      const onPage = '.scm-view .monaco-button:has-text("Commit Merge")';
      await waitFor('the view\'s Commit Merge button enabled', async () => {
        const [disabled] = (await ui({ selector: onPage }, [{ attribute: onPage, name: 'aria-disabled' }]))[0] as (string | null)[];
        return disabled !== 'true';
      }, 10_000);
      await ui({ selector: onPage }, [{ click: onPage }]);
      await waitFor('the merge committed', () => !fs.existsSync(path.join(mine, '.git', 'MERGE_HEAD')), 10_000);

      assert.equal(fs.existsSync(path.join(mine, '.git', 'MERGE_HEAD')), false, 'the merge is finished');
      assert.equal(await git(mine, 'log', '-1', '--format=%P'), `${ours} ${theirs}`, 'a merge commit of both');
      assert.equal(await git(mine, 'rev-parse', 'HEAD^{tree}'), await git(oracle, 'rev-parse', 'HEAD^{tree}'), `the tree git leaves taking ${side}`);
      assert.equal(await git(mine, 'status', '--porcelain'), '');
      await git(mine, 'fsck', '--no-dangling');
      assert.deepEqual(checkLegacyFolder(path.join(mine, '.insomnia')), [], "Insomnia's reader accepts the folder");
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
