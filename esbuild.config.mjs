// Builds the shipped bundles: the extension host bundle, the CLI and the git status worker (node/cjs, 'vscode' external).
// `--production` minifies and drops source maps; `--watch` rebuilds on change.
// Type checking is separate: `npm run typecheck` (tsc --noEmit).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { buildSandbox } from './scripts/sandboxBuild.mjs';

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
 * The extension bundle reaches the HTTP engine only through src/webviews/httpEngine.ts's require('../http'):
 * it becomes require('./http.js'), the engine's own bundle, loaded when a request editor first needs it.
 */
const lazyHttpEngine = {
  name: 'lazy-http-engine',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/http$/ }, (args) =>
      args.importer.replace(/\\/g, '/').endsWith('src/webviews/httpEngine.ts') ? { path: './http.js', external: true } : undefined,
    );
  },
};

/** nunjucks requires chokidar only to watch template folders, which Hammock never asks it to do. */
const noTemplateWatcher = {
  name: 'no-template-watcher',
  setup(build) {
    build.onResolve({ filter: /^(chokidar|fsevents)$/ }, (args) => ({ path: args.path, namespace: 'unused' }));
    build.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

const builds = [
  // the banner notes when the bundle starts loading (api.timings: the bench's tree_ready_10k_ms counts from there)
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [lazyHttpEngine], banner: { js: '"use strict";\nvar __hammockBundleStart = performance.now();' } },
  // the HTTP engine, required by the extension bundle on first use (see lazyHttpEngine)
  { ...common, entryPoints: ['src/http/index.ts'], outfile: 'dist/http.js', plugins: [noTemplateWatcher] },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // git status of a whole repository runs in this worker thread, off the extension host's event loop
  { ...common, entryPoints: ['src/git/statusWorker.ts'], outfile: 'dist/statusWorker.js' },
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
    entryPoints: { editor: 'src/webviews/ui/editor.ts', response: 'src/webviews/ui/response.ts', importPreview: 'src/webviews/ui/importPreview.ts' },
    outdir: 'dist/webview',
  },
];

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
