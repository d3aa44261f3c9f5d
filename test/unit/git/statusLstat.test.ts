// The extension host's lstats for a new status worker's first status (src/git/statusLstat.ts): the host lstats the
// index's files while the worker starts and parses it, and the worker takes its findings. Here the host's side runs
// before the status (or in part, or stuck), and every status is checked against `git status`: the findings change
// when a file is looked at, never what a status says of it; stale bytes, a split index and a wrong entry count are
// not used.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readIndexBytes, type IndexBytes } from '../../../src/git/indexCache';
import { forEachIndexPath, parseIndex } from '../../../src/git/indexFile';
import { computeStatus } from '../../../src/git/status';
import { CHUNK, indexEntryCount, lstatIndexSliced, sharedLstats, type SharedLstats } from '../../../src/git/statusLstat';
import { gitCli, initRepo, legacySeed, porcelain, requestYaml, sortLines, TempDirs, writeFiles } from './gitTestRepos';

function cliPorcelain(dir: string): string {
  const out = gitCli(dir, 'status', '--porcelain=v1', '-uall', '--no-renames');
  return sortLines(out.split('\n').filter(Boolean)).join('\n');
}

/** The index's bytes in shared memory and empty shared lstats, as StatusWorkerClient makes them for a new worker. */
async function handOver(dir: string): Promise<{ index: IndexBytes; lstats: SharedLstats }> {
  const read = (await readIndexBytes(path.join(dir, '.git')))!;
  const bytes = new Uint8Array(new SharedArrayBuffer(read.bytes.byteLength));
  bytes.set(read.bytes);
  return { index: { bytes, stamp: read.stamp }, lstats: sharedLstats(indexEntryCount(bytes)!) };
}

const REQ = (n: number): string => `.insomnia/Request/req_${n}.yml`;

