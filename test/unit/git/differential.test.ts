// Differential test: random operation sequences (fast-check, seeded) run once through Hammock and once through the
// git CLI on byte-identical copies of one generated repository. After every step Hammock's status must equal
// `git status --porcelain=v2` (the change kinds and paths), its refusals must match git's, committed trees must be
// identical, and `git fsck --strict` must be clean on Hammock's copy.
// Two properties: working-tree states (edits, kept mtimes, line endings under each attribute, ignore files, modes,
// symlinks, intent-to-add, skip-worktree, CLI stages, switches), and histories (commits on both branches, renames,
// merges of diverged and criss-cross histories as Merge in Editor does them against `git merge`, submodules).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import fc from 'fast-check';
import { GitClient } from '../../../src/git/gitClient';
import { GitError } from '../../../src/git/gitError';
import { computeStatus, type WorkingTreeStatus } from '../../../src/git/status';
import { AUTHOR, gitCli, initRepo, requestYaml, TempDirs } from './gitTestRepos';

const FILES = ['.insomnia/Request/req_1.yml', '.insomnia/Request/req_2.yml', 'docs/a.txt', 'docs/b.log', 'run.sh', 'crlf.txt', 'sub/deep/c.yml'];

type Op =
  | { kind: 'edit'; file: number; text: string }
  | { kind: 'sameSizeKeepMtime'; file: number }
  | { kind: 'crlf'; file: number }
  | { kind: 'attributes'; rule: string }
  | { kind: 'ignore'; where: number; rule: string }
  | { kind: 'chmod'; file: number }
  | { kind: 'symlink'; file: number }
  | { kind: 'delete'; file: number }
  | { kind: 'stage'; file: number }
  | { kind: 'cliStage'; file: number }
  | { kind: 'intentToAdd'; file: number }
  | { kind: 'skipWorktree'; file: number }
  | { kind: 'commit' }
  | { kind: 'switch'; branch: 'main' | 'side' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('edit' as const), file: fc.nat(FILES.length - 1), text: fc.constantFrom('x', 'hello\n', 'a\r\nb\r\n', '') }),
  fc.record({ kind: fc.constant('sameSizeKeepMtime' as const), file: fc.nat(FILES.length - 1) }),
  fc.record({ kind: fc.constant('crlf' as const), file: fc.nat(FILES.length - 1) }),
  fc.record({ kind: fc.constant('attributes' as const), rule: fc.constantFrom('* text=auto\n', '*.txt eol=crlf\n', '*.yml -text\n', '*.txt text\n', '') }),
  fc.record({ kind: fc.constant('ignore' as const), where: fc.nat(2), rule: fc.constantFrom('*.log\n', '*.LOG\n', 'deep/\n', '!b.log\n', '') }),
  fc.record({ kind: fc.constant('chmod' as const), file: fc.nat(FILES.length - 1) }),
  fc.record({ kind: fc.constant('symlink' as const), file: fc.nat(FILES.length - 1) }),
  fc.record({ kind: fc.constant('delete' as const), file: fc.nat(FILES.length - 1) }),
  fc.record({ kind: fc.constant('stage' as const), file: fc.nat(FILES.length - 1) }),
  fc.record({ kind: fc.constant('cliStage' as const), file: fc.nat(FILES.length - 1) }),
  fc.record({ kind: fc.constant('intentToAdd' as const), file: fc.nat(FILES.length - 1) }),
  fc.record({ kind: fc.constant('skipWorktree' as const), file: fc.nat(FILES.length - 1) }),
  fc.record({ kind: fc.constant('commit' as const) }),
  fc.record({ kind: fc.constant('switch' as const), branch: fc.constantFrom('main' as const, 'side' as const) }),
);

const CODES: Record<string, string> = { added: 'A', modified: 'M', deleted: 'D', typeChanged: 'T' };

