import * as assert from 'node:assert/strict';
import { editorTitle, titled } from '../../../src/webviews/editorTitle';

describe("the request editor tab's title", () => {
  it('is the method and the name, the method once when the name starts with it as the badge writes it', () => {
    assert.equal(editorTitle('get', 'Find pets'), 'GET Find pets');
    assert.equal(editorTitle('POST', 'POST /v1/orders'), 'POST /v1/orders');
    assert.equal(editorTitle('GET', 'GETaway'), 'GET GETaway');
    assert.equal(editorTitle('PUT', ''), 'PUT Request');
    assert.equal(editorTitle('', 'Find pets'), 'GET Find pets');
  });

  it('keeps the method when the name starts with the method word in another case, as the tree does', () => {
    assert.equal(editorTitle('GET', 'Get a pet'), 'GET Get a pet');
    assert.equal(editorTitle('post', 'post /v1/orders'), 'POST post /v1/orders');
  });

  it("is the tree row's label: one rule for both (the badge as the tree writes it)", () => {
    for (const [method, name] of [['GET', 'Get a pet'], ['get', 'GET /users'], ['DELETE', 'Delete a pet'], ['PATCH', 'PATCH']]) {
      assert.equal(editorTitle(method, name), titled(method.toUpperCase(), name));
    }
    assert.equal(titled('gRPC', 'gRPC Greeter'), 'gRPC Greeter');
    assert.equal(titled('WS', 'Ws chat'), 'WS Ws chat');
  });
});
