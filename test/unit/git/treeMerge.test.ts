// Hammock's merge of commits (src/git/plumbing/treeMerge.ts) against `git merge-tree --write-tree` (merge-ort, the
// engine of `git merge`): seeded random histories of files in a few folders, each side editing lines, adding,
// deleting, renaming (in place or to another folder, with or without an edit), renaming a whole folder, flipping
// the executable bit and adding a submodule; linear divergence and criss-cross histories (two merge bases that
// conflict with each other). A merge git completes must give the same tree id; one git stops must conflict on the
// same paths. Seeded and bounded in count and time.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { ObjectLayer } from '../../../src/git/plumbing/objects';
import { mergeCommits } from '../../../src/git/plumbing/treeMerge';
import { prng, TempDirs } from './gitTestRepos';

const DIRS = ['docs', 'sub/deep', 'lib', ''];
const VOCABULARY = ['', '}', '{', 'end', '  - a', 'name: x'];
const TIME_CAP_MS = 20_000;

/** Builds one random history in `dir`: branches main and theirs diverged from a base (criss-cross when asked). */
class History {
  private date = 1_700_000_000;
  private unique = 0;

  constructor(
    private readonly dir: string,
    private readonly random: () => number,
  ) {}

  git(...args: string[]): string {
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 'a',
      GIT_AUTHOR_EMAIL: 'a@b',
      GIT_COMMITTER_NAME: 'a',
      GIT_COMMITTER_EMAIL: 'a@b',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_DATE: `${this.date} +0000`,
      GIT_COMMITTER_DATE: `${this.date++} +0000`,
    };
    return execFileSync('git', args, { cwd: this.dir, env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  }

  private line(): string {
    return this.random() < 0.3 ? VOCABULARY[Math.floor(this.random() * VOCABULARY.length)] : `line ${this.unique++}`;
  }

  private text(n: number): string {
    return Array.from({ length: n }, () => this.line()).join('\n') + '\n';
  }

  private edit(content: string): string {
    const lines = content.split('\n');
    const n = 1 + Math.floor(this.random() * 3);
    for (let k = 0; k < n; k++) {
      const at = Math.floor(this.random() * lines.length);
      const op = this.random();
      if (op < 0.4) lines[at] = this.line();
      else if (op < 0.7) lines.splice(at, 0, this.line());
      else if (lines.length > 2) lines.splice(at, 1);
    }
    return lines.join('\n');
  }

  init(): void {
    this.git('init', '-q', '-b', 'main');
    for (const d of DIRS) {
      for (let j = 0; j < 2; j++) {
        const p = path.join(this.dir, d, `f${j}.txt`);
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, this.text(10));
      }
    }
    this.git('add', '-A');
    this.git('commit', '-q', '-m', 'base');
    this.git('branch', 'theirs');
  }

  /** `count` random operations on the checked-out branch, committed. */
  ops(count: number): void {
    const full = (p: string): string => path.join(this.dir, p);
    const r = this.random;
    for (let k = 0; k < count; k++) {
      const files = this.git('ls-files').split('\n').filter((f) => f && !f.startsWith('mod'));
      const f = files[Math.floor(r() * files.length)];
      const op = r();
      try {
        if (op < 0.35 && f) fs.writeFileSync(full(f), this.edit(fs.readFileSync(full(f), 'utf8')));
        else if (op < 0.45) {
          const d = DIRS[Math.floor(r() * DIRS.length)];
          const p = (d ? d + '/' : '') + `new${this.unique++}.txt`;
          fs.mkdirSync(path.dirname(full(p)), { recursive: true });
          fs.writeFileSync(full(p), this.text(8));
        } else if (op < 0.52 && f && files.length > 3) this.git('rm', '-q', '-f', f);
        else if (op < 0.75 && f) {
          const d = DIRS[Math.floor(r() * DIRS.length)];
          const p = (d ? d + '/' : '') + (r() < 0.5 ? path.basename(f) : `ren${this.unique++}.txt`);
          if (p !== f && !fs.existsSync(full(p))) {
            fs.mkdirSync(path.dirname(full(p)), { recursive: true });
            this.git('mv', f, p);
            if (r() < 0.5) fs.writeFileSync(full(p), this.edit(fs.readFileSync(full(p), 'utf8')));
          }
        } else if (op < 0.8 && f) fs.chmodSync(full(f), fs.statSync(full(f)).mode & 0o100 ? 0o644 : 0o755);
        else if (op < 0.85) {
          const d = ['docs', 'lib'][Math.floor(r() * 2)];
          if (fs.existsSync(full(d)) && !fs.existsSync(full(d + '2'))) this.git('mv', d, d + '2');
        } else if (op < 0.9) this.git('update-index', '--add', '--cacheinfo', `160000,${(Math.floor(r() * 3) + 1).toString().repeat(40)},mod${Math.floor(r() * 2)}`);
        else if (f) fs.writeFileSync(full(f), this.edit(this.edit(fs.readFileSync(full(f), 'utf8'))));
      } catch {
        /* not possible in this state: skip */
      }
      this.git('add', '-A');
    }
    this.git('commit', '-q', '--allow-empty', '-m', 'ops');
  }

