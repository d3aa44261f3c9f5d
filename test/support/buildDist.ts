// `npm run build` for the unit tests that run the built bundles (dist/cli.js: cli.test.ts, cliDiff.test.ts), once per
// test run. Mocha runs the test files in two worker processes: a second build while the other file ran dist/cli.js
// rewrote the file under that run (esbuild truncates, then writes: node ran an empty file, exit 0, nothing printed;
// seen in CI). The build is done under a lock (a folder made atomically, holding its owner's pid, so a lock whose
// owner died is taken over), and a marker in dist/ says which run (the mocha process, the workers' parent) built it.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const LOCK = path.join(ROOT, 'node_modules', '.cache', 'hammock-test-build.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock, waiting for another process's build (up to `timeoutMs`); returns its release. */
function lock(timeoutMs: number): () => void {
  const deadline = Date.now() + timeoutMs;
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      return () => fs.rmSync(LOCK, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number(fs.readFileSync(path.join(LOCK, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
    if (owner && !alive(owner)) fs.rmSync(LOCK, { recursive: true, force: true });
    else if (Date.now() > deadline) throw new Error(`the test build lock ${LOCK} is held by process ${owner || '?'}`);
    // another process is building (a minute at most): wait a moment and look again
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}

/** This test run: the parent process (mocha, whose workers run the files) and, on Linux, when it started. */
function testRun(): string {
  try {
    // /proc/<pid>/stat: after the command's `)`, field 22 (starttime) is the 20th
    return `${process.ppid}-${fs.readFileSync(`/proc/${process.ppid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]}`;
  } catch {
    return String(process.ppid);
  }
}

/** Builds dist/ unless this test run (the mocha process) already did. */
export function buildDistOnce(): void {
  const marker = path.join(ROOT, 'dist', `.built-for-test-run-${testRun()}`);
  const release = lock(300_000);
  try {
    if (fs.existsSync(marker)) return;
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
    fs.writeFileSync(marker, '');
  } finally {
    release();
  }
}
