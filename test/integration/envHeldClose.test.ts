// The environment editor closed while an edit of it is held (Insomnia changed the variable being typed, the notice
// dismissed): as the request editor does, closing the tab asks again ("Overwrite with Mine" / "Use the File's") instead
// of dropping what was typed without a word. Driven in the real page: typed at human speed, the notification dismissed
// and its button pressed in the workbench.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { activateHammock, inWorkspace, openSubEnvironment, ui, waitFor } from './helpers';

const SUB = 'env_038c957f9f1749c8bc57927d9655f4b4'; // "OpenAPI env localhost:3000": scheme, base_path, host, ...

describe('The environment editor closed with an edit held', function () {
  this.timeout(120_000);
  let api: HammockApi;
  let file: string;
  let original: string;

  before(async () => {
    api = await activateHammock();
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    file = inWorkspace('.insomnia', 'Environment', `${SUB}.yml`);
    original = await fsp.readFile(file, 'utf8');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
    await fsp.writeFile(file, original);
    await api.store.refreshPaths([file]);
  });

  const toast = (button: string) => ({ selector: '.notifications-toasts .monaco-button', text: button });
  const press = (button: string) => ui(toast(button), [{ click: `.notifications-toasts .monaco-button:has-text("${button}")` }]);

  /** Types into the host's value, and right after the last key (inside the debounce) Insomnia changes the same variable. */
  const typeWhileInsomniaChangesIt = async (typed: string, theirs: string) => {
    const c = api.store.collections.find((x) => x.path === inWorkspace('.insomnia'));
    assert.ok(c?.baseEnvironment);
    const editor = await openSubEnvironment(api, c, SUB);
    const frame = { selector: '.env-list' };
    const [name] = await ui(frame, [{ value: 'input[data-key="var:2:name"]' }]);
    assert.equal(name, 'host');
    await ui(frame, [{ click: 'input[data-key="var:2:value"]' }, { press: 'End' }, { type: typed, delayMs: 40, jitterMs: 30 }]);
    const text = await fsp.readFile(file, 'utf8');
    assert.match(text, /^ {2}host: .*$/m);
    await fsp.writeFile(file, text.replace(/^ {2}host: .*$/m, `  host: ${theirs}`).replace(/^modified: \d+$/m, 'modified: 1799999999999'));
    await waitFor('the edit held', () => editor.heldEdit, 8000);
    assert.equal(editor.heldEdit!.reason, 'conflict');
    return { editor, frame, state: editor.state };
  };

  it('the notice dismissed, then the tab closed: asked again; "Overwrite with Mine" writes what was typed', async () => {
    const { frame, state } = await typeWhileInsomniaChangesIt('-kept-on-close', 'prod:443');
    // the user dismisses the notice (it answers nothing), sees the banner, and closes the tab
    await ui(toast('Overwrite with Mine'), [{ screenshot: 'env-held-notice' }]);
    await vscode.commands.executeCommand('notifications.clearAll');
    await ui(frame, [{ screenshot: 'env-held-banner' }]);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the editor closed', () => !api.environmentPanels.editor(state), 8000);
    assert.match(await fsp.readFile(file, 'utf8'), /^ {2}host: prod:443$/m, 'nothing written yet');
    // asked again, in the workbench, though the tab is gone
    await ui(toast('Overwrite with Mine'), [{ screenshot: 'env-held-closed-asks' }]);
    await press('Overwrite with Mine');
    await waitFor('the typed value in the file', async () => /^ {2}host: localhost:3000-kept-on-close$/m.test(await fsp.readFile(file, 'utf8')), 8000);
    assert.equal(api.environmentPanels.editor(state), undefined, 'the closed editor stays closed');
  });

  it('closed while the notice is still up: its "Use the File\'s" keeps the file as Insomnia left it, nothing fails', async () => {
    const { editor, state } = await typeWhileInsomniaChangesIt('-dropped', 'staging:8443');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the editor closed', () => !api.environmentPanels.editor(state), 8000);
    await press("Use the File's");
    await waitFor('the held edit settled', () => !editor.heldEdit, 8000);
    assert.match(await fsp.readFile(file, 'utf8'), /^ {2}host: staging:8443$/m);
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
