import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { commitFiles, gitCli, initRepo, legacySeed, requestYaml, TempDirs, sourceStatusWorker } from './gitTestRepos';

// A user runs `git gc` in a terminal while Hammock has the repository open: the packs and loose objects its client
// (and status worker) read before are deleted and replaced by one new pack. Every later operation of the same
// client must read the new pack: status, history, a file at a ref, stage, commit, branch and checkout, with the git
// CLI and fsck agreeing.
describe('an outside git gc between operations', function () {
  this.timeout(60000);
  const tmp = new TempDirs();
  after(() => tmp.cleanup());
  for (const withWorker of [false, true]) it(`the same client reads the repacked objects (${withWorker ? 'status in its worker' : 'status in process'})`, async () => {
    const dir = initRepo(tmp.make(), legacySeed(20));
    for (let i = 0; i < 5; i++) { commitFiles(dir, { [`.insomnia/Request/req_x${i}.yml`]: requestYaml(`req_x${i}`, `X ${i}`) }, `c${i}`); gitCli(dir, 'repack', '-dq'); }
    const w = withWorker ? sourceStatusWorker() : undefined;
    const client = new GitClient(dir, { statusWorker: w });
    try {
      await client.status();
      const h1 = await client.history({ depth: 50 });
      const f1 = await client.readFile('.insomnia/Request/req_x1.yml', { ref: gitCli(dir, 'rev-parse', 'HEAD~2') });
      gitCli(dir, 'gc', '-q', '--prune=now', '--aggressive');
      // every pack and loose object the client may have open or cached is gone: one new pack holds everything
      assert.strictEqual(fs.readdirSync(path.join(dir, '.git/objects/pack')).filter((f) => f.endsWith('.pack')).length, 1);
      fs.writeFileSync(path.join(dir, '.insomnia/Request/req_x2.yml'), requestYaml('req_x2', 'Changed'));
      const st = await client.status();
      assert.deepStrictEqual(st.changes.map((c) => c.path), ['.insomnia/Request/req_x2.yml']);
      const h2 = await client.history({ depth: 50 });
      assert.strictEqual(h2.length, h1.length);
      const f2 = await client.readFile('.insomnia/Request/req_x1.yml', { ref: gitCli(dir, 'rev-parse', 'HEAD~2') });
      assert.ok(f1 && f2 && f1.equals(f2));
      await client.stage(['.insomnia/Request/req_x2.yml']);
      await client.commit('after gc');
      assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '');
      assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling'), '');
      gitCli(dir, 'gc', '-q', '--prune=now');
      await client.checkout('main');
      await client.createBranch('b2', { checkout: true });
      fs.writeFileSync(path.join(dir, '.insomnia/Request/req_x3.yml'), requestYaml('req_x3', 'Changed3'));
      await client.stage(['.insomnia/Request/req_x3.yml']);
      await client.commit('on b2');
      gitCli(dir, 'gc', '-q', '--prune=now');
      await client.checkout('main');
      assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '');
      assert.deepStrictEqual((await client.status()).changes, []);
    } finally { w?.dispose(); }
  });
});
