// Runs Insomnia scripts off the caller's thread: a small pool of worker threads (scriptWorker.ts), each with a memory
// limit (`resourceLimits`), an empty environment and a vm context of its own. A watchdog ends a worker whose script
// runs past its time limit (a loop that never yields included); the next script gets a fresh worker. A worker is kept
// and reused between scripts (starting one costs tens of milliseconds), as Insomnia reuses its hidden window.
// Pure: no 'vscode' import. What a script asks of the host (`insomnia.sendRequest`, a unit test's `insomnia.send()`)
// comes to `ScriptHooks.call`.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChainedJob, FromWorker, HostCall, RequestScriptJob, RuntimeCodeCache, ScriptError, ScriptJob, ScriptOutcome, ScriptPart, ScriptResponseData, ToWorker } from './scriptProtocol';

/** Insomnia's default script time limit (hidden-window.ts: `timeout || 5000`). */
export const DEFAULT_SCRIPT_TIMEOUT_MS = 5000;
export const DEFAULT_SCRIPT_MEMORY_MB = 128;
/** How long a new worker may take to start (load its runtime) before the script waiting for it fails. */
const STARTUP_MS = 20_000;

export interface SandboxOptions {
  /** the folder holding scriptWorker.js and sandbox/ (default: the bundle's own folder, or $HAMMOCK_SANDBOX_DIR). */
  readonly dir?: string;
  /** a request script's time limit, ms (a unit test's is its job's `testTimeoutMs`). */
  readonly timeoutMs?: number;
  /** the heap limit of a worker, MB. */
  readonly memoryMb?: number;
  /** at most this many workers at once (a unit test that sends a request with scripts needs a second one). */
  readonly maxWorkers?: number;
}

export interface ScriptHooks {
  /**
   * answers a script's request to the host; a rejection reaches the script as an error. `signal` aborts when the
   * script's run is over before the answer (stopped at its limit, cancelled, crashed): stop sending.
   */
  call(call: HostCall, signal: AbortSignal): Promise<ScriptResponseData>;
}

/**
 * How many of one script run's host calls (`insomnia.sendRequest`) are answered at once; the rest wait their turn, in
 * order. A browser opens at most 6 connections to a host; a script that fires thousands of requests in a loop gets
 * them sent 6 at a time rather than thousands of sockets at once.
 */
export const MAX_HOST_CALLS_IN_FLIGHT = 6;

/** A run's host calls: at most MAX_HOST_CALLS_IN_FLIGHT at once; `close()` cancels those in flight and drops the rest. */
class HostCallGate {
  /** made at the first call (most runs make none: an AbortController and its abort cost more than the run's messages). */
  private controller: AbortController | undefined;
  private closed = false;
  private readonly queue: (() => void)[] = [];
  private inFlight = 0;

  constructor(private readonly hooks: ScriptHooks) {}

  call(call: HostCall): Promise<ScriptResponseData> {
    if (this.closed) return Promise.reject(new Error('The script has ended'));
    const signal = (this.controller ??= new AbortController()).signal;
    return new Promise<ScriptResponseData>((resolve, reject) => {
      const start = () => {
        if (this.closed) return reject(new Error('The script has ended'));
        this.inFlight++;
        let answer: Promise<ScriptResponseData>;
        try {
          answer = this.hooks.call(call, signal);
        } catch (err) {
          answer = Promise.reject(err);
        }
        answer.then(resolve, reject).finally(() => {
          this.inFlight--;
          this.queue.shift()?.();
        });
      };
      if (this.inFlight < MAX_HOST_CALLS_IN_FLIGHT) start();
      else this.queue.push(start);
    });
  }

  /** the run is over: calls in flight are told to stop, queued ones are never made. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.controller?.abort();
  }
}

/** Where the built sandbox is: beside the running bundle (dist/), or what $HAMMOCK_SANDBOX_DIR says. */
export function defaultSandboxDir(): string {
  const candidates = [process.env.HAMMOCK_SANDBOX_DIR, __dirname, path.resolve(__dirname, '..', '..', '..', 'dist')].filter((d): d is string => !!d);
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'scriptWorker.js')) && fs.existsSync(path.join(d, 'sandbox', 'runtime.js')));
  if (!found) throw new Error('The script sandbox is not built (no scriptWorker.js): run `npm run build`.');
  return found;
}

