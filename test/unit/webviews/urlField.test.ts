// The request editor's URL field: what typed text means for the request's url and its parameter rows.
import { strict as assert } from 'node:assert';
import { displayUrl, mergeQuery, splitUrl, urlFieldEdit } from '../../../src/webviews/urlField';

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
});
