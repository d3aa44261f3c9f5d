// The request editor: one webview panel per request (opening it again focuses it; panels come back after a window
// reload through a serializer). Every edit from the UI is merged for EDIT_DEBOUNCE_MS and then written as one
// minimal YAML edit (`setRequestFields`) through the store; a change of the file from elsewhere (another editor,
// a pull) reaches the panel through `store.onDidChange`, when the change touches the request or a folder above it.
// Sending goes through a `RequestSender`; the response shows in the `ResponseViewer` beside, and is kept in the
// request's history.
//
// What the user typed is the truth while it is being saved: each edit carries a sequence number, and every state
// the host posts says up to which edit it includes (`seq`). The UI ignores a state that does not include its latest
// edit, so the echo of an earlier save never overwrites what was typed after it; the host posts a state again once
// the last edit is in (also when it changed nothing on disk, as `x` then Backspace does).
//
// Each edit also says what the page held in its fields before (`base`). When the file changed those fields since
// (Insomnia saved the same request, a `git checkout` under the editor), the edit is held, unsaved, and the user
// chooses: their version over the file's, or the file's. When the request went away (deleted, moved to another file,
// not on this branch) while an edit was unsaved, the panel stays open with it, and saves it if the request comes back.
// When its collection's file is moved or renamed (git mv, the Explorer) and exactly one other file now holds the
// same collection (its workspace id) with the request, the panel follows it there, with what is being typed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { editorTitle } from './editorTitle';
import { backText, conflictedItemFile, conflictText, goneTabCloses, goneText, goneTitle, HELD_UNTIL_RESOLVED, notRestoredText } from './goneTab';
import { unrevivedTab } from './restoredTabs';
import type { ActiveEnvironments } from '../activeEnvironments';
import type { Collection, HttpRequest } from '../collections/model';
import { walkItems } from '../collections/model';
import type { RequestFieldsPatch } from '../collections/edits';
import type { CollectionStore, StoreChange } from '../collections/store';
import type { EditorContextView, EditorNotification, PanelState, RequestPart, RequestView } from './protocol';
import { isPanelState, parseEditorCommand } from './protocol';
import type { ResponseHistory, ResponseOwner, ResponseRecord } from './responseHistory';
import type { RequestSender } from './requestSender';
import { ResponseViewer } from './responseViewer';
import { ClosedHolding, dropWrittenKeys, EditSession, HeldEdit, heldAgain, patchApplied, withPatch, type HeldSnapshot } from './editSession';
import type { KeptRecord, KeptTyping } from './keptTyping';
import { SENT_CONTEXT } from '../walkthroughContext';
import { pendingEdits, type PendingRegistration } from './pendingEdits';
import { branchSwitch, canonical } from '../collections/edit/editConflict';
import { writers } from '../collections/lazyWriters';
import { checkedOut } from '../git/checkedOut';
import { askHeld, askRestore } from './heldEditPrompt';
import { previewUrl } from './previewUrl';
import { answerCurlPaste } from './curlPaste';
import { httpEngine } from './httpEngine';
import { onPageDropped, webviewHtml, webviewOptions } from './webviewHtml';
import { bodyExtension, documentUri, openDocument } from '../documents/hammockFileSystem';
import { maskSecrets, requestVariables } from './requestVariables';
import { addsCollectionElsewhere, movedCollection, rekey } from './followMove';

export const EDITOR_VIEW_TYPE = 'hammock.requestEditor';
export const EDIT_DEBOUNCE_MS = 300;

export interface RequestPanelsDeps {
  readonly extensionUri: vscode.Uri;
  readonly store: CollectionStore;
  readonly active: ActiveEnvironments;
  readonly log: vscode.LogOutputChannel;
  readonly history: ResponseHistory;
  readonly sender: RequestSender;
  /** held edits, kept over a window reload (keptTyping.ts). */
  readonly kept?: KeptTyping;
}

function keyOf(state: PanelState): string {
  return `${state.collectionPath}#${state.requestId}`;
}

/** A request editor's identity in what is kept over a window reload. */
export function keptId(state: PanelState): string {
  return `${KEPT_PREFIX}${keyOf(state)}`;
}

const KEPT_PREFIX = 'request:';

/** Whether what was kept over a window reload is a request editor's patch (SecretStorage's content is not trusted). */
const isPatch = (f: unknown): f is RequestFieldsPatch => typeof f === 'object' && f !== null;

/** A held edit as the request editor keeps it over a window reload: with the request as it was shown, and where. */
interface KeptHeld extends HeldSnapshot<RequestFieldsPatch> {
  readonly shown?: RequestView;
  readonly parentId?: string;
  readonly collectionId?: string;
  readonly file?: string;
}

/** Which request's responses (responseHistory.ts): filed by the collection's workspace id, told apart by its file. */
function responseOwner(collection: Collection, state: PanelState): ResponseOwner {
  return { collectionPath: collection.path, collectionId: collection.id, requestId: state.requestId };
}

