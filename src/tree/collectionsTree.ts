// The Collections view: collection, then folders, then requests. Nodes only render the model.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { ApiSpec, Collection, Folder, Item, Request } from '../collections/model';
import type { CollectionStore } from '../collections/store';
import { escapeMarkdown } from '../util/escapeMarkdown';

export class CollectionNode {
  readonly type = 'collection';
  constructor(readonly collection: Collection, private readonly store?: CollectionStore) {}

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
        `\`${escapeMarkdown(vscode.workspace.asRelativePath(c.path))}\`` +
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
        const now = store.collections.find((c) => c.path === this.collection.path && c.id === this.collection.id);
        return now ? new CollectionNode(now, store).getChildren() : [];
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
  constructor(readonly collection: Collection, readonly folder: Folder) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.folder.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = nodeId(this.collection, this.folder.id);
    item.iconPath = vscode.ThemeIcon.Folder;
    item.contextValue = 'folder';
    if (this.folder.description) item.tooltip = new vscode.MarkdownString(this.folder.description);
    return item;
  }

  getChildren(): TreeNode[] {
    return this.folder.children.map((child) => itemNode(this.collection, child));
  }
}

export class RequestNode {
  readonly type = 'request';
  constructor(readonly collection: Collection, readonly request: Request) {}

  getTreeItem(): vscode.TreeItem {
    const r = this.request;
    const badge = requestBadge(r);
    const label: vscode.TreeItemLabel = { label: `${badge} ${r.name}`, highlights: [[0, badge.length]] };
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = nodeId(this.collection, r.id);
    item.iconPath = new vscode.ThemeIcon(requestIcon(r));
    item.contextValue = `request.${r.kind}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escapeMarkdown(badge)}** ${escapeMarkdown(r.name)}\n\n`);
    tooltip.appendCodeblock(r.url || '(no URL)', 'text');
    if (r.description) tooltip.appendMarkdown(`\n${r.description}`);
    item.tooltip = tooltip;
    // HTTP requests open in the request editor; the other kinds (gRPC, WebSocket, Socket.IO) in their file
    item.command = r.kind === 'request'
      ? { command: Commands.openRequest, title: 'Open Request', arguments: [this] }
      : { command: Commands.revealInFile, title: 'Open', arguments: [this] };
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}

export class SpecNode {
  readonly type = 'spec';
  constructor(readonly collection: Collection, readonly spec: ApiSpec) {}

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
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly disposables: vscode.Disposable[] = [this._onDidChangeTreeData];

  constructor(private readonly store: CollectionStore) {
    store.onDidChange(() => this._onDidChangeTreeData.fire(undefined), this, this.disposables);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: TreeNode): TreeNode[] | Promise<TreeNode[]> {
    if (!node) {
      const roots = () => this.store.collections.map((c) => new CollectionNode(c, this.store));
      // before the first load ends the view shows its progress bar rather than an empty (welcome) view
      return this.store.isLoaded ? roots() : this.store.whenLoaded().then(roots);
    }
    return node.getChildren();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node instanceof CollectionNode) return undefined;
    const collection = node.collection;
    const parentId = node instanceof SpecNode ? collection.id : (node instanceof FolderNode ? node.folder : node.request).parentId;
    if (parentId === collection.id) return new CollectionNode(collection, this.store);
    const located = this.store.find(parentId);
    if (located?.kind === 'item' && located.item.kind === 'folder') return new FolderNode(collection, located.item);
    return new CollectionNode(collection, this.store);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function itemNode(collection: Collection, item: Item): TreeNode {
  return item.kind === 'folder' ? new FolderNode(collection, item) : new RequestNode(collection, item);
}

/** Tree ids must be unique across the whole view: the same workspace id may sit in two files. */
function nodeId(collection: Collection, id: string): string {
  return `${collection.path}#${id}`;
}

export function requestBadge(request: Request): string {
  switch (request.kind) {
    case 'request': return (request.method || 'GET').toUpperCase();
    case 'grpcRequest': return 'gRPC';
    case 'websocketRequest': return 'WS';
    case 'socketIORequest': return 'SIO';
  }
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
