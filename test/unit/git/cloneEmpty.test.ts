// Cloning an empty remote (a repository just created on a hosting service: no commit, HEAD on a branch that does not
// exist yet), as `git clone` makes it: an empty repository with origin configured, HEAD on the remote's default
// branch (the one its HEAD names, else init.defaultBranch, else main) with that branch's upstream set, and git's
// warning "You appear to have cloned an empty repository."; a first commit and push then work. The oracle is
// `git clone` of the same empty bare repository, over the same loopback server.

import * as assert from 'assert';
import { execFile } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { AUTHOR, gitCli, gitCliAsync, loopbackGitServer, requestYaml, SERVER_TOKEN as TOKEN, serverAuth as auth, TempDirs, writeFiles } from './gitTestRepos';

describe('clone of an empty remote, as git clone', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  const server = loopbackGitServer(tmp);

  /** what git reads of a clone's setup: HEAD, refs, and the config git clone writes about the remote. */
  function setup(dir: string): Record<string, string> {
    const config = (key: string): string => {
      try {
        return gitCli(dir, 'config', '--local', '--get-all', key);
      } catch {
        return '(unset)';
      }
    };
    return {
      HEAD: gitCli(dir, 'symbolic-ref', 'HEAD'),
      refs: gitCli(dir, 'for-each-ref'),
      'remote.origin.url': config('remote.origin.url'),
      'remote.origin.fetch': config('remote.origin.fetch'),
      'branch.trunk.remote': config('branch.trunk.remote'),
      'branch.trunk.merge': config('branch.trunk.merge'),
      'core.bare': config('core.bare'),
      status: gitCli(dir, 'status', '--porcelain=v2', '--branch'),
    };
  }

  it("makes an empty repository with origin and HEAD on the remote's default branch; a first commit and push work", async () => {
    const bare = server().createBareRepo('empty1');
    gitCli(bare, 'symbolic-ref', 'HEAD', 'refs/heads/trunk'); // the hosting service's default branch
    const url = server().url('empty1');
    const dir = path.join(tmp.make('hammock-wc-'), 'repo');
    const lines: string[] = [];
    await GitClient.clone({ url, dir, auth, author: AUTHOR, onMessage: (l) => lines.push(l) });
    assert.ok(lines.includes('warning: You appear to have cloned an empty repository.'), lines.join('\n'));
    // the oracle: git clone of the same remote (its stderr has the warning; its URL then without the token, as
    // Hammock stores it)
    const oracle = path.join(tmp.make('hammock-cli-'), 'repo');
    const out = await new Promise<string>((resolve, reject) =>
      execFile('git', ['clone', url.replace('http://', `http://u:${TOKEN}@`), oracle], { cwd: path.dirname(oracle), env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir(), GIT_TERMINAL_PROMPT: '0' } }, (err, _stdout, stderr) => (err ? reject(err) : resolve(stderr))),
    );
    assert.match(out, /warning: You appear to have cloned an empty repository\./);
    gitCli(oracle, 'remote', 'set-url', 'origin', url);
    assert.deepStrictEqual(setup(dir), setup(oracle));
    assert.strictEqual(setup(dir).HEAD, 'refs/heads/trunk');
    // the first commit, pushed to the branch git clone set up
    writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'First') });
    const client = new GitClient(dir, { auth });
    await client.stage(['.insomnia/Request/req_1.yml']);
    const oid = await client.commit('first');
    await client.push();
    assert.strictEqual(gitCli(bare, 'rev-parse', 'refs/heads/trunk'), oid);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'refs/remotes/origin/trunk'), oid);
    await gitCliAsync(oracle, 'pull', '-q', url.replace('http://', `http://u:${TOKEN}@`), 'trunk');
    assert.strictEqual(gitCli(oracle, 'rev-parse', 'HEAD'), oid);
    assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '');
    assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling'), '');
  });
});
