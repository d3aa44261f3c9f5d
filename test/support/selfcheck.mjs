#!/usr/bin/env node
// Checks that the integration runner cannot pass a broken suite: it runs runInCodeServer.mjs on the
// deliberately bad tests of test/integration-bad/ and succeeds only if each run exits with code 1
// (test failure, not a harness error) and reports the failures it must.
//
//   node test/support/selfcheck.mjs        (npm run test:integration:selfcheck)
//
// The children's output is shown only when a case goes wrong, so that their `N failed` closing
// lines do not read as this run's.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SetupNeeded, ensureSystemPackages } from '../../scripts/systemPackages.mjs';
import { ensureCodeServer } from './codeServer.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const runner = path.join(here, 'runInCodeServer.mjs');

// First use (npm test right after npm install): the set-up happens here, in sight, not inside a child whose output
// is shown only when a case goes wrong.
try {
  ensureSystemPackages(['chromium', 'git'], { why: 'the integration tests' });
  ensureCodeServer((m) => console.log(`[selfcheck] ${m}`));
} catch (e) {
  console.error(`[selfcheck] ${e instanceof SetupNeeded ? e.message : e.stack}`);
  process.exit(1);
}

const CASES = [
  {
    name: 'a failing assertion and a test that never finishes',
    args: ['--suite=test/integration-bad', 'test/integration-bad/failing.test.ts'],
    code: 1,
    closing: '1 passed, 2 failed',
    output: ['fails an assertion', 'never finishes (mocha timeout)'],
  },
  {
    name: 'a test file that throws at load',
    args: ['--suite=test/integration-bad', 'test/integration-bad/throwsAtLoad.test.ts'],
    code: 1,
    closing: '0 passed, 1 failed',
    output: ['test file blew up at load time'],
  },
];

function runCase(c) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [runner, ...c.args, '--timeout=180'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HAMMOCK_TESTS: '', HAMMOCK_TEST_GREP: '' },
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ code, out, seconds: (Date.now() - started) / 1000 }));
  });
}

let bad = 0;
for (const c of CASES) {
  const { code, out, seconds } = await runCase(c);
  const lines = out.trimEnd().split('\n');
  const problems = [];
  if (code !== c.code) problems.push(`exit code ${code}, expected ${c.code}`);
  if (lines.at(-1) !== c.closing) problems.push(`closing line "${lines.at(-1)}", expected "${c.closing}"`);
  for (const s of c.output) if (!out.includes(s)) problems.push(`output lacks "${s}"`);
  if (problems.length === 0) {
    console.log(`selfcheck ok (${seconds.toFixed(0)} s): ${c.name}: exit ${code}, "${c.closing}"`);
  } else {
    bad += 1;
    console.log(`selfcheck FAILED (${seconds.toFixed(0)} s): ${c.name}: ${problems.join('; ')}`);
    console.log(lines.map((l) => `    | ${l}`).join('\n'));
  }
}
console.log(bad === 0
  ? `selfcheck: the runner failed each of the ${CASES.length} bad suites as it must`
  : `selfcheck: ${bad} of ${CASES.length} cases wrong`);
process.exit(bad === 0 ? 0 : 1);
