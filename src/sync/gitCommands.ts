// The git commands: Source Control view (stage, unstage, discard, open changes, commit from the input box),
// status bar (checkout, sync) and palette (category "Hammock"). One registration wrapper resolves the
// repository (an SCM resource, group or SourceControl, a path, or a picker) and maps every GitError to one
// notification through presentGitError. Commands that prompt take optional arguments instead, so that tests
// and scripts can run them without UI. Local work shows progress in the Source Control view; clone, fetch,
// pull, push and sync in a cancellable notification.

import { promises as fsp } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { isInside } from '../webviews/pendingEdits';
import { GitCommands, type GitCommandId } from '../commandIds';
import type { BranchInfo, CommitInfo, OperationOptions } from '../git/gitClient';
import { GitClient } from '../git/gitClient';
import { Repository } from '../git/repository';
import { GitError, GitErrorCode, redact } from '../git/gitError';
import { isCredentialError, retryWithCredentials } from '../git/authRetry';
import { acceptRemoteUrl, checkRemoteUrl, cloneSource, type ConfigSourcesForUrl, type ExternalGitMode } from '../git/systemGit';
import { fetchUrlFor, parseRemoteUrl } from '../git/remoteUrl';
import { isHammockResource, type HammockResource } from '../views/scm/sourceControl';
import { Cancelled, commandCenter, type ActionRunner } from '../commands/commandCenter';
import { mergeInEditorMessage, unmergedDetail, type GitAction } from './errorPresentation';
import { INDEX_REF } from '../git/gitObjects';
import { diffFits } from '../review/largeDiff';
import type { DiffSideSize } from '../util/diffSize';
import { originalUri, parseOriginalUri } from './originalContent';
import { pickRepository as pickRepositoryOf } from './pickRepository';
import type { SyncRepository } from './syncRepository';
import type { SyncService } from './syncService';
import { relativeDate } from '../util/relativeDate';
import { runCommitChecks } from './commitChecks';
import { syncWords } from './statusBar';
import { writers } from '../collections/lazyWriters';
import { SYNC_SET_UP_CONTEXT } from '../walkthroughContext';


/** What a command may be given to find its repository. */
type RepoTarget = SyncRepository | HammockResource | vscode.SourceControl | vscode.SourceControlResourceGroup | vscode.Uri | string | { root?: string } | undefined;

/** The GitHub Pull Requests extension: its `pr.create` opens the Create Pull Request view for the current branch. */
export const GITHUB_PR_EXTENSION = 'GitHub.vscode-pull-request-github';

/** The page that opens a pull request of `branch` into `base` on GitHub (undefined for other hosts). */
export function compareUrl(remoteUrl: string, base: string | undefined, branch: string): string | undefined {
  let u: URL;
  try {
    u = new URL(remoteUrl);
  } catch {
    return undefined;
  }
  if (u.hostname !== 'github.com') return undefined;
  const repoPath = u.pathname.replace(/\.git$/, '').replace(/\/+$/, '');
  const enc = (b: string): string => b.split('/').map(encodeURIComponent).join('/');
  return `https://github.com${repoPath}/compare/${base ? `${enc(base)}...` : ''}${enc(branch)}?expand=1`;
}

