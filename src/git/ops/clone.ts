// Clone: an HTTPS repository (or, through the user's git, an SSH one or one on this machine) into a new folder.
// Into a hidden temporary sibling folder first, renamed when complete, so a failed, cancelled or killed clone leaves
// nothing behind (a killed one's folder is removed by the next clone or activation: removeStaleClones). Refuses
// repositories without Insomnia data. The pack is received, indexed and checked out in the transfer worker when the
// options give one (off the extension host's event loop: seconds of work for 10,000 files), else here. No 'vscode'
// import.

import * as crypto from 'crypto';
import * as fsp from 'fs/promises';
import * as path from 'path';
import { AuthSession, type GitCredentials } from '../auth';
import { GitClient, type CloneOptions } from '../gitClient';
import { GitError, GitErrorCode, redact, toGitError, type TranslateContext } from '../gitError';
import { createHttpClient } from '../httpTransport';
import { fetchUrlFor, remoteTransport } from '../remoteUrl';
import { acceptRemoteUrl } from '../systemGit';
import { DEFAULT_REMOTE } from './gitCore';
import { checkAborted, externalFor, RemoteLines, sshFallback, workerFor } from './remote';
import { isMissingRemoteHead, missingRemoteHeadError, probeRemoteHead, type RemoteHeadProbe } from './remoteHead';
import { isogit } from '../isogit';
import { GitConfig } from '../plumbing/gitConfig';
import { RefLock, refsOnDisk } from '../plumbing/gitFs';
import { isValidBranchName } from './branches';
import { runTransfer, type TransferRequest } from './transfer';
import { processAlive } from '../../util/processAlive';