  /** Diverges main and theirs; criss-cross: each then merges the other's first commit keeping only its own tree. */
  build(crissCross: boolean): void {
    this.init();
    const r = this.random;
    this.ops(1 + Math.floor(r() * 4));
    this.git('checkout', '-q', 'theirs');
    this.ops(1 + Math.floor(r() * 4));
    if (crissCross) {
      this.git('checkout', '-q', 'main');
      const a1 = this.git('rev-parse', 'HEAD').trim();
      const b1 = this.git('rev-parse', 'theirs').trim();
      this.git('merge', '-q', '-s', 'ours', '--no-edit', b1);
      this.ops(1 + Math.floor(r() * 3));
      this.git('checkout', '-q', 'theirs');
      this.git('merge', '-q', '-s', 'ours', '--no-edit', a1);
      this.ops(1 + Math.floor(r() * 3));
    }
    this.git('checkout', '-q', 'main');
  }
}

describe('tree merge: the trees and conflicts of `git merge`', function () {
  this.timeout(120_000);
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  /** Runs up to `cases` seeded cases; past half of them and the time cap, it stops once `min` of each kind were seen. */
  async function compare(seed: number, cases: number, crissCross: boolean, min: { clean: number; conflicted: number }): Promise<{ clean: number; conflicted: number }> {
    const random = prng(seed);
    const started = Date.now();
    const seen = { clean: 0, conflicted: 0 };
    for (let i = 0; i < cases; i++) {
      // a loaded machine stops early, but never before the cases it did run cover both kinds
      if (i >= cases / 2 && Date.now() - started > TIME_CAP_MS && seen.clean >= min.clean && seen.conflicted >= min.conflicted) break;
      const dir = tmp.make('hammock-treemerge-');
      const h = new History(dir, random);
      h.build(crissCross);
      if (crissCross) assert.strictEqual(h.git('merge-base', '--all', 'main', 'theirs').trim().split('\n').length, 2, 'criss-cross');
      let out: string;
      let gitClean = true;
      try {
        out = h.git('merge-tree', '--write-tree', '--name-only', 'main', 'theirs');
      } catch (err) {
        out = String((err as { stdout: Buffer }).stdout);
        gitClean = false;
      }
      const [tree, ...conflicted] = out.split('\n\n')[0].split('\n');
      const mine = await mergeCommits(new ObjectLayer(path.join(dir, '.git'), {}), h.git('rev-parse', 'main').trim(), h.git('rev-parse', 'theirs').trim(), {
        labels: { ours: 'main', theirs: 'theirs' },
      });
      const context = `seed ${seed}, case ${i} (${crissCross ? 'criss-cross' : 'diverged'}): git says\n${out}\nHammock: ${mine.messages.filter((m) => m.startsWith('CONFLICT')).join('\n')}`;
      assert.strictEqual(mine.clean, gitClean, `clean or not, ${context}`);
      if (gitClean) assert.strictEqual(mine.tree, tree, `the merged tree, ${context}`);
      else assert.deepStrictEqual([...new Set(mine.conflicts.map((c) => c.path))].sort(), [...new Set(conflicted)].sort(), `the conflicted paths, ${context}`);
      seen[gitClean ? 'clean' : 'conflicted']++;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return seen;
  }

  it('diverged histories: edits, additions, deletions, renames, folder renames, modes, submodules', async () => {
    const seen = await compare(1313, 30, false, { clean: 5, conflicted: 2 });
    assert.ok(seen.clean >= 5 && seen.conflicted >= 2, `too few of each kind: ${JSON.stringify(seen)}`);
  });

  it('criss-cross histories: a virtual merge base from merge bases that conflict with each other', async () => {
    const seen = await compare(1314, 12, true, { clean: 3, conflicted: 3 });
    assert.ok(seen.clean >= 3 && seen.conflicted >= 3, `too few of each kind: ${JSON.stringify(seen)}`);
  });
});