function viewOf(collection: Collection, r: HttpRequest): RequestView {
  const folders = httpEngine().ancestorFolders(collection, r.id)?.folders ?? [];
  const inheritedHeaders = httpEngine().effectiveHeaders(collection, r, folders)
    .filter((h) => h.where !== 'request')
    .map((h) => ({ name: h.row.name, value: h.row.value, where: h.where }));
  const auth = httpEngine().effectiveAuth(collection, r, folders);
  const owner = auth.ownerId === r.id ? undefined : folders.find((f) => f.id === auth.ownerId);
  return {
    inheritedHeaders,
    inheritedAuth: owner ? { type: String(auth.auth.type ?? ''), where: `folder "${owner.name}"` } : undefined,
    id: r.id,
    name: r.name,
    collectionName: collection.name,
    folders: folders.map((f) => f.name),
    method: r.method,
    url: r.url,
    parameters: r.parameters,
    headers: r.headers,
    body: r.body,
    authentication: r.authentication,
    description: r.description,
    settings: r.settings,
    scripts: r.scripts,
  };
}

/** Every open request editor, the response viewer, and sending. */
export class RequestPanels implements vscode.Disposable {
  private readonly editors = new Map<string, RequestEditorPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly sending = new Map<string, AbortController>();
  readonly viewer: ResponseViewer;
  private readonly _onDidFocusCollection = new vscode.EventEmitter<{ path: string; id: string }>();
  /** fires with the collection of a request editor that became the active panel (the status bar follows it). */
  readonly onDidFocusCollection = this._onDidFocusCollection.event;

