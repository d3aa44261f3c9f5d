// The shortcuts of a pull (ops/pull.ts, ops/merge.ts's isAncestor, treeDiff.ts's warmTrees), with the git CLI and
// isomorphic-git as oracles:
//  - isAncestor (commits read through the pack reader) answers as isomorphic-git's isDescendent on random
//    histories, packed and loose, with merges, and with a shallow commit (fast-check, seeded);
//  - a fast-forward pull through the transfer worker, with uncommitted work on other files (staged, unstaged,
//    deleted, untracked), leaves HEAD, the index, the files and the status exactly as `git pull --ff-only` leaves
//    an identical copy, fsck clean;
//  - a pull whose incoming change would overwrite a local change is refused as git refuses it, nothing moved;
//  - the index changed while the fetch runs (after the pull read it ahead): the pull works on the new one;
//  - a branch ahead of its upstream is up to date (the fast-forward check first, then the other).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { GitClient, type PullResult } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { isogit } from '../../../src/git/isogit';
import { isAncestor } from '../../../src/git/ops/merge';
import { gitFs } from '../../../src/git/plumbing/gitFs';
import { TransferWorkerClient } from '../../../src/git/transferWorkerClient';
import { GitServer } from '../../support/gitServer';
import { AUTHOR, commitFiles, copyView, gitCli, gitCliAsync, initRepo, legacySeed, pullCopies, rejects, requestYaml, TempDirs, writeFiles, sourceTransferWorker } from './gitTestRepos';

const TOKEN = 'pull-token';
const auth = { getCredentials: () => ({ token: TOKEN }), requestCredentials: async () => undefined };

