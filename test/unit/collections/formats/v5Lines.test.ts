// The line of each v5 item (source.line, used by the tree, Test Explorer ranges and Problems) read from the line
// table the piece parse scanned equals the line the separate walk over the text finds (parseV5File, which has no
// table), on every real v5 fixture, on the generated 3,000-request file, and on random documents with comments and
// blank lines slipped in at random columns; and the problems are the same.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import type { Collection, Item } from '../../../../src/collections/model';
import { parseV5File, parseV5FileInPieces } from '../../../../src/collections/formats/v5';
import { parseV5Pieces, scanLines } from '../../../../src/collections/formats/v5Pieces';
import { Slicer } from '../../../../src/collections/slicer';
import { v5Text } from '../../../../bench/generate';
import { FIXTURES, v5Fixtures } from './v5Fixtures';


/** every node with a source, in tree order: its path, id and line. */
function lines(c: Collection | undefined): string[] {
  if (!c) return [];
  const out: string[] = [];
  const item = (i: Item): void => {
    out.push(`${i.source.yamlPath.join('.')} ${i.id} ${i.source.line}`);
    if (i.kind === 'folder') i.children.forEach(item);
  };
  c.children.forEach(item);
  const env = c.baseEnvironment;
  if (env) for (const e of [env, ...env.subEnvironments]) out.push(`${e.source.yamlPath.join('.')} ${e.id} ${e.source.line}`);
  if (c.spec) out.push(`spec ${c.spec.source.line}`);
  for (const s of c.testSuites ?? []) out.push(`${s.source.yamlPath.join('.')} ${s.source.line}`);
  return out;
}

/** parses `text` both ways; asserts the same lines and problems; returns how many items had a line. */
async function same(file: string, text: string): Promise<number> {
  const walked = parseV5File(file, text);
  const tabled = (await parseV5FileInPieces(file, text, { always: true, slicer: new Slicer(undefined, 1) })).result;
  const a = lines(walked.collection);
  assert.deepEqual(lines(tabled.collection), a, file);
  assert.deepEqual(tabled.problems, walked.problems, file);
  assert.deepEqual(tabled.collection?.problems, walked.collection?.problems, file);
  return a.length;
}

describe('v5 item lines from the piece scan', () => {
  it('the piece parse hands its line table to the build when it cut the text', async () => {
    const text = v5Text({ requests: 50, folders: 5, environments: 2, seed: 3 });
    assert.ok((await parseV5Pieces(text, { always: true })).lines, 'a cut text gives its line table');
  });

  it('equal the walked lines on every real v5 fixture', async () => {
    const files = v5Fixtures();
    assert.ok(files.length >= 10, `found ${files.length} v5 fixtures`);
    let items = 0;
    for (const file of files) items += await same(file, readFileSync(file, 'utf8'));
    assert.ok(items > 50, `${items} items compared`);
  });

  it('equal the walked lines on the generated 3,000-request file', async () => {
    const n = await same('big.yaml', v5Text({ requests: 3000, folders: 300, environments: 6, seed: 2 }));
    assert.ok(n > 3300, `${n} items compared`);
  });

  it('equal the walked lines on random documents with comments and blank lines (fast-check, seeded)', async () => {
    const scalar = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', 'a: b', '- x', '#', 'multi\nline\ntext\n', 'children:', 'null'), fc.integer());
    const leaf = fc.dictionary(fc.constantFrom('name', 'url', 'method', 'description', 'children'), scalar, { maxKeys: 3 });
    const item: fc.Memo<Record<string, unknown>> = fc.memo((n): fc.Arbitrary<Record<string, unknown>> =>
      n <= 1
        ? fc.record({ url: scalar, method: fc.constantFrom('GET', 'POST'), meta: fc.record({ id: fc.string({ minLength: 1, maxLength: 6 }) }), headers: fc.array(leaf, { maxLength: 2 }) }, { requiredKeys: ['url'] })
        : fc.record({ name: fc.string({ maxLength: 8 }), meta: fc.record({ id: fc.string({ minLength: 1, maxLength: 6 }) }), children: fc.array(item(n - 1), { maxLength: 4 }), description: scalar }, { requiredKeys: ['name'] }),
    );
    const inserts = fc.array(fc.record({ at: fc.nat(), col: fc.nat({ max: 12 }), kind: fc.constantFrom('blank', 'comment', 'spaces') }), { maxLength: 6 });
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(item(4), { maxLength: 8 }), fc.constantFrom(true, false), fc.boolean(), inserts, async (collection, indentSeq, withEnv, extra) => {
        const doc: Record<string, unknown> = { type: 'collection.insomnia.rest/5.0', name: 'r', meta: { id: 'wrk_1' }, collection };
        if (withEnv) doc.environments = { name: 'Base', meta: { id: 'env_1' }, subEnvironments: [{ name: 's', meta: { id: 'env_2' } }] };
        const ls = YAML.stringify(doc, { indentSeq }).split('\n');
        for (const { at, col, kind } of extra) {
          const line = kind === 'blank' ? '' : kind === 'spaces' ? ' '.repeat(col) : `${' '.repeat(col)}# c`;
          ls.splice(1 + (at % ls.length), 0, line);
        }
        compared += await same('r.yaml', ls.join('\n'));
      }),
      { seed: 20261205, numRuns: 300 },
    );
    assert.ok(compared > 300, `${compared} items compared`);
  });
});

