// A window on a folder with YAML but no Insomnia data (npm run test:integration:idle, on the small folder that script
// makes): Hammock activates when start-up has finished and stays idle there. Its work gate stays shut after one probe,
// and nothing reads collections. (The full-size measure of what this costs a window is the activation-cost bench,
// bench/hostIdle on 50,000 files; this keeps the behaviour in every CI run: a start-up step that reads the
// collections, as one did on 2026-12-07, fails here.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HammockApi } from '../../src/extension';
import { waitFor } from '../integration/helpers';

describe('A window without Insomnia data', () => {
  it('Hammock activates after start-up, probes once, and stays idle: the gate shut, no collection read', async function () {
    this.timeout(90_000);
    const ext = vscode.extensions.getExtension<HammockApi>('hammock.hammock');
    assert.ok(ext, 'Hammock is installed');
    // no activate() here: VS Code activates it on its own (onStartupFinished)
    await waitFor('VS Code to activate Hammock after start-up', () => ext.isActive, 60_000);
    const api = ext.exports;
    const probe = await api.gate.probe;
    // what activation starts in the background from the kept typing has had its turn (the request editors read
    // the collections after it when the last window kept keys: RequestPanels)
    await api.keptTyping.load();
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(api.gate.isOpen, false, `the gate stays shut without Insomnia data (opened: ${api.gate.reason})`);
    assert.ok(probe, 'the probe ran');
    assert.equal(probe.hit, undefined, 'the probe found no Insomnia file');
    assert.equal(api.store.collections.length, 0);
    assert.equal(api.store.isLoaded, false, 'no collection was read');
  });
});
