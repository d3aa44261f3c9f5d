// The request editor's URL field: what typed text means for the request's url and its parameter rows.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { KeyValue } from '../../../src/collections/model';
import { displayUrl, mergeQuery, splitUrl, urlFieldEdit, type UrlFieldBase } from '../../../src/webviews/urlField';

describe('the URL field', () => {
  const rows = [
    { id: 'pair_1', name: 'status', value: 'available', disabled: false, description: 'which pets' },
    { id: 'pair_2', name: 'debug', value: '1', disabled: true },
    { id: 'pair_3', name: 'limit', value: '5' },
  ];

  it('shows the url and the enabled parameters', () => {
    assert.equal(displayUrl('http://x/pets', rows), 'http://x/pets?status=available&limit=5');
    assert.equal(displayUrl('http://x/pets?fixed=1', rows), 'http://x/pets?fixed=1&status=available&limit=5');
    assert.equal(displayUrl('http://x', []), 'http://x');
  });

  it('an edit of the host changes the url only; the rows are not sent', () => {
    assert.deepEqual(urlFieldEdit('http://y/pets?status=available&limit=5', { url: 'http://x/pets', parameters: rows }), { url: 'http://y/pets' });
  });

  it('an edit of a value changes that row only, keeping its id, description and disabled: false', () => {
    const fields = urlFieldEdit('http://x/pets?status=sold&limit=5', { url: 'http://x/pets', parameters: rows });
    assert.deepEqual(fields, { parameters: [{ ...rows[0], value: 'sold' }, rows[1], rows[2]] });
  });

  it('typing the same text back is no edit; a trailing ? or & means nothing', () => {
    for (const text of ['http://x/pets?status=available&limit=5', 'http://x/pets?status=available&limit=5&']) {
      assert.deepEqual(urlFieldEdit(text, { url: 'http://x/pets', parameters: rows }), {});
    }
  });

  it('a url with a query of its own keeps it; the parts after it are the parameters', () => {
    assert.deepEqual(splitUrl('http://x/p?fixed=1&a=2', 'http://x/p?fixed=1'), { base: 'http://x/p?fixed=1', query: [{ name: 'a', value: '2' }] });
    assert.deepEqual(urlFieldEdit('http://y/p?fixed=1&status=available&limit=5', { url: 'http://x/p?fixed=1', parameters: rows }), { url: 'http://y/p?fixed=1' });
  });

  it('extra query parts become new rows at the end; missing ones drop enabled rows; disabled rows stay', () => {
    assert.deepEqual(mergeQuery(rows, [{ name: 'status', value: 'available' }]), [rows[0], rows[1]]);
    assert.deepEqual(mergeQuery(rows, [{ name: 'status', value: 'available' }, { name: 'limit', value: '5' }, { name: 'page', value: '2' }]), [...rows, { name: 'page', value: '2' }]);
    assert.deepEqual(mergeQuery(rows, []), [rows[1]]);
  });
  /** The request after each text in turn, as the page applies them within one editing (focus to blur) of the field. */
  const typeAll = (start: UrlFieldBase, texts: readonly string[], base: UrlFieldBase | 'each key' = start): UrlFieldBase => {
    let cur = start;
    for (const text of texts) {
      const fields = urlFieldEdit(text, cur, base === 'each key' ? cur : base);
      cur = { url: fields.url ?? cur.url, parameters: fields.parameters ?? cur.parameters };
    }
    return cur;
  };

  it('selecting everything and typing the same URL again, key by key, gives back the very rows (ids, order, disabled: false)', () => {
    const start = { url: 'http://x/pets', parameters: rows };
    const text = displayUrl(start.url, start.parameters);
    const keys = [...text].map((_, i) => text.slice(0, i + 1));
    const end = typeAll(start, keys);
    assert.equal(end.url, start.url);
    assert.deepEqual(end.parameters, rows);
    // read against the last keystroke's rows instead, the first key dropped every enabled row and the rest came back new
    const old = typeAll(start, keys, 'each key');
    assert.deepEqual(old.parameters, [rows[1], { name: 'status', value: 'available' }, { name: 'limit', value: '5' }]);
  });

  it('any texts typed within one editing, then the starting text again (Undo, or retyped): the request is as it was', () => {
    const part = fc.stringMatching(/^[a-z0-9%]{0,4}$/);
    const row = fc.record(
      { id: fc.stringMatching(/^pair_[a-f0-9]{4}$/), name: part, value: part, disabled: fc.boolean(), description: fc.string({ maxLength: 3 }) },
      { requiredKeys: ['name', 'value'] },
    );
    const url = fc.tuple(fc.constantFrom('http://x/p', 'http://x/p?fixed=1', '{{ _.base }}/a?b=2&c'), fc.boolean()).map(([u, q]) => (q ? u : u.split('?')[0]));
    const text = fc.oneof(fc.stringMatching(/^[a-z:/.?&=0-9{} _]{0,24}$/), fc.stringMatching(/^http:\/\/x\/p\?[a-z=&]{0,10}$/));
    fc.assert(
      fc.property(url, fc.array(row, { maxLength: 5 }), fc.array(text, { maxLength: 6 }), (u, params: KeyValue[], texts) => {
        const start = { url: u, parameters: params };
        const shown = displayUrl(u, params);
        // every keystroke's text means what the field shows: the request displays as the text typed
        let cur: UrlFieldBase = start;
        for (const t of texts) {
          cur = typeAll(cur, [t], start);
          assert.deepEqual(urlFieldEdit(t, cur, start), {}, 'the text typed is what the request now holds');
          // the next editing (the field focused again, or a state from the host) reads the same text against the
          // rows this one left: it means no edit (the field and the rows say the same)
          assert.deepEqual(urlFieldEdit(t, cur), {}, `re-read: ${t}`);
        }
        const end = typeAll(cur, [shown], start);
        assert.equal(end.url, u);
        assert.deepEqual(end.parameters, params);
      }),
      { seed: 20261205, numRuns: 500 },
    );
  });
});
