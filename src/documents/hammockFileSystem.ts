// Request bodies, scripts, design specs and environments in VS Code's own text editors: a FileSystemProvider for the
// `hammock:` scheme whose files are parts of collection items. Highlighting, formatting, folding, the user's
// keybindings and extensions work as on any file; saving writes the minimal YAML change through the store (a
// `setRequestFields`, `setFolderFields`, `setSpec` or `setEnvironment` edit); a change of the collection file from
// elsewhere (the request editor, another editor, git) updates the open document, as an outside change of a file on
// disk does (VS Code asks before it drops unsaved edits).
//
// A URI names its item by the collection's path, workspace id and the item's id (in the query), never by name alone;
// its path is for people (the tab shows `Create user.body.json`) and gives the language by its extension (a JSON body
// with templates then moves to `hammock-json`, see templated()):
//   hammock:/Petstore/Create user.body.json?c=<collection path>&w=<workspace id>&i=<request id>&p=body

import * as vscode from 'vscode';
import type { Collection, Environment, Folder, HttpRequest } from '../collections/model';
import { orderedKeys } from '../collections/model';
import type { CollectionStore, StoreChange } from '../collections/store';
import type { LocalEnvironments } from '../services/localEnvironments';

export const HAMMOCK_SCHEME = 'hammock';

/** The parts of items a `hammock:` file can be. */
export type DocumentPart = 'body' | 'query' | 'variables' | 'preRequest' | 'afterResponse' | 'spec' | 'environment';

export interface DocumentTarget {
  readonly collectionPath: string;
  readonly collectionId: string;
  /** the request, folder or environment (the collection's id for its spec). */
  readonly itemId: string;
  readonly part: DocumentPart;
}

const PART_SUFFIX: Record<Exclude<DocumentPart, 'body' | 'spec'>, string> = {
  query: 'query.graphql',
  variables: 'variables.json',
  preRequest: 'pre-request.js',
  afterResponse: 'after-response.js',
  environment: 'environment.json',
};

/** The file extension of a body of this mime type (the language VS Code gives it). */
export function bodyExtension(mimeType: string | null | undefined): string {
  const m = (mimeType ?? '').toLowerCase();
  if (m.includes('json')) return 'json';
  if (m.includes('xml')) return 'xml';
  if (m.includes('html')) return 'html';
  if (m.includes('yaml') || m.includes('yml')) return 'yaml';
  if (m.includes('graphql')) return 'graphql';
  if (m.includes('csv')) return 'csv';
  if (m.includes('javascript')) return 'js';
  return 'txt';
}

function safeName(name: string): string {
  return (name || 'Untitled').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 80);
}

/** The `hammock:` URI of a part of an item. `label`: the item's name; `ext`: a body's or spec's extension. */
export function documentUri(target: DocumentTarget, collectionName: string, label: string, ext = 'txt'): vscode.Uri {
  const suffix = target.part === 'body' ? `body.${ext}` : target.part === 'spec' ? `spec.${ext}` : PART_SUFFIX[target.part];
  const query = new URLSearchParams({ c: target.collectionPath, w: target.collectionId, i: target.itemId, p: target.part }).toString();
  return vscode.Uri.from({ scheme: HAMMOCK_SCHEME, path: `/${safeName(collectionName)}/${safeName(label)}.${suffix}`, query });
}

export function targetOf(uri: vscode.Uri): DocumentTarget | undefined {
  if (uri.scheme !== HAMMOCK_SCHEME) return undefined;
  const q = new URLSearchParams(uri.query);
  const part = q.get('p') as DocumentPart | null;
  const collectionPath = q.get('c');
  const collectionId = q.get('w');
  const itemId = q.get('i');
  if (!part || !collectionPath || !collectionId || !itemId) return undefined;
  if (!['body', 'query', 'variables', 'preRequest', 'afterResponse', 'spec', 'environment'].includes(part)) return undefined;
  return { collectionPath, collectionId, itemId, part };
}

