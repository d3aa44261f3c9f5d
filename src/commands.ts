// Every command of the trees. One registration wrapper resolves the target (a tree node, or a
// picker when run from the palette) and maps errors to one notification with "Open Log".
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ActiveEnvironments } from './activeEnvironments';
import { writers } from './collections/lazyWriters';
import type { CollectionFormat, Collection, Environment, Item } from './collections/model';
import { holdsEnvironments, holdsItems, walkItems } from './collections/model';
import type { CollectionStore } from './collections/store';
import { Commands, type CommandId } from './commandIds';
import { requestBadge, type TreeNode } from './tree/collectionsTree';
import type { EnvTreeNode } from './tree/environmentsTree';
import { Cancelled, registerCommand } from './registerCommand';
import { SPEC_SCHEME, specUri } from './specDocuments';

type Node = TreeNode | EnvTreeNode;

export { Cancelled, registerCommand } from './registerCommand';

export interface CommandServices {
  readonly store: CollectionStore;
  readonly active: ActiveEnvironments;
  readonly log: vscode.LogOutputChannel;
}

export function registerCommands(services: CommandServices): vscode.Disposable[] {
  const { store, active, log } = services;

  const register = (id: CommandId, handler: (...args: any[]) => unknown): vscode.Disposable => registerCommand(id, handler, log);

  /** The collection and (optionally) the item or environment a command acts on. */
  // Nodes are told apart by their `type` tag, not by class: arguments may come from another bundle (tests, scripts).
  const targetOf = (node: Node | undefined): { collection: Collection; item?: Item; environment?: Environment; isBase?: boolean } | undefined => {
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

  const pickItem = async (placeHolder: string, filter: (item: Item) => boolean): Promise<{ collection: Collection; item: Item }> => {
    const picks = store.collections.flatMap((collection) =>
      [...walkItems(collection.children)].filter(filter).map((item) => ({
        label: item.kind === 'folder' ? `$(folder) ${item.name}` : `${requestBadge(item)} ${item.name}`,
        description: collection.name,
        collection,
        item,
      })),
    );
    if (!picks.length) throw new Error('Nothing to choose from: no folder or request in this workspace.');
    const pick = await vscode.window.showQuickPick(picks, { placeHolder, matchOnDescription: true });
    if (!pick) throw new Cancelled();
    return pick;
  };

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
      return (await store.apply(collection, { kind: 'createFolder', parentId, name })).createdId;
    }),

    register(Commands.newRequest, async (node?: Node, givenName?: string) => {
      const { collection, parentId } = await containerOf(node, 'request');
      const name = givenName ?? (await askName('Name of the new request', 'New Request'));
      return (await store.apply(collection, { kind: 'createRequest', parentId, name, method: 'GET', url: '' })).createdId;
    }),

    register(Commands.rename, async (node?: Node, givenName?: string) => {
      let target = targetOf(node);
      if (!target) target = await pickItem('Rename which folder or request?', () => true);
      const current = target.environment ?? target.item ?? target.collection;
      const name = givenName ?? (await askName(`New name for "${current.name}"`, current.name));
      if (name === current.name) return;
      await store.apply(target.collection, { kind: 'rename', id: current.id, name });
    }),

    register(Commands.duplicate, async (node?: Node) => {
      let target = targetOf(node);
      if (!target) target = await pickItem('Duplicate which folder or request?', () => true);
      const subject = target.environment ?? target.item;
      if (!subject || target.isBase) throw new Error('Only folders, requests and sub-environments can be duplicated.');
      return (await store.apply(target.collection, { kind: 'duplicate', id: subject.id })).createdId;
    }),

    // `options.confirmed` lets a caller that already asked (or a test) skip the modal.
    register(Commands.delete, async (node?: Node, options?: { confirmed?: boolean }) => {
      let target = targetOf(node);
      if (!target) target = await pickItem('Delete which folder or request?', () => true);
      const subject = target.environment ?? target.item;
      if (!subject || target.isBase) throw new Error('Only folders, requests and sub-environments can be deleted.');
      const inside = target.item?.kind === 'folder' ? [...walkItems(target.item.children)].length : 0;
      const detail = inside ? `It holds ${inside} item${inside === 1 ? '' : 's'}, deleted with it.` : undefined;
      if (!options?.confirmed) {
        const ok = await vscode.window.showWarningMessage(`Delete "${subject.name}"?`, { modal: true, detail }, 'Delete');
        if (ok !== 'Delete') throw new Cancelled();
      }
      await store.apply(target.collection, { kind: 'delete', id: subject.id });
      if (target.environment && active.get(target.collection.id) === subject.id) await active.set(target.collection.id, undefined);
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
      if (!target) target = await pickItem('Reveal which folder or request?', () => true);
      const source = (target.environment ?? target.item ?? target.collection).source;
      await revealInFile(source.file, source.line);
    }),

    register(Commands.openSpec, async (node?: Node) => {
      const collection = node?.type === 'spec' ? fresh(node.collection) : await pickCollection('Open the spec of which design document?');
      if (!collection.spec) throw new Error(`"${collection.name}" has no API spec.`);
      const doc = await vscode.workspace.openTextDocument(specUri(collection));
      await vscode.languages.setTextDocumentLanguage(doc, guessSpecLanguage(collection.spec.contents));
      await vscode.window.showTextDocument(doc, { preview: true });
      return doc.uri.scheme === SPEC_SCHEME;
    }),
  ];
}

async function chooseFormat(store: CollectionStore, root: string): Promise<CollectionFormat> {
  const setting = vscode.workspace.getConfiguration('hammock').get<string>('newCollectionFormat', 'auto');
  if (setting === 'legacy' || setting === 'v5') return setting;
  const inRoot = store.collections.filter((c) => c.path.startsWith(root + path.sep) || c.path === root);
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
