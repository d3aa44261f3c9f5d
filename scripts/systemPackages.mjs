#!/usr/bin/env node
// The Debian packages the demo, the tests and CI need, checked and, when missing, installed: as root on a machine
// with apt-get they are installed here (as .ci/run does on a fresh CI machine); otherwise the one command to run is
// printed and the caller stops with a non-zero exit. No npm package is needed: .ci/run uses this before `npm ci`.
//
//   node scripts/systemPackages.mjs [package...]     default: every package below
//
// chromium       drives the VS Code workbench in the integration tests and the screenshot scripts
// git            makes the test and demo repositories (and is the oracle of the git tests)
// openssh-server an sshd on loopback serves the test repositories over SSH (test/support/sshServer.ts)
// ripgrep, python3, make, g++, libkrb5-dev
//                build code-server's native modules when scripts/installCodeServer.sh installs it (once)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian package name -> how to tell it is there. */
const PRESENT = {
  chromium: () => (process.env.CHROMIUM_PATH ? fs.existsSync(process.env.CHROMIUM_PATH) : onPath('chromium')),
  git: () => onPath('git'),
  'openssh-server': () => fs.existsSync('/usr/sbin/sshd'),
  ripgrep: () => onPath('rg'),
  python3: () => onPath('python3'),
  make: () => onPath('make'),
  'g++': () => onPath('g++'),
  'libkrb5-dev': () => fs.existsSync('/usr/include/gssapi/gssapi.h'),
};

/** What scripts/installCodeServer.sh needs to build code-server's native modules. */
export const CODE_SERVER_BUILD_PACKAGES = ['ripgrep', 'python3', 'make', 'g++', 'libkrb5-dev'];
export const ALL_PACKAGES = Object.keys(PRESENT);

function onPath(cmd) {
  return (process.env.PATH || '').split(path.delimiter).some((dir) => {
    if (!dir) return false;
    try {
      fs.accessSync(path.join(dir, cmd), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Thrown when packages are missing and cannot be installed here; its message says what to run. */
export class SetupNeeded extends Error {
  name = 'SetupNeeded';
}

/** @param {readonly string[]} names Debian package names (keys of PRESENT) */
export function missingPackages(names) {
  return names.filter((n) => {
    if (!PRESENT[n]) throw new Error(`unknown package ${n}`);
    return !PRESENT[n]();
  });
}

/**
 * Makes sure these Debian packages are installed: installs the missing ones when running as root with apt-get,
 * otherwise throws SetupNeeded naming the one command to run.
 * @param {readonly string[]} names @param {{ why: string, say?: (msg: string) => void }} o
 */
export function ensureSystemPackages(names, o) {
  const say = o.say ?? ((m) => console.error(m));
  const missing = missingPackages(names);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!onPath('apt-get')) {
    throw new SetupNeeded(`${o.why} needs these Debian/Ubuntu packages, or your system's equivalents: ${missing.join(' ')}. Install them, then run this again.`);
  }
  if (!isRoot) {
    throw new SetupNeeded(`${o.why} needs the Debian packages ${missing.join(', ')}. Install them with\n\n    sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\n\nthen run this again.`);
  }
  say(`installing the Debian packages ${missing.join(' ')} (${o.why}; apt-get, as root)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...missing]]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) throw new SetupNeeded(`apt-get ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  }
  const still = missingPackages(missing);
  if (still.length) throw new SetupNeeded(`apt-get installed ${missing.join(' ')} but ${still.join(', ')} still cannot be found`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  try {
    ensureSystemPackages(names.length ? names : ALL_PACKAGES, { why: 'Hammock' });
    console.error(`[systemPackages] present: ${(names.length ? names : ALL_PACKAGES).join(' ')}`);
  } catch (e) {
    console.error(`[systemPackages] ${e.message}`);
    process.exit(1);
  }
}
