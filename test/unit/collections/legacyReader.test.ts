// The legacy read worker (collections/legacyWorker.ts, legacyReader.ts): a `.insomnia` folder read in worker threads
// gives exactly what the in-thread read gives (states, order, problems), a worker that dies or cannot start costs no
// file, and a read started ahead of the store is checked against the disk after the store's first load.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { LegacyFileState } from '../../../src/collections/fileState';
import { legacyDataFiles, packStates, readLegacyFile, unpackStates } from '../../../src/collections/legacyFiles';
import { LegacyReadAhead, readLegacyFolderInWorkers, type LegacyWorkerOptions } from '../../../src/collections/legacyReader';
import { assembleLegacyFolder, finishLegacyAssembly } from '../../../src/collections/scan';
import { Slicer } from '../../../src/collections/slicer';
import { CollectionStore, type StoreChange } from '../../../src/collections/store';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const WORKER = path.resolve(__dirname, '../../../src/collections/legacyWorker.ts');
const TSX = ['--require', 'tsx/cjs'];
const FOLDER_ID = 'fld_fb696016751840aa9094c3d3d3611dfc';

/** The worker from its TypeScript source (tsx), as these tests run it. */
function sourceWorker(extra: Partial<LegacyWorkerOptions> = {}): LegacyWorkerOptions {
  return { file: WORKER, execArgv: TSX, ...extra };
}

/** The in-thread read scan.ts does: the reference every worker read must equal. */
function readHere(dir: string): Map<string, LegacyFileState> {
  const files = new Map<string, LegacyFileState>();
  for (const { folder, file } of legacyDataFiles(dir)) {
    const state = readLegacyFile(file, folder);
    if (state) files.set(file, state);
  }
  return files;
}

function requestYaml(i: number): string {
  const id = `req_gen${String(i).padStart(4, '0')}`;
  return [
    `_id: ${id}`,
    'type: Request',
    `parentId: ${FOLDER_ID}`,
    `name: generated ${i}`,
    'method: POST',
    `url: https://example.test/items/${i}?q=${i}`,
    'headers:',
    '  - name: Accept',
    '    value: application/json',
    `metaSortKey: -${1000 + i}`,
    `created: ${1700000000000 + i}`,
    '',
  ].join('\n');
}

