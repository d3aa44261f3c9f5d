#!/usr/bin/env node
// Runs Hammock's integration tests inside a real VS Code: code-server 4.100.3 (= VS Code 1.100)
// serves the workbench, headless Chromium (Debian's, through playwright-core) opens it, and the
// tests run in code-server's Node extension host with this checkout as the extension under
// development (with --installed: the packaged .vsix, installed; see installedExtension.mjs). No network
// needed but the npm registry: code-server is installed on first use (scripts/installCodeServer.sh).
//
//   node test/support/runInCodeServer.mjs [options] [test globs...]   (options: integrationRun.mjs)
//
// The tests get HAMMOCK_TEST_WORKSPACE (the prepared workspace, see makeTestWorkspace.mjs),
// HAMMOCK_FIXTURES (test/fixtures) and HAMMOCK_PROJECT_ROOT in their environment.
// Prints mocha's report, then a last line `N passed, N failed`.
// Exit code: 0 all passed, 1 a test failed (or a test file threw at load), 2 timeout,
//            3 harness error (build, code-server or browser trouble), 130 interrupted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, QUIET_SETTINGS, chromiumPath, codeServerDir, ensureCodeServer, freePort, startCodeServer, writeUserSettings } from './codeServer.mjs';
import { installPackagedExtension } from './installedExtension.mjs';
import { SetupNeeded, ensureSystemPackages } from '../../scripts/systemPackages.mjs';
import { RUN_OPTIONS_HELP, ResultCollector, parseRunArgs, prepareIntegrationRun } from './integrationRun.mjs';
import { projectRoot } from './makeTestWorkspace.mjs';
import { startUiDriver } from './uiDriver.mjs';

