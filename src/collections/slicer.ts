// Cooperative time slicing for long synchronous work on the extension host's thread (reading thousands of files,
// parsing a multi-megabyte v5 file piece by piece): after a slice of work the caller awaits `yield()`, which lets
// the event loop run, and honours an abort signal.

import { nextTurn } from '../util/nextTurn';

/**
 * Yields to the event loop once a slice of synchronous work has run long enough, and honours the abort signal.
 * Callers ask `due()` (a counter, and every `every` calls the clock) and only then await `yield()`: an `await` per
 * small file would cost more than reading it.
 */
export class Slicer {
  private sliceStart = performance.now();
  private calls = 0;

  constructor(
    readonly signal: AbortSignal | undefined,
    private readonly sliceMs = 10,
    /** how many `due()` calls between two looks at the clock (a power of two). */
    private readonly every = 16,
  ) {}

  due(): boolean {
    return (++this.calls & (this.every - 1)) === 0 && performance.now() - this.sliceStart >= this.sliceMs;
  }

  /** whether the slice has run `sliceMs`, looking at the clock every time (for calls that each do much work). */
  overdue(): boolean {
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  async yield(): Promise<void> {
    await nextTurn();
    this.signal?.throwIfAborted();
    this.sliceStart = performance.now();
  }
}

/** Runs a build made of steps (a generator that yields between them) to its end at once. */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Runs a build made of steps, yielding to the event loop whenever the slicer's slice is used up (checked at each step). */
export async function runStepsSliced<T>(steps: Generator<void, T>, slicer: Slicer): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (slicer.overdue()) await slicer.yield();
  }
}
