// What a walk through the environment editor and the request editor's less-travelled fields found, typed into the real
// pages at a person's speed: a value with line breaks (a PEM, a multi-line form field a teammate wrote in Insomnia)
// keeps them when it is edited, and a variable added in the environment editor is known at once to the values that
// use it.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import type { Collection, Environment } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import type { EnvTreeNode } from '../../src/tree/environmentsTree';
import { activateHammock, inWorkspace, KeptFiles, openRequestEditor, requestNamed, ui, waitFor } from './helpers';

describe('Walk: the environment editor and the request editor\'s other fields', function () {
  this.timeout(60_000);
  let api: HammockApi;
  const kept = new KeptFiles(() => api);
  const restore = kept.files;

  before(async () => {
    api = await activateHammock();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await kept.restore();
  });

  const collection = (): Collection => {
    const c = api.store.collections.find((x) => x.path === inWorkspace('.insomnia'));
    assert.ok(c?.baseEnvironment, 'the legacy collection has environments');
    return c;
  };
  const SUB = 'env_038c957f9f1749c8bc57927d9655f4b4'; // "OpenAPI env localhost:3000", 7 variables
  const sub = (): Environment => collection().baseEnvironment!.subEnvironments.find((e) => e.id === SUB)!;

  /** Gives the sub-environment `data` (through the store, as a teammate's commit would), then opens its editor. */
  const openEnvironment = async (data: Record<string, unknown>) => {
    const file = sub().source.file;
    restore.push({ file, text: await fsp.readFile(file, 'utf8') });
    await api.store.apply(collection(), { kind: 'setEnvironment', id: SUB, fields: { data } });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const roots = (await api.environmentsTree.getChildren()) as EnvTreeNode[];
    const root = roots.find((n) => n.collection.path === collection().path)!;
    const [base] = (await api.environmentsTree.getChildren(root)) as EnvTreeNode[];
    const node = ((await api.environmentsTree.getChildren(base)) as EnvTreeNode[]).find((n) => n.type === 'environment' && n.environment.id === SUB)!;
    const item = node.getTreeItem();
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const editor = api.environmentPanels.editor({ collectionPath: collection().path, collectionId: collection().id, environmentId: SUB });
    assert.ok(editor);
    await waitFor('the environment editor page', () => editor.uiReady, 45_000);
    return { file, frame: { selector: '.env-list' } };
  };

  it('a value with line breaks, typed at its end: the line breaks stay (they were dropped from the field, and the file)', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBabc\n-----END CERTIFICATE-----';
    const { frame } = await openEnvironment({ ...sub().data, pem });
    const last = Object.keys(sub().data).indexOf('pem');
    const field = `[data-key="var:${last}:value"]`;
    const [shown] = await ui(frame, [{ value: field }]);
    assert.equal(shown, pem, 'the field shows the value with its line breaks');
    await ui(frame, [{ click: field }, { press: 'Control+End' }, { type: '\nXYZ', delayMs: 40, jitterMs: 40 }]);
    await waitFor(`the typing in the store (${JSON.stringify(sub().data.pem)})`, () => sub().data.pem === `${pem}\nXYZ`, 8000);
    assert.ok((await fsp.readFile(sub().source.file, 'utf8')).includes('MIIBabc'), 'the file holds the value');
  });

  it('a variable added here is known at once to the values that use it: no "unknown variable" mark', async () => {
    const { frame } = await openEnvironment({ ...sub().data });
    const count = Object.keys(sub().data).length;
    await ui(frame, [{ click: '#add-variable' }, { type: 'zone_x', delayMs: 30 }, { click: `[data-key="var:${count}:value"]` }, { type: 'eu', delayMs: 30 }]);
    await waitFor('the new variable in the store', () => sub().data.zone_x === 'eu', 8000);
    await ui(frame, [{ click: '[data-key="var:0:value"]' }, { press: 'Control+a' }, { type: '{{ _.zone_x }}', delayMs: 30 }, { press: 'Escape' }]);
    await waitFor('the value in the store', () => sub().data[Object.keys(sub().data)[0]] === '{{ _.zone_x }}', 8000);
    const [classes] = (await ui(frame, [{ attribute: '[data-key="var:0:value"]', name: 'class' }])) as string[][];
    assert.ok(!classes[0]?.includes('has-unknown'), `the field is marked as using an unknown variable: ${classes[0]}`);
  });

  it('a name typed over (select, type), then Ctrl+Z: the whole run of typing goes back, the old name again', async () => {
    const { frame } = await openEnvironment({ ...sub().data });
    const first = Object.keys(sub().data)[0];
    await ui(frame, [{ click: '[data-key="var:0:name"]' }, { press: 'Control+a' }, { type: 'renamed_x', delayMs: 40, jitterMs: 40 }]);
    await waitFor('the new name in the store', () => 'renamed_x' in sub().data, 8000);
    await ui(frame, [{ press: 'Control+z' }]);
    const [shown] = await ui(frame, [{ value: '[data-key="var:0:name"]' }]);
    assert.equal(shown, first, 'one Ctrl+Z takes back the name typed');
    await waitFor('the old name in the store', () => first in sub().data && !('renamed_x' in sub().data), 8000);
  });

  it('the JSON tab: Enter keeps the line\'s indentation, two spaces more after an opening brace', async () => {
    const { frame } = await openEnvironment({ first_x: 'one', last_x: 'two' });
    const json = '[data-key="json"]';
    // after "{": two spaces; after a line of two spaces: two spaces
    await ui(frame, [{ click: '.tab:has-text("JSON")' }, { click: json }, { press: 'Control+Home' }, { press: 'End' }, { press: 'Enter' }, { type: '"zone_x": "eu",', delayMs: 30, jitterMs: 30 }, { press: 'Enter' }, { type: '"tier_x": 1,', delayMs: 30 }]);
    const [text] = await ui(frame, [{ value: json }]);
    assert.equal(text, '{\n  "zone_x": "eu",\n  "tier_x": 1,\n  "first_x": "one",\n  "last_x": "two"\n}');
    await waitFor(`the variables in the store (${JSON.stringify(sub().data)})`, () => sub().data.zone_x === 'eu' && sub().data.tier_x === 1, 8000);
  });

  it('a multipart text field with line breaks, typed at its end in the Body tab: the line breaks stay', async () => {
    const { collection: c, request } = requestNamed(api, 'List all transactions', 'legacy');
    restore.push({ file: request.source.file, text: await fsp.readFile(request.source.file, 'utf8') });
    await api.store.apply(c, { kind: 'setRequestFields', id: request.id, fields: { body: { mimeType: 'multipart/form-data', params: [{ name: 'note', value: 'line one\nline two' }] } } });
    const { frame, state } = await openRequestEditor(api, c, request, restore);
    const field = '[data-key="form:0:value"]';
    await ui(frame, [{ click: '.tab:has-text("Body")' }]);
    const [shown] = await ui(frame, [{ value: field }]);
    assert.equal(shown, 'line one\nline two', 'the field shows the value with its line break');
    await ui(frame, [{ click: field }, { press: 'Control+End' }, { type: '!', delayMs: 40 }]);
    const value = () => {
      const located = api.store.locate(state.collectionPath, state.requestId);
      return located?.kind === 'item' && located.item.kind === 'request' ? located.item.body.params?.[0]?.value : undefined;
    };
    await waitFor(`the typing in the store (${JSON.stringify(value())})`, () => value() === 'line one\nline two!', 8000);
  });
});
