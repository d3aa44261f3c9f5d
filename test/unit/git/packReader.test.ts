// PackReader against `git cat-file`: every object of a packed repository (with long delta chains) reads back
// byte for byte with its type; isomorphic-git reading packed objects through gitFs; diffTrees against `git diff-tree`.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import * as git from 'isomorphic-git';
import { PackReader } from '../../../src/git/packReader';
import { gitFs } from '../../../src/git/plumbing/gitFs';
import { diffTrees } from '../../../src/git/treeDiff';
import { commitFiles, gitCli, initRepo, legacySeed, requestYaml, TempDirs, writeFiles } from './gitTestRepos';

describe('PackReader', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  it('reads every packed object (ofs-deltas, deep chains) exactly as git does', () => {
    const dir = initRepo(tmp.make(), legacySeed(20));
    for (let i = 0; i < 15; i++) {
      commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', `Version ${i}`, `https://example.com/v/${i}`, `description: "${'x'.repeat(i * 50)}"`) }, `v${i}`);
    }
    gitCli(dir, 'repack', '-adfq', '--depth=50', '--window=50');
    const reader = PackReader.open(path.join(dir, '.git'));
    const oids = gitCli(dir, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype) %(deltabase)')
      .split('\n')
      .map((l) => l.split(' '));
    assert.ok(oids.length > 50);
    assert.ok(
      oids.some(([, , base]) => base !== '0000000000000000000000000000000000000000'),
      'the pack holds deltas',
    );
    assert.strictEqual(reader.size, oids.length);
    for (const [oid, type] of oids) {
      const obj = reader.read(oid);
      assert.ok(obj, oid);
      assert.strictEqual(obj.type, type);
      const expected = execFileSync('git', ['cat-file', type, oid], { cwd: dir });
      assert.ok(obj.data.equals(expected), `${type} ${oid}`);
    }
    assert.strictEqual(reader.read('0'.repeat(40)), undefined);
  });

  it('finds objects of packs written since (refresh), and keeps reading the old ones right as the pack list changes', () => {
    const dir = initRepo(tmp.make(), legacySeed(10));
    gitCli(dir, 'repack', '-adq');
    const reader = PackReader.open(path.join(dir, '.git'));
    const check = (): number => {
      const lines = gitCli(dir, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype)').split('\n');
      for (const line of lines) {
        const [oid, type] = line.split(' ');
        const obj = reader.read(oid);
        assert.ok(obj, oid);
        assert.ok(obj.data.equals(execFileSync('git', ['cat-file', type, oid], { cwd: dir })), `${type} ${oid}`);
      }
      return lines.length;
    };
    const before = check(); // every object decoded (and cached) once
    for (let i = 0; i < 6; i++) {
      commitFiles(dir, { [`.insomnia/Request/req_${i + 1}.yml`]: requestYaml(`req_${i + 1}`, `Pack ${i}`) }, `pack ${i}`);
      gitCli(dir, 'repack', '-dq'); // a new pack beside the old ones
    }
    reader.refresh();
    assert.ok(check() > before);
  });
});

