// CPU time of the calling thread, for start-up diagnostics (the tree_ready bench): `process.cpuUsage()` counts every
// thread of the process, and Node 20 has no per-thread figure. Linux only: /proc/thread-self/schedstat (time on a
// CPU, in ns), else /proc/thread-self/stat (user + system, in clock ticks of 10 ms); undefined elsewhere.

import { readFileSync } from 'node:fs';

/** CPU time of this thread so far, ms, or undefined where it cannot be read. */
export function threadCpuMs(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const ns = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
    if (Number.isFinite(ns) && ns > 0) return ns / 1e6;
  } catch {
    // no schedstat (a kernel without CONFIG_SCHED_INFO): the stat file's ticks
  }
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // the fields after the command name (which may hold spaces), from field 3 on: utime is field 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Time this thread has spent so far runnable but waiting for a CPU (the run queue), ms: how much of a thread's wall
 * time a busy machine took from it. Linux only (/proc/thread-self/schedstat's second field); undefined elsewhere.
 */
export function threadWaitMs(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const ns = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]);
    return Number.isFinite(ns) ? ns / 1e6 : undefined;
  } catch {
    return undefined;
  }
}
