// The one path guard and the all-or-nothing writer: hostile ids and names from imported or converted data never
// become a write outside their collection, and a multi-file write that fails half-way leaves nothing written.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../../src/cli';
import { badNameReason, checkWritePath, legacyDocFile, PathGuardError, unsafeIdReason, type WriteScope } from '../../../../src/collections/edit/pathGuard';
import { removeStaleTempFiles, writeFiles, WriteFilesError } from '../../../../src/collections/edit/writeFiles';
import { spawn } from 'node:child_process';
import { planEditWith, planNewCollection } from '../../../../src/collections/editPlanner';
import { convertLegacyToV5, convertV5ToLegacy } from '../../../../src/collections/convert/convertFormat';
import { loadWorkspace } from '../../../../src/collections/scan';
import { writeChanges } from '../../../../src/collections/store';
import { checkInsomniaFolder } from '../../../../src/collections/formats/conformance';

/** Hostile ids: climbing out, absolute, Windows separators, NUL, and a name longer than any file system takes. */
const HOSTILE = ['../../../outside/victim', '/tmp/hammock-abs-victim', '..\\..\\..\\outside\\win', 'req_nul\u0000x', `req_${'a'.repeat(300)}`];

function everyFile(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

describe('path guard', () => {
  const root = path.resolve('/work/repo');
  const legacy = { format: 'legacy' as const, folder: path.join(root, '.insomnia'), workspaceRoot: root };
  const v5 = { format: 'v5' as const, folder: root, workspaceRoot: root };

  it('accepts what the planners write', () => {
    assert.equal(checkWritePath(path.join(root, '.insomnia/Request/req_1.yml'), legacy), path.join(root, '.insomnia/Request/req_1.yml'));
    assert.equal(checkWritePath(path.join(root, 'my_api.yaml'), v5), path.join(root, 'my_api.yaml'));
  });

  it('refuses climbing out, absolute ids, both separators, NUL, long names, wrong shapes, a folder outside the root', () => {
    const refused = (target: string, scope: WriteScope = legacy) => {
      try {
        checkWritePath(target, scope);
      } catch (err) {
        assert.ok(err instanceof PathGuardError, String(err));
        return err.code;
      }
      return 'accepted';
    };
    assert.equal(refused(`${root}/.insomnia/Request/../../../outside/victim.yml`), 'outsideCollection');
    assert.equal(refused(path.join(root, '.insomnia/Request', '../../../outside/victim.yml')), 'outsideCollection');
    assert.equal(refused(`${root}/.insomnia/Request/..\\..\\..\\outside\\win.yml`), 'outsideCollection');
    assert.equal(refused(`${root}/.insomnia/Request/a\\b.yml`), 'badName');
    assert.equal(refused(`${root}/.insomnia/Request/req\u0000.yml`), 'badName');
    assert.equal(refused(`${root}/.insomnia/Request/req_${'a'.repeat(300)}.yml`), 'tooLong');
    assert.equal(refused(`${root}/.insomnia/Nonsense/req_1.yml`), 'notACollectionFile');
    assert.equal(refused(`${root}/.insomnia/Request/sub/req_1.yml`), 'notACollectionFile');
    assert.equal(refused(`${root}/.insomnia/Request/req_1.txt`), 'notACollectionFile');
    // an existing .yaml or 2019 .json document can still be edited in place
    assert.equal(refused(`${root}/.insomnia/Request/req_1.yaml`), 'accepted');
    assert.equal(refused(`${root}/.insomnia/Request/req_1.json`), 'accepted');
    assert.equal(refused('relative/.insomnia/Request/req_1.yml'), 'outsideCollection');
    assert.equal(refused(`${root}/other.yaml`), 'outsideCollection');
    assert.equal(refused(`${root}/sub/x.yaml`, v5), 'notACollectionFile');
    assert.equal(refused(`${root}/x.json`, v5), 'notACollectionFile');
    assert.equal(refused(`${root}/CON.yaml`, v5), 'badName');
    assert.equal(refused('/elsewhere/x.yaml', { format: 'v5', folder: '/elsewhere', workspaceRoot: root }), 'outsideWorkspace');
  });

  it('names: what every file system takes; ids: what can name a legacy file', () => {
    assert.equal(badNameReason('req_1.yml'), undefined);
    assert.match(badNameReason('a:b')!, /character ":"/);
    assert.match(badNameReason('x.')!, /trailing dot/);
    assert.match(badNameReason('é'.repeat(200))!, /400 bytes/);
    assert.equal(unsafeIdReason('req_0123456789abcdef'), undefined);
    for (const id of HOSTILE) assert.ok(unsafeIdReason(id), id);
    assert.throws(() => legacyDocFile('/r/.insomnia', 'Request', '../../x'), PathGuardError);
  });

  it('a symbolic link on the way out of the workspace is refused', function () {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-guard-'));
    try {
      const repo = path.join(tmp, 'repo');
      const outside = path.join(tmp, 'outside');
      fs.mkdirSync(path.join(repo, '.insomnia'), { recursive: true });
      fs.mkdirSync(outside);
      fs.symlinkSync(outside, path.join(repo, '.insomnia', 'Request'));
      assert.throws(
        () => checkWritePath(path.join(repo, '.insomnia/Request/req_1.yml'), { format: 'legacy', folder: path.join(repo, '.insomnia'), workspaceRoot: repo }),
        (err: unknown) => err instanceof PathGuardError && err.code === 'symlink',
      );
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('hostile ids through every writer: nothing outside, nothing half-written', function () {
  this.timeout(60_000);
  let tmp: string;
  let repo: string;
  let outside: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hammock-hostile-'));
    // deep enough that `../../../outside` from repo/.insomnia/Request lands in tmp/outside
    repo = path.join(tmp, 'repo');
    outside = path.join(tmp, 'outside');
    fs.mkdirSync(repo);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'victim.yml'), 'original\n');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const untouched = () => {
    assert.deepEqual(everyFile(outside), ['victim.yml']);
    assert.equal(fs.readFileSync(path.join(outside, 'victim.yml'), 'utf8'), 'original\n');
    assert.deepEqual(everyFile(tmp).filter((f) => !f.startsWith('repo') && !f.startsWith('outside') && !f.endsWith('.json') && !f.endsWith('.yaml')), []);
    assert.ok(!fs.existsSync('/tmp/hammock-abs-victim.yml'));
  };

  it('import --format legacy of a v4 export with hostile _ids: fresh ids, each said, files only in .insomnia, Insomnia reads them', async () => {
    const resources = [
      { _id: 'wrk_1', _type: 'workspace', name: 'Evil' },
      { _id: HOSTILE[0], _type: 'request', parentId: 'wrk_1', name: 'R', url: 'http://x', method: 'GET' },
      { _id: HOSTILE[1], _type: 'request_group', parentId: 'wrk_1', name: 'F' },
      { _id: HOSTILE[2], _type: 'request', parentId: HOSTILE[1], name: 'W', url: 'http://x', method: 'GET', description: `{% response 'body', '${HOSTILE[0]}', '' %}` },
      { _id: HOSTILE[3], _type: 'request', parentId: 'wrk_1', name: 'N', url: 'http://x', method: 'GET' },
      { _id: HOSTILE[4], _type: 'request', parentId: 'wrk_1', name: 'Long', url: 'http://x', method: 'GET' },
    ];
    fs.writeFileSync(path.join(tmp, 'evil.json'), JSON.stringify({ _type: 'export', __export_format: 4, resources }));
    const r = await run(['import', 'evil.json', 'repo', '--format', 'legacy'], tmp);
    assert.equal(r.code, 0, r.stderr);
    for (const id of HOSTILE) assert.ok(r.stdout.includes(`id ${JSON.stringify(id)} replaced by `), `${id} reported:\n${r.stdout}`);
    untouched();
    const written = everyFile(repo);
    assert.equal(written.length, 6);
    assert.ok(written.every((f) => /^\.insomnia\/(Workspace|Request|RequestGroup)\/[a-z]+_[0-9a-f]+\.yml$/.test(f) || f === '.insomnia/Workspace/wrk_1.yml'), written.join('\n'));
    const [c] = (await loadWorkspace(repo)).collections;
    assert.deepEqual(c.problems, []);
    const w = c.children.find((i) => i.name === 'F');
    assert.ok(w && w.kind === 'folder' && w.children[0].name === 'W', 'the folder kept its child under the new id');
    const r0 = c.children.find((i) => i.name === 'R')!;
    assert.match(w.children[0].description, new RegExp(`'${r0.id}'`), 'the response tag follows the new id');
    assert.deepEqual(checkInsomniaFolder(repo).issues, []);
  });

  it('import --format v5 of the same: fresh ids (Insomnia wants req_/fld_ ids), a v5 file only', async () => {
    const resources = [
      { _id: 'wrk_1', _type: 'workspace', name: '../../../outside/victim' },
      { _id: HOSTILE[0], _type: 'request', parentId: 'wrk_1', name: 'R', url: 'http://x', method: 'GET' },
    ];
    fs.writeFileSync(path.join(tmp, 'evil.json'), JSON.stringify({ _type: 'export', __export_format: 4, resources }));
    const r = await run(['import', 'evil.json', 'repo'], tmp);
    assert.equal(r.code, 0, r.stderr);
    untouched();
    assert.deepEqual(everyFile(repo), ['_________outside_victim.yaml']);
    assert.deepEqual(checkInsomniaFolder(repo).issues, []);
  });

  it('convert --to legacy of a v5 file with meta.id ../../../outside/pwn: a fresh id, said, nothing outside', async () => {
    fs.writeFileSync(
      path.join(repo, 'evil.yaml'),
      `type: collection.insomnia.rest/5.0\nname: Evil\nmeta:\n  id: wrk_e\ncollection:\n  - url: http://x\n    name: Pwn\n    meta:\n      id: ../../../outside/pwn\n    method: GET\n  - name: Dir\n    meta:\n      id: ${HOSTILE[1]}\n    children:\n      - url: http://y\n        name: Inner\n        meta:\n          id: ${HOSTILE[4]}\n        method: GET\n`,
    );
    const r = await run(['convert', 'repo', '--collection', 'Evil', '--to', 'legacy'], tmp);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /id "\.\.\/\.\.\/\.\.\/outside\/pwn" replaced by req_[0-9a-f]{32}/);
    untouched();
    assert.ok(!fs.existsSync(path.join(outside, 'pwn.yml')));
    assert.ok(everyFile(repo).every((f) => f === 'evil.yaml' || /^\.insomnia\/[A-Za-z]+\/[a-z-]+_[0-9a-f_]+\.yml$/.test(f) || f === '.insomnia/Workspace/wrk_e.yml'), everyFile(repo).join('\n'));
    // the hostile source file is refused by Insomnia (wrong prefixes); what Hammock wrote is read
    assert.deepEqual(checkInsomniaFolder(repo).issues.filter((i) => i.file !== path.join(repo, 'evil.yaml')), []);
  });

  it('convert --to v5 of a legacy folder whose documents name hostile ids (file names are fine, the _id inside is not)', async () => {
    const dir = path.join(repo, '.insomnia');
    fs.mkdirSync(path.join(dir, 'Workspace'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'Request'));
    fs.writeFileSync(path.join(dir, 'Workspace/wrk_l.yml'), '_id: wrk_l\ntype: Workspace\nparentId: null\nname: Legacy\nscope: collection\n');
    fs.writeFileSync(path.join(dir, 'Request/x.yml'), `_id: ../../../outside/victim\ntype: Request\nparentId: wrk_l\nname: X\nurl: http://x\nmethod: GET\n`);
    const result = convertLegacyToV5(dir, { workspaceId: 'wrk_l' });
    assert.equal(result.replacedIds.length, 1);
    await writeChanges(result.changes, result.scope);
    untouched();
    assert.deepEqual(checkInsomniaFolder(path.dirname(result.target)).issues.filter((i) => i.file === result.target), []);
    // the other way round, the new folder cannot be written beside an existing one: refused, nothing written
    assert.throws(() => convertV5ToLegacy(result.target), /already exists/);
  });

  it('ids that differ only in case or Unicode normalization, one file on macOS and Windows: fresh ids where they name files', async () => {
    // req_Cafe\u0301 (NFD) and req_caf\u00e9 (NFC), req_ABC and req_abc: two files on ext4, one on APFS, HFS+ and NTFS
    const ids = ['req_ABC', 'req_abc', 'req_Cafe\u0301', 'req_caf\u00e9', 'fld_X'];
    const fold = (f: string) => f.normalize('NFC').toLowerCase();
    const distinctOnEveryDisk = (files: string[]) => assert.equal(new Set(files.map(fold)).size, files.length, files.join('\n'));
    fs.writeFileSync(
      path.join(repo, 'cased.yaml'),
      `type: collection.insomnia.rest/5.0\nname: Cased\nmeta:\n  id: wrk_c\ncollection:\n` +
        ids.slice(0, 4).map((id, i) => `  - url: http://x/${i}\n    name: R${i}\n    meta:\n      id: ${id}\n    method: GET\n`).join('') +
        `  - name: F\n    meta:\n      id: fld_X\n    children:\n      - url: http://y\n        name: Inner\n        meta:\n          id: req_in\n        method: GET\n` +
        `environments:\n  name: Base\n  meta:\n    id: env_c\n  data:\n    __proto__: kept\n    description: "{% response 'body', 'req_abc', '' %}"\n`,
    );
    const r = await run(['convert', 'repo', '--collection', 'Cased', '--to', 'legacy', '--out', 'repo/converted'], tmp);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /id "req_abc" replaced by req_[0-9a-f]{32} \(it names the same file as "req_ABC" on a file system that ignores case or Unicode normalization/);
    assert.match(r.stdout, /id "req_caf\u00e9" replaced by req_[0-9a-f]{32}/);
    untouched();
    distinctOnEveryDisk(everyFile(path.join(repo, 'converted')));
    const [c] = (await loadWorkspace(path.join(repo, 'converted'))).collections;
    assert.deepEqual(c.children.map((i) => i.name).sort(), ['F', 'R0', 'R1', 'R2', 'R3']);
    // every mention follows the renamed id, and a variable named __proto__ stays one
    const r1 = c.children.find((i) => i.name === 'R1')!;
    assert.deepEqual(Object.keys(c.baseEnvironment!.data), ['__proto__', 'description']);
    assert.equal(Object.getOwnPropertyDescriptor(c.baseEnvironment!.data, '__proto__')?.value, 'kept');
    assert.equal(c.baseEnvironment!.data.description, `{% response 'body', '${r1.id}', '' %}`);
    assert.deepEqual(checkInsomniaFolder(path.join(repo, 'converted')).issues, []);
    // an import into a new legacy folder does the same
    const resources = [
      { _id: 'wrk_i', _type: 'workspace', name: 'I' },
      ...ids.slice(0, 4).map((id, i) => ({ _id: id, _type: 'request', parentId: 'wrk_i', name: `R${i}`, url: 'http://x', method: 'GET' })),
    ];
    fs.writeFileSync(path.join(tmp, 'cased.json'), JSON.stringify({ _type: 'export', __export_format: 4, resources }));
    fs.mkdirSync(path.join(repo, 'imported'));
    const i = await run(['import', 'cased.json', 'repo/imported', '--format', 'legacy'], tmp);
    assert.equal(i.code, 0, i.stderr);
    distinctOnEveryDisk(everyFile(path.join(repo, 'imported')));
    assert.equal((await loadWorkspace(path.join(repo, 'imported'))).collections[0].children.length, 4);
    // and into an existing legacy folder that holds req_abc already
    const [existing] = (await loadWorkspace(path.join(repo, 'imported'))).collections;
    const taken = existing.children.find((x) => x.name === 'R0')!.id;
    fs.writeFileSync(path.join(tmp, 'one.json'), JSON.stringify({ _type: 'export', __export_format: 4, resources: [{ _id: 'wrk_j', _type: 'workspace', name: 'J' }, { _id: taken.toUpperCase().replace('REQ_', 'req_'), _type: 'request', parentId: 'wrk_j', name: 'Upper', url: 'http://x', method: 'GET' }] }));
    const j = await run(['import', 'one.json', 'repo/imported', '--into', existing.id], tmp);
    assert.equal(j.code, 0, j.stderr);
    distinctOnEveryDisk(everyFile(path.join(repo, 'imported')));
    assert.equal((await loadWorkspace(path.join(repo, 'imported'))).collections[0].children.length, 5);
    untouched();
  });

  it('new collection named ../../../outside/victim, and one of 300 characters: a safe, cut file name in the repository', async () => {
    // CON, aux, Com1, nul: names Windows keeps for devices, refused by the guard, so the file name must avoid them
    for (const name of ['../../../outside/victim', 'x'.repeat(300), '/abs/name', 'a\u0000b', '..\\..\\win', 'CON', 'aux', 'Com1', 'nul', 'LPT9']) {
      const result = planNewCollection({ format: 'v5', root: repo, name, now: 1 });
      await writeChanges(result.changes);
      const legacy = planNewCollection({ format: 'legacy', root: path.join(repo, `l${everyFile(repo).length}`), name, now: 1 });
      await writeChanges(legacy.changes);
    }
    untouched();
    for (const f of everyFile(repo)) assert.ok(Buffer.byteLength(path.basename(f)) <= 255 && !f.includes('..'), f);
    assert.deepEqual(checkInsomniaFolder(repo).issues, []);
  });

  it('a planner edit: duplicating a legacy document whose _id is hostile writes the copy in its type folder', async () => {
    const dir = path.join(repo, '.insomnia');
    fs.mkdirSync(path.join(dir, 'Workspace'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'Request'));
    fs.writeFileSync(path.join(dir, 'Workspace/wrk_l.yml'), '_id: wrk_l\ntype: Workspace\nparentId: null\nname: Legacy\nscope: collection\n');
    fs.writeFileSync(path.join(dir, 'Request/x.yml'), '_id: ../../../outside/victim_1\ntype: Request\nparentId: wrk_l\nname: X\nurl: http://x\nmethod: GET\n');
    const [c] = (await loadWorkspace(repo)).collections;
    const dup = planEditWith(c, { kind: 'duplicate', id: '../../../outside/victim_1' }, { now: 5, readText: (f) => fs.readFileSync(f, 'utf8') }, {});
    await writeChanges(dup.changes);
    untouched();
    assert.match(path.relative(repo, dup.changes[0].path), /^\.insomnia\/Request\/req_[0-9a-f]{32}\.yml$/);
    // and a change list carrying a path out of the collection is refused whole, nothing of it written
    const evil = [
      { path: path.join(dir, 'Request/req_ok.yml'), content: 'x: 1\n' },
      { path: path.join(dir, 'Request', '../../../outside/victim.yml'), content: 'pwned\n' },
    ];
    await assert.rejects(writeChanges(evil), PathGuardError);
    untouched();
    assert.ok(!fs.existsSync(path.join(dir, 'Request/req_ok.yml')));
  });

  it('a multi-file write that fails half-way leaves nothing: new files removed, changed files restored, new folders gone', async () => {
    const dir = path.join(repo, '.insomnia');
    fs.mkdirSync(path.join(dir, 'Workspace'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'Workspace/wrk_1.yml'), 'before\n');
    fs.writeFileSync(path.join(dir, 'Request'), 'a file where the Request folder should be\n');
    const before = everyFile(repo).map((f) => [f, fs.readFileSync(path.join(repo, f), 'utf8')]);
    const changes = [
      { path: path.join(dir, 'Workspace/wrk_1.yml'), content: 'after\n' },
      { path: path.join(dir, 'Environment/env_1.yml'), content: 'new\n' },
      { path: path.join(dir, 'RequestGroup/fld_1.yml'), content: 'new\n' },
      { path: path.join(dir, 'Request/req_1.yml'), content: 'cannot be written\n' },
    ];
    await assert.rejects(writeFiles(changes), (err: unknown) => err instanceof WriteFilesError && /nothing stays written/.test(err.message));
    assert.deepEqual(everyFile(repo).map((f) => [f, fs.readFileSync(path.join(repo, f), 'utf8')]), before);
    assert.ok(!fs.existsSync(path.join(dir, 'Environment')) && !fs.existsSync(path.join(dir, 'RequestGroup')));
  });

  it('the next start removes the temporary files of writes killed mid-way, never a running writer\'s nor anything else', async () => {
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const dir = path.join(repo, '.insomnia', 'Request');
      fs.mkdirSync(dir, { recursive: true });
      const names = {
        save: `.hammock-${dead.pid}-1f-frkf.tmp`, // a save's (writeFiles)
        checkout: `.req_1.yml.hammock-${dead.pid}.tmp`, // a git switch's (git/worktree.ts)
        mine: `.hammock-${process.pid}-2-abc.tmp`,
        running: `.hammock-${alive.pid}-3-abc.tmp`,
        data: 'req_1.yml',
        other: '.hammock-notes.tmp',
        gitTemp: '.req_1.yml.hammock-0123456789ab.tmp', // no pid (git/plumbing/gitFs.ts, under .git)
      };
      for (const n of Object.values(names)) fs.writeFileSync(path.join(dir, n), 'x\n');
      const removed = await removeStaleTempFiles([dir, dir, path.join(repo, 'missing')]);
      assert.deepEqual(removed.map((f) => path.basename(f)).sort(), [names.checkout, names.save].sort());
      assert.deepEqual(fs.readdirSync(dir).sort(), [names.data, names.gitTemp, names.other, names.mine, names.running].sort());
    } finally {
      alive.kill('SIGKILL');
    }
  });

  it('an import into a legacy folder that fails on a write error writes nothing (the CLI exits 1)', async () => {
    fs.cpSync(path.resolve('test/fixtures/legacy/minimal-collection'), repo, { recursive: true });
    fs.writeFileSync(path.join(repo, '.insomnia', 'Request'), 'not a folder\n');
    const before = everyFile(repo);
    const resources = [
      { _id: 'wrk_x', _type: 'workspace', name: 'X' },
      { _id: 'fld_a', _type: 'request_group', parentId: 'wrk_x', name: 'A' },
      { _id: 'req_a', _type: 'request', parentId: 'fld_a', name: 'R', url: 'http://x', method: 'GET' },
      { _id: 'env_b', _type: 'environment', parentId: 'wrk_x', name: 'Base', data: { v: 1 } },
    ];
    fs.writeFileSync(path.join(tmp, 'ok.json'), JSON.stringify({ _type: 'export', __export_format: 4, resources }));
    const [c] = (await loadWorkspace(repo)).collections;
    const r = await run(['import', 'ok.json', 'repo', '--into', c.id], tmp);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^hammock import: Writing .*\.insomnia\/Request\/req_a\.yml failed \(.*\); nothing stays written\n$/);
    assert.deepEqual(everyFile(repo), before);
  });
});
