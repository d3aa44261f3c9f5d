// run_overhead_ratio: `hammock run` on a collection of 200 requests, each with a trivial pre-request script and one
// test (after-response), over sending the same 200 requests with raw undici (keep-alive), side by side in the same
// run against the same loopback server. `hammock run` is timed whole, in process through the CLI's main(): loading
// the collection from disk, starting the script sandbox (a worker thread), both scripts of every request, rendering,
// sending, the JSON report. Target: at most 1.5.
// run_200_ms / run_200_raw_ms: the two medians. Where the rest goes, from the same rounds (not targets):
// run_200_noscripts_ms: `hammock run` on the same 200 requests without their scripts (loading, rendering, sending,
// the report: everything but the sandbox); run_sandbox_start_ms: a new sandbox's worker started and its first
// (empty) job run, what the first pre-request script waits for.
// run_200_cpu_ms / run_200_raw_cpu_ms / run_200_noscripts_cpu_ms: the process's CPU time (every thread: the sandbox
// worker's and V8's helpers too, and the in-process loopback server's in all three) over the same rounds, medians: on
// a busy machine the wall times say more about the neighbours than about the run. Logged beside them (not a metric):
// the main thread's share of that CPU, and the share of the threads that ended with the run (the sandbox worker's),
// on Linux (the rest is V8's compiler and GC threads).
// run_worker_boot_ms: a bare Node worker thread (no sandbox code) started until its first message: the part of
// run_sandbox_start_ms no sandbox change can remove (what the first pre-request script waits for at least, less
// what loading the collection overlaps).
import { promises as fsp, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Agent, request } from 'undici';
import type { BenchContext, BenchMetrics, BenchTargets } from './run';
import { measureRounds, median } from './measure';
import { main } from '../src/cli';
import { closeConnections, ScriptSandbox } from '../src/http';
import { startTestServer } from '../test/support/httpServer';
import { sandboxDir } from '../test/support/sandbox';

export const targets: BenchTargets = { run_overhead_ratio: 1.5 };

const REQUESTS = 200;

