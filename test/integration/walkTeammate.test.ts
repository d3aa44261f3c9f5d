// A team that keeps using Insomnia on the same files: a teammate's change arrives on disk (Insomnia writing the whole
// file with its YAML library) while a Hammock editor is open on the request and the user is typing in another row of
// the same table. Typed at human speed through the UI driver; the files are checked as text afterwards (the diff
// against what Insomnia wrote) and by Insomnia's own reader.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkLegacyFolder, checkV5Text } from '../../src/collections/formats/conformance';
import type { Collection, HttpRequest } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { activateHammock, insomniaRewrite, KeptFiles, lineDiff, openRequestEditor, openSubEnvironment, requestNamed as requestNamedIn, ui, waitFor } from './helpers';

describe('Walk: a teammate in Insomnia changes the table the user is typing in', function () {
  this.timeout(120_000);
  let api: HammockApi;
  const kept = new KeptFiles(() => api);
  const restore = kept.files;

  before(async () => {
    api = await activateHammock();
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
    await kept.restore();
    await api.store.reload();
  });

  const requestNamed = (name: string, format: 'legacy' | 'v5', file?: string) => requestNamedIn(api, name, format, file);

  /** Types `text` at 70 ms a key into `selector`; `outside` runs once the field shows `after`, while the keys go on. */
  const typeWhile = async (frame: { selector: string; text?: string }, selector: string, text: string, after: string, outside: () => Promise<unknown>) => {
    await ui(frame, [{ click: selector }, { press: 'End' }]);
    let typed = false;
    const typing = ui(frame, [{ type: text, delayMs: 70 }]).then(() => (typed = true));
    await waitFor(`the field to show ${after}`, async () => String((await ui(frame, [{ value: selector }]))[0]).includes(after), 10_000);
    assert.equal(typed, false, 'the teammate\'s write comes while the user is still typing');
    await outside();
    await typing;
  };

  const settled = (editor: { busy: boolean; heldEdit: unknown }) => waitFor('the editor to settle', () => !editor.busy || !!editor.heldEdit, 10_000);

  it('legacy: a header added in the UI, then Insomnia changes the other header while its value is typed: both kept, no prompt, a minimal diff', async () => {
    const { collection, request } = requestNamed('Create new transaction', 'legacy');
    const { editor, file, frame } = await openEditor(collection, request);
    await ui(frame, [{ click: '.tab:has-text("Headers")' }, { click: '.kv-add vscode-button' }, { click: '[data-key="headers:1:name"]' }, { type: 'X-Team', delayMs: 50 }, { press: 'Tab' }, { type: 'blue', delayMs: 50 }]);
    await waitFor('the new header in the file', async () => /- name: X-Team\n\s+value: blue\n/.test(await fsp.readFile(file, 'utf8')), 8000);
    let theirs = '';
    await typeWhile(frame, '[data-key="headers:1:value"]', '-green-and-more', '-gr', async () => {
      theirs = await insomniaRewrite(file, (doc) => {
        (doc.headers as Record<string, unknown>[])[0].value = 'application/vnd.team+json';
      });
    });
    await settled(editor);
    await waitFor('the typed value in the file', async () => (await fsp.readFile(file, 'utf8')).includes('value: blue-green-and-more\n'), 8000);
    assert.equal(editor.heldEdit, undefined, 'no prompt: the two changes are in different rows');
    const mine = await fsp.readFile(file, 'utf8');
    const d = lineDiff(theirs, mine);
    // (the keys typed before Insomnia's write are in its text: it read the file as the editor had saved it by then)
    assert.deepEqual(d.removed.filter((l) => !/^modified: /.test(l)).map((l) => /^ {4}value: blue(-g?)?$/.test(l)), [true], JSON.stringify(d));
    assert.deepEqual(d.added.filter((l) => !/^modified: /.test(l)), ['    value: blue-green-and-more'], JSON.stringify(d));
    assert.deepEqual(checkLegacyFolder(path.dirname(path.dirname(file))), [], "Insomnia's reader accepts the folder");
    const [teammates, typed] = await ui(frame, [{ value: '[data-key="headers:0:value"]' }, { value: '[data-key="headers:1:value"]' }, { screenshot: 'walk-teammate-legacy-header' }]);
    assert.equal(teammates, 'application/vnd.team+json', "the editor shows the teammate's value");
    assert.equal(typed, 'blue-green-and-more');
  });

  it('v5: Insomnia renames one header while the value of another is typed, then the user types on: both kept, the teammate\'s name not put back', async () => {
    const { collection, request } = requestNamed('New Disabled Header', 'v5', '11_6_2.yaml');
    const { editor, file, frame } = await openEditor(collection, request);
    await ui(frame, [{ click: '.tab:has-text("Headers")' }]);
    let theirs = '';
    await typeWhile(frame, '[data-key="headers:3:value"]', '-typed-at-human-speed', '-ty', async () => {
      theirs = await insomniaRewrite(file, (doc) => {
        const req = (doc.collection as Record<string, unknown>[]).find((r) => r.name === 'New Disabled Header')!;
        (req.headers as Record<string, unknown>[])[0].name = 'X-Renamed-In-Insomnia';
      });
    });
    await settled(editor);
    await waitFor('the typed value in the file', async () => (await fsp.readFile(file, 'utf8')).includes('value: foo-typed-at-human-speed\n'), 8000);
    assert.equal(editor.heldEdit, undefined);
    // the editor shows the teammate's name; what is typed next keeps it
    await waitFor('the teammate\'s header name on screen', async () => (await ui(frame, [{ value: '[data-key="headers:0:name"]' }]))[0] === 'X-Renamed-In-Insomnia', 8000);
    await ui(frame, [{ click: '[data-key="headers:3:value"]' }, { press: 'End' }, { type: '-more', delayMs: 50 }]);
    await waitFor('the next keys in the file', async () => (await fsp.readFile(file, 'utf8')).includes('value: foo-typed-at-human-speed-more\n'), 8000);
    await settled(editor);
    assert.equal(editor.heldEdit, undefined);
    const mine = await fsp.readFile(file, 'utf8');
    const d = lineDiff(theirs, mine);
    // (the keys saved before Insomnia's write are in its text)
    assert.deepEqual(d.removed.filter((l) => !/^\s*modified: /.test(l)).map((l) => /^ {8}value: foo(-[a-z-]*)?$/.test(l)), [true], JSON.stringify(d));
    assert.deepEqual(d.added.filter((l) => !/^\s*modified: /.test(l)), ['        value: foo-typed-at-human-speed-more'], JSON.stringify(d));
    assert.match(mine, /- name: X-Renamed-In-Insomnia\n/);
    assert.deepEqual(checkV5Text(file, mine), [], "Insomnia's reader accepts the file");
    await ui(frame, [{ screenshot: 'walk-teammate-v5-header' }]);
  });

  it('legacy: Insomnia changes the same header value the user is typing: held, the file keeps the teammate\'s value', async () => {
    const { collection, request } = requestNamed('Create new transaction', 'legacy');
    const { editor, file, frame } = await openEditor(collection, request);
    await ui(frame, [{ click: '.tab:has-text("Headers")' }]);
    let theirs = '';
    await typeWhile(frame, '[data-key="headers:0:value"]', '; charset=utf-8', '; ch', async () => {
      theirs = await insomniaRewrite(file, (doc) => {
        (doc.headers as Record<string, unknown>[])[0].value = 'application/vnd.team+json';
      });
    });
    await waitFor('the edit held', () => editor.heldEdit, 8000);
    assert.equal(await fsp.readFile(file, 'utf8'), theirs, 'nothing written over the teammate\'s value');
    const [shown] = await ui(frame, [{ value: '[data-key="headers:0:value"]' }, { screenshot: 'walk-teammate-same-row' }]);
    assert.equal(shown, 'application/json; charset=utf-8', 'the typing is kept on screen');
  });

  it('legacy: the sub-environment being typed in is deleted on disk (a teammate, a pull): held, shown, nothing typed lands in the base; "Restore Environment" puts it back', async () => {
    const c = api.store.collections.find((x) => x.format === 'legacy');
    assert.ok(c?.baseEnvironment);
    const SUB = 'env_038c957f9f1749c8bc57927d9655f4b4'; // "OpenAPI env localhost:3000": scheme, base_path, host, ...
    const file = path.join(c.path, 'Environment', `${SUB}.yml`);
    const baseFile = c.baseEnvironment.source.file;
    restore.push({ file, text: await fsp.readFile(file, 'utf8') }, { file: baseFile, text: await fsp.readFile(baseFile, 'utf8') });
    const baseText = await fsp.readFile(baseFile, 'utf8');
    const editor = await openSubEnvironment(api, c, SUB);
    const frame = { selector: '.env-list' };
    const field = 'input[data-key="var:0:value"]';
    const [before] = await ui(frame, [{ value: 'input[data-key="var:0:name"]' }, { value: field }]);
    assert.equal(before, 'scheme');
    // the keys go on after the file is gone: the walk saw them land in the base environment's first variable
    await typeWhile(frame, field, '-typed-while-deleted', '-ty', () => fsp.rm(file));
    await waitFor('the edit held', () => editor.heldEdit, 8000);
    assert.equal(editor.heldEdit?.reason, 'gone');
    await ui(frame, [{ type: '-more', delayMs: 50 }]);
    const [name, value, banner] = await ui(frame, [{ value: 'input[data-key="var:0:name"]' }, { value: field }, { value: '.error-banner' }, { screenshot: 'walk-teammate-env-deleted' }]);
    assert.equal(name, 'scheme', 'the editor stays on the environment typed in');
    assert.equal(value, 'http-typed-while-deleted-more');
    assert.match(String(banner), /"OpenAPI env localhost:3000" is not in the collection now \(deleted, moved, or not on this branch\)\. .*"Restore Environment" puts it back/);
    assert.equal(await fsp.readFile(baseFile, 'utf8'), baseText, 'nothing typed went into the base environment');
    await assert.rejects(fsp.stat(file), 'nothing written to the deleted file');
    await ui({ selector: '.notifications-toasts .monaco-button', text: 'Restore Environment' }, [{ click: '.notifications-toasts .monaco-button:has-text("Restore Environment")' }]);
    await waitFor('the environment back with what was typed', async () => /^ {2}scheme: http-typed-while-deleted-more$/m.test(await fsp.readFile(file, 'utf8').catch(() => '')), 8000);
    const back = await fsp.readFile(file, 'utf8');
    assert.match(back, /^name: OpenAPI env localhost:3000$/m);
    assert.match(back, /^ {2}host: localhost:3000$/m, 'the variables not typed in are back too');
    assert.deepEqual(checkLegacyFolder(c.path), [], "Insomnia's reader accepts the folder");
    await waitFor('no edit held', () => !editor.heldEdit, 8000);
    assert.equal(await fsp.readFile(baseFile, 'utf8'), baseText);
  });

  async function openEditor(collection: Collection, request: HttpRequest) {
    return openRequestEditor(api, collection, request, restore);
  }
});
