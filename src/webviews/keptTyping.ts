// What the user typed in an editor and that is not written anywhere yet, kept in this machine's SecretStorage so that
// a window reload (Developer: Reload Window, a keyboard-shortcut reload) does not lose it: an edit HELD for the user's
// choice (the file changed under it, what it edits was deleted), typing the environment editor cannot save yet (a
// 'draft': JSON or a number half-typed, an empty or repeated name), and keys still waiting for the editor's debounce
// ('pending': the reload's last write may find the file changed by another program, the file watcher not having said
// so yet, and hold them when SecretStorage can no longer keep them). Such typing may be a secret: it is never put in
// the webview's state, workspaceState, settings or a tracked file; SecretStorage is where Hammock keeps secrets.
//
// One SecretStorage entry per workspace (`hammock.keptTyping/<workspace>`: SecretStorage is shared by every window
// and cannot list its keys), a JSON object of records keyed by the editor's identity (its collection's path and id,
// and the request or folder it edits). Each change is written at once, and changes made while a write is in flight
// are written together when it ends: one write in flight at a time, nothing waits for a debounce. A record goes as
// soon as what it keeps is saved, discarded or settled; records older than MAX_AGE_MS, and beyond MAX_RECORDS (the
// oldest first), are dropped when the entry is read. A read that fails (SecretStorage not ready, an error) is made
// again (at the next load or change, and after RETRY_MS), and nothing is written until a read succeeds: a write over
// an entry not read would drop what it keeps. Values are never logged.
// No 'vscode' import: tested in test/unit/webviews/keptTyping.test.ts.
import type { SecretStore } from '../services/localEnvironments';

/** What one editor keeps: its held edit, its drafts (by environment id), its unwritten keys, as the editor gives them. */
export interface KeptRecord {
  readonly held?: unknown;
  readonly pending?: unknown;
  readonly drafts?: Readonly<Record<string, unknown>>;
  /** when it was last changed (ms since the epoch). */
  readonly at: number;
}

export type KeptPart = 'held' | 'drafts' | 'pending';

export const KEPT_TYPING_KEY = 'hammock.keptTyping/';
/** a record not changed for this long is dropped when the entry is read. */
export const MAX_AGE_MS = 30 * 24 * 3600_000;
/** at most this many editors' records are kept (the oldest go). */
export const MAX_RECORDS = 200;
/** a failed read of the entry is made again after this long, then twice as long each time, up to MAX_RETRY_MS. */
export const RETRY_MS = 1000;
export const MAX_RETRY_MS = 60_000;

/** unwritten keys larger than this (a long body pasted) are not kept: SecretStorage is written at each key. */
export const MAX_UNWRITTEN_CHARS = 100_000;

/** Whether `value`'s strings add up to at most `max` characters (walked, not serialized: a 1 MB body costs nothing). */
export function fitsKept(value: unknown, max = MAX_UNWRITTEN_CHARS): boolean {
  const walk = (v: unknown): boolean => (typeof v === 'string' ? (max -= v.length) >= 0 : typeof v !== 'object' || v === null || Object.values(v).every(walk));
  return walk(value);
}

export class KeptTyping {
  private records = new Map<string, KeptRecord>();
  private loaded: Promise<void> | undefined;
  /** the entry was read: what is written then holds what it held (a write before would overwrite it unread). */
  private read = false;
  /** the wait before a failed read is made again (doubled at each failure). */
  private retryMs = RETRY_MS / 2;
  private retrying = false;
  /** a change not written yet; the write in flight. */
  private dirty = false;
  private writing: Promise<void> | undefined;

  /**
   * `workspace`: what tells this workspace's entry from other windows' (its workspace file or folders). `onError`:
   * a failed write (the message only: never a value).
   */
  constructor(
    private readonly secrets: SecretStore,
    private readonly workspace: string,
    private readonly onError: (message: string) => void = () => undefined,
    private readonly now: () => number = Date.now,
    /** runs `fn` in `ms` (tests give their own). */
    private readonly later: (fn: () => void, ms: number) => void = (fn, ms) => void setTimeout(fn, ms),
  ) {}

  private get key(): string {
    return KEPT_TYPING_KEY + this.workspace;
  }

