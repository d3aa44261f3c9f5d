// Every command of the trees. One registration wrapper resolves the target (a tree node, or a
// picker when run from the palette) and maps errors to one notification with "Open Log".
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ActiveEnvironments } from './activeEnvironments';
import { writers } from './collections/lazyWriters';
import type { CollectionFormat, Collection, Environment, Folder, Item } from './collections/model';
import { holdsEnvironments, holdsItems, walkItems } from './collections/model';
import type { CollectionStore } from './collections/store';
import type { ImportResult } from './collections/convert/importTypes';
import { Commands, type CommandId } from './commandIds';
import { requestBadge, type TreeNode } from './tree/collectionsTree';
import { titled } from './webviews/editorTitle';
import type { EnvTreeNode } from './tree/environmentsTree';
import { Cancelled, registerCommand } from './registerCommand';
import { documentUri, HAMMOCK_SCHEME } from './documents/hammockFileSystem';
import { writeChanges } from './collections/store';
import { peekClipboard } from './commands/clipboard';
import { withEditsWritten } from './webviews/pendingEdits';
import { promises as fsp } from 'node:fs';

type Node = TreeNode | EnvTreeNode;
/** A keybinding's `args` (package.json): the view that had the focus. */
type KeyArgs = { readonly focusedView: string };

export { Cancelled, registerCommand } from './registerCommand';

export interface CommandServices {
  readonly store: CollectionStore;
  readonly active: ActiveEnvironments;
  readonly log: vscode.LogOutputChannel;
  /**
   * The secret check of a cURL command pasted into New Request: may replace its secrets by variables (asking), and
   * resolves to what stores their values once the request is written.
   */
  readonly takeImportSecrets?: (result: ImportResult) => Promise<((collection: Collection) => Promise<void>) | undefined>;
  /** Selects the item (or the collection) `id` at `collectionPath` in the Collections view, its folders expanded; `focus`: and gives it the keyboard. */
  readonly revealItem?: (collectionPath: string, id: string, focus?: boolean) => Promise<void>;
  /** Whether a commit of `path`'s git repository holds the file (it is in one, neither untracked nor newly added). */
  readonly committed?: (path: string) => boolean;
  /** The row selected in the view `view` (a keybinding's command gets no row: its `args` name the focused view). */
  readonly selectedIn?: (view: string) => Node | undefined;
}

