// The user's own git for the network: isomorphic-git has no SSH transport and knows nothing of the user's
// credential helpers, ssh-agent, ~/.ssh/config, proxies or corporate CAs. When a remote is SSH (or the user
// chooses it for every remote), fetch, pull's fetch, push and clone run through an ExternalGit: VS Code's
// built-in Git extension where it is active (the VS Code side adapts its API), else the `git` CLI here. Local
// operations (status, commit, merge, checkout) stay in isomorphic-git and Hammock's plumbing.
//
// The CLI is spawned asynchronously (never blocking the event loop), cancellable through the AbortSignal (the
// child is killed; git leaves no half-written ref behind: it writes refs only after the objects are in), with
// prompts off (GIT_TERMINAL_PROMPT=0, ssh BatchMode through GIT_SSH_COMMAND only when the caller sets it) so
// that nothing waits on a terminal no one sees. A failure keeps the remote's own words (stderr) in the error.
// Pure: no 'vscode'.

import { spawn } from 'child_process';
import * as fsp from 'fs/promises';
import * as path from 'path';
import type { GitAuthProvider, GitCredentials } from './auth';
import { GitError, GitErrorCode, redact, staleLeaseError } from './gitError';
import { cleartextWarning, transportVerdict } from './remotePolicy';
import { fetchUrlFor, httpsGuess, localRemotePath, parseRemoteUrl, remoteTransport, userGitRefusal } from './remoteUrl';
import type { ProgressEvent } from './worktree';

export interface ExternalOperationOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ProgressEvent) => void;
  /** each line the remote (or ssh) says, `remote:` prefix removed. */
  onMessage?: (line: string) => void;
}

export interface ExternalFetchOptions extends ExternalOperationOptions {
  dir: string;
  remote: string;
  /** only this branch (its remote-tracking ref is updated as `git fetch <remote> <branch>` does). */
  branch?: string;
  /** instead of `branch`: `git fetch <remote> +<src>:<dst>` (full ref names). */
  refspec?: { readonly src: string; readonly dst: string };
  prune?: boolean;
  /** what the reflog entries of the moved remote-tracking refs say (`fetch`, or `pull` within a pull), as git's own commands. */
  reflogAction?: string;
}

export interface ExternalPushOptions extends ExternalOperationOptions {
  dir: string;
  remote: string;
  /** the local branch (`main`). */
  branch: string;
  /** the full remote ref (`refs/heads/main`). */
  remoteRef: string;
  force?: boolean;
  /**
   * with `force`: the lease, what the remote branch must be for the push to replace it (what was last fetched; null:
   * it must not exist), as `git push --force-with-lease=<ref>:<expect>`; undefined: a plain --force.
   */
  expect?: string | null;
}

export interface ExternalCloneOptions extends ExternalOperationOptions {
  url: string;
  /** the folder to create (git refuses a non-empty one). */
  dir: string;
  ref?: string;
  depth?: number;
  /** leave the working tree empty (Hammock checks out itself, in slices). */
  noCheckout?: boolean;
  /** the folder git runs in: a relative local `url` is resolved against it, as `git clone` does. */
  cwd?: string;
}

/** What a push did, as `git push --porcelain` says. */
export type ExternalPushOutcome = 'pushed' | 'upToDate';

/** The network half of git, done by the user's git. */
export interface ExternalGit {
  /** for messages and the log: "git 2.39.5", "VS Code's Git". */
  readonly description: string;
  fetch(options: ExternalFetchOptions): Promise<void>;
  /** Throws NothingToPush, PushRejectedNonFastForward or PushRejectedByRemote (with the remote's lines) as Hammock does. */
  push(options: ExternalPushOptions): Promise<ExternalPushOutcome>;
  clone(options: ExternalCloneOptions): Promise<void>;
  /** The remote's refs now (`git ls-remote --symref`): no objects fetched, nothing written. */
  listRemote(options: ExternalOperationOptions & { dir: string; remote: string }): Promise<ExternalRemoteRefs>;
}

