// Builds the shipped bundles: the extension host bundle, the HTTP engine and the writers it loads on first use, the CLI
// and the git status worker (node/cjs, 'vscode' external), and the webview UIs.
// `--production` minifies and drops source maps; `--watch` rebuilds on change.
// Type checking is separate: `npm run typecheck` (tsc --noEmit).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSandbox, noTemplateWatcher } from './scripts/sandboxBuild.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  legalComments: 'none',
  external: ['vscode'],
  logLevel: 'warning',
};

/**
 * Bundles of their own, loaded on first use: the extension reaches each only through one small module whose
 * require(request) becomes require('<out>'), a file beside the bundle that requires it (all of them are in dist/).
 * - the HTTP engine, through src/webviews/httpEngine.ts's require('../http'): when a request editor first needs it;
 * - the writers (edit planner, field merge, importers, exporters, conversion, and the `yaml` package they use),
 *   through src/collections/lazyWriters.ts's require('./writers'): on the first edit, merge, import or export;
 * - git's merge (line merge, renames, merge bases, tree merge: pure code), through src/git/lazyMerge.ts's
 *   require('./plumbing/mergeEngine'): on the first merge, pull preview or Merge in Editor;
 * - isomorphic-git (and pako), through src/git/isogit.ts's require('./isogitEntry'): on the first git operation,
 *   which activation runs only after the collections are read (the repositories open then);
 * - git's configuration as git resolves it (config files, includes, the author), through src/git/lazyIdentity.ts's
 *   require('./gitIdentity'): on the first look at a remote's URL, a merge's message or the author;
 * - the pack indexer, through src/git/lazyPackIndexer.ts's require('./packIndexer'): on the first pack the extension
 *   host itself receives (a clone or fetch normally runs in the transfer worker, whose bundle holds it);
 * - the ref readers (a request-level diff between refs, a collection at a ref, the commits that touched collections,
 *   breaking changes), through src/git/lazyRefs.ts's require('./refsEntry'): when the History view, the incoming
 *   preview or a review first reads a commit;
 * - the bodies of the import/export commands (Import..., Export, Convert, Copy as cURL: their dialogs, the import's
 *   summary), through src/importExport/importExportCommands.ts's require('./importExportHandlers'): on the first
 *   invocation of one of them (the commands themselves are registered at activation). Its own copies of what it
 *   imports must hold no state and no class told by instanceof: those come from the extension's bundle (`shared`).
 * Activation loads none of them. (The CLI, not in the .vsix, bundles them all as it needs them.)
 */
export const LAZY_BUNDLES = [
  { importer: 'src/webviews/httpEngine.ts', request: '../http', out: './http.js' },
  { importer: 'src/collections/lazyWriters.ts', request: './writers', out: './writers.js' },
  { importer: 'src/git/lazyMerge.ts', request: './plumbing/mergeEngine', out: './gitMerge.js' },
  { importer: 'src/git/isogit.ts', request: './isogitEntry', out: './isogit.js' },
  { importer: 'src/git/lazyIdentity.ts', request: './gitIdentity', out: './gitIdentity.js' },
  { importer: 'src/git/lazyPackIndexer.ts', request: './packIndexer', out: './packIndexer.js' },
  { importer: 'src/git/lazyRefs.ts', request: './refsEntry', out: './refs.js' },
  { importer: 'src/importExport/importExportCommands.ts', request: './importExportHandlers', out: './importExport.js' },
];
export const lazyBundles = {
  name: 'lazy-bundles',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const importer = args.importer.replace(/\\/g, '/');
      const lazy = LAZY_BUNDLES.find((l) => l.request === args.path && importer.endsWith(l.importer));
      return lazy ? { path: lazy.out, external: true } : undefined;
    });
  },
};

/**
 * One namespace object per module the extension's bundle requires from outside ('vscode', and the Node built-ins
 * most files import). esbuild turns each file's `import * as vscode from 'vscode'` into its own
 * `__toESM(require("vscode"))`, a copy of the whole API (hundreds of getters) per importing file: 37 copies of
 * 'vscode' and about 90 of path/fs/crypto while the bundle loads, before activate() runs (measured: requiring the bundle
 * took 50 ms of CPU, 35 ms with one copy each). Through one ESM module that re-exports it, each is copied once and
 * every importer shares that namespace. (No file default-imports them, which `export *` would not carry.)
 */
