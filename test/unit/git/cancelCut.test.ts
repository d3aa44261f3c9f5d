// Cancel and cut: fetch, pull, push and clone interrupted at seeded random moments, by the AbortSignal the extension
// passes (a cancelled progress notification) and by a loopback proxy (test/support/cutProxy.ts) that cuts (FIN or
// RST) or stalls the connection to the git server after N bytes: mid-advertisement, mid-pack, mid-upload, mid-report.
// After each: the refs are what they were (`git for-each-ref`), HEAD, index and files too, `git fsck --full
// --strict` is clean with no garbage left in .git, a clone left no folder, and the error says what happened (a
// timeout says it timed out, a cut that the connection was cut and what that changed, a cancel that it was
// cancelled). Then the same operation without a fault works.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { GitClient } from '../../../src/git/gitClient';
import { GitError, GitErrorCode } from '../../../src/git/gitError';
import { CutProxy, type FaultAction, type FaultRule } from '../../support/cutProxy';
import { GitServer } from '../../support/gitServer';
import { TransferWorkerClient } from '../../../src/git/transferWorkerClient';
import { AUTHOR, gitCli, gitCliAsync, initRepo, legacySeed, prng, TempDirs, writeFiles, sourceTransferWorker } from './gitTestRepos';

const TOKEN = 'secret-token';
const auth = { getCredentials: () => ({ token: TOKEN }), requestCredentials: async () => undefined };
/** a stalled connection fails after this long without a byte (only where a stall is the fault: a busy machine's
 * server can be silent for longer than that before its first byte). */
const IDLE_MS = 300;
const PATIENT_MS = 15_000;
/** per operation: stop starting new attempts after this long (the kinds below all run first). */
const TIME_CAP_MS = 25_000;

/** Text that does not compress away, so a pack has many bytes to cut in. */
function noise(random: () => number, lines: number): string {
  let out = '';
  for (let i = 0; i < lines; i++) out += `line ${i}: ${Math.floor(random() * 2 ** 52).toString(36)} ${Math.floor(random() * 2 ** 52).toString(36)}\n`;
  return out;
}

type Op = 'fetch' | 'pull' | 'push' | 'clone';

/** Where a fault happens: which exchange, which direction, and what is done. */
interface FaultKind {
  name: string;
  /** the exchange: the ref advertisement, or the POST (pack download, or the push's upload and report). */
  exchange: 'advertisement' | 'post';
  direction: 'request' | 'response';
  action: FaultAction | 'cancel';
}

const DOWNLOAD_KINDS: FaultKind[] = [
  { name: 'advertisement cut', exchange: 'advertisement', direction: 'response', action: 'cut' },
  { name: 'advertisement reset', exchange: 'advertisement', direction: 'response', action: 'reset' },
  { name: 'advertisement stalled', exchange: 'advertisement', direction: 'response', action: 'stall' },
  { name: 'pack cut', exchange: 'post', direction: 'response', action: 'cut' },
  { name: 'pack reset', exchange: 'post', direction: 'response', action: 'reset' },
  { name: 'pack stalled', exchange: 'post', direction: 'response', action: 'stall' },
  { name: 'cancelled mid-advertisement', exchange: 'advertisement', direction: 'response', action: 'cancel' },
  { name: 'cancelled mid-pack', exchange: 'post', direction: 'response', action: 'cancel' },
];

const PUSH_KINDS: FaultKind[] = [
  { name: 'advertisement cut', exchange: 'advertisement', direction: 'response', action: 'cut' },
  { name: 'advertisement stalled', exchange: 'advertisement', direction: 'response', action: 'stall' },
  { name: 'upload cut', exchange: 'post', direction: 'request', action: 'cut' },
  { name: 'upload reset', exchange: 'post', direction: 'request', action: 'reset' },
  { name: 'upload stalled', exchange: 'post', direction: 'request', action: 'stall' },
  { name: 'report cut', exchange: 'post', direction: 'response', action: 'cut' },
  { name: 'cancelled mid-upload', exchange: 'post', direction: 'request', action: 'cancel' },
];

function fsckClean(dir: string, context: string): void {
  try {
    execFileSync('git', ['fsck', '--full', '--strict', '--no-progress'], { cwd: dir, stdio: 'pipe' });
  } catch (err) {
    assert.fail(`git fsck failed ${context}: ${String((err as { stderr?: Buffer }).stderr ?? err)}`);
  }
  const counts = gitCli(dir, 'count-objects', '-v');
  assert.match(counts, /^garbage: 0$/m, `garbage left in .git ${context}: ${counts}`);
  const leftovers = execFileSync('find', [fs.existsSync(path.join(dir, '.git')) ? path.join(dir, '.git') : dir, '-name', '*.hammock-*', '-o', '-name', 'tmp_obj_*', '-o', '-name', 'tmp_pack_*'])
    .toString()
    .trim();
  assert.strictEqual(leftovers, '', `temporary files left ${context}`);
}

