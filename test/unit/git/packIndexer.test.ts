// packIndexer.ts against `git index-pack`: the .idx of packs git wrote (ofs-deltas with long chains, ref-deltas,
// a thin pack's deltas on objects outside it) is byte for byte git's; a cut or damaged pack is refused with
// HAMMOCK_INCOMPLETE_TRANSFER. packCapture.ts: an upload-pack response split at random places passes through with
// only its pack packets taken out, and a response cut mid-line hands no pack on.

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import * as zlib from 'zlib';
import { indexPack } from '../../../src/git/packIndexer';
import { inflateSized } from '../../../src/git/packReader';
import { withoutPackData } from '../../../src/git/packCapture';
import { commitFiles, gitCli, initRepo, legacySeed, requestYaml, TempDirs } from './gitTestRepos';

/** A pack of `revs` (stdin of pack-objects --revs) in `dir`, written by git with `args`. */
function packOf(dir: string, revs: string, ...args: string[]): Buffer {
  return execFileSync('git', ['pack-objects', '--revs', '--stdout', '-q', ...args], { cwd: dir, input: revs, maxBuffer: 1 << 28 });
}

/** What `git index-pack` writes for `pack` (in a scratch repository, so a thin pack's bases are not looked up). */
function gitIdx(tmp: TempDirs, pack: Buffer): Buffer {
  const d = tmp.make();
  fs.writeFileSync(path.join(d, 'p.pack'), pack);
  execFileSync('git', ['index-pack', '-o', path.join(d, 'p.idx'), path.join(d, 'p.pack')], { cwd: d, stdio: 'pipe' });
  return fs.readFileSync(path.join(d, 'p.idx'));
}

function oidsOfIdx(idx: Buffer): string[] {
  const n = idx.readUInt32BE(8 + 255 * 4);
  return Array.from({ length: n }, (_, i) => idx.toString('hex', 8 + 1024 + i * 20, 8 + 1024 + i * 20 + 20));
}

