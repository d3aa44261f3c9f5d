// git's line merge (src/git/plumbing/lineMerge.ts) against git itself: seeded random three-way merges of text
// files (repeated lines, blank lines, CRLF, no final newline, long files with lines that occur very often) are
// merged by `git merge-tree --write-tree` in one repository, many files at once, and each merged file must be
// byte for byte what Hammock's merge gives, conflict markers included, and conflict where git conflicts.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { diffLines, mergeLines, splitLines } from '../../../src/git/plumbing/lineMerge';
import { prng, TempDirs } from './gitTestRepos';

const ENV = { ...process.env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: ENV, maxBuffer: 1 << 28 }).toString();

interface Shape {
  /** base length (lines) and edits per side. */
  lines: number;
  edits: number;
  /** share of lines drawn from a small vocabulary (repeated lines). */
  repeated: number;
  vocabulary: string[];
}

const CODE = ['', '}', '{', '  return x;', 'end', '---', '  - a', '  - b', 'name: x', 'x', 'y'];

interface Case {
  base: Buffer;
  ours: Buffer;
  theirs: Buffer;
}

function cases(seed: number, n: number, shape: Shape): Case[] {
  const r = prng(seed);
  let unique = 0;
  const line = (): string => (r() < shape.repeated ? shape.vocabulary[Math.floor(r() * shape.vocabulary.length)] : `line ${unique++} ${Math.floor(r() * 5)}`);
  const mutate = (lines: string[]): string[] => {
    const out = [...lines];
    const n = 1 + Math.floor(r() * shape.edits);
    for (let k = 0; k < n; k++) {
      const op = r();
      const at = Math.floor(r() * (out.length + 1));
      if (op < 0.35 && out.length) out[Math.min(at, out.length - 1)] = line();
      else if (op < 0.65) out.splice(at, 0, ...Array.from({ length: 1 + Math.floor(r() * 3) }, line));
      else if (out.length) out.splice(Math.min(at, out.length - 1), 1 + Math.floor(r() * 2));
    }
    return out;
  };
  const join = (ls: string[], crlf: boolean, finalNewline: boolean): Buffer => Buffer.from(ls.join(crlf ? '\r\n' : '\n') + (finalNewline && ls.length ? (crlf ? '\r\n' : '\n') : ''));
  const out: Case[] = [];
  for (let i = 0; i < n; i++) {
    const base = Array.from({ length: Math.floor(r() * shape.lines) }, line);
    const crlf = r() < 0.15;
    out.push({ base: join(base, crlf, r() < 0.9), ours: join(mutate(base), crlf && r() < 0.9, r() < 0.9), theirs: join(mutate(base), crlf, r() < 0.9) });
  }
  return out;
}