  constructor(private readonly deps: RequestPanelsDeps) {
    this.viewer = new ResponseViewer(deps.extensionUri, deps.log, (state) => this.history(state));
    this.disposables.push(
      this.viewer,
      vscode.window.registerWebviewPanelSerializer(EDITOR_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          await this.restore(panel, state);
        },
      }),
      deps.store.onDidChange((change) => {
        for (const editor of [...this.editors.values()]) {
          if (editor.isTouchedBy(change)) editor.refresh(change);
          // the variables the fields offer and check: the collection's environments changed
          else if (change.collections.some((d) => d.path === editor.state.collectionPath && d.environments)) void editor.postContext();
        }
        // (closed with an edit held: asked about when what it edits is back)
        for (const editor of [...this.closedHolding.editors]) if (editor.isTouchedBy(change)) editor.refresh(change);
      }),
      deps.active.onDidChange((collectionId) => {
        for (const editor of [...this.editors.values()]) if (this.find(editor.state)?.collection.id === collectionId) void editor.postContext();
      }),
    );
    // keys kept unwritten by the window before: the reload's write put most in their files already. The collections
    // are read for it only when something is kept: a window with nothing kept (a repository without Insomnia data)
    // reads nothing (services/workGate.ts)
    void this.dropWritten();
    if (deps.active.local) {
      this.disposables.push(deps.active.local.onDidChange((e) => {
        for (const editor of [...this.editors.values()]) if (this.find(editor.state)?.collection.id === e.collectionId) void editor.postContext();
      }));
    }
  }

  /**
   * Brings back an editor panel after a window reload, from the state its UI kept (ids only). A panel whose state is
   * not valid is closed; one whose request is not there now (another branch) stays, titled "(deleted)", as without a
   * reload (RequestEditorPanel.refresh), or "(merge conflict)" when its file holds one (RequestEditorPanel.conflictedFile).
   */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<RequestEditorPanel | undefined> {
    if (!isPanelState(state)) {
      panel.dispose();
      return undefined;
    }
    await Promise.all([this.deps.store.whenComplete(), this.deps.kept?.load()]);
    if (this.editors.has(keyOf(state))) {
      panel.dispose();
      return this.editors.get(keyOf(state));
    }
    // (the page keeps its tab beside the ids: webviews/ui/dom.ts keptTab)
    return this.adopt({ collectionPath: state.collectionPath, requestId: state.requestId }, panel);
  }

  /**
   * A window's start-up (and `HammockApi.reopened`'s): drops the unwritten keys the last window kept that its last
   * write put in their files (dropWrittenKeys).
   */
  dropWritten(): Promise<void> {
    const kept = this.deps.kept;
    if (!kept) return Promise.resolve();
    // (run before a revived tab takes what is kept: restore waits for the same loads)
    return dropWrittenKeys(kept, KEPT_PREFIX, isPatch, isPanelState, () => this.deps.store.whenComplete(), (where, fields) => {
      const found = this.find(where);
      return !!found && patchApplied(found.request, fields);
    });
  }

  /** The collection and HTTP request a panel shows, as the store has them now: by the collection's path and the id. */
  find(state: PanelState): { collection: Collection; request: HttpRequest } | undefined {
    const located = this.deps.store.locate(state.collectionPath, state.requestId);
    if (located?.kind !== 'item' || located.item.kind !== 'request') return undefined;
    return { collection: located.collection, request: located.item };
  }

  /** Opens (or shows) the editor of a request, focused unless `preserveFocus`. */
  open(state: PanelState, preserveFocus?: boolean): RequestEditorPanel {
    const existing = this.editors.get(keyOf(state));
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      return existing;
    }
    const target = this.find(state);
    if (!target) throw new Error(`No HTTP request ${state.requestId} in ${state.collectionPath}`);
    // its tab from before a window reload, not shown since (VS Code revives the panel only then): replaced in place,
    // not doubled
    const stale = this.unrevivedTab(editorTitle(target.request.method, target.request.name));
    const panel = vscode.window.createWebviewPanel(EDITOR_VIEW_TYPE, 'Request', { viewColumn: stale?.group.viewColumn ?? vscode.ViewColumn.Active, preserveFocus }, webviewOptions(this.deps.extensionUri));
    if (stale) {
      // where the old tab was: the new one takes its place in the tab strip (it is the active editor of that group)
      const position = stale.group.tabs.indexOf(stale) + 1;
      void vscode.window.tabGroups.close(stale, true).then(
        () => (panel.active ? vscode.commands.executeCommand('moveActiveEditor', { to: 'position', by: 'tab', value: position }) : undefined),
        () => undefined,
      );
    }
    const editor = this.adopt(state, panel);
    const found = this.find(state);
    if (found) this._onDidFocusCollection.fire({ path: found.collection.path, id: found.collection.id });
    return editor;
  }

  /** The request editor tab titled `title` that VS Code restored after a reload and has not revived (restoredTabs.ts). */
  private unrevivedTab(title: string): vscode.Tab | undefined {
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const summaries = tabs.map((t) => ({ tab: t, label: t.label, webviewType: t.input instanceof vscode.TabInputWebview ? t.input.viewType : undefined }));
    // requests of the workspace with that title: a restored tab of another one must not be taken for this one's
    let titled = 0;
    for (const c of this.deps.store.collections) {
      for (const item of walkItems(c.children)) if (item.kind === 'request' && editorTitle(item.method, item.name) === title) titled++;
    }
    return unrevivedTab(summaries, EDITOR_VIEW_TYPE, title, [...this.editors.values()].map((e) => e.panel.title), titled)?.tab;
  }

  /** The open editor of a request, if any (tests use it to post what the UI would). */
  editor(state: PanelState): RequestEditorPanel | undefined {
    return this.editors.get(keyOf(state));
  }

  get openEditors(): readonly RequestEditorPanel[] {
    return [...this.editors.values()];
  }

  /** editors closed with an edit held: asked about when the request is back; a new tab of it takes it (ClosedHolding). */
  private readonly closedHolding = new ClosedHolding<RequestEditorPanel>((e) => keptId(e.state));

  private adopt(state: PanelState, panel: vscode.WebviewPanel): RequestEditorPanel {
    const editor = new RequestEditorPanel(state, panel, this.deps, this, this.closedHolding.keptFor(keptId(state), this.deps.kept));
    this.editors.set(keyOf(state), editor);
    // (the editor's state, not `state`: it follows its request when the file is moved)
    panel.onDidDispose(() => {
      if (this.editors.get(keyOf(editor.state)) === editor) this.editors.delete(keyOf(editor.state));
      this.closedHolding.closed(editor);
    });
    // the open response viewer follows the active editor: it shows that request's responses
    panel.onDidChangeViewState((e) => {
      const key = keyOf(editor.state);
      if (e.webviewPanel.active) {
        const found = this.find(editor.state);
        if (found) this._onDidFocusCollection.fire({ path: found.collection.path, id: found.collection.id });
      }
      if (e.webviewPanel.active && this.viewer.isOpen && this.viewer.ownerKey !== key) {
        // (still open once the history is read: Close All closes the viewer meanwhile, and must not bring it back)
        void this.history(editor.state).then((records) => (this.viewer.isOpen ? this.viewer.show(editor.state, records, false) : undefined));
      }
    });
    return editor;
  }

  /**
   * Where the request of a panel is now when its collection's file went away (moved or renamed: git mv, the
   * Explorer): its collection, the same workspace id, at exactly one other path that holds the request, and no other
   * panel showing it there. Undefined when the file is still on disk or the move is ambiguous.
   */
  movedTo(state: PanelState, collectionId: string | undefined): PanelState | undefined {
    const to = movedCollection(this.deps.store, state.collectionPath, collectionId, (c) => !!this.find({ collectionPath: c.path, requestId: state.requestId }));
    const next = to && { collectionPath: to.path, requestId: state.requestId };
    return next && !this.editors.has(keyOf(next)) ? next : undefined;
  }

  /** A panel followed its request from `from` to where its state says now. */
  moved(editor: RequestEditorPanel, from: PanelState): void {
    rekey(this.editors, keyOf(from), keyOf(editor.state), editor);
    this.deps.kept?.rename(keptId(from), keptId(editor.state));
    // its responses become the new file's now (a copy made later does not take them), and the response viewer
    // showing them keeps showing them there
    const showing = this.viewer.isOpen && this.viewer.ownerKey === keyOf(from);
    void this.history(editor.state).then((records) => (showing && this.viewer.isOpen ? this.viewer.show(editor.state, records, false) : undefined));
  }

  /**
   * Sends a request and shows the response beside. What is on screen is sent: the pending edits of its editor and of
   * the environment editors of its collection (a value typed beside, Send clicked within the debounce) are written
   * first; an edit of either that is held for the user's choice stops it.
   */
  async send(state: PanelState): Promise<ResponseRecord> {
    await this.editors.get(keyOf(state))?.flush();
    const { held: heldAround } = await pendingEdits.flush(state.collectionPath);
    const found = this.find(state);
    const editor = this.editors.get(keyOf(state));
    if (!found) throw new Error(editor ? `Not sent: ${editor.goneText()}` : `No HTTP request ${state.requestId} in ${state.collectionPath}`);
    const held = editor?.heldEdit;
    if (held) throw new HeldEdit(`Not sent: ${held.message}`, held.reason, held.fields);
    const heldEnvironment = heldAround.find((h) => h.environments);
    if (heldEnvironment) throw new HeldEdit(`Not sent: an edit of ${heldEnvironment.label} is not saved yet (${heldEnvironment.edit.message}). Choose in the environment editor, then send again.`, heldEnvironment.edit.reason, heldEnvironment.edit.fields);
    const key = keyOf(state);
    this.sending.get(key)?.abort();
    const controller = new AbortController();
    this.sending.set(key, controller);
    editor?.post({ type: 'sending', busy: true });
    const sendNumber = this.viewer.pending(found.request.name);
    try {
      const { environment, vault } = await this.deps.active.renderEnvironment(found.collection);
      const record = await this.deps.sender({ collection: found.collection, request: found.request, environment, vault, signal: controller.signal });
      const records = await this.deps.history.add(responseOwner(found.collection, state), record);
      // the walkthrough's "Edit and send a request" is done (its completion event: a Send from the page runs no command)
      void vscode.commands.executeCommand('setContext', SENT_CONTEXT, true);
      // (this Send only: a Send of the same request since, or Review's Try of it, is still said to be on its way)
      this.viewer.settle(sendNumber, false);
      // (not over the response of a Send made since: the viewer shows the latest Send's)
      await this.viewer.showSent(state, records, sendNumber);
      return record;
    } finally {
      this.viewer.settle(sendNumber);
      // (a Send of the same request since, still on its way, keeps the editor busy: its button cancels that one)
      if (this.sending.get(key) === controller) {
        this.sending.delete(key);
        editor?.post({ type: 'sending', busy: false });
      }
    }
  }

  cancel(state: PanelState): void {
    this.sending.get(keyOf(state))?.abort();
  }

  /** Whether a Send of the request is on its way. */
  isSending(state: PanelState): boolean {
    return this.sending.has(keyOf(state));
  }

  /** The stored responses of a request, newest first (none when it is not in the store). */
  async history(state: PanelState): Promise<ResponseRecord[]> {
    const found = this.find(state);
    return found ? this.deps.history.list(responseOwner(found.collection, state)) : [];
  }

  dispose(): void {
    for (const c of this.sending.values()) c.abort();
    for (const e of [...this.editors.values()]) e.panel.dispose();
    this.disposables.forEach((d) => d.dispose());
    this._onDidFocusCollection.dispose();
  }
}

