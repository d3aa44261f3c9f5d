// Review Branch inside a real VS Code, against a git server on loopback: a second clone pushes a branch that changes
// a request's URL and headers, adds a request and deletes one (while main moves on with an unrelated change); Review
// Branch lists exactly those changes against the merge base, the diff documents hold both versions, Try This Request
// sends the branch's request rendered with the reviewer's own (uncommitted) environment to a loopback HTTP server,
// and the working tree, git status, HEAD, the index and the local branches are the same before and after.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import type { ReviewState } from '../../src/review/reviewController';
import type { ReviewChangeNode, ReviewCollectionNode, ReviewUnreadableNode } from '../../src/review/reviewTree';
import type { ResponseRecord } from '../../src/webviews/responseHistory';
import { GitServer } from '../support/gitServer';
import { startTestServer, type TestServer } from '../support/httpServer';
import { activateHammock, gitAs, labelOf, recordErrorMessages, ui, waitFor, workspaceRoot } from './helpers';

const TOKEN = 'review-test-token';
const CHANGED = 'req_a4d4c15ec67b4b6b9cf798e2ecc25845'; // GET List all transactions
const DELETED = 'req_33f9a4c439d94f67b1c094a18ad0f0cd'; // DELETE Cancel a transaction
const ADDED = 'req_0000000000000000000000000review01';
const SUB_ENV = 'env_038c957f9f1749c8bc57927d9655f4b4'; // "OpenAPI env localhost:3000"
const BRANCH = 'feature/review-me';
const ADDED_COLLECTION = 'wrk_review_added_by_branch';
const ADDED_V5_REQUEST = 'req_review_added_v5';

/** The git CLI, asynchronously: the server answers from this same process. */
const git = gitAs({ name: 'Pull Request Author', email: 'author@hammock.invalid' });

/** sha1 of every file of the working tree (not .git), by path. */
async function hashTree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string) => {
    for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else out.set(path.relative(root, p), createHash('sha1').update(await fsp.readFile(p)).digest('hex'));
    }
  };
  await walk(root);
  return out;
}

