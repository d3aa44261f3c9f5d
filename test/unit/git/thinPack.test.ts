// Thin packs: a fetch asks for one (as git fetch does) when the remote offers it, so a change to one file of a large
// folder brings that folder's tree as a delta on the tree we have, instead of the whole tree; the pack is stored
// completed with that base (packIndexer.ts, completeThin), so git reads it on its own. Checked against git pull on an
// identical copy (HEAD, remote-tracking ref, index, files, status, reflog), with `git verify-pack` and `git fsck`.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { advertises, askingThinPack } from '../../../src/git/packCapture';
import type { TransferWorkerClient } from '../../../src/git/transferWorkerClient';
import { gitCli, gitCliAsync, initRepo, loopbackGitServer, pullCopies, SERVER_TOKEN, serverAuth, sourceTransferWorker, TempDirs, WORKSPACE_YAML, workingTreeEntries, writeFiles } from './gitTestRepos';

function pkt(line: string): Buffer {
  return Buffer.from((line.length + 4).toString(16).padStart(4, '0') + line, 'latin1');
}

describe('thin packs: asked for, and stored completed', function () {
  this.timeout(180_000);
  const tmp = new TempDirs();
  const server = loopbackGitServer(tmp);
  let worker: TransferWorkerClient;
  before(() => {
    worker = sourceTransferWorker();
  });
  after(() => worker.dispose());

  it('asks for a thin pack on the first want line only, once, when the remote offers it', () => {
    const oid = 'a'.repeat(40);
    const request = Buffer.concat([pkt(`want ${oid} multi_ack_detailed side-band-64k ofs-delta\n`), pkt(`want ${'b'.repeat(40)}\n`), Buffer.from('0000'), pkt(`have ${'c'.repeat(40)}\n`), pkt('done\n')]);
    const asked = askingThinPack(request);
    assert.strictEqual(asked.toString('latin1'), Buffer.concat([pkt(`want ${oid} multi_ack_detailed side-band-64k ofs-delta thin-pack\n`), request.subarray(pkt(`want ${oid} multi_ack_detailed side-band-64k ofs-delta\n`).length)]).toString('latin1'));
    assert.ok(askingThinPack(asked).equals(asked), 'asked once');
    for (const other of [Buffer.alloc(0), Buffer.from('0000'), pkt('done\n'), Buffer.from('zzzz')]) assert.ok(askingThinPack(other).equals(other));

    const advertisement = Buffer.concat([pkt('# service=git-upload-pack\n'), Buffer.from('0000'), pkt(`${oid} HEAD\0multi_ack thin-pack side-band-64k ofs-delta\n`), pkt(`${oid} refs/heads/main\n`), Buffer.from('0000')]);
    assert.ok(advertises(advertisement, 'thin-pack'));
    assert.ok(!advertises(advertisement, 'thin'));
    assert.ok(!advertises(Buffer.concat([pkt('# service=git-upload-pack\n'), Buffer.from('0000'), pkt(`${oid} HEAD\0multi_ack side-band-64k\n`), Buffer.from('0000')]), 'thin-pack'));
  });

  let n = 0;
  for (const via of ['the transfer worker', 'this thread'] as const) {
    it(`a pull of two files, one in a folder of 3,000 (${via}): the bases we had are in the stored pack, the result is git's`, async () => {
      const text = (mark: string): string => Array.from({ length: 100 }, (_, i) => `line ${i}${i === 50 ? mark : ''}`).join('\n') + '\n';
      const seed: Record<string, string> = { '.insomnia/Workspace/wrk_1.yml': WORKSPACE_YAML, 'small/a.txt': text(''), 'small/b.txt': 'b\n' };
      for (let i = 0; i < 3000; i++) seed[`big/file-${String(i).padStart(4, '0')}.txt`] = `${i}\n`;
      const { hammock, cli, other } = await pullCopies(server(), tmp, `thin-${n++}`, initRepo(tmp.make('hammock-thin-seed-'), seed), SERVER_TOKEN, worker);
      writeFiles(other, { 'big/file-0007.txt': 'seven, theirs\n', 'small/a.txt': text(', theirs') });
      gitCli(other, 'commit', '-q', '-am', 'theirs');
      await gitCliAsync(other, 'push', '-q', 'origin', 'main');
      const oldBig = gitCli(hammock.dir, 'rev-parse', 'HEAD:big');
      const oldText = gitCli(hammock.dir, 'rev-parse', 'HEAD:small/a.txt');
      const packDir = path.join(hammock.dir, '.git/objects/pack');
      const before = new Set(fs.readdirSync(packDir));

      const client = new GitClient(hammock.dir, { auth: serverAuth, ...(via === 'the transfer worker' ? { transferWorker: worker } : {}) });
      const result = await client.pull();
      await gitCliAsync(cli, 'pull');

      assert.strictEqual(result.kind, 'fastForward');
      const added = fs.readdirSync(packDir).filter((f) => !before.has(f));
      const idx = added.find((f) => f.endsWith('.idx'));
      assert.ok(idx && added.length === 2, `one pack and its index: ${added.join(', ')}`);
      // git reads the stored pack on its own (every delta's base in it); the trees we had are the thin pack's bases
      const objects = gitCli(hammock.dir, 'verify-pack', '-v', path.join(packDir, idx));
      assert.ok(objects.includes(`${oldBig} tree`), 'the large tree we had was appended (the remote sent a delta on it)');
      assert.ok(objects.includes(`${oldText} blob`), 'the small file we had was appended (compressed)');
      for (const d of [hammock.dir, cli]) assert.strictEqual(gitCli(d, 'fsck', '--full', '--strict', '--no-dangling'), '');
      assert.strictEqual(gitCli(hammock.dir, 'rev-parse', 'HEAD', 'refs/remotes/origin/main'), gitCli(cli, 'rev-parse', 'HEAD', 'refs/remotes/origin/main'));
      assert.strictEqual(gitCli(hammock.dir, 'ls-files', '-s'), gitCli(cli, 'ls-files', '-s'));
      assert.strictEqual(gitCli(hammock.dir, 'status', '--porcelain'), '');
      assert.deepStrictEqual(workingTreeEntries(hammock.dir), workingTreeEntries(cli));
      assert.strictEqual(gitCli(hammock.dir, 'reflog', '-1', '--format=%gs', 'HEAD'), gitCli(cli, 'reflog', '-1', '--format=%gs', 'HEAD'));
      assert.strictEqual(gitCli(hammock.dir, 'reflog', '-1', '--format=%gs', 'refs/remotes/origin/main'), gitCli(cli, 'reflog', '-1', '--format=%gs', 'refs/remotes/origin/main'));
    });
  }
});
