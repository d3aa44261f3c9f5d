// The request editor's tabs (Body, Auth, Scripts) as a person uses them: the real page in the workbench, the body or
// auth type chosen in its list with the mouse, keys typed at human speed, Ctrl+Z; then what the page shows and what
// the request file holds.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkLegacyFolder } from '../../src/collections/formats/conformance';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { activateHammock, inWorkspace, KeptFiles, lineDiff, openRequestEditor, ui, waitFor } from './helpers';

describe('The request editor\'s tabs through the real page', function () {
  // (keys typed one at a time at a person's speed: longer than the suite's 20 s)
  this.timeout(60_000);
  let api: HammockApi;
  const kept = new KeptFiles(() => api);
  const restore = kept.files;

  before(async () => {
    api = await activateHammock();
  });

  // each test starts from the files as the workspace has them
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await kept.restore();
  });

  /** Opens the legacy request `name` on its Body tab (or the tab `tab`, 1-based); returns its file and text before the test. */
  const openBody = async (name: string, tab = 3) => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const collection = api.store.collections.find((c) => c.path === inWorkspace('.insomnia'));
    assert.ok(collection);
    const request = [...walkItems(collection.children)].find((i) => i.kind === 'request' && i.name === name);
    assert.ok(request?.kind === 'request', `no request "${name}"`);
    const { file, start, state, frame } = await openRequestEditor(api, collection, request, restore);
    await ui(frame, [{ click: `.tab:nth-child(${tab})` }]);
    const requestOf = () => {
      const located = api.store.locate(state.collectionPath, state.requestId);
      assert.ok(located?.kind === 'item' && located.item.kind === 'request');
      return located.item;
    };
    return { file, start, frame, bodyOf: () => requestOf().body, authOf: () => requestOf().authentication, scriptsOf: () => requestOf().scripts };
  };

  const chooseType = (label: string) => [{ click: '.body-tab vscode-single-select' }, { click: `.body-tab vscode-single-select li.option:text-is("${label}")` }];
  const switchBar = async (frame: { selector: string; text?: string }) => (await ui(frame, [{ attribute: '.body-switch', name: 'class' }]))[0] as string[];

  it('the tab shown comes back with the page: Scripts chosen, another editor over it, then this one again', async () => {
    // VS Code drops a hidden panel's page and loads it again when it is shown: it came back on Params
    const { frame } = await openBody('Update a transaction', 5);
    const [chosen] = await ui(frame, [{ text: '.tab.active' }]);
    assert.equal(chosen, 'Scripts');
    const collection = api.store.collections.find((c) => c.path === inWorkspace('.insomnia'))!;
    const first = [...walkItems(collection.children)].find((i) => i.kind === 'request' && i.name === 'Update a transaction')!;
    const other = [...walkItems(collection.children)].find((i) => i.kind === 'request' && i.name !== 'Update a transaction')!;
    const state = { collectionPath: collection.path, requestId: first.id };
    const editor = api.requestPanels.editor(state)!;
    await vscode.commands.executeCommand('hammock.openRequest', { collectionPath: collection.path, requestId: other.id });
    await waitFor('the first editor hidden', () => !editor.panel.visible, 10_000);
    await vscode.commands.executeCommand('hammock.openRequest', state);
    await waitFor('the first editor shown, its page loaded again', () => editor.panel.visible && editor.uiReady, 45_000);
    const [shown] = await ui(frame, [{ text: '.tab.active' }]);
    assert.equal(shown, 'Scripts');
  });

  it('choosing Form URL Encoded for a JSON body asks first (Insomnia: "Current body will be lost"): Keep leaves the file as it was, Switch writes the form', async () => {
    const { file, start, frame, bodyOf } = await openBody('Update a transaction');
    const json = bodyOf().text;
    assert.ok(json?.includes('"subject"'), 'the request has a JSON body');
    await ui(frame, chooseType('Form URL Encoded'));
    await waitFor('the question before the JSON is dropped', async () => (await switchBar(frame)).length === 1, 5000);
    const [shown, question] = await ui(frame, [{ value: '.body-tab vscode-single-select' }, { text: '.body-switch' }, { screenshot: 'body-switch-question' }]);
    assert.equal(shown, 'application/json', 'the list still shows the type the body has');
    assert.match(String(question), /drops the text/);
    assert.equal(await fsp.readFile(file, 'utf8'), start, 'nothing written while the question is open');
    await ui(frame, [{ click: '.body-switch vscode-button.keep' }]);
    await waitFor('the question to go', async () => (await switchBar(frame)).length === 0, 5000);
    assert.equal(await fsp.readFile(file, 'utf8'), start, 'Keep writes nothing');
    assert.equal(bodyOf().text, json);
    // asked again, and this time the switch is what the user wants
    await ui(frame, [...chooseType('Form URL Encoded'), { click: '.body-switch vscode-button.switch' }]);
    await waitFor('the form body in the file', async () => (await fsp.readFile(file, 'utf8')).includes('mimeType: application/x-www-form-urlencoded'), 8000);
    const { removed, added } = lineDiff(start.replace(/^modified: \d+$/m, ''), (await fsp.readFile(file, 'utf8')).replace(/^modified: \d+$/m, ''));
    // the Content-Type header follows the body, as Insomnia's switch writes it (Insomnia and Hammock then send a form)
    assert.deepEqual(added, ['  mimeType: application/x-www-form-urlencoded', '  params: []', '    value: application/x-www-form-urlencoded']);
    assert.ok(removed.every((l) => l.startsWith('  ')) && removed.includes('  mimeType: application/json') && removed.includes('    value: application/json'), `only the body's and the header's lines: ${JSON.stringify(removed)}`);
    assert.deepEqual(checkLegacyFolder(path.dirname(path.dirname(file))).map((i) => i.message), [], "Insomnia's reader takes the folder");
  });

  it('switching between text types keeps the text without asking; an empty body switches at once', async () => {
    const { file, frame, bodyOf } = await openBody('Update a transaction');
    const json = bodyOf().text;
    await ui(frame, chooseType('Text'));
    await waitFor('the text type in the file', async () => (await fsp.readFile(file, 'utf8')).includes('mimeType: text/plain'), 8000);
    assert.equal(bodyOf().text, json);
    assert.deepEqual(await switchBar(frame), []);
    const empty = await openBody('Cancel a transaction');
    assert.deepEqual(empty.bodyOf(), {});
    await ui(empty.frame, chooseType('Multipart Form'));
    await waitFor('the multipart type in the file', async () => (await fsp.readFile(empty.file, 'utf8')).includes('mimeType: multipart/form-data'), 8000);
    // a request without a Content-Type header gets one, as in Insomnia
    await waitFor('its Content-Type header in the file', async () => /^ {2}- name: Content-Type\n {4}value: multipart\/form-data$/m.test(await fsp.readFile(empty.file, 'utf8')), 8000);
    assert.deepEqual(await switchBar(empty.frame), []);
  });

  it('JSON typed into the body, then the type switched to Text at once: the file holds what was typed, not the text the tab was drawn with', async () => {
    const { file, start, frame, bodyOf } = await openBody('Update a transaction');
    const before = bodyOf().text ?? '';
    // the caret after the last `}`, then a second object typed: the body is the typed text, valid or not
    await ui(frame, [{ click: '#body-text' }, { press: 'Control+End' }, { type: '\n// typed', delayMs: 20, jitterMs: 60 }, ...chooseType('Text')]);
    await waitFor('the text type in the file', async () => (await fsp.readFile(file, 'utf8')).includes('mimeType: text/plain'), 8000);
    assert.equal(bodyOf().text, `${before}\n// typed`, 'the text as typed');
    const [shown] = await ui(frame, [{ value: '#body-text' }]);
    assert.equal(shown, `${before}\n// typed`, 'the field shows it');
    const { removed, added } = lineDiff(start.replace(/^modified: \d+$/m, ''), (await fsp.readFile(file, 'utf8')).replace(/^modified: \d+$/m, ''));
    assert.deepEqual({ removed: removed.filter((l) => l !== '    }'), added: added.filter((l) => l !== '    }') }, { removed: ['  mimeType: application/json', '    value: application/json'], added: ['  mimeType: text/plain', '    // typed', '    value: text/plain'] });
  });

  it('a form field typed into (no Add, no Remove after it), then Multipart Form chosen: the field keeps what was typed', async () => {
    const { file, frame, bodyOf } = await openBody('Cancel a transaction');
    await ui(frame, [...chooseType('Form URL Encoded'), { click: '.body-tab .kv-add vscode-button' }, { click: '[data-key="form:0:name"]' }, { type: 'user', delayMs: 20, jitterMs: 60 }, { press: 'Tab' }, { type: 'rex', delayMs: 20, jitterMs: 60 }, ...chooseType('Multipart Form')]);
    await waitFor('the multipart type in the file', async () => (await fsp.readFile(file, 'utf8')).includes('mimeType: multipart/form-data'), 8000);
    assert.deepEqual(bodyOf().params?.map((p) => [p.name, p.value]), [['user', 'rex']]);
  });

  it('GraphQL: the query typed while the variables do not parse yet is saved (with the last variables that did), not only shown', async () => {
    const { file, frame, bodyOf } = await openBody('Cancel a transaction');
    await ui(frame, [...chooseType('GraphQL'), { click: '[data-key="body:query"]' }, { type: 'query { pets { id } }', delayMs: 20, jitterMs: 40 }]);
    await waitFor('the query in the file', async () => (await fsp.readFile(file, 'utf8')).includes('query { pets { id } }'), 8000);
    // the DELETE became POST with the switch, as Insomnia's "GraphQL must be POST" makes it: in the file and the list
    assert.match(await fsp.readFile(file, 'utf8'), /^method: POST$/m);
    assert.deepEqual(await ui(frame, [{ value: '#method' }]), ['POST']);
    // the header names the folder the request is in, between the collection and the request
    assert.deepEqual(await ui(frame, [{ text: 'header .folder' }]), ['Transactions']);
    await ui(frame, [{ click: '[data-key="body:variables"]' }, { type: '{"limit": 5}', delayMs: 20, jitterMs: 40 }]);
    await waitFor('the variables in the store', () => bodyOf().text === '{"query":"query { pets { id } }","variables":{"limit":5}}', 8000);
    // the variables made invalid (the `}` deleted), then the query typed into
    await ui(frame, [{ press: 'Backspace' }, { click: '[data-key="body:query"]' }, { press: 'Control+End' }, { press: 'ArrowLeft' }, { press: 'ArrowLeft' }, { type: ' name', delayMs: 20, jitterMs: 40 }]);
    await waitFor('the new query in the store', () => bodyOf().text === '{"query":"query { pets { id } name }","variables":{"limit":5}}', 8000);
    const [status] = await ui(frame, [{ text: '.body-tab .hint' }, { screenshot: 'graphql-invalid-variables' }]);
    assert.match(String(status), /^Variables: .*the last ones that parse are saved/);
    assert.ok((await fsp.readFile(file, 'utf8')).includes('query { pets { id } name }'), 'the file holds the query shown');
  });

  const chooseAuth = (label: string) => [{ click: '.form vscode-single-select' }, { click: `.form vscode-single-select li.option:text-is("${label}")` }];
  const authBar = async (frame: { selector: string; text?: string }) => (await ui(frame, [{ attribute: '.auth-switch', name: 'class' }]))[0] as string[];

  it('a bearer token typed, then Basic chosen: asked first (Insomnia: "Current authentication settings will be lost"); Keep keeps the token in the file', async () => {
    const { file, frame, authOf } = await openBody('Cancel a transaction', 4);
    // the request's API key (its key and value) is asked about too; Switch
    await ui(frame, [...chooseAuth('Bearer Token')]);
    await waitFor('the question before the API key is dropped', async () => (await authBar(frame)).length === 1, 5000);
    assert.match(String((await ui(frame, [{ text: '.auth-switch' }]))[0]), /drops Key, Value and Add to/);
    await ui(frame, [{ click: '.auth-switch vscode-button.switch' }]);
    await waitFor('the bearer type in the store', () => authOf().type === 'bearer', 8000);
    await ui(frame, [{ click: '[data-key="auth:token"]' }, { type: 'sekret-token-123', delayMs: 20, jitterMs: 60 }, ...chooseAuth('Basic')]);
    await waitFor('the question before the token is dropped', async () => (await authBar(frame)).length === 1, 5000);
    const [shown, question] = await ui(frame, [{ value: '.form vscode-single-select' }, { text: '.auth-switch' }, { screenshot: 'auth-switch-question' }]);
    assert.equal(shown, 'bearer');
    assert.match(String(question), /drops Token/);
    await waitFor('the token in the file', async () => (await fsp.readFile(file, 'utf8')).includes('token: sekret-token-123'), 8000);
    await ui(frame, [{ click: '.auth-switch vscode-button.keep' }]);
    await waitFor('the question to go', async () => (await authBar(frame)).length === 0, 5000);
    assert.deepEqual(authOf(), { type: 'bearer', token: 'sekret-token-123' });
    assert.ok((await fsp.readFile(file, 'utf8')).includes('token: sekret-token-123'), 'Keep leaves the token in the file');
    // Switch: Basic, its username and password typed, then Digest keeps both (no question)
    await ui(frame, [...chooseAuth('Basic'), { click: '.auth-switch vscode-button.switch' }]);
    await waitFor('the basic type in the store', () => authOf().type === 'basic', 8000);
    await ui(frame, [{ click: '[data-key="auth:username"]' }, { type: 'alice', delayMs: 20, jitterMs: 60 }, { press: 'Tab' }, { type: 'pw1', delayMs: 20, jitterMs: 60 }, ...chooseAuth('Digest')]);
    await waitFor('digest with the username and password in the file', async () => /type: digest\n\s+username: alice\n\s+password: pw1\n/.test(await fsp.readFile(file, 'utf8')), 8000);
    assert.deepEqual(await authBar(frame), []);
    assert.deepEqual(checkLegacyFolder(path.dirname(path.dirname(file))).map((i) => i.message), [], "Insomnia's reader takes the folder");
  });

  it('a script typed over (Ctrl+A, then keys), then one Ctrl+Z: the script as it was, in the field and in the file', async () => {
    // (the request uses variables no environment defines: the page's "Unknown variables" line is shown while typing)
    const { frame, scriptsOf } = await openBody('Cancel a transaction', 5);
    await ui(frame, [{ click: '[data-key="script:preRequest"]' }, { type: 'let a = 1;', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the script in the store', () => scriptsOf().preRequest === 'let a = 1;', 8000);
    await ui(frame, [{ press: 'Control+a' }, { type: 'oops', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the typed-over script in the store', () => scriptsOf().preRequest === 'oops', 8000);
    const [, shown] = await ui(frame, [{ press: 'Control+z' }, { value: '[data-key="script:preRequest"]' }]);
    assert.equal(shown, 'let a = 1;', 'one Ctrl+Z takes back the keys typed over the selection, as in any text field');
    await waitFor('the script back in the store', () => scriptsOf().preRequest === 'let a = 1;', 8000);
  });

  it("Add on the Headers tab, then keys at once: the new row's name takes them, Tab goes to its value (as Add Variable does)", async () => {
    // (a person clicks Add and types: the keys must not go nowhere, the new row empty in the file)
    const { file, frame } = await openBody('Cancel a transaction', 2);
    await ui(frame, [{ click: '.kv-add vscode-button' }, { type: 'X-Walk', delayMs: 20, jitterMs: 60 }, { press: 'Tab' }, { type: 'on', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the header typed after Add in the file', async () => /- name: X-Walk\n\s+value: on\n/.test(await fsp.readFile(file, 'utf8')), 8000);
    const [focused] = await ui(frame, [{ attribute: 'input[data-key$=":value"]:focus', name: 'data-key' }]);
    assert.deepEqual(focused, ['headers:0:value'], "the focus in the new row's value");
  });
});
