#!/usr/bin/env node
// Draws the extension's icon, media/icon.png (128x128, what the Marketplace, Open VSX and the Extensions view show;
// vsce requires a PNG), from the activity bar glyph media/hammock.svg: the glyph in white on a rounded square,
// rendered by the headless Chromium the tests use (playwright-core, $CHROMIUM_PATH or /usr/bin/chromium).
// The PNG is committed; run this again only when the glyph or the colours change.
//
//   node scripts/makeIcon.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../test/support/codeServer.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const glyph = fs.readFileSync(path.join(projectRoot, 'media/hammock.svg'), 'utf8')
  .replace(/width="24" height="24"/, 'width="84" height="84"')
  .replace('stroke-width="1.5"', 'stroke-width="1.9"');
const html = `<!doctype html><html><body style="margin:0;background:transparent">
<div style="width:128px;height:128px;border-radius:26px;display:flex;align-items:center;justify-content:center;
  background:linear-gradient(145deg,#2f9e8f 0%,#1f6f8b 55%,#274c77 100%);color:#fff">${glyph}</div></body></html>`;

const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(html);
  const out = path.join(projectRoot, 'media/icon.png');
  await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
  console.log(`[makeIcon] wrote ${path.relative(projectRoot, out)} (${fs.statSync(out).size} bytes)`);
} finally {
  await browser.close();
}
