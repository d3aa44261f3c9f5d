// A new user imports a Postman collection and an OpenAPI file through the import preview (the Import button clicked
// on the page), commits what it wrote, opens a request and types into its URL at human speed: the file's diff is that
// field and its `modified` stamp, no other line, and Insomnia's reader takes the file before and after. Then the
// collection is exported as an Insomnia v5 file and imported again: the same collection comes back.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkV5Text } from '../../src/collections/formats/conformance';
import { walkItems, type Collection, type HttpRequest } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import type { ExportOutcome, ImportOutcome } from '../../src/importExport/importExportCommands';
import { CollectionNode } from '../../src/tree/collectionsTree';
import { activateHammock, gitAs, lineDiff, ui, urlTyping, waitFor, workspaceRoot } from './helpers';

const fixtures = process.env.HAMMOCK_FIXTURES ?? path.resolve(process.cwd(), 'test/fixtures');
const git = gitAs({ name: 'Import Walker', email: 'import@hammock.invalid' });

/** The collection as a person compares two copies: names, methods, URLs, bodies, headers, auth, scripts, in order. */
function shape(c: Collection): unknown {
  const items = [...walkItems(c.children)].map((i) =>
    i.kind === 'request'
      ? { kind: i.kind, name: i.name, method: i.method, url: i.url, body: i.body, headers: i.headers, parameters: i.parameters, authentication: i.authentication, scripts: i.scripts }
      : { kind: i.kind, name: i.name },
  );
  const env = c.baseEnvironment;
  return { name: c.name, scope: c.scope, items, base: env?.data, subs: env?.subEnvironments.map((e) => [e.name, e.data]), spec: c.spec?.contents };
}

