// Git waits for what the user typed: an editor's edit still in its debounce (EditSession, a fake clock that never
// fires unless told) is written before each operation that reads or writes the working tree (the Repository's
// `beforeWorktree` hook, FlushBeforeGit, the PendingEdits registry), so that a commit made at once holds every key,
// a checkout's "you have changes" test sees the edit, and nothing lands afterwards on what the operation left. The
// git CLI is the oracle of what was committed. A held edit (HeldEdit) is neither written nor dropped by the flush.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { GitClient } from '../../../src/git/gitClient';
import { GitErrorCode } from '../../../src/git/gitError';
import { OperationKind, Operations, Repository, type Operation } from '../../../src/git/repository';
import { FlushBeforeGit, heldWarning } from '../../../src/sync/flushBeforeGit';
import { EditSession, HeldEdit, heldSnapshotOf } from '../../../src/webviews/editSession';
import { PendingEdits } from '../../../src/webviews/pendingEdits';
import { AUTHOR, commitFiles, gitCli, initRepo, legacySeed, read, rejects, requestYaml, TempDirs } from '../git/gitTestRepos';

const FILE = '.insomnia/Request/req_1.yml';

/** Timers that fire only when the test says so (the debounce never runs out by itself). */
class FakeClock {
  private next = 1;
  readonly timers = new Map<number, () => void>();
  set = (fn: () => void): unknown => {
    const id = this.next++;
    this.timers.set(id, fn);
    return id;
  };
  clear = (id: unknown): void => void this.timers.delete(id as number);
  /** runs out every debounce now. */
  fireAll(): void {
    for (const [id, fn] of [...this.timers]) {
      this.timers.delete(id);
      fn();
    }
  }
}

interface Editor {
  readonly session: EditSession<{ url: string }>;
  readonly writes: string[];
  /** the next write is held for the user's choice (as a changed file or a gone request makes it). */
  holdNext: HeldEdit | undefined;
  /** the registry's check after the held edit last changed (a closed editor's registration ends once nothing is held). */
  checked: Promise<void>;
  close(): Promise<void>;
}

