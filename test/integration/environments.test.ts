// The environment editor as a person uses it: opened from the Environments view, its real page driven through the UI
// driver (typing at human speed, clicking, dragging a row), then the collection file (only the lines of what changed),
// the store, the status bar and SecretStorage; private environments leave the file and come back.
import * as assert from 'node:assert/strict';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Collection, Environment, HttpRequest } from '../../src/collections/model';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import type { EnvTreeNode } from '../../src/tree/environmentsTree';
import { activateHammock, answerModals, inWorkspace, lineDiff, ui, waitFor } from './helpers';

describe('The environment editor', function () {
  this.timeout(60_000);
  let api: HammockApi;
  const restore: { file: string; text: string | null }[] = [];
  const legacyDir = () => inWorkspace('.insomnia');

  before(async () => {
    api = await activateHammock();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const { file, text } of restore.reverse()) {
      if (text === null) await fsp.rm(file, { force: true });
      else await fsp.writeFile(file, text);
    }
    await api.store.refreshPaths(restore.map((r) => r.file));
  });

  const collection = (): Collection => {
    const c = api.store.collections.find((x) => x.path === legacyDir());
    assert.ok(c?.baseEnvironment, 'the legacy collection has environments');
    return c;
  };
  const sub = (id: string): Environment | undefined => collection().baseEnvironment!.subEnvironments.find((e) => e.id === id);
  const SUB = 'env_038c957f9f1749c8bc57927d9655f4b4'; // "OpenAPI env localhost:3000", 7 variables and a json-order map
  const subFile = () => path.join(legacyDir(), 'Environment', `${SUB}.yml`);

  /** `beside`: the editor opens in a second editor group taking that share of the width, a text editor in the first. */
  const openEditor = async (beside?: number) => {
    // one webview at a time: the UI driver looks through every frame of the page
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (beside !== undefined) {
      await vscode.window.showTextDocument(vscode.Uri.file(subFile()), { viewColumn: vscode.ViewColumn.One, preview: false });
      await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{ size: 1 - beside }, { size: beside }] });
      await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
    }
    const c = collection();
    restore.push({ file: subFile(), text: await fsp.readFile(subFile(), 'utf8') });
    // the Environments view's click on the sub-environment
    const roots = (await api.environmentsTree.getChildren()) as EnvTreeNode[];
    const root = roots.find((n) => n.collection.path === c.path)!;
    const [base] = (await api.environmentsTree.getChildren(root)) as EnvTreeNode[];
    const node = ((await api.environmentsTree.getChildren(base)) as EnvTreeNode[]).find((n) => n.type === 'environment' && n.environment.id === SUB)!;
    const item = node.getTreeItem();
    assert.equal(item.command?.command, 'hammock.editEnvironment', 'clicking an environment edits it');
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const editor = api.environmentPanels.editor({ collectionPath: c.path, collectionId: c.id, environmentId: SUB });
    assert.ok(editor);
    await waitFor('the environment editor page', () => editor.uiReady, 45_000);
    return { editor, frame: { selector: '.env-list' } };
  };

  it('typing a value at human speed changes its line of the file (and modified), nothing else', async () => {
    const { frame } = await openEditor();
    const before = await fsp.readFile(subFile(), 'utf8');
    await ui(frame, [{ click: 'input[data-key="var:0:value"]' }, { press: 'Control+a' }, { type: 'https', delayMs: 25 }]);
    const [shown] = await ui(frame, [{ value: 'input[data-key="var:0:value"]' }]);
    assert.equal(shown, 'https');
    await waitFor('the value to reach the store', () => sub(SUB)?.data.scheme === 'https', 8000);
    const diff = lineDiff(before, await fsp.readFile(subFile(), 'utf8'));
    assert.deepEqual(diff.removed.sort(), ['  scheme: http', 'modified: 1741907105008'].sort());
    assert.equal(diff.added.length, 2);
    assert.ok(diff.added.includes('  scheme: https'));
    await ui(frame, [{ screenshot: 'environment-editor-typed' }]);
  });

  it('in a narrow editor beside another, every name and value is in view and takes what is typed', async () => {
    for (const share of [0.55, 0.35]) {
      const { frame } = await openEditor(share);
      try {
        const boxes = (await ui(frame, [{ rect: '.env-head vscode-textfield' }, { rect: 'input[data-key="var:0:name"]' }, { rect: 'input[data-key="var:0:value"]' }])) as { left: number; right: number; width: number; viewport: number }[];
        for (const [what, box] of [['the name of the environment', boxes[0]], ['a variable\'s name', boxes[1]], ['its value', boxes[2]]] as const) {
          assert.ok(box.width >= 80 && box.left >= 0 && box.right <= box.viewport, `at ${share} of the width (${box.viewport} px), ${what} is ${Math.round(box.width)} px wide from ${Math.round(box.left)} px`);
        }
        // the Private label on the line of its checkbox, not left alone above it
        type Box = { left: number; right: number; top: number; bottom: number; viewport: number };
        const [label, box] = (await ui(frame, [{ rect: '.env-head .row > label:text-is("Private")' }, { rect: '.env-head vscode-checkbox#private' }])) as Box[];
        assert.ok(box.top < label.bottom && label.top < box.bottom && box.left >= label.right, `at ${share} of the width (${box.viewport} px), the Private label (${JSON.stringify(label)}) is beside its checkbox (${JSON.stringify(box)})`);
        assert.ok(box.right <= box.viewport, `at ${share} of the width (${box.viewport} px), the checkbox's text is in view: ${JSON.stringify(box)}`);
        // the Colour label on the line of its first swatches, the swatches in view
        const [colourLabel, swatches] = (await ui(frame, [{ rect: '.env-head .row > label:text-is("Colour")' }, { rect: '.env-head .colors' }])) as Box[];
        assert.ok(swatches.top < colourLabel.bottom && colourLabel.top < swatches.bottom && swatches.left >= colourLabel.right, `at ${share} of the width (${swatches.viewport} px), the Colour label (${JSON.stringify(colourLabel)}) is beside its swatches (${JSON.stringify(swatches)})`);
        assert.ok(swatches.right <= swatches.viewport, `at ${share} of the width (${swatches.viewport} px), the swatches are in view: ${JSON.stringify(swatches)}`);
        const before = await fsp.readFile(subFile(), 'utf8');
        const scheme = String(sub(SUB)?.data.scheme);
        await ui(frame, [{ click: 'input[data-key="var:0:value"]' }, { press: 'End' }, { type: 'x', delayMs: 40 }, { screenshot: `environment-editor-narrow-${share}` }]);
        await waitFor('the value to reach the file', async () => (await fsp.readFile(subFile(), 'utf8')) !== before, 8000);
        const diff = lineDiff(before, await fsp.readFile(subFile(), 'utf8'));
        assert.deepEqual(diff.added.filter((l) => !l.startsWith('modified:')), [`  scheme: ${scheme}x`]);
        await fsp.writeFile(subFile(), before);
        await api.store.refreshPaths([subFile()]);
        await waitFor('the file read back', () => sub(SUB)?.data.scheme === scheme, 8000);
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{}] });
      }
    }
  });

  it('Add Variable, then its name typed: a new key and the json-order map entry; a row dragged first: the map alone', async () => {
    const { frame } = await openEditor();
    const before = await fsp.readFile(subFile(), 'utf8');
    await ui(frame, [{ click: '#add-variable' }, { type: 'tenant', delayMs: 25 }, { press: 'Tab' }, { press: 'Tab' }, { type: 'acme', delayMs: 25 }, { wait: 1000 }, { screenshot: 'env-add-variable' }]);
    await waitFor(`the new variable in the store (${JSON.stringify(sub(SUB)?.data)})`, () => sub(SUB)?.data.tenant === 'acme', 8000);
    assert.deepEqual(Object.keys(sub(SUB)!.data).slice(-1), ['tenant']);
    const afterAdd = await fsp.readFile(subFile(), 'utf8');
    const added = lineDiff(before, afterAdd);
    assert.ok(added.added.includes('  tenant: acme') && added.added.includes('    - tenant'), JSON.stringify(added));
    // drag the new last row (index 7) onto the first: shown first, the data mapping keeps its lines
    await ui(frame, [{ drag: '[data-drag="7"]', to: '[data-row="0"]' }, { wait: 300 }]);
    await waitFor('the new order in the store', () => sub(SUB)?.propertyOrder?.[0] === 'tenant', 8000);
    const moved = lineDiff(afterAdd, await fsp.readFile(subFile(), 'utf8'));
    assert.ok(moved.removed.every((l) => l.startsWith('    - ') || l.startsWith('modified:')), JSON.stringify(moved));
    assert.ok(moved.added.every((l) => l.startsWith('    - ') || l.startsWith('modified:')), JSON.stringify(moved));
    const [first] = await ui(frame, [{ value: 'input[data-key="var:0:name"]' }]);
    assert.equal(first, 'tenant');
  });

  it('Use This Environment makes it active: the status bar says so; Select Environment (its click) chooses the base environment, and the status bar, the view and the request editor all call it so', async () => {
    const { frame } = await openEditor();
    const c = collection();
    const before = api.activeEnvironments.get(c.id);
    const colorBefore = sub(SUB)?.color ?? null;
    const colour = colorBefore?.toLowerCase() === '#59a210' ? '#dd2f2f' : '#59a210';
    try {
      await ui(frame, [{ click: `.swatch[data-color="${colour}"]` }]);
      await waitFor('the colour in the store', () => sub(SUB)?.color?.toLowerCase() === colour, 8000);
      await ui(frame, [{ click: '#activate' }]);
      await waitFor('the environment to be active', () => api.activeEnvironments.get(c.id) === SUB, 5000);
      api.environmentStatusBar.focus(c);
      await waitFor('the status bar to name it', () => api.environmentStatusBar.shown.text.includes('OpenAPI env localhost:3000') && api.environmentStatusBar.shown.visible, 5000);
      // its colour is a dot beside the name; the name keeps the status bar's own colour (readable in every theme)
      await waitFor('the dot in its colour', () => String(api.environmentStatusBar.shown.dotColor).toLowerCase() === colour, 5000);
      assert.equal(api.environmentStatusBar.shown.textColor, undefined);
      // the Select Environment command (the status bar's click) with an answer: none
      await vscode.commands.executeCommand('hammock.selectEnvironment', { collectionPath: c.path, collectionId: c.id }, '');
      assert.equal(api.activeEnvironments.get(c.id), undefined);
      // one name for one state: the Environments view marks the base environment active, the status bar and the
      // request editor's picker name it (not "No Environment", which read as if no variables applied)
      const baseName = c.baseEnvironment!.name;
      await waitFor('the status bar to name the base environment', () => api.environmentStatusBar.shown.text.endsWith(` ${baseName}`), 5000);
      assert.equal(api.environmentStatusBar.shown.dotColor, undefined, 'no dot for the base environment alone');
      const roots = (await api.environmentsTree.getChildren()) as EnvTreeNode[];
      const [base] = (await api.environmentsTree.getChildren(roots.find((n) => n.collection.path === c.path))) as EnvTreeNode[];
      assert.ok(base.type === 'environment' && base.isBase && base.isActive, 'the view marks the base environment active');
      assert.match(String(base.getTreeItem().description), /^active · base/);
      const request = [...walkItems(c.children)].find((i): i is HttpRequest => i.kind === 'request');
      assert.ok(request);
      await vscode.commands.executeCommand('hammock.openRequest', { collectionPath: c.path, requestId: request.id });
      const editor = api.requestPanels.editor({ collectionPath: c.path, requestId: request.id });
      assert.ok(editor);
      await waitFor('the request editor page', () => editor.uiReady && editor.lastContext, 45_000);
      assert.equal(editor.lastContext?.activeId, '', 'no sub-environment chosen there either');
      const [shown] = await ui({ selector: 'header .name', text: request.name }, [{ text: '#environment vscode-option:first-child' }]);
      assert.equal(shown, baseName, "the request editor's picker names it as the status bar does");
    } finally {
      await api.activeEnvironments.set(c.id, before);
      await api.store.apply(collection(), { kind: 'setEnvironment', id: SUB, fields: { color: colorBefore } });
    }
  });

  it('Private, then Cancel in the question: the box stays unticked and the environment in its file', async () => {
    const { frame } = await openEditor();
    const text = await fsp.readFile(subFile(), 'utf8');
    const modals = answerModals(undefined);
    try {
      await ui(frame, [{ click: '#private' }]);
      await waitFor('the question', () => modals.asked.length === 1, 8000);
      await new Promise((r) => setTimeout(r, 500));
      const [checked] = await ui(frame, [{ attribute: '#private', name: 'checked' }]);
      assert.deepEqual(checked, [null], 'the box is not ticked: the environment is not private');
      assert.equal(await fsp.readFile(subFile(), 'utf8'), text);
      assert.equal(sub(SUB)?.isPrivate, false);
    } finally {
      modals.restore();
    }
  });

  it('Private: the sub-environment leaves the collection file for SecretStorage (same id, still active), and comes back', async () => {
    const { editor, frame } = await openEditor();
    const c = collection();
    const text = await fsp.readFile(subFile(), 'utf8');
    const { created, sortKey } = sub(SUB)!;
    const was = api.activeEnvironments.get(c.id);
    await api.activeEnvironments.set(c.id, SUB);
    const modals = answerModals('Make Private');
    try {
      await ui(frame, [{ click: '#private' }]);
      await waitFor('the file to be deleted', () => !existsSync(subFile()), 8000);
      assert.match(modals.asked[0].message, /Make "OpenAPI env localhost:3000" private\?/);
      await waitFor('the store to drop it', () => !sub(SUB), 8000);
      const privates = api.localEnvironments.environments(c.id, c.baseEnvironment!.id);
      assert.deepEqual(privates.map((e) => [e.id, e.name, e.isPrivate]), [[SUB, 'OpenAPI env localhost:3000', true]]);
      assert.equal(privates[0].data.bearerToken, 'bearerToken');
      // still the active one: a render sees its variables
      const env = await api.activeEnvironments.renderEnvironment(c);
      assert.equal(typeof env.environment === 'object' && env.environment.id, SUB);
      await waitFor('the editor to show it as private', () => editor.lastState?.current.kind === 'private', 5000);
      // and back into the file, with the same id
      modals.restore();
      const back = answerModals('Share');
      try {
        await ui(frame, [{ click: '#private' }]);
        await waitFor('the file to come back', () => existsSync(subFile()), 8000);
        assert.match(back.asked[0].message, /Share "OpenAPI env localhost:3000" in the collection file\?/);
      } finally {
        back.restore();
      }
      await waitFor('the store to hold it again', () => !!sub(SUB), 8000);
      assert.deepEqual(api.localEnvironments.environments(c.id, c.baseEnvironment!.id), []);
      assert.equal(sub(SUB)!.data.bearerToken, 'bearerToken');
      // private and back is no change for Insomnia: the same created time and place among the sub-environments
      assert.deepEqual([sub(SUB)!.created, sub(SUB)!.sortKey], [created, sortKey]);
    } finally {
      modals.restore();
      await api.activeEnvironments.set(c.id, was);
      await api.localEnvironments.deleteEnvironment(c.id, SUB);
      await fsp.writeFile(subFile(), text);
      await api.store.refreshPaths([subFile()]);
    }
  });

  it('a folder environment: Edit Folder Environment, a variable written into the folder\'s file', async () => {
    const c = collection();
    const folder = c.children.find((i) => i.kind === 'folder')!;
    const file = folder.source.file;
    const text = await fsp.readFile(file, 'utf8');
    restore.push({ file, text });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('hammock.editFolderEnvironment', { type: 'folder', collection: c, folder });
    const editor = api.environmentPanels.editor({ collectionPath: c.path, collectionId: c.id, environmentId: folder.id, folder: true });
    assert.ok(editor);
    await waitFor('the folder environment page', () => editor.uiReady, 45_000);
    await ui({ selector: '#add-variable' }, [{ click: '#add-variable' }, { type: 'region', delayMs: 25 }, { press: 'Tab' }, { press: 'Tab' }, { type: 'eu', delayMs: 25 }]);
    await waitFor('the folder environment in the store', () => {
      const l = api.store.locate(c.path, folder.id);
      return l?.kind === 'item' && l.item.kind === 'folder' && l.item.environment.region === 'eu';
    }, 8000);
    const diff = lineDiff(text, await fsp.readFile(file, 'utf8'));
    assert.deepEqual(diff.removed.filter((l) => !l.startsWith('modified:')), ['environment: {}']);
    assert.deepEqual(diff.added.filter((l) => !l.startsWith('modified:')), ['environment:', '  region: eu']);
  });
});
