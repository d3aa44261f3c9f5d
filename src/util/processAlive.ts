// Whether a process still runs, to tell a crashed writer's leftovers (a temporary file or folder named with its pid)
// from those of a writer at work. Pure: no 'vscode'.

/** Whether the process `pid` runs (EPERM: it runs under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