export interface ExternalRemoteRefs {
  /** full ref names (`refs/heads/main`) and their objects. */
  refs: { ref: string; oid: string }[];
  /** what the remote's HEAD points at (`refs/heads/main`), when it says. */
  head?: string;
}

/**
 * `auto`: the user's git for the remotes isomorphic-git cannot reach (SSH, repositories on this machine: a path or
 * file:// URL, git:// and remote helpers' `<helper>::<address>`); `always`: for every remote (credential helper, proxy, CA); `never`: none.
 */
export type ExternalGitMode = 'auto' | 'always' | 'never';

/** Whether `url` goes through the user's git under `mode`. */
export function usesExternalGit(url: string, mode: ExternalGitMode = 'auto'): boolean {
  if (mode === 'never') return false;
  if (mode === 'always') return true;
  // everything isomorphic-git cannot carry: SSH, a repository on this machine, git:// and remote helpers
  return remoteTransport(url) !== 'http' && url.trim() !== '';
}

// ------------------------------------------------------------------------------------- the git CLI

export interface GitCliOptions {
  /** the git executable (default `git` on PATH). */
  gitPath?: string;
  /** variables added to the environment (GIT_SSH_COMMAND in tests; the user's own are inherited). */
  env?: NodeJS.ProcessEnv;
  /** the whole environment to start from (default process.env). */
  baseEnv?: NodeJS.ProcessEnv;
  /** informational lines for the log (the command run, already free of credentials). */
  log?: (line: string) => void;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stderr's lines that are not progress counters, `remote:` removed. */
  lines: string[];
}

const PROGRESS = /^(?:remote:\s*)?([A-Za-z][A-Za-z ]+):\s+(\d+)%\s+\((\d+)\/(\d+)\)/;

/** Runs `git` asynchronously; resolves with its exit code and output (never rejects on a non-zero exit). */
export function runGit(args: string[], options: GitCliOptions & ExternalOperationOptions & { cwd?: string; operation: string; input?: string }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(cancelled(options.operation));
      return;
    }
    const env: NodeJS.ProcessEnv = {
      ...(options.baseEnv ?? process.env),
      ...options.env,
      // nothing may wait on a terminal no one sees; VS Code's git brings its own askpass instead
      GIT_TERMINAL_PROMPT: '0',
    };
    options.log?.(redact(`git ${args.join(' ')}`));
    // its own process group on POSIX, so that a cancel also ends ssh and whatever git started
    const group = process.platform !== 'win32';
    const child = spawn(options.gitPath ?? 'git', args, { cwd: options.cwd, env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], windowsHide: true, detached: group });
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
    let stdout = '';
    let stderr = '';
    let partial = '';
    const lines: string[] = [];
    const onLine = (raw: string): void => {
      const line = redact(raw.trimEnd());
      if (!line) return;
      const m = PROGRESS.exec(line);
      if (m) {
        options.onProgress?.({ phase: m[1], loaded: Number(m[3]), total: Number(m[4]) });
        return;
      }
      const text = line.replace(/^remote:\s?/, '');
      if (!text.trim()) return;
      lines.push(text);
      options.onMessage?.(text);
    };
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => (stdout += d));
    child.stderr!.on('data', (d: string) => {
      stderr += d;
      const parts = (partial + d).split(/\r\n|\r|\n/);
      partial = parts.pop() ?? '';
      for (const p of parts) onLine(p);
    });
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      try {
        if (group && child.pid) process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (err: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (err.code === 'ENOENT') reject(new GitError(GitErrorCode.GitNotFound, `Cannot ${options.operation}: no git executable was found (${options.gitPath ?? 'git'}). Install git, or set git.path.`));
      else reject(err);
    });
    child.once('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (partial) onLine(partial);
      if (aborted) reject(cancelled(options.operation));
      else resolve({ code, stdout, stderr, lines });
    });
  });
}

