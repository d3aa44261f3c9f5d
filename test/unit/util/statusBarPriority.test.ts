import * as assert from 'node:assert/strict';
import { BUILT_IN_LEFT_PRIORITIES, ENVIRONMENT_DOT_PRIORITY, ENVIRONMENT_PRIORITY } from '../../../src/util/statusBarPriority';

describe('the environment status bar items', () => {
  it('the dot is left of the name (a higher priority)', () => {
    assert.ok(ENVIRONMENT_DOT_PRIORITY > ENVIRONMENT_PRIORITY);
  });

  it('no built-in left item can come between the dot and the name (Forwarded Ports at 40 did, in every remote window)', () => {
    for (const b of BUILT_IN_LEFT_PRIORITIES) {
      assert.ok(b.priority < ENVIRONMENT_PRIORITY || b.priority > ENVIRONMENT_DOT_PRIORITY, `${b.id} (${b.priority}) falls between the dot (${ENVIRONMENT_DOT_PRIORITY}) and the name (${ENVIRONMENT_PRIORITY})`);
    }
  });
});
