// What crosses between the host (src/http/scripts/scriptSandbox.ts), the script worker (scriptWorker.ts) and the
// runtime evaluated inside the worker's vm context (sandbox/runtime.ts). Plain JSON-able data only: nothing of the
// host's realm ever reaches a script. No 'vscode' and no node import here.

import type { Authentication, KeyValue, RequestBody } from '../../collections/model';

/** One script to run, with the name an error gives it: `pre-request script of folder "Auth"`. */
export interface ScriptPart {
  readonly name: string;
  readonly code: string;
}

export interface ScriptEnvironment {
  readonly id: string;
  readonly name: string;
  readonly data: Record<string, unknown>;
}

/** The request as a script sees it and may change it (`insomnia.request`); the mutated one is what is sent. */
export interface ScriptRequestData {
  readonly id: string;
  readonly name: string;
  readonly method: string;
  readonly url: string;
  readonly headers: readonly KeyValue[];
  /** the enabled query parameters (Insomnia folds them into `insomnia.request.url`). */
  readonly parameters: readonly KeyValue[];
  readonly pathParameters: readonly KeyValue[];
  readonly body: RequestBody;
  readonly authentication: Authentication;
}

/** The response as an after-response script (`insomnia.response`) or a unit test (`insomnia.send()`) sees it. */
export interface ScriptResponseData {
  readonly code: number;
  readonly status: string;
  readonly headers: readonly (readonly [string, string])[];
  /** the body as UTF-8 text. */
  readonly body: string;
  /** ms. */
  readonly responseTime: number;
  readonly size: number;
}

export type EventName = 'prerequest' | 'test';

/** A pre-request or after-response run: the scripts of the folders above (outermost first) and the request's own. */
export interface RequestScriptJob {
  readonly kind: 'request';
  /** the run session it belongs to: jobs of one realm share a script context, jobs of two never do (default ''). */
  readonly realm?: string;
  readonly event: EventName;
  readonly parts: readonly ScriptPart[];
  readonly request: ScriptRequestData;
  readonly response?: ScriptResponseData;
  /** the active environment; the base environment itself when no sub-environment is active (Insomnia's rule). */
  readonly environment: ScriptEnvironment;
  readonly baseEnvironment: ScriptEnvironment;
  readonly globals: Record<string, unknown>;
  readonly iterationData?: Record<string, unknown>;
  readonly iteration: number;
  readonly iterationCount: number;
  /** collection, folders and request names (`insomnia.execution.location`). */
  readonly location: readonly string[];
  readonly execution?: ExecutionState;
}

/** Insomnia's unit test suites (UnitTestSuite / UnitTest, v5 `testSuites`) as `inso run test` runs them. */
export interface UnitTestJob {
  readonly kind: 'unitTests';
  /** as RequestScriptJob's. */
  readonly realm?: string;
  readonly suites: readonly { readonly name: string; readonly tests: readonly { readonly name: string; readonly code: string; readonly requestId: string | null }[] }[];
  readonly bail: boolean;
  /** only tests whose name matches this regular expression. */
  readonly testNamePattern?: string;
  /** ms for one test (Insomnia's mocha: 60 s). */
  readonly testTimeoutMs: number;
}

export type ScriptJob = RequestScriptJob | UnitTestJob;

export interface ExecutionState {
  readonly skipRequest: boolean;
  readonly nextRequestIdOrName: string;
}

export type TestStatus = 'passed' | 'failed' | 'skipped';

/** One `insomnia.test(...)` or unit test, as Insomnia's `RequestTestResult` (plus the suite of a unit test). */
export interface TestResult {
  readonly name: string;
  readonly status: TestStatus;
  readonly durationMs: number;
  /** the assertion's message (`expected 404 to equal 200`). */
  readonly error?: string;
  /** unit tests: the suite's name. */
  readonly suite?: string;
}

export type ConsoleLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

export interface ConsoleLine {
  readonly level: ConsoleLevel;
  readonly text: string;
}

export type ScriptErrorKind = 'error' | 'syntax' | 'timeout' | 'memory' | 'crash';

/** Why a script stopped: its own error (with the script and the line), or the sandbox's limits. */
export interface ScriptError {
  readonly kind: ScriptErrorKind;
  readonly message: string;
  /** the script's name (`after-response script of request "Login"`). */
  readonly script?: string;
  /** 1-based, in the script's own text. */
  readonly line?: number;
  readonly column?: number;
}

export interface ScriptOutcome {
  /** the active environment's data after the scripts (the base environment's when that is the active one). */
  readonly environment: Record<string, unknown>;
  readonly baseEnvironment: Record<string, unknown>;
  readonly globals: Record<string, unknown>;
  /** the request as the scripts left it (a pre-request script may change what is sent). */
  readonly request?: ScriptRequestData;
  readonly tests: readonly TestResult[];
  readonly console: readonly ConsoleLine[];
  readonly execution: ExecutionState;
  readonly error?: ScriptError;
}

