import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadWorkspace } from '../../../src/collections/scan';
import { ensureLegacyRepo, ensureV5Collection, type GenerateOptions } from '../../../bench/generate';
import {
  checkSnapshot,
  readParseLegacyAsync,
  readParseLegacySync,
  readParseV5Async,
  readParseV5Sync,
} from '../../../bench/load.bench';

const SMALL: GenerateOptions = { requests: 300, folders: 40, environments: 4, seed: 11 };

describe('bench/load', () => {
  let dir: string;
  before(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-load-'));
  });
  after(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('generated legacy data loads into the model with exactly the generated counts and no problems', async () => {
    const root = await ensureLegacyRepo(dir, SMALL);
    const snapshot = await loadWorkspace(root);
    checkSnapshot(snapshot, SMALL);
    assert.throws(() => checkSnapshot(snapshot, { ...SMALL, requests: 301 }), /counted/);
  });

  it('generated v5 data loads into the model with exactly the generated counts and no problems', async () => {
    const root = await ensureV5Collection(dir, SMALL);
    const snapshot = await loadWorkspace(root);
    checkSnapshot(snapshot, SMALL);
    assert.equal(snapshot.collections[0]!.format, 'v5');
    assert.throws(() => checkSnapshot({ ...snapshot, collections: [] }, SMALL), /expected 1 collection/);
  });

  it('the baselines read and parse every file of the data set', async () => {
    const legacy = await ensureLegacyRepo(dir, SMALL);
    const files = 1 + SMALL.requests + SMALL.folders + SMALL.environments;
    const sync = readParseLegacySync(legacy) as { _id: string }[];
    assert.equal(sync.length, files);
    assert.ok(sync.every((d) => typeof d._id === 'string'));
    assert.deepEqual(((await readParseLegacyAsync(legacy)) as { _id: string }[]).map((d) => d._id).sort(), sync.map((d) => d._id).sort());

    const v5 = await ensureV5Collection(dir, SMALL);
    const [doc] = readParseV5Sync(v5) as { type: string }[];
    assert.equal(doc!.type, 'collection.insomnia.rest/5.0');
    assert.deepEqual(await readParseV5Async(v5), [doc]);
  });
});
