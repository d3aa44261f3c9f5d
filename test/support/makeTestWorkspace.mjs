// The throwaway workspace folder an integration run opens: real Insomnia data copied at run time
// from test/fixtures, made a git repository with one commit.
//
//   <tmp>/hammock-ws-XXXXXX/
//     .insomnia/...        legacy/kong-demo-with-tests/.insomnia (a legacy collection at the root)
//     v5/*.yaml            v5/kong-example/*.yaml (v5 single-file collections, one non-ASCII name,
//                          and spec.yaml, which is not an Insomnia file)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitSnapshot } from '../../scripts/gitSnapshot.mjs';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = path.join(projectRoot, 'test/fixtures');

/** What the prepared workspace holds, relative to its root, for tests to look up. */
export const TEST_WORKSPACE_LAYOUT = {
  legacyFrom: 'legacy/kong-demo-with-tests/.insomnia',
  legacyTo: '.insomnia',
  v5From: 'v5/kong-example',
  v5To: 'v5',
};

/**
 * Creates the workspace in a new temp dir and returns its real path.
 * @param {{ parent?: string }} [options]
 * @returns {{ dir: string, commit: string }}
 */
export function makeTestWorkspace(options = {}) {
  const legacy = path.join(fixturesDir, TEST_WORKSPACE_LAYOUT.legacyFrom);
  const v5 = path.join(fixturesDir, TEST_WORKSPACE_LAYOUT.v5From);
  for (const p of [legacy, v5]) {
    if (!fs.existsSync(p)) throw new Error(`fixture not found: ${p} (test/fixtures is part of the repository)`);
  }
  const parent = options.parent || os.tmpdir();
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(parent, 'hammock-ws-')));
  fs.cpSync(legacy, path.join(dir, TEST_WORKSPACE_LAYOUT.legacyTo), { recursive: true });
  const v5Dest = path.join(dir, TEST_WORKSPACE_LAYOUT.v5To);
  fs.mkdirSync(v5Dest);
  for (const name of fs.readdirSync(v5)) {
    if (name.endsWith('.yaml')) fs.copyFileSync(path.join(v5, name), path.join(v5Dest, name));
  }
  // The fixtures are read-only on disk; the tests edit the copies.
  chmodWritable(dir);
  const commit = gitSnapshot(dir, 'Test workspace: kong-demo-with-tests (.insomnia) and kong-example (v5)');
  return { dir, commit };
}

/** @param {string} p */
function chmodWritable(p) {
  const st = fs.statSync(p);
  fs.chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
  if (st.isDirectory()) for (const e of fs.readdirSync(p)) chmodWritable(path.join(p, e));
}

/** @param {string} dir */
export function removeTestWorkspace(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
}
