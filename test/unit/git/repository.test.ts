// The Repository funnel: one operation at a time, the state read inside every write, retries on a foreign index.lock.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitErrorCode } from '../../../src/git/gitError';
import { GitClient } from '../../../src/git/gitClient';
import { OperationKind, Repository } from '../../../src/git/repository';
import { AUTHOR, gitCli, initRepo, legacySeed, rejects, requestYaml, TempDirs, writeFiles } from './gitTestRepos';

describe('Repository', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  async function client(): Promise<GitClient> {
    // the client's own wait for index.lock is off: the funnel's retry is what is tested
    const c = new GitClient(initRepo(tmp.make(), legacySeed(2)), { lock: { waitMs: 0 } });
    await c.setAuthor(AUTHOR);
    return c;
  }

  it('runs one operation at a time and reads the state inside every write', async () => {
    const c = await client();
    const repo = new Repository(c);
    const log: string[] = [];
    repo.onDidStartOperation((e) => log.push(`start ${e.operation.kind}`));
    repo.onDidRunOperation((e) => log.push(`end ${e.operation.kind}${e.error ? ' ' + e.error.code : ''}`));
    repo.onDidChangeState((s) => log.push(`state during ${repo.currentOperation?.kind}: ${s.status.staged.length} staged`));
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
      'state during Stage: 1 staged',
      'end Stage',
      'start Commit',
      'state during Commit: 1 staged',
      'end Commit NothingToCommit',
      'start Commit',
      'state during Commit: 0 staged',
      'end Commit',
      'start History',
      'end History',
    ]);
    assert.strictEqual(gitCli(c.dir, 'log', '-1', '--format=%s'), 'queued commit');
    repo.dispose();
  });

  it('retries an operation while another process holds .git/index.lock, and gives up with IndexLocked', async () => {
    const c = await client();
    writeFiles(c.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Locked') });
    const lock = path.join(c.dir, '.git', 'index.lock');
    const waits: number[] = [];
    const repo = new Repository(c, {
      lockBackoff: (attempt) => {
        waits.push(attempt);
        // the other process lets go while the funnel waits before its third attempt
        if (attempt === 2) fs.rmSync(lock);
        return attempt <= 5 ? 5 : undefined;
      },
    });
    fs.writeFileSync(lock, '');
    await repo.stage(['.insomnia/Request/req_1.yml']);
    assert.deepStrictEqual(waits, [1, 2]);
    assert.strictEqual(gitCli(c.dir, 'diff', '--cached', '--name-only'), '.insomnia/Request/req_1.yml');
    assert.deepStrictEqual(repo.snapshot?.status.staged, [{ path: '.insomnia/Request/req_1.yml', kind: 'modified' }]);

    // a lock that stays: the backoff runs out, the error names the lock, nothing was written
    fs.writeFileSync(lock, '');
    let attempts = 0;
    const stubborn = new Repository(c, { lockBackoff: (attempt) => (attempts = attempt) <= 3 ? 1 : undefined });
    const err = await rejects(stubborn.unstage(['.insomnia/Request/req_1.yml']), GitErrorCode.IndexLocked);
    assert.strictEqual(attempts, 4);
    assert.ok(err.message.includes('index.lock'));
    assert.strictEqual(gitCli(c.dir, 'diff', '--cached', '--name-only'), '.insomnia/Request/req_1.yml');
    fs.rmSync(lock);

    // a cancel while waiting ends the wait at once
    fs.writeFileSync(lock, '');
    const abort = new AbortController();
    const patient = new Repository(c, { lockBackoff: () => 60_000 });
    const started = Date.now();
    setTimeout(() => abort.abort(), 20);
    await rejects(patient.run(OperationKind.Unstage, ({ client: cl }) => cl.unstage(['.insomnia/Request/req_1.yml']), { signal: abort.signal }), GitErrorCode.Cancelled);
    assert.ok(Date.now() - started < 5_000, `the wait ended with the cancel (${Date.now() - started} ms)`);
    fs.rmSync(lock);
    for (const r of [repo, stubborn, patient]) r.dispose();
  });
});
