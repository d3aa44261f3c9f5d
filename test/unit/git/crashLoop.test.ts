// Crash loop: a child process stages, commits, checks out or pulls through Hammock, over and over, and is killed
// with SIGKILL at a random moment (at least 30 times per operation). After each kill, and the recovery a user
// would do (delete a stale lock, index.lock or a ref's, when the message says a crashed command left it, then redo), `git fsck
// --full` must be clean, every commit the child reported must still be there, and every tracked file must hold
// one of the contents git knows (nothing cut, nothing lost).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawn, execFileSync } from 'child_process';
import * as esbuild from 'esbuild';
import { GitClient } from '../../../src/git/gitClient';
import { GitError, GitErrorCode } from '../../../src/git/gitError';
import { GitServer } from '../../support/gitServer';
import { computeStatus } from '../../../src/git/status';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, porcelain, prng, sortLines, TempDirs, writeFiles } from './gitTestRepos';

const KILLS = 30;

describe('crash loop: SIGKILL at random moments never corrupts the repository', function () {
  this.timeout(300_000);
  const tmp = new TempDirs();
  let bundle: string;
  let server: GitServer;

  before(async () => {
    bundle = path.join(tmp.make('hammock-crash-bundle-'), 'child.js');
    esbuild.buildSync({ entryPoints: [path.join(__dirname, '../../support/gitCrashChild.ts')], bundle: true, platform: 'node', outfile: bundle, logLevel: 'silent' });
    server = await GitServer.start({ projectRoot: tmp.make('hammock-crash-server-') });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  /** Runs the child until it is ready, lets it work for a random while, kills it; returns what it printed. */
  async function runAndKill(dir: string, op: string, delayMs: number): Promise<string> {
    const child = spawn(process.execPath, [bundle, dir, op], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (out.includes('ready') || child.exitCode !== null) resolve();
        else setTimeout(check, 5);
      };
      check();
    });
    await new Promise((r) => setTimeout(r, delayMs));
    child.kill('SIGKILL');
    await exited;
    return out;
  }

  /** git's lock files in `dir`'s .git (index.lock, HEAD.lock, refs/**.lock, packed-refs.lock), as paths under .git. */
  function lockFiles(dir: string): string[] {
    const git = path.join(dir, '.git');
    const out: string[] = [];
    const walk = (rel: string): void => {
      for (const e of fs.readdirSync(path.join(git, rel), { withFileTypes: true })) {
        const p = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (p !== 'objects' && p !== 'logs') walk(p);
        } else if (e.name.endsWith('.lock')) out.push(p);
      }
    };
    walk('');
    return out;
  }

  /**
   * The recovery a user does, as after a crashed git command: a stale lock is reported as one (the message says a
   * crashed command left it); delete it. A kill while a ref is written leaves that ref's lock, as git's own does.
   */
  async function recover(dir: string): Promise<void> {
    const locks = lockFiles(dir);
    if (!locks.length) return;
    if (locks.includes('index.lock')) {
      try {
        await new GitClient(dir, { lock: { waitMs: 0 } }).stage([]);
        await new GitClient(dir, { lock: { waitMs: 0 } }).discard(['no-such-file']);
      } catch (err) {
        assert.ok(err instanceof GitError && err.code === GitErrorCode.IndexLocked, String(err));
        assert.match(err.message, /^A lock file left behind blocks git in this repository: .*index\.lock exists, but no process on this machine has it open .*a crashed git command left it\. Delete it/);
      }
    }
    for (const l of locks) fs.rmSync(path.join(dir, '.git', l), { force: true });
  }

  function fsckClean(dir: string, context: string): void {
    try {
      execFileSync('git', ['fsck', '--full', '--strict', '--no-progress'], { cwd: dir, stdio: 'pipe' });
    } catch (err) {
      assert.fail(`git fsck failed ${context}: ${String((err as { stderr?: Buffer }).stderr ?? err)}`);
    }
    execFileSync('git', ['status', '--porcelain'], { cwd: dir, stdio: 'pipe' });
  }

  /** Every tracked file holds a blob git has (in some commit or in the index): nothing torn. */
  function filesWhole(dir: string, context: string): void {
    const known = new Set(gitCli(dir, 'rev-list', '--all', '--objects').split('\n').map((l) => l.split(' ')[0]));
    for (const l of gitCli(dir, 'ls-files', '-s').split('\n')) known.add(l.split(/\s+/)[1]);
    for (const f of gitCli(dir, 'ls-files').split('\n').filter(Boolean)) {
      const full = path.join(dir, f);
      if (!fs.existsSync(full)) continue;
      const oid = execFileSync('git', ['hash-object', full]).toString().trim();
      assert.ok(known.has(oid), `${f} holds bytes git never had ${context}`);
    }
  }

  for (const op of ['stage', 'commit', 'checkout', 'pull', 'branch'] as const) {
    it(`${op}: ${KILLS} kills, then fsck clean and nothing lost`, async () => {
      const random = prng(1300 + op.length);
      const dir = tmp.make(`hammock-crash-${op}-`);
      initRepo(dir, legacySeed(5));
      const c = new GitClient(dir);
      await c.setAuthor(AUTHOR);
      let seed = '';
      if (op === 'checkout') {
        gitCli(dir, 'checkout', '-q', '-b', 'side');
        commitFiles(dir, Object.fromEntries([1, 2, 3].map((i) => [`.insomnia/Request/req_${i}.yml`, `side ${i}\n${'y'.repeat(5000)}\n`])));
        gitCli(dir, 'checkout', '-q', 'main');
      }
      if (op === 'pull') {
        seed = tmp.make('hammock-crash-seed-');
        initRepo(seed, legacySeed(5));
        server.createBareRepo('crash', { seedDir: seed });
        fs.rmSync(dir, { recursive: true, force: true });
        await gitCliAsync(path.dirname(dir), 'clone', '-q', server.url('crash').replace('://', '://u:secret-token@'), dir);
        gitCli(dir, 'config', 'user.name', AUTHOR.name);
        gitCli(dir, 'config', 'user.email', AUTHOR.email);
        gitCli(seed, 'remote', 'add', 'origin', server.url('crash').replace('://', '://u:secret-token@'));
      }
      const committed: string[] = [];
      for (let k = 0; k < KILLS; k++) {
        if (op === 'pull') {
          writeFiles(seed, { [`.insomnia/Request/req_${(k % 5) + 1}.yml`]: `remote ${k}\n${'z'.repeat(3000 + k)}\n` });
          gitCli(seed, 'add', '-A');
          gitCli(seed, 'commit', '-q', '-m', `remote ${k}`);
          await gitCliAsync(seed, 'push', '-q', 'origin', 'HEAD:main');
        }
        if (op === 'branch') gitCli(dir, 'pack-refs', '--all'); // deletions then go through packed-refs.lock
        const out = await runAndKill(dir, op, Math.floor(random() * (op === 'pull' ? 400 : 250)));
        for (const m of out.matchAll(/^committed ([0-9a-f]{40})$/gm)) committed.push(m[1]);
        assert.doesNotMatch(out, /^error (?!.*index\.lock)/m, `the child failed before the kill: ${out}`);
        await recover(dir);
        const context = `after kill ${k + 1} of ${op}`;
        fsckClean(dir, context);
        // Hammock's status of what the kill left is git's
        const cli = sortLines(gitCli(dir, 'status', '--porcelain=v1', '-uall', '--no-renames').split('\n').filter(Boolean)).join('\n');
        assert.strictEqual(porcelain(await computeStatus({ dir, cache: {} })), cli, `status ${context}`);
        // stage/commit: the child writes the files itself (an editor): only Hammock's own writes are checked whole
        if (op === 'checkout' || op === 'pull') filesWhole(dir, context);
        else if (op === 'branch') {
          // every branch there is points at main's commit (the only value ever written), packed or loose
          const main = gitCli(dir, 'rev-parse', 'main');
          for (const line of gitCli(dir, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/t').split('\n').filter(Boolean)) assert.strictEqual(line.split(' ')[1], main, `${line} ${context}`);
          gitCli(dir, 'config', '--list'); // the config still parses
          await new GitClient(dir).createBranch('t/redo', { checkout: false }); // the redo works
          await new GitClient(dir).deleteBranch('t/redo');
        } else await new GitClient(dir).stage(['.insomnia/Request/req_1.yml']); // the redo works
        for (const oid of committed) execFileSync('git', ['cat-file', '-e', oid], { cwd: dir });
        // a redo works: the operation completes after the recovery
        // a switch killed after writing files but before the index: those files hold committed bytes (checked
        // above) and show as modified; the user discards them (nothing is lost), then redoes the operation
        if (op === 'checkout' || op === 'pull') {
          const status = gitCli(dir, 'status', '--porcelain', '--untracked-files=no');
          if (status) gitCli(dir, 'checkout', '-q', '-f', gitCli(dir, 'rev-parse', '--abbrev-ref', 'HEAD'));
        }
      }
      if (op === 'pull') {
        await new GitClient(dir, { auth: { getCredentials: () => ({ username: 'u', token: 'secret-token' }), requestCredentials: async () => undefined } }).pull();
        assert.strictEqual(gitCli(dir, 'rev-parse', 'HEAD'), gitCli(seed, 'rev-parse', 'HEAD'));
        fsckClean(dir, 'after the final pull');
      }
    });
  }
});
