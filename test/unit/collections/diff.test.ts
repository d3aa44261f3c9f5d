// diffSnapshots on generated git histories (a legacy folder and a v5 file, committed twice) and on the fixtures.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { breakingChanges } from '../../../src/collections/breaking';
import { diffSnapshots, formatSnapshotDiff } from '../../../src/collections/diff';
import { loadWorkspace, unreadSides } from '../../../src/collections/scan';
import { parseV5File } from '../../../src/collections/formats/v5';
import { walkItems, type Collection, type Folder, type HttpRequest } from '../../../src/collections/model';
import { loadWorkspaceAtRef, UnknownRefError } from '../../../src/git/snapshotAtRef';
import { changedState, commitAll, EXPECTED, gitRepo, initialState, writeLegacy, writeV5, type GenState } from './generatedHistory';

const FIXTURES = path.resolve(__dirname, '../../fixtures');

describe('diffSnapshots', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const format of ['legacy', 'v5'] as const) {
    it(`${format}: a generated two-commit history gives exactly the expected changes, read from git objects`, async () => {
      const dir = gitRepo();
      dirs.push(dir);
      const write = (s: GenState) => (format === 'legacy' ? writeLegacy(dir, s) : writeV5(path.join(dir, 'api.yaml'), s));
      write(initialState());
      writeFileSync(path.join(dir, 'notes.yaml'), 'just: other yaml\n');
      commitAll(dir, 'first');
      write(changedState());
      commitAll(dir, 'second');

      const before = await loadWorkspaceAtRef(dir, 'HEAD~1');
      const afterSnap = await loadWorkspaceAtRef(dir, 'main');
      assert.equal(before.collections.length, 1);
      assert.equal(before.collections[0].format, format);
      const diff = diffSnapshots(before.collections, afterSnap.collections);
      assert.equal(diff.collections.length, 1);
      assert.equal(diff.collections[0].kind, 'changed');
      assert.deepEqual(diff.collections[0].changes.map((c) => c.description), EXPECTED);
      const changed = diff.collections[0].changes[0];
      assert.deepEqual(changed.fields, [
        { field: 'url', kind: 'changed', text: 'url changed' },
        { field: 'header X-Token', kind: 'changed', text: 'header X-Token changed' },
      ]);

      // the working tree equals HEAD: no change; and HEAD as read from git equals loadWorkspace's model
      const work = await loadWorkspace(dir);
      assert.deepEqual(diffSnapshots(afterSnap.collections, work.collections).collections, []);
      assert.deepEqual(diffSnapshots(before.collections, work.collections), diff);
      assert.match(formatSnapshotDiff(diff), /^legacy|^v5/);
      assert.equal(formatSnapshotDiff({ collections: [] }), 'No changes.\n');
    });
  }

  it('a file that cannot be read on one side (conflict markers) leaves what it holds out: not removed, added or moved', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-diff-'));
    dirs.push(dir);
    writeLegacy(dir, initialState());
    writeV5(path.join(dir, 'api.yaml'), initialState());
    const good = await loadWorkspace(dir);
    // a folder (its three requests lose their parent), a request, the base environment and the whole v5 file
    const insomnia = path.join(dir, '.insomnia');
    for (const file of [path.join(insomnia, 'RequestGroup', 'fld_a.yml'), path.join(insomnia, 'Request', 'req_4.yml'), path.join(insomnia, 'Environment', 'env_0123456789abcdef0123456789abcdef.yml'), path.join(dir, 'api.yaml')]) {
      writeFileSync(file, `<<<<<<< HEAD\n${readFileSync(file, 'utf8')}=======\nname: theirs\n>>>>>>> theirs\n`);
    }
    const broken = await loadWorkspace(dir);
    const unread = unreadSides(good, broken);
    assert.equal(unread.after!.size, 4, [...unread.after!].join(', '));
    // without knowing which files could not be read, the diff passes them off as removals and moves
    const naive = diffSnapshots(good.collections, broken.collections).collections;
    assert.ok(naive.some((c) => c.kind === 'removed' || c.changes.some((x) => x.kind === 'removed' || x.kind === 'moved')));
    assert.deepEqual(diffSnapshots(good.collections, broken.collections, unread).collections, []);
    // and the other way (the conflict resolved): nothing "added" either
    assert.deepEqual(diffSnapshots(broken.collections, good.collections, unreadSides(broken, good)).collections, []);
    // what the readable files changed meanwhile is still there
    writeFileSync(path.join(insomnia, 'Request', 'req_2.yml'), readFileSync(path.join(insomnia, 'Request', 'req_2.yml'), 'utf8').replace('https://api.test/doomed', 'https://api.test/kept'));
    const edited = await loadWorkspace(dir);
    assert.deepEqual(diffSnapshots(good.collections, edited.collections, unreadSides(good, edited)).collections.flatMap((c) => c.changes.map((x) => x.description)), ['~ request "Doomed": url changed']);
  });

  it('a v5 file moved and left unreadable (git mv, then a half-saved edit): its collection is unknown, not removed; and back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-diff-'));
    dirs.push(dir);
    writeLegacy(dir, initialState());
    writeV5(path.join(dir, 'api.yaml'), initialState());
    const good = await loadWorkspace(dir);
    const text = readFileSync(path.join(dir, 'api.yaml'), 'utf8');
    rmSync(path.join(dir, 'api.yaml'));
    writeFileSync(path.join(dir, 'moved.yaml'), `${text}collection: [\n`);
    // what the readable files changed meanwhile is still there
    writeFileSync(path.join(dir, '.insomnia', 'Request', 'req_2.yml'), readFileSync(path.join(dir, '.insomnia', 'Request', 'req_2.yml'), 'utf8').replace('https://api.test/doomed', 'https://api.test/kept'));
    const moved = await loadWorkspace(dir);
    assert.deepEqual([...unreadSides(good, moved).after!].map((f) => path.basename(f)), ['moved.yaml']);
    const described = (d: ReturnType<typeof diffSnapshots>) => d.collections.map((c) => (c.kind === 'changed' ? c.changes.map((x) => x.description).join(', ') : `${c.kind} ${path.basename(c.path)}`));
    // the file the v5 collection was read from is gone, and a v5 file nobody can read appeared: it may be that collection
    assert.deepEqual(described(diffSnapshots(good.collections, moved.collections, unreadSides(good, moved))), ['~ request "A/Doomed": url changed']);
    // nor are its requests "removed" breaking changes (hammock diff --breaking, the Review view's marks)
    assert.deepEqual(breakingChanges(good.collections, moved.collections, unreadSides(good, moved)).filter((b) => b.kind === 'removed'), []);
    // and the other way (the moved file mended): the collection is not "added" either
    assert.deepEqual(described(diffSnapshots(moved.collections, good.collections, unreadSides(moved, good))), ['~ request "A/Doomed": url changed']);
    // a collection whose file is gone while no unreadable v5 file appeared is removed, as before
    rmSync(path.join(dir, 'moved.yaml'));
    const gone = await loadWorkspace(dir);
    assert.deepEqual(described(diffSnapshots(good.collections, gone.collections, unreadSides(good, gone))), ['~ request "A/Doomed": url changed', 'removed api.yaml']);
  });

  it('only modified stamps and key order changed: no change', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-diff-'));
    dirs.push(dir);
    const s = initialState();
    writeLegacy(path.join(dir, 'l'), s);
    writeV5(path.join(dir, 'c.yaml'), s);
    const before = await loadWorkspace(dir);
    for (const r of s.requests) {
      r.modified += 5;
      r.reverseKeys = true;
    }
    writeLegacy(path.join(dir, 'l'), s);
    writeV5(path.join(dir, 'c.yaml'), s);
    const afterSnap = await loadWorkspace(dir);
    assert.equal(afterSnap.collections.length, 2);
    assert.deepEqual(diffSnapshots(before.collections, afterSnap.collections).collections, []);
  });

  it('a legacy folder and its v5 copy (same workspace id) are separate collections', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-diff-'));
    dirs.push(dir);
    writeLegacy(dir, initialState());
    const legacyOnly = await loadWorkspace(dir);
    writeV5(path.join(dir, 'c.yaml'), changedState());
    const both = await loadWorkspace(dir);
    const diff = diffSnapshots(legacyOnly.collections, both.collections);
    assert.deepEqual(diff.collections.map((c) => [c.format, c.kind]), [['v5', 'added']]);
    assert.deepEqual(diffSnapshots(both.collections, legacyOnly.collections).collections.map((c) => [c.format, c.kind]), [['v5', 'removed']]);
  });

  it('reordering siblings is a move; adding a sibling does not move the others', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hammock-diff-'));
    dirs.push(dir);
    const s = initialState();
    writeV5(path.join(dir, 'c.yaml'), s);
    const before = await loadWorkspace(dir);
    s.requests.find((r) => r.id === 'req_3')!.sortKey = 0;
    s.requests.push({ id: 'req_0', name: 'First', parent: 'fld_a', sortKey: -5, url: '', headers: [], modified: 1 });
    writeV5(path.join(dir, 'c.yaml'), s);
    const diff = diffSnapshots(before.collections, (await loadWorkspace(dir)).collections);
    assert.deepEqual(diff.collections[0].changes.map((c) => c.description), [
      '+ request "A/First" added',
      '> request "A/Moved" moved within "A"',
    ]);
  });

  it('the fixtures committed to a repository read back from git exactly as loadWorkspace reads them', async function () {
    this.timeout(60_000);
    const dir = gitRepo();
    dirs.push(dir);
    cpSync(path.join(FIXTURES, 'legacy'), path.join(dir, 'legacy'), { recursive: true });
    cpSync(path.join(FIXTURES, 'v5'), path.join(dir, 'v5'), { recursive: true });
    commitAll(dir, 'fixtures');
    const atHead = await loadWorkspaceAtRef(dir, 'HEAD');
    const work = await loadWorkspace(dir);
    assert.ok(atHead.collections.length >= 10);
    assert.deepEqual(atHead.collections.map((c) => `${c.format}:${c.path}`), work.collections.map((c) => `${c.format}:${c.path}`));
    assert.deepEqual(diffSnapshots(atHead.collections, work.collections).collections, []);
    assert.deepEqual(diffSnapshots(atHead.collections, []).collections.length, atHead.collections.length);
  });

  it('an unknown ref is an UnknownRefError', async () => {
    const dir = gitRepo();
    dirs.push(dir);
    writeLegacy(dir, initialState());
    commitAll(dir, 'first');
    await assert.rejects(loadWorkspaceAtRef(dir, 'no-such-branch'), UnknownRefError);
    await assert.rejects(loadWorkspaceAtRef(dir, 'deadbeef'), UnknownRefError);
    await assert.rejects(loadWorkspaceAtRef(dir, 'HEAD~1'), UnknownRefError);
    const short = firstCommit(dir).slice(0, 7);
    assert.equal((await loadWorkspaceAtRef(dir, short)).collections.length, 1);
  });
});

