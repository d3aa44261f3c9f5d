// A status that may block its thread (StatusOptions.blocking: the status worker, which has nothing else to do) runs
// its loops over the entries and folders in one go; one that may not (in the extension host) gives the event loop
// a turn every few thousand entries and few hundred folders. The turns are counted with a setImmediate chain
// running beside the status. Both agree with git.

import * as assert from 'assert';
import * as path from 'path';
import { computeStatus, type StatusOptions } from '../../../src/git/status';
import { gitCli, initRepo, porcelain, TempDirs } from './gitTestRepos';

describe('status: a blocking status gives no turns, another does', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  // more entries than one slice of the index's parse (2,500) and of the comparison (2,000), more folders than one
  // slice of the untracked walk (256)
  let dir = '';
  before(() => {
    const files: Record<string, string> = {};
    for (let f = 0; f < 300; f++) for (let i = 0; i < 9; i++) files[`d${f}/f${i}.txt`] = `${f}.${i}\n`;
    dir = initRepo(tmp.make(), files);
  });

  /** How many turns the event loop took while the status ran, and the status. */
  async function turnsDuring(options: StatusOptions): Promise<{ turns: number; porcelain: string }> {
    let turns = 0;
    let running = true;
    const tick = (): void => {
      if (!running) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    try {
      const st = await computeStatus(options);
      return { turns, porcelain: porcelain(st) };
    } finally {
      running = false;
    }
  }

  it('blocking: none; not blocking: some; both clean, as git says', async () => {
    const gitdir = path.join(dir, '.git');
    // HEAD and its tree given, as the worker is given them: nothing is read through the thread pool
    const headOid = gitCli(dir, 'rev-parse', 'HEAD');
    const headTree = gitCli(dir, 'rev-parse', 'HEAD^{tree}');
    assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '');
    const blocking = await turnsDuring({ dir, gitdir, headOid, headTree, cache: {}, blocking: true });
    const sliced = await turnsDuring({ dir, gitdir, headOid, headTree, cache: {} });
    assert.strictEqual(blocking.porcelain, '');
    assert.strictEqual(sliced.porcelain, '');
    assert.strictEqual(blocking.turns, 0, 'a blocking status gives the event loop no turn');
    assert.ok(sliced.turns > 0, "a status that may not block gives the event loop turns");
  });
});
