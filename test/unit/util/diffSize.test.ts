// The size decision before a diff opens: a side over the limit is named with its size; at the limit it still opens.
import * as assert from 'node:assert/strict';
import { DIFF_SIZE_LIMIT, formatSize, oversizedSide, tooLargeMessage } from '../../../src/util/diffSize';

describe('diffSize', () => {
  it('opens a diff whose sides are at most the limit, empty sides included', () => {
    assert.equal(oversizedSide([]), undefined);
    assert.equal(oversizedSide([{ label: 'none', bytes: 0 }, { label: 'abc1234', bytes: DIFF_SIZE_LIMIT }]), undefined);
  });

  it('names the largest side over the limit, whichever side it is', () => {
    const left = { label: 'abc1234', bytes: DIFF_SIZE_LIMIT + 1 };
    const right = { label: 'def5678', bytes: 24 * 1024 * 1024 };
    assert.deepEqual(oversizedSide([left, { label: 'x', bytes: 10 }]), left);
    assert.deepEqual(oversizedSide([{ label: 'x', bytes: 10 }, right]), right);
    assert.deepEqual(oversizedSide([left, right]), right);
    assert.deepEqual(oversizedSide([left, right], 100 * 1024 * 1024), undefined);
  });

  it('says the size as VS Code does', () => {
    assert.equal(formatSize(0), '0 bytes');
    assert.equal(formatSize(1023), '1023 bytes');
    assert.equal(formatSize(1536), '1.5 KB');
    assert.equal(formatSize(24 * 1024 * 1024), '24.0 MB');
    assert.equal(formatSize(3 * 1024 ** 4), '3072.0 GB');
  });

  it('the message names the item, the side and its size', () => {
    const m = tooLargeMessage('Get user', { label: 'def5678', bytes: 24 * 1024 * 1024 });
    assert.match(m, /"Get user"/);
    assert.match(m, /def5678 is 24\.0 MB/);
    assert.match(m, /limit is 10\.0 MB/);
  });
});
