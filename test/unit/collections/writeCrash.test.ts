// Write crash loop: a child process saves through the store (a rename in a v5 file of 3,000 requests, rewritten whole
// each time; a folder duplicated into a legacy folder, several files, and the copy deleted again) and is killed with
// SIGKILL at a random moment, over and over. After each kill:
// - a fresh load reads the collection with no problem, every file whole: the v5 file holds the old or the new name,
//   never a cut or mixed text, and Insomnia's readers refuse nothing;
// - the next start (a new store) removes the temporary files a killed save left, so that neither Insomnia nor git
//   (`git status`, what Hammock's status shows) sees one, and `git fsck --strict` stays clean.
// (git operations killed mid-way are test/unit/git/crashLoop.test.ts.)
import * as assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { V5_3K, v5Text, writeLegacyRepo } from '../../../bench/generate';
import { checkInsomniaFolder, formatIssue } from '../../../src/collections/formats/conformance';
import { walkItems } from '../../../src/collections/model';
import { loadWorkspace } from '../../../src/collections/scan';
import { CollectionStore } from '../../../src/collections/store';
import { gitCli, initRepo, prng, TempDirs } from '../git/gitTestRepos';

describe('write crash loop: SIGKILL mid-save never leaves a cut file or a stray temporary file', function () {
  this.timeout(300_000);
  const tmp = new TempDirs();
  let bundle: string;

  before(() => {
    bundle = path.join(tmp.make('hammock-write-crash-bundle-'), 'child.js');
    esbuild.buildSync({ entryPoints: [path.join(__dirname, '../../support/writeCrashChild.ts')], bundle: true, platform: 'node', outfile: bundle, logLevel: 'silent', external: ['vscode'] });
  });
  after(() => tmp.cleanup());

  /** Runs the child until its first save is done, lets it save on for a random while, kills it; returns what it printed. */
  async function runAndKill(root: string, mode: string, delayMs: number): Promise<string> {
    const child = spawn(process.execPath, [bundle, root, mode], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', () => {
        if (/^saved 0$/m.test(out)) resolve();
      });
      child.once('exit', () => resolve());
    });
    await new Promise((r) => setTimeout(r, delayMs));
    child.kill('SIGKILL');
    await exited;
    return out;
  }

  /** Files in the work tree (not .git) whose name says a writer left them (`.hammock-*.tmp`). */
  function strayFiles(root: string): string[] {
    return (fs.readdirSync(root, { recursive: true }) as string[]).map(String).filter((f) => !f.startsWith('.git' + path.sep) && f !== '.git' && /\.tmp$|\.hammock-/.test(path.basename(f)));
  }

  async function checkAfterKill(root: string, context: string, expectRequests: number | undefined): Promise<Map<string, string>> {
    // the next start removes what a killed save left; then Insomnia and git see only collection files
    const store = new CollectionStore([root]);
    try {
      await store.reload();
      await store.whenTidied();
    } finally {
      store.dispose();
    }
    assert.deepEqual(strayFiles(root), [], `temporary files left after the next start ${context}`);
    const snapshot = await loadWorkspace(root);
    const problems = [...snapshot.problems, ...snapshot.collections.flatMap((c) => c.problems)].map((p) => `${path.relative(root, p.file)}:${p.line}: ${p.message}`);
    assert.deepEqual(problems, [], `a fresh load finds problems ${context}`);
    assert.equal(snapshot.collections.length, 1, context);
    const items = [...walkItems(snapshot.collections[0].children)];
    if (expectRequests !== undefined) assert.equal(items.filter((i) => i.kind === 'request').length, expectRequests, `requests ${context}`);
    const issues = checkInsomniaFolder(root).issues.map((i) => `${path.relative(root, i.file)}:${i.line + 1}: ${formatIssue(i)}`);
    assert.deepEqual(issues, [], `Insomnia refuses what was left ${context}`);
    const status = gitCli(root, 'status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean);
    for (const line of status) assert.match(line, /^( M| D|\?\?) (\.insomnia\/(Request|RequestGroup)\/(req|fld)_[0-9a-f]+\.yml|bench\.yaml)$/, `git status ${context}`);
    execFileSync('git', ['fsck', '--strict', '--no-progress'], { cwd: root, stdio: 'pipe' });
    return new Map(items.map((i) => [i.id, i.name]));
  }

  it('v5 file of 3,000 requests: old or new name, never cut; no temporary file after the next start', async () => {
    const random = prng(7101);
    const root = tmp.make('hammock-write-crash-v5-');
    const text = v5Text(V5_3K);
    initRepo(root, { 'bench.yaml': text });
    const first = (await loadWorkspace(root)).collections[0];
    const target = [...walkItems(first.children)].find((i) => i.kind === 'request')!;
    const requests = [...walkItems(first.children)].filter((i) => i.kind === 'request').length;
    for (let k = 0; k < 8; k++) {
      const out = await runAndKill(root, 'v5', Math.floor(random() * 400));
      assert.doesNotMatch(out, /^error /m, out);
      const saved = [...out.matchAll(/^saved (\d+)$/gm)].map((m) => Number(m[1]));
      const context = `after kill ${k + 1} (${saved.length} saves)`;
      const name = (await checkAfterKill(root, context, requests)).get(target.id);
      // the name of the last completed save, or of the save the kill cut: never torn, never an older one
      const last = saved[saved.length - 1];
      const pid = /^run (\d+) /.exec(name ?? '')?.[1];
      assert.ok(name === `run ${pid} ${last}` || name === `run ${pid} ${last + 1}`, `${name} ${context}`);
    }
  });

  it('legacy folder, a folder of several files duplicated and deleted: every file whole; no temporary file after the next start', async () => {
    const random = prng(7202);
    const root = tmp.make('hammock-write-crash-legacy-');
    await writeLegacyRepo(root, { requests: 60, folders: 6, environments: 2, seed: 3, maxDepth: 1 });
    gitCli(root, 'init', '-q', '-b', 'main');
    gitCli(root, 'add', '-A');
    gitCli(root, 'commit', '-qm', 'start');
    for (let k = 0; k < 25; k++) {
      const out = await runAndKill(root, 'legacy', Math.floor(random() * 300));
      assert.doesNotMatch(out, /^error /m, out);
      await checkAfterKill(root, `after kill ${k + 1}`, undefined);
    }
  });
});
