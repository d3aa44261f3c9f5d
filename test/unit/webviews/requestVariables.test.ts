// The variables the request editor's fields offer (where each comes from, a preview; secrets masked) and the masking of
// rendered previews.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import type { Environment, HttpRequest } from '../../../src/collections/model';
import { walkItems } from '../../../src/collections/model';
import { loadWorkspace } from '../../../src/collections/scan';
import { maskSecrets, requestVariables } from '../../../src/webviews/requestVariables';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');

describe('requestVariables', () => {
  it('the chain base -> active -> folders -> vault, each name once from where its value comes; secrets masked', async () => {
    const [c] = (await loadWorkspace(path.join(FIXTURES, 'legacy/kong-demo-with-tests'))).collections;
    const request = [...walkItems(c.children)].find((i): i is HttpRequest => i.kind === 'request' && i.name === 'Create new transaction')!;
    const sub = c.baseEnvironment!.subEnvironments.find((e) => e.id === 'env_038c957f9f1749c8bc57927d9655f4b4')!;
    const { variables, secrets } = requestVariables(c, request, { environment: sub.id, vault: { token: 'v4ult-s3cret' } }, []);
    const byName = new Map(variables.map((v) => [v.name, v]));
    assert.equal(byName.get('base_url')?.source, sub.name, 'the sub-environment wins over the base');
    assert.equal(byName.get('host')?.preview, 'localhost:3000');
    assert.equal(byName.get('apikey')?.preview, '••••••', 'a secret-named variable is masked');
    assert.deepEqual(byName.get('vault.token'), { name: 'vault.token', source: 'vault', preview: '••••••' });
    assert.ok(secrets.includes('v4ult-s3cret'));
    assert.ok(secrets.includes('apikey'));
    // a private environment (an object, as ActiveEnvironments gives it): every value is a secret
    const priv: Environment = { ...sub, id: 'env_private', name: 'Mine', data: { host: 'internal.example', pass: 'p4ss-w0rd-42' }, isPrivate: true };
    const p = requestVariables(c, request, { environment: priv, vault: {} }, [priv]);
    assert.equal(p.variables.find((v) => v.name === 'host')?.preview, '••••••');
    assert.ok(p.secrets.includes('internal.example') && p.secrets.includes('p4ss-w0rd-42'));
  });

  it('maskSecrets masks every occurrence, the longest first', () => {
    assert.equal(maskSecrets('Bearer abcdef and abcdef-long', ['abcdef', 'abcdef-long']), 'Bearer •••••• and ••••••');
    assert.equal(maskSecrets('nothing here', ['secret']), 'nothing here');
  });
});
