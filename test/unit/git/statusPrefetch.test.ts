// The tree of HEAD's commit as the host reads it for a new status worker (statusPrefetch.commitTreeOf), against
// `git rev-parse <commit>^{tree}`: loose and packed commits give the tree; what it cannot read (a commit stored as a
// delta, an unknown oid, something that is not a commit) gives undefined, never a wrong tree.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { commitTreeOf } from '../../../src/git/statusPrefetch';
import { commitFiles, gitCli, initRepo, legacySeed, TempDirs } from './gitTestRepos';

describe('statusPrefetch.commitTreeOf', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  it('reads a loose commit and a packed one as git does', async () => {
    const dir = initRepo(tmp.make(), legacySeed(3));
    const head = gitCli(dir, 'rev-parse', 'HEAD');
    const tree = gitCli(dir, 'rev-parse', 'HEAD^{tree}');
    assert.match(gitCli(dir, 'count-objects', '-v'), /^count: [1-9]/m);
    assert.strictEqual(await commitTreeOf(path.join(dir, '.git'), head), tree);
    gitCli(dir, 'repack', '-a', '-d', '-q');
    assert.match(gitCli(dir, 'count-objects', '-v'), /^count: 0$/m);
    assert.strictEqual(await commitTreeOf(path.join(dir, '.git'), head), tree);
  });

  it('gives undefined, never a wrong tree, for commits stored as deltas, unknown oids and other objects', async () => {
    const dir = initRepo(tmp.make(), legacySeed(2));
    const long = 'A commit message long enough for a delta between commits to pay. '.repeat(40);
    const commits: string[] = [];
    for (let i = 0; i < 12; i++) commits.push(commitFiles(dir, { 'n.txt': `${i}\n` }, `${long}\n\n${i}`));
    gitCli(dir, 'repack', '-a', '-d', '-f', '-q', '--window=50', '--depth=50');
    const packDir = path.join(dir, '.git', 'objects', 'pack');
    const idx = fs.readdirSync(packDir).filter((f) => f.endsWith('.idx'));
    const verify = gitCli(dir, 'verify-pack', '-v', ...idx.map((f) => path.join(packDir, f)));
    const deltas = commits.filter((c) => new RegExp(`^${c} commit \\d+ \\d+ \\d+ \\d+ [0-9a-f]{40}$`, 'm').test(verify));
    assert.ok(deltas.length > 0, 'some commits are stored as deltas');
    const gitdir = path.join(dir, '.git');
    let read = 0;
    for (const c of commits) {
      const got = await commitTreeOf(gitdir, c);
      if (got !== undefined) {
        read++;
        assert.strictEqual(got, gitCli(dir, 'rev-parse', `${c}^{tree}`));
      }
    }
    for (const c of deltas) assert.strictEqual(await commitTreeOf(gitdir, c), undefined);
    assert.ok(read > 0, 'the commits stored whole are read');
    assert.strictEqual(await commitTreeOf(gitdir, '0'.repeat(40)), undefined);
    assert.strictEqual(await commitTreeOf(gitdir, 'HEAD'), undefined);
    assert.strictEqual(await commitTreeOf(gitdir, gitCli(dir, 'rev-parse', 'HEAD^{tree}')), undefined);
    assert.strictEqual(await commitTreeOf(path.join(dir, 'missing'), commits[0]!), undefined);
  });
});
