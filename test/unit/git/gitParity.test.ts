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
import { encodePath } from '../../../src/git/plumbing/pathBytes';
import { AUTHOR, commitFiles, gitCli, initRepo, legacySeed, porcelain, rejects, requestYaml, snapshot, sortLines, TempDirs, writeFiles } from './gitTestRepos';

function cliStatus(dir: string): string {
  const out = gitCli(dir, 'status', '--porcelain=v1', '-uall', '--no-renames');
  return sortLines(out.split('\n').filter(Boolean)).join('\n');
}

/** A path as git prints it (core.quotePath): quoted, with bytes that are not printable ASCII as octal escapes. */
function quoteLikeGit(p: string): string {
  const bytes = encodePath(p);
  if (!bytes.some((b) => b < 0x20 || b === 0x22 || b === 0x5c || b >= 0x7f)) return p;
  let out = '';
  for (const b of bytes) out += b < 0x20 || b === 0x22 || b === 0x5c || b >= 0x7f ? '\\' + b.toString(8).padStart(3, '0') : String.fromCharCode(b);
  return `"${out}"`;
}

async function sameStatus(dir: string, expected?: string): Promise<void> {
  const key = (l: string): string => l.slice(3) + '\0' + l.slice(0, 2);
  const ours = porcelain(await computeStatus({ dir, cache: {} }))
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(0, 3) + quoteLikeGit(l.slice(3)))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .join('\n');
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

  it('status refreshes stat data as git status does: files copied with cp -a are read once, then trusted; never while another holds the lock', async () => {
    const c = repo({ ...legacySeed(6), 'docs/a.txt': 'a\n' });
    const copy = path.join(tmp.make(), 'copy');
    execFileSync('cp', ['-a', c.dir, copy]); // same contents and mtimes, new inodes and ctimes: every entry's stat data is stale
    const inodes = (dir: string): string[] =>
      gitCli(dir, 'ls-files', '--debug')
        .split('\n')
        .filter((l) => l.trim().startsWith('dev:'))
        .map((l) => l.trim().split(/\s+/)[3]);
    const stale = inodes(copy);
    // someone holds the lock: the status is right, and the index is left alone
    fs.writeFileSync(path.join(copy, '.git/index.lock'), '');
    const h = new GitClient(copy);
    assert.deepStrictEqual([(await h.status()).changes, (await h.status()).staged], [[], []]);
    assert.deepStrictEqual(inodes(copy), stale);
    fs.rmSync(path.join(copy, '.git/index.lock'));
    // the lock is free: the first status reads every file and refreshes their stat data
    const before = fs.statSync(path.join(copy, '.git/index')).mtimeMs;
    assert.deepStrictEqual((await h.status()).changes, []);
    assert.notStrictEqual(fs.statSync(path.join(copy, '.git/index')).mtimeMs, before);
    const files = gitCli(copy, 'ls-files').split('\n');
    assert.deepStrictEqual(inodes(copy), files.map((f) => String(fs.statSync(path.join(copy, f)).ino % 2 ** 32)));
    // git trusts what Hammock wrote, and a same-size edit with its mtime put back is still seen
    assert.strictEqual(gitCli(copy, 'status', '--porcelain'), '');
    const f = path.join(copy, 'docs/a.txt');
    const st = fs.statSync(f);
    // the oracle, git built without nanosecond stat checks, sees this edit only by its ctime's seconds: the edit must
    // come in a later second than the copy's (else git misses it and Hammock, which compares nanoseconds, does not).
    // Checked on the file's own ctime, not the clock: the file system stamps with a coarse clock that can still be in
    // the old second a few milliseconds after Date.now() left it (under load this made git miss the edit)
    const second = (ms: number) => Math.floor(ms / 1000);
    for (;;) {
      fs.writeFileSync(f, 'b\n');
      fs.utimesSync(f, st.atime, st.mtime);
      if (second(fs.statSync(f).ctimeMs) > second(st.ctimeMs)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await sameStatus(copy, ' M docs/a.txt');
    fsck(copy);
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

  it("a branch switch writes the files with the target branch's .gitattributes, as git checkout does", async () => {
    // main: no attributes; `crlf`: *.bat eol=crlf and a changed run.bat; `plain`: the attributes taken out again
    const c = repo({ ...legacySeed(1), 'run.bat': 'echo 1\necho 2\n' });
    gitCli(c.dir, 'checkout', '-q', '-b', 'crlf');
    commitFiles(c.dir, { '.gitattributes': '*.bat eol=crlf\n', 'run.bat': 'echo 3\n', 'tools/x.bat': 'x\n' });
    gitCli(c.dir, 'checkout', '-q', '-b', 'plain');
    gitCli(c.dir, 'rm', '-q', '.gitattributes');
    commitFiles(c.dir, { 'run.bat': 'echo 4\n', 'tools/x.bat': 'y\n' });
    gitCli(c.dir, 'checkout', '-q', 'main');
    const twin = tmp.make('hammock-attr-twin-');
    fs.cpSync(c.dir, twin, { recursive: true });
    const files = (dir: string) => Object.fromEntries(['run.bat', 'tools/x.bat'].map((f) => [f, fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : null]));
    for (const branch of ['crlf', 'plain', 'crlf', 'main']) {
      await c.checkout(branch);
      gitCli(twin, 'checkout', '-q', branch);
      assert.deepEqual(files(c.dir), files(twin), `after switching to ${branch}`);
      await sameStatus(c.dir, '');
    }
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

  it('non-UTF-8 file names: checkout writes them under their own bytes, status names them, stage and commit keep the bytes', async () => {
    const c = repo();
    await c.setAuthor(AUTHOR);
    const latin1 = (dir: string, ...parts: (string | number[])[]): Buffer =>
      Buffer.concat([Buffer.from(dir + '/'), ...parts.map((x) => (typeof x === 'string' ? Buffer.from(x) : Buffer.from(x)))]);
    gitCli(c.dir, 'checkout', '-q', '-b', 'other');
    fs.mkdirSync(latin1(c.dir, 'd', [0xe9]));
    fs.writeFileSync(latin1(c.dir, 'caf', [0xe9], '.txt'), 'latin-1 name\n');
    fs.writeFileSync(latin1(c.dir, 'd', [0xe9], '/inner.txt'), 'in a latin-1 folder\n');
    execFileSync('git', ['add', '-A'], { cwd: c.dir });
    execFileSync('git', ['-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-qm', 'latin1'], { cwd: c.dir });
    gitCli(c.dir, 'checkout', '-q', 'main');
    assert.ok(!fs.existsSync(latin1(c.dir, 'caf', [0xe9], '.txt')));
    // checkout: the files appear under their bytes, and git sees a clean tree with the same index
    await c.checkout('other');
    assert.strictEqual(fs.readFileSync(latin1(c.dir, 'caf', [0xe9], '.txt'), 'utf8'), 'latin-1 name\n');
    assert.strictEqual(fs.readFileSync(latin1(c.dir, 'd', [0xe9], '/inner.txt'), 'utf8'), 'in a latin-1 folder\n');
    assert.ok(!fs.readdirSync(c.dir).some((n) => n.includes('\ufffd') && fs.existsSync(path.join(c.dir, n)) && !fs.existsSync(latin1(c.dir, 'caf', [0xe9], '.txt'))));
    await sameStatus(c.dir, '');
    assert.strictEqual(gitCli(c.dir, 'diff', '--cached', '--name-only'), '');
    // an edit and a new file: status names them so that staging them finds them again
    fs.writeFileSync(latin1(c.dir, 'caf', [0xe9], '.txt'), 'edited\n');
    fs.writeFileSync(latin1(c.dir, 'na', [0xef], 've.txt'), 'new\n');
    await sameStatus(c.dir);
    const st = await c.status();
    const changed = st.changes.map((ch) => ch.path);
    assert.strictEqual(changed.length, 2);
    await c.stage(changed);
    await sameStatus(c.dir);
    await c.commit('latin-1 edits');
    fsck(c.dir);
    await sameStatus(c.dir, '');
    // the same steps with the git CLI give the same tree
    const cli = tmp.make('hammock-latin1-cli-');
    execFileSync('cp', ['-a', c.dir + '/.', cli]);
    gitCli(cli, 'reset', '-q', '--hard', 'HEAD~1');
    fs.writeFileSync(latin1(cli, 'caf', [0xe9], '.txt'), 'edited\n');
    fs.writeFileSync(latin1(cli, 'na', [0xef], 've.txt'), 'new\n');
    gitCli(cli, 'add', '-A');
    assert.strictEqual(gitCli(c.dir, 'rev-parse', 'HEAD^{tree}'), gitCli(cli, 'write-tree'));
    // and back: the files of the other branch go away, nothing else is left
    await c.checkout('main');
    await sameStatus(c.dir, '');
    assert.ok(!fs.existsSync(latin1(c.dir, 'caf', [0xe9], '.txt')));
  });

  it('a submodule: its HEAD moved, modified content and untracked files show as git shows them; checkout does not refuse over it', async () => {
    const sub = initRepo(tmp.make(), { 'inner.txt': 'inner\n', 'second.txt': 'two\n' });
    const c = repo();
    await c.setAuthor(AUTHOR);
    execFileSync('git', ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'lib'], { cwd: c.dir, stdio: 'pipe', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
    gitCli(c.dir, 'commit', '-q', '-m', 'add lib');
    const recorded = gitCli(c.dir, 'rev-parse', 'HEAD:lib');
    const lib = path.join(c.dir, 'lib');
    /** porcelain v2's submodule field (`S<c><m><u>`) for lib, and Hammock's. */
    const both = async (): Promise<[string, string]> => {
      const line = gitCli(c.dir, 'status', '--porcelain=v2').split('\n').find((l) => l.endsWith(' lib')) ?? '';
      const theirs = line ? line.split(' ')[2] : 'clean';
      const mine = (await computeStatus({ dir: c.dir, cache: {} })).changes.find((ch) => ch.path === 'lib');
      const s = mine?.submodule;
      return [theirs, s ? `S${s.commitChanged ? 'C' : '.'}${s.modifiedContent ? 'M' : '.'}${s.untrackedContent ? 'U' : '.'}` : 'clean'];
    };
    const same = async (expected: string): Promise<void> => {
      const [g, h] = await both();
      assert.strictEqual(h, g, 'Hammock against git status --porcelain=v2');
      assert.strictEqual(g, expected);
      await sameStatus(c.dir);
    };
    await same('clean');
    fs.writeFileSync(path.join(lib, 'inner.txt'), 'changed inside\n');
    await same('S.M.');
    fs.writeFileSync(path.join(lib, 'scratch.txt'), 'untracked inside\n');
    await same('S.MU');
    gitCli(lib, 'checkout', '-q', '--', 'inner.txt');
    await same('S..U');
    fs.rmSync(path.join(lib, 'scratch.txt'));
    commitFiles(lib, { 'second.txt': 'moved on\n' });
    await same('SC..');
    fs.writeFileSync(path.join(lib, 'inner.txt'), 'and changed\n');
    await same('SCM.');
    // a branch whose gitlink is another commit: git switches without touching the submodule's checkout
    gitCli(c.dir, 'checkout', '-q', '-b', 'other');
    gitCli(c.dir, 'update-index', '--cacheinfo', `160000,${gitCli(lib, 'rev-parse', 'HEAD')},lib`);
    gitCli(c.dir, 'commit', '-q', '-m', 'lib moved on');
    gitCli(c.dir, 'checkout', '-q', 'main');
    const cliCopy = tmp.make('hammock-sub-cli-');
    execFileSync('cp', ['-a', c.dir + '/.', cliCopy]);
    gitCli(cliCopy, 'checkout', '-q', 'other');
    await c.checkout('other');
    assert.strictEqual(gitCli(c.dir, 'ls-files', '-s', 'lib'), gitCli(cliCopy, 'ls-files', '-s', 'lib'));
    assert.strictEqual(fs.readFileSync(path.join(lib, 'inner.txt'), 'utf8'), 'and changed\n', 'the submodule\'s own edit is untouched');
    await same('S.M.');
    await c.checkout('main');
    assert.strictEqual(gitCli(c.dir, 'ls-files', '-s', 'lib').split(/\s+/)[1], recorded);
    fsck(c.dir);
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

  /** A clone of `remoteOf` whose remote-tracking `origin/main` is `theirsRef` of that repository, as after a fetch. */
  function trackingCopy(source: string, theirsRef: string): string {
    const dir = tmp.make('hammock-parity-copy-');
    execFileSync('cp', ['-a', source + '/.', dir]);
    gitCli(dir, 'update-ref', 'refs/remotes/origin/main', gitCli(source, 'rev-parse', theirsRef));
    gitCli(dir, 'config', 'branch.main.remote', 'origin');
    gitCli(dir, 'config', 'branch.main.merge', 'refs/heads/main');
    return dir;
  }

  /** A byte-identical copy of `dir`. */
  function gitCopy(dir: string): string {
    const copy = tmp.make('hammock-parity-git-');
    execFileSync('cp', ['-a', dir + '/.', copy]);
    return copy;
  }

  /** `git merge` of origin/main in a byte-identical copy: its tree, or its conflicted paths. */
  /** `git merge origin/main` on a copy: the merged tree, or the conflicted paths and what git left in each. */
  function gitMerge(dir: string): { tree?: string; conflicts: string[]; texts: Record<string, string> } {
    const copy = gitCopy(dir);
    try {
      gitCli(copy, 'merge', '-q', '--no-edit', 'origin/main');
      return { tree: gitCli(copy, 'rev-parse', 'HEAD^{tree}'), conflicts: [], texts: {} };
    } catch {
      const conflicts = gitCli(copy, 'diff', '--name-only', '--diff-filter=U').split('\n').filter(Boolean).sort();
      return { conflicts, texts: Object.fromEntries(conflicts.map((p) => [p, fs.readFileSync(path.join(copy, p), 'utf8')])) };
    }
  }

  it('a criss-cross history (two merge bases) merges as git merges it, with a virtual merge base', async () => {
    const c = repo({ ...legacySeed(2), 'x.txt': 'x one\nx two\n', 'y.txt': 'y one\ny two\n' });
    await c.setAuthor(AUTHOR);
    const cli = (...a: string[]): string => gitCli(c.dir, ...a);
    cli('checkout', '-q', '-b', 'b');
    commitFiles(c.dir, { 'x.txt': 'x one\nx TWO (b)\n' });
    cli('checkout', '-q', 'main');
    commitFiles(c.dir, { 'y.txt': 'y one\ny TWO (main)\n' });
    // each cross merge keeps its own side only: the virtual merge base (both edits) is what each side then undid
    cli('merge', '-q', '-s', 'ours', '--no-edit', 'b^0');
    cli('checkout', '-q', 'b');
    cli('merge', '-q', '-s', 'ours', '--no-edit', 'main~1');
    commitFiles(c.dir, { 'b2.txt': 'b2\n' });
    cli('checkout', '-q', 'main');
    commitFiles(c.dir, { 'a2.txt': 'a2\n', '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Main edit') });
    assert.strictEqual(cli('merge-base', '--all', 'main', 'b').split('\n').length, 2, 'the history must be criss-cross');
    const dir = trackingCopy(c.dir, 'b');
    const expected = gitMerge(dir);
    assert.ok(expected.tree, `git merges it: ${expected.conflicts.join(', ')}`);
    const h = new GitClient(dir);
    const head = gitCli(dir, 'rev-parse', 'HEAD');
    const preview = await h.previewPull();
    assert.strictEqual(preview.kind, 'merge');
    assert.strictEqual(preview.base, gitCli(dir, 'merge-base', '--all', 'main', 'origin/main').split('\n')[0]);
    // (no remote to fetch from here: Merge in Editor merges what was fetched, and completes a clean merge as a pull)
    assert.strictEqual((await h.mergeInEditor()).completed, true);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'HEAD^{tree}'), expected.tree, 'the tree git makes');
    assert.deepStrictEqual(gitCli(dir, 'log', '-1', '--format=%P').split(' '), [head, gitCli(dir, 'rev-parse', 'origin/main')]);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'x.txt'), 'utf8'), 'x one\nx two\n', 'both sides undid the other\'s edit');
    fsck(dir);
    await sameStatus(dir, '');
  });

  it('a criss-cross history whose merge bases conflict in a file both sides changed again: the same conflict as git, nothing changed', async () => {
    const c = repo({ ...legacySeed(1), 'notes.txt': 'one\ntwo\nthree\n' });
    await c.setAuthor(AUTHOR);
    const cli = (...a: string[]): string => gitCli(c.dir, ...a);
    cli('checkout', '-q', '-b', 'b');
    commitFiles(c.dir, { 'notes.txt': 'one\nB\nthree\n' });
    cli('checkout', '-q', 'main');
    commitFiles(c.dir, { 'notes.txt': 'one\nA\nthree\n' });
    cli('merge', '-q', '-s', 'ours', '--no-edit', 'b^0');
    cli('checkout', '-q', 'b');
    cli('merge', '-q', '-s', 'ours', '--no-edit', 'main~1');
    commitFiles(c.dir, { 'notes.txt': 'one\nB2\nthree\n' });
    cli('checkout', '-q', 'main');
    commitFiles(c.dir, { 'notes.txt': 'one\nA2\nthree\n' });
    const dir = trackingCopy(c.dir, 'b');
    const expected = gitMerge(dir);
    assert.deepStrictEqual(expected.conflicts, ['notes.txt']);
    const h = new GitClient(dir);
    const before = snapshot(dir, ['notes.txt']);
    const preview = await h.previewPull();
    assert.strictEqual(preview.kind, 'conflict');
    assert.deepStrictEqual(preview.conflict?.files.map((f) => f.path), expected.conflicts);
    const res = await h.mergeInEditor();
    assert.deepStrictEqual(res.conflicts.map((f) => f.path), expected.conflicts);
    // the file as git leaves it, markers and their labels included (`<<<<<<< HEAD`, `>>>>>>> origin/main`)
    assert.strictEqual(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8'), expected.texts['notes.txt']);
    assert.match(expected.texts['notes.txt']!, /^<<<<<<< HEAD\nA2\n=======\nB2\n>>>>>>> origin\/main\n/m);
    await h.abortMerge();
    assert.deepStrictEqual(snapshot(dir, ['notes.txt']), before);
  });

  it('a rename on one side and an edit on the other merge as git merges them (similarity >= 50%)', async () => {
    const body = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const c = repo({ ...legacySeed(1), 'docs/guide.md': body, 'docs/other.md': 'other\n' });
    await c.setAuthor(AUTHOR);
    const cli = (...a: string[]): string => gitCli(c.dir, ...a);
    cli('checkout', '-q', '-b', 'b');
    // theirs edits the file in place (line 3)
    commitFiles(c.dir, { 'docs/guide.md': body.replace('line 3', 'line 3 (edited)') });
    cli('checkout', '-q', 'main');
    // ours renames it (and edits lines 10 and 11: 83% similar)
    fs.mkdirSync(path.join(c.dir, 'manual'));
    cli('mv', 'docs/guide.md', 'manual/guide.md');
    commitFiles(c.dir, { 'manual/guide.md': body.replace('line 10', 'line 10 (ours)').replace('line 11', 'line 11 (ours)') });
    const dir = trackingCopy(c.dir, 'b');
    const expected = gitMerge(dir);
    assert.ok(expected.tree, `git merges it: ${expected.conflicts.join(', ')}`);
    const h = new GitClient(dir);
    const preview = await h.previewPull();
    assert.strictEqual(preview.kind, 'merge');
    assert.deepStrictEqual(preview.files, [{ path: 'manual/guide.md', kind: 'modified' }]);
    assert.strictEqual((await h.mergeInEditor()).completed, true);
    assert.strictEqual(gitCli(dir, 'rev-parse', 'HEAD^{tree}'), expected.tree);
    assert.match(fs.readFileSync(path.join(dir, 'manual/guide.md'), 'utf8'), /line 3 \(edited\)[\s\S]*line 10 \(ours\)/);
    assert.ok(!fs.existsSync(path.join(dir, 'docs/guide.md')));
    fsck(dir);
    await sameStatus(dir, '');
  });

  it('unrelated histories are refused, as git refuses them; nothing changes', async () => {
    const c = repo();
    await c.setAuthor(AUTHOR);
    const other = initRepo(tmp.make(), { 'elsewhere.txt': 'another history\n' });
    gitCli(c.dir, 'fetch', '-q', other, 'main:refs/remotes/origin/main');
    gitCli(c.dir, 'config', 'branch.main.remote', 'origin');
    gitCli(c.dir, 'config', 'branch.main.merge', 'refs/heads/main');
    assert.throws(() => gitCli(gitCopy(c.dir), 'merge', '--no-edit', 'origin/main'), /unrelated histories/);
    const before = snapshot(c.dir, ['elsewhere.txt']);
    const err = await rejects(c.previewPull(), GitErrorCode.UnrelatedHistories);
    assert.match(err.message, /no commit in common/);
    await rejects(c.mergeInEditor(), GitErrorCode.UnrelatedHistories);
    assert.deepStrictEqual(snapshot(c.dir, ['elsewhere.txt']), before);
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
    assert.match(stale.message, /^A lock file left behind blocks git in this repository: .*index\.lock exists, but no process on this machine has it open .*a crashed git command left it\. Delete it/);
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