describe('git waits for the edits typed in the editors (flushBeforeGit)', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  /** A repository with its hook, the registry and the warnings shown. */
  async function setUp(files = legacySeed(2)) {
    const dir = initRepo(tmp.make(), files);
    const client = new GitClient(dir, { lock: { waitMs: 0 } });
    await client.setAuthor(AUTHOR);
    const edits = new PendingEdits();
    const warnings: string[] = [];
    const hooked: string[] = [];
    const hook = new FlushBeforeGit({ edits, log: { info: () => undefined, warn: () => undefined }, warn: (m) => warnings.push(m) });
    const repo = new Repository(client, {
      beforeWorktree: async (operation: Operation) => {
        hooked.push(`${operation.kind} during ${repo.currentOperation?.kind}`);
        await hook.beforeOperation(dir, operation);
      },
    });
    const clock = new FakeClock();
    /** An editor of `rel`'s request (a legacy file) whose edits set its url line. */
    const editor = (rel = FILE, where = path.join(dir, '.insomnia')): Editor => {
      const writes: string[] = [];
      const e: Editor = {
        writes,
        holdNext: undefined,
        checked: Promise.resolve(),
        session: new EditSession<{ url: string }>({
          debounceMs: 300,
          setTimer: clock.set,
          clearTimer: clock.clear,
          write: async ({ url }) => {
            if (e.holdNext) {
              const h = e.holdNext;
              e.holdNext = undefined;
              throw h;
            }
            // a write takes a while, as the store's does
            await new Promise((r) => setTimeout(r, 5));
            const file = path.join(dir, rel);
            fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^url: .*$/m, `url: ${url}`));
            writes.push(url);
          },
          saved: () => undefined,
          heldChanged: () => void (e.checked = registration.heldChanged()),
        }),
        // (as the editors do when their tab is closed)
        close: () => registration.close(),
      };
      const registration = edits.add({
        where: () => where,
        get busy() {
          return e.session.busy;
        },
        get held() {
          return e.session.held;
        },
        label: () => `the request "${rel}"`,
        flush: () => e.session.flush(),
      });
      return e;
    };
    /** Types `text` key by key after `start` (each key one `edit` message, as the page posts them). */
    let seq = 0;
    const type = (e: Editor, start: string, text: string) => {
      for (let i = 1; i <= text.length; i++) e.session.receive({ url: start + text.slice(0, i) }, ++seq, { url: start });
    };
    /** Commit as the Commit command does it: status read again, the changes staged when none are, then the commit. */
    const commitAll = async (message: string) => {
      await repo.refresh();
      const changes = repo.snapshot!.status.changes.map((c) => c.path);
      if (repo.snapshot!.status.staged.length === 0 && changes.length) await repo.stage(changes);
      return repo.commit(message);
    };
    return { dir, repo, edits, clock, editor, type, commitAll, warnings, hooked };
  }

  it('Commit at once after typing: the commit holds every key, the debounce has nothing left to write', async () => {
    const { dir, repo, clock, editor, type, commitAll } = await setUp();
    const e = editor();
    type(e, 'https://example.com/req_1', '/typed/at-once');
    assert.equal(clock.timers.size, 1, 'the edit waits in its debounce');
    assert.match(read(dir, FILE), /^url: https:\/\/example\.com\/req_1$/m, 'nothing is on disk yet');
    await commitAll('typed');
    assert.match(gitCli(dir, 'show', `HEAD:${FILE}`), /^url: https:\/\/example\.com\/req_1\/typed\/at-once$/m);
    assert.equal(gitCli(dir, 'status', '--porcelain'), '', 'nothing left uncommitted');
    assert.equal(e.session.busy, false);
    assert.deepEqual(e.writes, ['https://example.com/req_1/typed/at-once'], 'one write, before the status was read');
    clock.fireAll();
    assert.equal(gitCli(dir, 'status', '--porcelain'), '', 'no edit lands after the commit');
    repo.dispose();
  });

  it("Checkout at once after typing: its \"you have changes\" test sees the edit, and nothing moves", async () => {
    const { dir, repo, editor, type } = await setUp();
    gitCli(dir, 'checkout', '-q', '-b', 'other');
    commitFiles(dir, { [FILE]: requestYaml('req_1', 'Request 1', 'https://other.example.com/') }, 'other url');
    gitCli(dir, 'checkout', '-q', 'main');
    const e = editor();
    type(e, 'https://example.com/req_1', '/mine');
    const err = await rejects(repo.checkout('other'), GitErrorCode.DirtyWorkingTree);
    assert.match(err.message, /req_1\.yml/);
    assert.equal(gitCli(dir, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main', 'HEAD did not move');
    assert.match(read(dir, FILE), /^url: https:\/\/example\.com\/req_1\/mine$/m, 'the typed edit is on disk, on the branch it was typed on');
    assert.equal(e.session.busy, false);
    repo.dispose();
  });

  it('type, Commit, Checkout at once: the edit is in the branch it was typed on, the file is the other branch\'s after', async () => {
    const { dir, repo, clock, editor, type, commitAll } = await setUp();
    gitCli(dir, 'checkout', '-q', '-b', 'other');
    commitFiles(dir, { [FILE]: requestYaml('req_1', 'Request 1', 'https://other.example.com/') }, 'other url');
    gitCli(dir, 'checkout', '-q', 'main');
    const e = editor();
    type(e, 'https://example.com/req_1', '/on-main');
    const committed = commitAll('typed on main');
    // typed while the commit runs: written before the checkout, which then refuses (it would overwrite it)
    await committed;
    await repo.checkout('other');
    assert.match(gitCli(dir, 'show', `main:${FILE}`), /^url: https:\/\/example\.com\/req_1\/on-main$/m);
    assert.match(read(dir, FILE), /^url: https:\/\/other\.example\.com\/$/m, 'the working tree holds the checked-out branch');
    clock.fireAll();
    await e.session.flush();
    assert.match(read(dir, FILE), /^url: https:\/\/other\.example\.com\/$/m, 'no edit landed on the other branch\'s file');
    assert.equal(gitCli(dir, 'status', '--porcelain'), '');
    repo.dispose();
  });

  it('runs the hook inside the funnel before the operations that read or write the working tree, only those', async () => {
    const { repo, hooked } = await setUp();
    await repo.refresh({ incremental: true });
    await repo.history({ depth: 1 });
    await repo.branches();
    assert.deepEqual(hooked, [], 'an incremental status (the watcher\'s), history and branches write nothing');
    await repo.refresh();
    await repo.stage([FILE]);
    await repo.unstage([FILE]);
    await repo.discard([FILE]);
    assert.deepEqual(hooked, ['Status during Status', 'Stage during Stage', 'Discard during Discard']);
    // every kind says whether it touches the working tree
    const worktree = Object.values(Operations).filter((o) => o.worktree).map((o) => o.kind).sort();
    assert.deepEqual(worktree, [
      OperationKind.AbortMerge,
      OperationKind.Checkout,
      OperationKind.Commit,
      OperationKind.Discard,
      OperationKind.MergeInEditor,
      OperationKind.Pull,
      OperationKind.PushToNewBranch,
      OperationKind.Remove,
      OperationKind.Stage,
      OperationKind.Sync,
    ].sort());
    for (const o of Object.values(Operations)) if (o.worktree) assert.equal(o.readOnly, false, `${o.kind} writes`);
    repo.dispose();
  });

  it('a full refresh that joins a waiting incremental one still writes the edits first', async () => {
    const { dir, repo, editor, type } = await setUp();
    // an operation running keeps the incremental refresh waiting in the queue
    let release!: () => void;
    let started!: () => void;
    const running = repo.run(OperationKind.History, () => new Promise<void>((r) => ((release = r), started())));
    await new Promise<void>((r) => (started = r));
    const incremental = repo.refresh({ incremental: true });
    const e = editor();
    type(e, 'https://example.com/req_1', '/joined');
    const full = repo.refresh();
    assert.equal(full, incremental, 'the full refresh joins the waiting one');
    release();
    await running;
    const snapshot = await full;
    assert.deepEqual(snapshot?.status.changes.map((c) => c.path), [FILE]);
    assert.match(read(dir, FILE), /\/joined$/m);
    repo.dispose();
  });

  it('an editor of another repository is not written by this one\'s operations', async () => {
    const { repo, editor, type, clock } = await setUp();
    const elsewhere = editor(FILE, path.join(tmp.make(), '.insomnia'));
    type(elsewhere, 'https://example.com/req_1', '/elsewhere');
    await repo.refresh();
    await repo.stage([FILE]);
    assert.deepEqual(elsewhere.writes, []);
    assert.equal(elsewhere.session.busy, true);
    assert.equal(clock.timers.size, 1, 'its debounce goes on');
    repo.dispose();
  });

  it('a closed editor\'s last write is waited for', async () => {
    const { dir, repo, edits, editor, type, commitAll } = await setUp();
    const e = editor();
    type(e, 'https://example.com/req_1', '/closed');
    const closing = e.close();
    assert.equal(edits.size, 1, 'registered until its last write ends');
    await commitAll('after close');
    await closing;
    assert.equal(edits.size, 0);
    assert.match(gitCli(dir, 'show', `HEAD:${FILE}`), /\/closed$/m);
    repo.dispose();
  });

  it('a held edit is neither written nor dropped: git works on the file as it is, the user is told once', async () => {
    const { dir, repo, editor, type, commitAll, warnings } = await setUp();
    // the other request's editor has a typed edit, so there is something to commit
    const other = editor('.insomnia/Request/req_2.yml');
    type(other, 'https://example.com/req_2', '/other');
    const e = editor();
    e.holdNext = new HeldEdit('the URL of "Request 1" changed on disk while you were editing', 'conflict', ['URL']);
    type(e, 'https://example.com/req_1', '/held');
    await commitAll('without the held edit');
    assert.ok(e.session.held, 'still held');
    assert.equal(e.session.busy, true, 'still pending, not dropped');
    assert.deepEqual(e.writes, []);
    assert.match(gitCli(dir, 'show', `HEAD:${FILE}`), /^url: https:\/\/example\.com\/req_1$/m, 'the commit has the file as it was on disk');
    assert.match(gitCli(dir, 'show', 'HEAD:.insomnia/Request/req_2.yml'), /\/other$/m);
    assert.equal(warnings.length, 1, `told once, not once per operation: ${warnings.join(' | ')}`);
    assert.match(warnings[0], /^Hammock: the request "\.insomnia\/Request\/req_1\.yml" has an edit that is not saved \(it waits for your choice between your version and the file's\)\. The git \w+ went ahead without it\. The edit stays in its editor, unsaved, until you choose there\.$/);
    // the user chooses their version: it is written then, as typed
    await e.session.resolve('mine');
    assert.deepEqual(e.writes, ['https://example.com/req_1/held']);
    assert.match(read(dir, FILE), /\/held$/m);
    repo.dispose();
  });

  it("an editor closed with its edit held: git warns about it as about an open one's, until the edit is settled", async () => {
    const { dir, repo, edits, editor, type, commitAll, warnings } = await setUp();
    const other = editor('.insomnia/Request/req_2.yml');
    const e = editor();
    e.holdNext = new HeldEdit('the URL of "Request 1" changed on disk while you were editing', 'conflict', ['URL']);
    type(e, 'https://example.com/req_1', '/held');
    await e.session.flush();
    assert.ok(e.session.held);
    await e.close();
    assert.equal(edits.size, 2, 'still registered: its edit is held');
    type(other, 'https://example.com/req_2', '/other');
    await commitAll('without the held edit of a closed tab');
    assert.equal(warnings.length, 1, warnings.join(' | '));
    assert.match(warnings[0], /^Hammock: the request "\.insomnia\/Request\/req_1\.yml" has an edit that is not saved .*went ahead without it\. Its tab is closed: answer the notification about it, or open the request again to choose/);
    assert.match(gitCli(dir, 'show', `HEAD:${FILE}`), /^url: https:\/\/example\.com\/req_1$/m, 'the commit has the file as it was on disk');
    // settled (the file's version taken): it goes, and nothing more is said
    e.session.discard();
    await e.checked;
    assert.equal(edits.size, 1, 'gone once settled (its held edit said so)');
    type(other, 'https://example.com/req_2/other', '/again');
    await commitAll('after it was settled');
    assert.equal(warnings.length, 1, warnings.join(' | '));
    repo.dispose();
  });

  it('a held edit taken by a new tab of the same (its closed tab lets it go): not told about again; an edit held anew is', async () => {
    const { repo, editor, type, commitAll, warnings } = await setUp();
    const other = editor('.insomnia/Request/req_2.yml');
    const e = editor();
    e.holdNext = new HeldEdit('the URL of "Request 1" changed on disk while you were editing', 'conflict', ['URL']);
    type(e, 'https://example.com/req_1', '/held');
    await e.session.flush();
    await e.close();
    type(other, 'https://example.com/req_2', '/one');
    await commitAll('told once');
    assert.equal(warnings.length, 1, warnings.join(' | '));
    // the request opened again: the new tab holds what was kept of the edit (ClosedHolding.keptFor), the closed one
    // lets it go
    const kept = e.session.heldEdit!;
    const again = editor();
    again.session.hold(heldSnapshotOf(JSON.parse(JSON.stringify(kept)), (f): f is { url: string } => typeof f === 'object' && f !== null)!);
    e.session.discard();
    await e.checked;
    type(other, 'https://example.com/req_2/one', '/two');
    await commitAll('the same edit, in the new tab');
    assert.equal(warnings.length, 1, `not told again: ${warnings.join(' | ')}`);
    // saved, then held anew (the file changed under it again): told
    await again.session.resolve('mine');
    again.holdNext = new HeldEdit('the URL of "Request 1" changed on disk while you were editing', 'conflict', ['URL']);
    type(again, 'https://example.com/req_1/held', '/more');
    await again.session.flush();
    type(other, 'https://example.com/req_2/one/two', '/three');
    await commitAll('a new held edit');
    assert.equal(warnings.length, 2, warnings.join(' | '));
    repo.dispose();
  });

  it('a closed editor that lets its held edit go and holds it again at once (its request came back) stays registered', async () => {
    const { edits, editor, type } = await setUp();
    const e = editor();
    e.holdNext = new HeldEdit('"Request 1" is not in the file', 'gone');
    type(e, 'https://example.com/req_1', '/gone');
    await e.session.flush();
    await e.close();
    const kept = e.session.heldEdit!;
    // as RequestEditorPanel.refresh does for a closed editor: discarded, then held again as "back", in one turn
    e.session.discard();
    e.session.hold({ ...kept, reason: 'back', message: '"Request 1" is back' });
    await e.session.flush();
    const { held } = await edits.flush();
    assert.equal(edits.size, 1);
    assert.deepEqual(held.map((h) => [h.label, h.edit.reason, h.closed]), [['the request ".insomnia/Request/req_1.yml"', 'back', true]]);
    // written when the user says so: then it goes
    await e.session.resolve('mine');
    await e.checked;
    assert.deepEqual(e.writes, ['https://example.com/req_1/gone']);
    assert.equal(edits.size, 0);
  });

  it("the warning about an environment's held edit names the environment, never \"the request\"", () => {
    const edit = new HeldEdit('the collection is not there', 'gone');
    const env = heldWarning({ label: 'the environment "Production" of "Shop"', edit, environments: true, closed: false }, 'Checkout');
    assert.match(env, /^Hammock: the environment "Production" of "Shop" has an edit that is not saved \(it waits for your choice: the environment is not in the file\)\. The git checkout went ahead without it\./);
    assert.doesNotMatch(env, /request/);
    const closed = heldWarning({ label: 'the environment "Production" of "Shop"', edit, environments: true, closed: true }, 'Pull');
    assert.match(closed, /The git pull went ahead without it\. Its tab is closed: answer the notification about it, or open the environments again to choose/);
    assert.doesNotMatch(closed, /request/);
    const request = heldWarning({ label: 'the request "Get pets"', edit: new HeldEdit('gone', 'gone'), environments: false, closed: false }, 'Merge');
    assert.match(request, /^Hammock: the request "Get pets" has an edit that is not saved \(it waits for your choice: the request is not in the file\)/);
  });

  it('before a git command: every editor is written, and only the repositories written into read their status again', async () => {
    const { dir, editor, type, edits } = await setUp();
    const other = tmp.make();
    const e = editor();
    const idle = editor('.insomnia/Request/req_2.yml', path.join(other, '.insomnia'));
    type(e, 'https://example.com/req_1', '/command');
    const refreshed: string[] = [];
    const hook = new FlushBeforeGit({ edits, log: { info: () => undefined, warn: () => undefined }, warn: () => undefined });
    const repositoryOf = (p: string) => [dir, other].find((root) => p.startsWith(root + path.sep));
    await hook.beforeCommand(repositoryOf, async (root) => void refreshed.push(root));
    assert.deepEqual(refreshed, [dir]);
    assert.match(read(dir, FILE), /\/command$/m);
    assert.deepEqual(idle.writes, []);
    // nothing pending: no status is read again
    await hook.beforeCommand(repositoryOf, async (root) => void refreshed.push(root));
    assert.deepEqual(refreshed, [dir]);
  });

  it('model: any interleaving of keys, debounces running out, writes held and chosen, and git operations', async () => {
    // invariant: when an operation that reads the working tree starts, the file holds the latest key typed, unless the
    // edit is held (then it holds what was written last); and once the user has chosen, nothing typed is lost
    type Step = { key: string } | { tick: true } | { hold: true } | { choose: true } | { op: 'stage' | 'refresh' | 'discard' | 'commit' };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ key: fc.constantFrom('a', 'b', '/', '1') }),
      fc.constant({ tick: true as const }),
      fc.constant({ hold: true as const }),
      fc.constant({ choose: true as const }),
      fc.constantFrom<Step>({ op: 'stage' }, { op: 'refresh' }, { op: 'discard' }, { op: 'commit' }),
    );
    const urlOnDisk = (dir: string) => /^url: (.*)$/m.exec(read(dir, FILE))![1];
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 20 }), async (steps) => {
        const { dir, repo, editor, clock, commitAll } = await setUp();
        try {
          const e = editor();
          let seq = 0;
          let typed = urlOnDisk(dir);
          let lastWritten = typed;
          for (const s of steps) {
            if ('key' in s) {
              typed += s.key;
              e.session.receive({ url: typed }, ++seq);
            } else if ('tick' in s) {
              clock.fireAll();
              await e.session.flush();
            } else if ('hold' in s) {
              if (!e.session.held) e.holdNext = new HeldEdit('changed on disk', 'conflict', ['URL']);
            } else if ('choose' in s) {
              if (e.session.held) await e.session.resolve('mine');
            } else if (s.op === 'discard') {
              await repo.discard([FILE]);
              // the editor shows the file as the discard left it; a held edit stays the user's
              if (!e.session.held) typed = urlOnDisk(dir);
              lastWritten = urlOnDisk(dir);
              e.writes.length = 0;
            } else {
              if (s.op === 'stage') await repo.stage([FILE]);
              else if (s.op === 'refresh') await repo.refresh();
              else if (!(await repo.refresh())!.status.changes.length && !repo.snapshot!.status.staged.length) continue;
              else await commitAll('model');
              if (e.writes.length) lastWritten = e.writes.at(-1)!;
              if (e.session.held) assert.equal(urlOnDisk(dir), lastWritten, "a held edit is not written by git's flush");
              else assert.equal(urlOnDisk(dir), typed, 'the operation saw every key typed before it');
            }
            if (e.writes.length) lastWritten = e.writes.at(-1)!;
          }
          for (let i = 0; i < 3 && e.session.busy; i++) {
            if (e.session.held) await e.session.resolve('mine');
            await e.session.flush();
          }
          assert.equal(urlOnDisk(dir), typed);
        } finally {
          repo.dispose();
        }
      }),
      { seed: 20261205, numRuns: 30 },
    );
  });
});

