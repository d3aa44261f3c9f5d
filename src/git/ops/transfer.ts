// The heavy half of clone and fetch, the same code in the extension host (a client without a transfer worker, the
// CLI, tests) and in the transfer worker (transferWorker.ts): receiving a pack through isomorphic-git, indexing it
// (GitPackIndex.fromPack + toBuffer: hundreds of ms of synchronous work for a 10,000-file pack), the checks a fetch
// makes before its refs move, and a clone's first checkout (10,000 files). Everything here talks to its caller
// through callbacks (auth, progress, remote lines) and one AbortSignal, so that a worker can forward them over
// messages. Pure: no 'vscode'.

import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import type { AuthCallback, AuthFailureCallback, AuthSuccessCallback, FsClient, HttpClient, ProgressCallback } from 'isomorphic-git';
import { isogit } from '../isogit';
import { findInsomniaContent, type InsomniaContent } from '../insomniaRepo';
import type { IndexLockOptions } from '../indexLock';
import { writeInitCoreConfig } from '../plumbing/fsCapabilities';
import { GitConfig } from '../plumbing/gitConfig';
import { gitFs, realGitPath, refsOnDisk, updateRefFile, withDeferredRefs, type AppliedRefs, type RefLog, type RefRejection } from '../plumbing/gitFs';
import { appendReflog, type ReflogIdentity } from '../plumbing/reflog';
import { readCommitTree, readObjectData, readRawTree } from '../plumbing/objects';
import { capturePacks, isUploadPackAdvertisement, isUploadPackRequest, pktLines } from '../packCapture';
import { packIndexer } from '../lazyPackIndexer';
import { treeOfCommit } from '../treeDiff';
import { switchTree, type ProgressEvent } from '../worktree';
import { isMissingRemoteHead } from './remoteHead';
import { isAncestor } from '../plumbing/ancestry';
import { nextTurn } from '../../util/nextTurn';

/** A clone's transfer (into `dir`, a new folder) and first checkout, or a fetch into an existing repository. */
export type TransferRequest =
  | {
      kind: 'clone';
      dir: string;
      /** the git directory to clone into (default `dir/.git`): the caller renames it `.git` once the clone is complete. */
      gitdir?: string;
      url: string;
      ref?: string;
      singleBranch?: boolean;
      depth?: number;
      headers: Record<string, string>;
      /** files per slice of isomorphic-git's own work (default 100). */
      batchSize?: number;
      /** the objects are already there (the user's git fetched them): only look for Insomnia data and check out. */
      objectsFetched?: boolean;
      /** look for Insomnia data (the caller refuses a repository without any). */
      probeInsomnia: boolean;
      lock?: IndexLockOptions;
    }
  | {
      kind: 'fetch';
      dir: string;
      gitdir: string;
      remote: string;
      /** the URL to connect to, url.<base>.insteadOf applied (ops/remote.ts connectUrl); `remote` names the refs. */
      url: string;
      ref?: string;
      /**
       * the ref to keep the fetched `ref` in, when the remote's refspecs map it nowhere (a pull request's
       * `refs/pull/12/head` into `refs/remotes/origin/pr/12`, as `git fetch origin +<ref>:<into>` does).
       */
      into?: string;
      prune?: boolean;
      headers: Record<string, string>;
      /** the reflog entries of the refs moved (`<action>: fast-forward`, ...), written while each ref is locked. */
      reflog?: { who: ReflogIdentity; action: string };
    };

/**
 * The remote-tracking refs of `refs` that git fetch would refuse to move: those whose refspec in
 * remote.<remote>.fetch is not forced (no leading `+`) and whose new commit does not descend from the one they hold
 * (git: "! [rejected] <branch> -> <remote>/<branch> (non-fast-forward)"). The default refspec is forced.
 */
