// The host side of one editor's edits (a request editor's, an environment editor's), without VS Code: the page's
// `edit` messages are merged for a debounce and written as one edit, one write at a time, and the session knows which
// edits the store's model includes (`writtenSeq`), which the state it posts to the page says. Tested with the store
// in test/unit/collections/storeModel.test.ts; RequestEditorPanel (requestPanels.ts) and EnvironmentEditorPanel
// (environmentPanels.ts) run one per panel.
import type { RequestFieldsPatch } from '../collections/edits';
import { same } from '../collections/edit/editConflict';
import { fitsKept, type KeptRecord, type KeptTyping } from './keptTyping';

export interface EditSessionDeps<P = RequestFieldsPatch> {
  /**
   * writes the fields (through the store); rejects when it could not. `base`: what the page held in those fields
   * before the edits (the earliest of the batch), when it said; undefined once the user chose to overwrite. A write
   * that rejects with a `HeldEdit` keeps the fields: the session holds them until `release` or `discard`. `since`:
   * what `epoch` said when the first edit of the batch came in (what was checked out then), when there is one.
   */
  write(fields: P, base: P | undefined, since?: string): Promise<void>;
  /** what the edits are typed against besides the page's base (the repository's HEAD): noted at each batch's first edit. */
  readonly epoch?: () => string | undefined;
  /** two pending patches as one (default: the later one's fields win, request settings merged key by key). */
  readonly merge?: (a: P | undefined, b: P) => P;
  /** after each write, done or failed: the edits up to `seq` are in (or were refused). */
  saved(seq: number, error?: unknown): void;
  /**
   * the held edit changed: held, typed on while held, or no longer held (written, discarded): `heldEdit` says what
   * it is now (what an editor keeps over a window reload, keptTyping.ts).
   */
  readonly heldChanged?: () => void;
  /**
   * what is received and not written yet (and not held) changed: an edit came in, or a write ended: `unwritten` says
   * what it is now (what an editor keeps over a window reload: the reload's last write may find the file changed, and
   * hold the edit when SecretStorage can no longer keep it).
   */
  readonly unwrittenChanged?: () => void;
  readonly debounceMs: number;
  /** timers (tests give their own). */
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
}

/**
 * Why an edit is held: the file changed the fields under it (`conflict`); what it edits is not there (`gone`: saved
 * when it comes back, while its editor says so); or it was held as gone, kept over a window reload (or since its tab
 * was closed), and what it edits is back (`back`: nobody was told it would be saved, so the user is asked).
 */
export type HeldReason = 'conflict' | 'gone' | 'back';

/** Edits received and not written yet, as they can be kept over a window reload and taken back (`EditSession.resume`). */
export interface UnwrittenSnapshot<P> {
  readonly fields: P;
  readonly base?: P;
  readonly since?: string;
}

/** Edits kept unwritten over a window reload (`value`, read back from SecretStorage: not trusted), or undefined. */
export function unwrittenSnapshotOf<P>(value: unknown, fieldsOk: (fields: unknown) => fields is P): UnwrittenSnapshot<P> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const u = value as Partial<Record<keyof UnwrittenSnapshot<P>, unknown>>;
  if (!fieldsOk(u.fields)) return undefined;
  return { fields: u.fields, ...(fieldsOk(u.base) ? { base: u.base } : {}), ...(typeof u.since === 'string' ? { since: u.since } : {}) };
}

/**
 * The unwritten keys kept over the last window reload by the editors whose identity starts with `prefix`, not held,
 * with where they go (as the editor kept them: `EditSession.keptUnwritten`).
 */
