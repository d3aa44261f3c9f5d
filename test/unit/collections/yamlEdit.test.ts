import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { load as loadJsYaml } from 'js-yaml';
import { parse, stringify } from 'yaml';
import {
  deleteKey,
  deleteSeqItem,
  insertSeqItem,
  plainScalarText,
  renderYamlDocument,
  setScalar,
  setValue,
  topLevelSegments,
  YamlEditError,
  YamlEditor,
  type YamlPath,
} from '../../../src/collections/yamlEdit';
import { lineDiff } from './lineDiff';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ya?ml|json)$/.test(name)) yield p;
  }
}

const FIXTURE_FILES = [...walk(path.join(FIXTURES, 'legacy')), ...walk(path.join(FIXTURES, 'v5'))];
/** the one fixture that is not valid YAML (a broken OpenAPI file next to the v5 files). */
const BROKEN = path.join(FIXTURES, 'v5/kong-example/spec.yaml');

/** Every path `[..., 'name']` of a mapping that has a string `name`, anywhere in the parsed value. */
function namePaths(value: unknown, at: (string | number)[] = []): YamlPath[] {
  const out: YamlPath[] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...namePaths(v, [...at, i])));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'name' && typeof v === 'string') out.push([...at, 'name']);
      else if (k !== 'spec') out.push(...namePaths(v, [...at, k]));
    }
  }
  return out;
}

