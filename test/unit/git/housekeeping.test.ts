// Housekeeping (src/git/housekeeping.ts): when git's own `gc --auto` thresholds are passed (as isomorphic-git's
// fetches and commits pass them, never packing anything), the user's git tidies the repository; the git CLI is the
// oracle for the thresholds (`git gc --auto` on an identical copy) and for the result (fsck, count-objects).
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { GitClient } from '../../../src/git/gitClient';
import { Housekeeping, housekeepingDue } from '../../../src/git/housekeeping';
import { GitConfig } from '../../../src/git/plumbing/gitConfig';
import { runGit } from '../../../src/git/systemGit';
import { gitCli, initRepo, legacySeed, TempDirs } from './gitTestRepos';

/** `git count-objects -v` as numbers. */
function counts(dir: string): { count: number; packs: number } {
  const out = Object.fromEntries(gitCli(dir, 'count-objects', '-v').split('\n').map((l) => l.split(': ') as [string, string]));
  return { count: Number(out.count), packs: Number(out.packs) };
}

const run = (args: string[], cwd: string) => runGit(['-c', 'gc.autoDetach=false', ...args], { cwd, operation: 'tidy the repository', env: { GIT_CONFIG_NOSYSTEM: '1' } });

describe('housekeeping: git gc --auto when git would run it', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  /** a repository with `packs` packs of one blob each and `loose17` loose objects whose names start with 17. */
  function repo(packs: number, loose17 = 0): string {
    const dir = initRepo(tmp.make(), legacySeed(2));
    gitCli(dir, 'repack', '-a', '-d', '-q');
    const packDir = path.join(dir, '.git', 'objects', 'pack');
    for (let i = 0; i < packs; i++) {
      const oid = execGit(dir, ['hash-object', '-w', '--stdin'], `pack ${i}\n`);
      execGit(dir, ['pack-objects', '-q', path.join(packDir, 'pack')], `${oid}\n`);
      // reachable (a tag names it), as what a fetch brings is
      gitCli(dir, 'tag', `p${i}`, oid);
      fs.rmSync(path.join(dir, '.git', 'objects', oid.slice(0, 2), oid.slice(2)));
    }
    for (let i = 0, made = 0; made < loose17; i++) {
      const text = `loose ${i}\n`;
      // git's object id of the blob, found here (one in 256 starts with 17), written by git
      if (!createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0${text}`).digest('hex').startsWith('17')) continue;
      const oid = execGit(dir, ['hash-object', '-w', '--stdin'], text);
      gitCli(dir, 'tag', `l${i}`, oid);
      made++;
    }
    return dir;
  }

  it('is due exactly when `git gc --auto` finds work: packs over gc.autoPackLimit, loose objects over gc.auto / 256 in objects/17', async () => {
    // (git's defaults, 50 packs and 6,700 / 256 loose objects, below with the counts alone: 50 packs take a while)
    const cases: { packs: number; loose: number; config: Record<string, string> }[] = [
      { packs: 0, loose: 0, config: {} },
      { packs: 2, loose: 0, config: { 'gc.autoPackLimit': '3' } }, // with the repository's own pack: 3
      { packs: 3, loose: 0, config: { 'gc.autoPackLimit': '3' } }, // 4
      { packs: 3, loose: 0, config: { 'gc.autoPackLimit': '0' } },
      { packs: 0, loose: 5, config: { 'gc.auto': '1k' } }, // 1024 / 256 = 4 a folder
      { packs: 0, loose: 4, config: { 'gc.auto': '1k' } },
      { packs: 0, loose: 3, config: { 'gc.auto': '600' } }, // 600 / 256, rounded up: 3
      { packs: 3, loose: 5, config: { 'gc.auto': '0', 'gc.autoPackLimit': '1' } },
    ];
    for (const c of cases) {
      const dir = repo(c.packs, c.loose);
      for (const [k, v] of Object.entries(c.config)) gitCli(dir, 'config', k, v);
      const due = await housekeepingDue(path.join(dir, '.git'), GitConfig.load(path.join(dir, '.git')));
      // the oracle: does git's own gc --auto do anything on an identical copy? (every object is reachable: any gc
      // packs the loose ones or joins the packs)
      const twin = tmp.make();
      fs.cpSync(dir, twin, { recursive: true });
      const before = counts(twin);
      gitCli(twin, '-c', 'gc.autoDetach=false', 'gc', '--auto', '--quiet');
      const after = counts(twin);
      const gitRan = before.packs !== after.packs || before.count !== after.count;
      assert.strictEqual(due, gitRan, `${JSON.stringify(c)}: Hammock says ${due}, git ${gitRan ? 'tidied' : 'did nothing'} (${JSON.stringify(before)} -> ${JSON.stringify(after)})`);
    }
  });

  it("git's defaults: more than 50 packs, more than 27 loose objects in objects/17", async () => {
    const dir = initRepo(tmp.make(), legacySeed(1));
    const gitdir = path.join(dir, '.git');
    const packDir = path.join(gitdir, 'objects', 'pack');
    const loose = path.join(gitdir, 'objects', '17');
    fs.mkdirSync(packDir, { recursive: true });
    fs.mkdirSync(loose, { recursive: true });
    const name = (i: number) => i.toString(16).padStart(40, '0');
    for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(packDir, `pack-${name(i)}.pack`), '');
    for (let i = 0; i < 27; i++) fs.writeFileSync(path.join(loose, name(i).slice(2)), '');
    fs.writeFileSync(path.join(loose, 'tmp_obj_x'), '');
    assert.strictEqual(await housekeepingDue(gitdir), false);
    fs.writeFileSync(path.join(packDir, `pack-${name(50)}.pack`), '');
    assert.strictEqual(await housekeepingDue(gitdir), true);
    fs.rmSync(path.join(packDir, `pack-${name(50)}.pack`));
    fs.writeFileSync(path.join(loose, name(27).slice(2)), '');
    assert.strictEqual(await housekeepingDue(gitdir), true);
  });

  it('maintenance.auto false: nothing is due (git runs no gc after its commands then; an explicit git gc --auto would)', async () => {
    const dir = repo(3, 0);
    gitCli(dir, 'config', 'gc.autoPackLimit', '3');
    gitCli(dir, 'config', 'maintenance.auto', 'false');
    assert.strictEqual(await housekeepingDue(path.join(dir, '.git')), false);
    gitCli(dir, 'config', 'maintenance.auto', 'true');
    assert.strictEqual(await housekeepingDue(path.join(dir, '.git')), true);
  });

  it('packs with a .keep file do not count', async () => {
    const dir = repo(3);
    gitCli(dir, 'config', 'gc.autoPackLimit', '3');
    const packDir = path.join(dir, '.git', 'objects', 'pack');
    const one = fs.readdirSync(packDir).find((n) => n.endsWith('.pack'))!;
    fs.writeFileSync(path.join(packDir, one.replace(/\.pack$/, '.keep')), '');
    assert.strictEqual(await housekeepingDue(path.join(dir, '.git')), false);
  });

  it('after(): the packs become one, the loose objects are packed, fsck is clean, Hammock reads every commit and file as before; nothing runs twice at once', async () => {
    const dir = repo(4, 5);
    gitCli(dir, 'config', 'gc.autoPackLimit', '3');
    const client = new GitClient(dir);
    const log: string[] = [];
    const h = new Housekeeping(dir, path.join(dir, '.git'), run, (l) => log.push(l));
    const first = h.after();
    assert.strictEqual(h.after(), first, 'a second call while one runs waits for it');
    await first;
    assert.deepStrictEqual(counts(dir), { count: 0, packs: 1 });
    assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling'), '');
    assert.deepStrictEqual(log, ['too many loose objects or packs: git gc --auto']);
    const status = await client.status();
    assert.deepStrictEqual(status.changes, []);
    assert.strictEqual((await client.history({ depth: 5 })).length, 1);
    assert.strictEqual((await client.readFile('.insomnia/Request/req_1.yml', { ref: 'HEAD' }))?.toString(), gitCli(dir, 'show', 'HEAD:.insomnia/Request/req_1.yml') + '\n');
    // not due any more: nothing runs
    await h.after();
    assert.strictEqual(log.length, 1);
  });

  it('without the user\'s git nothing runs, and a failing git is logged, never thrown', async () => {
    const dir = repo(4);
    gitCli(dir, 'config', 'gc.autoPackLimit', '3');
    await new Housekeeping(dir, path.join(dir, '.git'), undefined).after();
    assert.strictEqual(counts(dir).packs, 5);
    const log: string[] = [];
    await new Housekeeping(dir, path.join(dir, '.git'), (args, cwd) => runGit(args, { cwd, operation: 'tidy', gitPath: path.join(dir, 'no-such-git') }), (l) => log.push(l)).after();
    assert.strictEqual(counts(dir).packs, 5);
    assert.match(log[1] ?? '', /^git gc --auto not run: Cannot tidy: no git executable was found/);
  });
});

function execGit(cwd: string, args: string[], input: string): string {
  return execFileSync('git', args, { cwd, input, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } }).toString().trim();
}
