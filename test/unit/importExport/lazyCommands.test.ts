// The import/export commands are registered at activation, their bodies are dist/importExport.js, a bundle of its own
// required on the first invocation (esbuild.config.mjs LAZY_BUNDLES). Checked on the bundles as the build makes them,
// in a fresh Node process with a stand-in for 'vscode': registering them loads nothing, the first command loads the
// bundle, and a cancel there (Escape on its first question) is the extension bundle's Cancelled, which the command
// wrapper shows as nothing, not a second copy of the class it would show as an error.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '../../..');

/** Every `vscode.X` the sources name: the stand-in's members (a bundle copies a namespace's own keys only). */
function vscodeNames(): string[] {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith('.ts')) for (const m of readFileSync(file, 'utf8').matchAll(/\bvscode\.([A-Za-z_]\w*)/g)) names.add(m[1]);
    }
  };
  walk(path.join(ROOT, 'src'));
  return [...names];
}

/** 'vscode' for the bundles: the members the commands use here, anything else a callable, constructible stand-in. */
const STUB = (names: string[]) => `
const any = (name) => new Proxy(function () {}, {
  get: (t, k) => (k === 'then' ? undefined : k in t ? t[k] : (t[k] = any(name + '.' + String(k)))),
  apply: () => any(name + '()'),
  construct: () => any('new ' + name),
});
const vscode = {};
for (const n of ${JSON.stringify(names)}) vscode[n] = any(n);
const commands = new Map();
const errors = [];
Object.assign(vscode, {
  UIKind: { Desktop: 1, Web: 2 },
  env: { uiKind: 1, clipboard: { readText: () => Promise.resolve('') } },
  commands: { registerCommand: (id, fn) => (commands.set(id, fn), { dispose() {} }), executeCommand: (id, ...a) => commands.get(id)(...a) },
  window: { showQuickPick: () => Promise.resolve(undefined), showErrorMessage: (m) => (errors.push(m), Promise.resolve(undefined)),
    showWarningMessage: (m) => (errors.push(m), Promise.resolve(undefined)), showInformationMessage: (m) => (errors.push(m), Promise.resolve(undefined)) },
  __errors: errors,
});
module.exports = vscode;
`;

/** Registers the commands from `dir`/host.js, runs hammock.import with no arguments on a store with `roots`. */
const RUN = (roots: string[]) => `
const vscode = require('vscode');
const bundle = (name) => Object.keys(require.cache).some((k) => k.endsWith(require('path').sep + name));
const { registerImportExportCommands } = require('./host.js');
const log = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, show() {} };
registerImportExportCommands({ store: { workspaceRoots: ${JSON.stringify(roots)}, collections: [] }, log });
const atRegistration = bundle('importExport.js');
vscode.commands.executeCommand('hammock.import').then((result) => {
  console.log(JSON.stringify({ atRegistration, afterCommand: bundle('importExport.js'), result: result === undefined ? 'undefined' : result, shown: vscode.__errors }));
});
`;

describe('import/export commands: their bodies a bundle of their own (dist/importExport.js)', function () {
  this.timeout(120_000);
  let dir: string;

  before(async () => {
    const config = (await import(pathToFileURL(path.join(ROOT, 'esbuild.config.mjs')).href)) as {
      IMPORT_EXPORT_BUILD: esbuild.BuildOptions;
      lazyBundles: esbuild.Plugin;
      sharedNamespaces: esbuild.Plugin;
    };
    dir = mkdtempSync(path.join(os.tmpdir(), 'hammock-lazy-import-'));
    const build = (options: esbuild.BuildOptions) => esbuild.build({ ...options, absWorkingDir: ROOT, sourcemap: false, logLevel: 'silent' });
    // the registering module as the extension's bundle has it, and the lazy bundle beside it
    await build({ ...config.IMPORT_EXPORT_BUILD, entryPoints: ['src/importExport/importExportCommands.ts'], outfile: path.join(dir, 'host.js'), plugins: [config.lazyBundles, config.sharedNamespaces] });
    await build({ ...config.IMPORT_EXPORT_BUILD, outfile: path.join(dir, 'importExport.js') });
    mkdirSync(path.join(dir, 'node_modules/vscode'), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules/vscode/index.js'), STUB(vscodeNames()));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (roots: string[]) => {
    writeFileSync(path.join(dir, 'run.js'), RUN(roots));
    const out = execFileSync(process.execPath, [path.join(dir, 'run.js')], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    return JSON.parse(out.trim().split('\n').pop()!) as { atRegistration: boolean; afterCommand: boolean; result: unknown; shown: string[] };
  };

  it('registering loads no body; Escape on the first question of Import... loads it and shows nothing', () => {
    assert.deepEqual(run(['/nowhere']), { atRegistration: false, afterCommand: true, result: 'undefined', shown: [] });
  });

  it("an error of a body is shown, once, by the extension's command wrapper", () => {
    const r = run([]);
    assert.deepEqual(r.shown, ['Hammock: Open a folder first: an import is written into the workspace.']);
  });
});
