// CPU time of the calling thread, for start-up diagnostics (the tree_ready bench): `process.cpuUsage()` counts every
// thread of the process, and Node 20 has no per-thread figure. Linux only: /proc/thread-self/schedstat (time on a
// CPU, in ns), else /proc/thread-self/stat (user + system, in clock ticks of 10 ms); undefined elsewhere.

import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';

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

/**
 * Gives the calling worker thread the least scheduling priority (nice 19), for work that nothing waits for (the legacy
 * read worker's cache write after its files are posted): it then takes only CPU time that the window's start-up,
 * the extension host's thread and the other threads of the machine leave idle. Linux only, where setpriority(2) on
 * pid 0 acts on the calling thread alone; elsewhere it would act on the whole process (the extension host), and on
 * a process's main thread it would slow the extension host: there nothing is changed. Returns whether it was lowered.
 */
export function lowerThreadPriority(): boolean {
  if (process.platform !== 'linux' || isMainThread) return false;
  try {
    setPriority(0, 19);
    return true;
  } catch {
    return false;
  }
}
