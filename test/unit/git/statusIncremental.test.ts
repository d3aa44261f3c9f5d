// Incremental status (GitClient.noteChanged + computeStatus's `changed`) against the git CLI: random working-tree
// operations (fast-check, seeded), each reported to the client the way a file watcher reports it (the file, or only
// the topmost folder created or deleted), some of them lost (the client is told events were lost). After every
// step the status must equal `git status --porcelain -uall` (run without taking the index lock, so that the CLI
// does not rewrite the index and every step can stay incremental), and most steps must have been incremental.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { GitClient } from '../../../src/git/gitClient';
import { computeStatus, incrementalPaths } from '../../../src/git/status';
import { FULL_SCAN_EVERY_MS, StatusChanges } from '../../../src/git/statusChanges';
import { gitCli, initRepo, legacySeed, porcelain, requestYaml, sortLines, sourceStatusWorker, TempDirs, writeFiles } from './gitTestRepos';

/** `git status` that leaves the index alone (no refresh written): GIT_OPTIONAL_LOCKS=0, as editors run it. */
function cliPorcelain(dir: string): string {
  const out = gitCli(dir, '--no-optional-locks', 'status', '--porcelain=v1', '-uall', '--no-renames');
  return sortLines(out.split('\n').filter(Boolean)).join('\n');
}

const TRACKED = ['.insomnia/Request/req_1.yml', '.insomnia/Request/req_2.yml', 'docs/a.txt', 'docs/deep/b.txt', 'run.sh'];
const UNTRACKED = ['top.txt', 'docs/new.txt', 'docs/deep/new.log', 'fresh/x/y.txt', 'fresh/z.txt', 'ignored/i.txt', 'docs/keep.log', 'nested/f.txt'];
const DIRS = ['docs', 'docs/deep', 'fresh', 'ignored', '.insomnia/Request', 'nested'];

type Op =
  | { kind: 'edit'; file: string; text: string }
  | { kind: 'touch'; file: string }
  | { kind: 'delete'; file: string }
  | { kind: 'rmdir'; dir: string }
  | { kind: 'create'; file: string; reportTop: boolean }
  | { kind: 'chmod'; file: string }
  | { kind: 'nestedRepo' }
  | { kind: 'ignore'; rule: string }
  | { kind: 'cliStage'; file: string };

const anyFile = fc.constantFrom(...TRACKED, ...UNTRACKED);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('edit' as const), file: anyFile, text: fc.constantFrom('a', 'hello\n', 'b\r\n', '') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('touch' as const), file: anyFile }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), file: anyFile }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rmdir' as const), dir: fc.constantFrom(...DIRS) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), file: fc.constantFrom(...UNTRACKED, ...TRACKED), reportTop: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('chmod' as const), file: anyFile }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nestedRepo' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ignore' as const), rule: fc.constantFrom('*.log\n', 'ignored/\n', 'fresh/\n!fresh/z.txt\n', '') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cliStage' as const), file: anyFile }) },
);
const stepArb = fc.record({ op: opArb, lost: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) });

/** Applies `op` to the working tree; returns the repo-relative paths a file watcher would report. */
function apply(dir: string, op: Op, n: number): string[] {
  const full = (rel: string): string => path.join(dir, rel);
  /** the topmost folder of `rel` that does not exist yet (what a watcher may report alone), else `rel`. */
  const topMissing = (rel: string): string => {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const a = parts.slice(0, i).join('/');
      if (!fs.existsSync(full(a))) return a;
    }
    return rel;
  };
  const clear = (rel: string): void => {
    const st = fs.lstatSync(full(rel), { throwIfNoEntry: false });
    if (st?.isDirectory()) fs.rmSync(full(rel), { recursive: true });
    else if (st) fs.unlinkSync(full(rel));
  };
  switch (op.kind) {
    case 'edit': {
      const top = topMissing(op.file);
      clear(op.file);
      fs.mkdirSync(path.dirname(full(op.file)), { recursive: true });
      fs.writeFileSync(full(op.file), `${op.text}${n}\n`);
      return [top];
    }
    case 'touch': {
      if (!fs.existsSync(full(op.file))) return [];
      const t = new Date(Date.now() + 1000 * (n + 1));
      fs.utimesSync(full(op.file), t, t);
      return [op.file];
    }
    case 'delete':
      clear(op.file);
      return [op.file];
    case 'rmdir':
      fs.rmSync(full(op.dir), { recursive: true, force: true });
      return [op.dir];
    case 'create': {
      if (fs.existsSync(full(op.file))) return [];
      const top = topMissing(op.file);
      fs.mkdirSync(path.dirname(full(op.file)), { recursive: true });
      fs.writeFileSync(full(op.file), `created ${n}\n`);
      return [op.reportTop ? top : op.file];
    }
    case 'chmod': {
      const st = fs.lstatSync(full(op.file), { throwIfNoEntry: false });
      if (!st?.isFile()) return [];
      fs.chmodSync(full(op.file), st.mode & 0o100 ? 0o644 : 0o755);
      return [op.file];
    }
    case 'nestedRepo': {
      if (fs.existsSync(full('nested/.git'))) {
        fs.rmSync(full('nested/.git'), { recursive: true });
        return ['nested/.git'];
      }
      fs.mkdirSync(full('nested'), { recursive: true });
      gitCli(full('nested'), 'init', '-q');
      return ['nested/.git/HEAD', 'nested/.git/config'];
    }
    case 'ignore':
      fs.writeFileSync(full('.gitignore'), op.rule);
      return ['.gitignore'];
    case 'cliStage':
      try {
        gitCli(dir, 'add', '-A', '--', op.file);
      } catch {
        /* nothing to stage there */
      }
      return ['.git/index'];
  }
}

