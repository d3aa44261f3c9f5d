// Runs inside a real VS Code (see bench/treeFirstLevel.bench.ts, which starts the bench/host suite): the time from
// the "Open Request" command to the request editor's UI holding the request, on the generated repository.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import { walkItems } from '../../src/collections/model';
import type { HammockApi } from '../../src/extension';

describe('bench: open the request editor', () => {
  it('measures the command to the UI holding the request', async () => {
    const out = process.env.HAMMOCK_BENCH_OUT_EDITOR;
    assert.ok(out, 'HAMMOCK_BENCH_OUT_EDITOR names the result file');
    const api = await vscode.extensions.getExtension<HammockApi>('hammock.hammock')!.activate();
    // api.ready, not store.whenComplete(): the latter resolves a few microtasks before the extension notes the tree
    // ready (api.timings.completeAt), and this test's work would then run inside treeFirstLevel's measured span
    await api.ready;
    const collection = api.store.collections[0];
    const request = [...walkItems(collection.children)].find((i) => i.kind === 'request');
    assert.ok(request && request.kind === 'request', 'the repository has an HTTP request');
    const state = { collectionPath: collection.path, requestId: request.id };
    const t0 = performance.now();
    await vscode.commands.executeCommand('hammock.openRequest', state);
    const editor = api.requestPanels.editor(state);
    assert.ok(editor, 'a panel opened');
    for (let i = 0; i < 400 && !(editor.uiReady && editor.lastState?.url === request.url); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(editor.lastState?.url, request.url, 'the UI got the request');
    const ms = performance.now() - t0;
    console.log(`editor open after ${ms.toFixed(0)} ms`);
    await fsp.writeFile(out, JSON.stringify({ open_editor_ms: Math.round(ms), measuredAt: new Date().toISOString() }));
  });
});