describe('packIndexer: a received pack indexed as git index-pack does', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  after(() => tmp.cleanup());
  let repo: string;

  before(() => {
    repo = initRepo(tmp.make(), { ...legacySeed(60), 'bin/data.bin': Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251)).toString('latin1') });
    for (let i = 0; i < 20; i++) {
      commitFiles(repo, { '.insomnia/Request/req_1.yml': requestYaml('req_1', `Version ${i}`, `https://example.com/v/${i}`, `description: "${'x'.repeat(i * 40)}"`) }, `v${i}`);
    }
  });

  it('writes the .idx git writes, for ofs-delta and ref-delta packs', async () => {
    for (const args of [['--depth=50', '--window=50'], ['--no-delta-base-offset', '--depth=50'], ['--depth=0']]) {
      const pack = packOf(repo, 'HEAD\n', ...args);
      const ours = await indexPack(pack);
      const theirs = gitIdx(tmp, pack);
      assert.ok(ours.idx.equals(theirs), `idx differs for pack-objects ${args.join(' ')}`);
      assert.strictEqual(ours.sha, pack.subarray(pack.length - 20).toString('hex'));
      assert.strictEqual(ours.count, oidsOfIdx(theirs).length);
    }
  });

  it("indexes a thin pack's deltas on objects outside it through `external`", async () => {
    const pack = packOf(repo, 'HEAD\n^HEAD~3\n', '--thin');
    const store = new Map<string, { type: string; data: Buffer }>();
    const asked: string[] = [];
    const ours = await indexPack(pack, {
      external: async (oid) => {
        asked.push(oid);
        if (!store.has(oid)) {
          const type = gitCli(repo, 'cat-file', '-t', oid);
          store.set(oid, { type, data: execFileSync('git', ['cat-file', type, oid], { cwd: repo }) });
        }
        return store.get(oid);
      },
    });
    assert.ok(asked.length > 0, 'the pack is thin');
    const expected = gitCli(repo, 'rev-list', '--objects', 'HEAD', '^HEAD~3')
      .split('\n')
      .map((l) => l.slice(0, 40))
      .sort();
    assert.deepStrictEqual(oidsOfIdx(ours.idx), expected);
    await assert.rejects(indexPack(pack), (e: { code?: string }) => e.code === 'HAMMOCK_INCOMPLETE_TRANSFER');
  });

  it('completes a thin pack as git index-pack --fix-thin does: its bases appended, a pack git reads on its own', async () => {
    const pack = packOf(repo, 'HEAD\n^HEAD~3\n', '--thin');
    const external = async (oid: string): Promise<{ type: string; data: Buffer }> => {
      const type = gitCli(repo, 'cat-file', '-t', oid);
      return { type, data: execFileSync('git', ['cat-file', type, oid], { cwd: repo }) };
    };
    assert.strictEqual((await indexPack(pack, { external })).pack, undefined, 'not completed unless asked');
    const ours = await indexPack(pack, { external, completeThin: true });
    assert.ok(ours.pack && ours.pack.length > pack.length, 'the bases are appended');
    // git indexes it without the repository (every delta's base is in it), to the same .idx byte for byte
    assert.ok(ours.idx.equals(gitIdx(tmp, ours.pack)));
    assert.strictEqual(ours.sha, ours.pack.subarray(ours.pack.length - 20).toString('hex'));
    // the objects git's --fix-thin keeps, in a copy that has the bases
    const copy = tmp.make();
    execFileSync('git', ['clone', '-q', '--no-local', repo, copy]);
    execFileSync('git', ['reset', '-q', '--hard', 'HEAD~3'], { cwd: copy });
    execFileSync('git', ['index-pack', '--stdin', '--fix-thin', path.join(copy, 'thin.pack')], { cwd: copy, input: pack });
    assert.deepStrictEqual(oidsOfIdx(ours.idx), oidsOfIdx(fs.readFileSync(path.join(copy, 'thin.idx'))));
    assert.strictEqual(ours.count, oidsOfIdx(ours.idx).length);
    // a pack that needed no base outside it is stored as received
    assert.strictEqual((await indexPack(packOf(repo, 'HEAD\n'), { external, completeThin: true })).pack, undefined);
  });

  it('completes a thin pack whose base is large (stored without compression) into a pack git reads on its own', async () => {
    const lines = (n: number): string => Array.from({ length: 4000 }, (_, i) => `line ${i} ${i === 2000 ? n : 'same'} ${'y'.repeat(20)}`).join('\n');
    const big = initRepo(tmp.make(), { 'big.txt': lines(0) });
    commitFiles(big, { 'big.txt': lines(1) }, 'one line');
    const pack = packOf(big, 'HEAD\n^HEAD~1\n', '--thin');
    const asked: string[] = [];
    const ours = await indexPack(pack, {
      completeThin: true,
      external: async (oid) => {
        asked.push(oid);
        return { type: 'blob', data: execFileSync('git', ['cat-file', 'blob', oid], { cwd: big }) };
      },
    });
    assert.deepStrictEqual(asked, [gitCli(big, 'rev-parse', 'HEAD~1:big.txt')], 'the old file is the only base outside the pack');
    assert.ok(ours.pack && ours.pack.length > 4000 * 30, 'the base is appended whole, uncompressed');
    assert.ok(ours.idx.equals(gitIdx(tmp, ours.pack)));
  });

  it('refuses a cut or damaged pack (HAMMOCK_INCOMPLETE_TRANSFER)', async () => {
    const pack = packOf(repo, 'HEAD\n');
    const incomplete = (e: { code?: string }): boolean => e.code === 'HAMMOCK_INCOMPLETE_TRANSFER';
    for (const cut of [0, 12, 40, pack.length >> 1, pack.length - 21, pack.length - 1]) await assert.rejects(indexPack(pack.subarray(0, cut)), incomplete, `cut at ${cut}`);
    const flipped = Buffer.from(pack);
    flipped[pack.length >> 1] ^= 0x55;
    await assert.rejects(indexPack(flipped), incomplete);
    // a consistent checksum over damaged data: the objects themselves do not add up
    const resummed = Buffer.from(flipped);
    crypto.createHash('sha1').update(resummed.subarray(0, resummed.length - 20)).digest().copy(resummed, resummed.length - 20);
    await assert.rejects(indexPack(resummed), incomplete);
  });

  it('indexes as git does a pack whose objects take several of inflateSized\'s output chunks (over 1 MiB inflated)', async () => {
    const big = initRepo(tmp.make(), { 'a.bin': crypto.randomBytes(1_500_000).toString('base64'), 'b.txt': 'x'.repeat(3 * 2 ** 20), 'c.txt': '' });
    const pack = packOf(big, 'HEAD\n');
    assert.ok((await indexPack(pack)).idx.equals(gitIdx(tmp, pack)));
  });

  it('inflateSized: the stream at the start of its input, whatever follows it, in a buffer no larger than the data', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 16_000, max: 17_000 }), fc.integer({ min: 0, max: 2 ** 21 + 10 })), fc.nat({ max: 40 }), (size, trailing) => {
        const data = Buffer.alloc(size, 'abcdefghij');
        const compressed = zlib.deflateSync(data);
        const input = Buffer.concat([compressed, Buffer.alloc(trailing, 0x78)]);
        const out = inflateSized(input, size, true);
        assert.ok(out.buffer.equals(data));
        assert.strictEqual(out.engine.bytesWritten, compressed.length);
        // what an object kept in memory holds: its data, not a 16 KB chunk (inflateSync's default) per object
        if (size < 2 ** 20) assert.ok(out.buffer.buffer.byteLength <= Math.max(64, size + 1) + 8192, `${out.buffer.buffer.byteLength} bytes held for ${size}`);
        assert.ok(inflateSized(input, size).equals(data));
      }),
      { seed: 14, numRuns: 60 },
    );
  });

  it('reports progress and stops when the progress callback throws', async () => {
    const pack = packOf(repo, 'HEAD\n');
    const phases = new Set<string>();
    await indexPack(pack, { onProgress: (p) => void phases.add(p) });
    assert.deepStrictEqual([...phases], ['Receiving objects', 'Resolving deltas']);
    let calls = 0;
    await assert.rejects(
      indexPack(pack, {
        onProgress: () => {
          if (++calls === 3) throw new Error('stop');
        },
      }),
      /stop/,
    );
  });
});