async function refuseNonFastForwards(fs: FsClient, gitdir: string, cache: object, remote: string, refs: Map<string, string>, before: Map<string, string>): Promise<RefRejection[]> {
  const specs = ((await isogit().getConfigAll({ fs, gitdir, path: `remote.${remote}.fetch` }).catch(() => [])) as unknown[])
    .map(String)
    .filter((spec) => !spec.startsWith('^'))
    .map((spec) => {
      const forced = spec.startsWith('+');
      const [src, dst = ''] = (forced ? spec.slice(1) : spec).split(':');
      return { forced, src, dst };
    });
  const match = (pattern: string, ref: string): string | undefined => {
    const star = pattern.indexOf('*');
    if (star < 0) return pattern === ref ? '' : undefined;
    const [pre, post] = [pattern.slice(0, star), pattern.slice(star + 1)];
    return ref.length >= pre.length + post.length && ref.startsWith(pre) && ref.endsWith(post) ? ref.slice(pre.length, ref.length - post.length) : undefined;
  };
  const refused: RefRejection[] = [];
  for (const [ref, value] of refs) {
    const old = before.get(ref);
    if (!old || old === value || !/^[0-9a-f]{40}$/.test(old) || !/^[0-9a-f]{40}$/.test(value)) continue;
    const mapping = specs.filter((s) => match(s.dst, ref) !== undefined);
    if (!mapping.length || mapping.some((s) => s.forced)) continue;
    if (await isAncestor({ gitdir, cache }, old, value)) continue;
    const src = mapping[0].src.replace('*', match(mapping[0].dst, ref)!).replace(/^refs\/heads\//, '');
    refused.push({ ref, kind: 'nonFastForward', reason: `! [rejected] ${src} -> ${ref.replace(/^refs\/remotes\//, '')} (non-fast-forward)` });
  }
  return refused;
}

/** A remote-tracking ref a fetch moved. */
export interface MovedRef {
  ref: string;
  old: string | null;
  value: string;
}

export type TransferResult =
  | { kind: 'clone'; head: string | null; insomnia: InsomniaContent | undefined }
  | { kind: 'fetch'; moved: MovedRef[]; rejected: RefRejection[] };

/** What a transfer gets from its caller. */
export interface TransferHooks {
  fs: FsClient;
  http: HttpClient;
  /** isomorphic-git's cache for this repository. */
  cache: object;
  signal?: AbortSignal;
  onAuth: AuthCallback;
  onAuthFailure: AuthFailureCallback;
  onAuthSuccess: AuthSuccessCallback;
  onProgress?: (progress: ProgressEvent) => void;
  /** raw chunks of the remote's side-band text (the caller splits them into lines). */
  onMessage: (chunk: string) => void;
  /** this thread may block (the transfer worker's): a clone's files are written synchronously, in slices. */
  mayBlock?: boolean;
}

/** Progress phases isomorphic-git reports from the remote's lines, without awaiting the callback. */
const REMOTE_PHASES = /^(?:Enumerating|Counting|Compressing|Finding|Total|Writing)\b/i;

/**
 * isomorphic-git's progress callback: forwards, and stops the operation once it is cancelled by throwing from the
 * phases isomorphic-git awaits (indexing the pack, resolving deltas). The phases parsed from the remote's lines
 * are called without being awaited: a throw there would be an unhandled rejection, and the HTTP client stops
 * those transfers anyway.
 */
export function progressCallback(signal: AbortSignal | undefined, onProgress: ((p: ProgressEvent) => void) | undefined): ProgressCallback {
  let turn = performance.now();
  return async (p) => {
    if (signal?.aborted && !REMOTE_PHASES.test(p.phase)) throw Object.assign(new Error('aborted'), { code: 'ABORT_ERR', name: 'AbortError' });
    onProgress?.({ phase: p.phase, loaded: p.loaded, total: p.total });
    // isomorphic-git awaits this callback inside its long synchronous loops (indexing a received pack: seconds for
    // a 10,000-file clone): the event loop gets a turn there
    if (performance.now() - turn >= 8) {
      await nextTurn();
      turn = performance.now();
    }
  };
}

function abortError(): Error {
  return Object.assign(new Error('aborted'), { code: 'ABORT_ERR', name: 'AbortError' });
}

async function resolveOrNull(fs: FsClient, gitdir: string, ref: string): Promise<string | null> {
  try {
    return await isogit().resolveRef({ fs, gitdir, ref });
  } catch {
    return null;
  }
}

/**
 * Every commit a fetch is about to point a ref at must be readable, with its tree: else the transfer was cut. Read
 * through the pack reader (isomorphic-git would parse every pack index into a map and read the new pack whole).
 */
async function checkFetchedRefs(gitdir: string, cache: object, refs: Map<string, string>): Promise<void> {
  for (const oid of new Set(refs.values())) {
    if (!/^[0-9a-f]{40}$/.test(oid)) continue;
    try {
      await readRawTree(gitdir, cache, await readCommitTree(gitdir, cache, oid));
    } catch {
      throw Object.assign(new Error(`the objects of ${oid.slice(0, 7)} did not arrive`), { code: 'HAMMOCK_INCOMPLETE_TRANSFER' });
    }
  }
}

/**
 * The HTTP client for a transfer into `gitdir`: the received pack is indexed by packIndexer.ts and stored (pack,
 * then index, through `fs`: atomically, fsynced) rather than by isomorphic-git, when `fs` writes with promises. It
 * asks for a thin pack, as git fetch does (deltas on the objects we said we have: a pull of a few files of a
 * 10,000-file folder gets that folder's tree as a delta, not whole), and stores it completed with those bases.
 */
function packStoringHttp(http: HttpClient, fs: FsClient, gitdir: string, cache: object, onProgress: ProgressCallback, onObject?: (oid: Buffer, type: string, data: Buffer) => void): HttpClient {
  const write = (fs as { promises?: { writeFile?: (p: string, d: Uint8Array) => Promise<void> } }).promises?.writeFile;
  if (!write) return http;
  return capturePacks(http, async (pack) => {
    const indexed = await packIndexer().indexPack(pack, {
      onProgress: (phase, loaded, total) => onProgress({ phase, loaded, total }),
      external: (oid) => readObjectData(gitdir, cache, oid).catch(() => undefined),
      onObject,
      completeThin: true,
    });
    if (indexed.count === 0) return; // nothing new (isomorphic-git stores no empty pack either)
    const base = `${gitdir}/objects/pack/pack-${indexed.sha}`;
    await write.call((fs as { promises: object }).promises, `${base}.pack`, indexed.pack ?? pack);
    await write.call((fs as { promises: object }).promises, `${base}.idx`, indexed.idx);
  }, { thin: true });
}

/** The first branch (`refs/heads/...`) of a v1 ref advertisement (`<oid> <ref>[\0caps]` pkt-lines), if any. */
export function firstAdvertisedBranch(advertisement: Buffer): string | undefined {
  for (const line of pktLines(advertisement)) {
    const ref = /^[0-9a-f]{40,64} (refs\/heads\/\S+)$/.exec(line.split('\0')[0].trim())?.[1];
    if (ref) return ref;
  }
  return undefined;
}

/** The response body `body`, passed on as it comes; `onEnd` once it ended whole, `onError` if reading it failed. */
async function* observed(body: AsyncIterableIterator<Uint8Array>, onChunk: (c: Uint8Array) => void, onEnd: () => void, onError: (err: unknown) => void): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) {
      onChunk(chunk);
      yield chunk;
    }
    onEnd();
  } catch (err) {
    onError(err);
    throw err;
  }
}

