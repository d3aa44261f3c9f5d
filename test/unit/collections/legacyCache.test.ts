// The legacy read worker's parse cache (collections/legacyCache.ts, legacyWorker.ts's readShare): a read with the
// cache posts exactly the states a fresh read posts, whatever happened to the files since the cache was written
// (rewritten in place with the same size and mtime, replaced, added, deleted, racy), and a cache that is corrupt,
// truncated, of another format or of another worker bundle is ignored and replaced. The cache lives in the
// repository's git directory only: git status and git fsck stay clean.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, promises as fsp, readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync, writeSync, unlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { writeLegacyRepo } from '../../../bench/generate';
import type { LegacyFileState } from '../../../src/collections/fileState';
import { bundleIdentity, type CachedChunk, CHUNK, LEGACY_CACHE_FORMAT, legacyCacheFile, RACY_MS, type BundleIdentity, type LegacyCache } from '../../../src/collections/legacyCache';
import { unpackStates } from '../../../src/collections/legacyFiles';
import { readLegacyFolderInWorkers } from '../../../src/collections/legacyReader';
import { CollectionStore } from '../../../src/collections/store';
import { readShare, type LegacyWorkerMessage } from '../../../src/collections/legacyWorker';
import { lowerThreadPriority } from '../../../src/collections/threadCpu';

const WORKER = path.resolve(__dirname, '../../../src/collections/legacyWorker.ts');
const BUNDLE: BundleIdentity = { size: 1234, mtimeMs: 1_700_000_000_000 };
const FOLDER_ID = 'fld_cachetest';

/** What a worker's share posts, read in this thread: the states by file, in the listing's order, and the cache used. */
function readWith(dir: string, cache: boolean, clock: { bundle?: BundleIdentity; now?: number } = { bundle: BUNDLE }): { files: [string, LegacyFileState][]; cache?: LegacyCache; chunks: number } {
  const byIndex = new Map<number, [string, LegacyFileState]>();
  let chunks = 0;
  const used = readShare({ dir, part: 0, parts: 1, batch: 16, cache }, (m: LegacyWorkerMessage) => {
    // as posting does: a structured clone (the worker's objects are not the receiver's)
    const msg = structuredClone(m);
    if (msg.kind !== 'batch' && msg.kind !== 'chunk') return;
    const batch = msg.kind === 'batch' ? msg : (v8.deserialize(msg.bytes) as CachedChunk);
    if (msg.kind === 'chunk') {
      assert.equal(batch.files.length, msg.indexes.length);
      chunks++;
    }
    const indexes = msg.indexes;
    unpackStates(batch.files, batch.packed).forEach((s, i) => {
      assert.ok(!byIndex.has(indexes[i]!), 'each file posted once');
      if (s) byIndex.set(indexes[i]!, [batch.files[i]!, s]);
    });
  }, clock);
  return { files: [...byIndex].sort(([a], [b]) => a - b).map(([, e]) => e), cache: used, chunks };
}

interface CacheHeader {
  format: number;
  bundle: BundleIdentity;
  dir: string;
  part: number;
  parts: number;
  files: string[];
  stamps: Float64Array;
  chunkEnds: Uint32Array;
  byteEnds: Float64Array;
  sha1: string;
}

/** A cache file taken apart: its header and each chunk deserialized. */
function readCache(file: string): { header: CacheHeader; chunks: CachedChunk[] } {
  const bytes = readFileSync(file);
  const length = bytes.readUInt32LE(0);
  const header = v8.deserialize(bytes.subarray(4, 4 + length)) as CacheHeader;
  const body = bytes.subarray(4 + length);
  const chunks = [...header.byteEnds].map((end, k) => v8.deserialize(body.subarray(k === 0 ? 0 : header.byteEnds[k - 1]!, end)) as CachedChunk);
  return { header, chunks };
}

/** Writes a cache file from a header and chunks (the chunks' byte bounds and the body's sha1 made to fit). */
function writeCache(file: string, header: CacheHeader, chunks: readonly CachedChunk[]): void {
  const body = chunks.map((c) => v8.serialize(c));
  let end = 0;
  const byteEnds = Float64Array.from(body.map((b) => (end += b.length)));
  const sha1 = createHash('sha1');
  for (const b of body) sha1.update(b);
  const head = v8.serialize({ ...header, byteEnds, sha1: sha1.digest('hex') });
  const length = Buffer.alloc(4);
  length.writeUInt32LE(head.length, 0);
  writeFileSync(file, Buffer.concat([length, head, ...body]));
}

