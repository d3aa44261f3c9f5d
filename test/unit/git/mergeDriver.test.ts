// The merge driver: its line merge gives byte for byte what `git merge` writes (checked against `git merge-tree`
// on real repositories); the field merge runs only for Insomnia collection files whose line merge conflicts, and
// the driver knows each file's full path and what it resolved.

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { CollectionMergeDriver, lineMerge } from '../../../src/git/mergeDriver';
import { ObjectLayer } from '../../../src/git/plumbing/objects';
import { mergeCommits } from '../../../src/git/plumbing/treeMerge';
import { baseV5, edit } from '../collections/mergeSamples';
import { commitFiles, gitCli, initRepo, requestYaml, TempDirs } from './gitTestRepos';

const TEXTS: { name: string; base: string; ours: string; theirs: string }[] = [
  { name: 'one line both sides', base: 'a\nb\nc\n', ours: 'a\nB1\nc\n', theirs: 'a\nB2\nc\n' },
  { name: 'neighbouring lines', base: 'a\nb\nc\nd\n', ours: 'a\nB\nc\nd\n', theirs: 'a\nb\nC\nd\n' },
  { name: 'no final newline', base: 'x\ny', ours: 'x\ny1', theirs: 'x\ny2' },
  { name: 'CRLF', base: 'a\r\nb\r\nc\r\n', ours: 'a\r\nb1\r\nc\r\n', theirs: 'a\r\nb2\r\nc\r\n' },
  { name: 'several hunks, one clean', base: '1\n2\n3\n4\n5\n6\n7\n', ours: '1\nX\n3\n4\n5\n6\nO\n', theirs: '1\nY\n3\n4\n5\n6\n7\n8\n' },
];

/** A file's text in a tree of `objects`. */
async function readFile(objects: ObjectLayer, tree: string, p: string): Promise<string> {
  let oid = tree;
  for (const part of p.split('/')) oid = (await objects.readTree(oid)).find((e) => e.name === part)!.oid;
  return (await objects.readBlob(oid)).toString('utf8');
}

describe('merge driver', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  it('lineMerge writes exactly what `git merge` writes', async () => {
    for (const t of TEXTS) {
      const dir = initRepo(tmp.make(), { 'f.txt': t.base });
      gitCli(dir, 'checkout', '-q', '-b', 'feature');
      commitFiles(dir, { 'f.txt': t.theirs });
      gitCli(dir, 'checkout', '-q', 'main');
      commitFiles(dir, { 'f.txt': t.ours });
      let out: string;
      let conflicted = false;
      try {
        out = gitCli(dir, 'merge-tree', '--write-tree', 'main', 'feature');
      } catch (err) {
        out = String((err as { stdout: Buffer }).stdout);
        conflicted = true;
      }
      const mine = lineMerge(t.base, t.ours, t.theirs, 'main', 'feature');
      assert.strictEqual(mine.cleanMerge, !conflicted, t.name);
      assert.strictEqual(execFileSync('git', ['cat-file', 'blob', `${out.split('\n')[0]}:f.txt`], { cwd: dir }).toString(), mine.mergedText, t.name);
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
    const driver = new CollectionMergeDriver();
    const objects = new ObjectLayer(path.join(dir, '.git'), {});
    const result = await mergeCommits(objects, ours, theirs, { labels: { ours: 'main', theirs: 'origin/main' }, resolveContent: driver.resolver });
    const texts = (p: string, c: string): string => gitCli(dir, 'show', `${c}:${p}`) + '\n';
    assert.deepStrictEqual(result.conflicts.map((c) => c.path), ['.insomnia/Request/req_1.yml', 'ci.yaml']);
    for (const p of Object.keys(files)) {
      const blob = (await objects.readTree(result.tree)).length ? await readFile(objects, result.tree, p) : '';
      if (p.endsWith('demo.yaml')) {
        assert.match(blob, /rebuildPath: false/);
        assert.match(blob, /url: https:\/\/v2/);
      } else {
        assert.strictEqual(blob, lineMerge(texts(p, baseCommit), texts(p, ours), texts(p, theirs), 'main', 'origin/main').mergedText, p);
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
