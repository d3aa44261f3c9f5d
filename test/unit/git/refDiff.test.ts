// diffRefs against the slow, obviously right way (load both refs whole, diffSnapshots) on random git histories of a
// legacy folder and v5 files, the merge base, and what it reads for a one-request change in a large repository.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { dump } from 'js-yaml';
import { diffSnapshots } from '../../../src/collections/diff';
import { unreadSides } from '../../../src/collections/scan';
import { diffRefs, NoMergeBaseError } from '../../../src/git/refDiff';
import { loadWorkspaceAtRef, UnknownRefError } from '../../../src/git/snapshotAtRef';
import { LegacyHistory, rng } from './legacyHistory';
import { changedState, commitAll, EXPECTED, gitRepo, initialState, writeLegacy, writeV5 } from '../collections/generatedHistory';

async function fullDiff(dir: string, a: string, b: string) {
  const [x, y] = await Promise.all([loadWorkspaceAtRef(dir, a), loadWorkspaceAtRef(dir, b)]);
  return diffSnapshots(x.collections, y.collections, unreadSides(x, y));
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, stdio: 'pipe' }).toString().trim();
}

describe('diffRefs', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const format of ['legacy', 'v5'] as const) {
    it(`${format}: the generated two-commit history gives the expected changes`, async () => {
      const dir = gitRepo();
      dirs.push(dir);
      const write = (s: ReturnType<typeof initialState>) => (format === 'legacy' ? writeLegacy(dir, s) : writeV5(path.join(dir, 'api.yaml'), s));
      write(initialState());
      commitAll(dir, 'first');
      write(changedState());
      commitAll(dir, 'second');
      const result = await diffRefs(dir, 'HEAD~1', 'HEAD');
      assert.equal(result.base, git(dir, 'rev-parse', 'HEAD~1'));
      assert.equal(result.head, git(dir, 'rev-parse', 'HEAD'));
      assert.deepEqual(result.diff.collections.map((c) => c.changes.map((ch) => ch.description)), [EXPECTED]);
      assert.deepEqual(result.diff, await fullDiff(dir, 'HEAD~1', 'HEAD'));
      // every changed item is in the snapshot of its side
      const req1 = result.after.collections[0];
      assert.ok(JSON.stringify(req1).includes('https://api.test/v2/users'));
      assert.deepEqual((await diffRefs(dir, 'HEAD', 'HEAD')).diff, { collections: [] });
    });
  }

  for (const seed of [1, 2, 3, 4]) {
    it(`random history (seed ${seed}): every pair of commits gives what loading both refs whole gives`, async function () {
      this.timeout(120000);
      const rand = rng(seed);
      const dir = gitRepo();
      dirs.push(dir);
      const a = new LegacyHistory(rand, 'wrk_aaaa');
      const b = new LegacyHistory(rand, 'wrk_bbbb');
      const v5 = initialState();
      // files Hammock never reads: a skipped folder's legacy copy, other YAML
      mkdirSync(path.join(dir, 'node_modules', 'pkg'), { recursive: true });
      const commits: string[] = [];
      const log: string[] = [];
      for (let i = 0; i < 14; i++) {
        const steps = 1 + Math.floor(rand() * 3);
        for (let k = 0; k < steps; k++) log.push(`${i}: ${(rand() < 0.7 ? a : b).mutate()}`);
        if (rand() < 0.3) v5.requests[0].url += '/x';
        if (rand() < 0.15) v5.requests.push({ ...v5.requests[1], id: `req_v5_${i}`, name: `V${i}` });
        a.write(path.join(dir, '.insomnia'));
        b.write(path.join(dir, 'sub', 'b', '.insomnia'));
        if (rand() < 0.3) a.write(path.join(dir, 'node_modules', 'pkg', '.insomnia'));
        writeV5(path.join(dir, 'api.yaml'), v5);
        writeFileSync(path.join(dir, 'ci.yml'), `step: ${i}\n`);
        commitAll(dir, `c${i}`);
        commits.push(git(dir, 'rev-parse', 'HEAD'));
      }
      const pairs: [number, number][] = [];
      for (let i = 1; i < commits.length; i++) pairs.push([i - 1, i]);
      for (let k = 0; k < 10; k++) pairs.push([Math.floor(rand() * commits.length), Math.floor(rand() * commits.length)]);
      let nonEmpty = 0;
      for (const [x, y] of pairs) {
        const got = await diffRefs(dir, commits[x], commits[y]);
        const want = await fullDiff(dir, commits[x], commits[y]);
        assert.deepEqual(got.diff, want, `commits ${x} -> ${y}\n${log.join('\n')}`);
        if (want.collections.length) nonEmpty++;
      }
      assert.ok(nonEmpty >= commits.length - 1);
    });
  }

  for (const two of [true, false]) it(`${two ? 'a folder with two workspaces' : 'one workspace'}, a parentId cycle, a parent under another file name, orphans: still the full result`, async () => {
    const dir = gitRepo();
    dirs.push(dir);
    const folder = path.join(dir, '.insomnia');
    const put = (type: string, doc: Record<string, unknown>, name = `${doc._id as string}.yml`) => {
      mkdirSync(path.join(folder, type), { recursive: true });
      writeFileSync(path.join(folder, type, name), dump(doc));
    };
    const req = (id: string, parentId: string, url: string) =>
      put('Request', { _id: id, type: 'Request', parentId, modified: 1, created: 1, url, name: id, method: 'GET', headers: [], metaSortKey: 1 });
    const fld = (id: string, parentId: string, name = `${id}.yml`) =>
      put('RequestGroup', { _id: id, type: 'RequestGroup', parentId, modified: 1, created: 1, name: id, metaSortKey: 1 }, name);
    put('Workspace', { _id: 'wrk_b', type: 'Workspace', parentId: null, modified: 1, created: 1, name: 'B' });
    if (two) put('Workspace', { _id: 'wrk_a', type: 'Workspace', parentId: null, modified: 1, created: 1, name: 'A' });
    fld('fld_1', 'wrk_b');
    fld('fld_odd', two ? 'wrk_a' : 'wrk_b', 'not-its-id.yml');
    fld('fld_c1', 'fld_c2');
    fld('fld_c2', 'fld_c1');
    req('req_1', 'fld_1', 'https://x.test/1');
    req('req_2', 'fld_odd', 'https://x.test/2');
    req('req_3', 'fld_c1', 'https://x.test/3');
    req('req_4', 'fld_missing', 'https://x.test/4');
    commitAll(dir, 'first');
    req('req_1', 'fld_1', 'https://x.test/1b');
    req('req_2', 'fld_odd', 'https://x.test/2b');
    // (with one workspace, the cycle stays out of the change: the odd file name and the orphans are found by search)
    if (two) req('req_3', 'fld_c1', 'https://x.test/3b');
    req('req_4', 'fld_missing', 'https://x.test/4b');
    commitAll(dir, 'second');
    // the second workspace goes away (its items become orphans of the first), or a folder alone (its request too)
    rmSync(path.join(folder, two ? 'Workspace' : 'RequestGroup', two ? 'wrk_a.yml' : 'fld_1.yml'));
    commitAll(dir, 'third');
    for (const [a, b] of [['HEAD~2', 'HEAD~1'], ['HEAD~1', 'HEAD'], ['HEAD~2', 'HEAD']]) {
      const got = await diffRefs(dir, a, b);
      assert.deepEqual(got.diff, await fullDiff(dir, a, b), `${a}..${b}`);
      assert.ok(got.diff.collections.length > 0);
    }
  });

  it('mergeBase: compares the merge base with the head, as a pull request does', async () => {
    const dir = gitRepo();
    dirs.push(dir);
    const s = initialState();
    writeLegacy(dir, s);
    commitAll(dir, 'first');
    git(dir, 'checkout', '-q', '-b', 'feature');
    writeLegacy(dir, changedState());
    commitAll(dir, 'feature change');
    git(dir, 'checkout', '-q', 'main');
    const s2 = initialState();
    s2.requests.find((r) => r.id === 'req_4')!.url = 'https://api.test/main-only';
    writeLegacy(dir, s2);
    commitAll(dir, 'main moves on');

    const pr = await diffRefs(dir, 'main', 'feature', { mergeBase: true });
    assert.equal(pr.base, git(dir, 'merge-base', 'main', 'feature'));
    assert.deepEqual(pr.diff.collections[0].changes.map((c) => c.description), EXPECTED);
    assert.deepEqual(pr.diff, await fullDiff(dir, pr.base, 'feature'));
    // without the merge base, main's own change shows up (reverted, seen from main)
    const direct = await diffRefs(dir, 'main', 'feature');
    assert.ok(direct.diff.collections[0].changes.some((c) => c.name === 'Stamped' && c.kind === 'changed'));
    assert.deepEqual(direct.diff, await fullDiff(dir, 'main', 'feature'));

    git(dir, 'checkout', '-q', '--orphan', 'unrelated');
    commitAll(dir, 'unrelated root');
    await assert.rejects(diffRefs(dir, 'main', 'unrelated', { mergeBase: true }), NoMergeBaseError);
    await assert.rejects(diffRefs(dir, 'main', 'no-such-branch'), UnknownRefError);
  });

  it('a one-request change in a 2,000-request legacy folder reads a handful of files', async function () {
    this.timeout(120000);
    const dir = gitRepo();
    dirs.push(dir);
    const s = initialState();
    for (let i = 0; i < 2000; i++) {
      s.requests.push({ id: `req_big_${i}`, name: `Big ${i}`, parent: i % 2 ? 'fld_a' : 'fld_b', sortKey: 10 + i, url: `https://api.test/${i}`, headers: [], modified: 1 });
    }
    writeLegacy(dir, s);
    commitAll(dir, 'big');
    s.requests.find((r) => r.id === 'req_big_1500')!.url = 'https://api.test/changed';
    writeLegacy(dir, s);
    commitAll(dir, 'one request');
    const stats = { blobsRead: 0 };
    const started = performance.now();
    const result = await diffRefs(dir, 'HEAD~1', 'HEAD', { stats });
    const ms = performance.now() - started;
    assert.deepEqual(result.diff.collections[0].changes.map((c) => c.description), ['~ request "B/Big 1500": url changed']);
    // the request on both sides, its folder, the workspace and the environment, on both sides
    assert.ok(stats.blobsRead <= 8, `read ${stats.blobsRead} blobs`);
    const fullStarted = performance.now();
    assert.deepEqual(result.diff, await fullDiff(dir, 'HEAD~1', 'HEAD'));
    console.log(`      diffRefs ${ms.toFixed(0)} ms, ${stats.blobsRead} blobs; both refs loaded whole ${(performance.now() - fullStarted).toFixed(0)} ms`);

    // a reorder makes the siblings count: they are read, and the result is still the full one
    s.requests.find((r) => r.id === 'req_big_1501')!.sortKey = 1;
    writeLegacy(dir, s);
    commitAll(dir, 'reorder');
    const reorder = await diffRefs(dir, 'HEAD~1', 'HEAD');
    assert.deepEqual(reorder.diff, await fullDiff(dir, 'HEAD~1', 'HEAD'));
    assert.deepEqual(reorder.diff.collections[0].changes.map((c) => c.description), ['> request "A/Big 1501" moved within "A"']);
  });
});