function cancelled(operation: string): GitError {
  return new GitError(GitErrorCode.Cancelled, `The ${operation} was cancelled.`);
}

/** The version of the git at `gitPath`, or undefined when there is none. */
export async function gitVersion(options: GitCliOptions = {}): Promise<string | undefined> {
  try {
    const r = await runGit(['--version'], { ...options, operation: 'find git' });
    const m = /git version (\S+)/.exec(r.stdout);
    return r.code === 0 && m ? m[1] : undefined;
  } catch {
    return undefined;
  }
}

/** A failed network command as a GitError with a stable code, the remote's (or ssh's) own words kept. */
export function externalFailure(operation: string, target: string, result: { code: number | null; lines: string[] }): GitError {
  const lines = result.lines.filter((l) => !/^(?:warning: )?Permanently added/.test(l));
  const text = lines.join('\n');
  const said = lines.length ? `: ${lines.join(' · ')}` : ` (git exited with ${result.code})`;
  const details = { remoteLines: lines, userGit: true, cause: { code: `exit ${result.code}`, message: redact(text) } };
  const where = redact(target);
  if (/Permission denied \((?:publickey|password|keyboard-interactive)|Authentication failed|could not read Username|Invalid username or password|HTTP Basic: Access denied|terminal prompts disabled/i.test(text)) {
    return new GitError(GitErrorCode.AuthFailed, `${where} refused the credentials of your git (ssh key, agent or credential helper)${said}`, details);
  }
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(text)) {
    return new GitError(GitErrorCode.AuthFailed, `Cannot ${operation}: ssh does not trust the host key of ${where}. Connect once with ssh or git in a terminal to check and accept it${said}`, details);
  }
  if (/Could not resolve hostname|Connection refused|Connection timed out|Network is unreachable|No route to host|Could not resolve host|Failed to connect/i.test(text)) {
    return new GitError(GitErrorCode.NetworkUnreachable, `Cannot ${operation}: ${where} cannot be reached${said}`, details);
  }
  if (/does not appear to be a git repository|Repository not found|not found|No such file or directory|repository '.*' does not exist/i.test(text)) {
    return new GitError(GitErrorCode.RepositoryNotFound, `Cannot ${operation}: ${where} has no such repository, or you have no access to it${said}`, details);
  }
  if (/Could not read from remote repository|Connection closed|early EOF|the remote end hung up/i.test(text)) {
    return new GitError(GitErrorCode.NetworkUnreachable, `Cannot ${operation}: the connection to ${where} failed${said}`, details);
  }
  return new GitError(GitErrorCode.Unknown, `Cannot ${operation} with ${where}${said}`, details);
}

/** The ExternalGit of the `git` CLI. */
export class GitCli implements ExternalGit {
  constructor(
    private readonly options: GitCliOptions = {},
    readonly description = 'the git command line',
  ) {}

  run(args: string[], cwd: string | undefined, operation: string, o: ExternalOperationOptions = {}, input?: string): Promise<RunResult> {
    return runGit(args, { ...this.options, ...o, cwd, operation, input });
  }

  private async remoteUrl(dir: string, remote: string): Promise<string> {
    const r = await this.run(['config', '--get', `remote.${remote}.url`], dir, 'read the remote', {});
    return r.stdout.trim() || remote;
  }

