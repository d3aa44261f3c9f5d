// loadItemAtRef (one object at a commit, reading a handful of files) and renderRevision (its v5-looking YAML), on
// generated legacy and v5 histories.
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { loadItemAtRef } from '../../../src/git/itemAtRef';
import { diffRefs } from '../../../src/git/refDiff';
import { renderRevision } from '../../../src/review/renderRevision';
import { changedState, commitAll, gitRepo, initialState, writeLegacy, writeV5, WRK } from '../collections/generatedHistory';

describe('loadItemAtRef and renderRevision', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const format of ['legacy', 'v5'] as const) {
    it(`${format}: a request, a folder and the environment at each commit`, async () => {
      const dir = gitRepo();
      dirs.push(dir);
      const where = { format, path: format === 'legacy' ? path.join(dir, '.insomnia') : path.join(dir, 'api.yaml'), id: WRK };
      const write = (s: ReturnType<typeof initialState>) => (format === 'legacy' ? writeLegacy(dir, s) : writeV5(where.path, s));
      write(initialState());
      commitAll(dir, 'first');
      write(changedState());
      commitAll(dir, 'second');

      const before = await loadItemAtRef(dir, 'HEAD~1', where, 'req_1');
      const after = await loadItemAtRef(dir, 'HEAD', where, 'req_1');
      assert.ok(before?.item && after?.item);
      assert.deepEqual(before.path, ['A']);
      const oldText = renderRevision(before);
      const newText = renderRevision(after);
      const name = format === 'legacy' ? 'Generated' : 'Generated v5';
      assert.equal(oldText.split('\n')[0], `# ${name} / A / Get users`);
      const oldDoc = load(oldText) as Record<string, unknown>;
      const newDoc = load(newText) as Record<string, unknown>;
      assert.equal(oldDoc.url, 'https://api.test/users');
      assert.equal(newDoc.url, 'https://api.test/v2/users');
      assert.deepEqual((newDoc.headers as { name: string; value: string }[])[0], { name: 'X-Token', value: 'b' });
      assert.deepEqual(Object.keys(oldDoc.meta as object).sort(), ['description', 'id', 'isPrivate', 'sortKey']);
      assert.equal((oldDoc.meta as { id: string }).id, 'req_1');

      // moved: the path line says from where to where; stamps only: the same text
      const movedBefore = renderRevision((await loadItemAtRef(dir, 'HEAD~1', where, 'req_3'))!);
      const movedAfter = renderRevision((await loadItemAtRef(dir, 'HEAD', where, 'req_3'))!);
      assert.match(movedBefore, /^# .* \/ A \/ Moved\n/);
      assert.match(movedAfter, /^# .* \/ B \/ Moved\n/);
      assert.equal(renderRevision((await loadItemAtRef(dir, 'HEAD~1', where, 'req_4'))!), renderRevision((await loadItemAtRef(dir, 'HEAD', where, 'req_4'))!));

      // a folder without its children; the base environment; the collection itself
      const folder = load(renderRevision((await loadItemAtRef(dir, 'HEAD', where, 'fld_b'))!)) as Record<string, unknown>;
      assert.equal(folder.name, 'B');
      assert.equal(folder.children, undefined);
      const envFound = (await loadItemAtRef(dir, 'HEAD', where, 'env_0123456789abcdef0123456789abcdef'))!;
      assert.ok(envFound.environment);
      const env = load(renderRevision(envFound)) as Record<string, unknown>;
      assert.deepEqual(env.data, { baseUrl: 'https://api2.test', token: 'abc' });
      const coll = load(renderRevision((await loadItemAtRef(dir, 'HEAD', where, WRK))!)) as Record<string, unknown>;
      assert.equal(coll.name, name);

      // absent: the deleted request after, the added one before
      assert.equal(await loadItemAtRef(dir, 'HEAD', where, 'req_2'), undefined);
      assert.equal(await loadItemAtRef(dir, 'HEAD~1', where, 'req_5'), undefined);
      assert.equal(await loadItemAtRef(dir, 'HEAD', { ...where, id: 'wrk_other' }, 'req_1'), undefined);

      // what diffRefs reports, each side renders
      const d = await diffRefs(dir, 'HEAD~1', 'HEAD');
      assert.equal(d.diff.collections[0].changes.length, 5);
    });
  }
});
