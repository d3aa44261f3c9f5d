// The legacy parse cache (collections/legacyCache.ts) read back by the extension host: a cache file is the user's
// own, but one that does not hold what it says (crafted, or written by something else into .git/hammock) must never
// make the host take a file outside the folder it reads, nor throw on the host's thread. Each case: a cache for the
// worker's own bundle whose header and sha1 fit and whose stamps are the files' own, one chunk altered.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, promises as fsp, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import type { Worker } from 'node:worker_threads';
import { writeLegacyRepo } from '../../../bench/generate';
import { bundleIdentity, type CachedChunk, legacyCacheFile, RACY_MS } from '../../../src/collections/legacyCache';
import { readLegacyFolderInWorkers } from '../../../src/collections/legacyReader';
import { readShare } from '../../../src/collections/legacyWorker';

const WORKER = path.resolve(__dirname, '../../../src/collections/legacyWorker.ts');

/** Rewrites the cache file of `dir` with its chunks passed through `alter` (the body's bounds and sha1 made to fit). */
function alterChunks(dir: string, alter: (chunk: CachedChunk) => CachedChunk): void {
  const file = legacyCacheFile(dir)!;
  const bytes = readFileSync(file);
  const length = bytes.readUInt32LE(0);
  const header = v8.deserialize(bytes.subarray(4, 4 + length)) as { byteEnds: Float64Array; sha1: string };
  const body = bytes.subarray(4 + length);
  const chunks = [...header.byteEnds].map((end, k) => v8.serialize(alter(v8.deserialize(body.subarray(k === 0 ? 0 : header.byteEnds[k - 1]!, end)) as CachedChunk)));
  let end = 0;
  header.byteEnds = Float64Array.from(chunks.map((c) => (end += c.length)));
  const sha1 = createHash('sha1');
  for (const c of chunks) sha1.update(c);
  header.sha1 = sha1.digest('hex');
  const head = v8.serialize(header);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(head.length, 0);
  writeFileSync(file, Buffer.concat([size, head, ...chunks]));
}

describe('legacy parse cache: a hostile cache file and the extension host', function () {
  this.timeout(60_000);
  let base: string;
  let dir: string;
  const exited: Promise<unknown>[] = [];
  const options = { file: WORKER, execArgv: ['--require', 'tsx/cjs'], batch: 16, cache: true, onWorker: (w: Worker) => exited.push(new Promise((r) => w.once('exit', r))) };
  const read = async (cache: boolean) => {
    const r = await readLegacyFolderInWorkers(dir, { ...options, cache });
    await Promise.all(exited.splice(0));
    return r;
  };

  beforeEach(async () => {
    base = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-legacy-cache-hostile-'));
    const root = path.join(base, 'repo');
    await writeLegacyRepo(root, { requests: 40, folders: 4, environments: 2, seed: 7 });
    await fsp.mkdir(path.join(root, '.git'));
    dir = path.join(root, '.insomnia');
    // the cache of the worker's own bundle, every file in it (a clock past the racy window)
    readShare({ dir, part: 0, parts: 1, batch: 16, cache: true }, () => undefined, { bundle: bundleIdentity(WORKER), now: Date.now() + RACY_MS + 1000 });
  });

  afterEach(async () => {
    await fsp.rm(base, { recursive: true, force: true });
  });

  it('a chunk naming files outside the folder is not taken: the read has the folder\'s own files', async () => {
    const plain = await read(false);
    const outside = path.join(base, 'outside');
    alterChunks(dir, (c) => ({ ...c, files: c.files.map((f) => path.join(outside, path.basename(f))) }));
    const cached = await read(true);
    assert.deepStrictEqual([...cached.files.keys()].filter((f) => !f.startsWith(dir + path.sep)), [], 'no file outside the folder');
    assert.deepStrictEqual([...cached.files.keys()], [...plain.files.keys()]);
  });

  it('a chunk naming another folder\'s path through ".." is not taken', async () => {
    const plain = await read(false);
    // starts with the folder's path, resolves outside it
    alterChunks(dir, (c) => ({ ...c, files: c.files.map((f) => [dir, '..', '..', 'outside', path.basename(f)].join(path.sep)) }));
    const cached = await read(true);
    assert.deepStrictEqual([...cached.files.keys()], [...plain.files.keys()]);
  });

  it('a chunk whose columns do not unpack is not taken, and nothing throws on the host thread', async () => {
    const plain = await read(false);
    const uncaught: unknown[] = [];
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    const catcher = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', catcher);
    try {
      // an entry whose model is missing: unpacking it puts its `source` back on undefined
      alterChunks(dir, (c) => ({ ...c, packed: { ...c.packed, kinds: c.packed.kinds.map(() => 1), sourceOut: c.packed.sourceOut.map(() => 1), models: c.packed.models.map(() => undefined as never) } }));
      const cached = await read(true);
      assert.deepStrictEqual(uncaught, [], 'nothing thrown on the host thread');
      assert.deepStrictEqual([...cached.files.keys()], [...plain.files.keys()]);
      assert.deepStrictEqual([...cached.files.values()].map((s) => s.entry?.model ? 'model' : 'none'), [...plain.files.values()].map((s) => s.entry?.model ? 'model' : 'none'));
    } finally {
      process.removeListener('uncaughtException', catcher);
      for (const l of listeners) process.on('uncaughtException', l);
    }
  });
  // a cache file that is not a regular file (a link to a device is the same case: reading /dev/zero never ends, and
  // fills the memory; not run here): opening a FIFO for reading waits for a writer. The read must not wait on it (a
  // deadline, not a sleep: nothing signals a read that never ends)
  it('a cache file that is a FIFO is ignored: the read ends with the folder\'s files', async function () {
    if (process.platform === 'win32') this.skip();
    const plain = await read(false);
    const file = legacyCacheFile(dir)!;
    unlinkSync(file);
    execFileSync('mkfifo', [file]);
    const workers: Worker[] = [];
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'stuck'>((r) => (timer = setTimeout(() => r('stuck'), 15_000)));
    const cached = await Promise.race([readLegacyFolderInWorkers(dir, { ...options, onWorker: (w) => workers.push(w) }), deadline]);
    clearTimeout(timer);
    // a worker blocked opening the FIFO does not end on terminate() (it is in a system call): a writer lets it go on
    if (cached === 'stuck') closeSync(openSync(file, 'w'));
    await Promise.all(workers.map((w) => w.terminate()));
    assert.notEqual(cached, 'stuck', 'the read with a FIFO as its cache did not end in 15 s');
    if (cached !== 'stuck') assert.deepStrictEqual([...cached.files.keys()], [...plain.files.keys()]);
  });
});