export function keptUnwrittenOf<P, W>(
  kept: Pick<KeptTyping, 'ids' | 'get'>,
  prefix: string,
  fieldsOk: (fields: unknown) => fields is P,
  whereOk: (where: unknown) => where is W,
): { id: string; where: W; fields: P }[] {
  const out: { id: string; where: W; fields: P }[] = [];
  for (const id of kept.ids) {
    if (!id.startsWith(prefix)) continue;
    const record = kept.get(id);
    const where = (record?.pending as { where?: unknown } | undefined)?.where;
    const u = unwrittenSnapshotOf(record?.pending, fieldsOk);
    if (u && record?.held === undefined && whereOk(where)) out.push({ id, where, fields: u.fields });
  }
  return out;
}

/**
 * A new window's start-up: drops the unwritten keys kept over the last reload (`keptUnwrittenOf`) that are in their
 * files now (`applied`: the reload's last write put them there, the usual case, SecretStorage could not be told then),
 * once the collections are read (`whenRead`: waited for only when something is kept, so that a window with nothing
 * kept reads nothing). Only the others wait for their editor (`EditSession.takeKept`), so that a tab shown later does
 * not ask about an edit saved long ago after a pull changed its file.
 */
export async function dropWrittenKeys<P, W>(
  kept: Pick<KeptTyping, 'ids' | 'get' | 'set' | 'load'>,
  prefix: string,
  fieldsOk: (fields: unknown) => fields is P,
  whereOk: (where: unknown) => where is W,
  whenRead: () => Promise<unknown>,
  applied: (where: W, fields: P) => boolean,
): Promise<void> {
  await kept.load();
  if (!keptUnwrittenOf(kept, prefix, fieldsOk, whereOk).length) return;
  await whenRead();
  // (listed again: a tab brought back meanwhile may have taken its keys)
  for (const { id, where, fields } of keptUnwrittenOf(kept, prefix, fieldsOk, whereOk)) if (applied(where, fields)) kept.set(id, 'pending', undefined);
}

/** A held edit as it can be kept over a window reload and held again (`EditSession.hold`): plain data. */
export interface HeldSnapshot<P> {
  readonly fields: P;
  readonly base?: P;
  readonly since?: string;
  readonly message: string;
  readonly reason: HeldReason;
  readonly conflicts: readonly string[];
  /** which held edit it is (HeldEdit.key): the same when held again from what was kept. */
  readonly key?: string;
}

/**
 * A held edit as it was kept over a window reload (`value`, read back from SecretStorage: not trusted), or undefined
 * when it is not one. `fieldsOk`: whether its fields (and base) are the editor's kind of patch.
 */
export function heldSnapshotOf<P>(value: unknown, fieldsOk: (fields: unknown) => fields is P): HeldSnapshot<P> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const h = value as Partial<Record<keyof HeldSnapshot<P>, unknown>>;
  if (typeof h.message !== 'string' || (h.reason !== 'conflict' && h.reason !== 'gone' && h.reason !== 'back') || !fieldsOk(h.fields)) return undefined;
  return {
    fields: h.fields,
    ...(fieldsOk(h.base) ? { base: h.base } : {}),
    ...(typeof h.since === 'string' ? { since: h.since } : {}),
    message: h.message,
    reason: h.reason,
    conflicts: Array.isArray(h.conflicts) ? h.conflicts.filter((c): c is string => typeof c === 'string') : [],
    ...(typeof h.key === 'string' ? { key: h.key } : {}),
  };
}

/**
 * A kept held edit as it is held again now: held as gone and what it edits is there now (`back`: the message that
 * says so, undefined while it is not there), it is asked about (`back`), not saved unasked as its editor promised
 * while it was open (that editor is gone); held as back and gone again, it is held as gone (`gone`: the message).
 */
export function heldAgain<P>(kept: HeldSnapshot<P>, back: string | undefined, gone: () => string): HeldSnapshot<P> {
  if (kept.reason === 'conflict') return kept;
  if (back !== undefined) return { ...kept, reason: 'back', message: back };
  return kept.reason === 'back' ? { ...kept, reason: 'gone', message: gone() } : kept;
}

