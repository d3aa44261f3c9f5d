// The one place where git waits for what the user typed. Two hooks, both writing every open editor's pending edit
// (request and environment editors, closed ones still writing; webviews/pendingEdits.ts) and waiting for the writes:
//   - before every operation of a repository that reads or writes its working tree (Repository's `beforeWorktree`,
//     set by SyncRepository: Stage, Remove, Commit, Discard, Checkout, Pull, Sync, a merge, its abort, a full
//     status), inside the repository's funnel, right before the operation starts: every key that reached the host
//     before it is in the files the operation reads, and no edit lands afterwards on what it left (the other branch's
//     file after a checkout, or an "outside change" conflict);
//   - before every git command (gitCommands.ts registers them all through `beforeCommand`), before it reads the
//     Source Control state (Stage All's list, Discard All's count, Commit's "no staged changes" test): the
//     repositories whose files were written read their status again first.
// A held edit (HeldEdit: the file changed under it or its request is gone, and the user has not chosen) is not
// written and not dropped: git goes ahead on the file as it is on disk, as git does beside an editor's unsaved buffer,
// and the edit stays held in its editor until the user chooses. The user is told, once per held edit, that an
// operation that writes went ahead without it, naming what it is of (the request, the environment); an editor closed
// with its edit held counts until the edit is settled, as an open one does (PendingRegistration.close).
// No 'vscode' import: tested in test/unit/sync/flushBeforeGit.test.ts.
import type { Operation } from '../git/repository';
import type { HeldOutcome, PendingEdits } from '../webviews/pendingEdits';

export interface FlushHookDeps {
  readonly edits: PendingEdits;
  readonly log: { info(line: string): void; warn(line: string): void };
  /** shows a warning to the user (not awaited: git does not wait for an answer). */
  readonly warn: (message: string) => void;
}

export class FlushBeforeGit {
  /**
   * the held edits the user was told about already (one warning each, not one per operation), by key: the same edit
   * held again by a new tab of the same (or brought back by a window reload) is not told about twice.
   */
  private readonly told = new Set<string>();

  constructor(private readonly deps: FlushHookDeps) {}

  /** Before `operation` in the repository at `root` (inside its funnel). */
  async beforeOperation(root: string, operation: Operation): Promise<void> {
    const outcome = await this.deps.edits.flush(root);
    if (outcome.flushed) this.deps.log.info(`git ${operation.kind}: wrote the pending edit${outcome.flushed === 1 ? '' : 's'} of ${outcome.flushed} editor${outcome.flushed === 1 ? '' : 's'} first`);
    for (const h of outcome.held) {
      this.deps.log.warn(`git ${operation.kind}: ${h.label} holds an edit that waits for your choice; git works on the file as it is on disk (${h.edit.message})`);
      if (operation.readOnly || this.told.has(h.edit.key)) continue;
      this.told.add(h.edit.key);
      this.deps.warn(heldWarning(h, operation.kind));
    }
  }

  /**
   * Before a git command: every editor's pending edit written, then the repositories that hold what was written
   * (`repositoryOf`) read their status again (`refresh`), so that the command reads the state with the edit in it.
   */
  async beforeCommand<R>(repositoryOf: (path: string) => R | undefined, refresh: (repo: R) => Promise<unknown>): Promise<void> {
    const outcome = await this.deps.edits.flush();
    if (!outcome.flushed) return;
    const repos = new Set<R>();
    for (const p of outcome.paths) {
      const repo = repositoryOf(p);
      if (repo !== undefined) repos.add(repo);
    }
    await Promise.all([...repos].map((r) => refresh(r).catch(() => undefined)));
  }
}

/**
 * What the user is told of a held edit a git operation (`kind`) went ahead without: what it is of, by name (a request,
 * an environment), why it waits, and where to choose (its editor; its tab closed: the notification about it, or the
 * same opened again, which takes the edit back).
 */
export function heldWarning(h: Pick<HeldOutcome, 'label' | 'edit' | 'environments' | 'closed'>, kind: string): string {
  const why = h.edit.reason === 'gone'
    ? `: ${h.environments ? 'the environment' : 'the request'} is not in the file`
    : h.edit.reason === 'back' ? ': save it or discard it' : " between your version and the file's";
  const where = h.closed
    ? `Its tab is closed: answer the notification about it, or open ${h.environments ? 'the environments' : 'the request'} again to choose; until then the edit is kept, unsaved.`
    : 'The edit stays in its editor, unsaved, until you choose there.';
  return `Hammock: ${h.label} has an edit that is not saved (it waits for your choice${why}). The git ${kind.toLowerCase()} went ahead without it. ${where}`;
}
