// The merge driver: its line merge gives byte for byte what isomorphic-git's own default driver writes (checked
// against git.merge without a driver on real repositories); the field merge runs only for Insomnia collection files
// whose line merge conflicts, and the driver knows each file's full path and what it resolved.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as git from 'isomorphic-git';
import { lineMerge, prepareCollectionMerge } from '../../../src/git/mergeDriver';
import { treeOfCommit } from '../../../src/git/treeDiff';
import { baseV5, edit } from '../collections/mergeSamples';
import { commitFiles, gitCli, initRepo, requestYaml, TempDirs } from './gitTestRepos';

const TEXTS: { name: string; base: string; ours: string; theirs: string }[] = [
  { name: 'one line both sides', base: 'a\nb\nc\n', ours: 'a\nB1\nc\n', theirs: 'a\nB2\nc\n' },
  { name: 'neighbouring lines', base: 'a\nb\nc\nd\n', ours: 'a\nB\nc\nd\n', theirs: 'a\nb\nC\nd\n' },
  { name: 'no final newline', base: 'x\ny', ours: 'x\ny1', theirs: 'x\ny2' },
  { name: 'CRLF', base: 'a\r\nb\r\nc\r\n', ours: 'a\r\nb1\r\nc\r\n', theirs: 'a\r\nb2\r\nc\r\n' },
  { name: 'several hunks, one clean', base: '1\n2\n3\n4\n5\n6\n7\n', ours: '1\nX\n3\n4\n5\n6\nO\n', theirs: '1\nY\n3\n4\n5\n6\n7\n8\n' },
];

describe('merge driver', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  it('lineMerge writes exactly what isomorphic-git\'s default driver writes', async () => {
    for (const t of TEXTS) {
      const dir = initRepo(tmp.make(), { 'f.txt': t.base });
      gitCli(dir, 'checkout', '-q', '-b', 'feature');
      commitFiles(dir, { 'f.txt': t.theirs });
      gitCli(dir, 'checkout', '-q', 'main');
      commitFiles(dir, { 'f.txt': t.ours });
      let conflicted = false;
      try {
        await git.merge({ fs, dir, ours: 'main', theirs: 'feature', abortOnConflict: false, author: { name: 'T', email: 't@x' } });
      } catch (err) {
        conflicted = (err as { code?: string }).code === 'MergeConflictError';
        if (!conflicted) throw err;
      }
      const mine = lineMerge(t.base, t.ours, t.theirs, 'main', 'feature');
      assert.strictEqual(mine.cleanMerge, !conflicted, t.name);
      if (conflicted) assert.strictEqual(fs.readFileSync(path.join(dir, 'f.txt'), 'utf8'), mine.mergedText, t.name);
    }
  });

  it('field-merges only collection files whose line merge conflicts, by full path, and says which', async () => {
    const base = baseV5();
    const other = 'name: ci\nsteps:\n  - a\n  - b\n';
    const files = { 'api/demo.yaml': base, '.insomnia/Request/req_1.yml': requestYaml('req_1', 'R'), 'ci.yaml': other, 'docs/demo.yaml': base };
    const dir = initRepo(tmp.make(), files);
    const baseCommit = gitCli(dir, 'rev-parse', 'HEAD');
    const oursV5 = edit(base, (e) => e.set(['collection', 1, 'settings', 'rebuildPath'], false));
    const theirsV5 = edit(base, (e) => e.set(['collection', 2, 'url'], 'https://v2'));
    const ours = commitFiles(dir, {
      'api/demo.yaml': oursV5,
      'docs/demo.yaml': oursV5,
      '.insomnia/Request/req_1.yml': requestYaml('req_1', 'R', 'https://o'),
      'ci.yaml': 'name: ci\nsteps:\n  - a1\n  - b\n',
    });
    gitCli(dir, 'checkout', '-q', '-b', 'feature', baseCommit);
    const theirs = commitFiles(dir, {
      'api/demo.yaml': theirsV5,
      'docs/demo.yaml': theirsV5,
      '.insomnia/Request/req_1.yml': requestYaml('req_1', 'R', 'https://t'),
      'ci.yaml': 'name: ci\nsteps:\n  - a2\n  - b\n',
    });
    const store = { gitdir: path.join(dir, '.git'), cache: {} };
    const driver = await prepareCollectionMerge(store, await treeOfCommit(store, baseCommit), await treeOfCommit(store, ours), await treeOfCommit(store, theirs));
    driver.theirsLabel = 'origin/main';
    const texts = (p: string, c: string): string => gitCli(dir, 'show', `${c}:${p}`) + '\n';
    for (const p of Object.keys(files)) {
      const r = await driver.callback({ branches: ['base', 'main', 'feature'], contents: [texts(p, baseCommit), texts(p, ours), texts(p, theirs)], path: path.basename(p) });
      if (p.endsWith('demo.yaml')) {
        assert.strictEqual(r.cleanMerge, true, p);
        assert.match(r.mergedText, /rebuildPath: false/);
        assert.match(r.mergedText, /url: https:\/\/v2/);
      } else {
        assert.strictEqual(r.cleanMerge, false, p);
        assert.strictEqual(r.mergedText, lineMerge(texts(p, baseCommit), texts(p, ours), texts(p, theirs), 'main', 'origin/main').mergedText);
      }
    }
    assert.deepStrictEqual(driver.fieldMerged, ['api/demo.yaml', 'docs/demo.yaml']);
    assert.deepStrictEqual(driver.outcomes.get('.insomnia/Request/req_1.yml'), {
      path: '.insomnia/Request/req_1.yml',
      resolved: false,
      conflicts: [{ itemId: 'req_1', itemName: 'R', field: 'url' }],
      reason: undefined,
    });
    assert.ok(!driver.outcomes.has('ci.yaml'), 'not Insomnia data: never field-merged');
  });
});
