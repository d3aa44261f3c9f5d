// withObjectCache: one isomorphic-git cache per repository, shared by consecutive reads, replaced after a failure.
import * as assert from 'node:assert/strict';
import { withObjectCache } from '../../../src/review/objectCache';

describe('withObjectCache', () => {
  it('shares one cache per repository and starts afresh after a failure', async () => {
    const seen: object[] = [];
    await withObjectCache('/repo/a', async (c) => seen.push(c));
    await withObjectCache('/repo/a', async (c) => seen.push(c));
    await withObjectCache('/repo/b', async (c) => seen.push(c));
    assert.equal(seen[0], seen[1]);
    assert.notEqual(seen[0], seen[2]);
    let calls = 0;
    const result = await withObjectCache('/repo/a', async (c) => {
      calls++;
      if (calls === 1) {
        assert.equal(c, seen[0]);
        throw new Error('pack gone');
      }
      assert.notEqual(c, seen[0]);
      return 'read again';
    });
    assert.equal(result, 'read again');
    assert.equal(calls, 2);
    await assert.rejects(withObjectCache('/repo/c', async () => Promise.reject(new Error('really broken'))), /really broken/);
  });
});
