// `hammock`: the collections layer from a terminal (and CI). Bundled to dist/cli.js (package.json `bin`).
//   hammock ls [DIR] [--json]   every collection under DIR with its counts
//   hammock check [DIR]         every problem; exit 1 when a file is malformed (--insomnia: or Insomnia refuses one)
//   hammock diff REF1 [REF2]    request-level changes between two git refs (REF2 absent: the working tree)
//   hammock export | convert | import   Insomnia v4/v5/Postman exports, legacy <-> v5, imports (cliConvert.ts)
// No dependencies beyond the collections layer and, for `diff`, the git layer (isomorphic-git): argument parsing is a few lines.

import * as path from 'node:path';
import { findRepositoryRoot } from './git/findRoot';
import { countItems, walkItems, type Collection, type CollectionCounts, type Problem, type WorkspaceSnapshot } from './collections/model';
import { describeFinding, scanCollection, type SecretFinding } from './collections/secrets/secretScan';
import { scanStagedSecrets } from './git/stagedSecrets';
import { loadWorkspace, unreadableFiles } from './collections/scan';
import { checkInsomniaFolder, formatIssue } from './collections/formats/conformance';
import { diffSnapshots, formatSnapshotDiff, type SnapshotDiff } from './collections/diff';
import { loadWorkspaceAtRef, UnknownRefError } from './git/snapshotAtRef';
import { diffRefs, diffRefWithWorkingTree, isPlainScope, mergeBaseOf, NoMergeBaseError } from './git/refDiff';
import { CONVERT_USAGE, convertCommands } from './cliConvert';
import { breakingChanges, formatBreaking, type BreakingChange } from './collections/breaking';
import { noCommonHistoryMessage, RUN_USAGE, runCommand } from './cli/run';
import { isDirectory, posixRelative as relative } from './util/posixRelative';

export const USAGE = `Usage: hammock <command> [DIR] [options]

Reads the Insomnia collections stored under DIR (default: the current folder): legacy
.insomnia/ folders and Insomnia v5 YAML files.

Commands:
  ls [DIR] [--json]   list the collections: format, file, name, scope, folder, request,
                      environment and problem counts (--json: a JSON array)
  check [DIR] [--insomnia] [--secrets [--staged]]
                      list every problem as file:line:column: severity: message;
                      exit 1 if a file is malformed, else print OK and exit 0;
                      --insomnia: also run Insomnia's own readers (its v5 schema 5.1
                      and 5.2, its Git Sync rules) on every Insomnia file, with
                      Insomnia's error and the path in the document; exit 1 if
                      Insomnia would refuse a file;
                      --secrets: also list the values that look like secrets (tokens,
                      keys, literal credentials) in requests, folders and
                      environments, masked; exit 1 if there is one;
                      --staged: only the secrets the staged changes of DIR's git
                      repository add (what Hammock's pre-commit hook runs)
  diff REF1 [REF2] [--dir DIR] [--json] [--breaking]
                      the collections, folders, requests and environments added,
                      removed, moved and changed between two git refs (REF2 absent:
                      the working tree; REF1..REF2 and REF1...REF2, from their merge
                      base, as git diff), grouped per collection (--json: an object);
                      exit 0 with or without changes, 2 on an unknown ref or a
                      REF1...REF2 with no merge base (a shallow clone: git fetch
                      --unshallow); only the files that changed are read; one of
                      them that cannot be read
                      on a side is named on stderr (--json: in \`problems\`), as what
                      it holds is left out of the diff;
                      --breaking: only the changes that break callers (a request
                      removed or renamed, its method or path changed, a header or
                      parameter added, a body field removed, its auth type changed),
                      exit 1 when there is one, or when a file of the newer side
                      cannot be read (what it holds is unknown)
${CONVERT_USAGE}${RUN_USAGE}  help                show this help

Options:
  -h, --help          show this help
`;

