#!/usr/bin/env node
// One command to see Hammock in a real VS Code, in the browser (after `npm install`):
//
//   npm run demo                    PORT=9000 npm run demo     npm run demo -- --fresh
//
// 1. builds the extension (npm run build),
// 2. installs code-server 4.100.3 (= VS Code 1.100) into .vscode-test/code-server once (about two minutes), and
//    before that the Debian packages it needs to build when they are missing: itself when run as root with apt-get,
//    else it prints the one command to run and stops (scripts/systemPackages.mjs),
// 3. makes the sample repository .vscode-test/demo-repo from samples/ (kept across runs; --fresh
//    recreates it),
// 4. installs the built Hammock into the demo's own extensions folder (the files a .vsix would
//    hold, per .vscodeignore),
// 5. starts code-server on 127.0.0.1:$PORT (default 8080, no password) with the sample repository
//    open, and prints the URL. Runs until Ctrl+C.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUIET_SETTINGS, codeServerDir, ensureCodeServer, startCodeServer, writeUserSettings } from '../test/support/codeServer.mjs';
import { SetupNeeded, ensureSystemPackages } from './systemPackages.mjs';
import { makeSampleRepo } from './makeSampleRepo.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demoDir = path.join(projectRoot, '.vscode-test', 'demo');
const port = Number(process.env.PORT || 8080);
const fresh = process.argv.includes('--fresh');
const say = (msg) => console.log(`[demo] ${msg}`);

function run(cmd, args, stdout = 'inherit') {
  const r = spawnSync(cmd, args, { cwd: projectRoot, stdio: ['ignore', stdout, 'inherit'] });
  if (r.status !== 0) {
    console.error(`[demo] ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

/**
 * Copies what the packaged extension holds (the `!` lines of .vscodeignore: files, `dir/**`,
 * `dir/*.ext`) into `dest`.
 */
function installExtensionFiles(dest) {
  const patterns = fs.readFileSync(path.join(projectRoot, '.vscodeignore'), 'utf8')
    .split('\n').map((l) => l.trim()).filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/^\//, ''));
  for (const pattern of patterns) {
    const dirGlob = /^(.*)\/\*\*$/.exec(pattern);
    const fileGlob = /^(.*)\/([^/]*\*[^/]*)$/.exec(pattern);
    if (dirGlob) {
      const src = path.join(projectRoot, dirGlob[1]);
      if (fs.existsSync(src)) fs.cpSync(src, path.join(dest, dirGlob[1]), { recursive: true });
    } else if (fileGlob) {
      const src = path.join(projectRoot, fileGlob[1]);
      const re = new RegExp(`^${fileGlob[2].replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      if (!fs.existsSync(src)) continue;
      for (const name of fs.readdirSync(src)) {
        if (re.test(name) && fs.statSync(path.join(src, name)).isFile()) {
          fs.mkdirSync(path.join(dest, fileGlob[1]), { recursive: true });
          fs.copyFileSync(path.join(src, name), path.join(dest, fileGlob[1], name));
        }
      }
    } else if (fs.existsSync(path.join(projectRoot, pattern))) {
      fs.mkdirSync(path.dirname(path.join(dest, pattern)), { recursive: true });
      fs.cpSync(path.join(projectRoot, pattern), path.join(dest, pattern), { recursive: true });
    }
  }
}

try {
  ensureSystemPackages(['git'], { why: 'the demo', say });
  ensureCodeServer(say);
} catch (e) {
  console.error(`[demo] ${e instanceof SetupNeeded ? e.message : e.stack}`);
  process.exit(1);
}

say('building the extension');
run('npm', ['run', '--silent', 'build']);

const repo = makeSampleRepo(undefined, { fresh });
say(repo.created ? `sample repository created in ${repo.dir}` : `sample repository ${repo.dir} kept as it is (npm run demo -- --fresh recreates it)`);

const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
const extensionsDir = path.join(demoDir, 'extensions');
fs.rmSync(extensionsDir, { recursive: true, force: true }); // always the build just made
const extDir = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
installExtensionFiles(extDir);
if (!fs.existsSync(path.join(extDir, manifest.main))) {
  console.error(`[demo] ${manifest.main} is missing from the installed extension: check .vscodeignore`);
  process.exit(1);
}
say(`Hammock ${manifest.version} installed into ${path.relative(projectRoot, extensionsDir)}`);

const userDataDir = path.join(demoDir, 'user-data');
// a first-time user of the demo gets the Getting Started walkthrough, as after installing the .vsix
writeUserSettings(userDataDir, { ...QUIET_SETTINGS, 'workbench.startupEditor': 'none', 'workbench.welcomePage.walkthroughs.openOnInstall': true });

let server;
try {
  server = await startCodeServer({
    csDir: codeServerDir(),
    port,
    userDataDir,
    extensionsDir,
    logFile: path.join(demoDir, 'code-server.log'),
    args: [repo.dir],
    say,
  });
} catch (e) {
  console.error(`[demo] ${e.message}`);
  const log = path.join(demoDir, 'code-server.log');
  if (fs.existsSync(log) && /EADDRINUSE/.test(fs.readFileSync(log, 'utf8'))) {
    console.error(`[demo] port ${port} is in use: run with another one, e.g. PORT=8081 npm run demo`);
  }
  process.exit(1);
}

const url = `${server.url}/?folder=${encodeURI(repo.dir)}`;
console.log('');
console.log(`  Hammock demo running: open ${url}`);
console.log(`  (code-server log: ${path.relative(projectRoot, path.join(demoDir, 'code-server.log'))}; Ctrl+C to stop)`);
console.log('');

let stopping = false;
const stop = async (signal) => {
  if (stopping) process.exit(130);
  stopping = true;
  say(`${signal}: stopping code-server`);
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
server.exited.then(({ code, signal }) => {
  if (stopping) return;
  console.error(`[demo] code-server exited (code ${code}, signal ${signal}); see .vscode-test/demo/code-server.log`);
  process.exit(1);
});
