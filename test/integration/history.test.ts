// The History view and the incoming preview inside a real VS Code, against the loopback git server: commits that
// touched collection files are listed with the requests they changed (and open their diff), and after another
// clone pushes, Preview Incoming Changes lists exactly what a pull would bring, says when uncommitted work blocks
// it and when a same-field edit conflicts, while HEAD, the index and the working files stay as they were.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import type { HistoryNode, IncomingResult } from '../../src/history/historyView';
import type { SyncRepository } from '../../src/sync/syncRepository';
import type { GitNotification } from '../../src/sync/syncService';
import { GitServer } from '../support/gitServer';
import { activateHammock, gitAs, labelOf, recordErrorMessages, waitFor, workspaceRoot } from './helpers';

const TOKEN = 'history-test-token';
const LIST = '.insomnia/Request/req_a4d4c15ec67b4b6b9cf798e2ecc25845.yml'; // GET List all transactions
const UPDATE = '.insomnia/Request/req_54ba01ebd50e410ea1a79f8003485156.yml'; // PATCH Update a transaction
const GET_ONE = '.insomnia/Request/req_c915c9881b1a4dca8d4f64c9f739ec0d.yml'; // GET Get specific transactions

/** The git CLI, asynchronously: the server answers from this same process. */
const git = gitAs({ name: 'Someone Else', email: 'else@hammock.invalid' });

async function edit(dir: string, rel: string, from: RegExp, to: string): Promise<void> {
  const file = path.join(dir, ...rel.split('/'));
  const text = await fsp.readFile(file, 'utf8');
  assert.match(text, from);
  await fsp.writeFile(file, text.replace(from, to));
}

