import * as assert from 'node:assert/strict';
import { editorTitle } from '../../../src/webviews/editorTitle';

describe("the request editor tab's title", () => {
  it('is the method and the name, the method once when the name starts with it', () => {
    assert.equal(editorTitle('get', 'Find pets'), 'GET Find pets');
    assert.equal(editorTitle('POST', 'POST /v1/orders'), 'POST /v1/orders');
    assert.equal(editorTitle('post', 'post /v1/orders'), 'post /v1/orders');
    assert.equal(editorTitle('GET', 'GETaway'), 'GET GETaway');
    assert.equal(editorTitle('PUT', ''), 'PUT Request');
  });
});
