// PackReader against `git cat-file`: every object of a packed repository (with long delta chains) reads back
// byte for byte with its type.

import * as assert from 'assert';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { PackReader } from '../../../src/git/packReader';
import { commitFiles, gitCli, initRepo, legacySeed, requestYaml, TempDirs } from './gitTestRepos';

describe('PackReader', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  it('reads every packed object (ofs-deltas, deep chains) exactly as git does', () => {
    const dir = initRepo(tmp.make(), legacySeed(20));
    for (let i = 0; i < 15; i++) {
      commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', `Version ${i}`, `https://example.com/v/${i}`, `description: "${'x'.repeat(i * 50)}"`) }, `v${i}`);
    }
    gitCli(dir, 'repack', '-adfq', '--depth=50', '--window=50');
    const reader = PackReader.open(path.join(dir, '.git'));
    const oids = gitCli(dir, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype) %(deltabase)')
      .split('\n')
      .map((l) => l.split(' '));
    assert.ok(oids.length > 50);
    assert.ok(
      oids.some(([, , base]) => base !== '0000000000000000000000000000000000000000'),
      'the pack holds deltas',
    );
    assert.strictEqual(reader.size, oids.length);
    for (const [oid, type] of oids) {
      const obj = reader.read(oid);
      assert.ok(obj, oid);
      assert.strictEqual(obj.type, type);
      const expected = execFileSync('git', ['cat-file', type, oid], { cwd: dir });
      assert.ok(obj.data.equals(expected), `${type} ${oid}`);
    }
    assert.strictEqual(reader.read('0'.repeat(40)), undefined);
  });
});