/** Hammock's status as (XY, path) rows like porcelain v2's, sorted. */
function ours(st: WorkingTreeStatus): string[] {
  const rows = new Map<string, [string, string]>();
  const out: string[] = [];
  for (const m of st.merge) out.push(`u ${m.path}`);
  for (const s of st.staged) rows.set(s.path, [CODES[s.kind], '.']);
  for (const c of st.changes) {
    if (c.kind === 'untracked') {
      out.push(`? ${c.path}`);
      continue;
    }
    const r = rows.get(c.path) ?? ['.', '.'];
    r[1] = CODES[c.kind];
    rows.set(c.path, r);
  }
  for (const [p, [x, y]] of rows) out.push(`${x}${y} ${p}`);
  return out.sort();
}

function theirs(dir: string): string[] {
  const out: string[] = [];
  for (const line of gitCli(dir, 'status', '--porcelain=v2', '-uall', '--no-renames').split('\n').filter(Boolean)) {
    const f = line.split(' ');
    if (f[0] === '?') out.push(`? ${line.slice(2)}`);
    else if (f[0] === 'u') out.push(`u ${f.slice(10).join(' ')}`);
    else if (f[0] === '1') out.push(`${f[1]} ${f.slice(8).join(' ')}`);
  }
  return out.sort();
}

/** Runs `fn` and returns 'ok' or 'refused'. */
function cliOutcome(fn: () => void): string {
  try {
    fn();
    return 'ok';
  } catch {
    return 'refused';
  }
}

async function hammockOutcome(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    if (err instanceof GitError) return 'refused';
    throw err;
  }
}

function applyFileOp(dir: string, op: Op, stamp: number): void {
  const rel = 'file' in op ? FILES[op.file] : '';
  const full = path.join(dir, rel);
  const clear = (): void => {
    const st = fs.lstatSync(full, { throwIfNoEntry: false });
    if (st?.isDirectory()) fs.rmSync(full, { recursive: true });
    else if (st) fs.unlinkSync(full);
  };
  switch (op.kind) {
    case 'edit':
      clear();
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, op.text + `#${stamp}\n`);
      break;
    case 'sameSizeKeepMtime': {
      const st = fs.lstatSync(full, { throwIfNoEntry: false });
      if (!st?.isFile() || st.size === 0) break;
      const buf = fs.readFileSync(full);
      buf[0] = buf[0] === 0x5a ? 0x59 : 0x5a;
      // as `rsync -t` does it: a new file renamed over the old one, its mtime put back (git, built without
      // nanosecond stat checks, would miss an in-place rewrite within the same second; Hammock does not)
      fs.writeFileSync(full + '.tmp', buf, { mode: st.mode });
      fs.renameSync(full + '.tmp', full);
      fs.utimesSync(full, st.atime, st.mtime);
      break;
    }
    case 'crlf':
      clear();
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, `line one\r\nline two ${stamp}\r\n`);
      break;
    case 'attributes':
      fs.writeFileSync(path.join(dir, '.gitattributes'), op.rule);
      break;
    case 'ignore':
      fs.writeFileSync(path.join(dir, ['', 'docs', 'sub'][op.where], '.gitignore'), op.rule);
      break;
    case 'chmod': {
      const st = fs.lstatSync(full, { throwIfNoEntry: false });
      if (st?.isFile()) fs.chmodSync(full, st.mode & 0o100 ? 0o644 : 0o755);
      break;
    }
    case 'symlink':
      clear();
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.symlinkSync('target-' + stamp, full);
      break;
    case 'delete':
      clear();
      break;
    default:
      break;
  }
}

// ---------------------------------------------------------------- histories

const HFILES = ['.insomnia/Request/req_1.yml', 'docs/a.txt', 'docs/b.txt', 'notes.md', 'lib/c.txt'];

type HOp =
  | { kind: 'edit'; file: number; line: number; text: string }
  | { kind: 'commitEdit'; file: number; line: number; text: string }
  | { kind: 'diverge'; file: number; line: number; otherLine: number; rename: boolean }
  | { kind: 'rename'; file: number; dir: number }
  | { kind: 'delete'; file: number }
  | { kind: 'stageAll' }
  | { kind: 'commit' }
  | { kind: 'switch' }
  | { kind: 'otherCommit'; file: number; line: number; text: string; rename: boolean }
  | { kind: 'merge' }
  | { kind: 'crissCross' }
  | { kind: 'submoduleAdd' }
  | { kind: 'submoduleEdit'; text: string };

