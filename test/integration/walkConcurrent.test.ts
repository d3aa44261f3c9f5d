// A walk through the real page while another program changes the files under the user: Insomnia rewriting the whole
// file (another field, another request of the same v5 file, its own key order), the request deleted or its file
// renamed, a `git checkout` from a terminal, and a switch to another tab right after the typing. Typed at human speed
// through the UI driver; the files are checked as text afterwards (the diff against what the other program wrote).
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import * as YAML from 'yaml';
import type { HammockApi } from '../../src/extension';
import { activateHammock, gitAs, insomniaRewrite, keepWorkspace, lineDiff, openRequestEditor, openSubEnvironment, requestNamed as requestNamedIn, ui, waitFor, workspaceRoot } from './helpers';

const git = gitAs({ name: 'Walker', email: 'walker@example.com' });

describe('Walk: files changed by another program while the user types', function () {
  this.timeout(120_000);
  let api: HammockApi;

  /** the workspace as the walk found it (put back after). */
  let start: { back(): Promise<void> };

  before(async () => {
    api = await activateHammock();
    // prompts the suites before left on screen (see afterEach)
    await vscode.commands.executeCommand('notifications.clearAll');
    start = await keepWorkspace(git, api);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // a prompt of a test that ended (its held edit settled another way) stays on screen: a later test's click on a
    // button of the same words would land on it (seen in the full in-host run)
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async () => {
    // the workspace as the walk found it: the files (what was left uncommitted, uncommitted again), the branch
    await start.back();
  });

  const requestNamed = (name: string, format: 'legacy' | 'v5', file?: string) => requestNamedIn(api, name, format, file);

  const openEditor = async (name: string, format: 'legacy' | 'v5', inFile?: string) => {
    const { collection, request } = requestNamed(name, format, inFile);
    // (the workspace as a whole is put back after the walk)
    return openRequestEditor(api, collection, request, []);
  };

  /** Types at 60 ms a key; `outside` runs once the field shows `after` (mid-burst), or right after the last key (`'end'`: inside the debounce). */
  const typeWithOutside = async (frame: { selector: string; text?: string }, selector: string, text: string, after: string | 'end', outside: () => Promise<unknown>) => {
    await ui(frame, [{ click: selector }, { press: 'End' }]);
    if (after === 'end') {
      await ui(frame, [{ type: text, delayMs: 60 }]);
      await outside();
      return;
    }
    let typed = false;
    const typing = ui(frame, [{ type: text, delayMs: 60 }]).then(() => (typed = true));
    await waitFor(`the field to show ${after}`, async () => String((await ui(frame, [{ value: selector }]))[0]).includes(after), 10_000);
    assert.equal(typed, false, 'the outside write comes while the user is still typing');
    await outside();
    await typing;
  };

  /** waits for `probe` on the file's text; on a timeout, says what the file and the editor hold. */
  const fileShows = async (what: string, file: string, probe: (text: string) => boolean, editor?: { heldEdit?: { message: string } | undefined; busy: boolean }) => {
    try {
      await waitFor(what, async () => probe(await fsp.readFile(file, 'utf8').catch(() => '')), 8000);
    } catch (err) {
      const text = await fsp.readFile(file, 'utf8').catch((e: Error) => e.message);
      assert.fail(`${(err as Error).message}\nheld: ${editor?.heldEdit?.message}; busy: ${editor?.busy}\n${file}:\n${text}`);
    }
  };

  const RESTORE = '.notifications-toasts .monaco-button:has-text("Restore Request")';
  const restoreButton = { selector: '.notifications-toasts .monaco-button', text: 'Restore Request' };

  const settle = async (editor: { busy: boolean; heldEdit: unknown }) => waitFor('the editor to settle', () => !editor.busy || !!editor.heldEdit, 10_000);

  for (const when of ['mid-burst', 'end'] as const) {
    it(`legacy, ${when}: Insomnia rewrites the file with another header while the URL is typed: both kept, a minimal diff`, async () => {
      const { editor, file, frame } = await openEditor(when === 'end' ? 'Create new transaction' : 'Update a transaction', 'legacy');
      const [initial] = await ui(frame, [{ value: '#url' }]);
      let theirs = '';
      await typeWithOutside(frame, '#url', '/typed-legacy', when === 'end' ? 'end' : '/ty', async () => {
        theirs = await insomniaRewrite(file, (doc) => {
          doc.headers = [...((doc.headers as unknown[]) ?? []), { name: 'X-From-Insomnia', value: '1' }];
        });
      });
      await settle(editor);
      await waitFor('the typed URL in the file', async () => (await fsp.readFile(file, 'utf8')).includes('/typed-legacy"'), 8000);
      assert.equal(editor.heldEdit, undefined);
      const mine = await fsp.readFile(file, 'utf8');
      const d = lineDiff(theirs, mine);
      assert.deepEqual(d.removed.filter((l) => !/^(url|modified): /.test(l)), [], `only the URL (and modified) changed: ${JSON.stringify(d)}`);
      assert.deepEqual(d.added.filter((l) => !/^(url|modified): /.test(l)), [], `only the URL (and modified) changed: ${JSON.stringify(d)}`);
      const [url, , header] = await ui(frame, [{ value: '#url' }, { click: '.tab:has-text("Headers")' }, { value: '[data-key="headers:1:name"]' }, { screenshot: `walk-legacy-${when}-other-field` }]);
      assert.equal(url, `${String(initial)}/typed-legacy`);
      assert.equal(header, 'X-From-Insomnia');
    });

    it(`v5, ${when}: Insomnia rewrites the file with another request changed while the URL is typed: both kept, a minimal diff`, async () => {
      const { editor, file, frame } = await openEditor('get request', 'v5', '11_4_curry.yaml');
      const [initial] = await ui(frame, [{ value: '#url' }]);
      let theirs = '';
      const suffix = when === 'end' ? '/typed-v5-end' : '/typed-v5';
      await typeWithOutside(frame, '#url', suffix, when === 'end' ? 'end' : '/ty', async () => {
        theirs = await insomniaRewrite(file, (doc) => {
          const folder = (doc.collection as Record<string, unknown>[])[0];
          const post = (folder.children as Record<string, unknown>[])[0];
          post.url = `httpbin.org/post-from-insomnia-${when}`;
          if (when === 'end') {
            // and a header of the request being typed in
            const get = (doc.collection as Record<string, unknown>[])[1];
            (get.headers as Record<string, unknown>[]).push({ name: 'X-From-Insomnia', value: '2' });
          }
        });
      });
      await settle(editor);
      // (its URL has a query: what is typed at the end goes into the last parameter's value)
      await fileShows('the typed URL in the file', file, (t) => t.includes(`${suffix}\n`), editor);
      assert.equal(editor.heldEdit, undefined);
      const mine = await fsp.readFile(file, 'utf8');
      const d = lineDiff(theirs, mine);
      assert.deepEqual(d.removed.filter((l) => !/^\s*(- )?(url|value|modified): /.test(l)), [], `only the URL (and modified) changed: ${JSON.stringify(d)}`);
      assert.deepEqual(d.added.filter((l) => !/^\s*(- )?(url|value|modified): /.test(l)), [], `only the URL (and modified) changed: ${JSON.stringify(d)}`);
      assert.match(mine, new RegExp(`url: httpbin.org/post-from-insomnia-${when}\n`));
      const [url] = await ui(frame, [{ value: '#url' }, { screenshot: `walk-v5-${when}-other-request` }]);
      assert.equal(url, `${String(initial)}${suffix}`);
      if (when === 'end') {
        const [, header] = await ui(frame, [{ click: '.tab:has-text("Headers")' }, { value: '[data-key="headers:1:name"]' }]);
        assert.equal(header, 'X-From-Insomnia');
      }
    });
  }

  it('v5: another program rewrites the whole file in its own key order and indentation while the URL is typed: its text kept, the URL line changed', async () => {
    const { editor, file, frame } = await openEditor('New Request', 'v5', 'my_collection.yaml');
    let theirs = '';
    await typeWithOutside(frame, '#url', '/typed-reordered', '/ty', async () => {
      const doc = YAML.parse(await fsp.readFile(file, 'utf8')) as Record<string, unknown>;
      // the file's head as Insomnia keeps it (`type` first: what makes it an Insomnia file), the requests' keys in
      // another order, four spaces a level
      const reorder = (v: unknown): unknown =>
        Array.isArray(v) ? v.map(reorder) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reorder(x)])) : v;
      doc.collection = reorder(doc.collection);
      theirs = YAML.stringify(doc, { indent: 4, indentSeq: true });
      await fsp.writeFile(file, theirs);
    });
    await settle(editor);
    await fileShows('the typed URL in the file', file, (t) => t.includes('url: /typed-reordered\n'), editor);
    assert.equal(editor.heldEdit, undefined);
    const d = lineDiff(theirs, await fsp.readFile(file, 'utf8'));
    assert.deepEqual([...d.removed, ...d.added].filter((l) => !/^\s*(- )?(url|modified): /.test(l)), [], `only the URL (and modified) changed: ${JSON.stringify(d)}`);
    await ui(frame, [{ screenshot: 'walk-v5-reordered' }]);
  });

  it('v5: Insomnia changes the URL being typed: held, the file keeps its URL, the banner says what the file has', async () => {
    const { editor, file, frame } = await openEditor('New Request', 'v5', '11_6_2.yaml');
    let theirs = '';
    await typeWithOutside(frame, '#url', '/mine-typed', '/mi', async () => {
      theirs = await insomniaRewrite(file, (doc) => {
        (doc.collection as Record<string, unknown>[])[0].url = 'https://httpbin.org/from-insomnia';
      });
    });
    await waitFor('the edit held', () => editor.heldEdit, 8000);
    assert.equal(await fsp.readFile(file, 'utf8'), theirs, 'nothing written over the file');
    const [shown, banner] = await ui(frame, [{ value: '#url' }, { value: '.error-banner' }, { screenshot: 'walk-v5-same-field' }]);
    assert.equal(shown, 'https://httpbin.org/anything/mine-typed');
    assert.match(String(banner), /the file has "https:\/\/httpbin.org\/from-insomnia"/);
    await editor.resolveHeld('mine');
    assert.match(await fsp.readFile(file, 'utf8'), /url: https:\/\/httpbin.org\/anything\/mine-typed\n/);
  });

  it('v5: the request is deleted from the file while its URL is typed: the editor keeps the text and says so; nothing is written', async () => {
    const { editor, file, frame, state } = await openEditor('New Disabled Header', 'v5', '11_6_2.yaml');
    let theirs = '';
    await typeWithOutside(frame, '#url', '/gone-typed', '/go', async () => {
      theirs = await insomniaRewrite(file, (doc) => {
        doc.collection = (doc.collection as Record<string, unknown>[]).filter((r) => r.name !== 'New Disabled Header');
      });
    });
    await waitFor('the edit held', () => editor.heldEdit, 8000);
    assert.equal(api.requestPanels.editor(state), editor, 'the editor is still open');
    assert.equal(editor.heldEdit?.reason, 'gone');
    assert.equal(await fsp.readFile(file, 'utf8'), theirs, 'nothing written');
    const [shown, banner] = await ui(frame, [{ value: '#url' }, { value: '.error-banner' }, { screenshot: 'walk-v5-request-deleted' }]);
    assert.match(String(shown), /\/gone-typed$/);
    assert.match(String(banner), / is not in .* now \(deleted, moved, or not on this branch\)\. .*"Restore Request" puts it back with what you typed/);
    // the user puts it back: the editor follows the restored request, and what is typed next goes there too
    await ui(restoreButton, [{ click: RESTORE }]);
    await waitFor('the request back in the file', async () => (await fsp.readFile(file, 'utf8')).includes('url: https://httpbin.org/anything/gone-typed\n'), 8000);
    assert.equal(editor.heldEdit, undefined);
    assert.notEqual(editor.state.requestId, state.requestId, 'a new request (the old id is gone with the file\'s request)');
    assert.doesNotMatch(editor.panel.title, /deleted|not saved/);
    const restored = requestNamed('New Disabled Header', 'v5', '11_6_2.yaml').request;
    assert.equal(restored.id, editor.state.requestId);
    assert.equal(restored.headers.length, 4, 'its headers as the editor showed them');
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '-more', delayMs: 40 }]);
    await fileShows('the next keys in the restored request', file, (t) => t.includes('url: https://httpbin.org/anything/gone-typed-more\n'), editor);
    await ui(frame, [{ screenshot: 'walk-v5-request-restored' }]);
  });

  it('legacy: the request\'s file is deleted while its URL is typed, and the tab closed: "Restore Request" puts it back with the typing', async () => {
    const { editor, file, frame, state } = await openEditor('Create new transaction', 'legacy');
    const folder = path.dirname(file);
    const before = new Set(await fsp.readdir(folder));
    await typeWithOutside(frame, '#url', '/deleted-typed', '/de', () => fsp.rm(file));
    await waitFor('the edit held', () => editor.heldEdit, 8000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('the editor closed', () => !api.requestPanels.editor(state), 8000);
    await ui(restoreButton, [{ screenshot: 'walk-legacy-deleted-closed' }, { click: RESTORE }]);
    const added = await waitFor('a request file back', async () => {
      const files = (await fsp.readdir(folder)).filter((f) => !before.has(f));
      return files.length > 0 && files;
    }, 8000);
    assert.equal(added.length, 1);
    const text = await fsp.readFile(path.join(folder, added[0]), 'utf8');
    assert.match(text, /^url: "\{\{ _\.base_url \}\}\/transactions.*\/deleted-typed"$/m);
    assert.match(text, /^name: Create new transaction$/m);
    assert.match(text, /"subject": "Invoice #42-08\/15"/, 'its body as the editor showed it');
    assert.equal(api.requestPanels.editor(state), undefined, 'the closed editor stays closed');
  });

  it('v5: the file is renamed while its URL is typed: the editor follows, the typing lands in the renamed file, the old name stays gone', async () => {
    const { editor, file, frame } = await openEditor('pavlos', 'v5', '12_1_0.yaml');
    const renamed = path.join(path.dirname(file), '12_1_0-renamed.yaml');
    await typeWithOutside(frame, '#url', '/moved-typed', '/mo', () => fsp.rename(file, renamed));
    await fileShows('the typed URL in the renamed file', renamed, (t) => t.includes('value: bar3/moved-typed\n'), editor);
    assert.equal(editor.heldEdit, undefined);
    await assert.rejects(fsp.stat(file), 'the old file is not written again');
    await ui(frame, [{ screenshot: 'walk-v5-file-renamed' }]);
  });

  it('git checkout from a terminal while the URL is typed: the working tree is the other branch plus what is shown', async () => {
    const root = workspaceRoot();
    const { editor, file, frame } = await openEditor('Cancel a transaction', 'legacy');
    const start = await git(root, 'rev-parse', '--abbrev-ref', 'HEAD');
    await git(root, 'add', '-A');
    await git(root, 'commit', '-q', '-m', 'walk: before the checkout', '--allow-empty');
    await git(root, 'checkout', '-q', '-b', 'walk-other');
    const other = (await fsp.readFile(file, 'utf8')).replace(/^description: .*$/m, 'description: on the other branch');
    await fsp.writeFile(file, other);
    await git(root, 'commit', '-q', '-am', 'walk: the other branch');
    await git(root, 'checkout', '-q', start);
    await waitFor('the store to see the branch again', () => !/other branch/.test(requestNamed('Cancel a transaction', 'legacy').request.description), 8000);
    await typeWithOutside(frame, '#url', '/typed-before-checkout', '/ty', () => git(root, 'checkout', '-q', 'walk-other'));
    try {
      await waitFor('the edit held', () => editor.heldEdit, 8000);
      assert.equal(await git(root, 'status', '--porcelain'), '', 'the working tree is the other branch, as git left it');
      assert.equal(await fsp.readFile(file, 'utf8'), other, "the file is the other branch's");
      const [shown, banner] = await ui(frame, [{ value: '#url' }, { value: '.error-banner' }, { screenshot: 'walk-terminal-checkout' }]);
      assert.match(String(shown), /\/typed-before-checkout$/, 'the editor still shows what was typed');
      assert.match(String(banner), new RegExp(`Not saved: the branch changed from ${start} to walk-other \\(a checkout\\) while you were editing "Cancel a transaction"`));
      // the user keeps typing, then takes the file's version
      await ui(frame, [{ type: '-more', delayMs: 40 }]);
      await ui({ selector: '.notifications-toasts .monaco-button', text: "Use the File's" }, [{ click: `.notifications-toasts .monaco-button:has-text("Use the File's")` }]);
      // (the URL as the other branch's file has it: the suites before this one may have changed it)
      const fileUrl = /^url: "?(.*?)"?$/m.exec(other)?.[1];
      assert.ok(fileUrl, "the file's URL");
      await waitFor("the field to show the file's URL", async () => {
        const [shownNow] = await ui(frame, [{ value: '#url' }]);
        return String(shownNow).startsWith(fileUrl) && !String(shownNow).includes('typed-before-checkout');
      }, 8000);
      assert.equal(await git(root, 'status', '--porcelain'), '');
    } finally {
      await git(root, 'checkout', '-q', '-f', start);
      await git(root, 'branch', '-q', '-D', 'walk-other');
    }
  });

  it('v5: git checkout from a terminal while the URL is typed: held; "Overwrite with Mine" writes it onto the other branch\'s file', async () => {
    const root = workspaceRoot();
    const { editor, file, frame } = await openEditor('New Request', 'v5', '11_6_2.yaml');
    const start = await git(root, 'rev-parse', '--abbrev-ref', 'HEAD');
    await git(root, 'add', '-A');
    await git(root, 'commit', '-q', '-m', 'walk: before the checkout', '--allow-empty');
    await git(root, 'checkout', '-q', '-b', 'walk-v5-other');
    const other = (await fsp.readFile(file, 'utf8')).replace('name: New Socket.IO Request', 'name: Socket.IO on the other branch');
    await fsp.writeFile(file, other);
    await git(root, 'commit', '-q', '-am', 'walk: the other branch');
    await git(root, 'checkout', '-q', start);
    try {
      await typeWithOutside(frame, '#url', '/typed-before-checkout', '/ty', () => git(root, 'checkout', '-q', 'walk-v5-other'));
      await waitFor('the edit held', () => editor.heldEdit, 8000);
      assert.equal(await git(root, 'status', '--porcelain'), '', 'the working tree is the other branch, as git left it');
      assert.equal(await fsp.readFile(file, 'utf8'), other);
      const [shown, banner] = await ui(frame, [{ value: '#url' }, { value: '.error-banner' }, { screenshot: 'walk-v5-terminal-checkout' }]);
      assert.match(String(shown), /\/typed-before-checkout$/);
      assert.match(String(banner), new RegExp(`the branch changed from ${start} to walk-v5-other`));
      await ui({ selector: '.notifications-toasts .monaco-button', text: 'Overwrite with Mine' }, [{ click: '.notifications-toasts .monaco-button:has-text("Overwrite with Mine")' }]);
      await fileShows('the typed URL on the other branch', file, (t) => /url: https:\/\/httpbin.org\/\S*\/typed-before-checkout\n/.test(t), editor);
      const d = lineDiff(other, await fsp.readFile(file, 'utf8'));
      assert.deepEqual([...d.removed, ...d.added].filter((l) => !/^\s*(- )?(url|modified): /.test(l)), [], `only the URL (and modified) changed: ${JSON.stringify(d)}`);
      assert.match(await fsp.readFile(file, 'utf8'), /name: Socket.IO on the other branch/);
    } finally {
      await git(root, 'checkout', '-q', '-f', start);
      await git(root, 'branch', '-q', '-D', 'walk-v5-other');
    }
  });

  it('git checkout from a terminal while a variable is typed in the environment editor: held, the working tree is the other branch', async () => {
    const root = workspaceRoot();
    const c = api.store.collections.find((x) => x.path === path.join(root, '.insomnia'));
    assert.ok(c?.baseEnvironment);
    const SUB = 'env_038c957f9f1749c8bc57927d9655f4b4'; // "OpenAPI env localhost:3000": scheme, base_path, host, ...
    const file = path.join(root, '.insomnia', 'Environment', `${SUB}.yml`);
    const start = await git(root, 'rev-parse', '--abbrev-ref', 'HEAD');
    await git(root, 'add', '-A');
    await git(root, 'commit', '-q', '-m', 'walk: before the checkout', '--allow-empty');
    await git(root, 'checkout', '-q', '-b', 'walk-env-other');
    const other = (await fsp.readFile(file, 'utf8')).replace(/^ {2}host: .*$/m, '  host: other-branch:3000');
    await fsp.writeFile(file, other);
    await git(root, 'commit', '-q', '-am', 'walk: the other branch');
    await git(root, 'checkout', '-q', start);
    try {
      const editor = await openSubEnvironment(api, c, SUB);
      const frame = { selector: '.env-list' };
      await typeWithOutside(frame, 'input[data-key="var:0:value"]', '-typed-before-checkout', '-ty', () => git(root, 'checkout', '-q', 'walk-env-other'));
      await waitFor('the edit held', () => editor.heldEdit, 8000);
      assert.match(editor.heldEdit!.message, new RegExp(`the branch changed from ${start} to walk-env-other`));
      assert.equal(await git(root, 'status', '--porcelain'), '', 'the working tree is the other branch, as git left it');
      assert.equal(await fsp.readFile(file, 'utf8'), other);
      const [shown] = await ui(frame, [{ value: 'input[data-key="var:0:value"]' }, { screenshot: 'walk-env-terminal-checkout' }]);
      assert.match(String(shown), /-typed-before-checkout$/);
      await editor.resolveHeld('mine');
      // the variables as the editor shows them (it showed main's host while the edit was held)
      assert.match(await fsp.readFile(file, 'utf8'), /^ {2}scheme: .*-typed-before-checkout$/m, 'Overwrite with Mine writes what the editor shows');
    } finally {
      await git(root, 'checkout', '-q', '-f', start);
      await git(root, 'branch', '-q', '-D', 'walk-env-other');
    }
  });

  it('typed, then Ctrl+Tab to another editor at once: the text is saved, and there when coming back', async () => {
    const a = await openEditor('List all transactions', 'legacy');
    // legacy first: typed, then at once to the terminal
    await ui(a.frame, [{ click: '#url' }, { press: 'End' }, { type: '/legacy-switch', delayMs: 40 }]);
    await vscode.commands.executeCommand('workbench.action.terminal.focus');
    await fileShows('the typed URL in the legacy file', a.file, (t) => t.includes('/legacy-switch"\n'), a.editor);
    const b = await openEditor('get request', 'v5', '11_4_curry.yaml');
    await ui(b.frame, [{ click: '#url' }, { press: 'End' }, { type: '/switch-typed', delayMs: 40 }, { press: 'Control+Tab' }]);
    await waitFor('the typed URL in the file', async () => (await fsp.readFile(b.file, 'utf8')).includes('/switch-typed\n'), 8000);
    const away = await waitFor('another editor active', () => {
      const label = vscode.window.tabGroups.activeTabGroup.activeTab?.label;
      return label !== b.editor.panel.title && label;
    }, 8000);
    assert.equal(away, a.editor.panel.title, 'Ctrl+Tab went to the editor used before');
    await ui({ selector: '.monaco-workbench' }, [{ screenshot: 'walk-ctrl-tab-away' }]);
    await vscode.commands.executeCommand('hammock.openRequest', b.state);
    await waitFor('the page back', () => b.editor.uiReady, 20_000);
    const [url] = await ui(b.frame, [{ value: '#url' }, { screenshot: 'walk-ctrl-tab-back' }]);
    assert.match(String(url), /\/switch-typed$/);
    await ui(b.frame, [{ click: '#url' }, { press: 'End' }, { type: '-term', delayMs: 40 }]);
    await vscode.commands.executeCommand('workbench.action.terminal.focus');
    await waitFor('the typed URL in the file', async () => (await fsp.readFile(b.file, 'utf8')).includes('/switch-typed-term\n'), 8000);
  });
});