/** The next request's pre-request job, to run after a job in the same round trip (see runChained). */
export interface ChainedRun {
  readonly job: RequestScriptJob;
  readonly bail: boolean;
  /** later jobs' scripts (each job's parts), for the worker to compile while it waits (ToWorker `precompile`). */
  readonly precompile?: readonly (readonly ScriptPart[])[];
}

/**
 * The runtime's code cache a worker of this process made (RuntimeCodeCache), by the sandbox folder it is for: every
 * worker started after it gets it (a sandbox per `hammock run`, per Send, per test run in the extension host).
 */
const codeCaches = new Map<string, RuntimeCodeCache>();

interface Slot {
  readonly worker: Worker;
  /** its runtime was compiled from a code cache (the worker said so when ready). */
  fromCache: boolean;
  readonly ready: Promise<void>;
  /** it said it is ready. */
  started: boolean;
  busy: boolean;
  dead: boolean;
  /** the job running on it: its listeners are the worker's (attached once, when the worker starts, not per job). */
  job?: ActiveJob;
  /** the end of what the worker wrote to stderr (a crash's last words). */
  stderr: string;
}

/** What a running job listens to; the slot's own listeners hand each event to it. */
interface ActiveJob {
  readonly id: number;
  message(m: FromWorker): void;
  error(err: Error & { code?: string }): void;
  exit(code: number): void;
}

const STDERR_KEPT = 4000;

let nextJobId = 1;

export class ScriptSandbox {
  private readonly idle: Slot[] = [];
  private readonly all = new Set<Slot>();
  private readonly waiting: ((slot: Slot) => void)[] = [];
  private disposed = false;
  private dirCache: string | undefined;

  constructor(private readonly options: SandboxOptions = {}) {}

