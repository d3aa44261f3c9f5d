// The merge benchmark's corpus and its result checker: same seed, same pairs; every scenario present; the checker
// accepts a right merge and rejects wrong ones (ours alone, theirs alone), so a wrong field merge cannot pass.

import * as assert from 'node:assert/strict';
import { generatePairs, mergeIsRight } from '../../../bench/merge.bench';
import { mergeCollectionText } from '../../../src/collections/merge3';

describe('bench/merge.bench corpus', function () {
  this.timeout(60_000);
  const pairs = generatePairs(3, 2);

  it('is seeded and covers every scenario, with true conflicts marked', () => {
    assert.deepEqual(generatePairs(3, 2).map((p) => p.ours), pairs.map((p) => p.ours));
    const scenarios = new Set(pairs.map((p) => p.scenario));
    assert.equal(scenarios.size, 17);
    assert.deepEqual(
      [...new Set(pairs.filter((p) => p.trueConflict).map((p) => p.scenario))].sort(),
      ['legacy/headers_both_sides', 'legacy/same_field_different_values', 'v5/delete_against_edit', 'v5/same_field_different_values'],
    );
    for (const p of pairs) assert.notEqual(p.ours, p.base, p.scenario);
  });

  it('the checker accepts the field merge and rejects one side alone', () => {
    let checked = 0;
    for (const p of pairs) {
      if (p.trueConflict) continue;
      const r = mergeCollectionText(p.path, p.base, p.ours, p.theirs);
      if (p.scenario === 'v5/different_entries_of_one_header_list') {
        assert.deepEqual(r.clean ? [] : r.conflicts.map((c) => c.field), ['headers'], 'kept as a conflict: a header list is one field');
        continue;
      }
      assert.ok(r.clean, p.scenario);
      assert.ok(mergeIsRight(p.base, p.ours, p.theirs, r.text), p.scenario);
      if (p.scenario.endsWith('same_field_same_value')) continue; // there one side alone is nearly the merge
      assert.ok(!mergeIsRight(p.base, p.ours, p.theirs, p.ours), `${p.scenario}: ours alone`);
      assert.ok(!mergeIsRight(p.base, p.ours, p.theirs, p.theirs), `${p.scenario}: theirs alone`);
      checked++;
    }
    assert.equal(checked, 20); // 10 scenarios without a true conflict that merge, 2 pairs each
  });
});