/**
 * `http`, watched for a remote whose HEAD names no commit (remoteHead.ts): the first branch the ref advertisement
 * names, whether the negotiation (the upload-pack request) was made, and a promise of the end of its response (by
 * then `packStoringHttp` has stored its pack).
 */
function watchUploadPack(http: HttpClient, signal: AbortSignal | undefined): { http: HttpClient; advertisedBranch: () => string | undefined; negotiated: () => boolean; received: () => Promise<void> } {
  let negotiated = false;
  let branch: string | undefined;
  let ended: Promise<void> = Promise.resolve();
  let response: AsyncGenerator<Uint8Array> | undefined;
  // the rest of the response, read here: isomorphic-git stops reading at a fatal line (band 3), and the pack (with
  // a failed checksum, then) is handed on only at the end
  const drain = async (): Promise<void> => {
    while (response && !(await response.next()).done);
    await ended;
  };
  return {
    advertisedBranch: () => branch,
    negotiated: () => negotiated,
    received: () =>
      signal
        ? Promise.race([drain(), new Promise<void>((_, reject) => (signal.aborted ? reject(abortError()) : signal.addEventListener('abort', () => reject(abortError()), { once: true })))])
        : drain(),
    http: {
      async request(req) {
        const res = await http.request(req);
        if (!res.body || res.statusCode !== 200) return res;
        if (isUploadPackAdvertisement(req)) {
          const chunks: Buffer[] = [];
          const keep = (c: Uint8Array): void => void chunks.push(Buffer.from(c));
          return { ...res, body: observed(res.body, keep, () => (branch = firstAdvertisedBranch(Buffer.concat(chunks))), () => undefined) };
        }
        if (!isUploadPackRequest(req)) return res;
        negotiated = true;
        let done!: () => void;
        let failed!: (err: unknown) => void;
        ended = new Promise<void>((resolve, reject) => ((done = resolve), (failed = reject)));
        ended.catch(() => undefined);
        response = observed(res.body, () => undefined, () => done(), (err) => failed(err));
        return { ...res, body: response };
      },
    },
  };
}

