// The request editor's Format JSON (formatJson.ts): JSON as JSON.stringify formats it, and JSON with Insomnia templates
// re-indented by its structure as Insomnia's prettify does, strings and tags untouched.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { formatJson, reindentJson } from '../../../src/webviews/formatJson';

const formatted = (text: string): string => {
  const r = formatJson(text);
  assert.ok(r.ok, `formats: ${r.ok ? '' : r.reason}`);
  return r.text;
};

/** The end of the template tag at `i` (nunjucks: quoted strings inside `{{ }}` and `{% %}` do not close it), or the text's length. */
function tagEnd(text: string, i: number): number {
  const close = (text[i + 1] === '{' ? '}' : text[i + 1]) + '}';
  let quote: string | undefined;
  for (let j = i + 2; j < text.length; j++) {
    if (quote) {
      if (text[j] === '\\') j++;
      else if (text[j] === quote) quote = undefined;
    } else if (close !== '#}' && (text[j] === '"' || text[j] === "'")) quote = text[j];
    else if (text.startsWith(close, j)) return j + 2;
  }
  return text.length;
}
const tagAt = (text: string, i: number) => text[i] === '{' && (text[i + 1] === '{' || text[i + 1] === '%' || text[i + 1] === '#');

/** The text without the whitespace outside strings and template tags (what formatting may change). */
function squeezed(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (tagAt(text, i)) {
      const end = tagEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\') j++;
        else if (tagAt(text, j)) j = tagEnd(text, j) - 1;
      }
      out += text.slice(i, j + 1);
      i = j;
    } else if (!/[ \t\n\r]/.test(c)) {
      out += c;
    }
  }
  return out;
}

