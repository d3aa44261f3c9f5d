// Private environments and vaults in a SecretStorage-like store: kept per workspace id, in order, read once; another
// window's change read again; nothing left behind when emptied.
import { strict as assert } from 'node:assert';
import { LocalEnvironments, type SecretStore } from '../../../src/services/localEnvironments';

function memorySecrets(): SecretStore & { data: Map<string, string>; gets: number; change(key: string): void } {
  const data = new Map<string, string>();
  const listeners: ((e: { key: string }) => unknown)[] = [];
  const store = {
    data,
    gets: 0,
    get: async (k: string) => {
      store.gets++;
      return data.get(k);
    },
    store: async (k: string, v: string) => void data.set(k, v),
    delete: async (k: string) => void data.delete(k),
    onDidChange: (l: (e: { key: string }) => unknown) => {
      listeners.push(l);
      return { dispose: () => undefined };
    },
    change: (key: string) => listeners.forEach((l) => l({ key })),
  };
  return store;
}

describe('LocalEnvironments', () => {
  it('private environments: created, updated in order (numeric names too), listed by sort key, deleted', async () => {
    const secrets = memorySecrets();
    const local = new LocalEnvironments(secrets);
    await local.load('wrk_a');
    assert.deepEqual(local.environments('wrk_a', 'env_base'), []);
    await local.createEnvironment('wrk_a', { id: 'env_2', name: 'Two', data: {}, color: null, sortKey: 20 });
    await local.createEnvironment('wrk_a', { id: 'env_1', name: 'One', data: { b: 1 }, color: '#7d69cb', sortKey: 10 });
    await local.updateEnvironment('wrk_a', 'env_2', { data: { zeta: 'z', '10': 'ten', alpha: 'a' }, order: ['zeta', '10', 'alpha'] });
    const [one, two] = local.environments('wrk_a', 'env_base');
    assert.deepEqual([one.id, two.id], ['env_1', 'env_2']);
    assert.deepEqual(two.propertyOrder, ['zeta', '10', 'alpha'], 'the order as edited, though JSON puts "10" first');
    assert.equal(two.isPrivate, true);
    assert.equal(two.parentId, 'env_base');
    // what is stored is JSON under one key per collection; a fresh instance reads it back
    const again = new LocalEnvironments(secrets);
    await again.load('wrk_a');
    assert.deepEqual(again.environments('wrk_a', 'env_base').map((e) => [e.id, e.name, e.propertyOrder ?? null]), [['env_1', 'One', null], ['env_2', 'Two', ['zeta', '10', 'alpha']]]);
    await local.deleteEnvironment('wrk_a', 'env_1');
    await local.deleteEnvironment('wrk_a', 'env_2');
    assert.equal(secrets.data.has('hammock.privateEnvironments/wrk_a'), false, 'nothing left behind');
    await assert.rejects(local.updateEnvironment('wrk_a', 'env_x', { name: 'x' }), /No private environment/);
  });

  it('the vault: values by name, free names, read once; a change from another window is read again', async () => {
    const secrets = memorySecrets();
    const local = new LocalEnvironments(secrets);
    await local.setVaultValue('wrk_b', 'token', 't1');
    assert.deepEqual(local.vault('wrk_b'), { token: 't1' });
    assert.equal(await local.freeVaultName('wrk_b', 'token', 't1'), 'token', 'the same value keeps its name');
    assert.equal(await local.freeVaultName('wrk_b', 'token', 't2'), 'token_2');
    await local.load('wrk_b');
    const gets = secrets.gets;
    await local.load('wrk_b');
    assert.equal(secrets.gets, gets, 'read once');
    let changed = 0;
    const reread = new Promise<void>((resolve) =>
      local.onDidChange(() => {
        changed++;
        resolve();
      }),
    );
    secrets.data.set('hammock.vault/wrk_b', JSON.stringify({ token: 't9' }));
    secrets.change('hammock.vault/wrk_b');
    await reread;
    assert.deepEqual(local.vault('wrk_b'), { token: 't9' });
    assert.equal(changed, 1);
    await local.setVaultValue('wrk_b', 'token', undefined);
    assert.equal(secrets.data.has('hammock.vault/wrk_b'), false);
  });

  it('what is not ours or not valid in the store is ignored', async () => {
    const secrets = memorySecrets();
    secrets.data.set('hammock.privateEnvironments/wrk_c', '{not json');
    secrets.data.set('hammock.vault/wrk_c', JSON.stringify({ ok: 'v', bad: 1 }));
    const local = new LocalEnvironments(secrets);
    await local.load('wrk_c');
    assert.deepEqual(local.environments('wrk_c', 'b'), []);
    assert.deepEqual(local.vault('wrk_c'), { ok: 'v' });
  });

  it('its own writes, echoed late by the store, never undo a newer write', async () => {
    // a store that echoes every write as a change, and answers a read with what it held when asked, a moment later;
    // the first read answers last, so a stale answer arrives after a fresh one
    const data = new Map<string, string>();
    const listeners: ((e: { key: string }) => unknown)[] = [];
    const reads: Promise<unknown>[] = [];
    const local = new LocalEnvironments({
      get: (k) => {
        const v = data.get(k);
        const read = new Promise<string | undefined>((r) => setTimeout(() => r(v), Math.max(1, 20 - 10 * reads.length)));
        reads.push(read);
        return read;
      },
      store: async (k, v) => {
        data.set(k, v);
        listeners.forEach((l) => l({ key: k }));
      },
      delete: async (k) => void data.delete(k),
      onDidChange: (l) => {
        listeners.push(l);
        return { dispose: () => undefined };
      },
    });
    await local.setVaultValue('wrk_d', 'first', '1');
    await local.setVaultValue('wrk_d', 'second', '2');
    // every late read the echoes started has answered, and what the store does with its answer has run
    for (let settled = 0; settled < reads.length; ) {
      settled = reads.length;
      await Promise.all(reads);
      await new Promise((r) => setImmediate(r));
    }
    assert.ok(reads.length > 0, 'the echoes were read again');
    assert.deepEqual(local.vault('wrk_d'), { first: '1', second: '2' });
  });
});