/** What one collection looks like in `hammock ls --json`: its counts (environments: base and sub together), and more. */
export interface CollectionSummary extends CollectionCounts {
  name: string;
  format: 'legacy' | 'v5';
  /** relative to DIR, posix separators. */
  path: string;
  scope: string;
  problems: ProblemSummary[];
}

/** A problem for humans: file relative to DIR (posix), line and column 1-based. */
export interface ProblemSummary {
  file: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** the environment `hammock run` takes HAMMOCK_ENV_* variables from (default: the process's). */
  readonly env?: NodeJS.ProcessEnv;
}

const EXIT_OK = 0;
const EXIT_PROBLEMS = 1;
const EXIT_USAGE = 2;

/** Runs the command line; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const args = [...argv];
  if (args.length === 0) {
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  if (args.includes('-h') || args.includes('--help') || args[0] === 'help') {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  const command = args.shift()!;
  if (command === 'diff') return diffCommand(args, io);
  if (command === 'run' || command === 'test') return runCommand(command, args, { ...io, env: io.env ?? process.env });
  if (command === 'export' || command === 'convert' || command === 'import') return convertCommands(command, args, io);
  const flags = args.filter((a) => a.startsWith('-'));
  const positional = args.filter((a) => !a.startsWith('-'));
  const allowed = command === 'ls' ? ['--json'] : command === 'check' ? ['--insomnia', '--secrets', '--staged'] : undefined;
  if (!allowed) return usageError(io, `unknown command: ${command}`);
  const unknown = flags.find((f) => !allowed.includes(f));
  if (unknown) return usageError(io, `unknown option for ${command}: ${unknown}`);
  if (positional.length > 1) return usageError(io, `${command} takes one folder, got ${positional.length}`);

  const dir = path.resolve(io.cwd, positional[0] ?? '.');
  if (!isDirectory(dir)) {
    io.stderr(`hammock: ${positional[0] ?? dir}: not a folder\n`);
    return EXIT_USAGE;
  }
  if (flags.includes('--staged')) {
    if (!flags.includes('--secrets')) return usageError(io, '--staged goes with --secrets');
    return checkStagedSecrets(dir, io);
  }
  const snapshot = await loadWorkspace(dir);
  if (command === 'ls') return list(snapshot, dir, flags.includes('--json'), io);
  const code = check(snapshot, dir, io, flags.includes('--insomnia'));
  if (!flags.includes('--secrets')) return code;
  return Math.max(code, checkSecrets(snapshot, dir, io));
}

/** One secret for humans: `file:line: secret: <where> · <kind> <masked>` (the value itself never printed). */
function secretLine(dir: string, f: SecretFinding, line: number): string {
  return `${relative(dir, f.file)}:${line}: secret: ${describeFinding(f)}`;
}

const SECRET_HINT =
  'Move each value into a private environment or behind a {{ vault.name }} variable (Hammock does both from its commit check in VS Code).\n';

function checkSecrets(snapshot: WorkspaceSnapshot, dir: string, io: CliIo): number {
  const findings = snapshot.collections.flatMap((c) => scanCollection(c).map((f) => ({ f, line: lineOfOwner(c, f.owner.id) })));
  for (const { f, line } of findings) io.stdout(secretLine(dir, f, line) + '\n');
  if (findings.length) {
    io.stderr(`${findings.length} value${findings.length === 1 ? '' : 's'} that look${findings.length === 1 ? 's' : ''} like secrets. ${SECRET_HINT}`);
    return EXIT_PROBLEMS;
  }
  io.stdout('OK: no secrets found\n');
  return EXIT_OK;
}

function lineOfOwner(c: Collection, id: string): number {
  const located = [...walkItems(c.children)].find((i) => i.id === id) ?? [c.baseEnvironment, ...(c.baseEnvironment?.subEnvironments ?? [])].find((e) => e?.id === id);
  return (located?.source.line ?? 0) + 1;
}

async function checkStagedSecrets(dir: string, io: CliIo): Promise<number> {
  let root: string;
  try {
    root = await findRepositoryRoot(dir);
  } catch {
    io.stderr(`hammock: ${dir}: not in a git repository\n`);
    return EXIT_PROBLEMS;
  }
  const { findings, files } = await scanStagedSecrets(root);
  for (const f of findings) io.stdout(secretLine(io.cwd, f, 1).replace(/:1: secret:/, ': secret:') + '\n');
  if (findings.length) {
    io.stderr(
      `hammock: the staged changes add ${findings.length} value${findings.length === 1 ? '' : 's'} that look${findings.length === 1 ? 's' : ''} like secrets; not committing. ${SECRET_HINT}` +
        'To commit anyway: git commit --no-verify\n',
    );
    return EXIT_PROBLEMS;
  }
  io.stdout(`OK: no secrets in ${files.length} staged Insomnia file${files.length === 1 ? '' : 's'}\n`);
  return EXIT_OK;
}

/** `hammock diff --json`: the diff with collection paths relative to DIR. */
export interface DiffJson extends SnapshotDiff {
  readonly before: string;
  /** null: the working tree. */
  readonly after: string | null;
  /** the files that could not be read on a side (`ref` null: the working tree): what they hold is not in the diff. */
  readonly problems: readonly DiffProblem[];
}

export interface DiffProblem extends ProblemSummary {
  readonly ref: string | null;
}

/**
 * `hammock diff`. `read`: 'changed' reads only the files the change touches (a working tree under a skipped or
 * `.insomnia` folder is read whole); 'whole' loads both sides whole, the slow, obviously right way the tests hold
 * the other to.
 */
export async function diffCommand(args: readonly string[], io: CliIo, read: 'changed' | 'whole' = 'changed'): Promise<number> {
  const refs: string[] = [];
  let json = false;
  let breaking = false;
  let dirArg: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--breaking') breaking = true;
    else if (a === '--dir' || a.startsWith('--dir=')) {
      dirArg = a === '--dir' ? args[++i] : a.slice('--dir='.length);
      if (!dirArg) return usageError(io, '--dir needs a folder');
    } else if (a.startsWith('-')) return usageError(io, `unknown option for diff: ${a}`);
    else refs.push(a);
  }
  if (refs.length === 0 || refs.length > 2) return usageError(io, `diff takes one or two refs, got ${refs.length}`);
  // one range, as git diff takes it: `A..B` is `A B`, `A...B` compares B with its merge base with A; B absent: HEAD
  const range = refs.length === 1 ? /^(.+?)(\.\.\.?)(.*)$/.exec(refs[0]) : null;
  if (range) refs.splice(0, 1, range[1], range[3] || 'HEAD');
  const dir = path.resolve(io.cwd, dirArg ?? '.');
  if (!isDirectory(dir)) {
    io.stderr(`hammock: ${dirArg ?? dir}: not a folder\n`);
    return EXIT_USAGE;
  }
  let root: string;
  try {
    root = await findRepositoryRoot(dir);
  } catch {
    io.stderr(`hammock: ${dirArg ?? dir}: not in a git repository (diff compares git refs)\n`);
    return EXIT_USAGE;
  }
  // a ref's snapshot covers the whole repository: keep what is under DIR, as the working tree's load does
  const under = (p: string) => p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
  // a file that cannot be read on a side holds nothing there: its items would show as added or removed, so it is named
  const unread: DiffProblem[] = [];
  // the same files by side, absolute: what the diff leaves out (diffSnapshots' Unread)
  const unknown = { before: new Set<string>(), after: new Set<string>() };
  const side = (snap: WorkspaceSnapshot, ref: string | null, files: Set<string>) => {
    for (const p of unreadableFiles(snap, under)) {
      unread.push({ ref, ...problemSummary(dir, p) });
      files.add(p.file);
    }
    return snap.collections.filter((c) => under(c.path));
  };
  const atRef = async (ref: string, files: Set<string>, label = ref) => side(await loadWorkspaceAtRef(root, ref), label, files);
  let diff: SnapshotDiff;
  let broken: BreakingChange[] = [];
  try {
    let before: Collection[];
    let after: Collection[];
    if (read === 'whole' || (refs[1] === undefined && !isPlainScope(root, dir))) {
      before = range?.[2] === '...' ? await atRef(await mergeBaseOf(root, refs[0], refs[1]), unknown.before, refs[0]) : await atRef(refs[0], unknown.before);
      after = refs[1] === undefined ? side(await loadWorkspace(dir), null, unknown.after) : await atRef(refs[1], unknown.after);
    } else {
      // only what changed is read (git/refDiff.ts): the same diff, in the time of the change rather than the repository
      const changed =
        refs[1] === undefined
          ? await diffRefWithWorkingTree(root, refs[0], { scope: dir })
          : await diffRefs(root, refs[0], refs[1], { mergeBase: range?.[2] === '...' });
      before = side(sortedProblems(changed.before), refs[0], unknown.before);
      after = side(sortedProblems(changed.after), refs[1] ?? null, unknown.after);
    }
    diff = diffSnapshots(before, after, unknown);
    if (breaking) broken = breakingChanges(before, after, unknown);
  } catch (err) {
    if (err instanceof UnknownRefError) {
      // a usage error, as `hammock run --changed` has it: exit 1 is what --breaking gives a breaking change, and a gate
      // whose ref was not fetched (a CI checkout of one commit) must not read as one
      const at = relative(io.cwd, root);
      io.stderr(`hammock: unknown git ref '${err.ref}': not a branch, tag or commit in this repository${at === '.' ? '' : ` (${at})`}: check its spelling, or fetch it (a CI checkout often has one commit and no other branch)\n`);
      return EXIT_USAGE;
    }
    if (err instanceof NoMergeBaseError) {
      // a setup error too (a shallow clone, the wrong ref): a gate must not read it as a breaking change
      io.stderr(`hammock: ${noCommonHistoryMessage(refs[0], refs[1])}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  for (const p of unread) {
    io.stderr(`hammock: warning: ${p.ref ?? 'working tree'}: ${p.file}:${p.line}:${p.column}: ${p.message}; what it holds is left out of the diff\n`);
  }
  if (breaking) {
    // a gate does not pass what it could not read: a file the newer side cannot read where the older one could (one
    // unreadable on both sides is not this change's doing, and the whole load names it whether it changed or not)
    const unreadNow = [...unknown.after].filter((f) => !unknown.before.has(f)).length;
    if (json) io.stdout(JSON.stringify({ before: refs[0], after: refs[1] ?? null, breaking: broken.map((b) => ({ ...b, collectionPath: relative(dir, b.collectionPath) })), problems: unread }, null, 2) + '\n');
    else io.stdout(formatBreaking(broken, (p) => relative(dir, p), unreadNow));
    return broken.length || unreadNow ? EXIT_PROBLEMS : EXIT_OK;
  }
  if (json) {
    const out: DiffJson = {
      before: refs[0],
      after: refs[1] ?? null,
      collections: diff.collections.map((c) => ({ ...c, path: relative(dir, c.path) })),
      problems: unread,
    };
    io.stdout(JSON.stringify(out, null, 2) + '\n');
  } else {
    io.stdout(formatSnapshotDiff(diff, (p) => relative(dir, p)));
  }
  return EXIT_OK;
}

/** A partial snapshot's problems in the order a whole load gives them (by file, line, column). */
function sortedProblems(snap: WorkspaceSnapshot): WorkspaceSnapshot {
  snap.problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  return snap;
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`hammock: ${message}\n\n${USAGE}`);
  return EXIT_USAGE;
}

function problemSummary(dir: string, p: Problem): ProblemSummary {
  return { file: relative(dir, p.file), line: p.line + 1, column: p.column + 1, message: p.message, severity: p.severity };
}

export function summarize(collection: Collection, dir: string): CollectionSummary {
  const counts = countItems(collection);
  return {
    name: collection.name,
    format: collection.format,
    path: relative(dir, collection.path),
    scope: collection.scope,
    folders: counts.folders,
    requests: counts.requests,
    grpcRequests: counts.grpcRequests,
    websocketRequests: counts.websocketRequests,
    socketIORequests: counts.socketIORequests,
    environments: counts.environments,
    problems: collection.problems.map((p) => problemSummary(dir, p)),
  };
}

function list(snapshot: WorkspaceSnapshot, dir: string, json: boolean, io: CliIo): number {
  const summaries = snapshot.collections.map((c) => summarize(c, dir));
  if (json) {
    io.stdout(`${JSON.stringify(summaries, null, 2)}\n`);
  } else if (summaries.length === 0) {
    io.stdout(`No Insomnia collections under ${dir}\n`);
  } else {
    const header = ['FORMAT', 'PATH', 'NAME', 'SCOPE', 'FOLDERS', 'REQUESTS', 'GRPC', 'WEBSOCKET', 'SOCKETIO', 'ENVS', 'PROBLEMS'];
    const rows = summaries.map((s) => [
      s.format,
      s.path,
      s.name,
      s.scope,
      String(s.folders),
      String(s.requests),
      String(s.grpcRequests),
      String(s.websocketRequests),
      String(s.socketIORequests),
      String(s.environments),
      String(s.problems.length),
    ]);
    io.stdout(table(header, rows, 4));
  }
  const orphans = snapshot.problems.length;
  if (orphans > 0) {
    io.stderr(`${orphans} problem${orphans === 1 ? '' : 's'} in files that hold no collection; run \`hammock check\` to see them\n`);
  }
  return EXIT_OK;
}

/** Left-aligned text columns, right-aligned number columns (from `firstNumeric` on). */
function table(header: string[], rows: string[][], firstNumeric: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i >= firstNumeric ? cell.padStart(widths[i]) : i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

function check(snapshot: WorkspaceSnapshot, dir: string, io: CliIo, insomnia: boolean): number {
  const all = [...snapshot.problems, ...snapshot.collections.flatMap((c) => c.problems)].map((p) => problemSummary(dir, p));
  let checked = '';
  if (insomnia) {
    // Insomnia's own readers, transcribed (collections/formats/conformance.ts): what Insomnia would refuse is an error
    const { issues, files, folders } = checkInsomniaFolder(dir);
    for (const i of issues) {
      all.push({ file: relative(dir, i.file), line: i.line + 1, column: i.column + 1, message: `Insomnia refuses this: ${formatIssue(i)}`, severity: 'error' });
    }
    checked = `; Insomnia's readers: ${files} v5 file${files === 1 ? '' : 's'}, ${folders} .insomnia folder${folders === 1 ? '' : 's'}`;
  }
  all.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  for (const p of all) io.stdout(`${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}\n`);
  const errors = all.filter((p) => p.severity === 'error').length;
  const warnings = all.length - errors;
  const n = snapshot.collections.length;
  const collections = `${n} collection${n === 1 ? '' : 's'}`;
  if (errors > 0) {
    io.stderr(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} (${collections} read${checked})\n`);
    return EXIT_PROBLEMS;
  }
  const ok = insomnia ? 'no malformed files, nothing Insomnia refuses' : 'no malformed files';
  io.stdout(`OK: ${collections}, ${ok}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}${checked}\n`);
  return EXIT_OK;
}

function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
  };
}

if (require.main === module) {
  // `hammock ls | head`: the reader went away; stop quietly as other command-line tools do, not with a stack trace
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`hammock: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = EXIT_PROBLEMS + 2;
    },
  );
}