  async fetch(o: ExternalFetchOptions): Promise<void> {
    const args = ['fetch', '--progress'];
    if (o.prune) args.push('--prune');
    args.push('--', o.remote);
    if (o.refspec) args.push(`+${o.refspec.src}:${o.refspec.dst}`);
    else if (o.branch) args.push(`+refs/heads/${o.branch}:refs/remotes/${o.remote}/${o.branch}`);
    // git names the command's own arguments in the reflog (`fetch --progress -- origin: fast-forward`) unless told
    const r = await runGit(args, { ...this.options, ...o, env: { ...this.options.env, GIT_REFLOG_ACTION: o.reflogAction ?? 'fetch' }, cwd: o.dir, operation: 'fetch' });
    if (r.code !== 0) {
      if (o.refspec && /couldn't find remote ref/i.test(r.stderr)) {
        throw new GitError(GitErrorCode.NoRemoteBranch, `The remote has no ${o.refspec.src}.`, { ref: o.refspec.src, remoteLines: r.lines });
      }
      if (o.branch && /couldn't find remote ref/i.test(r.stderr)) {
        throw new GitError(GitErrorCode.NoRemoteBranch, `The remote has no branch ${o.branch}.`, { ref: `${o.remote}/${o.branch}`, remoteLines: r.lines });
      }
      throw externalFailure('fetch', await this.remoteUrl(o.dir, o.remote), r);
    }
  }

  async push(o: ExternalPushOptions): Promise<ExternalPushOutcome> {
    const args = ['push', '--progress', '--porcelain'];
    // a force push with git's lease: refused when the remote branch is not `expect` (what was last fetched)
    if (o.force) args.push(o.expect === undefined ? '--force' : `--force-with-lease=${o.remoteRef}:${o.expect ?? ''}`);
    args.push('--', o.remote, `refs/heads/${o.branch}:${o.remoteRef}`);
    const r = await this.run(args, o.dir, 'push', o);
    // --porcelain: one line per ref, `<flag>\t<from>:<to>\t<summary> (<reason>)`, on stdout
    const refLine = r.stdout.split('\n').find((l) => l.includes(`:${o.remoteRef}\t`));
    const ref = `${o.remote}/${o.remoteRef.replace(/^refs\/heads\//, '')}`;
    if (refLine) {
      const [flag, , summary = ''] = refLine.split('\t');
      if (flag === '=') return 'upToDate';
      if (flag === '!') {
        const remoteLines = r.lines.filter((l) => !/^(To |error: failed to push|hint:)/.test(l));
        if (/stale info/.test(summary)) throw staleLeaseError(ref);
        if (/non-fast-forward|fetch first/.test(summary)) {
          throw new GitError(
            GitErrorCode.PushRejectedNonFastForward,
            `The push was rejected because ${ref} has commits you do not have. Pull first, or force push to overwrite them.`,
            { ref, remoteLines },
          );
        }
        throw new GitError(GitErrorCode.PushRejectedByRemote, `The remote rejected the push of ${o.branch}: ${summary.replace(/^\[remote rejected\]\s*/, '')}`, { ref, remoteLines });
      }
      if (r.code === 0) return 'pushed';
    }
    if (r.code === 0) return 'pushed';
    throw externalFailure('push', await this.remoteUrl(o.dir, o.remote), r);
  }

  async listRemote(o: ExternalOperationOptions & { dir: string; remote: string }): Promise<ExternalRemoteRefs> {
    const r = await this.run(['ls-remote', '--symref', '--', o.remote, 'HEAD', 'refs/heads/*', 'refs/pull/*/head', 'refs/merge-requests/*/head'], o.dir, 'list remote branches', o);
    if (r.code !== 0) throw externalFailure('list remote branches', await this.remoteUrl(o.dir, o.remote), r);
    return parseLsRemote(r.stdout);
  }

  async clone(o: ExternalCloneOptions): Promise<void> {
    const args = ['clone', '--progress'];
    if (o.noCheckout) args.push('--no-checkout');
    if (o.ref) args.push('--branch', o.ref);
    if (o.depth) args.push('--depth', String(o.depth));
    args.push('--', o.url, o.dir);
    const r = await this.run(args, o.cwd, 'clone', o);
    if (r.code !== 0) throw externalFailure('clone', o.url, r);
  }
}

// ------------------------------------------------------------------------ VS Code's built-in Git extension

