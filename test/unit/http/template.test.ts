import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { buildRenderContext, HttpError, renderRequest, renderTemplate } from '../../../src/http';
import { collection, folder, request } from './modelBuilders';

async function rejectsWith(p: Promise<unknown>, code: string, re: RegExp): Promise<HttpError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof HttpError, `expected HttpError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, re);
    return err;
  }
  assert.fail('expected a rejection');
}

describe('http templates', () => {
  const inner = request('req_1', { url: '{{ base_url }}/{{ _.path }}' });
  const col = collection(
    [folder('fld_outer', [folder('fld_inner', [inner], { environment: { path: 'inner', level: 'inner' } })], { environment: { path: 'outer', who: 'outer', level: 'outer' } })],
    { base_url: 'http://base', path: 'base', who: 'base', only_base: 'b', nested: { a: { b: 'deep' } }, arr: [{ prop: 'first' }], user: 'u', greeting: 'hi {{ user }}', chain: '{{ greeting }}!' },
    { env_dev: { base_url: 'http://dev', who: 'dev', user: 'dev-user' } },
  );

  it('merges base env, active sub-env, then folders outermost to innermost', async () => {
    const ctx = buildRenderContext(col, 'req_1', 'env_dev');
    assert.equal(await renderTemplate('{{ base_url }}', ctx), 'http://dev');
    assert.equal(await renderTemplate('{{ who }}', ctx), 'outer');
    assert.equal(await renderTemplate('{{ level }} {{ _.level }}', ctx), 'inner inner');
    assert.equal(await renderTemplate('{{ only_base }}', ctx), 'b');
    const noSub = buildRenderContext(col, 'req_1');
    assert.equal(await renderTemplate('{{ base_url }}', noSub), 'http://base');
  });

  it('exposes values at the root and under _, nested values and arrays', async () => {
    const ctx = buildRenderContext(col, 'req_1');
    assert.equal(await renderTemplate("{{ nested.a.b }} {{ _.nested.a.b }} {{ arr[0].prop }} {{ _['only_base'] }}", ctx), 'deep deep first b');
  });

  it('renders values that are templates themselves, recursively, with the winning values', async () => {
    const ctx = buildRenderContext(col, 'req_1', 'env_dev');
    assert.equal(await renderTemplate('{{ chain }}', ctx), 'hi dev-user!');
  });

  it('renders a request URL with the context', async () => {
    const ctx = buildRenderContext(col, 'req_1', 'env_dev');
    const r = await renderRequest(inner, col, ctx);
    assert.equal(r.url, 'http://dev/inner');
  });

  it('names an unknown variable and where it is', async () => {
    const ctx = buildRenderContext(col, 'req_1');
    const err = await rejectsWith(renderTemplate('x {{ nope }}', ctx, {}, 'url'), 'TemplateError', /Unknown variable "nope" in url/);
    assert.equal(err.where, 'url');
    await rejectsWith(renderTemplate('{{ _.missing_one }}', ctx, {}, 'header "A"'), 'TemplateError', /"missing_one" in header "A"/);
    await rejectsWith(renderTemplate('{{ nested.a.zz }}', ctx), 'TemplateError', /nested\.a\.zz/);
    const req = request('req_x', { headers: [{ name: 'X-Id', value: '{{ undefined_var }}' }] });
    const c2 = collection([req]);
    await rejectsWith(renderRequest(req, c2, buildRenderContext(c2, 'req_x')), 'TemplateError', /"undefined_var" in header "X-Id"/);
  });

  it('names an unknown tag', async () => {
    await rejectsWith(renderTemplate("{% faker 'randomFullName' %}", {}, {}, 'body'), 'TemplateError', /Unknown tag "faker" in body/);
  });

  it('a tag written without arguments (`{% uuid %}`, `{% now %}`) renders with its defaults, as Insomnia renders it, also from a nested environment value', async () => {
    const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    assert.match(await renderTemplate('{% uuid %}', {}), UUID4);
    assert.match(await renderTemplate('{%uuid%}', {}), UUID4);
    assert.match(await renderTemplate('{% now %}', {}), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const c = collection([request('req_t', { url: 'http://x/{{ _.ids.request }}' })], { ids: { request: '{% uuid %}' }, stamp: 'at {% now %}' });
    const ctx = buildRenderContext(c, 'req_t');
    assert.match(await renderTemplate('{{ _.ids.request }}', ctx, {}, 'url'), UUID4);
    assert.match(await renderTemplate('{{ stamp }}', ctx, {}, 'url'), /^at \d{4}-/);
  });

  it('an undefined variable given to a tag is named, not rendered as nothing (a Basic credential of an empty user)', async () => {
    await rejectsWith(renderTemplate("{% base64 'encode', 'normal', _.nope %}", { _: {} }, {}, 'header "Authorization"'), 'TemplateError', /Unknown variable "nope" in header "Authorization"/);
    await rejectsWith(renderTemplate("{% hash 'sha256', 'hex', secret %}", { _: {} }, {}, 'body'), 'TemplateError', /Unknown variable "secret" in body/);
    // a defined one, and the arguments left out, are as before
    assert.equal(await renderTemplate("{% base64 'encode', 'normal', _.user %}", { user: 'bob', _: { user: 'bob' } }), Buffer.from('bob').toString('base64'));
    assert.equal(await renderTemplate("{% base64 'encode', 'normal', _.user or 'x' %}", { _: {} }), Buffer.from('x').toString('base64'));
  });

  it('{% raw %} sends its text as written: not rendered again afterwards (an unknown name, a defined one, next to a variable holding a tag)', async () => {
    assert.equal(await renderTemplate('{% raw %}{{ x }}{% endraw %}', { _: {} }, {}, 'body'), '{{ x }}');
    assert.equal(await renderTemplate('Hello {% raw %}{{ user }}{% endraw %}!', { user: 'bob', _: { user: 'bob' } }, {}, 'body'), 'Hello {{ user }}!');
    assert.equal(await renderTemplate('{% verbatim %}{% if a %}{% endverbatim %}', { _: {} }, {}, 'body'), '{% if a %}');
    const withTag = await renderTemplate('{% raw %}{{ a }}{% endraw %}-{{ token }}', { token: '{% uuid %}', _: { token: '{% uuid %}' } }, {}, 'body');
    assert.match(withTag, /^\{\{ a \}\}-[0-9a-f]{8}-[0-9a-f]{4}-4/);
    // a block repeated in a loop
    assert.equal(await renderTemplate('{% for i in [1, 2] %}{% raw %}{{ i }}{% endraw %}{% endfor %}', { _: {} }, {}, 'body'), '{{ i }}{{ i }}');
  });

  it('a template that does not parse says why and where, without nunjucks\' "(unknown path)"', async () => {
    const err = await rejectsWith(renderTemplate('{{ a b }}', { a: 1 }, {}, 'url'), 'TemplateError', /^Template error in url: expected variable end/);
    assert.doesNotMatch(err.message, /unknown path/);
    assert.match(err.message, /column 6/);
    const filter = await rejectsWith(renderTemplate('{{ a | nofilter }}', { a: 1 }, {}, 'body'), 'TemplateError', /filter not found: nofilter/);
    assert.doesNotMatch(filter.message, /unknown path/);
  });

  it('uuid, now, base64, hash tags', async () => {
    assert.match(await renderTemplate("{% uuid 'v4' %}", {}), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(await renderTemplate("{% uuid 'v1' %}", {}), /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const before = Date.now();
    const ms = Number(await renderTemplate("{% now 'millis' %}", {}));
    assert.ok(ms >= before && ms <= Date.now());
    assert.match(await renderTemplate("{% now 'iso-8601' %}", {}), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(await renderTemplate("{% base64 'encode', 'normal', 'hello?>' %}", {}), Buffer.from('hello?>').toString('base64'));
    assert.equal(await renderTemplate("{% base64 'encode', 'url', 'hello?>' %}", {}), Buffer.from('hello?>').toString('base64url'));
    assert.equal(await renderTemplate("{% base64 'decode', 'normal', 'aGVsbG8=' %}", {}), 'hello');
    assert.equal(await renderTemplate("{% base64 'encode', 'hex', 'AB' %}", {}), '4142');
    assert.equal(await renderTemplate("{% hash 'sha256', 'hex', 'abc' %}", {}), crypto.createHash('sha256').update('abc').digest('hex'));
    assert.equal(await renderTemplate("{% hash 'md5', 'base64', user %}", { user: 'abc' }), crypto.createHash('md5').update('abc').digest('base64'));
  });

  it('prompt asks through the hook (Insomnia argument order) and a cancel is Cancelled', async () => {
    const asked: string[][] = [];
    const out = await renderTemplate("{% prompt 'How many milliseconds?', '', '500', '', false, true %}", {}, {
      prompt: async (title, label, def) => {
        asked.push([title, label, def]);
        return '750';
      },
    });
    assert.equal(out, '750');
    assert.deepEqual(asked, [['How many milliseconds?', '', '500']]);
    await rejectsWith(renderTemplate("{% prompt 'T', 'L', 'd' %}", {}, { prompt: async () => undefined }), 'Cancelled', /cancelled/);
  });

  it('response tag: decodes b64 filters and applies JSONPath to the body', async () => {
    const calls: string[] = [];
    const hooks = {
      response: async (id: string, field: string, filter: string) => {
        calls.push(`${id} ${field} ${filter}`);
        return field === 'header' ? 'abc-123' : JSON.stringify({ id: 42, items: [{ name: 'a' }, { name: 'b' }] });
      },
    };
    assert.equal(await renderTemplate("{% response 'body', 'req_other', 'b64::JC5pZA==::46b', 'never', 60 %}", {}, hooks), '42');
    assert.equal(await renderTemplate("{% response 'body', 'req_other', '$.items[1].name' %}", {}, hooks), 'b');
    assert.equal(await renderTemplate("{% response 'header', 'req_other', 'X-Id' %}", {}, hooks), 'abc-123');
    assert.deepEqual(calls[0], 'req_other body $.id');
    await rejectsWith(renderTemplate("{% response 'body', 'req_other', '$.nothing' %}", {}, hooks, 'url'), 'TemplateError', /matched nothing/);
  });

  it('a value built from variables the active environment lacks names the missing one when used', async () => {
    const req = request('req_u', { url: '{{ base_url }}/global' });
    const c = collection([req], { base_url: '{{ scheme }}://{{ host }}{{ base_path }}' }, { env_sub: { scheme: 'https', host: 'h.example', base_path: '' } });
    const ok = await renderRequest(req, c, buildRenderContext(c, 'req_u', 'env_sub'));
    assert.equal(ok.url, 'https://h.example/global');
    await rejectsWith(renderRequest(req, c, buildRenderContext(c, 'req_u')), 'TemplateError', /Unknown variable "scheme" in url/);
  });

  it('a value missing a variable names it also when the request reaches it as `_[\'a-name\']`, never sent as `{{ ... }}`', async () => {
    const req = request('req_d', { url: "http://h/{{ _['api-path'] }}" });
    const c = collection([req], { 'api-path': '{{ scheme }}/v1' }, { env_sub: { scheme: 'v2' } });
    assert.equal((await renderRequest(req, c, buildRenderContext(c, 'req_d', 'env_sub'))).url, 'http://h/v2/v1');
    await rejectsWith(renderRequest(req, c, buildRenderContext(c, 'req_d')), 'TemplateError', /Unknown variable "scheme" in url/);
  });

  it('a variable holding a tag gives one value per render context, as Insomnia renders the environment once per Send', async () => {
    // (a timestamp sent in a header and signed in another: two renders of {% now %} would break the signature)
    const req = request('req_t', {
      url: 'http://h/{{ id }}?again={{ _.id }}',
      headers: [{ name: 'X-Id', value: '{{ id }}' }, { name: 'X-Sig', value: "{% base64 'encode', 'normal', id %}" }],
    });
    const c = collection([req], { id: "{% uuid 'v4' %}" });
    const out = await renderRequest(req, c, buildRenderContext(c, 'req_t'));
    const id = out.headers.find(([n]) => n === 'X-Id')?.[1] ?? '';
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    assert.equal(out.url, `http://h/${id}?again=${id}`);
    assert.equal(out.headers.find(([n]) => n === 'X-Sig')?.[1], Buffer.from(id).toString('base64'));
    const next = await renderRequest(req, c, buildRenderContext(c, 'req_t'));
    assert.notEqual(next.headers.find(([n]) => n === 'X-Id')?.[1], id, 'a new Send (a new context): a new value');
  });

  it('a tag inside a nested object variable also gives one value per render context (Insomnia renders the whole environment once per Send)', async () => {
    const req = request('req_n', {
      url: 'http://h/{{ auth.ts }}?again={{ _.auth.ts }}&id={{ ids[0].v }}',
      headers: [
        { name: 'X-Ts', value: '{{ auth.ts }}' },
        { name: 'X-Sig', value: "{% base64 'encode', 'normal', auth.ts %}" },
        { name: 'X-Id', value: '{{ ids[0].v }}' },
      ],
    });
    const c = collection([req], { auth: { ts: "{% uuid 'v4' %}", user: 'u' }, ids: [{ v: "{% uuid 'v4' %}" }] });
    const out = await renderRequest(req, c, buildRenderContext(c, 'req_n'));
    const ts = out.headers.find(([n]) => n === 'X-Ts')?.[1] ?? '';
    const id = out.headers.find(([n]) => n === 'X-Id')?.[1] ?? '';
    assert.match(ts, /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    assert.notEqual(ts, id, 'two tags: two values');
    assert.equal(out.url, `http://h/${ts}?again=${ts}&id=${id}`);
    assert.equal(out.headers.find(([n]) => n === 'X-Sig')?.[1], Buffer.from(ts).toString('base64'));
    const next = await renderRequest(req, c, buildRenderContext(c, 'req_n'));
    assert.notEqual(next.headers.find(([n]) => n === 'X-Ts')?.[1], ts, 'a new Send (a new context): a new value');
  });

  it('a tag reached through other variables gives one value per Send, as Insomnia renders the environment once before the request', async () => {
    // `a` and `b` both use `id`: Insomnia renders `id` once (getRenderContext), then `a` and `b` against that context
    const req = request('req_v', {
      url: 'http://h/{{ a }}?id={{ id }}',
      headers: [
        { name: 'X-A', value: '{{ a }}' },
        { name: 'X-B', value: '{{ b }}' },
        { name: 'X-C', value: '{{ c }}' },
        { name: 'X-Sig', value: '{{ sig }}' },
        { name: 'X-Obj', value: '{{ obj.id }}' },
        { name: 'X-Upper', value: '{{ upper }}' },
      ],
    });
    // (`a` before `id` in the file: the order of the keys makes no difference; `c` two steps away; `sig` a tag given
    // `id`; `upper` a filter of its own name, which is no use of the variable)
    const c = collection([req], { a: '{{ id }}', id: "{% uuid 'v4' %}", b: 'pre-{{ _.id }}', c: '{{ a }}', sig: "{% base64 'encode', 'normal', id %}", obj: { id: '{{ a }}' }, upper: '{{ id | upper }}' });
    const out = await renderRequest(req, c, buildRenderContext(c, 'req_v'));
    const h = (name: string): string => out.headers.find(([n]) => n === name)?.[1] ?? '';
    const id = h('X-A');
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    assert.equal(out.url, `http://h/${id}?id=${id}`);
    assert.equal(h('X-B'), `pre-${id}`);
    assert.equal(h('X-C'), id);
    assert.equal(h('X-Sig'), Buffer.from(id).toString('base64'), 'a tag given the variable gets its value, not its text');
    assert.equal(h('X-Obj'), id);
    assert.equal(h('X-Upper'), id.toUpperCase(), 'a filter gets the value, not the tag\'s text');
    const next = await renderRequest(req, c, buildRenderContext(c, 'req_v'));
    assert.notEqual(next.headers.find(([n]) => n === 'X-A')?.[1], id, 'a new Send (a new context): a new value');
  });

  it('a response or prompt tag reached through several variables fires once per Send', async () => {
    let responses = 0;
    let prompts = 0;
    const hooks = {
      response: async () => `tok${++responses}`,
      prompt: async () => `answer${++prompts}`,
    };
    const req = request('req_p', {
      url: 'http://h/{{ again }}/{{ asked }}',
      headers: [
        { name: 'Authorization', value: '{{ auth }}' },
        { name: 'X-Again', value: '{{ again }}' },
        { name: 'X-Asked', value: '{{ _.asked }}-{{ also_asked }}' },
      ],
    });
    const c = collection([req], {
      token: "{% response 'body', 'req_login', '' %}",
      auth: 'Bearer {{ token }}',
      again: '{{ token }}',
      who: "{% prompt 'Who', 'Name', '' %}",
      asked: '{{ who }}',
      also_asked: '{{ who }}',
    });
    const out = await renderRequest(req, c, buildRenderContext(c, 'req_p'), hooks);
    assert.equal(responses, 1, 'the response tag fired once');
    assert.equal(prompts, 1, 'the prompt was asked once');
    assert.equal(out.url, 'http://h/tok1/answer1');
    assert.deepEqual(out.headers.find(([n]) => n === 'Authorization'), ['Authorization', 'Bearer tok1']);
    assert.deepEqual(out.headers.find(([n]) => n === 'X-Asked'), ['X-Asked', 'answer1-answer1']);
  });

  it('variables leading to tags through each other still render (no endless wait), and a word beside a template runs no tag', async () => {
    let prompts = 0;
    const hooks = { prompt: async () => `p${++prompts}` };
    // a cycle through tag arguments: each renders with the other as written
    const req = request('req_x', { url: 'http://h/{{ x }}' });
    const tags = collection([req], { x: "{% base64 'encode', 'normal', y %}", y: "{% base64 'encode', 'normal', x %}" });
    assert.equal((await renderRequest(req, tags, buildRenderContext(tags, 'req_x'), hooks)).url, `http://h/${Buffer.from("{% base64 'encode', 'normal', x %}").toString('base64')}`);
    // the two used at once, each waiting on a prompt first: neither waits for the other's render
    const asked = collection([req], { x: "{% prompt 'X', 'x', '' %}{% base64 'encode', 'normal', y %}", y: "{% prompt 'Y', 'y', '' %}{% base64 'encode', 'normal', x %}", z: '{{ x }}' });
    const ctx = buildRenderContext(asked, 'req_x');
    const [x, y, z] = await Promise.all([renderTemplate('{{ x }}', ctx, hooks), renderTemplate('{{ y }}', ctx, hooks), renderTemplate('{{ z }}', ctx, hooks)]);
    assert.equal(prompts, 2, 'each prompt once');
    assert.match(x, /^p\d/);
    assert.match(y, /^p\d/);
    assert.equal(z, x);
    prompts = 0;
    // a cycle through `{{ }}` with a tag in it: the cycle is named
    const vars = collection([req], { x: '{{ y }}', y: "{{ x }}{% uuid 'v4' %}" });
    await rejectsWith(renderRequest(req, vars, buildRenderContext(vars, 'req_x'), hooks), 'TemplateError', /Variables "x" and "y" refer to each other/);
    // `who` in the url's text and a tag's quoted argument "who" use no variable "who"
    const words = request('req_w', { url: "http://h/who/{{ id }}/{% base64 'encode', 'normal', 'who' %}" });
    const c = collection([words], { who: "{% prompt 'Who', 'Name', '' %}", id: '1' });
    assert.equal((await renderRequest(words, c, buildRenderContext(c, 'req_w'), hooks)).url, `http://h/who/1/${Buffer.from('who').toString('base64')}`);
    assert.equal(prompts, 0);
  });

  it('a variable that refers to itself, or a cycle of them, is a clear error naming them, never sent as `{{ ... }}`', async () => {
    const req = request('req_s', { url: 'http://h/{{ _.id }}', headers: [{ name: 'Authorization', value: 'Bearer {{ _.token }}' }] });
    const self = collection([req], { token: '{{ _.token }}', id: '1' });
    await rejectsWith(renderRequest(req, self, buildRenderContext(self, 'req_s')), 'TemplateError', /Variable "token" refers to itself \(token -> token\) in header "Authorization"/);
    const bare = collection([req], { token: '{{ token }}-x', id: '1' });
    await rejectsWith(renderRequest(req, bare, buildRenderContext(bare, 'req_s')), 'TemplateError', /Variable "token" refers to itself/);
    const cycle = collection([req], { token: 'Tok {{ _.a }}', a: '{{ _.b }}', b: '{{ a }}', id: '1' });
    await rejectsWith(renderRequest(req, cycle, buildRenderContext(cycle, 'req_s')), 'TemplateError', /Variables "a" and "b" refer to each other \(a -> b -> a\) in header "Authorization"/);
    // what does not use them is sent
    const other = request('req_o', { url: 'http://h/{{ _.id }}' });
    const c = collection([other], { token: '{{ _.token }}', id: '1' });
    assert.equal((await renderRequest(other, c, buildRenderContext(c, 'req_o'))).url, 'http://h/1');
  });

  it('a value that uses its own name over an outer one renders with the outer value, as Insomnia does (same-variable recursion)', async () => {
    const req = request('req_r', { url: '{{ base_url }}/users', headers: [{ name: 'X-Token', value: '{{ _.token }}' }] });
    const c = collection([folder('fld_v2', [req], { environment: { base_url: '{{ _.base_url }}/v2' } })], { base_url: 'http://h', token: 'base-tok' }, { env_sub: { token: '{{ token }}-sub' } });
    const r = await renderRequest(req, c, buildRenderContext(c, 'req_r', 'env_sub'));
    assert.equal(r.url, 'http://h/v2/users');
    assert.deepEqual(r.headers.find(([n]) => n === 'X-Token'), ['X-Token', 'base-tok-sub']);
  });

  it('leaves text without template syntax alone (fast path)', async () => {
    assert.equal(await renderTemplate('plain } text {', {}), 'plain } text {');
  });
});
