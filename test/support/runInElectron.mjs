#!/usr/bin/env node
// Runs the same integration suite in desktop VS Code (Electron) through @vscode/test-electron's
// runTests, for machines that can download VS Code (it is fetched once into .vscode-test/). On this
// project's offline machines use runInCodeServer.mjs (npm run test:integration) instead.
//
//   node test/support/runInElectron.mjs [options] [test globs...]     (npm run test:electron)
//     options as runInCodeServer.mjs (--suite, --grep, --timeout, --keep, --verbose; see --help)
//     $VSCODE_VERSION       VS Code to download, default 1.100.3
//     $VSCODE_EXECUTABLE    use this VS Code binary instead of downloading one
// On Linux without a display, run it under a virtual one: xvfb-run -a npm run test:electron
//
// Prints the extension host's output, then `N passed, N failed`. Exit code: 0 all passed,
// 1 a test failed, 2 timeout, 3 harness error (download, start).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import { QUIET_SETTINGS, writeUserSettings } from './codeServer.mjs';
import { RUN_OPTIONS_HELP, ResultCollector, parseRunArgs, prepareIntegrationRun } from './integrationRun.mjs';
import { projectRoot } from './makeTestWorkspace.mjs';

const VSCODE_VERSION = process.env.VSCODE_VERSION || '1.100.3';
const say = (...a) => console.log('[electron-runner]', ...a);

if (process.argv.includes('--help')) {
  console.log(`node test/support/runInElectron.mjs [options] [globs...]${RUN_OPTIONS_HELP}`);
  process.exit(0);
}

const results = new ResultCollector();
let opts;
let workspaceDir = null;
let scratch = null;

/** @param {number} code @param {string} why */
function finish(code, why) {
  say(code === 0 ? why : `${why}; exit code ${code}`);
  if (!opts?.keep) {
    if (workspaceDir) fs.rmSync(workspaceDir, { recursive: true, force: true });
    if (workspaceDir) fs.rmSync(`${workspaceDir}.result.json`, { force: true });
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log(results.closingLine(code));
  process.exit(code);
}

// VS Code's output (the extension host's console included) goes straight to our stdout; read the
// result lines the mocha entry logs on the way, and keep them out of sight.
let pending = '';
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  const shown = lines.filter((l) => results.take(l.includes('[hammock:') ? l.slice(l.indexOf('[hammock:')) : l));
  return shown.length ? writeStdout(shown.map((l) => `${l}\n`).join(''), ...rest) : true;
};

try {
  opts = parseRunArgs(process.argv.slice(2));
  const run = await prepareIntegrationRun(opts, say);
  workspaceDir = run.ownsWorkspace ? run.workspaceDir : null; // a given --workspace is never deleted
  scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-electron-')));
  const userDataDir = path.join(scratch, 'user-data');
  writeUserSettings(userDataDir, { ...QUIET_SETTINGS, 'git.enabled': false });
  setTimeout(() => finish(2, `timed out after ${opts.timeoutS} s`), opts.timeoutS * 1000).unref();

  let hostCode = 0;
  try {
    await runTests({
      ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: VSCODE_VERSION }),
      cachePath: path.join(projectRoot, '.vscode-test'),
      extensionDevelopmentPath: projectRoot,
      extensionTestsPath: run.indexJs,
      extensionTestsEnv: run.testEnv,
      launchArgs: [
        run.workspaceDir,
        '--disable-extensions', // other installed extensions stay off; the one under development loads
        `--user-data-dir=${userDataDir}`,
        `--extensions-dir=${path.join(scratch, 'extensions')}`,
        '--disable-telemetry',
      ],
    });
  } catch (e) {
    if (!(e instanceof TestRunFailedError)) throw e;
    hostCode = e.code ?? 1;
  }
  if (pending) process.stdout.write('\n');
  results.readResultFile(run.resultFile);
  const { code, why } = results.verdict(hostCode);
  finish(code, why);
} catch (e) {
  console.error('[electron-runner] error:', e?.stack || e);
  finish(3, 'harness error');
}
