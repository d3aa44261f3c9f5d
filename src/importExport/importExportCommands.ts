// The commands of issue 6: Copy as cURL, Import..., Export Collection..., Convert to v5 File / to Legacy Folder.
// Each takes optional arguments (a tree node or ids, a file, a target, a format, a save path) so that scripts and the
// in-host tests drive it without dialogs; without them it asks.
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ActiveEnvironments } from '../activeEnvironments';
import { importText } from '../collections/convert/importText';
import { ImportError, type ImportResult } from '../collections/convert/importTypes';
import { planImportDetailed, type ImportTarget } from '../collections/convert/planImport';
import type { Collection, HttpRequest } from '../collections/model';
import { walkItems } from '../collections/model';
import { writeChanges, type CollectionStore } from '../collections/store';
import { Commands } from '../commandIds';
import type { RenderHooks } from '../http';
import { CollectionNode } from '../tree/collectionsTree';
import { curlForRequest } from './copyAsCurl';
import type { ImportPreviews } from './importPreview';
import { isImportTargetChoice, type ImportTargetChoice } from './importPreviewProtocol';
import { summarizeImport, workspaceIds, type SummaryWorkspace } from './importSummary';

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
  /** the import preview panels. */
  readonly previews: ImportPreviews;
  /** the Collections view, to reveal what an import or a conversion made. */
  readonly collectionsView: vscode.TreeView<unknown>;
}

/** The arguments of `hammock.import`; without them it asks. */
export interface ImportOptions {
  /** a file to import (absolute path). */
  readonly file?: string;
  /** text to import instead of a file (a cURL command, clipboard text). */
  readonly text?: string;
  /** the workspace folder a new collection goes into (default: the first, or asked when several). */
  readonly root?: string;
  /** the target selected when the preview opens (with `skipPreview`, the target written to). */
  readonly target?: ImportTargetChoice;
  /** write into `target` without the preview (scripts). */
  readonly skipPreview?: boolean;
}

/** What `hammock.import` returns when it wrote something: the collections written (paths), created or changed. */
export interface ImportOutcome {
  readonly collectionPaths: string[];
  readonly files: string[];
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

