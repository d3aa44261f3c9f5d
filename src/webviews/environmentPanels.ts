// The environment editor: one webview panel per collection (and one per folder environment), with the collection's
// base environment, sub-environments, private environments and vault on the left, and the chosen one's variables as a
// table (name, type, value; add, rename, delete, reorder) or as JSON on the right, with its name, colour and private
// flag. Edits are merged for EDIT_DEBOUNCE_MS and written as one minimal edit (`setEnvironment`, `setFolderFields`)
// through the store, or into this machine's SecretStorage for private environments and the vault. As in the request
// editor, what the user typed is the truth while it is saved: every state says which edit it includes (`seq`).
//
// Private environments never go into the repository: making a sub-environment private moves it out of the collection
// file into SecretStorage (Insomnia's Git Sync never writes `isPrivate` environments to git either); making it shared
// again writes it back into the file, after the secret scan has had its say.
//
// When the collection's file is moved or renamed (git mv, the Explorer), the editor follows it there as the request
// editor does (followMove.ts), with what is being typed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ActiveEnvironments } from '../activeEnvironments';
import { Commands } from '../commandIds';
import type { Collection, Environment, Folder } from '../collections/model';
import { orderedKeys } from '../collections/model';
import { newId } from '../collections/ids';
import type { CollectionStore, StoreChange } from '../collections/store';
import { writers } from '../collections/lazyWriters';
import type { LocalEnvironments } from '../services/localEnvironments';
import { LOCAL_SOURCE } from '../services/localEnvironments';
import { documentUri, openDocument } from '../documents/hammockFileSystem';
import { ClosedHolding, dropWrittenKeys, EditSession, HeldEdit, heldAgain, type HeldSnapshot } from './editSession';
import type { KeptRecord, KeptTyping } from './keptTyping';
import { pendingEdits, type PendingRegistration } from './pendingEdits';
import { branchSwitch, same } from '../collections/edit/editConflict';
import { checkedOut } from '../git/checkedOut';
import { backText, conflictedItemFile, conflictText, goneTabCloses, goneText, goneTitle, HELD_UNTIL_RESOLVED, holdsConflict, notRestoredText } from './goneTab';
import { askHeld, askRestore } from './heldEditPrompt';
import type {
  EnvironmentDraft,
  EnvironmentEditFields,
  EnvironmentEditorNotification,
  EnvironmentEditorState,
  EnvironmentListEntry,
  EnvironmentPanelState,
  EnvironmentView,
  VariableValue,
} from './protocol';
import { isEnvironmentPanelState, parseEnvironmentEditorCommand } from './protocol';
import { onPageDropped, webviewHtml, webviewOptions } from './webviewHtml';
import { EDIT_DEBOUNCE_MS } from './requestPanels';
import { addsCollectionElsewhere, movedCollection, rekey } from './followMove';

export const ENVIRONMENT_EDITOR_VIEW_TYPE = 'hammock.environmentEditor';

/** The id the editor gives a collection's vault. */
export const VAULT_ID = '__vault__';

export interface EnvironmentPanelsDeps {
  readonly extensionUri: vscode.Uri;
  readonly store: CollectionStore;
  readonly active: ActiveEnvironments;
  readonly local: LocalEnvironments;
  readonly log: vscode.LogOutputChannel;
  /** what is typed and not written yet (held edits, drafts), kept over a window reload (keptTyping.ts). */
  readonly kept?: KeptTyping;
}

/** A held edit as the environment editor keeps it over a window reload: with the page it was shown on. */
interface KeptHeld extends HeldSnapshot<Pending> {
  readonly shown?: EnvironmentEditorState;
}

interface Pending {
  readonly id: string;
  readonly fields: EnvironmentEditFields;
}

/** Whether what was kept over a window reload is an environment editor's edit (SecretStorage's content is not trusted). */
const isPending = (f: unknown): f is Pending => typeof f === 'object' && f !== null && typeof (f as Pending).id === 'string';

function panelKey(state: EnvironmentPanelState): string {
  return state.folder ? `${state.collectionPath}#${state.collectionId}/folder:${state.environmentId}` : `${state.collectionPath}#${state.collectionId}`;
}

/** An environment editor's identity in what is kept over a window reload. */
export function keptId(state: EnvironmentPanelState): string {
  return `${KEPT_PREFIX}${panelKey(state)}`;
}

const KEPT_PREFIX = 'environments:';

/**
 * The fields of the environment `id` as its file has them now, in the collection (or the folder, for a folder's
 * environment) an editor at `where` shows; undefined when it is not there, or not in a file (private, the vault).
 */
function fileFieldsOf(store: CollectionStore, where: EnvironmentPanelState, id: string): EnvironmentEditFields | undefined {
  const c = store.collectionAt(where.collectionPath, where.collectionId);
  if (!c) return undefined;
  if (where.folder) {
    const located = store.locate(c.path, id);
    return located?.kind === 'item' && located.item.kind === 'folder' ? { name: located.item.name, color: null, variables: variablesOf(located.item.environment, located.item.environmentOrder) } : undefined;
  }
  const base = c.baseEnvironment;
  const env = base?.id === id ? base : base?.subEnvironments.find((e) => e.id === id);
  return env && { name: env.name, color: env.color, variables: variablesOf(env.data, env.propertyOrder) };
}

