// GitClient on local repositories: stage / unstage / discard, commit, branches, history, ahead/behind, setup,
// The git CLI sets up and verifies.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { AUTHOR, commitFiles, gitCli, initRepo, legacySeed, read, rejects, requestYaml, TempDirs, writeFiles } from './gitTestRepos';

describe('GitClient on a local repository', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  async function client(files: Record<string, string> = legacySeed(4)): Promise<GitClient> {
    const dir = initRepo(tmp.make(), files);
    const c = new GitClient(dir);
    await c.setAuthor(AUTHOR);
    return c;
  }

  it('stages, unstages and discards exactly what it is told, in step with the CLI', async () => {
    const c = await client();
    const d = c.dir;
    writeFiles(d, {
      '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Edited'),
      '.insomnia/Request/req_new.yml': requestYaml('req_new', 'New'),
      'notes/todo.txt': 'todo\n',
    });
    fs.rmSync(path.join(d, '.insomnia/Request/req_2.yml'));
    await c.stage(['.insomnia/Request/req_1.yml', '.insomnia/Request/req_new.yml', '.insomnia/Request/req_2.yml']);
    assert.strictEqual(
      gitCli(d, 'status', '--porcelain', '-uall', '--no-renames'),
      ['M  .insomnia/Request/req_1.yml', 'D  .insomnia/Request/req_2.yml', 'A  .insomnia/Request/req_new.yml', '?? notes/todo.txt'].join('\n'),
    );
    let st = await c.status();
    assert.deepStrictEqual(st.staged, [
      { path: '.insomnia/Request/req_1.yml', kind: 'modified' },
      { path: '.insomnia/Request/req_2.yml', kind: 'deleted' },
      { path: '.insomnia/Request/req_new.yml', kind: 'added' },
    ]);
    assert.deepStrictEqual(st.changes, [{ path: 'notes/todo.txt', kind: 'untracked' }]);
    assert.strictEqual(st.branch, 'main');

    await c.unstage(['.insomnia/Request/req_1.yml', '.insomnia/Request/req_new.yml', '.insomnia/Request/req_2.yml']);
    assert.strictEqual(
      gitCli(d, 'status', '--porcelain', '-uall', '--no-renames'),
      [' M .insomnia/Request/req_1.yml', ' D .insomnia/Request/req_2.yml', '?? .insomnia/Request/req_new.yml', '?? notes/todo.txt'].join('\n'),
    );
    assert.strictEqual(read(d, '.insomnia/Request/req_1.yml'), requestYaml('req_1', 'Edited'), 'unstage keeps the file');

    // stage a folder of untracked files; discard goes back to the staged content
    await c.stage(['notes', '.insomnia/Request/req_1.yml']);
    writeFiles(d, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Edited twice') });
    await c.discard(['.insomnia/Request/req_1.yml', '.insomnia/Request/req_2.yml', '.insomnia/Request/req_new.yml']);
    assert.strictEqual(read(d, '.insomnia/Request/req_1.yml'), requestYaml('req_1', 'Edited'), 'back to the staged version');
    assert.strictEqual(read(d, '.insomnia/Request/req_2.yml'), requestYaml('req_2', 'Request 2'), 'deleted file restored');
    assert.ok(!fs.existsSync(path.join(d, '.insomnia/Request/req_new.yml')), 'untracked file removed');
    st = await c.status();
    assert.deepStrictEqual(st.changes, []);
    assert.strictEqual(gitCli(d, 'status', '--porcelain', '-uall', '--no-renames'), ['M  .insomnia/Request/req_1.yml', 'A  notes/todo.txt'].join('\n'));
    // the index we wrote keeps exact stat data: the CLI does not need to rewrite it
    const before = fs.readFileSync(path.join(d, '.git/index'));
    gitCli(d, 'diff-files', '--quiet');
    assert.ok(fs.readFileSync(path.join(d, '.git/index')).equals(before));
  });

  it('commits the index with the configured author; refuses an empty commit and a missing author', async () => {
    const c = await client();
    await rejects(c.commit('nothing'), GitErrorCode.NothingToCommit);
    writeFiles(c.dir, { '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Renamed'), 'unstaged.txt': 'x\n' });
    await c.stage(['.insomnia/Request/req_3.yml']);
    const parent = gitCli(c.dir, 'rev-parse', 'HEAD');
    const oid = await c.commit('Rename request 3\n\nBody text.');
    assert.strictEqual(gitCli(c.dir, 'rev-parse', 'HEAD'), oid);
    assert.strictEqual(gitCli(c.dir, 'log', '-1', '--format=%P|%an|%ae|%B'), `${parent}|${AUTHOR.name}|${AUTHOR.email}|Rename request 3\n\nBody text.`);
    assert.strictEqual(gitCli(c.dir, 'show', '--name-status', '--format=', 'HEAD'), 'M\t.insomnia/Request/req_3.yml');
    assert.strictEqual(gitCli(c.dir, 'status', '--porcelain', '-uall'), '?? unstaged.txt');
    gitCli(c.dir, 'fsck', '--no-progress');

    // no author anywhere git looks (the machine's own ~/.gitconfig left out)
    const bare = new GitClient(initRepo(tmp.make(), { 'a.yml': 'a\n' }), { configEnv: { HOME: tmp.make(), GIT_CONFIG_NOSYSTEM: '1' } });
    gitCli(bare.dir, 'config', '--unset', 'user.name');
    writeFiles(bare.dir, { 'a.yml': 'b\n' });
    await bare.stage(['a.yml']);
    await rejects(bare.commit('x'), GitErrorCode.MissingAuthor);
  });

  it('makes the first commit of a new repository set up for sync', async () => {
    const dir = tmp.make();
    writeFiles(dir, legacySeed(1));
    const c = new GitClient(dir);
    const res = await c.setUpSync({ remoteUrl: 'https://me:tok123@git.example.com/team/api.git', author: AUTHOR });
    assert.deepStrictEqual(res.credentials, { username: 'me', token: 'tok123' });
    assert.strictEqual(gitCli(dir, 'config', 'remote.origin.url'), 'https://git.example.com/team/api.git');
    assert.ok(!fs.readFileSync(path.join(dir, '.git/config'), 'utf8').includes('tok123'));
    const st = await c.status();
    assert.strictEqual(st.head, null);
    assert.deepStrictEqual(
      st.changes.map((x) => x.kind),
      ['untracked', 'untracked'],
    );
    await c.stage(st.changes.map((x) => x.path));
    const oid = await c.commit('first');
    assert.strictEqual(gitCli(dir, 'rev-parse', 'main'), oid);
    assert.strictEqual(gitCli(dir, 'status', '--porcelain'), '');
  });

  it('writes .git/config as git does: a new section right after the last line, and a final newline', async () => {
    const dir = tmp.make();
    writeFiles(dir, legacySeed(1));
    gitCli(dir, 'init', '-q', '-b', 'main');
    const before = fs.readFileSync(path.join(dir, '.git/config'), 'utf8');
    await new GitClient(dir).setUpSync({ remoteUrl: 'https://git.example.com/team/api.git', author: AUTHOR });
    const text = fs.readFileSync(path.join(dir, '.git/config'), 'utf8');
    assert.ok(text.startsWith(before), 'what git init wrote is kept as it was');
    assert.ok(!text.includes('\n\n'), `no blank line:\n${text}`);
    assert.ok(text.endsWith('\n'), `a final newline:\n${JSON.stringify(text.slice(-40))}`);
    // a tool that appends a section (as `cat >> .git/config` does) is read as git reads it
    fs.appendFileSync(path.join(dir, '.git/config'), '[hammock "test"]\n\tkey = value\n');
    assert.strictEqual(gitCli(dir, 'config', 'hammock.test.key'), 'value');
    assert.strictEqual(gitCli(dir, 'config', 'remote.origin.url'), 'https://git.example.com/team/api.git');
  });

  it('creates, checks out and deletes branches', async () => {
    const c = await client();
    await c.createBranch('feature');
    assert.strictEqual(await c.currentBranch(), 'feature');
    await rejects(c.createBranch('feature'), GitErrorCode.BranchExists);
    await rejects(c.createBranch('bad..name'), GitErrorCode.InvalidBranchName);
    await rejects(c.deleteBranch('feature'), GitErrorCode.CannotDeleteCurrentBranch);
    await rejects(c.checkout('nope'), GitErrorCode.BranchNotFound);
    writeFiles(c.dir, { '.insomnia/Request/req_f.yml': requestYaml('req_f', 'F') });
    await c.stage(['.insomnia/Request/req_f.yml']);
    await c.commit('f');
    await c.checkout('main');
    assert.ok(!fs.existsSync(path.join(c.dir, '.insomnia/Request/req_f.yml')));
    await c.createBranch('side', { checkout: false, startPoint: 'feature' });
    assert.strictEqual(await c.currentBranch(), 'main');
    assert.strictEqual(gitCli(c.dir, 'rev-parse', 'side'), gitCli(c.dir, 'rev-parse', 'feature'));
    await c.deleteBranch('side');
    await c.deleteBranch('feature');
    assert.strictEqual(gitCli(c.dir, 'branch', '--format=%(refname:short)'), 'main');
    await rejects(c.deleteBranch('gone'), GitErrorCode.BranchNotFound);
  });

  it('reads a file at a ref or from the index', async () => {
    const c = await client();
    const first = gitCli(c.dir, 'rev-parse', 'HEAD');
    commitFiles(c.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Second') }, 'second');
    writeFiles(c.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Staged') });
    await c.stage(['.insomnia/Request/req_1.yml']);
    const f = '.insomnia/Request/req_1.yml';
    assert.strictEqual((await c.readFile(f, { ref: 'HEAD' }))?.toString(), requestYaml('req_1', 'Second'));
    assert.strictEqual((await c.readFile(f, { ref: first }))?.toString(), requestYaml('req_1', 'Request 1'));
    assert.strictEqual((await c.readFile(f, { ref: 'main' }))?.toString(), requestYaml('req_1', 'Second'));
    assert.strictEqual((await c.readFile(f, { stage: 0 }))?.toString(), requestYaml('req_1', 'Staged'));
    assert.strictEqual(await c.readFile(f, { stage: 2 }), null);
    assert.strictEqual(await c.readFile('nope.yml', { ref: 'HEAD' }), null);
    await rejects(c.readFile(f, { ref: 'no-such-branch' }), GitErrorCode.BranchNotFound);
  });

  it('history lists recent commits with author, date and changed files', async () => {
    const c = await client();
    commitFiles(c.dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Two'), 'added.yml': 'x: 1\n' }, 'second');
    fs.rmSync(path.join(c.dir, '.insomnia/Request/req_2.yml'));
    gitCli(c.dir, 'commit', '-q', '-am', 'third');
    const h = await c.history({ depth: 10 });
    assert.deepStrictEqual(
      h.map((x) => x.summary),
      ['third', 'second', 'initial'],
    );
    assert.deepStrictEqual(h[0].files, [{ path: '.insomnia/Request/req_2.yml', kind: 'deleted' }]);
    assert.deepStrictEqual(h[1].files, [
      { path: '.insomnia/Request/req_1.yml', kind: 'modified' },
      { path: 'added.yml', kind: 'added' },
    ]);
    assert.strictEqual(h[2].files.length, 5);
    assert.strictEqual(h[0].author.name, 'CLI User');
    assert.strictEqual(h[0].author.timestamp, Number(gitCli(c.dir, 'log', '-1', '--format=%at')));
    assert.strictEqual(h[0].oid, gitCli(c.dir, 'rev-parse', 'HEAD'));
    assert.deepStrictEqual((await c.history({ depth: 1 })).length, 1);
  });

  it('counts commits ahead and behind like `git rev-list --left-right --count`', async () => {
    const c = await client();
    const base = gitCli(c.dir, 'rev-parse', 'HEAD');
    gitCli(c.dir, 'checkout', '-q', '-b', 'other');
    for (let i = 0; i < 3; i++) commitFiles(c.dir, { [`o${i}.txt`]: `${i}\n` }, `o${i}`);
    gitCli(c.dir, 'checkout', '-q', 'main');
    for (let i = 0; i < 2; i++) commitFiles(c.dir, { [`m${i}.txt`]: `${i}\n` }, `m${i}`);
    gitCli(c.dir, 'merge', '-q', '--no-edit', 'other');
    commitFiles(c.dir, { 'after.txt': 'a\n' }, 'after');
    gitCli(c.dir, 'checkout', '-q', 'other');
    commitFiles(c.dir, { 'o9.txt': '9\n' }, 'o9');
    const main = gitCli(c.dir, 'rev-parse', 'main');
    const other = gitCli(c.dir, 'rev-parse', 'other');
    const [left, right] = gitCli(c.dir, 'rev-list', '--left-right', '--count', `${main}...${other}`).split(/\s+/).map(Number);
    assert.deepStrictEqual(await c.aheadBehind(main, other), { ahead: left, behind: right });
    assert.deepStrictEqual(await c.aheadBehind(base, main), { ahead: 0, behind: Number(gitCli(c.dir, 'rev-list', '--count', `${base}..${main}`)) });
  });
});