describe('Format JSON in the request editor', () => {
  describe('plain JSON, as JSON.stringify(JSON.parse(x), null, 2) formats it (as before)', () => {
    for (const x of [
      '{"a":1,"b":[1,2,{"c":null}],"d":{},"e":[],"f":"x\\"y"}',
      '[1, 2.50, 1e3, true, false, null]',
      '"just a string"',
      '42',
      '{"uni":"\\u00e9\\u0041", "dup": 1, "dup": 2}',
      '  {\n\t"a" : { "b" : [ ] } }\n',
    ]) {
      it(JSON.stringify(x), () => assert.equal(formatted(x), JSON.stringify(JSON.parse(x), null, 2)));
    }
    it('random JSON values', () => {
      fc.assert(fc.property(fc.jsonValue(), fc.boolean(), (v, compact) => {
        const x = JSON.stringify(v, null, compact ? undefined : '\t');
        assert.equal(formatted(x), JSON.stringify(JSON.parse(x), null, 2));
      }));
    });
  });

  describe('JSON with templates', () => {
    it('a template as a value (the walkthrough body)', () => {
      assert.equal(formatted('{"id":{{ _.pet_id }},"name":"rex","tags":["a","b"]}'), '{\n  "id": {{ _.pet_id }},\n  "name": "rex",\n  "tags": [\n    "a",\n    "b"\n  ]\n}');
    });
    it('formats as JSON.stringify does where the template stands for a value', () => {
      const body = '{"user":{"id":{{ _.id }},"roles":[{{ _.role }},"admin"],"meta":{"n":[1,[2,{}]],"e":[]}}}';
      const expected = JSON.stringify(JSON.parse(body.replace(/\{\{ _\.(\w+) \}\}/g, '"@$1"')), null, 2).replace(/"@(\w+)"/g, '{{ _.$1 }}');
      assert.equal(formatted(body), expected);
    });
    it('a template in a key', () => {
      // (a space after the brace: `{{{` is a template's start to nunjucks as to this)
      assert.equal(formatted('{ {{ _.key }}:1,"{{ _.k2 }}":"v"}'), '{\n  {{ _.key }}: 1,\n  "{{ _.k2 }}": "v"\n}');
    });
    it('templates inside strings are left as they are, spaces and all', () => {
      assert.equal(formatted('{"url":"{{ _.base }}/a , b : [c]","x":"{{  _.x  }}"}'), '{\n  "url": "{{ _.base }}/a , b : [c]",\n  "x": "{{  _.x  }}"\n}');
    });
    it('a {% %} tag with quotes, commas and braces inside it', () => {
      const tag = `{% response 'body', 'req_1', 'b64::JC50b2tlbg==::46b', 'never', 60 %}`;
      assert.equal(formatted(`{"token": "${tag}", "n":1}`), `{\n  "token": "${tag}",\n  "n": 1\n}`);
      const odd = `{% set x = {a: [1, 2]} %}`;
      assert.equal(formatted(`{"a":${odd},"b":{{ "}}, {" }}}`), `{\n  "a": ${odd},\n  "b": {{ "}}, {" }}\n}`);
      const quoted = `{{ "a \\" }}" | upper }}`;
      assert.equal(formatted(`["${quoted}",1]`), `[\n  "${quoted}",\n  1\n]`);
    });
    it('a comment tag, and template tags between the values', () => {
      assert.equal(formatted('[{# first #}1,{% if x %}2{% endif %}]'), '[\n  {# first #}1,\n  {% if x %}2{% endif %}\n]');
    });
    it('nested arrays and objects, empty {} and []', () => {
      assert.equal(formatted('[[{{ a }},[]],{"o":{ },"p":[ ]},{}]'), '[\n  [\n    {{ a }},\n    []\n  ],\n  {\n    "o": {},\n    "p": []\n  },\n  {}\n]');
    });
    it('escaped quotes and backslashes in strings', () => {
      assert.equal(formatted('{"q":"say \\"hi\\", {x}: [y]","b":"\\\\","t":{{ t }}}'), '{\n  "q": "say \\"hi\\", {x}: [y]",\n  "b": "\\\\",\n  "t": {{ t }}\n}');
    });
    it('already formatted input is unchanged', () => {
      const once = formatted('{"id":{{ _.pet_id }},"a":[1,{"b":"{% now \'iso-8601\', \'\' %}"}],"e":{}}');
      assert.equal(formatted(once), once);
    });
    it('keeps a single space between two values that had whitespace between them', () => {
      assert.equal(formatted('{"a": {{ x }}   {{ y }}, "b": {{ x }}{{ y }}}'), '{\n  "a": {{ x }} {{ y }},\n  "b": {{ x }}{{ y }}\n}');
    });
  });

  describe('what it cannot make sense of is given back with the reason', () => {
    for (const [x, reason] of [
      ['{"a": {{ x }}', /"\{" at position 0 is not closed/],
      ['{"a": {{ x }}]}', /"\]" at position 13 does not close the "\{" at position 0/],
      ['{"a": {{ x }}}}', /closes nothing/],
      ['{"a": "{{ x }}}', /string at position 6 is not closed/],
      ['{"a": {{ x }', /template tag at position 6 is not closed/],
      ['{"a": {% tag \'x %}}', /template tag at position 6 is not closed/],
      ['{{ _.body }}', /no object or array/],
      ['hello, {{ name }} [1]', /"," at position 5 is outside any object or array/],
      ['', /empty/],
      ['  \n', /empty/],
    ] as const) {
      it(JSON.stringify(x), () => {
        const r = formatJson(x);
        assert.ok(!r.ok, 'not formatted');
        assert.match(r.reason, reason);
      });
    }
  });

  describe('only whitespace outside strings and tags changes (property)', () => {
    const ident = fc.constantFrom('_.id', '_.pet_id', "response 'body', 'req_1', 'b64::JC50b2tlbg==::46b', 'never', 60", 'now \'iso\'');
    const template = fc.oneof(ident.map((v) => `{{ ${v.replace(/'/g, '"')} }}`), ident.map((v) => `{% ${v} %}`));
    const ws = fc.constantFrom('', ' ', '\n', '\t', '  \r\n  ');
    // (a `{` just before a tag or another `{`, `{{{` or `"{{{ x }}"`, starts a tag to nunjucks as to the formatter)
    const str = fc.array(fc.oneof(fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s).slice(1, -1).replace(/\{(?=[{%#]|$)/g, '(')), template), { maxLength: 3 }).map((parts) => `"${parts.join('')}"`);
    const leaf = fc.oneof(str, template, fc.constantFrom('1', '-2.5e3', 'true', 'null'));
    const { value } = fc.letrec<{ value: string }>((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf,
        fc.array(fc.tuple(ws, tie('value'), ws), { maxLength: 4 }).map((items) => `[${items.map((p) => p.join('')).join(',')}]`),
        fc.array(fc.tuple(ws, fc.oneof(str, template), ws, tie('value'), ws), { maxLength: 4 }).map((props) => `{${props.map(([a, k, b, v, c]) => `${k.startsWith('{') ? ' ' : ''}${a}${k}${b}:${v}${c}`).join(',')}}`)),
    }));
    it('templated JSON: the same text once whitespace outside strings and tags is removed, and formatting twice changes nothing', () => {
      fc.assert(fc.property(value, ws, ws, (v, before, after) => {
        const input = `${before}${v}${after}`;
        const r = reindentJson(input);
        if (!r.ok) {
          assert.ok(!/[[{]/.test(squeezed(input).replace(/\{\{.*?\}\}|\{%.*?%\}|"(\\.|[^"\\])*"/g, '')), `formats any value with a bracket: ${r.reason}`);
          return;
        }
        assert.equal(squeezed(r.text), squeezed(input));
        const again = reindentJson(r.text);
        assert.ok(again.ok);
        assert.equal(again.text, r.text);
      }), { numRuns: 300 });
    });
    it('any text: formatted with only whitespace changed, or given back', () => {
      const chars = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '%', '#', "'", 'a', '1');
      fc.assert(fc.property(fc.array(chars, { maxLength: 40 }).map((a) => a.join('')), (input) => {
        const r = reindentJson(input);
        if (r.ok) {
          assert.equal(squeezed(r.text), squeezed(input));
          const again = reindentJson(r.text);
          assert.ok(again.ok && again.text === r.text, 'idempotent');
        }
      }), { numRuns: 2000 });
    });
  });
});