/** What a script may ask the host for while it runs (over the worker's message port). */
export type HostCall =
  /** `insomnia.sendRequest(...)`: an ad-hoc request (no templates, no scripts). */
  | { readonly op: 'sendRequest'; readonly request: AdHocRequest }
  /** a unit test's `insomnia.send(id)`: the model request with that id, as Send sends it (scripts and all). */
  | { readonly op: 'sendModel'; readonly requestId: string };

export interface AdHocRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: string;
}

/** Host -> worker. */
export type ToWorker =
  /**
   * the job as JSON text: the worker hands it to the runtime as it is (one parse, in the script's realm); its scripts
   * also as they are, for the worker to compile (it parses a job only to chain the next one, ChainedJob).
   */
  | {
      readonly type: 'run';
      readonly jobId: number;
      readonly job: string;
      readonly parts: readonly ScriptPart[];
      readonly unitTests: boolean;
      readonly realm: string;
      /** a request job to run right after this one, in the same realm, when `chainsAfter` says so (ChainedJob). */
      readonly next?: ChainedJob;
      /**
       * the scripts of later request jobs of the same realm (each job's parts: the next request's after-response
       * scripts, the pre-request scripts of the one after it), compiled once this message's jobs are done, while the
       * host sends the next request: compiled only, never run (a job compiles what this did not, and reports errors)
       */
      readonly precompile?: readonly (readonly ScriptPart[])[];
    }
  | { readonly type: 'reply'; readonly callId: number; readonly response?: ScriptResponseData; readonly error?: string };

/** Worker -> host. */
export type FromWorker =
  /** `fromCache`: its runtime was compiled from the code cache the host handed it (RuntimeCodeCache). */
  | { readonly type: 'ready'; readonly fromCache?: boolean }
  /** the worker starts running this part (so a time-out can name the script). */
  | { readonly type: 'part'; readonly jobId: number; readonly name: string }
  | { readonly type: 'call'; readonly jobId: number; readonly callId: number; readonly call: HostCall }
  /**
   * the outcome as JSON text, as the runtime wrote it (the host parses it once); `chained`: the job sent with it as
   * `next` has started (its own `done` follows), else it never will.
   */
  | { readonly type: 'done'; readonly jobId: number; readonly outcome: string; readonly chained?: boolean }
  /** the runtime's V8 code cache, for the workers the host starts after this one (RuntimeCodeCache). */
  | { readonly type: 'codeCache'; readonly key: string; readonly data: Uint8Array };

/**
 * The sandbox runtime's compiled code (V8's code cache), made by a worker once its first jobs ran and handed by the
 * host to the workers it starts later (workerData): a new worker's first realm then starts in a few milliseconds
 * instead of compiling the runtime (and chai) again. `key` names the runtime file it was made from (size and time); a
 * worker uses it only for that file, and V8 checks it too.
 */
export interface RuntimeCodeCache {
  readonly key: string;
  readonly data: Uint8Array;
}

/**
 * The next request's pre-request job, sent with the after-response job before it (one round trip for the two). The
 * worker runs it only when the host would have sent it next, unchanged but for the variables: the first job ended
 * without an error, set no next request, and (`bail`) failed no test. Its environments and globals are then the
 * first job's outcome, as the host would have sent them (`chainedJob`).
 */
export interface ChainedJob {
  readonly jobId: number;
  /** the job as JSON text, with the variables as they were before the first job (replaced before it runs). */
  readonly job: string;
  readonly parts: readonly ScriptPart[];
  readonly bail: boolean;
}

/** Whether the job chained after a job with this outcome runs (see ChainedJob); the host and the worker both ask. */
export function chainsAfter(outcome: ScriptOutcome, bail: boolean): boolean {
  return !outcome.error && !outcome.execution?.nextRequestIdOrName && !(bail && outcome.tests.some((t) => t.status === 'failed'));
}

/** The chained job with the variables the first job left: what the host sends after taking them into its session. */
export function chainedJob(job: RequestScriptJob, first: ScriptOutcome): RequestScriptJob {
  return {
    ...job,
    environment: { ...job.environment, data: first.environment },
    baseEnvironment: { ...job.baseEnvironment, data: first.baseEnvironment },
    globals: first.globals,
  };
}

/** The modules a script may `require`, as Insomnia's `requireInterceptor` allows them (Insomnia 10). */
export const NODE_MODULES = ['path', 'assert', 'buffer', 'util', 'url', 'punycode', 'querystring', 'string_decoder', 'stream', 'timers', 'events'] as const;
export const EXTERNAL_MODULES = ['ajv', 'chai', 'cheerio', 'crypto-js', 'csv-parse/lib/sync', 'lodash', 'moment', 'tv4', 'uuid', 'xml2js'] as const;
