// Runs inside a real VS Code (code-server) opened on a generated 50,000-file repository with YAML but no Insomnia
// data, with Hammock installed from its .vsix (started by bench/activationCost.bench.ts). Hammock activates when
// start-up has finished (onStartupFinished) and must stay idle there: its work gate shut after one probe. What it cost
// the window: loading its bundle, its activate(), and its probe's time on the extension host's thread; beside it,
// the probe's wall time and how much of that was VS Code's file search (ripgrep, in another process).
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';

describe('bench: what Hammock costs a window without Insomnia data', () => {
  it('activates after start-up, probes, stays idle', async function () {
    this.timeout(120_000);
    const out = process.env.HAMMOCK_BENCH_OUT;
    assert.ok(out, 'HAMMOCK_BENCH_OUT names the result file');
    const ext = vscode.extensions.getExtension<HammockApi>('hammock.hammock');
    assert.ok(ext, 'Hammock is installed');
    // no activate() here: VS Code activates it on its own (onStartupFinished), or not at all
    const end = Date.now() + 60_000;
    while (!ext.isActive && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    if (!ext.isActive) {
      console.log('Hammock did not activate within 60 s: it costs this window nothing');
      await fsp.writeFile(out, JSON.stringify({ activation_cost_no_insomnia_ms: 0, measuredAt: new Date().toISOString() }));
      return;
    }
    const api = ext.exports;
    const probe = await api.gate.probe;
    assert.ok(probe, 'the probe ran');
    assert.equal(api.gate.isOpen, false, `the gate stays shut without Insomnia data (opened: ${api.gate.reason})`);
    assert.equal(api.store.collections.length, 0);

    // loading the bundle: a fresh copy of the installed dist/extension.js, required as the extension host requires it
    const main = path.join(ext.extensionPath, (ext.packageJSON as { main: string }).main);
    const copy = `${main.replace(/\.js$/, '')}.loadcopy.js`;
    await fsp.writeFile(copy, `${await fsp.readFile(main, 'utf8')}\n// ${Date.now()}\n`);
    const t0 = performance.now();
    require(copy);
    const loadMs = performance.now() - t0;
    await fsp.rm(copy, { force: true });

    const activateMs = api.timings.activateMs ?? NaN;
    const cost = loadMs + activateMs + probe.hostMs;
    console.log(
      `cost ${cost.toFixed(0)} ms = load ${loadMs.toFixed(0)} + activate ${activateMs.toFixed(0)} + probe on the host ${probe.hostMs.toFixed(0)}; ` +
        `probe ${probe.wallMs.toFixed(0)} ms wall (file search ${probe.searchMs.toFixed(0)} ms), ${probe.files} YAML files listed, ${probe.read} read`,
    );
    await fsp.writeFile(out, JSON.stringify({
      activation_cost_no_insomnia_ms: Math.round(cost),
      activation_load_ms: Math.round(loadMs),
      activation_activate_ms: Math.round(activateMs),
      activation_probe_host_ms: Math.round(probe.hostMs),
      activation_probe_wall_ms: Math.round(probe.wallMs),
      activation_probe_search_ms: Math.round(probe.searchMs),
      activation_probe_files: probe.files,
      activation_probe_read: probe.read,
      measuredAt: new Date().toISOString(),
    }));
  });
});