  /**
   * Reads the entry (once; later calls share the read). Old and surplus records are dropped (and written so). A read
   * that failed is made again at the next call (and before the next write: the entry is never written over unread).
   */
  load(): Promise<void> {
    this.loaded ??= Promise.resolve()
      .then(() => this.secrets.get(this.key))
      .then(
        (text) => {
          const read = parse(text);
          const cutoff = this.now() - MAX_AGE_MS;
          const fresh = [...read].filter(([, r]) => r.at >= cutoff).sort((a, b) => b[1].at - a[1].at).slice(0, MAX_RECORDS);
          // (changes made while it was read win over what was read)
          for (const [id, r] of fresh) if (!this.records.has(id)) this.records.set(id, r);
          this.read = true;
          this.retryMs = RETRY_MS / 2;
          // (and changes made while it could not be read are written now, with it)
          if (fresh.length !== read.size || this.dirty) this.changed();
        },
        (err: unknown) => {
          this.loaded = undefined;
          this.onError(`could not read the typing kept over a reload: ${err instanceof Error ? err.message : String(err)}`);
          // read again later (an editor opened meanwhile finds what it kept then), sooner if asked (load)
          if (this.retrying) return;
          this.retrying = true;
          this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
          this.later(() => {
            this.retrying = false;
            if (!this.read) void this.load();
          }, this.retryMs);
        },
      );
    return this.loaded;
  }

  /** What is kept for the editor `id` (after `load`). */
  get(id: string): KeptRecord | undefined {
    return this.records.get(id);
  }

  /** Every editor identity with something kept (after `load`). */
  get ids(): readonly string[] {
    return [...this.records.keys()];
  }

  /** Keeps (`value`), or removes (undefined), a part of what the editor `id` keeps; written at once. */
  set(id: string, part: KeptPart, value: unknown): void {
    const was = this.records.get(id);
    const empty = value === undefined || (part === 'drafts' && typeof value === 'object' && value !== null && Object.keys(value).length === 0);
    if (empty && (!was || was[part] === undefined)) return;
    const next: { held?: unknown; pending?: unknown; drafts?: Readonly<Record<string, unknown>>; at: number } = { ...was, at: this.now() };
    if (empty) delete next[part];
    else if (part === 'drafts') next.drafts = value as Record<string, unknown>;
    else next[part] = value;
    if (next.held === undefined && next.drafts === undefined && next.pending === undefined) this.records.delete(id);
    else this.records.set(id, next);
    this.changed();
  }

  /** Removes all the editor `id` keeps. */
  delete(id: string): void {
    if (this.records.delete(id)) this.changed();
  }

  /** The editor `from` is now `to` (its collection's file was moved): what it keeps goes with it. */
  rename(from: string, to: string): void {
    const r = this.records.get(from);
    if (!r || from === to) return;
    this.records.delete(from);
    this.records.set(to, r);
    this.changed();
  }

  /** Resolves when every change made so far is written (or failed). */
  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /**
   * Forgets what is in memory and reads the entry again at the next `load`: what a new extension host after a window
   * reload has (the tests use it).
   */
  forget(): void {
    this.records = new Map();
    this.loaded = undefined;
    this.read = false;
    this.dirty = false;
  }

  /** A change to write: now, or when the write in flight ends (it then writes every change made meanwhile). */
  private changed(): void {
    this.dirty = true;
    if (this.writing) return;
    const run = async (): Promise<void> => {
      // (a change made before the entry was read is written over what was read: wait for the read; not read, it
      // waits for the next read, which writes it: see load)
      await this.load();
      while (this.dirty && this.read) {
        this.dirty = false;
        const text = this.records.size ? JSON.stringify(Object.fromEntries(this.records)) : undefined;
        try {
          if (text === undefined) await this.secrets.delete(this.key);
          else await this.secrets.store(this.key, text);
        } catch (err) {
          this.onError(`could not keep what was typed over a reload: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    };
    this.writing = run().finally(() => {
      this.writing = undefined;
      // (a change made between the last write's end and now)
      if (this.dirty && this.read) this.changed();
    });
  }
}

function parse(text: string | undefined): Map<string, KeptRecord> {
  const out = new Map<string, KeptRecord>();
  if (!text) return out;
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
    for (const [id, r] of Object.entries(value as Record<string, unknown>)) {
      if (typeof r !== 'object' || r === null) continue;
      const rec = r as { held?: unknown; pending?: unknown; drafts?: unknown; at?: unknown };
      if (typeof rec.at !== 'number') continue;
      const drafts = typeof rec.drafts === 'object' && rec.drafts !== null && !Array.isArray(rec.drafts) ? (rec.drafts as Record<string, unknown>) : undefined;
      if (rec.held === undefined && drafts === undefined && rec.pending === undefined) continue;
      out.set(id, { ...(rec.held !== undefined ? { held: rec.held } : {}), ...(rec.pending !== undefined ? { pending: rec.pending } : {}), ...(drafts ? { drafts } : {}), at: rec.at });
    }
  } catch {
    // unreadable: nothing kept
  }
  return out;
}
