// A merge that leaves "deleted by them" and "deleted by us" conflicts: resolving each by keeping the file (stage,
// `git add`) or deleting it (remove, `git rm`) leaves the index, the status and the working tree exactly as the git
// CLI leaves an identical copy, the directories a deletion empties included.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { commitFiles, copyView, gitCli, initRepo, legacySeed, requestYaml, TempDirs } from './gitTestRepos';

const OURS_DELETED = 'only/req_us.yml'; // deleted on main, changed on other: deleted by us
const THEIRS_DELETED = '.insomnia/Request/req_them.yml'; // changed on main, deleted on other: deleted by them

/** Everything git says of a copy, and which directories exist (git rm removes the ones it empties). */
function view(dir: string): ReturnType<typeof copyView> & { dirs: string[] } {
  const dirs = ['only', '.insomnia/Request'].filter((d) => fs.existsSync(path.join(dir, d)));
  return { ...copyView(dir), dirs };
}

describe('deletion conflicts: keep or delete, as git add / git rm', function () {
  this.timeout(30_000);
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  /** A repository in a CLI merge with one conflict of each kind, and an identical copy of it. */
  function conflicted(): { dir: string; oracle: string } {
    const dir = initRepo(tmp.make('hammock-dc-'), { ...legacySeed(1), [OURS_DELETED]: requestYaml('req_us', 'Us'), [THEIRS_DELETED]: requestYaml('req_them', 'Them') });
    gitCli(dir, 'checkout', '-q', '-b', 'other');
    fs.rmSync(path.join(dir, THEIRS_DELETED));
    commitFiles(dir, { [OURS_DELETED]: requestYaml('req_us', 'Us, changed by them') }, 'theirs');
    gitCli(dir, 'checkout', '-q', 'main');
    fs.rmSync(path.join(dir, OURS_DELETED));
    commitFiles(dir, { [THEIRS_DELETED]: requestYaml('req_them', 'Them, changed by us') }, 'ours');
    assert.throws(() => gitCli(dir, 'merge', '-q', 'other'), 'the merge stops on the conflicts');
    const sorted = (lines: string[]): string[] => [...lines].sort();
    assert.deepStrictEqual(sorted(gitCli(dir, 'status', '--porcelain').split('\n')), sorted([`UD ${THEIRS_DELETED}`, `DU ${OURS_DELETED}`]));
    const oracle = tmp.make('hammock-dc-oracle-');
    fs.cpSync(dir, oracle, { recursive: true, verbatimSymlinks: true });
    return { dir, oracle };
  }

  for (const keep of ['theirs-deleted', 'ours-deleted'] as const) {
    it(`keeping the ${keep === 'theirs-deleted' ? 'file they deleted' : 'file we deleted'} and deleting the other`, async () => {
      const { dir, oracle } = conflicted();
      const kept = keep === 'theirs-deleted' ? THEIRS_DELETED : OURS_DELETED;
      const deleted = keep === 'theirs-deleted' ? OURS_DELETED : THEIRS_DELETED;
      const client = new GitClient(dir);
      await client.stage([kept]);
      await client.remove([deleted]);
      gitCli(oracle, 'add', kept);
      gitCli(oracle, 'rm', '-q', deleted);
      assert.deepStrictEqual(view(dir), view(oracle));
      assert.deepStrictEqual((await client.status()).merge, []);
    });
  }

  it('Delete while another git holds index.lock: the file stays, the conflict stays, as git rm leaves them', async () => {
    const { dir, oracle } = conflicted();
    fs.writeFileSync(path.join(dir, '.git', 'index.lock'), '');
    fs.writeFileSync(path.join(oracle, '.git', 'index.lock'), '');
    // (a lock no process holds is reported at once, as stale: the same refusal without the wait)
    await assert.rejects(new GitClient(dir).remove([THEIRS_DELETED]));
    assert.throws(() => gitCli(oracle, 'rm', '-q', THEIRS_DELETED));
    fs.rmSync(path.join(dir, '.git', 'index.lock'));
    fs.rmSync(path.join(oracle, '.git', 'index.lock'));
    assert.ok(fs.existsSync(path.join(dir, THEIRS_DELETED)), 'the file is still there');
    assert.deepStrictEqual(view(dir), view(oracle));
  });
});
