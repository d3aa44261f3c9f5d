// The real VS Code the screenshot scripts drive: code-server (quiet settings, dark theme, git off) on a free port,
// headless Chromium (playwright-core) with a 1400x820 page open on a folder, this checkout as the extension under
// development. Used by scripts/screenshots.mjs and scripts/importPreviewScreenshot.mjs.
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, QUIET_SETTINGS, chromiumPath, codeServerDir, freePort, startCodeServer, writeUserSettings } from '../test/support/codeServer.mjs';

/**
 * Starts code-server (its user data, extensions and log under `scratch`) and opens `folder` in a new page; resolves
 * once the workbench is up. `clipboard`: the page may read and write the clipboard. `smokeTestDriver`: turns on the
 * workbench's smoke-test driver option. `close()` closes the browser and stops code-server (on a failed start this
 * is done before the error is thrown). `settings`: user settings over the quiet ones.
 */
export async function startWorkbench({ projectRoot, scratch, folder, say, clipboard = false, smokeTestDriver = false, settings = {} }) {
  const userDataDir = path.join(scratch, 'user-data');
  writeUserSettings(userDataDir, { ...QUIET_SETTINGS, 'git.enabled': false, 'workbench.colorTheme': 'Default Dark Modern', ...settings });
  const port = await freePort();
  const server = await startCodeServer({
    csDir: codeServerDir(),
    port,
    userDataDir,
    extensionsDir: path.join(scratch, 'extensions'),
    logFile: path.join(scratch, 'code-server.log'),
  });
  let browser;
  const close = async () => {
    await browser?.close();
    await server.stop();
  };
  try {
    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 820 }, deviceScaleFactor: 1 });
    if (clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    if (smokeTestDriver) {
      // the smoke-test driver option lets the URL payload name the extension under development (see runInCodeServer.mjs)
      await context.addInitScript(() => {
        const getAttribute = Element.prototype.getAttribute;
        Element.prototype.getAttribute = function (name) {
          const v = getAttribute.call(this, name);
          if (name === 'data-settings' && this.id === 'vscode-workbench-web-configuration' && v) {
            const cfg = JSON.parse(v);
            cfg.developmentOptions = { ...(cfg.developmentOptions || {}), enableSmokeTestDriver: true };
            return JSON.stringify(cfg);
          }
          return v;
        };
      });
    }
    const page = await context.newPage();
    const remoteUri = (p) => `vscode-remote://127.0.0.1:${port}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
    const payload = [['extensionDevelopmentPath', remoteUri(projectRoot)], ['skipWelcome', 'true'], ['skipReleaseNotes', 'true']];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`, { waitUntil: 'domcontentloaded', timeout: 120000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 120000 });
    say('workbench up');

    /** Runs a command through the palette (F1, its title, Enter). */
    const runCommand = async (title) => {
      await page.keyboard.press('F1');
      await page.waitForSelector('.quick-input-widget', { state: 'visible' });
      await page.keyboard.type(title);
      await page.waitForTimeout(600);
      await page.keyboard.press('Enter');
    };
    /** The first frame (a webview's) holding `selector`, polled every 200 ms `tries` times; throws `what` after. */
    const frameWith = async (selector, what, tries) => {
      for (let i = 0; i < tries; i++) {
        for (const f of page.frames()) if ((await f.locator(selector).count().catch(() => 0)) > 0) return f;
        await page.waitForTimeout(200);
      }
      throw new Error(what);
    };
    return { page, runCommand, frameWith, close };
  } catch (e) {
    await close();
    throw e;
  }
}