describe('yamlEdit', () => {
  describe('on every fixture file', () => {
    it('finds the fixtures', () => {
      assert.ok(FIXTURE_FILES.length >= 60, `only ${FIXTURE_FILES.length} fixture files`);
    });

    for (const file of FIXTURE_FILES) {
      const rel = path.relative(FIXTURES, file);
      if (file === BROKEN) {
        it(`${rel}: refuses to edit a file that is not valid YAML`, () => {
          const text = readFileSync(file, 'utf8');
          assert.throws(() => setValue(text, ['openapi'], '3.0.3'), YamlEditError);
        });
        continue;
      }
      it(`${rel}: no-op edits keep every byte, a rename and back gives the original bytes`, () => {
        const text = readFileSync(file, 'utf8');
        assert.equal(new YamlEditor(text).toString(), text);
        const paths = namePaths(parse(text));
        const key: YamlPath = paths.length > 0 ? paths[0] : ['fileName'];
        if (paths.length === 0) paths.push(key);
        for (const p of paths) {
          const original = new YamlEditor(text).value(p);
          assert.equal(typeof original, 'string', `${p.join('.')} is a string`);
          assert.equal(setScalar(text, p, original as string), text, `same value at ${p.join('.')}`);
          const renamed = setScalar(text, p, 'Renamed: "x" #1');
          assert.notEqual(renamed, text);
          const diff = lineDiff(text, renamed);
          assert.equal(diff.removed.length, 1, `one line removed for ${p.join('.')}`);
          assert.deepEqual(diff.added.map((l) => l.trim().replace(/^- /, '')), [`${p[p.length - 1]}: 'Renamed: "x" #1'`]);
          assert.equal(setScalar(renamed, p, original as string), text, `rename back at ${p.join('.')}`);
        }
      });
    }
  });

  describe('setValue / setScalar', () => {
    const v5File = path.join(FIXTURES, 'v5/kong-example/everything.yaml');
    const v5 = readFileSync(v5File, 'utf8');
    const subscribe = ['collection', 0, 'children', 1];

    const odd: readonly (readonly [string, string])[] = [
      ['a: b', `name: "a: b"`],
      ['# not a comment', `name: "# not a comment"`],
      ['it\'s "quoted"', `name: it's "quoted"`],
      ['"double"', `name: '"double"'`],
      ['  leading spaces', `name: "  leading spaces"`],
      ['trailing ', `name: "trailing "`],
      ['unicode ⍺ 日本語 😀', `name: unicode ⍺ 日本語 😀`],
      ['123', `name: "123"`],
      ['1e3', `name: "1e3"`],
      ['true', `name: "true"`],
      ['null', `name: "null"`],
      ['~', `name: "~"`],
      ['- dash', `name: "- dash"`],
      ['[x]', `name: "[x]"`],
      ['{x}', `name: "{x}"`],
      ['*alias', `name: "*alias"`],
      ['&anchor', `name: "&anchor"`],
      ['!tag', `name: "!tag"`],
      ['%', `name: "%"`],
      ['@at', `name: "@at"`],
      ['', `name: ""`],
      ['2025-10-13', `name: 2025-10-13`],
      ['tab\there', `name: tab\there`],
    ];
    for (const [value, line] of odd) {
      it(`writes ${JSON.stringify(value)} as Insomnia would, changing only its line, and reads back the same string`, () => {
        const out = setScalar(v5, [...subscribe, 'name'], value);
        const diff = lineDiff(v5, out);
        assert.deepEqual(diff.removed, ['        name: subscribe']);
        assert.deepEqual(diff.added, [`        ${line}`]);
        const back = parse(out) as { collection: { children: { name: unknown }[] }[] };
        assert.equal(back.collection[0].children[1].name, value);
      });
    }

    it('double-quotes a key that starts with a byte order mark, which every reader drops from a plain key', () => {
      for (const key of ['\ufeff', '\ufeffyes', '\ufeff: x']) {
        const text = new YamlEditor('data:\n  a: 1\n').set(['data', key], 'v').set(['data', 'sub'], { [key]: key }).toString();
        assert.deepEqual(parse(text), { data: { a: 1, [key]: 'v', sub: { [key]: key } } }, JSON.stringify(text));
        assert.deepEqual(parse(renderYamlDocument({ [key]: [{ [key]: 1 }] })), { [key]: [{ [key]: 1 }] });
      }
      // other keys are written as before
      assert.equal(renderYamlDocument({ a: { '\ufeffb': 1, c: 2 } }), 'a:\n  "\ufeffb": 1\n  c: 2\n');
    });

    it('writes a multi-line value as a block scalar at the right indentation', () => {
      const out = setScalar(v5, [...subscribe, 'name'], 'line one\nline two');
      const diff = lineDiff(v5, out);
      assert.deepEqual(diff.removed, ['        name: subscribe']);
      assert.deepEqual(diff.added, ['        name: |-', '          line one', '          line two']);
      const back = parse(out) as { collection: { children: { name: unknown }[] }[] };
      assert.equal(back.collection[0].children[1].name, 'line one\nline two');
    });

    it('folds a long value at 80 columns the way a whole-file YAML.stringify does', () => {
      const long = 'a long name '.repeat(10).trim();
      const out = setScalar(v5, [...subscribe, 'name'], long);
      const doc = parse(v5) as { collection: { children: { name: string }[] }[] };
      doc.collection[0].children[1].name = long;
      const whole = renderYamlDocument(doc);
      const wholeDiff = lineDiff(v5, whole);
      assert.ok(wholeDiff.added.length > 1, 'the long name is folded by yaml');
      assert.deepEqual(lineDiff(v5, out), wholeDiff);
    });

    it('replaces a block scalar by a plain one and back (the file keeps its bytes)', () => {
      const file = path.join(FIXTURES, 'legacy/kong-demo-with-tests/.insomnia/Request/req_1ac8784119b747b38ac3a9f211e95e8e.yml');
      const text = readFileSync(file, 'utf8');
      const original = new YamlEditor(text).value(['body', 'text']) as string;
      const plain = setScalar(text, ['body', 'text'], '{}');
      const diff = lineDiff(text, plain);
      assert.deepEqual(diff.added, ['  text: "{}"']);
      assert.equal(diff.removed.length, original.split('\n').length + 1);
      assert.equal(setScalar(plain, ['body', 'text'], original), text);
    });

    it('keeps a `|-2` block scalar untouched when another key changes', () => {
      const file = path.join(FIXTURES, 'legacy/kong-example-design/.insomnia/ApiSpec/spc_5eb712667d224bad81878f64e08415ec.yml');
      const text = readFileSync(file, 'utf8');
      assert.ok(text.includes('contents: |-2'));
      const out = setScalar(text, ['fileName'], 'openapi.yaml');
      assert.deepEqual(lineDiff(text, out), { removed: ['fileName: spec.yaml'], added: ['fileName: openapi.yaml'] });
    });

    it('keeps a trailing comment after a scalar', () => {
      assert.equal(setScalar('a: 1 # one\nb: 2\n', ['a'], 'x'), 'a: x # one\nb: 2\n');
    });

    it('adds a missing key at the end of its mapping, or before a given key', () => {
      const text = 'name: x\nmeta:\n  id: a\n  created: 1\nlast: z\n';
      assert.equal(setValue(text, ['meta', 'modified'], 5), 'name: x\nmeta:\n  id: a\n  created: 1\n  modified: 5\nlast: z\n');
      assert.equal(setValue(text, ['url'], ''), 'name: x\nmeta:\n  id: a\n  created: 1\nlast: z\nurl: ""\n');
      assert.equal(setValue(text, ['url'], 'u', { before: ['meta', 'last'] }), 'name: x\nurl: u\nmeta:\n  id: a\n  created: 1\nlast: z\n');
      assert.equal(setValue('a: 1', ['b'], 2), 'a: 1\nb: 2\n', 'a file without a final newline');
      assert.equal(setValue('a: {}\n', ['a', 'k'], 'v'), 'a:\n  k: v\n', 'an empty flow mapping becomes block');
      assert.equal(setValue('a:\nb: 1\n', ['a', 'k'], 'v'), 'a:\n  k: v\nb: 1\n', 'an empty value becomes a mapping');
    });

    it('replaces a collection value with a block rendering', () => {
      const text = 'a:\n  x: 1\n  y: 2\nb: 1\n';
      assert.equal(setValue(text, ['a'], { z: [1, 2] }), 'a:\n  z:\n    - 1\n    - 2\nb: 1\n');
      assert.equal(setValue(text, ['a'], 'flat'), 'a: flat\nb: 1\n');
      assert.equal(setValue('a: flat\nb: 1\n', ['a'], { x: 1 }), 'a:\n  x: 1\nb: 1\n');
    });

    it('keeps CRLF line ends', () => {
      const text = 'a: 1\r\nlist:\r\n  - x\r\n';
      assert.equal(setValue(text, ['b'], 'two\nlines'), 'a: 1\r\nlist:\r\n  - x\r\nb: |-\r\n  two\r\n  lines\r\n');
      assert.equal(insertSeqItem(text, ['list'], 'end', 'y'), 'a: 1\r\nlist:\r\n  - x\r\n  - y\r\n');
    });

    it('throws on a path through a missing key', () => {
      assert.throws(() => setValue('a: 1\n', ['x', 'y'], 1), YamlEditError);
      assert.throws(() => setValue('a: [1]\n', ['a', 5], 1), YamlEditError);
    });
  });

  describe('JSON-style files', () => {
    const json = JSON.stringify(
      {
        _id: 'req_1',
        type: 'Request',
        parentId: 'wrk_1',
        modified: 1,
        name: 'Old name',
        headers: [
          { name: 'a', value: '1' },
          { name: 'b', value: '2' },
        ],
        body: {},
      },
      null,
      2,
    );

    it('splices a scalar in place, one line, and the file stays JSON', () => {
      const out = setScalar(json, ['name'], 'New: "name" #1');
      assert.deepEqual(lineDiff(json, out), { removed: ['  "name": "Old name",'], added: ['  "name": "New: \\"name\\" #1",'] });
      assert.equal(JSON.parse(out).name, 'New: "name" #1');
      assert.equal(setScalar(out, ['name'], 'Old name'), json);
      const modified = setScalar(json, ['modified'], 1700000000000);
      assert.deepEqual(lineDiff(json, modified), { removed: ['  "modified": 1,'], added: ['  "modified": 1700000000000,'] });
    });

    it('adds keys and items and deletes them as JSON', () => {
      const added = setValue(json, ['created'], 5);
      assert.equal(JSON.parse(added).created, 5);
      assert.deepEqual(lineDiff(json, added), { removed: ['  "body": {}'], added: ['  "body": {},', '  "created": 5'] });
      const item = insertSeqItem(json, ['headers'], 'end', { name: 'c', value: '3' });
      assert.deepEqual(JSON.parse(item).headers.map((h: { name: string }) => h.name), ['a', 'b', 'c']);
      const first = insertSeqItem(json, ['headers'], 0, { name: 'z', value: '0' });
      assert.deepEqual(JSON.parse(first).headers.map((h: { name: string }) => h.name), ['z', 'a', 'b']);
      const deleted = deleteSeqItem(json, ['headers', 0]);
      assert.deepEqual(JSON.parse(deleted).headers, [{ name: 'b', value: '2' }]);
      const noKey = deleteKey(json, ['modified']);
      assert.deepEqual(lineDiff(json, noKey), { removed: ['  "modified": 1,'], added: [] });
      assert.equal(JSON.parse(deleteKey(json, ['body'])).body, undefined);
      const inline = '{"a": 1, "b": [1, 2], "c": "x"}';
      assert.equal(deleteKey(inline, ['b']), '{"a": 1, "c": "x"}');
      assert.equal(deleteKey(inline, ['c']), '{"a": 1, "b": [1, 2]}');
      assert.equal(setValue(inline, ['d'], 'y'), '{"a": 1, "b": [1, 2], "c": "x", "d": "y"}');
    });
  });

  describe('sequences', () => {
    const v5File = path.join(FIXTURES, 'v5/kong-example/everything.yaml');
    const v5 = readFileSync(v5File, 'utf8');

    it('deleteSeqItem removes exactly the item lines', () => {
      const itemPath = ['collection', 0, 'children', 1];
      const out = deleteSeqItem(v5, itemPath);
      const diff = lineDiff(v5, out);
      assert.equal(diff.added.length, 0);
      const lines = v5.split('\n');
      const start = lines.indexOf('      - url: "{{ _.base_url }}/user/subscribe"');
      const end = lines.indexOf('    scripts:', start);
      assert.deepEqual(diff.removed, lines.slice(start, end));
      const back = parse(out) as { collection: { children: { name: string }[] }[] };
      assert.deepEqual(back.collection[0].children.map((c) => c.name), ['login']);
    });

    it('deleteSeqItem of the only item leaves `[]`', () => {
      assert.equal(deleteSeqItem('a:\n  - x: 1\n    y: 2\nb: 1\n', ['a', 0]), 'a: []\nb: 1\n');
    });

    it('deleteSeqItem takes the comment lines inside the item with it, not the next item', () => {
      const text = 'l:\n  - a: 1\n    # about a\n  # about b\n  - b: 2\n';
      assert.equal(deleteSeqItem(text, ['l', 0]), 'l:\n  # about b\n  - b: 2\n');
    });

    it('insertSeqItem places an item at the end, at an index, and in a non-indented sequence', () => {
      const text = 'l:\n  - a: 1\n  - b: 2\nz: 0\n';
      assert.equal(insertSeqItem(text, ['l'], 'end', { c: 3, d: [1] }), 'l:\n  - a: 1\n  - b: 2\n  - c: 3\n    d:\n      - 1\nz: 0\n');
      assert.equal(insertSeqItem(text, ['l'], 1, 'x'), 'l:\n  - a: 1\n  - x\n  - b: 2\nz: 0\n');
      assert.equal(insertSeqItem('l:\n- a\nz: 0\n', ['l'], 'end', { k: 'v', w: 1 }), 'l:\n- a\n- k: v\n  w: 1\nz: 0\n');
    });

    it('insertSeqItem creates the sequence when the key is absent or the list is empty', () => {
      const folder = ['collection', 2, 'children', 0, 'children', 0];
      const withChildren = insertSeqItem(v5, [...folder, 'children', 0, 'children'], 'end', { name: 'deep' });
      const back = parse(withChildren) as Record<string, any>;
      assert.equal(back.collection[2].children[0].children[0].children[0].children[0].name, 'deep');
      const diff = lineDiff(v5, withChildren);
      assert.deepEqual(diff.removed, []);
      assert.deepEqual(diff.added, ['                children:', '                  - name: deep']);
      assert.equal(insertSeqItem('a: []\nb: 1\n', ['a'], 'end', 'x'), 'a:\n  - x\nb: 1\n');
      assert.equal(insertSeqItem('a:\nb: 1\n', ['a'], 'end', 'x'), 'a:\n  - x\nb: 1\n');
      assert.equal(insertSeqItem('a: 1\n', ['l'], 'end', { n: 1 }, { before: ['a'] }), 'l:\n  - n: 1\na: 1\n');
    });

    it('renders an inserted item exactly as a whole-file YAML.stringify would', () => {
      const item = {
        url: '{{ _.base_url }}/x',
        name: 'x: "y"',
        meta: { id: 'req_1', created: 1, modified: 1, isPrivate: false, description: 'multi\nline', sortKey: -1 },
        method: 'GET',
        headers: [{ name: 'A', value: '1' }],
      };
      const out = insertSeqItem(v5, ['collection', 0, 'children'], 'end', item);
      const doc = parse(v5) as Record<string, any>;
      doc.collection[0].children.push(item);
      assert.deepEqual(lineDiff(v5, out), lineDiff(v5, renderYamlDocument(doc)));
      assert.deepEqual(parse(out), doc);
    });
  });

  describe('deleteKey', () => {
    it('removes the key lines, also a first key on a `- ` line, and an emptied mapping becomes {}', () => {
      const text = 'a:\n  x: 1\n  y:\n    - 1\nl:\n  - k: 1\n    j: 2\n';
      assert.equal(deleteKey(text, ['a', 'y']), 'a:\n  x: 1\nl:\n  - k: 1\n    j: 2\n');
      assert.equal(deleteKey(text, ['l', 0, 'k']), 'a:\n  x: 1\n  y:\n    - 1\nl:\n  - j: 2\n');
      assert.equal(deleteKey('a:\n  x: 1\nb: 2\n', ['a', 'x']), 'a: {}\nb: 2\n');
      assert.equal(deleteKey(text, ['missing']), text);
    });
  });

  describe('strings yaml folds in double quotes', () => {
    // yaml 2.x folds a long double-quoted string (one with a \r) onto several lines and, when a line holds only
    // spaces, writes `\ ` there that reads back as a backslash: the editor must never write what reads back different.
    const samples = [
      ' \n: \r\n: "ax yx y\n \n: \r\n: "ax yx y',
      '{\r\n  "a": 1,\r\n   \r\n  "b": "a rather long value that pushes the line past eighty columns"\r\n}',
      'line one\r\n\t\r\nline three with enough text to be folded somewhere past the width\r\n ',
    ];
    for (let seed = 1; seed <= 200; seed++) {
      let x = seed * 7919;
      const rnd = (n: number): number => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
      const parts = ['\n', '\r\n', ' ', '\t', 'word', ': ', '"', '\\', 'a longer run of text '];
      let t = '';
      for (let i = 0, n = 5 + rnd(30); i < n; i++) t += parts[rnd(parts.length)];
      samples.push(t);
    }
    const base = 'type: collection.insomnia.rest/5.0\nname: x\ncollection:\n  - name: a\n    body:\n      text: hi\n';

    it('inserted, set and whole-document values read back exactly', () => {
      for (const text of samples) {
        const inserted = insertSeqItem(base, ['collection'], 'end', { name: 'b', body: { text } });
        assert.equal(parse(inserted).collection[1].body.text, text, JSON.stringify(text));
        const set = setValue(base, ['collection', 0, 'body', 'text'], text);
        assert.equal(parse(set).collection[0].body.text, text, JSON.stringify(text));
        assert.equal(parse(renderYamlDocument({ body: { text } })).body.text, text, JSON.stringify(text));
      }
    });

    it('an ordinary multi-line body keeps the block style Insomnia writes', () => {
      const out = setValue(base, ['collection', 0, 'body', 'text'], '{\n  "a": 1\n}');
      assert.match(out, /text: \|-\n {8}\{\n {10}"a": 1\n {8}\}\n/);
    });
  });

  // An editor of a plain block-mapping document parses only the top-level entries a path goes through (yamlEdit.ts,
  // "top-level segments"); it must give the bytes (or the error) the whole parse gives, for every operation.
  describe('aliases', () => {
    for (const whole of [false, true]) {
      const how = whole ? 'the whole document' : 'by top-level segments';
      it(`an alias with no anchor before it (a hand-edited file): a YamlEditError that says so, reading ${how}`, () => {
        for (const [text, at] of [['method: *a\nurl: x\n', ['method']], ['url: x\nmethod: *a\n', ['method']], ['headers:\n  - name: *h\n', ['headers', 0, 'name']]] as const) {
          assert.throws(() => new YamlEditor(text, { whole }).value(at), (err: unknown) => err instanceof YamlEditError && /alias \*[ah] .*no anchor/.test(err.message), text);
        }
      });

      it(`an alias of an anchor set before it in another entry: read as its anchor's value, ${how}`, () => {
        const text = 'a: &a GET\nmethod: *a\nurl: x\n';
        assert.equal(new YamlEditor(text, { whole }).value(['method']), 'GET');
        assert.equal(setValue(text, ['url'], 'y'), 'a: &a GET\nmethod: *a\nurl: y\n');
      });
    }
  });

  describe('edits by top-level segments equal edits of the whole document', () => {
    type Op =
      | { kind: 'set'; path: YamlPath; value: unknown; before?: readonly string[] }
      | { kind: 'deleteKey'; path: YamlPath }
      | { kind: 'deleteSeqItem'; path: YamlPath }
      | { kind: 'insertSeqItem'; path: YamlPath; index: number | 'end'; value: unknown }
      | { kind: 'read'; path: YamlPath };

    /** every path of a parsed value (mappings' keys, sequences' indexes), the root aside. */
    function allPaths(value: unknown, prefix: YamlPath = [], out: YamlPath[] = []): YamlPath[] {
      if (Array.isArray(value)) value.forEach((v, i) => (out.push([...prefix, i]), allPaths(v, [...prefix, i], out)));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push([...prefix, k]), allPaths(v, [...prefix, k], out);
      return out;
    }

    function run(text: string, ops: readonly Op[], whole: boolean): string {
      try {
        const ed = new YamlEditor(text, { whole });
        const reads: unknown[] = [];
        for (const op of ops) {
          if (op.kind === 'set') ed.set(op.path, op.value, op.before ? { before: op.before } : undefined);
          else if (op.kind === 'deleteKey') ed.deleteKey(op.path);
          else if (op.kind === 'deleteSeqItem') ed.deleteSeqItem(op.path);
          else if (op.kind === 'insertSeqItem') ed.insertSeqItem(op.path, op.index, op.value);
          else reads.push(ed.value(op.path), ed.has(op.path), ed.length(op.path));
        }
        return JSON.stringify(reads) + '\n' + ed.toString();
      } catch (err) {
        assert.ok(err instanceof YamlEditError, String(err));
        return `error: ${err.message}`;
      }
    }

    const values = fc.oneof(
      fc.constantFrom('https://x.example/a?b=1&c=2', '{{ _.base_url }}/v1', '', 'two\nlines', 'x: y #z', null, true, 0, 1701040000999, -12.5),
      fc.string({ maxLength: 30 }),
      fc.constant({ mode: 'application/json', text: '{\n  "a": 1\n}' }),
      fc.constant([{ name: 'Accept', value: '*/*' }]),
      fc.constant({}),
      fc.constant([]),
    );

    /** Whether the whole parse takes the text (a text with YAML errors is refused whole, by segments only where touched). */
    function valid(text: string): boolean {
      try {
        new YamlEditor(text, { whole: true });
        return true;
      } catch {
        return false;
      }
    }

    function opsFor(text: string): fc.Arbitrary<Op[]> {
      let doc: unknown;
      try {
        doc = parse(text);
      } catch {
        doc = undefined;
      }
      const paths = allPaths(doc);
      const somePath = paths.length ? fc.oneof(fc.constantFrom(...paths), fc.constantFrom<YamlPath>(['url'], ['nope'], ['nope', 'deeper'], ['body', 'mimeType'])) : fc.constantFrom<YamlPath>(['url'], ['nope']);
      const op: fc.Arbitrary<Op> = fc.oneof(
        fc.record({ kind: fc.constant('set' as const), path: somePath, value: values }),
        fc.record({ kind: fc.constant('set' as const), path: somePath, value: values, before: fc.constant(['name', 'metaSortKey', 'headers']) }),
        fc.record({ kind: fc.constant('deleteKey' as const), path: somePath }),
        fc.record({ kind: fc.constant('deleteSeqItem' as const), path: somePath }),
        fc.record({ kind: fc.constant('insertSeqItem' as const), path: somePath, index: fc.oneof(fc.constant('end' as const), fc.nat(3)), value: values }),
        fc.record({ kind: fc.constant('read' as const), path: somePath }),
      );
      return fc.array(op, { minLength: 1, maxLength: 4 });
    }

    it('on every fixture file (the legacy ones are edited by segments)', () => {
      let segmented = 0;
      for (const file of FIXTURE_FILES) {
        const text = readFileSync(file, 'utf8');
        if (!valid(text)) continue;
        if (topLevelSegments(text)) segmented++;
        fc.assert(
          fc.property(opsFor(text), (ops) => {
            assert.equal(run(text, ops, false), run(text, ops, true), `${path.relative(FIXTURES, file)}: ${JSON.stringify(ops)}`);
          }),
          { seed: 10, numRuns: 15 },
        );
      }
      assert.ok(segmented >= 20, `only ${segmented} fixture files are edited by segments`);
    });

    it('a top-level entry with YAML errors is refused when an edit goes through it', () => {
      const text = 'url: https://a.example\nname: [unclosed, list\nmodified: 1\n';
      assert.ok(topLevelSegments('url: a\nname: b\n'));
      assert.throws(() => new YamlEditor(text).set(['name'], 'x'), YamlEditError);
      assert.throws(() => new YamlEditor('url: a\nname: "x\nmodified: 1\n').set(['modified'], 2), YamlEditError);
    });

    it('on generated block-mapping texts (comments, block scalars, quotes, flow values, odd lines)', () => {
      const lines = fc.constantFrom(
        'url: https://a.example/x',
        'url: "{{ _.base_url }}/v1/a"',
        "name: 'it''s'",
        'name: plain # a comment',
        'modified: 1701040000987',
        'body: {}',
        'body:\n  mimeType: application/json\n  text: |-\n    {\n      "a": 1\n    }',
        'headers:\n  - name: Accept\n    value: "*/*"\n  - name: X\n    value: y',
        'headers:\n- name: Accept\n  value: a',
        'parameters: []',
        'description: "a long one\n  folded on two lines"',
        'description: "unterminated',
        'description: >\n  folded\n\n  text',
        '# a comment at column 0',
        '',
        '  # an indented comment',
        'anchor: &a { x: 1 }',
        'alias: *a',
        'dup: 1',
        'dup: 2',
        '---',
        '"quoted": key',
        'flow: { a: 1,\n  b: 2 }',
        'empty:',
        'nested:\n  deep:\n    deeper: 1',
      );
      const texts = fc.array(lines, { minLength: 1, maxLength: 8 }).map((ls) => ls.join('\n') + '\n');
      const cases = texts.chain((text) => opsFor(text).map((ops) => ({ text, ops })));
      fc.assert(
        fc.property(cases, ({ text, ops }) => {
          fc.pre(valid(text));
          assert.equal(run(text, ops, false), run(text, ops, true), `${JSON.stringify(text)}: ${JSON.stringify(ops)}`);
        }),
        { seed: 11, numRuns: 800, maxSkipsPerRun: 1000 },
      );
    });

    it('on one-line entries, read and set without parsing them: what the whole parse reads and writes', () => {
      // scalars read as they are (integers, true/false/null, URL-like strings) and those left to yaml around them
      const scalars = ['1701040000987', '-1701040000987', '0', '-0', '007', '+5', '0x1F', '0o17', '1e3', '1.5', '.inf', '9007199254740993', 'true', 'True', 'false', 'null', 'NULL', '~', 'yes',
        'https://a.example/x?b=1&c=2#top', 'a:b', 'x:', 'a#b', 'GET', 'global', 'req_804de7372217b734', "'q'", '"{{ _.base_url }}/v1"', '{}', '[]', '&a x', '!t x'];
      const line = fc.tuple(fc.constantFrom('url', 'modified', 'name', 'isPrivate', 'method', 'metaSortKey'), fc.constantFrom(...scalars), fc.constantFrom('', '', '', ' ', ' # c', ' and more', ':'))
        .map(([k, v, after]) => `${k}: ${v}${after}`);
      const texts = fc.array(fc.oneof(line, fc.constantFrom('# c', '', 'body:\n  text: x')), { minLength: 1, maxLength: 6 }).map((ls) => ls.join('\n') + fc.sample(fc.constantFrom('\n', ''), 1)[0]);
      const keys = fc.constantFrom<YamlPath>(['url'], ['modified'], ['name'], ['isPrivate'], ['method'], ['metaSortKey'], ['nope']);
      const plainValues = fc.oneof(fc.constantFrom(...scalars), fc.integer(), fc.constantFrom(0, -0, 1701040000999, 2 ** 60, 1.5), fc.boolean(), fc.constant(null), fc.string({ maxLength: 12 }));
      const op: fc.Arbitrary<Op> = fc.oneof(
        fc.record({ kind: fc.constant('read' as const), path: keys }),
        fc.record({ kind: fc.constant('set' as const), path: keys, value: plainValues }),
        fc.record({ kind: fc.constant('set' as const), path: keys, value: plainValues }),
        fc.record({ kind: fc.constant('deleteKey' as const), path: keys }),
      );
      let simple = 0;
      fc.assert(
        fc.property(texts, fc.array(op, { minLength: 1, maxLength: 4 }), (text, ops) => {
          fc.pre(valid(text) && topLevelSegments(text) !== undefined);
          if (/^(?:url|modified|name|isPrivate|method|metaSortKey): [^\s]+$/m.test(text)) simple++;
          assert.equal(run(text, ops, false), run(text, ops, true), `${JSON.stringify(text)}: ${JSON.stringify(ops)}`);
        }),
        { seed: 12, numRuns: 1500, maxSkipsPerRun: 1000 },
      );
      assert.ok(simple > 500, `only ${simple} texts had a one-line entry`);
    });
  });

  describe('scalars written without building a yaml document (plainScalarText)', () => {
    const URL_CHARS = [...'abcxyzABCXYZ0189._~/?#@!$&()*+,;=%-:'];
    const HOSTILE = ['yes', 'no', 'true', 'True', 'TRUE', 'false', 'null', 'Null', 'NULL', '~', '', '0x1F', '1e3', '0o17', '.inf', '.NaN', '-.5', '+1', 'k:', 'a: b', 'a #b', 'a:b', 'a#b', '---', '...', '- x', '-', '?', ':', '::', 'x::y', 'x:', 'é', 'Inf', 'NaN', 'e3', 'E', 'y', 'n', 'on', 'off', '<<', '='];
    const values = fc.oneof(
      fc.integer(),
      fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, -0, 0, 1701040000999, 2 ** 60, 1e21, 0.5, -12.5, Number.NaN, Infinity),
      fc.double(),
      fc.boolean(),
      fc.constantFrom(...HOSTILE),
      // URL-like strings, long ones too (past the 80 columns `yaml` folds at)
      fc.tuple(fc.constantFrom(...'aZ'), fc.array(fc.constantFrom(...URL_CHARS), { maxLength: 150 })).map(([a, b]) => a + b.join('')),
      fc.tuple(fc.constantFrom(...'hH'), fc.array(fc.oneof(fc.constantFrom(...URL_CHARS), fc.constantFrom(' ', '\t', '\n', '"', "'", '{', '}', '[', ']', '|', '>', '\\', '\u00e9', '\u0085', '\ufeff')), { maxLength: 100 })).map(([a, b]) => a + b.join('')),
      fc.string({ maxLength: 40 }),
    );

    it('is what yaml writes, at the top level, nested (columns 2 to 8, and 3) and as a sequence item; else undefined', () => {
      let fast = 0;
      fc.assert(
        fc.property(values, fc.integer({ min: 0, max: 4 }), (value, depth) => {
          const text = plainScalarText(value);
          if (text === undefined) return;
          fast++;
          assert.equal(stringify({ key: value }), `key: ${text}\n`);
          assert.equal(stringify([value]), `- ${text}\n`);
          let nested: unknown = { key: value };
          for (let i = 0; i < depth; i++) nested = { k: nested };
          assert.equal(stringify(nested).split('\n')[depth], `${' '.repeat(2 * depth)}key: ${text}`);
          // and the editor writes it as a whole-document stringify would
          assert.equal(setValue('a: 1\nkey: old\nz: 2\n', ['key'], value), stringify({ a: 1, key: value, z: 2 }));
          assert.equal(setValue('a:\n  - old\n', ['a', 0], value), stringify({ a: [value] }));
          assert.equal(setValue('a:\n   key: old\n', ['a', 'key'], value), `a:\n   key: ${text}\n`);
        }),
        { seed: 5, numRuns: 3000 },
      );
      assert.ok(fast > 1000, `only ${fast} values took the short way`);
    });

    it('leaves to yaml what it quotes, folds or writes otherwise', () => {
      for (const v of ['true', 'null', 'NULL', 'k:', 'a: b', 'a #b', '123', '1e3', '.inf', '-x', '~', '', 'a b', 'x\ny', '{{ _.base_url }}/v1', "it's", 'é', 1.5, Number.NaN, 2 ** 60, null, {}, []]) {
        assert.equal(plainScalarText(v), undefined, JSON.stringify(v));
      }
      assert.equal(plainScalarText('https://bench.example/edit/0'), 'https://bench.example/edit/0');
      assert.equal(plainScalarText(1701040000999), '1701040000999');
    });
  });
});

