// The plan worker: plans an edit of one request whose text is large (a body of a megabyte pasted or typed into) off
// the extension host's thread, and parses what the store takes in from such an edit's write: the request's piece of
// a v5 file (formats/v5Pieces.ts's parseLarge), a large `.insomnia` file (formats/legacy.ts's parseLegacyFile). Planning such an edit reads the old body with `yaml`, renders the new one and reads it
// back (editPlanner.ts, yamlEdit.ts): 80-130 ms of one synchronous stretch for a 1 MB body, where the host must never
// block more than 50 ms. The host side is planOffThread.ts; bundled alone as dist/planWorker.js (esbuild.config.mjs):
// this file, the edit planner and `yaml`, and the readers' parsers (js-yaml, the legacy YAML fast path). It runs the same `planEdit` the host runs, on the same inputs (the request
// as the store knows it, its file's text, the same `now`): what it plans is byte for byte the host's plan.

import { parentPort } from 'node:worker_threads';
import type { Edit, EditResult } from './edits';
import { planEdit } from './editPlanner';
import { isMapping, loadYamlFast } from './formats/fields';
import { parseLegacyFile } from './formats/legacy';
import { specMappingText } from './convert/insomniaDocs';
import type { Collection } from './model';

export interface PlanJob {
  readonly kind: 'plan';
  readonly id: number;
  /** the collection with only the edited request among its children (planOffThread.ts's `shell`). */
  readonly collection: Collection;
  readonly edit: Edit;
  /** the request's file and its text, the one file the plan may read. */
  readonly file: string;
  readonly text: string;
  readonly now: number;
}

/**
 * a text to parse: a piece of a v5 file as formats/fields.ts's loadYamlFast does, or (`legacy`: its file and folder)
 * a `.insomnia` file as formats/legacy.ts's parseLegacyFile does.
 */
export interface ParseJob {
  readonly kind: 'parse';
  readonly id: number;
  readonly text: string;
  readonly legacy?: { readonly file: string; readonly folder: string };
}

export type PlanReply =
  | { readonly id: number; readonly value: unknown }
  | { readonly id: number; readonly result: EditResult }
  /** the plan failed as it would on the host (a PlanError: its code; a file with YAML errors). */
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string; readonly code?: string } }
  /** the plan needed more than it was given (another file, another object): the host plans it itself. */
  | { readonly id: number; readonly elsewhere: true };

/** Plans `job` (exported for tests; the worker's message handler calls it). */
export function planJob(job: PlanJob): PlanReply {
  let outside = false;
  try {
    const result = planEdit(job.collection, job.edit, {
      now: job.now,
      readText: (file) => {
        if (file === job.file) return job.text;
        outside = true;
        throw new Error(`${file} was not given to the plan worker`);
      },
    });
    return outside ? { id: job.id, elsewhere: true } : { id: job.id, result };
  } catch (err) {
    if (outside || !(err instanceof Error)) return { id: job.id, elsewhere: true };
    const code = (err as { code?: unknown }).code;
    return { id: job.id, error: { name: err.name, message: err.message, ...(err.name === 'PlanError' && typeof code === 'string' ? { code } : {}) } };
  }
}

/** Parses `job`'s text (the value is structured-cloned: js-yaml's plain objects, arrays and scalars come back alike). */
export function parseJob(job: ParseJob): PlanReply {
  try {
    return { id: job.id, value: job.legacy ? parseLegacyFile(job.legacy.file, job.legacy.folder, job.text) : withSpecText(loadYamlFast(job.text)) };
  } catch (err) {
    return { id: job.id, error: { name: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err) } };
  }
}

/**
 * A v5 piece's value as it goes to the host, where the piece is a design document's `spec:` whose `contents` is a
 * mapping (a large OpenAPI document): `contents` becomes the text the model shows for it (formats/v5.ts's readSpec
 * renders the mapping so on first read, and takes a string as it is). The mapping is hundreds of thousands of small
 * objects: structured-cloning them onto the host's thread, keeping them and comparing them on every re-read held its
 * event loop 55-110 ms for a 2 MB spec, mostly in the collector; a string crosses as one copy and compares at once.
 */
export function withSpecText(value: unknown): unknown {
  if (!isMapping(value) || Object.keys(value).length !== 1 || !isMapping(value.spec)) return value;
  const spec = value.spec;
  if (typeof spec.file === 'string' || !isMapping(spec.contents)) return value;
  try {
    return { spec: { ...spec, contents: specMappingText(spec.contents) } };
  } catch {
    return value;
  }
}

parentPort?.on('message', (job: PlanJob | ParseJob) => parentPort!.postMessage(job.kind === 'parse' ? parseJob(job) : planJob(job)));
