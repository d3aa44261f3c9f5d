#!/usr/bin/env node
// The Getting Started walkthrough in a real VS Code (code-server in headless Chromium), as a new user first sees it:
// a copy of samples/ opened with this checkout as the extension under development and VS Code's default
// (walkthroughs open on install), so Hammock opens its walkthrough on its first activation (src/walkthrough.ts).
// Checks the page shows Hammock's walkthrough and its five steps, then writes docs/walkthrough.png.
//
//   npm run build && node scripts/walkthroughScreenshot.mjs
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorkbench } from './startWorkbench.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (m) => console.log(`[walkthrough] ${m}`);
const STEPS = ['Open a repository with Insomnia data, or clone one', 'Set up sync', 'Edit and send a request', 'Commit and push', 'Review a branch'];

const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-walkthrough-')));
const ws = path.join(scratch, 'petstore');
fs.cpSync(path.join(projectRoot, 'samples'), ws, { recursive: true });

let workbench;
let failed = false;
try {
  workbench = await startWorkbench({
    projectRoot, scratch, folder: ws, say, settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true },
  });
  const { page } = workbench;
  const title = page.locator('.gettingStartedContainer .category-title', { hasText: 'Get Started with Hammock' });
  await title.first().waitFor({ state: 'visible', timeout: 60000 });
  const shown = await page.locator('.gettingStartedContainer .step-title').allTextContents();
  const missing = STEPS.filter((s) => !shown.some((t) => t.includes(s)));
  if (missing.length) throw new Error(`the walkthrough lacks the steps ${missing.join(', ')} (shows: ${shown.join(' | ')})`);
  say(`Hammock opened its walkthrough on first activation, steps: ${shown.filter(Boolean).join(' | ')}`);
  await page.waitForTimeout(1500); // the first step's media (Markdown) renders
  await page.screenshot({ path: path.join(projectRoot, 'docs', 'walkthrough.png') });
  say('docs/walkthrough.png');
} catch (e) {
  failed = true;
  console.error(`[walkthrough] ${e.stack || e}`);
  if (workbench) await workbench.page.screenshot({ path: path.join(scratch, 'failure.png') }).then(() => say(`failure screenshot: ${path.join(scratch, 'failure.png')}`), () => {});
} finally {
  await workbench?.close();
  if (!failed) fs.rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