describe('yamlEdit: a collection whose last entry is deleted and that gets another in the same edit', () => {
  // The editor queues edits against the text as it was: deleting the last old entry wrote `{}` (or `[]`) while an
  // entry added in the same edit was still inserted under it, text no YAML reader takes (`scripts: {}` then
  // `  preRequest: ...`; oracleModel.test.ts found it through the request editor's scripts and setEnvironmentData).
  const cases: { name: string; text: string; edit: (ed: YamlEditor) => void; want: unknown }[] = [
    { name: 'mapping: add, then delete the last old key', text: 'a: 1\ndata:\n  old: x\nb: 2\n', edit: (ed) => ed.set(['data', 'k'], 0).deleteKey(['data', 'old']), want: { a: 1, data: { k: 0 }, b: 2 } },
    { name: 'mapping: delete the last old key, then add two', text: 'a: 1\ndata:\n  old: x\nb: 2\n', edit: (ed) => ed.deleteKey(['data', 'old']).set(['data', 'k'], 0).set(['data', 'j'], 'y: z'), want: { a: 1, data: { k: 0, j: 'y: z' }, b: 2 } },
    { name: 'nested mapping in a sequence item', text: 'items:\n  - name: r\n    scripts:\n      afterResponse: |-\n        x\n        y\n    url: u\n', edit: (ed) => ed.deleteKey(['items', 0, 'scripts', 'afterResponse']).set(['items', 0, 'scripts', 'preRequest'], 'x: y'), want: { items: [{ name: 'r', scripts: { preRequest: 'x: y' }, url: 'u' }] } },
    { name: 'sequence: insert, then delete the last old item', text: 'a: 1\nrows:\n  - name: old\nb: 2\n', edit: (ed) => ed.insertSeqItem(['rows'], 'end', { name: 'new' }).deleteSeqItem(['rows', 0]), want: { a: 1, rows: [{ name: 'new' }], b: 2 } },
    { name: 'sequence: delete the last old item, then insert two', text: 'a: 1\nrows:\n  - name: old\nb: 2\n', edit: (ed) => ed.deleteSeqItem(['rows', 0]).insertSeqItem(['rows'], 'end', { name: 'n1' }).insertSeqItem(['rows'], 'end', 'n2'), want: { a: 1, rows: [{ name: 'n1' }, 'n2'], b: 2 } },
    { name: 'only a delete still writes {} and []', text: 'data:\n  old: x\nrows:\n  - 1\n', edit: (ed) => ed.deleteKey(['data', 'old']).deleteSeqItem(['rows', 0]), want: { data: {}, rows: [] } },
  ];
  for (const c of cases) {
    for (const whole of [false, true]) {
      it(`${c.name}${whole ? ' (parsed whole)' : ''}`, () => {
        const ed = new YamlEditor(c.text, { whole });
        c.edit(ed);
        const out = ed.toString();
        assert.deepEqual(parse(out), c.want, out);
      });
    }
  }
});

