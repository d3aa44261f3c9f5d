// Helpers for the git tests: temp folders, the git CLI (to set up and to verify state), Insomnia-like files.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFile, execFileSync, spawn, type ChildProcess } from 'child_process';
import * as assert from 'assert';
import type { GitAuthProvider } from '../../../src/git/auth';
import { GitClient } from '../../../src/git/gitClient';
import { GitError, type GitErrorCode } from '../../../src/git/gitError';
import type { WorkingTreeStatus } from '../../../src/git/status';
import { StatusWorkerClient } from '../../../src/git/statusWorkerClient';
import { TransferWorkerClient } from '../../../src/git/transferWorkerClient';
import { GitServer } from '../../support/gitServer';

export const AUTHOR = { name: 'Hammock Test', email: 'test@hammock.invalid' };

const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'CLI User',
  GIT_AUTHOR_EMAIL: 'cli@hammock.invalid',
  GIT_COMMITTER_NAME: 'CLI User',
  GIT_COMMITTER_EMAIL: 'cli@hammock.invalid',
  GIT_TERMINAL_PROMPT: '0',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: os.tmpdir(),
};

/** Runs the git CLI in `cwd` and returns trimmed stdout. */
export function gitCli(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, stdio: ['ignore', 'pipe', 'pipe'] })
    .toString()
    .trimEnd();
}

/**
 * The git CLI without blocking the event loop: needed for commands that talk to the loopback server running in
 * this same process (a synchronous call would deadlock it).
 */
export function gitCliAsync(cwd: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env: GIT_ENV }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(String(stdout).trimEnd());
    });
  });
}

/** The token `loopbackGitServer`'s server asks for, and an auth provider that gives it. */
export const SERVER_TOKEN = 'secret-token';
export const serverAuth: GitAuthProvider = { getCredentials: () => ({ token: SERVER_TOKEN }), requestCredentials: async () => undefined };

/**
 * A smart-HTTP git server on loopback (SERVER_TOKEN) for the calling suite: started in its `before` under a folder of
 * `tmp`, closed with `tmp`'s folders in its `after`. The returned function gives the server once started.
 */
export function loopbackGitServer(tmp: TempDirs): () => GitServer {
  let server: GitServer | undefined;
  before(async () => {
    server = await GitServer.start({ projectRoot: tmp.make('hammock-srv-'), token: SERVER_TOKEN });
  });
  after(async () => {
    await server?.close();
    tmp.cleanup();
  });
  return () => server!;
}

/**
 * A bare repository `name` on `server` seeded with two requests, a teammate's clone of it (the git CLI, its own
 * identity) that pushes to it, and Hammock's clone, made after `beforeClone` ran in the teammate's. `authed`: the
 * remote's URL with the token, for the git CLI.
 */
export async function clonedWithTeammate(tmp: TempDirs, server: GitServer, name: string, beforeClone?: (other: string) => Promise<void>): Promise<{ dir: string; other: string; authed: string; url: string }> {
  const seed = initRepo(tmp.make('hammock-seed-'), legacySeed(2));
  server.createBareRepo(name, { seedDir: seed });
  const url = server.url(name);
  const authed = url.replace('http://', `http://user:${SERVER_TOKEN}@`);
  const other = path.join(tmp.make('hammock-cli-'), 'wc');
  await gitCliAsync(path.dirname(other), 'clone', '-q', authed, other);
  gitCli(other, 'config', 'user.name', 'Someone Else');
  gitCli(other, 'config', 'user.email', 'else@hammock.invalid');
  await beforeClone?.(other);
  const dir = path.join(tmp.make('hammock-wc-'), 'repo');
  await GitClient.clone({ url, dir, auth: serverAuth, author: AUTHOR });
  return { dir, other, authed, url };
}

/** Holds `file` open in another process, as a git command holds its lock while it works. */
export async function holdLock(file: string): Promise<ChildProcess> {
  const child = spawn('sh', ['-c', 'exec 3>"$0"; exec sleep 30', file], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 20));
  return child;
}

/**
 * Locks held by another process for the calling suite (holdLock), each holder killed after its test: `hold(file)`
 * takes one, `release(file)` ends its holder and removes the file, as a git command finishing would.
 */
export function lockHolders(): { hold(file: string): Promise<ChildProcess>; release(file: string): Promise<void> } {
  const held = new Map<string, ChildProcess>();
  const end = async (child: ChildProcess): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill();
    await exited;
  };
  afterEach(async () => {
    for (const child of held.values()) await end(child);
    held.clear();
  });
  return {
    async hold(file) {
      const child = await holdLock(file);
      held.set(file, child);
      return child;
    },
    async release(file) {
      const child = held.get(file);
      if (child) await end(child);
      held.delete(file);
      fs.rmSync(file, { force: true });
    },
  };
}

/**
 * `git commit -m message` in `copy` by the author and at the dates of HEAD in `dir` (a commit of Hammock's): the same
 * commit id when the message and tree are the same.
 */
