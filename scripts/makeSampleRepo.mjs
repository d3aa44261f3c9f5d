#!/usr/bin/env node
// Makes the demo's sample repository: a copy of samples/ (a Petstore collection in both Insomnia
// formats: a legacy .insomnia/ folder and a v5 file) as a git repository with one commit.
//
//   node scripts/makeSampleRepo.mjs [DEST] [--fresh]     DEST defaults to .vscode-test/demo-repo
//
// An existing DEST that is already a git repository is kept as it is (your edits survive a demo
// restart) unless --fresh is given.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gitSnapshot } from './gitSnapshot.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLES_DIR = path.join(projectRoot, 'samples');
export const DEFAULT_SAMPLE_REPO = path.join(projectRoot, '.vscode-test', 'demo-repo');

/**
 * @param {string} [dest]
 * @param {{ fresh?: boolean }} [options]
 * @returns {{ dir: string, created: boolean }}
 */
export function makeSampleRepo(dest = DEFAULT_SAMPLE_REPO, options = {}) {
  const dir = path.resolve(dest);
  if (fs.existsSync(path.join(dir, '.git')) && !options.fresh) return { dir, created: false };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.cpSync(SAMPLES_DIR, dir, { recursive: true });
  gitSnapshot(dir, 'Petstore sample collections (legacy .insomnia and v5)');
  return { dir, created: true };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const dest = args.find((a) => !a.startsWith('--'));
  const { dir, created } = makeSampleRepo(dest, { fresh: args.includes('--fresh') });
  console.log(created ? `sample repository created in ${dir}` : `sample repository already in ${dir} (kept; --fresh to recreate)`);
}