/**
 * `refs/remotes/<remote>/HEAD` as git fetch leaves it: isomorphic-git writes the remote's HEAD on every fetch, git
 * never rewrites one that is there (the user's `git remote set-head` stands) and, since 2.48, creates a missing one:
 * remote.<name>.followRemoteHEAD "create" (the default), "warn" and "warn-if-not-<branch>" create a missing one,
 * "always" follows the remote, "never" leaves it as it is. `drop` keeps isomorphic-git's write from disk.
 */
export function keepRemoteHead(gitdir: string, remote: string | undefined, refs: Map<string, string>, drop: (ref: string) => void): void {
  const ref = `refs/remotes/${remote ?? 'origin'}/HEAD`;
  if (!refs.has(ref)) return;
  const follow = (GitConfig.load(gitdir).string(`remote.${remote ?? 'origin'}.followRemoteHEAD`) ?? 'create').toLowerCase();
  if (follow === 'always') return;
  let present = false;
  try {
    nodeFs.lstatSync(realGitPath(path.join(gitdir, ref)));
    present = true;
  } catch {
    // absent (a symbolic ref is never in packed-refs)
  }
  if (present || follow === 'never') {
    drop(ref);
    refs.delete(ref);
  }
}

/** blob bytes a clone keeps from its pack for its checkout. */
const RECEIVED_BLOB_BYTES = 64 * 2 ** 20;

