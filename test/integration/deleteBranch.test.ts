// Delete Branch as git and VS Code's Git do it: a branch `git branch -d` deletes (merged) goes without a question; one
// it refuses ("not fully merged") is deleted only after a modal that says so and names what would be lost: how many
// commits are on no other branch, the first few (short id + summary), or that none is. Cancel deletes nothing.
// The branches and commits are made in a clone of a scratch remote, never in the shared test workspace's repository
// (objects left there once broke another suite's count of what gc packs).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { activateHammock, answerModals, gitAs, teamRepositories } from './helpers';

const git = gitAs({ name: 'Brancher', email: 'brancher@hammock.invalid' });

describe('Delete Branch: merged or not, as git branch -d decides', function () {
  this.timeout(120_000);
  let api: HammockApi;
  let scratch: string;
  let root: string;

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-deletebranch-')));
    root = (await teamRepositories(git, scratch, 'mine')).mine;
    await api.sync.openRepository(root);
  });

  after(async () => {
    if (scratch) await fsp.rm(scratch, { recursive: true, force: true });
    await api.sync.rescan();
  });

  /** `n` commits on top of HEAD's, on no branch yet (the working tree untouched); their ids, oldest first. */
  const commits = async (n: number, label: string): Promise<string[]> => {
    const tree = await git(root, 'rev-parse', 'HEAD^{tree}');
    let parent = await git(root, 'rev-parse', 'HEAD');
    const out: string[] = [];
    for (let i = 1; i <= n; i++) {
      parent = await git(root, 'commit-tree', tree, '-p', parent, '-m', `${label} ${i}`);
      out.push(parent);
    }
    return out;
  };
  const exists = async (branch: string): Promise<boolean> => (await git(root, 'branch', '--list', branch)) !== '';

  it('a merged branch is deleted without a question', async () => {
    await git(root, 'branch', 'db-merged', 'HEAD');
    const modals = answerModals(undefined);
    try {
      await vscode.commands.executeCommand('hammock.deleteBranch', root, 'db-merged');
    } finally {
      modals.restore();
    }
    assert.deepEqual(modals.asked, [], 'no modal');
    assert.equal(await exists('db-merged'), false);
  });

  it('a branch with commits on no other branch: a modal names them; Cancel keeps it, Delete Anyway deletes it', async () => {
    const own = await commits(7, 'own work');
    await git(root, 'branch', 'db-own', own[6]);
    const head = await git(root, 'rev-parse', '--abbrev-ref', 'HEAD');

    const cancel = answerModals(undefined);
    try {
      await vscode.commands.executeCommand('hammock.deleteBranch', root, 'db-own');
    } finally {
      cancel.restore();
    }
    assert.equal(cancel.asked.length, 1);
    assert.equal(cancel.asked[0].message, 'The branch "db-own" is not fully merged. Delete anyway?');
    const expected = [
      `The current branch "${head}" does not have all of its commits. 7 commits are on no other branch and would be lost:`,
      ...[6, 5, 4, 3, 2].map((i) => `${own[i].slice(0, 7)} own work ${i + 1}`),
      '...and 2 more',
    ].join('\n');
    assert.equal(cancel.asked[0].detail, expected);
    assert.equal(await exists('db-own'), true, 'Cancel deletes nothing');

    const yes = answerModals('Delete Anyway');
    try {
      await vscode.commands.executeCommand('hammock.deleteBranch', root, 'db-own');
    } finally {
      yes.restore();
    }
    assert.equal(yes.asked.length, 1);
    assert.equal(await exists('db-own'), false);
  });

  it('a branch not merged but whose commits are on a remote-tracking branch: asked, saying none would be lost', async () => {
    const own = await commits(2, 'pushed work');
    await git(root, 'branch', 'db-elsewhere', own[1]);
    await git(root, 'push', '-q', 'origin', 'db-elsewhere:db-elsewhere-copy');
    assert.equal(await git(root, 'rev-parse', 'origin/db-elsewhere-copy'), own[1], 'its commits on a remote-tracking branch');
    const yes = answerModals('Delete Anyway');
    try {
      await vscode.commands.executeCommand('hammock.deleteBranch', root, 'db-elsewhere');
    } finally {
      yes.restore();
    }
    assert.equal(yes.asked.length, 1);
    assert.equal(yes.asked[0].message, 'The branch "db-elsewhere" is not fully merged. Delete anyway?');
    assert.match(yes.asked[0].detail, /None would be lost: each of its commits is on another branch\.$/);
    assert.equal(await exists('db-elsewhere'), false);
  });
});