/** A v5 collection of `n` GET requests to `{{ _.base_url }}/echo?i=<n>`, each with a trivial script and one test. */
export function runCollection(n: number, baseUrl: string, scripts = true): string {
  const lines = ['type: collection.insomnia.rest/5.0', 'schema_version: "5.1"', 'name: Bench run', 'meta:', '  id: wrk_bench_run', 'collection:'];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  - url: "{{ _.base_url }}/echo?i=${i}"`,
      `    name: Request ${i}`,
      '    meta:',
      `      id: req_bench_${String(i).padStart(4, '0')}`,
      `      sortKey: ${i}`,
      '    method: GET',
    );
    if (scripts) {
      lines.push(
        '    scripts:',
        `      preRequest: "insomnia.variables.set('i', ${i});"`,
        `      afterResponse: "insomnia.test('status is 200', () => insomnia.expect(insomnia.response.code).to.equal(200));"`,
      );
    }
  }
  lines.push('environments:', '  name: Base Environment', '  meta:', '    id: env_bench_run', '  data:', `    base_url: ${baseUrl}`, '');
  return lines.join('\n');
}

/** The CPU time a thread of the process has used, ms (Linux's /proc, in clock ticks: 10 ms); throws elsewhere. */
function taskCpuMs(tid: string | number): number {
  // fields after the command's closing parenthesis: utime and stime are the 12th and 13th
  const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** The CPU time the process's main thread has used, ms; undefined where Linux's /proc is not. */
function mainThreadCpuMs(): number | undefined {
  try {
    return taskCpuMs(process.pid);
  } catch {
    return undefined;
  }
}

/**
 * The CPU time of each thread of the process alive now, ms, by thread id (Linux's /proc); undefined elsewhere. A
 * thread that ends between two readings (the sandbox worker, ended with its run) is in neither: the process's CPU
 * over the same span, less what the threads alive at its end used, is what the ended ones used.
 */
function threadCpuMs(): Map<string, number> | undefined {
  try {
    const out = new Map<string, number>();
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        out.set(tid, taskCpuMs(tid));
      } catch {
        // it ended while the folder was read
      }
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Linux's USER_HZ (what /proc counts in), 100 on every platform Node runs Linux on. */
const CLOCK_TICKS_PER_SECOND = 100;

export async function run(ctx: BenchContext): Promise<BenchMetrics> {
  await sandboxDir();
  const server = await startTestServer();
  const raw = new Agent({ keepAliveTimeout: 4000 });
  try {
    const dir = await ctx.tempDir('run');
    await fsp.writeFile(path.join(dir, 'bench-run.yaml'), runCollection(REQUESTS, server.httpUrl));
    const plainDir = await ctx.tempDir('run-noscripts');
    await fsp.writeFile(path.join(plainDir, 'bench-run.yaml'), runCollection(REQUESTS, server.httpUrl, false));
    const hammockIn = (folder: string, tests: number) => async (): Promise<void> => {
      let out = '';
      const code = await main(['run', folder, '--reporter', 'json'], { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: folder, env: {} });
      if (code !== 0) throw new Error(`hammock run exited ${code}: ${out.slice(0, 2000)}`);
      const report = JSON.parse(out) as { totals: { requests: number; passed: number } };
      if (report.totals.requests !== REQUESTS || report.totals.passed !== tests) throw new Error(`ran ${report.totals.requests} requests, ${report.totals.passed} tests passed`);
    };
    const baseline = async (): Promise<void> => {
      for (let i = 0; i < REQUESTS; i++) {
        const res = await request(`${server.httpUrl}/echo?i=${i}`, { dispatcher: raw });
        await res.body.arrayBuffer();
        if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      }
    };
    const sandboxStart = async (): Promise<void> => {
      const sandbox = new ScriptSandbox();
      try {
        const outcome = await sandbox.run({ kind: 'unitTests', suites: [], bail: false, testTimeoutMs: 1000 }, { call: () => Promise.reject(new Error('no host calls')) });
        if (outcome.error) throw new Error(outcome.error.message);
      } finally {
        await sandbox.dispose();
      }
    };
    // the floor under a sandbox's start: a Node worker with nothing in it (as the sandbox starts one: no inherited
    // arguments, an empty environment)
    const workerBoot = async (): Promise<void> => {
      const worker = new Worker("require('node:worker_threads').parentPort.postMessage(0)", { eval: true, env: {}, argv: [], execArgv: [] });
      try {
        await new Promise((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        });
      } finally {
        await worker.terminate();
      }
    };
    /**
     * `fn` with the process CPU time of each call kept in `into` (the warm-up rounds' dropped below), and the main
     * thread's alone in `main` where Linux says it (the rest: the sandbox worker, V8's compiler and GC threads).
     */
    const cpuOf = (fn: () => Promise<void>, into: number[], main: number[], ended: number[]) => async (): Promise<void> => {
      const before = process.cpuUsage();
      const mainBefore = mainThreadCpuMs();
      const threadsBefore = threadCpuMs();
      await fn();
      const used = process.cpuUsage(before);
      const threadsAfter = threadCpuMs();
      const total = (used.user + used.system) / 1000;
      into.push(total);
      const mainAfter = mainThreadCpuMs();
      if (mainBefore !== undefined && mainAfter !== undefined) main.push(mainAfter - mainBefore);
      if (threadsBefore && threadsAfter) {
        let alive = 0;
        for (const [tid, ms] of threadsAfter) alive += ms - (threadsBefore.get(tid) ?? 0);
        ended.push(Math.max(0, total - alive));
      }
    };
    const [rawCpu, hammockCpu, plainCpu, rawMain, hammockMain, plainMain, rawEnded, hammockEnded, plainEnded]: number[][] = [[], [], [], [], [], [], [], [], []];
    // the baseline runs first in the first round, as measurePaired has it; the order rotates from round to round
    const [rawSamples, hammockSamples, plainSamples, startSamples, bootSamples] = await measureRounds(
      [cpuOf(baseline, rawCpu, rawMain, rawEnded), cpuOf(hammockIn(dir, REQUESTS), hammockCpu, hammockMain, hammockEnded), cpuOf(hammockIn(plainDir, 0), plainCpu, plainMain, plainEnded), sandboxStart, workerBoot],
      { warmup: ctx.warmup + 1, iterations: ctx.iterations },
    );
    const timedCpu = (all: number[]) => median(all.slice(-ctx.iterations));
    const hammockMs = median(hammockSamples);
    const rawMs = median(rawSamples);
    ctx.log(`${REQUESTS} requests with a script and a test each: hammock run ${hammockMs.toFixed(1)} ms, raw undici ${rawMs.toFixed(1)} ms; without scripts ${median(plainSamples).toFixed(1)} ms; a sandbox's start ${median(startSamples).toFixed(1)} ms (a bare worker's ${median(bootSamples).toFixed(1)} ms)`);
    ctx.log(`process CPU: hammock run ${timedCpu(hammockCpu).toFixed(1)} ms, raw undici ${timedCpu(rawCpu).toFixed(1)} ms, without scripts ${timedCpu(plainCpu).toFixed(1)} ms`);
    if (hammockMain.length > ctx.iterations) {
      ctx.log(`of it on the main thread (Linux, in 10 ms ticks: rough): hammock run ${timedCpu(hammockMain).toFixed(0)} ms, raw undici ${timedCpu(rawMain).toFixed(0)} ms, without scripts ${timedCpu(plainMain).toFixed(0)} ms; the rest ran on the sandbox worker and V8's compiler and GC threads`);
    }
    if (hammockEnded.length > ctx.iterations) {
      ctx.log(`of it on threads that ended with the run (the sandbox worker's, its start included; Linux, rough): hammock run ${timedCpu(hammockEnded).toFixed(0)} ms, without scripts ${timedCpu(plainEnded).toFixed(0)} ms`);
    }
    ctx.log(`samples: hammock ${hammockSamples.map((s) => s.toFixed(0)).join(', ')}; raw ${rawSamples.map((s) => s.toFixed(0)).join(', ')}`);
    return {
      run_overhead_ratio: hammockMs / rawMs,
      run_200_ms: hammockMs,
      run_200_raw_ms: rawMs,
      run_200_noscripts_ms: median(plainSamples),
      run_sandbox_start_ms: median(startSamples),
      run_worker_boot_ms: median(bootSamples),
      run_200_cpu_ms: timedCpu(hammockCpu),
      run_200_raw_cpu_ms: timedCpu(rawCpu),
      run_200_noscripts_cpu_ms: timedCpu(plainCpu),
    };
  } finally {
    await raw.close();
    await closeConnections();
    await server.close();
  }
}