function firstCommit(dir: string): string {
  return execFileSync('git', ['rev-list', '--max-parents=0', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
}

describe('diffSnapshots: the fields of a changed item (everything.yaml, edited in memory)', () => {
  const file = path.join(FIXTURES, 'v5/kong-example/everything.yaml');

  async function load(): Promise<Collection> {
    const result = parseV5File(file, readFileSync(file, 'utf8'));
    assert.ok(result.collection);
    return result.collection;
  }
  function request(c: Collection, name: string): HttpRequest {
    const found = [...walkItems(c.children)].find((i) => i.name === name);
    assert.ok(found && found.kind === 'request', name);
    return found;
  }

  it('the same file twice: no change', async () => {
    assert.deepEqual(diffSnapshots([await load()], [await load()]).collections, []);
  });

  it('method, description, header/parameter added/removed/changed, body, auth, settings, scripts, folder and environment variables', async () => {
    const before = await load();
    const after = await load();
    const login = request(after, 'login');
    login.method = 'PUT';
    login.description = 'now documented';
    login.headers = login.headers.filter((h) => h.name !== 'X-User-CEO');
    login.headers.push({ name: 'X-New', value: '1' });
    login.headers.find((h) => h.name === 'Content-Type')!.value = 'text/plain';
    login.body = { ...login.body, params: login.body.params?.slice(1) };
    login.authentication = { ...login.authentication, disabled: true };
    login.settings = { ...login.settings, followRedirects: 'off' };
    login.scripts = { ...login.scripts, preRequest: '' };
    login.modified = 1; // never a change
    const sub = request(after, 'subscribe');
    sub.parameters = sub.parameters.map((p) => (p.name === 'isTrue' ? { ...p, disabled: !p.disabled } : p));
    sub.parameters.push({ name: 'page', value: '2' });
    const folder = [...walkItems(after.children)].find((i) => i.kind === 'folder' && i.name === 'User') as Folder;
    folder.environment = { ...folder.environment, tier: 1 };
    const base = after.baseEnvironment!;
    base.data = { ...base.data, extra: true };
    const sub1 = base.subEnvironments[0];
    assert.equal(sub1.data.base_url, 'localhost:3000');
    sub1.data = { base_url: 'localhost:4000' };
    const removedSub = before.baseEnvironment!.subEnvironments[0];
    base.subEnvironments = [{ ...sub1, id: 'env_new' }];

    const diff = diffSnapshots([before], [after]);
    assert.equal(diff.collections.length, 1);
    const lines = diff.collections[0].changes.map((c) => c.description);
    assert.deepEqual(lines, [
      '~ folder "User": variable tier added',
      '~ request "User/login": method changed, description changed, header Content-Type changed, header X-New added, header X-User-CEO removed, body changed, auth changed, settings changed, scripts changed',
      '~ request "User/subscribe": parameter isTrue changed, parameter page added',
      '~ environment "Base Environment": variable extra added',
      '+ environment "New Environment" added',
      `- environment "${removedSub.name}" removed`,
    ]);
    const fields = diff.collections[0].changes[1].fields!;
    assert.deepEqual(fields.find((f) => f.field === 'header X-New'), { field: 'header X-New', kind: 'added', text: 'header X-New added' });
  });

  it('sub-environments with equal sort keys are listed by id, whatever order the reader gave them in', async () => {
    const loaded = await load();
    const template = loaded.baseEnvironment!.subEnvironments[0];
    assert.ok(template);
    const withSubs = (ids: string[], marked: boolean): Collection => {
      const c = structuredClone(loaded);
      c.baseEnvironment!.subEnvironments = ids.map((id) => ({ ...structuredClone(template), id, sortKey: 5, data: marked ? { marker: id } : {} }));
      return c;
    };
    const ids = ['env_c', 'env_a', 'env_b'];
    const changed = (order: string[]): string[] => diffSnapshots([withSubs(ids, false)], [withSubs(order, true)]).collections[0].changes.map((c) => c.id);
    assert.deepEqual(changed(['env_c', 'env_a', 'env_b']), ['env_a', 'env_b', 'env_c']);
    assert.deepEqual(changed(['env_b', 'env_c', 'env_a']), ['env_a', 'env_b', 'env_c']);
  });

  it('collections added and removed are reported whole', async () => {
    const c = await load();
    assert.deepEqual(diffSnapshots([], [c]).collections.map((d) => [d.kind, d.name, d.changes.length]), [['added', 'Everything', 0]]);
    assert.deepEqual(diffSnapshots([c], []).collections.map((d) => [d.kind, d.name]), [['removed', 'Everything']]);
  });
});