export function commitLike(dir: string, copy: string, message: string): void {
  execFileSync('git', ['commit', '-q', '-m', message], {
    cwd: copy,
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: path.dirname(copy),
      GIT_AUTHOR_DATE: gitCli(dir, 'log', '-1', '--format=%ad', '--date=raw'),
      GIT_COMMITTER_DATE: gitCli(dir, 'log', '-1', '--format=%cd', '--date=raw'),
      GIT_AUTHOR_NAME: AUTHOR.name,
      GIT_AUTHOR_EMAIL: AUTHOR.email,
      GIT_COMMITTER_NAME: AUTHOR.name,
      GIT_COMMITTER_EMAIL: AUTHOR.email,
    },
  });
}

export class TempDirs {
  private readonly dirs: string[] = [];

  make(prefix = 'hammock-git-'): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }

  cleanup(): void {
    for (const d of this.dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  }
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
}

export function read(dir: string, rel: string): string {
  return fs.readFileSync(path.join(dir, rel), 'utf8');
}

/** A legacy `.insomnia/Request/<id>.yml` file. */
export function requestYaml(id: string, name: string, url = 'https://example.com/' + id, extra = ''): string {
  return [
    `_id: ${id}`,
    'type: Request',
    'parentId: wrk_1',
    'modified: 1700000000000',
    'created: 1700000000000',
    `url: ${url}`,
    `name: ${name}`,
    'description: ""',
    'method: GET',
    'body: {}',
    'parameters: []',
    'headers: []',
    'authentication: {}',
    'metaSortKey: -1700000000000',
    'isPrivate: false',
    'settingStoreCookies: true',
    'settingSendCookies: true',
    'settingDisableRenderRequestBody: false',
    'settingEncodeUrl: true',
    'settingRebuildPath: true',
    'settingFollowRedirects: global',
    extra,
  ]
    .filter((l) => l !== '')
    .join('\n') + '\n';
}

export const WORKSPACE_YAML = ['_id: wrk_1', 'type: Workspace', 'parentId: null', 'modified: 1700000000000', 'created: 1700000000000', 'name: Demo', 'description: ""', 'scope: collection', ''].join('\n');

/** A work repository with an initial commit of `files` on main. */
export function initRepo(dir: string, files: Record<string, string>): string {
  gitCli(dir, 'init', '-q', '-b', 'main');
  gitCli(dir, 'config', 'user.name', 'CLI User');
  gitCli(dir, 'config', 'user.email', 'cli@hammock.invalid');
  writeFiles(dir, files);
  gitCli(dir, 'add', '-A');
  gitCli(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

/** Commits `files` (written in full) with the CLI. */
export function commitFiles(dir: string, files: Record<string, string>, message = 'change'): string {
  writeFiles(dir, files);
  gitCli(dir, 'add', '-A');
  gitCli(dir, 'commit', '-q', '-m', message);
  return gitCli(dir, 'rev-parse', 'HEAD');
}

/**
 * Leaves `dir` (on main) in a CLI merge with a conflict on `file`: branch `other` and main each commit their own
 * version of the request, then `git merge other` stops on it. Throws if the merge does not conflict.
 */
export function conflictedMerge(dir: string, file: string, id: string): void {
  gitCli(dir, 'checkout', '-q', '-b', 'other');
  commitFiles(dir, { [file]: requestYaml(id, 'Theirs') });
  gitCli(dir, 'checkout', '-q', 'main');
  commitFiles(dir, { [file]: requestYaml(id, 'Ours') });
  let merged = true;
  try {
    gitCli(dir, 'merge', '-q', 'other');
  } catch {
    merged = false;
  }
  if (merged) throw new Error(`merging other into main did not conflict on ${file}`);
}

/** A legacy Insomnia repository seed: a workspace and `n` requests. */
export function legacySeed(n = 3): Record<string, string> {
  const files: Record<string, string> = { '.insomnia/Workspace/wrk_1.yml': WORKSPACE_YAML };
  for (let i = 1; i <= n; i++) files[`.insomnia/Request/req_${i}.yml`] = requestYaml(`req_${i}`, `Request ${i}`);
  return files;
}

/** HEAD, the index as `git ls-files -s`, and the bytes of the given files: to prove nothing changed. */
export function snapshot(dir: string, files: string[]): { head: string; index: string; files: Record<string, string | null>; status: string } {
  const out: Record<string, string | null> = {};
  for (const f of files) {
    try {
      out[f] = fs.readFileSync(path.join(dir, f)).toString('base64');
    } catch {
      out[f] = null;
    }
  }
  return {
    head: gitCli(dir, 'rev-parse', 'HEAD'),
    index: gitCli(dir, 'ls-files', '-s'),
    files: out,
    status: gitCli(dir, 'status', '--porcelain=v1', '-uall'),
  };
}

/** Awaits `p` and asserts it fails with a GitError of `code`; returns that error. */
export async function rejects(p: Promise<unknown>, code: GitErrorCode): Promise<GitError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof GitError, `expected a GitError, got ${String(err)}`);
    assert.strictEqual(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return err;
  }
  assert.fail(`expected ${code}, but it succeeded`);
}

