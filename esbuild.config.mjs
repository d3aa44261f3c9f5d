// Builds the shipped bundles: the extension host bundle, the CLI and the git status worker (node/cjs, 'vscode' external).
// `--production` minifies and drops source maps; `--watch` rebuilds on change.
// Type checking is separate: `npm run typecheck` (tsc --noEmit).
import * as esbuild from 'esbuild';

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

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // git status of a whole repository runs in this worker thread, off the extension host's event loop
  { ...common, entryPoints: ['src/git/statusWorker.ts'], outfile: 'dist/statusWorker.js' },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
