// useBlockingReads (the transfer worker's): gitFs's reads and refsOnDisk do not wait for libuv's thread pool, which
// every thread of the process shares. Shown with the pool held: every one of its threads opening a FIFO no one
// writes to; the reads complete all the same (through the pool they would wait until the FIFOs are opened at the
// end, and the test would time out).

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { gitFs, refsOnDisk, useBlockingReads } from '../../../src/git/plumbing/gitFs';
import { TempDirs } from './gitTestRepos';

describe('useBlockingReads: git reads of a thread that may block skip the thread pool', function () {
  this.timeout(20_000);
  const tmp = new TempDirs();
  let fifos: string[] = [];
  let held: Promise<fsp.FileHandle>[] = [];

  /**
   * lets the pool's threads go: a FIFO opened read-write here never blocks, and lets the opens waiting on it return;
   * kept open until every one of them has (those queued behind the pool start only as the others return).
   */
  const release = async (): Promise<void> => {
    const writers = fifos.map((f) => fs.openSync(f, 'r+'));
    try {
      for (const h of await Promise.all(held)) await h.close();
    } finally {
      for (const w of writers) fs.closeSync(w);
    }
    fifos = [];
    held = [];
  };
  after(async () => {
    useBlockingReads(false);
    await release();
    tmp.cleanup();
  });

  it('reads files, stats, folders and refs while every thread of the pool is busy', async () => {
    const gitdir = path.join(tmp.make(), '.git');
    fs.mkdirSync(path.join(gitdir, 'refs/remotes/origin'), { recursive: true });
    fs.writeFileSync(path.join(gitdir, 'refs/remotes/origin/main'), `${'a'.repeat(40)}\n`);
    fs.writeFileSync(path.join(gitdir, 'packed-refs'), `${'b'.repeat(40)} refs/remotes/origin/old\n`);
    const pool = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    const dir = tmp.make();
    fifos = Array.from({ length: pool + 2 }, (_, i) => path.join(dir, `fifo-${i}`));
    execFileSync('mkfifo', fifos);
    held = fifos.map((f) => fsp.open(f, 'r'));
    useBlockingReads();
    const fsApi = (gitFs as unknown as { promises: { readFile(p: string, o?: string): Promise<string>; stat(p: string): Promise<fs.Stats>; readdir(p: string): Promise<string[]> } }).promises;
    assert.strictEqual(await fsApi.readFile(path.join(gitdir, 'refs/remotes/origin/main'), 'utf8'), `${'a'.repeat(40)}\n`);
    assert.ok((await fsApi.stat(path.join(gitdir, 'packed-refs'))).isFile());
    assert.deepStrictEqual(await fsApi.readdir(path.join(gitdir, 'refs/remotes/origin')), ['main']);
    await assert.rejects(fsApi.readFile(path.join(gitdir, 'missing')), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
    assert.deepStrictEqual(
      [...(await refsOnDisk(gitdir, 'refs/remotes/'))].sort(),
      [
        ['refs/remotes/origin/main', 'a'.repeat(40)],
        ['refs/remotes/origin/old', 'b'.repeat(40)],
      ],
    );
    useBlockingReads(false);
    await release();
  });
});