describe('Walk: import a Postman collection and an OpenAPI file, edit, export, import again', function () {
  this.timeout(240_000);
  let api: HammockApi;
  const created: string[] = [];
  let exportDir: string;

  before(async () => {
    api = await activateHammock();
    exportDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-walk-import-'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of created) {
      await fsp.rm(f, { force: true });
      await git(workspaceRoot(), 'rm', '-q', '--cached', '--ignore-unmatch', path.relative(workspaceRoot(), f)).catch(() => undefined);
    }
    await git(workspaceRoot(), 'commit', '-q', '-m', 'walk import: files gone').catch(() => undefined);
    await api.store.refreshPaths(created);
    await fsp.rm(exportDir, { recursive: true, force: true });
  });

  const cases = [
    { label: 'Postman v2.1 (Conduit)', file: 'import/postman/realworld-conduit.postman_collection.v2.1.json', format: 'Postman', request: 'Login', suffix: '/walk' },
    { label: 'OpenAPI 3.0 (Petstore)', file: 'import/openapi/swagger-petstore3.openapi-3.0.yaml', format: 'OpenAPI', request: 'Finds Pets by status.', suffix: '/walk' },
  ];

  for (const k of cases) {
    it(`${k.label}: Import clicked in the preview; a URL typed: a minimal diff that Insomnia reads; export v5 and import again`, async () => {
      const before = api.importPreviews.current;
      const result = vscode.commands.executeCommand<ImportOutcome | undefined>('hammock.import', { file: path.join(fixtures, k.file) });
      await waitFor('the import preview', () => api.importPreviews.current !== before && api.importPreviews.current?.isReady, 60_000);
      const page = { selector: 'p.format', text: k.format };
      const shot = k.label.replace(/\W+/g, '-').toLowerCase();
      await ui(page, [{ wait: 300 }, { screenshot: `walk-import-${shot}-1-preview` }, { click: '.actions vscode-button:has-text("Import")' }]);
      const outcome = await result;
      assert.ok(outcome, 'the import wrote a file');
      const file = outcome.collectionPaths[0];
      created.push(file);
      const written = await fsp.readFile(file, 'utf8');
      assert.deepEqual(checkV5Text(file, written).map((i) => i.message), [], "Insomnia's reader takes the imported file");
      const rel = path.relative(workspaceRoot(), file);
      await git(workspaceRoot(), 'add', rel);
      await git(workspaceRoot(), 'commit', '-q', '-m', `walk import: ${k.label}`);

      const c = await waitFor('the collection in the store', () => api.store.collections.find((x) => x.path === file), 20_000);
      const request = [...walkItems(c.children)].find((i): i is HttpRequest => i.kind === 'request' && i.name === k.request);
      assert.ok(request, `the request ${k.request}`);
      // only this request's editor open: another suite's request of the same name is no page to type into
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const typing = urlTyping(() => api, () => file, request.id, k.request);
      const { editor, frame } = await typing.openEditor();
      const expected = await typing.typeAtEnd(editor, frame, k.suffix).catch(async (err: Error) => {
        await ui(frame, [{ screenshot: `walk-import-${shot}-2-typing-failed` }]).catch(() => undefined);
        throw new Error(`${err.message}; the page shows ${JSON.stringify((await ui(frame, [{ value: '#url' }]))[0])}, the host holds ${JSON.stringify(editor.unsaved?.url)}, the store ${JSON.stringify(typing.urlInStore())}`);
      });
      await waitFor('the URL written to the file', () => typing.urlInStore() === expected && !editor.busy, 15_000);
      await ui(frame, [{ screenshot: `walk-import-${shot}-2-edited` }]);

      const edited = await fsp.readFile(file, 'utf8');
      const { removed, added } = lineDiff(written, edited);
      const strip = (l: string) => l.replace(/\d{10,}/g, 'N').replace(/"/g, '').trim();
      assert.deepEqual(
        { removed: removed.map(strip).sort(), added: added.map(strip).sort() },
        { removed: [`modified: N`, `- url: ${request.url}`].sort(), added: [`modified: N`, `- url: ${expected}`].sort() },
        `${rel}: only the URL and its modified stamp changed`,
      );
      const diff = await git(workspaceRoot(), 'diff', '--numstat', '--', rel);
      assert.equal(diff.trim().split(/\s+/).slice(0, 2).join(' '), '2 2', `git diff --numstat ${rel}`);
      assert.deepEqual(checkV5Text(file, edited).map((i) => i.message), [], "Insomnia's reader takes the edited file");

      // export as an Insomnia v5 file, and import that file again (beside: a new file, new ids)
      const fresh = await waitFor('the edited collection in the store', () => {
        const x = api.store.collections.find((y) => y.path === file);
        return x && [...walkItems(x.children)].some((i) => i.kind === 'request' && i.url === expected) && x;
      }, 10_000);
      const exported = await vscode.commands.executeCommand<ExportOutcome>('hammock.exportCollection', new CollectionNode(fresh), { format: 'insomnia-v5', path: path.join(exportDir, `${shot}.insomnia.yaml`) });
      assert.deepEqual(exported.notExported, []);
      const again = await vscode.commands.executeCommand<ImportOutcome | undefined>('hammock.import', { file: exported.path, skipPreview: true, target: { kind: 'new', format: 'v5' } });
      assert.ok(again);
      const file2 = again.collectionPaths[0];
      created.push(file2);
      const back = await waitFor('the re-imported collection', () => api.store.collections.find((x) => x.path === file2), 20_000);
      assert.deepEqual(shape(back), shape(fresh), 'the collection that comes back is the one exported');
      assert.deepEqual(checkV5Text(file2, await fsp.readFile(file2, 'utf8')).map((i) => i.message), [], "Insomnia's reader takes the re-imported file");
    });
  }

  it('the Collections tree shows what was imported', async () => {
    await vscode.commands.executeCommand('hammock.collections.focus').then(undefined, () => undefined);
    await ui({ selector: '.monaco-workbench' }, [{ wait: 500 }, { screenshot: 'walk-import-3-tree' }]);
    assert.ok(created.every((f) => api.store.collections.some((c) => c.path === f)));
  });
});
