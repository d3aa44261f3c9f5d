// The environment commands: Edit Environment (the Environments view's click), Manage Environments... (palette),
// Edit Folder Environment (a folder's context menu) and Select Environment... (the status bar, the request editor's
// header, the palette). Each resolves its target from a tree node, ids, or a picker.
import * as vscode from 'vscode';
import type { ActiveEnvironments } from '../activeEnvironments';
import type { Collection } from '../collections/model';
import type { CollectionStore } from '../collections/store';
import { Commands } from '../commandIds';
import { Cancelled, registerCommand } from '../registerCommand';
import { pickEnvironment, type EnvironmentStatusBar } from '../environmentStatusBar';
import type { EnvironmentPanels } from './environmentPanels';
import { VAULT_ID } from './environmentPanels';
import { isEnvironmentPanelState, type EnvironmentPanelState } from './protocol';

interface NodeLike {
  readonly type?: string;
  readonly collection?: Collection;
  readonly environment?: { readonly id: string };
  readonly folder?: { readonly id: string };
}

export interface EnvironmentCommandDeps {
  readonly store: CollectionStore;
  readonly active: ActiveEnvironments;
  readonly panels: EnvironmentPanels;
  readonly statusBar: EnvironmentStatusBar;
  readonly log: vscode.LogOutputChannel;
  /** the collection of the focused request editor, if one is focused. */
  readonly focusedCollection: () => Collection | undefined;
}

export function registerEnvironmentCommands(deps: EnvironmentCommandDeps): vscode.Disposable[] {
  const { store, active, panels, log } = deps;

  const pickCollection = async (placeHolder: string): Promise<Collection> => {
    const candidates = store.collections.filter((c) => c.baseEnvironment);
    if (candidates.length === 0) throw new Error('No collection in this workspace has environments.');
    if (candidates.length === 1) return candidates[0];
    const focused = deps.focusedCollection() ?? deps.statusBar.currentCollection();
    const picks = candidates.map((c) => ({ label: c.name, description: vscode.workspace.asRelativePath(c.path), collection: c, picked: c === focused }));
    if (focused) picks.sort((a, b) => Number(b.collection === focused) - Number(a.collection === focused));
    const pick = await vscode.window.showQuickPick(picks, { placeHolder });
    if (!pick) throw new Cancelled();
    return pick.collection;
  };

  const fresh = (c: Collection): Collection => store.collectionAt(c.path, c.id) ?? c;

  return [
    registerCommand(Commands.editEnvironment, async (arg?: unknown, options?: { preserveFocus?: boolean }) => {
      await store.whenComplete();
      let state: EnvironmentPanelState;
      if (isEnvironmentPanelState(arg)) state = arg;
      else {
        const node = arg as NodeLike | undefined;
        const collection = node?.collection ? fresh(node.collection) : await pickCollection('Edit the environments of which collection?');
        const envId = node?.type === 'envVault' ? VAULT_ID : (node?.environment?.id ?? active.get(collection.id) ?? collection.baseEnvironment?.id);
        if (!envId) throw new Error(`"${collection.name}" has no environments yet: add one with "New Environment".`);
        state = { collectionPath: collection.path, collectionId: collection.id, environmentId: envId };
      }
      const editor = panels.open(state, options?.preserveFocus);
      deps.statusBar.focus({ path: state.collectionPath, id: state.collectionId });
      return editor.state.environmentId;
    }, log),

    registerCommand(Commands.manageEnvironments, async (arg?: unknown) => {
      const node = arg as NodeLike | undefined;
      const collection = node?.collection ? fresh(node.collection) : (deps.focusedCollection() ?? (await pickCollection('Manage the environments of which collection?')));
      return vscode.commands.executeCommand(Commands.editEnvironment, { type: 'envCollection', collection });
    }, log),

    registerCommand(Commands.editFolderEnvironment, async (arg?: unknown) => {
      const node = arg as NodeLike | undefined;
      if (!node?.collection || !node.folder) throw new Error('Edit Folder Environment works on a folder of the Collections view.');
      const collection = fresh(node.collection);
      panels.open({ collectionPath: collection.path, collectionId: collection.id, environmentId: node.folder.id, folder: true });
      return node.folder.id;
    }, log),

    // args: a collection (tree node or { collectionPath, collectionId }), then the environment id to use ('' = none)
    registerCommand(Commands.selectEnvironment, async (arg?: unknown, chosen?: string) => {
      const given = arg as (NodeLike & { collectionPath?: string; collectionId?: string }) | undefined;
      let collection: Collection | undefined;
      if (given?.collection) collection = fresh(given.collection);
      else if (typeof given?.collectionPath === 'string' && typeof given.collectionId === 'string') collection = store.collectionAt(given.collectionPath, given.collectionId);
      collection ??= deps.focusedCollection() ?? deps.statusBar.currentCollection() ?? (await pickCollection('Choose the environment of which collection?'));
      if (!collection.baseEnvironment) throw new Error(`"${collection.name}" has no environments.`);
      let id: string | undefined | null;
      if (chosen !== undefined) id = chosen === '' ? undefined : chosen;
      else id = await pickEnvironment(active, collection);
      if (id === null) return undefined;
      if (id !== undefined && !(await active.subEnvironments(collection)).some((e) => e.id === id)) throw new Error(`No environment ${id} in "${collection.name}".`);
      await active.set(collection.id, id);
      deps.statusBar.focus(collection);
      return id ?? '';
    }, log),
  ];
}
