// The longest the event loop was held while a function ran, as the large-edit tests measure it (unit and in-host):
// the longest stretch between two ticks of a 1 ms interval timer, in this thread's CPU time (threadCpu.ts) and in
// wall time. The CPU figure is what the code keeps the loop for, whatever else the machine runs (at a load of 9 on 2
// cores a 15 ms stretch can take 50 ms of wall time); where the thread's CPU time cannot be read, the wall figure.
import { threadCpuMs } from '../../src/collections/threadCpu';

export async function longestStretch(fn: () => Promise<unknown>): Promise<{ cpuMs: number; wallMs: number }> {
  let cpu = threadCpuMs();
  let wall = performance.now();
  let longestCpu = 0;
  let longestWall = 0;
  const timer = setInterval(() => {
    const c = threadCpuMs();
    const w = performance.now();
    if (c !== undefined && cpu !== undefined) longestCpu = Math.max(longestCpu, c - cpu);
    longestWall = Math.max(longestWall, w - wall - 1);
    cpu = c;
    wall = w;
  }, 1);
  try {
    // the timer running before the clock starts: its first tick is not counted as a stretch of `fn`'s
    await new Promise((r) => setTimeout(r, 5));
    cpu = threadCpuMs();
    wall = performance.now();
    longestCpu = 0;
    longestWall = 0;
    await fn();
    // a stretch that ends with `fn`'s last step is counted at the timer's next tick
    await new Promise((r) => setTimeout(r, 2));
  } finally {
    clearInterval(timer);
  }
  return { cpuMs: cpu === undefined ? longestWall : longestCpu, wallMs: longestWall };
}