/** HEAD, refs, index and status: what must not move when an operation fails. */
function state(dir: string): string {
  return [gitCli(dir, 'for-each-ref'), gitCli(dir, 'rev-parse', 'HEAD'), gitCli(dir, 'ls-files', '-s'), gitCli(dir, 'status', '--porcelain=v1', '-uall')].join('\n--\n');
}

describe('cancel and cut: fetch, pull, push and clone interrupted at random moments', function () {
  this.timeout(120_000);
  const tmp = new TempDirs();
  let server: GitServer;
  let proxy: CutProxy;
  let seed: string;
  /** a Hammock clone one commit behind the remote, with a commit of its own (pull merges); copied per attempt. */
  let pristine: string;

  before(async () => {
    server = await GitServer.start({ projectRoot: tmp.make('hammock-cut-srv-'), token: TOKEN });
    proxy = await CutProxy.start(server.port);
    const random = prng(1313);
    const files = legacySeed(2);
    for (let i = 0; i < 24; i++) files[`docs/file_${i}.txt`] = noise(random, 60);
    seed = initRepo(tmp.make('hammock-cut-seed-'), files);
    server.createBareRepo('r', { seedDir: seed });
    gitCli(seed, 'remote', 'add', 'origin', server.url('r').replace('://', `://u:${TOKEN}@`));
    pristine = path.join(tmp.make('hammock-cut-wc-'), 'wc');
    await GitClient.clone({ url: server.url('r'), dir: pristine, auth, author: AUTHOR });
    // the remote moves on: the next fetch brings a pack of new objects
    const incoming: Record<string, string> = {};
    for (let i = 0; i < 24; i += 2) incoming[`docs/file_${i}.txt`] = noise(random, 60);
    writeFiles(seed, incoming);
    gitCli(seed, 'add', '-A');
    gitCli(seed, 'commit', '-q', '-m', 'incoming');
    await gitCliAsync(seed, 'push', '-q', 'origin', 'HEAD:main');
    // and so does the local copy, in another file (so the pull is a merge)
    writeFiles(pristine, { 'local.txt': noise(random, 20) });
    gitCli(pristine, 'add', 'local.txt');
    gitCli(pristine, '-c', `user.name=${AUTHOR.name}`, '-c', `user.email=${AUTHOR.email}`, 'commit', '-q', '-m', 'local');
  });
  after(async () => {
    await proxy?.close();
    await server?.close();
    tmp.cleanup();
  });

  let copies = 0;
  /** A fresh copy of the pristine working copy, its remote going through the proxy. */
  function copy(): string {
    const dir = path.join(tmp.make('hammock-cut-try-'), `wc${++copies}`);
    execFileSync('cp', ['-a', pristine, dir]);
    gitCli(dir, 'remote', 'set-url', 'origin', proxy.url('r'));
    return dir;
  }

  /** set while the attempts run in the transfer worker the extension uses (fetch, pull's fetch, clone). */
  let transferWorker: TransferWorkerClient | undefined;

  function client(dir: string, idleTimeoutMs = PATIENT_MS): GitClient {
    return new GitClient(dir, { auth, transport: { idleTimeoutMs }, transferWorker });
  }

  /** A commit of new content on a new branch `name` (so each push has a pack of its own to send). */
  function commitForPush(dir: string, name: string, random: () => number): string {
    gitCli(dir, 'checkout', '-q', '-b', name);
    writeFiles(dir, { [`pushed/${name}.txt`]: noise(random, 400) });
    gitCli(dir, 'add', '-A');
    gitCli(dir, '-c', `user.name=${AUTHOR.name}`, '-c', `user.email=${AUTHOR.email}`, 'commit', '-q', '-m', name);
    return gitCli(dir, 'rev-parse', 'HEAD');
  }

  /** Runs `op` once without a fault and returns the bytes of its advertisement and POST exchanges, and its time. */
  async function measure(op: Op, random: () => number): Promise<{ advertisement: { request: number; response: number }; post: { request: number; response: number }; ms: number }> {
    proxy.setRule(undefined);
    const started = Date.now();
    if (op === 'clone') {
      await GitClient.clone({ url: proxy.url('r'), dir: path.join(tmp.make('hammock-cut-measure-'), 'c'), auth, author: AUTHOR, transferWorker });
    } else {
      const dir = copy();
      if (op === 'push') commitForPush(dir, 'measure', random);
      await client(dir)[op]();
    }
    const ms = Date.now() - started;
    const adv = proxy.exchanges.filter((e) => /^GET .*info\/refs/.test(e.line)).pop()!;
    const post = proxy.exchanges.filter((e) => /^POST /.test(e.line)).pop()!;
    return { advertisement: { request: adv.requestBytes, response: adv.responseBytes }, post: { request: post.requestBytes, response: post.responseBytes }, ms };
  }

  async function attempts(op: Op, kinds: FaultKind[], seedNumber: number): Promise<void> {
    const random = prng(seedNumber);
    const sizes = await measure(op, random);
    const started = Date.now();
    // every kind once, in order, then random kinds and random moments until the time cap
    const plan: (FaultKind | 'cancel at a random time' | 'cancel while indexing')[] = [...kinds, 'cancel at a random time', 'cancel at a random time'];
    if (op !== 'push') plan.push('cancel while indexing');
    for (let extra = 0; extra < 6; extra++) plan.push(random() < 0.25 ? 'cancel at a random time' : kinds[Math.floor(random() * kinds.length)]);
    let ran = 0;
    for (const [k, kind] of plan.entries()) {
      if (k >= kinds.length + 2 && Date.now() - started > TIME_CAP_MS) break;
      ran++;
      const abort = new AbortController();
      let rule: FaultRule | undefined;
      let label: string;
      let cancelTimer: NodeJS.Timeout | undefined;
      let onProgress: ((p: { phase: string }) => void) | undefined;
      if (kind === 'cancel while indexing') {
        // the pack is stored; isomorphic-git is indexing it (its .idx not written yet)
        label = 'cancelled while the pack is indexed';
        onProgress = (p) => {
          if (/Receiving objects|Resolving deltas/.test(p.phase)) abort.abort();
        };
      } else if (kind === 'cancel at a random time') {
        const delay = Math.floor(random() * sizes.ms * 1.2);
        label = `cancelled after ${delay} ms`;
        cancelTimer = setTimeout(() => abort.abort(), delay);
      } else {
        const total = sizes[kind.exchange][kind.direction];
        // a random byte strictly inside the exchange (past the HTTP head for a response)
        const low = kind.direction === 'response' ? Math.min(total - 2, 200) : Math.min(total - 2, 300);
        const afterBytes = low + 1 + Math.floor(random() * (total - low - 1));
        label = `${kind.name} after ${afterBytes} of ${total} bytes`;
        rule = {
          request: kind.exchange === 'advertisement' ? /^GET .*info\/refs/ : /^POST /,
          direction: kind.direction,
          afterBytes,
          action: kind.action === 'cancel' ? 'none' : kind.action,
          onFire: kind.action === 'cancel' ? () => abort.abort() : undefined,
        };
      }
      const context = `(${op}, attempt ${k + 1}: ${label})`;
      proxy.setRule(rule);
      let dir: string;
      let before = '';
      let pushed: string | undefined;
      let remoteBefore = '';
      if (op === 'clone') {
        dir = path.join(tmp.make('hammock-cut-clone-'), 'repo');
      } else {
        dir = copy();
        if (op === 'push') {
          pushed = commitForPush(dir, `attempt-${seedNumber}-${k}`, random);
          remoteBefore = gitCli(path.join(server.projectRoot, 'r.git'), 'for-each-ref');
        }
        before = state(dir);
      }
      let error: unknown;
      const t0 = Date.now();
      const idleTimeoutMs = typeof kind !== 'string' && kind.action === 'stall' ? IDLE_MS : PATIENT_MS;
      try {
        if (op === 'clone') await GitClient.clone({ url: proxy.url('r'), dir, auth, author: AUTHOR, signal: abort.signal, onProgress, transport: { idleTimeoutMs }, transferWorker });
        else await client(dir, idleTimeoutMs)[op]({ signal: abort.signal, onProgress });
      } catch (err) {
        error = err;
      }
      const took = Date.now() - t0;
      clearTimeout(cancelTimer);
      proxy.setRule(undefined);

      if (rule) assert.ok(proxy.fired || error, `the fault never happened ${context}`);
      const cancelled = abort.signal.aborted;
      if (error === undefined) {
        // only a cancel that came too late may let the operation finish
        assert.ok(kind === 'cancel at a random time' || (rule && !proxy.fired), `succeeded although interrupted ${context}`);
      } else {
        assert.ok(error instanceof GitError, `not a GitError ${context}: ${String(error)}`);
        const e = error;
        if (cancelled) {
          assert.strictEqual(e.code, GitErrorCode.Cancelled, `${e.code}: ${e.message} ${context}`);
          assert.match(e.message, /was cancelled/);
        } else if (typeof kind !== 'string' && kind.action === 'stall') {
          assert.strictEqual(e.code, GitErrorCode.NetworkUnreachable, `${e.code}: ${e.message} ${context}`);
          assert.strictEqual(e.details.networkCode, 'ETIMEDOUT', `${e.message} ${context}`);
          assert.match(e.message, /timed out/);
          assert.ok(took < IDLE_MS * 20, `a stall took ${took} ms to be reported ${context}`);
        } else {
          assert.strictEqual(e.code, GitErrorCode.NetworkUnreachable, `${e.code}: ${e.message} ${context}`);
          assert.match(e.message, /connection to .* was cut/, `${e.message} ${context}`);
          assert.match(e.message, op === 'clone' ? /nothing was cloned/ : op === 'push' ? /branches are unchanged/ : /nothing was changed/, context);
        }
      }

      if (op === 'clone') {
        if (error !== undefined) assert.deepStrictEqual(fs.readdirSync(path.dirname(dir)), [], `a failed clone left files ${context}`);
        else fsckClean(dir, context);
        continue;
      }
      fsckClean(dir, context);
      if (error !== undefined) {
        const now = state(dir);
        if (op === 'pull' && cancelled && now !== before) {
          // cancelled after its fetch had finished: the remote-tracking refs may have moved to what the remote has
          // (their objects are all there: fsck above), as git's would; HEAD, branches, index and files may not
          const local = (st: string): string => st.replace(/^.*\trefs\/remotes\/.*\n?/gm, '');
          assert.strictEqual(local(now), local(before), `HEAD, branches, index or files changed ${context}`);
          const remote = gitCli(path.join(server.projectRoot, 'r.git'), 'rev-parse', 'main');
          assert.strictEqual(gitCli(dir, 'rev-parse', 'refs/remotes/origin/main'), remote, context);
        } else assert.strictEqual(now, before, `refs, HEAD, index or files changed ${context}`);
      }
      if (op === 'push') {
        const bare = path.join(server.projectRoot, 'r.git');
        fsckClean(bare, `on the remote ${context}`);
        const name = `refs/heads/attempt-${seedNumber}-${k}`;
        const now = gitCli(bare, 'for-each-ref', name, '--format=%(objectname)');
        if (error === undefined) assert.strictEqual(now, pushed, context);
        else {
          // only the pushed branch may have arrived (when the answer was lost after the remote took it)
          assert.ok(now === '' || now === pushed, `the remote's ${name} is ${now} ${context}`);
          // an upload cut or stalled midway never lands (a cancel may come after the last byte was sent: it can)
          if (typeof kind !== 'string' && kind.direction === 'request' && kind.action !== 'cancel') assert.strictEqual(now, '', `an upload that was cut updated the remote ${context}`);
          if (now === pushed && cancelled) assert.match((error as GitError).message, /remote may have received it/, context);
          const others = gitCli(bare, 'for-each-ref').split('\n').filter((l) => !l.endsWith(name)).join('\n');
          assert.strictEqual(others, remoteBefore, context);
        }
      }
      // the same operation without a fault works afterwards (twice per operation, to stay fast)
      if (error !== undefined && (k === 0 || k === kinds.length - 1)) {
        if (op === 'push') {
          await client(dir)
            .push()
            .catch((e: unknown) => {
              if (!(e instanceof GitError && e.code === GitErrorCode.NothingToPush)) throw e;
            });
        } else await client(dir)[op]();
        fsckClean(dir, `after the redo ${context}`);
      }
    }
    assert.ok(ran >= kinds.length + 2, `only ${ran} attempts ran`);
  }

  it('fetch: cut, reset and stalled mid-advertisement and mid-pack, cancelled at random bytes and times', async () => {
    await attempts('fetch', DOWNLOAD_KINDS, 1301);
  });

  it('pull: the same faults, and HEAD, index and files stay as they were', async () => {
    await attempts('pull', DOWNLOAD_KINDS, 1302);
  });

  it('push: cut, reset and stalled mid-advertisement, mid-upload and mid-report, cancelled mid-upload', async () => {
    await attempts('push', PUSH_KINDS, 1303);
  });

  it('clone: the same faults, and no folder is left behind', async () => {
    await attempts('clone', DOWNLOAD_KINDS, 1304);
  });

  describe('through the transfer worker (src/git/transferWorker.ts, as the extension runs them)', () => {
    before(() => {
      transferWorker = sourceTransferWorker();
    });
    after(() => {
      transferWorker?.dispose();
      transferWorker = undefined;
    });

    it('pull (its fetch in the worker): the same faults, and HEAD, index and files stay as they were', async () => {
      await attempts('pull', DOWNLOAD_KINDS, 1312);
    });

    it('clone: the same faults, and no folder is left behind', async () => {
      await attempts('clone', DOWNLOAD_KINDS, 1314);
    });
  });
});
