// The repository model against a real smart-HTTP git server on loopback: what a command reads right after a remote
// operation is the truth (the git CLI on the same repository says so), and "Push to a New Branch" leaves the
// branches as git would.

import * as assert from 'assert';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { Repository } from '../../../src/git/repository';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, loopbackGitServer, rejects, requestYaml, SERVER_TOKEN as TOKEN, serverAuth as auth, TempDirs, writeFiles } from './gitTestRepos';


/** ahead/behind of HEAD's branch against its upstream, as `git rev-list --left-right --count` counts them. */
function cliAheadBehind(dir: string): { ahead: number; behind: number } {
  const [ahead, behind] = gitCli(dir, 'rev-list', '--left-right', '--count', 'HEAD...@{upstream}').split(/\s+/).map(Number);
  return { ahead, behind };
}

describe('Repository (the model) against a loopback git server', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  const server = loopbackGitServer(tmp);

  let n = 0;
  async function setUp(options: { protectMain?: boolean } = {}): Promise<{ repo: Repository; dir: string; bare: string; other: string }> {
    const seed = initRepo(tmp.make('hammock-seed-'), legacySeed(3));
    const name = `model${++n}`;
    const bare = server().createBareRepo(name, { seedDir: seed, protectMain: options.protectMain });
    const url = server().url(name);
    const dir = path.join(tmp.make('hammock-wc-'), 'repo');
    const client = await GitClient.clone({ url, dir, auth, author: AUTHOR });
    const other = path.join(tmp.make('hammock-cli-'), 'wc');
    await gitCliAsync(path.dirname(other), 'clone', '-q', url.replace('http://', `http://user:${TOKEN}@`), other);
    gitCli(other, 'config', 'user.name', 'Someone Else');
    gitCli(other, 'config', 'user.email', 'else@hammock.invalid');
    return { repo: new Repository(new GitClient(client.dir, { auth })), dir: client.dir, bare, other };
  }

  it('the state read right after a fetch is the truth: ahead and behind as the git CLI counts them (the stale Fetch message)', async () => {
    const { repo, dir, other } = await setUp();
    await repo.refresh();
    assert.deepStrictEqual(repo.snapshot?.tracking, { upstream: 'origin/main', ahead: 0, behind: 0 });
    // one commit of ours, one of someone else's on the remote
    writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Ours') });
    await repo.stage(['.insomnia/Request/req_1.yml']);
    await repo.commit('ours');
    commitFiles(other, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Theirs') }, 'theirs');
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');

    await repo.fetch();
    // what the Fetch command's message reads, with nothing awaited in between
    const { ahead, behind } = repo.snapshot!.tracking!;
    assert.deepStrictEqual({ ahead, behind }, cliAheadBehind(dir));
    assert.deepStrictEqual({ ahead, behind }, { ahead: 1, behind: 1 });
    repo.dispose();
  });

  it('Push to a New Branch after a protected-branch rejection: the commits on the new branch, pushed with its upstream; main back at origin/main', async () => {
    const { repo, dir, bare } = await setUp({ protectMain: true });
    const mainBefore = gitCli(bare, 'rev-parse', 'main');
    writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Protected') });
    await repo.stage(['.insomnia/Request/req_1.yml']);
    const ours = await repo.commit('describe');
    await rejects(repo.push(), GitErrorCode.PushRejectedByRemote);
    assert.deepStrictEqual(cliAheadBehind(dir), { ahead: 1, behind: 0 });

    const result = await repo.pushToNewBranch('main-update');
    assert.deepStrictEqual({ branch: result.branch, from: result.from, resetTo: result.resetTo }, { branch: 'main-update', from: 'main', resetTo: 'origin/main' });
    // the remote: the new branch has the commit, main does not
    assert.strictEqual(gitCli(bare, 'rev-parse', 'main-update'), ours);
    assert.strictEqual(gitCli(bare, 'rev-parse', 'main'), mainBefore);
    // locally, as `git switch -c main-update && git branch -f main origin/main && git push -u origin main-update` leaves it
    assert.strictEqual(gitCli(dir, 'symbolic-ref', '--short', 'HEAD'), 'main-update');
    assert.strictEqual(gitCli(dir, 'rev-parse', 'main-update'), ours);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'main'), gitCli(dir, 'rev-parse', 'origin/main'));
    assert.strictEqual(gitCli(dir, 'rev-parse', '--abbrev-ref', 'main-update@{upstream}'), 'origin/main-update');
    assert.strictEqual(gitCli(dir, 'rev-list', '--left-right', '--count', 'main...main@{upstream}'), '0\t0');
    assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '');
    assert.strictEqual(gitCli(dir, 'reflog', '-1', '--format=%gs', 'main'), 'branch: Reset to origin/main');
    assert.strictEqual(gitCli(dir, 'fsck', '--no-progress'), '');
    // and the model says so without a refresh
    assert.strictEqual(repo.snapshot?.status.branch, 'main-update');
    assert.deepStrictEqual(repo.snapshot?.tracking, { upstream: 'origin/main-update', ahead: 0, behind: 0 });
    repo.dispose();
  });
});
