// The mocha entry the VS Code extension host loads (extensionTestsPath): `run()` resolves when every
// test passed and rejects otherwise (a failure, or a test file that throws while loading).
// Built to out/test/integration/index.js by test/support/buildIntegrationTests.mjs.
//
// Environment (set by test/support/runInCodeServer.mjs and runInElectron.mjs):
//   HAMMOCK_TEST_FILES  JSON array of absolute .js test files; default: every *.test.js beside this file
//   HAMMOCK_TEST_GREP   only the tests whose full title matches this regular expression
//   HAMMOCK_TEST_RESULT_FILE  where to write the RunResult as JSON when the run ends
//   HAMMOCK_TEST_AFTER_READY  load mocha and the test files only once Hammock's first load is done (the start-up
//                             bench, bench/treeFirstLevel.bench.ts: loading mocha is ~60 ms of the extension host's
//                             CPU, which otherwise lands inside the start-up span it times)
//
// Besides mocha's spec report it logs one machine-readable line per test and one at the end,
// `[hammock:test] {...}` and `[hammock:result] {...}`, which the runners read (and do not show).
import * as fs from 'fs';
import * as path from 'path';
import type MochaType from 'mocha';
import * as vscode from 'vscode';

export const RESULT_MARKER = '[hammock:result]';
export const TEST_MARKER = '[hammock:test]';

export interface RunResult {
  passes: number;
  failures: number;
  pending: number;
  /** Set when a test file could not be loaded: no test ran. */
  loadError?: string;
}

export async function run(): Promise<void> {
  if (process.env.HAMMOCK_TEST_AFTER_READY) {
    const api = await vscode.extensions.getExtension<{ ready: Promise<void> }>('hammock.hammock')?.activate();
    await api?.ready;
  }
  // (not for the start-up bench: its open_editor_ms is the first page of the session, as a person's)
  else await warmUpWebviews();
  // required here, not imported at the top: see HAMMOCK_TEST_AFTER_READY
  const Mocha = require('mocha') as typeof MochaType;
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 20000 });
  const grep = process.env.HAMMOCK_TEST_GREP;
  if (grep) mocha.grep(new RegExp(grep));
  for (const file of testFiles()) mocha.addFile(file);

  return new Promise<void>((resolve, reject) => {
    const report = (result: RunResult): void => {
      console.log(`${RESULT_MARKER} ${JSON.stringify(result)}`);
      const file = process.env.HAMMOCK_TEST_RESULT_FILE;
      if (file) fs.writeFileSync(file, JSON.stringify(result));
    };
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats ?? { passes: 0, failures, pending: 0 };
        report({ passes: stats.passes, failures: stats.failures, pending: stats.pending });
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else resolve();
      });
      runner.on('pass', (test) => console.log(`${TEST_MARKER} ${JSON.stringify({ state: 'passed', title: test.fullTitle() })}`));
      runner.on('fail', (test) => console.log(`${TEST_MARKER} ${JSON.stringify({ state: 'failed', title: test.fullTitle() })}`));
    } catch (err) {
      // mocha.run() loads (requires) the files first; a file that throws at load lands here.
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      console.error(`test files could not be loaded: ${message}`);
      report({ passes: 0, failures: 1, pending: 0, loadError: message });
      reject(err instanceof Error ? err : new Error(message));
    }
  });
}

/**
 * Opens one bare webview and waits for its page to run, then closes it: in code-server the first webview page of a
 * browser session waits (20-45 s seen under load) for code-server's own service worker to hand over to the webview's
 * (test/support/webviewHostPatch.mjs), later pages do not. Taken here, once, that wait is not in whichever test
 * happens to open the session's first page. A page that never runs is logged, and the tests go on (they would
 * see the same stall).
 */
async function warmUpWebviews(): Promise<void> {
  const started = Date.now();
  const panel = vscode.window.createWebviewPanel('hammockTestWarmUp', 'Test harness: webviews', { viewColumn: vscode.ViewColumn.Active, preserveFocus: true }, { enableScripts: true });
  try {
    const ran = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 120_000);
      panel.webview.onDidReceiveMessage(() => {
        clearTimeout(timer);
        resolve(true);
      });
      panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-up'"></head><body><script nonce="up">acquireVsCodeApi().postMessage('up');</script></body></html>`;
    });
    console.log(`[harness] the first webview page ${ran ? 'ran' : 'did not run'} in ${Date.now() - started} ms`);
  } finally {
    panel.dispose();
  }
}

function testFiles(): string[] {
  const listed = process.env.HAMMOCK_TEST_FILES;
  if (listed) {
    const files: unknown = JSON.parse(listed);
    if (!Array.isArray(files) || files.some((f) => typeof f !== 'string')) {
      throw new Error('HAMMOCK_TEST_FILES must be a JSON array of paths');
    }
    return files as string[];
  }
  return findTests(__dirname);
}

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(p));
    else if (entry.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}