describe('History view and incoming preview', function () {
  this.timeout(90_000);
  let api: HammockApi;
  let root: string;
  let scratch: string;
  let server: GitServer;
  let repo: SyncRepository;
  let other: string;
  /** HEAD when the tests start. */
  let start: string | undefined;

  /** HEAD, the index, the status and the bytes of every collection file: to prove a preview changed nothing. */
  const state = async () => {
    const files: Record<string, string> = {};
    for (const rel of (await git(root, 'ls-files', '-z', '.insomnia', 'v5')).split('\0').filter(Boolean)) files[rel] = (await fsp.readFile(path.join(root, rel))).toString('base64');
    return { head: await git(root, 'rev-parse', 'HEAD'), index: await git(root, 'ls-files', '-s'), status: await git(root, 'status', '--porcelain=v1'), files };
  };
  const top = async (): Promise<HistoryNode[]> => {
    const nodes = await api.history.provider.getChildren();
    const mine = nodes.find((n) => n.kind === 'repository' && n.repo.root === root);
    return mine ? api.history.provider.getChildren(mine) : nodes;
  };
  const label = (n: HistoryNode): string => labelOf(api.history.provider.getTreeItem(n));
  const preview = (options?: { fetch?: boolean }) => vscode.commands.executeCommand<IncomingResult | undefined>('hammock.previewIncoming', root, options);

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    root = workspaceRoot();
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-history-')));
    fs.mkdirSync(path.join(scratch, 'server'));
    // earlier test files may have left edits: start from a clean, committed working tree
    if (await git(root, 'status', '--porcelain')) {
      await git(root, 'add', '-A');
      await git(root, 'commit', '-q', '-m', 'Earlier tests\' edits');
    }
    start = await git(root, 'rev-parse', 'HEAD');
    // and on main (an earlier test may have left another branch checked out), whose upstream is origin/main
    if ((await git(root, 'branch', '--show-current')) !== 'main') await git(root, 'checkout', '-q', '-B', 'main');
    await git(root, 'config', 'branch.main.remote', 'origin');
    await git(root, 'config', 'branch.main.merge', 'refs/heads/main');
    server = await GitServer.start({ projectRoot: path.join(scratch, 'server'), token: TOKEN });
    server.createBareRepo('history', { seedDir: root });
    const url = server.url('history');
    await vscode.commands.executeCommand('hammock.setUpSync', root, { remoteUrl: url, name: 'Hammock History', email: 'history@hammock.invalid', token: TOKEN });
    repo = await waitFor('the repository of the workspace', () => api.sync.getRepository(root), 10_000);
    await waitFor('origin/main fetched', async () => (await git(root, 'rev-parse', 'origin/main').catch(() => '')) === (await git(root, 'rev-parse', 'HEAD')), 10_000);
    other = path.join(scratch, 'other');
    await git(scratch, 'clone', '-q', url.replace('http://', `http://user:${TOKEN}@`), other);
  });

  after(async () => {
    // the collections as they were before this file's tests, for the test files after it
    if (start) {
      await git(root, 'checkout', start, '--', '.insomnia', 'v5').catch(() => undefined);
      await git(root, 'commit', '-q', '-m', 'History tests: the collections back as they were').catch(() => undefined);
    }
    await server?.close();
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
  });

  it('lists the commits that touched collection files, newest first, with the requests each changed; a change opens its diff', async () => {
    await edit(root, LIST, /^url: .*$/m, 'url: "{{ _.base_url }}/transactions?page=1"');
    await git(root, 'commit', '-q', '-am', 'History: page the transaction list');
    const head = await git(root, 'rev-parse', 'HEAD');
    await fsp.writeFile(path.join(root, 'NOTES.md'), 'not a collection file\n');
    await git(root, 'add', 'NOTES.md');
    await git(root, 'commit', '-q', '-m', 'History: notes only');
    await repo.repository.refresh();

    const commits = await waitFor('the commit in the History view', async () => {
      const nodes = (await top()).filter((n) => n.kind === 'commit');
      return nodes.length && nodes[0].kind === 'commit' && nodes[0].commit.oid === head ? nodes : undefined;
    }, 10_000);
    const summaries = commits.map((n) => (n.kind === 'commit' ? n.commit.summary : ''));
    assert.equal(summaries[0], 'History: page the transaction list');
    assert.ok(!summaries.includes('History: notes only'), `a commit without collection files is not listed: ${summaries.join(' | ')}`);
    const first = commits[0];
    assert.ok(first.kind === 'commit');
    assert.deepEqual(first.commit.files, [{ path: LIST, kind: 'modified' }]);
    assert.equal(label(first), 'History: page the transaction list');
    assert.match(String(api.history.provider.getTreeItem(first).description), new RegExp(`${head.slice(0, 7)}$`));

    const changes = await api.history.provider.getChildren(first);
    assert.equal(changes.length, 1, `one change: ${changes.map(label).join(', ')}`);
    const change = changes[0];
    assert.ok(change.kind === 'change');
    assert.equal(change.change.change?.description, '~ request "Transactions/List all transactions": url changed');
    assert.equal(label(change), 'Transactions/List all transactions');
    assert.equal(api.history.provider.getTreeItem(change).description, 'request: url changed');
    assert.equal(change.change.head, head);

    const item = api.history.provider.getTreeItem(change);
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const editor = await waitFor('the diff of the change', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === 'hammock-rev' && e.document.uri.query.includes(head) ? e : undefined;
    });
    // the request as it is at the commit (the right side), rendered on its own
    assert.match(editor.document.getText(), /url: "?\{\{ _\.base_url \}\}\/transactions\?page=1"?$/m);
    assert.match(editor.document.getText(), /name: List all transactions/);
    assert.doesNotMatch(editor.document.getText(), /Create new transaction/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // paged: one commit a page, then "Load More..." reads the next
    const provider = api.history.provider;
    provider.pageSize = 1;
    try {
      provider.refresh();
      const one = await top();
      assert.deepEqual(one.map((n) => n.kind), ['commit', 'loadMore']);
      const more = provider.getTreeItem(one[1]);
      assert.equal(labelOf(more), 'Load More...');
      await vscode.commands.executeCommand(more.command!.command, ...(more.command!.arguments ?? []));
      const two = await top();
      // alone, the workspace has two such commits and the history ends there; after other test files, it goes on
      assert.deepEqual(two.map((n) => n.kind), summaries.length > 2 ? ['commit', 'commit', 'loadMore'] : ['commit', 'commit']);
      assert.deepEqual(two.slice(0, 2).map(label), summaries.slice(0, 2));
    } finally {
      provider.pageSize = 30;
      provider.refresh();
    }
    // shared with the other clone, so what it pushes next is a fast-forward here
    await vscode.commands.executeCommand('hammock.push', root);
    assert.equal(await git(root, 'rev-parse', 'origin/main'), await git(root, 'rev-parse', 'HEAD'));
  });

  it('after another clone pushes, Preview Incoming Changes lists exactly the incoming changes and changes nothing', async () => {
    await git(other, 'pull', '-q', 'origin', 'main');
    await edit(other, UPDATE, /^url: .*$/m, 'url: "{{ _.base_url }}/v2/transactions/{{ _.id }}"');
    await edit(other, GET_ONE, /^name: .*$/m, 'name: Get one transaction');
    await git(other, 'commit', '-q', '-am', 'Their API v2');
    await git(other, 'push', '-q', 'origin', 'main');
    const theirs = await git(other, 'rev-parse', 'HEAD');

    const before = await state();
    // an auto-fetch round alone brings the Incoming node
    await api.sync.autoFetcher.tick();
    const early = await waitFor('the Incoming node after an auto-fetch', async () => (await top()).find((n) => n.kind === 'incoming'), 10_000);
    assert.ok(early.kind === 'incoming' && early.preview.theirs === theirs);
    assert.deepEqual(await state(), before);

    const notified: GitNotification[] = [];
    const sub = api.sync.onDidNotify((n) => notified.push(n));
    const result = await preview();
    sub.dispose();
    assert.ok(result?.preview);
    const p = result.preview;
    assert.equal(p.kind, 'fastForward');
    assert.equal(p.theirs, theirs);
    assert.equal(p.behind, 1);
    assert.deepEqual(p.blockedBy, []);
    assert.deepEqual([...result.lines].sort(), ['~ request "Transactions/Get one transaction": name changed', '~ request "Transactions/Update a transaction": url changed']);
    assert.equal(result.message, 'Hammock: origin/main has 1 new commit: 2 requests changed. Pulling would fast-forward.');
    assert.deepEqual(notified, [{ severity: 'information', message: result.message, actions: ['Show', 'Pull'] }]);
    // HEAD, index, status and files as before
    assert.equal(await git(root, 'rev-parse', 'origin/main'), theirs);
    assert.deepEqual(await state(), before);

    const incoming = (await top()).find((n) => n.kind === 'incoming');
    assert.ok(incoming, 'an Incoming node at the top of the History view');
    assert.equal((await top())[0].kind, 'incoming');
    assert.equal(label(incoming), 'Incoming: 1 commit from origin/main');
    assert.equal(api.history.provider.getTreeItem(incoming).description, 'fast-forward');
    // a screen reader says the row's label and verdict, not the tooltip's summary
    assert.equal(api.history.provider.getTreeItem(incoming).accessibilityInformation?.label, 'Incoming: 1 commit from origin/main, fast-forward');
    const children = await api.history.provider.getChildren(incoming);
    assert.deepEqual(children.map(label).sort(), ['Transactions/Get one transaction', 'Transactions/Update a transaction', 'Would fast-forward']);
    assert.deepEqual(await state(), before);
  });

  it('uncommitted changes to an incoming file: the preview says the pull is blocked, and by which file', async () => {
    const file = path.join(root, ...GET_ONE.split('/'));
    const original = await fsp.readFile(file);
    try {
      await edit(root, GET_ONE, /^description: .*$/m, 'description: "work in progress"');
      const before = await state();
      const result = await preview({ fetch: false });
      assert.ok(result?.preview);
      assert.deepEqual(result.preview.blockedBy, [GET_ONE]);
      // the file named with what it holds, as a refused pull names it
      assert.match(result.message, new RegExp(`Your uncommitted changes to GET Get specific transactions \\(${GET_ONE.replace(/\./g, '\\.')}\\) block the pull`));
      assert.equal(api.history.provider.getTreeItem((await top()).find((n) => n.kind === 'incoming')!).description, 'blocked by uncommitted changes');
      assert.deepEqual(await state(), before);
    } finally {
      await fsp.writeFile(file, original);
    }
  });

  it('a local commit editing the same field: the preview reports the conflict (file, request, field); nothing changes', async () => {
    await edit(root, UPDATE, /^url: .*$/m, 'url: "{{ _.base_url }}/transactions/{{ _.id }}/edit"');
    await git(root, 'commit', '-q', '-am', 'History: our own Update URL');
    await repo.repository.refresh();
    const before = await state();
    const notified: GitNotification[] = [];
    const sub = api.sync.onDidNotify((n) => notified.push(n));
    const result = await preview();
    sub.dispose();
    assert.ok(result?.preview, `a preview: ${result?.message ?? JSON.stringify(notified)}`);
    const p = result.preview;
    assert.equal(p.kind, 'conflict');
    assert.equal(p.ahead, 1);
    assert.deepEqual(p.conflict?.files.map((f) => [f.path, f.items.map((i) => [i.name, i.fields])]), [[UPDATE, [['Update a transaction', ['url']]]]]);
    assert.match(result.message, /Pulling would conflict in 1 file: "Update a transaction" \(url\)\.$/);
    assert.equal(notified[0]?.severity, 'warning');
    assert.deepEqual(await state(), before);

    const incoming = (await top()).find((n) => n.kind === 'incoming');
    assert.ok(incoming);
    assert.equal(api.history.provider.getTreeItem(incoming).description, 'would conflict');
    const children = (await api.history.provider.getChildren(incoming)).map(label);
    assert.ok(children.includes('Would conflict: "Update a transaction" (url)'), children.join(' | '));
    // the local commit is in the history too
    const commits = (await top()).filter((n) => n.kind === 'commit').map(label);
    assert.equal(commits[0], 'History: our own Update URL');
  });

  it('Hammock: Fetch updates the Incoming node; once the conflict is gone, Pull on the node brings the changes and the node goes', async () => {
    await edit(other, LIST, /^description: .*$/m, 'description: "Paged"');
    await git(other, 'commit', '-q', '-am', 'Their description');
    await git(other, 'push', '-q', 'origin', 'main');
    await vscode.commands.executeCommand('hammock.fetch', root);
    const incoming = await waitFor('the Incoming node with 2 commits', async () => {
      const n = (await top()).find((x) => x.kind === 'incoming');
      return n && label(n) === 'Incoming: 2 commits from origin/main' ? n : undefined;
    }, 10_000);
    assert.ok(incoming.kind === 'incoming');
    assert.ok(incoming.preview.diff.collections.some((c) => c.changes.some((ch) => ch.name === 'List all transactions' && ch.fields?.some((f) => f.field === 'description'))));

    // take their URL: the preview turns into a clean merge, and Pull (given the node, as its inline action is) merges
    await git(root, 'checkout', '-q', 'origin/main', '--', UPDATE);
    await git(root, 'commit', '-q', '-m', 'History: take their URL');
    await repo.repository.refresh();
    const clean = await preview({ fetch: false });
    assert.equal(clean?.preview?.kind, 'merge');
    const node = await waitFor('the Incoming node of a clean merge', async () => {
      const n = (await top()).find((x) => x.kind === 'incoming');
      return n && api.history.provider.getTreeItem(n).description === 'would merge' ? n : undefined;
    }, 10_000);
    await vscode.commands.executeCommand('hammock.pull', node);
    await waitFor('the Incoming node gone after the pull', async () => !(await top()).some((x) => x.kind === 'incoming'), 10_000);
    assert.match(await fsp.readFile(path.join(root, ...LIST.split('/')), 'utf8'), /^description: "Paged"$/m);
    assert.equal(await git(root, 'rev-list', '--count', 'HEAD..origin/main'), '0');
  });
  it('a commit that leaves conflict markers in a request file: its changes name the file, not a removed request; so does the one that mends it', async () => {
    const file = path.join(root, ...GET_ONE.split('/'));
    const text = await fsp.readFile(file, 'utf8');
    await fsp.writeFile(file, `<<<<<<< HEAD\n${text}=======\nname: Theirs\n>>>>>>> theirs\n`);
    await git(root, 'commit', '-q', '-am', 'History: a merge committed with its conflict markers');
    const broke = await git(root, 'rev-parse', 'HEAD');
    await fsp.writeFile(file, text);
    await git(root, 'commit', '-q', '-am', 'History: the markers taken out');
    const mended = await git(root, 'rev-parse', 'HEAD');
    await repo.repository.refresh();
    const commits = await waitFor('both commits in the History view', async () => {
      const nodes = (await top()).filter((n) => n.kind === 'commit');
      return nodes[0]?.kind === 'commit' && nodes[0].commit.oid === mended ? nodes : undefined;
    }, 10_000);
    const commit = (oid: string) => commits.find((n) => n.kind === 'commit' && n.commit.oid === oid)!;
    const broken = await api.history.provider.getChildren(commit(broke));
    assert.deepEqual(broken.map(label), [`${GET_ONE} cannot be read after this commit`]);
    const item = api.history.provider.getTreeItem(broken[0]);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match(String(item.tooltip), /^Line 1: .+\nWhat it holds is left out of this commit's changes\.$/);
    assert.deepEqual((await api.history.provider.getChildren(commit(mended))).map(label), [`${GET_ONE} can be read again`]);
  });

  it('uncommitted edits to a v5 file a pull would change: the preview and the refused Pull name the requests edited (three, then how many more)', async () => {
    const V5 = 'v5/everything.yaml';
    await git(other, 'pull', '-q', 'origin', 'main');
    await edit(other, V5, /"\{\{ _\.base_url \}\}\/user\/login"/, '"{{ _.base_url }}/user/signin"');
    await git(other, 'commit', '-q', '-am', 'Their login URL');
    await git(other, 'push', '-q', 'origin', 'main');
    const file = path.join(root, ...V5.split('/'));
    const original = await fsp.readFile(file);
    try {
      // four requests renamed here, nothing committed
      await edit(root, V5, /^(\s+)name: (login|subscribe|New Request|chat)$/gm, '$1name: $2 (mine)');
      const before = await state();
      const named = /Everything: "[^"]+ \(mine\)", "[^"]+ \(mine\)", "[^"]+ \(mine\)" and 1 more \(v5\/everything\.yaml\)/;
      const result = await preview();
      assert.deepEqual(result?.preview?.blockedBy, [V5]);
      assert.match(result.message, new RegExp(`Your uncommitted changes to ${named.source} block the pull: commit or discard them first\\.`));
      const incoming = (await top()).find((n) => n.kind === 'incoming');
      assert.ok(incoming, 'the Incoming node');
      const rows = (await api.history.provider.getChildren(incoming)).map(label);
      assert.ok(rows.some((r) => new RegExp(`^Blocked by uncommitted changes: ${named.source}$`).test(r)), rows.join(' | '));
      const errors = recordErrorMessages();
      try {
        assert.equal(await vscode.commands.executeCommand('hammock.pull', root), undefined);
        assert.equal(errors.messages.length, 1, errors.messages.join(' | '));
        assert.match(errors.messages[0], new RegExp(`would be overwritten by the pull: · ${named.source} · Commit or discard them first\\.$`));
      } finally {
        errors.restore();
      }
      assert.deepEqual(await state(), before, 'the pull refused: nothing changed');
    } finally {
      await fsp.writeFile(file, original);
    }
    // the edits gone, the pull goes through (as git's would)
    await repo.repository.refresh();
    await vscode.commands.executeCommand('hammock.pull', root);
    assert.equal(await git(root, 'rev-list', '--count', 'HEAD..origin/main'), '0');
  });
});
