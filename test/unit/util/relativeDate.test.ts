import { strict as assert } from 'node:assert';
import { relativeDate } from '../../../src/util/relativeDate';

describe('relativeDate', () => {
  const now = Date.UTC(2026, 10, 24, 12, 0, 0);
  const ago = (s: number) => relativeDate(now / 1000 - s, now);

  it('says "just now" under a minute and for a time in the future', () => {
    assert.equal(ago(0), 'just now');
    assert.equal(ago(59), 'just now');
    assert.equal(ago(-3600), 'just now');
  });

  it('names the largest whole unit, singular for one', () => {
    assert.equal(ago(60), '1 minute ago');
    assert.equal(ago(60 * 59 + 59), '59 minutes ago');
    assert.equal(ago(3600), '1 hour ago');
    assert.equal(ago(3600 * 25), '1 day ago');
    assert.equal(ago(86400 * 13), '1 week ago');
    assert.equal(ago(86400 * 14), '2 weeks ago');
    assert.equal(ago(86400 * 30), '1 month ago');
    assert.equal(ago(86400 * 364), '12 months ago');
    assert.equal(ago(86400 * 365 * 3), '3 years ago');
  });
});
