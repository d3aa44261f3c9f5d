// Clone and fetch through the transfer worker (src/git/transferWorker.ts), as the extension runs them, against a
// real smart-HTTP git server on loopback, with the git CLI as the oracle: the same checkout, index and refs as a
// clone in this thread, progress and the auth prompt across the thread boundary, a cancel that leaves no folder,
// the remote's errors translated as on this thread, and a worker that dies failing the clone cleanly.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { GitAuthProvider, GitCredentials } from '../../../src/git/auth';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import type { ProgressEvent } from '../../../src/git/worktree';
import { TransferWorkerClient } from '../../../src/git/transferWorkerClient';
import { progressPoster } from '../../../src/git/transferWorker';
import { GitServer } from '../../support/gitServer';
import { AUTHOR, commitFiles, gitCli, gitCliAsync, initRepo, legacySeed, rejects, requestYaml, TempDirs, sourceTransferWorker } from './gitTestRepos';

const TOKEN = 'secret-token';

function tokenAuth(token: string | undefined, onRequest?: () => GitCredentials | undefined): GitAuthProvider & { asked: number; accepted: number } {
  const p = {
    asked: 0,
    accepted: 0,
    getCredentials: () => (token ? { token } : undefined),
    requestCredentials: async () => {
      p.asked++;
      return onRequest?.();
    },
    credentialsAccepted: () => {
      p.accepted++;
    },
  };
  return p;
}

/** What git says about a working copy: HEAD, refs, the index as `ls-files -s`, status, fsck. */
function gitView(dir: string): { head: string; refs: string; index: string; status: string; fsck: string } {
  return {
    head: gitCli(dir, 'rev-parse', 'HEAD'),
    refs: gitCli(dir, 'for-each-ref', '--format=%(refname) %(objectname)'),
    index: gitCli(dir, 'ls-files', '-s'),
    status: gitCli(dir, 'status', '--porcelain'),
    fsck: gitCli(dir, 'fsck', '--strict', '--no-dangling'),
  };
}

