// A person with two request editors and an environment editor open switches to a branch where one request is not, the
// other has another URL and the v5 collection is not, then back: with Hammock's checkout and with `git checkout` from
// a terminal. The tabs stay, titled "(deleted)" while what they show is away, say so on the page, and show the files'
// text again once back; Send while away says so and sends nothing; with nothing typed, git finds nothing changed. A
// request or environment tab hidden at the checkout shows what it edits and the message once shown; after a window
// reload on the other branch the request and environment tabs come back the same way.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Collection, HttpRequest } from '../../src/collections/model';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import { editorTitle } from '../../src/webviews/editorTitle';
import { activateHammock, gitAs, ui, waitFor, workspaceRoot } from './helpers';

const git = gitAs({ name: 'Walker', email: 'walker@hammock.invalid' });
const AWAY = 'walk-branches-away';

describe('Editors open across a branch switch', function () {
  this.timeout(240_000);
  let api: HammockApi;
  let root: string;
  let home: string;
  let scratch: string;

  before(async () => {
    api = await activateHammock();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    root = workspaceRoot();
    home = await git(root, 'rev-parse', '--abbrev-ref', 'HEAD');
    scratch = await fsp.mkdtemp(path.join(path.dirname(root), 'walk-branches-'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if ((await git(root, 'rev-parse', '--abbrev-ref', 'HEAD')) !== home) await git(root, 'checkout', '-q', home);
    await git(root, 'worktree', 'remove', '--force', path.join(scratch, 'away')).catch(() => undefined);
    await git(root, 'branch', '-D', AWAY).catch(() => undefined);
    await fsp.rm(scratch, { recursive: true, force: true });
  });

  const legacyRequests = (): { collection: Collection; request: HttpRequest }[] => {
    const out: { collection: Collection; request: HttpRequest }[] = [];
    for (const collection of api.store.collections) {
      if (collection.format !== 'legacy' || collection.path !== path.join(root, '.insomnia')) continue;
      for (const item of walkItems(collection.children)) if (item.kind === 'request' && !out.some((o) => o.request.name === item.name)) out.push({ collection, request: item });
    }
    return out;
  };

  /** Opens the editor of a request and waits for its page. */
  const open = async (r: { collection: Collection; request: HttpRequest }) => {
    const state = { collectionPath: r.collection.path, requestId: r.request.id };
    await vscode.commands.executeCommand('hammock.openRequest', state);
    const editor = api.requestPanels.editor(state);
    assert.ok(editor);
    await waitFor('the request page', () => editor.uiReady, 45_000);
    return { editor, state, title: editor.panel.title, frame: { selector: 'header .name', text: r.request.name } };
  };

  it('two request editors and an environment editor: Hammock\'s checkout and `git checkout` away and back', async () => {
    await api.store.whenComplete();
    const [gone, changed] = legacyRequests();
    assert.ok(gone && changed && gone.request.name !== changed.request.name);
    const v5 = api.store.collections.find((c) => c.format === 'v5' && c.baseEnvironment && c.path.startsWith(root));
    assert.ok(v5);
    const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');
    const changedUrl = `${changed.request.url.replace(/\/$/, '')}/on-the-other-branch`;

    // the other branch, made beside the working tree (nothing here changes until the checkout)
    const away = path.join(scratch, 'away');
    await git(root, 'worktree', 'add', '-q', '-b', AWAY, away);
    await git(away, 'rm', '-q', rel(gone.request.source.file), rel(v5.path));
    const changedFile = path.join(away, rel(changed.request.source.file));
    const text = await fsp.readFile(changedFile, 'utf8');
    assert.match(text, /^url: .*$/m);
    await fsp.writeFile(changedFile, text.replace(/^url: .*$/m, `url: ${JSON.stringify(changedUrl)}`));
    await git(away, 'commit', '-q', '-am', 'the other branch');
    await git(root, 'worktree', 'remove', away);

    // the editors
    const a = await open(gone);
    const b = await open(changed);
    await vscode.commands.executeCommand('hammock.editEnvironment', { type: 'envCollection', collection: v5 });
    const envState = { collectionPath: v5.path, collectionId: v5.id, environmentId: v5.baseEnvironment!.id };
    const env = api.environmentPanels.editor(envState);
    assert.ok(env);
    await waitFor('the environment page', () => env.uiReady, 45_000);
    const envTitle = env.panel.title;
    const envFrame = { selector: '.env-list' };
    const closed = new Set<string>();
    a.editor.panel.onDidDispose(() => closed.add('a'));
    b.editor.panel.onDidDispose(() => closed.add('b'));
    env.panel.onDidDispose(() => closed.add('env'));

    // the one tab shown at a time (the three share a group): shown, then acted on
    const on = async (panel: vscode.WebviewPanel, frame: { selector: string; text?: string }, steps: Parameters<typeof ui>[1]) => {
      panel.reveal();
      await waitFor('the tab shown', () => panel.visible, 5000);
      return ui(frame, steps);
    };
    const checkAway = async (how: string) => {
      await waitFor(`${how}: the request editor titled deleted`, () => closed.size || a.editor.panel.title.endsWith(' (deleted)'), 10_000);
      await waitFor(`${how}: the environment editor titled deleted`, () => closed.size || env.panel.title.endsWith(' (deleted)'), 10_000);
      assert.deepEqual([...closed], [], `${how}: the editors stay open`);
      const [banner] = await on(a.editor.panel, a.frame, [{ text: '.error-banner.held' }, { screenshot: `walk-branches-${how}-request-away` }]);
      assert.match(String(banner), /is not in .* now \(deleted, moved, or not on this branch\)/);
      await waitFor(`${how}: the other branch's URL on the page`, async () => (await on(b.editor.panel, b.frame, [{ value: '#url' }]))[0] === changedUrl, 10_000);
      const [envBanner] = await on(env.panel, envFrame, [{ text: '.error-banner.held' }, { screenshot: `walk-branches-${how}-environment-away` }]);
      assert.match(String(envBanner), /is not .* now \(deleted, moved, or not on this branch\)\. This tab shows it again if it comes back/);
      // Send while it is away: said, nothing sent
      const viewerBefore = api.requestPanels.viewer.isOpen;
      await on(a.editor.panel, a.frame, [{ click: '#send' }]);
      const said = await waitFor(`${how}: a word about the send`, async () => {
        const texts = String((await on(a.editor.panel, a.frame, [{ text: 'body' }]))[0]);
        return /Not sent: .* is not in .* now/.test(texts) && texts;
      }, 10_000);
      assert.doesNotMatch(said, /No HTTP request/);
      assert.equal(api.requestPanels.viewer.isOpen, viewerBefore, 'nothing was sent');
    };
    const checkBack = async (how: string) => {
      await waitFor(`${how}: the request editor's title back`, () => a.editor.panel.title === a.title, 10_000);
      await waitFor(`${how}: the environment editor's title back`, () => env.panel.title === envTitle, 10_000);
      assert.deepEqual([...closed], []);
      await waitFor(`${how}: the request page without the message`, async () => !String((await on(a.editor.panel, a.frame, [{ text: 'body' }]))[0]).includes('not on this branch'), 10_000);
      await waitFor(`${how}: the environment page without the message`, async () => !String((await on(env.panel, envFrame, [{ text: 'body' }]))[0]).includes('not on this branch'), 10_000);
      assert.equal((await on(a.editor.panel, a.frame, [{ value: '#url' }]))[0], gone.request.url);
      await waitFor(`${how}: the URL back`, async () => (await on(b.editor.panel, b.frame, [{ value: '#url' }]))[0] === changed.request.url, 10_000);
      assert.equal(await git(root, 'status', '--porcelain'), '', `${how}: nothing changed`);
    };

    await vscode.commands.executeCommand('hammock.checkoutBranch', root, AWAY);
    assert.equal(await git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), AWAY);
    await checkAway('hammock');
    await vscode.commands.executeCommand('hammock.checkoutBranch', root, home);
    await checkBack('hammock');

    // (the request's tab shown as the branch changes under it; the Hammock round above had it hidden)
    await on(a.editor.panel, a.frame, [{ value: '#url' }]);
    await git(root, 'checkout', '-q', AWAY);
    await checkAway('cli');
    await git(root, 'checkout', '-q', home);
    await checkBack('cli');
    await on(env.panel, envFrame, [{ screenshot: 'walk-branches-environment-back' }]);
  });

  /**
   * A tab (`editor`) hidden behind another while `git checkout` from a terminal takes what it edits away: its page is
   * gone (no retainContextWhenHidden), so the host does not take it for ready (nothing to post to); shown, the page is
   * loaded again and shows what it edits (`shows`) under the message; back on the branch, without the message.
   */
  const hiddenAway = async (editor: { panel: vscode.WebviewPanel; readonly uiReady: boolean }, frame: { selector: string; text?: string }, shows: () => Promise<void>, shot: string) => {
    const title = editor.panel.title;
    const [other] = legacyRequests().filter((r) => r.request.name !== frame.text);
    const { editor: b } = await open(other);
    await waitFor('the other tab in front', () => b.panel.visible && !editor.panel.visible, 5000);
    await waitFor('the hidden page not taken for ready', () => !editor.uiReady, 5000);
    await git(root, 'checkout', '-q', AWAY);
    await waitFor('the hidden tab titled deleted', () => editor.panel.title.endsWith(' (deleted)'), 10_000);
    editor.panel.reveal();
    await waitFor('the tab shown', () => editor.panel.visible, 5000);
    await waitFor('the page loaded again', () => editor.uiReady, 45_000);
    await shows();
    const [banner] = await ui(frame, [{ text: '.error-banner.held' }, { screenshot: shot }]);
    assert.match(String(banner), /is not in .* now \(deleted, moved, or not on this branch\)\. This tab shows it again if it comes back/);
    await git(root, 'checkout', '-q', home);
    await waitFor('the title as before', () => editor.panel.title === title, 10_000);
    await waitFor('the page without the message', async () => !String((await ui(frame, [{ text: 'body' }]))[0]).includes('not on this branch'), 10_000);
  };

  it('a request tab hidden while `git checkout` from a terminal takes its request away: shown, the page is loaded again and shows the request and the message', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const [gone] = legacyRequests();
    assert.ok(gone);
    const { editor: a, frame } = await open(gone);
    await ui(frame, [{ value: '#url' }]);
    await hiddenAway(a, frame, async () => {
      const [name, url] = await ui(frame, [{ text: 'header .name' }, { value: '#url' }]);
      assert.equal(name, gone.request.name);
      assert.equal(url, gone.request.url);
    }, 'walk-branches-hidden-shown');
  });

  it('an environment tab hidden while `git checkout` from a terminal takes its collection away: shown, the page is loaded again and shows the environments and the message', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const v5 = api.store.collections.find((c) => c.format === 'v5' && c.baseEnvironment && c.path.startsWith(root));
    assert.ok(v5);
    await vscode.commands.executeCommand('hammock.editEnvironment', { type: 'envCollection', collection: v5 });
    const env = api.environmentPanels.editor({ collectionPath: v5.path, collectionId: v5.id, environmentId: v5.baseEnvironment!.id });
    assert.ok(env);
    await waitFor('the environment page', () => env.uiReady, 45_000);
    const frame = { selector: '.env-list' };
    // (before the fix: the hidden page was taken for ready, and what the host posted went nowhere)
    await hiddenAway(env, frame, async () => {
      const [list] = await ui(frame, [{ text: '.env-list' }]);
      assert.match(String(list), new RegExp(v5.baseEnvironment!.name));
    }, 'walk-branches-hidden-environment-shown');
  });

  /**
   * As VS Code brings a panel back after Developer: Reload Window while on the other branch, with the title and state it
   * had (`restore`): it stays, titled "(deleted)", says so, and shows what it edits once back (`back`).
   */
  const reloadedAway = async (viewType: string, title: string, gone: () => boolean, restore: (panel: vscode.WebviewPanel) => Promise<{ uiReady: boolean } | undefined>, back: () => Promise<boolean>, frame: { selector: string; text?: string }, shot: string) => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await git(root, 'checkout', '-q', AWAY);
    await waitFor('what it edits gone from the store', gone, 10_000);
    const panel = vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.One);
    let closed = false;
    panel.onDidDispose(() => (closed = true));
    const editor = await restore(panel);
    assert.equal(closed, false, 'the editor stays');
    assert.ok(editor);
    assert.equal(panel.title, `${title} (deleted)`);
    await waitFor('the page', () => editor.uiReady, 45_000);
    const [banner] = await ui({ selector: '.error-banner.held' }, [{ text: '.error-banner.held' }, { screenshot: `${shot}-away` }]);
    assert.match(String(banner), /is not in .* now \(deleted, moved, or not on this branch\)\. This tab shows it again if it comes back/);
    await git(root, 'checkout', '-q', home);
    await waitFor('the title as before', () => panel.title === title, 10_000);
    await waitFor('what it edits on the page, without the message', back, 10_000);
    await ui(frame, [{ screenshot: `${shot}-back` }]);
    assert.equal(closed, false);
    assert.equal(await git(root, 'status', '--porcelain'), '');
  };

  it('after a window reload on the other branch: the environment editor of a collection not there stays, titled "(deleted)", and shows it once back', async () => {
    const v5 = api.store.collections.find((c) => c.format === 'v5' && c.baseEnvironment && c.path.startsWith(root));
    assert.ok(v5);
    const envState = { collectionPath: v5.path, collectionId: v5.id, environmentId: v5.baseEnvironment!.id };
    await reloadedAway('hammock.environmentEditor', `Environments · ${v5.name}`, () => !api.store.collectionAt(v5.path, v5.id), (panel) => api.environmentPanels.restore(panel, envState), async () => {
      const text = String((await ui({ selector: '.env-list' }, [{ text: 'body' }]))[0]);
      return !text.includes('not on this branch') && text.includes(v5.baseEnvironment!.name);
    }, { selector: '.env-list' }, 'walk-branches-reloaded');
  });

  it('after a window reload on the other branch: the request editor of a request not there stays, titled "(deleted)", and shows it once back', async () => {
    const [gone] = legacyRequests();
    assert.ok(gone);
    const state = { collectionPath: gone.collection.path, requestId: gone.request.id };
    await reloadedAway('hammock.requestEditor', editorTitle(gone.request.method, gone.request.name), () => !api.requestPanels.find(state), (panel) => api.requestPanels.restore(panel, state), async () => {
      const [text, url] = await ui({ selector: 'header .name', text: gone.request.name }, [{ text: 'body' }, { value: '#url' }]);
      return !String(text).includes('not on this branch') && url === gone.request.url;
    }, { selector: 'header .name', text: gone.request.name }, 'walk-branches-reloaded-request');
  });
});
