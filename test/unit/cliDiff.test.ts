// `hammock diff`: in process through main(), and end to end as a child process on the built bundle (dist/cli.js).
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { diffCommand, main, type CliIo, type DiffJson } from '../../src/cli';
import { LegacyHistory, rng } from './git/legacyHistory';
import { changedState, commitAll, EXPECTED, gitRepo, initialState, writeLegacy, writeV5 } from './collections/generatedHistory';
import { buildDistOnce } from '../support/buildDist';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

async function run(args: string[], cwd: string, read?: 'whole'): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd };
  const code = read ? await diffCommand(args.slice(1), io, read) : await main(args, io);
  return { code, stdout, stderr };
}

/** The git objects directory's file of a blob (the test repositories keep their objects loose). */
function looseObject(repo: string, rel: string, ref = 'HEAD'): string {
  const oid = execFileSync('git', ['rev-parse', `${ref}:${rel}`], { cwd: repo, encoding: 'utf8' }).trim();
  return path.join(repo, '.git', 'objects', oid.slice(0, 2), oid.slice(2));
}

/**
 * `hammock diff ARGS` as it is (reading what changed) against loading both sides whole: the same exit code and
 * output; of the files that cannot be read, the new way names those it reads (every one the change touches, and
 * only ones the whole load names, in its order), the whole load every one on either side.
 */
async function assertSameAsWhole(repo: string, args: string[], touched: ReadonlySet<string>, context: string): Promise<number> {
  const got = await run(['diff', ...args], repo);
  const want = await run(['diff', ...args], repo, 'whole');
  assert.equal(got.code, want.code, `${context}: ${got.stderr}`);
  const json = args.includes('--json');
  if (!json) assert.equal(got.stdout, want.stdout, context);
  else {
    const g = JSON.parse(got.stdout) as DiffJson;
    const w = JSON.parse(want.stdout) as DiffJson;
    assert.deepEqual({ ...g, problems: [] }, { ...w, problems: [] }, context);
  }
  const lines = (text: string) => text.split('\n').filter(Boolean);
  const g = lines(got.stderr);
  const w = lines(want.stderr);
  assert.deepEqual(w.filter((l) => g.includes(l)), g, `${context}: only what the whole load names, in its order`);
  for (const l of w) {
    const file = /: ([^:]+):\d+:\d+: /.exec(l)?.[1];
    if (file && touched.has(file)) assert.ok(g.includes(l), `${context}: ${l}`);
  }
  return want.stdout.length;
}

