// The Collections and Environments views inside a real VS Code, on the prepared workspace
// (the legacy kong-demo `.insomnia/` folder at its root and the kong-example v5 files in a subfolder).
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import type { TreeNode } from '../../src/tree/collectionsTree';
import type { EnvTreeNode } from '../../src/tree/environmentsTree';
import { CollectionsTreeProvider } from '../../src/tree/collectionsTree';
import { ExpandedIds } from '../../src/tree/expandedIds';
import { activateHammock, inWorkspace, labelOf, ui, waitFor } from './helpers';

describe('Collections and Environments views', () => {
  let api: HammockApi;

  before(async () => {
    api = await activateHammock();
  });

  const roots = () => api.collectionsTree.getChildren() as TreeNode[];
  const rootNamed = (name: string) => roots().find((n) => labelOf(n.getTreeItem()) === name);

  it('lists the legacy and the v5 collections of the workspace', () => {
    const names = roots().map((n) => labelOf(n.getTreeItem()));
    assert.ok(names.includes('kong-insomnia-demo.git'), `legacy collection listed: ${names.join(', ')}`);
    assert.ok(names.includes('Everything'), `v5 collection listed: ${names.join(', ')}`);
    const legacy = rootNamed('kong-insomnia-demo.git')!.getTreeItem();
    assert.equal(legacy.contextValue, 'collection.legacy.design');
    assert.equal(rootNamed('Everything')!.getTreeItem().contextValue, 'collection.v5.collection');
  });

  it('shows folders, then requests with their method in the label and the URL in the tooltip', () => {
    const legacy = rootNamed('kong-insomnia-demo.git')!;
    const children = api.collectionsTree.getChildren(legacy) as TreeNode[];
    const labels = children.map((n) => labelOf(n.getTreeItem()));
    assert.ok(labels.includes('Transactions'), `folder listed: ${labels.join(', ')}`);
    const spec = children.find((n) => n.getTreeItem().contextValue === 'spec');
    assert.ok(spec, 'the design document has a spec item');

    const folder = children.find((n) => labelOf(n.getTreeItem()) === 'Transactions')!;
    const requests = (api.collectionsTree.getChildren(folder) as TreeNode[]).map((n) => n.getTreeItem());
    const create = requests.find((i) => labelOf(i).endsWith('Create new transaction'));
    assert.ok(create, `request listed: ${requests.map(labelOf).join(', ')}`);
    assert.equal(labelOf(create), 'POST Create new transaction');
    const tooltip = create.tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /\{\{ _\.base_url \}\}\/transactions/);
  });

  it('shows gRPC, WebSocket and Socket.IO items as such', () => {
    const all: vscode.TreeItem[] = [];
    const visit = (nodes: TreeNode[]) => {
      for (const n of nodes) {
        all.push(n.getTreeItem());
        visit(api.collectionsTree.getChildren(n) as TreeNode[]);
      }
    };
    visit(roots());
    const kinds = new Set(all.map((i) => i.contextValue));
    for (const kind of ['request.grpcRequest', 'request.websocketRequest', 'request.socketIORequest']) {
      assert.ok(kinds.has(kind), `${kind} present among ${[...kinds].join(', ')}`);
    }
    assert.ok(all.some((i) => labelOf(i).startsWith('gRPC ')), 'a gRPC label');
    assert.ok(all.some((i) => labelOf(i).startsWith('WS ')), 'a WebSocket label');
  });

  it('opens a design document\'s spec from its item, in an editable document', async () => {
    const legacy = rootNamed('kong-insomnia-demo.git')!;
    const spec = (api.collectionsTree.getChildren(legacy) as TreeNode[]).find((n) => n.getTreeItem().contextValue === 'spec')!;
    const item = spec.getTreeItem();
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const editor = await waitFor('the spec editor', () => vscode.window.activeTextEditor?.document.uri.scheme === 'hammock' && vscode.window.activeTextEditor);
    assert.match(editor.document.getText(), /openapi: 3\.0\.1/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('lists base and sub-environments and remembers the active one per collection', async () => {
    const envRoots = api.environmentsTree.getChildren() as EnvTreeNode[];
    const demo = envRoots.find((n) => labelOf(n.getTreeItem()) === 'kong-insomnia-demo.git');
    assert.ok(demo, 'the collection has an environments node');
    const [base] = (await api.environmentsTree.getChildren(demo)) as EnvTreeNode[];
    assert.equal(labelOf(base.getTreeItem()), 'Base Environment');
    assert.match(base.getTreeItem().contextValue ?? '', /^environment\.base\.active$/);
    const subs = (await api.environmentsTree.getChildren(base)) as EnvTreeNode[];
    assert.equal(subs.length, 4);

    await vscode.commands.executeCommand('hammock.setActiveEnvironment', subs[1]);
    const again = (await api.environmentsTree.getChildren((await api.environmentsTree.getChildren(demo))[0])) as EnvTreeNode[];
    assert.equal(again[1].getTreeItem().contextValue, 'environment.sub.active');
    assert.equal(again[0].getTreeItem().contextValue, 'environment.sub');
    const collectionId = (demo as { collection: { id: string } }).collection.id;
    assert.equal(api.activeEnvironments.get(collectionId), (subs[1] as { environment: { id: string } }).environment.id);

    // choosing the base environment again clears the choice
    await vscode.commands.executeCommand('hammock.setActiveEnvironment', (await api.environmentsTree.getChildren(demo))[0]);
    assert.equal(api.activeEnvironments.get(collectionId), undefined);
  });

  it('updates the tree within a second when a file changes on disk', async () => {
    const file = inWorkspace('disk-change.yaml');
    const text = (name: string) =>
      [
        'type: collection.insomnia.rest/5.0',
        `name: ${name}`,
        'meta:',
        '  id: wrk_diskchange0000000000000000000001',
        'collection:',
        '  - url: http://127.0.0.1/x',
        '    name: ping',
        '    meta:',
        '      id: req_diskchange0000000000000000000001',
        '      sortKey: 1',
        '    method: GET',
        '',
      ].join('\n');
    try {
      let started = Date.now();
      await fsp.writeFile(file, text('Disk Change'));
      await waitFor('the new collection in the tree', () => rootNamed('Disk Change'), 3000);
      const added = Date.now() - started;

      started = Date.now();
      await fsp.writeFile(file, text('Disk Change Renamed'));
      await waitFor('the renamed collection', () => rootNamed('Disk Change Renamed'), 3000);
      const changed = Date.now() - started;

      started = Date.now();
      await fsp.rm(file);
      await waitFor('the collection to disappear', () => !rootNamed('Disk Change Renamed'), 3000);
      const removed = Date.now() - started;
      console.log(`tree refresh after add ${added} ms, change ${changed} ms, delete ${removed} ms`);
      assert.ok(Math.max(added, changed, removed) < 1000, `refreshed within a second (${added}/${changed}/${removed} ms)`);
    } finally {
      await fsp.rm(file, { force: true });
    }
  });

  it('reports a malformed file in the Problems panel while the rest loads', async () => {
    const file = inWorkspace('broken.yaml');
    try {
      await fsp.writeFile(file, 'type: collection.insomnia.rest/5.0\nname: Broken\ncollection:\n  - name: [unclosed\n');
      const diagnostics = await waitFor('a diagnostic on broken.yaml', () => {
        const d = vscode.languages.getDiagnostics(vscode.Uri.file(file));
        return d.length ? d : undefined;
      });
      assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
      assert.equal(diagnostics[0].source, 'Hammock');
      assert.ok(diagnostics[0].range.start.line >= 2, `line points into the file (${diagnostics[0].range.start.line})`);
      assert.ok(rootNamed('Everything'), 'the other collections still load');
    } finally {
      await fsp.rm(file, { force: true });
    }
    await waitFor('the diagnostic to go away', () => vscode.languages.getDiagnostics(vscode.Uri.file(file)).length === 0);
  });
  it('a collection and a folder expanded with the mouse come back expanded in the next window; collapsed, or Collapse All, they do not', async () => {
    await vscode.commands.executeCommand('hammock.collections.focus');
    const collection = await waitFor('the legacy collection in the view', () => api.store.isLoaded && rootNamed('kong-insomnia-demo.git'), 10_000);
    const children = await api.collectionsTree.getChildren(collection);
    const folder = children.find((n) => labelOf(n.getTreeItem()) === 'Transactions')!;
    const other = rootNamed('Everything')!;
    const stored = () => new ExpandedIds(api.storedExpanded());
    // what the next window's Collections view makes of each node, from what this one stored
    const nextWindow = (node: TreeNode) => {
      const provider = new CollectionsTreeProvider(api.store, stored());
      try {
        return provider.getTreeItem(node).collapsibleState;
      } finally {
        provider.dispose();
      }
    };
    const { Collapsed, Expanded } = vscode.TreeItemCollapsibleState;
    // a row by its label: its aria-label is the label, a space, and the description (none for a folder)
    const row = (label: string, description = '') => `.pane-body .monaco-list-row[aria-label^="${label} ${description}"]`;
    const view = { selector: row('kong-insomnia-demo.git', '.insomnia') };
    // the row's aria-expanded ('true' / 'false'), the one row the selector matches
    const expandedOf = async (selector: string) => {
      const [all] = (await ui(view, [{ attribute: selector, name: 'aria-expanded' }])) as (string | null)[][];
      assert.equal(all.length, 1, `one row matches ${selector}`);
      return all[0];
    };
    // a row clicked if it does not show `expanded` yet (a test before may have left it either way), then shown so
    const clickTo = async (selector: string, expanded: boolean) => {
      if ((await expandedOf(selector)) !== String(expanded)) await ui(view, [{ click: selector }]);
      await waitFor(`${selector} ${expanded ? 'expanded' : 'collapsed'}`, async () => (await expandedOf(selector)) === String(expanded), 5000);
    };
    // from a view with nothing expanded (the tests before may have expanded rows): Collapse All, the view's title button
    await vscode.commands.executeCommand('workbench.actions.treeView.hammock.collections.collapseAll');
    await api.collectionsView.reveal(collection, { select: false, focus: false });
    await waitFor('nothing kept as expanded', () => !stored().has(collection.key), 5000);
    await clickTo(row('kong-insomnia-demo.git', '.insomnia'), true);
    // the folder's row scrolled into view (the view shows a few rows), as a person would before clicking it
    await api.collectionsView.reveal(folder, { select: false, focus: false });
    await clickTo(row('Transactions'), true);
    await ui(view, [{ screenshot: 'tree-expanded' }]);
    await waitFor('the collection and the folder kept as expanded', () => stored().has(folder.key) && stored().has(collection.key), 5000);
    assert.equal(nextWindow(collection), Expanded);
    assert.equal(nextWindow(folder), Expanded);
    assert.equal(nextWindow(other), Collapsed, 'a collection never expanded stays collapsed');
    // collapsed again with the mouse: no longer kept
    await clickTo(row('Transactions'), false);
    await waitFor('the folder no longer kept as expanded', () => !stored().has(folder.key), 5000);
    assert.equal(nextWindow(folder), Collapsed);
    assert.equal(nextWindow(collection), Expanded);
    // Collapse All (the view's title button)
    await vscode.commands.executeCommand('workbench.actions.treeView.hammock.collections.collapseAll');
    await waitFor('nothing kept as expanded after Collapse All', () => !stored().has(collection.key), 5000);
    assert.equal(nextWindow(collection), Collapsed);
  });
});