async function isEmptyDir(dir: string): Promise<boolean | undefined> {
  try {
    return (await fsp.readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

const CLONE_FOLDER = /^\..+\.hammock-clone-(?:(\d+)-)?[0-9a-f]{8}$/;

/**
 * Removes the hidden `.<name>.hammock-clone-<pid>-<hex>` folders of clones that were killed mid-way from `parent`:
 * those whose process is gone (a folder of an older Hammock, without a pid, once it is an hour old). Returns the
 * folders removed.
 */
export async function removeStaleClones(parent: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = CLONE_FOLDER.exec(name);
    if (!m) continue;
    const full = path.join(parent, name);
    if (m[1]) {
      if (Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    } else {
      const st = await fsp.stat(full).catch(() => null);
      if (!st || Date.now() - st.mtimeMs < 3_600_000) continue;
    }
    await fsp.rm(full, { recursive: true, force: true }).catch(() => undefined);
    removed.push(full);
  }
  return removed;
}

/**
 * The clone of an empty remote as `git clone` leaves it: HEAD on the branch the remote's HEAD names (its default
 * branch, asked with protocol v2's ls-refs `unborn`: isomorphic-git's protocol v1 does not say), else on
 * init.defaultBranch, else main; that branch's upstream set to origin's branch of the same name, so the first commit
 * is pushed there; and git's warning.
 */
async function setUpEmptyClone(client: GitClient, probe: RemoteHeadProbe | undefined, onMessage: ((line: string) => void) | undefined): Promise<void> {
  const { core } = client;
  const current = await core.currentBranch();
  // the remote's default branch only when it is a name git accepts (a hostile server could send `refs/heads/../..`)
  const advertised = probe?.target?.startsWith('refs/heads/') && isValidBranchName(probe.target.slice('refs/heads/'.length)) ? probe.target : undefined;
  const target = advertised ?? `refs/heads/${GitConfig.load(core.gitdir).string('init.defaultbranch') ?? (current && !probe ? current : 'main')}`;
  const branch = target.slice('refs/heads/'.length);
  if (branch !== current) {
    const head = await RefLock.acquire(core.gitdir, 'HEAD', undefined, core.lock);
    await head.commit(target, true);
  }
  await isogit().setConfig({ fs: core.fs, gitdir: core.gitdir, path: `branch.${branch}.remote`, value: DEFAULT_REMOTE });
  await isogit().setConfig({ fs: core.fs, gitdir: core.gitdir, path: `branch.${branch}.merge`, value: target });
  onMessage?.('warning: You appear to have cloned an empty repository.');
}

/**
 * The name of the git directory of a clone in progress, in its temporary folder: not `.git`, nor one VS Code's Git
 * takes for a repository's (it looks at any path holding `/.git`).
 */
export const CLONE_GITDIR = '.hammock-clone-gitdir';

export async function clone(options: CloneOptions): Promise<GitClient> {
  const target = path.resolve(options.dir);
  // git clone connects where url.<base>.insteadOf (global and system config) sends the URL given, and keeps that one
  // in remote.origin.url and its reflog: the transport (and the credentials' host) is chosen on the rewritten URL
  const given = options.url.trim();
  const connect = await fetchUrlFor(given, { env: options.configEnv });
  const external = externalFor(options, connect);
  // SSH and local URLs as written (the user's git carries them), http(s) without credentials; a local one without
  // the user's git is refused saying why, before anything is created
  const parsed = acceptRemoteUrl(connect, options.externalGitMode ?? 'auto', !!options.externalGit);
  const stored = connect === given ? parsed.url : remoteTransport(given) === 'http' ? acceptRemoteUrl(given, 'never', false).url : given;
  const ctxBase: TranslateContext = { operation: 'clone', url: parsed.url, signal: options.signal };
  const empty = await isEmptyDir(target);
  if (empty === false) {
    throw new GitError(GitErrorCode.DestinationExists, `Cannot clone into ${target}: the folder exists and is not empty.`);
  }
  const parent = path.dirname(target);
  await fsp.mkdir(parent, { recursive: true });
  await removeStaleClones(parent);
  const tmp = path.join(parent, `.${path.basename(target)}.hammock-clone-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  await fsp.mkdir(tmp);
  // the pack comes in under another name than `.git`: a `.git` there would make VS Code's Git (which watches the
  // workspace for new ones) open the temporary folder, and list it after it is gone; renamed `.git` once complete
  const hiddenGitdir = path.join(tmp, CLONE_GITDIR);
  const fromUrl: GitCredentials | undefined = parsed.password ? { username: parsed.username, token: parsed.password } : undefined;
  const session = new AuthSession(parsed.url, options.auth, options.maxAuthPrompts ?? 1, fromUrl);
  const messages = new RemoteLines(options.onMessage);
  const tmpClient = new GitClient(tmp, options);
  const c = tmpClient.core;
  const worker = workerFor(options);
  const http = options.http ?? createHttpClient(options.transport, options.signal);
  let headers: Record<string, string> = {};
  try {
    let receive: Awaited<ReturnType<typeof runTransfer>>;
    try {
      if (external) {
        // the user's git fetches (its ssh keys, agent, credential helper); Hammock checks out
        await sshFallback(parsed.url, () =>
          // in the target's folder: a relative path is resolved there, as `git clone` run there resolves it
          external.clone({ url: stored, dir: tmp, cwd: parent, ref: options.ref, depth: options.depth, noCheckout: true, signal: options.signal, onProgress: options.onProgress, onMessage: options.onMessage }),
        );
      }
      const request: TransferRequest = {
        kind: 'clone',
        dir: tmp,
        // the user's git made its own `.git` (its fetch is over): Hammock only checks out there
        gitdir: external ? undefined : hiddenGitdir,
        url: parsed.url,
        ref: options.ref,
        singleBranch: options.singleBranch,
        depth: options.depth,
        headers: (headers = external ? {} : await session.headers()),
        batchSize: options.batchSize,
        objectsFetched: !!external,
        probeInsomnia: options.requireInsomnia !== false,
        lock: options.lock,
      };
      const hooks = {
        signal: options.signal,
        onAuth: session.onAuth,
        onAuthFailure: session.onAuthFailure,
        onAuthSuccess: session.onAuthSuccess,
        onProgress: options.onProgress,
        onMessage: messages.onMessage,
      };
      receive = worker
        ? await worker.run(request, hooks, options.transport)
        : await runTransfer(request, { ...hooks, fs: c.fs, http, cache: c.cache });
    } catch (err) {
      if (err instanceof GitError) throw err; // the checkout's own (a held index.lock) or the user's git's
      if (isMissingRemoteHead(err)) throw missingRemoteHeadError('clone', parsed.url, await probeRemoteHead(http, parsed.url, headers));
      throw toGitError(err, {
        ...ctxBase,
        credentialsRejected: session.rejected,
        credentialsDeclined: session.declined,
        secrets: session.secrets,
        remoteLines: messages.flush(),
      });
    }
    if (receive.kind !== 'clone') throw new Error('unexpected transfer result');
    checkAborted(options.signal, 'clone');
    const { head, insomnia } = receive;
    // an empty remote (no commit, no branch: just created on a hosting service) is cloned as git clone makes it
    const emptyRemote = !head && (await refsOnDisk(external ? c.gitdir : hiddenGitdir, 'refs/')).size === 0;
    if (!emptyRemote && insomnia && !insomnia.legacy && insomnia.v5Files.length === 0) {
      throw new GitError(
        GitErrorCode.NotAnInsomniaRepo,
        `${stored} holds no Insomnia data: no .insomnia/ folder and no Insomnia v5 file (a YAML file whose first line declares collection.insomnia.rest/5.0 or similar).`,
      );
    }
    if (!external) await fsp.rename(hiddenGitdir, c.gitdir);
    if (emptyRemote) await setUpEmptyClone(tmpClient, external ? undefined : await probeRemoteHead(http, parsed.url, headers), options.onMessage);
    if (options.author) await tmpClient.setAuthor(options.author);
    // isomorphic-git stored the URL it connected to; the user's git stored the given one itself
    if (!external && stored !== parsed.url) await isogit().setConfig({ fs: c.fs, gitdir: c.gitdir, path: `remote.${DEFAULT_REMOTE}.url`, value: stored });
    if (head && !external) {
      // reflog entries as git clone writes them (the user's git wrote its own)
      const message = `clone: from ${redact(stored)}`;
      const branch = await tmpClient.currentBranch();
      if (branch) await c.reflog(`refs/heads/${branch}`, null, head, message);
      await c.reflog('HEAD', null, head, message);
      const remoteHead = await c.resolve(`refs/remotes/${DEFAULT_REMOTE}/HEAD`);
      if (remoteHead) await c.reflog(`refs/remotes/${DEFAULT_REMOTE}/HEAD`, null, remoteHead, message);
    }
    checkAborted(options.signal, 'clone');
    if ((await isEmptyDir(target)) === true) await fsp.rmdir(target);
    await fsp.rename(tmp, target);
    return new GitClient(target, options);
  } catch (err) {
    await fsp.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw err instanceof GitError ? err : toGitError(err, ctxBase);
  }
}

