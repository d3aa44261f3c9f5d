// Every import fixture through the importers and planImport: written as a v5 file and as a .insomnia folder, the
// files read back as the model the importer made (what the importer could carry, nothing more or less).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadWorkspace } from '../../../../src/collections/scan';
import { writeChanges } from '../../../../src/collections/store';
import { importText } from '../../../../src/collections/convert/importText';
import { planImport, planImportDetailed } from '../../../../src/collections/convert/planImport';
import { fieldDifferences } from './modelCompare';

const IMPORTS = path.resolve(process.cwd(), 'test/fixtures/import');
const FILES = fs.readdirSync(IMPORTS).flatMap((d) => fs.readdirSync(path.join(IMPORTS, d)).map((f) => path.join(d, f)));

describe('import fixtures written by planImport', function () {
  this.timeout(60_000);
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-impfx-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const rel of FILES) {
    it(`${rel}: v5 and legacy files read back as the imported model`, async () => {
      const result = importText(fs.readFileSync(path.join(IMPORTS, rel), 'utf8'), path.basename(rel));
      assert.ok(result.collections.length > 0);
      const v5Root = path.join(tmp, 'v5');
      await writeChanges(planImport(result, { kind: 'new', root: v5Root, format: 'v5', exists: fs.existsSync }));
      const back = (await loadWorkspace(v5Root)).collections;
      assert.equal(back.length, result.collections.length);
      for (const c of result.collections) {
        const b = back.find((x) => x.id === c.id)!;
        assert.ok(b, c.name);
        assert.deepEqual(b.problems, []);
        const diffs = fieldDifferences(c, b).filter((d) => !/\.spec\.(fileName|contents):/.test(d));
        assert.deepEqual(diffs, [], `${c.name} (v5)`);
      }
      if (result.collections.length === 1) {
        const legacyRoot = path.join(tmp, 'legacy');
        const plan = planImportDetailed(result, { kind: 'new', root: legacyRoot, format: 'legacy', exists: fs.existsSync });
        await writeChanges(plan.changes, plan.scope);
        const [l] = (await loadWorkspace(legacyRoot)).collections;
        assert.deepEqual(l.problems, []);
        // a legacy folder holds no Socket.IO request (Insomnia 10 has none): those are reported as not written, one line each
        const expected = result.collections[0];
        const socketIo = expected.children.filter((i) => i.kind === 'socketIORequest');
        assert.deepEqual(plan.notWritten.map((n) => n.what), socketIo.map((i) => `Socket.IO request ${JSON.stringify(i.name)}`));
        const withoutSocketIo = { ...expected, children: expected.children.filter((i) => i.kind !== 'socketIORequest') };
        assert.deepEqual(fieldDifferences(withoutSocketIo, l).filter((d) => !/\.spec\.(fileName|contents):/.test(d)), [], 'legacy');
      }
    });
  }
});
