// Status and the index's cache-tree (the `TREE` extension git keeps): where a folder's node is valid, status takes
// its tree id instead of hashing the folder, and when the root says the index is HEAD's tree nothing is hashed at
// all. Correctness is git's: after random staging operations run by the git CLI (which keeps, invalidates and
// rebuilds the cache-tree as it does for users), the status must equal `git status`; a cache-tree left stale by a
// tool that changed the entries without updating it must not hide what changed.

import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { execFileSync } from 'child_process';
import { GitClient } from '../../../src/git/gitClient';
import { parseIndex, serializeIndex, type CacheTreeNode } from '../../../src/git/indexFile';
import { computeStatus } from '../../../src/git/status';
import { switchTree } from '../../../src/git/worktree';
import { gitCli, initRepo, porcelain, sortLines, TempDirs, writeFiles } from './gitTestRepos';

/** `git status` that leaves the index alone, so that the cache-tree under test stays the one git left. */
function cliPorcelain(dir: string): string {
  const out = gitCli(dir, '--no-optional-locks', 'status', '--porcelain=v1', '-uall', '--no-renames');
  return sortLines(out.split('\n').filter(Boolean)).join('\n');
}

const FILES = ['a.txt', 'docs/b.txt', 'docs/deep/c.txt', 'docs/deep/d.txt', 'src/e.txt', 'src/x/f.txt'];

function seed(): Record<string, string> {
  return Object.fromEntries(FILES.map((f) => [f, `${f}\n`]));
}

function readCacheTree(dir: string) {
  return parseIndex(fs.readFileSync(path.join(dir, '.git/index')))!.cacheTree;
}

/** The `TREE` extension (signature, length and body) of an index file git wrote. */
function treeExtension(index: Buffer): Buffer {
  const at = index.indexOf(Buffer.from('TREE', 'latin1'));
  assert.ok(at > 0, 'git wrote a cache-tree');
  return index.subarray(at, at + 8 + index.readUInt32BE(at + 4));
}

/** An index of `entriesFrom`'s entries with `extension` appended (its trailing checksum recomputed). */
function withExtension(entriesFrom: Buffer, extension: Buffer): Buffer {
  const plain = serializeIndex(parseIndex(entriesFrom)!.entries);
  const body = Buffer.concat([plain.subarray(0, plain.length - 20), extension]);
  return Buffer.concat([body, crypto.createHash('sha1').update(body).digest()]);
}

/**
 * Checks every valid node of the index's cache-tree against git: its tree id is the one git makes of the index's
 * entries from scratch (a copy of the entries without the extension, `git write-tree`), its entry count the number
 * of entries under the folder. Returns how many valid nodes there were.
 */
function verifyCacheTree(dir: string): number {
  const ct = readCacheTree(dir);
  if (!ct) return 0;
  const listing = gitCli(dir, 'ls-files', '-s');
  const scratch = path.join(dir, '.git', 'scratch-index');
  const env = { ...process.env, GIT_INDEX_FILE: scratch };
  fs.rmSync(scratch, { force: true });
  execFileSync('git', ['update-index', '--index-info'], { cwd: dir, env, input: listing });
  const tree = execFileSync('git', ['write-tree'], { cwd: dir, env, encoding: 'utf8' }).trim();
  fs.rmSync(scratch, { force: true });
  const paths = listing.split('\n').filter(Boolean).map((l) => l.slice(l.indexOf('\t') + 1));
  let valid = 0;
  const walk = (n: CacheTreeNode, dirPath: string): void => {
    if (n.entryCount >= 0) {
      valid++;
      assert.strictEqual(n.oid, dirPath ? gitCli(dir, 'rev-parse', `${tree}:${dirPath}`).trim() : tree, `the cache-tree of '${dirPath}'`);
      assert.strictEqual(n.entryCount, dirPath ? paths.filter((p) => p.startsWith(dirPath + '/')).length : paths.length, `the entry count of '${dirPath}'`);
    }
    for (const [name, child] of n.children) walk(child, dirPath ? `${dirPath}/${name}` : name);
  };
  walk(ct, '');
  return valid;
}

