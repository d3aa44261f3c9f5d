// loadLegacyYaml (the fast path for the YAML Insomnia writes into legacy files) gives exactly js-yaml's value
// (loadYaml: the core schema) whenever it gives one, and gives up (undefined) on whatever it does not read, so that
// js-yaml reads it: on the legacy fixtures, on generated Insomnia documents (which it must take, or it saves
// nothing), on hand-picked edges of the subset, and on random documents and random damage to them.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import * as jsYaml from 'js-yaml';
import YAML from 'yaml';
import { generateCollection, legacyFiles } from '../../../../bench/generate';
import { loadYaml } from '../../../../src/collections/formats/fields';
import { loadLegacyYaml } from '../../../../src/collections/formats/legacyYaml';

const FIXTURES = path.join(__dirname, '../../../fixtures');

/** js-yaml's outcome: its value, or that it threw. */
function reference(text: string): { value?: unknown; threw?: true } {
  try {
    return { value: loadYaml(text) };
  } catch {
    return { threw: true };
  }
}

/** The fast path's value, when it gives one, is js-yaml's; returns whether it gave one. */
function agrees(text: string): boolean {
  const fast = loadLegacyYaml(text);
  if (fast === undefined) return false;
  assert.deepStrictEqual({ value: fast }, reference(text), JSON.stringify(text));
  return true;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

/** plain scalars at the edges of the core schema's implicit types, and strings that look like them or like YAML syntax. */
const SCALARS = [
  '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'yes', 'no', 'on', '0', '-0', '+0',
  '007', '08', '0x1F', '0o17', '0b101', '1_000', '1e3', '1.5e-3', '-1.5E+3', '.5', '5.', '-.5', '.', '-', '+', '.inf', '-.inf',
  '.nan', '.NaN', '1:20', '2025-10-13', '12345678901234567890', '-1700882681647', '-1700919295534.75', '1e400', 'Infinity',
  'NaN', '{{ _.base_url }}/v1/x', 'é', '€5', 'a b', 'a:b', 'a: b', 'a:', 'a #b', 'a#b', '#a', 'http://x.y/z?q=1#f', '-x', '- x',
  '--', '---', '...', '?x', ':x', ',x', 'x,y', '[x]', '{x}', '[]', '{}', '[ ]', '&a x', '*a', '!!str 1', '!x', '|', '|-', '>',
  '>-', '|+', '|2', "'q'", "'q''s'", "'q", '"q"', '"q\\"s"', '"a\\nb"', '"', '""', "''", '%x', '@x', '`x', 'x\u2028y', 'x ',
  ' x', '__proto__', '<<', 'a\tb',
];

const KEYS = ['_id', 'type', 'name', 'a', 'b', 'x-y', 'a.b', 'true', 'null', '0x10', '1e3', '.5', '-1', '"&"', "'q'", '"a b"', '"a\\"b"', 'a b', '__proto__', '<<', '&a k', '? k', '-k', '"k'];

const TAKEN_SCALARS = ['x', 'Request', '-1700882681647', '1.5', 'true', 'null', '""', '"{{ _.x }}"', "'a: b'", '{}', '[]', 'a/b', 'x-y z'];
const TAKEN_KEYS = ['_id', 'type', 'name', 'a', 'b', 'c', 'd', 'x-y', 'a.b', '"&"', 'true', '1e3'];

/** a random document in (and around) the subset: nested mappings, sequences (compact or not), scalars and block scalars. */
function documentText(): fc.Arbitrary<string> {
  // mostly what the subset reads, so that both sides of its edges are reached
  const scalar = fc.oneof({ arbitrary: fc.constantFrom(...SCALARS), weight: 1 }, { arbitrary: fc.constantFrom(...TAKEN_SCALARS), weight: 4 });
  const key = fc.oneof({ arbitrary: fc.constantFrom(...KEYS), weight: 1 }, { arbitrary: fc.constantFrom(...TAKEN_KEYS), weight: 6 });
  const line = fc.oneof(fc.constantFrom('', 'text', '  more', '{', '  "k": 1', '}', '- item', '# not a comment', 'a: b', ' '), fc.string({ maxLength: 6 }));
  const blockScalar = fc.tuple(fc.constantFrom('|', '|-', '>', '>-'), fc.array(line, { minLength: 0, maxLength: 5 }));
  // a scalar over several lines: its lines, each indented past the key, or not
  const piece = fc.constantFrom('x', 'a b', 'tail  ', '', '  ', '\\n', '\\"', "''", '\\u00e9', '\\x41', '\\q', '\\U0001F600', '\\', 'k: v', '# c', '- i', '"', "'", ' #x', '1');
  const multi = fc.tuple(fc.constantFrom('"', "'", ''), fc.array(piece, { minLength: 1, maxLength: 4 }), fc.boolean());
  type Node = { kind: 'scalar'; v: string } | { kind: 'multi'; quote: string; lines: string[]; flush: boolean } | { kind: 'block'; header: string; lines: string[] } | { kind: 'map'; entries: [string, Node][] } | { kind: 'seq'; items: Node[]; compact: boolean };
  const { node } = fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar.map((v): Node => ({ kind: 'scalar', v })),
      blockScalar.map(([header, lines]): Node => ({ kind: 'block', header, lines })),
      multi.map(([quote, lines, flush]): Node => ({ kind: 'multi', quote, lines, flush })),
      fc.array(fc.tuple(key, tie('node')), { maxLength: 4 }).map((entries): Node => ({ kind: 'map', entries })),
      fc.tuple(fc.array(tie('node'), { maxLength: 3 }), fc.boolean()).map(([items, compact]): Node => ({ kind: 'seq', items, compact })),
    ),
  }));
  const render = (n: Node, indent: string, out: string[], prefix: string): void => {
    // `prefix`: what precedes the value on its line (`key:` or `-`)
    if (n.kind === 'scalar') out.push(`${prefix} ${n.v}`);
    else if (n.kind === 'multi') {
      const lines = n.lines.map((l, i) => (i === 0 || l === '' || n.flush ? l : `${indent}  ${l}`));
      out.push(`${prefix} ${n.quote}${lines.join('\n')}${n.quote}`);
    }
    else if (n.kind === 'block') {
      out.push(`${prefix} ${n.header}`);
      for (const l of n.lines) out.push(l === '' ? '' : `${indent}  ${l}`);
    } else if (n.kind === 'map') {
      if (n.entries.length === 0) return void out.push(`${prefix} {}`);
      out.push(prefix);
      for (const [k, v] of n.entries) render(v, `${indent}  `, out, `${indent}  ${k}:`);
    } else {
      if (n.items.length === 0) return void out.push(`${prefix} []`);
      out.push(prefix);
      const itemIndent = n.compact ? indent : `${indent}  `;
      for (const item of n.items) render(item, `${itemIndent}  `, out, `${itemIndent}-`);
    }
  };
  const top = fc.array(fc.tuple(key, node), { minLength: 1, maxLength: 6 }).map((entries) => {
    const out: string[] = [];
    for (const [k, v] of entries) render(v, '', out, `${k}:`);
    return out.join('\n') + '\n';
  });
  return top;
}

