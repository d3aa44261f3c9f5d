// The request editor's commands: Open Request (the tree's click on a request) and Send Request (the tree's context
// menu, the palette). Each resolves its target (a tree node, `{ collectionPath, requestId }`, or a picker).
import * as vscode from 'vscode';
import { walkItems, type Collection, type HttpRequest } from '../collections/model';
import type { CollectionStore } from '../collections/store';
import { Commands } from '../commandIds';
import { registerCommand } from '../registerCommand';
import type { PanelState } from './protocol';
import { isPanelState } from './protocol';
import type { RequestPanels } from './requestPanels';

/** A tree node of a request (told apart by its `type` tag, like commands.ts does). */
interface RequestNodeLike {
  readonly type: 'request';
  readonly collection: Collection;
  readonly request: { readonly id: string };
}

function isRequestNode(v: unknown): v is RequestNodeLike {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'request';
}

async function pickRequest(store: CollectionStore, title: string): Promise<PanelState | undefined> {
  const items: (vscode.QuickPickItem & { state: PanelState })[] = [];
  for (const c of store.collections) {
    for (const item of walkItems(c.children)) {
      if (item.kind !== 'request') continue;
      const r = item as HttpRequest;
      items.push({ label: r.name || '(unnamed)', description: `${r.method} ${r.url}`, detail: c.name, state: { collectionPath: c.path, requestId: r.id } });
    }
  }
  return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true }))?.state;
}

export function registerRequestCommands(panels: RequestPanels, store: CollectionStore, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const target = async (arg: unknown, title: string): Promise<PanelState | undefined> => {
    if (isRequestNode(arg)) return { collectionPath: arg.collection.path, requestId: arg.request.id };
    if (isPanelState(arg)) return arg;
    const active = panels.openEditors.find((e) => e.panel.active);
    if (active) return active.state;
    return pickRequest(store, title);
  };
  return [
    registerCommand(Commands.openRequest, async (arg: unknown) => {
      const state = await target(arg, 'Open which request?');
      if (!state) return undefined;
      panels.open(state);
      return state.requestId;
    }, log),
    registerCommand(Commands.sendRequest, async (arg: unknown) => {
      const state = await target(arg, 'Send which request?');
      if (!state) return undefined;
      if (!panels.editor(state)) panels.open(state);
      const record = await panels.send(state);
      return record.error ? undefined : record.status;
    }, log),
  ];
}
