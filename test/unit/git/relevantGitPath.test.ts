// Which changed paths make the Source Control refresh (isRelevantGitPath, the watcher's filter) against what the
// status itself says needs a full scan (incrementalPaths): a `.git` file that changes what git reports must reach
// the status, or the view stays stale until the next unrelated change (it did for `.git/info/exclude`).

import { strict as assert } from 'assert';
import { incrementalPaths } from '../../../src/git/status';
import { isRelevantGitPath } from '../../../src/git/statusChanges';

describe('isRelevantGitPath: the watcher events that refresh Source Control', () => {
  const gitFiles = [
    '.git/HEAD', '.git/index', '.git/packed-refs', '.git/MERGE_HEAD', '.git/config', '.git/refs/heads/main',
    '.git/refs/remotes/origin/main', '.git/info/exclude', '.git/info/attributes', '.git/info/sparse-checkout',
    '.git/info/refs', '.git/objects/ab/cdef', '.git/logs/HEAD', '.git/hooks/pre-commit', '.git/index.lock',
    '.git/HEAD.lock', '.git/modules/sub/HEAD', '.git/worktrees/w/HEAD', '.git/lfs/objects/x', '.git/FETCH_HEAD',
  ];

  it('every .git file that forces a full status scan also triggers the refresh', () => {
    const forcing = gitFiles.filter((p) => incrementalPaths([p]) === null);
    assert.ok(forcing.length >= 4, `the status names config and the info files (${forcing.join(', ')})`);
    for (const p of forcing) assert.ok(isRelevantGitPath(p), `${p} forces a full scan but would not refresh`);
  });

  it('refreshes for work-tree files, refs, HEAD, the index and the info files; not for objects, logs, hooks or locks', () => {
    for (const p of ['a.yml', '.insomnia/Request/req_1.yml', '.gitignore', '.git/HEAD', '.git/index', '.git/refs/heads/x', '.git/info/exclude', '.git/info/sparse-checkout']) {
      assert.ok(isRelevantGitPath(p), p);
    }
    for (const p of ['.git', '.git/objects/ab/cdef', '.git/logs/HEAD', '.git/hooks/pre-commit', '.git/index.lock', '.git/info/refs', '.git/modules/sub/HEAD']) {
      assert.ok(!isRelevantGitPath(p), p);
    }
  });
});
