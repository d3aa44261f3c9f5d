#!/usr/bin/env node
// The import preview in a real VS Code (code-server in headless Chromium, as scripts/screenshots.mjs): runs
// "Hammock: Import...", pastes a cURL command, checks the preview page shows the format and the counts, takes
// docs/import-preview.png, then clicks Import in the page and checks the new collection file on disk.
//
//   npm run build && node scripts/importPreviewScreenshot.mjs
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorkbench } from './startWorkbench.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docs = path.join(projectRoot, 'docs');
const say = (m) => console.log(`[import-preview] ${m}`);
const CURL = `curl -X POST https://api.example.com/v1/users -H 'Content-Type: application/json' -H 'Authorization: Bearer abc' -d '{"name":"Ann"}' -i`;

const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-import-shot-')));
const ws = path.join(scratch, 'petstore');
fs.cpSync(path.join(projectRoot, 'samples'), ws, { recursive: true });
const before = new Set(fs.readdirSync(ws));

let workbench;
let failed = false;
try {
  workbench = await startWorkbench({ projectRoot, scratch, folder: ws, say, clipboard: true });
  const { page, runCommand, frameWith } = workbench;
  await page.waitForTimeout(4000);
  await runCommand('Hammock: Focus on Collections View');
  await page.waitForTimeout(2500);
  await runCommand('Hammock: Import...');
  await page.waitForSelector('.quick-input-widget', { state: 'visible' });
  await page.waitForTimeout(800);
  await page.keyboard.type('Paste a cURL');
  await page.waitForTimeout(400);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(800);
  await page.keyboard.type(CURL);
  await page.waitForTimeout(400);
  await page.keyboard.press('Enter');

  // the preview page: a webview frame holding the counts table
  const frame = await frameWith('table.counts', 'no import preview frame with a counts table', 100);
  const format = await frame.locator('.format strong').textContent();
  if (format !== 'cURL command') throw new Error(`the preview names the format "${format}"`);
  const cells = await frame.locator('table.counts tbody td').allTextContents();
  if (cells[1] !== '0' || cells[2] !== '1') throw new Error(`the preview counts ${cells.join(' | ')}`);
  const dropped = await frame.locator('ul.dropped li').allTextContents();
  if (!dropped.some((d) => d.includes('-i'))) throw new Error(`the dropped list does not name curl's -i: ${dropped.join(' | ')}`);
  say(`the preview shows ${format}, counts ${cells.join(' | ')}, dropped: ${dropped.join(' | ')}`);
  await page.waitForTimeout(500);
  fs.mkdirSync(docs, { recursive: true });
  await page.screenshot({ path: path.join(docs, 'import-preview.png') });
  say('docs/import-preview.png');

  await frame.locator('vscode-button', { hasText: 'Import' }).first().click();
  let added = [];
  for (let i = 0; i < 50 && !added.length; i++) {
    await page.waitForTimeout(200);
    added = fs.readdirSync(ws).filter((f) => !before.has(f));
  }
  if (added.length !== 1 || !/\.yaml$/.test(added[0])) throw new Error(`Import wrote ${added.join(', ') || 'nothing'}`);
  const text = fs.readFileSync(path.join(ws, added[0]), 'utf8');
  if (!text.startsWith('type: collection.insomnia.rest/5.0') || !text.includes('api.example.com/v1/users')) throw new Error(`unexpected file:\n${text}`);
  say(`clicking Import wrote ${added[0]}`);
} catch (e) {
  failed = true;
  console.error(`[import-preview] ${e.stack || e.message}`);
} finally {
  await workbench?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
