import * as assert from 'node:assert/strict';
import { bodySwitchPatch, contentTypeHeaders, switchBodyType } from '../../../src/webviews/bodyType';

describe('switchBodyType (the request editor\'s Body type)', () => {
  const json = { mimeType: 'application/json', text: '{\n  "id": 42\n}' };
  const form = { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'user', value: 'rex' }, { name: 'pass', value: 'word', disabled: true }] };

  it('between text types the text is kept, nothing dropped', () => {
    assert.deepEqual(switchBodyType(json, 'text/plain'), { body: { mimeType: 'text/plain', text: json.text }, drops: [] });
    assert.deepEqual(switchBodyType({ mimeType: 'application/graphql', text: '{"query":"{ a }"}' }, 'application/json').drops, []);
  });

  it('to GraphQL: a `{"query": ...}` text or text that is not JSON is kept (the query); another JSON text is dropped (Insomnia asks too)', () => {
    assert.deepEqual(switchBodyType({ mimeType: 'application/json', text: '{"query":"{ a }"}' }, 'application/graphql'), { body: { mimeType: 'application/graphql', text: '{"query":"{ a }"}' }, drops: [] });
    assert.deepEqual(switchBodyType({ mimeType: 'text/plain', text: '{ pets { id } }' }, 'application/graphql').drops, []);
    assert.deepEqual(switchBodyType(json, 'application/graphql'), { body: { mimeType: 'application/graphql', text: '' }, drops: ['the text'] });
  });

  it('from JSON to a form, to a file or to no body: the text is dropped, and said so', () => {
    assert.deepEqual(switchBodyType(json, 'application/x-www-form-urlencoded'), { body: { mimeType: 'application/x-www-form-urlencoded', params: [] }, drops: ['the text'] });
    assert.deepEqual(switchBodyType(json, 'application/octet-stream').drops, ['the text']);
    assert.deepEqual(switchBodyType(json, null), { body: {}, drops: ['the text'] });
  });

  it('from Form URL Encoded to Multipart Form the fields are kept; to JSON or no body they are dropped', () => {
    assert.deepEqual(switchBodyType(form, 'multipart/form-data'), { body: { mimeType: 'multipart/form-data', params: form.params }, drops: [] });
    assert.deepEqual(switchBodyType(form, 'application/json'), { body: { mimeType: 'application/json', text: '' }, drops: ['2 form fields'] });
    assert.deepEqual(switchBodyType({ ...form, params: [form.params[0]] }, null).drops, ['1 form field']);
  });

  it('an empty body, blank text or empty rows (Add pressed, nothing typed) drop nothing', () => {
    assert.deepEqual(switchBodyType({}, 'application/json'), { body: { mimeType: 'application/json', text: '' }, drops: [] });
    assert.deepEqual(switchBodyType({ mimeType: 'application/json', text: ' \n' }, null).drops, []);
    assert.deepEqual(switchBodyType({ mimeType: 'multipart/form-data', params: [{ name: '', value: '' }] }, 'text/plain').drops, []);
  });

  it('a chosen file is dropped by a switch to another type', () => {
    assert.deepEqual(switchBodyType({ mimeType: 'application/octet-stream', fileName: '/tmp/a.bin' }, 'application/json').drops, ['the file']);
    assert.deepEqual(switchBodyType({ mimeType: 'application/octet-stream', fileName: '/tmp/a.bin' }, 'application/octet-stream').drops, []);
  });

  describe("the Content-Type header follows, as Insomnia's updateMimeType writes it", () => {
    const accept = { name: 'Accept', value: 'application/json' };
    it('none: one is added with the type (GraphQL: application/json)', () => {
      assert.deepEqual(contentTypeHeaders([accept], 'application/x-www-form-urlencoded'), [accept, { name: 'Content-Type', value: 'application/x-www-form-urlencoded' }]);
      assert.deepEqual(contentTypeHeaders([], 'application/graphql'), [{ name: 'Content-Type', value: 'application/json' }]);
      assert.deepEqual(contentTypeHeaders([], 'application/octet-stream'), [{ name: 'Content-Type', value: 'application/octet-stream' }]);
    });
    it("one (any case, enabled or not): its value changes, nothing else of it; JSON to JSON and XML to XML leave it alone", () => {
      const ct = { id: 'pair_1', name: 'content-type', value: 'application/json', disabled: false, description: 'kept' };
      assert.deepEqual(contentTypeHeaders([accept, ct], 'multipart/form-data'), [accept, { ...ct, value: 'multipart/form-data' }]);
      assert.equal(contentTypeHeaders([accept, ct], 'application/vnd.api+json'), undefined);
      assert.equal(contentTypeHeaders([{ name: 'Content-Type', value: 'text/xml' }], 'application/xml'), undefined);
      assert.equal(contentTypeHeaders([{ name: 'Content-Type', value: 'text/plain' }], 'text/plain'), undefined, 'already the type: unchanged');
      // only the first: Insomnia's getContentTypeHeader finds one
      const two = [ct, { name: 'Content-Type', value: 'text/plain' }];
      assert.deepEqual(contentTypeHeaders(two, 'application/xml'), [{ ...ct, value: 'application/xml' }, two[1]]);
    });
    it('no body: the header goes', () => {
      assert.deepEqual(contentTypeHeaders([{ name: 'Content-Type', value: 'application/json' }, accept], null), [accept]);
      assert.equal(contentTypeHeaders([accept], null), undefined);
    });
    it('an unknown or empty type (Insomnia\'s "Other"): left alone', () => {
      assert.equal(contentTypeHeaders([], ''), undefined);
    });
  });

  describe('what else a switch writes (bodySwitchPatch)', () => {
    it('to GraphQL: the method becomes POST, as Insomnia\'s "GraphQL must be POST" makes it, with the header', () => {
      assert.deepEqual(bodySwitchPatch({ method: 'GET', headers: [] }, 'application/graphql'), { headers: [{ name: 'Content-Type', value: 'application/json' }], method: 'POST' });
      assert.deepEqual(bodySwitchPatch({ method: 'POST', headers: [{ name: 'Content-Type', value: 'application/json' }] }, 'application/graphql'), {}, 'already POST and JSON: nothing');
    });
    it('to any other type the method stays', () => {
      assert.deepEqual(bodySwitchPatch({ method: 'GET' }, 'application/json'), { headers: [{ name: 'Content-Type', value: 'application/json' }] });
      assert.deepEqual(bodySwitchPatch({ method: 'PUT', headers: [{ name: 'Content-Type', value: 'text/plain' }] }, null), { headers: [] });
    });
  });
});
