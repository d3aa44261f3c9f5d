// collectionHistory on histories generated with the git CLI: which commits count (collection files only, v5 by
// content, merges only when they change something themselves), the files of each, paging, shallow boundaries.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectionHistory, type CollectionCommit } from '../../../src/git/collectionHistory';
import { UnknownRefError } from '../../../src/git/snapshotAtRef';
import { commitFiles, gitCli, initRepo, legacySeed, requestYaml, TempDirs } from './gitTestRepos';

const V5 = (name: string, url = 'https://example.com') =>
  ['type: collection.insomnia.rest/5.0', `name: ${name}`, 'meta:', '  id: wrk_v5', 'collection:', '  - url: ' + url, '    name: One', '    meta:', '      id: req_v5one', ''].join('\n');

function rm(dir: string, rel: string, message: string): string {
  fs.rmSync(path.join(dir, rel));
  gitCli(dir, 'add', '-A');
  gitCli(dir, 'commit', '-q', '-m', message);
  return gitCli(dir, 'rev-parse', 'HEAD');
}

const brief = (cs: CollectionCommit[]) => cs.map((c) => `${c.summary}: ${c.files.map((f) => `${f.kind[0]} ${f.path}`).join(', ')}`);

describe('collectionHistory', function () {
  this.timeout(20_000);
  const temp = new TempDirs();
  after(() => temp.cleanup());

  /** A linear history mixing collection and other commits. */
  function linear(): string {
    const dir = initRepo(temp.make(), { ...legacySeed(2), 'README.md': 'hi\n' });
    commitFiles(dir, { 'README.md': 'hello\n', 'src/app.ts': 'x\n' }, 'docs only');
    commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Request 1', 'https://example.com/v2') }, 'change req_1');
    commitFiles(dir, { 'api/collection.yaml': V5('API') }, 'add a v5 collection');
    commitFiles(dir, { 'openapi.yaml': 'openapi: 3.0.0\n', '.github/workflows/ci.yml': 'on: push\n', 'node_modules/x/.insomnia/Request/r.yml': 'x' }, 'other yaml');
    commitFiles(dir, { '.insomnia/notes.md': 'n\n', '.insomnia/Request/deep/r.yml': 'x\n' }, 'not data files');
    rm(dir, '.insomnia/Request/req_2.yml', 'delete req_2');
    commitFiles(dir, { 'api/collection.yaml': V5('API', 'https://example.com/v2'), 'openapi.yaml': 'openapi: 3.1.0\n' }, 'change v5 and openapi');
    return dir;
  }

  it('lists only the commits that touched collection files, newest first, with those files', async () => {
    const dir = linear();
    const page = await collectionHistory(dir, { limit: 50 });
    assert.deepEqual(brief(page.commits), [
      'change v5 and openapi: m api/collection.yaml',
      'delete req_2: d .insomnia/Request/req_2.yml',
      'add a v5 collection: a api/collection.yaml',
      'change req_1: m .insomnia/Request/req_1.yml',
      'initial: a .insomnia/Request/req_1.yml, a .insomnia/Request/req_2.yml, a .insomnia/Workspace/wrk_1.yml',
    ]);
    assert.equal(page.next, undefined);
    assert.equal(page.scanned, 8);
    const top = page.commits[0];
    assert.equal(top.oid, gitCli(dir, 'rev-parse', 'HEAD'));
    assert.deepEqual(top.parents, [gitCli(dir, 'rev-parse', 'HEAD~1')]);
    assert.equal(top.author.name, 'CLI User');
    assert.equal(top.author.email, 'cli@hammock.invalid');
    assert.ok(Math.abs(top.author.timestamp - Date.now() / 1000) < 600);
    assert.equal(top.message.trim(), 'change v5 and openapi');
  });

  it('a deleted v5 file counts (its text before), a YAML file that becomes v5 counts', async () => {
    const dir = initRepo(temp.make(), { 'a.yaml': 'plain: yaml\n', 'b.yaml': V5('B') });
    commitFiles(dir, { 'a.yaml': V5('A') }, 'a becomes v5');
    rm(dir, 'b.yaml', 'b deleted');
    const page = await collectionHistory(dir, { limit: 10 });
    assert.deepEqual(brief(page.commits), ['b deleted: d b.yaml', 'a becomes v5: m a.yaml', 'initial: a b.yaml']);
  });

  it('names that sort around each other (file and folder of one prefix, a file turned into a folder) are all compared', async () => {
    const dir = initRepo(temp.make(), { 'api.yaml': V5('A'), 'api/x.yaml': V5('X'), 'api-x.yaml': V5('AX'), 'api0.yaml': V5('A0'), 'b.yaml': V5('B') });
    commitFiles(dir, { 'api.yaml': V5('A', 'u2'), 'api/x.yaml': V5('X', 'u2'), 'api-x.yaml': V5('AX', 'u2'), 'api0.yaml': V5('A0', 'u2') }, 'all four');
    rm(dir, 'b.yaml', 'b goes');
    commitFiles(dir, { 'b.yaml/inner.yaml': V5('B inside') }, 'b is a folder now');
    const page = await collectionHistory(dir, { limit: 10 });
    assert.deepEqual(brief(page.commits), [
      'b is a folder now: a b.yaml/inner.yaml',
      'b goes: d b.yaml',
      'all four: m api-x.yaml, m api.yaml, m api/x.yaml, m api0.yaml',
      'initial: a api-x.yaml, a api.yaml, a api/x.yaml, a api0.yaml, a b.yaml',
    ]);
  });

  it('pages: limit, next resumes the same walk, and the pages add up to the whole list', async () => {
    const dir = linear();
    const all = (await collectionHistory(dir, { limit: 100 })).commits.map((c) => c.oid);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await collectionHistory(dir, { limit: 2, after });
      assert.ok(page.commits.length <= 2);
      seen.push(...page.commits.map((c) => c.oid));
      after = page.next;
      pages++;
    } while (after && pages < 10);
    assert.deepEqual(seen, all);
    assert.equal(pages, 3);
  });

  it('maxScan stops early with a cursor that carries on', async () => {
    const dir = linear();
    const first = await collectionHistory(dir, { limit: 10, maxScan: 3 });
    assert.equal(first.scanned, 3);
    assert.deepEqual(first.commits.map((c) => c.summary), ['change v5 and openapi', 'delete req_2']);
    assert.ok(first.next);
    const rest = await collectionHistory(dir, { limit: 10, after: first.next });
    assert.deepEqual(rest.commits.map((c) => c.summary), ['add a v5 collection', 'change req_1', 'initial']);
    assert.equal(rest.next, undefined);
  });

  it('ref: another branch, a tag, HEAD~N; an unknown ref and a bad cursor throw', async () => {
    const dir = linear();
    gitCli(dir, 'branch', 'older', 'HEAD~3');
    gitCli(dir, 'tag', '-a', '-m', 'v1', 'v1', 'HEAD~3');
    for (const ref of ['older', 'v1']) {
      assert.deepEqual((await collectionHistory(dir, { ref, limit: 10 })).commits.map((c) => c.summary), ['add a v5 collection', 'change req_1', 'initial']);
    }
    assert.deepEqual((await collectionHistory(dir, { ref: 'HEAD~5', limit: 10 })).commits.map((c) => c.summary), ['change req_1', 'initial']);
    await assert.rejects(collectionHistory(dir, { ref: 'nope', limit: 10 }), UnknownRefError);
    await assert.rejects(collectionHistory(dir, { limit: 10, after: 'garbage' }), /not a history cursor/);
  });

  it('merges: the merged commits are listed, a clean merge is not, a merge that changes a file itself is', async () => {
    const dir = initRepo(temp.make(), legacySeed(3));
    gitCli(dir, 'checkout', '-q', '-b', 'feature');
    commitFiles(dir, { '.insomnia/Request/req_1.yml': requestYaml('req_1', 'Request 1', 'https://example.com/feature') }, 'feature: req_1');
    gitCli(dir, 'checkout', '-q', 'main');
    commitFiles(dir, { '.insomnia/Request/req_2.yml': requestYaml('req_2', 'Request 2', 'https://example.com/main') }, 'main: req_2');
    gitCli(dir, 'merge', '-q', '--no-edit', 'feature', '-m', 'clean merge');
    const clean = await collectionHistory(dir, { limit: 10 });
    assert.deepEqual(clean.commits.map((c) => c.summary).sort(), ['feature: req_1', 'initial', 'main: req_2']);

    gitCli(dir, 'checkout', '-q', '-b', 'feature2', 'HEAD~1');
    commitFiles(dir, { 'README.md': 'x\n' }, 'feature2: docs');
    gitCli(dir, 'checkout', '-q', 'main');
    gitCli(dir, 'merge', '-q', '--no-commit', 'feature2');
    fs.writeFileSync(path.join(dir, '.insomnia/Request/req_3.yml'), requestYaml('req_3', 'Request 3', 'https://example.com/evil'));
    gitCli(dir, 'add', '-A');
    gitCli(dir, 'commit', '-q', '-m', 'evil merge');
    const evil = await collectionHistory(dir, { limit: 1 });
    assert.deepEqual(brief(evil.commits), ['evil merge: m .insomnia/Request/req_3.yml']);
    assert.equal(evil.commits[0].parents.length, 2);
    assert.deepEqual(brief((await collectionHistory(dir, { limit: 10 })).commits).length, 4);
  });

  it('a shallow clone: the boundary commit is marked and listed against an empty tree, no crash', async () => {
    const src = linear();
    const dir = temp.make();
    gitCli(dir, 'clone', '-q', '--depth', '2', `file://${src}`, 'c');
    const clone = path.join(dir, 'c');
    const page = await collectionHistory(clone, { limit: 10 });
    assert.deepEqual(page.commits.map((c) => [c.summary, !!c.boundary]), [
      ['change v5 and openapi', false],
      ['delete req_2', true],
    ]);
    assert.equal(page.next, undefined);
  });

  it('a repository without commits throws UnknownRefError', async () => {
    const dir = temp.make();
    gitCli(dir, 'init', '-q', '-b', 'main');
    await assert.rejects(collectionHistory(dir, { limit: 5 }), UnknownRefError);
  });
});
