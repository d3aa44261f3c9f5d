// The Repository funnel: one operation at a time, the state read inside every write, retries on a foreign index.lock.

import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GitErrorCode, type GitError } from '../../../src/git/gitError';
import { GitClient } from '../../../src/git/gitClient';
import { OperationKind, Repository, type ProgressReport } from '../../../src/git/repository';
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

  /** Another process holding `lock` open (as a running git does), until killed. */
  function holdOpen(lock: string): ChildProcess {
    fs.writeFileSync(lock, '');
    const child = spawn(process.execPath, ['-e', `require('fs').openSync(${JSON.stringify(lock)}, 'r'); setInterval(() => {}, 1000)`], { stdio: 'ignore' });
    return child;
  }

  async function heldBy(lock: string, child: ChildProcess): Promise<void> {
    // the child has opened the file once /proc shows it among its descriptors
    for (let i = 0; i < 200; i++) {
      try {
        if (fs.readdirSync(`/proc/${child.pid}/fd`).some((fd) => { try { return fs.readlinkSync(`/proc/${child.pid}/fd/${fd}`) === lock; } catch { return false; } })) return;
      } catch {
        /* not started yet */
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the lock holder did not start');
  }

  it('retries an operation while another process holds .git/index.lock; a stale lock is reported at once', async function () {
    if (process.platform !== 'linux') this.skip(); // who holds the lock is read from /proc
    const c = await client();
    writeFiles(c.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Locked') });
    const lock = fs.realpathSync(path.join(c.dir, '.git')) + '/index.lock';
    const waits: number[] = [];
    let holder = holdOpen(lock);
    await heldBy(lock, holder);
    const repo = new Repository(c, {
      lockBackoff: (attempt) => {
        waits.push(attempt);
        // the other process finishes while the funnel waits before its third attempt
        if (attempt === 2) {
          holder.kill();
          fs.rmSync(lock);
        }
        return attempt <= 5 ? 5 : undefined;
      },
    });
    await repo.stage(['.insomnia/Request/req_1.yml']);
    assert.deepStrictEqual(waits, [1, 2]);
    assert.strictEqual(gitCli(c.dir, 'diff', '--cached', '--name-only'), '.insomnia/Request/req_1.yml');
    assert.deepStrictEqual(repo.snapshot?.status.staged, [{ path: '.insomnia/Request/req_1.yml', kind: 'modified' }]);

    // a holder that stays: the backoff runs out, the error names the holder, nothing was written
    holder = holdOpen(lock);
    await heldBy(lock, holder);
    let attempts = 0;
    const stubborn = new Repository(c, { lockBackoff: (attempt) => ((attempts = attempt) <= 3 ? 1 : undefined) });
    const err = await rejects(stubborn.unstage(['.insomnia/Request/req_1.yml']), GitErrorCode.IndexLocked);
    assert.strictEqual(attempts, 4);
    assert.strictEqual(err.details.lockHolder?.pid, holder.pid);
    assert.strictEqual(gitCli(c.dir, 'diff', '--cached', '--name-only'), '.insomnia/Request/req_1.yml');

    // a cancel while waiting ends the wait at once
    const abort = new AbortController();
    const patient = new Repository(c, { lockBackoff: () => 60_000 });
    const started = Date.now();
    setTimeout(() => abort.abort(), 20);
    await rejects(patient.run(OperationKind.Unstage, ({ client: cl }) => cl.unstage(['.insomnia/Request/req_1.yml']), { signal: abort.signal }), GitErrorCode.Cancelled);
    assert.ok(Date.now() - started < 5_000, `the wait ended with the cancel (${Date.now() - started} ms)`);
    // gone, not only signalled: a holder still dying still holds the file (on a busy machine, for a while)
    const gone = new Promise((r) => holder.once('exit', r));
    holder.kill();
    await gone;

    // a stale lock (no process holds it: a crashed git left it) is no reason to wait
    fs.writeFileSync(lock, '');
    let asked = 0;
    const quick = new Repository(c, { lockBackoff: () => (asked++, 1) });
    const stale = await rejects(quick.unstage(['.insomnia/Request/req_1.yml']), GitErrorCode.IndexLocked);
    assert.strictEqual(asked, 0);
    assert.strictEqual(stale.details.lockStale, true);
    fs.rmSync(lock);
    for (const r of [repo, stubborn, patient, quick]) r.dispose();
  });

  it('says it waits for another git process while the lock is held, and the operation completes once the lock is released', async function () {
    if (process.platform !== 'linux') this.skip(); // who holds the lock is read from /proc
    const c = await client();
    writeFiles(c.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Waited') });
    const lock = fs.realpathSync(path.join(c.dir, '.git')) + '/index.lock';
    const holder = holdOpen(lock);
    await heldBy(lock, holder);
    // long enough that only the release can end the wait
    const repo = new Repository(c, { lockBackoff: (attempt) => (attempt <= 200 ? 20 : undefined) });
    const reports: ProgressReport[] = [];
    const told = new Promise<void>((resolve) =>
      repo.onDidProgress((r) => {
        reports.push(r);
        // the other git finishes once the user has been told
        holder.kill();
        fs.rmSync(lock, { force: true });
        resolve();
      }),
    );
    const staged = repo.stage(['.insomnia/Request/req_1.yml']).then(
      () => 'staged',
      (e: GitError) => `failed: ${e.code}: ${e.message}`,
    );
    // (a failure must not leave the holder running: mocha would never exit)
    const first = await Promise.race([told.then(() => 'told'), staged]).finally(() => holder.kill());
    assert.strictEqual(first, 'told', 'the wait is announced before the operation ends');
    assert.deepStrictEqual(
      reports.map((r) => [r.operation.kind, r.progress.phase]),
      [[OperationKind.Stage, 'Waiting for another git process to finish (.git/index.lock)…']],
    );
    assert.strictEqual(await staged, 'staged');
    await reports[0].wait; // ended with the wait
    assert.strictEqual(reports.length, 1, 'said once per operation');
    assert.strictEqual(gitCli(c.dir, 'diff', '--cached', '--name-only'), '.insomnia/Request/req_1.yml');
    assert.deepStrictEqual(repo.snapshot?.status.staged, [{ path: '.insomnia/Request/req_1.yml', kind: 'modified' }]);
    repo.dispose();
  });

  it('refresh() scans the whole working tree; only the watcher\'s own refresh trusts its events, which come late', async () => {
    const c = await client();
    const repo = new Repository(c);
    const file = '.insomnia/Request/req_late.yml';
    // the watcher is tracking: from here on a status looks only at the paths noted since the last one
    repo.noteChanged([]);
    assert.deepStrictEqual((await repo.refresh())?.status.changes.map((x) => x.path), []);
    // a file written whose event has not arrived yet (a commit right after a save)
    writeFiles(c.dir, { [file]: requestYaml('req_late', 'Late') });
    assert.deepStrictEqual((await repo.refresh({ incremental: true }))?.status.changes.map((x) => x.path), [], 'the watcher\'s refresh waits for its event');
    assert.deepStrictEqual((await repo.refresh())?.status.changes.map((x) => x.path), [file], 'a command\'s refresh sees it, as git status does');
    assert.match(gitCli(c.dir, 'status', '--porcelain'), /req_late\.yml/);
    // and once the event comes, the incremental refresh has it too
    writeFiles(c.dir, { [file]: requestYaml('req_late', 'Later') });
    repo.noteChanged([path.join(c.dir, file)]);
    assert.deepStrictEqual((await repo.refresh({ incremental: true }))?.status.changes.map((x) => x.path), [file]);
    repo.dispose();
  });
});