/**
 * The part of a `vscode.git` API Repository (getAPI(1)) used here, structurally (no 'vscode' import): its fetch
 * and push run the user's git with VS Code's own askpass (passphrase and credential prompts in the editor).
 */
export interface VsCodeGitRepositoryLike {
  fetch(options?: { remote?: string; ref?: string; prune?: boolean }): Promise<void>;
  /** `force`: the API's ForcePushMode (0 = --force, 1 = --force-with-lease). */
  push(remoteName?: string, branchName?: string, setUpstream?: boolean, force?: number): Promise<void>;
}

/** An error of the git extension: `stderr` holds git's (and the remote's) words. */
interface VsCodeGitErrorLike {
  message?: string;
  stderr?: string;
  exitCode?: number;
  gitErrorCode?: string;
}

/**
 * fetch and push through VS Code's Git where it has the repository open, else through the CLI (the same git VS
 * Code uses when `cli` is made with its `git.path`); clone always through the CLI (the API clones with a UI of its
 * own). The API's calls cannot be cancelled: a cancel is honoured before they start, and they run to their end.
 */
export class UserGit implements ExternalGit {
  constructor(
    private readonly cli: GitCli,
    private readonly vscodeRepository?: (dir: string) => VsCodeGitRepositoryLike | undefined,
  ) {}

  get description(): string {
    return this.vscodeRepository ? "VS Code's Git" : this.cli.description;
  }

  async fetch(o: ExternalFetchOptions): Promise<void> {
    const repo = this.vscodeRepository?.(o.dir);
    // VS Code's Git API fetches a remote or one of its branches, not a refspec: the command line does that
    if (!repo || o.refspec) return this.cli.fetch(o);
    if (o.signal?.aborted) throw cancelled('fetch');
    try {
      await repo.fetch({ remote: o.remote, ref: o.branch, prune: o.prune });
    } catch (err) {
      throw fromVsCodeGit('fetch', o.remote, err, o);
    }
  }

  async push(o: ExternalPushOptions): Promise<ExternalPushOutcome> {
    const repo = this.vscodeRepository?.(o.dir);
    if (!repo) return this.cli.push(o);
    if (o.signal?.aborted) throw cancelled('push');
    // the API says nothing of "up to date": compare with what the remote had when last heard from, as git does
    const local = await this.cli.run(['rev-parse', '--verify', '-q', `refs/heads/${o.branch}`], o.dir, 'push');
    const tracked = await this.cli.run(['rev-parse', '--verify', '-q', `refs/remotes/${o.remote}/${o.remoteRef.replace(/^refs\/heads\//, '')}`], o.dir, 'push');
    if (!o.force && local.code === 0 && tracked.code === 0 && local.stdout.trim() === tracked.stdout.trim()) return 'upToDate';
    try {
      // (ForcePushMode 1: --force-with-lease, the lease git takes by default: the remote-tracking ref)
      await repo.push(o.remote, `refs/heads/${o.branch}:${o.remoteRef}`, false, o.force ? (o.expect === undefined ? 0 : 1) : undefined);
      return 'pushed';
    } catch (err) {
      const e = err as VsCodeGitErrorLike;
      const lines = stderrLines(e.stderr);
      const ref = `${o.remote}/${o.remoteRef.replace(/^refs\/heads\//, '')}`;
      const remoteLines = lines.filter((l) => !/^(To |error: failed to push|hint:)/.test(l));
      if (lines.some((l) => /\[rejected\].*\(stale info\)/.test(l))) throw staleLeaseError(ref);
      if (lines.some((l) => /\[rejected\].*\((non-fast-forward|fetch first)\)/.test(l))) {
        throw new GitError(GitErrorCode.PushRejectedNonFastForward, `The push was rejected because ${ref} has commits you do not have. Pull first, or force push to overwrite them.`, { ref, remoteLines });
      }
      const rejected = lines.find((l) => /\[remote rejected\]/.test(l));
      if (rejected) throw new GitError(GitErrorCode.PushRejectedByRemote, `The remote rejected the push of ${o.branch}: ${rejected.replace(/^.*\[remote rejected\]\s*/, '')}`, { ref, remoteLines });
      throw fromVsCodeGit('push', o.remote, err, o);
    }
  }

