// Templates where they are typed: segments, unknown variables, the completion at the caret and what choosing one does.
import { strict as assert } from 'node:assert';
import { applyCompletion, completionContext, matchCompletions, templateSegments, TAG_COMPLETIONS, unknownVariables, variableInsert, type CompletionItem } from '../../../src/webviews/templateField';

describe('templateField', () => {
  it('segments: text, variables in every form Insomnia renders, tags and comments', () => {
    const text = "{{ _.base_url }}/users/{{ id }}?k={{ _['api-key'] }}&t={{ vault.token }}&u={% uuid 'v4' %}{# note #}&x={{ _.a.b | upper }}";
    const segs = templateSegments(text).map((s) => [s.kind, text.slice(s.start, s.end), s.name ?? s.tag ?? '']);
    assert.deepEqual(segs, [
      ['variable', '{{ _.base_url }}', 'base_url'],
      ['text', '/users/', ''],
      ['variable', '{{ id }}', 'id'],
      ['text', '?k=', ''],
      ['variable', "{{ _['api-key'] }}", 'api-key'],
      ['text', '&t=', ''],
      ['variable', '{{ vault.token }}', 'vault.token'],
      ['text', '&u=', ''],
      ['tag', "{% uuid 'v4' %}", 'uuid'],
      ['comment', '{# note #}', ''],
      ['text', '&x=', ''],
      ['variable', '{{ _.a.b | upper }}', 'a'],
    ]);
    assert.deepEqual(templateSegments('no template'), [{ kind: 'text', start: 0, end: 11 }]);
  });

  it('unknown variables: those no environment defines, once each', () => {
    const known = new Set(['base_url', 'vault.token']);
    assert.deepEqual(unknownVariables('{{ _.base_url }}/{{ _.nope }}/{{ nope }}/{{ vault.token }}/{{ vault.other }}', known), ['nope', 'vault.other']);
    assert.deepEqual(unknownVariables("{% uuid 'v4' %}", known), []);
  });

  it('the completion context at the caret: after {{, {{ _., {{ with a prefix; after {%; none once closed', () => {
    assert.deepEqual(completionContext('x{{', 3), { kind: 'variable', start: 1, end: 3, prefix: '' });
    assert.deepEqual(completionContext('{{ _.ba', 7), { kind: 'variable', start: 0, end: 7, prefix: 'ba' });
    assert.deepEqual(completionContext('{{ _.ba }}/x', 7), { kind: 'variable', start: 0, end: 10, prefix: 'ba' });
    assert.deepEqual(completionContext('{% uu', 5), { kind: 'tag', start: 0, end: 5, prefix: 'uu' });
    assert.equal(completionContext('{{ _.a }}/', 10), undefined);
    assert.equal(completionContext('plain', 3), undefined);
    assert.equal(completionContext('{{ _.a | up', 11), undefined);
  });

  it('choosing a completion inserts Insomnia\'s form and puts the caret after it', () => {
    const item: CompletionItem = { label: 'base_url', detail: 'Base Environment', insert: variableInsert('base_url') };
    const text = 'http://x/{{ _.ba';
    const ctx = completionContext(text, text.length)!;
    assert.deepEqual(applyCompletion(text, ctx, item), { text: 'http://x/{{ _.base_url }}', caret: 25 });
    const closed = '{{ _.ba }}/users';
    assert.deepEqual(applyCompletion(closed, completionContext(closed, 7)!, item), { text: '{{ _.base_url }}/users', caret: 16 });
    assert.equal(variableInsert('api-key'), "{{ _['api-key'] }}");
    assert.equal(variableInsert('vault.token'), '{{ vault.token }}');
    const tagText = 'id={% uu';
    const uuid = TAG_COMPLETIONS.find((t) => t.label === 'uuid')!;
    assert.deepEqual(applyCompletion(tagText, completionContext(tagText, tagText.length)!, uuid), { text: "id={% uuid 'v4' %}", caret: 18 });
  });

  it('matching: prefix matches first, then those containing it', () => {
    const items = ['base_url', 'api_base', 'token', 'bearerToken'].map((label) => ({ label, detail: '', insert: variableInsert(label) }));
    assert.deepEqual(matchCompletions(items, { kind: 'variable', start: 0, end: 0, prefix: 'ba' }).map((i) => i.label), ['base_url', 'api_base']);
    assert.deepEqual(matchCompletions(items, { kind: 'variable', start: 0, end: 0, prefix: 'TOK' }).map((i) => i.label), ['token', 'bearerToken']);
    assert.equal(matchCompletions(items, { kind: 'variable', start: 0, end: 0, prefix: '' }).length, 4);
  });
});