const SHARED_NAMESPACES = /^(vscode|path|node:path|fs|node:fs|fs\/promises|crypto|node:crypto)$/;
export const sharedNamespaces = {
  name: 'shared-namespaces',
  setup(build) {
    build.onResolve({ filter: SHARED_NAMESPACES }, (args) =>
      args.namespace === 'shared-namespace' ? { path: args.path, external: true } : { path: args.path, namespace: 'shared-namespace' },
    );
    build.onLoad({ filter: /.*/, namespace: 'shared-namespace' }, (args) => ({ contents: `export * from ${JSON.stringify(args.path)};`, loader: 'js' }));
  },
};

/**
 * Node built-ins the status worker's code imports but a first status does not use (fs/promises: its bundle reads
 * synchronously; os: for a home folder a clean status never looks up), required on first use instead of as the bundle
 * loads: requiring fs/promises loads a dozen more of Node's modules (readline, fs watchers, dir) into each new worker,
 * about 2 ms of its start (CPU time to the worker's ready message: 25.5 and 26.9 ms with them, 23.2 and 25.0
 * without, 21 runs each, interleaved; an empty worker takes 21). Each function of the module is exported as one that
 * requires it and calls through; other members (fs/promises's `constants`, os.EOL) are not exported, and esbuild warns
 * (import-is-undefined) if the bundle ever reads one (test/unit/build.test.ts holds the build to no warnings).
 */
const LAZY_BUILTINS = /^(node:)?(fs\/promises|os)$/;
export const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: LAZY_BUILTINS }, (args) =>
      args.namespace === 'lazy-builtin' ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy-builtin' },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async (args) => {
      const mod = await import(args.path);
      const names = Object.keys(mod).filter((k) => k !== 'default' && typeof mod[k] === 'function');
      const calls = names.map((n) => `export function ${n}(...a) { return m().${n}(...a); }`);
      return { contents: `let mod;\nconst m = () => (mod ??= require(${JSON.stringify(args.path)}));\n${calls.join('\n')}\n`, loader: 'js' };
    });
  },
};

/**
 * js-yaml without its dumper, for the bundles that only read YAML (the extension's, the legacy read worker's, the ref
 * readers'). esbuild cannot drop the dumper from js-yaml's ESM build when only `load` is imported (its module-level
 * code keeps it): some 15 KB of each bundle. This gives `js-yaml` as the package's own loader, schemas and types
 * (its lib/ files, the same code its index.js puts together), and no `dump`: a bundle that imports `dump` fails to
 * build here. Writing YAML with js-yaml is the writers' (dist/writers.js).
 */
const JS_YAML_DIR = path.dirname(createRequire(import.meta.url).resolve('js-yaml/package.json'));
export const yamlLoaderOnly = {
  name: 'js-yaml-loader-only',
  setup(build) {
    build.onResolve({ filter: /^js-yaml$/ }, () => ({ path: 'js-yaml', namespace: 'js-yaml-loader-only' }));
    build.onLoad({ filter: /.*/, namespace: 'js-yaml-loader-only' }, () => ({
      resolveDir: JS_YAML_DIR,
      loader: 'js',
      contents: [
        "import loader from './lib/loader.js';",
        'export const load = loader.load;',
        'export const loadAll = loader.loadAll;',
        "export { default as Type } from './lib/type.js';",
        "export { default as Schema } from './lib/schema.js';",
        "export { default as FAILSAFE_SCHEMA } from './lib/schema/failsafe.js';",
        "export { default as JSON_SCHEMA } from './lib/schema/json.js';",
        "export { default as CORE_SCHEMA } from './lib/schema/core.js';",
        "export { default as DEFAULT_SCHEMA } from './lib/schema/default.js';",
        "export { default as YAMLException } from './lib/exception.js';",
      ].join('\n'),
    }));
  },
};

/**
 * git status of a whole repository runs in this worker thread, off the extension host's event loop. Every worker
 * start parses the bundle, so it is kept small: isomorphic-git, which status needs only in rare cases (a submodule's
 * HEAD, HEAD not given), is dist/isogit.js beside it, required on first use (test/unit/build.test.ts). Its Node
 * built-ins are shared namespaces, as in the extension's bundle (9 copies of their exports made at start, not 36).
 */
