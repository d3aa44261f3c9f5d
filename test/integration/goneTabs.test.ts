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
import { activateHammock, gitAs, waitFor, workspaceRoot } from './helpers';

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
