// A commit message cleaned up as `git commit -m` cleans it under the repository's commit.cleanup (strip, whitespace,
// verbatim, scissors, default) and core.commentChar (a character, or "auto"): the oracle is git commit -m on an
// identical copy, with the same author, committer and dates, so the commit ids must be the same.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { AUTHOR, commitLike, gitCli, initRepo, legacySeed, requestYaml, TempDirs, writeFiles } from './gitTestRepos';

describe('commit messages under commit.cleanup, as git commit -m', function () {
  this.timeout(30_000);
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  const MESSAGE = '  \n\n# comment\nSubject line   \n\n\n  indented\t \n;semi\n# ------------------------ >8 ------------------------\nafter\n\n';
  const cases: [string, Record<string, string>][] = [
    ['default', {}],
    ['default, named', { 'commit.cleanup': 'default' }],
    ['strip', { 'commit.cleanup': 'strip' }],
    ['whitespace', { 'commit.cleanup': 'whitespace' }],
    ['verbatim', { 'commit.cleanup': 'verbatim' }],
    ['scissors', { 'commit.cleanup': 'scissors' }],
    ['strip, comment character ;', { 'commit.cleanup': 'strip', 'core.commentChar': ';' }],
    ['strip, comment character auto', { 'commit.cleanup': 'strip', 'core.commentChar': 'auto' }],
  ];
  for (const [what, config] of cases) {
    it(`${what}: the same commit as git commit -m`, async () => {
      const h = initRepo(tmp.make(), legacySeed(2));
      for (const [k, v] of Object.entries(config)) gitCli(h, 'config', k, v);
      const c = path.join(tmp.make(), 'copy');
      fs.cpSync(h, c, { recursive: true });
      for (const d of [h, c]) writeFiles(d, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Edited') });
      const client = new GitClient(h);
      await client.setAuthor(AUTHOR);
      await client.stage(['.insomnia/Request/req_1.yml']);
      const oid = await client.commit(MESSAGE);
      gitCli(c, 'add', '-A');
      commitLike(h, c, MESSAGE);
      assert.strictEqual(gitCli(h, 'cat-file', 'commit', oid), gitCli(c, 'cat-file', 'commit', 'HEAD'));
      assert.strictEqual(oid, gitCli(c, 'rev-parse', 'HEAD'), 'the same commit id');
    });
  }
});
