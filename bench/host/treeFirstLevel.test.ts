// Runs inside a real VS Code (code-server) opened on the generated 10,000-request legacy repository, started by
// bench/treeFirstLevel.bench.ts through the integration harness. It reads, from the extension's timings:
// - tree_first_level_ms: from the start of activate() to the Collections tree's first level;
// - tree_ready_10k_ms: from the moment the bundle started loading (its first line) to every collection read in full,
//   so the whole tree can be expanded (not a first-level placeholder);
// and measures beside them, in this same extension host, the raw floor of that read: list the `.insomnia` folder,
// read every file and parse it with js-yaml (dropping each document), `tree_ready_10k_baseline_ms`. It leaves the
// figures where the bench module reads them. It also logs the read-ahead (extension.ts): when the worker threads
// started reading the folder and when every file was in, against the bundle's start.
import * as assert from 'node:assert/strict';
import { promises as fsp, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as jsYaml from 'js-yaml';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import type { TreeNode } from '../../src/tree/collectionsTree';

/** The floor: every data file of the `.insomnia` folder read and parsed, each document dropped. */
function readParseDrop(root: string): number {
  let keys = 0;
  const dir = path.join(root, '.insomnia');
  for (const type of readdirSync(dir)) {
    for (const name of readdirSync(path.join(dir, type))) {
      const doc = jsYaml.load(readFileSync(path.join(dir, type, name), 'utf8'), { schema: jsYaml.CORE_SCHEMA });
      keys += doc && typeof doc === 'object' ? Object.keys(doc).length : 0;
    }
  }
  return keys;
}

describe('bench: tree first level and whole tree', () => {
  it('measures activation to first level, and bundle load to the whole tree, on the generated repository', async () => {
    const out = process.env.HAMMOCK_BENCH_OUT;
    assert.ok(out, 'HAMMOCK_BENCH_OUT names the result file');
    const ext = vscode.extensions.getExtension<HammockApi>('hammock.hammock');
    assert.ok(ext);
    const api = await ext.activate();
    await api.ready;
    const roots = (await api.collectionsTree.getChildren()) as TreeNode[];
    assert.ok(roots.length > 0, 'the first level is not empty');
    // the whole tree is there: every folder of the first collection can be expanded without waiting
    const first = api.collectionsTree.getChildren(roots[0]);
    assert.ok(Array.isArray(first) && first.length > 0, 'the collection is read in full');
    const { firstLevelMs, bundleStartAt, completeAt } = api.timings;
    assert.ok(typeof firstLevelMs === 'number' && typeof bundleStartAt === 'number' && typeof completeAt === 'number', JSON.stringify(api.timings));
    const treeReady = completeAt - bundleStartAt;
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const samples: number[] = [];
    const cpuSamples: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      readParseDrop(root);
      samples.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpuSamples.push((c.user + c.system) / 1000);
    }
    // wall and CPU of each run, the first one cold (its parser not yet compiled), as the extension's first load is
    const runs = samples.map((w, i) => `${w.toFixed(0)}/${cpuSamples[i]!.toFixed(0)}`).join(', ');
    const baseline = [...samples].sort((a, b) => a - b)[1]!;
    const requests = api.store.collections.reduce((n, c) => n + c.children.length, 0);
    const activateAt = api.timings.activateAt ?? bundleStartAt;
    console.log(`first level after ${firstLevelMs.toFixed(0)} ms; whole tree ${treeReady.toFixed(0)} ms after the bundle started loading (bundle to activate() ${(activateAt - bundleStartAt).toFixed(0)} ms, activate() to whole tree ${(completeAt - activateAt).toFixed(0)} ms); raw read-and-parse in this host ${baseline.toFixed(0)} ms (${api.store.collections.length} collection(s), ${requests} top-level items)`);
    // how much of each span the host worked: CPU time of the extension host process (all its threads and extensions)
    const startupCpu = api.timings.startupCpuMs;
    console.log(`host CPU: the extension host from the bundle's start to the whole tree ${startupCpu === undefined ? '?' : startupCpu.toFixed(0)} ms (wall ${treeReady.toFixed(0)} ms); raw read-and-parse runs, wall/CPU ms: ${runs} (the first cold)`);
    // the .insomnia folder read ahead in worker threads as the bundle loaded (none: it was read on the host thread)
    for (const r of api.timings.readAhead ?? []) {
      console.log(`read-ahead: started ${(r.startedAt - bundleStartAt).toFixed(0)} ms after the bundle, every file in at ${(r.doneAt - bundleStartAt).toFixed(0)} ms (${r.fromWorkers} files from ${r.workerMs.length} worker(s), ${r.fromCache} of them from the parse cache, their own time ${r.workerMs.map((m) => m.toFixed(0)).join(' + ')} ms (${r.workerSpans.map((w) => `${(w.from - bundleStartAt).toFixed(0)}-${(w.to - bundleStartAt).toFixed(0)}`).join(', ')} ms after the bundle), CPU ${r.workerCpuMs.map((m) => m.toFixed(0)).join(' + ') || '?'} ms, waiting for a core ${r.workerWaitMs.map((m) => m.toFixed(0)).join(' + ') || '?'} ms; ${r.onThread} read on the host thread), then ${(completeAt - r.doneAt).toFixed(0)} ms to the whole tree; the host thread's own CPU over the span ${api.timings.startupThreadCpuMs?.toFixed(0) ?? '?'} ms, waiting for a core ${api.timings.startupThreadWaitMs?.toFixed(0) ?? '?'} ms`);
    }
    if (!api.timings.readAhead?.length) console.log('read-ahead: none (the folder was read on the host thread)');
    // the host's part after the files: the store's first load, from its files being in to its change fired
    const load = api.store.lastFullLoad;
    if (load) {
      const from = load.filesInAt ?? load.startedAt;
      const at = (t: number) => (t - from).toFixed(0);
      console.log(`assembly: the store's load had every file at ${(from - bundleStartAt).toFixed(0)} ms after the bundle, then assembled at +${at(load.scannedAt)}, indexed at +${at(load.indexedAt)}, its change fired (listeners run) at +${at(load.firedAt)}, whole tree at +${at(completeAt)} ms; the host thread's CPU from every file in to the change fired ${load.cpuAfterFilesMs?.toFixed(0) ?? '?'} ms`);
    }
    await fsp.writeFile(out, JSON.stringify({
      tree_first_level_ms: Math.round(firstLevelMs),
      tree_ready_10k_ms: Math.round(treeReady),
      tree_ready_10k_baseline_ms: Math.round(baseline),
      measuredAt: new Date().toISOString(),
    }));
  });
});
