#!/usr/bin/env node
// Screenshots of the surfaces of issue 15 for docs/, in the light and the dark theme, taken in a real VS Code
// (code-server in headless Chromium, as scripts/screenshots.mjs does) on a copy of samples/: the environment editor,
// the active environment in the status bar and the request editor's header, completion and highlighting in the URL
// field, a body in VS Code's own editor beside the request, the method colours of the Collections view, and the
// secret check of a commit. Each surface is also checked as it is shot (a missing element fails the script).
//
//   npm run build && node scripts/featureScreenshots.mjs [light|dark]     (default: both)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWorkbench } from './startWorkbench.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docs = path.join(projectRoot, 'docs');
const say = (m) => console.log(`[feature-shots] ${m}`);
const themes = { light: 'Default Light Modern', dark: 'Default Dark Modern' };
const wanted = process.argv.slice(2).filter((a) => a in themes);

/** The frame (a webview's) whose `selector` element holds `text`, waited for up to 20 s. */
async function frameWithText(page, selector, text) {
  for (let i = 0; i < 100; i++) {
    for (const f of page.frames()) {
      if ((await f.locator(selector, { hasText: text }).count().catch(() => 0)) > 0) return f;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no frame whose ${selector} says ${text}`);
}

async function shoot(themeKey) {
  const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-feature-shots-')));
  const ws = path.join(scratch, 'petstore');
  fs.cpSync(path.join(projectRoot, 'samples'), ws, { recursive: true });
  // a git repository with one commit, so that the Source Control view and the commit check have something to show
  const git = (...args) => execFileSync('git', args, { cwd: ws, env: { ...process.env, GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com', GIT_CONFIG_NOSYSTEM: '1' } });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'Petstore');
  const shot = async (page, name) => {
    const file = path.join(docs, `${name}-${themeKey}.png`);
    await page.screenshot({ path: file });
    say(path.relative(projectRoot, file));
  };
  let workbench;
  try {
    workbench = await startWorkbench({ projectRoot, scratch, folder: ws, say, smokeTestDriver: false, theme: themes[themeKey], settings: { 'workbench.startupEditor': 'none' } });
    const { page, runCommand, frameWith } = workbench;
    await page.waitForTimeout(4000);
    await runCommand('Hammock: Focus on Collections View');
    await page.waitForTimeout(2000);
    // expand the legacy collection and its folders: the method colours
    for (const label of ['Petstore', 'Pets', 'Store']) {
      const row = page.locator(`.monaco-list-row[aria-label^="${label}"]`).first();
      if ((await row.count()) && (await row.getAttribute('aria-expanded')) === 'false') {
        await row.click();
        await page.waitForTimeout(500);
      }
    }

    // 1. the request editor: environment in its header, completion in the URL field
    await runCommand('Hammock: Open Request');
    await page.waitForSelector('.quick-input-widget', { state: 'visible' });
    await page.waitForTimeout(600);
    await page.keyboard.type('Find pets by status');
    await page.waitForTimeout(600);
    await page.keyboard.press('Enter');
    const editor = await frameWith('#url', 'no request editor frame', 100);
    await editor.locator('#environment').waitFor({ timeout: 20000 });
    await page.waitForTimeout(1500);
    await editor.locator('#url').click();
    await page.keyboard.press('End');
    for (const ch of '&limit={{ _.') {
      await page.keyboard.type(ch);
      await page.waitForTimeout(60);
    }
    await editor.locator('#completions .completion').first().waitFor({ timeout: 10000 });
    const labels = await editor.locator('#completions .completion-label').allTextContents();
    if (!labels.includes('base_url')) throw new Error(`the completions offer ${labels.join(', ')}`);
    await page.waitForTimeout(500);
    await shot(page, 'template-completion');
    // choose pet_id with the keyboard, then type an unknown variable: marked
    for (let i = 0; i < labels.indexOf('pet_id'); i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    for (const ch of '&q={{ _.nope }}') {
      await page.keyboard.type(ch);
      await page.waitForTimeout(40);
    }
    await editor.locator('.tpl-unknown').first().waitFor({ timeout: 5000 });
    await page.waitForTimeout(1200);
    await shot(page, 'template-highlight');
    // undo the URL edit (Ctrl+Z stays in the field) so the next shots show the sample as it is
    for (let i = 0; i < 40; i++) await page.keyboard.press('Control+z');
    await page.waitForTimeout(1200);

    // 2. the environment editor (from the request editor's header)
    await runCommand('Hammock: Manage Environments...');
    await page.waitForTimeout(800);
    if (await page.locator('.quick-input-widget').isVisible()) {
      await page.keyboard.type('Petstore');
      await page.waitForTimeout(400);
      await page.keyboard.press('Enter');
    }
    const envs = await frameWith('.env-list', 'no environment editor frame', 100);
    await envs.locator('.env-item', { hasText: 'Production' }).click();
    await envs.locator('#env-name').waitFor();
    await page.waitForTimeout(1500);
    await shot(page, 'environment-editor');
    await envs.locator('.tab', { hasText: 'JSON' }).click();
    await page.waitForTimeout(800);
    await shot(page, 'environment-editor-json');

    // 3. the active environment in the status bar and its picker
    await runCommand('Hammock: Select Environment...');
    await page.waitForSelector('.quick-input-widget', { state: 'visible' });
    await page.waitForTimeout(800);
    await shot(page, 'environment-picker');
    await page.keyboard.press('Escape');

    // 4. a body in VS Code's editor, beside the request editor
    await runCommand('View: Close All Editors');
    await page.waitForTimeout(800);
    await runCommand('Hammock: Open Request');
    await page.waitForSelector('.quick-input-widget', { state: 'visible' });
    await page.waitForTimeout(600);
    await page.keyboard.type('Add a pet');
    await page.waitForTimeout(600);
    await page.keyboard.press('Enter');
    const addPet = await frameWithText(page, 'header .name', 'Add a pet');
    await page.waitForTimeout(1500);
    await addPet.locator('.tab', { hasText: 'Body' }).click();
    await page.waitForTimeout(600);
    await addPet.locator('vscode-button', { hasText: 'Open to the Side' }).first().click();
    await page.waitForSelector('.monaco-editor .view-lines', { timeout: 20000 });
    await page.waitForTimeout(2500);
    await shot(page, 'body-in-editor');

    // 5. the secret check of a commit: a token pasted into a header, then Commit
    const request = fs.readdirSync(path.join(ws, '.insomnia', 'Request')).map((f) => path.join(ws, '.insomnia', 'Request', f)).find((f) => fs.readFileSync(f, 'utf8').includes('name: Inventory'));
    const token = `gh${'p'}_${'R7tY2uI9oP4aS6dF8gH1jK3lZ5xC0vB7nM2q'.slice(0, 36)}`;
    fs.writeFileSync(request, fs.readFileSync(request, 'utf8').replace(/^headers:.*\n/m, `headers:\n  - name: Authorization\n    value: Bearer ${token}\n`));
    git('add', '.insomnia');
    await page.waitForTimeout(2000);
    await runCommand('Hammock: Commit');
    await page.locator('.monaco-dialog-box').waitFor({ timeout: 20000 });
    const dialog = await page.locator('.monaco-dialog-box').innerText();
    if (!dialog.includes('GitHub token ghp_') || dialog.includes(token)) throw new Error(`the secret check's dialog says: ${dialog}`);
    await page.waitForTimeout(800);
    await shot(page, 'secret-check');
    await page.keyboard.press('Escape');
    // (the workbench's smoke-test driver is off here: it refuses modal dialogs, and this one is the point)
  } finally {
    await workbench?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

let failed = false;
for (const key of wanted.length ? wanted : Object.keys(themes)) {
  try {
    await shoot(key);
  } catch (e) {
    failed = true;
    console.error(`[feature-shots] ${key}: ${e.stack || e.message}`);
  }
}
process.exit(failed ? 1 : 0);