describe('incremental status (watcher events)', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  function repo(): string {
    const files: Record<string, string> = { ...legacySeed(2), '.gitignore': '*.log\n', 'run.sh': '#!/bin/sh\n' };
    for (const f of TRACKED) files[f] ??= `${f}\n`;
    return initRepo(tmp.make(), files);
  }

  it('equals git status after every step of random edits, with folder events and lost events', async function () {
    this.timeout(240_000);
    let incremental = 0;
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 4, maxLength: 14 }), async (plan) => {
        const dir = repo();
        const client = new GitClient(dir);
        client.noteChanged(undefined); // start tracking
        assert.strictEqual(porcelain(await client.status()), cliPorcelain(dir));
        for (const [i, { op, lost }] of plan.entries()) {
          const events = apply(dir, op, i);
          if (lost) client.noteChanged(undefined);
          else client.noteChanged(events.map((e) => path.join(dir, e)));
          const st = await client.status();
          steps++;
          if (st.scan === 'incremental') incremental++;
          assert.strictEqual(porcelain(st), cliPorcelain(dir), `after ${JSON.stringify(op)}${lost ? ' (events lost)' : ''}`);
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }),
      { seed: 1414, numRuns: 25, endOnFailure: true },
    );
    // the property is about incremental statuses: most steps must have been ones
    assert.ok(incremental > steps / 2, `only ${incremental} of ${steps} statuses were incremental`);
  });

  it('looks only at the changed paths: a change no event reports is not seen until events are lost', async () => {
    const dir = repo();
    const client = new GitClient(dir);
    client.noteChanged(undefined);
    await client.status();
    fs.writeFileSync(path.join(dir, 'docs/a.txt'), 'unreported\n');
    fs.writeFileSync(path.join(dir, 'run.sh'), 'reported\n');
    client.noteChanged([path.join(dir, 'run.sh')]);
    const inc = await client.status();
    assert.deepStrictEqual(inc.changes.map((c) => c.path), ['run.sh']);
    assert.strictEqual(inc.scan, 'incremental');
    client.noteChanged(undefined);
    const full = await client.status();
    assert.deepStrictEqual(full.changes.map((c) => c.path), ['docs/a.txt', 'run.sh']);
    assert.strictEqual(full.scan, 'full');
  });

  it('stays incremental across an index change (the changed entries looked at too); full when folders of tracked files change, an ignore file changes, or too many paths', async () => {
    const dir = repo();
    const cache = {};
    assert.strictEqual((await computeStatus({ dir, cache, changed: [] })).scan, 'full', 'nothing to start from');
    writeFiles(dir, { 'n.txt': 'n\n' });
    const inc = await computeStatus({ dir, cache, changed: ['n.txt'] });
    assert.strictEqual(inc.scan, 'incremental');
    assert.deepStrictEqual(inc.changes, [{ path: 'n.txt', kind: 'untracked' }]);
    gitCli(dir, 'add', 'n.txt');
    const staged = await computeStatus({ dir, cache, changed: [] });
    assert.strictEqual(staged.scan, 'incremental');
    assert.strictEqual(porcelain(staged), cliPorcelain(dir));
    gitCli(dir, 'rm', '-q', '--cached', 'docs/a.txt');
    const removed = await computeStatus({ dir, cache, changed: [] });
    assert.strictEqual(removed.scan, 'incremental');
    assert.strictEqual(porcelain(removed), cliPorcelain(dir));
    fs.chmodSync(path.join(dir, 'run.sh'), 0o755);
    assert.strictEqual(porcelain(await computeStatus({ dir, cache, changed: ['run.sh'] })), cliPorcelain(dir));
    gitCli(dir, 'add', 'run.sh'); // only the entry's mode changes
    const mode = await computeStatus({ dir, cache, changed: [] });
    assert.strictEqual(mode.scan, 'incremental');
    assert.strictEqual(porcelain(mode), cliPorcelain(dir));
    writeFiles(dir, { 'newdir/t.txt': 't\n' });
    gitCli(dir, 'add', 'newdir/t.txt');
    assert.strictEqual((await computeStatus({ dir, cache, changed: ['newdir'] })).scan, 'full', 'a new folder holds tracked files');
    writeFiles(dir, { '.gitignore': 'n.txt\n' });
    assert.strictEqual((await computeStatus({ dir, cache, changed: ['.gitignore'] })).scan, 'full');
    assert.strictEqual(incrementalPaths(['a/.gitignore']), null);
    assert.strictEqual(incrementalPaths(['.git/info/exclude']), null);
    assert.deepStrictEqual(incrementalPaths(['.git/index', 'x/.git/HEAD', 'y/']), ['x', 'y']);
    assert.strictEqual(incrementalPaths(Array.from({ length: 600 }, (_, i) => `f${i}`)), null);
  });

  it('stays incremental through the worker, and after the status refreshed stat data in the index', async () => {
    const dir = repo();
    const worker = sourceStatusWorker();
    try {
      const client = new GitClient(dir, { statusWorker: worker });
      client.noteChanged(undefined);
      await client.status();
      const t = new Date(Date.now() + 5000);
      fs.utimesSync(path.join(dir, 'docs/a.txt'), t, t); // stat changed, content not: the status refreshes the index
      writeFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Worker edit') });
      client.noteChanged([path.join(dir, 'docs/a.txt'), path.join(dir, '.insomnia/Request/req_1.yml')]);
      const first = await client.status();
      assert.strictEqual(porcelain(first), cliPorcelain(dir));
      assert.strictEqual(first.scan, 'incremental');
      writeFiles(dir, { 'docs/w.txt': 'w\n' });
      client.noteChanged([path.join(dir, 'docs/w.txt'), path.join(dir, '.git/index')]);
      const second = await client.status();
      assert.strictEqual(porcelain(second), cliPorcelain(dir));
      assert.strictEqual(second.scan, 'incremental', 'the index the status refreshed was carried over');
    } finally {
      worker.dispose();
    }
  });

  it('GitClient.resetCache reaches the worker: the next status starts afresh', async () => {
    const dir = repo();
    const worker = sourceStatusWorker();
    try {
      const client = new GitClient(dir, { statusWorker: worker });
      client.noteChanged(undefined);
      await client.status();
      // an edit no event reported: the worker's remembered status hides it until its cache is dropped
      writeFiles(dir, { 'docs/a.txt': 'unreported edit\n' });
      const cached = await client.status();
      assert.strictEqual(cached.scan, 'incremental');
      assert.ok(!cached.changes.some((c) => c.path === 'docs/a.txt'));
      client.resetCache();
      const fresh = await client.status();
      assert.strictEqual(fresh.scan, 'full');
      assert.strictEqual(porcelain(fresh), cliPorcelain(dir));
      assert.ok(fresh.changes.some((c) => c.path === 'docs/a.txt' && c.kind === 'modified'));
    } finally {
      worker.dispose();
    }
  });
});