/** One request's editor panel. */
export class RequestEditorPanel {
  private ready = false;
  private lastPostedJson = '';
  private lastPostedSeq = -1;
  private lastContextJson = '';
  /** the values the rendered previews mask (this request's secrets), from the last context. */
  private secrets: string[] = [];
  /** the context as last posted (tests read it). */
  lastContext: EditorContextView | undefined;
  private readonly edits: EditSession;
  private readonly disposables: vscode.Disposable[] = [];
  /** the request as last posted to the UI (tests read it). */
  lastState: RequestView | undefined;
  /** the panel was closed (its pending edit is still written). */
  private closed = false;
  /** the user is being asked what to do with a held edit. */
  asking = false;
  /** the request's name as last shown (its id before it was shown). */
  get label(): string {
    return this.shownName || this.state.requestId;
  }

  /** what the page and Send say of a request that is not where the tab has it. */
  goneText(): string {
    const conflicted = this.conflictedFile();
    if (conflicted) return conflictText(`"${this.label}"`, vscode.workspace.asRelativePath(conflicted));
    return goneText(`"${this.label}"`, vscode.workspace.asRelativePath(this.state.collectionPath));
  }

  /**
   * The request's file (as last seen; never seen here, its tab brought back by a window reload while the merge stood:
   * the legacy file named after it) when it holds git's conflict markers now, a merge stopped on it: the request is in
   * it, between the markers, not deleted, so nothing is restored; it is shown again once the conflict is resolved.
   */
  private conflictedFile(): string | undefined {
    return conflictedItemFile(this.deps.store.problems, this.state.collectionPath, this.state.requestId, this.lastFile);
  }

  /** what follows goneText: what becomes of what is typed (`typed`: an edit is held), and when the tab shows the request again. */
  private goneThen(typed: boolean): string {
    if (this.conflictedFile()) return typed ? HELD_UNTIL_RESOLVED : 'This tab shows it again once the conflict is resolved; what you type meanwhile is kept here, unsaved.';
    return typed
      ? 'What you typed is kept in this editor, unsaved; it is saved if the request comes back, or "Restore Request" puts it back with what you typed.'
      : 'This tab shows it again if it comes back; what you type meanwhile is kept here, unsaved.';
  }

  /** whether the page was told its request is gone (kept open: refresh). */
  private goneSaid = false;
  /** whether the request was there at the last refresh (goneTabCloses). */
  private there: boolean;
  /** the request's name as last shown (for messages once it is gone). */
  private shownName = '';
  /** per field this editor last wrote: what it sent, and how the file read back after (both canonical). */
  private readonly ownWrites = new Map<string, { sent: string; after: string }>();
  /**
   * in the registry git flushes before it looks at the files (pendingEdits.ts), until the last write after closing and
   * while its held edit is not settled: git warns about it as about an open tab's.
   */
  private readonly registration: PendingRegistration;

  /** the folder (or the collection) the request was last seen in: where "Restore Request" puts it back. */
  private lastParentId: string | undefined;

  /** the file the request was last seen in (a legacy request's own file, a v5 collection file). */
  private lastFile: string | undefined;

  /** the collection (workspace id) the request was last seen in: a move of its file is followed within it. */
  private collectionId: string | undefined;