  get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_SCRIPT_TIMEOUT_MS;
  }

  private get dir(): string {
    this.dirCache ??= this.options.dir ?? defaultSandboxDir();
    return this.dirCache;
  }

  /** How many of this sandbox's live workers compiled the runtime from an earlier worker's code cache (RuntimeCodeCache). */
  get workersFromCodeCache(): number {
    let n = 0;
    for (const slot of this.all) if (slot.fromCache) n++;
    return n;
  }

  /** Starts a worker now (its start overlaps whatever the caller does next, such as reading the collections). */
  warm(): void {
    if (this.disposed || this.all.size > 0) return;
    this.idle.push(this.spawn());
  }

  /**
   * Runs a job and resolves to its outcome; never rejects for what a script does (its errors, time-outs and memory
   * overruns are in `outcome.error`). `signal` stops it (the worker is ended).
   */
  async run(job: ScriptJob, hooks: ScriptHooks, signal?: AbortSignal): Promise<ScriptOutcome> {
    return this.runChained(job, undefined, hooks, signal).first;
  }

  /**
   * Runs `job`, then `next` (the next request's pre-request job) on the same worker in one round trip, when
   * `chainsAfter` the first outcome says the host would send it next (ChainedJob); `second` resolves to its outcome,
   * or to undefined when it did not run. Each job has its own time limit; `first` resolves as soon as the first ends.
   */
  runChained(job: ScriptJob, next: ChainedRun | undefined, hooks: ScriptHooks, signal?: AbortSignal): { first: Promise<ScriptOutcome>; second: Promise<ScriptOutcome | undefined> } {
    let first!: (o: ScriptOutcome) => void;
    let failed!: (err: unknown) => void;
    let second!: (o: ScriptOutcome | undefined) => void;
    const out = {
      first: new Promise<ScriptOutcome>((resolve, reject) => ((first = resolve), (failed = reject))),
      second: new Promise<ScriptOutcome | undefined>((r) => (second = r)),
    };
    void (async () => {
      let slot: Slot;
      try {
        slot = await this.acquire();
      } catch (err) {
        second(undefined);
        failed(err);
        return;
      }
      // a running script keeps the process alive (an idle worker does not)
      slot.worker.ref();
      try {
        await this.runOn(slot, job, next, hooks, signal, first, second);
      } finally {
        this.release(slot);
      }
    })();
    return out;
  }

  /** Ends every worker. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.all].map((s) => this.kill(s)));
  }

  private spawn(): Slot {
    const worker = new Worker(path.join(this.dir, 'scriptWorker.js'), {
      workerData: { dir: this.dir, runtimeCache: codeCaches.get(this.dir) },
      env: {},
      argv: [],
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb ?? DEFAULT_SCRIPT_MEMORY_MB, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    worker.unref();
    const slot: Slot = {
      worker,
      started: false,
      fromCache: false,
      busy: false,
      dead: false,
      stderr: '',
      ready: new Promise<void>((resolve, reject) => {
        const onMessage = (m: FromWorker) => {
          if (m.type !== 'ready') return;
          worker.off('message', onMessage);
          worker.off('error', reject);
          slot.started = true;
          slot.fromCache = m.fromCache === true;
          resolve();
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
      }),
    };
    slot.ready.catch(() => undefined);
    // one set of listeners for the worker's life: a job is dispatched to by its id (adding and removing listeners on
    // the worker and its stderr stream for every job cost more than the job's own messages)
    const dir = this.dir;
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'codeCache') codeCaches.set(dir, { key: m.key, data: m.data });
      else if (m.type !== 'ready' && slot.job?.id === m.jobId) slot.job.message(m);
    });
    worker.on('error', (err: Error & { code?: string }) => slot.job?.error(err));
    worker.stderr.on('data', (chunk: Buffer) => {
      slot.stderr = (slot.stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    worker.once('exit', (code: number) => {
      slot.dead = true;
      this.all.delete(slot);
      const i = this.idle.indexOf(slot);
      if (i >= 0) this.idle.splice(i, 1);
      slot.job?.exit(code);
    });
    this.all.add(slot);
    return slot;
  }

  private acquire(): Promise<Slot> {
    if (this.disposed) return Promise.reject(new Error('The script sandbox was closed'));
    const idle = this.idle.pop();
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    if (this.all.size < (this.options.maxWorkers ?? 4)) {
      const slot = this.spawn();
      slot.busy = true;
      return Promise.resolve(slot);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    slot.busy = false;
    slot.worker.unref();
    if (slot.dead || this.disposed) {
      const next = this.waiting.shift();
      if (next && !this.disposed) {
        const fresh = this.spawn();
        fresh.busy = true;
        next(fresh);
      }
      return;
    }
    const next = this.waiting.shift();
    if (next) {
      slot.busy = true;
      next(slot);
    } else {
      this.idle.push(slot);
    }
  }

  private async kill(slot: Slot): Promise<void> {
    slot.dead = true;
    this.all.delete(slot);
    await slot.worker.terminate().catch(() => undefined);
  }

  /** Runs a job (and the one chained after it) on a slot; resolves when the slot is free again. */
  private runOn(
    slot: Slot,
    firstJob: ScriptJob,
    next: ChainedRun | undefined,
    hooks: ScriptHooks,
    signal: AbortSignal | undefined,
    resolveFirst: (o: ScriptOutcome) => void,
    resolveSecond: (o: ScriptOutcome | undefined) => void,
  ): Promise<void> {
    const { worker } = slot;
    const firstId = nextJobId++;
    const chain: ChainedJob | undefined = next && { jobId: nextJobId++, job: JSON.stringify(next.job), parts: next.job.parts, bail: next.bail };
    // the job running: the first, then (when the worker says it chained it) the next
    let job: ScriptJob = firstJob;
    let jobId = firstId;
    let onFirst = true;
    const limitOf = (j: ScriptJob) => (j.kind === 'unitTests' ? j.testTimeoutMs + 1000 : this.timeoutMs);
    // a request job's first script is the one running until the worker names another
    const firstPart = (j: ScriptJob) => (j.kind === 'request' ? (j.parts[0]?.name ?? '') : '');
    let part = firstPart(job);
    slot.stderr = '';
    const calls = new HostCallGate(hooks);
    return new Promise<void>((free) => {
      let finished = false;
      let watchdog: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(watchdog);
        const limit = limitOf(job);
        watchdog = setTimeout(() => {
          const what = part || 'the script';
          finish(stopped(job, { kind: 'timeout', message: `${capital(what)} ran longer than ${limit} ms and was stopped (a script that loops forever, or waits too long).`, script: part || undefined }));
          void this.kill(slot);
        }, limit);
      };
      /** the running job ended (`more`: the chained one has started on the worker); else the whole run is over. */
      const finish = (outcome: ScriptOutcome, more = false) => {
        if (finished) return;
        if (onFirst) {
          onFirst = false;
          resolveFirst(outcome);
          if (more && chain && next) {
            job = next.job;
            jobId = chain.jobId;
            part = firstPart(job);
            slot.job = active();
            arm();
            return;
          }
          resolveSecond(undefined);
        } else {
          resolveSecond(outcome);
        }
        finished = true;
        calls.close();
        clearTimeout(watchdog);
        if (slot.job?.id === jobId) slot.job = undefined;
        signal?.removeEventListener('abort', onAbort);
        free();
      };
      const onAbort = () => {
        finish(stopped(job, { kind: 'crash', message: 'Cancelled', script: part || undefined }));
        void this.kill(slot);
      };
      const active = (): ActiveJob => ({
        id: jobId,
        message: (m) => {
          if (m.type === 'part') {
            part = m.name;
            if (job.kind === 'unitTests') arm();
          } else if (m.type === 'done') {
            finish(JSON.parse(m.outcome) as ScriptOutcome, m.chained === true);
          } else if (m.type === 'call') {
            calls.call(m.call).then(
              (response) => worker.postMessage({ type: 'reply', callId: m.callId, response } satisfies ToWorker),
              (err: unknown) => worker.postMessage({ type: 'reply', callId: m.callId, error: err instanceof Error ? err.message : String(err) } satisfies ToWorker),
            );
          }
        },
        error: (err) => {
          const memory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
          const what = part || 'the script';
          finish(
            stopped(job, memory
              ? { kind: 'memory', message: `${capital(what)} used more than the ${this.options.memoryMb ?? DEFAULT_SCRIPT_MEMORY_MB} MB a script may use and was stopped.`, script: part || undefined }
              : { kind: 'crash', message: `The script sandbox failed: ${err.message}`, script: part || undefined }),
          );
          void this.kill(slot);
        },
        exit: (code) => finish(stopped(job, { kind: 'crash', message: `The script sandbox stopped (exit code ${code})${slot.stderr ? `: ${slot.stderr.trim().slice(0, 500)}` : ''}`, script: part || undefined })),
      });
      slot.job = active();
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      // a worker that does not even start is stopped too (the first script waits for its start, up to STARTUP_MS more)
      const startup = slot.started
        ? undefined
        : setTimeout(() => {
            finish(stopped(job, { kind: 'crash', message: `The script sandbox did not start within ${STARTUP_MS} ms` }));
            void this.kill(slot);
          }, STARTUP_MS);
      const send = () => worker.postMessage({ type: 'run', jobId: firstId, job: JSON.stringify(firstJob), parts: partsOf(firstJob), unitTests: firstJob.kind === 'unitTests', realm: firstJob.realm ?? '', next: chain, precompile: next?.precompile } satisfies ToWorker);
      // a worker still starting gets the job now: it waits in the worker's port and runs as soon as the worker is
      // ready, without a hop back here first (the time limit still counts from the worker's ready)
      if (!slot.started) send();
      slot.ready.then(
        () => {
          clearTimeout(startup);
          if (finished) return;
          arm();
          if (startup === undefined) send();
        },
        (err: Error) => {
          clearTimeout(startup);
          slot.job?.error(err);
        },
      );
    });
  }
}