  clone(o: ExternalCloneOptions): Promise<void> {
    return this.cli.clone(o);
  }

  listRemote(o: ExternalOperationOptions & { dir: string; remote: string }): Promise<ExternalRemoteRefs> {
    return this.cli.listRemote(o);
  }
}

/** `git ls-remote --symref` output: `ref: refs/heads/main\tHEAD` and `<oid>\t<ref>` lines. */
export function parseLsRemote(stdout: string): ExternalRemoteRefs {
  const out: ExternalRemoteRefs = { refs: [] };
  for (const line of stdout.split('\n')) {
    const sym = /^ref: (\S+)\tHEAD$/.exec(line);
    if (sym) {
      out.head = sym[1];
      continue;
    }
    const m = /^([0-9a-f]{40,64})\t(\S+)$/.exec(line);
    if (m) out.refs.push({ ref: m[2], oid: m[1] });
  }
  return out;
}

function stderrLines(stderr: string | undefined): string[] {
  return (stderr ?? '')
    .split(/\r\n|\r|\n/)
    .map((l) => redact(l.trimEnd()).replace(/^remote:\s?/, ''))
    .filter((l) => l.trim() && !PROGRESS.test(l));
}

function fromVsCodeGit(operation: string, remote: string, err: unknown, o: ExternalOperationOptions): GitError {
  if (err instanceof GitError) return err;
  const e = (err ?? {}) as VsCodeGitErrorLike;
  const lines = stderrLines(e.stderr);
  for (const l of lines) o.onMessage?.(l);
  if (!lines.length && e.message) lines.push(redact(e.message));
  return externalFailure(operation, remote, { code: e.exitCode ?? null, lines });
}

/**
 * A remote URL as Hammock may store and show it. An SSH one, or a repository on this machine (a path or a file://
 * URL: `local`), as written: the user's git carries it (git resolves a relative path itself, against the working
 * tree, as it does for every remote it reads from `.git/config`). Unless the user's git is off (`never`) or there
 * is none (`userGit` false): SshNotSupported as before, and for a local one InvalidRemoteUrl saying what to do.
 * http(s) without its credentials (parseRemoteUrl).
 */
export function acceptRemoteUrl(raw: string, mode: ExternalGitMode, userGit = true): { url: string; ssh: boolean; local?: true; other?: true; username?: string; password?: string } {
  const url = raw.trim();
  if (userGit && mode !== 'never') {
    const transport = remoteTransport(url);
    if (transport === 'ssh') return { url, ssh: true };
    if (transport === 'local') return { url, ssh: false, local: true };
    // git:// and remote helpers (`codecommit::...`): the user's git knows them; no token of Hammock's goes to them
    if (transport === 'other' && url) return { url, ssh: false, other: true };
  }
  return { ...parseRemoteUrl(url, userGit ? 'never' : 'absent'), ssh: false };
}

/** What the URL box says of a remote URL: nothing when all is well, else a message and how grave it is. */
export interface RemoteUrlVerdict {
  severity: 'error' | 'warning' | 'info';
  message: string;
}

/** Where git's configuration is read from for url.<base>.insteadOf (fetchUrlFor): its environment, a repository. */
export interface ConfigSourcesForUrl {
  env?: NodeJS.ProcessEnv;
  gitdir?: string;
}