/**
 * Editors (of requests, of environments) closed with an edit held and still asked about (the question their closing
 * asked). `idOf`: an editor's identity in what is kept over a window reload.
 */
export class ClosedHolding<E extends { readonly heldEdit: unknown; readonly asking: boolean; resolveHeld(choice: 'file'): Promise<void> }> {
  readonly editors = new Set<E>();

  constructor(private readonly idOf: (editor: E) => string) {}

  /** `editor` was closed (it keeps asking while its edit is held). */
  closed(editor: E): void {
    if (editor.heldEdit) this.editors.add(editor);
  }

  /**
   * What a new editor of `id` takes back of what is `kept`: the held edit a closed editor of it holds, its question
   * dismissed, included (that one lets it go: the new editor holds it and asks, heldAgain); not while it is asked.
   */
  keptFor(id: string, kept: { get(id: string): KeptRecord | undefined; set(id: string, part: 'held', value: unknown): void } | undefined): KeptRecord | undefined {
    const record = kept?.get(id);
    let asked = false;
    for (const e of [...this.editors]) {
      if (e.heldEdit && this.idOf(e) === id) {
        if (e.asking || record?.held === undefined) asked = true;
        else {
          void e.resolveHeld('file');
          // (letting it go removed what was kept of it)
          kept?.set(id, 'held', record.held);
        }
      }
      if (!e.heldEdit) this.editors.delete(e);
    }
    return record && asked ? { ...record, held: undefined } : record;
  }
}

/**
 * A write that must wait for the user (the fields were changed on disk since the page read them, or the request is
 * not there any more): the session keeps the edit, unsaved, and writes nothing until `release` or `discard`.
 */
export class HeldEdit extends Error {
  constructor(
    message: string,
    readonly reason: HeldReason,
    readonly fields: readonly string[] = [],
    /**
     * which held edit this is for what the user was told (FlushBeforeGit's one warning per held edit): kept with it
     * when a new tab of the same takes it, or a window reload brings it back (HeldSnapshot.key), new when an edit is
     * held anew.
     */
    readonly key: string = newHeldKey(),
  ) {
    super(message);
    this.name = 'HeldEdit';
  }
}

