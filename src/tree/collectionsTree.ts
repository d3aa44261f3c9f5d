// The Collections view: collection, then folders, then requests. Nodes only render the model.
//
// The provider keeps one node object per tree id (collection path, workspace id, item id): VS Code finds the element
// to refresh by that object, so a change of one request refreshes that request's node (and a change of a folder's
// children that folder), not the whole tree. Before a node is refreshed it is given the model objects the store has
// now; a node handed to a command is resolved against the store again by path and id.
import * as vscode from 'vscode';
import { Commands, KEEP_FOCUS } from '../commandIds';
import type { ApiSpec, Collection, Folder, Item, Request } from '../collections/model';
import type { CollectionStore, StoreChange } from '../collections/store';
import { clipForTooltip, escapeMarkdown, markdownCode } from '../util/escapeMarkdown';
import { titled } from '../webviews/editorTitle';
import type { ExpandedIds } from './expandedIds';

export class CollectionNode {
  readonly type = 'collection';
  constructor(public collection: Collection, private readonly store?: CollectionStore) {}

  get key(): string {
    return nodeId(this.collection, this.collection.id);
  }

  getTreeItem(): vscode.TreeItem {
    const c = this.collection;
    const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = nodeId(c, c.id);
    item.description = c.format === 'v5' ? vscode.workspace.asRelativePath(c.path) : '.insomnia';
    item.iconPath = new vscode.ThemeIcon(c.scope === 'design' ? 'notebook' : 'library');
    item.contextValue = `collection.${c.format}.${c.scope}`;
    const problems = c.problems.filter((p) => p.severity === 'error').length;
    item.tooltip = new vscode.MarkdownString(
      `**${escapeMarkdown(c.name)}**  \n${scopeLabel(c)} · ${c.format === 'v5' ? 'Insomnia v5 file' : 'legacy .insomnia folder'}  \n` +
        markdownCode(vscode.workspace.asRelativePath(c.path)) +
        (problems ? `  \n$(error) ${problems} file${problems === 1 ? '' : 's'} could not be read` : ''),
      true,
    );
    return item;
  }

  getChildren(): TreeNode[] | Promise<TreeNode[]> {
    const store = this.store;
    if (this.collection.partial && store) {
      // only the first level is known yet: wait for the items, then take this collection as it is now
      return store.whenComplete().then(() => {
        const now = store.collectionAt(this.collection.path, this.collection.id);
        if (!now) return [];
        this.collection = now;
        return this.getChildren();
      });
    }
    const c = this.collection;
    const nodes: TreeNode[] = [];
    if (c.spec) nodes.push(new SpecNode(c, c.spec));
    nodes.push(...c.children.map((child) => itemNode(c, child)));
    return nodes;
  }
}

export class FolderNode {
  readonly type = 'folder';
  constructor(public collection: Collection, public folder: Folder) {}

  get key(): string {
    return nodeId(this.collection, this.folder.id);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.folder.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = nodeId(this.collection, this.folder.id);
    item.iconPath = vscode.ThemeIcon.Folder;
    item.contextValue = 'folder';
    if (this.folder.description) item.tooltip = new vscode.MarkdownString(clipForTooltip(this.folder.description));
    return item;
  }

  getChildren(): TreeNode[] {
    return this.folder.children.map((child) => itemNode(this.collection, child));
  }
}

export class RequestNode {
  readonly type = 'request';
  constructor(public collection: Collection, public request: Request) {}

  get key(): string {
    return nodeId(this.collection, this.request.id);
  }

  getTreeItem(): vscode.TreeItem {
    const r = this.request;
    const badge = requestBadge(r);
    const item = new vscode.TreeItem(titled(badge, r.name), vscode.TreeItemCollapsibleState.None);
    item.id = nodeId(this.collection, r.id);
    // an HTTP request's icon has its method's colour, as Insomnia colours its methods (light, dark and high contrast)
    item.iconPath = r.kind === 'request' ? new vscode.ThemeIcon('circle-large-filled', new vscode.ThemeColor(methodColorId(r.method))) : new vscode.ThemeIcon(requestIcon(r));
    item.contextValue = `request.${r.kind}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escapeMarkdown(badge)}** ${escapeMarkdown(r.name)}\n\n`);
    tooltip.appendCodeblock(clipForTooltip(r.url) || '(no URL)', 'text');
    if (r.description) tooltip.appendMarkdown(`\n${clipForTooltip(r.description)}`);
    item.tooltip = tooltip;
    // HTTP requests open in the request editor; the other kinds (gRPC, WebSocket, Socket.IO) in their file
    item.command = r.kind === 'request'
      ? { command: Commands.openRequest, title: 'Open Request', arguments: [this, KEEP_FOCUS] }
      : { command: Commands.revealInFile, title: 'Open', arguments: [this] };
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}

export class SpecNode {
  readonly type = 'spec';
  constructor(public collection: Collection, public spec: ApiSpec) {}