describe('hammock diff', function () {
  this.timeout(120_000);
  let repo: string;

  before(() => {
    repo = gitRepo();
    writeLegacy(path.join(repo, 'legacy'), initialState());
    writeV5(path.join(repo, 'api.yaml'), initialState());
    commitAll(repo, 'first');
    writeLegacy(path.join(repo, 'legacy'), changedState());
    writeV5(path.join(repo, 'api.yaml'), changedState());
    commitAll(repo, 'second');
    execFileSync('git', ['tag', 'v1', 'HEAD~1'], { cwd: repo });
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  it('text: the changes grouped per collection, exit 0', async () => {
    const r = await run(['diff', 'v1', 'main'], repo);
    assert.equal(r.code, 0, r.stderr);
    const indented = EXPECTED.map((l) => `  ${l}`);
    assert.equal(
      r.stdout,
      ['legacy collection "Generated" (legacy/.insomnia):', ...indented, 'v5 collection "Generated v5" (api.yaml):', ...indented].join('\n') + '\n',
    );
  });

  it('no REF2: against the working tree; --dir limits to a folder', async () => {
    assert.equal((await run(['diff', 'HEAD'], repo)).stdout, 'No changes.\n');
    const s = changedState();
    s.requests[0].name = 'Renamed';
    writeV5(path.join(repo, 'api.yaml'), s);
    try {
      const r = await run(['diff', 'HEAD', '--json'], repo);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as DiffJson;
      assert.equal(out.after, null);
      assert.deepEqual(out.collections.map((c) => [c.path, c.changes.map((ch) => ch.description)]), [
        ['api.yaml', ['~ request "A/Renamed": name changed']],
      ]);
      const legacyOnly = await run(['diff', 'v1', '--dir', 'legacy'], repo);
      assert.equal(legacyOnly.stdout.split('\n')[0], 'legacy collection "Generated" (.insomnia):');
      assert.equal(legacyOnly.stdout.split('\n').length, EXPECTED.length + 2);
    } finally {
      writeV5(path.join(repo, 'api.yaml'), changedState());
    }
  });

  it('a range as git diff takes it: A..B is A B, A...B compares B with its merge base with A, B absent is HEAD', async () => {
    const r2 = gitRepo();
    try {
      writeV5(path.join(r2, 'api.yaml'), initialState());
      commitAll(r2, 'first');
      const git = (...a: string[]) => execFileSync('git', a, { cwd: r2, encoding: 'utf8' });
      git('branch', 'side');
      writeV5(path.join(r2, 'api.yaml'), changedState());
      commitAll(r2, 'second');
      git('checkout', '-q', 'side');
      const s = initialState();
      s.requests[0].name = 'Only on side';
      writeV5(path.join(r2, 'api.yaml'), s);
      commitAll(r2, 'side');
      git('checkout', '-q', 'main');
      const out = async (...args: string[]) => {
        const r = await run(['diff', ...args], r2);
        assert.equal(r.code, 0, r.stderr);
        return r.stdout;
      };
      assert.equal(await out('side..main'), await out('side', 'main'));
      assert.equal(await out('side...main'), await out('HEAD~1', 'main'), 'from the merge base: the side commit is not in it');
      assert.notEqual(await out('side...main'), await out('side', 'main'));
      assert.doesNotMatch(await out('side...'), /Only on side/);
      assert.equal(await out('HEAD~1..'), await out('HEAD~1', 'HEAD'));
      assert.equal(JSON.parse(await out('side...main', '--json')).before, 'side');
      // unrelated histories have no merge base: a setup error (exit 2, as an unknown ref), never the 1 of a breaking
      // change, with what to check
      git('checkout', '-q', '--orphan', 'alone');
      commitAll(r2, 'alone');
      git('checkout', '-q', 'main');
      for (const args of [['diff', 'alone...main'], ['diff', 'alone...main', '--breaking'], ['diff', 'alone...']]) {
        const none = await run(args, r2);
        assert.equal(none.code, 2, `${args.join(' ')}: ${none.stderr}`);
        assert.equal(none.stdout, '');
        assert.match(none.stderr, /^hammock: alone and (main|HEAD) have no common history \(no merge base\)/);
        assert.match(none.stderr, /git fetch --unshallow/);
        assert.match(none.stderr, /the wrong ref/);
      }
    } finally {
      rmSync(r2, { recursive: true, force: true });
    }
  });

  it('usage errors, an unknown ref and no repository exit 2 (not the 1 of a breaking change) with a clear message', async () => {
    assert.equal((await run(['diff'], repo)).code, 2);
    assert.equal((await run(['diff', 'a', 'b', 'c'], repo)).code, 2);
    assert.equal((await run(['diff', 'HEAD', '--nope'], repo)).code, 2);
    assert.equal((await run(['diff', 'HEAD', '--dir'], repo)).code, 2);
    const unknown = await run(['diff', 'no-such-branch'], repo);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown git ref 'no-such-branch': not a branch, tag or commit in this repository: check its spelling, or fetch it/);
    // a --breaking gate on a ref the CI checkout never fetched: not the exit of a breaking change
    assert.equal((await run(['diff', 'origin/main', '--breaking'], repo)).code, 2);
    const outside = path.join(repo, '..', `hammock-nogit-${process.pid}`);
    mkdirSync(outside, { recursive: true });
    try {
      const r = await run(['diff', 'HEAD'], outside);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /not in a git repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('end to end: dist/cli.js diff --json prints the diff as JSON and leaves the working tree alone', () => {
    buildDistOnce();
    const before = readFileSync(path.join(repo, 'api.yaml'), 'utf8');
    const r = spawnSync(process.execPath, [CLI, 'diff', 'HEAD~1', 'HEAD', '--json', '--dir', repo], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as DiffJson;
    assert.equal(out.before, 'HEAD~1');
    assert.equal(out.after, 'HEAD');
    assert.deepEqual(out.collections.map((c) => [c.format, c.path, c.kind]), [
      ['legacy', 'legacy/.insomnia', 'changed'],
      ['v5', 'api.yaml', 'changed'],
    ]);
    for (const c of out.collections) assert.deepEqual(c.changes.map((ch) => ch.description), EXPECTED);
    const moved = out.collections[0].changes[2];
    assert.deepEqual([moved.kind, moved.entity, moved.id, moved.fromPath, moved.path], ['moved', 'request', 'req_3', ['A'], ['B']]);
    assert.equal(readFileSync(path.join(repo, 'api.yaml'), 'utf8'), before);
    assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' }), '');
    writeFileSync(path.join(repo, 'x.txt'), ''); // a non-collection file in the working tree changes nothing
    assert.equal(spawnSync(process.execPath, [CLI, 'diff', 'HEAD', '--dir', repo], { encoding: 'utf8' }).stdout, 'No changes.\n');
  });

  it('a file that cannot be read at a ref is named on stderr (and in --json), not passed off as removed items', async () => {
    const r2 = gitRepo();
    try {
      writeLegacy(path.join(r2, 'legacy'), initialState());
      writeV5(path.join(r2, 'api.yaml'), initialState());
      commitAll(r2, 'good');
      // the next commit breaks one request file of the .insomnia folder and the whole v5 file
      const req1 = path.join(r2, 'legacy', '.insomnia', 'Request', 'req_1.yml');
      writeFileSync(req1, readFileSync(req1, 'utf8').replace(/^url: .*$/m, 'url: "https://api.test/users"/broken'));
      writeFileSync(path.join(r2, 'api.yaml'), readFileSync(path.join(r2, 'api.yaml'), 'utf8') + 'collection: [\n');
      commitAll(r2, 'broken');
      const r = await run(['diff', 'HEAD~1', 'HEAD'], r2);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /^hammock: warning: HEAD: legacy\/\.insomnia\/Request\/req_1\.yml:\d+:\d+: .*Invalid YAML.*; what it holds is left out of the diff$/m);
      assert.match(r.stderr, /^hammock: warning: HEAD: api\.yaml:\d+:\d+: .*; what it holds is left out of the diff$/m);
      assert.doesNotMatch(r.stderr, /HEAD~1:/, 'the first commit reads cleanly');
      // what those files hold is unknown at HEAD, not gone: neither the request nor the v5 collection is "removed"
      assert.equal(r.stdout, 'No changes.\n', 'nothing else changed');
      const breaking = await run(['diff', 'HEAD~1', 'HEAD', '--breaking'], r2);
      assert.doesNotMatch(breaking.stdout, /removed/);
      // a gate does not pass what it could not read
      assert.equal(breaking.code, 1);
      assert.match(breaking.stdout, /^2 files of the newer side could not be read: the changes in them are unknown$/m);
      const json = await run(['diff', 'HEAD~1', 'HEAD', '--json'], r2);
      const out = JSON.parse(json.stdout) as DiffJson;
      assert.deepEqual(out.problems.map((p) => [p.ref, p.file]).sort(), [['HEAD', 'api.yaml'], ['HEAD', 'legacy/.insomnia/Request/req_1.yml']]);
      // against the working tree: its side is named so
      const wt = await run(['diff', 'HEAD~1'], r2);
      assert.match(wt.stderr, /^hammock: warning: working tree: api\.yaml:\d+:\d+: /m);
      assert.equal((JSON.parse((await run(['diff', 'HEAD~1', '--json'], r2)).stdout) as DiffJson).problems.every((p) => p.ref === null), true);
    } finally {
      rmSync(r2, { recursive: true, force: true });
    }
  });

  for (const seed of [1, 2, 3]) {
    it(`a random history (seed ${seed}): every pair of commits, and the working tree, print what loading both sides whole prints`, async function () {
      this.timeout(300_000);
      const rand = rng(seed);
      const r2 = gitRepo();
      try {
        const a = new LegacyHistory(rand, 'wrk_aaaa');
        const b = new LegacyHistory(rand, 'wrk_bbbb');
        const v5 = initialState();
        const commits: string[] = [];
        const git = (...args: string[]) => execFileSync('git', args, { cwd: r2, encoding: 'utf8' }).trim();
        const write = (i: number) => {
          for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) (rand() < 0.7 ? a : b).mutate();
          if (rand() < 0.3) v5.requests[0].url += '/x';
          if (rand() < 0.15) v5.requests.push({ ...v5.requests[1], id: `req_v5_${i}`, name: `V${i}` });
          if (rand() < 0.2) v5.requests[0].headers.push({ name: `X-New-${i}`, value: '1' });
          a.write(path.join(r2, '.insomnia'));
          b.write(path.join(r2, 'sub', 'b', '.insomnia'));
          writeV5(path.join(r2, 'api.yaml'), v5);
          if (rand() < 0.2) writeFileSync(path.join(r2, 'sub', 'broken.yaml'), `type: collection.insomnia.rest/5.0\nname: [\n# ${i}\n`);
          writeFileSync(path.join(r2, 'ci.yml'), `step: ${i}\n`);
        };
        for (let i = 0; i < 10; i++) {
          write(i);
          commitAll(r2, `c${i}`);
          commits.push(git('rev-parse', 'HEAD'));
        }
        const flags = [[], ['--json'], ['--breaking'], ['--breaking', '--json'], ['--dir', 'sub']];
        const changedFiles = (...range: string[]) => new Set(git('diff', '--name-only', '--no-renames', ...range).split('\n').filter(Boolean));
        let printed = 0;
        for (let k = 0; k < 8; k++) {
          const [x, y] = [Math.floor(rand() * commits.length), Math.floor(rand() * commits.length)];
          for (const f of flags) printed += await assertSameAsWhole(r2, [commits[x], commits[y], ...f], changedFiles(commits[x], commits[y]), `${x} -> ${y} ${f.join(' ')}`);
          await assertSameAsWhole(r2, [`${commits[x]}...${commits[y]}`], changedFiles(`${commits[x]}...${commits[y]}`), `${x}...${y}`);
        }
        // the working tree: one more round of changes, not committed, and a file git does not track
        write(10);
        writeFileSync(path.join(r2, 'sub', 'new.yaml'), readFileSync(path.join(r2, 'api.yaml'), 'utf8').replace(/wrk_[0-9a-f]+/g, 'wrk_untracked'));
        const touched = changedFiles();
        touched.add('sub/new.yaml');
        for (let k = 0; k < 4; k++) {
          const x = Math.floor(rand() * commits.length);
          for (const f of flags) printed += await assertSameAsWhole(r2, [commits[x], ...f], new Set([...touched, ...changedFiles(commits[x], 'HEAD')]), `${x} -> working tree ${f.join(' ')}`);
        }
        assert.ok(printed > 10_000, 'the histories change something');
      } finally {
        rmSync(r2, { recursive: true, force: true });
      }
    });
  }

  it('reads only what changed: a file both sides hold unchanged is never read from git', async () => {
    const r2 = gitRepo();
    try {
      writeLegacy(path.join(r2, 'legacy'), initialState());
      writeV5(path.join(r2, 'api.yaml'), initialState());
      writeV5(path.join(r2, 'other.yaml'), changedState());
      writeFileSync(path.join(r2, 'other.yaml'), readFileSync(path.join(r2, 'other.yaml'), 'utf8').replace(/wrk_[0-9a-f]+/g, 'wrk_other'));
      commitAll(r2, 'first');
      writeV5(path.join(r2, 'api.yaml'), changedState());
      commitAll(r2, 'second');
      const whole = await run(['diff', 'HEAD~1', 'HEAD'], r2);
      const againstTree = await run(['diff', 'HEAD~1'], r2);
      // the blob of a file neither commit changed goes missing: only a diff that reads it fails
      rmSync(looseObject(r2, 'other.yaml'));
      rmSync(looseObject(r2, 'legacy/.insomnia/Request/req_2.yml'));
      const expected: [string[], string][] = [[['HEAD~1', 'HEAD'], whole.stdout], [['HEAD~1'], againstTree.stdout], [['HEAD', 'HEAD'], 'No changes.\n'], [['HEAD'], 'No changes.\n']];
      for (const [args, stdout] of expected) {
        const r = await run(['diff', ...args], r2);
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
        assert.equal(r.stdout, stdout, args.join(' '));
      }
    } finally {
      rmSync(r2, { recursive: true, force: true });
    }
  });
});