let heldKeys = 0;
/** A key no other held edit has, in this host or in one before it (kept over a reload): not a secret, only distinct. */
function newHeldKey(): string {
  return `${Date.now().toString(36)}-${(++heldKeys).toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export class EditSession<P = RequestFieldsPatch> {
  private pending: P | undefined;
  /** what the page held in the pending fields before the edits (earliest first); undefined: write without checking. */
  private pendingBase: P | undefined;
  /** `epoch` when the pending batch's first edit came in. */
  private pendingSince: string | undefined;
  /** the pending edit waits for the user (a `HeldEdit`): it is neither written nor dropped until release or discard. */
  private heldBy: HeldEdit | undefined;
  /** the held edit just released (its write is the next flush's), and the last one written so (`savedHeld`). */
  private releasedHeld: HeldEdit | undefined;
  private savedHeldEdit: HeldEdit | undefined;
  private timer: unknown;
  /** a flush is queued for when the write in flight ends (`flushSoon`). */
  private soon = false;
  private writing: Promise<void> = Promise.resolve();
  /** the batches handed to `write` whose write has not ended, oldest first. */
  private readonly flying: UnwrittenSnapshot<P>[] = [];
  /** the newest edit received, and the newest one written (its fields are in the store's model). */
  private received = 0;
  private written = 0;

  constructor(private readonly deps: EditSessionDeps<P>) {}

  get receivedSeq(): number {
    return this.received;
  }

  get writtenSeq(): number {
    return this.written;
  }

  /** an edit is waiting for the debounce, being written, or held. */
  get busy(): boolean {
    return this.pending !== undefined || this.written < this.received;
  }

  /** the edit received and not written yet (waiting for the debounce, or held), as one patch; undefined: none. */
  get pendingFields(): P | undefined {
    return this.pending;
  }

  /** why the pending edit is held (unsaved until the user chooses), or undefined. */
  get held(): HeldEdit | undefined {
    return this.heldBy;
  }

  /**
   * The last held edit that was released and then written (its item came back, or the user chose theirs), if any:
   * a question still on screen about it can say that what was typed is saved.
   */
  get savedHeld(): HeldEdit | undefined {
    return this.savedHeldEdit;
  }

  receive(fields: P, seq: number, base?: P): void {
    this.received = Math.max(this.received, seq);
    const merge = this.deps.merge ?? (mergePatch as unknown as (a: P | undefined, b: P) => P);
    if (this.pending === undefined) this.pendingSince = this.deps.epoch?.();
    this.pendingBase = this.joinBase(this.pending, this.pendingBase, fields, base);
    this.pending = merge(this.pending, fields);
    if (this.heldBy) {
      // waits for the user's choice
      this.deps.heldChanged?.();
      return;
    }
    const clear = this.deps.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
    const set = this.deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    if (this.timer !== undefined) clear(this.timer);
    this.timer = set(() => void this.flush(), this.deps.debounceMs);
    this.deps.unwrittenChanged?.();
  }

  /**
   * What was received and is not written yet, the writes in flight included, as one patch with its base: undefined
   * when nothing is, or when it is held (`heldEdit` says it then).
   */
  get unwritten(): UnwrittenSnapshot<P> | undefined {
    if (this.heldBy) return undefined;
    const merge = this.deps.merge ?? (mergePatch as unknown as (a: P | undefined, b: P) => P);
    let out: UnwrittenSnapshot<P> | undefined;
    const batches = this.pending === undefined ? this.flying : [...this.flying, { fields: this.pending, base: this.pendingBase, since: this.pendingSince }];
    for (const b of batches) {
      const since = out ? out.since : b.since;
      const base = out ? this.joinBase(out.fields, out.base, b.fields, b.base) : b.base;
      out = { fields: merge(out?.fields, b.fields), ...(base !== undefined ? { base } : {}), ...(since !== undefined ? { since } : {}) };
    }
    return out;
  }

  /**
   * Takes back edits kept unwritten over a window reload (`unwritten`): written now, checked against what the page held
   * when they were typed (and the branch then), as any edit: already in the file, nothing changes; the file changed
   * since under them, they are held and asked about. Nothing is done when an edit is pending already.
   */
  resume(kept: UnwrittenSnapshot<P>): Promise<void> {
    if (this.pending !== undefined || this.heldBy) return this.writing;
    this.pending = kept.fields;
    this.pendingBase = kept.base;
    this.pendingSince = kept.since;
    return this.flush();
  }

  /**
   * Takes back what an editor `kept` over a window reload (or since its tab was closed): its held edit, returned for
   * the editor to hold again with its reason (`heldAgain`, `hold`); else its keys not written then, written now
   * (`resume`, once the editor is set up: `resumed` settles when that write has ended). `fieldsOk`: whether a kept
   * patch is the editor's kind (SecretStorage's content is not trusted).
   */
  takeKept(kept: KeptRecord, fieldsOk: (fields: unknown) => fields is P): { held?: HeldSnapshot<P>; resumed: Promise<void> } {
    const held = heldSnapshotOf(kept.held, fieldsOk);
    if (held) return { held, resumed: Promise.resolve() };
    // keys the window reloaded on before they were written (the reload's write found the file changed, or did not
    // end): written now, checked against what the page held then; already in the file, nothing changes
    const unwritten = unwrittenSnapshotOf(kept.pending, fieldsOk);
    return { resumed: unwritten ? Promise.resolve().then(() => this.resume(unwritten)) : Promise.resolve() };
  }

  /**
   * What an editor keeps of its keys not written yet over a window reload, with `where` they go (`dropWrittenKeys`):
   * undefined when there are none, or when they are too many to write to SecretStorage at each key (`fitsKept`).
   */
  keptUnwritten(where: unknown): unknown {
    const u = this.unwritten;
    return u && fitsKept(u) ? { ...u, where } : undefined;
  }

  /**
   * Writes the pending edit as soon as the write in flight (if any) ends, without waiting for the debounce; the edits
   * received meanwhile go with it (one write in flight at a time): for what is not written into a file (SecretStorage),
   * which cannot be written once the window is closing.
   */
  flushSoon(): void {
    if (this.soon || this.heldBy) return;
    this.soon = true;
    void this.writing.then(() => {
      this.soon = false;
      void this.flush();
    });
  }

  /**
   * What the edits are written into changed from elsewhere (another program saved the file, a pull): an edit waiting
   * for the debounce is written now, checked against what the page held, not when the typing pauses. Held (the same
   * fields changed), it is said and kept over a window reload at once (`heldChanged`): the last flush a reload makes
   * (deactivate) runs after SecretStorage is cut off, and could write it nowhere.
   */
  outsideChange(): void {
    if (this.pending !== undefined && !this.heldBy && this.timer !== undefined) void this.flush();
  }

  /** The held edit as plain data (what is kept over a window reload), if an edit is held. */
  get heldEdit(): HeldSnapshot<P> | undefined {
    const h = this.heldBy;
    if (!h || this.pending === undefined) return undefined;
    return { fields: this.pending, ...(this.pendingBase !== undefined ? { base: this.pendingBase } : {}), ...(this.pendingSince !== undefined ? { since: this.pendingSince } : {}), message: h.message, reason: h.reason, conflicts: h.fields, key: h.key };
  }

  /**
   * Holds `kept` (a held edit kept over a window reload) as it was held before: unsaved, nothing written until
   * `release` or `discard`. Nothing is done when an edit is pending already.
   */
  hold(kept: HeldSnapshot<P>): void {
    if (this.pending !== undefined || this.heldBy) return;
    this.pending = kept.fields;
    this.pendingBase = kept.base;
    this.pendingSince = kept.since;
    this.heldBy = new HeldEdit(kept.message, kept.reason, kept.conflicts, kept.key);
  }

  /**
   * Writes the pending edit now; resolves when every edit received so far is written, failed, or held (a held edit
   * stays pending: it is not written by a flush).
   */
  flush(): Promise<void> {
    if (this.timer !== undefined) (this.deps.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>)))(this.timer);
    this.timer = undefined;
    if (this.heldBy) return this.writing;
    const fields = this.pending;
    const base = this.pendingBase;
    const seq = this.received;
    const since = this.pendingSince;
    const released = this.releasedHeld;
    this.releasedHeld = undefined;
    this.pending = undefined;
    this.pendingBase = undefined;
    this.pendingSince = undefined;
    if (fields) {
      const batch: UnwrittenSnapshot<P> = { fields, base, since };
      this.flying.push(batch);
      this.writing = this.writing.then(async () => {
        let error: unknown;
        try {
          await this.deps.write(fields, base, since);
        } catch (err) {
          error = err;
        }
        this.flying.splice(this.flying.indexOf(batch), 1);
        if (error instanceof HeldEdit) {
          // keep it, before anything that came in since (which is later, so its fields win; the earlier base wins)
          const merge = this.deps.merge ?? (mergePatch as unknown as (a: P | undefined, b: P) => P);
          this.pendingBase = this.joinBase(fields, base, this.pending, this.pendingBase);
          this.pending = this.pending === undefined ? fields : merge(fields, this.pending);
          this.pendingSince = since;
          if (this.timer !== undefined) (this.deps.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>)))(this.timer);
          this.timer = undefined;
          this.heldBy = error;
          this.deps.heldChanged?.();
        } else {
          this.written = Math.max(this.written, seq);
          if (!error && released) this.savedHeldEdit = released;
          // (released: written, or refused and dropped)
          if (released) this.deps.heldChanged?.();
        }
        this.deps.unwrittenChanged?.();
        this.deps.saved(seq, error);
      });
    }
    return this.writing;
  }

  /**
   * Writes the held edit: checked against what the page held again (`overwrite` false: after the request came
   * back), or as it is (`overwrite`: the user chose their version over the file's). Resolves when it is written.
   * Held as gone (not on the branch it was typed on), it was typed against what the page showed, and was promised to
   * be saved when that comes back (or the user said to save it, `back`): the checkout that brings it back is no reason
   * to hold it again (its `since` goes).
   */
  release(overwrite: boolean): Promise<void> {
    if (!this.heldBy) return this.writing;
    if (this.heldBy.reason !== 'conflict') this.pendingSince = undefined;
    this.releasedHeld = this.heldBy;
    this.heldBy = undefined;
    if (overwrite) this.pendingBase = undefined;
    return this.flush();
  }

  /**
   * The base of two batches of edits, `earlier` (with `earlierBase`) then `later`: for each field, what the page held
   * before the first edit of it. Undefined (write without checking) when either batch came without one.
   */
  private joinBase(earlier: P | undefined, earlierBase: P | undefined, later: P | undefined, laterBase: P | undefined): P | undefined {
    if (earlier === undefined) return laterBase;
    if (later === undefined) return earlierBase;
    if (earlierBase === undefined || laterBase === undefined) return undefined;
    const merge = this.deps.merge ?? (mergePatch as unknown as (a: P | undefined, b: P) => P);
    return merge(laterBase, earlierBase);
  }

  /**
   * The user's answer about a held edit: theirs over the file's (`mine`), or the file's (`file`); undefined: not yet.
   * Held as `back` (what it edits came back), `mine` saves it checked as any edit: a field changed since it was typed
   * is held again and asked about, fields changed around it are kept.
   */
  async resolve(choice: 'mine' | 'file' | undefined): Promise<void> {
    if (choice === 'mine') await this.release(this.heldBy?.reason !== 'back');
    else if (choice === 'file') this.discard();
  }

  /** Drops the held edit (the user chose the file's version): every edit received so far counts as done. */
  discard(): void {
    if (!this.heldBy) return;
    this.heldBy = undefined;
    this.pending = undefined;
    this.pendingBase = undefined;
    this.pendingSince = undefined;
    this.written = this.received;
    this.deps.heldChanged?.();
  }
}

/**
 * Two patches as one: the later one's fields win, settings and scripts merged key by key (a patch names only the
 * script that was typed in: a pre-request edit and an after-response edit within one debounce are both kept).
 */
export function mergePatch(a: RequestFieldsPatch | undefined, b: RequestFieldsPatch): RequestFieldsPatch {
  if (!a) return b;
  return {
    ...a,
    ...b,
    ...(a.settings || b.settings ? { settings: { ...a.settings, ...b.settings } } : {}),
    ...(a.scripts || b.scripts ? { scripts: { ...a.scripts, ...b.scripts } } : {}),
  };
}

/** A request as the page holds it, with a patch applied: settings and scripts key by key, as `mergePatch` merges. */
export function withPatch<R extends { readonly settings: object; readonly scripts: object }>(req: R, fields: RequestFieldsPatch): R {
  return { ...req, ...fields, settings: { ...req.settings, ...fields.settings }, scripts: { ...req.scripts, ...fields.scripts } };
}

/**
 * Whether `fields` change nothing in `req` (applied as `withPatch` applies them): keys kept unwritten over a window
 * reload that its last write put in the file (RequestPanels.dropWritten).
 */
export function patchApplied<R extends { readonly settings: object; readonly scripts: object }>(req: R, fields: RequestFieldsPatch): boolean {
  const after = withPatch(req, fields) as unknown as Record<string, unknown>;
  return Object.keys(fields).every((k) => same(after[k], (req as unknown as Record<string, unknown>)[k]));
}
