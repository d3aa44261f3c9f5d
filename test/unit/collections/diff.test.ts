// diffSnapshots on generated git histories (a legacy folder and a v5 file, committed twice) and on the fixtures.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { dump } from 'js-yaml';
import { diffSnapshots, formatSnapshotDiff } from '../../../src/collections/diff';
import { loadWorkspace } from '../../../src/collections/scan';
import { loadWorkspaceAtRef, UnknownRefError } from '../../../src/git/snapshotAtRef';

const FIXTURES = path.resolve(__dirname, '../../../../shared/fixtures');

/** An abstract collection both writers below turn into files. */
export interface GenRequest {
  id: string;
  name: string;
  parent: string; // folder id or the workspace id
  sortKey: number;
  url: string;
  headers: { name: string; value: string }[];
  modified: number;
  reverseKeys?: boolean;
}
export interface GenState {
  folders: { id: string; name: string; sortKey: number }[];
  requests: GenRequest[];
  env: Record<string, string>;
}

export const WRK = 'wrk_0123456789abcdef0123456789abcdef';
const ENV = 'env_0123456789abcdef0123456789abcdef';

export function initialState(): GenState {
  const h = (v: string) => [{ name: 'X-Token', value: v }, { name: 'Accept', value: 'application/json' }];
  return {
    folders: [
      { id: 'fld_a', name: 'A', sortKey: 1 },
      { id: 'fld_b', name: 'B', sortKey: 2 },
    ],
    requests: [
      { id: 'req_1', name: 'Get users', parent: 'fld_a', sortKey: 1, url: 'https://api.test/users', headers: h('a'), modified: 1000 },
      { id: 'req_2', name: 'Doomed', parent: 'fld_a', sortKey: 2, url: 'https://api.test/doomed', headers: [], modified: 1000 },
      { id: 'req_3', name: 'Moved', parent: 'fld_a', sortKey: 3, url: 'https://api.test/moved', headers: [], modified: 1000 },
      { id: 'req_4', name: 'Stamped', parent: WRK, sortKey: 3, url: 'https://api.test/stamped', headers: h('s'), modified: 1000 },
    ],
    env: { baseUrl: 'https://api.test', token: 'abc' },
  };
}

/** The second commit: url + header of req_1, req_5 added, req_2 deleted, req_3 moved to B, env var, only stamps of req_4. */
export function changedState(): GenState {
  const s = initialState();
  const r1 = s.requests.find((r) => r.id === 'req_1')!;
  r1.url = 'https://api.test/v2/users';
  r1.headers[0].value = 'b';
  s.requests = s.requests.filter((r) => r.id !== 'req_2');
  s.requests.find((r) => r.id === 'req_3')!.parent = 'fld_b';
  const r4 = s.requests.find((r) => r.id === 'req_4')!;
  r4.modified = 99999;
  r4.reverseKeys = true;
  s.requests.push({ id: 'req_5', name: 'New one', parent: 'fld_b', sortKey: 1, url: 'https://api.test/new', headers: [], modified: 2000 });
  s.env.baseUrl = 'https://api2.test';
  return s;
}

export const EXPECTED = [
  '~ request "A/Get users": url changed, header X-Token changed',
  '+ request "B/New one" added',
  '> request "B/Moved" moved from "A" to "B"',
  '- request "A/Doomed" removed',
  '~ environment "Base Environment": variable baseUrl changed',
];

function reversed(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).reverse());
}

export function writeLegacy(dir: string, s: GenState): void {
  const root = path.join(dir, '.insomnia');
  rmSync(root, { recursive: true, force: true });
  const put = (type: string, doc: Record<string, unknown>) => {
    mkdirSync(path.join(root, type), { recursive: true });
    writeFileSync(path.join(root, type, `${doc._id as string}.yml`), dump(doc));
  };
  put('Workspace', { _id: WRK, type: 'Workspace', parentId: null, modified: 1, created: 1, name: 'Generated', description: '', scope: 'collection' });
  put('Environment', { _id: ENV, type: 'Environment', parentId: WRK, modified: 1, created: 1, name: 'Base Environment', data: s.env, color: null, isPrivate: false, metaSortKey: 1 });
  for (const f of s.folders) {
    put('RequestGroup', { _id: f.id, type: 'RequestGroup', parentId: WRK, modified: 1, created: 1, name: f.name, description: '', environment: {}, metaSortKey: f.sortKey });
  }
  for (const r of s.requests) {
    const doc = {
      _id: r.id, type: 'Request', parentId: r.parent, modified: r.modified, created: 1, url: r.url, name: r.name, description: '',
      method: 'GET', body: {}, parameters: [], headers: r.headers, authentication: {}, metaSortKey: r.sortKey,
    };
    put('Request', r.reverseKeys ? reversed(doc) : doc);
  }
}

export function writeV5(file: string, s: GenState): void {
  const request = (r: GenRequest) => {
    const doc = {
      url: r.url, name: r.name,
      meta: { id: r.id, created: 1, modified: r.modified, isPrivate: false, description: '', sortKey: r.sortKey },
      method: 'GET', headers: r.headers,
    };
    return r.reverseKeys ? reversed(doc) : doc;
  };
  const items = [
    ...s.folders.map((f) => ({
      name: f.name,
      meta: { id: f.id, created: 1, modified: 1, sortKey: f.sortKey, description: '' },
      children: s.requests.filter((r) => r.parent === f.id).map(request),
    })),
    ...s.requests.filter((r) => r.parent === WRK).map(request),
  ];
  const doc = {
    type: 'collection.insomnia.rest/5.0',
    name: 'Generated v5',
    meta: { id: WRK, created: 1, modified: 1, description: '' },
    collection: items,
    environments: { name: 'Base Environment', meta: { id: ENV, created: 1, modified: 1, isPrivate: false }, data: s.env },
  };
  writeFileSync(file, dump(doc));
}

export function gitRepo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hammock-diff-'));
  const run = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  run('init', '-q', '-b', 'main');
  run('config', 'user.email', 't@example.com');
  run('config', 'user.name', 'T');
  run('config', 'commit.gpgsign', 'false');
  return dir;
}

export function commitAll(dir: string, message: string): void {
  execFileSync('git', ['add', '-A'], { cwd: dir, stdio: 'pipe' });
  execFileSync('git', ['commit', '-q', '-m', message], { cwd: dir, stdio: 'pipe' });
}

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
