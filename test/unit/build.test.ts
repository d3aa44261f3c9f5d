// What activation loads: the extension bundle (dist/extension.js) must hold neither the writers (edit planner, field
// merge, importers, exporters, conversion, and the `yaml` package they use) nor the HTTP engine: they are bundles of
// their own, required on first use (esbuild.config.mjs LAZY_BUNDLES). A static import of one of their modules from
// extension code would put it back into the activation bundle; this catches that, with the import chain that did it.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

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

  it('reaches each lazy bundle through its one module, as a require of a file the build makes', () => {
    const imports = Object.values(metafile.inputs).flatMap((i) => i.imports).filter((i) => i.external).map((i) => i.path);
    for (const lazy of config.LAZY_BUNDLES) assert.ok(imports.includes(lazy.out), `${lazy.importer} requires ${lazy.out}`);
  });
});
