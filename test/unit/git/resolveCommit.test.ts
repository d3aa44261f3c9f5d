// resolveCommit (the refs `hammock diff`, `run --changed`, history and review take) against the git CLI on the same
// repository: a merge history with an annotated tag, where CI scripts name commits as `HEAD^1`, `HEAD^2`, `@~1`,
// `v1^{}`. Every revision git resolves to a commit resolves to the same one; every one git refuses is an UnknownRefError.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveCommit, UnknownRefError } from '../../../src/git/snapshotAtRef';

describe('resolveCommit: the revisions git takes, as git resolves them', function () {
  this.timeout(60_000);
  let dir: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();
  const commit = (file: string, text: string, message: string) => {
    writeFileSync(path.join(dir, file), text);
    git('add', '-A');
    git('commit', '-qm', message);
  };

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hammock-revs-'));
    git('init', '-q', '-b', 'main');
    commit('a.txt', 'one\n', 'one');
    git('tag', '-a', 'v1', '-m', 'v1');
    git('checkout', '-qb', 'feat');
    commit('b.txt', 'two\n', 'two');
    commit('b.txt', 'three\n', 'three');
    git('checkout', '-q', 'main');
    commit('a.txt', 'four\n', 'four');
    git('merge', '-q', '--no-ff', '--no-edit', 'feat');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const REVISIONS = [
    'HEAD', 'HEAD^', 'HEAD^1', 'HEAD^2', 'HEAD^0', 'HEAD^2~1', 'HEAD^2^', 'HEAD~', 'HEAD~2', 'HEAD^^', 'HEAD^1^1',
    '@', '@~1', '@^2', 'HEAD^{commit}', 'HEAD^{}', 'v1', 'v1^{}', 'v1^{commit}', 'v1~0', 'main^2~1', 'feat~2',
    'refs/heads/feat', 'heads/feat',
    // git refuses these
    'HEAD^3', 'HEAD~9', 'v1^', 'nope', 'nope~1',
  ];

  for (const rev of REVISIONS) {
    it(rev, async () => {
      let expected: string | undefined;
      try {
        expected = git('rev-parse', '--verify', '-q', `${rev}^{commit}`);
      } catch {
        expected = undefined;
      }
      if (expected === undefined) await assert.rejects(resolveCommit(dir, rev), UnknownRefError);
      else assert.equal(await resolveCommit(dir, rev), expected);
    });
  }
});
