// Reading `.git/index` as the git CLI wrote it: every entry's stat data, flags and oid must be what
// `git ls-files --debug` / `-s` print, for index versions 2, 3 and 4 and with the extensions git writes (TREE,
// REUC, UNTR, EOIE, IEOT); status then equals `git status --porcelain`. A damaged index is refused with a clear
// message, in-process and through the worker: the structural damage git's status refuses too, and a wrong checksum,
// which git's status lets pass (it skips the check for speed) but `git fsck` reports as "index file corrupt".

import * as assert from 'assert';
import * as crypto from 'crypto';
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { computeStatus } from '../../../src/git/status';
import { IndexCorruptError, parseIndex, serializeIndex, sortEntries, entryWithoutStats, type IndexEntry } from '../../../src/git/indexFile';
import { GitError } from '../../../src/git/gitError';
import { readIndexBytes } from '../../../src/git/indexCache';
import { gitCli, initRepo, legacySeed, porcelain, requestYaml, sortLines, sourceStatusWorker, TempDirs, writeFiles } from './gitTestRepos';

function cliPorcelain(dir: string): string {
  return sortLines(gitCli(dir, 'status', '--porcelain=v1', '-uall', '--no-renames').split('\n').filter(Boolean)).join('\n');
}

/** What `git ls-files --debug` and `git ls-files -s` say of every entry, as our parser's fields. */
function cliEntries(dir: string): Partial<IndexEntry>[] {
  const staged = gitCli(dir, 'ls-files', '-s', '-z').split('\0').filter(Boolean);
  const debug = gitCli(dir, 'ls-files', '--debug').split('\n');
  const out: Partial<IndexEntry>[] = [];
  for (let i = 0, k = 0; i < staged.length; i++, k += 6) {
    const [info, p] = staged[i].split('\t');
    const [mode, oid, stage] = info.split(' ');
    const num = (line: string, re: RegExp): number[] => re.exec(line)!.slice(1).map((x) => parseInt(x, 10));
    const [cs, cn] = num(debug[k + 1], /ctime: (\d+):(\d+)/);
    const [ms, mn] = num(debug[k + 2], /mtime: (\d+):(\d+)/);
    const [dev, ino] = num(debug[k + 3], /dev: (\d+)\tino: (\d+)/);
    const [uid, gid] = num(debug[k + 4], /uid: (\d+)\tgid: (\d+)/);
    const [size] = num(debug[k + 5], /size: (\d+)/);
    const flags = parseInt(/flags: ([0-9a-f]+)/.exec(debug[k + 5])![1], 16);
    out.push({
      path: p,
      mode: parseInt(mode, 8),
      oid,
      stage: Number(stage),
      ctimeSeconds: cs,
      ctimeNanoseconds: cn,
      mtimeSeconds: ms,
      mtimeNanoseconds: mn,
      dev,
      ino,
      uid,
      gid,
      size,
      // git's in-memory flags: the extended flags above bit 16, assume-valid 0x8000
      extendedFlags: (flags >>> 16) & 0x6000,
      assumeValid: (flags & 0x8000) !== 0,
    });
  }
  return out;
}

function ours(dir: string): Partial<IndexEntry>[] {
  const idx = parseIndex(fs.readFileSync(path.join(dir, '.git/index')))!;
  return idx.entries.map(({ path, mode, oid, stage, ctimeSeconds, ctimeNanoseconds, mtimeSeconds, mtimeNanoseconds, dev, ino, uid, gid, size, extendedFlags, assumeValid }) => ({
    path,
    mode,
    oid,
    stage,
    ctimeSeconds,
    ctimeNanoseconds,
    mtimeSeconds,
    mtimeNanoseconds,
    dev,
    ino,
    uid,
    gid,
    size,
    extendedFlags,
    assumeValid,
  }));
}

function extensions(dir: string): string[] {
  const buf = fs.readFileSync(path.join(dir, '.git/index'));
  const found: string[] = [];
  for (const sig of ['TREE', 'REUC', 'UNTR', 'EOIE', 'IEOT']) if (buf.includes(Buffer.from(sig + '\0', 'latin1').subarray(0, 4))) found.push(sig);
  return found;
}