/** The files the cache of `dir` holds. */
function cachedList(dir: string): string[] {
  return readCache(legacyCacheFile(dir)!).header.files;
}

/** The fresh read (no cache), and the read with it, which must be equal; returns the cached read's cache. */
function cachedEqualsFresh(dir: string, clock?: { bundle?: BundleIdentity; now?: number }): LegacyCache {
  const cached = readWith(dir, true, clock);
  const fresh = readWith(dir, false);
  assert.deepStrictEqual(cached.files, fresh.files);
  assert.ok(cached.cache, 'a cache was used');
  return cached.cache;
}

function requestYaml(id: string, version: number): string {
  // every version of a request's file has the same size: a rewrite may keep the size (and the mtime, set back)
  return [`_id: ${id}`, 'type: Request', `parentId: ${FOLDER_ID}`, `name: version ${String(version).padStart(5, '0')}`, 'method: GET', `url: https://example.test/${id}`, `created: 1700000000000`, ''].join('\n');
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout + r.stderr;
}

/** Every path under `root` but its `.git`, with each file's size and mtime: what a read must leave as it was. */
function worktreeSnapshot(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((p) => p !== '.git' && !p.startsWith(`.git${path.sep}`))
    .map((p) => {
      const st = statSync(path.join(root, p));
      return `${p} ${st.isFile() ? `${st.size} ${st.mtimeMs}` : 'dir'}`;
    })
    .sort();
}

/** Rewrites `file` in place (same inode) with `text`, then sets its mtime back to what it was. */
function rewriteInPlace(file: string, text: string): void {
  const before = statSync(file);
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, text, 0);
  } finally {
    closeSync(fd);
  }
  utimesSync(file, before.atime, before.mtime);
}

/** Replaces `file` by a new one (another inode) holding `text`, with the old mtime. */
function replaceKeepingTimes(file: string, text: string): void {
  const before = statSync(file);
  const temp = `${file}.new`;
  writeFileSync(temp, text);
  utimesSync(temp, before.atime, before.mtime);
  renameSync(temp, file);
}