describe('merge conflict markers noted by the scan', () => {
  it('give the problem the separate search gives, at the same line, wherever the markers are (fast-check, seeded)', async () => {
    const text = readFileSync(path.join(FIXTURES, 'v5/kong-example/everything.yaml'), 'utf8');
    const ls = text.split('\n');
    let reported = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: ls.length - 1 }), fc.nat({ max: ls.length - 1 }), fc.boolean(), async (a, b, indented) => {
        const out = [...ls];
        out.splice(Math.max(a, b), 0, '>>>>>>> theirs');
        out.splice(Math.min(a, b), 0, `${indented ? ' ' : ''}<<<<<<< HEAD`);
        const t = out.join('\n');
        const walked = parseV5File('e.yaml', t);
        const scanned = (await parseV5FileInPieces('e.yaml', t, { always: true })).result;
        assert.deepEqual(scanned.problems, walked.problems);
        assert.equal(scanned.collection === undefined, walked.collection === undefined);
        if (walked.problems.some((p) => /merge conflict/.test(p.message))) reported++;
      }),
      { seed: 20261205, numRuns: 60 },
    );
    assert.ok(reported > 10, `${reported} runs reported the conflict`);
  });
});

describe('scanLines', () => {
  it("gives each line's start, indentation and `- ` as a split of the text does (fast-check, seeded)", async () => {
    const chunk = fc.constantFrom('', ' ', '  ', '-', '- ', '-x', '#', ' # c', 'a: b', '\t', '\r', '\n', '\r\n', '\n\n', '  - ', '<<<<<<< HEAD', '<<<<<<', ' <<<<<<<');
    await fc.assert(
      fc.asyncProperty(fc.array(chunk, { maxLength: 40 }), async (parts) => {
        const text = parts.join('');
        const t = await scanLines(text, undefined);
        // a final line break ends the last line; it does not start another (but an empty text is one blank line)
        const ls = text.split('\n');
        if (ls.length > 1 && ls[ls.length - 1] === '') ls.pop();
        assert.equal(t.count, ls.length, JSON.stringify(text));
        let at = 0;
        ls.forEach((l, i) => {
          const content = l.replace(/^ */, '');
          const blank = content === '' || content.startsWith('\r') || content.startsWith('#');
          assert.equal(t.start[i], at, `start of line ${i} of ${JSON.stringify(text)}`);
          assert.equal(t.indent[i], blank ? -1 : l.length - content.length, `indent of line ${i} of ${JSON.stringify(text)}`);
          assert.equal(t.entry[i], !blank && /^-(?:[ \t\r]|$)/.test(content) ? 1 : 0, `entry of line ${i} of ${JSON.stringify(text)}`);
          at += l.length + 1;
        });
        assert.equal(t.start[t.count], text.length);
        assert.equal(t.conflict, ls.findIndex((l) => l.startsWith('<<<<<<<')), `conflict line of ${JSON.stringify(text)}`);
      }),
      { seed: 20261205, numRuns: 500 },
    );
  });
});