/** Every open environment editor. */
export class EnvironmentPanels implements vscode.Disposable {
  private readonly panels = new Map<string, EnvironmentEditorPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: EnvironmentPanelsDeps) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(ENVIRONMENT_EDITOR_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          await this.restore(panel, state);
        },
      }),
      deps.store.onDidChange((change) => {
        for (const p of [...this.panels.values(), ...this.closedHolding.editors]) if (p.isTouchedBy(change)) void p.refresh(change);
      }),
      deps.local.onDidChange((e) => {
        for (const p of [...this.panels.values()]) if (p.state.collectionId === e.collectionId) p.refresh();
      }),
      deps.active.onDidChange((collectionId) => {
        for (const p of [...this.panels.values()]) if (p.state.collectionId === collectionId) p.refresh();
      }),
    );
    void this.dropWritten();
  }

  /**
   * A window's start-up (and `HammockApi.reopened`'s): drops the unwritten keys the last window kept that its last
   * write put in their files (dropWrittenKeys). Private environments and the vault are not in files: they were
   * written as they were typed.
   */
  dropWritten(): Promise<void> {
    const kept = this.deps.kept;
    if (!kept) return Promise.resolve();
    return dropWrittenKeys(kept, KEPT_PREFIX, isPending, isEnvironmentPanelState, () => this.deps.store.whenComplete(), (where, p) => {
      const disk = fileFieldsOf(this.deps.store, where, p.id);
      return !!disk && Object.entries(p.fields).every(([key, value]) => value === undefined || same(disk[key as keyof EnvironmentEditFields], value));
    });
  }

  /** Opens (or shows, at `environmentId`) the environment editor of a collection or a folder, focused unless `preserveFocus`. */
  open(state: EnvironmentPanelState, preserveFocus?: boolean): EnvironmentEditorPanel {
    const existing = this.panels.get(panelKey(state));
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      void existing.select(state.environmentId);
      return existing;
    }
    if (!this.deps.store.collectionAt(state.collectionPath, state.collectionId)) throw new Error(`No collection ${state.collectionId} at ${state.collectionPath}`);
    const panel = vscode.window.createWebviewPanel(ENVIRONMENT_EDITOR_VIEW_TYPE, 'Environments', { viewColumn: vscode.ViewColumn.Active, preserveFocus }, webviewOptions(this.deps.extensionUri));
    return this.adopt(state, panel);
  }

  /**
   * Brings back an editor after a window reload. Its collection not there now (another branch): kept, titled
   * "(deleted)", as without a reload (refresh).
   */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<EnvironmentEditorPanel | undefined> {
    if (!isEnvironmentPanelState(state) || (await Promise.all([this.deps.store.whenComplete(), this.deps.kept?.load(), this.deps.local.load(state.collectionId)]), this.panels.has(panelKey(state)))) {
      panel.dispose();
      return undefined;
    }
    return this.adopt(state, panel, true);
  }

  editor(state: EnvironmentPanelState): EnvironmentEditorPanel | undefined {
    return this.panels.get(panelKey(state));
  }

  get openEditors(): readonly EnvironmentEditorPanel[] {
    return [...this.panels.values()];
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.panel.dispose();
    this.disposables.forEach((d) => d.dispose());
  }

  /**
   * Where the collection of an editor is now when its file was moved or renamed (followMove.ts): the one file with
   * the same collection (and, for a folder's environment, that folder), and no other editor showing it there.
   */
  movedTo(state: EnvironmentPanelState): EnvironmentPanelState | undefined {
    const holds = (c: Collection) => !state.folder || this.deps.store.locate(c.path, state.environmentId)?.kind === 'item';
    const to = movedCollection(this.deps.store, state.collectionPath, state.collectionId, holds);
    const next = to && { ...state, collectionPath: to.path };
    return next && !this.panels.has(panelKey(next)) ? next : undefined;
  }

  /** An editor followed its collection from `from` to where its state says now. */
  moved(editor: EnvironmentEditorPanel, from: EnvironmentPanelState): void {
    rekey(this.panels, panelKey(from), panelKey(editor.state), editor);
    this.deps.kept?.rename(keptId(from), keptId(editor.state));
  }

  /** editors closed with an edit held: asked about when what it edits is back; a new tab of the same takes it (ClosedHolding). */
  private readonly closedHolding = new ClosedHolding<EnvironmentEditorPanel>((e) => keptId(e.state));

  private adopt(state: EnvironmentPanelState, panel: vscode.WebviewPanel, broughtBack = false): EnvironmentEditorPanel {
    const editor = new EnvironmentEditorPanel(state, panel, this.deps, this, this.closedHolding.keptFor(keptId(state), this.deps.kept), broughtBack);
    this.panels.set(panelKey(state), editor);
    // (the editor's state, not `state`: it follows its collection when the file is moved)
    panel.onDidDispose(() => {
      if (this.panels.get(panelKey(editor.state)) === editor) this.panels.delete(panelKey(editor.state));
      this.closedHolding.closed(editor);
    });
    return editor;
  }
}

/** Where an environment of the editor lives. */
type Resolved =
  | { readonly kind: 'base' | 'sub'; readonly collection: Collection; readonly env: Environment }
  | { readonly kind: 'private'; readonly collection: Collection; readonly env: Environment }
  | { readonly kind: 'vault'; readonly collection: Collection }
  | { readonly kind: 'folder'; readonly collection: Collection; readonly folder: Folder };

export class EnvironmentEditorPanel {
  private ready = false;
  private lastPosted = '';
  private readonly edits: EditSession<Pending>;
  private readonly disposables: vscode.Disposable[] = [];
  /** the state as last posted (tests read it). */
  lastState: EnvironmentEditorState | undefined;