describe('status: the host\'s lstats (a new worker\'s first status)', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  // 200 requests: four chunks of entries
  const repo = (): string => initRepo(tmp.make(), { ...legacySeed(200), 'scripts/run.sh': '#!/bin/sh\n', 'lib/a.txt': 'a\n', 'lib/b.txt': 'b\n' });

  /** A status as the worker computes its first one, handed `handed`; also checks it against git and a plain status. */
  async function helped(dir: string, handed: { index: IndexBytes; lstats: SharedLstats }): Promise<string> {
    const st = porcelain(await computeStatus({ dir, index: handed.index, lstats: handed.lstats, blocking: true }));
    assert.equal(st, porcelain(await computeStatus({ dir })), 'the same as a status without the host\'s lstats');
    assert.equal(st, cliPorcelain(dir), 'the same as git');
    return st;
  }

  it('finds every kind of change git finds when the host lstat-ed every file', async () => {
    const dir = repo();
    gitCli(dir, 'update-index', '--skip-worktree', REQ(7));
    gitCli(dir, 'update-index', '--assume-unchanged', REQ(8));
    writeFiles(dir, { 'ita.txt': 'i\n' });
    gitCli(dir, 'add', '-N', 'ita.txt');
    writeFiles(dir, { [REQ(1)]: requestYaml('req_1', 'Request X'), [REQ(70)]: requestYaml('req_70', 'Changed, longer'), [REQ(7)]: 'skipped\n', [REQ(8)]: 'assumed\n', 'new.txt': 'n\n' });
    fs.rmSync(path.join(dir, REQ(2)));
    fs.chmodSync(path.join(dir, 'scripts/run.sh'), 0o755);
    fs.rmSync(path.join(dir, REQ(150)));
    fs.symlinkSync('req_1.yml', path.join(dir, REQ(150))); // a file that became a symlink
    // a folder that became a symlink to a folder holding the same names: its files count as deleted
    fs.renameSync(path.join(dir, 'lib'), path.join(dir, 'elsewhere'));
    fs.symlinkSync('elsewhere', path.join(dir, 'lib'));
    const handed = await handOver(dir);
    assert.equal(await lstatIndexSliced(dir, handed.index.bytes, handed.lstats), handed.lstats.chunks.length, 'the host did every chunk');
    const st = await helped(dir, handed);
    assert.match(st, /^ M \.insomnia\/Request\/req_70\.yml$/m);
    assert.match(st, /^ T \.insomnia\/Request\/req_150\.yml$/m);
    assert.match(st, /^ D lib\/a\.txt$/m);
    assert.deepEqual([...handed.lstats.chunks], [...handed.lstats.chunks].map(() => 2), 'the worker found every chunk done');
  });

  it('the worker takes the host\'s findings: an edit made after the host looked is seen as of when it looked', async () => {
    // (this is what makes the other cases here meaningful: findings that are not used could not be wrong)
    const dir = repo();
    const handed = await handOver(dir);
    await lstatIndexSliced(dir, handed.index.bytes, handed.lstats);
    writeFiles(dir, { [REQ(100)]: requestYaml('req_100', 'Edited after the host looked') });
    const st = porcelain(await computeStatus({ dir, index: handed.index, lstats: handed.lstats, blocking: true }));
    assert.equal(st, '', 'as an lstat taken before the edit would have found it');
    assert.equal(cliPorcelain(dir), ' M .insomnia/Request/req_100.yml');
  });

  it('chunks the host did, skipped (the worker had them) and left half done (a host descheduled mid-chunk) give git\'s answer', async () => {
    const dir = repo();
    writeFiles(dir, { [REQ(3)]: 'one\n', [REQ(80)]: 'two\n', [REQ(140)]: 'three\n', [REQ(199)]: 'four\n' });
    const handed = await handOver(dir);
    const { chunks } = handed.lstats;
    chunks[1] = 3; // the worker's
    chunks[2] = 1; // claimed by the host, not finished: the worker waits a moment, then looks itself
    // the host goes back from the last chunk and stops at the first it cannot claim
    assert.equal(await lstatIndexSliced(dir, handed.index.bytes, handed.lstats), 1);
    assert.deepEqual([...chunks], [0, 3, 1, 2]);
    assert.equal(await helped(dir, handed), sortLines([REQ(3), REQ(80), REQ(140), REQ(199)].map((p) => ` M ${p}`)).join('\n'));
  });

  it('a host that comes after the worker took the last chunk (so every chunk: it takes them in order) does nothing', async () => {
    const dir = repo();
    const handed = await handOver(dir);
    handed.lstats.chunks[handed.lstats.chunks.length - 1] = 3;
    assert.equal(await lstatIndexSliced(dir, handed.index.bytes, handed.lstats), 0);
    assert.deepEqual([...handed.lstats.chunks], [0, 0, 0, 3]);
  });

  it('the host from the last chunk back and the worker from the first meet: each chunk lstat-ed by one of them', async () => {
    const dir = repo();
    writeFiles(dir, { [REQ(3)]: 'one\n', [REQ(199)]: 'two\n' });
    const handed = await handOver(dir);
    handed.lstats.chunks[0] = 3; // the worker has the first chunk when the host starts
    assert.equal(await lstatIndexSliced(dir, handed.index.bytes, handed.lstats), 3);
    assert.deepEqual([...handed.lstats.chunks], [3, 2, 2, 2]);
    assert.equal(await helped(dir, handed), sortLines([REQ(3), REQ(199)].map((p) => ` M ${p}`)).join('\n'));
  });

  it('the host lstats in slices, the event loop getting its turn between them, and stops when told', async () => {
    const dir = repo();
    const handed = await handOver(dir);
    // stopped once the event loop has had a turn: with slices of 0 ms (one chunk each), after the first slice
    let turned = false;
    setImmediate(() => (turned = true));
    assert.equal(await lstatIndexSliced(dir, handed.index.bytes, handed.lstats, () => turned, 0), 1);
    assert.deepEqual([...handed.lstats.chunks], [0, 0, 0, 2], 'the last chunk, the first the host takes');
    assert.equal(await helped(dir, handed), '');
  });

  describe('findings that do not line up with the index the status reads are not used', () => {
    /** The host's findings made before `change` edits a file (were they used, the edit would not show). */
    async function stale(dir: string, change: () => void): Promise<{ index: IndexBytes; lstats: SharedLstats }> {
      const handed = await handOver(dir);
      await lstatIndexSliced(dir, handed.index.bytes, handed.lstats);
      writeFiles(dir, { [REQ(100)]: requestYaml('req_100', 'Edited after the host looked') });
      change();
      return handed;
    }

    it('the index changed after its bytes were read (a stage, as many entries): the file is read again, the findings left', async () => {
      const dir = repo();
      const handed = await stale(dir, () => {
        writeFiles(dir, { [REQ(5)]: 'staged\n' });
        gitCli(dir, 'add', REQ(5));
      });
      assert.match(await helped(dir, handed), /^ M \.insomnia\/Request\/req_100\.yml$/m);
    });

    it('a split index (its entries merged with the shared index are not in the bytes\' order)', async () => {
      const dir = repo();
      gitCli(dir, 'update-index', '--split-index');
      writeFiles(dir, { [REQ(5)]: 'staged\n' });
      gitCli(dir, 'add', REQ(5));
      const handed = await stale(dir, () => undefined);
      assert.match(await helped(dir, handed), /^ M \.insomnia\/Request\/req_100\.yml$/m);
    });

    it('findings for another number of entries', async () => {
      const dir = repo();
      const handed = await stale(dir, () => undefined);
      const other = sharedLstats(handed.lstats.stats.length / 8 - 1);
      other.stats.set(handed.lstats.stats.subarray(0, other.stats.length));
      other.chunks.fill(2);
      assert.match(await helped(dir, { index: handed.index, lstats: other }), /^ M \.insomnia\/Request\/req_100\.yml$/m);
    });
  });

  describe('forEachIndexPath reads the paths parseIndex reads, in its order', () => {
    const paths = (bytes: Buffer): (string | null)[] => {
      const out: (string | null)[] = [];
      forEachIndexPath(bytes, (i, p) => out.push(p) === i + 1);
      return out;
    };
    const parsed = (bytes: Buffer): (string | null)[] => parseIndex(bytes)!.entries.map((e) => (e.rawPath ? null : e.path));

    for (const version of ['2', '3', '4']) {
      it(`index version ${version}, with a long name, a name that is not UTF-8${version === '2' ? '' : ' and extended flags'}`, () => {
        const dir = repo();
        const oid = gitCli(dir, 'hash-object', '-w', 'lib/a.txt');
        // a name longer than the 12 bits of the flags can give (0xfff), and one of bytes that are not UTF-8
        const long = Array.from({ length: 40 }, (_, i) => `folder-${i}-${'x'.repeat(100)}`).join('/') + '/file.txt';
        gitCli(dir, 'update-index', '--add', '--cacheinfo', `100644,${oid},${long}`);
        const info = Buffer.concat([Buffer.from(`100644 ${oid}\t`), Buffer.from([0x6e, 0xff, 0xfe, 0x2e, 0x74]), Buffer.from('\n')]);
        execFileSync('git', ['update-index', '--index-info'], { cwd: dir, input: info });
        if (version !== '2') {
          // extended flags (intent-to-add), which version 2 cannot hold
          writeFiles(dir, { 'ita.txt': 'i\n' });
          gitCli(dir, 'add', '-N', 'ita.txt');
        }
        gitCli(dir, 'update-index', '--index-version', version);
        const bytes = fs.readFileSync(path.join(dir, '.git', 'index'));
        assert.equal(bytes.readUInt32BE(4), Number(version));
        const got = paths(bytes);
        assert.deepEqual(got, parsed(bytes));
        assert.ok(got.includes(long) && got.includes(null) && got.length === indexEntryCount(bytes));
        assert.ok(got.length > 3 * CHUNK);
      });
    }
  });
});
