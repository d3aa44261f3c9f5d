// The render fast path (renderTemplateNow: a text with no template syntax, or only `{{ name }}` outputs that resolve,
// rendered without nunjucks and without a promise) gives what nunjucks gives, and what renderTemplate gave before it;
// anything else is left to renderTemplate. And a request whose fields hold braces that are not all templates (JSON,
// comments, {% raw %}, a lone `{`) is sent byte for byte as before, checked on a loopback server.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as nunjucks from 'nunjucks';
import { buildRenderContext, closeConnections, HttpError, renderRequest, renderTemplate, sendRequest } from '../../../src/http';
import { renderTemplateNow } from '../../../src/http/template';
import { startTestServer, type TestServer } from '../../support/httpServer';
import { collection, request } from './modelBuilders';

const env = { a: 'A', b: 'B b', num: 3, zero: 0, yes: true, no: false, empty: '', n: { b: 'deep', c: { d: 'deeper' } }, arr: [1, 2], base_url: 'http://h', q: 'x' };
const col = collection([request('req_1')], env);
const context = buildRenderContext(col, 'req_1');

/** nunjucks alone, configured as the engine's environment is (no autoescape, an undefined output is an error). */
const plainNunjucks = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: true });

async function outcome(p: Promise<string>): Promise<string> {
  try {
    return `ok:${await p}`;
  } catch (err) {
    return `error:${err instanceof HttpError ? err.code : 'other'}:${err instanceof Error ? err.message : String(err)}`;
  }
}