  /** Asks where the text comes from: a file, a pasted cURL command, or the clipboard. */
  const askSource = async (): Promise<{ text: string; source: string; file?: string }> => {
    const clipboard = (await vscode.env.clipboard.readText()).trim();
    type Pick = vscode.QuickPickItem & { id: 'file' | 'curl' | 'clipboard' };
    const picks: Pick[] = [
      { id: 'file', label: '$(file) From a File...', detail: 'Insomnia v4 or v5, Postman collection v2.0/v2.1 or environment, OpenAPI 3.0/3.1, Swagger 2.0, HAR' },
      { id: 'curl', label: '$(terminal) Paste a cURL Command...' },
    ];
    if (clipboard) picks.push({ id: 'clipboard', label: '$(clippy) From the Clipboard', detail: clipboard.split('\n', 1)[0].slice(0, 80) });
    const pick = await vscode.window.showQuickPick(picks, { placeHolder: 'Import what?' });
    if (!pick) throw new Cancelled();
    if (pick.id === 'clipboard') return { text: clipboard, source: 'clipboard text' };
    if (pick.id === 'curl') {
      const text = await vscode.window.showInputBox({
        prompt: 'Paste a cURL command',
        placeHolder: "curl -X POST https://api.example.com/users -H 'Content-Type: application/json' -d '{...}'",
        value: /^\s*curl\s/.test(clipboard) ? clipboard : '',
        ignoreFocusOut: true,
        validateInput: (v) => (/^\s*curl\s/.test(v) ? undefined : 'A cURL command starts with "curl"'),
      });
      if (text === undefined) throw new Cancelled();
      return { text, source: 'pasted cURL command' };
    }
    const uris = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Import',
      title: 'Import into Hammock',
      filters: { 'Collections and specs': ['json', 'yaml', 'yml', 'har', 'txt', 'sh'], 'All files': ['*'] },
    });
    const file = uris?.[0]?.fsPath;
    if (!file) throw new Cancelled();
    return { text: await fsp.readFile(file, 'utf8'), source: path.basename(file), file };
  };

  /** Parses; a malformed or unknown input is shown with its file and line (and an Open File button), then Cancelled. */
  const parse = (text: string, source: string, file: string | undefined): ImportResult => {
    try {
      return importText(text, file ? path.basename(file) : undefined);
    } catch (err) {
      if (!(err instanceof ImportError)) throw err;
      const where = file ? path.basename(file) : source;
      const at = err.line !== undefined && !/\bline \d+/.test(err.message) ? ` (line ${err.line + 1})` : '';
      const message = `Cannot import ${where}: ${err.message}${at}. Nothing was written.`;
      log.warn(message);
      const actions = file && err.line !== undefined ? ['Open File'] : [];
      void vscode.window.showErrorMessage(`Hammock: ${message}`, ...actions).then(async (choice) => {
        if (choice !== 'Open File' || !file) return;
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
        const pos = new vscode.Position(err.line ?? 0, err.column ?? 0);
        await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
      });
      throw new Cancelled();
    }
  };

  const summaryWorkspace = (root: string): SummaryWorkspace => ({
    root,
    collections: store.collections,
    hasLegacyFolder: existsSync(path.join(root, '.insomnia')),
    formatSetting: vscode.workspace.getConfiguration('hammock').get<string>('newCollectionFormat', 'auto'),
    describe: (c) => vscode.workspace.asRelativePath(c.path),
  });

  /** Writes an import into a target; returns what it wrote. */
  const writeImport = async (result: ImportResult, choice: ImportTargetChoice, root: string): Promise<ImportOutcome> => {
    await store.whenComplete();
    let target: ImportTarget;
    if (choice.kind === 'new') {
      target = { kind: 'new', root, format: choice.format, exists: (p) => existsSync(p), takenIds: workspaceIds(store.collections) };
    } else {
      const collection = store.collections.find((c) => c.path === choice.collectionPath);
      if (!collection) throw new Error(`No collection at ${choice.collectionPath} any more.`);
      target = { kind: 'existing', collection, parentId: choice.parentId, readText: (p) => readFileSync(p, 'utf8'), exists: (p) => existsSync(p) };
    }
    const plan = planImportDetailed(result, target);
    await writeChanges(plan.changes);
    await store.refreshPaths(plan.changes.map((c) => c.path));
    const collectionPaths = choice.kind === 'new' ? plan.created : [choice.collectionPath];
    log.info(`imported ${result.format} into ${collectionPaths.join(', ')} (${plan.changes.length} file${plan.changes.length === 1 ? '' : 's'})`);
    const first = store.collections.find((c) => c.path === collectionPaths[0]);
    if (first) {
      try {
        await services.collectionsView.reveal(new CollectionNode(first, store), { select: true, focus: false, expand: true });
      } catch (err) {
        log.warn(`could not reveal ${first.path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return { collectionPaths, files: plan.changes.map((c) => c.path) };
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
    register(Commands.import, async (options: ImportOptions = {}) => {
      if (options.target !== undefined && !isImportTargetChoice(options.target)) throw new Error('Invalid import target.');
      const roots = store.workspaceRoots;
      if (!roots.length) throw new Error('Open a folder first: an import is written into the workspace.');
      let root = options.root ?? roots[0];
      let input: { text: string; source: string; file?: string };
      if (options.file) input = { text: await fsp.readFile(options.file, 'utf8'), source: path.basename(options.file), file: options.file };
      else if (options.text !== undefined) input = { text: options.text, source: /^\s*curl\s/.test(options.text) ? 'pasted cURL command' : 'pasted text' };
      else input = await askSource();
      const result = parse(input.text, input.source, input.file);
      if (!options.root && roots.length > 1 && options.target?.kind !== 'existing') {
        const pick = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Workspace folder for a new collection' });
        if (!pick) throw new Cancelled();
        root = pick.uri.fsPath;
      }
      await store.whenComplete();
      if (options.skipPreview) {
        if (!options.target) throw new Error('skipPreview needs a target.');
        return await writeImport(result, options.target, root);
      }
      const summary = summarizeImport(result, input.source, input.text, summaryWorkspace(root), options.target);
      let outcome: ImportOutcome | undefined;
      const imported = await services.previews.show(summary, async (choice) => {
        outcome = await writeImport(result, choice, root);
      });
      return imported ? outcome : undefined;
    }),
  ];
}
