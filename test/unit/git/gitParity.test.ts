// The fault matrix of issue 13, one scenario each, with the git CLI (2.39) as the oracle: every state Hammock reads
// must mean what git means (status compared with `git status --porcelain -uall`), every state it leaves must be one
// git accepts (`git fsck --strict`), and it must refuse where git refuses.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawn, execFileSync } from 'child_process';
import { GitClient, removeStaleClones } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { computeStatus } from '../../../src/git/status';
import { parseRemoteUrl } from '../../../src/git/remoteUrl';
import { IgnoreRules } from '../../../src/git/plumbing/ignoreRules';
import { AUTHOR, commitFiles, gitCli, initRepo, legacySeed, rejects, requestYaml, TempDirs, writeFiles } from './gitTestRepos';
import { porcelain } from './status.test';

function cliStatus(dir: string): string {
  const out = gitCli(dir, 'status', '--porcelain=v1', '-uall', '--no-renames');
  const key = (l: string): string => l.slice(3) + '\0' + l.slice(0, 2);
  return out
    .split('\n')
    .filter(Boolean)
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .join('\n');
}

async function sameStatus(dir: string, expected?: string): Promise<void> {
  const ours = porcelain(await computeStatus({ dir, cache: {} }));
  const cli = cliStatus(dir);
  assert.strictEqual(ours, cli, 'Hammock status differs from git status');
  if (expected !== undefined) assert.strictEqual(cli, expected);
}

function fsck(dir: string): void {
  execFileSync('git', ['fsck', '--strict', '--full', '--no-progress'], { cwd: dir, stdio: 'pipe' });
}

