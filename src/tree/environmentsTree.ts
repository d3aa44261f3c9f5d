// The Environments view: per collection, its base environment and the sub-environments under it. As in the
// Collections view, one node object per tree id (collection path, workspace id, environment id), so a change of one
// collection's environments refreshes that collection's nodes only.
import * as vscode from 'vscode';
import type { ActiveEnvironments } from '../activeEnvironments';
import type { BaseEnvironment, Collection, Environment } from '../collections/model';
import type { CollectionStore, StoreChange } from '../collections/store';

/** Tree ids: one `.insomnia` folder may hold two workspaces, one workspace id may sit in two files. */
function envNodeId(collection: Collection, id: string): string {
  return `${collection.path}#${collection.id}/${id}`;
}

export class EnvCollectionNode {
  readonly type = 'envCollection';
  constructor(public collection: Collection) {}

  get key(): string {
    return envNodeId(this.collection, 'env-collection');
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.collection.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.key;
    item.iconPath = new vscode.ThemeIcon('library');
    item.contextValue = 'envCollection';
    return item;
  }
}

export class EnvironmentNode {
  readonly type = 'environment';
  constructor(
    public collection: Collection,
    public environment: Environment,
    readonly isBase: boolean,
    public isActive: boolean,
  ) {}

  get key(): string {
    return envNodeId(this.collection, this.environment.id);
  }

  getTreeItem(): vscode.TreeItem {
    const env = this.environment;
    const hasChildren = this.isBase && (env as BaseEnvironment).subEnvironments.length > 0;
    const item = new vscode.TreeItem(
      env.name,
      hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.key;
    item.contextValue = `environment.${this.isBase ? 'base' : 'sub'}${this.isActive ? '.active' : ''}`;
    item.iconPath = this.isActive
      ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('charts.green'))
      : new vscode.ThemeIcon(this.isBase ? 'symbol-namespace' : 'symbol-variable', env.color ? undefined : undefined);
    const keys = Object.keys(env.data).filter((k) => !k.startsWith('__'));
    item.description = [this.isActive ? 'active' : '', this.isBase ? 'base' : '', `${keys.length} variable${keys.length === 1 ? '' : 's'}`]
      .filter(Boolean)
      .join(' · ');
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${env.name}**${this.isBase ? ' (base environment)' : ''}\n\n`);
    if (keys.length) tooltip.appendCodeblock(keys.map((k) => `${k}: ${preview(env.data[k])}`).join('\n'), 'yaml');
    item.tooltip = tooltip;
    return item;
  }
}

export type EnvTreeNode = EnvCollectionNode | EnvironmentNode;

export class EnvironmentsTreeProvider implements vscode.TreeDataProvider<EnvTreeNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<EnvTreeNode | EnvTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly disposables: vscode.Disposable[] = [this._onDidChangeTreeData];
  private nodes = new Map<string, EnvTreeNode>();

  constructor(private readonly store: CollectionStore, private readonly active: ActiveEnvironments) {
    store.onDidChange((change) => this.refresh(change), this, this.disposables);
    active.onDidChange(() => this._onDidChangeTreeData.fire(undefined), this, this.disposables);
  }

  getTreeItem(node: EnvTreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: EnvTreeNode): EnvTreeNode[] {
    if (!node) {
      return this.store.collections.filter((c) => c.baseEnvironment).map((c) => this.intern(new EnvCollectionNode(c)));
    }
    const c = this.store.collectionAt(node.collection.path, node.collection.id) ?? node.collection;
    const base = c.baseEnvironment;
    if (!base) return [];
    const activeId = this.active.get(c.id);
    if (node instanceof EnvCollectionNode) {
      const baseActive = !activeId || !base.subEnvironments.some((s) => s.id === activeId);
      return [this.intern(new EnvironmentNode(c, base, true, baseActive))];
    }
    if (node.isBase) {
      return base.subEnvironments.map((sub) => this.intern(new EnvironmentNode(c, sub, false, sub.id === activeId)));
    }
    return [];
  }

  getParent(node: EnvTreeNode): EnvTreeNode | undefined {
    if (node instanceof EnvCollectionNode) return undefined;
    const c = node.collection;
    if (node.isBase) return this.intern(new EnvCollectionNode(c));
    const base = c.baseEnvironment;
    return base ? this.intern(new EnvironmentNode(c, base, true, false)) : undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private intern<T extends EnvTreeNode>(node: T): T {
    const known = this.nodes.get(node.key);
    if (!known || known.type !== node.type) {
      this.nodes.set(node.key, node);
      return node;
    }
    if (known instanceof EnvironmentNode && node instanceof EnvironmentNode) {
      known.collection = node.collection;
      known.environment = node.environment;
      known.isActive = node.isActive;
    } else {
      known.collection = node.collection;
    }
    return known as T;
  }

  /** Only the collections whose environments changed are read again. */
  private refresh(change: StoreChange): void {
    if (change.all || change.list || change.collections.some((d) => d.kind !== 'changed')) {
      if (change.all) this.nodes.clear();
      this._onDidChangeTreeData.fire(undefined);
      return;
    }
    const fired: EnvTreeNode[] = [];
    for (const delta of change.collections) {
      if (!delta.environments || !delta.collection) continue;
      const node = this.nodes.get(envNodeId(delta.collection, 'env-collection'));
      if (!node) {
        // a collection that had no environment has one now
        this._onDidChangeTreeData.fire(undefined);
        return;
      }
      node.collection = delta.collection;
      fired.push(node);
    }
    if (fired.length) this._onDidChangeTreeData.fire(fired);
  }
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