/** what happens to a document's first line of a sequence item's mapping (`-` then `key: value` inline) matters too. */
function inlineItems(text: string): string {
  return text.replace(/^( *)-\n\1  (\S)/gm, '$1- $2');
}

describe('loadLegacyYaml: the fast path for legacy files', () => {
  it('gives js-yaml\'s value for every legacy fixture it reads, and reads most of them', () => {
    const files = yamlFiles(path.join(FIXTURES, 'legacy')).filter((f) => f.includes(`${path.sep}.insomnia${path.sep}`));
    assert.ok(files.length >= 20, `found ${files.length} legacy fixtures`);
    const read = files.filter((f) => agrees(readFileSync(f, 'utf8'))).length;
    assert.ok(read >= files.length / 2, `read ${read} of ${files.length}`);
  });

  it('reads the documents Insomnia writes (the yaml package), to js-yaml\'s values', () => {
    const files = legacyFiles(generateCollection({ requests: 400, folders: 30, environments: 4, seed: 7 }));
    const read = files.filter((f) => agrees(f.text)).length;
    // multi-line quoted scalars (long descriptions, one-line bodies folded) are left to js-yaml
    assert.ok(read >= files.length * 0.7, `read ${read} of ${files.length}`);
    for (const doc of [
      { _id: 'req_1', type: 'Request', description: 'one\n\ntwo\n  indented\nthree\n', body: { text: '{\n  "a": 1\n}' }, n: -1.5, list: [] },
      { _id: 'env_1', type: 'Environment', data: { 'a key': 1, nested: { deep: ['x', 1, true, null] } }, order: { '&': ['a', 'b'] } },
      { _id: 'x', type: 'T', s: 'trailing\n\n\n', t: '\n', u: '  leading', v: 'a\n  b\nc', w: 'café — ✓', x: '0x1F', y: 'true' },
    ]) {
      for (const text of [YAML.stringify(doc), YAML.stringify(doc, { indentSeq: false })]) agrees(text);
    }
  });

  it('reads the subset\'s edges to js-yaml\'s values', () => {
    const taken = [
      'a: 1\n', 'a: 1', 'a:\n', 'a:\nb: 2\n', 'a: -1\nb: .5\nc: ~\nd: "x"\ne: \'y\'\nf: {}\ng: []\n', '"&": 1\n', 'a:\n  - x\n  - y\n',
      'a:\n- x\n- y\nb: 1\n', 'a:\n  - k: 1\n    l: 2\n  - k: 3\n', 'a: |-\n  x\n\n  y\n\nb: 1\n', 'a: |\n  x\n    y\nb: 1\n',
      'a: -0\nb: 0\nc: 007\nd: -12\ne: 123456789012345\nf: -1234567890123456\ng: true\nh: false\ni: null\nj: True\n',
      'a: >\n  x\n  y\n\n  z\n   more\n  w\n', 'a: >-\n  x\n', 'a: |\n  x', 'true: 1\n0x10: 2\n', 'a:   b\n', 'a: b#c\n', 'a: http://x:80/\n',
      // quoted scalars over several lines, escapes
      'a: "x\\ny"\n', 'a: "x\n  y"\n', 'a: "x  \n\n\n    y  "\n', "a: 'it''s\n  ''q'''\n", 'a: "\\u00e9\\x41\\t\\"\\\\\\/\\N\\_\\L\\P\\0"\n',
      'a:\n  - "x\n    y"\n  - k: \'a\n      b\'\n', 'a: "\\ud83d\\ude00"\n',
      // plain scalars over several lines
      'a: x\n  y\nb: 1\n', 'a: 1\n  2\n', 'a: x\n\n  y\n\n\n  - z\n', 'a:\n  - x\n    y\n  - k: v\n      w\n',
    ];
    for (const text of taken) assert.ok(agrees(text), `reads ${JSON.stringify(text)}`);
    const left = [
      '', '\n', '- a\n', 'a: 1\n\nb: 2\n', '# c\na: 1\n', 'a: 1 # c\n', 'a: 1\na: 2\n', '__proto__: 1\n', 'a: &x 1\nb: *x\n', 'a: !!str 1\n',
      'a: [1]\n', 'a: "x\\\n  y"\n', 'a: "\\U0001F600"\n', 'a: "\\q"\n', 'a: "\\x4"\n', 'a: "x\ny"\n', 'a: "x" \n', 'a: "x\n', "a: 'x'y'\n",
      'a: x\ny\n', 'a: x\n  y: z\n', 'a: x\n  # c\n', 'a: x\n\n', 'a:\tb\n', 'a: b\r\n', '---\na: 1\n', 'a: 1 \n', '\ufeffa: 1\n',
      'a: |\n\n  x\n', 'a: |+\n  x\n', 'a: |2\n  x\n', 'a: |\nb: 1\n', 'a:\n  - |\n    x\n', 'a:\n  -\n    x\n', 'a b: 1\n',
    ];
    for (const text of left) {
      assert.equal(loadLegacyYaml(text), undefined, `leaves ${JSON.stringify(text)} to js-yaml`);
    }
  });

  it('gives js-yaml\'s value on random documents in and around the subset, and reads a good share of them', () => {
    let read = 0;
    let runs = 0;
    fc.assert(
      fc.property(documentText(), fc.boolean(), (text, inline) => {
        runs++;
        if (agrees(inline ? inlineItems(text) : text)) read++;
      }),
      { seed: 20261205, numRuns: 3000 },
    );
    assert.ok(read > runs / 10, `read ${read} of ${runs}`);
  });

  it('gives js-yaml\'s value on any document the yaml package or js-yaml writes, whatever its strings hold', () => {
    // values of any shape whose strings hold any character (YAML's specials, line breaks, spaces at the ends, every
    // plane of unicode), written as Insomnia writes them (the yaml package, with and without indented sequences and
    // line folding) and as js-yaml dumps them: what the fast path reads, it reads as js-yaml does
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({ unit: fc.constantFrom(' ', '\n', ':', '#', '-', '"', "'", '\\', '|', '>', 'a', '0', '.', 'e', '{', '}', '[', ']', '\t', '\r', '\u2028', 'é', '😀'), maxLength: 16 }),
      fc.constantFrom(...SCALARS),
    );
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        text,
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(text, tie('value'), { maxKeys: 4 }),
      ),
    }));
    let read = 0;
    fc.assert(
      fc.property(fc.dictionary(text, value, { minKeys: 1, maxKeys: 6 }), fc.constantFrom(0, 1, 2, 3), (doc, style) => {
        let written: string;
        try {
          written =
            style === 0 ? YAML.stringify(doc)
            : style === 1 ? YAML.stringify(doc, { indentSeq: false })
            : style === 2 ? YAML.stringify(doc, { lineWidth: 20, minContentWidth: 0 })
            : jsYaml.dump(doc, { schema: jsYaml.CORE_SCHEMA, lineWidth: 30 });
        } catch {
          return; // a value the writer refuses
        }
        if (agrees(written)) read++;
      }),
      { seed: Number(process.env.LEGACY_YAML_SEED ?? 20261205), numRuns: Number(process.env.LEGACY_YAML_RUNS ?? 4000) },
    );
    assert.ok(read > 200, `read ${read} documents`); // 353 at this seed: the property is not vacuous
  });

  it('gives js-yaml\'s value, or gives up, on random damage to Insomnia\'s documents', () => {
    const texts = legacyFiles(generateCollection({ requests: 60, folders: 6, environments: 2, seed: 3 })).map((f) => f.text);
    const damage = fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('', ' ', '  ', '\n', '\n\n', ':', ': ', '- ', '#', ' #', '"', "'", '|', '>', '\\', '{', '[', '&', '*', '!', 'a: 1\n', '\t', '\r'), fc.nat({ max: 3 }));
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.array(damage, { minLength: 1, maxLength: 3 }), (text, hits) => {
        let t = text;
        for (const [at, _, insert, cut] of hits) {
          const i = at % (t.length + 1);
          t = t.slice(0, i) + insert + t.slice(i + cut);
        }
        agrees(t);
      }),
      { seed: 20261205, numRuns: 3000 },
    );
  });
});
