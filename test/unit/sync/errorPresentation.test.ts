import * as assert from 'node:assert/strict';
import type { ConflictedFile } from '../../../src/git/conflictReport';
import { GitError, GitErrorCode, staleLeaseError } from '../../../src/git/gitError';
import { mergeInEditorMessage, presentGitError, unmergedDetail } from '../../../src/sync/errorPresentation';

const actions = (err: GitError): string[] => presentGitError(err).actions.map((a) => a.action);

/** A pull's Conflict error over `files` (merging origin/main into main). */
const pullConflict = (files: ConflictedFile[]): GitError =>
  new GitError(GitErrorCode.Conflict, 'conflicts', { files: files.map((f) => f.path), conflict: { count: files.length, ours: 'main', theirs: 'origin/main', files } });

describe('presentGitError', () => {
  it('shows "nothing to do" as information, without actions', () => {
    const p = presentGitError(new GitError(GitErrorCode.NothingToPush, 'Nothing to push: origin/main is already up to date.'));
    assert.equal(p.severity, 'information');
    assert.deepEqual(p.actions, []);
  });

  it('offers Pull and Force Push for a non-fast-forward rejection', () => {
    const err = new GitError(GitErrorCode.PushRejectedNonFastForward, 'rejected', { ref: 'origin/main' });
    assert.equal(presentGitError(err).severity, 'warning');
    assert.deepEqual(actions(err), ['pull', 'forcePush']);
  });

  it('a force push refused by its lease offers Pull, not Force Push again (it would be refused again)', () => {
    const err = staleLeaseError('origin/main');
    assert.equal(err.code, GitErrorCode.PushRejectedNonFastForward);
    assert.match(presentGitError(err).message, /^The force push was refused: origin\/main has commits you have not fetched/);
    assert.deepEqual(actions(err), ['pull']);
  });

  it("shows the remote's own lines for a hook's rejection and offers a new branch", () => {
    const err = new GitError(GitErrorCode.PushRejectedByRemote, 'The remote rejected the push', {
      remoteLines: ['BRANCH PROTECTION: direct pushes to main are not allowed', 'error: hook declined'],
    });
    const p = presentGitError(err);
    assert.equal(p.severity, 'error');
    assert.match(p.message, /BRANCH PROTECTION: direct pushes to main are not allowed\nerror: hook declined/);
    assert.deepEqual(actions(err), ['pushToNewBranch', 'openLog']);
  });

  it('a rejection by one of several push URLs: shows which one refused, in its words, and where the push went', () => {
    const err = new GitError(GitErrorCode.PushRejectedByRemote, 'Pushing to https://b/r.git: The remote rejected the push:\nB SAYS NO\nPushed to https://a/r.git.', {
      remoteLines: ['B SAYS NO'],
      urls: [
        { url: 'https://a/r.git', outcome: 'pushed' },
        { url: 'https://b/r.git', outcome: 'failed' },
      ],
    });
    const p = presentGitError(err);
    assert.equal(p.message, err.message);
    assert.deepEqual(actions(err), ['pushToNewBranch', 'openLog']);
  });

  it('counts conflicts and names files, requests and fields, offering Merge in Editor and Show Conflicts', () => {
    const err = pullConflict([
      { path: '.insomnia/Request/req_1.yml', kind: 'bothModified', items: [{ id: 'req_1', name: 'Get users', type: 'Request', fields: ['headers', 'url'] }] },
      { path: 'api.yaml', kind: 'bothModified', items: [] },
    ]);
    const p = presentGitError(err);
    assert.equal(p.severity, 'warning');
    assert.equal(
      p.message,
      'Pulling origin/main into main conflicts in 2 files; nothing was changed. Next: resolve them in the editor (Merge in Editor), or look at them first (Show Conflicts).\n' +
        '.insomnia/Request/req_1.yml: Get users (headers, url)\napi.yaml',
    );
    assert.deepEqual(actions(err), ['mergeInEditor', 'showConflicts']);
  });

  it('a pull stopped on conflicts says in its first line what the user can do next, naming its buttons', () => {
    const p = presentGitError(pullConflict([{ path: 'api.yaml', kind: 'bothModified', items: [] }]));
    const [first] = p.message.split('\n');
    assert.equal(first, 'Pulling origin/main into main conflicts in 1 file; nothing was changed. Next: resolve them in the editor (Merge in Editor), or look at them first (Show Conflicts).');
    for (const { title } of p.actions) assert.ok(first.includes(title.replace(/\.\.\.$/, '')), `the text names "${title}"`);
  });

  it('says in words what a deleted-and-changed or moved item is, not "Delete a pet ((deleted))"', () => {
    const err = pullConflict([
      { path: '.insomnia/Request/req_1.yml', kind: 'deletedByThem', items: [{ id: 'req_1', name: 'Delete a pet', type: 'Request', fields: ['(deleted)'] }] },
      { path: 'api.yaml', kind: 'bothModified', items: [{ id: 'req_2', name: 'Get a pet', type: 'request', fields: ['(moved)', 'url'] }] },
    ]);
    assert.equal(
      presentGitError(err).message,
      'Pulling origin/main into main conflicts in 2 files; nothing was changed. Next: resolve them in the editor (Merge in Editor), or look at them first (Show Conflicts).\n' +
        '.insomnia/Request/req_1.yml: Delete a pet (deleted on one side, changed on the other)\n' +
        'api.yaml: Get a pet (moved to different places, url)',
    );
  });

  it('lists the dirty files a pull or checkout would overwrite', () => {
    const files = Array.from({ length: 12 }, (_, i) => `f${i}.yml`);
    const p = presentGitError(new GitError(GitErrorCode.DirtyWorkingTree, `Your local changes to the following files would be overwritten by the pull: ${files.join(', ')}. Commit or discard them first.`, { files }));
    assert.equal(p.severity, 'error');
    assert.match(p.message, /overwritten by the pull:\nf0\.yml, f1\.yml.*f9\.yml, and 2 more\nCommit or discard them first\./);
  });

  it('names what a dirty file holds beside it, when the command layer knows it', () => {
    const files = ['.insomnia/Request/req_1.yml', 'notes.txt'];
    const p = presentGitError(new GitError(GitErrorCode.DirtyWorkingTree, `Your local changes to the following files would be overwritten by the checkout: ${files.join(', ')}. Commit or discard them first.`, { files, names: { '.insomnia/Request/req_1.yml': 'GET Find pets by status' } }));
    assert.match(p.message, /overwritten by the checkout:\nGET Find pets by status \(\.insomnia\/Request\/req_1\.yml\), notes\.txt\nCommit or discard them first\./);
  });

  it('offers the HTTPS URL for an SSH remote, and Open Log for blocking failures', () => {
    assert.deepEqual(actions(new GitError(GitErrorCode.SshNotSupported, 'ssh', { httpsUrl: 'https://github.com/o/r.git' })), ['useHttpsUrl']);
    const network = presentGitError(new GitError(GitErrorCode.NetworkUnreachable, 'Cannot push: 127.0.0.1:9 refused the connection (ECONNREFUSED). Check the remote URL, that the server is up, your network and the proxy setting (http.proxy).'));
    assert.equal(network.severity, 'error');
    assert.match(network.message, /Check the remote URL/);
    assert.deepEqual(network.actions.map((a) => a.action), ['openLog']);
    assert.deepEqual(actions(new GitError(GitErrorCode.AuthFailed, 'rejected')), ['enterToken', 'openLog']);
    assert.deepEqual(actions(new GitError(GitErrorCode.AuthFailed, 'Permission denied (publickey)', { userGit: true })), ['openLog'], 'no token for an ssh key refused');
    assert.deepEqual(actions(new GitError(GitErrorCode.MissingAuthor, 'no author')), ['setUpSync']);
  });
});

