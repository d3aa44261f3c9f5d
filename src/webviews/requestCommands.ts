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
import { bodyExtension, documentUri, openDocument, type DocumentPart } from '../documents/hammockFileSystem';
import { Cancelled } from '../registerCommand';

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

/** The body types a request without a body can get when its body is opened in an editor. */
const BODY_TYPES = [
  { label: 'JSON', mimeType: 'application/json' },
  { label: 'XML', mimeType: 'application/xml' },
  { label: 'Text', mimeType: 'text/plain' },
  { label: 'GraphQL', mimeType: 'application/graphql' },
];

export function registerRequestCommands(panels: RequestPanels, store: CollectionStore, log: vscode.LogOutputChannel): vscode.Disposable[] {
  /** Opens a part of a request in a text editor (a request without a text body gets one first: asked, or `mimeType`). */
  const openPart = async (state: PanelState, part: DocumentPart, options: { beside?: boolean; mimeType?: string } = {}): Promise<vscode.TextEditor> => {
    await panels.editor(state)?.flush();
    const found = panels.find(state);
    if (!found) throw new Error('That request is no longer in the collection.');
    let { collection, request } = found;
    if (part === 'body') {
      const mime = request.body.mimeType ?? '';
      if (request.body.params || mime === 'application/octet-stream' || mime === 'multipart/form-data' || mime === 'application/x-www-form-urlencoded') {
        throw new Error(`The body of "${request.name}" is ${request.body.params ? 'a form' : 'a file'}: edit it in the request editor.`);
      }
      if (!mime) {
        const chosen = options.mimeType ?? (await vscode.window.showQuickPick(BODY_TYPES, { placeHolder: `"${request.name}" has no body: give it one of type...` }))?.mimeType;
        if (!chosen) throw new Cancelled();
        await store.apply(collection, { kind: 'setRequestFields', id: request.id, fields: { body: { mimeType: chosen, text: chosen === 'application/graphql' ? JSON.stringify({ query: '' }) : '' } } });
        ({ collection, request } = panels.find(state)!);
      }
      if ((request.body.mimeType ?? '') === 'application/graphql') part = 'query';
    }
    const uri = documentUri({ collectionPath: collection.path, collectionId: collection.id, itemId: request.id, part }, collection.name, request.name, bodyExtension(request.body.mimeType));
    return openDocument(uri, { beside: options.beside });
  };

  /** The request a command acts on: its argument, else (`orActive`) the active request editor's, else one picked. */
  const target = async (arg: unknown, title: string, orActive = true): Promise<PanelState | undefined> => {
    if (isRequestNode(arg)) return { collectionPath: arg.collection.path, requestId: arg.request.id };
    if (isPanelState(arg)) return arg;
    const active = orActive ? panels.openEditors.find((e) => e.panel.active) : undefined;
    if (active) return active.state;
    return pickRequest(store, title);
  };
  return [
    // args: the request, { preserveFocus? } (a tree row's click: the keyboard stays in the tree, as in the Explorer)
    registerCommand(Commands.openRequest, async (arg: unknown, options?: { preserveFocus?: boolean }) => {
      // from the palette it always asks: "open" the request already in front of you would do nothing
      const state = await target(arg, 'Open which request?', false);
      if (!state) return undefined;
      panels.open(state, options?.preserveFocus);
      return state.requestId;
    }, log),
    // args: the request (tree node or ids), { beside?, mimeType? (for a request without a body) }
    registerCommand(Commands.openBodyInEditor, async (arg: unknown, options?: { beside?: boolean; mimeType?: string }) => {
      const state = await target(arg, 'Open the body of which request?');
      if (!state) return undefined;
      return (await openPart(state, 'body', options)).document.uri.toString();
    }, log),
    // args: the request, 'preRequest' | 'afterResponse', { beside? }
    registerCommand(Commands.openScriptInEditor, async (arg: unknown, which?: 'preRequest' | 'afterResponse', options?: { beside?: boolean }) => {
      const state = await target(arg, 'Open a script of which request?');
      if (!state) return undefined;
      return (await openPart(state, which === 'afterResponse' ? 'afterResponse' : 'preRequest', options)).document.uri.toString();
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