describe('StatusChanges (what the next status looks at)', () => {
  it('full scan first, after lost events, too many paths, and every few minutes; else the paths inside the repository', () => {
    let now = 1_000_000;
    const root = path.resolve('/repo');
    const c = new StatusChanges(root, () => now);
    assert.strictEqual(c.take(), undefined, 'nothing known yet');
    c.note([path.join(root, 'a.yml'), path.resolve('/elsewhere/b.yml'), path.join(root, 'sub', 'c.yml')]);
    assert.deepStrictEqual(c.take(), ['a.yml', 'sub/c.yml']);
    assert.deepStrictEqual(c.take(), []);
    c.note([path.join(root, 'x')]);
    c.lost();
    assert.strictEqual(c.take(), undefined);
    c.note(Array.from({ length: 600 }, (_, i) => path.join(root, `f${i}`)));
    assert.strictEqual(c.take(), undefined);
    c.note([root]);
    assert.strictEqual(c.take(), undefined, 'the root itself changed');
    c.note([path.join(root, 'a.yml')]);
    now += FULL_SCAN_EVERY_MS;
    assert.strictEqual(c.take(), undefined, 'a full scan is due');
    c.note([path.join(root, 'a.yml')]);
    assert.deepStrictEqual(c.take(), ['a.yml']);
  });
});
