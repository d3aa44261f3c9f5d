#!/usr/bin/env node
// The legacy parse cache (src/collections/legacyCache.ts) walked as a user, in a real VS Code (code-server, headless
// Chromium): a legacy `.insomnia` git repository opened (the read worker writes .git/hammock/legacy-*.cache), the
// window closed, files changed outside VS Code as users change them (a `git checkout` of a branch that changes a
// request's URL; an edit keeping the size with its mtime set back; an Insomnia-style rewrite, temp file + rename, same
// size and mtime; a request deleted; one added), the window opened again. Fails unless the tree (Open Request's
// list), the request editor's URL and a Send to a loopback server show the new data; one unchanged request's cached
// name is doctored (its stamp kept) to show that the second window did take files from the cache. Also checks that
// `git status --porcelain` is what the changes made, `git fsck` is clean and nothing but .git/hammock was written.
// Not part of the suites (two windows, one after the other).
//
//   npm run build && node scripts/cacheWalk.mjs
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import { gitSnapshot } from './gitSnapshot.mjs';
import { startWorkbench } from './startWorkbench.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (m) => console.log(`[cache-walk] ${m}`);
const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-cache-walk-')));
const repo = path.join(scratch, 'repo');
const requests = path.join(repo, '.insomnia', 'Request');
const problems = [];
const check = (ok, what) => {
  say(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) problems.push(what);
};
/** `url` is `expected`, with a query string or not (the samples' requests have query parameters). */
const isUrl = (url, expected) => url === expected || url.startsWith(`${expected}?`);
const git = (...args) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });

// the loopback server every Send goes to
const received = [];
const server = http.createServer((req, res) => {
  received.push(req.url);
  req.resume();
  req.on('end', () => res.end('{"ok":true}'));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

// the repository: the sample's legacy folder, literal URLs to the loopback server
const A = path.join(requests, 'req_084139096f4049da9b4cff0e6aa1e3b0.yml'); // Find pets by status: its URL differs on branch `side`
const B = path.join(requests, 'req_2732d6f7ea574d86b307d31fddd5773d.yml'); // Add a pet: edited in place, same size, mtime set back
const C = path.join(requests, 'req_556acb82fd3f46e4b140695df46db06d.yml'); // Log in: rewritten Insomnia-style, same size and mtime
const D = path.join(requests, 'req_72bc9a7b007c4e6f91e8de3a36bf22ab.yml'); // Inventory: deleted
const E = path.join(requests, 'req_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.yml'); // Added later
const F = path.join(requests, 'req_8a166fdc5c3b4835897d5e445ad5f23c.yml'); // Get a pet: unchanged (its cached name doctored)
const setUrl = (file, url) => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^url: .*$/m, `url: ${url}`));
fs.cpSync(path.join(projectRoot, 'samples', '.insomnia'), path.join(repo, '.insomnia'), { recursive: true });
setUrl(A, `${base}/main-a`);
setUrl(B, `${base}/pet-bbb`);
setUrl(C, `${base}/login-c1`);
setUrl(F, `${base}/get-f`);
gitSnapshot(repo, 'legacy sample, loopback URLs');
git('checkout', '-q', '-b', 'side');
setUrl(A, `${base}/side-a`); // the same size as /main-a
git('commit', '-q', '-am', 'side: another URL for Find pets by status');
git('checkout', '-q', 'main');
// every file older than the racy window (3 s) when the first window reads it
const old = new Date(Date.now() - 60_000);
for (const f of fs.readdirSync(path.join(repo, '.insomnia'), { recursive: true })) fs.utimesSync(path.join(repo, '.insomnia', f), old, old);
await new Promise((r) => setTimeout(r, 3500));

const hammockDir = path.join(repo, '.git', 'hammock');
const cacheFiles = () => (fs.existsSync(hammockDir) ? fs.readdirSync(hammockDir).filter((n) => n.endsWith('.cache')) : []);
/** The repository's files but .git/hammock, each with its size and mtime. */
const snapshot = () =>
  fs
    .readdirSync(repo, { recursive: true })
    .filter((p) => !p.startsWith(path.join('.git', 'hammock')))
    .map((p) => {
      const st = fs.statSync(path.join(repo, p));
      return st.isFile() ? `${p} ${st.size} ${st.mtimeMs}` : `${p}/`;
    })
    .sort();
const outside = () => fs.readdirSync(scratch).filter((n) => !['repo', 'user-data', 'extensions', 'code-server.log'].includes(n));