/** pkt-line framing of `payload`. */
function pkt(payload: Buffer | string): Buffer {
  const b = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  return Buffer.concat([Buffer.from((b.length + 4).toString(16).padStart(4, '0')), b]);
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of it) out.push(Buffer.from(c));
  return Buffer.concat(out);
}

async function* chunked(data: Buffer, cuts: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const c of [...new Set(cuts.map((x) => x % (data.length + 1)))].sort((a, b) => a - b)) {
    if (c > at) yield data.subarray(at, c);
    at = Math.max(at, c);
  }
  if (at < data.length) yield data.subarray(at);
}

describe('packCapture: the pack taken out of an upload-pack response', () => {
  it('passes every other line through unchanged and hands the pack on whole, however the response is split', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 3000 }), { minLength: 0, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), async (packParts, cuts) => {
        const head = [pkt('shallow 0123456789012345678901234567890123456789\n'), pkt('NAK\n')];
        const other: Buffer[] = [...head];
        const all: Buffer[] = [...head];
        packParts.forEach((p, i) => {
          const band1 = pkt(Buffer.concat([Buffer.from([1]), Buffer.from(p)]));
          all.push(band1);
          if (i % 2 === 0) {
            const progress = pkt(Buffer.concat([Buffer.from([2]), Buffer.from(`Counting objects: ${i}\r`)]));
            all.push(progress);
            other.push(progress);
          }
        });
        all.push(Buffer.from('0000'));
        other.push(Buffer.from('0000'));
        const response = Buffer.concat(all);
        let got: Buffer | undefined;
        const passed = await collect(withoutPackData(chunked(response, cuts), async (p) => void (got = p)));
        assert.ok(passed.equals(Buffer.concat(other)));
        if (packParts.length) assert.ok(got?.equals(Buffer.concat(packParts.map((p) => Buffer.from(p)))));
        else assert.strictEqual(got, undefined);
      }),
      { seed: 14, numRuns: 200 },
    );
  });

  it('hands no pack on when the response is cut mid-line, and passes the cut line on for isomorphic-git to refuse', async () => {
    const response = Buffer.concat([pkt('NAK\n'), pkt(Buffer.concat([Buffer.from([1]), Buffer.alloc(100, 7)])), pkt(Buffer.concat([Buffer.from([1]), Buffer.alloc(100, 8)]))]);
    const cut = response.subarray(0, response.length - 10);
    let called = false;
    const passed = await collect(
      withoutPackData(chunked(cut, [3, 50]), async () => {
        called = true;
      }),
    );
    assert.strictEqual(called, false);
    assert.ok(passed.subarray(0, 8).equals(pkt('NAK\n')));
    assert.ok(passed.length > 8, 'the partial line is passed on');
  });
});