describe('line merge: byte for byte what git merges', function () {
  this.timeout(60_000);
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  /** Merges every case with `git merge-tree` (one file each) and compares. */
  function compareWithGit(list: Case[]): void {
    const dir = tmp.make('hammock-linemerge-');
    git(dir, 'init', '-q', '-b', 'main');
    const write = (side: keyof Case, message: string): void => {
      list.forEach((c, i) => fs.writeFileSync(path.join(dir, `f${i}`), c[side]));
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '--allow-empty', '-m', message);
    };
    write('base', 'base');
    git(dir, 'checkout', '-q', '-b', 'theirs');
    write('theirs', 'theirs');
    git(dir, 'checkout', '-q', 'main');
    write('ours', 'ours');
    let out: string;
    try {
      out = git(dir, 'merge-tree', '--write-tree', '--name-only', 'main', 'theirs');
    } catch (err) {
      out = String((err as { stdout: Buffer }).stdout);
    }
    const [head] = out.split('\n\n');
    const [tree, ...conflicted] = head.split('\n');
    const blobs = new Map(
      git(dir, 'ls-tree', tree)
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.split('\t')[1], l.split(/\s+/)[2]]),
    );
    const gitConflicts = new Set(conflicted);
    // every merged blob in one `git cat-file --batch`
    const oids = [...new Set(blobs.values())];
    const batch = execFileSync('git', ['cat-file', '--batch'], { cwd: dir, input: oids.join('\n') + '\n', maxBuffer: 1 << 28 });
    const contents = new Map<string, Buffer>();
    for (let off = 0; off < batch.length; ) {
      const nl = batch.indexOf(10, off);
      const [oid, , size] = batch.toString('latin1', off, nl).split(' ');
      contents.set(oid, batch.subarray(nl + 1, nl + 1 + Number(size)));
      off = nl + 1 + Number(size) + 1;
    }
    let compared = 0;
    list.forEach((c, i) => {
      // git merges content only when both sides changed it differently
      if (c.ours.equals(c.theirs) || c.ours.equals(c.base) || c.theirs.equals(c.base)) return;
      const mine = mergeLines(c.base, c.ours, c.theirs, { oursLabel: 'main', theirsLabel: 'theirs' });
      const oid = blobs.get(`f${i}`);
      const theirs = oid ? contents.get(oid)! : Buffer.alloc(0);
      const context = `case ${i}: ${JSON.stringify({ base: c.base.toString(), ours: c.ours.toString(), theirs: c.theirs.toString() })}`;
      assert.strictEqual(mine.conflicts > 0, gitConflicts.has(`f${i}`), `conflict or not, ${context}`);
      assert.strictEqual(mine.result.toString('latin1'), theirs.toString('latin1'), `merged bytes, ${context}`);
      compared++;
    });
    assert.ok(compared > list.length / 2, `only ${compared} merges compared`);
  }

  it('short files with repeated and blank lines, CRLF, no final newline (600 merges)', () => {
    compareWithGit(cases(1301, 300, { lines: 15, edits: 3, repeated: 0.5, vocabulary: CODE }));
    compareWithGit(cases(1302, 300, { lines: 40, edits: 6, repeated: 0.3, vocabulary: CODE }));
  });

  it('long files whose lines repeat very often (the histogram diff falls back to Myers)', () => {
    compareWithGit(cases(1303, 40, { lines: 500, edits: 12, repeated: 0.95, vocabulary: ['x', 'y', ''] }));
    compareWithGit(cases(1304, 40, { lines: 300, edits: 20, repeated: 0.9, vocabulary: CODE }));
  });

  it('diffs as `git diff --diff-algorithm=histogram|myers` does', () => {
    const dir = tmp.make('hammock-linediff-');
    for (const algorithm of ['histogram', 'myers'] as const) {
      for (const [i, c] of cases(1305, 60, { lines: 30, edits: 5, repeated: 0.5, vocabulary: CODE }).entries()) {
        fs.writeFileSync(path.join(dir, 'a'), c.base);
        fs.writeFileSync(path.join(dir, 'b'), c.ours);
        let out = '';
        try {
          out = git(dir, 'diff', '--no-index', '--no-indent-heuristic', `--diff-algorithm=${algorithm}`, '-U0', 'a', 'b');
        } catch (err) {
          out = String((err as { stdout: Buffer }).stdout);
        }
        const expected = [...out.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)].map((m) => {
          const c1 = m[2] === undefined ? 1 : Number(m[2]);
          const c2 = m[4] === undefined ? 1 : Number(m[4]);
          return `${c1 === 0 ? Number(m[1]) : Number(m[1]) - 1},${c1} ${c2 === 0 ? Number(m[3]) : Number(m[3]) - 1},${c2}`;
        });
        const mine = diffLines(splitLines(c.base), splitLines(c.ours), algorithm).hunks.map((h) => `${h.i1},${h.chg1} ${h.i2},${h.chg2}`);
        assert.deepStrictEqual(mine, expected, `${algorithm} case ${i}`);
      }
    }
  });

  it('binary files conflict and keep ours (the base, for a virtual merge base); identical changes are no conflict', () => {
    const bin = (s: string): Buffer => Buffer.concat([Buffer.from(s), Buffer.of(0)]);
    assert.deepStrictEqual(mergeLines(bin('b'), bin('o'), bin('t')), { conflicts: 1, result: bin('o'), binary: true });
    assert.strictEqual(mergeLines(bin('b'), bin('o'), bin('t'), { virtualAncestor: true }).result.toString(), bin('b').toString());
    const same = mergeLines(Buffer.from('a\nb\nc\n'), Buffer.from('a\nB\nc\nd\n'), Buffer.from('a\nB\nc\n'));
    assert.deepStrictEqual([same.conflicts, same.result.toString()], [0, 'a\nB\nc\nd\n']);
    const deeper = mergeLines(Buffer.from('a\n'), Buffer.from('o\n'), Buffer.from('t\n'), { markerSize: 9, oursLabel: 'Temporary merge branch 1', theirsLabel: 'Temporary merge branch 2' });
    assert.strictEqual(deeper.result.toString(), '<<<<<<<<< Temporary merge branch 1\no\n=========\nt\n>>>>>>>>> Temporary merge branch 2\n');
  });
});