describe('Review Branch: a remote branch against its base, without touching the working tree', function () {
  this.timeout(120_000);
  let api: HammockApi;
  let root: string;
  let scratch: string;
  let server: GitServer;
  let http: TestServer;
  let envFile: string;
  let envOriginal: string;
  let review: ReviewState | undefined;
  /** the changed request's url line at the base (earlier test files may have committed a change to it). */
  let baseUrlLine: string;
  let legacyId: string | undefined;
  let activeBefore: string | undefined;
  /** the commit of pull request #7 (from a fork: no branch of the remote has it). */
  let prCommit: string;

  /** everything Review Branch must leave alone. */
  const repoState = async () => ({
    files: [...(await hashTree(root)).entries()].sort(),
    status: await git(root, 'status', '--porcelain=v1', '--untracked-files=all'),
    head: await git(root, 'rev-parse', 'HEAD'),
    headRef: await git(root, 'symbolic-ref', '-q', 'HEAD').catch(() => 'detached'),
    index: await git(root, 'ls-files', '--stage'),
    branches: await git(root, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'),
  });
  let stateBefore: Awaited<ReturnType<typeof repoState>>;

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    root = workspaceRoot();
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-review-')));
    fs.mkdirSync(path.join(scratch, 'server'));
    server = await GitServer.start({ projectRoot: path.join(scratch, 'server'), token: TOKEN });
    server.createBareRepo('reviewed', { seedDir: root });
    const url = server.url('reviewed');
    http = await startTestServer();
    await waitFor('the Hammock source control of the workspace', () => api.sync.getRepository(root), 10_000);
    await vscode.commands.executeCommand('hammock.setUpSync', root, { remoteUrl: url, name: 'Reviewer', email: 'reviewer@hammock.invalid', token: TOKEN });

    // the pull request: another clone changes a request (URL, a header), adds one, deletes one, and pushes a branch
    const authed = url.replace('://', `://x-access-token:${TOKEN}@`);
    const other = path.join(scratch, 'other');
    await git(scratch, 'clone', '-q', authed, other);
    await git(other, 'checkout', '-q', '-b', BRANCH);
    const changedFile = path.join(other, '.insomnia', 'Request', `${CHANGED}.yml`);
    const text = await fsp.readFile(changedFile, 'utf8');
    baseUrlLine = /^url: .*$/m.exec(text)![0];
    const branchText = text
      .replace(/^url: .*$/m, 'url: "{{ _.base_url }}/echo?from=branch"')
      .replace(/^headers: \[\]$/m, 'headers:\n  - name: X-Review\n    value: "{{ _.apikey }}"');
    assert.notEqual(branchText, text);
    await fsp.writeFile(changedFile, branchText);
    await fsp.writeFile(
      path.join(other, '.insomnia', 'Request', `${ADDED}.yml`),
      branchText.replace(CHANGED, ADDED).replace(/^name: .*$/m, 'name: Added on the branch').replace(/^url: .*$/m, 'url: "{{ _.base_url }}/echo?added=1"'),
    );
    await fsp.rm(path.join(other, '.insomnia', 'Request', `${DELETED}.yml`));
    // and adds a collection of its own (v5), whose requests only the branch's environment can render
    await fsp.writeFile(path.join(other, 'v5', 'added-by-branch.yaml'), [
      'type: collection.insomnia.rest/5.0',
      'name: Added by the branch',
      'meta:',
      `  id: ${ADDED_COLLECTION}`,
      '  created: 1',
      '  modified: 1',
      'collection:',
      '  - url: "{{ _.base_url }}/echo?collection=added"',
      '    name: Branch only',
      '    meta:',
      `      id: ${ADDED_V5_REQUEST}`,
      '      created: 1',
      '      modified: 1',
      '      sortKey: 1',
      '    method: POST',
      'environments:',
      '  name: Base Environment',
      '  meta:',
      '    id: env_review_added_base',
      '    created: 1',
      '    modified: 1',
      '  data:',
      `    base_url: ${http.httpUrl}`,
      '',
    ].join('\n'));
    await git(other, 'add', '-A');
    await git(other, 'commit', '-q', '-m', 'Change, add and delete requests');
    await git(other, 'push', '-q', 'origin', BRANCH);
    // meanwhile main moves on (a change that is not the branch's): the review compares with the merge base
    await git(other, 'checkout', '-q', 'main');
    const v5 = (await fsp.readdir(path.join(other, 'v5'))).find((n) => n.endsWith('.yaml') && n !== 'spec.yaml')!;
    await fsp.appendFile(path.join(other, 'v5', v5), '# main moved on\n');
    const mainText = await fsp.readFile(path.join(other, 'v5', v5), 'utf8');
    await fsp.writeFile(path.join(other, 'v5', v5), mainText.replace(/^name: .*$/m, 'name: Renamed on main'));
    await git(other, 'commit', '-q', '-am', 'Unrelated change on main');
    await git(other, 'push', '-q', 'origin', 'main');
    // a pull request from a fork: its commit is on no branch of the remote, only under refs/pull/7/head (as GitHub
    // keeps it); it renames the changed request
    await git(other, 'checkout', '-q', '--detach', `origin/${BRANCH}`);
    await fsp.writeFile(changedFile, branchText.replace(/^name: .*$/m, 'name: Renamed by a fork'));
    await git(other, 'commit', '-q', '-am', 'Rename, from a fork');
    prCommit = await git(other, 'rev-parse', 'HEAD');
    await git(other, 'push', '-q', 'origin', 'HEAD:refs/pull/7/head');

    // the reviewer's own environment: an uncommitted change of a sub-environment, made active
    envFile = path.join(root, '.insomnia', 'Environment', `${SUB_ENV}.yml`);
    envOriginal = await fsp.readFile(envFile, 'utf8');
    const host = new URL(http.httpUrl).host;
    await fsp.writeFile(
      envFile,
      envOriginal.replace(/^  host: .*$/m, `  host: ${host}`).replace(/^  base_url: .*$/m, '  base_url: "http://{{ _.host }}"').replace(/^  apikey: .*$/m, '  apikey: reviewer-key'),
    );
    const legacy = await waitFor('the legacy collection with the edited environment', () =>
      api.store.collections.find((c) => c.format === 'legacy' && c.baseEnvironment?.subEnvironments.some((e) => e.id === SUB_ENV && e.data.apikey === 'reviewer-key')),
    10_000);
    legacyId = legacy.id;
    activeBefore = api.activeEnvironments.get(legacy.id);
    await api.activeEnvironments.set(legacy.id, SUB_ENV);
    stateBefore = await repoState();
    assert.match(stateBefore.status, /Environment/, 'the reviewer has uncommitted work');
  });

  after(async () => {
    await vscode.commands.executeCommand('hammock.closeReview');
    if (legacyId) await api.activeEnvironments.set(legacyId, activeBefore);
    if (envFile && envOriginal !== undefined) await fsp.writeFile(envFile, envOriginal);
    await server?.close();
    await http?.close();
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
  });

  it("a cancelled Review Branch ends quietly: the user's cancel is no error", async () => {
    const errors = recordErrorMessages();
    const win = vscode.window as unknown as { withProgress: (options: unknown, task: (p: unknown, t: unknown) => unknown) => unknown };
    const original = win.withProgress;
    // the notification's Cancel, pressed at once
    win.withProgress = (_options: unknown, task: (p: unknown, t: unknown) => unknown) =>
      task({ report: () => undefined }, { isCancellationRequested: true, onCancellationRequested: (l: () => void) => (queueMicrotask(l), { dispose: () => undefined }) });
    try {
      const result = await vscode.commands.executeCommand('hammock.reviewBranch', { root, branch: BRANCH });
      assert.equal(result, undefined);
      assert.deepEqual(errors.messages, []);
    } finally {
      win.withProgress = original;
      errors.restore();
    }
  });

  it('Review Branch fetches the branch and lists exactly its changes against the merge base', async () => {
    const serverRequests = server.requests.length;
    review = await vscode.commands.executeCommand<ReviewState>('hammock.reviewBranch', { root, branch: BRANCH });
    assert.ok(review, 'a review is open');
    assert.ok(server.requests.length > serverRequests, 'the server was asked');
    assert.equal(review.headRef, `refs/remotes/origin/${BRANCH}`);
    assert.equal(review.baseRef, 'refs/remotes/origin/main');
    assert.equal(review.result.head, await git(root, 'rev-parse', `refs/remotes/origin/${BRANCH}`));
    assert.equal(review.result.base, await git(root, 'merge-base', 'refs/remotes/origin/main', `refs/remotes/origin/${BRANCH}`));
    // origin/main was stale: fetched too, so it now holds main's unrelated change, which the review leaves out
    assert.match(await git(root, 'log', '-1', '--format=%s', 'refs/remotes/origin/main'), /Unrelated change on main/);
    assert.equal(api.review.current, review);

    const legacyId = api.store.collections.find((c) => c.format === 'legacy')!.id;
    const collections = api.review.tree.getChildren();
    // the legacy collection changed and the v5 collection the branch adds; not main's rename of another v5 file
    assert.deepEqual(collections.map((c) => c.type === 'reviewCollection' && `${c.collection.kind} ${c.collection.format} ${c.collection.id}`).sort(), [
      `added v5 ${ADDED_COLLECTION}`,
      `changed legacy ${legacyId}`,
    ]);
    const legacyNode = collections.find((c): c is ReviewCollectionNode => c.type === 'reviewCollection' && c.collection.format === 'legacy')!;
    const addedNode = collections.find((c): c is ReviewCollectionNode => c.type === 'reviewCollection' && c.collection.format === 'v5')!;
    assert.equal(api.review.tree.getTreeItem(addedNode).description, 'collection added');
    // a screen reader says the row's name and state, not its tooltip (the file's path)
    assert.equal(api.review.tree.getTreeItem(addedNode).accessibilityInformation?.label, `${addedNode.collection.name}, collection added`);
    // a collection the branch adds lists what it holds, as added
    assert.deepEqual((api.review.tree.getChildren(addedNode) as ReviewChangeNode[]).map((n) => `${n.change.kind} ${n.change.entity} ${n.change.id}`), [
      `added request ${ADDED_V5_REQUEST}`,
      'added environment env_review_added_base',
    ]);
    const nodes = api.review.tree.getChildren(legacyNode) as ReviewChangeNode[];
    const summary = nodes.map((n) => `${n.change.kind} ${n.change.entity} ${n.change.id} ${(n.change.fields ?? []).map((f) => f.text).join(', ')}`.trim()).sort();
    assert.deepEqual(summary, [
      `added request ${ADDED}`,
      `changed request ${CHANGED} url changed, header X-Review added`,
      `removed request ${DELETED}`,
    ]);
    assert.equal(nodes[0].collection.id, legacyId);

    const items = new Map(nodes.map((n) => [n.change.id, api.review.tree.getTreeItem(n)]));
    assert.equal(labelOf(items.get(CHANGED)!), 'GET List all transactions');
    assert.match(String(items.get(CHANGED)!.description), /url changed, header X-Review added$/);
    assert.match(String(items.get(CHANGED)!.accessibilityInformation?.label), /^GET List all transactions, .*url changed, header X-Review added$/);
    assert.equal(labelOf(items.get(DELETED)!), 'DELETE Cancel a transaction');
    assert.match(String(items.get(DELETED)!.description), /removed$/);
    assert.equal((items.get(ADDED)!.iconPath as vscode.ThemeIcon).id, 'diff-added');
    // what breaks callers (hammock diff --breaking) is marked: the header the branch adds, the request it removes
    assert.match(String(items.get(CHANGED)!.description), /^breaking · /);
    assert.match(String(items.get(CHANGED)!.tooltip), /Breaks callers: .*header X-Review added/);
    assert.equal((items.get(DELETED)!.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.doesNotMatch(String(items.get(ADDED)!.description), /breaking/);
    assert.equal(items.get(CHANGED)!.contextValue, 'reviewChange.tryable');
    assert.equal(items.get(DELETED)!.contextValue, 'reviewChange');
    assert.equal(items.get(CHANGED)!.command?.command, 'hammock.openReviewChange');
    assert.match(api.review.view.message ?? '', new RegExp(`origin/${BRANCH} against origin/main .*5 changes`));
  });

  it('each change opens a side-by-side diff of the two versions', async () => {
    const diffOf = async (id: string) => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('hammock.openReviewChange', { id });
      const tab = await waitFor(`the diff of ${id}`, () => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return input instanceof vscode.TabInputTextDiff ? input : undefined;
      });
      const [left, right] = await Promise.all([vscode.workspace.openTextDocument(tab.original), vscode.workspace.openTextDocument(tab.modified)]);
      assert.equal(tab.original.scheme, 'hammock-rev');
      return { left: left.getText(), right: right.getText(), title: vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '' };
    };
    const changed = await diffOf(CHANGED);
    assert.ok(changed.left.split('\n').includes(baseUrlLine), `the base's ${baseUrlLine}`);
    assert.doesNotMatch(changed.left, /X-Review/);
    assert.match(changed.right, /^url: "\{\{ _\.base_url \}\}\/echo\?from=branch"$/m);
    assert.match(changed.right, /^ {2}- name: X-Review\n {4}value: "\{\{ _\.apikey \}\}"$/m);
    assert.match(changed.left, /^# .*List all transactions$/m);
    assert.match(changed.title, new RegExp(`List all transactions .*origin/${BRANCH}`));

    const added = await diffOf(ADDED);
    assert.equal(added.left, '');
    assert.match(added.right, /^name: Added on the branch$/m);
    const removed = await diffOf(DELETED);
    assert.match(removed.left, /^name: Cancel a transaction$/m);
    assert.equal(removed.right, '');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Try This Request sends the branch\'s version with the reviewer\'s active environment', async () => {
    const record = await vscode.commands.executeCommand<ResponseRecord>('hammock.tryReviewRequest', { id: CHANGED });
    assert.ok(record, 'a response');
    assert.equal(record.error, undefined, record.error);
    assert.equal(record.status, 200);
    assert.equal(record.url, `${http.httpUrl}/echo?from=branch`);
    const echo = JSON.parse(Buffer.from(record.bodyBase64, 'base64').toString('utf8')) as { url: string; headers: Record<string, string> };
    assert.equal(echo.url, '/echo?from=branch');
    assert.equal(echo.headers['x-review'], 'reviewer-key');
    // shown as Send Request shows a response
    await waitFor('the response viewer showing it', () => api.requestPanels.viewer.current?.status === 200 && api.requestPanels.viewer.current.url === record.url);
    // and the page no longer says it is on its way
    await waitFor('the viewer page', () => api.requestPanels.viewer.isReady, 45_000);
    let page = '';
    await waitFor('the page to show the response, and no "Sending"', async () => {
      page = String((await ui({ selector: '.summary' }, [{ text: 'body' }]).catch(() => ['']))[0]);
      return page.includes(record.url) && !/Sending /.test(page);
    }, 10_000).catch((e: unknown) => assert.fail(`${String(e)}; the page said: ${page.slice(0, 300)}`));
    // a request of a collection the workspace does not have: rendered with the branch's own environment
    const added = await vscode.commands.executeCommand<ResponseRecord>('hammock.tryReviewRequest', { id: ADDED_V5_REQUEST });
    assert.equal(added?.status, 200, added?.error);
    assert.equal(added.method, 'POST');
    assert.equal(added.url, `${http.httpUrl}/echo?collection=added`);
    // a removed request cannot be tried
    assert.equal(await vscode.commands.executeCommand('hammock.tryReviewRequest', { id: DELETED }), undefined);
  });

  it('Try This Request: a large body\'s temp file is deleted once neither the response viewer nor an editor shows it', async () => {
    // a private environment (nothing in the working tree) whose base_url leads to 11 MB: more than is kept in memory
    const big = 'env_review_try_big';
    await api.localEnvironments.createEnvironment(legacyId!, { id: big, name: 'Big', data: { base_url: `${http.httpUrl}/big?mb=11&to=`, apikey: 'reviewer-key' }, color: null });
    await api.activeEnvironments.set(legacyId!, big);
    try {
      const record = await vscode.commands.executeCommand<ResponseRecord>('hammock.tryReviewRequest', { id: CHANGED });
      assert.equal(record?.status, 200, record?.error);
      const file = record.bodyFile!;
      assert.ok(file && fs.existsSync(file), 'the body spilled to a temp file');
      const doc = await api.requestPanels.viewer.openInEditor();
      assert.equal(doc?.uri.fsPath, file, 'Open in Editor shows the whole body');
      const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      await vscode.window.tabGroups.close(tabs().find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('hammock.responseViewer'))!);
      await waitFor('the response viewer closed', () => !api.requestPanels.viewer.isOpen);
      assert.ok(fs.existsSync(file), 'kept while an editor shows it');
      await vscode.window.tabGroups.close(tabs().find((t) => t.input instanceof vscode.TabInputText && t.input.uri.fsPath === file)!);
      await waitFor('the temp file deleted', () => !fs.existsSync(file), 10_000);
    } finally {
      await api.activeEnvironments.set(legacyId!, SUB_ENV);
      await api.localEnvironments.deleteEnvironment(legacyId!, big);
    }
  });

  it('Try This Request while a Send of the same request is on its way: the viewer still says the Send is on its way, and the older Send\'s end does not replace the Try\'s response', async () => {
    // a server that takes the Send and holds it until the test cuts the connection
    const held: net.Socket[] = [];
    const holding = net.createServer((socket) => socket.once('data', () => held.push(socket)));
    await new Promise<void>((r) => holding.listen(0, '127.0.0.1', r));
    const heldEnv = 'env_review_send_held';
    const local = api.store.collections.find((c) => c.id === legacyId && c.format === 'legacy');
    assert.ok(local);
    const state = { collectionPath: local.path, requestId: CHANGED };
    let sent: Promise<ResponseRecord> | undefined;
    await api.localEnvironments.createEnvironment(legacyId!, { id: heldEnv, name: 'Held', data: { base_url: `http://127.0.0.1:${(holding.address() as net.AddressInfo).port}`, apikey: 'reviewer-key' }, color: null });
    await api.activeEnvironments.set(legacyId!, heldEnv);
    try {
      // the working tree's request sent (as from its editor), held at the server
      sent = api.requestPanels.send(state);
      await waitFor('the Send at the server', () => held.length > 0, 10_000);
      // the branch's version tried meanwhile, with the reviewer's environment, and answered
      await api.activeEnvironments.set(legacyId!, SUB_ENV);
      const tried = await vscode.commands.executeCommand<ResponseRecord>('hammock.tryReviewRequest', { id: CHANGED });
      assert.equal(tried?.status, 200, tried?.error);
      assert.ok(api.requestPanels.isSending(state), 'the Send is still on its way');
      await waitFor('the viewer page', () => api.requestPanels.viewer.isReady, 45_000);
      let page = '';
      await waitFor('the page to show the Try\'s response and say the Send is on its way', async () => {
        page = String((await ui({ selector: '.summary' }, [{ text: 'body' }]).catch(() => ['']))[0]);
        return page.includes(tried.url) && /Sending List all transactions\.\.\./.test(page);
      }, 10_000).catch((e: unknown) => assert.fail(`${String(e)}; the page said: ${page.slice(0, 400)}`));
      // the Send ends now without an answer: its failure goes to the request's history; the Try, the newer, stays shown
      for (const socket of held) socket.destroy();
      const record = await sent;
      assert.ok(record.error, 'the held Send failed');
      assert.equal((await api.requestPanels.history(state))[0]?.receivedAt, record.receivedAt, 'in its request\'s history');
      assert.equal(api.requestPanels.viewer.current?.url, tried.url, 'the viewer still shows the Try\'s response, not the older Send\'s failure');
      await waitFor('the page no longer says Sending', async () => !/Sending /.test(String((await ui({ selector: '.summary' }, [{ text: 'body' }]).catch(() => ['Sending ']))[0])), 10_000);
    } finally {
      for (const socket of held) socket.destroy();
      await sent?.catch(() => undefined);
      await new Promise<void>((r) => holding.close(() => r()));
      await api.activeEnvironments.set(legacyId!, SUB_ENV);
      await api.localEnvironments.deleteEnvironment(legacyId!, heldEnv);
    }
  });

  it('Refresh and Close Review; nothing in the working tree, index, HEAD or local branches changed', async () => {
    const refreshed = await vscode.commands.executeCommand<ReviewState>('hammock.refreshReview');
    assert.equal(refreshed?.result.head, review?.result.head);
    assert.equal(api.review.tree.getChildren().length, 2);
    // the branch named as its remote-tracking branch, and an explicit base: the same review
    const again = await vscode.commands.executeCommand<ReviewState>('hammock.reviewBranch', { root, branch: `origin/${BRANCH}`, base: 'origin/main' });
    assert.equal(again?.result.head, review?.result.head);
    assert.equal(again?.result.base, review?.result.base);
    assert.equal(again?.baseRef, 'origin/main');
    assert.deepEqual(await repoState(), stateBefore);
    await vscode.commands.executeCommand('hammock.closeReview');
    assert.equal(api.review.current, undefined);
    assert.deepEqual(api.review.tree.getChildren(), []);
    assert.deepEqual(await repoState(), stateBefore);
  });

  it('a pull request by its number (from a fork: no branch has it): fetched into refs/remotes/origin/pr/7 only, reviewed, refreshed', async () => {
    const pr = await vscode.commands.executeCommand<ReviewState>('hammock.reviewBranch', { root, pullRequest: 7 });
    assert.ok(pr, 'a review is open');
    assert.equal(pr.label, 'pull request #7');
    assert.equal(pr.headRef, 'refs/remotes/origin/pr/7');
    assert.equal(pr.result.head, prCommit);
    assert.equal(await git(root, 'rev-parse', 'refs/remotes/origin/pr/7'), prCommit);
    assert.equal(pr.result.base, await git(root, 'merge-base', 'refs/remotes/origin/main', prCommit));
    const changed = api.review.tree.getChildren().flatMap((c) => api.review.tree.getChildren(c)).find((n) => (n as ReviewChangeNode).change?.id === CHANGED) as ReviewChangeNode | undefined;
    assert.ok(changed, 'the renamed request is a change');
    assert.equal(changed.change.name, 'Renamed by a fork');
    assert.equal(api.review.view.description, 'pull request #7');
    const refreshed = await vscode.commands.executeCommand<ReviewState>('hammock.refreshReview');
    assert.equal(refreshed?.result.head, prCommit);
    // a number the server has no ref for: one message, nothing fetched
    const errors = recordErrorMessages();
    try {
      assert.equal(await vscode.commands.executeCommand('hammock.reviewBranch', { root, pullRequest: 8 }), undefined);
      assert.match(errors.messages.join('\n'), /origin has no pull request #8/);
      // the default branch against itself: said, not shown as a review that changes nothing
      assert.equal(await vscode.commands.executeCommand('hammock.reviewBranch', { root, branch: 'main' }), undefined);
      assert.match(errors.messages.join('\n'), /origin\/main is the default branch, what a review compares a branch with: pick another branch/);
      assert.equal(api.review.view.description, 'pull request #7', 'the open review stays');
    } finally {
      errors.restore();
    }
    assert.equal(await git(root, 'for-each-ref', '--format=%(refname)', 'refs/remotes/origin/pr'), 'refs/remotes/origin/pr/7');
    await git(root, 'fsck', '--strict', '--no-progress', '--no-dangling');
    await vscode.commands.executeCommand('hammock.closeReview');
    assert.deepEqual(await repoState(), stateBefore);
  });

  it('the picker offers the branches and pull requests to review, not the default branch it compares with (its title says it)', async () => {
    const win = vscode.window as unknown as { showQuickPick: (...args: unknown[]) => Thenable<unknown> };
    const original = win.showQuickPick;
    const shown: { items: { label: string; kind?: number }[]; title?: string }[] = [];
    win.showQuickPick = (items: unknown, options: unknown) => {
      shown.push({ items: items as { label: string; kind?: number }[], title: (options as { title?: string }).title });
      return Promise.resolve(undefined);
    };
    try {
      await vscode.commands.executeCommand('hammock.reviewBranch', { root });
    } finally {
      win.showQuickPick = original;
    }
    assert.equal(shown.length, 1, 'one picker');
    const [{ items, title }] = shown;
    const separator = items.findIndex((i) => i.kind === vscode.QuickPickItemKind.Separator);
    const remoteBranches = separator < 0 ? items : items.slice(0, separator);
    assert.ok(remoteBranches.some((i) => i.label === BRANCH), remoteBranches.map((i) => i.label).join(', '));
    assert.ok(!remoteBranches.some((i) => i.label === 'main'), `the default branch not offered: ${remoteBranches.map((i) => i.label).join(', ')}`);
    assert.equal(title, 'Review which branch or pull request of origin? (compared with origin/main)');
  });

  it('a branch that commits a file with conflict markers: the file is named, its request is not called removed', async () => {
    const other = path.join(scratch, 'other');
    await git(other, 'checkout', '-q', '--detach', `origin/${BRANCH}`);
    const rel = `.insomnia/Request/${CHANGED}.yml`;
    const text = await fsp.readFile(path.join(other, rel), 'utf8');
    await fsp.writeFile(path.join(other, rel), `<<<<<<< HEAD\n${text}=======\nname: Theirs\n>>>>>>> theirs\n`);
    await git(other, 'commit', '-q', '-am', 'A merge committed with its conflict markers');
    await git(other, 'push', '-q', 'origin', 'HEAD:refs/pull/9/head');
    const broken = await vscode.commands.executeCommand<ReviewState>('hammock.reviewBranch', { root, pullRequest: 9 });
    assert.ok(broken, 'a review is open');
    const top = api.review.tree.getChildren();
    const unreadable = top.filter((n): n is ReviewUnreadableNode => n.type === 'reviewUnreadable');
    assert.deepEqual(unreadable.map((n) => [n.side, path.relative(root, n.problem.file).split(path.sep).join('/')]), [['head', rel]]);
    const item = api.review.tree.getTreeItem(unreadable[0]);
    assert.equal(item.label, rel);
    assert.equal(item.description, 'cannot be read on pull request #9');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match(String(item.tooltip), /left out of the review/);
    // the request in it is neither removed nor anything else: what happened to it is unknown; the rest is listed
    const changes = top.filter((n): n is ReviewCollectionNode => n.type === 'reviewCollection').flatMap((c) => api.review.tree.getChildren(c) as ReviewChangeNode[]);
    assert.ok(!changes.some((n) => n.change.id === CHANGED), changes.map((n) => n.change.description).join('\n'));
    assert.ok(changes.some((n) => n.change.id === ADDED && n.change.kind === 'added'));
    assert.match(api.review.view.message ?? '', /1 file cannot be read: what it holds is left out\.$/);
    await vscode.commands.executeCommand('hammock.closeReview');
    assert.deepEqual(await repoState(), stateBefore);
  });

  it('a local branch, read where it is (nothing fetched): the same review as its commit on the remote', async () => {
    await git(root, 'branch', 'review-local', prCommit);
    try {
      const requests = server.requests.length;
      const local = await vscode.commands.executeCommand<ReviewState>('hammock.reviewBranch', { root, localBranch: 'review-local' });
      assert.ok(local, 'a review is open');
      assert.equal(local.headRef, 'refs/heads/review-local');
      assert.equal(local.label, 'review-local (local)');
      assert.equal(local.result.head, prCommit);
      assert.equal(api.review.view.description, 'review-local (local)');
      // the remote was asked for its branches (the base), but no pack was fetched for the local branch
      assert.ok(!server.requests.slice(requests).some((r) => /git-upload-pack$/.test(r.url) && r.method === 'POST'), 'nothing fetched');
      const errors = recordErrorMessages();
      try {
        assert.equal(await vscode.commands.executeCommand('hammock.reviewBranch', { root, localBranch: 'no-such-branch' }), undefined);
        assert.match(errors.messages.join('\n'), /There is no local branch "no-such-branch"/);
      } finally {
        errors.restore();
      }
      await vscode.commands.executeCommand('hammock.closeReview');
    } finally {
      await git(root, 'branch', '-D', 'review-local');
    }
    assert.deepEqual(await repoState(), stateBefore);
  });
});
