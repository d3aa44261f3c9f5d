// Review Branch where the remote cannot be asked: a repository with no remote reviews its local branches (compared
// with its own main), and one whose remote is unreachable (offline) still reviews its local branches and the
// remote-tracking branches the last fetch recorded, the user told why the remote's own list is missing and what to
// check. Neither case is an error; nothing of the working tree, HEAD or the branches changes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import type { ReviewState } from '../../src/review/reviewController';
import { activateHammock, gitAs, recordErrorMessages } from './helpers';

const git = gitAs({ name: 'Local Reviewer', email: 'local@hammock.invalid' });
const FIND = 'req_c5e418d793444f888598544686e7b0aa'; // Find pets by status (samples/petstore_v5.yaml)

type Item = vscode.QuickPickItem & { target?: unknown };

/** Runs Review Branch with its picker answered by `choose` (undefined: dismissed); the items and title it showed. */
async function reviewPicked(args: object, choose: (items: Item[]) => Item | undefined) {
  const win = vscode.window as unknown as { showQuickPick: (...a: unknown[]) => Thenable<unknown>; showWarningMessage: (...a: unknown[]) => Thenable<unknown> };
  const { showQuickPick, showWarningMessage } = win;
  const shown: { items: Item[]; title?: string; placeHolder?: string }[] = [];
  const warnings: string[] = [];
  const errors = recordErrorMessages();
  win.showQuickPick = (items: unknown, options: unknown) => {
    shown.push({ items: items as Item[], title: (options as { title?: string }).title, placeHolder: (options as { placeHolder?: string }).placeHolder });
    return Promise.resolve(choose(items as Item[]));
  };
  win.showWarningMessage = (message: unknown) => {
    warnings.push(String(message));
    return Promise.resolve(undefined);
  };
  try {
    const review = await vscode.commands.executeCommand<ReviewState | undefined>('hammock.reviewBranch', args);
    return { review, shown, warnings, errors: errors.messages };
  } finally {
    win.showQuickPick = showQuickPick;
    win.showWarningMessage = showWarningMessage;
    errors.restore();
  }
}

/** The labels of the picker's rows that are not separators. */
const labels = (items: Item[]) => items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator).map((i) => `${i.label} | ${i.description ?? ''}`);

