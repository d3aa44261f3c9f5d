// The Review view's tree: per changed collection, its added, removed, moved and changed folders, requests and
// environments (one node per ItemChange), with an icon per kind of change and the changed fields in the
// description. Clicking a change opens its side-by-side diff; an HTTP request the branch still has can be tried.

import * as path from 'path';
import * as vscode from 'vscode';
import type { CollectionDiff, ItemChange } from '../collections/diff';
import { walkItems, type Collection, type Item, type Problem } from '../collections/model';
import { ReviewCommands } from '../commandIds';
import type { RefDiff } from '../git/refDiff';
import { refs } from '../git/lazyRefs';
import { unreadableFiles, unreadSides } from '../collections/scan';
import { spokenAs } from '../views/spokenAs';

export interface ReviewCollectionNode {
  readonly type: 'reviewCollection';
  readonly collection: CollectionDiff;
}

export interface ReviewChangeNode {
  readonly type: 'reviewChange';
  readonly collection: CollectionDiff;
  readonly change: ItemChange;
}

/** A file of the review that could not be read on one side (malformed, conflict markers): what it holds is left out. */
export interface ReviewUnreadableNode {
  readonly type: 'reviewUnreadable';
  readonly problem: Problem;
  /** the side it could not be read on: the branch's ('head') or, where the branch reads it, its base's. */
  readonly side: 'base' | 'head';
}

export type ReviewNode = ReviewCollectionNode | ReviewChangeNode | ReviewUnreadableNode;

/**
 * The files a review could not read (refDiff reads the files the change touches), once each: every one on the
 * branch's side, and those of the base the branch reads again. diffSnapshots leaves what they hold out of the
 * changes (not added, removed or moved), so the tree names them.
 */
export function unreadableOf(result: RefDiff): ReviewUnreadableNode[] {
  const head = unreadableFiles(result.after);
  const onHead = new Set(head.map((p) => p.file));
  const base = unreadableFiles(result.before).filter((p) => !onHead.has(p.file));
  return [...head.map((problem) => ({ type: 'reviewUnreadable' as const, problem, side: 'head' as const })), ...base.map((problem) => ({ type: 'reviewUnreadable' as const, problem, side: 'base' as const }))];
}

export function isReviewChangeNode(v: unknown): v is ReviewChangeNode {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'reviewChange';
}

/** Whether "Try This Request" applies: an HTTP request the branch has. */
export function isTryable(change: ItemChange): boolean {
  return change.entity === 'request' && change.type === 'request' && change.kind !== 'removed';
}

const ICONS: Record<ItemChange['kind'], [string, string]> = {
  added: ['diff-added', 'gitDecoration.addedResourceForeground'],
  removed: ['diff-removed', 'gitDecoration.deletedResourceForeground'],
  moved: ['diff-renamed', 'gitDecoration.renamedResourceForeground'],
  changed: ['diff-modified', 'gitDecoration.modifiedResourceForeground'],
};

function where(p: readonly string[] | undefined): string {
  return p && p.length ? p.join('/') : 'the root';
}

/** What the description of a change says: its changed fields, or where it moved, or added / removed. */
export function changeSummary(change: ItemChange): string {
  const entity = change.entity === 'request' ? '' : `${change.entity} `;
  switch (change.kind) {
    case 'added':
      return `${entity}added`;
    case 'removed':
      return `${entity}removed`;
    case 'moved':
      return change.fromPath && where(change.fromPath) !== where(change.path)
        ? `${entity}moved from ${where(change.fromPath)} to ${where(change.path)}`
        : `${entity}moved within ${where(change.path)}`;
    case 'changed':
      return `${entity}${(change.fields ?? []).map((f) => f.text).join(', ')}`;
  }
}

/**
 * The changes listed under a collection: its own, or for a collection the branch adds (removes) every folder,
 * request and environment in it as added (removed), so each can be opened and tried.
 */
export function changesOf(result: RefDiff, c: CollectionDiff): readonly ItemChange[] {
  if (c.kind === 'changed') return c.changes;
  const kind = c.kind;
  const snapshot = kind === 'added' ? result.after : result.before;
  const x = snapshot.collections.find((y) => y.id === c.id && y.format === c.format && y.path === c.path);
  if (!x) return [];
  const sign = kind === 'added' ? '+' : '-';
  const out: ItemChange[] = [];
  const visit = (items: readonly Item[], p: readonly string[]) => {
    for (const item of [...items].sort((a, b) => a.sortKey - b.sortKey)) {
      const entity = item.kind === 'folder' ? 'folder' : 'request';
      out.push({ kind, entity, type: item.kind, id: item.id, name: item.name, path: p, description: `${sign} ${entity} "${[...p, item.name].join('/')}" ${kind}` });
      if (item.kind === 'folder') visit(item.children, [...p, item.name]);
    }
  };
  visit(x.children, []);
  const base = x.baseEnvironment;
  for (const env of base ? [base, ...base.subEnvironments] : []) {
    out.push({ kind, entity: 'environment', type: 'environment', id: env.id, name: env.name, path: [], description: `${sign} environment "${env.name}" ${kind}` });
  }
  return out;
}

function findItem(collections: readonly Collection[], c: CollectionDiff, id: string): Item | undefined {
  for (const x of collections) {
    if (x.id !== c.id || x.format !== c.format) continue;
    for (const item of walkItems(x.children)) if (item.id === id) return item;
  }
  return undefined;
}

