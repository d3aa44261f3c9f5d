// What the editors still hold in their debounce, written before git looks at the files. Every request and environment
// editor (RequestEditorPanel, EnvironmentEditorPanel: one EditSession each) registers here while it can hold an edit,
// closed panels until their last write ends and their held edit, if any, is settled (saved, discarded, or taken by a
// new tab of the same: `PendingRegistration.close`); the git side calls `flush(root)` before each operation that
// reads or writes the working tree of that repository (Repository's `beforeWorktree`, set by SyncRepository) and
// before each git command (gitCommands.ts), so that Commit, Stage, Checkout, Pull, Discard, a merge... see every key
// typed before them, and no edit lands afterwards on what they left (the other branch's file after a checkout).
//
// An edit that is held (HeldEdit: the file changed under it, or its request is gone, and the user has not chosen yet)
// is neither written nor dropped here: git works on the file as it is on disk, as it would with an unsaved buffer the
// user has not decided about, and the edit stays held in its editor, unsaved, until the user chooses (the editor's
// prompt). `flush` names the held edits so that the git side can say the operation went ahead without them.
// No 'vscode' import: tested with a fake clock in test/unit/sync/flushBeforeGit.test.ts.
import * as path from 'node:path';
import type { HeldEdit } from './editSession';

/** One editor's edits, as the registry sees them. */
export interface PendingEditSource {
  /** where its edits are written: the collection's path (a v5 file, a legacy `.insomnia` folder); undefined: nowhere on disk. */
  where(): string | undefined;
  /** an edit is waiting for the debounce, being written, or held. */
  readonly busy: boolean;
  /** why its pending edit waits for the user, if it does. */
  readonly held: HeldEdit | undefined;
  /**
   * what it is, as the messages name it: `the request "Get pets"`, `the environment "Production" of "Shop"` (the one
   * its held edit is of).
   */
  label(): string;
  /** its edits are to environments: what every request of the collection is sent with. */
  readonly environments?: boolean;
  /** writes the pending edit now; resolves when every edit received so far is written, failed, or held. */
  flush(): Promise<void>;
}

/** What a flush did. */
export interface FlushOutcome {
  /** editors that had an edit to write (and wrote it, or failed and said so in their editor). */
  readonly flushed: number;
  /** the paths (collection paths) they wrote into. */
  readonly paths: readonly string[];
  /** edits held for the user's choice: not written, not dropped, not part of what git sees. */
  readonly held: readonly HeldOutcome[];
}

/** An edit held for the user's choice, as a flush found it. */
export interface HeldOutcome {
  readonly label: string;
  readonly where: string;
  readonly edit: HeldEdit;
  readonly environments: boolean;
  /** its editor's tab was closed: the edit is asked about in a notification, or taken by a new tab of the same. */
  readonly closed: boolean;
}

/** An editor's place in the registry. */
export interface PendingRegistration {
  /**
   * Its tab was closed: it stays registered (git waits for it, and warns about its held edit as about an open tab's)
   * until its last write ends and no edit of it is held; `heldChanged` says when that may be.
   */
  close(): Promise<void>;
  /** Its held edit changed (held, written, discarded): a closed editor's registration ends once nothing is held. */
  heldChanged(): Promise<void>;
  /** Ends the registration now. */
  dispose(): void;
}

/** Whether `p` is `root` or inside it. */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export class PendingEdits {
  private readonly sources = new Set<PendingEditSource>();
  /** the registered editors whose tab was closed. */
  private readonly closed = new Set<PendingEditSource>();

  /** Registers an editor's edits until `dispose`, or once closed (`close`) until it holds nothing. */
  add(source: PendingEditSource): PendingRegistration {
    this.sources.add(source);
    const dispose = (): void => this.remove(source);
    // (resolves once checked)
    const check = async (): Promise<void> => {
      if (!this.closed.has(source)) return;
      // after the write in flight (and after whatever runs in this turn: a closed editor whose request came back
      // lets its held edit go and holds it again at once, refresh): gone only when nothing is held or pending
      await source.flush().catch(() => undefined);
      if (this.closed.has(source) && !source.held && !source.busy) dispose();
    };
    return {
      close: () => {
        if (!this.sources.has(source)) return Promise.resolve();
        this.closed.add(source);
        return check();
      },
      heldChanged: check,
      dispose,
    };
  }

  /** Ends `source`'s registration. */
  private remove(source: PendingEditSource): void {
    this.sources.delete(source);
    this.closed.delete(source);
  }

  /** Editors registered now (tests read it). */
  get size(): number {
    return this.sources.size;
  }

  /**
   * Writes the pending edit of every editor whose collection lies under `root` (every editor when undefined), all at
   * once, and resolves when the writes have ended. Held edits stay held (see the file's header).
   */
  async flush(root?: string): Promise<FlushOutcome> {
    // (a closed editor that holds nothing any more goes: the one whose settling was not said)
    for (const s of [...this.closed]) if (!s.busy && !s.held) this.remove(s);
    const mine = [...this.sources].filter((s) => {
      const where = s.where();
      return where !== undefined && (root === undefined || isInside(root, where));
    });
    // a held editor's flush only waits for its write in flight: its edit stays held
    const busy = mine.filter((s) => s.busy);
    await Promise.all(busy.map((s) => s.flush()));
    const written = busy.filter((s) => !s.held);
    const held = mine.flatMap((s) => {
      const h = s.held;
      return h ? [{ label: s.label(), where: s.where() ?? '', edit: h, environments: s.environments === true, closed: this.closed.has(s) }] : [];
    });
    return { flushed: written.length, paths: [...new Set(written.map((s) => s.where()!))], held };
  }
}

/** The one registry of the extension host. */
export const pendingEdits = new PendingEdits();

/**
 * `collection` as its files hold it once the editors' pending edits into it are written: what a copy of it (Duplicate,
 * Convert, Export, Copy as cURL) is made from must hold every key typed before the command, not the text of 300 ms
 * ago. `fresh` reads it again from the store after the writes (a caller that reads it again itself gives none).
 */
export async function withEditsWritten<C extends { readonly path: string }>(collection: C, fresh?: (c: C) => C | undefined): Promise<C> {
  const { flushed } = await pendingEdits.flush(collection.path);
  return flushed ? (fresh?.(collection) ?? collection) : collection;
}
