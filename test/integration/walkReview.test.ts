// A reviewer's walk in the real UI, on a copy of the demo's sample repository (samples/) with a bare remote on this
// machine and a teammate's clone changed with the git CLI: Clone through the palette and its prompts (the clone is
// what `git clone` of the same remote gives), Review Branch of the teammate's branch through the palette (exactly its
// request-level changes, each diff opened by a click on its row; working tree and HEAD untouched), the History view's
// commits of one request against `git log --follow`, and the incoming preview after a Fetch against what Pull brings.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkLegacyFolder } from '../../src/collections/formats/conformance';
import type { HammockApi } from '../../src/extension';
import type { HistoryNode } from '../../src/history/historyView';
import type { ReviewChangeNode } from '../../src/review/reviewTree';
import { activateHammock, gitAs, labelOf, listing, recordErrorMessages, ui, waitFor } from './helpers';

const mate = gitAs({ name: 'Team Mate', email: 'mate@hammock.invalid' });
const git = gitAs({ name: 'Hammock Reviewer', email: 'reviewer@hammock.invalid' });
/** The git CLI as the sample's author, at a given time (author and committer date): the history's order is git's. */
function gitAt(when: number): (cwd: string, ...args: string[]) => Promise<string> {
  return (cwd, ...args) =>
    new Promise((resolve, reject) =>
      execFile('git', args, { cwd, env: { ...process.env, GIT_AUTHOR_NAME: 'Sample Author', GIT_AUTHOR_EMAIL: 'sample@hammock.invalid', GIT_COMMITTER_NAME: 'Sample Author', GIT_COMMITTER_EMAIL: 'sample@hammock.invalid', GIT_AUTHOR_DATE: `${when} +0000`, GIT_COMMITTER_DATE: `${when} +0000`, GIT_CONFIG_NOSYSTEM: '1' } }, (err, stdout, stderr) =>
        err ? reject(new Error(`git ${args.join(' ')}: ${stderr || err.message}`)) : resolve(String(stdout).trim()),
      ),
    );
}
const R = (id: string) => `.insomnia/Request/${id}.yml`;
const FIND = 'req_084139096f4049da9b4cff0e6aa1e3b0'; // GET Find pets by status
const ORDER = 'req_a7e3ed04d6084ca5abb840ca2186e6d0'; // POST Place an order
const DELETE = 'req_0f2470c127c542b8b6588866373514c3'; // DELETE Delete a pet
const INVENTORY = 'req_72bc9a7b007c4e6f91e8de3a36bf22ab'; // GET Inventory
const LOGIN = 'req_556acb82fd3f46e4b140695df46db06d'; // GET Log in
const ADDED = 'req_0000000000000000000000000walk0001';
const ADDED_MAIN = 'req_0000000000000000000000000walk0002';
const WORKBENCH = { selector: '.monaco-workbench' };

async function edit(dir: string, rel: string, from: RegExp, to: string): Promise<void> {
  const file = path.join(dir, ...rel.split('/'));
  const text = await fsp.readFile(file, 'utf8');
  assert.match(text, from, `${rel} has ${from}`);
  await fsp.writeFile(file, text.replace(from, to));
}

/** Runs a command from the palette as a person does: F1, its title typed, Enter on its row once the list shows it. */
async function palette(title: string): Promise<void> {
  await ui(WORKBENCH, [{ press: 'F1' }]);
  await ui({ selector: '.quick-input-widget input' }, [{ type: title, delayMs: 30 }]);
  await ui({ selector: '.quick-input-list .monaco-list-row', text: title }, [{ click: `.quick-input-list .monaco-list-row:has-text("${title}")` }]);
}

/** Types into the open quick input (selected all first) and presses Enter, once its title/prompt shows `text`. */
async function answer(text: string, value: string): Promise<void> {
  await ui({ selector: '.quick-input-widget', text }, [{ click: '.quick-input-widget .quick-input-box input' }, { press: 'Control+a' }, { type: value, delayMs: 20 }, { wait: 300 }, { press: 'Enter' }]);
}