  constructor(
    /** which request: its collection's path and its id (the path changes when the file is moved, see refresh). */
    public state: PanelState,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: RequestPanelsDeps,
    private readonly owner: RequestPanels,
    kept?: KeptRecord,
  ) {
    // (a tab restored after a reload on another branch was not there: a Hammock edit then does not close it)
    this.there = !!owner.find(state);
    this.edits = new EditSession({
      debounceMs: EDIT_DEBOUNCE_MS,
      epoch: () => checkedOut(path.dirname(this.state.collectionPath)),
      write: async (fields, base, since) => {
        let found = this.owner.find(this.state) ?? this.followMove();
        if (found && base) {
          // a change on disk the watcher has not reported yet is taken in first (a stat when there is none)
          if (found.request.source.file) await this.deps.store.refreshPaths([found.request.source.file]);
          found = this.owner.find(this.state) ?? this.followMove();
          // keys typed before a `git checkout` from a terminal: not written unasked on the other branch's file
          const switched = found && branchSwitch(since, checkedOut(path.dirname(this.state.collectionPath)));
          if (found && switched) {
            throw new HeldEdit(`the branch changed ${switched} (a checkout) while you were editing "${found.request.name}": what you typed is not saved yet. "Overwrite with Mine" writes the fields you typed into the file as it is now.`, 'conflict');
          }
          const own = (key: string, was: unknown, now: unknown) => {
            const w = this.ownWrites.get(key);
            return !!w && w.sent === canonical(was) && w.after === canonical(now);
          };
          // a field both changed in other rows or keys (a teammate's header, the user's in another row): both kept
          const merged = found ? writers().mergeWithDisk(found.request, fields, base, own) : { fields, conflicts: [] };
          const changed = merged.conflicts;
          fields = merged.fields;
          if (found && changed.length) {
            const r = found.request;
            const now = changed.length === 1 && changed[0] === 'URL' ? ` (the file has ${JSON.stringify(r.url.length > 120 ? `${r.url.slice(0, 120)}...` : r.url)})` : '';
            throw new HeldEdit(`the ${changed.join(', ')} of "${r.name}" changed on disk while you were editing${now}: another program saved it, or a checkout. Your edit is not saved yet.`, 'conflict', changed);
          }
        }
        if (!found) {
          throw new HeldEdit(`${this.goneText()} ${this.goneThen(true)}`, 'gone');
        }
        await this.deps.store.apply(found.collection, { kind: 'setRequestFields', id: this.state.requestId, fields });
        const after = this.owner.find(this.state)?.request as unknown as Record<string, unknown> | undefined;
        for (const [key, value] of Object.entries(fields)) {
          if (value !== undefined && after) this.ownWrites.set(key, { sent: canonical(value), after: canonical(after[key]) });
        }
      },
      heldChanged: () => {
        this.keepHeld();
        void this.registration.heldChanged();
      },
      unwrittenChanged: () => this.keepUnwritten(),
      saved: (_seq, err) => {
        if (err instanceof HeldEdit) {
          this.askAboutHeld(err);
          return;
        }
        if (err) {
          const message = err instanceof Error ? err.message : String(err);
          this.deps.log.error(`could not write the request: ${message}`);
          this.post({ type: 'error', message: `Could not save: ${message}` });
        }
        // tell the page its edits are in, also when they changed nothing on disk
        this.refresh();
      },
    });
    this.collectionId = owner.find(state)?.collection.id;
    this.lastFile = owner.find(state)?.request.source.file;
    const edits = this.edits;
    this.registration = pendingEdits.add({
      where: () => this.state.collectionPath,
      get busy() {
        return edits.busy;
      },
      get held() {
        return edits.held;
      },
      label: () => `the request "${this.label}"`,
      flush: () => edits.flush(),
    });
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, deps.extensionUri, 'editor', 'Request');
    this.updateTitle();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((msg) => void this.receive(msg)),
      onPageDropped(panel, () => (this.ready = false)),
      panel.onDidDispose(() => {
        this.closed = true;
        // a git operation started meanwhile waits for this last write too, and warns about its held edit until settled
        void this.registration.close();
        // an edit held and not decided about: closing the tab does not drop it without a word
        if (this.edits.held && !this.asking) this.askAboutHeld(this.edits.held);
        this.disposables.forEach((d) => d.dispose());
      }),
    );
    if (kept) this.takeKept(kept);
  }

  /**
   * Takes back the held edit this editor kept over a window reload (or since it was closed): held again with its
   * reason, shown as typed when the page loads, and asked about again (the notification went with the window). A
   * request gone meanwhile is shown as it was when the edit was held. Held as gone and the request back now (a
   * checkout back), it is asked about, not saved unasked: the editor that promised to save it is gone (heldAgain).
   */
  private takeKept(kept: KeptRecord): void {
    const snapshot = this.edits.takeKept(kept, isPatch).held;
    if (!snapshot) return;
    const held = kept.held as KeptHeld;
    const found = this.owner.find(this.state);
    if (!found && held.shown && typeof held.shown === 'object') {
      this.lastState = held.shown;
      this.shownName = held.shown.name;
      this.lastParentId ??= held.parentId;
      this.collectionId ??= held.collectionId;
      this.lastFile ??= held.file;
    }
    this.edits.hold(heldAgain(snapshot, found && backText(`"${found.request.name}"`, 'request'), () => `${this.goneText()} ${this.goneThen(true)}`));
    // (once the panel is registered: a request that comes back while this tab shows it gone saves it, as from memory)
    void Promise.resolve().then(() => {
      this.refresh();
      if (this.edits.held && !this.asking) this.askAboutHeld(this.edits.held);
    });
  }

  /** Keeps the keys received and not written yet (or removes what was kept of them) over a window reload. */
  private keepUnwritten(): void {
    this.deps.kept?.set(keptId(this.state), 'pending', this.edits.keptUnwritten(this.state));
  }

  /** where the held edit was last kept (keptId). */
  private keptAs: string | undefined;

  /** Keeps the held edit (or removes what was kept of it) over a window reload. */
  private keepHeld(): void {
    const h = this.edits.heldEdit;
    const id = keptId(this.state);
    // (restored as a new request: what was kept under the old one goes)
    if (this.keptAs !== undefined && this.keptAs !== id) this.deps.kept?.set(this.keptAs, 'held', undefined);
    this.keptAs = h ? id : undefined;
    this.deps.kept?.set(id, 'held', h && {
      ...h,
      ...(this.lastState ? { shown: this.lastState } : {}),
      ...(this.lastParentId !== undefined ? { parentId: this.lastParentId } : {}),
      ...(this.collectionId !== undefined ? { collectionId: this.collectionId } : {}),
      ...(this.lastFile !== undefined ? { file: this.lastFile } : {}),
    });
  }

  /** the UI has loaded and said `ready`. */
  get uiReady(): boolean {
    return this.ready;
  }

  /** Handles a message from the UI (validated first); public for the tests, which post what the UI would. */
  async receive(msg: unknown): Promise<void> {
    const cmd = parseEditorCommand(msg);
    if (!cmd) {
      this.deps.log.warn('request editor: dropped an invalid message');
      return;
    }
    try {
      switch (cmd.type) {
        case 'ready':
          this.ready = true;
          this.goneSaid = false;
          this.lastPostedJson = '';
          this.lastPostedSeq = -1;
          this.lastContextJson = '';
          this.post({ type: 'persist', state: this.state });
          await this.postContext();
          this.refresh();
          // loaded again (its tab shown again) while its request is on its way: the button cancels it, as before
          if (this.owner.isSending(this.state)) this.post({ type: 'sending', busy: true });
          // loaded again (its tab shown again) while an edit is held: what was typed, and why it is not saved
          if (this.edits.held && this.lastState) {
            this.post({ type: 'state', request: withPatch(this.lastState, this.edits.pendingFields ?? {}), seq: this.edits.writtenSeq });
            this.post({ type: 'error', message: `Not saved: ${this.edits.held.message}`, held: true });
            this.lastPostedJson = '';
          }
          return;
        case 'render': {
          const found = this.owner.find(this.state);
          if (!found) return;
          try {
            const env = await this.deps.active.renderEnvironment(found.collection);
            const context = httpEngine().buildRenderContext(found.collection, found.request.id, env.environment, { vault: env.vault });
            const text = await httpEngine().renderTemplate(cmd.text, context, {}, 'this field');
            this.post({ type: 'rendered', seq: cmd.seq, text: maskSecrets(text, this.secrets) });
          } catch (err) {
            this.post({ type: 'rendered', seq: cmd.seq, error: maskSecrets(err instanceof Error ? err.message : String(err), this.secrets) });
          }
          return;
        }
        case 'selectEnvironment': {
          const found = this.owner.find(this.state);
          if (!found) return;
          await this.deps.active.set(found.collection.id, cmd.id === '' ? undefined : cmd.id);
          return;
        }
        case 'manageEnvironments': {
          const found = this.owner.find(this.state);
          if (found) await vscode.commands.executeCommand('hammock.editEnvironment', { type: 'envCollection', collection: found.collection });
          return;
        }
        case 'openPart':
          await this.openPart(cmd.part, cmd.beside);
          return;
        case 'edit':
          this.edits.receive(cmd.fields, cmd.seq, cmd.base);
          // a held edit the user has not decided about yet (the notification was closed): ask again
          if (this.edits.held && !this.asking) this.askAboutHeld(this.edits.held);
          return;
        case 'send':
          await this.owner.send(this.state);
          return;
        case 'cancel':
          this.owner.cancel(this.state);
          return;
        case 'preview': {
          const found = this.owner.find(this.state);
          if (!found) return;
          try {
            const url = await previewUrl(found.collection, found.request, await this.deps.active.renderEnvironment(found.collection));
            this.post({ type: 'preview', url });
          } catch (err) {
            this.post({ type: 'preview', url: '', error: err instanceof Error ? err.message : String(err) });
          }
          return;
        }
        case 'pasteCurl':
          // (read in the writers bundle; the text is not logged: it may hold a token or a password)
          this.post(answerCurlPaste(cmd.seq, cmd.text, (text) => writers().curlPasteFields(text)));
          return;
        case 'pickFile': {
          const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Choose File' });
          if (picked?.[0]) this.post({ type: 'filePicked', purpose: cmd.purpose, path: picked[0].fsPath });
          return;
        }
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.deps.log.error(`request editor: ${message}`);
      // "Not sent" while an edit is held goes away with the "Not saved" it repeats, once the user has chosen
      this.post({ type: 'error', message, ...(err instanceof HeldEdit ? { held: true } : {}) });
    }
  }

  /** Writes the pending edit now (resolves when it is on disk and in the store's model, or held). */
  flush(): Promise<void> {
    return this.edits.flush();
  }

  /** what the editor received and has not written yet (in the debounce, or held), if anything (tests read it). */
  get unsaved(): RequestFieldsPatch | undefined {
    return this.edits.pendingFields;
  }

  /** an edit is waiting for the debounce, being written, or held (tests read it). */
  get busy(): boolean {
    return this.edits.busy;
  }

  /** why the editor's edit is not saved and waits for the user, if it is (tests read it). */
  get heldEdit(): HeldEdit | undefined {
    return this.edits.held;
  }

  /** Overwrites the file's fields with the held edit (`mine`), or drops the edit and shows the file's (`file`). */
  async resolveHeld(choice: 'mine' | 'file' | undefined): Promise<void> {
    if (!this.edits.held) return;
    await this.edits.resolve(choice);
    if (choice === 'file') this.refresh();
  }

  /** Says in the editor, and for a conflict in a notification with the two ways out, why an edit is not saved. */
  private askAboutHeld(held: HeldEdit): void {
    this.post({ type: 'error', message: `Not saved: ${held.message}`, held: true });
    this.updateTitle();
    if (held.reason === 'gone') {
      this.deps.log.warn(`request editor: ${held.message}`);
      this.asking = true;
      // (once the changes the store has been told of are in: a renamed file it is about to see is followed instead)
      void this.deps.store.refreshPaths([]).then(async () => {
        if (this.conflictedFile()) {
          // nothing to restore: a notification that says so, and the edit waits for the resolution (refresh)
          this.asking = false;
          void vscode.window.showWarningMessage(`Hammock: ${held.message}`);
          return;
        }
        await askRestore(this, this.edits, held, 'Request', `"${this.label}"`, (back) => this.askAboutHeld(back), () => this.restoreGone(), this.deps.log);
      });
      return;
    }
    askHeld(this, this.edits, held);
  }

  /**
   * "Restore Request", the request gone with an edit held (deleted, not on this branch): a new request where it was
   * last seen (its folder, or the collection), holding what the editor shows, typed edits included; the editor
   * follows it. Nothing when the edit is not held for that reason any more.
   */
  async restoreGone(): Promise<void> {
    const view = this.lastState;
    if (this.edits.held?.reason !== 'gone' || !view) return;
    const conflicted = this.conflictedFile();
    if (conflicted) throw new Error(notRestoredText(`"${view.name}"`, vscode.workspace.asRelativePath(conflicted)));
    const collection = this.deps.store.collectionAt(this.state.collectionPath, this.collectionId);
    if (!collection) throw new Error(`Not restored: ${this.state.collectionPath} is no longer there. What you typed is still in the editor of "${view.name}".`);
    const parent = this.lastParentId === undefined ? undefined : this.deps.store.locate(collection.path, this.lastParentId);
    const parentId = parent?.kind === 'item' && parent.item.kind === 'folder' ? parent.item.id : collection.id;
    const { method, url, parameters, headers, body, authentication, description, settings, scripts } = withPatch(view, this.edits.pendingFields ?? {});
    const created = (await this.deps.store.apply(collection, { kind: 'createRequest', parentId, name: view.name, method, url })).createdId;
    if (!created) throw new Error(`Not restored: no request was created in ${collection.path}.`);
    await this.deps.store.apply(collection, { kind: 'setRequestFields', id: created, fields: { method, url, parameters, headers, body, authentication, description, settings, scripts } });
    const from = this.state;
    this.state = { collectionPath: collection.path, requestId: created };
    this.edits.discard();
    // (a closed editor, asked on closing, only puts the request back)
    if (!this.closed) this.owner.moved(this, from);
    this.deps.log.info(`request editor: "${view.name}" restored into ${collection.path} as ${created}`);
    this.post({ type: 'persist', state: this.state });
    this.refresh();
  }

  /** Opens a part of the request (its body, a GraphQL query or variables, a script) in a VS Code text editor. */
  async openPart(part: RequestPart, beside: boolean): Promise<vscode.TextEditor> {
    await this.edits.flush();
    const found = this.owner.find(this.state);
    if (!found) throw new Error('The request is no longer in the collection.');
    const { collection, request } = found;
    const uri = documentUri({ collectionPath: collection.path, collectionId: collection.id, itemId: request.id, part }, collection.name, request.name, bodyExtension(request.body.mimeType));
    return openDocument(uri, { beside });
  }

  /** Posts the environments and the variables the request sees, when they differ from what the UI last got. */
  async postContext(): Promise<void> {
    const found = this.owner.find(this.state);
    if (!found) return;
    const { collection, request } = found;
    const env = await this.deps.active.renderEnvironment(collection);
    const subs = await this.deps.active.subEnvironments(collection);
    const privates = subs.filter((e) => e.isPrivate);
    const { variables, secrets } = requestVariables(collection, request, env, privates);
    this.secrets = secrets;
    const activeId = this.deps.active.get(collection.id) ?? '';
    const context: EditorContextView = {
      hasEnvironments: !!collection.baseEnvironment,
      baseName: collection.baseEnvironment?.name ?? '',
      activeId: subs.some((e) => e.id === activeId) ? activeId : '',
      environments: subs.map((e) => ({ id: e.id, name: e.name, color: e.color, private: e.isPrivate })),
      variables,
    };
    this.lastContext = context;
    const json = JSON.stringify(context);
    if (!this.ready || json === this.lastContextJson) return;
    this.lastContextJson = json;
    this.post({ type: 'context', context });
  }

  /** Whether a store change may change what this editor shows: its request, a folder above it, or its collection. */
  isTouchedBy(change: StoreChange): boolean {
    if (change.all) return true;
    const deltas = change.collections.filter((d) => d.path === this.state.collectionPath);
    // gone (its file moved away, seen before the new file was): its collection appearing elsewhere may be where it went
    if (deltas.length === 0) return addsCollectionElsewhere(change, this.state.collectionPath, this.collectionId) && !this.owner.find(this.state);
    const found = this.owner.find(this.state);
    if (!found) return true; // gone: the refresh closes the panel
    const delta = deltas.find((d) => d.id === found.collection.id);
    if (!delta) return deltas.some((d) => d.kind !== 'changed');
    if (delta.kind !== 'changed' || delta.items === 'all' || delta.containers === 'all') return true;
    if (delta.items.has(this.state.requestId) || delta.containers.has(found.request.parentId)) return true;
    // the headers and auth of the folders above apply to the request
    for (let id = found.request.parentId; id && id !== found.collection.id; ) {
      if (delta.items.has(id)) return true;
      const parent = this.deps.store.locate(this.state.collectionPath, id);
      id = parent?.kind === 'item' ? parent.item.parentId : '';
    }
    return false;
  }

  /**
   * The request's collection file was moved or renamed (git mv, the Explorer): the panel follows it there when that
   * is unambiguous (RequestPanels.movedTo), with its pending or held edit. Returns the request there.
   */
  private followMove(): ReturnType<RequestPanels['find']> {
    const next = this.owner.movedTo(this.state, this.collectionId);
    if (!next) return undefined;
    const from = this.state;
    this.state = next;
    this.owner.moved(this, from);
    this.deps.log.info(`request editor: "${this.shownName || next.requestId}" followed its request from ${from.collectionPath} to ${next.collectionPath}`);
    // the page keeps the new place for a window reload
    this.post({ type: 'persist', state: this.state });
    return this.owner.find(this.state);
  }

  /**
   * Posts the request as the store has it, when it differs from what the UI last got. `change`: the store's change
   * that called for it. Gone by an edit made here (Delete, a move to another collection), the panel closes, as VS Code
   * closes the editor of a file deleted from within it; gone from disk (a checkout of another branch, another
   * program), it stays, titled "(deleted)", as VS Code keeps the editor of a file another process deleted, and shows
   * the request again when it comes back (a checkout back). Either way a write that holds what the user typed keeps
   * the panel (and says so).
   */
  refresh(change?: StoreChange): void {
    if (this.closed) {
      // closed with an edit held while its request was gone, and the request back: asked about, not saved unasked
      const h = this.edits.heldEdit;
      if (h?.reason === 'gone' && this.owner.find(this.state)) {
        this.edits.discard();
        this.takeKept({ held: h, at: 0 });
        this.keepHeld();
      }
      return;
    }
    // changed on disk from elsewhere under keys still in the debounce: checked now (EditSession.outsideChange)
    if (change && change.edit === undefined) this.edits.outsideChange();
    const found = this.owner.find(this.state) ?? this.followMove();
    if (found) {
      this.collectionId = found.collection.id;
      this.lastParentId = found.request.parentId;
      this.lastFile = found.request.source.file;
    }
    const there = this.there;
    this.there = !!found;
    if (!found) {
      if (goneTabCloses(this.deps.store.isLoaded && !this.edits.busy, change, there)) this.panel.dispose();
      else {
        if (this.deps.store.isLoaded && !this.edits.busy && !this.goneSaid && this.ready) {
          this.goneSaid = true;
          // a page loaded since (its tab shown again) shows the request as it was, under the message
          if (this.lastState) this.post({ type: 'state', request: this.lastState, seq: this.edits.writtenSeq });
          this.post({ type: 'error', held: true, message: `${this.goneText()} ${this.goneThen(false)}` });
          // the next state posted takes the message away, also one with the same request as before
          this.lastPostedJson = '';
        }
        this.updateTitle();
      }
      return;
    }
    this.goneSaid = false;
    // back (a checkout back, the file restored) with an edit held while it was gone: save it, checked as any edit
    if (this.edits.held?.reason === 'gone') {
      void this.edits.release(false);
      return;
    }
    const view = viewOf(found.collection, found.request);
    this.lastState = view;
    void this.postContext();
    this.updateTitle(view);
    const json = JSON.stringify(view);
    const seq = this.edits.writtenSeq;
    if (!this.ready || this.edits.busy || (json === this.lastPostedJson && seq === this.lastPostedSeq)) return;
    this.lastPostedJson = json;
    this.lastPostedSeq = seq;
    this.post({ type: 'state', request: view, seq });
  }

  post(message: EditorNotification): void {
    // a write finishing after the tab was closed has no page to tell (a held edit is still asked about)
    if (this.closed) return;
    if (this.ready || message.type === 'persist') void this.panel.webview.postMessage(message);
  }

  private updateTitle(view?: RequestView): void {
    if (this.closed) return;
    const v = view ?? (() => {
      const f = this.owner.find(this.state);
      return f && viewOf(f.collection, f.request);
    })();
    if (v) this.shownName = v.name;
    if (v) this.panel.title = `${editorTitle(v.method, v.name)}${this.edits.held ? ' (not saved)' : ''}`;
    else if (this.deps.store.isLoaded) {
      const title = goneTitle(this.panel.title.replace(/ \(not saved\)$/, ''), !!this.conflictedFile());
      if (title !== this.panel.title) this.panel.title = title;
    }
  }
}