// Hammock's status printed as `git status --porcelain -uall --no-renames` prints it (kept here, not in a test file:
// a test file that imports another one makes mocha skip the imported file's tests when both run in one process).

const CONFLICT_CODES: Record<string, string> = {
  bothModified: 'UU',
  bothAdded: 'AA',
  deletedByUs: 'DU',
  deletedByThem: 'UD',
  addedByUs: 'AU',
  addedByThem: 'UA',
  bothDeleted: 'DD',
};
const STAGED: Record<string, string> = { added: 'A', modified: 'M', deleted: 'D', typeChanged: 'T' };

/** Our status as porcelain v1 lines. */
export function porcelain(st: WorkingTreeStatus): string {
  const rows = new Map<string, [string, string]>();
  const lines: string[] = [];
  for (const c of st.merge) lines.push(`${CONFLICT_CODES[c.kind]} ${c.path}`);
  for (const s of st.staged) rows.set(s.path, [STAGED[s.kind], ' ']);
  for (const c of st.changes) {
    if (c.kind === 'untracked') {
      lines.push(`?? ${c.path}`);
      continue;
    }
    const r = rows.get(c.path) ?? [' ', ' '];
    r[1] = c.kind === 'deleted' ? 'D' : c.kind === 'added' ? 'A' : c.kind === 'typeChanged' ? 'T' : 'M';
    rows.set(c.path, r);
  }
  for (const [p, [x, y]] of rows) lines.push(`${x}${y} ${p}`);
  return sortLines(lines).join('\n');
}

/** Porcelain lines in git's order (by path, then code). */
export function sortLines(lines: string[]): string[] {
  const key = (l: string): string => l.slice(3) + '\0' + l.slice(0, 2);
  return lines.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** A seeded PRNG (mulberry32), so a failing run can be repeated. */
export function prng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The status worker run from its TypeScript source (tsx), as the unit tests use it; dispose it when done. */
export function sourceStatusWorker(): StatusWorkerClient {
  return new StatusWorkerClient(path.resolve(__dirname, '../../../src/git/statusWorker.ts'), { execArgv: ['--require', 'tsx/cjs'] });
}

/** The transfer worker run from its TypeScript source (tsx), as the unit tests use it; dispose it when done. */
export function sourceTransferWorker(): TransferWorkerClient {
  return new TransferWorkerClient(path.resolve(__dirname, '../../../src/git/transferWorker.ts'), { execArgv: ['--require', 'tsx/cjs'] });
}

/** Every entry of a working tree but .git: a file's bytes (base64) and exec bit, a link's target, by path. */
export function workingTreeEntries(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const de of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${de.name}` : de.name;
      const full = path.join(dir, r);
      if (r === '.git') continue;
      if (de.isSymbolicLink()) out[r] = `link:${fs.readlinkSync(full)}`;
      else if (de.isDirectory()) walk(r);
      else out[r] = `${fs.statSync(full).mode & 0o100 ? 'x' : '-'}:${fs.readFileSync(full).toString('base64')}`;
    }
  };
  walk('');
  return out;
}

/** What git says of a working copy, for comparing two: HEAD, the index (`ls-files -s`), the status, the entries. */
export function copyView(dir: string): { head: string; index: string; status: string; files: Record<string, string> } {
  return {
    head: gitCli(dir, 'rev-parse', 'HEAD'),
    index: gitCli(dir, 'ls-files', '-s'),
    status: gitCli(dir, 'status', '--porcelain=v1', '-uall'),
    files: workingTreeEntries(dir),
  };
}

/**
 * For comparing a pull with git's: a bare repository `name` on `server` seeded from `seedDir`, a Hammock clone of it
 * (through `worker`), an identical CLI clone, and a third CLI clone that pushes; each with AUTHOR's identity.
 */
export async function pullCopies(
  server: { createBareRepo(name: string, options: { seedDir: string }): unknown; url(name: string): string },
  tmp: TempDirs,
  name: string,
  seedDir: string,
  token: string,
  worker: TransferWorkerClient,
): Promise<{ hammock: GitClient; cli: string; other: string }> {
  server.createBareRepo(name, { seedDir });
  const url = server.url(name);
  const cliUrl = url.replace('http://', `http://user:${token}@`);
  const auth = { getCredentials: () => ({ token }), requestCredentials: async () => undefined };
  const hammock = await GitClient.clone({ url, dir: path.join(tmp.make(`hammock-${name}-`), 'h'), auth, author: AUTHOR, transferWorker: worker });
  const cli = path.join(tmp.make(`hammock-${name}-cli-`), 'c');
  await gitCliAsync(path.dirname(cli), 'clone', '-q', cliUrl, cli);
  const other = path.join(tmp.make(`hammock-${name}-other-`), 'o');
  await gitCliAsync(path.dirname(other), 'clone', '-q', cliUrl, other);
  for (const d of [hammock.dir, cli, other]) {
    gitCli(d, 'config', 'user.name', AUTHOR.name);
    gitCli(d, 'config', 'user.email', AUTHOR.email);
  }
  return { hammock, cli, other };
}
