// The host side of the plan worker (planWorker.ts): an edit of a request whose text is large is planned there, off
// the extension host's thread, and the store has what it takes in of such an edit's write parsed there too (`parse`:
// the request's piece of a v5 file; `parseLegacy`: a large `.insomnia` file); everything else is planned and parsed on the thread as before (a worker's round trip costs more than
// planning a small request, well under a millisecond). One worker, started on the first large edit, kept while
// edits come (typing into a large body is one edit per pause in typing), unreferenced while idle and stopped after
// IDLE_MS without one. A worker that cannot plan an edit (it fails to start, dies, or the plan needs more than the
// one file it was given) leaves it to the caller, which plans it on its thread: a dead worker costs time, never an edit.
// Part of the writers bundle (writers.ts), loaded with the planner.

import { Worker } from 'node:worker_threads';
import type { Edit, EditResult } from './edits';
import { PlanError, type PlanErrorCode } from './editPlanner';
import type { LegacyFileResult } from './formats/legacy';
import type { Collection, Environment, Item } from './model';
import type { ParseJob, PlanJob, PlanReply } from './planWorker';

/**
 * The size (characters of the request's strings and the edit's) from which a request's edit is planned in the worker.
 * Planning costs about 90 ms per MB of body on an idle machine (yaml's parse of the old body, its render of the new
 * one and the read back), twice that under load: at 128 K characters it takes 10-25 ms on the thread.
 */
export const PLAN_OFF_THREAD_CHARS = 128 * 1024;

/** How long the worker is kept without an edit to plan. */
const IDLE_MS = 60_000;

export interface PlanWorkerOptions {
  /** the worker's script: dist/planWorker.js (tests pass the .ts entry with `execArgv: ['--require', 'tsx/cjs']`). */
  readonly file: string;
  readonly execArgv?: string[];
}

/** How many characters the strings in `value` hold (a body's text, a script: what planning parses and renders). */
function weight(value: unknown, budget: number): number {
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null) return 0;
  let total = 0;
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    total += weight(v, budget - total);
    if (total >= budget) break;
  }
  return total;
}

/**
 * The worker's job for `edit` when the object it changes (`lookup`'s, the spec) and what it writes there weigh
 * PLAN_OFF_THREAD_CHARS or more; undefined otherwise. The collection it is given holds only that object (a request or
 * a folder as its one child, the base environment, the spec): what planning such an edit reads (exported for tests).
 */
export function planJobOf(collection: Collection, edit: Edit, lookup: (id: string) => Item | Environment | undefined, readText: (file: string) => string, now: number): Omit<PlanJob, 'id'> | undefined {
  const data = edit.kind === 'setSpec' ? edit.contents : edit.kind === 'setEnvironmentData' ? edit.data : edit.kind === 'setRequestFields' || edit.kind === 'setFolderFields' || edit.kind === 'setEnvironment' ? edit.fields : undefined;
  const spec = edit.kind === 'setSpec' ? collection.spec : undefined;
  const target = spec ?? (data !== undefined && 'id' in edit && edit.id ? lookup(edit.id) : undefined);
  if (!target) return undefined;
  const file = target.source.file;
  // (a v5 spec's `contents` is rendered from the file's mapping when read: the spec weighs its file, and goes without it)
  if (weight(spec ? readText(file) : target, PLAN_OFF_THREAD_CHARS) + weight(data, PLAN_OFF_THREAD_CHARS) < PLAN_OFF_THREAD_CHARS) return undefined;
  const item = 'kind' in target ? target : undefined;
  const shell: Collection = {
    ...collection,
    children: item ? [item] : [],
    baseEnvironment: item || spec ? undefined : collection.baseEnvironment,
    spec: spec && { id: spec.id, fileName: spec.fileName, contents: '', source: spec.source },
    testSuites: undefined,
    mockServer: undefined,
    problems: [],
  };
  return { kind: 'plan', collection: shell, edit, file, text: readText(file), now };
}

export class PlanWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { readonly worker: Worker; readonly settle: (reply: PlanReply | undefined) => void }>();
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: PlanWorkerOptions) {}

  /**
   * The plan of `edit` (a request's, a folder's, an environment's fields or data, the spec: what may be large) of
   * `collection`, made in the worker when the object it changes and what it writes there are large; undefined when
   * they are small, or the worker could not plan it: the caller plans it then. A plan that fails rejects as planning
   * on the thread would (PlanError, YAML errors). `lookup`: the store's object of an id.
   */
  async plan(collection: Collection, edit: Edit, lookup: (id: string) => Item | Environment | undefined, readText: (file: string) => string, now: number): Promise<EditResult | undefined> {
    const job = planJobOf(collection, edit, lookup, readText, now);
    const reply = job && (await this.send(job));
    if (!reply || 'elsewhere' in reply || 'value' in reply) return undefined;
    if ('result' in reply) return reply.result;
    const { name, message, code } = reply.error;
    if (name === 'PlanError') throw new PlanError(code as PlanErrorCode, message);
    throw Object.assign(new Error(message), { name });
  }

  /**
   * A piece of a v5 file parsed as formats/fields.ts's loadYamlFast parses it (formats/v5Pieces.ts's ParseLarge):
   * its value; rejects where that throws; undefined when the worker could not parse it (the caller parses it).
   */
  async parse(text: string): Promise<{ readonly value: unknown } | undefined> {
    return this.parseJob({ kind: 'parse', text });
  }

  /** `parseLegacyFile(file, folder, text)` (formats/legacy.ts), made in the worker; undefined when it could not. */
  async parseLegacy(file: string, folder: string, text: string): Promise<LegacyFileResult | undefined> {
    return (await this.parseJob({ kind: 'parse', text, legacy: { file, folder } }))?.value as LegacyFileResult | undefined;
  }

  private async parseJob(job: Omit<ParseJob, 'id'>): Promise<{ readonly value: unknown } | undefined> {
    const reply = await this.send(job);
    if (!reply || !('value' in reply || 'error' in reply)) return undefined;
    if ('value' in reply) return { value: reply.value };
    throw Object.assign(new Error(reply.error.message), { name: reply.error.name });
  }

  private send(job: Omit<PlanJob, 'id'> | Omit<ParseJob, 'id'>): Promise<PlanReply | undefined> {
    const w = this.start();
    if (!w) return Promise.resolve(undefined);
    const id = this.nextId++;
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    w.ref();
    return new Promise((resolve) => {
      this.pending.set(id, { worker: w, settle: resolve });
      try {
        w.postMessage({ ...job, id });
      } catch {
        this.settle(id, undefined);
      }
    });
  }

  private settle(id: number, reply: PlanReply | undefined): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (![...this.pending.values()].some((q) => q.worker === p.worker)) {
      p.worker.unref();
      if (p.worker === this.worker && !this.idle) {
        this.idle = setTimeout(() => this.dispose(), IDLE_MS);
        this.idle.unref?.();
      }
    }
    p.settle(reply);
  }

  private start(): Worker | undefined {
    if (this.worker) return this.worker;
    let w: Worker;
    try {
      w = new Worker(this.options.file, { execArgv: this.options.execArgv });
    } catch {
      return undefined;
    }
    w.on('message', (reply: PlanReply) => this.settle(reply.id, reply));
    // the edits sent to a worker that dies are planned by the caller
    const failAll = (): void => {
      if (this.worker === w) this.worker = undefined;
      for (const [id, p] of this.pending) if (p.worker === w) this.settle(id, undefined);
    };
    w.on('error', failAll);
    w.on('exit', failAll);
    w.unref();
    this.worker = w;
    return w;
  }

  dispose(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
  }
}