/** The scripts of a job in the order the runtime runs them (a unit test is one, named for its suite). */
function partsOf(job: ScriptJob): readonly ScriptPart[] {
  if (job.kind === 'request') return job.parts;
  return job.suites.flatMap((s) => s.tests.map((t) => ({ name: `unit test "${t.name}" of suite "${s.name}"`, code: t.code })));
}

function capital(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** The outcome of a job the sandbox stopped: nothing changed, the error says why. */
function stopped(job: ScriptJob, error: ScriptError): ScriptOutcome {
  if (job.kind === 'unitTests') {
    return { environment: {}, baseEnvironment: {}, globals: {}, tests: [], console: [], execution: { skipRequest: false, nextRequestIdOrName: '' }, error };
  }
  return {
    environment: job.environment.data,
    baseEnvironment: job.baseEnvironment.data,
    globals: job.globals,
    tests: [],
    console: [],
    execution: job.execution ?? { skipRequest: false, nextRequestIdOrName: '' },
    error,
  };
}

/** One line for humans: `after-response script of request "Login", line 3: TypeError: ...`. */
export function describeScriptError(error: ScriptError): string {
  // a limit's message already names the script
  if (error.kind !== 'error' && error.kind !== 'syntax') return error.message;
  const where = error.script ? `${error.script}${error.line !== undefined ? `, line ${error.line}${error.column !== undefined ? `:${error.column}` : ''}` : ''}: ` : '';
  return `${where}${error.message}`;
}
