// A pull's merge message names the URL git fetched from: remote.<name>.url with url.<base>.insteadOf applied (the
// longest matching value; pushInsteadOf is for pushing only), as git fetch writes it into FETCH_HEAD and git pull
// then into "Merge branch 'main' of <url>". The oracles: `git remote get-url` and FETCH_HEAD for the rewriting, and
// `git pull --no-rebase` on an identical copy for the message.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { resolveConfig } from '../../../src/git/gitIdentity';
import { fetchHeadUrl, fetchUrlOf } from '../../../src/git/mergeMessage';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, loopbackGitServer, SERVER_TOKEN, serverAuth, TempDirs } from './gitTestRepos';

function rawMessage(dir: string): string {
  const raw = gitCli(dir, 'cat-file', 'commit', 'HEAD') + '\n';
  return raw.slice(raw.indexOf('\n\n') + 2);
}

describe("merge message: the URL git fetched from, url.<base>.insteadOf applied", function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  const server = loopbackGitServer(tmp);

  it('rewrites as git does: the longest insteadOf, the first base of equal ones, never pushInsteadOf', async () => {
    const cases: { url: string; rules: [string, string, string][] }[] = [
      { url: 'gh:o/r.git', rules: [] },
      { url: 'gh:o/r.git', rules: [['https://github.com/', 'insteadOf', 'gh:']] },
      { url: 'gh:o/r.git', rules: [['https://github.com/', 'insteadOf', 'gh:'], ['https://mirror/o/', 'insteadOf', 'gh:o/']] },
      { url: 'gh:o/r.git', rules: [['https://mirror/o/', 'insteadOf', 'gh:o/'], ['https://github.com/', 'insteadOf', 'gh:']] },
      { url: 'gh:o/r.git', rules: [['https://a/', 'insteadOf', 'gh:'], ['https://b/', 'insteadOf', 'gh:']] },
      { url: 'gh:o/r.git', rules: [['https://a/', 'insteadOf', 'xx:'], ['https://b/', 'insteadOf', 'gh:'], ['https://a/', 'insteadOf', 'gh:']] },
      { url: 'gh:o/r.git', rules: [['https://push/', 'pushInsteadOf', 'gh:']] },
      { url: 'https://github.com/o/r.git', rules: [['https://push/', 'pushInsteadOf', 'https://github.com/'], ['https://fetch/', 'insteadOf', 'https://github.com/o']] },
      { url: 'https://github.com/o/r.git', rules: [['git@github.com:', 'insteadOf', 'https://github.com/x/']] },
    ];
    for (const { url, rules } of cases) {
      const d = tmp.make('hammock-io-');
      gitCli(d, 'init', '-q');
      gitCli(d, 'remote', 'add', 'origin', url);
      for (const [base, key, value] of rules) gitCli(d, 'config', '--add', `url.${base}.${key}`, value);
      const config = await resolveConfig({ env: { HOME: d, GIT_CONFIG_NOSYSTEM: '1' }, gitdir: path.join(d, '.git'), commondir: path.join(d, '.git') });
      assert.strictEqual(fetchUrlOf(url, config.entries), gitCli(d, 'remote', 'get-url', 'origin'), JSON.stringify({ url, rules }));
    }
    // and what git fetch writes into FETCH_HEAD is that URL's
    const seed = path.join(tmp.make('hammock-io-seed-'), 'repo');
    fs.mkdirSync(seed);
    initRepo(seed, legacySeed(1));
    const d = tmp.make('hammock-io-fh-');
    gitCli(d, 'init', '-q');
    gitCli(d, 'remote', 'add', 'origin', 'seed:repo');
    gitCli(d, 'config', `url.${path.dirname(seed)}/.insteadOf`, 'seed:');
    gitCli(d, 'config', 'url./nowhere/.pushInsteadOf', 'seed:');
    await gitCliAsync(d, 'fetch', '-q', 'origin', 'main');
    const written = /branch 'main' of (.*)$/m.exec(fs.readFileSync(path.join(d, '.git/FETCH_HEAD'), 'utf8'))?.[1];
    const config = await resolveConfig({ env: { HOME: d, GIT_CONFIG_NOSYSTEM: '1' }, gitdir: path.join(d, '.git'), commondir: path.join(d, '.git') });
    assert.strictEqual(fetchHeadUrl(fetchUrlOf('seed:repo', config.entries)), written);
  });

  it('a pull that merges, with an insteadOf rule for the remote: the message git pull --no-rebase writes on an identical copy', async () => {
    const seed = initRepo(tmp.make('hammock-io-pseed-'), legacySeed(2));
    server().createBareRepo('io1', { seedDir: seed });
    const url = server().url('io1').replace('http://', `http://user:${SERVER_TOKEN}@`);
    // the same server under another name: both reach it, git fetches from (and names) the rewritten one
    const prefix = /^http:\/\/[^/]+\//.exec(url)![0];
    const rewritten = prefix.replace('127.0.0.1', 'localhost');
    assert.notStrictEqual(rewritten, prefix, url);
    const copies = [path.join(tmp.make('hammock-io-h-'), 'h'), path.join(tmp.make('hammock-io-c-'), 'c'), path.join(tmp.make('hammock-io-o-'), 'o')];
    for (const d of copies) {
      await gitCliAsync(path.dirname(d), 'clone', '-q', url, d);
      gitCli(d, 'config', 'user.name', AUTHOR.name);
      gitCli(d, 'config', 'user.email', AUTHOR.email);
    }
    const [h, c, o] = copies;
    for (const d of [h, c]) {
      gitCli(d, 'config', `url.${rewritten}.insteadOf`, prefix);
      gitCli(d, 'config', `url.http://push.invalid/.pushInsteadOf`, prefix);
      commitFiles(d, { 'ours.txt': 'ours\n' }, 'ours');
    }
    commitFiles(o, { 'theirs.txt': 'theirs\n' }, 'theirs');
    await gitCliAsync(o, 'push', '-q', 'origin', 'main');
    const result = await new GitClient(h, { auth: serverAuth }).pull();
    assert.strictEqual(result.kind, 'merge');
    await gitCliAsync(c, 'pull', '-q', '--no-rebase');
    assert.strictEqual(rawMessage(c), `Merge branch 'main' of ${server().url('io1').replace('127.0.0.1', 'localhost').replace(/\.git$/, '')}\n`, 'git names the rewritten URL');
    assert.strictEqual(rawMessage(h), rawMessage(c));
  });
});