describe('pull: its shortcuts give what git gives', function () {
  this.timeout(120_000);
  const tmp = new TempDirs();
  let server: GitServer;
  let worker: TransferWorkerClient;
  let n = 0;

  before(async () => {
    server = await GitServer.start({ projectRoot: tmp.make('hammock-ps-srv-'), token: TOKEN });
    worker = sourceTransferWorker();
  });
  after(async () => {
    worker.dispose();
    await server.close();
    tmp.cleanup();
  });

  /** A remote, a Hammock clone (through the worker), an identical CLI clone, and a third clone that pushes. */
  function copies(seed: Record<string, string> = legacySeed(30)): Promise<{ hammock: GitClient; cli: string; other: string }> {
    return pullCopies(server, tmp, `ps${++n}`, initRepo(tmp.make('hammock-ps-seed-'), seed), TOKEN, worker);
  }

  /** The same uncommitted work in both copies (git's commands do it in each, so that the indexes agree). */
  function localWork(dirs: string[], work: (dir: string) => void): void {
    for (const d of dirs) work(d);
  }

  it('isAncestor answers as isomorphic-git isDescendent: random histories with merges, packed and loose, a shallow commit', async () => {
    const dir = initRepo(tmp.make('hammock-ps-dag-'), { 'a.txt': 'a\n' });
    const root = gitCli(dir, 'rev-parse', 'HEAD');
    const tree = gitCli(dir, 'rev-parse', 'HEAD^{tree}');
    const gitdir = path.join(dir, '.git');
    let made = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { minLength: 1, maxLength: 14 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.option(fc.nat(), { freq: 2 }),
        async (shape, pairs, repack, shallowAt) => {
          const commits = [root];
          for (const [p1, p2, merge] of shape) {
            const parents = [commits[p1 % commits.length]];
            const second = commits[p2 % commits.length];
            if (merge && second !== parents[0]) parents.push(second);
            const who = { name: 'T', email: 't@x', timestamp: 1_700_000_000 + made++, timezoneOffset: 0 };
            commits.push(await isogit().writeCommit({ fs: gitFs, gitdir, commit: { message: `c${made}\n`, tree, parent: parents, author: who, committer: who } }));
          }
          if (repack) gitCli(dir, 'repack', '-q', '-a', '-d');
          const shallowFile = path.join(gitdir, 'shallow');
          if (shallowAt !== null) fs.writeFileSync(shallowFile, `${commits[shallowAt % commits.length]}\n`);
          else fs.rmSync(shallowFile, { force: true });
          try {
            for (const [a, b] of [...pairs, [commits.length - 1, 0]]) {
              const oid = commits[a % commits.length];
              const ancestor = commits[b % commits.length];
              const expected = await isogit().isDescendent({ fs: gitFs, gitdir, oid, ancestor, depth: -1, cache: {} });
              // a new cache each time, as a fresh client has: the packs written since are found
              assert.strictEqual(await isAncestor({ gitdir, cache: {} }, ancestor, oid), expected, `${oid.slice(0, 7)} descends from ${ancestor.slice(0, 7)}?`);
            }
          } finally {
            fs.rmSync(shallowFile, { force: true });
          }
        },
      ),
      { seed: 14, numRuns: 25 },
    );
    // a line of commits shallow in the middle: the walk stops there, after looking at its parent
    const line = [root];
    for (let i = 0; i < 4; i++) {
      const who = { name: 'T', email: 't@x', timestamp: 1_600_000_000 + i, timezoneOffset: 0 };
      line.push(await isogit().writeCommit({ fs: gitFs, gitdir, commit: { message: `l${i}\n`, tree, parent: [line[i]], author: who, committer: who } }));
    }
    fs.writeFileSync(path.join(gitdir, 'shallow'), `${line[3]}\n`);
    const answers = await Promise.all(line.map((a) => isAncestor({ gitdir, cache: {} }, a, line[4])));
    fs.rmSync(path.join(gitdir, 'shallow'));
    assert.deepStrictEqual(answers, [false, false, true, true, false]);
    // a commit that is not there fails as isomorphic-git fails (not a silent false)
    await assert.rejects(isAncestor({ gitdir, cache: {} }, root, '1'.repeat(40)));
  });

  it('a fast-forward with uncommitted work on other files: HEAD, index, files and status as `git pull --ff-only` leaves them', async () => {
    const { hammock, cli, other } = await copies();
    fs.rmSync(path.join(other, '.insomnia/Request/req_3.yml'));
    commitFiles(other, {
      '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Theirs 1'),
      '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Theirs 2'),
      '.insomnia/Request/req_new.yml': requestYaml('req_new', 'Added by them'),
      'docs/new/readme.md': 'a new folder\n',
    });
    commitFiles(other, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Theirs 2, again') });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    localWork([hammock.dir, cli], (d) => {
      writeFiles(d, { '.insomnia/Request/req_10.yml': requestYaml('req_10', 'Staged here') });
      gitCli(d, 'add', '.insomnia/Request/req_10.yml');
      writeFiles(d, { '.insomnia/Request/req_11.yml': requestYaml('req_11', 'Unstaged here'), 'notes/untracked.txt': 'mine\n' });
      fs.rmSync(path.join(d, '.insomnia/Request/req_12.yml'));
      gitCli(d, 'rm', '-q', '--cached', '.insomnia/Request/req_13.yml');
    });
    const res = await new GitClient(hammock.dir, { auth, transferWorker: worker }).pull();
    await gitCliAsync(cli, 'pull'); // (a fast-forward; no option, which its reflog entries would name)
    assert.strictEqual(res.kind, 'fastForward');
    assert.deepStrictEqual(
      res.changes.map((c) => c.path),
      ['.insomnia/Request/req_1.yml', '.insomnia/Request/req_2.yml', '.insomnia/Request/req_3.yml', '.insomnia/Request/req_new.yml', 'docs/new/readme.md'],
    );
    assert.deepStrictEqual(copyView(hammock.dir), copyView(cli));
    assert.match(gitCli(hammock.dir, 'status', '--porcelain=v1', '-uall'), /^M  \.insomnia\/Request\/req_10\.yml$/m, 'the staged file is still staged');
    assert.strictEqual(gitCli(hammock.dir, 'fsck', '--strict', '--no-dangling'), '');
    // the reflog entries git writes (its own name the CLI's environment's, ours the configured one, resolved once
    // while the fetch ran)
    for (const ref of ['HEAD', 'refs/heads/main', 'refs/remotes/origin/main']) {
      const entry = (d: string): string => gitCli(d, 'reflog', 'show', '-1', '--format=%gn <%ge> %gs', ref, '--');
      assert.strictEqual(entry(hammock.dir), entry(cli).replace('CLI User <cli@hammock.invalid>', `${AUTHOR.name} <${AUTHOR.email}>`), ref);
    }
    // Hammock's own status says the same as git's
    const st = await new GitClient(hammock.dir).status();
    assert.deepStrictEqual(st.staged.map((s) => `${s.kind} ${s.path}`).sort(), ['deleted .insomnia/Request/req_13.yml', 'modified .insomnia/Request/req_10.yml']);
    assert.deepStrictEqual(st.changes.map((c) => `${c.kind} ${c.path}`).sort(), [
      'deleted .insomnia/Request/req_12.yml',
      'modified .insomnia/Request/req_11.yml',
      'untracked .insomnia/Request/req_13.yml',
      'untracked notes/untracked.txt',
    ]);
  });

  it('refuses, as git does, when an incoming change would overwrite a local one (unstaged, staged, untracked in the way); nothing moves', async () => {
    const { hammock, cli, other } = await copies();
    commitFiles(other, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Theirs'), '.insomnia/Request/req_new.yml': requestYaml('req_new', 'Theirs') });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    const cases: { work: (d: string) => void; files: string[] }[] = [
      { work: (d) => writeFiles(d, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Mine, unstaged') }), files: ['.insomnia/Request/req_1.yml'] },
      {
        work: (d) => {
          writeFiles(d, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Mine, staged') });
          gitCli(d, 'add', '.insomnia/Request/req_1.yml');
        },
        files: ['.insomnia/Request/req_1.yml'],
      },
      { work: (d) => writeFiles(d, { '.insomnia/Request/req_new.yml': 'my untracked file in the way\n' }), files: ['.insomnia/Request/req_new.yml'] },
    ];
    for (const c of cases) {
      gitCli(hammock.dir, 'reset', '-q', '--hard');
      gitCli(cli, 'reset', '-q', '--hard');
      for (const d of [hammock.dir, cli]) fs.rmSync(path.join(d, '.insomnia/Request/req_new.yml'), { force: true });
      localWork([hammock.dir, cli], (d) => {
        writeFiles(d, { '.insomnia/Request/req_20.yml': requestYaml('req_20', 'Unrelated local edit') });
        c.work(d);
      });
      const before = copyView(hammock.dir);
      const err = await rejects(new GitClient(hammock.dir, { auth, transferWorker: worker }).pull(), GitErrorCode.DirtyWorkingTree);
      await assert.rejects(gitCliAsync(cli, 'pull', '-q', '--ff-only'), /overwritten|untracked/);
      assert.deepStrictEqual(err.details.files, c.files);
      assert.deepStrictEqual(copyView(hammock.dir), before, 'HEAD, index, files and status are as they were');
      assert.deepStrictEqual(copyView(hammock.dir), copyView(cli), 'and as git left its copy');
      assert.strictEqual(gitCli(hammock.dir, 'rev-parse', 'origin/main'), gitCli(other, 'rev-parse', 'HEAD'), 'the fetch itself went through, as in git');
    }
    gitCli(hammock.dir, 'reset', '-q', '--hard');
    assert.strictEqual(gitCli(hammock.dir, 'fsck', '--strict', '--no-dangling'), '');
  });

  it('the index changed by git while the fetch runs (after the pull read it ahead): the pull keeps the change', async () => {
    const { hammock, cli, other } = await copies();
    commitFiles(other, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Theirs') });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    localWork([hammock.dir, cli], (d) => writeFiles(d, { '.insomnia/Request/req_5.yml': requestYaml('req_5', 'Staged during the fetch') }));
    let staged = false;
    const res = await new GitClient(hammock.dir, { auth, transferWorker: worker }).pull({
      onProgress: () => {
        if (staged) return;
        staged = true; // the first progress event comes from the worker, mid-transfer
        gitCli(hammock.dir, 'add', '.insomnia/Request/req_5.yml');
      },
    });
    assert.ok(staged, 'the index was changed during the pull');
    assert.strictEqual(res.kind, 'fastForward');
    gitCli(cli, 'add', '.insomnia/Request/req_5.yml');
    await gitCliAsync(cli, 'pull', '-q', '--ff-only');
    assert.deepStrictEqual(copyView(hammock.dir), copyView(cli));
    assert.match(gitCli(hammock.dir, 'status', '--porcelain'), /^M  \.insomnia\/Request\/req_5\.yml$/m);
  });

  it('ORIG_HEAD names the commit the pull started from, as `git pull` writes it: fast-forward, merge, up to date', async () => {
    // `git reset --hard ORIG_HEAD` is how a pull is undone: a stale ORIG_HEAD (a Merge in Editor's, days old) would
    // take the branch back past commits the user never meant to drop
    const { hammock, cli, other } = await copies();
    const stale = gitCli(hammock.dir, 'rev-parse', 'HEAD^{tree}'); // any object both copies hold, not the HEAD
    for (const d of [hammock.dir, cli]) fs.writeFileSync(path.join(d, '.git', 'ORIG_HEAD'), `${stale}\n`);
    const client = new GitClient(hammock.dir, { auth, transferWorker: worker });
    const pullBoth = async (expected: PullResult['kind']): Promise<void> => {
      const before = { hammock: gitCli(hammock.dir, 'rev-parse', 'HEAD'), cli: gitCli(cli, 'rev-parse', 'HEAD') };
      assert.strictEqual((await client.pull()).kind, expected);
      await gitCliAsync(cli, 'pull', '-q', '--no-rebase');
      assert.strictEqual(gitCli(cli, 'rev-parse', 'ORIG_HEAD'), before.cli, `the oracle: git pull (${expected})`);
      assert.strictEqual(gitCli(hammock.dir, 'rev-parse', 'ORIG_HEAD'), before.hammock, expected);
    };
    commitFiles(other, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Theirs 1') });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    await pullBoth('fastForward');
    commitFiles(other, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Theirs 2') });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    for (const d of [hammock.dir, cli]) commitFiles(d, { '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Ours 3') });
    await pullBoth('merge');
    for (const d of [hammock.dir, cli]) commitFiles(d, { '.insomnia/Request/req_4.yml': requestYaml('req_4', 'Ours 4') });
    await pullBoth('upToDate');
    assert.strictEqual(gitCli(hammock.dir, 'fsck', '--strict', '--no-dangling'), '');
  });

  it('a branch ahead of its upstream is up to date; behind by several commits, a fast-forward to the last', async () => {
    const { hammock, other } = await copies();
    const client = hammock;
    writeFiles(hammock.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Ours') });
    await client.stage(['.insomnia/Request/req_1.yml']);
    const ours = await client.commit('ours');
    assert.deepStrictEqual(await client.pull(), { kind: 'upToDate', head: ours });
    await client.push();
    await gitCliAsync(other, 'pull', '-q');
    for (let i = 0; i < 5; i++) commitFiles(other, { [`.insomnia/Request/req_${i + 2}.yml`]: requestYaml(`req_${i + 2}`, `Theirs ${i}`) });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    const res = await new GitClient(hammock.dir, { auth, transferWorker: worker }).pull();
    assert.strictEqual(res.kind, 'fastForward');
    assert.strictEqual(res.head, gitCli(other, 'rev-parse', 'HEAD'));
    assert.strictEqual(gitCli(hammock.dir, 'status', '--porcelain'), '');
    assert.match(gitCli(hammock.dir, 'reflog', '-1', 'refs/remotes/origin/main'), /pull: fast-forward/);
  });
});