const DIRS = ['moved', 'docs', 'lib'];

const hopArb: fc.Arbitrary<HOp> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('edit' as const), file: fc.nat(HFILES.length - 1), line: fc.nat(9), text: fc.constantFrom('ours', 'x', '', 'shared') }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('commitEdit' as const), file: fc.nat(HFILES.length - 1), line: fc.nat(4), text: fc.constantFrom('ours', 'shared') }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('diverge' as const), file: fc.nat(HFILES.length - 1), line: fc.nat(4), otherLine: fc.nat(4), rename: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('rename' as const), file: fc.nat(HFILES.length - 1), dir: fc.nat(DIRS.length - 1) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), file: fc.nat(HFILES.length - 1) }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'stageAll' as const }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'commit' as const }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'switch' as const }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('otherCommit' as const), file: fc.nat(HFILES.length - 1), line: fc.nat(4), text: fc.constantFrom('theirs', 'x', 'shared'), rename: fc.boolean() }),
    weight: 4,
  },
  { arbitrary: fc.constant({ kind: 'merge' as const }), weight: 4 },
  { arbitrary: fc.constant({ kind: 'crissCross' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'submoduleAdd' as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('submoduleEdit' as const), text: fc.constantFrom('a', 'b') }), weight: 1 },
);

/** Commits with a fixed clock, so that the same plumbing gives the same commit ids in both copies. */
let clock = 1_700_000_000;
function fixedDate(): NodeJS.ProcessEnv {
  const d = `${clock++} +0000`;
  return { GIT_AUTHOR_DATE: d, GIT_COMMITTER_DATE: d };
}

function gitWith(dir: string, env: NodeJS.ProcessEnv, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    env: { ...process.env, GIT_AUTHOR_NAME: 'CLI User', GIT_AUTHOR_EMAIL: 'cli@hammock.invalid', GIT_COMMITTER_NAME: 'CLI User', GIT_COMMITTER_EMAIL: 'cli@hammock.invalid', GIT_CONFIG_NOSYSTEM: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
    .toString()
    .trimEnd();
}

/** A commit on `branch` (not checked out) changing one line of `file` (and renaming it), made with plumbing. */
function commitOnBranch(dir: string, branch: string, op: Extract<HOp, { kind: 'otherCommit' }>, date: NodeJS.ProcessEnv): void {
  const file = HFILES[op.file];
  let blob: string;
  try {
    blob = gitWith(dir, {}, 'rev-parse', `${branch}:${file}`);
  } catch {
    return; // not on that branch
  }
  const lines = gitWith(dir, {}, 'cat-file', 'blob', blob).split('\n');
  lines[op.line % lines.length] = op.text;
  const index = path.join(dir, '.git', 'hammock-diff-index');
  const env = { GIT_INDEX_FILE: index };
  gitWith(dir, env, 'read-tree', branch);
  const updated = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: lines.join('\n') + '\n' }).toString().trim();
  const target = op.rename ? `moved/${path.basename(file)}` : file;
  if (op.rename) gitWith(dir, env, 'update-index', '--force-remove', file);
  gitWith(dir, env, 'update-index', '--add', '--cacheinfo', `100644,${updated},${target}`);
  const tree = gitWith(dir, env, 'write-tree');
  fs.rmSync(index, { force: true });
  const commit = gitWith(dir, date, 'commit-tree', tree, '-p', branch, '-m', `${branch}: ${target}`);
  gitWith(dir, {}, 'update-ref', `refs/heads/${branch}`, commit);
}

