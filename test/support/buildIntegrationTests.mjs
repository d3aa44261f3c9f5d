// Builds the integration suites to JS for the extension host: every .ts file under
// test/<suite>/ becomes out/test/<suite>/<same path>.js. Each file is bundled on its own so that a
// test may import project code by relative path (src/..., test helpers), while 'vscode' and every
// package (mocha, yaml, ...) stay external and are resolved at run time from node_modules.
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { projectRoot } from './makeTestWorkspace.mjs';

export const ENTRY_SUITE = 'test/integration'; // holds index.ts, the mocha entry of every run

/**
 * @param {string} suiteDir project-relative folder, e.g. 'test/integration' or 'test/integration-bad'
 * @returns {Promise<{ outDir: string, files: { source: string, output: string }[] }>}
 *   files: every built file, source project-relative ('test/integration/smoke.test.ts'), output absolute
 */
export async function buildIntegrationTests(suiteDir) {
  const srcDir = path.join(projectRoot, suiteDir);
  const outDir = path.join(projectRoot, 'out', suiteDir);
  if (!fs.existsSync(srcDir)) throw new Error(`no test folder ${srcDir}`);
  const sources = listTs(srcDir).map((f) => path.relative(projectRoot, f));
  if (sources.length === 0) throw new Error(`no .ts files in ${suiteDir}`);
  const result = await esbuild.build({
    absWorkingDir: projectRoot,
    entryPoints: sources,
    outbase: suiteDir,
    outdir: outDir,
    bundle: true,
    packages: 'external',
    external: ['vscode'],
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
    metafile: true,
  });
  // No stale test from a renamed or deleted source. (The folder is not emptied first: another run
  // may be loading its files right now.)
  const written = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(projectRoot, f)));
  for (const f of listFiles(outDir)) if (!written.has(f)) fs.rmSync(f, { force: true });
  return {
    outDir,
    files: sources.map((source) => ({
      source: source.split(path.sep).join('/'),
      output: path.join(outDir, path.relative(suiteDir, source)).replace(/\.ts$/, '.js'),
    })),
  };
}

/** @param {string} dir @returns {string[]} */
function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** @param {string} dir @returns {string[]} */
function listTs(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/**
 * Picks the test files to run: those whose project-relative source path matches one of the globs
 * (`*` within a path segment, `**` across segments, `?` one character). A pattern without a glob
 * character also matches as a path prefix ('test/integration/tree' picks that folder) and, without
 * a slash, as part of the file name ('smoke' picks test/integration/smoke.test.ts).
 * @param {{ source: string, output: string }[]} files
 * @param {string[]} patterns empty = every '*.test.ts'
 */
export function selectTestFiles(files, patterns) {
  const tests = files.filter((f) => f.source.endsWith('.test.ts'));
  if (patterns.length === 0) return tests;
  const matchers = patterns.map((p) => {
    const norm = p.replace(/\\/g, '/').replace(/^\.\//, '');
    const re = globToRegExp(norm);
    const plain = !/[*?]/.test(norm);
    return (s) => re.test(s)
      || (plain && (s === norm || s.startsWith(norm.replace(/\/?$/, '/'))))
      || (plain && !norm.includes('/') && path.posix.basename(s).includes(norm));
  });
  return tests.filter((f) => matchers.some((m) => m(f.source)));
}

/** @param {string} glob */
function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
