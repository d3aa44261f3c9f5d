// The main-thread side of the status worker: one Worker, requests correlated by id. GitClient uses it for
// status() when given one; without it status runs in-process.

import { Worker } from 'worker_threads';
import type { StatusReply, StatusRequest } from './statusWorker';
import type { StatusOptions, WorkingTreeStatus } from './status';

export class StatusWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (s: WorkingTreeStatus | undefined) => void; reject: (e: Error) => void }>();

  /**
   * @param workerFile the bundled worker (dist/statusWorker.js); tests may pass the .ts entry with
   *   `execArgv: ['--require', 'tsx/cjs']`.
   */
  constructor(
    private readonly workerFile: string,
    private readonly workerOptions: { execArgv?: string[]; resourceLimits?: { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number } } = {},
  ) {}

  /**
   * Starts the worker thread now (if it is not running), so that its start (some 40 ms) overlaps what the caller
   * does before its first compute (GitClient.status resolves HEAD and the branch meanwhile).
   */
  warm(): void {
    this.start();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // a small young generation: the default (16 MB semi-spaces) kept the worker at ~70 MB resident after one status
    // of 10,000 files, nearly all of it heap grown for short-lived stat objects; 2 MB keeps it near 40 MB for a
    // few more scavenges. The old generation is bounded like the 50,000-file probe's (bench/gitStatusProbe.ts).
    const resourceLimits = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 256, ...this.workerOptions.resourceLimits };
    const w = new Worker(this.workerFile, { execArgv: this.workerOptions.execArgv, resourceLimits });
    w.on('message', (reply: StatusReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) w.unref();
      if (reply.ok) p.resolve(reply.status);
      else p.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    });
    const failAll = (err: Error): void => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.worker = undefined;
    };
    w.on('error', failAll);
    w.on('exit', (code) => failAll(new Error(`status worker exited (${code})`)));
    w.unref();
    this.worker = w;
    return w;
  }

  compute(options: Omit<StatusOptions, 'cache'>): Promise<WorkingTreeStatus> {
    return this.send((id) => ({ id, options })) as Promise<WorkingTreeStatus>;
  }

  /**
   * Makes the worker forget what it caches for the repository at `dir` (pack readers, the index's view, the last
   * status), as GitClient.resetCache does for its own cache; the next status starts afresh. Nothing to do when the
   * worker is not running (a new one starts empty).
   */
  async resetCache(dir: string): Promise<void> {
    if (this.worker) await this.send((id) => ({ id, reset: dir }));
  }

  private send(request: (id: number) => StatusRequest): Promise<WorkingTreeStatus | undefined> {
    const w = this.start();
    const id = this.nextId++;
    w.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage(request(id));
    });
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }
}
