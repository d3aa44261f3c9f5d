// Generated git histories of one collection, written as a legacy folder or a v5 file: the diff tests' data.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { dump } from 'js-yaml';

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

