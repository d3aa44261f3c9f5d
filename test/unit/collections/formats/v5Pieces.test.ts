// parseV5Pieces: a large v5 file parsed piece by piece gives what one js-yaml load of the whole text gives, on real
// files, on the generated 3,000-request file, and on random documents; after an edit only the changed piece is
// parsed again, and every other value is the same object as before.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { loadYaml } from '../../../../src/collections/formats/fields';
import { MISSING, parseV5Pieces, TextMap } from '../../../../src/collections/formats/v5Pieces';
import { Slicer } from '../../../../src/collections/slicer';
import { v5Text } from '../../../../bench/generate';
import { FIXTURES, v5Fixtures } from './v5Fixtures';


describe('parseV5Pieces', () => {
  it('gives what a whole parse gives on every real v5 fixture, cut into pieces', async () => {
    const files = v5Fixtures(path.join(FIXTURES, 'v5'));
    assert.ok(files.length >= 10, `found ${files.length} v5 fixtures`);
    let cut = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const result = await parseV5Pieces(text, { always: true });
      assert.deepEqual(result.doc, loadYaml(text), file);
      if (result.pieces > 1) cut++;
    }
    assert.ok(cut >= files.length - 1, `${cut} of ${files.length} files were cut into pieces`);
  });

  it('cuts the generated 3,000-request file into small pieces, yields between them, and parses only what an edit changed', async () => {
    const text = v5Text({ requests: 3000, folders: 300, environments: 6, seed: 2 });
    let yields = 0;
    const slicer = new Slicer(undefined, 2);
    const original = slicer.yield.bind(slicer);
    slicer.yield = () => (yields++, original());
    const first = await parseV5Pieces(text, { slicer });
    assert.deepEqual(first.doc, loadYaml(text));
    assert.ok(first.pieces > 100, `${first.pieces} pieces`);
    assert.equal(first.parsed, first.pieces);
    // a first parse parses neighbouring pieces together: far fewer js-yaml calls than pieces
    assert.ok(first.calls * 4 < first.pieces, `${first.calls} js-yaml calls for ${first.pieces} pieces`);
    assert.ok(yields > 5, `${yields} yields`);

    // one request's URL changes: one piece is parsed again, the rest comes from the cache
    const edited = text.replace(/^( +- )url: .*$/m, '$1url: https://changed.example/x');
    assert.notEqual(edited, text);
    const second = await parseV5Pieces(edited, { cache: first.cache });
    assert.deepEqual(second.doc, loadYaml(edited));
    assert.equal(second.parsed, 1);
    const firstItems = (first.doc as { collection: unknown[] }).collection;
    const secondItems = (second.doc as { collection: unknown[] }).collection;
    // the entries parsed with the edited one (its run of small entries, at most 16 KB) are new objects; the rest are
    // the same objects as before
    const same = secondItems.filter((item, i) => item === firstItems[i]).length;
    assert.ok(same >= secondItems.length - 16, `${same} of ${secondItems.length} top-level items kept their identity`);
    assert.ok(first.pieces < 1000, `${first.pieces} pieces for ${text.length} characters: small entries are parsed in runs`);
  });

  it('parses neighbouring pieces and whole cut folders together on a first parse, caching every piece as if parsed alone (fast-check, seeded)', async function () {
    this.timeout(90_000); // a few hundred kilobytes of YAML written and parsed four times a run
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 200, max: 600 }), fc.nat(), fc.constantFrom('url', 'name', 'description', 'value', 'children'), async (seed, requests, pick, key) => {
        const text = v5Text({ requests, folders: Math.ceil(requests / 8), environments: 2, seed, maxDepth: 3 });
        const first = await parseV5Pieces(text);
        assert.deepEqual(first.doc, loadYaml(text));
        assert.equal(first.parsed, first.pieces);
        assert.ok(first.calls < first.pieces, `${first.calls} js-yaml calls for ${first.pieces} pieces`);
        // every piece was cached under its own text, with its own value: the same text again parses nothing
        const again = await parseV5Pieces(text, { cache: first.cache });
        assert.equal(again.parsed, 0);
        assert.deepEqual(again.doc, first.doc);
        // one line edited (a value, or a folder's `children:` emptied): what a whole parse gives, parsing few pieces
        const lines = text.split('\n');
        const candidates = lines.flatMap((l, i) => (new RegExp(`^ *(- )?${key}:`).test(l) ? [i] : []));
        if (candidates.length === 0) return;
        const at = candidates[pick % candidates.length];
        lines[at] = key === 'children' ? lines[at].replace(/children:.*$/, 'children: []\n' + ' '.repeat(lines[at].indexOf('c')) + 'x-was: children') : `${lines[at]}-edited`;
        const edited = lines.join('\n');
        let expected: unknown;
        try {
          expected = loadYaml(edited);
        } catch {
          await assert.rejects(parseV5Pieces(edited, { cache: first.cache }));
          return;
        }
        const second = await parseV5Pieces(edited, { cache: first.cache });
        assert.deepEqual(second.doc, expected);
        if (key !== 'children') assert.ok(second.parsed <= 3, `${second.parsed} pieces parsed again after one line changed`);
      }),
      { seed: 20261205, numRuns: 10 },
    );
  });

  it('parses at once what it cannot cut: document markers, repeated keys, aliases across pieces, broken YAML', async () => {
    const big = (body: string) => body + `\n# ${'x'.repeat(70_000)}\n`;
    const marker = big('---\ntype: collection.insomnia.rest/5.0\nname: a\n');
    assert.deepEqual((await parseV5Pieces(marker)).doc, loadYaml(marker));
    const anchored = big('type: collection.insomnia.rest/5.0\nmeta: &m\n  id: wrk_1\ncollection:\n  - name: a\n    meta: *m\n');
    const r = await parseV5Pieces(anchored, { always: true });
    assert.deepEqual(r.doc, loadYaml(anchored));
    assert.equal(r.pieces, 1);
    const repeated = big('type: collection.insomnia.rest/5.0\nname: a\nname: b\n');
    await assert.rejects(parseV5Pieces(repeated), /duplicated mapping key/);
    const broken = big('type: collection.insomnia.rest/5.0\ncollection:\n  - name: [a\n');
    const expected = (() => {
      try {
        loadYaml(broken);
      } catch (e) {
        return (e as { mark: { line: number; column: number } }).mark;
      }
      throw new Error('the broken text parsed');
    })();
    await assert.rejects(parseV5Pieces(broken), (e: { mark?: { line: number; column: number } }) => e.mark?.line === expected.line && e.mark.column === expected.column);
  });

  it('gives what a whole parse gives on random documents (fast-check, seeded)', async () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('', 'a: b', '- x', '#', 'multi\nline\ntext\n', '  lead', 'trail  ', '{{ _.base_url }}/x', 'null', 'true', '12'),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const leaf: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(fc.constantFrom('name', 'url', 'method', 'description', 'value', 'x-y'), scalar, { maxKeys: 4 });
    const item: fc.Memo<Record<string, unknown>> = fc.memo((n) =>
      n <= 1
        ? leaf
        : fc.record({ name: fc.string({ maxLength: 10 }), meta: fc.record({ id: fc.string({ minLength: 1, maxLength: 8 }) }), children: fc.array(item(n - 1), { maxLength: 5 }), headers: fc.array(leaf, { maxLength: 2 }) }, { requiredKeys: ['name'] }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(item(4), { maxLength: 8 }), fc.dictionary(fc.constantFrom('name', 'schema_version', 'environments', 'cookieJar'), fc.oneof(scalar, leaf)), fc.constantFrom(0, 2), async (collection, top, seqIndent) => {
        const doc = { type: 'collection.insomnia.rest/5.0', ...top, collection };
        const text = YAML.stringify(doc, { indentSeq: seqIndent === 2 });
        const result = await parseV5Pieces(text, { always: true });
        assert.deepEqual(result.doc, loadYaml(text));
      }),
      { seed: 20261204, numRuns: 300 },
    );
  });
});

describe('TextMap (the piece cache)', () => {
  it('keeps texts apart that share their length and both ends, and finds only the exact text (fast-check, seeded)', () => {
    const ends = 'x'.repeat(70);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'ab', 'ba', ''), fc.integer()), { maxLength: 30 }), (ops) => {
        const map = new TextMap<number>();
        const model = new Map<string, number>();
        for (const [middle, value] of ops) {
          // the same 70 characters at each end: texts of one length collide on the sampled key
          const text = ends + middle + ends;
          assert.equal(map.get(text), model.get(text));
          assert.equal(map.has(text), model.has(text));
          map.set(text, value);
          model.set(text, value);
          assert.equal(map.size, model.size);
        }
        for (const [text, value] of model) assert.equal(map.lookup(text), value);
        assert.equal(map.lookup(ends + 'zz' + ends), MISSING);
      }),
      { seed: 20261205, numRuns: 200 },
    );
  });
});
