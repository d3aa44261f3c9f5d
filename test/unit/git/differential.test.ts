// Differential test: random operation sequences (fast-check, seeded) run once through Hammock and once through the
// git CLI on byte-identical copies of one generated repository. After every step Hammock's status must equal
// `git status --porcelain=v2` (the change kinds and paths), its refusals must match git's, committed trees must be
// identical, and `git fsck --strict` must be clean on Hammock's copy.

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
});
