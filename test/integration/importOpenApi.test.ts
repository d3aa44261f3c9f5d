// OpenAPI, Swagger and cURL imports inside a real VS Code: `hammock.import` on the real specs of test/fixtures,
// the preview's summary (format, counts, what is dropped and why, warnings), the design file it writes (read back from
// disk and through the store, its spec shown in the Collections tree), and a malformed spec that writes nothing.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { countItems, walkItems, type Collection } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';
import type { ImportOutcome } from '../../src/importExport/importExportCommands';
import type { TreeNode } from '../../src/tree/collectionsTree';
import { activateHammock, listing, recordErrorMessages, startImport as startImportWith, waitFor, workspaceRoot } from './helpers';

const fixtures = process.env.HAMMOCK_FIXTURES ?? path.resolve(process.cwd(), 'test/fixtures');
const TRACCAR = path.join(fixtures, 'import/openapi/traccar.openapi-3.1.yaml');
const GOTIFY = path.join(fixtures, 'import/openapi/gotify-server.swagger-2.0.json');
const CURL = path.join(fixtures, 'import/curl/commands.txt');

describe('Import OpenAPI, Swagger and cURL', function () {
  this.timeout(120_000);
  let api: HammockApi;
  let recorded: ReturnType<typeof recordErrorMessages> | undefined;
  let errors: string[] = [];
  const created: string[] = [];

  before(async () => {
    api = await activateHammock();
    recorded = recordErrorMessages();
    errors = recorded.messages;
  });
  after(async () => {
    recorded?.restore();
    for (const f of created) await fsp.rm(f, { force: true });
    // the suites after this one see the store without them (not only once the watcher reports the removals)
    await api.store.refreshPaths(created);
  });

  const startImport = (options: object) => startImportWith(api, options, { timeoutMs: 50_000 });

  const loaded = (file: string): Promise<Collection> => waitFor(`the store to load ${file}`, () => api.store.collections.find((c) => c.path === file), 20_000);

  it('traccar (OpenAPI 3.1): the preview counts 65 requests, 17 folders, 7 environments and says what is dropped; the design file reads back', async () => {
    const { result, preview } = await startImport({ file: TRACCAR });
    const s = preview.summary;
    assert.equal(s.format, 'OpenAPI 3.1.0');
    assert.deepEqual(s.collections, [{ name: 'Traccar', folders: 17, requests: 65, otherRequests: 0, environments: 7 }]);
    const alternatives = s.dropped.find((d) => d.what === 'other security alternatives');
    assert.ok(alternatives && alternatives.count === 65 && /one auth/.test(alternatives.why), JSON.stringify(s.dropped));
    assert.ok(s.warnings.some((w) => /\{port\} can be 8082, 80/.test(w)), JSON.stringify(s.warnings));

    await preview.receive({ type: 'import', target: { kind: 'new', format: 'v5' } });
    const outcome = await result;
    assert.ok(outcome, 'the import wrote something');
    const file = outcome.collectionPaths[0];
    created.push(file);
    assert.equal(path.dirname(file), workspaceRoot());
    const text = await fsp.readFile(file, 'utf8');
    assert.equal(text.split('\n')[0], 'type: spec.insomnia.rest/5.0');

    const c = await loaded(file);
    assert.equal(c.scope, 'design');
    assert.equal(c.name, 'Traccar');
    const n = countItems(c);
    assert.deepEqual([n.folders, n.requests, n.environments], [17, 65, 7]);
    assert.match(c.spec?.contents ?? '', /title: Traccar/);
    const update = [...walkItems(c.children)].find((i) => i.name === 'Update a Device');
    assert.ok(update && update.kind === 'request');
    assert.equal(update.url, '{{ _.base_url }}/devices/:id');
    assert.deepEqual(update.pathParameters, [{ name: 'id', value: '' }]);
    assert.deepEqual(update.authentication, { type: 'basic', username: '{{ _.username }}', password: '{{ _.password }}' });
    assert.deepEqual(c.baseEnvironment?.subEnvironments.map((e) => e.name), ['Demo Server 1', 'Demo Server 2', 'Demo Server 3', 'Demo Server 4', 'Subscription Server', 'Other Server']);

    // the Collections tree shows the collection with its spec item and its folders
    const roots = (await api.collectionsTree.getChildren()) as TreeNode[];
    // (duck-typed: the extension's bundle has its own copy of the node classes)
    const node = roots.find((r) => (r as { type?: string }).type === 'collection' && (r as { collection?: Collection }).collection?.path === file);
    assert.ok(node, 'the collection is in the tree');
    const children = (await api.collectionsTree.getChildren(node)) as TreeNode[];
    assert.ok(children.some((x) => (x as { type?: string }).type === 'spec'), 'the spec item is shown');
    assert.equal(children.length, 1 + 17);
  });

  it('gotify (Swagger 2.0) straight to a new v5 file: 42 requests, multipart upload, one sub-environment per scheme', async () => {
    const outcome = await vscode.commands.executeCommand<ImportOutcome | undefined>('hammock.import', { file: GOTIFY, skipPreview: true, target: { kind: 'new', format: 'v5' } });
    assert.ok(outcome);
    const file = outcome.collectionPaths[0];
    created.push(file);
    const c = await loaded(file);
    assert.equal(countItems(c).requests, 42);
    const upload = [...walkItems(c.children)].find((i) => i.name === 'Upload an image for an application.');
    assert.ok(upload && upload.kind === 'request');
    assert.equal(upload.body.mimeType, 'multipart/form-data');
    assert.deepEqual(upload.body.params?.map((p) => [p.name, p.type]), [['file', 'file']]);
    assert.deepEqual(c.baseEnvironment?.subEnvironments.map((e) => e.data.base_url), ['http://localhost', 'https://localhost']);
  });

  it('the fixture`s ten cURL commands as one pasted text: ten requests in a new collection', async () => {
    const text = await fsp.readFile(CURL, 'utf8');
    const outcome = await vscode.commands.executeCommand<ImportOutcome | undefined>('hammock.import', { text, skipPreview: true, target: { kind: 'new', format: 'v5' }, secrets: 'keep' });
    assert.ok(outcome);
    const file = outcome.collectionPaths[0];
    created.push(file);
    const c = await loaded(file);
    const requests = [...walkItems(c.children)].filter((i) => i.kind === 'request');
    assert.equal(requests.length, 10);
    assert.deepEqual(requests.map((r) => (r.kind === 'request' ? r.method : '')), ['POST', 'POST', 'POST', 'POST', 'PUT', 'POST', 'PUT', 'POST', 'POST', 'POST']);
  });

  it('a malformed spec: the error names its line and nothing is written', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-openapi-bad-'));
    try {
      const bad = path.join(dir, 'bad.openapi.yaml');
      await fsp.writeFile(bad, 'openapi: 3.0.0\ninfo:\n  title: Bad\npaths:\n  /x:\n    get: [unclosed\n');
      const before = await listing(workspaceRoot());
      const previewBefore = api.importPreviews.current;
      errors.length = 0;
      await vscode.commands.executeCommand('hammock.import', { file: bad });
      await waitFor('the error notification', () => errors.length > 0, 10_000);
      assert.match(errors[0], /line \d+/);
      assert.equal(api.importPreviews.current, previewBefore, 'no preview opened');
      assert.deepEqual(await listing(workspaceRoot()), before);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