describe('yamlEdit: lines added where nested collections end together', () => {
  // A key added to a folder (after its headers) and one added to its last header both go at the end of the headers:
  // in the order they were queued, the header's `description:` landed under the folder's new `environment:`, which
  // Insomnia refuses (oracleModel.test.ts found it through the folder editor: variables and headers in one edit).
  const text = 'folders:\n  - name: f\n    headers:\n      - name: a\n        value: b\n  - name: g\nend: 1\n';
  const want = { folders: [{ name: 'f', headers: [{ name: 'a', value: 'b', description: 'd' }], environment: { x: 1 } }, { name: 'g' }], end: 1 };
  for (const whole of [false, true]) {
    for (const first of ['outer', 'inner']) {
      it(`the deeper lines go first (${first} queued first${whole ? ', parsed whole' : ''})`, () => {
        const ed = new YamlEditor(text, { whole });
        const outer = () => ed.set(['folders', 0, 'environment'], { x: 1 });
        const inner = () => ed.set(['folders', 0, 'headers', 0, 'description'], 'd');
        if (first === 'outer') { outer(); inner(); } else { inner(); outer(); }
        const out = ed.toString();
        assert.deepEqual(parse(out), want, out);
      });
    }
  }
});

describe('yamlEdit: lines inserted where a deleted range starts', () => {
  // A v5 folder moved into the folder just before it: it is deleted from the list, and appended to the children of
  // the folder before, which end where it starts. Both edits at one offset were refused as "Overlapping edits"
  // (oracleModel.test.ts found it through the tree's drag and drop).
  for (const whole of [false, true]) {
    it(`a sequence item moved to the end of the item before it${whole ? ' (parsed whole)' : ''}`, () => {
      const text = 'collection:\n  - name: a\n    children:\n      - name: a1\n  - name: b\n    x: 1\n';
      const ed = new YamlEditor(text, { whole });
      ed.deleteSeqItem(['collection', 1]);
      ed.insertSeqItem(['collection', 0, 'children'], 'end', { name: 'b', x: 1 });
      const out = ed.toString();
      assert.deepEqual(parse(out), { collection: [{ name: 'a', children: [{ name: 'a1' }, { name: 'b', x: 1 }] }] }, out);
    });
  }
});