describe('index reading (against git ls-files)', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  /** A repository whose index has every kind of entry: skip-worktree, intent-to-add, assume-unchanged, exec, symlink, non-ASCII, unmerged-then-resolved. */
  function repo(extendedFlags: boolean): string {
    const dir = initRepo(tmp.make(), {
      ...legacySeed(3),
      'scripts/run.sh': '#!/bin/sh\n',
      'café/ünï.yml': 'x: 1\n',
      'sparse/hidden.yml': 'h: 1\n',
      'fixed.yml': 'f: 1\n',
    });
    fs.chmodSync(path.join(dir, 'scripts/run.sh'), 0o755);
    fs.symlinkSync('fixed.yml', path.join(dir, 'link'));
    gitCli(dir, 'add', '-A');
    gitCli(dir, 'commit', '-q', '-m', 'kinds');
    // a conflict resolved with `git add` leaves a REUC (resolve-undo) extension
    gitCli(dir, 'checkout', '-q', '-b', 'other');
    writeFiles(dir, { 'fixed.yml': 'f: other\n' });
    gitCli(dir, 'commit', '-q', '-am', 'other');
    gitCli(dir, 'checkout', '-q', 'main');
    writeFiles(dir, { 'fixed.yml': 'f: main\n' });
    gitCli(dir, 'commit', '-q', '-am', 'main');
    try {
      gitCli(dir, 'merge', '-q', 'other');
    } catch {
      /* the conflict is the point */
    }
    writeFiles(dir, { 'fixed.yml': 'f: resolved\n' });
    gitCli(dir, 'add', 'fixed.yml');
    gitCli(dir, 'update-index', '--assume-unchanged', '.insomnia/Request/req_1.yml');
    writeFiles(dir, { 'ita.yml': 'i: 1\n', 'untracked.txt': 'u\n', '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Edited') });
    if (extendedFlags) {
      gitCli(dir, 'update-index', '--skip-worktree', 'sparse/hidden.yml');
      gitCli(dir, 'add', '-N', 'ita.yml');
    }
    return dir;
  }

  for (const version of [2, 3, 4]) {
    it(`version ${version}, with TREE, REUC, UNTR, EOIE and IEOT: entries as ls-files prints them, status as git's`, async () => {
      // version 2 has no extended flags: git writes 3 as soon as an entry is skip-worktree or intent-to-add
      const dir = repo(version > 2);
      gitCli(dir, 'config', 'core.untrackedCache', 'true');
      gitCli(dir, 'config', 'index.recordEndOfIndexEntries', 'true');
      gitCli(dir, 'config', 'index.recordOffsetTable', 'true');
      gitCli(dir, 'config', 'index.threads', '2');
      gitCli(dir, 'update-index', '--untracked-cache');
      gitCli(dir, 'update-index', '--index-version', String(version));
      gitCli(dir, 'status'); // fills the untracked cache, refreshes and rewrites the index
      const buf = fs.readFileSync(path.join(dir, '.git/index'));
      assert.strictEqual(buf.readUInt32BE(4), version);
      assert.deepStrictEqual(extensions(dir), ['TREE', 'REUC', 'UNTR', 'EOIE', 'IEOT']);
      const expected = cliEntries(dir);
      assert.ok(expected.some((e) => e.assumeValid));
      if (version > 2) assert.ok(expected.some((e) => e.extendedFlags === 0x4000) && expected.some((e) => e.extendedFlags === 0x2000));
      assert.deepStrictEqual(ours(dir), expected);
      const st = await computeStatus({ dir });
      assert.strictEqual(porcelain(st), cliPorcelain(dir));
      assert.match(porcelain(st), /\?\? untracked\.txt/);
    });
  }

  it('serializeIndex writes back, byte for byte, the index git wrote (versions 2 and 3: assume-valid, skip-worktree, intent-to-add, a name not UTF-8, the TREE extension)', () => {
    for (const version of [2, 3]) {
      const dir = initRepo(tmp.make(), { ...legacySeed(30), 'docs/é ü.md': 'u\n', 'a b/c.yml': 'c: 1\n' });
      fs.writeFileSync(Buffer.concat([Buffer.from(path.join(dir, 'docs') + '/'), Buffer.from([0x6c, 0xe9, 0x2e, 0x74, 0x78, 0x74])]), 'latin-1 name\n');
      gitCli(dir, 'add', '-A');
      gitCli(dir, 'update-index', '--assume-unchanged', 'a b/c.yml');
      if (version === 3) {
        gitCli(dir, 'update-index', '--skip-worktree', 'docs/é ü.md');
        fs.writeFileSync(path.join(dir, 'new.yml'), 'n: 1\n');
        gitCli(dir, 'add', '-N', 'new.yml');
      }
      gitCli(dir, 'update-index', '--index-version', String(version));
      if (version === 2) gitCli(dir, 'write-tree'); // the TREE extension, whole
      const buf = fs.readFileSync(path.join(dir, '.git/index'));
      assert.strictEqual(buf.readUInt32BE(4), version);
      const parsed = parseIndex(buf)!;
      assert.ok(parsed.entries.some((e) => e.rawPath), 'a name that is not UTF-8');
      if (version === 2) assert.ok(parsed.cacheTree, 'a TREE extension');
      assert.ok(serializeIndex(parsed.entries, parsed.cacheTree).equals(buf), `version ${version}`);
    }
  });

  it('serializeIndex writes what the straightforward writer writes, for any entries (fast-check)', () => {
    /** the writer as it was before it wrote through a DataView and the native writers: the reference */
    const reference = (entries: IndexEntry[]): Buffer => {
      const version = entries.some((e) => e.extendedFlags !== 0) ? 3 : 2;
      const parts: Buffer[] = [Buffer.from('DIRC', 'latin1'), Buffer.alloc(8)];
      parts[1].writeUInt32BE(version, 0);
      parts[1].writeUInt32BE(entries.length, 4);
      for (const e of entries) {
        const name = e.rawPath ?? Buffer.from(e.path, 'utf8');
        const extended = version >= 3 && e.extendedFlags !== 0;
        const fixed = 62 + (extended ? 2 : 0);
        const b = Buffer.alloc(Math.ceil((fixed + name.length + 1) / 8) * 8);
        [e.ctimeSeconds, e.ctimeNanoseconds, e.mtimeSeconds, e.mtimeNanoseconds, e.dev, e.ino, e.mode, e.uid, e.gid, e.size].forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
        b.write(e.oid, 40, 'hex');
        b.writeUInt16BE((e.assumeValid ? 0x8000 : 0) | (extended ? 0x4000 : 0) | ((e.stage & 3) << 12) | Math.min(name.length, 0xfff), 60);
        if (extended) b.writeUInt16BE(e.extendedFlags, 62);
        name.copy(b, fixed);
        parts.push(b);
      }
      const body = Buffer.concat(parts);
      return Buffer.concat([body, crypto.createHash('sha1').update(body).digest()]);
    };
    const u32 = fc.oneof(fc.nat(), fc.constant(0xffffffff), fc.integer({ min: 2 ** 32, max: 2 ** 40 }));
    const entry = fc.record({
      path: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), fc.string({ minLength: 4090, maxLength: 4100 })),
      ctimeSeconds: u32, ctimeNanoseconds: u32, mtimeSeconds: u32, mtimeNanoseconds: u32, dev: u32, ino: u32, mode: fc.constantFrom(0o100644, 0o100755, 0o120000, 0o160000), uid: u32, gid: u32, size: u32,
      oid: fc.stringMatching(/^[0-9a-f]{40}$/),
      stage: fc.integer({ min: 0, max: 3 }),
      extendedFlags: fc.constantFrom(0, 0, 0x4000, 0x2000),
      assumeValid: fc.boolean(),
      raw: fc.option(fc.uint8Array({ minLength: 1, maxLength: 30 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), (drawn) => {
        const entries: IndexEntry[] = drawn.map(({ raw, ...e }) => (raw ? { ...e, rawPath: Buffer.from(raw.map((b) => b || 1)) } : e));
        assert.ok(serializeIndex(entries).equals(reference(entries)));
      }),
      { seed: 14, numRuns: 300 },
    );
  });

  it("an index written over one whose bytes are known copies the unchanged entries from them, and is byte for byte the one written from scratch", () => {
    // (serializeIndex's `previous`: a pull of 10 files of a 10,000-entry index serialises 10 entries, not all of them)
    const entry = (p: string, n: number, extra: Partial<IndexEntry> = {}): IndexEntry => ({ ...entryWithoutStats(p, n.toString(16).padStart(40, '0'), 0o100644), mtimeSeconds: n, size: n, ...extra });
    const names = fc.oneof(fc.stringMatching(/^[a-c]{1,3}(\/[a-c]{1,3}){0,2}$/), fc.constant('x'.repeat(4100)), fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }).filter((s) => !s.includes('\0')));
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('modify' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('add' as const), name: names }),
      fc.record({ kind: fc.constant('extended' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('conflict' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.uniqueArray(names, { maxLength: 30 }), fc.array(edit, { maxLength: 8 }), fc.boolean(), (paths, edits, withExtended) => {
        const before = sortEntries(paths.map((p, i) => entry(p, i + 1, withExtended && i === 0 ? { extendedFlags: 0x4000 } : {})));
        const bytes = serializeIndex(before);
        const { entries: parsed } = parseIndex(bytes)!;
        let after = [...parsed];
        let n = 1000;
        for (const e of edits) {
          if (e.kind === 'add') {
            if (!after.some((x) => x.path === e.name)) after.push(entry(e.name, n++));
          } else if (after.length) {
            const i = e.at % after.length;
            const old = after[i];
            if (e.kind === 'modify') after[i] = entry(old.path, n++);
            else if (e.kind === 'remove') after.splice(i, 1);
            else if (e.kind === 'extended') after[i] = { ...old, extendedFlags: old.extendedFlags ? 0 : 0x2000 };
            else after.splice(i, 1, entry(old.path, n++, { stage: 1 }), entry(old.path, n++, { stage: 3 }));
          }
        }
        after = sortEntries(after);
        const fresh = serializeIndex(after);
        assert.ok(serializeIndex(after, undefined, { bytes, entries: parsed }).equals(fresh));
        // and again over that one, as the next write would be
        const again = parseIndex(fresh)!.entries;
        assert.ok(serializeIndex(sortEntries([...again]), undefined, { bytes: fresh, entries: again }).equals(fresh));
      }),
      { seed: 21, numRuns: 400 },
    );
  });

  it('a name longer than the flags can hold (0xfff bytes) round-trips', () => {
    const long = 'd/'.repeat(1000) + 'x'.repeat(3000) + '.yml';
    const entries = [entryWithoutStats('a.yml', 'a'.repeat(40), 0o100644), entryWithoutStats(long, 'b'.repeat(40), 0o100644), entryWithoutStats('z.yml', 'c'.repeat(40), 0o100755)];
    const back = parseIndex(serializeIndex(entries))!;
    assert.deepStrictEqual(
      back.entries.map((e) => [e.path, e.oid, e.mode]),
      entries.map((e) => [e.path, e.oid, e.mode]),
    );
  });

  it('a sparse index is refused with the way out, and once git turns it off status equals git status again', async () => {
    const dir = initRepo(tmp.make(), { ...legacySeed(2), 'docs/a.md': 'a\n', 'other/b.yml': 'b: 1\n' });
    gitCli(dir, 'sparse-checkout', 'set', '--cone', '--sparse-index', '.insomnia');
    const sparse = (): boolean => fs.readFileSync(path.join(dir, '.git/index')).includes(Buffer.from('sdir', 'latin1'));
    assert.ok(sparse(), 'git wrote a sparse index (its sdir extension)');
    await assert.rejects(computeStatus({ dir }), (err: unknown) => {
      assert.ok(err instanceof GitError, String(err));
      assert.match(err.message, /sparse index/);
      assert.match(err.message, /git sparse-checkout init --no-sparse-index/);
      return true;
    });
    gitCli(dir, 'sparse-checkout', 'init', '--no-sparse-index');
    assert.ok(!sparse());
    assert.strictEqual(porcelain(await computeStatus({ dir })), cliPorcelain(dir));
  });

  describe('a damaged index is refused, as `git fsck` refuses it', () => {
    const damages: [string, (b: Buffer) => Buffer][] = [
      ['a flipped bit in an entry', (b) => (b[100] ^= 0x10, b)],
      ['a flipped bit in the checksum', (b) => (b[b.length - 1] ^= 1, b)],
      ['cut short', (b) => b.subarray(0, b.length - 37)],
      ['a bad signature', (b) => (b.write('DIRX', 0, 'latin1'), b)],
      ['empty', () => Buffer.alloc(0)],
    ];
    for (const [what, damage] of damages) {
      it(what, async () => {
        const dir = initRepo(tmp.make(), legacySeed(3));
        const file = path.join(dir, '.git/index');
        fs.writeFileSync(file, damage(fs.readFileSync(file)));
        assert.throws(() => gitCli(dir, 'fsck', '--no-dangling'), /index file (corrupt|smaller than expected)/); // the oracle
        const err = await computeStatus({ dir }).then(
          () => assert.fail('status accepted a damaged index'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof GitError, String(err));
        assert.match((err as Error).message, /The git index \(.*index\) is damaged/);
        assert.match((err as Error).message, /git fsck.*"index file corrupt".*git reset/);
      });
    }

    it('any damage under a valid checksum (bytes changed, cut, grown) is an IndexCorruptError or a readable index, never another exception', () => {
      const dir = initRepo(tmp.make(), { ...legacySeed(6), 'café.yml': 'c: 1\n' });
      gitCli(dir, 'update-index', '--index-version', '4');
      gitCli(dir, 'update-index', '--index-version', '2'); // a TREE extension and plain names
      const v2 = fs.readFileSync(path.join(dir, '.git/index'));
      gitCli(dir, 'update-index', '--index-version', '4');
      const v4 = fs.readFileSync(path.join(dir, '.git/index'));
      const withChecksum = (body: Buffer): Buffer => Buffer.concat([body, crypto.createHash('sha1').update(body).digest()]);
      fc.assert(
        fc.property(
          fc.boolean(),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
          fc.nat(),
          fc.integer({ min: -1, max: 2 }),
          (useV4, edits, at, cut) => {
            const original = useV4 ? v4 : v2;
            let body = Buffer.from(original.subarray(0, original.length - 20));
            for (const [pos, byte] of edits) body[12 + (pos % (body.length - 12))] = byte; // the header kept: DIRC and a version read
            if (cut === 0) body = body.subarray(0, 12 + (at % (body.length - 12)));
            if (cut === 1) body = Buffer.concat([body, Buffer.alloc(at % 64, 0x41)]);
            try {
              parseIndex(withChecksum(body));
            } catch (err) {
              if (!(err instanceof IndexCorruptError)) throw err;
            }
          },
        ),
        { numRuns: 400, seed: 14 },
      );
    });

    it('parseIndex says why (IndexCorruptError), and the worker passes the message on', async () => {
      const dir = initRepo(tmp.make(), legacySeed(2));
      const file = path.join(dir, '.git/index');
      const buf = fs.readFileSync(file);
      buf[buf.length - 1] ^= 1;
      assert.throws(() => parseIndex(buf), (e: unknown) => e instanceof IndexCorruptError && e.reason === 'bad checksum');
      fs.writeFileSync(file, buf);
      const worker = sourceStatusWorker();
      try {
        await assert.rejects(worker.compute({ dir }), /is damaged \(bad checksum\)/);
      } finally {
        worker.dispose();
      }
    });

    it('a new worker\'s first status, whose index this thread reads and checks (indexCache.readIndexBytes), refuses it too', async () => {
      const dir = initRepo(tmp.make(), legacySeed(2));
      const file = path.join(dir, '.git/index');
      const buf = fs.readFileSync(file);
      buf[buf.length - 1] ^= 1;
      fs.writeFileSync(file, buf);
      assert.equal((await readIndexBytes(path.join(dir, '.git')))?.checked, false);
      const worker = sourceStatusWorker();
      try {
        // with the gitdir, as GitClient.status asks: the index is read on this side and handed over
        await assert.rejects(worker.compute({ dir, gitdir: path.join(dir, '.git') }), /is damaged \(bad checksum\)/);
      } finally {
        worker.dispose();
      }
      buf[buf.length - 1] ^= 1;
      fs.writeFileSync(file, buf);
      assert.equal((await readIndexBytes(path.join(dir, '.git')))?.checked, true);
    });
  });
});
