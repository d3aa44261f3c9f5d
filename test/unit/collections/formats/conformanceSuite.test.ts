// The conformance suite: every file every writer produces is one Insomnia's own readers accept (formats/conformance.ts,
// Insomnia's zod schema 5.1 and 5.2 and its Git Sync rules). A new collection of each scope in both formats and each
// schema version, every edit kind of the tree and the request editor, convert both ways, import of every format and
// fixture (as new files and into existing collections), export as v5 and v4.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Edit, FileChange } from '../../../../src/collections/edits';
import { planEditWith, planNewCollection } from '../../../../src/collections/editPlanner';
import type { Collection, Scope } from '../../../../src/collections/model';
import { walkItems } from '../../../../src/collections/model';
import { loadWorkspace } from '../../../../src/collections/scan';
import { writeChanges } from '../../../../src/collections/store';
import { collectionFiles, convertLegacyToV5, convertV5ToLegacy, duplicateCollection, readCollectionDocs, v5TextFromFiles } from '../../../../src/collections/convert/convertFormat';
import { baseEnvironmentId } from '../../../../src/collections/ids';
import { exportInsomniaV4FromDocs } from '../../../../src/collections/convert/exportV4';
import { importText } from '../../../../src/collections/convert/importText';
import { planImportDetailed } from '../../../../src/collections/convert/planImport';
import { checkInsomniaFolder, checkV4Text, checkV5Text, formatIssue, type ConformanceIssue } from '../../../../src/collections/formats/conformance';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');
const NOW = 1790000000000;

function show(issues: readonly ConformanceIssue[]): string {
  return issues.map((i) => `${i.file}:${i.line + 1}: ${formatIssue(i)}`).join('\n');
}

/** Insomnia reads every Insomnia file under `root`. */
function assertInsomniaReads(root: string, what: string): void {
  const { issues } = checkInsomniaFolder(root);
  assert.equal(issues.length, 0, `${what}:\n${show(issues)}`);
}

async function write(changes: readonly FileChange[]): Promise<void> {
  await writeChanges(changes);
}

const IMPORT_FILES = fs
  .readdirSync(path.join(FIXTURES, 'import'))
  .flatMap((d) => fs.readdirSync(path.join(FIXTURES, 'import', d)).map((f) => path.join('import', d, f)));

/** The legacy folders and v5 files of the fixtures (one per collection). */
const LEGACY_FIXTURES = fs.readdirSync(path.join(FIXTURES, 'legacy')).map((d) => path.join('legacy', d));
const V5_FIXTURES = ['v5/kong-example', 'v5/upstream-roundtrip'].flatMap((d) =>
  fs.readdirSync(path.join(FIXTURES, d)).filter((f) => f !== 'spec.yaml').map((f) => path.join(d, f)),
);

