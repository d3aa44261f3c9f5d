// Pull requests a remote advertises (GitHub, Gitea, Forgejo `refs/pull/<n>/head`; GitLab `refs/merge-requests/<n>/head`):
// listed with the branches (a pull request from a fork has no branch on the remote), and fetched one at a time into
// `refs/remotes/<remote>/pr/<n>` as `git fetch <remote> +<ref>:refs/remotes/<remote>/pr/<n>` does on an identical
// copy, over smart HTTP (isomorphic-git) and through the user's git (a local remote). Nothing else moves.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { listRemoteBranches, pullRequestTrackingRef } from '../../../src/git/remoteBranches';
import { GitCli } from '../../../src/git/systemGit';
import { createBareRepo } from '../../support/gitServer';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, loopbackGitServer, requestYaml, SERVER_TOKEN as TOKEN, serverAuth as auth, TempDirs } from './gitTestRepos';


describe('pull requests by number: listed, fetched into refs/remotes/<remote>/pr/<n>', function () {
  this.timeout(120_000);
  const tmp = new TempDirs();
  const env = { GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent-hammock-home', GIT_AUTHOR_NAME: 'CLI User', GIT_AUTHOR_EMAIL: 'cli@hammock.invalid', GIT_COMMITTER_NAME: 'CLI User', GIT_COMMITTER_EMAIL: 'cli@hammock.invalid' };
  const cli = new GitCli({ env });

  const server = loopbackGitServer(tmp);

  let n = 0;
  /**
   * A bare remote whose pull request refs hold commits on no branch (from forks): #3 and #12 as GitHub names them,
   * !5 as GitLab does, and `refs/pull/3/merge` (GitHub's test merge, not a pull request's head).
   */
  async function remoteWithPullRequests(projectRoot: string): Promise<{ bare: string; prs: Record<string, string> }> {
    const seed = initRepo(tmp.make('hammock-seed-'), legacySeed(2));
    const bare = createBareRepo(projectRoot, `prs${++n}`, { seedDir: seed });
    const prs: Record<string, string> = {};
    for (const [ref, id] of [['refs/pull/3/head', 'req_pr3'], ['refs/pull/12/head', 'req_pr12'], ['refs/merge-requests/5/head', 'req_mr5'], ['refs/pull/3/merge', 'req_merge']] as const) {
      gitCli(seed, 'checkout', '-q', '--detach', 'main');
      prs[ref] = commitFiles(seed, { [`.insomnia/Request/${id}.yml`]: requestYaml(id, id) }, id);
      gitCli(seed, 'push', '-q', bare, `HEAD:${ref}`);
    }
    return { bare, prs };
  }

  const refs = (d: string): string => gitCli(d, 'for-each-ref', '--format=%(refname) %(objectname)');

  it('over smart HTTP: listed newest first (not refs/pull/<n>/merge), fetched into pr/<n> as git fetch does', async () => {
    const { prs } = await remoteWithPullRequests(server().projectRoot);
    const url = server().url(`prs${n}`);
    const dir = path.join(tmp.make('hammock-wc-'), 'repo');
    await GitClient.clone({ url, dir, auth, author: AUTHOR });
    const listed = await listRemoteBranches(dir, { auth });
    assert.deepEqual(listed.pullRequests.map((p) => [p.number, p.ref, p.oid]), [
      [12, 'refs/pull/12/head', prs['refs/pull/12/head']],
      [5, 'refs/merge-requests/5/head', prs['refs/merge-requests/5/head']],
      [3, 'refs/pull/3/head', prs['refs/pull/3/head']],
    ]);
    assert.deepEqual(listed.branches.map((b) => b.name), ['main']);

    const copy = path.join(tmp.make('hammock-copy-'), 'repo');
    fs.cpSync(dir, copy, { recursive: true });
    gitCli(copy, 'remote', 'set-url', 'origin', url.replace('http://', `http://user:${TOKEN}@`));
    const pr = listed.pullRequests.find((p) => p.number === 12)!;
    const dst = pullRequestTrackingRef('origin', pr);
    assert.equal(dst, 'refs/remotes/origin/pr/12');
    await new GitClient(dir, { auth }).fetch({ refspec: { src: pr.ref, dst } });
    await gitCliAsync(copy, 'fetch', '-q', 'origin', `+${pr.ref}:${dst}`);
    assert.equal(refs(dir), refs(copy));
    assert.equal(gitCli(dir, 'rev-parse', dst), prs['refs/pull/12/head']);
    assert.equal(gitCli(dir, 'log', '-1', '--format=%s', dst), 'req_pr12');
    // the reflog of the new ref, as git writes one for a remote-tracking ref
    assert.equal(gitCli(dir, 'reflog', 'show', '--format=%H', dst), prs['refs/pull/12/head']);
    assert.equal(gitCli(dir, 'status', '--porcelain'), '');
    gitCli(dir, 'fsck', '--strict', '--no-progress', '--no-dangling');
  });

  it('through the user\'s git (a local remote): the same list and the same ref; an unknown one says so', async () => {
    const { bare, prs } = await remoteWithPullRequests(tmp.make('hammock-local-'));
    const client = await GitClient.clone({ url: bare, dir: path.join(tmp.make('hammock-wc-'), 'repo'), externalGit: cli, author: AUTHOR });
    const listed = await listRemoteBranches(client.dir, { externalGit: cli });
    assert.deepEqual(listed.pullRequests.map((p) => p.number), [12, 5, 3]);
    const pr = listed.pullRequests.find((p) => p.number === 5)!;
    const dst = pullRequestTrackingRef('origin', pr);
    await client.fetch({ refspec: { src: pr.ref, dst } });
    assert.equal(gitCli(client.dir, 'rev-parse', 'refs/remotes/origin/pr/5'), prs['refs/merge-requests/5/head']);
    await assert.rejects(client.fetch({ refspec: { src: 'refs/pull/99/head', dst: 'refs/remotes/origin/pr/99' } }), /The remote has no refs\/pull\/99\/head/);
    gitCli(client.dir, 'fsck', '--strict', '--no-progress', '--no-dangling');
  });
});
