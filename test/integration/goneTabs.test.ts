// Editor tabs whose item goes away under them from outside Hammock (`git checkout` from a terminal, another program):
// the tab stays, titled "(deleted)"; the request page shown while its request is gone is not blank (hidden at the
// checkout, or brought back by a window reload on the other branch), says the request is not there, and shows it again
// when it comes back; an edit made in Hammock afterwards, of something else in the same place, does not close it.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Collection, HttpRequest } from '../../src/collections/model';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { editorTitle } from '../../src/webviews/editorTitle';
import { activateHammock, gitAs, ui, waitFor, workspaceRoot } from './helpers';

const git = gitAs({ name: 'Gone', email: 'gone@hammock.invalid' });
const AWAY = 'gone-tabs-away';

describe('Editor tabs whose item is gone', function () {
  this.timeout(240_000);
  let api: HammockApi;
  let root: string;
  let home: string;
  let scratch: string;
  let gone: { collection: Collection; request: HttpRequest };
  let other: { collection: Collection; request: HttpRequest };

  before(async () => {
    api = await activateHammock();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    root = workspaceRoot();
    home = await git(root, 'rev-parse', '--abbrev-ref', 'HEAD');
    scratch = await fsp.mkdtemp(path.join(path.dirname(root), 'gone-tabs-'));
    await api.store.whenComplete();
    const found: { collection: Collection; request: HttpRequest }[] = [];
    for (const collection of api.store.collections) {
      if (collection.format !== 'legacy' || collection.path !== path.join(root, '.insomnia')) continue;
      for (const item of walkItems(collection.children)) if (item.kind === 'request') found.push({ collection, request: item });
    }
    [gone, other] = found;
    assert.ok(gone && other);
    // the other branch: without the request's file
    const away = path.join(scratch, 'away');
    await git(root, 'worktree', 'add', '-q', '-b', AWAY, away);
    await git(away, 'rm', '-q', path.relative(root, gone.request.source.file).split(path.sep).join('/'));
    await git(away, 'commit', '-q', '-m', 'the other branch');
    await git(root, 'worktree', 'remove', away);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if ((await git(root, 'rev-parse', '--abbrev-ref', 'HEAD')) !== home) await git(root, 'checkout', '-q', home);
    await git(root, 'branch', '-D', AWAY).catch(() => undefined);
    await fsp.rm(scratch, { recursive: true, force: true });
  });

  const frameOf = (r: { request: HttpRequest }) => ({ selector: 'header .name', text: r.request.name });
  const open = async (r: { collection: Collection; request: HttpRequest }) => {
    const state = { collectionPath: r.collection.path, requestId: r.request.id };
    await vscode.commands.executeCommand('hammock.openRequest', state);
    const editor = api.requestPanels.editor(state);
    assert.ok(editor);
    await waitFor('the request page', () => editor.uiReady, 45_000);
    return editor;
  };

  it('a tab hidden while `git checkout` takes its request away shows the request and the message when shown', async () => {
    const a = await open(gone);
    const title = a.panel.title;
    await ui(frameOf(gone), [{ value: '#url' }]);
    const b = await open(other);
    await waitFor('the other tab in front', () => b.panel.visible && !a.panel.visible, 5000);
    // hidden, its page is gone (no retainContextWhenHidden): the host does not take it for ready (nothing to post to)
    await waitFor('the hidden page not taken for ready', () => !a.uiReady, 5000);
    await git(root, 'checkout', '-q', AWAY);
    await waitFor('the hidden tab titled deleted', () => a.panel.title.endsWith(' (deleted)'), 10_000);
    a.panel.reveal();
    await waitFor('the tab shown', () => a.panel.visible, 5000);
    await waitFor('the page loaded again', () => a.uiReady, 45_000);
    const [name, url, banner] = await ui(frameOf(gone), [{ text: 'header .name' }, { value: '#url' }, { text: '.error-banner.held' }, { screenshot: 'gone-tabs-hidden-shown' }]);
    assert.equal(name, gone.request.name);
    assert.equal(url, gone.request.url);
    assert.match(String(banner), /is not in .* now \(deleted, moved, or not on this branch\)\. This tab shows it again if it comes back/);
    await git(root, 'checkout', '-q', home);
    await waitFor('the title as before', () => a.panel.title === title, 10_000);
    await waitFor('the page without the message', async () => !String((await ui(frameOf(gone), [{ text: 'body' }]))[0]).includes('not on this branch'), 10_000);
  });

  it('after a window reload on the other branch: the request tab stays, titled "(deleted)", says so, and shows the request once back', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await git(root, 'checkout', '-q', AWAY);
    const state = { collectionPath: gone.collection.path, requestId: gone.request.id };
    await waitFor('the request gone from the store', () => !api.requestPanels.find(state), 10_000);
    // as VS Code brings the panel back after Developer: Reload Window, with the title and state it had
    const title = editorTitle(gone.request.method, gone.request.name);
    const panel = vscode.window.createWebviewPanel('hammock.requestEditor', title, vscode.ViewColumn.One);
    let closed = false;
    panel.onDidDispose(() => (closed = true));
    const editor = await api.requestPanels.restore(panel, state);
    assert.equal(closed, false, 'the request editor stays');
    assert.ok(editor);
    assert.equal(panel.title, `${title} (deleted)`);
    await waitFor('the page', () => editor.uiReady, 45_000);
    const [banner] = await ui({ selector: '.error-banner.held' }, [{ text: '.error-banner.held' }, { screenshot: 'gone-tabs-reloaded-away' }]);
    assert.match(String(banner), /is not in .* now \(deleted, moved, or not on this branch\)\. This tab shows it again if it comes back/);
    await git(root, 'checkout', '-q', home);
    await waitFor('the title as before', () => panel.title === title, 10_000);
    await waitFor('the request on the page, without the message', async () => {
      const [text, url] = await ui({ selector: 'header .name', text: gone.request.name }, [{ text: 'body' }, { value: '#url' }]);
      return !String(text).includes('not on this branch') && url === gone.request.url;
    }, 10_000);
    assert.equal(closed, false);
    assert.equal(await git(root, 'status', '--porcelain'), '');
  });

  it('an environment tab kept as "(deleted)" stays open through a Hammock edit of another collection in the same folder', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const dir = path.join(root, '.insomnia');
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
});
