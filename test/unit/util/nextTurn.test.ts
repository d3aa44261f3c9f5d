// nextTurn (src/util/nextTurn.ts): what the slicers of long work await between slices. Awaited in an I/O callback
// (where most slices start: after a read or a stat), one setImmediate runs before that turn's timers, so the slices
// on either side of it made one stretch of the event loop; nextTurn lets due timers (and I/O) run first.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import { nextTurn } from '../../../src/util/nextTurn';
import { Slicer } from '../../../src/collections/slicer';

/** Spins until at least `ms` have passed (a slice of synchronous work). */
function busy(ms: number): void {
  const start = performance.now();
  while (performance.now() - start < ms);
}

describe('nextTurn', () => {
  it('awaited in an I/O callback, lets a due timer run before it resolves', async () => {
    for (let round = 0; round < 5; round++) {
      await fsp.stat(os.tmpdir()); // from here on, the I/O (poll) phase of a turn
      let fired = false;
      setTimeout(() => (fired = true), 0);
      busy(3); // the timer is due
      await nextTurn();
      assert.ok(fired, `round ${round}: the due timer ran before the next slice`);
    }
  });

  it("is what a Slicer's yield awaits: a due timer runs between two slices", async () => {
    const slicer = new Slicer(undefined, 2);
    await fsp.stat(os.tmpdir());
    let fired = false;
    setTimeout(() => (fired = true), 0);
    busy(3);
    assert.ok(slicer.overdue());
    await slicer.yield();
    assert.ok(fired);
  });
});
