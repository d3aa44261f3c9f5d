// What a Send masks in the response history it keeps: the values that came from secrets.
import { strict as assert } from 'node:assert';
import type { Environment } from '../../../src/collections/model';
import { sentSecrets } from '../../../src/http';

describe('sentSecrets', () => {
  it('the private environment\'s values (nested too), the vault\'s, the Authorization credentials (an OAuth token), a Digest password', () => {
    const priv = { id: 'env_p', name: 'Mine', isPrivate: true, data: { token: 'p4ss-w0rd-42', nested: { key: 'n3sted-key' }, port: 8080 } } as unknown as Environment;
    const basic = Buffer.from('me:pw-from-prompt').toString('base64');
    const secrets = sentSecrets({ privateEnvironment: priv }, { key: 'v4ult-s3cret' }, {
      headers: [['Authorization', 'Bearer oauth-access-token'], ['Proxy-Authorization', `Basic ${basic}`], ['X-Stage', 'dev']],
      challengeAuth: { type: 'digest', username: 'me', password: 'digest-pw' },
    });
    for (const s of ['p4ss-w0rd-42', 'n3sted-key', 'v4ult-s3cret', 'oauth-access-token', basic, 'digest-pw']) assert.ok(secrets.includes(s), s);
    assert.equal(secrets.includes('Bearer oauth-access-token'), false, 'the scheme stays readable');
    assert.equal(secrets.includes('dev'), false, 'another header is not a secret');
    assert.deepEqual(sentSecrets(undefined, undefined, undefined), []);
  });
});