describe('legacy read worker', function () {
  this.timeout(60_000);
  let root: string;
  let dir: string;

  beforeEach(async () => {
    root = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-legacy-worker-'));
    dir = path.join(root, '.insomnia');
    await fsp.cp(path.join(FIXTURES, 'legacy/kong-demo-with-tests/.insomnia'), dir, { recursive: true });
    for (const e of await fsp.readdir(dir, { recursive: true })) await fsp.chmod(path.join(dir, e), 0o755);
    // enough files for several batches per worker
    await Promise.all(Array.from({ length: 120 }, (_, i) => fsp.writeFile(path.join(dir, 'Request', `req_gen${String(i).padStart(4, '0')}.yml`), requestYaml(i))));
  });

  afterEach(async () => {
    await fsp.rm(root, { recursive: true, force: true });
  });

  for (const workers of [1, 2]) {
    it(`reads a folder in ${workers} worker(s) to exactly the in-thread read: every state, in the listing's order`, async () => {
      const read = await readLegacyFolderInWorkers(dir, sourceWorker({ workers, batch: 16 }));
      const here = readHere(dir);
      assert.equal(read.onThread, 0, 'nothing left to this thread');
      assert.equal(read.fromWorkers, here.size);
      assert.deepEqual([...read.files.keys()], [...here.keys()]);
      // the collections were assembled as the batches came in: finished, what assembling the files read here gives
      assert.ok(read.assembly, 'the whole folder came from the workers: its assembly with it');
      assert.equal(read.assembly.count, here.size);
      const expected = await assembleLegacyFolder(dir, here);
      assert.deepEqual(await finishLegacyAssembly(read.assembly, new Slicer(undefined, 10)), expected);
      assert.deepEqual([...read.files.values()], [...here.values()]);
    });
  }

  it('packs states for posting and unpacks them, through a structured clone, to exactly the states read here', async () => {
    const broken = path.join(dir, 'Request', 'req_gen0003.yml');
    await fsp.writeFile(broken, 'name: [unclosed\n_id: x\n');
    const here = [...readHere(dir)];
    assert.ok(here.length > 100 && here.some(([, s]) => s.problem) && here.some(([, s]) => !s.entry?.model));
    const files = [...here.map(([f]) => f), path.join(dir, 'Request', 'gone.yml'), path.join(dir, 'Request', 'unreadable.yml'), path.join(dir, 'Request', 'hashed.yml')];
    const fresh = (): (LegacyFileState | null)[] => {
      const first = readHere(dir).get(here[0]![0])!;
      return [
        ...readHere(dir).values(),
        null,
        // what readLegacyFile gives for a file it cannot read (no `hash` key), and a state with a hash (the store's own)
        { stamp: { size: -1, mtimeMs: 0, ctimeMs: 0, ino: 0, dev: 0 }, problem: { file: files[here.length + 1]!, line: 0, column: 0, message: 'Cannot read: EACCES', severity: 'error' } },
        { stamp: first.stamp, hash: 'da39a3ee5e6b4b0d3255bfef95601890afd80709', entry: { ...first.entry!, file: files[here.length + 2]! } },
      ];
    };
    const unpacked = unpackStates(files, structuredClone(packStates(files, fresh())));
    const expected = fresh();
    assert.deepStrictEqual(unpacked, expected);
    // every key as the read gave it, in its order
    unpacked.forEach((s, i) => {
      const e = expected[i];
      assert.deepEqual(s && Object.keys(s), e && Object.keys(e));
      if (s?.entry) assert.deepEqual(Object.keys(s.entry), Object.keys(e!.entry!));
      if (s?.entry?.model) assert.deepEqual(Object.keys(s.entry.model), Object.keys(e!.entry!.model!));
    });
  });

  it('reports a malformed file as its problem while the rest loads', async () => {
    const broken = path.join(dir, 'Request', 'req_gen0007.yml');
    await fsp.writeFile(broken, 'name: [unclosed\n_id: x\n');
    const read = await readLegacyFolderInWorkers(dir, sourceWorker({ workers: 2, batch: 16 }));
    const state = read.files.get(broken);
    assert.ok(state?.problem, 'the broken file has a problem');
    assert.equal(state.entry, undefined);
    assert.equal(state.problem.severity, 'error');
    assert.equal(state.problem.file, broken);
    assert.deepEqual(state, readHere(dir).get(broken));
    assert.equal([...read.files.values()].filter((s) => s.entry).length, read.files.size - 1);

    // and through the store: the problem is listed, every other request is in the tree
    const store = new CollectionStore([root], { legacyWorker: sourceWorker({ workers: 2, batch: 16 }) });
    await store.reload();
    assert.ok(store.problems.some((p) => p.file === broken && p.severity === 'error'));
    const located = store.locate(dir, 'req_gen0008');
    assert.equal(located?.kind === 'item' && located.item.name, 'generated 8');
    assert.equal(store.locate(dir, 'req_gen0007'), undefined);
  });

  it('loses no file when a worker dies mid-read: what it did not deliver is read on this thread', async () => {
    // a worker that lists the folder, delivers one file, and exits with an error
    const dying = path.join(root, 'dyingWorker.js');
    await fsp.writeFile(dying, [
      "const { parentPort, workerData } = require('node:worker_threads');",
      `const { legacyDataFiles, packStates, readLegacyFile } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/collections/legacyFiles.ts'))});`,
      'const listing = legacyDataFiles(workerData.dir);',
      "parentPort.postMessage({ kind: 'listed', total: listing.length });",
      'const first = listing[workerData.part];',
      "parentPort.postMessage({ kind: 'batch', indexes: [workerData.part], files: [first.file], packed: packStates([first.file], [readLegacyFile(first.file, first.folder)]) });",
      'process.exit(3);',
    ].join('\n'));
    const here = readHere(dir);
    const read = await readLegacyFolderInWorkers(dir, { file: dying, execArgv: TSX, workers: 2 }, new Slicer(undefined, 10));
    assert.equal(read.fromWorkers, 2, 'each worker delivered one file');
    assert.equal(read.onThread, here.size - 2);
    assert.equal(read.assembly, undefined, 'a folder read partly here is assembled by the caller');
    assert.deepEqual([...read.files.keys()], [...here.keys()]);
    assert.deepEqual([...read.files.values()], [...here.values()]);
  });

  it('a worker that dies after most of the folder was assembled: the store\'s model is the in-thread load\'s', async () => {
    // every file but the last, in one batch (the eager assembly links the folders' children), then an exit
    const dying = path.join(root, 'dyingLateWorker.js');
    await fsp.writeFile(dying, [
      "const { parentPort, workerData } = require('node:worker_threads');",
      `const { legacyDataFiles, packStates, readLegacyFile } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/collections/legacyFiles.ts'))});`,
      'const listing = legacyDataFiles(workerData.dir);',
      "parentPort.postMessage({ kind: 'listed', total: listing.length });",
      'const mine = listing.map((f, i) => ({ ...f, i })).filter((f) => f.i % workerData.parts === workerData.part).slice(0, -1);',
      'const files = mine.map((f) => f.file);',
      "parentPort.postMessage({ kind: 'batch', indexes: mine.map((f) => f.i), files, packed: packStates(files, mine.map((f) => readLegacyFile(f.file, f.folder))) });",
      'process.exit(3);',
    ].join('\n'));
    const plain = new CollectionStore([root]);
    await plain.reload();
    for (const workers of [1, 2]) {
      const viaWorkers = new CollectionStore([root], { legacyWorker: { file: dying, execArgv: TSX, workers } });
      await viaWorkers.reload();
      assert.deepEqual(viaWorkers.collections, plain.collections, `${workers} worker(s)`);
      assert.deepEqual(viaWorkers.problems, plain.problems);
      const folder = viaWorkers.locate(dir, FOLDER_ID);
      assert.equal(folder?.kind === 'item' && folder.item.kind === 'folder' && folder.item.children.length, 120 + 5, 'each child once');
    }
  });

  it('loses no file when a worker is killed, or cannot start at all', async () => {
    const here = readHere(dir);
    const killed: Worker[] = [];
    const read = await readLegacyFolderInWorkers(dir, sourceWorker({
      workers: 2,
      batch: 8,
      onWorker: (w, part) => {
        if (part === 1) w.once('online', () => void w.terminate().then(() => killed.push(w)));
      },
    }));
    assert.equal(killed.length, 1);
    assert.deepEqual([...read.files.keys()], [...here.keys()]);
    assert.deepEqual([...read.files.values()], [...here.values()]);

    const missing = await readLegacyFolderInWorkers(dir, { file: path.join(root, 'no-such-worker.js') });
    assert.equal(missing.fromWorkers, 0);
    assert.equal(missing.onThread, here.size);
    assert.deepEqual([...missing.files.values()], [...here.values()]);
  });

  it('stops when the load is aborted', async () => {
    const abort = new AbortController();
    const read = readLegacyFolderInWorkers(dir, sourceWorker(), new Slicer(abort.signal, 10));
    abort.abort(new Error('stopped'));
    await assert.rejects(read, /stopped/);
  });

  it('loads the store through the workers to the model the in-thread load gives', async () => {
    const plain = new CollectionStore([root]);
    await plain.reload();
    const viaWorkers = new CollectionStore([root], { legacyWorker: sourceWorker({ workers: 2, batch: 16 }) });
    await viaWorkers.reload();
    assert.deepEqual(viaWorkers.collections, plain.collections);
    assert.deepEqual(viaWorkers.problems, plain.problems);
    // an edit after a worker load plans on the model as usual and writes the one file
    const collection = viaWorkers.collections[0]!;
    await viaWorkers.apply(collection, { kind: 'rename', id: 'req_gen0003', name: 'renamed 3' });
    assert.match(await fsp.readFile(path.join(dir, 'Request', 'req_gen0003.yml'), 'utf8'), /^name: renamed 3$/m);
    const located = viaWorkers.locate(dir, 'req_gen0003');
    assert.equal(located?.kind === 'item' && located.item.name, 'renamed 3');
  });

  it('reads the folders of several roots one after another, each to what the in-thread load gives', async () => {
    const second = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-legacy-worker-2-'));
    try {
      await fsp.cp(path.join(FIXTURES, 'legacy/minimal-collection/.insomnia'), path.join(second, '.insomnia'), { recursive: true });
      for (const e of await fsp.readdir(path.join(second, '.insomnia'), { recursive: true })) await fsp.chmod(path.join(second, '.insomnia', e), 0o755);
      const ahead = new LegacyReadAhead(sourceWorker({ workers: 2, batch: 16 }));
      ahead.start(dir);
      ahead.start(path.join(second, '.insomnia'));
      const plain = new CollectionStore([root, second]);
      await plain.reload();
      const viaWorkers = new CollectionStore([root, second], { legacyWorker: sourceWorker({ workers: 2, batch: 16 }), readAhead: ahead });
      await viaWorkers.reload();
      assert.equal(ahead.taken.length, 2, 'both read-aheads were taken');
      assert.ok(ahead.taken[1]!.startedAt >= ahead.taken[0]!.doneAt, 'the second folder was read after the first');
      assert.deepEqual(viaWorkers.collections, plain.collections);
      // a later full load reads both through the workers again, one folder at a time
      await viaWorkers.reload();
      assert.deepEqual(viaWorkers.collections, plain.collections);
    } finally {
      await fsp.rm(second, { recursive: true, force: true });
    }
  });

  it('takes a read started ahead of the store, then reads again a file that changed after it was read', async () => {
    let exited!: () => void;
    const workerGone = new Promise<void>((resolve) => (exited = resolve));
    const ahead = new LegacyReadAhead(sourceWorker({ onWorker: (w) => w.once('exit', () => exited()) }));
    ahead.start(dir);
    await workerGone;
    // changed after the read-ahead read it, before any watcher could tell the store: a new size, a new identity
    const changedFile = path.join(dir, 'Request', 'req_gen0005.yml');
    await fsp.writeFile(changedFile, requestYaml(5).replace('name: generated 5', 'name: changed while VS Code started'));
    const added = path.join(dir, 'Request', 'req_gen0500.yml');
    await fsp.writeFile(added, requestYaml(500));

    const store = new CollectionStore([root], { readAhead: ahead });
    const changes: StoreChange[] = [];
    const caughtUp = new Promise<void>((resolve) => {
      store.onDidChange((c) => {
        changes.push(c);
        const l = store.locate(dir, 'req_gen0005');
        if (l?.kind === 'item' && l.item.name === 'changed while VS Code started' && store.locate(dir, 'req_gen0500')) resolve();
      });
    });
    await store.reload();
    const first = store.locate(dir, 'req_gen0005');
    assert.equal(first?.kind === 'item' && first.item.name, 'generated 5', 'the first load shows what the read-ahead read');
    await caughtUp;
    assert.ok(changes.length >= 2, 'the check after the load told what changed');
    assert.equal(ahead.take(dir), undefined, 'a read-ahead is handed out once');
  });
});
