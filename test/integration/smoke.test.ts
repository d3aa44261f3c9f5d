// Smoke test of the harness and the extension in a real VS Code extension host: the vscode API is
// the real one, Hammock is installed (from this checkout, or from its .vsix with --installed) and
// activates, and the workspace is the one test/support/makeTestWorkspace.mjs prepared for this run.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'hammock.hammock';
/** A LogOutputChannel's id is `<extension id>.<name>`; the workbench registers a show command for each channel. */
const OUTPUT_CHANNEL_SHOW_COMMAND = `workbench.action.output.show.${EXTENSION_ID}.Hammock`;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 10000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('smoke: Hammock in a real VS Code', () => {
  const workspace = process.env.HAMMOCK_TEST_WORKSPACE;

  it('runs against the real vscode API (VS Code 1.100)', () => {
    assert.match(vscode.version, /^1\.100\./);
    assert.strictEqual(typeof vscode.commands.executeCommand, 'function');
    assert.ok(vscode.env.appName.length > 0);
  });

  it('opened the prepared workspace folder', () => {
    assert.ok(workspace, 'HAMMOCK_TEST_WORKSPACE is set by the runner');
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.strictEqual(folders.length, 1, `one workspace folder, got ${folders.map((f) => f.uri.toString()).join(', ')}`);
    assert.strictEqual(fs.realpathSync(folders[0].uri.fsPath), fs.realpathSync(workspace));
    // Its content is the one the runner copied: a legacy collection at the root, v5 files in v5/, one commit.
    assert.ok(fs.statSync(path.join(workspace, '.insomnia', 'Workspace')).isDirectory());
    assert.ok(fs.readdirSync(path.join(workspace, 'v5')).some((f) => f.endsWith('.yaml')));
    assert.ok(fs.existsSync(path.join(workspace, '.git', 'HEAD')));
  });

  it('finds the workspace files through the VS Code file search', async () => {
    const found = await vscode.workspace.findFiles('.insomnia/Request/*.yml');
    assert.ok(found.length >= 1, `found ${found.length} legacy request files`);
  });

  // HAMMOCK_TEST_INSTALLED: the run installed the packaged .vsix there (runInCodeServer.mjs --installed)
  const installed = process.env.HAMMOCK_TEST_INSTALLED;

  it(`finds the extension hammock.hammock, ${installed ? 'installed from its .vsix' : 'from this checkout'}`, () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    const manifest = ext.packageJSON as { name: string; publisher: string; main: string };
    assert.strictEqual(`${manifest.publisher}.${manifest.name}`, EXTENSION_ID);
    assert.ok(fs.existsSync(path.join(ext.extensionPath, manifest.main)), `bundle ${manifest.main} is built`);
    const expected = installed ?? process.env.HAMMOCK_PROJECT_ROOT;
    assert.ok(expected, 'the runner names where Hammock comes from');
    assert.strictEqual(fs.realpathSync(ext.extensionPath), fs.realpathSync(expected), 'Hammock is loaded from there');
    if (installed) {
      // the package holds what VS Code loads and nothing of the sources
      assert.ok(!fs.existsSync(path.join(ext.extensionPath, 'src')), 'no sources in the package');
      assert.ok(!fs.existsSync(path.join(ext.extensionPath, 'node_modules')), 'no node_modules in the package');
    }
  });

  it('activates', async () => {
    const ext = vscode.extensions.getExtension<unknown>(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('creates the Hammock output channel', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await waitFor('the Hammock output channel', async () =>
      (await vscode.commands.getCommands(true)).includes(OUTPUT_CHANNEL_SHOW_COMMAND) ? true : undefined);
  });

  it('contributes the Getting Started walkthrough: its five steps, their commands exist, their media are in the extension', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    type Step = { id: string; title: string; description: string; media: { markdown?: string; image?: string } };
    const walkthroughs = (ext.packageJSON as { contributes: { walkthroughs?: { id: string; steps: Step[] }[] } }).contributes.walkthroughs ?? [];
    assert.deepEqual(walkthroughs.map((w) => w.id), ['gettingStarted']);
    const steps = walkthroughs[0].steps;
    assert.deepEqual(steps.map((s) => s.id), ['openCollections', 'setUpSync', 'editAndSend', 'commitAndPush', 'reviewBranch']);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const step of steps) {
      const commands = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
      assert.ok(commands.length > 0, `step ${step.id} offers a command`);
      for (const c of commands) assert.ok(registered.has(c), `step ${step.id}: command ${c} exists`);
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media && fs.existsSync(path.join(ext.extensionPath, media)), `step ${step.id}: ${media} is in the extension`);
    }
    // (That VS Code shows it, and opens it on Hammock's first activation, is checked in the real UI by
    // scripts/walkthroughScreenshot.mjs: in an extension-test window VS Code does not register extensions' walkthroughs.)
  });

  it('registers every command it declares in package.json', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    const declared = ((ext.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? [])
      .map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c));
    assert.ok(missing.length === 0, `declared in package.json but not registered: ${missing.join(', ')}`);
  });
});
