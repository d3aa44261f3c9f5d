// Status against the git CLI: every scenario's groups, printed as `git status --porcelain -uall --no-renames`
// would, must equal what the CLI prints for the same repository.

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { computeStatus, type WorkingTreeStatus } from '../../../src/git/status';
import { readIndex, readIndexBytes } from '../../../src/git/indexCache';
import { gitCli, initRepo, legacySeed, porcelain, requestYaml, sortLines, sourceStatusWorker, TempDirs, writeFiles } from './gitTestRepos';

function cliPorcelain(dir: string): string {
  const out = gitCli(dir, 'status', '--porcelain=v1', '-uall', '--no-renames');
  return sortLines(out.split('\n').filter(Boolean)).join('\n');
}

describe('status', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  function repo(): string {
    const dir = initRepo(tmp.make(), {
      ...legacySeed(4),
      '.gitignore': 'ignored/\n*.log\n!keep.log\n',
      'scripts/run.sh': '#!/bin/sh\necho hi\n',
    });
    return dir;
  }

  async function same(dir: string, expected?: string): Promise<WorkingTreeStatus> {
    const st = await computeStatus({ dir }); // ours first: the CLI refreshes the index
    const cli = cliPorcelain(dir);
    assert.strictEqual(porcelain(st), cli);
    if (expected !== undefined) assert.strictEqual(cli, expected);
    return st;
  }

  it('clean', async () => {
    await same(repo(), '');
  });

  it('unstaged edits (same size), deletions, mode change, untracked and ignored files', async () => {
    const dir = repo();
    const f = path.join(dir, '.insomnia/Request/req_1.yml');
    const text = fs.readFileSync(f, 'utf8');
    fs.writeFileSync(f, text.replace('Request 1', 'Request X')); // same size
    fs.rmSync(path.join(dir, '.insomnia/Request/req_2.yml'));
    fs.chmodSync(path.join(dir, 'scripts/run.sh'), 0o755);
    writeFiles(dir, {
      'new.txt': 'n\n',
      'deep/a/b/c.yml': 'c: 1\n',
      'ignored/x.txt': 'x\n',
      'debug.log': 'log\n',
      'keep.log': 'kept\n',
    });
    await same(
      dir,
      [
        ' M .insomnia/Request/req_1.yml',
        ' D .insomnia/Request/req_2.yml',
        '?? deep/a/b/c.yml',
        '?? keep.log',
        '?? new.txt',
        ' M scripts/run.sh',
      ].join('\n'),
    );
  });

  it('staged additions, modifications and deletions, with further edits on top', async () => {
    const dir = repo();
    writeFiles(dir, {
      '.insomnia/Request/req_new.yml': requestYaml('req_new', 'New'),
      '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Staged'),
      '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Staged then reverted'),
    });
    gitCli(dir, 'add', '.insomnia/Request/req_new.yml', '.insomnia/Request/req_1.yml', '.insomnia/Request/req_3.yml');
    gitCli(dir, 'rm', '-q', '--cached', '.insomnia/Request/req_2.yml');
    gitCli(dir, 'rm', '-q', '.insomnia/Request/req_4.yml');
    writeFiles(dir, {
      '.insomnia/Request/req_new.yml': requestYaml('req_new', 'New and edited'),
      '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Request 3'),
    });
    await same(
      dir,
      [
        'M  .insomnia/Request/req_1.yml',
        '?? .insomnia/Request/req_2.yml',
        'D  .insomnia/Request/req_2.yml',
        'MM .insomnia/Request/req_3.yml',
        'D  .insomnia/Request/req_4.yml',
        'AM .insomnia/Request/req_new.yml',
      ].join('\n'),
    );
  });

  it('a file replaced by a directory, and a symlink', async () => {
    const dir = repo();
    fs.rmSync(path.join(dir, '.insomnia/Request/req_1.yml'));
    writeFiles(dir, { '.insomnia/Request/req_1.yml/inner.yml': 'x: 1\n' });
    fs.symlinkSync('../README', path.join(dir, 'link'));
    await same(dir, [' D .insomnia/Request/req_1.yml', '?? .insomnia/Request/req_1.yml/inner.yml', '?? link'].join('\n'));
    gitCli(dir, 'add', 'link');
    await same(dir);
  });

  it('a folder whose names match its tracked files in number but not in name (the walk must not trust the count)', async () => {
    const dir = repo();
    // one tracked file gone, one untracked file of another name beside it: as many files as the index has there
    fs.rmSync(path.join(dir, '.insomnia/Request/req_1.yml'));
    writeFiles(dir, { '.insomnia/Request/zzz.yml': 'z: 1\n' });
    // a tracked folder gone, an untracked folder of another name in its place
    fs.renameSync(path.join(dir, 'scripts'), path.join(dir, 'scripts2'));
    await same(dir, [' D .insomnia/Request/req_1.yml', '?? .insomnia/Request/zzz.yml', ' D scripts/run.sh', '?? scripts2/run.sh'].join('\n'));
  });

  it('a folder of over a thousand files (its names read while the lstats run): the count trap, an untracked file, the folder gone', async () => {
    const dir = initRepo(tmp.make(), legacySeed(1_100));
    const requests = path.join(dir, '.insomnia/Request');
    const cache = {};
    const status = async (expected: string): Promise<void> => {
      const st = await computeStatus({ dir, cache });
      assert.strictEqual(porcelain(st), cliPorcelain(dir));
      assert.strictEqual(porcelain(st), expected);
    };
    await status('');
    fs.rmSync(path.join(requests, 'req_1.yml'));
    writeFiles(dir, { '.insomnia/Request/zzz.yml': 'z: 1\n' });
    await status([' D .insomnia/Request/req_1.yml', '?? .insomnia/Request/zzz.yml'].join('\n'));
    fs.rmSync(path.join(requests, 'zzz.yml'));
    gitCli(dir, 'checkout', '--', '.insomnia/Request/req_1.yml');
    writeFiles(dir, { '.insomnia/Request/new.yml': 'n: 1\n' });
    await status('?? .insomnia/Request/new.yml');
    // gone: its names are read for nothing and the read fails, which must be no unhandled rejection (it ends a
    // process): in a process of its own, which ends only once that read has settled
    fs.rmSync(requests, { recursive: true });
    const st = await computeStatus({ dir, cache });
    assert.strictEqual(porcelain(st), cliPorcelain(dir));
    const statusTs = path.resolve(__dirname, '../../../src/git/status.ts');
    const script = `require(${JSON.stringify(statusTs)}).computeStatus({ dir: ${JSON.stringify(dir)} }).then((st) => console.log(st.changes.length))`;
    assert.strictEqual(execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim(), '1100');
  });

  it('a tracked folder replaced by a symlink to a folder, and an ignored file beside tracked ones', async () => {
    const dir = repo();
    fs.renameSync(path.join(dir, 'scripts'), path.join(dir, 'elsewhere'));
    fs.symlinkSync('elsewhere', path.join(dir, 'scripts'));
    writeFiles(dir, { '.insomnia/Request/debug.log': 'ignored\n', '.insomnia/Request/keep.log': 'kept\n' });
    // git does not look through the link: scripts/run.sh is deleted, the link untracked (lstat would follow it)
    await same(dir, ['?? .insomnia/Request/keep.log', '?? elsewhere/run.sh', '?? scripts', ' D scripts/run.sh'].join('\n'));
  });

  it('before the first commit', async () => {
    const dir = tmp.make();
    gitCli(dir, 'init', '-q', '-b', 'main');
    writeFiles(dir, { 'a.yml': 'a\n', 'b/c.yml': 'c\n' });
    await same(dir, ['?? a.yml', '?? b/c.yml'].join('\n'));
    gitCli(dir, 'add', 'a.yml');
    await same(dir, ['A  a.yml', '?? b/c.yml'].join('\n'));
  });

  it('unmerged paths go to the merge group', async () => {
    const dir = repo();
    gitCli(dir, 'checkout', '-q', '-b', 'other');
    writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Other'), 'added.yml': 'theirs\n' });
    gitCli(dir, 'rm', '-q', '.insomnia/Request/req_2.yml');
    gitCli(dir, 'add', '-A');
    gitCli(dir, 'commit', '-q', '-m', 'other');
    gitCli(dir, 'checkout', '-q', 'main');
    writeFiles(dir, {
      '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Main'),
      '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Main edit'),
      'added.yml': 'ours\n',
    });
    gitCli(dir, 'add', '-A');
    gitCli(dir, 'commit', '-q', '-m', 'main');
    try {
      gitCli(dir, 'merge', 'other');
    } catch {
      /* conflicts expected */
    }
    const st = await same(dir, ['UU .insomnia/Request/req_1.yml', 'UD .insomnia/Request/req_2.yml', 'AA added.yml'].join('\n'));
    assert.deepStrictEqual(
      st.merge.map((m) => m.kind),
      ['bothModified', 'deletedByThem', 'bothAdded'],
    );
  });

  it('trusts an index written by the git CLI and by us alike, and sees edits made within the same millisecond', async () => {
    const dir = repo();
    gitCli(dir, 'status'); // CLI refreshes the index
    await same(dir, '');
    // an edit right after the index was written: racily clean, must be hashed
    const f = path.join(dir, '.insomnia/Request/req_1.yml');
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('Request 1', 'Request Z'));
    const st = await computeStatus({ dir });
    assert.deepStrictEqual(st.changes, [{ path: '.insomnia/Request/req_1.yml', kind: 'modified' }]);
  });

  it('a file whose size is not the index\'s is modified, as git says, even when its content converts back to the staged blob', async () => {
    // core.autocrlf=true: the checkout writes CRLF (its size in the index); the same lines rewritten with LF are
    // the staged blob once converted, but git (ie_modified) does not read a file whose size changed: ` M`, and a
    // refreshing status leaves its stat data as it was (git status still says ` M` after it)
    const dir = repo();
    gitCli(dir, 'config', 'core.autocrlf', 'true');
    fs.rmSync(path.join(dir, 'scripts/run.sh'));
    gitCli(dir, 'checkout', '--', 'scripts/run.sh');
    assert.ok(fs.readFileSync(path.join(dir, 'scripts/run.sh'), 'utf8').includes('\r\n'));
    fs.writeFileSync(path.join(dir, 'scripts/run.sh'), '#!/bin/sh\necho hi\n');
    await computeStatus({ dir, refresh: true });
    await same(dir, ' M scripts/run.sh');
  });

  it('reads a version-4 (path-compressed) index, as git writes with feature.manyFiles', async () => {
    const dir = repo();
    gitCli(dir, 'update-index', '--index-version', '4');
    writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Changed'), 'u.txt': 'u\n' });
    gitCli(dir, 'add', 'u.txt');
    await same(dir, [' M .insomnia/Request/req_1.yml', 'A  u.txt'].join('\n'));
  });

  it('runs in a worker thread with the same result', async () => {
    const dir = repo();
    writeFiles(dir, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Worker'), 'w.txt': 'w\n' });
    const worker = sourceStatusWorker();
    try {
      const st = await worker.compute({ dir });
      assert.strictEqual(porcelain(st), cliPorcelain(dir));
      assert.strictEqual(porcelain(await worker.compute({ dir })), porcelain(st));
    } finally {
      worker.dispose();
    }
  });

  describe('the index read by another thread and handed over (a new worker\'s first status)', () => {
    const staged = (dir: string): string => gitCli(dir, 'ls-files', '-s');
    const listed = (entries: { mode: number; oid: string; stage: number; path: string }[]): string =>
      entries.map((e) => `${e.mode.toString(8)} ${e.oid} ${e.stage}\t${e.path}`).join('\n');

    it('takes the bytes when the file still has their version, and ignores them once it changed', async () => {
      const dir = repo();
      const gitdir = path.join(dir, '.git');
      const before = await readIndexBytes(gitdir);
      assert.ok(before && before.bytes.length > 0);
      // a stage between the other thread's read and this one: the stale bytes must not be used
      writeFiles(dir, { 'staged.txt': 's\n' });
      gitCli(dir, 'add', 'staged.txt');
      const now = await readIndex(gitdir, before);
      assert.strictEqual(listed(now!.entries), staged(dir));
      // the file still has the bytes' version: they are what is parsed (these, another index's under this file's
      // stamp, are told apart by their entries; a repository whose index was not read here yet)
      const fresh = repo();
      const current = (await readIndexBytes(path.join(fresh, '.git')))!;
      const other = repo();
      gitCli(other, 'rm', '-q', '--cached', 'scripts/run.sh');
      const lie = { bytes: (await readIndexBytes(path.join(other, '.git')))!.bytes, stamp: current.stamp };
      const taken = await readIndex(path.join(fresh, '.git'), lie);
      assert.strictEqual(listed(taken!.entries), staged(other));
      assert.notStrictEqual(staged(other), staged(fresh));
    });

    it('a status given HEAD\'s tree agrees with git (staged changes compared with that tree)', async () => {
      const dir = repo();
      writeFiles(dir, { '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Staged'), 's.txt': 's\n' });
      gitCli(dir, 'add', '-A');
      gitCli(dir, 'rm', '-q', '--cached', 'scripts/run.sh');
      const headOid = gitCli(dir, 'rev-parse', 'HEAD');
      const headTree = gitCli(dir, 'rev-parse', 'HEAD^{tree}');
      const st = await computeStatus({ dir, headOid, headTree });
      assert.strictEqual(porcelain(st), cliPorcelain(dir));
      assert.match(porcelain(st), /^M  \.insomnia\/Request\/req_3\.yml$/m);
    });

    it('a first status whose worker is disposed while the index is read for it fails, and starts no other worker', async () => {
      const dir = repo();
      const worker = sourceStatusWorker();
      const st = worker.compute({ dir, gitdir: path.join(dir, '.git') });
      worker.dispose();
      await assert.rejects(st, /status worker exited/);
      assert.strictEqual((worker as unknown as { worker?: unknown }).worker, undefined);
    });

    it("a disposed worker's late exit fails only its own requests: the worker started after it answers and is kept", async () => {
      const dir = repo();
      const gitdir = path.join(dir, '.git');
      const client = sourceStatusWorker();
      try {
        assert.strictEqual(porcelain(await client.compute({ dir, gitdir })), cliPorcelain(dir));
        client.dispose(); // the first worker terminates; its 'exit' comes later
        const second = client.compute({ dir, gitdir });
        const started = (client as unknown as { worker?: unknown }).worker;
        assert.ok(started, 'a second worker started');
        assert.strictEqual(porcelain(await second), cliPorcelain(dir));
        // the first worker's exit has come by now (a new status on the second worker still answers, from it)
        assert.strictEqual(porcelain(await client.compute({ dir, gitdir, refresh: true })), cliPorcelain(dir));
        assert.strictEqual((client as unknown as { worker?: unknown }).worker, started, 'the second worker is still the one in use');
      } finally {
        client.dispose();
      }
    });

    it('a status given stale bytes agrees with git (the index changed after they were read)', async () => {
      const dir = repo();
      const gitdir = path.join(dir, '.git');
      const stale = (await readIndexBytes(gitdir))!;
      writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Changed'), 'n.txt': 'n\n' });
      gitCli(dir, 'add', 'n.txt', '.insomnia/Request/req_1.yml');
      writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Changed again') });
      const st = await computeStatus({ dir, index: stale, blocking: true });
      assert.strictEqual(porcelain(st), cliPorcelain(dir));
      assert.match(porcelain(st), /^MM \.insomnia\/Request\/req_1\.yml$/m);
    });

    it('a new worker reads the index while it starts and hands it over; stale bytes given to a worker are not used', async () => {
      const dir = repo();
      const gitdir = path.join(dir, '.git');
      writeFiles(dir, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Worker'), 'w.txt': 'w\n' });
      gitCli(dir, 'add', 'w.txt');
      const headOid = gitCli(dir, 'rev-parse', 'HEAD');
      for (const options of [{ dir, gitdir }, { dir, gitdir, headOid }]) {
        // with headOid, HEAD's tree is read here too (statusPrefetch) and handed over
        const fresh = sourceStatusWorker();
        try {
          fresh.warm();
          assert.strictEqual(porcelain(await fresh.compute(options)), cliPorcelain(dir));
          assert.strictEqual(porcelain(await fresh.compute(options)), cliPorcelain(dir));
        } finally {
          fresh.dispose();
        }
      }
      const stale = (await readIndexBytes(gitdir))!;
      gitCli(dir, 'rm', '-q', '--cached', 'w.txt');
      const worker = sourceStatusWorker();
      try {
        const st = await worker.compute({ dir, gitdir, index: stale });
        assert.strictEqual(porcelain(st), cliPorcelain(dir));
        assert.match(porcelain(st), /^\?\? w\.txt$/m);
      } finally {
        worker.dispose();
      }
    });
  });
});
