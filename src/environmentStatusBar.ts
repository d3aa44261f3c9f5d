// The active environment in the status bar: the environment requests of the current collection are sent with (the
// collection of the focused request or environment editor, of the collection file in the active text editor, else
// the one last focused, else the only one with environments). Clicking it chooses another (Select Environment).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ActiveEnvironments } from './activeEnvironments';
import type { Collection } from './collections/model';
import type { CollectionKey, CollectionStore } from './collections/store';
import { targetOf } from './documents/hammockFileSystem';
import { ENVIRONMENT_DOT_PRIORITY, ENVIRONMENT_PRIORITY } from './util/statusBarPriority';

export const SELECT_ENVIRONMENT_COMMAND = 'hammock.selectEnvironment';

export class EnvironmentStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  /** the environment's colour as a dot left of its name: coloured text on the status bar's background is hard to read. */
  private readonly dot: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private current: CollectionKey | undefined;
  private updating = 0;

  constructor(
    private readonly store: CollectionStore,
    private readonly active: ActiveEnvironments,
  ) {
    this.item = vscode.window.createStatusBarItem('hammock.environment', vscode.StatusBarAlignment.Left, ENVIRONMENT_PRIORITY);
    this.item.name = 'Hammock Environment';
    this.item.command = SELECT_ENVIRONMENT_COMMAND;
    this.dot = vscode.window.createStatusBarItem('hammock.environmentColor', vscode.StatusBarAlignment.Left, ENVIRONMENT_DOT_PRIORITY);
    this.dot.name = 'Hammock Environment Colour';
    this.dot.command = SELECT_ENVIRONMENT_COMMAND;
    this.dot.text = '$(circle-filled)';
    this.disposables.push(
      this.item,
      this.dot,
      store.onDidChange(() => void this.update()),
      active.onDidChange(() => void this.update()),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        const c = editor && this.collectionOfUri(editor.document.uri);
        if (c) this.focus(c);
      }),
    );
    if (active.local) this.disposables.push(active.local.onDidChange(() => void this.update()));
    void this.update();
  }

  /** The collection whose environment the status bar shows (a request or environment editor got the focus). */
  focus(collection: CollectionKey): void {
    if (this.current?.path === collection.path && this.current.id === collection.id) return;
    this.current = { path: collection.path, id: collection.id };
    void this.update();
  }

  /** The collection the status bar shows the environment of, if any. */
  currentCollection(): Collection | undefined {
    const known = this.current && this.store.collectionAt(this.current.path, this.current.id);
    if (known?.baseEnvironment) return known;
    const withEnvironments = this.store.collections.filter((c) => c.baseEnvironment);
    return withEnvironments.length === 1 ? withEnvironments[0] : undefined;
  }

  /** The status bar item's text and tooltip now (tests read them). */
  get shown(): { text: string; tooltip: string; visible: boolean; textColor: unknown; dotColor: unknown } {
    return {
      text: this.item.text,
      tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? ''),
      visible: this.visible,
      textColor: this.item.color,
      dotColor: this.dotShown ? this.dot.color : undefined,
    };
  }

  private dotShown = false;

  private visible = false;

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private collectionOfUri(uri: vscode.Uri): CollectionKey | undefined {
    const t = targetOf(uri);
    if (t) return { path: t.collectionPath, id: t.collectionId };
    if (uri.scheme !== 'file') return undefined;
    const file = uri.fsPath;
    const c = this.store.collections.find((x) => x.path === file || (x.format === 'legacy' && file.startsWith(x.path + path.sep)));
    return c && { path: c.path, id: c.id };
  }

  private async update(): Promise<void> {
    const run = ++this.updating;
    const c = this.currentCollection();
    if (!c) {
      this.hide();
      return;
    }
    const name = await this.active.activeName(c);
    if (run !== this.updating) return;
    if (!name) {
      this.hide();
      return;
    }
    const sub = name.name !== c.baseEnvironment?.name || this.active.get(c.id);
    // no sub-environment: the base environment by its name, as the Environments view and the request editor say
    this.item.text = `$(${name.isPrivate ? 'lock' : 'layers'}) ${name.name}`;
    this.item.tooltip = `Hammock: requests of "${c.name}" are sent with ${sub ? `the environment "${name.name}"${name.isPrivate ? ' (private, this machine only)' : ''}` : `the base environment "${name.name}" alone (no sub-environment)`}. Click to choose another.`;
    this.item.accessibilityInformation = { label: `Hammock environment: ${name.name}`, role: 'button' };
    this.item.show();
    if (sub && name.color) {
      this.dot.color = name.color;
      this.dot.tooltip = this.item.tooltip;
      this.dot.accessibilityInformation = { label: `colour of the environment ${name.name}`, role: 'button' };
      this.dot.show();
      this.dotShown = true;
    } else {
      this.dot.hide();
      this.dotShown = false;
    }
    this.visible = true;
  }

  private hide(): void {
    this.item.hide();
    this.dot.hide();
    this.dotShown = false;
    this.visible = false;
  }
}

/**
 * Asks which environment a collection's requests use: none (the base environment alone), a sub-environment of its
 * files or a private one. Resolves to the id chosen (undefined = base only), or null when the pick was dismissed.
 */
export async function pickEnvironment(active: ActiveEnvironments, collection: Collection): Promise<string | undefined | null> {
  const base = collection.baseEnvironment;
  if (!base) throw new Error(`"${collection.name}" has no environments.`);
  const subs = await active.subEnvironments(collection);
  const current = active.get(collection.id);
  type Pick = vscode.QuickPickItem & { id: string | undefined };
  const picks: Pick[] = [
    { label: `$(layers) ${base.name}`, description: [!current ? 'active' : '', 'base: its variables alone, no sub-environment'].filter(Boolean).join(' · '), id: undefined, picked: !current },
    ...subs.map((e) => ({
      label: `$(${e.isPrivate ? 'lock' : 'layers'}) ${e.name}`,
      description: [e.id === current ? 'active' : '', e.isPrivate ? 'private, this machine only' : ''].filter(Boolean).join(' · '),
      detail: Object.keys(e.data).filter((k) => !k.startsWith('__')).slice(0, 8).join(', ') || 'no variables',
      id: e.id,
    })),
  ];
  const pick = await vscode.window.showQuickPick(picks, { title: `Environment of "${collection.name}"`, placeHolder: 'Send this collection\'s requests with...', matchOnDetail: true });
  if (!pick) return null;
  return pick.id;
}