export function registerCommands(services: CommandServices): vscode.Disposable[] {
  const { store, active, log } = services;

  const register = (id: CommandId, handler: (...args: any[]) => unknown): vscode.Disposable => registerCommand(id, handler, log);

  /** The collection and (optionally) the item or environment a command acts on. */
  // Nodes are told apart by their `type` tag, not by class: arguments may come from another bundle (tests, scripts).
  const nodeOf = (given: Node | KeyArgs | undefined): Node | undefined => (given && 'focusedView' in given ? services.selectedIn?.(given.focusedView) : given);
  const targetOf = (given: Node | KeyArgs | undefined): { collection: Collection; item?: Item; environment?: Environment; isBase?: boolean } | undefined => {
    const node = nodeOf(given);
    switch (node?.type) {
      case 'collection':
      case 'envCollection':
      case 'spec':
        return { collection: fresh(node.collection) };
      case 'folder':
        return { collection: fresh(node.collection), item: node.folder };
      case 'request':
        return { collection: fresh(node.collection), item: node.request };
      case 'environment':
        return { collection: fresh(node.collection), environment: node.environment, isBase: node.isBase };
      default:
        return undefined;
    }
  };
  // A node may outlive a reload; resolve it against the current model by path and id.
  const fresh = (c: Collection): Collection => store.collectionAt(c.path, c.id) ?? c;

  /** A collection, asked for when there is more than one; `holds` limits the choice to those that can take the new thing. */
  const pickCollection = async (placeHolder: string, holds: (c: Collection) => boolean = () => true): Promise<Collection> => {
    const collections = store.collections.filter(holds);
    if (collections.length === 1) return collections[0];
    if (!collections.length) {
      throw new Error(store.collections.length ? 'No collection here can hold that (a mock server or environment file holds no requests).' : 'No collection in this workspace. Create one with "Hammock: New Collection".');
    }
    const pick = await vscode.window.showQuickPick(
      collections.map((c) => ({ label: c.name, description: vscode.workspace.asRelativePath(c.path), collection: c })),
      { placeHolder },
    );
    if (!pick) throw new Cancelled();
    return pick.collection;
  };

  /** A folder or request, asked for with `${verb} which folder or request?`. */
  const pickItem = async (verb: string): Promise<{ collection: Collection; item: Item; environment?: Environment; isBase?: boolean }> => {
    const picks = store.collections.flatMap((collection) =>
      [...walkItems(collection.children)].map((item) => ({
        label: item.kind === 'folder' ? `$(folder) ${item.name}` : titled(requestBadge(item), item.name),
        description: collection.name,
        collection,
        item,
      })),
    );
    if (!picks.length) throw new Error('Nothing to choose from: no folder or request in this workspace.');
    const pick = await vscode.window.showQuickPick(picks, { placeHolder: `${verb} which folder or request?`, matchOnDescription: true });
    if (!pick) throw new Cancelled();
    return pick;
  };

  const onlyItems = (done: string) => new Error(`Only folders, requests and sub-environments can be ${done}.`);

  const pickEnvironment = async (placeHolder: string, withBase: boolean): Promise<{ collection: Collection; environment: Environment; isBase: boolean }> => {
    const picks = store.collections.flatMap((collection) => {
      const base = collection.baseEnvironment;
      if (!base) return [];
      const envs = [...(withBase ? [{ environment: base as Environment, isBase: true }] : []), ...base.subEnvironments.map((environment) => ({ environment, isBase: false }))];
      return envs.map(({ environment, isBase }) => ({
        label: environment.name,
        description: `${collection.name}${isBase ? ' · base' : ''}`,
        collection,
        environment,
        isBase,
      }));
    });
    if (!picks.length) throw new Error('No environment in this workspace.');
    const pick = await vscode.window.showQuickPick(picks, { placeHolder, matchOnDescription: true });
    if (!pick) throw new Cancelled();
    return pick;
  };

  const askName = async (prompt: string, value: string): Promise<string> => {
    const name = await vscode.window.showInputBox({
      prompt,
      value,
      valueSelection: [0, value.length],
      validateInput: (v) => (v.trim() ? undefined : 'A name is required'),
    });
    if (name === undefined) throw new Cancelled();
    return name.trim();
  };

  /** folder or collection a new item goes into. */
  const containerOf = async (node: Node | undefined, what: string): Promise<{ collection: Collection; parentId: string }> => {
    const target = targetOf(node);
    if (target?.item) {
      if (target.item.kind === 'folder') return { collection: target.collection, parentId: target.item.id };
      return { collection: target.collection, parentId: target.item.parentId };
    }
    if (target) return { collection: target.collection, parentId: target.collection.id };
    const collection = await pickCollection(`Collection for the new ${what}`, (c) => holdsItems(c.scope));
    return { collection, parentId: collection.id };
  };

  const revealInFile = async (file: string, line: number): Promise<void> => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const position = new vscode.Position(Math.min(line, Math.max(doc.lineCount - 1, 0)), 0);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(position, position), preview: true });
  };

  return [
    register(Commands.refresh, () => store.reload()),

    register(Commands.newCollection, async (options?: { name?: string; format?: CollectionFormat; root?: string }) => {
      const roots = store.workspaceRoots;
      if (!roots.length) throw new Error('Open a folder first: a collection is created inside the workspace.');
      let root = options?.root ?? roots[0];
      if (!options?.root && roots.length > 1) {
        const pick = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Workspace folder for the new collection' });
        if (!pick) throw new Cancelled();
        root = pick.uri.fsPath;
      }
      const name = options?.name ?? (await askName('Name of the new collection', 'My Collection'));
      const format = options?.format ?? (await chooseFormat(store, root));
      // a new v5 file is written in the schema version the repository's other v5 files use, else the newest
      const schemaVersion = writers().schemaVersionForNewFile(store.collections.filter((c) => store.rootOf(c) === root));
      const result = await store.createCollection({ format, root, name, scope: 'collection', schemaVersion });
      log.info(`created ${format} collection "${name}" (${result.collectionId})`);
      return result.collectionId;
    }),

    register(Commands.newFolder, async (node?: Node, givenName?: string) => {
      const { collection, parentId } = await containerOf(node, 'folder');
      const name = givenName ?? (await askName('Name of the new folder', 'New Folder'));
      const created = (await store.apply(collection, { kind: 'createFolder', parentId, name })).createdId;
      // shown where it was made, also inside a collapsed folder or below the fold
      if (created) await services.revealItem?.(collection.path, created);
      return created;
    }),

    // args: the folder or collection, a name (then no question is asked), { method, url, curl, open }
    register(Commands.newRequest, async (node?: Node, givenName?: string, options?: { method?: string; url?: string; curl?: string; open?: boolean }) => {
      const { collection, parentId } = await containerOf(node, 'request');
      let method = options?.method;
      let url = options?.url;
      let curl = options?.curl;
      // asked (method, URL or cURL, then the name) only when run without arguments, as from the tree or the palette
      const interactive = givenName === undefined && options === undefined;
      if (interactive) ({ method, url, curl } = await askMethodAndUrl());
      // a pasted cURL command: its method, URL, headers, body and auth (its secrets: see takeSecretsOutOfImport)
      let fields: Partial<import('./collections/model').HttpRequest> | undefined;
      let storeSecrets: ((c: Collection) => Promise<void>) | undefined;
      if (curl) {
        const parsed = writers().importText(curl).collections[0];
        const r = parsed && [...walkItems(parsed.children)].find((i): i is import('./collections/model').HttpRequest => i.kind === 'request');
        if (!r) throw new Error('That cURL command holds no request.');
        storeSecrets = await services.takeImportSecrets?.({ format: 'curl', collections: [parsed], dropped: [], warnings: [] });
        fields = r;
        method = r.method;
        url = r.url;
      }
      method = (method || 'GET').toUpperCase();
      url = url ?? '';
      const suggested = writers().urlName(url) || 'New Request';
      const name = givenName ?? (interactive ? await askName('Name of the new request', suggested) : suggested);
      const created = (await store.apply(collection, { kind: 'createRequest', parentId, name, method, url })).createdId;
      if (!created) return undefined;
      if (fields) {
        await store.apply(fresh(collection), {
          kind: 'setRequestFields',
          id: created,
          fields: { parameters: fields.parameters, headers: fields.headers, body: fields.body, authentication: fields.authentication, settings: fields.settings },
        });
        await storeSecrets?.(fresh(collection));
      }
      await services.revealItem?.(collection.path, created);
      if (options?.open ?? true) await vscode.commands.executeCommand(Commands.openRequest, { collectionPath: collection.path, requestId: created });
      return created;
    }),

    // options.confirmed skips the question (tests, scripts)
    register(Commands.deleteCollection, async (node?: Node, options?: { confirmed?: boolean }) => {
      const collection = targetOf(node)?.collection ?? (await pickCollection('Delete which collection?'));
      await store.whenComplete();
      const { files, wholeFolder } = writers().collectionFiles(collection.format, collection.path, collection.id);
      const counts = [...walkItems(collection.children)].reduce((n, i) => n + (i.kind === 'folder' ? 0 : 1), 0);
      const where = collection.format === 'v5' ? vscode.workspace.asRelativePath(collection.path) : wholeFolder ? `the ${vscode.workspace.asRelativePath(collection.path)} folder` : `${files.length} files in ${vscode.workspace.asRelativePath(collection.path)}`;
      if (!options?.confirmed) {
        const ok = await vscode.window.showWarningMessage(
          `Delete the collection "${collection.name}"?`,
          { modal: true, detail: `Deletes ${where}: ${counts} request${counts === 1 ? '' : 's'}, its folders and environments. Once committed, git still has it in its history.` },
          'Delete',
        );
        if (ok !== 'Delete') throw new Cancelled();
      }
      if (wholeFolder) await fsp.rm(collection.path, { recursive: true, force: true });
      else await writeChanges(files.map((f) => ({ path: f, content: null })), collection.format === 'v5' ? { format: 'file', folder: path.dirname(collection.path) } : undefined);
      await store.refreshPaths(wholeFolder ? [collection.path] : files, 'delete');
      if (active.get(collection.id)) await active.set(collection.id, undefined);
      log.info(`deleted the collection "${collection.name}" (${where})`);
      return files.length;
    }),

    register(Commands.duplicateCollection, async (node?: Node) => {
      const picked = targetOf(node)?.collection ?? (await pickCollection('Duplicate which collection?'));
      await store.whenComplete();
      // the copy holds what was typed into its editors until now (the files are copied)
      const collection = await withEditsWritten(picked, (c) => store.collectionAt(c.path, c.id));
      const root = store.rootOf(collection);
      const schemaVersion = writers().schemaVersionForNewFile(store.collections.filter((c) => store.rootOf(c) === root));
      const result = writers().duplicateCollection(collection.format, collection.path, collection.id, { schemaVersion });
      await writeChanges(result.changes, { ...result.scope, workspaceRoot: root ?? result.scope.workspaceRoot });
      await store.refreshPaths([result.target]);
      for (const n of result.notConverted) log.warn(`duplicate: not copied: ${n.what}: ${n.why}`);
      if (collection.format === 'legacy') {
        void vscode.window.showInformationMessage(`Hammock: "${collection.name} (Copy)" is a v5 file, ${vscode.workspace.asRelativePath(result.target)}: a repository holds one .insomnia folder.`);
      }
      log.info(`duplicated "${collection.name}" as ${result.target}`);
      return result.target;
    }),

    register(Commands.rename, async (node?: Node | KeyArgs, givenName?: string) => {
      let target = targetOf(node);
      if (!target) target = await pickItem('Rename');
      const current = target.environment ?? target.item ?? target.collection;
      const name = givenName ?? (await askName(`New name for "${current.name}"`, current.name));
      if (name === current.name) return;
      await store.apply(target.collection, { kind: 'rename', id: current.id, name });
    }),

    register(Commands.duplicate, async (node?: Node) => {
      let target = targetOf(node);
      if (!target) target = await pickItem('Duplicate');
      const subject = target.environment ?? target.item;
      if (!subject || target.isBase) throw onlyItems('duplicated');
      // the copy holds what was typed into the item's editor until now (apply reads the collection again)
      await withEditsWritten(target.collection);
      const created = (await store.apply(target.collection, { kind: 'duplicate', id: subject.id })).createdId;
      if (created && !target.environment) await services.revealItem?.(target.collection.path, created);
      return created;
    }),

    // `options.confirmed` lets a caller that already asked (or a test) skip the modal.
    register(Commands.delete, async (node?: Node | KeyArgs, options?: { confirmed?: boolean }) => {
      // Delete pressed on a collection's row in the Collections view
      const row = nodeOf(node);
      if (row?.type === 'collection') return vscode.commands.executeCommand(Commands.deleteCollection, row);
      const { collection, item, environment, isBase } = targetOf(node) ?? (await pickItem('Delete'));
      const subject = environment ?? item;
      if (!subject || isBase) throw onlyItems('deleted');
      const inside = item?.kind === 'folder' ? [...walkItems(item.children)].length : 0;
      let detail = inside ? `It holds ${inside} item${inside === 1 ? '' : 's'}, deleted with it. ` : '';
      // Ctrl+Z in the tree brings nothing back: git does
      if (services.committed?.(subject.source.file)) detail += 'Until committed, Discard Changes in Source Control brings it back.';
      if (!options?.confirmed) {
        const ok = await vscode.window.showWarningMessage(`Delete "${subject.name}"?`, { modal: true, detail }, 'Delete');
        if (ok !== 'Delete') throw new Cancelled();
      }
      // as in the Explorer, the row that takes its place is selected and focused: the next one, else the one before, else its folder
      // (an environment's row: the Environments view selects nothing after it)
      const parent = item && store.locate(collection.path, item.parentId);
      const siblings = item ? (parent?.kind === 'item' ? (parent.item as Folder) : collection).children.map((i) => i.id) : [];
      const at = siblings.indexOf(subject.id);
      await store.apply(collection, { kind: 'delete', id: subject.id });
      if (item) await services.revealItem?.(collection.path, siblings[at + 1] ?? siblings[at - 1] ?? item.parentId, true);
      if (environment && active.get(collection.id) === subject.id) await active.set(collection.id, undefined);
    }),

    ...[Commands.newEnvironment, Commands.newSubEnvironment].map((id) =>
      register(id, async (node?: Node, givenName?: string) => {
        const target = targetOf(node);
        const collection = target?.collection ?? (await pickCollection('Collection for the new environment', (c) => holdsEnvironments(c.scope)));
        const name = givenName ?? (await askName('Name of the new environment', 'New Environment'));
        return (await store.apply(collection, { kind: 'createEnvironment', name })).createdId;
      }),
    ),

    register(Commands.setActiveEnvironment, async (node?: Node) => {
      let target = targetOf(node);
      if (!target?.environment) target = await pickEnvironment('Activate which environment?', true);
      const { collection, environment, isBase } = target;
      await active.set(collection.id, isBase ? undefined : environment!.id);
      return isBase ? undefined : environment!.id;
    }),

    register(Commands.revealInFile, async (node?: Node) => {
      let target = targetOf(node);
      if (!target) target = await pickItem('Reveal');
      const source = (target.environment ?? target.item ?? target.collection).source;
      await revealInFile(source.file, source.line);
    }),

    // the spec opens in an editable document: saving writes it into the collection (see hammockFileSystem.ts)
    register(Commands.openSpec, async (node?: Node) => {
      const collection = node?.type === 'spec' ? fresh(node.collection) : await pickCollection('Open the spec of which design document?', (c) => !!c.spec);
      if (!collection.spec) throw new Error(`"${collection.name}" has no API spec.`);
      const ext = guessSpecLanguage(collection.spec.contents) === 'json' ? 'json' : 'yaml';
      const uri = documentUri({ collectionPath: collection.path, collectionId: collection.id, itemId: collection.id, part: 'spec' }, collection.name, collection.spec.fileName || collection.name, ext);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      return doc.uri.scheme === HAMMOCK_SCHEME;
    }),
  ];

  /** Asks the new request's method, then its URL or a cURL command (offered from the clipboard). */
  async function askMethodAndUrl(): Promise<{ method?: string; url?: string; curl?: string }> {
    const curl = /^\s*curl\s/;
    const clipboard = await peekClipboard({ web: vscode.env.uiKind === vscode.UIKind.Web, readText: () => vscode.env.clipboard.readText() }, 800);
    const methods = 'GET POST PUT PATCH DELETE HEAD OPTIONS'.split(' ');
    type Pick = vscode.QuickPickItem & { method?: string; curl?: boolean };
    const picks: Pick[] = [
      ...methods.map((m) => ({ label: m, method: m })),
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(terminal) From a cURL Command...', detail: curl.test(clipboard) ? clipboard.split('\n', 1)[0].slice(0, 80) : 'paste one; its method, URL, headers, body and auth are taken', curl: true },
    ];
    const pick = await vscode.window.showQuickPick(picks, { title: 'New Request', placeHolder: 'Method of the new request' });
    if (!pick) throw new Cancelled();
    const text = await vscode.window.showInputBox({
      title: pick.curl ? 'New Request from a cURL Command' : `New ${pick.method} Request`,
      prompt: pick.curl ? 'Paste a cURL command' : 'URL, or a cURL command (the name is asked next)',
      placeHolder: pick.curl ? "curl -X POST https://api.example.com/users -d '{...}'" : 'https://api.example.com/users or {{ _.base_url }}/users',
      value: (pick.curl ? curl : /^https?:\/\//).test(clipboard) ? clipboard : '',
      ignoreFocusOut: true,
      // a name typed here is pointed out, not refused (an empty URL, or one made of templates, is legitimate)
      validateInput: (v) => pick.curl ? (curl.test(v) ? undefined : 'A cURL command starts with "curl"') : writers().looksLikeName(v) ? { message: 'This looks like a name: the name is asked next', severity: vscode.InputBoxValidationSeverity.Warning } : undefined,
    });
    if (text === undefined) throw new Cancelled();
    return curl.test(text) ? { method: pick.method, curl: text } : { method: pick.method, url: text.trim() };
  }
}