describe('Review Branch without a reachable remote: local branches (and those last fetched) are reviewed', function () {
  this.timeout(60_000);
  let api: HammockApi;
  let scratch: string;
  let repo: string;
  let feature: string;

  const repoState = async () => ({
    status: await git(repo, 'status', '--porcelain=v1', '--branch', '--untracked-files=all'),
    head: await git(repo, 'rev-parse', 'HEAD'),
    refs: await git(repo, 'for-each-ref', '--format=%(refname) %(objectname)'),
  });

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-reviewlocal-')));
    const project = process.env.HAMMOCK_PROJECT_ROOT;
    assert.ok(project, 'HAMMOCK_PROJECT_ROOT is set');
    repo = path.join(scratch, 'repo');
    await fsp.mkdir(repo);
    await fsp.copyFile(path.join(project, 'samples', 'petstore_v5.yaml'), path.join(repo, 'petstore.yaml'));
    await git(repo, 'init', '-q', '-b', 'main');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'Petstore');
    await git(repo, 'checkout', '-q', '-b', 'feature');
    const file = path.join(repo, 'petstore.yaml');
    const text = await fsp.readFile(file, 'utf8');
    await fsp.writeFile(file, text.replace('url: "{{ _.base_url }}/pet/findByStatus"', 'url: "{{ _.base_url }}/pet/findByStatus?limit=5"'));
    await git(repo, 'commit', '-q', '-am', 'Find pets: five at most');
    feature = await git(repo, 'rev-parse', 'HEAD');
    await git(repo, 'checkout', '-q', 'main');
    await api.sync.openRepository(repo);
  });

  after(async () => {
    await vscode.commands.executeCommand('hammock.closeReview');
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
    await api.sync.rescan();
  });

  /** The review of `feature` (at `head`, through `headRef`) against `baseRef`: the one request it changes. */
  const assertFeatureReview = (review: ReviewState | undefined, headRef: string, baseRef: string) => {
    assert.ok(review, 'a review is open');
    assert.equal(review.headRef, headRef);
    assert.equal(review.baseRef, baseRef);
    assert.equal(review.result.head, feature);
    const changes = review.result.diff.collections.flatMap((c) => (c.kind === 'changed' ? c.changes.map((i) => `${i.kind} ${i.id}`) : [c.kind]));
    assert.deepEqual(changes, [`changed ${FIND}`]);
  };

  it('no remote: a local branch given is reviewed against the local main, with no error', async () => {
    const before = await repoState();
    const { review, errors } = await reviewPicked({ root: repo, localBranch: 'feature' }, () => undefined);
    assert.deepEqual(errors, []);
    assertFeatureReview(review, 'refs/heads/feature', 'refs/heads/main');
    assert.equal(review!.label, 'feature (local)');
    await vscode.commands.executeCommand('hammock.closeReview');
    assert.deepEqual(await repoState(), before);
  });

  it('no remote: the picker offers the local branches but the one compared with, and the picked one is reviewed', async () => {
    const { review, shown, warnings, errors } = await reviewPicked({ root: repo }, (items) => items.find((i) => i.label === 'feature'));
    assert.deepEqual(errors, []);
    assert.deepEqual(warnings, []);
    assert.equal(shown.length, 1, 'one picker');
    assert.deepEqual(labels(shown[0].items), [`feature | local · ${feature.slice(0, 7)}`]);
    assert.equal(shown[0].title, 'Review which local branch? (compared with main)');
    assert.equal(shown[0].placeHolder, 'A branch', 'no pull request is offered without a remote');
    assertFeatureReview(review, 'refs/heads/feature', 'refs/heads/main');
    await vscode.commands.executeCommand('hammock.closeReview');
  });

  it('an unreachable remote: its branches last fetched and the local ones are offered and reviewed; the user is told what to check', async () => {
    // a port nothing listens on: the connection is refused, as offline
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    await git(repo, 'remote', 'add', 'origin', `http://127.0.0.1:${port}/petstore.git`);
    // what the last fetch recorded: main (the default) and a teammate's branch
    await git(repo, 'update-ref', 'refs/remotes/origin/main', 'main');
    await git(repo, 'update-ref', 'refs/remotes/origin/mate', feature);
    await git(repo, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    const before = await repoState();

    const picked = await reviewPicked({ root: repo }, (items) => items.find((i) => i.label === 'mate'));
    assert.deepEqual(picked.errors, []);
    assert.equal(picked.shown.length, 1, 'one picker');
    assert.deepEqual(labels(picked.shown[0].items), [`mate | ${feature.slice(0, 7)}`, `feature | local · ${feature.slice(0, 7)}`, `main | local, checked out · ${before.head.slice(0, 7)}`]);
    assert.equal(picked.shown[0].title, 'Review which branch or pull request of origin? (compared with origin/main)');
    assert.equal(picked.warnings.length, 1, picked.warnings.join(' | '));
    assert.match(picked.warnings[0], /origin could not be reached/);
    assert.match(picked.warnings[0], /refused the connection \(ECONNREFUSED\)\. Check the remote URL, that the server is up, your network and the proxy setting/);
    assertFeatureReview(picked.review, 'refs/remotes/origin/mate', 'refs/remotes/origin/main');
    await vscode.commands.executeCommand('hammock.closeReview');

    const local = await reviewPicked({ root: repo, localBranch: 'feature' }, () => undefined);
    assert.deepEqual(local.errors, []);
    assertFeatureReview(local.review, 'refs/heads/feature', 'refs/remotes/origin/main');
    assert.equal(local.warnings.length, 1, local.warnings.join(' | '));
    await vscode.commands.executeCommand('hammock.closeReview');
    assert.deepEqual(await repoState(), before);
  });
});
