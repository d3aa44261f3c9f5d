// Patches code-server's webview host page so that a webview's page does not wait 20-30 s (or forever) for a service
// worker. Applied by startCodeServer() (codeServer.mjs) to the installed copy at every start: idempotent, and cheap
// (one 40 KB file read) when already done.
//
// What code-server (VS Code 1.100's web workbench) does: every webview is an iframe on
// lib/vscode/out/vs/workbench/contrib/webview/browser/pre/index.html?id=<webview id>&..., served by code-server from
// its own origin, so all webviews share one origin and one service-worker scope (pre/). The page registers
//   service-worker.js?v=4&vscode-resource-base-authority=...&id=<its own id>&remoteAuthority=...
// and, when the worker controlling it has another script URL (the previous page's id), logs "Found unexpected
// service worker controller ... Waiting for controllerchange." and waits for the new worker to take over before the
// page loads the webview's HTML. Each page load thus replaces the registration with a new worker (install:
// skipWaiting, activate: clients.claim), and Chromium activates it only once the old worker has no fetch in flight: a
// resource request of a page that went away answers at the worker's 30 s timeout (resolveTimeout). So a webview
// opening just after another closed or reloaded waits up to 30 s (the runner's browser-console.log showed 30.5 s gaps
// between a page and its content frame), or never loads. Nothing Hammock does; tests open and close webviews fast
// and see it often, a person seldom.
//
// The patch: the swPath without `&id=${ID}`, so every page registers the same script URL: the first page of a browser
// session waits once (code-server's own worker, _static/out/browser/serviceWorker.js with scope /, controls it until
// the webview worker claims it), later pages are controlled by the webview worker from their first load (the
// scriptURL matches, no controllerchange to wait for) and register() with the same URL changes nothing. The inline script changes, so the
// page's Content-Security-Policy hash of it (script-src 'sha256-...') is computed again, else the page would not run.
//
// Why it is safe: service-worker.js reads its own `id` (ID) only to answer resource requests of Web Workers
// (getWebviewIdForClient: client.type worker/sharedworker); a page's requests are routed by the id in the page's own
// URL (the window client's url), which the patch leaves alone. Hammock's webviews start no Web Workers (its Workers
// are worker_threads in the extension host). With several webviews open, stock code-server routes a Web Worker's
// requests to whichever webview registered last anyway. Hammock's own handling of a page that loads late or never
// (a hidden tab's page not taken as ready, test/integration/walkBranches.test.ts) does not rely on this stall: those
// tests hide the tab themselves.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const PRE = 'lib/vscode/out/vs/workbench/contrib/webview/browser/pre';
const WITH_ID = '&id=${ID}&remoteAuthority=';
const WITHOUT_ID = '&remoteAuthority=';
const MARKER = '<!-- hammock test harness: service worker registered without &id= (test/support/webviewHostPatch.mjs) -->';

/**
 * The page's HTML with the swPath's `&id=` removed and the CSP hash of its inline script set again.
 * Returns the HTML unchanged when already patched; throws when the page is not the one this patch knows.
 * @param {string} html @param {{ csp: boolean }} o  csp: the page has a CSP meta holding the inline script's hash
 * @returns {string}
 */
export function patchWebviewHostHtml(html, { csp }) {
  let out = html;
  if (out.includes(WITH_ID)) {
    if (out.split(WITH_ID).length !== 2) throw new Error(`expected one ${WITH_ID} in the page`);
    out = out.replace(WITH_ID, WITHOUT_ID);
  } else if (!out.includes(MARKER)) {
    throw new Error(`the page registers its service worker without ${WITH_ID}: not the code-server page this patch knows`);
  }
  if (csp) {
    const scripts = [...out.matchAll(/<script async type="module">([\s\S]*?)<\/script>/g)];
    if (scripts.length !== 1) throw new Error(`expected one inline module script, found ${scripts.length}`);
    const hash = crypto.createHash('sha256').update(scripts[0][1]).digest('base64');
    const policy = /(script-src 'sha256-)([A-Za-z0-9+/=]+)(')/;
    if (!policy.test(out)) throw new Error('no script-src sha256 in the page\'s Content-Security-Policy');
    out = out.replace(policy, `$1${hash}$3`);
  }
  if (!out.includes(MARKER)) out = out.replace(/^(<!DOCTYPE html>)/i, `$1\n${MARKER}`);
  if (!out.includes(MARKER)) throw new Error('no <!DOCTYPE html> to put the marker after');
  return out;
}

/**
 * Patches pre/index.html and pre/index-no-csp.html of the code-server package in csDir, in place (written to a
 * temporary file and renamed over, so a server serving it meanwhile reads the old or the new page, never half).
 * @param {string} csDir the code-server package dir
 * @returns {{ changed: string[], problem?: string }} the files changed; problem: why the page was left as it is
 */
export function patchWebviewHost(csDir) {
  const changed = [];
  for (const [name, csp] of [['index.html', true], ['index-no-csp.html', false]]) {
    const file = path.join(csDir, PRE, name);
    let html;
    try {
      html = fs.readFileSync(file, 'utf8');
    } catch (e) {
      return { changed, problem: `cannot read ${file}: ${e.message}` };
    }
    let patched;
    try {
      patched = patchWebviewHostHtml(html, { csp });
    } catch (e) {
      return { changed, problem: `${file}: ${e.message}` };
    }
    if (patched === html) continue;
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, patched);
    fs.renameSync(tmp, file);
    changed.push(file);
  }
  return { changed };
}