describe('status and the cache-tree (TREE extension)', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  it("reads git's cache-tree: the root and each folder are the trees HEAD has", () => {
    const dir = initRepo(tmp.make(), seed());
    gitCli(dir, 'write-tree'); // fills the cache-tree whatever the commit left
    const ct = readCacheTree(dir)!;
    assert.strictEqual(ct.oid, gitCli(dir, 'rev-parse', 'HEAD^{tree}').trim());
    assert.strictEqual(ct.entryCount, FILES.length);
    assert.strictEqual(ct.children.get('docs')!.oid, gitCli(dir, 'rev-parse', 'HEAD:docs').trim());
    assert.strictEqual(ct.children.get('docs')!.children.get('deep')!.oid, gitCli(dir, 'rev-parse', 'HEAD:docs/deep').trim());
    assert.strictEqual(ct.children.get('src')!.entryCount, 2);
    // a stage invalidates the folders above the file (entry count -1, no tree id), not the others
    writeFiles(dir, { 'docs/deep/c.txt': 'changed\n' });
    gitCli(dir, 'add', 'docs/deep/c.txt');
    const after = readCacheTree(dir)!;
    assert.strictEqual(after.entryCount, -1);
    assert.strictEqual(after.oid, undefined);
    assert.strictEqual(after.children.get('docs')!.children.get('deep')!.entryCount, -1);
    assert.strictEqual(after.children.get('src')!.oid, gitCli(dir, 'rev-parse', 'HEAD:src').trim());
  });

  type Op =
    | { kind: 'stage'; file: string; text: string }
    | { kind: 'unstage'; file: string }
    | { kind: 'rmCached'; file: string }
    | { kind: 'intentToAdd'; file: string }
    | { kind: 'writeTree' }
    | { kind: 'commit' }
    | { kind: 'softReset' }
    | { kind: 'readTreeHead' };
  const file = fc.constantFrom(...FILES, 'new.txt', 'docs/new.txt', 'src/x/y/new.txt');
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('stage' as const), file, text: fc.constantFrom('one\n', 'two\n', '') }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('unstage' as const), file }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('rmCached' as const), file }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('intentToAdd' as const), file }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'writeTree' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'commit' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'softReset' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'readTreeHead' as const }) },
  );

  function run(dir: string, op: Op): void {
    const tryGit = (...args: string[]): void => {
      try {
        gitCli(dir, ...args);
      } catch {
        /* not applicable in this state (unstage of a path git does not know, nothing to commit): a no-op step */
      }
    };
    switch (op.kind) {
      case 'stage':
        writeFiles(dir, { [op.file]: op.text });
        tryGit('add', '--', op.file);
        break;
      case 'unstage':
        tryGit('reset', '-q', '--', op.file);
        break;
      case 'rmCached':
        tryGit('rm', '-q', '--cached', '--', op.file);
        break;
      case 'intentToAdd':
        if (!fs.existsSync(path.join(dir, op.file))) writeFiles(dir, { [op.file]: 'ita\n' });
        tryGit('add', '-N', '--', op.file);
        break;
      case 'writeTree':
        tryGit('write-tree');
        break;
      case 'commit':
        tryGit('commit', '-q', '-m', 'step');
        break;
      case 'softReset':
        tryGit('reset', '-q', '--soft', 'HEAD~1');
        break;
      case 'readTreeHead':
        tryGit('read-tree', 'HEAD'); // a cache-tree valid everywhere, the working tree left as it is
        break;
    }
  }

  it('equals git status after random stage, unstage, commit and reset steps by the git CLI', async function () {
    this.timeout(240_000);
    let validRoots = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 3, maxLength: 10 }), async (plan) => {
        const dir = initRepo(tmp.make(), seed());
        gitCli(dir, 'commit', '-q', '--allow-empty', '-m', 'second'); // HEAD~1 exists for the soft reset
        const cache = {}; // shared across the steps, as the worker's is: the memo must follow the index
        for (const op of plan) {
          run(dir, op);
          if (readCacheTree(dir)?.oid) validRoots++;
          assert.strictEqual(porcelain(await computeStatus({ dir, cache })), cliPorcelain(dir), `after ${JSON.stringify(op)}`);
          assert.strictEqual(porcelain(await computeStatus({ dir })), cliPorcelain(dir), `after ${JSON.stringify(op)} (a new cache)`);
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 25, seed: 1405 },
    );
    assert.ok(validRoots > 0, 'some steps left a valid root cache-tree (the fast path was taken)');
  });

  type HammockOp =
    | { kind: 'stage'; file: string; text: string }
    | { kind: 'unstage'; file: string }
    | { kind: 'discard'; file: string }
    | { kind: 'commit' }
    | { kind: 'checkout' }
    | { kind: 'cliAdd'; file: string; text: string };
  const hammockOp: fc.Arbitrary<HammockOp> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('stage' as const), file, text: fc.constantFrom('one\n', 'two\n') }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('unstage' as const), file }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('discard' as const), file }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'commit' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'checkout' as const }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('cliAdd' as const), file, text: fc.constantFrom('cli\n', '') }) },
  );

  it("Hammock's index writes keep a cache-tree git agrees with (carried where entries did not change, whole after a checkout or clone)", async function () {
    this.timeout(300_000);
    let validNodes = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(hammockOp, { minLength: 3, maxLength: 8 }), async (plan) => {
        const dir = initRepo(tmp.make(), seed());
        gitCli(dir, 'checkout', '-q', '-b', 'other');
        writeFiles(dir, { 'docs/b.txt': 'other\n', 'other/z.txt': 'z\n' });
        gitCli(dir, 'add', '-A');
        gitCli(dir, 'commit', '-q', '-m', 'other');
        gitCli(dir, 'checkout', '-q', 'main');
        const client = new GitClient(dir);
        let branch = 'main';
        for (const op of plan) {
          try {
            switch (op.kind) {
              case 'stage':
                writeFiles(dir, { [op.file]: op.text });
                await client.stage([op.file]);
                break;
              case 'unstage':
                await client.unstage([op.file]);
                break;
              case 'discard':
                await client.discard([op.file]);
                break;
              case 'commit':
                await client.commit('step', { author: { name: 'T', email: 't@t' } });
                break;
              case 'checkout':
                await client.checkout((branch = branch === 'main' ? 'other' : 'main'));
                break;
              case 'cliAdd':
                writeFiles(dir, { [op.file]: op.text });
                gitCli(dir, 'add', '--', op.file);
                break;
            }
          } catch {
            /* refused in this state (nothing to commit, local changes in the way): the index is left as it was */
          }
          validNodes += verifyCacheTree(dir);
          assert.strictEqual(porcelain(await computeStatus({ dir })), cliPorcelain(dir), `after ${JSON.stringify(op)}`);
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 15, seed: 1406 },
    );
    assert.ok(validNodes > 0, 'some writes kept or made valid cache-tree nodes');
  });

  it('a checkout into an empty index (as a clone makes) writes the whole tree as the cache-tree', async () => {
    const dir = initRepo(tmp.make(), seed());
    const tree = gitCli(dir, 'rev-parse', 'HEAD^{tree}').trim();
    fs.rmSync(path.join(dir, '.git/index'));
    for (const f of FILES) fs.rmSync(path.join(dir, f));
    await switchTree({ dir, gitdir: path.join(dir, '.git'), cache: {} }, null, tree, { operation: 'clone', fresh: true });
    const ct = readCacheTree(dir)!;
    assert.strictEqual(ct.oid, tree);
    assert.strictEqual(verifyCacheTree(dir), 1);
    assert.strictEqual(porcelain(await computeStatus({ dir })), '');
    assert.strictEqual(cliPorcelain(dir), '');
  });

  it('a cache-tree left stale by a tool that added or removed entries without updating it hides nothing', async () => {
    const dir = initRepo(tmp.make(), seed());
    gitCli(dir, 'read-tree', 'HEAD');
    const clean = fs.readFileSync(path.join(dir, '.git/index'));
    const stale = treeExtension(clean); // valid everywhere: the root is HEAD's tree
    // an entry removed, or one added, by git (the index it writes is the oracle); then the same entries with the
    // clean index's cache-tree, as a tool that rewrote the entries and kept the extension would leave them. (A
    // stale cache-tree whose entry counts still match, one entry removed and another added in the same folder, is
    // trusted, as git itself trusts it.)
    const changes = [() => gitCli(dir, 'rm', '-q', '--cached', 'docs/deep/c.txt'), () => (writeFiles(dir, { 'src/x/g.txt': 'g\n' }), gitCli(dir, 'add', 'src/x/g.txt'))];
    for (const change of changes) {
      fs.writeFileSync(path.join(dir, '.git/index'), clean);
      fs.rmSync(path.join(dir, 'src/x/g.txt'), { force: true });
      change();
      const expected = cliPorcelain(dir);
      assert.ok(/^[AD] {2}/m.test(expected), expected);
      fs.writeFileSync(path.join(dir, '.git/index'), withExtension(fs.readFileSync(path.join(dir, '.git/index')), stale));
      assert.strictEqual(readCacheTree(dir)!.oid, gitCli(dir, 'rev-parse', 'HEAD^{tree}').trim(), 'the stale cache-tree is in place');
      assert.strictEqual(porcelain(await computeStatus({ dir })), expected);
    }
  });
});