describe('conformance suite: Insomnia reads every file Hammock writes', function () {
  this.timeout(120_000);
  let tmp: string;
  let n = 0;
  const fresh = (label: string) => {
    const dir = path.join(tmp, `${n++}-${label.replace(/[^a-z0-9]+/gi, '_')}`);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-suite-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('a new collection of each scope', () => {
    const scopes: Scope[] = ['collection', 'design', 'mock-server', 'environment'];
    for (const scope of scopes) {
      it(`${scope}: legacy, and v5 in schema 5.0, 5.1 and 5.2`, async () => {
        const legacy = fresh('legacy');
        await write(planNewCollection({ format: 'legacy', root: legacy, name: `New ${scope}`, scope, now: NOW }).changes);
        assertInsomniaReads(legacy, `legacy ${scope}`);
        for (const schemaVersion of ['5.0', '5.1', '5.2']) {
          const v5 = fresh(`v5-${schemaVersion}`);
          const r = planNewCollection({ format: 'v5', root: v5, name: `New ${scope}`, scope, now: NOW, schemaVersion });
          await write(r.changes);
          assertInsomniaReads(v5, `v5 ${schemaVersion} ${scope}`);
          const [c] = (await loadWorkspace(v5)).collections;
          assert.equal(c.scope, scope);
          assert.equal(c.schemaVersion, schemaVersion, 'the file declares the version asked for');
        }
      });
    }
  });

  describe('every edit kind of the tree and the request editor', () => {
    /** Every edit, one after the other, on a collection; Insomnia reads the files after each one. */
    async function editAll(root: string, label: string): Promise<void> {
      const load = async (): Promise<Collection> => {
        const all = (await loadWorkspace(root)).collections;
        assert.equal(all.length, 1, `${label}: one collection`);
        return all[0];
      };
      const apply = async (edit: Edit): Promise<string | undefined> => {
        const c = await load();
        const r = planEditWith(c, edit, { now: NOW, readText: (f) => fs.readFileSync(f, 'utf8') }, {});
        await write(r.changes);
        assertInsomniaReads(root, `${label} after ${edit.kind}`);
        return r.createdId;
      };
      let c = await load();
      const canHoldItems = c.scope === 'collection' || c.scope === 'design';
      if (canHoldItems) {
        const folder = (await apply({ kind: 'createFolder', parentId: c.id, name: 'Suite folder' }))!;
        const request = (await apply({ kind: 'createRequest', parentId: folder, name: 'Suite request', method: 'POST', url: 'https://example.test/x' }))!;
        await apply({ kind: 'createRequest', parentId: c.id, name: 'Top request' });
        await apply({ kind: 'rename', id: request, name: 'Renamed: "quoted" #not-a-comment' });
        await apply({
          kind: 'setRequestFields',
          id: request,
          fields: {
            method: 'PUT',
            url: 'https://example.test/{{ _.id }}?q=1',
            parameters: [{ name: 'q', value: '1' }, { name: 'off', value: '2', disabled: true }],
            headers: [{ name: 'Content-Type', value: 'multipart/form-data' }],
            body: { mimeType: 'multipart/form-data', params: [{ name: 'file', value: '', type: 'file', fileName: '/tmp/a.txt' }, { name: 'note', value: 'two\nlines', multiline: true }] },
            authentication: { type: 'bearer', token: '{{ _.token }}', prefix: 'Bearer' },
            description: 'A request\nwith two lines',
            settings: { followRedirects: 'off', encodeUrl: false },
          },
        });
        await apply({ kind: 'setRequestFields', id: request, fields: { scripts: { preRequest: "insomnia.environment.set('a', 1);", afterResponse: '' } } });
        await apply({ kind: 'setRequestFields', id: request, fields: { scripts: { preRequest: '' } } });
        await apply({ kind: 'setFolderFields', id: folder, fields: { environment: { tenant: 'acme', nested: { list: [{ a: 1 }] } }, headers: [{ name: 'X-Tenant', value: '{{ _.tenant }}' }], scripts: { afterResponse: '// after' } } });
        await apply({ kind: 'setFolderFields', id: folder, fields: { environment: { nested: { list: [{ a: 1 }] }, tenant: 'acme' } } });
        await apply({ kind: 'setFolderFields', id: folder, fields: { environment: {}, scripts: { afterResponse: '' } } });
        await apply({ kind: 'duplicate', id: request });
        await apply({ kind: 'duplicate', id: folder });
        c = await load();
        // every existing item: renamed and duplicated (gRPC, WebSocket and Socket.IO requests included)
        for (const item of [...walkItems(c.children)].filter((i) => !i.name.startsWith('Suite') && !i.name.startsWith('Renamed')).slice(0, 6)) {
          await apply({ kind: 'rename', id: item.id, name: `${item.name} (renamed)` });
          await apply({ kind: 'duplicate', id: item.id });
        }
        await apply({ kind: 'delete', id: request });
        await apply({ kind: 'delete', id: folder });
      }
      const env = (await apply({ kind: 'createEnvironment', name: 'Suite env', data: { base_url: 'https://example.test', n: 1, nested: { a: [1, null] } }, color: '#59a210' }))!;
      await apply({ kind: 'rename', id: env, name: 'Suite env (renamed)' });
      await apply({ kind: 'setEnvironment', id: env, fields: { data: { n: 2, base_url: 'https://example.test', nested: { a: [1, { b: 'c' }] }, token: '{{ vault.token }}' }, color: null, isPrivate: true } });
      await apply({ kind: 'setEnvironment', id: env, fields: { data: {}, color: '#dd2f2f', isPrivate: false } });
      const second = (await apply({ kind: 'createEnvironment', name: 'Suite env 2' }))!;
      await apply({ kind: 'moveEnvironment', id: second, before: env });
      await apply({ kind: 'moveEnvironment', id: second });
      c = await load();
      if (c.baseEnvironment) await apply({ kind: 'setEnvironmentData', id: c.baseEnvironment.id, data: { ...c.baseEnvironment.data, scriptSet: 1 } });
      c = await load();
      if (c.baseEnvironment) await apply({ kind: 'setEnvironment', id: c.baseEnvironment.id, fields: { data: { ...c.baseEnvironment.data, suite: 'yes' }, color: '#7d69cb' } });
      if (c.spec) await apply({ kind: 'setSpec', contents: 'openapi: 3.0.0\ninfo:\n  title: Suite\n  version: "1"\npaths: {}\n' });
      // what scripts leave: a variable changed, one added (nested), one removed; then all of them, then none
      await apply({ kind: 'setEnvironmentData', id: env, data: { base_url: 'https://example.test/v2', nested: { a: [1, null] }, token: 'eyJ "quoted"\nline' } });
      await apply({ kind: 'setEnvironmentData', id: env, data: {} });
      await apply({ kind: 'setEnvironmentData', id: env, data: { token: 't' } });
      await apply({ kind: 'duplicate', id: env });
      await apply({ kind: 'delete', id: env });
      c = await load();
      if (c.format === 'v5') await apply({ kind: 'rename', id: c.id, name: `${c.name} (renamed)` });
    }

    for (const rel of [...LEGACY_FIXTURES, ...V5_FIXTURES].filter((r) => !/mcp_flights/.test(r))) {
      it(rel, async () => {
        const root = fresh(rel);
        const src = path.join(FIXTURES, rel);
        if (fs.statSync(src).isDirectory()) fs.cpSync(src, root, { recursive: true });
        else fs.copyFileSync(src, path.join(root, path.basename(src)));
        await editAll(root, rel);
      });
    }

    it('a new v5 collection of schema 5.0, 5.1 and 5.2 (5.2: every new item carries its type), and a new legacy one', async () => {
      for (const schemaVersion of ['5.0', '5.1', '5.2']) {
        const root = fresh(schemaVersion);
        await write(planNewCollection({ format: 'v5', root, name: 'Fresh', now: NOW, schemaVersion }).changes);
        await editAll(root, `new v5 ${schemaVersion}`);
      }
      const root = fresh('legacy');
      await write(planNewCollection({ format: 'legacy', root, name: 'Fresh', now: NOW }).changes);
      await editAll(root, 'new legacy');
    });
  });

  describe('convert both ways', () => {
    for (const rel of LEGACY_FIXTURES) {
      it(`${rel} -> v5 (schema 5.0, 5.1, 5.2) -> legacy`, async () => {
        for (const schemaVersion of ['5.0', '5.1', '5.2']) {
          const root = fresh(`${rel}-${schemaVersion}`);
          const toV5 = convertLegacyToV5(path.join(FIXTURES, rel, '.insomnia'), { root, schemaVersion });
          await writeChanges(toV5.changes, toV5.scope);
          assertInsomniaReads(root, `${rel} as v5 ${schemaVersion}`);
          const back = fresh(`${rel}-back`);
          const toLegacy = convertV5ToLegacy(toV5.target, { root: back });
          await writeChanges(toLegacy.changes, toLegacy.scope);
          assertInsomniaReads(back, `${rel} back to legacy`);
        }
      });
    }
    for (const rel of [...V5_FIXTURES, 'import/insomnia-smoke/grpc.v5.yaml', 'import/insomnia-smoke/mock-server.v5.yaml', 'import/insomnia-smoke/socket-io.v5.yaml']) {
      it(`${rel} -> legacy -> v5`, async () => {
        if (/mcp_flights/.test(rel)) {
          assert.throws(() => convertV5ToLegacy(path.join(FIXTURES, rel), { root: fresh('mcp') }), /cannot be stored in a legacy/);
          return;
        }
        const root = fresh(rel);
        const toLegacy = convertV5ToLegacy(path.join(FIXTURES, rel), { root });
        await writeChanges(toLegacy.changes, toLegacy.scope);
        assertInsomniaReads(root, `${rel} as legacy`);
        const again = fresh(`${rel}-again`);
        const toV5 = convertLegacyToV5(toLegacy.target, { root: again });
        await writeChanges(toV5.changes, toV5.scope);
        assertInsomniaReads(again, `${rel} back to v5`);
      });
    }
  });

  describe('import of every format and fixture', () => {
    for (const rel of IMPORT_FILES) {
      it(`${rel}: as new v5 files (5.1 and 5.2) and a new .insomnia folder, and into existing v5 and legacy collections`, async () => {
        const result = importText(fs.readFileSync(path.join(FIXTURES, rel), 'utf8'), path.basename(rel));
        for (const schemaVersion of ['5.1', '5.2']) {
          const root = fresh(`v5-${schemaVersion}`);
          const plan = planImportDetailed(result, { kind: 'new', root, format: 'v5', exists: fs.existsSync, schemaVersion });
          await writeChanges(plan.changes, plan.scope);
          assertInsomniaReads(root, `${rel} as v5 ${schemaVersion}`);
        }
        if (result.collections.length === 1) {
          const root = fresh('legacy');
          const plan = planImportDetailed(result, { kind: 'new', root, format: 'legacy', exists: fs.existsSync });
          await writeChanges(plan.changes, plan.scope);
          assertInsomniaReads(root, `${rel} as legacy`);
        }
        if (result.collections.some((c) => c.mockServer)) return; // a mock server goes into no collection (refused, tested in planImport)
        // into an existing collection: a v5 file of each schema version and a legacy folder (each with a folder to go into)
        for (const target of ['5.0', '5.1', '5.2', 'legacy']) {
          const root = fresh(`into-${target}`);
          await write(planNewCollection({ format: target === 'legacy' ? 'legacy' : 'v5', root, name: 'Target', now: NOW, schemaVersion: target === 'legacy' ? undefined : target }).changes);
          let [c] = (await loadWorkspace(root)).collections;
          const made = planEditWith(c, { kind: 'createFolder', parentId: c.id, name: 'Imported here' }, { now: NOW, readText: (f) => fs.readFileSync(f, 'utf8') }, {});
          await write(made.changes);
          [c] = (await loadWorkspace(root)).collections;
          const plan = planImportDetailed(result, { kind: 'existing', collection: c, parentId: made.createdId, readText: (f) => fs.readFileSync(f, 'utf8'), exists: fs.existsSync });
          await writeChanges(plan.changes, plan.scope);
          assertInsomniaReads(root, `${rel} into ${target}`);
        }
      });
    }
  });

  describe('duplicate and delete a collection', () => {
    for (const rel of [...LEGACY_FIXTURES, ...V5_FIXTURES].filter((r) => !/mcp_flights/.test(r))) {
      it(`${rel}: the copy (fresh ids, "(Copy)") is a v5 file Insomnia reads; the files a delete removes are the collection's`, async () => {
        const root = fresh(rel);
        const src = path.join(FIXTURES, rel);
        if (fs.statSync(src).isDirectory()) fs.cpSync(src, root, { recursive: true });
        else fs.copyFileSync(src, path.join(root, path.basename(src)));
        const [c] = (await loadWorkspace(root)).collections;
        const out = duplicateCollection(c.format, c.path, c.id, { root });
        await writeChanges(out.changes, out.scope);
        assertInsomniaReads(root, `${rel} with its copy`);
        const copy = (await loadWorkspace(root)).collections.find((x) => x.path === out.target)!;
        assert.equal(copy.name, `${c.name} (Copy)`);
        assert.equal(copy.id, out.workspaceId);
        const ids = new Set([c.id, ...[...walkItems(c.children)].map((i) => i.id), ...(c.baseEnvironment ? [c.baseEnvironment.id, ...c.baseEnvironment.subEnvironments.map((e) => e.id)] : [])]);
        for (const i of walkItems(copy.children)) assert.ok(!ids.has(i.id), `${i.name} has a fresh id`);
        assert.equal([...walkItems(copy.children)].length, [...walkItems(c.children)].length);
        // a base environment whose id Insomnia derived from the workspace id gets the copy's derived id; others a fresh one
        if (copy.baseEnvironment && c.baseEnvironment?.id === baseEnvironmentId(c.id)) assert.equal(copy.baseEnvironment.id, baseEnvironmentId(copy.id));
        else if (copy.baseEnvironment) assert.notEqual(copy.baseEnvironment.id, c.baseEnvironment?.id);
        const { files, wholeFolder } = collectionFiles(c.format, c.path, c.id);
        assert.equal(wholeFolder, c.format === 'legacy');
        if (c.format === 'v5') assert.deepEqual(files, [c.path]);
        else assert.ok(files.length > 1 && files.every((f) => f.startsWith(c.path + path.sep)));
      });
    }
  });

  describe('export as v5 and v4', () => {
    it('every collection of the fixtures: its v5 export and its v4 export are what Insomnia reads', async () => {
      const collections = (await loadWorkspace(FIXTURES)).collections;
      assert.ok(collections.length >= 23);
      for (const c of collections) {
        if (c.scope === 'mcp') continue; // MCP clients have no v4 form and are not Hammock's to export
        const v5 = v5TextFromFiles(c.format, c.path, c.id);
        assert.deepEqual(checkV5Text(`${c.name}.yaml`, v5.text).map(formatIssue), [], `${c.path} as v5`);
        const v4 = exportInsomniaV4FromDocs([readCollectionDocs(c.format, c.path, c.id).docs]);
        assert.deepEqual(checkV4Text(`${c.name}.json`, v4.text).map(formatIssue), [], `${c.path} as v4`);
      }
    });
  });
});