describe('mergeInEditorMessage', () => {
  const report = {
    count: 2,
    ours: 'main',
    theirs: 'origin/main',
    files: [
      { path: '.insomnia/Request/req_1.yml', kind: 'bothModified' as const, items: [{ id: 'req_1', name: 'Get users', type: 'Request', fields: ['url'] }] },
      { path: 'api.yaml', kind: 'bothModified' as const, items: [] },
    ],
  };
  const one = { conflicts: [{ path: 'api.yaml' }], report: { ...report, count: 1, files: [report.files[1]] } };
  const two = { conflicts: [{ path: '.insomnia/Request/req_1.yml' }, { path: 'api.yaml' }], report };

  it('nothing opened: the files and how to finish', () => {
    assert.equal(mergeInEditorMessage(one), '1 conflicted file to resolve: api.yaml. Resolve, stage, then commit to finish the merge (or Abort Merge).');
  });

  it('the only conflicted file opened: says it is open in the editor', () => {
    assert.equal(mergeInEditorMessage(one, 'api.yaml'), '1 conflicted file to resolve: api.yaml. It is open in the editor: resolve it, stage it, then commit to finish the merge (or Abort Merge).');
  });

  it('the first of several opened: says which, how many others are left and where', () => {
    assert.equal(
      mergeInEditorMessage(two, '.insomnia/Request/req_1.yml'),
      "2 conflicted files to resolve: .insomnia/Request/req_1.yml: Get users (url), api.yaml. .insomnia/Request/req_1.yml is open in the editor; the other one is waiting in Source Control's Merge Changes (Show Conflicts goes there). Resolve, stage, then commit to finish the merge (or Abort Merge).",
    );
    const three = { conflicts: [...two.conflicts, { path: 'b.yaml' }] };
    assert.match(mergeInEditorMessage(three, 'api.yaml'), /api\.yaml is open in the editor; the other 2 are waiting in Source Control's Merge Changes/);
  });
});

describe('unmergedDetail: the question before deleting a branch git branch -d refuses', () => {
  const lost = (n: number) => Array.from({ length: n }, (_, i) => ({ oid: `${String(i + 1).padStart(7, 'a')}${'0'.repeat(33)}`, summary: `commit ${i + 1}` }));
  const state = (n: number, over: Partial<Parameters<typeof unmergedDetail>[0]> = {}) => ({ branch: 'topic', oid: 'f'.repeat(40), merged: false, mergedInto: 'main', intoUpstream: false, lost: lost(n), ...over });

  it('names what it is not merged into and says when nothing is lost', () => {
    assert.equal(unmergedDetail(state(0)), 'The current branch "main" does not have all of its commits. None would be lost: each of its commits is on another branch.');
    assert.match(unmergedDetail(state(0, { mergedInto: 'origin/topic', intoUpstream: true })), /^Its upstream origin\/topic does not have all of its commits\./);
    assert.match(unmergedDetail(state(0, { mergedInto: 'HEAD' })), /^The current commit \(HEAD\) does not/);
  });

  it('counts the commits lost and lists the first five, short id and summary', () => {
    assert.equal(unmergedDetail(state(1)), 'The current branch "main" does not have all of its commits. 1 commit is on no other branch and would be lost:\naaaaaa1 commit 1');
    const many = unmergedDetail(state(8)).split('\n');
    assert.match(many[0], /8 commits are on no other branch and would be lost:$/);
    assert.deepEqual(many.slice(1), ['aaaaaa1 commit 1', 'aaaaaa2 commit 2', 'aaaaaa3 commit 3', 'aaaaaa4 commit 4', 'aaaaaa5 commit 5', '...and 3 more']);
  });
});
