// The request and environment editors while their file changes underneath, as it does for a team that keeps using
// Insomnia on the same files, or under a `git checkout`: the real page typed into at human speed through the UI
// driver, the file written from outside in the middle of the typing. What the user typed is never lost without a word, and neither is the
// change on disk: an edit of a field the file changed since the page read it is held, unsaved, until the user chooses.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Collection, HttpRequest } from '../../src/collections/model';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { RequestNode } from '../../src/tree/collectionsTree';
import { activateHammock, inWorkspace, KeptFiles, openSubEnvironment, ui, waitFor } from './helpers';

describe('The request and environment editors when their file changes on disk', function () {
  // a page can take ~30 s to load in code-server (its webview host waiting on the service worker's controllerchange)
  this.timeout(60_000);
  let api: HammockApi;
  const kept = new KeptFiles(() => api);
  const restore = kept.files;

  before(async () => {
    api = await activateHammock();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await kept.restore();
  });

  const requestNamed = (name: string, format: 'legacy' | 'v5'): { collection: Collection; request: HttpRequest } => {
    for (const collection of api.store.collections) {
      if (collection.format !== format) continue;
      for (const item of walkItems(collection.children)) if (item.kind === 'request' && item.name === name) return { collection, request: item };
    }
    assert.fail(`no ${format} request "${name}"`);
  };

  const openEditor = async (name: string, format: 'legacy' | 'v5') => {
    const { collection, request } = requestNamed(name, format);
    const file = request.source.file;
    restore.push({ file, text: await fsp.readFile(file, 'utf8') });
    const state = { collectionPath: collection.path, requestId: request.id };
    await vscode.commands.executeCommand('hammock.openRequest', state);
    const editor = api.requestPanels.editor(state);
    assert.ok(editor);
    await waitFor('the page to load', () => editor.uiReady, 45_000);
    return { state, editor, file, frame: { selector: 'header .name', text: name } };
  };

  /**
   * Types `text` into the field `selector` at 80 ms a key (one edit batch: each key well inside the 300 ms debounce),
   * and runs `outside` once the field shows `after`, while the typing goes on.
   */
  const typeWithOutsideWrite = async (frame: { selector: string; text?: string }, selector: string, text: string, after: string, outside: () => Promise<void>) => {
    await ui(frame, [{ click: selector }, { press: 'End' }]);
    let typed = false;
    const typing = ui(frame, [{ type: text, delayMs: 80 }]).then(() => (typed = true));
    await waitFor(`the field to show ${after}`, async () => String((await ui(frame, [{ value: selector }]))[0]).includes(after), 10_000);
    assert.equal(typed, false, 'the outside write comes while the user is still typing');
    await outside();
    await typing;
  };

  it('Insomnia saves a new URL while the user types in the URL: nothing is written over it; "Use the File\'s" shows it', async () => {
    const { editor, file, frame, state } = await openEditor('List all transactions', 'legacy');
    const theirs = 'url: "{{ _.base_url }}/v2/transactions"';
    // (what the field shows first: another suite may have left this request's URL with a query)
    const [initial] = await ui(frame, [{ value: '#url' }]);
    await typeWithOutsideWrite(frame, '#url', '/mine/typed/and/typed/on', '/mi', async () => {
      // as Insomnia writes it: the whole file, another URL and a new `modified`
      const text = await fsp.readFile(file, 'utf8');
      await fsp.writeFile(file, text.replace(/^url: .*$/m, theirs).replace(/^modified: \d+$/m, 'modified: 1799999999999'));
    });
    await waitFor('the edit to be written or held', async () => editor.heldEdit || !(await fsp.readFile(file, 'utf8')).includes(theirs), 8000);
    assert.match(await fsp.readFile(file, 'utf8'), /^url: "\{\{ _\.base_url \}\}\/v2\/transactions"$/m, "the file keeps Insomnia's URL");
    assert.equal(editor.heldEdit?.reason, 'conflict');
    const [shown, banner] = await ui(frame, [{ value: '#url' }, { value: '.error-banner' }, { screenshot: 'outside-url-conflict' }]);
    assert.equal(shown, `${String(initial)}/mine/typed/and/typed/on`, 'the field keeps what the user typed');
    assert.match(String(banner), /Not saved: the URL of "List all transactions" changed on disk/);
    await assert.rejects(api.requestPanels.send(state), /Not sent: the URL of "List all transactions" changed on disk/, 'Send refuses while an edit is held');
    // the user picks the file's version in the notification
    await ui({ selector: '.notifications-toasts .monaco-button', text: "Use the File's" }, [{ click: `.notifications-toasts .monaco-button:has-text("Use the File's")` }]);
    await waitFor("the field to show the file's URL", async () => (await ui(frame, [{ value: '#url' }]))[0] === '{{ _.base_url }}/v2/transactions', 8000);
    assert.equal(editor.heldEdit, undefined);
    assert.match(await fsp.readFile(file, 'utf8'), /^url: "\{\{ _\.base_url \}\}\/v2\/transactions"$/m);
  });

  it('Insomnia adds a header row while the user types in another one (v5): both kept, nothing held (the rows merged)', async () => {
    const { editor, file, frame } = await openEditor('get request', 'v5');
    await ui(frame, [{ click: '.tab:has-text("Headers")' }]);
    await typeWithOutsideWrite(frame, '[data-key="headers:0:value"]', '-typed-and-typed-on', '-ty', async () => {
      // (matched whatever part of the typing a slow machine saved already)
      const text = await fsp.readFile(file, 'utf8');
      const row = /( {6}- name: User-Agent\n {8}value: insomnia\/11\.4\.0.*\n)/;
      assert.match(text, row);
      await fsp.writeFile(file, text.replace(row, `$1      - name: X-From-Insomnia\n        value: "1"\n`));
    });
    await waitFor('the typed value written', async () => /value: insomnia\/11\.4\.0-typed-and-typed-on\n {6}- name: X-From-Insomnia\n/.test(await fsp.readFile(file, 'utf8')), 8000);
    assert.equal(editor.heldEdit, undefined, 'another row of the same table: merged, not held');
    await waitFor("Insomnia's row on screen", async () => (await ui(frame, [{ value: '[data-key="headers:1:name"]' }]))[0] === 'X-From-Insomnia', 8000);
  });

  it('a change on disk to another field while the user types is kept, and so is the typing', async () => {
    const { editor, file, frame } = await openEditor('Get specific transactions', 'legacy');
    await typeWithOutsideWrite(frame, '#url', '/mine/typed/on', '/mi', async () => {
      const text = await fsp.readFile(file, 'utf8');
      await fsp.writeFile(file, text.replace(/^description: .*$/m, 'description: Changed in Insomnia'));
    });
    await waitFor('the typed URL in the file', async () => (await fsp.readFile(file, 'utf8')).includes('/transactions/{{ _.id }}/mine/typed/on"'), 8000);
    assert.match(await fsp.readFile(file, 'utf8'), /^description: Changed in Insomnia$/m);
    assert.equal(editor.heldEdit, undefined);
  });

  it('the file is deleted while the user types: the editor stays open with the text, and saves it when the file comes back', async () => {
    const { editor, file, frame, state } = await openEditor('Get specific transactions', 'legacy');
    const before = await fsp.readFile(file, 'utf8');
    await typeWithOutsideWrite(frame, '#url', '/gone/typed/on', '/go', () => fsp.rm(file));
    await waitFor('the edit to be held or the editor closed', () => editor.heldEdit || !api.requestPanels.editor(state), 8000);
    assert.equal(api.requestPanels.editor(state), editor, 'the editor is still open');
    assert.equal(editor.heldEdit?.reason, 'gone');
    const [shown, banner] = await ui(frame, [{ value: '#url' }, { value: '.error-banner' }, { screenshot: 'outside-deleted' }]);
    assert.match(String(shown), /\/gone\/typed\/on$/);
    assert.match(String(banner), /"Get specific transactions" is not in \.insomnia now \(deleted, moved, or not on this branch\)\. What you typed is kept in this editor/);
    assert.match(editor.panel.title, /\(deleted\)$/);
    // back, as `git checkout` of the branch that has it puts it back
    await fsp.writeFile(file, before);
    await waitFor('the typed text in the file once it is back', async () => (await fsp.readFile(file, 'utf8').catch(() => '')).includes('/gone/typed/on"'), 8000);
    assert.equal(editor.heldEdit, undefined);
    assert.doesNotMatch(editor.panel.title, /deleted/);
  });

  /**
   * Opens the request's editor, then its file goes, as with a `git checkout` of a branch without it (another process,
   * as VS Code keeps a text editor open): the editor stays open, titled deleted.
   */
  const openThenRemove = async (name: string) => {
    const opened = await openEditor(name, 'legacy');
    const title = opened.editor.panel.title;
    const before = await fsp.readFile(opened.file, 'utf8');
    const tab = { closed: false };
    opened.editor.panel.onDidDispose(() => (tab.closed = true));
    await fsp.rm(opened.file);
    await waitFor('the editor titled deleted', () => tab.closed || opened.editor.panel.title.endsWith(' (deleted)'), 8000);
    assert.equal(tab.closed, false, 'the editor stays open');
    return { ...opened, title, before, tab };
  };

  it('the request goes with a checkout, nothing typed: the editor stays open, titled "(deleted)", and shows it again once it is back; a Delete in Hammock closes it', async () => {
    // here less than a second after Hammock's last write to it (the test before): VS Code folds the two events into none
    const { editor, file, frame, state, title, before, tab } = await openThenRemove('Get specific transactions');
    assert.equal(api.requestPanels.editor(state), editor);
    const [banner] = await ui(frame, [{ text: '.error-banner.held' }, { screenshot: 'outside-checked-out-away' }]);
    assert.match(String(banner), /is not in .* now \(deleted, moved, or not on this branch\)\. This tab shows it again if it comes back/);
    assert.equal(editor.heldEdit, undefined, 'nothing typed, nothing held');
    // Send while it is gone: nothing sent, and the page says why in words (the request's name, not its id)
    const [, said] = await ui(frame, [{ click: '#send' }, { text: '.error-banner:not(.held)' }]);
    assert.match(String(said), /^Not sent: "Get specific transactions" is not in .* now \(deleted, moved, or not on this branch\)\.$/);
    // a checkout back: the same request, the same tab
    await fsp.writeFile(file, before);
    await waitFor('the title as it was', () => editor.panel.title === title, 8000);
    await waitFor('the message gone from the page', async () => !String((await ui(frame, [{ text: 'body' }]))[0]).includes('This tab shows it again'), 8000);
    const { collection, request } = requestNamed('Get specific transactions', 'legacy');
    const [url] = await ui(frame, [{ value: '#url' }]);
    assert.equal(url, request.url, 'the page shows the request as the file has it');
    // deleted from within Hammock: the editor closes, as VS Code closes the editor of a file deleted from within it
    await vscode.commands.executeCommand('hammock.delete', new RequestNode(collection, request), { confirmed: true });
    await waitFor('the editor closed', () => tab.closed, 8000);
    assert.equal(api.requestPanels.editor(state), undefined);
    await fsp.writeFile(file, before);
    await api.store.refreshPaths([file]);
  });

  it('a request kept open as "(deleted)" stays open through an edit of another request of its collection, and shows again once it is back', async () => {
    const { editor, file, state, title, before, tab } = await openThenRemove('Get specific transactions');
    // an edit made in Hammock, of another request of the same collection: it takes nothing away from this tab
    const other = api.store.collections.find((c) => c.path === state.collectionPath);
    assert.ok(other);
    const another = [...walkItems(other.children)].find((i) => i.kind === 'request' && i.id !== state.requestId);
    assert.ok(another);
    const anotherFile = another.source.file;
    restore.push({ file: anotherFile, text: await fsp.readFile(anotherFile, 'utf8') });
    await api.store.apply(other, { kind: 'rename', id: another.id, name: `${another.name} renamed` });
    await api.store.apply(other, { kind: 'rename', id: another.id, name: another.name });
    assert.equal(tab.closed, false, 'the tab kept as deleted stays open');
    await fsp.writeFile(file, before);
    await waitFor('the title as it was', () => tab.closed || editor.panel.title === title, 8000);
    assert.equal(tab.closed, false);
    await api.store.refreshPaths([file]);
  });

  it('an environment tab kept as "(deleted)" stays open through a Hammock edit of another collection in the same folder', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const dir = inWorkspace('.insomnia');
    const files = (w: string) => [path.join(dir, 'Workspace', `wrk_${w}.yml`), path.join(dir, 'Environment', `env_${w}.yml`)];
    const write = async (w: string) => {
      const [workspace, environment] = files(w);
      await fsp.writeFile(workspace, `_id: wrk_${w}\ntype: Workspace\nparentId: null\nmodified: 1730958463799\ncreated: 1730958463799\nname: Gone ${w}\ndescription: ""\nscope: collection\n`);
      await fsp.writeFile(environment, `_id: env_${w}\ntype: Environment\nparentId: wrk_${w}\nmodified: 1730958463799\ncreated: 1730958463799\nname: Base Environment\ndata:\n  host: ${w}.example\ndataPropertyOrder: null\ncolor: null\nisPrivate: false\nmetaSortKey: 1730958463822\n`);
      await api.store.refreshPaths(files(w));
    };
    const all = [...files('goneA'), ...files('goneB')];
    try {
      await write('goneA');
      await write('goneB');
      const a = api.store.collectionAt(dir, 'wrk_goneA');
      const b = api.store.collectionAt(dir, 'wrk_goneB');
      assert.ok(a && b);
      await vscode.commands.executeCommand('hammock.editEnvironment', { type: 'envCollection', collection: a });
      const env = api.environmentPanels.editor({ collectionPath: dir, collectionId: a.id, environmentId: 'env_goneA' });
      assert.ok(env);
      await waitFor('the environment page', () => env.uiReady, 45_000);
      const title = env.panel.title;
      let closed = false;
      env.panel.onDidDispose(() => (closed = true));
      // its collection goes from disk (as with a checkout): kept
      for (const f of files('goneA')) await fsp.rm(f);
      await api.store.refreshPaths(files('goneA'));
      await waitFor('the tab titled deleted', () => closed || env.panel.title.endsWith(' (deleted)'), 10_000);
      assert.equal(closed, false, 'the tab stays after the collection went from disk');
      // an edit made in Hammock of the other collection of the same .insomnia folder: it takes nothing away from this tab
      await api.store.apply(b, { kind: 'setEnvironment', id: 'env_goneB', fields: { data: { host: 'edited.example' } } });
      assert.match(await fsp.readFile(files('goneB')[1], 'utf8'), /host: edited\.example/);
      assert.equal(closed, false, 'the tab kept as deleted stays open through an edit of another collection');
      await write('goneA');
      await waitFor('the title as before', () => closed || env.panel.title === title, 10_000);
      assert.equal(closed, false);
    } finally {
      for (const f of all) await fsp.rm(f, { force: true });
      await api.store.refreshPaths(all);
    }
  });

  it('the environment editor: Insomnia changes one variable while the user types in another, both are kept; the same one is held', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const c = api.store.collections.find((x) => x.path === inWorkspace('.insomnia'));
    assert.ok(c?.baseEnvironment);
    const SUB = 'env_038c957f9f1749c8bc57927d9655f4b4'; // "OpenAPI env localhost:3000": scheme, base_path, host, ...
    const file = inWorkspace('.insomnia', 'Environment', `${SUB}.yml`);
    restore.push({ file, text: await fsp.readFile(file, 'utf8') });
    const editor = await openSubEnvironment(api, c, SUB);
    const frame = { selector: '.env-list' };
    const changeOnDisk = (from: RegExp, to: string) => async () => {
      const text = await fsp.readFile(file, 'utf8');
      assert.match(text, from);
      await fsp.writeFile(file, text.replace(from, to).replace(/^modified: \d+$/m, 'modified: 1799999999999'));
    };
    await typeWithOutsideWrite(frame, 'input[data-key="var:0:value"]', 's-typed-on-and-on', 's-t', changeOnDisk(/^ {2}host: localhost:3000$/m, '  host: staging:3000'));
    await waitFor('the typed value in the file', async () => (await fsp.readFile(file, 'utf8')).includes('  scheme: https-typed-on-and-on\n'), 8000);
    assert.match(await fsp.readFile(file, 'utf8'), /^ {2}host: staging:3000$/m, "Insomnia's change to another variable is kept");
    await waitFor('the field to show it', async () => (await ui(frame, [{ value: 'input[data-key="var:2:value"]' }]))[0] === 'staging:3000', 8000);
    // the same variable on both sides: held, the file keeps Insomnia's value until the user chooses
    await typeWithOutsideWrite(frame, 'input[data-key="var:2:value"]', '-typed-on-and-on', '-ty', changeOnDisk(/^ {2}host: staging:3000.*$/m, '  host: prod:443'));
    await waitFor('the edit to be written or held', async () => editor.heldEdit || /^ {2}host: .*-typed/m.test(await fsp.readFile(file, 'utf8')), 8000);
    assert.match(await fsp.readFile(file, 'utf8'), /^ {2}host: prod:443$/m);
    assert.ok(editor.heldEdit);
    await editor.resolveHeld('mine');
    assert.match(await fsp.readFile(file, 'utf8'), /^ {2}host: staging:3000-typed-on-and-on$/m);
  });
});
