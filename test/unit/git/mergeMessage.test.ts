// The message of the merge commit a pull makes, byte for byte as `git pull --no-rebase` writes it on an identical
// copy ("Merge branch 'main' of <url>", " into <branch>" off main/master or merge.suppressDest), and the URL as
// `git fetch` writes it into FETCH_HEAD (credentials out, trailing slashes and `.git` off).

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { fetchHeadUrl, mergeCommitMessage } from '../../../src/git/mergeMessage';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, loopbackGitServer, SERVER_TOKEN, serverAuth, TempDirs } from './gitTestRepos';

/** The raw message of a commit (what follows the blank line of `git cat-file commit`). */
function rawMessage(dir: string, rev = 'HEAD'): string {
  const raw = gitCli(dir, 'cat-file', 'commit', rev) + '\n';
  return raw.slice(raw.indexOf('\n\n') + 2);
}

describe('merge commit message', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  const server = loopbackGitServer(tmp);
  let n = 0;

  it('the URL as git fetch writes it into FETCH_HEAD', async () => {
    const seed = initRepo(tmp.make('hammock-mm-seed-'), legacySeed(1));
    const bare = path.join(tmp.make('hammock-mm-bare-'), 'remote.git');
    gitCli(path.dirname(bare), 'clone', '-q', '--bare', seed, bare);
    const http = server().url(`fh${++n}`);
    server().createBareRepo(`fh${n}`, { seedDir: seed });
    const withCredentials = http.replace('http://', `http://user:${SERVER_TOKEN}@`);
    for (const url of [bare, `${bare}/`, `${bare}//`, `file://${bare}`, `file://${bare}/`, withCredentials, `${withCredentials}/`, withCredentials.replace(/\.git$/, '')]) {
      const d = tmp.make('hammock-mm-fh-');
      gitCli(d, 'init', '-q');
      gitCli(d, 'remote', 'add', 'origin', url);
      await gitCliAsync(d, 'fetch', '-q', 'origin', 'main');
      const fetchHead = fs.readFileSync(path.join(d, '.git', 'FETCH_HEAD'), 'utf8');
      const written = /branch 'main' of (.*)$/m.exec(fetchHead)?.[1];
      assert.strictEqual(fetchHeadUrl(url), written, url);
    }
    // no network needed for these: the rules on their own
    assert.strictEqual(fetchHeadUrl('git@github.com:o/r.git'), 'github.com:o/r');
    assert.strictEqual(fetchHeadUrl('ssh://git@github.com/o/r.git/'), 'ssh://github.com/o/r');
    assert.strictEqual(fetchHeadUrl('https://host/a@b/r.git'), 'https://host/a@b/r');
    assert.strictEqual(fetchHeadUrl('../r.git'), '../r');
  });

  it('the message fmt-merge-msg writes: " into <branch>" off main and master, or per merge.suppressDest', () => {
    const d = initRepo(tmp.make('hammock-mm-fmt-'), legacySeed(1));
    const oid = gitCli(d, 'rev-parse', 'HEAD');
    const cases: { branch: string; suppress?: string[] }[] = [
      { branch: 'main' },
      { branch: 'master' },
      { branch: 'feature/x' },
      { branch: 'feature/x', suppress: ['feature/*'] },
      { branch: 'topic/x/y', suppress: ['topic/*'] },
      { branch: 'main', suppress: ['dev'] },
      { branch: 'dev', suppress: ['main', '', 'd?v'] },
      { branch: 'main', suppress: [''] },
    ];
    // fmt-merge-msg reads FETCH_HEAD lines on stdin and the current branch from HEAD
    for (const { branch, suppress } of cases) {
      try {
        gitCli(d, 'config', '--unset-all', 'merge.suppressDest');
      } catch {
        /* none set */
      }
      for (const s of suppress ?? []) gitCli(d, 'config', '--add', 'merge.suppressDest', s);
      gitCli(d, 'symbolic-ref', 'HEAD', `refs/heads/${branch}`);
      gitCli(d, 'update-ref', `refs/heads/${branch}`, oid);
      const oracle = gitCliWithInput(d, `${oid}\t\tbranch 'main' of https://example.com/r\n`, 'fmt-merge-msg');
      assert.strictEqual(mergeCommitMessage({ kind: 'pull', remote: 'origin', remoteBranch: 'main', url: 'https://example.com/r.git' }, branch, suppress), oracle, `${branch} ${JSON.stringify(suppress)}`);
      const tracking = gitCliWithInput(d, `${oid}\t\tremote-tracking branch 'origin/main' of .\n`, 'fmt-merge-msg');
      assert.strictEqual(mergeCommitMessage({ kind: 'remoteTracking', remote: 'origin', remoteBranch: 'main' }, branch, suppress), tracking, `${branch} ${JSON.stringify(suppress)}`);
    }
  });

  for (const [branch, insteadOf] of [
    ['main', false],
    ['feat', false],
    ['main', true],
  ] as const) {
    it(`a pull that merges, on ${branch}${insteadOf ? ', with a url.<base>.insteadOf rule for the remote' : ''}: the message git pull --no-rebase writes on an identical copy`, async () => {
      const seed = initRepo(tmp.make('hammock-mm-pseed-'), legacySeed(2));
      const name = `mm${++n}`;
      server().createBareRepo(name, { seedDir: seed });
      // credentials in the URL: git leaves them out of the message, as Hammock must
      const url = server().url(name).replace('http://', `http://user:${SERVER_TOKEN}@`);
      const copies = [path.join(tmp.make('hammock-mm-h-'), 'h'), path.join(tmp.make('hammock-mm-c-'), 'c'), path.join(tmp.make('hammock-mm-o-'), 'o')];
      for (const d of copies) {
        await gitCliAsync(path.dirname(d), 'clone', '-q', url, d);
        gitCli(d, 'config', 'user.name', AUTHOR.name);
        gitCli(d, 'config', 'user.email', AUTHOR.email);
      }
      const [h, c, o] = copies;
      // the same server under another name: git fetches from, and names, the URL the rule rewrites to (pushInsteadOf
      // is for pushing only)
      const prefix = /^http:\/\/[^/]+\//.exec(url)![0];
      const rewritten = prefix.replace('127.0.0.1', 'localhost');
      for (const d of [h, c]) {
        if (branch !== 'main') gitCli(d, 'checkout', '-q', '-b', branch, '--track', 'origin/main');
        if (insteadOf) {
          gitCli(d, 'config', `url.${rewritten}.insteadOf`, prefix);
          gitCli(d, 'config', 'url.http://push.invalid/.pushInsteadOf', prefix);
        }
        commitFiles(d, { 'ours.txt': 'ours\n' }, 'ours');
      }
      commitFiles(o, { 'theirs.txt': 'theirs\n' }, 'theirs');
      await gitCliAsync(o, 'push', '-q', 'origin', 'main');

      const result = await new GitClient(h, { auth: serverAuth }).pull();
      assert.strictEqual(result.kind, 'merge');
      await gitCliAsync(c, 'pull', '-q', '--no-rebase');
      assert.strictEqual(rawMessage(h), rawMessage(c));
      const named = insteadOf ? server().url(name).replace('127.0.0.1', 'localhost') : server().url(name);
      if (insteadOf) assert.notStrictEqual(named, server().url(name), 'the rule names the server otherwise');
      assert.strictEqual(rawMessage(h), `Merge branch 'main' of ${named.replace(/\.git$/, '')}${branch === 'main' ? '' : ` into ${branch}`}\n`);
    });
  }
});

function gitCliWithInput(cwd: string, input: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, input, encoding: 'utf8' });
}