export const STATUS_WORKER_BUILD = { ...common, entryPoints: ['src/git/statusWorker.ts'], outfile: 'dist/statusWorker.js', plugins: [lazyBuiltins, lazyBundles, sharedNamespaces] };

/**
 * The import/export commands' bodies, required on their first invocation (see LAZY_BUNDLES; the writers and the HTTP
 * engine stay the lazy bundles they are in the extension's). test/unit/build.test.ts lists the modules it shares with
 * the extension's bundle, as copies.
 */
export const IMPORT_EXPORT_BUILD = { ...common, entryPoints: ['src/importExport/importExportHandlers.ts'], outfile: 'dist/importExport.js', plugins: [lazyBundles, sharedNamespaces] };

const builds = [
  // the banner notes when the bundle starts loading, and the extension host's CPU time then (api.timings: the
  // bench's tree_ready_10k_ms counts from there). Its text as UTF-8 (Node reads every module so), not `\u2026`
  // escapes: the words' arrows, bullets and ellipses cost 3 bytes each, not 6. (Not for the webviews' bundles.)
  { ...common, charset: 'utf8', entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [lazyBundles, sharedNamespaces, yamlLoaderOnly], banner: { js: '"use strict";\nvar __hammockBundleStart = performance.now(), __hammockBundleCpu = process.cpuUsage();' } },
  // the HTTP engine, the writers and git's merge, required on first use (see LAZY_BUNDLES)
  { ...common, entryPoints: ['src/http/index.ts'], outfile: 'dist/http.js', plugins: [noTemplateWatcher] },
  { ...common, entryPoints: ['src/collections/writers.ts'], outfile: 'dist/writers.js' },
  { ...common, entryPoints: ['src/git/plumbing/mergeEngine.ts'], outfile: 'dist/gitMerge.js' },
  { ...common, entryPoints: ['src/git/isogitEntry.ts'], outfile: 'dist/isogit.js' },
  { ...common, entryPoints: ['src/git/gitIdentity.ts'], outfile: 'dist/gitIdentity.js' },
  { ...common, entryPoints: ['src/git/packIndexer.ts'], outfile: 'dist/packIndexer.js' },
  // (isomorphic-git, git's merge and configuration stay the lazy bundles they are in the extension's)
  { ...common, entryPoints: ['src/git/refsEntry.ts'], outfile: 'dist/refs.js', plugins: [lazyBundles, sharedNamespaces, yamlLoaderOnly] },
  IMPORT_EXPORT_BUILD,
  // the CLI bundles the writers itself (one copy of their error classes, which it tells apart by instanceof)
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  STATUS_WORKER_BUILD,
  // the first load of a large legacy folder reads and parses its files in this worker thread (collections/legacyReader.ts)
  { ...common, entryPoints: ['src/collections/legacyWorker.ts'], outfile: 'dist/legacyWorker.js', plugins: [yamlLoaderOnly] },
  // an edit of a request with a large body is planned in this worker thread (collections/planOffThread.ts)
  { ...common, entryPoints: ['src/collections/planWorker.ts'], outfile: 'dist/planWorker.js' },
  // clone and fetch receive, index and check out packs in this worker thread (isomorphic-git bundled inline)
  { ...common, entryPoints: ['src/git/transferWorker.ts'], outfile: 'dist/transferWorker.js' },
  // the webview UIs (request editor, response viewer, import preview): browser bundles, each with its CSS, into dist/webview
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    entryPoints: { editor: 'src/webviews/ui/editor.ts', response: 'src/webviews/ui/response.ts', importPreview: 'src/webviews/ui/importPreview.ts', environments: 'src/webviews/ui/environments.ts' },
    outdir: 'dist/webview',
  },
];

// Run as a script, it builds; imported (test/unit/build.test.ts), it only gives LAZY_BUNDLES and lazyBundles.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // codicons: the only other resource the webviews load (localResourceRoots is dist/webview)
  mkdirSync('dist/webview/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) cpSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/webview/codicons/${f}`);

  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
    await buildSandbox({ outdir: 'dist', production });
  } else {
    // the script sandbox (src/http/scripts): dist/scriptWorker.js and dist/sandbox/ (runtime and module bundles)
    await Promise.all([...builds.map((b) => esbuild.build(b)), buildSandbox({ outdir: 'dist', production })]);
  }
}
