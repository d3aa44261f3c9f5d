// Nothing the user typed is lost by a window reload (Developer: Reload Window). The reload as VS Code makes it: the
// extension host cuts the VS Code API off (SecretStorage can no longer be written: what the extension tries is
// refused), calls `deactivate`, and ends; the new host reads SecretStorage afresh (`api.reopened()`, after the old
// host's editors are gone) and brings the tab back through the panel serializer. Typed into the real page at a person's
// speed (20-80 ms a key): a private environment's value typed right before the reload; an edit held because the
// file changed under it, or because a teammate deleted the environment; a JSON value half-typed (a draft).
// Stubs vscode.window.showWarningMessage / showInformationMessage for the held edits' questions, so it is not in
// editor/smoke tests.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as YAML from 'yaml';
import type { Collection } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { keptId as keptEnvironmentId, type EnvironmentEditorPanel } from '../../src/webviews/environmentPanels';
import type { EnvironmentPanelState } from '../../src/webviews/protocol';
import { activateHammock, EXTENSION_ID, holdQuestions, inWorkspace, KeptFiles, openSubEnvironment, ui, urlTyping, waitFor } from './helpers';
import { keptId, type RequestEditorPanel } from '../../src/webviews/requestPanels';
import { editorTitle } from '../../src/webviews/editorTitle';

const SUB = 'env_038c957f9f1749c8bc57927d9655f4b4'; // "OpenAPI env localhost:3000": scheme, base_path, host, ...
const REQUEST_ID = 'req_54ba01ebd50e410ea1a79f8003485156'; // PUT Update a transaction

/** What a reload walk checks or does between the old host's end and the new host's tab (reload, reloadRequest). */
interface ReloadHooks {
  readonly deactivated?: () => Promise<unknown>;
  readonly reopened?: () => Promise<unknown>;
}