export async function runTransfer(req: TransferRequest, hooks: TransferHooks): Promise<TransferResult> {
  const onProgress = progressCallback(hooks.signal, hooks.onProgress);
  const auth = { onAuth: hooks.onAuth, onAuthFailure: hooks.onAuthFailure, onAuthSuccess: hooks.onAuthSuccess };
  if (req.kind === 'fetch') {
    const { fs, cache } = hooks;
    const moved: MovedRef[] = [];
    // the remote-tracking refs as they are before the transfer: each moves only from that value (git fetch reads
    // them before asking for the pack and checks them under each ref's lock), so one another git command moved
    // meanwhile (VS Code's autofetch) is never set back
    const before = await refsOnDisk(req.gitdir, 'refs/remotes/');
    /** updates a non-forced refspec does not allow (not fast-forwards). */
    const refusedEarly: RefRejection[] = [];
    // the remote-tracking refs move only once the objects they name are stored (isomorphic-git writes them
    // before the pack has arrived: a cut or cancelled fetch left refs pointing at missing commits)
    const deferred =
      fs === gitFs
        ? withDeferredRefs
        : async <T>(_g: string, fn: (fs: FsClient) => Promise<T>, check: (refs: Map<string, string>, drop: (ref: string) => void) => Promise<void>) => {
            const value = await fn(fs);
            await check(new Map(), () => undefined);
            const none: AppliedRefs = { applied: new Set<string>(), rejected: [] };
            return { value, ...none };
          };
    /** what the fetch of `req.ref` got (isomorphic-git's FETCH_HEAD), for `req.into`. */
    let fetchedOid: string | undefined;
    const fetchInto = async (dfs: FsClient, remoteRef?: string): Promise<void> => {
      const watched = watchUploadPack(packStoringHttp(hooks.http, dfs, req.gitdir, cache, onProgress), hooks.signal);
      try {
        const fetched = await isogit().fetch({
          remoteRef,
          fs: dfs,
          http: watched.http,
          dir: req.dir,
          gitdir: req.gitdir,
          remote: req.remote,
          url: req.url,
          ref: req.ref,
          singleBranch: !!req.ref,
          tags: false,
          prune: req.prune,
          headers: req.headers,
          ...auth,
          onProgress,
          onMessage: hooks.onMessage,
          cache,
        });
        fetchedOid = fetched.fetchHead ?? undefined;
      } catch (err) {
        // a remote whose HEAD names no commit (isomorphic-git #1654, remoteHead.ts): once the pack was asked for,
        // isomorphic-git has written the remote-tracking refs (into the overlay) and throws only when it looks up
        // the remote's HEAD, which git fetch does not need. The pack is stored when its response ends; the refs
        // then move as for any fetch, once their objects are checked.
        if (!isMissingRemoteHead(err)) throw err;
        if (watched.negotiated()) {
          await watched.received();
          return;
        }
        // before that, it resolves the remote's HEAD when it has no other ref to name (a fetch of every branch from
        // a branch without upstream, or a detached HEAD): once more, naming a branch the remote has (every branch
        // is fetched all the same)
        const branch = watched.advertisedBranch();
        if (remoteRef || req.ref || !branch) throw err;
        await fetchInto(dfs, branch);
      }
    };
    // git's reflog entry for a remote-tracking ref (fetch.c, update_local_ref)
    const reflog = req.reflog;
    const log: RefLog | undefined =
      reflog &&
      (async (ref, old, value) => {
        const how = !old ? 'storing head' : (await isAncestor({ gitdir: req.gitdir, cache }, old, value).catch(() => false)) ? 'fast-forward' : 'forced-update';
        await appendReflog(req.gitdir, ref, old, value, reflog.who, `${reflog.action}: ${how}`);
      });
    const { applied, rejected } = await deferred(
      req.gitdir,
      fetchInto,
      async (refs, drop) => {
        if (hooks.signal?.aborted) throw abortError();
        keepRemoteHead(req.gitdir, req.remote, refs, drop);
        if (req.into) {
          if (!fetchedOid || !/^[0-9a-f]{40}$/.test(fetchedOid)) throw new Error(`the fetch of ${req.ref} named no commit`);
          refs.set(req.into, fetchedOid);
        }
        await checkFetchedRefs(req.gitdir, cache, refs);
        for (const r of await refuseNonFastForwards(fs, req.gitdir, cache, req.remote, refs, before)) {
          drop(r.ref);
          refs.delete(r.ref);
          refusedEarly.push(r);
        }
        for (const [ref, value] of refs) {
          if (!ref.startsWith('refs/remotes/') || !/^[0-9a-f]{40}$/.test(value)) continue;
          const old = before.get(ref) ?? null;
          if (old !== value) moved.push({ ref, old, value });
        }
      },
      { prefix: 'refs/remotes/', values: before },
      log,
    );
    if (req.into) {
      // written as git fetch writes it: under its lock, after the objects it names were checked
      const into = moved.find((m) => m.ref === req.into);
      if (into) await updateRefFile(req.gitdir, into.ref, into.value, into.old, log);
    }
    // no reflog entry for a ref not written (refused, or already moved there by another git command)
    return { kind: 'fetch', moved: moved.filter((m) => applied.has(m.ref) || m.ref === req.into), rejected: [...refusedEarly, ...rejected] };
  }

  const gitdir = req.gitdir ?? `${req.dir}/.git`;
  // the blobs of the received pack, kept (up to RECEIVED_BLOB_BYTES) for the checkout that follows: it then
  // inflates none of them again
  const received = new Map<string, Buffer>();
  let receivedBytes = 0;
  const keepBlob = (oid: Buffer, type: string, data: Buffer): void => {
    if (type !== 'blob' || receivedBytes + data.length > RECEIVED_BLOB_BYTES) return;
    received.set(oid.toString('hex'), data);
    receivedBytes += data.length;
  };
  if (!req.objectsFetched) {
    await isogit().clone({
      fs: hooks.fs,
      http: packStoringHttp(hooks.http, hooks.fs, gitdir, hooks.cache, onProgress, keepBlob),
      dir: req.dir,
      gitdir,
      url: req.url,
      ref: req.ref,
      singleBranch: req.singleBranch ?? false,
      depth: req.depth,
      noCheckout: true,
      noTags: true,
      headers: req.headers,
      ...auth,
      onProgress,
      onMessage: hooks.onMessage,
      cache: hooks.cache,
      nonBlocking: true,
      batchSize: req.batchSize ?? 100,
    });
    // isomorphic-git's init wrote its own [core] (no file modes, no symlinks, case-insensitive): git's instead
    await writeInitCoreConfig(gitdir, (key, value) => isogit().setConfig({ fs: hooks.fs, gitdir, path: key, value }));
  }
  if (hooks.signal?.aborted) throw abortError();
  const head = await resolveOrNull(hooks.fs, gitdir, 'HEAD');
  const insomnia = req.probeInsomnia ? (head ? await findInsomniaContent(gitdir, hooks.cache, head) : { legacy: false, v5Files: [] }) : undefined;
  if (head && (!insomnia || insomnia.legacy || insomnia.v5Files.length)) {
    const tree = await treeOfCommit({ gitdir, cache: hooks.cache }, head);
    await switchTree({ dir: req.dir, gitdir, cache: hooks.cache, lock: req.lock }, null, tree, {
      operation: 'clone',
      fresh: true,
      mayBlock: hooks.mayBlock,
      received,
      onProgress: hooks.onProgress,
      signal: hooks.signal,
    });
  }
  return { kind: 'clone', head, insomnia };
}