describe('yamlEdit: multi-line code that yaml folds reads back as written', () => {
  // Found by a walkthrough: an after-response script with a line past 80 columns, a more-indented line and a line of
  // spaces (VS Code's auto-indent leaves one before a closing brace) was written as a folded `>-` block that `yaml`
  // reads back with one more empty line; every edit of the script after that added another.
  const script = "insomnia.environment.set('session', insomnia.response.json().token);\ninsomnia.test('logged in', () => insomnia.expect(insomnia.response.code).to.equal(200));\ninsomnia.test('from editor', () => {\n    insomnia.expect(insomnia.response.json().id).to.equal(11);\n    \n})";

  it('the script that grew: written, read back and written again, unchanged', () => {
    let text = 'name: Log in\nafterResponseScript: null\nsettingStoreCookies: true\n';
    for (let round = 0; round < 3; round++) {
      text = setValue(text, ['afterResponseScript'], script);
      assert.equal(parse(text).afterResponseScript, script, `round ${round}:\n${text}`);
      assert.equal((loadJsYaml(text) as { afterResponseScript: string }).afterResponseScript, script);
    }
    assert.equal(parse(renderYamlDocument({ afterResponseScript: script })).afterResponseScript, script);
  });

  it('any lines of code (long, more-indented, empty, of spaces), at any depth, in both readers (fast-check, seeded)', () => {
    const word = fc.array(fc.constantFrom(...'abcxyz(){};.,=> \'"`#:-'), { minLength: 1, maxLength: 40 }).map((c) => c.join(''));
    const line = fc.oneof(
      fc.constantFrom('', ' ', '    ', '\t', '  \t'),
      fc.tuple(fc.constantFrom('', '', '  ', '    ', '        ', '\t'), fc.array(word, { minLength: 1, maxLength: 5 })).map(([indent, ws]) => indent + ws.join(' ').trim()),
      fc.tuple(fc.constantFrom('', '    '), fc.integer({ min: 70, max: 130 })).map(([indent, n]) => `${indent}insomnia.expect(${'x'.repeat(n - 20)}).to.equal(1);`),
    );
    const code = fc.tuple(fc.array(line, { minLength: 2, maxLength: 8 }), fc.constantFrom('', '\n')).map(([ls, end]) => ls.join('\n') + end);
    // what follows the value in the file: a blank line (which a `|+` block would take in), a line of spaces, nothing
    // (no final line break)
    const after = fc.constantFrom({ text: '\n', z: false }, { text: '\n\nz: 1\n', z: true }, { text: '\n    \nz: 1\n', z: true }, { text: '\n\n', z: false }, { text: '', z: false });
    fc.assert(
      fc.property(code, fc.integer({ min: 0, max: 3 }), after, (value, depth, rest) => {
        let doc: Record<string, unknown> = { script: value };
        let old = 'script: null';
        const at: (string | number)[] = ['script'];
        for (let i = 0; i < depth; i++) {
          doc = { k: doc };
          old = `k:\n${old.replace(/^/gm, '  ')}`;
          at.unshift('k');
        }
        old += rest.text;
        if (rest.z) doc = { ...doc, z: 1 };
        const written = setValue(old, at, value);
        assert.deepEqual(parse(written), doc, written);
        assert.deepEqual(loadJsYaml(written), doc, written);
        assert.deepEqual(parse(renderYamlDocument(doc)), doc);
      }),
      { seed: 20261208, numRuns: 2000 },
    );
  });
});
