// The commands of issue 6: Copy as cURL, Import..., Export Collection..., Convert to v5 File / to Legacy Folder.
// Each takes optional arguments (a tree node or ids, a file, a target, a format, a save path) so that scripts and the
// in-host tests drive it without dialogs; without them it asks.
import * as vscode from 'vscode';
import type { ActiveEnvironments } from '../activeEnvironments';
import type { Collection, HttpRequest } from '../collections/model';
import { walkItems } from '../collections/model';
import type { CollectionStore } from '../collections/store';
import { Commands } from '../commandIds';
import type { RenderHooks } from '../http';
import { curlForRequest } from './copyAsCurl';

/** Thrown when the user backs out of a prompt: nothing to show. */
export class Cancelled extends Error {}

export interface ImportExportServices {
  readonly store: CollectionStore;
  readonly active: ActiveEnvironments;
  readonly log: vscode.LogOutputChannel;
  /** the host's render hooks for a collection (prompts, responses of other requests, OAuth tokens), as Send uses. */
  readonly renderHooks: (collectionPath: string) => RenderHooks;
  /** the request of the focused request editor, if one is focused. */
  readonly activeRequest: () => { collectionPath: string; requestId: string } | undefined;
}

/** A request named by a tree node (`type: 'request'`) or by ids (`{ collectionPath, requestId }`). */
function requestRef(arg: unknown): { collectionPath: string; requestId: string } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const o = arg as { type?: unknown; collection?: { path?: unknown }; request?: { id?: unknown }; collectionPath?: unknown; requestId?: unknown };
  if (o.type === 'request' && typeof o.collection?.path === 'string' && typeof o.request?.id === 'string') {
    return { collectionPath: o.collection.path, requestId: o.request.id };
  }
  if (typeof o.collectionPath === 'string' && typeof o.requestId === 'string') return { collectionPath: o.collectionPath, requestId: o.requestId };
  return undefined;
}

export function registerImportExportCommands(services: ImportExportServices): vscode.Disposable[] {
  const { store, active, log } = services;

  const register = (id: string, handler: (...args: any[]) => unknown): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (err) {
        if (err instanceof Cancelled) return undefined;
        const message = err instanceof Error ? err.message : String(err);
        log.error(`${id} failed: ${err instanceof Error && err.stack ? err.stack : message}`);
        void vscode.window.showErrorMessage(`Hammock: ${message}`, 'Open Log').then((choice) => {
          if (choice === 'Open Log') log.show();
        });
        return undefined;
      }
    });

  const findRequest = (ref: { collectionPath: string; requestId: string }): { collection: Collection; request: HttpRequest } => {
    const collection = store.collections.find((c) => c.path === ref.collectionPath);
    const request = collection && [...walkItems(collection.children)].find((i) => i.id === ref.requestId);
    if (!collection || !request) throw new Error('That request is no longer in the collection.');
    if (request.kind !== 'request') throw new Error(`"${request.name}" is not an HTTP request: only HTTP requests can be copied as cURL.`);
    return { collection, request };
  };

  const pickHttpRequest = async (placeHolder: string): Promise<{ collectionPath: string; requestId: string }> => {
    const picks = store.collections.flatMap((c) =>
      [...walkItems(c.children)]
        .filter((i): i is HttpRequest => i.kind === 'request')
        .map((r) => ({ label: `${(r.method || 'GET').toUpperCase()} ${r.name}`, description: r.url, detail: c.name, ref: { collectionPath: c.path, requestId: r.id } })),
    );
    if (!picks.length) throw new Error('No HTTP request in this workspace.');
    const pick = await vscode.window.showQuickPick(picks, { placeHolder, matchOnDescription: true, matchOnDetail: true });
    if (!pick) throw new Cancelled();
    return pick.ref;
  };

  return [
    // the tree's context menu passes the node; the request editor's title menu passes nothing (the focused editor)
    register(Commands.copyAsCurl, async (arg?: unknown) => {
      const ref = requestRef(arg) ?? services.activeRequest() ?? (await pickHttpRequest('Copy which request as cURL?'));
      const { collection, request } = findRequest(ref);
      let curl: string;
      try {
        curl = await curlForRequest(collection, request, active.get(collection.id), services.renderHooks(collection.path));
      } catch (err) {
        // the HttpError of a template names the field and the variable: `Unknown variable "host" in url: ...`
        throw new Error(`Could not copy "${request.name}" as cURL: ${err instanceof Error ? err.message : String(err)}`);
      }
      await vscode.env.clipboard.writeText(curl);
      void vscode.window.setStatusBarMessage(`$(check) Copied "${request.name}" as cURL`, 3000);
      return curl;
    }),
  ];
}
