// The workspace's `.insomnia` folder is read ahead in worker threads as the bundle loads (extension.ts,
// collections/legacyReader.ts): in a real extension host, the bundled worker (dist/legacyWorker.js) starts before
// activate(), reads every data file, and the store's first load takes that read, so the tree holds the folder's
// collection with nothing read again on the host thread.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadWorkspace } from '../../src/collections/scan';
import { activateHammock } from './helpers';

describe('read-ahead: the legacy folder read in worker threads', () => {
  it('starts before activate(), reads every data file in the workers, and the first load takes it', async () => {
    const api = await activateHammock();
    await api.ready;
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const dir = path.join(root, '.insomnia');
    const reads = api.timings.readAhead;
    assert.equal(reads?.length, 1, `one folder read ahead: ${JSON.stringify(api.timings)}`);
    const [read] = reads;
    const dataFiles = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .reduce((n, e) => n + readdirSync(path.join(dir, e.name)).filter((f) => /\.(ya?ml|json)$/.test(f)).length, 0);
    assert.equal(read.fromWorkers, dataFiles, 'every data file came from the workers');
    assert.equal(read.onThread, 0, 'none read again on the host thread');
    assert.ok(read.workerMs.length >= 1, 'the workers finished');
    assert.ok(read.startedAt < api.timings.activateAt!, 'the read began before activate()');
    const legacy = api.store.collections.find((c) => c.format === 'legacy' && c.path === path.resolve(dir));
    assert.ok(legacy && legacy.children.length > 0, 'the tree holds the folder\'s collection');
    // assembled as the workers' batches landed: exactly what reading the root here, all at once, gives for this
    // folder (the suites before this one add and remove v5 files elsewhere in the workspace)
    const here = await loadWorkspace(root);
    const inFolder = <T extends { path: string }>(list: readonly T[]) => list.filter((c) => c.path === path.resolve(dir));
    assert.deepEqual(inFolder(api.store.collections), inFolder(here.collections));
    const within = (p: { file: string }) => p.file.startsWith(dir + path.sep) || p.file === dir;
    assert.deepEqual(api.store.problems.filter(within), [...here.problems, ...here.collections.flatMap((c) => c.problems)].filter(within));
  });
});