/** A GraphQL body as Insomnia stores it: `text` is JSON `{"query": ..., "variables": ...}`. */
export function graphqlParts(text: string | undefined): { query: string; variables: string } {
  try {
    const gql = JSON.parse(text || '{}') as { query?: unknown; variables?: unknown };
    return { query: typeof gql.query === 'string' ? gql.query : '', variables: gql.variables === undefined ? '' : JSON.stringify(gql.variables, null, 2) };
  } catch {
    return { query: text ?? '', variables: '' };
  }
}

/** The GraphQL body text with its query or its variables replaced. Variables that are not JSON are refused. */
export function graphqlText(current: string | undefined, part: { query?: string; variables?: string }): string {
  const now = graphqlParts(current);
  const query = part.query ?? now.query;
  const variablesText = part.variables ?? now.variables;
  let variables: unknown;
  if (variablesText.trim() !== '') {
    try {
      variables = JSON.parse(variablesText);
    } catch (err) {
      throw new Error(`The GraphQL variables are not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return JSON.stringify(variables === undefined ? { query } : { query, variables });
}

/** An environment's variables as the JSON document shows them: in Insomnia's order, two-space indented. */
export function environmentJson(data: Record<string, unknown>, order?: readonly string[]): string {
  const ordered: Record<string, unknown> = {};
  for (const k of orderedKeys(data, order)) if (!k.startsWith('__insomnia')) ordered[k] = data[k];
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** The variables a JSON document holds; what is not a JSON object is refused with its reason. */
export function parseEnvironmentJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch (err) {
    throw new Error(`The environment is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('An environment is a JSON object: { "name": "value", ... }');
  return value as Record<string, unknown>;
}

/**
 * A JSON body with Insomnia templates (`"id": {{ _.id }}`, `{% uuid 'v4' %}`) is no JSON to VS Code's JSON service,
 * which would put a false problem for each template: it gets the `hammock-json` language instead (package.json: JSON's
 * grammar with the templates highlighted over it, as Insomnia's CodeMirror does), which nothing validates. A body
 * without templates stays JSON, validated, and goes back to it when its last template is removed. The text and its
 * saving are the same in either language.
 */
function templated(doc: vscode.TextDocument): void {
  const want = /^(hammock-)?json$/.test(doc.languageId) && targetOf(doc.uri)?.part === 'body' && (/\{[{%#]/.test(doc.getText()) ? 'hammock-json' : 'json');
  if (want && want !== doc.languageId) void vscode.languages.setTextDocumentLanguage(doc, want);
}

export interface HammockFileSystemDeps {
  readonly store: CollectionStore;
  readonly local?: LocalEnvironments;
  readonly log: vscode.LogOutputChannel;
}

interface Stamp {
  mtime: number;
  text: string;
}

/** The `hammock:` file system. */
export class HammockFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly _onDidChangeFile = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this._onDidChangeFile.event;
  private readonly stamps = new Map<string, Stamp>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: HammockFileSystemDeps) {
    this.disposables.push(
      this._onDidChangeFile,
      deps.store.onDidChange((change) => this.storeChanged(change)),
      vscode.workspace.onDidOpenTextDocument(templated),
      vscode.workspace.onDidChangeTextDocument((e) => (e.document.languageId === 'hammock-json' || e.contentChanges.some((c) => /[{%#]/.test(c.text))) && templated(e.document)),
    );
    if (deps.local) {
      const sub = deps.local.onDidChange((e) => this.fireFor((t) => t.collectionId === e.collectionId && t.part === 'environment'));
      this.disposables.push(sub);
    }
  }

  static register(deps: HammockFileSystemDeps): HammockFileSystem & { registration: vscode.Disposable } {
    const fsp = new HammockFileSystem(deps);
    const registration = vscode.workspace.registerFileSystemProvider(HAMMOCK_SCHEME, fsp, { isCaseSensitive: true });
    return Object.assign(fsp, { registration });
  }

  watch(): vscode.Disposable {
    // changes come from the store's events, for every open document
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const text = await this.read(uri);
    const stamp = this.stampOf(uri, text);
    return { type: vscode.FileType.File, ctime: 0, mtime: stamp.mtime, size: Buffer.byteLength(text) };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const text = await this.read(uri);
    this.stampOf(uri, text);
    return Buffer.from(text, 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const target = targetOf(uri);
    if (!target) throw vscode.FileSystemError.FileNotFound(uri);
    const text = Buffer.from(content).toString('utf8');
    try {
      await this.write(target, text);
    } catch (err) {
      if (err instanceof vscode.FileSystemError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      this.deps.log.warn(`could not save ${uri.path}: ${message}`);
      throw vscode.FileSystemError.NoPermissions(message);
    }
    // what the model holds now (a v5 spec comes back re-serialised): the document shows that
    const now = await this.read(uri);
    this.stamps.set(uri.toString(), { mtime: Date.now(), text: now });
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  // ------------------------------------------------------------------------------------------------------------

  private stampOf(uri: vscode.Uri, text: string): Stamp {
    const key = uri.toString();
    const known = this.stamps.get(key);
    if (known && known.text === text) return known;
    const stamp = { mtime: Math.max(Date.now(), (known?.mtime ?? 0) + 1), text };
    this.stamps.set(key, stamp);
    return stamp;
  }

  /** Tells VS Code that the open documents `which` accepts may have changed (it reads them again when they did). */
  private fireFor(which: (t: DocumentTarget) => boolean): void {
    const events: vscode.FileChangeEvent[] = [];
    for (const doc of vscode.workspace.textDocuments) {
      const t = targetOf(doc.uri);
      if (t && which(t)) events.push({ type: vscode.FileChangeType.Changed, uri: doc.uri });
    }
    if (events.length) this._onDidChangeFile.fire(events);
  }

  private storeChanged(change: StoreChange): void {
    this.fireFor((t) => {
      if (change.all) return true;
      return change.collections.some((d) => {
        if (d.path !== t.collectionPath || (d.id !== t.collectionId && d.kind === 'changed')) return false;
        if (d.kind !== 'changed') return true;
        if (t.part === 'spec') return d.own;
        if (t.part === 'environment') return d.environments || d.items === 'all' || d.items.has(t.itemId);
        return d.items === 'all' || d.items.has(t.itemId);
      });
    });
  }

  private collection(t: DocumentTarget): Collection {
    const c = this.deps.store.collectionAt(t.collectionPath, t.collectionId);
    if (!c) throw vscode.FileSystemError.FileNotFound(`The collection is no longer at ${t.collectionPath}`);
    return c;
  }

  private request(t: DocumentTarget): { collection: Collection; request: HttpRequest } {
    const located = this.deps.store.locate(t.collectionPath, t.itemId);
    if (located?.kind !== 'item' || located.item.kind !== 'request') throw vscode.FileSystemError.FileNotFound(`The request ${t.itemId} is no longer in ${t.collectionPath}`);
    return { collection: located.collection, request: located.item };
  }

  private scriptOwner(t: DocumentTarget): { collection: Collection; item: HttpRequest | Folder } {
    const located = this.deps.store.locate(t.collectionPath, t.itemId);
    if (located?.kind !== 'item' || (located.item.kind !== 'request' && located.item.kind !== 'folder')) {
      throw vscode.FileSystemError.FileNotFound(`${t.itemId} is no longer in ${t.collectionPath}`);
    }
    return { collection: located.collection, item: located.item };
  }

  /** The environment (or folder) an environment document shows. */
  private async environment(t: DocumentTarget): Promise<{ collection: Collection; env?: Environment; folder?: Folder; isPrivate: boolean }> {
    const located = this.deps.store.locate(t.collectionPath, t.itemId);
    if (located?.kind === 'environment') return { collection: located.collection, env: located.environment, isPrivate: false };
    if (located?.kind === 'item' && located.item.kind === 'folder') return { collection: located.collection, folder: located.item, isPrivate: false };
    const collection = this.collection(t);
    const base = collection.baseEnvironment;
    if (this.deps.local && base) {
      await this.deps.local.load(collection.id);
      const env = this.deps.local.environments(collection.id, base.id).find((e) => e.id === t.itemId);
      if (env) return { collection, env, isPrivate: true };
    }
    throw vscode.FileSystemError.FileNotFound(`The environment ${t.itemId} is no longer in ${t.collectionPath}`);
  }

  private async read(uri: vscode.Uri): Promise<string> {
    const t = targetOf(uri);
    if (!t) throw vscode.FileSystemError.FileNotFound(uri);
    switch (t.part) {
      case 'body':
        return this.request(t).request.body.text ?? '';
      case 'query':
        return graphqlParts(this.request(t).request.body.text).query;
      case 'variables':
        return graphqlParts(this.request(t).request.body.text).variables;
      case 'preRequest':
      case 'afterResponse':
        return this.scriptOwner(t).item.scripts[t.part];
      case 'spec':
        return this.collection(t).spec?.contents ?? '';
      case 'environment': {
        const { env, folder } = await this.environment(t);
        return env ? environmentJson(env.data, env.propertyOrder) : environmentJson(folder!.environment, folder!.environmentOrder);
      }
    }
  }

  private async write(t: DocumentTarget, text: string): Promise<void> {
    const store = this.deps.store;
    switch (t.part) {
      case 'body': {
        const { collection, request } = this.request(t);
        if ((request.body.text ?? '') === text) return;
        await store.apply(collection, { kind: 'setRequestFields', id: request.id, fields: { body: { ...request.body, text } } });
        return;
      }
      case 'query':
      case 'variables': {
        const { collection, request } = this.request(t);
        const next = graphqlText(request.body.text, t.part === 'query' ? { query: text } : { variables: text });
        if (next === request.body.text) return;
        await store.apply(collection, { kind: 'setRequestFields', id: request.id, fields: { body: { ...request.body, mimeType: request.body.mimeType ?? 'application/graphql', text: next } } });
        return;
      }
      case 'preRequest':
      case 'afterResponse': {
        const { collection, item } = this.scriptOwner(t);
        if (item.scripts[t.part] === text) return;
        const scripts = { [t.part]: text };
        await store.apply(collection, item.kind === 'folder' ? { kind: 'setFolderFields', id: item.id, fields: { scripts } } : { kind: 'setRequestFields', id: item.id, fields: { scripts } });
        return;
      }
      case 'spec': {
        const collection = this.collection(t);
        if (collection.spec?.contents === text) return;
        await store.apply(collection, { kind: 'setSpec', contents: text });
        return;
      }
      case 'environment': {
        const data = parseEnvironmentJson(text);
        const { collection, env, folder, isPrivate } = await this.environment(t);
        if (folder) {
          await store.apply(collection, { kind: 'setFolderFields', id: folder.id, fields: { environment: data } });
        } else if (isPrivate) {
          await this.deps.local!.updateEnvironment(collection.id, env!.id, { data });
        } else {
          // keys Insomnia keeps in the data that the document does not show (`__insomnia_vault`) stay
          const kept = Object.fromEntries(Object.entries(env!.data).filter(([k]) => k.startsWith('__insomnia')));
          await store.apply(collection, { kind: 'setEnvironment', id: env!.id, fields: { data: { ...data, ...kept } } });
        }
        return;
      }
    }
  }
}

/** Opens a part of an item in a real text editor (beside the active one when `beside`). */
export async function openDocument(uri: vscode.Uri, options: { beside?: boolean; preview?: boolean } = {}): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { viewColumn: options.beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active, preview: options.preview ?? false });
}