export class ReviewTreeProvider implements vscode.TreeDataProvider<ReviewNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<ReviewNode | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private result: RefDiff | undefined;
  /** `format:collection id:request id` -> why the change breaks the request's callers (`hammock diff --breaking`). */
  private breaking = new Map<string, string[]>();
  private unreadable: ReviewUnreadableNode[] = [];
  private branch = 'the branch';

  /** Shows a review's diff (undefined: nothing); `branch` names its head in what the tree says. */
  set(result: RefDiff | undefined, branch = 'the branch'): void {
    this.result = result;
    this.branch = branch;
    this.breaking = new Map();
    this.unreadable = result ? unreadableOf(result) : [];
    if (result) {
      for (const b of refs().breakingChanges(result.before.collections, result.after.collections, unreadSides(result.before, result.after))) {
        const key = `${b.format}:${b.collectionId}:${b.requestId}`;
        this.breaking.set(key, [...(this.breaking.get(key) ?? []), b.text]);
      }
    }
    this._onDidChangeTreeData.fire(undefined);
  }

  /** How many files of the review shown could not be read (listed above its changes). */
  get unreadableCount(): number {
    return this.unreadable.length;
  }

  /** Why a change breaks its request's callers, or undefined. */
  breakingOf(node: ReviewChangeNode): readonly string[] | undefined {
    if (node.change.entity !== 'request') return undefined;
    return this.breaking.get(`${node.collection.format}:${node.collection.id}:${node.change.id}`);
  }

  getChildren(node?: ReviewNode): ReviewNode[] {
    const r = this.result;
    if (!r) return [];
    if (!node) return [...this.unreadable, ...r.diff.collections.map((collection): ReviewNode => ({ type: 'reviewCollection', collection }))];
    if (node.type === 'reviewCollection') return changesOf(r, node.collection).map((change) => ({ type: 'reviewChange', collection: node.collection, change }));
    return [];
  }

  getParent(node: ReviewNode): ReviewNode | undefined {
    return node.type === 'reviewChange' ? { type: 'reviewCollection', collection: node.collection } : undefined;
  }

  getTreeItem(node: ReviewNode): vscode.TreeItem {
    if (node.type === 'reviewUnreadable') {
      const { problem } = node;
      const r = this.result;
      const rel = r ? path.relative(r.after.root, problem.file).split(path.sep).join('/') : problem.file;
      const item = new vscode.TreeItem(rel, vscode.TreeItemCollapsibleState.None);
      item.id = `review:unreadable:${node.side}:${problem.file}`;
      const where = node.side === 'head' ? this.branch : 'the base';
      item.description = `cannot be read on ${where}`;
      item.tooltip = `${rel}, line ${problem.line + 1}, on ${where}: ${problem.message}\nWhat this file holds is left out of the review: its changes are unknown.`;
      spokenAs(item);
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.contextValue = 'reviewUnreadable';
      return item;
    }
    if (node.type === 'reviewCollection') {
      const c = node.collection;
      const n = this.result ? changesOf(this.result, c).length : 0;
      const item = new vscode.TreeItem(c.name, n ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      item.id = `review:${c.format}:${c.id}:${c.path}`;
      item.description = c.kind === 'changed' ? `${n} change${n === 1 ? '' : 's'}` : `collection ${c.kind}`;
      item.tooltip = `${c.format === 'v5' ? 'Insomnia v5 file' : '.insomnia folder'}: ${c.path}`;
      spokenAs(item);
      item.iconPath = c.kind === 'changed' ? new vscode.ThemeIcon('folder-library') : new vscode.ThemeIcon(ICONS[c.kind][0], new vscode.ThemeColor(ICONS[c.kind][1]));
      item.contextValue = 'reviewCollection';
      return item;
    }
    const { change } = node;
    const r = this.result;
    const item = new vscode.TreeItem(this.labelOf(node), vscode.TreeItemCollapsibleState.None);
    item.id = `review:${node.collection.format}:${node.collection.id}:${node.collection.path}:${change.kind}:${change.id}`;
    const folder = change.kind !== 'moved' && change.entity !== 'environment' && change.path.length ? `${change.path.join('/')} · ` : '';
    const breaking = this.breakingOf(node);
    item.description = `${breaking ? 'breaking · ' : ''}${folder}${changeSummary(change)}`;
    spokenAs(item);
    item.tooltip = `${change.description}${breaking ? `\nBreaks callers: ${breaking.join(', ')}` : ''}${r ? `\n${r.base.slice(0, 7)} → ${r.head.slice(0, 7)}` : ''}`;
    const [icon, color] = ICONS[change.kind];
    // a change that breaks callers is marked as a warning (hammock diff --breaking would exit 1 on it)
    item.iconPath = breaking ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    item.contextValue = isTryable(change) ? 'reviewChange.tryable' : 'reviewChange';
    item.command = { command: ReviewCommands.openReviewChange, title: 'Open Change', arguments: [node] };
    return item;
  }

  /** `POST Create user` for an HTTP request (`gRPC`, `WS`, `SIO` for the others), the name otherwise. */
  labelOf(node: ReviewChangeNode): string {
    const { change } = node;
    let name = change.name || '(unnamed)';
    if (change.entity === 'request' && this.result) {
      const snapshot = change.kind === 'removed' ? this.result.before : this.result.after;
      const found = findItem(snapshot.collections, node.collection, change.id);
      if (found?.kind === 'request') name = `${found.method.toUpperCase()} ${name}`;
      else if (found?.kind === 'grpcRequest') name = `gRPC ${name}`;
      else if (found?.kind === 'websocketRequest') name = `WS ${name}`;
      else if (found?.kind === 'socketIORequest') name = `SIO ${name}`;
    }
    return name;
  }

  dispose(): void {
    this._onDidChangeTreeData.dispose();
  }
}
