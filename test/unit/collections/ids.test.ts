import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { baseEnvironmentId, cookieJarId, ID_PREFIX, idPrefix, MODEL_TYPE_OF_KIND, newId } from '../../../src/collections/ids';

const FIXTURES = path.resolve(process.cwd(), 'test/fixtures');

describe('ids', () => {
  it('newId is the prefix, an underscore and a uuid v4 without dashes', () => {
    for (const prefix of Object.values(ID_PREFIX)) {
      const id = newId(prefix);
      assert.match(id, new RegExp(`^${prefix}_[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$`));
    }
    const many = new Set(Array.from({ length: 1000 }, () => newId('req')));
    assert.equal(many.size, 1000);
  });

  it('baseEnvironmentId is env_ + sha1(workspace id), as in the format notes', () => {
    assert.equal(baseEnvironmentId('wrk_d58fc511fbf1495591e9939627cf4b9a'), 'env_7c2769239b7a889ba348c82883908cdf238ed89a');
    assert.equal(cookieJarId('wrk_d58fc511fbf1495591e9939627cf4b9a'), 'jar_7c2769239b7a889ba348c82883908cdf238ed89a');
  });

  it('matches the base environment of every legacy fixture workspace', () => {
    const legacy = path.join(FIXTURES, 'legacy');
    let checked = 0;
    for (const repo of readdirSync(legacy)) {
      const dir = path.join(legacy, repo, '.insomnia');
      const [wrkFile] = readdirSync(path.join(dir, 'Workspace'));
      const wrk = parse(readFileSync(path.join(dir, 'Workspace', wrkFile), 'utf8')) as { _id: string };
      const envIds = readdirSync(path.join(dir, 'Environment')).map((f) => f.replace(/\.yml$/, ''));
      assert.ok(envIds.includes(baseEnvironmentId(wrk._id)), `${repo}: ${baseEnvironmentId(wrk._id)} in ${envIds}`);
      checked++;
    }
    assert.equal(checked, 5);
  });

  it('matches the base environment and cookie jar of the v5 fixtures Insomnia created', () => {
    const dir = path.join(FIXTURES, 'v5/kong-example');
    const files = ['everything.yaml', '12_1_0.yaml', 'my_collection.yaml', 'collection_after_renaming_3.yaml'];
    for (const f of files) {
      const doc = parse(readFileSync(path.join(dir, f), 'utf8')) as {
        meta: { id: string };
        environments: { meta: { id: string } };
        cookieJar: { meta: { id: string } };
      };
      assert.equal(doc.environments.meta.id, baseEnvironmentId(doc.meta.id), f);
      assert.equal(doc.cookieJar.meta.id, cookieJarId(doc.meta.id), f);
    }
  });

  it('idPrefix reads the prefix of any id, also of dashed and nested ones', () => {
    assert.equal(idPrefix('ws-req_e04e7b675c2f44b2a1a3c72acf0253e9'), 'ws-req');
    assert.equal(idPrefix('req_wrk_012d4860c7da418a85ffea7406e1292a21946b60'), 'req');
    assert.equal(idPrefix('env_env_7c27_sub'), 'env');
    assert.equal(idPrefix('noprefix'), undefined);
  });

  it('maps every item kind to its Insomnia model type and prefix', () => {
    assert.equal(ID_PREFIX[MODEL_TYPE_OF_KIND.folder], 'fld');
    assert.equal(ID_PREFIX[MODEL_TYPE_OF_KIND.request], 'req');
    assert.equal(ID_PREFIX[MODEL_TYPE_OF_KIND.grpcRequest], 'greq');
    assert.equal(ID_PREFIX[MODEL_TYPE_OF_KIND.websocketRequest], 'ws-req');
    assert.equal(ID_PREFIX[MODEL_TYPE_OF_KIND.socketIORequest], 'socketio-req');
  });
});
