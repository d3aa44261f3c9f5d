// A pull's merge message names the URL git fetched from: remote.<name>.url with url.<base>.insteadOf applied (the
// longest matching value; pushInsteadOf is for pushing only), as git fetch writes it into FETCH_HEAD and git pull
// then into "Merge branch 'main' of <url>". The oracles: `git remote get-url` and FETCH_HEAD. (The pull itself,
// against git pull on an identical copy: mergeMessage.test.ts.)

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { resolveConfig } from '../../../src/git/gitIdentity';
import { fetchHeadUrl } from '../../../src/git/mergeMessage';
import { fetchUrlOf } from '../../../src/git/remoteUrl';
import { gitCli, gitCliAsync, initRepo, legacySeed, TempDirs } from './gitTestRepos';

describe("merge message: the URL git fetched from, url.<base>.insteadOf applied", function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

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
});