async function chooseFormat(store: CollectionStore, root: string): Promise<CollectionFormat> {
  const setting = vscode.workspace.getConfiguration('hammock').get<string>('newCollectionFormat', 'auto');
  if (setting === 'legacy' || setting === 'v5') return setting;
  const inRoot = store.collections.filter((c) => c.path.startsWith(root + path.sep) || c.path === root);
  // Insomnia reads one workspace per .insomnia folder: beside one, only a v5 file can be made (not offered, then refused)
  if (inRoot.some((c) => c.format === 'legacy' && c.path === path.join(root, '.insomnia'))) return 'v5';
  // default: what the repository already uses, else the legacy folder
  const usesV5 = inRoot.length > 0 && inRoot.every((c) => c.format === 'v5');
  const items: (vscode.QuickPickItem & { format: CollectionFormat })[] = [
    { label: '.insomnia/ folder', description: 'legacy Git Sync format (Insomnia up to 10.x)', format: 'legacy' },
    { label: 'Insomnia v5 file', description: 'one YAML file per collection (Insomnia 11 and later)', format: 'v5' },
  ];
  if (usesV5) items.reverse();
  const pick = await vscode.window.showQuickPick(items, { placeHolder: 'File format of the new collection' });
  if (!pick) throw new Cancelled();
  return pick.format;
}

function guessSpecLanguage(contents: string): string {
  return contents.trimStart().startsWith('{') ? 'json' : 'yaml';
}
