// Import, export, conversion and Copy as cURL inside a real VS Code: each command is driven with its arguments (no
// dialog), and the files it writes are read back from disk and through the store.
import * as assert from 'node:assert/strict';
import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { importText } from '../../src/collections/convert/importText';
import type { Collection, HttpRequest, Item } from '../../src/collections/model';
import { countItems, walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import type { ExportOutcome, ConvertOutcome } from '../../src/importExport/importExportCommands';
import { CollectionNode, RequestNode, type TreeNode } from '../../src/tree/collectionsTree';
import { activateHammock, inWorkspace, listing, recordErrorMessages, startImport as startImportWith, waitFor, workspaceRoot } from './helpers';

const fixtures = process.env.HAMMOCK_FIXTURES ?? path.resolve(process.cwd(), 'test/fixtures');
const CONDUIT = path.join(fixtures, 'import/postman/realworld-conduit.postman_collection.v2.1.json');
const FREECLOUD = path.join(fixtures, 'import/insomnia/freecloudio-server.insomnia-v4.yaml');

/** A small v5 collection with a base and a sub environment, written by the test (not copied from anywhere). */
const CURL_COLLECTION = `type: collection.insomnia.rest/5.0
name: Curl Test
meta:
  id: wrk_c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0
  created: 1700000000000
  modified: 1700000000000
  description: ""
collection:
  - url: "{{ base }}/users"
    name: Create user
    meta:
      id: req_c0c0c0c0c0c0c0c0c0c0c0c0c0c0c001
      created: 1700000000000
      modified: 1700000000000
      isPrivate: false
      description: ""
      sortKey: -1
    method: POST
    body:
      mimeType: application/json
      text: '{"name": "{{ user }}"}'
    headers:
      - name: Content-Type
        value: application/json
      - name: Authorization
        value: Token {{ token }}
  - url: "{{ base }}/{{ missing_var }}"
    name: Broken
    meta:
      id: req_c0c0c0c0c0c0c0c0c0c0c0c0c0c0c002
      created: 1700000000000
      modified: 1700000000000
      isPrivate: false
      description: ""
      sortKey: -2
    method: GET
environments:
  name: Base Environment
  meta:
    id: env_c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0
    created: 1700000000000
    modified: 1700000000000
    isPrivate: false
  data:
    base: http://base.example
    token: base-token
    user: ann
  subEnvironments:
    - name: Staging
      meta:
        id: env_c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0s1
        created: 1700000000000
        modified: 1700000000000
        isPrivate: false
        sortKey: 1
      data:
        base: https://staging.example
        token: staging-token
`;

describe('Import, export, conversion, Copy as cURL', () => {
  let api: HammockApi;
  let recorded: ReturnType<typeof recordErrorMessages> | undefined;
  let errors: string[] = [];

  before(async () => {
    api = await activateHammock();
    // record the error notifications the commands show (and answer none of them)
    recorded = recordErrorMessages();
    errors = recorded.messages;
  });
  after(() => recorded?.restore());

  const collectionNamed = (name: string): Collection | undefined => api.store.collections.find((c) => c.name === name);
  const requestNamed = (c: Collection, name: string): HttpRequest => {
    const r = [...walkItems(c.children)].find((i) => i.name === name);
    assert.ok(r && r.kind === 'request', `request "${name}" in ${c.name}`);
    return r;
  };

  describe('Copy as cURL', () => {
    let file: string;
    before(async () => {
      file = inWorkspace('curl-test.yaml');
      await fsp.writeFile(file, CURL_COLLECTION);
      await api.store.refreshPaths([file]);
      await waitFor('the curl test collection', () => collectionNamed('Curl Test'), 8000);
    });
    after(async () => {
      await api.activeEnvironments.set('wrk_c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0', undefined);
      await fsp.rm(file, { force: true });
      await api.store.refreshPaths([file]);
    });

    it('copies a tree request rendered with the base environment', async () => {
      const c = collectionNamed('Curl Test')!;
      await vscode.env.clipboard.writeText('');
      const result = await vscode.commands.executeCommand<string>('hammock.copyAsCurl', new RequestNode(c, requestNamed(c, 'Create user')));
      const clip = await vscode.env.clipboard.readText();
      assert.equal(clip, result);
      assert.match(clip, /^curl --request POST/);
      assert.ok(clip.includes('http://base.example/users'), clip);
      assert.ok(clip.includes('Authorization: Token base-token'), clip);
      assert.ok(clip.includes('{"name": "ann"}'), clip);
      assert.ok(!clip.includes('{{'), clip);
    });

    it('uses the active sub-environment, as Send does', async () => {
      const c = collectionNamed('Curl Test')!;
      await api.activeEnvironments.set(c.id, 'env_c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0s1');
      await vscode.commands.executeCommand('hammock.copyAsCurl', { collectionPath: c.path, requestId: requestNamed(c, 'Create user').id });
      const clip = await vscode.env.clipboard.readText();
      assert.ok(clip.includes('https://staging.example/users'), clip);
      assert.ok(clip.includes('Authorization: Token staging-token'), clip);
      assert.ok(clip.includes('{"name": "ann"}'), 'a variable only the base defines still renders');
    });

    it('without an argument, copies the request of the focused request editor', async () => {
      const c = collectionNamed('Curl Test')!;
      const request = requestNamed(c, 'Create user');
      await vscode.commands.executeCommand('hammock.openRequest', { collectionPath: c.path, requestId: request.id });
      await waitFor('the request editor to be focused', () => api.requestPanels.openEditors.some((e) => e.panel.active && e.state.requestId === request.id), 10_000);
      await vscode.env.clipboard.writeText('');
      await vscode.commands.executeCommand('hammock.copyAsCurl');
      const clip = await vscode.env.clipboard.readText();
      assert.match(clip, /^curl --request POST/);
      assert.ok(clip.includes('/users'), clip);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('a template error names the variable and copies nothing', async () => {
      const c = collectionNamed('Curl Test')!;
      await vscode.env.clipboard.writeText('before');
      errors.length = 0;
      const result = await vscode.commands.executeCommand('hammock.copyAsCurl', new RequestNode(c, requestNamed(c, 'Broken')));
      assert.equal(result, undefined);
      assert.equal(await vscode.env.clipboard.readText(), 'before');
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0], /Broken/);
      assert.match(errors[0], /"missing_var"/);
    });
  });
  describe('Import', function () {
    this.timeout(100_000);
    const created: string[] = [];
    after(async () => {
      for (const p of created) await fsp.rm(p, { recursive: true, force: true });
      await api.store.reload();
    });

    /** `startImport` of the helpers; `loaded` only for the first test (the page's first load is the slow one). */
    const startImport = (options: object, loaded = false) => startImportWith(api, options, { loaded, timeoutMs: 80_000 });

    it('previews a Postman collection (format, counts, what is dropped and why), then writes a new v5 collection and shows it', async () => {
      const { result, preview } = await startImport({ file: CONDUIT }, true);
      const s = preview.summary;
      assert.equal(s.source, path.basename(CONDUIT));
      assert.equal(s.format, 'Postman collection v2.1');
      assert.deepEqual(s.collections, [{ name: 'Conduit', folders: 5, requests: 32, otherRequests: 0, environments: 1 }]);
      // its 30 test scripts are kept, translated to Insomnia's API: the warnings say so, nothing is dropped
      assert.deepEqual(s.dropped, []);
      assert.ok(s.warnings.some((w) => /^30 script\(s\) translated from Postman's API/.test(w)), JSON.stringify(s.warnings));
      // the workspace has a .insomnia folder at its root: a second legacy folder is not offered, v5 is the default
      assert.deepEqual(s.initialTarget, { kind: 'new', format: 'v5' });
      assert.ok(s.newFormats.find((f) => f.format === 'legacy')?.unavailable, 'legacy unavailable');
      assert.ok(s.existing.some((e) => e.name === 'Everything'), 'existing collections offered');

      await preview.receive({ type: 'import', target: { kind: 'new', format: 'v5' } });
      const outcome = await result;
      assert.ok(outcome, 'the import wrote something');
      const file = outcome.collectionPaths[0];
      created.push(file);
      assert.equal(file, path.join(workspaceRoot(), 'conduit.yaml'));
      const text = await fsp.readFile(file, 'utf8');
      assert.equal(text.split('\n')[0], 'type: collection.insomnia.rest/5.0');

      const c = api.store.collections.find((x) => x.path === file);
      assert.ok(c, 'the store loaded the new file');
      assert.equal(c.name, 'Conduit');
      const n = countItems(c);
      assert.deepEqual([n.folders, n.requests, n.environments], [5, 32, 1]);

      // the tree shows it, with the same folders and requests, and it is revealed (selected)
      const root = (api.collectionsTree.getChildren() as TreeNode[]).find((x) => x.type === 'collection' && x.collection.path === file);
      assert.ok(root, 'a root node for the imported collection');
      let folders = 0;
      let requests = 0;
      const visit = (nodes: TreeNode[]) => {
        for (const node of nodes) {
          if (node.type === 'folder') folders++;
          if (node.type === 'request') requests++;
          visit(api.collectionsTree.getChildren(node) as TreeNode[]);
        }
      };
      visit(await api.collectionsTree.getChildren(root));
      assert.deepEqual([folders, requests], [5, 32]);
      await waitFor('the imported collection to be selected', () =>
        api.collectionsView.selection.some((x) => (x as TreeNode).type === 'collection' && (x as CollectionNode).collection.path === file));
      assert.equal(api.importPreviews.current, undefined, 'the preview closed');
    });

    it('Cancel writes nothing', async () => {
      const before = await listing(workspaceRoot());
      const { result, preview } = await startImport({ file: FREECLOUD });
      assert.equal(preview.summary.format, 'Insomnia v4 export');
      assert.deepEqual(preview.summary.collections.map((c) => [c.name, c.folders, c.requests, c.environments]), [['freecloud', 4, 13, 2]]);
      await preview.receive({ type: 'cancel' });
      assert.equal(await result, undefined);
      assert.deepEqual(await listing(workspaceRoot()), before);
      assert.ok(!api.store.collections.some((c) => c.name === 'freecloud'));
    });

    it('closing the preview writes nothing either', async () => {
      const before = await listing(workspaceRoot());
      const { result, preview } = await startImport({ file: FREECLOUD });
      preview.panel.dispose();
      assert.equal(await result, undefined);
      assert.deepEqual(await listing(workspaceRoot()), before);
    });

    it('a malformed file: an error naming the file and the line, no preview, nothing written', async () => {
      const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-import-'));
      const bad = path.join(dir, 'broken.postman_collection.json');
      await fsp.writeFile(bad, '{\n  "info": { "name": "Broken" },\n  "item": [\n    { "name": "x", }\n  ]\n}\n');
      const before = await listing(workspaceRoot());
      const previewBefore = api.importPreviews.current;
      errors.length = 0;
      try {
        const result = await vscode.commands.executeCommand('hammock.import', { file: bad });
        assert.equal(result, undefined);
        assert.equal(errors.length, 1, errors.join('\n'));
        assert.match(errors[0], /broken\.postman_collection\.json/);
        assert.match(errors[0], /line 4/);
        assert.match(errors[0], /Nothing was written/);
        assert.equal(api.importPreviews.current, previewBefore, 'no preview opened');
        assert.deepEqual(await listing(workspaceRoot()), before);
      } finally {
        await fsp.rm(dir, { recursive: true, force: true });
      }
    });

    it('a pasted cURL command goes into a folder of an existing collection', async () => {
      const conduit = api.store.collections.find((c) => c.name === 'Conduit');
      assert.ok(conduit, 'imported by the first test');
      const folder = conduit.children.find((i): i is Extract<Item, { kind: 'folder' }> => i.kind === 'folder');
      assert.ok(folder);
      const before = folder.children.length;
      const target = { kind: 'existing', collectionPath: conduit.path, parentId: folder.id };
      const { result, preview } = await startImport({ text: "curl -X POST https://api.example.com/things -H 'Content-Type: application/json' -d '{\"a\":1}'", target });
      assert.equal(preview.summary.format, 'cURL command');
      assert.deepEqual(preview.summary.initialTarget, target);
      const offered = preview.summary.existing.find((e) => e.collectionPath === conduit.path);
      assert.ok(offered?.folders.some((f) => f.id === folder.id && f.label === folder.name), 'the folder is offered');
      await preview.receive({ type: 'import', target });
      const outcome = await result;
      assert.deepEqual(outcome?.collectionPaths, [conduit.path]);
      const after = api.store.collections.find((c) => c.path === conduit.path)!;
      const f = [...walkItems(after.children)].find((i) => i.id === folder.id);
      assert.ok(f && f.kind === 'folder');
      assert.equal(f.children.length, before + 1);
      const added = f.children.find((i) => i.kind === 'request' && i.url.includes('api.example.com/things'));
      assert.ok(added && added.kind === 'request' && added.method === 'POST', 'the request is in the folder');
    });

    it('a target that cannot take the import: the error shows in the preview, which stays open; nothing written', async () => {
      const before = await listing(workspaceRoot());
      const { result, preview } = await startImport({ file: FREECLOUD });
      // the root already has a .insomnia folder (the page offers legacy as unavailable; a message may still ask)
      await preview.receive({ type: 'import', target: { kind: 'new', format: 'legacy' } });
      assert.match(preview.lastError ?? '', /\.insomnia already exists/);
      assert.equal(api.importPreviews.current, preview, 'the preview stays open');
      assert.deepEqual(await listing(workspaceRoot()), before);
      await preview.receive({ type: 'cancel' });
      assert.equal(await result, undefined);
    });

    it('an invalid message from the page is dropped', async () => {
      const { result, preview } = await startImport({ file: FREECLOUD });
      await preview.receive({ type: 'import', target: { kind: 'new', format: 'zip' } });
      await preview.receive({ type: 'import', target: { kind: 'existing', collectionPath: '' } });
      await preview.receive({ type: 'run', script: 'x' });
      assert.equal(api.importPreviews.current, preview, 'still open, nothing done');
      await preview.receive({ type: 'cancel' });
      assert.equal(await result, undefined);
    });
  });

  describe('Export', () => {
    const dir = path.join(os.tmpdir(), `hammock-export-${process.pid}`);
    after(() => fsp.rm(dir, { recursive: true, force: true }));

    const exportAs = async (name: string, format: string, file: string): Promise<{ outcome: ExportOutcome; c: Collection }> => {
      const c = api.store.collections.find((x) => x.name === name);
      assert.ok(c, `collection ${name}`);
      const outcome = await vscode.commands.executeCommand<ExportOutcome>('hammock.exportCollection', new CollectionNode(c), { format, path: path.join(dir, file) });
      assert.ok(outcome, 'exported');
      return { outcome, c };
    };
    const sameCounts = (a: Collection, b: Collection) => {
      const x = countItems(a);
      const y = countItems(b);
      assert.deepEqual([y.folders, y.requests, y.grpcRequests, y.websocketRequests, y.environments], [x.folders, x.requests, x.grpcRequests, x.websocketRequests, x.environments]);
    };

    it('the save dialog starts outside the workspace: Enter on its default writes no second copy of the collection', async () => {
      // Export Collection... on a repository's collection, Enter in the save dialog: the v5 file landed beside the
      // collection, where Hammock and Insomnia read it as the same workspace a second time (same ids)
      const c = api.store.collections.find((x) => x.name === 'Everything');
      assert.ok(c);
      const win = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
      const save = win.showSaveDialog;
      const offered: vscode.Uri[] = [];
      win.showSaveDialog = (options: unknown) => {
        const at = (options as vscode.SaveDialogOptions).defaultUri;
        if (at) offered.push(at);
        return Promise.resolve(undefined); // cancelled: nothing is written
      };
      try {
        for (const format of ['insomnia-v5', 'insomnia-v4', 'postman']) {
          await vscode.commands.executeCommand('hammock.exportCollection', new CollectionNode(c), { format }).then(undefined, () => undefined);
        }
      } finally {
        win.showSaveDialog = save;
      }
      assert.equal(offered.length, 3, 'the save dialog was shown for each format');
      const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
      for (const uri of offered) {
        for (const root of roots) {
          const rel = path.relative(root, path.dirname(uri.fsPath));
          assert.ok(rel.startsWith('..') || path.isAbsolute(rel), `${uri.fsPath} is offered inside the workspace folder ${root}`);
        }
      }
      assert.deepEqual(offered.map((u) => path.basename(u.fsPath)), ['everything.insomnia.yaml', 'everything.insomnia-v4.json', 'everything.postman_collection.json']);
    });

    it('Insomnia v4 JSON: parses, and imports back to the same counts and ids', async () => {
      const { outcome, c } = await exportAs('Everything', 'insomnia-v4', 'everything.json');
      const text = await fsp.readFile(outcome.path, 'utf8');
      const doc = JSON.parse(text);
      assert.equal(doc._type, 'export');
      assert.equal(doc.__export_format, 4);
      const back = importText(text, 'everything.json');
      assert.equal(back.format, 'insomnia-v4');
      assert.equal(back.collections.length, 1);
      sameCounts(c, back.collections[0]);
      assert.equal(back.collections[0].id, c.id);
      // from the files, not the model: the cookie jar's cookies (which the model does not hold) are exported too
      assert.ok(doc.resources.some((r: { _type: string; cookies?: unknown[] }) => r._type === 'cookie_jar' && r.cookies?.length), 'the cookies');
    });

    it('Insomnia v5 YAML: imports back to the same counts', async () => {
      const { outcome, c } = await exportAs('Everything', 'insomnia-v5', 'everything.yaml');
      const text = await fsp.readFile(outcome.path, 'utf8');
      assert.equal(text, await fsp.readFile(c.path, 'utf8'), 'a v5 file exports as itself, every field kept');
      assert.equal(text.split('\n')[0], 'type: collection.insomnia.rest/5.0');
      const back = importText(text, 'everything.yaml');
      assert.equal(back.format, 'insomnia-v5');
      sameCounts(c, back.collections[0]);
    });

    it('Postman v2.1: parses, imports back to the same folders and HTTP requests, reports what Postman cannot hold', async () => {
      const { outcome, c } = await exportAs('Everything', 'postman', 'everything.postman_collection.json');
      const text = await fsp.readFile(outcome.path, 'utf8');
      assert.match(JSON.parse(text).info.schema, /collection\/v2\.1\.0/);
      const back = importText(text, 'everything.postman_collection.json');
      assert.equal(back.format, 'postman-collection');
      const x = countItems(c);
      const y = countItems(back.collections[0]);
      assert.deepEqual([y.folders, y.requests], [x.folders, x.requests]);
      if (x.grpcRequests + x.websocketRequests + x.socketIORequests > 0) {
        assert.ok(outcome.notExported.length > 0, 'gRPC / WebSocket requests are reported as not exported');
      }
    });
  });

  describe('Convert', () => {
    const made: string[] = [];
    after(async () => {
      for (const p of made) await fsp.rm(p, { recursive: true, force: true });
      await api.store.reload();
    });

    it('legacy .insomnia -> v5 file keeps every id; the original stays', async () => {
      const legacy = api.store.collections.find((c) => c.format === 'legacy' && c.path === inWorkspace('.insomnia'));
      assert.ok(legacy, 'the workspace has a legacy collection at its root');
      const outcome = await vscode.commands.executeCommand<ConvertOutcome>('hammock.convertToV5', new CollectionNode(legacy), { confirmed: true, deleteOld: false });
      assert.ok(outcome, 'converted');
      made.push(outcome.target);
      assert.equal(path.dirname(outcome.target), workspaceRoot());
      assert.equal(outcome.deletedOld, false);
      assert.ok(existsSync(legacy.path), 'the .insomnia folder stays');
      const v5 = await waitFor('the new v5 file in the store', () => api.store.collections.find((c) => c.path === outcome.target));
      assert.equal(v5.format, 'v5');
      assert.equal(v5.id, legacy.id);
      const ids = (c: Collection) => [...walkItems(c.children)].map((i) => `${i.id} ${i.name}`).sort();
      assert.deepEqual(ids(v5), ids(legacy));
      assert.equal(v5.baseEnvironment?.id, legacy.baseEnvironment?.id);
      assert.deepEqual(v5.baseEnvironment?.subEnvironments.map((e) => e.id).sort(), legacy.baseEnvironment?.subEnvironments.map((e) => e.id).sort());
      // both kept: each copy carries the warning that the workspace is stored twice
      const twinWarning = (c: Collection) => c.problems.some((p) => p.severity === 'warning' && /same workspace is also stored/.test(p.message));
      assert.ok(twinWarning(v5), 'the v5 copy is warned about');
      assert.ok(twinWarning(api.store.collections.find((c) => c.path === legacy.path)!), 'the legacy folder is warned about');
    });

    it('the question after a conversion: "Keep Both" is its close button (no "Cancel" that reads as "undo"); Escape keeps both', async () => {
      const source = api.store.collections.find((c) => c.format === 'v5' && c.name === 'Everything');
      assert.ok(source);
      const dir = inWorkspace('convert-ask');
      await fsp.mkdir(dir, { recursive: true });
      made.push(dir);
      const copy = path.join(dir, 'everything.yaml');
      await fsp.copyFile(source.path, copy);
      await api.store.reload();
      const v5 = await waitFor('the copy in the store', () => api.store.collections.find((c) => c.path === copy));
      const win = vscode.window as unknown as { showWarningMessage: (...args: unknown[]) => Thenable<unknown> };
      const original = win.showWarningMessage;
      const asked: unknown[][] = [];
      win.showWarningMessage = (...args: unknown[]) => {
        asked.push(args);
        // Escape (or the dialog's close button): undefined
        return Promise.resolve(undefined);
      };
      let outcome: ConvertOutcome | undefined;
      try {
        outcome = await vscode.commands.executeCommand<ConvertOutcome>('hammock.convertToLegacy', new CollectionNode(v5), { confirmed: true, folder: path.join(dir, 'legacy') });
      } finally {
        win.showWarningMessage = original;
      }
      assert.ok(outcome);
      made.push(outcome.target);
      const question = asked.find((a) => /converted\. Delete the v5 file everything\.yaml\?/.test(String(a[0])));
      assert.ok(question, asked.map((a) => String(a[0])).join(' | '));
      const items = question.slice(2) as { title: string; isCloseAffordance?: boolean }[];
      assert.deepEqual(items.map((i) => i.title), ['Keep Both', 'Delete v5 File']);
      assert.equal(items[0].isCloseAffordance, true, '"Keep Both" closes the dialog: VS Code adds no "Cancel"');
      assert.equal(outcome.deletedOld, false);
      assert.ok(existsSync(copy), 'Escape kept both');
    });

    it('v5 file -> legacy folder (beside the file) keeps every id; deleting the original when asked to', async () => {
      const source = api.store.collections.find((c) => c.format === 'v5' && c.name === 'Everything');
      assert.ok(source);
      // work on a copy in a folder of its own, so the other suites keep the original
      const dir = inWorkspace('convert-test');
      await fsp.mkdir(dir, { recursive: true });
      made.push(dir);
      const copy = path.join(dir, 'everything.yaml');
      await fsp.copyFile(source.path, copy);
      await api.store.reload();
      const v5 = api.store.collections.find((c) => c.path === copy);
      assert.ok(v5);
      const outcome = await vscode.commands.executeCommand<ConvertOutcome>('hammock.convertToLegacy', new CollectionNode(v5), { confirmed: true, deleteOld: true });
      assert.ok(outcome, 'converted');
      assert.equal(outcome.target, path.join(dir, '.insomnia'));
      assert.ok(existsSync(path.join(dir, '.insomnia', 'Workspace')), 'a legacy folder');
      assert.ok(!existsSync(copy), 'the v5 file was deleted');
      const legacy = api.store.collections.find((c) => c.path === outcome.target);
      assert.ok(legacy);
      assert.equal(legacy.id, v5.id);
      const ids = (c: Collection) => [...walkItems(c.children)].map((i) => i.id).sort();
      assert.deepEqual(ids(legacy), ids(v5));
      assert.ok(!api.store.collections.some((c) => c.path === copy));
    });

    it('v5 file -> legacy folder when a .insomnia folder is already beside it: into the folder given, the other workspace untouched', async () => {
      const source = api.store.collections.find((c) => c.format === 'v5' && c.name === 'Everything');
      assert.ok(source);
      const dir = inWorkspace('convert-taken');
      await fsp.mkdir(dir, { recursive: true });
      made.push(dir);
      await fsp.cp(path.join(fixtures, 'legacy/minimal-collection/.insomnia'), path.join(dir, '.insomnia'), { recursive: true });
      const copy = path.join(dir, 'everything.yaml');
      await fsp.copyFile(source.path, copy);
      await api.store.reload();
      const v5 = api.store.collections.find((c) => c.path === copy);
      assert.ok(v5);
      const other = api.store.collections.find((c) => c.path === path.join(dir, '.insomnia'));
      assert.ok(other, 'the other workspace is read');
      const before = await fsp.readdir(path.join(dir, '.insomnia'), { recursive: true });
      const seen = errors.length;
      const refused = await vscode.commands.executeCommand<ConvertOutcome>('hammock.convertToLegacy', new CollectionNode(v5), { confirmed: true, deleteOld: false, folder: path.dirname(workspaceRoot()) });
      assert.equal(refused, undefined, 'nothing converted outside the workspace');
      assert.match(errors.slice(seen).join('\n'), /outside the workspace folder/);
      const outcome = await vscode.commands.executeCommand<ConvertOutcome>('hammock.convertToLegacy', new CollectionNode(v5), { confirmed: true, deleteOld: false, folder: path.join(dir, 'legacy') });
      assert.ok(outcome, 'converted');
      assert.equal(outcome.target, path.join(dir, 'legacy', '.insomnia'));
      assert.deepEqual(await fsp.readdir(path.join(dir, '.insomnia'), { recursive: true }), before, 'the other workspace\'s folder is untouched');
      const legacy = api.store.collections.find((c) => c.path === outcome.target);
      assert.ok(legacy);
      assert.equal(legacy.id, v5.id);
      assert.ok(existsSync(copy), 'the original is kept');
    });
  });

  // the commands' bodies are dist/importExport.js, required on the first of them: its cancel must be the Cancelled of
  // the extension's bundle, which the command wrapper shows as nothing (a copy of the class would be shown as an error)
  describe('a cancel in the lazily loaded bundle', () => {
    const win = vscode.window as { showQuickPick: (...a: unknown[]) => Thenable<unknown> };
    let original: typeof win.showQuickPick;
    before(() => (original = win.showQuickPick));
    after(() => (win.showQuickPick = original));

    it('Escape on "Import what?" shows nothing and writes nothing; dist/importExport.js is loaded', async () => {
      const asked: string[] = [];
      // Escape: the quick pick resolves to undefined
      win.showQuickPick = (_items: unknown, options?: unknown) => (asked.push(String((options as { placeHolder?: string } | undefined)?.placeHolder)), Promise.resolve(undefined));
      const before = await listing(workspaceRoot());
      const shown = errors.length;
      assert.equal(await vscode.commands.executeCommand('hammock.import'), undefined);
      assert.deepEqual(asked, ['Import what?']);
      assert.deepEqual(errors.slice(shown), []);
      assert.deepEqual(await listing(workspaceRoot()), before);
      assert.ok(Object.keys(require.cache).some((k) => k.endsWith(path.join('dist', 'importExport.js'))), 'the commands ran from dist/importExport.js');
    });
  });
});