// pieces a field could be made of: template syntax whole and broken, names defined and not, JSON, odd whitespace
const PIECES = [
  '{{', '}}', '{%', '%}', '{#', '#}', '{', '}', '{{-', '-}}', ' ', '  ', '\n', '\t', '\u00a0', '\u2003', '\ufeff',
  'a', 'b', 'n', 'q', '_', '.', '_.', 'n.b', 'n.c.d', 'arr', 'num', 'zero', 'yes', 'no', 'empty', 'missing', 'a.b', 'a.length', 'constructor', '__proto__',
  '"', "'", ':', ',', '|', 'upper', '(', ')', '[', ']', '0', 'raw', 'endraw', 'text', '$', '\\', '%', '#',
  '{{ a }}', '{{ _.a }}', '{{ n.c.d }}', '{{ _.n.b }}', '{{ missing }}', '{{ num }}', '{{ arr }}', '{{ n }}', '{{ empty }}', '{{ a | upper }}',
  '{"k": "{{ a }}"}', '{% raw %}{{ a }}{% endraw %}', "{{ '{{' }}", '{# c #}', '{% uuid %}',
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((parts) => parts.join(''));

describe('http template fast path', () => {
  it('renders exactly what nunjucks and renderTemplate render, wherever it answers (seeded random fields)', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(text, async (s) => {
        const now = renderTemplateNow(s, context);
        if (now === undefined) return;
        answered++;
        // a text without a whole pair of delimiters is sent as typed, as Insomnia sends it (nunjucks would refuse a
        // lone `{{` or `#}`); any other is what nunjucks renders (it refuses a stray `#}` or `{{{ a }}`: then the fast
        // path does not answer; templateOracle.test.ts)
        const pair = (o: string, c: string): boolean => s.includes(o) && s.includes(c);
        if (!pair('{{', '}}') && !pair('{%', '%}') && !pair('{#', '#}')) assert.equal(now, s);
        else assert.equal(now, plainNunjucks.renderString(s, context), `nunjucks renders ${JSON.stringify(s)} otherwise`);
        assert.equal(await outcome(renderTemplate(s, context)), `ok:${now}`);
      }),
      { numRuns: 4000, seed: 20261206 },
    );
    // the property is about something: many fields took the fast path (and many did not)
    assert.ok(answered > 400, `only ${answered} fields took the fast path`);
  });

  it('answers at once for text without template syntax and for simple outputs; leaves the rest to renderTemplate', () => {
    assert.equal(renderTemplateNow('application/json', context), 'application/json');
    assert.equal(renderTemplateNow('{"a": {"b": [1, {}]}}', context), '{"a": {"b": [1, {}]}}');
    assert.equal(renderTemplateNow('{{ base_url }}/x?{{ _.q }}={{ n.c.d }}', context), 'http://h/x?x=deeper');
    assert.equal(renderTemplateNow('{{num}}{{zero}}{{yes}}{{no}}[{{empty}}]', context), '30truefalse[]');
    for (const rest of ['{{ missing }}', '{{ a | upper }}', '{% uuid %}', '{# c #}', '{% raw %}{{ a }}{% endraw %}', "{{ '{{' }}", '{{ a }} {{', '{{- a -}}', '{{ constructor }}', '{{ a.b }}']) {
      assert.equal(renderTemplateNow(rest, context), undefined, rest);
    }
    // a value that brings template syntax in is rendered again (by renderTemplate), not sent as it came out
    const ctx = buildRenderContext(collection([request('req_1')], { t: '{% raw %}x{% endraw %}', u: '{#' }), 'req_1');
    assert.equal(renderTemplateNow('{{ t }}', ctx), undefined);
    assert.equal(renderTemplateNow('{{ u }}', ctx), undefined);
  });

  it('keeps the errors: a missing variable or a variable of a cycle is still a TemplateError naming it', async () => {
    assert.match(await outcome(renderTemplate('{{ missing }}', context, {}, 'url')), /^error:TemplateError:Unknown variable "missing" in url/);
    const ctx = buildRenderContext(collection([request('req_1')], { token: '{{ _.token }}' }), 'req_1');
    assert.match(await outcome(renderTemplate('Bearer {{ token }}', ctx, {}, 'header')), /^error:TemplateError:Variable "token" refers to itself/);
  });

  it('an environment whose templates sit only deep in objects or arrays still has them rendered (and one without any is kept as it is)', async () => {
    const deep = buildRenderContext(collection([request('req_1')], { user: 'u', o: { p: { q: 'hi {{ user }}' } }, list: ['x', { y: '{{ _.user }}!' }] }), 'req_1');
    assert.deepEqual(deep._, { user: 'u', o: { p: { q: 'hi u' } }, list: ['x', { y: 'u!' }] });
    assert.equal(await renderTemplate('{{ o.p.q }} {{ list[1].y }}', deep), 'hi u u!');
    const none = { a: '{ not a template }', n: { b: [1, '{%'] } };
    assert.deepEqual(buildRenderContext(collection([request('req_1')], none), 'req_1')._, none);
  });

  describe('sent on a loopback server', function () {
    this.timeout(20000);
    let server: TestServer;
    before(async () => {
      server = await startTestServer();
    });
    after(async () => {
      await closeConnections();
      await server.close();
    });

    interface Echo {
      method: string;
      url: string;
      rawHeaders: string[];
      body: string;
    }

    async function sent(fields: Parameters<typeof request>[1]): Promise<Echo> {
      const c = collection([request('req_1', fields)], { ...env, base_url: server.httpUrl });
      const ctx = buildRenderContext(c, 'req_1');
      const rendered = await renderRequest(c.children[0] as ReturnType<typeof request>, c, ctx);
      const res = await sendRequest(rendered, { followRedirects: true, rejectUnauthorized: true });
      assert.equal(res.status, 200);
      return JSON.parse(res.body.toString('utf8')) as Echo;
    }

    it('sends method, URL, headers and a body with braces that are not all templates byte for byte', async () => {
      const body = '{"user": "{{ a }}", "nested": {"x": [1, {}]}, "lone": "{", "close": "}", "pct": "{{ num }}%"} {# note #}{% raw %}{{ kept }}{% endraw %}';
      const echo = await sent({
        method: 'post',
        url: '{{ base_url }}/echo/{{ _.n.b }}',
        parameters: [{ name: 'q', value: '{{ q }}' }, { name: 'brace', value: '{x}' }, { name: 'pct', value: '50%25 and %' }],
        headers: [{ name: 'X-Json', value: '{"a": {{ num }}}' }, { name: 'X-Plain', value: 'no template' }, { name: 'Content-Type', value: 'application/json' }],
        body: { mimeType: 'application/json', text: body },
        authentication: { type: 'bearer', token: '{{ b }}' },
      });
      assert.equal(echo.method, 'POST');
      assert.equal(echo.url, '/echo/deep?q=x&brace=%7Bx%7D&pct=50%25%20and%20%25');
      assert.deepEqual(echo.rawHeaders.filter((_h, i) => i % 2 === 0).map((h) => h.toLowerCase()), ['host', 'connection', 'x-json', 'x-plain', 'content-type', 'authorization', 'user-agent', 'content-length']);
      const header = (name: string): string | undefined => echo.rawHeaders[echo.rawHeaders.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === name) + 1];
      assert.equal(header('x-json'), '{"a": 3}');
      assert.equal(header('x-plain'), 'no template');
      assert.equal(header('authorization'), 'Bearer B b');
      assert.equal(echo.body, '{"user": "A", "nested": {"x": [1, {}]}, "lone": "{", "close": "}", "pct": "3%"} {{ kept }}');
    });
  });
});