describe('Walk: a reviewer clones, reviews a branch, reads a request\'s history and previews incoming changes', function () {
  this.timeout(240_000);
  let api: HammockApi;
  let scratch: string;
  let bare: string;
  let team: string;
  let clone: string;

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-walkreview-')));
    const project = process.env.HAMMOCK_PROJECT_ROOT;
    assert.ok(project, 'HAMMOCK_PROJECT_ROOT is set');
    // the demo's sample repository (scripts/makeSampleRepo.mjs: samples/ with one commit), a few commits more
    const sample = path.join(scratch, 'sample');
    await fsp.cp(path.join(project, 'samples'), sample, { recursive: true });
    const T = 1_760_000_000;
    await gitAt(T)(sample, 'init', '-q', '-b', 'main');
    await gitAt(T)(sample, 'add', '-A');
    await gitAt(T)(sample, 'commit', '-q', '-m', 'Petstore sample collections (legacy .insomnia and v5)');
    // Find pets by status changed on main, on a side branch committed later than main's next change, and in the merge
    await edit(sample, R(FIND), /^description: .*$/m, 'description: Pets by status, comma separated.');
    await gitAt(T + 100)(sample, 'commit', '-q', '-am', 'Shorter description of Find pets by status');
    await gitAt(T + 100)(sample, 'checkout', '-q', '-b', 'side');
    await edit(sample, R(FIND), /^ {4}value: available$/m, '    value: available,pending');
    await gitAt(T + 400)(sample, 'commit', '-q', '-am', 'Find pending pets too');
    await gitAt(T + 400)(sample, 'checkout', '-q', 'main');
    await edit(sample, R(ORDER), /^name: .*$/m, 'name: Place an order for a pet');
    await gitAt(T + 200)(sample, 'commit', '-q', '-am', 'Rename Place an order');
    await edit(sample, R(FIND), /^ {4}value: application\/json$/m, '    value: application/json; charset=utf-8');
    await gitAt(T + 300)(sample, 'commit', '-q', '-am', 'Find pets by status: JSON in UTF-8');
    await gitAt(T + 500)(sample, 'merge', '-q', '--no-ff', '-m', 'Merge branch side', 'side');
    assert.match(await fsp.readFile(path.join(sample, ...R(FIND).split('/')), 'utf8'), /value: available,pending[\s\S]*charset=utf-8/);
    bare = path.join(scratch, 'petstore.git');
    await git(scratch, 'clone', '-q', '--bare', sample, bare);
    team = path.join(scratch, 'team');
    await mate(scratch, 'clone', '-q', bare, team);
  });

  after(async () => {
    await vscode.commands.executeCommand('hammock.closeReview');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
    await api.sync.rescan();
  });

  it('Clone Repository... from the palette, its URL and folder typed in its prompts: what `git clone` of the same remote gives', async () => {
    const parent = path.join(scratch, 'mine');
    await fsp.mkdir(parent);
    const url = `file://${bare}`;
    await palette('Hammock: Clone Repository...');
    // the URL pasted, as copied from a page (a space either side)
    await ui({ selector: '.quick-input-widget', text: 'URL of the repository to clone' }, [{ clipboard: ` ${url} ` }, { click: '.quick-input-widget .quick-input-box input' }, { press: 'Control+v' }, { wait: 300 }, { press: 'Enter' }]);
    // the folder dialog (VS Code's own, in the browser): the parent folder typed, then its button
    await ui({ selector: '.quick-input-widget', text: 'Select as Repository Destination' }, [{ screenshot: 'walk-review-clone-dialog' }]);
    await answer('Select as Repository Destination', `${parent}/`);
    clone = path.join(parent, 'petstore');
    await ui({ selector: '.notifications-toasts', text: 'cloned into' }, [{ screenshot: 'walk-review-cloned' }]);
    const oracle = path.join(scratch, 'oracle');
    await git(scratch, 'clone', '-q', url, oracle);
    for (const args of [['status', '--porcelain=v1', '--branch', '--untracked-files=all'], ['log', '--format=%H %P %an %s', '--all'], ['for-each-ref', '--format=%(refname) %(objectname) %(upstream)'], ['config', '--get', 'remote.origin.url'], ['config', '--get', 'remote.origin.fetch'], ['ls-files', '--stage'], ['symbolic-ref', 'refs/remotes/origin/HEAD']]) {
      assert.equal(await git(clone, ...args), await git(oracle, ...args), `git ${args.join(' ')}`);
    }
    await git(clone, 'fsck', '--full', '--strict', '--no-dangling');
    assert.deepEqual(await listing(clone), await listing(oracle), 'the same files');
    assert.equal(await git(clone, 'diff', '--no-index', '--stat', '--', path.join(oracle, '.insomnia'), path.join(clone, '.insomnia')).catch((e: Error) => e.message), '');
    assert.deepEqual(checkLegacyFolder(path.join(clone, '.insomnia')), [], "Insomnia's reader accepts the folder");
    await vscode.commands.executeCommand('notifications.clearAll');
    await api.sync.openRepository(clone);
  });
  it('Clone Repository... again into the same folder: refused as git refuses, the first clone untouched', async () => {
    const before = { head: await git(clone, 'rev-parse', 'HEAD'), status: await git(clone, 'status', '--porcelain=v1', '--branch'), files: await listing(clone), config: await fsp.readFile(path.join(clone, '.git', 'config'), 'utf8') };
    const oracle = await git(scratch, 'clone', '-q', `file://${bare}`, clone).then(() => 'cloned', (e: Error) => e.message);
    assert.match(oracle, /already exists and is not an empty directory/);
    const errors = recordErrorMessages();
    try {
      const result = await vscode.commands.executeCommand('hammock.cloneRepository', { url: `file://${bare}`, parent: path.dirname(clone), open: false });
      assert.equal(result, undefined, 'no clone');
      assert.equal(errors.messages.length, 1, errors.messages.join(' | '));
      assert.match(errors.messages[0], /already exists|not empty|not an empty/i);
    } finally {
      errors.restore();
    }
    assert.deepEqual({ head: await git(clone, 'rev-parse', 'HEAD'), status: await git(clone, 'status', '--porcelain=v1', '--branch'), files: await listing(clone), config: await fsp.readFile(path.join(clone, '.git', 'config'), 'utf8') }, before);
    assert.deepEqual(await fsp.readdir(path.dirname(clone)), ['petstore'], 'nothing left beside it');
  });

  /** What Review Branch must leave alone in the clone. */
  const cloneState = async () => ({
    files: await listing(clone),
    bytes: await git(clone, 'ls-files', '-s', '-m', '-o'),
    status: await git(clone, 'status', '--porcelain=v1', '--branch', '--untracked-files=all'),
    head: await git(clone, 'rev-parse', 'HEAD'),
    branch: await git(clone, 'symbolic-ref', 'HEAD'),
    heads: await git(clone, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'),
  });

  /** The rows of the trees on the page (the Review view's show `GET Find pets by status`, the method first). */
  const ROWS = '.monaco-list-row';

  it('Review Branch... from the palette, the teammate\'s branch picked: exactly its four request changes; each row opens its diff; nothing checked out', async () => {
    // the teammate: two requests changed (one field each), one added, one deleted, pushed as `feature`
    await mate(team, 'checkout', '-q', '-b', 'feature');
    await edit(team, R(FIND), /^url: .*$/m, 'url: "{{ _.base_url }}/pet/findByStatus?limit=20"');
    await edit(team, R(ORDER), /^method: POST$/m, 'method: PUT');
    const inventory = await fsp.readFile(path.join(team, ...R(INVENTORY).split('/')), 'utf8');
    await fsp.writeFile(path.join(team, ...R(ADDED).split('/')), inventory.replace(INVENTORY, ADDED).replace(/^name: .*$/m, 'name: Inventory by store'));
    await fsp.rm(path.join(team, ...R(DELETE).split('/')));
    await mate(team, 'add', '-A');
    await mate(team, 'commit', '-q', '-m', 'Pets: paged search, PUT orders, inventory by store, no deleting');
    await mate(team, 'push', '-q', 'origin', 'feature');
    // the reviewer's own work in progress: an uncommitted edit of a request the branch changes, a new file
    await edit(clone, R(FIND), /^description: .*$/m, 'description: my work in progress');
    await fsp.writeFile(path.join(clone, 'NOTES.md'), 'review notes\n');
    const before = await cloneState();
    assert.match(before.status, /^## main\.\.\.origin\/main\n M \.insomnia\/Request\/req_0841.*\n\?\? NOTES\.md$/);

    await palette('Hammock: Review Branch...');
    await ui({ selector: '.quick-input-list .monaco-list-row', text: clone }, [{ click: `.quick-input-list .monaco-list-row:has-text("${clone}")` }]);
    await ui({ selector: '.quick-input-list .monaco-list-row', text: 'feature' }, [{ type: 'feature', delayMs: 40 }, { wait: 300 }, { screenshot: 'walk-review-pick-branch' }, { press: 'Enter' }]);
    const review = await waitFor('the review of feature', () => api.review.current?.branch === 'feature' && api.review.current, 30_000);
    assert.equal(review.root, clone);
    assert.equal(review.result.head, await mate(team, 'rev-parse', 'HEAD'));

    const collections = api.review.tree.getChildren();
    assert.deepEqual(collections.map((c) => c.type === 'reviewCollection' && `${c.collection.kind} ${c.collection.format} ${c.collection.name}`), ['changed legacy Petstore']);
    const nodes = api.review.tree.getChildren(collections[0]) as ReviewChangeNode[];
    const summary = nodes.map((n) => `${n.change.kind} ${n.change.entity} ${n.change.id} ${(n.change.fields ?? []).map((f) => f.text).join(', ')}`.trim()).sort();
    assert.deepEqual(summary, [
      `added request ${ADDED}`,
      `changed request ${FIND} url changed`,
      `changed request ${ORDER} method changed`,
      `removed request ${DELETE}`,
    ].sort());

    // on the page: the Review view's rows, each clicked, each opening its diff
    const wanted: [string, string, (left: string, right: string) => void][] = [
      ['GET Find pets by status', FIND, (l, r) => {
        assert.match(l, /^url: "\{\{ _\.base_url \}\}\/pet\/findByStatus"$/m);
        assert.doesNotMatch(l + r, /my work in progress/, 'the branch against its base, not the working tree');
        assert.match(r, /^url: "\{\{ _\.base_url \}\}\/pet\/findByStatus\?limit=20"$/m);
      }],
      ['PUT Place an order for a pet', ORDER, (l, r) => {
        assert.match(l, /^method: POST$/m);
        assert.match(r, /^method: PUT$/m);
      }],
      ['GET Inventory by store', ADDED, (l, r) => {
        assert.equal(l, '');
        assert.match(r, /^name: Inventory by store$/m);
      }],
      ['DELETE Delete a pet', DELETE, (l, r) => {
        assert.match(l, /^name: Delete a pet$/m);
        assert.equal(r, '');
      }],
    ];
    for (const [label] of wanted) await ui({ selector: ROWS, text: label }, []);
    await ui(WORKBENCH, [{ screenshot: 'walk-review-view' }]);
    for (const [label, id, check] of wanted) {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await ui(WORKBENCH, [{ click: `${ROWS}:has-text("${label}")` }]);
      const tab = await waitFor(`the diff of ${label}`, () => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return input instanceof vscode.TabInputTextDiff ? input : undefined;
      }, 10_000);
      const [left, right] = await Promise.all([vscode.workspace.openTextDocument(tab.original), vscode.workspace.openTextDocument(tab.modified)]);
      assert.ok(vscode.window.tabGroups.activeTabGroup.activeTab?.label.includes(label.replace(/^\w+ /, '')), vscode.window.tabGroups.activeTabGroup.activeTab?.label);
      check(left.getText(), right.getText());
      assert.ok(left.getText().includes(id) || right.getText().includes(id), `the diff of ${id}`);
      await ui(WORKBENCH, [{ screenshot: `walk-review-diff-${id.slice(-6)}` }]);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.deepEqual(await cloneState(), before, 'the working tree, the index, HEAD and the local branches as they were');
    assert.equal(await git(clone, 'rev-parse', 'refs/remotes/origin/feature'), review.result.head, 'only the remote-tracking ref written');
    await git(clone, 'fsck', '--no-dangling');
    await vscode.commands.executeCommand('hammock.closeReview');
    // the work in progress put away, for the steps after
    await git(clone, 'checkout', '--', R(FIND));
    await fsp.rm(path.join(clone, 'NOTES.md'));
    await waitFor('the clone clean', async () => (await git(clone, 'status', '--porcelain')) === '', 5000);
  });

  it('the History view: the commits that changed Find pets by status are `git log -- <file>`\'s, in its order (`--follow`: the same but the merge); each opens its diff', async () => {
    const provider = api.history.provider;
    const mine = await waitFor('the clone in the History view', async () => (await provider.getChildren()).find((n) => n.kind === 'repository' && n.repo.root === clone), 10_000);
    const commits = await waitFor('its commits', async () => {
      const nodes = (await provider.getChildren(mine)).filter((n) => n.kind === 'commit');
      return nodes.length ? nodes : undefined;
    }, 10_000);
    // a commit's change of the request, or (the first commit) the collection added with it
    const touching: { oid: string; change: HistoryNode }[] = [];
    for (const c of commits) {
      assert.ok(c.kind === 'commit');
      for (const ch of await provider.getChildren(c)) {
        if (ch.kind !== 'change') continue;
        const h = ch.change;
        if (h.change ? h.change.id === FIND : h.collection.kind === 'added' && h.collection.path === path.join(clone, '.insomnia')) touching.push({ oid: c.commit.oid, change: ch });
      }
    }
    // `git log -- <file>`: `--follow` adds nothing for a legacy file (named by its id, never renamed) but leaves out
    // the merge, whose file is neither parent's (both sides changed it) and which the History view lists
    const oracle = (await git(clone, 'log', '--format=%H', '--', R(FIND))).split('\n');
    const followed = (await git(clone, 'log', '--follow', '--format=%H', '--', R(FIND))).split('\n');
    assert.equal(await git(clone, 'log', '-1', '--format=%s', oracle[0]), 'Merge branch side');
    assert.deepEqual(followed, oracle.slice(1), 'git log --follow: the same but the merge');
    const subjects = async (oids: string[]) => Promise.all(oids.map((o) => git(clone, 'log', '-1', '--format=%s', o)));
    assert.deepEqual(await subjects(touching.map((t) => t.oid)), await subjects(oracle), 'the commits git log lists, in its order');
    assert.deepEqual(commits.map((c) => c.kind === 'commit' && c.commit.oid), (await git(clone, 'log', '--format=%H', '--', '.insomnia', '*.yaml')).split('\n'), 'every commit of the collections, in git log\'s order');
    for (const { oid, change } of touching) {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const item = provider.getTreeItem(change);
      assert.ok(['Pets/Find pets by status', 'Petstore'].includes(labelOf(item)), labelOf(item));
      await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
      const tab = await waitFor(`the diff at ${oid.slice(0, 7)}`, () => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return input instanceof vscode.TabInputTextDiff && input.modified.query.includes(oid) ? input : undefined;
      }, 10_000);
      const right = (await vscode.workspace.openTextDocument(tab.modified)).getText();
      if (labelOf(item) === 'Petstore') {
        assert.match(right, /^name: Petstore$/m, 'the collection as added');
        continue;
      }
      const atCommit = await git(clone, 'show', `${oid}:${R(FIND)}`);
      for (const line of ['description', 'url'].map((k) => new RegExp(`^${k}: .*$`, 'm').exec(atCommit)![0])) assert.ok(right.includes(line), `${line} at ${oid.slice(0, 7)} in ${right}`);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Fetch from the palette: the teammate\'s new commit on main is previewed before Pull, and the preview is what Pull brings', async () => {
    await mate(team, 'checkout', '-q', 'main');
    await edit(team, R(INVENTORY), /^url: .*$/m, 'url: "{{ _.base_url }}/store/inventory?detail=1"');
    // and, in the same commit, a request deleted, one added, and a request of the v5 file renamed
    await fsp.rm(path.join(team, ...R(LOGIN).split('/')));
    const inventory = await fsp.readFile(path.join(team, ...R(INVENTORY).split('/')), 'utf8');
    await fsp.writeFile(path.join(team, ...R(ADDED_MAIN).split('/')), inventory.replace(INVENTORY, ADDED_MAIN).replace(/^name: .*$/m, 'name: Inventory by day'));
    await edit(team, 'petstore_v5.yaml', /^ {8}name: Get a pet$/m, '        name: Get one pet');
    await mate(team, 'add', '-A');
    await mate(team, 'commit', '-q', '-m', 'Inventory in detail, by day; no login; Get one pet');
    await mate(team, 'push', '-q', 'origin', 'main');
    const theirs = await mate(team, 'rev-parse', 'HEAD');
    const ours = await git(clone, 'rev-parse', 'HEAD');

    await palette('Hammock: Fetch');
    await ui({ selector: '.quick-input-list .monaco-list-row', text: clone }, [{ click: `.quick-input-list .monaco-list-row:has-text("${clone}")` }]);
    await waitFor('origin/main fetched', async () => (await git(clone, 'rev-parse', 'origin/main')) === theirs, 20_000);
    const provider = api.history.provider;
    const mine = (await provider.getChildren()).find((n) => n.kind === 'repository' && n.repo.root === clone)!;
    const incoming = await waitFor('the Incoming node', async () => (await provider.getChildren(mine)).find((n) => n.kind === 'incoming'), 20_000);
    assert.ok(incoming.kind === 'incoming');
    assert.equal(labelOf(provider.getTreeItem(incoming)), 'Incoming: 1 commit from origin/main');
    assert.equal(provider.getTreeItem(incoming).description, 'fast-forward');
    const previewed = (await provider.getChildren(incoming)).map((n) => `${labelOf(provider.getTreeItem(n))} | ${provider.getTreeItem(n).description ?? ''}`);
    // on the page (revealed as the preview notification's Show does: other repositories' rows may fill the view): the
    // Incoming node and its change, whose row opens the diff
    await api.history.showIncoming(api.sync.getRepository(clone)!);
    await ui({ selector: ROWS, text: 'Incoming: 1 commit from origin/main' }, []);
    // (the row's accessible name is its tooltip: what changed)
    const row = `${ROWS}[aria-label^='~ request "Store/Inventory":']`;
    await ui({ selector: row }, [{ click: row }]);
    const tab = await waitFor('the incoming diff', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : undefined;
    }, 10_000);
    const [left, right] = await Promise.all([vscode.workspace.openTextDocument(tab.original), vscode.workspace.openTextDocument(tab.modified)]);
    assert.match(left.getText(), /^url: "\{\{ _\.base_url \}\}\/store\/inventory"$/m);
    assert.match(right.getText(), /^url: "\{\{ _\.base_url \}\}\/store\/inventory\?detail=1"$/m);
    await ui(WORKBENCH, [{ screenshot: 'walk-review-incoming' }]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(await git(clone, 'rev-parse', 'HEAD'), ours, 'nothing pulled yet');
    assert.equal(await git(clone, 'status', '--porcelain'), '');

    await palette('Hammock: Pull');
    await ui({ selector: '.quick-input-list .monaco-list-row', text: clone }, [{ click: `.quick-input-list .monaco-list-row:has-text("${clone}")` }]);
    await waitFor('the pull', async () => (await git(clone, 'rev-parse', 'HEAD')) === theirs, 20_000);
    // what Pull brought, as git tells it, is what was previewed
    assert.equal(await git(clone, 'diff', '--name-status', ours, 'HEAD'), [`A\t${R(ADDED_MAIN)}`, `D\t${R(LOGIN)}`, `M\t${R(INVENTORY)}`, 'M\tpetstore_v5.yaml'].join('\n'));
    assert.deepEqual(previewed.sort(), [
      'Pets/Get one pet | request: name changed',
      'Store/Inventory | request: url changed',
      'Store/Inventory by day | request added',
      'Log in | request removed',
      'Would fast-forward | ',
    ].sort());
    assert.equal(await git(clone, 'status', '--porcelain'), '');
    await git(clone, 'fsck', '--no-dangling');
    await waitFor('the Incoming node gone', async () => !(await provider.getChildren(mine)).some((n) => n.kind === 'incoming'), 10_000);
  });
});