/**
 * What the URL box says of `value`; with `sources`, checked as the URL git connects to (url.<base>.insteadOf of the
 * configuration read there applied, as `git clone` does: `gh:owner/repo` may be an alias of an https URL, not SSH
 * to a host `gh`), else as written. A repository on this machine (a path or file://) must exist: a relative path is looked for in `base` (the
 * folder git resolves it against: the repository's for a remote, the destination's parent for a clone), and not
 * checked when there is none yet.
 */
export async function checkRemoteUrl(value: string, mode: ExternalGitMode, base?: string, sources?: ConfigSourcesForUrl): Promise<RemoteUrlVerdict | undefined> {
  if (!value.trim()) return { severity: 'error', message: 'A remote URL is required' };
  try {
    const connect = sources ? await fetchUrlFor(value.trim(), sources) : value.trim();
    const verdict = await checkConnectUrl(connect, mode, base);
    // (an alias: the message says what git read it as)
    return verdict && connect !== value.trim() ? { ...verdict, message: `${verdict.message} (git reads ${redact(value.trim())} as ${redact(connect)}: url.<base>.insteadOf)` } : verdict;
  } catch (err) {
    return { severity: 'error', message: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The URL a clone of `given` connects to (url.<base>.insteadOf of the global and system configuration applied,
 * then accepted: acceptRemoteUrl), and the folder `git clone` names after the URL as given.
 */
export async function cloneSource(given: string, mode: ExternalGitMode, userGit = true, sources: ConfigSourcesForUrl = {}): Promise<{ connect: ReturnType<typeof acceptRemoteUrl>; folder: string }> {
  const typed = given.trim();
  const connect = acceptRemoteUrl(await fetchUrlFor(typed, sources), mode, userGit);
  // git_url_basename of the URL as given (credentials of an http one dropped first: they are no part of the name)
  const named = remoteTransport(typed) === 'http' ? redact(typed) : typed;
  return { connect, folder: cloneFolderName(named) };
}

async function checkConnectUrl(value: string, mode: ExternalGitMode, base?: string): Promise<RemoteUrlVerdict | undefined> {
  const accepted = acceptRemoteUrl(value, mode);
  if (accepted.ssh) return { severity: 'info', message: 'An SSH remote: fetch, pull and push go through your git and its ssh keys.' };
  if (accepted.other) return { severity: 'info', message: 'Reached through your git (git:// or a remote helper): clone, fetch, pull and push go through it.' };
  if (accepted.local) {
    const missing = await missingLocalRemote(accepted.url, base);
    if (missing) return { severity: 'error', message: missing };
    return { severity: 'info', message: 'A repository on this machine: clone, fetch, pull and push go through your git.' };
  }
  const verdict = transportVerdict(accepted.url);
  if (verdict.kind === 'cleartext') return { severity: 'warning', message: `${cleartextWarning(verdict.host)} You will be asked to confirm.` };
  return undefined;
}

/**
 * Why the local remote `url` (a path or file://) cannot be used, or undefined: no folder there (with the https://
 * URL a host-looking path most likely meant). A relative path is looked for in `base` (the folder git resolves it
 * against: the working tree for a remote, the destination's parent for a clone) and not checked without one; a
 * `~` path neither (git expands it).
 */
export async function missingLocalRemote(url: string, base?: string): Promise<string | undefined> {
  const u = url.trim();
  if (u.startsWith('~')) return undefined;
  if (!u.startsWith('file://') && !path.isAbsolute(u) && !/^[A-Za-z]:[\\/]/.test(u) && !base) return undefined;
  const where = localRemotePath(u, base ?? path.parse(process.cwd()).root);
  if (await fsp.stat(where).then((st) => st.isDirectory(), () => false)) return undefined;
  const guess = httpsGuess(u);
  return `No repository at ${where}.${guess ? ` Did you mean ${guess}?` : ' Give the folder of a git repository, or an https:// or SSH URL.'}`;
}

/** GitNotFound for an operation on `url` that needed the user's git, with what to do for an SSH or local remote. */
export function noGitFor(url: string, err: GitError): GitError {
  const transport = remoteTransport(url);
  if (transport === 'local' || transport === 'other') return new GitError(GitErrorCode.GitNotFound, userGitRefusal(url, 'noGit'), err.details);
  if (transport === 'ssh') {
    try {
      parseRemoteUrl(url);
    } catch (ssh) {
      if (ssh instanceof GitError) return new GitError(ssh.code, `${ssh.message} (SSH remotes need git installed: none was found.)`, ssh.details);
    }
  }
  return err;
}

/**
 * The folder name git clone would pick for `url` (git_url_basename: `git@h:o/api.git` -> `api`, `/srv/api/.git`
 * -> `api`, `C:\\repos\\api.git` -> `api`).
 */
export function cloneFolderName(url: string): string {
  const trimmed = url
    .trim()
    .replace(/[?#].*$/, '')
    .replace(/[\\/]+$/, '')
    .replace(/[\\/]\.git$/, '')
    .replace(/[\\/]+$/, '');
  const last = trimmed.split(/[/\\:]/).filter(Boolean).pop() ?? '';
  let name = last.replace(/\.git$/, '');
  try {
    name = decodeURIComponent(name);
  } catch {
    /* as written */
  }
  return name || 'repository';
}

// ------------------------------------------------------------------ git's credential helpers, for HTTPS

/** `git credential <fill|approve|reject>` for `url`, as Insomnia 13.1 asks git for HTTPS credentials. */
async function credentialCommand(cli: GitCli, action: 'fill' | 'approve' | 'reject', url: string, extra: Record<string, string> = {}): Promise<Record<string, string> | undefined> {
  const u = new URL(url);
  const fields: Record<string, string> = { protocol: u.protocol.replace(/:$/, ''), host: u.host, path: u.pathname.replace(/^\//, ''), ...extra };
  const input = Object.entries(fields)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n') + '\n\n';
  const r = await cli.run(['-c', 'credential.interactive=false', 'credential', action], undefined, 'ask git for credentials', {}, input);
  if (r.code !== 0 || action !== 'fill') return undefined;
  const out: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/**
 * A GitAuthProvider that asks the user's git credential helpers (`git credential fill`) when `base` knows no
 * token for the host, tells them when the server accepted (`approve`) or refused (`reject`) what they gave, and
 * leaves everything else (prompts, SecretStorage) to `base`. Never prompts in a terminal (GIT_TERMINAL_PROMPT=0,
 * credential.interactive=false).
 */
export function withCredentialHelper(base: GitAuthProvider, cli: GitCli, enabled: () => boolean = () => true): GitAuthProvider {
  const fromHelper = new WeakSet<GitCredentials>();
  const helper = async (url: string): Promise<GitCredentials | undefined> => {
    if (!enabled() || !/^https?:/i.test(url)) return undefined;
    try {
      const got = await credentialCommand(cli, 'fill', url);
      if (!got?.password) return undefined;
      const creds: GitCredentials = { username: got.username, token: got.password };
      fromHelper.add(creds);
      return creds;
    } catch {
      return undefined;
    }
  };
  const tell = async (action: 'approve' | 'reject', url: string, c: GitCredentials): Promise<void> => {
    await credentialCommand(cli, action, url, { username: c.username ?? '', password: c.token }).catch(() => undefined);
  };
  return {
    getCredentials: async (url) => (await base.getCredentials(url)) ?? (await helper(url)),
    requestCredentials: async (url, rejected) => {
      if (rejected && fromHelper.has(rejected)) await tell('reject', url, rejected);
      return base.requestCredentials(url, rejected);
    },
    confirmCleartext: base.confirmCleartext ? (url, host) => base.confirmCleartext!(url, host) : undefined,
    credentialsAccepted: async (url, c) => {
      if (fromHelper.has(c)) await tell('approve', url, c);
      else await base.credentialsAccepted?.(url, c);
    },
  };
}
