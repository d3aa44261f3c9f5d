import * as assert from 'node:assert/strict';
import { retypedText } from '../../../src/webviews/variableType';

describe('retypedText (the environment table\'s Type list)', () => {
  it('Text holding JSON, switched to JSON, is that JSON (an object stays an object), not a JSON string of it', () => {
    assert.equal(retypedText('{"timeout": 30, "tags": ["a","b"]}', 'json'), '{"timeout": 30, "tags": ["a","b"]}');
    assert.equal(retypedText('[1, 2]', 'json'), '[1, 2]');
    assert.deepEqual(JSON.parse(retypedText('{"a": {"b": true}}', 'json')), { a: { b: true } });
  });

  it('Text that is not JSON, switched to JSON, becomes a JSON string of it', () => {
    assert.equal(retypedText('https://api.test', 'json'), '"https://api.test"');
    assert.equal(retypedText('', 'json'), '""');
  });

  it('the other switches', () => {
    assert.equal(retypedText({ a: 1 }, 'string'), '{"a":1}');
    assert.equal(retypedText('plain', 'string'), 'plain');
    assert.equal(retypedText('3', 'number'), '3');
    assert.equal(retypedText('abc', 'number'), '0');
    assert.equal(retypedText('true', 'boolean'), 'true');
    assert.equal(retypedText(false, 'boolean'), 'false');
    assert.equal(retypedText(3, 'json'), '3');
    assert.equal(retypedText(true, 'string'), 'true');
  });
});
