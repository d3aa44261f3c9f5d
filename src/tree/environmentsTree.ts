// The Environments view: per collection, its base environment and the sub-environments under it. As in the
// Collections view, one node object per tree id (collection path, workspace id, environment id), so a change of one
// collection's environments refreshes that collection's nodes only.
import * as vscode from 'vscode';
import type { ActiveEnvironments } from '../activeEnvironments';
import type { BaseEnvironment, Collection, Environment } from '../collections/model';
import { SECRET_MASK } from '../collections/secrets/mask';
import type { CollectionStore, StoreChange } from '../collections/store';
import { Commands, KEEP_FOCUS } from '../commandIds';

/** The id the environment editor gives a collection's vault (webviews/environmentPanels.ts VAULT_ID). */
const VAULT_ID = '__vault__';

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
    /** a private environment: on this machine only (SecretStorage), in no file. */
    readonly isLocal = false,
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
    item.contextValue = this.isLocal ? `privateEnvironment${this.isActive ? '.active' : ''}` : `environment.${this.isBase ? 'base' : 'sub'}${this.isActive ? '.active' : ''}`;
    item.iconPath = this.isActive
      ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('charts.green'))
      : new vscode.ThemeIcon(this.isLocal ? 'lock' : this.isBase ? 'symbol-namespace' : 'symbol-variable');
    const keys = Object.keys(env.data).filter((k) => !k.startsWith('__'));
    item.description = [this.isActive ? 'active' : '', this.isBase ? 'base' : '', this.isLocal ? 'private' : '', `${keys.length} variable${keys.length === 1 ? '' : 's'}`]
      .filter(Boolean)
      .join(' · ');
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${escapeMd(env.name)}**${this.isBase ? ' (base environment)' : this.isLocal ? ' (private: this machine only, never in git)' : ''}\n\n`);
    // a private environment's values stay out of tooltips (it is where secrets go)
    if (keys.length) tooltip.appendCodeblock(keys.map((k) => `${k}: ${this.isLocal || env.isPrivate ? SECRET_MASK : preview(env.data[k])}`).join('\n'), 'yaml');
    item.tooltip = tooltip;
    item.command = { command: Commands.editEnvironment, title: 'Edit Environment', arguments: [this, KEEP_FOCUS] };
    return item;
  }
}

/** A collection's vault: variables read as `{{ vault.<name> }}`, kept in SecretStorage on this machine. */
export class EnvVaultNode {
  readonly type = 'envVault';
  constructor(public collection: Collection, public count: number) {}

  get key(): string {
    return envNodeId(this.collection, VAULT_ID);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Vault', vscode.TreeItemCollapsibleState.None);
    item.id = this.key;
    item.contextValue = 'envVault';
    item.iconPath = new vscode.ThemeIcon('key');
    item.description = `${this.count} secret${this.count === 1 ? '' : 's'} · this machine`;
    item.tooltip = 'Secrets kept in VS Code\'s SecretStorage on this machine, never in git. Requests read them as {{ vault.<name> }}.';
    item.command = { command: Commands.editEnvironment, title: 'Edit Vault', arguments: [this, KEEP_FOCUS] };
    return item;
  }
}

export type EnvTreeNode = EnvCollectionNode | EnvironmentNode | EnvVaultNode;

export class EnvironmentsTreeProvider implements vscode.TreeDataProvider<EnvTreeNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<EnvTreeNode | EnvTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly disposables: vscode.Disposable[] = [this._onDidChangeTreeData];
  private nodes = new Map<string, EnvTreeNode>();

  constructor(private readonly store: CollectionStore, private readonly active: ActiveEnvironments) {
    store.onDidChange((change) => this.refresh(change), this, this.disposables);
    active.onDidChange(() => this._onDidChangeTreeData.fire(undefined), this, this.disposables);
    active.local?.onDidChange((e) => {
      const node = [...this.nodes.values()].find((n) => n instanceof EnvCollectionNode && n.collection.id === e.collectionId);
      this._onDidChangeTreeData.fire(node ? [node] : undefined);
    }, this, this.disposables);
  }

  getTreeItem(node: EnvTreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: EnvTreeNode): EnvTreeNode[] | Promise<EnvTreeNode[]> {
    if (!node) {
      return this.store.collections.filter((c) => c.baseEnvironment).map((c) => this.intern(new EnvCollectionNode(c)));
    }
    const local = this.active.local;
    // private environments and the vault come from SecretStorage: read once per collection
    if (local && !local.isLoaded(node.collection.id)) return local.load(node.collection.id).then(() => this.getChildren(node));
    const c = this.store.collectionAt(node.collection.path, node.collection.id) ?? node.collection;
    const base = c.baseEnvironment;
    if (!base) return [];
    const activeId = this.active.get(c.id);
    const privates = local ? local.environments(c.id, base.id) : [];
    if (node instanceof EnvCollectionNode) {
      const baseActive = !activeId || ![...base.subEnvironments, ...privates].some((s) => s.id === activeId);
      const vault = local ? [this.intern(new EnvVaultNode(c, Object.keys(local.vault(c.id)).length))] : [];
      return [this.intern(new EnvironmentNode(c, base, true, baseActive)), ...vault];
    }
    if (node instanceof EnvironmentNode && node.isBase) {
      return [
        ...base.subEnvironments.map((sub) => this.intern(new EnvironmentNode(c, sub, false, sub.id === activeId))),
        ...privates.map((sub) => this.intern(new EnvironmentNode(c, sub, false, sub.id === activeId, true))),
      ];
    }
    return [];
  }

  getParent(node: EnvTreeNode): EnvTreeNode | undefined {
    if (node instanceof EnvCollectionNode) return undefined;
    const c = node.collection;
    if (node instanceof EnvVaultNode || node.isBase) return this.intern(new EnvCollectionNode(c));
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
    } else if (known instanceof EnvVaultNode && node instanceof EnvVaultNode) {
      known.collection = node.collection;
      known.count = node.count;
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

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