const BRANCH_NAME = /^(?!\/|.*(?:[/.]\.|\/\/|@\{|\\))[^\x00-\x20~^:?*[\x7f]+(?<![/.]|\.lock)$/;

export function validateBranchName(name: string): string | undefined {
  const n = name.trim();
  if (!n) return 'A branch name is required';
  if (n.startsWith('-') || !BRANCH_NAME.test(n) || n === '@') return `"${n}" is not a valid branch name`;
  return undefined;
}

/** What the URL box says of `value` (checkRemoteUrl), as the input box shows it. */
async function validateRemoteUrl(value: string, mode: ExternalGitMode, base?: string, sources?: ConfigSourcesForUrl): Promise<string | vscode.InputBoxValidationMessage | undefined> {
  const verdict = await checkRemoteUrl(value, mode, base, sources);
  if (!verdict || verdict.severity === 'error') return verdict?.message;
  return { message: verdict.message, severity: verdict.severity === 'info' ? vscode.InputBoxValidationSeverity.Info : vscode.InputBoxValidationSeverity.Warning };
}

export function registerGitCommands(service: SyncService): vscode.Disposable[] {
  const { log, credentials } = service;
  /**
   * A remote operation that failed for credentials, to run again once the user gives a token (authRetry.ts): the URL
   * it connects to (whose host the token is for), and the operation run again with these credentials (a repository's
   * fetch, push...; or a clone, which has no repository yet).
   */
  interface TokenRetry {
    connectUrl(): Promise<string | undefined>;
    retry(url: string, token: string): Promise<unknown>;
  }
  const errorRetries = new WeakMap<object, TokenRetry>();

  // ---------------------------------------------------------------- errors

  /** The actions the command center's notifications offer for a GitError (its repository, when known, is `root`). */
  const runAction: ActionRunner = async (action, root, err) => {
    switch (action) {
      case 'openLog':
        log.show();
        return;
      case 'showChanges':
        await vscode.commands.executeCommand('workbench.view.scm');
        return;
      case 'enterToken': {
        const retry = err ? errorRetries.get(err) : undefined;
        if (retry) {
          await enterTokenAndRetry(retry);
          return;
        }
        await vscode.commands.executeCommand(GitCommands.enterToken, root);
        return;
      }
      case 'useHttpsUrl': {
        const repo = root ? service.getRepository(root) : undefined;
        const httpsUrl = err instanceof GitError ? err.details.httpsUrl : undefined;
        if (repo && httpsUrl) {
          await repo.repository.setUpSync({ remoteUrl: httpsUrl });
          void vscode.window.showInformationMessage(`Hammock: the remote "origin" is now ${httpsUrl}.`);
        } else {
          await vscode.commands.executeCommand(GitCommands.setUpSync, root, httpsUrl ? { remoteUrl: httpsUrl } : undefined);
        }
        return;
      }
      default: {
        const command: Record<Exclude<GitAction, 'openLog' | 'showChanges' | 'useHttpsUrl'>, GitCommandId> = {
          pull: GitCommands.pull,
          forcePush: GitCommands.forcePush,
          pushToNewBranch: GitCommands.pushToNewBranch,
          mergeInEditor: GitCommands.mergeInEditor,
          showConflicts: GitCommands.showConflicts,
          setUpSync: GitCommands.setUpSync,
          enterToken: GitCommands.enterToken,
        };
        await vscode.commands.executeCommand(command[action], root);
      }
    }
  };
  commandCenter.setActionRunner(runAction);

  // every git command first writes what the editors hold in their debounce, and reads again the status of the
  // repositories it went into: the command reads the state with the typed edit in it (flushBeforeGit.ts); the
  // operations themselves flush again inside the repository's funnel, for what was typed while a prompt was open
  const register = (id: GitCommandId, handler: (...args: any[]) => unknown): vscode.Disposable =>
    commandCenter.register(
      id,
      async (...args: unknown[]) => {
        await service.flushHook.beforeCommand((p) => service.getRepository(p), (repo) => repo.repository.refresh());
        return handler(...args);
      },
      log,
    );

  /**
   * Runs `fn`; an error it throws remembers the repository, for the actions of its notification. A refusal for
   * uncommitted work (checkout, pull, merge) gets what its files hold, so that its message names the requests.
   */
  const on = <T>(repo: SyncRepository, fn: () => Promise<T>): Promise<T> =>
    commandCenter.tagRoot(repo.root, () =>
      fn().catch(async (err: unknown) => {
        if (err instanceof GitError && err.code === GitErrorCode.DirtyWorkingTree && err.details.files?.length && !err.details.names) {
          err.details.names = await repo.scm.namesOf(err.details.files);
        }
        throw err;
      }),
    );

  // ---------------------------------------------------------------- targets

  const rootOf = (target: RepoTarget): string | undefined => {
    if (!target) return undefined;
    if (typeof target === 'string') return target;
    if (target instanceof vscode.Uri) return target.fsPath;
    if (isHammockResource(target)) return target.root;
    const t = target as { rootUri?: vscode.Uri; root?: unknown; resourceStates?: unknown[] };
    if (t.rootUri instanceof vscode.Uri) return t.rootUri.fsPath;
    if (typeof t.root === 'string') return t.root;
    if (Array.isArray(t.resourceStates)) {
      const first = t.resourceStates.find(isHammockResource);
      if (first) return first.root;
    }
    return undefined;
  };

  const pickRepository = async (target: RepoTarget): Promise<SyncRepository> => {
    const root = rootOf(target);
    if (root) {
      const repo = service.getRepository(root);
      if (repo) return repo;
      throw new Error(`${root} is not a git repository that Hammock follows. Run "Hammock: Set Up Sync" there first.`);
    }
    const repos = service.repositories;
    if (repos.length === 1) return repos[0];
    if (!repos.length) throw new Error('No git repository with collections is open. Run "Hammock: Set Up Sync" or "Hammock: Clone Repository...".');
    const pick = await pickRepositoryOf(service, repos, 'Which repository?');
    if (!pick) throw new Cancelled();
    return pick;
  };

  /** The resources a context-menu command was given (VS Code passes every selected one), or the active file's. */
  const resourcesOf = (args: unknown[], group?: HammockResource['group']): HammockResource[] => {
    const given = args.flat().filter(isHammockResource);
    if (given.length) return group ? given.filter((r) => r.group === group) : given;
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (uri?.scheme !== 'file') return [];
    const repo = service.getRepository(uri);
    if (!repo) return [];
    const rel = repo.relative(uri.fsPath);
    return repo.scm.resources.filter((r) => r.path === rel && (!group || r.group === group));
  };

  const byRepository = (resources: HammockResource[]): Map<SyncRepository, string[]> => {
    const out = new Map<SyncRepository, string[]>();
    for (const r of resources) {
      const repo = service.getRepository(r.root);
      if (!repo) continue;
      const list = out.get(repo) ?? [];
      if (!list.includes(r.path)) list.push(r.path);
      out.set(repo, list);
    }
    return out;
  };

  const optionsArg = <T extends object>(args: unknown[]): T | undefined => {
    const last = args[args.length - 1];
    return typeof last === 'object' && last !== null && !isHammockResource(last) && !Array.isArray(last) && !(last instanceof vscode.Uri) ? (last as T) : undefined;
  };

  // ---------------------------------------------------------------- progress

  const local = <T>(repo: SyncRepository, fn: () => Promise<T>): Promise<T> => on(repo, () => commandCenter.local(fn));

  const remote = <T>(repo: SyncRepository, title: string, fn: (options: OperationOptions) => Promise<T>): Promise<T> =>
    remoteOnce(repo, title, fn).catch((err: unknown) => {
      if (isCredentialError(err)) {
        errorRetries.set(err as object, {
          connectUrl: () => repo.repository.remoteConnectUrl(),
          retry: (url, token) => remoteOnce(repo, title, (o) => retryWithCredentials(url, { token }, credentials, (auth) => fn({ ...o, auth }))),
        });
      }
      throw err;
    });

  /**
   * After "Enter Token..." on a failed operation: the token retries that operation (sent up front, no further
   * prompt) and is kept only if the server accepts it.
   */
  const enterTokenAndRetry = async (retry: TokenRetry): Promise<void> => {
    // the host the fetch connects to (url.<base>.insteadOf applied); the token is kept for the one the retry used
    const url = await retry.connectUrl();
    if (!url) throw new GitError(GitErrorCode.NoRemote, 'No remote is configured: set up sync first.');
    const parsed = parseRemoteUrl(url);
    const host = new URL(parsed.url).host;
    const token = await ask({ title: `Hammock: token for ${host}`, prompt: `Access token for ${host} (kept in VS Code's secret storage once ${host} accepts it)`, password: true, validateInput: (v) => (v.trim() ? undefined : 'A token is required') });
    await retry.retry(parsed.url, token);
    note(`token for ${host} accepted`);
  };

  const remoteOnce = <T>(repo: SyncRepository, title: string, fn: (options: OperationOptions) => Promise<T>): Promise<T> =>
    on(repo, () => commandCenter.remote(title, fn, logRemoteLine));

  /** The remote's lines: its progress counters at trace level, anything else (a hook's message) as information. */
  const logRemoteLine = (line: string): void => {
    if (/^(Enumerating|Counting|Compressing|Receiving|Resolving|Writing) objects:|^Total \d+ \(delta/.test(line)) log.trace(`remote: ${line}`);
    else log.info(`remote: ${line}`);
  };

  const note = (text: string): void => {
    vscode.window.setStatusBarMessage(`$(check) Hammock: ${text}`, 5000);
  };

  // ---------------------------------------------------------------- prompts

  const ask = async (options: vscode.InputBoxOptions): Promise<string> => {
    const value = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
    if (value === undefined) throw new Cancelled();
    return value.trim();
  };

  const confirm = async (message: string, detail: string, action: string): Promise<void> => {
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
    if (choice !== action) throw new Cancelled();
  };

  /**
   * The author a commit needs: from git config as git resolves it (global, XDG, system, includes); asked only when
   * git has none, and written into `.git/config` only if the user chooses so (else kept for this session).
   */
  const ensureAuthor = async (repo: SyncRepository): Promise<void> => {
    if (await repo.repository.author()) return;
    const name = await ask({ title: 'Hammock: commit author', prompt: 'git has no author name (user.name): your name, for the commits you make', validateInput: (v) => (v.trim() ? undefined : 'A name is required') });
    const email = await ask({ title: 'Hammock: commit author', prompt: 'git has no author email (user.email): your email, for the commits you make', validateInput: (v) => (/^\S+@\S+$/.test(v.trim()) ? undefined : 'An email address is required') });
    const where = await vscode.window.showQuickPick(
      [
        { label: 'Use for this session only', detail: 'Nothing is written; set user.name and user.email in ~/.gitconfig to keep them', save: false },
        { label: "Save in this repository's git config", detail: 'Writes user.name and user.email into .git/config', save: true },
      ],
      { title: 'Hammock: commit author', placeHolder: `${name} <${email}>: keep it where?`, ignoreFocusOut: true },
    );
    if (!where) throw new Cancelled();
    if (where.save) await repo.repository.setAuthor({ name, email });
    else repo.repository.useSessionAuthor({ name, email });
  };

  // ---------------------------------------------------------------- operations shared by several commands

  const doPush = async (repo: SyncRepository, force = false): Promise<void> => {
    const result = await remote(repo, force ? 'Force pushing...' : 'Pushing...', (o) => repo.repository.push({ ...o, force }));
    // a remote with several push URLs: what each did, as git reports each
    const each = result.urls?.map((u) => `${redact(u.url)}: ${u.outcome === 'pushed' ? 'pushed' : 'already up to date'}`).join('; ');
    note(`pushed ${result.branch} to ${result.remoteRef.replace(/^refs\/heads\//, '')}${result.setUpstream ? ' (upstream set)' : ''}${each ? ` (${each})` : ''}`);
    // the remote has it, but another git command held the remote-tracking ref's lock: git's words, and what follows
    if (result.trackingRefNotUpdated) {
      void vscode.window.showWarningMessage(`Hammock: the push succeeded, but the remote-tracking branch was not updated (${result.trackingRefNotUpdated}); the next fetch updates it.`);
    }
  };

  const doPull = async (repo: SyncRepository): Promise<void> => {
    // the model keeps the conflicts a refused pull reports (the Merge Changes group shows them)
    const result = await remote(repo, 'Pulling...', (o) => repo.repository.pull(o));
    if (result.kind === 'upToDate') void vscode.window.showInformationMessage('Hammock: already up to date.');
    else note(`pulled ${result.changes.length} changed file${result.changes.length === 1 ? '' : 's'} (${result.kind === 'merge' ? 'merge commit' : 'fast-forward'})`);
  };

  /**
   * The message typed for a commit that failed (an index.lock held by another git, a hook-less error), by repository:
   * the commit's quick input (Hammock's input box hidden beside VS Code's Git, or left empty) offers it again, as
   * VS Code's Git keeps the message of a failed commit in its box. Forgotten once a commit is made.
   */
  const unsentMessages = new Map<string, string>();

  const doCommit = async (repo: SyncRepository, args: unknown[]): Promise<string> => {
    // `secrets`: the answer of the secret check, for tests and scripts ('allow' commits anyway, 'vault' or 'private' move them)
    const options = optionsArg<{ message?: string; stageAll?: boolean; secrets?: string }>(args) ?? {};
    const fromInputBox = options.message === undefined;
    const inputBox = repo.scm.sourceControl.inputBox;
    let message = options.message ?? inputBox.value;
    await repo.repository.refresh();
    const status = repo.repository.snapshot?.status;
    const merging = !!status?.mergeInProgress;
    let toStage: string[] = [];
    if (status && !merging && status.staged.length === 0) {
      toStage = status.changes.map((c) => c.path);
      if (!toStage.length) throw new GitError(GitErrorCode.NothingToCommit, 'Nothing to commit: there are no changes.');
      if (!options.stageAll) {
        await confirm(
          'There are no staged changes to commit.',
          toStage.length === 1 ? `Stage the changed file (${toStage[0]}) and commit it directly?` : `Stage all ${toStage.length} changed files and commit them directly?`,
          'Stage All and Commit',
        );
      }
    }
    // the message first, then the staging (as VS Code Git's smart commit): a commit cancelled at its message changes nothing
    if (!message.trim() && !merging) {
      // (a commit that failed, a held index.lock say, gave back what was typed for it: offered again, as the input box keeps it)
      message = await ask({ prompt: 'Commit message', placeHolder: 'What did you change?', value: unsentMessages.get(repo.root), validateInput: (v) => (v.trim() ? undefined : 'A commit message is required') });
    }
    if (toStage.length) await local(repo, () => repo.repository.stage(toStage));
    const checks = { root: repo.root, restage: (paths: readonly string[]) => local(repo, () => repo.repository.stage([...paths])), options };
    /** what was typed for a commit that does not happen now is offered again next time */
    const keepMessage = () => {
      if (fromInputBox && !inputBox.value.trim() && message.trim()) unsentMessages.set(repo.root, message);
    };
    if (!(await runCommitChecks(service.commitChecks, checks))) {
      keepMessage();
      throw new Cancelled();
    }
    await ensureAuthor(repo);
    let oid: string;
    try {
      oid = await local(repo, () => repo.repository.commit(message));
    } catch (err) {
      keepMessage();
      throw err;
    }
    unsentMessages.delete(repo.root);
    if (fromInputBox) inputBox.value = '';
    return oid;
  };

  const pickBranch = async (repo: SyncRepository, placeHolder: string, filter: (b: BranchInfo) => boolean): Promise<string> => {
    const { local: branches } = await on(repo, () => repo.repository.branches());
    const picks = branches.filter(filter).map((b) => ({ label: b.name, description: b.upstream ? `→ ${b.upstream}` : undefined }));
    if (!picks.length) throw new Error('There is no other local branch.');
    const pick = await vscode.window.showQuickPick(picks, { placeHolder });
    if (!pick) throw new Cancelled();
    return pick.label;
  };

  const openCommit = async (repo: SyncRepository, commit: CommitInfo): Promise<void> => {
    const parent = commit.parents[0];
    const uri = (p: string): vscode.Uri => vscode.Uri.file(path.join(repo.root, ...p.split('/')));
    // a file too large for the diff editor is named in a warning and left out (VS Code's check skips hammock-git:);
    // measured by the blob's header, not read whole (the multi-diff editor reads what it shows)
    const measure = async (ref: string, p: string): Promise<DiffSideSize> => ({ label: ref.slice(0, 7), bytes: (await repo.objects.textBytesAt(ref, p).catch(() => null)) ?? 0 });
    const sizes = await Promise.all(
      commit.files.map((f) => Promise.all([f.kind === 'added' || !parent ? undefined : measure(parent, f.path), f.kind === 'deleted' ? undefined : measure(commit.oid, f.path)])),
    );
    const files = commit.files.filter((f, i) => diffFits(f.path, sizes[i].filter((s) => s !== undefined), []));
    if (!files.length) return;
    const resources = files.map((f) => [
      uri(f.path),
      f.kind === 'added' || !parent ? undefined : originalUri(uri(f.path), parent),
      f.kind === 'deleted' ? undefined : originalUri(uri(f.path), commit.oid),
    ]);
    const title = `${commit.oid.slice(0, 8)} · ${commit.summary}`;
    try {
      await vscode.commands.executeCommand('vscode.changes', title, resources);
    } catch {
      const [, left, right] = resources[0] ?? [];
      if (left && right) await vscode.commands.executeCommand('vscode.diff', left, right, title);
      else if (left ?? right) await vscode.commands.executeCommand('vscode.open', left ?? right);
    }
  };

  /**
   * Before conflicted files are staged: what still looks unresolved in them (markers left, or a conflicted field that
   * holds the common ancestor's value: both sides' edits lost, as the merge editor's "No Changes Accepted" start
   * leaves a file once autosave writes it) is named, and staging goes on only when the user says so.
   */
  const confirmResolved = async (repo: SyncRepository, conflicted: readonly HammockResource[]): Promise<void> => {
    const lines: string[] = [];
    for (const r of conflicted) {
      const [base, ours, theirs] = await Promise.all(['~1', '~2', '~3'].map((stage) => repo.objects.readText(stage, r.path)));
      if (ours === null || theirs === null) continue;
      const text = await fsp.readFile(r.fileUri.fsPath, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      // (the field-level merge is in the writers' bundle, loaded on first use)
      const w = writers();
      for (const line of w.describeUnresolved(w.unresolvedConflicts(r.path, text, base, ours, theirs))) lines.push(`${r.path}: ${line}`);
    }
    if (!lines.length) return;
    await confirm(
      conflicted.length === 1 ? `"${conflicted[0].label}" may still be in conflict. Stage it anyway?` : 'Some files may still be in conflict. Stage them anyway?',
      `${lines.slice(0, 8).join('\n')}${lines.length > 8 ? `\n... and ${lines.length - 8} more` : ''}\n\nStaging marks the conflict resolved with what the file holds now.`,
      'Stage Anyway',
    );
  };

  /**
   * A conflict where one side deleted the file and the other changed it: staging it asks, as VS Code's Git does,
   * whether to keep the file as the side that changed it has it (`git add`) or to delete it (`git rm`).
   */
  const resolveDeletionConflict = async (resource: HammockResource): Promise<void> => {
    const repo = service.getRepository(resource.root);
    if (!repo) return;
    const byThem = resource.change === 'deletedByThem';
    const keep = byThem ? 'Keep Our Version' : 'Keep Their Version';
    const remove = 'Delete File';
    const name = path.posix.basename(resource.path);
    // named as the Source Control view names it: the request (or folder, environment...) the file holds
    const what = resource.what === 'file' || resource.label === name ? `File "${name}"` : `${resource.what[0].toUpperCase()}${resource.what.slice(1)} "${resource.label}" (${name})`;
    const choice = await vscode.window.showInformationMessage(
      `${what} was deleted by ${byThem ? 'them and modified by us' : 'us and modified by them'}.\n\nWhat would you like to do?`,
      { modal: true },
      keep,
      remove,
    );
    if (choice === keep) await local(repo, () => repo.repository.stage([resource.path]));
    else if (choice === remove) await local(repo, () => repo.repository.remove([resource.path]));
    else throw new Cancelled();
  };

  const isDeletionConflict = (r: HammockResource): boolean => r.group === 'merge' && !r.reported && (r.change === 'deletedByThem' || r.change === 'deletedByUs');

  /**
   * A `hammock-git:` side escapes VS Code's large-file check: over the limit, the diff is not opened and the warning
   * offers the file itself (where VS Code's own large-file handling applies).
   */
  const scmDiffFits = async (resource: HammockResource, left: vscode.Uri, right: vscode.Uri, title: string): Promise<boolean> => {
    const measure = async (uri: vscode.Uri) => {
      const q = parseOriginalUri(uri);
      if (q) return (await service.originals.size(uri)) ?? { label: q.ref === INDEX_REF ? 'the index' : q.ref, bytes: 0 };
      return { label: 'the working tree', bytes: (await fsp.stat(uri.fsPath).catch(() => undefined))?.size ?? 0 };
    };
    const sides = await Promise.all([measure(left), measure(right)]);
    const exists = await fsp.stat(resource.fileUri.fsPath).then(() => true, () => false);
    const open = { title: 'Open File', run: () => vscode.commands.executeCommand('vscode.open', resource.fileUri) };
    return diffFits(title, sides, exists ? [open] : []);
  };

  const openResource = async (resource: HammockResource): Promise<void> => {
    const repo = service.getRepository(resource.root);
    if (!repo) return;
    if (resource.group === 'merge' && !resource.reported) {
      const stages = await Promise.all(['~1', '~2', '~3'].map((s) => repo.objects.oidAt(s, resource.path)));
      if (stages[1] && stages[2]) {
        try {
          await vscode.commands.executeCommand('_open.mergeEditor', {
            base: originalUri(resource.fileUri, '~1'),
            input1: { uri: originalUri(resource.fileUri, '~2'), title: 'Current' },
            input2: { uri: originalUri(resource.fileUri, '~3'), title: 'Incoming' },
            output: resource.fileUri,
          });
          return;
        } catch {
          /* no merge editor: show the file with its markers */
        }
      }
      await vscode.commands.executeCommand('vscode.open', resource.fileUri);
      return;
    }
    // a reported conflict compares the commits that conflicted, not the refs: HEAD's document is the one the open
    // file's quick diff holds, which a commit changes under it (opening the diff then failed with "ModelService:
    // Cannot add model because it already exists!"), and a fetch would change what the diff says the pull met
    const commits = resource.reported ? await Promise.all([repo.objects.resolveCommit('HEAD'), repo.objects.resolveCommit(resource.theirs ?? 'HEAD')]) : undefined;
    const { left, right, title } = repo.scm.diffUris(resource, commits?.[0] && commits[1] ? { ours: commits[0], theirs: commits[1] } : undefined);
    if (left && right && !(await scmDiffFits(resource, left, right, title))) return;
    if (left && right) await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true });
    // one side (a deleted or added file): titled as the diffs are, with the request's name
    else if (left ?? right) await vscode.commands.executeCommand('vscode.open', left ?? right, { preview: true }, title);
  };

  /** The first conflict of `repo`'s Merge Changes group that `accept`s, as the view shows it now. */
  const shownConflict = (repo: SyncRepository, accept: (r: HammockResource) => boolean = () => true): HammockResource | undefined =>
    repo.scm.mergeGroup.resourceStates.filter(isHammockResource).find(accept);
  /**
   * The same, now or once the view has rendered it (an operation's result holds the new state, but the view renders
   * it a moment later: it names what each file holds first); undefined if it has not after `ms`.
   */
  const renderedConflict = (repo: SyncRepository, accept: (r: HammockResource) => boolean, ms: number): Promise<HammockResource | undefined> => {
    const find = () => shownConflict(repo, accept);
    const now = find();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (r: HammockResource | undefined): void => {
        sub.dispose();
        clearTimeout(timer);
        resolve(r);
      };
      const sub = repo.scm.onDidRender(() => {
        const r = find();
        if (r) done(r);
      });
      const timer = setTimeout(() => done(find()), ms);
    });
  };

  /**
   * After a push to a new branch: offer the pull request, through the GitHub Pull Requests extension when it is
   * installed (its "Create Pull Request" view), else the host's compare page for a GitHub remote.
   */
  const offerPullRequest = async (repo: SyncRepository, branch: string, base: string | undefined): Promise<void> => {
    const prExtension = vscode.extensions.getExtension(GITHUB_PR_EXTENSION);
    const remoteUrl = repo.repository.snapshot?.remoteUrl;
    const compare = remoteUrl ? compareUrl(remoteUrl, base, branch) : undefined;
    if (!prExtension && !compare) {
      note(`pushed ${branch}`);
      return;
    }
    const choice = await vscode.window.showInformationMessage(`Hammock: pushed your commits to the new branch "${branch}".`, 'Create Pull Request...');
    if (choice !== 'Create Pull Request...') return;
    if (prExtension) {
      if (!prExtension.isActive) await prExtension.activate();
      await vscode.commands.executeCommand('pr.create');
    } else if (compare) {
      await vscode.env.openExternal(vscode.Uri.parse(compare));
    }
  };

  // ---------------------------------------------------------------- commands

  return [
    register(GitCommands.setUpSync, async (target?: RepoTarget, given?: { remoteUrl?: string; name?: string; email?: string; token?: string; username?: string }) => {
      let root = rootOf(target);
      if (!root) {
        const repos = service.repositories;
        const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
        if (repos.length === 1) root = repos[0].root;
        else if (folders.length === 1) root = folders[0].uri.fsPath;
        else if (!folders.length) throw new Error('Open a folder first: sync is set up for a workspace folder.');
        else {
          const pick = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Set up sync for which folder?' });
          if (!pick) throw new Cancelled();
          root = pick.uri.fsPath;
        }
      }
      const existing = service.getRepository(root);
      // a folder Hammock does not follow yet gets a model of its own for the set-up, dropped afterwards
      const model = existing?.repository ?? new Repository(new GitClient(root, { externalGit: service.userGit.externalGit, externalGitMode: service.userGit.mode }));
      const isRepo = await model.isRepository();
      const currentUrl = isRepo ? await model.remoteUrl().catch(() => undefined) : undefined;
      // git's author (global config, includes, ...) also for a folder that is no repository yet
      const author = await model.author().catch(() => undefined);
      const remoteUrl =
        given?.remoteUrl ??
        (await ask({ title: 'Hammock: Set Up Sync', prompt: 'URL of the remote repository (HTTPS; SSH or a folder on this machine through your git)', value: currentUrl, placeHolder: 'https://github.com/org/api-collections.git', validateInput: (v) => validateRemoteUrl(v, service.userGit.mode, root) }));
      // the author is asked only when git has none (global config, includes, ...); what is typed here is the
      // repository's own author, written into .git/config as the prompt says
      const name = given?.name ?? (author ? undefined : await ask({ title: 'Hammock: Set Up Sync', prompt: "git has no author: your name for this repository's commits (saved in .git/config)", validateInput: (v) => (v.trim() ? undefined : 'A name is required') }));
      const email =
        given?.email ?? (author ? undefined : await ask({ title: 'Hammock: Set Up Sync', prompt: "Your email for this repository's commits (saved in .git/config)", validateInput: (v) => (/^\S+@\S+$/.test(v.trim()) ? undefined : 'An email address is required') }));
      const newAuthor = name !== undefined && email !== undefined ? { name, email } : undefined;
      const parsed = acceptRemoteUrl(remoteUrl, service.userGit.mode);
      // the URL the fetch will connect to (url.<base>.insteadOf of git's config applied): its transport and host decide the token
      const connect = acceptRemoteUrl(await fetchUrlFor(remoteUrl.trim(), { gitdir: isRepo ? path.join(root, '.git') : undefined }), service.userGit.mode);
      // no token for a remote the user's git reaches with its own keys (SSH), its helpers, or none at all (local)
      const viaUserGit = connect.ssh || connect.local || connect.other;
      const hasToken = viaUserGit ? false : await credentials.hasCredentials(connect.url);
      const token =
        given?.token ??
        (parsed.password || viaUserGit
          ? ''
          : await ask({
              title: 'Hammock: Set Up Sync',
              prompt: `Access token for ${new URL(connect.url).host}${hasToken ? ' (leave empty to keep the stored one)' : ' (leave empty if the repository needs none, or to be asked when needed)'}`,
              password: true,
            }));
      const result = await (existing ? on(existing, () => model.setUpSync({ remoteUrl, author: newAuthor })) : model.setUpSync({ remoteUrl, author: newAuthor }).finally(() => model.dispose()));
      const repo = await service.openRepository(root);
      log.info(`git: sync set up for ${root} with ${parsed.url}`);
      const candidate = token ? { token, username: given?.username } : result.credentials;
      if (candidate) {
        // check the token now, while the user remembers typing it: a token the server refuses is not kept
        await remote(repo, 'Checking the token...', (o) => credentials.tryCredentials(connect.url, candidate, () => repo.repository.fetch(o)));
      }
      note(`sync set up with ${parsed.url}`);
      // the walkthrough's "Set up sync" is done (a command run from a notification's button is not seen as run there)
      void vscode.commands.executeCommand('setContext', SYNC_SET_UP_CONTEXT, true);
      return { root, remoteUrl: parsed.url };
    }),

    register(GitCommands.cloneRepository, async (given?: { url?: string; parent?: string; dir?: string; open?: boolean }) => {
      const url = given?.url ?? (await ask({ title: 'Hammock: Clone Repository', prompt: 'URL of the repository to clone (HTTPS; SSH or a folder on this machine through your git)', placeHolder: 'https://github.com/org/api-collections.git', validateInput: (v) => validateRemoteUrl(v, service.userGit.mode, given?.parent, {}) }));
      // checked, and its transport and host taken, as the URL git clone connects to (an insteadOf alias resolved);
      // the folder named after the URL as given, as git names it
      const source = await cloneSource(url, service.userGit.mode);
      const parsed = source.connect;
      let dir = given?.dir;
      if (!dir) {
        let parent = given?.parent;
        if (!parent) {
          const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Select as Repository Destination' });
          if (!picked?.[0]) throw new Cancelled();
          parent = picked[0].fsPath;
        }
        dir = path.join(parent, source.folder);
      }
      const target = dir;
      const started = Date.now();
      /** the clone into `target`, with `auth` (at first: the stored token, git's credential helpers, then a prompt). */
      const cloneWith = (auth: OperationOptions['auth']): Promise<unknown> =>
        commandCenter.remote(
          `Cloning ${parsed.url}...`,
          (work) =>
            GitClient.clone({
              url,
              dir: target,
              auth,
              transport: service.transport,
              transferWorker: service.transferWorker,
              externalGit: service.userGit.externalGit,
              externalGitMode: service.userGit.mode,
              signal: work.signal,
              onProgress: work.onProgress,
              onMessage: work.onMessage,
              log: (line) => log.info(`git: ${line}`),
            }),
          logRemoteLine,
        );
      const cloned = async (): Promise<string> => {
        log.info(`git clone ${parsed.url} into ${target}: ok in ${Date.now() - started} ms`);
        if (parsed.password) await credentials.setToken(parsed.url, parsed.password, parsed.username);
        if (given?.open === false) return target;
        const uri = vscode.Uri.file(target);
        void vscode.window.showInformationMessage(`Hammock: cloned into ${target}. Open it?`, 'Open', 'Open in New Window', 'Add to Workspace').then((choice) => {
          if (choice === 'Open') void vscode.commands.executeCommand('vscode.openFolder', uri);
          else if (choice === 'Open in New Window') void vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
          else if (choice === 'Add to Workspace') vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri });
        });
        return target;
      };
      /** one attempt; one that fails for want of a token can be run again from its notification's "Enter Token..." */
      const attempt = async (run: () => Promise<unknown>): Promise<string> => {
        try {
          await run();
        } catch (err) {
          log.warn(`git clone ${parsed.url}: failed in ${Date.now() - started} ms${err instanceof Error ? `: ${err.message}` : ''}`);
          // there is no repository yet for the Enter Token command to act on: the action clones again, into the
          // same folder, with the token given then (and a refused one offers the same again)
          if (isCredentialError(err)) {
            errorRetries.set(err as object, {
              connectUrl: async () => parsed.url,
              retry: (connectUrl, token) => attempt(() => retryWithCredentials(connectUrl, { token }, credentials, (auth) => cloneWith(auth))),
            });
          }
          throw err;
        }
        return cloned();
      };
      return attempt(() => cloneWith(service.userGit.withCredentialHelpers(credentials)));
    }),

    register(GitCommands.commit, async (target?: RepoTarget, ...rest: unknown[]) => {
      // target: the SourceControl (the input box's accept command), a root, or { root?, message?, stageAll? }
      const repo = await pickRepository(target);
      return doCommit(repo, [target, ...rest]);
    }),

    register(GitCommands.commitAndPush, async (target?: RepoTarget, ...rest: unknown[]) => {
      const repo = await pickRepository(target);
      const oid = await doCommit(repo, [target, ...rest]);
      await doPush(repo);
      return oid;
    }),

    register(GitCommands.createBranch, async (target?: RepoTarget, givenName?: string) => {
      const repo = await pickRepository(target);
      // a name taken already is said while it is typed (not after Enter, which lost what was typed)
      const taken = givenName === undefined ? new Set((await on(repo, () => repo.repository.branches()).catch(() => ({ local: [] }))).local.map((b) => b.name)) : new Set<string>();
      const name =
        givenName ??
        (await ask({
          prompt: 'Name of the new branch (created from the current commit and checked out)',
          validateInput: (v) => validateBranchName(v) ?? (taken.has(v.trim()) ? `A branch named "${v.trim()}" already exists: choose another name, or Checkout Branch to switch to it.` : undefined),
        }));
      const invalid = validateBranchName(name);
      if (invalid) throw new Error(invalid);
      await local(repo, () => repo.repository.createBranch(name.trim(), { checkout: true }));
      return name.trim();
    }),

    register(GitCommands.checkoutBranch, async (target?: RepoTarget, givenName?: string) => {
      const repo = await pickRepository(target);
      let name = givenName;
      if (!name) {
        const { local: localBranches, remote: remoteBranches } = await on(repo, () => repo.repository.branches());
        type Pick = vscode.QuickPickItem & { branch?: string; create?: boolean };
        const picks: Pick[] = [
          { label: '$(plus) Create new branch...', create: true, alwaysShow: true },
          { label: 'Local branches', kind: vscode.QuickPickItemKind.Separator },
          ...localBranches.map((b) => ({
            label: `${b.current ? '$(check)' : '$(git-branch)'} ${b.name}`,
            description: [b.current ? 'current' : '', b.upstream ? `→ ${b.upstream}` : ''].filter(Boolean).join(' · '),
            branch: b.name,
          })),
        ];
        const locals = new Set(localBranches.map((b) => b.name));
        const remotes = remoteBranches.filter((r) => !locals.has(r.branch));
        if (remotes.length) {
          picks.push({ label: 'Remote branches', kind: vscode.QuickPickItemKind.Separator });
          picks.push(...remotes.map((r) => ({ label: `$(cloud) ${r.name}`, description: `new local branch ${r.branch}, tracking it`, branch: r.name })));
        }
        const pick = await vscode.window.showQuickPick(picks, { placeHolder: 'Select a branch to check out' });
        if (!pick) throw new Cancelled();
        if (pick.create) return vscode.commands.executeCommand(GitCommands.createBranch, repo.root);
        name = pick.branch!;
      }
      const branch = name;
      await local(repo, () => repo.repository.checkout(branch));
      return repo.repository.snapshot?.status.branch ?? branch;
    }),

    register(GitCommands.deleteBranch, async (target?: RepoTarget, givenName?: string, options?: { confirmed?: boolean }) => {
      const repo = await pickRepository(target);
      const name = givenName ?? (await pickBranch(repo, 'Select a branch to delete', (b) => !b.current));
      if (options?.confirmed) return void (await local(repo, () => repo.repository.deleteBranch(name)));
      // as VS Code's Git: `git branch -d` first, which deletes a merged branch without a question; asked only when
      // git refuses ("not fully merged"), then told what would be lost
      try {
        await local(repo, () => repo.repository.deleteBranch(name, { requireMerged: true }));
        note(`deleted the branch ${name}`);
        return;
      } catch (err) {
        if (!(err instanceof GitError && err.code === GitErrorCode.BranchNotFullyMerged)) throw err;
      }
      const state = await on(repo, () => repo.repository.branchMergeState(name));
      if (!state.merged) await confirm(`The branch "${name}" is not fully merged. Delete anyway?`, unmergedDetail(state), 'Delete Anyway');
      // only the commit the user was told about: a branch moved meanwhile stays (RefChanged)
      await local(repo, () => repo.repository.deleteBranch(name, { oid: state.oid }));
      note(`deleted the branch ${name}`);
    }),

    register(GitCommands.fetch, async (target?: RepoTarget) => {
      const repo = await pickRepository(target);
      await remote(repo, 'Fetching...', (o) => repo.repository.fetch(o));
      const t = repo.repository.snapshot?.tracking;
      note(`fetched${t ? `: ${syncWords(t)}` : ''}`);
    }),

    register(GitCommands.pull, async (target?: RepoTarget) => {
      await doPull(await pickRepository(target));
    }),

    register(GitCommands.push, async (target?: RepoTarget) => {
      await doPush(await pickRepository(target));
    }),

    register(GitCommands.forcePush, async (target?: RepoTarget, options?: { confirmed?: boolean }) => {
      const repo = await pickRepository(target);
      const branch = repo.repository.snapshot?.status.branch;
      if (!branch) throw new GitError(GitErrorCode.DetachedHead, 'Cannot push: HEAD is not on a branch.');
      const upstream = repo.repository.snapshot?.tracking?.upstream ?? `origin/${branch}`;
      if (!options?.confirmed) {
        await confirm(
          `Force push "${branch}" to ${upstream}?`,
          `This replaces ${upstream} with your "${branch}": the commits on the remote that you do not have are lost for everyone.`,
          'Force Push',
        );
      }
      await doPush(repo, true);
    }),

    register(GitCommands.pushToNewBranch, async (target?: RepoTarget, givenName?: string) => {
      const repo = await pickRepository(target);
      const current = repo.repository.snapshot?.status.branch ?? 'changes';
      const name = givenName ?? (await ask({ prompt: `Push your commits to a new branch (then open a pull request from it)`, value: `${current}-update`, validateInput: validateBranchName }));
      const invalid = validateBranchName(name);
      if (invalid) throw new Error(invalid);
      // as git leaves it: the commits on the new branch (checked out, pushed with its upstream), the original branch
      // back at its upstream
      const result = await remote(repo, `Pushing to ${name.trim()}...`, (o) => repo.repository.pushToNewBranch(name.trim(), o));
      log.info(`git: pushed ${result.branch} to ${result.push.remoteRef}${result.resetTo ? `; ${result.from} moved back to ${result.resetTo}` : ''}`);
      void offerPullRequest(repo, result.branch, result.from);
      return result.branch;
    }),

    register(GitCommands.sync, async (target?: RepoTarget) => {
      const repo = await pickRepository(target);
      const result = await remote(repo, 'Syncing...', (o) => repo.repository.sync(o));
      const pulled = result.pull.kind === 'upToDate' ? 0 : result.pull.changes.length;
      note(result.push ? `synced: ${pulled} file${pulled === 1 ? '' : 's'} pulled, ${result.push.branch} pushed` : pulled ? `synced: ${pulled} file${pulled === 1 ? '' : 's'} pulled` : 'everything is up to date');
      return result;
    }),

    register(GitCommands.showHistory, async (target?: RepoTarget, options?: { oid?: string; depth?: number }) => {
      const repo = await pickRepository(target);
      const commits = await local(repo, () => repo.repository.history({ depth: options?.depth ?? 50 }));
      if (!commits.length) throw new Error('No commits yet on this branch.');
      let commit: CommitInfo | undefined;
      if (options?.oid) {
        commit = commits.find((c) => c.oid.startsWith(options.oid!));
        if (!commit) throw new Error(`Commit ${options.oid} is not among the ${commits.length} most recent ones.`);
      } else {
        const pick = await vscode.window.showQuickPick(
          commits.map((c) => ({
            label: `$(git-commit) ${c.summary}`,
            description: `${c.author.name} · ${relativeDate(c.author.timestamp)} · ${c.oid.slice(0, 8)}`,
            detail: `${c.files.length} file${c.files.length === 1 ? '' : 's'}: ${c.files.slice(0, 6).map((f) => f.path).join(', ')}${c.files.length > 6 ? ', …' : ''}`,
            commit: c,
          })),
          { placeHolder: `History of ${repo.repository.snapshot?.status.branch ?? 'HEAD'}: pick a commit to see its changes`, matchOnDescription: true, matchOnDetail: true },
        );
        if (!pick) throw new Cancelled();
        commit = pick.commit;
      }
      await openCommit(repo, commit);
      return commit.oid;
    }),

    register(GitCommands.showLog, () => log.show()),

    register(GitCommands.mergeInEditor, async (target?: RepoTarget) => {
      const repo = await pickRepository(target);
      const result = await local(repo, () => repo.repository.mergeInEditor());
      if (result.completed) {
        note('merged without conflicts');
        return result;
      }
      // the user lands on the first conflict, opened as Show Conflicts and a click on its Merge Changes row open it
      let opened: string | undefined;
      const first = await renderedConflict(repo, (r) => !r.reported, 5000);
      if (first) {
        try {
          await openResource(first);
          opened = first.path;
        } catch (err) {
          log.warn(`Merge in Editor: opening ${first.path} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      void vscode.window
        .showWarningMessage(`Hammock: ${mergeInEditorMessage(result, opened)}`, 'Show Conflicts')
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand(GitCommands.showConflicts, repo.root);
        });
      return result;
    }),

    register(GitCommands.abortMerge, async (target?: RepoTarget, options?: { confirmed?: boolean }) => {
      const repo = await pickRepository(target);
      if (!options?.confirmed) await confirm('Abort the merge?', 'The files, the index and HEAD go back to how they were before the merge; resolutions made so far are lost.', 'Abort Merge');
      await local(repo, () => repo.repository.abortMerge());
      // a merge editor left open edits a merge that is gone: what it holds (resolutions, which the question said are
      // lost) would be saved over the restored file by autosave. Its document is given the file's text, then closed.
      const stale = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => {
        // a merge editor's input (TabInputTextMerge is not in the stable API): base, input1, input2, result
        const merge = t.input as { base?: unknown; result?: unknown } | undefined;
        return merge?.base instanceof vscode.Uri && merge.result instanceof vscode.Uri && isInside(repo.root, merge.result.fsPath);
      });
      for (const tab of stale) {
        const uri = (tab.input as { result: vscode.Uri }).result;
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (!doc?.isDirty) continue;
        const text = await fsp.readFile(uri.fsPath, 'utf8').catch(() => undefined);
        const edit = new vscode.WorkspaceEdit();
        if (text !== undefined) edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
        if (text !== undefined && (await vscode.workspace.applyEdit(edit))) await doc.save();
      }
      const stillDirty = (t: vscode.Tab) => vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.toString() === (t.input as { result: vscode.Uri }).result.toString());
      if (stale.length) await vscode.window.tabGroups.close(stale.filter((t) => !stillDirty(t)), true);
      note('merge aborted');
    }),

    register(GitCommands.showConflicts, async (target?: RepoTarget) => {
      const repo = await pickRepository(target);
      await vscode.commands.executeCommand('workbench.view.scm');
      let first = shownConflict(repo);
      if (!first) {
        // a toast's Show Conflicts outlives its merge (finished, aborted): the status, read again, says what is left
        const rendered = renderedConflict(repo, () => true, 2000);
        await local(repo, () => repo.repository.refresh());
        if (!repo.repository.snapshot?.status.merge.length && !repo.repository.reportedConflicts) {
          void vscode.window.showInformationMessage(`Hammock: no merge conflicts in ${path.basename(repo.root)}: nothing is left to resolve (the merge was finished or aborted).`);
          return;
        }
        first = await rendered;
      }
      if (first) await openResource(first);
    }),

    register(GitCommands.refreshStatus, async (target?: RepoTarget) => {
      const repo = await pickRepository(target);
      await repo.repository.refresh();
    }),

    register(GitCommands.stage, async (...args: unknown[]) => {
      const all = resourcesOf(args).filter((r) => !r.reported && r.group !== 'index');
      for (const r of all.filter(isDeletionConflict)) await resolveDeletionConflict(r);
      const resources = all.filter((r) => !isDeletionConflict(r));
      for (const [repo, paths] of byRepository(resources)) {
        await confirmResolved(repo, resources.filter((r) => r.group === 'merge' && r.root === repo.root));
        await local(repo, () => repo.repository.stage(paths));
      }
    }),

    register(GitCommands.stageAll, async (target?: RepoTarget) => {
      const repo = await pickRepository(target);
      const merge = (target as { id?: string } | undefined)?.id === 'merge';
      const group = merge ? repo.scm.mergeGroup : repo.scm.workingTreeGroup;
      const all = (group.resourceStates as HammockResource[]).filter((r) => !r.reported);
      for (const r of all.filter(isDeletionConflict)) await resolveDeletionConflict(r);
      const resources = all.filter((r) => !isDeletionConflict(r));
      if (merge) await confirmResolved(repo, resources);
      const paths = resources.map((r) => r.path);
      if (paths.length) await local(repo, () => repo.repository.stage(paths));
    }),

    register(GitCommands.unstage, async (...args: unknown[]) => {
      for (const [repo, paths] of byRepository(resourcesOf(args, 'index'))) await local(repo, () => repo.repository.unstage(paths));
    }),

    register(GitCommands.unstageAll, async (target?: RepoTarget) => {
      const repo = await pickRepository(target);
      const paths = (repo.scm.indexGroup.resourceStates as HammockResource[]).map((r) => r.path);
      if (paths.length) await local(repo, () => repo.repository.unstage(paths));
    }),

    register(GitCommands.discardChanges, async (...args: unknown[]) => {
      const options = optionsArg<{ confirmed?: boolean }>(args);
      const resources = resourcesOf(args, 'workingTree');
      if (!resources.length) return;
      if (!options?.confirmed) {
        const untracked = resources.filter((r) => r.change === 'untracked').length;
        const what = resources.length === 1 ? `"${resources[0].label}" (${resources[0].path})` : `${resources.length} files`;
        await confirm(
          untracked === resources.length ? `Delete ${what}?` : `Discard the changes to ${what}?`,
          untracked ? 'Untracked files are deleted. This cannot be undone.' : 'The files go back to their staged (or committed) content. This cannot be undone.',
          untracked === resources.length ? 'Delete' : 'Discard Changes',
        );
      }
      for (const [repo, paths] of byRepository(resources)) await local(repo, () => repo.repository.discard(paths));
    }),

    register(GitCommands.discardAllChanges, async (target?: RepoTarget, options?: { confirmed?: boolean }) => {
      const repo = await pickRepository(target);
      const resources = repo.scm.workingTreeGroup.resourceStates as HammockResource[];
      if (!resources.length) return;
      if (!options?.confirmed) {
        // the files deleted are named: they are in no commit, nothing can bring them back
        const untracked = resources.filter((r) => r.change === 'untracked').map((r) => r.path);
        const changed = resources.length - untracked.length;
        const named = untracked.slice(0, 5).join(', ') + (untracked.length > 5 ? ` and ${untracked.length - 5} more` : '');
        await confirm(
          `Discard all ${resources.length} changes?`,
          [
            changed ? `${changed} changed file${changed === 1 ? ' goes' : 's go'} back to the staged (or committed) content.` : '',
            untracked.length ? `${untracked.length} untracked file${untracked.length === 1 ? ' is' : 's are'} deleted: ${named}.` : '',
            'This cannot be undone.',
          ].filter(Boolean).join('\n'),
          'Discard All Changes',
        );
      }
      await local(repo, () => repo.repository.discard(resources.map((r) => r.path)));
    }),

    register(GitCommands.openChange, async (...args: unknown[]) => {
      const [resource] = resourcesOf(args);
      if (resource) await openResource(resource);
    }),

    register(GitCommands.openFile, async (...args: unknown[]) => {
      for (const r of resourcesOf(args)) {
        const deleted = r.change === 'deleted' || r.change === 'deletedByUs';
        await vscode.commands.executeCommand('vscode.open', deleted ? originalUri(r.fileUri, 'HEAD') : r.fileUri);
      }
    }),

    register(GitCommands.enterToken, async (target?: RepoTarget, given?: { token?: string; username?: string }) => {
      const repo = await pickRepository(target);
      // the URL the fetch connects to (url.<base>.insteadOf applied): its transport and its host
      const url = await repo.repository.remoteConnectUrl();
      if (!url) throw new GitError(GitErrorCode.NoRemote, 'No remote is configured: set up sync first.');
      const accepted = acceptRemoteUrl(url, service.userGit.mode);
      if (accepted.ssh || accepted.local || accepted.other) {
        throw new GitError(GitErrorCode.InvalidRemoteUrl, `${accepted.url} is reached through your git (${accepted.ssh ? 'its ssh keys and agent' : accepted.local ? 'a repository on this machine' : 'git:// or a remote helper'}): Hammock uses no token for it.`);
      }
      const parsed = parseRemoteUrl(url);
      const host = new URL(parsed.url).host;
      const token = given?.token ?? (await ask({ title: `Hammock: token for ${host}`, prompt: `Access token for ${host} (kept in VS Code's secret storage)`, password: true, validateInput: (v) => (v.trim() ? undefined : 'A token is required') }));
      await remote(repo, 'Checking the token...', (o) => credentials.tryCredentials(parsed.url, { token, username: given?.username }, () => repo.repository.fetch(o)));
      note(`token for ${host} accepted`);
    }),
  ];
}
