// One edit as the request editor makes it, on the big repositories, against what the edit must at least cost.
//
// Subject: `store.apply(collection, setRequestFields { url })` on a store that has loaded the repository: plan the
// minimal change, write the file, take the new text into the model and fire the change, from the call until the
// store has fired its change (apply resolves after the event).
// Baseline, in the same run: read that one file, parse it (js-yaml, as the readers do) and write it back: the
// floor of any edit that reads what it changes.
// - `edit_legacy_10k_ratio`: a request of the generated 10,000-request legacy repository (its own small file);
//   target at most 3.
// - `edit_v5_3k_ratio`: a request in the middle of the generated 3,000-request v5 file (4 MB); target at most 1.5.
// - `edit_v5_3k_max_block_ms`: the longest the event loop was blocked during those v5 edits (maxBlockDuring,
//   measure.ts); target at most 50.
// Each round writes a different URL (two alternating values), so every edit really changes the file; the files are
// put back as they were at the end.
import { readFileSync, writeFileSync } from 'node:fs';

import * as jsYaml from 'js-yaml';
import type { Collection, HttpRequest } from '../src/collections/model';
import { walkItems } from '../src/collections/model';
import { CollectionStore } from '../src/collections/store';
import { ensureLegacyRepo, ensureV5Collection, LEGACY_10K, V5_3K } from './generate';
import { maxBlockDuring, measureRounds, median } from './measure';
import type { BenchContext, BenchMetrics, BenchTargets } from './run';

export const targets: BenchTargets = { edit_legacy_10k_ratio: 3, edit_v5_3k_ratio: 1.5, edit_v5_3k_max_block_ms: 50 };

function readParseWrite(file: string): void {
  const text = readFileSync(file, 'utf8');
  jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
  writeFileSync(file, text);
}

async function measure(ctx: BenchContext, name: string, root: string, pick: (requests: HttpRequest[]) => HttpRequest, rounds: number): Promise<BenchMetrics> {
  const store = new CollectionStore([root]);
  await store.reload();
  const collection = store.collections[0] as Collection;
  const requests = [...walkItems(collection.children)].filter((i): i is HttpRequest => i.kind === 'request');
  const request = pick(requests);
  const file = request.source.file;
  const original = readFileSync(file, 'utf8');
  let n = 0;
  const edit = async () => {
    await store.apply(collection, { kind: 'setRequestFields', id: request.id, fields: { url: `https://bench.example/${name}/${n++ % 2}` } });
  };
  try {
    const [subject, baseline] = (await measureRounds([edit, () => readParseWrite(file)], { warmup: ctx.warmup + 3, iterations: rounds })) as [number[], number[]];
    const block = await maxBlockDuring(async () => {
      for (let i = 0; i < 5; i++) await edit();
    });
    const subjectMs = median(subject);
    const baselineMs = median(baseline);
    ctx.log(`${name}: store.apply ${subjectMs.toFixed(2)} ms, read + js-yaml + write of the file ${baselineMs.toFixed(2)} ms, ratio ${(subjectMs / baselineMs).toFixed(2)}; longest block over 5 edits ${block.maxBlockMs.toFixed(1)} ms`);
    return {
      [`${name}_ms`]: subjectMs,
      [`${name}_baseline_ms`]: baselineMs,
      [`${name}_ratio`]: subjectMs / baselineMs,
      [`${name}_max_block_ms`]: block.maxBlockMs,
    };
  } finally {
    writeFileSync(file, original);
    store.dispose();
  }
}

export async function run(ctx: BenchContext): Promise<BenchMetrics> {
  const legacyRoot = await ensureLegacyRepo(ctx.dataDir, LEGACY_10K);
  const v5Root = await ensureV5Collection(ctx.dataDir, V5_3K);
  const legacy = await measure(ctx, 'edit_legacy_10k', legacyRoot, (rs) => rs[Math.floor(rs.length / 2)]!, 5 * ctx.iterations + 6);
  const v5 = await measure(ctx, 'edit_v5_3k', v5Root, (rs) => rs[Math.floor(rs.length / 2)]!, 2 * ctx.iterations + 1);
  // the legacy edit's block is not a target (its edits are sub-millisecond); keep the v5 one
  delete legacy.edit_legacy_10k_max_block_ms;
  return { ...legacy, ...v5 };
}

