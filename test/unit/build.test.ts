// What activation loads: the extension bundle (dist/extension.js) must hold neither the writers (edit planner, field
// merge, importers, exporters, conversion, and the `yaml` package they use) nor the HTTP engine: they are bundles of
// their own, required on first use (esbuild.config.mjs LAZY_BUNDLES). A static import of one of their modules from
// extension code would put it back into the activation bundle; this catches that, with the import chain that did it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import { StatusWorkerClient } from '../../src/git/statusWorkerClient';

const ROOT = path.resolve(__dirname, '../..');

interface Config {
  LAZY_BUNDLES: { importer: string; request: string; out: string }[];
  lazyBundles: esbuild.Plugin;
}

describe('build: what activation loads', function () {
  this.timeout(60_000);
  let metafile: esbuild.Metafile;
  let config: Config;

  before(async () => {
    config = (await import(pathToFileURL(path.join(ROOT, 'esbuild.config.mjs')).href)) as Config;
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ['src/extension.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      plugins: [config.lazyBundles],
      write: false,
      outfile: 'dist/extension.js',
      metafile: true,
      logLevel: 'silent',
    });
    metafile = result.metafile;
  });

  /** The chain of imports from src/extension.ts to `input`, for the failure message. */
  const chainTo = (input: string): string => {
    const importers = new Map<string, string>();
    for (const [file, info] of Object.entries(metafile.inputs)) for (const imp of info.imports) if (!importers.has(imp.path)) importers.set(imp.path, file);
    const chain = [input];
    for (let at = importers.get(input); at && chain.length < 20; at = importers.get(at)) chain.unshift(at);
    return chain.join(' -> ');
  };

  /** The chains to the modules of `unwanted` that a wanted module imports: where each got in, once. */
  const entries = (unwanted: (file: string) => boolean): string[] => {
    const found = new Set<string>();
    for (const [file, info] of Object.entries(metafile.inputs)) {
      if (unwanted(file)) continue;
      for (const imp of info.imports) if (unwanted(imp.path)) found.add(chainTo(imp.path));
    }
    return [...found].sort();
  };

  it('leaves out the writers and the yaml package', () => {
    const writer = (f: string) => /^src\/collections\/(convert\/|editPlanner\.ts|yamlEdit\.ts|merge3\.ts|writers\.ts)/.test(f) || /node_modules\/yaml\//.test(f);
    assert.deepEqual(entries(writer), []);
  });

  it('leaves out isomorphic-git and pako (dist/isogit.js, loaded on the first git operation)', () => {
    assert.deepEqual(entries((f) => /node_modules\/(isomorphic-git|pako)\//.test(f) || f === 'src/git/isogitEntry.ts'), []);
  });

  it('leaves out the HTTP engine (src/http, undici, nunjucks)', () => {
    const engine = (f: string) => /^src\/http\/(?!types\.ts)/.test(f) || /node_modules\/(undici|nunjucks|tough-cookie|httpsnippet)\//.test(f);
    assert.deepEqual(entries(engine), []);
  });

  it('leaves out the ref readers (dist/refs.js, loaded when a history, preview or review first reads a commit)', () => {
    const readers = (f: string) => /^src\/git\/(refDiff|snapshotAtRef|itemAtRef|collectionHistory|refsEntry)\.ts$/.test(f) || f === 'src/collections/breaking.ts';
    assert.deepEqual(entries(readers), []);
  });

  it("leaves out the import/export commands' bodies (dist/importExport.js, loaded on the first of them)", () => {
    assert.deepEqual(entries((f) => /^src\/importExport\/(importExportHandlers|importSummary|copyAsCurl)\.ts$/.test(f)), []);
  });

  it('reaches each lazy bundle through its one module, as a require of a file the build makes', () => {
    const imports = Object.values(metafile.inputs).flatMap((i) => i.imports).filter((i) => i.external).map((i) => i.path);
    for (const lazy of config.LAZY_BUNDLES) assert.ok(imports.includes(lazy.out), `${lazy.importer} requires ${lazy.out}`);
  });
});

// dist/importExport.js has its own copy of each module it imports: a copy of a class the extension's bundle tells by
// instanceof (Cancelled, the tree's nodes) or of a module with state (the pending edits' registry, the file writer's
// open files, the store) would be a second one. Those cross in `shared` (importExportCommands.ts); the copies it
// holds are these, each pure: the model's walkers, the preview protocol's validator, the clipboard's reads (the
// access given), and the two loaders of the writers and the HTTP engine (each a cached require of the same file
// beside it: Node's module cache gives both bundles the one dist/writers.js and dist/http.js).
describe("build: the import/export commands' bundle", function () {
  this.timeout(60_000);

  it("copies only pure modules of the extension's bundle", async () => {
    const config = (await import(pathToFileURL(path.join(ROOT, 'esbuild.config.mjs')).href)) as Config & { IMPORT_EXPORT_BUILD: esbuild.BuildOptions; sharedNamespaces: esbuild.Plugin };
    const inputs = async (options: esbuild.BuildOptions) =>
      Object.keys((await esbuild.build({ ...options, absWorkingDir: ROOT, write: false, metafile: true, sourcemap: false, logLevel: 'silent' })).metafile.inputs).filter((f) => f.startsWith('src/'));
    const host = new Set(await inputs({ ...config.IMPORT_EXPORT_BUILD, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [config.lazyBundles, config.sharedNamespaces] }));
    const lazy = await inputs(config.IMPORT_EXPORT_BUILD);
    assert.deepEqual(lazy.filter((f) => host.has(f)).sort(), [
      'src/collections/lazyWriters.ts',
      'src/collections/model.ts',
      'src/commands/clipboard.ts',
      'src/importExport/importPreviewProtocol.ts',
      'src/webviews/httpEngine.ts',
    ]);
  });
});

describe("build: js-yaml's loader only (esbuild.config.mjs yamlLoaderOnly)", function () {
  this.timeout(60_000);
  let plugin: esbuild.Plugin;

  before(async () => {
    plugin = ((await import(pathToFileURL(path.join(ROOT, 'esbuild.config.mjs')).href)) as { yamlLoaderOnly: esbuild.Plugin }).yamlLoaderOnly;
  });

  const bundle = async (entry: string, plugins: esbuild.Plugin[]) =>
    esbuild.build({ absWorkingDir: ROOT, entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], plugins, write: false, outfile: 'dist/out.js', metafile: true, logLevel: 'silent' });

  // the dumper was some 10 KB of each of these bundles, which only read YAML
  for (const entry of ['src/extension.ts', 'src/collections/legacyWorker.ts', 'src/git/refsEntry.ts']) {
    it(`${entry}: js-yaml without its dumper`, async () => {
      const config = (await import(pathToFileURL(path.join(ROOT, 'esbuild.config.mjs')).href)) as Config & { sharedNamespaces: esbuild.Plugin };
      const inputs = Object.keys((await bundle(entry, [config.lazyBundles, config.sharedNamespaces, plugin])).metafile.inputs);
      assert.ok(inputs.some((f) => f.endsWith('js-yaml/lib/loader.js')), 'the loader is in');
      assert.deepEqual(inputs.filter((f) => /js-yaml\/(dist\/|lib\/dumper\.js|index\.js)/.test(f)), []);
    });
  }

  it('parses as the js-yaml package does, errors included', async () => {
    const probe = `import { load, CORE_SCHEMA, Schema, Type } from 'js-yaml';
module.exports = (text) => { try { return { value: load(text, { schema: CORE_SCHEMA }) }; } catch (e) { return { error: e.name + ': ' + e.message, mark: e.mark && e.mark.line }; } };
module.exports.kinds = [typeof Schema, typeof Type];`;
    const result = await esbuild.build({ stdin: { contents: probe, resolveDir: ROOT }, bundle: true, platform: 'node', format: 'cjs', plugins: [plugin], write: false, logLevel: 'silent' });
    const mod = { exports: {} as ((text: string) => unknown) & { kinds?: string[] } };
    new Function('module', 'require', result.outputFiles[0]!.text)(mod, require);
    const jsYaml = require('js-yaml') as typeof import('js-yaml');
    const theirs = (text: string) => {
      try {
        return { value: jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }) };
      } catch (e) {
        const err = e as { name: string; message: string; mark?: { line: number } };
        return { error: `${err.name}: ${err.message}`, mark: err.mark && err.mark.line };
      }
    };
    assert.deepEqual(mod.exports.kinds, ['function', 'function']);
    const fixture = path.join(ROOT, 'test/fixtures/v5/kong-example/my_design_document.yaml');
    for (const text of [require('node:fs').readFileSync(fixture, 'utf8') as string, 'a: 1\nb: [x, "y", 0x1F, 1e3, true, null, ~]\nc: |\n  two\n  lines\n', 'a: 1\n  b: 2\n', 'key: "unclosed\n', '- !!binary aGk=\n']) {
      assert.deepEqual(mod.exports(text), theirs(text));
    }
  });
});

