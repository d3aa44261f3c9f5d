// Show History measures a commit's files before opening them (a side over DIFF_SIZE_LIMIT is refused): by the
// object's size in its header, loose or packed (a delta's result size in its own header), not by inflating each
// blob, which the multi-diff editor then reads again. The sizes against `git cat-file -s`; the measure against what
// it was (the UTF-8 bytes of the text the editor is handed), for valid and invalid UTF-8 on either side of the limit.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitObjects } from '../../../src/git/gitObjects';
import { DIFF_SIZE_LIMIT, oversizedSide } from '../../../src/util/diffSize';
import { gitCli, TempDirs } from './gitTestRepos';

const MB = 1024 * 1024;
// the module itself (an import's namespace only reads it): what src/git's modules call at call time
// eslint-disable-next-line @typescript-eslint/no-require-imports
const zlib = require('zlib') as typeof import('zlib');

describe('GitObjects: a blob measured by its header, the diff limit decided as before', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  function repo(): { dir: string; commits: string[]; files: Record<string, Buffer> } {
    const dir = tmp.make('hammock-size-');
    gitCli(dir, 'init', '-q', '-b', 'main');
    const big = Buffer.alloc(11 * MB, 'a');
    const files: Record<string, Buffer> = {
      'small.yml': Buffer.from('name: small\n'),
      'big.txt': big,
      'valid.txt': Buffer.from('é'.repeat(2 * MB)), // 4 MB of valid UTF-8: between a third of the limit and the limit
      'invalid.txt': Buffer.alloc(4 * MB, 0xff), // 4 MB that decode to 12 MB of U+FFFD: over the limit once decoded
      'third.txt': Buffer.alloc(3 * MB, 0xff), // a third of the limit or less: fits however it decodes
    };
    for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), data);
    gitCli(dir, 'add', '.');
    gitCli(dir, '-c', 'user.name=T', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'one');
    const commits = [gitCli(dir, 'rev-parse', 'HEAD')];
    // a second version of the big file, which a pack stores as a delta against the first
    files['big.txt'] = Buffer.concat([big.subarray(0, 5 * MB), Buffer.from('changed'), big.subarray(5 * MB)]);
    fs.writeFileSync(path.join(dir, 'big.txt'), files['big.txt']);
    gitCli(dir, 'add', '.');
    gitCli(dir, '-c', 'user.name=T', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'two');
    commits.push(gitCli(dir, 'rev-parse', 'HEAD'));
    return { dir, commits, files };
  }

  /** counts the bytes zlib inflates in full (inflateSync without a partial flush) while `fn` runs. */
  async function inflated<T>(fn: () => Promise<T>): Promise<{ value: T; bytes: number }> {
    const real = zlib.inflateSync;
    let bytes = 0;
    (zlib as { inflateSync: typeof zlib.inflateSync }).inflateSync = ((buf: import('zlib').InputType, opts?: import('zlib').ZlibOptions) => {
      const out = real(buf, opts);
      if (opts?.finishFlush === undefined) bytes += out.length;
      return out;
    }) as typeof zlib.inflateSync;
    try {
      return { value: await fn(), bytes };
    } finally {
      (zlib as { inflateSync: typeof zlib.inflateSync }).inflateSync = real;
    }
  }

  for (const packed of [false, true]) {
    it(`${packed ? 'packed (deltas too)' : 'loose'}: sizes as git cat-file -s gives them, the limit decided as the text's UTF-8 bytes decide it`, async () => {
      const { dir, commits, files } = repo();
      if (packed) {
        gitCli(dir, 'gc', '-q', '--aggressive');
        assert.ok(!fs.readdirSync(path.join(dir, '.git', 'objects')).some((d) => /^[0-9a-f]{2}$/.test(d)), 'every object packed');
        const pack = fs.readdirSync(path.join(dir, '.git', 'objects', 'pack')).find((f) => f.endsWith('.idx'))!;
        assert.match(gitCli(dir, 'verify-pack', '-v', path.join(dir, '.git', 'objects', 'pack', pack)), /chain length = 1/, 'a delta in the pack');
      }
      const objects = new GitObjects(dir);
      for (const line of gitCli(dir, 'cat-file', '--batch-all-objects', '--batch-check').split('\n')) {
        const [oid, type, size] = line.split(' ');
        if (type === 'blob') assert.strictEqual(await objects.blobSize(oid), Number(size), oid);
      }
      for (const commit of commits) {
        for (const name of Object.keys(files)) {
          const { value: measured, bytes } = await inflated(() => objects.textBytesAt(commit, name));
          const text = (await objects.readText(commit, name))!;
          const before = Buffer.byteLength(text, 'utf8'); // what Show History measured
          const label = `${name} at ${commit.slice(0, 7)}`;
          assert.strictEqual(!!oversizedSide([{ label, bytes: measured! }]), before > DIFF_SIZE_LIMIT, `${label}: the same verdict`);
          // the size a refusal names: the same (a text that fits is not named)
          if (before > DIFF_SIZE_LIMIT) assert.strictEqual(measured, before, `${label}: the same size`);
          const raw = Number(gitCli(dir, 'cat-file', '-s', `${commit}:${name}`));
          if (raw > DIFF_SIZE_LIMIT || raw * 3 <= DIFF_SIZE_LIMIT) assert.ok(bytes < 64 * 1024, `${label}: ${bytes} bytes inflated to measure it`);
        }
      }
      assert.strictEqual(await objects.textBytesAt(commits[0], 'missing.txt'), null);
    });
  }
});
