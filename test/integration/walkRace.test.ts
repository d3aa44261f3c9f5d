// A walk through the real page racing Hammock's own git: keys typed into the request editor's URL field at human
// speed, and at once (inside the save debounce) Hammock's Switch Branch or Pull; then an environment editor whose
// collection (or sub-environment, or folder) a `git checkout` from a terminal takes away, typed into while it is
// away. The git CLI says what the working tree, the index and the branches hold afterwards; Insomnia's reader
// checks the files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { activateHammock, gitAs, keepWorkspace, listing, openSubEnvironment, recordErrorMessages, ui, urlOf, urlTyping, waitFor, workspaceRoot } from './helpers';

const git = gitAs({ name: 'Walker', email: 'walker@example.com' });
const REQUEST_ID = 'req_54ba01ebd50e410ea1a79f8003485156'; // PUT Update a transaction
const REL = `.insomnia/Request/${REQUEST_ID}.yml`;
const SUB = 'env_038c957f9f1749c8bc57927d9655f4b4'; // "OpenAPI env localhost:3000"
const SUB_REL = `.insomnia/Environment/${SUB}.yml`;

describe('Walk: typing raced by Hammock\'s own git, and environments taken away by a checkout', function () {
  this.timeout(120_000);
  let api: HammockApi;
  let root: string;
  let file: string;
  let scratch: string;
  let start: { readonly branch: string; back(): Promise<void> };

  before(async () => {
    api = await activateHammock();
    await api.sync.ready;
    await vscode.commands.executeCommand('notifications.clearAll');
    root = workspaceRoot();
    file = path.join(root, REL);
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-walk-race-')));
    start = await keepWorkspace(git, api);
    const repo = await waitFor('the repository', () => api.sync.getRepository(root), 10_000);
    if (!(await repo.repository.author())) repo.repository.useSessionAuthor({ name: 'Walker', email: 'walker@example.com' });
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // a test that failed half-way leaves the next one on the branch it started on
    if ((await git(root, 'rev-parse', '--abbrev-ref', 'HEAD')) !== start.branch) await git(root, 'checkout', '-q', '-f', start.branch);
    if (await git(root, 'status', '--porcelain')) {
      await git(root, 'reset', '-q', '--hard');
      await git(root, 'clean', '-q', '-fd');
      await api.store.reload();
    }
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async () => {
    await start.back();
    for (const b of (await git(root, 'branch', '--format=%(refname:short)')).split('\n')) if (b.startsWith('race-')) await git(root, 'branch', '-q', '-D', b);
    await git(root, 'remote', 'remove', 'race').catch(() => undefined);
    await fsp.rm(scratch, { recursive: true, force: true });
  });

  const { urlInStore, openEditor, typeAtEnd } = urlTyping(() => api, () => path.join(root, '.insomnia'), REQUEST_ID, 'Update a transaction');


  const checks = async (dir: string) => {
    await git(dir, 'fsck', '--strict', '--no-progress', '--no-dangling');
    const cli = path.join(process.env.HAMMOCK_PROJECT_ROOT!, 'dist', 'cli.js');
    const { execFile } = await import('node:child_process');
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [cli, 'check', dir, '--insomnia'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout))),
    );
    return out;
  };

  /** what git says is changed: unstaged, then staged. */
  const changed = async () => `unstaged ${await git(root, 'diff', '--name-only')}; staged ${await git(root, 'diff', '--cached', '--name-only')}`;

  /** a branch `name` from HEAD, with `change` committed on it (made in a worktree beside: nothing here changes). */
  const branchWith = async (name: string, change: (dir: string) => Promise<void>) => {
    const away = path.join(scratch, name);
    await git(root, 'worktree', 'add', '-q', '-b', name, away);
    await change(away);
    await git(away, 'add', '-A');
    await git(away, 'commit', '-q', '-m', `walk: ${name}`);
    await git(root, 'worktree', 'remove', '--force', away);
  };

  it('typed, then Switch Branch at once to a branch where the file is the same: the typing carried as a change, as git carries a dirty file', async () => {
    await branchWith('race-same', (dir) => fsp.writeFile(path.join(dir, 'other.txt'), 'another file\n'));
    const home = await git(root, 'rev-parse', '--abbrev-ref', 'HEAD');
    const { editor, frame } = await openEditor();
    const expected = await typeAtEnd(editor, frame, '/typed-then-switched');
    assert.ok(editor.busy, 'the edit is still pending when the command starts');
    await vscode.commands.executeCommand('hammock.checkoutBranch', root, 'race-same');
    assert.equal(await git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), 'race-same');
    assert.equal(urlOf(await fsp.readFile(file, 'utf8')), expected, 'the typing is in the file');
    try {
      assert.equal(await changed(), `unstaged ${REL}; staged `, 'carried as a change');
      assert.equal(editor.busy, false);
      await ui(frame, [{ screenshot: 'walk-race-switch-same' }]);
      await checks(root);
    } finally {
      await git(root, 'checkout', '-q', '-f', home);
      await api.store.refreshPaths([file]);
    }
  });

  it('typed, then Switch Branch at once to a branch where the file differs: refused with a clear message, the typing kept on this branch', async () => {
    await branchWith('race-differs', async (dir) => {
      const f = path.join(dir, REL);
      await fsp.writeFile(f, (await fsp.readFile(f, 'utf8')).replace(/^url: .*$/m, 'url: https://other.example.com/transactions'));
    });
    const home = await git(root, 'rev-parse', '--abbrev-ref', 'HEAD');
    const { editor, frame } = await openEditor();
    const errors = recordErrorMessages();
    let failure: unknown;
    try {
      const expected = await typeAtEnd(editor, frame, '/typed-then-refused');
      assert.ok(editor.busy, 'the edit is still pending when the command starts');
      await vscode.commands.executeCommand('hammock.checkoutBranch', root, 'race-differs').then(undefined, (e: unknown) => (failure = e));
      assert.equal(await git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), home, 'still on the branch it was typed on');
      assert.equal(urlOf(await fsp.readFile(file, 'utf8')), expected, 'the typing is in the file');
      assert.equal(await changed(), `unstaged ${REL}; staged `);
      const said = [String((failure as Error | undefined)?.message ?? ''), ...errors.messages].join('\n');
      assert.match(said, /overwritten|local changes|uncommitted/i, `a clear message: ${said}`);
      await ui(frame, [{ screenshot: 'walk-race-switch-refused' }]);
      await checks(root);
    } finally {
      errors.restore();
    }
    await git(root, 'checkout', '-q', '--', REL);
    await api.store.refreshPaths([file]);
  });

  it('typed, then Pull at once: the incoming commit merged, the typing kept as a change; a pull that would overwrite it refused', async () => {
    const home = await git(root, 'rev-parse', '--abbrev-ref', 'HEAD');
    const bare = path.join(scratch, 'remote.git');
    await git(scratch, 'clone', '-q', '--bare', root, bare);
    await git(root, 'remote', 'add', 'race', bare);
    await git(root, 'fetch', '-q', 'race');
    await git(root, 'branch', '-q', `--set-upstream-to=race/${home}`);
    const mate = path.join(scratch, 'mate');
    await git(scratch, 'clone', '-q', '-b', home, bare, mate);
    await fsp.writeFile(path.join(mate, 'theirs.txt'), 'theirs\n');
    await git(mate, 'add', 'theirs.txt');
    await git(mate, 'commit', '-q', '-m', 'theirs: another file');
    await git(mate, 'push', '-q', 'origin', `HEAD:${home}`);
    const theirs = await git(mate, 'rev-parse', 'HEAD');
    try {
      const { editor, frame } = await openEditor();
      const expected = await typeAtEnd(editor, frame, '/typed-then-pulled');
      assert.ok(editor.busy, 'the edit is still pending when Pull starts');
      await vscode.commands.executeCommand('hammock.pull', root);
      assert.equal(await git(root, 'rev-parse', 'HEAD'), theirs, 'fast-forwarded');
      assert.equal(urlOf(await fsp.readFile(file, 'utf8')), expected, 'the typing is in the file');
      assert.equal(await changed(), `unstaged ${REL}; staged `);
      await ui(frame, [{ screenshot: 'walk-race-pull' }]);
      await checks(root);

      // the teammate changes the same request: git refuses the pull ("would be overwritten by merge")
      const f = path.join(mate, REL);
      await fsp.writeFile(f, (await fsp.readFile(f, 'utf8')).replace(/^url: .*$/m, 'url: https://theirs.example.com/transactions'));
      await git(mate, 'commit', '-q', '-am', 'theirs: the url');
      await git(mate, 'push', '-q', 'origin', `HEAD:${home}`);
      const more = await typeAtEnd(editor, frame, '-again');
      assert.ok(more.endsWith('/typed-then-pulled-again'));
      assert.ok(editor.busy, 'the edit is still pending when Pull starts');
      const errors = recordErrorMessages();
      let failure: unknown;
      try {
        await vscode.commands.executeCommand('hammock.pull', root).then(undefined, (e: unknown) => (failure = e));
      } finally {
        errors.restore();
      }
      assert.equal(await git(root, 'rev-parse', 'HEAD'), theirs, 'nothing merged');
      assert.equal(urlOf(await fsp.readFile(file, 'utf8')), more, 'the typing is in the file');
      assert.equal(await changed(), `unstaged ${REL}; staged `);
      const said = [String((failure as Error | undefined)?.message ?? ''), ...errors.messages].join('\n');
      assert.match(said, /overwritten|local changes|uncommitted/i, `a clear message: ${said}`);
      // the "Pulling..." progress goes with the refusal: its promise is the command's, settled here; the workbench
      // closes the toast a moment later, when the extension host's word reaches the browser (the screenshot waits)
      const toasts = async () => String((await ui({ selector: '.monaco-workbench .part.statusbar' }, [{ text: '.notifications-toasts' }]))[0]);
      await waitFor('the Pulling notification gone', async () => !(await toasts()).includes('Pulling'), 10_000);
      await ui(frame, [{ screenshot: 'walk-race-pull-refused' }]);
      await checks(root);
    } finally {
      await git(root, 'checkout', '-q', '--', REL);
      await git(root, 'branch', '-q', '--unset-upstream');
      await git(root, 'remote', 'remove', 'race');
      await api.store.refreshPaths([file]);
    }
  });

  it('request editor: its request taken away by a terminal checkout, then typed into: held, nothing written; back: the tab shows it, what was typed saved', async () => {
    await branchWith('race-no-request', (dir) => fsp.rm(path.join(dir, REL)));
    const home = await git(root, 'rev-parse', '--abbrev-ref', 'HEAD');
    const { editor, frame } = await openEditor();
    const title = editor.panel.title;
    const url = urlInStore()!;
    await git(root, 'checkout', '-q', 'race-no-request');
    await waitFor('the tab titled deleted', () => editor.panel.title.endsWith(' (deleted)'), 10_000);
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '/typed-away', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the edit held', () => editor.heldEdit?.reason === 'gone', 10_000);
    await ui(frame, [{ screenshot: 'walk-race-request-away-typed' }]);
    assert.equal(fs.existsSync(file), false, 'nothing written');
    assert.equal(await changed(), 'unstaged ; staged ');
    await git(root, 'checkout', '-q', home);
    await waitFor('the title back', () => editor.panel.title === title, 10_000);
    await waitFor('what was typed saved', async () => urlOf(await fsp.readFile(file, 'utf8')) === `${url}/typed-away`, 10_000);
    assert.equal(editor.heldEdit, undefined, 'nothing held');
    const [shown] = await ui(frame, [{ value: '#url' }, { screenshot: 'walk-race-request-back' }]);
    assert.equal(shown, `${url}/typed-away`);
    assert.equal(await changed(), `unstaged ${REL}; staged `, 'the typing is a change of the file, nothing else');
    await checks(root);
  });

  it('environment editor: its collection taken away by a terminal checkout, then typed into: held with a clear message, nothing written; back: the tab shows it, what was typed saved', async () => {
    const v5 = api.store.collections.find((c) => c.format === 'v5' && c.path === path.join(root, 'v5', '11_4_curry.yaml'));
    assert.ok(v5);
    const rel = path.relative(root, v5.path).split(path.sep).join('/');
    await branchWith('race-no-v5', (dir) => fsp.rm(path.join(dir, rel)));
    const home = await git(root, 'rev-parse', '--abbrev-ref', 'HEAD');
    await vscode.commands.executeCommand('hammock.editEnvironment', { type: 'envCollection', collection: v5 });
    const state = { collectionPath: v5.path, collectionId: v5.id, environmentId: v5.baseEnvironment!.id };
    const env = api.environmentPanels.editor(state);
    assert.ok(env);
    await waitFor('the environment page', () => env.uiReady, 45_000);
    const title = env.panel.title;
    const frame = { selector: '.env-list' };
    const before = await listing(root);
    await git(root, 'checkout', '-q', 'race-no-v5');
    await waitFor('the tab titled deleted', () => env.panel.title.endsWith(' (deleted)'), 10_000);
    await ui(frame, [{ click: 'input[data-key="var:0:value"]' }, { press: 'End' }, { type: '-typed-away', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the edit held', () => env.heldEdit?.reason === 'gone', 10_000);
    const [banner] = await ui(frame, [{ text: '.error-banner.held' }, { screenshot: 'walk-race-env-away-typed' }]);
    assert.match(String(banner), /is not in v5\/11_4_curry\.yaml now \(deleted, moved, or not on this branch\)\. What you typed is kept in this editor, unsaved; it is saved if the collection comes back/);
    assert.equal(fs.existsSync(v5.path), false, 'nothing written: the collection stays away');
    assert.deepEqual((await listing(root)).filter((f) => !before.includes(f) && f !== rel), [], 'nothing else written');
    assert.equal(await changed(), 'unstaged ; staged ', 'the working tree is the branch, as git left it');
    await git(root, 'checkout', '-q', home);
    // (before the fix: held again, "the branch changed from race-no-v5 to main", and the tab stayed "(deleted)")
    await waitFor('the title back', () => env.panel.title === title, 10_000);
    await waitFor('what was typed saved', async () => /^ {4}curry: 123-typed-away$/m.test(await fsp.readFile(v5.path, 'utf8')), 10_000);
    assert.equal(env.heldEdit, undefined, 'nothing held');
    await waitFor('the page without the message', async () => !String((await ui(frame, [{ text: 'body' }]))[0]).includes('is not in v5/11_4_curry.yaml now'), 10_000);
    const [value] = await ui(frame, [{ value: 'input[data-key="var:0:value"]' }, { screenshot: 'walk-race-env-back' }]);
    assert.equal(value, '123-typed-away');
    assert.equal(await changed(), `unstaged ${rel}; staged `, 'the typing is a change of the file, nothing else');
    await checks(root);
  });

  it('a sub-environment taken away by a terminal checkout while its editor shows it: kept on the page with a word, typing held, nothing written to another environment; back: shown, the typing saved', async () => {
    const c = api.store.collections.find((x) => x.path === path.join(root, '.insomnia'));
    assert.ok(c?.baseEnvironment);
    const subFile = path.join(root, SUB_REL);
    await branchWith('race-no-sub', (dir) => fsp.rm(path.join(dir, SUB_REL)));
    const home = await git(root, 'rev-parse', '--abbrev-ref', 'HEAD');
    const env = await openSubEnvironment(api, c, SUB);
    const frame = { selector: '.env-list' };
    const title = env.panel.title;
    const [name, first] = await ui(frame, [{ value: '#env-name' }, { value: 'input[data-key="var:0:value"]' }]);
    await git(root, 'checkout', '-q', 'race-no-sub');
    // (before the fix: the page went to the Base Environment without a word, the keys below landed in its file)
    await waitFor('a word on the page', async () => String((await ui(frame, [{ text: 'body' }]))[0]).includes('not in the collection now'), 10_000);
    const [banner] = await ui(frame, [{ text: '.error-banner.held' }, { screenshot: 'walk-race-sub-away' }]);
    assert.match(String(banner), /"OpenAPI env localhost:3000" is not in the collection now \(deleted, moved, or not on this branch\)\. This tab shows it again if it comes back/);
    assert.equal((await ui(frame, [{ value: '#env-name' }]))[0], name, 'the page still shows the sub-environment');
    assert.equal(env.panel.title, title);
    await ui(frame, [{ click: 'input[data-key="var:0:value"]' }, { press: 'End' }, { type: '-typed-away', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the edit held', () => env.heldEdit?.reason === 'gone', 10_000);
    await ui(frame, [{ screenshot: 'walk-race-sub-away-typed' }]);
    assert.equal(fs.existsSync(subFile), false, 'nothing written');
    assert.equal(await changed(), 'unstaged ; staged ', 'no other environment written');
    await git(root, 'checkout', '-q', home);
    await waitFor('what was typed saved', async () => (await fsp.readFile(subFile, 'utf8').catch(() => '')).includes(`${String(first)}-typed-away`), 10_000);
    assert.equal(env.heldEdit, undefined, 'nothing held');
    await waitFor('the page without the message', async () => !String((await ui(frame, [{ text: 'body' }]))[0]).includes('not in the collection now'), 10_000);
    const [shownName, value] = await ui(frame, [{ value: '#env-name' }, { value: 'input[data-key="var:0:value"]' }, { screenshot: 'walk-race-sub-back' }]);
    assert.equal(shownName, name);
    assert.equal(value, `${String(first)}-typed-away`);
    assert.equal(await changed(), `unstaged ${SUB_REL}; staged `, 'the typing is a change of its file, nothing else');
    await checks(root);
  });

  it('a folder environment whose folder a terminal checkout takes away: the tab stays, titled "(deleted)", with a word, typing held; back: shown, the typing saved', async () => {
    const c = api.store.collections.find((x) => x.path === path.join(root, '.insomnia'));
    const folder = c?.children.find((i) => i.kind === 'folder');
    assert.ok(c && folder);
    const folderRel = path.relative(root, folder.source.file).split(path.sep).join('/');
    await branchWith('race-no-folder', (dir) => fsp.rm(path.join(dir, folderRel)));
    const home = await git(root, 'rev-parse', '--abbrev-ref', 'HEAD');
    await vscode.commands.executeCommand('hammock.editFolderEnvironment', { type: 'folder', collection: c, folder });
    const env = api.environmentPanels.editor({ collectionPath: c.path, collectionId: c.id, environmentId: folder.id, folder: true });
    assert.ok(env);
    await waitFor('the folder environment page', () => env.uiReady, 45_000);
    let closed = false;
    env.panel.onDidDispose(() => (closed = true));
    const frame = { selector: '#add-variable' };
    const title = env.panel.title;
    await git(root, 'checkout', '-q', 'race-no-folder');
    // (before the fix: the tab closed)
    await waitFor('the tab titled deleted', () => closed || env.panel.title.endsWith(' (deleted)'), 10_000);
    assert.equal(closed, false, 'the tab stays');
    await waitFor('a word on the page', async () => String((await ui(frame, [{ text: 'body' }]))[0]).includes('not in the collection now'), 10_000);
    const [banner] = await ui(frame, [{ text: '.error-banner.held' }, { screenshot: 'walk-race-folder-away' }]);
    assert.ok(String(banner).startsWith(`"${folder.name}" is not in the collection now (deleted, moved, or not on this branch). This tab shows it again if it comes back`), String(banner));
    await ui(frame, [{ click: '#add-variable' }, { type: 'region', delayMs: 25 }, { press: 'Tab' }, { press: 'Tab' }, { type: 'eu-typed-away', delayMs: 25 }]);
    await waitFor('the edit held', () => env.heldEdit?.reason === 'gone', 10_000);
    assert.equal(await changed(), 'unstaged ; staged ', 'nothing written');
    await git(root, 'checkout', '-q', home);
    await waitFor('what was typed saved', async () => /^ {2}region: eu-typed-away$/m.test(await fsp.readFile(folder.source.file, 'utf8')), 10_000);
    await waitFor('the title as before', () => env.panel.title === title, 10_000);
    assert.equal(closed, false);
    await waitFor('the page without the message', async () => !String((await ui(frame, [{ text: 'body' }]))[0]).includes('not in the collection now'), 10_000);
    await ui(frame, [{ screenshot: 'walk-race-folder-back' }]);
    assert.equal(await changed(), `unstaged ${folderRel}; staged `, 'the typing is a change of the folder\'s file, nothing else');
    await checks(root);
  });

  it('typed while away, then checked out to a branch where the request and the environment differ: held for a choice, the tabs titled as shown (not "(deleted)"), the branch\'s files kept', async () => {
    const v5 = api.store.collections.find((c) => c.format === 'v5' && c.path === path.join(root, 'v5', '11_4_curry.yaml'));
    assert.ok(v5);
    const rel = path.relative(root, v5.path).split(path.sep).join('/');
    await branchWith('race-none', async (dir) => {
      await fsp.rm(path.join(dir, REL));
      await fsp.rm(path.join(dir, rel));
    });
    await branchWith('race-changed', async (dir) => {
      const f = path.join(dir, REL);
      await fsp.writeFile(f, (await fsp.readFile(f, 'utf8')).replace(/^url: .*$/m, 'url: https://changed.example.com/transactions'));
      const e = path.join(dir, rel);
      await fsp.writeFile(e, (await fsp.readFile(e, 'utf8')).replace(/^ {4}curry: .*$/m, '    curry: "456"'));
    });
    const { editor, frame } = await openEditor();
    const requestTitle = editor.panel.title;
    await vscode.commands.executeCommand('hammock.editEnvironment', { type: 'envCollection', collection: v5 });
    const env = api.environmentPanels.editor({ collectionPath: v5.path, collectionId: v5.id, environmentId: v5.baseEnvironment!.id });
    assert.ok(env);
    await waitFor('the environment page', () => env.uiReady, 45_000);
    const envTitle = env.panel.title;
    const envFrame = { selector: '.env-list' };
    await git(root, 'checkout', '-q', 'race-none');
    await waitFor('both tabs titled deleted', () => editor.panel.title.endsWith(' (deleted)') && env.panel.title.endsWith(' (deleted)'), 10_000);
    await ui(envFrame, [{ click: 'input[data-key="var:0:value"]' }, { press: 'End' }, { type: '-typed', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the environment edit held', () => env.heldEdit?.reason === 'gone', 10_000);
    editor.panel.reveal();
    await waitFor('the request tab shown', () => editor.panel.visible, 5000);
    await ui(frame, [{ click: '#url' }, { press: 'End' }, { type: '/typed', delayMs: 20, jitterMs: 60 }]);
    await waitFor('the request edit held', () => editor.heldEdit?.reason === 'gone', 10_000);
    await git(root, 'checkout', '-q', 'race-changed');
    await waitFor('both held for a choice', () => editor.heldEdit?.reason === 'conflict' && env.heldEdit?.reason === 'conflict', 10_000);
    // (before the fix: the environment tab stayed "(deleted)" with its collection shown and there)
    await waitFor('the titles as shown', () => !editor.panel.title.endsWith(' (deleted)') && !env.panel.title.endsWith(' (deleted)'), 10_000);
    assert.ok(editor.panel.title.startsWith(requestTitle), editor.panel.title);
    assert.ok(env.panel.title.startsWith(envTitle), env.panel.title);
    assert.equal(await changed(), 'unstaged ; staged ', "the branch's files as git left them");
    const [url] = await ui(frame, [{ value: '#url' }, { screenshot: 'walk-race-away-changed-request' }]);
    assert.match(String(url), /\/typed$/);
    env.panel.reveal();
    await waitFor('the environment tab shown', () => env.panel.visible, 5000);
    // the page is loaded again when its tab is shown (before the fix: blank while an edit was held)
    const [value, banner] = await ui(envFrame, [{ value: 'input[data-key="var:0:value"]' }, { text: '.error-banner.held' }, { screenshot: 'walk-race-away-changed-env' }]);
    assert.equal(value, '123-typed', 'what was typed, held, is on the page');
    assert.match(String(banner), /^Not saved: the variable curry of "Base Environment" changed on disk/);
    editor.panel.reveal();
    await waitFor('the request tab shown', () => editor.panel.visible, 5000);
    const [url2, banner2] = await ui(frame, [{ value: '#url' }, { text: '.error-banner.held' }, { screenshot: 'walk-race-away-changed-request-again' }]);
    assert.match(String(url2), /\/typed$/, 'what was typed, held, is on the page');
    assert.match(String(banner2), /^Not saved: the URL of "Update a transaction" changed on disk/);
    await checks(root);
  });
});
