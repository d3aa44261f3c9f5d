// After a push the remote accepted, git moves the remote-tracking ref (refs/remotes/origin/<branch>) as any ref update:
// under its lock, its reflog entry ("update by push") written before it moves (transport.c update_tracking_ref). When
// another process holds that lock, the push still succeeds (the remote has it) and git says the ref was not updated.
// The oracle is git push from an identical copy to an identical remote.

import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { clonedWithTeammate, commitFiles, gitCli, gitCliAsync, lockHolders, loopbackGitServer, requestYaml, serverAuth as auth, SERVER_TOKEN, TempDirs } from './gitTestRepos';

describe("push: the remote-tracking ref moved under its lock with git's reflog entry, only once the remote accepted", function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  const server = loopbackGitServer(tmp);
  let n = 0;
  const locks = lockHolders();

  /** Hammock's clone with a new commit on main, and an identical copy pushing to an identical copy of the remote. */
  async function setUp(): Promise<{ dir: string; oracle: string; remote: string; oracleRemote: string }> {
    const name = `push${++n}`;
    const { dir } = await clonedWithTeammate(tmp, server(), name);
    commitFiles(dir, { '.insomnia/Request/req_p.yml': requestYaml('req_p', 'Pushed') }, 'to push');
    const remote = path.join(server().projectRoot, `${name}.git`);
    const oracleRemote = path.join(server().projectRoot, `${name}-oracle.git`);
    fs.cpSync(remote, oracleRemote, { recursive: true });
    const oracle = path.join(tmp.make('hammock-copy-'), 'repo');
    fs.cpSync(dir, oracle, { recursive: true });
    gitCli(oracle, 'remote', 'set-url', 'origin', server().url(`${name}-oracle`).replace('http://', `http://u:${SERVER_TOKEN}@`));
    return { dir, oracle, remote, oracleRemote };
  }

  /** git push in `dir`: its exit code and stderr. */
  function gitPush(dir: string): Promise<{ code: number; stderr: string }> {
    return new Promise((resolve) => {
      execFile('git', ['push', 'origin', 'main'], { cwd: dir, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_COMMITTER_NAME: 'CLI User', GIT_COMMITTER_EMAIL: 'cli@hammock.invalid' } }, (err, _out, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr: String(stderr) }),
      );
    });
  }

  const entry = (d: string) => gitCli(d, 'reflog', '-1', '--format=%gs %H', 'refs/remotes/origin/main');

  it("the entry is written while the ref's lock is held, before it moves, in git's words", async () => {
    const { dir, oracle } = await setUp();
    const gitdir = path.join(dir, '.git');
    const tracking = path.join(gitdir, 'refs/remotes/origin/main');
    const realRename = fs.promises.rename;
    const seen: string[] = [];
    fs.promises.rename = async (from, to) => {
      if (String(to) === tracking) {
        const log = path.join(gitdir, 'logs/refs/remotes/origin/main');
        const last = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trimEnd().split('\n').pop()! : '';
        const moving = fs.readFileSync(String(from), 'utf8').trim();
        seen.push(`${path.basename(String(from))} ${last.split(' ')[1] === moving ? last.split('\t')[1] : 'not yet'}`);
      }
      return realRename(from, to);
    };
    try {
      await new GitClient(dir, { auth }).push();
    } finally {
      fs.promises.rename = realRename;
    }
    assert.deepStrictEqual(seen, ['main.lock update by push'], 'moved once, from its lock, its entry already written');
    assert.strictEqual(gitCli(dir, 'rev-parse', 'refs/remotes/origin/main'), gitCli(dir, 'rev-parse', 'main'));
    // the oracle: git push writes the same entry
    assert.strictEqual((await gitPush(oracle)).code, 0);
    assert.strictEqual(entry(dir), entry(oracle));
    assert.strictEqual(gitCli(dir, 'for-each-ref'), gitCli(oracle, 'for-each-ref'));
  });

  it("while another process holds the ref's lock the push succeeds, the ref and its reflog stay, and git's words say so", async () => {
    const { dir, oracle, remote, oracleRemote } = await setUp();
    const before = entry(dir);
    const lock = path.join(dir, '.git/refs/remotes/origin/main.lock');
    await locks.hold(lock);
    const result = await new GitClient(dir, { auth }).push();
    assert.match(result.trackingRefNotUpdated ?? '', /^update_ref failed for ref 'refs\/remotes\/origin\/main': cannot lock ref 'refs\/remotes\/origin\/main': Unable to create '[^']*main\.lock': File exists\.$/);
    assert.strictEqual(gitCli(remote, 'rev-parse', 'main'), gitCli(dir, 'rev-parse', 'main'), 'the remote has the commit');
    assert.strictEqual(entry(dir), before, 'no reflog entry for an update not made');
    assert.ok(fs.existsSync(lock), "the other process's lock is left alone");
    // the oracle: git push with the same lock held succeeds (exit 0) and says the ref was not updated
    fs.writeFileSync(path.join(oracle, '.git/refs/remotes/origin/main.lock'), '');
    const pushed = await gitPush(oracle);
    assert.strictEqual(pushed.code, 0);
    assert.match(pushed.stderr, /error: update_ref failed for ref 'refs\/remotes\/origin\/main': cannot lock ref 'refs\/remotes\/origin\/main'/);
    assert.strictEqual(gitCli(oracleRemote, 'rev-parse', 'main'), gitCli(oracle, 'rev-parse', 'main'));
    assert.strictEqual(gitCli(dir, 'for-each-ref'), gitCli(oracle, 'for-each-ref'));
    assert.strictEqual(entry(dir), entry(oracle));
    // once the lock is gone, a fetch brings the ref up to date
    await locks.release(lock);
    await new GitClient(dir, { auth }).fetch();
    assert.strictEqual(gitCli(dir, 'rev-parse', 'refs/remotes/origin/main'), gitCli(dir, 'rev-parse', 'main'));
  });

  it('a push the remote refuses (not a fast-forward) moves no ref and writes no entry', async () => {
    const { dir } = await setUp();
    const log = path.join(dir, '.git/logs/refs/remotes/origin/main');
    const before = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : null;
    const tracked = gitCli(dir, 'rev-parse', 'refs/remotes/origin/main');
    // a teammate pushed first
    const other = path.join(tmp.make('hammock-cli-'), 'wc');
    await gitCliAsync(path.dirname(other), 'clone', '-q', gitCli(dir, 'remote', 'get-url', 'origin').replace('http://', `http://u:${SERVER_TOKEN}@`), other);
    commitFiles(other, { '.insomnia/Request/req_o.yml': requestYaml('req_o', 'Other') }, 'other');
    await gitCliAsync(other, 'push', '-q', 'origin', 'HEAD:main');
    await assert.rejects(new GitClient(dir, { auth }).push(), /has commits you do not have/);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'refs/remotes/origin/main'), tracked);
    assert.strictEqual(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : null, before);
  });
});
