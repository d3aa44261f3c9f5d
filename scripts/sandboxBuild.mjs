// Builds the script sandbox (src/http/scripts): the worker (node), the runtime evaluated inside the worker's vm
// context, and one bundle per module a script may `require` (loaded into the context on first use). Used by
// esbuild.config.mjs for dist/, and by the tests to build a copy of their own (test/support/sandbox.ts).
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shims = path.join(root, 'src/http/scripts/sandbox/shims');

/** nunjucks requires chokidar only to watch template folders, which Hammock never asks it to do (the HTTP engine's
 * bundle and the script worker's, which renders templates too, both leave it out). */
export const noTemplateWatcher = {
  name: 'no-template-watcher',
  setup(build) {
    build.onResolve({ filter: /^(chokidar|fsevents)$/ }, (args) => ({ path: args.path, namespace: 'unused' }));
    build.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/** The worker's `require('nunjucks')` becomes `require('./sandbox/nunjucks.js')`, beside the worker's bundle. */
const sandboxNunjucks = {
  name: 'sandbox-nunjucks',
  setup(build) {
    build.onResolve({ filter: /^nunjucks$/ }, () => ({ path: './sandbox/nunjucks.js', external: true }));
  },
};

/** require name -> what the bundle exports (Insomnia's requireInterceptor list; node modules as their browser versions). */
export const SANDBOX_MODULES = {
  lodash: 'module.exports = require("lodash");',
  moment: 'module.exports = require("moment");',
  ajv: 'module.exports = require("ajv");',
  'crypto-js': 'module.exports = require("crypto-js");',
  tv4: 'module.exports = require("tv4");',
  uuid: 'module.exports = require("uuid");',
  xml2js: 'module.exports = require("xml2js");',
  'csv-parse/lib/sync': 'module.exports = require("csv-parse/sync");',
  cheerio: 'module.exports = require("cheerio");',
  path: 'module.exports = require("path-browserify");',
  assert: 'module.exports = require("assert/");',
  buffer: 'module.exports = require("buffer/");',
  util: 'module.exports = require("util/");',
  url: 'module.exports = require("url/");',
  punycode: 'module.exports = require("punycode/");',
  querystring: 'module.exports = require("querystring-es3");',
  string_decoder: 'module.exports = require("string_decoder/");',
  stream: 'module.exports = require("stream-browserify");',
  events: 'module.exports = require("events/");',
  timers: `module.exports = require(${JSON.stringify(path.join(shims, 'timers.js'))});`,
};

/** The file name of a module's bundle (`csv-parse/lib/sync` -> `csv-parse_lib_sync.js`). */
export function moduleFile(name) {
  return `${name.replace(/[^a-z0-9_-]/gi, '_')}.js`;
}

const nodeAliases = {
  path: 'path-browserify',
  assert: 'assert/',
  buffer: 'buffer/',
  util: 'util/',
  url: 'url/',
  punycode: 'punycode/',
  querystring: 'querystring-es3',
  string_decoder: 'string_decoder/',
  stream: 'stream-browserify',
  events: 'events/',
  timers: path.join(shims, 'timers.js'),
};

/** Builds the sandbox into `outdir` (the worker at `outdir/scriptWorker.js`, the rest under `outdir/sandbox/`). */
// (`production` is accepted for the callers: the sandbox is minified in every build)
export async function buildSandbox({ outdir: out, logLevel = 'warning' }) {
  // relative to the caller's working directory (a staging folder builds its own dist/), sources from this project
  const outdir = path.resolve(out);
  const common = {
    bundle: true,
    // minified in every build, as the .vsix ships it: every worker start parses the worker and the runtime, and the
    // tests and the bench then measure the sandbox users run (nothing reads these bundles' own names or lines)
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel,
    absWorkingDir: root,
    nodePaths: [path.join(root, 'node_modules')],
  };
  // strict mode throughout: no sloppy-mode function of the worker can be reached through a stack trace's call sites
  const strict = { js: '"use strict";' };
  const builds = [
    // nunjucks (for `replaceIn`) is a bundle of its own, sandbox/nunjucks.js, required on first use: inside the worker's
    // bundle, every worker start parsed it for the few scripts that render
    { ...common, platform: 'node', format: 'cjs', target: 'node20', banner: strict, entryPoints: [path.join(root, 'src/http/scripts/scriptWorker.ts')], outfile: path.join(outdir, 'scriptWorker.js'), plugins: [noTemplateWatcher, sandboxNunjucks] },
    { ...common, platform: 'node', format: 'cjs', target: 'node20', banner: strict, stdin: { contents: 'module.exports = require("nunjucks");', resolveDir: root, loader: 'js', sourcefile: 'sandbox-nunjucks.js' }, outfile: path.join(outdir, 'sandbox', 'nunjucks.js'), plugins: [noTemplateWatcher] },
    { ...common, platform: 'neutral', format: 'cjs', target: 'es2022', banner: strict, mainFields: ['browser', 'module', 'main'], entryPoints: [path.join(root, 'src/http/scripts/sandbox/runtime.ts')], outfile: path.join(outdir, 'sandbox', 'runtime.js') },
    ...Object.entries(SANDBOX_MODULES).map(([name, contents]) => ({
      ...common,
      platform: 'browser',
      format: 'cjs',
      target: 'es2020',
      stdin: { contents, resolveDir: root, loader: 'js', sourcefile: `sandbox-module-${name}.js` },
      outfile: path.join(outdir, 'sandbox', 'modules', moduleFile(name)),
      alias: nodeAliases,
      inject: [path.join(shims, 'nodeGlobals.js')],
      define: { global: 'globalThis' },
    })),
  ];
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
