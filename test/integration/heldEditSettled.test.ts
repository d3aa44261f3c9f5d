// A held edit's notification ("Overwrite with Mine" / "Use the File's") stays on screen after the edit was settled
// another way (VS Code cannot take a notification back): pressing its button then must say that nothing was done
// because it was already settled, and must not write over the file. The notification is stubbed (its answer given
// when the test says), the edit is posted as the page posts it, with a `base` the file no longer has.
// Stubs vscode.window.showWarningMessage / showInformationMessage, so it is not in editor/smoke tests.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { activateHammock, holdQuestions, waitFor, workspaceRoot } from './helpers';

const REQUEST_ID = 'req_54ba01ebd50e410ea1a79f8003485156'; // PUT Update a transaction
const REL = `.insomnia/Request/${REQUEST_ID}.yml`;

describe('A held edit settled another way: its notification, answered late, says so and changes nothing', function () {
  this.timeout(120_000);
  let api: HammockApi;
  let root: string;
  let file: string;
  let original: string;
  let held: ReturnType<typeof holdQuestions>;

  before(async () => {
    api = await activateHammock();
    root = workspaceRoot();
    file = path.join(root, REL);
    original = await fsp.readFile(file, 'utf8');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    held = holdQuestions(/changed on disk/);
  });

  after(async () => {
    held.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fsp.writeFile(file, original);
    await api.store.refreshPaths([file]);
  });

  it('"Overwrite with Mine" pressed after "Use the File\'s" settled it elsewhere: a message that it was settled; the file keeps its URL', async () => {
    const state = { collectionPath: path.join(root, '.insomnia'), requestId: REQUEST_ID };
    await vscode.commands.executeCommand('hammock.openRequest', state);
    const editor = api.requestPanels.editor(state);
    assert.ok(editor);
    await waitFor('the page to load', () => editor.uiReady, 45_000);
    const fileUrl = /^url: (.*)$/m.exec(await fsp.readFile(file, 'utf8'))![1];
    // the page's edit of the URL, made on a URL the file no longer has (a checkout changed it under the editor)
    await editor.receive({ type: 'edit', fields: { url: 'https://mine.example.com/typed' }, seq: 1_000_000, base: { url: 'https://before.example.com/checkout' } });
    await editor.flush().catch(() => undefined);
    await waitFor('the edit held', () => editor.heldEdit?.reason === 'conflict', 10_000);
    const question = await waitFor('the notification', () => held.questions[0], 10_000);
    assert.match(question.message, /changed on disk/);

    // settled another way (the file's version taken), the notification still there
    await editor.resolveHeld('file');
    assert.equal(editor.heldEdit, undefined);
    held.infos.length = 0;
    question.answer('Overwrite with Mine');
    const said = await waitFor('a word that it was already settled', () => held.infos.find((m) => /already settled/.test(m)), 10_000);
    assert.match(said, /^Hammock: nothing was done/);
    assert.equal(/^url: (.*)$/m.exec(await fsp.readFile(file, 'utf8'))![1], fileUrl, 'the file keeps its URL');
  });
});