  get key(): string {
    return nodeId(this.collection, `${this.spec.id}#spec`);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.spec.fileName || 'API Spec', vscode.TreeItemCollapsibleState.None);
    item.id = nodeId(this.collection, `${this.spec.id}#spec`);
    item.description = 'spec';
    item.iconPath = new vscode.ThemeIcon('file-code');
    item.contextValue = 'spec';
    item.tooltip = `The design document's OpenAPI spec`;
    item.command = { command: Commands.openSpec, title: 'Open Spec', arguments: [this] };
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}

export type TreeNode = CollectionNode | FolderNode | RequestNode | SpecNode;

export class CollectionsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly disposables: vscode.Disposable[] = [this._onDidChangeTreeData];
  /** every node handed to the view, by tree id: the same object each time, so it can be refreshed. */
  private nodes = new Map<string, TreeNode>();

  /** `expanded`: the nodes the user left expanded (in the last window too): they come back expanded. */
  constructor(private readonly store: CollectionStore, private readonly expanded?: ExpandedIds) {
    store.onDidChange((change) => this.refresh(change), this, this.disposables);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = node.getTreeItem();
    if (item.collapsibleState === vscode.TreeItemCollapsibleState.Collapsed && item.id && this.expanded?.has(item.id)) item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] | Promise<TreeNode[]> {
    if (!node) {
      const roots = () => this.store.collections.map((c) => this.intern(new CollectionNode(c, this.store)));
      // before the first load ends the view shows its progress bar rather than an empty (welcome) view
      return this.store.isLoaded ? roots() : this.store.whenLoaded().then(roots);
    }
    const children = node.getChildren();
    return Array.isArray(children) ? children.map((n) => this.intern(n)) : children.then((list) => list.map((n) => this.intern(n)));
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node instanceof CollectionNode) return undefined;
    const collection = node.collection;
    const parentId = node instanceof SpecNode ? collection.id : (node instanceof FolderNode ? node.folder : node.request).parentId;
    const located = parentId === collection.id ? undefined : this.store.locate(collection.path, parentId);
    if (located?.kind === 'item' && located.item.kind === 'folder') return this.intern(new FolderNode(located.collection, located.item));
    return this.intern(new CollectionNode(this.store.collectionAt(collection.path, collection.id) ?? collection, this.store));
  }

  /** The view's node of a collection (for `TreeView.reveal`). */
  collectionNode(collection: Collection): CollectionNode {
    return this.intern(new CollectionNode(collection, this.store)) as CollectionNode;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** The node already handed out under this tree id, given the new node's model objects; else the new node. */
  private intern(node: TreeNode): TreeNode {
    const known = this.nodes.get(node.key);
    if (!known || known.type !== node.type) {
      this.nodes.set(node.key, node);
      return node;
    }
    Object.assign(known, pick(node));
    return known;
  }

  /** Refreshes what a store change touched: the nodes of changed items, of folders whose children changed. */
  private refresh(change: StoreChange): void {
    if (change.all || change.list || change.collections.some((d) => d.kind !== 'changed')) {
      if (change.all) this.nodes.clear();
      this._onDidChangeTreeData.fire(undefined);
      return;
    }
    const fired = new Set<TreeNode>();
    for (const delta of change.collections) {
      const collection = delta.collection;
      if (!collection) continue;
      const collectionNode = this.nodes.get(nodeId(collection, collection.id));
      if (collectionNode) (collectionNode as CollectionNode).collection = collection;
      if (delta.items === 'all' || delta.containers === 'all' || delta.own) {
        if (collectionNode) fired.add(collectionNode);
        if (delta.items === 'all' || delta.containers === 'all') {
          // the subtree is read again from the collection: give its nodes the current objects
          for (const node of this.nodes.values()) if (node.collection.path === collection.path && node.collection.id === collection.id) this.renew(node);
          continue;
        }
      }
      for (const id of [...delta.containers, ...delta.items]) {
        const node = id === collection.id ? collectionNode : this.nodes.get(nodeId(collection, id));
        if (node && this.renew(node)) fired.add(node);
      }
    }
    if (fired.size) this._onDidChangeTreeData.fire([...fired]);
  }

  /** Gives a node the store's current objects; false when its item is gone (its container's refresh drops it). */
  private renew(node: TreeNode): boolean {
    const c = node.collection;
    if (node instanceof CollectionNode) {
      const now = this.store.collectionAt(c.path, c.id);
      if (now) node.collection = now;
      return !!now;
    }
    if (node instanceof SpecNode) {
      const now = this.store.collectionAt(c.path, c.id);
      if (now?.spec) {
        node.collection = now;
        node.spec = now.spec;
      }
      return !!now?.spec;
    }
    const id = node instanceof FolderNode ? node.folder.id : node.request.id;
    const located = this.store.locate(c.path, id);
    if (located?.kind !== 'item') return false;
    node.collection = located.collection;
    if (node instanceof FolderNode && located.item.kind === 'folder') node.folder = located.item;
    else if (node instanceof RequestNode && located.item.kind !== 'folder') node.request = located.item;
    else return false;
    return true;
  }
}

