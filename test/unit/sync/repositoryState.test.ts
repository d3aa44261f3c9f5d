import * as assert from 'node:assert/strict';
import { GitClient } from '../../../src/git/gitClient';
import { OperationKind, Repository } from '../../../src/git/repository';
import { RepositoryState } from '../../../src/sync/repositoryState';
import { branchText } from '../../../src/sync/statusBar';
import { AUTHOR, commitFiles, conflictedMerge, gitCli, initRepo, legacySeed, requestYaml, TempDirs, writeFiles } from '../git/gitTestRepos';

describe('RepositoryState: the model of the Source Control view', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  function open(dir: string): { repository: Repository; state: RepositoryState; statusRuns: () => number } {
    const repository = new Repository(new GitClient(dir));
    let runs = 0;
    repository.onDidRunOperation(({ operation }) => {
      if (operation.kind === OperationKind.Status) runs++;
    });
    return { repository, state: new RepositoryState(repository), statusRuns: () => runs };
  }

  it('reads branch, changes and tracking, and refreshes by itself after every write of the funnel', async () => {
    const dir = initRepo(tmp.make(), legacySeed(2));
    gitCli(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    commitFiles(dir, { '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Request 3') });
    const { repository, state } = open(dir);
    await state.refresh();
    const first = state.snapshot!;
    assert.equal(first.status.branch, 'main');
    assert.deepEqual(first.tracking, { upstream: 'origin/main', ahead: 1, behind: 0 });
    assert.equal(first.remoteUrl, undefined);
    assert.equal(branchText(first), '$(git-branch) main ↑1 ↓0');

    writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Changed') });
    await state.refresh();
    assert.deepEqual(state.snapshot!.status.changes, [{ path: '.insomnia/Request/req_1.yml', kind: 'modified' }]);

    const changed = new Promise<void>((resolve) => state.onDidChange((s) => s.status.staged.length === 1 && resolve()));
    await repository.stage(['.insomnia/Request/req_1.yml']);
    await changed; // no explicit refresh: the funnel's state event triggered it
    assert.deepEqual(state.snapshot!.status.staged, [{ path: '.insomnia/Request/req_1.yml', kind: 'modified' }]);
    assert.deepEqual(state.snapshot!.status.changes, []);
    state.dispose();
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
    state.dispose();
    repository.dispose();
  });

  it('keeps reported conflicts until a merge is really in progress', async () => {
    const dir = initRepo(tmp.make(), legacySeed(1));
    const { state, repository } = open(dir);
    await state.refresh();
    let fired = 0;
    state.onDidChange(() => fired++);
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
    state.dispose();
    repository.dispose();
  });

  it('knows the remote URL once sync is set up', async () => {
    const dir = initRepo(tmp.make(), legacySeed(1));
    const { state, repository } = open(dir);
    await repository.setUpSync({ remoteUrl: 'https://user:secret@example.com/org/repo.git', author: AUTHOR });
    await state.refresh();
    assert.equal(state.snapshot!.remoteUrl, 'https://example.com/org/repo.git');
    state.dispose();
    repository.dispose();
  });
});
