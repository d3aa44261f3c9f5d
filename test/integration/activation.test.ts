// Activation only where there is work (services/workGate.ts), inside a real VS Code: the manifest asks for no glob
// over the workspace at launch; in the prepared workspace (a .insomnia folder at its root) the gate is open; a gate
// over a folder with YAML but no Insomnia data stays shut after its probe (VS Code's file search, then first lines),
// and opens when an Insomnia v5 file appears in it, when one is opened, or when a nested .insomnia folder is there.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkGate } from '../../src/services/workGate';
import { activateHammock, EXTENSION_ID, waitFor } from './helpers';

const V5_HEAD = 'type: collection.insomnia.rest/5.0\nname: Probe\nmeta:\n  id: wrk_probe\ncollection: []\n';

describe('activation: only where there is work', () => {
  const made: string[] = [];
  const gates: vscode.Disposable[] = [];
  let log: vscode.LogOutputChannel;

  before(() => {
    log = vscode.window.createOutputChannel('Hammock activation test', { log: true });
  });
  after(async () => {
    for (const g of gates) g.dispose();
    log.dispose();
    for (const d of made) await fsp.rm(d, { recursive: true, force: true });
  });

  /** A folder with `yamlFiles` ordinary YAML files (CI, Kubernetes, OpenAPI) in a few subfolders, and no Insomnia data. */
  async function plainRepo(yamlFiles: number): Promise<string> {
    const dir = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'hammock-plain-')));
    made.push(dir);
    for (let i = 0; i < yamlFiles; i++) {
      const sub = path.join(dir, `service-${i % 7}`, 'k8s');
      await fsp.mkdir(sub, { recursive: true });
      await fsp.writeFile(path.join(sub, `deploy-${i}.yaml`), `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: s${i}\n`);
    }
    await fsp.mkdir(path.join(dir, 'node_modules/pkg'), { recursive: true });
    await fsp.writeFile(path.join(dir, 'node_modules/pkg/collection.yaml'), V5_HEAD); // never counts
    await fsp.mkdir(path.join(dir, '.github/workflows'), { recursive: true });
    await fsp.writeFile(path.join(dir, '.github/workflows/ci.yml'), V5_HEAD); // a dot-folder: never counts
    await fsp.writeFile(path.join(dir, 'openapi.yaml'), 'openapi: 3.1.0\ninfo: { title: x, version: "1" }\npaths: {}\n');
    return dir;
  }

  /** every path the test watchers reported, for waiting on events rather than time. */
  const reported = new Set<string>();

  /** A gate over `root`, told of its changes by a watcher of its own (Hammock's one watcher covers the workspace only). */
  const gateOn = (root: string): WorkGate => {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), '**'));
    const changes = new vscode.EventEmitter<readonly string[]>();
    const tell = (u: vscode.Uri) => {
      reported.add(u.fsPath);
      changes.fire([u.fsPath]);
    };
    watcher.onDidCreate(tell);
    watcher.onDidChange(tell);
    const gate = new WorkGate({ roots: () => [root], exclude: () => [], views: [], changes: changes.event, log });
    gates.push(gate, watcher, changes);
    return gate;
  };

  /**
   * Resolves once the test watcher over `root` reports events. VS Code starts a watcher outside the workspace
   * asynchronously, and a file written before it watches is never reported (the gate then waited in vain: the
   * product's own watcher starts with activation, long before). A marker file, which no gate counts, is written
   * until its event arrives.
   */
  async function watcherReady(root: string): Promise<void> {
    const marker = path.join(root, 'watcher-ready.txt');
    const deadline = Date.now() + 10_000;
    for (let i = 0; !reported.has(marker); i++) {
      assert.ok(Date.now() < deadline, `the test watcher over ${root} reported nothing within 10 s`);
      await fsp.writeFile(marker, String(i));
      await waitFor('the marker\'s event', () => reported.has(marker), 300).catch(() => undefined);
    }
  }

  it('asks VS Code for no glob over the workspace at launch: a .insomnia folder, start-up finished, its views and commands', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { activationEvents: string[] };
    assert.ok(manifest.activationEvents.includes('workspaceContains:.insomnia'));
    assert.ok(manifest.activationEvents.includes('onStartupFinished'));
    const globs = manifest.activationEvents.filter((e) => e.startsWith('workspaceContains:') && /[*?{[]/.test(e));
    assert.deepEqual(globs, [], 'workspaceContains with a glob makes VS Code search the whole workspace at launch');
  });

  it('in the prepared workspace the gate opened for its .insomnia folder, and the collections loaded', async () => {
    const api = await activateHammock();
    assert.equal(api.gate.isOpen, true);
    assert.match(api.gate.reason ?? '', /\.insomnia is an Insomnia folder$/);
    assert.ok(api.store.collections.length > 0);
  });

  it('a folder with YAML but no Insomnia data: the probe reads its YAML and the gate stays shut', async () => {
    const dir = await plainRepo(60);
    const gate = gateOn(dir);
    const stats = await gate.probe;
    assert.ok(stats, 'a probe ran');
    assert.equal(stats.hit, undefined);
    assert.equal(stats.cancelled, false);
    // 60 + openapi.yaml + the dot-folder's file (listed, then not counted); node_modules is not searched
    assert.equal(stats.files, 62, `files listed: ${stats.files}`);
    assert.equal(gate.isOpen, false);
  });

  for (const [where, sub] of [['an existing folder', 'service-0'], ['a folder that appears with it (a pull)', 'api/v2']] as const) {
    it(`opens when an Insomnia v5 file appears later, in ${where}`, async () => {
      const dir = await plainRepo(5);
      const gate = gateOn(dir);
      await gate.probe;
      assert.equal(gate.isOpen, false);
      await watcherReady(dir);
      const file = path.join(dir, sub, 'insomnia.wrk_probe.yaml');
      await fsp.mkdir(path.dirname(file), { recursive: true });
      await fsp.writeFile(file, V5_HEAD);
      const reason = await Promise.race([gate.opened, new Promise<string>((r) => setTimeout(() => r('not within 10 s'), 10_000))]);
      assert.equal(reason, `${file} is an Insomnia v5 file`);
    });
  }

  it('stays shut when ordinary YAML appears, in a new folder or in node_modules', async () => {
    const dir = await plainRepo(5);
    const gate = gateOn(dir);
    await gate.probe;
    await watcherReady(dir);
    await fsp.mkdir(path.join(dir, 'deploy', 'prod'), { recursive: true });
    await fsp.writeFile(path.join(dir, 'deploy', 'prod', 'values.yaml'), 'replicas: 3\n');
    await fsp.mkdir(path.join(dir, 'node_modules', 'late'), { recursive: true });
    await fsp.writeFile(path.join(dir, 'node_modules', 'late', 'collection.yaml'), V5_HEAD);
    // the watcher told the gate about both new folders (or their files), and the gate's looks into them ended
    const told = (p: string) => [...reported].some((r) => p === r || p.startsWith(`${r}${path.sep}`));
    await waitFor('the watcher to report the new files', () => told(path.join(dir, 'deploy', 'prod', 'values.yaml')) && told(path.join(dir, 'node_modules', 'late', 'collection.yaml')), 10_000);
    await gate.settled;
    assert.equal(gate.isOpen, false, `opened: ${gate.reason}`);
  });

  it('opens when an Insomnia v5 file of that folder is opened in an editor; an ordinary YAML file does not', async () => {
    const dir = await plainRepo(3);
    const gate = gateOn(dir);
    await gate.probe;
    await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'openapi.yaml')));
    assert.equal(gate.isOpen, false);
    // in a dot-folder: not a file the store reads, whether the watcher or the open document tells
    const file = path.join(dir, '.drafts', 'collection.yaml');
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(file, V5_HEAD);
    await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    assert.equal(gate.isOpen, false, 'a file in a dot-folder is not one the store reads');
    const other = path.join(dir, 'docs', 'collection.yaml');
    await fsp.mkdir(path.dirname(other), { recursive: true });
    await fsp.writeFile(other, V5_HEAD);
    await vscode.workspace.openTextDocument(vscode.Uri.file(other));
    await waitFor('the gate to open', () => gate.isOpen, 5000);
    assert.match(gate.reason ?? '', /collection\.yaml is an Insomnia v5 file$/);
  });

  it('the probe finds a .insomnia folder below the root', async () => {
    const dir = await plainRepo(3);
    const ws = path.join(dir, 'services', 'billing', '.insomnia', 'Workspace');
    await fsp.mkdir(ws, { recursive: true });
    await fsp.writeFile(path.join(ws, 'wrk_1.yml'), '_id: wrk_1\ntype: Workspace\nname: Billing\n');
    const gate = gateOn(dir);
    const stats = await gate.probe;
    assert.equal(stats?.hit?.kind, 'legacy');
    assert.equal(gate.isOpen, true);
  });
});
