// The request editor's URL field: what typed text means for the request's url and its parameter rows.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { KeyValue } from '../../../src/collections/model';
import { displayUrl, mergeQuery, showsSameAs, splitUrl, urlFieldEdit, type UrlFieldBase } from '../../../src/webviews/urlField';

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
  it('deleting the middle parameter removes its row; the next one keeps its own id and description', () => {
    const three = [
      { id: 'pair_a', name: 'a', value: '1', description: 'first' },
      { id: 'pair_b', name: 'b', value: '2', description: 'second' },
      { id: 'pair_c', name: 'c', value: '3', description: 'third' },
    ];
    // (read by position, row b took c's name and value and c's row went: 'third' was lost, 'second' described c)
    assert.deepEqual(urlFieldEdit('http://x/p?a=1&c=3', { url: 'http://x/p', parameters: three }), { parameters: [three[0], three[2]] });
  });

  it('an edit of the path keeps a value that holds & (it was split into two rows)', () => {
    const tom = [{ id: 'pair_t', name: 'q', value: 'Tom & Jerry' }];
    assert.deepEqual(urlFieldEdit('http://x/cartoons?q=Tom & Jerry', { url: 'http://x/p', parameters: tom }), { url: 'http://x/cartoons' });
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

describe('the URL field, one change at a time (the rows it does not touch stay as they were)', () => {
  // names and values as the Params tab takes them: any text, `&`, `=` and `?` too (`Tom & Jerry`, `a=b`)
  const text = fc.stringMatching(/^[a-z&=?]{0,4}$/);
  const row = fc.record(
    { id: fc.stringMatching(/^pair_[a-f0-9]{4}$/), name: text, value: text, disabled: fc.boolean(), description: fc.string({ maxLength: 3 }) },
    { requiredKeys: ['name', 'value'] },
  );
  const rowsArb = fc.array(row, { maxLength: 6 });
  const url = fc.constantFrom('http://x/p', 'http://x/p?fixed=1', '{{ _.base }}/a?b=2&c');
  const isShown = (r: KeyValue) => !r.disabled && (r.name !== '' || r.value !== '');
  const partOf = (r: { name: string; value: string }) => (r.value === '' ? r.name : `${r.name}=${r.value}`);

  it('an edit of the url before its query never changes a parameter (a value holding & or = included)', () => {
    fc.assert(
      fc.property(url, rowsArb, fc.stringMatching(/^[a-z/:.]{1,8}$/), (u, params: KeyValue[], path) => {
        const shownText = displayUrl(u, params);
        const q = u.indexOf('?');
        const next = q === -1 ? `${u}${path}${shownText.slice(u.length)}` : `${u.slice(0, q)}${path}${shownText.slice(q)}`;
        const fields = urlFieldEdit(next, { url: u, parameters: params });
        assert.equal(fields.parameters, undefined, `${shownText} -> ${next}: ${JSON.stringify(fields.parameters)}`);
      }),
      { seed: 20261205, numRuns: 1000 },
    );
  });

  it('deleting one parameter from the field removes that row only: the others keep their ids and descriptions', () => {
    fc.assert(
      fc.property(url, rowsArb, fc.nat(), (u, params: KeyValue[], pick) => {
        const shownAt = params.flatMap((r, i) => (isShown(r) ? [i] : []));
        // (a row whose text holds `&` may be read as two, or two as one, where a neighbour went: not asked here)
        fc.pre(shownAt.length > 0 && shownAt.every((i) => !partOf(params[i]).includes('&')));
        const k = shownAt[pick % shownAt.length];
        const without = params.filter((_, i) => i !== k);
        const next = displayUrl(u, without);
        const fields = urlFieldEdit(next, { url: u, parameters: params });
        assert.equal(fields.url, undefined);
        // (rows that show the same text cannot be told apart: any one of them may be the one that went)
        const ok = params.some((r, j) => isShown(r) && partOf(r) === partOf(params[k]) && sameRowsDeep(fields.parameters, params.filter((_, i) => i !== j)));
        assert.ok(ok, `${displayUrl(u, params)} -> ${next}: ${JSON.stringify(fields.parameters)}`);
      }),
      { seed: 20261205, numRuns: 1000 },
    );
  });

  it('typing a new parameter between two others adds that row only', () => {
    fc.assert(
      fc.property(url, rowsArb, fc.nat(), fc.stringMatching(/^[a-z]{1,3}$/), fc.stringMatching(/^[a-z]{0,3}$/), (u, params: KeyValue[], pick, name, value) => {
        const shownAt = params.flatMap((r, i) => (isShown(r) ? [i] : []));
        fc.pre(shownAt.length > 0 && params.every((r) => !isShown(r) || !/[&=]/.test(r.name + r.value)));
        const k = shownAt[pick % shownAt.length];
        const added = { name, value };
        const next = displayUrl(u, [...params.slice(0, k), added, ...params.slice(k)]);
        const fields = urlFieldEdit(next, { url: u, parameters: params });
        const got = fields.parameters ?? [];
        // every row that was there is still there, unchanged, and one row more shows the new part where it was typed
        assert.equal(got.length, params.length + 1, JSON.stringify(got));
        assert.equal(displayUrl(u, got), next);
        const kept = got.filter((r) => params.includes(r));
        assert.equal(kept.length, params.length, `${next}: ${JSON.stringify(got)}`);
      }),
      { seed: 20261205, numRuns: 1000 },
    );
  });
});

describe('the URL field, as typed (walkthrough defects of 2026-12-05)', () => {
  const petRows: KeyValue[] = [
    { id: 'pair_s', name: 'status', value: 'available' },
    { id: 'pair_l', name: 'limit', value: '5' },
  ];

  it('`&c=` typed at the end is a row with an empty value (what Insomnia imports from `c=`), and the field keeps showing `c=`', () => {
    const start = { url: 'http://x/pets', parameters: [petRows[0]] };
    const typed = 'http://x/pets?status=available&c=';
    const fields = urlFieldEdit(typed, start);
    assert.deepEqual(fields, { parameters: [petRows[0], { name: 'c', value: '' }] });
    // drawn again (Send, news from the host, the focus gone), the field keeps the text typed, `=` and all
    assert.ok(showsSameAs(typed, start.url, fields.parameters!));
    // and a page opened afresh shows the row as Insomnia's query preview does and as Send sends it: `c=`
    assert.equal(displayUrl(start.url, fields.parameters!), typed);
    // `&c` typed is the same row; the field keeps `&c` too
    assert.deepEqual(urlFieldEdit('http://x/pets?status=available&c', start), fields);
    assert.ok(showsSameAs('http://x/pets?status=available&c', start.url, fields.parameters!));
    // (what the field does not keep: another url, another row, or the query written another way)
    assert.ok(!showsSameAs('http://x/pets?status=available&c=1', start.url, fields.parameters!));
    assert.ok(!showsSameAs('http://x/pets&status=available&c=', start.url, fields.parameters!));
  });

  it('selecting `?status=available` (the first row) and deleting it removes that row; limit stays a row, the url as it was', () => {
    const start = { url: 'http://x/pets', parameters: petRows };
    assert.deepEqual(urlFieldEdit('http://x/pets&limit=5', start), { parameters: [petRows[1]] });
    // the text read again (the next editing, a state from the host while the field keeps it) means the same
    assert.deepEqual(urlFieldEdit('http://x/pets&limit=5', { url: 'http://x/pets', parameters: [petRows[1]] }), {});
  });

  it("deleting the url's own query (`?status=available` stored in the url) changes the url only; limit stays a row", () => {
    const start = { url: 'http://x/pets?status=available', parameters: [petRows[1]] };
    assert.equal(displayUrl(start.url, start.parameters), 'http://x/pets?status=available&limit=5');
    assert.deepEqual(urlFieldEdit('http://x/pets&limit=5', start), { url: 'http://x/pets' });
    // one of two own parts: the other stays in the url's query, not in its path
    const two = { url: '{{ _.base }}/a?b=2&c', parameters: [petRows[1]] };
    assert.deepEqual(urlFieldEdit('{{ _.base }}/a&c&limit=5', two), { url: '{{ _.base }}/a?c' });
    assert.deepEqual(urlFieldEdit('{{ _.base }}/a&c&limit=5', { ...two, url: '{{ _.base }}/a?c' }), {});
    // an edit inside the url's own query keeps it there
    assert.deepEqual(urlFieldEdit('http://x/pets?status=sold&limit=5', start), { url: 'http://x/pets?status=sold' });
    assert.deepEqual(urlFieldEdit('http://x/pets?status=sold', { ...start, parameters: [] }), { url: 'http://x/pets?status=sold' });
  });

  it('`#top` typed after the query is the url\'s fragment: the rows keep their values, the field shows it after them', () => {
    const start = { url: 'http://x/pets', parameters: petRows };
    assert.deepEqual(urlFieldEdit('http://x/pets?status=available&limit=5#top', start), { url: 'http://x/pets#top' });
    const now = { url: 'http://x/pets#top', parameters: petRows };
    assert.equal(displayUrl(now.url, now.parameters), 'http://x/pets?status=available&limit=5#top');
    assert.deepEqual(urlFieldEdit('http://x/pets?status=available&limit=5#top', now), {});
    // a row typed after it, the fragment edited, the fragment deleted
    assert.deepEqual(urlFieldEdit('http://x/pets?status=available&limit=5&page=2#top', now), { parameters: [...petRows, { name: 'page', value: '2' }] });
    assert.deepEqual(urlFieldEdit('http://x/pets?status=available&limit=5#bottom', now), { url: 'http://x/pets#bottom' });
    assert.deepEqual(urlFieldEdit('http://x/pets?status=available&limit=5', now), { url: 'http://x/pets' });
    // a `#` in a value of the Params tab is the value's: the url and the other rows stay as they are
    const color = { url: 'http://x/p', parameters: [{ name: 'color', value: '#fff' }, petRows[1]] };
    assert.deepEqual(urlFieldEdit(displayUrl(color.url, color.parameters), color), {});
    assert.deepEqual(urlFieldEdit('http://y/p?color=#fff&limit=5', color), { url: 'http://y/p' });
  });

  it('texts with `#`, `?`, `%20` and `+` typed within one editing, then the starting text again: each means what it shows, and the request comes back', () => {
    // (rows as the Params tab holds them: a name, a value that may hold `#`, `?`, `%20` or `+`)
    const row = fc.record({ id: fc.stringMatching(/^pair_[a-f0-9]{4}$/), name: fc.stringMatching(/^[a-z]{1,3}$/), value: fc.stringMatching(/^[a-z#?%+2]{0,4}$/), disabled: fc.boolean() }, { requiredKeys: ['name', 'value'] });
    const url = fc.constantFrom('http://x/p', 'http://x/p#top', 'http://x/p?fixed=1', 'http://x/p?fixed=1#top');
    // (texts as a person leaves them in the field: the url's start kept, a query ending in a name or a value and maybe
    // a fragment after it; a `#` typed right after `&`, or where a row's own `#` stood, may be read either way)
    const text = fc.stringMatching(/^http:\/\/x\/p(\?[a-z=&%+2]{0,12}[a-z2])?(#[a-z]{0,3})?$/);
    fc.assert(
      fc.property(url, fc.array(row, { maxLength: 4 }), fc.array(text, { maxLength: 5 }), (u, params: KeyValue[], texts) => {
        const start = { url: u, parameters: params };
        let cur: UrlFieldBase = start;
        for (const t of texts) {
          const fields = urlFieldEdit(t, cur, start);
          cur = { url: fields.url ?? cur.url, parameters: fields.parameters ?? cur.parameters };
          assert.deepEqual(urlFieldEdit(t, cur), {}, `re-read: ${t}`);
        }
        const back = urlFieldEdit(displayUrl(u, params), cur, start);
        assert.equal(back.url ?? cur.url, u);
        assert.deepEqual(back.parameters ?? cur.parameters, params);
      }),
      { seed: 20261205, numRuns: 800 },
    );
  });

  // names and values as the Params tab takes them (no `&`: a row holding one may be read as two where a neighbour went)
  const text = fc.stringMatching(/^[a-z=?]{0,4}$/);
  const row = fc.record(
    { id: fc.stringMatching(/^pair_[a-f0-9]{4}$/), name: text, value: text, disabled: fc.boolean(), description: fc.string({ maxLength: 3 }) },
    { requiredKeys: ['name', 'value'] },
  );
  const url = fc.constantFrom('http://x/p', 'http://x/p?fixed=1', '{{ _.base }}/a?b=2&c');
  const isShown = (r: KeyValue) => !r.disabled && (r.name !== '' || r.value !== '');

  it('selecting any part of the query with the `?` or `&` before it and deleting it removes that part only: a row, or a part of the url', () => {
    fc.assert(
      fc.property(url, fc.array(row, { maxLength: 5 }), fc.nat(), (u, params: KeyValue[], pick) => {
        const shownText = displayUrl(u, params);
        const q = shownText.indexOf('?');
        fc.pre(q !== -1);
        // the parts' spans in the field, each with the separator before it
        const spans: { from: number; to: number }[] = [];
        let at = q;
        for (const part of shownText.slice(q + 1).split('&')) {
          spans.push({ from: at, to: at + 1 + part.length });
          at += 1 + part.length;
        }
        const ownCount = u.includes('?') ? u.slice(u.indexOf('?') + 1).split('&').length : 0;
        const k = pick % spans.length;
        const next = shownText.slice(0, spans[k].from) + shownText.slice(spans[k].to);
        const fields: { url?: string; parameters?: KeyValue[] } = urlFieldEdit(next, { url: u, parameters: params });
        const now = { url: fields.url ?? u, parameters: fields.parameters ?? params };
        if (k < ownCount) {
          const own = u.slice(u.indexOf('?') + 1).split('&').filter((_, i) => i !== k);
          assert.deepEqual(fields, { url: own.length ? `${u.slice(0, u.indexOf('?'))}?${own.join('&')}` : u.slice(0, u.indexOf('?')) }, `${shownText} -> ${next}`);
        } else {
          const shownAt = params.flatMap((r, i) => (isShown(r) ? [i] : []));
          const gone = shownAt[k - ownCount];
          assert.equal(fields.url, undefined, `${shownText} -> ${next}: ${JSON.stringify(fields)}`);
          // (rows that show the same text cannot be told apart: any one of them may be the one that went)
          const same = (r: KeyValue) => isShown(r) && `${r.name}=${r.value}` === `${params[gone].name}=${params[gone].value}`;
          assert.ok(params.some((r, j) => same(r) && sameRowsDeep(fields.parameters, params.filter((_, i) => i !== j))), `${shownText} -> ${next}: ${JSON.stringify(fields.parameters)}`);
        }
        // the text read again against what it made means no change
        assert.deepEqual(urlFieldEdit(next, now), {}, `re-read ${next}`);
      }),
      { seed: 20261205, numRuns: 1000 },
    );
  });
});

function sameRowsDeep(a: readonly KeyValue[] | undefined, b: readonly KeyValue[]): boolean {
  return a !== undefined && a.length === b.length && a.every((r, i) => JSON.stringify(r) === JSON.stringify(b[i]));
}
