// collectionHistory against `git log -- .insomnia` on legacy-only histories with merges: the same commits, in git's
// order, git's history simplification included (a side branch whose changes a merge did not keep is not walked); a
// merge is listed when it changed a file itself (a clean merge of two sides' changes, which git lists for the folder,
// is not). The History view is where a reviewer reads what changed a request; the git CLI defines what did.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { collectionHistory } from '../../../src/git/collectionHistory';
import { commitFiles, gitCli, initRepo, legacySeed, requestYaml, TempDirs } from './gitTestRepos';

describe('collectionHistory: the commits `git log -- .insomnia` lists, in its order', function () {
  this.timeout(20_000);
  const temp = new TempDirs();
  after(() => temp.cleanup());

  const listed = async (dir: string) => (await collectionHistory(dir, { limit: 100 })).commits.map((c) => c.summary);
  const oracle = (dir: string) => gitCli(dir, 'log', '--format=%s', '--', '.insomnia').split('\n');

  it('a change made on both branches (a cherry-pick), then merged', async () => {
    const dir = initRepo(temp.make(), legacySeed(3));
    gitCli(dir, 'checkout', '-q', '-b', 'side');
    commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Request 1', 'https://example.com/fix') }, 'side: fix req_1');
    commitFiles(dir, { 'README.md': 'x\n' }, 'side: docs');
    gitCli(dir, 'checkout', '-q', 'main');
    commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Request 1', 'https://example.com/fix') }, 'main: the same fix');
    gitCli(dir, 'merge', '-q', '--no-edit', 'side', '-m', 'merge side');
    assert.deepEqual(await listed(dir), oracle(dir));
  });

  it('a branch merged with -s ours (its change dropped)', async () => {
    const dir = initRepo(temp.make(), legacySeed(3));
    gitCli(dir, 'checkout', '-q', '-b', 'side');
    commitFiles(dir, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Request 2', 'https://example.com/dropped') }, 'side: change req_2');
    gitCli(dir, 'checkout', '-q', 'main');
    commitFiles(dir, { '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Request 3', 'https://example.com/main') }, 'main: change req_3');
    gitCli(dir, 'merge', '-q', '-s', 'ours', '--no-edit', 'side', '-m', 'merge side, ours');
    assert.deepEqual(await listed(dir), oracle(dir));
  });

  /** One step of a random history: a commit on the current branch, a new branch, a checkout, a merge. */
  type Op =
    | { op: 'commit'; req: number; value: number; when: number }
    | { op: 'docs'; when: number }
    | { op: 'branch'; name: number }
    | { op: 'checkout'; name: number }
    | { op: 'merge'; name: number; strategy: 'theirs' | 'ours' | 'keep-ours'; when: number };
  const when = fc.integer({ min: 0, max: 5 });
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('commit' as const), req: fc.integer({ min: 1, max: 3 }), value: fc.integer({ min: 0, max: 2 }), when }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('docs' as const), when }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('branch' as const), name: fc.integer({ min: 0, max: 2 }) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('checkout' as const), name: fc.integer({ min: 0, max: 2 }) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('merge' as const), name: fc.integer({ min: 0, max: 2 }), strategy: fc.constantFrom('theirs' as const, 'ours' as const, 'keep-ours' as const), when }) },
  );

  it('random histories (branches, merges kept and dropped, the same change on both sides, clock skew and ties): the same commits in the same order, merges only git\'s', async function () {
    // ~10 s alone, several times that beside the rest of the unit suite (about 1,000 git processes)
    this.timeout(120_000);
    let runs = 0;
    let merges = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 8, maxLength: 24 }), async (ops) => {
        runs++;
        const dir = initRepo(temp.make(), legacySeed(3));
        const at = (t: number) => ({ ...process.env, GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@hammock.invalid', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@hammock.invalid', GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir(), GIT_AUTHOR_DATE: `${1_700_000_000 + t} +0000`, GIT_COMMITTER_DATE: `${1_700_000_000 + t} +0000` });
        const g = (t: number, ...args: string[]) => execFileSync('git', args, { cwd: dir, env: at(t), stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
        const branches = new Set(['main']);
        let n = 0;
        for (const o of ops) {
          n++;
          if (o.op === 'commit' || o.op === 'docs') {
            const [file, text] = o.op === 'commit' ? [`.insomnia/Request/req_${o.req}.yml`, requestYaml(`req_${o.req}`, `Request ${o.req}`, `https://example.com/v${o.value}`)] : ['README.md', `docs ${n}\n`];
            fs.writeFileSync(path.join(dir, file), text);
            g(o.when, 'add', '-A');
            if (g(o.when, 'status', '--porcelain')) g(o.when, 'commit', '-q', '-m', `${o.op} ${n}`);
          } else if (o.op === 'branch') {
            g(0, 'checkout', '-q', '-B', `b${o.name}`);
            branches.add(`b${o.name}`);
          } else if (o.op === 'checkout') {
            if (branches.has(`b${o.name}`)) g(0, 'checkout', '-q', `b${o.name}`);
          } else {
            const other = `b${o.name}`;
            if (!branches.has(other)) continue;
            const args = o.strategy === 'keep-ours' ? ['-s', 'ours'] : ['-X', o.strategy];
            g(o.when, 'merge', '-q', '--no-ff', '--no-edit', ...args, '-m', `merge ${other} ${n}`, other);
            merges++;
          }
        }
        // git lists a merge when the folder as a whole is neither parent's (a clean merge of two sides' changes);
        // the History view, when one file is neither parent's (the merge changed it itself): the rest is the same
        const oracle = g(0, 'log', '--format=%H %P', '--', '.insomnia').split('\n').map((l) => l.split(' '));
        const listed = (await collectionHistory(dir, { limit: 1000 })).commits;
        const why = `${JSON.stringify(ops)}\n${g(0, 'log', '--graph', '--format=%h %ct %s', '--all')}`;
        assert.equal(listed.filter((c) => c.parents.length < 2).map((c) => c.oid).join('\n'), oracle.filter((l) => l.length < 3).map((l) => l[0]).join('\n'), why);
        const gitMerges = new Set(oracle.filter((l) => l.length > 2).map((l) => l[0]));
        for (const m of listed.filter((c) => c.parents.length > 1)) assert.ok(gitMerges.has(m.oid), `merge ${m.oid.slice(0, 7)} is git's too\n${why}`);
      }),
      { seed: 20261206, numRuns: 60, endOnFailure: true },
    );
    assert.ok(runs === 60 && merges > 60, `${runs} runs, ${merges} merges`);
  });
});
