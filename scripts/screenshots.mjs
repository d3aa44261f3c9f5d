#!/usr/bin/env node
// Screenshots of the request editor and the response viewer for the README, taken in a real VS Code
// (code-server 4.100.3 in headless Chromium through playwright-core), with this checkout as the extension under
// development and a copy of samples/ whose base_url points at a small loopback Petstore server started here.
//
//   npm run build && node scripts/screenshots.mjs        writes docs/request-editor.png, docs/response-viewer.png
//
// docs/request-editor.png ships in the .vsix (the walkthrough shows it): after taking it, `optipng -o5` it (Debian's
// optipng, lossless; 17 % smaller than Chromium's PNG, 12 KB of the package's 2 MB budget).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorkbench } from './startWorkbench.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docs = path.join(projectRoot, 'docs');
const say = (m) => console.log(`[screenshots] ${m}`);

// ---------- a loopback Petstore
const pets = [
  { id: 1, name: 'Rex', status: 'available', category: { id: 1, name: 'Dogs' }, tags: [{ id: 1, name: 'friendly' }] },
  { id: 2, name: 'Tom', status: 'available', category: { id: 2, name: 'Cats' }, tags: [] },
];
const api = http.createServer((req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Set-Cookie', 'session=7f3a; Path=/; HttpOnly');
  res.end(JSON.stringify(req.url?.startsWith('/api/v3/pet/findByStatus') ? pets : pets[0]));
});
await new Promise((r) => api.listen(0, '127.0.0.1', r));
const apiUrl = `http://127.0.0.1:${api.address().port}/api/v3`;

// ---------- the workspace: samples/ with base_url on the loopback server
const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-shots-')));
const ws = path.join(scratch, 'petstore');
fs.cpSync(path.join(projectRoot, 'samples'), ws, { recursive: true });
for (const file of fs.readdirSync(ws, { recursive: true })) {
  const p = path.join(ws, String(file));
  if (!/\.ya?ml$/.test(p)) continue;
  const text = fs.readFileSync(p, 'utf8');
  const local = text
    .replaceAll('https://petstore3.swagger.io/api/v3', apiUrl)
    .replace('scheme: https\n  host: petstore3.swagger.io', `scheme: http\n  host: ${new URL(apiUrl).host}`);
  if (local !== text) fs.writeFileSync(p, local);
}

let workbench;
let failed = false;
try {
  workbench = await startWorkbench({ projectRoot, scratch, folder: ws, say, smokeTestDriver: true });
  const { page, runCommand, frameWith } = workbench;
  await page.waitForTimeout(4000);
  await runCommand('Hammock: Focus on Collections View');
  await page.waitForTimeout(2500);
  await runCommand('Hammock: Open Request');
  await page.waitForSelector('.quick-input-widget', { state: 'visible' });
  await page.waitForTimeout(800);
  await page.keyboard.type('Find pets by status');
  await page.waitForTimeout(600);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(5000);
  fs.mkdirSync(docs, { recursive: true });
  await page.screenshot({ path: path.join(docs, 'request-editor.png') });
  say('docs/request-editor.png');
  await runCommand('Hammock: Send Request');
  await page.waitForTimeout(6000);
  await page.screenshot({ path: path.join(docs, 'response-viewer.png') });
  say('docs/response-viewer.png');

  // the real UI writes the file: type into the URL field of the editor's webview, then look at the disk
  const requestFile = fs.readdirSync(path.join(ws, '.insomnia', 'Request'))
    .map((f) => path.join(ws, '.insomnia', 'Request', f))
    .find((f) => fs.readFileSync(f, 'utf8').includes('name: Find pets by status'));
  const frame = await frameWith('#url', 'no editor webview frame with #url', 50);
  await frame.locator('#url').click();
  await page.keyboard.press('End');
  await page.keyboard.type('&limit=5');
  await page.waitForTimeout(1500);
  const written = fs.readFileSync(requestFile, 'utf8');
  if (!/- name: limit\n\s+value: "?5"?/.test(written)) throw new Error(`the URL edit did not reach ${requestFile}:\n${written}`);
  say('typing in the URL field wrote the limit=5 parameter to the request file');
  await page.waitForTimeout(1500);
  const shown = await frame.locator('#url').evaluate((el) => el.value);
  if (!shown.endsWith('?status=available&limit=5')) throw new Error(`the URL field shows ${shown} after the write's echo`);
  const rows = await frame.locator('[data-key^="params:"][data-key$=":name"]').count();
  if (rows !== 2) throw new Error(`the Params table shows ${rows} rows, not 2`);
  say('the URL field and the Params table show the edit after the file was re-read');
  // every tab renders (a tab that threw would leave its body empty)
  for (const [tab, probe] of [['Headers', 'input.tpl-input'], ['Body', 'vscode-single-select'], ['Auth', 'vscode-single-select'], ['Scripts', 'textarea.script'], ['Settings', 'vscode-checkbox'], ['Description', 'vscode-textarea']]) {
    await frame.locator('.tab', { hasText: tab }).click();
    await page.waitForTimeout(300);
    if ((await frame.locator(`.tab-body ${probe}`).count()) === 0) throw new Error(`the ${tab} tab rendered no ${probe}`);
  }
  say('every tab renders');
} catch (e) {
  failed = true;
  console.error(`[screenshots] ${e.stack || e.message}`);
} finally {
  await workbench?.close();
  api.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