describe('transfer worker: clone and fetch off the extension host thread', function () {
  this.timeout(120_000);
  const tmp = new TempDirs();
  let server: GitServer;
  let worker: TransferWorkerClient;
  let n = 0;

  before(async () => {
    server = await GitServer.start({ projectRoot: tmp.make('hammock-tw-srv-'), token: TOKEN });
    worker = sourceTransferWorker();
  });
  after(async () => {
    worker.dispose();
    await server.close();
    tmp.cleanup();
  });

  function seededRemote(files: Record<string, string> = legacySeed(40)): { url: string; seed: string } {
    const seed = initRepo(tmp.make('hammock-tw-seed-'), files);
    const name = `tw${++n}`;
    server.createBareRepo(name, { seedDir: seed });
    return { url: server.url(name), seed };
  }

  it('clones as a clone on this thread does: the same HEAD, refs, index and files, fsck clean, with progress', async () => {
    const { url } = seededRemote();
    const phases = new Set<string>();
    const inWorker = await GitClient.clone({ url, dir: path.join(tmp.make('hammock-tw-'), 'w'), auth: tokenAuth(TOKEN), author: AUTHOR, transferWorker: worker, onProgress: (p: ProgressEvent) => phases.add(p.phase) });
    const here = await GitClient.clone({ url, dir: path.join(tmp.make('hammock-tw-'), 'h'), auth: tokenAuth(TOKEN), author: AUTHOR });
    const w = gitView(inWorker.dir);
    const h = gitView(here.dir);
    assert.deepStrictEqual(w, h);
    assert.strictEqual(w.status, '');
    assert.strictEqual(w.fsck, '');
    for (const f of gitCli(here.dir, 'ls-files').split('\n').filter(Boolean)) {
      assert.ok(fs.readFileSync(path.join(inWorker.dir, f)).equals(fs.readFileSync(path.join(here.dir, f))), f);
    }
    assert.ok(phases.has('Receiving objects') || phases.has('Resolving deltas'), `the worker's progress arrived: ${[...phases].join(', ')}`);
    assert.match(gitCli(inWorker.dir, 'reflog', '-1', 'HEAD'), /clone: from/);
  });

  it('asks for a token across the thread (401, then the prompt), and reports it accepted', async () => {
    const { url } = seededRemote();
    const auth = tokenAuth(undefined, () => ({ token: TOKEN }));
    const client = await GitClient.clone({ url, dir: path.join(tmp.make('hammock-tw-'), 'a'), auth, transferWorker: worker });
    assert.strictEqual(auth.asked, 1);
    assert.strictEqual(auth.accepted, 1);
    assert.strictEqual(gitCli(client.dir, 'status', '--porcelain'), '');
  });

  it('a refused token, a missing repository and a repository without Insomnia data give the errors they give on this thread', async () => {
    const { url } = seededRemote();
    const parent = tmp.make('hammock-tw-');
    await rejects(GitClient.clone({ url, dir: path.join(parent, 'x'), auth: tokenAuth('wrong'), transferWorker: worker }), GitErrorCode.AuthFailed);
    await rejects(GitClient.clone({ url: server.url('missing'), dir: path.join(parent, 'y'), auth: tokenAuth(TOKEN), transferWorker: worker }), GitErrorCode.RepositoryNotFound);
    const plain = seededRemote({ 'README.md': 'no collections here\n' });
    await rejects(GitClient.clone({ url: plain.url, dir: path.join(parent, 'z'), auth: tokenAuth(TOKEN), transferWorker: worker }), GitErrorCode.NotAnInsomniaRepo);
    assert.deepStrictEqual(fs.readdirSync(parent), [], 'no folder is left behind');
  });

  it('a clone cancelled while the worker works is Cancelled and leaves no folder; the worker serves the next one', async () => {
    const { url } = seededRemote(legacySeed(400));
    const parent = tmp.make('hammock-tw-');
    const abort = new AbortController();
    let seen = 0;
    const err = await rejects(
      GitClient.clone({
        url,
        dir: path.join(parent, 'c'),
        auth: tokenAuth(TOKEN),
        transferWorker: worker,
        signal: abort.signal,
        onProgress: () => {
          if (++seen === 1) abort.abort();
        },
      }),
      GitErrorCode.Cancelled,
    );
    assert.match(err.message, /was cancelled/);
    assert.ok(seen > 0);
    assert.deepStrictEqual(fs.readdirSync(parent), []);
    const next = await GitClient.clone({ url, dir: path.join(parent, 'd'), auth: tokenAuth(TOKEN), transferWorker: worker });
    assert.strictEqual(gitCli(next.dir, 'status', '--porcelain'), '');
  });

  it('a worker that dies mid-clone fails the clone with an error and leaves no folder', async () => {
    const { url } = seededRemote(legacySeed(400));
    const parent = tmp.make('hammock-tw-');
    const doomed = sourceTransferWorker();
    let killed = false;
    const p = GitClient.clone({
      url,
      dir: path.join(parent, 'k'),
      auth: tokenAuth(TOKEN),
      transferWorker: doomed,
      onProgress: () => {
        if (!killed) {
          killed = true;
          doomed.dispose();
        }
      },
    });
    await assert.rejects(p);
    assert.ok(killed);
    // the temporary folder is removed after the failure
    assert.deepStrictEqual(fs.readdirSync(parent), []);
  });

  it("a progress callback that throws fails the clone with its error once the worker stopped, and leaves no folder", async () => {
    const { url } = seededRemote();
    const parent = tmp.make('hammock-tw-');
    const boom = new Error('the caller gave up');
    await assert.rejects(
      GitClient.clone({
        url,
        dir: path.join(parent, 'p'),
        auth: tokenAuth(TOKEN),
        transferWorker: worker,
        onProgress: () => {
          throw boom;
        },
      }),
      (err: Error) => err.message.includes('the caller gave up'),
    );
    assert.deepStrictEqual(fs.readdirSync(parent), []);
  });

  it('checks out executables, symlinks, a submodule entry and eol conversion as git clone does', async () => {
    const seed = initRepo(tmp.make('hammock-tw-seed-'), { ...legacySeed(30), '.gitattributes': '*.txt eol=crlf\n', 'docs/notes.txt': 'one\ntwo\n', 'deep/a/b/c/d.yml': 'x: 1\n', 'run.sh': '#!/bin/sh\necho hi\n' });
    fs.chmodSync(path.join(seed, 'run.sh'), 0o755);
    fs.symlinkSync('docs/notes.txt', path.join(seed, 'notes-link'));
    gitCli(seed, 'add', 'run.sh', 'notes-link');
    gitCli(seed, 'update-index', '--add', '--cacheinfo', `160000,${gitCli(seed, 'rev-parse', 'HEAD')},vendor/sub`);
    gitCli(seed, 'commit', '-q', '-m', 'special files');
    const name = `tw${++n}`;
    server.createBareRepo(name, { seedDir: seed });
    const url = server.url(name);
    const theirs = path.join(tmp.make('hammock-tw-cli-'), 's');
    await gitCliAsync(path.dirname(theirs), 'clone', '-q', url.replace('http://', `http://user:${TOKEN}@`), theirs);
    // through the worker (files written synchronously there) and on this thread (in the thread pool)
    for (const transferWorker of [worker, undefined]) {
      const ours = await GitClient.clone({ url, dir: path.join(tmp.make('hammock-tw-'), 's'), auth: tokenAuth(TOKEN), transferWorker });
      const o = gitView(ours.dir);
      const t = gitView(theirs);
      assert.deepStrictEqual(o, t);
      assert.strictEqual(o.status, '');
      for (const f of [...gitCli(theirs, 'ls-files').split('\n'), 'vendor/sub']) {
        const a = fs.lstatSync(path.join(ours.dir, f));
        const b = fs.lstatSync(path.join(theirs, f));
        assert.strictEqual(a.mode & 0o170111, b.mode & 0o170111, `${f}: type and executable bits`);
        if (a.isSymbolicLink()) assert.strictEqual(fs.readlinkSync(path.join(ours.dir, f)), fs.readlinkSync(path.join(theirs, f)));
        else if (a.isFile()) assert.ok(fs.readFileSync(path.join(ours.dir, f)).equals(fs.readFileSync(path.join(theirs, f))), `${f}: ${JSON.stringify(fs.readFileSync(path.join(ours.dir, f), 'latin1'))} ${JSON.stringify(fs.readFileSync(path.join(theirs, f), 'latin1'))}`);
      }
      assert.strictEqual(fs.readFileSync(path.join(ours.dir, 'docs/notes.txt'), 'utf8'), 'one\r\ntwo\r\n');
    }
  });

  for (const fault of ['cancelled', 'killed'] as const) {
    it(`a clone whose worker is ${fault} while it writes the files leaves no folder and no repository claimed complete`, async () => {
      const { url } = seededRemote(legacySeed(800));
      const parent = tmp.make('hammock-tw-');
      const client = fault === 'killed' ? sourceTransferWorker() : worker;
      const abort = new AbortController();
      let hit = false;
      const p = GitClient.clone({
        url,
        dir: path.join(parent, 'w'),
        auth: tokenAuth(TOKEN),
        transferWorker: client,
        signal: abort.signal,
        onProgress: (e: ProgressEvent) => {
          if (hit || e.phase !== 'Updating files' || e.loaded >= e.total) return;
          hit = true;
          if (fault === 'killed') client.dispose();
          else abort.abort();
        },
      });
      if (fault === 'cancelled') await rejects(p, GitErrorCode.Cancelled);
      else await assert.rejects(p);
      assert.ok(hit, 'the fault came while files were written');
      assert.deepStrictEqual(fs.readdirSync(parent), []);
      const next = await GitClient.clone({ url, dir: path.join(parent, 'again'), auth: tokenAuth(TOKEN), transferWorker: worker });
      assert.strictEqual(gitCli(next.dir, 'status', '--porcelain'), '');
    });
  }

  it('fetch and pull through the worker: the same refs, reflog and working tree git gives', async () => {
    const { url } = seededRemote();
    const client = await GitClient.clone({ url, dir: path.join(tmp.make('hammock-tw-'), 'f'), auth: tokenAuth(TOKEN), author: AUTHOR, transferWorker: worker });
    const other = path.join(tmp.make('hammock-tw-cli-'), 'wc');
    await gitCliAsync(path.dirname(other), 'clone', '-q', url.replace('http://', `http://user:${TOKEN}@`), other);
    gitCli(other, 'config', 'user.name', 'Someone Else');
    gitCli(other, 'config', 'user.email', 'else@hammock.invalid');
    commitFiles(other, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Renamed elsewhere') });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    const withWorker = new GitClient(client.dir, { auth: tokenAuth(TOKEN), transferWorker: worker });
    await withWorker.fetch();
    assert.strictEqual(gitCli(client.dir, 'rev-parse', 'origin/main'), gitCli(other, 'rev-parse', 'HEAD'));
    assert.match(gitCli(client.dir, 'reflog', '-1', 'refs/remotes/origin/main'), /fetch: fast-forward/);
    commitFiles(other, { '.insomnia/Request/req_3.yml': requestYaml('req_3', 'Again') });
    await gitCliAsync(other, 'push', '-q', 'origin', 'main');
    const result = await withWorker.pull();
    assert.strictEqual(result.kind, 'fastForward');
    const v = gitView(client.dir);
    assert.strictEqual(v.head, gitCli(other, 'rev-parse', 'HEAD'));
    assert.strictEqual(v.index, gitCli(other, 'ls-files', '-s'));
    assert.strictEqual(v.status, '');
    assert.strictEqual(v.fsck, '');
  });
});

describe('transfer worker progress: posted at most every 50 ms within a phase (progressPoster)', () => {
  it('posts the first event of each phase at once, holds the rest, and posts the last one held before the next phase and at the end', () => {
    let now = 0;
    const posted: string[] = [];
    const p = progressPoster((e) => posted.push(`${e.phase} ${e.loaded}`), 50, () => now);
    const at = (t: number, phase: string, loaded: number): void => {
      now = t;
      p.onProgress({ phase, loaded, total: 100 });
    };
    at(0, 'Receiving objects', 1);
    at(10, 'Receiving objects', 2);
    at(20, 'Receiving objects', 3);
    at(60, 'Receiving objects', 4); // 60 ms after the last one posted
    at(70, 'Receiving objects', 5);
    at(75, 'Resolving deltas', 1); // a new phase: the held 5 first
    at(80, 'Resolving deltas', 2);
    at(200, 'Updating files', 10);
    at(201, 'Updating files', 20);
    p.flush(); // the end: the held 20
    p.flush(); // nothing more
    assert.deepStrictEqual(posted, ['Receiving objects 1', 'Receiving objects 4', 'Receiving objects 5', 'Resolving deltas 1', 'Resolving deltas 2', 'Updating files 10', 'Updating files 20']);
  });

  it('phases reported every percent within one turn come to the host as their first and last events, in order', () => {
    // (a real clone through the worker reports every phase: the first test of this file)
    const events: ProgressEvent[] = [];
    const p = progressPoster((e) => events.push(e), 50, () => 0);
    for (const phase of ['Counting objects', 'Receiving objects', 'Resolving deltas', 'Updating files']) for (let i = 1; i <= 100; i++) p.onProgress({ phase, loaded: i, total: 100 });
    p.flush();
    assert.deepStrictEqual(
      events.map((e) => `${e.phase} ${e.loaded}`),
      ['Counting objects 1', 'Counting objects 100', 'Receiving objects 1', 'Receiving objects 100', 'Resolving deltas 1', 'Resolving deltas 100', 'Updating files 1', 'Updating files 100'],
    );
  });
});
