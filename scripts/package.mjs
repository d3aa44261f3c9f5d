#!/usr/bin/env node
// `npm run package`: builds hammock-<version>.vsix, the extension as users install it.
//
//   node scripts/package.mjs [--out FILE]        default: hammock-<version>.vsix in the project root
//
// The production bundles are built in a scratch staging folder (the project's own esbuild.config.mjs --production,
// with src/ and node_modules/ linked in), never in the checkout's dist/, so the package holds exactly what a clean
// build makes (no stale file of an older build, no source map) and a development build in dist/ stays as it is.
// Then @vscode/vsce packages the staging folder: what goes in is what .vscodeignore lets through; README image links
// become absolute through package.json's `repository` (vsce's GitHub rule: <repository>/raw/HEAD/<path>).
// Also used by the integration harness (`--installed`) and the bench (vsix_bytes): one way to make the package.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What the staging folder copies from the project besides the bundles: the manifest, what vsce reads, and every
 * folder .vscodeignore lets something in from (media, docs: the walkthrough's pages and screenshot; syntaxes: a
 * body's language). */
export const STAGED = ['package.json', 'tsconfig.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media', 'docs', 'syntaxes'];

/**
 * Builds the .vsix and returns its path and size.
 * @param {{ out?: string, root?: string, say?: (msg: string) => void }} [o]
 * @returns {{ vsix: string, bytes: number, files: string[] }}
 */
export function packageVsix(o = {}) {
  const root = o.root ?? projectRoot;
  const say = o.say ?? (() => {});
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const out = path.resolve(o.out ?? path.join(root, `${manifest.name}-${manifest.version}.vsix`));
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-package-'));
  try {
    for (const entry of STAGED) fs.cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
    for (const entry of ['src', 'node_modules']) fs.symlinkSync(path.join(root, entry), path.join(stage, entry), 'dir');
    say('building the production bundles');
    run(process.execPath, [path.join(root, 'esbuild.config.mjs'), '--production'], stage, 'esbuild.config.mjs --production');
    // the sources and packages are in the bundles; vsce must not see them
    for (const entry of ['src', 'node_modules']) fs.rmSync(path.join(stage, entry));
    say(`packaging ${path.relative(process.cwd(), out) || out}`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    run(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], stage, 'vsce package');
    const listed = run(process.execPath, [vsce, 'ls', '--no-dependencies'], stage, 'vsce ls');
    const files = listed.split('\n').map((l) => l.trim()).filter(Boolean).sort();
    return { vsix: out, bytes: fs.statSync(out).size, files };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

function run(cmd, args, cwd, what) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`${what} failed (exit ${r.status ?? r.signal}):\n${`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-30).join('\n')}`);
  }
  return r.stdout;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--out');
  try {
    const { vsix, bytes, files } = packageVsix({ out: i > 0 ? process.argv[i + 1] : undefined, say: (m) => console.log(`[package] ${m}`) });
    console.log(`[package] ${files.length} files:\n${files.map((f) => `  ${f}`).join('\n')}`);
    console.log(`[package] wrote ${path.relative(process.cwd(), vsix) || vsix} (${(bytes / 1024).toFixed(0)} KB)`);
  } catch (e) {
    console.error(`[package] ${e.message}`);
    process.exit(1);
  }
}