describe('objects as isomorphic-git and the tree diff read them', () => {
  const tmp = new TempDirs();
  after(() => tmp.cleanup());

  it('isomorphic-git reads packed objects through gitFs (served as loose) exactly as git stores them', async () => {
    const dir = initRepo(tmp.make(), legacySeed(5));
    commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Changed') });
    gitCli(dir, 'repack', '-adq');
    const gitdir = path.join(dir, '.git');
    const lines = gitCli(dir, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype)').split('\n');
    assert.ok(lines.length > 10);
    assert.ok(!fs.existsSync(path.join(gitdir, 'objects', lines[0].slice(0, 2), lines[0].slice(2, 40))), 'the objects are packed, not loose');
    for (const line of lines) {
      const [oid, type] = line.split(' ');
      const { type: t, object } = await git.readObject({ fs: gitFs, gitdir, oid, format: 'content', cache: {} });
      assert.strictEqual(t, type);
      assert.ok(Buffer.from(object as Uint8Array).equals(execFileSync('git', ['cat-file', type, oid], { cwd: dir })), oid);
    }
  });

  it('a packed object exists at its loose path for isomorphic-git (stat), as git has_object finds it; writing it again leaves no loose copy, as git hash-object -w', async () => {
    const dir = initRepo(tmp.make(), legacySeed(5));
    gitCli(dir, 'repack', '-adq');
    const gitdir = path.join(dir, '.git');
    const content = fs.readFileSync(path.join(dir, '.insomnia/Request/req_1.yml'));
    const oid = gitCli(dir, 'hash-object', '.insomnia/Request/req_1.yml').trim();
    const loose = path.join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2));
    assert.ok(!fs.existsSync(loose), 'packed, not loose');
    // isomorphic-git's hasObject (a fetch's `have` lines) stats the loose path first, and else loads every pack index whole
    assert.ok((await (gitFs as unknown as typeof fs).promises.stat(loose)).isFile());
    const absent = path.join(gitdir, 'objects', 'ab', 'c'.repeat(38));
    await assert.rejects((gitFs as unknown as typeof fs).promises.stat(absent), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
    await assert.rejects((gitFs as unknown as typeof fs).promises.lstat(absent), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
    // the CLI on a copy: git hash-object -w of content a pack holds writes nothing loose
    const twin = tmp.make();
    fs.cpSync(dir, twin, { recursive: true });
    gitCli(twin, 'hash-object', '-w', '.insomnia/Request/req_1.yml');
    assert.ok(!fs.existsSync(path.join(twin, '.git/objects', oid.slice(0, 2), oid.slice(2))), 'git wrote no loose copy');
    assert.strictEqual(await git.writeBlob({ fs: gitFs, gitdir, blob: content }), oid);
    assert.ok(!fs.existsSync(loose), 'no loose copy of a packed object');
    // a new object is written loose, and read back
    const added = await git.writeBlob({ fs: gitFs, gitdir, blob: Buffer.from('new content\n') });
    assert.ok(fs.existsSync(path.join(gitdir, 'objects', added.slice(0, 2), added.slice(2))));
    assert.strictEqual(gitCli(dir, 'cat-file', '-p', added).trim(), 'new content');
    assert.strictEqual(gitCli(dir, 'fsck', '--strict', '--no-dangling').trim(), '');
  });

  it('diffTrees walking raw trees equals `git diff-tree -r` (files turned folders and back, modes, symlinks, gitlinks)', async () => {
    const dir = initRepo(tmp.make(), { a: 'a\n', 'b/c': 'c\n', 'b/d/e': 'e\n', 'f.txt': 'f\n', 'g-h': 'g\n', g: 'x\n', 'z/y': 'y\n' });
    const before = gitCli(dir, 'rev-parse', 'HEAD^{tree}');
    fs.rmSync(path.join(dir, 'a'));
    writeFiles(dir, { 'a/inner': 'now a folder\n', 'f.txt': 'changed\n', 'b/d/e2': 'new\n' });
    fs.rmSync(path.join(dir, 'g-h'), { force: true });
    writeFiles(dir, { 'g-h/x': 'folder now\n' });
    fs.rmSync(path.join(dir, 'z'), { recursive: true });
    writeFiles(dir, { z: 'a file now\n' });
    fs.chmodSync(path.join(dir, 'b/c'), 0o755);
    fs.symlinkSync('b/c', path.join(dir, 'link'));
    gitCli(dir, 'add', '-A');
    gitCli(dir, 'update-index', '--add', '--cacheinfo', `160000,${gitCli(dir, 'rev-parse', 'HEAD')},sub`);
    const after = gitCli(dir, 'write-tree');
    const cli = gitCli(dir, 'diff-tree', '-r', '--no-renames', before, after)
      .split('\n')
      .map((l) => {
        const [meta, p] = l.split('\t');
        const [m1, m2, o1, o2] = meta.slice(1).split(' ');
        const f = (m: string, o: string): string => (/^0+$/.test(m) ? '-' : `${m.replace(/^0+/, '')}:${o}`);
        return `${p} ${f(m1, o1)} ${f(m2, o2)}`;
      })
      .sort();
    const ours = (await diffTrees({ gitdir: path.join(dir, '.git'), cache: {} }, before, after))
      .map((c) => `${c.path} ${c.before ? `${c.before.mode.toString(8)}:${c.before.oid}` : '-'} ${c.after ? `${c.after.mode.toString(8)}:${c.after.oid}` : '-'}`)
      .sort();
    assert.deepStrictEqual(ours, cli);
    assert.ok(cli.length >= 10);
  });
});
