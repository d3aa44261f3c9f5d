// A turn of the event loop, for code that cuts long synchronous work into slices (the extension host must never be
// held more than 50 ms).

/**
 * Resolves once the event loop has run a whole turn: its due timers, its I/O callbacks, the rest. One `setImmediate`
 * is not that when awaited in an I/O callback or a timer: its callback runs in the check phase of that same turn,
 * before any timer or I/O, so the slices on either side of it make one stretch (a checkout's look for overwrites and
 * its index write held the loop 40-60 ms that way, in slices of 8 ms). The second one, queued in the check phase,
 * runs in the next turn, after its timers and I/O.
 */
export async function nextTurn(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Runs work made of steps (a generator that yields where a slice ends) to its end, a whole turn between steps. */
export async function runTurning<T>(steps: Generator<void, T>): Promise<T> {
  let r = steps.next();
  while (!r.done) {
    await nextTurn();
    r = steps.next();
  }
  return r.value;
}
