// The host side of one editor's edits (a request editor's, an environment editor's), without VS Code: the page's
// `edit` messages are merged for a debounce and written as one edit, one write at a time, and the session knows which
// edits the store's model includes (`writtenSeq`), which the state it posts to the page says. Tested with the store
// in test/unit/collections/storeModel.test.ts; RequestEditorPanel (requestPanels.ts) and EnvironmentEditorPanel
// (environmentPanels.ts) run one per panel.
import type { RequestFieldsPatch } from '../collections/edits';

export interface EditSessionDeps<P = RequestFieldsPatch> {
  /** writes the fields (through the store); rejects when it could not. */
  write(fields: P): Promise<void>;
  /** two pending patches as one (default: the later one's fields win, request settings merged key by key). */
  readonly merge?: (a: P | undefined, b: P) => P;
  /** after each write, done or failed: the edits up to `seq` are in (or were refused). */
  saved(seq: number, error?: unknown): void;
  readonly debounceMs: number;
  /** timers (tests give their own). */
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
}

export class EditSession<P = RequestFieldsPatch> {
  private pending: P | undefined;
  private timer: unknown;
  private writing: Promise<void> = Promise.resolve();
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

  /** an edit is waiting for the debounce or being written. */
  get busy(): boolean {
    return this.pending !== undefined || this.written < this.received;
  }

  receive(fields: P, seq: number): void {
    this.received = Math.max(this.received, seq);
    const merge = this.deps.merge ?? (mergePatch as unknown as (a: P | undefined, b: P) => P);
    this.pending = merge(this.pending, fields);
    const clear = this.deps.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
    const set = this.deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    if (this.timer !== undefined) clear(this.timer);
    this.timer = set(() => void this.flush(), this.deps.debounceMs);
  }

  /** Writes the pending edit now; resolves when every edit received so far is written (or failed). */
  flush(): Promise<void> {
    if (this.timer !== undefined) (this.deps.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>)))(this.timer);
    this.timer = undefined;
    const fields = this.pending;
    const seq = this.received;
    this.pending = undefined;
    if (fields) {
      this.writing = this.writing.then(async () => {
        let error: unknown;
        try {
          await this.deps.write(fields);
        } catch (err) {
          error = err;
        }
        this.written = Math.max(this.written, seq);
        this.deps.saved(seq, error);
      });
    }
    return this.writing;
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
