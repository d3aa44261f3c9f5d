// What is checked out in the repository holding a folder (`checkedOut`), read as git reads HEAD: in the main working
// tree, in a linked worktree (`.git` a file), detached, and outside any repository. Compared with the git CLI.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { checkedOut } from '../../../src/git/checkedOut';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', GIT_CONFIG_NOSYSTEM: '1' } }).trim();
}

/** HEAD as git says it: `ref: <symbolic ref>`, or the commit when detached. */
function gitHead(cwd: string): string {
  try {
    return `ref: ${git(cwd, 'symbolic-ref', '-q', 'HEAD')}`;
  } catch {
    return git(cwd, 'rev-parse', 'HEAD');
  }
}

describe('checkedOut: the HEAD of the repository holding a folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'hammock-checkedout-')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('follows a checkout from the CLI, in the main working tree and in a linked worktree, from a folder below the root', () => {
    const repo = path.join(dir, 'repo');
    mkdirSync(path.join(repo, 'api', 'v5'), { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(path.join(repo, 'api', 'v5', 'c.yaml'), 'x: 1\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'one');
    const below = path.join(repo, 'api', 'v5');
    assert.equal(checkedOut(below), gitHead(repo));
    git(repo, 'checkout', '-qb', 'feature/x');
    assert.equal(checkedOut(below), gitHead(repo));
    assert.equal(checkedOut(below), 'ref: refs/heads/feature/x');
    git(repo, 'checkout', '-q', '--detach');
    assert.equal(checkedOut(below), gitHead(repo));
    const linked = path.join(dir, 'linked');
    git(repo, 'worktree', 'add', '-q', '-b', 'side', linked);
    assert.equal(checkedOut(path.join(linked, 'api')), gitHead(linked));
    assert.equal(checkedOut(path.join(linked, 'api')), 'ref: refs/heads/side');
    git(linked, 'checkout', '-q', 'main');
    assert.equal(checkedOut(path.join(linked, 'api')), 'ref: refs/heads/main');
    assert.equal(checkedOut(below), gitHead(repo), 'the main working tree keeps its own HEAD');
  });

  it('outside any repository: undefined', () => {
    const lone = path.join(dir, 'lone');
    mkdirSync(lone);
    // (tmpdir itself is in no repository on the machines the tests run on)
    assert.equal(checkedOut(lone), undefined);
  });
});