async function openWindow(label, inside) {
  const workbench = await startWorkbench({ projectRoot, scratch, folder: repo, say, smokeTestDriver: true });
  try {
    const { page, runCommand } = workbench;
    const tabs = () => page.locator('.tabs-container .tab').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    await page.waitForTimeout(6000);
    await runCommand('Hammock: Focus on Collections View');
    await page.waitForTimeout(2500);
    for (let i = 0; i < 10 && !(await tabs()).some((t) => t.startsWith('Walkthrough')); i++) await page.waitForTimeout(500);
    await runCommand('View: Close All Editors');
    await page.waitForTimeout(1000);
    const listed = async () => {
      await runCommand('Hammock: Open Request');
      await page.waitForSelector('.quick-input-widget', { state: 'visible' });
      await page.waitForTimeout(1500);
      const names = await page.locator('.quick-input-list .monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent));
      await page.keyboard.press('Escape');
      return names;
    };
    const open = async (name) => {
      await runCommand('View: Close All Editors');
      await page.waitForTimeout(800);
      await runCommand('Hammock: Open Request');
      await page.waitForSelector('.quick-input-widget', { state: 'visible' });
      await page.waitForTimeout(800);
      await page.keyboard.type(name, { delay: 40 });
      await page.waitForTimeout(600);
      await page.keyboard.press('Enter');
      const frame = await workbench.frameWith('#url', `no request editor for ${name}`, 50);
      await page.waitForTimeout(1000);
      const url = await frame.locator('#url').first().evaluate((el) => el.value ?? el.textContent);
      return { frame, url };
    };
    const send = async (frame) => {
      const before = received.length;
      await frame.locator('#send').first().click();
      for (let i = 0; i < 75 && received.length === before; i++) await page.waitForTimeout(200);
      return received.slice(before);
    };
    await inside({ page, listed, open, send });
  } finally {
    await workbench.close();
  }
  say(`${label}: closed`);
}

/** The cache file's header (legacyCache.ts's layout) and chunks; `write` puts altered chunks back (bounds and sha1 made to fit). */
function cacheOf(file) {
  const bytes = fs.readFileSync(file);
  const length = bytes.readUInt32LE(0);
  const header = v8.deserialize(bytes.subarray(4, 4 + length));
  const body = bytes.subarray(4 + length);
  const chunks = [...header.byteEnds].map((end, k) => v8.deserialize(body.subarray(k === 0 ? 0 : header.byteEnds[k - 1], end)));
  const write = () => {
    const parts = chunks.map((c) => v8.serialize(c));
    let e = 0;
    header.byteEnds = Float64Array.from(parts.map((p) => (e += p.length)));
    const sha1 = createHash('sha1');
    for (const p of parts) sha1.update(p);
    header.sha1 = sha1.digest('hex');
    const head = v8.serialize(header);
    const size = Buffer.alloc(4);
    size.writeUInt32LE(head.length, 0);
    fs.writeFileSync(file, Buffer.concat([size, head, ...parts]));
  };
  return { header, chunks, write };
}

try {
  const status0 = git('status', '--porcelain');
  const tree0b = snapshot();
  await openWindow('first window', async ({ listed, open, send, page }) => {
    const names = await listed();
    say(`first window, Open Request lists: ${JSON.stringify(names)}`);
    check(names.some((n) => n.includes('Find pets by status')), 'first window: the tree has the requests');
    const a = await open('Find pets by status');
    check(isUrl(a.url, `${base}/main-a`), `first window: Find pets by status's URL is ${base}/main-a (${a.url})`);
    const sent = await send(a.frame);
    check(sent.some((u) => isUrl(u, '/main-a')), `first window: Send reached /main-a (${JSON.stringify(sent)})`);
    for (let i = 0; i < 100 && cacheFiles().length === 0; i++) await page.waitForTimeout(200);
  });
  // (the snapshot before git status: a status may refresh git's index)
  check(JSON.stringify(snapshot()) === JSON.stringify(tree0b), 'the first window wrote nothing in the repository but .git/hammock');
  check(cacheFiles().length > 0, `the first window wrote a cache in .git/hammock (${cacheFiles().join(', ')})`);
  check(git('status', '--porcelain') === status0, 'git status unchanged by the first window');
  const cached = cacheFiles().map((n) => cacheOf(path.join(hammockDir, n)));
  const cachedFiles = cached.flatMap((c) => c.header.files);
  for (const f of [A, B, C, D, F]) check(cachedFiles.includes(f), `cached after the first window: ${path.basename(f)}`);
  // one unchanged request's cached name doctored (its stamp kept): the second window shows it only if it took it from the cache
  let doctored = 0;
  for (const c of cached) {
    for (const chunk of c.chunks) {
      const at = chunk.files.indexOf(F);
      if (at < 0) continue;
      chunk.packed.models[at].name = 'Get a pet (from the cache)';
      doctored++;
    }
    if (doctored) c.write();
  }
  check(doctored === 1, 'doctored the cached name of Get a pet');

  // changes outside VS Code, as users make them
  git('checkout', '-q', 'side');
  const stB = fs.statSync(B);
  fs.writeFileSync(B, fs.readFileSync(B, 'utf8').replace('name: Add a pet', 'name: Add a cat').replace('/pet-bbb', '/cat-bbb'), { flag: 'r+' });
  fs.utimesSync(B, stB.atime, stB.mtime);
  check(fs.statSync(B).size === stB.size && fs.statSync(B).mtimeMs === stB.mtimeMs && fs.statSync(B).ino === stB.ino, 'B edited in place: same size, mtime and inode');
  const stC = fs.statSync(C);
  const tempC = path.join(requests, '.req_556acb82fd3f46e4b140695df46db06d.yml.tmp');
  fs.writeFileSync(tempC, fs.readFileSync(C, 'utf8').replace('name: Log in', 'name: Log on').replace('/login-c1', '/login-c2'));
  fs.utimesSync(tempC, stC.atime, stC.mtime);
  fs.renameSync(tempC, C);
  check(fs.statSync(C).size === stC.size && fs.statSync(C).mtimeMs === stC.mtimeMs, 'C rewritten (temp + rename): same size and mtime');
  fs.unlinkSync(D);
  fs.writeFileSync(E, fs.readFileSync(F, 'utf8').replace(/^_id: .*$/m, `_id: ${path.basename(E, '.yml')}`).replace(/^name: .*$/m, 'name: Added later').replace(/^url: .*$/m, `url: ${base}/added-e`));
  const status1 = git('status', '--porcelain');
  const tree1b = snapshot();

  await openWindow('second window', async ({ listed, open, send }) => {
    const names = await listed();
    say(`second window, Open Request lists: ${JSON.stringify(names)}`);
    check(names.some((n) => n.includes('Get a pet (from the cache)')), 'second window: the unchanged request came from the cache (its doctored name)');
    check(names.some((n) => n.includes('Add a cat')) && !names.some((n) => n.includes('Add a pet')), 'second window: the in-place edit (same size, mtime set back) is shown');
    check(names.some((n) => n.includes('Log on')) && !names.some((n) => /Log in\b/.test(n)), 'second window: the Insomnia-style rewrite is shown');
    check(!names.some((n) => n.includes('Inventory')), 'second window: the deleted request is gone');
    check(names.some((n) => n.includes('Added later')), 'second window: the added request is there');
    for (const [name, url] of [['Find pets by status', '/side-a'], ['Add a cat', '/cat-bbb'], ['Log on', '/login-c2'], ['Added later', '/added-e']]) {
      const r = await open(name);
      check(isUrl(r.url, `${base}${url}`), `second window: ${name}'s URL is ${url} (${r.url})`);
      const sent = await send(r.frame);
      check(sent.some((u) => isUrl(u, url)), `second window: Send ${name} reached ${url} (${JSON.stringify(sent)})`);
    }
  });
  check(JSON.stringify(snapshot()) === JSON.stringify(tree1b), 'the second window wrote nothing in the repository but .git/hammock');
  check(git('status', '--porcelain') === status1, `git status is what the changes made (${JSON.stringify(status1)})`);
  const fsck = execFileSync('git', ['fsck', '--strict', '--no-progress'], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  check(fsck === '', `git fsck is clean (${fsck})`);
  check(outside().length === 0, `nothing written beside the repository (${outside().join(', ')})`);
  const after = cacheFiles().flatMap((n) => cacheOf(path.join(hammockDir, n)).header.files);
  check(!after.includes(D), 'the deleted request is no longer cached');
  say(`cache files: ${cacheFiles().join(', ')}; files cached after the second window: ${after.length}`);
} catch (err) {
  problems.push(err instanceof Error ? err.stack ?? err.message : String(err));
} finally {
  server.close();
  if (!process.env.KEEP) fs.rmSync(scratch, { recursive: true, force: true });
  else say(`kept ${scratch}`);
}
for (const p of problems) console.error(`[cache-walk] FAILED: ${p}`);
process.exit(problems.length ? 1 : 0);
