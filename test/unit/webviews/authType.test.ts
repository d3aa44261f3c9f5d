import * as assert from 'node:assert/strict';
import { switchAuthType } from '../../../src/webviews/authType';

describe('switchAuthType (the request editor\'s Auth type)', () => {
  const labels = { token: 'Token', key: 'Key', value: 'Value', username: 'Username', password: 'Password', addTo: 'Add to' };

  it('a typed bearer token is dropped by a switch to Basic or to No Auth, and said so', () => {
    const bearer = { type: 'bearer', token: 'sekret-token-123', prefix: '' };
    assert.deepEqual(switchAuthType(bearer, 'basic', ['username', 'password', 'useISO88591'], { labels }), { auth: { type: 'basic' }, drops: ['Token'] });
    assert.deepEqual(switchAuthType(bearer, 'none', [], { labels }), { auth: {}, drops: ['Token'] });
  });

  it('Basic to Digest keeps the username and the password (Insomnia\'s newAuth); Enabled off stays off', () => {
    const basic = { type: 'basic', username: 'alice', password: 'pw1', useISO88591: false, disabled: true };
    assert.deepEqual(switchAuthType(basic, 'digest', ['username', 'password'], { labels }), { auth: { type: 'digest', disabled: true, username: 'alice', password: 'pw1' }, drops: [] });
  });

  it('empty fields, a box left unticked and the same type drop nothing', () => {
    assert.deepEqual(switchAuthType({ type: 'bearer', token: '', prefix: ' ' }, 'apikey', ['key', 'value', 'addTo']).drops, []);
    assert.deepEqual(switchAuthType({ type: 'basic', useISO88591: false }, 'none', []).drops, []);
    assert.deepEqual(switchAuthType({}, 'bearer', ['token', 'prefix']), { auth: { type: 'bearer' }, drops: [] });
    const same = { type: 'bearer', token: 't' };
    assert.equal(switchAuthType(same, 'bearer', ['token']).auth, same);
  });

  it('the fields dropped are named by their labels, a field without one (a type Hammock cannot edit) by its key', () => {
    assert.deepEqual(switchAuthType({ type: 'apikey', key: 'X-Api-Key', value: '{{ _.apikey }}', addTo: 'cookie' }, 'bearer', ['token', 'prefix'], { labels }).drops, ['Key', 'Value', 'Add to']);
    assert.deepEqual(switchAuthType({ type: 'hawk', id: 'h1', key: 'k', algorithm: 'sha256' }, 'none', [], { labels }).drops, ['id', 'Key', 'algorithm']);
  });

  it('a value a new auth of that type starts with (OAuth 2.0\'s grant type) is not something to ask about', () => {
    const defaults = { grantType: 'client_credentials' };
    assert.deepEqual(switchAuthType({ type: 'oauth2', grantType: 'client_credentials' }, 'none', [], { defaults }).drops, []);
    assert.deepEqual(switchAuthType({ type: 'oauth2', grantType: 'password' }, 'none', [], { defaults }).drops, ['grantType']);
  });
});
