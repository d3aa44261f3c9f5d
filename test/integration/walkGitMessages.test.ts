// A person's walk (the demo, a legacy .insomnia folder): a request edited on main, uncommitted, then Checkout Branch
// to a branch that changed the same request. Hammock refused, rightly, but the notification named only the file,
// `.insomnia/Request/req_084139096f4049da9b4cff0e6aa1e3b0.yml`: an id, where the Source Control view beside it and
// the conflict message of a Pull name the request (`GET Find pets by status`). The refusal now names the request
// with its file. The git CLI is the oracle: it refuses the same checkout, and nothing changes.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { activateHammock, gitAs, keepWorkspace, setUrl, ui, urlOf, waitFor, workspaceRoot } from './helpers';

const git = gitAs({ name: 'Hammock Integration', email: 'integration@hammock.invalid' });
const REQUEST = '.insomnia/Request/req_54ba01ebd50e410ea1a79f8003485156.yml'; // PATCH Update a transaction
const BRANCH = 'walk-dirty-named';

describe('Walk: a checkout refused for uncommitted work names the requests, not only their files', function () {
  this.timeout(120_000);
  let api: HammockApi;

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
  });

  after(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('legacy: "GET ..."-style name and the file, in the notification the workbench shows; nothing changed', async () => {
    const root = workspaceRoot();
    const kept = await keepWorkspace(git, api);
    const file = path.join(root, ...REQUEST.split('/'));
    try {
      await git(root, 'checkout', '-q', '-b', BRANCH);
      await setUrl(file, '"{{ base_url }}/transactions/{{ id }}/theirs"');
      await git(root, 'commit', '-q', '-am', 'Theirs: the url');
      await git(root, 'checkout', '-q', kept.branch);
      await setUrl(file, '"{{ base_url }}/transactions/{{ id }}/mine"');
      const head = await git(root, 'rev-parse', 'HEAD');
      // the oracle: git refuses the same checkout
      await assert.rejects(git(root, 'checkout', '-q', BRANCH), /would be overwritten by checkout/);
      await vscode.commands.executeCommand('notifications.clearAll');

      await vscode.commands.executeCommand('hammock.checkoutBranch', root, BRANCH);

      const toasts = async () => String((await ui({ selector: '.monaco-workbench .part.statusbar' }, [{ text: '.notifications-toasts' }]))[0]);
      const said = await waitFor('the refusal shown', async () => ((await toasts()).includes('overwritten') ? await toasts() : ''), 10_000);
      await ui({ selector: '.monaco-workbench .part.statusbar' }, [{ screenshot: 'walk-dirty-named' }]);
      assert.match(said, /overwritten by the checkout/);
      assert.ok(said.includes(`PATCH Update a transaction (${REQUEST})`), `the request named with its file: ${said}`);
      assert.equal(await git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), kept.branch, 'still on the branch');
      assert.equal(await git(root, 'rev-parse', 'HEAD'), head);
      assert.equal(urlOf(await fsp.readFile(file, 'utf8')), '{{ base_url }}/transactions/{{ id }}/mine', 'the uncommitted edit kept');
    } finally {
      await kept.back();
      await git(root, 'branch', '-q', '-D', BRANCH).catch(() => undefined);
    }
  });

  // The walk: Pull, Merge in Editor (its toast: "1 conflicted file to resolve ... (or Abort Merge)", with Show
  // Conflicts), then Abort Merge. VS Code keeps the toast; its Show Conflicts then did nothing at all.
  it('Show Conflicts with nothing left to resolve (the merge aborted) says so, instead of doing nothing', async () => {
    const root = workspaceRoot();
    assert.equal(await git(root, 'ls-files', '-u'), '', 'no merge in progress (the oracle)');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('hammock.showConflicts', root);
    const toasts = async () => String((await ui({ selector: '.monaco-workbench .part.statusbar' }, [{ text: '.notifications-toasts .notification-list-item' }]).catch(() => ['']))[0]);
    const said = await waitFor('a word on it', async () => ((await toasts()).includes('Hammock') ? await toasts() : ''), 10_000);
    assert.match(said, /no merge conflicts in \S+: nothing is left to resolve/);
  });
});
