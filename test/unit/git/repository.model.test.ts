// Model-based: random sequences of the operations a person runs from the Source Control view (stage, unstage,
// discard, commit, branch, checkout) mixed with edits from outside, issued without waiting for one another as the UI
// does. Invariant: once an operation's promise settles, the model's snapshot is the truth, i.e. what `git status`
// and `git rev-parse` say about the repository at that moment (and nothing but the funnel ran in between).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { GitClient } from '../../../src/git/gitClient';
import { Repository } from '../../../src/git/repository';
import { AUTHOR, gitCli, initRepo, legacySeed, porcelain, requestYaml, sortLines, TempDirs } from './gitTestRepos';

const FILES = ['.insomnia/Request/req_1.yml', '.insomnia/Request/req_2.yml', '.insomnia/Request/req_3.yml', 'notes/new.yml'];

type Op =
  | { kind: 'write'; file: number; text: number }
  | { kind: 'delete'; file: number }
  | { kind: 'stage'; file: number }
  | { kind: 'unstage'; file: number }
  | { kind: 'discard'; file: number }
  | { kind: 'commit' }
  | { kind: 'branch'; name: number }
  | { kind: 'checkout'; name: number };

const file = fc.integer({ min: 0, max: FILES.length - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('write' as const), file, text: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), file }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('stage' as const), file }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unstage' as const), file }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('discard' as const), file }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'commit' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('branch' as const), name: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('checkout' as const), name: fc.integer({ min: 0, max: 2 }) }) },
);

const BRANCHES = ['main', 'topic-a', 'topic-b'];

describe('Repository (model-based): the snapshot after each operation is the truth', function () {
  this.timeout(240_000);
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  it('random Source Control sequences, queued at once: each settled operation leaves the state git reports', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 4, maxLength: 14 }), async (ops) => {
        const dir = initRepo(tmp.make('hammock-model-'), legacySeed(3));
        gitCli(dir, 'config', 'core.autocrlf', 'false');
        const client = new GitClient(dir);
        await client.setAuthor(AUTHOR);
        const repo = new Repository(client);
        let outside = 0;
        try {
          // edits from outside happen between batches; the UI's operations are queued together, unawaited
          const batches: Op[][] = [[]];
          for (const op of ops) {
            if (op.kind === 'write' || op.kind === 'delete') batches.push([op], []);
            else batches[batches.length - 1].push(op);
          }
          for (const batch of batches) {
            if (batch.length === 1 && (batch[0].kind === 'write' || batch[0].kind === 'delete')) {
              const op = batch[0];
              const p = path.join(dir, FILES[op.file]);
              if (op.kind === 'write') {
                fs.mkdirSync(path.dirname(p), { recursive: true });
                fs.writeFileSync(p, requestYaml(`req_${op.file + 1}`, `Edit ${op.text} ${++outside}`));
              } else fs.rmSync(p, { force: true });
              continue;
            }
            const settled = batch.map((op) => run(repo, op).then(check, check));
            await Promise.all(settled);
          }
        } finally {
          repo.dispose();
        }

        async function check(): Promise<void> {
          // nothing else runs now: every later operation waits in the funnel behind the state read that just ended
          const snap = repo.snapshot;
          assert.ok(snap, 'a snapshot after the first write');
          assert.equal(porcelain(snap.status), sortedCli(gitCli(dir, 'status', '--porcelain', '--untracked-files=all')), `status after ${JSON.stringify(ops)}`);
          const head = (() => {
            try {
              return gitCli(dir, 'symbolic-ref', '--short', 'HEAD');
            } catch {
              return undefined;
            }
          })();
          assert.equal(snap.status.branch, head);
        }
      }),
      { numRuns: 25, seed: 1414, endOnFailure: true },
    );
  });
});

function sortedCli(out: string): string {
  return sortLines(out.split('\n').filter(Boolean)).join('\n');
}

function run(repo: Repository, op: Op): Promise<unknown> {
  switch (op.kind) {
    case 'stage':
      return repo.stage([FILES[op.file]]);
    case 'unstage':
      return repo.unstage([FILES[op.file]]);
    case 'discard':
      return repo.discard([FILES[op.file]]);
    case 'commit':
      return repo.commit('a commit');
    case 'branch':
      return repo.createBranch(BRANCHES[op.name + 1], { checkout: false });
    case 'checkout':
      return repo.checkout(BRANCHES[op.name]);
    default:
      return Promise.resolve(undefined);
  }
}
