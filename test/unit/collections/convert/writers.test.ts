// The writers on every fixture: load -> write (v5 file, .insomnia files) -> load gives the same model
// (diffSnapshots empty for the same format, and a field-by-field comparison across formats).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { renderDocument } from '../../../../src/collections/convert/insomniaDocs';
import { loadWorkspace } from '../../../../src/collections/scan';
import { writeChanges } from '../../../../src/collections/store';
import { diffSnapshots } from '../../../../src/collections/diff';
import type { Collection } from '../../../../src/collections/model';
import { collectionToV5Text } from '../../../../src/collections/convert/v5Writer';
import { collectionToLegacyFiles } from '../../../../src/collections/convert/legacyWriter';
import { fieldDifferences } from './modelCompare';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');
const DIRS = ['v5/kong-example', 'v5/upstream-roundtrip', ...fs.readdirSync(path.join(FIXTURES, 'legacy')).map((d) => `legacy/${d}`)];

/** What differs between formats by design: the spec text is re-serialised (same OpenAPI data), its fileName is the collection's in v5. */
function crossFormat(before: Collection, after: Collection): string[] {
  return fieldDifferences(before, after).filter((d) => {
    if (/\.spec\.fileName:/.test(d)) return after.format !== 'v5';
    if (/\.spec\.contents:/.test(d)) return JSON.stringify(load(before.spec!.contents)) !== JSON.stringify(load(after.spec!.contents));
    return true;
  });
}

describe('v5 and legacy writers on the fixtures', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-writers-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const dir of DIRS) {
    it(`${dir}: every collection reads back the same from a v5 file and from .insomnia files`, async () => {
      const snap = await loadWorkspace(path.join(FIXTURES, dir));
      assert.ok(snap.collections.length > 0);
      for (const c of snap.collections) {
        const out = fs.mkdtempSync(path.join(tmp, 'c-'));
        await writeChanges([{ path: path.join(out, 'v5', 'c.yaml'), content: collectionToV5Text(c) }]);
        await writeChanges(collectionToLegacyFiles(c, path.join(out, 'legacy', '.insomnia')));
        const [v5] = (await loadWorkspace(path.join(out, 'v5'))).collections;
        const [legacy] = (await loadWorkspace(path.join(out, 'legacy'))).collections;
        assert.deepEqual(v5.problems, [], `${c.name}: v5 problems`);
        assert.deepEqual(crossFormat(c, v5), [], `${c.name} -> v5`);
        const socketIO = JSON.stringify(c).includes('"socketIORequest"');
        if (!socketIO) {
          assert.deepEqual(legacy.problems, [], `${c.name}: legacy problems`);
          assert.deepEqual(crossFormat(c, legacy), [], `${c.name} -> legacy`);
        }
        // the same format: the request-level diff sees no change (the diff pairs collections by format and id)
        const same = c.format === 'v5' ? v5 : legacy;
        if (c.format === 'v5' || !socketIO) assert.deepEqual(diffSnapshots([c], [same]).collections, []);
      }
    });
  }

  it('writes Insomnia\'s key order (schema 5.2: `type` after `name`): top level, request and meta', async () => {
    const [c] = (await loadWorkspace(path.join(FIXTURES, 'v5/kong-example'))).collections.filter((x) => x.name === 'Everything');
    const text = collectionToV5Text(c);
    const top = text.split('\n').filter((l) => /^[a-z_A-Z]+:/.test(l)).map((l) => l.split(':')[0]);
    assert.deepEqual(top, ['type', 'schema_version', 'name', 'meta', 'collection', 'cookieJar', 'environments']);
    const login = text.slice(text.indexOf('- url: "{{ _.base_url }}/user/login"'));
    const keys = login.split('\n').slice(0, 100).filter((l) => /^ {8}[a-zA-Z]+:/.test(l)).map((l) => l.trim().split(':')[0]);
    assert.deepEqual(keys.slice(0, 9), ['name', 'type', 'meta', 'method', 'body', 'headers', 'authentication', 'scripts', 'settings']);
    // the workspace's stamps come from its items (the model keeps none for it), never from the clock
    const ws = load(text) as { meta: { created: number; modified: number } };
    assert.equal(ws.meta.created, 1761833477916);
    assert.equal(ws.meta.modified, 1761833997813);
    assert.match(login, /meta:\n {10}id: req_4a718571131347b6bf7c1960ac0aa461\n {10}created: \d+\n {10}modified: \d+\n {10}isPrivate: false\n {10}description: \|-/);
  });

  it('renderDocument reads back exactly for 2,000 generated multi-line strings (blanks, tabs, indentation, comments)', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const parts = ['a', ' ', '  ', '\t', '\n', '\n\n', '#', '- ', ': ', '"', "'", '|', '>', '{', '}', 'x y', '\r\n', '%', '@', '`', '\u00e9', '...', '---'];
    for (let i = 0; i < 2000; i++) {
      let text = '';
      for (let j = rnd(12) + 1; j > 0; j--) text += parts[rnd(parts.length)];
      const value = { _id: 'req_x', type: 'Request', description: text, body: { text: `${text}\n${text}` } };
      const written = renderDocument(value);
      assert.ok(written.startsWith('_id: req_x\n'), `YAML, not the JSON last resort: ${JSON.stringify(text)}`);
      assert.deepEqual(load(written, { schema: CORE_SCHEMA }), value, JSON.stringify(text));
    }
  });

  it('a string yaml cannot write as a block scalar (whitespace-only lines) still reads back exactly', async () => {
    const [c] = (await loadWorkspace(path.join(FIXTURES, 'legacy/kong-demo-with-tests'))).collections;
    const out = fs.mkdtempSync(path.join(tmp, 'ws-'));
    await writeChanges(collectionToLegacyFiles(c, path.join(out, '.insomnia')));
    const [back] = (await loadWorkspace(out)).collections;
    assert.ok(/\n {2}\n/.test(c.spec!.contents));
    assert.equal(back.spec!.contents, c.spec!.contents);
  });
});
