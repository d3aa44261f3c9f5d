// Starts and stops code-server (installed by scripts/installCodeServer.sh) for the integration
// runner and the demo: loopback only, no auth, its own user-data, extensions and config.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { CODE_SERVER_BUILD_PACKAGES, SetupNeeded, ensureSystemPackages } from '../../scripts/systemPackages.mjs';
import { projectRoot } from './makeTestWorkspace.mjs';
import { patchWebviewHost } from './webviewHostPatch.mjs';

export const CODE_SERVER_VERSION = '4.100.3';

/** The code-server package dir: $CODE_SERVER_DIR, or where scripts/installCodeServer.sh puts it. */
export function codeServerDir() {
  return path.resolve(process.env.CODE_SERVER_DIR || path.join(projectRoot, '.vscode-test/code-server/node_modules/code-server'));
}

/**
 * Installs code-server on first use (scripts/installCodeServer.sh: from the npm registry, about two minutes on
 * 2 cores), first the Debian packages its native modules need when they are missing (scripts/systemPackages.mjs:
 * installed when running as root with apt-get, else the command to run is in the SetupNeeded error).
 * Into the default place, or the install folder of $CODE_SERVER_DIR when that ends in node_modules/code-server.
 * @param {(msg: string) => void} say
 */
export function ensureCodeServer(say) {
  const dir = codeServerDir();
  if (fs.existsSync(path.join(dir, 'out/node/entry.js'))) return dir;
  if (!/[\\/]node_modules[\\/]code-server$/.test(dir)) throw new SetupNeeded(`code-server is not installed in ${dir} (CODE_SERVER_DIR)`);
  ensureSystemPackages(CODE_SERVER_BUILD_PACKAGES, { why: 'installing code-server', say });
  const dest = path.dirname(path.dirname(dir));
  say(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(process.cwd(), dest) || dest} (first run only; about two minutes)`);
  const r = spawnSync('bash', [path.join(projectRoot, 'scripts/installCodeServer.sh'), dest], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new SetupNeeded(`installing code-server failed (exit ${r.status ?? r.signal}); see the lines above`);
  assertCodeServerInstalled(dir);
  return dir;
}

/** @param {string} dir */
export function assertCodeServerInstalled(dir) {
  if (!fs.existsSync(path.join(dir, 'out/node/entry.js'))) {
    throw new Error(`code-server is not installed in ${dir}: run scripts/installCodeServer.sh first (npm test and npm run demo do it on first use)`);
  }
}

/** A free TCP port on 127.0.0.1. @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** User settings that keep the workbench quiet and off the network. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Hammock opens its walkthrough on its first activation (src/walkthrough.ts): not over the tests and screenshots
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

/**
 * Writes `<userDataDir>/User/settings.json` (merged over an existing one) and a code-server config file.
 * @param {string} userDataDir @param {Record<string, unknown>} settings
 */
export function writeUserSettings(userDataDir, settings) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let current = {};
  try { current = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { /* none yet */ }
  fs.writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2) + '\n');
}

/**
 * @typedef {object} CodeServerOptions
 * @property {number} port
 * @property {string} userDataDir
 * @property {string} extensionsDir
 * @property {string} [csDir]                    code-server package dir, default codeServerDir()
 * @property {string} [logFile]                  server stdout/stderr go there (else inherited)
 * @property {Record<string,string>} [env]       extra environment (the extension host inherits it)
 * @property {string[]} [args]                   extra code-server arguments (e.g. a folder to open)
 * @property {string} [logLevel]
 * @property {(line: string) => void} [onOutput] every chunk of server output
 * @property {(msg: string) => void} [say]       told when the webview host page could not be patched
 */

/**
 * Starts code-server and waits until /healthz answers. First patches its webview host page so that a webview's page
 * does not stall 20-30 s on code-server's service worker (webviewHostPatch.mjs; idempotent).
 * @param {CodeServerOptions} o
 * @returns {Promise<{ url: string, child: import('node:child_process').ChildProcess, stop: () => Promise<void>, exited: Promise<{code: number|null, signal: string|null}> }>}
 */
export async function startCodeServer(o) {
  const csDir = o.csDir || codeServerDir();
  assertCodeServerInstalled(csDir);
  const { problem } = patchWebviewHost(csDir);
  if (problem) (o.say ?? ((m) => process.stderr.write(`${m}\n`)))(`webview host page left as it is (webviews may stall ~30 s on their service worker): ${problem}`);
  fs.mkdirSync(o.userDataDir, { recursive: true });
  fs.mkdirSync(o.extensionsDir, { recursive: true });
  // An explicit config keeps code-server from creating ~/.config/code-server/config.yaml.
  const configFile = path.join(o.userDataDir, 'code-server.yaml');
  fs.writeFileSync(configFile, 'auth: none\n');
  const args = [
    path.join(csDir, 'out/node/entry.js'),
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${o.port}`,
    '--user-data-dir', o.userDataDir,
    '--extensions-dir', o.extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    '--log', o.logLevel || 'info',
    ...(o.args || []),
  ];
  const log = o.logFile ? fs.createWriteStream(o.logFile) : null;
  const child = spawn(process.execPath, args, {
    detached: true, // its own process group: stop() ends the server and its extension hosts together
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...o.env, CS_DISABLE_GETTING_STARTED_OVERRIDE: '1' },
  });
  for (const s of [child.stdout, child.stderr]) {
    s.on('data', (d) => {
      if (log) log.write(d); else process.stderr.write(d);
      o.onOutput?.(String(d));
    });
  }
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      const t = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000);
      await exited;
      clearTimeout(t);
    }
    // Extension hosts may outlive the server in its group for a moment.
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    log?.end();
  };
  const url = `http://127.0.0.1:${o.port}`;
  let early;
  exited.then((e) => { early = e; });
  for (const start = Date.now(); ;) {
    if (early) throw new Error(`code-server exited while starting (code ${early.code}, signal ${early.signal})${o.logFile ? `; see ${o.logFile}` : ''}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() - start > 60000) {
      await stop();
      throw new Error('code-server did not answer /healthz within 60 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child, stop, exited };
}

/** Chromium flags for this machine (no network but loopback). */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export function chromiumPath() {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}
