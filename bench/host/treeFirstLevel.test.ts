// Runs inside a real VS Code (code-server) opened on the generated 10,000-request legacy repository, started by
// bench/treeFirstLevel.bench.ts through the integration harness. It reads how long the extension took from the start
// of activate() to the Collections tree's first level, and leaves the figure where the bench module reads it.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';

describe('bench: tree first level', () => {
  it('measures activation to first level on the generated repository', async () => {
    const out = process.env.HAMMOCK_BENCH_OUT;
    assert.ok(out, 'HAMMOCK_BENCH_OUT names the result file');
    const ext = vscode.extensions.getExtension<HammockApi>('hammock.hammock');
    assert.ok(ext);
    const api = await ext.activate();
    await api.ready;
    const roots = await api.collectionsTree.getChildren();
    assert.ok(roots.length > 0, 'the first level is not empty');
    const ms = api.timings.firstLevelMs;
    assert.ok(typeof ms === 'number');
    const requests = api.store.collections.reduce((n, c) => n + c.children.length, 0);
    console.log(`first level after ${ms.toFixed(0)} ms (${api.store.collections.length} collection(s), ${requests} top-level items)`);
    await fsp.writeFile(out, JSON.stringify({ tree_first_level_ms: Math.round(ms), measuredAt: new Date().toISOString() }));
  });
});