describe('build: the status worker', function () {
  this.timeout(120_000);
  let out: string;
  let inputs: string[];
  let warnings: string[];

  before(async () => {
    const { STATUS_WORKER_BUILD } = (await import(pathToFileURL(path.join(ROOT, 'esbuild.config.mjs')).href)) as Record<string, esbuild.BuildOptions>;
    // the worker as esbuild.config.mjs builds it, with dist/isogit.js beside it, in a scratch folder
    out = mkdtempSync(path.join(os.tmpdir(), 'hammock-worker-build-'));
    const result = await esbuild.build({ ...STATUS_WORKER_BUILD, absWorkingDir: ROOT, outfile: path.join(out, 'statusWorker.js'), metafile: true, sourcemap: false, logLevel: 'silent' });
    await esbuild.build({ ...STATUS_WORKER_BUILD, absWorkingDir: ROOT, entryPoints: ['src/git/isogitEntry.ts'], outfile: path.join(out, 'isogit.js'), plugins: [], sourcemap: false, logLevel: 'silent' });
    inputs = Object.keys(result.metafile!.inputs);
    warnings = result.warnings.map((w) => w.text);
  });

  after(() => rmSync(out, { recursive: true, force: true }));

  // every worker start parses its bundle: isomorphic-git and pako were 200 of its 265 kB, for cases a status rarely meets
  it('leaves out isomorphic-git and pako', () => {
    assert.deepEqual(inputs.filter((f) => /node_modules\/(isomorphic-git|pako)\//.test(f) || f === 'src/git/isogitEntry.ts'), []);
  });

  // (a member of a lazily required built-in that is not a function would be undefined in the bundle: esbuild warns)
  it('builds without warnings', () => {
    assert.deepEqual(warnings, []);
  });

  // fs/promises (and the dozen Node modules it loads) and os are required on first use, not at each worker start
  it('requires neither fs/promises nor os as it starts', async () => {
    const loaded = await new Promise<string[]>((resolve, reject) => {
      const w = new Worker(
        `const before = new Set(process.moduleLoadList);
        require(${JSON.stringify(path.join(out, 'statusWorker.js'))});
        require('worker_threads').parentPort.postMessage({ loaded: process.moduleLoadList.filter((m) => !before.has(m)) });`,
        { eval: true },
      );
      w.on('message', (m: { loaded?: string[] }) => {
        if (!m.loaded) return;
        resolve(m.loaded);
        void w.terminate();
      });
      w.on('error', reject);
    });
    assert.deepEqual(loaded.filter((m) => /^NativeModule (fs\/promises|os|internal\/fs\/promises)$/.test(m)), []);
  });

  it('its lazily required fs/promises and os are the real modules when used', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hammock-lazy-builtins-'));
    try {
      const { lazyBuiltins } = (await import(pathToFileURL(path.join(ROOT, 'esbuild.config.mjs')).href)) as { lazyBuiltins: esbuild.Plugin };
      const file = path.join(dir, 'probe.js');
      writeFileSync(path.join(dir, 'probe.txt'), 'read through the shim');
      await esbuild.build({
        stdin: {
          contents: `import * as fsp from 'fs/promises'; import { homedir } from 'node:os';
          module.exports = fsp.readFile(${JSON.stringify(path.join(dir, 'probe.txt'))}, 'utf8').then((text) => ({ text, home: homedir() }));`,
          resolveDir: dir,
        },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        outfile: file,
        plugins: [lazyBuiltins],
        logLevel: 'silent',
      });
      assert.deepEqual(await (require(file) as Promise<{ text: string; home: string }>), { text: 'read through the shim', home: os.homedir() });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a new worker\'s first status, with this thread\'s lstats beside it, agrees with git', async () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'hammock-worker-repo-'));
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' });
    const worker = new StatusWorkerClient(path.join(out, 'statusWorker.js'));
    try {
      git('init', '-q', '-b', 'main');
      for (let i = 0; i < 1000; i++) writeFileSync(path.join(repo, `f${i}.txt`), `${i}\n`);
      git('add', '-A');
      git('commit', '-qm', 'one');
      writeFileSync(path.join(repo, 'f7.txt'), 'changed\n');
      writeFileSync(path.join(repo, 'f999.txt'), 'changed too\n');
      writeFileSync(path.join(repo, 'new.txt'), 'new\n');
      const st = await worker.compute({ dir: repo, gitdir: path.join(repo, '.git') });
      assert.deepEqual(st.changes, [{ path: 'f7.txt', kind: 'modified' }, { path: 'f999.txt', kind: 'modified' }, { path: 'new.txt', kind: 'untracked' }]);
      assert.equal(git('status', '--porcelain'), ' M f7.txt\n M f999.txt\n?? new.txt\n');
    } finally {
      worker.dispose();
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('loads isomorphic-git from the isogit.js beside it when a status needs it (HEAD not given), and agrees with git', async () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'hammock-worker-repo-'));
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' });
    const worker = new StatusWorkerClient(path.join(out, 'statusWorker.js'));
    try {
      git('init', '-q', '-b', 'main');
      writeFileSync(path.join(repo, 'a.txt'), 'a\n');
      writeFileSync(path.join(repo, 'b.txt'), 'b\n');
      git('add', '-A');
      git('commit', '-qm', 'one');
      writeFileSync(path.join(repo, 'a.txt'), 'changed\n');
      writeFileSync(path.join(repo, 'new.txt'), 'new\n');
      git('rm', '-q', '--cached', 'b.txt');
      const st = await worker.compute({ dir: repo });
      assert.deepEqual(
        { staged: st.staged, changes: st.changes },
        { staged: [{ path: 'b.txt', kind: 'deleted' }], changes: [{ path: 'a.txt', kind: 'modified' }, { path: 'b.txt', kind: 'untracked' }, { path: 'new.txt', kind: 'untracked' }] },
      );
      assert.equal(git('status', '--porcelain'), ' M a.txt\nD  b.txt\n?? b.txt\n?? new.txt\n');
    } finally {
      worker.dispose();
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
