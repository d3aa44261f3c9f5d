// The repository model's state (what the Source Control view, the status bar and the trees render): read inside
// every write operation, folded refreshes, and the conflicts a pull reported.

import * as assert from 'node:assert/strict';
import { GitClient } from '../../../src/git/gitClient';
import { OperationKind, Repository } from '../../../src/git/repository';
import { branchText, syncButtonCounts, syncCounts, syncWords } from '../../../src/sync/statusBar';
import { AUTHOR, commitFiles, conflictedMerge, gitCli, initRepo, legacySeed, requestYaml, TempDirs, writeFiles } from './gitTestRepos';

describe('Repository: the state the Source Control view renders', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  function open(dir: string): { repository: Repository; state: Repository; statusRuns: () => number } {
    const repository = new Repository(new GitClient(dir));
    let runs = 0;
    repository.onDidRunOperation(({ operation }) => {
      if (operation.kind === OperationKind.Status) runs++;
    });
    return { repository, state: repository, statusRuns: () => runs };
  }

  it('reads branch, changes and tracking, and reads them again inside every write of the funnel', async () => {
    const dir = initRepo(tmp.make(), legacySeed(2));
    gitCli(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    commitFiles(dir, { '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Request 3') });
    const { repository, state } = open(dir);
    await state.refresh();
    const first = state.snapshot!;
    assert.equal(first.status.branch, 'main');
    assert.deepEqual(first.tracking, { upstream: 'origin/main', ahead: 1, behind: 0 });
    assert.equal(first.remoteUrl, undefined);
    // the counts are the sync entry's, as VS Code's Git shows them: to pull, to push
    assert.equal(branchText(first), '$(git-branch) main');
    assert.equal(syncCounts(first.tracking), '0↓ 1↑');
    // the Source Control's Sync Changes button has only the counts that are not 0, as VS Code Git's (not `0↓ 1↑`)
    assert.equal(syncButtonCounts(first.tracking!), ' 1$(arrow-up)');
    assert.equal(syncButtonCounts({ ...first.tracking!, behind: 2, ahead: 1 }), ' 2$(arrow-down) 1$(arrow-up)');
    assert.equal(syncWords(first.tracking!), '1 commit to push to origin/main');
    assert.equal(syncWords({ upstream: 'origin/main', ahead: 2, behind: 1 }), '1 commit to pull from origin/main, 2 to push');
    assert.equal(syncWords({ upstream: 'origin/main', ahead: 0, behind: 3 }), '3 commits to pull from origin/main');

    writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Changed') });
    await state.refresh();
    assert.deepEqual(state.snapshot!.status.changes, [{ path: '.insomnia/Request/req_1.yml', kind: 'modified' }]);

    let fired = 0;
    state.onDidChangeState(() => fired++);
    await repository.stage(['.insomnia/Request/req_1.yml']);
    // no refresh and no waiting for an event: the state was read before the operation's promise settled
    assert.equal(fired, 1);
    assert.deepEqual(state.snapshot!.status.staged, [{ path: '.insomnia/Request/req_1.yml', kind: 'modified' }]);
    assert.deepEqual(state.snapshot!.status.changes, []);
    repository.dispose();
  });

  it('folds a burst of refreshes into at most two status runs, and each caller sees a state read after its call', async () => {
    const dir = initRepo(tmp.make(), legacySeed(3));
    const { state, statusRuns, repository } = open(dir);
    await state.refresh();
    const before = statusRuns();
    writeFiles(dir, { 'new.yml': 'a: 1\n' });
    await Promise.all(Array.from({ length: 10 }, () => state.refresh()));
    assert.ok(statusRuns() - before <= 2, `${statusRuns() - before} status runs for 10 refreshes`);
    assert.deepEqual(state.snapshot!.status.changes, [{ path: 'new.yml', kind: 'untracked' }]);
    repository.dispose();
  });

  it('keeps reported conflicts until a merge is really in progress', async () => {
    const dir = initRepo(tmp.make(), legacySeed(1));
    const { state, repository } = open(dir);
    await state.refresh();
    let fired = 0;
    state.onDidChangeState(() => fired++);
    state.setReportedConflicts({ count: 1, ours: 'main', theirs: 'origin/main', files: [{ path: '.insomnia/Request/req_1.yml', kind: 'bothModified', items: [] }] });
    assert.equal(fired, 1, 'the view re-renders');
    await state.refresh();
    assert.equal(state.reportedConflicts?.count, 1, 'still reported after an ordinary refresh');

    const file = '.insomnia/Request/req_1.yml';
    conflictedMerge(dir, file, 'req_1');
    await state.refresh();
    assert.equal(state.reportedConflicts, undefined);
    assert.deepEqual(state.snapshot!.status.merge.map((m) => m.path), [file]);
    assert.ok(state.snapshot!.status.mergeInProgress);
    assert.equal(branchText(state.snapshot!), '$(git-branch) main (merging)');
    repository.dispose();
  });

  it('drops reported conflicts once the branch or HEAD moves: they described a state that is gone', async () => {
    const dir = initRepo(tmp.make(), legacySeed(2));
    const { state, repository } = open(dir);
    await state.refresh();
    const report = { count: 1, ours: 'main', theirs: 'origin/main', files: [{ path: '.insomnia/Request/req_1.yml', kind: 'bothModified' as const, items: [] }] };
    // (read through a function: an assertion that it is undefined would narrow the property for the rest of the test)
    const reported = (): number | undefined => state.reportedConflicts?.count;
    state.setReportedConflicts(report);
    // a file edited: HEAD and the branch stay, so does the report
    writeFiles(dir, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Edited') });
    await state.refresh();
    assert.equal(reported(), 1, 'kept while HEAD and the branch stay');
    // another branch checked out (same commit): git has nothing in conflict there
    gitCli(dir, 'checkout', '-q', '-b', 'feature');
    await state.refresh();
    assert.equal(reported(), undefined, 'dropped after a checkout');
    assert.deepEqual(state.snapshot!.status.merge, []);

    state.setReportedConflicts(report);
    await state.refresh();
    assert.equal(reported(), 1);
    commitFiles(dir, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Committed') });
    await state.refresh();
    assert.equal(reported(), undefined, 'dropped after a commit moved HEAD');
    repository.dispose();
  });

  it('knows the remote URL once sync is set up', async () => {
    const dir = initRepo(tmp.make(), legacySeed(1));
    const { state, repository } = open(dir);
    await repository.setUpSync({ remoteUrl: 'https://user:secret@example.com/org/repo.git', author: AUTHOR });
    await state.refresh();
    assert.equal(state.snapshot!.remoteUrl, 'https://example.com/org/repo.git');
    repository.dispose();
  });
});
