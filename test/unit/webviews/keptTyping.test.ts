// The typing kept over a window reload (keptTyping.ts): one SecretStorage entry per workspace, records by editor
// identity, written as soon as they change (one write in flight), removed when saved or discarded, old and surplus
// records dropped when read (the EditSession side: editSession.test.ts).
import { strict as assert } from 'node:assert';
import { KEPT_TYPING_KEY, KeptTyping, MAX_AGE_MS, MAX_RECORDS, RETRY_MS } from '../../../src/webviews/keptTyping';

/** A SecretStorage in memory; `gate`: each write waits until it is let through (to see writes in flight). */
class FakeSecrets {
  readonly map = new Map<string, string>();
  writes = 0;
  gate: Promise<void> | undefined;
  async get(key: string) {
    return this.map.get(key);
  }
  async store(key: string, value: string) {
    this.writes++;
    if (this.gate) await this.gate;
    this.map.set(key, value);
  }
  async delete(key: string) {
    this.writes++;
    if (this.gate) await this.gate;
    this.map.delete(key);
  }
}

const KEY = `${KEPT_TYPING_KEY}ws`;

describe('typing kept over a window reload', () => {
  it('keyed by the editor: each editor has its own record, in this workspace\'s entry only; what a new host reads back is what was kept', async () => {
    const secrets = new FakeSecrets();
    const kept = new KeptTyping(secrets, 'ws');
    await kept.load();
    kept.set('environments:/w/a.yaml#wrk_a', 'drafts', { env_1: { id: 'env_1', json: '{"a": ', base: [] } });
    kept.set('environments:/w/b.yaml#wrk_b', 'held', { fields: { id: 'env_2', fields: { name: 'x' } }, message: 'm', reason: 'conflict', conflicts: [] });
    await kept.settled();
    assert.deepEqual([...secrets.map.keys()], [KEY]);
    const again = new KeptTyping(secrets, 'ws');
    await again.load();
    assert.deepEqual([...again.ids].sort(), ['environments:/w/a.yaml#wrk_a', 'environments:/w/b.yaml#wrk_b']);
    assert.deepEqual(again.get('environments:/w/a.yaml#wrk_a')?.drafts, { env_1: { id: 'env_1', json: '{"a": ', base: [] } });
    assert.equal(again.get('environments:/w/a.yaml#wrk_a')?.held, undefined);
    assert.equal((again.get('environments:/w/b.yaml#wrk_b')?.held as { message: string }).message, 'm');
    const other = new KeptTyping(secrets, 'another window');
    await other.load();
    assert.deepEqual(other.ids, [], "another workspace's entry is its own");
  });

  it('removed when saved or discarded: a part at a time, the record with its last part, the entry with its last record', async () => {
    const secrets = new FakeSecrets();
    const kept = new KeptTyping(secrets, 'ws');
    await kept.load();
    kept.set('e', 'held', { message: 'm' });
    kept.set('e', 'drafts', { env_1: { id: 'env_1' } });
    kept.set('e', 'held', undefined);
    await kept.settled();
    assert.deepEqual(JSON.parse(secrets.map.get(KEY)!).e.drafts, { env_1: { id: 'env_1' } });
    assert.equal(JSON.parse(secrets.map.get(KEY)!).e.held, undefined);
    // no drafts left: an empty object is nothing kept
    kept.set('e', 'drafts', {});
    await kept.settled();
    assert.equal(kept.get('e'), undefined);
    assert.equal(secrets.map.has(KEY), false, 'nothing kept: no entry');
    // removing what is not kept writes nothing
    const before = secrets.writes;
    kept.set('e', 'held', undefined);
    kept.delete('f');
    await kept.settled();
    assert.equal(secrets.writes, before);
  });

  it('written at once, and what changes during a write is written together when it ends: one write in flight', async () => {
    const secrets = new FakeSecrets();
    const kept = new KeptTyping(secrets, 'ws');
    await kept.load();
    let open!: () => void;
    secrets.gate = new Promise((r) => (open = r));
    kept.set('e', 'drafts', { a: { json: '{' } });
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(secrets.writes, 1, 'the first change is written without a wait');
    for (const json of ['{"', '{"x', '{"x"', '{"x":']) kept.set('e', 'drafts', { a: { json } });
    assert.equal(secrets.writes, 1, 'no second write while one is in flight');
    secrets.gate = undefined;
    open();
    await kept.settled();
    assert.equal(secrets.writes, 2, 'the changes made meanwhile: one write');
    assert.deepEqual(JSON.parse(secrets.map.get(KEY)!).e.drafts, { a: { json: '{"x":' } });
  });

  it('a change made before the entry was read is written over what was read, not instead of it', async () => {
    const secrets = new FakeSecrets();
    secrets.map.set(KEY, JSON.stringify({ old: { drafts: { a: {} }, at: Date.now() } }));
    const kept = new KeptTyping(secrets, 'ws');
    kept.set('new', 'held', { message: 'm' });
    await kept.settled();
    assert.deepEqual(Object.keys(JSON.parse(secrets.map.get(KEY)!)).sort(), ['new', 'old']);
  });

  it('stale records go when read: older than MAX_AGE_MS, beyond MAX_RECORDS (the oldest), unreadable ones', async () => {
    const now = 10 * MAX_AGE_MS;
    const secrets = new FakeSecrets();
    const records: Record<string, unknown> = { ancient: { held: { message: 'm' }, at: now - MAX_AGE_MS - 1 }, broken: { held: { message: 'm' } }, empty: { at: now } };
    for (let i = 0; i < MAX_RECORDS + 5; i++) records[`r${i}`] = { drafts: { a: {} }, at: now - i };
    secrets.map.set(KEY, JSON.stringify(records));
    const kept = new KeptTyping(secrets, 'ws', undefined, () => now);
    await kept.load();
    assert.equal(kept.ids.length, MAX_RECORDS);
    for (const gone of ['ancient', 'broken', 'empty', `r${MAX_RECORDS}`, `r${MAX_RECORDS + 4}`]) assert.equal(kept.get(gone), undefined, gone);
    assert.ok(kept.get('r0') && kept.get(`r${MAX_RECORDS - 1}`));
    await kept.settled();
    assert.equal(Object.keys(JSON.parse(secrets.map.get(KEY)!)).length, MAX_RECORDS, 'and written so');
    // an unreadable entry: nothing kept, nothing thrown
    secrets.map.set(KEY, '{not json');
    const again = new KeptTyping(secrets, 'ws');
    await again.load();
    assert.deepEqual(again.ids, []);
  });

  it('follows an editor whose collection file moved; forget() reads SecretStorage again as a new host would', async () => {
    const secrets = new FakeSecrets();
    const kept = new KeptTyping(secrets, 'ws');
    await kept.load();
    kept.set('from', 'held', { message: 'm' });
    kept.rename('from', 'to');
    await kept.settled();
    kept.forget();
    assert.equal(kept.get('to'), undefined);
    await kept.load();
    assert.deepEqual(kept.ids, ['to']);
  });

  it('a failed write is said (without the values) and the next change is written', async () => {
    const said: string[] = [];
    let fail = true;
    const secrets = new FakeSecrets();
    const store = secrets.store.bind(secrets);
    secrets.store = async (k, v) => {
      if (fail) throw new Error('cut off');
      return store(k, v);
    };
    const kept = new KeptTyping(secrets, 'ws', (m) => said.push(m));
    kept.set('e', 'drafts', { a: { json: 'SECRET-VALUE' } });
    await kept.settled();
    assert.equal(said.length, 1);
    assert.doesNotMatch(said[0], /SECRET-VALUE/);
    fail = false;
    kept.set('e', 'drafts', { a: { json: 'SECRET-VALUE2' } });
    await kept.settled();
    assert.match(secrets.map.get(KEY)!, /SECRET-VALUE2/);
  });

  it('a read that fails once is read again, and what it did not read is never written over: the kept typing stays', async () => {
    const secrets = new FakeSecrets();
    secrets.map.set(KEY, JSON.stringify({ before: { held: { message: 'typed before the reload' }, at: Date.now() } }));
    const said: string[] = [];
    let failures = 1;
    const get = secrets.get.bind(secrets);
    secrets.get = async (k) => {
      if (failures > 0) {
        failures--;
        throw new Error('SecretStorage is not ready');
      }
      return get(k);
    };
    const kept = new KeptTyping(secrets, 'ws', (m) => said.push(m), Date.now, () => undefined);
    await kept.load();
    assert.equal(said.length, 1, 'the failed read is said');
    assert.equal(kept.get('before'), undefined, 'not read yet');
    // the next change: the entry is read again first, and written with what it holds
    kept.set('after', 'drafts', { a: { json: '{' } });
    await kept.settled();
    assert.deepEqual(Object.keys(JSON.parse(secrets.map.get(KEY)!)).sort(), ['after', 'before']);
    assert.equal((kept.get('before')?.held as { message: string }).message, 'typed before the reload');
  });

  it('while the entry cannot be read, nothing is written over it; the change waits, and is written with it once it is read', async () => {
    const secrets = new FakeSecrets();
    const text = JSON.stringify({ before: { held: { message: 'typed before the reload' }, at: Date.now() } });
    secrets.map.set(KEY, text);
    let failing = true;
    const get = secrets.get.bind(secrets);
    secrets.get = async (k) => {
      if (failing) throw new Error('SecretStorage is not ready');
      return get(k);
    };
    const retries: { fn: () => void; ms: number }[] = [];
    const kept = new KeptTyping(secrets, 'ws', () => undefined, Date.now, (fn, ms) => retries.push({ fn, ms }));
    kept.set('after', 'held', { message: 'typed now' });
    await kept.settled();
    kept.set('after', 'held', { message: 'typed on' });
    await kept.settled();
    assert.equal(secrets.writes, 0, 'no blind write');
    assert.equal(secrets.map.get(KEY), text);
    assert.deepEqual(retries.map((r) => r.ms), [RETRY_MS], 'read again later (one retry waiting)');
    retries.pop()!.fn();
    await kept.load();
    await kept.settled();
    assert.deepEqual(retries.map((r) => r.ms), [2 * RETRY_MS], 'and later after each failure');
    assert.equal(secrets.writes, 0, 'no blind write');
    failing = false;
    // read again (the retry): the change made meanwhile is written with what was read
    retries.pop()!.fn();
    await kept.load();
    await kept.settled();
    assert.equal((JSON.parse(secrets.map.get(KEY)!).after.held as { message: string }).message, 'typed on');
    assert.deepEqual(Object.keys(JSON.parse(secrets.map.get(KEY)!)).sort(), ['after', 'before']);
  });
});