/** The model objects a node carries (its own enumerable fields but the store). */
function pick(node: TreeNode): Partial<TreeNode> {
  switch (node.type) {
    case 'collection': return { collection: node.collection };
    case 'folder': return { collection: node.collection, folder: node.folder };
    case 'request': return { collection: node.collection, request: node.request };
    case 'spec': return { collection: node.collection, spec: node.spec };
  }
}

function itemNode(collection: Collection, item: Item): TreeNode {
  return item.kind === 'folder' ? new FolderNode(collection, item) : new RequestNode(collection, item);
}

/**
 * Tree ids must be unique across the whole view: the same workspace id may sit in two files, and one `.insomnia`
 * folder may hold two workspaces, so an id is the collection's path and workspace id, then the item's id.
 */
function nodeId(collection: Collection, id: string): string {
  return `${collection.path}#${collection.id}/${id}`;
}

export function requestBadge(request: Request): string {
  switch (request.kind) {
    case 'request': return (request.method || 'GET').toUpperCase();
    case 'grpcRequest': return 'gRPC';
    case 'websocketRequest': return 'WS';
    case 'socketIORequest': return 'SIO';
  }
}

const COLORED_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'head']);

/** The theme colour of an HTTP method (package.json `contributes.colors`: `hammock.method.get`, ...). */
export function methodColorId(method: string): string {
  const m = (method || 'GET').toLowerCase();
  return `hammock.method.${COLORED_METHODS.has(m) ? m : 'other'}`;
}

function requestIcon(request: Request): string {
  switch (request.kind) {
    case 'request': return 'arrow-swap';
    case 'grpcRequest': return 'server-process';
    case 'websocketRequest': return 'plug';
    case 'socketIORequest': return 'radio-tower';
  }
}

function scopeLabel(c: Collection): string {
  switch (c.scope) {
    case 'design': return 'Design document';
    case 'collection': return 'Request collection';
    case 'mock-server': return 'Mock server';
    case 'environment': return 'Environment';
    case 'mcp': return 'MCP client';
  }
}

/**
 * The mime type of what a drag in the Collections view carries (not VS Code's own `application/vnd.code.tree.<view>`,
 * whose item VS Code fills with the dragged elements themselves).
 */
export const DRAG_MIME = 'application/vnd.hammock.items+json';

/** What a drag carries: each dragged folder or request by its collection (path and id) and its id. */
interface DraggedItem {
  readonly path: string;
  readonly collectionId: string;
  readonly id: string;
}

/**
 * Drag and drop in the Collections view: a folder or request dropped on a folder or a collection moves into it (last);
 * dropped on a request, it moves before that request in its folder. Within one collection: between collections a drop
 * says so and changes nothing.
 */
export class CollectionsDragAndDrop implements vscode.TreeDragAndDropController<TreeNode> {
  readonly dragMimeTypes = [DRAG_MIME];
  readonly dropMimeTypes = [DRAG_MIME];

  constructor(
    private readonly store: CollectionStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  handleDrag(source: readonly TreeNode[], data: vscode.DataTransfer): void {
    const items: DraggedItem[] = [];
    for (const node of source) {
      if (node.type === 'folder') items.push({ path: node.collection.path, collectionId: node.collection.id, id: node.folder.id });
      else if (node.type === 'request') items.push({ path: node.collection.path, collectionId: node.collection.id, id: node.request.id });
    }
    if (items.length) data.set(DRAG_MIME, new vscode.DataTransferItem(JSON.stringify(items)));
  }

  async handleDrop(target: TreeNode | undefined, data: vscode.DataTransfer): Promise<void> {
    const raw = data.get(DRAG_MIME);
    if (!raw || !target || target.type === 'spec') return;
    let items: DraggedItem[];
    try {
      items = JSON.parse(typeof raw.value === 'string' ? raw.value : await raw.asString()) as DraggedItem[];
    } catch {
      return;
    }
    const collection = this.store.collectionAt(target.collection.path, target.collection.id);
    if (!collection) return;
    this.log.trace(`drop of ${items.map((i) => i.id).join(', ')} on ${target.type} of ${collection.name}`);
    const parentId = target.type === 'collection' ? collection.id : target.type === 'folder' ? target.folder.id : target.request.parentId;
    const before = target.type === 'request' ? target.request.id : undefined;
    for (const item of items) {
      if (item.path !== collection.path || item.collectionId !== collection.id) {
        void vscode.window.showInformationMessage('Hammock moves folders and requests within one collection. To copy one to another collection, export and import it.');
        continue;
      }
      if (item.id === before) continue;
      try {
        await this.store.apply(collection, { kind: 'move', id: item.id, parentId, before });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.log.error(`move failed: ${message}`);
        void vscode.window.showErrorMessage(`Could not move: ${message}`);
      }
    }
  }
}