describe('legacy parse cache (the read worker keeps it in the git directory)', function () {
  this.timeout(60_000);
  let base: string;
  const repos = new Map<string, string>();
  /** a repository made before the tests, its files older than the racy window: its `.insomnia` folder. */
  const repo = (name: string) => path.join(repos.get(name)!, '.insomnia');

  before(async () => {
    base = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-legacy-cache-'));
    const names = ['fresh', 'inplace', 'replaced', 'changes', 'corrupt', 'bundle', 'git', 'worktree', 'nogit', 'worker1', 'worker2', 'store', 'badchunk', 'model', 'fsclock', 'idle'];
    let seed = 1;
    for (const name of names) {
      const root = path.join(base, name);
      // several chunks where a test looks at them (CHUNK files each)
      const requests_ = ['fresh', 'inplace', 'changes', 'worker2', 'model'].includes(name) ? 600 : 60;
      await writeLegacyRepo(root, { requests: requests_, folders: 6, environments: 2, seed: seed++ });
      const requests = path.join(root, '.insomnia', 'Request');
      for (let i = 0; i < 12; i++) writeFileSync(path.join(requests, `req_cache${i}.yml`), requestYaml(`req_cache${i}`, 0));
      writeFileSync(path.join(requests, 'req_broken.yml'), 'name: [unclosed\n_id: x\n');
      // whole-second mtimes, which utimes sets back exactly (a file's own has nanoseconds a Date or a float drops)
      for (const f of readdirSync(path.join(root, '.insomnia'), { recursive: true }) as string[]) utimesSync(path.join(root, '.insomnia', f), 1_700_000_000, 1_700_000_000);
      if (name !== 'nogit') {
        git(root, 'init', '-q');
        git(root, 'add', '-A');
        git(root, 'commit', '-q', '-m', 'generated');
      }
      repos.set(name, root);
    }
    const wt = path.join(base, 'linked');
    git(repos.get('worktree')!, 'worktree', 'add', '-q', wt);
    repos.set('linked', wt);
    // the files must be older than the racy window for the cache to take them: wait until the clock is past it
    // (a deadline on the clock, not an event anything could signal)
    const deadline = Date.now() + RACY_MS + 20;
    while (Date.now() < deadline) await new Promise((r) => setTimeout(r, deadline - Date.now()));
  });

  after(async () => {
    await fsp.rm(base, { recursive: true, force: true });
  });

  it('a second read with the cache posts exactly the fresh read, reading no file', () => {
    const dir = repo('fresh');
    const first = cachedEqualsFresh(dir);
    assert.equal(first.hits, 0, 'no cache yet');
    assert.ok(statSync(legacyCacheFile(dir)!).isFile(), 'written');
    const fresh = readWith(dir, false).files;
    const total = fresh.length;
    assert.ok(total > 2 * CHUNK, 'several chunks');
    assert.deepEqual(cachedList(dir).sort(), fresh.map(([f]) => f).sort(), 'every file cached');
    const second = cachedEqualsFresh(dir);
    assert.equal(second.hits, total, 'every file from the cache');
    assert.equal(second.recorded.length, 0, 'every chunk posted as stored');
    assert.equal(readWith(dir, true).chunks, Math.ceil(total / CHUNK));
    assert.equal(second.changed, false, 'nothing to write again');
    // a problem (malformed file) is cached as it was read
    assert.ok(cachedList(dir).some((f) => f.endsWith('req_broken.yml')));
  });

  it("a cached stamp within RACY_MS of the cache file's own mtime (the file system's clock) is not trusted: read again", () => {
    const dir = repo('fsclock');
    cachedEqualsFresh(dir); // writes the cache, long after the files changed
    const total = readWith(dir, false).files.length;
    assert.equal(cachedEqualsFresh(dir).hits, total, 'trusted while the cache was written well after them');
    // the file system said the cache was written 1 s after the files' mtime: a server clock behind this machine's,
    // where a file changed again within the same second keeps its stamp
    utimesSync(legacyCacheFile(dir)!, 1_700_000_001, 1_700_000_001);
    assert.equal(cachedEqualsFresh(dir).hits, 0, 'every file read again');
  });

  it('a file rewritten in place with the same size and mtime is read again (its ctime changed)', () => {
    const dir = repo('inplace');
    cachedEqualsFresh(dir);
    const total = cachedList(dir).length;
    const file = path.join(dir, 'Request', 'req_cache3.yml');
    const before = statSync(file);
    rewriteInPlace(file, requestYaml('req_cache3', 1));
    const after = statSync(file);
    assert.equal(after.size, before.size);
    assert.equal(after.mtimeMs, before.mtimeMs);
    assert.equal(after.ino, before.ino);
    const cache = cachedEqualsFresh(dir);
    const state = readWith(dir, true).files.find(([f]) => f === file)![1];
    assert.equal((state.entry?.model as { name?: string }).name, 'version 00001');
    assert.equal(cache.hits, total - 1, 'the others from the cache');
    assert.ok(cache.recorded.length > 0 && cache.recorded.length < CHUNK, 'the rest of its chunk taken one by one, the other chunks as stored');
    assert.ok(!cachedList(dir).includes(file), 'racy: not cached');
    assert.equal(cachedList(dir).length, total - 1);
  });

  it('a file replaced by another (same size, same mtime, another inode) is read again', () => {
    const dir = repo('replaced');
    cachedEqualsFresh(dir);
    const file = path.join(dir, 'Request', 'req_cache5.yml');
    replaceKeepingTimes(file, requestYaml('req_cache5', 2));
    cachedEqualsFresh(dir);
    assert.equal((readWith(dir, true).files.find(([f]) => f === file)![1].entry?.model as { name?: string }).name, 'version 00002');
    assert.ok(!cachedList(dir).includes(file), 'racy: not cached');
  });

  it('files added, deleted and racy: the read is the fresh one; racy files are left out of the cache', () => {
    const dir = repo('changes');
    cachedEqualsFresh(dir);
    const total = cachedList(dir).length;
    const added = path.join(dir, 'Request', 'req_added.yml');
    writeFileSync(added, requestYaml('req_added', 0));
    unlinkSync(path.join(dir, 'Request', 'req_cache7.yml'));
    unlinkSync(path.join(dir, 'Request', 'req_cache8.yml'));
    const second = cachedEqualsFresh(dir);
    assert.equal(second.hits, total - 2);
    assert.ok(!cachedList(dir).includes(added), 'the file just written is racy: not cached');
    assert.equal(cachedList(dir).length, total - 2);
    // as the clock moves past the racy window (an injected clock), it is cached
    const later = cachedEqualsFresh(dir, { bundle: BUNDLE, now: Date.now() + RACY_MS + 1000 });
    assert.ok(cachedList(dir).includes(added));
    assert.equal(later.hits, total - 2);
    // the file system's clock moved on as well (the next read checks the cache file's mtime against the same window)
    const moved = (Date.now() + RACY_MS + 1000) / 1000;
    utimesSync(legacyCacheFile(dir)!, moved, moved);
    const fourth = cachedEqualsFresh(dir, { bundle: BUNDLE, now: Date.now() + RACY_MS + 1000 });
    assert.equal(fourth.hits, total - 1);
    assert.equal(fourth.changed, false);
  });

  it('a corrupt, truncated, foreign-format, other-folder or altered cache is ignored, and replaced', () => {
    const dir = repo('corrupt');
    const file = legacyCacheFile(dir)!;
    cachedEqualsFresh(dir);
    const good = readFileSync(file);
    const total = cachedEqualsFresh(dir).hits;
    assert.ok(total > 0);
    const { header, chunks } = readCache(file);
    const variant = (h: Partial<CacheHeader>, c: readonly CachedChunk[] = chunks) => {
      writeCache(file, { ...header, ...h }, c);
      return readFileSync(file);
    };
    const flipped = Buffer.from(good);
    flipped[flipped.length - 20] ^= 1;
    const variants: [string, Buffer][] = [
      ['garbage', Buffer.from('not a cache at all')],
      ['empty', Buffer.alloc(0)],
      ['a header longer than the file', Buffer.from([255, 255, 0, 0, 1, 2, 3])],
      ['truncated', good.subarray(0, Math.floor(good.length / 2))],
      ['a byte of the body changed', flipped],
      ['another format', variant({ format: LEGACY_CACHE_FORMAT + 1 })],
      ['another folder', variant({ dir: path.join(base, 'elsewhere', '.insomnia') })],
      ['another share', variant({ parts: 2 })],
      ['stamps that do not match the files', variant({ stamps: header.stamps.slice(5) })],
      ['chunks that do not hold the files', variant({ chunkEnds: header.chunkEnds.map((e) => e - 1) })],
    ];
    for (const [what, bytes] of variants) {
      writeFileSync(file, bytes);
      const cache = cachedEqualsFresh(dir);
      assert.equal(cache.hits, 0, `${what}: ignored`);
      assert.equal(cachedEqualsFresh(dir).hits, total, `${what}: replaced by a good one`);
    }
  });

  it('a cache written by another worker bundle is not trusted', () => {
    const dir = repo('bundle');
    cachedEqualsFresh(dir);
    const total = cachedEqualsFresh(dir).hits;
    assert.ok(total > 0);
    const other = cachedEqualsFresh(dir, { bundle: { ...BUNDLE, mtimeMs: BUNDLE.mtimeMs + 1 } });
    assert.equal(other.hits, 0, 'another mtime: ignored');
    assert.equal(cachedEqualsFresh(dir, { bundle: { ...BUNDLE, mtimeMs: BUNDLE.mtimeMs + 1 } }).hits, total, 'and replaced');
    assert.equal(cachedEqualsFresh(dir, { bundle: { ...BUNDLE, size: BUNDLE.size + 1, mtimeMs: BUNDLE.mtimeMs + 1 } }).hits, 0, 'another size: ignored');
  });

  it('writes only inside .git/hammock: git status and git fsck stay clean, the working tree untouched', () => {
    const root = repos.get('git')!;
    const dir = repo('git');
    const tree = worktreeSnapshot(root);
    cachedEqualsFresh(dir);
    cachedEqualsFresh(dir);
    assert.deepEqual(worktreeSnapshot(root), tree, 'nothing written outside .git');
    const cacheFile = legacyCacheFile(dir)!;
    assert.equal(path.dirname(cacheFile), path.join(root, '.git', 'hammock'));
    assert.deepEqual(readdirSync(path.join(root, '.git', 'hammock')), [path.basename(cacheFile)], 'one cache file, no temporary left');
    assert.equal(git(root, 'status', '--porcelain', '--untracked-files=all', '--ignored'), '');
    assert.equal(git(root, 'fsck', '--strict', '--no-progress'), '');
  });

  it('a linked worktree keeps its cache in its own git directory (.git file\'s gitdir:)', () => {
    const root = repos.get('linked')!;
    const dir = path.join(root, '.insomnia');
    const first = cachedEqualsFresh(dir);
    const gitDir = git(root, 'rev-parse', '--absolute-git-dir').trim();
    assert.equal(path.dirname(first.file), path.join(gitDir, 'hammock'));
    assert.notEqual(gitDir, path.join(repos.get('worktree')!, '.git'));
    assert.equal(cachedEqualsFresh(dir).hits, first.recorded.length);
    assert.equal(git(root, 'status', '--porcelain', '--untracked-files=all', '--ignored'), '');
    assert.equal(git(repos.get('worktree')!, 'fsck', '--strict', '--no-progress'), '');
  });

  it('the cache is written after `done`, the thread first given the least priority, and only when it changed', () => {
    const dir = repo('idle');
    const file = legacyCacheFile(dir)!;
    const events: string[] = [];
    const read = (): void => {
      readShare({ dir, part: 0, parts: 1, batch: 16, cache: true }, (m) => {
        if (m.kind === 'done') events.push('done');
      }, { bundle: BUNDLE, idle: () => events.push(existsSync(file) ? 'idle (written)' : 'idle') });
    };
    read();
    assert.deepEqual(events, ['done', 'idle'], 'lowered after done, before the write');
    assert.ok(existsSync(file), 'then written');
    events.length = 0;
    read();
    assert.deepEqual(events, ['done'], 'nothing to write: the priority left as it is');
  });

  it('lowerThreadPriority lowers the calling worker thread alone (Linux), and never a main thread', async () => {
    const before = os.getPriority(0);
    assert.equal(lowerThreadPriority(), false, 'not on the main thread');
    assert.equal(os.getPriority(0), before);
    const worker = new Worker(
      `const os = require('node:os'); const { parentPort } = require('node:worker_threads');
       const { lowerThreadPriority } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/collections/threadCpu.ts'))});
       const lowered = lowerThreadPriority();
       parentPort.postMessage({ lowered, own: os.getPriority(0) });`,
      { eval: true, execArgv: ['--require', 'tsx/cjs'] },
    );
    const got = await new Promise<{ lowered: boolean; own: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    if (process.platform === 'linux') {
      assert.deepEqual(got, { lowered: true, own: 19 });
    } else {
      assert.equal(got.lowered, false);
    }
    assert.equal(os.getPriority(0), before, "this thread's priority unchanged");
    assert.equal(os.getPriority(process.pid), before, "the process's unchanged");
  });

  it('a folder with no git directory beside it has no cache (nothing written)', () => {
    const root = repos.get('nogit')!;
    const dir = repo('nogit');
    const tree = worktreeSnapshot(root);
    assert.equal(legacyCacheFile(dir), undefined);
    const cached = readWith(dir, true);
    assert.equal(cached.cache, undefined);
    assert.deepStrictEqual(cached.files, readWith(dir, false).files);
    assert.deepEqual(worktreeSnapshot(root), tree);
  });

  for (const workers of [1, 2]) {
    it(`${workers} worker thread(s) (cache on) write the cache after the read and post from it on the next`, async () => {
      const dir = repo(`worker${workers}`);
      const exited: Promise<unknown>[] = [];
      const options = { file: WORKER, execArgv: ['--require', 'tsx/cjs'], workers, batch: 16, cache: true, onWorker: (w: Worker) => exited.push(new Promise((r) => w.once('exit', r))) };
      const cacheFiles = Array.from({ length: workers }, (_, part) => legacyCacheFile(dir, part, workers)!);
      // the states as the host has them (the assembly of the folder fills their models in): a read without the cache
      const plain = await readLegacyFolderInWorkers(dir, { ...options, cache: false });
      await Promise.all(exited.splice(0));
      assert.ok(!cacheFiles.some((f) => existsSync(f)), 'no cache without the option');
      const fresh = [...plain.files];
      const first = await readLegacyFolderInWorkers(dir, options);
      await Promise.all(exited.splice(0)); // the cache is written after `done`
      assert.deepStrictEqual([...first.files], fresh);
      assert.equal(first.fromCache, 0);
      // each worker wrote its share's cache for its own bundle (the .ts entry here): doctor one cached state, keeping
      // its stamp, to see that the next read takes it from the cache and not from the disk
      const doctored = path.join(dir, 'Request', 'req_cache2.yml');
      let found = 0;
      for (const file of cacheFiles) {
        const { header, chunks } = readCache(file);
        assert.deepEqual(header.bundle, bundleIdentity(WORKER));
        const chunk = chunks.find((c) => c.files.includes(doctored));
        if (!chunk) continue;
        found++;
        (chunk.packed.models[chunk.files.indexOf(doctored)] as { name: string }).name = 'from the cache';
        writeCache(file, header, chunks);
      }
      assert.equal(found, 1, 'in one share');
      const second = await readLegacyFolderInWorkers(dir, options);
      await Promise.all(exited.splice(0));
      assert.equal((second.files.get(doctored)!.entry!.model as { name: string }).name, 'from the cache');
      assert.equal(second.fromCache, fresh.length, 'every file from the cache');
      // each worker's span, on this thread's clock (within a few ms: two threads' time origins), inside the read's
      assert.equal(second.workerSpans.length, workers);
      // and how long each worker's thread waited for a core (the machine's contention), where the platform tells
      if (process.platform === 'linux') {
        assert.equal(second.workerWaitMs.length, workers);
        for (const w of second.workerWaitMs) assert.ok(w >= 0, String(w));
      }
      for (const w of second.workerSpans) assert.ok(second.startedAt - 20 <= w.from && w.from <= w.to && w.to <= second.doneAt + 20, JSON.stringify({ ...w, startedAt: second.startedAt, doneAt: second.doneAt }));
      assert.deepStrictEqual([...second.files].filter(([f]) => f !== doctored), fresh.filter(([f]) => f !== doctored));
      // without the option, the cache is not read
      const again = await readLegacyFolderInWorkers(dir, { ...options, cache: false });
      await Promise.all(exited.splice(0));
      assert.deepStrictEqual([...again.files], fresh);
      if (workers === 2) {
        // a request added and one removed (a pull that brings one and drops one): every other file stays in its
        // worker's share, so its own cache still has it (shares by position moved most files to the other cache)
        writeFileSync(path.join(dir, 'Request', 'req_0000added.yml'), requestYaml('req_0000added', 0));
        unlinkSync(path.join(dir, 'Request', 'req_cache5.yml'));
        const shifted = await readLegacyFolderInWorkers(dir, options);
        await Promise.all(exited.splice(0));
        assert.equal(shifted.fromCache, fresh.length - 1, 'every file there before, but the removed one, from the cache');
        assert.equal(shifted.files.size, fresh.length);
      }
    });
  }

  it('a chunk that does not hold what the header says is not taken by the host: its files are read there', async () => {
    const dir = repo('badchunk');
    const exited: Promise<unknown>[] = [];
    const options = { file: WORKER, execArgv: ['--require', 'tsx/cjs'], batch: 16, cache: true, onWorker: (w: Worker) => exited.push(new Promise((r) => w.once('exit', r))) };
    const plain = await readLegacyFolderInWorkers(dir, { ...options, cache: false });
    await Promise.all(exited.splice(0));
    // a cache for the worker's own bundle whose header and sha1 fit, its only chunk holding something else
    readWith(dir, true, { bundle: bundleIdentity(WORKER) });
    const file = legacyCacheFile(dir)!;
    const { header, chunks } = readCache(file);
    assert.equal(chunks.length, 1);
    writeCache(file, header, [{ files: ['elsewhere.yml'], packed: { ...chunks[0]!.packed, kinds: new Uint8Array(1) } }]);
    const read = await readLegacyFolderInWorkers(dir, options);
    await Promise.all(exited.splice(0));
    assert.equal(read.onThread, plain.files.size, 'read on the host thread');
    assert.deepStrictEqual([...read.files.keys()], [...plain.files.keys()]);
    assert.deepStrictEqual([...read.files], readWith(dir, false).files, 'the states a fresh read gives');
  });

  it('the store loaded through cached workers has the in-thread load\'s model, and edits as usual', async () => {
    const root = repos.get('store')!;
    const dir = repo('store');
    const exited: Promise<unknown>[] = [];
    const legacyWorker = { file: WORKER, execArgv: ['--require', 'tsx/cjs'], batch: 16, cache: true, onWorker: (w: Worker) => exited.push(new Promise((r) => w.once('exit', r))) };
    const plain = new CollectionStore([root]);
    await plain.reload();
    let written = 0;
    for (const round of ['no cache yet', 'every file from the cache']) {
      const store = new CollectionStore([root], { legacyWorker });
      await store.reload();
      await Promise.all(exited.splice(0));
      const stamp = statSync(legacyCacheFile(dir)!).mtimeMs;
      // the second load found every file as cached: nothing to write again
      if (written) assert.equal(stamp, written, 'the cache was not written again');
      written = stamp;
      assert.deepEqual(store.collections, plain.collections, round);
      assert.deepEqual(store.problems, plain.problems, round);
      store.dispose();
    }
    // an edit after a cached load writes the one file; the next cached load has it (the file is racy: read again)
    const store = new CollectionStore([root], { legacyWorker });
    await store.reload();
    await Promise.all(exited.splice(0));
    await store.apply(store.collections[0]!, { kind: 'rename', id: 'req_cache4', name: 'renamed 4' });
    assert.match(readFileSync(path.join(dir, 'Request', 'req_cache4.yml'), 'utf8'), /^name: renamed 4$/m);
    store.dispose();
    const after = new CollectionStore([root], { legacyWorker });
    await after.reload();
    await Promise.all(exited.splice(0));
    const located = after.locate(dir, 'req_cache4');
    assert.equal(located?.kind === 'item' && located.item.name, 'renamed 4');
    await plain.reload();
    assert.deepEqual(after.collections, plain.collections);
    after.dispose();
    plain.dispose();
  });

  it('random edits, replacements, additions, deletions and utimes between reads: the cached read is the fresh one (fast-check, seeded)', () => {
    const dir = repo('model');
    const requests = path.join(dir, 'Request');
    let version = 10;
    let added = 0;
    let hits = 0;
    const op = fc.oneof(
      fc.record({ kind: fc.constantFrom('inplace', 'replace', 'touch', 'utimesBack', 'delete', 'malformed', 'grow'), pick: fc.nat() }),
      fc.record({ kind: fc.constant('add'), pick: fc.nat() }),
    );
    const listed = () => readdirSync(requests).filter((n) => n.endsWith('.yml')).sort();
    cachedEqualsFresh(dir);
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 4 }), { minLength: 1, maxLength: 4 }), (rounds) => {
        for (const ops of rounds) {
          for (const { kind, pick } of ops) {
            const names = listed();
            const name = names[pick % names.length]!;
            const file = path.join(requests, name);
            const id = name.replace(/\.yml$/, '');
            if (kind === 'add') {
              const n = added++;
              writeFileSync(path.join(requests, `req_new${n}.yml`), requestYaml(`req_new${n}`, version++));
            }
            else if (kind === 'inplace') rewriteInPlace(file, requestYaml(id, version++).slice(0, statSync(file).size).padEnd(statSync(file).size, ' '));
            else if (kind === 'replace') replaceKeepingTimes(file, requestYaml(id, version++));
            else if (kind === 'touch') utimesSync(file, new Date(), new Date());
            else if (kind === 'utimesBack') utimesSync(file, new Date(1_600_000_000_000), new Date(1_600_000_000_000));
            else if (kind === 'delete' && names.length > 20) unlinkSync(file);
            else if (kind === 'malformed') writeFileSync(file, `_id: ${id}\nname: [broken ${version++}\n`);
            else if (kind === 'grow') writeFileSync(file, `${requestYaml(id, version++)}description: grown\n`);
          }
          hits += cachedEqualsFresh(dir).hits;
        }
      }),
      { seed: 20261206, numRuns: 15 },
    );
    assert.ok(hits > 0, 'the cache answered');
  });
});
