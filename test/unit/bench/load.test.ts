import * as jsYaml from 'js-yaml';
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

  it('the baselines read and parse every file of the data set, and keep nothing but a count', async () => {
    const legacy = await ensureLegacyRepo(dir, SMALL);
    // every document's top-level keys, counted from a full parse here
    let expected = 0;
    for (const type of await fsp.readdir(path.join(legacy, '.insomnia'))) {
      for (const name of await fsp.readdir(path.join(legacy, '.insomnia', type))) {
        expected += Object.keys(jsYaml.load(await fsp.readFile(path.join(legacy, '.insomnia', type, name), 'utf8')) as object).length;
      }
    }
    assert.ok(expected > SMALL.requests * 5);
    assert.equal(readParseLegacySync(legacy), expected);
    assert.equal(await readParseLegacyAsync(legacy), expected);

    const v5 = await ensureV5Collection(dir, SMALL);
    const v5Keys = Object.keys(jsYaml.load(await fsp.readFile(path.join(v5, (await fsp.readdir(v5))[0]!), 'utf8')) as object).length;
    assert.equal(readParseV5Sync(v5), v5Keys);
    assert.equal(await readParseV5Async(v5), v5Keys);
  });
});
