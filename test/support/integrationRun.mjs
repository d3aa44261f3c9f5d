// What both integration runners (runInCodeServer.mjs, runInElectron.mjs) share: their command line,
// building and picking the tests, the workspace and environment the tests get, and reading the
// results the mocha entry (test/integration/index.ts) logs.
import fs from 'node:fs';
import path from 'node:path';
import { buildIntegrationTests, selectTestFiles, ENTRY_SUITE } from './buildIntegrationTests.mjs';
import { fixturesDir, makeTestWorkspace, projectRoot } from './makeTestWorkspace.mjs';

/** Lines the mocha entry logs for the runners (see test/integration/index.ts). */
export const RESULT_MARKER = '[hammock:result]';
export const TEST_MARKER = '[hammock:test]';

export const RUN_OPTIONS_HELP = `
    globs          project-relative test sources, e.g. test/integration/smoke.test.ts or
                   'test/integration/**/tree*.test.ts' (also from $HAMMOCK_TESTS, comma-separated);
                   default: every *.test.ts of the suite
    --suite=DIR    folder of test sources (default test/integration; the mocha entry is always
                   test/integration/index.ts)
    --grep=RE      only tests whose full title matches ($HAMMOCK_TEST_GREP)
    --timeout=S    whole-run limit in seconds (default 1200, $HAMMOCK_TEST_TIMEOUT)
    --workspace=DIR  open this folder instead of a prepared throwaway workspace (left as it is)
    --multi-root   open the workspace as a .code-workspace naming its one folder, so that tests
                   can add and remove workspace folders (a folder window reloads to do that)
    --keep         keep the workspace, user data and logs of the run
    --installed    run against the packaged extension: build the .vsix, install it with
                   --install-extension, load Hammock from there (not from this checkout)
    --verbose      more output`;

/**
 * @typedef {{ globs: string[], suite: string, grep: string, timeoutS: number, keep: boolean, verbose: boolean, installed: boolean, multiRoot: boolean, workspace?: string }} RunOptions
 * @param {string[]} argv
 * @returns {RunOptions}
 */
export function parseRunArgs(argv) {
  const o = { globs: [] };
  for (const a of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (m) o[m[1]] = m[2] === undefined ? true : m[2];
    else o.globs.push(a);
  }
  const known = new Set(['globs', 'suite', 'grep', 'timeout', 'keep', 'verbose', 'workspace', 'installed', 'multi-root']);
  for (const k of Object.keys(o)) if (!known.has(k)) throw new Error(`unknown option --${k}`);
  const globs = o.globs.length ? o.globs : (process.env.HAMMOCK_TESTS || '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    globs,
    suite: String(o.suite || ENTRY_SUITE).replace(/\/$/, ''),
    grep: String(o.grep || process.env.HAMMOCK_TEST_GREP || ''),
    timeoutS: Number(o.timeout || process.env.HAMMOCK_TEST_TIMEOUT || 1200),
    keep: !!o.keep,
    verbose: !!o.verbose,
    installed: !!o.installed,
    multiRoot: !!o['multi-root'],
    workspace: o.workspace ? path.resolve(String(o.workspace)) : undefined,
  };
}

/**
 * Builds the tests, picks the files, prepares the workspace.
 * @param {RunOptions} o
 * @param {(msg: string) => void} say
 * @returns {Promise<{ indexJs: string, workspaceDir: string, ownsWorkspace: boolean, resultFile: string, testEnv: Record<string, string> }>}
 */
export async function prepareIntegrationRun(o, say) {
  const entry = await buildIntegrationTests(ENTRY_SUITE);
  const built = o.suite === ENTRY_SUITE ? entry : await buildIntegrationTests(o.suite);
  const selected = selectTestFiles(built.files, o.globs);
  if (selected.length === 0) throw new Error(`no test file in ${o.suite} matches ${o.globs.join(', ') || '*.test.ts'}`);
  say(`built ${built.files.length} file(s) to ${path.relative(projectRoot, built.outDir)}; running ${selected.map((f) => f.source).join(', ')}`);
  if (o.suite === ENTRY_SUITE && !fs.existsSync(path.join(projectRoot, 'dist/extension.js'))) {
    throw new Error('dist/extension.js is missing: run npm run build');
  }
  const ownsWorkspace = !o.workspace;
  const workspaceDir = o.workspace ?? makeTestWorkspace().dir;
  say(`workspace ${workspaceDir}`);
  // Beside the workspace, not in it (the tests look at the workspace's files and git status).
  const resultFile = `${workspaceDir}.result.json`;
  return {
    indexJs: path.join(entry.outDir, 'index.js'),
    workspaceDir,
    ownsWorkspace,
    resultFile,
    testEnv: {
      HAMMOCK_TEST_WORKSPACE: workspaceDir,
      HAMMOCK_FIXTURES: fixturesDir,
      HAMMOCK_PROJECT_ROOT: projectRoot,
      HAMMOCK_TEST_FILES: JSON.stringify(selected.map((f) => f.output)),
      HAMMOCK_TEST_RESULT_FILE: resultFile,
      ...(o.grep ? { HAMMOCK_TEST_GREP: o.grep } : {}),
      // benchmarks run in the host (bench/host) get their settings through HAMMOCK_BENCH_* variables
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('HAMMOCK_BENCH_'))),
    },
  };
}

/** Collects the marker lines of a run; `take(line)` returns false for a marker (not to be shown). */
export class ResultCollector {
  constructor() {
    this.counts = { passed: 0, failed: 0 };
    /** @type {{ passes: number, failures: number, pending: number, loadError?: string } | null} */
    this.result = null;
  }

  /** Reads the result file the mocha entry writes at the end (more reliable than a log line). */
  readResultFile(file) {
    try {
      this.result = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch { /* not written: the suite did not end */ }
    fs.rmSync(file, { force: true });
  }

  /** @param {string} line @returns {boolean} true when the line is for people */
  take(line) {
    try {
      if (line.startsWith(RESULT_MARKER)) { this.result = JSON.parse(line.slice(RESULT_MARKER.length)); return false; }
      if (line.startsWith(TEST_MARKER)) {
        const t = JSON.parse(line.slice(TEST_MARKER.length));
        if (t.state === 'passed' || t.state === 'failed') this.counts[t.state] += 1;
        return false;
      }
    } catch { /* a line that only looks like a marker */ }
    return true;
  }

  /**
   * The exit code for an extension host that exited with `hostCode`: 1 when a test failed or
   * none ran, 3 when the suite gave no result at all.
   * @param {number} hostCode @returns {{ code: number, why: string }}
   */
  verdict(hostCode) {
    if (hostCode !== 0) return { code: 1, why: `tests done, extension host exit code ${hostCode}` };
    if (!this.result) return { code: 3, why: 'the extension host exited 0 but the suite reported no result' };
    if (this.result.failures > 0) return { code: 1, why: 'tests done with failures' };
    if (this.result.passes === 0) return { code: 1, why: 'no test ran' };
    return { code: 0, why: 'tests done' };
  }

  /**
   * The closing line CI reads. A run that did not pass but counted no failure (timeout, harness
   * error) counts one, so the line never says "0 failed" for a run that did not pass.
   * @param {number} exitCode
   */
  closingLine(exitCode) {
    const passed = this.result ? this.result.passes : this.counts.passed;
    let failed = this.result ? this.result.failures : this.counts.failed;
    const pending = this.result ? this.result.pending : 0;
    if (exitCode !== 0 && failed === 0) failed = 1;
    return `${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`;
  }
}
