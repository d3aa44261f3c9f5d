// An oracle for the template engine, from a grammar of template pieces (text, lone braces and closers, simple and
// not-so-simple outputs, string literals holding braces, filters, comments, blocks, {% raw %}):
// - the fast path (renderTemplateNow), wherever it answers, gives exactly what nunjucks gives for the same context, and
//   does not answer where nunjucks refuses the text;
// - renderTemplate sends what Insomnia sends: Insomnia renders a field only when it holds a whole pair of delimiters
//   (`{{`/`}}`, `{%`/`%}` or `{#`/`#}`; templating/index.ts render()), once, and once more only when the output holds
//   `{%` (common/render.ts render(): "If the variable outputs a tag, render it again"). Its environment values are
//   rendered into the context beforehand, so for a context whose values hold no template syntax that is all there is.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as nunjucks from 'nunjucks';
import { buildRenderContext, HttpError, renderTemplate } from '../../../src/http';
import { renderTemplateNow } from '../../../src/http/template';
import { collection, request } from './modelBuilders';

// names nunjucks reads as literals or operators (true, none, null, not), names it reads as names (in, is, if), nested
// values, values that are braces without being templates
const env = {
  a: 'A', b: 'B b', num: 3, zero: 0, yes: true, empty: '', arr: [1, 2], n: { b: 'deep', c: { d: 'deeper' }, true: 'NT', not: 'NN' },
  true: 'T', none: 'N', null: 'NU', not: 'NOT', in: 'IN', is: 'IS', if: 'IF', $d: 'D', br: '{', cl: '}}', pc: '%', hc: '#}',
};
const context = buildRenderContext(collection([request('req_1')], env), 'req_1');

/** nunjucks configured as Insomnia's (and the engine's) environment: no autoescape, an undefined output an error. */
const nj = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: true });

/** templating/index.ts render(): a text without a whole pair of delimiters is not given to nunjucks. */
function insomniaRenders(s: string): boolean {
  return (s.includes('{{') && s.includes('}}')) || (s.includes('{%') && s.includes('%}')) || (s.includes('{#') && s.includes('#}'));
}
function insomniaOnce(s: string): string {
  return insomniaRenders(s) ? nj.renderString(s, context) : s;
}
/**
 * What Insomnia sends for a request field (common/render.ts render()), or 'error'. One deliberate difference: what a
 * `{% raw %}` block holds is sent as written, never rendered in the second round (Insomnia renders `{% raw %}{% uuid
 * %}{% endraw %}` into a uuid): here its text stands in as `(raw)` for that round.
 */
function insomnia(s: string): string {
  const raws: string[] = [];
  const held = s.replace(/(\{% raw %\})([\s\S]*?)(\{% endraw %\})/g, (_m, open: string, body: string, close: string) => `${open}(raw${raws.push(body) - 1})${close}`);
  try {
    const out = insomniaOnce(held);
    return `ok:${(out.includes('{%') ? insomniaOnce(out) : out).replace(/\(raw(\d+)\)/g, (_m, i: string) => raws[Number(i)])}`;
  } catch {
    return 'error';
  }
}

async function hammock(s: string): Promise<string> {
  try {
    return `ok:${await renderTemplate(s, context)}`;
  } catch (err) {
    assert.ok(err instanceof HttpError && err.code === 'TemplateError', `${JSON.stringify(s)}: ${String(err)}`);
    return 'error';
  }
}

const PIECES = [
  // text and braces
  'x', ' ', '-', '\n', 'é', '{', '}', '{{', '}}', '{%', '%}', '{#', '#}', 'a', '_.', '.', "'",
  // simple outputs, and outputs that only look simple
  '{{ a }}', '{{a}}', '{{ _.n.b }}', '{{ n.c.d }}', '{{ num }}', '{{ zero }}', '{{ yes }}', '{{ empty }}', '{{ arr }}', '{{ $d }}',
  '{{ missing }}', '{{ _.missing }}', '{{ n.missing }}', '{{ a.length }}', '{{ constructor }}', '{{ br }}', '{{ cl }}', '{{ pc }}', '{{ hc }}',
  '{{ true }}', '{{ none }}', '{{ null }}', '{{ not }}', '{{ in }}', '{{ is }}', '{{ if }}', '{{ n.true }}', '{{ n.not }}',
  '{{\u2003a }}', '{{\u00a0a\u00a0}}', '{{\ufeffa}}', '{{\ra\n}}', '{{\ta}}',
  // string literals holding braces
  "{{ '{{' }}", "{{ '}}' }}", "{{ '{%' }}", "{{ '%}' }}", "{{ '{#' }}", "{{ '#}' }}", '{{ "{{ a }}" }}', "{{ '{% if true %}t{% endif %}' }}", "{{ 'x' + '{' }}",
  // filters, comments, blocks, whitespace control
  '{{ a | upper }}', '{{ a|lower }}', "{{ missing | default('d') }}", '{{ n.c | dump }}', '{# c #}', '{# {{ a }} #}',
  '{% if a %}', '{% endif %}', '{% if a %}y{% endif %}', "{% set s = '{{' %}{{ s }}", '{% raw %}{{ a }}{% endraw %}', '{% raw %}}}{{{% endraw %}',
  '{{- a -}}', '{%- if a -%} z {%- endif -%}',
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 7 }).map((parts) => parts.join(''));
const params = { numRuns: 3000, seed: 20261206 };

describe('http template oracle (nunjucks and Insomnia)', () => {
  it('the fast path answers only where nunjucks renders, and with what nunjucks renders', () => {
    let answered = 0;
    fc.assert(
      fc.property(text, (s) => {
        const now = renderTemplateNow(s, context);
        if (now === undefined) return;
        answered++;
        let theirs: string;
        try {
          theirs = insomniaOnce(s);
        } catch (err) {
          assert.fail(`the fast path sends ${JSON.stringify(now)} for ${JSON.stringify(s)}, nunjucks refuses it: ${String(err)}`);
        }
        assert.equal(now, theirs, `for ${JSON.stringify(s)}`);
      }),
      params,
    );
    assert.ok(answered > 500, `only ${answered} texts took the fast path`);
  });

  it('renderTemplate sends what Insomnia sends, or fails where Insomnia fails', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(text, async (s) => {
        const expected = insomnia(s);
        if (expected !== 'error') sent++;
        assert.equal(await hammock(s), expected, `for ${JSON.stringify(s)}`);
      }),
      { ...params, numRuns: 1000 },
    );
    assert.ok(sent > 300, `only ${sent} texts rendered`);
  });

  it('a literal `{{` (or `{#`) that a string expression outputs is sent as it is, as Insomnia sends it; a `{%` is rendered once more, as Insomnia renders it', async () => {
    assert.equal(await renderTemplate("{{ '{{' }}", context), '{{');
    assert.equal(await renderTemplate("{{ '{{' }} a }}", context), '{{ a }}');
    assert.equal(await renderTemplate("{{ '{#' }} c", context), '{# c');
    assert.equal(await renderTemplate("{% set s = '{{' %}{{ s }} a }}", context), '{{ a }}');
    assert.equal(await renderTemplate("{{ '{% if true %}t{% endif %}' }}", context), 't');
  });

  it('a text without a whole pair of delimiters is sent as typed, as Insomnia sends it', async () => {
    for (const s of ['{{ a', '{#', '{%', 'x {{', '{# c', '#}', '%}']) {
      assert.equal(renderTemplateNow(s, context), s);
      assert.equal(await renderTemplate(s, context), s);
    }
  });
});