describe('differential: Hammock against the git CLI on identical copies', function () {
  this.timeout(240_000);
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  it('random operation sequences: same status, same refusals, same trees, fsck clean', async () => {
    const started = Date.now();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 3, maxLength: 12 }), async (ops) => {
        runs++;
        const root = tmp.make('hammock-diff-');
        const files: Record<string, string> = {};
        FILES.forEach((f, i) => (files[f] = i < 2 ? requestYaml(`req_${i + 1}`, `R${i}`) : `content ${i}\n`));
        fs.mkdirSync(path.join(root, 'h'));
        const base = initRepo(path.join(root, 'h'), files);
        gitCli(base, 'branch', 'side');
        gitCli(base, 'config', 'core.autocrlf', 'false');
        execFileSync('cp', ['-a', base, path.join(root, 'c')]);
        const h = new GitClient(base);
        await h.setAuthor(AUTHOR);
        const cli = path.join(root, 'c');
        gitCli(cli, 'config', 'user.name', AUTHOR.name);
        gitCli(cli, 'config', 'user.email', AUTHOR.email);
        let stamp = 0;
        for (const op of ops) {
          stamp++;
          const rel = 'file' in op ? FILES[op.file] : '';
          const step = `${JSON.stringify(op)} in ${JSON.stringify(ops)}`;
          switch (op.kind) {
            case 'stage': {
              const a = await hammockOutcome(() => h.stage([rel]));
              const b = cliOutcome(() => gitCli(cli, 'add', '-A', '--', rel));
              if (a === 'ok' || b === 'ok') assert.strictEqual(a, b, `stage: ${step}`);
              break;
            }
            case 'cliStage':
              for (const d of [base, cli]) cliOutcome(() => gitCli(d, 'add', '-A', '--', rel));
              break;
            case 'intentToAdd':
              for (const d of [base, cli]) cliOutcome(() => gitCli(d, 'add', '-N', '--', rel));
              break;
            case 'skipWorktree':
              for (const d of [base, cli]) cliOutcome(() => gitCli(d, 'update-index', '--skip-worktree', '--', rel));
              break;
            case 'commit': {
              const a = await hammockOutcome(() => h.commit(`c${stamp}`));
              const b = cliOutcome(() => gitCli(cli, 'commit', '-q', '-m', `c${stamp}`));
              assert.strictEqual(a, b, `commit: ${step}`);
              if (a === 'ok') assert.strictEqual(gitCli(base, 'rev-parse', 'HEAD^{tree}'), gitCli(cli, 'rev-parse', 'HEAD^{tree}'), `tree: ${step}`);
              break;
            }
            case 'switch': {
              const a = await hammockOutcome(() => h.checkout(op.branch));
              const b = cliOutcome(() => gitCli(cli, 'checkout', '-q', op.branch));
              assert.strictEqual(a, b, `switch: ${step}`);
              break;
            }
            default:
              applyFileOp(base, op, stamp);
              applyFileOp(cli, op, stamp);
          }
          assert.deepStrictEqual(ours(await computeStatus({ dir: base, cache: {} })), theirs(cli), `status after ${step}`);
          execFileSync('git', ['fsck', '--strict', '--no-progress'], { cwd: base, stdio: 'pipe' });
        }
        fs.rmSync(root, { recursive: true, force: true });
      }),
      { seed: 1313, numRuns: 40, interruptAfterTimeLimit: 120_000, endOnFailure: true },
    );
    assert.ok(runs >= 10, `only ${runs} sequences ran in ${Date.now() - started} ms`);
  });
  it('histories: commits on both branches, renames, merges of diverged and criss-cross histories, submodules', async () => {
    const started = Date.now();
    let runs = 0;
    let merges = 0;
    let conflicts = 0;
    const template = initRepo(tmp.make('hammock-diff-sub-'), { 'inner.txt': 'inner\n' });
    await fc.assert(
      fc.asyncProperty(fc.array(hopArb, { minLength: 5, maxLength: 14 }), async (ops) => {
        runs++;
        const root = tmp.make('hammock-diffh-');
        const lines = (name: string): string => Array.from({ length: 10 }, (_, i) => `${name} line ${i + 1}`).join('\n') + '\n';
        const files: Record<string, string> = {};
        HFILES.forEach((f, i) => (files[f] = i === 0 ? requestYaml('req_1', 'R1') : lines(path.basename(f))));
        fs.mkdirSync(path.join(root, 'h'));
        const base = initRepo(path.join(root, 'h'), files);
        gitCli(base, 'branch', 'side');
        for (const [b, other] of [['main', 'side'], ['side', 'main']]) {
          gitCli(base, 'config', `branch.${b}.remote`, 'origin');
          gitCli(base, 'config', `branch.${b}.merge`, `refs/heads/${other}`);
        }
        gitCli(base, 'config', 'user.name', AUTHOR.name);
        gitCli(base, 'config', 'user.email', AUTHOR.email);
        const cli = path.join(root, 'c');
        execFileSync('cp', ['-a', base, cli]);
        const h = new GitClient(base);
        const both = [base, cli];
        for (const op of ops) {
          const step = `${JSON.stringify(op)} in ${JSON.stringify(ops)}`;
          const current = gitCli(cli, 'rev-parse', '--abbrev-ref', 'HEAD');
          const other = current === 'main' ? 'side' : 'main';
          const editBoth = (o: { file: number; line: number; text: string }): void => {
            for (const d of both) {
              const full = path.join(d, HFILES[o.file]);
              if (!fs.existsSync(full)) continue;
              const ls = fs.readFileSync(full, 'utf8').split('\n');
              ls[o.line % Math.max(1, ls.length - 1)] = o.text;
              fs.writeFileSync(full, ls.join('\n'));
            }
          };
          const commitBoth = async (): Promise<string> => {
            const paths = (await computeStatus({ dir: base, cache: {} })).changes.map((c) => c.path);
            const a = await hammockOutcome(async () => {
              await h.stage(paths);
              await h.commit('edit');
            });
            const b = cliOutcome(() => {
              gitCli(cli, 'add', '-A');
              gitCli(cli, 'commit', '-q', '-m', 'edit');
            });
            assert.strictEqual(a, b, `commit an edit: ${step}`);
            if (a === 'ok') assert.strictEqual(gitCli(base, 'rev-parse', 'HEAD^{tree}'), gitCli(cli, 'rev-parse', 'HEAD^{tree}'), `tree: ${step}`);
            return a;
          };
          switch (op.kind) {
            case 'diverge': {
              // both branches change one file: this one at `line`, the other at `otherLine` (and maybe renames it)
              editBoth({ file: op.file, line: op.line, text: 'ours' });
              await commitBoth();
              const date = fixedDate();
              for (const d of both) commitOnBranch(d, other, { kind: 'otherCommit', file: op.file, line: op.otherLine, text: 'theirs', rename: op.rename }, date);
              break;
            }
            case 'commitEdit':
              // an edit, staged and committed: both sides' commits are what merges are made of
              editBoth(op);
              await commitBoth();
              break;
            case 'edit':
              editBoth(op);
              break;
            case 'rename':
              for (const d of both) {
                const from = path.join(d, HFILES[op.file]);
                const to = path.join(d, DIRS[op.dir], path.basename(HFILES[op.file]));
                if (!fs.existsSync(from) || fs.existsSync(to)) continue;
                fs.mkdirSync(path.dirname(to), { recursive: true });
                fs.renameSync(from, to);
              }
              break;
            case 'delete':
              for (const d of both) fs.rmSync(path.join(d, HFILES[op.file]), { force: true });
              break;
            case 'stageAll': {
              const st = await computeStatus({ dir: base, cache: {} });
              const paths = [...st.changes.map((c) => c.path), ...st.merge.map((c) => c.path)];
              const a = await hammockOutcome(() => h.stage(paths));
              const b = cliOutcome(() => gitCli(cli, 'add', '-A'));
              assert.strictEqual(a, b, `stage all: ${step}`);
              break;
            }
            case 'commit': {
              const a = await hammockOutcome(() => h.commit('c'));
              const b = cliOutcome(() => gitCli(cli, 'commit', '-q', '-m', 'c'));
              assert.strictEqual(a, b, `commit: ${step}`);
              if (a === 'ok') assert.strictEqual(gitCli(base, 'rev-parse', 'HEAD^{tree}'), gitCli(cli, 'rev-parse', 'HEAD^{tree}'), `tree: ${step}`);
              break;
            }
            case 'switch': {
              const a = await hammockOutcome(() => h.checkout(other));
              const b = cliOutcome(() => gitCli(cli, 'checkout', '-q', other));
              assert.strictEqual(a, b, `switch: ${step}`);
              break;
            }
            case 'otherCommit': {
              const date = fixedDate();
              for (const d of both) commitOnBranch(d, other, op, date);
              break;
            }
            case 'crissCross': {
              // each branch "merges" the other keeping its own tree (git merge -s ours), with the same ids in both copies
              const date = fixedDate();
              for (const d of both) {
                const [m, sd] = [gitCli(d, 'rev-parse', 'main'), gitCli(d, 'rev-parse', 'side')];
                if (gitCli(d, 'merge-base', 'main', 'side') === m || gitCli(d, 'merge-base', 'main', 'side') === sd) continue;
                gitCli(d, 'update-ref', 'refs/heads/main', gitWith(d, date, 'commit-tree', 'main^{tree}', '-p', m, '-p', sd, '-m', 'cross main'));
                gitCli(d, 'update-ref', 'refs/heads/side', gitWith(d, date, 'commit-tree', `${sd}^{tree}`, '-p', sd, '-p', m, '-m', 'cross side'));
              }
              break;
            }
            case 'merge': {
              // Merge in Editor needs a clean working tree (untracked files allowed): run it only then
              if (gitCli(cli, 'status', '--porcelain', '--untracked-files=no')) break;
              for (const d of both) gitCli(d, 'update-ref', `refs/remotes/origin/${other}`, gitCli(d, 'rev-parse', other));
              let res: Awaited<ReturnType<GitClient['mergeInEditor']>> | undefined;
              let refused = false;
              try {
                res = await h.mergeInEditor();
              } catch (err) {
                if (!(err instanceof GitError)) throw err;
                refused = true;
              }
              const b = cliOutcome(() => gitCli(cli, 'merge', '-q', '--no-edit', `origin/${other}`));
              const gitConflicted = gitCli(cli, 'diff', '--name-only', '--diff-filter=U').split('\n').filter(Boolean).sort();
              if (refused) {
                assert.strictEqual(b, 'refused', `Hammock refused a merge git made: ${step}`);
                assert.deepStrictEqual(gitConflicted, [], `Hammock refused a merge git stopped on: ${step}`);
                break;
              }
              merges++;
              assert.strictEqual(res!.completed, b === 'ok', `merged or stopped: ${step}`);
              if (res!.completed) {
                assert.strictEqual(gitCli(base, 'rev-parse', 'HEAD^{tree}'), gitCli(cli, 'rev-parse', 'HEAD^{tree}'), `merged tree: ${step}`);
              } else {
                conflicts++;
                assert.deepStrictEqual([...new Set(res!.conflicts.map((c) => c.path))].sort(), gitConflicted, `conflicted paths: ${step}`);
                assert.deepStrictEqual(ours(await computeStatus({ dir: base, cache: {} })), theirs(cli), `status in the merge: ${step}`);
                await h.abortMerge();
                gitCli(cli, 'merge', '--abort');
              }
              break;
            }
            case 'submoduleAdd':
              if (fs.existsSync(path.join(cli, 'mod'))) break;
              for (const d of both) gitCli(d, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', template, 'mod');
              break;
            case 'submoduleEdit':
              for (const d of both) if (fs.existsSync(path.join(d, 'mod/inner.txt'))) fs.writeFileSync(path.join(d, 'mod/inner.txt'), op.text + '\n');
              break;
          }
          assert.deepStrictEqual(ours(await computeStatus({ dir: base, cache: {} })), theirs(cli), `status after ${step}`);
          execFileSync('git', ['fsck', '--strict', '--no-progress'], { cwd: base, stdio: 'pipe' });
        }
        fs.rmSync(root, { recursive: true, force: true });
      }),
      { seed: 1314, numRuns: 20, interruptAfterTimeLimit: 100_000, endOnFailure: true },
    );
    assert.ok(runs >= 8, `only ${runs} sequences ran in ${Date.now() - started} ms`);
    assert.ok(merges >= 5 && conflicts >= 1, `too few merges: ${merges} (${conflicts} stopped on conflicts)`);
  });
});