describe('git parity (issue 13 fault matrix)', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  function repo(files: Record<string, string> = legacySeed(3)): GitClient {
    const dir = initRepo(tmp.make(), files);
    return new GitClient(dir);
  }

  it('a same-size edit whose mtime was put back (touch -r) shows as modified, and checkout refuses as git does', async () => {
    const c = repo();
    gitCli(c.dir, 'branch', 'other');
    commitFiles(c.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'On main') });
    gitCli(c.dir, 'checkout', '-q', 'other');
    const f = path.join(c.dir, '.insomnia/Request/req_1.yml');
    const before = fs.statSync(f);
    fs.writeFileSync(path.join(c.dir, 'ref'), '');
    fs.utimesSync(path.join(c.dir, 'ref'), before.atime, before.mtime);
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('Request 1', 'Request X')); // same size
    execFileSync('touch', ['-r', path.join(c.dir, 'ref'), f]);
    fs.rmSync(path.join(c.dir, 'ref'));
    await sameStatus(c.dir, ' M .insomnia/Request/req_1.yml');
    await rejects(c.checkout('main'), GitErrorCode.DirtyWorkingTree);
    assert.match(fs.readFileSync(f, 'utf8'), /Request X/);
  });

  it('never trusts an empty loose object: stage and commit rewrite it, fsck stays clean', async () => {
    const c = repo();
    await c.setAuthor(AUTHOR);
    const content = requestYaml('req_1', 'Fresh');
    const oid = execFileSync('git', ['hash-object', '--stdin'], { input: content }).toString().trim();
    const obj = path.join(c.dir, '.git/objects', oid.slice(0, 2), oid.slice(2));
    fs.mkdirSync(path.dirname(obj), { recursive: true });
    fs.writeFileSync(obj, ''); // what a kill -9 mid-write used to leave
    writeFiles(c.dir, { '.insomnia/Request/req_1.yml': content });
    await c.stage(['.insomnia/Request/req_1.yml']);
    await c.commit('fresh');
    assert.ok(fs.statSync(obj).size > 0);
    fsck(c.dir);
    assert.strictEqual(gitCli(c.dir, 'status', '--porcelain'), '');
  });

  it('a submodule is one gitlink (never its files), and a nested repository one untracked entry', async () => {
    const sub = initRepo(tmp.make(), { 'inner.txt': 'inner\n' });
    const c = repo();
    execFileSync('git', ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'lib'], { cwd: c.dir, stdio: 'pipe', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
    fs.mkdirSync(path.join(c.dir, 'nested'));
    initRepo(path.join(c.dir, 'nested'), { 'n.txt': 'n\n' });
    await sameStatus(c.dir, ['A  .gitmodules', 'A  lib', '?? nested/'].join('\n'));
    await c.setAuthor(AUTHOR);
    await c.stage(['nested/']);
    await sameStatus(c.dir);
    await c.commit('with a submodule and a nested repo');
    fsck(c.dir);
    assert.deepStrictEqual(gitCli(c.dir, 'ls-tree', 'HEAD', 'lib', 'nested').split('\n').map((l) => l.split(/\s+/)[1]), ['commit', 'commit']);
    await sameStatus(c.dir, '');
  });

  it('sparse checkout: files outside the cone are not deleted, and a commit keeps them', async () => {
    const c = repo({ ...legacySeed(2), 'docs/a.md': 'a\n', 'other/b.md': 'b\n' });
    gitCli(c.dir, 'sparse-checkout', 'set', '--cone', '.insomnia');
    assert.ok(!fs.existsSync(path.join(c.dir, 'other/b.md')));
    await sameStatus(c.dir, '');
    await c.setAuthor(AUTHOR);
    writeFiles(c.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Sparse edit') });
    await c.stage(['.insomnia/Request/req_1.yml']);
    await c.commit('sparse');
    assert.match(gitCli(c.dir, 'ls-tree', '-r', '--name-only', 'HEAD'), /other\/b\.md/);
    fsck(c.dir);
  });

  it('intent-to-add (git add -N) shows as git shows it and is never committed as an empty file', async () => {
    const c = repo();
    writeFiles(c.dir, { 'later.yml': 'later: 1\n' });
    gitCli(c.dir, 'add', '-N', 'later.yml');
    await sameStatus(c.dir, ' A later.yml');
    await c.setAuthor(AUTHOR);
    writeFiles(c.dir, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Other') });
    await c.stage(['.insomnia/Request/req_2.yml']);
    await c.commit('without the intent-to-add file');
    assert.doesNotMatch(gitCli(c.dir, 'ls-tree', '-r', '--name-only', 'HEAD'), /later\.yml/);
    await sameStatus(c.dir, ' A later.yml');
  });

  it('line endings: a CLI checkout with core.autocrlf=true is clean, staging stores LF, a checkout writes CRLF where eol=crlf', async () => {
    const c = repo({ ...legacySeed(2), '.gitattributes': '*.bat eol=crlf\n*.bin binary\n', 'run.bat': 'echo 1\necho 2\n', 'data.bin': 'a\r\nb\n' });
    gitCli(c.dir, 'config', 'core.autocrlf', 'true');
    fs.rmSync(path.join(c.dir, '.insomnia'), { recursive: true });
    fs.rmSync(path.join(c.dir, 'run.bat'));
    gitCli(c.dir, 'checkout', '--', '.');
    assert.match(fs.readFileSync(path.join(c.dir, '.insomnia/Request/req_1.yml'), 'utf8'), /\r\n/);
    await sameStatus(c.dir, '');
    await c.setAuthor(AUTHOR);
    writeFiles(c.dir, { 'new.yml': 'a: 1\r\nb: 2\r\n' });
    await c.stage(['new.yml']);
    assert.strictEqual(gitCli(c.dir, 'cat-file', '-p', ':new.yml'), 'a: 1\nb: 2');
    await sameStatus(c.dir);
    await c.commit('crlf');
    gitCli(c.dir, 'checkout', '-q', '-b', 'other');
    commitFiles(c.dir, { 'run.bat': 'echo 3\n' });
    gitCli(c.dir, 'checkout', '-q', 'main');
    await c.checkout('other');
    assert.strictEqual(fs.readFileSync(path.join(c.dir, 'run.bat'), 'utf8'), 'echo 3\r\n');
    await sameStatus(c.dir, '');
  });

  it('ignore rules are case-sensitive and include core.excludesFile and ~/.config/git/ignore', async () => {
    const c = repo({ ...legacySeed(1), '.gitignore': '*.log\n' });
    const home = tmp.make('hammock-home-');
    writeFiles(home, { '.config/git/ignore': 'secret.txt\n' });
    const saved = { HOME: process.env.HOME, XDG: process.env.XDG_CONFIG_HOME };
    process.env.HOME = home;
    delete process.env.XDG_CONFIG_HOME;
    try {
      writeFiles(c.dir, { 'a.log': 'x', 'B.LOG': 'x', 'secret.txt': 's', 'custom.tmp': 't' });
      const rules = new IgnoreRules(c.dir, path.join(c.dir, '.git'));
      assert.deepStrictEqual(['a.log', 'B.LOG', 'secret.txt', 'custom.tmp'].map((f) => rules.isIgnored(f, false)), [true, false, true, false]);
      writeFiles(home, { 'excludes': '*.tmp\n' });
      gitCli(c.dir, 'config', 'core.excludesFile', path.join(home, 'excludes'));
      const again = new IgnoreRules(c.dir, path.join(c.dir, '.git'));
      assert.deepStrictEqual(['secret.txt', 'custom.tmp'].map((f) => again.isIgnored(f, false)), [false, true]);
      const st = porcelain(await computeStatus({ dir: c.dir, cache: {} }));
      const cli = execFileSync('git', ['status', '--porcelain=v1', '-uall'], { cwd: c.dir, env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1' } }).toString().trim();
      assert.strictEqual(st, cli.split('\n').sort().join('\n'));
    } finally {
      process.env.HOME = saved.HOME;
      if (saved.XDG !== undefined) process.env.XDG_CONFIG_HOME = saved.XDG;
    }
  });

  it('skip-worktree, assume-unchanged, core.fileMode=false and a file replaced by a symlink', async () => {
    const c = repo({ ...legacySeed(3), 'run.sh': '#!/bin/sh\n' });
    gitCli(c.dir, 'update-index', '--skip-worktree', '.insomnia/Request/req_1.yml');
    gitCli(c.dir, 'update-index', '--assume-unchanged', '.insomnia/Request/req_2.yml');
    writeFiles(c.dir, { '.insomnia/Request/req_1.yml': 'changed\n', '.insomnia/Request/req_2.yml': 'changed\n' });
    gitCli(c.dir, 'config', 'core.fileMode', 'false');
    fs.chmodSync(path.join(c.dir, 'run.sh'), 0o755);
    fs.rmSync(path.join(c.dir, '.insomnia/Request/req_3.yml'));
    fs.symlinkSync('req_1.yml', path.join(c.dir, '.insomnia/Request/req_3.yml'));
    await sameStatus(c.dir, ' T .insomnia/Request/req_3.yml');
  });

  it('a file name that is not UTF-8 is no phantom deletion', async () => {
    const c = repo();
    const name = Buffer.concat([Buffer.from(c.dir + '/caf'), Buffer.from([0xe9]), Buffer.from('.txt')]);
    fs.writeFileSync(name, 'latin-1 name\n');
    execFileSync('git', ['add', '-A'], { cwd: c.dir });
    execFileSync('git', ['-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-qm', 'latin1'], { cwd: c.dir });
    const st = await computeStatus({ dir: c.dir, cache: {} });
    assert.deepStrictEqual([st.staged, st.changes], [[], []]);
  });

  it('reads a split index, and works in a linked worktree (.git is a file)', async () => {
    const c = repo();
    gitCli(c.dir, 'update-index', '--split-index');
    writeFiles(c.dir, { '.insomnia/Request/req_9.yml': requestYaml('req_9', 'Nine') });
    gitCli(c.dir, 'add', '.insomnia/Request/req_9.yml');
    assert.ok(fs.readdirSync(path.join(c.dir, '.git')).some((f) => f.startsWith('sharedindex.')));
    await sameStatus(c.dir, 'A  .insomnia/Request/req_9.yml');
    const wt = path.join(tmp.make(), 'wt');
    gitCli(c.dir, 'worktree', 'add', '-q', '-b', 'feature', wt);
    const w = new GitClient(wt);
    await w.setAuthor(AUTHOR);
    writeFiles(wt, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'In the worktree') });
    await sameStatus(wt, ' M .insomnia/Request/req_1.yml');
    await w.stage(['.insomnia/Request/req_1.yml']);
    await w.commit('from a linked worktree');
    assert.strictEqual(gitCli(c.dir, 'log', '-1', '--format=%s', 'feature'), 'from a linked worktree');
    await sameStatus(wt, '');
    fsck(c.dir);
  });

  it('writes reflog entries for commits, checkouts and branch creation', async () => {
    const c = repo();
    await c.setAuthor(AUTHOR);
    writeFiles(c.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Logged') });
    await c.stage(['.insomnia/Request/req_1.yml']);
    await c.commit('logged commit');
    await c.createBranch('topic');
    await c.checkout('main');
    const log = gitCli(c.dir, 'reflog', '--format=%gs', 'HEAD').split('\n');
    assert.deepStrictEqual(log.slice(0, 3), ['checkout: moving from topic to main', 'checkout: moving from main to topic', 'commit: logged commit']);
    assert.match(gitCli(c.dir, 'reflog', '--format=%gs', 'topic'), /branch: Created from HEAD/);
    fsck(c.dir);
  });

  it('a criss-cross history is refused with a clear message and nothing changes', async () => {
    const c = repo();
    await c.setAuthor(AUTHOR);
    const cli = (...a: string[]): string => gitCli(c.dir, ...a);
    cli('checkout', '-q', '-b', 'b');
    commitFiles(c.dir, { 'b1.txt': 'b1\n' });
    cli('checkout', '-q', 'main');
    commitFiles(c.dir, { 'a1.txt': 'a1\n' });
    cli('merge', '-q', '--no-edit', 'b^0', '-m', 'm1');
    cli('checkout', '-q', 'b');
    cli('merge', '-q', '--no-edit', 'main~1', '-m', 'm2');
    commitFiles(c.dir, { 'b2.txt': 'b2\n' });
    cli('checkout', '-q', 'main');
    commitFiles(c.dir, { 'a2.txt': 'a2\n' });
    cli('update-ref', 'refs/remotes/origin/main', 'b');
    cli('config', 'branch.main.remote', 'origin');
    cli('config', 'branch.main.merge', 'refs/heads/main');
    assert.ok(cli('merge-base', '--all', 'main', 'b').split('\n').length >= 2, 'the history must be criss-cross');
    const head = cli('rev-parse', 'HEAD');
    const err = await rejects(c.previewPull(), GitErrorCode.MergeNotSupported);
    assert.match(err.message, /criss-cross/);
    assert.strictEqual(cli('rev-parse', 'HEAD'), head);
  });

  it('index.lock: names a running `git commit` waiting for its editor; says a crash left it only when none runs', async () => {
    const c = repo();
    writeFiles(c.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Editing') });
 // `git commit -a` holds index.lock, with no file open, while its editor runs
    const child = spawn('git', ['commit', '-a'], { cwd: c.dir, env: { ...process.env, GIT_EDITOR: 'sleep 30 #', GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b' }, stdio: 'ignore' });
    try {
      const lock = path.join(c.dir, '.git/index.lock');
      for (let i = 0; i < 200 && !fs.existsSync(lock); i++) await new Promise((r) => setTimeout(r, 25));
      assert.ok(fs.existsSync(lock), 'git commit holds index.lock');
      const c2 = new GitClient(c.dir, { lock: { waitMs: 50 } });
      const err = await rejects(c2.stage(['.insomnia/Request/req_1.yml']), GitErrorCode.IndexLocked);
      assert.doesNotMatch(err.message, /crashed|delete it/i);
      assert.match(err.message, /git commit/);
    } finally {
      const exited = child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    const c3 = new GitClient(c.dir, { lock: { waitMs: 50 } });
    const stale = await rejects(c3.stage(['.insomnia/Request/req_1.yml']), GitErrorCode.IndexLocked);
    assert.match(stale.message, /crashed git command left it behind: delete it/);
  });

  it('never echoes a token: scheme-less user:TOKEN@host remotes and SSH forms', () => {
    for (const url of ['user:TOPSECRET1@git.example.com/org/repo.git', 'git+ssh://TOPSECRET1@git.example.com', 'ssh://u:TOPSECRET1@git.example.com:22/org/r.git']) {
      try {
        parseRemoteUrl(url);
        assert.fail('must be refused');
      } catch (err) {
        const e = err as { message: string; details?: { httpsUrl?: string } };
        assert.doesNotMatch(e.message, /TOPSECRET1/);
        assert.doesNotMatch(e.details?.httpsUrl ?? '', /TOPSECRET1|ssh/);
      }
    }
  });

  it('a clone killed mid-way leaves a hidden folder that the next clone (or start) removes', async () => {
    const parent = tmp.make();
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    const left = path.join(parent, `.repo.hammock-clone-${dead.pid}-0123abcd`);
    const mine = path.join(parent, `.repo.hammock-clone-${process.pid}-0123abce`);
    fs.mkdirSync(path.join(left, '.git'), { recursive: true });
    fs.mkdirSync(mine);
    assert.deepStrictEqual(await removeStaleClones(parent), [left]);
    assert.ok(!fs.existsSync(left) && fs.existsSync(mine));
  });
});