/** Workbench chatter expected offline (the gallery, chat, ...): kept in the log files, shown with --verbose. */
const NOISE = /ENOTFOUND|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|open-vsx|marketplace|Updating additional builtin|ChatSessionStore|Service Worker|connection token|Creating a socket|\[ChatModelSelection\]|\[AgentHost|\[AccountPolicyGate\]|reconnection-grace-time|authentication provider|\[remote-connection\]|Creation of workbench contribution/;

const t0 = Date.now();
const say = (...a) => console.log(`[runner ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

// ---------- arguments ----------
if (process.argv.includes('--help')) {
  console.log(`node test/support/runInCodeServer.mjs [options] [globs...]${RUN_OPTIONS_HELP}`);
  process.exit(0);
}
let opts;
try {
  opts = parseRunArgs(process.argv.slice(2));
} catch (e) {
  console.error(`[runner] ${e.message}`);
  process.exit(3);
}
const { keep, verbose } = opts;

// ---------- state and the one way out ----------
const results = new ResultCollector();
let scratch = null; // temp dir: user data, extensions, logs
let workspaceDir = null;
let openedDir = null; // the folder VS Code opens (prepared, or --workspace)
let resultFile = null;
let server = null;
let browser = null;
let uiDriver = null;
let finishing = false;

async function finish(code, why) {
  if (finishing) {
    if (code === 130 || code === 143) process.exit(code); // second Ctrl+C: leave now
    return;
  }
  finishing = true;
  const logsDir = scratch && path.join(scratch, 'logs');
  if (code !== 0) say(`${why}; exit code ${code}`);
  else say(why);
  if (code === 3 && logsDir && fs.existsSync(path.join(logsDir, 'code-server.log'))) {
    const tail = fs.readFileSync(path.join(logsDir, 'code-server.log'), 'utf8').trim().split('\n').slice(-30);
    console.log(`[runner] last lines of code-server.log:\n${tail.map((l) => `  ${l}`).join('\n')}`);
  }
  const cleanup = async () => {
    try { await uiDriver?.close(); } catch { /* already gone */ }
    try { await browser?.close(); } catch { /* already gone */ }
    try { await server?.stop(); } catch { /* already gone */ }
  };
  await Promise.race([cleanup(), new Promise((r) => setTimeout(r, 15000))]);
  if (workspaceDir && !keep) fs.rmSync(workspaceDir, { recursive: true, force: true });
  if (resultFile) fs.rmSync(resultFile, { force: true });
  if (scratch) {
    if (keep || code !== 0) {
      for (const e of ['user-data', 'extensions']) if (!keep) fs.rmSync(path.join(scratch, e), { recursive: true, force: true });
      say(`logs kept in ${logsDir}${keep && workspaceDir ? `, workspace in ${workspaceDir}` : ''}`);
    } else {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
  console.log(results.closingLine(code));
  process.exit(code);
}
process.on('SIGINT', () => finish(130, 'interrupted'));
process.on('SIGTERM', () => finish(143, 'terminated'));
/** An error while finishing is our own teardown (the browser closed under page.goto, ...): ignore it. */
function harnessError(e) {
  if (finishing) return;
  if (e instanceof SetupNeeded) {
    console.error(`[runner] ${e.message}`);
    finish(3, 'set-up needed');
    return;
  }
  console.error('[runner] error:', e?.stack || e);
  finish(3, 'harness error');
}
process.on('unhandledRejection', harnessError);
process.on('uncaughtException', harnessError);

try {
  await main();
} catch (e) {
  harnessError(e);
}

async function main() {
  // ---------- 1. build the tests, pick the files, prepare the workspace ----------
  const run = await prepareIntegrationRun(opts, say);
  workspaceDir = run.ownsWorkspace ? run.workspaceDir : null; // a given --workspace is never deleted
  openedDir = run.workspaceDir;
  resultFile = run.resultFile;
  const { indexJs, testEnv } = run;
  scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-vscode-')));
  const logsDir = path.join(scratch, 'logs');
  fs.mkdirSync(logsDir);
  const userDataDir = path.join(scratch, 'user-data');
  writeUserSettings(userDataDir, { ...QUIET_SETTINGS, 'git.enabled': false });
  ensureSystemPackages(['chromium', 'git'], { why: 'the integration tests', say });
  ensureCodeServer(say);
  // --installed: Hammock from its .vsix in the run's extensions folder; else this checkout under development
  const installed = opts.installed ? installPackagedExtension({ scratch, csDir: codeServerDir(), say }) : undefined;
  const extensionsDir = installed?.extensionsDir ?? path.join(scratch, 'extensions');
  const developmentPath = installed?.devStubDir ?? projectRoot;
  if (installed) testEnv.HAMMOCK_TEST_INSTALLED = installed.installedDir;

  setTimeout(() => finish(2, `timed out after ${opts.timeoutS} s`), opts.timeoutS * 1000).unref();

  // the tests act on the workbench page through the UI driver (test/support/uiDriver.mjs)
  uiDriver = await startUiDriver({ screenshotDir: path.join(logsDir, 'screenshots'), say });
  testEnv.HAMMOCK_UI_DRIVER = uiDriver.url;

  // ---------- 2. code-server ----------
  const port = await freePort();
  server = await startCodeServer({
    csDir: codeServerDir(),
    port,
    userDataDir,
    extensionsDir,
    logFile: path.join(logsDir, 'code-server.log'),
    logLevel: verbose ? 'trace' : 'info',
    env: testEnv,
    onOutput: verbose ? (d) => process.stdout.write(`[code-server] ${d}`) : undefined,
    say,
  });
  server.exited.then(({ code, signal }) => finish(3, `code-server exited during the run (code ${code}, signal ${signal})`));
  say(`code-server is up on ${server.url}`);

  // ---------- 3. the workbench in headless Chromium ----------
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    // Our finish() closes the browser and stops code-server; Playwright's own handlers would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // the UI driver's clipboard step writes what a test then pastes with Ctrl+V, as a person does
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const automationLog = fs.createWriteStream(path.join(logsDir, 'automation.log'));
  // The extension host's console (mocha's report included) and the workbench's come back through
  // the smoke-test driver's hooks: window.codeAutomationLog / window.codeAutomationExit.
  await context.exposeFunction('codeAutomationLog', (type, args) => {
    const text = util.format(...(Array.isArray(args) ? args : [args]));
    automationLog.write(`[${type}] ${text}\n`);
    const shown = text.split('\n').filter((line) => results.take(line));
    if (shown.length === 0 || (!verbose && NOISE.test(text))) return;
    (type === 'error' ? console.error : console.log)(shown.join('\n'));
  });
  await context.exposeFunction('codeAutomationExit', (code, logs) => {
    if (Array.isArray(logs)) {
      for (const l of logs) {
        try {
          const dst = path.join(logsDir, 'workbench', l.relativePath);
          fs.mkdirSync(path.dirname(dst), { recursive: true });
          fs.writeFileSync(dst, l.contents);
        } catch { /* best effort */ }
      }
    }
    const n = typeof code === 'number' ? code : 1;
    setTimeout(() => {
      results.readResultFile(resultFile);
      const { code: exitCode, why } = results.verdict(n);
      finish(exitCode, why);
    }, 0);
  });
  // A built VS Code honours extensionDevelopmentPath / extensionTestsPath from the URL payload only
  // when developmentOptions.enableSmokeTestDriver is set, and code-server has no CLI flag for it:
  // set it in the configuration the workbench reads from its page. (Rewriting the HTML with
  // context.route() instead makes Chromium block the page's WebSocket to 127.0.0.1.)
  await context.addInitScript(() => {
    const getAttribute = Element.prototype.getAttribute;
    Element.prototype.getAttribute = function (name) {
      const v = getAttribute.call(this, name);
      if (name === 'data-settings' && this.id === 'vscode-workbench-web-configuration' && v) {
        try {
          const cfg = JSON.parse(v);
          cfg.developmentOptions = { ...(cfg.developmentOptions || {}), enableSmokeTestDriver: true };
          return JSON.stringify(cfg);
        } catch (e) { console.error('could not patch the workbench configuration', e); }
      }
      return v;
    };
  });
  const page = await context.newPage();
  uiDriver.setPage(page);
  // The browser's console (the webviews' frames included), each line with the runner's clock; and every webview
  // frame's navigation: a webview host page (pre/index.html?id=X) is ready when its content frame (fake.html?id=X)
  // comes, so the gap between the two lines of one id is how long the page waited (for its service worker, say).
  const consoleLog = fs.createWriteStream(path.join(logsDir, 'browser-console.log'));
  const stamp = () => ((Date.now() - t0) / 1000).toFixed(1);
  page.on('console', (msg) => {
    consoleLog.write(`${stamp()} [${msg.type()}] ${msg.text()}\n`);
    if (verbose) console.log(`[browser:${msg.type()}] ${msg.text()}`);
  });
  page.on('pageerror', (e) => consoleLog.write(`${stamp()} [pageerror] ${e.stack || e.message}\n`));
  page.on('framenavigated', (f) => {
    if (f !== page.mainFrame() && /\/webview\/browser\/pre\//.test(f.url())) consoleLog.write(`${stamp()} [frame] ${f.url()}\n`);
  });

  // Paths as vscode-remote:// URIs: the tests then run in the server's Node extension host.
  const authority = `127.0.0.1:${port}`;
  const remoteUri = (p) => `vscode-remote://${authority}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
  const payload = [
    ['extensionDevelopmentPath', remoteUri(developmentPath)],
    ['extensionTestsPath', remoteUri(indexJs)],
    ['extensionEnvironment', JSON.stringify(testEnv)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  // --multi-root: the folder opened as a workspace (a .code-workspace file naming it, beside the logs), so that a
  // test can add and remove workspace folders (a single-folder window would have to reload to become a workspace)
  let opened = `folder=${encodeURIComponent(openedDir)}`;
  if (opts.multiRoot) {
    const workspaceFile = path.join(scratch, 'hammock-tests.code-workspace');
    fs.writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: openedDir }], settings: {} }, null, 2));
    opened = `workspace=${encodeURIComponent(workspaceFile)}`;
  }
  const url = `${server.url}/?${opened}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  if (verbose) say(`opening ${url}`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120000 });
  say('workbench loading; the extension host runs the tests');
  // The end comes through codeAutomationExit, the timeout, or an error.
}
