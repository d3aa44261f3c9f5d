// The Environments view: per collection, its base environment and the sub-environments under it.
import * as vscode from 'vscode';
import type { ActiveEnvironments } from '../activeEnvironments';
import type { BaseEnvironment, Collection, Environment } from '../collections/model';
import type { CollectionStore } from '../collections/store';

export class EnvCollectionNode {
  readonly type = 'envCollection';
  constructor(readonly collection: Collection) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.collection.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `${this.collection.path}#env-collection`;
    item.iconPath = new vscode.ThemeIcon('library');
    item.contextValue = 'envCollection';
    return item;
  }
}

export class EnvironmentNode {
  readonly type = 'environment';
  constructor(
    readonly collection: Collection,
    readonly environment: Environment,
    readonly isBase: boolean,
    readonly isActive: boolean,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const env = this.environment;
    const hasChildren = this.isBase && (env as BaseEnvironment).subEnvironments.length > 0;
    const item = new vscode.TreeItem(
      env.name,
      hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `${this.collection.path}#${env.id}`;
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
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<EnvTreeNode | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly disposables: vscode.Disposable[] = [this._onDidChangeTreeData];

  constructor(private readonly store: CollectionStore, private readonly active: ActiveEnvironments) {
    store.onDidChange(() => this._onDidChangeTreeData.fire(undefined), this, this.disposables);
    active.onDidChange(() => this._onDidChangeTreeData.fire(undefined), this, this.disposables);
  }

  getTreeItem(node: EnvTreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: EnvTreeNode): EnvTreeNode[] {
    if (!node) {
      return this.store.collections.filter((c) => c.baseEnvironment).map((c) => new EnvCollectionNode(c));
    }
    const c = node.collection;
    const base = c.baseEnvironment;
    if (!base) return [];
    const activeId = this.active.get(c.id);
    if (node instanceof EnvCollectionNode) {
      const baseActive = !activeId || !base.subEnvironments.some((s) => s.id === activeId);
      return [new EnvironmentNode(c, base, true, baseActive)];
    }
    if (node.isBase) {
      return base.subEnvironments.map((sub) => new EnvironmentNode(c, sub, false, sub.id === activeId));
    }
    return [];
  }

  getParent(node: EnvTreeNode): EnvTreeNode | undefined {
    if (node instanceof EnvCollectionNode) return undefined;
    const c = node.collection;
    if (node.isBase) return new EnvCollectionNode(c);
    const base = c.baseEnvironment;
    return base ? new EnvironmentNode(c, base, true, false) : undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