  constructor(
    public state: EnvironmentPanelState,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: EnvironmentPanelsDeps,
    private readonly owner: EnvironmentPanels,
    kept?: KeptRecord,
    /** brought back by a window reload (the serializer), not opened now: what it shows is what the user left there. */
    private readonly broughtBack = false,
  ) {
    // (assigned below, once the session it registers is made; its held edit changes only later)
    let registration: PendingRegistration | undefined;
    this.edits = new EditSession<Pending>({
      debounceMs: EDIT_DEBOUNCE_MS,
      merge: (a, b) => (a && a.id === b.id ? { id: b.id, fields: { ...a.fields, ...b.fields } } : b),
      epoch: () => checkedOut(path.dirname(this.state.collectionPath)),
      write: (p, base, since) => this.write(p, base, since),
      heldChanged: () => {
        this.keepHeld();
        void registration?.heldChanged();
      },
      unwrittenChanged: () => this.keepUnwritten(),
      saved: (_seq, err) => {
        if (err instanceof HeldEdit) {
          this.askAboutHeld(err);
          // (held again after a checkout brought the collection back: the title says it is there)
          void this.refresh();
          return;
        }
        if (err) {
          const message = err instanceof Error ? err.message : String(err);
          deps.log.error(`could not write the environment: ${message}`);
          this.post({ type: 'error', message: `Could not save: ${message}` });
        }
        this.lastPosted = '';
        void this.refresh();
      },
    });
    // in the registry git flushes before it looks at the files (pendingEdits.ts), until the last write after closing
    // and while its held edit is not settled (git warns about it as about an open tab's)
    const edits = this.edits;
    registration = pendingEdits.add({
      where: () => this.state.collectionPath,
      get busy() {
        return edits.busy;
      },
      get held() {
        return edits.held;
      },
      label: () => this.pendingLabel(),
      environments: true,
      flush: () => edits.flush(),
    });
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, deps.extensionUri, 'environments', 'Environments');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((msg) => void this.receive(msg)),
      onPageDropped(panel, () => (this.ready = false)),
      panel.onDidDispose(() => {
        this.closed = true;
        // what could not be saved yet (a name used twice, a value not valid) is kept, and said: Reopen shows it again
        if (this.drafts.size) void vscode.window.showWarningMessage('Hammock: the environment editor was closed with typing that is not saved (a name used twice, or a value not valid).', 'Reopen').then((r) => r && vscode.commands.executeCommand(Commands.editEnvironment, this.state));
        void registration?.close();
        // an edit held and not decided about: closing the tab does not drop it without a word (as the request editor)
        if (this.edits.held && !this.asking) this.askAboutHeld(this.edits.held);
        this.disposables.forEach((d) => d.dispose());
      }),
    );
    if (kept) this.takeKept(kept);
    else void this.refresh();
  }

  /**
   * Takes back what this editor kept over a window reload (or since it was closed): its held edit, held again with
   * its reason (and asked about again: the notification went with the window), and its drafts, given to the page
   * when it loads. Drafts of environments no longer in the collection are dropped. Held as gone and the environment
   * back now (a checkout back), it is asked about, not saved unasked: the editor that promised to save it is gone
   * (heldAgain).
   */
  private takeKept(kept: KeptRecord): void {
    const snapshot = this.edits.takeKept(kept, isPending).held;
    if (snapshot) {
      const { shown } = kept.held as KeptHeld;
      if (shown && typeof shown === 'object') this.lastState = shown;
      const id = snapshot.fields.id;
      this.edits.hold(heldAgain(snapshot, this.backMessage(id), () => this.goneNow(id)));
    }
    let dropped = false;
    for (const [id, draft] of Object.entries(kept.drafts ?? {})) {
      if (this.isStale(id)) dropped = true;
      else this.drafts.set(id, draft as EnvironmentDraft);
    }
    if (dropped) this.keepDrafts();
    void this.refresh().then(() => {
      if (this.edits.held && !this.asking) this.askAboutHeld(this.edits.held);
    });
  }

  /** What the editor says of a kept edit of `id`, held while it was gone, when it is back; undefined: it is not. */
  private backMessage(id: string): string | undefined {
    try {
      if (this.goneMessage(id) !== undefined) return undefined;
      const r = this.resolve(id);
      return backText(r.kind === 'vault' ? 'The vault' : r.kind === 'folder' ? `"${r.folder.name}"` : `"${r.env.name}"`, 'environment');
    } catch {
      // (the collection is not there)
      return undefined;
    }
  }

  /** Why an edit of `id` is held as gone now. */
  private goneNow(id: string): string {
    try {
      return this.goneMessage(id) ?? `${this.goneText()} What you typed is kept in this editor, unsaved.`;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  /** Whether the environment `id` is no longer in the collection (which is there): what was kept of it goes. */
  private isStale(id: string): boolean {
    try {
      this.resolve(id);
      return false;
    } catch (err) {
      return !(err instanceof HeldEdit);
    }
  }

  /**
   * What the messages (git's warning, Send's, a test run's) call what the pending or held edit is of: the environment
   * (or the folder's) by name and its collection's, as the page last showed them.
   */
  private pendingLabel(): string {
    const s = this.lastState;
    const id = this.edits.pendingFields?.id ?? this.state.environmentId;
    const env = s?.current.id === id ? s.current : s?.environments.find((e) => e.id === id);
    const of = `"${s?.collectionName ?? path.basename(this.state.collectionPath)}"`;
    return env ? `the ${this.state.folder ? 'folder environment' : 'environment'} "${env.name}" of ${of}` : `an environment of ${of}`;
  }

  /** Keeps the held edit (or removes what was kept of it) over a window reload. */
  private keepHeld(): void {
    const h = this.edits.heldEdit;
    this.deps.kept?.set(keptId(this.state), 'held', h && { ...h, ...(this.lastState ? { shown: this.lastState } : {}) });
  }

  /** Keeps the keys received and not written yet (or removes what was kept of them) over a window reload. */
  private keepUnwritten(): void {
    // (with where: the next window finds what is already in the file, EnvironmentPanels.dropWritten)
    this.deps.kept?.set(keptId(this.state), 'pending', this.edits.keptUnwritten(this.state));
  }

  /** Keeps the drafts (typing that cannot be saved yet) over a window reload. */
  private keepDrafts(): void {
    this.deps.kept?.set(keptId(this.state), 'drafts', Object.fromEntries(this.drafts));
  }

  /** Whether the environment `id` lives on this machine only (private, the vault): written without the debounce. */
  private isLocal(id: string): boolean {
    try {
      const kind = this.resolve(id).kind;
      return kind === 'private' || kind === 'vault';
    } catch {
      return false;
    }
  }

  get uiReady(): boolean {
    return this.ready;
  }

  /** Writes the pending edit now. */
  flush(): Promise<void> {
    return this.edits.flush();
  }

  /** what the editor received and has not written yet (in the debounce, or held), if anything (tests read it). */
  get unsaved(): Pending | undefined {
    return this.edits.pendingFields;
  }

  /** an edit is waiting for the debounce, being written, or held (tests read it). */
  get busy(): boolean {
    return this.edits.busy;
  }

  /** Shows another environment of the collection (the pending edit is written first). */
  async select(id: string): Promise<void> {
    if (this.state.folder || id === this.state.environmentId) return;
    await this.edits.flush();
    this.state = { ...this.state, environmentId: id };
    this.post({ type: 'persist', state: this.state });
    this.lastPosted = '';
    await this.refresh();
    this.showDraft();
  }

  /**
   * What the page held of each environment and could not save yet (a row with a repeated name, JSON half-typed), by
   * id: given back to the page that loads when the tab is shown again, or when the environment is chosen again, so
   * that leaving the tab (which drops its page) or the environment does not lose it. In memory, and in SecretStorage
   * for a window reload (keptTyping.ts; values may be secrets: nowhere else); a valid edit of the variables replaces it.
   */
  private readonly drafts = new Map<string, EnvironmentDraft>();

  /** Gives the page what it held of the environment shown and could not save yet, if anything. */
  private showDraft(): void {
    const draft = this.drafts.get(this.state.environmentId);
    if (draft) this.post({ type: 'draft', draft });
  }

  isTouchedBy(change: StoreChange): boolean {
    if (change.all) return true;
    // gone (its file moved away, seen before the new file was): its collection appearing elsewhere may be where it went
    if (addsCollectionElsewhere(change, this.state.collectionPath, this.state.collectionId) && !this.deps.store.collectionAt(this.state.collectionPath, this.state.collectionId)) return true;
    return change.collections.some((d) => d.path === this.state.collectionPath && (d.kind !== 'changed' || d.environments || d.own || (this.state.folder && (d.items === 'all' || d.items.has(this.state.environmentId)))));
  }

  /** Handles a message from the UI (validated first); public for the tests, which post what the UI would. */
  async receive(msg: unknown): Promise<void> {
    const cmd = parseEnvironmentEditorCommand(msg);
    if (!cmd) {
      this.deps.log.warn('environment editor: dropped an invalid message');
      return;
    }
    try {
      switch (cmd.type) {
        case 'ready':
          this.ready = true;
          this.goneSaid = this.subGoneSaid = false;
          this.lastPosted = '';
          this.post({ type: 'persist', state: this.state });
          await this.refresh();
          this.showHeld();
          this.showDraft();
          return;
        case 'edit':
          // the variables can be saved again: what was kept of them unsaved is in this edit
          if (cmd.fields.variables && this.drafts.delete(cmd.id)) this.keepDrafts();
          this.edits.receive({ id: cmd.id, fields: cmd.fields }, cmd.seq, cmd.base ? { id: cmd.id, fields: cmd.base } : undefined);
          // SecretStorage cannot be written once the window is closing (a reload): private values go at once
          if (this.isLocal(cmd.id)) this.edits.flushSoon();
          if ((this.edits.held?.reason === 'conflict' || this.edits.held?.reason === 'back') && !this.asking) this.askAboutHeld(this.edits.held);
          return;
        case 'select':
          await this.select(cmd.id);
          return;
        case 'activate': {
          const c = this.collection();
          await this.deps.active.set(c.id, cmd.id === c.baseEnvironment?.id || cmd.id === VAULT_ID ? undefined : cmd.id);
          return;
        }
        case 'create':
          await this.select(await this.create(cmd.kind));
          return;
        case 'delete':
          await this.remove(cmd.id);
          return;
        case 'duplicate':
          await this.select(await this.duplicate(cmd.id));
          return;
        case 'move':
          await this.move(cmd.id, cmd.before);
          return;
        case 'setPrivate':
          await this.setPrivate(cmd.id, cmd.private);
          return;
        case 'draft':
          if (cmd.rows || cmd.json !== undefined) this.drafts.set(cmd.id, { id: cmd.id, base: cmd.base, ...(cmd.rows ? { rows: cmd.rows } : {}), ...(cmd.json !== undefined ? { json: cmd.json } : {}) });
          else this.drafts.delete(cmd.id);
          this.keepDrafts();
          void this.refresh();
          return;
        case 'openJson': {
          await this.edits.flush();
          const r = this.resolve(cmd.id);
          if (r.kind === 'vault') throw new Error('The vault is edited here: its values stay masked.');
          const name = r.kind === 'folder' ? r.folder.name : r.env.name;
          const uri = documentUri({ collectionPath: r.collection.path, collectionId: r.collection.id, itemId: cmd.id, part: 'environment' }, r.collection.name, name, 'json');
          await openDocument(uri, { beside: true });
          return;
        }
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.deps.log.error(`environment editor: ${message}`);
      this.post({ type: 'error', message });
      this.lastPosted = '';
      await this.refresh();
    }
  }

  /**
   * Posts the editor's state when it differs from what the UI last got. The collection gone, as for the request
   * editor (RequestEditorPanel.refresh): by an edit made here the panel closes; from disk (a checkout) it stays, titled
   * "(deleted)", says so, and shows the collection again when it comes back; a held edit keeps it (and says so).
   */
  async refresh(change?: StoreChange): Promise<void> {
    if (this.closed) {
      // closed with an edit held while its environment was gone, and it is back: asked about, not saved unasked
      const h = this.edits.heldEdit;
      if (h?.reason === 'gone' && this.backMessage(h.fields.id) !== undefined) {
        this.edits.discard();
        this.takeKept({ held: h, at: 0 });
        this.keepHeld();
      }
      return;
    }
    // changed on disk from elsewhere under keys still in the debounce: checked now (EditSession.outsideChange)
    if (change && change.edit === undefined) this.edits.outsideChange();
    const c = this.deps.store.collectionAt(this.state.collectionPath, this.state.collectionId) ?? this.followMove();
    const there = this.there;
    this.there = !!c;
    if (!c) {
      const idle = this.deps.store.isLoaded && !this.edits.busy;
      if (goneTabCloses(idle, change, there)) this.panel.dispose();
      else if (idle) {
        const title = goneTitle(this.panel.title, this.collectionConflicted());
        if (title !== this.panel.title) this.panel.title = title;
        if (!this.goneSaid && this.ready) {
          this.goneSaid = true;
          // a page loaded since (its tab shown again) shows the collection's environments as they were, under it
          if (this.lastState) this.post({ type: 'state', state: this.lastState, seq: this.edits.writtenSeq });
          this.post({ type: 'error', held: true, message: `${this.goneText()} This tab shows it again if it comes back.` });
          // the next state posted takes the message away
          this.lastPosted = '';
        }
      }
      return;
    }
    this.goneSaid = false;
    // back (its file moved and followed, a checkout back) with an edit held while it was gone: save it, checked as any
    // edit; still gone (the environment deleted on disk): the page keeps showing it, with what was typed
    if (this.edits.held?.reason === 'gone') {
      const id = this.edits.pendingFields?.id;
      if (id === undefined || this.goneMessage(id) === undefined) {
        void this.edits.release(false);
        return;
      }
      if (id === this.state.environmentId) return;
    }
    await this.deps.local.load(c.id);
    let view: EnvironmentEditorState;
    try {
      view = this.view(c);
    } catch {
      const shownThere = this.shownThere;
      this.shownThere = false;
      // the environment shown went away while the user typed in it: its write holds the edit (see write), the page
      // stays on it; keys typed next must not land in another environment's fields
      if (this.edits.busy) return;
      // a sub-environment (a folder) gone from disk (a checkout), not by an edit here: kept on the page with a word, as
      // any gone tab (goneTabCloses); keys typed meanwhile are held (write), it is shown again when it comes back
      const shown = this.lastState?.current;
      // a tab brought back by a window reload (nothing shown yet) while its folder or sub-environment is away: kept the
      // same way (a sub-environment's tab must not turn into the base environment's: the next reload brings that back)
      const restored = !shown && (this.state.folder || this.broughtBack);
      const kept = restored || ((shown?.kind === 'sub' || shown?.kind === 'folder') && shown.id === this.state.environmentId);
      if (kept && !goneTabCloses(this.deps.store.isLoaded, change, shownThere)) {
        const conflicted = this.conflictedFile(this.state.environmentId);
        const title = goneTitle(this.panel.title, !!conflicted);
        if (((restored && this.state.folder) || shown?.kind === 'folder') && title !== this.panel.title) this.panel.title = title;
        if (!this.subGoneSaid && this.ready) {
          this.subGoneSaid = true;
          if (this.lastState) this.post({ type: 'state', state: this.lastState, seq: this.edits.writtenSeq });
          const what = shown ? `"${shown.name}"` : this.state.folder ? 'The folder' : 'The environment';
          const said = conflicted ? `${conflictText(what, vscode.workspace.asRelativePath(conflicted))} This tab shows it again once the conflict is resolved.` : `${goneText(what, 'the collection')} This tab shows it again if it comes back.`;
          this.post({ type: 'error', held: true, message: said });
          this.lastPosted = '';
        }
        return;
      }
      // else (deleted here) show the base environment; a folder's tab closes
      if (this.state.folder || !c.baseEnvironment) {
        this.panel.dispose();
        return;
      }
      this.state = { ...this.state, environmentId: c.baseEnvironment.id };
      this.post({ type: 'persist', state: this.state });
      view = this.view(c);
    }
    this.subGoneSaid = false;
    this.shownThere = true;
    this.lastState = view;
    this.panel.title = `${this.state.folder ? `${view.current.name} · Environment` : `Environments · ${c.name}`}${this.drafts.size ? ' (not saved)' : ''}`;
    const json = JSON.stringify(view);
    if (!this.ready || this.edits.busy || json === this.lastPosted) return;
    this.lastPosted = json;
    this.post({ type: 'state', state: view, seq: this.edits.writtenSeq });
  }

  post(message: EnvironmentEditorNotification): void {
    // (a closed editor's held edit is still asked about and settled: no page to tell)
    if (!this.closed && (this.ready || message.type === 'persist')) void this.panel.webview.postMessage(message);
  }

  // ------------------------------------------------------------------------------------------------------------

  /**
   * The collection's file was moved or renamed (git mv, the Explorer): the editor follows it there when that is
   * unambiguous (EnvironmentPanels.movedTo), with its pending or held edit. Returns the collection there.
   */
  private followMove(): Collection | undefined {
    const next = this.owner.movedTo(this.state);
    if (!next) return undefined;
    const from = this.state;
    this.state = next;
    this.owner.moved(this, from);
    this.deps.log.info(`environment editor: followed the collection from ${from.collectionPath} to ${next.collectionPath}`);
    // the page keeps the new place for a window reload
    this.post({ type: 'persist', state: this.state });
    return this.deps.store.collectionAt(this.state.collectionPath, this.state.collectionId);
  }

  private collection(): Collection {
    const c = this.deps.store.collectionAt(this.state.collectionPath, this.state.collectionId) ?? this.followMove();
    if (!c) throw new HeldEdit(`${this.goneText()} What you typed is kept in this editor, unsaved; it is saved if the collection comes back.`, 'gone');
    return c;
  }

  private resolve(id: string): Resolved {
    const collection = this.collection();
    if (this.state.folder) {
      const located = this.deps.store.locate(collection.path, id);
      if (located?.kind !== 'item' || located.item.kind !== 'folder') throw new Error('The folder is no longer in the collection.');
      this.folderParent = located.item.parentId;
      return { kind: 'folder', collection, folder: located.item };
    }
    if (id === VAULT_ID) return { kind: 'vault', collection };
    const base = collection.baseEnvironment;
    if (base && base.id === id) return { kind: 'base', collection, env: base };
    const sub = base?.subEnvironments.find((e) => e.id === id);
    if (sub) return { kind: 'sub', collection, env: sub };
    const priv = base ? this.deps.local.environments(collection.id, base.id).find((e) => e.id === id) : undefined;
    if (priv) return { kind: 'private', collection, env: priv };
    throw new Error('That environment is no longer in the collection.');
  }

  private view(c: Collection): EnvironmentEditorState {
    const r = this.resolve(this.state.environmentId);
    const rel = (file: string) => vscode.workspace.asRelativePath(file);
    let current: EnvironmentView;
    switch (r.kind) {
      case 'folder':
        current = { id: r.folder.id, kind: 'folder', name: r.folder.name, color: null, isPrivate: false, variables: variablesOf(r.folder.environment, r.folder.environmentOrder), storedIn: rel(r.folder.source.file) };
        this.seenIn.set(r.folder.id, r.folder.source.file);
        break;
      case 'vault': {
        const vault = this.deps.local.vault(c.id);
        current = { id: VAULT_ID, kind: 'vault', name: 'Vault', color: null, isPrivate: true, variables: Object.entries(vault), storedIn: 'this machine only (VS Code SecretStorage); requests read it as {{ vault.<name> }}' };
        break;
      }
      default: {
        const env = r.env;
        if (r.kind !== 'private') this.seenIn.set(env.id, env.source.file);
        current = {
          id: env.id,
          kind: r.kind,
          name: env.name,
          color: env.color,
          isPrivate: r.kind === 'private' || env.isPrivate,
          variables: variablesOf(env.data, env.propertyOrder),
          storedIn: r.kind === 'private' ? 'this machine only (VS Code SecretStorage), never in the repository' : rel(env.source.file),
          ...(r.kind === 'sub' && env.isPrivate ? { warning: `Marked private, but it is in ${rel(env.source.file)}, which git tracks: make it private here to move it to this machine.` } : {}),
        };
      }
    }
    const environments: EnvironmentListEntry[] = [];
    const base = c.baseEnvironment;
    if (!this.state.folder && base) {
      const activeId = this.deps.active.get(c.id);
      const subs = base.subEnvironments;
      const privs = this.deps.local.environments(c.id, base.id);
      const isActive = (id: string) => activeId === id;
      environments.push({ id: base.id, name: base.name, kind: 'base', color: base.color, active: !activeId || ![...subs, ...privs].some((e) => e.id === activeId) });
      for (const e of subs) environments.push({ id: e.id, name: e.name, kind: 'sub', color: e.color, active: isActive(e.id) });
      for (const e of privs) environments.push({ id: e.id, name: e.name, kind: 'private', color: e.color, active: isActive(e.id) });
      environments.push({ id: VAULT_ID, name: 'Vault', kind: 'vault', color: null, active: false });
    }
    const inherited = [
      ...(current.kind !== 'base' && c.baseEnvironment ? Object.keys(c.baseEnvironment.data).filter((k) => !k.startsWith('__')) : []),
      ...Object.keys(this.deps.local.vault(c.id)).map((k) => `vault.${k}`),
    ];
    return { collectionName: c.name, title: this.state.folder ? 'Folder environment' : 'Environments', environments, current, inherited };
  }

  /**
   * Why the environment (or folder) `id` of the collection cannot be written any more, as the user is told: it was
   * deleted on disk (a teammate in Insomnia, a pull, a checkout); undefined when it is there. Throws a HeldEdit when
   * the whole collection is gone.
   */
  private goneMessage(id: string): string | undefined {
    try {
      this.resolve(id);
      return undefined;
    } catch (err) {
      if (err instanceof HeldEdit) throw err;
      const shown = this.lastState?.current.id === id ? this.lastState.current : undefined;
      const name = shown ? `"${shown.name}"` : this.state.folder ? 'The folder' : 'The environment';
      const conflicted = this.conflictedFile(id);
      if (conflicted) return `${conflictText(name, vscode.workspace.asRelativePath(conflicted))} ${HELD_UNTIL_RESOLVED}`;
      const where = `${this.state.folder ? 'the folder' : 'the environment'} comes back, or "Restore Environment" puts it back with what you typed`;
      return `${goneText(name, 'the collection')} What you typed is kept in this editor, unsaved; it is saved if ${where}.`;
    }
  }

  /** the file each environment (folder) shown here was last seen in, by id (not private ones: they have none). */
  private readonly seenIn = new Map<string, string>();

  /**
   * The file the environment (folder) `id` was last seen in (never seen here: the legacy file named after it), when it
   * holds git's conflict markers now (a merge stopped on it): it is in there, not deleted, so nothing is restored (a
   * restore would write over the conflict).
   */
  private conflictedFile(id: string): string | undefined {
    return conflictedItemFile(this.deps.store.problems, this.state.collectionPath, id, this.seenIn.get(id));
  }

  /** the folder above the folder whose environment this editor shows, when last seen (where "Restore" puts it back). */
  private folderParent: string | undefined;

  /**
   * "Restore Environment": a sub-environment deleted on disk while the user typed in it comes back with its id, name,
   * colour and the variables the editor shows (typed edits included); a folder (its environment edited) with its id
   * and name, where it was last seen, holding them; the held edit is then in.
   */
  async restoreGone(): Promise<void> {
    const held = this.edits.held;
    const pending = this.edits.pendingFields;
    const shown = this.lastState?.current;
    if (held?.reason !== 'gone' || !pending || !shown || shown.id !== pending.id || (shown.kind !== 'sub' && shown.kind !== 'folder')) return;
    const conflicted = this.conflictedFile(shown.id);
    if (conflicted) throw new Error(notRestoredText(`"${shown.name}"`, vscode.workspace.asRelativePath(conflicted)));
    const c = this.collection();
    const variables = pending.fields.variables ?? shown.variables;
    const name = pending.fields.name ?? shown.name;
    if (shown.kind === 'folder') {
      const parent = this.folderParent === undefined ? undefined : this.deps.store.locate(c.path, this.folderParent);
      const parentId = parent?.kind === 'item' && parent.item.kind === 'folder' ? parent.item.id : c.id;
      await this.deps.store.apply(c, { kind: 'createFolder', id: shown.id, parentId, name });
      await this.deps.store.apply(c, { kind: 'setFolderFields', id: shown.id, fields: { environment: dataOf(variables), environmentOrder: variables.map(([k]) => k) } });
    } else {
      await this.deps.store.apply(c, { kind: 'createEnvironment', id: shown.id, name, color: pending.fields.color !== undefined ? pending.fields.color : shown.color, data: dataOf(variables) });
    }
    await this.edits.resolve('mine');
    this.lastPosted = '';
    await this.refresh();
  }

  /** the user is being asked what to do with a held edit. */
  asking = false;
  /** the panel was closed (its pending edit is still written, its held edit still asked about). */
  private closed = false;
  /** whether the page was told its collection is gone (kept open: refresh). */
  private goneSaid = false;
  /** whether the collection was there at the last refresh (goneTabCloses); none yet: the constructor's refresh sets it. */
  private there = false;

  /** whether the collection's file (a v5 collection's) holds git's conflict markers now: a merge stopped on it. */
  private collectionConflicted(): boolean {
    return holdsConflict(this.deps.store.problems, this.state.collectionPath);
  }

  /** what the page and a held edit say of a collection not where the tab has it (or unreadable: a merge conflict). */
  private goneText(): string {
    const name = this.lastState?.collectionName ?? 'The collection';
    const where = vscode.workspace.asRelativePath(this.state.collectionPath);
    return this.collectionConflicted() ? conflictText(name, where) : goneText(name, where);
  }

  /** whether the page was told the sub-environment (the folder) it shows is gone (kept on the page: refresh). */
  private subGoneSaid = false;
  /** whether the environment (the folder) shown was there at the last refresh (goneTabCloses). */
  private shownThere = false;

  /**
   * A page loaded again (its tab shown again) while an edit is held: it shows what was typed, and why it is not saved
   * (refresh posts nothing while the edit waits).
   */
  private showHeld(): void {
    const held = this.edits.held;
    const s = this.lastState;
    if (!held || !s) return;
    const p = this.edits.pendingFields;
    this.post({ type: 'state', state: p?.id === s.current.id ? { ...s, current: { ...s.current, ...p.fields } } : s, seq: this.edits.writtenSeq });
    this.post({ type: 'error', message: `Not saved: ${held.message}`, held: true });
    this.lastPosted = '';
  }

  /** Says in the editor, and in a notification with the two ways out, that an edit is held: the file changed it too. */
  private askAboutHeld(held: HeldEdit): void {
    this.post({ type: 'error', message: `Not saved: ${held.message}`, held: true });
    if (held.reason === 'gone') {
      this.deps.log.warn(`environment editor: ${held.message}`);
      const kind = this.lastState?.current.kind;
      if ((kind !== 'sub' && kind !== 'folder') || this.asking) return;
      const id = this.edits.pendingFields?.id;
      if (id !== undefined && this.conflictedFile(id)) {
        // nothing to restore: said, and the edit waits for the resolution (refresh)
        void vscode.window.showWarningMessage(`Hammock: ${held.message}`);
        return;
      }
      this.asking = true;
      void askRestore(this, this.edits, held, 'Environment', `"${this.lastState!.current.name}"`, (back) => this.askAboutHeld(back), () => this.restoreGone(), this.deps.log);
      return;
    }
    askHeld(this, this.edits, held);
  }

  /** why the editor's edit is not saved and waits for the user, if it is (tests read it). */
  get heldEdit(): HeldEdit | undefined {
    return this.edits.held;
  }

  /** Writes the held edit over the file's variables (`mine`), or drops it and shows the file's (`file`). */
  async resolveHeld(choice: 'mine' | 'file' | undefined): Promise<void> {
    if (!this.edits.held) return;
    await this.edits.resolve(choice);
    this.lastPosted = '';
    if (choice === 'file') await this.refresh();
  }

  /**
   * The edit merged with a change made on disk since the page read the environment (Insomnia saving it, a checkout):
   * the variables one by one (editConflict.ts), the name and colour as wholes. Throws a HeldEdit on a conflict.
   */
  private async mergedWithDisk(p: Pending, base: Pending): Promise<EnvironmentEditFields> {
    const before = this.resolve(p.id);
    if (before.kind !== 'base' && before.kind !== 'sub' && before.kind !== 'folder') return p.fields;
    const file = before.kind === 'folder' ? before.folder.source.file : before.env.source.file;
    // a change on disk the watcher has not reported yet is taken in first (a stat when there is none)
    if (file) await this.deps.store.refreshPaths([file]);
    // (gone meanwhile: says so, as the write would)
    this.resolve(p.id);
    const disk: EnvironmentEditFields = fileFieldsOf(this.deps.store, this.state, p.id) ?? {};
    const out: { name?: string; color?: string | null; variables?: (readonly [string, VariableValue])[] } = {};
    const conflicts: string[] = [];
    for (const key of ['name', 'color'] as const) {
      const mine = p.fields[key];
      if (mine === undefined) continue;
      const was = base.fields[key];
      // the user put it back as it was: the file's stands; else the user's, unless the file changed it too
      if (was !== undefined && same(mine, was)) continue;
      if (was !== undefined && !same(disk[key], was) && !same(disk[key], mine)) conflicts.push(key === 'name' ? 'the name' : 'the colour');
      else if (key === 'name') out.name = mine as string;
      else out.color = mine as string | null;
    }
    if (p.fields.variables) {
      if (!base.fields.variables) out.variables = [...p.fields.variables];
      else {
        const merged = writers().mergeVariables(base.fields.variables, disk.variables ?? [], p.fields.variables);
        if ('conflicts' in merged) conflicts.push(...merged.conflicts.map((n) => `the variable ${n}`));
        else out.variables = merged.variables as [string, VariableValue][];
      }
    }
    if (conflicts.length) {
      throw new HeldEdit(`${conflicts.join(', ')} of "${disk.name ?? ''}" changed on disk while you were editing: another program saved it, or a checkout. Your edit is not saved yet.`, 'conflict', conflicts);
    }
    return out;
  }

  private async write(p: Pending, base?: Pending, since?: string): Promise<void> {
    // keys typed before a `git checkout` from a terminal: not written unasked on the other branch's file
    const switched = base && branchSwitch(since, checkedOut(path.dirname(this.state.collectionPath)));
    if (switched) {
      const kind = this.resolve(p.id).kind;
      if (kind !== 'vault' && kind !== 'private') {
        throw new HeldEdit(`the branch changed ${switched} (a checkout) while you were editing the environment: what you typed is not saved yet. "Overwrite with Mine" writes the variables as this editor shows them.`, 'conflict');
      }
    }
    const gone = this.goneMessage(p.id);
    if (gone) throw new HeldEdit(gone, 'gone');
    const fields = base && base.id === p.id ? await this.mergedWithDisk(p, base) : p.fields;
    if (Object.keys(fields).length === 0) return;
    const r = this.resolve(p.id);
    const data = fields.variables ? dataOf(fields.variables) : undefined;
    const order = fields.variables?.map(([k]) => k);
    switch (r.kind) {
      case 'folder':
        if (data) await this.deps.store.apply(r.collection, { kind: 'setFolderFields', id: r.folder.id, fields: { environment: data, environmentOrder: order } });
        return;
      case 'vault': {
        if (!data) return;
        const was = this.deps.local.vault(r.collection.id);
        for (const name of Object.keys(was)) if (!(name in data)) await this.deps.local.setVaultValue(r.collection.id, name, undefined);
        for (const [name, value] of Object.entries(data)) {
          const text = typeof value === 'string' ? value : JSON.stringify(value);
          if (was[name] !== text) await this.deps.local.setVaultValue(r.collection.id, name, text);
        }
        return;
      }
      case 'private':
        await this.deps.local.updateEnvironment(r.collection.id, r.env.id, { name: fields.name, color: fields.color, data, order });
        return;
      default: {
        // keys Insomnia keeps in the data and the editor does not show (`__insomnia_vault`) stay
        const kept = Object.fromEntries(Object.entries(r.env.data).filter(([k]) => k.startsWith('__insomnia')));
        await this.deps.store.apply(r.collection, {
          kind: 'setEnvironment',
          id: r.env.id,
          fields: {
            ...(fields.name !== undefined ? { name: fields.name } : {}),
            ...(fields.color !== undefined ? { color: fields.color } : {}),
            ...(data ? { data: { ...data, ...kept }, order: [...order!, ...Object.keys(kept)] } : {}),
          },
        });
      }
    }
  }

  private async create(kind: 'sub' | 'private'): Promise<string> {
    await this.edits.flush();
    const c = this.collection();
    if (kind === 'sub') {
      const r = await this.deps.store.apply(c, { kind: 'createEnvironment', name: 'New Environment' });
      if (!r.createdId) throw new Error('No environment was created.');
      return r.createdId;
    }
    // a private environment hangs under the base environment, as Insomnia's do
    if (!c.baseEnvironment) throw new Error(`"${c.name}" has no base environment yet: add an environment first (+ Environment).`);
    const id = newId('env');
    await this.deps.local.createEnvironment(c.id, { id, name: 'Private', data: {}, color: null });
    return id;
  }

  private async duplicate(id: string): Promise<string> {
    await this.edits.flush();
    const r = this.resolve(id);
    if (r.kind === 'sub') {
      const out = await this.deps.store.apply(r.collection, { kind: 'duplicate', id });
      return out.createdId ?? id;
    }
    if (r.kind === 'private') {
      const copy = newId('env');
      await this.deps.local.createEnvironment(r.collection.id, { id: copy, name: `${r.env.name} (Copy)`, data: r.env.data, order: orderedKeys(r.env.data, r.env.propertyOrder), color: r.env.color });
      return copy;
    }
    throw new Error('Only sub-environments can be duplicated.');
  }

  private async remove(id: string): Promise<void> {
    await this.edits.flush();
    const r = this.resolve(id);
    if (r.kind !== 'sub' && r.kind !== 'private') throw new Error('Only sub-environments can be deleted.');
    const where = r.kind === 'private' ? 'from this machine' : `from ${vscode.workspace.asRelativePath(r.env.source.file)}`;
    const ok = await vscode.window.showWarningMessage(`Delete the environment "${r.env.name}"?`, { modal: true, detail: `Its ${Object.keys(r.env.data).length} variables are deleted ${where}.` }, 'Delete');
    if (ok !== 'Delete') return;
    if (r.kind === 'private') await this.deps.local.deleteEnvironment(r.collection.id, id);
    else await this.deps.store.apply(r.collection, { kind: 'delete', id });
    if (this.deps.active.get(r.collection.id) === id) await this.deps.active.set(r.collection.id, undefined);
    if (this.state.environmentId === id && r.collection.baseEnvironment) await this.select(r.collection.baseEnvironment.id);
  }

  private async move(id: string, before: string | undefined): Promise<void> {
    await this.edits.flush();
    const r = this.resolve(id);
    if (r.kind === 'sub') {
      // a file environment moves among the file's; before a private one (or the vault) = last of the file's
      const target = before && r.collection.baseEnvironment?.subEnvironments.some((e) => e.id === before) ? before : undefined;
      await this.deps.store.apply(r.collection, { kind: 'moveEnvironment', id, before: target });
    } else if (r.kind === 'private') {
      const list = this.deps.local.environments(r.collection.id, r.collection.baseEnvironment?.id ?? '').filter((e) => e.id !== id);
      const at = before ? list.findIndex((e) => e.id === before) : -1;
      const sortKey = at < 0 ? (list.length ? list[list.length - 1].sortKey + 100 : r.env.sortKey) : at === 0 ? list[0].sortKey - 100 : (list[at - 1].sortKey + list[at].sortKey) / 2;
      await this.deps.local.updateEnvironment(r.collection.id, id, { sortKey });
    } else {
      throw new Error('Only sub-environments can be reordered.');
    }
  }

  /**
   * Moves a sub-environment between the collection file and this machine. To private: a copy in SecretStorage (same
   * id, so it stays active), then the file's is deleted. To shared: the secret scan looks at its values first, then it
   * is written into the file (same id) and the private one goes.
   */
  private async setPrivate(id: string, makePrivate: boolean): Promise<void> {
    await this.edits.flush();
    const r = this.resolve(id);
    const rel = (f: string) => vscode.workspace.asRelativePath(f);
    if (makePrivate && r.kind === 'sub') {
      const ok = await vscode.window.showInformationMessage(
        `Make "${r.env.name}" private?`,
        { modal: true, detail: `It moves out of ${rel(r.env.source.file)} into VS Code's SecretStorage on this machine, as Insomnia keeps private environments out of Git Sync. Teammates no longer get it once you commit.` },
        'Make Private',
      );
      if (ok !== 'Make Private') return;
      await this.deps.local.createEnvironment(r.collection.id, { id: r.env.id, name: r.env.name, data: r.env.data, order: orderedKeys(r.env.data, r.env.propertyOrder), color: r.env.color, sortKey: r.env.sortKey, ...(r.env.created !== undefined ? { created: r.env.created } : {}) });
      await this.deps.store.apply(r.collection, { kind: 'delete', id: r.env.id });
      return;
    }
    if (!makePrivate && r.kind === 'private') {
      const file = r.collection.format === 'v5' ? rel(r.collection.path) : `${rel(r.collection.path)}/Environment`;
      const findings = writers().scanEnvironment({ ...r.env, source: LOCAL_SOURCE }, { file: '', collectionPath: r.collection.path, collectionId: r.collection.id, collectionName: r.collection.name });
      const detail = findings.length
        ? `These values look like secrets and would go into git:\n${findings.map((f) => `• ${writers().describeFinding(f)}`).join('\n')}`
        : `It is written into ${file}, which git tracks: teammates get it once you commit.`;
      const ok = await vscode.window.showWarningMessage(`Share "${r.env.name}" in the collection file?`, { modal: true, detail }, findings.length ? 'Share Anyway' : 'Share');
      if (!ok) return;
      // (its created time and sort key too: private and back is no change to the file but `modified`)
      await this.deps.store.apply(r.collection, { kind: 'createEnvironment', id: r.env.id, name: r.env.name, data: dataInOrder(r.env), color: r.env.color, sortKey: r.env.sortKey, ...(r.env.created !== undefined ? { created: r.env.created } : {}) });
      await this.deps.local.deleteEnvironment(r.collection.id, r.env.id);
      return;
    }
    if (!makePrivate && r.kind === 'sub' && r.env.isPrivate) {
      // a file environment marked private by Insomnia: unmark it (it is shared already)
      await this.deps.store.apply(r.collection, { kind: 'setEnvironment', id: r.env.id, fields: { isPrivate: false } });
    }
  }
}

function variablesOf(data: Record<string, unknown>, order?: readonly string[]): [string, VariableValue][] {
  return orderedKeys(data, order)
    .filter((k) => !k.startsWith('__insomnia'))
    .map((k) => [k, data[k] as VariableValue]);
}

function dataOf(variables: readonly (readonly [string, VariableValue])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of variables) out[k] = v;
  return out;
}

function dataInOrder(env: Environment): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of orderedKeys(env.data, env.propertyOrder)) out[k] = env.data[k];
  return out;
}
