// Moving secrets out of collection files, with a real store on copies of the fixtures: the field gets the variable as
// one minimal edit, the value goes to the vault or a private environment, and the scan then finds nothing.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CollectionStore } from '../../../../src/collections/store';
import { scanCollection } from '../../../../src/collections/secrets/secretScan';
import { walkItems, type HttpRequest } from '../../../../src/collections/model';
import { LocalEnvironments } from '../../../../src/services/localEnvironments';
import { moveSecrets, variableNameFor } from '../../../../src/collections/secrets/moveSecrets';
import { buildRenderContext, renderTemplate } from '../../../../src/http';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');
const TOKEN = ['gh', 'p_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('');

function memoryLocal(): LocalEnvironments {
  const data = new Map<string, string>();
  return new LocalEnvironments({ get: async (k) => data.get(k), store: async (k, v) => void data.set(k, v), delete: async (k) => void data.delete(k) });
}

describe('moveSecrets', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'hammock-move-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('a header token into the vault (legacy): one line of the request file, and the render still sends it', async () => {
    cpSync(path.join(FIXTURES, 'legacy/kong-demo-with-tests'), tmp, { recursive: true });
    const files = path.join(tmp, '.insomnia', 'Request');
    const store = new CollectionStore([tmp]);
    await store.reload();
    let [c] = store.collections;
    const r = [...walkItems(c.children)].find((i): i is HttpRequest => i.kind === 'request' && i.name === 'Create new transaction')!;
    await store.apply(c, { kind: 'setRequestFields', id: r.id, fields: { headers: [...r.headers, { name: 'Authorization', value: `token ${TOKEN}` }] } });
    [c] = store.collections;
    const findings = scanCollection(c);
    assert.equal(findings.length, 1);
    const before = readFileSync(r.source.file, 'utf8');
    const local = memoryLocal();
    const result = await moveSecrets({ store, local }, findings, { kind: 'vault' });
    assert.deepEqual(result.moved.map((m) => m.variable), ['{{ vault.authorization }}']);
    const after = readFileSync(r.source.file, 'utf8');
    assert.ok(after.includes('value: token {{ vault.authorization }}') && !after.includes(TOKEN));
    assert.equal(after.split('\n').length, before.split('\n').length, 'no line added or removed');
    [c] = store.collections;
    assert.deepEqual(scanCollection(c), [], 'nothing left to find');
    const context = buildRenderContext(c, r.id, undefined, { vault: local.vault(c.id) });
    assert.equal(await renderTemplate('token {{ vault.authorization }}', context), `token ${TOKEN}`);
    void files;
  });

  it('an environment variable into a new private environment (v5): the variable leaves the shared file, the private one has it', async () => {
    const file = path.join(tmp, 'everything.yaml');
    writeFileSync(file, readFileSync(path.join(FIXTURES, 'v5/kong-example/everything.yaml'), 'utf8').replace('base_url: localhost:3000', `base_url: localhost:3000\n        gh_token: ${TOKEN}`));
    const store = new CollectionStore([tmp]);
    await store.reload();
    let [c] = store.collections;
    const findings = scanCollection(c);
    assert.equal(findings.length, 1);
    assert.equal(variableNameFor(findings[0].location), 'gh_token');
    const local = memoryLocal();
    const result = await moveSecrets({ store, local }, findings, { kind: 'private', environmentId: 'new' });
    assert.ok(result.createdEnvironmentId);
    assert.ok(!readFileSync(file, 'utf8').includes('gh_token'), 'the variable left the shared file');
    [c] = store.collections;
    const [priv] = local.environments(c.id, c.baseEnvironment!.id);
    assert.deepEqual([priv.name, priv.data], ['Private', { gh_token: TOKEN }]);
    const context = buildRenderContext(c, [...walkItems(c.children)][0].id, priv, {});
    assert.equal(await renderTemplate('{{ _.gh_token }}', context), TOKEN);
  });
});
