// The legacy read worker: reads and parses a share of one `.insomnia` folder's data files off the extension host's
// thread, and posts each file's state (its identity on disk, and the document translated into the model, or the
// file's problem) back in batches. The main-thread side is legacyReader.ts. Bundled alone as dist/legacyWorker.js
// (esbuild.config.mjs): this file, legacyFiles.ts, the legacy format and js-yaml.
//
// Worker `part` of `parts` lists the folder (every worker lists it; a listing is a few ms) and reads the files whose
// index in that listing is `part` modulo `parts`. What it posts is structured-cloned: plain objects only.

import { parentPort, workerData } from 'node:worker_threads';
import type { LegacyFileState } from './fileState';
import { legacyDataFiles, readLegacyFile } from './legacyFiles';
import { threadCpuMs } from './threadCpu';

export interface LegacyReadJob {
  /** the `.insomnia` folder. */
  readonly dir: string;
  readonly part: number;
  readonly parts: number;
  /** files per message. */
  readonly batch: number;
}

export type LegacyWorkerMessage =
  /** the folder's listing had `total` data files. */
  | { readonly kind: 'listed'; readonly total: number }
  /** states of files by their index in the listing; null: the file went away before it was read. */
  | { readonly kind: 'batch'; readonly indexes: readonly number[]; readonly files: readonly string[]; readonly states: readonly (LegacyFileState | null)[] }
  /** the worker is done; `ms`: how long its listing and reading took, as it measured it; `cpuMs`: its thread's CPU. */
  | { readonly kind: 'done'; readonly ms: number; readonly cpuMs?: number }
  | { readonly kind: 'failed'; readonly message: string };

function run(job: LegacyReadJob, post: (m: LegacyWorkerMessage) => void): void {
  const started = performance.now();
  const listing = legacyDataFiles(job.dir);
  post({ kind: 'listed', total: listing.length });
  let indexes: number[] = [];
  let files: string[] = [];
  let states: (LegacyFileState | null)[] = [];
  for (let i = job.part; i < listing.length; i += job.parts) {
    const { folder, file } = listing[i]!;
    indexes.push(i);
    files.push(file);
    states.push(readLegacyFile(file, folder) ?? null);
    if (indexes.length >= job.batch) {
      post({ kind: 'batch', indexes, files, states });
      indexes = [];
      files = [];
      states = [];
    }
  }
  if (indexes.length) post({ kind: 'batch', indexes, files, states });
  post({ kind: 'done', ms: performance.now() - started, cpuMs: threadCpuMs() });
}

if (parentPort) {
  const port = parentPort;
  try {
    run(workerData as LegacyReadJob, (m) => port.postMessage(m));
  } catch (err) {
    port.postMessage({ kind: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies LegacyWorkerMessage);
  }
}
