// The Repository funnel: one operation at a time, events after every write.

import * as assert from 'assert';
import { GitClient } from '../../../src/git/gitClient';
import { OperationKind, Repository } from '../../../src/git/repository';
import { AUTHOR, gitCli, initRepo, legacySeed, requestYaml, TempDirs, writeFiles } from './gitTestRepos';

describe('Repository', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  async function client(): Promise<GitClient> {
    const c = new GitClient(initRepo(tmp.make(), legacySeed(2)));
    await c.setAuthor(AUTHOR);
    return c;
  }

  it('runs one operation at a time and announces every write', async () => {
    const c = await client();
    const repo = new Repository(c);
    const log: string[] = [];
    repo.onDidStartOperation((e) => log.push(`start ${e.operation.kind}`));
    repo.onDidRunOperation((e) => log.push(`end ${e.operation.kind}${e.error ? ' ' + e.error.code : ''}`));
    repo.onDidChangeState((o) => log.push(`changed after ${o.kind}`));
    writeFiles(c.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Queued') });
    let inside = 0;
    let maxInside = 0;
    const slow = (ms: number) => async () => {
      maxInside = Math.max(maxInside, ++inside);
      await new Promise((r) => setTimeout(r, ms));
      inside--;
    };
    const results = await Promise.allSettled([
      repo.run(OperationKind.Status, slow(30)),
      repo.stage(['.insomnia/Request/req_1.yml']),
      repo.commit(''),
      repo.commit('queued commit'),
      repo.run(OperationKind.History, slow(10)),
    ]);
    assert.strictEqual(maxInside, 1);
    assert.deepStrictEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
    );
    assert.deepStrictEqual(log, [
      'start Status',
      'end Status',
      'start Stage',
      'end Stage',
      'changed after Stage',
      'start Commit',
      'end Commit NothingToCommit',
      'changed after Commit',
      'start Commit',
      'end Commit',
      'changed after Commit',
      'start History',
      'end History',
    ]);
    assert.strictEqual(gitCli(c.dir, 'log', '-1', '--format=%s'), 'queued commit');
    repo.dispose();
  });
});
