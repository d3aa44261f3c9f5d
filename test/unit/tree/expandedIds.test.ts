// The Collections view's expanded nodes, kept over a window reload (src/tree/expandedIds.ts).
import { strict as assert } from 'node:assert';
import { ExpandedIds } from '../../../src/tree/expandedIds';

describe('ExpandedIds: the nodes left expanded, kept over a reload', () => {
  it('keeps what was expanded and forgets what was collapsed, through what it stores', () => {
    const ids = new ExpandedIds(undefined);
    assert.equal(ids.expand('/r/.insomnia#wrk_1/wrk_1'), true);
    assert.equal(ids.expand('/r/.insomnia#wrk_1/fld_a'), true);
    assert.equal(ids.expand('/r/.insomnia#wrk_1/fld_b'), true);
    assert.equal(ids.collapse('/r/.insomnia#wrk_1/fld_a'), true);
    assert.equal(ids.collapse('/r/.insomnia#wrk_1/fld_a'), false, 'collapsed twice: nothing changes');
    const again = new ExpandedIds(JSON.parse(JSON.stringify(ids)));
    assert.equal(again.has('/r/.insomnia#wrk_1/wrk_1'), true);
    assert.equal(again.has('/r/.insomnia#wrk_1/fld_b'), true);
    assert.equal(again.has('/r/.insomnia#wrk_1/fld_a'), false);
  });

  it('keeps at most `max` ids, dropping those expanded longest ago; expanding one again makes it the newest', () => {
    const ids = new ExpandedIds(['a', 'b', 'c'], 3);
    assert.equal(ids.expand('a'), true, 'a moves to the end');
    assert.equal(ids.expand('a'), false, 'already the newest');
    ids.expand('d');
    assert.deepEqual(ids.toJSON(), ['c', 'a', 'd']);
    assert.equal(new ExpandedIds(['a', 'b']).expand('b'), false, 'the newest of what was stored: nothing to store');
    // the newest collapsed, then expanded again: it is the newest again, and that is stored
    assert.equal(ids.collapse('d'), true);
    assert.equal(ids.expand('d'), true);
    assert.equal(ids.expand('c'), true);
    assert.deepEqual(ids.toJSON(), ['a', 'd', 'c']);
  });

  it('what it cannot read counts as nothing expanded', () => {
    for (const stored of [null, 'fld_a', { fld_a: true }, [1, null, 'fld_a']]) {
      const ids = new ExpandedIds(stored);
      assert.deepEqual(ids.toJSON(), Array.isArray(stored) ? ['fld_a'] : []);
    }
    assert.deepEqual(new ExpandedIds(['a', 'b', 'c', 'd'], 2).toJSON(), ['c', 'd'], 'a longer list: its newest');
  });
});
