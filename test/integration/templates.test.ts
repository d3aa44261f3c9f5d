// Templates where they are typed, on the real request editor page: completion after `{{` in the URL field (the items
// are the active environment chain's variables), choosing one with the keyboard, an unknown variable marked before
// sending, the environment chosen in the header; and typing at human speed into template fields while the
// completion list comes and goes loses no keystroke (the file holds exactly what was typed).
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import type { Collection, HttpRequest } from '../../src/collections/model';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { activateHammock, inWorkspace, KeptFiles, ui, waitFor } from './helpers';

describe('Templates in the request editor', function () {
  this.timeout(90_000);
  let api: HammockApi;
  const kept = new KeptFiles(() => api);
  const restore = kept.files;
  let collection: Collection;
  let wasActive: string | undefined;

  before(async () => {
    api = await activateHammock();
    collection = api.store.collections.find((c) => c.path === inWorkspace('.insomnia'))!;
    wasActive = api.activeEnvironments.get(collection.id);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await kept.restore();
    await api.activeEnvironments.set(collection.id, wasActive);
  });

  const open = async (name: string) => {
    const request = [...walkItems(collection.children)].find((i): i is HttpRequest => i.kind === 'request' && i.name === name)!;
    restore.push({ file: request.source.file, text: await fsp.readFile(request.source.file, 'utf8') });
    const state = { collectionPath: collection.path, requestId: request.id };
    await vscode.commands.executeCommand('hammock.openRequest', state);
    const editor = api.requestPanels.editor(state)!;
    await waitFor('the page to load', () => editor.uiReady, 45_000);
    await waitFor('the variables to reach the page', () => editor.lastContext !== undefined, 10_000);
    return { state, editor, file: request.source.file, frame: { selector: 'header .name', text: name } };
  };

  it('the environment is chosen in the header; the URL field offers its variables after {{ and takes one with Enter', async () => {
    const sub = collection.baseEnvironment!.subEnvironments.find((e) => 'apikey' in e.data && 'host' in e.data)!;
    await api.activeEnvironments.set(collection.id, undefined);
    const { frame, editor, file, state } = await open('List all transactions');
    // the header's picker: none yet, then the sub-environment (the status bar follows)
    const [none] = await ui(frame, [{ value: '#environment' }]);
    assert.equal(none, '');
    await editor.receive({ type: 'selectEnvironment', id: sub.id });
    assert.equal(api.activeEnvironments.get(collection.id), sub.id);
    await waitFor('the page to know the sub-environment', () => editor.lastContext?.activeId === sub.id, 5000);
    await waitFor('the header to show it', async () => (await ui(frame, [{ value: '#environment' }]))[0] === sub.id, 5000);
    assert.ok(editor.lastContext!.variables.some((v) => v.name === 'host' && v.source === sub.name), 'host comes from the sub-environment');
    assert.equal(editor.lastContext!.variables.find((v) => v.name === 'apikey')?.preview, '••••••', 'a secret-named variable is masked');

    const [shownUrl] = await ui(frame, [{ value: '#url' }]);
    const sep = String(shownUrl).includes('?') ? '&' : '?';
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: `${sep}h={{ _.ho`, delayMs: 40 }]);
    const [, labels] = (await ui(frame, [{ wait: 200 }, { attribute: '#completions .completion', name: 'data-label' }])) as string[][];
    assert.deepEqual(labels, ['host'], 'only what starts with "ho"');
    await ui(frame, [{ screenshot: 'template-completion-url' }, { press: 'Enter' }, { type: '&k={{ _.', delayMs: 40 }]);
    const [, all] = (await ui(frame, [{ wait: 200 }, { attribute: '#completions .completion', name: 'data-label' }])) as string[][];
    for (const name of ['base_url', 'scheme', 'host', 'apikey', 'bearerToken']) assert.ok(all.includes(name), `${name} is offered: ${all.join(', ')}`);
    await ui(frame, [{ press: 'Escape' }, { type: 'nope }}', delayMs: 40 }]);
    const [url] = await ui(frame, [{ value: '#url' }]);
    assert.match(String(url), /[?&]h=\{\{ _\.host \}\}&k=\{\{ _\.nope \}\}$/);
    // the unknown variable is marked in the field and named above the tabs, before anything is sent
    const [, marked] = (await ui(frame, [{ wait: 300 }, { attribute: '.request-line .tpl-unknown', name: 'title' }])) as string[][];
    assert.deepEqual(marked, ['Unknown variable: nope']);
    const [warning] = await ui(frame, [{ value: '#unknown' }]);
    assert.match(String(warning), /Unknown variable: nope \(parameter k\)/);
    await ui(frame, [{ screenshot: 'template-unknown-marked' }]);
    // what was typed is what the file holds
    await waitFor('the parameters in the store', () => {
      const l = api.store.locate(state.collectionPath, state.requestId);
      return l?.kind === 'item' && l.item.kind === 'request' && l.item.parameters.some((p) => p.name === 'k' && p.value === '{{ _.nope }}');
    }, 8000);
    assert.match(await fsp.readFile(file, 'utf8'), /- name: h\n\s+value: "\{\{ _\.host \}\}"/);
  });

  it('typing at human speed into header fields while completions open and close: every key lands', async () => {
    const { frame, state, file } = await open('Create new transaction');
    await ui(frame, [{ click: '.tab:nth-child(2)' }, { click: '.kv-add vscode-button' }, { wait: 400 }]);
    const typedName = 'X-Trace-{{ _.host }}';
    const typedValue = 'Bearer {{ _.apikey }}-{{ _.scheme }}/{% uuid \'v4\' %}';
    await ui(frame, [{ click: 'input[data-key="headers:1:name"]' }, { type: typedName, delayMs: 20, jitterMs: 40 }, { press: 'Escape' }]);
    await ui(frame, [{ click: 'input[data-key="headers:1:value"]' }, { type: typedValue, delayMs: 20, jitterMs: 40 }, { press: 'Escape' }]);
    const [name, value] = await ui(frame, [{ value: 'input[data-key="headers:1:name"]' }, { value: 'input[data-key="headers:1:value"]' }]);
    assert.equal(name, typedName);
    assert.equal(value, typedValue);
    await waitFor('the header in the store', () => {
      const l = api.store.locate(state.collectionPath, state.requestId);
      return l?.kind === 'item' && l.item.kind === 'request' && l.item.headers[1]?.value === typedValue && l.item.headers[1]?.name === typedName;
    }, 8000);
    const text = await fsp.readFile(file, 'utf8');
    assert.ok(text.includes(`- name: X-Trace-{{ _.host }}`), text);
  });
});
