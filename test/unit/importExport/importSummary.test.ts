// The import preview's data (what the page shows) and the validation of what the page posts back.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importText } from '../../../src/collections/convert/importText';
import type { ImportResult } from '../../../src/collections/convert/importTypes';
import { loadWorkspace } from '../../../src/collections/scan';
import type { Collection } from '../../../src/collections/model';
import * as os from 'node:os';
import { main } from '../../../src/cli';
import { isPreviewCommand } from '../../../src/importExport/importPreviewProtocol';
import { defaultNewFormat, formatLabel, summarizeImport, workspaceIds, type SummaryWorkspace } from '../../../src/importExport/importSummary';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');
const read = (rel: string) => fs.readFileSync(path.join(FIXTURES, rel), 'utf8');

function ws(collections: Collection[], over: Partial<SummaryWorkspace> = {}): SummaryWorkspace {
  return { root: '/repo', collections, hasLegacyFolder: false, formatSetting: 'auto', describe: (c) => path.relative('/repo', c.path), ...over };
}

describe('import preview summary', () => {
  let conduit: ImportResult;
  let conduitText: string;
  before(() => {
    conduitText = read('import/postman/realworld-conduit.postman_collection.v2.1.json');
    conduit = importText(conduitText, 'realworld-conduit.postman_collection.v2.1.json');
  });

  it('names the format, counts each collection, lists what is dropped with why and how many', () => {
    const s = summarizeImport(conduit, 'conduit.json', conduitText, ws([]));
    assert.equal(s.format, 'Postman collection v2.1');
    assert.deepEqual(s.collections, [{ name: 'Conduit', folders: 5, requests: 32, otherRequests: 0, environments: 1 }]);
    assert.equal(s.dropped.length, conduit.dropped.length);
    // Conduit's 30 test scripts are kept (translated), which the warnings say; Argos drops its saved examples
    assert.match(s.warnings.join('\n'), /^30 script\(s\) translated from Postman's API/m);
    const argosText = read('import/postman/argos-api.postman_collection.v2.0.json');
    const argos = summarizeImport(importText(argosText), 'argos.json', argosText, ws([]));
    const examples = argos.dropped.find((d) => /saved example response/.test(d.what));
    assert.equal(examples?.count, 26);
    assert.ok(examples?.why);
  });

  it('format labels carry the version the text states', () => {
    assert.equal(formatLabel('postman-collection', read('import/postman/argos-api.postman_collection.v2.0.json')), 'Postman collection v2.0');
    assert.equal(formatLabel('openapi', read('import/openapi/traccar.openapi-3.1.yaml')), 'OpenAPI 3.1.0');
    assert.equal(formatLabel('openapi', read('import/openapi/swagger-petstore3.openapi-3.0.yaml')), 'OpenAPI 3.0.4');
    assert.equal(formatLabel('insomnia-v4', ''), 'Insomnia v4 export');
  });

  it('default new format: the setting, else what the folder uses, else a .insomnia folder; v5 when a legacy folder cannot be made', async () => {
    const v5Only = (await loadWorkspace(path.join(FIXTURES, 'v5/kong-example'))).collections;
    assert.ok(v5Only.length > 0 && v5Only.every((c) => c.format === 'v5'));
    const root = path.join(FIXTURES, 'v5/kong-example');
    assert.equal(defaultNewFormat(conduit, ws(v5Only, { root })), 'v5');
    assert.equal(defaultNewFormat(conduit, ws([], { root })), 'legacy');
    assert.equal(defaultNewFormat(conduit, ws([], { root, hasLegacyFolder: true })), 'v5');
    assert.equal(defaultNewFormat(conduit, ws(v5Only, { root, formatSetting: 'legacy' })), 'legacy');
    assert.equal(defaultNewFormat(conduit, ws([], { root, formatSetting: 'v5' })), 'v5');
    const s = summarizeImport(conduit, 'x', conduitText, ws([], { root, hasLegacyFolder: true }));
    assert.match(s.newFormats.find((f) => f.format === 'legacy')?.unavailable ?? '', /already exists/);
    assert.deepEqual(s.initialTarget, { kind: 'new', format: 'v5' });
  });

  it('offers existing collections with every folder by its path', async () => {
    const collections = (await loadWorkspace(path.join(FIXTURES, 'v5/kong-example'))).collections;
    const s = summarizeImport(conduit, 'x', conduitText, ws(collections));
    const withFolders = s.existing.find((e) => e.folders.some((f) => f.label.includes(' / ')));
    assert.ok(withFolders, 'a nested folder is labelled with its path');
    assert.ok(s.existing.every((e) => collections.some((c) => c.path === e.collectionPath)));
    const ids = workspaceIds(collections);
    for (const c of collections) assert.ok(ids.has(c.id));
  });

  it('says before writing when the workspace already holds the import (same ids, or a collection of the same name)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-reimport-'));
    try {
      const freecloudText = read('import/insomnia/freecloudio-server.insomnia-v4.yaml');
      const quiet = { stdout: () => undefined, stderr: () => undefined, cwd: dir };
      assert.equal(await main(['import', path.join(FIXTURES, 'import/insomnia/freecloudio-server.insomnia-v4.yaml'), dir], quiet), 0);
      assert.equal(await main(['import', path.join(FIXTURES, 'import/postman/realworld-conduit.postman_collection.v2.1.json'), dir], quiet), 0);
      const collections = (await loadWorkspace(dir)).collections;
      const at = (over: Partial<SummaryWorkspace>) => ws(collections, { root: dir, describe: (c) => path.relative(dir, c.path), ...over });

      // an Insomnia export keeps its ids: the ones already in freecloud.yaml are counted
      const again = summarizeImport(importText(freecloudText), 'freecloud.yaml', freecloudText, at({}));
      const ids = workspaceIds(importText(freecloudText).collections).size;
      assert.deepEqual(again.warnings.filter((w) => /already/i.test(w)), [
        `Already imported: ${ids} of the ${ids} ids of this import are in "freecloud" (freecloud.yaml). Importing again adds a second copy with fresh ids; nothing there is replaced.`,
      ]);
      // `hammock import` says it too, before it writes the copy
      let out = '';
      assert.equal(await main(['import', path.join(FIXTURES, 'import/insomnia/freecloudio-server.insomnia-v4.yaml'), dir, '--dry-run'], { ...quiet, stdout: (t) => (out += t) }), 0);
      assert.match(out, new RegExp(`^warning: Already imported: ${ids} of the ${ids} ids of this import are in "freecloud" \\(freecloud\\.yaml\\)`, 'm'));
      // a Postman collection gets new ids on every import: its name is what is already there
      const conduitAgain = summarizeImport(conduit, 'conduit.json', conduitText, at({}));
      assert.deepEqual(conduitAgain.warnings.filter((w) => /already/i.test(w)), [
        'A collection named "Conduit" is already in the workspace (conduit.yaml): importing again as a new collection adds a second one.',
      ]);
      // nothing of it in the workspace: no such line
      const oauthText = read('import/insomnia/kong-insomnia-smoke-oauth.insomnia-v4.yaml');
      assert.deepEqual(summarizeImport(importText(oauthText), 'oauth.yaml', oauthText, at({})).warnings.filter((w) => /already/i.test(w)), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the page may post only ready, cancel, or import into a well-formed target', () => {
    assert.ok(isPreviewCommand({ type: 'ready' }));
    assert.ok(isPreviewCommand({ type: 'cancel' }));
    assert.ok(isPreviewCommand({ type: 'import', target: { kind: 'new', format: 'v5' } }));
    assert.ok(isPreviewCommand({ type: 'import', target: { kind: 'existing', collectionPath: '/r/a.yaml', parentId: 'fld_1' } }));
    for (const bad of [
      null,
      'ready',
      { type: 'ready', extra: 1 },
      { type: 'import' },
      { type: 'import', target: { kind: 'new', format: 'zip' } },
      { type: 'import', target: { kind: 'existing', collectionPath: '' } },
      { type: 'import', target: { kind: 'existing', collectionPath: '/a', parentId: 3 } },
      { type: 'import', target: { kind: 'new', format: 'v5', root: '/etc' } },
      { type: 'eval', code: '1' },
    ]) {
      assert.equal(isPreviewCommand(bad), false, JSON.stringify(bad));
    }
  });
});