describe('PendingEdits: what a Send sees', () => {
  it("a flush of a collection writes its environment editor's edit too, and says which held edits are environments'", async () => {
    const edits = new PendingEdits();
    const written: string[] = [];
    const source = (label: string, where: string, environments: boolean, held?: HeldEdit) => {
      let busy = true;
      return edits.add({
        where: () => where,
        get busy() {
          return busy;
        },
        get held() {
          return held;
        },
        label: () => label,
        ...(environments ? { environments: true } : {}),
        flush: async () => {
          if (held) return;
          written.push(label);
          busy = false;
        },
      });
    };
    source('the environments of Shop', '/w/shop.yaml', true);
    source('Get pets', '/w/shop.yaml', false, new HeldEdit('changed on disk', 'conflict', ['URL']));
    source('the environments of Other', '/w/other.yaml', true, new HeldEdit('changed on disk', 'conflict'));
    const outcome = await edits.flush('/w/shop.yaml');
    assert.deepEqual(written, ['the environments of Shop'], 'only this collection\'s editors, the environment editor among them');
    assert.deepEqual(outcome.held.map((h) => [h.label, h.environments]), [['Get pets', false]]);
    const all = await edits.flush();
    assert.deepEqual(all.held.map((h) => [h.label, h.environments]), [['Get pets', false], ['the environments of Other', true]]);
  });
});
