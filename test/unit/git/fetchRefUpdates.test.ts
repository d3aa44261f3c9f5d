// A fetch's remote-tracking ref updates as git makes them when another git command works in the same repository
// (VS Code's autofetch runs `git fetch` on its own): every ref is moved under its lock from the value read before the
// transfer (git's ref transaction: "cannot lock ref '<ref>': is at X but expected Y"), so a ref another fetch moved
// meanwhile is never set back; a pruned ref is deleted under its lock and packed-refs' lock. The oracle is the git
// CLI on an identical copy, in the same situation.

import * as assert from 'assert';
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { HttpClient } from 'isomorphic-git';
import { GitClient } from '../../../src/git/gitClient';
import { createHttpClient } from '../../../src/git/httpTransport';
import { clonedWithTeammate, commitFiles, gitCli, gitCliAsync, holdLock, loopbackGitServer, requestYaml, serverAuth as auth, TempDirs } from './gitTestRepos';

describe('fetch: remote-tracking refs moved as git moves them, beside a concurrent git', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  const server = loopbackGitServer(tmp);
  let holder: ChildProcess | undefined;
  afterEach(() => {
    if (holder && holder.exitCode === null) holder.kill();
    holder = undefined;
  });

  let n = 0;
  const setUp = () => clonedWithTeammate(tmp, server(), `refs${++n}`);

  /** a copy of `dir` for the git CLI. */
  function copyOf(dir: string): string {
    const copy = path.join(tmp.make('hammock-copy-'), 'repo');
    fs.cpSync(dir, copy, { recursive: true });
    return copy;
  }

  /**
   * Hammock's HTTP client, running `beforePack` once, when the fetch asks for its pack (the refs were read by then),
   * and `afterPack` once its last byte is read (isomorphic-git has listed and read the refs it prunes by then).
   */
  function httpWith(beforePack: () => Promise<void>, afterPack?: () => Promise<void>): HttpClient {
    const real = createHttpClient();
    let done = false;
    return {
      async request(req) {
        if (done || (req.method ?? 'GET').toUpperCase() !== 'POST' || !req.url.endsWith('/git-upload-pack')) return real.request(req);
        done = true;
        await beforePack();
        const res = await real.request(req);
        if (!afterPack || !res.body) return res;
        const body = res.body;
        async function* thenHook(): AsyncGenerator<Uint8Array> {
          for await (const chunk of body) yield chunk;
          await afterPack!();
        }
        return { ...res, body: thenHook() };
      },
    };
  }

  async function push(other: string, id: string, ref = 'main'): Promise<string> {
    const oid = commitFiles(other, { [`.insomnia/Request/${id}.yml`]: requestYaml(id, id) }, id);
    await gitCliAsync(other, 'push', '-q', 'origin', `HEAD:${ref}`);
    return oid;
  }

  it('a remote-tracking ref another fetch moved during the transfer is not set back; the fetch says so, as git does', async () => {
    const { dir, other, authed } = await setUp();
    const a = gitCli(dir, 'rev-parse', 'refs/remotes/origin/main');
    const b = await push(other, 'req_b');
    let c = '';
    // during Hammock's transfer (it read origin/main = A and the remote's main = B), the remote moves on to C and
    // VS Code's autofetch (the git CLI) moves origin/main to C
    const client = new GitClient(dir, {
      auth,
      http: httpWith(async () => {
        c = await push(other, 'req_c');
        await gitCliAsync(dir, 'fetch', '-q', authed, '+refs/heads/*:refs/remotes/origin/*');
      }),
    });
    const oracle = copyOf(dir);
    await assert.rejects(client.fetch(), (err: Error) => {
      assert.match(err.message, /cannot lock ref 'refs\/remotes\/origin\/main': is at [0-9a-f]{40} but expected [0-9a-f]{40}/);
      assert.ok(err.message.includes(`is at ${c} but expected ${a}`), err.message);
      return true;
    });
    assert.strictEqual(gitCli(dir, 'rev-parse', 'refs/remotes/origin/main'), c, 'origin/main stays where the other fetch left it');
    // the oracle: git's ref update from A to B, on an identical copy, refuses in the same words and moves nothing
    await gitCliAsync(oracle, 'fetch', '-q', authed, '+refs/heads/*:refs/remotes/origin/*');
    assert.throws(() => gitCli(oracle, 'update-ref', 'refs/remotes/origin/main', b, a), new RegExp(`cannot lock ref 'refs/remotes/origin/main': is at ${c} but expected ${a}`));
    assert.strictEqual(gitCli(oracle, 'rev-parse', 'refs/remotes/origin/main'), c);
    assert.strictEqual(fs.readFileSync(path.join(dir, '.git/logs/refs/remotes/origin/main'), 'utf8').split('\n').filter(Boolean).length, fs.readFileSync(path.join(oracle, '.git/logs/refs/remotes/origin/main'), 'utf8').split('\n').filter(Boolean).length, 'no reflog entry for an update that was not made');
    assert.ok(!fs.existsSync(path.join(dir, '.git/refs/remotes/origin/main.lock')));
    // the next fetch brings it up to date
    await new GitClient(dir, { auth }).fetch();
    assert.strictEqual(gitCli(dir, 'rev-parse', 'refs/remotes/origin/main'), c);
    assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling'), '');
  });

  it('refs another fetch left alone still move, and one it moved to the same commit is no error', async () => {
    const { dir, other, authed } = await setUp();
    const b = await push(other, 'req_b');
    gitCli(other, 'checkout', '-q', '-b', 'dev');
    const dev = await push(other, 'req_dev', 'dev');
    const client = new GitClient(dir, {
      auth,
      // the other fetch takes only main, to the commit Hammock's fetch takes it to as well
      http: httpWith(() => gitCliAsync(dir, 'fetch', '-q', authed, '+refs/heads/main:refs/remotes/origin/main').then(() => undefined)),
    });
    await client.fetch();
    assert.strictEqual(gitCli(dir, 'rev-parse', 'refs/remotes/origin/main'), b);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'refs/remotes/origin/dev'), dev);
    const oracle = copyOf(dir);
    await gitCliAsync(oracle, 'fetch', '-q', authed, '+refs/heads/*:refs/remotes/origin/*');
    assert.strictEqual(gitCli(oracle, 'for-each-ref'), gitCli(dir, 'for-each-ref'));
  });

  /** a Hammock clone with origin/g1 packed, origin/g2 loose, origin/g3 packed, all three deleted on the remote since. */
  async function withBranchesGone(): Promise<{ dir: string; other: string; authed: string }> {
    const { dir, other, authed } = await setUp();
    for (const g of ['g1', 'g2', 'g3']) await gitCliAsync(other, 'push', '-q', 'origin', `HEAD:${g}`);
    await new GitClient(dir, { auth }).fetch();
    gitCli(dir, 'pack-refs', '--all');
    await push(other, 'req_g2', 'g2');
    await new GitClient(dir, { auth }).fetch();
    await gitCliAsync(other, 'push', '-q', 'origin', '--delete', 'g1', 'g2', 'g3');
    await push(other, 'req_main');
    return { dir, other, authed };
  }

  it('prune deletes each ref under its lock: one a concurrent git holds stays, and a concurrent pack-refs is not undone, as with git fetch --prune', async () => {
    const { dir, authed } = await withBranchesGone();
    gitCli(dir, 'branch', 'topic'); // loose until the concurrent pack-refs packs it
    assert.ok(fs.existsSync(path.join(dir, '.git/refs/remotes/origin/g2')) && !fs.existsSync(path.join(dir, '.git/refs/remotes/origin/g1')));
    const oracle = copyOf(dir);
    holder = await holdLock(path.join(dir, '.git/refs/remotes/origin/g2.lock'));
    const client = new GitClient(dir, { auth, http: httpWith(async () => undefined, () => gitCliAsync(dir, 'pack-refs', '--all').then(() => undefined)) });
    await assert.rejects(client.fetch({ prune: true }), /cannot lock ref 'refs\/remotes\/origin\/g2': Unable to create '[^']*g2\.lock': File exists/);
    // the oracle: git fetch --prune on an identical copy, after the same pack-refs, with the same lock held
    fs.writeFileSync(path.join(oracle, '.git/refs/remotes/origin/g2.lock'), '');
    gitCli(oracle, 'pack-refs', '--all');
    await assert.rejects(gitCliAsync(oracle, 'fetch', '--prune', authed, '+refs/heads/*:refs/remotes/origin/*'), /cannot lock ref 'refs\/remotes\/origin\/g2'/);
    assert.strictEqual(gitCli(dir, 'for-each-ref'), gitCli(oracle, 'for-each-ref'));
    assert.match(gitCli(dir, 'for-each-ref'), /refs\/heads\/topic\n/, 'the branch pack-refs packed meanwhile is still there');
    assert.ok(fs.existsSync(path.join(dir, '.git/refs/remotes/origin/g2.lock')), "the other process's lock is left alone");
    assert.ok(!fs.existsSync(path.join(dir, '.git/packed-refs.lock')));
    assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling'), '');
  });

  it('prune while another process holds packed-refs.lock deletes nothing and still updates the other refs, as git fetch --prune', async () => {
    const { dir, authed } = await withBranchesGone();
    const oracle = copyOf(dir);
    holder = await holdLock(path.join(dir, '.git/packed-refs.lock'));
    await assert.rejects(new GitClient(dir, { auth }).fetch({ prune: true }), /packed-refs\.lock/);
    fs.writeFileSync(path.join(oracle, '.git/packed-refs.lock'), '');
    await assert.rejects(gitCliAsync(oracle, 'fetch', '--prune', authed, '+refs/heads/*:refs/remotes/origin/*'), /packed-refs\.lock/);
    assert.strictEqual(gitCli(dir, 'for-each-ref'), gitCli(oracle, 'for-each-ref'));
    assert.ok(fs.existsSync(path.join(dir, '.git/packed-refs.lock')), "the other process's lock is left alone");
  });

  it("a non-forced refspec (no '+') refuses a rewritten branch, and still moves the others, as git fetch does", async () => {
    const { dir, other, authed } = await setUp();
    gitCli(other, 'checkout', '-q', '-b', 'dev');
    await push(other, 'req_dev', 'dev');
    await new GitClient(dir, { auth }).fetch();
    gitCli(dir, 'config', 'remote.origin.fetch', 'refs/heads/*:refs/remotes/origin/*');
    const kept = gitCli(dir, 'rev-parse', 'refs/remotes/origin/dev');
    // dev rewritten on the remote (a force-push), main moved forward
    gitCli(other, 'commit', '-q', '--amend', '-m', 'dev, rewritten');
    await gitCliAsync(other, 'push', '-q', '-f', 'origin', 'HEAD:dev');
    gitCli(other, 'checkout', '-q', 'main');
    const main = await push(other, 'req_main');
    const oracle = copyOf(dir);
    await assert.rejects(new GitClient(dir, { auth }).fetch(), (err: Error) => {
      assert.match(err.message, /! \[rejected\] dev -> origin\/dev \(non-fast-forward\)/);
      return true;
    });
    assert.strictEqual(gitCli(dir, 'rev-parse', 'refs/remotes/origin/dev'), kept, 'the rewritten branch is not taken');
    assert.strictEqual(gitCli(dir, 'rev-parse', 'refs/remotes/origin/main'), main);
    // the oracle: git fetch on an identical copy, with the same refspec
    gitCli(oracle, 'remote', 'set-url', 'origin', authed);
    await assert.rejects(gitCliAsync(oracle, 'fetch', 'origin'), /! \[rejected\] +dev +-> origin\/dev +\(non-fast-forward\)/);
    assert.strictEqual(gitCli(dir, 'for-each-ref'), gitCli(oracle, 'for-each-ref'));
  });

  it("each remote-tracking ref's reflog entry is written while its lock is held, before it moves, as git fetch writes it", async () => {
    const { dir, other, authed } = await setUp();
    await push(other, 'req_b');
    const oracle = copyOf(dir);
    const gitdir = path.join(dir, '.git');
    const realRename = fs.promises.rename;
    const seen: string[] = [];
    fs.promises.rename = async (from, to) => {
      const t = String(to);
      if (String(from) === `${t}.lock` && t.startsWith(path.join(gitdir, 'refs/remotes/'))) {
        const log = path.join(gitdir, 'logs', path.relative(gitdir, t));
        const last = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trimEnd().split('\n').pop()! : '';
        seen.push(`${path.relative(gitdir, t)} ${last.split(' ')[1] === fs.readFileSync(String(from), 'utf8').trim() ? last.split('\t')[1] : 'not yet'}`);
      }
      return realRename(from, to);
    };
    try {
      await new GitClient(dir, { auth }).fetch();
    } finally {
      fs.promises.rename = realRename;
    }
    assert.deepStrictEqual(seen, ['refs/remotes/origin/main fetch: fast-forward']);
    // the oracle: git fetch writes the same entry
    gitCli(oracle, 'remote', 'set-url', 'origin', authed);
    await gitCliAsync(oracle, 'fetch');
    const entry = (d: string) => gitCli(d, 'reflog', '-1', '--format=%gs %H', 'refs/remotes/origin/main');
    assert.strictEqual(entry(dir), entry(oracle));
  });
});