describe('A window reload loses nothing typed in the environment editor', function () {
  this.timeout(150_000);
  let api: HammockApi;
  let held: ReturnType<typeof holdQuestions>;
  const kept = new KeptFiles(() => api);

  before(async () => {
    api = await activateHammock();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    held = holdQuestions(/changed on disk|is not in .* now|is back|closed with typing/);
    // the session's first webview page may wait long for its service worker (the other suites allow as much)
    const c = legacy();
    await vscode.commands.executeCommand('hammock.editEnvironment', { type: 'envCollection', collection: c });
    const first = api.environmentPanels.openEditors[0];
    assert.ok(first);
    await waitFor('the first environment editor page', () => first.uiReady, 90_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // (what the suites before said: see afterEach)
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(() => held.restore());

  afterEach(async () => {
    await api.reopened();
    for (const q of held.questions.splice(0)) q.answer(undefined);
    for (const e of [...api.environmentPanels.openEditors, ...api.requestPanels.openEditors]) if (e.heldEdit) await e.resolveHeld('file');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // a person closes what the test's answers said ("Restore Environment" and the like): a toast left there covers
    // the bottom of the next test's editor (CI: the type select of a new variable row, under "the variable host of...")
    await vscode.commands.executeCommand('notifications.clearAll');
    for (const id of api.keptTyping.ids) api.keptTyping.delete(id);
    await api.keptTyping.settled();
    await kept.restore();
  });

  const legacy = (): Collection => {
    const c = api.store.collections.find((x) => x.path === inWorkspace('.insomnia'));
    assert.ok(c, 'the legacy collection');
    return c;
  };
  const envFile = path.join(inWorkspace('.insomnia'), 'Environment', `${SUB}.yml`);
  const FRAME = { selector: '.env-list' };
  const field = (i: number) => `[data-key="var:${i}:value"]`;
  const shown = async (i: number) => (await ui(FRAME, [{ value: field(i) }]))[0];
  const question = (n: number) => waitFor(`question ${n + 1}`, () => held.questions[n], 10_000);

  /** The old host's deactivate() (what VS Code awaits on a window reload), from the extension's bundle. */
  const deactivateHost = async (): Promise<void> => {
    const main = vscode.extensions.getExtension(EXTENSION_ID)!;
    await (require(path.join(main.extensionPath, 'dist', 'extension.js')) as { deactivate(): Promise<void> }).deactivate();
  };

  /**
   * Developer: Reload Window, right now: the old host deactivated (SecretStorage cut off first), its tab gone with the
   * window (`heldBefore`: the old host's held edit, which dies with it, let go so that it asks nothing more), then a new
   * host: SecretStorage read again, the tab brought back by the serializer with the state it had. Resolves with the
   * editor brought back, its page loaded. `hooks.deactivated` runs once the old host's deactivate() has ended (its
   * last write done), `hooks.reopened` once the new host has started (SecretStorage read), before the tab is back.
   */
  const reload = async (editor: EnvironmentEditorPanel, c: Collection, hooks: ReloadHooks = {}): Promise<EnvironmentEditorPanel> => {
    const state: EnvironmentPanelState = { ...editor.state };
    await deactivateHost();
    await hooks.deactivated?.();
    // (the old host ends here: what it would do next is refused by the closed SecretStorage, and writes no file)
    if (editor.heldEdit) await editor.resolveHeld('file');
    editor.panel.dispose();
    await waitFor('the old tab gone', () => !api.environmentPanels.editor(state), 8000);
    for (const q of held.questions.splice(0)) q.answer(undefined);
    await api.reopened();
    await hooks.reopened?.();
    const panel = vscode.window.createWebviewPanel('hammock.environmentEditor', `Environments · ${c.name}`, vscode.ViewColumn.One);
    const restored = await api.environmentPanels.restore(panel, state);
    assert.ok(restored, 'the tab brought back');
    await waitFor('the page brought back', () => restored.uiReady, 45_000);
    return restored;
  };

  it('a private environment: its last key typed, and the window reloaded at once: SecretStorage holds every key', async () => {
    const c = legacy();
    const editor = await openSubEnvironment(api, c, SUB);
    await editor.receive({ type: 'create', kind: 'private' });
    await waitFor('the new private environment shown', () => editor.lastState?.current.kind === 'private', 10_000);
    const id = editor.lastState!.current.id;
    const stored = () => api.localEnvironments.environments(c.id, c.baseEnvironment!.id).find((e) => e.id === id)?.data.token;
    try {
      await ui(FRAME, [{ click: '#add-variable' }, { type: 'token', delayMs: 20, jitterMs: 60 }, { click: field(0) }, { type: 's3cr3t', delayMs: 20, jitterMs: 60 }]);
      await waitFor(`the typing stored (${JSON.stringify(stored())})`, () => !editor.busy && stored() === 's3cr3t', 10_000);
      // one more key, and the reload as soon as the host has it
      await ui(FRAME, [{ click: field(0) }, { press: 'End' }, { type: '!' }]);
      await waitFor('the host holds the last key', () => editor.unsaved?.fields.variables?.find(([n]) => n === 'token')?.[1] === 's3cr3t!' || stored() === 's3cr3t!', 5000);
      const restored = await reload(editor, c);
      assert.equal(stored(), 's3cr3t!', 'SecretStorage holds the last key typed before the reload');
      await waitFor('the page shows it', async () => restored.lastState?.current.id === id && (await shown(0)) === 's3cr3t!', 10_000);
    } finally {
      await api.reopened();
      await api.localEnvironments.deleteEnvironment(c.id, id);
    }
  });

  it('the vault: a value typed, and the window reloaded at once: SecretStorage holds every key', async () => {
    const c = legacy();
    const editor = await openSubEnvironment(api, c, SUB);
    await ui(FRAME, [{ click: '[data-env="__vault__"]' }]);
    await waitFor('the vault shown', () => editor.lastState?.current.kind === 'vault', 10_000);
    const n = editor.lastState!.current.variables.length;
    const stored = () => api.localEnvironments.vault(c.id).reload_key;
    try {
      await ui(FRAME, [{ click: '#add-variable' }, { type: 'reload_key', delayMs: 20, jitterMs: 60 }, { click: field(n) }, { type: 'v4ult', delayMs: 20, jitterMs: 60 }]);
      await waitFor(`the typing stored (${JSON.stringify(stored())})`, () => !editor.busy && stored() === 'v4ult', 10_000);
      await ui(FRAME, [{ click: field(n) }, { press: 'End' }, { type: '#' }]);
      await waitFor('the host holds the last key', () => editor.unsaved?.fields.variables?.find(([k]) => k === 'reload_key')?.[1] === 'v4ult#' || stored() === 'v4ult#', 5000);
      await reload(editor, c);
      assert.equal(stored(), 'v4ult#', 'SecretStorage holds the last key typed before the reload');
    } finally {
      await api.reopened();
      await api.localEnvironments.setVaultValue(c.id, 'reload_key', undefined);
    }
  });

  it('an edit held because the file changed under it (Insomnia saved it): after the reload it is still held, shown as typed with why, asked about again; "Overwrite with Mine" writes it', async () => {
    const c = legacy();
    await kept.keep(envFile);
    const editor = await openSubEnvironment(api, c, SUB);
    const i = editor.lastState!.current.variables.findIndex(([n]) => n === 'host');
    await ui(FRAME, [{ click: field(i) }, { press: 'End' }, { type: '-mine', delayMs: 20, jitterMs: 60 }]);
    const typed = `${String(editor.lastState!.current.variables[i][1])}-mine`;
    const text = await fsp.readFile(envFile, 'utf8');
    await fsp.writeFile(envFile, text.replace(/^ {2}host: .*$/m, '  host: theirs:443').replace(/^modified: \d+$/m, 'modified: 1799999999999'));
    await waitFor('the edit held', () => editor.heldEdit?.reason === 'conflict', 10_000);
    await question(0);
    const restored = await reload(editor, c);
    assert.equal(restored.heldEdit?.reason, 'conflict', 'held again after the reload');
    await waitFor(`the page shows what was typed (${JSON.stringify(await shown(i))})`, async () => (await shown(i)) === typed, 10_000);
    const [banner] = await ui({ selector: '.error-banner.held' }, [{ text: '.error-banner.held' }]);
    assert.match(String(banner), /Not saved: .*changed on disk while you were editing/);
    assert.match(await fsp.readFile(envFile, 'utf8'), /^ {2}host: theirs:443$/m, 'nothing written without the user');
    const again = await question(0);
    again.answer('Overwrite with Mine');
    await waitFor('what was typed in the file', async () => (await fsp.readFile(envFile, 'utf8')).includes(`  host: ${typed}\n`), 10_000);
    await waitFor('nothing kept any more', () => !restored.heldEdit && api.keptTyping.ids.length === 0, 10_000);
  });

  it('an edit held because a teammate deleted the environment: after the reload it is still held, shown as typed, asked about again; "Restore Environment" puts it back with what was typed', async () => {
    const c = legacy();
    await kept.keep(envFile);
    const editor = await openSubEnvironment(api, c, SUB);
    const i = editor.lastState!.current.variables.findIndex(([n]) => n === 'host');
    await ui(FRAME, [{ click: field(i) }, { press: 'End' }, { type: '-gone', delayMs: 20, jitterMs: 60 }]);
    const typed = `${String(editor.lastState!.current.variables[i][1])}-gone`;
    await fsp.rm(envFile);
    await api.store.refreshPaths([envFile]);
    await waitFor('the edit held', () => editor.heldEdit?.reason === 'gone', 10_000);
    await question(0);
    const restored = await reload(editor, c);
    assert.equal(restored.heldEdit?.reason, 'gone', 'held again after the reload');
    await waitFor(`the page shows what was typed (${JSON.stringify(await shown(i))})`, async () => (await shown(i)) === typed, 10_000);
    const [banner] = await ui({ selector: '.error-banner.held' }, [{ text: '.error-banner.held' }]);
    assert.match(String(banner), /Not saved: .*is not in the collection now/);
    const again = await question(0);
    assert.deepEqual(again.items, ['Restore Environment']);
    again.answer('Restore Environment');
    await waitFor('the environment back with what was typed', async () => (await fsp.readFile(envFile, 'utf8').catch(() => '')).includes(`  host: ${typed}\n`), 10_000);
    await waitFor('nothing kept any more', () => !restored.heldEdit && api.keptTyping.ids.length === 0, 10_000);
  });

  it('JSON half-typed (it cannot be saved yet), and the window reloaded: the tab brought back shows it as typed, with why; finished, it is saved and no longer kept', async () => {
    const c = legacy();
    await kept.keep(envFile);
    const editor = await openSubEnvironment(api, c, SUB);
    const n = editor.lastState!.current.variables.length;
    await ui(FRAME, [{ click: '#add-variable' }, { type: 'retry_cfg', delayMs: 20, jitterMs: 60 }]);
    await ui(FRAME, [{ click: `.var-row[data-row="${n}"] vscode-single-select` }, { click: `.var-row[data-row="${n}"] vscode-single-select li.option:text-is("JSON")` }]);
    await waitFor('the JSON variable written', async () => !editor.busy && /^ {2}retry_cfg:/m.test(await fsp.readFile(envFile, 'utf8')), 10_000);
    const half = '{"max": 3, "backoff": ';
    await ui(FRAME, [{ click: field(n) }, { press: 'Control+a' }, { type: half, delayMs: 20, jitterMs: 60 }]);
    const [status] = await ui(FRAME, [{ text: '#status' }]);
    assert.match(String(status), /is not valid JSON/);
    const drafts = (editor as unknown as { drafts: Map<string, { rows?: { text: string }[] }> }).drafts;
    await waitFor('the host holds the typing', () => drafts.get(SUB)?.rows?.[n]?.text === half, 5000);
    const restored = await reload(editor, c);
    await waitFor(`the half-typed JSON on the page again (${JSON.stringify(await shown(n))})`, async () => (await shown(n)) === half, 10_000);
    const [again] = await ui(FRAME, [{ text: '#status' }]);
    assert.match(String(again), /is not valid JSON/, 'and why it is not saved yet');
    await ui(FRAME, [{ click: field(n) }, { press: 'End' }, { type: '2}', delayMs: 20, jitterMs: 60 }]);
    const onDisk = async () => JSON.stringify((YAML.parse(await fsp.readFile(envFile, 'utf8')) as { data: Record<string, unknown> }).data.retry_cfg);
    await waitFor(`the JSON written (${await onDisk()})`, async () => !restored.busy && (await onDisk()) === '{"max":3,"backoff":2}', 10_000);
    await waitFor('nothing kept any more', () => api.keptTyping.ids.length === 0, 10_000);
  });

  it('a name typed twice (it cannot be saved): the tab says "(not saved)"; closed, the user is told and Reopen shows the typing again, nothing lost', async () => {
    const c = legacy();
    await kept.keep(envFile);
    const editor = await openSubEnvironment(api, c, SUB);
    const n = editor.lastState!.current.variables.length;
    const taken = editor.lastState!.current.variables[0][0];
    await ui(FRAME, [{ click: '#add-variable' }, { type: taken, delayMs: 20, jitterMs: 60 }, { click: field(n) }, { type: 'dup-value', delayMs: 20, jitterMs: 60 }]);
    const [status] = await ui(FRAME, [{ text: '#status' }]);
    assert.match(String(status), /Two variables are named/);
    const drafts = (editor as unknown as { drafts: Map<string, { rows?: { text: string }[] }> }).drafts;
    await waitFor('the host holds the typing', () => drafts.get(SUB)?.rows?.[n]?.text === 'dup-value', 5000);
    await waitFor(`the title says it (${editor.panel.title})`, () => editor.panel.title.endsWith(' (not saved)'), 5000);
    const state = { ...editor.state };
    editor.panel.dispose();
    const told = await question(0);
    assert.match(told.message, /closed with typing that is not saved/);
    told.answer('Reopen');
    const again = await waitFor('the editor open again', () => api.environmentPanels.editor(state), 10_000);
    await waitFor(`the typing on the page again (${JSON.stringify(await shown(n))})`, async () => (await shown(n)) === 'dup-value', 10_000);
    const [why] = await ui(FRAME, [{ text: '#status' }]);
    assert.match(String(why), /Two variables are named/, 'and why it is not saved yet');
    assert.ok(again.panel.title.endsWith(' (not saved)'));
  });

  it('the request editor: an edit held because the file changed the URL under it: after the reload it is still held, shown as typed with why, asked about again; "Overwrite with Mine" writes it', async () => {
    const c = legacy();
    const file = path.join(c.path, 'Request', `${REQUEST_ID}.yml`);
    await kept.keep(file);
    const { openEditor, typeAtEnd } = urlTyping(() => api, () => c.path, REQUEST_ID, 'Update a transaction');
    const { editor, frame } = await openEditor();
    const typed = await typeAtEnd(editor, frame, '/mine');
    // Insomnia saves another URL into the file right after the last key (inside the debounce)
    const text = await fsp.readFile(file, 'utf8');
    await fsp.writeFile(file, text.replace(/^url: .*$/m, 'url: https://theirs.example.com/tx').replace(/^modified: \d+$/m, 'modified: 1799999999999'));
    await waitFor('the edit held', () => editor.heldEdit?.reason === 'conflict', 10_000);
    await question(0);
    const restored = await reloadRequest(editor);
    assert.equal(restored.heldEdit?.reason, 'conflict', 'held again after the reload');
    await waitFor(`the page shows what was typed (${JSON.stringify((await ui(frame, [{ value: '#url' }]))[0])})`, async () => (await ui(frame, [{ value: '#url' }]))[0] === typed, 10_000);
    const urlOnDisk = async () => (YAML.parse(await fsp.readFile(file, 'utf8')) as { url: string }).url;
    assert.equal(await urlOnDisk(), 'https://theirs.example.com/tx', 'nothing written without the user');
    const again = await question(0);
    again.answer('Overwrite with Mine');
    await waitFor('what was typed in the file', async () => (await urlOnDisk()) === typed, 10_000);
    await waitFor('nothing kept any more', () => !restored.heldEdit && api.keptTyping.ids.length === 0, 10_000);
  });

  it('the request editor: Insomnia saves the URL being typed and the window reloads before the file watcher says so: after the reload the edit is held, shown as typed, asked about; nothing is written unasked', async () => {
    const c = legacy();
    const file = path.join(c.path, 'Request', `${REQUEST_ID}.yml`);
    await kept.keep(file);
    const { openEditor, typeAtEnd } = urlTyping(() => api, () => c.path, REQUEST_ID, 'Update a transaction');
    const { editor, frame } = await openEditor();
    const typed = await typeAtEnd(editor, frame, '/mine-before-reload');
    // Insomnia saves another URL right after the last key (inside the debounce), and at once, before the file
    // watcher's event reaches the store, Developer: Reload Window
    const text = await fsp.readFile(file, 'utf8');
    await fsp.writeFile(file, text.replace(/^url: .*$/m, 'url: https://theirs.example.com/reload').replace(/^modified: \d+$/m, 'modified: 1799999999999'));
    assert.ok(editor.busy && !editor.heldEdit, 'the edit still in the debounce, not held yet, when the window reloads');
    const urlOnDisk = async () => (YAML.parse(await fsp.readFile(file, 'utf8')) as { url: string }).url;
    const restored = await reloadRequest(editor, {
      deactivated: async () => assert.equal(await urlOnDisk(), 'https://theirs.example.com/reload', "the reload wrote nothing over Insomnia's save"),
      reopened: () => api.store.refreshPaths([file]),
    });
    assert.equal(restored.heldEdit?.reason, 'conflict', `what was typed is held after the reload (kept: ${api.keptTyping.ids.length})`);
    await waitFor(`the page shows what was typed (${JSON.stringify((await ui(frame, [{ value: '#url' }]))[0])})`, async () => (await ui(frame, [{ value: '#url' }]))[0] === typed, 10_000);
    assert.equal(await urlOnDisk(), 'https://theirs.example.com/reload', 'nothing written without the user');
    const again = await question(0);
    again.answer('Overwrite with Mine');
    await waitFor('what was typed in the file', async () => (await urlOnDisk()) === typed, 10_000);
    await waitFor('nothing kept any more', () => !restored.heldEdit && api.keptTyping.ids.length === 0, 10_000);
  });

  /** The same for a request editor. */
  const reloadRequest = async (editor: RequestEditorPanel, hooks: ReloadHooks = {}): Promise<RequestEditorPanel> => {
    const state = { ...editor.state };
    await deactivateHost();
    await hooks.deactivated?.();
    // (the old host ends here)
    if (editor.heldEdit) await editor.resolveHeld('file');
    editor.panel.dispose();
    await waitFor('the old tab gone', () => !api.requestPanels.editor(state), 8000);
    for (const q of held.questions.splice(0)) q.answer(undefined);
    await api.reopened();
    await hooks.reopened?.();
    const found = api.requestPanels.find(state)!;
    const panel = vscode.window.createWebviewPanel('hammock.requestEditor', editorTitle(found.request.method, found.request.name), vscode.ViewColumn.One);
    const restored = await api.requestPanels.restore(panel, state);
    assert.ok(restored, 'the tab brought back');
    await waitFor('the page brought back', () => restored.uiReady, 45_000);
    return restored;
  };

  /**
   * The old host's end (as `reload` above) for an editor closed with its edit held (`closed`): deactivated, the closed
   * editor's edit let go (it dies with the host), its questions dismissed, then a new host.
   */
  const reloadClosed = async (closed: { heldEdit: unknown; resolveHeld(choice: 'file'): Promise<void> }): Promise<void> => {
    await deactivateHost();
    if (closed.heldEdit) await closed.resolveHeld('file');
    for (const q of held.questions.splice(0)) q.answer(undefined);
    await api.reopened();
  };

  /** The request editor of REQUEST_ID (its file kept for afterEach), its page showing the stored URL (`start`). */
  const openRequest = async () => {
    const c = legacy();
    const file = path.join(c.path, 'Request', `${REQUEST_ID}.yml`);
    await kept.keep(file);
    const { openEditor, urlInStore } = urlTyping(() => api, () => c.path, REQUEST_ID, 'Update a transaction');
    const { editor, frame } = await openEditor();
    await waitFor('the page to show the stored URL', async () => !editor.busy && (await ui(frame, [{ value: '#url' }]))[0] === urlInStore(), 10_000);
    return { file, openEditor, urlInStore, editor, frame, start: urlInStore()! };
  };

  /**
   * The request editor (openRequest), then its request gone from under it (a checkout of a branch without it), the
   * tab left open, and `/kept` typed at the end of the URL at a person's speed: the edit held ("gone"), its question
   * asked (not answered: `held.questions[0]`). `typed`: the URL as typed.
   */
  const requestGoneAndHeld = async () => {
    const opened = await openRequest();
    const { file, editor, frame, start } = opened;
    await fsp.rm(file);
    await api.store.refreshPaths([file]);
    await waitFor('the tab says the request is gone', () => / \(deleted\)$/.test(editor.panel.title), 10_000);
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '/kept', delayMs: 20, jitterMs: 60 }]);
    const typed = `${start}/kept`;
    await waitFor('the edit held', () => editor.heldEdit?.reason === 'gone' && editor.unsaved?.url === typed, 10_000);
    return { ...opened, typed };
  };

  /** The same in the environment editor: SUB's `host` (variable `i`, its value `start`), `-kept` typed at its end. */
  const environmentGoneAndHeld = async () => {
    const c = legacy();
    await kept.keep(envFile);
    const editor = await openSubEnvironment(api, c, SUB);
    const i = editor.lastState!.current.variables.findIndex(([n]) => n === 'host');
    const start = String(editor.lastState!.current.variables[i][1]);
    await fsp.rm(envFile);
    await api.store.refreshPaths([envFile]);
    await waitFor('the page says the environment is gone', async () => /is not in the collection now/.test(String((await ui({ selector: '.error-banner.held' }, [{ text: '.error-banner.held' }]))[0])), 10_000);
    await ui(FRAME, [{ click: field(i) }, { press: 'End' }, { type: '-kept', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the edit held', () => editor.heldEdit?.reason === 'gone', 10_000);
    return { c, editor, i, start };
  };

  it('the request editor: an edit held because the request was gone, its tab closed, the question dismissed, the window reloaded: the request back (a checkout back), its editor opened holds the edit and asks ("Save It" / "Discard"); nothing is written unasked', async () => {
    const { file, openEditor, urlInStore, editor, frame, start, typed } = await requestGoneAndHeld();
    const asked = await question(0);
    // the tab closed, then the question dismissed
    editor.panel.dispose();
    asked.answer(undefined);
    await reloadClosed(editor);
    // a checkout back to the request's branch
    await kept.restore();
    await kept.keep(file);
    assert.equal(urlInStore(), start, 'the request is back');
    const { editor: opened } = await openEditor();
    const ask = await question(0);
    assert.match(ask.message, /is back/);
    assert.deepEqual(ask.items, ['Save It', 'Discard']);
    assert.ok(opened.heldEdit, 'held, not written');
    await waitFor(`the page shows what was typed (${JSON.stringify((await ui(frame, [{ value: '#url' }]))[0])})`, async () => (await ui(frame, [{ value: '#url' }]))[0] === typed, 10_000);
    const [banner] = await ui({ selector: '.error-banner.held' }, [{ text: '.error-banner.held' }]);
    assert.match(String(banner), /Not saved: .*is back/);
    const urlOnDisk = async () => (YAML.parse(await fsp.readFile(file, 'utf8')) as { url: string }).url;
    assert.equal(await urlOnDisk(), start, 'nothing written without the user');
    ask.answer('Save It');
    await waitFor('what was typed in the file', async () => (await urlOnDisk()) === typed, 10_000);
    await waitFor('nothing kept any more', () => !opened.heldEdit && api.keptTyping.ids.length === 0, 10_000);
  });

  it('the environment editor: an edit held because the environment was gone, its tab closed, the question dismissed, the window reloaded: the environment back, its editor opened holds the edit and asks; "Discard" writes nothing and shows the file\'s', async () => {
    const { c, editor, i, start } = await environmentGoneAndHeld();
    const asked = await question(0);
    // the tab closed, then the question dismissed
    editor.panel.dispose();
    asked.answer(undefined);
    await reloadClosed(editor);
    const text = kept.files[0].text;
    await kept.restore();
    await kept.keep(envFile);
    const opened = await openSubEnvironment(api, c, SUB);
    const ask = await question(0);
    assert.match(ask.message, /is back/);
    assert.deepEqual(ask.items, ['Save It', 'Discard']);
    assert.ok(opened.heldEdit, 'held, not written');
    await waitFor(`the page shows what was typed (${JSON.stringify(await shown(i))})`, async () => (await shown(i)) === `${start}-kept`, 10_000);
    assert.equal(await fsp.readFile(envFile, 'utf8'), text, 'nothing written without the user');
    ask.answer('Discard');
    await waitFor('not held any more, nothing kept', () => !opened.heldEdit && api.keptTyping.ids.length === 0, 10_000);
    await waitFor(`the page shows the file's (${JSON.stringify(await shown(i))})`, async () => (await shown(i)) === start, 10_000);
    assert.equal(await fsp.readFile(envFile, 'utf8'), text, 'nothing written');
  });

  it('the request editor, no reload: an edit held because the request was gone, its tab closed, the question dismissed: the request back (a checkout back), it is asked about ("is back") and nothing is written; dismissed again, its editor opened holds the edit and asks again; "Save It" writes it', async () => {
    const { file, openEditor, urlInStore, editor, frame, start, typed } = await requestGoneAndHeld();
    (await question(0)).answer(undefined);
    editor.panel.dispose();
    held.questions.splice(0);
    const urlOnDisk = async () => (YAML.parse(await fsp.readFile(file, 'utf8')) as { url: string }).url;
    // a checkout back to the request's branch
    await kept.restore();
    await kept.keep(file);
    assert.equal(urlInStore(), start, 'the request is back');
    const back = await question(0);
    assert.match(back.message, /is back/);
    assert.deepEqual(back.items, ['Save It', 'Discard']);
    assert.equal(await urlOnDisk(), start, 'nothing written without the user');
    back.answer(undefined);
    held.questions.splice(0);
    await waitFor('the question dismissed', () => !editor.asking, 10_000);
    assert.equal(editor.heldEdit?.reason, 'back', 'the closed tab holds it, as back');
    assert.equal((api.keptTyping.get(keptId(editor.state))?.held as { reason?: string } | undefined)?.reason, 'back', 'kept as back');
    const { editor: opened } = await openEditor();
    const ask = await question(0);
    assert.match(ask.message, /is back/);
    assert.ok(opened.heldEdit, 'held by the new tab, not written');
    assert.ok(!editor.heldEdit, 'the closed tab let it go');
    await waitFor(`the page shows what was typed (${JSON.stringify((await ui(frame, [{ value: '#url' }]))[0])})`, async () => (await ui(frame, [{ value: '#url' }]))[0] === typed, 10_000);
    assert.equal(await urlOnDisk(), start, 'nothing written without the user');
    ask.answer('Save It');
    await waitFor('what was typed in the file', async () => (await urlOnDisk()) === typed, 10_000);
    await waitFor('nothing kept any more', () => !opened.heldEdit && api.keptTyping.ids.length === 0, 10_000);
  });

  it('the request editor, no reload: the request back while the closed tab\'s "Restore Request" question is still up: answering it asks "is back" (Save It / Discard), not "already settled"', async () => {
    const { file, editor, start, typed } = await requestGoneAndHeld();
    const restore = await question(0);
    assert.deepEqual(restore.items, ['Restore Request']);
    // the tab closed, its question left on screen; then a checkout back to the request's branch
    editor.panel.dispose();
    held.questions.splice(0);
    held.infos.splice(0);
    await kept.restore();
    await kept.keep(file);
    await waitFor('the closed tab holds it, as back', () => editor.heldEdit?.reason === 'back', 10_000);
    restore.answer('Restore Request');
    const back = await question(0);
    assert.match(back.message, /is back/);
    assert.deepEqual(back.items, ['Save It', 'Discard']);
    assert.deepEqual(held.infos, [], 'no "nothing was done" message');
    const urlOnDisk = async () => (YAML.parse(await fsp.readFile(file, 'utf8')) as { url: string }).url;
    assert.equal(await urlOnDisk(), start, 'nothing written without the user');
    back.answer('Save It');
    await waitFor('what was typed in the file', async () => (await urlOnDisk()) === typed, 10_000);
    await waitFor('nothing kept any more', () => !editor.heldEdit && api.keptTyping.ids.length === 0, 10_000);
  });

  it('the environment editor, no reload: an edit held because the environment was gone, its tab closed, the question dismissed: the environment back, it is asked about ("is back"); dismissed again, its editor opened holds the edit and asks again; "Discard" writes nothing', async () => {
    const { c, editor, i, start } = await environmentGoneAndHeld();
    (await question(0)).answer(undefined);
    editor.panel.dispose();
    held.questions.splice(0);
    const text = kept.files[0].text;
    await kept.restore();
    await kept.keep(envFile);
    const back = await question(0);
    assert.match(back.message, /is back/);
    assert.deepEqual(back.items, ['Save It', 'Discard']);
    assert.equal(await fsp.readFile(envFile, 'utf8'), text, 'nothing written without the user');
    back.answer(undefined);
    held.questions.splice(0);
    const opened = await openSubEnvironment(api, c, SUB);
    const ask = await question(0);
    assert.match(ask.message, /is back/);
    assert.ok(opened.heldEdit, 'held by the new tab, not written');
    assert.ok(!editor.heldEdit, 'the closed tab let it go');
    await waitFor(`the page shows what was typed (${JSON.stringify(await shown(i))})`, async () => (await shown(i)) === `${start}-kept`, 10_000);
    assert.equal(await fsp.readFile(envFile, 'utf8'), text, 'nothing written without the user');
    ask.answer('Discard');
    await waitFor('not held any more, nothing kept', () => !opened.heldEdit && api.keptTyping.ids.length === 0, 10_000);
    await waitFor(`the page shows the file's (${JSON.stringify(await shown(i))})`, async () => (await shown(i)) === start, 10_000);
    assert.equal(await fsp.readFile(envFile, 'utf8'), text, 'nothing written');
  });

  it('the environment editor, no reload: the environment back while the closed tab\'s "Restore Environment" question is still up: answering it asks "is back", not "already settled"', async () => {
    const { editor } = await environmentGoneAndHeld();
    const restore = await question(0);
    assert.deepEqual(restore.items, ['Restore Environment']);
    editor.panel.dispose();
    held.questions.splice(0);
    held.infos.splice(0);
    const text = kept.files[0].text;
    await kept.restore();
    await kept.keep(envFile);
    await waitFor('the closed tab holds it, as back', () => editor.heldEdit?.reason === 'back', 10_000);
    restore.answer('Restore Environment');
    const back = await question(0);
    assert.match(back.message, /is back/);
    assert.deepEqual(back.items, ['Save It', 'Discard']);
    assert.deepEqual(held.infos, [], 'no "nothing was done" message');
    assert.equal(await fsp.readFile(envFile, 'utf8'), text, 'nothing written without the user');
    back.answer('Discard');
    await waitFor('not held any more, nothing kept', () => !editor.heldEdit && api.keptTyping.ids.length === 0, 10_000);
    assert.equal(await fsp.readFile(envFile, 'utf8'), text, 'nothing written');
  });

  it('the request editor: the file changed under keys still being typed (Insomnia saved it): held and kept at once, not when the typing pauses (a reload then, its last flush could not keep it)', async () => {
    const { file, editor, frame, start } = await openRequest();
    // a person typing on (20-80 ms a key: the debounce never ends meanwhile)
    let typed = false;
    const typing = ui(frame, [{ click: '#url' }, { press: 'End' }, { type: `/${'x'.repeat(60)}`, delayMs: 20, jitterMs: 60 }]).finally(() => (typed = true));
    await waitFor('the host holds the first keys', () => !!editor.unsaved?.url?.startsWith(`${start}/xx`), 10_000);
    // Insomnia saves another URL into the file meanwhile; the watcher tells the store
    const text = await fsp.readFile(file, 'utf8');
    await fsp.writeFile(file, text.replace(/^url: .*$/m, 'url: https://theirs.example.com/tx').replace(/^modified: \d+$/m, 'modified: 1799999999999'));
    await api.store.refreshPaths([file]);
    await waitFor('the edit held', () => editor.heldEdit?.reason === 'conflict', 10_000);
    assert.equal(typed, false, 'held while the keys are still being typed');
    await api.keptTyping.settled();
    assert.ok(api.keptTyping.get(keptId(editor.state))?.held, 'kept over a window reload already');
    await typing;
  });
  it('the request editor: keys typed right before a reload, which its last write put in the file, then a pull changes the URL before the tab is shown again: the tab asks nothing and shows the file\'s URL', async () => {
    const { file, editor, frame, start } = await openRequest();
    const typed = `${start}/typed-before-reload`;
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '/typed-before-reload', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the host holds the last key', () => editor.unsaved?.url === typed, 5000);
    // (a person's reload does not wait for it; the walk does, so that the keys are kept when the window goes)
    await api.keptTyping.settled();
    assert.ok(editor.busy && api.keptTyping.get(keptId(editor.state))?.pending, 'the keys still in the debounce, and kept, when the window reloads');
    const urlOnDisk = async () => (YAML.parse(await fsp.readFile(file, 'utf8')) as { url: string }).url;
    const theirs = 'https://theirs.example.com/pulled';
    const restored = await reloadRequest(editor, {
      deactivated: async () => assert.equal(await urlOnDisk(), typed, "the reload's last write put the keys in the file"),
      reopened: async () => {
        assert.equal(api.keptTyping.get(keptId(editor.state))?.pending, undefined, 'the new window let go of the keys: they are in the file');
        // a pull brings a teammate's URL before the tab is shown again
        const text = await fsp.readFile(file, 'utf8');
        await fsp.writeFile(file, text.replace(/^url: .*$/m, `url: ${theirs}`).replace(/^modified: \d+$/m, 'modified: 1799999999999'));
        await api.store.refreshPaths([file]);
      },
    });
    await waitFor(`the page shows the file's URL (${JSON.stringify((await ui(frame, [{ value: '#url' }]))[0])})`, async () => (await ui(frame, [{ value: '#url' }]))[0] === theirs, 10_000);
    await waitFor('the editor idle', () => !restored.busy, 10_000);
    assert.equal(restored.heldEdit, undefined, 'nothing held');
    assert.equal(held.questions.length, 0, 'nothing asked');
    assert.equal(await urlOnDisk(), theirs, "the pull's URL stands");
  });

  it('the environment editor: keys typed right before a reload, which its last write put in the file, then a pull changes that variable before the tab is shown again: the tab asks nothing and shows the file\'s value', async () => {
    const c = legacy();
    await kept.keep(envFile);
    const editor = await openSubEnvironment(api, c, SUB);
    const i = editor.lastState!.current.variables.findIndex(([n]) => n === 'host');
    const start = String(editor.lastState!.current.variables[i][1]);
    const typed = `${start}-typed`;
    await ui(FRAME, [{ click: field(i) }, { press: 'End' }, { type: '-typed', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the host holds the last key', () => editor.unsaved?.fields.variables?.find(([n]) => n === 'host')?.[1] === typed, 5000);
    await api.keptTyping.settled();
    const id = keptEnvironmentId(editor.state);
    assert.ok(editor.busy && api.keptTyping.get(id)?.pending, 'the keys still in the debounce, and kept, when the window reloads');
    const hostOnDisk = async () => (YAML.parse(await fsp.readFile(envFile, 'utf8')) as { data: { host: string } }).data.host;
    const theirs = 'pulled.example.com';
    const restored = await reload(editor, c, {
      deactivated: async () => assert.equal(await hostOnDisk(), typed, "the reload's last write put the keys in the file"),
      reopened: async () => {
        assert.equal(api.keptTyping.get(id)?.pending, undefined, 'the new window let go of the keys: they are in the file');
        const text = await fsp.readFile(envFile, 'utf8');
        await fsp.writeFile(envFile, text.replace(/^(\s+host: ).*$/m, `$1${theirs}`).replace(/^modified: \d+$/m, 'modified: 1799999999999'));
        await api.store.refreshPaths([envFile]);
      },
    });
    await waitFor(`the page shows the file's value (${JSON.stringify(await shown(i))})`, async () => (await shown(i)) === theirs, 10_000);
    await waitFor('the editor idle', () => !restored.busy, 10_000);
    assert.equal(restored.heldEdit, undefined, 'nothing held');
    assert.equal(held.questions.length, 0, 'nothing asked');
    assert.equal(await hostOnDisk(), theirs, "the pull's value stands");
  });
});
